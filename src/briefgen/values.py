"""Reading one value of each kind the briefing format declares (a date, a language tag, an
image path…) from its YAML scalar, or saying what was expected instead.

Each reader is a small function ``(node, context) -> value`` that raises :class:`Invalid`;
the loader adds the file, line, column and field to make it a :class:`~briefgen.Problem`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import json
import os
import re
import struct
import unicodedata
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import tinycss2  # type: ignore[import-untyped]  # WeasyPrint's own dependency
import yaml

from .i18n import LANGUAGES
from .model import FONT_SUFFIXES, IMAGE_SUFFIXES, Kind, PartialDate

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
#: A date written year first in another way: 2023/9/13, 2023.9.13, 2023年9月13日, with
#: the full-width marks an input method types (２０２３－０９－１３: \d takes full-width
#: figures), or with a time after it (2023-09-13T10:00, 2023-09-13 10:00).
_OTHER_DATE = re.compile(
    r"(\d{4}) *(?:[-/.年－／．] *(?:(\d{1,2}) *(?:[-/.月－／．] *(\d{1,2}) *日?|月)?)?)?"
    r"(?:[ T]\d{1,2}:\d{2}.*)?"
)


#: How many characters of a value a message quotes: a report fits on one screen.
QUOTED_LENGTH = 40


def shortened(text: str) -> str:
    """``text`` as a message quotes it: its first characters and an ellipsis where it is
    longer than :data:`QUOTED_LENGTH`."""
    return text if len(text) <= QUOTED_LENGTH else text[: QUOTED_LENGTH - 1] + "…"


def describe(node: yaml.Node) -> str:
    """How a value looks to the user, for 'found …' in messages."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value pairs)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    return f'"{_escaped(shortened(node.value))}"'


#: What a quoted value cannot show as it is: a control character (a line break, a tab) or
#: a line or paragraph separator, which would break the message's line or vanish in it.
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escaped(text: str) -> str:
    """``text`` with each character it cannot show written as YAML's double quotes escape
    it (" \\n", "\\t", "\\u2028"): a name given as " \\n" was quoted with a line break in
    the message, after "found", and looked like nothing at all."""
    return _UNSHOWN.sub(lambda match: json.dumps(match.group())[1:-1], text)


def did_you_mean(word: str, choices: tuple[str, ...] | list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=max(len(choices), 1), cutoff=0.6)
    if not close:
        return None
    # Of the choices as like the word as the likest, the one with the most characters in
    # the same places: 金日城 is 金日成 typed with a homophone (城 for 成), not 金正日, which
    # shares as many characters elsewhere and which difflib picks as the larger string.
    best = difflib.SequenceMatcher(None, word, close[0]).ratio()
    tied = [c for c in close if difflib.SequenceMatcher(None, word, c).ratio() == best]
    meant = max(tied, key=lambda c: sum(a == b for a, b in zip(word, c, strict=False)))
    return f'did you mean "{meant}"?'


def _calendar_hint(year: int, month: int | None, partial: bool) -> str:
    """How to mend a date that matched YYYY-MM-DD but is not in the calendar; ``partial``:
    the field takes a date without its day or month."""
    if month is not None and 1 <= month <= 12 and year >= 1:
        import calendar  # imported here: only a problem needs it (5 ms)

        days = calendar.monthrange(year, month)[1]
        unknown = f"; if the day is not known, leave it out ({year}-{month:02d})"
        return f"{year}-{month:02d} has {days} days{unknown if partial else ''}"
    if year >= 1:
        unknown = f"; if the month is not known, leave it out ({year})"
        return f"months run from 01 to 12{unknown if partial else ''}"
    return "years start at 0001"


class Invalid(Exception):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message, self.hint = message, hint


def _expected(node: yaml.Node, what: str, hint: str | None = None) -> Invalid:
    return Invalid(f"expected {what}, found {describe(node)}", hint)


def _written(node: yaml.ScalarNode) -> str:
    """A scalar's text as written, without the blank lines and spaces around it."""
    return str(node.value).strip()


def _read_text(node: yaml.ScalarNode, context: Context) -> str:
    """Any scalar as the text the user wrote (``title: 2022`` is the text "2022")."""
    return _written(node)


def as_written_here(written: str, day_required: bool = False) -> str | None:
    """A date written year first in another way (2023/9/13) as the format writes it
    (2023-09-13), if it is one in the calendar; else None."""
    match = _OTHER_DATE.fullmatch(written)
    if not match:
        return None
    year, month, day = (int(group) if group else None for group in match.groups())
    assert year is not None  # the pattern requires it
    if day_required and day is None:
        return None
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError:
        return None  # the calendar's own message, once the form is mended, says more
    return "-".join([f"{year:04d}", *(f"{part:02d}" for part in (month, day) if part is not None)])


