"""A long briefing's PDF laid out in parts and joined (builders/pdf_parts.py, pdf_join.py):
the same PDF, as a reader sees it, as the whole document laid out at once.

Parts are forced small here (a few events each), so that a briefing of test size is cut
into several, with the contents, links, people index and long events across the cuts."""

from __future__ import annotations

import gc
import io
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import replace
from types import SimpleNamespace

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

import briefgen
from briefgen import forked
from briefgen.builders import pdf as pdf_builder
from briefgen.builders import pdf_parts
from briefgen.errors import BuildError
from briefgen.options import BuildOptions
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from generate import briefing_yaml

DATE = {"source_date_epoch": 1700000000}
#: Events enough for contents over more than one page, a page beginning with an entry.
CONTENTS_OVER_PAGES = 40


def build(
    briefing: briefgen.Briefing,
    monkeypatch: pytest.MonkeyPatch,
    paper: str = "A4",
    marks: bool = False,
    **parts: int,
) -> bytes:
    """The briefing's PDF, in parts if ``parts`` gives their sizes, else whole."""
    with monkeypatch.context() as patch:
        # Long enough for parts, and set as a long briefing is (print.css), both ways.
        patch.setattr(pdf_parts, "PARTS_FROM", 1)
        if parts:
            patch.setattr(pdf_parts, "EVENTS_PER_PART", parts["per_part"])
            patch.setattr(pdf_parts, "PEOPLE_PER_PART", parts.get("people", 4))
            if "contents_pages" in parts:
                # The front matter measured in parts of a few entries, each let go once laid
                # out, and laid out again at the end in parts of a few pages.
                patch.setattr(pdf_parts, "FRONT_HELD_ENTRIES", 0)
                patch.setattr(pdf_parts, "CONTENTS_ENTRIES_PER_PART", parts["entries"])
                patch.setattr(pdf_parts, "CONTENTS_PAGES_PER_PART", parts["contents_pages"])
            # Footers laid out a few pages at a time, numbered on from the one before.
            patch.setattr(pdf_parts, "FOOTER_PAGES", 2)
            calls = []
            original = pdf_parts.render_in_parts
            patch.setattr(
                pdf_parts,
                "render_in_parts",
                lambda *args, **kw: calls.append(1) or original(*args, **kw),
            )
        else:
            patch.setattr(pdf_builder, "in_parts", lambda briefing, options: False)
        pdf = briefgen.render_pdf(briefing, paper=paper, marks=marks, **DATE)
        if parts:
            assert calls, "the PDF was not laid out in parts"
    return pdf


@pytest.fixture(scope="module")
def sample_whole(sample: briefgen.Briefing) -> bytes:
    """The sample's PDF laid out whole, as :func:`build` makes it: made once for the tests
    that only read it."""
    with pytest.MonkeyPatch.context() as patch:
        return build(sample, patch)


@pytest.fixture(scope="module")
def sample_joined(sample: briefgen.Briefing) -> bytes:
    """The sample's PDF laid out in parts of four events and joined: made once for the tests
    that only read it."""
    with pytest.MonkeyPatch.context() as patch:
        return build(sample, patch, per_part=4)


