"""Inline Markdown in briefing fields → safe HTML (XHTML-compatible), via markdown-it-py.

Raw HTML in the source is shown as text, never passed on: ``html`` is off, and link targets
go through markdown-it's own check that refuses ``javascript:`` and the like.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup


@cache
def _parser() -> MarkdownIt:
    # "commonmark" with html off: paragraphs, emphasis, strong, links, lists, and nothing that
    # a briefing does not need (tables, images through Markdown).
    md = MarkdownIt(
        "commonmark", {"html": False, "xhtmlOut": True, "linkify": False, "typographer": False}
    )
    md.disable(["image", "html_block", "html_inline"])
    md.add_render_rule("text", _text)
    return md


# A run of the CJK dash (two em dashes, drawn as one rule) or of ellipses, with the
# character before it. Line breaking (UAX #14) allows a break before an em dash, so the dash
# could start a line, which clreq and jlreq forbid; kept with the character before it in a
# no-wrap span, it cannot. (Ellipses cannot start a line anyway, but the same span keeps
# every reading system to that.)
_UNBREAKABLE = re.compile(r"(\S(?:——|……)+)")


def keep_unbreakables(text: str) -> Markup:
    """Plain text, escaped, with its unbreakable runs wrapped (see ``_UNBREAKABLE``): for
    the fields that take no Markdown, such as titles."""
    pieces = _UNBREAKABLE.split(text)
    return Markup(
        "".join(
            f'<span class="nobreak">{escapeHtml(piece)}</span>' if i % 2 else escapeHtml(piece)
            for i, piece in enumerate(pieces)
        )
    )


def _text(
    renderer: RendererHTML, tokens: list[Token], index: int, options: OptionsDict, env: EnvType
) -> str:
    """A text token, as :func:`keep_unbreakables` writes it."""
    return str(keep_unbreakables(tokens[index].content))


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
