"""Quotes by locale: straight quotes around or beside Chinese or Japanese text become the
locale's marks, with the second level inside the first. Curly quotes already written are
left alone, and so are quotes in Latin text and apostrophes.

    zh-Hant, ja: "一日生活圈"        →  「一日生活圈」
                 "他說'好'"           →  「他說『好』」
                 '一日生活圈'        →  「一日生活圈」
    zh-Hans:     "一日生活圈"        →  “一日生活圈”
                 He said "yes".       →  He said "yes".
"""

from __future__ import annotations

import re

from .chars import HAN_KANA, WIDE

MARKS = {
    "zh-Hant": ("「", "」", "『", "』"),
    "zh-TW": ("「", "」", "『", "』"),
    "zh-HK": ("「", "」", "『", "』"),
    "ja": ("「", "」", "『", "』"),
    "zh-Hans": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "zh-CN": ("\u201c", "\u201d", "\u2018", "\u2019"),
}

# Within one paragraph: a line break inside the quotation is allowed, a blank line is not.
_DOUBLE = re.compile(r'"((?:[^"\n]|\n(?![ \t]*\n))+)"')
# Not an apostrophe: no letter or digit right outside the pair.
_SINGLE = re.compile(r"(?<![A-Za-z0-9])'([^'\n]+)'(?![A-Za-z0-9])")
_HAN_KANA = re.compile(HAN_KANA)
_WIDE = re.compile(WIDE)


def quotes(text: str, lang: str) -> str:
    opening, closing, inner_opening, inner_closing = MARKS[lang]

    def outer(match: re.Match[str]) -> str:
        if not _beside_cjk(match):
            return match.group()
        inner = _SINGLE.sub(lambda m: f"{inner_opening}{m.group(1)}{inner_closing}", match.group(1))
        return f"{opening}{inner}{closing}"

    text = _DOUBLE.sub(outer, text)
    # Single quotes left at the top level are quotations of the first level.
    return _SINGLE.sub(
        lambda m: f"{opening}{m.group(1)}{closing}" if _beside_cjk(m) else m.group(), text
    )


def _beside_cjk(match: re.Match[str]) -> bool:
    """The quoted text holds Han or kana, or a wide character sits right outside it."""
    text = match.string
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return bool(
        _HAN_KANA.search(match.group(1))
        or _WIDE.fullmatch(before or "x")
        or _WIDE.fullmatch(after or "x")
    )
