"""The benchmark: briefgen against plain WeasyPrint, Pandoc and Typst, in fresh processes.

    python bench/run.py                   # every size: 13, 200, 1000, 3000 events (long)
    python bench/run.py --quick           # 13 and 200 events, one run each: a smoke test
    python bench/run.py --sizes 13 200 1000 --runs 3 [--no-write]
    python bench/run.py --lean-from 3000 --lean-runs 1   # what docs/performance.md shows

Every case is a new process, timed from start to exit (wall clock) with its peak resident
memory (the child's own rusage), run ``--runs`` times; the median is reported. The briefings
come from bench/generate.py (zh-Hant; ``--langs ja ko`` adds the PDF in those too). The table
goes to stdout and, unless ``--no-write`` or ``--quick``, to docs/performance.md with the date,
the machine's cores and load, and the versions of everything measured. Pandoc and Typst are
measured where installed (``pandoc`` on PATH, ``typst`` importable) and skipped otherwise.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime as dt
import importlib.metadata
import importlib.util
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import content  # noqa: E402  (bench/ is not a package)
import generate  # noqa: E402

import briefgen  # noqa: E402

REPORT = HERE.parent / "docs" / "performance.md"
PYTHON = sys.executable
BATCH_SIZE = 20


@dataclass
class Result:
    seconds: float
    megabytes: float
    cpu: float
    """User and system seconds: what the ratios compare (see RATIOS)."""
    pages: int | None = None
    output_bytes: int | None = None


@dataclass
class Bench:
    workdir: Path
    runs: int
    env: dict[str, str]
    results: dict[tuple[str, int], Result] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    note: str = ""
    batch_runs: int = 0
    short_runs: int = 0
    """Runs of `--help`, `check` and the EPUB in process, where not lean (0: ``runs``)."""
    weasyprint_subsetter: str = ""
    """How the runs were counted, for the report."""

    def measure(
        self,
        case: str,
        size: int,
        argv: list[str],
        output: Path | None = None,
        cwd: Path | None = None,
        runs: int | None = None,
    ) -> Result | None:
        """Run ``argv`` in a fresh process ``runs`` times; keep the median time and memory."""
        samples = []
        for _ in range(runs or self.runs):
            sample = self._once(case, size, argv, cwd)
            if sample is None:
                return None
            samples.append(sample)
        return self._keep(case, size, samples, output)

    def measure_side_by_side(
        self, size: int, cases: list[tuple[str, list[str], Path | None]]
    ) -> None:
        """Cases whose ratios are read against each other, ``(case, argv, output)``, run in
        turns (one run of each, then again): a spell of other work on a shared machine then
        slows every case of a round alike instead of one case's runs. Medians as above."""
        samples: dict[str, list[tuple[float, float, float]]] = {case: [] for case, _, _ in cases}
        for _ in range(self.runs):
            for case, argv, _ in cases:
                if case in samples:
                    sample = self._once(case, size, argv, None)
                    if sample is None:
                        del samples[case]
                    else:
                        samples[case].append(sample)
        for case, _, output in cases:
            if case in samples:
                self._keep(case, size, samples[case], output)

    def measure_in_process(
        self, case: str, size: int, script: str, args: list[str], runs: int | None = None
    ) -> Result | None:
        """``script`` in a fresh process, timing its own work once its imports are done: it
        writes "wall CPU" seconds to the file named by its last argument. Medians of those,
        and of the process's peak memory."""
        samples = []
        timing = self.workdir / "timing.txt"
        for _ in range(runs or self.runs):
            timing.unlink(missing_ok=True)
            sample = self._once(case, size, [PYTHON, "-c", script, *args, str(timing)], None)
            if sample is None:
                return None
            wall, cpu = map(float, timing.read_text().split())
            samples.append((wall, sample[1], cpu))
        return self._keep(case, size, samples, None)

    def _once(
        self, case: str, size: int, argv: list[str], cwd: Path | None
    ) -> tuple[float, float, float] | None:
        """One run's wall seconds, peak MB and CPU seconds; None (recorded) if it failed."""
        elapsed, peak, used, status, errors = _run(argv, cwd or self.workdir, self.env)
        if status != 0:
            self.skipped[f"{case} ({size})"] = f"exit {status}: {errors.strip()[-300:]}"
            print(f"  {case:34} {size:5}: failed (exit {status})", file=sys.stderr)
            return None
        return elapsed, peak, used

    def _keep(
        self,
        case: str,
        size: int,
        samples: list[tuple[float, float, float]],
        output: Path | None,
    ) -> Result:
        seconds, megabytes, cpu = zip(*samples, strict=True)
        result = Result(
            statistics.median(seconds), statistics.median(megabytes), statistics.median(cpu)
        )
        if output is not None and output.exists():
            result.output_bytes = output.stat().st_size
            if output.suffix == ".pdf":
                result.pages = _pages(output)
        self.results[case, size] = result
        print(
            f"  {case:38} {size:5}: {result.seconds:7.2f} s {result.cpu:7.2f} s CPU "
            f"{result.megabytes:6.0f} MB",
            file=sys.stderr,
        )
        return result


