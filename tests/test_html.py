"""The stand-alone HTML: well-formed, self-contained, in the briefing's language."""

from __future__ import annotations

import base64
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from fontTools.ttLib import TTFont

import briefgen
from conftest import SAMPLE_PERIODS, tiny_image


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.text, self.stack = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_html_parses_and_carries_the_content(sample):
    html = briefgen.render_html(sample)
    parser = _Collect()
    parser.feed(html)
    tags = dict(reversed(parser.tags))
    assert tags["html"]["lang"] == "zh-Hant"
    text = "".join(parser.text)
    for label in SAMPLE_PERIODS:
        assert label in text
    # Written with closed tags throughout, so XML tools can read it as well (minus doctype).
    ET.fromstring(html.split("\n", 1)[1])


def test_a_phone_lays_the_page_out_at_its_own_width(sample):
    """Without a viewport of the device's width, a phone lays a page out 980 pixels wide and
    shrinks it to its screen, the type too small to read. The browser tests lay the page out
    in a frame (test_html_render.py), which reads no viewport: it is checked here."""
    parser = _Collect()
    parser.feed(briefgen.render_html(sample))
    viewports = [attrs for tag, attrs in parser.tags if tag == "meta" and "name" in attrs]
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in viewports


def test_html_embeds_font_subsets_covering_its_text(sample):
    html = briefgen.render_html(sample)
    urls = re.findall(r'url\("data:font/otf;base64,([^"]+)"\)', html)
    assert len(urls) == 2
    visible = set(re.sub(r"<[^>]+>", "", html.split("</style>", 1)[1])) - set(" \n\t")
    for data in urls:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        cmap = font.getBestCmap()
        assert len(cmap) < 3000
        assert not {c for c in visible if ord(c) not in cmap}


def test_markdown_raw_html_is_shown_as_text(write_briefing):
    path = write_briefing("""
        title: t
        events:
          - start: 1950
            title: e
            body: "前文 <script>alert(1)</script> **重點**"
    """)
    html = briefgen.render_html(briefgen.load(path))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>重點</strong>" in html


