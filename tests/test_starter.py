"""``briefgen new``: a starter that shows every field, passes check, and never overwrites."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

import briefgen
from briefgen.cli import main
from briefgen.model import Briefing, Event, Person, Source, specs
from briefgen.starter import WORDS
from briefgen.typography import findings
from conftest import as_editor_reads


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "ja", "ko", "en"])
def test_the_starter_passes_check_strict_and_the_schema(lang, tmp_path, capsys):
    assert main(["new", str(tmp_path / "mine"), "--lang", lang]) == 0
    folder = tmp_path / "mine"
    assert capsys.readouterr().out.split() == [
        str(folder / "briefing.yaml"),
        str(folder / "briefing.schema.json"),
    ]
    assert main(["check", str(folder / "briefing.yaml"), "--strict"]) == 0
    assert capsys.readouterr().out.endswith(": ok: 3 events, 1 person, 1 source\n")
    text = (folder / "briefing.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=briefing.schema.json\n")
    schema = json.loads((folder / "briefing.schema.json").read_text(encoding="utf-8"))
    assert schema == briefgen.json_schema()
    jsonschema.validate(as_editor_reads(text), schema)
    briefing = briefgen.load(folder / "briefing.yaml")
    assert briefing.lang == lang and briefing.title == WORDS[lang].title
    assert list(findings(briefing)) == []


def test_every_field_of_the_format_is_shown_once(tmp_path):
    main(["new", str(tmp_path)])
    text = (tmp_path / "briefing.yaml").read_text(encoding="utf-8")
    keys = set(re.findall(r"^[ #-]*([a-z_]+):", text, re.MULTILINE))
    for record in (Briefing, Event, Person, Source):
        assert {name for name, _ in specs(record)} <= keys, record.__name__


def test_new_never_overwrites(tmp_path, capsys):
    (tmp_path / "briefing.yaml").write_text("title: mine\n", encoding="utf-8")
    assert main(["new", str(tmp_path)]) == 2
    assert "already exists; briefgen new never overwrites a file" in capsys.readouterr().err
    assert (tmp_path / "briefing.yaml").read_text(encoding="utf-8") == "title: mine\n"
    assert not (tmp_path / "briefing.schema.json").exists()


def test_the_starter_builds(tmp_path):
    main(["new", str(tmp_path), "--lang", "en"])
    [html] = briefgen.build(tmp_path / "briefing.yaml", "html", tmp_path / "out")
    assert "Briefing title" in html.read_text(encoding="utf-8")
