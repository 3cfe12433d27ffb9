"""The typography pipeline: named rules, run on the text the format declares as typeset."""

from __future__ import annotations

import dataclasses
import difflib
import io
import itertools
import random
import re
import zipfile

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_epub import _epubcheck, require_java

import briefgen
from briefgen import load, typography
from briefgen.typography import matching
from conftest import pdftotext_pages


@pytest.fixture
def marking_rule(monkeypatch):
    """A rule that marks every text it is given (once: the rules run until a text is left
    as it is), registered for the test only."""

    def mark(text: str, lang: str) -> str:
        return text if text.startswith("«") else f"«{text}»"

    rule = typography.Rule("mark", mark, frozenset({"zh-Hant"}), "")
    monkeypatch.setattr(typography, "RULES", [rule])


def test_the_sample_is_already_clean(sample):
    assert typography.apply(sample) == sample
    assert list(typography.findings(sample)) == []


def test_rules_run_only_for_their_languages(marking_rule, write_briefing):
    briefing = load(write_briefing("title: 標題\nlang: ko\nevents: [{start: 1950, title: e}]\n"))
    assert typography.apply(briefing).title == "標題"


def test_rules_run_on_text_and_markdown_but_never_on_names(marking_rule, write_briefing):
    briefing = typography.apply(
        load(
            write_briefing("""
        title: 標題
        authors: [作者]
        publisher: 出版社
        summary: 摘要
        events:
          - {start: 1950, title: 事件, body: 內文, people: [金日成], tags: [戰爭], caption: 圖說}
        people:
          - {name: 金日成, alt: Kim Il-sung, role: 領導人}
        sources:
          - {title: 來源, publisher: 美聯社, url: "https://example.org/a", note: 註}
    """)
        )
    )
    assert (briefing.title, briefing.summary) == ("«標題»", "«摘要»")
    assert (briefing.authors, briefing.publisher) == (("作者",), "出版社")
    [event] = briefing.events
    assert (event.title, event.body, event.caption) == ("«事件»", "«內文»", "«圖說»")
    assert (event.people, event.tags, event.when) == (("金日成",), ("戰爭",), None)
    [person] = briefing.people
    assert (person.name, person.alt, person.role) == ("金日成", "Kim Il-sung", "«領導人»")
    [source] = briefing.sources
    assert (source.title, source.publisher, source.url, source.note) == (
        "«來源»",
        "美聯社",
        "https://example.org/a",
        "«註»",
    )


def test_a_rule_can_be_switched_off_by_name(marking_rule, write_briefing):
    briefing = load(write_briefing("title: 標題\nevents: [{start: 1950, title: e}]\n"))
    assert typography.apply(briefing, disabled=["mark"]).title == "標題"


def test_findings_say_what_the_rules_change_and_which_rule(write_briefing):
    """In the order of the text; a change two rules make together (the quote made a corner
    bracket, the stop after it made full width) is one change, named by both."""
    briefing = load(
        write_briefing("""
        title: 報告
        summary: |
          據美聯社(AP)報導,兩國
          宣布"全面合作".
        events: [{start: 1950, title: e}]
    """)
    )
    assert [(f.field, f.rule, f.before, f.after) for f in typography.findings(briefing)] == [
        ("summary", "punctuation-width", "社(A", "社（A"),
        ("summary", "punctuation-width", "P)報", "P）報"),
        ("summary", "punctuation-width", "導,兩", "導，兩"),
        ("summary", "segment-breaks", "國\n宣", "國宣"),
        ("summary", "quotes", '布"全', "布「全"),
        ("summary", "quotes", '作".', "作」。"),
        ("summary", "punctuation-width", '作".', "作」。"),
    ]
    # What the findings say is what the build makes of the text.


# What the rules look at: CJK text and its marks, the ASCII stand-ins they replace, spaces,
# line breaks, Markdown emphasis, and what masking hides (code, addresses, entities).
_RULE_PIECES = st.sampled_from(
    [
        *"金正恩訪問俄羅斯かなカナ한국abc019 \t\n\u3000.,:;!?()\"'-─－―…⋯",
        *"。，、：；！？（）「」*_`#>+",
        *("](https://a.b/c)", "&amp;", "<https://x.y>", "a@b.cd"),
    ]
)
_RULE_TEXT = st.lists(_RULE_PIECES, max_size=24).map("".join)


