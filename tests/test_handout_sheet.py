"""The one-sheet handout (--handout sheet), read back from the PDF: front and back of one
sheet, every event's date, title and first sentence, and a refusal that counts what overflowed."""

from __future__ import annotations

import io
import itertools
import logging
import re
import shutil
import subprocess

import pdfplumber
import pytest
import yaml
from PIL import Image
from pypdf import PdfReader

import briefgen
import briefgen.builders.pdf
from briefgen.editions import edition
from briefgen.errors import BuildError
from briefgen.sheet import first_sentence, overflow_error
from conftest import pypdf_pages, run_cli

MM = 72 / 25.4


def squeezed(text: str) -> str:
    """Text without the spaces and line breaks a reader puts between glyphs and lines."""
    return re.sub(r"\s", "", text)


def repeated(count: int, tmp_path) -> briefgen.Briefing:
    """The sample with its events repeated to ``count``, each title numbered."""
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    events = data["events"]
    data["events"] = [
        dict(events[i % len(events)], title=f"{events[i % len(events)]['title']}（{i + 1}）")
        for i in range(count)
    ]
    path = tmp_path / f"events-{count}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return briefgen.load(path)


@pytest.mark.parametrize(
    ("body", "sentence"),
    [
        ("金正恩抵達。雙方會談。", "金正恩抵達。"),
        ("他說：「走吧！」然後離開。", "他說：「走吧！」"),
        # A stop inside a quotation ends the quoted sentence only: the sheet showed
        # 知事は「遅れは遺憾だ。 with its 「 left open.
        (
            "知事は「遅れは遺憾だ。国に求めたい」と話した。以上。",
            "知事は「遅れは遺憾だ。国に求めたい」と話した。",
        ),
        (
            "그는 “함께 간다. 끝까지 간다”라고 말했다. 그리고",
            "그는 “함께 간다. 끝까지 간다”라고 말했다.",
        ),
        ('그는 "함께 간다. 끝까지."라고 말했다. 그리고', '그는 "함께 간다. 끝까지."라고 말했다.'),
        ("Kim’s plan failed. Then", "Kim’s plan failed."),  # an apostrophe opens nothing
        # A curly quote closed right after its stop ends the sentence, as 」 does: the
        # sheet ran on to the next stop, a sentence more.
        ("他宣布：“停火。”双方随后撤军。以上。", "他宣布：“停火。”"),
        ("그는 “함께 간다.” 그리고 떠났다.", "그는 “함께 간다.”"),
        ("He said, “We go.” Then they left.", "He said, “We go.”"),
        ("그는 “함께 간다. 끝까지.”라고 말했다. 그리고", "그는 “함께 간다. 끝까지.”라고 말했다."),
        ("「閉じない。引用。", "「閉じない。"),  # never closed: the first stop, as before
        ("He came. They met.", "He came."),
        ("He came\nand went. They met.", "He came and went."),  # a line break is a space
        ("Dr. No", "Dr."),  # a full stop ends a sentence; abbreviations are not guessed
        ("**粗體**與[連結](https://example.org)。其後。", "粗體與連結。"),
        ("沒有句號的一段", "沒有句號的一段"),
        ("\n\n第一段。\n\n第二段。", "第一段。"),
        # A list's or a quotation's first item, without its marker: "1." is no sentence.
        ("1. 雙方同意停火。\n2. 設立非軍事區。", "雙方同意停火。"),
        ("- 蘇聯派出飛行員與戰機\n- 中國人民志願軍加入戰局", "蘇聯派出飛行員與戰機"),
        ("> 會議未能達成統一協議。\n\n後續另有討論。", "會議未能達成統一協議。"),
        ("", ""),
    ],
)
def test_first_sentence(body, sentence):
    assert first_sentence(body) == sentence


def test_a_list_in_an_event_shows_its_first_item_on_the_sheet(write_briefing):
    path = write_briefing(
        "title: 朝鮮半島大事記\nevents:\n"
        "  - {start: 1953-07-27, title: 簽署停戰協定,\n"
        '     body: "1. 雙方同意停火。\\n2. 設立非軍事區。"}\n'
        '  - {start: 1954, title: 蘇聯空軍參戰, body: "- 蘇聯派出飛行員\\n- 中國加入戰局"}\n'
    )
    pdf = briefgen.render_pdf(briefgen.load(path), briefgen.BuildOptions(handout="sheet"))
    text = squeezed("".join(pypdf_pages(pdf)))
    assert "簽署停戰協定雙方同意停火。" in text and "設立非軍事區" not in text
    assert "蘇聯空軍參戰蘇聯派出飛行員" in text and "中國加入戰局" not in text


