"""The PDF as a reader gets it: text, fonts, bookmarks, metadata, page furniture."""

from __future__ import annotations

import io
import itertools
import logging
import re
import zipfile

import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream
from test_cjk_spacing import han_latin
from test_justify import Line

import briefgen
from briefgen import fonts
from conftest import SAMPLE_PEOPLE, SAMPLE_PERIODS, figure_alts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_pdf(sample) -> tuple[PdfReader, list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep(level=logging.WARNING)
    logger = logging.getLogger("briefgen")
    logger.addHandler(handler)
    try:
        data = briefgen.render_pdf(sample)
    finally:
        logger.removeHandler(handler)
    return PdfReader(io.BytesIO(data)), records


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_nothing_was_logged(sample_pdf):
    _, records = sample_pdf
    assert [record.getMessage() for record in records] == []


def test_text_reads_back_with_title_periods_and_names(sample_pdf, sample):
    reader, _ = sample_pdf
    text = "".join(page_texts(reader)).replace("\n", "")
    assert sample.title in text
    for label in SAMPLE_PERIODS:
        assert label in text
    for name in SAMPLE_PEOPLE:
        assert name in text
    # Correct Traditional forms survived the font subset and ToUnicode maps.
    for word in ("關係", "蘇聯", "戰爭", "聯合國", "饑荒"):  # the sample writes 饑荒
        assert word in text


def test_every_font_is_an_embedded_shipped_subset(sample_pdf):
    reader, _ = sample_pdf
    shipped = {face.postscript_name: len(fonts.covered(face)) for face in fonts.FACES}
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            program = (
                next(
                    descriptor[key]
                    for key in ("/FontFile3", "/FontFile2", "/FontFile")
                    if key in descriptor
                )
                .get_object()
                .get_data()
            )
            embedded = TTFont(io.BytesIO(program))
            name = embedded["name"].getDebugName(6)
            assert name in shipped, f"{font['/BaseFont']} is not one of briefgen's fonts"
            assert len(embedded.getBestCmap()) < shipped[name] / 20, "font is not a subset"
            seen.add(name)
    assert seen == set(shipped)


def embedded_font_names(reader: PdfReader) -> set[str]:
    """The base names of the PDF's fonts, without their subset tags."""
    return {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


def test_a_character_the_fonts_lack_is_not_drawn_in_a_font_of_the_machines(write_briefing, caplog):
    """An emoji the shipped fonts lack, and a code span (monospace to a browser), are set in
    the briefing's fonts on every machine: Pango drew them in the machine's own fonts where
    it had some (DejaVu Sans and DejaVu Sans Mono on Debian), so the same briefing made
    another PDF on another machine, and the warning that the emoji prints as an empty box
    was untrue where it was built."""
    path = write_briefing("""
        title: 測試
        events:
          - start: 2020
            title: 事件
            body: "內容 😀 好，用 `pip` 安裝"
    """)
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        pdf = briefgen.render_pdf(briefgen.load(path))
    reader = PdfReader(io.BytesIO(pdf))
    assert embedded_font_names(reader) == {
        "briefgen-Noto-Serif-CJK-TC",
        "briefgen-Noto-Sans-CJK-TC-Bold",
    }
    # The box still copies back as the character written, and the warning said so once.
    assert "😀" in "".join(page_texts(reader))
    [warning] = [record.getMessage() for record in caplog.records if record.name == "briefgen"]
    assert warning.endswith(
        'briefing.yaml:5:15: events[0].body: character "😀" (U+1F600 GRINNING FACE) is not in '
        "briefgen's fonts; it would print as an empty box\n"
        "    hint: replace it, or write it with a more common character, or name a font of "
        "your own that has it (fonts: in the briefing)"
    )


def test_bookmarks_list_title_every_period_and_sections(sample_pdf, sample):
    reader, _ = sample_pdf
    [top] = [item for item in reader.outline if not isinstance(item, list)]
    assert top.title == sample.title
    children = reader.outline[1]
    titles = [item.title for item in children]
    events = [f"{when}　{e.title}" for when, e in zip(SAMPLE_PERIODS, sample.events, strict=True)]
    assert titles == ["摘要", *events, "人物", "資料來源"]


def test_table_of_contents_has_page_numbers(sample_pdf, sample):
    reader, _ = sample_pdf
    first = page_texts(reader)[0]
    assert "目錄" in first
    last_event = sample.events[-1]
    line = next(line for line in first.splitlines() if last_event.title in line)
    assert line.rstrip()[-1].isdigit()


def test_pages_say_page_n_of_m(sample_pdf):
    reader, _ = sample_pdf
    total = len(reader.pages)
    assert total >= 3
    for number, text in enumerate(page_texts(reader), start=1):
        assert f"第 {number} 頁／共 {total} 頁" in text


def test_running_header_carries_the_title_after_the_first_page(sample_pdf, sample):
    reader, _ = sample_pdf
    texts = page_texts(reader)
    assert sample.title not in texts[0].split(sample.title, 1)[1]  # only the cover's own title
    assert f"{sample.title} {SAMPLE_PERIODS[0]}" in texts[1]  # title, then the period


def test_running_header_and_colophon_dates_are_spaced_as_the_text(sample_pdf):
    """The period in the running header and the colophon's date, each in a box as wide as
    its text, get the quarter em between Han and digits that the body text gets."""
    reader, _ = sample_pdf
    with pdfplumber.open(reader.stream) as document:
        page = document.pages[1]
        header = sorted(
            (c for c in page.chars if c["top"] < 60 and c["x0"] > page.width / 2),
            key=lambda c: c["x0"],
        )
        assert "".join(c["text"] for c in header) == SAMPLE_PERIODS[0]
        last = document.pages[-1]
        date = last.search(r"\d{4}年\d{1,2}月\d{1,2}日", return_chars=True)[-1]["chars"]
    for chars in (header, date):
        gaps = [width for _, width in han_latin(Line(0, chars[0]["top"], chars))]
        assert len(gaps) >= 3
        assert gaps == pytest.approx([0.25] * len(gaps), abs=0.03)


def test_metadata_and_language(sample_pdf, sample):
    reader, _ = sample_pdf
    assert reader.metadata.title == sample.title
    assert reader.metadata.author == "briefgen 編輯組"
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hant"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert reader.metadata.subject == sample.subtitle
    keywords = reader.metadata["/Keywords"].split(", ")
    assert keywords[:3] == ["冷戰", "分治", "戰爭"] and len(keywords) == len(set(keywords)) == 12


def test_a_summary_written_over_lines_is_one_line_of_words_in_the_subject():
    """A line break inside a paragraph is a space between words, in the PDF's Subject as
    in the text: "teachers\\nbrief" is not "teachersbrief"."""
    briefing = briefgen.loads(
        "title: Campus drills\nlang: en\nsummary: |\n  Three drills this term; teachers\n"
        "  brief their classes a week before.\nevents:\n  - {start: 2025, title: Drill}\n"
    )
    reader = PdfReader(io.BytesIO(briefgen.render_pdf(briefing)))
    assert (
        reader.metadata.subject
        == "Three drills this term; teachers brief their classes a week before."
    )


LISTED_SUMMARY = (
    "title: 大選\nlang: zh-Hant\nsummary: |\n  本週要點：\n\n  - 一、選舉。\n  - 二、*民調*。\n\n"
    "  ## 背景\n\n  詳見報導。\nevents:\n  - {start: 2021, title: 投票}\n"
)


def test_a_summary_of_paragraphs_and_a_list_is_described_without_its_marks(tmp_path):
    """The summary as the PDF's Subject and the HTML's description: its list's dashes and
    its heading's hashes were set as text (本週要點：  - 一、選舉。 - 二、民調。  ## 背景),
    and two spaces after a full-width stop; the EPUB's description, a line a block, kept
    them too."""
    briefing = briefgen.loads(LISTED_SUMMARY)
    line = "本週要點：一、選舉。二、民調。背景 詳見報導。"
    reader = PdfReader(io.BytesIO(briefgen.render_pdf(briefing)))
    assert reader.metadata.subject == line
    assert f'<meta name="description" content="{line}" />' in briefgen.render_html(briefing)
    [epub] = briefgen.build(briefing, "epub", tmp_path, stem="b")
    with zipfile.ZipFile(epub) as book:
        opf = book.read("EPUB/content.opf").decode()
    assert "<dc:description>本週要點：\n一、選舉。\n二、民調。\n背景\n詳見報導。</" in opf


def untagged_text(reader: PdfReader) -> list[tuple[int, str]]:
    """Text-showing operators outside any marked-content sequence, as (page, operator): what
    a screen reader would meet with no structure to place it in."""
    found = []
    for number, page in enumerate(reader.pages, start=1):
        depth = 0
        for _, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            elif operator in (b"Tj", b"TJ", b"'", b'"') and depth == 0:
                found.append((number, operator.decode()))
    return found


def test_tagged_pdf_ua_by_default(sample_pdf):
    reader, _ = sample_pdf
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    assert untagged_text(reader) == []
    assert sum(1 for page in reader.pages if "/StructParents" in page) == len(reader.pages)


def test_pdf_a_3b_for_archives(write_briefing):
    briefing = briefgen.load(write_briefing("title: 檔案\nevents: [{start: 1950, title: 事件}]\n"))
    reader = PdfReader(io.BytesIO(briefgen.render_pdf(briefing, pdf_variant="pdf/a-3b")))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3" pdfaid:conformance="B"' in xmp
    assert "/StructTreeRoot" in reader.trailer["/Root"]


@pytest.mark.parametrize(
    ("lang", "byline"),
    [
        # The bold face draws ・, ·, • and ‧ with one glyph, so a PDF can give back only one
        # of them (the lowest code point the subset maps to it).
        ("zh-Hant", r"編輯組[・·]新聞社[・·]2023年9月13日"),
        ("en", r"Ada Lovelace · Example Press · 13 September 2023"),
    ],
)
def test_byline_separator_follows_the_language(write_briefing, lang, byline):
    path = write_briefing(f"""
        title: T
        lang: {lang}
        authors: [{"編輯組" if lang == "zh-Hant" else "Ada Lovelace"}]
        publisher: {"新聞社" if lang == "zh-Hant" else "Example Press"}
        date: 2023-09-13
        events:
          - {{start: 1950, title: e}}
    """)
    reader = PdfReader(io.BytesIO(briefgen.render_pdf(briefgen.load(path))))
    assert re.search(byline, reader.pages[0].extract_text())


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "ja", "ko", "en"])
def test_text_in_local_forms_reads_back(write_briefing, lang):
    """Glyphs in Simplified, Japanese or Korean form still copy as their characters, and so
    do the digits, which English text draws in other forms."""
    path = write_briefing(f"""
        title: 骨直述令，化
        lang: {lang}
        events:
          - {{start: 1950, title: 骨直述令。2023 Sep}}
    """)
    reader = PdfReader(io.BytesIO(briefgen.render_pdf(briefgen.load(path))))
    text = "".join(page_texts(reader))
    assert "骨直述令，化" in text
    assert "骨直述令。2023 Sep" in text


