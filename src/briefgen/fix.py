"""``briefgen check --fix``: the typography rules' changes written back into the briefing file.

Only the text of the values the rules change is replaced, where it is written in the file:
each such value is written again in the style it had (plain, quoted, a literal or folded
block at its indentation), and every other character of the file stays as it was: comments,
key order, flow lists, anchors, a byte order mark, Windows line ends. A folded block whose
lines the fold cannot keep as they are (a more-indented line) is written as a literal block,
which keeps every line break. The result is read back before it is written: a value that
does not read back as the rules made it where it stands (a block with an indentation
indicator, say) is written there double-quoted instead, which holds any text; and should
the file still not read back with those values changed and every other value as it was,
it is left untouched, with an error.

The original is kept next to it as ``<name>.bak`` (``.bak.2``, ``.bak.3``… when an earlier
one is there), and the new file is written to a temporary name and renamed, so an
interrupted fix leaves the file whole.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import yaml

from .errors import BriefgenError, BriefingError, display_path
from .load import compose_yaml, load, loads
from .model import NODE_PROPERTIES, text_values
from .typography import run

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_BOM = "\ufeff"


def fix_file(path: Path, disabled: Sequence[str] = ()) -> list[str]:
    """Apply the rules to the typeset text of the briefing at ``path`` in place; return the
    field paths changed (nothing is written when there are none). The file must load."""
    with _warnings_told():
        briefing = load(path)  # refuses a file with problems, with every problem listed
    with path.open(encoding="utf-8", newline="") as file:
        raw = file.read()
    bom = _BOM if raw.startswith(_BOM) else ""
    newline = "\r\n" if "\r\n" in raw else "\n"
    original = raw.removeprefix(_BOM).replace("\r\n", "\n")
    before, wanted = {}, {}
    for field, spec, text in text_values(briefing):
        before[field] = text
        if spec.kind.is_typeset:
            after = run(text, briefing.lang, disabled)
            if after != text:
                wanted[field] = after
    if not wanted:
        return []
    expected = before | wanted
    fixed = _in_place(original, wanted)
    misread = set(wanted) if fixed is None else _misread(fixed, expected, path)
    if misread:
        fixed = _in_place(original, wanted, double_quoted=misread)
    if fixed is None or (misread and _misread(fixed, expected, path)):
        raise BriefgenError(
            f"{display_path(path)}: the fixes cannot be written into the file as the "
            "rules made them; the file is unchanged\n"
            "    hint: run `briefgen check` to see each change, and make it by hand"
        )
    # Into the file a link given as SOURCE leads to (one inside the briefing's folder, as
    # load() allows): replacing the link with a file left the briefing itself unfixed.
    _replace(path.resolve(), raw, bom + fixed.replace("\n", newline))
    return list(wanted)


def _in_place(text: str, wanted: dict[str, str], double_quoted: Collection[str] = ()) -> str | None:
    """``text`` with each field of ``wanted`` written anew where it stands, in its style
    (those of ``double_quoted``, and a block that cannot be kept in its style, in double
    quotes); None where a field's value is no scalar node of the file."""
    # Read as the loader reads it: libyaml takes a few things the Python parser does not.
    root = compose_yaml(text)
    if root is None:
        return None
    spans = {}
    for field, value in wanted.items():
        node = _node(root, field)
        if not isinstance(node, yaml.ScalarNode):
            return None
        start, end = node.start_mark.index, node.end_mark.index
        # The node's anchor or tag stays as written (an alias elsewhere refers to it); an
        # alias's field is the anchored node's own span, written once.
        properties = NODE_PROPERTIES.match(text, start, end)
        start = properties.end() if properties else start
        written = None if field in double_quoted else _scalar(value, node.style, text, start, end)
        if written is None:
            written = _double_quoted(value)
            if node.style in ("|", ">"):  # a block's span ends with its line break
                written += text[start:end][len(text[start:end].rstrip("\n ")) :]
        spans[start, end] = written
    for (start, end), written in sorted(spans.items(), reverse=True):
        text = text[:start] + written + text[end:]
    return text


