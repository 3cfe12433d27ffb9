"""Handouts: the imposed sheets' size, count and page order, their text, fonts and bookmarks."""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import sys

import pdfplumber
import pytest
from PIL import Image, ImageChops
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ContentStream,
    DictionaryObject,
    Fit,
    NameObject,
    NumberObject,
    TextStringObject,
)

import briefgen
from briefgen.handouts import IMPOSED, impose
from conftest import REPO, SAMPLE_PEOPLE, SAMPLE_PERIODS

MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
A4 = (210 * MM, 297 * MM)
B5 = (182 * MM, 257 * MM)  # JIS B5, briefgen's B5
LETTER = (8.5 * 72, 11 * 72)
HALF_LETTER = (5.5 * 72, 8.5 * 72)


def make_pdf(count: int, size: tuple[float, float] = A5, *, odd: dict[int, tuple] | None = None):
    """A PDF of ``count`` pages, page n showing "PAGE-n" near its top left, in Helvetica.

    ``odd`` gives other sizes to some pages (1-based). Page 1 carries a bookmark to every page
    and a link to page 5 by name; the document has a title, an author and a language.
    """
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for number in range(1, count + 1):
        width, height = (odd or {}).get(number, size)
        page = writer.add_blank_page(width=width, height=height)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = ContentStream(None, writer)
        content.set_data(b"BT /F1 14 Tf 40 %d Td (PAGE-%d) Tj ET" % (height - 60, number))
        page.replace_contents(content)
    writer.add_metadata({"/Title": "朝鮮半島簡報", "/Author": "briefgen tests"})
    writer.root_object[NameObject("/Lang")] = TextStringObject("zh-Hant")
    for index in range(count):
        writer.add_outline_item(
            title=f"Page {index + 1}", page_number=index, fit=Fit.xyz(left=40, top=size[1] - 40)
        )
    if count >= 5:
        writer.add_named_destination("page-5", 4)
        # A link by name, as WeasyPrint makes them (pypdf's Link makes page links).
        link = writer.add_annotation(0, Link(rect=(40, 40, 140, 60), url="https://example.org"))
        del link["/A"]
        link[NameObject("/Dest")] = TextStringObject("page-5")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def fragments(page: PageObject) -> list[tuple[float, str]]:
    """The page's words as shown, each with the x where it starts on the page (as poppler's
    and pdfplumber's readers place them, a page drawn on a sheet included)."""
    with pdfplumber.open(io.BytesIO(page.pdf.stream.getvalue())) as document:
        words = document.pages[page.page_number].extract_words()
    return [(word["x0"], word["text"]) for word in words]


def halves(page: PageObject) -> tuple[list[str], list[str]]:
    """The text on the left and on the right half of a sheet, each in reading order."""
    middle = float(page.mediabox.width) / 2
    found = fragments(page)
    return (
        [text for x, text in found if x < middle],
        [text for x, text in found if x >= middle],
    )


def page_labels(page: PageObject) -> tuple[list[str], list[str]]:
    """The "PAGE-n" labels on each half of a sheet."""
    left, right = halves(page)
    return [t for t in left if t.startswith("PAGE-")], [t for t in right if t.startswith("PAGE-")]


def saddle_stitch(count: int) -> list[tuple[int | None, int | None]]:
    """The booklet's sides (1-based pages, None blank), sheet by sheet from the outside in:
    sheet k's outer side carries pages m-2k and 2k+1, its inner side 2k+2 and m-2k-1."""
    pages = math.ceil(count / 4) * 4

    def page(number: int) -> int | None:
        return number if number <= count else None

    sides = []
    for k in range(pages // 4):
        sides.append((page(pages - 2 * k), page(2 * k + 1)))
        sides.append((page(2 * k + 2), page(pages - 2 * k - 1)))
    return sides


def flat(outline):
    """The bookmarks in order, nesting flattened."""
    for item in outline:
        if isinstance(item, list):
            yield from flat(item)
        else:
            yield item


def labels(side: tuple[int | None, int | None]) -> tuple[list[str], list[str]]:
    """What page_labels should find on a side of saddle_stitch."""
    left, right = side
    return ([] if left is None else [f"PAGE-{left}"], [] if right is None else [f"PAGE-{right}"])


# -- sheets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "sheet"),
    [
        pytest.param(A5, (297 * MM, 210 * MM), id="A5-on-A4"),
        pytest.param(A4, (420 * MM, 297 * MM), id="A4-on-A3"),
        pytest.param(B5, (364 * MM, 257 * MM), id="B5-on-B4"),
        pytest.param(LETTER, (17 * 72, 11 * 72), id="letter-on-tabloid"),
        # A letter printer's booklet: half-letter pages on the letter paper it takes.
        pytest.param(HALF_LETTER, (11 * 72, 8.5 * 72), id="half-letter-on-letter"),
    ],
)
@pytest.mark.parametrize("handout", IMPOSED)
def test_sheets_are_landscape_paper_for_two_pages(page, sheet, handout):
    reader = read(impose(make_pdf(6, page), handout))
    for side in reader.pages:
        assert float(side.mediabox.width) == pytest.approx(sheet[0], abs=0.5)
        assert float(side.mediabox.height) == pytest.approx(sheet[1], abs=0.5)