def characters(pdf: bytes) -> list[list[tuple[str, float, float, str, float]]]:
    """Every character of every page, where and how it is drawn."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            [
                (
                    c["text"],
                    round(c["x0"], 2),
                    round(c["top"], 2),
                    c["fontname"],
                    round(c["size"], 2),
                )
                for c in page.chars
            ]
            for page in document.pages
        ]


def outline(reader: PdfReader) -> list[tuple[int, str, int, float]]:
    found = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                page = reader.get_destination_page_number(item)
                found.append((level, item.title, page, round(float(item.top), 2)))

    walk(reader.outline, 0)
    return found


def links(reader: PdfReader) -> list[tuple[int, list[float], str]]:
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", ()):
            annotation = annotation.get_object()
            rect = [round(float(value), 2) for value in annotation["/Rect"]]
            target = annotation.get("/Dest") or annotation["/A"].get("/URI")
            found.append((number, rect, str(target)))
    return found


def destinations(reader: PdfReader) -> dict[str, tuple[int, float]]:
    return {
        name: (reader.get_destination_page_number(dest), round(float(dest.top), 2))
        for name, dest in reader.named_destinations.items()
    }


def structure(reader: PdfReader) -> tuple[list[str], Counter[str], int]:
    """The structure tree: the document's top-level element types in order, how many
    elements of each type, and how many marked-content references."""
    counts: Counter[str] = Counter()
    references = 0

    def walk(node: object) -> None:
        nonlocal references
        element = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(element, DictionaryObject) and element.get("/Type") == "/StructElem":
            counts[str(element["/S"])] += 1
            kids = element.get("/K")
            for kid in kids if isinstance(kids, ArrayObject) else [kids]:
                if isinstance(kid, int):
                    references += 1
                elif kid is not None:
                    walk(kid)

    root = reader.root_object["/StructTreeRoot"]
    (document,) = root["/K"]
    for kid in document.get_object()["/K"]:
        walk(kid)
    tops = [str(kid.get_object()["/S"]) for kid in document.get_object()["/K"]]
    return tops, counts, references


def parent_tree_is_whole(reader: PdfReader) -> None:
    """Every page and link names its own key in the parent tree, which lists, for each
    page, one element for each piece of marked content on it."""
    root = reader.root_object["/StructTreeRoot"]
    nums = root["/ParentTree"]["/Nums"]
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    assert len(tree) == len(nums) // 2
    assert int(root["/ParentTreeNextKey"]) > max(tree)
    keys = [int(page["/StructParents"]) for page in reader.pages]
    keys += [
        int(annotation.get_object()["/StructParent"])
        for page in reader.pages
        for annotation in page.get("/Annots", ())
    ]
    assert len(keys) == len(set(keys))
    assert set(keys) <= tree.keys()
    for page in reader.pages:
        elements = tree[int(page["/StructParents"])]
        for element in elements:
            assert element.get_object()["/Type"] == "/StructElem"


def assert_same_pdf(whole: bytes, joined: bytes) -> None:
    assert characters(joined) == characters(whole)
    whole_reader, joined_reader = PdfReader(io.BytesIO(whole)), PdfReader(io.BytesIO(joined))
    assert outline(joined_reader) == outline(whole_reader)
    assert links(joined_reader) == links(whole_reader)
    assert destinations(joined_reader) == destinations(whole_reader)
    whole_tops, whole_counts, whole_references = structure(whole_reader)
    tops, counts, references = structure(joined_reader)
    assert counts == whole_counts
    assert references == whole_references
    # The timeline is one element in the whole and one for each part joined.
    assert [top for top, _ in groupby_runs(tops)] == [top for top, _ in groupby_runs(whole_tops)]
    parent_tree_is_whole(joined_reader)
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        assert joined_reader.root_object[key] == whole_reader.root_object[key]
    assert joined_reader.metadata == whole_reader.metadata
    assert joined_reader.xmp_metadata is not None


def groupby_runs(items: list[str]) -> list[tuple[str, int]]:
    runs: list[tuple[str, int]] = []
    for item in items:
        if runs and runs[-1][0] == item:
            runs[-1] = (item, runs[-1][1] + 1)
        else:
            runs.append((item, 1))
    return runs


def test_the_sample_in_parts_is_the_sample_whole(sample_whole, sample_joined):
    whole, joined = sample_whole, sample_joined
    assert len(PdfReader(io.BytesIO(joined)).pages) == len(PdfReader(io.BytesIO(whole)).pages)
    assert_same_pdf(whole, joined)


def test_crop_marks_in_parts_are_drawn_once_on_each_page(sample, monkeypatch):
    """The footers of a PDF laid out in parts are laid over its pages: the crop marks of
    their own pages are left out, not drawn a second time over the page's."""
    joined = build(sample, monkeypatch, marks=True, per_part=4)
    with pdfplumber.open(io.BytesIO(joined)) as document:
        # Two strokes at each corner, in the marks' hairline (the page draws no other).
        hairlines = [
            sum(1 for line in page.lines if line["linewidth"] < 0.3) for page in document.pages
        ]
    assert hairlines == [8] * len(hairlines)