def _node(root: yaml.Node, field: str) -> yaml.Node | None:
    """The node of ``field`` (``events[3].body``) in the composed document."""
    node: yaml.Node | None = root
    for name, index in _STEP.findall(field):
        if isinstance(node, yaml.MappingNode) and name:
            node = next((v for k, v in node.value if getattr(k, "value", None) == name), None)
        elif isinstance(node, yaml.SequenceNode) and index:
            node = node.value[int(index)]
        else:
            return None
    return node


def _scalar(value: str, style: str | None, text: str, start: int, end: int) -> str | None:
    """``value`` written as a scalar of ``style`` that took ``text[start:end]``."""
    if style in ("|", ">"):
        return _block(value, style, text, start, end)
    if "\n" in value:
        return _double_quoted(value)
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        return _double_quoted(value)
    return value  # plain: read back before it is kept (_reads_as)


def _double_quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


def _block(value: str, style: str, text: str, start: int, end: int) -> str | None:
    """A literal or folded block: its header line kept (``|``, ``>-``, a comment), its lines
    at the indentation of its first line."""
    header_end = text.find("\n", start)
    if header_end == -1 or header_end >= end:
        return None
    header = text[start:header_end]
    body = text[header_end + 1 : end]
    indent = re.match(r"[ ]*", body.lstrip("\n"))
    width = len(indent.group()) if indent else 0
    if width == 0 or re.search(r"[0-9]", header.split("#")[0]):
        return None  # an explicit indentation indicator: written double-quoted instead
    lines = value.rstrip("\n").split("\n")
    if lines[0].startswith((" ", "\t")):
        return None  # it would need an indentation indicator
    if style == ">" and any(line.startswith((" ", "\t")) for line in lines):
        # A more-indented line keeps the line breaks around it, which the folding rules
        # below cannot express: a literal block keeps every line as it is.
        header = "|" + header[1:]
    elif style == ">":
        # In a folded block a line break is a blank line; a single one would be a space.
        lines = "\n\n".join(lines).split("\n")
    content = "\n".join(" " * width + line if line else "" for line in lines)
    # What followed the block's last line (blank lines kept by "|+", the next key's indent).
    trailing = body[len(body.rstrip("\n ")) :]
    return f"{header}\n{content}{trailing if trailing.startswith(chr(10)) else chr(10)}"


def _misread(text: str, expected: dict[str, str], path: Path) -> set[str]:
    """The fields whose text ``text`` does not hold as ``expected`` (all of them when it
    does not load, or holds another set of fields)."""
    try:
        with _warnings_told():
            briefing = loads(text, path=path)
    except BriefingError:
        return set(expected)
    values = {field: value for field, _, value in text_values(briefing)}
    if values.keys() != expected.keys():
        return set(expected)
    return {field for field, value in expected.items() if values[field] != value}


class _Told(logging.Filter):
    """Drops the warnings given on the thread that made it."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.WARNING or record.thread not in (self.thread, None)


@contextmanager
def _warnings_told() -> Iterator[None]:
    """The file read again without its warnings: ``check`` told them when it read the file
    first, and the fixed text, read back to test it, has the same ones (an unclosed 「 is
    one still), which a user would be shown two more times, the second time with counts
    of the file before the fix."""
    logger = logging.getLogger("briefgen")
    told = _Told()
    logger.addFilter(told)
    try:
        yield
    finally:
        logger.removeFilter(told)


def backup_path(path: Path) -> Path:
    """Where the original goes: ``<name>.bak``, or the first of ``.bak.2``, ``.bak.3``… not
    taken, so that a second fix keeps the first one's original."""
    backup = path.with_name(path.name + ".bak")
    number = 2
    # lexists: a link to no file takes the name too (exists() follows it and says no).
    while os.path.lexists(backup):
        backup = path.with_name(f"{path.name}.bak.{number}")
        number += 1
    return backup


def _replace(path: Path, original: str, fixed: str) -> None:
    # A new file only (O_EXCL): never written through a link put where the backup goes,
    # which would let a briefing's folder make `check --fix` write its text anywhere. With
    # the original's permissions: a briefing only its owner may read keeps its backup so.
    descriptor = os.open(
        backup_path(path),
        # Binary where the system has a text mode (Windows), so that its C runtime does not
        # write each LF as CRLF: the backup is the original as it was read.
        os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
        path.stat().st_mode & 0o777,
    )
    # Written as read: no newline translation either way.
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as stream:
        stream.write(original)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(fixed)
        os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
