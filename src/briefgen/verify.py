"""A :class:`~briefgen.model.Briefing` made in Python, held to what a briefing file is.

The loader checks a file as it reads it; a briefing built in code (``Briefing(...)``), or
changed with ``dataclasses.replace``, reaches the builders unchecked, and a wrong value
failed deep inside them: a start date given as ``"1950"`` as an ``AttributeError`` in a
template, an unknown language as a bare ``KeyError``. :func:`verify` reports such a
briefing's problems the way the loader reports a file's, field by field and all at once.

Values are checked with the loader's own readers where a value has a written form (a
language tag, a web address, a date), so both say the same thing about the same mistake.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml

from .errors import BriefingError, Problem
from .load import END_HINT, RECORD_NAMES, REQUIRED_HINT, counted, end_before_start, people_problems
from .model import (
    Briefing,
    Kind,
    PartialDate,
    Spec,
    specs,
)
from .values import EXPECTED, READERS, Context, Invalid, printable

#: The kinds whose value is text in Python as in the file.
_TEXT_KINDS = (
    Kind.TEXT,
    Kind.MARKDOWN,
    Kind.NAME,
    Kind.TERM,
    Kind.LANG,
    Kind.TEXT_LANG,
    Kind.URL,
)
#: Of those, the ones whose text the loader's reader checks further.
_READ_AGAIN = (Kind.LANG, Kind.TEXT_LANG, Kind.URL)
#: The kinds that are a path in Python (a ``pathlib.Path``).
_PATH_KINDS = (Kind.IMAGE, Kind.FONT, Kind.FOLDER)


def verify(briefing: Briefing) -> Briefing:
    """``briefing`` when it could have come from a valid file (itself, or a copy whose
    relative image, font and template paths are made absolute, as the loader makes a
    file's); else raises :class:`~briefgen.errors.BriefingError` listing every problem,
    each named by its field (``events[0].start``)."""
    if not isinstance(briefing, Briefing):
        # build() takes a file's path; edition() and the render_* calls take what load()
        # makes of it, and a caller who passed them the path was told only its type.
        hint = (
            ": load the file first, briefgen.load(path)"
            if isinstance(briefing, (str, os.PathLike))
            else ""
        )
        raise TypeError(f"expected a briefgen.Briefing, found {type(briefing).__name__}{hint}")
    if briefing.path is not None and not isinstance(briefing.path, Path):
        raise TypeError(f"Briefing.path must be a pathlib.Path, not {type(briefing.path).__name__}")
    name = briefing.shown_name
    problems = [
        Problem(name, None, None, field, message, hint)
        for field, message, hint in _record_problems(briefing, "", Briefing, Context(briefing.path))
    ]
    if not problems:  # the records are whole: what no single field can tell
        problems += [
            Problem(name, None, None, field, message, hint)
            for field, message, hint in _briefing_problems(briefing)
        ]
    if problems:
        raise BriefingError(problems)
    if briefing.path is None:  # no path, no path fields either: checked above
        return briefing
    return _anchored(briefing, briefing.path.resolve().parent)


R = TypeVar("R")


def _anchored(record: R, folder: Path) -> R:
    """``record`` with each relative image, font or template path made the absolute path
    inside the briefing's ``folder`` that it was checked as; ``record`` itself where none
    is relative. A path is relative to the briefing's folder, as in the file, but the
    builders read it as it is, from the working folder: a picture given as
    ``Path("map.png")`` was "no such file", and a ``templates`` folder of that name in the
    working folder would have been used in place of the briefing's."""
    changes: dict[str, Any] = {}
    for name, spec in specs(record):
        value = getattr(record, name)
        if spec.kind in _PATH_KINDS and isinstance(value, Path) and not value.is_absolute():
            changes[name] = (folder / value).resolve()
        elif spec.kind is Kind.RECORD and value is not None:
            inner = _anchored(value, folder)
            if inner is not value:
                changes[name] = inner
        elif spec.kind is Kind.RECORDS:
            items = tuple(_anchored(item, folder) for item in value)
            if any(new is not old for new, old in zip(items, value, strict=True)):
                changes[name] = items
    return dataclasses.replace(record, **changes) if changes else record  # type: ignore[type-var]


_Found = tuple[str, str, str | None]


def _record_problems(
    record: object, path: str, record_type: type, context: Context
) -> Iterator[_Found]:
    nullable = _nullable(record_type)
    for name, spec in specs(record_type):
        field = f"{path}.{name}" if path else name
        value = getattr(record, name)
        if value is None and not spec.required and name not in nullable:
            # lang=None, body=None: a file that leaves the field out gets its default.
            yield field, f"expected {_python_type(spec)}, found None", "leave the field out"
            continue
        yield from _field_problems(value, field, spec, context)


@functools.cache
def _nullable(record_type: type) -> frozenset[str]:
    """The fields of a record whose default is None (``subtitle``, ``end``, ``image``…)."""
    return frozenset(item.name for item in dataclasses.fields(record_type) if item.default is None)


def _python_type(spec: Spec) -> str:
    if spec.many or spec.kind is Kind.RECORDS:
        return "a tuple"
    return "str" if spec.kind in _TEXT_KINDS else EXPECTED.get(spec.kind, spec.kind.value)


def _field_problems(value: Any, field: str, spec: Spec, context: Context) -> Iterator[_Found]:
    if value is None or (spec.many and value == ()):
        if spec.required or spec.min_items:
            yield field, "required field is missing", spec.missing_hint or REQUIRED_HINT
        return
    if spec.kind is Kind.RECORD:
        assert spec.record is not None
        if not isinstance(value, spec.record):
            yield _wrong_type(field, value, spec.record.__name__, RECORD_NAMES[spec.record])
        else:
            yield from _record_problems(value, field, spec.record, context)
        return
    if spec.kind is Kind.RECORDS or spec.many:
        if not isinstance(value, (tuple, list)):
            yield _wrong_type(field, value, "a tuple", "a list")
            return
        noun = RECORD_NAMES[spec.record].split()[-1] if spec.record else "item"
        if len(value) < spec.min_items:
            found = len(value) or "none"
            yield (
                field,
                f"expected at least {counted(spec.min_items, noun)}, found {found}",
                spec.few_hint or spec.missing_hint,
            )
        if spec.max_items is not None and len(value) > spec.max_items:
            expected = counted(spec.max_items, noun)
            yield (
                field,
                f"expected at most {expected}, found {len(value):,}",
                "split the briefing into several files",
            )
        for index, item in enumerate(value):
            yield from _item_problems(item, f"{field}[{index}]", spec, context)
        return
    yield from _one_value_problems(value, field, spec, context)


def _item_problems(item: Any, field: str, spec: Spec, context: Context) -> Iterator[_Found]:
    if spec.kind is Kind.RECORDS:
        assert spec.record is not None
        if isinstance(item, spec.record):
            yield from _record_problems(item, field, spec.record, context)
        else:
            yield _wrong_type(field, item, spec.record.__name__, RECORD_NAMES[spec.record])
    else:
        yield from _one_value_problems(item, field, spec, context)


def _one_value_problems(value: Any, field: str, spec: Spec, context: Context) -> Iterator[_Found]:
    kind = spec.kind
    if kind in _TEXT_KINDS:
        if not isinstance(value, str):
            yield _wrong_type(field, value, "str", EXPECTED[kind])
        elif spec.required and not value.strip():
            yield field, f"expected {EXPECTED[kind]}, found nothing", REQUIRED_HINT
        elif unprintable := printable(value)[1]:
            bad = unprintable[0]
            yield (
                field,
                f"holds U+{ord(bad):04X}, which cannot be printed",
                "remove it; a line break is written as \\n",
            )
        elif kind in _READ_AGAIN:
            yield from _read_problems(value, field, kind)
    elif kind is Kind.PARTIAL_DATE:
        yield from _partial_date_problems(value, field)
    elif kind is Kind.DATE:
        # A datetime is a date too, but no file can give one: its time would be lost.
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            yield _wrong_type(field, value, "datetime.date", EXPECTED[kind])
    elif kind in _PATH_KINDS:
        yield from _path_problems(value, field, kind, context)


def _partial_date_problems(value: Any, field: str) -> Iterator[_Found]:
    if not isinstance(value, PartialDate):
        yield _wrong_type(
            field,
            value,
            "briefgen.PartialDate",
            EXPECTED[Kind.PARTIAL_DATE],
            "for example PartialDate(1950), PartialDate(1950, 6) or PartialDate(1950, 6, 25)",
        )
        return
    parts = (value.year, value.month, value.day)
    if not isinstance(value.year, int) or not all(
        part is None or (isinstance(part, int) and not isinstance(part, bool)) for part in parts
    ):
        yield field, f"expected whole numbers in the date, found {value!r}", None
    elif value.day is not None and value.month is None:
        yield field, f"expected a month with the day, found {value!r}", None
    else:
        yield from _read_problems(str(value), field, Kind.PARTIAL_DATE)


def _path_problems(value: Any, field: str, kind: Kind, context: Context) -> Iterator[_Found]:
    """A path is held to the loader's rules (briefgen/values.py): inside the folder of the
    briefing file the Briefing's ``path`` names, and a real image or font."""
    if not isinstance(value, Path):
        yield _wrong_type(field, value, "pathlib.Path", EXPECTED[kind])
        return
    if context.path is None:
        yield (
            field,
            f"a briefing with {_PATH_FIELDS[kind]} needs a path",
            'give the Briefing path=Path("…/briefing.yaml"), the file it stands for: '
            f"{_PATH_FIELDS[kind]} must lie in that file's folder",
        )
        return
    yield from _read_problems(str(value), field, kind, context)


#: What a path field holds, for messages.
_PATH_FIELDS = {Kind.IMAGE: "images", Kind.FONT: "fonts", Kind.FOLDER: "template folders"}


def _read_problems(
    text: str, field: str, kind: Kind, context: Context | None = None
) -> Iterator[_Found]:
    """What the loader's reader for ``kind`` says of ``text`` written in a file."""
    node = yaml.ScalarNode("tag:yaml.org,2002:str", text)
    try:
        READERS[kind](node, context or Context(None))
    except Invalid as invalid:
        yield field, invalid.message, invalid.hint


def _wrong_type(
    field: str, value: Any, python_type: str, in_file: str, hint: str | None = None
) -> _Found:
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:39] + "…"
    return (
        field,
        f"expected {python_type} ({in_file}), found {type(value).__name__} {shown}",
        hint,
    )


def _briefing_problems(briefing: Briefing) -> Iterator[_Found]:
    for index, event in enumerate(briefing.events):
        message = end_before_start(event.start, event.end)
        if message:
            yield f"events[{index}].end", message, END_HINT
    names = (person.name for person in briefing.people)
    alts = {person.alt: person.name for person in briefing.people if person.alt}
    yield from people_problems(names, (event.people for event in briefing.events), alts)
