"""CJK lines in the PDF: justified flush at both edges, a quarter em between Han or kana and
Latin, adjacent punctuation squeezed, and no paragraph or heading ending with a line of one
or two characters.

WeasyPrint's ``text-align: justify`` widens only spaces and no-break spaces
(``weasyprint/layout/inline.py: justify_line``). A line of Chinese or Japanese has none, so
its spare width stays at its end and the column's right edge is ragged. Inside
:func:`cjk_justification`, a justified line that holds East Asian wide characters has its
spare width spread evenly over its justification opportunities instead: after each CJK
character, after each run of Latin letters or digits and at each space, never inside a
Latin word or a number, nor between a half-width mark (a Korean line's curly quotes too) and
the word it closes or opens (``다.``, ``(대``). Its text boxes are cut into pieces drawn at
their own positions, each text box still shaped once and drawn in one text object where its
pieces are its own glyphs (see :func:`_drawn_whole`); the PDF keeps one glyph per character,
adds no space to the text, and the text copies out as written. Lines without CJK characters
(English), and Korean lines, which set words apart with spaces and break only between them
(briefgen/word_breaks.py), keep WeasyPrint's own word spacing.

Every line that holds CJK characters, justified or not (a paragraph's last line, a heading,
an entry of the contents), is also spaced as CSS Text 4 asks of ``text-autospace`` and
``text-spacing-trim``, which WeasyPrint does not implement:

* a quarter em between a Han or kana character and a Western run next to it (``約 110 億``,
  ``2023 年 9 月``; letters, digits and the signs of the run, ``30%``, ``km/h``), never
  beside CJK punctuation (``，2023``, ``（AP）``), never where the text has a space, never
  at a line's start or end;
* when two full-width punctuation marks meet (``。」`` ``」，`` ``、「``), the first loses
  its blank half, so the pair takes an em and a half (and a hundredth: see
  :data:`POPPLER_SLACK`): its blank follows its glyph (closing brackets, and stops and
  commas set at the start of the em as in zh-Hans and Japanese) or lies half on each side
  (stops and commas centred, as in zh-Hant); when the first is an opening bracket, whose
  blank comes before it, the second loses its own. The mark is a
  piece of its own set as the font's ``halt`` feature sets it: Pango shapes the mark with a
  copy of its text box's style that has ``halt`` on, which tells how far it moves the pen
  and its glyph, and so where its blank is; the glyph is then placed so (see :func:`_cut`).
  A mark the font has no ``halt`` for (``？`` in zh-Hant) is set as its ``palt`` sets it,
  two thirds of an em wide; one that neither narrows keeps its em.

What follows a glyph (the justification's share, a Han–Latin gap) is drawn as the PDF's
character spacing (``Tc``) in a marked-content span whose ``ActualText`` is the piece's own
text, not as Pango's letter spacing (which WeasyPrint writes as glyph displacements): text
extractors read a space into a gap between two glyphs wider than a tenth of an em
(pdftotext) or half a space (pypdf), and this way they see none (see
:func:`_draw_first_line`).

The gaps go in after Pango has broken the line: a line they make too long is laid out again
narrower, so that Pango breaks it earlier (in a paragraph of plain inline text in block
layout). A box as wide as its text (a page margin box such as the running header, an inline
block, a float, a cell of a table laid out automatically) is measured with its gaps, so
that they have room in it (see :func:`_max_content_width`); where a box's width is set and
too narrow for them (an inline block or a cell of a fixed width), they shrink to the room
there is. The squeezed marks only make lines shorter; justification takes up what they
free.

When the last line of a justified paragraph would hold one or two characters (``去。``),
or one character and its punctuation (``約》。``), the line above is broken again, narrower,
so that at least three characters go down, two of them no punctuation, and then justified
to the full width. Pango chooses the new break, so kinsoku (no line starting
with ``。`` or ``」``, none ending with ``「``) holds. First, though, the line above is laid
out half an em wider: where it then takes the rest of the paragraph and ends with a stop, a
comma or a closing bracket, that mark is set half width (CSS Text 4's ``text-spacing-trim:
allow-end``; JLReq and clreq reduce before they spread) and the line fits its column,
unspread, with no short line below (see :func:`_with_end_trimmed`).

A justified line that ends with a phrase of a title run into its paragraph, the title's
next phrase gone down whole (briefgen/markdown.py: ``run_in_phrases``), is spread no more
than a line cut short by kinsoku (:data:`MAX_PHRASE_BREAK_SPACING`); shorter still, it is
left at its start, as a break between phrases reads well. So is one broken after the
full-width space that parts a run-in title from its sentence; that space, a box of its own,
is not set at the line's end (JLReq; CSS Text hangs such spaces there, but WeasyPrint takes
off only U+0020), and the line's last character is what stands at the column's edge.

A heading (``h1`` to ``h6``) is not justified, but neither does it end on a line of one or
two characters: its line above is broken again, narrower, after a punctuation mark (or
before an opening bracket) where there is one (``俄羅斯與朝鮮：／忽近忽遠的七十餘年``, a
break between two phrases), else so
that three characters go down. A heading's last line long enough but begun inside a phrase
whose mark is on the line above (``合成テスト用ブリーフィング：60／の出来事``) is broken after
that mark too, where the line above keeps at least half as many characters, and so is one
that ends inside a bracket opened on it (``…七十餘年（長版工作／簡報…）``, broken before ``（``).

WeasyPrint internals this relies on, written for WeasyPrint 70 (another major version is
refused with a :class:`~briefgen.errors.BuildError`): in ``layout/inline.py``,
``justify_line`` and ``text_align`` (replaced; ``get_next_linebox`` calls ``text_align``
for every line, after ``remove_last_whitespace``, with the width available),
``can_break_inside`` (replaced: ``_break_waiting_children`` looks it up by name, and it
itself for a box's children), and ``get_next_linebox`` and ``handle_leader`` (called);
``iter_line_boxes`` as ``layout/block.py`` imported it (replaced); ``max_content_width``
in ``layout/preferred.py`` (replaced: the module's own functions look it up there as they
measure a block's line boxes); in ``draw/text.py``, ``draw_first_line``
(replaced: ``draw_text`` calls it between ``BT`` and ``ET`` for each text box, after
reading the decoration metrics its layout kept and setting the layout up again from the
box's style; operators go to the list ``stream.stream``, as pydyf's own); in
``text/line_break.py``, ``create_layout``, ``line_size``, ``get_log_attrs`` and
``can_break_text``, and
``Layout``: ``reactivate`` sets a text box's layout up again from the box's style and the
layout's ``text`` when it is drawn (``font_feature_settings``, a tuple of ``(tag, value)``
pairs, and ``letter_spacing`` included), and a text box keeps its layout deactivated, which
is copied for a piece with another ``text``; a Pango layout line's ``runs``, their items'
``offset`` and their glyph strings (``log_clusters``, and each glyph's ``width`` and
``x_offset`` in Pango units, ``text/ffi.py: FROM_UNITS``), read as ``draw_first_line`` reads
them, and what ``draw_first_line`` does with them, written again for a text box drawn
whole (``stream.add_font`` and the font's ``to_unicode``, ``widths``, ``hash``,
``bitmap``, ``png``, ``svg``, ``colr`` and ``get_unused_glyph_id``; ``stream.ink_rect`` and
``logical_rect``; ``set_font_size``, ``set_text_matrix``, ``set_text_rise`` and
``show_text``); ``TextBox.copy_with_text`` and ``style.copy()``, and that a box's copy carries its
attributes (``Box.copy`` copies ``__dict__``); ``is_leader`` on a leader's inline box; and
``is_floated``, ``is_absolutely_positioned``, ``is_flex_item`` and ``is_grid_item`` on
boxes. (WeasyPrint 70 writes a glyph's x offset in 1/1024 em where the PDF counts 1/1000,
one of the reasons a squeezed mark's glyph is placed rather than drawn with ``halt``.)

The replacements are installed while any thread is inside :func:`cjk_justification` and
act only for the threads inside it; every other call goes to WeasyPrint's own functions
(the drawing stand-in acts on the pieces laid out here, whichever thread draws them: render
and draw inside the context, as ``builders/pdf.py`` does).
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import itertools
import re
import threading
import unicodedata
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import weasyprint
from weasyprint.draw import text as draw_text
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, inline, preferred
from weasyprint.logger import LOGGER
from weasyprint.matrix import Matrix
from weasyprint.text import line_break
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

from .autospace import AUTOSPACE, gaps_after, is_wide
from .errors import BuildError
from .i18n import LANGUAGES

#: The WeasyPrint major version whose layout internals this module was written against.
WEASYPRINT_MAJOR = 70

#: A paragraph's last line must hold at least this many characters,
MIN_LAST_LINE = 3
#: and at least this many of them not punctuation: ``約》。`` is one character alone.
MIN_LAST_LETTERS = 2

#: Taking characters down to the last line is given up when the line above would then need
#: more than this much letter spacing (in em): a gappy line is worse than a short last one.
MAX_REFLOW_SPACING = 0.25

#: Justification adds at most this much (em) to a Han–Latin gap, which so stays under
#: 0.4 em; on a narrow column the rest of the line's spare width goes between the others.
MAX_GAP_SPREAD = 0.14

#: A justified line is spread by at most this much (em) between two characters. A line
#: with more spare width than that, such as one cut short before a web address too long to
#: follow it on the line (詳見https://…/dataset/ with the rest of the address below), is left
#: at its start: spread, it opened a gap of ten ems or more between its few characters.
MAX_JUSTIFY_SPACING = 0.5

#: A justified line broken inside a web address or right before one, and the line after it,
#: which begins with the rest of the address, are spread by at most this much (em) between
#: two characters; one with more spare width is left at its start.
#: The address's host and the parts of its path are kept whole (briefgen/word_breaks.py), so
#: the line before one that does not fit can be cut short by ten ems: under the half em
#: above, 簡短的說明…參考資料請見https://en.wikipedia.org/wiki/ was spread 0.46 em between
#: every two characters on A4. A line of prose broken where CJK text may break never needs
#: this much (kinsoku, a number and its 年 kept together: under 0.2 em), and a narrow column's
#: line before a Latin word, which may still take up to the half em, is no address's.
MAX_ADDRESS_BREAK_SPACING = 0.25

#: A justified line that ends at a break between two phrases of a title run into its
#: paragraph is spread by at most this much (em) between two characters, as much as a line
#: that kinsoku cut a character or two short is; one with more spare width is left at its
#: start. The title keeps the start and the end of each phrase together
#: (briefgen/markdown.py: ``run_in_phrases``), so a phrase that did not fit went down whole,
#: and spread, the line above (the sheet's ``1950年代中期至1960年代　金日成肅清異己，`` over
#: ``關係轉冷　這段期間…``) opened a quarter em between every two of its characters: the
#: break is one between phrases, which reads as well with the line left short.
MAX_PHRASE_BREAK_SPACING = 0.1

#: Full-width punctuation marks squeezed when two of them meet, as far as the font has
#: ``halt`` (or ``palt``) for them and sets them an em wide (curly quotes are proportional
#: in some fonts).
SQUEEZABLE = frozenset(
    "、。，．：；！？（）［］｛｝〔〕〈〉《》「」『』【】〖〗〘〙〚〛〝〟｟｠\u2018\u2019\u201c\u201d"
)

#: The marks that may end a line set half width, their blank at the end given up, where
#: that is what a paragraph's last characters need to fit on the line above
#: (:func:`_with_end_trimmed`): stops, commas and closing brackets, never an opening one.
TRIMMED_AT_END = frozenset("、。，．：；！？）］｝〕〉》」』】〗〙〛〟｠\u2019\u201d")

#: A squeezed mark gives up this much (em) less than its blank half. Poppler (pdftotext,
#: and the viewers built on it) reads a glyph that reaches back over the one before it by
#: half an em or more as the start of a new line, and a squeezed mark's blank lies under
#: the glyph after it (or its glyph over the one before): a hair less keeps the line whole.
POPPLER_SLACK = 0.01

#: The attribute of a piece (a text box made here) holding the space after each of its
#: glyphs, which :func:`_draw_first_line` draws as character spacing…
_SPACING = "briefgen_spacing"
#: …and how far its glyph is drawn from where the piece starts (a squeezed mark's, moved
#: back as ``halt`` moves it).
_SHIFT = "briefgen_shift"


#: On a text box drawn whole, its pieces' :class:`_Segment`\ s (see :func:`_drawn_whole`).
_SEGMENTS = "briefgen_segments"


class _State(threading.local):
    """Per thread: whether this thread is inside :func:`cjk_justification`, and what the
    layout of its current render has learnt about its lines and fonts."""

    def __init__(self) -> None:
        self.depth = 0
        # What the innermost context asked for (see cjk_justification).
        self.autospace = True
        self.squeeze = True
        # While a line is laid out again narrower: by how much. It is aligned and justified
        # to the full width all the same.
        self.cut = 0.0
        # While a paragraph's last line is laid out again wider (_with_end_trimmed): its
        # last mark gives up the blank at its end.
        self.trim_end = False
        # While a line broken at a web address is laid out again (_unspread_before_address):
        # how far it may be spread between two characters, in em.
        self.limit = MAX_JUSTIFY_SPACING
        self.reset()

    def reset(self) -> None:
        # line box → its width as Pango broke it, its width with gaps and squeezed marks,
        # and the width available to it; for the lines spread here. Read when the line below
        # turns out to be a short last line.
        self.justified: weakref.WeakKeyDictionary[Any, tuple[float, float, float]] = (
            weakref.WeakKeyDictionary()
        )
        # line box → the most it was spread between two characters, in points; for the
        # lines spread here.
        self.spread: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        # line box → how much wider than its room its gaps would make it, and their width;
        # for the lines whose gaps had to shrink.
        self.short: weakref.WeakKeyDictionary[Any, tuple[float, float]] = (
            weakref.WeakKeyDictionary()
        )
        # (font, language, mark) → where the mark's blank is, or None (see _mark_blank).
        self.marks: dict[tuple[Any, ...], _Blank | None] = {}


@dataclass(frozen=True)
class _Blank:
    """Where a full-width mark's blank is: ``end`` (after its glyph), ``start`` (before it)
    or ``both`` (half on each side); and, in em, how far the mark moves the pen and how far
    its glyph is moved (back: negative) when ``halt`` halves it (or ``palt`` narrows it)."""

    side: str
    advance: float
    offset: float


_state = _State()
_install_lock = threading.Lock()
_installs = 0
_originals: dict[str, Any] = {}


@contextlib.contextmanager
def cjk_justification(autospace: bool = True, squeeze: bool = True) -> Iterator[None]:
    """Lay out CJK text while inside: ``text-align: justify`` flush at both edges, a quarter
    em between Han and Latin (unless not ``autospace``), adjacent punctuation squeezed
    (unless not ``squeeze``), no short last lines.

    Only WeasyPrint layouts run by this thread inside the context are affected: the patched
    functions hand every other call (other threads, or after the context) to WeasyPrint's
    own. Contexts may nest and may be entered from several threads at once; the patch is
    installed by the first and removed by the last to leave.
    """
    _check_version()
    _install()
    _state.depth += 1
    outer = _state.autospace, _state.squeeze
    _state.autospace, _state.squeeze = autospace, squeeze
    try:
        yield
    finally:
        _state.autospace, _state.squeeze = outer
        _state.depth -= 1
        if not _state.depth:
            _state.reset()
        _uninstall()


def _check_version() -> None:
    version = str(weasyprint.__version__)
    major = version.split(".", 1)[0]
    if major != str(WEASYPRINT_MAJOR):
        raise BuildError(
            f"briefgen's CJK justification (briefgen/justify.py) relies on the layout "
            f"internals of WeasyPrint {WEASYPRINT_MAJOR} but WeasyPrint {version} is "
            f"installed; install weasyprint>={WEASYPRINT_MAJOR},<{WEASYPRINT_MAJOR + 1} as "
            f"briefgen requires, or port briefgen/justify.py to WeasyPrint {major}"
        )
    for module, name in _PATCHED + _USED:
        if not callable(getattr(module, name, None)):
            raise BuildError(
                f"WeasyPrint {version} has no {module.__name__}.{name}, which briefgen's CJK "
                f"justification (briefgen/justify.py) relies on"
            )


def _install() -> None:
    global _installs
    with _install_lock:
        if not _installs:
            for module, name in _PATCHED:
                _originals[name] = getattr(module, name)
            inline.justify_line = _justify_line
            inline.text_align = _text_align
            # block.py imported the function by name: patching inline's would not reach it.
            block.iter_line_boxes = _iter_line_boxes
            draw_text.draw_first_line = _draw_first_line
            # Looked up in preferred.py's globals by its own functions, as they measure the
            # lines of a block: the line boxes of every box sized to its content.
            preferred.max_content_width = _max_content_width
            inline.can_break_inside = _can_break_inside
        _installs += 1


def _uninstall() -> None:
    global _installs
    with _install_lock:
        _installs -= 1
        if not _installs:
            # The originals stay in _originals: another thread may be inside a stand-in,
            # looked up just before this, that is about to hand its call on to them.
            for module, name in _PATCHED:
                setattr(module, name, _originals[name])


# --- Alignment and justification --------------------------------------------------------


def _text_align(context: Any, line: Any, available_width: float, last: bool) -> float:
    """Stand-in for ``inline.text_align``: a line with CJK characters is spaced (Han–Latin
    gaps, squeezed punctuation) and, when justified, spread between its characters; the
    offset of the other alignments is WeasyPrint's, from the spaced line's width."""
    if not _state.depth:
        return float(_originals["text_align"](context, line, available_width, last))
    available = available_width + _state.cut
    align = line.style["text_align_all"]
    if last and line.style["text_align_last"] != "auto":
        align = line.style["text_align_last"]
    collapse = line.style["white_space"] in ("normal", "nowrap", "pre-line")
    # Before the title's separator goes (the break after it is one between phrases).
    kept_phrase = _ends_at_a_kept_phrase(line)
    if collapse:
        _remove_last_title_separator(line)
    if align == "justify" and collapse:
        # Korean sets its words apart with spaces and justifies at them, as Latin text does
        # (its lines break between words only: briefgen/word_breaks.py); Chinese and
        # Japanese between every character.
        limit = MAX_PHRASE_BREAK_SPACING if kept_phrase else _state.limit
        spread = _arrange(
            context, line, available, justify=_between_characters(line, available), limit=limit
        )
        if not spread and line.width < available:
            # Nothing to spread between (no CJK, or a single character): WeasyPrint's own
            # justification, at the spaces.
            _originals["justify_line"](context, line, available - line.width)
        return 0
    _arrange(context, line, available, justify=False)
    return float(_originals["text_align"](context, line, available, last))


def _ends_at_a_kept_phrase(line: Any) -> bool:
    """Whether a line of wrapping text ends with a run kept together (``white-space:
    nowrap``) that closes a phrase, with a ``：``, ``；`` or ``，``: a run-in title's phrase
    (briefgen/markdown.py: ``run_in_phrases``), the line broken before its next phrase; or
    with the full-width space that parts a run-in title from its sentence (the one-sheet
    handout's ``**title**　sentence``), the line broken before the sentence, whose first
    characters (and a name they begin) are kept together: a break between the two reads as
    well as one between phrases."""
    texts = list(_text_boxes(line))
    if not texts or line.style["white_space"] == "nowrap":
        return False
    last = texts[-1]
    if _is_title_separator(last):
        return True
    return last.style["white_space"] == "nowrap" and last.text.rstrip()[-1:] in _PHRASE_MARKS


def _is_title_separator(box: Any) -> bool:
    """Whether a text box is the separator after a run-in title: an element of its own that
    holds the full-width space alone. A full-width space that a paragraph's text holds
    between two elements (``*雙方*　金正恩``) is a text box of its own too, but of the
    paragraph: a line broken after it is justified as any other."""
    element = box.element
    return (
        box.text == _TITLE_SEPARATOR
        and element is not None
        and element.text == _TITLE_SEPARATOR
        and len(element) == 0
    )


#: What parts a title from the text after it in Chinese, Japanese and Korean, a box of its
#: own (briefgen/i18n.py: ``title_separator``; ``templates/sheet.html``).
_TITLE_SEPARATOR = "\u3000"

#: Every language's title separator: the full-width space, and English's en space.
_TITLE_SEPARATORS = "".join(sorted({language.title_separator for language in LANGUAGES.values()}))


def _remove_last_title_separator(line: Any) -> None:
    """Take a text box of title separators (full-width spaces, English's en spaces) off the
    end of a line, as WeasyPrint's ``remove_last_whitespace`` takes off spaces (U+0020) but
    not these: a blank at a line's end is not set (JLReq, and CSS Text's white-space
    processing, which hangs other space separators there). The one-sheet handout's line
    broken after a run-in title (``…金正恩首會普京　``) stopped an em short of the column's
    edge, the separator's blank spread and justified as if it were text; an English one
    (``…by the sea and\u2002``) stopped half an em short of the edge its full lines reach."""
    ancestors = []
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        ancestors.append(box)
        box = box.children[-1]
    if not (isinstance(box, boxes.TextBox) and box.text and not box.text.strip(_TITLE_SEPARATORS)):
        return
    if box.pango_layout.first_line_direction % 2:
        return  # right to left: never a CJK line, and its blank is at the box's left
    width = box.width
    box.text = ""
    box.width = 0
    for ancestor in ancestors:
        ancestor.width -= width


#: The marks that end a title's phrase (briefgen/markdown.py: ``_PHRASE_END``).
_PHRASE_MARKS = frozenset("：；，")


def _is_korean(lang: str | None) -> bool:
    return lang is not None and (lang == "ko" or lang.startswith("ko-"))


#: The most a Korean line's spaces are widened each to justify it (in ems): past that, as in
#: a narrow column with a long word carried over, the spare width is spread between the
#: syllables too, as Korean word processors justify, rather than opening holes of 2–3 ems.
KOREAN_SPACE_STRETCH = 0.5


def _between_characters(line: Any, available: float) -> bool:
    """Whether a justified line is spread between its characters: Chinese and Japanese
    always; Korean, which sets its words apart and justifies at the spaces as Latin text
    does, only where its spaces would open too wide (:data:`KOREAN_SPACE_STRETCH`)."""
    if not _is_korean(line.style["lang"]):
        return True
    texts = [box.text for box in _items(line) if box is not None]
    spaces = sum(text.count(" ") for text in texts) - (texts[-1].endswith(" ") if texts else 0)
    spare = float(available - line.width)
    font_size = float(line.style["font_size"])
    return spare > 0 and (spaces < 1 or spare / spaces > KOREAN_SPACE_STRETCH * font_size)


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Stand-in for ``inline.justify_line``: lines with CJK characters are spread between
    their characters (and at their spaces); others are left to WeasyPrint. (Inside the
    context, :func:`_text_align` justifies lines itself; this serves other callers.)"""
    if not (_state.depth and _arrange(context, line, line.width + extra_width, justify=True)):
        _originals["justify_line"](context, line, extra_width)


def _can_break_inside(box: Any) -> bool:
    """Stand-in for ``inline.can_break_inside``: a box a line may break inside is also one
    with a break between two of its children (``<span class="nobreak">金日</span>成肅`` or
    ``肅<span class="nobreak">清異己，</span>``), which WeasyPrint does not look for.

    When a line overflows, WeasyPrint looks back for a break only inside the boxes this says
    a line can break in; a box of pieces kept whole (``nowrap``) and characters between them
    alone, such as a run-in title (briefgen/markdown.py: ``run_in_phrases``) whose phrases
    begin with a name (``金日成｜肅｜清異己，｜關係轉冷``), went down to the next line whole,
    and left the line above short by all of it."""
    if _originals["can_break_inside"](box):
        return True
    if not _state.depth or not _wraps(box) or not isinstance(box, boxes.InlineBox):
        return False
    texts = [_inline_text(child) for child in box.children if child.is_in_normal_flow()]
    return any(
        before and after and line_break.can_break_text(before[-1] + after[0], box.style["lang"])
        for before, after in itertools.pairwise(texts)
    )


def _wraps(box: Any) -> bool:
    """Whether the lines of a box's text may break (CSS Text's ``white-space``)."""
    return box.style["white_space"] in ("normal", "pre-wrap", "pre-line")


def _inline_text(box: Any) -> str:
    """The text of an inline box and its children, as it is set in a line; none for an image
    or an inline block, around which WeasyPrint decides breaks by itself."""
    if isinstance(box, boxes.TextBox):
        return str(box.text)
    if isinstance(box, boxes.InlineBox):
        return "".join(_inline_text(child) for child in box.children)
    return ""


def _max_content_width(context: Any, box: Any, outer: bool = True) -> float:
    """Stand-in for ``preferred.max_content_width``: a line's max-content width includes
    the Han–Latin gaps its text gets. A box sized to its content (a page margin box such as
    the running header, an inline block, a float) is no wider than its lines' max-content
    width; measured without the gaps, its lines had no room for them, and a running header
    read ``1945年至1948年`` over the event's ``1945 年至 1948 年``."""
    width = float(_originals["max_content_width"](context, box, outer))
    if _state.depth and _state.autospace and isinstance(box, boxes.LineBox):
        width += _gaps_width(box)
    return width


def _gaps_width(line: Any) -> float:
    """The width of the Han–Latin gaps the text of ``line`` gets (px)."""
    items = list(_items(line))
    text = "".join("\0" if item is None else item.text for item in items)
    owner = [item for item in items for _ in (item.text if item else "\0")]
    return sum(_han_latin_gaps(text, owner))


def _text_boxes(box: Any) -> Iterator[Any]:
    """The line's text boxes in the order they are drawn (left to right)."""
    if isinstance(box, boxes.TextBox):
        if box.text:
            yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _items(box: Any) -> Iterator[Any]:
    """The line's text boxes in order, with None for what stands between two of them and
    is not text (an image, an inline block, a leader): nothing is spaced or squeezed across
    it, and a leader's dots are left alone."""
    if isinstance(box, boxes.TextBox):
        if box.text:
            yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)) and not box.is_leader:
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _items(child)
    else:
        yield None


