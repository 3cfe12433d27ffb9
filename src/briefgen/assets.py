"""Pictures of a template folder's own, which its templates and CSS show with
``asset("logo.svg")``: a newsroom's logo on the cover, a background in the running header.

The name is a path inside one of the user's template folders, searched in their order, and
never leads out of it (no ``..``, no absolute path, no link to a file elsewhere): a folder
of ``--templates`` or ``briefgen.toml`` is one the user chose, and a briefing's own
``templates:`` lies inside the briefing's folder, so briefgen still reads nothing else
because a briefing asked for it. Each format makes its own address of the file: a ``data:``
URL in the one-file HTML, the file (served by the fetcher from memory) in the PDF, a file
packed in the EPUB.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path, PurePosixPath

from .errors import BuildError, display_path
from .model import IMAGE_TYPES
from .values import Invalid, check_image_content

#: The folder of the EPUB package the pictures are packed in, under their own names.
EPUB_FOLDER = "assets"

#: What a picture's name cannot hold: a space, an address's or Windows' marks, which an
#: EPUB's file names (PKG-009, PKG-010) and addresses cannot carry as they are.
_UNUSABLE = re.compile(r"""[\s%#?"*:<>|\\\x00-\x1f\x7f]""")

_NAME_HINT = (
    'name a picture inside the template folder, from the folder: asset("logo.svg") or '
    'asset("images/logo.png")'
)


class AssetError(BuildError):
    """A picture a template asks for that cannot be shown; :func:`briefgen.render.render`
    puts the template's file and line before it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def find(name: object, folders: tuple[Path, ...]) -> Path:
    """The file ``name`` of the first of ``folders`` that holds it, with every link in its
    path followed, checked to be a picture of the kind its suffix names. (``name`` is what
    a template gave, of whatever type.)"""
    if not isinstance(name, str):  # asset(), asset(42): the builders' default is None
        given = "" if name is None else repr(name)
        raise AssetError(f"asset({given}) takes a picture's name, as text", _NAME_HINT)
    shown = f'asset("{name}")'
    path = PurePosixPath(name)
    if not name:
        raise AssetError(f"{shown} names no file", _NAME_HINT)
    if path.is_absolute() or ".." in path.parts:
        raise AssetError(
            f"{shown} asks for a file outside its template folder",
            _NAME_HINT + "; copy the file into it",
        )
    if _UNUSABLE.search(name):
        raise AssetError(
            f"{shown}: a picture's name holds no space, nor any of % # ? : * \" < > | \\ "
            "(an EPUB's file names and addresses cannot)",
            "rename the file: logo.svg, house-logo.png",
        )
    suffix = path.suffix.lower()
    if suffix not in IMAGE_TYPES:
        raise AssetError(
            f"{shown} is no picture: a template shows PNG, JPEG, GIF, SVG or WebP files",
            "give the picture's file name with its suffix (logo.svg, logo.png)",
        )
    if not folders:
        raise AssetError(
            f"{shown}: there is no template folder of yours to find it in",
            "give your folder with --templates DIR, in briefgen.toml or as the briefing's "
            "templates:",
        )
    for folder in folders:
        candidate = folder / path
        named = f"{display_path(folder)}/{path}"  # as found: display_path follows links
        if not (candidate.is_symlink() or candidate.exists()):
            continue
        target = candidate.resolve()
        if not target.is_relative_to(folder.resolve()):
            raise AssetError(
                f"{shown}: {named} is a link to {target}, outside the "
                f"template folder {display_path(folder)}",
                "a template shows only files of its own folder: copy the picture into it",
            )
        if not target.is_file():
            raise AssetError(f"{shown}: {named} is not a file", _NAME_HINT)
        try:
            check_image_content(target, named)
        except Invalid as error:
            raise AssetError(f"{shown}: {error.message}", error.hint or _NAME_HINT) from None
        return target
    raise AssetError(
        f"{shown}: no such file in " + ", ".join(display_path(folder) for folder in folders),
        _named_otherwise(path, folders)
        or "the name is relative to the template folder, as a template's own name is",
    )


def _named_otherwise(path: PurePosixPath, folders: tuple[Path, ...]) -> str | None:
    """The hint for a picture whose name differs from the file's in case alone (Logo.PNG
    for logo.png): found on Windows and macOS, which ignore case, not on Linux."""
    for folder in folders:
        try:
            same = sorted(
                found.name
                for found in (folder / path).parent.iterdir()
                if found.name.lower() == path.name.lower()
            )
        except OSError:  # no such folder inside it either
            continue
        if same:
            named = str(path.parent / same[0]) if str(path.parent) != "." else same[0]
            return (
                f'the file is named "{named}": write it so (Windows and macOS take either '
                "case, other systems tell them apart)"
            )
    return None


def media_type(path: Path) -> str:
    return IMAGE_TYPES[path.suffix.lower()]


def data_url(path: Path) -> str:
    """The picture as a ``data:`` URL, for the one-file HTML."""
    return f"data:{media_type(path)};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


class PrintAssets:
    """The pictures the PDF's templates asked for, by the file address they were given:
    the fetcher serves exactly these, and reads nothing else of the template folders."""

    def __init__(self, folders: tuple[Path, ...]):
        self.folders = folders
        self.files: dict[str, bytes] = {}

    def __call__(self, name: object = None) -> str:
        path = find(name, self.folders)
        url = path.as_uri()
        if url not in self.files:
            self.files[url] = path.read_bytes()
        return url


def epub_file(name: str) -> str:
    """Where the picture ``name`` is packed in the EPUB, inside the package folder."""
    return f"{EPUB_FOLDER}/{PurePosixPath(name)}"
