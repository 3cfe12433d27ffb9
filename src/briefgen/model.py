"""The typed briefing model, and the declaration of the briefing file format: plain data, no I/O.

Each field of a record that a briefing file can set carries a :class:`Spec` in its metadata:
its kind of value, whether it is required, and a description. That declaration is the one list
of the format's fields: the loader reads by it, the text walks (typography, glyph coverage)
walk by it, and the JSON Schema is generated from it. Fields without a spec (``path``,
``positions``) are not part of the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

#: The largest briefing file briefgen reads, and the most events it takes: far above what a
#: briefing needs (the speed work measures up to 3,000 events), low enough that a mistaken
#: or hostile file is refused before it can exhaust memory.
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_EVENTS = 20_000

#: The font files a briefing can name (suffix in lower case): OpenType with CFF or TrueType
#: outlines, which HarfBuzz subsets and every output embeds.
FONT_SUFFIXES = (".otf", ".ttf")

#: The image files an event can show (suffix in lower case) and their media types, fixed here
#: rather than asked of ``mimetypes``, whose answers depend on the machine's /etc/mime.types.
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
IMAGE_SUFFIXES = tuple(IMAGE_TYPES)


class Kind(enum.Enum):
    """What a field's value is, as the file writes it."""

    TEXT = "text"
    """Text shown to the reader; the typography rules apply to it."""
    MARKDOWN = "markdown"
    """Markdown (paragraphs, emphasis, links, lists); the typography rules apply to its text."""
    NAME = "name"
    """A name or a keyword, shown exactly as written: the typography rules never touch it."""
    TERM = "term"
    """Text that is not shown but matched against what is (the ``verbatim`` terms)."""
    LANG = "language tag"
    TEXT_LANG = "BCP 47 language tag"
    """The language of a piece of text, in any language (``ru``, ``en``, ``ko-Latn``): not
    one of briefgen's own languages, only said to screen readers."""
    DATE = "date"
    """``YYYY-MM-DD``."""
    PARTIAL_DATE = "partial date"
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    URL = "web address"
    IMAGE = "image path"
    FOLDER = "folder path"
    """A folder inside the briefing's own folder, given relative to the briefing file."""
    RECORDS = "records"
    """A list of records of the spec's ``record`` type."""
    RECORD = "record"
    """One record of the spec's ``record`` type (key: value pairs)."""
    FONT = "font path"
    """An OpenType or TrueType font file inside the briefing's folder."""

    @property
    def is_shown_text(self) -> bool:
        """Text that ends up on the page, so its characters need glyphs."""
        return self in (Kind.TEXT, Kind.MARKDOWN, Kind.NAME, Kind.URL)

    @property
    def is_typeset(self) -> bool:
        """Text the typography rules apply to."""
        return self in (Kind.TEXT, Kind.MARKDOWN)


@dataclass(frozen=True)
class Spec:
    """The declaration of one field of the briefing format."""

    kind: Kind
    description: str
    required: bool = False
    many: bool = False
    """A list of values of ``kind`` rather than one."""
    record: type | None = None
    """For :attr:`Kind.RECORDS` and :attr:`Kind.RECORD`: the record type (of the items)."""
    min_items: int = 0
    max_items: int | None = None
    missing_hint: str | None = None
    """What to tell a user who left a required field out."""
    few_hint: str | None = None
    """What to tell a user whose list is there but holds fewer than ``min_items`` items
    (`events: []`): not to add the list, which is written, but items to it."""
    example: str | None = None


_SPEC = "briefgen"


def declared(kind: Kind, description: str, *, default: Any = None, **more: Any) -> Any:
    """A dataclass field that belongs to the briefing format, described by a :class:`Spec`."""
    spec = Spec(kind, description, **more)
    if spec.required:
        return field(metadata={_SPEC: spec})
    if spec.many or kind is Kind.RECORDS:
        default = ()
    return field(default=default, metadata={_SPEC: spec})


