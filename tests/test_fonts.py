"""The shipped fonts and the subsets cut from them."""

from __future__ import annotations

import io

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont

from briefgen import fonts
from briefgen.resources import resource_path


def shape(font_data: bytes, text: str, language: str) -> list[int]:
    font = hb.Font(hb.Face(hb.Blob(font_data)))
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


@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.file)
def test_subset_keeps_local_forms_for_each_language(face):
    """``locl`` must survive subsetting: 骨 and 直 differ between TC, SC and JP."""
    subset = fonts.subset(face, ["骨直"])
    assert len(subset) < 50_000
    traditional = shape(subset, "骨直", "zh-Hant")
    simplified = shape(subset, "骨直", "zh-Hans")
    japanese = shape(subset, "骨直", "ja")
    assert len({tuple(traditional), tuple(simplified), tuple(japanese)}) == 3
    full = face.path.read_bytes()
    assert len(set(shape(full, "骨直", "zh-Hans"))) == 2  # same shaping, full font or subset


def test_subset_has_exactly_the_requested_characters():
    subset = TTFont(io.BytesIO(fonts.subset(fonts.SERIF, ["朝鮮半島 1950"])))
    assert set(map(chr, subset.getBestCmap())) == set("朝鮮半島 1950")
