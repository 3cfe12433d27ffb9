"""The EPUB's front cover: a PNG drawn from the briefing's title, subtitle and date.

PNG, not SVG: reading systems and shops show the ``cover-image`` in their libraries, and
many of them (and their thumbnailers) take only JPEG or PNG. An SVG cover would also have
to carry its text as outlines or embed fonts of its own, since an image does not load the
book's fonts. The picture is drawn with Pillow (already installed for WeasyPrint) in the
shipped faces, and stored with a small palette: flat colours and anti-aliased type fit in
a few dozen kilobytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from PIL import Image, ImageDraw, ImageFont

from .. import fonts
from ..autospace import AUTOSPACE, gaps_after
from ..i18n import language
from ..model import Briefing, PartialDate

#: 2:3, the shape shops ask for; wide enough for a sharp thumbnail, small enough to keep
#: the book light.
WIDTH, HEIGHT = 1200, 1800
MARGIN = 120
_PAPER = (247, 243, 236)
_INK = (26, 26, 26)
_GREY = (68, 68, 68)
_RED = (138, 28, 28)  # the colour of the periods in the text
#: Anti-aliasing needs a few shades between the flat colours; 16 keep the edges smooth.
_PALETTE_SIZE = 16

#: Characters a line must not start with (closing marks, small kana, iteration marks) and
#: must not end with (opening marks): the kinsoku rules of Chinese and Japanese.
_NO_LINE_START = set(
    "、。，．・：；？！）〕］｝〉》」』】〙〗〟｠ー‐゠–〜～ゝゞヽヾ々〻"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    ",.:;?!)]}%’”…‥"
)
_NO_LINE_END = set("（〔［｛〈《「『【〘〖〝｟([{‘“")
#: A line ending after one of these breaks between phrases, which a title reads best with.
_PHRASE_END = set("、。，：；？！」』）》〉 —")


@dataclass(frozen=True)
class _Block:
    """One piece of the cover's text and how it is set."""

    text: str
    face: fonts.FontFace
    size: int
    """Largest size in pixels; a long title is set smaller, down to ``min_size``."""
    min_size: int
    colour: tuple[int, int, int]
    max_height: int
    """Pixels the block may take."""


def cover_texts(briefing: Briefing) -> list[str]:
    """What the cover shows, in reading order: its alternative text says the same."""
    texts = [briefing.title]
    if briefing.subtitle:
        texts.append(briefing.subtitle)
    if briefing.date:
        day = briefing.date
        texts.append(language(briefing.lang).date(PartialDate(day.year, day.month, day.day)))
    return texts


def cover_png(briefing: Briefing) -> bytes:
    """The cover picture: the title large in the bold sans, the subtitle in the serif under a
    red rule, the date at the foot."""
    date = cover_texts(briefing)[-1] if briefing.date else None
    return _cover_png(briefing.title, briefing.subtitle, date, briefing.lang)


# Drawing and packing the picture takes about 0.08 s; a rebuild in the same process (watch,
# a batch, --format all) draws the same cover again.
@lru_cache(maxsize=16)
def _cover_png(title: str, subtitle: str | None, date: str | None, lang: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 48), fill=_RED)
    y = 380
    y = _draw_block(draw, _Block(title, fonts.SANS_BOLD, 104, 56, _INK, 760), y, lang)
    y += 40
    draw.rectangle((MARGIN, y, MARGIN + 160, y + 10), fill=_RED)
    y += 90
    if subtitle:
        _draw_block(draw, _Block(subtitle, fonts.SERIF, 54, 36, _GREY, 1480 - y), y, lang)
    if date:
        _draw_block(draw, _Block(date, fonts.SANS_BOLD, 48, 48, _RED, 80), HEIGHT - 200, lang)
    return _png(image)


def _draw_block(draw: ImageDraw.ImageDraw, block: _Block, top: int, lang: str) -> int:
    """Set ``block`` from ``top`` down; return where it ends."""
    font, lines = _fit(block, lang)
    line_height = round(font.size * 1.35)
    baseline = top + font.size
    for line in lines:
        x = float(MARGIN)
        for run in _runs(line):
            draw.text((x, baseline), run, font=font, fill=block.colour, anchor="ls")
            x += font.getlength(run) + AUTOSPACE * font.size
        baseline += line_height
    return top + line_height * len(lines)


def _runs(line: str) -> list[str]:
    """``line`` cut where a quarter em goes between Han or kana and a Western run
    (``1945年``, as the PDF and the book's text set it; briefgen/autospace.py)."""
    cuts = [0, *(index + 1 for index in gaps_after(line)), len(line)]
    return [line[start:end] for start, end in pairwise(cuts)]


def _spaced(font: ImageFont.FreeTypeFont) -> Callable[[str], float]:
    """How long a line is drawn in ``font``, its quarter-em gaps included."""

    def length(text: str) -> float:
        return font.getlength(text) + AUTOSPACE * font.size * len(gaps_after(text))

    return length


