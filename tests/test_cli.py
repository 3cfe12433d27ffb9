"""The command line: in-process through ``main(argv)`` for speed, and a few runs of the real
entry point (``python -m briefgen``) in a subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

import briefgen
from briefgen.cli import main
from conftest import run_cli

BAD = """
    title: t
    events:
      - start: 1950/06
        title: e
"""


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``main(args)`` in this process from ``cwd``: ``(status, stdout, stderr)``."""

    def run(*args: str | Path, cwd: Path | None = None) -> tuple[int, str, str]:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        status = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_version_and_help(cli):
    assert cli("--version") == (0, f"briefgen {briefgen.__version__}\n", "")
    status, out, _ = cli("--help")
    assert status == 0
    assert all(command in out for command in ("build", "check", "schema"))


def test_build_help_says_how_to_print_a_booklet(cli):
    # Printed on one side, or flipped on the long edge, the sheets fold into no booklet.
    status, out, _ = cli("build", "--help")
    assert status == 0
    help_text = " ".join(out.split())
    assert "booklet (print on both sides, flipped on the short edge, at 100 %" in help_text


def test_check_help_does_not_say_it_writes_nothing_when_fix_writes(cli):
    status, out, _ = cli("check", "--help")
    assert status == 0
    assert "without writing anything." not in out
    assert "(with --fix, making those changes in the file)" in " ".join(out.split())


def test_watch_help_names_every_kind_of_file_it_watches(cli):
    """A font of the briefing's own rebuilds the preview, as the README says; the help left
    it out."""
    status, out, _ = cli("watch", "--help")
    assert status == 0
    assert "its images, its fonts or its templates" in " ".join(out.split())


