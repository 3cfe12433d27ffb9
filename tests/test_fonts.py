"""The shipped fonts and the subsets cut from them."""

from __future__ import annotations

import io

import pytest
import uharfbuzz as hb
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.sfnt import calcChecksum

import briefgen
from briefgen import fonts
from briefgen.resources import resource_path
from conftest import READERS


def shape(font: hb.Font, text: str, language: str) -> list[int]:
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.language = language
    hb.shape(font, buffer, {})
    return [info.codepoint for info in buffer.glyph_infos]


def test_fonts_folder_stays_small_and_licensed():
    folder = resource_path("fonts")
    total = sum(path.stat().st_size for path in folder.iterdir())
    assert total < 45_000_000
    assert (folder / "LICENSE-OFL.txt").read_text().count("SIL OPEN FONT LICENSE") == 1


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.file)
def test_each_face_is_the_traditional_chinese_face_with_every_cjk_glyph(face):
    font = TTFont(face.path, lazy=True)
    assert font["name"].getDebugName(6) == face.postscript_name
    assert font["maxp"].numGlyphs == 65535
    covered = fonts.covered(face)
    for char in "繁體中文简体中文ひらがなカタカナ한국어":
        assert ord(char) in covered


LANGUAGES = ("zh-Hant", "zh-Hans", "ja", "ko")
# How many different drawings the four languages have: 述 has one each, 骨 is shared by
# Japanese and Korean, and the full-width comma sits in the middle of its box in
# Traditional Chinese and in the corner in the others.
LOCAL_FORMS = {"骨": 3, "述": 4, "，": 2}


def features(font_data: bytes, table: str) -> set[str]:
    return {
        record.FeatureTag
        for record in TTFont(io.BytesIO(font_data))[table].table.FeatureList.FeatureRecord
    }


def outline(font: hb.Font, glyph: int) -> list:
    pen = RecordingPen()
    font.draw_glyph_with_pen(glyph, pen)
    return pen.value


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.file)
def test_subset_draws_each_character_in_the_form_of_the_language(face):
    """Each character maps straight to its local form (``locl`` applied at subsetting), so
    readers that ignore ``lang`` and PDF text extraction get the right glyph."""
    full = hb.Font(hb.Face(hb.Blob(face.path.read_bytes())))
    drawings = {}
    for lang in LANGUAGES:
        data = fonts.subset(face, LOCAL_FORMS, lang)
        assert len(data) < 50_000
        subset = hb.Font(hb.Face(hb.Blob(data)))
        for char in LOCAL_FORMS:
            # Shaped after a Han character, as in running text: a comma has no script of
            # its own and takes the one of the text around it.
            _, expected = shape(full, "中" + char, lang)
            drawn = outline(subset, subset.get_nominal_glyph(ord(char)))
            assert drawn == outline(full, expected), (lang, char)
            drawings.setdefault(char, set()).add(str(drawn))
        assert "locl" not in features(data, "GSUB")
    # The test has teeth: the languages really do draw these differently.
    assert {char: len(forms) for char, forms in drawings.items()} == LOCAL_FORMS


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.file)
def test_subset_draws_every_character_of_the_sample_as_the_font_does(face):
    """The subset's outlines and advances are the font's own, though written out in full
    where the font shares pieces of them between glyphs (CFF subroutines)."""
    text = briefgen.sample_path().read_text(encoding="utf-8")
    full = hb.Font(hb.Face(hb.Blob(face.path.read_bytes())))
    subset = hb.Font(hb.Face(hb.Blob(fonts.subset(face, [text], "zh-Hant"))))
    drawn = 0
    for char in set(text) - set(LOCAL_FORMS):
        glyph = subset.get_nominal_glyph(ord(char))
        if glyph is None:  # not in the font (a line break)
            continue
        _, expected = shape(full, "中" + char, "zh-Hant")
        assert outline(subset, glyph) == outline(full, expected), char
        assert subset.get_glyph_h_advance(glyph) == full.get_glyph_h_advance(expected), char
        drawn += 1
    assert drawn > 500


