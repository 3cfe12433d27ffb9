"""The visual timeline after the summary: an SVG drawn from the events' dates.

The geometry is read back from the SVG itself, as a reader's eye would: the axis's scale from
its labelled years, each event's mark from its link, each label's box from its text and the
width briefgen measures for it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import random
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from itertools import combinations, pairwise

import pytest
from test_epub import epubcheck_messages

import briefgen
from briefgen import timeline
from briefgen.builders.pdf import print_html
from briefgen.i18n import language
from briefgen.model import Briefing, Event
from briefgen.options import PAPERS, BuildOptions
from briefgen.render import event_id
from conftest import SAMPLE_PERIODS

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
HREF = "{http://www.w3.org/1999/xlink}href"
ROUNDING = 0.02  # the SVG writes two decimals


# -- synthetic briefings -----------------------------------------------------------------------


def synthetic(count: int, *, seed: int = 1, first: int = 1900, last: int = 2020) -> str:
    """A briefing of ``count`` events dated ``first``–``last``: about half of them ranges
    (many overlapping, some decades long), the others years, months and days."""
    rng = random.Random(seed)
    lines = [f"title: 合成的簡報（{count}件）", "events:"]
    for number in range(1, count + 1):
        year = rng.randint(first, last - 1)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        kind = rng.choice(["range", "range", "range", "year", "month", "day"])
        if kind == "range":
            end = min(last, year + rng.choice([1, 2, 3, 5, 8, 13, 21, 34]))
            lines += [f"  - start: {year}-{month:02d}", f"    end: {end}"]
        elif kind == "year":
            lines.append(f"  - start: {year}")
        elif kind == "month":
            lines.append(f"  - start: {year}-{month:02d}")
        else:
            lines.append(f"  - start: {year}-{month:02d}-{day:02d}")
        lines.append(f"    title: 第{number}件事")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def briefings(sample) -> dict[str, Briefing]:
    return {
        "sample": sample,
        "3": briefgen.loads(synthetic(3)),
        "30": briefgen.loads(synthetic(30)),
        "300": briefgen.loads(synthetic(300)),
    }


def chart(briefing: Briefing, paper: str = "A4", events_href=lambda anchor: ""):
    return timeline.figure(
        briefing, language(briefing.lang), BuildOptions(paper=paper), events_href, event_id
    )


# -- reading the SVG back ----------------------------------------------------------------------


@dataclass
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right - ROUNDING
            and other.left < self.right - ROUNDING
            and self.top < other.bottom - ROUNDING
            and other.top < self.bottom - ROUNDING
        )


@dataclass
class Drawn:
    """An SVG read back: its links with their shapes and labels, its years, its texts."""

    root: ET.Element

    @property
    def width(self) -> float:
        return float(self.root.get("viewBox").split()[2])

    @property
    def height(self) -> float:
        return float(self.root.get("viewBox").split()[3])

    def links(self) -> list[ET.Element]:
        return list(self.root.iter(f"{SVG}a"))

    def years(self) -> list[tuple[int, float]]:
        """The labelled years and the x of their grid lines, left to right."""
        return [(int(text), x) for text, x in self.ticks()]

    def ticks(self) -> list[tuple[str, float]]:
        """The labels under the axis (years, months, days) and the x of their ticks, left to
        right; each label is centred on its tick, and each grid line stands on a tick."""
        group = next(g for g in self.root.iter(f"{SVG}g") if "Serif" in g.get("font-family", ""))
        texts = list(group.iter(f"{SVG}text"))
        axis = next(g for g in self.root.iter(f"{SVG}g") if g.get("stroke") == timeline.AXIS_COLOUR)
        xs = [
            float(line.get("x1"))
            for line in axis.iter(f"{SVG}line")
            if float(line.get("y2")) - float(line.get("y1")) == pytest.approx(timeline.TICK)
        ]
        assert {round(x, 2) for x in self.grid()} <= {round(x, 2) for x in xs}
        for text, x in zip(texts, xs, strict=True):
            width = timeline.label_width(text.text, timeline.LABEL_SIZE, timeline.YEAR_FACE)
            assert float(text.get("x")) + width / 2 == pytest.approx(x, abs=ROUNDING)
        return [(text.text, x) for text, x in zip(texts, xs, strict=True)]

    def grid(self) -> list[float]:
        """The x of the grid's hairlines."""
        grid = next(g for g in self.root.iter(f"{SVG}g") if g.get("stroke") == timeline.GRID_COLOUR)
        return [float(line.get("x1")) for line in grid.iter(f"{SVG}line")]

    def scale(self):
        """x of a day number, from the first and last labelled years."""
        (first, x0), (last, x1) = self.years()[0], self.years()[-1]
        day0, day1 = (dt.date(first, 1, 1).toordinal(), dt.date(last, 1, 1).toordinal())
        per_day = (x1 - x0) / (day1 - day0)
        return lambda day: x0 + (day - day0) * per_day, per_day

    def labels(self) -> list[str]:
        """The texts that are not years: the events' labels, or the counts."""
        return [
            "".join(text.itertext())
            for group in self.root.iter(f"{SVG}g")
            if "Sans" in group.get("font-family", "")
            for text in group.iter(f"{SVG}text")
        ]

    def text_boxes(self) -> list[tuple[str, Box]]:
        """Every text's box: its measured width, one em high above the baseline's descent."""
        boxes = []
        for group in self.root.iter(f"{SVG}g"):
            face = timeline.YEAR_FACE if "Serif" in group.get("font-family", "") else None
            for text in group.iter(f"{SVG}text"):
                x, y = float(text.get("x")), float(text.get("y"))
                whole = "".join(text.itertext())
                # The text's own width, and the Han–Latin gaps its pieces are moved on by.
                width = timeline.label_width(
                    whole, timeline.LABEL_SIZE, face or timeline.LABEL_FACE
                ) + sum(float(piece.get("dx", 0)) for piece in text.iter(f"{SVG}tspan"))
                top = y - timeline.ASCENT
                boxes.append((whole, Box(x, top, x + width, top + timeline.LABEL_BOX)))
        return boxes

    def shape_boxes(self) -> list[Box]:
        boxes = []
        for link in self.links():
            for shape in link:
                if shape.tag == f"{SVG}rect":
                    x, y = float(shape.get("x")), float(shape.get("y"))
                    boxes.append(
                        Box(x, y, x + float(shape.get("width")), y + float(shape.get("height")))
                    )
                elif shape.tag == f"{SVG}circle":
                    cx, cy, r = (float(shape.get(name)) for name in ("cx", "cy", "r"))
                    boxes.append(Box(cx - r, cy - r, cx + r, cy + r))
        return boxes


