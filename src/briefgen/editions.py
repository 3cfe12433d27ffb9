"""Editions in the other Chinese script: a briefing's text converted between Traditional and
Simplified with OpenCC.

OpenCC converts by phrase, not character by character, which is what makes it right where a
table of characters is wrong: 头发 becomes 頭髮 but 发展 becomes 發展. Every text the reader
sees is converted, names included (so that an event's ``people`` still name someone under
``people``); web addresses, the briefing's ``verbatim`` terms, and a source's title or
publisher and a person's alt name in another language (cited as written there) are left
as written. The
edition's ``lang`` is set to the script it is in, which also picks the glyph forms and labels.

OpenCC converts characters and words, not punctuation. Of the punctuation, the quotation
marks are what the two scripts' readers most plainly write differently: corner brackets in
Taiwan and Hong Kong, curly quotes on the mainland (GB/T 15834), as briefgen's own
``quotes`` rule sets straight quotes for each language. An edition changes them too
(``「…『…』…」`` ↔ ``“…‘…’…”``), so that its text reads as if written in its script.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache

from .errors import UsageError
from .i18n import script_language
from .model import Briefing, Kind, Person, Source, Spec, map_text


@dataclass(frozen=True)
class Edition:
    """One way to convert: the OpenCC configuration and the language tag it produces."""

    config: str
    lang: str


#: ``--script NAME`` → (character and phrase conversion, with regional vocabulary as well).
#: The regional forms also convert words that differ between Taiwan and the mainland
#: (软件 ↔ 軟體, 内存 ↔ 記憶體), and say so in the language tag.
#: Traditional text is taken and written in Taiwan's standard forms (tw2s, s2tw), the forms
#: zh-Hant's glyphs and a Traditional reader's texts are in, not in OpenCC's own: its plain
#: t2s leaves Taiwan's 著 in 隨著 and 著手 (随著, 著手 where the mainland writes 随着, 着手),
#: and its s2t writes 爲, 着, 裏 and 喫藥 where Taiwan writes 為, 著, 裡 and 吃藥.
SCRIPTS: dict[str, tuple[Edition, Edition]] = {
    "hans": (Edition("tw2s", "zh-Hans"), Edition("tw2sp", "zh-CN")),
    "hant": (Edition("s2tw", "zh-Hant"), Edition("s2twp", "zh-TW")),
}

#: The languages whose text OpenCC converts.
CHINESE = ("zh-Hant", "zh-TW", "zh-HK", "zh-Hans", "zh-CN")

#: ``--script NAME`` → the script's name and the languages already written in it.
WRITTEN_IN = {
    "hans": ("Simplified", ("zh-Hans", "zh-CN")),
    "hant": ("Traditional", ("zh-Hant", "zh-TW", "zh-HK")),
}

# Web addresses inside text (Markdown links, bare addresses) are kept as written.
_ADDRESS = r"https?://[^\s)>\]]+"


def edition(briefing: Briefing, script: str, vocabulary: bool = False) -> Briefing:
    """The briefing converted to ``script`` (``"hans"`` or ``"hant"``), with its ``lang``
    set to match; ``vocabulary`` also converts regional words (Taiwan ↔ mainland).

    >>> from briefgen import loads
    >>> edition(loads("title: 頭髮與發展\\nevents: [{start: 1950, title: 事件}]"), "hans").title
    '头发与发展'
    """
    if script not in SCRIPTS:
        raise UsageError(f"unknown script {script!r}; choose from {', '.join(SCRIPTS)}")
    if briefing.lang not in CHINESE:
        raise UsageError(
            f"--script converts Chinese text between its two scripts, and this briefing's "
            f"lang is {briefing.lang}"
        )
    name, written_in = WRITTEN_IN[script]
    if briefing.lang in written_in:
        # Converting text already in the script changes only what its writer chose: a
        # Simplified text's surname 於 would become 于, a Hong Kong text's 着 Taiwan's 著.
        raise UsageError(
            f"--script {script} makes a {name} edition of a briefing in the other script, "
            f"and this briefing's lang is {briefing.lang}, already {name}: build it "
            f"without --script"
        )
    chosen = SCRIPTS[script][1 if vocabulary else 0]
    converters = tuple(map(_opencc, _configs(chosen, briefing.lang)))
    convert = _Convert(converters, tuple(briefing.verbatim), chosen.lang)

    def change(text: str, spec: Spec) -> str:
        return text if spec.kind is Kind.URL else convert(text)

    # The verbatim terms are not shown text, so map_text leaves them as written.
    converted = map_text(briefing, change)
    people = tuple(
        _keep_person_alt(old, new, briefing.lang)
        for old, new in zip(briefing.people, converted.people, strict=True)
    )
    sources = tuple(
        _keep_source_texts(old, new, briefing.lang)
        for old, new in zip(briefing.sources, converted.sources, strict=True)
    )
    return dataclasses.replace(converted, people=people, sources=sources, lang=chosen.lang)


def _keep_person_alt(old: Person, new: Person, lang: str) -> Person:
    """``new`` (converted) with ``old``'s alt name where that is in another language: 盧武鉉
    in Korean hanja or 小澤一郎 beside its kana is how that language writes the name, not a
    Chinese text, and OpenCC would make them 卢武铉 and 小泽一郎."""
    if old.alt is None or not _other_language(old.alt, old.alt_lang, lang):
        return new
    return dataclasses.replace(new, alt=old.alt)


def _keep_source_texts(old: Source, new: Source, lang: str) -> Source:
    """``new`` (converted) with ``old``'s title and publisher where each is in another
    language: cited as it was published, it is no text of the briefing's to convert, and
    OpenCC would set a Japanese title's 鮮 and 問題 as the Simplified 鲜 and 问题, which no
    Japanese writes. A publisher has no ``lang`` of its own, and a name in Han alone is one
    Chinese readers write too (朝日新聞, on the mainland 朝日新闻), so only kana or Hangul
    keep it: the very test by which the sources list marks its language."""
    title = old.title if _other_language(old.title, old.lang, lang) else new.title
    publisher = new.publisher
    if old.publisher is not None and _other_language(old.publisher, None, lang):
        publisher = old.publisher
    return dataclasses.replace(new, title=title, publisher=publisher)


def _other_language(text: str, declared: str | None, lang: str) -> bool:
    """Whether ``text`` is in a language other than Chinese, as ``declared`` (a field's
    ``lang``) says, else as its letters do (kana, Hangul)."""
    text_lang = declared or script_language(text, lang)
    return text_lang is not None and text_lang.split("-")[0].lower() != "zh"


def _configs(chosen: Edition, lang: str) -> tuple[str, ...]:
    """The OpenCC conversions that make ``chosen`` of a briefing in ``lang``, in order."""
    if lang != "zh-HK" or chosen.lang not in ("zh-Hans", "zh-CN"):
        return (chosen.config,)
    # Hong Kong's standard writes some characters in forms of its own that the Taiwan
    # conversions do not know: 捍衞 and 敍利亞 would stay so in a Simplified edition. hk2s
    # takes them to 捍卫 and 叙利亚, after the Taiwan conversion (and its words, with
    # --vocabulary): Hong Kong writers also use Taiwan's 著 (隨著, 著手), which hk2s alone
    # leaves as 随著 and 著手 where the mainland writes 随着 and 着手.
    return (chosen.config, "hk2s")


@cache
def _opencc(config: str) -> object:
    import opencc  # imported on first use: only editions need it

    return opencc.OpenCC(config)


class _Convert:
    """Converts a text to the edition's script and quotation marks (``lang``'s), leaving the
    kept terms and web addresses in it as they are."""

    def __init__(self, converters: tuple[object, ...], kept: tuple[str, ...], lang: str):
        # Imported here: `briefgen --help` reads SCRIPTS, and compiling the typography rules'
        # expressions would cost it a fifth of its time (tests/test_package.py).
        from .typography.quotes import requote

        self.requote = requote
        self.converters = converters
        self.lang = lang
        terms = sorted((term for term in kept if term), key=len, reverse=True)
        self.kept = re.compile("|".join([*map(re.escape, terms), _ADDRESS]))

    def __call__(self, text: str) -> str:
        parts: list[str] = []
        kept: list[tuple[int, int]] = []  # where the kept terms are in the converted text
        start = length = 0
        for match in self.kept.finditer(text):
            converted = self.convert(text[start : match.start()])
            length += len(converted)
            kept.append((length, length + len(match.group())))
            length += len(match.group())
            parts += [converted, match.group()]
            start = match.end()
        parts.append(self.convert(text[start:]))
        # On the whole text: a quotation's two marks may lie on either side of a kept term.
        return self.requote("".join(parts), self.lang, kept)

    def convert(self, text: str) -> str:
        if not text:
            return text
        converted = text
        for converter in self.converters:
            converted = str(converter.convert(converted))  # type: ignore[attr-defined]
        if self.lang in ("zh-Hans", "zh-CN"):
            converted = converted.translate(_SIMPLIFIED_VARIANTS)
        return converted


#: Characters OpenCC's Simplified conversions keep that the mainland standard (the Table of
#: General Standard Chinese Characters, 2013) lists as variants of another: 砲彈 became 砲弹,
#: where a mainland reader writes 炮弹.
_SIMPLIFIED_VARIANTS = str.maketrans({"砲": "炮"})