def test_subset_keeps_the_layout_features_besides_locl():
    """Vertical forms and half-width punctuation stay available to the renderer."""
    data = fonts.subset(fonts.SERIF, ["「直」，"], "ja")
    assert {"vert", "vrt2"} <= features(data, "GSUB")
    assert {"halt", "palt", "vhal"} <= features(data, "GPOS")


@pytest.mark.parametrize("lang", [*LANGUAGES, "en"])
def test_subset_has_exactly_the_requested_characters(lang):
    # The Simplified 骨 is also the font's glyph for the radical ⻣: only 骨 may map to it.
    text = "朝鮮半島 1950骨，"
    subset = TTFont(io.BytesIO(fonts.subset(fonts.SERIF, [text], lang)))
    assert set(map(chr, subset.getBestCmap())) == set(text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_subset_with_a_new_cmap_is_written_as_fonttools_would(lang):
    """A subset whose cmap briefgen rewrote has the checksums OpenType asks for, and is the
    font fontTools itself would write. Every language has a local form here (the straight
    quote has one in each)."""
    text = '朝鮮半島 "1950" 骨述，'
    assert fonts._localized_glyphs(fonts.SANS_BOLD, text, lang)
    data = fonts.subset(fonts.SANS_BOLD, [text], lang)
    font = TTFont(io.BytesIO(data), checkChecksums=2)  # refuses a table's wrong checksum
    assert {chr(code_point) for code_point in font.getBestCmap()} == set(text)
    assert calcChecksum(data) == 0xB1B0AFBA  # head's checkSumAdjustment is right
    rewritten = io.BytesIO()
    TTFont(io.BytesIO(data), recalcTimestamp=False).save(rewritten, reorderTables=False)
    assert rewritten.getvalue() == data


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.file)
def test_a_letter_with_decomposed_marks_is_drawn_precomposed(face):
    """Vietnamese written decomposed (NFD: e, U+0302, U+0303), with no precomposed letter
    elsewhere in the text: the faces have no glyph for the marks alone, so HarfBuzz must find
    ê and then ễ in the subset to compose them into, or draws two empty boxes."""
    text = "Nguye\u0302\u0303n Tro\u0323ng"
    subset = hb.Font(hb.Face(hb.Blob(fonts.subset(face, [text], "zh-Hans"))))
    assert 0 not in shape(subset, text, "vi")


def test_a_table_the_font_lacks_is_not_silently_left_out():
    data = fonts.subset(fonts.SANS_BOLD, ["朝鮮"], "zh-Hant")
    with pytest.raises(ValueError, match="'DSIG'"):
        fonts._with_table(data, b"DSIG", b"")


# Each f-ligature of the fonts (fi, ffi, fl, ff, ffl), between Latin and CJK text.
LATIN = "The first official fluffy briefing, affirmed; baffled staff. Simplified 與 official 文件"


@pytest.mark.parametrize("lang", [*LANGUAGES, "en"])
@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.file)
def test_shaped_text_maps_back_through_the_cmap_glyph_for_character(face, lang):
    """The PDF embeds the subsets as they are and gives each glyph the text its cmap maps to
    it (see builders/pdf.py): so shaping may not draw several characters as one glyph, as
    the fonts' ``liga`` feature does for fi, fl, ff, ffi and ffl, which copied back as
    nothing."""
    text = LATIN + "".join(LOCAL_FORMS)
    data = fonts.subset(face, [text], lang)
    subset = hb.Font(hb.Face(hb.Blob(data)))
    # As WeasyPrint reads it: each glyph gives back the lowest code point that maps to it.
    to_text: dict[int, str] = {}
    for code_point in sorted(subset.face.unicodes):
        to_text.setdefault(subset.get_nominal_glyph(code_point), chr(code_point))
    for word in text.split():
        assert "".join(to_text.get(glyph, "?") for glyph in shape(subset, word, lang)) == word


