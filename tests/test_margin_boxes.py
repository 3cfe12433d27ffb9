"""briefgen.margin_boxes: the running header and footer sized without measuring their
min-content widths where they fit, to the same PDF."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, printed

# Renders the sample's PDF, and one whose title is too long for the header's line on A5,
# in a fresh process, with or without briefgen.margin_boxes; prints, for each, the PDF's
# hash and how often WeasyPrint measured a margin box's min-content width.
RENDER = """
import hashlib, json, sys
from pathlib import Path
import briefgen
from briefgen import margin_boxes
from weasyprint.layout import page
if sys.argv[1] == "without":
    margin_boxes.install = lambda: None
measured = []
original = page.min_content_width
def min_content_width(*args, **kwargs):
    measured.append(1)
    return original(*args, **kwargs)
page.min_content_width = min_content_width
sample = Path(sys.argv[2])
long_title = Path(sys.argv[3])
text = sample.read_text(encoding="utf-8").splitlines(keepends=True)
assert text[0].startswith("title: ")
long_title.write_text(
    "title: " + "俄羅斯與朝鮮忽近忽遠的七十餘年" * 4 + "\\n" + "".join(text[1:]), encoding="utf-8"
)
results = {}
for name, source, paper in (("sample", sample, "A4"), ("long title", long_title, "A5")):
    measured.clear()
    pdf = briefgen.render_pdf(briefgen.load(source), paper=paper, source_date_epoch=1700000000)
    results[name] = [hashlib.sha256(pdf).hexdigest(), len(measured)]
print(json.dumps(results))
"""


def render(mode: str, tmp_path) -> dict[str, list]:
    source = REPO / "data" / "russia-north-korea.yaml"
    output = printed(RENDER, mode, str(source), str(tmp_path / f"{mode}.yaml"))
    return json.loads(output.splitlines()[-1])


@pytest.mark.slow
def test_the_pdf_is_the_same_and_fitting_margin_boxes_are_not_measured(tmp_path):
    with_it, without = render("with", tmp_path), render("without", tmp_path)
    assert with_it["sample"][0] == without["sample"][0]
    assert with_it["long title"][0] == without["long title"][0]
    # The sample's header and footer fit: nothing measured for them any more.
    assert without["sample"][1] > 0
    assert with_it["sample"][1] == 0
    # A title too long for the header's line is cut to fit it (builders/pdf.py:
    # running_title), so it is not measured either.
    assert without["long title"][1] > 0
    assert with_it["long title"][1] == 0
