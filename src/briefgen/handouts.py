"""Handouts: the finished PDF's pages imposed two to a landscape sheet, as a booklet or 2-up.

Teachers and newsrooms print briefings on a school or office printer: a ``booklet`` is printed
double-sided (flip on the short edge), folded once and stapled on the fold, and reads as a small
book; ``2up`` puts two consecutive pages side by side to halve the paper. The original pages are
drawn on the sheets as form XObjects, vector content with the original fonts, so the text stays
sharp, selectable and searchable. A sheet is twice the page, or the printer's paper where twice
the page is within 1.5 mm of it (two A5 pages are 296 mm wide, A4 is 297 mm), and the pages then
meet at the sheet's centre, where the fold goes. A booklet's page count is made up to a multiple
of four with blank pages at the end: briefgen's last page is the end of the sources and the
colophon, not a back cover, so blanks put before it would interrupt the text.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    Destination,
    DictionaryObject,
    Fit,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    RectangleObject,
    TextStringObject,
)

from .options import IMPOSED

#: A sheet side: the source pages on its left and right half (0-based), None for a blank half.
_Side = tuple[int | None, int | None]

_MM = 72 / 25.4
#: Landscape paper that handouts are printed on, in pt. A sheet snaps to one of these when twice
#: the page is within _SNAP of it, so that printing at 100 % puts the fold at the paper's centre.
_PAPER = (
    (297 * _MM, 210 * _MM),  # A4, for A5 pages (2 x 148 mm = 296 mm)
    (420 * _MM, 297 * _MM),  # A3, for A4 pages
    (353 * _MM, 250 * _MM),  # ISO B4, for ISO B5 pages (2 x 176 mm = 352 mm)
    (364 * _MM, 257 * _MM),  # JIS B4, for JIS B5 pages
    (17 * 72, 11 * 72),  # tabloid, for letter pages
)
_SNAP = 1.5 * _MM
#: How far page sizes may differ (in pt) and still count as one size: rounding, not design.
_SAME_SIZE = 0.01


@dataclass(frozen=True)
class _Spot:
    """Where a source page went: the output page (sheet side) and the shift onto it."""

    side: int
    dx: float
    dy: float


@dataclass(frozen=True)
class _View:
    """A point on an output page, for a link or bookmark to show at the window's top left."""

    side: int
    left: float
    top: float


def impose(pdf: bytes, handout: str) -> bytes:
    """The finished PDF's pages imposed for a handout: ``booklet`` or ``2up`` (:data:`IMPOSED`).

    ``booklet``: one output page per sheet side, in saddle-stitch order — for n pages (made up
    to a multiple of four with blank pages at the end) the sides carry n and 1, 2 and n-1, n-2
    and 3, … (left, right). ``2up``: pages 1 and 2, 3 and 4, … side by side; an odd last page
    has a blank right half. The document information (title, author, …), the language, the
    viewer preferences, the bookmarks and the links (pointed at the sheet that now shows their
    target) are kept. The same input gives the same bytes.

    Raises ValueError for an unknown handout, a PDF without pages, pages of different sizes or
    a page turned by /Rotate.
    """
    if handout not in IMPOSED:
        raise ValueError(f"unknown handout {handout!r}; choose from {', '.join(IMPOSED)}")
    reader = PdfReader(io.BytesIO(pdf))
    box = _page_box(reader)
    sides = _LAYOUTS[handout](len(reader.pages))
    writer = PdfWriter()
    spots = _place_pages(reader, writer, sides, box)
    _copy_document_info(reader, writer)
    if handout == "booklet":
        _ask_for_booklet_printing(writer)
    _copy_named_destinations(reader, writer, spots)
    _copy_outline(reader, writer, spots, reader.outline, parent=None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _booklet_sides(count: int) -> list[_Side]:
    """The sheet sides of a saddle-stitched booklet of ``count`` pages, outer side first."""
    slots = -(-count // 4) * 4

    def page(number: int) -> int | None:  # 1-based slot -> 0-based page; the slots past it: blank
        return number - 1 if number <= count else None

    sides: list[_Side] = []
    for i in range(slots // 2):
        low, high = page(i + 1), page(slots - i)
        # The outer side of each sheet has the high page on the left, the inner side the low one.
        sides.append((high, low) if i % 2 == 0 else (low, high))
    return sides


def _two_up_sides(count: int) -> list[_Side]:
    """Consecutive pages side by side, the last one alone if the count is odd."""
    return [(i, i + 1 if i + 1 < count else None) for i in range(0, count, 2)]


_LAYOUTS: dict[str, Callable[[int], list[_Side]]] = {
    "booklet": _booklet_sides,
    "2up": _two_up_sides,
}


def _sheet_width(width: float, height: float) -> float:
    """The width (pt) of the landscape sheet for two pages of ``width`` x ``height`` pt; the
    sheet is as high as the page (each paper in _PAPER is as high as its pages)."""
    for paper_width, paper_height in _PAPER:
        if abs(paper_width - 2 * width) <= _SNAP and abs(paper_height - height) <= _SNAP:
            return paper_width
    return 2 * width


def _page_box(reader: PdfReader) -> RectangleObject:
    """The first page's crop box (what a viewer shows, and what a page drawn on a sheet is
    clipped to), after checking that every page has its size and none is turned."""
    if not reader.pages:
        raise ValueError("the PDF has no pages to impose")
    first: RectangleObject = reader.pages[0].cropbox
    for number, page in enumerate(reader.pages, start=1):
        if page.rotation:
            # Merging would drop the /Rotate; WeasyPrint never sets it, so refuse, not guess.
            raise ValueError(
                f"page {number} is turned by /Rotate {page.rotation}; cannot impose it"
            )
        box = page.cropbox
        if abs(box.width - first.width) > _SAME_SIZE or abs(box.height - first.height) > _SAME_SIZE:
            raise ValueError(
                f"page {number} is {box.width:.2f} x {box.height:.2f} pt but page 1 is "
                f"{first.width:.2f} x {first.height:.2f} pt; a handout needs pages of one size"
            )
    return first


def _place_pages(
    reader: PdfReader, writer: PdfWriter, sides: list[_Side], box: RectangleObject
) -> dict[int, _Spot]:
    """Add one sheet per side to ``writer`` with its pages drawn on it; where each page went."""
    width, height = float(box.width), float(box.height)
    sheet_width = _sheet_width(width, height)
    # The two halves meet at the centre (the fold); any extra paper is left at the outer edges.
    lefts = (sheet_width / 2 - width, sheet_width / 2)
    spots: dict[int, _Spot] = {}
    for number, side in enumerate(sides):
        sheet = writer.add_blank_page(width=sheet_width, height=height)
        forms = DictionaryObject()
        drawn = b""
        annotations = ArrayObject()
        for index, left in zip(side, lefts, strict=True):
            if index is None:
                continue
            spot = _Spot(number, left - float(box.left), -float(box.bottom))
            page = reader.pages[index]
            _drop_links_to_pages(page)
            name = NameObject(f"/Page{len(forms)}")
            forms[name] = _as_form(writer, page)
            drawn += b"q 1 0 0 1 %s %s cm %s Do Q\n" % (
                _real(spot.dx),
                _real(spot.dy),
                name.encode(),
            )
            annotations.extend(_moved_annotations(writer, page, spot))
            spots[index] = spot
        content = DecodedStreamObject()
        content.set_data(drawn)
        sheet.replace_contents(content.flate_encode())
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): forms})
        if annotations:
            sheet[NameObject("/Annots")] = annotations
    return spots


