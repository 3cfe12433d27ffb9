"""From a briefing (or its file) to finished output files, written atomically."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import secrets
import signal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Unpack

from . import typography
from .builders import NOT_IN_ALL, Builder, builder, is_format
from .builders import formats as known_formats
from .coverage import warn_missing_glyphs
from .errors import (
    HELD,
    BriefgenError,
    BriefingError,
    BuildError,
    Problem,
    SettingsClash,
    StrictError,
    UsageError,
    WarningCount,
    counting,
    silencing,
    warnings_capped,
)
from .load import briefings_in, load
from .model import Briefing
from .options import VERTICAL, BuildOptions, OptionValues, resolve
from .verify import verify

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

log = logging.getLogger("briefgen")


def prepare(source: Briefing | str | Path, options: BuildOptions | None = None) -> Briefing:
    """Load (if needed), warn about characters the fonts lack, apply the typography rules
    (but those ``options.disabled_rules`` names, whose warnings are not given either)."""
    with silencing(options.disabled_rules if options else ()):
        return _prepared(_briefing(source), options)


def _briefing(source: Briefing | str | Path) -> Briefing:
    """The briefing a call gives: read from its file, or, made in Python, checked as a file
    would be (:mod:`briefgen.verify`)."""
    if isinstance(source, Briefing):
        return verify(source)
    if not isinstance(source, (str, os.PathLike)):
        # The YAML itself (bytes, a stream) was taken for a path: "argument should be a str
        # object or an os.PathLike object returning str, not <class 'bytes'>".
        raise TypeError(
            "source must be a briefgen.Briefing or a briefing file's path (str or "
            f"pathlib.Path), not {type(source).__name__}; briefgen.loads reads a briefing's text"
        )
    return load(source)


def _prepared(briefing: Briefing, options: BuildOptions | None) -> Briefing:
    # A user's templates, the options' or the briefing's own, are drawn with the machine's
    # fonts too, so a character briefgen's lack may print after all (builders/pdf_fonts.py).
    warn_missing_glyphs(briefing, bool(briefing.templates or (options and options.templates)))
    prepared = typography.apply(briefing, options.disabled_rules if options else ())
    # Each build's own object, even where the rules change nothing: what is worked out once
    # per briefing (render.py: its templates checked against their files) was not done
    # again for a Briefing a program keeps and renders again, which then kept the template
    # of the first build after its file was edited.
    return dataclasses.replace(prepared) if prepared is briefing else prepared


def format_names(formats: str | Iterable[str]) -> list[str]:
    """The formats a call asks for, without repeats: ``"pdf"``, ``["pdf", "epub"]`` or
    ``"all"``. Raises before any work if one is unknown."""
    if isinstance(formats, str):
        formats = [formats]
    try:
        names = list(dict.fromkeys(formats))
    except TypeError:
        raise TypeError(
            'formats must be a format name such as "pdf" or a list of them, '
            f"not {type(formats).__name__}"
        ) from None
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f'a format is named by a string such as "pdf", not {name!r}')
    # Formats installed packages add are looked up (every package's metadata read, 40 ms)
    # only for "all" or a name that is not briefgen's own.
    if "all" in names:
        return [name for name in known_formats() if name not in NOT_IN_ALL]
    unknown = [name for name in names if not is_format(name)]
    if unknown:
        raise UsageError(
            f"unknown format {unknown[0]!r}; choose from {', '.join(known_formats())} or all"
        )
    if not names:
        raise UsageError(f"no format given; choose from {', '.join(known_formats())} or all")
    return names


def build(
    source: Briefing | str | Path,
    formats: str | Iterable[str] = ("pdf",),
    outdir: str | Path = "out",
    *,
    stem: str | None = None,
    options: BuildOptions | None = None,
    **option_values: Unpack[OptionValues],
) -> list[Path]:
    """Build the briefing in each format into ``outdir``; return the files written.

    Build options are given as ``options=BuildOptions(...)`` or as keyword arguments
    (``paper="A5"``). Files are named after the briefing file's stem, an edition's after
    that and its language, ``sample.zh-Hans.pdf`` (or after ``stem``). Every
    output is rendered before any is written, and each is written to a temporary file and
    renamed when complete, so a failed build leaves nothing behind.
    """
    # Everything the call could get wrong fails here, before any work.
    _check_stem(stem)
    folder = output_folder(outdir)
    names = format_names(formats)
    options = resolve(options, option_values)
    check_vertical(options, names)
    builders = [builder(name) for name in names]
    with counting() as warnings, silencing(options.disabled_rules):
        written = _briefing(source)
        briefing = _prepared(written, options)
        # Under --strict a finding fails the build before the (slow) rendering.
        changes = typography.listed(written, options.disabled_rules) if options.strict else []
        _check_strict(written, options, warnings, changes)
        outputs = [(chosen.suffix, render(chosen, briefing, options)) for chosen in builders]
        _check_strict(written, options, warnings, changes)
    stem = stem or default_stem(briefing)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = "it is a file" if folder.is_file() else error.strerror
        raise BuildError(f"cannot create the output folder {folder}: {reason}") from None
    return _write_all(
        {folder / output_name(stem, suffix, options): data for suffix, data in outputs}
    )


def output_folder(outdir: str | Path) -> Path:
    """``outdir`` as a path, checked before any work: a pipeline's missing setting (None)
    is named at once, not met as Path's TypeError once every output is rendered; a file in
    the folder's place (`-o briefing.yaml`) is found now, not once every output of every
    briefing of a batch was rendered for nothing."""
    if not isinstance(outdir, (str, os.PathLike)):
        raise TypeError(f"outdir must be a folder's path (str or pathlib.Path), not {outdir!r}")
    folder = Path(outdir)
    existing = next((path for path in (folder, *folder.parents) if path.exists()), None)
    if existing is not None and not existing.is_dir():
        what = "it is a file" if existing == folder else f"{existing} is a file"
        message = f"cannot create the output folder {folder}: {what}"
        # Of the call, not of a briefing (checked before any is read, in a batch too): the
        # command line says it as its other such errors, after its own name.
        raise BuildError(message, command_line=f"briefgen: {message}")
    return folder


def default_stem(briefing: Briefing) -> str:
    """What a build names the briefing's files after: its file's stem (``briefing`` for one
    made in memory), and an edition in the other script's after that and its language
    (``sample.zh-Hans``), so that the original and its edition can share a folder."""
    stem = briefing.path.stem if briefing.path else "briefing"
    return f"{stem}.{briefing.lang}" if briefing.edition else stem


def _check_stem(stem: str | None) -> None:
    """A ``stem`` names files in ``outdir``: not a path, which could lead out of it."""
    if stem is None:
        return
    if not isinstance(stem, str) or stem in ("", ".", "..") or any(c in stem for c in "/\\\0"):
        raise UsageError(
            f"stem must be a file name without a folder or a suffix (memo), not {stem!r}; "
            "give the folder as outdir"
        )


def output_name(stem: str, suffix: str, options: BuildOptions) -> str:
    """The file name of one output: a handout's PDF is named for its form
    (``briefing.booklet.pdf``), so that it does not replace the briefing's own PDF."""
    if suffix == ".pdf" and options.handout:
        return f"{stem}.{options.handout}{suffix}"
    return f"{stem}{suffix}"


