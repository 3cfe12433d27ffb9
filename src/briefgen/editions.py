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
(``「…『…』…」`` ↔ ``“…‘…’…”``), so that its text reads as if written in its script; a
Simplified edition also writes the mainland's interpunct in names (麦克·蓬佩奥).
"""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

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
#: Hong Kong's standard writes some characters otherwise than Taiwan's (衞, 着, 裏, 温, 峯
#: where Taiwan writes 衛, 著, 裡, 溫, 峰): ``hant-hk`` writes them so (s2hk, with Hong Kong's
#: own renderings of names with s2hkp), and its ``zh-HK`` picks Hong Kong's glyph forms.
#: Each of the two also takes a briefing in the other's forms (_configs).
SCRIPTS: dict[str, tuple[Edition, Edition]] = {
    "hans": (Edition("tw2s", "zh-Hans"), Edition("tw2sp", "zh-CN")),
    "hant": (Edition("s2tw", "zh-Hant"), Edition("s2twp", "zh-TW")),
    "hant-hk": (Edition("s2hk", "zh-HK"), Edition("s2hkp", "zh-HK")),
}

#: The languages whose text OpenCC converts.
CHINESE = ("zh-Hant", "zh-TW", "zh-HK", "zh-Hans", "zh-CN")

#: ``--script NAME`` → the script's name and the languages already written in it.
WRITTEN_IN = {
    "hans": ("Simplified", ("zh-Hans", "zh-CN")),
    # A Hong Kong briefing takes Taiwan's forms, and a Taiwan one Hong Kong's (_configs);
    # one already in the forms asked for is refused.
    "hant": ("Taiwan Traditional", ("zh-Hant", "zh-TW")),
    "hant-hk": ("Hong Kong Traditional", ("zh-HK",)),
}

# Web addresses inside text (Markdown links, bare addresses) are kept as written.
_ADDRESS = r"https?://[^\s)>\]]+"


def edition(briefing: Briefing, script: str, vocabulary: bool = False) -> Briefing:
    """The briefing converted to ``script`` (``"hans"``, ``"hant"`` or ``"hant-hk"``), with
    its ``lang`` set to match; ``vocabulary`` also converts regional words (Taiwan ↔
    mainland, mainland → Hong Kong).

    >>> from briefgen import loads
    >>> edition(loads("title: 頭髮與發展\\nevents: [{start: 1950, title: 事件}]"), "hans").title
    '头发与发展'
    """
    from .verify import verify  # the verifier imports the loader, which this module need not

    # Held to the file's rules first, as build() holds it: a Briefing made in Python with an
    # event given as a dict failed in dataclasses ("must be called with a dataclass type or
    # instance"), and a dict given for the briefing as an AttributeError.
    briefing = verify(briefing)
    if not isinstance(script, str) or script not in SCRIPTS:
        raise UsageError(f"unknown script {script!r}; choose from {', '.join(SCRIPTS)}")
    if not isinstance(vocabulary, bool):
        # As BuildOptions refuses marks="no": a "no" or a "false" read from a form or a
        # configuration of the caller's is true, and would convert the words too.
        raise TypeError(f"vocabulary must be True or False, not {type(vocabulary).__name__}")
    # Each refusal names the call as a library caller made it, and as the command line did.
    if briefing.lang not in CHINESE:
        reason = "converts Chinese text between its two scripts, and this briefing's lang is"
        raise UsageError(
            f"edition() {reason} {briefing.lang}",
            command_line=f"--script {reason} {briefing.lang}",
        )
    name, written_in = WRITTEN_IN[script]
    if briefing.lang in written_in:
        # Converting text already in the script changes only what its writer chose: a
        # Simplified text's surname 於 would become 于, a Hong Kong text's 着 Taiwan's 著.
        reason = (
            f"makes a {name} edition of a briefing written otherwise, and this briefing's "
            f"lang is {briefing.lang}, already {name}"
        )
        raise UsageError(
            f'edition(briefing, "{script}") {reason}: use the briefing as it is',
            command_line=f"--script {script} {reason}: build it without --script",
        )
    if vocabulary and script != "hans" and briefing.lang not in ("zh-Hans", "zh-CN"):
        # OpenCC's lists of words go between the mainland and Taiwan or Hong Kong, none
        # between the last two.
        to, source = (
            ("Taiwan's", "Hong Kong's") if script == "hant" else ("Hong Kong's", "Taiwan's")
        )
        reason = (
            f"converts the mainland's words to {to}, and this briefing's lang is "
            f"{briefing.lang}: OpenCC has no list of {source}"
        )
        raise UsageError(
            f'vocabulary=True {reason}; call edition(briefing, "{script}") without it',
            command_line=f"--vocabulary {reason}; build the edition without --vocabulary",
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
    # Marked as an edition, its files are named apart from the original's (an edition built
    # into the original's folder wrote over its files of the same names).
    return dataclasses.replace(
        converted, people=people, sources=sources, lang=chosen.lang, edition=True
    )


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
    if chosen.lang == "zh-HK" and lang in ("zh-Hant", "zh-TW"):
        # Taiwan's standard forms to Hong Kong's, through OpenCC's own Traditional forms,
        # which both conversions know: 隨著 and 著手 become 隨着 and 着手 (著作 stays), 裡,
        # 溫 and 衛 become 裏, 温 and 衞.
        return ("tw2t", "t2hk")
    if chosen.lang == "zh-Hant" and lang == "zh-HK":
        # And the reverse: 隨着 and 着手 become 隨著 and 著手, 裏, 温, 峯 and 衞 become 裡,
        # 溫, 峰 and 衛.
        return ("hk2t", "t2tw")
    if lang != "zh-HK" or chosen.lang not in ("zh-Hans", "zh-CN"):
        return (chosen.config,)
    # Hong Kong's standard writes some characters in forms of its own that the Taiwan
    # conversions do not know: 捍衞 and 敍利亞 would stay so in a Simplified edition. hk2s
    # takes them to 捍卫 and 叙利亚, after the Taiwan conversion (and its words, with
    # --vocabulary): Hong Kong writers also use Taiwan's 著 (隨著, 著手), which hk2s alone
    # leaves as 随著 and 著手 where the mainland writes 随着 and 着手.
    return (chosen.config, "hk2s")


#: Words that OpenCC's regional vocabulary (``--vocabulary``), a list made for computing
#: terms, would change in news prose, where they mean what they mean on both sides of the
#: strait and are written alike: each is kept as a word, by OpenCC itself, in the step that
#: converts the regional words (its file named here; the words apart by spaces). A longer
#: term that holds one is still converted: OpenCC takes the longest word either list knows,
#: so 資料庫 (a database) becomes 数据库 while 資料 alone stays 资料.
NEWS_WORDS: dict[str, str] = {
    # Taiwan's words, which the mainland writes too: 行程 a trip (not 进程, a process), 簡報
    # a briefing (not 演示文稿, slides), 資料 and 資料來源 records and their source (not
    # 数据, 数据源), 建立 relations (not 创建), 執行 a task (not 运行, to run), 核心 interests
    # (not 内核, a kernel), 智慧 wisdom (not 智能; 人工智慧 is still 人工智能), 宣告
    # independence (not 声明), 互動 (not 交互), 文件 documents (not 文档), 檔案 archives
    # (not 文件), 新增 cases (not 添加), 指標 indicators (not 指针), 整合 (not 集成), 序列
    # (not 串行), 呼叫 for help (not 调用), 啟用 an airport (not 激活), 停用 a reactor (not
    # 禁用, to ban), 複製 (not 拷贝), 列舉 (not 枚举), 即時 (not 实时), 批次 (not 批量),
    # 檢視 a policy (not 查看), 查詢 (not 查找), 設定 a goal (not 设置), 區域性 regional
    # (not 局部, partial), 效能 efficiency (not 性能), 載入 history (not 加载), 撥出 funds
    # (not 呼出), a 裝置 that explodes (not 设备), military and humanitarian 支援 (aid and
    # reinforcements, not 支持, backing; 技術支援 is still 技术支持, NEWS_PHRASES).
    "TWPhrasesRev.ocd2": (
        "行程 簡報 資料 資料來源 建立 執行 核心 智慧 宣告 互動 文件 檔案 新增 指標 整合 序列 "
        "呼叫 啟用 停用 複製 列舉 即時 批次 檢視 查詢 設定 區域性 效能 載入 撥出 裝置 支援 "
        # Places whose 川 would begin 川普 (NEWS_NAMES) with the word after them.
        "四川 銀川"
    ),
    # The mainland's words (in Traditional characters, as OpenCC's second step reads them),
    # which Taiwan writes too: 和平進程 (not 程序), 法律程序 (not 程式), 菜單 a menu (not
    # 選單), 合作對象 a partner (not 物件, an object), 政府文件 (not 檔案), 運行 of trains
    # (not 執行), 社區 a neighbourhood (not 社群), 支持 a cause (not 支援, to reinforce).
    "TWPhrases.ocd2": "進程 程序 菜單 對象 文件 運行 社區 支持",
}

#: Phrases that hold a kept news word (NEWS_WORDS) and that the mainland writes with
#: another word, converted as OpenCC's list converted the word alone: a help desk's 技術支援
#: is the mainland's 技术支持, though its 軍事支援 is the mainland's 军事支援 too. Being longer,
#: they win over the kept word in the same file.
NEWS_PHRASES: dict[str, dict[str, str]] = {
    "TWPhrasesRev.ocd2": {"技術支援": "技術支持"},
}

#: The names of the news that Taiwan and the mainland write apart, Taiwan's first: OpenCC's
#: list has a few (歐巴馬 → 奥巴马, 紐西蘭 → 新西兰) and not these, so that a mainland edition
#: set 奥巴马 beside 川普. Each is converted as OpenCC's own names are, both ways (the
#: mainland's in Traditional characters, as OpenCC's steps read and write them), and in
#: every field, the people's index included. 川普 runs across a word's end too (四川普通話,
#: 銀川普查): those places are kept as words of the list, which OpenCC then reads first.
NEWS_NAMES: tuple[tuple[str, str], ...] = (
    ("普丁", "普京"),
    ("川普", "特朗普"),
    ("戈巴契夫", "戈爾巴喬夫"),
    ("葉爾欽", "葉利欽"),
    ("梅德維傑夫", "梅德韋傑夫"),
    ("赫魯雪夫", "赫魯曉夫"),
    ("布里茲涅夫", "勃列日涅夫"),
    ("史達林", "斯大林"),
    ("蕭伊古", "紹伊古"),
    ("澤倫斯基", "澤連斯基"),
    ("甘迺迪", "肯尼迪"),
    ("尼克森", "尼克松"),
    ("雷根", "里根"),
    ("柯林頓", "克林頓"),
    ("希拉蕊", "希拉里"),
    ("布希", "布什"),
    ("小布希", "小布什"),
    ("梅克爾", "默克爾"),
    ("柴契爾", "撒切爾"),
    ("馬克宏", "馬克龍"),
    ("邱吉爾", "丘吉爾"),
)
for _taiwan, _mainland in NEWS_NAMES:
    NEWS_PHRASES["TWPhrasesRev.ocd2"][_taiwan] = _mainland
    NEWS_PHRASES.setdefault("TWPhrases.ocd2", {})[_mainland] = _taiwan


#: Words in which Taiwan's 著 is zhù (a work, to write, eminent, native), as the mainland
#: and Hong Kong write it too, that OpenCC's list of Taiwan's forms (TWVariantsRevPhrases,
#: which has 著作, 名著, 顯著 and a few more) lacks: tw2s and tw2t, which read Taiwan's 著
#: as 着 elsewhere, wrote 原着, 编着, 专着, 成效卓着 and 土着. Kept as words in that step,
#: as NEWS_WORDS are. Only words whose first character rarely ends one that 着 follows:
#: 論著 would keep the 著 of 討論著 (讨论着), 新著 that of 重新著手, 所著 that of 所著重.
TAIWAN_ZHU: dict[str, str] = {
    "TWVariantsRevPhrases.ocd2": "原著 編著 專著 拙著 卓著 遺著 撰著 土著",
}

#: Taiwan's 畫 where it means to plan or to mark off (規畫, 策畫, 畫分), which the mainland
#: writes 划 and Hong Kong 劃: tw2s, which knows 計畫 and 籌畫 alone, made the others 规画,
#: 策画, 画分. Written 劃 in the step that reads Taiwan's forms (wherever TAIWAN_ZHU is
#: kept), which the next makes 划 (and t2hk leaves 劃). 政策畫 and 決策畫 are kept so: the
#: 畫上句點 that ends a 政策 is a drawn line.
TAIWAN_HUA: dict[str, dict[str, str]] = {
    "TWVariantsRevPhrases.ocd2": {
        "規畫": "規劃",
        "策畫": "策劃",
        "企畫": "企劃",
        "謀畫": "謀劃",
        "計畫": "計劃",
        "畫分": "劃分",
        "畫定": "劃定",
        "畫清界線": "劃清界線",
        "畫清界限": "劃清界限",
        "整齊畫一": "整齊劃一",
        "政策畫": "政策畫",
        "決策畫": "決策畫",
    },
}

#: The word lists (each a file name → words) that each OpenCC conversion keeps.
_KEPT: dict[str, tuple[dict[str, str], ...]] = {
    "tw2s": (TAIWAN_ZHU,),
    "tw2t": (TAIWAN_ZHU,),
    "tw2sp": (NEWS_WORDS, TAIWAN_ZHU),
    "s2twp": (NEWS_WORDS,),
}


@cache
def _opencc(config: str) -> object:
    import opencc  # imported on first use: only editions need it

    converter = opencc.OpenCC(config)
    if config not in _KEPT:
        return converter
    # OpenCC reads a configuration from a file only, and its dictionaries from that file's
    # folder: the copy is written to a folder of its own, naming OpenCC's dictionaries by
    # their full paths. Everything is read while the converter is made.
    with tempfile.TemporaryDirectory(prefix="briefgen-opencc-") as folder:
        copy = Path(folder) / f"{config}.json"
        text = _with_news_words(Path(converter.config), _KEPT[config])
        copy.write_text(text, encoding="utf-8")
        return opencc.OpenCC(str(copy))


def _with_news_words(path: Path, lists: tuple[dict[str, str], ...]) -> str:
    """OpenCC's configuration at ``path``, as JSON, with its word lists joined by the words
    to keep of ``lists`` (NEWS_WORDS, TAIWAN_ZHU), the phrases that hold them (NEWS_PHRASES)
    and Taiwan's 畫 of planning (TAIWAN_HUA), and every dictionary named by its full path."""
    kept_words: dict[str, list[str]] = {}
    for words_of in lists:
        for file, words in words_of.items():
            kept_words.setdefault(file, []).extend(words.split())

    def visit(entry: dict[str, Any]) -> dict[str, Any]:
        if entry["type"] == "group":
            return {**entry, "dicts": [visit(child) for child in entry["dicts"]]}
        if "file" not in entry:
            return entry
        dictionary = {**entry, "file": str(path.parent / entry["file"])}
        if entry["file"] not in kept_words:
            return dictionary
        kept.append(entry["file"])
        words = {word: word for word in kept_words[entry["file"]]}
        words |= NEWS_PHRASES.get(entry["file"], {}) | TAIWAN_HUA.get(entry["file"], {})
        # A union: the longest word either knows wins, the kept word where both know it.
        return {
            "type": "group",
            "match_policy": "union",
            "dicts": [{"type": "inline", "entries": words}, dictionary],
        }

    kept: list[str] = []
    config = json.loads(path.read_text(encoding="utf-8"))
    if "segmentation" in config:  # tw2t has none
        config["segmentation"]["dict"] = visit(config["segmentation"]["dict"])
    for step in config.get("normalization", []) + config["conversion_chain"]:
        step["dict"] = visit(step["dict"])
    for words_of in lists:
        if not any(file in kept for file in words_of):
            # An OpenCC whose files are named otherwise: its lists would rewrite these words.
            raise RuntimeError(f"OpenCC's {path.name} has none of {', '.join(words_of)}")
    return json.dumps(config, ensure_ascii=False)


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
        converted = "".join(parts)
        # On the whole text: a quotation's two marks may lie on either side of a kept term,
        # and so may a name's dot and the Han character before it (乾隆・弘曆).
        if self.lang in ("zh-Hans", "zh-CN"):
            converted = _mainland_interpunct(converted, kept)
        return self.requote(converted, self.lang, kept)

    def convert(self, text: str) -> str:
        if not text:
            return text
        converted = text
        for converter in self.converters:
            converted = str(converter.convert(converted))  # type: ignore[attr-defined]
        if self.lang in ("zh-Hans", "zh-CN"):
            converted = converted.translate(_SIMPLIFIED_VARIANTS)
        return converted


