"""The model: partial dates, and walking a briefing's text by the format's declaration."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.model import PartialDate, map_text, text_values


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
