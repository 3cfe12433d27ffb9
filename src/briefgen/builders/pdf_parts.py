"""A long briefing's PDF laid out in parts, so that WeasyPrint holds one part's pages at a time.

WeasyPrint keeps every laid-out page, with its boxes and styles, until it writes the PDF:
about 2.5 MB a page, 2.6 GB for 3,000 events. Laid out in parts of some hundred events, each
written to PDF as soon as it is laid out, the build holds one part at a time, and the parts'
PDFs are joined (briefgen/pdf_join.py).

The pages are those of the whole document laid out at once. A part is laid out from the top
of one event to a little past its own last page, and kept up to the last page that begins
with an event: a page break there is one the whole document makes too, since events are kept
on one page and only the events before the break decide where it falls. The next part starts
with that event, at the top of a page, with the margins above it cut as at any page break
(print.css). What each part cannot know is set from outside:

* the contents' page numbers, which point at later parts: the first part, which holds the
  contents, is laid out first with stand-in numbers to learn where it ends, and laid out again
  last with the real ones (the contents' numbers sit in a cell of fixed width, so the pages
  break the same way; if they did not, the whole document is laid out at once instead);
* links into other parts: WeasyPrint drops a link whose target is not in its document, so
  each part is given stand-in targets for them, and the joined PDF points them at the real;
* the footers' "page n of m": laid out at the end on pages of their own (print.css) and laid
  over the parts' pages;
* the outline, made from the parts' bookmarks as WeasyPrint makes it for a whole document.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from weasyprint.anchors import make_page_bookmark_tree
from weasyprint.document import Document, Page
from weasyprint.matrix import Matrix

from ..render import event_id

if TYPE_CHECKING:
    from .. import pdf_join

log = logging.getLogger("briefgen")

#: Briefings with at least this many events are laid out in parts (the stand-in contents
#: numbers and the joining cost a few tenths of a second, worth it only when memory is).
PARTS_FROM = 400
#: Events laid out in one part: about thirty A4 pages of events.
EVENTS_PER_PART = 100
#: Events in the first part, after the contents: it is laid out twice (see above), so it
#: holds no more than the contents' last page needs.
FIRST_PART_EVENTS = 10
#: Points per CSS pixel: WeasyPrint's PDF scale at zoom 1.
_SCALE = 0.75


@dataclass(frozen=True)
class Part:
    """What one part of the document holds, for the templates (briefing.html, print.css)."""

    start: int
    """The first event's index."""
    stop: int
    """The index after the last event's."""
    first: bool
    """With the front matter: cover, summary, timeline chart, contents."""
    last: bool
    """With the back matter: people, sources, colophon."""
    title: str
    """The document's title, for the running header of a part after the first."""
    footers: int = 0
    """If not 0: this many pages of footers alone, and nothing else."""


#: Lays out the HTML of a part (with the contents' page numbers, if given) as WeasyPrint does.
LayOut = Callable[[Part, "dict[str, str] | None"], Document]
#: Writes laid-out pages as a tagged PDF.
Write = Callable[[Document], bytes]


class PagesDiffer(Exception):
    """The first part broke its pages differently with the real contents numbers."""


def render_in_parts(
    events: int, title: str, lay_out: LayOut, write: Write, per_part: int = EVENTS_PER_PART
) -> bytes:
    """The PDF of a briefing of ``events`` events, laid out ``per_part`` events at a time
    (the first part, which the contents make long, with fewer). ``write`` must give a PDF
    whose objects are not packed in object streams (see briefgen/pdf_join.py).

    Raises :class:`PagesDiffer` if the contents' real page numbers moved a page break."""
    # pypdf, and the cryptography it loads, only for the PDFs that are joined.
    from ..pdf_join import Joiner

    joined = Joiner()
    # The first part, with stand-in contents numbers: where it ends, and its anchors' pages.
    first_part, first_end, first = _lay_out_part(
        lay_out, 0, True, title, events, FIRST_PART_EVENTS, _StandIn()
    )
    first_pages = first.pages if first_end is None else first.pages[: first_end[0]]
    anchors = _anchor_pages(first_pages, 0)
    page_count = len(first_pages)
    del first, first_pages
    gc.collect()

    bookmarks = _Bookmarks()
    start = events if first_end is None else first_end[1]
    while start < events:
        _, end, document = _lay_out_part(lay_out, start, False, title, events, per_part, None)
        pages = document.pages if end is None else document.pages[: end[0]]
        pdf, own = _written(document, pages, write, anchors, page_count)
        joined.add(len(joined.parts) + 1, pdf, own)
        bookmarks.add(pages, page_count)
        page_count += len(pages)
        start = events if end is None else end[1]
        del document, pages, pdf
        gc.collect()

    # The first part again, with the contents' real numbers.
    numbers = {name: str(page + 1) for name, page in anchors.items()}
    document = lay_out(first_part, numbers)
    end = None if first_part.last else _last_break(document.pages, first_part)
    if end != first_end:
        raise PagesDiffer
    pages = document.pages if end is None else document.pages[: end[0]]
    front = _Bookmarks()
    front.add(pages, 0)
    pdf, own = _written(document, pages, write, {}, 0)
    joined.add(0, pdf, own)
    del document, pages, pdf
    gc.collect()
    footers = write(lay_out(replace(first_part, first=False, footers=page_count), None))
    return joined.finish(front.merged_with(bookmarks), footers)


