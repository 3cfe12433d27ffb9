"""The visual timeline on the front page: an inline SVG drawn from the events' dates.

Nothing in it is drawn by hand: :func:`layout` turns the events into geometry and
:func:`draw` writes that geometry as SVG, so the same briefing always gives the same picture.
Lengths are in points. The SVG's ``viewBox`` is as wide as the PDF's text block on the chosen
paper (:func:`text_width`), so in the PDF one unit is one point and the type prints at its
stated 7 pt.

**The axis** runs from the first day of the earliest event to the last day of the latest,
widened to whole decades (to whole steps, for steps under ten years). Ticks are labelled
every step: the smallest of 1, 2, 5, 10, 20, 25, 50, 100… years that keeps the labels
:data:`MIN_TICK_SPACING` apart and no more than :data:`MAX_TICK_INTERVALS` steps in all.
That gives decades (1950, 1960…) from about 65 years to 130 on A4, every 5 years or every
year below, and thins them to every 20, 50 or 100 years above. Minor ticks mark
the largest smaller step that divides the labelled one (the decades, between labels every 20
years), when they are at least :data:`MIN_MINOR_SPACING` apart.

A briefing of a week or a season would be a heap of marks on one year: events within
:data:`MAX_MONTHS` calendar months are drawn on an axis of months (every 1, 2, 3 or 6
months, widened to whole steps), and events within :data:`MAX_DAYS` days on an axis of days
(every day, second day or week from the first), whose ticks stand in the middle of their
days, where those days' dots are. Their labels are written as the briefing's language
writes dates (``2024年1月``, ``4月``; ``1月6日``, ``7日``; ``Jan 2024``, ``6 Jan``: the
month or year only where it changes, Language.axis_date), kept :data:`TICK_LABEL_GAP`
apart; where no step leaves them room, the next coarser unit is used.

**The marks.** An event whose end falls after its start is a range, drawn as a bar from the
first day of its start to the last day of its end (``1950``–``1953`` is four years long; a
bar is never narrower than :data:`MIN_BAR`), and so is a date less precise than the axis (a
bare ``2024`` on an axis of months is a bar over the year). Any other event is a single
date (a year, a month or a day), drawn as a dot at the middle of the time it means.

**The labels** are the events' period labels, written as the headings write them in the
briefing's language, measured with the shipped bold sans face they are drawn in, with a
quarter em between Han and figures as the text has (``1945 年至 1948 年``, by
briefgen/autospace.py). A label sits above its mark: a bar's label starts at the bar's left
end (or else ends at its right end), a dot's label is centred on the dot (or else starts or
ends at it); it never leaves the picture. Each event takes the lowest lane (lane 0 is on the
axis) where its box, the mark and its label, clears every other box in that lane by
:data:`GAP`. The events are packed four
ways, in date order and latest first, each once trying a label's usual place first and once
last (:data:`_PASSES`); the packing with the fewest lanes is kept, then the one with the
fewest labels away from their usual place, then the first. The first of these rules
that fits is used (rules 1 to 3 only for up to :data:`MAX_MARKED` events):

1. every event with its full period label, in at most :data:`MAX_FULL_LANES` lanes;
2. every event with a short label, years only (``1945–48``, ``2022``; on an axis of months
   or days, to the month or the day: ``1月9日–1月10日``), in at most :data:`MAX_LANES` lanes;
3. every k-th event in date order (k = 2, 3 or 4, the smallest that fits) packed with its
   short label as in rule 2, then the other events' bare marks, each in the lowest lane
   where it clears the labelled boxes by :data:`GAP` and the bare marks by
   :data:`MARK_GAP`; all in at most :data:`MAX_LANES` lanes;
4. otherwise, the events are counted: a column per decade (per labelled step, when that is
   shorter or a decade is narrower than :data:`MIN_COLUMN`; per month or day, or step, on
   an axis of months or days), one square per event that
   starts in it, in date order from the bottom left, and its count above. Squares shrink to
   fit :data:`COLUMN_HEIGHT`; when even the smallest would not fit, the column is a plain bar
   as tall as its count, linked to its first event.

So the picture grows by :data:`LANE_PITCH` a lane and is never taller than
:data:`MAX_HEIGHT`. Every mark, square or column links to its event. The picture has
``role="img"``, a ``<title>`` (its name: a timeline, and the span of years, or months or
days, written as the briefing's language writes a period) and a ``<desc>`` (the events as
the contents list them, or each column's years and count); the events stay in the document
as text anyway.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

import uharfbuzz as hb
from markupsafe import Markup, escape

from . import fonts
from .autospace import AUTOSPACE, gaps_after
from .i18n import Language
from .model import Briefing, Event, PartialDate
from .options import BuildOptions, Paper

# -- the look: sizes in points, colours as in base.css ----------------------------------------

LABEL_SIZE = 7.0
"""Event labels, counts and years: the smallest size that stays legible printed on A5."""
LABEL_FACE = fonts.SANS_BOLD
LABEL_FAMILY = f"'{fonts.SANS_BOLD.family}', sans-serif"
YEAR_FACE = fonts.SERIF
YEAR_FAMILY = f"'{fonts.SERIF.family}', serif"
ACCENT = "#8a1c1c"
"""The colour of periods in the headings and the contents (base.css ``.when``)."""
AXIS_COLOUR = "#777777"
GRID_COLOUR = "#e6e1da"
YEAR_COLOUR = "#555555"

BAR_HEIGHT = 3.5
DOT_RADIUS = 2.4
MIN_BAR = 1.5
"""A range of a few days still shows as a bar."""
LABEL_BOX = LABEL_SIZE
"""The height a label takes: one em, which CJK glyphs fill."""
ASCENT = 0.88 * LABEL_SIZE
"""From the top of a label's box to its baseline (the shipped faces' ascender)."""
BAR_OFFSET = LABEL_BOX + 1.5
"""From the top of a lane (its labels) to its marks."""
LANE_INK = BAR_OFFSET + BAR_HEIGHT
LANE_PITCH = LANE_INK + 1.5
GAP = 5.0
"""The least room between two boxes (a mark and its label) in one lane."""
MARK_GAP = 1.5
"""The least room between two marks without labels (rule 3)."""
MAX_THINNING = 4
"""Rule 3 labels every second, third or fourth event; sparser labels would not say which
mark is which."""
SIDE = 10.0
"""Room at each end of the axis for half a year label."""
TOP = 2.0
AXIS_GAP = 3.0
"""Between the lowest lane's marks and the axis."""
TICK = 3.5
MINOR_TICK = 2.0
BELOW_AXIS = TICK + 1.5 + LABEL_BOX + 1.0
"""The ticks and the year labels under the axis line."""