#: Runs the command given as its arguments and prints its wall seconds, peak memory in
#: kilobytes and CPU seconds. Measured from this small process, so that the peak is the
#: command's own and not that of the large benchmark process it would be forked from. The
#: peak is the largest of the command's processes (getrusage), or, where it runs child
#: processes at once (briefgen's PDF parts), the most they held together: the sum of their
#: proportional set sizes (shared pages counted once), read every 50 ms from /proc.
TIMER = """
import os, resource, subprocess, sys, time

def tree(pid):
    found, todo = [], [pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as file:
                    todo.extend(int(child) for child in file.read().split())
        except OSError:
            pass
    return found

def proportional(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            for line in file:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
together = 0
while process.poll() is None:
    if os.path.exists(f"/proc/{process.pid}/smaps_rollup"):
        together = max(together, sum(map(proportional, tree(process.pid))))
    time.sleep(0.05)
elapsed = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(elapsed, max(usage.ru_maxrss, together), usage.ru_utime + usage.ru_stime, file=sys.stderr)
sys.exit(process.returncode)
"""


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float, int, str]:
    """Wall seconds, peak resident MB, CPU seconds, exit status and stderr of ``argv``."""
    process = subprocess.run(
        [PYTHON, "-c", TIMER, *argv], cwd=cwd, env=env, capture_output=True, text=True
    )
    *errors, last = process.stderr.rstrip("\n").split("\n")
    try:
        elapsed, peak, used = map(float, last.split())
    except ValueError:
        return 0.0, 0.0, 0.0, process.returncode or 1, process.stderr
    return elapsed, peak / 1024, used, process.returncode, "\n".join(errors)


def _pages(pdf: Path) -> int | None:
    try:
        import pypdf

        return len(pypdf.PdfReader(pdf).pages)
    except Exception:
        return None


# -- the cases ---------------------------------------------------------------------------------


def compile_briefgen(env: dict[str, str]) -> None:
    """briefgen's modules compiled to bytecode, as ``pip install`` leaves an installed
    package (and WeasyPrint's, Pandoc's…): run from a checkout (``pip install -e .``, or
    with a ``PYTHONDONTWRITEBYTECODE`` in the environment) every process would compile them
    afresh, 40-60 ms that a user's briefgen never spends."""
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    package = Path(briefgen.__file__).parent
    compileall.compile_dir(package, quiet=1)


def briefgen_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "briefgen", *args]