def test_a5_booklet_is_on_landscape_a4():
    side = read(impose(make_pdf(4, A5), "booklet")).pages[0]
    assert (float(side.mediabox.width), float(side.mediabox.height)) == (
        pytest.approx(841.89, abs=0.5),
        pytest.approx(595.28, abs=0.5),
    )


def test_two_a5_pages_meet_at_the_fold():
    # Two A5 pages are 1 mm narrower than A4: the spare paper goes to the outer edges. Read from
    # the placements (cm), as text positions in older pypdf's extract_text are not exact.
    side = read(impose(make_pdf(2, A5), "2up")).pages[0]
    shifts = [
        [float(number) for number in operands]
        for operands, operator in ContentStream(side.get_contents(), side.pdf).operations
        if operator == b"cm"
    ]
    middle = 297 * MM / 2
    assert shifts == [
        [1, 0, 0, 1, pytest.approx(middle - A5[0]), 0],
        [1, 0, 0, 1, pytest.approx(middle), 0],
    ]


@pytest.mark.parametrize("count", range(1, 14))
def test_side_count(count):
    pdf = make_pdf(count)
    assert len(read(impose(pdf, "booklet")).pages) == math.ceil(count / 4) * 2
    assert len(read(impose(pdf, "2up")).pages) == math.ceil(count / 2)


# -- page order -------------------------------------------------------------------------------


def test_saddle_stitch_reference_order():
    # The tests' own order, checked by hand for eight pages: 8|1, 2|7, 6|3, 4|5.
    assert saddle_stitch(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_stitch(5) == [(None, 1), (2, None), (None, 3), (4, 5)]


def test_booklet_outer_side_carries_last_then_first_page():
    count = 12
    sides = read(impose(make_pdf(count), "booklet")).pages
    assert [text for _, text in sorted(fragments(sides[0]))] == [f"PAGE-{count}", "PAGE-1"]
    assert [text for _, text in sorted(fragments(sides[1]))] == ["PAGE-2", f"PAGE-{count - 1}"]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17])
def test_booklet_order(count):
    sides = read(impose(make_pdf(count), "booklet")).pages
    assert [page_labels(side) for side in sides] == [labels(s) for s in saddle_stitch(count)]


def test_booklet_blanks_come_after_the_last_page():
    # Six pages: blanks are slots 7 and 8, so page 6 (the text's end) is not the back cover.
    sides = read(impose(make_pdf(6), "booklet")).pages
    assert [page_labels(side) for side in sides] == [
        ([], ["PAGE-1"]),
        (["PAGE-2"], []),
        (["PAGE-6"], ["PAGE-3"]),
        (["PAGE-4"], ["PAGE-5"]),
    ]


@pytest.mark.parametrize("count", [1, 2, 5, 6])
def test_two_up_order(count):
    sides = read(impose(make_pdf(count), "2up")).pages
    expected = [
        ([f"PAGE-{n}"], [f"PAGE-{n + 1}"] if n < count else []) for n in range(1, count + 1, 2)
    ]
    assert [page_labels(side) for side in sides] == expected


# -- the document around the pages -------------------------------------------------------------


@pytest.mark.parametrize("handout", IMPOSED)
def test_title_author_and_language_are_kept(handout):
    reader = read(impose(make_pdf(5), handout))
    assert reader.metadata.title == "朝鮮半島簡報"
    assert reader.metadata.author == "briefgen tests"
    assert reader.root_object["/Lang"] == "zh-Hant"


@pytest.mark.parametrize("handout", IMPOSED)
def test_window_still_shows_the_title(handout):
    # WeasyPrint asks viewers to show the title, not the file name; a page range to print
    # names pages of the original, which the sheets are not.
    writer = PdfWriter(clone_from=read(make_pdf(5)))
    writer.root_object[NameObject("/ViewerPreferences")] = DictionaryObject(
        {
            NameObject("/DisplayDocTitle"): BooleanObject(True),
            NameObject("/PrintPageRange"): ArrayObject([NumberObject(4), NumberObject(4)]),
        }
    )
    out = io.BytesIO()
    writer.write(out)
    preferences = read(impose(out.getvalue(), handout)).root_object["/ViewerPreferences"]
    assert preferences["/DisplayDocTitle"] == BooleanObject(True)
    assert "/PrintPageRange" not in preferences


def test_booklet_asks_the_print_dialog_for_both_sides_flipped_on_the_short_edge():
    preferences = read(impose(make_pdf(5), "booklet")).root_object["/ViewerPreferences"]
    assert preferences["/Duplex"] == "/DuplexFlipShortEdge"
    assert preferences["/PrintScaling"] == "/None"  # at 100 %


def test_two_up_sheets_leave_the_print_dialog_as_it_is():
    # Two pages a sheet read well printed on one side or on both, flipped either way.
    assert "/ViewerPreferences" not in read(impose(make_pdf(5), "2up")).root_object


def test_bookmarks_point_at_the_sheet_showing_their_page():
    reader = read(impose(make_pdf(6), "booklet"))
    # Pages 1..6 are on sides 0, 1, 2, 3, 3, 2 (see test_booklet_blanks_come_after_the_last_page).
    bookmarks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert bookmarks == [
        ("Page 1", 0),
        ("Page 2", 1),
        ("Page 3", 2),
        ("Page 4", 3),
        ("Page 5", 3),
        ("Page 6", 2),
    ]
    # ...and at the same point of the page: page 1 is the right half, page 6 the left.
    middle = float(reader.pages[0].mediabox.width) / 2
    assert reader.outline[0].left == pytest.approx(middle + 40)
    assert reader.outline[5].left == pytest.approx(middle - A5[0] + 40)
    assert reader.outline[0].top == pytest.approx(A5[1] - 40)


def test_links_by_name_go_to_the_sheet_showing_the_target():
    reader = read(impose(make_pdf(8), "booklet"))
    first = reader.pages[0]  # page 8 | page 1: the link is on page 1, the right half
    (link,) = [annotation.get_object() for annotation in first["/Annots"]]
    assert float(link["/Rect"][0]) > float(first.mediabox.width) / 2
    target = reader.named_destinations[link["/Dest"]]
    assert reader.get_destination_page_number(target) == 3  # page 5: the sheet 4 | 5, right


def test_links_to_a_page_of_the_original_are_dropped_not_copied_with_their_page():
    pdf = make_pdf(4)
    writer = PdfWriter(clone_from=read(pdf))
    writer.add_annotation(0, Link(rect=(40, 40, 140, 60), target_page_index=3))
    out = io.BytesIO()
    writer.write(out)
    imposed = impose(out.getvalue(), "booklet")
    assert not read(imposed).pages[0].get("/Annots")  # page 1 is on the first side
    # Only the two sheet sides are pages: no original page came along with the link.
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", imposed)) == 2


# -- text, fonts, reproducibility --------------------------------------------------------------


def test_text_stays_text():
    reader = read(impose(make_pdf(4), "booklet"))
    assert "PAGE-4" in reader.pages[0].extract_text()
    for side in reader.pages:
        for page in side["/Resources"].get("/XObject", {}).values():
            assert page.get_object()["/Subtype"] != "/Image", "pages must not become images"


@pytest.mark.parametrize("handout", IMPOSED)
def test_same_input_same_bytes(handout):
    pdf = make_pdf(7)
    assert impose(pdf, handout) == impose(pdf, handout)


def test_same_bytes_in_another_process():
    # Set iteration order changes with the hash seed; nothing of it may reach the output.
    script = (
        "import sys; from briefgen.handouts import impose; "
        "sys.stdout.buffer.write(impose(sys.stdin.buffer.read(), 'booklet'))"
    )
    pdf = make_pdf(7)
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script],
            input=pdf,
            capture_output=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO / "src")},
            timeout=60,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1] == impose(pdf, "booklet")
    assert b"/ID" not in outputs[0] and b"/CreationDate" not in outputs[0]


# -- refusals ----------------------------------------------------------------------------------


def test_pages_of_another_size_are_refused_by_number():
    pdf = make_pdf(4, A5, odd={3: A4})
    with pytest.raises(ValueError, match=r"page 3 is 595\.28 x 841\.89 pt"):
        impose(pdf, "booklet")


def test_a_turned_page_is_refused_by_number():
    # Merging would lose the /Rotate, and the page would come out on its side.
    writer = PdfWriter(clone_from=read(make_pdf(3, A5, odd={2: A5[::-1]})))
    writer.pages[1].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValueError, match=r"page 2 is turned by /Rotate 90"):
        impose(out.getvalue(), "booklet")


def test_unknown_handout_is_refused():
    with pytest.raises(ValueError, match="choose from booklet, 2up"):
        impose(make_pdf(2), "4up")