MIN_EVENTS = 2
"""One event needs no picture: its heading already says when it was. Nor do events that all
take the same time (a day of talks, each event on that day): the picture would be one mark
stacked on itself, repeating the date their headings give."""
MAX_FULL_LANES = 5
MAX_LANES = 7
MAX_MARKED = 40
"""More marks than this read as noise, however they are labelled: they are counted (rule 4)."""
MAX_HEIGHT = TOP + MAX_LANES * LANE_PITCH + AXIS_GAP + BELOW_AXIS
"""The tallest the picture gets (112.5 pt, 40 mm); the counted picture is lower."""
MIN_TICK_SPACING = 30.0
"""Between labelled ticks: a four-digit year at 7 pt is about 16 pt wide."""
MAX_TICK_INTERVALS = 13
"""More labelled years than this read as a ruler, not as a timeline's landmarks."""
MIN_MINOR_SPACING = 6.0
TICK_LABEL_GAP = LABEL_SIZE
"""The least room between two labels under the axis: a month's or a day's label can be
twice as wide as a year's."""
YEAR_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000)
MONTH_STEPS = (1, 2, 3, 6)
"""Each divides the year, so that the labelled months are the same ones every year."""
DAY_STEPS = (1, 2, 7)
MAX_DAYS = 62
"""The longest span drawn on an axis of days: about two months (nine weeks labelled)."""
MAX_MONTHS = 24
"""The most calendar months an axis of months spans; beyond two years, whole years make the
plainer axis."""

COLUMN_HEIGHT = 48.0
"""The tallest column of the counted picture (rule 4)."""
MIN_COLUMN = 16.0
"""The narrowest column: room for a three-digit count."""
COLUMN_MARGIN = 2.5
SQUARE_SIZES = (6.0, 5.0, 4.0, 3.5, 3.0, 2.5, 2.0)
"""The sizes an event's square may take, largest first; 2 pt is the least that prints as a
square rather than a speck."""
SQUARE_GAP = 0.3
"""Between squares, as a share of their size."""

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"


# -- what a layout is made of ----------------------------------------------------------------


Unit = Literal["year", "month", "day"]
UNITS: tuple[Unit, ...] = ("year", "month", "day")
"""The axis's units, coarsest first; a date's precision is its place in this list."""


@dataclass(frozen=True)
class Axis:
    """The time scale, in units of ``unit``: from the start of unit ``first`` to the start of unit
    ``last``, drawn from ``left`` to ``right``. Units are numbered as :func:`unit_of` numbers
    them: a year by itself, a month as 12 × its year + its month − 1, a day by its day
    number."""

    first: int
    last: int
    step: int
    """Units between labelled ticks."""
    minor_step: int
    """Units between minor ticks; 0 for none."""
    left: float
    right: float
    unit: Unit = "year"

    def x(self, day: float) -> float:
        """Where a moment falls: ``day`` is a proleptic Gregorian day number
        (``date.toordinal()``), fractions allowed."""
        start, end = unit_start(self.unit, self.first), unit_start(self.unit, self.last)
        return self.left + (day - start) / (end - start) * (self.right - self.left)

    def unit_x(self, number: int) -> float:
        """Where a unit begins."""
        return self.x(unit_start(self.unit, number))

    def tick_x(self, number: int) -> float:
        """Where a unit's tick stands: where it begins, but in the middle of a day, where the
        dot of an event on that day sits (a year or a month is read as a stretch of time,
        with its label at its start; a day as a moment)."""
        return self.x(unit_start(self.unit, number) + (0.5 if self.unit == "day" else 0))

    def ticks(self) -> list[int]:
        """The labelled units: the multiples of the step on the axis (on an axis of days,
        every step from its first day)."""
        return self._multiples(self.step)

    def minor_ticks(self) -> list[int]:
        """The units of the unlabelled ticks between the labelled ones."""
        if not self.minor_step:
            return []
        origin = self._origin()
        return [n for n in self._multiples(self.minor_step) if (n - origin) % self.step]

    def tick_labels(self, labels: Language) -> list[tuple[int, str]]:
        """The labelled units and their labels as ``labels`` writes them; a label says the
        month (or the year) too where it differs from the tick before's (Language.axis_date)."""
        found: list[tuple[int, str]] = []
        before: tuple[int, int | None] | None = None
        for number in self.ticks():
            date = unit_date(self.unit, number)
            # A day's month, or a month's year (a year is whole anyway).
            larger = (date.year, date.month if self.unit == "day" else None)
            found.append((number, labels.axis_date(date, larger != before)))
            before = larger
        return found

    def _origin(self) -> int:
        """Days are counted in steps from the axis's first day (a week from any weekday);
        years and months in multiples of the step (decades, quarters)."""
        return self.first if self.unit == "day" else 0

    def _multiples(self, step: int) -> list[int]:
        if self.unit == "day":
            # The last unit is where the axis ends: it has no middle on it.
            return list(range(self.first, self.last, step))
        return list(range(_ceil(self.first, step), self.last + 1, step))


@dataclass(frozen=True)
class Label:
    """A label's text and the room it takes in its lane, ``left`` to ``right``."""

    text: str
    left: float
    right: float
    anchor: str
    """Where it is against its mark: ``start`` (from the mark's left end), ``middle`` or
    ``end`` (up to the mark's right end)."""
    gaps: tuple[int, ...] = ()
    """The characters a Han–Latin gap follows (``1945|年至|1948|年``), by index."""