def drawn(result) -> Drawn:
    return Drawn(ET.fromstring(str(result.svg)))


def mark_of(link: ET.Element) -> ET.Element:
    """The shape a link draws: its first child after the <title> that names it."""
    assert link[0].tag == f"{SVG}title"
    return link[1]


def linked_index(link: ET.Element) -> int:
    return int(link.get(HREF).rsplit("-", 1)[1]) - 1


def assert_marks_follow_the_dates(picture: Drawn, events: tuple[Event, ...]) -> None:
    """Each bar runs from its first day to the end of its last day and each dot sits at the
    middle of its date, on the scale the labelled years give."""
    x_of, per_day = picture.scale()
    assert per_day > 0
    for link in picture.links():
        event = events[linked_index(link)]
        start = event.start.first_day.toordinal()
        shape = mark_of(link)
        if shape.tag == f"{SVG}rect":
            assert event.end is not None and event.end.last_day > event.start.last_day
            end = event.end.last_day.toordinal() + 1
            assert float(shape.get("x")) == pytest.approx(x_of(start), abs=ROUNDING)
            width = max((end - start) * per_day, timeline.MIN_BAR)
            assert float(shape.get("width")) == pytest.approx(width, abs=ROUNDING)
        else:
            last = (event.end or event.start).last_day.toordinal() + 1
            assert shape.tag == f"{SVG}circle"
            assert float(shape.get("cx")) == pytest.approx(x_of((start + last) / 2), abs=ROUNDING)


def assert_nothing_overlaps(picture: Drawn) -> None:
    """No two texts overlap, no text covers a mark, and every text is inside the picture."""
    texts = picture.text_boxes()
    for (first, one), (second, other) in combinations(texts, 2):
        assert not one.overlaps(other), (first, second)
    for text, box in texts:
        assert box.left >= -ROUNDING and box.right <= picture.width + ROUNDING, text
        assert box.top >= -ROUNDING and box.bottom <= picture.height + ROUNDING, text
        for shape in picture.shape_boxes():
            assert not box.overlaps(shape), text


# -- the sample --------------------------------------------------------------------------------


def test_sample_has_one_linked_mark_per_event_labelled_with_its_period(sample):
    result = chart(sample)
    picture = drawn(result)
    links = picture.links()
    assert sorted(link.get(HREF) for link in links) == [f"#{event_id(i)}" for i in range(13)]
    shapes = [mark_of(link).tag for link in links]
    assert shapes.count(f"{SVG}rect") == 11 and shapes.count(f"{SVG}circle") == 2
    labels = {linked_index(link): "".join(link.find(f"{SVG}text").itertext()) for link in links}
    assert [labels[index] for index in range(13)] == SAMPLE_PERIODS