@dataclass
class _Piece:
    """A run of a text box drawn as a text box of its own.

    A wide piece (CJK) is letter-spaced: a justification opportunity after each of its
    ``units`` grapheme clusters. A narrow piece (a number, a Latin word and its space) keeps
    its letters together and has one opportunity, after it (none when the word's last
    cluster was cut off into a piece of its own, which then has it). ``gap`` (Han–Latin, in
    px) comes after the piece, which is then a single cluster; ``halt`` squeezes the piece,
    a single punctuation mark, on the side of its blank (``end``, ``both`` or ``start``).
    """

    clusters: list[str]
    wide: bool
    units: int = 1
    gap: float = 0.0
    halt: str = ""

    @property
    def text(self) -> str:
        return "".join(self.clusters)


def _arrange(
    context: Any,
    line: Any,
    available: float,
    justify: bool,
    limit: float = MAX_JUSTIFY_SPACING,
) -> bool:
    """Space a line holding CJK characters: Han–Latin gaps, squeezed punctuation and, when
    ``justify``, the spare width up to ``available`` spread over its justification
    opportunities. True when it was spread, or is too loose to be (more than ``limit`` em
    between two characters, :data:`MAX_JUSTIFY_SPACING` unless told) and stays at its
    start; the line is left untouched when there is nothing to do or a text box's style
    cannot be copied."""
    if line.style["direction"] != "ltr":
        return False
    items = list(_items(line))
    texts = [item for item in items if item is not None]
    if not any(_wide_in(char, *_shaped_as(box.style)) for box in texts for char in box.text):
        return False
    if not all(_copyable(box.style) for box in texts):
        return False
    marks = _marks(context, items)
    gaps = sum(sum(box_gaps) for box_gaps, _ in marks.values())
    squeezed = any(any(halts) for _, halts in marks.values())
    if justify and not (gaps or squeezed) and line.width >= available - 0.01:
        # Full as Pango broke it (in a column of whole ems, most lines are): nothing to
        # spread, but it is a justified CJK line all the same, which may give characters
        # to a short last line below it (_reflow_last_line).
        _state.justified[line] = (line.width, line.width, available)
        return False
    justify = justify and (line.width < available or squeezed)
    if not (justify or gaps or squeezed):
        return False
    # As Pango shapes each box whole: the advances its pieces are cut at, and which of its
    # characters the font draws in one glyph with the one before (see _pieces).
    shaped = {id(box): _shape(context, box) for box in texts}
    plans = [
        _pieces(box, *marks[id(box)], fine=justify, joined=_joined(shaped[id(box)]))
        for box in texts
    ]
    _words_across_boxes(items, plans)
    # The last piece's opportunity would fall past the column edge, so the spare width goes
    # to the ones between characters only.
    ending = plans[-1][-1].units > 0
    opportunities = sum(piece.units for plan in plans for piece in plan) - ending
    justify = justify and opportunities >= 1
    if not (justify or gaps or squeezed):
        return False
    korean = _is_korean(line.style["lang"])
    if justify:
        plans = [_split_words(plan, spaces_apart=korean) for plan in plans]
        plans = _marks_kept_close(items, plans, korean)
        # Counted again: in Korean, a space split off before a Latin word or a number is
        # an opportunity of its own. Spread over one opportunity more than were counted,
        # a line ended that much past the column's edge (a space before a web address).
        opportunities = sum(piece.units for plan in plans for piece in plan) - ending
    advances = {id(box): _advances(shaped[id(box)]) for box in texts}
    made = {
        id(box): _cut(context, box, plan, advances[id(box)])
        for box, plan in zip(texts, plans, strict=True)
    }
    # As wide as the pieces are drawn, with their gaps and their squeezed marks.
    natural = (
        line.width
        - sum(box.width for box in texts)
        + sum(piece.width for pieces in made.values() for piece in pieces)
        + gaps
    )
    justify = justify and natural < available
    scale = 1.0
    if gaps and natural > available:
        # Too long with its gaps: they shrink to the room there is. _iter_line_boxes breaks
        # the line again narrower when it can (when the line fits without them).
        over = min(natural - available, gaps)
        scale = 1 - over / gaps
        if natural - gaps <= available:
            _state.short[line] = (over, gaps)
    spacing = gap_spacing = (available - natural) / opportunities if justify else 0.0
    cap = MAX_GAP_SPREAD * float(line.style["font_size"])
    gapped = sum(piece.units for plan in plans for piece in plan if piece.gap)
    if justify and spacing > cap and 0 < gapped < opportunities:
        gap_spacing = cap
        spacing = (available - natural - gapped * cap) / (opportunities - gapped)
    word_spacing = None
    if justify and korean:
        # Spread between syllables too (_between_characters: the spaces alone would open
        # more than half an em each), the spaces still take their half em first, and the
        # syllables only the rest, as a word processor sets Korean: a line whose words
        # are letter-spaced stands out beside lines spread at their spaces alone.
        spaces = sum(piece.units for plan in plans for piece in plan if _is_word_space(piece))
        spaces -= ending and _is_word_space(plans[-1][-1])
        if 0 < spaces < opportunities:
            spare = available - natural
            word_spacing = min(
                spare / spaces, KOREAN_SPACE_STRETCH * float(line.style["font_size"])
            )
            spacing = (spare - spaces * word_spacing) / (opportunities - spaces)
    too_loose = justify and max(spacing, gap_spacing) > limit * float(line.style["font_size"])
    if too_loose:
        # Set as a last line is (its gaps and squeezes kept), and reported as handled, so
        # that neither caller stretches its spaces instead.
        justify, spacing, gap_spacing, word_spacing = False, 0.0, 0.0, None
    for box, plan in zip(texts, plans, strict=True):
        _space(box, plan, made[id(box)], spacing, scale, gap_spacing, word_spacing)
    if justify:
        if ending:
            last = plans[-1][-1]
            made[id(texts[-1])][-1].width -= _spacing_after(
                last, spacing, gap_spacing, word_spacing
            )
        _state.justified[line] = (line.width, natural, available)
        _state.spread[line] = max(spacing, gap_spacing, word_spacing or 0.0)
    for box, plan in zip(texts, plans, strict=True):
        if advances[id(box)] is not None:
            whole = _drawn_whole(box, plan, made[id(box)])
            if whole is not None:
                made[id(box)] = [whole]
    _place(line, made, 0.0)
    return justify or too_loose


