"""One builder per output format. Adding a format is adding a module and a line to BUILDERS."""

from __future__ import annotations

from typing import Protocol

from ..model import Briefing


class Builder(Protocol):
    name: str
    """What ``--format`` calls it."""
    suffix: str
    """File name extension of the output, with its dot."""

    def render(self, briefing: Briefing) -> bytes:
        """The finished output file's bytes."""
        ...


def builders() -> dict[str, Builder]:
    """Format name → builder. Imported lazily: WeasyPrint alone takes a second to import."""
    from .epub import EpubBuilder
    from .html import HtmlBuilder
    from .pdf import PdfBuilder

    return {builder.name: builder for builder in (PdfBuilder(), EpubBuilder(), HtmlBuilder())}


FORMATS = ("pdf", "epub", "html")