def _read_partial_date(node: yaml.ScalarNode, context: Context) -> PartialDate:
    match = _PARTIAL_DATE.fullmatch(_written(node))
    if not match:
        mended = as_written_here(_written(node))
        period = _period_hint(_written(node))
        raise _expected(
            node,
            "a date as YYYY, YYYY-MM or YYYY-MM-DD",
            f"write {mended}" if mended else period or "for example 1950, 1950-06 or 1950-06-25",
        )
    year, month, day = (int(group) if group else None for group in match.groups())
    assert year is not None  # the pattern requires it
    if month is not None and day is None and month > 12 and year % 100 < month:
        # 1950-53, as a period is often written short: not the 53rd month of 1950.
        end = year - year % 100 + month
        raise Invalid(
            f'expected a real calendar date, found "{node.value}" (month must be in 1..12)',
            f"months run from 01 to 12; {_PERIOD_GIVEN.format(start=year, end=end)}",
        )
    _check_calendar(node, year, month, day, partial=True)
    return PartialDate(year, month, day)


#: A period written as one value: two dates apart by a dash, a tilde, 至 or "to" (a hyphen
#: only before a year: 1950-06 is a month).
_PERIOD = re.compile(r"(.+?)\s*(?:[–—―~～〜至到]+|\bto\b|[-－]+(?=\s*\d{4}))\s*(.+)")

#: How a period is given, for the hint of a value that writes one.
_PERIOD_GIVEN = "for a period, give `start: {start}` and `end: {end}`"


def _period_hint(written: str) -> str | None:
    """The hint for a period written as one value (1952-1953, 1950年～1953年), where both
    ends are dates; else None."""
    match = _PERIOD.fullmatch(written)
    if not match:
        return None
    ends = [
        part if _PARTIAL_DATE.fullmatch(part) else as_written_here(part) for part in match.groups()
    ]
    if not all(ends):
        return None
    return _PERIOD_GIVEN.format(start=ends[0], end=ends[1])


def _check_calendar(
    node: yaml.ScalarNode, year: int, month: int | None, day: int | None, partial: bool = False
) -> None:
    """That the date is in the calendar: a month or day left out is unknown, not 0."""
    try:
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as error:
        raise Invalid(
            f'expected a real calendar date, found "{node.value}" ({error})',
            _calendar_hint(year, month, partial),
        ) from None


def _read_date(node: yaml.ScalarNode, context: Context) -> dt.date:
    # The same form as an event's dates, the day required: not the other ISO forms that
    # Python reads (20230913, 2023-W37-3), which no other field takes.
    match = _PARTIAL_DATE.fullmatch(_written(node))
    if not match or match.group(3) is None:
        mended = as_written_here(_written(node), day_required=True)
        raise _expected(
            node, "a date as YYYY-MM-DD", f"write {mended}" if mended else "for example 2023-09-13"
        )
    year, month, day = (int(group) for group in match.groups())
    _check_calendar(node, year, month, day)
    return dt.date(year, month, day)


def _read_lang(node: yaml.ScalarNode, context: Context) -> str:
    tag = _written(node)
    if tag in LANGUAGES:
        return tag
    by_case = {known.lower(): known for known in LANGUAGES}
    hint = (
        f'write "{by_case[tag.lower()]}"'
        if tag.lower() in by_case
        else _lang_meant(tag) or did_you_mean(tag, list(LANGUAGES))
    )
    raise _expected(
        node,
        f"one of {', '.join(LANGUAGES)}",
        hint or "briefgen has fonts and labels for these languages only",
    )


#: Languages named as people name them, and the country codes that a user gives for one.
#: (Chinese alone says nothing of the script, which picks the glyphs and the labels.)
_LANGUAGE_NAMES = {
    **dict.fromkeys(("中文", "漢語", "汉语", "zh", "chinese"), ""),
    **dict.fromkeys(("繁體中文", "繁体中文", "正體中文", "繁中", "traditional chinese"), "zh-Hant"),
    **dict.fromkeys(("簡體中文", "简体中文", "簡中", "简中", "simplified chinese"), "zh-Hans"),
    **dict.fromkeys(("tw", "台灣", "臺灣", "台湾"), "zh-TW"),
    **dict.fromkeys(("hk", "香港", "zh-mo"), "zh-HK"),
    **dict.fromkeys(("zh-sg", "zh-my"), "zh-Hans"),
    **dict.fromkeys(("cn", "中國", "中国"), "zh-CN"),
    **dict.fromkeys(("日本語", "日語", "日语", "jp", "japanese"), "ja"),
    **dict.fromkeys(("한국어", "韓語", "韩语", "韓文", "韩文", "kr", "korean"), "ko"),
    **dict.fromkeys(("英文", "英語", "英语", "english"), "en"),
}


