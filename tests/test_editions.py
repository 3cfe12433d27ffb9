"""Editions in the other Chinese script (``--script hans|hant|hant-hk``), by OpenCC."""

from __future__ import annotations

import dataclasses

import pytest

import briefgen
from briefgen.cli import main
from briefgen.editions import edition
from briefgen.typography.quotes import requote
from conftest import pypdf_pages

BRIEFING = """\
title: {title}
lang: {lang}
summary: 見[發展報告](https://example.org/發展)。
events:
  - start: 1991
    title: {event}
    people: [{name}]
    tags: [{tag}]
people:
  - {{name: {name}, role: {role}}}
sources:
  - {{title: 報告, url: "https://example.org/頭髮"}}
"""


def _load(write_briefing, **values: str) -> briefgen.Briefing:
    return briefgen.load(write_briefing(BRIEFING.format(**values)))


TRADITIONAL = {
    "lang": "zh-Hant",
    "title": "頭髮與發展",
    "event": "葉利欽訪問",
    "name": "葉利欽",
    "role": "總統",
    "tag": "軟體",
}


def test_simplified_edition_converts_by_phrase_and_sets_the_language(write_briefing):
    converted = edition(_load(write_briefing, **TRADITIONAL), "hans")
    # 髮 and 發 both become 发: a character table would get the reverse wrong, not this way.
    assert converted.title == "头发与发展"
    assert converted.lang == "zh-Hans"
    assert converted.events[0].title == "叶利钦访问"
    # Names convert everywhere, so an event still names someone under people.
    assert converted.people[0].name == "叶利钦" and converted.people[0].role == "总统"
    assert converted.events[0].people == ("叶利钦",)
    # Web addresses, alone or in a Markdown link, stay as written.
    assert converted.summary == "见[发展报告](https://example.org/發展)。"
    assert converted.sources[0].url == "https://example.org/頭髮"
    assert converted.events[0].tags == ("软体",)  # characters only, no regional words


@pytest.mark.parametrize("vocabulary", [False, True])
def test_simplified_edition_writes_the_mainland_standard_for_variants_opencc_keeps(
    write_briefing, vocabulary
):
    briefing = _load(write_briefing, **TRADITIONAL)
    briefing = dataclasses.replace(briefing, summary="供應砲彈與大砲。")
    assert edition(briefing, "hans", vocabulary).summary == "供应炮弹与大炮。"
    animals = dataclasses.replace(briefing, summary="熊貓抵達，牠們將留在動物園。")
    assert edition(animals, "hans", vocabulary).summary == "熊猫抵达，它们将留在动物园。"
    # A Traditional edition keeps the character: 砲 is the Taiwan form.
    simplified = dataclasses.replace(briefing, lang="zh-Hans", summary="供应砲弹与大砲。")
    assert edition(simplified, "hant").summary == "供應砲彈與大砲。"


def test_traditional_edition_picks_the_right_character_for_each_phrase(write_briefing):
    simplified = {
        "lang": "zh-Hans",
        "title": "头发与发展",
        "event": "叶利钦访问",
        "name": "叶利钦",
        "role": "总统",
        "tag": "软件",
    }
    converted = edition(_load(write_briefing, **simplified), "hant")
    assert converted.title == "頭髮與發展"  # 发 is 髮 in 头发 and 發 in 发展
    assert converted.people[0].name == "葉利欽" and converted.lang == "zh-Hant"
    assert converted.events[0].tags == ("軟件",)
    regional = edition(_load(write_briefing, **simplified), "hant", vocabulary=True)
    assert regional.events[0].tags == ("軟體",) and regional.lang == "zh-TW"
    back = edition(regional, "hans", vocabulary=True)
    assert back.events[0].tags == ("软件",) and back.lang == "zh-CN"


