"""Renders the gallery's pictures from the real PDFs of the bundled sample.

    python docs/gallery/make.py

needs briefgen installed and poppler's ``pdftoppm``. It writes, next to itself:

- ``sample-a4-page-1.png`` and ``sample-a4-page-3.png``: the full layout on A4 (the front, with
  the summary, the visual timeline and the contents; a page of events);
- ``sample-a5-booklet-sheet-1.png``: ``--paper A5 --handout booklet``, the outer side of the
  first sheet (the last page and the first, side by side on landscape A4);
- ``sample-sheet-front.png``: ``--handout sheet``, the front of the one-sheet handout;
- ``sample-2up-sheet-2.png``: ``--handout 2up``, two A4 pages of events on a landscape A3 sheet;
- ``sample-b5-marks-page-1.png``: ``--paper B5 --marks``, the first page with its crop marks
  and bleed, as a print shop receives it.

SOURCE_DATE_EPOCH is fixed, so the pictures change only when the layout does.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import briefgen

HERE = Path(__file__).resolve().parent
RESOLUTION = 70  # dots per inch: an A4 page is 579 x 819 pixels

#: picture name -> (build options, page number)
PICTURES = {
    "sample-a4-page-1": ({}, 1),
    "sample-a4-page-3": ({}, 3),
    "sample-a5-booklet-sheet-1": ({"paper": "A5", "handout": "booklet"}, 1),
    "sample-sheet-front": ({"handout": "sheet"}, 1),
    "sample-2up-sheet-2": ({"handout": "2up"}, 2),
    "sample-b5-marks-page-1": ({"paper": "B5", "marks": True}, 1),
}


def main() -> None:
    os.environ["SOURCE_DATE_EPOCH"] = "1694563200"  # 2023-09-13, the sample's date
    sample = briefgen.load(briefgen.sample_path())
    with tempfile.TemporaryDirectory() as scratch:
        for name, (options, page) in PICTURES.items():
            pdf = Path(scratch, name + ".pdf")
            pdf.write_bytes(briefgen.render_pdf(sample, briefgen.BuildOptions(**options)))
            pages = ["-f", str(page), "-l", str(page), "-singlefile"]
            subprocess.run(
                ["pdftoppm", "-r", str(RESOLUTION), *pages, "-png", str(pdf), str(HERE / name)],
                check=True,
            )
            print(HERE / f"{name}.png")


if __name__ == "__main__":
    main()