#: How many of the typography changes a failed strict build lists; ``check`` lists them all.
_CHANGES_SHOWN = 10


def check_strict(briefing: Briefing, options: BuildOptions, warnings: WarningCount) -> None:
    """Under ``strict``, fail on the warnings ``warnings`` counted while ``briefing`` was read
    before :func:`build` was given it (the command line reads a briefing first for its fonts,
    its edition or its own templates), which the build, counting its own, never saw: a
    briefing out of date order was written under ``--strict --script hans``."""
    if options.strict and warnings.count:
        _check_strict(
            briefing, options, warnings, typography.listed(briefing, options.disabled_rules)
        )


def _check_strict(
    briefing: Briefing, options: BuildOptions, warnings: WarningCount, changes: list[str]
) -> None:
    """Under ``strict``, fail (before anything is written) on a warning or a change to make."""
    if not options.strict or not (warnings.count or changes):
        return
    counts = [
        f"{warnings.count} warning{'s' if warnings.count != 1 else ''}" if warnings.count else "",
        f"{len(changes)} typography change{'s' if len(changes) != 1 else ''} to make"
        if changes
        else "",
    ]
    file = briefing.shown_name
    lines = [f"{file}: strict: {' and '.join(filter(None, counts))}; nothing was written"]
    lines += changes[:_CHANGES_SHOWN]
    if len(changes) > _CHANGES_SHOWN:
        lines.append(f"… and {len(changes) - _CHANGES_SHOWN} more")
    mend = ["the warnings above say what to mend"] if warnings.count else []
    if changes:
        mend.insert(0, "`briefgen check --fix SOURCE` makes the changes in the source")
    hint = f"    hint: {'; '.join(mend)}; or build without "
    raise StrictError(
        "\n".join([*lines, hint + "strict=True"]),
        command_line="\n".join([*lines, hint + "--strict"]),
    )


