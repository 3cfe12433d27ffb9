"""briefgen: a structured timeline (YAML) → a typeset CJK briefing as PDF, EPUB 3 and HTML.

>>> import briefgen
>>> briefing = briefgen.load(briefgen.sample_path())
>>> briefgen.build(briefing, formats=["pdf", "epub"], outdir="out")  # doctest: +SKIP
[PosixPath('out/russia-north-korea.pdf'), PosixPath('out/russia-north-korea.epub')]
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import BriefgenError, BriefingError, BuildError, Problem  # noqa: E402
from .load import load, loads  # noqa: E402
from .model import Briefing, Event, PartialDate, Person, Source  # noqa: E402
from .resources import sample_path  # noqa: E402
from .build import build  # noqa: E402


def render_pdf(briefing: Briefing) -> bytes:
    """The briefing as PDF bytes (typography rules applied)."""
    from .build import prepare
    from .builders.pdf import render_pdf as _render_pdf
    return _render_pdf(prepare(briefing))


def render_epub(briefing: Briefing) -> bytes:
    """The briefing as EPUB 3 bytes (typography rules applied)."""
    from .build import prepare
    from .builders.epub import render_epub as _render_epub
    return _render_epub(prepare(briefing))


def render_html(briefing: Briefing) -> str:
    """The briefing as one self-contained HTML document (typography rules applied)."""
    from .build import prepare
    from .builders.html import render_html as _render_html
    return _render_html(prepare(briefing))


__all__ = ["Briefing", "BriefgenError", "BriefingError", "BuildError", "Event", "PartialDate",
           "Person", "Problem", "Source", "__version__", "build", "load", "loads",
           "render_epub", "render_html", "render_pdf", "sample_path"]
