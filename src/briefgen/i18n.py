"""What briefgen writes itself in each supported language: labels and date phrases.

Adding a language is adding one entry to :data:`LANGUAGES`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import Event, PartialDate

_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _han_parts(d: PartialDate) -> list[str]:
    parts = [f"{d.year}年"]
    if d.month is not None:
        parts.append(f"{d.month}月")
    if d.day is not None:
        parts.append(f"{d.day}日")
    return parts


def _han_date(d: PartialDate) -> str:
    return "".join(_han_parts(d))


def _korean_parts(d: PartialDate) -> list[str]:
    parts = [f"{d.year}년"]
    if d.month is not None:
        parts.append(f"{d.month}월")
    if d.day is not None:
        parts.append(f"{d.day}일")
    return parts


def _korean_date(d: PartialDate) -> str:
    return " ".join(_korean_parts(d))


def _english_parts(d: PartialDate) -> list[str]:
    parts = [str(d.year)]
    if d.month is not None:
        parts.insert(0, _EN_MONTHS[d.month - 1])
    if d.day is not None:
        parts.insert(0, str(d.day))
    return parts


def _english_date(d: PartialDate) -> str:
    return " ".join(_english_parts(d))


# A period within one year says its year once, and one within a month its month once, as
# each language's house style writes it (2021年9月1日至20日, 1–20 September 2021): a year
# said twice in one label reads as a machine's.


def _shared(start: PartialDate, end: PartialDate) -> int:
    """How many of a period's fields, from the year down, its ends have in common and say
    once: 0; 1, the year (both ends in one year, each with its month); 2, the year and the
    month (both ends days of one month). An end with only a year keeps the other's year:
    ``2021年至10月`` would read as if the period began in a month."""
    if start.year != end.year or start.month is None or end.month is None:
        return 0
    if start.month != end.month or start.day is None or end.day is None:
        return 1
    return 2


def _han_span(start: PartialDate, end: PartialDate, joiner: str) -> str:
    """``2021年9月1日至20日``, ``2021年9月至10月``: the end, which names its year and month
    first, leaves off those the start has said."""
    return f"{_han_date(start)}{joiner}{''.join(_han_parts(end)[_shared(start, end) :])}"


def _korean_span(start: PartialDate, end: PartialDate, joiner: str) -> str:
    """``2021년 9월 1일~20일``, ``2021년 9월~10월``, as :func:`_han_span` writes it."""
    return f"{_korean_date(start)}{joiner}{' '.join(_korean_parts(end)[_shared(start, end) :])}"


def _english_span(start: PartialDate, end: PartialDate, joiner: str) -> str:
    """``1–20 September 2021``, ``September–October 2021``, ``1 September – 3 October 2021``,
    ``1950–1953``: the start, which names its year and month last, leaves off those the end
    will say. The en dash is closed where it joins two words of a kind (two days, two months,
    two years) and spaced where either end is more words, as New Hart's Rules and Chicago set
    it, with a no-break space before it, so that no line begins with the dash."""
    shared = _shared(start, end)
    parts = _english_parts(start)
    first = parts[: len(parts) - shared]
    alike = (start.month is None) == (end.month is None) and (start.day is None) == (
        end.day is None
    )
    if len(first) > 1 or not alike:
        joiner = f"\u00a0{joiner} "
    return f"{' '.join(first)}{joiner}{_english_date(end)}"


# The timeline's axis labels (see Language.axis_date): a day or a month alone where the tick
# before it already says the month or the year, so that the labels stay short enough to
# stand under every tick.


def _han_axis_date(d: PartialDate, whole: bool) -> str:
    if d.day is not None:
        return f"{d.month}月{d.day}日" if whole else f"{d.day}日"
    if d.month is not None:
        return f"{d.year}年{d.month}月" if whole else f"{d.month}月"
    return str(d.year)


def _korean_axis_date(d: PartialDate, whole: bool) -> str:
    if d.day is not None:
        return f"{d.month}월 {d.day}일" if whole else f"{d.day}일"
    if d.month is not None:
        return f"{d.year}년 {d.month}월" if whole else f"{d.month}월"
    return str(d.year)


def _english_axis_date(d: PartialDate, whole: bool) -> str:
    if d.month is not None:
        # The months' usual three-letter abbreviations (Jan, Sep): an axis has no room for
        # September.
        month = _EN_MONTHS[d.month - 1][:3]
        if d.day is not None:
            return f"{d.day} {month}" if whole else str(d.day)
        return f"{month} {d.year}" if whole else month
    return str(d.year)


@dataclass(frozen=True)
class Language:
    """Labels and date wording for one language tag."""

    tag: str
    contents: str
    summary: str
    people: str
    sources: str
    page_of: str
    """CSS ``content`` value for the page footer; uses ``counter(page)`` and ``counter(pages)``."""
    date: Callable[[PartialDate], str]
    range_joiner: str
    """Put between the two ends of a period: ``1950年`` + ``至`` + ``1953年``."""
    span: Callable[[PartialDate, PartialDate, str], str]
    """A period's label from its two ends and :attr:`range_joiner`, each end saying only
    what the other does not (``2021年9月1日至20日``)."""
    axis_date: Callable[[PartialDate, bool], str]
    """A tick's label on the visual timeline's axis, to the tick's unit: a year
    (``1950``), a month (``2024年1月``, or ``4月`` when not ``whole``), a day (``1月6日``,
    or ``7日``). A whole label also names the month of a day and the year of a month: the
    first tick's label, and the label where a new month or year begins, are whole."""
    names_year_first: bool = True
    """Whether a date names its year, then its month and its day (``2021年9月1日``), or the
    other way round (``1 September 2021``): which end of a period says once what both share
    on the timeline's short labels (``1月9日–10日``, ``9–10 Jan``)."""
    list_separator: str = "、"
    title_separator: str = "\u3000"
    """Between an event's period and its title (headings, contents, the handout): a full-width
    space in Chinese, Japanese and Korean text, which sets words apart with spaces of another
    size or none; English, whose letters have no ideographic space, takes an en space."""
    field_separator: str = "・"
    """Between the parts of a byline or a source entry (author, publisher, date)."""
    made_with: str = "Made with"
    """The colophon's labels: the program, the build date, the fonts, the licence."""
    built: str = "Built"
    fonts: str = "Fonts"
    glyph_forms: str = ""
    """Said after the shipped fonts' names in the colophon where the language's glyph forms
    are not the faces' own: the files are the Traditional Chinese (Taiwan) ones, whose TC
    name a reader takes for Chinese type, while briefgen sets a Japanese briefing in their
    Japanese forms (fonts.subset). Empty where the faces' own forms are drawn."""
    licence: str = "Licence"
    events: str = "{count} events"
    """How many events, as the visual timeline's description says it of a decade's column;
    ``{count}`` is the number."""
    one_event: str = "1 event"
    chart: str = "Timeline, {period}"
    """The visual timeline's name, as a screen reader says it and the PDF's figure carries it
    as its alternative text: what the picture is, then the period it spans (``{period}``)."""

    def event_count(self, count: int) -> str:
        """``5件``, ``5건``, ``5 events``, ``1 event``."""
        return self.one_event if count == 1 else self.events.format(count=count)

    def when(self, start: PartialDate, end: PartialDate | None) -> str:
        """The display label of a period: ``1950年至1953年``, ``2021年9月至10月``,
        ``1950年6月``."""
        if end is None or end == start:
            return self.date(start)
        return self.span(start, end, self.range_joiner)

    def period(self, event: Event) -> str:
        """What an event is headed with: its own ``when`` label, or one written from its
        dates. Made at render time, so the same briefing reads right in any language."""
        return event.when or self.when(event.start, event.end)


