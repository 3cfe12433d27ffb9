"""What the EPUB's documents and stylesheet load from outside the book.

An EPUB holds every file it shows: EPUBCheck refuses a picture, a stylesheet or a font on the
web (RSC-006) or on the computer that made it (RSC-030, RSC-007), and a reading system shows
nothing for one. briefgen's own templates refer only to what it packs; a template of the
user's can ask for anything, and is checked for it.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import urlsplit

#: ``url(…)`` and ``@import "…"`` in CSS: what a stylesheet loads.
_CSS_REFERENCE = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")

#: A CSS comment: what it names is loaded by nothing.
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)

#: The attributes that load what they name (a hyperlink's ``href`` only leads to it).
_LOADING = ("src", "data", "poster")


def outside(reference: str, folder: str) -> bool:
    """Whether ``reference``, made in the package's ``folder`` (``text``), leads out of the
    book: an address with a scheme (but ``data:``), an absolute path, or ``../`` too many."""
    parts = urlsplit(reference)
    if parts.scheme:
        return parts.scheme.lower() != "data"
    if reference.startswith("/"):
        return True
    if not parts.path:  # a fragment of the document itself
        return False
    return posixpath.normpath(posixpath.join(folder, parts.path)).startswith("../")


def css_references(css: str) -> Iterator[str]:
    """What a stylesheet, or a style attribute, loads."""
    for found in _CSS_REFERENCE.finditer(_CSS_COMMENT.sub(" ", css)):
        yield found.group(1) or found.group(2)


def document_references(xhtml: str) -> Iterator[str]:
    """What an XHTML document loads: pictures, objects, stylesheets, SVG images and what
    its styles load."""
    for element in ET.fromstring(xhtml).iter():
        tag = str(element.tag).rpartition("}")[2]
        for name, value in element.attrib.items():
            local = name.rpartition("}")[2]
            if local in _LOADING or local == "style":
                yield from css_references(value) if local == "style" else (value,)
            elif local == "srcset":  # "small.png 1x, https://…/large.png 2x": each loads
                yield from srcset_addresses(value)
            elif local == "href" and (
                tag in ("image", "use")  # SVG's picture, and its copy of another drawing
                or (tag == "link" and "stylesheet" in element.get("rel", ""))
            ):
                yield value
        if tag == "style" and element.text:
            yield from css_references(element.text)


def srcset_addresses(srcset: str) -> Iterator[str]:
    """The address of each candidate of a ``srcset``, as HTML reads it: up to a space,
    then its descriptors up to a comma (a ``data:`` address holds commas of its own)."""
    index, end = 0, len(srcset)
    while index < end:
        while index < end and (srcset[index].isspace() or srcset[index] == ","):
            index += 1
        start = index
        while index < end and not srcset[index].isspace():
            index += 1
        address = srcset[start:index]
        if address.endswith(","):  # no descriptors: the comma ends the candidate
            address = address.rstrip(",")
        else:
            comma = srcset.find(",", index)
            index = end if comma < 0 else comma + 1
        if address:
            yield address


def first_outside(references: Iterator[str], folder: str) -> str | None:
    """The first of ``references`` that leads out of the book, if one does."""
    return next((reference for reference in references if outside(reference, folder)), None)
