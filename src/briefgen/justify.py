"""Justified CJK text in the PDF: flush at both edges, and no paragraph ending with a line
of one or two characters.

WeasyPrint's ``text-align: justify`` widens only spaces and no-break spaces
(``weasyprint/layout/inline.py: justify_line``). A line of Chinese or Japanese has none, so
its spare width stays at its end and the column's right edge is ragged. Inside
:func:`cjk_justification`, a justified line that holds East Asian wide characters has its
spare width spread evenly over its justification opportunities instead: after each CJK
character, after each run of Latin letters or digits and at each space, never inside a
Latin word or a number. Its text boxes are cut into pieces drawn at their own positions,
the CJK pieces letter-spaced; the PDF keeps one glyph per character, adds no space to the
text, and the text copies out as written. Lines without CJK characters (English) keep
WeasyPrint's own word spacing.

When the last line of a justified paragraph would hold one or two characters (``去。``),
the line above is broken again, narrower, so that at least three characters go down, and
then justified to the full width. Pango chooses the new break, so kinsoku (no line starting
with ``。`` or ``」``, none ending with ``「``) holds.

WeasyPrint internals this relies on, written for WeasyPrint 70 (another major version is
refused with a :class:`~briefgen.errors.BuildError`): in ``layout/inline.py``,
``justify_line`` (replaced), ``get_next_linebox`` and ``handle_leader`` (called);
``iter_line_boxes`` as ``layout/block.py`` imported it (replaced); in
``text/line_break.py``, ``create_layout``, ``line_size`` and ``get_log_attrs``, and that
``Layout.reactivate`` sets a text box's layout up again from the box's style when it is
drawn; ``TextBox.copy_with_text`` and ``style.copy()``.

The replacements are installed while any thread is inside :func:`cjk_justification` and
act only for the threads inside it; every other call goes to WeasyPrint's own functions.
"""

from __future__ import annotations

import contextlib
import threading
import unicodedata
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, inline
from weasyprint.text import line_break

from .errors import BuildError

#: The WeasyPrint major version whose layout internals this module was written against.
WEASYPRINT_MAJOR = 70

#: A paragraph's last line must hold at least this many characters.
MIN_LAST_LINE = 3

#: Taking characters down to the last line is given up when the line above would then need
#: more than this much letter spacing (in em): a gappy line is worse than a short last one.
MAX_REFLOW_SPACING = 0.25


class _State(threading.local):
    """Per thread: whether this thread is inside :func:`cjk_justification`, and what the
    layout of its current render has learnt about the lines it justified."""

    def __init__(self) -> None:
        self.depth = 0
        self.suppress = False
        # line box → its width before justification and the width available to it; read
        # when the line below it turns out to be a short last line.
        self.justified: weakref.WeakKeyDictionary[Any, tuple[float, float]] = (
            weakref.WeakKeyDictionary()
        )


_state = _State()
_install_lock = threading.Lock()
_installs = 0
_originals: dict[str, Any] = {}


@contextlib.contextmanager
def cjk_justification() -> Iterator[None]:
    """Lay out CJK paragraphs with ``text-align: justify`` flush at both edges while inside.

    Only WeasyPrint layouts run by this thread inside the context are affected: the patched
    functions hand every other call (other threads, or after the context) to WeasyPrint's
    own. Contexts may nest and may be entered from several threads at once; the patch is
    installed by the first and removed by the last to leave.
    """
    _check_version()
    _install()
    _state.depth += 1
    try:
        yield
    finally:
        _state.depth -= 1
        if not _state.depth:
            _state.justified = weakref.WeakKeyDictionary()
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
            _originals["justify_line"] = inline.justify_line
            _originals["iter_line_boxes"] = block.iter_line_boxes
            inline.justify_line = _justify_line
            # block.py imported the function by name: patching inline's would not reach it.
            block.iter_line_boxes = _iter_line_boxes
        _installs += 1


def _uninstall() -> None:
    global _installs
    with _install_lock:
        _installs -= 1
        if not _installs:
            # The originals stay in _originals: another thread may be inside a stand-in,
            # looked up just before this, that is about to hand its call on to them.
            inline.justify_line = _originals["justify_line"]
            block.iter_line_boxes = _originals["iter_line_boxes"]


# --- Justification ----------------------------------------------------------------------


