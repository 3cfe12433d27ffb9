"""The JSON Schema generated from the format's declaration, checked with jsonschema."""

from __future__ import annotations

import dataclasses

import jsonschema
import pytest

import briefgen
from briefgen.model import Briefing, Event, Fonts, Kind, Person, Source, specs
from conftest import as_editor_reads


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = briefgen.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_sample_is_valid(validator):
    sample = as_editor_reads(briefgen.sample_path().read_text(encoding="utf-8"))
    assert list(validator.iter_errors(sample)) == []


def test_a_file_without_a_title_is_not(validator):
    sample = as_editor_reads(briefgen.sample_path().read_text(encoding="utf-8"))
    del sample["title"]
    [error] = validator.iter_errors(sample)
    assert error.message == "'title' is a required property"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda b: b["events"][0].update(start="1950/06"), ["events", 0, "start"]),
        (lambda b: b["events"][0].update(titel="typo"), ["events", 0]),
        (lambda b: b.update(lang="zh-tw"), ["lang"]),
        (lambda b: b["sources"][0].update(url="javascript:alert(1)"), ["sources", 0, "url"]),
        # No site's name after the //: the loader refuses it, as EPUBCheck would the link.
        (lambda b: b["sources"][0].update(url="https://:80/"), ["sources", 0, "url"]),
        (lambda b: b["sources"][0].update(url="https://@/news"), ["sources", 0, "url"]),
        (lambda b: b.update(events=[]), ["events"]),
        (lambda b: b["events"][0].update(image="notes.txt"), ["events", 0, "image"]),
        (lambda b: b["people"][0].update(alt_lang="Korean"), ["people", 0, "alt_lang"]),
        (lambda b: b["sources"][0].update(lang="English"), ["sources", 0, "lang"]),
        # A required text left empty, which the loader says "cannot be left empty" of.
        (lambda b: b.update(title=""), ["title"]),
        (lambda b: b["events"][0].update(title=""), ["events", 0, "title"]),
        (lambda b: b["people"][0].update(name=""), ["people", 0, "name"]),
        (lambda b: b["sources"][0].update(title=""), ["sources", 0, "title"]),
        # Or left blank, which the loader reads as empty too: "minLength" let it through.
        (lambda b: b.update(title="  "), ["title"]),
        (lambda b: b["events"][0].update(title="\u3000"), ["events", 0, "title"]),
        (lambda b: b["people"][0].update(name=" \n"), ["people", 0, "name"]),
        (lambda b: b.update(templates=" "), ["templates"]),
    ],
)
def test_mistakes_the_loader_refuses_are_refused(validator, change, path):
    sample = as_editor_reads(briefgen.sample_path().read_text(encoding="utf-8"))
    change(sample)
    errors = list(validator.iter_errors(sample))
    assert [list(error.absolute_path) for error in errors] == [path]


@pytest.mark.parametrize(
    "url", ["https://example.org/a", "https://例子.中國/x", "http://[::1]/", "https://u@host/"]
)
def test_an_address_the_loader_takes_is_not_marked_by_an_editor(validator, url):
    sample = as_editor_reads(briefgen.sample_path().read_text(encoding="utf-8"))
    sample["sources"][0].update(url=url)
    assert list(validator.iter_errors(sample)) == []
    text = f'title: t\nevents: [{{start: 2023, title: e}}]\nsources: [{{title: s, url: "{url}"}}]\n'
    assert briefgen.loads(text).sources[0].url == url


@pytest.mark.parametrize("date", ["2023-9-3", "2023-09-03", "２０２３-０９-１３", "２０２３-9-3"])
def test_a_date_the_loader_takes_is_not_marked_by_an_editor(date):
    """The briefing's and a source's date in the forms the loader reads, checked as an
    editor checks them (with the schema's formats)."""
    text = f"title: t\ndate: {date}\nevents: [{{start: 2023, title: e}}]\n"
    text += f"sources: [{{title: s, date: {date}}}]\n"
    assert briefgen.loads(text).date is not None
    schema = briefgen.json_schema()
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    editor = jsonschema.Draft202012Validator(schema, format_checker=checker)
    assert list(editor.iter_errors(as_editor_reads(text))) == []


def test_every_declared_field_is_in_the_schema_with_a_description():
    schema = briefgen.json_schema()
    records = {
        Briefing: schema,
        Event: schema["properties"]["events"]["items"],
        Person: schema["properties"]["people"]["items"],
        Source: schema["properties"]["sources"]["items"],
        Fonts: schema["properties"]["fonts"],
    }
    for record, record_schema in records.items():
        declared = [name for name, _ in specs(record)]
        assert list(record_schema["properties"]) == declared
        assert record_schema["additionalProperties"] is False
        for name, spec in specs(record):
            assert record_schema["properties"][name]["description"] == spec.description
            assert (name in record_schema["required"]) == spec.required


def test_the_format_is_declared_once():
    """Every field of the records that is not briefgen's own bookkeeping is declared, and
    the documentation lists exactly the declared keys."""
    from conftest import REPO

    own = {"path", "edition", "source_name", "positions"}
    for record in (Briefing, Event, Person, Source, Fonts):
        fields = {item.name for item in dataclasses.fields(record)} - own
        assert fields == {name for name, _ in specs(record)}, record.__name__
    doc = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    for record, heading in (
        (Briefing, "## Top level"),
        (Event, "## An event"),
        (Person, "## A person"),
        (Source, "## A source"),
        (Fonts, "## Fonts"),
    ):
        table = doc.split(heading, 1)[1].split("\n## ", 1)[0]
        documented = [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")]
        assert documented == [name for name, _ in specs(record)], heading


def test_names_and_keywords_are_not_typeset():
    kinds = {name: spec.kind for name, spec in specs(Event)}
    assert kinds["tags"] is Kind.NAME and kinds["people"] is Kind.NAME
    assert not Kind.NAME.is_typeset and Kind.NAME.is_shown_text
    assert Kind.MARKDOWN.is_typeset and Kind.TEXT.is_typeset


def test_a_partial_date_in_full_width_figures_is_not_marked_by_an_editor():
    """An event's start in the full-width figures an input method types is read by the
    loader as the same date; the editor's schema takes it too."""
    text = 'title: t\nevents: [{start: "２０２３-０９", end: "２０２３-１０-１", title: e}]\n'
    assert briefgen.loads(text).events[0].start.month == 9
    validator = jsonschema.Draft202012Validator(briefgen.json_schema())
    assert list(validator.iter_errors(as_editor_reads(text))) == []
