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
"""

from __future__ import annotations

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
    with_pictures = {
        event_id(index): index
        for index, event in enumerate(briefing.events)
        if event.image is not None
    }
    found = set()
    for number, page in enumerate(document.pages[1:], start=1):
        page_box = page._page_box
        top = page_box.content_box_y()
        for anchor, position in page.anchors.items():
            index = with_pictures.get(anchor)
            if index is None or position[1] > top + _AT_THE_TOP:
                continue
            if _empty_share(document.pages[number - 1]._page_box) > MOST_LEFT_EMPTY:
                found.add(index)
    return frozenset(found)


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
