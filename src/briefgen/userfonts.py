"""A briefing's own fonts (``fonts:``): the faces they make, and the font-family lists the
templates set text in, each user face first and the shipped face it stands in for after it.

The shipped face stays in every list, so a character the user's file lacks (a Latin font
knows no Han) is drawn by briefgen's own font rather than by whatever the reader has.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

from markupsafe import Markup

from .errors import UsageError, display_path
from .fonts import FACES, SANS_BOLD, SERIF, FontFace, UserFace, glyph_set
from .model import FONT_SUFFIXES, Briefing, Fonts

#: The roles a briefing's font can take: the shipped face it goes in front of, and the
#: generic family that ends the list.
ROLES: dict[str, tuple[FontFace, str]] = {
    "body": (SERIF, "serif"),
    "heading": (SANS_BOLD, "sans-serif"),
}


def user_faces(briefing: Briefing) -> tuple[UserFace, ...]:
    """The faces the briefing's ``fonts:`` names, in role order."""
    if briefing.fonts is None:
        return ()
    faces = []
    for role, (shipped, _) in ROLES.items():
        path = getattr(briefing.fonts, role)
        if path is not None:
            faces.append(
                # Names of briefgen's making: a file's own name could hold anything, quotes
                # that would end the CSS string included.
                UserFace(
                    family=f"briefgen user {role}",
                    file=f"user-{role}{path.suffix.lower()}",
                    weight=shipped.weight,
                    postscript_name=f"user-{role}",
                    location=path,
                    fallback=shipped,
                    version=_version(path),
                )
            )
    return tuple(faces)


def _version(path: Path) -> tuple[int, int, int]:
    """Which version of the font file is there now (:attr:`UserFace.version`)."""
    try:
        status = path.stat()
    except OSError:  # gone since the briefing was read: reading it says so
        return (0, 0, 0)
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def faces(briefing: Briefing) -> tuple[FontFace, ...]:
    """Every face the briefing's outputs embed: its own, then briefgen's."""
    return (*user_faces(briefing), *FACES)


def families(briefing: Briefing) -> dict[str, Markup]:
    """``body_family`` and ``heading_family``: the CSS font-family lists for the templates."""
    own = {face.fallback: face for face in user_faces(briefing)}
    lists = {}
    for role, (shipped, generic) in ROLES.items():
        names = [face.css_name for face in (own.get(shipped), shipped) if face is not None]
        lists[f"{role}_family"] = Markup(", ".join([*names, generic]))
    return lists


def drawn_width(text: str, size: float, briefing: Briefing, role: str) -> float:
    """How wide ``text`` is drawn at ``size`` in ``role``'s family (:func:`families`): the
    characters the briefing's own face has in it, the others in the shipped face, each run
    shaped in the briefing's language. Without a face of the briefing's own, the shipped
    face's width (a user's font measured as the shipped one set a contents label wider than
    its column, which squeezed out its quarter-em gaps)."""
    from .timeline import label_width

    shipped = ROLES[role][0]
    own = next((face for face in user_faces(briefing) if face.fallback == shipped), None)
    if own is None:
        return label_width(text, size, shipped, briefing.lang)
    covered = glyph_set(own)
    width = 0.0
    for run, in_own in _runs_by(text, lambda char: ord(char) in covered):
        width += label_width(run, size, own if in_own else shipped, briefing.lang)
    return width


def _runs_by(text: str, test: Callable[[str], bool]) -> Iterator[tuple[str, bool]]:
    """``text`` cut into the longest runs whose characters ``test`` answers alike."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or test(text[index]) != test(text[start]):
            yield text[start:index], test(text[start])
            start = index


def with_fonts(briefing: Briefing, given: dict[str, Path]) -> Briefing:
    """The briefing with the font files ``given`` by role (``--font body=FILE``) in place of
    those its ``fonts:`` names; each checked as the loader checks ``fonts:``."""
    folder = briefing.folder
    if folder is None:
        raise UsageError("fonts of your own need a briefing loaded from a file")
    return with_font_files(briefing, font_files(given, folder))


def font_files(given: dict[str, Path], folder: Path) -> dict[str, Path]:
    """The font files ``given`` by role, each checked as the loader checks ``fonts:``, for
    a briefing in ``folder`` (absolute, as a loaded briefing's is): the command line checks
    them before it reads the briefing."""
    unknown = [role for role in given if role not in ROLES]
    if unknown:
        raise UsageError(f"unknown font role {unknown[0]!r}; the roles are {', '.join(ROLES)}")
    return {role: _font_file(role, path, folder) for role, path in given.items()}


def with_font_files(briefing: Briefing, files: dict[str, Path]) -> Briefing:
    """The briefing with ``files`` (by role, checked by :func:`font_files` for its folder)
    in place of those its ``fonts:`` names."""
    return dataclasses.replace(
        briefing, fonts=dataclasses.replace(briefing.fonts or Fonts(), **files)
    )


def _font_file(role: str, path: Path, folder: Path) -> Path:
    from .values import font_hint, font_unusable

    target = path.resolve()
    flag = f"--font {role}={path}"
    if not target.is_relative_to(folder):
        # FILE is read from the folder briefgen runs in, as SOURCE is, not from the
        # briefing's as its fonts: are: a path written that way is told so.
        beside = folder / path
        if not path.is_absolute() and beside.is_file():
            hint = (
                f"{path} is read from the current folder, not the briefing's; "
                f"give --font {role}={display_path(beside)}"
            )
        else:
            hint = "copy the font into the briefing's folder first"
        raise UsageError(
            f"{flag}: the font must be inside the briefing's folder ({folder}); "
            f"briefgen reads nothing outside it\n    hint: {hint}"
        )
    if target.suffix.lower() not in FONT_SUFFIXES:
        raise UsageError(f"{flag}: expected an OpenType or TrueType font file (.otf or .ttf)")
    if not target.is_file():
        raise UsageError(f"{flag}: no such file")
    unusable = font_unusable(target)
    if unusable:
        raise UsageError(
            f"{flag}: not a font briefgen can use: {unusable}\n    hint: {font_hint(unusable)}"
        )
    return target