@pytest.mark.parametrize(
    ("lang", "title", "contents", "footer", "when"),
    [
        ("ja", "朝鮮戦争の開戦", "目次", "{page}／{pages} ページ", "1950年6月25日"),
        ("ko", "한국 전쟁 발발", "목차", "{pages}쪽 중 {page}쪽", "1950년 6월 25일"),
        ("en", "The war begins", "Contents", "Page {page} of {pages}", "25 June 1950"),
    ],
    ids=["ja", "ko", "en"],
)
def test_labels_and_dates_follow_the_language(write_briefing, lang, title, contents, footer, when):
    # A body long enough to run onto a second page, so that "page of pages" shows its order.
    sentence = f"{title}. " if lang == "en" else f"{title}。"
    path = write_briefing(f"""
        title: T
        lang: {lang}
        events:
          - {{start: 1950-06-25, title: {title}, body: "{sentence * 300}"}}
    """)
    reader = PdfReader(io.BytesIO(briefgen.render_pdf(briefgen.load(path))))
    texts = page_texts(reader)
    assert len(texts) == 2
    assert contents in texts[0].splitlines()
    for number, text in enumerate(texts, start=1):
        assert text.splitlines()[-1] == footer.format(page=number, pages=len(texts))
    # The label derived from `start`, in the contents and in the event's own heading (whose
    # ideographic space separator pypdf reads back as a plain space).
    assert any(line.startswith(f"{when} {title} ") for line in texts[0].splitlines())
    assert f"{when} {title}" in texts[0].splitlines()


