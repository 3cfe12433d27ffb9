"""Labels and date wording per language, made at render time from the briefing's language."""

from __future__ import annotations

import dataclasses
import re
import zipfile

import pytest

import briefgen
from briefgen.i18n import LANGUAGES, language


@pytest.mark.parametrize(
    ("lang", "start", "end", "label"),
    [
        ("zh-Hant", "1950", "1953", "1950年至1953年"),
        ("zh-Hant", "1950-06", None, "1950年6月"),
        ("zh-Hant", "2023-09-12", None, "2023年9月12日"),
        ("zh-Hans", "1950", "1953", "1950年至1953年"),
        ("ja", "1950-06-25", "1953-07-27", "1950年6月25日～1953年7月27日"),
        ("ko", "1950-06", None, "1950년 6월"),
        # 한글 맞춤법's punctuation rules set the tilde of a range close on both sides.
        ("ko", "1950-06-25", "1953-07-27", "1950년 6월 25일~1953년 7월 27일"),
        ("ko", "1942", "1945", "1942년~1945년"),
        ("en", "1950-06-25", None, "25 June 1950"),
        ("en", "1950", "1953", "1950–1953"),
        ("en", "1950-12", "1950-12", "December 1950"),
        # A period within one year says the year once, and one within a month its month
        # once, as an editor writes it in each language (not 2021年9月至2021年10月).
        ("zh-Hant", "2021-09", "2021-10", "2021年9月至10月"),
        ("zh-Hant", "2021-09-01", "2021-09-20", "2021年9月1日至20日"),
        ("zh-Hant", "2021-09-01", "2021-10-03", "2021年9月1日至10月3日"),
        ("zh-Hant", "2021-09", "2022-01", "2021年9月至2022年1月"),
        ("zh-Hans", "2021-09-01", "2021-09-20", "2021年9月1日至20日"),
        ("ja", "2021-09-01", "2021-09-20", "2021年9月1日～20日"),
        ("ja", "2021-09", "2021-10", "2021年9月～10月"),
        ("ko", "2021-09-01", "2021-09-20", "2021년 9월 1일~20일"),
        ("ko", "2021-09", "2021-10", "2021년 9월~10월"),
        # An end with only a year keeps the other's: 2021年至10月 would begin in a month.
        ("zh-Hant", "2021", "2021-10", "2021年至2021年10月"),
        # The en dash closed between two words of a kind, spaced (no line begins with it)
        # where an end is more words.
        ("en", "2021-09-01", "2021-09-20", "1–20 September 2021"),
        ("en", "2021-09", "2021-10", "September–October 2021"),
        ("en", "2021-09-01", "2021-10-03", "1 September\u00a0– 3 October 2021"),
        ("en", "2021-09", "2022-01", "September 2021\u00a0– January 2022"),
        ("en", "1950-06-25", "1953-07-27", "25 June 1950\u00a0– 27 July 1953"),
        ("en", "2021-09", "2021-09-20", "September\u00a0– 20 September 2021"),
    ],
)
def test_period_is_written_in_the_briefing_language(write_briefing, lang, start, end, label):
    end_line = f"\n            end: {end}" if end else ""
    path = write_briefing(f"""
        title: t
        lang: {lang}
        events:
          - start: {start}{end_line}
            title: e
    """)
    briefing = briefgen.load(path)
    assert language(briefing.lang).period(briefing.events[0]) == label


def test_a_period_within_a_year_says_its_year_once_everywhere(tmp_path):
    """The contents, the heading and the people's appearances of the HTML, and the EPUB's
    table of contents, all write the label one way."""
    briefing = briefgen.loads(
        "title: t\nlang: zh-Hant\nevents:\n"
        "  - {start: 2021-09-01, end: 2021-09-20, title: 選舉, people: [甲]}\n"
        "people:\n  - {name: 甲}\n"
    )
    # As read: the contents keep each date of a label whole in a span of its own.
    text = re.sub(r"<[^>]*>", "", briefgen.render_html(briefing))
    assert text.count("2021年9月1日至20日") >= 3  # contents, heading, the person's entry
    assert "2021年9月1日至2021年" not in text
    [epub] = briefgen.build(briefing, "epub", tmp_path, stem="b")
    with zipfile.ZipFile(epub) as book:
        nav = next(book.read(name).decode() for name in book.namelist() if "nav" in name)
    assert "2021年9月1日至20日" in nav


def test_an_own_when_label_is_kept(write_briefing):
    path = write_briefing("""
        title: t
        events:
          - {start: 1970, end: 1979, when: 20世紀70年代, title: e}
    """)
    briefing = briefgen.load(path)
    assert language("en").period(briefing.events[0]) == "20世紀70年代"


