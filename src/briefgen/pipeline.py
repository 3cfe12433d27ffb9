"""From a briefing (or its file) to finished output files, written atomically."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import typography
from .builders import NOT_IN_ALL, Builder, builder
from .builders import formats as known_formats
from .coverage import missing_glyphs
from .errors import BuildError, UsageError, display_path
from .load import load
from .model import Briefing
from .options import BuildOptions, resolve

log = logging.getLogger("briefgen")


def prepare(source: Briefing | str | Path, options: BuildOptions | None = None) -> Briefing:
    """Load (if needed), warn about characters the fonts lack, apply the typography rules
    (but those ``options.disabled_rules`` names)."""
    briefing = source if isinstance(source, Briefing) else load(source)
    warn_missing_glyphs(briefing)
    return typography.apply(briefing, options.disabled_rules if options else ())


def warn_missing_glyphs(briefing: Briefing) -> None:
    """Log each character the fonts lack, before rendering turns it into a box."""
    for problem in missing_glyphs(briefing):
        log.warning("%s", problem)


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
    available = known_formats()
    if "all" in names:
        return [name for name in available if name not in NOT_IN_ALL]
    unknown = [name for name in names if name not in available]
    if unknown:
        raise UsageError(
            f"unknown format {unknown[0]!r}; choose from {', '.join(available)} or all"
        )
    if not names:
        raise UsageError(f"no format given; choose from {', '.join(available)} or all")
    return names


def build(
    source: Briefing | str | Path,
    formats: str | Iterable[str] = ("pdf",),
    outdir: str | Path = "out",
    *,
    stem: str | None = None,
    options: BuildOptions | None = None,
    **option_values: Any,
) -> list[Path]:
    """Build the briefing in each format into ``outdir``; return the files written.

    Build options are given as ``options=BuildOptions(...)`` or as keyword arguments
    (``paper="A5"``). Files are named after the briefing file's stem (or ``stem``). Every
    output is rendered before any is written, and each is written to a temporary file and
    renamed when complete, so a failed build leaves nothing behind.
    """
    # Everything the call could get wrong fails here, before any work.
    names = format_names(formats)
    options = resolve(options, option_values)
    check_vertical(options, names)
    builders = [builder(name) for name in names]
    with _warnings_counted() as warnings:
        written = source if isinstance(source, Briefing) else load(source)
        briefing = prepare(written, options)
        # Under --strict a finding fails the build before the (slow) rendering.
        changes = typography.lint(written, options.disabled_rules) if options.strict else []
        _check_strict(written, options, warnings, changes)
        outputs = [(chosen.suffix, render(chosen, briefing, options)) for chosen in builders]
        _check_strict(written, options, warnings, changes)
    stem = stem or (briefing.path.stem if briefing.path else "briefing")
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(f"cannot create the output folder {outdir}: {error.strerror}") from None
    return _write_all({outdir / f"{stem}{suffix}": data for suffix, data in outputs})


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _warnings_counted() -> Iterator[_Counter]:
    """Counts the warnings briefgen logs meanwhile (they are shown as they come)."""
    counter = _Counter()
    log.addHandler(counter)
    try:
        yield counter
    finally:
        log.removeHandler(counter)


#: How many of the typography changes a failed strict build lists; ``check`` lists them all.
_CHANGES_SHOWN = 10


def _check_strict(
    briefing: Briefing, options: BuildOptions, warnings: _Counter, changes: list[str]
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
    file = display_path(briefing.path) if briefing.path else "<briefing>"
    lines = [f"{file}: strict: {' and '.join(filter(None, counts))}; nothing was written"]
    lines += changes[:_CHANGES_SHOWN]
    if len(changes) > _CHANGES_SHOWN:
        lines.append(f"… and {len(changes) - _CHANGES_SHOWN} more")
    mend = ["the warnings above say what to mend"] if warnings.count else []
    if changes:
        mend.insert(0, "`briefgen check --fix SOURCE` makes the changes in the source")
    lines.append(f"    hint: {'; '.join(mend)}; or build without --strict")
    raise BuildError("\n".join(lines))


def check_vertical(options: BuildOptions, formats: list[str]) -> None:
    """Refuses vertical writing for any format but the EPUB: WeasyPrint lays out no vertical
    text (it ignores writing-mode), and the HTML page is for a quick look."""
    others = [name for name in formats if name != "epub"]
    if options.vertical and others:
        raise UsageError(
            f"--vertical is for the EPUB only, and this build asks for {', '.join(others)} "
            "too (WeasyPrint, which makes the PDF, lays out no vertical text); build the "
            "EPUB on its own with -f epub --vertical"
        )


def render(chosen: Builder, briefing: Briefing, options: BuildOptions) -> bytes:
    """One builder's output, checked to be bytes (a plug-in's mistake named as such)."""
    data = chosen.render(briefing, options)
    if not isinstance(data, bytes):
        raise BuildError(f"the {chosen.name!r} builder returned {type(data).__name__}, not bytes")
    return data


def _write_all(outputs: dict[Path, bytes]) -> list[Path]:
    """Write every file to a temporary name first, and rename them only once all are
    written: a full disk halfway through leaves neither a partial file nor a partial set."""
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
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary
