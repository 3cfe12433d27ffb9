"""The CJK dash (——) and ellipsis (……) in the PDF: whole, never at the start of a line, and
copied back as written (briefgen/markdown.py keeps them on a line, briefgen/pdf_text.py
gives the joined dash its text)."""

from __future__ import annotations

import pytest
from test_justify import briefing_yaml, event, pdf_lines

import briefgen
from conftest import READERS

# One paragraph for every place the dash or the ellipsis can fall in a line of the A4
# column, so that for some of them the line would break just before it.
LENGTHS = range(36, 52)
PARAGRAPHS = [f"{'國' * length}{mark}{'家' * 12}。" for length in LENGTHS for mark in ("——", "……")]
MARKS = briefing_yaml(
    "破折號與刪節號",
    "zh-Hant",
    events=[event(2020, "破折號——與刪節號", *PARAGRAPHS)],
)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return briefgen.render_pdf(briefgen.loads(MARKS))


@pytest.mark.slow
def test_no_line_starts_with_a_dash_or_an_ellipsis(pdf):
    lines, _ = pdf_lines(pdf)
    texts = [line.text for line in lines if "國" in line.text or "家" in line.text]
    assert len(texts) >= len(PARAGRAPHS) * 2
    assert [text for text in texts if text[0] in "—…"] == []
    # The case the rule is for happened: a line broke just before a dash, and the character
    # before it moved down with it.
    assert any(text.startswith("國——") for text in texts)


@pytest.mark.slow
@pytest.mark.parametrize("read", READERS)
def test_the_dash_copies_back_as_two_em_dashes(pdf, read):
    text = "".join(read(pdf)).replace("\n", "")
    for paragraph in PARAGRAPHS:
        assert paragraph in text
    assert "破折號——與刪節號" in text


def test_the_html_keeps_the_mark_with_the_character_before_it():
    html = briefgen.render_html(briefgen.loads(MARKS))
    assert '國<span class="nobreak">國——</span>家' in html
    assert '<span class="nobreak">號——</span>與刪節號' in html


# Lines spread to the column's edge, with the dash inside one and ending the other: a Latin
# word too long to fit after 43 ems of text leaves two ems to spread over each line.
SPREAD = briefing_yaml(
    "破折號",
    "zh-Hant",
    events=[
        event(
            2020,
            "破折號",
            f"{'國' * 5}——{'國' * 36}Vladivostokkhasanrailway 家家家家家。",
            f"{'國' * 41}——Vladivostokkhasanrailway 家家家家家。",
        )
    ],
)


@pytest.mark.slow
def test_a_spread_line_spaces_the_dash_as_one_glyph():
    # Noto CJK draws —— as one glyph: the spacing after it is the line's, as before it, and
    # a line it ends is flush with the column's edge (a line counted two spacings in the
    # dash but drew one, and ended short by it).
    lines, _ = pdf_lines(briefgen.render_pdf(briefgen.loads(SPREAD)))
    spread = [line for line in lines if "——" in line.text and line.text.startswith("國")]
    assert [line.text[-1] for line in spread] == ["國", "—"]
    middle, ending = spread
    dash = next(index for index, char in enumerate(middle.chars) if char["text"] == "——")
    before = middle.chars[dash]["x0"] - middle.chars[dash - 1]["x1"]
    after = middle.chars[dash + 1]["x0"] - middle.chars[dash]["x1"]
    between = middle.chars[1]["x0"] - middle.chars[0]["x1"]
    assert before > 0.3  # spread: two ems over 42 places
    assert abs(after - before) < 0.05 and abs(between - before) < 0.05
    assert abs(ending.x1 - middle.x1) < 0.05


# The range mark a Japanese or Chinese keyboard types, ～ (U+FF5E), at every place of the
# A4 column, in Japanese.
TILDES = [f"{'国' * length}～{'家' * 12}。" for length in LENGTHS]
TILDE = briefing_yaml("範囲", "ja", events=[event(2020, "新青森～新函館", *TILDES)])


@pytest.mark.slow
def test_no_line_starts_with_a_full_width_tilde():
    """UAX #14 breaks before ～ as before a Han character, and a Japanese briefing's line
    began 「～新函館北斗間」; jlreq (a hyphen) and GB/T 15834 (a connector) forbid it."""
    lines, _ = pdf_lines(briefgen.render_pdf(briefgen.loads(TILDE)))
    texts = [line.text for line in lines if "国" in line.text or "家" in line.text]
    assert len(texts) >= len(TILDES) * 2
    assert [text for text in texts if text[0] == "～"] == []
    assert any(text.startswith("国～") for text in texts)


def test_the_html_keeps_a_full_width_tilde_with_the_character_before_it():
    html = briefgen.render_html(briefgen.loads(TILDE))
    assert '<span class="nobreak">森～</span>新函館' in html
