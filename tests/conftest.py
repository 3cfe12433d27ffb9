"""Shared fixtures: the sample briefing, small briefing files, and running the CLI."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader

import briefgen

REPO = Path(__file__).resolve().parents[1]

#: The 13 period labels of the sample, as they must read in every output.
SAMPLE_PERIODS = [
    "1945年至1948年",
    "1950年至1953年",
    "1950年代中期至1960年代",
    "1970年代",
    "1980年代",
    "1990年代",
    "2000年代初",
    "2000年代中後期",
    "2011年至2012年",
    "2016年至2017年",
    "2018年至2019年",
    "2022年",
    "2023年9月12日",
]
SAMPLE_PEOPLE = [
    "金日成",
    "金正日",
    "金正恩",
    "普丁",
    "戈巴契夫",
    "葉爾欽",
    "梅德維傑夫",
    "川普",
    "紹伊古",
]


@pytest.fixture(scope="session")
def sample() -> briefgen.Briefing:
    return briefgen.load(briefgen.sample_path())


@pytest.fixture
def write_briefing(tmp_path: Path):
    """Write YAML (dedented) to ``tmp_path/name`` and return its path."""

    def write(text: str, name: str = "briefing.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


def run_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m briefgen ARGS`` in a subprocess, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def printed(code: str, *args: str) -> str:
    """What ``code`` prints, run with ``args`` in a fresh interpreter: for what a process
    imports or starts, or how it runs without one of briefgen's mends to WeasyPrint, which
    this one has done or put in place already."""
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout


def printed_words(code: str) -> list[str]:
    """:func:`printed`, word by word."""
    return printed(code).split()


class EditorLoader(yaml.SafeLoader):
    """YAML as editors' language servers read it (YAML 1.2 core schema): a date is a string,
    not a timestamp."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def as_editor_reads(text: str) -> object:
    return yaml.load(text, Loader=EditorLoader)


def pypdf_pages(pdf: bytes) -> list[str]:
    """Each page's text as pypdf extracts it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def figure_alts(reader: PdfReader) -> list[str]:
    """The /Alt of every Figure of a PDF's structure tree, in reading order."""
    found: list[str] = []

    def walk(element: Any) -> None:
        element = element.get_object()
        if element.get("/S") == "/Figure":
            found.append(str(element.get("/Alt")))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if isinstance(kid, dict):
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def pdftotext_pages(pdf: bytes) -> list[str]:
    """Each page's text as poppler's pdftotext extracts it (a second, independent reader)."""
    run = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return run.stdout.decode("utf-8").split("\f")[:-1]  # a form feed ends every page


#: Both readers, as test parameters; pdftotext's skip where poppler is not installed.
READERS = [
    pytest.param(pypdf_pages, id="pypdf"),
    pytest.param(
        pdftotext_pages,
        id="pdftotext",
        marks=pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler"),
    ),
]


def latin_font(family: str = "Tiny Latin", extra: str = "") -> bytes:
    """A small TrueType font with a square glyph for each printable ASCII character (and each
    of ``extra``): a font file of a user's own that the tests can make, knowing exactly what
    it covers."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    characters = [chr(code) for code in range(0x21, 0x7F)] + list(extra)
    names = [".notdef", "space", *(f"uni{ord(char):04X}" for char in characters)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap(
        {0x20: "space", **{ord(char): f"uni{ord(char):04X}" for char in characters}}
    )
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0))
    pen.lineTo((100, 700))
    pen.lineTo((500, 700))
    pen.lineTo((500, 0))
    pen.closePath()
    square = pen.glyph()
    builder.setupGlyf(dict.fromkeys(names, square))
    builder.setupHorizontalMetrics(dict.fromkeys(names, (600, 100)))
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    output = io.BytesIO()
    builder.save(output)
    return output.getvalue()


def runs_of_true(profile: list[bool]) -> list[tuple[int, int]]:
    """(start, end) of each run of True: the runs of ink along a row of pixels."""
    runs, start = [], None
    for index, inked in enumerate([*profile, False]):
        if inked and start is None:
            start = index
        elif not inked and start is not None:
            runs.append((start, index))
            start = None
    return runs


def tiny_image(format: str = "PNG") -> bytes:
    """A real 4 × 3 picture in ``format`` (Pillow's name: PNG, JPEG, GIF, WEBP)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 40, 40)).save(out, format)
    return out.getvalue()
