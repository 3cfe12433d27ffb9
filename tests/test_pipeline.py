"""``briefgen.build`` and ``loads``: what a library user calls, and what it leaves on disk."""

from __future__ import annotations

import io
import os

import pytest

import briefgen
from briefgen import pipeline
from briefgen.errors import BuildError

MINIMAL = "title: 測試\nevents: [{start: 1950, title: 事件}]\n"


def test_loads_reads_text_or_bytes():
    from_text = briefgen.loads(MINIMAL)
    from_bytes = briefgen.loads(MINIMAL.encode("utf-8"))
    assert from_text == from_bytes
    assert from_text.title == "測試" and from_text.path is None
    with pytest.raises(briefgen.BriefingError) as caught:
        briefgen.loads("title: t\n", name="memo.yaml")
    assert str(caught.value).startswith("memo.yaml:1:1: events: required field is missing")
    with pytest.raises(TypeError, match="str or bytes, not PosixPath"):
        briefgen.loads(briefgen.sample_path())  # type: ignore[arg-type]


def test_a_briefing_read_from_text_keeps_its_name_for_later_messages(tmp_path):
    # An ASCII comma between Han characters: a typography change, which strict refuses.
    text = "title: 設定\nsummary: 俄國,朝鮮\nevents: [{start: 1950, title: 事件}]\n"
    briefing = briefgen.loads(text, name="typo.yaml")
    with pytest.raises(BuildError) as caught:
        briefgen.build(briefing, "html", tmp_path, strict=True)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("typo.yaml: strict: 1 typography change to make")
    assert lines[1].startswith("typo.yaml:2:")
    assert briefgen.loads(text).shown_name == "<briefing>"


def test_build_takes_a_path_or_a_briefing_and_a_plain_format_string(write_briefing, tmp_path):
    source = write_briefing(MINIMAL, name="memo.yaml")
    assert briefgen.build(source, "html", tmp_path / "a") == [tmp_path / "a" / "memo.html"]
    briefing = briefgen.load(source)
    assert briefgen.build(briefing, ["html", "html"], tmp_path / "b") == [
        tmp_path / "b" / "memo.html"
    ]
    assert briefgen.build(briefgen.loads(MINIMAL), "html", tmp_path / "c", stem="x") == [
        tmp_path / "c" / "x.html"
    ]


def test_format_names():
    assert pipeline.format_names("pdf") == ["pdf"]
    assert pipeline.format_names(("epub", "pdf", "epub")) == ["epub", "pdf"]
    assert pipeline.format_names(["all"]) == ["pdf", "epub", "html"]
    with pytest.raises(
        briefgen.UsageError,
        match="unknown format 'docx'; choose from pdf, epub, html, print-html or all",
    ):
        pipeline.format_names(["pdf", "docx"])
    with pytest.raises(ValueError, match="no format given"):
        pipeline.format_names([])
    with pytest.raises(
        TypeError, match='formats must be a format name such as "pdf" or a list of them, not int'
    ):
        pipeline.format_names(3)  # type: ignore[arg-type]


def test_a_render_failing_half_way_leaves_nothing(write_briefing, tmp_path, monkeypatch):
    from briefgen.builders.epub import EpubBuilder

    def broken(self, briefing, options):
        raise briefgen.BuildError("the EPUB could not be made")

    monkeypatch.setattr(EpubBuilder, "render", broken)
    source = write_briefing(MINIMAL)
    with pytest.raises(briefgen.BuildError):
        briefgen.build(source, ["html", "epub"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_write_failing_half_way_leaves_nothing(write_briefing, tmp_path, monkeypatch):
    """A full disk while the second file is written: neither file, nor a temporary one."""
    written = []
    real = pipeline._write_temporary

    def second_fails(target, data):
        if written:
            raise OSError(28, "No space left on device")
        written.append(target)
        return real(target, data)

    monkeypatch.setattr(pipeline, "_write_temporary", second_fails)
    out = tmp_path / "out"
    out.mkdir()
    (out / "briefing.html").write_text("the previous build", encoding="utf-8")
    with pytest.raises(briefgen.BuildError, match="No space left on device"):
        briefgen.build(write_briefing(MINIMAL), ["html", "epub"], out)
    assert [p.name for p in out.iterdir()] == ["briefing.html"]
    assert (out / "briefing.html").read_text(encoding="utf-8") == "the previous build"


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o022, 0o644), (0o002, 0o664)])
def test_outputs_take_the_permissions_the_umask_gives(write_briefing, tmp_path, umask, mode):
    """Every output was made readable by everyone (0644), whatever the umask: a user
    whose umask keeps an embargoed briefing to themselves on a shared machine (077) had
    its PDF readable by all the others."""
    out = tmp_path / "out"
    out.mkdir()
    source = write_briefing(MINIMAL)
    previous = os.umask(umask)
    try:
        [written] = briefgen.build(source, "html", out)
    finally:
        os.umask(previous)
    assert written.stat().st_mode & 0o777 == mode