def test_the_readmes_synopsis_names_every_flag():
    """The README's synopsis is where a user looks for what a command takes: each flag of
    each command is named in its lines (fonts took --no-rule and --no-config unsaid)."""
    import argparse

    from briefgen.cli import _parser
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Command line", 1)[1].split("```", 2)[1]
    synopses: dict[str, str] = {}
    command = ""
    for line in block.splitlines():
        if started := re.match(r"briefgen (\w+)", line):
            command = started.group(1)
            synopses[command] = line
        elif line.startswith(" ") and command:
            synopses[command] += " " + line
    [commands] = [
        action for action in _parser()._actions if isinstance(action, argparse._SubParsersAction)
    ]
    unsaid = []
    for name, parser in commands.choices.items():
        parser.format_usage()  # build's and watch's flags are added when first used
        for action in parser._actions:
            flags = [flag for flag in action.option_strings if flag not in ("-h", "--help")]
            if not flags or "--debug" in flags:
                continue
            if isinstance(action, argparse.BooleanOptionalAction):
                flags = [f"--[no-]{flags[0].removeprefix('--')}"]
            if not any(re.search(rf"{re.escape(flag)}\b", synopses[name]) for flag in flags):
                unsaid.append(f"{name} {flags[0]}")
    assert unsaid == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ("check", "a.yaml", "b.yaml"),
            "briefgen check: error: unrecognized arguments: b.yaml\n"
            "    hint: briefgen check takes one SOURCE; run it once for each\n",
        ),
        (
            ("fonts", "a.yaml", "b.yaml"),
            "briefgen fonts: error: unrecognized arguments: b.yaml\n"
            "    hint: briefgen fonts takes one SOURCE; run it once for each\n",
        ),
        (
            ("schema", "x.json"),
            "briefgen schema: error: unrecognized arguments: x.json\n"
            "    hint: briefgen schema takes no arguments\n",
        ),
        (
            ("check", "a.yaml", "--strcit"),
            "briefgen check: error: unrecognized arguments: --strcit\n",
        ),
        # No flag by the start of its name: --str was --strict, and build --pdf (watch's
        # flag) was --pdf-variant, which then took the SOURCE for its value.
        (("check", "a.yaml", "--str"), "briefgen check: error: unrecognized arguments: --str\n"),
        (
            ("build", "--pdf", "a.yaml"),
            "briefgen build: error: unrecognized arguments: --pdf\n"
            "    hint: the PDF is what build makes by default; beside other formats, add -f pdf\n",
        ),
    ],
)
def test_an_argument_too_many_is_told_with_the_commands_usage(cli, tmp_path, args, said):
    """argparse told them with briefgen's own usage (`usage: briefgen [-h] … COMMAND ...`,
    `briefgen: error: …`), as if the command had not been read: `briefgen check *.yaml`
    was not told that check takes one file."""
    status, out, err = cli(*args, cwd=tmp_path)
    assert (status, out) == (2, "")
    assert err.startswith(f"usage: briefgen {args[0]} ")
    assert err.endswith(said)


def test_bad_usage_exits_2(cli):
    assert cli()[0] == 2
    status, _, err = cli("build", "--format", "docx")
    assert status == 2
    assert "invalid choice: 'docx'" in err
    status, _, err = cli("build", "--paper", "A3")
    assert status == 2
    assert "invalid choice: 'A3'" in err


def test_formats_given_as_one_list_are_told_to_be_given_one_each(cli):
    """`-f pdf,epub`, as many programs take a list, was refused with the list of choices
    alone, each of which the user had given."""
    status, _, err = cli("build", "-f", "pdf,epub")
    assert status == 2
    assert err.endswith("\n    hint: give one format each time: -f pdf -f epub\n")
    status, _, err = cli("build", "--format", "pdf, docx")
    assert status == 2
    assert "hint" not in err  # docx is no format: the list of choices says so


def test_a_paper_or_a_language_is_read_in_any_case(cli, tmp_path):
    status, out, err = cli("build", "--paper", "a5", "-f", "print-html", "-o", tmp_path)
    assert status == 0, err
    assert "size: 148mm 210mm" in Path(out.strip()).read_text(encoding="utf-8")
    status, _, err = cli("new", tmp_path / "starter", "--lang", "EN")
    assert status == 0, err
    assert "lang: en" in (tmp_path / "starter" / "briefing.yaml").read_text(encoding="utf-8")


def test_a_handout_or_a_pdf_variant_is_read_in_any_case_as_the_paper_is(cli, tmp_path):
    source = tmp_path / "brief.yaml"
    source.write_text("title: 사건\nlang: ko\nevents: [{start: 1950, title: 사건}]\n")
    status, out, err = cli("build", source, "--paper", "a5", "--handout", "2UP", "-o", tmp_path)
    assert (status, out) == (0, f"{tmp_path / 'brief.2up.pdf'}\n"), err
    status, out, err = cli(
        "build", source, "--handout", "None", "--pdf-variant", "PDF/A-3b", "-o", tmp_path / "plain"
    )
    assert (status, out) == (0, f"{tmp_path / 'plain' / 'brief.pdf'}\n"), err
    reader = PdfReader(tmp_path / "plain" / "brief.pdf")
    assert b'pdfaid:part="3"' in reader.trailer["/Root"]["/Metadata"].get_object().get_data()


def test_pdf_flags_on_a_build_without_a_pdf_are_noted(cli, tmp_path):
    status, out, err = cli("build", "-f", "html", "--paper", "A5", "--no-marks", "-o", tmp_path)
    assert (status, out) == (0, f"{tmp_path / 'russia-north-korea.html'}\n")
    assert "briefgen: --paper shapes the PDF only, and this build makes none (html)" in err
    _, _, err = cli("build", "-f", "print-html", "--paper", "A5", "-o", tmp_path)
    assert "PDF only" not in err


def test_debug_works_before_the_command_too(cli, tmp_path):
    (tmp_path / "bad.yaml").write_text("title: t\nevents: [{start: 1950-02-30, title: e}]\n")
    _, _, quiet = cli("check", tmp_path / "bad.yaml")
    status, _, err = cli("--debug", "check", tmp_path / "bad.yaml")
    assert status == 1
    assert "Traceback" not in quiet
    assert "Traceback (most recent call last)" in err


def test_a_missing_template_folder_is_bad_usage(cli, tmp_path):
    status, out, err = cli("build", "--templates", tmp_path / "nope", "-o", tmp_path / "out")
    assert (status, out) == (2, "")
    assert err.endswith(
        f"briefgen build: error: template folder {tmp_path / 'nope'} "
        "does not exist or is not a folder\n"
    )
    assert not (tmp_path / "out").exists()


def test_a_bad_source_date_epoch_is_bad_usage(cli, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    status, _, err = cli("build", "-f", "html", "-o", tmp_path)
    assert status == 2
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not 'yesterday'" in err


def test_check_reports_and_writes_nothing(cli, write_briefing, tmp_path):
    write_briefing(BAD)
    status, out, err = cli("check", "briefing.yaml", cwd=tmp_path)
    assert (status, out) == (1, "")
    assert err == (
        "briefing.yaml:3:12: events[0].start: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, "
        'found "1950/06"\n    hint: write 1950-06\n1 problem found\n'
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.yaml"]


def test_check_ok(cli):
    status, out, err = cli("check", briefgen.sample_path())
    assert (status, err) == (0, "")
    assert out.endswith(": ok: 13 events, 9 people, 1 source\n")


def test_the_command_that_lists_every_warning_switches_off_what_the_build_did(
    cli, write_briefing, tmp_path
):
    """Past ten warnings, a build names the command that lists them all: without the
    build's --no-rule, that check listed warnings the build had switched off, and more of
    them than the build said there were."""
    events = "".join(
        f'  - {{start: {1990 - index}, title: "e{index}\ue000"}}\n' for index in range(30)
    )
    path = write_briefing("title: t\nevents:\n" + events + "  - {start: 1950, title: x}\n")
    status, _, err = cli("build", path, "-f", "html", "--no-rule", "event-order", "-o", tmp_path)
    assert status == 0 and "event-order" not in err.replace("--no-rule event-order", "")
    assert "… and 20 more: `briefgen check " in err
    assert "briefing.yaml --no-rule event-order` lists them all" in err


