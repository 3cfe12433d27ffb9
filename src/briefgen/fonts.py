"""The fonts briefgen ships: describing them, checking coverage, and cutting subsets.

Every output embeds only the glyphs it uses. Subsets are cut with HarfBuzz (``uharfbuzz``),
which is about a hundred times faster than fontTools on a 65,535-glyph CJK font.
"""

from __future__ import annotations

import base64
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Callable, Iterable, Iterator

import uharfbuzz as hb
from markupsafe import Markup

from .errors import Problem, display_path
from .markdown import to_text
from .model import Briefing
from .resources import resource_path


@dataclass(frozen=True)
class FontFace:
    """One shipped font file and the CSS family it is known by inside briefgen's documents."""

    family: str
    file: str
    weight: int
    postscript_name: str

    @property
    def path(self):
        return resource_path("fonts", self.file)

    @property
    def css_name(self) -> str:
        return f'"{self.family}"'


SERIF = FontFace("briefgen Noto Serif CJK TC", "NotoSerifCJKtc-Regular.otf", 400,
                 "NotoSerifCJKtc-Regular")
SANS_BOLD = FontFace("briefgen Noto Sans CJK TC", "NotoSansCJKtc-Bold.otf", 700,
                     "NotoSansCJKtc-Bold")
FACES: tuple[FontFace, ...] = (SERIF, SANS_BOLD)

# Characters that never need a glyph: line breaks and layout controls.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


@cache
def _hb_face(face: FontFace) -> hb.Face:
    return hb.Face(hb.Blob.from_file_path(str(face.path)))


@cache
def covered(face: FontFace) -> frozenset[int]:
    """The code points the font has a glyph for."""
    return frozenset(_hb_face(face).unicodes)


def subset(face: FontFace, text: Iterable[str]) -> bytes:
    """An OpenType subset of ``face`` with the glyphs for ``text``.

    HarfBuzz keeps the glyphs its default layout features can reach, which include ``locl``
    (Simplified, Japanese and Korean forms, picked by ``lang``), ``vert`` and ``halt``.
    """
    subset_input = hb.SubsetInput()
    for char in set("".join(text)):
        subset_input.unicode_set.add(ord(char))
    result = hb.subset(_hb_face(face), subset_input)
    if result is None:
        raise RuntimeError(f"HarfBuzz could not subset {face.file}")
    return result.blob.data


def font_face_css(url_for: Callable[[FontFace], str]) -> Markup:
    """``@font-face`` rules for every shipped face, each pointing at ``url_for(face)``."""
    return Markup("\n".join(
        f"@font-face {{ font-family: {face.css_name}; font-weight: {face.weight}; "
        f'font-style: normal; src: url("{url_for(face)}") format("opentype"); }}'
        for face in FACES))


def data_url(data: bytes) -> str:
    return "data:font/otf;base64," + base64.b64encode(data).decode("ascii")


def text_fields(briefing: Briefing) -> Iterator[tuple[str, str]]:
    """Every piece of user text that ends up on the page, as ``(field.path, text)``."""
    yield "title", briefing.title
    for key in ("subtitle", "publisher"):
        if value := getattr(briefing, key):
            yield key, value
    for index, author in enumerate(briefing.authors):
        yield f"authors[{index}]", author
    yield "summary", to_text_block(briefing.summary)
    for index, event in enumerate(briefing.events):
        base = f"events[{index}]"
        yield f"{base}.when", event.when
        yield f"{base}.title", event.title
        yield f"{base}.body", to_text_block(event.body)
        for key in ("caption",):
            if value := getattr(event, key):
                yield f"{base}.{key}", value
        for tag_index, tag in enumerate(event.tags):
            yield f"{base}.tags[{tag_index}]", tag
    for index, person in enumerate(briefing.people):
        for key in ("name", "alt", "role"):
            if value := getattr(person, key):
                yield f"people[{index}].{key}", value
    for index, source in enumerate(briefing.sources):
        for key in ("title", "publisher", "url", "note"):
            if value := getattr(source, key):
                yield f"sources[{index}].{key}", value


def to_text_block(markdown_source: str) -> str:
    """Visible text of block Markdown, line by line (good enough to find every character)."""
    return "\n".join(to_text(line) for line in markdown_source.splitlines())


def missing_glyphs(briefing: Briefing) -> list[Problem]:
    """A warning for each character the shipped fonts cannot draw (it would print as a box)."""
    drawable = covered(SERIF) & covered(SANS_BOLD)
    problems = []
    for field_path, text in text_fields(briefing):
        reported: set[str] = set()
        for char in text:
            if (ord(char) in drawable or char in reported
                    or unicodedata.category(char) in _INVISIBLE_CATEGORIES):
                continue
            reported.add(char)
            pos = briefing.positions.get(field_path)
            pos = pos.of(char) if pos else None
            name = unicodedata.name(char, "unnamed character")
            problems.append(Problem(
                display_path(briefing.path) if briefing.path else "<briefing>",
                pos.line if pos else None,
                pos.column if pos else None, field_path,
                f'character "{char}" (U+{ord(char):04X} {name}) is not in briefgen\'s fonts; '
                "it would print as an empty box",
                "replace it, or write it with a more common character"))
    return problems


#: Characters the renderers may draw on their own (list bullets, page numbers, leaders),
#: always kept in subsets.
ALWAYS_DRAWN = "".join(map(chr, range(0x20, 0x7F))) + "•◦▪·・…—–　"
