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


def test_new_refuses_a_briefing_files_name_written_as_a_folders(tmp_path, capsys):
    """`briefgen new x.yaml/` wrote the file x.yaml, the slash that makes it a folder's name
    dropped: the user is asked which they meant. An existing folder of that name is used."""
    assert main(["new", f"{tmp_path / 'x.yaml'}/"]) == 2
    told = capsys.readouterr().err
    assert "x.yaml/\" ends with a slash, a folder's name, and is named as a briefing file" in told
    assert f"hint: give {tmp_path / 'x.yaml'} to write the briefing as that file" in told
    assert not (tmp_path / "x.yaml").exists()
    (tmp_path / "y.yaml").mkdir()
    assert main(["new", f"{tmp_path / 'y.yaml'}/"]) == 0
    assert (tmp_path / "y.yaml" / "briefing.yaml").is_file()


def test_new_with_a_yaml_name_writes_that_file_and_the_schema_beside_it(tmp_path, capsys):
    """`briefgen new en.yaml` made a folder named en.yaml with a briefing.yaml inside, which
    `briefgen build en.yaml` then built as a folder, into briefing.pdf: a name ending in .yaml
    or .yml is the briefing's own file."""
    assert main(["new", str(tmp_path / "en.yaml"), "--lang", "en"]) == 0
    assert capsys.readouterr().out.split() == [
        str(tmp_path / "en.yaml"),
        str(tmp_path / "briefing.schema.json"),
    ]
    assert (tmp_path / "en.yaml").is_file()
    # A second briefing in the same folder shares the schema, which is the same.
    assert main(["new", str(tmp_path / "ja.YML"), "--lang", "ja"]) == 0
    capsys.readouterr()
    assert briefgen.load(tmp_path / "ja.YML").lang == "ja"
    [html] = briefgen.build(tmp_path / "en.yaml", "html", tmp_path / "out")
    assert html.name == "en.html"
    # A different schema beside it is not overwritten.
    (tmp_path / "briefing.schema.json").write_text("{}\n", encoding="utf-8")
    assert main(["new", str(tmp_path / "ko.yaml"), "--lang", "ko"]) == 2
    assert "briefing.schema.json already exists" in capsys.readouterr().err
    assert not (tmp_path / "ko.yaml").exists()
    assert (tmp_path / "briefing.schema.json").read_text(encoding="utf-8") == "{}\n"


