"""A picture that does not fit under its event's heading at the foot of a page goes after
the event's text, so that the text fills the page, and is made smaller to fit there where
it can be (builders/pdf_pictures.py)."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
import yaml
from PIL import Image

import briefgen
import briefgen.builders.pdf
import briefgen.builders.pdf_pictures
from briefgen.builders.pdf_pictures import MOST_LEFT_EMPTY, SMALLEST_SHARE
from briefgen.i18n import language
from briefgen.options import PAPERS, points


def squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.fixture(scope="module")
def pictured(tmp_path_factory) -> briefgen.Briefing:
    """The sample with a landscape photo, half the text block tall on A4, on two events: the
    first fits under its heading, the second does not (the page before it would be three
    fifths empty)."""
    folder = tmp_path_factory.mktemp("pictured")
    Image.new("RGB", (1200, 900), (90, 120, 160)).save(folder / "photo.png")
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    for index in (4, 8):
        data["events"][index].update(image="photo.png", caption=f"第{index + 1}件事的照片")
    path = folder / "pictured.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return briefgen.load(path)


def pages_of(briefing: briefgen.Briefing, paper: str = "A4") -> list[dict]:
    """Each page's text (squeezed), the heights of its pictures, and how much of its text
    block is left empty."""
    size = PAPERS[paper]
    top, _, bottom = (points(length) for length in size.margin.split())
    block_bottom = points(size.height) - bottom
    found = []
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper=paper))) as pdf:
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
                    "pictures": [image["bottom"] - image["top"] for image in images],
                    "starts_with_picture": bool(images)
                    and min(image["top"] for image in images) <= min(char["top"] for char in chars),
                }
            )
    return found


@pytest.fixture(scope="module")
def pages(pictured) -> list[dict]:
    return pages_of(pictured)


@pytest.fixture(scope="module")
def pages_not_shrunk(pictured) -> list[dict]:
    """The same, where no picture may be made smaller: the one that did not fit under its
    heading heads the next page, after its event's text."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(briefgen.builders.pdf_pictures, "SMALLEST_SHARE", 1.01)
        return pages_of(pictured)


def heading(briefing: briefgen.Briefing, event: briefgen.Event) -> str:
    return squeezed(language(briefing.lang).period(event) + event.title)


def _heading_page(pages: list[dict], briefing: briefgen.Briefing, event: briefgen.Event) -> int:
    """The page of the event's heading: the last that holds it (the contents hold it too)."""
    return max(
        number for number, page in enumerate(pages) if heading(briefing, event) in page["text"]
    )


def _page_of(pages: list[dict], text: str) -> int:
    return next(number for number, page in enumerate(pages) if squeezed(text) in page["text"])


@pytest.mark.parametrize("shrinking", [True, False], ids=["shrunk", "not-shrunk"])
def test_an_event_with_a_picture_begins_a_page_only_after_a_full_one(
    pictured, pages, pages_not_shrunk, shrinking
):
    laid_out = pages if shrinking else pages_not_shrunk
    for index, event in enumerate(pictured.events):
        if event.image is None:
            continue
        begins = _heading_page(laid_out, pictured, event)
        if begins > 0 and laid_out[begins]["text"].startswith(heading(pictured, event)):
            assert laid_out[begins - 1]["empty"] <= MOST_LEFT_EMPTY, (index, laid_out[begins - 1])


def test_a_picture_that_fits_stays_under_its_heading(pictured, pages):
    event = pictured.events[4]
    text = pages[_heading_page(pages, pictured, event)]["text"]
    # Heading, then caption (under the picture), then the text.
    assert text.index(heading(pictured, event)) < text.index(squeezed(event.caption))
    assert text.index(squeezed(event.caption)) < text.index(squeezed(event.body)[:6])


