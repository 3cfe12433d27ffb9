"""No kerning between full-width glyphs: the ``kern`` pairs of a font subset that involve a
glyph an em wide are set to nothing.

The shipped Noto CJK faces kern their kana against each other and against the Japanese and
Simplified stops and commas (``れ、`` 0.06 em apart, ``き、`` 0.04 em closer, ``すタ`` 0.07
em closer), values made for the kana as the ``palt`` feature narrows them. Applied to the
full-width kana of text set solid, as every reader applies ``kern`` by default (WeasyPrint,
browsers, e-book readers), they took Japanese text off its grid of ems: a justified line
showed an odd gap before a ``、`` here and none there. The OpenType feature registry says
kerning should not be applied to fixed-width glyphs unless features that make them
proportional are, and JLReq sets Japanese text solid, every character an em. The pairs of
proportional glyphs (Latin ``Ve``, ``To``) are kept.

The table is patched where it lies, its offsets unchanged: fontTools would take 0.1-0.3 s
to read and write again the whole GPOS of each subset.
"""

from __future__ import annotations

import array
import struct
import sys
from collections.abc import Container

_U16 = struct.Struct(">H")
_U32 = struct.Struct(">I")
_TABLE_DIRECTORY = struct.Struct(">4sHHHH")
_TABLE_RECORD = struct.Struct(">4sIII")

#: GPOS lookup types: pair adjustment, and the extension that holds a subtable of another
#: type further away.
_PAIR, _EXTENSION = 2, 9


def gpos_without_fixed_width_kerning(
    font_data: bytes, proportional: Container[int] = ()
) -> bytes | None:
    """The GPOS table of ``font_data`` (an OpenType font) with the value of every ``kern``
    pair that has an em wide glyph on either side set to nothing; None when it has none.
    The glyphs of ``proportional`` keep their pairs, em wide or not: a letter a font sets
    proportionally can be an em wide too (Liberation Serif Bold's W, 2048 units of 2048)."""
    found = _table(font_data, b"GPOS")
    if found is None:
        return None
    start, length = found
    gpos = bytearray(font_data[start : start + length])
    wide = {glyph for glyph in _em_wide_glyphs(font_data) if glyph not in proportional}
    if not wide or not _clear_kerning(gpos, wide):
        return None
    return bytes(gpos)


def _em_wide_glyphs(font_data: bytes) -> set[int]:
    """The glyphs of ``font_data`` whose advance is an em (``hmtx``: each glyph after the
    last of its metrics advances as that one)."""
    found = [_table(font_data, tag) for tag in (b"head", b"hhea", b"hmtx", b"maxp")]
    if None in found:
        return set()
    head, hhea, hmtx, maxp = (table[0] for table in found if table is not None)
    em = _u16(font_data, head + 18)
    metrics = _u16(font_data, hhea + 34)
    glyphs = _u16(font_data, maxp + 4)
    # Each metric is an advance and a left side bearing, two big-endian 16-bit numbers.
    numbers = array.array("H", font_data[hmtx : hmtx + 4 * metrics])
    if sys.byteorder == "little":
        numbers.byteswap()
    advances = numbers[::2]
    wide = {glyph for glyph, advance in enumerate(advances) if advance == em}
    if advances and advances[-1] == em:
        wide.update(range(metrics, glyphs))
    return wide


def _table(font_data: bytes, tag: bytes) -> tuple[int, int] | None:
    """Where the table ``tag`` lies in ``font_data``: its offset and length."""
    _, count, *_ = _TABLE_DIRECTORY.unpack_from(font_data)
    for index in range(count):
        record = _TABLE_RECORD.unpack_from(
            font_data, _TABLE_DIRECTORY.size + index * _TABLE_RECORD.size
        )
        if record[0] == tag:
            return record[2], record[3]
    return None


def _u16(data: bytes | bytearray, offset: int) -> int:
    value: int = _U16.unpack_from(data, offset)[0]
    return value


