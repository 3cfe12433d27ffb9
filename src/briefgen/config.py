"""A folder's own defaults for ``briefgen build``: ``briefgen.toml``, or ``[tool.briefgen]`` in
``pyproject.toml``, read from the folder briefgen is run in (not the briefing's own folder:
the same settings for every briefing a command builds).

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
import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UsageError, display_path
from .options import HANDOUTS, PAPERS, PDF_VARIANTS, check_rules

CONFIG_FILE = "briefgen.toml"


def _choices(names: Iterable[str]) -> str:
    """``A4, A5, B5, letter or half-letter``."""
    *others, last = names
    return f"{', '.join(others)} or {last}"


@dataclass(frozen=True)
class _Key:
    kind: type
    help: str
    example: str
    """A value as the file writes it, for the hint of a value of the wrong type."""
    many: bool = False


#: The keys a configuration may set, as the command line's flags are called. ``help`` says
#: what each takes; the hint of a value of the wrong type shows it, so it names every choice.
KEYS: dict[str, _Key] = {
    "formats": _Key(
        str,
        "the formats to build, as with --format: pdf, epub, html, print-html, all",
        '["pdf", "epub"]',
        many=True,
    ),
    "outdir": _Key(str, "the folder for the outputs, relative to the file (-o)", '"dist"'),
    "paper": _Key(str, f"the PDF's paper size: {_choices(PAPERS)} (--paper)", '"A5"'),
    "handout": _Key(
        str,
        f"a handout form of the PDF: {_choices((*HANDOUTS, 'none'))} (--handout)",
        '"booklet"',
    ),
    "marks": _Key(bool, "crop marks and bleed (--marks)", "true"),
    "pdf-variant": _Key(
        str, f"the PDF standard: {_choices(PDF_VARIANTS)} (--pdf-variant)", '"pdf/a-3b"'
    ),
    "keep-html": _Key(bool, "also write STEM.print.html (--keep-html)", "true"),
    "vertical": _Key(bool, "the EPUB in vertical lines (--vertical)", "true"),
    "templates": _Key(
        str,
        "folders of your own templates, relative to the file (--templates)",
        '["house-style"]',
        many=True,
    ),
    "no-rule": _Key(
        str, "typography rules and warnings to switch off (--no-rule)", '["quotes"]', many=True
    ),
    "strict": _Key(bool, "fail on warnings or typography changes to make (--strict)", "true"),
}

#: How a value of each type is written in TOML, for "expected …".
_TOML_TYPES = {str: "text in quotes", bool: "true or false"}


def read_config(folder: Path) -> tuple[Path | None, dict[str, Any]]:
    """The configuration found in ``folder`` and the file it came from (None: none found).
    Paths in it are made absolute, relative to that file."""
    own = folder / CONFIG_FILE
    if own.is_file():
        text, parsed = _parse(own)
        return own, _check(own, text, parsed)
    project = folder / "pyproject.toml"
    if project.is_file():
        text, parsed = _parse(project)
        table = parsed.get("tool", {}).get("briefgen")
        if table is not None:
            return project, _check(project, text, table, prefix="tool.briefgen.")
    return None, {}


def shadowed(config_file: Path) -> Path | None:
    """The pyproject.toml beside ``config_file`` whose [tool.briefgen] table is not read
    because ``config_file`` is a briefgen.toml, if there is such a table."""
    project = config_file.parent / "pyproject.toml"
    if config_file.name != CONFIG_FILE or not project.is_file():
        return None
    try:
        tool = tomllib.loads(project.read_text(encoding="utf-8-sig")).get("tool")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return project if isinstance(tool, dict) and "briefgen" in tool else None


#: Where tomllib says its error is, at the end of its message (Python 3.11 to 3.13 give it
#: in the message alone): "(at line 2, column 13)" or "(at end of document)".
_TOML_PLACE = re.compile(r" \((?:at line (\d+), column (\d+)|at end of document)\)$")

#: How to mend what tomllib reports, by its words.
_TOML_HINTS = {
    "Cannot overwrite a value": "a setting is given twice here: keep one of the two",
    "Cannot declare": "a table is given twice: keep one of the two",
}


def _parse(path: Path) -> tuple[str, dict[str, Any]]:
    name = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise UsageError(f"{name}: cannot read the file: {error.strerror or error}") from None
    try:
        # A leading byte-order mark, as Windows editors write, is fine, as in a briefing:
        # tomllib read it as a character of the first line, "Invalid statement" at 1:1.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise UsageError(
            f"{name}:{line}:{column}: expected UTF-8 text, found byte "
            f"0x{raw[error.start]:02X} that is not UTF-8\n"
            "    hint: save the file as UTF-8 in your editor (TOML files are UTF-8)"
        ) from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(_toml_error(name, text, str(error))) from None


def _toml_error(name: str, text: str, message: str) -> str:
    """tomllib's error as the other problems are told: the file, line and column first, then
    what is wrong and a hint, not "… (at line 2, column 13)"."""
    place = _TOML_PLACE.search(message)
    what = message[: place.start()] if place else message
    if place is None:
        where = ""
    elif place.group(1):
        where = f":{place.group(1)}:{place.group(2)}"
    else:  # the end of the file: its last line
        lines = text.rstrip("\n").split("\n")
        where = f":{len(lines)}:{len(lines[-1]) + 1}"
    hint = next((hint for words, hint in _TOML_HINTS.items() if what.startswith(words)), None)
    hint = hint or 'each setting is one `key = value` line, text in quotes: paper = "A5"'
    return f"{name}{where}: not valid TOML: {what}\n    hint: {hint}"


def _check(path: Path, text: str, table: Any, prefix: str = "") -> dict[str, Any]:
    if not isinstance(table, dict):
        raise UsageError(
            f"{display_path(path)}: {prefix.rstrip('.')}: expected a table of settings"
        )
    problems = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{display_path(path)}{_line_of(text, key, prefix)}: {prefix}{key}"
        spec = KEYS.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(KEYS), n=1)
            hint = f'did you mean "{close[0]}"?' if close else f"the keys are {', '.join(KEYS)}"
            problems.append(f"{where}: unknown setting; {hint}")
        elif key == "templates" and _fits(value, spec) and not all(map(str.strip, value)):
            # Read as the file's own folder, whose every .html and .css then stood in for
            # briefgen's templates (an HTML built there with -o . became the PDF's).
            problems.append(
                f"{where}: expected folder names, found an empty one in {_toml(value)}\n"
                f'    hint: name each folder (templates = ["house-style"]), or write "." '
                "for the file's own folder"
            )
        elif not _fits(value, spec):
            what = _TOML_TYPES[spec.kind]
            what = f"a list of {what}" if spec.many else what
            problems.append(
                f"{where}: expected {what}, found {_toml(value)}\n"
                f"    hint: {spec.help}; for example {key} = {spec.example}"
            )
        elif (wrong := _value_problem(key, value)) is not None:
            problems.append(f"{where}: {wrong}")
        else:
            values[key] = value
    if problems:
        raise UsageError("\n".join(problems))
    if "templates" in values:
        values["templates"] = [str(path.parent / folder) for folder in values["templates"]]
    if "outdir" in values:
        values["outdir"] = str(path.parent / values["outdir"])
    return values


#: The settings that take one of a few names, in any case, as their flags do.
_CHOICES: dict[str, tuple[str, ...]] = {
    "paper": tuple(PAPERS),
    "handout": (*HANDOUTS, "none"),
    "pdf-variant": tuple(PDF_VARIANTS),
}


def _value_problem(key: str, value: Any) -> str | None:
    """What is wrong with a value of the right type that no command takes (`paper =
    "A3"`, a rule's name mistyped), with a hint; None if nothing. Told here, with the line
    and the key and every other problem of the file, not as the build's "unknown paper
    size" alone, "(in briefgen.toml)", found once a flag did not override it."""
    if key in _CHOICES:
        choices = _CHOICES[key]
        if value.lower() in (choice.lower() for choice in choices):
            return None
        # A name cut short first: "pdf/a" is PDF/A, though pdf/ua-1 is as close in letters.
        close = [choice for choice in choices if choice.lower().startswith(value.lower())]
        close = close or difflib.get_close_matches(value, list(choices), n=1)
        meant = f'did you mean "{close[0]}"? ' if value and close else ""
        return (
            f"expected {_choices(choices)}, found {_toml(value)}\n"
            f"    hint: {meant}{KEYS[key].help}; for example {key} = {KEYS[key].example}"
        )
    if key == "no-rule":
        try:
            check_rules(tuple(value))
        except UsageError as error:
            return str(error)
    if key == "formats":
        from .builders import formats, is_format  # a plug-in's only when a name is not ours

        unknown = [name for name in value if name != "all" and not is_format(name)]
        if unknown:
            return (
                f"unknown format {_toml(unknown[0])}\n"
                f"    hint: choose from {', '.join(formats())} or all; for example "
                f"{key} = {KEYS[key].example}"
            )
    return None


def _line_of(text: str, key: str, prefix: str) -> str:
    """``:LINE:1`` where ``key`` is set in the file (in the ``[tool.briefgen]`` table when
    ``prefix`` names it), or "" when it cannot be told (a key set in an inline table)."""
    lines = text.splitlines()
    start = 0
    if prefix:
        header = re.compile(r"\s*\[\s*tool\s*\.\s*briefgen\s*\]")
        start = next((i + 1 for i, line in enumerate(lines) if header.match(line)), len(lines))
    setting = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number in range(start, len(lines)):
        if setting.match(lines[number]):
            return f":{number + 1}:1"
        if prefix and lines[number].lstrip().startswith("["):
            break  # the next table
    return ""


def _toml(value: Any) -> str:
    """A value as TOML writes it: 'yes' is "yes", True is true."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(map(_toml, value)) + "]"
    return str(value)


def _fits(value: Any, spec: _Key) -> bool:
    if spec.many:
        return isinstance(value, list) and all(isinstance(item, spec.kind) for item in value)
    return isinstance(value, spec.kind)
