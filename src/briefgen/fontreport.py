"""``briefgen fonts``: the fonts a briefing is set in, where their files are, their licences,
and which of the briefing's characters each one can draw."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from fontTools.ttLib import TTFont

from .coverage import shown_text
from .errors import display_path
from .fonts import FontFace, UserFace, covered
from .model import Briefing
from .userfonts import faces

# Characters that never need a glyph: line breaks and layout controls (as in coverage.py).
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}

# The OpenType name table's records for the licence and its address.
_LICENCE, _LICENCE_URL, _VERSION = 13, 14, 5

#: Whose glyph forms a shipped face draws a briefing's text in, by its language: the faces
#: are the Traditional Chinese (Taiwan) ones, and their name says so in the report and in a
#: PDF's font list, while briefgen cuts each subset with the language's own forms
#: (fonts.subset). English has none of its own: its Han keep the face's.
_FORMS = {
    "zh-Hant": "Traditional Chinese (Taiwan)",
    "zh-TW": "Traditional Chinese (Taiwan)",
    "zh-HK": "Traditional Chinese (Hong Kong)",
    "zh-Hans": "Simplified Chinese",
    "zh-CN": "Simplified Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "en": "Traditional Chinese (Taiwan), the face's own",
}


@dataclass(frozen=True)
class FaceUse:
    """One font as a briefing uses it."""

    face: FontFace
    version: str
    licence: str
    characters: int
    """How many different characters the briefing shows."""
    missing: tuple[tuple[str, str], ...]
    """The characters the font cannot draw, each with the first field that shows it."""


def font_uses(briefing: Briefing) -> list[FaceUse]:
    """Every font briefgen sets the briefing in, with its coverage of the briefing's text."""
    first_field: dict[str, str] = {}
    for field_path, text in shown_text(briefing):
        for char in text:
            if unicodedata.category(char) not in _INVISIBLE_CATEGORIES:
                first_field.setdefault(char, field_path)
    uses = []
    for face in faces(briefing):
        drawn = covered(face)
        missing = tuple(
            (char, where) for char, where in first_field.items() if ord(char) not in drawn
        )
        version, licence = _names(face)
        uses.append(FaceUse(face, version, licence, len(first_field), missing))
    return uses


@cache
def _names(face: FontFace) -> tuple[str, str]:
    """The font's version and its licence in one line (first sentence, and the address)."""
    names = TTFont(face.path, lazy=True)["name"]
    version = (names.getDebugName(_VERSION) or "").split(";")[0]
    licence = (names.getDebugName(_LICENCE) or "not stated").split(". ")[0].rstrip(".")
    address = names.getDebugName(_LICENCE_URL)
    return version, f"{licence} ({address})" if address else licence


@cache
def _title(face: FontFace) -> str:
    """How the report names a face: a font of the briefing's own by its own family name
    and role (briefgen names it "briefgen user body" in the CSS), a shipped one by its CSS
    name."""
    if not isinstance(face, UserFace):
        return face.family
    family = TTFont(face.path, lazy=True)["name"].getBestFamilyName() or face.path.name
    return f"{family}, the briefing's {face.family.removeprefix('briefgen user ')} font"


def report(briefing: Briefing) -> Iterator[str]:
    """The lines ``briefgen fonts`` prints."""
    source = display_path(briefing.path) if briefing.path else "the briefing"
    for use in font_uses(briefing):
        face = use.face
        size = face.path.stat().st_size / 2**20
        yield f"{_title(face)} (weight {face.weight}, {use.version})"
        yield f"    file: {display_path(face.path)} ({size:.1f} MiB; embedded as a subset)"
        yield f"    licence: {use.licence}"
        if not isinstance(face, UserFace):
            forms = _FORMS[briefing.lang]
            yield f"    glyph forms: {forms}, for lang {briefing.lang} (in the embedded subset)"
        drawn = use.characters - len(use.missing)
        yield f"    covers {drawn:,} of the {use.characters:,} different characters {source} shows"
        if isinstance(face, UserFace) and face.fallback is not None:
            # Expected (a Latin font has no Han), so a summary rather than a line each.
            drawn_there = covered(face.fallback)
            instead = "".join(char for char, _ in use.missing if ord(char) in drawn_there)
            neither = "".join(char for char, _ in use.missing if ord(char) not in drawn_there)
            if instead:
                yield f"    {face.fallback.family} draws {len(instead):,} of the others: " + (
                    instead if len(instead) <= 40 else instead[:40] + "…"
                )
            if neither:
                listed = ", ".join(f"{char} (U+{ord(char):04X})" for char in neither[:10])
                more = f" and {len(neither) - 10:,} more" if len(neither) > 10 else ""
                yield f"    neither font draws {len(neither):,}: {listed}{more}"
            continue
        for char, field_path in use.missing:
            name = unicodedata.name(char, "unnamed character")
            where = _where(briefing, field_path, char)
            yield f'    lacks "{char}" (U+{ord(char):04X} {name}), first at {where}'


def _where(briefing: Briefing, field_path: str, char: str) -> str:
    """``FILE:LINE:COL: field`` of the character's first appearance in the field."""
    name = briefing.shown_name
    position = briefing.positions.get(field_path)
    if position is None:
        return f"{name}: {field_path}"
    at = position.of(char)
    return f"{name}:{at.line}:{at.column}: {field_path}"