WEASYPRINT = "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])"
#: The same, asking WeasyPrint for the tagged PDF (a structure tree) that briefgen asks for.
WEASYPRINT_TAGGED = (
    "import sys, weasyprint; "
    "weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2], pdf_tags=True)"
)
#: Which library plain WeasyPrint cuts its font subsets with: libharfbuzz-subset, a system
#: library that pip does not install, or, without it, fontTools, which takes seconds more for
#: every document set in a CJK font.
WEASYPRINT_SUBSETTER = (
    "from weasyprint.text.ffi import harfbuzz_subset; "
    "print('libharfbuzz-subset' if harfbuzz_subset is not None else 'fontTools')"
)
#: briefgen's EPUB in process, timed after the imports (the EPUB target is stated so: a
#: pipeline or `briefgen watch` has them done once).
EPUB_IN_PROCESS = """
import sys, time
from briefgen import build, builder
builder("epub")  # the builder's module and its libraries imported
start, cpu = time.perf_counter(), time.process_time()
build(sys.argv[1], "epub", sys.argv[2])
wall, cpu = time.perf_counter() - start, time.process_time() - cpu
with open(sys.argv[3], "w") as file:
    file.write(f"{wall} {cpu}")
"""
TYPST = (
    "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])"
)


def measure_size(bench: Bench, size: int, langs: list[str], lean: bool = False) -> None:
    """Every case at ``size`` events; ``lean``: only those the growth and memory targets
    need (build per format, check, plain WeasyPrint on the minimal HTML)."""
    print(f"{size} events" + (" (lean)" if lean else ""), file=sys.stderr)
    folder = bench.workdir / f"n{size}"
    out = folder / "out"
    source = generate.write(size, folder / f"zh-Hant-{size}.yaml")
    stem = source.stem
    short = bench.runs if lean else (bench.short_runs or bench.runs)
    bench.measure("--help", size, briefgen_cmd("--help"), runs=short)
    bench.measure("check", size, briefgen_cmd("check", str(source)), runs=short)
    briefing = briefgen.load(source)
    minimal = folder / "minimal.html"
    minimal.write_text(content.minimal_html(briefing), encoding="utf-8")
    # The PDF, plain WeasyPrint and --format all, in turns: their ratios are the targets.
    side_by_side: list[tuple[str, list[str], Path | None]] = [
        (
            "build --format pdf",
            briefgen_cmd("build", str(source), "-f", "pdf", "-o", str(out)),
            out / f"{stem}.pdf",
        ),
        (
            "WeasyPrint on minimal HTML",
            [PYTHON, "-c", WEASYPRINT, str(minimal), str(folder / "plain-minimal.pdf")],
            folder / "plain-minimal.pdf",
        ),
    ]
    if not lean:
        # The .print.html once, then plain WeasyPrint on it, untagged and tagged (the same
        # job as briefgen's: its PDF is tagged in every variant).
        _run(briefgen_cmd("build", str(source), "--keep-html", "-o", str(out)), folder, bench.env)
        print_html = out / f"{stem}.print.html"
        same_text = folder / "same-text.html"
        same_text.write_text(content.same_text_html(briefing), encoding="utf-8")
        side_by_side += [
            (
                SAME_TEXT,
                [PYTHON, "-c", WEASYPRINT, str(same_text), str(folder / "plain-same-text.pdf")],
                folder / "plain-same-text.pdf",
            ),
            (
                "WeasyPrint on briefgen's .print.html",
                [PYTHON, "-c", WEASYPRINT, str(print_html), str(folder / "plain-print.pdf")],
                folder / "plain-print.pdf",
            ),
            (
                "WeasyPrint on briefgen's .print.html, tagged",
                [
                    *(PYTHON, "-c", WEASYPRINT_TAGGED),
                    *(str(print_html), str(folder / "tagged-print.pdf")),
                ],
                folder / "tagged-print.pdf",
            ),
            (
                "build --format all",
                briefgen_cmd("build", str(source), "-f", "all", "-o", str(out)),
                None,
            ),
        ]
    bench.measure_side_by_side(size, side_by_side)
    for name in ("epub", "html"):
        bench.measure(
            f"build --format {name}",
            size,
            briefgen_cmd("build", str(source), "-f", name, "-o", str(out)),
            out / f"{stem}.{name}",
        )
    bench.measure_in_process(
        "EPUB in process, after imports",
        size,
        EPUB_IN_PROCESS,
        [str(source), str(out)],
        runs=short,
    )
    if lean:
        return
    for lang in langs:
        other = generate.write(size, folder / f"{lang}-{size}.yaml", lang)
        bench.measure(
            f"build --format pdf ({lang})",
            size,
            briefgen_cmd("build", str(other), "-f", "pdf", "-o", str(out)),
            out / f"{other.stem}.pdf",
        )
    measure_others(bench, size, briefing, folder)


