"""What a PDF gives back when its text is copied or searched: glyphs that stand for more
than one character.

The fonts join some characters into one glyph as they shape them: the ``ccmp`` feature of
Noto CJK draws ``——`` (two em dashes, the Chinese and Japanese dash) as one unbroken
two-em rule. A PDF's text comes from each glyph's entry in the font's ``ToUnicode`` map, and
WeasyPrint writes that map from the font's ``cmap`` when it embeds a font whole (as briefgen
has it do, with subsets of its own): a glyph no character maps to, such as the joined dash,
gets no entry and copies back as nothing, or as a stray space.

While drawing, WeasyPrint records for every glyph the text Pango shaped it from
(``Font.to_unicode``). :func:`add_shaped_text` runs as WeasyPrint's ``finisher``, after the
fonts are written and before the file is serialised, and gives each glyph the ``cmap`` left
out the text it was shaped from, so ``——`` copies back as ``——``.
"""

from __future__ import annotations

import re
from typing import Any

import pydyf

#: A ``bfchar`` entry of a ToUnicode map, as WeasyPrint writes it: ``<glyph> <utf-16be>``.
_ENTRY = re.compile(rb"<([0-9a-f]{4})> <")

#: How many entries a ``beginbfchar`` block may hold (PDF 1.7, 9.10.3; after the CMap spec).
_BLOCK = 100


def add_shaped_text(document: Any, pdf: pydyf.PDF) -> None:
    """Give each glyph without a ToUnicode entry the text it was shaped from."""
    shaped_by_name = {font.name: font.to_unicode for font in document.fonts.values()}
    for font_dictionary in _font_dictionaries(pdf):
        shaped = shaped_by_name.get(font_dictionary.get("BaseFont"))
        stream = _to_unicode_stream(pdf, font_dictionary)
        if shaped is None or stream is None:
            continue
        mapped = {int(found.group(1), 16) for line in stream if (found := _ENTRY.match(line))}
        missing = sorted((glyph, text) for glyph, text in shaped.items() if glyph not in mapped)
        if missing:
            at = stream.index(b"endcmap")
            stream[at:at] = _entries(missing)


def _font_dictionaries(pdf: pydyf.PDF) -> list[pydyf.Dictionary]:
    return [
        item
        for item in pdf.objects
        if isinstance(item, pydyf.Dictionary) and item.get("Type") == "/Font"
    ]


def _to_unicode_stream(pdf: pydyf.PDF, font_dictionary: pydyf.Dictionary) -> list[Any] | None:
    reference = font_dictionary.get("ToUnicode")
    if not isinstance(reference, bytes):
        return None
    number = int(reference.split()[0])
    stream_object = pdf.objects[number]
    return stream_object.stream if isinstance(stream_object, pydyf.Stream) else None


def _entries(glyphs: list[tuple[int, str]]) -> list[bytes]:
    lines: list[bytes] = []
    for start in range(0, len(glyphs), _BLOCK):
        block = glyphs[start : start + _BLOCK]
        lines.append(f"{len(block)} beginbfchar".encode())
        lines += [
            f"<{glyph:04x}> <{text.encode('utf-16-be').hex()}>".encode() for glyph, text in block
        ]
        lines.append(b"endbfchar")
    return lines


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex()