def check_vertical(options: BuildOptions, formats: list[str]) -> None:
    """Refuses vertical writing for any format but the EPUB: WeasyPrint lays out no vertical
    text (it ignores writing-mode), and the HTML page is for a quick look."""
    others = [name for name in formats if name != "epub"]
    if options.vertical and others:
        raise SettingsClash(
            "vertical lines are for the EPUB only (WeasyPrint, which makes the PDF, lays out "
            f"none), and this build asks for {', '.join(others)} too",
            (VERTICAL,),
            advice="or build the EPUB on its own (-f epub)",
            keyword_advice='or build the EPUB on its own (formats="epub")',
        )


def render(chosen: Builder, briefing: Briefing, options: BuildOptions) -> bytes:
    """One builder's output, checked to be bytes (a plug-in's mistake named as such)."""
    plugin = type(chosen).__module__.partition(".")[0] != "briefgen"
    try:
        data = chosen.render(briefing, options)
    except BriefgenError:
        raise
    except Exception as error:
        if not plugin:
            raise  # a bug in briefgen, reported as one
        # A plug-in's failure must not read as briefgen's ("internal error … report it").
        raise BuildError(
            f"the {chosen.name!r} format's builder ({_origin(chosen)}) failed: "
            f"{type(error).__name__}: {error}"
        ) from error
    if not isinstance(data, bytes):
        origin = f" ({_origin(chosen)})" if plugin else ""
        raise BuildError(
            f"the {chosen.name!r} builder{origin} returned {type(data).__name__}, not bytes"
        )
    return data


def _origin(chosen: Builder) -> str:
    """Where a builder comes from: ``module:Class``."""
    return f"{type(chosen).__module__}:{type(chosen).__qualname__}"


def _write_all(outputs: dict[Path, bytes]) -> list[Path]:
    """Write every file to a temporary name first, and rename them only once all are
    written: a full disk halfway through leaves neither a partial file nor a partial set."""
    for target in outputs:
        if target.is_dir():  # found now, before one of the set is renamed into place
            raise BuildError(f"cannot write {target}: a folder of that name is in the way")
    temporaries: list[tuple[str, Path]] = []
    try:
        for target, data in outputs.items():
            temporaries.append((_write_temporary(target, data), target))
        for temporary, target in temporaries:
            os.replace(temporary, target)
    except OSError as error:
        raise BuildError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        for temporary, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)
    return list(outputs)