def test_labels_are_spaced_between_han_and_figures_as_the_text_is(sample):
    """``1945 年至 1948 年``: each piece after a Han–Latin gap is moved on a quarter em; with
    the rule switched off, the labels are set solid."""
    gap = timeline.AUTOSPACE * timeline.LABEL_SIZE
    for rules, expected in (((), ["1945", "年至", "1948", "年"]), (("han-latin-spacing",), None)):
        options = BuildOptions(disabled_rules=rules)
        result = timeline.figure(
            sample, language(sample.lang), options, lambda anchor: "", event_id
        )
        label = next(
            text
            for text in drawn(result).root.iter(f"{SVG}text")
            if "".join(text.itertext()) == SAMPLE_PERIODS[0]
        )
        pieces = [label.text, *(piece.text for piece in label.iter(f"{SVG}tspan"))]
        moves = [float(piece.get("dx")) for piece in label.iter(f"{SVG}tspan")]
        assert pieces == (expected or [SAMPLE_PERIODS[0]])
        assert moves == [gap] * (len(pieces) - 1)


def test_sample_marks_sit_on_a_proportional_axis(sample):
    picture = drawn(chart(sample))
    assert_marks_follow_the_dates(picture, sample.events)
    # Dates and x rise together.
    by_date = sorted(picture.links(), key=lambda link: sample.events[linked_index(link)].start)
    xs = [float(mark_of(link).get("x", mark_of(link).get("cx"))) for link in by_date]
    assert xs == sorted(xs)


def test_sample_labels_never_collide(sample):
    for paper in PAPERS:
        assert_nothing_overlaps(drawn(chart(sample, paper)))


def test_sample_axis_is_padded_to_decades_and_labels_them(sample):
    picture = drawn(chart(sample))
    years = [year for year, _ in picture.years()]
    assert years == list(range(1940, 2031, 10))
    # On A5 the decades still fit.
    assert [year for year, _ in drawn(chart(sample, "A5")).years()] == years


def test_sample_is_accessible_in_the_briefings_language(sample):
    root = drawn(chart(sample)).root
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    # Its name says what it is, not the years alone ("1945年至2023年").
    assert root.findtext(f"{SVG}title") == "大事時間軸：1945年至2023年"
    description = root.findtext(f"{SVG}desc")
    for period, event in zip(SAMPLE_PERIODS, sample.events, strict=True):
        assert f"{period}　{event.title}" in description
    for link in root.iter(f"{SVG}a"):
        assert link.findtext(f"{SVG}title").split("　")[0] in SAMPLE_PERIODS


def test_sample_type_is_seven_points_and_the_shipped_fonts(sample):
    result = chart(sample)
    # In the PDF one unit of the viewBox is one point: the picture is as wide as the text.
    assert drawn(result).width == pytest.approx(45 * 10.5, abs=0.01)  # the A4 column
    families = {g.get("font-family") for g in drawn(result).root.iter(f"{SVG}g")} - {None}
    assert families == {
        "'briefgen Noto Sans CJK TC', sans-serif",
        "'briefgen Noto Serif CJK TC', serif",
    }
    sizes = {g.get("font-size") for g in drawn(result).root.iter(f"{SVG}g")} - {None}
    assert sizes == {"7"}


def test_the_same_briefing_gives_the_same_picture(sample, briefings):
    for briefing in briefings.values():
        assert str(chart(briefing).svg) == str(chart(briefing).svg)
    again = briefgen.load(briefgen.sample_path())
    assert str(chart(again).svg) == str(chart(sample).svg)


# -- 3, 30 and 300 events ----------------------------------------------------------------------


def event_index(href: str) -> int:
    """The index of the event ``#event-07`` links to."""
    return int(href.rpartition("-")[2]) - 1


@pytest.mark.parametrize("count", ["3", "30", "300"])
@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_every_event_is_linked_once_and_nothing_overlaps(briefings, count, paper):
    briefing = briefings[count]
    picture = drawn(chart(briefing, paper))
    hrefs = [link.get(HREF) for link in picture.links()]
    assert sorted(hrefs) == sorted(f"#{event_id(i)}" for i in range(len(briefing.events)))
    # In time order: the order the keyboard moves through them (lane by lane, it went back).
    starts = [briefing.events[event_index(href)].start.first_day for href in hrefs]
    assert starts == sorted(starts)
    assert_nothing_overlaps(picture)
    assert picture.height <= timeline.MAX_HEIGHT


@pytest.mark.parametrize("count", ["3", "30"])
def test_marks_follow_the_dates_when_every_event_is_drawn(briefings, count):
    result = chart(briefings[count])
    assert result.layout.rule in (1, 2, 3)
    assert_marks_follow_the_dates(drawn(result), briefings[count].events)


def test_few_events_carry_their_full_labels_and_many_get_short_ones(briefings):
    three = briefings["3"]
    result = chart(three)
    assert result.layout.rule == 1
    periods = [language(three.lang).period(event) for event in three.events]
    assert sorted(drawn(result).labels()) == sorted(periods)
    thirty = chart(briefings["30"])
    assert thirty.layout.rule in (2, 3)
    for mark in thirty.layout.marks:
        if mark.label:
            assert mark.label.text == timeline.short_label(briefings["30"].events[mark.index])


