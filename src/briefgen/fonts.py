"""The fonts briefgen ships: describing them and cutting subsets.

Every output embeds only the glyphs it uses. Subsets are cut with HarfBuzz (``uharfbuzz``),
which is about a hundred times faster than fontTools on a 65,535-glyph CJK font.
"""

from __future__ import annotations

import array
import base64
import io
import struct
import sys
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import uharfbuzz as hb
from markupsafe import Markup

from .kerning import gpos_without_fixed_width_kerning
from .resources import resource_path


@dataclass(frozen=True)
class FontFace:
    """One shipped font file and the CSS family it is known by inside briefgen's documents."""

    family: str
    file: str
    weight: int
    postscript_name: str

    @property
    def path(self) -> Path:
        return resource_path("fonts", self.file)

    @property
    def css_name(self) -> str:
        return f'"{self.family}"'


@dataclass(frozen=True)
class UserFace(FontFace):
    """A font file of the briefing's own (``fonts:``), tried before the shipped face
    ``fallback``, which draws whatever character the file lacks."""

    location: Path = Path()
    fallback: FontFace | None = None
    version: tuple[int, int, int] = (0, 0, 0)
    """The file's size, modification time (ns) and inode when the face was made: a file
    saved again or replaced since is another face, so that nothing a long-running process
    keeps of the old one (its HarfBuzz face, its subsets, the characters it draws) stands in
    for it."""

    @property
    def path(self) -> Path:
        return self.location

    @property
    def media_type(self) -> str:
        return "font/ttf" if self.location.suffix.lower() == ".ttf" else "font/otf"


SERIF = FontFace(
    "briefgen Noto Serif CJK TC", "NotoSerifCJKtc-Regular.otf", 400, "NotoSerifCJKtc-Regular"
)
SANS_BOLD = FontFace(
    "briefgen Noto Sans CJK TC", "NotoSansCJKtc-Bold.otf", 700, "NotoSansCJKtc-Bold"
)
FACES: tuple[FontFace, ...] = (SERIF, SANS_BOLD)


#: How many faces HarfBuzz's readings are kept of: briefgen's two and the latest versions of
#: a few briefings' own. A worker that builds briefing after briefing, each with a font of its
#: own, would otherwise keep every font it ever read.
_FACES_KEPT = 16


@lru_cache(maxsize=_FACES_KEPT)
def _hb_face(face: FontFace) -> hb.Face:
    if isinstance(face, UserFace):
        # Read whole, not mapped into memory as HarfBuzz maps a file: a font saved again in
        # place while the process lives (watch, a worker) would be cut short under the
        # mapping, and the next read of it crash the process.
        return hb.Face(hb.Blob(face.path.read_bytes()))
    return hb.Face(hb.Blob.from_file_path(str(face.path)))


@lru_cache(maxsize=_FACES_KEPT)
def hb_font(face: FontFace) -> hb.Font:
    """HarfBuzz's font of ``face``, to shape or measure text in."""
    return hb.Font(_hb_face(face))


@lru_cache(maxsize=4 * _FACES_KEPT)
def name(face: FontFace, name_id: int) -> str | None:
    """An entry of the font's OpenType name table (1: family, 2: style, 13: licence), in
    English where the font has it; HarfBuzz reads it without decoding the table's
    neighbours, as fontTools does (its import alone took 40 ms of a build)."""
    found: str | None = _hb_face(face).get_name(name_id)
    return found


def covered(face: FontFace) -> frozenset[int]:
    """The code points the font has a glyph for."""
    return frozenset(_hb_face(face).unicodes)


@lru_cache(maxsize=_FACES_KEPT)
def glyph_set(face: FontFace) -> Container[int]:
    """:func:`covered`, as HarfBuzz holds it: asking it for one code point is as quick as
    asking a frozenset, and it is not copied into Python integers (44,000 of them in each
    shipped face, 8 ms each)."""
    drawn: Container[int] = _hb_face(face).unicodes
    return drawn


