"""The format registry: briefgen's own builders, and formats other packages register."""

from __future__ import annotations

import sys
import textwrap

import pytest

import briefgen
from briefgen.builders import BUILTIN, builder, formats
from briefgen.cli import main

PLUGIN = '''
"""A third-party format: the briefing's title and event titles as plain text."""


class TextBuilder:
    name = "txt"
    suffix = ".txt"

    def render(self, briefing, options):
        lines = [briefing.title, f"paper={options.paper}"]
        lines += [event.title for event in briefing.events]
        return "\\n".join(lines).encode("utf-8")
'''


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """An installed distribution (on sys.path) that registers the ``txt`` format through the
    ``briefgen.builders`` entry point group, as a package on PyPI would."""
    site = tmp_path / "site"
    dist_info = site / "briefgen_plaintext-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (site / "briefgen_plaintext.py").write_text(PLUGIN, encoding="utf-8")
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: briefgen-plaintext\nVersion: 1.0\n", encoding="utf-8"
    )
    (dist_info / "entry_points.txt").write_text(
        textwrap.dedent("""
        [briefgen.builders]
        txt = briefgen_plaintext:TextBuilder
        pdf = briefgen_plaintext:TextBuilder
    """),
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(site))
    return site


def test_builtin_formats():
    assert formats() == ("pdf", "epub", "html", "print-html")
    assert {name: builder(name).suffix for name in BUILTIN} == {
        "pdf": ".pdf",
        "epub": ".epub",
        "html": ".html",
        "print-html": ".print.html",
    }


def test_a_registered_format_builds_through_the_api_and_the_cli(
    plugin, write_briefing, tmp_path, capsys
):
    source = write_briefing("title: 外掛\nevents: [{start: 1950, title: 事件一}]\n")
    assert "txt" in formats()
    [written] = briefgen.build(source, "txt", tmp_path / "api", paper="B5")
    assert written.read_text(encoding="utf-8") == "外掛\npaper=B5\n事件一"
    assert main(["build", str(source), "-f", "txt", "-f", "html", "-o", str(tmp_path / "cli")]) == 0
    assert sorted(p.name for p in (tmp_path / "cli").iterdir()) == ["briefing.html", "briefing.txt"]
    assert "txt" in capsys.readouterr().out


def test_a_plugin_cannot_replace_a_builtin_format(plugin):
    assert type(builder("pdf")).__module__ == "briefgen.builders.pdf"


def test_all_includes_registered_formats(plugin, write_briefing, tmp_path, monkeypatch):
    monkeypatch.setattr("briefgen.builders.BUILTIN", {"html": BUILTIN["html"]})
    source = write_briefing("title: t\nevents: [{start: 1950, title: e}]\n")
    written = briefgen.build(source, "all", tmp_path)
    assert [path.name for path in written] == ["briefing.html", "briefing.txt"]


def test_a_broken_plugin_is_named(tmp_path, monkeypatch, write_briefing):
    monkeypatch.setattr(
        "briefgen.builders.BUILTIN", {**BUILTIN, "odt": "briefgen_missing_module:OdtBuilder"}
    )
    source = write_briefing("title: t\nevents: [{start: 1950, title: e}]\n")
    with pytest.raises(briefgen.BuildError) as caught:
        briefgen.build(source, "odt", tmp_path / "out")
    assert str(caught.value).startswith(
        "the builder of the 'odt' format (briefgen_missing_module:OdtBuilder) could not be "
        "loaded: ModuleNotFoundError"
    )
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "raise RuntimeError('boom')",
            "the 'txt' format's builder (briefgen_plaintext:TextBuilder) failed: "
            "RuntimeError: boom",
        ),
        (
            "return 'text'",
            "the 'txt' builder (briefgen_plaintext:TextBuilder) returned str, not bytes",
        ),
    ],
)
def test_a_plugin_that_fails_is_named_not_reported_as_briefgens_bug(
    plugin, write_briefing, tmp_path, capsys, monkeypatch, body, message
):
    monkeypatch.delitem(sys.modules, "briefgen_plaintext", raising=False)  # an earlier test's
    module = plugin / "briefgen_plaintext.py"
    module.write_text(
        module.read_text(encoding="utf-8").replace(
            "        lines = [briefing.title", f"        {body}\n        lines = [briefing.title"
        ),
        encoding="utf-8",
    )
    source = write_briefing("title: t\nevents: [{start: 1950, title: e}]\n")
    status = main(["build", str(source), "-f", "txt", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 1
    assert message in err and "internal error" not in err
    assert not (tmp_path / "out" / "briefing.txt").exists()


def test_a_build_of_builtin_formats_reads_no_package_metadata(
    plugin, write_briefing, tmp_path, monkeypatch, capsys
):
    # Reading every installed package's metadata for the formats they add takes 40 ms of a
    # build: only `--help`, "all" and a name briefgen does not know need it.
    lookups = []
    registered = briefgen.builders._registered

    def counted(path):
        lookups.append(path)
        return registered(path)

    monkeypatch.setattr("briefgen.builders._registered", counted)
    source = write_briefing("title: t\nevents: [{start: 1950, title: e}]\n")
    assert main(["build", str(source), "-f", "html", "-o", str(tmp_path / "a")]) == 0
    briefgen.build(source, ["html"], tmp_path / "b")
    assert lookups == []
    assert main(["build", str(source), "-f", "txt", "-o", str(tmp_path / "c")]) == 0
    assert lookups
    capsys.readouterr()
    assert main(["build", "--help"]) == 0
    assert "pdf, epub, html, print-html, txt or all" in " ".join(capsys.readouterr().out.split())
