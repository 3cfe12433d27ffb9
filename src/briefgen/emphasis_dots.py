"""The PDF's emphasis dots drawn after the text of their line, so that the text copies back
whole.

WeasyPrint has no ``text-emphasis``: each emphasised CJK character is a ``dot`` span of its
own (markdown.py) whose background is the dot (print.css). WeasyPrint draws an inline box's
background where it meets the box, between the text before it and the character itself,
and a background of one picture as a form XObject (``draw_background_image``). pypdf, whose
``extract_text`` many a program copies a PDF's text with, ends a line of text at each form
XObject: ``這是*重要*的`` came back as ``這是``, ``重``, ``要的``, a character a line, and a
quotation with emphasis copied out of the PDF had to be mended by hand.

Here a ``dot`` span's background is left out where WeasyPrint draws the line's content, and
drawn after the line's last text instead, as it would have been drawn (the same clip, the
same picture, in the same place: the line's boxes lie in one coordinate space). The dots lie
beside the characters, in the line's gap, clear of any text: the page looks the same, the
line's text is one run for every reader, and the dots, artifacts, are no part of it.

Installed once per process, for WeasyPrint 70: ``weasyprint.draw.draw_inline_level``, which
``draw_block_level`` calls by its module's name for each line, and which calls itself so
for each box in the line. Only in briefgen's own layouts (:func:`own_layout.active`).
"""

from __future__ import annotations

import functools
import threading
from typing import Any

import weasyprint.draw
from weasyprint.formatting_structure import boxes

from . import own_layout
from .once import once

#: The class of an emphasised character's span, whose background is its dot (markdown.py).
DOT_CLASS = "dot"


class _Line(threading.local):
    """Per thread: the ``dot`` spans of the line being drawn, whose backgrounds wait for the
    line's text (``None`` outside a line)."""

    def __init__(self) -> None:
        self.dots: list[Any] | None = None


_line = _Line()


def is_dot(box: Any) -> bool:
    """Whether ``box`` is an emphasised character's span (a stacking context, an inline
    block's, is no box and is none)."""
    if not isinstance(box, boxes.InlineBox) or box.element is None:
        return False
    return DOT_CLASS in (box.element.get("class") or "").split()


@once
def install() -> None:
    """Have WeasyPrint draw the dots of a line after the line's text (once per process)."""
    draw = weasyprint.draw.draw_inline_level

    @functools.wraps(draw)
    def draw_inline_level(stream: Any, page: Any, box: Any, *args: Any, **kwargs: Any) -> Any:
        if not own_layout.active():
            return draw(stream, page, box, *args, **kwargs)
        if isinstance(box, boxes.LineBox):
            return _draw_line(draw, stream, page, box, *args, **kwargs)
        if _line.dots is None or not is_dot(box) or box.background is None:
            return draw(stream, page, box, *args, **kwargs)
        # The span without its background now; the background once the line's text is in.
        _line.dots.append(box)
        background, box.background = box.background, None
        try:
            return draw(stream, page, box, *args, **kwargs)
        finally:
            box.background = background

    weasyprint.draw.draw_inline_level = draw_inline_level


def _draw_line(draw: Any, stream: Any, page: Any, line: Any, *args: Any, **kwargs: Any) -> Any:
    """``line`` drawn by WeasyPrint's ``draw``, then its dots. A line inside it (of an
    inline block) keeps its own dots, drawn after its own text."""
    outer, _line.dots = _line.dots, []
    try:
        drawn = draw(stream, page, line, *args, **kwargs)
        for dot in _line.dots:
            weasyprint.draw.draw_background(stream, dot.background)
        return drawn
    finally:
        _line.dots = outer
