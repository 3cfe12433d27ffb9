"""Segment breaks: a line break inside a paragraph, between two wide characters, is removed
instead of becoming a space (CSS Text 3's segment break transformation), and so are stray
spaces between two wide characters.

    果たした。\\n本資料は  →  果たした。本資料は
    朝鮮 戰爭                →  朝鮮戰爭
    한국\\n사람               →  한국\\n사람      (Hangul: the break is a space between words)

English and Korean separate words with spaces, and set — and … as Western marks: there
only a line break between two wide characters (Han, kana, full-width marks) is dropped.

    orbit — it              →  orbit — it
    大韓民國 臨時政府          →  大韓民國 臨時政府   (ko: a space between words written in Hanja)
    See 「朝鮮」 here          →  See 「朝鮮」 here

    危機。\n2015年          →  危機。2015年   (a full-width mark carries its own space)
    見 2015 — 2016 年       →  見 2015 — 2016 年   (a dash set apart from figures stays so)
    認為，\n*風險*           →  認為，*風險*    (emphasis marks are looked through)

A Markdown hard break (two spaces before the line break), paragraph breaks and the start
of a list item, a heading, a quote, a rule (``***``) or a heading's underline (``---``)
stay: joined to the line before, ``第一段。\n***`` printed its asterisks. So does the end
of a ``#`` heading: ``## 背景\n摘要。`` joined was a heading of both lines.
"""

from __future__ import annotations

import re

from .chars import HAN_KANA, WIDE, WIDE_PUNCTUATION

# Not after a dash or dots (— —— … ……) that a space sets apart from a Latin letter, a figure
# or a Western mark before them (`2015 — 2016年`, `Kim — 金正恩`): the space after is the
# pair of the one before, and taking it alone left `2015 —2016年`. Between two wide
# characters the spaces on both sides go (`_SPACES`).
_NOT_SET_APART = "".join(
    rf"(?<![\x21-\x29\x2b-\x5e\x60-\x7e][ \t]{marks}{emphasis})"
    for marks in ("[\u2014\u2026]", "[\u2014\u2026]{2}")
    for emphasis in ("", "[*_]", "[*_]{2}")
)
# A wide character before, and after, looking through up to two emphasis markers (`*`, `_`).
_AFTER_WIDE = rf"{_NOT_SET_APART}(?:(?<={WIDE})|(?<={WIDE}[*_])|(?<={WIDE}[*_]{{2}}))"
_BEFORE_WIDE = rf"(?=[*_]{{0,2}}{WIDE})"
# After a full-width mark, before anything that is text (not what starts a Markdown block).
_AFTER_MARK = rf"{_NOT_SET_APART}(?:(?<={WIDE_PUNCTUATION})|(?<={WIDE_PUNCTUATION}[*_]))"
_BEFORE_TEXT = (
    r"(?=\S)(?![-+*][ \t]|[0-9]+[.)][ \t]|#|>"
    # A line that is a thematic break, or a setext heading's underline.
    r"|(?:[-*_][ \t]*){3,}(?:\n|$)|(?:=+|-+)[ \t]*(?:\n|$))"
)

# At most one space or tab before the break: two or more make a Markdown hard break.
_BREAK = re.compile(rf"{_AFTER_WIDE}[ \t]?\n[ \t]*{_BEFORE_WIDE}")
_SPACES = re.compile(rf"{_AFTER_WIDE}[ \t]+{_BEFORE_WIDE}")
_AFTER_MARK_BREAK = re.compile(rf"{_AFTER_MARK}(?:[ \t]?\n[ \t]*|[ \t]+){_BEFORE_TEXT}")

# The mainland's double quotation marks around Chinese text, which the quotes rule sets in
# Simplified text, are full width there (GB/T 15834) as corner brackets are in Traditional
# text: a space or a line break between one and a wide character beside it goes too
# (说 “好” 。 → 说“好”。). Not around a Latin quotation (见 “Memoirs” 一书), whose marks are
# Latin text's, set apart by its spaces (typography/quotes.py: latin_marks).
_BREAK_OR_SPACES = r"(?:[ \t]?\n[ \t]*|[ \t]+)"
_CHINESE_QUOTATION = re.compile(
    rf"(?P<before>{_AFTER_WIDE}{_BREAK_OR_SPACES}(?=\u201c))?"
    r"(?P<quotation>\u201c(?:[^\u201c\u201d\n]|\n(?![ \t]*\n))+\u201d)"
    rf"(?P<after>{_BREAK_OR_SPACES}{_BEFORE_WIDE})?"
)
_HAN_KANA = re.compile(HAN_KANA)
_FULL_WIDTH_QUOTES = ("zh-Hans", "zh-CN")


def _quotation_spaces(match: re.Match[str]) -> str:
    if not _HAN_KANA.search(match["quotation"]):
        return match.group()
    return match["quotation"]


# In English and Korean, where a space separates words: wide without — and …, which these
# languages set as Western marks (orbit — it, 그런데… 결국), and only a line break dropped.
_SPACED_WIDE = rf"(?:{HAN_KANA}|(?![\u2014\u2026]){WIDE_PUNCTUATION})"
_SPACED_BREAK = re.compile(
    rf"(?:(?<={_SPACED_WIDE})|(?<={_SPACED_WIDE}[*_])|(?<={_SPACED_WIDE}[*_]{{2}}))"
    rf"[ \t]?\n[ \t]*(?=[*_]{{0,2}}{_SPACED_WIDE})"
)
_SPACED_LANGUAGES = ("en", "ko")


#: The line break that ends an ATX heading (``## 背景``): the line after it is a paragraph
#: of its own, however it starts. So does a heading that opens a list item (``- ## 背景``),
#: nested or not: joined, the item's next line was part of its heading.
_HEADING_END = re.compile(
    r"^(?:[ ]{0,3}|[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)+)#{1,6}(?:[ \t][^\n]*)?(\n)",
    re.MULTILINE,
)


def segment_breaks(text: str, lang: str) -> str:
    # Each stretch between the ends of headings on its own: `## 背景` and `摘要。` on the
    # next line were joined into one heading, 背景摘要。, and the paragraph was gone.
    ends = [found.start(1) for found in _HEADING_END.finditer(text)]
    bounds = zip([-1, *ends], [*ends, len(text)], strict=True)
    stretches = [text[start + 1 : end] for start, end in bounds]
    return "\n".join(_segment_breaks(stretch, lang) for stretch in stretches)


def _segment_breaks(text: str, lang: str) -> str:
    if lang in _SPACED_LANGUAGES:
        return _SPACED_BREAK.sub("", text)
    text = _SPACES.sub("", _BREAK.sub("", text))
    if lang in _FULL_WIDTH_QUOTES:
        text = _CHINESE_QUOTATION.sub(_quotation_spaces, text)
    return _AFTER_MARK_BREAK.sub("", text)
