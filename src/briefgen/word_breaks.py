"""Lines in the PDF not broken where a reader would not break them, which Pango would:

* Korean between words only, at their spaces, as Korean is printed (CSS ``word-break:
  keep-all``, which browsers and e-book readers are asked for in ``css/cjk-text.css``).
  Pango breaks Hangul as it breaks Han, between any two syllables (UAX #14), and WeasyPrint
  70 knows ``word-break: normal`` and ``break-all`` only: a Korean briefing's lines ended
  inside words (진격하/면서), 221 of 259 breaks in a measured one.
* Chinese and Japanese never between a number and the 年, 月 or 日 it counts (``1953年9`` /
  ``月4日``: 15 times in the people index of 120 events), which UAX #14 allows.
* A web address, in any language, never before its path begins: UAX #14 allows a break
  after each ``/`` and hyphen, and a Chinese line ended ``詳見https://`` with the host on
  the next line, an English one ``https://www.example-`` over ``news.org/…``.
* A web address in any language (English too) not inside a part of its path, between two
  ``/``, where the line has room for the part: UAX #14 also allows a break after a hyphen
  and a question mark, and ``…/kim-`` over ``jong-un.html`` reads as a hyphenated word (the
  Chicago Manual of Style never breaks an address after a hyphen). The part goes to the
  next line whole, after the ``/`` before it; one wider than the line still breaks inside.

A Korean word longer than the line, though, breaks where the line is full, as an English
word longer than the line does (``overflow-wrap: break-word``, which WeasyPrint applies by
laying the line out again with Pango breaking between any two characters): kept whole, it
ran past the right margin, and off an A5 page. The line is laid out again without the word
kept whole where the first was wider than its room and WeasyPrint would break a word there.

Pango can be told not to break inside a stretch of text (``pango_attr_allow_breaks_new``,
Pango 1.44), which WeasyPrint does not declare; here each such stretch of a text box gets
that attribute, after WeasyPrint has set the layout's own (``text/line_break.py:
Layout.set_text``). Between two inline boxes (a word half in ``<em>`` or ``<strong>``, or the PDF's
emphasis, a box a syllable) WeasyPrint asks Pango of the two letters that meet alone
(``layout/inline.py: can_break_text``), which in Korean is told the same: no break
between two letters of a word; but two Hangul syllables where the box's text breaks
between syllables (``--briefgen-korean-breaks: syllables``), which ``split_inline_box`` is
wrapped to tell it, as it is given no style.

Nor is an address hyphenated where the language is (English, ``hyphens: auto``): WeasyPrint
hyphenates the word after a line's last break without asking Pango (``text/line_break.py:
split_first_line``), and a line ended ``https://www.example-news.org/…/vladivos‐``, the
hyphen drawn into the text, so that the PDF copied an address that leads nowhere. A line it
hyphenates inside a word of an address (anything but white space with a ``/``, ``@``, ``.``,
``?``, ``=``, ``&``, ``#``, ``_`` or ``:`` inside it) is split again without hyphenation
(``layout/inline.py`` calls ``split_first_line`` by that name).

Installed once per process, for WeasyPrint 70.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Collection
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.layout import inline
from weasyprint.text import line_break
from weasyprint.text.ffi import ffi, pango

from . import own_layout
from .once import once
from .typography.masking import ADDRESS

#: What Pango keeps whole in Korean: a run of anything but white space. (Patterns on the
#: UTF-8 bytes, which Pango counts in.)
_WORD = re.compile(rb"\S+")

#: What Pango keeps whole in Chinese and Japanese: the last figure of a number (0-9 or a
#: full-width one) and the date unit after it, 年, 月 or 日.
_COUNTED = re.compile(rb"(?:[0-9]|\xef\xbc[\x90-\x99])(?:\xe5\xb9\xb4|\xe6\x9c\x88|\xe6\x97\xa5)")


#: What Korean text breaks as the other languages do, inside a "word": a web address (after
#: its host, where Pango finds it may), and a run of six or more Han or kana, a
#: quotation in Chinese or Japanese rather than a word written in Hanja (韓國은). Kept whole,
#: either ran past the right margin, and the line before it was spread syllable by syllable.
_HAN_KANA = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_LONG_CJK = re.compile(rf"{_HAN_KANA}{{6,}}")
#: The rest of an address a line broke: WeasyPrint lays out the text after a break afresh,
#: without the ``https://`` that made it one. Eight or more ASCII characters with a slash
#: (and no ``://``: a whole address is ADDRESS's).
_ADDRESS_PART = re.compile(r"(?<![!-~])(?=[!-~]{8})(?![!-~]*://)[!-~]*/[!-~]*")
_HAS_FREE = re.compile(rf"/|@|{_LONG_CJK.pattern}")


def _korean_stretches(text: str, wide: Collection[int] = ()) -> list[tuple[int, int]]:
    """The words of a Korean text (its runs of anything but white space) but their
    addresses and long runs of Han or kana, as spans of its UTF-8 bytes. An address that
    starts at a character in ``wide`` (its host is wider than the line) is free to break
    past its scheme already, as in Chinese (:func:`_kept_whole`)."""
    spans = [
        *(_after_host(match, match.start() in wide) for match in ADDRESS.finditer(text)),
        *(match.span() for match in _ADDRESS_PART.finditer(text)),
        *(match.span() for match in _LONG_CJK.finditer(text)),
    ]
    free = sorted((start, end) for start, end in spans if start < end)
    pieces = []
    for word in re.finditer(r"\S+", text):
        start, end = word.span()
        for free_start, free_end in free:
            if free_end <= start or free_start >= end:
                continue
            if free_start > start:
                pieces.append((start, free_start))
            start = max(start, free_end)
        if start < end:
            pieces.append((start, end))
    return _in_bytes(text, pieces)


def _address_heads(text: str) -> list[tuple[int, int, int]]:
    """Where each address of a text starts, and how far a line should not break inside
    it, as offsets of its UTF-8 bytes: the end of its scheme and the first character after
    it (``https://e``), and its host's end (``https://example.org/``; the whole of a mail
    address). The rest of a web address breaks as Pango finds it may, after a ``/`` of its
    path."""
    heads = []
    for match in ADDRESS.finditer(text):
        start, host_end = match.start(), _after_host(match)[0]
        scheme = match.group().find("://")
        past_scheme = start + scheme + 4 if scheme >= 0 else start
        heads.append((start, min(past_scheme, host_end), host_end))
    return [(_byte_at(text, a), _byte_at(text, b), _byte_at(text, c)) for a, b, c in heads if a < c]


def _kept_whole(layout: Any, text: str, head: tuple[int, int, int]) -> tuple[int, int]:
    """The stretch of an address's ``head`` (:func:`_address_heads`) in ``text`` that
    ``layout`` keeps whole: up to the host's end, or, where that is wider than the layout's
    lines (a long host, a box with little room left on its line), only past its scheme, so
    that the host breaks where Pango finds it may rather than running off the page."""
    start, past_scheme, host_end = head
    room = pango.pango_layout_get_width(layout)
    if room < 0:  # no width: the layout breaks no line
        return start, host_end
    width = _laid_width(layout, text.encode("utf-8"), start, host_end)
    return (start, host_end) if width <= room else (start, past_scheme)


def _wide_hosts(layout: Any, text: str) -> set[int]:
    """Where the addresses of ``text`` that ``layout`` cannot keep whole up to their path
    start (:func:`_kept_whole`), as indices of its characters."""
    if "://" not in text:
        return set()
    encoded = text.encode("utf-8")
    return {
        len(encoded[: head[0]].decode("utf-8"))
        for head in _address_heads(text)
        if _kept_whole(layout, text, head)[1] < head[2]
    }


#: A part of an address's path: what lies between two ``/`` (or after the last).
_PATH_PART = re.compile(r"[^/]+")


def _path_parts(layout: Any, text: str) -> list[tuple[int, int]]:
    """The parts of the paths of the web addresses in ``text`` (and of the rest of one a
    line broke, ``_ADDRESS_PART``) that ``layout`` has room for on a line, as spans of
    their UTF-8 bytes: kept whole, none ends a line after its hyphen or question mark."""
    paths = [
        (_after_host(match)[0], match.end())
        for match in ADDRESS.finditer(text)
        if "://" in match.group()
    ]
    paths += [
        match.span()
        for match in _ADDRESS_PART.finditer(text)
        if not any(start < match.end() and match.start() < end for start, end in paths)
    ]
    encoded = text.encode("utf-8")
    room = pango.pango_layout_get_width(layout)
    parts = []
    for start, end in paths:
        for part in _PATH_PART.finditer(text, start, end):
            # Only a part with somewhere to break: a hyphen or a question mark inside it.
            if not re.search(r"[-?].", part.group()):
                continue
            span = (_byte_at(text, part.start()), _byte_at(text, part.end()))
            if room < 0 or _laid_width(layout, encoded, *span) <= room:
                parts.append(span)
    return parts


def _laid_width(layout: Any, encoded: bytes, start: int, end: int) -> int:
    """How wide ``layout`` sets the characters of ``start`` to ``end`` of its text's UTF-8
    bytes ``encoded``, in Pango units. Only those characters are walked: set_text measures
    each address of every text box WeasyPrint lays out (each line of a paragraph anew), and
    a walk over the whole text for each host and part of a path made a Chinese PDF whose
    paragraphs held a few addresses each a tenth to a third slower."""
    position = ffi.new("PangoRectangle *")
    width = 0
    index = start
    for char in encoded[start:end].decode("utf-8"):
        pango.pango_layout_index_to_pos(layout, index, position)
        width += abs(position.width)
        index += len(char.encode("utf-8"))
    return width


def _in_bytes(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of ``text``'s characters as spans of its UTF-8 bytes, which Pango counts in."""
    offsets = _byte_offsets(text)
    return [(offsets[start], offsets[end]) for start, end in spans]