def test_crowded_events_keep_every_mark_and_label_every_kth():
    briefing = briefgen.loads(synthetic(35, seed=1))
    result = chart(briefing)
    assert result.layout.rule == 3
    picture = drawn(result)
    assert len(picture.links()) == 35
    assert_nothing_overlaps(picture)
    assert_marks_follow_the_dates(picture, briefing.events)

    def when(index: int) -> tuple[dt.date, dt.date, int]:
        event = briefing.events[index]
        ends_later = event.end is not None and event.end.last_day > event.start.last_day
        last = event.end if ends_later else event.start
        return event.start.first_day, last.last_day, index

    in_date_order = sorted(range(35), key=when)
    labelled = [index for index in in_date_order if result.layout.marks[index].label]
    k = in_date_order.index(labelled[1])
    assert k in (2, 3, 4) and labelled == in_date_order[::k]


def test_more_events_than_can_be_marked_are_counted():
    briefing = briefgen.loads(synthetic(timeline.MAX_MARKED + 1, seed=2))
    assert chart(briefing).layout.rule == 4


def test_three_hundred_events_are_counted_by_decade(briefings):
    briefing = briefings["300"]
    result = chart(briefing)
    assert result.layout.rule == 4
    columns = result.layout.columns
    assert sum(column.count for column in columns) == 300
    assert [column.first for column in columns] == list(range(1900, 2020, 10))
    assert drawn(result).labels() == [str(column.count) for column in columns]
    # Each column holds the events that start in its decade, in date order.
    for column in columns:
        starts = [briefing.events[index].start.first_day for index in column.events]
        assert starts == sorted(starts)
        assert all(column.first <= start.year < column.last for start in starts)
    description = drawn(result).root.findtext(f"{SVG}desc")
    # Each decade's count says what it counts, as a screen reader reads it.
    assert description.startswith(f"1900年至1909年 {columns[0].count}件、")


def test_counted_columns_of_a_long_span_stay_on_the_axis():
    briefing = briefgen.loads(synthetic(120, seed=3, first=1415, last=2020))
    result = chart(briefing)
    assert result.layout.rule == 4
    axis = result.layout.axis
    assert axis.step > 10 and axis.first % axis.step == axis.last % axis.step == 0
    for column in result.layout.columns:
        assert column.last - column.first == axis.step
        assert axis.left <= column.left and column.right <= axis.right
    assert sum(column.count for column in result.layout.columns) == 120
    assert_nothing_overlaps(drawn(result))


def test_height_grows_with_the_lanes_used(briefings):
    heights = {count: chart(briefings[count]).layout for count in ("3", "30")}
    assert heights["3"].lanes < heights["30"].lanes
    assert heights["3"].height < heights["30"].height <= timeline.MAX_HEIGHT


def test_a_long_span_thins_its_year_labels(write_briefing):
    briefing = briefgen.loads(synthetic(20, first=1400, last=2020))
    years = [year for year, _ in drawn(chart(briefing)).years()]
    steps = {later - earlier for earlier, later in pairwise(years)}
    assert len(steps) == 1 and steps.pop() >= 50
    assert_nothing_overlaps(drawn(chart(briefing)))


def test_a_short_span_is_marked_by_years(write_briefing):
    briefing = briefgen.loads(
        "title: t\nevents:\n"
        "  - {start: 2021-03-01, title: a}\n"
        "  - {start: 2022-02, end: 2023-06, title: b}\n"
    )
    picture = drawn(chart(briefing))
    assert [year for year, _ in picture.years()] == [2021, 2022, 2023, 2024]
    assert_marks_follow_the_dates(picture, briefing.events)


def test_labels_and_title_follow_the_language():
    briefing = briefgen.loads(
        "title: t\nlang: en\nevents:\n"
        "  - {start: 1950-06-25, end: 1953-07-27, title: War}\n"
        "  - {start: 1991-12, title: Collapse}\n"
    )
    root = drawn(chart(briefing)).root
    assert root.findtext(f"{SVG}title") == "Timeline, 1950–1991"
    texts = ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]
    assert "25 June 1950\u00a0– 27 July 1953" in texts and "December 1991" in texts


WEEK = """\
title: 大選週
events:
  - {start: 2024-01-06, title: 最後一場政見會}
  - {start: 2024-01-08, title: 民調封關}
  - {start: 2024-01-09, end: 2024-01-10, title: 北京發表談話}
  - {start: 2024-01-11, title: 選前造勢}
  - {start: 2024-01-12, title: 選前之夜}
  - {start: 2024-01-13, title: 投票日}
  - {start: 2024-01-14, title: 各國致賀}
  - {start: 2024-01-15, title: 諾魯斷交}
  - {start: 2024-01-16, title: 選後分析}
"""


def week(lang: str = "zh-Hant") -> Briefing:
    return briefgen.loads(WEEK.replace("events:", f"lang: {lang}\nevents:"))


