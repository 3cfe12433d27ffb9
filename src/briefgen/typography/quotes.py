"""Quotes by locale: straight quotes around or beside Chinese, Japanese or Korean text
become the locale's marks, with the second level inside the first. Curly quotes already
written are left alone, and so are quotes in Latin text and apostrophes.

    zh-Hant, ja: "一日生活圈"        →  「一日生活圈」
                 "他說'好'"           →  「他說『好』」
                 '一日生活圈'        →  「一日生活圈」
    zh-Hans:     "一日生活圈"        →  “一日生活圈”
                 He said "yes".       →  He said "yes".
    ko:          "안녕"이라고          →  “안녕”이라고
                 '일일생활권'         →  ‘일일생활권’

Korean's marks are those of the 2015 punctuation rules (국립국어원 문장 부호): “ ” for a
quotation, ‘ ’ for one inside it, and ‘ ’ too for a word stressed or a thought, which
Korean writers mark with single quotes; so a single-quoted phrase keeps its level there,
where Chinese and Japanese make it a quotation of the first.

An edition in the other Chinese script (``--script``) also changes marks already written to
its own (:func:`requote`): ``「…『…』…」`` ↔ ``“…‘…’…”``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from .chars import HAN_KANA, HANGUL, WIDE

MARKS = {
    "zh-Hant": ("「", "」", "『", "』"),
    "zh-TW": ("「", "」", "『", "』"),
    "zh-HK": ("「", "」", "『", "』"),
    "ja": ("「", "」", "『", "』"),
    "zh-Hans": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "zh-CN": ("\u201c", "\u201d", "\u2018", "\u2019"),
    "ko": ("\u201c", "\u201d", "\u2018", "\u2019"),
}

#: The languages whose single quotes are marks of their own, kept at the second level
#: where no double quotes hold them (see above).
_SINGLE_STAYS_SINGLE = frozenset({"ko"})

# Within one paragraph: a line break inside the quotation is allowed, a blank line is not.
_DOUBLE = re.compile(r'"((?:[^"\n]|\n(?![ \t]*\n))+)"')
# Not an apostrophe: no letter or digit right outside the pair, and no space right inside
# it: in Korean, whose words are parted by spaces, '97 외환위기 때 '금 모으기' paired the
# year's apostrophe with the space-led opening mark after it.
_SINGLE = re.compile(r"(?<![A-Za-z0-9])'([^'\s](?:[^'\n]*[^'\s])?)'(?![A-Za-z0-9])")
# The same, written with curly quotes.
_CURLY_DOUBLE = re.compile("\u201c((?:[^\u201c\u201d\n]|\n(?![ \t]*\n))+)\u201d")
_CURLY_SINGLE = re.compile("(?<![A-Za-z0-9])\u2018([^\u2018\u2019\n]+)\u2019(?![A-Za-z0-9])")
# An opening mark before Han or kana.
_CURLY_OPENING = re.compile(f"\u201c(?={HAN_KANA})")
_HAN_KANA = re.compile(HAN_KANA)
_WIDE = re.compile(WIDE)
# In Korean, Hangul too: it is no wide character to the other rules (a line break between
# two syllables is a space), but a quotation of it, or one a particle follows ("OK"라고),
# is Korean text's.
_KOREAN_LETTERS = re.compile(f"{HAN_KANA}|{HANGUL}")
_KOREAN = re.compile(f"{WIDE}|{HANGUL}")


def quotes(text: str, lang: str) -> str:
    opening, closing, inner_opening, inner_closing = MARKS[lang]
    letters, wide = (_KOREAN_LETTERS, _KOREAN) if lang == "ko" else (_HAN_KANA, _WIDE)

    def beside_cjk(match: re.Match[str]) -> bool:
        return _beside_cjk(match, letters, wide)

    def second(inner: re.Match[str]) -> str:
        if not beside_cjk(inner):
            return _kept(inner)
        return f"{inner_opening}{inner.group(1)}{inner_closing}"

    def first(content: str) -> str:
        # A quotation inside is the second level where it is CJK text's, as the first is;
        # one in a quoted English sentence stays as written (in "He said 'no'." the 'no'
        # became 『no』, and its full stop then a 。). Judged with the first level's marks
        # around it, CJK punctuation in every locale: "'OK'" is 「『OK』」; but not where
        # the rest of the quotation is Latin text alone, whose start or end the inner one
        # only happens to share: "We go 'together'" was 「We go 『together』」.
        rest = _SINGLE.sub("", content)
        if rest.strip() and not letters.search(rest) and not wide.search(rest):
            return f"{opening}{_SINGLE.sub(_kept, content)}{closing}"
        inner = _SINGLE.sub(second, f"「{content}」")[1:-1]
        return f"{opening}{inner}{closing}"

    def outer(match: re.Match[str]) -> str:
        return first(match.group(1)) if beside_cjk(match) else match.group()

    text = _DOUBLE.sub(outer, text)
    # A quotation already in the first level's marks (typed so, or made by the last pass:
    # the rules run until nothing changes) holds the second level in the same way. At the
    # top level, 彼は「私たちは'一緒に'行く」と became 「私たちは「一緒に」行く」.
    text = _first_level(opening, closing).sub(lambda match: first(match.group(1)), text)
    # Single quotes left at the top level are quotations of the first level (Korean's keep
    # their own level).
    if lang in _SINGLE_STAYS_SINGLE:
        opening, closing = inner_opening, inner_closing
    return _SINGLE.sub(
        lambda m: f"{opening}{m.group(1)}{closing}" if beside_cjk(m) else m.group(), text
    ).replace(_KEPT, "'")


#: Stands for a straight single quote that a quotation inside the first level keeps, until
#: the top level's single quotes are done: beside the first level's closing mark, which is
#: wide, 「We go 'together'」 read as a quotation of the first level there. (A Unicode
#: noncharacter, which no text uses, as masking.py's placeholders.)
_KEPT = "\ufdd2"


def _kept(inner: re.Match[str]) -> str:
    return f"{_KEPT}{inner.group(1)}{_KEPT}"


@cache
def _first_level(opening: str, closing: str) -> re.Pattern[str]:
    """A quotation in the first level's marks, within one paragraph, as ``_DOUBLE``."""
    marks = re.escape(opening + closing)
    return re.compile(f"{re.escape(opening)}((?:[^{marks}\n]|\n(?![ \t]*\n))+){re.escape(closing)}")