def _byte_at(text: str, index: int) -> int:
    """Where character ``index`` of ``text`` starts in its UTF-8 bytes: for a few places in
    a text, without the walk over all its characters that :func:`_byte_offsets` makes."""
    return len(text[:index].encode("utf-8"))


def _byte_offsets(text: str) -> list[int]:
    """Where each character of ``text`` starts in its UTF-8 bytes, and where they end."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + len(char.encode("utf-8")))
    return offsets


def _after_host(address: re.Match[str], past_scheme: bool = False) -> tuple[int, int]:
    """The part of an address that may break: after its ``https://example.org/``, which a
    line should not end inside (a reader takes ``https://`` at a line's end for the whole
    address, or a host cut in two for two; and a justified Korean line was drawn past the
    margin when it ended there). With ``past_scheme``, after ``https://e`` already."""
    start, end = address.span()
    scheme = address.group().find("://")
    if past_scheme and scheme >= 0:
        return min(start + scheme + 4, end), end
    host_end = address.group().find("/", scheme + 3) if scheme >= 0 else -1
    return (start + host_end + 1, end) if host_end >= 0 else (end, end)


#: A word of an address (or of code), which is not hyphenated: anything but white space,
#: with a mark of an address between two of its characters.
_ADDRESS_LIKE = re.compile(r"\S*\w[/@.?=&#_:]\w\S*")


