"""Make docs/images/typesetting-before.png and -after.png from scraped.yaml.

"Before" is the same HTML laid out by plain WeasyPrint with briefgen's typography rules
switched off: what a generic HTML-to-PDF pipeline gives. "After" is briefgen's own PDF.
Run from the repository: ``python docs/typesetting/make_images.py`` (needs poppler's
``pdftoppm`` and ``pdftotext``).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

import weasyprint

import briefgen
from briefgen.builders.pdf import print_html
from briefgen.pipeline import prepare
from briefgen.typography import rule_names

HERE = Path(__file__).resolve().parent
IMAGES = HERE.parent / "images"
SOURCE = HERE / "scraped.yaml"
#: Pixels an inch of the pictures.
RESOLUTION = 100
#: The part of the page shown, in pixels: from the left edge, its width and height, from
#: just above the first event's heading (wherever the summary and the contents leave it).
LEFT, WIDTH, HEIGHT, ABOVE = 60, 720, 560, 30
#: A word as `pdftotext -bbox` places it: its top and bottom, in points, and its text.
_WORD = re.compile(r'<word xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)">([^<]*)</word>')


def before() -> bytes:
    options = briefgen.BuildOptions(disabled_rules=tuple(rule_names()))
    html = print_html(prepare(SOURCE, options), options)
    return weasyprint.HTML(string=html, base_url=HERE.as_uri() + "/").write_pdf()


def after() -> bytes:
    return briefgen.render_pdf(briefgen.load(SOURCE))


def first_heading(source: Path) -> tuple[int, float]:
    """The page (from 1) and the top, in points, of the first event's heading: its title
    written largest, not its entry in the contents. The events once began page 2; the
    whole briefing now fits on page 1, below the contents."""
    title = briefgen.load(SOURCE).events[0].title
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(source), "-"], check=True, capture_output=True, text=True
    ).stdout
    found = [
        (float(bottom) - float(top), number, float(top))
        for number, page in enumerate(boxes.split("<page ")[1:], 1)
        for top, bottom, word in _WORD.findall(page)
        if word == title
    ]
    _, number, top = max(found)
    return number, top


def page_image(pdf: bytes, target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "briefing.pdf")
        source.write_bytes(pdf)
        number, top = first_heading(source)
        y = round(top * RESOLUTION / 72) - ABOVE
        crop = ["-r", str(RESOLUTION), "-f", str(number), "-l", str(number)]
        crop += ["-x", str(LEFT), "-y", str(y), "-W", str(WIDTH), "-H", str(HEIGHT)]
        command = ["pdftoppm", *crop, "-png", "-singlefile", str(source), str(target)]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    # The colophon's build date fixed, as the gallery's is, so the pictures change only
    # when the layout does.
    os.environ["SOURCE_DATE_EPOCH"] = "1694563200"  # 2023-09-13
    page_image(before(), IMAGES / "typesetting-before")
    page_image(after(), IMAGES / "typesetting-after")
    print(IMAGES / "typesetting-before.png", IMAGES / "typesetting-after.png", sep="\n")
