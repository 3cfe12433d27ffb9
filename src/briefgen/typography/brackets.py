"""Finding the brackets and quotation marks of a text left unclosed, or closing nothing.

A 「 with no 」 (or a （ with no ）) is a slip made while writing or pasting: the outputs set
the text as written, and a reader is left to guess where the quotation or the aside ends.
No rule can mend it (where the mark belongs only the writer knows), so ``check`` warns of
it::

    >>> [(offset, message) for offset, message, _ in unbalanced("他說「走吧。")]
    [(2, '「 is not closed: no 」 after it')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .chars import HAN_KANA, HANGUL
from .masking import PROTECTED

#: Each opening mark and the closing marks that close it. A half-width parenthesis and a
#: full-width one close each other: `punctuation-width` makes the one touching CJK text
#: full width, so （Kim Il-sung) is a pair written in two widths, not two marks unclosed.
#: Not ‘ ’, whose closing mark is the apostrophe too (don’t), nor straight quotes, which
#: open and close with one mark (:func:`_unpaired_straight_quotes`).
_CLOSERS = {
    "「": "」",
    "『": "』",
    "（": "）)",
    "(": ")）",
    "《": "》",
    "〈": "〉",
    "【": "】",
    "〔": "〕",
    "［": "］",
    "“": "”",
}
_OPENERS = {closer: opener for opener, closers in _CLOSERS.items() for closer in closers[:1]}
_MARK = re.compile(f"[{re.escape(''.join(_CLOSERS) + ''.join(_CLOSERS.values()))}]")
#: A list item's number or letter closed by a parenthesis (`1)`, `甲）`, `a)`, and
#: Korean's and Japanese's syllable or kana, `가)`, `ア）`), which opens nothing.
_ITEM = r"(?:[0-9０-９a-zA-Zａ-ｚ一二三四五六七八九十甲乙丙丁]{1,3}|[가-힣ア-ンあ-ん])"
#: One at a line's start.
_ITEM_MARK = re.compile(rf"(?m)^(?:[ \t>]|[-+*][ \t])*{_ITEM}[)）]")
#: One inside a line, after a space, a colon, a comma or a full stop: an enumeration run
#: in the text (三項條件：1）撤軍，2）停火; 協議。ア）第一; demands: 1) withdrawal). Taken
#: as one only where the mark closes nothing, so that "(see note 1)" still closes its "(".
_RUN_IN_ITEM = re.compile(rf"(?:^|(?<=[\s：:，,、；;。．])){_ITEM}$")
#: What comes before an emoticon's mouth: `:)`, `;-)`, `:))`, and full-width `：）` as a
#: Chinese or Japanese input method types it (好的 :-)), a ) that closes no bracket.
_EMOTICON_EYES = re.compile(r"[:;：；][-－]?[)）]{0,2}$")
#: The same before a sad one's mouth, `:(`, `:-(`, `:((`, and what may follow it: the end,
#: a space, another mouth or a punctuation mark, never a word (`note:(a)` opens its aside).
_SAD_EYES = re.compile(r"[:;：；][-－]?[(（]{0,2}$")
_AFTER_SAD_MOUTH = re.compile(r"$|[\s(（.,!?;。，！？、；」』”’》]")
#: A Markdown link's target with a pair of parentheses in it, as CommonMark allows
#: (`](https://zh.wikipedia.org/wiki/X_(Y))`), which ``PROTECTED`` ends at its first `)`.
_LINK_TARGET = re.compile(r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
#: Where a quotation continued into the next paragraph opens it again: a quotation of several
#: paragraphs opens each with its mark and closes only the last (GB/T 15834-2011, 4.1.3.4).
_NEXT_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
#: The same inside a Markdown block quote, where the paragraphs are parted by a line of `>`
#: alone and each line starts with one (`> 「第一段。` `>` `> 「第二段。」`): the way a long
#: quotation is most often set off.
_NEXT_QUOTED_PARAGRAPH = re.compile(r"\n[ \t>]*\n[\s>]*")
#: The letters of a text whose straight quotes the `quotes` rule makes marks of its own.
_CJK = re.compile(f"{HAN_KANA}|{HANGUL}")


def unbalanced(text: str) -> Iterator[tuple[int, str, str]]:
    """``(offset, message, hint)`` for each mark in ``text`` left unclosed or closing
    nothing, in the text's order; code, addresses and a link's target are not read."""
    if _MARK.search(text) is None and '"' not in text:
        return
    skipped = [match.span() for match in PROTECTED.finditer(text)]
    skipped += [match.span() for match in _LINK_TARGET.finditer(text)]
    skipped += [(match.end() - 1, match.end()) for match in _ITEM_MARK.finditer(text)]
    found: list[tuple[int, str, str]] = []
    stack: list[tuple[int, str]] = []
    mouths: set[int] = set()  # the ( of a sad emoticon (好的 :( ): never told unclosed
    for match in _MARK.finditer(text):
        offset, mark = match.start(), match.group()
        if any(start <= offset < end for start, end in skipped):
            continue
        if mark in _CLOSERS:
            if stack and _continues(text, stack[-1], offset):
                stack.pop()  # the quotation's mark again, at its next paragraph's start
            stack.append((offset, mark))
            if _is_sad_mouth(text, offset):
                mouths.add(offset)
            continue
        closed = [
            index for index in range(len(stack) - 1, -1, -1) if mark in _CLOSERS[stack[index][1]]
        ]
        # A ) closes the bracket it can before a sad emoticon's mouth (（他說 :( 然後）), and
        # the mouth only where there is none (如下：（ at a line's end, then 一）).
        depth = next((index for index in closed if stack[index][0] not in mouths), None)
        if depth is None and closed:
            depth = closed[0]
        if _is_emoticon(text, offset, depth is None):
            continue
        if depth is None:
            if _RUN_IN_ITEM.search(text, max(0, offset - 3), offset):
                continue  # an enumeration's 1) inside the line
            opener = _OPENERS[mark]
            found.append(
                (
                    offset,
                    f"{mark} closes nothing: no {opener} before it opens it",
                    f"write the {opener} where it begins, or delete the {mark}",
                )
            )
            continue
        found.extend(_unclosed(*opened) for opened in stack[depth + 1 :] if opened[0] not in mouths)
        del stack[depth:]
    found.extend(_unclosed(*opened) for opened in stack if opened[0] not in mouths)
    found.extend(_unpaired_straight_quotes(text, skipped))
    yield from sorted(found)


def _unpaired_straight_quotes(
    text: str, skipped: list[tuple[int, int]]
) -> Iterator[tuple[int, str, str]]:
    """The last straight double quote of each paragraph that has an odd number of them:
    the `quotes` rule pairs them within a paragraph, and the one left over is set as a
    straight quote in the middle of the text (他說"走吧。), whichever of them it is. The
    last is told: a quotation is more often left open than closed twice. A paragraph of
    Latin text only is not looked at: the rule leaves its quotes as written, paired or
    not, and a straight quote there may be an inch (5'10", a 12" gun)."""
    start = 0
    for paragraph in [*_NEXT_PARAGRAPH.finditer(text), None]:
        end = paragraph.start() if paragraph else len(text)
        quotes = [
            offset
            for offset in range(start, end)
            if text[offset] == '"' and not any(low <= offset < high for low, high in skipped)
        ]
        if len(quotes) % 2 and _CJK.search(text, start, end):
            yield (
                quotes[-1],
                f'" is not paired: the paragraph has {len(quotes)} straight '
                f"quote{'s' if len(quotes) > 1 else ''}",
                'write the " that opens or closes its quotation, or delete the one too many',
            )
        start = paragraph.end() if paragraph else end


def _is_emoticon(text: str, offset: int, closes_nothing: bool) -> bool:
    """Whether the ) at ``offset`` is an emoticon's mouth (Ha :), 好的 :-)), taken for one
    only where it closes nothing, or where a ) right after it closes the bracket instead
    (（好的 :-)）): ``(see note:)`` still closes its ``(``."""
    if text[offset] not in ")）" or not _EMOTICON_EYES.search(text, max(0, offset - 4), offset):
        return False
    return closes_nothing or text[offset + 1 : offset + 2] in (")", "）")


def _is_sad_mouth(text: str, offset: int) -> bool:
    """Whether the ( at ``offset`` may be a sad emoticon's mouth (Sad :(, 好的 :-( ): after a
    colon or a semicolon, and followed by no word. Told unclosed only if it is not one."""
    return (
        text[offset] in "(（"
        and _SAD_EYES.search(text, max(0, offset - 4), offset) is not None
        and _AFTER_SAD_MOUTH.match(text, offset + 1) is not None
    )


def _continues(text: str, opened: tuple[int, str], offset: int) -> bool:
    """Whether the quotation mark at ``offset`` opens the next paragraph of the quotation
    ``opened`` (the same mark, opened in an earlier paragraph)."""
    mark = text[offset]
    if opened[1] != mark or mark not in "「『“":
        return False
    return any(
        found.end() == offset
        for found in _NEXT_QUOTED_PARAGRAPH.finditer(text, opened[0], offset + 1)
    )


def _unclosed(offset: int, mark: str) -> tuple[int, str, str]:
    closer = _CLOSERS[mark][0]
    return (
        offset,
        f"{mark} is not closed: no {closer} after it",
        f"write the {closer} where it ends, or delete the {mark}",
    )
