"""Where a quarter em goes between a Han or kana character and a Western run next to it
(``約 110 億``, ``2023 年 9 月``), as CSS Text 4 asks of ``text-autospace`` and Chinese and
Japanese print practice (clreq) set it: worked out from the text alone, for the PDF's lines
(briefgen/justify.py) and the visual timeline's labels (briefgen/timeline.py).

A Western run is letters, digits and the signs that belong to them (``30%``, ``km/h``); a
run of signs alone gets no gap, nor does CJK punctuation (``，2023``, ``（AP）``), nor a
place where the text has a space.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .typography.chars import HAN_KANA, WIDE_PUNCTUATION
from .typography.masking import ADDRESS

#: The gap, in em of the font size of the character before it (CSS Text 4's
#: ``text-autospace`` asks for 1/8 ic; Chinese and Japanese print practice, and clreq, for a
#: quarter em).
AUTOSPACE = 0.25

#: Signs that belong to a Western run (``30%``, ``$5``, ``U.S.``, ``km/h``, ``C++``).
WESTERN_SIGNS = frozenset("%$+#@&-./_~*'°€£¥")

_IDEOGRAPH = re.compile(HAN_KANA)
_CJK_PUNCTUATION = re.compile(WIDE_PUNCTUATION)


@functools.cache
def is_wide(char: str) -> bool:
    """Han, kana, Hangul and full-width punctuation: the characters that CJK typesetting
    spaces evenly, and that never hold a space to stretch. Punctuation of ambiguous width
    (“ ” ‘ ’ … — ·) is set full-width in CJK text and spaced with it; ambiguous letters
    (é, ü) belong to Latin words, which are never pulled apart."""
    width = unicodedata.east_asian_width(char)
    return width in ("W", "F") or (width == "A" and unicodedata.category(char)[0] == "P")


@functools.cache
def is_ideograph(char: str) -> bool:
    """Han or kana: what a Western run is set a quarter em apart from (not ・ or 〜)."""
    return bool(_IDEOGRAPH.fullmatch(char)) and not _CJK_PUNCTUATION.fullmatch(char)


@functools.cache
def is_western(char: str) -> bool:
    """A letter, digit or sign of a Western run: narrow, not a space, not punctuation
    (a half-width ``(`` or ``"`` beside Han is punctuation, and gets no gap)."""
    if is_wide(char) or unicodedata.east_asian_width(char) == "H":
        return False
    return unicodedata.category(char)[0] in "LNM" or char in WESTERN_SIGNS


def gaps_after(text: str) -> list[int]:
    """The indexes of the characters of ``text`` that a gap follows, in order."""
    found = []
    index = 0
    while index < len(text):
        if not is_western(text[index]) or unicodedata.category(text[index])[0] == "M":
            index += 1
            continue
        end = index
        while end < len(text) and is_western(text[end]):
            end += 1
        # At both ends of a run that holds a letter or a digit, where the character before
        # the gap is one of its own, not a combining sequence (é written as e and U+0301, a
        # Han character and a variation selector): the PDF draws such a gap as character
        # spacing after that character, and a reader would copy a space out of it.
        if any(char.isalnum() for char in text[index:end]):
            if index and is_ideograph(text[index - 1]):
                found.append(index - 1)
            last = unicodedata.category(text[end - 1])[0] != "M"
            if end < len(text) and is_ideograph(text[end]) and last:
                found.append(end - 1)
        index = end
    if found and ("://" in text or "@" in text):
        # Inside a web or e-mail address (https://example.org/發展) a gap would read as a
        # space in it: only its ends are spaced from the text around it.
        inside = {i for m in ADDRESS.finditer(text) for i in range(m.start(), m.end() - 1)}
        found = [index for index in found if index not in inside]
    return found
