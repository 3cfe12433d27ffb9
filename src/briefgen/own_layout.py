"""Whether the WeasyPrint at work on this thread is laying out one of briefgen's PDFs.

briefgen's mends to WeasyPrint that change what it makes (``word_breaks``: where lines
break; ``tagging``: the languages and the link descriptions of the structure tree) are put
in place once per process, in WeasyPrint's own modules. A program that builds briefings
and lays out documents of its own with WeasyPrint in the same process (a newsroom's
worker, a report beside the briefing) must get its own documents as WeasyPrint makes
them: each such mend asks :func:`active`, and hands every other layout to WeasyPrint's
own function, as ``justify.cjk_justification`` does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Depth(threading.local):
    """Per thread: how many of briefgen's PDFs it is laying out or writing now."""

    def __init__(self) -> None:
        self.depth = 0


_state = _Depth()


@contextmanager
def briefing_layout() -> Iterator[None]:
    """While inside, this thread's WeasyPrint lays out and writes one of briefgen's PDFs.
    A child process forked inside (a part of a long PDF) is inside too."""
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1


def active() -> bool:
    """Whether this thread is inside :func:`briefing_layout`."""
    return _state.depth > 0