def _words_across_boxes(items: list[Any], plans: list[list[_Piece]]) -> None:
    """A Latin word that goes on into the next text box keeps its one opportunity at its
    end, not at the end of each box: the quotes and apostrophes of Latin text in CJK text
    are spans of their own (``latin-mark``, briefgen/markdown.py), and ``O’Brien`` was
    spread apart at both sides of its apostrophe. ``plans``: those of the text boxes among
    ``items`` (see :func:`_items`), in order; a word's piece before the next box then has
    none."""
    plans_left = iter(plans)
    before: tuple[Any, list[_Piece]] | None = None
    for item in items:
        if item is None:
            before = None
            continue
        plan = next(plans_left)
        if before is not None and before[1]:
            box, last = before[0], before[1][-1]
            if (
                not last.wide
                and not box.text[-1].isspace()
                and not item.text[0].isspace()
                and not _wide_in(item.text[0], *_shaped_as(item.style))
            ):
                last.units = 0
        before = (item, plan)


#: Narrow marks that close what they follow (a stop, a comma, a closing bracket or quote)
#: or open what follows them, by Unicode category; the stops and commas are Po with others
#: (# % & * @) that are no such marks.
_CLOSING_CATEGORIES = frozenset({"Pe", "Pf"})
_CLOSING_STOPS = frozenset(".,:;!?")
_OPENING_CATEGORIES = frozenset({"Ps", "Pi"})


def _clings(char: str, style: Any, korean: bool) -> str:
    """``back`` for a mark that belongs to the word before it, ``forward`` for one that
    belongs to the word after it, else ``""``: half-width marks in any language, and in
    Korean the curly quotes too, which its fonts set narrow and Korean print sets against
    the word as Latin print does (a full-width mark of Chinese or Japanese keeps its
    opportunities: its blank is part of its em)."""
    if not korean and _wide_in(char, *_shaped_as(style)):
        return ""
    category = unicodedata.category(char)
    if category in _CLOSING_CATEGORIES or char in _CLOSING_STOPS:
        return "back"
    return "forward" if category in _OPENING_CATEGORIES else ""


