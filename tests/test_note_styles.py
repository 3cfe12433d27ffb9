"""briefgen.note_styles: no footnote and note styles for the elements of a document that
can have neither, to the same PDF; documents with footnotes or notes keep them."""

from __future__ import annotations

import json

import pytest
from weasyprint import CSS, HTML

from briefgen.note_styles import may_hold_notes
from conftest import REPO, printed

# In a fresh process, with or without briefgen.note_styles: the sample's PDF, then two
# documents laid out by WeasyPrint alone (after briefgen's PDF build has put its patches
# in place), one with a footnote and one with a note. For each, the PDF's hash and how many
# styles WeasyPrint made for footnote and note pseudo-elements.
RENDER = """
import hashlib, json, sys
from pathlib import Path
import briefgen, weasyprint
from briefgen import note_styles
from weasyprint import css
if sys.argv[1] == "without":
    note_styles.install = lambda: None
made = []
original = css.StyleFor.set_computed_styles
def set_computed_styles(self, element, *args, pseudo_type=None, **kwargs):
    if pseudo_type in note_styles.NOTE_PSEUDO_ELEMENTS:
        made.append(pseudo_type)
    return original(self, element, *args, pseudo_type=pseudo_type, **kwargs)
css.StyleFor.set_computed_styles = set_computed_styles
results = {}
made.clear()
pdf = briefgen.render_pdf(briefgen.load(Path(sys.argv[2])), source_date_epoch=1700000000)
results["sample"] = [hashlib.sha256(pdf).hexdigest(), len(made)]
documents = {
    "footnote": '<p>Text<span style="float: footnote">A footnote.</span> more text.</p>',
    "note": '<style>.n { position: note(side) } @page { @right-middle { content: '
    'element(side) } }</style><p>Text<span class="n">A note.</span> more text.</p>',
}
for name, html in documents.items():
    made.clear()
    pdf = weasyprint.HTML(string=html).write_pdf()
    results[name] = [hashlib.sha256(pdf).hexdigest(), len(made)]
print(json.dumps(results))
"""


def render(mode: str) -> dict[str, list]:
    output = printed(RENDER, mode, str(REPO / "data" / "russia-north-korea.yaml"))
    return json.loads(output.splitlines()[-1])


@pytest.mark.slow
def test_the_same_pdfs_and_no_note_styles_where_there_can_be_no_notes():
    with_it, without = render("with"), render("without")
    for name in ("sample", "footnote", "note"):
        assert with_it[name][0] == without[name][0], name
    # Five pseudo-elements for each element of the sample, made only without the patch.
    assert without["sample"][1] > 5 * 500
    assert with_it["sample"][1] == 0
    # A document with a footnote or a note keeps every one of those styles.
    for name in ("footnote", "note"):
        assert with_it[name][1] == without[name][1] > 0, name


def holds_notes(css: str, body: str = "<p>text</p>") -> bool:
    return may_hold_notes(HTML(string=body), [(CSS(string=css), "author", None)])


@pytest.mark.parametrize(
    "css",
    [
        "p { float: footnote }",
        "@media print { p { FLOAT: Footnote } }",
        r"p { fl\6f at: footnote }",  # an escape, read as WeasyPrint reads it
        "p { position: note(side) }",
        "p { float: var(--where) }",  # known only once computed
        "p { position: var(--where) }",
    ],
)
def test_a_stylesheet_that_may_make_a_footnote_or_a_note(css):
    assert holds_notes(css)


@pytest.mark.parametrize(
    "css",
    [
        "p { float: left; position: relative }",
        "p { position: running(header) }",
        "p { float: inherit }",
        "p::footnote-call { color: red }",  # styles a call no element makes
    ],
)
def test_a_stylesheet_that_cannot_make_one(css):
    assert not holds_notes(css)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("FLOAT: FOOTNOTE", True),
        ("position: note(side)", True),
        ("float: var(--where)", True),
        (r"float: f\6f otnote", True),
        ("color: red; float: left", False),
    ],
)
def test_a_style_attribute_is_read_too(style, expected):
    assert holds_notes("p { color: black }", f'<p style="{style}">text</p>') is expected