@pytest.mark.parametrize("lang", [*LANGUAGES, "en"])
@pytest.mark.parametrize("extra", ["💷", "𢂾", "𠀋"], ids=["emoji", "missing-ext-b", "ext-b"])
def test_a_character_beyond_the_bmp_keeps_the_rest_of_the_cmap(lang, extra):
    """Found by the property tests: one emoji in a briefing made an empty format 12 cmap
    table, which readers prefer to the full format 4 one, and every character printed as a
    box. Whether or not the font has the character, every other one stays mapped."""
    text = "朝鮮骨，ABC" + extra
    subset = TTFont(io.BytesIO(fonts.subset(fonts.SERIF, [text], lang)))
    expected = {char for char in text if ord(char) in fonts.covered(fonts.SERIF)}
    for table in subset["cmap"].tables:
        if table.isUnicode() and table.format != 14:
            assert set(map(chr, table.cmap)) == {
                char for char in expected if table.format != 4 or ord(char) <= 0xFFFF
            }, (table.format, lang)


def test_glyph_set_holds_the_code_points_the_face_covers():
    # coverage.py asks HarfBuzz's own set one code point at a time; it must answer as the
    # copied set does, inside and outside the planes the faces cover.
    for face in fonts.FACES:
        covered = fonts.covered(face)
        drawn = fonts.glyph_set(face)
        assert all((point in drawn) == (point in covered) for point in range(0, 0x30000, 3))
        assert all(point in drawn for point in covered)


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.file)
def test_a_wide_character_keeps_its_full_width_in_every_language(face):
    """The bold sans's Japanese form of ・ is its narrow Latin middle dot: Japanese headings
    drew 直•骨 tight, and copied U+00B7 back. A character Unicode defines as wide keeps the
    font's full-width glyph, and its own code point."""
    data = fonts.subset(face, ["直・骨·"], "ja")
    font = TTFont(io.BytesIO(data))
    cmap = font.getBestCmap()
    assert cmap[0x30FB] != cmap[0xB7]
    assert font["hmtx"][cmap[0x30FB]][0] == font["head"].unitsPerEm


@pytest.mark.slow
@pytest.mark.parametrize("read", READERS)
@pytest.mark.parametrize(
    ("lang", "name", "separator"),
    [
        ("zh-Hant", "弗拉基米爾・普丁", "・"),
        ("en", "Anne·Marie", " · "),
    ],
)
def test_a_middle_dot_in_bold_copies_back_as_written(read, lang, name, separator):
    """The bold sans draws · and ・ with one glyph; both were always kept in its subset, and
    the PDF gave that glyph back as ·: a zh-Hant byline's ・, a person's name written with
    ・. Each copies back as the character the text has."""
    source = (
        f"title: T\nlang: {lang}\nauthors: [甲編輯, 乙編輯]\n"
        f"events: [{{start: 1950, title: E, people: [{name}]}}]\n"
        f"people: [{{name: {name}}}]\n"
    )
    text = "".join(read(briefgen.render_pdf(briefgen.loads(source))))
    assert f"甲編輯{separator}乙編輯" in text
    assert name in text


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.file)
def test_english_curly_quotes_are_proportional_and_chinese_ones_full_width(face):
    """The shipped faces' default “ ” ‘ ’ fill an em, as Chinese sets them: English drew
    “ fellow traveller ” and don’ t. English takes the fonts' proportional forms; Chinese
    keeps its full-width ones, and the em space its em."""
    text = "“fellow” don’t ‘so’\u2003"
    for lang, full_width in (("en", False), ("zh-Hant", True)):
        font = TTFont(io.BytesIO(fonts.subset(face, [text], lang)))
        cmap, em = font.getBestCmap(), font["head"].unitsPerEm
        widths = {char: font["hmtx"][cmap[ord(char)]][0] for char in "“”‘’"}
        assert {char: width == em for char, width in widths.items()} == dict.fromkeys(
            "“”‘’", full_width
        ), lang
        assert font["hmtx"][cmap[0x2003]][0] == em