def _marks_kept_close(
    items: list[Any], plans: list[list[_Piece]], korean: bool
) -> list[list[_Piece]]:
    """The justified line's ``plans`` (those of the text boxes among ``items``, in order)
    with no opportunity between a mark and the word it belongs to (:func:`_clings`). A
    Korean line spread between its syllables set its stops and commas apart from them
    (``것 이 다 .``, ``규 제 ,``), its brackets and quotes from what they enclose (``( 대 한``,
    ``“ 한 국``). A CJK character without an opportunity after it is cut into a piece of its
    own, without one: a CJK piece is spaced after each of its glyphs (see :func:`_space`)."""
    # Each cluster in order, as (plan, piece, cluster, text box), in runs: what stands
    # between two text boxes and is no text (an image, an inline block: see _items) parts
    # two runs.
    runs: list[list[tuple[int, int, int, Any]]] = [[]]
    plan_index = 0
    for item in items:
        if item is None:
            runs.append([])
            continue
        for position, piece in enumerate(plans[plan_index]):
            runs[-1].extend((plan_index, position, c, item) for c in range(len(piece.clusters)))
        plan_index += 1
    closed: set[tuple[int, int, int]] = set()
    for run in runs:
        for (i, a, c, box), (j, b, d, next_box) in itertools.pairwise(run):
            before, after = plans[i][a].clusters[c], plans[j][b].clusters[d]
            if before[-1].isspace() or after[0].isspace():
                continue
            if (
                _clings(after[0], next_box.style, korean) == "back"
                or _clings(before[-1], box.style, korean) == "forward"
            ):
                closed.add((i, a, c))
    if not closed:
        return plans
    return [
        [part for a, piece in enumerate(plan) for part in _closed_up(piece, i, a, closed)]
        for i, plan in enumerate(plans)
    ]


def _closed_up(piece: _Piece, i: int, a: int, closed: set[tuple[int, int, int]]) -> list[_Piece]:
    """``piece`` (the ``a``-th of plan ``i``) without the opportunities after its clusters
    in ``closed`` (:func:`_marks_kept_close`)."""
    last = len(piece.clusters) - 1
    if not piece.units or piece.halt:
        return [piece]
    if not piece.wide or last == 0:
        # One opportunity, after the piece.
        if (i, a, last) in closed:
            piece.units = 0
        return [piece]
    if piece.units != len(piece.clusters) or piece.gap:
        return [piece]  # characters the font joins into one glyph (see _pieces): left whole
    parts: list[_Piece] = []
    run: list[str] = []
    for c, cluster in enumerate(piece.clusters):
        if (i, a, c) not in closed:
            run.append(cluster)
            continue
        if run:
            parts.append(_Piece(run, True, units=len(run)))
            run = []
        parts.append(_Piece([cluster], True, units=0))
    if run:
        parts.append(_Piece(run, True, units=len(run)))
    return parts


def _marks(context: Any, items: list[Any]) -> dict[int, tuple[list[float], list[str]]]:
    """For each text box of the line: the gap after each of its characters (px), and the
    side of the blank each loses when squeezed (``""``: not squeezed)."""
    text = "".join("\0" if item is None else item.text for item in items)
    owner: list[Any] = []
    for item in items:
        owner.extend([item] * (1 if item is None else len(item.text)))
    gaps = _han_latin_gaps(text, owner)
    halts = [""] * len(text)
    # Adjacent punctuation: one of each two neighbouring marks loses its blank half.
    for index in range(len(text) - 1 if _state.squeeze else 0):
        if text[index] not in SQUEEZABLE or text[index + 1] not in SQUEEZABLE:
            continue
        first = _mark_blank(context, owner[index].style, text[index])
        second = _mark_blank(context, owner[index + 1].style, text[index + 1])
        if first is None or second is None:
            continue
        # The first, when its blank is at its end (a closing bracket, a stop set at the
        # start of the em); else the second, when its blank is at its start (an opening
        # bracket); else the one set in the centre of its em (Traditional Chinese stops),
        # whose glyph a squeeze draws back a quarter em. So in 金，《 the bracket closes up
        # to the comma, not the comma to the 金 (the two glyphs all but touched). Not a mark
        # whose glyph is drawn back right after a squeezed one, over its glyph (see
        # POPPLER_SLACK): the other of the pair.
        if first.side == "end" and _may_halt(halts, index, first):
            halts[index] = first.side
        elif second.side == "start" and _may_halt(halts, index + 1, second):
            halts[index + 1] = second.side
        elif first.side == "both" and _may_halt(halts, index, first):
            halts[index] = first.side
        elif second.side == "both" and _may_halt(halts, index + 1, second):
            halts[index + 1] = second.side
    if _state.squeeze:
        _trim_after_ideographic_space(context, text, owner, halts)
        _trim_title_start(context, text, owner, halts)
    if _state.trim_end and _state.squeeze:
        _trim_end(context, text, owner, halts)
    found = {}
    start = 0
    for item in items:
        if item is None:
            start += 1
            continue
        end = start + len(item.text)
        found[id(item)] = (gaps[start:end], halts[start:end])
        start = end
    return found


def _trim_end(context: Any, text: str, owner: list[Any], halts: list[str]) -> None:
    """The line's last character, where it is a stop, a comma or a closing bracket, loses
    the blank at its end (``halts``: as :func:`_marks` marks them), as CSS Text 4's
    ``text-spacing-trim: allow-end`` sets a mark that would not otherwise fit at the end of
    a line, and as JLReq and clreq set a line's end punctuation half width rather than
    spread the line (see :func:`_with_end_trimmed`)."""
    index = len(text.rstrip()) - 1
    if index < 0 or text[index] not in TRIMMED_AT_END:
        return
    blank = _mark_blank(context, owner[index].style, text[index])
    if blank is not None and blank.side != "start" and _may_halt(halts, index, blank):
        halts[index] = blank.side


def _trim_after_ideographic_space(
    context: Any, text: str, owner: list[Any], halts: list[str]
) -> None:
    """An opening bracket or quote right after an ideographic space loses the blank before
    it (``halts``: as :func:`_marks` marks them). The space is an em of blank already, the
    one between a date and its title (``2017年9月至11月　「火星12」試射``, i18n.py:
    ``title_separator``), and the bracket's own blank half made it read as an em and a half.
    JLReq and clreq set such a bracket half width, and so does CSS Text 4's
    ``text-spacing-trim`` (``trim-adjacent``, part of ``normal``), which browsers are asked
    for (css/cjk-text.css); the space, no mark, is left as it is."""
    for index in range(len(text) - 1):
        if text[index] != "\u3000" or text[index + 1] not in SQUEEZABLE:
            continue
        blank = _mark_blank(context, owner[index + 1].style, text[index + 1])
        if blank is not None and blank.side == "start" and _may_halt(halts, index + 1, blank):
            halts[index + 1] = blank.side


def _trim_title_start(context: Any, text: str, owner: list[Any], halts: list[str]) -> None:
    """A title's opening bracket that briefgen/markdown.py's ``trim_start`` marked (the
    ``trim-start`` span of a title after its date, ``「火星12」試射``) loses the blank before
    it (``halts``: as :func:`_marks` marks them), as css/cjk-text.css sets it half width in
    browsers and e-book readers. In a heading the full-width space before it does as much
    (:func:`_trim_after_ideographic_space`), but the PDF's contents hide that space and set
    their titles in a column an em after the dates: there the bracket kept its blank, the
    title stood an em and a half from the longest date and its bracket half an em right of
    the column that the other titles start at."""
    for index, char in enumerate(text):
        box = owner[index]
        if char not in SQUEEZABLE or box is None or not _is_trimmed_start(box, index, owner):
            continue
        blank = _mark_blank(context, box.style, char)
        if blank is not None and blank.side == "start" and _may_halt(halts, index, blank):
            halts[index] = blank.side


def _is_trimmed_start(box: Any, index: int, owner: list[Any]) -> bool:
    """Whether the character at ``index`` is the first of a text box whose element is a
    ``trim-start`` span (briefgen/markdown.py: ``trim_start``)."""
    element = box.element
    if element is None or (index and owner[index - 1] is box):
        return False
    return "trim-start" in (element.get("class") or "").split()


def _han_latin_gaps(text: str, owner: list[Any]) -> list[float]:
    """The Han–Latin gap after each character of ``text`` (px; 0 for none), each character
    set in the style of its text box in ``owner``."""
    gaps = [0.0] * len(text)
    for index in gaps_after(text) if _state.autospace else ():
        gaps[index] = AUTOSPACE * owner[index].style["font_size"]
    return gaps


def _may_halt(halts: list[str], index: int, blank: _Blank) -> bool:
    """Whether the mark at ``index`` may be squeezed: not already, and not with its glyph
    drawn back right after a squeezed mark, whose blank (under the glyph after it) it would
    reach back over too."""
    if halts[index]:
        return False
    return blank.side == "end" or not (index and halts[index - 1])


def _mark_blank(context: Any, style: Any, mark: str) -> _Blank | None:
    """Where ``mark``'s blank is in the font ``style`` chooses, as its ``halt`` feature tells
    (the glyph's offset when halved), or its ``palt`` where it has no ``halt`` for the mark;
    None when the mark is not an em wide there, or neither narrows it.

    ``palt`` is for a mark whose glyph is too wide for half an em: the shipped fonts centre
    ``？`` in zh-Hant, Japanese and Korean, its glyph 0.46 em wide, and give it no ``halt``;
    their ``palt`` sets it 0.67 em wide, the glyph centred in it. Kept an em wide, ``？」``
    stood a third of an em apart beside a squeezed ``！」`` and ``。」``."""
    key = (
        tuple(style["font_family"]),
        style["font_weight"],
        style["font_style"],
        style["font_stretch"],
        style["lang"],
        style["letter_spacing"],
        # An em wide or not (a Latin text's mark in its proportional form: css/base.css).
        style["font_variant_east_asian"],
        style["font_feature_settings"],
        mark,
    )
    if key not in _state.marks:
        size = float(style["font_size"])
        full = _glyph(context, style, mark)
        narrow = _glyph(context, _featured_style(style, "halt"), mark)
        if narrow is not None and abs(narrow[0] - size) < 0.02 * size:
            narrow = _glyph(context, _featured_style(style, "palt"), mark)
        blank = None
        if full is not None and narrow is not None and abs(full[0] - size) < 0.02 * size:
            width, offset = narrow
            # Half an em (halt), or between that and nine tenths (palt): a mark left all but
            # an em wide has no blank worth taking.
            if size / 2 - 0.02 * size < width < 0.9 * size:
                # Where the glyph is moved, as a part of what the mark loses: nothing (its
                # blank was after it), half (on both sides) or all (before it).
                shift = round(-2 * offset / (size - width))
                side = {0: "end", 1: "both", 2: "start"}.get(shift)
                blank = _Blank(side, width / size, offset / size) if side else None
        _state.marks[key] = blank
    return _state.marks[key]


def _glyph(context: Any, style: Any, char: str) -> tuple[float, float] | None:
    """The advance and horizontal offset (px) of ``char``'s glyph, if it is one glyph."""
    layout = line_break.create_layout(char, style, context, None, 0)
    first_line, _ = layout.get_first_line()
    run = first_line.runs
    if run == ffi.NULL or run.next != ffi.NULL:
        return None
    glyphs = run.data.glyphs
    if glyphs.num_glyphs != 1:
        return None
    geometry = glyphs.glyphs[0].geometry
    return geometry.width * FROM_UNITS, geometry.x_offset * FROM_UNITS


def _featured_style(style: Any, feature: str) -> Any:
    """A copy of ``style`` with the OpenType ``feature`` on."""
    new = style.copy()
    features = new["font_feature_settings"]
    kept = () if features == "normal" else tuple(f for f in features if f[0] != feature)
    new["font_feature_settings"] = (*kept, (feature, 1))
    return new


