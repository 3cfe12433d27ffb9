"""The EPUB's front cover: line breaking for the title, and the picture itself."""

from __future__ import annotations

import dataclasses
import io
import itertools

import pytest
from PIL import Image

import briefgen
from briefgen.builders.epub_cover import (
    _NO_LINE_END,
    _NO_LINE_START,
    HEIGHT,
    WIDTH,
    break_lines,
    cover_png,
    cover_texts,
)
from conftest import runs_of_true


def _one_per_character(text: str) -> float:
    return float(len(text))


def test_a_cjk_title_breaks_after_its_phrase():
    lines = break_lines("俄羅斯與朝鮮：忽近忽遠的七十餘年", _one_per_character, 10)
    assert lines == ["俄羅斯與朝鮮：", "忽近忽遠的七十餘年"]


def test_cjk_lines_are_even_and_keep_the_kinsoku_rules():
    text = "「日本」と「ロシア」の関係は、長い時間をかけて少しずつ変わってきた。そして今も続く。"
    for width in range(6, 30):
        lines = break_lines(text, _one_per_character, width)
        assert "".join(lines) == text
        assert all(len(line) <= width for line in lines)
        assert not any(line[0] in _NO_LINE_START for line in lines[1:])
        assert not any(line[-1] in _NO_LINE_END for line in lines[:-1])


@pytest.mark.parametrize(
    "text",
    ["Russia and North Korea: Seventy Years of Closeness", "러시아와 북한: 가깝고도 먼 칠십여 년"],
)
def test_latin_and_hangul_break_only_between_words(text):
    for width in range(len(max(text.split(), key=len)), len(text) + 1):
        lines = break_lines(text, _one_per_character, width)
        assert " ".join(lines) == text and all(len(line) <= width for line in lines)


def test_a_word_longer_than_the_line_breaks_anywhere():
    lines = break_lines("Supercalifragilistic", _one_per_character, 6)
    assert "".join(lines) == "Supercalifragilistic" and all(len(line) <= 6 for line in lines)


def test_the_cover_shows_title_subtitle_and_date(sample):
    assert cover_texts(sample) == [
        "俄羅斯與朝鮮：忽近忽遠的七十餘年",
        "1945年至2023年兩國關係大事紀",
        "2023年9月13日",
    ]
    bare = dataclasses.replace(sample, subtitle=None, date=None)
    assert cover_texts(bare) == [sample.title]


def _ink_runs(text: str, size: int) -> list[tuple[int, int]]:
    """The columns with ink, run by run, of ``text`` drawn as the cover draws a line."""
    from PIL import ImageDraw

    from briefgen import fonts
    from briefgen.builders.epub_cover import _Block, _draw_block

    picture = Image.new("RGB", (WIDTH, 2 * size), (255, 255, 255))
    _draw_block(
        ImageDraw.Draw(picture), _Block(text, fonts.SERIF, size, size, (0, 0, 0), 200), 0, "zh-Hant"
    )
    grey = picture.convert("L")
    inked = [grey.crop((x, 0, x + 1, 2 * size)).getextrema()[0] < 160 for x in range(WIDTH)]
    return runs_of_true(inked)


def test_a_quarter_em_sets_digits_apart_from_han_on_the_cover():
    # 2, 0, 2, 3 and 年 in five runs of ink: the space before 年 is the digits' own spacing
    # and a quarter em more (13.5 px at 54 px), as the PDF and the book's text set it.
    runs = _ink_runs("2023年", 54)
    assert len(runs) == 5
    spaces = [after[0] - before[1] for before, after in itertools.pairwise(runs)]
    assert spaces[-1] - max(spaces[:-1]) >= 0.2 * 54


def test_the_cover_is_a_small_reproducible_png(sample):
    data = cover_png(sample)
    picture = Image.open(io.BytesIO(data))
    assert (picture.format, picture.size, picture.mode) == ("PNG", (WIDTH, HEIGHT), "P")
    assert len(data) < 40_000
    assert cover_png(sample) == data
    # A different title draws a different picture.
    assert cover_png(dataclasses.replace(sample, title="另一個標題")) != data


@pytest.mark.parametrize("lang", ["ja", "ko", "en", "zh-Hans"])
def test_very_long_titles_still_fit(sample, lang):
    long = dataclasses.replace(sample, lang=lang, title="長い題名 " * 60, subtitle="副題 " * 80)
    picture = Image.open(io.BytesIO(cover_png(long)))
    assert picture.size == (WIDTH, HEIGHT)


def test_the_epub_cover_item_is_this_picture(sample):
    import zipfile

    book = zipfile.ZipFile(io.BytesIO(briefgen.render_epub(sample)))
    assert book.read("EPUB/images/front-cover.png") == cover_png(briefgen.pipeline.prepare(sample))