def test_image_media_type_does_not_depend_on_the_machine(write_briefing, tmp_path, monkeypatch):
    """Python's own table has no .webp; the answer must not come from /etc/mime.types."""
    import mimetypes

    monkeypatch.setattr(mimetypes, "guess_type", lambda *args, **kwargs: (None, None))
    (tmp_path / "photo.webp").write_bytes(tiny_image("WEBP"))
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, title: e, image: photo.webp}
    """)
    html = briefgen.render_html(briefgen.load(path))
    assert 'src="data:image/webp;base64,' in html


def test_character_references_xml_forbids_are_dropped(write_briefing):
    """Found by the property tests: `&#12;` in Markdown made an EPUB that was not XML."""
    path = write_briefing('title: t\nsummary: "甲&#12;乙"\nevents: [{start: 1950, title: e}]\n')
    html = briefgen.render_html(briefgen.load(path))
    assert "<p>甲乙</p>" in html and "\x0c" not in html


def test_the_keywords_are_each_tag_once_in_the_order_first_met(write_briefing):
    path = write_briefing(
        "title: t\nevents:\n"
        "  - {start: 1950, title: a, tags: [冷戰, NATO]}\n"
        "  - {start: 1951, title: b, tags: [nato, 分治, 冷戰]}\n"
    )
    html = briefgen.render_html(briefgen.load(path))
    assert '<meta name="keywords" content="冷戰, NATO, 分治" />' in html


def test_the_page_is_filled_from_its_templates_once(sample, monkeypatch):
    # The fonts are cut from the characters the page shows and their CSS put in its place
    # afterwards: filling the templates again for it cost a quarter of the HTML build.
    from briefgen.builders import html as html_builder

    calls = []
    original = html_builder.render
    monkeypatch.setattr(
        html_builder, "render", lambda *args, **kw: calls.append(1) or original(*args, **kw)
    )
    html = briefgen.render_html(sample)
    assert len(calls) == 1
    assert html.count("@font-face") == 2 and "\x01" not in html


def test_an_indented_paragraph_is_a_paragraph_not_a_code_block(write_briefing):
    """Text pasted from a web page often comes indented: four spaces made a code block, kept
    on one line however long (the page scrolled sideways on a phone, and the PDF lost the
    line's end off the page) and set in the browser's monospace font, not the briefing's."""
    path = write_briefing("""
        title: t
        events:
          - start: 1950
            title: e
            body: |
              第一段。

                  這是從網頁貼上、縮排了四格的第二段，
                  它有兩行。
    """)
    html = briefgen.render_html(briefgen.load(path))
    parser = _Collect()
    parser.feed(html)
    assert not {"pre", "code"} & {tag for tag, _ in parser.tags}
    assert re.search(r"<p>這是從網頁貼上、縮排了四格的第二段，\s*它有兩行。</p>", html)


def test_a_heading_in_the_text_goes_under_its_section_s(write_briefing):
    """A `#` in the summary was a second <h1> beside the briefing's title, above the summary's
    own heading: screen readers, which move through a page by its headings, and the PDF's
    bookmarks put it over the section it is in."""
    path = write_briefing("""
        title: 標題
        summary: |
          # 背景

          ## 細節

          摘要。
        events:
          - start: 1950
            title: e
            body: |
              ### 經過

              內文。
    """)
    parser = _Collect()
    parser.feed(briefgen.render_html(briefgen.load(path)))
    levels = [int(tag[1]) for tag, _ in parser.tags if re.fullmatch(r"h[1-6]", tag)]
    # One <h1>, and each heading at most one level below the one before it: the title, 摘要,
    # 背景, 細節, 目錄, the event, 經過.
    assert levels == [1, 2, 3, 4, 2, 2, 3]


def test_a_heading_keeps_the_line_after_it_as_a_paragraph(write_briefing):
    """`## 背景` with the text on the very next line, as a heading is often written: the
    segment-breaks rule joined the two lines, and the text was set as part of the heading,
    背景摘要內容。, in the page, the contents of a screen reader and the PDF's bookmarks."""
    path = write_briefing("""
        title: 標題
        summary: |
          ## 背景
          摘要內容。
        events: [{start: 1950, title: e}]
    """)
    html = briefgen.render_html(briefgen.load(path))
    assert "<h3>背景</h3>" in html
    assert re.search(r"<p>摘要內容。</p>", html)


# HTML-AAM: the elements that are landmarks by themselves, and those that are only where no
# sectioning element (article, aside, main, nav, section) holds them, or only with a name.
_LANDMARKS = {"main": "main", "nav": "navigation", "aside": "complementary"}
_PAGE_LANDMARKS = {"header": "banner", "footer": "contentinfo"}
_SECTIONING = {"article", "aside", "main", "nav", "section"}


def _landmarks(element, inside=(), found=None):
    """The page's landmarks in document order, as (role, element), as a screen reader lists
    them."""
    found = [] if found is None else found
    tag = element.tag
    role = element.get("role") or _LANDMARKS.get(tag)
    if role is None and tag in _PAGE_LANDMARKS and not _SECTIONING & set(inside):
        role = _PAGE_LANDMARKS[tag]
    named = element.get("aria-label") or element.get("aria-labelledby")
    if role is None and tag == "section" and named:
        role = "region"
    if role is not None:
        found.append((role, element))
    for child in element:
        _landmarks(child, (*inside, tag), found)
    return found


def test_a_screen_reader_lists_the_page_s_landmarks_not_one_per_event(sample):
    """Each event was a named section, a region landmark: a screen reader's list of
    landmarks held thirteen of them, and the summary, the people and the sources stood
    outside the page's main, so that a screen reader's "go to main" passed them by.
    The page has one banner (its cover), one navigation (its contents), one main that holds
    the whole briefing, summary to sources, and one contentinfo (its colophon)."""
    root = ET.fromstring(briefgen.render_html(sample).split("\n", 1)[1])
    found = _landmarks(root)
    roles = [role for role, _ in found]
    assert roles.count("banner") == roles.count("main") == roles.count("contentinfo") == 1
    assert roles.count("navigation") == 1
    assert roles.count("region") <= 3  # the summary, the people, the sources
    [main] = [element for role, element in found if role == "main"]
    # Every section's heading is in it: the summary, the contents, each event, the people
    # and the sources.
    assert list(main.iter("h2")) == list(root.iter("h2"))
    assert len(list(main.iter("h2"))) == len(sample.events) + 4