_TRADITIONAL = Language(
    tag="zh-Hant",
    contents="目錄",
    summary="摘要",
    people="人物",
    sources="資料來源",
    page_of='"第 " counter(page) " 頁／共 " counter(pages) " 頁"',
    date=_han_date,
    axis_date=_han_axis_date,
    range_joiner="至",
    span=_han_span,
    made_with="製作工具",
    built="製作日期",
    fonts="字型",
    licence="授權",
    events="{count}件",
    one_event="1件",
    chart="大事時間軸：{period}",
)
_SIMPLIFIED = Language(
    tag="zh-Hans",
    contents="目录",
    summary="摘要",
    people="人物",
    sources="资料来源",
    page_of='"第 " counter(page) " 页／共 " counter(pages) " 页"',
    date=_han_date,
    axis_date=_han_axis_date,
    range_joiner="至",
    span=_han_span,
    made_with="制作工具",
    built="制作日期",
    fonts="字体",
    glyph_forms="（简体中文字形）",
    licence="许可",
    events="{count}件",
    one_event="1件",
    chart="大事时间轴：{period}",
    # The mainland's interpunct is U+00B7, as GB/T 15834-2011 writes it (set half an em
    # wide) and as GBK and GB 18030 encode it: not the katakana middle dot of the
    # Traditional labels, which a mainland reader's text would copy back as a Japanese sign.
    field_separator="·",
)
_JAPANESE = Language(
    tag="ja",
    contents="目次",
    summary="概要",
    people="人物",
    sources="出典",
    page_of='counter(page) "／" counter(pages) " ページ"',
    date=_han_date,
    axis_date=_han_axis_date,
    range_joiner="～",
    span=_han_span,
    # Not the nakaguro (・) of the Chinese editions: the shipped fonts' Japanese forms draw it
    # as a narrow dot (0.38 em) between words, which then touch it.
    field_separator="／",
    made_with="作成ツール",
    built="作成日",
    fonts="フォント",
    glyph_forms="（日本語の字形）",
    licence="ライセンス",
    events="{count}件",
    one_event="1件",
    chart="年表：{period}",
)
_KOREAN = Language(
    tag="ko",
    contents="목차",
    summary="요약",
    people="인물",
    sources="출처",
    page_of='counter(pages) "쪽 중 " counter(page) "쪽"',
    date=_korean_date,
    axis_date=_korean_axis_date,
    # The tilde set close on both sides, as the National Institute of Korean Language's
    # punctuation rules write a range (9월 15일~9월 25일, 1786~1856). Their example says
    # the month twice, which the rules allow and do not ask: the month once (9월 1일~20일)
    # is how Korean newspapers write a period within one month, as Chinese and Japanese do.
    range_joiner="~",
    span=_korean_span,
    list_separator=", ",
    field_separator=" · ",
    made_with="제작 도구",
    built="제작일",
    fonts="글꼴",
    glyph_forms="(한국어 자형)",
    licence="라이선스",
    events="{count}건",
    one_event="1건",
    chart="연표: {period}",
)
_ENGLISH = Language(
    tag="en",
    contents="Contents",
    summary="Summary",
    people="People",
    sources="Sources",
    page_of='"Page " counter(page) " of " counter(pages)',
    date=_english_date,
    axis_date=_english_axis_date,
    range_joiner="–",
    span=_english_span,
    names_year_first=False,
    list_separator=", ",
    field_separator=" · ",
    title_separator="\u2002",
)

