"""Which characters of a briefing the shipped fonts cannot draw, as warnings for the user.

A character without a glyph prints as an empty box ("tofu"); briefgen says so, with the line
and column where the character is written, before anything is rendered.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Container, Iterator

from .errors import Problem, warn
from .fonts import FACES, glyph_set
from .model import Briefing, Kind, text_values
from .userfonts import user_faces

log = logging.getLogger("briefgen")

# Characters that never need a glyph: line breaks and layout controls.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def shown_text(briefing: Briefing) -> Iterator[tuple[str, str]]:
    """Every piece of the briefing's text that ends up on the page, as ``(field.path,
    text)``; Markdown as the text it shows."""
    for field_path, spec, text in text_values(briefing):
        yield field_path, visible_markdown(text) if spec.kind is Kind.MARKDOWN else text


def visible_markdown(source: str) -> str:
    """Visible text of block Markdown, line by line (good enough to find every character)."""
    # Imported here: `briefgen check` seldom needs the Markdown parser (see _texts_to_look_at).
    from .markdown import to_text

    return "\n".join(to_text(line) for line in source.splitlines())


class _Drawable:
    """The code points every face the text is set in has a glyph for, asked one at a time of
    each face's own set (:func:`~briefgen.fonts.glyph_set`): a briefing holds a few thousand
    different characters, and copying the faces' sets to intersect them took 20 ms. A face
    of the briefing's own (``fonts:``, ``--font``) stands in front of the shipped face of its
    role, which draws what it lacks: a character is drawn if either has it."""

    def __init__(self, briefing: Briefing) -> None:
        own = {face.fallback: glyph_set(face) for face in user_faces(briefing)}
        self.faces = tuple((glyph_set(face), own.get(face)) for face in FACES)

    def __contains__(self, point: object) -> bool:
        return all(
            point in shipped or (own is not None and point in own) for shipped, own in self.faces
        )


def _needs_no_glyph(char: str, drawable: Container[int]) -> bool:
    return ord(char) in drawable or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def _texts_to_look_at(briefing: Briefing, drawable: Container[int]) -> Iterator[tuple[str, str]]:
    """:func:`shown_text`, less the Markdown whose source the fonts draw whole.

    The text a Markdown source shows holds only the source's own characters, save those an
    entity (``&#x2603;``) writes, so a source with no ``&`` whose every character needs no
    glyph or has one needs no parsing: most of a briefing, and a fifth of
    ``briefgen check``'s time otherwise."""
    for field_path, spec, text in text_values(briefing):
        if spec.kind is Kind.MARKDOWN:
            if "&" not in text and _all_drawn(text, drawable):
                continue
            text = visible_markdown(text)
        yield field_path, text


def _all_drawn(text: str, drawable: Container[int]) -> bool:
    """Whether every character of ``text`` needs no glyph or has one."""
    # Each different character once: nearly every text is drawn whole.
    undrawn = [point for point in map(ord, set(text)) if point not in drawable]
    return all(_needs_no_glyph(chr(point), drawable) for point in undrawn)


def _drawn_whole(briefing: Briefing, drawable: Container[int]) -> bool:
    """Whether the fonts draw every character of every field, as nearly every briefing's:
    the characters of all the fields at once, tested once, cost less than testing each
    field's (1,000 events, the whole check: 57 ms against 94 ms, medians of ten). Markdown
    with ``&`` may show characters its source does not hold (entities), so such a source
    sends the briefing field by field."""
    characters: set[str] = set()
    for _, spec, text in text_values(briefing):
        if spec.kind is Kind.MARKDOWN and "&" in text:
            return False
        characters.update(text)
    return _all_drawn("".join(characters), drawable)


def missing_glyphs(briefing: Briefing, user_templates: bool = False) -> list[Problem]:
    """A warning for each character the shipped fonts cannot draw (it would print as a box).
    ``user_templates``: the PDF is made with a user's templates, whose fonts are the machine's
    as well as the document's (builders/pdf_fonts.py), so a font installed here may draw it."""
    drawable = _Drawable(briefing)
    if _drawn_whole(briefing, drawable):
        return []
    file_name = briefing.shown_name
    fonts_named = (
        "the briefing's fonts or briefgen's" if user_faces(briefing) else "briefgen's fonts"
    )
    outcome = (
        "your templates let the PDF draw it in a font of this machine, if one has it; "
        "another machine may print it as an empty box"
        if user_templates
        else "it would print as an empty box"
    )
    problems = []
    for field_path, text in _texts_to_look_at(briefing, drawable):
        if _all_drawn(text, drawable):
            continue
        position = briefing.positions.get(field_path)
        for char in dict.fromkeys(text):  # each character once per field, in order
            if _needs_no_glyph(char, drawable):
                continue
            at = position.of(char) if position else None
            name = unicodedata.name(char, "unnamed character")
            problems.append(
                Problem(
                    file_name,
                    at.line if at else None,
                    at.column if at else None,
                    field_path,
                    f'character "{char}" (U+{ord(char):04X} {name}) is not in '
                    f"{fonts_named}; {outcome}",
                    "replace it, or write it with a more common character",
                )
            )
    return problems


def undrawn_characters(briefing: Briefing) -> set[str]:
    """The characters :func:`missing_glyphs` warns of, whatever field they are in."""
    drawable = _Drawable(briefing)
    if _drawn_whole(briefing, drawable):
        return set()
    return {
        char
        for _, text in _texts_to_look_at(briefing, drawable)
        for char in set(text)
        if not _needs_no_glyph(char, drawable)
    }


def warn_missing_glyphs(briefing: Briefing, user_templates: bool = False) -> None:
    """Log each character the fonts lack, before rendering turns it into a box."""
    for problem in missing_glyphs(briefing, user_templates):
        warn("%s", problem)
