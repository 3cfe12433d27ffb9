"""Emphasis (``*text*``): dots beside each CJK character, under it in Chinese and over it in
Japanese, drawn in the PDF and asked of browsers with text-emphasis; bold for a Latin word
inside, and for English; never a slanted roman."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from test_justify import briefing_yaml, event

import briefgen
from briefgen.markdown import to_html
from conftest import READERS

#: The emphasised characters appear nowhere else in the documents below.
CHINESE = briefing_yaml(
    "著重號",
    "zh-Hant",
    events=[
        event(
            2020,
            "一件事",
            "這份文件說明*甲乙丙*三項原則，以及各項原則在實際運作中的限制。"
            "其中*丁戊 NATO 己*一節需要特別留意，因為它牽涉到多方的利益。",
        )
    ],
)
JAPANESE = briefing_yaml(
    "傍点",
    "ja",
    events=[event(2020, "一つの出来事", "この資料は*甲乙丙*の三つの原則と、その限界を説明する。")],
)
ENGLISH = briefing_yaml(
    "Emphasis", "en", events=[event(2020, "An event", "This is *really* the point.")]
)

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler")

#: Rendering resolution (pixels per point) for looking at the dots.
SCALE = 150 / 72


def test_each_cjk_character_of_an_emphasis_has_a_span_and_a_latin_word_one():
    html = to_html("這是*非常 NATO 重要*的事")
    assert html == (
        '<p>這是<em><span class="dot">非</span><span class="dot">常</span> '
        '<span class="word">NATO</span> <span class="dot">重</span><span class="dot">要</span>'
        "</em>的事</p>"
    )


def test_a_closing_mark_after_an_emphasis_moves_inside_it():
    """So that WeasyPrint can break before the last emphasised character (see markdown.py)."""
    assert to_html("說*重要*。」然後") == (
        '<p>說<em><span class="dot">重</span><span class="dot">要</span>。」</em>然後</p>'
    )
    assert to_html("*重要*然後") == (
        '<p><em><span class="dot">重</span><span class="dot">要</span></em>然後</p>'
    )


def test_an_emphasis_ending_or_starting_with_a_cjk_mark_closes_where_it_is_written():
    # CommonMark closes a run after a mark only before a space or another mark: the
    # emphasis ran on to the next asterisk, and these two were printed as they are written.
    assert to_html("說*重要的一點。*然後*再*說") == (
        '<p>說<em><span class="dot">重</span><span class="dot">要</span><span class="dot">的'
        '</span><span class="dot">一</span><span class="dot">點</span>。</em>然後<em><span '
        'class="dot">再</span></em>說</p>'
    )
    assert to_html("他說*「合作」*很好") == (
        '<p>他說<em>「<span class="dot">合</span><span class="dot">作</span>」</em>很好</p>'
    )
    assert to_html("**星號。**這是") == "<p><strong>星號。</strong>這是</p>"
    # Western text keeps CommonMark's rules: a `_` inside a word is a letter.
    assert to_html("snake_case_name 與 1*2*3") == (
        '<p>snake_case_name 與 1<em><span class="word">2</span></em>3</p>'
    )
    assert to_html("中*a.*b") == "<p>中*a.*b</p>"


def test_browsers_and_e_book_readers_are_asked_for_text_emphasis():
    for html in (
        briefgen.render_html(briefgen.loads(CHINESE)),
        briefgen.render_html(briefgen.loads(JAPANESE)),
    ):
        assert "text-emphasis: filled dot" in html
        assert "text-decoration: underline dotted" not in html
        assert "font-style: italic" not in html


def dots(pdf: bytes, characters: str, below: bool) -> dict[str, bool]:
    """For each of ``characters`` in the PDF: is there ink in the line gap just below it
    (``below``) or just above it, centred on it, where an emphasis dot goes?"""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[-1]
        number = page.page_number
        chars = [char for char in page.chars if char["text"] in characters]
    with tempfile.TemporaryDirectory() as folder:
        source, picture = Path(folder, "page.pdf"), Path(folder, "page")
        source.write_bytes(pdf)
        page_range = ["-f", str(number), "-l", str(number), "-singlefile"]
        command = ["pdftoppm", "-r", "150", *page_range, "-png", str(source), str(picture)]
        subprocess.run(command, check=True)
        image = Image.open(picture.with_suffix(".png")).convert("L")
    found = {}
    for char in chars:
        em = char["size"]
        middle = (char["x0"] + char["x1"]) / 2
        # Clear of the glyph itself, which may reach a little past its em box (説's top
        # stroke does, and its anti-aliased edge came within a tenth of an em when the text
        # moved by 0.04 pt). The dots lie 0.1–0.4 em off the box (Japanese) or 0.26–0.56
        # (Chinese), in the probe either way.
        top = char["bottom"] + 0.15 * em if below else char["top"] - 0.6 * em
        box = [middle - 0.2 * em, top, middle + 0.2 * em, top + 0.45 * em]
        region = image.crop(tuple(round(value * SCALE) for value in box))
        found[char["text"]] = region.getextrema()[0] < 100
    return found


@needs_poppler
def test_chinese_dots_sit_under_each_emphasised_character_and_nowhere_else():
    pdf = briefgen.render_pdf(briefgen.loads(CHINESE))
    assert dots(pdf, "甲乙丙丁戊己", below=True) == dict.fromkeys("甲乙丙丁戊己", True)
    # (Over the first line only: over the second are the first line's dots.)
    assert dots(pdf, "甲乙丙", below=False) == dict.fromkeys("甲乙丙", False)
    assert dots(pdf, "說明原則限制", below=True) == dict.fromkeys("說明原則限制", False)


@needs_poppler
def test_japanese_dots_sit_over_each_emphasised_character():
    pdf = briefgen.render_pdf(briefgen.loads(JAPANESE))
    assert dots(pdf, "甲乙丙", below=False) == dict.fromkeys("甲乙丙", True)
    assert dots(pdf, "甲乙丙", below=True) == dict.fromkeys("甲乙丙", False)
    # (Far enough to the right to have no heading above them.)
    assert dots(pdf, "限界説明", below=False) == dict.fromkeys("限界説明", False)


@pytest.mark.parametrize("read", READERS)
def test_the_dots_add_nothing_to_the_text(read):
    text = "".join(read(briefgen.render_pdf(briefgen.loads(CHINESE)))).replace("\n", "")
    assert "其中丁戊 NATO 己一節需要特別留意" in text or "其中丁戊NATO己一節需要特別留意" in text
    assert "說明甲乙丙三項原則" in text


@pytest.mark.parametrize("read", READERS)
def test_an_emphasis_copies_back_within_its_line(read):
    """Each dot is a picture (a form XObject), at which pypdf ends a line of text: drawn
    between the characters, they made the emphasis a character a line (``說明`` ``甲``
    ``乙`` ``丙三項原則``). The line's dots are drawn after its text."""
    chinese = read(briefgen.render_pdf(briefgen.loads(CHINESE)))
    lines = "\n".join(chinese).splitlines()
    assert any("這份文件說明甲乙丙三項原則" in line for line in lines)
    assert any(re.search("其中丁戊 ?NATO ?己一節", line) for line in lines)
    japanese = "\n".join(read(briefgen.render_pdf(briefgen.loads(JAPANESE))))
    assert "この資料は甲乙丙の三つの原則と、その限界を説明する。" in japanese.splitlines()