def test_a_colophon_alone_after_the_events_is_headed_as_whole(sample, monkeypatch):
    """With neither people nor sources, the back matter is the colophon alone, on a page of
    its own: its running header names the last event's period, as in the whole document,
    not nothing."""
    events = tuple(replace(event, people=()) for event in sample.events)
    briefing = replace(sample, events=events, people=(), sources=())
    whole = build(briefing, monkeypatch)
    joined = build(briefing, monkeypatch, per_part=4)
    assert_same_pdf(whole, joined)


@pytest.mark.slow
def test_a_longer_briefing_in_parts_is_the_same_whole(monkeypatch):
    """Sixty events: long events that break over pages, a contents of two pages and a
    people index over several, each cut into parts of ten events."""
    briefing = briefgen.loads(briefing_yaml(60))
    whole = build(briefing, monkeypatch)
    joined = build(briefing, monkeypatch, per_part=10)
    assert_same_pdf(whole, joined)


def test_contents_laid_out_again_in_parts_are_the_contents_whole(monkeypatch):
    """A long front matter is not held, laid out, until the contents' numbers are known: it
    is measured in parts, and laid out again with the numbers, cut at pages that begin
    with an entry."""
    briefing = briefgen.loads(briefing_yaml(CONTENTS_OVER_PAGES))
    cuts = []
    original_cuts = pdf_parts._contents_parts
    monkeypatch.setattr(
        pdf_parts,
        "_contents_parts",
        lambda *args: cuts.extend(original_cuts(*args)) or list(cuts),
    )
    measured = calls(monkeypatch, "_contents_work")
    # On A5, whose contents run over four pages.
    joined = build(briefing, monkeypatch, "A5", per_part=10, entries=8, contents_pages=1)
    assert len(cuts) >= 2, "the contents were not laid out again in parts"
    assert len(measured) >= 2, "the contents were not measured in parts"
    assert_same_pdf(build(briefing, monkeypatch, "A5"), joined)


def test_a_people_index_in_parts_is_the_index_whole(monkeypatch):
    """The back matter is laid out a few people at a time, each part cut at its last page
    that begins with a person, the last with the sources and the colophon."""
    briefing = briefgen.loads(briefing_yaml(CONTENTS_OVER_PAGES))
    # Roles of several lines: an index of thirteen people over several pages.
    people = tuple(replace(person, role=person.role * 12) for person in briefing.people)
    briefing = replace(briefing, people=people)
    parts = calls(monkeypatch, "_people_work")
    joined = build(briefing, monkeypatch, "A5", per_part=10, people=3)
    assert len(parts) >= 3, "the people were not laid out in parts"
    assert_same_pdf(build(briefing, monkeypatch, "A5"), joined)


def calls(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[object, ...]]:
    """The calls made to ``pdf_parts.<name>`` from now on, each its arguments."""
    made: list[tuple[object, ...]] = []
    original = getattr(pdf_parts, name)
    monkeypatch.setattr(pdf_parts, name, lambda *args: made.append(args) or original(*args))
    return made


def test_parts_build_the_same_bytes_twice(sample, sample_joined, monkeypatch):
    assert build(sample, monkeypatch, per_part=4) == sample_joined


@pytest.mark.skipif(not hasattr(signal, "SIGCHLD"), reason="no SIGCHLD")
def test_a_program_that_ignores_sigchld_gets_its_pdf_in_parts(sample, sample_joined, monkeypatch):
    """A server ignores SIGCHLD so as to leave no zombies, and the system reaps the parts'
    processes itself: waiting for one failed the PDF with "No child processes"."""
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert build(sample, monkeypatch, per_part=4) == sample_joined
    finally:
        signal.signal(signal.SIGCHLD, before)