@pytest.fixture(scope="module")
def sample_sheet(sample) -> bytes:
    return briefgen.render_pdf(sample, briefgen.BuildOptions(handout="sheet"))


@pytest.mark.slow
def test_sample_sheet_is_one_sheet_of_the_paper(sample_sheet):
    pages = PdfReader(io.BytesIO(sample_sheet)).pages
    assert 1 <= len(pages) <= 2
    for page in pages:
        assert (round(page.mediabox.width / MM), round(page.mediabox.height / MM)) == (210, 297)


@pytest.mark.slow
def test_sample_sheet_has_title_timeline_and_every_event(sample, sample_sheet):
    text = squeezed("".join(pypdf_pages(sample_sheet)))
    labels = briefgen.i18n.language(sample.lang)
    assert squeezed(sample.title) in text
    assert "1940" in text and "2030" in text  # the visual timeline's axis
    for event in sample.events:
        entry = labels.period(event) + event.title + first_sentence(event.body)
        assert squeezed(entry) in text, event.title
    # Only the first sentence: the sample's events all have more to say.
    assert squeezed(sample.events[0].body.split("。")[1]) not in text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler")
def test_a_sheet_for_a_print_shop_has_its_bleed_and_marks_on_both_sides(tmp_path):
    """A one-sheet handout is one or two single pages, which a print shop cuts as it cuts the
    PDF's: each side has the 3 mm bleed, room for the crop marks past it, and the marks, and
    its events are laid out as on the sheet without them."""
    briefing = repeated(40, tmp_path)
    plain = briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet"))
    marked = briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet", marks=True))
    assert pypdf_pages(marked) == pypdf_pages(plain)
    pages = PdfReader(io.BytesIO(marked)).pages
    assert len(pages) == 2
    for page in pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert (float(trim.width), float(trim.height)) == pytest.approx((595.28, 841.89), abs=0.1)
        assert float(bleed.left) == pytest.approx(float(trim.left) - 3 * MM, abs=0.01)
        assert float(media.left) == pytest.approx(float(trim.left) - 9 * MM, abs=0.01)
    # The back's marks, as a print shop's screen shows them: inked on the line of the trim's
    # top, beyond the bleed, and not in it.
    (tmp_path / "marked.pdf").write_bytes(marked)
    command = ["pdftoppm", "-r", "144", "-f", "2", "-l", "2", "-gray", "marked.pdf", "back"]
    subprocess.run(command, check=True, cwd=tmp_path)
    picture = Image.open(next(tmp_path.glob("back*.pgm")))
    scale = 144 / 72
    row = round(9 * MM * scale)

    def inked(mm_left_of_trim: float) -> bool:
        column = round((9 - mm_left_of_trim) * MM * scale)
        return any(picture.getpixel((column, row + dy)) < 160 for dy in (-1, 0, 1))

    assert inked(6) and inked(8)  # the mark, 4 to 9 mm out
    assert not inked(1) and not inked(2.5)  # the bleed, 0 to 3 mm out


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_forty_events_fill_front_and_back(tmp_path, paper):
    briefing = repeated(40 if paper == "A4" else 20, tmp_path)
    pdf = briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet", paper=paper))
    pages = pypdf_pages(pdf)
    assert len(pages) == 2
    text = squeezed("".join(pages))
    assert all(squeezed(event.title) in text for event in briefing.events)


@pytest.mark.slow
def test_an_event_taller_than_the_front_column_left_breaks_between_columns(tmp_path):
    # The sample's fourth event given a first sentence of some 1,100 characters: kept whole,
    # it pushed the list and the timeline off the front, and the sheet was refused though
    # its events fill less than the front.
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    clause = "金日成與蘇聯代表在平壤會談並簽署經濟與軍事援助協定"
    data["events"][3]["body"] = "、".join([clause] * 40)
    path = tmp_path / "long-sentence.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    briefing = briefgen.load(path)
    pdf = briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet", paper="A4"))
    pages = [squeezed(page) for page in pypdf_pages(pdf)]
    assert len(pages) <= 2
    assert squeezed(briefing.title) in pages[0]
    assert squeezed(briefing.events[0].title) in pages[0]
    assert all(squeezed(event.title) in "".join(pages) for event in briefing.events)