def _pieces(
    box: Any, gaps: list[float], halts: list[str], fine: bool, joined: frozenset[int] = frozenset()
) -> list[_Piece]:
    """The text box cut into pieces at grapheme cluster boundaries, as Pango finds them (and
    as it applies letter spacing: once per cluster). A cluster with a gap after it, and a
    squeezed mark, are pieces of their own; for justification (``fine``), wide and narrow
    runs are pieces of their own too.

    A cluster the font draws in one glyph with the one before it (``joined``: the second
    dash of ``——``, one glyph in Noto CJK) goes on with it and is no justification
    opportunity of its own: spacing comes after each glyph (the PDF's character spacing,
    Pango's letter spacing), and a line counted two in the dash but spaced it once, so that
    it ended short of the column's edge, or opened twice the spacing after the dash."""
    text = box.text
    letter_spaced = box.style["letter_spacing"] != "normal"
    lang, proportional = _shaped_as(box.style)
    attrs = line_break.get_log_attrs(text, lang)
    starts = [index for index in range(len(text)) if index == 0 or attrs[index].is_cursor_position]
    pieces: list[_Piece] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        cluster = text[start:end]
        wide = _wide_in(cluster[0], lang, proportional)
        gap, halt = gaps[end - 1], halts[start]
        last = pieces[-1] if pieces else None
        together = (
            last is not None
            and not (last.gap or last.halt or halt)
            and (not fine or (last.wide == wide and not _cut_before(last, cluster, letter_spaced)))
        )
        if last is not None and together and not gap:
            last.clusters.append(cluster)
            last.units += 1 if wide and start not in joined else 0
        elif last is not None and together:
            # The cluster before a gap goes into a piece of its own (see _draw_first_line).
            if not wide:
                last.units = 0  # a Latin word's one opportunity is after its last letter
            pieces.append(_Piece([cluster], wide, gap=gap))
        else:
            # An opening bracket that lost the blank before it takes no justification after
            # it either: it stays against what it opens.
            units = 0 if halt == "start" else 1
            pieces.append(_Piece([cluster], wide, units=units, gap=gap, halt=halt))
    return pieces


def _cut_before(piece: _Piece, cluster: str, letter_spaced: bool) -> bool:
    if not piece.wide:
        # A word separator ends a narrow piece, but a piece of spaces alone goes on with
        # the word after it: WeasyPrint draws no text box that is only blank, and the
        # space (between a Han character and a Latin word) would be lost to copy and search.
        return piece.text[-1] in " \u00a0" and bool(piece.text.strip(" \u00a0"))
    if _spaceable(piece.clusters[-1]) != _spaceable(cluster):
        return True  # a CJK cluster character spacing cannot space: a piece of its own
    if _spaceable(cluster) and not letter_spaced:
        # Spaced by character spacing (see _space), which the PDF adds after each glyph
        # exactly: a run of any length is one piece, one text box to lay out, tag and draw.
        return False
    # Long runs that Pango letter-spaces are cut (see _cut), but only between two Han or
    # kana letters, never next to punctuation, whose width a font may adjust by its
    # neighbour (OpenType chws).
    return piece.units >= PIECE and _is_letter(piece.text[-1]) and _is_letter(cluster[0])


@functools.cache
def _wide_in(char: str, lang: str | None, proportional: bool = False) -> bool:
    """Whether ``char`` is set wide, and spaced as CJK, in text of ``lang``: punctuation of
    ambiguous width (– — “ ” …) is wide in Chinese, Japanese and Korean text only. In an
    English line an en dash counted as CJK, and the line was spread around it (Rajin –).
    Nor where the fonts' ``proportional`` forms are asked for, as for the quotes and
    apostrophes of Latin text (css/base.css): justified as CJK, ``O’Brien`` was spread
    apart after its apostrophe."""
    if not is_wide(char):
        return False
    if unicodedata.east_asian_width(char) != "A":
        return True
    return not proportional and (lang is None or lang.startswith(("zh", "ja", "ko")))


def _shaped_as(style: Any) -> tuple[str | None, bool]:
    """The language of a text box's ``style``, and whether it asks for the fonts'
    proportional forms, ``pwid``: by ``font-variant-east-asian: proportional-width``, or by
    ``font-feature-settings``, which has the last word, as in the font features WeasyPrint
    asks Pango for."""
    east_asian = style["font_variant_east_asian"]
    proportional = east_asian != "normal" and "proportional-width" in east_asian
    settings = style["font_feature_settings"]
    if settings != "normal":
        proportional = bool(dict(settings).get("pwid", proportional))
    return style["lang"], proportional


def _is_letter(char: str) -> bool:
    return is_wide(char) and unicodedata.category(char) == "Lo"


def _split_words(plan: list[_Piece], spaces_apart: bool = False) -> list[_Piece]:
    """On a justified line, a Latin word's or number's last cluster goes into a piece of its
    own, which carries the justification after the word (see :func:`_draw_first_line`); a
    word that ends at a space keeps it, the space being a word break for any reader. With
    ``spaces_apart`` (Korean, which justifies at its spaces), a space before a number or a
    Latin word (``만나 29년``) is a piece of its own, with its own opportunity."""
    split = []
    for piece in plan:
        if spaces_apart and not piece.wide and len(piece.clusters) > 1 and piece.text[0] == " ":
            split.append(_Piece([" "], False))
            piece = _Piece(piece.clusters[1:], False, units=piece.units, gap=piece.gap)
        if piece.wide or not piece.units or len(piece.clusters) < 2 or piece.text[-1] in " \u00a0":
            split.append(piece)
            continue
        split.append(_Piece(piece.clusters[:-1], False, units=0))
        split.append(_Piece(piece.clusters[-1:], False, units=piece.units, gap=piece.gap))
    return split


#: Most grapheme clusters in one letter-spaced piece (see :func:`_cut`).
PIECE = 8


def _cut(context: Any, box: Any, plan: list[_Piece], advances: list[float] | None) -> list[Any]:
    """The text box's pieces as text boxes, each as wide as its glyphs take in the text box
    as Pango sets it whole (so that the fonts' kerning across a cut is kept: the next piece
    starts where its first glyph was), a squeezed mark as ``halt`` sets it; :func:`_space`
    adds what comes after them.

    A CJK piece that Pango letter-spaces (the text has letter spacing of its own, or its
    clusters cannot take character spacing) has at most :data:`PIECE` clusters: WeasyPrint
    writes each glyph's displacement to the PDF truncated to a thousandth of an em
    (draw/text.py: draw_first_line), and each text box is drawn from its own position, so
    whatever is lost stops at the end of each piece. A piece spaced by character spacing
    has no such displacements and is as long as its run.

    ``advances`` are the box's own (:func:`_shape`); without them (the text is not set
    on one line), each piece is laid out on its own.
    """
    made = []
    start = 0
    for piece in plan:
        # A copy even for a single piece: the box keeps its width until it is replaced.
        new = box.copy_with_text(piece.text)
        end = start + len(piece.text)
        setattr(new, _SHIFT, 0.0)
        blank = _mark_blank(context, box.style, piece.text) if piece.halt else None
        if blank is not None:
            # Set as halt sets it, the glyph moved and the pen moved on half as far, but by
            # placing the glyph rather than by drawing it with the feature: WeasyPrint writes
            # the moved glyph's offset in 1/1024 em for 1/1000 (draw/text.py), and poppler
            # reads a glyph drawn back by the PDF's own displacements (two squeezed marks in
            # a row, an opening bracket) as the start of a new line, which it does not for
            # glyphs placed where they overlap.
            size = float(box.style["font_size"])
            new.width = (blank.advance + POPPLER_SLACK) * size
            back = blank.offset + (POPPLER_SLACK if piece.halt == "start" else 0.0)
            setattr(new, _SHIFT, back * size)
            layout = _asleep(box.pango_layout, piece.text)
        elif advances is None:
            layout = line_break.create_layout(piece.text, box.style, context, None, 0)
            new.width = _first_line_width(layout, box.style)
            layout.deactivate()
        else:
            new.width = sum(advances[start:end])
            layout = _asleep(box.pango_layout, piece.text)
        start = end
        # Drawing sets the layout up again from the box's style (Layout.reactivate), so any
        # letter spacing lives in the style; the layout itself is kept asleep, as WeasyPrint
        # does.
        new.pango_layout = layout
        setattr(new, _SPACING, 0.0)
        made.append(new)
    return made


def _asleep(layout: Any, text: str) -> Any:
    """A text box's asleep (deactivated) Pango layout for ``text``: WeasyPrint's drawing
    reads what it kept of the font (the decoration metrics) and sets the rest up again from
    the box's style and the layout's text (Layout.reactivate). Setting a layout up takes as
    long as the rest of a piece's making; a copy of the text box's own does not."""
    # What copy.copy does for a plain object, without its generic protocol (a tenth of a
    # second at 200 events).
    new = object.__new__(type(layout))
    new.__dict__.update(layout.__dict__)
    new.text = text
    return new


#: A text box's text as Pango shapes it whole (see :func:`_shape`).
_Shaped = tuple[list[float], frozenset[int]]


def _shape(context: Any, box: Any) -> _Shaped | None:
    """How far each character of the text box moves the pen (px) when Pango sets the text
    whole, as ``draw_first_line`` reads the glyphs: a cluster's glyphs count for its first
    character; and the characters that begin no glyph cluster, drawn in one glyph with the
    character before them. None when the text is not set on one line."""
    text = box.text
    layout = line_break.create_layout(text, box.style, context, None, 0)
    first_line, second = layout.get_first_line()
    if second is not None:
        return None
    characters = _character_at_byte(text)
    advances = [0.0] * len(text)
    starts = set()
    run = first_line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        offset = glyph_item.item.offset
        glyphs = glyph_item.glyphs
        for index in range(glyphs.num_glyphs):
            character = characters[offset + glyphs.log_clusters[index]]
            advances[character] += glyphs.glyphs[index].geometry.width * FROM_UNITS
            starts.add(character)
        run = run.next
    return advances, frozenset(range(len(text))) - starts


def _advances(shaped: _Shaped | None) -> list[float] | None:
    return None if shaped is None else shaped[0]


def _joined(shaped: _Shaped | None) -> frozenset[int]:
    return frozenset() if shaped is None else shaped[1]


def _character_at_byte(text: str) -> list[int]:
    """The index of the character at each byte of ``text`` in UTF-8, where Pango's glyphs
    say which text they show (``log_clusters``, ``item.offset``)."""
    characters = []
    for index, char in enumerate(text):
        characters.extend([index] * len(char.encode()))
    return characters


def _space(
    box: Any,
    plan: list[_Piece],
    made: list[Any],
    spacing: float,
    scale: float,
    gap_spacing: float,
    word_spacing: float | None = None,
) -> None:
    """Widen the pieces by what comes after them: ``spacing`` after each CJK cluster and
    after each Latin word (``gap_spacing`` where a Han–Latin gap follows, ``word_spacing``,
    where given, after a word's space), and their gaps (times ``scale``).

    What comes after each glyph of a piece is drawn as the PDF's character spacing when
    each of its clusters is one character and the text has no letter spacing of its own
    (see :func:`_draw_first_line`); else a CJK piece is letter-spaced by Pango, in its
    style, and a single glyph or a Latin word is followed by its space, placed.
    """
    plain = box.style["letter_spacing"] == "normal"
    spaced = None
    every = spacing
    for piece, new in zip(plan, made, strict=True):
        gap = piece.gap * scale
        spacing = _spacing_after(piece, every, gap_spacing, word_spacing)
        new.width += spacing * piece.units + gap
        # A squeezed mark's space is placed: its glyph reaches over the next piece (its
        # blank lies under it), where no reader sees a space.
        if plain and not piece.halt and _glyph_per_cluster(piece):
            # A CJK piece is spaced after each glyph, but one without an opportunity (a
            # character against the mark after it: _marks_kept_close) after none.
            after_each = spacing if piece.wide and piece.units else spacing * piece.units
            setattr(new, _SPACING, after_each + gap)
        elif piece.wide and spacing and len(piece.clusters) > 1:
            spaced = spaced or _spaced_style(box.style, spacing)
            new.style = spaced


