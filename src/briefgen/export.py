"""``briefgen templates export``: a copy of briefgen's own templates and CSS to start a
house style from.

The copy is a starting point, not a fork to keep whole: a template folder only needs the files
that differ, since every name it lacks is still found among briefgen's own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import BuildError, UsageError
from .resources import resource_path

#: What to open first in an exported folder, and why, as ``briefgen templates export`` says it.
EDIT_FIRST = (
    ("css/base.css", "type, colours and the timeline's look, in every format"),
    ("css/print.css", "the PDF's page: margins, running header, page numbers"),
    ("partials/cover.html", "the title block"),
    ("partials/event.html", "how one event is laid out"),
)


def builtin_templates() -> list[Path]:
    """briefgen's own template and CSS files, relative to its template folder, sorted."""
    root = resource_path("templates")
    return sorted(path.relative_to(root) for path in root.rglob("*") if path.is_file())


def export_templates(folder: Path, force: bool = False) -> list[Path]:
    """Copy briefgen's templates into ``folder`` (made if missing) and return the files
    written. Refuses to replace a file that is already there unless ``force``."""
    root = resource_path("templates")
    names = builtin_templates()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; give a folder to copy the templates into")
    # A folder under a file (house/t) cannot be made: refused as the file itself is, as
    # briefgen new refuses it (starter.py).
    blocking = next((part for part in folder.parents if part.exists() and not part.is_dir()), None)
    if blocking is not None:
        raise UsageError(
            f"{blocking} is a file, not a folder to make {folder} in; give a folder to copy "
            "the templates into"
        )
    # A file where a subfolder goes (house/css) stops the copy part way, with the files
    # before it copied: refused before any is, as --force replaces files, not folders.
    for name in names:
        for part in reversed(name.parents[:-1]):
            if (folder / part).exists() and not (folder / part).is_dir():
                raise UsageError(
                    f"{folder / part} is a file, where the templates need a folder ({name} "
                    "goes in it); move it away, or choose another folder"
                )
    existing = [folder / name for name in names if (folder / name).exists()]
    if existing and not force:
        shown = ", ".join(str(path) for path in existing[:3])
        more = f" and {len(existing) - 3} more" if len(existing) > 3 else ""
        raise UsageError(
            f"{shown}{more} already exist; briefgen templates export replaces files only "
            "with --force (or choose an empty folder)"
        )
    written = []
    try:
        for name in names:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / name, target)
            written.append(target)
    except OSError as error:
        raise BuildError(
            f"cannot write {error.filename or folder}: {error.strerror}"
            + (f" ({len(written)} of {len(names)} files copied)" if written else "")
        ) from None
    return written