@pytest.mark.slow
def test_a_long_briefing_is_refused_with_the_count_that_overflowed(tmp_path, monkeypatch):
    briefing = repeated(90, tmp_path)
    options = briefgen.BuildOptions(handout="sheet")
    with pytest.raises(BuildError) as refused:
        briefgen.render_pdf(briefing, options)
    message = str(refused.value)
    found = re.search(
        r"(\d+) of the 90 events do not fit on the front and back of one A4 sheet", message
    )
    assert found, message
    assert 'leave out handout="sheet" for the full layout' in message
    # The count is the events past the back of the sheet: laid out without the limit, the
    # pages after the second carry exactly that many titles.
    monkeypatch.setattr(briefgen.builders.pdf, "SHEET_PAGES", 1000)
    pages = pypdf_pages(briefgen.render_pdf(briefing, options))
    later = squeezed("".join(pages[2:]))
    assert sum(squeezed(event.title) in later for event in briefing.events) == int(found[1])


def test_a_refused_sheet_is_laid_out_only_to_the_page_after_it(tmp_path, caplog):
    """Refusing a sheet and counting what it leaves off needs its two pages and the start of
    a third: a hundred events on A5 were laid out whole, page after page, to be refused, and
    so was each larger paper tried. The count is that of the whole layout (test above)."""
    briefing = repeated(100, tmp_path)
    caplog.set_level(logging.INFO, logger="weasyprint.progress")
    with pytest.raises(BuildError, match=r"\d+ of the 100 events do not fit"):
        briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet", paper="A5"))
    laid_out = [
        int(found[1])
        for record in caplog.records
        if (found := re.fullmatch(r"Step 5 - Creating layout - Page (\d+)", record.getMessage()))
    ]
    assert laid_out and max(laid_out) == 3, laid_out


@pytest.mark.slow
def test_a_refused_a5_sheet_suggests_the_larger_papers_that_take_every_event(tmp_path):
    """An A5 sheet holds 23 of these events, in one column: an estimate from the areas
    gives A4 46 and letter 45, short of 48, but their two columns take all 48."""
    briefing = repeated(48, tmp_path)
    with pytest.raises(BuildError) as refused:
        briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet", paper="A5"))
    assert 'hint: try paper="letter" or "A4", or leave out handout="sheet"' in str(refused.value)
    pdf = briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet", paper="letter"))
    assert len(pypdf_pages(pdf)) == 2


@pytest.mark.slow
def test_a_refused_a5_sheet_of_short_events_suggests_the_paper_that_takes_them(write_briefing):
    """Of events with a one-line text an A5 sheet holds about 27, in one column, and an A4
    sheet over 80 in its two: 76 such events were told to split the briefing ("one A4
    sheet about 54"), the estimate from the areas too far short for A4 to be laid out."""
    events = "".join(
        f"  - {{start: {1800 + i}, title: 第{i}件事,"
        f" body: 雙方同意停火，並且在之後的數個月中進行了漫長而艱難的談判。其後談判。}}\n"
        for i in range(76)
    )
    briefing = briefgen.load(write_briefing(f"title: 課堂講義\nevents:\n{events}"))
    with pytest.raises(BuildError) as refused:
        briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet", paper="A5"))
    told = refused.value.told_on_command_line()
    assert "hint: try --paper " in told and " A4, or leave out --handout sheet" in told
    pdf = briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet", paper="A4"))
    assert len(pypdf_pages(pdf)) == 2


def test_the_refusal_lays_out_only_the_papers_that_might_take_every_event():
    asked: list[str] = []

    def fitted_on(paper: str) -> int:
        asked.append(paper)
        return {"A4": 40, "B5": 34, "letter": 39}[paper]

    # 19 of 40 on A5: A4, letter and B5 (about 38, 37 and 28 by area) are tried.
    told = overflow_error(21, 40, "A5", None, fitted_on).told_on_command_line()
    assert sorted(asked) == ["A4", "B5", "letter"]
    assert "hint: try --paper A4, or leave out --handout sheet" in told
    asked.clear()
    told = overflow_error(21, 46, "A5", None, fitted_on).told_on_command_line()
    assert "split the briefing (one A5 sheet holds 25 events, and one A4 sheet 40)" in told
    asked.clear()
    # Ten times as many events as fitted: no paper is laid out for nothing.
    overflow_error(180, 200, "A5", None, fitted_on)
    assert asked == []