def test_bad_file_builds_nothing_and_shows_no_traceback(cli, write_briefing, tmp_path):
    path = write_briefing(BAD)
    status, _, err = cli("build", path, "--format", "all", "-o", tmp_path / "out")
    assert status == 1
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_build_reports_a_screen_of_problems_and_check_them_all(cli, write_briefing, tmp_path):
    """A file of 30 events with a mistake each: build (alone or in a batch) prints the first
    ten with their hints, then how many more and the command that lists them, on one
    screen; check, whose job it is, lists all 30."""
    events = "".join(f"  - start: 19xx\n    title: e{index}\n" for index in range(30))
    path = write_briefing("title: t\nevents:\n" + events)
    good = write_briefing("title: t\nevents:\n  - start: 1950\n    title: e\n", "good.yaml")
    for args in ((path,), (path, good)):
        status, _, err = cli("build", *args, "-o", tmp_path / "out")
        assert status == 1
        report = err[err.index("briefing.yaml:") :].splitlines()
        assert sum("events[" in line for line in report) == 10
        assert "… and 20 more: `briefgen check " in err and "briefing.yaml` lists them all" in err
        more = next(index for index, line in enumerate(report) if line.startswith("…"))
        assert report[more + 1] == "30 problems found"
        assert len(report) <= 24
    status, _, err = cli("check", path)
    assert status == 1 and sum("events[" in line for line in err.splitlines()) == 30
    assert "more:" not in err


def test_a_build_prints_a_screen_of_warnings_and_check_them_all(cli, write_briefing, tmp_path):
    """A private-use character in each of 30 events: build (alone or in a batch) prints
    the first ten warnings, then how many more and the command that lists them, and its
    outputs stay on the screen; check lists all 30."""
    events = "".join(f'  - {{start: 1950, title: "e{index}\ue000"}}\n' for index in range(30))
    path = write_briefing("title: t\nevents:\n" + events)
    good = write_briefing("title: t\nevents:\n  - start: 1950\n    title: e\n", "good.yaml")
    for args in ((path,), (path, good)):
        status, out, err = cli("build", *args, "-f", "html", "-o", tmp_path / "out")
        assert status == 0 and "briefing.html" in out
        assert sum(line.startswith("warning: ") for line in err.splitlines()) == 11
        assert "warning: … and 20 more: `briefgen check " in err
        assert "briefing.yaml` lists them all" in err
    status, _, err = cli("check", path)
    assert status == 0 and sum("U+E000" in line for line in err.splitlines()) == 30
    assert "more:" not in err


def test_debug_shows_the_traceback(cli, write_briefing):
    status, _, err = cli("check", write_briefing(BAD), "--debug")
    assert status == 1
    assert "Traceback" in err and "BriefingError" in err


def test_missing_file(cli, tmp_path):
    status, _, err = cli("check", tmp_path / "nope.yaml")
    assert status == 1
    assert "nope.yaml: cannot read the file: No such file or directory" in err


def test_warnings_are_printed_once_however_often_main_runs(cli, write_briefing, tmp_path):
    write_briefing('title: 測試\nevents:\n  - {start: 1950, title: "私用\ue000"}\n')
    expected = (
        'warning: briefing.yaml:3:29: events[0].title: character "\ue000" (U+E000 '
        "unnamed character) is not in briefgen's fonts; it would print as an empty box\n"
        "    hint: replace it, or write it with a more common character, or name a font of "
        "your own that has it (fonts: in the briefing)\n"
    )
    for _ in range(3):
        status, _, err = cli("check", "briefing.yaml", cwd=tmp_path)
        assert (status, err) == (0, expected)


