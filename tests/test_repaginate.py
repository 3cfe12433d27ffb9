"""briefgen.repaginate: fewer page layouts, the same PDF byte for byte."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO

# Renders a briefing's PDF in a fresh process, with or without the mends, and reports the
# PDF's hash and how many page layouts WeasyPrint made.
RENDER = """
import hashlib, json, sys
import weasyprint.layout.page as page
import briefgen
from briefgen import repaginate
sys.path.insert(0, sys.argv[3])
import generate
layouts = []
original = page.remake_page
def counted(index, *args):
    layouts.append(index)
    return original(index, *args)
page.remake_page = counted
if sys.argv[1] == "without":
    repaginate.install = lambda: None
source = sys.argv[2]
if source.isdigit():
    briefing = briefgen.loads(generate.briefing_yaml(int(source)))
else:
    briefing = briefgen.load(source)
pdf = briefgen.render_pdf(briefing, source_date_epoch=1700000000)
print(json.dumps({"sha": hashlib.sha256(pdf).hexdigest(), "layouts": layouts}))
"""


def render(mode: str, source: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", RENDER, mode, source, str(REPO / "bench")],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
    return found


@pytest.mark.slow
@pytest.mark.parametrize("source", ["sample", "60"])
def test_the_pdf_is_the_same_with_fewer_page_layouts(source):
    if source == "sample":
        source = str(REPO / "data" / "russia-north-korea.yaml")
    before, after = render("without", source), render("with", source)
    assert after["sha"] == before["sha"]
    pages = max(before["layouts"]) + 1
    # Without the mends, the cover and contents pages are laid out three times.
    assert before["layouts"].count(0) == 3
    assert after["layouts"].count(0) == 2
    assert pages <= len(after["layouts"]) < len(before["layouts"])