def day_of(date: dt.date) -> str:
    return f"{date.month}月{date.day}日"


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_a_week_is_drawn_on_an_axis_of_days(paper):
    """Ten days on an axis of years were one heap of marks over 2024: each day has its own
    place, its dot stands on its day's tick, and the ticks are labelled with days."""
    briefing = week()
    picture = drawn(chart(briefing, paper))
    ticks = dict(picture.ticks())
    first = dt.date(2024, 1, 6)
    step = 1 if paper == "A4" else 2
    days = [first + dt.timedelta(days=n) for n in range(0, 11, step)]
    assert list(ticks) == [day_of(first)] + [f"{day.day}日" for day in days[1:]]
    per_day = (ticks[f"{days[1].day}日"] - ticks[day_of(first)]) / step
    assert per_day > 3 * timeline.DOT_RADIUS
    near = 0.1  # rounded coordinates, and a day's width measured from them
    centres = []
    for link in picture.links():
        event = briefing.events[linked_index(link)]
        shape = mark_of(link)
        day_x = ticks[day_of(first)] + (event.start.first_day - first).days * per_day
        if event.end is None:
            centres.append(float(shape.get("cx")))
            assert centres[-1] == pytest.approx(day_x, abs=near)
        else:  # 9 to 10 January: from half a day before the 9th's tick to half after the 10th's
            assert float(shape.get("x")) == pytest.approx(day_x - per_day / 2, abs=near)
            assert float(shape.get("width")) == pytest.approx(2 * per_day, abs=near)
    assert len(centres) == 8 and len(set(centres)) == 8
    assert_nothing_overlaps(picture)
    # The year and the month said once, as in the headings (2024年1月6日至16日).
    assert picture.root.findtext(f"{SVG}title") == "大事時間軸：2024年1月6日至16日"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh-Hans", ["1月6日", "7日", "8日"]),
        ("ja", ["1月6日", "7日", "8日"]),
        ("ko", ["1월 6일", "7일", "8일"]),
        ("en", ["6 Jan", "7", "8"]),
    ],
)
def test_days_are_labelled_in_the_briefings_language(lang, expected):
    picture = drawn(chart(week(lang)))
    assert [text for text, _ in picture.ticks()][:3] == expected
    assert_nothing_overlaps(picture)


@pytest.mark.parametrize(
    ("lang", "days", "months"),
    [
        ("zh-Hant", ["1月9日–10日", "1月30日–2月2日"], ["2024年1月–3月", "2023年12月–2024年2月"]),
        ("ko", ["1월 9일–10일", "1월 30일–2월 2일"], ["2024년 1월–3월", "2023년 12월–2024년 2월"]),
        ("en", ["9–10 Jan", "30 Jan–2 Feb"], ["Jan–Mar 2024", "Dec 2023–Feb 2024"]),
    ],
)
def test_a_short_label_says_a_shared_month_or_year_once(lang, days, months):
    """The labels of marks too close for their periods say the month of two days, or the
    year of two months, once, as the period's own label does (1月9日–1月10日 and
    9 Jan–10 Jan said the month twice); by the end that names it first in the language."""
    briefing = briefgen.loads(
        f"title: t\nlang: {lang}\nevents:\n"
        "  - {start: 2024-01-09, end: 2024-01-10, title: a}\n"
        "  - {start: 2024-01-30, end: 2024-02-02, title: b}\n"
        "  - {start: 2024-01, end: 2024-03, title: c}\n"
        "  - {start: 2023-12, end: 2024-02, title: d}\n"
    )
    labels = language(lang)
    first, second, third, fourth = briefing.events
    assert [timeline.short_label(event, labels, "day") for event in (first, second)] == days
    assert [timeline.short_label(event, labels, "month") for event in (third, fourth)] == months


@pytest.mark.parametrize(
    ("lang", "months", "day_to_month"),
    [
        ("zh-Hant", "2021年9月–10月", "9月15日–10月"),
        ("ko", "2021년 9월–10월", "9월 15일–10월"),
        ("en", "Sep–Oct 2021", "15 Sep–Oct 2021"),
    ],
)
def test_a_month_on_an_axis_of_days_says_its_year_once(lang, months, day_to_month):
    """A period of months among events of days is drawn on an axis of days: its short label
    said the year at both ends (2021年9月–2021年10月), and a day's period ending in a month
    said it in the middle only (9月15日–2021年10月), where the period's own label and a
    tick of months say it once."""
    briefing = briefgen.loads(
        f"title: t\nlang: {lang}\nevents:\n"
        + "".join(f"  - {{start: 2021-09-{day:02d}, title: e{day}}}\n" for day in range(1, 29, 2))
        + "  - {start: 2021-09, end: 2021-10, title: a}\n"
        + "  - {start: 2021-09-15, end: 2021-10, title: b}\n"
        + "  - {start: 2021-10-20, title: c}\n"
    )
    result = chart(briefing)
    assert result.layout.axis.unit == "day"
    labels = drawn(result).labels()
    assert months in labels
    assert day_to_month in labels


