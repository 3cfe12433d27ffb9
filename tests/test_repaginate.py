"""briefgen.repaginate: fewer page layouts, the same PDF byte for byte."""

from __future__ import annotations

import functools
import json
import subprocess
import sys

import pytest

from conftest import REPO

# Renders a briefing's PDF in a fresh process, with or without the mends ("with", "without":
# the contents numbered by CSS target-counter(); "numbered after": as briefgen builds it, its
# numbers set after layout), and reports the PDF's hash and WeasyPrint's page layouts.
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
from briefgen.builders import pdf as pdf_builder
if sys.argv[1] == "without":
    repaginate.install = lambda: None
if sys.argv[1] in ("with", "without"):
    # The contents' page numbers by CSS target-counter(), which the mends are for.
    pdf_builder.contents_numbered_after_layout = lambda briefing, options: False
source = sys.argv[2]
if source.isdigit():
    briefing = briefgen.loads(generate.briefing_yaml(int(source)))
else:
    briefing = briefgen.load(source)
pdf = briefgen.render_pdf(briefing, source_date_epoch=1700000000)
print(json.dumps({"sha": hashlib.sha256(pdf).hexdigest(), "layouts": layouts}))
"""


@functools.cache  # "with" is compared both with "without" and with "numbered after"
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


def briefing_source(name: str) -> str:
    """RENDER's argument: the sample's path, or a number of events to generate."""
    return str(REPO / "data" / "russia-north-korea.yaml") if name == "sample" else name


@pytest.mark.slow
@pytest.mark.parametrize("source", ["sample", "60"])
def test_the_pdf_is_the_same_with_fewer_page_layouts(source):
    before, after = (
        render("without", briefing_source(source)),
        render("with", briefing_source(source)),
    )
    assert after["sha"] == before["sha"]
    pages = max(before["layouts"]) + 1
    # Without the mends, the cover and contents pages are laid out three times.
    assert before["layouts"].count(0) == 3
    assert after["layouts"].count(0) == 2
    assert pages <= len(after["layouts"]) < len(before["layouts"])


@pytest.mark.slow
@pytest.mark.parametrize("source", ["sample", "60"])
def test_contents_numbered_after_layout_lay_each_page_out_once(source):
    counted = render("with", briefing_source(source))
    after = render("numbered after", briefing_source(source))
    assert after["sha"] == counted["sha"]
    pages = max(after["layouts"]) + 1
    assert after["layouts"] == list(range(pages))
    assert len(counted["layouts"]) > pages


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "options"),
    [
        ("zh-Hant", {"paper": "A5", "marks": True}),
        ("ja", {"handout": "booklet", "paper": "B5"}),
        ("ko", {"handout": "2up", "paper": "letter"}),
        ("zh-Hant", {"pdf_variant": "pdf/a-3b"}),
    ],
)
def test_contents_numbered_after_layout_give_the_same_pdf_in_every_form(lang, options, monkeypatch):
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    import briefgen
    from briefgen.builders import pdf as pdf_builder

    briefing = briefgen.loads(generate.briefing_yaml(30, lang))
    after = briefgen.render_pdf(briefing, source_date_epoch=1700000000, **options)
    monkeypatch.setattr(pdf_builder, "contents_numbered_after_layout", lambda *args: False)
    assert briefgen.render_pdf(briefing, source_date_epoch=1700000000, **options) == after