def requote(text: str, lang: str, kept: Iterable[tuple[int, int]] = ()) -> str:
    """Quotation marks written as another Chinese locale writes them become ``lang``'s,
    mark for mark: corner brackets ``「」『』`` become ``“”‘’`` in zh-Hans and zh-CN, and
    curly pairs around or beside CJK text become corner brackets in zh-Hant, zh-TW and
    zh-HK (an apostrophe, or quotes in Latin text, stay). A mark inside one of the ``kept``
    spans (start, end) is left as written.

    >>> requote("他說「這是『最後』一次」。", "zh-Hans")
    '他說“這是‘最後’一次”。'
    >>> requote("他说“这是‘最后’一次”。Kim’s “yes”", "zh-Hant")
    '他说「这是『最后』一次」。Kim’s “yes”'
    """
    if lang not in MARKS or not lang.startswith("zh"):
        return text
    opening, closing, inner_opening, inner_closing = MARKS[lang]
    changes: dict[int, str] = {}
    if opening == MARKS["zh-Hans"][0]:
        # Corner brackets are CJK punctuation only: every one is a quotation mark.
        curly = dict(zip(MARKS["zh-Hant"], MARKS[lang], strict=True))
        changes = {i: curly[c] for i, c in enumerate(text) if c in curly}
    else:
        for pair in _CURLY_DOUBLE.finditer(text):
            if _beside_cjk(pair):
                changes[pair.start()], changes[pair.end() - 1] = opening, closing
                for inner in _CURLY_SINGLE.finditer(text, pair.start(1), pair.end(1)):
                    changes[inner.start()], changes[inner.end() - 1] = inner_opening, inner_closing
        for pair in _CURLY_SINGLE.finditer(text):
            if pair.start() not in changes and _beside_cjk(pair):
                changes[pair.start()], changes[pair.end() - 1] = inner_opening, inner_closing
        # A quotation of several paragraphs opens each of them and closes only the last
        # (GB/T 15834): an opening mark left without a pair, before Han or kana, opens one.
        for lone in _CURLY_OPENING.finditer(text):
            changes.setdefault(lone.start(), opening)
    for start, end in kept:
        for index in range(start, end):
            changes.pop(index, None)
    if not changes:
        return text
    characters = list(text)
    for index, mark in changes.items():
        characters[index] = mark
    return "".join(characters)


def _beside_cjk(
    match: re.Match[str], letters: re.Pattern[str] = _HAN_KANA, wide: re.Pattern[str] = _WIDE
) -> bool:
    """The quoted text holds Han or kana (``letters``), or a wide character sits right
    outside it."""
    text = match.string
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return bool(
        letters.search(match.group(1))
        or wide.fullmatch(before or "x")
        or wide.fullmatch(after or "x")
    )


#: A letter of a Latin word (accented ones too) or a digit, beside which ’ is an apostrophe.
_LATIN = re.compile("[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_LATIN_CANDIDATE = re.compile("[\u2018\u2019\u201c]")


def latin_marks(text: str) -> list[int]:
    """The indexes of the curly quotation marks and apostrophes of ``text`` that belong to
    Latin text, which the shipped fonts' Chinese forms set an em wide, their blank against
    the word (``Putin’ s “ Memoirs ”``): a pair of ``“ ”`` or ``‘ ’`` that is not
    CJK text's (no Han or kana in it, no wide character right outside it, as
    :func:`requote` tells), and a ``’`` outside any pair before a Latin letter or digit
    (``O’Brien``, ``’90s``), or after one where no wide character follows (``students’``).

    A pair beside a wide character is CJK text's, even around a Latin word (所謂“New
    Start”條約): its blank half is the space a Chinese mark keeps from the Han character
    beside it, and set narrow it would touch that character.

    >>> latin_marks("所謂“等距”。Putin’s “Memoirs” 一書，“New”條約")
    [12, 15, 23]
    """
    if not _LATIN_CANDIDATE.search(text):
        return []  # most texts: no curly mark that could open a pair, nor an apostrophe
    found: set[int] = set()
    paired: set[int] = set()
    for pattern in (_CURLY_DOUBLE, _CURLY_SINGLE):
        for pair in pattern.finditer(text):
            if pair.start() in paired or pair.end() - 1 in paired:
                continue  # one of its marks is already another pair's
            paired.update((pair.start(), pair.end() - 1))
            if not _beside_cjk(pair):
                found.update((pair.start(), pair.end() - 1))
    for index, char in enumerate(text):
        if char != "\u2019" or index in paired:
            continue
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if _LATIN.fullmatch(after or " ") or (
            _LATIN.fullmatch(before or " ") and not _WIDE.fullmatch(after or " ")
        ):
            found.add(index)
    return sorted(found)