def subset(face: FontFace, text: Iterable[str], lang: str) -> bytes:
    """An OpenType subset of ``face`` with the glyphs for ``text``, localised for ``lang``.

    The shipped faces hold Simplified, Japanese and Korean forms of characters and
    punctuation, chosen by the ``locl`` feature from the text's language. Not every reader
    applies it (many e-book readers do not), and a Japanese book would then show Traditional
    forms. So briefgen applies ``locl`` here: each character's cmap entry points at the form
    HarfBuzz picks for ``lang``, and ``locl`` itself is dropped, which also leaves the other
    languages' forms out of the subset (half its size).

    The ligature features are dropped too, so fi, fl, ff, ffi and ffl are drawn letter by
    letter: the PDF embeds the subset as it is, and WeasyPrint then gives each glyph the one
    character the cmap maps to it as its text, so a glyph drawn for several letters copied
    back as nothing. The other layout features (``vert``, ``halt``, ``palt``, ``kern``…)
    are kept, but ``kern`` moves no glyph an em wide: full-width kana and marks
    are set solid (briefgen/kerning.py).

    Subsets are kept by (face, characters, language) for the life of the process, so that a
    batch, ``--format all`` or a rebuild does not cut the same subset twice.
    """
    return subsets({face: text}, lang)[face]


def subsets(
    texts: Mapping[FontFace, Iterable[str]], lang: str, always: str = ""
) -> dict[FontFace, bytes]:
    """:func:`subset` of each face for its text. Those not kept from an earlier build are
    cut at once on two cores, the largest here and the others in a child process forked
    for them (where one can be: briefgen/forked.py); every output needs a subset of each
    face, and for 1,000 events the serif's takes about 0.1 s and the sans's 0.07 s in turn.

    Each subset also keeps the characters of ``always`` (:data:`ALWAYS_DRAWN`) but those
    the face draws with the glyph of a character it keeps already (see :func:`_also`)."""
    keys = {}
    for face, text in texts.items():
        chars = frozenset("".join(text))
        chars |= _compositions(face, chars)
        keys[face] = (face, chars | _also(face, chars, always), lang)
    missing = [key for key in dict.fromkeys(keys.values()) if key not in _kept]
    # This process cuts the subset of the most characters, a child the others, where they
    # are worth the fork (a few milliseconds, and CPU time spent twice on its setup).
    missing.sort(key=lambda key: len(key[1]), reverse=True)
    if len(missing) > 1 and sum(len(key[1]) for key in missing[1:]) >= _FORK_FROM:
        from .forked import Forked

        mine, *theirs = missing
        child = Forked(lambda: [_cut_subset(*key) for key in theirs])
        try:
            _keep(mine, _cut_subset(*mine))
        except BaseException:
            child.stop()
            raise
        for key, data in zip(theirs, child.result(), strict=True):
            _keep(key, data)
    return {face: _kept_or_cut(key) for face, key in keys.items()}


_SubsetKey = tuple[FontFace, frozenset[str], str]


def _compositions(face: FontFace, chars: frozenset[str]) -> frozenset[str]:
    """The precomposed characters of ``face`` that HarfBuzz may draw for a letter and the
    combining marks after it among ``chars``. HarfBuzz composes a letter and its marks
    (decomposed, NFD, as text from a Mac often is) pair by pair into the font's precomposed
    glyph, ``e`` + U+0302 into ``ê`` and that + U+0303 into ``ễ``, and draws the marks
    themselves only where it cannot: a subset without ``ê`` drew the two marks the shipped
    faces lack, as empty boxes."""
    if not any(unicodedata.category(char).startswith("M") for char in chars):
        return frozenset()
    pairs = _composition_pairs(face)
    found: set[str] = set()
    while True:
        known = chars | found
        new = {
            composed
            for composed, (base, mark) in pairs.items()
            if base in known and mark in known and composed not in known
        }
        if not new:
            return frozenset(found)
        found |= new