@settings(max_examples=400, deadline=None)
@given(text=_RULE_TEXT, lang=st.sampled_from(["zh-Hant", "zh-Hans", "ja", "ko"]))
def test_texts_passed_by_are_those_no_rule_would_change(text, lang):
    # Each rule's `needs` only spares work: with every rule run on every text, the result is
    # the same.
    everything = re.compile("")
    every_text = [dataclasses.replace(rule, needs=everything) for rule in typography.RULES]
    expected = typography.run(text, lang)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typography, "RULES", every_text)
        assert typography.run(text, lang) == expected
    for rule in typography.RULES:
        alone = typography.run(text, lang, [r for r in typography.rule_names() if r != rule.name])
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(typography, "RULES", every_text)
            assert (
                typography.run(text, lang, [r for r in typography.rule_names() if r != rule.name])
                == alone
            )


def test_a_rule_is_asked_of_the_text_the_rules_before_it_left():
    # The space after `,` is a segment break's business only once the comma is full width.
    assert typography.run("中, abc", "zh-Hant") == "中，abc"
    assert typography.run("中,\nabc", "zh-Hant") == "中，abc"
    # What segment-breaks passes by: paragraph breaks, list items, spaces in Western text.
    for text in (
        "中\n\n文",
        "中\n- 文",
        "中\n1. 文",
        "a b",
        "中\n# 文",
        "中。\n***\n文",
        "中。\n---",
    ):
        assert typography.run(text, "zh-Hant") == text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # The quotes are CJK text's only once punctuation-width, after them, made the colon
        # full width: one run of the rules left them straight, and the next converted them.
        ('川普說:"Why not?"', "川普說：「Why not?」"),
        ('他說:"好",然後', "他說：「好」，然後"),
    ],
)
def test_the_rules_leave_nothing_for_a_second_run(before, after):
    assert typography.run(before, "zh-Hant") == after
    assert typography.run(after, "zh-Hant") == after


def test_a_change_one_rule_makes_possible_for_another_is_listed(write_briefing):
    """The line break after a mark is joined only once the mark is full width, and the
    spaces after an ellipsis go once it is one: what no rule alone does is still listed,
    named by the rules it takes."""
    briefing = load(
        write_briefing("""
        title: t
        summary: |
          他問!
          然後走了

          俄羅斯...  之後
        events: [{start: 1950, title: e}]
    """)
    )
    assert [(f.rule, f.before, f.after) for f in typography.findings(briefing)] == [
        ("punctuation-width", "問!\n然", "問！然"),
        ("segment-breaks", "問!\n然", "問！然"),
        ("unbreakables", "斯...  之", "斯……之"),
        ("segment-breaks", "斯...  之", "斯……之"),
    ]
    fixed = typography.apply(briefing).summary
    assert fixed == "他問！然後走了\n\n俄羅斯……之後"


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant"])
def test_latin_names_and_english_titles_take_proportional_quotes(write_briefing, lang):
    """A person's name in Latin letters and a source's English title, in a Chinese
    briefing, drew the fonts' Chinese ’ “ ” an em wide: Conan O’ Brien, Putin’ s
    “ New ” War. Chinese quotation marks around Chinese text stay an em wide."""
    source = write_briefing(
        f"title: t\nlang: {lang}\nevents:\n  - start: 2020\n    title: e\n"
        "    body: 所谓“等距”路线。\n"
        "people: [{name: 奥布莱恩, alt: Conan O’Brien}]\n"
        "sources: [{title: Putin’s “New” War, lang: en}]\n"
    )
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(load(source)))) as pdf:
        chars = [char for page in pdf.pages for char in page.chars]
    text = "".join(char["text"] for char in chars)
    assert "Conan O’Brien" in text and "Putin’s “New” War" in text
    widths = [(char["x1"] - char["x0"]) / char["size"] for char in chars if char["text"] in "“”’"]
    # The body's two marks, then the name's apostrophe and the title's three marks.
    assert len(widths) == 6
    assert [width > 0.9 for width in widths] == [True, True, False, False, False, False]