def _write_temporary(target: Path, data: bytes) -> str:
    # Made with the permissions the user's umask gives a new file, as any program's
    # output is: mkstemp's 0600 widened to 0644 let everyone read the outputs of a user
    # whose umask (077) keeps an embargoed briefing to themselves on a shared machine.
    while True:
        temporary = str(target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            # New only, never a file or a link already there; binary where the system has
            # a text mode (Windows: its C runtime would write each LF of a PDF as CRLF).
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            handle = os.open(temporary, flags, 0o666)
            break
        except FileExistsError:  # another build's, or a link: another name
            continue
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


# -- many briefings at once ------------------------------------------------------------------


#: Why a briefing of a batch failed (:attr:`Outcome.failure`): its file has problems
#: (``"briefing"``, a :class:`~briefgen.errors.BriefingError`), a setting cannot be used with
#: it (``"usage"``, a :class:`~briefgen.errors.UsageError`), a strict build refused it for
#: its warnings or typography changes (``"strict"``, a :class:`~briefgen.errors.StrictError`:
#: its writer has to mend it, as for ``"briefing"``), its output could not be made
#: (``"build"``, a :class:`~briefgen.errors.BuildError`), briefgen met a bug (``"internal"``),
#: or the worker process building it ended (``"worker"``: killed, out of memory).
Failure = Literal["briefing", "usage", "strict", "build", "internal", "worker"]


@dataclass(frozen=True)
class Outcome:
    """What became of one briefing in a batch: the files written, or the error report
    (``error``, as the command line prints it), why it failed (``failure``) and, of a
    briefing file with problems, each of them (``problems``), as
    :class:`~briefgen.errors.BriefingError` lists them, for a program to act on one
    without reading the report."""

    source: Path
    paths: tuple[Path, ...] = ()
    error: str | None = None
    failure: Failure | None = None
    problems: tuple[Problem, ...] = ()


def briefing_files(sources: Iterable[str | Path]) -> list[Path]:
    """The briefing files named, a folder standing for the ``*.yaml``/``*.yml`` files in it
    (not hidden ones, nor those in its subfolders), sorted by name. Raises UsageError for a
    folder without any, or for two briefings that would write the same output names."""
    found: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            inside = briefings_in(source)
            if not inside:
                raise UsageError(f"no briefing (*.yaml or *.yml) in the folder {source}")
            _check_inside(source, inside)
            found += inside
        else:
            found.append(source)
    # Each file once, however it was named (a.yaml, ./a.yaml, its absolute path, a folder
    # holding it): else the same briefing would clash with itself over its output names.
    unique: dict[Path, Path] = {}
    for path in found:
        unique.setdefault(_same_file(path), path)
    found = list(unique.values())
    # Stems told apart by case alone (a.yaml, A.yaml) clash too: see _clash.
    stems: dict[str, Path] = {}
    for path in found:
        other = stems.setdefault(path.stem.lower(), path)
        if other is not path:
            # A library call gives its folder as outdir, and has no -o to name.
            raise UsageError(
                _clash(other, path, "build them in two calls, each with an outdir of its own"),
                command_line=_clash(other, path, "build them into different folders (-o)"),
            )
    return found


def _check_inside(folder: Path, inside: list[Path]) -> None:
    """Refuse a folder's briefing that is a link to a file outside it: a folder sent in by
    anyone (a contributor's, on a shared build server) would have `build DIR` build
    another's briefing from another folder, or quote a file elsewhere in its errors."""
    root = folder.resolve()
    for path in inside:
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            raise UsageError(
                f"{path} is a link to {path.resolve()}, outside the folder {root}; a "
                "folder's briefings are its own files (name the file itself to build it)"
            )


def _clash(first: Path, second: Path, advice: str) -> str:
    """Why two briefings cannot be built into one folder, and the ``advice``."""
    if first.stem == second.stem:
        names = f"{first.stem}.*"
    else:
        # On macOS and Windows, and in a folder copied there, a.pdf and A.pdf are one
        # file: the second build would overwrite the first without a word.
        names = f"{first.stem}.* and {second.stem}.*, one file where case is ignored"
        names += " (macOS, Windows)"
    return f"{first} and {second} would both write {names}; {advice}"


def _same_file(path: Path) -> Path:
    """What tells two names of one file apart from two files: its resolved path."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: reported when it is read
        return path


def build_many(
    sources: str | Path | Iterable[str | Path],
    formats: str | Iterable[str] = ("pdf",),
    outdir: str | Path = "out",
    *,
    options: BuildOptions | None = None,
    jobs: int = 1,
    done: Callable[[Outcome], None] | None = None,
    **option_values: Unpack[OptionValues],
) -> list[Outcome]:
    """Build many briefings, ``jobs`` at a time in worker processes (in this process when 1);
    ``sources`` are their files' paths (one alone is one briefing), a folder standing for the
    briefings in it, as :func:`briefing_files` finds them: two that would write the same
    output names raise :class:`~briefgen.errors.UsageError` before any is built.

    A briefing that fails does not stop the others: its :class:`Outcome` carries the report
    instead. ``done`` is called in this process as each one finishes, in finishing order;
    the outcomes are returned in the order of ``sources`` (a folder's in the order of their
    names), one for each file however many times it is named.

    The workers are forked where the system forks by default (Linux), but from a server
    process started afresh while another thread runs here (a fork then could inherit a
    lock held for ever); that server, as Python's ``spawn``, imports the program's main
    module again, which must then start its work under ``if __name__ == "__main__":``.

    Build options are given as for :func:`build`: ``options=`` or keyword arguments.
    """
    return build_batch(sources, formats, outdir, resolve(options, option_values), jobs, done)


def build_batch(
    sources: str | Path | Iterable[str | Path],
    formats: str | Iterable[str],
    outdir: str | Path,
    options: BuildOptions | None,
    jobs: int,
    done: Callable[[Outcome], None] | None,
    command_line: CommandLine | None = None,
) -> list[Outcome]:
    """:func:`build_many`, or, given ``command_line``, the batch `briefgen build` makes."""
    folder = output_folder(outdir)
    names = format_names(formats)
    # Checked here, once: a wrong one was each briefing's "internal error" in its outcome.
    options = resolve(options, {})
    if isinstance(jobs, bool) or not isinstance(jobs, int):
        raise TypeError(f"jobs must be a whole number (int), not {type(jobs).__name__}")
    for name in names:
        builder(name)  # loaded now: a bad plug-in fails once, and forked workers inherit it
    # As build refuses them: else each briefing of the batch failed with the same clash.
    check_vertical(options, names)
    # As `briefgen build` takes them: two briefings of one name (a/x.yaml, b/x.yaml) would
    # write one x.pdf, the second over the first, and both be reported built.
    files = briefing_files(_sources(sources))
    if jobs < 1:
        raise UsageError(f"jobs must be at least 1, not {jobs}")
    if jobs > 1 and len(files) > 1:
        _check_workers_allowed(jobs)
    outcomes: dict[Path, Outcome] = {}

    def finished(outcome: Outcome) -> None:
        outcomes[outcome.source] = outcome
        if done is not None:
            done(outcome)

    if jobs == 1 or len(files) == 1:
        for path in files:
            finished(_build_one(path, names, folder, options, command_line))
    else:
        # Imported here: a single build has no use for a pool (10 ms of its start-up).
        from concurrent.futures import ProcessPoolExecutor, as_completed
        from concurrent.futures.process import BrokenProcessPool

        context = _pool_context()
        pool = ProcessPoolExecutor(
            max_workers=min(jobs, len(files)),
            mp_context=context,
            initializer=_worker_started,
        )
        # A worker not forked has none of this program's logging: it is given the level.
        level = None if _forked(context) else log.getEffectiveLevel()
        try:
            futures = {
                pool.submit(
                    _build_in_worker,
                    path,
                    names,
                    folder,
                    options,
                    command_line,
                    level,
                ): path
                for path in files
            }
            for future in as_completed(futures):
                try:
                    outcome, records = future.result()
                    for name, record_level, message, held in records:
                        extra = {HELD: True} if held else None  # past a screen's worth
                        logging.getLogger(name).log(record_level, "%s", message, extra=extra)
                    finished(outcome)
                except BrokenProcessPool as error:  # a worker killed, e.g. out of memory
                    hint = "" if command_line is not None else _unforked_hint(context)
                    told = f"{futures[future]}: {error}{hint}"
                    finished(Outcome(futures[future], error=told, failure="worker"))
        except BaseException:
            # Not in a `with` block, whose shutdown(wait=True) set cancel_futures back to
            # False before the pool's thread had cancelled anything: after a Ctrl-C, every
            # briefing not begun was still built before the command could stop.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown()
    return [outcomes[path] for path in files]


def _check_workers_allowed(jobs: int) -> None:
    """Refuses worker processes where Python forbids them: in a daemonic process, such as
    a worker of a program's ``multiprocessing.Pool``, which builds its share of a batch
    with build_many(jobs=2) and met "AssertionError: daemonic processes are not allowed to
    have children" from deep inside the pool, as if briefgen had a bug."""
    import multiprocessing

    if multiprocessing.current_process().daemon:
        raise UsageError(
            f"jobs={jobs} starts worker processes, and this is a daemonic process (a "
            "multiprocessing.Pool's worker), which Python does not let start any\n"
            "    hint: give jobs=1 here (the pool already builds in parallel), or use a "
            "concurrent.futures.ProcessPoolExecutor, whose workers may start processes"
        )


def _pool_context() -> BaseContext | None:
    """How the workers are started: as the system does by default (forked, on Linux, a
    copy of this process that starts at once), but, where that is to fork while another
    thread runs (a web application's, a caller's own build), from a clean server process
    instead. A forked child has only the thread that forked it, and any lock another
    thread held then stays held in it for ever: a worker needing it (WeasyPrint's logging,
    a font library's) hung, and the batch with it. Python 3.12 warns of such a fork."""
    import multiprocessing

    from .forked import can_fork

    if multiprocessing.get_context().get_start_method() != "fork" or can_fork():
        return None
    return multiprocessing.get_context("forkserver")


def _unforked_hint(context: BaseContext | None) -> str:
    """What a worker that ended before its briefing was built may say of the program, where
    the workers were not forked: one started afresh imports the program's main module
    again, and one with no ``if __name__ == "__main__":`` starts its work once more there,
    which Python refuses, ending the worker. The pool's error said only that a process
    "was terminated abruptly", as if it were out of memory. (The command line's own main
    module starts its work so: not said to its user.)"""
    if _forked(context):
        return ""
    return (
        "\n    hint: the workers start afresh and import your program's main module again, "
        'which must start its work under if __name__ == "__main__": (else each worker '
        "stops as it starts); or one ran out of memory"
    )


def _forked(context: BaseContext | None) -> bool:
    """Whether the pool's workers, started by ``context`` (None: the system's way), are
    forked: copies of this process, its logging included."""
    import multiprocessing

    return (context or multiprocessing.get_context()).get_start_method() == "fork"


def _sources(sources: str | Path | Iterable[str | Path]) -> Iterable[str | Path]:
    """The briefings a batch is given: one path alone is one briefing, as one format name is
    one format. A string is iterable too, and ``build_many("a.yaml")`` built the briefings
    "a", ".", "y"…, each a failure, "." the working folder."""
    if isinstance(sources, (str, os.PathLike)):
        return [sources]
    try:
        return list(sources)
    except TypeError:
        raise TypeError(
            "sources must be a briefing file's path or a list of them (str or pathlib.Path), "
            f"not {type(sources).__name__}"
        ) from None


#: In a worker of :func:`build_many`, whether it is building a briefing.
_building = False


def _worker_started() -> None:
    """A worker's Ctrl-C (a terminal sends it to the workers too) ends the worker: the
    pool would report it as the briefing's failure and hand the worker the next one."""
    signal.signal(signal.SIGINT, _worker_interrupted)


def _worker_interrupted(signum: int, frame: object) -> None:
    if _building:
        raise KeyboardInterrupt  # the build removes what it began; _build_in_worker ends
    os._exit(128 + signum)  # waiting for a briefing, with nothing to tidy away


def _build_in_worker(
    source: Path,
    names: list[str],
    outdir: Path,
    options: BuildOptions,
    command_line: CommandLine | None,
    level: int | None,
) -> tuple[Outcome, list[tuple[str, int, str, bool]]]:
    """The briefing's outcome, and what the worker logged, for the program's logging to
    say in its own process. A worker started afresh (``level``: the program's level for
    briefgen's logger) has none of that logging: its warnings went to stderr bare, past the
    program's handlers (its log file, its format). A forked worker has copies of the
    program's handlers, but what they keep stays in the worker: a service that gathers a
    build's warnings to show its user (a handler keeping them in a list) got none of a
    batch's with ``jobs`` above 1, and the workers wrote to the program's log file at once."""
    global _building
    _building = True
    kept = _Kept()
    if level is None:
        _handlers_left_to_the_program()
    else:
        log.setLevel(level)
    logging.root.addHandler(kept)
    try:
        return _build_one(source, names, outdir, options, command_line), kept.records
    except KeyboardInterrupt:
        os._exit(128 + signal.SIGINT)
    finally:
        _building = False
        logging.root.removeHandler(kept)


def _handlers_left_to_the_program() -> None:
    """In a forked worker: no record is handled by the copies of the program's handlers, but
    each is kept and handed to the program, whose logging says it (or not) as it has it."""
    for logger in [logging.root, *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger):
            logger.handlers, logger.propagate, logger.disabled = [], True, False


class _Kept(logging.Handler):
    """Keeps what is logged, as (logger name, level, message and any traceback, whether it
    is held past a screen's worth by :func:`~briefgen.errors.warnings_capped`)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str, bool]] = []

    def emit(self, record: logging.LogRecord) -> None:
        held = bool(getattr(record, HELD, False))
        message = record.getMessage()
        if record.exc_info:
            # A bug's traceback (logged at DEBUG) as its text: the exception itself may not
            # pickle, and the program's own handlers are to print it as they would here.
            message += "\n" + _TRACEBACKS.formatException(record.exc_info)
        self.records.append((record.name, record.levelno, message, held))


_TRACEBACKS = logging.Formatter()


@dataclass(frozen=True)
class CommandLine:
    """A batch as `briefgen build` makes it (:func:`build_batch`)."""

    from_file: Mapping[str, str] = field(default_factory=dict)
    """The settings a configuration file gave (and no flag overrode), each key to the file's
    name: a clash of settings names them there, not by flags the user never typed."""
    own_templates_first: bool = False
    """Whether each briefing's own ``templates:`` folder comes before ``options.templates``,
    which are the configuration file's (:func:`with_own_templates_first`)."""


def _build_one(
    source: Path,
    names: list[str],
    outdir: Path,
    options: BuildOptions,
    command_line: CommandLine | None,
) -> Outcome:
    """One briefing of a batch, its failure caught and told as the command line tells it
    (a setting named by its flag or its key in the configuration file, given
    ``command_line``, else as a library call gives it)."""
    # The command line's screen holds a briefing's first warnings and a line that names the
    # command listing them all; a program's handlers are given every one, as build() gives
    # them, and that line, counted as one more warning, told its user to run a command.
    capped = (
        warnings_capped(str(source), rules=options.disabled_rules)
        if command_line is not None
        else contextlib.nullcontext()
    )
    try:
        with capped:
            given: Path | Briefing = source
            if command_line is not None and command_line.own_templates_first:
                given, options = with_own_templates_first(source, options)
            return Outcome(source, tuple(build(given, names, outdir, options=options)))
    except BriefingError as error:
        return Outcome(
            source, error=error.shown(), failure="briefing", problems=tuple(error.problems)
        )
    except BriefgenError as error:
        told = str(error) if command_line is None else error.told(command_line.from_file)
        return Outcome(source, error=told, failure=_failure(error))
    except Exception as error:  # a bug: say which briefing met it, and go on with the others
        log.debug("building %s", source, exc_info=True)
        told = f"{source}: internal error: {type(error).__name__}: {error}"
        return Outcome(source, error=told, failure="internal")


def with_own_templates_first(source: Path, options: BuildOptions) -> tuple[Briefing, BuildOptions]:
    """The briefing read from ``source``, and ``options`` with its own ``templates:`` folder
    before theirs: for folders a configuration file gives, which the briefing's own choice,
    the more particular, overrides (a ``--templates`` flag is not put behind it). Read here,
    its warnings were given before :func:`build` began to count them: a strict build is
    refused for them as it would be for its own."""
    from .render import briefing_templates_first

    with counting() as read_before, silencing(options.disabled_rules):
        briefing = load(source)
    check_strict(briefing, options, read_before)
    return briefing, briefing_templates_first(briefing, options)


def _failure(error: BriefgenError) -> Failure:
    """Which failure a briefgen error other than a :class:`BriefingError` is: a setting's
    (a :class:`UsageError`) or else the output's (a :class:`BuildError`, or a kind of
    error added later, which is told as one), a strict refusal told apart from the latter."""
    if isinstance(error, UsageError):
        return "usage"
    return "strict" if isinstance(error, StrictError) else "build"
