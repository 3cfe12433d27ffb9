"""Benchmark: briefgen's PDF build against plain WeasyPrint on the same HTML, in one run.

    python bench/pdf_vs_weasyprint.py [--runs 3]

"Plain WeasyPrint" renders the very HTML briefgen produces for the sample, with its
@font-face rules pointing at the shipped 24 MB / 17 MB fonts and WeasyPrint's default
options (it subsets the fonts itself when writing the PDF). briefgen cuts the subsets with
HarfBuzz first and has WeasyPrint embed them as they are. Times are wall-clock medians; the
ratio is briefgen / plain (below 1 means briefgen is faster).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

import weasyprint
from weasyprint.text.fonts import FontConfiguration

import briefgen
from briefgen import fonts
from briefgen.build import prepare
from briefgen.render import render


def plain_weasyprint(html: str) -> bytes:
    return weasyprint.HTML(string=html).write_pdf(font_config=FontConfiguration())


def median_seconds(function, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(function())
        times.append(time.perf_counter() - start)
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its fontTools notice, per run
    briefing = prepare(briefgen.sample_path())
    html = render("briefing.html", briefing, stylesheet="css/print.css",
                  font_css=fonts.font_face_css(lambda face: face.path.as_uri()),
                  image_src=lambda event: event.image.as_uri())
    results = {
        "briefgen.render_pdf": median_seconds(lambda: briefgen.render_pdf(briefing), runs),
        "plain WeasyPrint": median_seconds(lambda: plain_weasyprint(html), runs),
    }
    for name, (seconds, size) in results.items():
        print(f"{name:22} {seconds:7.2f} s   {size / 1024:8.0f} KiB")
    ratio = results["briefgen.render_pdf"][0] / results["plain WeasyPrint"][0]
    print(f"ratio briefgen / plain: {ratio:.2f} (median of {runs} runs each)")


if __name__ == "__main__":
    main()
