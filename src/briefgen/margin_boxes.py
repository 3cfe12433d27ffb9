"""The page's running header and footer sized without measuring what they do not need.

A margin box of ``width: auto`` (the running header's two boxes, the footer's one) is sized
by WeasyPrint 70 in ``layout/page.py: compute_variable_dimension``, which sets each box's
outer width through ``OrientedBox.outer``. That setter clamps the width it is given between
the box's min-content and max-content widths, ``min(max(min_content, width), max_content)``,
and so measures both. When the width given is at least the max-content width, as it is
whenever the boxes fit side by side (every page of a briefing whose title and dates fit on
one line), the answer is the max-content width whatever the min-content width is; yet
measuring that takes a layout of the box's text at every place it may break, which in CJK
text is nearly every character: 0.18 s of CPU of a 12.6 s build of 200 events (181 boxes),
0.02 s of the sample's 1.4 s.

Here the setter answers the max-content width without the min-content one in that case,
and asks the original otherwise: the same widths, so the same PDF, byte for byte
(tests/test_margin_boxes.py). Installed once per process, for WeasyPrint 70
(``layout/page.py: OrientedBox``).
"""

from __future__ import annotations

from typing import Any

from weasyprint.layout import page

from .once import once


@once
def install() -> None:
    """Put the quicker setter in place (once per process)."""
    original = page.OrientedBox.outer

    def outer(self: Any, new_outer_width: float) -> None:
        widest = self.max_content_size
        if new_outer_width - self.sugar >= widest:
            # min(max(m, w), widest) is widest for any m when w >= widest.
            self.inner = widest
        else:
            original.fset(self, new_outer_width)

    page.OrientedBox.outer = original.setter(outer)