#: An event's body in which Latin text with quotes and an apostrophe runs in a Chinese
#: paragraph long enough to be justified, beside Chinese quotes around Chinese text and
#: around a Latin name the Chinese sentence quotes (所謂“New Start”條約).
_LATIN_IN_CJK = (
    "據報導，美國國家安全顧問 O’Brien 與普京會面，並引用 Putin’s “Memoirs” 一書中的說法，"
    "又說所謂“等距”路線和所謂“New Start”條約都還在，雙方同意在下一輪會談中繼續討論。"
)


def _advances(chars: list[dict], wanted: str) -> list[tuple[str, float, float]]:
    """Each of ``wanted``'s marks among ``chars``: the mark, the two characters after it,
    its glyph's width and how far the next character starts from it (em)."""
    found = []
    for char, after in itertools.pairwise(chars):
        if char["text"] in wanted and abs(after["top"] - char["top"]) < 1:
            found.append(
                (
                    char["text"] + after["text"],
                    (char["x1"] - char["x0"]) / char["size"],
                    (after["x0"] - char["x0"]) / char["size"],
                )
            )
    return found


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "ja"])
def test_latin_text_in_cjk_text_takes_proportional_marks(write_briefing, lang):
    """A Latin word's apostrophe and a Latin quotation's marks in a CJK body, summary or
    headline were set an em wide in Chinese (Putin’ s “ Memoirs ”), and justified as CJK
    in Chinese and Japanese: the line was spread after each apostrophe (O’ Brien). Chinese
    quotes, around Chinese text or beside it, keep their em; the text copies out as
    written."""
    source = write_briefing(
        f"title: O’Brien 的“新”路線\nlang: {lang}\nsummary: 見 Putin’s “Memoirs” 一書。\n"
        f"events:\n  - start: 2020\n    title: O’Brien 訪問\n    body: {_LATIN_IN_CJK}\n"
    )
    pdf_data = briefgen.render_pdf(load(source))
    with pdfplumber.open(io.BytesIO(pdf_data)) as pdf:
        chars = [char for page in pdf.pages for char in page.chars]
    text = "".join(char["text"] for char in chars)
    assert "O’Brien" in text and "Putin’s “Memoirs” 一" in text
    copied = " ".join("".join(pdftotext_pages(pdf_data)).split())
    assert "O’Brien 與普京會面，並引用 Putin’s “Memoirs” 一書" in copied
    # Nothing is added after an apostrophe or an opening quote of Latin text, justified or
    # not: the next letter follows its proportional glyph, a third of an em or so wide.
    latin = [mark for mark in _advances(chars, "’“") if mark[0] in ("’B", "’s", "“M")]
    # O’Brien in the title, the contents, the event's headline and its body; Putin’s
    # “Memoirs” in the summary and the body.
    assert [pair for pair, _, _ in latin] == ["’B", "’s", "“M", "’B", "’B", "’B", "’s", "“M"]
    for pair, glyph, advance in latin:
        assert glyph < 0.5 and abs(advance - glyph) < 0.005, pair
    if lang.startswith("zh"):
        chinese = [mark for mark in _advances(chars, "“”") if not mark[0][1].isascii()]
        chinese += [mark for mark in _advances(chars, "“") if mark[0] == "“N"]
        # “新” in the title, “等距”, and “New Start” between 所謂 and 條約.
        assert [pair for pair, _, _ in chinese] == ["“新", "”路", "“等", "”路", "”條", "“N"]
        assert all(glyph > 0.9 for _, glyph, _ in chinese), chinese


@pytest.mark.parametrize("lang", ["zh-Hant", "ja"])
def test_latin_marks_in_emphasis_are_as_bold_as_its_words(write_briefing, lang):
    """Inside CJK emphasis a Latin word is set in the bold sans, but its apostrophe and
    quotes, in spans of their own, stayed in the body's light serif: Putin’s “Memoirs”
    with thin marks between heavy letters."""
    source = write_briefing(
        f"title: 書\nlang: {lang}\nsummary: 見 *Putin’s “Memoirs”* 一書。\n"
        "events:\n  - start: 2020\n    title: 事\n"
    )
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(load(source)))) as pdf:
        chars = pdf.pages[0].chars
    text = "".join(char["text"] for char in chars)
    start = text.index("Putin’s")
    emphasised = chars[start : text.index("”", start) + 1]
    fonts = {char["text"]: char["fontname"] for char in emphasised}
    assert fonts["’"] == fonts["“"] == fonts["”"] == fonts["P"], fonts