def _spacing_after(
    piece: _Piece, spacing: float, gap_spacing: float, word_spacing: float | None
) -> float:
    """What :func:`_space` puts after each opportunity of ``piece``."""
    if piece.gap:
        return gap_spacing
    if word_spacing is not None and _is_word_space(piece):
        return word_spacing
    return spacing


def _is_word_space(piece: _Piece) -> bool:
    """Whether the piece ends with the space between two words (a narrow piece, which keeps
    its space: :func:`_split_words`)."""
    return not piece.wide and piece.units > 0 and piece.text.endswith(" ")


def _glyph_per_cluster(piece: _Piece) -> bool:
    """Whether character spacing, which the PDF applies after each glyph, spaces the piece
    as Pango spaces it, after each cluster: a CJK piece, or a single cluster, of clusters
    that :func:`_spaceable` all."""
    if not (piece.wide or len(piece.clusters) == 1):
        return False
    return all(map(_spaceable, piece.clusters))


@functools.cache
def _spaceable(cluster: str) -> bool:
    """Whether the cluster is one character drawn as one glyph of the font: not a combining
    sequence, not an emoji (which WeasyPrint draws as a picture placed without character
    spacing) nor a character no font may have."""
    return len(cluster) == 1 and unicodedata.category(cluster) not in _UNSPACEABLE


_UNSPACEABLE = ("So", "Sk", "Co", "Cn", "Cs")


def _copyable(style: Any) -> bool:
    # WeasyPrint's computed and anonymous styles copy with their font configuration; a
    # plain dict's copy would leave Pango without the document's fonts.
    return hasattr(style, "font_config") and type(style).copy is not dict.copy


def _spaced_style(style: Any, extra: float) -> Any:
    new = style.copy()
    current = new["letter_spacing"]
    new["letter_spacing"] = (0 if current == "normal" else current) + extra
    return new


def _first_line_width(layout: Any, style: Any) -> float:
    first_line, _ = layout.get_first_line()
    width, _ = line_break.line_size(first_line, style)
    return float(width)


def _place(box: Any, pieces: dict[int, list[Any]], advance: float) -> float:
    """Put the pieces in place of their text boxes and move every box right by what the text
    before it grew; the new ``advance``. Mirrors ``inline.add_word_spacing``."""
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += advance
        before = advance
        children = []
        for child in box.children:
            if isinstance(child, boxes.TextBox) and id(child) in pieces:
                advance = _place_pieces(child, pieces[id(child)], advance)
                children.extend(pieces[id(child)])
            else:
                if child.is_in_normal_flow():
                    advance = _place(child, pieces, advance)
                children.append(child)
        box.children = type(box.children)(children)
        box.width += advance - before
    elif isinstance(box, boxes.TextBox):
        box.position_x += advance
    else:
        box.translate(advance, 0)  # an atomic inline: an image, an inline block
    return advance


def _place_pieces(box: Any, pieces: list[Any], advance: float) -> float:
    """Lay the pieces end to end where the box was; how much further right they end."""
    start: float = box.position_x + advance
    for piece in pieces:
        piece.position_x = start + getattr(piece, _SHIFT, 0.0)
        start += piece.width
    return start - float(box.position_x + box.width)


@dataclass(frozen=True)
class _Segment:
    """A piece of a text box drawn whole: its characters ``start:end`` in the box's text,
    where its first glyph is drawn (px right of the box's start) and the character spacing
    after each of its glyphs (px)."""

    start: int
    end: int
    x: float
    spacing: float


def _drawn_whole(box: Any, plan: list[_Piece], pieces: list[Any]) -> Any:
    """The text box, as wide as its pieces, to be drawn whole: one Pango layout shaped once
    and one text object, each piece's glyphs from where the piece starts, with its character
    spacing (see :func:`_draw_segments`). None where a piece is not drawn as the box's own
    glyphs at their own advances: a piece that Pango letter-spaces, or text with letter
    spacing of its own, or a symbol that may be drawn as a picture (an emoji).

    The PDF is what the pieces drawn one by one would make, in one text object rather than
    one for each: at 200 events, a text box drawn for 4,700 where there were 12,400 pieces,
    each set up and shaped by Pango again to be drawn.
    """
    if box.style["letter_spacing"] != "normal":
        return None
    if any(piece.style is not box.style for piece in pieces):
        return None
    if not all(_drawn_as_text(char) for char in box.text):
        return None
    whole = box.copy()
    whole.pango_layout = _asleep(box.pango_layout, box.text)
    segments = []
    start = 0
    x = 0.0
    for part, piece in zip(plan, pieces, strict=True):
        end = start + len(part.text)
        segments.append(_Segment(start, end, x + getattr(piece, _SHIFT), getattr(piece, _SPACING)))
        x += piece.width
        start = end
    whole.width = x
    setattr(whole, _SEGMENTS, tuple(segments))
    return whole


@functools.cache
def _drawn_as_text(char: str) -> bool:
    return unicodedata.category(char) not in ("So", "Co", "Cn", "Cs")


# --- Drawing ----------------------------------------------------------------------------


def _draw_first_line(
    stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any
) -> Any:
    """Stand-in for ``draw.text.draw_first_line``: a text box drawn whole is drawn piece by
    piece from its one layout (:func:`_draw_segments`), a piece as :func:`_draw_piece`
    draws it."""
    spaces = _widened_space_glyphs(textbox)
    drawn = len(stream.stream)
    segments = getattr(textbox, _SEGMENTS, None)
    if segments is None:
        emojis = _draw_piece(stream, textbox, text_overflow, block_ellipsis, matrix)
    else:
        emojis = _draw_segments(stream, textbox, segments, text_overflow, block_ellipsis, matrix)
    if spaces:
        stream.stream[drawn:] = _spaces_unshifted(stream.stream[drawn:], spaces)
    return emojis


#: The spaces :func:`_widened_space_glyphs` looks for: a space and a no-break space.
_SPACE_IN = re.compile("[ \u00a0]")


def _widened_space_glyphs(textbox: Any) -> frozenset[bytes]:
    """The glyphs (as ``draw_first_line`` writes them, ``b"0157"``) of the spaces in a text
    box's line that Pango shifted into their widened advance (letter spacing: the
    justification of WeasyPrint's ``justify_line``, ``word-spacing``)."""
    if not textbox.text.strip():
        return frozenset()  # drawn as nothing
    if not _SPACE_IN.search(textbox.pango_layout.text):
        # No space to have widened: most text boxes of a Chinese or Japanese briefing, whose
        # glyphs were each looked at for nothing (0.3 s of a 200-event build's 12 s).
        return frozenset()
    # As draw_first_line sets it before it reads the line (set again, it changes nothing).
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    first_line, _ = textbox.pango_layout.get_first_line()
    text = textbox.pango_layout.text.encode("utf-8")
    found = set()
    run = first_line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyphs = glyph_item.glyphs
        start = glyph_item.item.offset
        for i in range(glyphs.num_glyphs):
            info = glyphs.glyphs[i]
            if info.geometry.x_offset <= 0 or info.geometry.y_offset:
                continue
            at = start + glyphs.log_clusters[i]
            if text[at : at + 1] == b" " or text[at : at + 2] == b"\xc2\xa0":
                found.add(f"{info.glyph:04x}".encode())
    return frozenset(found)


#: A glyph in a ``TJ`` array shifted right by a gap before it and followed by the rest of
#: its widened advance: ``<00a6>-148.14<0157>-141<00cf>`` (draw/text.py: ``>{-offset}<``,
#: the glyph, ``>{int(kerning)}<``).
_SHIFTED_GLYPH = re.compile(rb">(-[0-9.]+)<([0-9a-f]{4})>(-?[0-9]+)<")


def _spaces_unshifted(chunks: list[bytes], spaces: frozenset[bytes]) -> list[bytes]:
    """``TJ`` arrays with a widened space's gap moved from before its glyph to after it,
    in one (``<00a6><0157>-289.14<00cf>``): the page is the same (the glyph is blank, and the
    next one starts where it did), but not the text extracted.

    Pango widens a glyph by letter spacing half before it (its ``x_offset``) and half after,
    and ``draw_first_line`` writes the half before as a gap of its own. pypdf reads a gap
    wider than half a space as a space of its own: a Korean line WeasyPrint justified at its
    spaces copied out with two between its words (``이병철  삼성그룹  회장은``) wherever
    they were widened by half a space or more, as a narrow column's often are. After the
    space, the gap is read as part of it, by pypdf as by pdftotext."""

    def moved(match: re.Match[bytes]) -> bytes:
        if match[2] not in spaces:
            return match[0]
        gap = float(match[1]) + int(match[3])
        return b"><" + match[2] + b">" + repr(gap).encode() + b"<"

    return [
        _SHIFTED_GLYPH.sub(moved, chunk) if chunk.endswith(b"] TJ") else chunk for chunk in chunks
    ]