def test_changing_the_language_changes_the_labels_in_the_output(write_briefing):
    """Nothing derived from the language is frozen at load time."""
    path = write_briefing("""
        title: t
        date: 2023-09-13
        events:
          - {start: 1950-06-25, end: 1953-07-27, title: e}
    """)
    english = dataclasses.replace(briefgen.load(path), lang="en")
    html = briefgen.render_html(english)
    assert "25 June 1950\u00a0– 27 July 1953" in html
    assert "13 September 2023" in html
    assert ">Contents<" in html
    assert "年" not in html.split("</style>", 1)[1]


def test_every_language_tag_has_labels_for_every_part():
    for tag, labels in LANGUAGES.items():
        assert labels.contents and labels.summary and labels.people and labels.sources, tag
        assert "counter(page)" in labels.page_of and "counter(pages)" in labels.page_of, tag


@pytest.mark.parametrize("tag", sorted(LANGUAGES))
def test_the_field_separator_stands_clear_of_the_words_it_parts(tag):
    """The byline's separator, shaped as the shipped bold sans draws it in the language
    between two Latin words: with the spaces around it, at least half an em, so that the
    words do not touch it (the Japanese forms draw ・ as a dot 0.38 em wide)."""
    import uharfbuzz as hb

    from briefgen import fonts

    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(fonts.SANS_BOLD.path))))
    separator = language(tag).field_separator
    buffer = hb.Buffer()
    buffer.add_str(f"a{separator}b")
    buffer.guess_segment_properties()
    buffer.language = tag
    hb.shape(font, buffer, {})
    advances = [position.x_advance for position in buffer.glyph_positions][1:-1]
    assert sum(advances) >= 500, (separator, advances)


@pytest.mark.parametrize(
    ("tag", "one", "five"),
    [
        ("zh-Hant", "1件", "5件"),
        ("ja", "1件", "5件"),
        ("ko", "1건", "5건"),
        ("en", "1 event", "5 events"),
    ],
)
def test_a_count_of_events_says_what_it_counts(tag, one, five):
    assert (language(tag).event_count(1), language(tag).event_count(5)) == (one, five)


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "separator"), [("en", "\u2002"), ("zh-Hant", "\u3000")])
def test_a_period_and_its_title_are_parted_as_the_language_parts_them(lang, separator):
    """English has no ideographic space: a U+3000 between an event's date and its title was
    read back, copied and shown as a wide CJK space in English headings, contents, the
    EPUB's table of contents, the PDF's bookmarks and the handout. English takes an en
    space; Chinese keeps its full-width one."""
    import io
    import re
    import zipfile

    from pypdf import PdfReader

    briefing = briefgen.loads(
        f"title: t\nlang: {lang}\nevents:\n  - {{start: 1950-06-25, title: War begins}}\n"
    )
    period = language(lang).period(briefing.events[0])
    heading = f"{period}{separator}War begins"
    other = ({"\u2002", "\u3000"} - {separator}).pop()

    html = briefgen.render_html(briefing)
    shown = re.sub(r"<[^>]+>", "", html.split("</style>", 1)[1])
    assert heading in shown and other not in shown

    book = zipfile.ZipFile(io.BytesIO(briefgen.render_epub(briefing)))
    for name in ("EPUB/text/nav.xhtml", "EPUB/text/event-01.xhtml", "EPUB/toc.ncx"):
        text = re.sub(r"<[^>]+>", "", book.read(name).decode("utf-8"))
        assert heading in text and other not in text, name

    # The PDF draws no glyph for a space; its bookmarks keep the heading's text.
    pdf = PdfReader(io.BytesIO(briefgen.render_pdf(briefing)))
    [_, [bookmark]] = pdf.outline  # the title, and the event under it
    assert bookmark.title == heading


@pytest.mark.parametrize(
    ("alt", "lang", "marked"),
    [
        ("김일성", "zh-Hant", "ko"),
        ("金正恩 김정은", "ja", "ko"),  # Hangul with Han is Korean mixed script
        ("キム・イルソン", "zh-Hant", "ja"),
        ("あべ しんぞう", "ko", "ja"),
        ("김일성", "ko", None),  # the briefing's own language needs no mark
        ("プーチン", "ja", None),
        ("Kim Il-sung", "zh-Hant", None),  # Latin and Cyrillic: written in many languages
        ("Ким Ир Сен", "zh-Hant", None),
        ("金日成", "ko", None),  # Han alone: Chinese, Japanese or Korean
        ("김일성 (Kim Il-sung)", "zh-Hant", None),  # two scripts, and maybe two languages
    ],
)
def test_a_name_is_marked_with_the_language_its_script_names(alt, lang, marked):
    from briefgen.i18n import script_language

    assert script_language(alt, lang) == marked