def test_a_new_month_is_named_under_its_first_tick():
    briefing = briefgen.loads(
        "title: t\nlang: en\nevents:\n"
        "  - {start: 2023-12-27, title: a}\n"
        "  - {start: 2024-01-01, title: b}\n"
        "  - {start: 2024-01-04, end: 2024-01-07, title: c}\n"
    )
    texts = [text for text, _ in drawn(chart(briefing)).ticks()]
    assert texts == ["27 Dec", "28", "29", "30", "31", "1 Jan", "2", "3", "4", "5", "6", "7"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh-Hant", ["2023年3月", "5月", "7月", "9月", "11月", "2024年1月", "3月", "5月"]),
        ("ko", ["2023년 3월", "5월", "7월", "9월", "11월", "2024년 1월", "3월", "5월"]),
        ("en", ["Mar 2023", "May", "Jul", "Sep", "Nov", "Jan 2024", "Mar", "May"]),
    ],
)
def test_a_year_and_more_is_drawn_on_an_axis_of_months(lang, expected):
    briefing = briefgen.loads(
        f"title: t\nlang: {lang}\nevents:\n"
        "  - {start: 2023-03-15, title: a}\n"
        "  - {start: 2023-06, title: b}\n"
        "  - {start: 2023-09-01, end: 2023-11-30, title: c}\n"
        "  - {start: 2024-04-30, title: d}\n"
    )
    picture = drawn(chart(briefing))
    ticks = picture.ticks()
    assert [text for text, _ in ticks] == expected
    # Every second month from 1 March 2023: the dot of 30 April 2024 just before 1 May.
    [last] = [link for link in picture.links() if linked_index(link) == 3]
    assert ticks[-2][1] < float(mark_of(last).get("cx")) < ticks[-1][1]
    assert_nothing_overlaps(picture)


def test_a_bare_year_on_an_axis_of_months_is_a_bar_over_the_year():
    """A dot in the middle of 2024 would say July."""
    briefing = briefgen.loads(
        "title: t\nlang: en\nevents:\n"
        "  - {start: 2024, title: a}\n"
        "  - {start: 2024-03-06, title: b}\n"
        "  - {start: 2024-11-05, title: c}\n"
    )
    picture = drawn(chart(briefing))
    ticks = dict(picture.ticks())
    assert ticks.keys() >= {"Jan 2024", "Jan 2025"}
    bar = mark_of(picture.links()[0])
    assert bar.tag == f"{SVG}rect"
    assert float(bar.get("x")) == pytest.approx(ticks["Jan 2024"], abs=ROUNDING)
    right = float(bar.get("x")) + float(bar.get("width"))
    assert right == pytest.approx(ticks["Jan 2025"], abs=ROUNDING)


def test_many_events_of_a_few_days_are_counted_by_the_day():
    rng = random.Random(5)
    days = sorted(dt.date(2024, 1, 6) + dt.timedelta(days=rng.randint(0, 10)) for _ in range(50))
    briefing = briefgen.loads(
        "title: t\nevents:\n" + "".join(f"  - {{start: {day}, title: e}}\n" for day in days)
    )
    result = chart(briefing)
    assert result.layout.rule == 4
    columns = result.layout.columns
    assert sum(column.count for column in columns) == 50
    ticks = dict(drawn(result).ticks())
    for column in columns:
        assert column.last - column.first == 1
        day = dt.date.fromordinal(column.first)
        assert column.count == days.count(day)
        x = ticks[day_of(day) if day == days[0] else f"{day.day}日"]
        assert (column.left + column.right) / 2 == pytest.approx(x, abs=ROUNDING)
    description = drawn(result).root.findtext(f"{SVG}desc")
    assert description.startswith(f"2024年1月6日 {days.count(days[0])}件、")
    assert_nothing_overlaps(drawn(result))
    # A day's column stands on its tick: no grid line runs up through its squares and its
    # count, as it did, striking the number through.
    texts = drawn(result).text_boxes()
    counts = [box for _, box in texts if box.bottom < result.layout.axis_y]
    assert len(counts) == len(columns)
    for x in drawn(result).grid():
        assert not any(box.left <= x <= box.right for box in counts)
        assert not any(column.left <= x <= column.right for column in columns)


def test_one_event_has_no_picture():
    briefing = briefgen.loads("title: t\nevents:\n  - {start: 1950, title: e}\n")
    assert chart(briefing) is None
    assert "<svg" not in briefgen.render_html(briefing)