def test_control_characters_are_dropped_with_a_warning(cli, write_briefing, tmp_path):
    write_briefing('title: "警報\\a聲"\nevents:\n  - {start: 1950, title: e}\n')
    status, _, err = cli("check", "briefing.yaml", cwd=tmp_path)
    assert status == 0
    assert err == (
        "warning: briefing.yaml:1:8: title: dropped U+0007 (control character): "
        "it cannot be printed\n"
        "    hint: remove it from the file; a line break is written as a new line\n"
    )


def test_schema_prints_the_json_schema(cli):
    status, out, err = cli("schema")
    assert (status, err) == (0, "")
    assert json.loads(out) == briefgen.json_schema()


def test_build_html_in_process(cli, write_briefing, tmp_path):
    write_briefing("title: 本地\nevents: [{start: 1950, title: 事件}]\n")
    status, out, err = cli("build", "-f", "html", "-o", "dist", cwd=tmp_path)
    assert (status, err) == (0, "briefgen: no SOURCE given, using ./briefing.yaml\n")
    assert out == "dist/briefing.html\n"
    assert "本地" in (tmp_path / "dist" / "briefing.html").read_text(encoding="utf-8")


def test_with_no_source_a_briefing_of_another_name_here_is_named(cli, tmp_path):
    """Briefing.YML is ./briefing.yaml to no one on Linux (to Windows and macOS, with .yaml,
    it is): the bundled sample is used, as said, and the user's own file named."""
    (tmp_path / "Briefing.YML").write_text(
        "title: 本地\nevents: [{start: 1950, title: 事件}]\n", encoding="utf-8"
    )
    status, _, err = cli("fonts", cwd=tmp_path)
    assert status == 0
    assert err.startswith(
        "briefgen: no SOURCE given and no ./briefing.yaml here, listing the fonts of the "
        "bundled sample (russia-north-korea.yaml)\n"
        "    hint: to use yours, give it as SOURCE: Briefing.YML\n"
    )
    status, _, err = cli("watch", cwd=tmp_path)
    assert status == 2
    assert err.endswith(
        "briefing.yaml is not a file; give the briefing to watch (briefgen new makes one)\n"
        "    hint: to use yours, give it as SOURCE: Briefing.YML\n"
    )


def test_user_templates_come_first_and_can_extend_the_builtin_ones(cli, write_briefing, tmp_path):
    write_briefing("title: 本地\nsummary: 摘要文字\nevents: [{start: 1950, title: 事件}]\n")
    mine = tmp_path / "mine" / "partials"
    mine.mkdir(parents=True)
    (mine / "summary.html").write_text(
        '<div class="house-style">{% include "!builtin/partials/summary.html" %}</div>\n',
        encoding="utf-8",
    )
    status, _, err = cli("build", "-f", "html", "--templates", "mine", cwd=tmp_path)
    assert status == 0, err
    html = (tmp_path / "out" / "briefing.html").read_text(encoding="utf-8")
    assert '<div class="house-style"><section class="summary"' in html
    assert "摘要文字" in html


def test_a_broken_user_template_is_named_with_its_line(cli, write_briefing, tmp_path):
    write_briefing("title: 本地\nevents: [{start: 1950, title: 事件}]\n")
    (tmp_path / "mine" / "partials").mkdir(parents=True)
    (tmp_path / "mine" / "partials" / "cover.html").write_text(
        "<header>\n{% if briefing.title %}\n</header>\n", encoding="utf-8"
    )
    status, _, err = cli("build", "-f", "html", "--templates", "mine", cwd=tmp_path)
    assert status == 1
    assert err.splitlines()[-2].startswith(
        "mine/partials/cover.html:3: template error: Unexpected end of template"
    )
    assert err.splitlines()[-1].startswith("    hint: remove the file to use briefgen's own")
    assert not (tmp_path / "out").exists()


# -- the real entry point, as a user runs it -------------------------------------------------


def test_entry_point_reports_bad_input_with_status_1():
    result = run_cli("check", "/nonexistent/briefing.yaml")
    assert result.returncode == 1
    assert "/nonexistent/briefing.yaml: cannot read the file: No such file or directory\n" in (
        result.stderr
    )
    assert result.stderr.endswith("\n1 problem found\n")