def test_new_with_the_name_of_another_kind_of_file_is_bad_usage(tmp_path, capsys):
    """`briefgen new brief.json` made a folder named brief.json with a briefing.yaml in it;
    new takes a folder or a FILE.yaml (its usage says so), and a briefing is YAML. A folder
    of another dotted name, or one that is there, is still a folder."""
    assert main(["new", str(tmp_path / "brief.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: briefgen new ")
    assert err.endswith(
        f"briefgen new: error: {tmp_path / 'brief.json'} names a .json file, and a briefing "
        f"is YAML; give {tmp_path / 'brief.yaml'} for the briefing itself, or a folder to "
        "write briefing.yaml into\n"
    )
    assert list(tmp_path.iterdir()) == []
    assert main(["new", str(tmp_path / "report.v2")]) == 0
    (tmp_path / "notes.md").mkdir()
    assert main(["new", str(tmp_path / "notes.md")]) == 0
    assert (tmp_path / "report.v2" / "briefing.yaml").is_file()
    assert (tmp_path / "notes.md" / "briefing.yaml").is_file()


def test_new_into_an_existing_folder_named_like_a_briefing_writes_into_it(tmp_path):
    (tmp_path / "old.yaml").mkdir()
    assert main(["new", str(tmp_path / "old.yaml")]) == 0
    assert (tmp_path / "old.yaml" / "briefing.yaml").is_file()


def test_the_starter_names_its_own_file_in_its_commands(tmp_path, capsys):
    """`briefgen new en.yaml` wrote a file that told its reader to run `briefgen check
    briefing.yaml`, a file that is not there."""
    assert main(["new", str(tmp_path / "en.yaml"), "--lang", "en"]) == 0
    assert main(["new", str(tmp_path / "my notes.yaml"), "--lang", "en"]) == 0
    assert main(["new", str(tmp_path / "朝俄關係.yaml")]) == 0
    assert main(["new", str(tmp_path / "folder")]) == 0
    assert main(["new", "--lang", "en", "--", str(tmp_path / "-x.yaml")]) == 0
    assert main(["new", "--lang", "en", "--", str(tmp_path / "-my notes.yaml")]) == 0
    capsys.readouterr()
    for file, shown in (
        ("en.yaml", "en.yaml"),
        ("my notes.yaml", "'my notes.yaml'"),
        # Letters outside ASCII need no quotes, which cmd.exe reads as part of the name.
        ("朝俄關係.yaml", "朝俄關係.yaml"),
        ("folder/briefing.yaml", "briefing.yaml"),
        # `briefgen check -x.yaml` reads -x.yaml as an option, not as the file.
        ("-x.yaml", "./-x.yaml"),
        ("-my notes.yaml", "'./-my notes.yaml'"),
    ):
        text = (tmp_path / file).read_text(encoding="utf-8")
        assert f"`briefgen check {shown}`" in text and f"`briefgen build {shown} --format" in text
        assert "briefing.yaml" not in text or shown == "briefing.yaml"


def test_the_starter_says_its_commands_are_run_in_its_folder(tmp_path, monkeypatch):
    """`briefgen new notes/en.yaml` wrote "Check it with `briefgen check en.yaml`", which
    fails where `new` was run (en.yaml is not there): the commands name the file as its
    folder does, which stays right when it is moved or shared, and now say so."""
    monkeypatch.chdir(tmp_path)
    assert main(["new", "notes/en.yaml", "--lang", "en"]) == 0
    comment = " ".join(
        line.lstrip("# ")
        for line in (tmp_path / "notes" / "en.yaml").read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    )
    assert "In the folder it is in, check it with `briefgen check en.yaml`" in comment


def test_new_in_a_folder_keeps_the_same_schema_a_named_briefing_left_there(tmp_path, capsys):
    """`briefgen new ja.yaml` then `briefgen new` in the same folder was refused, as if the
    schema the first wrote were a file of the user's to overwrite: the second briefing
    shares it, as a second named one does. A schema of another content still stops it."""
    assert main(["new", str(tmp_path / "ja.yaml"), "--lang", "ja"]) == 0
    capsys.readouterr()
    assert main(["new", str(tmp_path), "--lang", "en"]) == 0
    # Only what it wrote is listed: the schema it left was listed as if written again.
    assert capsys.readouterr().out == f"{tmp_path / 'briefing.yaml'}\n"
    assert briefgen.load(tmp_path / "briefing.yaml").lang == "en"
    other = tmp_path / "other"
    other.mkdir()
    (other / "briefing.schema.json").write_text("{}\n", encoding="utf-8")
    assert main(["new", str(other)]) == 2
    assert "briefing.schema.json already exists" in capsys.readouterr().err
    assert not (other / "briefing.yaml").exists()


def test_a_schema_of_another_version_is_kept_and_the_way_on_said(tmp_path, capsys):
    """A folder whose briefings an older briefgen started holds that version's schema, which
    they point their editor at: `briefgen new` beside them was told to move it away. It is
    kept, and the refusal says how to put this version's in its place."""
    assert main(["new", str(tmp_path / "a.yaml")]) == 0
    schema = tmp_path / "briefing.schema.json"
    older = schema.read_text(encoding="utf-8").replace(briefgen.__version__, "0.0.1")
    schema.write_text(older, encoding="utf-8")
    capsys.readouterr()
    assert main(["new", str(tmp_path / "b.yaml")]) == 2
    err = capsys.readouterr().err
    assert "briefing.schema.json already exists, and is not this briefgen's schema" in err
    assert "hint: delete it and run briefgen new again" in err and "move it away" not in err
    assert schema.read_text(encoding="utf-8") == older
    assert not (tmp_path / "b.yaml").exists()
    schema.unlink()
    assert main(["new", str(tmp_path / "b.yaml")]) == 0
    assert json.loads(schema.read_text(encoding="utf-8")) == briefgen.json_schema()