def _lang_meant(tag: str) -> str | None:
    """The hint for a language given by its name (繁體中文), its country (tw), or with a
    region briefgen's tags leave out (ja-JP, en-US); None if none fits."""
    name = tag.strip().lower().replace("_", "-")
    if name in _LANGUAGE_NAMES:
        meant = _LANGUAGE_NAMES[name]
        if not meant:
            return 'write "zh-Hant" for Traditional Chinese or "zh-Hans" for Simplified'
        return f'write "{meant}"'
    primary = re.split(r"[-_]", name)[0]
    if primary in ("ja", "ko", "en"):  # one form each: the region changes nothing here
        return f'write "{primary}"'
    return None


#: A well-formed BCP 47 tag as a text's language is given: a language, then a script, a
#: region and variants where needed (en, ru, ko-Latn, sr-Cyrl-RS, de-CH-1996); extensions
#: and private uses, which no screen reader reads, are left out. Also the JSON Schema's.
TEXT_LANG_PATTERN = (
    r"[A-Za-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
)
_TEXT_LANG = re.compile(TEXT_LANG_PATTERN)
_TEXT_LANG_EXPECTED = "a language tag such as en, ru or ko-Latn"


def _read_text_lang(node: yaml.ScalarNode, context: Context) -> str:
    if _TEXT_LANG.fullmatch(tag := _written(node)):
        return tag
    raise _expected(
        node,
        _TEXT_LANG_EXPECTED,
        "a BCP 47 tag: the language's two- or three-letter ISO 639 code, then its script or "
        "region where needed (ko-Latn for a romanized Korean name)",
    )


def _read_url(node: yaml.ScalarNode, context: Context) -> str:
    value = _written(node)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - reading it checks the port and the brackets of an IPv6 host
    except ValueError as error:  # "https://[x]", a port that is not a number…
        raise _expected(node, "a web address", f"this one cannot be read: {error}") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise _expected(
            node,
            "a web address starting with http:// or https://",
            "copy the whole address from the browser's address bar: https://example.org/news/1",
        )
    if not parts.hostname:
        # https://:80/ or https://@/: no site to lead to, and no URL at all to EPUBCheck
        # (RSC-020, "empty host"), which refused the book.
        raise _expected(
            node,
            "a web address with the site's name after the //",
            "copy the whole address from the browser's address bar: https://example.org/news/1",
        )
    written, bad, where = _url_as_written(value)
    if bad:
        # A browser mends these as it opens the link, but the EPUB's href must be a valid
        # URL (EPUBCheck RSC-020), and the PDF's link leads where the PDF viewer guesses.
        in_host = where < len(parts.scheme) + 3 + len(parts.netloc)
        if in_host and value[where] in _NOT_IN_URLS:
            hint = "copy the whole address again from the browser's address bar"
        else:
            hint = f"write {written}"
        raise Invalid(f"a web address cannot hold {bad}", hint)
    return value


#: What a URL cannot hold as it is (WHATWG URL; EPUBCheck's "Illegal character").
_NOT_IN_URLS = frozenset(' \t\n"<>\\^`{|}')


def _url_as_written(value: str) -> tuple[str, str, int]:
    """``value`` with what a URL cannot hold percent-encoded (the characters above, a ``%``
    not followed by two hexadecimal digits, every ``#`` after the first); the first of them,
    as a message names it ("" if none), and its index."""
    out = []
    bad, where = "", -1
    fragment = False
    for index, char in enumerate(value):
        if char in _NOT_IN_URLS:
            out.append("".join(f"%{byte:02X}" for byte in char.encode("utf-8")))
            named = {
                " ": "a space",
                "\t": "a tab",
                "\n": "a line break",
                '"': "a quotation mark",
                "\\": "a backslash",
            }.get(char)
            found = named or f'"{char}"'
        elif char == "%" and not re.fullmatch(r"[0-9A-Fa-f]{2}", value[index + 1 : index + 3]):
            out.append("%25")
            found = 'a "%" that two hexadecimal digits do not follow'
        elif char == "#" and fragment:
            out.append("%23")
            found = "a second #"
        else:
            fragment = fragment or char == "#"
            out.append(char)
            continue
        if not bad:
            bad, where = found, index
    return "".join(out), bad, where


