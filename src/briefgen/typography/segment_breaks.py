"""Segment breaks: a line break inside a paragraph, between two wide characters, is removed
instead of becoming a space (CSS Text 3's segment break transformation), and so are stray
spaces between two wide characters.

    果たした。\\n本資料は  →  果たした。本資料は
    朝鮮 戰爭                →  朝鮮戰爭
    한국\\n사람               →  한국\\n사람      (Hangul: the break is a space between words)

A Markdown hard break (two spaces before the line break) and paragraph breaks stay.
"""

from __future__ import annotations

import re

from .chars import WIDE

# At most one space or tab before the break: two or more make a Markdown hard break.
_BREAK = re.compile(rf"(?<={WIDE})[ \t]?\n[ \t]*(?={WIDE})")
_SPACES = re.compile(rf"(?<={WIDE})[ \t]+(?={WIDE})")


def segment_breaks(text: str, lang: str) -> str:
    return _SPACES.sub("", _BREAK.sub("", text))