@pytest.mark.parametrize("vocabulary", [False, True])
def test_editions_read_and_write_the_forms_of_taiwans_standard(write_briefing, vocabulary):
    # Taiwan writes 著 for both zhe and zhu; the mainland 着 for the first, 著 for the second.
    briefing = _load(write_briefing, **TRADITIONAL)
    briefing = dataclasses.replace(briefing, summary="隨著局勢變化，他著手撰寫著作。")
    simplified = edition(briefing, "hans", vocabulary)
    assert simplified.summary == "随着局势变化，他着手撰写著作。"
    # And back: not OpenCC's own 爲, 着, 裏, 喫 that no Traditional reader writes.
    simplified = dataclasses.replace(simplified, summary="为了随着里面的人吃药，着手写著作。")
    traditional = edition(simplified, "hant", vocabulary).summary
    assert traditional == "為了隨著裡面的人吃藥，著手寫著作。"


@pytest.mark.parametrize(
    ("script", "vocabulary"), [("hans", False), ("hans", True), ("hant-hk", False)]
)
def test_editions_keep_taiwans_zhu_in_the_words_of_writing(write_briefing, script, vocabulary):
    # A work's 原著, an author's 編著 and 專著, 成效卓著 and the 土著 are 著 on the mainland
    # and in Hong Kong too: OpenCC's list of Taiwan's forms knows only 著作, 名著 and a few,
    # and made these 原着, 编着, 专着, 卓着 and 土着. Its 着 stays where Taiwan's 著 is zhe.
    briefing = _load(write_briefing, **TRADITIONAL)
    text = "改編自原著，他編著、撰著的專著成效卓著；土著隨著局勢討論著，著手重建。"
    converted = edition(dataclasses.replace(briefing, summary=text), script, vocabulary)
    if script == "hans":
        assert (
            converted.summary
            == "改编自原著，他编著、撰著的专著成效卓著；土著随着局势讨论着，着手重建。"
        )
    else:
        assert (
            converted.summary
            == "改編自原著，他編著、撰著的專著成效卓著；土著隨着局勢討論着，着手重建。"
        )


@pytest.mark.parametrize(
    ("script", "vocabulary"), [("hans", False), ("hans", True), ("hant-hk", False)]
)
def test_editions_write_taiwans_hua_of_planning_as_the_mainland_and_hong_kong_do(
    write_briefing, script, vocabulary
):
    # Taiwan's standard writes 畫 for to plan and to mark off (規畫, 策畫, 畫分), where the
    # mainland writes 划 and Hong Kong 劃: the editions had 规画, 策画 and 画分. A drawing's
    # 畫 stays 画, and so does the 畫上句點 that ends a 政策.
    briefing = _load(write_briefing, **TRADITIONAL)
    text = "規畫與策畫企畫，畫分選區，整齊畫一；計畫書。漫畫與畫面，為政策畫上句點。"
    converted = edition(dataclasses.replace(briefing, summary=text), script, vocabulary)
    if script == "hans":
        expected = "规划与策划企划，划分选区，整齐划一；计划书。漫画与画面，为政策画上句点。"
    else:
        expected = "規劃與策劃企劃，劃分選區，整齊劃一；計劃書。漫畫與畫面，為政策畫上句點。"
    assert converted.summary == expected


@pytest.mark.parametrize("vocabulary", [False, True])
def test_a_hong_kong_briefing_loses_its_own_forms_in_simplified(write_briefing, vocabulary):
    values = dict(TRADITIONAL, lang="zh-HK", event="捍衞國家，敍利亞局勢，着手")
    converted = edition(_load(write_briefing, **values), "hans", vocabulary)
    assert converted.events[0].title == "捍卫国家，叙利亚局势，着手"


@pytest.mark.parametrize("vocabulary", [False, True])
def test_a_hong_kong_briefing_in_taiwans_forms_is_simplified_as_a_taiwan_one(
    write_briefing, vocabulary
):
    values = dict(TRADITIONAL, lang="zh-HK", event="隨著局勢，著手捍衞")
    converted = edition(_load(write_briefing, **values), "hans", vocabulary)
    assert converted.events[0].title == "随着局势，着手捍卫"


