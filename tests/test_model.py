"""The model: partial dates, and walking a briefing's text by the format's declaration."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import yaml

from briefgen import load, typography
from briefgen.model import (
    _ESCAPE_LENGTHS,
    NODE_PROPERTIES,
    PartialDate,
    _skip_white,
    _written_index,
    map_text,
    text_values,
)


@pytest.mark.parametrize(
    ("date", "first", "last"),
    [
        (PartialDate(1950), dt.date(1950, 1, 1), dt.date(1950, 12, 31)),
        (PartialDate(1950, 2), dt.date(1950, 2, 1), dt.date(1950, 2, 28)),
        (PartialDate(1952, 2), dt.date(1952, 2, 1), dt.date(1952, 2, 29)),
        (PartialDate(1950, 12), dt.date(1950, 12, 1), dt.date(1950, 12, 31)),
        (PartialDate(9999, 12), dt.date(9999, 12, 1), dt.date(9999, 12, 31)),
        (PartialDate(1950, 6, 25), dt.date(1950, 6, 25), dt.date(1950, 6, 25)),
    ],
)
def test_partial_dates_span_their_days(date, first, last):
    assert (date.first_day, date.last_day) == (first, last)


def test_partial_date_is_written_as_in_the_file():
    assert [str(PartialDate(1950)), str(PartialDate(1950, 6)), str(PartialDate(1950, 6, 5))] == [
        "1950",
        "1950-06",
        "1950-06-05",
    ]


def test_text_values_walk_in_declaration_order(sample):
    paths = [path for path, _, _ in text_values(sample)]
    assert paths[:4] == ["title", "subtitle", "authors[0]", "publisher"]
    assert "events[12].body" in paths and "sources[0].note" in paths
    assert not any(path.endswith((".start", ".end", ".image", "lang", "date")) for path in paths)


def test_map_text_changes_every_text_value_and_nothing_else(sample):
    upper = map_text(sample, lambda text, spec: text + "!")
    assert upper.title == sample.title + "!"
    assert upper.events[0].start == sample.events[0].start
    assert upper.events[3].people == tuple(name + "!" for name in sample.events[3].people)
    assert [value for _, _, value in text_values(upper)] == [
        value + "!" for _, _, value in text_values(sample)
    ]


def test_map_text_copies_only_the_records_it_changes(sample):
    assert map_text(sample, lambda text, spec: text) is sample
    fifth = sample.events[4].title
    changed = map_text(sample, lambda text, spec: text + "!" if text == fifth else text)
    assert changed.events[4].title == fifth + "!"
    assert changed.events[3] is sample.events[3] and changed.people is sample.people
    assert changed.events[4] is not sample.events[4]


def _walked_index(value: str, written: str, offset: int) -> int | None:
    """Where the character at ``offset`` is written, as `check` found it before: by a walk
    from the start of the value for each character asked for. Kept as the reference."""
    if not written or offset >= len(value):
        return None
    properties = NODE_PROPERTIES.match(written)
    start = properties.end() if properties else 0
    quote = written[start] if written[start : start + 1] in ('"', "'") else ""
    if written[start : start + 1] in ("|", ">"):
        position = written.find("\n", start) + 1
        if position == 0:
            return None
    else:
        position = start + len(quote)
    for index, char in enumerate(value[: offset + 1]):
        while True:
            if position >= len(written):
                return None
            here = written[position]
            if quote == '"' and here == "\\":
                follower = written[position + 1 : position + 2]
                if follower == "\n":
                    position = _skip_white(written, position + 2)
                    continue
                matched, position = position, position + _ESCAPE_LENGTHS.get(follower, 2)
                break
            if here == char:
                matched, position = position, position + 1
                if quote == "'" and char == "'":
                    position += 1
                break
            if here in " \t\r\n":
                if char in " \n":
                    matched, position = position, _skip_white(written, position)
                    break
                position += 1
                continue
            return None
        if index == offset:
            return matched
    return None


@pytest.mark.parametrize("style", [None, '"', "'", "|", ">"])
def test_each_character_is_found_where_a_walk_from_the_start_finds_it(style, write_briefing):
    # Every character of values written in each style of scalar, folded over lines, with
    # escapes, quotes and white space, is placed where it was before.
    rnd = random.Random(style)
    pieces = [*"文字,測試. '\"\\\t\n\u3000\u00e9#:-", "  ", "\n\n", "\U0001f600"]
    for _ in range(60):
        body = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 120)))
        text = yaml.safe_dump(
            {"title": "t", "events": [{"start": 1950, "title": "e", "body": body}]},
            default_style=style,
            allow_unicode=rnd.random() < 0.5,
            width=rnd.randint(10, 60),
        )
        briefing = load(write_briefing(text))
        [event] = briefing.events
        position = briefing.positions["events[0].body"]
        for offset in range(len(event.body) + 1):
            assert _written_index(event.body, position.written, offset) == _walked_index(
                event.body, position.written, offset
            ), (text, offset)


def test_the_changes_of_a_long_body_are_each_found_in_the_file(write_briefing):
    """A body of 60,000 characters whose every mark is half width (文字,測試. ten thousand
    times): each of its 20,000 changes was found in the file by a walk from the start of
    the value, some 600 million steps (minutes). The value is walked once."""
    body = "文字,測試." * 10_000
    path = write_briefing(f'title: t\nevents:\n  - start: 1950\n    title: e\n    body: "{body}"\n')
    lines = typography.lint(load(path))
    assert len(lines) == 20_000
    assert lines[0] == f"{path}:5:14: events[0].body: punctuation-width: 字,測 → 字，測"
    assert lines[-1] == f"{path}:5:{12 + 59_999}: events[0].body: punctuation-width: 試. → 試。"
