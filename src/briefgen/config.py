"""A folder's own defaults for ``briefgen build``: ``briefgen.toml``, or ``[tool.briefgen]`` in
``pyproject.toml``, read from the folder briefgen is run in.

Flags on the command line override it, so that a folder of briefings builds the same way
every time and a one-off build can still differ::

    # briefgen.toml
    formats = ["pdf", "epub"]
    outdir = "dist"
    paper = "A5"
    handout = "booklet"
    templates = ["house-style"]   # relative to this file
    no-rule = ["quotes"]

Every problem is reported at once, with the file and the key, before any work.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError, display_path

CONFIG_FILE = "briefgen.toml"


@dataclass(frozen=True)
class _Key:
    kind: type
    help: str
    many: bool = False


#: The keys a configuration may set, as the command line's flags are called.
KEYS: dict[str, _Key] = {
    "formats": _Key(str, "the formats to build, as with --format", many=True),
    "outdir": _Key(str, "the folder for the outputs (-o)"),
    "paper": _Key(str, "the PDF's paper size (--paper)"),
    "handout": _Key(str, "booklet or 2up (--handout)"),
    "marks": _Key(bool, "crop marks and bleed (--marks)"),
    "pdf-variant": _Key(str, "pdf/ua-1 or pdf/a-3b (--pdf-variant)"),
    "keep-html": _Key(bool, "also write STEM.print.html (--keep-html)"),
    "vertical": _Key(bool, "the EPUB in vertical lines (--vertical)"),
    "templates": _Key(str, "folders of your own templates, relative to the file", many=True),
    "no-rule": _Key(str, "typography rules to switch off (--no-rule)", many=True),
    "strict": _Key(bool, "fail on warnings or typography changes to make (--strict)"),
}


def read_config(folder: Path) -> tuple[Path | None, dict[str, Any]]:
    """The configuration found in ``folder`` and the file it came from (None: none found).
    Paths in it are made absolute, relative to that file."""
    own = folder / CONFIG_FILE
    if own.is_file():
        return own, _check(own, _parse(own))
    project = folder / "pyproject.toml"
    if project.is_file():
        table = _parse(project).get("tool", {}).get("briefgen")
        if table is not None:
            return project, _check(project, table, prefix="tool.briefgen.")
    return None, {}


def _parse(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{display_path(path)}: not valid TOML: {error}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{display_path(path)}: cannot read the file: {error}") from None


def _check(path: Path, table: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(table, dict):
        raise UsageError(
            f"{display_path(path)}: {prefix.rstrip('.')}: expected a table of settings"
        )
    problems = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        spec = KEYS.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f'did you mean "{close[0]}"?' if close else f"the keys are {', '.join(KEYS)}"
            problems.append(f"{display_path(path)}: {prefix}{key}: unknown setting; {hint}")
        elif not _fits(value, spec):
            what = f"a list of {spec.kind.__name__}" if spec.many else spec.kind.__name__
            problems.append(
                f"{display_path(path)}: {prefix}{key}: expected {what}, found {value!r}"
            )
        else:
            values[key] = value
    if problems:
        raise UsageError("\n".join(problems))
    if "templates" in values:
        values["templates"] = [str(path.parent / folder) for folder in values["templates"]]
    if "outdir" in values:
        values["outdir"] = str(path.parent / values["outdir"])
    return values


def _fits(value: Any, spec: _Key) -> bool:
    if spec.many:
        return isinstance(value, list) and all(isinstance(item, spec.kind) for item in value)
    return isinstance(value, spec.kind)
