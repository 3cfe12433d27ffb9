"""Pictures that would leave a page mostly empty, set after their event's text instead.

print.css keeps an event's heading with its picture, and the picture whole. Where the
picture does not fit under its heading at the foot of a page, WeasyPrint carries heading and
picture over to the next page and leaves the rest of the page empty: two events with
pictures left a quarter and three fifths of an A4 page blank. A printed book sets such a
picture as a float: the text goes on where it is and the picture heads the next page. The
PDF builder does the same in a second layout: the events found here get their picture after
their text (``pictures_after_text``, partials/event.html) and may break across pages. What
the document says and its reading order stay the event's; only where the picture stands
changes.

A picture too tall for what its event's text leaves of the page still heads the next one,
and the page stays more than a quarter empty (two fifths, in the case above). Such a picture
is made smaller, down to half its height at the least, so that it fits there with its caption
and the event's chips (``picture_heights``): a layout more for each, one at a time. Smaller
than that, it would read as a thumbnail, and it heads the next page as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from ..model import Briefing
from ..render import event_id

#: The most of its text block a page may leave empty before an event with a picture that
#: the page could not hold under the event's heading.
MOST_LEFT_EMPTY = 0.25

#: How near the top of a page's text block (CSS px) an event's heading must stand to begin
#: the page: its margin above is dropped at a page's head, so it stands at the very top.
_AT_THE_TOP = 1.0


def pictures_to_move(document: Document, briefing: Briefing) -> frozenset[int]:
    """The indices of the events with a picture that begin a page of ``document`` after a
    page that they left more than :data:`MOST_LEFT_EMPTY` empty."""
    return frozenset(left_empty(document, briefing))


def left_empty(document: Document, briefing: Briefing) -> dict[int, float]:
    """By the index of each event with a picture that begins a page of ``document`` after a
    page left more than :data:`MOST_LEFT_EMPTY` empty, how much of that page's text block
    is empty."""
    found = {}
    for index, number in _pages_begun(document, briefing):
        empty = _empty_share(document.pages[number - 1]._page_box)
        if empty > MOST_LEFT_EMPTY:
            found[index] = empty
    return found


def pictures_heading_pages(document: Document, briefing: Briefing) -> frozenset[int]:
    """The indices of the events with a picture whose heading begins a page of ``document``
    (but the first): there the picture fits under its heading, at most half the page."""
    return frozenset(index for index, _ in _pages_begun(document, briefing))


def _pages_begun(document: Document, briefing: Briefing) -> Iterator[tuple[int, int]]:
    """Each event with a picture whose heading begins a page of ``document`` after the
    first, as its index and the page's (from 0)."""
    with_pictures = {
        event_id(index): index
        for index, event in enumerate(briefing.events)
        if event.image is not None
    }
    for number, page in enumerate(document.pages[1:], start=1):
        top = page._page_box.content_box_y()
        for anchor, position in page.anchors.items():
            index = with_pictures.get(anchor)
            if index is not None and position[1] <= top + _AT_THE_TOP:
                yield index, number


#: The least share of its height a picture is made smaller to (:func:`picture_heights`).
SMALLEST_SHARE = 0.5

#: Room (CSS px) left over when a picture is made smaller to fit: rounding, and the line
#: heights of its caption and chips as laid out again.
_SLACK = 2.0


def picture_heights(
    document: Document, briefing: Briefing, moved: frozenset[int], given: frozenset[int]
) -> dict[int, float]:
    """The height (CSS px) to give the picture of the first event of ``moved`` (its picture
    after its text) but those of ``given`` (already made smaller) that still heads a page
    after one left more than :data:`MOST_LEFT_EMPTY` empty, so that it fits on that page:
    where that is at least :data:`SMALLEST_SHARE` of the height it has. The first only: a
    picture made smaller goes back onto the page before, and every page after it changes,
    so that a later picture's room, measured here, no longer holds (a picture made smaller
    for it headed its page all the same)."""
    for number, page in enumerate(document.pages[1:], start=1):
        page_box = page._page_box
        top = page_box.content_box_y()
        section = next(_event_sections(page_box.children[0]), None)
        if section is None or section.position_y > top + _AT_THE_TOP:
            continue
        index = _event_index(section.element, briefing)
        before = document.pages[number - 1]._page_box
        if index not in moved or index in given or _empty_share(before) <= MOST_LEFT_EMPTY:
            continue
        figure = next((box for box in section.descendants() if box.element_tag == "figure"), None)
        picture = next(
            (box for box in section.descendants() if isinstance(box, boxes.ReplacedBox)), None
        )
        if figure is None or picture is None:
            continue
        # What the event sets on this page (the picture, its caption, the chips), with the
        # margin above the figure, which a page's head dropped and the page before keeps.
        needed = section.position_y + section.border_height() - top
        needed += _margin_above(figure, before, section.element)
        room = _empty_share(before) * before.height
        height = picture.height - (needed - room) - _SLACK
        if height >= SMALLEST_SHARE * picture.height:
            return {index: round(height, 2)}
    return {}


def _margin_above(figure: Any, page_box: Any, section: Any) -> float:
    """The margin (CSS px) between the event's text, at the foot of the page ``page_box``,
    and its ``figure`` set under it: the figure's own and the text's last block's, which
    collapse into the larger. A text that ends in a list has the list's margin of an em
    below it, twice the figure's: counting the figure's alone, a picture made smaller to
    fit under such a text was 7 px too tall for the room and headed the next page all the
    same."""
    margin = float(figure.style["margin_top"].value)
    pieces = [box for box in _event_sections(page_box.children[0]) if box.element is section]
    block = pieces[-1].children[-1] if pieces and pieces[-1].children else None
    # The last block and the last block inside it, down the tree: their margins collapse.
    while isinstance(block, boxes.BlockBox):
        margin = max(margin, float(block.style["margin_bottom"].value))
        inner = [child for child in block.children if isinstance(child, boxes.BlockBox)]
        block = inner[-1] if inner else None
    return margin


def _event_sections(box: Any) -> Iterator[Any]:
    """The block boxes of events' sections (``<section class="event">``) under ``box``, in
    the order they are laid out."""
    for child in getattr(box, "children", ()):
        if not isinstance(child, boxes.BlockBox):
            continue
        if child.element_tag == "section" and "event" in (child.element.get("class") or "").split():
            yield child
        else:
            yield from _event_sections(child)


def _event_index(section: Any, briefing: Briefing) -> int | None:
    """The index of the event whose ``<section>`` element this is: its heading's id."""
    ids = {event_id(index): index for index in range(len(briefing.events))}
    for child in section:
        if str(child.tag).rpartition("}")[2] == "h2":
            return ids.get(child.get("id"))
    return None


def _empty_share(page_box: Any) -> float:
    """How much of the page's text block is left empty below what it holds."""
    top = page_box.content_box_y()
    height = page_box.height
    lowest = top
    # The page's own content: its first child is the root element's box; the margin boxes
    # (running header and footer) come after it.
    for box in page_box.children[0].descendants():
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
            lowest = max(lowest, box.position_y + box.margin_height())
    return float(max(0.0, top + height - lowest) / height)
