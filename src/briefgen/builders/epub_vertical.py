"""Vertical writing for the EPUB (``--vertical``): which languages may have it, and the marks
its stylesheet needs on digits.

In vertical lines, CSS rotates Latin letters and digits sideways (``text-orientation:
mixed``), which suits words but not the numbers of dates: JLREQ and CLREQ set a number of one
or two digits upright across one character cell (tate-chu-yoko, CSS ``text-combine-upright``),
and a longer one such as a year upright, one digit a cell. CSS cannot find such runs itself
(``text-combine-upright: digits`` is in no reading system), so each is wrapped in a span::

    1950年6月25日  →  <span class="upright">1950</span>年<span class="tcy">6</span>月
                      <span class="tcy">25</span>日

A run of five or more digits, and digits inside a Latin word (F-35, 1.5, 2023-09-13), stay with
the Latin text and turn sideways with it: squeezed into one cell they would be unreadable, and
upright they would break the word apart.
"""

from __future__ import annotations

import re

from ..errors import SettingsClash
from ..i18n import language
from ..model import Briefing
from ..options import VERTICAL

#: The languages that are written vertically (as :func:`briefgen.i18n.language` tags them).
VERTICAL_LANGUAGES = ("zh-Hant", "zh-Hans", "ja", "ko")

#: The class of a digit run set upright in one cell, and of one set upright a digit a cell.
COMBINED, UPRIGHT = "tcy", "upright"

#: The longest run combined into one cell, and the longest set upright digit by digit.
_LONGEST_COMBINED, _LONGEST_UPRIGHT = 2, 4

# Text is not marked inside these: <title> and SVG text hold no XHTML spans, and the timeline
# (an SVG) stays horizontal.
_UNMARKED = frozenset({"head", "title", "style", "script", "svg"})

_MARKUP = re.compile(
    r"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<![^>]*>|<(/?)([A-Za-z][\w:.-]*)[^>]*?(/?)>",
    re.DOTALL,
)
# An entity (its digits are not text), or a Latin word: letters and digits, joined by the
# punctuation that holds a word or a number together.
_WORD = re.compile(r"&#?\w+;|[A-Za-z0-9](?:[A-Za-z0-9.,:/'’+\-]*[A-Za-z0-9])?")


def check_language(briefing: Briefing) -> None:
    """Refuse vertical writing for a briefing whose language is not written vertically.
    The refusal names the briefing's file: it is the file's ``lang`` that clashes with the
    setting, and a pipeline building many with one call of its own each was told of "this
    briefing" without a word of which (a batch of the command line named it)."""
    tag = language(briefing.lang).tag
    if tag not in VERTICAL_LANGUAGES:
        raise SettingsClash(
            f"{briefing.shown_name}: vertical writing is for Chinese, Japanese and Korean "
            f"briefings ({', '.join(VERTICAL_LANGUAGES)}); "
            f"this briefing's language is {briefing.lang!r}",
            (VERTICAL,),
        )


def mark_digits(xhtml: str) -> str:
    """``xhtml`` with each short run of digits in its text wrapped in a span of class
    :data:`COMBINED` or :data:`UPRIGHT`; markup, attributes and the head stay as they are."""
    pieces, depth, position = [], 0, 0
    for tag in _MARKUP.finditer(xhtml):
        text = xhtml[position : tag.start()]
        pieces.append(_mark_text(text) if depth == 0 else text)
        pieces.append(tag.group())
        position = tag.end()
        closing, name, self_closing = tag.group(1, 2, 3)
        if name is not None and name.lower() in _UNMARKED and not self_closing:
            depth += -1 if closing else 1
    tail = xhtml[position:]
    pieces.append(_mark_text(tail) if depth == 0 else tail)
    return "".join(pieces)


def _mark_text(text: str) -> str:
    return _WORD.sub(_mark_word, text)


def _mark_word(word: re.Match[str]) -> str:
    found = word.group()
    if not found.isascii() or not found.isdigit():
        return found
    if len(found) <= _LONGEST_COMBINED:
        return f'<span class="{COMBINED}">{found}</span>'
    if len(found) <= _LONGEST_UPRIGHT:
        return f'<span class="{UPRIGHT}">{found}</span>'
    return found