@pytest.mark.slow
def test_cli_refuses_an_overflowing_sheet_and_writes_nothing(tmp_path):
    briefing = repeated(200, tmp_path)
    assert briefing.path is not None
    result = run_cli(
        "build", briefing.path, "--handout", "sheet", "--paper", "A5", "-o", tmp_path / "out"
    )
    assert result.returncode == 1
    assert "of the 200 events do not fit on the front and back of one A5 sheet" in result.stderr
    # No larger paper takes ten times as many events as A5 holds; the briefing is named
    # (after the warnings of its events out of date order: the sample's, over and over).
    assert f"\n{briefing.path}: the one-sheet handout does not fit: " in result.stderr
    assert "hint: split the briefing (one A5 sheet holds " in result.stderr
    assert "or leave out --handout sheet for the full layout" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.slow
def test_sample_sheet_is_tagged_with_language_and_title(sample, sample_sheet):
    reader = PdfReader(io.BytesIO(sample_sheet))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == sample.lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None and reader.metadata.title == sample.title


@pytest.mark.parametrize(("paper", "columns"), [("half-letter", 1), ("A4", 2)])
def test_a_narrow_sheet_sets_its_events_in_one_column(sample, paper, columns):
    # Half letter is as narrow as A5: two columns of it held 15 characters a line.
    pdf = briefgen.render_pdf(sample, briefgen.BuildOptions(handout="sheet", paper=paper))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        # Where each line of the events' dates (dark red, at the sheet's 9 pt) begins.
        starts: dict[int, float] = {}
        for char in page.chars:
            if round(char["size"], 1) == 9.0 and char["non_stroking_color"][0] > 0.5:
                line = round(char["top"])
                starts[line] = min(starts.get(line, char["x0"]), char["x0"])
        middle = float(page.width) / 2
    assert len(starts) >= 5
    assert len({start < middle for start in starts.values()}) == columns


def test_a_sheet_of_two_pages_asks_the_print_dialog_for_both_sides(sample, sample_sheet):
    # Front and back of one sheet: printed on one side, the handout came out on two.
    a5 = briefgen.render_pdf(sample, briefgen.BuildOptions(handout="sheet", paper="A5"))
    reader = PdfReader(io.BytesIO(a5))
    assert len(reader.pages) == 2
    preferences = reader.trailer["/Root"]["/ViewerPreferences"]
    assert preferences["/Duplex"] == "/DuplexFlipLongEdge"
    assert bool(preferences["/DisplayDocTitle"])
    # The sample fits the front of an A4 sheet: nothing to print on the back.
    assert len(PdfReader(io.BytesIO(sample_sheet)).pages) == 1
    assert (
        "/Duplex" not in PdfReader(io.BytesIO(sample_sheet)).trailer["/Root"]["/ViewerPreferences"]
    )


@pytest.mark.parametrize(
    ("overflowed", "total", "paper", "told"),
    [
        (1, 26, "A5", "1 of the 26 events does not fit on the front and back of one A5 sheet"),
        (6, 30, "A5", "hint: try --paper B5, letter or A4, or leave out --handout sheet"),
        (13, 36, "A5", "hint: try --paper letter or A4, or leave out --handout sheet"),
        (
            180,
            200,
            "A5",
            "hint: split the briefing (one A5 sheet holds 20 events, and one "
            "A4 sheet about 40), or leave out --handout sheet",
        ),
        (
            150,
            200,
            "A4",
            "hint: split the briefing (one A4 sheet holds 50 events), or leave out --handout sheet",
        ),
    ],
)
def test_the_refusal_suggests_only_papers_that_would_take_every_event(
    overflowed, total, paper, told
):
    """A5 holds 23 of 36 events: A4 and letter, twice its area, would hold them all; B5,
    1.5 times, not."""
    assert told in overflow_error(overflowed, total, paper, None).told_on_command_line()


