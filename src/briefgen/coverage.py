"""Which characters of a briefing the shipped fonts cannot draw, as warnings for the user.

A character without a glyph prints as an empty box ("tofu"); briefgen says so, with the line
and column where the character is written, before anything is rendered.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Container, Iterator

from .errors import Problem, warn
from .fonts import FACES, glyph_set, hb_font
from .model import Briefing, Kind, text_values
from .userfonts import user_faces

log = logging.getLogger("briefgen")

# Characters that never need a glyph: line breaks and layout controls.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}

#: The emoji and text presentation selectors: a wish for a colour or a plain drawing of the
#: character before them, which a renderer without that drawing leaves aside (©️ prints ©).
_PRESENTATION_SELECTORS = frozenset("\ufe0e\ufe0f")


def _is_variation_selector(char: str) -> bool:
    return "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef"


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
        own_faces = {face.fallback: face for face in user_faces(briefing)}
        own = {fallback: glyph_set(face) for fallback, face in own_faces.items()}
        self.faces = tuple((glyph_set(face), own.get(face)) for face in FACES)
        self.fonts = tuple((face, own_faces.get(face)) for face in FACES)

    def __contains__(self, point: object) -> bool:
        return all(
            point in shipped or (own is not None and point in own) for shipped, own in self.faces
        )

    def has_variant(self, base: str, selector: str) -> bool:
        """Whether every face draws ``base`` followed by the variation selector ``selector``
        (an ideographic variation sequence such as 葛 U+E0100) in a form of its own."""
        return all(
            any(
                face is not None
                and hb_font(face).get_variation_glyph(ord(base), ord(selector)) is not None
                for face in faces
            )
            for faces in self.fonts
        )


def _needs_no_glyph(char: str, drawable: Container[int]) -> bool:
    return ord(char) in drawable or unicodedata.category(char) in _INVISIBLE_CATEGORIES


def _undrawn(text: str, drawable: _Drawable) -> list[str]:
    """The characters of ``text`` the fonts cannot draw, each once, in order of first
    appearance. A combining mark they lack is drawn where it composes with the letter before
    it into a character they have (HarfBuzz composes ``e`` U+0302 U+0303, NFD, into ``ễ``),
    and a variation selector asks for no glyph of its own: the fonts draw the sequence, or
    the character before it in its usual form (warned of, if not a mere presentation
    selector)."""
    found: dict[str, None] = {}
    for index, char in enumerate(text):
        if char in found or _needs_no_glyph(char, drawable):
            continue
        if not unicodedata.category(char).startswith("M"):
            found[char] = None
            continue
        start = index
        while start > 0 and unicodedata.category(text[start - 1]).startswith("M"):
            start -= 1
        base = text[start - 1] if start > 0 else ""
        if _is_variation_selector(char):
            if char in _PRESENTATION_SELECTORS or (base and drawable.has_variant(base, char)):
                continue
        elif base and _all_drawn(
            unicodedata.normalize("NFC", text[start - 1 : index + 1]), drawable
        ):
            continue
        found[char] = None
    return list(found)


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
        for char in _undrawn(text, drawable):  # each character once per field, in order
            at = position.of(char) if position else None
            name = unicodedata.name(char, "unnamed character")
            if _is_variation_selector(char):
                what = (
                    f"variation selector U+{ord(char):04X} ({name}) asks for a form of the "
                    f"character before it that is not in {fonts_named}; it would print in "
                    "its usual form"
                )
                hint = "use a font of your own that has the form (fonts: in the briefing)"
            else:
                what = (
                    f'character "{char}" (U+{ord(char):04X} {name}) is not in '
                    f"{fonts_named}; {outcome}"
                )
                hint = (
                    "replace it, or write it with a more common character, or name a font of "
                    "your own that has it (fonts: in the briefing)"
                )
            problems.append(
                Problem(
                    file_name,
                    at.line if at else None,
                    at.column if at else None,
                    field_path,
                    what,
                    hint,
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
        for char in _undrawn(text, drawable)
    }


def warn_missing_glyphs(briefing: Briefing, user_templates: bool = False) -> None:
    """Log each character the fonts lack, before rendering turns it into a box."""
    for problem in missing_glyphs(briefing, user_templates):
        warn("%s", problem)
