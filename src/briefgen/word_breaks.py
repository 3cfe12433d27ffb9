"""Lines in the PDF not broken where a reader would not break them, which Pango would:

* Korean between words only, at their spaces, as Korean is printed (CSS ``word-break:
  keep-all``, which browsers and e-book readers are asked for in ``css/cjk-text.css``).
  Pango breaks Hangul as it breaks Han, between any two syllables (UAX #14), and WeasyPrint
  70 knows ``word-break: normal`` and ``break-all`` only: a Korean briefing's lines ended
  inside words (진격하/면서), 221 of 259 breaks in a measured one.
* Chinese and Japanese never between a number and the 年, 月 or 日 it counts (``1953年9`` /
  ``月4日``: 15 times in the people index of 120 events), which UAX #14 allows.

Pango can be told not to break inside a stretch of text (``pango_attr_allow_breaks_new``,
Pango 1.44), which WeasyPrint does not declare; here each such stretch of a text box gets
that attribute, after WeasyPrint has set the layout's own (``text/line_break.py:
Layout.set_text``). A word longer than the line still overflows it, as a long Latin word
does. Breaks between two inline boxes (a word half in ``<em>``) are WeasyPrint's to find,
from the text alone.

Installed once per process, for WeasyPrint 70.
"""

from __future__ import annotations

import re
from typing import Any

from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from .once import once

#: What Pango keeps whole in Korean: a run of anything but white space.
_WORD = re.compile(r"\S+")

#: What Pango keeps whole in Chinese and Japanese: a number and the date unit after it.
_COUNTED = re.compile(r"[0-9０-９]+[年月日]")


def _unbroken(lang: str | None) -> re.Pattern[str] | None:
    """The stretches of text in ``lang`` not to break inside, if any."""
    if lang is None:
        return None
    if lang == "ko" or lang.startswith("ko-"):
        return _WORD
    if lang.startswith(("zh", "ja")):
        return _COUNTED
    return None


@once
def install() -> None:
    """Put the stretch-keeping ``set_text`` in place (once per process)."""
    ffi.cdef(
        "PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);"
        "void pango_layout_context_changed (PangoLayout *layout);"
    )
    original = line_break.Layout.set_text

    def set_text(self: Any, text: str, justify: bool = False) -> None:
        original(self, text, justify)
        pattern = _unbroken(self.style["lang"])
        if pattern is None or not self.text:
            return
        words = list(pattern.finditer(self.text))
        if not words:
            return
        attributes = pango.pango_layout_get_attributes(self.layout)
        fresh = attributes == ffi.NULL
        if fresh:
            attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
        # Pango counts in bytes of UTF-8.
        offsets = _byte_offsets(self.text)
        for word in words:
            attribute = pango.pango_attr_allow_breaks_new(False)
            attribute.start_index = offsets[word.start()]
            attribute.end_index = offsets[word.end()]
            pango.pango_attr_list_insert(attributes, attribute)
        if fresh:
            pango.pango_layout_set_attributes(self.layout, attributes)
        else:
            # The list is the layout's own, changed in place: its lines are to be made again.
            pango.pango_layout_context_changed(self.layout)

    line_break.Layout.set_text = set_text


def _byte_offsets(text: str) -> list[int]:
    """The UTF-8 offset of each character of ``text``, and of its end."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + len(char.encode("utf-8")))
    return offsets