@pytest.mark.slow
def test_latin_marks_are_set_apart_in_the_html_the_epub_and_the_sheet(write_briefing, tmp_path):
    """The HTML and the EPUB set a Latin text's marks apart in ``latin-mark`` spans, which
    base.css sets proportional, wherever a CJK text is shown (a person's role and a
    source's note too, and the one-sheet handout's first sentences); the EPUB stays
    valid. Chinese marks, and a Korean or English briefing's text, get none."""
    source = write_briefing(
        f"title: t\nlang: zh-Hant\nevents:\n  - start: 2020\n    title: O’Brien 訪問\n"
        f"    body: {_LATIN_IN_CJK}\n"
        "people: [{name: 奧布萊恩, role: 著有 “While America Slept” 一書}]\n"
        "sources: [{title: 回憶錄, note: 見 O’Brien 的回憶}]\n"
    )
    briefing = load(source)
    html = briefgen.render_html(briefing)
    mark = '<span class="latin-mark">{}</span>'.format
    assert f"O{mark('’')}Brien 與普京" in html
    assert f"Putin{mark('’')}s {mark('“')}Memoirs{mark('”')} 一書" in html
    assert f"著有 {mark('“')}While America Slept{mark('”')} 一書" in html
    assert f"見 O{mark('’')}Brien 的回憶" in html
    assert "所謂“等距”路線和所謂“New Start”條約" in html
    epub = briefgen.render_epub(briefing)
    with zipfile.ZipFile(io.BytesIO(epub)) as book:
        [event] = [book.read(name).decode() for name in book.namelist() if "event-01" in name]
        [nav] = [book.read(name).decode() for name in book.namelist() if "nav.xhtml" in name]
    assert f"Putin{mark('’')}s {mark('“')}Memoirs{mark('”')} 一書" in event
    assert f"O{mark('’')}Brien 訪問</a>" in nav  # the contents page
    require_java()
    status, report = _epubcheck(epub, tmp_path)
    assert status == 0, [message["message"] for message in report["messages"]]
    sheet = briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet"))
    with pdfplumber.open(io.BytesIO(sheet)) as pdf:
        chars = [char for page in pdf.pages for char in page.chars]
    latin = [mark for mark in _advances(chars, "’“") if mark[0] in ("’B", "’s", "“M")]
    # The title's and the first sentence's.
    assert len(latin) == 4 and all(glyph < 0.5 for _, glyph, _ in latin), latin
    for lang, text in (("ko", "오브라이언 O’Brien 보좌관"), ("en", "Robert O’Brien met Putin")):
        other = write_briefing(
            f"title: t\nlang: {lang}\nevents: [{{start: 2020, title: e, body: {text}}}]\n"
        )
        assert 'class="latin-mark"' not in briefgen.render_html(load(other))


def test_latin_names_in_a_cjk_briefing_take_proportional_apostrophes(write_briefing):
    """A name in Latin letters (an author, a publisher, a person named so, a tag) in a
    Chinese briefing drew its apostrophe an em wide: Conan O’ Brien on the cover, in the
    event's chips, the people and the sources."""
    source = write_briefing(
        "title: t\nlang: zh-Hant\nauthors: [Conan O’Brien]\npublisher: Reader’s Digest\n"
        "events:\n  - {start: 2020, title: e, people: [Pat O’Neil], tags: [Putin’s war]}\n"
        "people: [{name: Pat O’Neil}]\n"
        "sources: [{title: 回憶錄, publisher: O’Reilly}]\n"
    )
    briefing = load(source)
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing))) as pdf:
        chars = [char for page in pdf.pages for char in page.chars]
    text = "".join(char["text"] for char in chars)
    for name in ("Conan O’Brien", "Reader’s Digest", "Pat O’Neil", "Putin’s war", "O’Reilly"):
        assert name in text
    widths = [(char["x1"] - char["x0"]) / char["size"] for char in chars if char["text"] == "’"]
    # The author, the publisher, the chip of the person and the tag, the person in the list
    # and the source's publisher.
    assert len(widths) == 6 and all(width < 0.5 for width in widths), widths
    html = briefgen.render_html(briefing)
    assert 'Conan O<span class="latin-mark">’</span>Brien' in html