ENGLISH = """\
title: Corridor
lang: en
summary: |
  Over three decades the governments negotiated, suspended and revived a series of
  internationalisation agreements covering railways, ports and telecommunications
  infrastructure. Counterintelligence concerns, extraterritorial sanctions and
  intergovernmental disagreements repeatedly interrupted implementation, and the
  commission postponed its meetings indefinitely while counterproliferation specialists
  argued that infrastructure cooperation would undermine the negotiating leverage.
events: [{start: 1990, title: Talks}]
"""


def test_justified_english_is_hyphenated_and_its_spaces_stay_narrow():
    """Without hyphenation an A5 line's spare width all went into its few spaces, two ems
    of them beside a long word."""
    pdf = briefgen.render_pdf(briefgen.loads(ENGLISH), paper="A5")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        body = [char for char in page.chars if abs(char["size"] - 10.5) < 0.1]
        rows: dict[int, list] = {}
        for char in body:
            rows.setdefault(round(char["top"]), []).append(char)
    lines = [sorted(row, key=lambda char: char["x0"]) for _, row in sorted(rows.items())]
    lines = [line for line in lines if len(line) > 30]
    assert sum(line[-1]["text"] == "-" for line in lines) >= 2  # a hyphen at the end
    for line in lines[:-1]:  # the last line is set ragged
        gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(line)]
        assert max(gaps) < 0.6 * 10.5, "".join(char["text"] for char in line)


