"""From a briefing (or its file) to finished output files, written atomically."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Iterable

from . import fonts, typography
from .builders import FORMATS, builder
from .errors import BuildError
from .load import load
from .model import Briefing

log = logging.getLogger("briefgen")


def prepare(source: Briefing | str | Path) -> Briefing:
    """Load (if needed), warn about characters the fonts lack, apply the typography rules."""
    briefing = source if isinstance(source, Briefing) else load(source)
    warn_missing_glyphs(briefing)
    return typography.apply(briefing)


def warn_missing_glyphs(briefing: Briefing) -> None:
    """Log each character the fonts lack, before rendering turns it into a box."""
    for problem in fonts.missing_glyphs(briefing):
        log.warning("%s", problem)


def build(source: Briefing | str | Path, formats: Iterable[str] = ("pdf",),
          outdir: str | Path = "out", stem: str | None = None) -> list[Path]:
    """Build the briefing in each format into ``outdir``; return the files written.

    Files are named after the briefing file's stem (or ``stem``). Each is written to a
    temporary file first and renamed when complete, so a failed build leaves nothing behind.
    """
    formats = list(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    briefing = prepare(source)
    stem = stem or (briefing.path.stem if briefing.path else "briefing")
    chosen = [builder(name) for name in formats]
    outputs = [(chosen_builder.suffix, chosen_builder.render(briefing)) for chosen_builder in chosen]
    outdir = Path(outdir)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BuildError(f"cannot create the output folder {outdir}: {error.strerror}") from None
    # Everything is rendered before anything is written: a failure leaves no partial set.
    return [_write_atomically(outdir / f"{stem}{suffix}", data) for suffix, data in outputs]


def _write_atomically(target: Path, data: bytes) -> Path:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