def _as_form(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """The page as a form XObject, drawn on a sheet as it is: its content streams are copied,
    not parsed and rewritten, as merging pages would (a minute for the 180 pages of a
    600-event briefing). Its resources are copied once however many pages share them."""
    contents = page.get("/Contents")
    streams = contents.get_object() if contents is not None else ArrayObject()
    if not isinstance(streams, ArrayObject):
        streams = ArrayObject([streams])
    data = b"\n".join(stream.get_object().get_data() for stream in streams)
    form = DecodedStreamObject()
    form.set_data(data)
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(value) for value in page.cropbox)
    resources = page.get("/Resources")
    if resources is not None:
        form[NameObject("/Resources")] = resources.get_object().clone(writer)
    return writer._add_object(form.flate_encode())


def _moved_annotations(writer: PdfWriter, page: PageObject, spot: _Spot) -> list[IndirectObject]:
    """The page's annotations (its links) copied onto the sheet, moved with the page; without
    their page and their place in a structure tree, which the sheets do not have."""
    moved = []
    for reference in page.get("/Annots", ArrayObject()):
        annotation = reference.get_object().clone(
            writer, force_duplicate=True, ignore_fields=("/P", "/StructParent", "/Parent")
        )
        for key in ("/Rect", "/QuadPoints"):
            if key in annotation:
                values = [
                    float(value) + (spot.dx if i % 2 == 0 else spot.dy)
                    for i, value in enumerate(annotation[key])
                ]
                if key == "/Rect":  # lower left, upper right, as some readers expect
                    xs, ys = values[0::2], values[1::2]
                    values = [min(xs), min(ys), max(xs), max(ys)]
                annotation[NameObject(key)] = ArrayObject(map(FloatObject, values))
        moved.append(annotation.indirect_reference or writer._add_object(annotation))
    return moved


def _real(value: float) -> bytes:
    """A number as PDF writes it, without pypdf's exponents or a negative zero."""
    return f"{value + 0.0:f}".rstrip("0").rstrip(".").encode() or b"0"


def _drop_links_to_pages(page: PageObject) -> None:
    """Drop the links that name a page of the original (rather than a named destination): the
    imposed PDF no longer has that page, and copying the link would copy the page with it.

    WeasyPrint links by name only, and named destinations are carried over; this is for other
    PDFs.
    """
    annotations = page.get("/Annots")
    if annotations is None:
        return
    kept = ArrayObject(
        reference
        for reference in annotations.get_object()
        if not isinstance(_link_target(reference.get_object()), ArrayObject)
    )
    page[NameObject("/Annots")] = kept