def measure_others(bench: Bench, size: int, briefing: briefgen.Briefing, folder: Path) -> None:
    """Pandoc (→ EPUB with the serif font embedded, → PDF through WeasyPrint) and Typst."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        bench.skipped["Pandoc"] = "pandoc is not on PATH"
    else:
        markdown = folder / "content.md"
        markdown.write_text(content.markdown(briefing), encoding="utf-8")
        css = folder / "content.css"
        css.write_text(content.font_css(), encoding="utf-8")
        font = content.fonts_folder() / content.FONT_FILES[0]
        bench.measure(
            "Pandoc → EPUB, font embedded",
            size,
            [pandoc, str(markdown), "-o", str(folder / "pandoc.epub"), f"--epub-embed-font={font}"],
            folder / "pandoc.epub",
        )
        if shutil.which("weasyprint", path=bench.env["PATH"]):
            bench.measure(
                "Pandoc → PDF (WeasyPrint)",
                size,
                [
                    pandoc, str(markdown), "-o", str(folder / "pandoc.pdf"),
                    "--pdf-engine=weasyprint", f"--css={css}",
                ],
                folder / "pandoc.pdf",
            )  # fmt: skip
        else:
            bench.skipped["Pandoc → PDF"] = "no weasyprint command on PATH"
    if importlib.util.find_spec("typst") is None:  # run in its own process, not imported here
        bench.skipped["Typst"] = "the typst package is not installed (pip install typst)"
    else:
        source = folder / "content.typ"
        source.write_text(content.typst(briefing), encoding="utf-8")
        bench.measure(
            "Typst → PDF",
            size,
            [PYTHON, "-c", TYPST, str(source), str(folder / "typst.pdf"),
             str(content.fonts_folder())],
            folder / "typst.pdf",
        )  # fmt: skip


def measure_sample(bench: Bench) -> None:
    """The shipped sample's EPUB in process, for its own target (≤ 0.5 s after imports)."""
    print("the sample", file=sys.stderr)
    bench.measure_in_process(
        SAMPLE_EPUB,
        0,
        EPUB_IN_PROCESS,
        [str(briefgen.sample_path()), str(bench.workdir / "sample")],
        runs=bench.short_runs or None,
    )


def measure_batch(bench: Bench) -> None:
    """20 sample-size briefings: one `build --jobs 2` against 20 separate `build` calls."""
    print(f"batch of {BATCH_SIZE}", file=sys.stderr)
    folder = bench.workdir / "batch"
    sources = [
        generate.write(13, folder / "briefings" / f"b{index:02d}.yaml", seed=index)
        for index in range(BATCH_SIZE)
    ]
    script = "\n".join(
        f"{' '.join(briefgen_cmd('build', str(s), '-o', str(folder / 'one')))} || exit 1"
        for s in sources
    )
    bench.measure("20 × build (separate calls)", 13, ["sh", "-c", script])
    bench.measure(
        "build 20 files --jobs 2",
        13,
        briefgen_cmd("build", *map(str, sources), "--jobs", "2", "-o", str(folder / "jobs")),
    )


# -- the report --------------------------------------------------------------------------------