@dataclass(frozen=True)
class Mark:
    """One event in the picture: a bar (``is_range``) or a dot, with its label if any."""

    index: int
    """The event's place in the briefing."""
    left: float
    right: float
    is_range: bool
    lane: int
    label: Label | None

    @property
    def box(self) -> tuple[float, float]:
        """The room the mark and its label take in their lane."""
        return _box((self.left, self.right), self.label)


def _box(extent: tuple[float, float], label: Label | None) -> tuple[float, float]:
    if label is None:
        return extent
    return min(extent[0], label.left), max(extent[1], label.right)


@dataclass(frozen=True)
class Column:
    """Rule 4: the events that start from unit ``first`` of the axis up to (not including)
    unit ``last``."""

    first: int
    last: int
    events: tuple[int, ...]
    """Their indexes in the briefing, in date order."""
    left: float
    right: float
    height: float

    @property
    def count(self) -> int:
        return len(self.events)


@dataclass(frozen=True)
class Square:
    """Rule 4: one event's square in its column."""

    index: int
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class Layout:
    """The whole picture's geometry."""

    width: float
    height: float
    axis: Axis
    axis_y: float
    rule: int
    """Which of the module's rules (1–4) made it."""
    lanes: int = 0
    marks: tuple[Mark, ...] = ()
    """By event index."""
    columns: tuple[Column, ...] = ()
    squares: tuple[Square, ...] = ()
    """Empty when the columns are plain bars."""

    def lane_top(self, lane: int) -> float:
        """The top of a lane's labels; lane 0 is the one on the axis."""
        return self.axis_y - AXIS_GAP - lane * LANE_PITCH - LANE_INK


@dataclass(frozen=True)
class Link:
    """A part of the picture that leads to an event, in percent of the picture's width and
    height: the PDF's links are HTML boxes laid over the picture."""

    href: str
    left: float
    top: float
    width: float
    height: float
    name: str
    """The event it leads to, as the contents list it: what a screen reader says of the
    link, which has no text of its own (the picture's ``<title>`` for it in the HTML)."""


@dataclass(frozen=True)
class Timeline:
    """What the template places: the SVG and the links to lay over it."""

    svg: Markup
    links: tuple[Link, ...]
    layout: Layout


# -- the template's entry point --------------------------------------------------------------


def figure(
    briefing: Briefing,
    labels: Language,
    options: BuildOptions,
    events_href: Callable[[str], str],
    event_id: Callable[[int], str],
    linked: bool = True,
    paper: Paper | None = None,
) -> Timeline | None:
    """The briefing's timeline for a template; None when its events take fewer than
    :data:`MIN_EVENTS` different times. It is drawn as wide as the text column of
    ``paper`` (by default, of the options' paper).

    The n-th event's link is ``events_href(event_id(n)) + "#" + event_id(n)``, as in the
    other templates: ``#event-01`` in the one-page outputs, ``event-01.xhtml#event-01`` in
    the EPUB. ``linked=False`` leaves the picture's own links out (see :func:`draw`).
    """
    if len({_days(event)[:2] for event in briefing.events}) < MIN_EVENTS:
        return None
    autospace = "han-latin-spacing" not in options.disabled_rules
    width = text_width(paper or options.paper_size)
    plan = layout(briefing.events, labels, width, autospace)
    anchors = [event_id(index) for index in range(len(briefing.events))]
    hrefs = [f"{events_href(anchor)}#{anchor}" for anchor in anchors]
    picture = draw(plan, briefing.events, labels, hrefs, linked)
    names = [entry(event, labels) for event in briefing.events]
    return Timeline(picture, links(plan, hrefs, names), plan)


# -- measuring -------------------------------------------------------------------------------


def text_width(paper: Paper) -> float:
    """The width of the PDF's text column on ``paper``, in points: the picture's width (were
    it wider, the picture would be scaled down to fit and its 7 pt type print smaller)."""
    return round(paper.column_width(), 2)


@lru_cache(maxsize=8192)
def label_width(
    text: str,
    size: float = LABEL_SIZE,
    face: fonts.FontFace = LABEL_FACE,
    lang: str | None = None,
) -> float:
    """How wide ``text`` is drawn at ``size`` in ``face``, from the shipped font's advances
    (what WeasyPrint draws with; the one-page HTML and the EPUB embed the same face), shaped
    in ``lang`` where given, as Pango shapes it: the faces' forms for a language can differ
    in width (a space in Korean is 0.28 em, elsewhere 0.227)."""
    font = fonts.hb_font(face)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    if lang is not None:
        buffer.language = lang
    hb.shape(font, buffer, {})
    advance: int = sum(position.x_advance for position in buffer.glyph_positions)
    units: int = font.face.upem
    return advance / units * size


def spaced_width(text: str, gaps: Sequence[int]) -> float:
    """How wide an event's label is drawn: its text (:func:`label_width`) and a quarter em
    after each character of ``gaps``."""
    return label_width(text) + len(gaps) * AUTOSPACE * LABEL_SIZE


# -- the layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Span:
    """An event's time as day numbers, ``end`` exclusive."""

    index: int
    start: int
    end: int
    is_range: bool


def _days(event: Event) -> tuple[int, int, bool]:
    """An event's first day number, the day number after its last, and whether its end falls
    after its start."""
    ends_later = event.end is not None and event.end.last_day > event.start.last_day
    last = event.end if ends_later and event.end is not None else event.start
    return event.start.first_day.toordinal(), last.last_day.toordinal() + 1, ends_later


def _span(index: int, event: Event, unit: Unit) -> _Span:
    start, end, ends_later = _days(event)
    # A date less precise than the axis is drawn as all the time it may mean: a dot in the
    # middle of 2024 on an axis of months would say July.
    vaguer = precision(event.start) < UNITS.index(unit)
    return _Span(index, start, end, ends_later or vaguer)


def precision(date: PartialDate) -> int:
    """How precise a date is, as its unit's place in :data:`UNITS`: 0 for a year, 1 for a
    month, 2 for a day."""
    return 0 if date.month is None else 1 if date.day is None else 2