def test_a_booklet_is_imposed_from_the_joined_pdf(sample, monkeypatch):
    monkeypatch.setattr(pdf_parts, "PARTS_FROM", 1)
    monkeypatch.setattr(pdf_parts, "EVENTS_PER_PART", 4)
    booklet = briefgen.render_pdf(sample, handout="booklet", **DATE)
    monkeypatch.setattr(pdf_builder, "in_parts", lambda briefing, options: False)
    assert characters(booklet) == characters(briefgen.render_pdf(sample, handout="booklet", **DATE))


def test_the_joined_pdf_is_read_by_poppler(sample_joined):
    run = subprocess.run(["pdfinfo", "-"], input=sample_joined, capture_output=True, check=True)
    assert "Tagged:          yes" in run.stdout.decode()
    assert not run.stderr  # poppler reports every damaged object


def test_only_long_briefings_in_briefgens_own_templates_are_laid_out_in_parts(
    sample, tmp_path, monkeypatch
):
    monkeypatch.setattr(pdf_parts, "PARTS_FROM", 10)
    assert pdf_builder.in_parts(sample, BuildOptions())
    short = briefgen.loads(briefing_yaml(9))
    assert not pdf_builder.in_parts(short, BuildOptions())
    # PDF/A's rules for the file as a whole are not checked by the join.
    assert not pdf_builder.in_parts(sample, BuildOptions(pdf_variant="pdf/a-3b"))
    assert not pdf_builder.in_parts(sample, BuildOptions(handout="sheet"))
    # A user's own templates may not know parts.
    assert not pdf_builder.in_parts(sample, BuildOptions(templates=(tmp_path,)))


@pytest.mark.skipif(not forked.can_fork(), reason="parts are laid out here anyway")
def test_parts_laid_out_here_give_what_forked_parts_give(sample, sample_joined, monkeypatch):
    """Where no child process can be forked (Windows, or other threads running), the parts
    are laid out in this process, in turns, to the same PDF."""
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert build(sample, monkeypatch, per_part=4) == sample_joined


def test_a_failing_part_fails_the_build(sample, monkeypatch):
    """An error in a part (here, in its child process) reaches the caller as itself."""

    def broken(pages, numbers):
        raise ValueError("no numbers today")

    monkeypatch.setattr(pdf_parts, "set_contents_numbers", broken)
    with pytest.raises(ValueError, match="no numbers today"):
        build(sample, monkeypatch, per_part=4)


@pytest.mark.skipif(not forked.can_fork(), reason="parts are laid out here anyway")
def test_a_warning_given_in_a_parts_process_refuses_a_strict_build(sample, tmp_path, monkeypatch):
    """A warning WeasyPrint gives while a part is laid out in its child process was shown,
    and counted there, lost with the child: a strict build of a long briefing wrote it."""
    original = pdf_parts.set_contents_numbers

    def warned(pages, numbers):
        logging.getLogger("weasyprint").warning("Failed to load image at 'file:///logo.png'")
        return original(pages, numbers)

    monkeypatch.setattr(pdf_parts, "set_contents_numbers", warned)
    monkeypatch.setattr(pdf_parts, "PARTS_FROM", 1)
    monkeypatch.setattr(pdf_parts, "EVENTS_PER_PART", 4)
    assert forked.can_fork()
    with pytest.raises(BuildError, match=r"strict: .* nothing was written"):
        briefgen.build(sample, "pdf", tmp_path / "out", strict=True)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not forked.can_fork(), reason="parts are laid out here anyway")
def test_a_part_whose_process_dies_fails_the_build_with_a_message(sample, tmp_path, monkeypatch):
    def killed(pages, numbers):
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(pdf_parts, "set_contents_numbers", killed)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(BuildError, match="stopped by signal 9"):
        build(sample, monkeypatch, per_part=4)
    gc.collect()
    assert not list(tmp_path.iterdir()), "a dead part's temporary files were left behind"