def test_events_of_one_day_have_no_picture():
    """Three events of one day were three dots stacked over one tick, each labelled with
    the same date: the headings and the contents say it already."""
    one_day = "title: t\nevents:\n" + "  - {start: 2024-01-13, title: e}\n" * 3
    briefing = briefgen.loads(one_day)
    assert chart(briefing) is None
    assert "<svg" not in briefgen.render_html(briefing)
    # One event of another day is enough for a picture: two days, each its own mark.
    other = briefgen.loads(one_day + "  - {start: 2024-01-14, title: f}\n")
    picture = drawn(chart(other))
    assert [text for text, _ in picture.ticks()] == ["1月13日", "14日"]
    assert len({mark_of(link).get("cx") for link in picture.links()}) == 2


def test_text_width_of_every_paper():
    widths = {name: timeline.text_width(paper) for name, paper in PAPERS.items()}
    # Whole ems of the 10.5 pt body text, as many as the papers' side margins leave room for.
    assert widths == {
        "A4": 45 * 10.5,
        "A5": 32 * 10.5,
        "B5": 39 * 10.5,
        "letter": 47 * 10.5,
        "half-letter": 30 * 10.5,
    }


def test_pdf_links_lie_over_the_marks(sample):
    result = chart(sample)
    assert len(result.links) == 13
    for link in result.links:
        assert link.left >= 0 and link.left + link.width <= 100 + 1e-6
        assert link.top >= 0 and link.top + link.height <= 100 + 1e-6
    assert sorted(link.href for link in result.links) == sorted(
        f"#{event_id(i)}" for i in range(13)
    )


# -- in the outputs ----------------------------------------------------------------------------


def test_html_shows_the_picture_after_the_summary(sample):
    html = briefgen.render_html(sample)
    root = ET.fromstring(html.split("\n", 1)[1])
    main = root.find("body/main")
    kids = [child.get("class") or child.tag for child in main]
    assert kids.index("summary") + 1 == kids.index("timeline-chart") < kids.index("toc")
    figure = main.find("figure[@class='timeline-chart']")
    svg = figure.find(f"{SVG}svg")
    assert svg is not None and svg.get("role") == "img"
    hrefs = sorted(link.get(HREF) for link in svg.iter(f"{SVG}a"))
    assert hrefs == sorted(f"#{event_id(i)}" for i in range(13))
    # The links the PDF needs are there too, hidden from assistive technology.
    overlay = figure.findall("a[@class='timeline-link']")
    assert sorted(a.get("href") for a in overlay) == hrefs
    assert all(a.get("aria-hidden") == "true" and a.get("tabindex") == "-1" for a in overlay)


def test_pdf_picture_is_drawn_without_links_of_its_own(sample, briefings):
    """WeasyPrint makes no links of the SVG's <a> elements: the PDF's document draws the
    same shapes as the other outputs' picture without them (each element costs WeasyPrint a
    style), its links laid over it, and the picture keeps its name and description."""
    for briefing in (sample, briefings["300"]):
        html = print_html(briefing, BuildOptions())
        start = html.index('<figure class="timeline-chart">')
        figure = ET.fromstring(html[start : html.index("</figure>", start) + len("</figure>")])
        svg = figure.find(f"{SVG}svg")
        assert svg is not None and list(svg.iter(f"{SVG}a")) == []
        linked = ET.fromstring(briefgen.render_html(briefing).split("\n", 1)[1])
        linked_svg = linked.find(".//figure[@class='timeline-chart']/" + f"{SVG}svg")

        def shapes(picture: ET.Element) -> list[tuple[str, dict[str, str]]]:
            return [
                (e.tag, e.attrib) for e in picture.iter() if e.tag not in (f"{SVG}a", f"{SVG}title")
            ]

        assert shapes(svg) == shapes(linked_svg)
        assert [title.text for title in svg.iter(f"{SVG}title")] == [
            timeline.title(briefing.events, language(briefing.lang))
        ]
        overlay = figure.findall("a[@class='timeline-link']")
        assert len(overlay) == len(list(linked_svg.iter(f"{SVG}a"))) > 0


@pytest.mark.slow
def test_epub_cover_carries_the_picture_as_well_formed_xml(sample):
    book = zipfile.ZipFile(io.BytesIO(briefgen.render_epub(sample)))
    names = set(book.namelist())
    [cover] = [name for name in names if name.endswith("text/cover.xhtml")]
    root = ET.fromstring(book.read(cover))  # raises on anything not well-formed
    svg = root.find(f".//{XHTML}figure/{SVG}svg")
    assert svg is not None and svg.findtext(f"{SVG}title") == "大事時間軸：1945年至2023年"
    folder = cover.rsplit("/", 1)[0]
    for link in svg.iter(f"{SVG}a"):
        file, anchor = link.get(HREF).split("#")
        assert file == f"{anchor}.xhtml" and f"{folder}/{file}" in names


def _epubcheck(briefing: Briefing, tmp_path) -> list[str]:
    """EPUBCheck's messages on the briefing's EPUB."""
    return epubcheck_messages(briefgen.render_epub(briefing), tmp_path)


@pytest.mark.slow
def test_epubcheck_accepts_the_counted_picture(briefings, tmp_path):
    messages = _epubcheck(briefings["300"], tmp_path)
    assert [m for m in messages if "CSS-028" not in m] == []