class _StandIn(dict[str, str]):
    """Contents page numbers before they are known: as wide as the last page's will be
    in most briefings; the cell they sit in is as wide whatever they are."""

    def __missing__(self, key: str) -> str:
        return "000"


def _lay_out_part(
    lay_out: LayOut,
    start: int,
    first: bool,
    title: str,
    events: int,
    per_part: int,
    contents: dict[str, str] | None,
) -> tuple[Part, tuple[int, int] | None, Document]:
    """Lay out a part from event ``start`` on, ``per_part`` events or more, and find where
    it ends: ``(pages kept, the event the next part starts with)``, or None if it runs to
    the end of the document."""
    stop = start + per_part
    while True:
        part = Part(start, min(stop, events), first, stop >= events, title)
        document = lay_out(part, contents)
        if part.last:
            return part, None, document
        end = _last_break(document.pages, part)
        if end is not None:
            return part, end, document
        # No page of this part began with an event early enough: take more events.
        stop += per_part


def _last_break(pages: list[Page], part: Part) -> tuple[int, int] | None:
    """The last page, but for the part's last, that begins with an event before the
    part's last one, and that event's index."""
    for index in range(len(pages) - 2, 0, -1):
        event = _event_at_top(pages[index])
        if event is not None and part.start < event < part.stop - 1:
            return index, event
    return None


def _event_at_top(page: Page) -> int | None:
    """The index of the event whose heading begins the page, if one does."""
    box = page._page_box
    while box.children:
        box = box.children[0]
        element = getattr(box, "element", None)
        if element is not None and box.element_tag == "h2":
            ident = element.get("id", "")
            if ident.startswith("event-"):
                return _event_index(ident)
            return None
        if not hasattr(box, "children") or box.element_tag not in _WRAPPERS:
            return None
    return None


#: What wraps an event's heading at the top of a page: the page's root box, the document,
#: the timeline, the event.
_WRAPPERS = frozenset({"html", "body", "main", "section", "h2"})


def _event_index(ident: str) -> int:
    """The event index an ``event_id`` names."""
    number = int(ident.removeprefix("event-"))
    assert event_id(number - 1) == ident
    return number - 1


def _anchor_pages(pages: list[Page], offset: int) -> dict[str, int]:
    """The page index of each anchor: the first page of an element that runs over several
    (it is an anchor on each), as WeasyPrint resolves links and page numbers."""
    found: dict[str, int] = {}
    for index, page in enumerate(pages):
        for name in page.anchors:
            found.setdefault(name, offset + index)
    return found


def _written(
    document: Document, pages: list[Page], write: Write, anchors: dict[str, int], offset: int
) -> tuple[bytes, frozenset[str]]:
    """The pages as a PDF of their own, with stand-in targets for the links that leave
    them; their anchors' pages are added to ``anchors``."""
    own = _anchor_pages(pages, offset)
    for name, page in own.items():
        anchors.setdefault(name, page)
    targets = {link[1] for page in pages for link in page.links if link[0] == "internal"}
    stand_ins = targets - own.keys()
    if stand_ins and pages:
        for name in stand_ins:
            pages[0].anchors[name] = (0, 0, 0, 0)
    pdf = write(document.copy(pages))
    for name in stand_ins:
        del pages[0].anchors[name]
    return pdf, frozenset(own)


class _Bookmarks:
    """The outline's tree, made page by page as WeasyPrint makes it for a whole document
    (``Document.make_bookmark_tree``), with pages numbered in the whole."""

    def __init__(self) -> None:
        self.pages: list[tuple[int, _BookmarksOnly]] = []

    def add(self, pages: list[Page], offset: int) -> None:
        # The bookmarks only: the pages themselves are let go.
        self.pages.extend(
            (offset + index, _BookmarksOnly(page.bookmarks, page.height))
            for index, page in enumerate(pages)
            if page.bookmarks
        )

    def merged_with(self, later: _Bookmarks) -> list[pdf_join.Bookmark]:
        root: list[pdf_join.Bookmark] = []
        skipped_levels: list[int] = []
        last_by_depth = [root]
        previous_level = 0
        for number, page in [*self.pages, *later.pages]:
            matrix = Matrix(a=_SCALE, d=-_SCALE, f=page.height * _SCALE)
            previous_level = make_page_bookmark_tree(
                page, skipped_levels, last_by_depth, previous_level, number, matrix
            )
        return root


@dataclass
class _BookmarksOnly:
    """What ``make_page_bookmark_tree`` reads of a page."""

    bookmarks: list[tuple[int, str, tuple[float, float], str]]
    height: float
