"""The PDF's HTML read by the XML parser (briefgen/html_tree.py): the very tree WeasyPrint's
HTML5 parser builds, for every kind of document briefgen writes, or no tree at all."""

from __future__ import annotations

import dataclasses
import sys
import xml.etree.ElementTree as ET

import pytest
import tinyhtml5

import briefgen
from briefgen import html_tree
from briefgen.builders import pdf_parts
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from generate import briefing_yaml

DATE = {"source_date_epoch": 1700000000}


def shape(root: ET.Element) -> list[tuple[object, ...]]:
    """Every element in document order: its place, tag, attributes in order, text and tail."""
    found: list[tuple[object, ...]] = []

    def walk(element: ET.Element, place: str) -> None:
        found.append((place, element.tag, list(element.attrib.items()), element.text, element.tail))
        for index, child in enumerate(element):
            walk(child, f"{place}/{index}")

    walk(root, "")
    return found


def html5(html: str) -> ET.Element:
    return tinyhtml5.parse(html, namespace_html_elements=False)


@pytest.fixture
def checked(monkeypatch, tmp_path):
    """Every HTML the PDF builder lays out, checked as it goes: read the fast way, into
    tinyhtml5's tree. Parts are laid out in child processes, so each check leaves a line in
    a file; returns that file."""
    log = tmp_path / "checked.txt"
    original = html_tree.parse

    def parse(html: str) -> ET.Element | None:
        root = original(html)
        assert root is not None, "briefgen's own HTML was not read by the XML parser"
        assert shape(root) == shape(html5(html))
        with log.open("a", encoding="utf-8") as file:
            file.write(f"{len(html)}\n")
        return root

    monkeypatch.setattr(html_tree, "parse", parse)
    return log


def rich_briefing(lang: str = "zh-Hant", events: int = 8) -> briefgen.Briefing:
    """A generated briefing, with Markdown of every kind the format allows in one event."""
    generated = lang if lang in ("zh-Hant", "ja", "ko") else "zh-Hant"
    briefing = dataclasses.replace(briefgen.loads(briefing_yaml(events, generated)), lang=lang)
    body = (
        "第一段，**粗體**與*斜體*，`code <x> & y`，[連結](https://example.org/a?b=1&c=2)。\n\n"
        "- 清單一\n- 清單二\n\n1. 編號\n2. 編號\n\n> 引文 \"quoted\" 'single'\n\n"
        "    indented code\n\n```\nfenced <code>\n```\n\n---\n\n行末換行  \n下一行 A&B <i>"
    )
    first = dataclasses.replace(briefing.events[0], body=body)
    return dataclasses.replace(
        briefing,
        subtitle=None,
        summary="摘要\n\n第二段 & <b>",
        events=(first, *briefing.events[1:]),
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [
        {},
        {"paper": "A5", "marks": True},
        {"handout": "booklet", "paper": "B5"},
        {"handout": "sheet"},
        {"pdf_variant": "pdf/a-3b"},
    ],
    ids=["A4", "A5 marks", "booklet", "sheet", "PDF/A"],
)
def test_every_document_of_the_sample_is_read_into_html5s_tree(sample, checked, options):
    briefgen.render_pdf(sample, **options, **DATE)
    assert checked.read_text().split()


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "ja", "ko", "en"])
def test_markdown_of_every_kind_in_every_language(checked, lang):
    briefgen.render_pdf(rich_briefing(lang), **DATE)
    assert checked.read_text().split()


@pytest.mark.slow
def test_every_part_of_a_long_briefing_too(checked, monkeypatch):
    monkeypatch.setattr(pdf_parts, "PARTS_FROM", 1)
    monkeypatch.setattr(pdf_parts, "EVENTS_PER_PART", 4)
    monkeypatch.setattr(pdf_parts, "PEOPLE_PER_PART", 3)
    briefgen.render_pdf(rich_briefing(events=14), **DATE)
    # The front matter, the events' parts, the back matter's and the footers.
    assert len(checked.read_text().split()) >= 6


@pytest.mark.slow
def test_the_pdf_is_the_same_read_either_way(sample, monkeypatch):
    fast = briefgen.render_pdf(sample, **DATE)
    monkeypatch.setattr(html_tree, "parse", lambda html: None)
    assert briefgen.render_pdf(sample, **DATE) == fast


@pytest.mark.slow
def test_a_users_templates_go_to_weasyprints_parser(sample, tmp_path, monkeypatch):
    # A folder of the user's templates (empty here: briefgen's own fill in) may write HTML
    # that only HTML5 reads as meant.
    asked = []
    monkeypatch.setattr(html_tree, "parse", lambda html: asked.append(html))
    briefgen.render_pdf(sample, templates=(tmp_path,), **DATE)
    assert asked == []
    briefgen.render_pdf(sample, **DATE)
    assert asked


PAGE = (
    '<!DOCTYPE html>\n<html lang="zh-Hant">\n<head>\n<meta charset="utf-8" />\n'
    "<title>t</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
)


def page(body: str = "<p>文字</p>", style: str = "p { color: red }") -> str:
    return PAGE.format(body=body, style=style)


@pytest.mark.parametrize(
    "body",
    [
        "<p>文字</p>",
        '<p class="a" id="b">一 &amp; 二 &lt;三&gt; &#x2603;</p>\n<br />',
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'viewBox="0 0 10 10"><a xlink:href="#x"><text x="1">字</text></a></svg>',
        "<table><tbody><tr><td>1</td></tr></tbody></table>",
        "",
    ],
    ids=["text", "entities", "svg", "table", "empty body"],
)
def test_what_it_reads_is_html5s_tree(body):
    html = page(body)
    root = html_tree.parse(html)
    assert root is not None
    assert shape(root) == shape(html5(html))


@pytest.mark.parametrize(
    "html",
    [
        page("<p>a<br>b</p>"),  # not XML
        page("<p>&nbsp;</p>"),  # an entity XML does not know
        page("<!-- a comment --><p>a</p>"),
        page("<p><![CDATA[x]]></p>"),
        page(style="p::before { content: '&amp;' }"),
        page('<p title="two\nlines">a</p>'),
        page("<pre>\nline</pre>"),
        page("<table><tr><td>1</td></tr></table>"),  # HTML5 adds the tbody
        page("<table><tbody><td>1</td></tbody></table>"),  # and a tr
        page("<p>a<div>b</div></p>"),  # HTML5 closes the p before the div
        page("<p>a<span><ul><li>b</li></ul></span></p>"),
        page('<a href="#a">a<a href="#b">b</a></a>'),
        page('<svg viewBox="0 0 1 1"></svg>'),  # HTML5 puts svg in its namespace
        page("<P>a</P>"),
        page('<p CLASS="a">a</p>'),
        page("<p>a</p>") + "<p>after</p>",
        "<html><body><p>no head</p></body></html>",
        "<p>a fragment</p>",
        page("<p>a</p>").replace("<html", '<html xmlns="http://www.w3.org/1999/xhtml"'),
    ],
    ids=[
        "void element",
        "nbsp",
        "comment",
        "cdata",
        "ampersand in style",
        "line break in attribute",
        "line after pre",
        "no tbody",
        "no tr",
        "div in p",
        "list in p",
        "link in link",
        "svg without namespace",
        "upper-case tag",
        "upper-case attribute",
        "text after html",
        "no head",
        "fragment",
        "xhtml namespace",
    ],
)
def test_what_html5_reads_otherwise_is_declined(html):
    assert html_tree.parse(html) is None