def test_verbatim_terms_are_never_converted(write_briefing):
    source = write_briefing(BRIEFING.format(**TRADITIONAL) + "verbatim: [發展]\n")
    converted = edition(briefgen.load(source), "hans")
    assert converted.title == "头发与發展"
    assert converted.summary == "见[發展报告](https://example.org/發展)。"
    assert converted.verbatim == ("發展",)


def test_simplified_edition_writes_the_mainland_quotation_marks(write_briefing):
    values = dict(TRADITIONAL, event="他說「這是『最後』一次」", role="見「後漢書」與「頭髮」")
    source = write_briefing(BRIEFING.format(**values) + "verbatim: [「後漢書」]\n")
    converted = edition(briefgen.load(source), "hans")
    # Mark for mark, the inner quotation inside the outer, as briefgen's quotes rule sets
    # straight quotes in zh-Hans.
    assert converted.events[0].title == "他说“这是‘最后’一次”"
    assert converted.people[0].role == "见「後漢書」与“头发”"  # a verbatim term as written


def test_traditional_edition_writes_corner_brackets_around_chinese_only(write_briefing):
    simplified = {
        "lang": "zh-Hans",
        "title": "他说“这是‘最后’一次”",
        "event": "金正日说“yes”。Kim’s “own” words",
        "name": "叶利钦",
        "role": "总统",
        "tag": "软件",
    }
    source = write_briefing(BRIEFING.format(**simplified) + "verbatim: [后汉书]\n")
    converted = edition(briefgen.load(source), "hant")
    assert converted.title == "他說「這是『最後』一次」"
    # Beside Chinese text, a quotation of Latin text takes them too; an apostrophe and a
    # quotation within Latin text keep their curly marks.
    assert converted.events[0].title == "金正日說「yes」。Kim’s “own” words"
    # The two marks of a quotation around a verbatim term both change.
    around = dict(simplified, event="见“后汉书”")
    source = write_briefing(BRIEFING.format(**around) + "verbatim: [后汉书]\n", "around.yaml")
    assert edition(briefgen.load(source), "hant").events[0].title == "見「后汉书」"


def test_a_quotation_of_several_paragraphs_opens_each_with_a_corner_bracket():
    # Each paragraph opens with a mark, and only the last closes (GB/T 15834).
    text = "他说：\n\n“第一段。\n\n“第二段。”\n\n“English only"
    assert requote(text, "zh-Hant") == "他说：\n\n「第一段。\n\n「第二段。」\n\n“English only"
    assert requote("「第一段。\n\n「第二段。」", "zh-Hans") == "“第一段。\n\n“第二段。”"


def test_only_chinese_briefings_have_editions(write_briefing):
    briefing = briefgen.loads("title: t\nlang: ja\nevents: [{start: 1950, title: 出来事}]\n")
    with pytest.raises(briefgen.UsageError, match=r"^edition\(\) converts .* lang is ja$"):
        edition(briefing, "hans")
    with pytest.raises(briefgen.UsageError, match="unknown script 'zh'"):
        edition(briefing, "zh")


def test_a_briefing_made_wrong_in_python_is_named_by_its_field_not_failed_inside(sample):
    """As build() and the render functions hold such a briefing to the file's rules."""
    made = dataclasses.replace(sample, events=({"start": 1950, "title": "事件"},))
    with pytest.raises(briefgen.BriefingError) as raised:
        edition(made, "hans")
    [problem] = raised.value.problems
    assert (problem.field, problem.message) == (
        "events[0]",
        "expected Event (an event), found dict {'start': 1950, 'title': '事件'}",
    )
    with pytest.raises(TypeError, match=r"expected a briefgen\.Briefing, found dict"):
        edition({"title": "頭髮", "lang": "zh-Hant"}, "hans")  # type: ignore[arg-type]
    with pytest.raises(briefgen.UsageError, match=r"unknown script \['hans'\]"):
        edition(sample, ["hans"])  # type: ignore[arg-type]