def test_a_picture_that_did_not_fit_follows_its_events_text_made_smaller(pictured, pages):
    event = pictured.events[8]
    begins = _heading_page(pages, pictured, event)
    text = pages[begins]["text"]
    # On the page of its heading, after the event's text, no page left mostly empty.
    assert squeezed(event.caption) in text
    assert text.index(squeezed(event.body)[-6:]) < text.index(squeezed(event.caption))
    assert pages[begins]["empty"] <= MOST_LEFT_EMPTY
    # Smaller than the picture that fitted under its heading, but not below half of it.
    fitted = max(pages[_page_of(pages, pictured.events[4].caption)]["pictures"])
    smaller = min(pages[begins]["pictures"])
    assert SMALLEST_SHARE * fitted <= smaller < fitted - 10


def test_a_picture_too_tall_to_make_smaller_heads_the_next_page(pictured, pages_not_shrunk):
    pages = pages_not_shrunk
    event = pictured.events[8]
    begins = _heading_page(pages, pictured, event)
    # The event's heading and text fill the page it begins on; its picture heads the next.
    assert squeezed(event.body)[-6:] in pages[begins]["text"]
    assert _page_of(pages, event.caption) == begins + 1
    assert pages[begins + 1]["starts_with_picture"]


@pytest.fixture(scope="module")
def pictured_a5(tmp_path_factory) -> briefgen.Briefing:
    """The sample with four pictures, portrait and landscape, with a caption and without,
    each as tall as it may be on A5 (half the text block): set on A5, the first two that
    do not fit under their headings are made smaller to fit after their events' text."""
    folder = tmp_path_factory.mktemp("pictured_a5")
    Image.new("RGB", (600, 900), (160, 120, 90)).save(folder / "portrait.png")
    Image.new("RGB", (1200, 900), (90, 120, 160)).save(folder / "landscape.png")
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    for index, picture, caption in (
        (2, "portrait.png", True),
        (6, "landscape.png", False),
        (9, "portrait.png", False),
        (11, "landscape.png", True),
    ):
        data["events"][index]["image"] = picture
        if caption:
            data["events"][index]["caption"] = f"第{index + 1}件事的照片"
    path = folder / "pictured_a5.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return briefgen.load(path)


def smaller_pictures(briefing: briefgen.Briefing, paper: str) -> list[tuple[int, float, bool]]:
    """Each picture made smaller (than half the text block, as tall as the tests' pictures
    are set), as its page, its height and whether it heads the page."""
    size = PAPERS[paper]
    top, _, bottom = (points(length) for length in size.margin.split())
    whole = (points(size.height) - top - bottom) / 2
    found = []
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper=paper))) as pdf:
        for page in pdf.pages:
            chars = [char for char in page.chars if top - 1 <= char["top"]]
            for image in page.images:
                height = image["bottom"] - image["top"]
                if height < 0.98 * whole:
                    heads = image["top"] <= min(char["top"] for char in chars)
                    found.append((page.page_number, height, heads))
    return found


def test_a_picture_made_smaller_never_heads_a_page(pictured_a5):
    """Each picture is made smaller in a layout that has the pictures before it as they are
    set: measured in the layout before an earlier one was made smaller (which changes
    every page after it), a later picture was made smaller for room it no longer had and
    headed its page all the same, smaller for nothing."""
    found = smaller_pictures(pictured_a5, "A5")
    assert found
    assert [picture for picture in found if picture[2]] == []


def test_a_picture_made_smaller_fits_under_a_text_that_ends_in_a_list(tmp_path):
    """The room a picture is made smaller for counts the margin between the text and the
    picture, the larger of the picture's and the text's last block's: a list's em, where
    the text ends in one, twice the picture's own. Counting the picture's alone, it was
    made smaller to a height 7 px too tall for the room, and headed the next page all the
    same."""
    Image.new("RGB", (1200, 900), (90, 120, 160)).save(tmp_path / "photo.png")
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    # As the `pictured` briefing, the ninth event's text ending in a list.
    for index in (4, 8):
        data["events"][index].update(image="photo.png", caption=f"第{index + 1}件事的照片")
    event = data["events"][8]
    event["body"] = event["body"].split("\n\n")[0] + "\n\n- 第一點說明。\n- 第二點說明。"
    path = tmp_path / "list.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    found = smaller_pictures(briefgen.load(path), "A4")
    assert found
    assert [picture for picture in found if picture[2]] == []


