"""The EPUB in a real reading-system engine: its chapters drawn by headless Chromium, with
no CJK font on the system, so that only the fonts inside the book can draw the text.

Skips where there is no ``chromium``. docs/images/epub-horizontal.png and epub-vertical.png
are these screenshots (of the sample's eighth event), saved into the folder that the
environment variable ``BRIEFGEN_SCREENSHOTS`` names when it is set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageChops

import briefgen
from conftest import runs_of_true

pytestmark = pytest.mark.chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: The chapter drawn: brackets (「」), years, a two-digit month, tags.
CHAPTER = "EPUB/text/event-08.xhtml"
SIZE = (640, 720)
#: The colour of the period in each event's heading (base.css, ``.event h2 .when``).
HEADING_RED = (0x8A, 0x1C, 0x1C)


@pytest.fixture(scope="module")
def no_cjk_fonts(tmp_path_factory) -> Path:
    """A fontconfig file that knows only Latin fonts (DejaVu, if installed): Chromium then
    has no font of its own for Han characters."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    folder = tmp_path_factory.mktemp("fontconfig")
    latin = Path("/usr/share/fonts/truetype/dejavu")
    dirs = f"<dir>{latin}</dir>" if latin.is_dir() else ""
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig>{dirs}<cachedir>{folder / 'cache'}</cachedir></fontconfig>\n"
    )
    if shutil.which("fc-list"):
        found = subprocess.run(
            ["fc-list", ":lang=zh-tw", "family"],
            env={"FONTCONFIG_FILE": str(config), "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=True,
        )
        assert found.stdout.strip() == "", f"a CJK font is visible: {found.stdout}"
    return config


def _unpack(data: bytes, folder: Path) -> Path:
    with zipfile.ZipFile(BytesIO(data)) as book:
        book.extractall(folder)
    return folder


def _chromium(profile: Path, size: tuple[int, int]) -> list[str]:
    """Headless Chromium as these tests run it: offline, with a profile of its own, in a
    window of ``size``."""
    return [
        CHROMIUM,
        "--headless",
        "--no-sandbox",  # tests may run as root, which the sandbox refuses
        "--disable-gpu",
        "--no-first-run",
        # file:// pages are each their own origin: without this, Chromium refuses the
        # book's fonts as cross-origin loads.
        "--allow-file-access-from-files",
        # Offline: no proxy, and every host name fails to resolve.
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        # Time for the fonts to load before the page is drawn or read.
        "--virtual-time-budget=5000",
        f"--user-data-dir={profile}",
        f"--window-size={size[0]},{size[1]}",
    ]


def _screenshot(config: Path, page: Path, profile: Path) -> Image.Image:
    """``page`` as headless Chromium draws it in a window of SIZE, offline."""
    shot = page.with_suffix(".png")
    subprocess.run(
        [*_chromium(profile, SIZE), "--hide-scrollbars", f"--screenshot={shot}", page.as_uri()],
        env={"FONTCONFIG_FILE": str(config), "HOME": str(profile), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=120,
        check=True,
    )
    with Image.open(shot) as image:
        return image.convert("RGB")


def _without_embedded_fonts(folder: Path) -> None:
    css = folder / "EPUB/styles/book.css"
    text, removed = re.subn(r"@font-face \{[^}]*\}", "", css.read_text(encoding="utf-8"))
    assert removed == 2
    css.write_text(text, encoding="utf-8")


def _box(mask: Image.Image) -> tuple[int, int, int, int]:
    box = mask.getbbox()
    assert box is not None, "nothing of that colour was drawn"
    return box


def _red(image: Image.Image) -> Image.Image:
    """Where the heading's period is drawn (its anti-aliased edges left out)."""
    difference = ImageChops.difference(image, Image.new("RGB", image.size, HEADING_RED))
    red, green, blue = difference.split()
    farthest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    return farthest.point(lambda v: 255 if v < 24 else 0)


def _ink(image: Image.Image) -> Image.Image:
    """Where anything darker than the white page is drawn."""
    return image.convert("L").point(lambda v: 255 if v < 160 else 0)


def _count(mask: Image.Image) -> int:
    """How many pixels of a black-and-white mask are set."""
    return mask.histogram()[255]


def _columns(ink: Image.Image) -> list[tuple[int, int, int, int]]:
    """The bounding box of each band of ink between empty pixel columns, right to left."""
    width, height = ink.size
    pixels = ink.load()
    inked = [any(pixels[x, y] for y in range(height)) for x in range(width)]
    spans = []
    for start, end in runs_of_true(inked):
        _, top, _, bottom = _box(ink.crop((start, 0, end, height)))
        spans.append((start, top, end, bottom))
    return sorted(spans, reverse=True)


@pytest.fixture(scope="module")
def screenshots(sample, no_cjk_fonts, tmp_path_factory) -> dict[str, Image.Image]:
    """The chapter, horizontal and vertical, with its fonts and with them taken out."""
    shots = {}
    profile = tmp_path_factory.mktemp("chromium-profile")
    for vertical in (False, True):
        data = briefgen.render_epub(sample, options=briefgen.BuildOptions(vertical=vertical))
        for embedded in (True, False):
            name = f"{'vertical' if vertical else 'horizontal'}-{'fonts' if embedded else 'bare'}"
            folder = _unpack(data, tmp_path_factory.mktemp(name))
            if not embedded:
                _without_embedded_fonts(folder)
            shots[name] = _screenshot(no_cjk_fonts, folder / CHAPTER, profile)
    keep = os.environ.get("BRIEFGEN_SCREENSHOTS")
    if keep:
        for direction in ("horizontal", "vertical"):
            shots[f"{direction}-fonts"].save(Path(keep) / f"epub-{direction}.png")
    return shots


@pytest.mark.parametrize("direction", ["horizontal", "vertical"])
def test_the_text_is_drawn_with_the_books_own_fonts(screenshots, direction):
    with_fonts, bare = screenshots[f"{direction}-fonts"], screenshots[f"{direction}-bare"]
    # Without the book's fonts there is no font for Han here: Chromium draws empty boxes
    # (tofu), or nothing. With them the page reads: most of the ink is somewhere else.
    ink = _count(_ink(with_fonts))
    moved = _count(ImageChops.difference(_ink(with_fonts), _ink(bare)))
    assert ink > 0.03 * SIZE[0] * SIZE[1]  # a page of text, not a blank one
    assert moved > 0.5 * ink
    # The heading's two faces are there: the red period in the bold sans.
    assert _box(_red(with_fonts))


def test_horizontal_lines_run_left_to_right_from_the_top(screenshots):
    left, top, right, bottom = _box(_red(screenshots["horizontal-fonts"]))
    assert right - left > 4 * (bottom - top)  # "2000年代中後期", one line across
    assert bottom < 0.1 * SIZE[1] and left < 0.1 * SIZE[0]


def test_vertical_lines_run_top_to_bottom_from_the_right(screenshots):
    image = screenshots["vertical-fonts"]
    left, top, right, bottom = _box(_red(image))
    assert bottom - top > 4 * (right - left)  # the period, down one column
    assert left > 0.85 * SIZE[0] and top < 0.1 * SIZE[1]  # in the first column, at the right
    columns = _columns(_ink(image))
    # The first column from the right is the heading's.
    assert columns[0][0] <= left and right <= columns[0][2]
    # The heading, the paragraphs' lines, the tags: several columns, each taller than wide.
    tall = [box for box in columns if box[3] - box[1] > 3 * (box[2] - box[0])]
    assert len(tall) >= 5, columns
    # The longest line is the first paragraph's: it runs most of the way down.
    assert max(box[3] - box[1] for box in tall) > 0.6 * SIZE[1]


def _measured(
    config: Path, page: Path, profile: Path, size: tuple[int, int], expression: str
) -> str:
    """What the JavaScript ``expression`` gives once headless Chromium has laid out ``page``
    in a window of ``size`` (a copy of it, with a script that writes the answer into the
    DOM)."""
    probe = page.with_name(f"measured-{page.name}")
    script = (
        '<script>addEventListener("load", () => document.body.setAttribute('
        f'"data-measured", String({expression})));</script></body>'
    )
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", script), "utf-8")
    dom = subprocess.run(
        [*_chromium(profile, size), "--dump-dom", probe.as_uri()],
        env={"FONTCONFIG_FILE": str(config), "HOME": str(profile), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, dom[-2000:]
    return found.group(1)


#: A phone's screen, held upright (headless Chromium's narrowest window is 500 pixels wide).
PHONE = (500, 1000)


@pytest.mark.parametrize("page", ["event-01", "front-cover"])
def test_a_vertical_books_pictures_are_no_wider_than_the_screen(
    page, no_cjk_fonts, write_briefing, tmp_path
):
    """In vertical-rl a picture's width is its block size, which no percentage of its box
    limits: an event's picture wider than the screen (a phone's, or this window's) was drawn
    at its own width, and the front cover at its height's, both cut at the screen's edge."""
    path = write_briefing(
        """
        title: 東海道新幹線
        lang: ja
        events:
          - start: 1964-10-01
            title: 東海道新幹線が開業
            image: wide.png
            caption: 路線図
        """
    )
    Image.new("RGB", (1600, 800), (0x20, 0x40, 0xC0)).save(path.parent / "wide.png")
    data = briefgen.render_epub(briefgen.load(path), options=briefgen.BuildOptions(vertical=True))
    folder = _unpack(data, tmp_path / "book")
    widths = _measured(
        no_cjk_fonts,
        folder / f"EPUB/text/{page}.xhtml",
        tmp_path / "profile",
        PHONE,
        '[document.querySelector("img").getBoundingClientRect().width, innerWidth].join(" ")',
    )
    picture, screen = map(float, widths.split())
    assert 0 < picture < screen


def test_a_vertical_books_latin_apostrophe_turns_with_its_word(
    no_cjk_fonts, write_briefing, tmp_path
):
    """In vertical text a Latin word lies sideways, and its apostrophe with it: the ’ of
    O’Brien, a CJK mark to Chromium, stood upright in the middle of the sideways word, a
    full cell long, in the text and in the person's chip."""
    path = write_briefing(
        """
        title: 會談
        lang: zh-Hant
        events:
          - start: 2023
            title: 會談
            body: 當天 O’Brien 與普京會面。
            people: [O’Brien]
        people:
          - name: O’Brien
        """
    )
    data = briefgen.render_epub(briefgen.load(path), options=briefgen.BuildOptions(vertical=True))
    folder = _unpack(data, tmp_path / "book")
    lengths = _measured(
        no_cjk_fonts,
        folder / "EPUB/text/event-01.xhtml",
        tmp_path / "profile",
        PHONE,
        '[...document.querySelectorAll(".event p .latin-mark, .meta .latin-mark")].map(mark =>'
        " mark.getBoundingClientRect().height / parseFloat(getComputedStyle(mark).fontSize)"
        ').join(" ")',
    )
    # Along the column: sideways, the ’ is as long as it is wide in Latin text, a quarter
    # of an em or so; upright, it took a whole cell.
    in_text, in_chip = map(float, lengths.split())
    assert 0 < in_text < 0.5 and 0 < in_chip < 0.5, lengths


@pytest.mark.parametrize("vertical", [False, True])
def test_a_persons_chip_is_its_link_all_of_it(vertical, no_cjk_fonts, write_briefing, tmp_path):
    """The chip under an event drew its border around the name's link with its padding in
    between, so that a tap on the chip beside the name (or above it, in vertical text)
    went nowhere: the link now fills the chip inside its border."""
    path = write_briefing(
        """
        title: 會談
        lang: zh-Hant
        events:
          - start: 2023
            title: 會談
            body: 兩人會面。
            people: [金正恩, O’Brien]
        people:
          - name: 金正恩
          - name: O’Brien
        """
    )
    options = briefgen.BuildOptions(vertical=vertical)
    data = briefgen.render_epub(briefgen.load(path), options=options)
    folder = _unpack(data, tmp_path / "book")
    gaps = _measured(
        no_cjk_fonts,
        folder / "EPUB/text/event-01.xhtml",
        tmp_path / "profile",
        PHONE,
        '[...document.querySelectorAll(".meta li.person-ref")].map(chip => {'
        " const outer = chip.getBoundingClientRect();"
        ' const link = chip.querySelector("a").getBoundingClientRect();'
        " return [outer.width - link.width, outer.height - link.height]; }).flat().join(' ')",
    )
    # What is left of the chip around the link is its border, a hairline each side.
    assert [float(gap) for gap in gaps.split()] == pytest.approx([1.3] * 4, abs=1), gaps