def test_vocabulary_is_true_or_false(sample):
    """As BuildOptions takes marks: a "no" read from a caller's settings was true, and the
    edition's words were converted (软件 for 軟體) with its script."""
    with pytest.raises(TypeError, match=r"^vocabulary must be True or False, not str$"):
        edition(sample, "hans", "no")  # type: ignore[arg-type]
    assert edition(sample, "hans", False).lang == "zh-Hans"


@pytest.mark.parametrize(
    ("lang", "script"), [("zh-CN", "hans"), ("zh-TW", "hant"), ("zh-HK", "hant-hk")]
)
def test_a_briefing_already_in_the_script_is_not_converted_again(
    write_briefing, capsys, lang, script
):
    values = dict(TRADITIONAL, lang=lang, event="於姓與隨着")
    source = write_briefing(BRIEFING.format(**values))
    with pytest.raises(briefgen.UsageError, match=f"lang is {lang}, already") as refused:
        edition(briefgen.load(source), script)
    # Told of the call it made: a pipeline never typed --script.
    assert str(refused.value).startswith(f'edition(briefing, "{script}") makes a ')
    assert str(refused.value).endswith(": use the briefing as it is")
    # The command line says so, and writes no edition whose 於 became 于 or 着 著.
    assert main(["build", str(source), "--script", script, "-o", str(source.parent)]) == 2
    assert "without --script" in capsys.readouterr().err
    assert not list(source.parent.glob("*.pdf"))


def test_vocabulary_needs_a_script(tmp_path, capsys):
    assert main(["build", "--vocabulary", "-o", str(tmp_path)]) == 2
    assert "--vocabulary goes with --script hans, hant or hant-hk" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_the_library_names_an_editions_files_as_the_command_line_does(write_briefing, tmp_path):
    """build() named an edition's files as the original's (out/briefing.html): built into one
    folder, the edition wrote over the original without a word, where --script hans wrote
    briefing.zh-Hans.html beside it."""
    source = write_briefing(BRIEFING.format(**TRADITIONAL), name="memo.yaml")
    original = briefgen.load(source)
    out = tmp_path / "out"
    assert briefgen.build(original, "html", out) == [out / "memo.html"]
    assert briefgen.build(edition(original, "hans"), "html", out) == [out / "memo.zh-Hans.html"]
    assert "頭髮與發展" in (out / "memo.html").read_text(encoding="utf-8")
    assert "头发与发展" in (out / "memo.zh-Hans.html").read_text(encoding="utf-8")
    # The same names as the command line's.
    cli = tmp_path / "cli"
    for script in (["--script", "hans"], ["--script", "hans", "--vocabulary"]):
        assert main(["build", str(source), *script, "-f", "html", "-o", str(cli)]) == 0
    assert sorted(path.name for path in cli.iterdir()) == ["memo.zh-CN.html", "memo.zh-Hans.html"]
    mainland = edition(original, "hans", vocabulary=True)
    assert briefgen.build(mainland, "html", cli) == [cli / "memo.zh-CN.html"]
    # One read from memory is "briefing", its edition "briefing.zh-Hans"; stem= names either.
    in_memory = edition(briefgen.loads(source.read_text(encoding="utf-8")), "hans")
    assert briefgen.build(in_memory, "html", out) == [out / "briefing.zh-Hans.html"]
    assert briefgen.build(in_memory, "html", out, stem="simplified") == [out / "simplified.html"]