#: The minimal page with the rest of the PDF's text (contents, chips, index) in plain markup.
SAME_TEXT = "WeasyPrint on the same text, plain HTML"

ROWS = [
    "build --format pdf",
    "WeasyPrint on briefgen's .print.html",
    "WeasyPrint on briefgen's .print.html, tagged",
    "WeasyPrint on minimal HTML",
    SAME_TEXT,
    "build --format epub",
    "EPUB in process, after imports",
    "build --format html",
    "build --format all",
    "check",
    "--help",
    "build --format pdf (ja)",
    "build --format pdf (ko)",
    "Pandoc → EPUB, font embedded",
    "Pandoc → PDF (WeasyPrint)",
    "Typst → PDF",
]

SAMPLE_EPUB = "EPUB in process, after imports, the sample"

#: (what, case, size or None for the slowest of every size, target seconds): targets set in
#: seconds rather than against another tool; met when both the wall and the CPU time are.
ABSOLUTE = [
    ("`briefgen --help`", "--help", None, 0.3),
    ("`briefgen check`, 1,000 events", "check", 1000, 0.6),
    ("EPUB of the sample, in process after imports", SAMPLE_EPUB, 0, 0.5),
    ("EPUB of 1,000 events, in process after imports", "EPUB in process, after imports", 1000,
     1.0),
]  # fmt: skip

#: (name, numerator, denominator, target); CPU time unless the name says wall time.
RATIOS = [
    ("PDF / WeasyPrint on its .print.html, tagged", "build --format pdf",
     "WeasyPrint on briefgen's .print.html, tagged", 1.10),
    # A long briefing's parts are laid out in child processes, one written while the next is
    # laid out: its CPU time is spent on two cores, and the time a user waits is the wall
    # time (the stretch target: ≤ 0.7 at 1,000 events on two cores).
    ("PDF / WeasyPrint on its .print.html, tagged, wall time", "build --format pdf",
     "WeasyPrint on briefgen's .print.html, tagged", 1.10),
    ("PDF / WeasyPrint on its .print.html, untagged", "build --format pdf",
     "WeasyPrint on briefgen's .print.html", None),
    ("PDF / WeasyPrint on minimal HTML", "build --format pdf", "WeasyPrint on minimal HTML", 1.25),
    # No target: it tells how much of the gap to the minimal page is the text the minimal
    # page leaves out, and how much is the layout of the furniture that sets it.
    ("PDF / WeasyPrint on the same text, plain HTML", "build --format pdf", SAME_TEXT, None),
    ("all formats / PDF alone", "build --format all", "build --format pdf", 1.3),
    ("EPUB / Pandoc EPUB", "build --format epub", "Pandoc → EPUB, font embedded", None),
    ("PDF / Typst", "build --format pdf", "Typst → PDF", None),
]  # fmt: skip