def _justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Stand-in for ``inline.justify_line``: lines with CJK characters are spread between
    their characters (and at their spaces); others are left to WeasyPrint."""
    if _state.depth and _state.suppress:
        return  # a line laid out again by _reflow_last_line is justified by it afterwards
    if not (_state.depth and _has_cjk(line) and _spread(context, line, extra_width)):
        _originals["justify_line"](context, line, extra_width)


def _has_cjk(line: Any) -> bool:
    if line.style["direction"] != "ltr":
        return False
    return any(_is_wide(char) for box in _text_boxes(line) for char in box.text)


def _is_wide(char: str) -> bool:
    # Han, kana, Hangul and full-width punctuation: the characters that CJK typesetting
    # spaces evenly, and that never hold a space to stretch. Punctuation of ambiguous width
    # (“ ” ‘ ’ … — ·) is set full-width in CJK text and spaced with it; ambiguous letters
    # (é, ü) belong to Latin words, which are never pulled apart.
    width = unicodedata.east_asian_width(char)
    return width in ("W", "F") or (width == "A" and unicodedata.category(char)[0] == "P")


def _text_boxes(box: Any) -> Iterator[Any]:
    """The line's text boxes in the order they are drawn (left to right)."""
    if isinstance(box, boxes.TextBox):
        if box.text:
            yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


@dataclass
class _Piece:
    """A run of a text box drawn as a text box of its own.

    A wide piece (CJK) is letter-spaced: a justification opportunity after each of its
    ``units`` grapheme clusters. A narrow piece (a number, a Latin word and its space) keeps
    its letters together and has one opportunity, after it.
    """

    text: str
    wide: bool
    units: int = 1


def _spread(context: Any, line: Any, extra_width: float) -> bool:
    """Spread ``extra_width`` evenly over the line's justification opportunities; False (line
    untouched) when it has none or a text box's style cannot be copied."""
    texts = list(_text_boxes(line))
    plans = [_pieces(box) for box in texts]
    opportunities = sum(piece.units for plan in plans for piece in plan)
    if opportunities < 2 or not all(_copyable(box.style) for box in texts):
        return False
    # The last piece's opportunity would fall past the column edge, so the spare width goes
    # to the ones between characters only.
    spacing = extra_width / (opportunities - 1)
    made = {
        id(box): _respace(context, box, plan, spacing)
        for box, plan in zip(texts, plans, strict=True)
    }
    made[id(texts[-1])][-1].width -= spacing
    _state.justified[line] = (line.width, line.width + extra_width)
    _place(line, made, 0.0)
    return True


#: Most grapheme clusters in one letter-spaced piece (see :func:`_respace`).
PIECE = 8


def _pieces(box: Any) -> list[_Piece]:
    """The text box cut into wide and narrow pieces at grapheme cluster boundaries, as
    Pango finds them (and as it applies letter spacing: once per cluster)."""
    text = box.text
    attrs = line_break.get_log_attrs(text, box.style["lang"])
    starts = [index for index in range(len(text)) if index == 0 or attrs[index].is_cursor_position]
    pieces: list[_Piece] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        cluster = text[start:end]
        wide = _is_wide(cluster[0])
        if pieces and pieces[-1].wide == wide and not _cut_before(pieces[-1], cluster):
            pieces[-1].text += cluster
            pieces[-1].units += 1 if wide else 0
        else:
            pieces.append(_Piece(cluster, wide))
    return pieces


def _cut_before(piece: _Piece, cluster: str) -> bool:
    if not piece.wide:
        return piece.text[-1] in " \u00a0"  # a word separator ends a narrow piece
    # Long wide runs are cut (see _respace), but only between two Han or kana letters, never
    # next to punctuation, whose width a font may adjust by its neighbour (OpenType chws).
    return piece.units >= PIECE and _is_letter(piece.text[-1]) and _is_letter(cluster[0])


def _is_letter(char: str) -> bool:
    return _is_wide(char) and unicodedata.category(char) == "Lo"


def _respace(context: Any, box: Any, plan: list[_Piece], spacing: float) -> list[Any]:
    """The text box's pieces as text boxes, each as wide as it is drawn plus its share of
    the spare width.

    CJK pieces of at most :data:`PIECE` clusters, because WeasyPrint writes each glyph's
    displacement to the PDF truncated to a thousandth of an em (draw/text.py:
    draw_first_line): over a whole line that loses up to half a point, and each text box is
    drawn from its own position, so the loss stops at the end of each piece.
    """
    spaced = _spaced_style(box.style, spacing)
    made = []
    for piece in plan:
        style = spaced if piece.wide else box.style
        # A copy even for a single piece: the box keeps its width until it is replaced.
        new = box.copy_with_text(piece.text)
        layout = line_break.create_layout(piece.text, style, context, None, 0)
        # A letter-spaced width already holds the spacing after its last cluster.
        new.width = _first_line_width(layout, style) + (0 if piece.wide else spacing)
        # Drawing sets the layout up again from the box's style (Layout.reactivate), so the
        # spacing lives in the style; the layout itself is kept asleep, as WeasyPrint does.
        layout.deactivate()
        new.style, new.pango_layout = style, layout
        made.append(new)
    return made


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
    """Put the letter-spaced pieces in place of their text boxes and move every box right by
    what the text before it grew; the new ``advance``. Mirrors ``inline.add_word_spacing``."""
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
        piece.position_x = start
        start += piece.width
    return start - float(box.position_x + box.width)