LANGUAGES: dict[str, Language] = {
    "zh-Hant": _TRADITIONAL,
    "zh-TW": _TRADITIONAL,
    # Hong Kong's forms of some characters differ from Taiwan's (the faces' own).
    "zh-HK": dataclasses.replace(_TRADITIONAL, glyph_forms="（香港字形）"),
    "zh-Hans": _SIMPLIFIED,
    "zh-CN": _SIMPLIFIED,
    "ja": _JAPANESE,
    "ko": _KOREAN,
    "en": _ENGLISH,
}


def language(tag: str) -> Language:
    """The :class:`Language` for a supported tag (the loader has already rejected others)."""
    return LANGUAGES[tag]


# The letters of the scripts that name a language of their own: Hangul Korean and kana
# Japanese (each written with Han characters too); Han alone is Chinese, Japanese or Korean.
_HAN = "\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_HANGUL = "\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"
_KANA = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_SCRIPT_LANGUAGES = (
    ("ko", re.compile(f"[{_HANGUL}]"), re.compile(f"[{_HANGUL}{_HAN}]")),
    ("ja", re.compile(f"[{_KANA}]"), re.compile(f"[{_KANA}{_HAN}]")),
)


def script_language(text: str, lang: str) -> str | None:
    """The language of ``text`` (a name in another script) where its letters tell it and it
    is not the briefing's (``lang``): ``ko`` for Hangul, ``ja`` for kana, each with or
    without Han. None otherwise: Latin and Cyrillic letters are written in many languages
    (Kim Il-sung is a romanized Korean name, Ким Ир Сен a Russian spelling of it), and Han
    alone in three; a guess there would have a screen reader read the name in a wrong voice.
    """
    letters = [char for char in text if char.isalpha()]
    for tag, own, allowed in _SCRIPT_LANGUAGES:
        if any(own.match(char) for char in letters) and all(
            allowed.match(char) for char in letters
        ):
            return None if lang.split("-")[0] == tag else tag
    return None