def layout(
    events: Sequence[Event], labels: Language, width: float, autospace: bool = True
) -> Layout:
    """The picture of ``events``, ``width`` points wide, by the first of the module's rules
    that fits; the labels spaced between Han and Latin as the text is (unless not
    ``autospace``: the rule ``han-latin-spacing`` switched off)."""
    days = [_days(event) for event in events]
    axis = _axis(min(day[0] for day in days), max(day[1] for day in days), width, labels)
    spans = sorted(
        (_span(index, event, axis.unit) for index, event in enumerate(events)),
        key=lambda span: (span.start, span.end, span.index),
    )
    if len(spans) > MAX_MARKED:
        return _columns_layout(spans, axis, width)
    full = [_composed(labels.period(events[span.index])) for span in spans]
    short = [short_label(events[span.index], labels, axis.unit) for span in spans]
    for rule, texts, max_lanes in ((1, full, MAX_FULL_LANES), (2, short, MAX_LANES)):
        packings = [
            marks
            for latest_first, usual_first in _PASSES
            if (
                marks := _pack(
                    spans, axis, width, texts, max_lanes, latest_first, usual_first, autospace
                )
            )
            is not None
        ]
        if packings:
            return _lanes_layout(axis, width, min(packings, key=_cost), rule)
    thinned = _pack_thinned(spans, axis, width, short, autospace)
    if thinned is not None:
        return _lanes_layout(axis, width, thinned, 3)
    return _columns_layout(spans, axis, width)


#: The ways the events are packed: ``(latest first, usual place of labels first)``. Packing in
#: date order crowds the top lanes with the latest events when they come close together (as
#: recent events do); packing from the other end, or trying the other place of labels first,
#: often needs fewer lanes. :func:`_cost` picks the best.
_PASSES = ((False, True), (False, False), (True, True), (True, False))


def _cost(marks: Sequence[Mark]) -> tuple[int, int]:
    """What makes a packing worse: lanes, then labels away from their usual place. ``min``
    keeps the first of equals, so the passes' order decides ties."""
    return (
        max(mark.lane for mark in marks),
        sum(
            mark.label is not None and mark.label.anchor != _usual(mark.is_range) for mark in marks
        ),
    )


def _usual(is_range: bool) -> str:
    return "start" if is_range else "middle"


_STEPS: dict[Unit, tuple[int, ...]] = {"year": YEAR_STEPS, "month": MONTH_STEPS, "day": DAY_STEPS}


def _axis(first_day: int, end_day: int, width: float, labels: Language) -> Axis:
    """The scale from day number ``first_day`` up to ``end_day``: in days up to
    :data:`MAX_DAYS`, in months up to :data:`MAX_MONTHS`, else in years (or in the next
    coarser unit, where no step of the finer one leaves its labels room); widened to whole
    steps (to whole decades, for steps of ten years or more), labelled every step that
    leaves room."""
    if end_day - first_day <= MAX_DAYS:
        finest = 2
    elif unit_of("month", end_day - 1) - unit_of("month", first_day) < MAX_MONTHS:
        finest = 1
    else:
        finest = 0
    axis = None
    for unit in reversed(UNITS[: finest + 1]):
        first, last = unit_of(unit, first_day), unit_of(unit, end_day - 1) + 1
        for step in _STEPS[unit]:
            axis = _widened(unit, first, last, step, width)
            fitted = _fitted(axis, width, labels)
            if fitted is not None:
                return _with_minor_ticks(fitted)
    assert axis is not None
    return _with_minor_ticks(axis)


def _widened(unit: Unit, first: int, last: int, step: int, width: float) -> Axis:
    """The axis from unit ``first`` to ``last`` labelled every ``step``, widened to whole
    steps (years to whole decades at most; days not at all, their steps count from the
    first)."""
    pad = 1 if unit == "day" else min(step, 10)
    low = _floor(first, pad)
    high = max(_ceil(last, pad), low + pad)
    return Axis(low, high, step, 0, SIDE, width - SIDE, unit)


def _fitted(axis: Axis, width: float, labels: Language) -> Axis | None:
    """``axis`` with room at each end for half its end labels (:data:`SIDE` at least), if its
    labelled ticks are few enough, :data:`MIN_TICK_SPACING` apart and their labels
    :data:`TICK_LABEL_GAP` apart; None if not."""
    intervals = (axis.last - axis.first) / axis.step
    if intervals > MAX_TICK_INTERVALS:
        return None
    texts = axis.tick_labels(labels)
    halves = {number: label_width(text, LABEL_SIZE, YEAR_FACE) / 2 for number, text in texts}
    side = max([SIDE, *(halves[number] for number, _ in texts[:1] + texts[-1:])])
    axis = dataclasses.replace(axis, left=side, right=width - side)
    if (axis.right - axis.left) / intervals < MIN_TICK_SPACING:
        return None
    placed = [(axis.tick_x(number), halves[number]) for number, _ in texts]
    if all(
        x + half + TICK_LABEL_GAP <= next_x - next_half
        for (x, half), (next_x, next_half) in pairwise(placed)
    ):
        return axis
    return None


def _with_minor_ticks(axis: Axis) -> Axis:
    """``axis`` with minor ticks every largest smaller step that divides its step, where they
    fall :data:`MIN_MINOR_SPACING` apart."""
    per_unit = (axis.right - axis.left) / (axis.last - axis.first)
    minor = next(
        (
            smaller
            for smaller in reversed(_STEPS[axis.unit])
            if smaller < axis.step
            and axis.step % smaller == 0
            and smaller * per_unit >= MIN_MINOR_SPACING
        ),
        0,
    )
    return dataclasses.replace(axis, minor_step=minor)


def _floor(year: int, step: int) -> int:
    return year // step * step


