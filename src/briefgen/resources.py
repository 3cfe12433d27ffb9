"""Where briefgen's own files (templates, fonts, the sample data) live.

In a built wheel they are copied into the package as ``briefgen/_resources/…``; in a source
checkout (or an editable install) they sit at the top of the repository. Everything else asks
:func:`resource_path` and never guesses.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_FOLDERS = ("templates", "fonts", "data")


@cache
def resource_root() -> Path:
    """The folder that holds ``templates/``, ``fonts/`` and ``data/``."""
    for root in (_PACKAGE / "_resources", _PACKAGE.parent.parent):
        if all((root / folder).is_dir() for folder in _FOLDERS):
            return root
    raise RuntimeError(
        f"briefgen's templates, fonts and data are missing near {_PACKAGE}; reinstall briefgen"
    )


def resource_path(*parts: str) -> Path:
    """A file or folder among briefgen's own resources, e.g. ``resource_path("fonts")``."""
    return resource_root().joinpath(*parts)


def sample_path() -> Path:
    """The bundled sample briefing (Russia–North Korea relations, 1945–2023, in zh-Hant)."""
    return resource_path("data", "russia-north-korea.yaml")