def _hyphenated_an_address(text: str, split: tuple[Any, ...], hyphen: str) -> bool:
    """Whether ``split_first_line`` ended the first line of ``text`` with ``hyphen`` that
    the text does not have there, inside a word of an address."""
    layout, resume_at = split[0], split[2]
    if resume_at is None or not layout.text.endswith(hyphen):
        return False
    before = text.encode("utf-8")[:resume_at].decode("utf-8", errors="ignore")
    if before.endswith(hyphen):
        return False  # a hyphen of the text (a soft hyphen's break is the text's too)
    at = len(before)
    return any(word.start() < at < word.end() for word in _ADDRESS_LIKE.finditer(text))


def _is_korean(lang: str | None) -> bool:
    return lang is not None and (lang == "ko" or lang.startswith("ko-"))


def _joins_word(pair: str) -> bool:
    """Whether two letters that meet at the edge of two inline boxes are inside one Korean
    word: neither is white space, and they are not two Han or kana (which may be in a long
    run of them, which breaks as Chinese or Japanese do; see ``_LONG_CJK``)."""
    if len(pair) != 2 or any(char.isspace() for char in pair):
        return False
    return not all(re.fullmatch(_HAN_KANA, char) for char in pair)


#: Set on a thread while a line is laid out again with its Korean words free to break
#: (:func:`_too_long_a_word`).
_words_free = threading.local()


