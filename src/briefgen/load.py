"""Briefing file (YAML) → :class:`~briefgen.model.Briefing`, reporting every problem at once.

The file is composed into YAML nodes (safe tags only) rather than loaded into plain Python
values, because nodes keep the line and column of every value: each problem can then point at
the exact spot, and a duplicate key, which ``yaml.safe_load`` silently drops, can be caught.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import logging
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar, cast

import yaml

from .collector import collector_paused
from .errors import BriefingError, Problem, display_path, silencing, warn
from .i18n import LANGUAGES, Language
from .model import (
    MAX_FILE_BYTES,
    Briefing,
    Event,
    Fonts,
    Kind,
    PartialDate,
    Person,
    Position,
    Source,
    Spec,
    specs,
)
from .typography.brackets import unbalanced
from .typography.chars import HAN_KANA, HANGUL
from .values import (
    EXPECTED,
    READERS,
    Context,
    Invalid,
    as_written_here,
    describe,
    did_you_mean,
    printable,
    shortened,
)
from .yaml_hints import (
    FULL_WIDTH_KEY,
    full_width_colon,
    full_width_dash,
    key_meant,
    unknown_key_hint,
    yaml_error,
)

_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}

#: How much text and how many list items a file may expand to through YAML aliases (``*a``
#: repeats ``&a``): twice what the largest file can hold written out. Beyond it the file is
#: refused, so that a few lines of aliases cannot make gigabytes of text ("billion laughs").
MAX_EXPANDED_SIZE = 2 * MAX_FILE_BYTES

log = logging.getLogger("briefgen")


def load(path: str | Path, *, disabled_rules: str | Iterable[str] = ()) -> Briefing:
    """Read and check a briefing file; raise :class:`BriefingError` listing every problem.
    The warnings of the rules ``disabled_rules`` names (``event-order``…, as a build's
    option of that name) are neither given nor counted."""
    if not isinstance(path, (str, os.PathLike)):
        # A setting left None, or the YAML itself (bytes, a stream) taken for a path, failed
        # in pathlib, naming neither the argument nor what to give: "expected str, bytes or
        # os.PathLike object, not NoneType".
        raise TypeError(
            "path must be a briefing file's path (str or pathlib.Path), not "
            f"{type(path).__name__}; briefgen.loads reads a briefing's text"
        )
    path = Path(path)
    shown = display_path(path)
    linked = _linked_out(path)
    if linked is not None:
        raise BriefingError([linked])
    try:
        if path.stat().st_size > MAX_FILE_BYTES:  # refused before it is read into memory
            raise BriefingError([_too_large(shown, path.stat().st_size)])
        # Read no more than the limit allows all the same: a device or a pipe (/dev/zero,
        # <(…)) has no size to tell in advance.
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise BriefingError([_too_large(shown, None)])
    except OSError as error:
        raise BriefingError([_unreadable(path, shown, error)]) from None
    return loads(raw, path=path, name=shown, disabled_rules=disabled_rules)


#: The suffixes of a folder's briefings, in any case: a file saved on Windows or macOS, whose
#: file systems ignore case, may well end in .YAML, and `build X.YAML` reads it anyway.
BRIEFING_SUFFIXES = (".yaml", ".yml")


def briefings_in(folder: Path) -> list[Path]:
    """The briefing files of ``folder``, sorted by name: its ``*.yaml`` and ``*.yml`` files
    whatever their case, not hidden ones (a shell's `*.yaml` leaves them out, and a
    repository's .gitlab-ci.yml is no briefing), nor those of its subfolders."""
    return sorted(
        path
        for path in folder.iterdir()
        if path.suffix.lower() in BRIEFING_SUFFIXES
        and not path.name.startswith(".")
        and path.is_file()
    )


def _linked_out(path: Path) -> Problem | None:
    """The problem of a briefing file that is a link to a file outside its folder, else
    None. Such a briefing would be read from where the link leads, its pictures and fonts
    from that folder: a contributor's ``briefing.yaml -> ../bob/embargoed.yaml``, named on
    a shared build server's command line, had another's briefing built, and a link to any
    YAML file (a service's settings) had its lines quoted in the errors; `build DIR`
    refuses such a link in the folder for the same reason. The system's names of an open
    file (``/dev/stdin``, ``<(…)``'s ``/dev/fd/63``) are links too, made by whoever ran the
    command, and read."""
    if not path.is_symlink() or path.absolute().parts[1:2] in (("dev",), ("proc",)):
        return None
    try:
        target = path.resolve()
        folder = path.absolute().parent.resolve()
    except (OSError, RuntimeError):  # a loop of links: reported when it is read
        return None
    if target.is_relative_to(folder):
        return None
    return Problem(
        str(path),  # as given: display_path() would show where it leads
        None,
        None,
        "",
        f"is a link to {target}, outside its folder {folder}",
        f"briefgen reads a briefing only from its own folder; to build that file, name it: "
        f"{display_path(target)}",
    )


def _unreadable(path: Path, shown: str, error: OSError) -> Problem:
    """Why the file ``path`` cannot be read, and what to give instead."""
    if isinstance(error, IsADirectoryError):
        # `check DIR`, as `build DIR` builds every briefing of a folder.
        try:
            inside = briefings_in(path)
        except OSError:  # a folder briefgen may not list: the hint needs no example
            inside = []
        example = f"such as {display_path(inside[0])}" if inside else "by its file name"
        return Problem(
            shown,
            None,
            None,
            "",
            "is a folder, not a briefing file",
            f"give a briefing in it, {example} (build builds every one of a folder's)",
        )
    hint = None
    if isinstance(error, FileNotFoundError):
        hint = (
            "check the folder and the file's name"
            if path.is_absolute()
            else f"the path is relative to the folder briefgen runs in ({Path.cwd()})"
        )
    reason = error.strerror or str(error)
    return Problem(shown, None, None, "", f"cannot read the file: {reason}", hint)


def loads(
    raw: bytes | str,
    *,
    path: str | Path | None = None,
    name: str | None = None,
    disabled_rules: str | Iterable[str] = (),
) -> Briefing:
    """Like :func:`load`, for text already in memory; ``path`` anchors relative image paths."""
    from .options import given_rules  # the options import the model, as this module does

    # A program that reads the briefing itself before building it gave the warnings it had
    # switched off for the build at this reading.
    rules = given_rules(disabled_rules, "disabled_rules")
    path = Path(path) if path is not None else None
    name = name or (display_path(path) if path else "<briefing>")
    if not isinstance(raw, (bytes, str)):
        raise TypeError(f"loads() takes the file's text as str or bytes, not {type(raw).__name__}")
    size = len(raw.encode("utf-8", "surrogatepass")) if isinstance(raw, str) else len(raw)
    if size > MAX_FILE_BYTES:
        raise BriefingError([_too_large(name, size)])
    text = raw if isinstance(raw, str) else _decode(raw, name)
    surrogate = _SURROGATE.search(text)
    if surrogate:  # the YAML parser encodes the text as UTF-8, which has no surrogates
        raise BriefingError([_surrogate(name, text, surrogate.start())])
    with collector_paused, silencing(rules):  # a node for every value, kept to the end
        return _Reader(name, path).read(text)


#: Half of a character in UTF-16: in a str, what decoding with errors="surrogateescape"
#: leaves of a byte that is not UTF-8, or a pair of escapes taken apart.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate(name: str, text: str, index: int) -> Problem:
    """The problem of a text given to loads() that holds a lone surrogate at ``index``."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Problem(
        name,
        line,
        column,
        "",
        f"the text holds U+{ord(text[index]):04X}, half of a character (a surrogate), "
        "which no text file can hold",
        "give the file's text as it was decoded from UTF-8, or the file's bytes themselves",
    )


def _too_large(name: str, size: int | None) -> Problem:
    """The problem of a file over the limit, of ``size`` bytes (None: more than the limit, as
    far as it was read)."""
    limit = MAX_FILE_BYTES // 2**20
    told = f"{size / 2**20:.1f} MiB" if size is not None else f"more than {limit} MiB"
    return Problem(
        name,
        None,
        None,
        "",
        f"the file is {told}; briefgen reads briefings of up to {limit} MiB",
        "split it into several briefings, or move long texts out of it",
    )


#: What a file given for a briefing is, by how it starts, where it is no text at all: a
#: document the briefing was written in, or an output or a picture given by mistake. Read
#: as text, each was "not UTF-8" and, as most bytes are, GBK, with iconv's line to convert
#: a picture to text.
_NO_TEXT: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "give the briefing's .yaml file, which the PDF is made from"),
    (
        b"PK\x03\x04",
        "a ZIP archive (a Word .docx, an EPUB or a spreadsheet is one)",
        "copy the text into a .yaml file saved as plain UTF-8 text (`briefgen new` writes a "
        "starter)",
    ),
    (
        b"\xd0\xcf\x11\xe0",
        "a Word or Excel document of the old kind (.doc, .xls)",
        "copy the text into a .yaml file saved as plain UTF-8 text (`briefgen new` writes a "
        "starter)",
    ),
    (
        b"{\\rtf",
        "an RTF document",
        "save it as plain text (UTF-8) with a .yaml suffix, or copy the text into a .yaml file",
    ),
    *(
        (
            signature,
            f"a {kind} image",
            "give the briefing's .yaml file; a picture is given in an event's `image:`",
        )
        for signature, kind in (
            (b"\x89PNG", "PNG"),
            (b"\xff\xd8\xff", "JPEG"),
            (b"GIF8", "GIF"),
        )
    ),
)


def _decode(raw: bytes, name: str) -> str:
    kind = next((known for known in _NO_TEXT if raw.startswith(known[0])), None)
    if kind is not None:
        raise BriefingError(
            [Problem(name, None, None, "", f"the file is {kind[1]}, not a briefing", kind[2])]
        )
    utf16 = _utf16_without_bom(raw)
    if utf16 is not None:
        # Its ASCII characters each come with a NUL byte, which is UTF-8 too: the file would
        # be read as text with a NUL after its first letter, and the user told to delete it.
        raise BriefingError(
            [
                Problem(
                    name,
                    None,
                    None,
                    "",
                    f"expected UTF-8 text; the file is {utf16} without a byte-order mark",
                    f"save the file as UTF-8 in your editor, or convert it: iconv -f {utf16} "
                    f"-t UTF-8 {name} > fixed.yaml",
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")  # a leading BOM, as Windows editors write, is fine
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        looks, encoding = "", None
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # the byte-order mark of UTF-16
            looks, encoding = "; it is UTF-16 (it starts with UTF-16's byte-order mark)", "UTF-16"
        elif _decodes_as(raw, "cp950"):
            looks = "; it looks like Big5/CP950, the usual Traditional Chinese Windows encoding"
            encoding = "CP950"
        elif _decodes_as(raw, "gb18030"):
            looks, encoding = "; it looks like GBK/GB18030", "GB18030"
        hint = "save the file as UTF-8 in your editor" + (
            f", or convert it: iconv -f {encoding} -t UTF-8 {name} > fixed.yaml"
            if encoding
            else " (choose UTF-8 in its Save As dialog)"
        )
        raise BriefingError(
            [
                Problem(
                    name,
                    line,
                    column,
                    "",
                    f"expected UTF-8 text, found byte 0x{raw[error.start]:02X} "
                    f"that is not UTF-8{looks}",
                    hint,
                )
            ]
        ) from None


def _utf16_without_bom(raw: bytes) -> str | None:
    """``"UTF-16LE"`` or ``"UTF-16BE"`` for a file in UTF-16 that does not start with its
    byte-order mark, else None. A briefing's keys and line ends are ASCII, each a NUL byte
    and its code in UTF-16: the file holds NULs (which no UTF-8 briefing can), nearly all on
    one side of each pair of bytes, and read as UTF-16 it is a text of lines without any."""
    nuls = raw.count(b"\x00")
    if nuls < 4 or raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    # Where a character's NUL byte is: its second in little-endian, its first in big-endian.
    for encoding, side in (("UTF-16LE", raw[1::2]), ("UTF-16BE", raw[0::2])):
        if side.count(b"\x00") < nuls * 3 // 4:
            continue
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\n" in text and "\x00" not in text:
            return encoding
    return None


def _decodes_as(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


# -- the document --------------------------------------------------------------------------


class _TooBig(Exception):
    """Raised once the file expands beyond :data:`MAX_EXPANDED_SIZE`; reading stops."""


def _position(node: yaml.Node, text: str) -> Position:
    """Where ``node`` is written in ``text``; for a text value, the text as written too."""
    start, end = node.start_mark, node.end_mark
    # Both parsers count a mark's index in characters of the text they were given.
    written = text[start.index : end.index] if isinstance(node, yaml.ScalarNode) else ""
    return Position(start.line + 1, start.column + 1, written)


_Read = TypeVar("_Read", bound=Callable[..., Any])


def _through_alias(read: _Read) -> _Read:
    """``read``, which reads ``node``, placing all it reports at ``node`` if it is an alias
    (the outermost one, if it is inside another's value)."""

    @functools.wraps(read)
    def reading(self: _Reader, node: yaml.Node, *args: Any) -> Any:
        if self.via is not None or _alias_of(node) is None:
            return read(self, node, *args)
        self.via = node
        try:
            return read(self, node, *args)
        finally:
            self.via = None

    return cast(_Read, reading)


class _Reader:
    """One pass over the YAML nodes by the format's declaration (:mod:`briefgen.model`),
    collecting every problem, then building the model only if there were none."""

    def __init__(self, name: str, path: Path | None):
        self.name = name
        self.context = Context(path)
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.positions: dict[str, Position] = {}
        self.meant: set[str] = set()
        """The fields written under an unknown key that names them (標題: for title:)."""
        self.text = ""
        self.expanded = 0
        self.via: yaml.Node | None = None
        """The alias being read through, if any: what is inside it is placed at the alias."""

    # -- reporting -----------------------------------------------------------------------

    def problem(
        self, node: yaml.Node | None, field: str, message: str, hint: str | None = None
    ) -> None:
        mark = (self.via or node).start_mark if node is not None else None
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        message += self.alias_note(node) if node is not None else ""
        self.problems.append(Problem(self.name, line, column, field, message, hint))

    def alias_note(self, node: yaml.Node | None) -> str:
        """Where the value an alias gives is written, for a problem placed at the alias."""
        alias_of = _alias_of(self.via or node)
        if alias_of is None:
            return ""
        name, anchored = alias_of
        at = anchored.start_mark
        return f" (the alias *{name} of the value at {at.line + 1}:{at.column + 1})"

    def problem_at(self, field: str, message: str, hint: str | None = None) -> None:
        """A problem with a value already read, located by its recorded position."""
        pos = self.positions.get(field)
        self.problems.append(
            Problem(
                self.name,
                pos.line if pos else None,
                pos.column if pos else None,
                field,
                message,
                hint,
            )
        )

    def expected(self, node: yaml.Node, field: str, what: str, hint: str | None = None) -> None:
        self.problem(node, field, f"expected {what}, found {describe(node)}", hint)

    def count(self, size: int) -> None:
        self.expanded += size
        if self.expanded > MAX_EXPANDED_SIZE:
            self.problem(
                None,
                "",
                f"the file expands to more than {MAX_EXPANDED_SIZE:,} "
                "characters and list items through YAML aliases (*name)",
                "write the repeated parts out, or split the briefing",
            )
            raise _TooBig

    # -- the document ----------------------------------------------------------------------

    def read(self, text: str) -> Briefing:
        self.text = text
        root = self.compose(text)
        values = None
        if root is not None and self.check_tags(root):
            try:
                values = self.record(root, "", Briefing)
            except _TooBig:
                values = None
        if values is not None:
            self.check_people(values)
            self.check_tag_spellings(values)
            self.check_future(values)
            self.check_when_labels(values)
        # In file order, as an editor shows them, warnings and problems alike: the checks
        # that compare events (their order, a paste made twice) and the briefing's own title
        # run once its events are read. sorted() keeps ties in report order.
        for warning in sorted(self.warnings, key=_file_order):
            warn("%s", warning)
        if self.problems or values is None:
            raise BriefingError(sorted(self.problems, key=_file_order))
        path = self.context.path
        briefing: Briefing = _build(
            Briefing,
            values,
            path=path.resolve() if path else None,
            source_name=None if path else self.name,
            positions=self.positions,
        )
        return briefing

    def position(self, node: yaml.Node) -> Position:
        """Where ``node`` starts; for a text value, also the text as written, so that a
        warning about one character in it can give that character's own line and column."""
        alias = self.via or node
        alias_of = _alias_of(alias)
        if alias_of is None:
            return _position(node, self.text)
        # The value is told of where the alias is; its characters are written at the anchor.
        written = _position(alias_of[1] if node is alias else node, self.text)
        return Position(alias.start_mark.line + 1, alias.start_mark.column + 1, text_at=written)

    def compose(self, text: str) -> yaml.Node | None:
        empty = (
            "the file is empty",
            "a briefing needs at least a title and one event: `briefgen new` writes a starter "
            "that shows every field",
        )
        if not text.strip():
            self.problem(None, "", *empty)
            return None
        try:
            root = compose_yaml(text, aliases_apart=True)
        except yaml.MarkedYAMLError as error:
            line, column, what, hint = yaml_error(error, text)
            self.problems.append(
                Problem(self.name, line, column, "", f"not valid YAML: {what}", hint)
            )
            return None
        except yaml.reader.ReaderError as error:
            # A character YAML does not allow anywhere (NUL, most other controls): PyYAML
            # names it by its index in the text; an editor wants its line and column.
            line = text.count("\n", 0, error.position) + 1
            column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
            self.problems.append(
                Problem(
                    self.name,
                    line,
                    column,
                    "",
                    f"not valid YAML: the control character U+{error.character:04X} is not "
                    "allowed in a YAML file",
                    "delete it: most editors do not show it (it comes with text pasted from "
                    "some PDFs and word processors)",
                )
            )
            return None
        except (yaml.YAMLError, RecursionError) as error:
            # RecursionError: PyYAML composes nested collections recursively.
            reason = "it nests too deeply" if isinstance(error, RecursionError) else error
            self.problem(None, "", f"not valid YAML: {reason}")
            return None
        if root is None or (isinstance(root, yaml.ScalarNode) and not root.value.strip()):
            self.problem(None, "", *empty)
            return None
        return root

    def check_tags(self, root: yaml.Node) -> bool:
        """Refuse tags beyond plain YAML's (``!!python/…`` and friends); True if all are fine.

        Each node waits with the way to it (its parent's way and its key or index), from
        which a field path is made only for a node to report: making every node's path took
        twice as long as the walk itself (10,540 nodes at 1,000 events).

        Every tag but the resolver's own is written with a ``!`` (``!!binary``, ``!x``,
        ``%TAG`` directives), so a file without one has only plain tags: nearly every
        briefing, which then needs no walk at all."""
        if "!" not in self.text:
            return True
        seen: set[int] = set()
        waiting: list[tuple[yaml.Node, _Way]] = [(root, None)]
        fine = True
        while waiting:
            node, way = waiting.pop()
            if id(node) in seen:  # aliases can make the node graph cyclic
                continue
            seen.add(id(node))
            if node.tag not in _PLAIN_TAGS and not _plain_text(node):
                tag = node.tag.replace("tag:yaml.org,2002:", "!!")
                self.problem(
                    node,
                    _field_path(way) or "(top level)",
                    f"unsupported YAML tag {tag}",
                    "briefgen reads plain YAML: text, numbers, dates, lists and mappings",
                )
                fine = False
            elif isinstance(node, yaml.SequenceNode):
                waiting.extend((item, (way, index)) for index, item in enumerate(node.value))
            elif isinstance(node, yaml.MappingNode):  # the values: keys are read as text only
                waiting.extend((value, (way, str(key.value))) for key, value in node.value)
        return fine

    # -- records, by their declaration -----------------------------------------------------

    @_through_alias
    def record(self, node: yaml.Node, field: str, record_type: type) -> dict[str, Any] | None:
        """The declared fields of one record as plain values (records inside it as dicts);
        None if ``node`` is not a mapping. Problems are collected, not raised."""
        declared = specs(record_type)
        fields = self.mapping(
            node, field, tuple(name for name, _ in declared), what=RECORD_NAMES[record_type]
        )
        if fields is None:
            return None
        values: dict[str, Any] = {}
        for name, spec in declared:
            path = f"{field}.{name}" if field else name
            if name not in fields:
                if spec.required and path not in self.meant:
                    self.problem(
                        node,
                        path,
                        "required field is missing",
                        spec.missing_hint or f"add `{name}: …`",
                    )
                continue
            value = self.value(fields[name], path, spec)
            if value is not None:
                values[name] = value
        if record_type in (Event, Briefing):
            for key in ("title", "subtitle"):
                if isinstance(values.get(key), str):
                    self.check_heading(values[key], f"{field}.{key}" if field else key)
        if record_type is Event:
            self.check_event(values, field, fields)
        elif record_type is Person and "alt_lang" in values and not values.get("alt"):
            # The language is alt's: with no alt, nothing is marked with it.
            self.warn(
                fields["alt_lang"],
                f"{field}.alt_lang",
                "an alt_lang without an alt is used nowhere",
                "give the name in another script as `alt: …`, or leave the alt_lang out",
            )
        return values

    @_through_alias
    def value(self, node: yaml.Node, field: str, spec: Spec) -> Any:
        """One field's value, or None (absent, null, or with a problem already reported)."""
        if _is_null(node):
            glued = self.glued_comment(node)
            if spec.required:
                what = "a list" if spec.kind is Kind.RECORDS else EXPECTED[spec.kind]
                if glued:
                    hint = f"{COMMENT_HINT}: quote the whole text: {_quoted(glued[2])}"
                elif spec.few_hint:  # `events:` with nothing after it: the key is written
                    hint = f"{spec.few_hint} on a line below `{_key(field)}:`"
                else:
                    hint = REQUIRED_HINT
                self.expected(node, field, what, hint)
            elif glued and spec.kind.is_typeset:
                self.comment_warning(field, glued, "")
            return None
        if spec.kind is Kind.RECORDS:
            return self.records(node, field, spec)
        if spec.kind is Kind.RECORD:
            assert spec.record is not None
            return self.record(node, field, spec.record)
        if spec.many:
            if isinstance(node, yaml.ScalarNode):
                self.expected(node, field, "a list", _list_hint(str(node.value)))
                return None
            items = self.items(node, field, spec)
            # An empty item (`- ~`, or `[a, , b]` in flow style) is no value, not the text "~".
            read = [
                (item, path, self.scalar(item, path, spec))
                for item, path in items
                if not _is_null(item)
            ]
            read = [(item, path, value) for item, path, value in read if value not in (None, "")]
            self.check_repeated_items(field, read)
            return tuple(value for _, _, value in read)
        return self.scalar(node, field, spec)

    def records(self, node: yaml.Node, field: str, spec: Spec) -> list[dict[str, Any]]:
        assert spec.record is not None
        items = self.items(node, field, spec)
        noun = RECORD_NAMES[spec.record].split()[-1]
        if isinstance(node, yaml.SequenceNode) and len(node.value) < spec.min_items:
            found = len(node.value) or "none"
            hint = spec.few_hint
            if hint and not node.value:
                # Only `[]` writes an empty list in YAML: an item put below it, the [] kept,
                # would be a syntax error.
                hint += f" on a line below `{_key(field)}:`, in place of []"
            self.problem(
                node,
                field,
                f"expected at least {counted(spec.min_items, noun)}, found {found}",
                hint,
            )
        read = [
            (item, path, values)
            for item, path in items
            if (values := self.record(item, path, spec.record)) is not None
        ]
        if spec.record is Event:
            self.check_repeated_events(read)
            self.check_event_order(read)
        elif spec.record is Source:
            self.check_repeated_sources(read)
        return [values for _, _, values in read]

    def items(self, node: yaml.Node, field: str, spec: Spec) -> list[tuple[yaml.Node, str]]:
        """The items of a list with their field paths; reports a list that is not one, or
        one longer than the declaration allows."""
        if not isinstance(node, yaml.SequenceNode):
            line = node.start_mark.line
            dash = full_width_dash(self.text.splitlines(), line)
            if dash is not None and dash[0] == line + 1:  # `－ start: 1950`, the item alone
                self.problems.append(Problem(self.name, dash[0], dash[1], field, *dash[2:]))
            else:
                self.expected(node, field, "a list of items, each starting with `- `", LIST_HINT)
            return []
        if spec.max_items is not None and len(node.value) > spec.max_items:
            noun = RECORD_NAMES[spec.record].split()[-1] if spec.record else "item"
            self.problem(
                node,
                field,
                f"expected at most {counted(spec.max_items, noun)}, found {len(node.value):,}",
                "split the briefing into several files",
            )
            return []
        self.count(len(node.value))
        items = []
        for index, item in enumerate(node.value):
            path = f"{field}[{index}]"
            self.positions[path] = self.position(item)
            items.append((item, path))
        return items

    @_through_alias
    def scalar(self, node: yaml.Node, field: str, spec: Spec) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            one = "a list" if isinstance(node, yaml.SequenceNode) else "key: value pairs"
            self.expected(node, field, EXPECTED[spec.kind], f"give one value here, not {one}")
            return None
        self.count(len(node.value))
        text, dropped = printable(node.value)
        if dropped:
            self.drop_warning(node, field, dropped)
        if text != node.value:  # characters dropped, or escaped surrogate pairs joined
            node = yaml.ScalarNode(node.tag, text, node.start_mark, node.end_mark, node.style)
        try:
            value = READERS[spec.kind](node, self.context)
        except Invalid as invalid:
            self.problem(node, field, invalid.message, invalid.hint)
            return None
        if spec.required and value == "":
            self.expected(node, field, EXPECTED[spec.kind], REQUIRED_HINT)
            return None
        if spec.kind is Kind.MARKDOWN and _may_link(value):
            self.link_warnings(node, field, value)
        if spec.kind is Kind.MARKDOWN and "|" in value:
            self.table_warnings(node, field, value)
        if spec.kind.is_typeset:
            self.bracket_warnings(node, field, value)
        if spec.kind.is_shown_text and (glued := self.glued_comment(node)):
            self.comment_warning(field, glued, value)
        return value

    def glued_comment(self, node: yaml.Node) -> tuple[int, int, str] | None:
        """Where a comment starts right after a plain text, written against what follows
        the ``#`` as a hashtag is (`金正恩 #朝鮮`), and the words it takes from the text; a
        comment written the usual way (``# ``) is none."""
        if not isinstance(node, yaml.ScalarNode) or node.style not in (None, ""):
            return None
        if _alias_of(node) is not None:  # nothing glued to `*e`: a comment after it is one
            return None
        end = node.end_mark
        found = _GLUED_COMMENT.match(self.text, end.index)
        if found is None:
            return None
        words = found.group(1).split(" # ")[0].rstrip()
        return end.line + 1, end.column + 1 + found.start(1) - end.index, words

    def comment_warning(self, field: str, glued: tuple[int, int, str], value: str) -> None:
        line, column, words = glued
        self.warnings.append(
            Problem(
                self.name,
                line,
                column,
                field,
                f'"{words}" is left out: {COMMENT_HINT}',
                f"to keep it, quote the whole text: {_quoted(f'{value} {words}'.strip())}",
            )
        )

    def link_warnings(self, node: yaml.Node, field: str, value: str) -> None:
        """Warn of the Markdown links that the outputs set as their text alone."""
        from .markdown import readable_address, unshown_links  # markdown-it, only for links

        where = self.position(node)
        after = 0  # where the link before ends in the text as written
        for href, image in unshown_links(value):
            address = readable_address(href)
            at, after = _link_position(where, (address, href), after)
            # Quoted short: a data: address is a whole picture, thousands of characters.
            quoted = shortened(address)
            if image:
                message = f'the picture "{quoted}" is not shown: only its [text] is set'
                hint = "give an event's picture as its image: field"
            else:
                message = (
                    f'the link to "{quoted}" is set as its text alone: a PDF or an EPUB leads '
                    "only to web and mail addresses"
                )
                hint = "write the whole address (https://…), or leave the link out"
            self.warnings.append(Problem(self.name, at.line, at.column, field, message, hint))

    def table_warnings(self, node: yaml.Node, field: str, value: str) -> None:
        """Warn of each pipe table, which the outputs set as one paragraph of its cells and
        pipes: briefgen sets no tables, whose columns a phone's screen and an A5 page have
        no room for."""
        from .markdown import table_lines  # markdown-it, only for a text with a pipe

        where = self.position(node)
        lines = value.split("\n")
        for line in table_lines(value):
            offset = sum(len(before) + 1 for before in lines[:line])
            # Its header row's first cell, after the indentation and the marks of a list
            # item or a quotation that holds the table.
            marks = _TABLE_ROW_START.match(lines[line])
            offset += marks.end() if marks else 0
            at = where.at(value, offset)
            self.warnings.append(
                Problem(
                    self.name,
                    at.line,
                    at.column,
                    field,
                    "the table is set as one paragraph of its cells and pipes: tables are not "
                    "supported",
                    "write its rows as a list, an item a row",
                )
            )

    def bracket_warnings(self, node: yaml.Node, field: str, value: str) -> None:
        """Warn of each bracket or quotation mark left unclosed, or closing nothing, which
        the outputs set as written."""
        where = None
        for offset, message, hint in unbalanced(value):
            where = where or self.position(node)
            at = where.at(value, offset)
            self.warnings.append(
                Problem(self.name, at.line, at.column, field, message, hint, "unpaired-marks")
            )

    def drop_warning(self, node: yaml.Node, field: str, dropped: list[str]) -> None:
        where = self.position(node)
        for char in dict.fromkeys(dropped):
            pos = where.of(char)
            category = unicodedata.category(char)
            kind = {"Cc": "control character", "Cs": "unpaired surrogate"}.get(
                category, "noncharacter"
            )
            name = unicodedata.name(char, kind)
            self.warnings.append(
                Problem(
                    self.name,
                    pos.line,
                    pos.column,
                    field,
                    f"dropped U+{ord(char):04X} ({name}): it cannot be printed",
                    "remove it from the file; a line break is written as a new line",
                )
            )

    def mapping(
        self, node: yaml.Node, field: str, allowed: tuple[str, ...], what: str
    ) -> dict[str, yaml.Node] | None:
        """The key → value nodes of a mapping; reports duplicate and unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            if not (
                isinstance(node, yaml.ScalarNode) and self.full_width_keys(node, field, allowed)
            ):
                self.expected(
                    node, field or "(top level)", f"{what} as key: value pairs", MAPPING_HINT
                )
            return None
        self.count(len(node.value))
        fields: dict[str, yaml.Node] = {}
        for index, (key_node, value_node) in enumerate(node.value):
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            path = f"{field}.{key}" if field else str(key)
            if key is None:
                self.expected(
                    key_node,
                    field or "(top level)",
                    "a plain key",
                    "a key is a word followed by a colon (`title:`), not a list or a mapping",
                )
            elif key in fields:
                first = fields[key].start_mark.line + 1
                self.problem(
                    key_node,
                    path,
                    f'duplicate key "{key}" (first given on line {first})',
                    "keep one of the two; YAML would silently drop the first",
                )
            elif key not in allowed:
                self.problem(
                    key_node,
                    path,
                    f'unknown key "{key}"',
                    _comma_hint(node, index) or unknown_key_hint(key, allowed),
                )
                if meant := key_meant(key, allowed):
                    # 標題: is the title written, under a key of its own language (or after
                    # full-width spaces): its hint says so, and "title: required field is
                    # missing" would say it twice.
                    self.meant.add(f"{field}.{meant}" if field else meant)
            else:
                fields[key] = value_node
                self.positions[path] = self.position(value_node)
        return fields

    def full_width_keys(self, node: yaml.ScalarNode, field: str, allowed: tuple[str, ...]) -> bool:
        """Reports the first key written with a full-width colon in the text ``node``,
        found where key: value pairs with the keys ``allowed`` were expected (`title：測試`
        on every line, an input method left in full-width mode, makes the whole briefing
        one text); False if the text holds none."""
        lines = self.text.splitlines()
        first = node.start_mark.line
        for index in range(first, min(node.end_mark.line + 1, len(lines))):
            found = FULL_WIDTH_KEY.match(lines[index])
            if found:
                # Only the text's first line is surely of this mapping: a line below may be
                # an event's, in a briefing read as one text.
                keys = allowed if index == first else ()
                line, column, what, hint = full_width_colon(found, index, lines[index], keys)
                shown = field or "(top level)"
                self.problems.append(Problem(self.name, line, column, shown, what, hint))
                return True
        return False

    # -- what a single field cannot tell -----------------------------------------------------

    def check_event(self, values: dict[str, Any], field: str, nodes: dict[str, yaml.Node]) -> None:
        message = end_before_start(values.get("start"), values.get("end"))
        if message:
            self.problem(nodes["end"], f"{field}.end", message, END_HINT)
        elif "when" not in values and (
            nested := nested_period(values.get("start"), values.get("end"))
        ):
            key, message, hint = nested
            self.warn(nodes[key], f"{field}.{key}", message, hint, rule="nested-period")
        if "image" not in nodes or _is_null(nodes["image"]):
            # A caption and an alt text are their picture's: with none (`image:` left empty
            # too), no output has them.
            for key, what in (("caption", "a caption"), ("alt", "an alt text")):
                if key in values:
                    done = "shown" if key == "caption" else "used"  # an alt text is not shown
                    self.warn(
                        nodes[key],
                        f"{field}.{key}",
                        f"{what} without an image is {done} nowhere",
                        f"give the event its picture as `image: FILE`, or leave the {key} out",
                    )
        elif values.get("alt") and values.get("alt") == values.get("caption"):
            # The caption is read where it stands under the picture: an alt text that
            # says the same has a screen reader read it twice.
            self.warn(
                nodes["alt"],
                f"{field}.alt",
                "the alt text repeats the caption, so a screen reader reads it twice",
                "say in alt what the picture shows that the caption does not, or leave it out: "
                "the caption then stands for the picture",
            )

    def check_heading(self, value: str, field: str) -> None:
        """Warns of a title or subtitle that ends with a full stop: set as a heading (the
        cover, an event's heading, the contents, the running header), it takes none in
        Chinese, Japanese or Korean, as in a newspaper's headline. A ？ or ！ is the
        heading's own tone and is left alone, and so is an English one's full stop, which
        may end an abbreviation (U.S.)."""
        found = _HEADING_STOP.search(value)
        if found is None:
            return
        at = self.positions.get(field)
        where = at.at(value, found.start()) if at else None
        stop = found.group()
        self.warnings.append(
            Problem(
                self.name,
                where.line if where else None,
                where.column if where else None,
                field,
                f"ends with a full stop ({stop}), which a heading does not take",
                f"delete the {stop}",
                rule="heading-stop",
            )
        )

    def check_repeated_items(self, field: str, items: list[tuple[yaml.Node, str, Any]]) -> None:
        """Warns of an item given twice in one list (an event's people or tags, the
        authors, the verbatim terms): every output would show a name or a tag twice
        (金日成、金日成); a verbatim term, not shown, twice changes nothing, but is the same
        slip with the same mend, and the list is easier kept without it."""
        first: dict[Any, str] = {}
        for node, path, value in items:
            if value not in first:
                first[value] = path
                continue
            self.warn(
                node,
                path,
                f'"{shortened(str(value))}" is given twice in {_key(field)} '
                f"(first as {first[value]})",
                "delete the second",
            )

    def check_tag_spellings(self, briefing: dict[str, Any]) -> None:
        """Warns of a tag written as another before it in another case or width (``nuclear``
        after ``Nuclear``, ``ＵＮ`` after ``UN``), in any event: the writer meant one tag,
        and the events show it two ways (the document's keywords list a width twice)."""
        first: dict[str, tuple[str, str]] = {}
        for index, event in enumerate(briefing.get("events", [])):
            for position, tag in enumerate(event.get("tags", ())):
                path = f"events[{index}].tags[{position}]"
                earlier, earlier_path = first.setdefault(_folded(tag), (tag, path))
                if tag == earlier:
                    continue  # the same tag, as written before (or twice in one event: told)
                at = self.positions.get(earlier_path)
                where = f" ({self.name}:{at.line}:{at.column})" if at else ""
                self.warn_at(
                    path,
                    f'"{shortened(tag)}" is the tag "{shortened(earlier)}" of {earlier_path}'
                    f"{where} in another {_difference(tag, earlier)}",
                    f'write it one way in every event ("{shortened(earlier)}", as there), or '
                    "the events show two tags",
                )

    def check_repeated_events(self, events: list[tuple[yaml.Node, str, dict[str, Any]]]) -> None:
        """Warns of an event with the start and title of one before it: a paste made twice,
        which the timeline and the contents would show twice. Only a warning: two things
        may well have happened on one day under one heading, told apart in their bodies."""
        first: dict[tuple[PartialDate, str], tuple[yaml.Node, str]] = {}
        for node, path, values in events:
            start, title = values.get("start"), values.get("title")
            if start is None or not title:
                continue
            if (start, title) not in first:
                first[start, title] = node, path
                continue
            earlier, earlier_path = first[start, title]
            at = self.position(earlier)
            self.warn(
                node,
                path,
                f"the same start and title as {earlier_path} ({self.name}:{at.line}:{at.column})",
                "delete the one pasted twice, or tell the two apart by their start or title",
            )

    def check_repeated_sources(self, sources: list[tuple[yaml.Node, str, dict[str, Any]]]) -> None:
        """Warns of a source whose title, publisher, date and address are all those of one
        before it: a paste made twice, which the sources' list would show twice (a note of
        its own belongs with the other). Two works of one title from different publishers,
        dates or addresses are two sources."""
        first: dict[tuple[Any, ...], tuple[yaml.Node, str]] = {}
        for node, path, values in sources:
            if not values.get("title"):
                continue
            cited = tuple(values.get(key) for key in _CITED)
            if cited not in first:
                first[cited] = node, path
                continue
            earlier, earlier_path = first[cited]
            at = self.position(earlier)
            alike = [_CITED[key] for key, value in zip(_CITED, cited, strict=True) if value]
            self.warn(
                node,
                path,
                f"the same {_listed(alike)} as {earlier_path} ({self.name}:{at.line}:{at.column})",
                "delete the one listed twice (moving its note, if it has its own, to the other)",
            )

    def check_event_order(self, events: list[tuple[yaml.Node, str, dict[str, Any]]]) -> None:
        """Warns of an event that starts wholly before the one above it: the events are
        shown in file order while the timeline draws them by date, so one pasted in the
        wrong place is out of step in the contents and the pages, and nothing else would
        tell. Only a warning, and only against the event just above, so that one event out
        of place is told once: a briefing may be ordered by theme on purpose. A vaguer
        start is out of order only if all of it is earlier (1950 after 1950-06 is not).
        A briefing whose events mostly run newest first (a news timeline's order) is
        judged the other way: there an event that starts wholly after the one above is
        out of place."""
        starts = [
            (path, start)
            for _, path, values in events
            if (start := values.get("start")) is not None
        ]
        pairs = list(pairwise(starts))
        newest_first = sum(_before(below, above) for (_, above), (_, below) in pairs) > sum(
            _before(above, below) for (_, above), (_, below) in pairs
        )
        for (above, above_start), (path, start) in pairs:
            if not (_before(above_start, start) if newest_first else _before(start, above_start)):
                continue
            at = self.positions.get(f"{above}.start")
            where = f" ({self.name}:{at.line}:{at.column})" if at else ""
            order = ", here newest first" if newest_first else ""
            self.warn_at(
                f"{path}.start",
                f"starts {start}, {'after' if newest_first else 'before'} {above} above it, "
                f"which starts {above_start}{where}",
                f"the events are shown in file order{order} (the timeline draws them by "
                "date): move it to its place in time, or leave it if the order is by theme",
                rule="event-order",
            )

    def warn(
        self, node: yaml.Node, field: str, message: str, hint: str, rule: str | None = None
    ) -> None:
        """``rule``: the name that switches the warning off, if it can be (``WARNING_RULES``)."""
        at = self.position(node)
        message += self.alias_note(node)
        self.warnings.append(Problem(self.name, at.line, at.column, field, message, hint, rule))

    def warn_at(self, field: str, message: str, hint: str, rule: str | None = None) -> None:
        """A warning about a value already read, located by its recorded position."""
        at = self.positions.get(field)
        line, column = (at.line, at.column) if at else (None, None)
        self.warnings.append(Problem(self.name, line, column, field, message, hint, rule))

    def check_when_labels(self, briefing: dict[str, Any]) -> None:
        """Warns of a `when` written as a date in the file's own form (1950-06-25): it is
        the label shown as written, most likely meant as the event's date, while the labels
        written from the dates read 1950年6月25日 (or 25 June 1950) beside it. A year the
        briefing's language writes as its digits alone (English's 1950) is its label as the
        dates would write it, and may be meant to show less than `start` (the year of a
        start known to the day): it is not told."""
        labels = LANGUAGES.get(briefing.get("lang", "zh-Hant"))
        for index, event in enumerate(briefing.get("events", [])):
            when = event.get("when")
            if not isinstance(when, str) or not _DATE_LIKE.fullmatch(when.strip()):
                continue
            written = when.strip()
            if written.isdigit() and labels and _says_year_as(labels, written):
                continue
            # The date as `start` takes it: 1953/7/27 is written 1953-07-27 there.
            date = as_written_here(written) or written
            self.warn_at(
                f"events[{index}].when",
                f'the label "{when}" is a date as the file writes dates, and is shown so',
                f"give the date as `start: {date}` (and `end: …` for a period) and leave "
                "`when` out: the label is then written from them in the briefing's language",
                rule="when-date",
            )

    def check_future(self, briefing: dict[str, Any]) -> None:
        """Warns of an event that starts after the briefing's date, or after today for a
        briefing with none: most likely a year mistyped (2203 for 2023), which the timeline
        would stretch its axis to reach. Only a warning: a briefing may tell of a meeting
        planned."""
        dated = briefing.get("date")
        after = f"the briefing's date ({dated})" if dated else None
        reference = dated if isinstance(dated, dt.date) else dt.date.today()
        for index, event in enumerate(briefing.get("events", [])):
            start = event.get("start")
            if isinstance(start, PartialDate) and start.first_day > reference:
                self.warn_at(
                    f"events[{index}].start",
                    f"starts {start}, after {after or f'today ({reference})'}",
                    "correct the date if it is mistyped; an event still to come can stay",
                    rule="future-event",
                )

    def check_people(self, briefing: dict[str, Any]) -> None:
        people = briefing.get("people", [])
        names = [person.get("name") for person in people]
        named = [event.get("people", ()) for event in briefing.get("events", [])]
        alts = {
            person["alt"]: person["name"]
            for person in people
            if person.get("alt") and person.get("name")
        }
        for field, message, hint in people_problems(names, named, alts):
            self.problem_at(field, message, hint)
        self.check_shared_alts(people)

    def check_shared_alts(self, people: list[dict[str, Any]]) -> None:
        """Warns of a person whose ``alt`` is one before them's (in another case or width
        too): most often an entry copied for the next person and its alt left unchanged, so
        that the index gives two people one name in the other script. Two names may be
        written alike there (two Wang Juns), so it can be kept (``same-alt``)."""
        first: dict[str, int] = {}
        for index, person in enumerate(people):
            alt = person.get("alt")
            if not isinstance(alt, str) or not alt:
                continue
            earlier = first.setdefault(_folded(alt), index)
            if earlier == index:
                continue
            at = self.positions.get(f"people[{earlier}].alt")
            name = people[earlier].get("name")
            said = [shortened(name)] if isinstance(name, str) and name else []
            said += [f"{self.name}:{at.line}:{at.column}"] if at else []
            where = f" ({', '.join(said)})" if said else ""
            self.warn_at(
                f"people[{index}].alt",
                f'"{shortened(alt)}" is the alt of people[{earlier}]{where} too',
                "give each person their own name in the other script (an entry copied from "
                "another keeps its alt), or leave it if the two names are written alike",
                rule="same-alt",
            )


#: A `when` label that is a date as the file writes one (1950, 1950-06-25, 1950/6/25). Of
#: two numbers, the second must be a month: 1950-53 and 1950/51 are periods written short.
#: What a source's entry cites it by, as :meth:`_Reader.check_repeated_sources` names it.
_CITED = {"title": "title", "publisher": "publisher", "date": "date", "url": "address"}


def _listed(words: list[str]) -> str:
    """``title``, ``title and date``, ``title, publisher and date``."""
    *others, last = words
    return f"{', '.join(others)} and {last}" if others else last


_DATE_LIKE = re.compile(r"\d{4}(?:[-/.](?:0?[1-9]|1[0-2])|[-/.]\d{1,2}[-/.]\d{1,2})?")


def _says_year_as(labels: Language, year: str) -> bool:
    """Whether ``labels`` write the year ``year`` as its digits alone (English: 1950)."""
    return labels.when(PartialDate(int(year)), None) == year


def _before(date: PartialDate, other: PartialDate) -> bool:
    """Whether all of ``date`` lies before all of ``other`` (1950 is not before 1950-06)."""
    return date.last_day < other.first_day


def _file_order(problem: Problem) -> tuple[int, int]:
    """Where a problem is, to sort by; one of no place comes first."""
    return problem.line or 0, problem.column or 0


def _list_hint(text: str) -> str:
    """How to write as a list a text given for one: ``[金日成]``, and the items of a list
    typed with full-width brackets or commas (［戰爭，援助］, 戰爭、援助), which YAML reads
    as one text, parted by ASCII commas."""
    inner = text.strip()
    if inner[:1] in "［【" and inner[-1:] in "］】":
        inner = inner[1:-1]
    items = [item.strip() for item in re.split(r"[，、,]", inner) if item.strip()]
    written = f"[{', '.join(items)}]"
    if written == f"[{text}]":
        return f"write it as a list: {written}"
    return f"write it as a list, with ASCII brackets and commas: {written}"


def _folded(text: str) -> str:
    """``text`` with its case and width let go (``ＵＮ``, ``un`` → ``un``): two tags alike
    so are one tag written two ways."""
    return unicodedata.normalize("NFKC", text).casefold()


def _difference(text: str, other: str) -> str:
    """How two texts alike but for case and width differ: ``case``, ``width`` or both; or,
    alike in both, ``Unicode form`` (said so).

    Width is what is left once both are composed (NFC) and case folded: a letter written
    as its parts (한국 decomposed, as some programs copy text, or café's é as e and an
    accent) is the same letter, and was told of as "another width" of it, or, an Å as the
    Ångström sign, as "another " and nothing."""
    case = unicodedata.normalize("NFKC", text) != unicodedata.normalize("NFKC", other)
    width = _composed(text).casefold() != _composed(other).casefold()
    if not (case or width):
        return "Unicode form (alike on the page, other characters in the file)"
    return " and ".join(name for name, differs in (("case", case), ("width", width)) if differs)


def _composed(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _key(field: str) -> str:
    """The key a field path ends in: ``events`` of ``events``, ``image`` of ``events[0].image``."""
    return field.rsplit(".", 1)[-1]


#: How to mend a required field left empty.
REQUIRED_HINT = (
    "this field cannot be left empty: write it (`briefgen new` writes a starter that shows "
    "every field)"
)
#: Why words after a space and a # are not in a text.
COMMENT_HINT = "YAML reads a # after a space as the start of a comment"
#: A comment written against the word after its #: a hashtag (`金正恩 #朝鮮`), seldom a comment.
_GLUED_COMMENT = re.compile(r"[ \t]+(#[^\s#][^\n]*)")


def _may_link(markdown: str) -> bool:
    """Whether a Markdown text may hold a link that check warns of, for a cheap test before
    markdown-it parses it: an inline link (``[…](…)``) to anything but a web or mail
    address, a picture (``![…](…)``), an autolink (``<file:…>``, which is parsed as a link
    whatever its scheme) or a reference's definition (``[x]: …``). A text whose every
    inline link leads to the web, as most do, is not parsed: markdown-it and its parse were
    a third of `check`'s time for a briefing with a link in one event of seven."""
    if "<" in markdown or "]:" in markdown or "![" in markdown:
        return True
    return markdown.count("](") != len(_WEB_LINK.findall(markdown))


#: The start of an inline link to a web or mail address: what `_links_only_to_the_web`
#: keeps (markdown.LINK_SCHEMES, compared without case; a web address with a site's name
#: of letters, figures, dots and hyphens: not `http://)`, `https:///x` or `http://[x`),
#: after the spaces that CommonMark allows before a destination.
_WEB_LINK = re.compile(r"\]\(\s*(?:https?://[^\W_][\w.-]*[/?#)\s]|mailto:)", re.IGNORECASE)


#: What comes before a Markdown table's header row on its line: indentation, and the marks
#: of the list items and quotations it is in (``- ``, ``1. ``, ``> ``). Matches every line.
_TABLE_ROW_START = re.compile(r"(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*")


#: A full stop at a text's end: an ideographic one, or a Western one after CJK text (which
#: punctuation-width makes 。 in Chinese and Japanese, and which Korean writes).
_HEADING_STOP = re.compile(rf"(?:[。．｡]|(?<={HAN_KANA}|{HANGUL})\.)(?=\s*$)")


def _quoted(text: str) -> str:
    """``text`` in YAML's double quotes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


#: How to mend a list written as something else.
LIST_HINT = "write each item on a line of its own, starting with `- ` (or as [a, b])"
#: How to mend a briefing, event, person, source or fonts entry that is not a mapping.
MAPPING_HINT = "write its fields as `key: value` lines; `briefgen schema` lists the keys"
#: How to mend an event that ends before it starts.
END_HINT = "the end is the later date: swap the two, or correct the year"


def end_before_start(start: PartialDate | None, end: PartialDate | None) -> str | None:
    """What is wrong with an event that ends before it starts; None when nothing is."""
    if start and end and end.last_day < start.first_day:
        return f"expected a date not before start ({start}), found {end}"
    return None


def nested_period(
    start: PartialDate | None, end: PartialDate | None
) -> tuple[str, str, str] | None:
    """``(key, message, hint)`` for a period one of whose ends holds the other (2021-09-15 to
    2021-09, 2021 to 2021-10), ``key`` being the vaguer end's; None for any other. Its label
    cannot tell when in the vaguer end the period began or ended (2021年9月15日至9月,
    2021年至2021年10月, 2021 – October 2021), and no wording could: whether "to September"
    means its last day or any day of it, only the writer knows, so the label is not
    reworded but the writer told. A period across months or years whose ends differ in
    precision (2021年9月15日至10月, 2021年至2022年3月) says both and is not told."""
    if start is None or end is None or start == end:
        return None
    if end.first_day <= start.first_day and start.last_day <= end.last_day:
        return (
            "end",
            f"ends {end}, the {_unit(end)} that holds its start ({start}): the label cannot "
            f"say when in that {_unit(end)} it ended",
            f"give the end as a {_unit(start)} after the start, or write the period's label "
            "as `when: …`",
        )
    if start.first_day <= end.first_day and end.last_day <= start.last_day:
        return (
            "start",
            f"starts {start}, the {_unit(start)} that holds its end ({end}): the label cannot "
            f"say when in that {_unit(start)} it began",
            f"give the start as a {_unit(end)} before the end, or write the period's label "
            "as `when: …`",
        )
    return None


def _unit(date: PartialDate) -> str:
    """What a date names: ``year``, ``month`` or ``day``."""
    return "day" if date.day is not None else "month" if date.month is not None else "year"


def people_problems(
    names: Iterable[str | None],
    named: Iterable[Iterable[str]],
    alts: Mapping[str, str] | None = None,
) -> Iterator[tuple[str, str, str | None]]:
    """``(field, message, hint)`` for each person's name given twice (``names``, in the
    order of ``people``) and each name an event gives (``named``, event by event) that is
    none of theirs; ``alts`` maps a person's ``alt`` to their name, for the hint."""
    known: list[str] = []
    for index, name in enumerate(names):
        if name in known:
            yield (
                f"people[{index}].name",
                f'duplicate person "{shortened(name)}"',
                "each name must be unique; merge the two entries",
            )
        elif name:
            known.append(name)
    for index, people in enumerate(named):
        for position, name in enumerate(people):
            if name not in known:
                yield (
                    f"events[{index}].people[{position}]",
                    f'unknown person "{shortened(name)}"',
                    _unknown_person_hint(name, known, alts or {}),
                )


def _unknown_person_hint(name: str, known: list[str], alts: Mapping[str, str]) -> str:
    if name in alts:  # `people: [Kim Il-sung]` for {name: 金日成, alt: Kim Il-sung}
        return f'write "{alts[name]}": an event names a person by their name, not their alt'
    # `[金日成、斯大林]`: parted by a comma an input method types, which YAML does not
    # read as one of its own, the names are one.
    parts = [part.strip() for part in re.split(r"[，、]", name)]
    if len(parts) > 1 and any(part in known for part in parts):
        hint = f"part the names with ASCII commas: [{', '.join(parts)}]"
        unknown = [part for part in parts if part not in known]
        if unknown:
            hint += f", and add {', '.join(unknown)} under the top-level `people:` list"
        return hint
    return did_you_mean(name, known) or "add them under the top-level `people:` list"


#: What messages call each kind of record.
RECORD_NAMES: dict[type, str] = {
    Briefing: "the briefing",
    Event: "an event",
    Person: "a person",
    Source: "a source",
    Fonts: "the fonts",
}


def _build(record_type: type, values: dict[str, Any], **extra: Any) -> Any:
    """The model object for checked values: records inside it are built too."""
    for name, spec in specs(record_type):
        if spec.kind is Kind.RECORDS and name in values:
            assert spec.record is not None
            values[name] = tuple(_build(spec.record, item) for item in values[name])
        elif spec.kind is Kind.RECORD and name in values:
            assert spec.record is not None
            values[name] = _build(spec.record, values[name])
    return record_type(**values, **extra)


def compose_yaml(text: str, *, aliases_apart: bool = False) -> yaml.Node | None:
    """The YAML node tree of ``text``, by libyaml where PyYAML has it (four times faster on
    a long briefing; the same nodes, styles and positions). A file libyaml refuses is read
    again by the pure-Python parser, whose error messages are the ones briefgen reports.

    ``aliases_apart``: each alias (``*e``) is a node of its own, placed where the alias is
    written (see :class:`_AliasesApart`), not the anchored node itself, which both parsers
    give with the anchor's place. Only a file that may have an anchor is composed so."""
    apart = aliases_apart and _ANCHOR.search(text) is not None
    fast_loader = _CAliasesApartLoader if apart else getattr(yaml, "CSafeLoader", None)
    # libyaml does not count a byte-order mark in its positions; Python's parser does.
    if fast_loader is not None and not text.startswith("\ufeff"):
        try:
            root: yaml.Node | None = yaml.compose(text, Loader=fast_loader)
        except yaml.YAMLError:
            pass
        else:
            return root
    return yaml.compose(text, Loader=_AliasesApartLoader if apart else yaml.SafeLoader)


#: An anchor as YAML writes one: ``&`` after a space, a line start or a flow indicator. A
#: text with an ampersand (AT&T) may match too; it is only composed a little more slowly.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s,\[\]{}]", re.MULTILINE)


class _AliasesApart(yaml.composer.Composer):
    """A composer that gives each alias as a copy of the anchored node placed where the
    alias is written, with ``alias_of``: its name and the node copied, so that
    a problem with the value an alias gives points at the alias. The copy is shallow: its
    items are the anchored node's own, and nothing is expanded while composing."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        events: Any = self  # the parser's methods, which each loader below mixes in
        if not events.check_event(yaml.AliasEvent):
            return super().compose_node(parent, index)
        event = events.peek_event()
        anchored = super().compose_node(parent, index)
        node: Any = copy.copy(anchored)
        node.start_mark, node.end_mark = event.start_mark, event.end_mark
        node.alias_of = event.anchor, anchored
        return cast(yaml.Node, node)


def _alias_of(node: yaml.Node | None) -> tuple[str, yaml.Node] | None:
    """The name and the anchored node of an alias composed apart; None for another node."""
    found: tuple[str, yaml.Node] | None = getattr(node, "alias_of", None)
    return found


class _AliasesApartLoader(_AliasesApart, yaml.SafeLoader):
    pass


#: libyaml's parser, where PyYAML is built with it.
_C_PARSER: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)
_LoaderParts = (yaml.constructor.SafeConstructor, yaml.resolver.Resolver)

if _C_PARSER is not None:

    class _CAliasesApartLoader(_AliasesApart, _C_PARSER, *_LoaderParts):  # type: ignore[misc]
        """libyaml's parser under the composer above (its own composer cannot be told)."""

        def __init__(self, stream: str) -> None:
            _C_PARSER.__init__(self, stream)
            _AliasesApart.__init__(self)
            for part in _LoaderParts:
                part.__init__(self)

else:  # pragma: no cover - PyYAML built without libyaml
    _CAliasesApartLoader = None  # type: ignore[assignment,misc]


#: The way to a node from the root: None for the root, else the parent's way and the node's
#: key (a mapping's) or index (a list's).
_Way = tuple["_Way", str | int] | None


def _field_path(way: _Way) -> str:
    """The field path of the node at the end of ``way``: ``events[2].title``."""
    steps: list[str | int] = []
    while way is not None:
        way, step = way
        steps.append(step)
    path = ""
    for step in reversed(steps):
        path += f"[{step}]" if isinstance(step, int) else (f".{step}" if path else step)
    return path


def _plain_text(node: yaml.Node) -> bool:
    """Whether ``node`` is a plain ``=`` or ``<<``: YAML 1.1 resolves them to the tags
    ``!!value`` and ``!!merge``, but as a value (``summary: =``) each is only text, as in
    YAML 1.2. (``<<`` as a key is an unknown key, reported as such.)"""
    return (
        isinstance(node, yaml.ScalarNode)
        and not node.style  # plain: libyaml says '', the Python parser None
        and (node.tag, node.value) in _IMPLICIT_TEXT
    )


_IMPLICIT_TEXT = {("tag:yaml.org,2002:value", "="), ("tag:yaml.org,2002:merge", "<<")}


def _comma_hint(node: yaml.MappingNode, index: int) -> str | None:
    """The hint for an unknown key that is the rest of the value before it: in a mapping
    written in braces a comma ends a value, so ``{name: 세종, role: 임금, 한글 창제}``
    holds a key ``한글 창제`` without a value. Korean and English write that comma inside
    a role or a note where Chinese and Japanese write ， or 、."""
    if not node.flow_style or not _bare_key(*node.value[index]):
        return None
    # A value of two commas or more (조선 제4대 임금, 훈민정음 창제, 한글 반포) leaves a run of
    # such keys: the value is the one before the first, and the whole is all of them. (The
    # second was told to be written as the value of the first, `훈민정음 창제: ", 한글 반포"`.)
    first = last = index
    while first > 0 and _bare_key(*node.value[first - 1]):
        first -= 1
    while last + 1 < len(node.value) and _bare_key(*node.value[last + 1]):
        last += 1
    if first == 0:
        return None
    before_key, before_value = node.value[first - 1]
    if not isinstance(before_key, yaml.ScalarNode) or not isinstance(before_value, yaml.ScalarNode):
        return None
    if before_value.style:  # quoted or a block: the comma was not what ended it
        return None
    whole = ", ".join([before_value.value, *(key.value for key, _ in node.value[first : last + 1])])
    return (
        f'inside {{ }} a comma ends a value: to write "{whole}" as the {before_key.value}, '
        f'put it in quotes: {before_key.value}: "{whole}"'
    )


def _bare_key(key: yaml.Node, value: yaml.Node) -> bool:
    """Whether a key of a mapping in braces is written alone, with no colon nor value: what
    a comma inside a value leaves of the rest of it."""
    return isinstance(key, yaml.ScalarNode) and _is_null(value) and not value.value


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def counted(number: int, noun: str) -> str:
    return f"one {noun}" if number == 1 else f"{number:,} {noun}s"


def _link_position(where: Position, addresses: tuple[str, ...], after: int) -> tuple[Position, int]:
    """Where a link's address is written in a value, the first of ``addresses`` (its forms,
    as written first) found past index ``after`` of the written value, and the index its
    address ends at. Links come in the order they are written: a second link to the same
    address is the one after the first, not the first again."""
    for address in filter(None, addresses):
        index = where.written.find(address, after)
        if index >= 0:
            return where.of_index(index), index + len(address)
    # Not written as markdown-it keeps it (escaped as \( or &amp;), or a link by reference
    # to a definition written before it: the first place the address is written, if any.
    found = next((where.of(address) for address in addresses if address in where.written), where)
    return found, after