def test_korean_quotes_are_printed_curly_and_proportional(write_briefing):
    """Korean straight quotes are the 2015 punctuation rules' “ ” and ‘ ’ (they were left
    typewriter marks), and the PDF draws them in the fonts' proportional Korean forms, as
    Korean is printed, not an em wide as Chinese sets them."""
    source = write_briefing(
        "title: t\nlang: ko\nevents:\n  - start: 2020\n    title: e\n"
        "    body: 그가 \"안녕\"이라고 말했다. 이른바 '일일생활권'이다.\n"
    )
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(load(source)))) as pdf:
        chars = [char for page in pdf.pages for char in page.chars]
    text = "".join(char["text"] for char in chars)
    assert "그가 “안녕”이라고 말했다. 이른바 ‘일일생활권’이다." in text
    marks = [char for char in chars if char["text"] in "“”‘’"]
    assert len(marks) == 4
    for mark in marks:
        assert (mark["x1"] - mark["x0"]) / mark["size"] < 0.6, mark["text"]


def test_lint_holds_a_briefing_made_in_python_to_a_files_rules():
    # The README's way to see what a strict build would refuse: a briefing made in code with
    # a date given as a string passed as one with nothing to change, though building it
    # fails; lint now says what the build would.
    made = briefgen.Briefing(
        title="題", events=(briefgen.Event(start=briefgen.PartialDate(1950), title='說"好"'),)
    )
    assert typography.lint(made) == [
        '<briefing>: events[0].title: quotes: 說"好 → 說「好',
        '<briefing>: events[0].title: quotes: 好" → 好」',
    ]
    wrong = dataclasses.replace(made, events=(briefgen.Event(start="1950", title="事"),))  # type: ignore[arg-type]
    with pytest.raises(briefgen.BriefingError, match=r"events\[0\]\.start: expected"):
        typography.lint(wrong)


def test_lint_refuses_a_rule_name_it_does_not_know():
    # A misspelt name switched nothing off, without a word.
    sample = load(briefgen.sample_path())
    with pytest.raises(briefgen.UsageError, match="unknown rule 'quote'"):
        typography.lint(sample, ["quote"])
    assert typography.lint(sample, "quotes") == typography.lint(sample, ["quotes"])


def _difflib_changes(before: str, after: str) -> list[tuple[int, int, str]]:
    """The changes as `check` listed them before it had a comparison of its own: difflib's
    whole-text comparison, kept here as the reference the faster one must agree with."""
    if before == after:
        return []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [
        (start, end, after[new_start:new_end])
        for tag, start, end, new_start, new_end in matcher.get_opcodes()
        if tag != "equal"
    ]


# Pieces of text whose marks the rules change, and that repeat: where a comparison that
# looks only near where the texts part goes wrong (a far agreement taken for a near one).
_PIECES = [
    *"文字測試中,.:;!?()\"'“”「」。，？（）… \n\t\u3000*_-─a1",
    *("...", "--", "——", "。。。", "Kim", "1950", "`x`", "[l](https://e.org/a.b)", "- ", "\n\n"),
]


def _generated_text(rnd: random.Random) -> str:
    pool = rnd.sample(_PIECES, rnd.randint(2, 12))
    shape = rnd.randrange(6)
    if shape == 0:  # pieces at random
        return "".join(rnd.choice(pool) for _ in range(rnd.randint(0, 40)))
    unit = [rnd.choice(pool) for _ in range(rnd.randint(1, 6))]
    if shape == 1:  # a unit repeated, now and then with another piece in it
        slip = 0.15 * rnd.randrange(2)
        return "".join(
            piece if rnd.random() >= slip else rnd.choice(pool)
            for _ in range(rnd.randint(1, 25))
            for piece in unit
        )
    if shape == 2:  # runs of one piece
        return "".join(rnd.choice(pool) * rnd.randint(1, 8) for _ in range(rnd.randint(1, 12)))
    if shape == 3:  # stretches of growing length, each longer than the last by a few pieces
        step, mark = rnd.randint(1, 4), rnd.choice(pool)
        return mark.join(
            "".join(rnd.choice(pool) for _ in range(step * count + rnd.randrange(2)))
            for count in range(1, rnd.randint(2, 10))
        )
    if shape == 4:  # runs of one piece, each shorter than the last, a mark after each
        piece, mark = rnd.sample(pool, 2)
        return "".join(piece * length + mark for length in range(rnd.randint(1, 20), 0, -1))
    edge = "".join(unit)[: rnd.randint(0, 4)]  # the start repeated at the end: --文?。 “--
    return edge + "".join(rnd.choice(pool) for _ in range(rnd.randint(1, 15))) + edge


