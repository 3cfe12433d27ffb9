"""The typed briefing model: plain data, no I/O.

Every later stage (typography, rendering, the builders) takes a :class:`Briefing` and nothing
else, so this module is the one place that says what a briefing *is*.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day: ``1950``, ``1950-06``, ``1950-06-25``."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def first_day(self) -> dt.date:
        """The earliest calendar day the date can mean (for ordering and comparison)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The latest calendar day the date can mean: ``1950`` ends on 1950-12-31."""
        if self.day is not None:
            return self.first_day
        if self.month is None:
            return dt.date(self.year, 12, 31)
        next_month = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return next_month - dt.timedelta(days=1)


@dataclass(frozen=True)
class Position:
    """Where a value sits in the briefing file (1-based, as editors count)."""

    line: int
    column: int
    written: str = field(default="", compare=False, repr=False)
    """The value as it is written in the file (indicators, quotes and indentation included),
    kept for text values so that a single character inside them can be pointed at."""

    def of(self, char: str) -> Position:
        """Where ``char`` first appears in the value; the value's own position when it does
        not appear as written (e.g. it was given as an escape like ``\\u4E00``)."""
        index = self.written.find(char)
        if index < 0:
            return self
        before = self.written[:index]
        line_breaks = before.count("\n")
        if not line_breaks:
            return Position(self.line, self.column + index)
        return Position(self.line + line_breaks, index - before.rfind("\n"))


@dataclass(frozen=True)
class Person:
    name: str
    alt: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str | None = None
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Event:
    start: PartialDate
    title: str
    when: str
    """The display label; derived from ``start``/``end`` by the loader when the file has none."""
    end: PartialDate | None = None
    body: str = ""
    """Markdown source."""
    people: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image: Path | None = None
    """Absolute path, already checked to lie inside the briefing's folder."""
    caption: str | None = None


@dataclass(frozen=True)
class Briefing:
    title: str
    events: tuple[Event, ...]
    lang: str = "zh-Hant"
    subtitle: str | None = None
    date: dt.date | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    summary: str = ""
    """Markdown source."""
    people: tuple[Person, ...] = ()
    sources: tuple[Source, ...] = ()
    path: Path | None = None
    """The file the briefing was loaded from, if any."""
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)
    """``field.path`` (e.g. ``events[3].body``) → where its value starts in the file."""

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path else None

    def where(self, field_path: str) -> str:
        """``FILE:LINE:COL`` for a field, as precise as the loader could tell."""
        name = str(self.path) if self.path else "<briefing>"
        pos = self.positions.get(field_path)
        return f"{name}:{pos.line}:{pos.column}" if pos else name