#: A web, file or data address, which an image written as a path is not.
_ADDRESS = re.compile(r"[a-z][a-z0-9+.-]+://|data:", re.IGNORECASE)


def _read_image(node: yaml.ScalarNode, context: Context) -> Path:
    """An image file inside the briefing's folder: a briefing never makes briefgen read
    anything outside it."""
    value = _written(node)
    if _ADDRESS.match(value):  # else taken for a file name: "no such file"
        raise Invalid(
            f'expected a file inside the briefing\'s folder, found the address "{value}"',
            "briefgen fetches nothing: save the picture next to the briefing file and give its "
            "relative path",
        )
    target, folder = _inside_briefing_folder(
        value, context, "images", "a file", "copy the image next to the briefing file"
    )
    if target.suffix.lower() not in IMAGE_SUFFIXES:
        raise _expected(
            node,
            "a PNG, JPEG, GIF, SVG or WebP image",
            "give the picture's file name with its suffix (map.png, photo.jpg); save a picture "
            "in another format as PNG or JPEG first",
        )
    try:
        found = target.is_file()
    except OSError as error:  # a name too long for the file system, a loop of links…
        raise _unusable_path(value, "an image", error) from None
    if not found:
        if target.is_dir():
            raise Invalid(
                f'is a folder, not a file: "{value}"',
                f"the path is relative to the briefing's folder ({folder})",
            )
        raise Invalid(f'no such file: "{value}"', _missing_file_hint(value, target, folder))
    check_image_content(target, value)
    return target


#: The largest picture an event can show, in pixels: a 48-megapixel camera's. Every output
#: decodes the image whole (WeasyPrint to embed it, Pillow to check it), a gigabyte and more
#: for a 20,000-pixel square.
MAX_IMAGE_PIXELS = 50_000_000

#: What Pillow calls the format each suffix promises.
_PILLOW_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}


def check_image_content(target: Path, value: str) -> None:
    """That the file holds the kind of image its suffix names, of a size the outputs can
    take: the EPUB declares its media type by the suffix, and a reading system shows nothing
    for a file that is not what it says (EPUBCheck refuses it)."""
    suffix = target.suffix.lower()
    kind = suffix.lstrip(".").upper().replace("JPG", "JPEG")
    hint = f"save the picture again as {kind}, or give it the suffix of the format it is in"
    if suffix == ".svg":
        _check_svg(target, value, hint)
        return
    from PIL import Image, UnidentifiedImageError  # only for briefings with images

    try:
        # The format and the size from the header, then whether the picture runs to its end
        # (_jpeg_ends, _read_through). Pillow's warning of a large picture is briefgen's
        # error below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(target) as image:
                found, (width, height) = image.format, image.size
                whole = width * height > MAX_IMAGE_PIXELS or (
                    _jpeg_ends(target) if found == "JPEG" else _read_through(image)
                )
    except Image.DecompressionBombError as error:  # Pillow's own limit, far above briefgen's
        # Pillow names the size in its message only: "Image size (… pixels) exceeds …".
        pixels = re.search(r"\((\d+) pixels\)", str(error))
        size = f"{int(pixels.group(1)) / 1e6:,.0f} megapixels" if pixels else "far larger"
        raise _image_too_large(value, size) from None
    except (UnidentifiedImageError, OSError, SyntaxError):
        # A file that starts as its format does but that Pillow cannot open is that format
        # cut short (a download stopped within the header, a WebP whose size says more than
        # it holds), not a picture in another format.
        found = _PILLOW_FORMATS[suffix] if _signed_as(target, suffix) else None
        width, height, whole = 0, 0, found is None
    if found != _PILLOW_FORMATS[suffix]:
        named = f"it is {found}" if found else "its content is no image format briefgen knows"
        raise Invalid(f'"{value}" is not a {kind} image: {named}', hint)
    if width * height > MAX_IMAGE_PIXELS:
        raise _image_too_large(value, f"{width} × {height} pixels")
    if not whole:
        raise Invalid(
            f'"{value}" is cut short or damaged: its picture cannot be read to the end',
            "download or export the picture again",
        )


#: How a file of each format starts.
_SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}


def _signed_as(target: Path, suffix: str) -> bool:
    """Whether the file starts as a picture of the format ``suffix`` names does."""
    try:
        with target.open("rb") as file:
            start = file.read(12)
    except OSError:
        return False
    webp = suffix != ".webp" or start[8:12] == b"WEBP"
    return webp and start.startswith(_SIGNATURES[suffix])