def specs(record: type | object) -> tuple[tuple[str, Spec], ...]:
    """The declared fields of a record type, in the order the format documents them."""
    return _declared_fields(record if isinstance(record, type) else type(record))


@functools.cache
def _declared_fields(record_type: type) -> tuple[tuple[str, Spec], ...]:
    # Kept per type: walking a briefing asks once per record, 6,000 times for 1,000 events,
    # and dataclasses.fields() builds its answer anew each time.
    return tuple(
        (item.name, item.metadata[_SPEC])
        for item in dataclasses.fields(record_type)
        if _SPEC in item.metadata
    )


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
        if self.month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.month + 1, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Position:
    """Where a value sits in the briefing file (1-based, as editors count)."""

    line: int
    column: int
    written: str = field(default="", compare=False, repr=False)
    """The value as it is written in the file (indicators, quotes and indentation included),
    kept for text values so that a single character inside them can be pointed at."""
    text_at: Position | None = field(default=None, compare=False, repr=False)
    """Where the value's text is written, if not here: a value given by an alias (``*t``)
    is placed at the alias, and its characters are written at the anchor (``&t``)."""

    def at(self, value: str, offset: int) -> Position:
        """Where the character at ``offset`` of the loaded ``value`` is written: exact for
        every style of scalar (plain, quoted, literal, folded), over folded lines, ``''`` and
        escapes; the value's own position where the written text cannot be matched to it."""
        if self.text_at is not None:
            return self.text_at.at(value, offset)
        index = _written_index(value, self.written, offset)
        return self if index is None else self.of_index(index)

    def of(self, char: str) -> Position:
        """Where ``char`` first appears in the value; the value's own position when it does
        not appear as written (e.g. it was given as an escape like ``\\u4E00``)."""
        if self.text_at is not None:
            return self.text_at.of(char)
        index = self.written.find(char)
        return self if index < 0 else self.of_index(index)

    def of_index(self, index: int) -> Position:
        """Where the character at ``index`` of the value as written is."""
        before = self.written[:index]
        line_breaks = before.count("\n")
        if not line_breaks:
            return Position(self.line, self.column + index)
        return Position(self.line + line_breaks, index - before.rfind("\n"))


#: A node's properties, written before it: an anchor (``&name``) and a tag (``!!str``).
NODE_PROPERTIES = re.compile(r"(?:[&!]\S*[ \t]+)*")

# A double-quoted scalar's escapes, by the letter after the backslash: how many characters
# the whole escape takes in the file (YAML 1.1/1.2, as both parsers read them).
_ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}


def _written_index(value: str, written: str, offset: int) -> int | None:
    """The index in ``written`` (a scalar as the file has it) of the character that loads
    as ``value[offset]``; None where the two cannot be matched."""
    if offset >= len(value):
        return None
    indices = _written_indices(value, written)
    return indices[offset] if offset < len(indices) else None


