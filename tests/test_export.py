"""``briefgen templates export``: a copy of the built-in templates that builds as they do."""

from __future__ import annotations

import re

import jinja2
import jinja2.meta
import pytest

import briefgen
from briefgen.cli import main
from briefgen.export import builtin_templates
from briefgen.resources import resource_path
from conftest import REPO


def test_export_copies_every_builtin_template_and_says_what_to_edit(tmp_path, capsys):
    assert main(["templates", "export", str(tmp_path / "house")]) == 0
    out, err = capsys.readouterr()
    names = builtin_templates()
    assert "partials/event.html" in map(str, names) and "css/base.css" in map(str, names)
    assert out.split() == [str(tmp_path / "house" / name) for name in names]
    for name in names:
        copy = (tmp_path / "house" / name).read_bytes()
        assert copy == (resource_path("templates") / name).read_bytes(), name
    assert "edit in" in err and "css/base.css:" in err
    assert f"briefgen build --templates {tmp_path / 'house'}" in err


def test_export_never_overwrites_without_force(tmp_path, capsys):
    edited = tmp_path / "css" / "base.css"
    edited.parent.mkdir()
    edited.write_text("/* mine */\n", encoding="utf-8")
    assert main(["templates", "export", str(tmp_path)]) == 2
    _, err = capsys.readouterr()
    assert f"{edited} already exist; briefgen templates export replaces files only" in err
    assert edited.read_text(encoding="utf-8") == "/* mine */\n"
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["base.css", "css"]
    assert main(["templates", "export", str(tmp_path), "--force"]) == 0
    assert edited.read_bytes() == (resource_path("templates") / "css" / "base.css").read_bytes()


def test_export_into_a_file_is_bad_usage(tmp_path, capsys):
    (tmp_path / "house").write_text("", encoding="utf-8")
    assert main(["templates", "export", str(tmp_path / "house")]) == 2
    assert "house is a file; give a folder to copy the templates into" in capsys.readouterr().err


def test_an_edited_export_changes_the_output(tmp_path, write_briefing, capsys, monkeypatch):
    write_briefing("title: 本地\nevents: [{start: 1950, title: 事件}]\n")
    monkeypatch.chdir(tmp_path)
    assert main(["templates", "export", "house"]) == 0
    cover = tmp_path / "house" / "partials" / "cover.html"
    cover.write_text(
        cover.read_text(encoding="utf-8").replace('class="cover"', 'class="cover house-cover"'),
        encoding="utf-8",
    )
    assert main(["build", "briefing.yaml", "-f", "html", "--templates", "house"]) == 0
    html = (tmp_path / "out" / "briefing.html").read_text(encoding="utf-8")
    assert '<header class="cover house-cover">' in html


@pytest.mark.parametrize("name", [str(name) for name in builtin_templates()])
def test_every_builtin_template_is_documented(name):
    doc = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    folder, _, file = name.rpartition("/")
    assert f"`{name}`" in doc or (folder == "epub" and f"`{file}`" in doc), name


def _named_in_templates_md(name: str) -> bool:
    """Whether docs/templates.md names ``name`` as code: `name`, `name(…)` or `name.…`."""
    doc = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    return re.search(rf"`{re.escape(name)}\b", doc) is not None


def _given_names(source: str, env: jinja2.Environment) -> set[str]:
    """The names a template takes from what briefgen gives it: those it reads that it does
    not make itself (``{% set shown = … %}``), though ``{% set part = part | default(none) %}``
    reads ``part`` from briefgen first."""
    made = {
        name
        for name, value in re.findall(r"{%-?\s*set\s+(\w+)\s*=(.*?)%}", source)
        if not re.search(rf"(?<![.\w]){name}\b", value)
    }
    return jinja2.meta.find_undeclared_variables(env.parse(source)) - made


#: An attribute of what every template sees, as a template's code reads it: labels.made_with.
_ATTRIBUTE = re.compile(r"(?<![\w/])(?:labels|options|paper_size|colophon)\.(\w+)")


def test_every_name_briefgen_gives_the_templates_is_documented():
    """A variable, filter, label or option that briefgen's own templates use, or that every
    template is given, is one a template of the user's may need: docs/templates.md lists
    each (keywords, css_string and options.vertical, used by the shipped templates, were
    named nowhere)."""
    from briefgen.options import BuildOptions
    from briefgen.render import context, environment

    env = environment((), None)
    briefing = briefgen.load(REPO / "data" / "russia-north-korea.yaml")
    names = set(context(briefing, BuildOptions()))
    names |= set(env.filters) - set(jinja2.Environment().filters)
    attributes = set()
    for name in builtin_templates():
        source = (resource_path("templates") / name).read_text(encoding="utf-8")
        names |= _given_names(source, env)
        code = " ".join(re.findall(r"{[{%](.*?)[%}]}", source, re.DOTALL))  # not {# … #}
        attributes |= set(_ATTRIBUTE.findall(code))
    missing = sorted(name for name in names | attributes if not _named_in_templates_md(name))
    assert missing == []