def fonts_of(pdf: bytes, word: str) -> set[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = [char for page in document.pages for char in page.chars]
    text = "".join(char["text"] for char in chars)
    start = text.index(word)
    return {char["fontname"].split("+")[-1] for char in chars[start : start + len(word)]}


def test_a_latin_word_in_chinese_emphasis_and_english_emphasis_are_bold_not_slanted():
    chinese = briefgen.render_pdf(briefgen.loads(CHINESE))
    assert fonts_of(chinese, "NATO") == {"briefgen-Noto-Sans-CJK-TC-Bold"}
    english = briefgen.render_pdf(briefgen.loads(ENGLISH))
    assert fonts_of(english, "really") == {"briefgen-Noto-Sans-CJK-TC-Bold"}
    assert fonts_of(english, "point") != {"briefgen-Noto-Sans-CJK-TC-Bold"}


@pytest.mark.parametrize("events", [1, 320])  # from 300 on, a child makes some documents
def test_the_epubs_emphasis_is_one_run_of_text_for_a_screen_reader(events):
    """The dots' spans are the PDF's alone: e-book readers draw the dots with text-emphasis,
    and a screen reader presents a span a character as that many separate characters (正式
    read out as 正, 式). In the EPUB an emphasis is its text, a Latin word in its own span."""
    source = briefing_yaml(
        "傍点",
        "ja",
        events=[
            event(1900 + index, f"出来事{index}", "鉄道が*正式に NATO 開業*した。")
            for index in range(events)
        ],
    )
    with zipfile.ZipFile(io.BytesIO(briefgen.render_epub(briefgen.loads(source)))) as book:
        names = sorted(name for name in book.namelist() if "/event-" in name)
        assert len(names) == events
        for name in (names[0], names[-1]):  # the build's own, and the child's
            emphasis = re.findall(r"<em>.*?</em>", book.read(name).decode())
            assert emphasis == ['<em>正式に <span class="word">NATO</span> 開業</em>']


def test_the_html_pages_emphasis_is_one_run_of_text_for_a_screen_reader():
    """As in the EPUB: browsers draw the dots with text-emphasis, and a span a character is
    read out as separate characters."""
    html = briefgen.render_html(briefgen.loads(JAPANESE))
    assert re.findall(r"<em>.*?</em>", html) == ["<em>甲乙丙</em>"]