def test_ctrl_c_while_the_timeline_is_drawn_stops_the_build(write_briefing, tmp_path, monkeypatch):
    """WeasyPrint draws an SVG inside `except BaseException`: a Ctrl-C there must still stop
    the build, not leave a PDF without its timeline."""
    import weasyprint.svg

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(weasyprint.svg.SVG, "draw", interrupted)
    text = "title: 測試\nevents: [{start: 1950, title: 甲}, {start: 1960, title: 乙}]\n"
    with pytest.raises(KeyboardInterrupt):
        briefgen.build(write_briefing(text), ["html", "pdf"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_builder_must_return_bytes(write_briefing, tmp_path, monkeypatch):
    from briefgen.builders.html import HtmlBuilder

    monkeypatch.setattr(HtmlBuilder, "render", lambda self, briefing, options: "text")
    with pytest.raises(briefgen.BuildError, match="the 'html' builder returned str, not bytes"):
        briefgen.build(write_briefing(MINIMAL), "html", tmp_path)


def test_a_strict_build_raises_and_writes_nothing(write_briefing, tmp_path):
    source = write_briefing('title: "私用\ue000"\nevents: [{start: 1950, title: "一,二"}]\n')
    with pytest.raises(BuildError) as raised:
        briefgen.build(source, "html", tmp_path / "out", strict=True)
    message = str(raised.value)
    assert "strict: 1 warning and 1 typography change to make; nothing was written" in message
    assert "events[0].title: punctuation-width: 一,二 → 一，二" in message
    # Named as the call gave it: a pipeline never typed --strict.
    assert message.endswith("; or build without strict=True")
    assert not (tmp_path / "out").exists()


def test_vertical_writing_is_refused_for_the_pdf_and_the_html(write_briefing, tmp_path):
    source = write_briefing(MINIMAL)
    for formats in ("pdf", ["epub", "html"]):
        with pytest.raises(briefgen.UsageError, match="vertical lines are for the EPUB only"):
            briefgen.build(source, formats, tmp_path / "out", vertical=True)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("stem", ["", ".", "..", "../escaped", "/tmp/abs", "a/b", "a\\b"])
def test_a_stem_that_is_no_file_name_is_refused_before_any_work(tmp_path, stem):
    with pytest.raises(briefgen.UsageError, match="stem must be a file name"):
        briefgen.build(briefgen.loads(MINIMAL), "html", tmp_path / "out", stem=stem)
    assert not (tmp_path / "out").exists() and not (tmp_path / "escaped.html").exists()


@pytest.mark.parametrize("outdir", [None, 3])
def test_an_outdir_that_is_no_path_is_refused_before_any_work(outdir, monkeypatch):
    """A pipeline's missing setting (outdir=None) fails at once, not after the rendering."""
    from briefgen.builders.html import HtmlBuilder

    def rendered(self, briefing, options):
        raise AssertionError("rendered before the outdir was checked")

    monkeypatch.setattr(HtmlBuilder, "render", rendered)
    with pytest.raises(TypeError, match="outdir must be a folder's path"):
        briefgen.build(briefgen.loads(MINIMAL), "html", outdir)
    with pytest.raises(TypeError, match="outdir must be a folder's path"):
        briefgen.build_many([], "html", outdir)


@pytest.mark.parametrize("outdir", ["notes.txt", "notes.txt/out"])
def test_an_outdir_that_is_a_file_is_refused_before_any_work(tmp_path, monkeypatch, outdir):
    """A file in the output folder's place (`-o briefing.yaml`) was found once every output
    was rendered, a minute of a long PDF's time, and once for each briefing of a batch."""
    from briefgen.builders.html import HtmlBuilder

    def rendered(self, briefing, options):
        raise AssertionError("rendered before the outdir was checked")

    monkeypatch.setattr(HtmlBuilder, "render", rendered)
    (tmp_path / "notes.txt").write_text("notes\n", encoding="utf-8")
    what = "it is a file" if outdir == "notes.txt" else f"{tmp_path / 'notes.txt'} is a file"
    message = f"cannot create the output folder {tmp_path / outdir}: {what}"
    with pytest.raises(BuildError) as raised:
        briefgen.build(briefgen.loads(MINIMAL), "html", tmp_path / outdir)
    assert str(raised.value) == message
    source = tmp_path / "a.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        briefgen.build_many([source, source.with_name("b.yaml")], "html", tmp_path / outdir)
    assert str(raised.value) == message


def test_a_folder_in_the_way_of_one_output_leaves_the_others_unwritten(tmp_path):
    (tmp_path / "memo.pdf").mkdir()
    with pytest.raises(BuildError, match=r"memo\.pdf: a folder of that name is in the way"):
        briefgen.build(briefgen.loads(MINIMAL), ["html", "pdf"], tmp_path, stem="memo")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["memo.pdf"]


def test_vertical_is_refused_for_the_pdf_and_the_html_by_every_entry_point():
    briefing = briefgen.loads(MINIMAL)
    for render in (briefgen.render_pdf, briefgen.render_html):
        with pytest.raises(briefgen.UsageError, match="vertical lines are for the EPUB only"):
            render(briefing, vertical=True)
    assert briefgen.render_epub(briefing, vertical=True)[:2] == b"PK"


def test_every_record_and_the_batch_call_are_on_the_package():
    assert briefgen.Fonts is briefgen.model.Fonts
    assert briefgen.build_many is pipeline.build_many


def test_a_strict_build_is_not_failed_by_another_threads_warning(tmp_path, monkeypatch, caplog):
    # A worker that builds on several threads: one briefing's missing glyph, warned of on
    # its own thread while a strict build of a clean briefing runs, is not that build's.
    import threading

    from briefgen.builders.html import HtmlBuilder

    text = "title: 缺字\nevents: [{start: 1950, title: 事件 🙂}]\n"
    lacking = briefgen.loads(text, name="a.yaml")
    original = HtmlBuilder.render

    def render_beside_another(self, briefing, options):
        other = threading.Thread(target=briefgen.prepare, args=(lacking,))
        other.start()
        other.join()
        return original(self, briefing, options)

    monkeypatch.setattr(HtmlBuilder, "render", render_beside_another)
    written = briefgen.build(briefgen.loads(MINIMAL), "html", tmp_path, stem="b", strict=True)
    assert written == [tmp_path / "b.html"]
    assert 'a.yaml:2:34: events[0].title: character "🙂"' in caplog.text


def test_a_pdf_build_does_not_take_another_threads_weasyprint_messages(monkeypatch, caplog):
    # The caller lays out a document of its own with WeasyPrint on another thread while
    # briefgen lays out a briefing: that document's missing picture is not the briefing's.
    import logging
    import threading

    import weasyprint

    from briefgen.builders import pdf

    original = pdf._html

    def parsed_beside_another(*args, **kwargs):
        other = threading.Thread(
            target=lambda: weasyprint.HTML(string='<img src="/nowhere/logo.png">').render()
        )
        other.start()
        other.join()
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf, "_html", parsed_beside_another)
    with caplog.at_level(logging.WARNING):
        briefgen.render_pdf(briefgen.loads(MINIMAL))
    assert any("nowhere/logo.png" in r.getMessage() for r in caplog.records)  # WeasyPrint's
    assert [r.getMessage() for r in caplog.records if r.name == "briefgen"] == []


def test_build_shows_warnings_in_a_program_that_set_no_logging_up(tmp_path):
    # Python prints a library's warnings where the program set up no logging, and did so
    # for render_html; build's own count of the warnings kept them from being printed.
    import subprocess
    import sys

    code = (
        "import sys, briefgen\n"
        "briefing = briefgen.loads('title: 缺字\\nevents: [{start: 1950, title: 事件 🙂}]\\n')\n"
        "briefgen.build(briefing, 'html', sys.argv[1])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert '<briefing>:2:34: events[0].title: character "🙂"' in result.stderr


def test_a_strict_build_refuses_a_warning_whatever_the_programs_logging(tmp_path):
    # A web application sets its logging up after importing briefgen, with dictConfig,
    # which disables the loggers that exist then (disable_existing_loggers): briefgen's
    # too. A strict build must still refuse a briefing with a missing glyph.
    import subprocess
    import sys

    code = (
        "import logging.config, sys, briefgen\n"
        "logging.config.dictConfig({'version': 1, 'root': {'level': 'INFO'}})\n"
        "briefing = briefgen.loads('title: 缺字\\nevents: [{start: 1950, title: 事件 🙂}]\\n')\n"
        "try:\n"
        "    briefgen.build(briefing, 'html', sys.argv[1], strict=True)\n"
        "except briefgen.BuildError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert result.stdout.startswith("<briefing>: strict: 1 warning; nothing was written")
    assert not (tmp_path / "out").exists()


def test_a_strict_build_refuses_weasyprints_warning_whatever_the_programs_logging(tmp_path):
    # A worker that lays out documents of its own with WeasyPrint imports it, then sets its
    # logging up with dictConfig, which disables WeasyPrint's logger too: WeasyPrint then
    # said nothing of a picture a template could not load, and a strict build wrote the PDF.
    import subprocess
    import sys

    templates = tmp_path / "house" / "partials"
    templates.mkdir(parents=True)
    (templates / "event.html").write_text(
        '{% extends "!builtin/partials/event.html" %}'
        '{% block end %}<img src="nowhere/logo.png">{% endblock %}'
    )
    code = (
        "import logging.config, sys, briefgen, weasyprint\n"
        "logging.config.dictConfig({'version': 1})\n"
        f"briefing = briefgen.loads({MINIMAL!r})\n"
        "try:\n"
        "    briefgen.build(briefing, 'pdf', sys.argv[1], strict=True, templates=[sys.argv[2]])\n"
        "except briefgen.BuildError as error:\n"
        "    print(error)\n"
        "print(logging.getLogger('weasyprint').disabled)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "out"), str(tmp_path / "house")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    assert result.stdout.startswith("<briefing>: strict: 1 warning; nothing was written")
    assert result.stdout.endswith("True\n")  # the program's logging is left as it set it
    assert result.stderr == ""  # and its disabled logger still shows nothing
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("writer", ["output", "backup"])
def test_files_are_opened_in_binary_mode_where_the_system_has_a_text_mode(
    writer, monkeypatch, tmp_path
):
    """On Windows a file opened with os.open and no O_BINARY is in text mode, and the C
    runtime writes each LF as CRLF: every PDF and EPUB written so was broken, and the
    backup of `check --fix` was not the original as it was read. (Here, where there is no
    text mode, os.O_BINARY is given a value of its own to see that it is asked for.)"""
    from briefgen import fix

    binary = 0x40000000
    monkeypatch.setattr(os, "O_BINARY", binary, raising=False)
    real_open = os.open
    asked: list[int] = []

    def spy(path: object, flags: int, *args: object, **kwargs: object) -> int:
        asked.append(flags)
        return real_open(path, flags & ~binary, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    if writer == "output":
        pipeline._write_temporary(tmp_path / "x.pdf", b"%PDF\n")
    else:
        source = tmp_path / "briefing.yaml"
        source.write_bytes(b"title: t\n")
        fix._replace(source, "title: t\n", "title: T\n")
    # The first file opened is the output's, or the backup's (the rest: tempfile's own).
    assert asked[0] & binary


@pytest.mark.parametrize("given", [b"title: t\n", None, io.StringIO("title: t\n")])
def test_a_source_that_is_no_briefing_nor_path_is_named_so(given, tmp_path):
    # A pipeline that passed the YAML's bytes, or a setting left None, read "argument should
    # be a str object or an os.PathLike object returning str, not <class 'bytes'>".
    for call in (
        lambda: briefgen.build(given, "html", tmp_path),
        lambda: briefgen.render_html(given),
    ):
        with pytest.raises(TypeError) as raised:
            call()
        assert str(raised.value).startswith(
            "source must be a briefgen.Briefing or a briefing file's path (str or pathlib.Path), "
            f"not {type(given).__name__}; briefgen.loads reads a briefing's text"
        )
    assert not list(tmp_path.iterdir())
