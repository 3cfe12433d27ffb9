"""Which characters the EPUB's stylesheet sets in which shipped face."""

from __future__ import annotations

import pytest

from briefgen import fonts
from briefgen.builders.epub_faces import characters_by_face

SERIF = f'"{fonts.SERIF.family}"'
SANS = f'"{fonts.SANS_BOLD.family}"'


def _page(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:svg="http://www.w3.org/2000/svg">'
        f"<head><title>標題不畫</title></head><body>{body}</body></html>"
    )


def _split(css: str, body: str) -> tuple[str, str]:
    found = characters_by_face([_page(body)], css, fonts.SERIF)
    return "".join(sorted(found[fonts.SANS_BOLD])), "".join(sorted(found[fonts.SERIF]))


BASE = f"html {{ font-family: {SERIF}, serif }} h1, .bold {{ font-family: {SANS}, sans-serif }}"


def test_rules_and_inheritance():
    bold, serif = _split(BASE, "<h1>甲<span>乙</span></h1>丙<p class='bold'>丁<i>戊</i></p>己")
    assert (bold, serif) == ("丁乙戊甲", "丙己")


def test_specificity_order_and_importance():
    css = (
        BASE
        + f" p.x {{ font-family: {SERIF} }}"
        + f" .y {{ font-family: {SERIF} }} .y {{ font-family: {SANS} }}"
    )
    assert _split(css, "<p class='bold x'>甲</p><p class='y'>乙</p>") == ("乙", "甲")
    css = BASE + f" .z {{ font-family: {SANS} !important }} #w {{ font-family: {SERIF} }}"
    assert _split(css, "<p class='z' id='w'>甲</p>") == ("甲", "")


def test_the_font_shorthand_inherit_and_unknown_families():
    css = (
        BASE
        + f" .a {{ font: 700 1em/1.2 {SANS}, sans-serif }} .b {{ font-family: inherit }}"
        + " code { font-family: monospace }"
    )
    # A family list that names no shipped face falls back to the serif (the reader may have
    # no CJK monospace).
    assert _split(css, "<p class='a'>甲<b class='b'>乙</b></p><code>丙</code>") == ("乙甲", "丙")


def test_generated_content_style_attributes_and_media_rules():
    css = (
        BASE
        + ' .sep > * + *::before { content: "・" attr(title) }'
        + f" @media screen {{ .m {{ font-family: {SANS} }} }}"
    )
    body = (
        "<p class='bold sep'><span>甲</span><span title='丁'>乙</span></p>"
        f"<p style='font-family: {SANS}'>丙</p><p class='m'>戊</p>"
    )
    assert _split(css, body) == ("・丁丙乙戊甲", "")


def test_svg_presentation_attributes_and_text_never_drawn():
    sans = fonts.SANS_BOLD.family
    body = (
        "<svg:svg><svg:title>題</svg:title><svg:desc>說明</svg:desc>"
        f"<svg:g font-family=\"'{sans}', sans-serif\"><svg:text>甲</svg:text></svg:g>"
        "<svg:text>乙</svg:text></svg:svg>"
    )
    assert _split(BASE, body) == ("甲", "乙")
    # A stylesheet rule beats the presentation attribute.
    css = BASE + f" text {{ font-family: {SERIF} }}"
    assert _split(css, body) == ("", "乙甲")


@pytest.mark.parametrize("selector", ["p:unknown-pseudo", "p::selection-nonsense"])
def test_selectors_it_cannot_read_are_skipped(selector):
    css = BASE + f" {selector} {{ font-family: {SANS} }}"
    assert _split(css, "<p>甲</p>") == ("", "甲")
