"""briefgen: a structured timeline (YAML) → a typeset CJK briefing as PDF, EPUB 3 and HTML.

>>> import briefgen
>>> briefing = briefgen.load(briefgen.sample_path())
>>> briefgen.build(briefing, formats=["pdf", "epub"], outdir="out")  # doctest: +SKIP
[PosixPath('out/russia-north-korea.pdf'), PosixPath('out/russia-north-korea.epub')]
>>> briefgen.build(briefing, "pdf", paper="A5")  # doctest: +SKIP
[PosixPath('out/russia-north-korea.pdf')]
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Unpack

from ._version import __version__

# Imported at once, unlike the other names below: importing the submodule `briefgen.load`
# makes its module the package's attribute `load`, in place of the function.
from .load import load, loads

if TYPE_CHECKING:
    from .builders import builder as builder
    from .editions import edition
    from .errors import BriefgenError, BriefingError, BuildError, Problem, StrictError, UsageError
    from .model import Briefing, Event, Fonts, PartialDate, Person, Source
    from .options import BuildOptions, OptionValues
    from .options import resolve as resolve
    from .pipeline import Outcome, build, build_many
    from .pipeline import prepare as prepare
    from .resources import sample_path
    from .schema import json_schema

# Each other public name and the module it lives in, imported when first asked (PEP 562):
# `briefgen --help` and `briefgen check` need a fraction of the package, and importing all
# of it took a third of their time.
_HOMES = {
    "builder": "builders",
    **dict.fromkeys(
        ["BriefgenError", "BriefingError", "BuildError", "Problem", "StrictError", "UsageError"],
        "errors",
    ),
    **dict.fromkeys(["Briefing", "Event", "Fonts", "PartialDate", "Person", "Source"], "model"),
    **dict.fromkeys(["BuildOptions", "OptionValues", "resolve"], "options"),
    **dict.fromkeys(["Outcome", "build", "build_many", "prepare"], "pipeline"),
    "edition": "editions",
    "sample_path": "resources",
    "json_schema": "schema",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def render_pdf(
    briefing: Briefing, options: BuildOptions | None = None, **values: Unpack[OptionValues]
) -> bytes:
    """The briefing as PDF bytes (typography rules applied); options as for :func:`build`."""
    return _render("pdf", briefing, _options(options, values))


def render_epub(
    briefing: Briefing, options: BuildOptions | None = None, **values: Unpack[OptionValues]
) -> bytes:
    """The briefing as EPUB 3 bytes (typography rules applied); options as for :func:`build`."""
    return _render("epub", briefing, _options(options, values))


def render_html(
    briefing: Briefing, options: BuildOptions | None = None, **values: Unpack[OptionValues]
) -> str:
    """The briefing as one self-contained HTML document (typography rules applied)."""
    return _render("html", briefing, _options(options, values)).decode("utf-8")


def _options(options: BuildOptions | None, values: OptionValues) -> BuildOptions:
    from .options import resolve

    return resolve(options, values)


def _render(format_name: str, briefing: Briefing, options: BuildOptions) -> bytes:
    from .builders import builder as builder
    from .pipeline import check_vertical, prepare

    check_vertical(options, [format_name])  # as build does: vertical is the EPUB's alone

    return builder(format_name).render(prepare(briefing, options), options)


__all__ = [
    "BriefgenError",
    "Briefing",
    "BriefingError",
    "BuildError",
    "BuildOptions",
    "Event",
    "Fonts",
    "OptionValues",
    "Outcome",
    "PartialDate",
    "Person",
    "Problem",
    "Source",
    "StrictError",
    "UsageError",
    "__version__",
    "build",
    "build_many",
    "edition",
    "json_schema",
    "load",
    "loads",
    "render_epub",
    "render_html",
    "render_pdf",
    "sample_path",
]
