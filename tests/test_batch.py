"""Many briefings in one call: `build a.yaml b.yaml …`, `build DIR`, `--jobs N`."""

from __future__ import annotations

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "bench"))
import generate

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}


def briefings(folder: Path, count: int, events: int = 3) -> list[Path]:
    return [generate.write(events, folder / f"b{index}.yaml", seed=index) for index in range(count)]


def outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_build_dir_builds_each_yaml_file_in_it_and_nothing_else(tmp_path):
    folder = tmp_path / "briefings"
    briefings(folder, 2)
    (folder / "notes.txt").write_text("not a briefing", encoding="utf-8")
    generate.write(3, folder / "drafts" / "draft.yaml")
    (folder / "b2.yml").write_text((folder / "b0.yaml").read_text("utf-8"), encoding="utf-8")

    result = run_cli("build", folder, "-f", "html", "-o", tmp_path / "out", env=ENV)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress line when stderr is not a terminal
    assert sorted(os.listdir(tmp_path / "out")) == ["b0.html", "b1.html", "b2.html"]
    assert result.stdout.split() == [str(tmp_path / "out" / f"b{i}.html") for i in range(3)]


def test_build_dir_leaves_hidden_yaml_files_alone(tmp_path):
    """A repository's own configuration (.gitlab-ci.yml, .pre-commit-config.yaml) is no
    briefing: `*.yaml` in a shell leaves hidden files out, and so does `build DIR`."""
    folder = tmp_path / "briefings"
    briefings(folder, 1)
    (folder / ".gitlab-ci.yml").write_text("build:\n  script: [briefgen build .]\n")
    (folder / ".pre-commit-config.yaml").write_text("repos: []\n")

    result = run_cli("build", folder, "-f", "html", "-o", tmp_path / "out", env=ENV)

    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(tmp_path / "out")) == ["b0.html"]


def test_build_dir_takes_briefings_whose_suffix_is_in_upper_case(tmp_path):
    """A file saved on Windows or macOS may end in .YAML; `build X.YAML` reads it, and so
    does `build DIR` and `check DIR`'s hint, rather than finding no briefing there."""
    folder = tmp_path / "briefings"
    generate.write(3, folder / "X.YAML")
    generate.write(3, folder / "y.Yml")

    result = run_cli("build", folder, "-f", "html", "-o", tmp_path / "out", env=ENV)

    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(tmp_path / "out")) == ["X.html", "y.html"]
    checked = run_cli("check", folder)
    assert checked.returncode == 1
    assert f"give a briefing in it, such as {folder / 'X.YAML'}" in checked.stderr


def test_jobs_write_the_same_files_as_separate_builds(tmp_path):
    sources = briefings(tmp_path / "in", 3)
    for source in sources:
        alone = run_cli(
            "build", source, "-f", "html", "-f", "epub", "-o", tmp_path / "serial", env=ENV
        )
        assert alone.returncode == 0, alone.stderr

    batch = run_cli(
        "build", *sources, "-f", "html", "-f", "epub", "--jobs", "2", "-o", tmp_path / "jobs",
        env=ENV,
    )  # fmt: skip

    assert batch.returncode == 0, batch.stderr
    assert len(outputs(tmp_path / "jobs")) == 6
    assert outputs(tmp_path / "jobs") == outputs(tmp_path / "serial")


@pytest.mark.slow
def test_jobs_write_the_same_pdfs_as_separate_builds(tmp_path):
    sources = briefings(tmp_path / "in", 2)
    for source in sources:
        assert run_cli("build", source, "-o", tmp_path / "serial", env=ENV).returncode == 0
    batch = run_cli("build", *sources, "--jobs", "2", "-o", tmp_path / "jobs", env=ENV)
    assert batch.returncode == 0, batch.stderr
    assert outputs(tmp_path / "jobs") == outputs(tmp_path / "serial")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failing_briefing_is_named_and_the_others_are_built(tmp_path, jobs):
    folder = tmp_path / "in"
    briefings(folder, 2)
    (folder / "broken.yaml").write_text(
        "title: 壞掉的簡報\nevents:\n  - start: 1950/06\n    title: 事件\n", encoding="utf-8"
    )

    result = run_cli("build", folder, "-f", "html", "--jobs", jobs, "-o", tmp_path / "out")

    assert result.returncode == 1
    assert "broken.yaml:3:12: events[0].start: expected a date" in result.stderr
    assert "1 of 3 briefings failed: " in result.stderr and "broken.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(os.listdir(tmp_path / "out")) == ["b0.html", "b1.html"]