def exponent(bench: Bench, case: str, sizes: list[int]) -> float | None:
    """The slope of log CPU time against log size (least squares) over the sizes ≥ 200."""
    points = [
        (math.log(size), math.log(bench.results[case, size].cpu))
        for size in sizes
        if size >= 200 and (case, size) in bench.results
    ]
    if len(points) < 2:
        return None
    mean_x = statistics.fmean(x for x, _ in points)
    mean_y = statistics.fmean(y for _, y in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sum(
        (x - mean_x) ** 2 for x, _ in points
    )


def report(bench: Bench, sizes: list[int], started: float, load: tuple[float, ...]) -> str:
    lines = ["| case | " + " | ".join(f"{n} events" for n in sizes) + " |"]
    lines.append("|---" * (len(sizes) + 1) + "|")
    for case in ROWS:
        cells = [_cell(bench.results.get((case, n))) for n in sizes]
        if any(cell != "–" for cell in cells):
            lines.append(f"| {case} | " + " | ".join(cells) + " |")
    lines += ["", "| ratio | target | " + " | ".join(f"{n}" for n in sizes) + " |"]
    lines.append("|---" * (len(sizes) + 2) + "|")
    for name, top, bottom, target in RATIOS:
        cells = []
        for n in sizes:
            a, b = bench.results.get((top, n)), bench.results.get((bottom, n))
            if a and b:
                in_wall_time = name.endswith("wall time")
                cells.append(f"{a.seconds / b.seconds if in_wall_time else a.cpu / b.cpu:.2f}")
            else:
                cells.append("–")
        if any(cell != "–" for cell in cells):
            goal = f"≤ {target}" if target else ""
            lines.append(f"| {name} | {goal} | " + " | ".join(cells) + " |")
    growth = []
    for case in ("build --format pdf", "WeasyPrint on minimal HTML",
                 "WeasyPrint on briefgen's .print.html", "build --format epub"):  # fmt: skip
        slope = exponent(bench, case, sizes)
        if slope is not None:
            growth.append(f"- {case}: CPU time grows as N^{slope:.2f} from 200 events up")
    batch_one = bench.results.get(("20 × build (separate calls)", 13))
    batch_jobs = bench.results.get(("build 20 files --jobs 2", 13))
    batch = []
    if batch_one and batch_jobs:
        batch = [
            f"- 20 sample-size briefings: 20 separate `briefgen build` calls "
            f"{batch_one.seconds:.1f} s; one `briefgen build … --jobs 2` "
            f"{batch_jobs.seconds:.1f} s ({batch_one.seconds / batch_jobs.seconds:.2f} × faster "
            f"in wall time, the target being ≥ 1.8; CPU {batch_one.cpu:.1f} s against "
            f"{batch_jobs.cpu:.1f} s; median of {bench.batch_runs})"
        ]
    absolute = []
    for what, case, size, target in ABSOLUTE:
        found = [
            result
            for (name, n), result in bench.results.items()
            if name == case and (size is None or n == size)
        ]
        if found:
            wall = max(result.seconds for result in found)
            cpu = max(result.cpu for result in found)
            slowest = "the slowest size: " if size is None and len(found) > 1 else ""
            verdict = "met" if max(wall, cpu) <= target else "not met"
            absolute.append(
                f"- {what}: {slowest}{wall:.2f} s ({cpu:.2f} s CPU), the target being "
                f"≤ {target} s: {verdict}"
            )
    skipped = [f"- {name}: {why}" for name, why in bench.skipped.items()]
    return "\n".join(
        [
            *lines,
            "",
            *growth,
            *batch,
            *absolute,
            *(["", "Not measured:", *skipped] if skipped else []),
            "",
            (
                "Plain WeasyPrint cut its font subsets with libharfbuzz-subset, its fastest way."
                if bench.weasyprint_subsetter == "libharfbuzz-subset"
                else f"**Not comparable:** {SLOW_SUBSETTER}"
            ),
            "",
            _machine(started, load, bench.runs, bench.note),
        ]
    )


def weasyprint_subsetter(env: dict[str, str]) -> str:
    """Whether plain WeasyPrint, run as the cases run it, finds libharfbuzz-subset."""
    found = subprocess.run(
        [PYTHON, "-c", WEASYPRINT_SUBSETTER], capture_output=True, text=True, env=env
    )
    return found.stdout.strip() or "unknown"


#: Said in the report, and at the start of the run, where plain WeasyPrint subsets with
#: fontTools: briefgen cuts its own subsets (HarfBuzz, from PyPI) and is not slowed so.
SLOW_SUBSETTER = (
    "plain WeasyPrint found no libharfbuzz-subset on this machine and cut its font subsets "
    "with fontTools, seconds slower for every document (20 s instead of 2 s for the "
    "13-event minimal page, measured): every ratio against plain WeasyPrint here flatters "
    "briefgen and says nothing of the targets. Install the library (Debian and Ubuntu: "
    "apt-get install libharfbuzz-subset0) and run again."
)


def _cell(result: Result | None) -> str:
    if result is None:
        return "–"
    cell = f"{result.seconds:.2f} s ({result.cpu:.2f} s CPU), {result.megabytes:.0f} MB"
    if result.pages:
        cell += f", {result.pages} p."
    return cell


def _machine(started: float, load: tuple[float, ...], runs: int, note: str) -> str:
    minutes = (time.perf_counter() - started) / 60
    after = os.getloadavg()
    cores = os.cpu_count() or 1
    versions = []
    for name in ("briefgen", "weasyprint", "pydyf", "fonttools", "uharfbuzz", "ebooklib",
                 "PyYAML", "typst"):  # fmt: skip
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions.append(f"{name} {importlib.metadata.version(name)}")
    pandoc = shutil.which("pandoc")
    if pandoc:
        first = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
        versions.append(first.splitlines()[0])
    busy = max(*load, *after) > cores / 2
    return (
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {cores} cores "
        f"({platform.machine()}, Python {platform.python_version()}, {platform.system()}); "
        f"median of {runs} fresh processes per cell{note}; the whole run took {minutes:.0f} "
        "minutes. "
        f"Load average {load[0]:.1f} at the start, {after[0]:.1f} at the end"
        + (
            ": the machine was busy with other work, so the absolute times are high and noisy; "
            "the ratios, measured side by side in one run, are what to compare."
            if busy
            else "."
        )
        + "\n\nVersions: "
        + ", ".join(versions)
        + "."
    )


#: At this many events and fewer a run takes a second or two, of which the start-up that every
#: case shares is half, and a spell of other work on a shared machine moves one run by a third:
#: medians of 3 put the 13-event `--format all` at 1.46 × the PDF in one run and 1.20 in the
#: next. These sizes get SMALL_RUNS runs per case (about a minute more in all).
SMALL_SIZE = 100
SMALL_RUNS = 7
#: `--help`, `check` and the EPUB in process take a second or two at every size but the lean
#: ones, and their targets are in seconds, not ratios: a spell decides a median of 3 (`check`
#: at 1,000 events: 0.58 s in one run, 0.68 s in the next, the same code). They get
#: SHORT_RUNS runs at every size (about half a minute more).
SHORT_RUNS = 7


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="13 and 200 events, one run each")
    parser.add_argument("--sizes", type=int, nargs="+", help=f"default: {generate.SIZES}")
    parser.add_argument(
        "--runs",
        type=int,
        help=f"runs per case (default 3, {SMALL_RUNS} at {SMALL_SIZE} events and fewer and "
        f"{SHORT_RUNS} of --help, check and the EPUB in process; 1 with --quick)",
    )
    parser.add_argument("--langs", nargs="*", default=[], choices=("ja", "ko"))
    parser.add_argument(
        "--lean-from",
        type=int,
        metavar="N",
        help="at N events and more, measure only build per format, check and WeasyPrint on "
        "the minimal HTML (what the growth and memory targets need)",
    )
    parser.add_argument("--lean-runs", type=int, help="runs per case at the lean sizes")
    parser.add_argument(
        "--small-runs",
        type=int,
        help=f"runs per case at {SMALL_SIZE} events and fewer, where a run takes a second or "
        f"two and the machine's spells weigh most (default: --runs if given, else {SMALL_RUNS}; "
        "1 with --quick)",
    )
    parser.add_argument("--batch-runs", type=int, help="runs of the batch cases (default: --runs)")
    parser.add_argument("--no-batch", action="store_true", help="skip the 20-briefing batch")
    parser.add_argument("--no-write", action="store_true", help="do not write the report")
    parser.add_argument("--workdir", type=Path, help="where to keep the inputs and outputs")
    args = parser.parse_args(argv)
    sizes = args.sizes or ([13, 200] if args.quick else list(generate.SIZES))
    runs = args.runs or (1 if args.quick else 3)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    compile_briefgen(env)
    env["PATH"] = os.pathsep.join([str(Path(PYTHON).parent), env.get("PATH", "")])
    bench = Bench(workdir.resolve(), runs, env)
    bench.weasyprint_subsetter = weasyprint_subsetter(env)
    if bench.weasyprint_subsetter != "libharfbuzz-subset":
        print(f"warning: {SLOW_SUBSETTER}", file=sys.stderr)
    started, load = time.perf_counter(), os.getloadavg()
    small_runs = args.small_runs or args.runs or (1 if args.quick else SMALL_RUNS)
    bench.short_runs = args.runs or (1 if args.quick else SHORT_RUNS)
    for size in sizes:
        lean = args.lean_from is not None and size >= args.lean_from
        bench.runs = (args.lean_runs or runs) if lean else runs
        if size <= SMALL_SIZE and not lean:
            bench.runs = small_runs
        measure_size(bench, size, args.langs, lean)
    bench.runs = runs
    notes = []
    if small_runs != runs and any(size <= SMALL_SIZE for size in sizes):
        notes.append(f"{small_runs} at {SMALL_SIZE} events and fewer")
    if bench.short_runs != runs:
        below = f" below {args.lean_from} events" if args.lean_from is not None else ""
        notes.append(f"{bench.short_runs} of `--help`, `check` and the EPUB in process{below}")
    if args.lean_from is not None and any(size >= args.lean_from for size in sizes):
        notes.append(
            f"{args.lean_runs or runs} at {args.lean_from} events and more, where only "
            "build per format, check and WeasyPrint on the minimal HTML were measured"
        )
    bench.note = f" ({'; '.join(notes)})" if notes else ""
    measure_sample(bench)
    if not args.no_batch:
        bench.runs = bench.batch_runs = args.batch_runs or runs
        measure_batch(bench)
        bench.runs = runs
    table = report(bench, sizes, started, load)
    print(table)
    if not (args.no_write or args.quick):
        REPORT.write_text(_document(table, REPORT), encoding="utf-8")
        print(f"written to {REPORT}", file=sys.stderr)
    print(f"inputs and outputs kept in {workdir}", file=sys.stderr)
    return 0