@pytest.fixture(scope="module")
def one_paragraph_texts(tmp_path_factory) -> briefgen.Briefing:
    """The sample with each event's text run into one paragraph, and a landscape photo on
    the third and tenth events, neither of which fits under its heading on A4."""
    folder = tmp_path_factory.mktemp("one_paragraph")
    Image.new("RGB", (1200, 900), (90, 120, 160)).save(folder / "photo.png")
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    for event in data["events"]:
        event["body"] = event["body"].replace("\n\n", "")
    for index in (2, 9):
        data["events"][index].update(image="photo.png", caption=f"第{index + 1}件事的照片")
    path = folder / "one_paragraph.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return briefgen.load(path)


def test_a_picture_after_a_text_of_one_paragraph_heads_the_next_page(one_paragraph_texts):
    """A text of one paragraph is the heading's first sibling, and the picture after it its
    second, which print.css kept with the heading: heading, text and picture went over to
    the next page together, as before the picture was moved, and the page before stayed
    more than a quarter empty."""
    briefing = one_paragraph_texts
    pages = pages_of(briefing)
    for index in (2, 9):
        event = briefing.events[index]
        begins = _heading_page(pages, briefing, event)
        if pages[begins]["text"].startswith(heading(briefing, event)):
            assert pages[begins - 1]["empty"] <= MOST_LEFT_EMPTY, (index, pages[begins - 1])
        # Its text whole on that page, before the picture.
        assert squeezed(event.body)[-6:] in pages[begins]["text"]


def _left_empty_before_pictures(briefing: briefgen.Briefing, pages: list[dict]) -> float:
    """How much of their text blocks the pages before events with pictures that begin a
    page leave empty, past :data:`MOST_LEFT_EMPTY`, in all."""
    total = 0.0
    for event in briefing.events:
        begins = _heading_page(pages, briefing, event)
        if event.image is None or begins == 0:
            continue
        empty = pages[begins - 1]["empty"]
        if pages[begins]["text"].startswith(heading(briefing, event)) and empty > MOST_LEFT_EMPTY:
            total += empty
    return total


def test_placing_pictures_never_leaves_more_empty_than_it_found(tmp_path):
    """Moving a picture after its event's text can leave the next pictured event where the
    first was, and the layouts are bounded: the one kept is the one with the least left
    empty. With a picture on every event of the sample on A5, the last layout left a page
    in mid-timeline 44 % empty, where the first had left only the contents' page a third
    empty."""
    Image.new("RGB", (600, 900), (160, 120, 90)).save(tmp_path / "portrait.png")
    Image.new("RGB", (1200, 900), (90, 120, 160)).save(tmp_path / "landscape.png")
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    for index, event in enumerate(data["events"]):
        event["image"] = "portrait.png" if index % 2 else "landscape.png"
        if index % 3:
            event["caption"] = f"第{index + 1}件事的照片"
    path = tmp_path / "every.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    briefing = briefgen.load(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(briefgen.builders.pdf, "_PICTURE_PASSES", 0)
        found = _left_empty_before_pictures(briefing, pages_of(briefing, "A5"))
    placed = _left_empty_before_pictures(briefing, pages_of(briefing, "A5"))
    assert placed <= found


