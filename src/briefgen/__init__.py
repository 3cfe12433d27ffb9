"""briefgen: a structured timeline (YAML) → a typeset CJK briefing as PDF, EPUB 3 and HTML.

>>> import briefgen
>>> briefing = briefgen.load(briefgen.sample_path())
>>> briefgen.build(briefing, formats=["pdf", "epub"], outdir="out")  # doctest: +SKIP
[PosixPath('out/russia-north-korea.pdf'), PosixPath('out/russia-north-korea.epub')]
>>> briefgen.build(briefing, "pdf", paper="A5")  # doctest: +SKIP
[PosixPath('out/russia-north-korea.pdf')]
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .builders import builder
from .errors import BriefgenError, BriefingError, BuildError, Problem, UsageError
from .load import load, loads
from .model import Briefing, Event, PartialDate, Person, Source
from .options import BuildOptions, resolve
from .pipeline import build, prepare
from .resources import sample_path
from .schema import json_schema


def render_pdf(briefing: Briefing, options: BuildOptions | None = None, **values: Any) -> bytes:
    """The briefing as PDF bytes (typography rules applied); options as for :func:`build`."""
    return _render("pdf", briefing, resolve(options, values))


def render_epub(briefing: Briefing, options: BuildOptions | None = None, **values: Any) -> bytes:
    """The briefing as EPUB 3 bytes (typography rules applied); options as for :func:`build`."""
    return _render("epub", briefing, resolve(options, values))


def render_html(briefing: Briefing, options: BuildOptions | None = None, **values: Any) -> str:
    """The briefing as one self-contained HTML document (typography rules applied)."""
    return _render("html", briefing, resolve(options, values)).decode("utf-8")


def _render(format_name: str, briefing: Briefing, options: BuildOptions) -> bytes:
    return builder(format_name).render(prepare(briefing, options), options)


__all__ = [
    "BriefgenError",
    "Briefing",
    "BriefingError",
    "BuildError",
    "BuildOptions",
    "Event",
    "PartialDate",
    "Person",
    "Problem",
    "Source",
    "UsageError",
    "__version__",
    "build",
    "json_schema",
    "load",
    "loads",
    "render_epub",
    "render_html",
    "render_pdf",
    "sample_path",
]
