"""Make docs/images/typesetting-before.png and -after.png from scraped.yaml.

"Before" is the same HTML laid out by plain WeasyPrint with briefgen's typography rules
switched off: what a generic HTML-to-PDF pipeline gives. "After" is briefgen's own PDF.
Run from the repository: ``python docs/typesetting/make_images.py`` (needs pdftoppm).
"""

from __future__ import annotations

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
#: The part of page 2 shown: the events (x, y, width, height in pixels at 100 dpi).
CROP = ("-r", "100", "-f", "2", "-l", "2", "-x", "60", "-y", "70", "-W", "720", "-H", "560")


def before() -> bytes:
    options = briefgen.BuildOptions(disabled_rules=tuple(rule_names()))
    html = print_html(prepare(SOURCE, options), options)
    return weasyprint.HTML(string=html, base_url=HERE.as_uri() + "/").write_pdf()


def after() -> bytes:
    return briefgen.render_pdf(briefgen.load(SOURCE))


def page_image(pdf: bytes, target: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder, "briefing.pdf")
        source.write_bytes(pdf)
        command = ["pdftoppm", *CROP, "-png", "-singlefile", str(source), str(target)]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    page_image(before(), IMAGES / "typesetting-before")
    page_image(after(), IMAGES / "typesetting-after")
    print(IMAGES / "typesetting-before.png", IMAGES / "typesetting-after.png", sep="\n")