def _draw_piece(
    stream: Any, textbox: Any, text_overflow: Any, block_ellipsis: Any, matrix: Any
) -> Any:
    """A piece with space after its glyphs (the justification's share, a Han–Latin gap) is
    drawn with that much character spacing (``Tc``), inside a marked-content span whose
    ``ActualText`` is the piece's own text.

    On the page this is what letter spacing draws, the glyphs each as far apart (the
    piece's width already holds the space after its last glyph). It is drawn so for text
    extractors, which read a space into any gap between two glyphs wider than a tenth of an
    em (pdftotext) or than half a space (pypdf). pypdf counts character spacing into the
    glyph before it. Poppler (pdftotext, and the viewers built on it) does not for a glyph,
    but reads an ``ActualText`` span as characters spread over the span, from where its
    first glyph starts to where its pen ends, character spacing included: the next piece
    starts where this one ends. The span's text is what was drawn: nothing copies out
    differently. Only boxes spaced by :func:`_space` carry spacing, whichever thread
    draws them.
    """
    spacing = getattr(textbox, _SPACING, 0.0)
    draw = _originals["draw_first_line"]
    if not spacing or text_overflow == "ellipsis" or block_ellipsis != "none":
        # (An ellipsis changes the text drawn: the span's text would not be what is drawn.)
        return draw(stream, textbox, text_overflow, block_ellipsis, matrix)
    _begin_spaced(stream, textbox.text, spacing)
    try:
        return draw(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        _end_spaced(stream)


def _begin_spaced(stream: Any, text: str, spacing: float) -> None:
    actual = ("\ufeff" + text).encode("utf-16-be").hex().upper()
    stream.stream.append(f"/Span <</ActualText <{actual}>>> BDC".encode())
    # Text space units are the page's CSS pixels, as are layout widths (Tm scales by 1).
    stream.stream.append(f"{spacing:.4f} Tc".encode())


def _end_spaced(stream: Any) -> None:
    # Back to none before the span ends (poppler measures the span with the character
    # spacing in force at its end), and character spacing is graphics state: it would stay
    # for the text drawn after.
    stream.stream.append(b"0 Tc")
    stream.stream.append(b"EMC")


def _draw_segments(
    stream: Any,
    textbox: Any,
    segments: tuple[_Segment, ...],
    text_overflow: Any,
    block_ellipsis: Any,
    matrix: Any,
) -> Any:
    """Draw a text box drawn whole (:func:`_drawn_whole`): its one layout's glyphs, each
    segment's from where it starts (``Tm``) and with its character spacing in a span as
    :func:`_draw_piece` draws a piece's, all in the one text object ``draw_text`` opened.

    The glyphs are written as ``draw.text.draw_first_line`` writes them: its font added to
    the stream, each glyph's Unicode text and width kept for the font's subset, a glyph's
    offset and the difference between its advance and its width as displacements in the
    ``TJ`` array, in thousandths of the font size. Where that is not enough (an ellipsis, a
    font whose glyphs may be pictures, right-to-left text), the segments are drawn as
    pieces of their own.
    """
    if not textbox.text.strip() or textbox.style["font_size"] < 1e-6:
        return []  # as draw_first_line: nothing is drawn of blank text
    (_, _, _), (_, _, _), (x, y, _) = matrix
    layout = textbox.pango_layout
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    first_line, _ = layout.get_first_line()
    runs = []
    run = first_line.runs
    while run != ffi.NULL:
        runs.append(run.data)
        run = run.next
    fonts = [stream.add_font(glyph_item.item.analysis.font) for glyph_item in runs]
    simple = text_overflow != "ellipsis" and block_ellipsis == "none"
    simple = simple and not any(font.png or font.svg or font.colr for font, _ in fonts)
    simple = simple and not any(glyph_item.item.analysis.level % 2 for glyph_item in runs)
    if not simple:
        return _draw_as_pieces(stream, textbox, segments, text_overflow, block_ellipsis, x, y)

    text = layout.text
    utf8 = text.encode()
    characters = _character_at_byte(text)
    starts = [segment.start for segment in segments]
    tj: list[str] = []  # the TJ array being written: glyph strings and displacements
    glyph_ids: list[str] = []  # the glyph string being written

    def close_string() -> None:
        if glyph_ids:
            tj.append("<" + "".join(glyph_ids) + ">")
            glyph_ids.clear()

    def show() -> None:
        close_string()
        if tj:
            stream.show_text("".join(tj))
            tj.clear()

    current = None
    previous_font = None
    for glyph_item, (font, font_size) in zip(runs, fonts, strict=True):
        pango_font = glyph_item.item.analysis.font
        if pango.pango_version() < 14802:
            font_size = textbox.style["font_size"]
        if pango_font != previous_font:
            previous_font = pango_font
            show()
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
        glyphs = glyph_item.glyphs
        clusters = glyphs.log_clusters
        offset = glyph_item.item.offset
        length = glyph_item.item.length
        for i in range(glyphs.num_glyphs):
            glyph_info = glyphs.glyphs[i]
            segment = segments[bisect.bisect_right(starts, characters[offset + clusters[i]]) - 1]
            if segment is not current:
                show()
                if current is not None and current.spacing:
                    _end_spaced(stream)
                current = segment
                if segment.spacing:
                    _begin_spaced(stream, text[segment.start : segment.end], segment.spacing)
                stream.set_text_matrix(1, 0, 0, -1, x + segment.x, y)
            glyph_id = glyph_info.glyph
            width = glyph_info.geometry.width
            if glyph_id == pango.PANGO_GLYPH_EMPTY:
                close_string()
                tj.append(f"{-width / font_size}")
                continue
            if glyph_id & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                codepoint = glyph_id - pango.PANGO_GLYPH_UNKNOWN_FLAG
                LOGGER.warning(
                    '.notdef glyph rendered for Unicode string unsupported by fonts: "%s" (U+%04X)',
                    chr(codepoint),
                    codepoint,
                )
                glyph_id = font.get_unused_glyph_id(codepoint)
                font.widths[glyph_id] = round(width * 1000 * FROM_UNITS / font_size)
                if 0 not in font.widths:
                    font.widths[0] = font.widths[glyph_id]
            if glyph_id not in font.to_unicode:
                end = length if i == glyphs.num_glyphs - 1 else clusters[i + 1]
                font.to_unicode[glyph_id] = utf8[offset + clusters[i] : offset + end].decode()
            x_offset = glyph_info.geometry.x_offset / font_size
            rise = glyph_info.geometry.y_offset / 1000
            hex_id = f"{glyph_id:02x}" if font.bitmap else f"{glyph_id:04x}"
            if rise:
                show()
                stream.set_text_rise(-rise)
                stream.show_text((f"{-x_offset}" if x_offset else "") + f"<{hex_id}>")
                stream.set_text_rise(0)
            else:
                if x_offset:
                    close_string()
                    tj.append(f"{-x_offset}")
                glyph_ids.append(hex_id)
            if glyph_id in font.widths:
                logical_width = font.widths[glyph_id]
            else:
                pango.pango_font_get_glyph_extents(
                    pango_font, glyph_id, stream.ink_rect, stream.logical_rect
                )
                logical_width = font.widths[glyph_id] = round(
                    stream.logical_rect.width * 1000 * FROM_UNITS / font_size
                )
            kerning = logical_width + x_offset - width * 1000 * FROM_UNITS / font_size
            if kerning:
                close_string()
                tj.append(f"{int(kerning)}")
    show()
    if current is not None and current.spacing:
        _end_spaced(stream)
    return []


def _draw_as_pieces(
    stream: Any,
    textbox: Any,
    segments: tuple[_Segment, ...],
    text_overflow: Any,
    block_ellipsis: Any,
    x: float,
    y: float,
) -> Any:
    """Draw a text box drawn whole as the pieces it was cut into, each set up and shaped
    again from its own text (the ellipsis, if any, on the last); their pictured glyphs
    (emojis), where ``draw_text`` draws them for the box."""
    size = float(textbox.style["font_size"])
    emojis: list[list[Any]] = []
    for index, segment in enumerate(segments):
        piece = textbox.copy_with_text(textbox.text[segment.start : segment.end])
        piece.pango_layout = _asleep(textbox.pango_layout, piece.text)
        piece.pango_layout.reactivate(textbox.style)
        setattr(piece, _SPACING, segment.spacing)
        last = index == len(segments) - 1
        drawn = _draw_piece(
            stream,
            piece,
            text_overflow,
            block_ellipsis if last else "none",
            Matrix(d=-1, e=x + segment.x, f=y),
        )
        # Placed from where the piece starts, in ems: draw_text places them from the box's.
        emojis.extend([*emoji[:4], emoji[4] + segment.x / size, emoji[5]] for emoji in drawn)
        piece.pango_layout.deactivate()
    return emojis


# --- Lines that fit, and no short last lines --------------------------------------------


@dataclass
class _Made:
    """A line as WeasyPrint's line iterator made it, and how to make it again."""

    line: Any
    resume_at: Any
    skip_stack: Any
    position_y: float
    text_indent: float


def _iter_line_boxes(
    context: Any,
    box: Any,
    position_y: float,
    bottom_space: float,
    skip_stack: Any,
    containing_block: Any,
    absolute_boxes: Any,
    fixed_boxes: Any,
    first_letter_style: Any,
    first_line_style: Any,
) -> Iterator[tuple[Any, Any]]:
    """Stand-in for ``block.iter_line_boxes``: the same lines, but a line too long for its
    Han–Latin gaps is broken again narrower, and neither a justified paragraph's last line
    nor a heading's holds fewer than :data:`MIN_LAST_LINE` characters when the line above
    can spare them."""
    arguments = (
        context,
        box,
        position_y,
        bottom_space,
        skip_stack,
        containing_block,
        absolute_boxes,
        fixed_boxes,
        first_letter_style,
        first_line_style,
    )
    inside = _state.depth > 0
    refit = inside and _can_refit(box, containing_block, first_letter_style, first_line_style)
    look_ahead = inside and _can_look_ahead(box, first_letter_style, first_line_style)
    heading = inside and not look_ahead and refit and _is_heading(containing_block)
    if not (refit or look_ahead):
        yield from _originals["iter_line_boxes"](*arguments)
        return
    lines = _fitting_lines(context, box, bottom_space, containing_block, arguments, refit)
    if not (look_ahead or heading):
        for made in lines:
            yield made.line, made.resume_at
        return
    # Each line is held back until the next one is known: only then is it clear whether it
    # must give characters to a short last line. The caller sees the same lines, one step
    # later, and a line is never changed after the caller has seen it.
    held: _Made | None = None
    # Whether the line above the held one was broken inside a web address or right before
    # one: the held line then begins with (the rest of) an address.
    after_address = False
    for made in lines:
        again = None
        if held is not None and made.resume_at is None:
            if _is_short(made.line):
                reflow = _rebreak_heading if heading else _reflow_last_line
                again = reflow(context, box, bottom_space, containing_block, held)
            elif heading and _breaks_a_phrase(held.line):
                again = _rebreak_heading(
                    context, box, bottom_space, containing_block, held, phrases_only=True
                )
            if again is not None:
                yield from again
                return
        if held is not None:
            before_address = _broken_at_an_address(held.line, made.line)
            if (before_address or after_address) and _loose_for_an_address(held.line):
                held = _unspread(context, box, bottom_space, containing_block, held)
            yield held.line, held.resume_at
            after_address = before_address
        held = made
    if held is not None:
        yield held.line, held.resume_at


#: The run of ASCII that ends a line's text, and the one that begins the next line's.
_ASCII_END = re.compile(r"[!-~]*$")
_ASCII_START = re.compile(r"[!-~]*")


def _loose_for_an_address(line: Any) -> bool:
    """Whether ``line`` was spread more than :data:`MAX_ADDRESS_BREAK_SPACING` between two
    characters."""
    spread = _state.spread.get(line)
    return spread is not None and spread > MAX_ADDRESS_BREAK_SPACING * float(
        line.style["font_size"]
    )


def _broken_at_an_address(upper: Any, lower: Any) -> bool:
    """Whether the break between ``upper`` and ``lower``, the line below, lies inside a web
    address or right before one: the ASCII that ends ``upper`` and the ASCII that begins
    ``lower`` hold a ``://``, or are eight characters or more with a ``/`` and a letter (the
    rest of an address a line broke, as word_breaks.py finds it): a date written 2023/09/13
    is none.

    Either line is then spread no more than :data:`MAX_ADDRESS_BREAK_SPACING`: the one
    above may be cut short by an address part too long to follow it, and the one below,
    which begins with the rest of the address, has few characters to spread apart beside
    it; on A5, ``zh/%E4%BF%84%E7%BE%85%E6%96%AF/a-66784421 是相關報`` over ``導，…`` was
    spread 0.39 em between its last four characters."""
    tail = _ASCII_END.search(_text(upper).rstrip())
    head = _ASCII_START.match(_text(lower).lstrip())
    word = (tail.group() if tail else "") + (head.group() if head else "")
    return "://" in word or (
        "/" in word and len(word) >= 8 and any(char.isalpha() for char in word)
    )


def _unspread(
    context: Any, box: Any, bottom_space: float, containing_block: Any, held: _Made
) -> _Made:
    """The held line laid out again as it was, spread no more than
    :data:`MAX_ADDRESS_BREAK_SPACING` (else left at its start); the line itself when it
    breaks elsewhere so."""
    saved = _state.limit
    _state.limit = MAX_ADDRESS_BREAK_SPACING
    try:
        line, resume_at = _lay_out(context, box, bottom_space, containing_block, held, 0.0)
    finally:
        _state.limit = saved
    if _text(line) != _text(held.line):
        return held
    return _Made(line, resume_at, held.skip_stack, held.position_y, held.text_indent)


def _fitting_lines(
    context: Any,
    box: Any,
    bottom_space: float,
    containing_block: Any,
    arguments: tuple[Any, ...],
    refit: bool,
) -> Iterator[_Made]:
    """WeasyPrint's lines, each with how to make it again; with ``refit``, a line that its
    gaps made too long (see :func:`_arrange`) is replaced by one broken earlier, and the
    lines after it are made afresh from the new break."""
    again_from = list(arguments)
    skip_stack, position_y = arguments[4], arguments[2]
    while True:
        for line, resume_at in _originals["iter_line_boxes"](*again_from):
            made = _Made(line, resume_at, skip_stack, position_y, box.text_indent)
            again = None
            if refit and line in _state.short:
                again = _refit(context, box, bottom_space, containing_block, made)
            yield again or made
            made = again or made
            if made.resume_at is None:
                return
            skip_stack = made.resume_at
            position_y = made.line.position_y + made.line.height
            if again is not None:
                # WeasyPrint's iterator would go on from the old break: start it again
                # from the new one (as the line after the first, without text-indent).
                again_from[2], again_from[4] = position_y, skip_stack
                again_from[8] = again_from[9] = None
                break
        else:
            return


def _can_refit(
    box: Any, containing_block: Any, first_letter_style: Any, first_line_style: Any
) -> bool:
    """Whether a line may be broken again to make room for its gaps: a paragraph of plain
    inline text (see :func:`_can_look_ahead`) in a block whose width does not come from its
    content (there, narrower lines would make it narrower still)."""
    if not isinstance(containing_block, boxes.BlockBox):
        return False  # an inline block, a table cell, a page margin box
    if (
        containing_block.is_floated()
        or containing_block.is_absolutely_positioned()
        or containing_block.is_flex_item
        or getattr(containing_block, "is_grid_item", False)
    ):
        return False
    return _plain(box, first_letter_style, first_line_style)


def _can_look_ahead(box: Any, first_letter_style: Any, first_line_style: Any) -> bool:
    """Whether holding a line back and laying lines out again is harmless: a justified
    paragraph of plain inline text."""
    if box.style["text_align_all"] != "justify":
        return False
    return _plain(box, first_letter_style, first_line_style)


def _plain(box: Any, first_letter_style: Any, first_line_style: Any) -> bool:
    """Plain inline text. Floats, absolutely placed boxes, footnotes and atomic inlines
    record themselves in the layout context as their line is made, so a paragraph with any
    of them is passed through untouched, as are ::first-letter and ::first-line."""
    if first_letter_style or first_line_style:
        return False
    return all(
        isinstance(part, (boxes.LineBox, boxes.InlineBox, boxes.TextBox))
        for part in box.descendants(placeholders=True)
    )


def _refit(
    context: Any, box: Any, bottom_space: float, containing_block: Any, made: _Made
) -> _Made | None:
    """The line laid out again narrower, so that Pango breaks it where its gaps fit; None
    when it cannot be broken earlier (the line keeps its gaps shrunk)."""
    over, gaps = _state.short[made.line]
    # Narrower by what was missing first; by all of its gaps at the last, which always
    # leaves room for the (fewer) gaps of a shorter line.
    for cut in (over, 2 * over, gaps):
        line, resume_at = _lay_out(
            context, box, bottom_space, containing_block, made, min(cut, gaps) + 0.01
        )
        if line not in _state.short:
            return _Made(line, resume_at, made.skip_stack, made.position_y, made.text_indent)
    return None


def _is_short(line: Any) -> bool:
    """Whether ``line``, a paragraph's or a heading's last, holds too little to stand alone:
    fewer than :data:`MIN_LAST_LINE` characters, or fewer than :data:`MIN_LAST_LETTERS`
    that are not punctuation (a last line of ``約》。`` reads as one character alone)."""
    text = _text(line).strip()
    if not text:
        return False
    letters = sum(not _is_punctuation(char) for char in text)
    return len(text) < MIN_LAST_LINE or letters < MIN_LAST_LETTERS


@functools.cache
def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _characters(line: Any) -> int:
    return len(_text(line).strip())


def _reflow_last_line(
    context: Any, box: Any, bottom_space: float, containing_block: Any, held: _Made
) -> list[tuple[Any, Any]] | None:
    """The held line broken again, narrower, and the paragraph's new last line below it; None
    when the held line was not spread by :func:`_arrange` or cannot spare enough."""
    widths = _state.justified.get(held.line)
    if widths is None:
        return None  # not justified here: no CJK in it, or it ends at a <br>
    broken, _, available = widths
    em = float(held.line.style["font_size"])
    trimmed = _with_end_trimmed(context, box, bottom_space, containing_block, held, available)
    if trimmed is not None:
        return [trimmed]
    # Try narrower and narrower breaks: a narrow glyph at the end (a digit) frees less than
    # an em, and kinsoku may move the break further back by itself. Narrower than the line
    # as Pango broke it, without its gaps: those are added again after the new break.
    for narrower in range(1, MIN_LAST_LINE + 3):
        # Half a point of slack, so that rounding does not push one more character down.
        cut = available - (broken - narrower * em + 0.5)
        again = _lay_out_pair(context, box, bottom_space, containing_block, held, cut)
        if again is None:
            continue
        upper, last = again
        if _is_short(last[0]):
            continue
        if upper[0] in _state.short or last[0] in _state.short:
            continue  # their gaps would not fit
        if not _spread_enough(upper[0], available, em):
            return None
        return [upper, last]
    return None


def _with_end_trimmed(
    context: Any,
    box: Any,
    bottom_space: float,
    containing_block: Any,
    held: _Made,
    available: float,
) -> tuple[Any, Any] | None:
    """The held line laid out half an em wider, so that it takes the rest of the paragraph,
    and set in its column all the same, its last mark half width (:func:`_trim_end`); None
    when it takes less, or does not fit so.

    The paragraph then has no short last line, and no line spread to give it characters:
    the A4 sheet set ``同年12月，他便離開人世，由兒子金正恩接掌朝鮮`` spread 0.13 em a gap
    over ``政權。``, where ``……朝鮮政權。`` fits with its ``。`` half width. JLReq (3.8,
    line adjustment) and clreq prefer that reduction to spacing a line out."""
    em = float(held.line.style["font_size"])
    _state.trim_end = True
    try:
        line, resume_at = _lay_out(
            context, box, bottom_space, containing_block, held, -TRIM_END * em
        )
    finally:
        _state.trim_end = False
    if resume_at is not None or line in _state.short or line.width > available + 0.01:
        return None
    return line, resume_at


#: How much wider (em) a paragraph's last line but one is laid out to take the rest of the
#: paragraph, its last mark then set half width (:func:`_with_end_trimmed`).
TRIM_END = 0.5


def _is_heading(block_box: Any) -> bool:
    return block_box.element_tag in _HEADINGS


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _rebreak_heading(
    context: Any,
    box: Any,
    bottom_space: float,
    containing_block: Any,
    held: _Made,
    phrases_only: bool = False,
) -> list[tuple[Any, Any]] | None:
    """A heading's held line broken again, narrower, so that its last line below holds at
    least :data:`MIN_LAST_LINE` characters (a title on A5 ended on ``年`` alone). The first
    break after a punctuation mark (``：`` ``，`` ``」``…) or before an opening one (``（``
    ``「``…) is taken, a break between two phrases, as long as the held line keeps at least
    half as many characters as the last one; else (unless ``phrases_only``) the break that
    takes the fewest characters down. None when the line cannot spare them (nothing is
    spread: a heading is not justified)."""
    em = float(held.line.style["font_size"])
    fewest = None
    for narrower in range(1, _characters(held.line)):
        cut = narrower * em - 0.5
        again = _lay_out_pair(context, box, bottom_space, containing_block, held, cut)
        if again is None:
            continue
        upper, last = again
        if upper[0] in _state.short or last[0] in _state.short:
            continue  # their gaps would not fit
        above, below = _characters(upper[0]), _characters(last[0])
        if _is_short(last[0]):
            continue
        if 2 * above < below:
            break
        if (
            _text(upper[0]).rstrip()[-1:] in _PHRASE_ENDS
            or _text(last[0]).lstrip()[:1] in _PHRASE_STARTS
        ):
            return [upper, last]
        fewest = fewest or [upper, last]
    return None if phrases_only else fewest


def _breaks_a_phrase(line: Any) -> bool:
    """Whether a heading's line ends inside a phrase that began after a punctuation mark on
    it, or at a bracket opened on it: ``合成テスト用ブリーフィング：60／の出来事`` would read
    better broken after ``：``."""
    text = _text(line).rstrip()
    return text[-1:] not in _PHRASE_ENDS and (
        any(char in _PHRASE_ENDS for char in text[:-1])
        or any(char in _PHRASE_STARTS for char in text[1:])
    )


#: Marks after which a heading's line may break between phrases.
_PHRASE_ENDS = frozenset("：，、；。！？」』）〕】》〉:;,!?)")

#: Marks before which it may: an aside in brackets, a quotation (``…七十餘年／（長版…）``).
_PHRASE_STARTS = frozenset("（「『〔【《〈(")


def _text(line: Any) -> str:
    return "".join(box.text for box in _text_boxes(line))


def _lay_out_pair(
    context: Any, box: Any, bottom_space: float, containing_block: Any, held: _Made, cut: float
) -> tuple[tuple[Any, Any], tuple[Any, Any]] | None:
    """The held line laid out ``cut`` points narrower and the line after it at full width;
    None unless that second line ends the paragraph."""
    upper, resume_at = _lay_out(context, box, bottom_space, containing_block, held, cut)
    if resume_at is None:
        return None
    below = _Made(None, None, resume_at, upper.position_y + upper.height, 0)
    last, end = _lay_out(context, box, bottom_space, containing_block, below, 0.0)
    if end is not None:
        return None
    return (upper, resume_at), (last, end)


def _lay_out(
    context: Any, box: Any, bottom_space: float, containing_block: Any, made: _Made, cut: float
) -> tuple[Any, Any]:
    """One line as ``iter_line_boxes`` makes it, broken ``cut`` points narrower; aligned (and
    justified) to the full width all the same."""
    saved = containing_block.width, box.text_indent, _state.cut
    # get_next_linebox takes the width available from the containing block (through
    # float.avoid_collisions); narrowing the block for this one call is what makes Pango
    # break earlier. _text_align gives the cut back to the line it aligns.
    containing_block.width = saved[0] - cut
    box.text_indent = made.text_indent
    _state.cut = cut
    try:
        line, resume_at = inline.get_next_linebox(
            context,
            box,
            made.position_y,
            bottom_space,
            made.skip_stack,
            containing_block,
            [],
            [],
            None,
            None,
        )
    finally:
        containing_block.width, box.text_indent, _state.cut = saved
    inline.handle_leader(context, line, containing_block)
    return line, resume_at


def _spread_enough(line: Any, available: float, em: float) -> bool:
    """Whether a line laid out again was justified to ``available`` without needing more
    than :data:`MAX_REFLOW_SPACING` between its characters."""
    widths = _state.justified.get(line)
    if widths is None:
        return bool(line.width >= available - 0.01)  # full as it is, or not spread at all
    _, natural, _ = widths
    gaps = _characters(line) - 1
    return gaps >= 1 and (available - natural) / gaps <= MAX_REFLOW_SPACING * em


_PATCHED = (
    (inline, "justify_line"),
    (inline, "text_align"),
    (block, "iter_line_boxes"),
    (draw_text, "draw_first_line"),
    (preferred, "max_content_width"),
    (inline, "can_break_inside"),
)
_USED = (
    (inline, "get_next_linebox"),
    (inline, "handle_leader"),
    (line_break, "create_layout"),
    (line_break, "get_log_attrs"),
    (line_break, "line_size"),
    (line_break, "can_break_text"),
)