#: The templates each format starts from: the PDF's document and its stylesheet (the
#: one-sheet handout's too), the HTML's, and every file of the EPUB.
_FORMAT_ROOTS = {
    "PDF": ("briefing.html", "css/print.css", "sheet.html", "css/sheet.css"),
    "HTML": ("briefing.html", "css/screen.css"),
    "EPUB": (
        "epub/book.css",
        *(f"epub/{page}.xhtml" for page in ("front-cover", "cover", "nav", "event", "people")),
        "epub/sources.xhtml",
    ),
}


def _reached(roots: tuple[str, ...]) -> set[str]:
    """The built-in templates that ``roots`` include or extend, themselves included."""
    from briefgen.render import environment

    env = environment((), None)
    seen: set[str] = set()
    waiting = list(roots)
    while waiting:
        name = waiting.pop()
        if name not in seen:
            seen.add(name)
            source = (resource_path("templates") / name).read_text(encoding="utf-8")
            waiting += [n for n in jinja2.meta.find_referenced_templates(env.parse(source)) if n]
    return seen


def test_the_formats_each_template_is_used_by_are_documented():
    """docs/templates.md's "used by" column says which formats a template of one's own of
    that name changes (partials/timeline.html was said to be the PDF's and the HTML's
    only, while the EPUB's title page shows it too, after the summary)."""
    doc = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    table = doc.split("## The templates", 1)[1].split("\n## ", 1)[0]
    used = {form: _reached(roots) for form, roots in _FORMAT_ROOTS.items()}
    documented, real = {}, {}
    for row in (line for line in table.splitlines() if line.startswith("| `")):
        names, _, forms = (cell.strip() for cell in row.strip("|").split("|"))
        told = set(_FORMAT_ROOTS) if forms == "all" else {f.strip() for f in forms.split(",")}
        for name in re.findall(r"`([^`]+)`", names):
            name = name if "/" in name or name.endswith(".html") else f"epub/{name}"
            documented[name] = told
            real[name] = {form for form, reached in used.items() if name in reached}
    assert sorted(documented) == sorted(map(str, builtin_templates()))
    assert documented == real


@pytest.mark.parametrize("name", ["", " "])
def test_export_into_an_empty_folder_name_is_refused(tmp_path, capsys, monkeypatch, name):
    """An unset variable in a script (briefgen templates export "$DIR") named the current
    folder, and some twenty templates were copied in among the user's own files."""
    monkeypatch.chdir(tmp_path)
    assert main(["templates", "export", name]) == 2
    assert (
        "argument DIR: expected a folder to copy the templates into, found an empty name "
        "(write briefgen templates export . for the current folder)"
    ) in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_export_refuses_a_files_name_for_its_folder(tmp_path, capsys):
    """`templates export base.css`, for the one file to edit, made a folder base.css with
    every template in it; a folder of that name that is there already is taken."""
    assert main(["templates", "export", str(tmp_path / "base.css")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: briefgen templates export ")
    assert (
        f"briefgen templates export: error: argument DIR: expected a folder to copy the "
        f'templates into, found "{tmp_path / "base.css"}", a file\'s name\n'
        f"    hint: give a folder, as {tmp_path / 'house-style'}: every template is copied "
        "into it (css/base.css among them): edit what you mean to change, delete the rest\n"
    ) in err
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "base.css").mkdir()
    assert main(["templates", "export", str(tmp_path / "base.css")]) == 0
    assert (tmp_path / "base.css" / "css" / "base.css").is_file()


def test_a_file_where_a_template_folder_goes_is_refused_before_any_copy(tmp_path, capsys):
    """A file named css in the folder stopped the copy with "cannot write …/css: File
    exists", the templates before it copied and left there."""
    (tmp_path / "css").write_text("", encoding="utf-8")
    assert main(["templates", "export", str(tmp_path), "--force"]) == 2
    assert (
        f"{tmp_path / 'css'} is a file, where the templates need a folder (css/base.css goes "
        "in it); move it away, or choose another folder"
    ) in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [tmp_path / "css"]