def test_two_briefings_with_one_name_are_refused_before_any_work(tmp_path):
    first = generate.write(2, tmp_path / "a" / "same.yaml")
    second = generate.write(2, tmp_path / "b" / "same.yaml")

    result = run_cli("build", first, second, "-f", "html", "-o", tmp_path / "out")

    assert result.returncode == 2
    assert "would both write same.*; build them into different folders (-o)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_two_briefings_whose_names_differ_by_case_alone_are_refused(tmp_path):
    """a.pdf and A.pdf are one file on macOS and Windows (and in a folder copied there):
    the second would overwrite the first."""
    folder = tmp_path / "briefings"
    generate.write(2, folder / "a.yaml")
    generate.write(2, folder / "A.yaml")

    result = run_cli("build", folder, "-f", "html", "-o", tmp_path / "out")

    assert result.returncode == 2
    assert "would both write A.* and a.*, one file where case is ignored" in result.stderr
    assert not (tmp_path / "out").exists()


def test_one_file_named_twice_is_built_once(tmp_path):
    """The same briefing by two names (its relative and its absolute path, or named and
    in a folder named too) is one briefing: it no longer clashed with itself."""
    from briefgen.pipeline import briefing_files

    first = generate.write(2, tmp_path / "a.yaml")
    second = generate.write(2, tmp_path / "b.yaml")
    again = tmp_path / "." / "a.yaml"
    assert briefing_files([first, second, again, tmp_path]) == [first, second]
    result = run_cli("build", "a.yaml", first, "-f", "html", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(tmp_path / "out")) == ["a.html"]


def test_a_folders_link_to_a_briefing_elsewhere_is_refused_before_any_work(tmp_path):
    """`build DIR` followed a link in the folder to a file outside it: a contributor's
    folder holding `b.yaml -> ../other/embargoed.yaml` had another's briefing built into
    the outputs, and a link to any YAML file had its lines quoted in the errors."""
    folder = tmp_path / "alice"
    generate.write(2, folder / "own.yaml")
    elsewhere = generate.write(2, tmp_path / "bob" / "embargoed.yaml")
    (folder / "b.yaml").symlink_to(elsewhere)
    generate.write(2, folder / "drafts" / "draft.yaml")
    (folder / "draft.yaml").symlink_to(folder / "drafts" / "draft.yaml")  # inside: fine

    result = run_cli("build", folder, "-f", "html", "-o", tmp_path / "out")

    assert result.returncode == 2
    assert (
        f"{folder / 'b.yaml'} is a link to {elsewhere}, outside the folder {folder}"
        in result.stderr
    )
    assert not (tmp_path / "out").exists()
    (folder / "b.yaml").unlink()
    assert run_cli("build", folder, "-f", "html", "-o", tmp_path / "out").returncode == 0
    assert sorted(os.listdir(tmp_path / "out")) == ["draft.html", "own.html"]


def test_a_briefing_named_that_is_a_link_out_of_its_folder_is_refused(tmp_path):
    """The same link named as SOURCE (a build server's `build incoming/alice/b.yaml`) was
    followed: another's briefing was built, and a service's settings had their lines
    quoted in the errors. A link inside the folder is still built."""
    folder = tmp_path / "alice"
    elsewhere = generate.write(2, tmp_path / "bob" / "embargoed.yaml")
    settings = tmp_path / "service" / "settings.yaml"
    settings.parent.mkdir()
    settings.write_text("password: hunter2\n", encoding="utf-8")
    generate.write(2, folder / "drafts" / "draft.yaml")
    (folder / "b.yaml").symlink_to(elsewhere)
    (folder / "settings.yaml").symlink_to(settings)
    (folder / "draft.yaml").symlink_to(folder / "drafts" / "draft.yaml")

    result = run_cli("build", "alice/b.yaml", "-f", "html", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert f"alice/b.yaml: is a link to {elsewhere}, outside its folder {folder}" in result.stderr
    assert "to build that file, name it: bob/embargoed.yaml" in result.stderr
    assert not (tmp_path / "out").exists()
    result = run_cli("check", "alice/settings.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "is a link to" in result.stderr and "hunter2" not in result.stdout + result.stderr
    result = run_cli("build", "alice/draft.yaml", "-f", "html", "-o", "out", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "out/draft.html\n"), result.stderr


def test_a_folder_without_briefings_is_bad_usage(tmp_path):
    (tmp_path / "empty").mkdir()
    result = run_cli("build", tmp_path / "empty", "-f", "html", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "no briefing (*.yaml or *.yml) in the folder" in result.stderr


def test_jobs_below_one_is_bad_usage(tmp_path):
    source = generate.write(2, tmp_path / "a.yaml")
    result = run_cli("build", source, "--jobs", "0", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "--jobs must be at least 1" in result.stderr


@pytest.mark.parametrize("to_group", [True, False], ids=["terminal", "command-alone"])
def test_ctrl_c_stops_a_batch_without_building_the_briefings_not_begun(tmp_path, to_group):
    """Ctrl-C once the first briefing is written, as a terminal sends it (to the command
    and its workers) or to the command alone: those still waiting for a worker are not
    built (every one of them was, before the command stopped)."""
    folder = tmp_path / "briefings"
    briefings(folder, 40, events=13)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "briefgen", "build", folder, "-f", "html", "-j", "2"]
    process = subprocess.Popen(
        [*map(str, command), "-o", str(out)],
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        start_new_session=True,
        # As a shell starts it: Ctrl-C raises KeyboardInterrupt (a test runner's worker may
        # have SIGINT ignored, which a child would inherit).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    while process.poll() is None and not (out.is_dir() and any(out.glob("*.html"))):
        time.sleep(0.01)
    if to_group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=300)
    assert (process.returncode, err) == (130, "interrupted\n")
    assert len(list(out.glob("*.html"))) <= 10
    assert not list(out.glob(".*.tmp"))  # nothing half-written


def test_on_a_terminal_a_warning_does_not_run_on_from_the_progress_line(tmp_path):
    """The line that counts the briefings is cleared before a warning, which the worker
    building the next briefing prints: it read `[1/2] built a.yamlwarning: b.yaml:…`."""
    import pty

    folder = tmp_path / "briefings"
    generate.write(2, folder / "a.yaml")
    (folder / "b.yaml").write_text(
        'title: t\nevents: [{start: 1950, title: "e\ue000"}]\n', encoding="utf-8"
    )
    controller, terminal = pty.openpty()
    command = [sys.executable, "-m", "briefgen", "build", folder, "-f", "html"]
    with subprocess.Popen(
        [*map(str, command), "-o", str(tmp_path / "out")], stderr=terminal, env=ENV
    ) as process:
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal's other end is closed: the command has ended
                break
            if not chunk:
                break
            shown += chunk
    os.close(controller)
    assert process.returncode == 0
    text = shown.decode("utf-8")
    assert "[1/2] built " in text and "warning: " in text
    for start in (index for index in range(len(text)) if text.startswith("warning: ", index)):
        assert text[:start].endswith(("\n", "\x1b[K")), text


SCRIPT_WITH_A_THREAD = """
import sys, threading
import briefgen
from briefgen.builders import pdf

def hold(taken, done):
    # Another thread of the program, inside briefgen (a build of its own) at the moment
    # the batch starts its workers: it holds a lock each PDF build takes.
    with pdf._heard_lock:
        taken.set()
        done.wait()

if __name__ == "__main__":
    taken, done = threading.Event(), threading.Event()
    thread = threading.Thread(target=hold, args=(taken, done))
    thread.start()
    taken.wait()
    outcomes = briefgen.build_many(sys.argv[2:], "pdf", sys.argv[1], jobs=2)
    done.set()
    thread.join()
    print([outcome.error for outcome in outcomes])
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the workers are spawned anyway")
def test_jobs_with_another_thread_running_do_not_hang(tmp_path):
    """A program with threads (a web application's) called build_many(jobs=2): its workers
    were forked holding the locks the other threads held then, for ever, and the batch
    hung in the first one a PDF build takes."""
    script = tmp_path / "pipeline.py"
    script.write_text(SCRIPT_WITH_A_THREAD, encoding="utf-8")
    sources = briefings(tmp_path / "briefings", 2)
    program = subprocess.Popen(
        [sys.executable, script, tmp_path / "out", *sources],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**ENV, "PYTHONPATH": str(REPO / "src")},
        start_new_session=True,  # its hung workers, if any, are ended with it
    )
    try:
        stdout, stderr = program.communicate(timeout=120)
    finally:
        if program.poll() is None:
            os.killpg(program.pid, signal.SIGKILL)
            program.wait()
    assert program.returncode == 0, stderr
    assert stdout == "[None, None]\n"
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["b0.pdf", "b1.pdf"]


def test_build_many_takes_one_path_alone_as_one_briefing(tmp_path):
    # A string is iterable: build_many("b0.yaml") built "b", "0", ".", "y"…, a failure each.
    import briefgen

    [source] = briefings(tmp_path / "in", 1)
    for given in (str(source), source):
        [outcome] = briefgen.build_many(given, "html", tmp_path / "out")
        assert (outcome.source, outcome.error) == (source, None)
        assert outcome.paths == (tmp_path / "out" / "b0.html",)
    with pytest.raises(TypeError, match="sources must be a briefing file's path or a list"):
        briefgen.build_many(None, "html", tmp_path / "out")  # type: ignore[arg-type]


def test_build_many_refuses_two_briefings_of_one_name_before_building_either(tmp_path):
    # a/x.yaml and b/x.yaml both write x.html: the second replaced the first, and both
    # outcomes said they were built. The command line refused them; the library now does.
    import briefgen

    first = generate.write(3, tmp_path / "a" / "x.yaml", seed=0)
    second = generate.write(3, tmp_path / "b" / "x.yaml", seed=1)
    # Told as a library call is made: it has no -o flag, but an outdir.
    with pytest.raises(briefgen.UsageError) as refused:
        briefgen.build_many([first, second], "html", tmp_path / "out")
    assert str(refused.value).endswith(
        "would both write x.*; build them in two calls, each with an outdir of its own"
    )
    assert not (tmp_path / "out").exists()
    # A folder stands for its briefings, and one file named twice is built once.
    outcomes = briefgen.build_many([tmp_path / "a", first], "html", tmp_path / "out")
    assert [(outcome.source, outcome.error) for outcome in outcomes] == [(first, None)]


def test_build_many_checks_its_options_and_jobs_before_any_work(tmp_path):
    # options={"paper": "A5"} was every briefing's "internal error: TypeError …" outcome,
    # as if briefgen had a bug; jobs="2" a bare "'<' not supported" from inside.
    import briefgen

    [source] = briefings(tmp_path / "in", 1)
    out = tmp_path / "out"
    with pytest.raises(TypeError, match=r"^options must be a briefgen\.BuildOptions, not dict$"):
        briefgen.build_many([source], "html", out, options={"paper": "A5"})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^jobs must be a whole number \(int\), not str$"):
        briefgen.build_many([source], "html", out, jobs="2")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


def test_build_many_takes_options_by_keyword_as_build_does(tmp_path):
    import pdfplumber

    import briefgen

    [source] = briefings(tmp_path / "in", 1)
    [outcome] = briefgen.build_many([source], "pdf", tmp_path / "out", paper="A5")
    with pdfplumber.open(outcome.paths[0]) as pdf:
        assert round(pdf.pages[0].width) == 420  # 148 mm
    with pytest.raises(TypeError, match="not both"):
        briefgen.build_many(source, options=briefgen.BuildOptions(), paper="A5")


def test_a_strict_batch_names_strict_as_its_caller_gave_it(tmp_path):
    import briefgen

    source = tmp_path / "typo.yaml"
    source.write_text("title: 題\nevents: [{start: 1950, title: '一,二'}]\n", encoding="utf-8")
    [outcome] = briefgen.build_many(source, "html", tmp_path / "out", strict=True)
    assert outcome.error is not None and outcome.error.endswith("or build without strict=True")
    # A strict refusal is the writer's to mend, not an output that could not be made.
    assert outcome.failure == "strict"
    with pytest.raises(briefgen.StrictError):
        briefgen.build(source, "html", tmp_path / "out", strict=True)
    result = run_cli("build", source, source, "-f", "html", "--strict", "-o", tmp_path / "out")
    assert result.returncode == 1
    assert "; or build without --strict\n" in result.stderr


SCRIPT_WITHOUT_A_GUARD = """
import sys, threading
import briefgen

threading.Thread(target=threading.Event().wait, daemon=True).start()
outcomes = briefgen.build_many(sys.argv[2:], "html", sys.argv[1], jobs=2)
print(repr([(outcome.failure, outcome.error) for outcome in outcomes]))
"""


def _run_program(script: Path, out: Path, sources: list[Path]) -> subprocess.CompletedProcess[str]:
    """A program of the caller's (``script``) run on ``sources`` into ``out``, briefgen
    importable from this checkout; it must end well."""
    result = subprocess.run(
        [sys.executable, script, out, *sources],
        capture_output=True,
        text=True,
        env={**ENV, "PYTHONPATH": str(REPO / "src")},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.skipif(not hasattr(os, "fork"), reason="where the system forks by default")
def test_jobs_started_afresh_for_a_program_with_no_main_guard_tell_it(tmp_path):
    """With another thread running, build_many starts its workers afresh, and they import
    the program's main module again: one with no ``if __name__ == "__main__":`` had every
    briefing fail as "terminated abruptly", as if out of memory, with nothing to say why."""
    script = tmp_path / "pipeline.py"
    script.write_text(SCRIPT_WITHOUT_A_GUARD, encoding="utf-8")
    sources = briefings(tmp_path / "briefings", 2)
    result = _run_program(script, tmp_path / "out", sources)
    failures = ast.literal_eval(result.stdout)
    assert len(failures) == 2
    for failure, error in failures:
        assert 'start its work under if __name__ == "__main__":' in error, error
        assert failure == "worker"


SCRIPT_WITH_ITS_LOGGING = """
import logging, sys, threading
import briefgen

if __name__ == "__main__":
    logging.basicConfig(format="program's log: %(name)s: %(message)s", stream=sys.stdout)
    threading.Thread(target=threading.Event().wait, daemon=True).start()
    briefgen.build_many(sys.argv[2:], "html", sys.argv[1], jobs=2)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="where the system forks by default")
def test_jobs_started_afresh_warn_through_the_programs_logging(tmp_path):
    """Workers started afresh (another thread running, or no fork) have none of the
    program's logging: their warnings went to stderr bare, past its handlers and format."""
    script = tmp_path / "pipeline.py"
    script.write_text(SCRIPT_WITH_ITS_LOGGING, encoding="utf-8")
    sources = []
    for index in range(2):
        source = tmp_path / f"b{index}.yaml"
        source.write_text(
            f"title: 簡報{index}\nlang: zh-Hant\nevents:\n  - start: 2020\n"
            "    title: 事\n    body: 經過\ue000。\n",
            encoding="utf-8",
        )
        sources.append(source)
    result = _run_program(script, tmp_path / "out", sources)
    said = [line for line in result.stdout.splitlines() if "U+E000" in line]
    assert len(said) == 2, result.stdout + result.stderr
    assert all(line.startswith("program's log: briefgen: ") for line in said), said
    assert "U+E000" not in result.stderr


SCRIPT_GATHERING_WARNINGS = """
import logging, sys
import briefgen

class Gathered(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.said = []

    def emit(self, record):
        self.said.append(record.getMessage().splitlines()[0])

if __name__ == "__main__":
    gathered = Gathered()
    logging.getLogger("briefgen").addHandler(gathered)
    briefgen.build_many(sys.argv[2:], "html", sys.argv[1], jobs=2)  # no other thread: forked
    print(repr(gathered.said))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="where the system forks by default")
def test_forked_jobs_hand_their_warnings_to_the_programs_handlers(tmp_path):
    """A service that gathers a build's warnings to show its user got none of a batch's
    with jobs=2: the forked workers gave them to their own copies of its handler."""
    script = tmp_path / "pipeline.py"
    script.write_text(SCRIPT_GATHERING_WARNINGS, encoding="utf-8")
    sources = []
    for index in range(2):
        source = tmp_path / f"b{index}.yaml"
        source.write_text(
            f"title: 簡報{index}\nevents: [{{start: 2020, title: 事, body: 經過\ue000。}}]\n",
            encoding="utf-8",
        )
        sources.append(source)
    result = _run_program(script, tmp_path / "out", sources)
    said = sorted(ast.literal_eval(result.stdout))
    assert [line.split(":")[0] for line in said] == [str(source) for source in sources]
    assert all("(U+E000 unnamed character) is not in briefgen's fonts" in line for line in said)
    assert "U+E000" not in result.stderr  # nor said a second time past the program's handler


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_outcome_tells_a_bad_briefing_from_a_failed_build_and_its_problems(tmp_path, jobs):
    """A pipeline sorts its failures without reading the report: a bad briefing goes back
    to its writer with each problem located, a failed build to whoever runs the service."""
    import briefgen

    [good] = briefings(tmp_path / "in", 1)
    bad = tmp_path / "in" / "bad.yaml"
    bad.write_text("title: 題\nevents:\n  - start: 1950/06\n    title: 事\n", encoding="utf-8")
    typo = tmp_path / "in" / "typo.yaml"
    typo.write_text("title: 題\nevents: [{start: 1950, title: '一,二'}]\n", encoding="utf-8")

    outcomes = briefgen.build_many(
        [good, bad, typo], "html", tmp_path / "out", jobs=jobs, strict=True
    )

    built, refused, failed = outcomes
    assert (built.failure, built.problems, built.error) == (None, (), None)
    assert refused.failure == "briefing"
    [problem] = refused.problems
    assert isinstance(problem, briefgen.Problem)
    assert (problem.line, problem.column, problem.field) == (3, 12, "events[0].start")
    assert problem.hint == "write 1950-06"
    assert refused.error is not None and refused.error.endswith("1 problem found")
    assert failed.failure == "strict" and failed.problems == ()  # a strict build's refusal


def test_an_outcome_tells_bad_usage_and_internal_errors(tmp_path, monkeypatch):
    import briefgen
    from briefgen import pipeline

    [source] = briefings(tmp_path / "in", 1)

    def refused(*args: object, **kwargs: object) -> None:
        raise briefgen.UsageError("not with this briefing")

    monkeypatch.setattr(pipeline, "build", refused)
    [outcome] = briefgen.build_many(source, "html", tmp_path / "out")
    assert outcome.failure == "usage" and outcome.problems == ()
    assert outcome.error == "not with this briefing"

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(pipeline, "build", broken)
    [outcome] = briefgen.build_many(source, "html", tmp_path / "out")
    assert outcome.failure == "internal"
    assert outcome.error == f"{source}: internal error: ZeroDivisionError: a bug"


def test_batches_in_two_threads_hold_back_only_their_own_briefings_warnings(caplog):
    """A service's two threads each building a briefing with six warnings: each batch holds
    back the warnings of its own briefing past ten, and said that another's were more of
    its own (… and 2 more: `briefgen check a.yaml`), keeping two of them from the screen."""
    import threading

    from briefgen.errors import HELD, Problem, warn, warnings_capped

    both_warned = threading.Barrier(2, timeout=10)

    def batch(name: str) -> None:
        with warnings_capped(name):
            for index in range(6):
                warn("%s", Problem(name, index + 1, 1, "title", "a character is missing"))
            both_warned.wait()  # the other thread's warnings given meanwhile

    threads = [threading.Thread(target=batch, args=(name,)) for name in ("a.yaml", "b.yaml")]
    with caplog.at_level("WARNING", logger="briefgen"):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
    assert len(caplog.records) == 12
    assert not any(getattr(record, HELD, False) for record in caplog.records)


SCRIPT_WITH_A_POOL = """
import multiprocessing, sys
import briefgen

def share(sources):
    try:
        briefgen.build_many(sources, "html", sys.argv[1], jobs=2)
    except Exception as error:
        return type(error).__name__, str(error)

if __name__ == "__main__":
    with multiprocessing.Pool(1) as pool:
        print(repr(pool.apply(share, (sys.argv[2:],))))
"""


def test_jobs_in_a_pools_worker_are_refused_as_bad_usage(tmp_path):
    """A program building its share of a batch in a multiprocessing.Pool's worker with
    jobs=2 met "AssertionError: daemonic processes are not allowed to have children" from
    inside the pool, as if briefgen had a bug: Python lets no such worker start one."""
    script = tmp_path / "pipeline.py"
    script.write_text(SCRIPT_WITH_A_POOL, encoding="utf-8")
    sources = briefings(tmp_path / "briefings", 2)
    result = _run_program(script, tmp_path / "out", sources)
    kind, message = ast.literal_eval(result.stdout)
    assert kind == "UsageError"
    assert message.startswith("jobs=2 starts worker processes, and this is a daemonic process")
    assert "hint: give jobs=1 here" in message
    assert not (tmp_path / "out").exists()


def test_build_many_gives_a_program_every_warning_and_no_command_to_run(tmp_path, caplog):
    """Past ten warnings of a briefing, a batch built by a program logged one more, "… and 2
    more: `briefgen check b.yaml` lists them all", though the program's handlers had been
    given all twelve: a service showing its user a build's warnings showed a command line
    the user has none of, and counted it as a thirteenth warning."""
    import briefgen

    source = tmp_path / "b.yaml"
    events = "".join(
        f"  - {{start: {1950 + i}, title: 事{i}, body: 經過\ue000。}}\n" for i in range(12)
    )
    source.write_text(f"title: 簡報\nevents:\n{events}", encoding="utf-8")
    with caplog.at_level("WARNING", logger="briefgen"):
        [outcome] = briefgen.build_many(source, "html", tmp_path / "out")
    assert outcome.error is None
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 12
    assert all("U+E000" in message for message in said)
    assert not any("briefgen check" in message for message in said)


def test_build_many_refuses_vertical_lines_for_a_pdf_before_any_work(tmp_path):
    """As build does: the clash is the call's, not each briefing's failure in its outcome."""
    import briefgen

    sources = briefings(tmp_path / "in", 2)
    with pytest.raises(briefgen.UsageError, match=r"^vertical lines are for the EPUB only"):
        briefgen.build_many(sources, ["pdf", "epub"], tmp_path / "out", vertical=True)
    assert not (tmp_path / "out").exists()


SCRIPT_WITH_A_BUG = """
import logging, sys, threading
import briefgen.pipeline

def broken(*args, **kwargs):  # in the workers too: they import this module again
    raise ZeroDivisionError("a bug in briefgen")

briefgen.pipeline.build = broken

if __name__ == "__main__":
    logging.basicConfig(level=logging.DEBUG, format="program's log: %(message)s", stream=sys.stdout)
    threading.Thread(target=threading.Event().wait, daemon=True).start()
    outcomes = briefgen.build_many(sys.argv[2:], "html", sys.argv[1], jobs=2)
    print([outcome.failure for outcome in outcomes])
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="where the system forks by default")
def test_jobs_started_afresh_log_an_internal_errors_traceback(tmp_path):
    """A service (threads running) logging at DEBUG is given the traceback of a bug met in
    a worker started afresh, as a forked worker's or a build in the program gives it, to
    report: the worker sent the message alone, "building b0.yaml", and lost the rest."""
    script = tmp_path / "pipeline.py"
    script.write_text(SCRIPT_WITH_A_BUG, encoding="utf-8")
    sources = briefings(tmp_path / "in", 2)
    result = _run_program(script, tmp_path / "out", sources)
    assert result.stdout.count("Traceback (most recent call last):") == 2, result.stdout
    assert result.stdout.count("ZeroDivisionError: a bug in briefgen\n") == 2, result.stdout
    assert result.stdout.endswith("['internal', 'internal']\n")
