"""Briefing file (YAML) → :class:`~briefgen.model.Briefing`, reporting every problem at once.

The file is composed into YAML nodes (safe tags only) rather than loaded into plain Python
values, because nodes keep the line and column of every value: each problem can then point at
the exact spot, and a duplicate key, which ``yaml.safe_load`` silently drops, can be caught.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import yaml

from .errors import BriefingError, Problem, display_path
from .i18n import LANGUAGES, language
from .model import Briefing, Event, PartialDate, Person, Position, Source

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")

_PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in
               ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}

_TOP_KEYS = ("title", "subtitle", "lang", "date", "authors", "publisher", "summary",
             "events", "people", "sources")
_EVENT_KEYS = ("start", "end", "when", "title", "body", "people", "tags", "image", "caption")
_PERSON_KEYS = ("name", "alt", "role")
_SOURCE_KEYS = ("title", "publisher", "date", "url", "note")


def load(path: str | Path) -> Briefing:
    """Read and check a briefing file; raise :class:`BriefingError` listing every problem."""
    path = Path(path)
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise BriefingError([Problem(shown, None, None, "", f"cannot read the file: {reason}")])
    return loads(raw, path=path, name=shown)


def loads(raw: bytes | str, *, path: Path | None = None, name: str | None = None) -> Briefing:
    """Like :func:`load`, for text already in memory; ``path`` anchors relative image paths."""
    name = name or (display_path(path) if path else "<briefing>")
    text = raw if isinstance(raw, str) else _decode(raw, name)
    return _Reader(name, path).read(text)


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")  # a leading BOM, as Windows editors write, is fine
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        hint = ("save the file as UTF-8 in your editor, or convert it: "
                f"iconv -f CP950 -t UTF-8 {name} > fixed.yaml")
        looks = ""
        if _decodes_as(raw, "cp950"):
            looks = "; it looks like Big5/CP950, the usual Traditional Chinese Windows encoding"
        elif _decodes_as(raw, "gb18030"):
            looks = "; it looks like GBK/GB18030"
            hint = hint.replace("CP950", "GB18030")
        raise BriefingError([Problem(
            name, line, column, "",
            f"expected UTF-8 text, found byte 0x{raw[error.start]:02X} that is not UTF-8{looks}",
            hint)]) from None


def _decodes_as(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _describe(node: yaml.Node) -> str:
    """How a value looks to the user, for 'found …' in messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value pairs)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    value = node.value if len(node.value) <= 40 else node.value[:39] + "…"
    return f'"{value}"'


def _did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f'did you mean "{close[0]}"?' if close else None


def _position(node: yaml.Node) -> Position:
    """Where ``node`` starts; for a text value, also the text as written, so that a warning
    about one character in it can give that character's own line and column."""
    start, end = node.start_mark, node.end_mark
    written = ""
    if isinstance(node, yaml.ScalarNode) and start.buffer is not None:
        written = start.buffer[start.pointer:end.pointer]
    return Position(start.line + 1, start.column + 1, written)


def _calendar_hint(year: int, month: int | None) -> str:
    """How to mend a date that matched YYYY-MM-DD but is not in the calendar."""
    if month is not None and 1 <= month <= 12 and 1 <= year:
        days = calendar.monthrange(year, month)[1]
        return (f"{year}-{month:02d} has {days} days; if the day is not known, leave it out "
                f"({year}-{month:02d})")
    if 1 <= year:
        return f"months run from 01 to 12; if the month is not known, leave it out ({year})"
    return "years start at 0001"