def test_pdf_without_pages_is_refused():
    out = io.BytesIO()
    PdfWriter().write(out)
    with pytest.raises(ValueError, match="no pages"):
        impose(out.getvalue(), "booklet")


# -- a real briefing -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_a5(sample) -> bytes:
    return briefgen.render_pdf(sample, paper="A5")


@pytest.fixture(scope="module")
def sample_booklet(sample_a5) -> bytes:
    return impose(sample_a5, "booklet")


@pytest.mark.slow
def test_briefing_booklet_sides_show_the_original_pages_in_order(sample_a5, sample_booklet):
    pages = [[text for _, text in fragments(page)] for page in read(sample_a5).pages]
    sides = read(sample_booklet).pages
    assert len(sides) == math.ceil(len(pages) / 4) * 2
    for side, (left, right) in zip(sides, saddle_stitch(len(pages)), strict=True):
        assert halves(side) == (
            [] if left is None else pages[left - 1],
            [] if right is None else pages[right - 1],
        )


@pytest.mark.slow
def test_briefing_booklet_is_on_a4_with_its_words_and_embedded_fonts(sample, sample_booklet):
    reader = read(sample_booklet)
    for side in reader.pages:
        assert float(side.mediabox.width) == pytest.approx(841.89, abs=0.5)
        assert float(side.mediabox.height) == pytest.approx(595.28, abs=0.5)
    text = "".join(side.extract_text() for side in reader.pages).replace("\n", "")
    for words in (sample.title, *SAMPLE_PERIODS, *SAMPLE_PEOPLE):
        assert words in text
    # On the sheet, or on the pages it draws as form XObjects.
    resources = [side["/Resources"] for side in reader.pages] + [
        page.get_object()["/Resources"]
        for side in reader.pages
        for page in side["/Resources"].get("/XObject", {}).values()
    ]
    fonts = [font.get_object() for found in resources for font in found.get("/Font", {}).values()]
    assert fonts
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
    assert reader.metadata.title == sample.title
    assert reader.root_object["/Lang"] == sample.lang
    preferences = reader.root_object["/ViewerPreferences"]
    assert preferences["/DisplayDocTitle"] == BooleanObject(True)
    assert preferences["/Duplex"] == "/DuplexFlipShortEdge"


@pytest.mark.slow
def test_briefing_bookmarks_and_table_of_contents_links_still_work(sample_a5, sample_booklet):
    original, reader = read(sample_a5), read(sample_booklet)
    side_of = {
        page: number
        for number, side in enumerate(saddle_stitch(len(original.pages)))
        for page in side
        if page is not None
    }
    bookmarks = list(flat(reader.outline))
    assert [item.title for item in bookmarks] == [item.title for item in flat(original.outline)]
    for item, was in zip(bookmarks, flat(original.outline), strict=True):
        page = original.get_destination_page_number(was) + 1
        assert reader.get_destination_page_number(item) == side_of[page], item.title
    names = reader.named_destinations
    assert names.keys() == original.named_destinations.keys()
    for name, destination in original.named_destinations.items():
        page = original.get_destination_page_number(destination) + 1
        assert reader.get_destination_page_number(names[name]) == side_of[page], name
    links = [
        annotation.get_object()["/Dest"]
        for side in reader.pages
        for annotation in side.get("/Annots", [])
        if "/Dest" in annotation.get_object()
    ]
    assert links and set(links) <= names.keys()


@pytest.mark.slow
def test_briefing_booklet_is_reproducible(sample_a5, sample_booklet):
    assert impose(sample_a5, "booklet") == sample_booklet


@pytest.mark.slow
def test_a_page_on_a_sheet_looks_as_it_does_alone(sample):
    """The first page, on the right half of the A4 booklet's first sheet, drawn dot for dot
    as the page alone: the contents' dotted leaders, drawn with a pattern, included (merged
    into the sheet's content, the pattern stayed where the page had it, and the dots fell
    out of step with the titles they follow). At 127 dpi an A4 page is 1,050 dots wide, so
    the right half begins on a whole dot."""
    pdf = briefgen.render_pdf(sample, source_date_epoch=1700000000)
    page = rendered(pdf, 1)
    sheet = rendered(impose(pdf, "booklet"), 1)
    half = sheet.width // 2
    right = sheet.crop((half, 0, half + page.width - 1, sheet.height))
    assert (
        ImageChops.difference(page.crop((0, 0, page.width - 1, page.height)), right).getbbox()
        is None
    )


def rendered(pdf: bytes, page: int) -> Image.Image:
    """A page of the PDF as poppler draws it at 127 dpi (5 dots a millimetre), in grey."""
    run = subprocess.run(
        ["pdftoppm", "-r", "127", "-f", str(page), "-l", str(page), "-png", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return Image.open(io.BytesIO(run.stdout)).convert("L")