@pytest.mark.slow
def test_the_sample_in_simplified_reads_simplified_from_the_pdf(tmp_path, capsys):
    assert (
        main(["build", str(briefgen.sample_path()), "--script", "hans", "-o", str(tmp_path)]) == 0
    )
    pdf = tmp_path / "russia-north-korea.zh-Hans.pdf"
    assert capsys.readouterr().out.strip() == str(pdf)
    text = "".join(pypdf_pages(pdf.read_bytes()))
    assert "俄罗斯" in text and "朝鲜" in text
    assert "俄羅斯" not in text and "朝鮮" not in text
    assert "第 1 页／共" in text  # the Simplified labels come with the language
    # The sample's quotations in the mainland's marks.
    assert "“等距”" in text and "「" not in text
    # The byline's and the source's parts apart with the mainland's interpunct (U+00B7),
    # not the Traditional labels' katakana middle dot.
    assert "briefgen 编辑组·briefgen·2023" in text and "德国之声中文网·2023" in text
    assert "・" not in text


def test_a_source_title_in_another_language_is_cited_as_published(write_briefing):
    """A Japanese report cited in a Chinese briefing was converted with the briefing: its
    鮮 and 問題 set as the Simplified 鲜 and 问题, a title no Japanese writes, and marked ja."""
    source = write_briefing("""
        title: 朝鮮問題
        lang: zh-Hant
        events: [{start: 1991, title: 朝鮮問題}]
        sources:
          - {title: 北朝鮮問題の現状, lang: ja}
          - {title: 北朝鮮問題の現状と課題}
          - {title: 朝鮮問題研究}
    """)
    simplified = edition(briefgen.load(source), "hans")
    assert [source.title for source in simplified.sources] == [
        "北朝鮮問題の現状",
        "北朝鮮問題の現状と課題",  # Japanese by its kana, as the sources list marks it
        "朝鲜问题研究",
    ]
    assert simplified.title == "朝鲜问题"


def test_names_in_another_language_are_written_as_that_language_writes_them(write_briefing):
    """A person's alt name in Japanese or Korean and a publisher in kana were Simplified with
    the briefing's text: 小澤一郎 beside its kana set as 小泽一郎, the hanja 盧武鉉 as 卢武铉,
    a Japanese publisher's 讀賣 as 读卖, names no Japanese or Korean reader writes."""
    source = write_briefing("""
        title: 日韓關係
        lang: zh-Hant
        events: [{start: 2003, title: 盧武鉉就任, people: [盧武鉉, 小澤一郎, 習近平]}]
        people:
          - {name: 盧武鉉, alt: 盧武鉉, alt_lang: ko-Hani, role: 韓國總統}
          - {name: 小澤一郎, alt: 小澤一郎（おざわ いちろう）}
          - {name: 習近平, alt: 習近平, alt_lang: zh}
        sources:
          - {title: 日韓關係史, publisher: 讀賣新聞オンライン}
          - {title: 北朝鮮問題, lang: ja, publisher: 朝日新聞}
    """)
    simplified = edition(briefgen.load(source), "hans")
    assert [(person.name, person.alt) for person in simplified.people] == [
        ("卢武铉", "盧武鉉"),
        ("小泽一郎", "小澤一郎（おざわ いちろう）"),  # Japanese by its kana
        ("习近平", "习近平"),  # a Chinese alt name is Chinese text
    ]
    assert simplified.people[0].role == "韩国总统"
    assert [(source.title, source.publisher) for source in simplified.sources] == [
        ("日韩关系史", "讀賣新聞オンライン"),  # Japanese by its kana
        # Han alone is a name Chinese readers write too, as the mainland's press does.
        ("北朝鮮問題", "朝日新闻"),
    ]