@pytest.mark.slow
def test_epubcheck_accepts_the_picture_of_a_week(tmp_path):
    messages = _epubcheck(week(), tmp_path)
    assert [m for m in messages if "CSS-028" not in m] == []


def _render_pdf_logging(briefing: Briefing, **options) -> tuple[bytes, list[str]]:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Keep(level=logging.WARNING)
    logger = logging.getLogger("briefgen")
    logger.addHandler(handler)
    try:
        return briefgen.render_pdf(briefing, **options), records
    finally:
        logger.removeHandler(handler)


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_pdf_draws_the_labels_in_the_shipped_fonts_with_links(sample, paper):
    pdfplumber = pytest.importorskip("pdfplumber")
    data, logged = _render_pdf_logging(sample, paper=paper)
    assert logged == []  # no .notdef: every label's glyph is in the subsets
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first = pdf.pages[0]
        small = [char for char in first.chars if char["size"] < 7.5]
        assert min(char["size"] for char in small) == pytest.approx(7.0, abs=0.01)
        assert {char["fontname"].split("+")[1] for char in small} == {
            "briefgen-Noto-Sans-CJK-TC-Bold",
            "briefgen-Noto-Serif-CJK-TC",
        }
        drawn_text = "".join(char["text"] for char in small)
        for period in SAMPLE_PERIODS:
            assert period in drawn_text
        # A quarter em (of 7 pt) between Han and figures, as in the text.
        label = next(
            found["chars"]
            for found in first.search("1945年至1948年", return_chars=True)
            if found["chars"][0]["size"] < 7.5
        )
        gaps = [
            float(after["x0"] - before["x1"])
            for before, after in pairwise(label)
            if before["text"].isdigit() != after["text"].isdigit()
        ]
        assert gaps == pytest.approx([1.75] * 3, abs=0.1)
        destinations = [
            annotation["data"].get("Dest") for annotation in first.annots if annotation["data"]
        ]
    chart_links = [d.decode() if isinstance(d, bytes) else str(d) for d in destinations]
    for index in range(13):
        assert event_id(index) in chart_links


@pytest.mark.slow
def test_pdf_of_three_hundred_events_renders_cleanly(briefings):
    data, logged = _render_pdf_logging(briefings["300"])
    assert logged == []
    assert data.startswith(b"%PDF")


@pytest.mark.slow
def test_pdf_of_a_week_sets_each_days_dot_over_its_day():
    """In the PDF as printed: the eight one-day events' dots stand apart, each over the label
    of its day under the axis, in the serif face the years are set in."""
    pdfplumber = pytest.importorskip("pdfplumber")
    data, logged = _render_pdf_logging(week())
    assert logged == []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        first = pdf.pages[0]
        dots = sorted((curve["x0"] + curve["x1"]) / 2 for curve in first.curves)
        labels = {}
        for found in first.search(r"1月6日|\d+日", regex=True, return_chars=True):
            chars = found["chars"]
            if chars[0]["size"] < 7.5 and "Serif" in chars[0]["fontname"]:
                labels[found["text"]] = (found["x0"] + found["x1"]) / 2
    assert list(labels) == ["1月6日", *(f"{day}日" for day in range(7, 17))]
    days = ["1月6日", "8日", "11日", "12日", "13日", "14日", "15日", "16日"]
    assert dots == pytest.approx([labels[day] for day in days], abs=0.5)
    assert min(later - earlier for earlier, later in pairwise(dots)) > 20


def test_the_html_and_the_epub_are_the_same_whatever_paper_the_pdf_is_on(sample):
    # `build --paper A5 -f pdf -f epub` and `build -f epub` wrote two different books: the
    # timeline of the HTML and the EPUB, scaled to the reader's column, was drawn for the
    # PDF's paper, which the README says means nothing to them.
    options = BuildOptions(source_date_epoch=1700000000)
    a5 = BuildOptions(paper="A5", source_date_epoch=1700000000)
    assert briefgen.render_html(sample, a5) == briefgen.render_html(sample, options)
    assert briefgen.render_epub(sample, a5) == briefgen.render_epub(sample, options)


def test_a_label_written_decomposed_is_drawn_composed():
    """WeasyPrint draws an SVG text a character at a time: a `when` written decomposed (NFD)
    is set composed, so that its marks are not drawn apart from their letter as boxes."""
    briefing = briefgen.loads(
        "title: 測試\nevents:\n"
        '  - {start: 1950, when: "Nguye\\u0302\\u0303n 1950 \\ufa19", title: 一}\n'
        "  - {start: 1960, title: 二}\n"
    )
    texts = ["".join(text.itertext()) for text in drawn(chart(briefing)).root.iter(f"{SVG}text")]
    assert "Nguy\u1ec5n 1950 \ufa19" in texts  # a compatibility ideograph kept as written
