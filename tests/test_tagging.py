"""briefgen.tagging: the structure tree's page references built once, the same PDF."""

from __future__ import annotations

from conftest import REPO, printed

# Renders the sample's PDF in a fresh process, with or without briefgen.tagging, and prints
# the PDF's hash and whether it holds a structure tree.
RENDER = """
import hashlib, io, sys
import pypdf
import briefgen
from briefgen import tagging
if sys.argv[1] == "without":
    tagging.install = lambda: None
pdf = briefgen.render_pdf(briefgen.load(sys.argv[2]), source_date_epoch=1700000000)
tagged = "/StructTreeRoot" in pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
print(hashlib.sha256(pdf).hexdigest(), tagged)
"""


def render(mode: str) -> str:
    return printed(RENDER, mode, str(REPO / "data" / "russia-north-korea.yaml")).split("\n")[-2]


def test_the_tagged_pdf_is_the_same_byte_for_byte():
    with_it, without = render("with"), render("without")
    assert with_it.endswith(" True")
    assert with_it == without