@pytest.mark.slow
def test_a_name_in_hangul_or_kana_reads_in_its_own_language(tmp_path):
    """A person's alt name carried no language of its own, so a screen reader read 김일성 or
    キム・イルソン in a Chinese briefing with the Chinese voice, which cannot say it. Where
    the script names the language, the HTML and the EPUB now say it; the book stays valid."""
    import io
    import re
    import zipfile

    from test_epub import _epubcheck, require_java

    briefing = briefgen.loads(
        "title: 名字\nevents:\n  - {start: 1950, title: 戰爭}\npeople:\n"
        "  - {name: 金日成, alt: 김일성}\n  - {name: 普丁, alt: Владимир Путин}\n"
        "  - {name: 安倍晉三, alt: あべ しんぞう}\n  - {name: 孫中山, alt: Sun Yat-sen}\n"
    )
    expected = [
        '<span class="alt" lang="ko">김일성</span>',
        '<span class="alt">Владимир Путин</span>',
        '<span class="alt" lang="ja">あべ しんぞう</span>',
        '<span class="alt">Sun Yat-sen</span>',
    ]
    alts = re.compile(r'<span class="alt"[^>]*>[^<]*</span>')
    assert alts.findall(briefgen.render_html(briefing)) == expected
    data = briefgen.render_epub(briefing)
    people = zipfile.ZipFile(io.BytesIO(data)).read("EPUB/text/people.xhtml").decode("utf-8")
    assert alts.findall(people) == expected

    require_java()
    status, report = _epubcheck(data, tmp_path)
    messages = [f"{m['severity']} {m['ID']} {m['message']}" for m in report["messages"]]
    assert [m for m in messages if "CSS-028" not in m] == [] and status == 0, messages


def test_an_alt_name_is_marked_with_the_language_its_author_gives():
    """Latin and Cyrillic name no language of their own: alt_lang says it, and it wins over
    what the script would say."""
    import re

    briefing = briefgen.loads(
        "title: 名字\nevents:\n  - {start: 1950, title: 戰爭}\npeople:\n"
        "  - {name: 普丁, alt: Владимир Путин, alt_lang: ru}\n"
        "  - {name: 金日成, alt: Kim Il-sung, alt_lang: en}\n"
        "  - {name: 金正恩, alt: 김정은, alt_lang: ko-Kore}\n"
    )
    assert re.findall(r'<span class="alt"[^>]*>', briefgen.render_html(briefing)) == [
        '<span class="alt" lang="ru">',
        '<span class="alt" lang="en">',
        '<span class="alt" lang="ko-Kore">',
    ]


def test_a_source_title_in_another_language_is_marked_with_it(tmp_path):
    """A source's title is often in the language it was published in: an English or a
    Korean report cited in a Chinese briefing was read by the Chinese voice. Its `lang`
    marks it in the HTML, the EPUB and the PDF's structure tree; without it a title or a
    publisher's name in Hangul or kana is marked by its script, and Latin is left to the
    briefing's language rather than guessed."""
    import io
    import re
    import zipfile

    from test_tagging import text_by_language

    briefing = briefgen.loads(
        "title: 來源\nevents:\n  - {start: 1950, title: 戰爭}\nsources:\n"
        "  - {title: Russia and North Korea, lang: en, publisher: Reuters}\n"
        "  - {title: 북러 정상회담, publisher: 연합뉴스}\n"
        "  - {title: 日朝関係のいま, publisher: 朝日新聞}\n"
        "  - {title: Soviet Aid to Pyongyang}\n"
    )
    marked = re.compile(r'<(cite|span class="publisher")( lang="[^"]+")?>')
    expected = [
        ("cite", ' lang="en"'),
        ('span class="publisher"', ""),
        ("cite", ' lang="ko"'),
        ('span class="publisher"', ' lang="ko"'),
        ("cite", ' lang="ja"'),
        ('span class="publisher"', ""),  # Han alone names no language
        ("cite", ""),
    ]
    assert marked.findall(briefgen.render_html(briefing)) == expected
    book = zipfile.ZipFile(io.BytesIO(briefgen.render_epub(briefing)))
    assert marked.findall(book.read("EPUB/text/sources.xhtml").decode("utf-8")) == expected
    found = text_by_language(briefgen.render_pdf(briefing))
    assert found["en"].replace(" ", "") == "RussiaandNorthKorea"
    assert found["ko"].replace(" ", "") == "북러정상회담연합뉴스"
    assert found["ja"] == "日朝関係のいま"
    assert "Soviet" in found["zh-Hant"] and "Reuters" in found["zh-Hant"]
