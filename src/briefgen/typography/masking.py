"""Hiding the parts of a text that the rules must never change: code, addresses, character
references (``&#12;``, ``&amp;``) and the syntax of Markdown links.

Each such span is replaced by a placeholder the rules read as a Western word (``\\ufdd0`` +
digits + ``\\ufdd1``; the two are Unicode noncharacters, which no text uses) and put back
after the rules ran::

    >>> text, spans = mask("見[報導](https://example.org/a,b)與`x:y`")
    >>> text
    '見[報導]\\ufdd00\\ufdd1與\\ufdd01\\ufdd1'
    >>> unmask(text, spans)
    '見[報導](https://example.org/a,b)與`x:y`'
"""

from __future__ import annotations

import re

#: A web or e-mail address written out in the text (not a Markdown link's target): the
#: typography rules leave it as written, and the PDF sets no Han–Latin gap inside it.
ADDRESS = re.compile(
    r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s<>\"'「」『』（）()，。、]+"  # a bare address
    # An e-mail address, in ASCII: \w would take the Han around it in too (寫信到ab@…).
    r"|[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)
_PROTECTED = re.compile(
    r"`+[^`]*`+"  # inline code
    r"|\]\([^)\s]*(?:\s+\"[^\"]*\")?\)"  # a link's target (and title): ](url "title")
    r"|<[a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*>"  # an autolink: <https://…>
    rf"|{ADDRESS.pattern}"
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"  # &#12; &amp;
)
#: What the rules never read, as ``mask`` hides it; other readers of a text skip it too.
PROTECTED = _PROTECTED
_PLACEHOLDER = re.compile("\ufdd0([0-9]+)\ufdd1")
OPEN, CLOSE = "\ufdd0", "\ufdd1"


def can_mask(text: str) -> bool:
    """False for the (odd) text that already holds the placeholder characters."""
    return OPEN not in text and CLOSE not in text


def mask(text: str) -> tuple[str, list[str]]:
    """``text`` with every protected span replaced by a placeholder, and the spans."""
    spans: list[str] = []

    def hide(match: re.Match[str]) -> str:
        spans.append(match.group())
        return f"{OPEN}{len(spans) - 1}{CLOSE}"

    return _PROTECTED.sub(hide, text), spans


def unmask(text: str, spans: list[str]) -> str:
    """The text with each placeholder replaced by its span again."""
    return _PLACEHOLDER.sub(lambda match: spans[int(match.group(1))], text)
