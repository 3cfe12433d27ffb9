"""A picture that does not fit under its event's heading at the foot of a page goes after
the event's text, so that the text fills the page (builders/pdf_pictures.py)."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
import yaml
from PIL import Image

import briefgen
from briefgen.builders.pdf_pictures import MOST_LEFT_EMPTY
from briefgen.i18n import language
from briefgen.options import PAPERS, points


def squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.fixture(scope="module")
def pictured(tmp_path_factory) -> briefgen.Briefing:
    """The sample with a landscape photo, half the text block tall on A4, on two events."""
    folder = tmp_path_factory.mktemp("pictured")
    Image.new("RGB", (1200, 900), (90, 120, 160)).save(folder / "photo.png")
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    for index in (4, 8):
        data["events"][index].update(image="photo.png", caption=f"第{index + 1}件事的照片")
    path = folder / "pictured.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return briefgen.load(path)


@pytest.fixture(scope="module")
def pages(pictured) -> list[dict]:
    """Each page's text (squeezed) and how much of its text block is left empty."""
    a4 = PAPERS["A4"]
    top, _, bottom = (points(length) for length in a4.margin.split())
    block_bottom = points(a4.height) - bottom
    found = []
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(pictured, paper="A4"))) as pdf:
        for page in pdf.pages:
            # What the page holds in its text block: not the running header and footer.
            def inside(items: list[dict]) -> list[dict]:
                return [
                    item
                    for item in items
                    if top - 1 <= item["top"] and item["bottom"] <= block_bottom + 1
                ]

            chars, images = inside(page.chars), inside(page.images)
            lowest = max(item["bottom"] for item in [*chars, *images])
            found.append(
                {
                    "text": squeezed("".join(char["text"] for char in chars)),
                    "empty": (block_bottom - lowest) / (block_bottom - top),
                    "starts_with_image": bool(images)
                    and min(image["top"] for image in images) <= min(char["top"] for char in chars),
                }
            )
    return found


def _page_of(pages: list[dict], text: str) -> int:
    return next(number for number, page in enumerate(pages) if squeezed(text) in page["text"])


def heading(briefing: briefgen.Briefing, event: briefgen.Event) -> str:
    return squeezed(language(briefing.lang).period(event) + event.title)


def _heading_page(pages: list[dict], briefing: briefgen.Briefing, event: briefgen.Event) -> int:
    """The page of the event's heading: the last that holds it (the contents hold it too)."""
    return max(
        number for number, page in enumerate(pages) if heading(briefing, event) in page["text"]
    )


def test_an_event_with_a_picture_begins_a_page_only_after_a_full_one(pictured, pages):
    for index, event in enumerate(pictured.events):
        if event.image is None:
            continue
        begins = _heading_page(pages, pictured, event)
        if begins > 0 and pages[begins]["text"].startswith(heading(pictured, event)):
            # The event begins its page: the page before it has no room left to speak of.
            assert pages[begins - 1]["empty"] <= MOST_LEFT_EMPTY, (index, pages[begins - 1])


def test_a_picture_that_did_not_fit_follows_its_events_text(pictured, pages):
    moved = [
        index
        for index, event in enumerate(pictured.events)
        if event.image is not None
        and _page_of(pages, event.caption) == _heading_page(pages, pictured, event) + 1
    ]
    assert moved, "no picture went after its event's text: the layout of this test changed"
    for index in moved:
        event = pictured.events[index]
        begins = _heading_page(pages, pictured, event)
        # The event's heading and text fill the page it begins on; its picture heads the next.
        assert squeezed(event.body)[-6:] in pages[begins]["text"]
        assert pages[begins + 1]["starts_with_image"]


def test_a_picture_that_fits_stays_under_its_heading(pictured, pages):
    stayed = [
        event
        for event in pictured.events
        if event.image is not None
        and _page_of(pages, event.caption) == _heading_page(pages, pictured, event)
    ]
    assert stayed
    for event in stayed:
        text = pages[_page_of(pages, event.caption)]["text"]
        # Heading, then caption (under the picture), then the text.
        assert text.index(heading(pictured, event)) < text.index(squeezed(event.caption))
        assert text.index(squeezed(event.caption)) < text.index(squeezed(event.body)[:6])
