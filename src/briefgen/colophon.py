"""The colophon at the end of a briefing: what made it, when, with which fonts, under which
licences; read from briefgen's own package data and font files, never written by hand."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import re
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

from . import fonts
from ._version import __version__
from .options import BuildOptions


@dataclass(frozen=True)
class FontNote:
    """A shipped face as its own name table describes it."""

    family: str  # "Noto Serif CJK TC"
    style: str  # "Regular"
    licence: str  # "SIL Open Font License, Version 1.1"

    @property
    def name(self) -> str:
        return f"{self.family} {self.style}"


@dataclass(frozen=True)
class Colophon:
    version: str
    built: dt.date
    fonts: tuple[FontNote, ...]
    licence: str | None
    """briefgen's own licence (an SPDX expression), from its package metadata."""

    @property
    def font_licences(self) -> tuple[str, ...]:
        """Each licence the fonts are under, once (a font of the briefing's own may not say)."""
        return tuple(dict.fromkeys(note.licence for note in self.fonts if note.licence))


def colophon(options: BuildOptions, own: tuple[fonts.UserFace, ...] = ()) -> Colophon:
    """The colophon of a briefing whose own fonts (``fonts:``, ``--font``) are ``own``: they
    set its text and come first, briefgen's draw what they lack and come after."""
    notes = (*(_font_note(face) for face in own), *font_notes())
    return Colophon(__version__, build_date(options), notes, _package_licence())


def build_date(options: BuildOptions) -> dt.date:
    """``SOURCE_DATE_EPOCH``'s day when it is set (reproducible builds), else today's (UTC):
    a date, not a time, so that builds on one day give the same bytes."""
    if options.source_date_epoch is not None:
        return dt.datetime.fromtimestamp(options.source_date_epoch, dt.UTC).date()
    return dt.datetime.now(dt.UTC).date()


@cache
def font_notes() -> tuple[FontNote, ...]:
    return tuple(_font_note(face) for face in fonts.FACES)


#: Name IDs of the OpenType name table: family, subfamily (style), licence description and
#: the licence's address.
_FAMILY, _STYLE, _LICENCE, _LICENCE_URL = 1, 2, 13, 14


def _font_note(face: fonts.FontFace) -> FontNote:
    description = fonts.name(face, _LICENCE) or ""
    # "This Font Software is licensed under the SIL Open Font License, Version 1.1. ..."
    found = re.search(r"licensed under (?:the )?(.+?)\.(?:\s|$)", description, re.IGNORECASE)
    if found:
        licence = found[1]
    elif isinstance(face, fonts.UserFace):
        # A font of the user's may describe its licence in pages (DejaVu's copies out the
        # whole of it): its address instead, or nothing where it gives none.
        licence = fonts.name(face, _LICENCE_URL) or ""
    else:
        licence = description
    return FontNote(
        family=fonts.name(face, _FAMILY) or face.family,
        style=fonts.name(face, _STYLE) or "",
        licence=licence,
    )


#: A version number and the word before it ("Version 1.1", "version 2.0", "v. 3"), which a
#: line must not part: "SIL Open Font License, Version" at a line's end and "1.1" at the
#: next's start read as two things.
#: The number may be one figure (GPL "version 3"); a full stop after it ends the sentence.
_VERSION = re.compile(r"\b(?:[Vv]ersion|[Vv]er\.|[Vv]\.)\s+\d(?:[\w.]*\w)?")


def licence_name(name: str) -> Markup:
    """A licence's name, each version number in a ``nobreak`` span with its word: a span,
    not a no-break space, so that the name copies back out of the PDF as it is written."""
    pieces, start = [], 0
    for found in _VERSION.finditer(name):
        pieces += [escape(name[start : found.start()]), _kept(found[0])]
        start = found.end()
    return Markup("").join([*pieces, escape(name[start:])])


def _kept(text: str) -> Markup:
    return Markup('<span class="nobreak">{}</span>').format(text)


@cache  # read once per process: the templates of every EPUB chapter ask for it
def _package_licence() -> str | None:
    try:
        metadata = importlib.metadata.metadata("briefgen")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree never installed
        return None
    for field in ("License-Expression", "License"):  # the SPDX field, or the older free text
        if field in metadata:
            return metadata[field]
    return None