def _edited(rnd: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rnd.randint(0, 6)):
        at, piece = rnd.randint(0, len(chars)), rnd.choice(_PIECES)
        chars[at : at + rnd.randrange(3)] = [piece] * rnd.randrange(2)
    return "".join(chars)


@pytest.mark.parametrize("seed", range(4))
def test_the_changes_listed_are_those_of_a_whole_text_comparison(seed):
    # Against the text as the rules typeset it, and against any text at all (the rules may
    # change), the same changes at the same places as difflib's comparison of the whole.
    rnd = random.Random(seed)
    for _ in range(500):
        before = _generated_text(rnd)
        if rnd.random() < 0.1:
            before = "".join(_generated_text(rnd) for _ in range(8))
        lang = rnd.choice(["zh-Hant", "zh-Hans", "ja", "ko"])
        for after in (typography.run(before, lang), _edited(rnd, before)):
            assert typography._changes(before, after) == _difflib_changes(before, after), (
                before,
                after,
            )


def test_a_long_body_whose_marks_are_all_to_change_is_compared_without_difflib(
    write_briefing, monkeypatch
):
    """A body of 60,000 characters whose every mark is half width (文字,測試. ten thousand
    times): compared whole with difflib, over every place each character recurs, it would
    take hours (35 s at 3,000 characters). No whole-text comparison is made; the changes
    are all found, each where it is."""

    def whole_text_comparison(*args: object, **kwargs: object) -> None:
        raise AssertionError("the text was compared with difflib")

    monkeypatch.setattr(difflib, "SequenceMatcher", whole_text_comparison)
    body = "文字,測試." * 10_000
    briefing = load(
        write_briefing(f'title: t\nevents: [{{start: 1950, title: e, body: "{body}"}}]\n')
    )
    found = list(typography.findings(briefing))
    assert len(found) == 20_000
    assert {finding.rule for finding in found} == {"punctuation-width"}
    assert (found[0].offset, found[0].before, found[0].after) == (2, "字,測", "字，測")
    assert (found[-1].offset, found[-1].before, found[-1].after) == (59_999, "試.", "試。")


def _growing_stretches(count: int) -> str:
    rnd = random.Random(0)
    return ",".join(
        "".join(chr(rnd.randint(0x4E00, 0x9FFF)) for _ in range(3 * length + 1))
        for length in range(1, count + 1)
    )


@pytest.mark.parametrize(
    "before",
    [
        pytest.param(_growing_stretches(60), id="stretches-of-growing-length"),
        pytest.param("".join("文" * length + "," for length in range(80, 0, -1)), id="runs"),
    ],
)
def test_stretches_found_in_order_of_length_are_each_looked_for_in_one_walk(monkeypatch, before):
    """Where each stretch in common is a little longer (or shorter) than the next one found,
    as in these texts, each is looked for in no more than one walk of what is left: the
    longest was looked for from one character up, some fifteen walks of it for each, and
    60,000 characters took minutes where difflib takes seconds."""
    after = before.replace(",", "，")
    walked = [0]
    index, walk = matching._Matcher.index, matching._Matcher.walk

    def counted_index(matcher: matching._Matcher, part: matching._Range, size: int):
        walked[0] += part.bhi - part.blo
        return index(matcher, part, size)

    def counted_walk(matcher: matching._Matcher, part: matching._Range):
        walked[0] += matcher.places_before[part.ahi] - matcher.places_before[part.alo]
        return walk(matcher, part)

    monkeypatch.setattr(matching._Matcher, "index", counted_index)
    monkeypatch.setattr(matching._Matcher, "walk", counted_walk)
    blocks = matching.matching_blocks(before, after)
    # Each stretch between two commas is found whole, and nothing else.
    assert len(blocks) == len(before.strip(",").split(","))
    assert sum(size for *_, size in blocks) == len(before) - before.count(",")
    assert walked[0] <= len(before) * len(blocks)