def test_a_reader_that_stops_early_is_no_error():
    """`briefgen schema | head -1`: the pipe closes before briefgen writes; it stops quietly
    with SIGPIPE's status, as other command-line tools do, and no internal error."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "schema"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()  # before the interpreter has even imported briefgen
    _, stderr = process.communicate(timeout=60)
    assert (process.returncode, stderr) == (141, b"")


@pytest.mark.slow
def test_build_without_source_uses_bundled_sample(tmp_path):
    result = run_cli("build", "--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "building the bundled sample (russia-north-korea.yaml)" in result.stderr
    assert result.stdout == "out/russia-north-korea.html\n"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["russia-north-korea.html"]


@pytest.mark.slow
def test_python_dash_m_builds_all_formats(tmp_path):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    result = run_cli("build", briefgen.sample_path(), "--format", "all", "-o", tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "russia-north-korea.epub",
        "russia-north-korea.html",
        "russia-north-korea.pdf",
    ]
    assert result.stderr == ""


SCRAPED = """
    title: 報告(AP)
    summary: |
      據美聯社(AP)報導,兩國
      宣布"全面合作".
    events: [{start: 1950, title: e}]
"""


def test_check_lists_what_the_typography_rules_would_change(cli, write_briefing, tmp_path):
    write_briefing(SCRAPED)
    status, out, err = cli("check", "briefing.yaml", cwd=tmp_path)
    assert (status, err) == (0, "")
    assert out == (
        "briefing.yaml:1:10: title: punctuation-width: 告(A → 告（A\n"
        "briefing.yaml:1:13: title: punctuation-width: P) → P）\n"
        "briefing.yaml:3:7: summary: punctuation-width: 社(A → 社（A\n"
        "briefing.yaml:3:10: summary: punctuation-width: P)報 → P）報\n"
        "briefing.yaml:3:13: summary: punctuation-width: 導,兩 → 導，兩\n"
        "briefing.yaml:3:16: summary: segment-breaks: 國\\n宣 → 國宣\n"
        'briefing.yaml:4:5: summary: quotes: 布"全 → 布「全\n'
        'briefing.yaml:4:10: summary: quotes, punctuation-width: 作". → 作」。\n'
        "briefing.yaml: ok: 1 event, 0 people, 0 sources; 8 typography changes\n"
    )


def test_check_strict_fails_on_changes_and_warnings(cli, write_briefing, tmp_path):
    write_briefing(SCRAPED)
    status, out, err = cli(
        "check",
        "briefing.yaml",
        "--strict",
        "--no-rule",
        "quotes",
        "--no-rule",
        "punctuation-width",
        cwd=tmp_path,
    )
    assert status == 1
    assert out.splitlines()[0] == "briefing.yaml:3:16: summary: segment-breaks: 國\\n宣 → 國宣"
    # Not "ok" when --strict refuses it.
    assert out.splitlines()[-1].startswith("briefing.yaml: not ok: 1 event")
    assert err == (
        "briefgen: --strict: 0 warnings, 1 typography change; mend the source "
        "(or leave out --strict)\n"
    )
    write_briefing('title: "私用\ue000"\nevents: [{start: 1950, title: e}]\n')
    status, _, err = cli("check", "briefing.yaml", "--strict", cwd=tmp_path)
    assert status == 1
    assert err.endswith(
        "briefgen: --strict: 1 warning, 0 typography changes; mend the source "
        "(or leave out --strict)\n"
    )
    status, out, _ = cli("check", briefgen.sample_path(), "--strict")
    assert status == 0 and ": ok: " in out


def test_build_strict_writes_nothing_on_changes_or_warnings(cli, write_briefing, tmp_path):
    write_briefing(SCRAPED)
    status, _, err = cli(
        "build", "briefing.yaml", "-f", "html", "--strict", "--no-rule", "quotes", cwd=tmp_path
    )
    assert status == 1
    lines = err.splitlines()
    assert lines[0] == "briefing.yaml: strict: 6 typography changes to make; nothing was written"
    assert "briefing.yaml:3:16: summary: segment-breaks: 國\\n宣 → 國宣" in lines
    assert "`briefgen check --fix SOURCE`" in lines[-1]
    assert lines[-1].endswith("; or build without --strict")
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()
    # A warning (a character the fonts lack) fails it too; the rules' own fixes do not.
    write_briefing('title: "私用\ue000"\nevents: [{start: 1950, title: e}]\n')
    status, _, err = cli("build", "briefing.yaml", "-f", "html", "--strict", cwd=tmp_path)
    assert status == 1
    assert "briefing.yaml: strict: 1 warning; nothing was written" in err
    assert not (tmp_path / "out").exists()
    assert cli("build", "-f", "html", cwd=tmp_path)[0] == 0
    status, out, _ = cli("build", briefgen.sample_path(), "-f", "html", "--strict", cwd=tmp_path)
    assert (status, out) == (0, "out/russia-north-korea.html\n")


#: A briefing told by theme on purpose, with a meeting still to come: the warnings' own hints
#: allow both.
THEMATIC = """
    title: 主題
    date: 2023-09-13
    events:
      - {start: 2019-04-25, title: 海參崴會談}
      - {start: 1961-07-06, title: 友好條約}
      - {start: 2030, title: 預定會談}