@lru_cache(maxsize=_FACES_KEPT)
def _composition_pairs(face: FontFace) -> dict[str, tuple[str, str]]:
    """Each character of ``face`` that Unicode composes from two: its base and mark."""
    pairs = {}
    for code_point in _hb_face(face).unicodes:
        parts = unicodedata.decomposition(chr(code_point)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            base, mark = (chr(int(part, 16)) for part in parts)
            pairs[chr(code_point)] = (base, mark)
    return pairs


def _also(face: FontFace, chars: frozenset[str], always: str) -> frozenset[str]:
    """The characters of ``always`` to keep besides ``chars``: not one that ``face`` draws
    with the same glyph as a character kept before it. A PDF's text gives a glyph back as
    one character, the lowest code point its font maps to it: the bold sans draws · and ・
    with one glyph, and with both kept, a zh-Hant byline's ・ (and a name's, in a heading)
    copied back as the · that no text held."""
    font = hb_font(face)
    taken = {font.get_nominal_glyph(ord(char)) for char in chars}
    kept = set()
    for char in always:
        if char in chars:
            continue
        glyph = font.get_nominal_glyph(ord(char))
        if glyph is None or glyph not in taken:
            kept.add(char)
            taken.add(glyph)
    return frozenset(kept)


#: How many characters a child process must have to cut for one to be forked: about 20 ms
#: of HarfBuzz's work (the 13-event sample's subsets, 600 characters each, are cut in turn).
_FORK_FROM = 1000

#: The subsets cut in this process, the most recently used last; at most _KEEP of them.
_kept: OrderedDict[_SubsetKey, bytes] = OrderedDict()
_KEEP = 64


_kept_lock = threading.Lock()  # builds on several threads (watch's server, a caller's)


def _kept_or_cut(key: _SubsetKey) -> bytes:
    with _kept_lock:
        data = _kept.get(key)
    if data is None:
        data = _cut_subset(*key)
    _keep(key, data)
    return data


def _keep(key: _SubsetKey, data: bytes) -> None:
    with _kept_lock:
        _kept[key] = data
        _kept.move_to_end(key)
        while len(_kept) > _KEEP:
            _kept.popitem(last=False)


def _cut_subset(face: FontFace, chars: frozenset[str], lang: str) -> bytes:
    """The subset itself (see :func:`subset`)."""
    localized = _localized_glyphs(face, chars, lang)
    subset_input = hb.SubsetInput()
    for char in chars:
        if char in localized:
            subset_input.glyph_set.add(localized[char])
        else:
            subset_input.unicode_set.add(ord(char))
    layout_features = subset_input.sets(hb.SubsetInputSets.LAYOUT_FEATURE_TAG)
    for feature in _DROPPED_FEATURES:
        layout_features.remove(_tag(feature))
    # The proportional forms, which a Latin name or an English title in a CJK briefing asks
    # for (css/base.css): the subset's cmap points at the full-width ones there.
    layout_features.add(_tag("pwid"))
    # The pieces of outline the font's 65,000 glyphs share (CFF subroutines) written out
    # into each glyph: a subset of a few thousand glyphs uses few of them more than once,
    # so it is smaller once deflated (the sample EPUB's serif 173 KB instead of 196 KB,
    # 1,000 events' 1.55 MB instead of 1.63 MB) and HarfBuzz cuts it a third quicker, with
    # the same outlines and hints.
    subset_input.flags = hb.SubsetFlags.DESUBROUTINIZE
    plan = hb.SubsetPlan(_hb_face(face), subset_input)
    result = plan.execute()
    if result is None:
        raise RuntimeError(f"HarfBuzz could not subset {face.file}")
    old_to_new = plan.old_to_new_glyph_mapping
    data = _set_cmap(
        result.blob.data,
        set(map(ord, chars)),
        {ord(char): old_to_new[glyph] for char, glyph in localized.items()},
    )
    # Full-width kana and marks set solid, on their grid of ems (briefgen/kerning.py); the
    # letters of a Latin font of the briefing's own keep their kerning, an em wide or not.
    letters = _letter_glyphs(face, chars, localized, old_to_new)
    gpos = gpos_without_fixed_width_kerning(data, letters)
    return data if gpos is None else _with_table(data, b"GPOS", gpos)


#: The alphabets set proportionally, by how their letters' Unicode names begin (the full-width
#: forms' begin with FULLWIDTH). None of the shipped faces' letters is an em wide; a Latin font
#: of a briefing's own can have one: Liberation Serif Bold's W is 2048 units of 2048, and
#: taken for a full-width glyph it lost its kerning (Wa, AW, W. set apart).
_ALPHABETS = ("LATIN ", "GREEK ", "CYRILLIC ")


def _letter_glyphs(
    face: FontFace, chars: Iterable[str], localized: Mapping[str, int], old_to_new: hb.Map
) -> set[int]:
    """The subset's glyphs (``old_to_new``: the font's glyph to the subset's) of the
    letters of :data:`_ALPHABETS` among ``chars``."""
    font = hb_font(face)
    found = set()
    for char in chars:
        if not unicodedata.name(char, "").startswith(_ALPHABETS):
            continue
        glyph = localized.get(char)
        if glyph is None:
            glyph = font.get_nominal_glyph(ord(char))
        if glyph is not None and glyph in old_to_new:
            found.add(old_to_new[glyph])
    return found


#: Layout features no subset keeps. ``locl``: subset applies it itself. ``liga`` and
#: ``clig``: a ligature cannot copy back out of the PDF (see subset). The shipped fonts have
#: no ``clig``; it is named so that a font with one cannot bring the problem back. What is
#: lost is the joined drawing: in the serif face, an f's terminal now touches a following
#: f or l.
_DROPPED_FEATURES = ("locl", "liga", "clig")

#: The script a character with none of its own (a digit, a punctuation mark) is shaped in,
#: by language: what it takes from the CJK or Latin text around it.
_SCRIPT_FOR_COMMON_CHARACTERS = {"zh": "Hani", "ja": "Hani", "ko": "Hang", "en": "Latn"}

#: The curly quotation marks. The shipped faces are the Traditional Chinese ones, whose default
#: ‘ ’ “ ” fill a whole em, as Chinese sets them: English text drew “ fellow ” and don’ t with
#: a gap on either side. Their proportional forms are under the fonts' ``pwid`` feature (the
#: Korean ``locl`` gives Korean the same ones); only these marks take them, since ``pwid``
#: would also narrow the en and em spaces, whose width is their meaning.
_PROPORTIONAL_IN_ENGLISH = frozenset("\u2018\u2019\u201c\u201d")


def _localized_glyphs(face: FontFace, chars: Iterable[str], lang: str) -> dict[str, int]:
    """The characters whose glyph for ``lang`` differs from the font's default glyph, each
    with the glyph HarfBuzz shapes it to."""
    font = hb_font(face)
    primary = lang.split("-")[0].lower()
    common_script = _SCRIPT_FOR_COMMON_CHARACTERS.get(primary)
    localized = {}
    for char in chars:
        default = font.get_nominal_glyph(ord(char))
        if default is None:
            continue  # not in the font: reported by missing_glyphs, drawn as .notdef
        buffer = hb.Buffer()
        buffer.add_str(char)
        buffer.guess_segment_properties()
        if buffer.script in (None, "Zyyy", "Zinh", "Zzzz") and common_script:
            buffer.script = common_script
        buffer.language = lang
        proportional = primary == "en" and char in _PROPORTIONAL_IN_ENGLISH
        hb.shape(font, buffer, {"pwid": True} if proportional else {})
        [*glyphs] = buffer.glyph_infos
        if len(glyphs) == 1 and glyphs[0].codepoint not in (0, default):
            glyph = glyphs[0].codepoint
            if _narrowed(font, char, default, glyph):
                continue
            localized[char] = glyph
    return localized


def _narrowed(font: hb.Font, char: str, default: int, glyph: int) -> bool:
    """Whether ``glyph``, the localized form of a character Unicode defines as wide, is
    narrower than the default glyph. The bold sans's Japanese form of the nakaguro (・) is
    its narrow Latin middle dot (0.38 em): Japanese headings drew 直•骨 tight, and the PDF's
    text gave U+00B7 back for it, the code point the glyph is also drawn for."""
    if unicodedata.east_asian_width(char) not in ("W", "F"):
        return False  # ambiguous ones (“ ” in Korean) are proportional by design
    narrower: bool = font.get_glyph_h_advance(glyph) < font.get_glyph_h_advance(default)
    return narrower


def _set_cmap(font_data: bytes, code_points: set[int], localized: dict[int, int]) -> bytes:
    """``font_data`` whose Unicode cmap maps exactly ``code_points``, those in ``localized``
    to the (new) glyph given there.

    HarfBuzz also keeps every other code point that maps to a glyph it was asked for: the
    Simplified form of 骨 is the font's glyph for the radical ⻣ (U+2EE3), and a PDF reader
    would copy the lower code point, the radical. Only the cmap is decompiled and rebuilt:
    the glyph order is given as plain numbered names, so fontTools copies the CFF outlines
    through untouched (decompiling them would cost half a second).
    """
    if not localized:
        return font_data  # nothing was asked for by glyph, so no extra code points came along
    # Imported here: `check` and `--help` need this module but not fontTools.
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    font = TTFont(io.BytesIO(font_data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    glyph_names = [f"glyph{index}" for index in range(font["maxp"].numGlyphs)]
    font.setGlyphOrder(glyph_names)
    cmap = font["cmap"]
    unicode_tables = [t for t in cmap.tables if t.isUnicode() and t.format != 14]
    # 14 (variation sequences) is kept as it is; every other Unicode table gets one mapping.
    mapping = {
        code_point: glyph
        for table in unicode_tables
        for code_point, glyph in table.cmap.items()
        if code_point in code_points
    }
    mapping.update((code_point, glyph_names[glyph]) for code_point, glyph in localized.items())
    # When every character has a local form, HarfBuzz wrote no Unicode subtable at all; and
    # a format 12 table is needed only for a character beyond the BMP the font really has
    # (one that is not in the font must not make an empty table that readers would prefer).
    needed = [(3, 1, 4)] + ([(3, 10, 12)] if max(mapping, default=0) > 0xFFFF else [])
    for platform, encoding, table_format in needed:
        if cmap.getcmap(platform, encoding) is None:
            table = CmapSubtable.newSubtable(table_format)
            table.platformID, table.platEncID, table.language = platform, encoding, 0
            cmap.tables.append(table)
            unicode_tables.append(table)
    for table in unicode_tables:
        table.cmap = {
            code_point: glyph
            for code_point, glyph in mapping.items()
            if table.format != 4 or code_point <= 0xFFFF
        }
    return _with_table(font_data, b"cmap", cmap.compile(font))


_SFNT_HEADER = struct.Struct(">4sHHHH")  # version, number of tables, 3 search hints
_TABLE_RECORD = struct.Struct(">4sIII")  # tag, checksum, offset, length
_CHECKSUM_MAGIC = 0xB1B0AFBA  # head.checkSumAdjustment makes the whole file sum to this


def _with_table(font_data: bytes, tag: bytes, table: bytes) -> bytes:
    """``font_data`` (an OpenType font as HarfBuzz writes it) with its table ``tag``, which
    it must have, replaced by ``table``; every other table copied as it is, in the same
    order.

    fontTools' ``TTFont.save`` would do the same but sum every table again for its
    checksum, megabytes of outlines summed in Python: 0.06-0.12 s for each subset of
    1,000 events. The other tables keep the checksums their directory gives them; only
    the new table's, head's and the directory's are summed, and head's
    ``checkSumAdjustment`` is worked out from them as the OpenType specification says.
    """
    version, count, *search_hints = _SFNT_HEADER.unpack_from(font_data)
    records = [
        _TABLE_RECORD.unpack_from(font_data, _SFNT_HEADER.size + index * _TABLE_RECORD.size)
        for index in range(count)
    ]
    if tag not in {record[0] for record in records}:
        raise ValueError(f"the font has no {tag.decode()!r} table to replace")
    tables: dict[bytes, tuple[int, bytes]] = {}
    for record_tag, checksum, offset, length in records:
        data = font_data[offset : offset + length]
        if record_tag == tag:
            data = table
        elif record_tag == b"head":
            data = data[:8] + bytes(4) + data[12:]  # summed with no adjustment, as specified
        else:
            tables[record_tag] = checksum, data
            continue
        tables[record_tag] = _checksum(data), data
    # The tables in the order they were stored in, each at an offset of whole words.
    stored = [record[0] for record in sorted(records, key=lambda record: record[2])]
    offsets, offset = {}, _SFNT_HEADER.size + count * _TABLE_RECORD.size
    for name in stored:
        offsets[name] = offset
        offset += _padded(len(tables[name][1]))
    directory = _SFNT_HEADER.pack(version, count, *search_hints) + b"".join(
        _TABLE_RECORD.pack(name, tables[name][0], offsets[name], len(tables[name][1]))
        for name, *_ in records  # the directory keeps its own order (by tag)
    )
    total = _checksum(directory) + sum(checksum for checksum, _ in tables.values())
    if b"head" in tables:
        checksum, head = tables[b"head"]
        adjustment = (_CHECKSUM_MAGIC - total) & 0xFFFFFFFF
        tables[b"head"] = checksum, head[:8] + adjustment.to_bytes(4, "big") + head[12:]
    body = b"".join(
        tables[name][1] + bytes(_padded(len(tables[name][1])) - len(tables[name][1]))
        for name in stored
    )
    return directory + body


def _padded(length: int) -> int:
    """A table's length padded to a whole number of 32-bit words, as tables are stored."""
    return length + -length % 4


def _checksum(data: bytes) -> int:
    """The OpenType checksum of ``data``: its big-endian 32-bit words summed, modulo 2³²."""
    words = array.array("I", data + bytes(_padded(len(data)) - len(data)))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("ascii"), "big")


def font_face_css(url_for: Callable[[FontFace], str], faces: Iterable[FontFace] = FACES) -> Markup:
    """``@font-face`` rules for every face (the shipped ones unless ``faces`` says which),
    each pointing at ``url_for(face)``."""
    return Markup(
        "\n".join(
            f"@font-face {{ font-family: {face.css_name}; font-weight: {face.weight}; "
            f'font-style: normal; src: url("{url_for(face)}") format("opentype"); }}'
            for face in faces
        )
    )


def data_url(data: bytes) -> str:
    return "data:font/otf;base64," + base64.b64encode(data).decode("ascii")


#: Characters the renderers may draw on their own (list bullets, page numbers, leaders),
#: always kept in subsets.
ALWAYS_DRAWN = "".join(map(chr, range(0x20, 0x7F))) + "•◦▪·・…—–　"