def test_a_picture_whose_event_heads_a_page_stands_under_its_heading(tmp_path):
    """A picture is moved after its event's text for the layout in which it left a page
    mostly empty. On A5, with a photo on the sixth event and a portrait on the seventh, the
    portrait was moved, then the photo made smaller to fill its page: the seventh event
    headed the next page all the same, its text above its portrait, where a picture that
    fits under its heading stands."""
    Image.new("RGB", (1200, 900), (90, 120, 160)).save(tmp_path / "photo.png")
    Image.new("RGB", (600, 1200), (160, 120, 90)).save(tmp_path / "portrait.png")
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    for index, picture in ((5, "photo.png"), (6, "portrait.png")):
        data["events"][index].update(image=picture, caption=f"第{index + 1}件事的照片")
    path = tmp_path / "portrait.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    briefing = briefgen.load(path)
    pages = pages_of(briefing, "A5")
    event = briefing.events[6]
    begins = _heading_page(pages, briefing, event)
    page = pages[begins]
    assert page["text"].startswith(heading(briefing, event))
    assert page["starts_with_picture"] is False  # the heading, then the picture
    assert page["text"].index(squeezed(event.caption)) < page["text"].index(
        squeezed(event.body)[:6]
    )


def test_pictures_are_moved_while_each_layout_leaves_less_empty(monkeypatch):
    """In a long briefing with many pictures, each layout that moves some after their text
    can leave a few later ones heading a page after one left half empty. The two layouts
    that moved pictures left two such pages in a 170-event briefing with 19 pictures on A4
    (each made a page half empty); a third, which left less empty again, left none."""
    # What each layout leaves empty before events with pictures, by the pictures moved.
    found = {
        frozenset(): {1: 0.4, 2: 0.4, 3: 0.4},
        frozenset({1, 2, 3}): {4: 0.4, 5: 0.4},
        frozenset({1, 2, 3, 4, 5}): {6: 0.4},
        frozenset({1, 2, 3, 4, 5, 6}): {},
    }

    class Laid:
        def __init__(self, moved: frozenset[int]):
            self.moved, self.pages = moved, [None] * 10

    pdf = briefgen.builders.pdf
    monkeypatch.setattr(pdf, "left_empty", lambda document, _: found[document.moved])
    monkeypatch.setattr(
        pdf, "pictures_to_move", lambda document, _: frozenset(found[document.moved])
    )
    monkeypatch.setattr(pdf, "picture_heights", lambda *_: {})
    monkeypatch.setattr(pdf, "pictures_heading_pages", lambda *_: frozenset())
    kept = pdf._pictures_after_text(Laid(frozenset()), None, lambda moved, _: Laid(moved))
    assert found[kept.moved] == {}


def test_every_picture_that_can_be_made_smaller_to_fill_its_page_is(monkeypatch):
    """Pictures are made smaller one a layout, and a layout that made one smaller left no
    more empty before headings than the one before it, and so was not kept: in a
    170-event briefing on B5 a third picture after its event's text headed a page left
    more than half empty, where half its height would have fitted."""
    moved = frozenset({1, 2, 3})
    to_make_smaller = {1: 300.0, 2: 250.0, 3: 200.0}

    class Laid:
        def __init__(self, moved: frozenset[int], heights: dict[int, float]):
            self.moved, self.heights, self.pages = moved, heights, [None] * 10

    pdf = briefgen.builders.pdf
    monkeypatch.setattr(pdf, "left_empty", lambda document, _: {} if document.moved else {1: 0.4})
    monkeypatch.setattr(
        pdf, "pictures_to_move", lambda document, _: frozenset() if document.moved else moved
    )

    def picture_heights(document, briefing, moved, given):
        rest = sorted(to_make_smaller.keys() - given)
        return {rest[0]: to_make_smaller[rest[0]]} if rest else {}

    monkeypatch.setattr(pdf, "picture_heights", picture_heights)
    monkeypatch.setattr(pdf, "pictures_heading_pages", lambda *_: frozenset())
    kept = pdf._pictures_after_text(Laid(frozenset(), {}), None, Laid)
    assert kept.heights == to_make_smaller