#: The custom property that sets a narrow column's Korean text free to break between two
#: syllables of a word (``--briefgen-korean-breaks: syllables``: css/sheet.css, and a
#: template of the user's own), as WeasyPrint names it in a box's style.
KOREAN_BREAKS = "__briefgen_korean_breaks"

#: What a narrow column's Korean text keeps whole where its words break between syllables:
#: a number or a Latin word and the syllable after it, the unit it counts or the particle
#: it takes (``10|조``, ``HBM3E|를``: UAX #14 allows both breaks). Pango keeps the digits
#: of a number and the letters of a Latin word together itself.
#: A unit written as a sign (50%까지, 710만㎡에: ``%``, ``‰``, ``℃`` and the squared units
#: of U+3380 to U+33FF) keeps its particle as a Latin word does: UAX #14 allows that break
#: too, and an A5 sheet set ``710만㎡`` over ``에 2042년까지``.
_COUNTED_KOREAN = re.compile(r"[0-9A-Za-z%\u2030\u2103\u3380-\u33ff][\uac00-\ud7a3]")
#: And a middle dot between two names or words (삼성전자·인텔·TSMC) and the letter before it,
#: as a comma is: UAX #14 lets a line break before one after Hangul (U+00B7 is of its
#: class AI, read as a letter), and a line started ``·TSMC 등``.
_BEFORE_A_DOT = re.compile(r"\S\u00b7")
#: Two Hangul syllables, which meet at the edge of two inline boxes inside a word
#: (``메모|리(HBM)``, the bracket and the letter beside it in a ``nobreak`` span:
#: briefgen/markdown.py's ``korean_mark_joins``): a narrow column breaks between them too.
_SYLLABLES = re.compile(r"[\uac00-\ud7a3]{2}")
#: Set on a thread while WeasyPrint lays out an inline box whose Korean text breaks between
#: syllables (:data:`KOREAN_BREAKS`), for ``can_break_text``, which is given no style.
_boxes_syllables = threading.local()
#: A text's last two syllables, if its last word has two, and what follows them in it.
_LAST_SYLLABLES = re.compile(r"[\uac00-\ud7a3]?[\uac00-\ud7a3][^\s\uac00-\ud7a3]*(?=\s*$)")


def _syllables_break(style: Any) -> bool:
    """Whether a box's Korean text may break between two syllables of a word: set so by
    :data:`KOREAN_BREAKS` (a tuple of CSS tokens; an empty list where it is not set)."""
    tokens = style[KOREAN_BREAKS]
    return any(getattr(token, "value", None) == "syllables" for token in tokens or ())


def _syllables_at_an_edge(pair: str) -> bool:
    """Whether two letters of a word that meet at the edge of two inline boxes may part:
    two Hangul syllables, in a box whose Korean text breaks between them (a number and its
    unit, or a Latin word and its particle, stay together: ``_COUNTED_KOREAN``), but its
    text's last two (``_LAST_SYLLABLES``: an entry ended ``발표했`` over ``다(2024).``)."""
    if not getattr(_boxes_syllables, "on", False) or not _SYLLABLES.fullmatch(pair):
        return False
    return pair != getattr(_boxes_syllables, "last", None)