def test_vocabulary_keeps_the_words_of_news_and_converts_computing_terms(write_briefing):
    """OpenCC's regional word list is made for computing terms: --vocabulary made a trip's
    行程 a process (进程), a briefing slides (演示文稿), records data (数据) and 和平进程 a
    和平程序. The news words stay, and the computing terms still convert."""
    source = write_briefing("""
        title: 這趟行程的簡報
        lang: zh-Hant
        summary: 兩國建立關係，執行協議；資料來源見資料庫，軟體存於記憶體。
        events: [{start: 1991, title: 事件}]
    """)
    mainland = edition(briefgen.load(source), "hans", vocabulary=True)
    assert mainland.title == "这趟行程的简报"
    assert mainland.summary == "两国建立关系，执行协议；资料来源见数据库，软件存于内存。"
    mainland = dataclasses.replace(
        mainland, lang="zh-CN", summary="和平进程与法律程序；软件存于内存。"
    )
    taiwan = edition(mainland, "hant", vocabulary=True)
    assert taiwan.summary == "和平進程與法律程序；軟體存於記憶體。"


def test_vocabulary_keeps_the_support_that_is_aid(write_briefing):
    """--vocabulary made Taiwan's 支援, aid and reinforcements, the mainland's 支持, backing:
    军事支持, 人道支持, 支持前线, where the mainland's press writes 军事支援, 人道支援 and
    支援前线. A help desk's 技術支援 is still the mainland's 技术支持."""
    source = write_briefing("""
        title: 俄國提供軍事支援與人道支援，支援前線
        lang: zh-Hant
        summary: 廠商提供技術支援。
        events: [{start: 2022, title: 事件}]
    """)
    mainland = edition(briefgen.load(source), "hans", vocabulary=True)
    assert mainland.title == "俄国提供军事支援与人道支援，支援前线"
    assert mainland.summary == "厂商提供技术支持。"


def test_vocabulary_writes_the_names_of_the_news_as_the_mainland_does(write_briefing):
    """OpenCC's list made 歐巴馬 the mainland's 奥巴马 and left 川普, 普丁 and 戈巴契夫 as
    Taiwan writes them: a mainland edition set 奥巴马 beside 川普. Every field is converted
    alike, the people's index too; 四川普通話 holds no 川普."""
    source = write_briefing("""
        title: 普丁與川普會面
        lang: zh-Hant
        summary: 歐巴馬、葉爾欽與戈巴契夫之後，小布希來到四川普通話流行的地方。
        events: [{start: 1991, title: 梅德維傑夫出訪, people: [普丁]}]
        people: [{name: 普丁, role: 俄羅斯總統}]
    """)
    mainland = edition(briefgen.load(source), "hans", vocabulary=True)
    assert mainland.title == "普京与特朗普会面"
    assert mainland.summary == "奥巴马、叶利钦与戈尔巴乔夫之后，小布什来到四川普通话流行的地方。"
    assert mainland.events[0].title == "梅德韦杰夫出访"
    assert mainland.events[0].people == ("普京",) and mainland.people[0].name == "普京"
    # Back to Taiwan's, and left alone without --vocabulary.
    taiwan = edition(mainland, "hant", vocabulary=True)
    assert taiwan.title == "普丁與川普會面"
    assert edition(briefgen.load(source), "hans").title == "普丁与川普会面"


def test_a_simplified_edition_writes_the_mainlands_interpunct_in_names(write_briefing):
    """Traditional texts part a name with ・ or ‧; a Simplified edition kept them, where a
    mainland reader writes · (GB/T 15834), and a search for 麦克·蓬佩奥 found nothing."""
    source = write_briefing("""
        title: 國務卿麥克・蓬佩奧訪問
        lang: zh-Hant
        summary: 約翰‧甘迺迪與キム・イルソン。
        events: [{start: 2018, title: 訪問, people: [麥克・蓬佩奧]}]
        people: [{name: 麥克・蓬佩奧, alt: Mike Pompeo}]
    """)
    simplified = edition(briefgen.load(source), "hans")
    assert simplified.title == "国务卿麦克·蓬佩奥访问"
    assert simplified.summary == "约翰·甘迺迪与キム・イルソン。"  # Japanese between kana
    assert simplified.people[0].name == simplified.events[0].people[0] == "麦克·蓬佩奥"