@functools.lru_cache(maxsize=8)
def _written_indices(value: str, written: str) -> tuple[int, ...]:
    """The index in ``written`` of each character of ``value``, from the first, as far as
    the two can be matched. Walked once per value: `check` points at every change the rules
    make in a field, and a walk per change took minutes for a long body with many.

    The loaded text is walked against the written one: equal characters match; a folded
    line break (written as a line break and indentation, loaded as one space or line break)
    matches the run of white space it replaced; indentation, a quote's doubled ``''`` and a
    double quote's escaped line break load as nothing; an escape loads as one character.
    """
    matched: list[int] = []
    if not written:
        return ()
    # A node's anchor or tag (`&name`, `!!str`) is part of what the file shows for it.
    properties = NODE_PROPERTIES.match(written)
    start = properties.end() if properties else 0
    quote = written[start] if written[start : start + 1] in ('"', "'") else ""
    if written[start : start + 1] in ("|", ">"):  # a block's text starts after its header
        position = written.find("\n", start) + 1
        if position == 0:
            return ()
    else:
        position = start + len(quote)
    for char in value:
        while True:
            if position >= len(written):
                return tuple(matched)
            here = written[position]
            if quote == '"' and here == "\\":
                follower = written[position + 1 : position + 2]
                if follower == "\n":  # an escaped line break: joins the lines, loads as nothing
                    position = _skip_white(written, position + 2)
                    continue
                matched.append(position)
                position += _ESCAPE_LENGTHS.get(follower, 2)
                break
            if here == char:
                matched.append(position)
                position += 1
                if quote == "'" and char == "'":
                    position += 1  # '' loads as one '
                break
            if here in " \t\r\n":
                if char in " \n":  # a folded line break, loaded as a space or a line break
                    matched.append(position)
                    position = _skip_white(written, position)
                    break
                position += 1  # indentation, or white space folding dropped
                continue
            return tuple(matched)
    return tuple(matched)


