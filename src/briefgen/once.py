"""A function run once per process, however many threads call it.

briefgen's mends to WeasyPrint 70 (``repaginate``, ``tagging``, ``margin_boxes``,
``note_styles``, ``word_breaks``) are each put in place by the first PDF build, which may run
on any thread (``briefgen watch`` serves previews on one, a caller may build on several).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable


def once(function: Callable[[], None]) -> Callable[[], None]:
    """``function``, run the first time it is called and never again."""
    lock = threading.Lock()
    done = False

    @functools.wraps(function)
    def run_once() -> None:
        nonlocal done
        with lock:  # a second caller waits until the first one's call has finished
            if not done:
                function()
                done = True

    return run_once
