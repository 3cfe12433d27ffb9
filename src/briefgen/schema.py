"""The briefing format as a JSON Schema (draft 2020-12), generated from its declaration.

Editors use it to complete and check briefings as they are written: VS Code's YAML extension
reads a first line such as ``# yaml-language-server: $schema=briefing.schema.json`` after
``briefgen schema > briefing.schema.json``. The loader stays the judge: the schema cannot say
that person names are unique or that an image file exists.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .i18n import LANGUAGES
from .model import FONT_SUFFIXES, IMAGE_SUFFIXES, Briefing, Kind, Spec, specs
from .values import TEXT_LANG_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"

# YAML writes `title: 2022` or `title: yes` as a number or a boolean; the loader takes the text
# as written, so the schema accepts them too.
_TEXT = {"type": ["string", "number", "boolean"]}
#: A figure as the loader reads one: ASCII or the full-width figures an input method types
#: (２０２３-０９-１３), which the loader reads as the same date.
_FIGURE = "[0-9\uff10-\uff19]"
_PARTIAL_DATE = rf"^{_FIGURE}{{4}}(-{_FIGURE}{{1,2}}(-{_FIGURE}{{1,2}})?)?$"


def _suffix_pattern(suffixes: tuple[str, ...]) -> str:
    """A file name ending in one of ``suffixes``, in either case, spelled out: editors run
    the pattern as an ECMAScript regex, without (?i)."""
    spelled = ("".join(f"[{c.lower()}{c.upper()}]" for c in suffix[1:]) for suffix in suffixes)
    return r"\.(" + "|".join(spelled) + r")$"


_IMAGE = _suffix_pattern(IMAGE_SUFFIXES)
#: A text with a character other than a space: the loader takes a text without the spaces
#: around it and refuses one left empty (`title: ""`, or `title: "  "` and `"　"`, which
#: "minLength": 1 let through). Editors run it as ECMAScript, whose \S, as Python's, takes
#: the full-width space for a space.
_NOT_BLANK = r"\S"

_VALUE_SCHEMAS: dict[Kind, dict[str, Any]] = {
    Kind.TEXT: _TEXT,
    Kind.MARKDOWN: _TEXT,
    Kind.NAME: _TEXT,
    Kind.TERM: _TEXT,
    Kind.LANG: {"enum": list(LANGUAGES)},
    Kind.TEXT_LANG: {"type": "string", "pattern": f"^{TEXT_LANG_PATTERN}$"},
    # As the loader reads it: a month or day of one digit too (2023-9-3). Not "format":
    # "date", which editors check as RFC 3339's two digits and would mark a valid date.
    Kind.DATE: {
        "type": "string",
        "pattern": rf"^{_FIGURE}{{4}}-{_FIGURE}{{1,2}}-{_FIGURE}{{1,2}}$",
    },
    # A bare year is a YAML number.
    Kind.PARTIAL_DATE: {
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 9999},
            {"type": "string", "pattern": _PARTIAL_DATE},
        ]
    },
    # A site's name after the // (and any user@), as the loader asks: not https://:80/.
    Kind.URL: {"type": "string", "pattern": "^https?://(?:[^/?#@]*@)?[^/?#@:]"},
    Kind.IMAGE: {"type": "string", "pattern": _IMAGE},
    Kind.FOLDER: {"type": "string", "pattern": _NOT_BLANK},
    Kind.FONT: {"type": "string", "pattern": _suffix_pattern(FONT_SUFFIXES)},
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a briefing file."""
    return {
        "$schema": DIALECT,
        **record_schema(Briefing, "Briefing"),
        "description": (
            "A briefgen briefing: a title, a summary, dated events, people and sources, "
            f"typeset into PDF, EPUB 3 and HTML. Format 1 (briefgen {__version__})."
        ),
    }


def record_schema(record: type, title: str) -> dict[str, Any]:
    """An object schema for one record type: its declared fields, no others."""
    declared = specs(record)
    return {
        "title": title,
        "description": (record.__doc__ or "").strip(),
        "type": "object",
        "properties": {name: field_schema(name, spec) for name, spec in declared},
        "required": [name for name, spec in declared if spec.required],
        "additionalProperties": False,
    }


def field_schema(name: str, spec: Spec) -> dict[str, Any]:
    """One field: its value's schema, with a title and description editors show."""
    if spec.kind is Kind.RECORDS:
        assert spec.record is not None
        schema: dict[str, Any] = {
            "type": "array",
            "items": record_schema(spec.record, spec.record.__name__),
        }
    elif spec.kind is Kind.RECORD:
        assert spec.record is not None
        record = record_schema(spec.record, spec.record.__name__)
        # The field's own title and description are the ones an editor shows for it.
        schema = {
            key: value for key, value in record.items() if key not in ("title", "description")
        }
    elif spec.many:
        schema = {"type": "array", "items": _VALUE_SCHEMAS[spec.kind]}
    else:
        schema = dict(_VALUE_SCHEMAS[spec.kind])
    if spec.min_items:
        schema["minItems"] = spec.min_items
    if spec.max_items is not None:
        schema["maxItems"] = spec.max_items
    if not spec.required:  # an optional field may be left empty (`subtitle:`)
        schema = _nullable(schema)
    elif schema.get("type") == _TEXT["type"]:
        # A required text the loader refuses when empty (`title: ""`), as editors should.
        schema = {**schema, "pattern": _NOT_BLANK}
    schema = {"title": name, "description": spec.description, **schema}
    if spec.example is not None:
        schema["examples"] = [spec.example]
    return schema


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also takes null, written so that a validator still reports a wrong
    value at the value itself (not as "none of the alternatives matched")."""
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        return {**schema, "type": [*types, "null"]}
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