def test_a_library_call_is_told_the_papers_and_the_handout_as_it_gives_them():
    # A pipeline's render_pdf(briefing, handout="sheet", paper="A5") typed no flags.
    told = str(overflow_error(6, 30, "A5", None))
    assert told.endswith(
        '\n    hint: try paper="B5", "letter" or "A4", or leave out handout="sheet" for the '
        "full layout"
    )
    told = str(overflow_error(150, 200, "A4", None))
    assert told.endswith('or leave out handout="sheet" for the full layout')
    assert "--" not in told


def column_lines(pdf: bytes, columns: int) -> list[str]:
    """The text of each line of the sheet, column by column, page by page, without spaces."""
    lines = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            width = page.width / columns
            for column in range(columns):
                cropped = page.crop((column * width, 0, (column + 1) * width, page.height))
                lines += [squeezed(line["text"]) for line in cropped.extract_text_lines()]
    return lines


@pytest.mark.slow
@pytest.mark.parametrize(("paper", "columns"), [("A4", 2), ("A5", 1)])
def test_a_title_leaves_no_character_or_two_of_a_phrase_alone_on_a_line(sample, paper, columns):
    # The A4 sheet set 金日成肅清異己，關係轉 over 冷　這段期間…: the title's last phrase goes
    # down whole instead.
    pdf = briefgen.render_pdf(sample, briefgen.BuildOptions(handout="sheet", paper=paper))
    lines = column_lines(pdf, columns)
    phrases = [p for event in sample.events for p in re.split(r"(?<=[：；，])", event.title) if p]
    for above, line in itertools.pairwise(lines):
        for phrase in phrases:
            for tail in (1, 2):
                cut = above.endswith(phrase[:-tail]) and line.startswith(phrase[-tail:])
                assert not cut, f"{above} / {line}"
    if paper == "A4":
        assert any(line.startswith("關係轉冷") for line in lines)


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_a_title_leaves_no_character_of_its_sentence_alone_after_it(sample, paper):
    # The A4 sheet set …嚴厲制裁　金 over 正恩加快了…, the Letter sheet …首會普丁　這 over
    # 兩年…: the first sentence goes down with at least its first two characters.
    pdf = briefgen.render_pdf(sample, briefgen.BuildOptions(handout="sheet", paper=paper))
    lines = column_lines(pdf, 2)
    ends = [(event.title[-3:], first_sentence(event.body)) for event in sample.events]
    for above, line in itertools.pairwise(lines):
        for title, gist in ends:
            cut = above.endswith(title + gist[0]) and line.startswith(gist[1:3])
            assert not cut, f"{above} / {line}"
    if paper == "A4":
        assert any(line.startswith("金正恩加快了") for line in lines)


