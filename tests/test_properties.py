"""Property-based tests (Hypothesis): random briefings and mangled sample files never make
briefgen fail with anything but :class:`briefgen.BriefingError`.

The random briefings are built from the declaration of the file format
(:func:`briefgen.model.specs`), walked recursively, so a field added to the model is
generated without touching this file (a field of a new *kind* makes the strategy raise
NotImplementedError until it learns that kind). Each field gets a value of its kind, written
in one of several YAML styles (double-quoted with JSON or YAML escapes, raw, plain,
single-quoted, literal blocks, flow or block lists, the whole document as flow/JSON), with
random Unicode: astral characters, combining marks, RTL text and marks, zero-width
characters, control characters, lone surrogates written as escapes (``"\\ud800"``),
noncharacters, and YAML, Markdown and HTML syntax.

Properties:

- A (``load``): it returns a Briefing or raises BriefingError, nothing else; a returned
  briefing holds no control character (other than tab and line feed) and no surrogate, and
  its text is what YAML reads from the file, less those characters and the surrounding
  white space.
- B (``build``, slow): it raises BriefingError or writes a PDF (>= 1 page), an EPUB (a zip,
  ``mimetype`` first and stored, its XML files well-formed) and UTF-8 HTML, and nothing
  else; in the PDF no character the shipped fonts have prints as an empty box.
- C (mutations of ``data/russia-north-korea.yaml``): ``loads`` raises nothing but
  BriefingError; a few mutants that load are also built (slow).

How long to search: the environment variable ``BRIEFGEN_HYPOTHESIS`` names the profile.

- ``default`` (when unset): 30 examples per load property, 3 per build property,
  derandomized (the same examples on every run, so CI is reproducible), no example database.
  The whole file runs in seconds. A failing example is reported as found, not shrunk:
  shrinking takes hundreds of runs (minutes). The failures found so far, reduced by hand,
  run first as explicit examples (``@example``), so they fail in every run until fixed.
- ``long``: 500 examples per load property, 40 per build property, random (a new search each
  run), failures shrunk and remembered in an example database in the system's temp folder
  (not in the repository). It leaves the explicit examples out, so that a known failure does
  not stop the search for new ones::

      BRIEFGEN_HYPOTHESIS=long PYTHONPATH=src python -m pytest tests/test_properties.py

The profiles are registered as ``briefgen-default`` and ``briefgen-long`` and applied to the
tests of this file only, so that they do not change Hypothesis' settings for other files.
``--hypothesis-show-statistics`` shows why generated inputs were refused.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml
from hypothesis import HealthCheck, Phase, assume, event, example, given, note, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

import briefgen
from briefgen.i18n import LANGUAGES
from briefgen.model import Briefing, Event, Kind, Person, Spec, specs, text_values
from conftest import latin_font

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "data" / "russia-north-korea.yaml"

# -- how long to search ------------------------------------------------------------------------

_EXAMPLES = {"default": {"load": 30, "build": 3}, "long": {"load": 500, "build": 40}}
PROFILE = os.environ.get("BRIEFGEN_HYPOTHESIS") or "default"
if PROFILE not in _EXAMPLES:
    raise ValueError(f"BRIEFGEN_HYPOTHESIS={PROFILE!r}: choose one of {', '.join(_EXAMPLES)}")

_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
}
settings.register_profile(
    "briefgen-default",
    max_examples=_EXAMPLES["default"]["load"],
    derandomize=True,
    database=None,
    # No shrinking: it takes minutes (hundreds of runs, builds among them) and the default
    # run must stay quick even while a property fails. The long profile shrinks.
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target),
    **_COMMON,
)
settings.register_profile(
    "briefgen-long",
    max_examples=_EXAMPLES["long"]["load"],
    derandomize=False,
    # No explicit examples: one that fails would stop the search before it starts.
    phases=(Phase.reuse, Phase.generate, Phase.target, Phase.shrink, Phase.explain),
    database=DirectoryBasedExampleDatabase(
        os.path.join(tempfile.gettempdir(), "briefgen-hypothesis")
    ),
    **_COMMON,
)

LOAD_SETTINGS = settings(settings.get_profile(f"briefgen-{PROFILE}"))
BUILD_SETTINGS = settings(LOAD_SETTINGS, max_examples=_EXAMPLES[PROFILE]["build"])

# -- the cross-references the declaration does not state -----------------------------------------

#: (record type, field) → (record type, field) whose values it names. Generated values of
#: the first are drawn, most of the time, from the generated values of the second.
REFERENCES: dict[tuple[type, str], tuple[type, str]] = {(Event, "people"): (Person, "name")}


def test_references_are_declared() -> None:
    """The cross-references above still name declared fields (else update REFERENCES)."""
    for (record, name), (target, target_name) in REFERENCES.items():
        assert name in dict(specs(record)), f"{record.__name__}.{name} is no longer declared"
        assert target_name in dict(specs(target)), (
            f"{target.__name__}.{target_name} is no longer declared"
        )


# -- the image an event can show -------------------------------------------------------------------

IMAGE_NAME = "img.png"
FONT_NAME = "latin.ttf"


def _png() -> bytes:
    """A valid 2x2 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the briefing files, holding the image they may show."""
    folder = tmp_path_factory.mktemp("properties")
    (folder / IMAGE_NAME).write_bytes(_png())
    (folder / FONT_NAME).write_bytes(latin_font())
    return folder


# -- drawing helpers -------------------------------------------------------------------------------
# Strategies are built at import (or are ones Hypothesis caches, like st.integers): building
# new ones inside every draw costs more than the rest of the generation.


def _rarely(draw: st.DrawFn, one_in: int = 10) -> bool:
    """True once in ``one_in`` draws (shrinks to False)."""
    return draw(st.integers(0, one_in - 1)) == one_in - 1


def _pick(draw: st.DrawFn, choices: Sequence[Any]) -> Any:
    """One of ``choices`` (shrinks to the first)."""
    return choices[draw(st.integers(0, len(choices) - 1))]


# -- random text -----------------------------------------------------------------------------------

SPECIAL = (
    # astral: emoji (with ZWJ, a flag), CJK Extension B
    "\U0001F600", "\U0001F469\u200D\U0001F4BB", "\U0001F1F9\U0001F1FC", "\U00020000",
    "\U00020BB7", "\U0002A6D6",
    # combining marks, alone and after a letter
    "e\u0301", "\u0301", "\u20DD", "\u0E49",
    # right-to-left text and marks, isolates
    "\u05E9\u05DC\u05D5\u05DD", "\u0627\u0644\u0639\u0631\u0628\u064A\u0629", "\u200F",
    "\u200E", "\u202E", "\u202C", "\u2067", "\u2069",
    # zero-width and invisible characters
    "\u200B", "\u200C", "\u200D", "\uFEFF", "\u00AD", "\u2060",
    # control characters, line and paragraph separators, white space
    "\x00", "\x07", "\x08", "\x0B", "\x0C", "\r", "\r\n", "\x1B", "\x7F", "\x85", "\x9F",
    "\u2028", "\u2029", "\t", "\n", "\n\n", "  ", "\u3000", "\u00A0",
    # lone surrogates (written as escapes)
    "\ud800", "\udbff", "\udc00", "\udfff",
    # noncharacters, private use, tags, replacement character
    "\uFFFE", "\uFFFF", "\uFDD0", "\U0010FFFF", "\U0001FFFE", "\uE000", "\U000E0001", "\uFFFD",
    # YAML syntax
    ": ", " #", "- ", "&a", "*a", "!!python/object", "{", "}", "[", "]", "'", '"', "\\", "|",
    ">", "%", "@", "`", "---", "...", "? ", ",",
    # Markdown, HTML, entities, template syntax
    "**", "_", "# ", "> ", "1. ", "* ", "[x](https://example.com)", "[x](javascript:alert(1))",
    "<script>alert(1)</script>", "<b>", "&amp;", "&#0;", "&#12;", "&#x0C;", "&#xFFFE;",
    "&#xD800;", "&#x1F600;", "]]>", "{{ x }}", "{% raw %}", "\\u0000",
    # CJK punctuation and quotes (the typography rules' business)
    "「", "」", "“", "”", "‘", "’", "，", "。", "：", "（", "）", "——", "……", "・", "《", "》",
    # ordinary text
    "金正恩", "俄羅斯與朝鮮", "한국어", "ひらがな", "Putin", "1950", "2023-09-13", "null", "yes",
)  # fmt: skip

_PIECES = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(st.characters(), min_size=1, max_size=8),
    st.text(st.sampled_from("abc xyz金正恩普京年月日。，「」"), min_size=1, max_size=12),
    st.integers(0xD800, 0xDFFF).map(chr),  # lone surrogates
    st.integers(0x20000, 0x2A6DF).map(chr),  # CJK Extension B
    st.integers(0x0300, 0x036F).map(chr),  # combining marks
    st.integers(0x1F300, 0x1FAFF).map(chr),  # emoji
    st.integers(0x00, 0x1F).map(chr) | st.integers(0x7F, 0x9F).map(chr),  # C0, C1
)

#: Something visible, so that a required field is rarely empty.
_VISIBLE = st.text(st.sampled_from("abcXYZ金正恩俄羅斯朝鮮한국"), min_size=1, max_size=6)


@st.composite
def _random_text(draw: st.DrawFn, required: bool = False) -> str:
    pieces = draw(st.lists(_PIECES, max_size=6))
    if required and not _rarely(draw, 50):
        pieces.insert(draw(st.integers(0, len(pieces))), draw(_VISIBLE))
    return "".join(pieces)


RANDOM_TEXT = _random_text()
REQUIRED_TEXT = _random_text(required=True)

# -- a small YAML tree and its writer --------------------------------------------------------------


@dataclass(frozen=True)
class Scalar:
    """One scalar as written: ``inline`` follows ``key: `` on the key's line; ``block``
    holds the content lines of a literal block scalar; ``flow`` is the form used inside
    ``[ ]`` and ``{ }``."""

    inline: str
    flow: str
    block: tuple[str, ...] = ()


@dataclass(frozen=True)
class Seq:
    items: tuple[Node, ...]
    flow: bool = False


@dataclass(frozen=True)
class Rec:
    fields: tuple[tuple[str, Node], ...]


Node = Scalar | Seq | Rec


def block_lines(record: Rec, indent: int, first: str | None = None) -> list[str]:
    """The record as block YAML, its keys at column ``indent``; ``first`` replaces the
    indentation of the first line (``"  - "`` for a list item)."""
    if not record.fields:
        return [(first or " " * indent) + "{}"]
    lines: list[str] = []
    for index, (key, node) in enumerate(record.fields):
        head = (first if index == 0 and first is not None else " " * indent) + key + ":"
        if isinstance(node, Scalar):
            lines.append(f"{head} {node.inline}" if node.inline else head)
            lines.extend(" " * (indent + 2) + line if line else "" for line in node.block)
        elif isinstance(node, Seq):
            if not node.items or node.flow:
                lines.append(f"{head} {flow_text(node)}")
                continue
            lines.append(head)
            for item in node.items:
                lead = " " * (indent + 2) + "- "
                if isinstance(item, Rec):
                    lines.extend(block_lines(item, indent + 4, first=lead))
                elif isinstance(item, Scalar) and not item.block:
                    lines.append(lead + item.inline)
                else:
                    lines.append(lead + flow_text(item))
        else:
            lines.extend([head, *block_lines(node, indent + 2)])
    return lines


def flow_text(node: Node) -> str:
    if isinstance(node, Scalar):
        return node.flow
    if isinstance(node, Seq):
        return "[" + ", ".join(flow_text(item) for item in node.items) + "]"
    return "{" + ", ".join(f"{key}: {flow_text(value)}" for key, value in node.fields) + "}"


# -- writing one value in a YAML style -------------------------------------------------------------

_YAML_NAMED_ESCAPES = {
    "\x00": "\\0", "\x07": "\\a", "\x08": "\\b", "\t": "\\t", "\n": "\\n", "\x0b": "\\v",
    "\x0c": "\\f", "\r": "\\r", "\x1b": "\\e", '"': '\\"', "\\": "\\\\", "\x85": "\\N",
    "\xa0": "\\_", "\u2028": "\\L", "\u2029": "\\P",
}  # fmt: skip
_LINE_BREAKS = "\n\r\x85\u2028\u2029"
TEXT_STYLES = ("json_raw", "json_ascii", "yaml_escapes", "plain", "single", "literal")


def _yaml_printable(char: str) -> bool:
    """Whether a YAML file may carry ``char`` as it is (PyYAML's reader refuses others)."""
    code = ord(char)
    return (
        char in "\t\n\r"
        or 0x20 <= code <= 0x7E
        or code == 0x85
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def _json_raw(text: str) -> str:
    """JSON (a YAML double-quoted scalar) with the characters as they are, but for those a
    YAML file cannot carry (lone surrogates, C1 controls, U+FFFE…), written ``\\uXXXX``."""
    written = json.dumps(text, ensure_ascii=False)
    return "".join(c if _yaml_printable(c) else f"\\u{ord(c):04x}" for c in written)


def _yaml_escaped(text: str) -> str:
    """Double-quoted with YAML's own escapes: ``\\x..``, ``\\u....``, ``\\U........``,
    ``\\N``, ``\\L``, ``\\_``…"""
    out = []
    for char in text:
        code = ord(char)
        if char in _YAML_NAMED_ESCAPES:
            out.append(_YAML_NAMED_ESCAPES[char])
        elif 0x20 <= code <= 0x7E:
            out.append(char)
        elif code <= 0xFF:
            out.append(f"\\x{code:02X}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(f"\\U{code:08X}")
    return '"' + "".join(out) + '"'


def _single_quoted(text: str) -> str | None:
    if not all(_yaml_printable(c) for c in text) or any(c in _LINE_BREAKS for c in text):
        return None
    return "'" + text.replace("'", "''") + "'"


def _plain_node(snippet: str) -> yaml.Node | None:
    try:
        return yaml.compose(snippet, Loader=yaml.SafeLoader)
    except Exception:  # anything YAML cannot read is just not plain
        return None


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether ``text`` written plain is one scalar of exactly that text (a block mapping's
    value, or a flow list's item)."""
    if not text or any(c in _LINE_BREAKS for c in text):
        return False
    root = _plain_node(f"k: [{text}]" if flow else f"k: {text}")
    if not isinstance(root, yaml.MappingNode) or len(root.value) != 1:
        return False
    node = root.value[0][1]
    if flow:
        if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
            return False
        node = node.value[0]
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value == text


def text_scalar(text: str, style: str) -> Scalar:
    """``text`` written in ``style``; a style that cannot carry it falls back to JSON."""
    json_raw = _json_raw(text)
    if style == "json_ascii":
        written = json.dumps(text, ensure_ascii=True)  # astral characters as surrogate pairs
        return Scalar(written, written)
    if style == "yaml_escapes":
        written = _yaml_escaped(text)
        return Scalar(written, written)
    if style == "plain" and _plain_ok(text, flow=False):
        return Scalar(text, text if _plain_ok(text, flow=True) else json_raw)
    if style == "single" and (written := _single_quoted(text)) is not None:
        return Scalar(written, written)
    if style.startswith("literal") and all(
        _yaml_printable(c) and c not in "\r\x85\u2028\u2029" for c in text
    ):
        chomp = style[len("literal") :]
        return Scalar("|2" + chomp, json_raw, tuple(text.split("\n")))
    return Scalar(json_raw, json_raw)


def written_text(draw: st.DrawFn, text: str) -> Scalar:
    style = _pick(draw, TEXT_STYLES)
    if style == "literal":
        style += _pick(draw, ("-", "", "+"))
    return text_scalar(text, style)


def written_word(draw: st.DrawFn, value: str) -> Scalar:
    """A date, a language tag or a path: plain (YAML may tag it a timestamp or a number;
    briefgen reads the text as written), single- or double-quoted."""
    return text_scalar(value, _pick(draw, ("plain", "json_raw", "single")))


def yaml_value(scalar: Scalar) -> Any:
    """What YAML reads from the scalar as written in a block mapping (None if it cannot)."""
    snippet = "\n".join(block_lines(Rec((("k", scalar),)), 0))
    try:
        return yaml.safe_load(snippet)["k"]
    except Exception:
        return None


# -- values by kind --------------------------------------------------------------------------------

_YEARS = st.one_of(st.integers(1900, 2100), st.integers(1, 9999))
_LONG_MONTHS = (1, 3, 5, 7, 8, 10, 12)


def _date_parts(draw: st.DrawFn) -> tuple[int, int, int]:
    """Year, month, day: a real date most of the time, else anything up to 9999-99-99."""
    if _rarely(draw, 30):
        return draw(st.integers(0, 9999)), draw(st.integers(0, 99)), draw(st.integers(0, 99))
    year, month = draw(_YEARS), draw(st.integers(1, 12))
    return year, month, draw(st.integers(1, 31 if month in _LONG_MONTHS else 28))


def partial_date(draw: st.DrawFn) -> tuple[tuple[int, int, int], Any]:
    """A partial date as (sort key, value to write): an int year, "YYYY", "YYYY-MM" or
    "YYYY-MM-DD" (impossible ones included: month 13, 30 February, year 0)."""
    year, month, day = _date_parts(draw)
    parts = draw(st.integers(1, 3))
    month = month if parts >= 2 else 0
    day = day if parts == 3 else 0
    if parts == 1 and draw(st.booleans()):
        return (year, 0, 0), year  # an int
    pad = not _rarely(draw, 30)
    fields = [f"{year:04d}" if pad else str(year)]
    if parts >= 2:
        fields.append(f"{month:02d}" if pad else str(month))
    if parts == 3:
        fields.append(f"{day:02d}" if pad else str(day))
    return (year, month, day), "-".join(fields)


def date_text(draw: st.DrawFn) -> str:
    year, month, day = _date_parts(draw)
    if not _rarely(draw, 30):
        return f"{year:04d}-{month:02d}-{day:02d}"
    forms = (
        f"{year}-{month}-{day}",
        f"{year:04d}/{month:02d}/{day:02d}",
        f"{year:04d}-{month:02d}",
        f"{year:04d}-{month:02d}-{day:02d}T00:00:00",
    )
    return draw(RANDOM_TEXT) if _rarely(draw, 5) else _pick(draw, forms)


_HOSTS = (
    "example.com", "www.dw.com", "apnews.com", "xn--fiqs8s.cn", "localhost:8080", "例子.中国",
    "127.0.0.1", "[::1]", "user:pw@example.com", "ｅｘａｍｐｌｅ.com",
    # not addresses: a bracketed host that is no IP address, an unclosed bracket, a host
    # that NFKC normalization changes into one with a "/" (U+2100 ACCOUNT OF is "a/c")
    "[x]", "[::1", "a\u2100b",
)  # fmt: skip
_HOST_WORDS = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-"), min_size=1, max_size=12
)
_URL_PATHS = ("", "/", "/a/b?q=1#f", "/文章/1", "/a b", "/%E4%B8%AD")


def url_text(draw: st.DrawFn) -> str:
    if _rarely(draw, 20):
        scheme = _pick(draw, ("ftp://", "javascript:", "", "HTTP://", "https:/", "mailto:"))
    else:
        scheme = _pick(draw, ("https://", "http://"))
    if _rarely(draw):
        host = draw(RANDOM_TEXT)  # anything: brackets, NFKC-changing characters, spaces
    elif draw(st.booleans()):
        host = _pick(draw, _HOSTS)
    else:
        host = draw(_HOST_WORDS) + _pick(draw, (".com", ".org", ".tw", ".co.kr"))
    path = draw(RANDOM_TEXT) if _rarely(draw) else _pick(draw, _URL_PATHS)
    return scheme + host + ("/" + path.lstrip("/") if path else "")


_GOOD_IMAGES = (IMAGE_NAME, f"./{IMAGE_NAME}", f"sub/../{IMAGE_NAME}")
_BAD_IMAGES = (
    "missing.png", f"../{IMAGE_NAME}", "img.txt", "/etc/hostname", "IMG.PNG", f"{IMAGE_NAME}/",
    "sub", ".", "", "C:\\img.png", "~/img.png", f"{IMAGE_NAME}\x00.txt",
)  # fmt: skip


def image_text(draw: st.DrawFn) -> str:
    if not _rarely(draw, 5):
        return _pick(draw, _GOOD_IMAGES)
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return _pick(draw, _BAD_IMAGES)
    if kind == 1:
        return "x" * draw(st.integers(1, 400)) + ".png"  # up to a too long file name
    return draw(RANDOM_TEXT) + ".png"


_GOOD_FONTS = (FONT_NAME, f"./{FONT_NAME}")
_BAD_FONTS = ("missing.ttf", f"../{FONT_NAME}", IMAGE_NAME, "/etc/hostname", "font.woff2", "")


def font_text(draw: st.DrawFn) -> str:
    if not _rarely(draw, 5):
        return _pick(draw, _GOOD_FONTS)
    return _pick(draw, _BAD_FONTS) if draw(st.booleans()) else draw(RANDOM_TEXT) + ".ttf"


_GOOD_FOLDERS = (".", "./", "sub/..")
_BAD_FOLDERS = ("missing", "..", "/tmp", IMAGE_NAME, "", "~", "C:\\")


def folder_text(draw: st.DrawFn) -> str:
    if not _rarely(draw, 5):
        return _pick(draw, _GOOD_FOLDERS)
    return _pick(draw, _BAD_FOLDERS) if draw(st.booleans()) else draw(RANDOM_TEXT)


# -- a briefing, from the declaration --------------------------------------------------------------


@dataclass
class Context:
    """What generating one briefing remembers: the values other fields may name, and what
    YAML reads each text value as (for the round-trip property)."""

    referable: dict[tuple[type, str], list[str]] = field(default_factory=dict)
    expected: list[tuple[tuple[Any, ...], Spec, Any]] = field(default_factory=list)


def scalar_of_kind(
    draw: st.DrawFn,
    spec: Spec,
    ctx: Context,
    where: tuple[Any, ...],
    choices: list[str] | None = None,
) -> Scalar:
    """One value of the spec's kind, written in some YAML style; what YAML reads from text
    values is noted in ``ctx``."""
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.MARKDOWN, Kind.NAME, Kind.TERM, Kind.URL):
        if kind is Kind.URL:
            text = url_text(draw)
        elif choices and not _rarely(draw):
            text = _pick(draw, choices)
        else:
            text = draw(REQUIRED_TEXT if spec.required or spec.many else RANDOM_TEXT)
        scalar = written_text(draw, text)
        ctx.expected.append((where, spec, yaml_value(scalar)))
        return scalar
    if kind is Kind.LANG:
        if _rarely(draw, 20):
            return written_text(draw, _pick(draw, ("zh-tw", "zh", "fr", "", "EN", "zh_Hant")))
        return written_word(draw, _pick(draw, tuple(LANGUAGES)))
    if kind is Kind.TEXT_LANG:
        if _rarely(draw, 20):
            return written_text(draw, _pick(draw, ("Russian", "", "ru_RU", "-en", "x")))
        return written_word(draw, _pick(draw, ("en", "ru", "ko-Latn", "sr-Cyrl-RS", "zh-Hant")))
    if kind is Kind.DATE:
        return written_word(draw, date_text(draw))
    if kind is Kind.PARTIAL_DATE:
        return partial_date_scalar(draw, partial_date(draw)[1])
    if kind is Kind.IMAGE:
        return written_word(draw, image_text(draw))
    if kind is Kind.FONT:
        return written_word(draw, font_text(draw))
    if kind is Kind.FOLDER:
        return written_word(draw, folder_text(draw))
    raise NotImplementedError(f"no strategy for {kind}: extend scalar_of_kind()")


def partial_date_scalar(draw: st.DrawFn, value: Any) -> Scalar:
    if isinstance(value, int):
        return Scalar(str(value), str(value))
    return written_word(draw, value)


_NULLS = ("null", "~", "")


def record_node(
    draw: st.DrawFn, record_type: type, ctx: Context, where: tuple[Any, ...] = ()
) -> Rec:
    """A record of ``record_type``, field by field from its declaration."""
    declared = specs(record_type)
    # Records other fields refer to (people, before the events naming them) are drawn first.
    targets = {target for target, _ in REFERENCES.values()}
    order = sorted(declared, key=lambda item: 0 if item[1].record in targets else 1)
    nodes: dict[str, Node] = {}
    partial_dates: list[tuple[str, tuple[int, int, int], Any]] = []
    for name, spec in order:
        if not spec.required:
            # Left out, given, or given as null (shrinks to left out).
            choice = draw(st.integers(0, 4))
            if choice == 0:
                continue
            if choice == 4:
                nodes[name] = Scalar(_pick(draw, _NULLS), "null")
                continue
        path = (*where, name)
        if spec.kind is Kind.RECORDS:
            assert spec.record is not None
            high = spec.min_items + 3
            if spec.max_items is not None:
                high = min(high, spec.max_items)
            count = draw(st.integers(spec.min_items, high))
            if spec.min_items and _rarely(draw, 30):
                count = 0  # too few: the loader must say so
            items = tuple(
                record_node(draw, spec.record, ctx, (*path, index)) for index in range(count)
            )
            nodes[name] = Seq(items, flow=False)
        elif spec.kind is Kind.RECORD:
            assert spec.record is not None
            nodes[name] = record_node(draw, spec.record, ctx, path)
        elif spec.many:
            choices = None
            if (record_type, name) in REFERENCES:
                choices = ctx.referable.get(REFERENCES[record_type, name], [])
            count = draw(st.integers(0, 3))
            if choices is not None and not choices and not _rarely(draw):
                count = 0  # nobody to name
            items = tuple(
                scalar_of_kind(draw, spec, ctx, (*path, index), choices) for index in range(count)
            )
            nodes[name] = Seq(items, flow=draw(st.booleans()))
        elif spec.kind is Kind.PARTIAL_DATE:
            key, value = partial_date(draw)
            partial_dates.append((name, key, value))
        else:
            scalar = scalar_of_kind(draw, spec, ctx, path)
            nodes[name] = scalar
            if (record_type, name) in REFERENCES.values():
                value = yaml_value(scalar)
                ctx.referable.setdefault((record_type, name), []).append(
                    value if isinstance(value, str) else scalar.inline
                )
    # The partial dates of one record (start, end) are mostly in order: end not before start.
    if partial_dates:
        values = [value for _, _, value in partial_dates]
        if not _rarely(draw, 5):
            values = [value for _, _, value in sorted(partial_dates, key=lambda item: item[1])]
        for (name, _, _), value in zip(partial_dates, values, strict=True):
            nodes[name] = partial_date_scalar(draw, value)
    names = [name for name, _ in declared if name in nodes]
    if _rarely(draw, 5):
        names = draw(st.permutations(names))
    return Rec(tuple((name, nodes[name]) for name in names))


class Document:
    """A generated briefing file's text, and what YAML reads each of its text values as."""

    def __init__(self, text: str, expected: tuple[tuple[tuple[Any, ...], Spec, Any], ...]):
        self.text, self.expected = text, expected

    def __repr__(self) -> str:
        return f"Document({self.text!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # in Hypothesis' reports
        printer.text(repr(self))


_PREFIXES = ("", "---\n", "%YAML 1.1\n---\n", "# a briefing\n", "\ufeff")
_SUFFIXES = ("", "...\n", "# end\n")


@st.composite
def briefing_documents(draw: st.DrawFn) -> Document:
    """A random valid-shaped briefing file's text, from the declaration of the format."""
    ctx = Context()
    root = record_node(draw, Briefing, ctx)
    # Block style, or now and then the whole document in flow style (JSON-like).
    body = flow_text(root) if _rarely(draw) else "\n".join(block_lines(root, 0))
    body += "\n"
    text = _pick(draw, _PREFIXES) + body + _pick(draw, _SUFFIXES)
    if _rarely(draw):
        text = text.replace("\n", "\r\n")
    text.encode("utf-8")  # the generator never writes a lone surrogate as it is
    return Document(text, tuple(ctx.expected))


def write(document: Document, folder: Path, name: str = "briefing.yaml") -> Path:
    path = folder / name
    path.write_bytes(document.text.encode("utf-8"))
    return path


# -- checks ----------------------------------------------------------------------------------------


def refused(error: briefgen.BriefingError) -> None:
    """Count why inputs are refused (``--hypothesis-show-statistics``)."""
    message = error.problems[0].message if error.problems else "?"
    event("refused: " + message.split(",")[0].split('"')[0][:50])


def _unprintable(char: str) -> bool:
    """What the loader drops: control characters but tab and line feed, lone surrogates and
    noncharacters (U+FDD0–U+FDEF and the last two code points of every plane)."""
    category, code = unicodedata.category(char), ord(char)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    return category == "Cs" or noncharacter or (category == "Cc" and char not in "\t\n")


def assert_printable(briefing: Briefing) -> None:
    for field_path, _, text in text_values(briefing):
        bad = sorted({f"U+{ord(c):04X}" for c in text if _unprintable(c)})
        assert not bad, f"{field_path} keeps {', '.join(bad)}: {text!r}"


def _cleaned(text: str) -> str:
    # Surrogate pairs written as two escapes are one character (as JSON writes an emoji).
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return "".join(c for c in text if not _unprintable(c)).strip()


def _get(record: Any, where: tuple[Any, ...]) -> Any:
    value = record
    for step in where:
        value = value[step] if isinstance(step, int) else getattr(value, step)
    return value


def assert_text_as_yaml_reads_it(briefing: Briefing, document: Document) -> None:
    """Each text value is what YAML reads, less unprintable characters and outer white
    space; lists leave out the items that end up empty."""
    lists: dict[tuple[Any, ...], list[Any]] = {}
    for where, spec, value in document.expected:
        if spec.many:
            lists.setdefault(where[:-1], []).append(value)
        elif isinstance(value, str):
            assert _get(briefing, where) == _cleaned(value), where
    for where, values in lists.items():
        if all(isinstance(value, str) for value in values):
            wanted = tuple(text for text in map(_cleaned, values) if text)
            assert _get(briefing, where) == wanted, where


def assert_built(paths: list[Path], outdir: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    by_suffix = {path.suffix: path for path in paths}
    assert sorted(by_suffix) == [".epub", ".html", ".pdf"], paths
    assert set(outdir.iterdir()) == set(paths), "the build left other files behind"
    assert len(pypdf.PdfReader(by_suffix[".pdf"]).pages) >= 1
    with zipfile.ZipFile(by_suffix[".epub"]) as epub:
        first = epub.infolist()[0]
        assert first.filename == "mimetype"
        assert epub.read(first) == b"application/epub+zip"
        assert first.compress_type == zipfile.ZIP_STORED
        assert epub.testzip() is None
        for entry in epub.infolist():  # the package document, navigation and content
            if entry.filename.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                try:
                    ElementTree.fromstring(epub.read(entry))
                except ElementTree.ParseError as error:
                    raise AssertionError(
                        f"EPUB: {entry.filename} is not well-formed XML: {error}"
                    ) from None
    by_suffix[".html"].read_bytes().decode("utf-8")


class _NotdefRecorder(logging.Handler):
    """The code points WeasyPrint draws as .notdef (an empty box)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.code_points: set[int] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(".notdef glyph") and record.args:
            self.code_points.add(int(record.args[-1]))  # type: ignore[index]


def build_all(source: Path, workdir: Path) -> list[Path] | None:
    """Build the three formats into a fresh folder and check them; None if the input was
    refused with a BriefingError."""
    from briefgen.fonts import FACES, covered

    outdir = Path(tempfile.mkdtemp(dir=workdir, prefix="out-"))
    recorder = _NotdefRecorder()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addHandler(recorder)
    try:
        try:
            paths = briefgen.build(source, formats=["pdf", "epub", "html"], outdir=outdir)
        except briefgen.BriefingError as error:
            refused(error)
            return None
        event("built")
        assert_built(paths, outdir)
    finally:
        weasyprint_log.removeHandler(recorder)
        shutil.rmtree(outdir, ignore_errors=True)
    # A character both shipped faces have never prints as an empty box, whatever else the
    # briefing holds: a character the fonts lack costs only its own box.
    drawable = frozenset.intersection(*(covered(face) for face in FACES))
    boxes = sorted(f"U+{code:04X}" for code in recorder.code_points & drawable)
    assert not boxes, f"the PDF draws characters the fonts have as empty boxes: {boxes}"
    return paths


def loads_or_reject(path: Path) -> Briefing:
    """The briefing in ``path``; an input that is refused is not an example for the slow
    properties (the load properties cover it)."""
    try:
        return briefgen.load(path)
    except briefgen.BriefingError as error:
        refused(error)
        assume(False)
        raise  # not reached


# -- what the search found --------------------------------------------------------------------
# Each failure Hypothesis found, reduced by hand, runs as an explicit example in the default
# profile, whose few derandomized examples may not meet it again (the long profile leaves them
# out to search for new ones). Those already fixed stay as regression tests.


def _found(text: str) -> Document:
    return Document(text, ())


_EVENT = "events:\n  - start: 1900\n    title: X\n"
#: load: an image name longer than the file system allows (OSError).
LONG_IMAGE_NAME = _found(f"title: X\n{_EVENT}    image: {'x' * 252}.png\n")
#: load: a bracketed host that is no IP address (ValueError from urllib.parse.urlsplit).
URL_BRACKETED_HOST = _found(f'title: X\n{_EVENT}sources:\n  - title: X\n    url: "https://[x]"\n')
#: load: a host NFKC normalization changes (ValueError from urllib.parse.urlsplit).
URL_NFKC_HOST = _found(f'title: X\n{_EVENT}sources:\n  - title: X\n    url: "https://a\u2100b/"\n')
#: build: a date after 2107, beyond what a zip entry can carry (struct.error in the EPUB).
DATE_AFTER_2107 = _found(f"title: X\ndate: 2108-01-01\n{_EVENT}")
#: build: a noncharacter (U+FFFF), which XML forbids: the EPUB builder fails.
NONCHARACTER_IN_TITLE = _found('title: X\nevents:\n  - start: 1900\n    title: "X\\uffff"\n')
#: build: the same in an author, and a Markdown character reference to a control character
#: (U+000C): the EPUB's XHTML is not well-formed (or the EPUB builder fails on it).
NONCHARACTER_IN_AUTHOR = _found(f'title: X\nauthors: ["A\\uffff"]\n{_EVENT}')
CONTROL_CHARACTER_REFERENCE = _found(f'title: X\nsummary: "a &#12; b"\n{_EVENT}')
#: build: an emoji the fonts lack made every character of the PDF an empty box.
EMOJI_IN_TITLE = _found('title: X\nevents:\n  - start: 1900\n    title: "X\\U0001F600"\n')


# -- property A: loading ---------------------------------------------------------------------------


@LOAD_SETTINGS
@given(document=briefing_documents())
@example(document=LONG_IMAGE_NAME)
@example(document=URL_BRACKETED_HOST)
@example(document=URL_NFKC_HOST)
def test_load_returns_a_clean_briefing_or_raises_briefing_error(
    document: Document, workdir: Path
) -> None:
    note(document.text)
    try:
        briefing = briefgen.load(write(document, workdir))
    except briefgen.BriefingError as error:
        refused(error)
        return
    event("loaded")
    assert isinstance(briefing, Briefing)
    assert_printable(briefing)


@LOAD_SETTINGS
@given(document=briefing_documents())
def test_loaded_text_is_what_yaml_reads(document: Document, workdir: Path) -> None:
    note(document.text)
    try:
        briefing = briefgen.load(write(document, workdir))
    except briefgen.BriefingError as error:
        refused(error)
        return
    event("loaded")
    assert_text_as_yaml_reads_it(briefing, document)


# -- property B: building --------------------------------------------------------------------------


@pytest.mark.slow
@BUILD_SETTINGS
@given(document=briefing_documents())
@example(document=DATE_AFTER_2107)
@example(document=NONCHARACTER_IN_TITLE)
@example(document=NONCHARACTER_IN_AUTHOR)
@example(document=CONTROL_CHARACTER_REFERENCE)
@example(document=EMOJI_IN_TITLE)
def test_build_writes_three_valid_files_or_raises_briefing_error(
    document: Document, workdir: Path
) -> None:
    note(document.text)
    path = write(document, workdir)
    loads_or_reject(path)
    build_all(path, workdir)


# -- property C: mutations of the sample -----------------------------------------------------------

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")

INSERTS = (
    ":", ": ", "-", "- ", "{", "}", "[", "]", "&a ", "*a", "!!python/object", "\t", "\n", "  ",
    '"', "'", "|", ">", "? ", "#", "%YAML 1.1\n", "---\n", "...\n", ",", "~", "!!binary",
    "!!python/object/apply:os.system ['true']", "!!set", "<<: *a", "!!str ", "!!int ",
    f"\n    image: {IMAGE_NAME}\n", "\n    end: 1900\n", "\n  - start: 2023-02-30\n",
    "\\ud800", "\ud800", "\x00", "\x85", "\u2028", "\ufeff", "&#12;", "\uffff", "\U0001F600",
)  # fmt: skip
_INDENTS = ("", " ", "  ", "   ", "    ", "      ", "\t", " \t")
_MUTATIONS = ("insert", "delete", "duplicate", "swap", "indent")
_INSERT_PIECES = st.one_of(st.sampled_from(INSERTS), st.characters(), st.sampled_from(SPECIAL))


@st.composite
def mutated_samples(draw: st.DrawFn, most: int = 4) -> str:
    text = SAMPLE_TEXT
    for _ in range(draw(st.integers(1, most))):
        kind = _pick(draw, _MUTATIONS)
        if kind == "insert":
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(_INSERT_PIECES) + text[at:]
            continue
        if kind == "delete":
            start = draw(st.integers(0, len(text)))
            end = draw(st.integers(start, min(len(text), start + 300)))
            text = text[:start] + text[end:]
            continue
        lines = text.split("\n")
        index = draw(st.integers(0, len(lines) - 1))
        if kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        else:
            lines[index] = _pick(draw, _INDENTS) + lines[index].lstrip(" \t")
        text = "\n".join(lines)
    return text


@LOAD_SETTINGS
@given(text=mutated_samples())
def test_mutated_sample_loads_or_raises_briefing_error(text: str, workdir: Path) -> None:
    try:
        briefing = briefgen.loads(text, path=workdir / "mutant.yaml")
    except briefgen.BriefingError as error:
        refused(error)
        return
    event("loaded")
    assert_printable(briefing)


@pytest.mark.slow
@BUILD_SETTINGS
@given(text=mutated_samples(most=1))
def test_mutated_sample_that_loads_builds(text: str, workdir: Path) -> None:
    try:
        briefgen.loads(text, path=workdir / "mutant.yaml")
    except briefgen.BriefingError as error:
        refused(error)
        assume(False)
    path = workdir / "mutant.yaml"
    path.write_bytes(text.encode("utf-8"))
    assert build_all(path, workdir) is not None, "loads() took it but build() refused it"