def _jpeg_ends(target: Path) -> bool:
    """Whether a JPEG's data runs to its end marker (EOI) after its last scan (SOS): a
    download stopped halfway stops inside a scan. Neither marker can occur inside a scan's
    coded data, where every 0xFF byte is followed by 0 or a restart marker. Found by reading
    the bytes, not decoding them: a 12-megapixel photo took 0.4 s to decode even at an eighth
    of its size, paid at every load and every rebuild of watch."""
    try:
        data = target.read_bytes()
    except OSError:
        return False
    return data.rfind(b"\xff\xd9") > data.rfind(b"\xff\xda") > 0


def _read_through(image: Any) -> bool:
    """Whether an opened picture's data runs to its end: a download stopped halfway has a
    whole header, and WeasyPrint embedded the half it could read. Cheaply: a PNG's chunks
    are checked, not inflated; a GIF's or WebP's picture is decoded."""
    from PIL import ImageFile

    # WeasyPrint, once imported (a batch, watch, a pipeline's process), tells Pillow to take
    # a picture cut short as whole (LOAD_TRUNCATED_IMAGES), for the whole process: the
    # decoders then read half a picture without a word. Asked here as Pillow's default has it.
    tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        if image.format == "PNG":
            image.verify()
        else:
            image.load()
    except Exception:  # a decoder's complaint about damaged data, of whatever kind
        return False
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    return True


#: The largest SVG file read to look for what it refers to.
MAX_SVG_BYTES = 5 * 2**20

#: A pseudo-attribute of an ``xml-stylesheet`` processing instruction (whose ``href`` is
#: a style sheet the drawing loads), its value quoted: read one after the other, so that a
#: ``?`` or an ``href=`` inside another's value is no place to stop.
_PSEUDO_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")

#: A DOCTYPE that names a file or an address (an external DTD, ``SYSTEM``/``PUBLIC``).
_EXTERNAL_DTD = re.compile(r"<!DOCTYPE\s+[^\s>\[]+\s+(?:SYSTEM|PUBLIC)\b")


def _check_svg(target: Path, value: str, format_hint: str) -> None:
    """That an SVG file is an SVG drawing, which refers to nothing outside itself (an image,
    a font, a style sheet by address or path), which an EPUB may not hold (EPUBCheck
    RSC-006) and a PDF could not fetch; and declares no entities, whose expansion could be
    made to fill memory."""
    with target.open("rb") as file:
        data = file.read(MAX_SVG_BYTES + 1)
    start = data[:4096].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if not start.startswith("<") or "<svg" not in start:
        raise Invalid(
            f'"{value}" is not an SVG image: it has no <svg> element at its start', format_hint
        )
    export_hint = "export the drawing again as plain SVG, with no DOCTYPE"
    if len(data) > MAX_SVG_BYTES:
        raise Invalid(
            f'"{value}" is more than {MAX_SVG_BYTES // 2**20} MiB of SVG',
            "simplify the drawing, or export it as PNG",
        )
    if b"<!ENTITY" in data:
        raise Invalid(f'"{value}" declares XML entities, which briefgen does not read', export_hint)
    text = data.decode("utf-8", "replace")
    if _EXTERNAL_DTD.search(text):
        # EPUBCheck refuses an external identifier in a book's file (OPF-073), even the
        # W3C's own SVG 1.1 DTD that older editors write.
        raise Invalid(
            f'"{value}" names a DTD in its DOCTYPE, which an EPUB may not carry',
            "delete the <!DOCTYPE …> line, or " + export_hint,
        )
    # Parsed with its processing instructions, those before the drawing's element too.
    parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "pi"))
    try:
        parser.feed(data)
        parser.close()
    except ET.ParseError as error:
        raise Invalid(f'"{value}" is not well-formed SVG: {error}', export_hint) from None
    # (event, element) pairs: events of the kinds asked for alone.
    events: list[Any] = list(parser.read_events())
    root = next(element for event, element in events if event == "start")
    hint = "embed what the drawing refers to (as data: URLs), or export it again as plain SVG"
    # An instruction's text is its target, a space and the rest.
    instructions = [element.text or "" for event, element in events if event == "pi"]
    found = [
        double or single
        for instruction in instructions
        if instruction.partition(" ")[0] == "xml-stylesheet"
        for name, double, single in _PSEUDO_ATTRIBUTE.findall(instruction)
        if name == "href"
    ]
    for element in root.iter():
        for name, written in element.attrib.items():
            if name.rsplit("}", 1)[-1] == "href":
                found.append(written)
            elif "url" in written.lower() or "\\" in written:
                # style="fill: url(…)", or a presentation attribute: fill="url(…)"; the
                # others (a path's d="M0 0…", of thousands of figures) are not CSS to read.
                found += _css_addresses(tinycss2.parse_component_value_list(written))
        if element.tag.rsplit("}", 1)[-1] == "style":
            found += _css_addresses(tinycss2.parse_stylesheet(element.text or ""))
    for address in found:
        address = address.strip()
        if address and not address.startswith(("#", "data:")):
            raise Invalid(
                f'"{value}" refers to "{address[:60]}" outside the drawing; an image must '
                "hold all it shows",
                hint,
            )