class _Reader:
    """One pass over the YAML nodes that builds the model and collects problems."""

    def __init__(self, name: str, path: Path | None):
        self.name = name
        self.path = path
        self.problems: list[Problem] = []
        self.positions: dict[str, Position] = {}
        self.person_names: set[str] = set()

    # -- reporting -----------------------------------------------------------------------

    def problem(self, node: yaml.Node | None, field: str, message: str,
                hint: str | None = None) -> None:
        mark = node.start_mark if node is not None else None
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        self.problems.append(Problem(self.name, line, column, field, message, hint))

    def expected(self, node: yaml.Node, field: str, what: str, hint: str | None = None) -> None:
        self.problem(node, field, f"expected {what}, found {_describe(node)}", hint)

    # -- the document ----------------------------------------------------------------------

    def read(self, text: str) -> Briefing:
        root = self.compose(text)
        briefing = self.briefing(root) if root is not None else None
        if self.problems or briefing is None:
            # In file order, as an editor shows them; sorted() keeps ties in report order.
            raise BriefingError(sorted(self.problems, key=lambda p: (p.line or 0, p.column or 0)))
        return briefing

    def compose(self, text: str) -> yaml.Node | None:
        if not text.strip():
            self.problem(None, "", "the file is empty",
                         "a briefing needs at least a title and one event; see docs/format.md")
            return None
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            what = error.problem or error.context or "invalid YAML"
            hint = None
            if "\t" in text and "tab" in str(error).lower():
                hint = "YAML indents with spaces, never tabs"
            self.problems.append(Problem(self.name, mark.line + 1 if mark else None,
                                         mark.column + 1 if mark else None, "",
                                         f"not valid YAML: {what}", hint))
            return None
        except yaml.YAMLError as error:
            self.problem(None, "", f"not valid YAML: {error}")
            return None
        if root is None or (isinstance(root, yaml.ScalarNode) and not root.value.strip()):
            self.problem(None, "", "the file is empty",
                         "a briefing needs at least a title and one event; see docs/format.md")
            return None
        return root

    def check_tags(self, node: yaml.Node, field: str, seen: set[int]) -> bool:
        """Refuse tags beyond plain YAML's (``!!python/…`` and friends); True if all are fine."""
        if id(node) in seen:  # aliases can make the node graph cyclic
            return True
        seen.add(id(node))
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(node, field or "(top level)", f"unsupported YAML tag {tag}",
                         "briefgen reads plain YAML: text, numbers, dates, lists and mappings")
            return False
        children: list[tuple[str, yaml.Node]] = []
        if isinstance(node, yaml.SequenceNode):
            children = [(f"{field}[{i}]", item) for i, item in enumerate(node.value)]
        elif isinstance(node, yaml.MappingNode):
            children = [(f"{field}.{k.value}" if field else str(k.value), v)
                        for k, v in node.value]
        results = [self.check_tags(child, path, seen) for path, child in children]
        return all(results)

    def briefing(self, root: yaml.Node) -> Briefing | None:
        if not self.check_tags(root, "", set()):
            return None
        fields = self.mapping(root, "", _TOP_KEYS, what="the briefing")
        if fields is None:
            return None
        lang_tag = self.lang(fields.get("lang"))
        people = self.items(fields.get("people"), "people", self.person)
        names = tuple(p.name for p in people)
        events = self.items(fields.get("events"), "events",
                            lambda node, field: self.event(node, field, names, lang_tag))
        title = self.required_text(fields, "title", root, "")
        events_node = fields.get("events")
        if isinstance(events_node, yaml.SequenceNode) and not events_node.value:
            self.problem(fields["events"], "events", "expected at least one event, found none")
        elif "events" not in fields:
            self.problem(root, "events", "required field is missing",
                         "add an `events:` list with at least one `- start: … title: …` item")
        briefing = Briefing(
            title=title or "",
            subtitle=self.text(fields.get("subtitle"), "subtitle"),
            lang=lang_tag,
            date=self.date(fields.get("date"), "date"),
            authors=self.text_list(fields.get("authors"), "authors"),
            publisher=self.text(fields.get("publisher"), "publisher"),
            summary=self.text(fields.get("summary"), "summary") or "",
            events=tuple(events),
            people=tuple(people),
            sources=tuple(self.items(fields.get("sources"), "sources", self.source)),
            path=self.path.resolve() if self.path else None,
            positions=self.positions,
        )
        return briefing

    # -- structure -------------------------------------------------------------------------

    def mapping(self, node: yaml.Node, field: str, allowed: tuple[str, ...],
                what: str) -> dict[str, yaml.Node] | None:
        """The key → value nodes of a mapping; reports duplicate and unknown keys."""
        if not isinstance(node, yaml.MappingNode):
            self.expected(node, field or "(top level)", f"{what} as key: value pairs")
            return None
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            path = f"{field}.{key}" if field else str(key)
            if key is None:
                self.expected(key_node, field or "(top level)", "a plain key")
            elif key in fields:
                first = fields[key].start_mark.line + 1
                self.problem(key_node, path, f'duplicate key "{key}" (first given on line {first})',
                             "keep one of the two; YAML would silently drop the first")
            elif key not in allowed:
                self.problem(key_node, path, f'unknown key "{key}"',
                             _did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}")
            else:
                fields[key] = value_node
                self.positions[path] = _position(value_node)
        return fields

    def items(self, node: yaml.Node | None, field: str, read_item: Callable) -> list:
        """Read each item of a list with ``read_item``; skip the ones that had problems."""
        if node is None or self.is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.expected(node, field, "a list of items, each starting with `- `")
            return []
        results = []
        for index, item in enumerate(node.value):
            path = f"{field}[{index}]"
            self.positions[path] = _position(item)
            result = read_item(item, path)
            if result is not None:
                results.append(result)
        return results

    @staticmethod
    def is_null(node: yaml.Node) -> bool:
        return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"

    # -- scalar values ---------------------------------------------------------------------

    def text(self, node: yaml.Node | None, field: str) -> str | None:
        """Any scalar as the text the user wrote (``title: 2022`` is the text "2022")."""
        if node is None or self.is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.expected(node, field, "text")
            return None
        return node.value.strip()

    def required_text(self, fields: dict[str, yaml.Node], key: str, parent: yaml.Node,
                      prefix: str) -> str | None:
        field = f"{prefix}.{key}" if prefix else key
        if key not in fields:
            self.problem(parent, field, "required field is missing", f"add `{key}: …`")
            return None
        value = self.text(fields[key], field)
        if value is None and self.is_null(fields[key]) or value == "":
            self.expected(fields[key], field, "text")
            return None
        return value

    def text_list(self, node: yaml.Node | None, field: str) -> tuple[str, ...]:
        if node is None or self.is_null(node):
            return ()
        if isinstance(node, yaml.ScalarNode):
            self.expected(node, field, "a list", f'write it as a list: [{node.value}]')
            return ()
        return tuple(v for v in self.items(node, field, self.text) if v)

    def partial_date(self, node: yaml.Node | None, field: str) -> PartialDate | None:
        if node is None or self.is_null(node):
            return None
        expected = "a date as YYYY, YYYY-MM or YYYY-MM-DD"
        if not isinstance(node, yaml.ScalarNode):
            self.expected(node, field, expected)
            return None
        match = _PARTIAL_DATE.fullmatch(node.value.strip())
        if not match:
            self.expected(node, field, expected, "for example 1950, 1950-06 or 1950-06-25")
            return None
        year, month, day = (int(g) if g else None for g in match.groups())
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError as error:
            self.problem(node, field, f'expected a real calendar date, found "{node.value}" ({error})',
                         _calendar_hint(year, month))
            return None
        return PartialDate(year, month, day)

    def date(self, node: yaml.Node | None, field: str) -> dt.date | None:
        if node is None or self.is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            self.expected(node, field, "a date as YYYY-MM-DD")
            return None
        try:
            return dt.date.fromisoformat(node.value.strip())
        except ValueError:
            self.expected(node, field, "a date as YYYY-MM-DD", "for example 2023-09-13")
            return None

    def lang(self, node: yaml.Node | None) -> str:
        tag = self.text(node, "lang")
        if tag is None:
            return "zh-Hant"
        if tag in LANGUAGES:
            return tag
        by_case = {t.lower(): t for t in LANGUAGES}
        hint = (f'write "{by_case[tag.lower()]}"' if tag.lower() in by_case
                else _did_you_mean(tag, list(LANGUAGES)))
        self.expected(node, "lang", f"one of {', '.join(LANGUAGES)}",
                      hint or "briefgen has fonts and labels for these languages only")
        return "zh-Hant"

    def url(self, node: yaml.Node | None, field: str) -> str | None:
        value = self.text(node, field)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.expected(node, field, "a web address starting with http:// or https://")
            return None
        return value

    def image(self, node: yaml.Node | None, field: str) -> Path | None:
        value = self.text(node, field)
        if value is None:
            return None
        if self.path is None:
            self.problem(node, field, "images need a briefing loaded from a file",
                         "use briefgen.load(path) instead of loads()")
            return None
        folder = self.path.resolve().parent
        target = (folder / value).resolve()
        if not target.is_relative_to(folder):
            self.problem(node, field, f'expected a file inside the briefing\'s folder, found "{value}"',
                         "copy the image next to the briefing file and give its relative path")
            return None
        if target.suffix.lower() not in IMAGE_SUFFIXES:
            self.expected(node, field, "a PNG, JPEG, GIF, SVG or WebP image")
            return None
        if not target.is_file():
            self.problem(node, field, f'no such file: "{value}"',
                         f"the path is relative to the briefing's folder ({folder})")
            return None
        return target

    # -- records ---------------------------------------------------------------------------

    def event(self, node: yaml.Node, field: str, names: tuple[str, ...],
              lang_tag: str) -> Event | None:
        fields = self.mapping(node, field, _EVENT_KEYS, what="an event")
        if fields is None:
            return None
        problems_before = len(self.problems)
        title = self.required_text(fields, "title", node, field)
        start = self.partial_date(fields.get("start"), f"{field}.start")
        if "start" not in fields:
            self.problem(node, f"{field}.start", "required field is missing",
                         "add `start: YYYY` (or YYYY-MM, YYYY-MM-DD)")
        end = self.partial_date(fields.get("end"), f"{field}.end")
        if start and end and end.last_day < start.first_day:
            self.problem(fields["end"], f"{field}.end",
                         f"expected a date not before start ({start}), found {end}")
        people = self.text_list(fields.get("people"), f"{field}.people")
        for index, name in enumerate(people):
            if name not in names:
                known = _did_you_mean(name, names)
                self.problem(fields["people"].value[index], f"{field}.people[{index}]",
                             f'unknown person "{name}"',
                             known or "add them under the top-level `people:` list")
        when = self.text(fields.get("when"), f"{field}.when")
        image = self.image(fields.get("image"), f"{field}.image")
        event_fields = dict(
            body=self.text(fields.get("body"), f"{field}.body") or "",
            tags=self.text_list(fields.get("tags"), f"{field}.tags"),
            caption=self.text(fields.get("caption"), f"{field}.caption"))
        if len(self.problems) > problems_before or start is None or title is None:
            return None
        return Event(start=start, end=end, title=title, people=people, image=image,
                     when=when or language(lang_tag).when(start, end), **event_fields)

    def person(self, node: yaml.Node, field: str) -> Person | None:
        fields = self.mapping(node, field, _PERSON_KEYS, what="a person")
        if fields is None:
            return None
        name = self.required_text(fields, "name", node, field)
        if name in self.person_names:
            self.problem(fields["name"], f"{field}.name", f'duplicate person "{name}"',
                         "each name must be unique; merge the two entries")
            return None
        if name:
            self.person_names.add(name)
        alt = self.text(fields.get("alt"), f"{field}.alt")
        role = self.text(fields.get("role"), f"{field}.role")
        return Person(name, alt, role) if name else None

    def source(self, node: yaml.Node, field: str) -> Source | None:
        fields = self.mapping(node, field, _SOURCE_KEYS, what="a source")
        if fields is None:
            return None
        title = self.required_text(fields, "title", node, field)
        source = Source(
            title=title or "",
            publisher=self.text(fields.get("publisher"), f"{field}.publisher"),
            date=self.date(fields.get("date"), f"{field}.date"),
            url=self.url(fields.get("url"), f"{field}.url"),
            note=self.text(fields.get("note"), f"{field}.note"))
        return source if title else None