def _last_two_syllables(box: Any) -> str | None:
    """The last two syllables of the text of an inline box or a line, if its last word
    ends with two (what follows them but white space being no Hangul)."""
    last = _LAST_SYLLABLES.search(_box_text(box))
    syllables = last and re.match(r"[\uac00-\ud7a3]{2}", last.group())
    return syllables.group() if syllables else None


def _box_text(box: Any) -> str:
    """The text of a box and all it holds."""
    if isinstance(box, boxes.TextBox):
        return str(box.text)
    if isinstance(box, boxes.ParentBox):
        return "".join(_box_text(child) for child in box.children)
    return ""


def _unbroken(lang: str | None) -> re.Pattern[bytes] | None:
    """The stretches of text in ``lang`` not to break inside, if any."""
    if lang is None:
        return None
    if _is_korean(lang):
        return None if getattr(_words_free, "on", False) else _WORD
    if lang.startswith(("zh", "ja")):
        return _COUNTED
    return None


def _too_long_a_word(
    split: tuple[Any, ...], style: Any, max_width: float, is_line_start: bool, minimum: bool
) -> bool:
    """Whether ``split_first_line`` set a Korean line wider than ``max_width`` where
    WeasyPrint breaks a word too long for its line (``line_break.split_first_line``, step 5:
    ``word-break: break-all``, or at a line's start ``overflow-wrap: anywhere``, or
    ``break-word`` but for a minimum width): a word kept whole, longer than the line."""
    if not _is_korean(style["lang"]) or split[3] <= max_width + 0.01:
        return False
    wrap = style["overflow_wrap"]
    return style["word_break"] == "break-all" or (
        is_line_start and (wrap == "anywhere" or (wrap == "break-word" and not minimum))
    )


#: The text ``split_first_line`` was last given on a thread: what ``set_text`` is given is
#: sometimes only its beginning.
_split_text = threading.local()


