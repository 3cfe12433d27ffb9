"""A heading in the PDF never ends on a line of one or two characters when the line above
can spare them, and breaks between two phrases where it can (briefgen/justify.py)."""

from __future__ import annotations

import io
from typing import Any

import pdfplumber
import pytest
import weasyprint
from weasyprint.formatting_structure import boxes

import briefgen
from briefgen import fonts, justify

#: The font size of the headings below, and so the width of each of their characters.
SIZE = 20
STYLE = f"""{fonts.font_face_css(lambda face: face.path.as_uri())}
body {{ font-family: "briefgen Noto Sans CJK TC"; font-size: {SIZE}pt; margin: 0; }}
h1, p {{ font-size: {SIZE}pt; margin: 0; }}"""


def lines_of(html: str, width_in_characters: int, tag: str = "h1") -> list[str]:
    """The lines of the first ``tag`` laid out ``width_in_characters`` ems wide, as the PDF
    builder lays it out (inside the justification's context)."""
    document = (
        f'<html lang="zh-Hant"><style>{STYLE} {tag} {{ width: '
        f"{width_in_characters * SIZE + 1}pt }}</style>{html}</html>"
    )
    with justify.cjk_justification():
        page = weasyprint.HTML(string=document).render().pages[0]
    lines: list[str] = []

    def walk(box: Any, inside: bool) -> None:
        inside = inside or box.element_tag == tag
        if inside and isinstance(box, boxes.LineBox):
            lines.append(
                "".join(text.text for text in box.descendants() if isinstance(text, boxes.TextBox))
            )
            return
        for child in getattr(box, "children", []):
            walk(child, inside)

    walk(page._page_box, False)
    return lines


TITLE = "俄羅斯與朝鮮：忽近忽遠的七十餘年"


def test_a_heading_breaks_after_a_punctuation_mark_rather_than_leave_one_character():
    assert lines_of(f"<h1>{TITLE}</h1>", 15) == ["俄羅斯與朝鮮：", "忽近忽遠的七十餘年"]


def test_without_a_mark_to_break_after_the_fewest_characters_go_down():
    text = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"  # sixteen characters, no punctuation
    assert lines_of(f"<h1>{text}</h1>", 15) == [text[:13], text[13:]]


def test_a_mark_too_early_in_the_line_is_not_broken_after():
    # Breaking after the comma would leave the line above with two characters for the
    # fourteen below: the fewest characters go down instead.
    text = "甲乙，丙丁戊己庚辛壬癸子丑寅卯辰巳"
    assert lines_of(f"<h1>{text}</h1>", 16) == [text[:14], text[14:]]


def test_a_last_line_long_enough_still_starts_a_phrase_where_the_line_above_has_a_mark():
    # The Japanese title on A5 broke as 合成テスト用ブリーフィング：60／の出来事, the number cut
    # from its particle, while a break after ： was there to take.
    text = "合成テスト用ブリーフィング：60の出来事"
    for width in (16, 17):
        assert lines_of(f'<h1 lang="ja">{text}</h1>', width) == [text[:14], text[14:]]


def test_a_heading_breaks_before_a_bracket_rather_than_inside_a_word_in_it():
    # A long title on A4's cover broke as 七十餘年（長版工作簡／報，含圖片…）, 簡報 cut in two,
    # while a break before （ was there to take.
    text = "俄羅斯與朝鮮：忽近忽遠的七十餘年（長版工作簡報，含圖片、清單與引文）"
    for width in (19, 21):
        assert lines_of(f"<h1>{text}</h1>", width) == [text[:16], text[16:]]


def test_a_mark_too_early_in_the_line_leaves_a_long_enough_last_line_as_it_is():
    text = "甲乙，丙丁戊己庚辛壬癸子丑寅卯辰巳午未"
    assert lines_of(f"<h1>{text}</h1>", 15) == [text[:15], text[15:]]


def test_a_heading_whose_last_line_is_long_enough_is_left_as_it_is():
    text = "俄羅斯與朝鮮忽近忽遠的七十餘年關係"
    assert lines_of(f"<h1>{text}</h1>", 14) == [text[:14], text[14:]]


def test_other_blocks_keep_their_breaks():
    # Start-aligned text that is no heading: WeasyPrint's breaks, as they were.
    assert lines_of(f"<p>{TITLE}</p>", 15, tag="p") == [TITLE[:15], TITLE[15:]]


@pytest.fixture(scope="module")
def a5_first_page(sample: briefgen.Briefing) -> list[dict[str, Any]]:
    pdf = briefgen.render_pdf(sample, paper="A5")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return list(document.pages[0].chars)


def test_the_sample_title_on_a5_breaks_between_its_two_phrases(sample, a5_first_page):
    largest = max(round(char["size"], 1) for char in a5_first_page)
    title = [char for char in a5_first_page if round(char["size"], 1) == largest]
    rows: dict[int, str] = {}
    for char in sorted(title, key=lambda char: (round(char["top"]), char["x0"])):
        rows[round(char["top"])] = rows.get(round(char["top"]), "") + char["text"]
    assert "".join(rows.values()) == sample.title
    assert list(rows.values()) == ["俄羅斯與朝鮮：", "忽近忽遠的七十餘年"]