def _fit(block: _Block, lang: str) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest size at which ``block`` fits its height, and its lines at that size. At
    the smallest size what does not fit is cut, ending in an ellipsis."""
    width = WIDTH - 2 * MARGIN
    size = block.size
    while True:
        font = _font(block.face, block.text + "…", lang, size)
        measure = _spaced(font)
        room = max(1, block.max_height // round(size * 1.35))
        # Only what could fit is broken into lines: a title longer than all the lines
        # together is set smaller without trying, and at the smallest size cut short first.
        text = _prefix_within(block.text, measure, width * (room + 1))
        if text == block.text:
            lines = break_lines(text, measure, width)
            if len(lines) <= room:
                return font, lines
        if size <= block.min_size:
            lines = break_lines(text, measure, width)[:room]
            return font, [*lines[:-1], _cut(lines[-1], measure, width)]
        size = max(block.min_size, round(size * 0.9))


def _prefix_within(text: str, measure: Callable[[str], float], length: float) -> str:
    """The longest start of ``text`` no longer than ``length``."""
    if measure(text) <= length:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if measure(text[:middle]) <= length else (low, middle - 1)
    return text[:low]


def _cut(line: str, measure: Callable[[str], float], width: int) -> str:
    while line and measure(line + "…") > width:
        line = line[:-1]
    return line + "…"


# Kept for as many covers as _cover_png keeps (a title, a subtitle and a date each), not for
# every cover a long-running process (watch, a worker) ever drew: a few dozen kilobytes each.
@lru_cache(maxsize=48)
def _font_data(face: fonts.FontFace, text: str, lang: str) -> bytes:
    # A subset in the book's language: its cmap already points at the local forms, so
    # Japanese, Korean and Simplified Chinese titles are drawn right without ``locl``.
    return fonts.subset(face, [text], lang)


def _font(face: fonts.FontFace, text: str, lang: str, size: int) -> ImageFont.FreeTypeFont:
    # Basic layout, not Raqm: whether Pillow was built with Raqm must not change the bytes.
    return ImageFont.truetype(
        io.BytesIO(_font_data(face, text, lang)), size, layout_engine=ImageFont.Layout.BASIC
    )


def break_lines(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """``text`` in lines no wider than ``width``, broken where CJK and Latin text may break,
    preferring the ends of phrases and lines of even length (a title is read as a whole,
    so a balanced shape beats a full first line)."""
    text = " ".join(text.split())
    breaks = dict(_break_opportunities(text))
    if not _fits_somehow(text, breaks, measure, width):
        # A word longer than the line: it may break anywhere, as CSS's overflow-wrap does.
        breaks = dict.fromkeys(range(1, len(text)), 5.0) | breaks
    return _best_lines(text, breaks, measure, width)


def _break_opportunities(text: str) -> Iterator[tuple[int, float]]:
    """``(index, penalty)``: a line may start at ``text[index]``, at that cost."""
    for index in range(1, len(text)):
        before, after = text[index - 1], text[index]
        if after in _NO_LINE_START or before in _NO_LINE_END:
            continue
        if before in _PHRASE_END:
            yield index, 0.0
        elif _is_wide(before) and _is_wide(after):
            yield index, 1.0


def _is_wide(char: str) -> bool:
    # Han, kana and full-width punctuation break anywhere; Latin and Hangul only at spaces.
    code = ord(char)
    return (
        0x2E80 <= code <= 0x30FF
        or 0x3100 <= code <= 0x31FF
        or 0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF01 <= code <= 0xFF65
        or code >= 0x20000
    )


def _fits_somehow(
    text: str, breaks: dict[int, float], measure: Callable[[str], float], width: float
) -> bool:
    cuts = [0, *sorted(breaks), len(text)]
    return all(measure(text[a:b].strip()) <= width for a, b in pairwise(cuts))


def _best_lines(
    text: str, breaks: dict[int, float], measure: Callable[[str], float], width: float
) -> list[str]:
    """The cheapest way to break ``text`` at ``breaks``: each line costs 10 (fewer lines
    first), plus its break's penalty, plus the square of its unused share of the width."""
    best: dict[int, tuple[float, list[str]]] = {0: (0.0, [])}
    starts = [0]
    for end in [*sorted(breaks), len(text)]:
        # Nearest start first: the line only grows from there, so the first one too wide
        # ends the search (which keeps a long title from costing n² measurements).
        for start in reversed(starts):
            line = text[start:end].strip()
            used = measure(line)
            if used > width:
                break
            if start not in best:
                continue
            total = best[start][0] + 10 + breaks.get(end, 0.0) + 3 * ((width - used) / width) ** 2
            if end not in best or total < best[end][0]:
                best[end] = (total, [*best[start][1], line])
        starts.append(end)
    return best[len(text)][1] if len(text) in best else [text]


def _png(image: Image.Image) -> bytes:
    # Octree quantizing, no dithering: the same palette build to build, in a quarter of median
    # cut's time (25 ms against 90 ms for the sample) and as smooth at the edges. zlib's
    # default level packs it 55 ms faster than optimize=True, for a file of 27 KB, not 23 KB.
    paletted = image.quantize(
        colors=_PALETTE_SIZE, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    output = io.BytesIO()
    paletted.save(output, format="PNG")
    return output.getvalue()