def _css_addresses(nodes: list[Any]) -> list[str]:
    """Every address CSS ``nodes`` load: ``url(…)`` however it is written (``URL(``,
    ``u\\72l(``: CSS reads both as ``url(``, which a search for the text missed) and the
    quoted address of an ``@import``."""
    found = []
    for node in nodes:
        if node.type == "url":
            found.append(node.value)
        elif node.type == "function" and node.lower_name == "url":
            found += [token.value for token in node.arguments if token.type == "string"]
        elif node.type == "at-rule" and node.lower_at_keyword == "import":
            found += [token.value for token in node.prelude if token.type == "string"]
        for part in ("prelude", "content", "arguments", "value"):
            children = getattr(node, part, None)
            if isinstance(children, list):
                found += _css_addresses(children)
    return found


def _image_too_large(value: str, size: str) -> Invalid:
    return Invalid(
        f'"{value}" is {size}, more than the {MAX_IMAGE_PIXELS // 1_000_000} megapixels '
        "briefgen embeds",
        "scale the picture down: 3,000 pixels across is more than a printed page shows",
    )


def _read_folder(node: yaml.ScalarNode, context: Context) -> Path:
    """A folder inside the briefing's folder (its own templates): a briefing never makes
    briefgen read anything outside it."""
    value = _written(node)
    if not value:
        # Read as the briefing's own folder, whose every .html and .css then stood in for
        # briefgen's: an HTML built there earlier (-o .) became the PDF's template.
        raise _expected(
            node,
            "a folder's path",
            "name the folder of your own templates (templates: house-style), or leave "
            "templates: out for briefgen's own",
        )
    target, folder = _inside_briefing_folder(
        value, context, "folders", "a folder", "put the folder beside the briefing file"
    )
    try:
        found = target.is_dir()
    except OSError as error:
        raise _unusable_path(value, "a folder", error) from None
    if not found:
        what = "is a file, not a folder" if target.exists() else "no such folder"
        raise Invalid(
            f'{what}: "{value}"', f"the path is relative to the briefing's folder ({folder})"
        )
    _check_links_inside(target, folder, value)
    return target


#: How many entries of a briefing's template folder are looked at for links out of it.
MAX_FOLDER_ENTRIES = 10_000


def _check_links_inside(target: Path, root: Path, value: str) -> None:
    """That no link in the folder ``target`` leads outside the briefing's folder ``root``:
    the build refuses to read through one (render.py), and `check` says so first."""
    seen = 0
    for parent, folders, files in os.walk(target):  # links to folders are not followed
        for name in (*folders, *files):
            seen += 1
            path = Path(parent, name)
            if seen > MAX_FOLDER_ENTRIES:
                return
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                shown = path.relative_to(target.parent) if target.parent in path.parents else path
                raise Invalid(
                    f'"{value}" holds {shown}, a link to {path.resolve()}, outside the '
                    "briefing's folder",
                    "briefgen reads nothing outside it for a briefing: copy the file into the "
                    "folder",
                )


def _read_font(node: yaml.ScalarNode, context: Context) -> Path:
    """A font file inside the briefing's folder that HarfBuzz can read and subset."""
    value = _written(node)
    target, folder = _inside_briefing_folder(
        value, context, "fonts", "a file", "copy the font next to the briefing file"
    )
    if target.suffix.lower() not in FONT_SUFFIXES:
        raise _expected(
            node,
            "an OpenType or TrueType font file (.otf or .ttf)",
            "give the font's file name with its suffix; a web font (.woff, .woff2) or a "
            "collection (.ttc) is not read",
        )
    try:
        found = target.is_file()
    except OSError as error:
        raise _unusable_path(value, "a font", error) from None
    if not found:
        raise Invalid(f'no such file: "{value}"', _missing_file_hint(value, target, folder))
    unusable = font_unusable(target)
    if unusable:
        raise Invalid(f'"{value}" is not a font briefgen can use: {unusable}', font_hint(unusable))
    return target


