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


def test_emphasis_marks_in_the_face_of_the_text_they_mark():
    css = (
        BASE
        + " em { -webkit-text-emphasis: filled dot; text-emphasis: filled dot }"
        + " em .word { text-emphasis: none } .open { text-emphasis-style: open sesame }"
        + ' .mine { text-emphasis: "*" red }'
    )
    # Inherited into the bold sans; none for a Latin word; open shapes and strings.
    bold, serif = _split(
        css, "<p>甲<em>乙<b class='bold'>丙</b><span class='word'>A</span></em></p>"
    )
    assert (bold, serif) == ("•丙", "A•乙甲")
    assert _split(css, "<p class='open'>甲</p><p class='mine'>乙</p>") == ("", "*乙甲\ufe46")


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


# Selectors of every kind a user's template might use, each setting the bold sans: matched
# once per element signature (briefgen/builders/selector_cache.py), they must pick the same
# elements as matching each element does.
_SELECTORS = [
    "li:nth-child(3)",
    "li:nth-child(2n of .tag)",
    "li + li + li",
    "li:last-child",
    "li:nth-last-of-type(2)",
    ".tag ~ .person",
    "li:first-child",
    "p.q:empty + p",
    "section:has(.x) p",
    "div:has(+ ul)",
    "#special",
    "[data-x='1']",
    "a:local-link",
    ":lang(ja) span",
    "ul:last-child li",
    "section > div:only-of-type",
    "h2 + p + p",
    "li:not(.tag) a",
]


def _section(n: int) -> str:
    """The ``n``-th of sections of varying shape, each text a character of its own."""
    chars = iter(chr(0x4E00 + 100 * n + i) for i in range(100))
    items = "".join(
        f"<li class='{('tag', 'person')[(n + i) % 2]}'><a href='{('#', 'http://x.org/')[i % 2]}"
        f"{n}'>{next(chars)}</a>{next(chars)}</li>"
        for i in range(n % 5)
    )
    lang = ("ja", "ko", "zh")[n % 3]
    return (
        f"<section lang='{lang}'>"
        + (f"<ul>{items}</ul>" if items else "")
        + f"<h2>{next(chars)}</h2><p data-x='{n % 2}'>{next(chars)}</p>"
        + ("<p></p>" if n % 4 == 0 else "")
        + f"<p id='{'special' if n == 7 else f's{n}'}'>{next(chars)}<span>{next(chars)}</span></p>"
        + f"<p class='q'>{next(chars) if n % 3 else ''}</p><p class='q'>{next(chars)}</p>"
        + f"<div><b class='{('y', 'x')[n % 2]}'>{next(chars)}</b></div>"
        + (f"<ul>{items}</ul>" if items else "")
        + "</section>"
    )


@pytest.mark.parametrize("selector", _SELECTORS)
def test_matching_once_per_signature_picks_what_matching_each_element_picks(selector, monkeypatch):
    from briefgen.builders import selector_cache

    css = BASE + f" {selector} {{ font-family: {SANS} }}"
    # One section a page, so that sections of different shapes share their places, and all
    # of them on one page.
    pages = [_page(_section(n)) for n in range(16)]
    pages.append(_page("".join(_section(n) for n in range(16))))
    # Pages alike but for an empty paragraph.
    pages += [_page(f"<p class='q'>{'' if n else '乙'}</p><p class='q'>甲{n}</p>") for n in (0, 1)]
    cached = characters_by_face(pages, css, fonts.SERIF)
    made = selector_cache.SignatureMatcher.__init__

    def uncached(self, *args):
        made(self, *args)
        self.cached = False  # every element matched on its own

    monkeypatch.setattr(selector_cache.SignatureMatcher, "__init__", uncached)
    each = characters_by_face(pages, css, fonts.SERIF)
    assert cached == each
    assert each[fonts.SANS_BOLD] and each[fonts.SERIF]  # the selector picks some, not all


def test_a_books_own_documents_give_the_characters_matching_each_element_gives(monkeypatch):
    """briefgen's own stylesheet on the documents of a book whose events vary in shape (a
    picture, lists, links, people, tags): the children's signatures, worked out once for
    each parent and children alike, find what matching every element finds."""
    import sys

    import briefgen
    from briefgen.builders import epub as epub_builder
    from briefgen.builders import selector_cache
    from briefgen.options import BuildOptions
    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    from generate import briefing_yaml

    briefing = briefgen.loads(briefing_yaml(40))
    options = BuildOptions()
    documents = [d.xhtml for d in epub_builder.content_documents(briefing, options)]
    css = epub_builder._stylesheet(briefing, options)
    cached = characters_by_face(documents, css, fonts.SERIF)
    made = selector_cache.SignatureMatcher.__init__

    def uncached(self, *args):
        made(self, *args)
        self.cached = False

    monkeypatch.setattr(selector_cache.SignatureMatcher, "__init__", uncached)
    assert cached == characters_by_face(documents, css, fonts.SERIF)
    assert cached[fonts.SANS_BOLD] and cached[fonts.SERIF]