def _skip_white(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


@dataclass(frozen=True, kw_only=True)
class Person:
    """Someone the events name."""

    name: str = declared(
        Kind.NAME,
        "The person's name as written in the briefing's language; unique. Events refer to "
        "people by this name.",
        required=True,
        example="金日成",
    )
    alt: str | None = declared(Kind.NAME, "The name in another script.", example="Kim Il-sung")
    alt_lang: str | None = declared(
        Kind.TEXT_LANG,
        "The language of alt, as a BCP 47 tag (ru, en, ko-Latn), so that a screen reader reads "
        "it in that language's voice. Without it, alt in Hangul is taken as Korean and in kana "
        "as Japanese; in other scripts, as the briefing's language.",
        example="ru",
    )
    role: str | None = declared(Kind.TEXT, "Who they are, in a few words.")


@dataclass(frozen=True, kw_only=True)
class Source:
    """Where the briefing's facts come from."""

    title: str = declared(Kind.TEXT, "The title of the work.", required=True)
    lang: str | None = declared(
        Kind.TEXT_LANG,
        "The language of the title where it is not the briefing's, as a BCP 47 tag (en, ko, "
        "ru), so that a screen reader reads it in that language's voice. Without it, a title "
        "in Hangul is taken as Korean and in kana as Japanese; in other scripts, as the "
        "briefing's language.",
        example="en",
    )
    publisher: str | None = declared(Kind.NAME, "Who published it.")
    date: dt.date | None = declared(Kind.DATE, "When it was published, as YYYY-MM-DD.")
    url: str | None = declared(Kind.URL, "Its web address (http:// or https://).")
    note: str | None = declared(Kind.TEXT, "What was taken from it.")


@dataclass(frozen=True, kw_only=True)
class Event:
    """One entry of the timeline."""

    start: PartialDate = declared(
        Kind.PARTIAL_DATE,
        "When it began: YYYY, YYYY-MM or YYYY-MM-DD.",
        required=True,
        missing_hint="add `start: YYYY` (or YYYY-MM, YYYY-MM-DD)",
        example="1950-06-25",
    )
    end: PartialDate | None = declared(
        Kind.PARTIAL_DATE, "When it ended, in the same forms; not before start."
    )
    when: str | None = declared(
        Kind.TEXT,
        "The label shown for the period. Without it, the label is written from start and "
        "end in the briefing's language (1950年至1953年, June 1950, ...).",
        example="20世紀70年代",
    )
    title: str = declared(Kind.TEXT, "A short headline.", required=True)
    body: str = declared(Kind.MARKDOWN, "What happened, in Markdown.", default="")
    people: tuple[str, ...] = declared(
        Kind.NAME, "Who took part: each the name of someone under people.", many=True
    )
    tags: tuple[str, ...] = declared(Kind.NAME, "Short keywords shown under the event.", many=True)
    image: Path | None = declared(
        Kind.IMAGE,
        "A PNG, JPEG, GIF, SVG or WebP file, relative to the briefing file and inside its folder.",
    )
    """Absolute path, already checked to lie inside the briefing's folder."""
    caption: str | None = declared(
        Kind.TEXT,
        "The image's caption, shown under it; a screen reader reads it there, so it stands "
        "for the picture where there is no alt.",
    )
    alt: str | None = declared(
        Kind.TEXT,
        "The image's text alternative: what it shows, for a reader who cannot see it, read in "
        "its place by a screen reader; not shown. Without it the caption stands for the picture, "
        "and without a caption the event's title.",
        example="朝鮮半島地圖，以紅線標出北緯38度線",
    )


@dataclass(frozen=True, kw_only=True)
class Fonts:
    """The briefing's own font files, each used before briefgen's own fonts, which still
    draw whatever character the file lacks."""

    body: Path | None = declared(
        Kind.FONT,
        "The text face: an .otf or .ttf file, relative to the briefing file and inside its folder.",
        example="fonts/SourceSerif4-Regular.otf",
    )
    """Absolute path, already checked to be a font file inside the briefing's folder."""
    heading: Path | None = declared(
        Kind.FONT,
        "The face of titles, headings, dates and names (bold), in the same way.",
        example="fonts/SourceSans3-Bold.otf",
    )


@dataclass(frozen=True, kw_only=True)
class Briefing:
    """A whole briefing: what the file says, and where it was read from."""

    title: str = declared(
        Kind.TEXT,
        "The briefing's title (cover, running header, PDF and EPUB metadata).",
        required=True,
    )
    subtitle: str | None = declared(Kind.TEXT, "Shown under the title.")
    lang: str = declared(
        Kind.LANG,
        "The language of the briefing: picks the labels, the date wording and the glyph forms.",
        default="zh-Hant",
    )
    date: dt.date | None = declared(Kind.DATE, "The date of the briefing, as YYYY-MM-DD.")
    authors: tuple[str, ...] = declared(Kind.NAME, "Who wrote it.", many=True)
    publisher: str | None = declared(Kind.NAME, "Who publishes it.")
    summary: str = declared(Kind.MARKDOWN, "The opening summary, in Markdown.", default="")
    events: tuple[Event, ...] = declared(
        Kind.RECORDS,
        "The timeline, shown in file order.",
        record=Event,
        required=True,
        min_items=1,
        max_items=MAX_EVENTS,
        missing_hint="add an `events:` list with at least one `- start: … title: …` item",
        few_hint="add at least one `- start: … title: …` item",
    )
    people: tuple[Person, ...] = declared(
        Kind.RECORDS, "The people the events name.", record=Person
    )
    sources: tuple[Source, ...] = declared(
        Kind.RECORDS, "Where the facts come from.", record=Source
    )
    templates: Path | None = declared(
        Kind.FOLDER,
        "A folder of your own templates and CSS, relative to the briefing file and inside its "
        "folder, used before briefgen's own (a --templates folder comes before it).",
        example="house-style",
    )
    """Absolute path, already checked to be a folder inside the briefing's folder."""
    fonts: Fonts | None = declared(
        Kind.RECORD,
        "Font files of your own for the text (body) and the headings (heading).",
        record=Fonts,
    )
    verbatim: tuple[str, ...] = declared(
        Kind.TERM,
        "Terms shown as written in every edition: --script never converts them between "
        "Traditional and Simplified (a name, a quotation, a title).",
        many=True,
    )
    path: Path | None = None
    """The file the briefing was loaded from, if any."""
    edition: bool = field(default=False, repr=False)
    """Whether it is an edition in the other script of the briefing at ``path``
    (:func:`briefgen.editions.edition`): built, its files are named ``STEM.LANG``
    (``sample.zh-Hans.pdf``), as ``--script`` names them, not as the original's."""
    source_name: str | None = field(default=None, compare=False, repr=False)
    """What messages call a briefing read from text in memory (``loads(text, name=…)``)."""
    positions: dict[str, Position] = field(default_factory=dict, compare=False, repr=False)
    """``field.path`` (e.g. ``events[3].body``) → where its value starts in the file."""

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path else None

    @property
    def shown_name(self) -> str:
        """What messages call the briefing: its file as the user would type it, else the
        name it was read under, else ``<briefing>``."""
        from .errors import display_path

        return display_path(self.path) if self.path else self.source_name or "<briefing>"

    def where(self, field_path: str) -> str:
        """``FILE:LINE:COL`` for a field, as precise as the loader could tell."""
        name = str(self.path) if self.path else self.source_name or "<briefing>"
        pos = self.positions.get(field_path)
        return f"{name}:{pos.line}:{pos.column}" if pos else name


# -- walking the text of a briefing by its declaration -----------------------------------


def text_values(record: object, path: str = "") -> Iterator[tuple[str, Spec, str]]:
    """Every text value of a record and the records inside it, as ``(field.path, spec,
    text)``, in declaration order: ``("events[2].title", <Spec TEXT>, "…")``."""
    record_type: type = type(record)
    for name, spec, holds in _text_fields(record_type):
        value = getattr(record, name)
        field_path = f"{path}.{name}" if path else name
        if holds is _Holds.RECORDS:
            for index, item in enumerate(value):
                yield from text_values(item, f"{field_path}[{index}]")
        elif holds is _Holds.RECORD and value is not None:
            yield from text_values(value, field_path)
        elif holds is _Holds.TEXTS:
            for index, item in enumerate(value):
                yield f"{field_path}[{index}]", spec, item
        elif holds is _Holds.TEXT and value:
            yield field_path, spec, value


class _Holds(enum.Enum):
    """What a declared field holds, for walking a briefing's text."""

    RECORDS = enum.auto()
    RECORD = enum.auto()
    TEXTS = enum.auto()
    TEXT = enum.auto()


@functools.cache
def _text_fields(record_type: type) -> tuple[tuple[str, Spec, _Holds], ...]:
    """The fields of a record type that hold text or records, worked out once per type (a
    briefing's text is walked three times a build, through 6,000 records at 1,000 events)."""
    fields = []
    for name, spec in specs(record_type):
        if spec.kind is Kind.RECORDS:
            fields.append((name, spec, _Holds.RECORDS))
        elif spec.kind is Kind.RECORD:
            fields.append((name, spec, _Holds.RECORD))
        elif spec.kind.is_shown_text:
            fields.append((name, spec, _Holds.TEXTS if spec.many else _Holds.TEXT))
    return tuple(fields)


R = TypeVar("R")


def map_text(record: R, change: Callable[[str, Spec], str]) -> R:
    """``record`` with each text value ``v`` of a declared field (in the records inside it
    too) replaced by ``change(v, spec)``: a copy where a value changed, else ``record``
    itself (records are frozen), so that a briefing the rules leave mostly as written is
    not rebuilt record by record."""
    changes: dict[str, Any] = {}
    record_type: type = type(record)
    for name, spec, holds in _text_fields(record_type):
        value = getattr(record, name)
        if holds is _Holds.RECORDS:
            items = tuple(map_text(item, change) for item in value)
            if any(new is not old for new, old in zip(items, value, strict=True)):
                changes[name] = items
        elif holds is _Holds.RECORD and value is not None:
            inner = map_text(value, change)
            if inner is not value:
                changes[name] = inner
        elif holds is _Holds.TEXTS:
            texts = tuple(change(item, spec) for item in value)
            if texts != value:
                changes[name] = texts
        elif holds is _Holds.TEXT and value is not None:
            text = change(value, spec)
            if text != value:
                changes[name] = text
    return dataclasses.replace(record, **changes) if changes else record  # type: ignore[type-var]