def test_a_name_with_a_latin_initial_takes_the_mainlands_interpunct_throughout(write_briefing):
    """約翰・F・甘迺迪 came out of a Simplified edition as 约翰・F・甘迺迪: the dots beside the
    initial are between a Han character and a Latin letter, and were left, so the name was
    written with the Traditional dot where a mainland reader writes 约翰·F·甘迺迪."""
    source = write_briefing("""
        title: 約翰・F・甘迺迪與喬治‧W‧布希
        lang: zh-Hant
        summary: キム・J・イルソン。
        events: [{start: 1961, title: 就職}]
    """)
    simplified = edition(briefgen.load(source), "hans")
    assert simplified.title == "约翰·F·甘迺迪与乔治·W·布希"
    assert simplified.summary == "キム・J・イルソン。"  # Japanese between kana and a letter


def test_a_names_dot_beside_a_verbatim_term_takes_the_mainlands_interpunct(write_briefing):
    """With verbatim: [乾隆], 乾隆・弘曆 came out of a Simplified edition as 乾隆・弘历: each
    stretch between kept terms was converted alone, and the dot's Han neighbour was not in
    its stretch. A dot inside a verbatim term is as its writer wrote it."""
    source = write_briefing("""
        title: 乾隆・弘曆
        lang: zh-Hant
        summary: 弘曆・乾隆與愛新覺羅・胤禛。
        events: [{start: 1736, title: 即位}]
        verbatim: [乾隆, 愛新覺羅・胤禛]
    """)
    simplified = edition(briefgen.load(source), "hans")
    assert simplified.title == "乾隆·弘历"
    assert simplified.summary == "弘历·乾隆与愛新覺羅・胤禛。"


def test_a_name_with_two_latin_initials_takes_the_mainlands_interpunct_throughout(
    write_briefing,
):
    """喬治・H・W・布希 came out of a Simplified edition as 乔治·H・W·布什: the dot between the
    two initials has a Latin letter on each side, and was left, so the name was written
    with both dots. A dot between two Latin words not in a Han name stays as written."""
    source = write_briefing("""
        title: 喬治・H・W・布希
        lang: zh-Hant
        summary: 型號A・B。キム・J・K・イルソン。
        events: [{start: 1989, title: 就職}]
    """)
    simplified = edition(briefgen.load(source), "hans")
    assert simplified.title == "乔治·H·W·布希"
    assert simplified.summary == "型号A・B。キム・J・K・イルソン。"


def test_a_hong_kong_edition_writes_hong_kongs_forms(write_briefing, tmp_path):
    """A Hong Kong desk had only --script hant, whose Taiwan forms (著手, 裡面, 溫度, 衛星)
    a Hong Kong reader does not write, under zh-Hant's labels and glyph forms."""
    source = write_briefing("""
        title: 着手重建
        lang: zh-Hans
        summary: 为“捍卫”盟友，里面的温度、峰会与卫星图像显示。
        events: [{start: 2015, title: 俄军空袭叙利亚}]
    """)
    hong_kong = edition(briefgen.load(source), "hant-hk")
    assert hong_kong.lang == "zh-HK"
    assert hong_kong.title == "着手重建"
    assert hong_kong.summary == "為「捍衞」盟友，裏面的温度、峯會與衞星圖像顯示。"
    assert hong_kong.events[0].title == "俄軍空襲敍利亞"
    out = tmp_path / "out"
    assert main(["build", str(source), "--script", "hant-hk", "-f", "html", "-o", str(out)]) == 0
    html = (out / "briefing.zh-HK.html").read_text(encoding="utf-8")
    assert '<html lang="zh-HK"' in html and "着手重建" in html
    with pytest.raises(briefgen.UsageError, match="already Hong Kong Traditional"):
        edition(hong_kong, "hant-hk")


