"""Unbreakables: the dash and the ellipsis of Chinese and Japanese text, each two ems long,
written the way the fonts draw them whole.

    據報導...雙方   →  據報導……雙方        (three or more dots)
    他說。。。好    →  他說……好
    等待…然後       →  等待……然後          (a lone ellipsis is half of one)
    答案--就是      →  答案——就是          (two or three hyphens)
    答案──就是      →  答案——就是          (box-drawing lines, a common stand-in)
    答案－－就是    →  答案——就是          (full-width hyphens)
    zh: 答案――就是  →  答案——就是          (horizontal bars; Japanese keeps them)
    e.g. 3...5      →  e.g. 3...5           (not touching CJK text: unchanged)
    北京—上海       →  北京—上海            (one dash joins a range: unchanged)
    「好」 -- 然後   →  「好」 —— 然後       (the spaces after a mark are segment-breaks')
    答案 -- 就是     →  答案 —— 就是         (set apart between two: segment-breaks' too)

Only runs touching a Han character, kana or full-width mark change; after a full-width mark,
across the spaces or the line break that segment-breaks removes there, since a mark carries
its own space (else ``「好」 -- 然後`` became ``「好」-- 然後``); and a run set apart by spaces
between two of them, as English sets a dash, which segment-breaks then closes up. A single
em dash stays as it is: between two names or numbers it is a connector (``北京—上海``), not
half a dash.
Keeping the result on one line, and off the start of one, is the renderer's part
(``briefgen/markdown.py``).
"""

from __future__ import annotations

import re

from .chars import WIDE, WIDE_PUNCTUATION

_DOTS = r"\.{3,}|。{3,}"
_ELLIPSES = r"…+|⋯+"
_DASHES = r"-{2,3}|─{2}|－{2}"
_BARS = r"―{2}"


#: After a full-width mark (and the emphasis marker closing it), the spaces or the line
#: break that segment-breaks removes (segment_breaks._AFTER_MARK_BREAK); not before a line
#: of dashes alone, a Markdown rule or setext underline.
_AFTER_MARK = (
    rf"(?:(?<={WIDE_PUNCTUATION})|(?<={WIDE_PUNCTUATION}[*_]))"
    rf"(?:[ \t]+|[ \t]?\n[ \t]*(?![-=]+[ \t]*(?:\n|$)))"
)


def _touching(runs: str) -> re.Pattern[str]:
    """Any of ``runs`` with a wide character just before or just after it, or a full-width
    mark before it and only what segment-breaks removes between them, or spaces and a wide
    character on both sides (the spaces kept, for that rule to remove)."""
    return re.compile(
        rf"(?:(?<={WIDE})|{_AFTER_MARK}|(?<={WIDE})[ \t]+(?=(?:{runs})[ \t]+{WIDE}))(?:{runs})"
        rf"|(?:{runs})(?={WIDE})"
    )


_ELLIPSIS = _touching(f"{_DOTS}|{_ELLIPSES}")
_DASH = _touching(_DASHES)
_DASH_OR_BAR = _touching(f"{_DASHES}|{_BARS}")


def unbreakables(text: str, lang: str) -> str:
    text = _ELLIPSIS.sub(_ellipsis, text)
    dash = _DASH if lang == "ja" else _DASH_OR_BAR
    return dash.sub(_dash, text)


def _dash(match: re.Match[str]) -> str:
    space, _ = _split(match.group())
    return f"{space}——"


def _split(found: str) -> tuple[str, str]:
    """The white space a match begins with (after a full-width mark), and its run."""
    run = found.lstrip(" \t\n")
    return found[: len(found) - len(run)], run


def _ellipsis(match: re.Match[str]) -> str:
    space, run = _split(match.group())
    return space + _ellipsis_for(run)


def _ellipsis_for(run: str) -> str:
    if run[0] in "…⋯":
        # Whole ellipses are pairs of the mark: an odd run lost (or gained) one.
        pairs = max(1, len(run) // 2)
        return run[0] * 2 * pairs
    return "……"