def _mainland_interpunct(text: str, kept: list[tuple[int, int]]) -> str:
    """``text`` with the mainland's interpunct between the parts of a name (_INTERPUNCT),
    outside the ``kept`` spans, where a dot is as its writer wrote it."""

    def replace(match: re.Match[str]) -> str:
        if any(start <= match.start() < end for start, end in kept):
            return match.group()
        return "\u00b7"

    def initials(match: re.Match[str]) -> str:
        # The dots between a name's Latin initials (喬治・H・W・布希), where the initials
        # are joined by a dot to the name's Han part: the dots beside the Han part alone
        # made, the name was written with both dots (乔治·H・W·布什).
        start, end = match.span()
        if not (_HAN_DOT.fullmatch(text, max(start - 2, 0), start) or _DOT_HAN.match(text, end)):
            return match.group()
        return _DOT_RE.sub(lambda dot: replace_at(dot, start), match.group())

    def replace_at(dot: re.Match[str], offset: int) -> str:
        at = offset + dot.start()
        return dot.group() if any(start <= at < end for start, end in kept) else "\u00b7"

    return _INTERPUNCT.sub(replace, _LATIN_INITIALS.sub(initials, text))


#: Characters OpenCC's Simplified conversions keep that the mainland standard (the Table of
#: General Standard Chinese Characters, 2013) lists as variants of another: 砲彈 became 砲弹,
#: where a mainland reader writes 炮弹, and Taiwan's 牠 for an animal stayed, where the
#: mainland writes 它 (它们).
_SIMPLIFIED_VARIANTS = str.maketrans({"砲": "炮", "牠": "它"})

