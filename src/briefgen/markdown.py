"""Inline Markdown in briefing fields → safe HTML (XHTML-compatible), via markdown-it-py.

Raw HTML in the source is shown as text, never passed on: ``html`` is off, and link targets
go through markdown-it's own check that refuses ``javascript:`` and the like.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    # "commonmark" with html off: paragraphs, emphasis, strong, links, lists, and nothing that
    # a briefing does not need (tables, images through Markdown).
    md = MarkdownIt(
        "commonmark", {"html": False, "xhtmlOut": True, "linkify": False, "typographer": False}
    )
    return md.disable(["image", "html_block", "html_inline"])


# What a character reference such as `&#12;` can produce that XML (the EPUB) forbids: the
# loader drops these characters from the text itself, references are decoded only here.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_html(source: str) -> Markup:
    """Block Markdown (paragraphs, lists) as HTML, marked safe for Jinja's autoescape."""
    if not source.strip():
        return Markup("")
    return Markup(_NOT_IN_XML.sub("", _parser().render(source).strip()))


def to_text(source: str) -> str:
    """The visible text of a Markdown snippet, for places that take no markup (PDF metadata)."""
    tokens = _parser().parseInline(source)
    return _NOT_IN_XML.sub(
        "",
        "".join(
            child.content
            for token in tokens
            for child in (token.children or [])
            if child.type in ("text", "code_inline")
        ),
    )