def font_hint(unusable: str) -> str:
    """How to mend what :func:`font_unusable` found."""
    if unusable.startswith(DAMAGED):
        return "copy the font file again from where it came from: this copy is incomplete"
    return "give an OpenType (.otf) or TrueType (.ttf) font file, not a collection or a web font"


#: How an OpenType or TrueType font file starts, and what else a file named .otf or .ttf
#: may be.
_FONT_STARTS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
_OTHER_FONT_STARTS = {
    b"ttcf": "a font collection",
    b"wOFF": "a WOFF web font",
    b"wOF2": "a WOFF2 web font",
}


#: How :func:`font_unusable` starts its answer for a font file that is broken.
DAMAGED = "it is damaged"


def font_unusable(path: Path) -> str | None:
    """Why the file at ``path`` is no font briefgen can use; None when it is one."""
    with path.open("rb") as file:
        start = file.read(4)
    if start not in _FONT_STARTS:
        other = _OTHER_FONT_STARTS.get(start)
        return f"it is {other}" if other else "it is not a font file"
    cut_short = _table_past_the_end(path)
    if cut_short:
        return f"{DAMAGED}: its {cut_short} table runs past the end of the file"
    code_points = font_code_points(path)
    if not code_points:
        return "it maps no characters"
    if not _subsets(path, code_points):
        return f"{DAMAGED}: HarfBuzz cannot cut a subset of its glyphs"
    return None


def _table_past_the_end(path: Path) -> str | None:
    """The tag of a table that the font's table directory places past the end of the file:
    a font cut short in a download or a copy. HarfBuzz reads such a file's characters and
    fails only when it is subset, deep in a build."""
    size = path.stat().st_size
    with path.open("rb") as file:
        header = file.read(12)
        if len(header) < 12:
            return "table directory"
        (tables,) = struct.unpack(">H", header[4:6])
        directory = file.read(16 * tables)
    if len(directory) < 16 * tables:
        return "table directory"
    for index in range(tables):
        tag, _, offset, length = struct.unpack(">4sLLL", directory[16 * index : 16 * index + 16])
        if offset + length > size:
            return str(tag.decode("latin-1")).strip()
    return None


def _subsets(path: Path, code_points: frozenset[int]) -> bool:
    """Whether HarfBuzz can cut a subset of the font (of a few of its characters), as every
    build does."""
    import uharfbuzz as hb

    subset_input = hb.SubsetInput()
    for code_point in sorted(code_points)[:32]:
        subset_input.unicode_set.add(code_point)
    try:
        face = hb.Face(hb.Blob.from_file_path(str(path)))
        return hb.subset(face, subset_input) is not None
    except RuntimeError:  # "Subsetting failed"
        return False


def font_code_points(path: Path) -> frozenset[int]:
    """The characters a font file has glyphs for; empty if it is not a font at all."""
    import uharfbuzz as hb

    return frozenset(hb.Face(hb.Blob.from_file_path(str(path))).unicodes)


def _unusable_path(value: str, a_thing: str, error: OSError) -> Invalid:
    """The problem of a path the system cannot look up, as ``a_thing`` (an image, a font):
    the path is quoted short, for a name too long to look up is most likely text pasted into
    the field, thousands of characters of it."""
    hint = (
        "a file's or folder's name is at most 255 bytes long (85 Chinese characters): give "
        "the name it has in the briefing's folder"
        if error.errno == errno.ENAMETOOLONG
        else None
    )
    return Invalid(f'cannot use "{shortened(value)}" as {a_thing}: {error.strerror}', hint)


def _missing_file_hint(value: str, target: Path, folder: Path) -> str:
    """What to do about a file of the briefing's folder that is not there. A briefing
    written on Windows may give a path as `images\\map.png`, or a name in a case other
    than the file's (Map.PNG for map.png): both are found there, and on macOS the second
    too, but not where names are parted by "/" and told apart by case (Linux, a server)."""
    if "\\" in value:
        written = value.replace("\\", "/")
        if (folder / written).is_file():
            return f'write the path with "/": {written} (a "\\" parts folders on Windows only)'
    try:
        same = sorted(
            path.name
            for path in target.parent.iterdir()
            if path.name.lower() == target.name.lower() and path.is_file()
        )
    except OSError:  # no such folder either, or one briefgen may not list
        same = []
    if same:
        return (
            f'the file is named "{same[0]}": write its name in that case (Windows and macOS '
            "take either, other systems tell them apart)"
        )
    return f"the path is relative to the briefing's folder ({folder})"