def _link_target(annotation: DictionaryObject) -> object:
    """The destination of a link in this document (a name or a page array), or None."""
    if "/Dest" in annotation:
        return annotation["/Dest"].get_object()
    action = annotation.get("/A")
    if action is None:
        return None
    action = action.get_object()
    if action.get("/S") != "/GoTo":
        return None  # web links (/URI) and links to other files keep working as they are
    return action.get("/D", NullObject()).get_object()


def _copy_document_info(reader: PdfReader, writer: PdfWriter) -> None:
    """Title, author and the rest of the document information; the language; the PDF version."""
    writer.pdf_header = reader.pdf_header
    if reader.metadata is not None:
        # Producer included: the original's, not pypdf, since the pages are what it produced.
        writer.add_metadata(dict(reader.metadata))
    lang = reader.root_object.get("/Lang")
    if lang is not None:
        writer.root_object[NameObject("/Lang")] = TextStringObject(str(lang.get_object()))
    _copy_viewer_preferences(reader, writer)


#: Viewer preferences that name pages of the original, which the sheets do not have.
_PAGE_PREFERENCES = frozenset({"/PrintPageRange"})


def _copy_viewer_preferences(reader: PdfReader, writer: PdfWriter) -> None:
    """The original's viewer preferences: WeasyPrint's /DisplayDocTitle has the window show
    the briefing's title rather than the file's name, on the handout as on its pages."""
    preferences = reader.root_object.get("/ViewerPreferences")
    if preferences is None:
        return
    kept = DictionaryObject(
        {
            NameObject(key): value.get_object()
            for key, value in preferences.get_object().items()
            if key not in _PAGE_PREFERENCES
        }
    )
    writer.root_object[NameObject("/ViewerPreferences")] = kept


def _ask_for_booklet_printing(writer: PdfWriter) -> None:
    """Have the print dialog start as a booklet must be printed: on both sides, flipped on
    the short edge (flipped on the long one, every back side comes out upside down), and at
    actual size (shrunk to the printer's margins, the pages come out smaller than the paper
    size they were set for). Acrobat and Reader follow these; other viewers ignore them."""
    preferences = writer.root_object.get("/ViewerPreferences")
    kept = DictionaryObject() if preferences is None else preferences.get_object()
    kept[NameObject("/Duplex")] = NameObject("/DuplexFlipShortEdge")
    kept[NameObject("/PrintScaling")] = NameObject("/None")
    writer.root_object[NameObject("/ViewerPreferences")] = kept


def _copy_named_destinations(reader: PdfReader, writer: PdfWriter, spots: dict[int, _Spot]) -> None:
    """The named destinations that links (the table of contents) go to, pointed at the sheets."""
    for name, destination in sorted(reader.named_destinations.items()):
        view = _view(reader, spots, destination)
        if view is None:
            continue
        array = ArrayObject(
            [
                writer.pages[view.side].indirect_reference,
                NameObject("/XYZ"),
                FloatObject(view.left),
                FloatObject(view.top),
                NullObject(),  # zoom: the reader's
            ]
        )
        writer.add_named_destination_array(TextStringObject(name), array)


def _copy_outline(
    reader: PdfReader,
    writer: PdfWriter,
    spots: dict[int, _Spot],
    items: list[Any],
    parent: IndirectObject | None,
) -> None:
    """The bookmarks, each pointed at the sheet that shows its page (nesting kept)."""
    last: IndirectObject | None = None
    for item in items:
        if isinstance(item, list):  # pypdf lists an item's children right after it
            _copy_outline(reader, writer, spots, item, parent=last)
            continue
        view = _view(reader, spots, item)
        last = writer.add_outline_item(
            title=str(item.title or ""),
            page_number=None if view is None else view.side,
            parent=parent,
            fit=Fit.fit() if view is None else Fit.xyz(left=view.left, top=view.top),
            # A negative /Count marks a bookmark whose children are folded away.
            is_open=int(item.get("/Count", 0)) >= 0,
        )


def _view(reader: PdfReader, spots: dict[int, _Spot], destination: Destination) -> _View | None:
    """Where a destination of the original is on the sheets; None if it names no page."""
    index = reader.get_destination_page_number(destination)
    if index is None:
        return None
    spot = spots[index]
    box = reader.pages[index].cropbox
    # Every view becomes "this point at the window's top left": one that fits the page would
    # fit the whole sheet instead.
    left = _number(destination.get("/Left"), float(box.left)) + spot.dx
    top = _number(destination.get("/Top"), float(box.top)) + spot.dy
    return _View(spot.side, left, top)


def _number(value: object, default: float) -> float:
    """A coordinate of a destination; ``default`` where it is missing or null ("unchanged")."""
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return float(value) if isinstance(value, (int, float)) else default