def _clear_kerning(gpos: bytearray, wide: set[int]) -> bool:
    """Zero, in the GPOS table ``gpos``, the values of the ``kern`` feature's pairs that have
    a glyph of ``wide`` on either side; whether any was not zero."""
    feature_list, lookup_list = _u16(gpos, 6), _u16(gpos, 8)
    lookups: set[int] = set()
    for index in range(_u16(gpos, feature_list)):
        record = feature_list + 2 + 6 * index
        if bytes(gpos[record : record + 4]) != b"kern":
            continue
        feature = feature_list + _u16(gpos, record + 4)
        count = _u16(gpos, feature + 2)
        lookups.update(_u16(gpos, feature + 4 + 2 * i) for i in range(count))
    before = bytes(gpos)
    for index in sorted(lookups):
        lookup = lookup_list + _u16(gpos, lookup_list + 2 + 2 * index)
        kind = _u16(gpos, lookup)
        for i in range(_u16(gpos, lookup + 4)):
            subtable = lookup + _u16(gpos, lookup + 6 + 2 * i)
            subtable_kind = kind
            if kind == _EXTENSION:
                subtable_kind = _u16(gpos, subtable + 2)
                subtable += _U32.unpack_from(gpos, subtable + 4)[0]
            if subtable_kind == _PAIR:
                _clear_pairs(gpos, subtable, wide)
    return gpos != before


def _clear_pairs(gpos: bytearray, subtable: int, wide: set[int]) -> None:
    """Zero the values of a pair adjustment subtable's pairs that have a glyph of ``wide`` on
    either side (format 1: glyph pairs) or a class of such glyphs only (format 2: class
    pairs; a class with a narrower glyph in it is kept)."""
    pair_format = _u16(gpos, subtable)
    first_glyphs = _coverage(gpos, subtable + _u16(gpos, subtable + 2))
    size1 = 2 * bin(_u16(gpos, subtable + 4)).count("1")
    size2 = 2 * bin(_u16(gpos, subtable + 6)).count("1")
    values = size1 + size2
    if pair_format == 1:
        for index, first in enumerate(first_glyphs):
            pair_set = subtable + _u16(gpos, subtable + 10 + 2 * index)
            for record in range(_u16(gpos, pair_set)):
                at = pair_set + 2 + record * (2 + values)
                if first in wide or _u16(gpos, at) in wide:
                    gpos[at + 2 : at + 2 + values] = bytes(values)
    elif pair_format == 2:
        classes1 = _classes(gpos, subtable + _u16(gpos, subtable + 8))
        classes2 = _classes(gpos, subtable + _u16(gpos, subtable + 10))
        count1, count2 = _u16(gpos, subtable + 12), _u16(gpos, subtable + 14)
        members1: dict[int, set[int]] = {}
        for glyph in first_glyphs:
            members1.setdefault(classes1.get(glyph, 0), set()).add(glyph)
        members2: dict[int, set[int]] = {}
        for glyph, value in classes2.items():
            members2.setdefault(value, set()).add(glyph)
        # Class 0 of the second glyph is every glyph no class lists: never all wide.
        wide1 = {value for value, glyphs in members1.items() if glyphs <= wide}
        wide2 = [value for value, glyphs in members2.items() if value and glyphs <= wide]
        row = count2 * values
        for class1 in range(count1):
            at = subtable + 16 + class1 * row
            if class1 in wide1:
                gpos[at : at + row] = bytes(row)
                continue
            for class2 in wide2:
                cell = at + class2 * values
                gpos[cell : cell + values] = bytes(values)


def _coverage(gpos: bytearray, table: int) -> list[int]:
    """The glyphs of a coverage table, in coverage order."""
    if _u16(gpos, table) == 1:
        return [_u16(gpos, table + 4 + 2 * i) for i in range(_u16(gpos, table + 2))]
    glyphs: list[int] = []
    for i in range(_u16(gpos, table + 2)):
        record = table + 4 + 6 * i
        glyphs.extend(range(_u16(gpos, record), _u16(gpos, record + 2) + 1))
    return glyphs


def _classes(gpos: bytearray, table: int) -> dict[int, int]:
    """The glyphs a class definition table lists, each with its class."""
    if _u16(gpos, table) == 1:
        first, count = _u16(gpos, table + 2), _u16(gpos, table + 4)
        return {first + i: _u16(gpos, table + 6 + 2 * i) for i in range(count)}
    classes: dict[int, int] = {}
    for i in range(_u16(gpos, table + 2)):
        record = table + 4 + 6 * i
        value = _u16(gpos, record + 4)
        classes.update(dict.fromkeys(range(_u16(gpos, record), _u16(gpos, record + 2) + 1), value))
    return classes