def _ceil(year: int, step: int) -> int:
    return -(-year // step) * step


def unit_of(unit: Unit, day: int) -> int:
    """The number of the year, month or day (:class:`Axis`) that day number ``day`` is in."""
    if unit == "day":
        return day
    date = dt.date.fromordinal(day)
    return date.year if unit == "year" else 12 * date.year + date.month - 1


def unit_start(unit: Unit, number: int) -> int:
    """The day number on which the year, month or day ``number`` begins."""
    if unit == "day":
        return number
    year, month = divmod(number, 12) if unit == "month" else (number, 0)
    # 1 January by arithmetic: an axis may end in the year after 9999, where date stops.
    days = (dt.date(year, month + 1, 1) - dt.date(year, 1, 1)).days if month else 0
    return _january_first(year) + days


def unit_date(unit: Unit, number: int) -> PartialDate:
    """The year, month or day ``number`` as a date of that precision."""
    if unit == "year":
        return PartialDate(number)
    if unit == "month":
        year, month = divmod(number, 12)
        return PartialDate(year, month + 1)
    date = dt.date.fromordinal(number)
    return PartialDate(date.year, date.month, date.day)


def to_unit(date: PartialDate, unit: Unit) -> PartialDate:
    """``date`` no more precise than ``unit``: ``2024-01-06`` to the month is ``2024-01``."""
    kept = UNITS.index(unit)
    return PartialDate(
        date.year, date.month if kept >= 1 else None, date.day if kept >= 2 else None
    )


def _january_first(year: int) -> int:
    """The day number of 1 January of ``year``, for any year (``date`` stops at 9999)."""
    before = year - 1
    return before * 365 + before // 4 - before // 100 + before // 400 + 1


def _composed(text: str) -> str:
    """``text`` with each letter and the combining marks after it composed (NFC), as one
    character where Unicode has one: WeasyPrint lays an SVG text out a character at a time,
    so the marks of a letter written decomposed (Nguyễn as e, U+0302, U+0303) were drawn
    apart from it, as empty boxes, where the precomposed letter the fonts have is drawn
    whole. Only such clusters: NFC would also make a compatibility ideograph (神 U+FA19, a
    form chosen for a name) the unified one."""
    pieces: list[str] = []
    for char in text:
        if pieces and unicodedata.category(char).startswith("M"):
            pieces[-1] += char
        else:
            pieces.append(char)
    return "".join(
        unicodedata.normalize("NFC", piece) if len(piece) > 1 else piece for piece in pieces
    )


def short_label(event: Event, labels: Language | None = None, unit: Unit = "year") -> str:
    """A period in years only, the same in every language: ``1945–48``, ``1998–2003``,
    ``2022``; on an axis of months or days, to the axis's unit as ``labels`` writes its
    ticks (``2024年1月``, ``1月9日–10日``, ``9–10 Jan``, ``1月30日–2月2日``)."""
    if unit != "year" and labels is not None:
        start = to_unit(event.start, unit)
        end = to_unit(event.end, unit) if event.end is not None else start
        if end == start:
            return labels.axis_date(start, True)
        first_whole = _says_whole(start, end, labels.names_year_first)
        last_whole = _says_whole(end, start, not labels.names_year_first)
        return f"{labels.axis_date(start, first_whole)}–{labels.axis_date(end, last_whole)}"
    first = event.start.year
    last = event.end.year if event.end is not None else first
    if last <= first:
        return str(first)
    if first // 100 == last // 100 and first >= 1000:
        return f"{first}–{last % 100:02d}"
    return f"{first}–{last}"


def _says_whole(date: PartialDate, other: PartialDate, names_first: bool) -> bool:
    """Whether one end of a period on an axis of months or days is labelled whole: the
    month (of two days of one month) or the year (of a month and another date of its year)
    said once, as the period's own label says it (Language.when), by the end that names it
    first in the language's order (``names_first``). Each end is judged by its own
    precision, not the axis's: a month on an axis of days names its year as a tick of
    months does, so a period from 2021-09 to 2021-10 is 2021年9月–10月 there too, not
    2021年9月–2021年10月, and one from 2021-09-15 9月15日–10月, not 9月15日–2021年10月."""
    if date.day is not None:
        shares = other.day is not None and (other.year, other.month) == (date.year, date.month)
    else:
        shares = other.month is not None and other.year == date.year
    return not shares or names_first


def _mark_extent(span: _Span, axis: Axis) -> tuple[float, float]:
    """A bar's ends, or a dot's left and right edges."""
    if span.is_range:
        left = axis.x(span.start)
        return left, max(axis.x(span.end), left + MIN_BAR)
    middle = axis.x((span.start + span.end) / 2)
    return middle - DOT_RADIUS, middle + DOT_RADIUS


def _label_places(
    text: str, extent: tuple[float, float], is_range: bool, width: float, autospace: bool
) -> list[Label]:
    """Where a mark's label may go, its usual place first, all inside the picture; none when
    the label is wider than the picture."""
    gaps = tuple(gaps_after(text)) if autospace else ()
    size = spaced_width(text, gaps)
    if size > width:
        return []
    left, right = extent
    from_left = min(left, width - size)
    to_right = max(right, size)
    centred = min(max((left + right - size) / 2, 0.0), width - size)
    starting = Label(text, from_left, from_left + size, "start", gaps)
    ending = Label(text, to_right - size, to_right, "end", gaps)
    if is_range:
        return [starting, ending]
    return [Label(text, centred, centred + size, "middle", gaps), starting, ending]


def _pack(
    spans: Sequence[_Span],
    axis: Axis,
    width: float,
    texts: Sequence[str],
    max_lanes: int,
    latest_first: bool,
    usual_first: bool,
    autospace: bool,
) -> list[Mark] | None:
    """Rules 1 and 2, greedy interval packing: each event in turn takes the lowest lane where
    its mark and its label fit. None when one finds no lane."""
    lanes: list[list[tuple[float, float]]] = []
    marks: list[Mark] = []
    order = range(len(spans) - 1, -1, -1) if latest_first else range(len(spans))
    for position in order:
        span = spans[position]
        extent = _mark_extent(span, axis)
        places = _label_places(texts[position], extent, span.is_range, width, autospace)
        if not usual_first:
            places.reverse()
        placed = _place(extent, places, lanes, max_lanes)
        if placed is None:
            return None
        lane, label = placed
        mark = Mark(span.index, extent[0], extent[1], span.is_range, lane, label)
        if lane == len(lanes):
            lanes.append([])
        lanes[lane].append(mark.box)
        marks.append(mark)
    return marks


def _place(
    extent: tuple[float, float],
    places: Sequence[Label],
    lanes: Sequence[Sequence[tuple[float, float]]],
    max_lanes: int,
) -> tuple[int, Label] | None:
    """The lowest lane, and in it the first of ``places``, where the mark and that label
    clear every box already there."""
    for lane in range(min(len(lanes) + 1, max_lanes)):
        taken = lanes[lane] if lane < len(lanes) else ()
        for label in places:
            if _clear(_box(extent, label), taken, GAP):
                return lane, label
    return None


def _clear(box: tuple[float, float], taken: Iterable[tuple[float, float]], gap: float) -> bool:
    """Whether ``box`` stays ``gap`` away from each of ``taken``."""
    left, right = box
    return all(right + gap <= other[0] or other[1] + gap <= left for other in taken)


def _pack_thinned(
    spans: Sequence[_Span], axis: Axis, width: float, texts: Sequence[str], autospace: bool
) -> list[Mark] | None:
    """Rule 3: every k-th event in date order packed with its label as in rule 2, for the
    smallest k up to :data:`MAX_THINNING` that leaves room for the other events' bare marks
    (:func:`_add_bare_marks`). None when no k does."""
    for k in range(2, MAX_THINNING + 1):
        chosen = range(0, len(spans), k)
        labelled = [spans[position] for position in chosen]
        chosen_texts = [texts[position] for position in chosen]
        packings = [
            marks
            for latest_first, usual_first in _PASSES
            if (
                marks := _pack(
                    labelled,
                    axis,
                    width,
                    chosen_texts,
                    MAX_LANES,
                    latest_first,
                    usual_first,
                    autospace,
                )
            )
            is not None
        ]
        if not packings:
            continue
        bare = [span for position, span in enumerate(spans) if position % k]
        marks = _add_bare_marks(min(packings, key=_cost), bare, axis)
        if marks is not None:
            return marks
    return None


def _add_bare_marks(marks: Sequence[Mark], spans: Sequence[_Span], axis: Axis) -> list[Mark] | None:
    """``marks`` and a mark without a label for each of ``spans``, in date order, each in the
    lowest lane where it clears the labelled boxes by :data:`GAP` (a mark right under another
    event's label would read as its own) and the bare marks by :data:`MARK_GAP`."""
    lanes: list[list[tuple[tuple[float, float], float]]] = [[] for _ in range(MAX_LANES)]
    for mark in marks:
        lanes[mark.lane].append((mark.box, GAP))
    added = list(marks)
    for span in spans:
        extent = _mark_extent(span, axis)
        lane = next(
            (
                n
                for n, taken in enumerate(lanes)
                if all(_clear(extent, [box], gap) for box, gap in taken)
            ),
            None,
        )
        if lane is None:
            return None
        lanes[lane].append((extent, MARK_GAP))
        added.append(Mark(span.index, extent[0], extent[1], span.is_range, lane, None))
    return added


def _lanes_layout(axis: Axis, width: float, marks: Sequence[Mark], rule: int) -> Layout:
    lanes = max(mark.lane for mark in marks) + 1
    axis_y = TOP + lanes * LANE_PITCH + AXIS_GAP
    return Layout(
        width=width,
        height=round(axis_y + BELOW_AXIS, 2),
        axis=axis,
        axis_y=axis_y,
        rule=rule,
        lanes=lanes,
        marks=tuple(sorted(marks, key=lambda mark: mark.index)),
    )


def _columns_layout(spans: Sequence[_Span], axis: Axis, width: float) -> Layout:
    """Rule 4: the events counted by the decade (or step) they start in; on an axis of
    months or days, by the month or the day (or step)."""
    per_unit = (axis.right - axis.left) / (axis.last - axis.first)
    least = min(axis.step, 10) if axis.unit == "year" else 1
    units = least if least * per_unit >= MIN_COLUMN else axis.step
    # Columns of a step longer than a decade need an axis that starts and ends on the step
    # (counted, for days, from the axis's first day, as its ticks are).
    origin = axis.first if axis.unit == "day" else 0
    first = origin + _floor(axis.first - origin, units)
    axis = dataclasses.replace(axis, first=first, last=origin + _ceil(axis.last - origin, units))
    found: dict[int, list[int]] = {}
    for span in spans:  # in date order
        start = unit_of(axis.unit, span.start)
        found.setdefault(origin + _floor(start - origin, units), []).append(span.index)
    # Room between columns, so that each reads as its own decade (or month, or day); as wide
    # as the shortest's room, since months differ in length.
    slots = {start: axis.unit_x(start + units) - axis.unit_x(start) for start in found}
    column_width = min(slots.values()) - 2 * COLUMN_MARGIN
    most = max(len(indexes) for indexes in found.values())
    size = _square_size(column_width, most)
    bottom = TOP + LABEL_BOX + 2.0 + COLUMN_HEIGHT  # the axis, before the height is known
    columns: list[Column] = []
    squares: list[Square] = []
    for start, indexes in sorted(found.items()):
        left = axis.unit_x(start) + (slots[start] - column_width) / 2
        if size:
            placed = _squares(indexes, left, column_width, bottom, size)
            height = bottom - min(square.y for square in placed)
            squares.extend(placed)
        else:
            height = max(COLUMN_HEIGHT * len(indexes) / most, 1.0)
        columns.append(
            Column(start, start + units, tuple(indexes), left, left + column_width, height)
        )
    # Squares rarely fill the full height: the picture ends at its tallest column.
    spare = COLUMN_HEIGHT - max(column.height for column in columns)
    axis_y = bottom - spare
    return Layout(
        width=width,
        height=round(axis_y + BELOW_AXIS, 2),
        axis=axis,
        axis_y=axis_y,
        rule=4,
        columns=tuple(columns),
        squares=tuple(Square(s.index, s.x, s.y - spare, s.size) for s in squares),
    )


def _square_size(column_width: float, most: int) -> float:
    """The largest of :data:`SQUARE_SIZES` at which the fullest column fits in
    :data:`COLUMN_HEIGHT`; 0 when none does."""
    for size in SQUARE_SIZES:
        per_row = _per_row(column_width, size)
        if per_row and math.ceil(most / per_row) * size * (1 + SQUARE_GAP) <= COLUMN_HEIGHT:
            return size
    return 0.0


def _per_row(column_width: float, size: float) -> int:
    """How many squares of ``size`` fit side by side in a column."""
    return math.floor((column_width + size * SQUARE_GAP) / (size * (1 + SQUARE_GAP)))


def _squares(
    indexes: Sequence[int], left: float, column_width: float, bottom: float, size: float
) -> list[Square]:
    """A column's squares, row by row from the bottom, centred in the column."""
    pitch = size * (1 + SQUARE_GAP)
    per_row = _per_row(column_width, size)
    start = left + (column_width - (per_row * pitch - size * SQUARE_GAP)) / 2
    return [
        Square(index, start + (n % per_row) * pitch, bottom - (n // per_row + 1) * pitch, size)
        for n, index in enumerate(indexes)
    ]


# -- the SVG ---------------------------------------------------------------------------------


def _num(value: float) -> str:
    """A coordinate as SVG text: two decimals at most, no trailing zeros, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attrs(**values: str | float) -> str:
    """XML attributes, numbers written by :func:`_num`; ``font_size`` is written
    ``font-size`` and ``xlink_href`` ``xlink:href``."""
    parts = []
    for name, value in values.items():
        text = _num(value) if isinstance(value, float) else str(value)
        attribute = name.replace("xlink_", "xlink:").replace("_", "-")
        parts.append(f'{attribute}="{escape(text)}"')
    return " ".join(parts)


def draw(
    plan: Layout,
    events: Sequence[Event],
    labels: Language,
    hrefs: Sequence[str],
    linked: bool = True,
) -> Markup:
    """The picture as an inline ``<svg>``: well-formed XML in the SVG namespace (the EPUB's
    XHTML needs both), every mark a link to its event, named by a ``<title>``.

    ``linked=False`` draws the marks without their links and names, for the PDF: WeasyPrint
    draws an inline SVG as a picture, makes no links of its ``<a>`` elements (the PDF's
    links are the boxes laid over it, :func:`links`) and shows no ``<title>``, but it
    computes a style for every element, three per event (a tenth of a 200-event PDF's
    elements). The picture keeps its own title and description, its accessible name."""
    # No height: the viewBox gives the ratio, and the picture scales with the text.
    view_box = f"0 0 {_num(plan.width)} {_num(plan.height)}"
    # Each link is named as the contents name its event, since a square has no text of its
    # own: by a <title> child (SVG's own way, also a tooltip), not aria-label, which the
    # picture's role="img" prohibits on what it holds (axe-core's aria-prohibited-attr).
    opening = [
        f"<a {_attrs(xlink_href=href)}><title>{escape(entry(event, labels))}</title>"
        if linked
        else ""
        for href, event in zip(hrefs, events, strict=True)
    ]
    closing = "</a>" if linked else ""
    body = _columns(plan, opening, closing) if plan.columns else _marks(plan, opening, closing)
    parts = [
        f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" viewBox="{view_box}" width="100%"'
        ' role="img">',
        f"<title>{escape(title(events, labels, plan.axis.unit))}</title>",
        f"<desc>{escape(description(plan, events, labels))}</desc>",
        *_grid(plan),
        *body,
        *_axis_lines(plan, labels),
        "</svg>",
    ]
    return Markup("\n".join(part for part in parts if part))


def title(events: Sequence[Event], labels: Language, unit: Unit = "year") -> str:
    """The picture's name: what it is, and the years it spans (the months or the days, on
    an axis of months or days), as the briefing's language writes a period
    (``大事時間軸：1945年至2023年``, ``Timeline, 1945–2023``). The years alone told a reader
    who hears the name (a screen reader, the PDF's figure, whose one text it is) not what
    the picture was."""
    first = min((event.start for event in events), key=lambda date: date.first_day)
    last = max(
        (date for event in events for date in (event.start, event.end) if date is not None),
        key=lambda date: date.last_day,
    )
    return labels.chart.format(period=labels.when(to_unit(first, unit), to_unit(last, unit)))


def description(plan: Layout, events: Sequence[Event], labels: Language) -> str:
    """What the picture shows, as text: the events as the contents list them, or each
    column's years and count."""
    if plan.columns:
        unit = plan.axis.unit
        return labels.list_separator.join(
            f"{labels.when(unit_date(unit, column.first), unit_date(unit, column.last - 1))}"
            f" {labels.event_count(column.count)}"
            for column in plan.columns
        )
    return labels.list_separator.join(entry(events[mark.index], labels) for mark in plan.marks)


def entry(event: Event, labels: Language) -> str:
    """An event as the contents list it: ``1950年至1953年　朝鮮戰爭…``."""
    return f"{labels.period(event)}{labels.title_separator}{event.title}"


def _grid(plan: Layout) -> list[str]:
    """Hairlines up from the labelled ticks, behind the marks, to read dates against; none
    through a column of the counted picture (rule 4). A decade's or a month's column stands
    between two ticks, but a day's stands on its day's tick, so its line ran up between its
    squares and through its count, struck through, where the column itself marks the day."""
    lines = [
        f"<line {_attrs(x1=x, y1=TOP, x2=x, y2=plan.axis_y)} />"
        for x in map(plan.axis.tick_x, plan.axis.ticks())
        if not any(column.left <= x <= column.right for column in plan.columns)
    ]
    return [f'<g class="grid" stroke="{GRID_COLOUR}" stroke-width="0.5">', *lines, "</g>"]


def _axis_lines(plan: Layout, labels: Language) -> list[str]:
    """The axis, its ticks, and the years (months, days) under the labelled ones."""
    axis, y = plan.axis, plan.axis_y
    parts = [
        f'<g class="axis" stroke="{AXIS_COLOUR}" stroke-width="0.6">',
        f"<line {_attrs(x1=axis.left, y1=y, x2=axis.right, y2=y)} />",
        *(_tick(axis.tick_x(number), y, TICK) for number in axis.ticks()),
        *(_tick(axis.tick_x(number), y, MINOR_TICK) for number in axis.minor_ticks()),
        "</g>",
        '<g class="years" '
        f"{_attrs(font_family=YEAR_FAMILY, font_size=LABEL_SIZE, fill=YEAR_COLOUR)}"
        ' font-weight="400">',
        *(
            _text(text, axis.tick_x(number), y + TICK + 1.5 + ASCENT, YEAR_FACE)
            for number, text in axis.tick_labels(labels)
        ),
        "</g>",
    ]
    return parts


def _text(text: str, middle: float, baseline: float, face: fonts.FontFace = LABEL_FACE) -> str:
    """``text`` centred on ``middle``. Placed by its measured width rather than by
    ``text-anchor``: WeasyPrint draws anchored text in a group of its own, a form XObject,
    which PDF text extraction places wrongly once the page is imposed on a handout sheet."""
    left = middle - label_width(text, LABEL_SIZE, face) / 2
    return f"<text {_attrs(x=left, y=baseline)}>{escape(text)}</text>"


def _spaced(label: Label) -> str:
    """A label's text as SVG, each piece after a Han–Latin gap in a ``tspan`` moved on by the
    gap (``1945<tspan dx="1.75">年至</tspan>…``): the text stays whole for search and copy,
    and every renderer (WeasyPrint, browsers, reading systems) draws the gap."""
    cuts = [index + 1 for index in label.gaps]
    pieces = [label.text[start:end] for start, end in zip([0, *cuts], [*cuts, None], strict=True)]
    moved = _attrs(dx=AUTOSPACE * LABEL_SIZE)
    moved_on = "".join(f"<tspan {moved}>{escape(piece)}</tspan>" for piece in pieces[1:])
    return f"{escape(pieces[0])}{moved_on}"


def _tick(x: float, y: float, length: float) -> str:
    return f"<line {_attrs(x1=x, y1=y, x2=x, y2=y + length)} />"


def _marks(plan: Layout, opening: Sequence[str], closing: str) -> list[str]:
    """Rules 1–3: each event's bar or dot, and its label above it, as a link to the event
    (between its ``opening`` and ``closing``)."""
    parts = [
        f'<g class="marks" {_attrs(font_family=LABEL_FAMILY, font_size=LABEL_SIZE, fill=ACCENT)}'
        ' font-weight="700">'
    ]
    # Left to right, in time, whatever the lane: the order the keyboard (Tab) moves through
    # the links, which lane by lane went from the last event of one lane back to the first
    # of the next (WCAG 2.4.3, focus order). No two marks or labels overlap, so the order
    # they are drawn in does not show.
    for mark in sorted(plan.marks, key=lambda mark: (mark.left, mark.index)):
        top = plan.lane_top(mark.lane)
        parts.append(opening[mark.index])
        if mark.is_range:
            bar = _attrs(
                x=mark.left, y=top + BAR_OFFSET, width=mark.right - mark.left, height=BAR_HEIGHT
            )
            parts.append(f"<rect {bar} />")
        else:
            middle = (mark.left + mark.right) / 2
            dot = _attrs(cx=middle, cy=top + BAR_OFFSET + BAR_HEIGHT / 2, r=DOT_RADIUS)
            parts.append(f"<circle {dot} />")
        if mark.label is not None:
            # From its measured left end, without text-anchor (see _text).
            place = _attrs(x=mark.label.left, y=top + ASCENT)
            parts.append(f"<text {place}>{_spaced(mark.label)}</text>")
        parts.append(closing)
    parts.append("</g>")
    return parts


def _columns(plan: Layout, opening: Sequence[str], closing: str) -> list[str]:
    """Rule 4: a square per event (or a bar per column), and each column's count."""
    parts = [f'<g class="marks" fill="{ACCENT}">']
    for square in plan.squares:
        box = _attrs(x=square.x, y=square.y, width=square.size, height=square.size)
        parts.append(f"{opening[square.index]}<rect {box} />{closing}")
    if not plan.squares:
        for column in plan.columns:
            box = _attrs(
                x=column.left,
                y=plan.axis_y - column.height,
                width=column.right - column.left,
                height=column.height,
            )
            parts.append(f"{opening[column.events[0]]}<rect {box} />{closing}")
    parts.append("</g>")
    parts.append(
        f'<g class="marks" {_attrs(font_family=LABEL_FAMILY, font_size=LABEL_SIZE, fill=ACCENT)}'
        ' font-weight="700">'
    )
    for column in plan.columns:
        middle = (column.left + column.right) / 2
        parts.append(_text(str(column.count), middle, plan.axis_y - column.height - 2.0))
    parts.append("</g>")
    return parts


# -- links for the PDF -----------------------------------------------------------------------


def links(plan: Layout, hrefs: Sequence[str], names: Sequence[str]) -> tuple[Link, ...]:
    """The parts of the picture that lead to an event, in percent of its size; ``hrefs``
    and ``names`` are the events' links and names, in order.

    WeasyPrint draws an inline SVG as a picture and makes no links of its ``<a>`` elements,
    so the template lays these boxes over it as HTML links."""
    boxes: list[tuple[int, float, float, float, float]] = []
    for mark in plan.marks:
        left, right = mark.box
        boxes.append((mark.index, left, plan.lane_top(mark.lane), right - left, LANE_INK))
    for square in plan.squares:
        boxes.append((square.index, square.x, square.y, square.size, square.size))
    if not plan.squares:
        for column in plan.columns:
            top = plan.axis_y - column.height
            boxes.append(
                (column.events[0], column.left, top, column.right - column.left, column.height)
            )
    return tuple(
        Link(
            hrefs[index],
            round(100 * left / plan.width, 3),
            round(100 * top / plan.height, 3),
            round(100 * width / plan.width, 3),
            round(100 * height / plan.height, 3),
            names[index],
        )
        for index, left, top, width, height in boxes
    )
