"""Benchmark: briefgen's PDF build against plain WeasyPrint on the same HTML, in one run.

    python bench/pdf_vs_weasyprint.py [--runs 3]

"Plain WeasyPrint" renders the very HTML briefgen produces for the sample, with its
@font-face rules pointing at the shipped 24 MB / 17 MB fonts and WeasyPrint's default
options (it subsets the fonts itself when writing the PDF). How it subsets depends on the
machine: with the system library libharfbuzz-subset (Debian: libharfbuzz-subset0) it is
fast; without it, WeasyPrint falls back to fontTools, which is slow on CJK fonts. A fresh
`pip install` gets the fallback, so both are measured, the fallback by hiding the library
from WeasyPrint for that run. briefgen cuts the subsets with HarfBuzz (uharfbuzz, from PyPI)
first and has WeasyPrint embed them as they are, so it does not depend on the library.
Times are wall-clock medians; ratios are briefgen / plain (below 1: briefgen is faster).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

import weasyprint
import weasyprint.pdf.fonts as weasyprint_fonts
from weasyprint.text.fonts import FontConfiguration

import briefgen
from briefgen import fonts
from briefgen.pipeline import prepare
from briefgen.render import render


def plain_weasyprint(html: str) -> bytes:
    return weasyprint.HTML(string=html).write_pdf(font_config=FontConfiguration())


def plain_weasyprint_with_fonttools(html: str) -> bytes:
    saved, weasyprint_fonts.harfbuzz_subset = weasyprint_fonts.harfbuzz_subset, None
    try:
        return plain_weasyprint(html)
    finally:
        weasyprint_fonts.harfbuzz_subset = saved


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
    html = render(
        "briefing.html",
        briefing,
        briefgen.BuildOptions(),
        stylesheet="css/print.css",
        font_css=fonts.font_face_css(lambda face: face.path.as_uri()),
        image_src=lambda event: event.image.as_uri(),
    )
    has_library = weasyprint_fonts.harfbuzz_subset is not None
    results = {"briefgen.render_pdf": median_seconds(lambda: briefgen.render_pdf(briefing), runs)}
    if has_library:
        results["WeasyPrint, libharfbuzz-subset"] = median_seconds(
            lambda: plain_weasyprint(html), runs
        )
    results["WeasyPrint, fontTools fallback"] = median_seconds(
        lambda: plain_weasyprint_with_fonttools(html), runs
    )
    print(
        f"libharfbuzz-subset on this machine: {'yes' if has_library else 'no'}; "
        f"median of {runs} runs each"
    )
    ours = results["briefgen.render_pdf"][0]
    for name, (seconds, size) in results.items():
        ratio = "" if name.startswith("briefgen") else f"   briefgen / this: {ours / seconds:.2f}"
        print(f"{name:32} {seconds:6.2f} s {size / 1024:6.0f} KiB{ratio}")


if __name__ == "__main__":
    main()
