"""A layout that stops after a given number of pages.

A one-sheet handout whose events run past the back of its sheet is refused, with a count of
the events left off and, for a larger paper that might take them all, a count of those that
paper's sheet holds (builders/pdf.py: ``_check_one_sheet``). Both counts need only the
sheet's two pages and the knowledge that a third begins: laid out whole, a briefing of 200
events took some twenty pages of layout to be refused, and each larger paper tried as many.
Inside :func:`pages_at_most`, this thread's WeasyPrint lays out that many pages and no more.

Installed once per process, for WeasyPrint 70: ``layout/__init__.py: layout_document``
calls ``make_all_pages`` (``layout/page.py``), a generator of the pages, and lists what it
yields; stopping it early leaves a document of the first pages, each laid out as in the
whole. Every other layout, on this thread or another, gets WeasyPrint's own function.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from weasyprint import layout

from .once import once


class _Limit(threading.local):
    """Per thread: how many pages its layouts may take now (None: all of them)."""

    def __init__(self) -> None:
        self.pages: int | None = None


_limit = _Limit()


@contextmanager
def pages_at_most(count: int) -> Iterator[None]:
    """While inside, this thread's WeasyPrint lays out ``count`` pages of a document at most."""
    install()
    before, _limit.pages = _limit.pages, count
    try:
        yield
    finally:
        _limit.pages = before


@once
def install() -> None:
    original = layout.make_all_pages

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
        limit = _limit.pages
        for number, page in enumerate(original(context, root_box, html, pages), start=1):
            yield page
            if limit is not None and number >= limit:
                return

    layout.make_all_pages = make_all_pages
