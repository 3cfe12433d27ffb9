"""A briefing made in Python is held to what a briefing file is (``briefgen.verify``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

import briefgen
from briefgen.errors import BriefingError
from briefgen.model import Briefing, Event, Fonts, PartialDate, Person, Source
from briefgen.verify import verify
from conftest import figure_alts, latin_font, pypdf_pages, tiny_image

START = PartialDate(1950)


def one_event(**fields: object) -> Briefing:
    values: dict[str, object] = {"title": "測試", "events": (Event(start=START, title="事件"),)}
    values.update(fields)
    return Briefing(**values)  # type: ignore[arg-type]


def problems(briefing: Briefing) -> list[str]:
    with pytest.raises(BriefingError) as caught:
        verify(briefing)
    return [str(problem) for problem in caught.value.problems]


def test_a_briefing_read_from_a_file_or_made_well_in_python_passes_unchanged(sample):
    assert verify(sample) is sample
    made = one_event(
        people=(Person(name="甲"),),
        events=[Event(start=START, end=PartialDate(1951, 2, 28), title="事件", people=["甲"])],
        sources=(Source(title="來源", url="https://example.org/a", date=dt.date(2023, 9, 13)),),
    )
    assert verify(made) is made  # lists are taken where the model has tuples


@pytest.mark.parametrize(
    ("briefing", "expected"),
    [
        (
            one_event(events=(Event(start="1950", title="事件"),)),  # type: ignore[arg-type]
            "<briefing>: events[0].start: expected briefgen.PartialDate (a date as YYYY, "
            "YYYY-MM or YYYY-MM-DD), found str '1950'\n    hint: for example "
            "PartialDate(1950), PartialDate(1950, 6) or PartialDate(1950, 6, 25)",
        ),
        (
            one_event(events=(Event(start=PartialDate(1950, 13), title="事件"),)),
            '<briefing>: events[0].start: expected a real calendar date, found "1950-13" '
            "(month must be in 1..12)",
        ),
        (one_event(events=()), "<briefing>: events: expected at least one event, found none"),
        (one_event(title=" "), "<briefing>: title: expected text, found nothing"),
        (
            one_event(lang="fr"),
            "<briefing>: lang: expected one of zh-Hant, zh-TW, zh-HK, zh-Hans, zh-CN, ja, ko, "
            'en, found "fr"',
        ),
        (
            one_event(events=(Event(start=START, title="事件", people="甲"),)),  # type: ignore[arg-type]
            "<briefing>: events[0].people: expected a tuple (a list), found str '甲'",
        ),
        (
            one_event(sources=(Source(title="來源", url="example.org"),)),
            "<briefing>: sources[0].url: expected a web address starting with http:// or "
            'https://, found "example.org"',
        ),
        (
            one_event(date=dt.datetime(2023, 9, 13, 12, 0)),
            "<briefing>: date: expected datetime.date (a date as YYYY-MM-DD), found datetime",
        ),
        (
            one_event(summary="甲\x00乙"),
            "<briefing>: summary: holds U+0000, which cannot be printed",
        ),
        (
            one_event(events=(Event(start=START, title="事件", image=Path("/no/such.png")),)),
            "<briefing>: events[0].image: a briefing with images needs a path\n"
            '    hint: give the Briefing path=Path("…/briefing.yaml")',
        ),
        (
            one_event(events=(Event(start=START, title="事件", image="a.png"),)),  # type: ignore[arg-type]
            "<briefing>: events[0].image: expected pathlib.Path (a path to an image file), "
            "found str 'a.png'",
        ),
    ],
)
def test_a_wrong_value_is_named_by_its_field(briefing, expected):
    (found,) = problems(briefing)
    assert found.startswith(expected)


def test_paths_are_held_to_the_loaders_rules_in_the_briefings_folder(tmp_path):
    folder = tmp_path / "brief"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "fake.png").write_text("not a picture")
    (tmp_path / "outside.png").write_bytes(b"")
    path = folder / "briefing.yaml"

    def with_image(image: Path) -> list[str]:
        briefing = one_event(path=path, events=(Event(start=START, title="事件", image=image),))
        return problems(briefing)

    (found,) = with_image(folder / "images" / "fake.png")
    assert 'events[0].image: "' in found and "is not a PNG image" in found
    (found,) = with_image(tmp_path / "outside.png")
    assert "events[0].image: expected a file inside the briefing's folder" in found
    (found,) = with_image(Path("images/missing.png"))  # relative to the briefing's folder
    assert 'events[0].image: no such file: "images/missing.png"' in found


def test_relative_paths_are_read_from_the_briefings_folder_not_the_working_one(
    tmp_path, monkeypatch
):
    folder = tmp_path / "brief"
    (folder / "pictures").mkdir(parents=True)
    (folder / "pictures" / "map.png").write_bytes(tiny_image())
    (folder / "fonts").mkdir()
    (folder / "fonts" / "Tiny.ttf").write_bytes(latin_font("Tiny Latin"))
    for house, mark in ((folder / "house", "ours"), (tmp_path / "house", "theirs")):
        (house / "partials").mkdir(parents=True)
        (house / "partials" / "cover.html").write_text(
            f'<p class="{mark}">{{% include "!builtin/partials/cover.html" %}}</p>\n',
            encoding="utf-8",
        )
    monkeypatch.chdir(tmp_path)  # a service's working folder, with a folder of that name
    image = Path("pictures/map.png")
    briefing = one_event(
        path=folder / "briefing.yaml",
        events=(Event(start=START, title="事件", body="Latin", image=image, alt="地圖"),),
        fonts=Fonts(body=Path("fonts/Tiny.ttf")),
        templates=Path("house"),
    )

    html = briefgen.render_html(briefing)
    assert '<p class="ours">' in html and '<p class="theirs">' not in html
    assert '<img src="data:image/png;base64,' in html
    pdf = briefgen.render_pdf(briefing)
    assert "Tiny Latin Regular" in pypdf_pages(pdf)[-1]  # the colophon names the font set
    assert "地圖" in figure_alts(PdfReader(io.BytesIO(pdf)))  # the picture is drawn


def test_none_where_a_file_would_get_the_default_is_named():
    found = problems(one_event(lang=None, events=(Event(start=START, title="事件", body=None),)))
    assert [line.splitlines()[0] for line in found] == [
        "<briefing>: lang: expected str, found None",
        "<briefing>: events[0].body: expected str, found None",
    ]
    with pytest.raises(TypeError, match=r"Briefing\.path must be a pathlib\.Path, not str"):
        verify(one_event(path="b.yaml"))  # type: ignore[arg-type]


def test_what_no_single_field_tells_is_checked_as_the_loader_does():
    briefing = one_event(
        people=(Person(name="甲"), Person(name="甲")),
        events=(
            Event(start=PartialDate(1950, 6), end=PartialDate(1950, 5), title="事件"),
            Event(start=START, title="事件", people=("乙",)),
        ),
    )
    assert problems(briefing) == [
        "<briefing>: events[0].end: expected a date not before start (1950-06), found 1950-05\n"
        "    hint: the end is the later date: swap the two, or correct the year",
        '<briefing>: people[1].name: duplicate person "甲"\n'
        "    hint: each name must be unique; merge the two entries",
        '<briefing>: events[1].people[0]: unknown person "乙"\n'
        "    hint: add them under the top-level `people:` list",
    ]


def test_a_person_named_by_their_alt_is_told_their_name():
    briefing = one_event(
        people=(Person(name="金正恩", alt="Kim Jong-un"),),
        events=(Event(start=START, title="事件", people=("Kim Jong-un",)),),
    )
    assert problems(briefing) == [
        '<briefing>: events[0].people[0]: unknown person "Kim Jong-un"\n'
        '    hint: write "金正恩": an event names a person by their name, not their alt'
    ]


def test_a_changed_briefing_is_named_by_its_file_and_every_problem_is_listed(sample):
    changed = dataclasses.replace(sample, lang="EN", title="")
    found = problems(changed)
    name = sample.shown_name
    assert name.endswith(".yaml")
    assert found[0].startswith(f"{name}: title: expected text, found nothing")
    assert found[1].startswith(f"{name}: lang: expected one of ")
    assert found[1].endswith('hint: write "en"')


def test_every_entry_point_checks_and_a_failed_build_writes_nothing(tmp_path):
    bad = one_event(lang="xx")
    with pytest.raises(BriefingError, match="lang: expected one of"):
        briefgen.build(bad, ["html", "epub"], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    for render in (briefgen.render_html, briefgen.render_epub, briefgen.render_pdf):
        with pytest.raises(BriefingError, match="lang: expected one of"):
            render(bad)


def test_something_that_is_no_briefing_is_a_type_error():
    with pytest.raises(TypeError, match=r"expected a briefgen\.Briefing, found dict"):
        verify({"title": "x"})  # type: ignore[arg-type]
