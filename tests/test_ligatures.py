"""Latin words with f-ligature pairs (fi, fl, ff, ffi, ffl) copy out of the PDF as written.

WeasyPrint embeds briefgen's subsets as they are (``full_fonts``) and gives each glyph the
text its cmap maps to it, so a glyph drawn for two or three letters copied back as nothing.
"""

from __future__ import annotations

import re

import pytest

import briefgen
from briefgen.colophon import font_notes
from conftest import READERS

pytestmark = pytest.mark.slow

SENTENCE = "The first official fluffy briefing, affirmed in the office"
ENGLISH = f"""
title: {SENTENCE}
lang: en
events:
  - start: 1950
    title: {SENTENCE}
    body: "{SENTENCE}. It baffled the staff."
"""
# Each f-ligature of the fonts at least once: fi, ffi, fl, ff and ffl.
ENGLISH_WORDS = ["first", "official", "fluffy", "briefing", "affirmed", "office", "baffled"]

MIXED = "Simplified 與 official 文件"
CHINESE = f"""
title: {MIXED}
lang: zh-Hant
events:
  - start: 1950
    title: {MIXED}
    body: {MIXED}
"""


def latin_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", text)


#: The colophon's Latin words: the fonts' names and licence, briefgen's licence, and (in
#: English) its labels and the build date's month, 14 November 2023.
EPOCH = 1700000000
COLOPHON = " ".join(
    [note.name + " " + note.licence for note in font_notes()]
    + ["MIT", "Made with Built Fonts Licence November"]
)


@pytest.fixture(scope="module")
def english_pdf() -> bytes:
    return briefgen.render_pdf(briefgen.loads(ENGLISH), source_date_epoch=EPOCH)


@pytest.fixture(scope="module")
def chinese_pdf() -> bytes:
    return briefgen.render_pdf(briefgen.loads(CHINESE), source_date_epoch=EPOCH)


@pytest.mark.parametrize("read", READERS)
def test_english_words_with_ligatures_copy_back_as_written(english_pdf, read):
    pages = read(english_pdf)
    # Lines wrap where the page decides: compare with the line breaks read as spaces.
    assert SENTENCE in " ".join(pages[0].split())
    assert f"{SENTENCE}. It baffled the staff." in " ".join(" ".join(pages).split())
    # No letters lost or read back as something else anywhere on the pages, the running
    # header, the table of contents and the colophon included.
    words = set(latin_words(" ".join(pages)))
    assert set(ENGLISH_WORDS) <= words
    for word in words:
        assert word in ENGLISH + "Contents Page of briefgen" + COLOPHON, word


@pytest.mark.parametrize("read", READERS)
def test_latin_inside_chinese_copies_back_as_written(chinese_pdf, read):
    pages = read(chinese_pdf)
    assert MIXED in " ".join(pages[0].split())
    # The title, the contents, the event's heading and its body.
    assert " ".join(" ".join(pages).split()).count(MIXED) >= 4
    found = set(latin_words(" ".join(pages))) - set(latin_words(COLOPHON))
    assert found == {"Simplified", "official", "briefgen"}
