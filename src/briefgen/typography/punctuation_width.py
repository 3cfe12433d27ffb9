"""Punctuation width: half-width ``, : ; ! ? ( )`` touching Chinese or Japanese text become
full width, and a ``.`` that ends a sentence after a Han character or kana becomes ``。``.

    鐵路(THSR)          →  鐵路（THSR）
    BN(O)持有人          →  BN(O)持有人     (a Western term's own: unchanged)
    時速為300km/h,全長   →  時速為300km/h，全長
    真的嗎?             →  真的嗎？
    3.14、09:01、1,000   →  3.14、09:01、1,000   (between digits: unchanged)
    ja: 東京,大阪        →  東京、大阪

Spaces after a converted mark are dropped (a full-width mark carries its own space). A mark
that ends a quotation of Western text keeps its width: it is the quoted sentence's own, as its
full stop is (``他說：「Why not?」``; but ``「我叫Tom！」``, a Chinese sentence). Korean and
English keep Western punctuation, so this rule does not run for them.
"""

from __future__ import annotations

import re

from .chars import HAN_KANA, WIDE

_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
_JAPANESE = {**_FULL_WIDTH, ",": "、"}

_WIDE = re.compile(WIDE)
# A mark (or an opening parenthesis) with a wide character on either side of it.
_TOUCHING = re.compile(rf"(?<={WIDE})[,:;!?]|[,:;!?](?=[ \t]*{WIDE})")
_SPACES_AFTER = re.compile(r"(?<=[，、：；！？）。])[ \t]+(?=" + WIDE + ")")
# After a Han character, a kana, or a closing mark of CJK text (the quotes rule runs first).
_FULL_STOP = re.compile(
    rf"(?:(?<={HAN_KANA})|(?<=[」』”’）]))\.(?=$|\s|{WIDE}|[\"'」』”’])", re.MULTILINE
)


#: The quotation marks that close a quotation, and the ones that open it.
_QUOTATIONS = {"」": "「", "』": "『"}
_HAN_KANA = re.compile(HAN_KANA)


def punctuation_width(text: str, lang: str) -> str:
    marks = _JAPANESE if lang == "ja" else _FULL_WIDTH

    def convert(match: re.Match[str]) -> str:
        mark = match.group()
        return mark if _ends_western_quotation(text, match.start()) else marks[mark]

    # Again until nothing changes: in `嗎?!` the `!` touches wide text only once `?` is `？`.
    while (converted := _TOUCHING.sub(convert, text)) != text:
        text = converted
    text = _parentheses(text)
    text = _FULL_STOP.sub("。", text)
    return _SPACES_AFTER.sub("", text)


def _ends_western_quotation(text: str, index: int) -> bool:
    """Whether the mark at ``index`` ends a quotation that holds no Han or kana (the quotes
    rule has made its straight quotes 「」 by then): ``「Wait... what?」``. A mark after a
    wide character (``嗎?!``'s second) is never one."""
    closing = text[index + 1 :].lstrip(" \t")[:1]
    if closing not in _QUOTATIONS or index == 0 or _WIDE.fullmatch(text[index - 1]):
        return False
    opening = text.rfind(_QUOTATIONS[closing], 0, index)
    return opening >= 0 and not _HAN_KANA.search(text, opening + 1, index)


def _parentheses(text: str) -> str:
    """``(…)`` become ``（…）`` when either parenthesis touches wide text; they are matched
    as pairs, so that ``(THSR)`` after Chinese text changes both. Parentheses that are part
    of a Western term stay as written, though Chinese text follows them (``BN(O)持有人``)."""
    chars = list(text)
    opened: list[tuple[int, bool]] = []
    for index, char in enumerate(chars):
        if char == "(":
            opened.append((index, _wide_at(chars, index - 1) or _wide_at(chars, index + 1)))
        elif char == ")" and opened:
            start, wide = opened.pop()
            if _western_term(chars, start, index):
                continue
            if wide or _wide_at(chars, index - 1) or _wide_at(chars, index + 1):
                chars[start], chars[index] = "（", "）"
    return "".join(chars)


def _western_term(chars: list[str], start: int, end: int) -> bool:
    """Whether the parentheses at ``start`` and ``end`` belong to a Western term: written
    against a Latin letter or a digit, with no wide text and no space inside (BN(O), f(x)).
    Made full width, they would set the term apart as an aside, and a line could break
    inside it; an aside after a Western word, in Chinese (``CNN(美國有線電視新聞網)``) or in
    words of its own (``CNN(Cable News Network)``), is still one."""
    before = chars[start - 1] if start else ""
    inside = range(start + 1, end)
    return (
        before.isascii()
        and before.isalnum()
        and not any(_wide_at(chars, index) or chars[index].isspace() for index in inside)
    )


def _wide_at(chars: list[str], index: int) -> bool:
    return 0 <= index < len(chars) and bool(_WIDE.fullmatch(chars[index]))