"""


def test_strict_passes_warnings_kept_knowingly_by_their_rules_names(cli, write_briefing, tmp_path):
    """A briefing ordered by theme could never pass --strict: the order warning (whose hint
    says to leave it) could not be switched off. Each warning a writer may keep is named by
    its rule, which --no-rule switches off as it does a typography rule."""
    write_briefing(THEMATIC)
    status, _, err = cli("check", "--strict", "briefing.yaml", cwd=tmp_path)
    assert status == 1
    assert "briefing.yaml:5:13: events[1].start: event-order: starts 1961-07-06, before" in err
    assert "briefing.yaml:6:13: events[2].start: future-event: starts 2030, after" in err
    assert "--strict: 2 warnings" in err
    status, _, err = cli(
        "check", "--strict", "--no-rule", "event-order", "briefing.yaml", cwd=tmp_path
    )
    assert status == 1
    assert "event-order" not in err and "--strict: 1 warning," in err
    switched = ("--no-rule", "event-order", "--no-rule", "future-event")
    status, out, err = cli("check", "--strict", *switched, "briefing.yaml", cwd=tmp_path)
    assert (status, err) == (0, "")
    assert "briefing.yaml: ok: 3 events" in out
    # build the same: refused, then written.
    status, _, err = cli("build", "-f", "html", "--strict", "briefing.yaml", cwd=tmp_path)
    assert status == 1 and "strict: 2 warnings; nothing was written" in err
    status, out, err = cli(
        "build", "-f", "html", "--strict", *switched, "briefing.yaml", cwd=tmp_path
    )
    assert (status, out, err) == (0, "out/briefing.html\n", "")
    # A misspelt name is still refused as bad usage.
    status, _, err = cli("check", "--no-rule", "event-ordr", "briefing.yaml", cwd=tmp_path)
    assert status == 2 and "invalid choice: 'event-ordr'" in err
    # The exit status of the command itself, and a folder's briefgen.toml switching it off.
    assert run_cli("check", "--strict", *switched, "briefing.yaml", cwd=tmp_path).returncode == 0
    (tmp_path / "briefgen.toml").write_text('no-rule = ["event-order", "future-event"]\n')
    assert run_cli("check", "--strict", "briefing.yaml", cwd=tmp_path).returncode == 0


def test_strict_counts_the_warnings_of_a_briefing_read_for_its_edition(
    cli, write_briefing, tmp_path
):
    """The command line reads a briefing before the build for its edition (and its fonts or
    own templates), and the build counted only the warnings of its own reading: under
    --strict, a briefing out of date order was written as a Simplified edition."""
    write_briefing(THEMATIC)
    status, _, err = cli(
        "build", "-f", "html", "--strict", "--script", "hans", "briefing.yaml", cwd=tmp_path
    )
    assert status == 1
    assert "event-order" in err and "strict: 2 warnings; nothing was written" in err
    assert not (tmp_path / "out").exists()
    switched = ("--no-rule", "event-order", "--no-rule", "future-event")
    status, out, _ = cli(
        "build",
        "-f",
        "html",
        "--strict",
        "--script",
        "hans",
        *switched,
        "briefing.yaml",
        cwd=tmp_path,
    )
    assert (status, out) == (0, "out/briefing.zh-Hans.html\n")


def test_build_applies_the_rules_and_no_rule_switches_one_off(cli, write_briefing, tmp_path):
    write_briefing(SCRAPED)
    assert cli("build", "-f", "html", "-o", "on", cwd=tmp_path)[0] == 0
    assert (
        cli("build", "-f", "html", "-o", "off", "--no-rule", "punctuation-width", cwd=tmp_path)[0]
        == 0
    )
    on = (tmp_path / "on" / "briefing.html").read_text(encoding="utf-8")
    off = (tmp_path / "off" / "briefing.html").read_text(encoding="utf-8")
    assert "據美聯社（AP）報導，兩國宣布「全面合作」。" in on
    assert "據美聯社(AP)報導,兩國宣布「全面合作」." in off
    assert cli("build", "--no-rule", "kerning", cwd=tmp_path)[0] == 2


def test_keep_html_writes_the_document_weasyprint_lays_out(cli, write_briefing, tmp_path):
    import re
    from urllib.parse import unquote, urlsplit

    write_briefing("title: 本地\nevents: [{start: 1950, title: 事件}]\n")
    status, out, _ = cli("build", "--keep-html", "--format", "html", cwd=tmp_path)
    assert (status, out) == (0, "out/briefing.html\nout/briefing.print.html\n")
    html = (tmp_path / "out" / "briefing.print.html").read_text(encoding="utf-8")
    assert "@page" in html and "本地" in html
    fonts = re.findall(r'url\("(file://[^"]+)"\)', html)
    assert len(fonts) == 2
    assert all(Path(unquote(urlsplit(url).path)).is_file() for url in fonts)


def test_verbose_reports_the_font_bytes(cli, write_briefing, tmp_path):
    write_briefing("title: 字型\nevents: [{start: 1950, title: 事件}]\n")
    status, _, err = cli("build", "-f", "epub", "--verbose", cwd=tmp_path)
    assert status == 0
    pattern = re.compile(r"briefgen: EPUB font (\S+): \d+ characters, \d+ bytes")
    found = [match.group(1) for line in err.splitlines() if (match := pattern.fullmatch(line))]
    assert found == ["NotoSerifCJKtc-Regular.otf", "NotoSansCJKtc-Bold.otf"]
    status, _, err = cli("build", "-f", "epub", cwd=tmp_path)
    assert "EPUB font" not in err


def test_a_change_two_rules_make_is_listed_once(cli, write_briefing, tmp_path):
    write_briefing("title: t\nsummary: 他說。 然後離開\nevents: [{start: 1950, title: e}]\n")
    status, out, _ = cli("check", "briefing.yaml", cwd=tmp_path)
    assert (status, out) == (
        0,
        "briefing.yaml:2:13: summary: punctuation-width, segment-breaks: 。 然 → 。然\n"
        "briefing.yaml: ok: 1 event, 0 people, 0 sources; 1 typography change\n",
    )


def test_changes_close_together_are_each_listed_where_they_are(cli, write_briefing, tmp_path):
    # A body whose ending repeats its start: a comparison that took the far agreement of
    # the two "--" for the near one listed two garbled changes instead of these three.
    write_briefing('title: t\nevents:\n  - start: 1950\n    title: e\n    body: "--文?。 “--"\n')
    status, out, _ = cli("check", "briefing.yaml", cwd=tmp_path)
    assert (status, out) == (
        0,
        "briefing.yaml:5:12: events[0].body: unbreakables: --文 → ——文\n"
        "briefing.yaml:5:15: events[0].body: punctuation-width: 文?。 → 文？。\n"
        "briefing.yaml:5:17: events[0].body: segment-breaks: 。 “ → 。“\n"
        "briefing.yaml: ok: 1 event, 0 people, 0 sources; 3 typography changes\n",
    )


def test_new_and_templates_export_name_what_they_cannot_write(cli, tmp_path):
    (tmp_path / "afile").write_text("")
    status, out, err = cli("new", tmp_path / "afile")
    assert (status, out) == (2, "")
    assert err.endswith(
        f"error: {tmp_path / 'afile'} is a file; give a folder for the new briefing\n"
    )
    # A folder under a file is refused as the file is, as bad usage, not told by the
    # system's words alone as if briefgen had failed to write it.
    for under in (tmp_path / "afile" / "sub", tmp_path / "afile" / "sub" / "new.yaml"):
        status, out, err = cli("new", under)
        assert (status, out) == (2, "")
        assert err.startswith("usage: briefgen new ")
        assert err.endswith(
            f"briefgen new: error: {tmp_path / 'afile'} is a file, not a folder to make "
            f"{tmp_path / 'afile' / 'sub'} in; give a folder for the new briefing\n"
        )
    assert not (tmp_path / "afile" / "sub").exists()
    status, out, err = cli("templates", "export", tmp_path / "afile" / "t")
    assert (status, out) == (2, "")
    assert err.endswith(
        f"briefgen templates export: error: {tmp_path / 'afile'} is a file, not a folder to "
        f"make {tmp_path / 'afile' / 't'} in; give a folder to copy the templates into\n"
    )


def test_a_file_that_cannot_be_written_is_named_without_a_traceback(cli, tmp_path, monkeypatch):
    """Where no command says more, the system's words and the file's name are the message."""
    import briefgen.fix

    def refuse(path):
        raise PermissionError(13, "Permission denied", str(tmp_path / "briefing.yaml.bak"))

    monkeypatch.setattr(briefgen.fix, "backup_path", refuse)
    (tmp_path / "briefing.yaml").write_text("title: 報告(AP)\nevents: [{start: 1950, title: t}]\n")
    status, _, err = cli("check", "--fix", tmp_path / "briefing.yaml")
    assert (status, err) == (1, f"briefgen: {tmp_path / 'briefing.yaml.bak'}: Permission denied\n")


def test_a_handout_is_named_for_its_form_beside_the_pdf(cli, write_briefing, tmp_path):
    write_briefing("title: 講義\nevents: [{start: 1950, title: 事件}]\n")
    assert cli("build", "briefing.yaml", "--handout", "2up", cwd=tmp_path)[:2] == (
        0,
        "out/briefing.2up.pdf\n",
    )
    assert cli("build", "briefing.yaml", cwd=tmp_path)[:2] == (0, "out/briefing.pdf\n")
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "briefing.2up.pdf",
        "briefing.pdf",
    ]


@pytest.mark.parametrize("command", ["build", "watch"])
def test_an_output_folder_named_as_a_pdf_is_refused(
    cli, write_briefing, tmp_path, monkeypatch, command
):
    """`-o report.pdf`, as Pandoc and Typst take it, made a folder report.pdf with
    briefing.pdf in it. A folder of that name that is there already is taken."""
    monkeypatch.setattr("briefgen.watch.watch", lambda *args, **kwargs: None)  # no server
    write_briefing("title: t\nevents: [{start: 1950, title: e}]\n")
    status, out, err = cli(command, "briefing.yaml", "-o", "report.pdf", cwd=tmp_path)
    assert (status, out) == (2, "")
    assert err.endswith(
        f"briefgen {command}: error: argument -o/--outdir: expected a folder for the outputs, "
        'found "report.pdf", a file\'s name\n'
        "    hint: give a folder, as -o out: each output is named there after its source "
        "(briefing.yaml → briefing.pdf)\n"
    )
    assert not (tmp_path / "report.pdf").exists()
    (tmp_path / "report.pdf").mkdir()
    status, out, _ = cli("build", "briefing.yaml", "-f", "html", "-o", "report.pdf")
    assert (status, out) == (0, "report.pdf/briefing.html\n")


def test_an_output_folder_that_is_a_file_is_said_to_be_one(cli, write_briefing, tmp_path):
    """Said after the command's name, as its other errors of no briefing are: it came bare,
    `-o ofile/sub` too, for a single build and a batch alike."""
    write_briefing("title: t\nevents: [{start: 1950, title: e}]\n")
    (tmp_path / "ofile").write_text("")
    status, out, err = cli("build", "briefing.yaml", "-f", "html", "-o", "ofile", cwd=tmp_path)
    told = "briefgen: cannot create the output folder ofile"
    assert (status, out, err) == (1, "", f"{told}: it is a file\n")
    for sources in (["briefing.yaml"], ["briefing.yaml", "briefing.yaml"], ["."]):
        status, out, err = cli("build", *sources, "-f", "html", "-o", "ofile/sub", cwd=tmp_path)
        assert (status, out, err) == (1, "", f"{told}/sub: ofile is a file\n")


def test_watch_refuses_an_output_folder_that_is_a_file_before_it_serves(
    cli, write_briefing, tmp_path, monkeypatch
):
    """watch served the preview and failed every rebuild, its banner over the page asking
    for a save of a briefing with nothing wrong in it."""
    served = []
    monkeypatch.setattr("briefgen.watch.watch", lambda *args, **kwargs: served.append(args))
    write_briefing("title: t\nevents: [{start: 1950, title: e}]\n")
    (tmp_path / "ofile").write_text("")
    for outdir, what in (("ofile", "it is a file"), ("ofile/sub", "ofile is a file")):
        status, out, err = cli("watch", "briefing.yaml", "-o", outdir, cwd=tmp_path)
        assert (status, out) == (1, "")
        assert err == f"briefgen: cannot create the output folder {outdir}: {what}\n"
    assert served == []