#: The interpunct between the parts of a name (麥克・蓬佩奧), as Traditional texts write it
#: (the katakana middle dot ・, Taiwan's ‧), between two Han characters: a mainland reader
#: writes it · (U+00B7), as GB/T 15834-2011 does and the names of the mainland's own
#: registers (民委发〔2016〕33号) must, and a search for 迈克·蓬佩奥 finds no 迈克・蓬佩奥.
#: So is the dot beside a name's Latin initial (約翰・F・甘迺迪, 约翰·F·肯尼迪 on the mainland):
#: left, a name would be written with both dots. Between kana (キム・イルソン) it is Japanese
#: punctuation, and stays.
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
_DOT = "[\u30fb\u2027\uff65]"
_INTERPUNCT = re.compile(f"(?<={_HAN}){_DOT}(?={_HAN}|[A-Za-z])|(?<=[A-Za-z]){_DOT}(?={_HAN})")
_DOT_RE = re.compile(_DOT)
_HAN_DOT = re.compile(f"{_HAN}{_DOT}")
_DOT_HAN = re.compile(f"{_DOT}{_HAN}")
#: Latin words or initials joined by dots (H・W), each run whole, so that a long one is
#: read once.
_LATIN_INITIALS = re.compile(f"(?<![A-Za-z])[A-Za-z]+(?:{_DOT}[A-Za-z]+)+")