@pytest.mark.slow
def test_a_title_phrase_wider_than_the_column_still_breaks_inside_it(write_briefing):
    long = "中華人民共和國與朝鮮民主主義人民共和國及俄羅斯聯邦三國外長在平壤舉行的聯合會議"
    path = write_briefing(
        f"title: 大事記\nevents:\n  - {{start: 2023, title: {long}, body: 會談。}}\n"
    )
    pdf = briefgen.render_pdf(briefgen.load(path), briefgen.BuildOptions(handout="sheet"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        footer = page.height - 72  # the page number's 共 is no character of the title
        chars = [char for char in page.chars if char["text"] in long and char["top"] < footer]
        assert max(char["x1"] for char in chars) < page.width / 2  # in the left column
    assert squeezed(long) in squeezed("".join(pypdf_pages(pdf)))


@pytest.mark.slow
@pytest.mark.parametrize("script", [None, "hans"])
def test_a_line_broken_between_a_titles_phrases_is_not_spread(sample, script):
    # The title's phrase 關係轉冷 goes down whole, and the A4 sheet spread the line above it,
    # 1950年代中期至1960年代　金日成肅清異己，, over the column: a quarter em between every
    # two of its characters. It is set at its start, each character an em from the next.
    briefing = edition(sample, script) if script else sample
    pdf = briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        chars = [char for char in page.chars if char["x0"] < page.width / 2]
    top = next(char["top"] for char in chars if char["text"] in "肅肃")
    line = sorted((char for char in chars if abs(char["top"] - top) < 1), key=lambda c: c["x0"])
    title = [char for char in line if char["text"] in "金日成肅肃清異异己，"]
    assert len(title) == 8
    for char, after in itertools.pairwise(title):
        assert after["x0"] - char["x0"] <= 1.05 * char["size"], "".join(c["text"] for c in line)


@pytest.mark.slow
@pytest.mark.parametrize("script", [None, "hans"])
def test_a_paragraph_s_last_stop_set_half_width_takes_its_short_last_line_up(sample, script):
    # The A4 sheet spread 同年12月，他便離開人世，由兒子金正恩接掌朝鮮 0.13 em a gap over
    # 政權。, a line of its own; with its 。 half width, ……接掌朝鮮政權。 fits in the column,
    # set solid (JLReq and clreq reduce a line's end punctuation rather than spread it).
    briefing = edition(sample, script) if script else sample
    pdf = briefgen.render_pdf(briefing, briefgen.BuildOptions(handout="sheet"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        footer = page.height - 72
        chars = [c for c in page.chars if c["x0"] > page.width / 2 and c["top"] < footer]
    top = next(char["top"] for char in chars if char["text"] in "兒儿")
    line = sorted((char for char in chars if abs(char["top"] - top) < 1), key=lambda c: c["x0"])
    text = "".join(char["text"] for char in line)
    assert text.endswith(("接掌朝鮮政權。", "接掌朝鲜政权。")), text
    for char, after in itertools.pairwise(line[-8:]):
        assert after["x0"] - char["x0"] <= 1.01 * char["size"], text
    # The column's edge, where the line above (…會面；, justified) ends; the 。 takes half
    # an em before it (its box, as the font's em wide, reaches past).
    above = max(char["top"] for char in chars if char["top"] < top - 1)
    edge = max(char["x1"] for char in chars if abs(char["top"] - above) < 1)
    stop = line[-1]
    assert edge - stop["size"] < stop["x0"] + stop["size"] / 2 <= edge + 0.5


@pytest.mark.slow
def test_a_line_broken_after_a_title_ends_at_the_column_edge(sample_sheet):
    # The A4 sheet set 2018年至2019年　外交攻勢受挫，金正恩首會普丁　 over 這兩年…: the
    # full-width space after the title stood at the line's end, an em short of the edge
    # where the full line below it ends. It is not set there.
    with pdfplumber.open(io.BytesIO(sample_sheet)) as document:
        page = document.pages[0]
        chars = [char for char in page.chars if char["x0"] > page.width / 2]
    rows: dict[int, list] = {}
    for char in chars:
        rows.setdefault(round(char["top"]), []).append(char)
    lines = [sorted(row, key=lambda char: char["x0"]) for _, row in sorted(rows.items())]
    texts = ["".join(char["text"] for char in line) for line in lines]
    index = next(i for i, text in enumerate(texts) if text.endswith("金正恩首會普丁"))
    assert texts[index + 1].startswith("這兩年")
    assert lines[index][-1]["x1"] == pytest.approx(lines[index + 1][-1]["x1"], abs=0.1)


def test_an_english_line_broken_after_a_title_ends_at_the_column_edge(write_briefing):
    # English parts a title from its sentence with an en space, which WeasyPrint keeps at a
    # line's end as it keeps the full-width space: the line that broke after this title
    # stopped half an em short of the edge the full line above it reaches.
    path = write_briefing(
        "title: Truce briefing\nlang: en\nevents:\n"
        "  - start: 1953\n"
        "    title: Truce talks end with the first signed pact at the camp in the north\n"
        "      of the land by the sea and\n"
        "    body: Strengths of both sides were spent. More.\n"
    )
    pdf = briefgen.render_pdf(briefgen.load(path), briefgen.BuildOptions(handout="sheet"))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        chars = [char for char in page.chars if char["x0"] < page.width / 2]
    rows: dict[int, list] = {}
    for char in chars:
        rows.setdefault(round(char["top"]), []).append(char)
    lines = [sorted(row, key=lambda char: char["x0"]) for _, row in sorted(rows.items())]
    texts = ["".join(char["text"] for char in line) for line in lines]
    index = next(i for i, text in enumerate(texts) if text.endswith("by the sea and"))
    assert texts[index + 1].startswith("Strengths")
    assert texts[index - 1].startswith("1953")  # a full line of the same entry
    assert lines[index][-1]["x1"] == pytest.approx(lines[index - 1][-1]["x1"], abs=0.1)


@pytest.mark.slow
def test_a_sheet_set_in_briefgen_toml_is_refused_naming_its_key(tmp_path, monkeypatch, capsys):
    """A user who set handout = "sheet" in briefgen.toml was told to leave out --handout
    sheet, a flag they never typed: the refusal names the file's key, as a clash of
    settings does, in a build of one briefing and of a folder."""
    from briefgen.cli import main

    repeated(30, tmp_path)
    (tmp_path / "briefgen.toml").write_text('handout = "sheet"\npaper = "A5"\n')
    monkeypatch.chdir(tmp_path)
    for source in ("events-30.yaml", "."):
        assert main(["build", "-f", "pdf", source]) == 1
        told = capsys.readouterr().err
        assert "of the 30 events do not fit on the front and back of one A5 sheet" in told
        assert "give --handout none (or remove handout from briefgen.toml)" in told
        assert "--handout sheet" not in told
    # A flag the user typed is named as they typed it (test_cli_refuses_an_overflowing_sheet…).


KOREAN_GISTS = [
    "최태원 회장이 이끄는 SK그룹이 하이닉스를 인수해 SK하이닉스가 출범했다.",
    "외환위기 이후 정부가 주도한 “빅딜” 정책에 따라 LG반도체가 현대전자에 합병되었다.",
    "메모리 가격 폭락과 부채 부담으로 하이닉스는 채권단 공동관리에 들어갔다.",
    "서버용 메모리 수요가 급증하면서 반도체 수출이 사상 처음으로 연간 900억 달러를 넘어섰다.",
    "AI 서버용 고대역폭 메모리(HBM) 수요가 폭증하면서 SK하이닉스가 엔비디아에 HBM3E를 "
    "가장 먼저 공급하기 시작했다.",
    "정부는 경기도 용인에 약 300조 원을 투자하는 세계 최대 규모의 반도체 클러스터를 "
    "조성하겠다고 발표했다.",
    "SK하이닉스는 인텔의 낸드 플래시 사업을 약 10조 3천억 원에 인수하기로 했다.",
]


def test_a_korean_sheets_word_spaces_stay_narrow():
    """A Korean entry breaks between syllables in the sheet's narrow columns, as Korean
    newspapers set them: kept whole, its words left spaces up to three times their width
    in lines of 9 pt (이끄는   SK그룹이   하이닉스를), and lines spread syllable by syllable.
    A number keeps its unit, and the last line of an entry holds two syllables or more."""
    events = [
        {"start": 2000 + number, "title": f"사건 {number}", "body": gist}
        for number, gist in enumerate(KOREAN_GISTS)
    ]
    source = yaml.safe_dump(
        {"title": "반도체", "lang": "ko", "events": events}, allow_unicode=True, width=10_000
    )
    pdf = briefgen.render_pdf(briefgen.loads(source), briefgen.BuildOptions(handout="sheet"))
    widest = 0.0
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = [c for page in document.pages for c in page.chars if c["text"].strip()]
        text = "".join(page.extract_text() for page in document.pages)
    rows: dict[tuple[int, int, bool], list[dict]] = {}
    for char in chars:
        if char["size"] == pytest.approx(9) and "Serif" in char["fontname"]:
            key = (char["page_number"], round(char["bottom"]), char["x0"] > 297)
            rows.setdefault(key, []).append(char)
    for row in rows.values():
        row.sort(key=lambda char: char["x0"])
        widest = max([widest, *(b["x0"] - a["x1"] for a, b in itertools.pairwise(row))])
    assert 0 < widest < 0.5 * 9, widest
    assert not re.search(r"[0-9]\n[조억원]", text)
    assert not re.search(r"\n\S\.", text)


KOREAN_MARKED_GISTS = [
    "미국 상무부는 미국산 장비나 소프트웨어로 만든 반도체를 화웨이(Huawei)에 공급하려면 "
    "사전 허가를 받도록 규정을 바꿨다.",
    "조 바이든 대통령은 삼성전자·인텔·TSMC 등 19개 기업이 참석한 화상회의에서 실리콘 "
    "웨이퍼를 들어 보이며 “이것이 인프라”라고 말했다.",
    "정부는 2030년까지 510조 원 이상의 민간 투자를 뒷받침하는 ‘K-반도체 전략’을 내놓고 "
    "연구개발(R&D) 비용의 최대 50%까지 세액을 공제하겠다고 발표했다.",
    "미 상무부 산업안보국(BIS)은 18nm 이하 D램과 128단 이상 낸드플래시를 생산하는 중국 내 "
    "공장에 대한 장비 수출을 사실상 금지했다.",
    "중국 사이버공간관리국(CAC)이 미국 마이크론(Micron)의 제품이 “비교적 심각한 보안 "
    "위험”을 안고 있다며 구매를 금지했다.",
    "미국 정부는 삼성전자 시안 공장과 SK하이닉스 우시·다롄 공장을 검증된 "
    "최종사용자(VEU)로 지정해 별도의 허가 없이 장비를 들여올 수 있게 했다.",
]


def korean_sheet_columns(gists: list[str], paper: str) -> list[str]:
    """The text of each column of a Korean sheet of an event for each of ``gists``: two a
    page on A4, one on A5."""
    events = [
        {"start": 2000 + number, "title": f"사건 {number}", "body": gist}
        for number, gist in enumerate(gists)
    ]
    source = yaml.safe_dump(
        {"title": "반도체", "lang": "ko", "events": events}, allow_unicode=True, width=10_000
    )
    options = briefgen.BuildOptions(handout="sheet", paper=paper)
    pdf = briefgen.render_pdf(briefgen.loads(source), options)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            page.crop(box).extract_text()
            for page in document.pages
            for box in columns(page, 2 if paper == "A4" else 1)
        ]


def columns(page, count: int) -> list[tuple[float, float, float, float]]:
    """The boxes of ``count`` columns of equal width across ``page``."""
    width = page.width / count
    return [(width * number, 0, width * (number + 1), page.height) for number in range(count)]


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_korean_sheet_breaks_a_word_before_its_bracket_or_quote(paper):
    """A word that holds a bracket or quote (화웨이(Huawei)에, 연구개발(R&D), 인프라”라고)
    breaks between its syllables in the sheet as the rest of its text does, up to the letter
    the mark is kept with: it went down to the next line whole, and the line above was
    widened at its spaces by as much (반도체를 + 화웨이(Huawei)에 … 11 pt between words)."""
    text = "\n".join(korean_sheet_columns(KOREAN_MARKED_GISTS, paper))
    assert re.search(r"[가-힣]\n[가-힣][(“”‘’]", text), text


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_korean_sheet_starts_no_line_with_a_middle_dot(paper):
    """A middle dot between two names (삼성전자·인텔·TSMC) stays on the line of the name before
    it, as a comma does, where the sheet breaks Korean between syllables: UAX #14 lets a line
    break before one after Hangul, and the A5 sheet set 삼성전자·인텔 over ·TSMC 등."""
    for column in korean_sheet_columns(KOREAN_MARKED_GISTS, paper):
        assert not re.search(r"^[·・]", column, re.MULTILINE), column


def test_a_korean_entry_ending_in_a_bracket_keeps_two_syllables_on_its_last_line():
    """An entry's last line holds its last two syllables where its last word holds a
    bracket (발표했다(2024).), whose edge the line may break at: A4 sheets ended entries
    ``발표했`` over ``다(2024).``, a syllable alone on the line."""
    base = "정부는 반도체 설비 투자와 연구개발에 정책 금융을 포함해 총 규모의 종합 지원 프로그램을"
    gists = [
        f"{'가나다라마바사아자차카'[: number % 11]}{base} 최대 50%까지 늘리고 짓겠다고 "
        "발표했다(2024)."
        for number in range(14)
    ]
    for column in korean_sheet_columns(gists, "A4"):
        assert not re.search(r"^[가-힣]\(2024\)\.$", column, re.MULTILINE), column


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_korean_sheet_keeps_a_unit_sign_with_its_particle(paper):
    """A unit written as a sign keeps its particle on its line (50%까지, 710만㎡에), as a
    Latin word does (HBM3E를): an A5 sheet set 710만㎡ over 에 2042년까지."""
    gist = "부지는 710만㎡에서 720만㎡로, 공제율은 25%에서 50%까지 늘리고, 용적률은 300%를 넘기로"
    gists = [f"{'가나다라마바사아자차카'[: number % 11]}{gist} 했다." for number in range(10)]
    for column in korean_sheet_columns(gists, paper):
        assert not re.search(r"[%㎡]\n[가-힣]", column), column