@pytest.mark.skipif(not forked.can_fork(), reason="parts are laid out here anyway")
def test_parts_leave_no_temporary_files_behind(sample, tmp_path, monkeypatch):
    """A child process leaves without the interpreter's clean-up, which removes the fonts
    WeasyPrint writes to temporary folders: they are removed all the same."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    build(sample, monkeypatch, per_part=4)
    gc.collect()
    assert not list(tmp_path.iterdir())


def test_stand_in_targets_are_not_left_in_the_joined_pdf(sample_joined):
    reader = PdfReader(io.BytesIO(sample_joined))
    for name, (page, top) in destinations(reader).items():
        # A stand-in sits at the top-left corner of its part's first page.
        assert top != round(float(reader.pages[page].mediabox.top), 2), name


def test_a_long_briefings_events_and_back_matter_begin_pages_of_their_own(monkeypatch):
    """Set as a book: the events begin a page after the contents, the people a page after
    the events (what lets the PDF lay the three out apart). A short briefing runs on."""
    briefing = briefgen.loads(briefing_yaml(22))

    def first_event_and_people(pdf: bytes) -> list[tuple[int, float]]:
        marks = outline(PdfReader(io.BytesIO(pdf)))
        assert marks[1][1] == "摘要" and marks[-2][1] == "人物"
        return [(page, top) for _, _, page, top in (marks[2], marks[-2])]

    monkeypatch.setattr(pdf_parts, "PARTS_FROM", 10**9)
    runs_on = first_event_and_people(briefgen.render_pdf(briefing, **DATE))
    monkeypatch.setattr(pdf_parts, "PARTS_FROM", len(briefing.events))
    set_apart = first_event_and_people(briefgen.render_pdf(briefing, **DATE))
    # At the top of a page, below the margin the forced break keeps above the heading.
    page_top = 761.15
    assert all(top < page_top for _, top in runs_on)
    assert [top for _, top in set_apart] == [page_top, page_top]
    assert set_apart[0][0] == runs_on[0][0] + 1


def test_the_fonts_are_compressed_once_for_all_the_parts(sample, tmp_path, monkeypatch):
    """Every part's PDF embeds the same font subsets: compressed once before the parts'
    processes are forked, not again in each of them (one log line per compression, appended
    by whichever process makes it)."""
    log = tmp_path / "compressed.log"
    real = pdf_builder.zlib.compressobj

    class Logged:
        def __init__(self, level: int) -> None:
            self.compressor = real(level=level)
            self.size = 0

        def compress(self, data: bytes) -> bytes:
            self.size += len(data)
            return self.compressor.compress(data)

        def flush(self) -> bytes:
            with log.open("a") as file:
                file.write(f"{self.size}\n")
            return self.compressor.flush()

    monkeypatch.setattr(pdf_builder, "zlib", SimpleNamespace(compressobj=Logged))
    build(sample, monkeypatch, per_part=4)
    sizes = Counter(log.read_text().split())
    assert len(sizes) == len(list(pdf_builder.faces(sample)))  # each face's subset…
    assert set(sizes.values()) == {1}  # …compressed once


def test_the_footers_laid_over_the_pages_are_pagination_artifacts(sample_joined):
    """Every text of the joined PDF is tagged, or marked as an artifact: the footers ("第 n
    頁／共 m 頁"), laid out apart and drawn over the pages, are pagination artifacts, which
    screen readers skip, as they skip the footers of the whole document (tagged apart from
    its structure tree), and not marked content whose number the structure tree does not
    know, which PDF/UA checkers count as untagged."""
    joined = sample_joined
    assert unplaced_text(PdfReader(io.BytesIO(joined))) == []
    with pdfplumber.open(io.BytesIO(joined)) as document:
        assert "第 1 頁／共" in document.pages[0].extract_text()


def unplaced_text(reader: PdfReader) -> list[tuple[int, str]]:
    """Text drawn, on a page or in a form XObject it draws, neither in an artifact nor in
    marked content that the parent tree places in the structure tree: (page, operator)."""
    root = reader.root_object["/StructTreeRoot"]
    nums = root["/ParentTree"]["/Nums"]
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    found: list[tuple[int, str]] = []

    def placed(key: int | None, mcid: int) -> bool:
        elements = None if key is None else tree.get(int(key))
        return isinstance(elements, ArrayObject) and mcid < len(elements)

    def walk(number: int, content: object, owner: DictionaryObject) -> None:
        resources = owner.get("/Resources")
        marks: list[tuple[str, int | None]] = []
        for operands, operator in ContentStream(content, reader).operations:
            if operator in (b"BDC", b"BMC"):
                properties = operands[1] if operator == b"BDC" else None
                mcid = properties.get("/MCID") if isinstance(properties, dict) else None
                marks.append((str(operands[0]), None if mcid is None else int(mcid)))
            elif operator == b"EMC":
                marks.pop()
            elif operator == b"Do":
                form = resources["/XObject"][operands[0]].get_object()
                if form.get("/Subtype") == "/Form" and not any(
                    tag == "/Artifact" for tag, _ in marks
                ):
                    walk(number, form, form)
            elif operator in (b"Tj", b"TJ", b"'", b'"'):
                if any(tag == "/Artifact" for tag, _ in marks):
                    continue
                mcids = [mcid for _, mcid in marks if mcid is not None]
                if not mcids or not placed(owner.get("/StructParents"), mcids[-1]):
                    found.append((number, operator.decode()))

    for number, page in enumerate(reader.pages, start=1):
        walk(number, page.get_contents(), page)
    return found


def test_the_joined_pdf_lists_each_font_once(sample, sample_whole, sample_joined):
    """Every part embeds the fonts; the joined PDF keeps each once, as the whole document
    does, so that a list of its fonts (pdffonts, a viewer's document properties) names
    each face once, not once for every part."""
    joined = fonts(PdfReader(io.BytesIO(sample_joined)))
    assert len(joined) == len(list(pdf_builder.faces(sample)))
    # Each described as in the whole document: its flags (fixed pitch or not) and its box
    # are those of the glyphs of all the parts, not of the first part's alone.
    whole = fonts(PdfReader(io.BytesIO(sample_whole)))
    assert sorted(joined.values()) == sorted(whole.values())


def fonts(reader: PdfReader) -> dict[int, tuple[str, int, list[float]]]:
    """The fonts of the pages and their footers, by object number: name, flags and box."""
    found = {}
    for page in reader.pages:
        for resources in (page["/Resources"], *xobject_resources(page)):
            for font in resources.get("/Font", {}).values():
                descendant = font.get_object()["/DescendantFonts"][0].get_object()
                descriptor = descendant["/FontDescriptor"].get_object()
                found[font.idnum] = (
                    str(descriptor["/FontName"]).split("+")[-1],
                    int(descriptor["/Flags"]),
                    [float(value) for value in descriptor["/FontBBox"]],
                )
    return found


def xobject_resources(page: object) -> list[DictionaryObject]:
    """The resources of the form XObjects a page draws (its footer)."""
    forms = page["/Resources"].get("/XObject", {})  # type: ignore[index]
    return [form.get_object()["/Resources"] for form in forms.values()]


def test_pictures_placed_in_parts_are_placed_as_whole(tmp_path, monkeypatch):
    # A picture that left a page mostly empty is set after its event's text, and made
    # smaller to fit, in each part as in the whole (builders/pdf_pictures.py).
    from PIL import Image

    Image.new("RGB", (1200, 900), (90, 120, 160)).save(tmp_path / "photo.png")
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    for index in (4, 8):
        data["events"][index].update(image="photo.png", caption=f"第{index + 1}件事的照片")
    (tmp_path / "pictured.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    briefing = briefgen.load(tmp_path / "pictured.yaml")
    whole = build(briefing, monkeypatch)
    joined = build(briefing, monkeypatch, per_part=4)
    assert_same_pdf(whole, joined)
    text = re.sub(
        r"\s", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(whole)).pages)
    )
    event = briefing.events[8]
    # The second picture follows its event's text in both.
    assert text.index(re.sub(r"\s", "", event.body)[-6:]) < text.index(event.caption)
