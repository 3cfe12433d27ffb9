"""briefgen's own HTML read by the XML parser into the tree WeasyPrint's HTML parser builds.

WeasyPrint reads a document with tinyhtml5, an HTML5 parser written in Python: 0.3 s of a
200-event PDF (3 % of it), paid again for each part of a long briefing. briefgen's own
templates write well-formed XML (void elements closed, every attribute quoted, no named
entity beyond XML's five), and Markdown comes out of markdown-it as XHTML. For such a text,
expat, the C parser of ``xml.etree``, builds the same tree in a hundredth of the time, but
for what HTML5 reads differently, which :func:`parse` either mends (whitespace around
``<head>`` and ``<body>``, an ``<svg>``'s namespace declarations, which HTML5 keeps as
attributes) or declines: a text it cannot vouch for is left to tinyhtml5
(``tests/test_html_tree.py`` compares the two trees for every kind of document briefgen
writes).
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

_XMLNS = "{http://www.w3.org/2000/xmlns/}"
_SVG = "{http://www.w3.org/2000/svg}"
_MATHML = "{http://www.w3.org/1998/Math/MathML}"

#: What the two parsers read differently, and :func:`parse` does not mend: comments and
#: CDATA sections (HTML5 keeps comments in the tree, expat drops them), processing
#: instructions, a ``<style>`` or ``<script>`` that holds ``&`` or ``<`` (raw text to HTML5,
#: markup to XML), a tab or line break in an attribute's value (XML turns it into a space),
#: and the line break right after ``<pre>``, ``<textarea>`` or ``<listing>`` (HTML5 drops it).
_DIFFERENT = re.compile(
    r"<!--|<!\[CDATA\[|<\?"
    r"|<(?:style|script)\b[^>]*>[^<]*[&<](?!/(?:style|script)>)"
    r"|=\s*\"[^\"]*[\t\n\r]|=\s*'[^']*[\t\n\r]"
    r"|<(?:pre|textarea|listing)\b[^>]*>\r?\n",
    re.IGNORECASE,
)


def parse(html: str) -> ET.Element | None:
    """The root element of ``html`` as tinyhtml5 builds it (``namespace_html_elements``
    off, as WeasyPrint asks), or None when the text is not XML or holds something the two
    parsers read differently."""
    if _DIFFERENT.search(html):
        return None
    end = html.rfind("</html>")
    if end < 0 or html[end + len("</html>") :].strip():
        return None
    try:
        root = _parse_xml(html)
    except ET.ParseError:
        return None
    if not _same_shape(root):
        return None
    _mend_whitespace(root, html[end + len("</html>") :])
    return root


def _parse_xml(html: str) -> ET.Element:
    parser = ET.XMLParser(target=_TreeBuilder())
    parser.feed(html)
    root: ET.Element = parser.close()
    return root


class _TreeBuilder(ET.TreeBuilder):
    """xml.etree's tree builder, each element's namespace declarations kept as HTML5 keeps
    them: as attributes in the ``xmlns`` namespace, before the element's own."""

    def __init__(self) -> None:
        super().__init__()
        self.declared: dict[str, str] = {}

    def start_ns(self, prefix: str, uri: str) -> None:
        self.declared[_XMLNS + (prefix or "xmlns")] = uri

    def start(self, tag: Any, attrs: dict[Any, Any]) -> ET.Element:
        if self.declared:
            attrs, self.declared = {**self.declared, **attrs}, {}
        return super().start(tag, attrs)


#: What HTML5 lets stand inside each table element; anything else it moves or wraps (a
#: ``<tr>`` straight in a ``<table>`` gets a ``<tbody>`` round it).
_TABLE_CHILDREN = {
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot", "script", "template", "style"},
    "thead": {"tr", "script", "template", "style"},
    "tbody": {"tr", "script", "template", "style"},
    "tfoot": {"tr", "script", "template", "style"},
    "tr": {"td", "th", "script", "template", "style"},
    "colgroup": {"col", "template"},
}
#: Elements whose start tag closes an open ``<p>``: one can never be inside a paragraph.
_CLOSE_A_PARAGRAPH = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div",
    "dl", "dd", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol",
    "p", "plaintext", "pre", "search", "section", "summary", "table", "ul", "xmp",
})  # fmt: skip


def _same_shape(root: ET.Element) -> bool:
    """Whether the tree is one that HTML5 would build as it is: an ``html`` element of a
    ``head`` and a ``body``, whitespace only before the ``head``, HTML elements without a
    namespace, their tags and attributes in lower case (HTML5 lowers them), no SVG or
    MathML outside its namespace (HTML5 puts ``<svg>`` there whether or not it says so),
    tables built as HTML5 builds them, and no element inside one that HTML5 closes before
    it (a ``<div>`` in a ``<p>``, a link in a link)."""
    if root.tag != "html" or [child.tag for child in root] != ["head", "body"]:
        return False
    if (root.text or "").strip() or (root[0].tail or "").strip():
        return False
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            return False
        if tag.startswith("{") and not tag.startswith((_SVG, _MATHML)):
            return False
        if not tag.startswith("{") and (
            tag in ("svg", "math")
            or tag != tag.lower()
            or any(name != name.lower() for name in element.attrib)
        ):
            return False
        allowed = _TABLE_CHILDREN.get(tag)
        if allowed is not None and any(child.tag not in allowed for child in element):
            return False
        if tag == "p" and any(inner.tag in _CLOSE_A_PARAGRAPH for inner in _inside(element)):
            return False
        if tag == "a" and any(inner.tag == "a" for inner in _inside(element)):
            return False
    return True


def _inside(element: ET.Element) -> Iterator[ET.Element]:
    """Every element inside ``element``, at any depth."""
    return itertools.islice(element.iter(), 1, None)


def _mend_whitespace(root: ET.Element, after_html: str) -> None:
    """Place the whitespace as HTML5 does: none before ``<head>``; what follows ``</body>``
    and ``</html>`` inside the ``body``, at its end."""
    root.text = None
    body = root[1]
    trailing = (body.tail or "") + after_html
    body.tail = None
    if not trailing:
        return
    if len(body):
        body[-1].tail = (body[-1].tail or "") + trailing
    else:
        body.text = (body.text or "") + trailing