# --- No short last lines ----------------------------------------------------------------


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
    """Stand-in for ``block.iter_line_boxes``: the same lines, but a justified paragraph's
    last line never holds fewer than :data:`MIN_LAST_LINE` characters when the line above
    can spare them."""
    lines = _originals["iter_line_boxes"](
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
    if not (_state.depth and _can_look_ahead(box, first_letter_style, first_line_style)):
        yield from lines
        return
    # Each line is held back until the next one is known: only then is it clear whether it
    # must give characters to a short last line. The caller sees the same lines, one step
    # later, and a line is never changed after the caller has seen it.
    held: _Made | None = None
    for line, resume_at in lines:
        made = _Made(line, resume_at, skip_stack, position_y, box.text_indent)
        if held is not None and resume_at is None and _is_short(line):
            again = _reflow_last_line(context, box, bottom_space, containing_block, held)
            if again is not None:
                yield from again
                return
        if held is not None:
            yield held.line, held.resume_at
        held = made
        skip_stack, position_y = resume_at, line.position_y + line.height
    if held is not None:
        yield held.line, held.resume_at


def _can_look_ahead(box: Any, first_letter_style: Any, first_line_style: Any) -> bool:
    """Whether holding a line back and laying lines out again is harmless: a justified
    paragraph of plain inline text. Floats, absolutely placed boxes, footnotes and atomic
    inlines record themselves in the layout context as their line is made, so a paragraph
    with any of them is passed through untouched, as are ::first-letter and ::first-line."""
    if first_letter_style or first_line_style or box.style["text_align_all"] != "justify":
        return False
    return all(
        isinstance(part, (boxes.LineBox, boxes.InlineBox, boxes.TextBox))
        for part in box.descendants(placeholders=True)
    )


def _is_short(line: Any) -> bool:
    return 0 < _characters(line) < MIN_LAST_LINE


def _characters(line: Any) -> int:
    return len("".join(box.text for box in _text_boxes(line)).strip())


def _reflow_last_line(
    context: Any, box: Any, bottom_space: float, containing_block: Any, held: _Made
) -> list[tuple[Any, Any]] | None:
    """The held line broken again, narrower, and the paragraph's new last line below it; None
    when the held line was not letter-spaced by :func:`_spread` or cannot spare enough."""
    widths = _state.justified.get(held.line)
    if widths is None:
        return None  # not justified here: no CJK in it, or it ends at a <br>
    natural, available = widths
    em = float(held.line.style["font_size"])
    # Try narrower and narrower breaks: a narrow glyph at the end (a digit) frees less than
    # an em, and kinsoku may move the break further back by itself.
    for narrower in range(1, MIN_LAST_LINE + 3):
        # Half a point of slack, so that rounding does not push one more character down.
        cut = available - (natural - narrower * em + 0.5)
        again = _lay_out_pair(context, box, bottom_space, containing_block, held, cut)
        if again is None:
            continue
        upper, last = again
        if _characters(last[0]) < MIN_LAST_LINE:
            continue
        if not _justify_to(context, upper[0], available, em):
            return None
        return [upper, last]
    return None


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
    """One line as ``iter_line_boxes`` makes it, ``cut`` points narrower and not justified."""
    saved = containing_block.width, box.text_indent
    # get_next_linebox takes the width available from the containing block (through
    # float.avoid_collisions); narrowing the block for this one call is what makes Pango
    # break earlier. The line is justified to the full width afterwards.
    containing_block.width = saved[0] - cut
    box.text_indent = made.text_indent
    _state.suppress = True
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
        _state.suppress = False
        containing_block.width, box.text_indent = saved
    inline.handle_leader(context, line, containing_block)
    return line, resume_at


def _justify_to(context: Any, line: Any, available: float, em: float) -> bool:
    """Letter-space a line laid out again so that it fills ``available``; False (and the
    line is to be thrown away) when that would take more than :data:`MAX_REFLOW_SPACING`."""
    extra = available - line.width
    gaps = _characters(line) - 1
    if gaps < 1 or extra / gaps > MAX_REFLOW_SPACING * em:
        return False
    return extra <= 0 or _spread(context, line, extra)


_PATCHED = ((inline, "justify_line"), (block, "iter_line_boxes"))
_USED = (
    (inline, "get_next_linebox"),
    (inline, "handle_leader"),
    (line_break, "create_layout"),
    (line_break, "get_log_attrs"),
    (line_break, "line_size"),
)
