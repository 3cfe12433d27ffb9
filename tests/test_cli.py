"""The command line, run as a user runs it: in a subprocess, reading exit status and output."""

from __future__ import annotations

import pytest

import briefgen

from conftest import run_cli

BAD = """
    title: t
    events:
      - start: 1950/06
        title: e
"""


def test_version_and_help():
    version = run_cli("--version")
    assert (version.returncode, version.stdout.strip()) == (0, f"briefgen {briefgen.__version__}")
    help_text = run_cli("--help")
    assert help_text.returncode == 0
    assert "build" in help_text.stdout and "check" in help_text.stdout


def test_bad_usage_exits_2():
    assert run_cli().returncode == 2
    result = run_cli("build", "--format", "docx")
    assert result.returncode == 2
    assert "invalid choice: 'docx'" in result.stderr


def test_check_reports_and_writes_nothing(write_briefing, tmp_path):
    path = write_briefing(BAD)
    result = run_cli("check", path, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "briefing.yaml:3:12: events[0].start: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, "
        'found "1950/06"\n    hint: for example 1950, 1950-06 or 1950-06-25\n1 problem found\n')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.yaml"]


def test_check_ok(sample):
    result = run_cli("check", briefgen.sample_path())
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(": ok: 13 events, 9 people, 2 sources\n")


def test_bad_file_builds_nothing_and_shows_no_traceback(write_briefing, tmp_path):
    path = write_briefing(BAD)
    result = run_cli("build", path, "--format", "all", "-o", tmp_path / "out")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_debug_shows_the_traceback(write_briefing):
    result = run_cli("check", write_briefing(BAD), "--debug")
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "BriefingError" in result.stderr


def test_missing_file(tmp_path):
    result = run_cli("check", tmp_path / "nope.yaml")
    assert result.returncode == 1
    assert "nope.yaml: cannot read the file: No such file or directory" in result.stderr


@pytest.mark.slow
def test_build_without_source_uses_bundled_sample(tmp_path):
    result = run_cli("build", "--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "building the bundled sample (russia-north-korea.yaml)" in result.stderr
    assert result.stdout == "out/russia-north-korea.html\n"
    assert (tmp_path / "out" / "russia-north-korea.html").stat().st_size > 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["russia-north-korea.html"]


@pytest.mark.slow
def test_build_prefers_local_briefing_yaml(tmp_path):
    (tmp_path / "briefing.yaml").write_text("title: 本地\nevents: [{start: 1950, title: 事件}]\n",
                                            encoding="utf-8")
    result = run_cli("build", "-f", "html", "-f", "pdf", "-o", "dist", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "using ./briefing.yaml" in result.stderr
    assert result.stdout.split() == ["dist/briefing.html", "dist/briefing.pdf"]


@pytest.mark.slow
def test_python_dash_m_builds_all_formats(tmp_path):
    result = run_cli("build", briefgen.sample_path(), "--format", "all", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "russia-north-korea.epub", "russia-north-korea.html", "russia-north-korea.pdf"]
    assert result.stderr == ""


def test_check_warns_about_characters_the_fonts_lack(write_briefing, tmp_path):
    write_briefing('title: 測試\nevents:\n  - {start: 1950, title: "私用\ue000"}\n')
    result = run_cli("check", "briefing.yaml", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.startswith(
        'warning: briefing.yaml:3:29: events[0].title: character "\ue000" (U+E000 unnamed '
        "character) is not in briefgen's fonts; it would print as an empty box\n")