def test_a_taiwan_briefing_has_a_hong_kong_edition(write_briefing, capsys):
    """A Hong Kong desk sent a Taiwan briefing was refused --script hant-hk, as if it were
    already in Hong Kong's forms: 隨著, 著手, 裡面, 溫度 and 衛星 are Taiwan's."""
    source = write_briefing("""
        title: 隨著關係回溫，著手撰寫著作
        lang: zh-Hant
        summary: 裡面的溫度、峰會與衛星。
        events: [{start: 2015, title: 為了捍衛}]
    """)
    hong_kong = edition(briefgen.load(source), "hant-hk")
    assert hong_kong.lang == "zh-HK"
    assert hong_kong.title == "隨着關係回温，着手撰寫著作"
    assert hong_kong.summary == "裏面的温度、峯會與衞星。"
    assert hong_kong.events[0].title == "為了捍衞"
    with pytest.raises(briefgen.UsageError, match="OpenCC has no list of Taiwan's") as refused:
        edition(briefgen.load(source), "hant-hk", vocabulary=True)
    # Told of the call it made, as the other refusals of edition() are: it typed no flag.
    assert str(refused.value).startswith("vocabulary=True converts the mainland's words")
    assert str(refused.value).endswith('call edition(briefing, "hant-hk") without it')
    argv = ["build", str(source), "--script", "hant-hk", "--vocabulary", "-o", str(source.parent)]
    assert main(argv) == 2
    assert "build the edition without --vocabulary" in capsys.readouterr().err


def test_a_hong_kong_briefing_has_a_taiwan_edition(write_briefing, capsys):
    """A Hong Kong briefing was refused --script hant as already Traditional, though 着手, 裏面,
    温度, 峯會 and 衞星 are Hong Kong's forms, which a Taiwan reader does not write."""
    source = write_briefing("""
        title: 隨着關係回温，着手撰寫著作
        lang: zh-HK
        summary: 裏面的温度、峯會與衞星，敍利亞局勢。
        events: [{start: 2015, title: 為了捍衞}]
    """)
    taiwan = edition(briefgen.load(source), "hant")
    assert taiwan.lang == "zh-Hant"
    assert taiwan.title == "隨著關係回溫，著手撰寫著作"
    assert taiwan.summary == "裡面的溫度、峰會與衛星，敘利亞局勢。"
    assert taiwan.events[0].title == "為了捍衛"
    out = source.parent / "out"
    assert main(["build", str(source), "--script", "hant", "-f", "html", "-o", str(out)]) == 0
    html = (out / "briefing.zh-Hant.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hant"' in html and "著手撰寫著作" in html
    # OpenCC has no list of Hong Kong's words to take to Taiwan's.
    with pytest.raises(briefgen.UsageError, match="OpenCC has no list of Hong Kong's") as refused:
        edition(briefgen.load(source), "hant", vocabulary=True)
    assert str(refused.value).endswith('call edition(briefing, "hant") without it')
    argv = ["build", str(source), "--script", "hant", "--vocabulary", "-o", str(out)]
    assert main(argv) == 2
    assert "build the edition without --vocabulary" in capsys.readouterr().err


@pytest.mark.parametrize("given", ["brief.yaml", "path"])
def test_a_path_given_for_the_briefing_is_told_to_be_loaded_first(write_briefing, given):
    # build() takes a path, and a developer tried edition() the same way: the error named
    # only the type found.
    path = write_briefing("title: 頭髮\nevents: [{start: 1950, title: 事件}]\n")
    with pytest.raises(TypeError, match=r"found \w+: load the file first, briefgen\.load"):
        briefgen.edition(str(path) if given == "brief.yaml" else path, "hans")
    with pytest.raises(TypeError, match=r"found dict$"):
        briefgen.edition({"title": "t"}, "hans")  # type: ignore[arg-type]