@once
def install() -> None:
    """Put the stretch-keeping ``set_text`` in place (once per process)."""
    ffi.cdef(
        "PangoAttribute * pango_attr_allow_breaks_new (gboolean allow_breaks);"
        "PangoAttrList * pango_attr_list_ref (PangoAttrList *list);"
        "PangoAttrList * pango_attr_list_copy (PangoAttrList *list);"
        "void pango_layout_index_to_pos (PangoLayout *layout, int index_, PangoRectangle *pos);"
        "int pango_layout_get_width (PangoLayout *layout);"
    )
    original = line_break.Layout.set_text

    def set_text(self: Any, text: str, justify: bool = False) -> None:
        if not own_layout.active():  # a document of the caller's own (own_layout.py)
            original(self, text, justify)
            return
        # A layout is given one text after another: the attributes of ours that the last
        # one had would hold at the wrong places in the next. The layout gets its own list
        # back, which WeasyPrint then adds its spacing to as it does without us (unless it
        # was set up afresh meanwhile, with a list of its own).
        given = self.__dict__.pop("unbroken", None)
        if given is not None and pango.pango_layout_get_attributes(self.layout) == given[0]:
            pango.pango_layout_set_attributes(self.layout, given[1])
        original(self, text, justify)
        pattern = _unbroken(self.style["lang"])
        syllables = pattern is _WORD and _syllables_break(self.style)
        if syllables:
            pattern = None
        if pattern is None and not syllables and not any(mark in self.text for mark in "/@"):
            return
        encoded = self.text.encode("utf-8")
        stretches = []
        if syllables:
            held = [match.span() for match in _COUNTED_KOREAN.finditer(self.text)]
            held += [match.span() for match in _BEFORE_A_DOT.finditer(self.text)]
            # The last two syllables together, so that no paragraph ends on a line of one
            # syllable and its stop (들어갔/다.): WeasyPrint's justification at the spaces,
            # not briefgen's, sets these lines, and briefgen/justify.py's mending of short
            # last lines is for its own. (Only of the whole text: WeasyPrint lays out the
            # first part of a long one alone, whose end is no paragraph's, first.)
            last = _LAST_SYLLABLES.search(self.text)
            if last and self.text == getattr(_split_text, "text", None):
                held.append(last.span())
            stretches = _in_bytes(self.text, held)
        elif pattern is _WORD and _HAS_FREE.search(self.text):
            stretches = _korean_stretches(self.text, _wide_hosts(self.layout, self.text))
        elif pattern is not None:
            stretches = [match.span() for match in pattern.finditer(encoded)]
        if pattern is not _WORD and ("://" in self.text or "@" in self.text):
            kept = (_kept_whole(self.layout, self.text, h) for h in _address_heads(self.text))
            stretches += [(start, end) for start, end in kept if start < end]
        if "/" in self.text:
            stretches += _path_parts(self.layout, self.text)
        if not stretches:
            return
        current = pango.pango_layout_get_attributes(self.layout)
        if current == ffi.NULL:
            ours, own = pango.pango_attr_list_new(), ffi.NULL
        else:
            ours = pango.pango_attr_list_copy(current)
            # Kept alive while the layout holds ours instead.
            own = ffi.gc(pango.pango_attr_list_ref(current), pango.pango_attr_list_unref)
        ours = ffi.gc(ours, pango.pango_attr_list_unref)
        for start, end in stretches:
            attribute = pango.pango_attr_allow_breaks_new(False)
            attribute.start_index, attribute.end_index = start, end
            pango.pango_attr_list_insert(ours, attribute)
        pango.pango_layout_set_attributes(self.layout, ours)
        self.unbroken = (ours, own)

    line_break.Layout.set_text = set_text

    can_break_text = inline.can_break_text

    def can_break_between(text: str, lang: str | None) -> bool:
        # Asked with the last letter of one inline box and the first of the next: Pango
        # would part two Hangul syllables (우리|말을 in emphasis, which the PDF sets a
        # syllable a box: 14 of 41 breaks in a measured page of emphasis and bold). Where
        # the text breaks between syllables, two of them may part here too: the edge of a
        # bracket's nobreak span (메모|리(HBM)) sent the whole word to the next line.
        if own_layout.active() and _is_korean(lang) and _joins_word(text):
            return _syllables_at_an_edge(text) and bool(can_break_text(text, lang))
        return bool(can_break_text(text, lang))

    inline.can_break_text = can_break_between

    split_inline_box = inline.split_inline_box

    def split_inline_box_knowing_its_breaks(context: Any, box: Any, *args: Any) -> Any:
        # WeasyPrint asks can_break_text of the letters at the edge of two of this box's
        # children with their language alone: where the box's text breaks between
        # syllables, it is told so here, for the box and all it holds (as the custom
        # property is inherited), and set back after it for the box's parent.
        # Its text's last two syllables, which an entry's last line holds, are told too.
        outer = getattr(_boxes_syllables, "on", False), getattr(_boxes_syllables, "last", None)
        _boxes_syllables.on = _syllables_break(box.style)
        _boxes_syllables.last = _last_two_syllables(box) if _boxes_syllables.on else None
        try:
            return split_inline_box(context, box, *args)
        finally:
            _boxes_syllables.on, _boxes_syllables.last = outer

    inline.split_inline_box = split_inline_box_knowing_its_breaks

    split_first_line = inline.split_first_line

    def split_unless_an_address(
        text: str,
        style: Any,
        context: Any,
        max_width: Any,
        justification_spacing: Any,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> Any:
        args = (justification_spacing, is_line_start, minimum)
        _split_text.text = text
        split = split_first_line(text, style, context, max_width, *args)
        if not own_layout.active():
            return split
        if max_width is not None and _too_long_a_word(
            split, style, max_width, is_line_start, minimum
        ):
            _words_free.on = True
            try:
                split = split_first_line(text, style, context, max_width, *args)
            finally:
                _words_free.on = False
        hyphen = style["hyphenate_character"]
        if style["hyphens"] != "auto" or not _hyphenated_an_address(text, split, hyphen):
            return split
        unhyphenated = style.copy()
        unhyphenated["hyphens"] = "manual"
        return split_first_line(text, unhyphenated, context, max_width, *args)

    inline.split_first_line = split_unless_an_address