def test_the_hyphen_at_a_line_end_is_drawn_in_the_text_face():
    """The hyphen WeasyPrint adds where it breaks an English word is not in the text, so it
    was left out of the font subsets and drawn in a font of the machine's (DejaVu Serif on
    Debian; an empty box on a machine without it)."""
    pdf = briefgen.render_pdf(briefgen.loads(ENGLISH), paper="A5")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        hyphens = [char for char in document.pages[0].chars if char["text"] in "-\u2010"]
    assert len(hyphens) >= 2
    assert {char["fontname"].split("+", 1)[-1] for char in hyphens} == {
        "briefgen-Noto-Serif-CJK-TC"
    }


@pytest.mark.parametrize("handout", [None, "sheet"])
def test_the_hyphen_at_a_line_end_is_as_narrow_as_a_hyphen(handout):
    """The CJK faces draw WeasyPrint's default hyphen, U+2010, a full em wide: every broken
    English word ended "friend -", the dash adrift from the word, on the pages and on the
    one-sheet handout alike."""
    # The summary's words as an event's body too, one sentence: the sheet shows the first.
    words = " ".join(ENGLISH.split("summary: |")[1].split("events:")[0].split())
    body = words.replace(". C", "; c")
    text = f"title: Corridor\nlang: en\nevents: [{{start: 1990, title: Talks, body: '{body}'}}]\n"
    pdf = briefgen.render_pdf(briefgen.loads(text), paper="A5", handout=handout)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = [char for page in document.pages for char in page.chars]
    ends = [
        char
        for char, after in itertools.pairwise(chars)
        if char["text"] in "-\u2010" and abs(after["top"] - char["top"]) > 1
    ]
    assert ends
    for char in ends:
        assert char["width"] < 0.5 * char["size"], char["text"]


def test_the_timeline_s_figure_says_it_is_a_timeline(sample_pdf):
    """The visual timeline is a Figure whose one text is its alternative: it was the years
    alone, "1945年至2023年", which tell a reader who hears it not what the picture is."""
    reader, _ = sample_pdf
    assert figure_alts(reader) == ["大事時間軸：1945年至2023年"]