#: A path to another folder that a path on this system does not read as one: the user's
#: home (`~/Pictures/map.png`, which only a shell expands) or a Windows drive or share
#: (`C:\\Users\\…`, `\\\\server\\…`), wherever the briefing is built.
_ELSEWHERE = re.compile(r"~(?:$|[/\\])|[A-Za-z]:[/\\]|\\\\")


def _inside_briefing_folder(
    value: str, context: Context, things: str, a_thing: str, fix: str
) -> tuple[Path, Path]:
    """``value`` as an absolute path, and the briefing's folder, which it must lie inside."""
    if context.path is None:
        raise Invalid(
            f"{things} need a briefing loaded from a file",
            # loads() reads a text in memory as a file with path= (a service's upload).
            "use briefgen.load(path), or give loads() the path the text stands for: "
            'briefgen.loads(text, path="dir/briefing.yaml")',
        )
    folder = context.path.resolve().parent
    if _ELSEWHERE.match(value):
        # Another folder, however written: read as a name inside this one, it was "no such
        # file", and the hint to give the path from the briefing's folder, as it was.
        raise Invalid(
            f'expected {a_thing} inside the briefing\'s folder, found "{shortened(value)}"',
            f"{fix} and give its relative path",
        )
    target = (folder / value).resolve()
    if target.is_relative_to(folder):
        return target, folder
    if Path(os.path.normpath(folder / value)).is_relative_to(folder):
        # Written as a path inside the folder: a link there (or a linked folder) leads out,
        # which "expected a file inside" would not tell the user who sees it beside the file.
        raise Invalid(
            f'"{value}" is a link to {target}, outside the briefing\'s folder',
            f"briefgen reads nothing outside it for a briefing: {fix}, in place of the link",
        )
    raise Invalid(
        f'expected {a_thing} inside the briefing\'s folder, found "{value}"',
        f"{fix} and give its relative path",
    )


READERS: dict[Kind, Callable[[yaml.ScalarNode, Context], Any]] = {
    Kind.TEXT: _read_text,
    Kind.MARKDOWN: _read_text,
    Kind.NAME: _read_text,
    Kind.TERM: _read_text,
    Kind.LANG: _read_lang,
    Kind.TEXT_LANG: _read_text_lang,
    Kind.DATE: _read_date,
    Kind.PARTIAL_DATE: _read_partial_date,
    Kind.URL: _read_url,
    Kind.IMAGE: _read_image,
    Kind.FOLDER: _read_folder,
    Kind.FONT: _read_font,
}

#: How each kind is named in "expected …, found …" when the value is not a scalar at all.
EXPECTED = {
    Kind.TEXT: "text",
    Kind.MARKDOWN: "text",
    Kind.NAME: "text",
    Kind.TERM: "text",
    Kind.LANG: f"one of {', '.join(LANGUAGES)}",
    Kind.TEXT_LANG: _TEXT_LANG_EXPECTED,
    Kind.DATE: "a date as YYYY-MM-DD",
    Kind.PARTIAL_DATE: "a date as YYYY, YYYY-MM or YYYY-MM-DD",
    Kind.URL: "a web address starting with http:// or https://",
    Kind.IMAGE: "a path to an image file",
    Kind.FOLDER: "a path to a folder",
    Kind.FONT: "a path to a font file",
}


def printable(text: str) -> tuple[str, list[str]]:
    """``text`` without what YAML escapes such as ``"\\a"``, ``"\\ud800"`` or ``"\\uffff"``
    can put in it and no output may carry: control characters (other than tab and line
    feed), unpaired surrogates and noncharacters (XML forbids them; no font draws them).
    A surrogate pair written as two escapes (``"\\ud83d\\ude00"``, as JSON writes an emoji)
    is joined into its character first. Also returns the characters dropped."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    dropped = _UNPRINTABLE.findall(text)
    if not dropped:
        return text, []
    return _UNPRINTABLE.sub("", text), dropped


_SURROGATE = re.compile("[\ud800-\udfff]")

#: What :func:`_unprintable` says, as one character class: a regular expression finds them
#: in a long briefing's text many times faster than a test of each character.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def _unprintable(char: str) -> bool:
    if char in "\t\n":
        return False
    code = ord(char)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    return noncharacter or unicodedata.category(char) in ("Cc", "Cs")


class Context:
    """What reading a value may need besides the value: where the file is."""

    def __init__(self, path: Path | None):
        self.path = path