BEGIN, END = "<!-- bench/run.py: results -->", "<!-- bench/run.py: end of results -->"


def _document(table: str, report: Path) -> str:
    """docs/performance.md with the new results; what is written around them is kept."""
    results = (
        f"{BEGIN}\n"
        "Written by `python bench/run.py`; rerun it to check these figures on your machine. "
        "Each cell: median wall time of fresh processes, the command's peak memory (of its "
        "largest process, or of its processes together where it runs several at once), and "
        "the PDF's pages; the ratios compare CPU time (user and system, of all the command's "
        "processes), which other work on a shared machine disturbs far less than wall time. "
        "Every tool here works on one core but briefgen's PDF of a long briefing (400 events "
        "or more), laid out in parts on both cores: its wall-time ratio is given too. "
        '"Minimal HTML" is the briefing\'s '
        'text alone in one plain HTML page with the same fonts (bench/content.py); ".print.html" '
        "is the document briefgen hands to WeasyPrint (`briefgen build --keep-html`); "
        '"tagged" asks WeasyPrint for the tagged PDF (`pdf_tags=True`, a structure tree for '
        "screen readers) that briefgen always makes, the same job with the same options, and "
        "the ratio against it is the one the target is for; the untagged ratio is kept to "
        "compare with earlier runs. The "
        f"briefings are made by bench/generate.py.\n\n{table}\n{END}"
    )
    old = report.read_text("utf-8") if report.exists() else ""
    if BEGIN in old and END in old:
        before, _, rest = old.partition(BEGIN)
        _, _, after = rest.partition(END)
        return before + results + after
    return f"# Performance\n\n{results}\n"


if __name__ == "__main__":
    raise SystemExit(main())
