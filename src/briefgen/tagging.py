"""The tagged PDF's structure tree, made in time that grows with its size, not its square.

WeasyPrint 70 writes the structure tree (``pdf/tags.py: add_tags``) after every page is in
the PDF, and gives each structure element its page as ``pdf.page_references[page]``. In
pydyf that is a property that builds a new tuple of every page's reference at each call, so
the tree costs (elements × pages): 21,000 calls over 61 pages at 200 events; at 1,000 events
(283 pages) the tree took 4.95 s of CPU, and 0.77 s once the references were built once.
Here, while ``add_tags`` runs (no page is added then), the references are built once and
kept: the PDF is the same, byte for byte (tests/test_tagging.py).

Installed once per process, for WeasyPrint 70 and pydyf: ``weasyprint.pdf.add_tags`` (as
``pdf/__init__.py: generate_pdf`` calls it, by its module's name) and
``pydyf.PDF.page_references``.
"""

from __future__ import annotations

import functools
from typing import Any

import pydyf
import weasyprint.pdf

from .once import once


class _AllPagesIn(pydyf.PDF):  # type: ignore[misc]
    """A PDF whose pages are all added: its page references are built once."""

    @functools.cached_property
    def page_references(self) -> tuple[bytes, ...]:
        references: tuple[bytes, ...] = pydyf.PDF.page_references.fget(self)
        return references


@once
def install() -> None:
    """Have ``add_tags`` read the page references once (once per process)."""
    original = weasyprint.pdf.add_tags

    @functools.wraps(original)
    def add_tags(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        if type(pdf) is not pydyf.PDF:
            return original(pdf, *args, **kwargs)
        pdf.__class__ = _AllPagesIn
        try:
            return original(pdf, *args, **kwargs)
        finally:
            pdf.__class__ = pydyf.PDF
            pdf.__dict__.pop("page_references", None)

    weasyprint.pdf.add_tags = add_tags
