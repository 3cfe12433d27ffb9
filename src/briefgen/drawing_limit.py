"""A bound on the shapes WeasyPrint draws for one SVG drawing of a PDF.

An SVG picture holds all it shows (``values.py`` refuses one that loads anything), but inside
itself a ``<use>`` draws another element again, a marker is drawn at every vertex of its
path, a mask or a clip path for every element that names it, and each such copy can hold
more: a drawing of 2 KB, twelve groups each of ten ``<use>`` of the group before, asks for
10¹¹ rectangles, and WeasyPrint 70 drew them one by one, for hours, its memory growing by
gigabytes (an event's picture, or one a briefing's template shows). Browsers and e-book
readers bound such copies themselves.

Inside briefgen's layout (``own_layout``), a drawing that asks for more than
:data:`MAX_SVG_SHAPES` is left out of the page, with a warning, as WeasyPrint leaves out one
it cannot draw, and what of it was drawn is taken back off the page. Installed once per
process, for WeasyPrint 70: ``images.SVGImage.draw`` draws the whole drawing, each element
through ``svg.SVG.draw_node``.
"""

from __future__ import annotations

import threading
from typing import Any

from weasyprint import images, svg
from weasyprint.logger import LOGGER

from . import own_layout
from .once import once

#: The most elements one drawing may have WeasyPrint draw, its copies counted: some 20 s
#: of drawing and half a gigabyte of memory, more than a picture of a briefing needs.
MAX_SVG_SHAPES = 100_000


class _Count(threading.local):
    """Per thread: the shapes drawn of the drawing being drawn (None: none is)."""

    def __init__(self) -> None:
        self.shapes: int | None = None


_count = _Count()


class _TooManyShapes(Exception):
    pass


@once
def install() -> None:
    original_draw = images.SVGImage.draw
    original_node = svg.SVG.draw_node

    def draw(self: Any, stream: Any, width: float, height: float, style: Any) -> None:
        if not own_layout.active() or _count.shapes is not None:
            original_draw(self, stream, width, height, style)
            return
        drawn = len(stream.stream)
        _count.shapes = 0
        try:
            self._svg.draw(stream, width, height, self._base_url, self._context)
        except _TooManyShapes:
            del stream.stream[drawn:]
            LOGGER.error(
                "the SVG image %s draws more than %s shapes once its copies (<use>, markers, "
                "masks) are counted; it is left out\n    hint: simplify the drawing, or "
                "export it as PNG",
                self._base_url,
                f"{MAX_SVG_SHAPES:,}",
            )
        except BaseException as exception:  # as WeasyPrint's own SVGImage.draw
            LOGGER.error("Failed to render SVG image %s", self._base_url)
            LOGGER.debug("Error while rendering SVG image:", exc_info=exception)
        finally:
            _count.shapes = None

    def draw_node(self: Any, node: Any, *args: Any, **kwargs: Any) -> Any:
        if _count.shapes is not None:
            _count.shapes += 1
            if _count.shapes > MAX_SVG_SHAPES:
                raise _TooManyShapes
        return original_node(self, node, *args, **kwargs)

    images.SVGImage.draw = draw
    svg.SVG.draw_node = draw_node
