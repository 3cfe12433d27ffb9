"""briefgen's mends to the tagged PDF's structure tree, which WeasyPrint 70 writes
(``pdf/tags.py: add_tags``) after every page is in the PDF.

Made in time that grows with its size, not its square. ``add_tags`` gives each structure
element its page as ``pdf.page_references[page]``. In pydyf that is a property that builds a
new tuple of every page's reference at each call, so the tree costs (elements × pages):
21,000 calls over 61 pages at 200 events; at 1,000 events (283 pages) the tree took 4.95 s of
CPU, and 0.77 s once the references were built once. Here, while ``add_tags`` runs (no page
is added then), the references are built once and kept: the PDF is the same, byte for byte
(tests/test_tagging.py).

The language of text in another one. WeasyPrint marks the document's language in the
catalogue only, never ``/Lang`` on a structure element: a person's name in Hangul, which the
HTML and the EPUB mark ``lang="ko"``, was read by a screen reader in the voice of the
briefing's Chinese. Each structure element made for a box whose language (its element's
``lang``, or inherited) differs from that of the element it is in now carries it as
``/Lang``, which its content and the elements inside it take (PDF 1.7, 14.9.2).

What a link is. A link annotation's alternate description (``/Contents``, which PDF/UA asks
of every link, and which a screen reader gives for a link that has no text) was its target,
as WeasyPrint writes it: the visual timeline's links, laid over the picture without text,
were read as "event-01", "event-02"…, and a link of the contents said "event-01" too. Each
now says what the link says: its text, or where it has none, its element's ``title`` (the
timeline's links are titled with their event).

One link, one annotation. WeasyPrint hands a link down to every box inside it, and each made
a link annotation of its own: an entry of the contents (a one-row table: its table, row and
cells, and the title's span) was eight annotations over one another, each a structure
element of its own, so that a screen reader met eight links to the one event, nested, and
PDF/UA's rule that a link annotation belongs to a ``Link`` element was broken by the
annotations the cells' ``Span`` elements held. A box's annotation is now left out where a
box around it has one with the same target, which grows to cover it
(:func:`install_single_links`), and the boxes inside a link that its element made too (the
table's, its row's) are structure elements of no meaning (``NonStruct``), not links again:
an entry of the contents is one ``Link`` holding its annotation and its three cells.

The running header and footer are pagination artifacts. WeasyPrint marked a margin box's
text (the title, the period, "第 n 頁／共 m 頁") as content of structure elements that it
left out of the tree: the parent tree pointed each such piece at an element no reader could
reach, text that PDF/UA checkers count as neither tagged nor an artifact, and that a screen
reader walking the page's content could read out on every page. Each margin box is now
drawn as ``/Artifact <</Type /Pagination /Subtype /Header>>`` (``/Footer`` at the foot of the
page; ISO 32000-1, 14.8.2.2), its text with no marked-content number of its own, and makes
no structure element (:func:`install_pagination_artifacts`).

Lists as PDF/UA reads them: ``L`` > ``LI`` > (``Lbl``, ``LBody``). The people and tag
chips' list held an empty ``Span`` for each space between its chips (inline items), beside
its items: those spaces are artifacts now. WeasyPrint made an item's body of its first lines
only, so that a source's publisher and note, or the paragraphs of a loose Markdown list,
were elements of the ``LI`` beside its body or its label; and it put a list nested in an
item after the item, in the list around. Each item is now its label and one body holding
all it says, a nested list in its place there. A description list (the people index) was
an item of each term and of each description: a person is now one item, the name (``dt``)
its label and what is said of them (``dd``) its body. The contents, a list in a ``nav``
(which WeasyPrint tags as ``NonStruct``), are a table of contents: ``TOC`` > ``TOCI`` >
``Reference`` > ``Link`` (:func:`install_lists`).

An element set in columns is one element. WeasyPrint lays out each column as a box of the
element's own and made an element of each: the one-sheet handout's list of events, in two
columns, was a list holding two lists, which a screen reader announced as three lists, the
events in two. A column's boxes now belong to the element itself (:func:`install_columns`).

An element over a page break is one element. WeasyPrint builds the tree a page at a time,
and made an element of each page's piece of an element a page break cut, and of each
element around it: the sample's ``main`` was five ``Part`` elements, one a page, its
timeline three ``Div``, the people's section two ``Sect`` and their list two lists, and a
paragraph over a page break was two paragraphs, which a screen reader read as two. Such
pieces, of one element and type on following pages, are now one element, their content in
order (:func:`install_whole_elements`); a table's pieces stay apart, each with its header.
So is an element broken over lines: a link that wraps was a ``Link`` a line, which a screen
reader read as two links; it is one ``Link`` holding each line's annotation (PDF/UA-2,
8.2.5.20, asks this of annotations that are "semantically perceived to be a single link").

An element with nothing in it is left out. WeasyPrint makes an element of every box, an
empty one too: the contents' entries for the people and the sources have an empty date
cell (which lines their titles up with the events'), and each was a ``Span`` holding
nothing, which a screen reader walking the tree met as an element with no text
(:func:`_drop_empty`).

A space between two elements is heard. WeasyPrint draws a space as a gap, not a glyph, so
the marked content of a text box that holds only a space holds nothing, and the tree's text
ran the words on either side together, as a screen reader then reads them: two emphasised
Korean words, each character of which is a span of its own (``메모리 반도체`` read as
``메모리반도체``), an event's date and its title (``2020年5月15日　台積電…``, parted by a
full-width space), the colophon's entries. Nor does a line that breaks at a space end
with it: WeasyPrint leaves the space out of the line's last text box, or takes it off
(``layout/inline.py: split_text_box``, ``remove_last_whitespace``), and in Korean, English
or any text with spaces the tree's text ran the last word of each line into the first of
the next (``“국가전략기술”에대한``). The ``Span`` of such a text box now says its text with its
space as its ``ActualText`` (:func:`install_spaces`). So does the text box of a word that an
English line hyphenates, without the hyphen that the line's end added to it: the tree read
``min-`` ``ister`` as two words, where the page prints one broken at the line's end.

An emphasis is one run of text. Each emphasised CJK character is a span of its own, whose
background is its dot (briefgen/emphasis_dots.py), and WeasyPrint made an element of each,
holding an element of its character: ``*正式*`` was ``Span`` > ``Span`` 正, ``Span`` > ``Span``
式, which a screen reader may present as so many separate characters, as the HTML and the
EPUB, which hold the emphasis as one text, are made not to. The characters are now the
content of the emphasis's own element, in order (:func:`install_emphasis`).

Each installed once per process (:func:`install`, :func:`install_whole_elements`,
:func:`install_lists`, :func:`install_columns`, :func:`install_languages`,
:func:`install_link_descriptions`, :func:`install_single_links`,
:func:`install_pagination_artifacts`, :func:`install_spaces`,
:func:`install_emphasis`), for WeasyPrint 70 and pydyf:
``weasyprint.pdf.add_tags`` and ``weasyprint.pdf.add_links`` (as ``pdf/__init__.py:
generate_pdf`` calls them, by their module's name) and ``pydyf.PDF.page_references``;
``weasyprint.pdf.tags._build_box_tree`` (which calls itself by its module's name, for each
box, and yields the structure elements made for it); ``weasyprint.draw.draw_stacking_context``
(which ``draw_page`` calls by its module's name, for the page's root box and each of its
margin boxes) and ``weasyprint.pdf.stream.Stream.marked`` and ``.artifact``.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import pydyf
import weasyprint.draw
import weasyprint.layout.inline
import weasyprint.pdf
import weasyprint.pdf.tags
from weasyprint.formatting_structure import boxes
from weasyprint.pdf.stream import Stream

from . import own_layout
from .emphasis_dots import is_dot
from .once import once


class _AllPagesIn(pydyf.PDF):  # type: ignore[misc]
    """A PDF whose pages are all added: its page references are built once."""

    @functools.cached_property
    def page_references(self) -> tuple[bytes, ...]:
        references: tuple[bytes, ...] = pydyf.PDF.page_references.fget(self)
        return references


class _Languages(threading.local):
    """Per thread, while ``add_tags`` runs: the language of the box each structure element
    was made for, by the element's object number."""

    def __init__(self) -> None:
        self.of: dict[int, str | None] | None = None


_languages = _Languages()


@once
def install() -> None:
    """Have ``add_tags`` read the page references once (once per process)."""
    original = weasyprint.pdf.add_tags

    @functools.wraps(original)
    def add_tags(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        if type(pdf) is not pydyf.PDF:
            return original(pdf, *args, **kwargs)
        pdf.__class__ = _AllPagesIn
        try:
            return original(pdf, *args, **kwargs)
        finally:
            pdf.__class__ = pydyf.PDF
            pdf.__dict__.pop("page_references", None)

    weasyprint.pdf.add_tags = add_tags


@once
def install_languages() -> None:
    """Have ``add_tags`` mark the structure elements' languages (once per process)."""
    original = weasyprint.pdf.add_tags

    @functools.wraps(original)
    def add_tags(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        if not own_layout.active():  # a document of the caller's own (own_layout.py)
            return original(pdf, *args, **kwargs)
        _languages.of = {}
        try:
            result = original(pdf, *args, **kwargs)
            _mark_languages(pdf, _languages.of)
        finally:
            _languages.of = None
        return result

    weasyprint.pdf.add_tags = add_tags
    weasyprint.pdf.tags._build_box_tree = _recording(weasyprint.pdf.tags._build_box_tree)


@once
def install_link_descriptions() -> None:
    """Have each link annotation described by what the link says (once per process)."""
    original = weasyprint.pdf.tags._build_box_tree

    @functools.wraps(original)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        annotation = box.link_annotation
        if not own_layout.active():  # a document of the caller's own (own_layout.py)
            yield from original(box, *args, **kwargs)
            return
        if annotation is None:
            if _is_link_tag(box) and getattr(box, "is_table_wrapper", False):
                # A link set as a table (an entry of the contents): the table inside holds
                # the annotation and is the Link; the wrapper around it, a Link too without
                # one, is left out of the tree, as WeasyPrint leaves out html and body.
                for child in box.children:
                    yield from weasyprint.pdf.tags._build_box_tree(child, *args, **kwargs)
                return
            if _links.outer is None or not _is_link_tag(box):
                yield from original(box, *args, **kwargs)
                return
            # A box the link's element made inside the link's own box (a table's table
            # and row): a Link again, it would be a link inside the link.
            element_tag = box.element_tag
            box.element_tag = _PART_OF_A_LINK
            try:
                yield from original(box, *args, **kwargs)
            finally:
                box.element_tag = element_tag
            return
        # The link's description: its text, or what the link it is part of says.
        outer = _links.outer
        description = _link_description(box.element) if box.link else (outer or "")
        if description:
            annotation["Contents"] = pydyf.String(description)
        _links.outer = description
        try:
            yield from original(box, *args, **kwargs)
        finally:
            _links.outer = outer

    weasyprint.pdf.tags._build_box_tree = build_box_tree


#: A tag that WeasyPrint's ``_get_pdf_tag`` knows no structure type for: ``NonStruct``.
_PART_OF_A_LINK = "briefgen-link-part"


def _is_link_tag(box: Any) -> bool:
    """Whether WeasyPrint tags ``box`` as a ``Link`` (an ``a`` element's box, or one of its
    pseudo-elements')."""
    return box.element is not None and str(box.element_tag).split(":")[0] == "a"


@once
def install_single_links() -> None:
    """Have a link make one annotation where its boxes lie one inside another (once per
    process)."""
    original = weasyprint.pdf.add_links

    @functools.wraps(original)
    def add_links(links_and_anchors: Any, *args: Any, **kwargs: Any) -> Any:
        if not own_layout.active():  # a document of the caller's own (own_layout.py)
            return original(links_and_anchors, *args, **kwargs)
        links, anchors = links_and_anchors
        return original((_outermost(links), anchors), *args, **kwargs)

    weasyprint.pdf.add_links = add_links


def _outermost(links: list[Any]) -> list[Any]:
    """A page's links (``(type, target, rectangle, box)``, each box before the boxes inside
    it, as ``gather_anchors`` lists them), those whose box lies inside the box of one listed
    before it with the same target left out, and that one's rectangle grown to cover theirs:
    a bold word's box stands a fraction of a point above its link's line, a picture in a
    link past it."""
    kept: list[list[Any]] = []
    around: dict[tuple[str, str], list[tuple[list[Any], set[int]]]] = {}
    for link_type, target, rectangle, box in links:
        same = around.setdefault((link_type, target), [])
        outer = next((link for link, inside in same if id(box) in inside), None)
        if outer is not None:
            outer[2] = _union(outer[2], rectangle)
            continue
        link = [link_type, target, rectangle, box]
        kept.append(link)
        same.append((link, {id(part) for part in box.descendants()} - {id(box)}))
    return [tuple(link) for link in kept]


def _union(first: tuple[float, ...], second: tuple[float, ...]) -> tuple[float, ...]:
    """The smallest rectangle (x1, y1, x2, y2) that holds both."""
    return (
        min(first[0], second[0]),
        min(first[1], second[1]),
        max(first[2], second[2]),
        max(first[3], second[3]),
    )


class _Links(threading.local):
    """Per thread, while the boxes inside a link are tagged: its description."""

    def __init__(self) -> None:
        self.outer: str | None = None


_links = _Links()


def _link_description(element: Any) -> str:
    """The text of a link's element, its spaces as a reader hears them (text that CSS adds,
    as the contents' page numbers, is no part of it, as in the HTML); else its ``title``;
    else nothing."""
    if element is None:
        return ""
    text = " ".join("".join(element.itertext()).split())
    return text or " ".join(element.get("title", "").split())


def _recording(original: Any) -> Any:
    """``_build_box_tree``, noting the language of the box each element it yields was made
    for. An element is first yielded by the call for its own box: the calls for the boxes
    around it (``html`` and ``body``, which make none) yield it again, and are not noted."""

    @functools.wraps(original)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        languages = _languages.of
        for element in original(box, *args, **kwargs):
            if languages is not None:
                languages.setdefault(element.number, box.style["lang"])
            yield element

    return build_box_tree


def _mark_languages(pdf: Any, languages: dict[int, str | None]) -> None:
    """``/Lang`` on each element whose box's language is not its parent element's. A box's
    language is inherited, as CSS computes it: a parent element made for no box (the
    document's) is in the catalogue's language."""
    document = pdf.catalog.get("Lang")
    document_language = document.string if isinstance(document, pydyf.String) else None
    for number, language in languages.items():
        element = pdf.objects[number]
        parent = int(element["P"].split()[0])
        around = languages.get(parent, document_language)
        if language and language.casefold() != (around or "").casefold():
            element["Lang"] = pydyf.String(language)


class _Pagination(threading.local):
    """Per thread: whether a margin box is being drawn, as a pagination artifact."""

    def __init__(self) -> None:
        self.drawing = False


_pagination = _Pagination()


@once
def install_pagination_artifacts() -> None:
    """Have the margin boxes drawn as pagination artifacts, out of the structure tree (once
    per process)."""
    draw = weasyprint.draw.draw_stacking_context

    @functools.wraps(draw)
    def draw_stacking_context(stream: Any, stacking_context: Any) -> Any:
        box = stacking_context.box
        if (
            not isinstance(box, boxes.MarginBox)
            or stream._tags is None  # an untagged PDF: nothing is marked
            or _pagination.drawing
            or not own_layout.active()  # a document of the caller's own (own_layout.py)
        ):
            return draw(stream, stacking_context)
        stream.begin_marked_content("Artifact", _pagination_properties(box.at_keyword))
        _pagination.drawing = True
        try:
            return draw(stream, stacking_context)
        finally:
            _pagination.drawing = False
            stream.end_marked_content()

    marked, artifact = Stream.marked, Stream.artifact

    # Inside the artifact, text takes no marked-content number (content of an artifact is
    # no element's) and a border no artifact of its own.
    def unless_pagination(original: Any) -> Any:
        @functools.wraps(original)
        def mark(self: Any, *args: Any) -> AbstractContextManager[None]:
            if _pagination.drawing:
                return nullcontext()
            context: AbstractContextManager[None] = original(self, *args)
            return context

        return mark

    Stream.marked = unless_pagination(marked)
    Stream.artifact = unless_pagination(artifact)
    weasyprint.draw.draw_stacking_context = draw_stacking_context

    build = weasyprint.pdf.tags._build_box_tree

    @functools.wraps(build)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        if isinstance(box, boxes.MarginBox) and own_layout.active():
            return  # drawn as an artifact: no element, no marked content to map
        yield from build(box, *args, **kwargs)

    weasyprint.pdf.tags._build_box_tree = build_box_tree


def _pagination_properties(at_keyword: str) -> pydyf.Dictionary:
    """An artifact's properties for the margin box of ``at_keyword`` (``@top-left``…): a
    header's at the head of the page, a footer's at its foot, and of no subtype beside it."""
    properties = pydyf.Dictionary({"Type": "/Pagination"})
    if at_keyword.startswith("@top"):
        properties["Subtype"] = "/Header"
    elif at_keyword.startswith("@bottom"):
        properties["Subtype"] = "/Footer"
    return properties


#: The elements WeasyPrint tags as lists (``L``).
_LISTS = frozenset({"ul", "ol", "dl"})
#: A description list's terms and descriptions, each of which WeasyPrint makes an item.
_TERMS = frozenset({"dt", "dd"})


class _ListKinds(threading.local):
    """Per thread, while ``add_tags`` runs: ``dt`` or ``dd``, by the object number of each
    element made for a box of a description list's term or description, and ``nav``, of
    each made for a box of a list in a ``nav`` element (:func:`_list_kind`)."""

    def __init__(self) -> None:
        self.of: dict[int, str] | None = None
        #: The ``id`` of each element a ``nav`` element holds.
        self.in_nav: set[int] = set()


_list_kinds = _ListKinds()


@once
def install_lists() -> None:
    """Have each list tagged as an ``L`` of ``LI`` elements, each a label and one body
    (once per process)."""
    marked = Stream.marked

    @functools.wraps(marked)
    def mark(self: Any, box: Any, tag: str) -> AbstractContextManager[None]:
        if own_layout.active() and _is_list_spacing(box):
            spacing: AbstractContextManager[None] = self.artifact()
            return spacing
        context: AbstractContextManager[None] = marked(self, box, tag)
        return context

    Stream.marked = mark

    build = weasyprint.pdf.tags._build_box_tree

    @functools.wraps(build)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        if not own_layout.active():
            yield from build(box, *args, **kwargs)
            return
        box = _without_list_spacing(box)
        kinds = _list_kinds.of
        if kinds is not None and box.element_tag == "nav" and box.element is not None:
            # (Called for the nav's box before those inside it.)
            _list_kinds.in_nav.update(id(child) for child in box.element)
        for element in build(box, *args, **kwargs):
            # First yielded by the call for its own box (as in _recording): the LI that
            # WeasyPrint wraps around a dt's or a dd's body, the L of a list.
            if kinds is not None and box.element is not None:
                kind = _list_kind(box)
                if kind is not None:
                    kinds.setdefault(element.number, kind)
            yield element

    weasyprint.pdf.tags._build_box_tree = build_box_tree

    add_tags = weasyprint.pdf.add_tags

    @functools.wraps(add_tags)
    def add_tags_and_mend_lists(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        if not own_layout.active():  # a document of the caller's own (own_layout.py)
            return add_tags(pdf, *args, **kwargs)
        _list_kinds.of = {}
        try:
            result = add_tags(pdf, *args, **kwargs)
            _mend_lists(pdf, _list_kinds.of)
        finally:
            _list_kinds.of = None
            _list_kinds.in_nav = set()
        return result

    weasyprint.pdf.add_tags = add_tags_and_mend_lists


def _list_kind(box: Any) -> str | None:
    """``dt`` or ``dd`` for a box of a description list's term or description, ``nav`` for
    one of a list that a ``nav`` element holds (the contents), else None."""
    if box.element_tag in _TERMS:
        return str(box.element_tag)
    if box.element_tag in _LISTS and id(box.element) in _list_kinds.in_nav:
        return "nav"
    return None


def _is_list_spacing(box: Any) -> bool:
    """Whether ``box`` is the white space of a list's own, between its items (the people and
    tag chips' list, whose items are inline): a space on the line, no item's content."""
    return isinstance(box, boxes.TextBox) and box.element_tag in _LISTS and not box.text.strip()


def _without_list_spacing(box: Any) -> Any:
    """``box``, or where it is a list with white space of its own between its items (drawn
    as an artifact), a copy of it without that space, for ``_build_box_tree`` (which would
    make each such space a ``Span`` of the list, beside its items)."""
    if box.element_tag not in _LISTS or not isinstance(box, boxes.ParentBox):
        return box
    children = []
    for child in box.children:
        if isinstance(child, boxes.LineBox):
            kept = [part for part in child.children if not _is_list_spacing(part)]
            if len(kept) != len(child.children):
                child = _with_children(child, kept)
        if not _is_list_spacing(child):
            children.append(child)
    if children == box.children:
        return box
    return _with_children(box, children)


def _with_children(box: Any, children: list[Any]) -> Any:
    """A copy of ``box`` with ``children`` (``copy_with_children`` would reset the sides
    the original's decoration was cut on)."""
    copy = box.copy()
    copy.children = children
    return copy


def _mend_lists(pdf: Any, kinds: dict[int, str]) -> None:
    """Each ``LI`` element a label (``Lbl``) and one body (``LBody``) holding all the
    item's content, each list nested in an item inside that item's body, and each term of
    a description list with its descriptions one item.

    WeasyPrint makes a body of the item's first lines only: the block elements of an item
    (a source's publisher and note, a loose Markdown list's paragraphs) were elements of
    the ``LI`` beside its body, or beside its label with no body at all; and it puts a list
    nested in an item in the list around, after the item, as a list of its own."""
    elements = [
        element
        for element in pdf.objects
        if isinstance(element, pydyf.Dictionary) and element.get("Type") == "/StructElem"
    ]
    for element in elements:
        if element.get("S") == "/LI":  # (not a body emptied by _gather_body)
            _gather_body(pdf, element)
    for element in elements:
        if element.get("S") == "/L":
            _nest_lists(pdf, element)
            _pair_terms(pdf, element, kinds)
            if kinds.get(element.number) == "nav":
                _as_contents(pdf, element)


def _pair_terms(pdf: Any, element: Any, kinds: dict[int, str]) -> None:
    """Each term of a description list (``dt``) and the descriptions after it (``dd``)
    one item: the term its label, the descriptions its body.

    WeasyPrint makes an item of each term and of each description: the people index read
    as a list of twice as many items as people, each person's name an item apart from what
    is said of them. PDF/UA reads a name that identifies an item as its label (``Lbl``,
    ISO 32000-1, 14.8.4.3.3), as HTML pairs a ``dt`` with its ``dd``. A description that
    says nothing (a person with no role and no events) is left out."""
    kept: list[Any] = []
    term = None
    for reference in element["K"]:
        kid = _element(pdf, reference)
        kind = kinds.get(kid.number) if kid is not None and kid.get("S") == "/LI" else None
        body = _only_body(pdf, kid) if kind is not None else None
        if body is None:
            term = None
        elif kind == "dt":
            body["S"] = "/Lbl"
            term = kid
        elif term is not None:
            # A description of the term before: its body goes into the term's item.
            if body["K"]:
                _into_body(pdf, term, body)
            else:
                _drop(body)
            _drop(kid)
            continue
        kept.append(reference)
    element["K"] = pydyf.Array(kept)


def _as_contents(pdf: Any, element: Any) -> None:
    """A list of a ``nav`` element whose items are each a link to a place in the document
    (the contents) tagged as a table of contents: ``TOC`` > ``TOCI`` > ``Reference`` >
    ``Link``.

    WeasyPrint tags a ``nav`` element as ``NonStruct``, which says nothing, and its list
    as any list. ISO 32000-1 (14.8.4.2) has a table of contents its own type, ``TOC``, of
    items (``TOCI``) that hold a label and a reference to the title and page (``Reference``,
    around the ``Link``, as the PDF Association's Tagged PDF Best Practice Guide tags a
    linked entry): a reader that knows it (Chrome's viewer) announces the contents as
    such, and Acrobat reads it as a list of so many items, as it does a list. A list with
    any other item (not a single link into the document) is left a list."""
    items = [_element(pdf, reference) for reference in element["K"]]
    if not items or not _all_elements(items):
        return
    references = [_entry_body(pdf, item) for item in items]
    if any(reference is None for reference in references):
        return
    element["S"] = "/TOC"
    for item, reference in zip(items, references, strict=True):
        item["S"] = "/TOCI"
        reference["S"] = "/Reference"


def _entry_body(pdf: Any, item: Any) -> Any:
    """The body of a list item that holds, besides its label, one body holding one link to
    a place in the document (an entry of the contents), else None."""
    if item["S"] != "/LI":
        return None
    kids = [_element(pdf, reference) for reference in item["K"]]
    if not kids or not _all_elements(kids):
        return None
    *labels, body = kids
    if any(label["S"] != "/Lbl" for label in labels):
        return None
    inner = [_element(pdf, reference) for reference in body["K"]]
    if body["S"] != "/LBody" or len(inner) != 1 or not _all_elements(inner):
        return None
    return body if inner[0]["S"] == "/Link" and _leads_into_document(pdf, inner[0]) else None


def _leads_into_document(pdf: Any, link: Any) -> bool:
    """Whether a ``Link`` element's annotations go to a place in the document (``/Dest``),
    not to an address."""
    annotations = [
        _element(pdf, kid["Obj"])
        for kid in map(functools.partial(_element, pdf), link["K"])
        if kid is not None and kid.get("Type") == "/OBJR"
    ]
    return bool(annotations) and all("Dest" in annotation for annotation in annotations)


def _only_body(pdf: Any, item: Any) -> Any:
    """The item's body, where it holds that alone (as WeasyPrint makes a ``dt``'s or a
    ``dd``'s item), else None."""
    kids = [_element(pdf, reference) for reference in item["K"]]
    if len(kids) == 1 and _all_elements(kids) and kids[0]["S"] == "/LBody":
        return kids[0]
    return None


def _into_body(pdf: Any, item: Any, body: Any) -> None:
    """``body`` the body of ``item``, after its label; or, where it has a body already (a
    term with two descriptions), its content appended to that body's."""
    last = _element(pdf, item["K"][-1])
    if last["S"] != "/LBody":
        body["P"] = item.reference
        item["K"].append(body.reference)
        return
    for reference in body["K"]:
        inner = _element(pdf, reference)
        if inner is not None and inner.get("Type") == "/StructElem":
            inner["P"] = last.reference
    last["K"].extend(body["K"])
    _drop(body)


def _drop(element: Any) -> None:
    """An element left out of the tree: nothing refers to it any longer."""
    if _languages.of is not None:
        _languages.of.pop(element.number, None)
    element.clear()


def _element(pdf: Any, reference: Any) -> Any:
    """The object a reference (``b"12 0 R"``) names, or None for marked content (a number,
    or a reference to marked content on another page)."""
    if not isinstance(reference, bytes):
        return None
    return pdf.objects[int(reference.split()[0])]


def _gather_body(pdf: Any, item: Any) -> None:
    """The item's content, but its label, in one ``LBody`` after the label. An item that
    holds marked content or an annotation itself, not through elements, is left as it is:
    the parent tree names the element that holds those."""
    kids = [_element(pdf, reference) for reference in item["K"]]
    if not _all_elements(kids):
        return
    shape = [kid["S"] for kid in kids]
    labels = [kid.reference for kid in kids if kid["S"] == "/Lbl"]
    if shape == ["/Lbl"] * len(labels) + ["/LBody"]:
        return  # its label and one body already
    bodies = [kid for kid in kids if kid["S"] == "/LBody"]
    content: list[bytes] = []
    for kid in kids:
        if kid["S"] == "/LBody":
            if not _all_elements([_element(pdf, inner) for inner in kid["K"]]):
                return
            content.extend(kid["K"])
        elif kid["S"] != "/Lbl":
            content.append(kid.reference)
    if not content:
        return  # a label alone (an item's marker at the foot of a page)
    body = bodies[0] if bodies else _new_body(pdf, item)
    for dropped in bodies[1:]:
        # Its content moves into the first body: nothing refers to it any longer.
        dropped.clear()
        if _languages.of is not None:
            _languages.of.pop(dropped.number, None)
    for reference in content:
        _element(pdf, reference)["P"] = body.reference
    body["K"] = pydyf.Array(content)
    item["K"] = pydyf.Array([*labels, body.reference])


def _all_elements(kids: list[Any]) -> bool:
    """Whether each of ``kids`` is a structure element (not marked content, not an
    annotation's reference)."""
    return all(kid is not None and kid.get("Type") == "/StructElem" for kid in kids)


def _new_body(pdf: Any, item: Any) -> Any:
    """An empty ``LBody`` for ``item``, on its page, in its language."""
    body = pydyf.Dictionary(
        {
            "Type": "/StructElem",
            "S": "/LBody",
            "K": pydyf.Array(),
            "Pg": item["Pg"],
            "P": item.reference,
        }
    )
    pdf.add_object(body)
    if _languages.of is not None and item.number in _languages.of:
        _languages.of[body.number] = _languages.of[item.number]
    return body


def _nest_lists(pdf: Any, element: Any) -> None:
    """Each list that WeasyPrint put in ``element`` after an item moved into that item's
    body, as the HTML nests it."""
    kept, item = [], None
    for reference in element["K"]:
        kid = _element(pdf, reference)
        if item is not None and kid is not None and kid.get("S") == "/L":
            body = _element(pdf, item["K"][-1]) if item["K"] else None
            if body is not None and body.get("S") == "/LBody":
                body["K"].insert(_place_in(pdf, body["K"], _first_mark(pdf, kid)), reference)
                kid["P"] = body.reference
                continue
            # An item left as WeasyPrint made it (_gather_body): the list stays beside it.
        kept.append(reference)
        if kid is not None and kid.get("S") == "/LI":
            item = kid
    element["K"] = pydyf.Array(kept)


def _place_in(pdf: Any, kids: list[Any], mark: int | None) -> int:
    """Where an element whose first marked content is ``mark`` goes among ``kids`` (of the
    same page): before the first drawn after it. WeasyPrint draws an item's content in the
    order it is written, and numbers the marked content as it draws, so a paragraph after
    the nested list in the item stays after it."""
    if mark is not None:
        for index, reference in enumerate(kids):
            kid = _element(pdf, reference)
            first = _own_mark(reference) if kid is None else _first_mark(pdf, kid)
            if first is not None and first > mark:
                return index
    return len(kids)


def _own_mark(reference: Any) -> int | None:
    """A marked-content number an element holds on its own page, or None (marked content
    of another page, which comes after its page's)."""
    return reference if isinstance(reference, int) else None


def _first_mark(pdf: Any, element: Any) -> int | None:
    """The least marked-content number an element (a structure element, an annotation's
    reference) holds on its page, through the elements inside it."""
    if element.get("Type") != "/StructElem":
        return None
    marks = []
    for reference in element["K"]:
        kid = _element(pdf, reference)
        mark = _own_mark(reference) if kid is None else _first_mark(pdf, kid)
        if mark is not None:
            marks.append(mark)
    return min(marks, default=None)


@once
def install_columns() -> None:
    """Have an element set in columns tagged as one element (once per process)."""
    build = weasyprint.pdf.tags._build_box_tree

    @functools.wraps(build)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        if (
            getattr(box, "is_column", False)
            and own_layout.active()
            and not any(isinstance(child, boxes.LineBox) for child in box.children)
        ):
            # A column (layout/column.py: _create_column_box) of the element's box: its
            # boxes are the element's, as WeasyPrint leaves html and body out of the tree.
            for child in box.children:
                yield from weasyprint.pdf.tags._build_box_tree(child, *args, **kwargs)
            return
        yield from build(box, *args, **kwargs)

    weasyprint.pdf.tags._build_box_tree = build_box_tree


class _Sources(threading.local):
    """Per thread, while ``add_tags`` runs: the box each structure element was made for, as
    its element and tag (``li``, ``li::marker``), by the element's object number."""

    def __init__(self) -> None:
        self.of: dict[int, tuple[Any, str]] | None = None


_sources = _Sources()

#: Elements kept one to a page: a table's header, set again on each page it runs over,
#: would be read again as a second header of one table.
_TABLE_PARTS = frozenset({"/Table", "/THead", "/TBody", "/TFoot", "/TR", "/TH", "/TD"})


@once
def install_whole_elements() -> None:
    """Have an element that runs over a page or line break tagged as one element (once
    per process)."""
    add_tags = weasyprint.pdf.add_tags

    @functools.wraps(add_tags)
    def add_tags_whole(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        if not own_layout.active():  # a document of the caller's own (own_layout.py)
            return add_tags(pdf, *args, **kwargs)
        _sources.of = {}
        try:
            result = add_tags(pdf, *args, **kwargs)
            _join_pages(pdf, _sources.of)
            root = _element(pdf, pdf.catalog["StructTreeRoot"])
            _drop_empty(pdf, _element(pdf, root["K"][0]))
        finally:
            _sources.of = None
        return result

    weasyprint.pdf.add_tags = add_tags_whole

    build = weasyprint.pdf.tags._build_box_tree

    @functools.wraps(build)
    def build_box_tree(box: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        sources = _sources.of
        for element in build(box, *args, **kwargs):
            # First yielded by the call for its own box (as in _recording).
            if sources is not None and box.element is not None:
                sources.setdefault(element.number, (box.element, box.element_tag))
            yield element

    weasyprint.pdf.tags._build_box_tree = build_box_tree


def _join_pages(pdf: Any, sources: dict[int, tuple[Any, str]]) -> None:
    """The elements WeasyPrint made of one element on each page or line it runs over,
    joined.

    WeasyPrint builds the tree a page at a time: a box that a page break splits makes an
    element on each page, and so does each box around it. The sample's ``main`` was five
    ``Part`` elements, one a page, its timeline three ``Div``, the people's section two
    ``Sect`` and their list two lists; a paragraph broken by a page was two paragraphs. A
    line break splits an inline box the same way: a link over two lines was two ``Link``
    elements. An element and the next, of the same box's element and type on a later page
    or line, are one: the second's content follows the first's, and then, where the first's
    last element and the second's first are one element too, theirs, down the tree."""
    root = _element(pdf, pdf.catalog["StructTreeRoot"])
    replaced: dict[bytes, bytes] = {}
    _join_pieces(pdf, sources, replaced, _element(pdf, root["K"][0]))
    if not replaced:
        return

    # The parent tree names the element holding each piece of marked content and each
    # annotation: a joined element's, the one it is part of now.
    def joined(reference: bytes) -> bytes:
        while reference in replaced:  # an element joined to one joined in turn
            reference = replaced[reference]
        return reference

    nums = _element(pdf, root["ParentTree"])["Nums"]
    for index in range(1, len(nums), 2):
        if isinstance(nums[index], bytes):
            nums[index] = joined(nums[index])
        else:
            nums[index] = pydyf.Array(joined(each) for each in nums[index])


def _join_pieces(
    pdf: Any, sources: dict[int, tuple[Any, str]], replaced: dict[bytes, bytes], element: Any
) -> None:
    """Each element that ``element`` holds and the pieces of it that follow it, joined; and
    so, down the tree.

    The pieces of an element over a page break follow one another in the document's
    elements, a page's after the page before (and then, down the tree, where they meet).
    So do those of an element broken over lines, as a link is, whose pieces WeasyPrint made
    a ``Link`` each, one a line."""
    kept: list[Any] = []
    for reference in element["K"]:
        if kept and _continues(pdf, sources, kept[-1], reference):
            _join(pdf, sources, replaced, _element(pdf, kept[-1]), _element(pdf, reference))
        else:
            kept.append(reference)
    element["K"] = pydyf.Array(kept)
    for reference in kept:
        kid = _element(pdf, reference)
        if kid is not None and kid.get("Type") == "/StructElem":
            _join_pieces(pdf, sources, replaced, kid)


def _continues(pdf: Any, sources: dict[int, tuple[Any, str]], first: Any, then: Any) -> bool:
    """Whether the element ``then`` is the rest, on a later page or line, of the element
    before it, ``first``: made for boxes of one element, of one type."""
    before, after = _element(pdf, first), _element(pdf, then)
    if before is None or after is None or not _all_elements([before, after]):
        return False
    source = sources.get(before.number)
    return (
        source is not None
        and before["S"] == after["S"]
        and before["S"] not in _TABLE_PARTS
        and (other := sources.get(after.number)) is not None
        and other[0] is source[0]
        and other[1] == source[1]
    )


def _join(
    pdf: Any,
    sources: dict[int, tuple[Any, str]],
    replaced: dict[bytes, bytes],
    element: Any,
    rest: Any,
) -> None:
    """``rest``'s content appended to ``element``'s, ``rest`` left out of the tree."""
    kids = list(element["K"])
    junction = len(kids)
    for kid in rest["K"]:
        inner = _element(pdf, kid)
        if isinstance(kid, int) and rest["Pg"] != element["Pg"]:
            # A number names marked content on the element's own page (/Pg): one on
            # another page is a marked-content reference.
            kid = pydyf.Dictionary({"Type": "/MCR", "Pg": rest["Pg"], "MCID": kid})
        elif inner is not None and inner.get("Type") == "/StructElem":
            inner["P"] = element.reference
        kids.append(kid)
    if 0 < junction < len(kids) and _continues(pdf, sources, kids[junction - 1], kids[junction]):
        _join(
            pdf, sources, replaced, _element(pdf, kids[junction - 1]), _element(pdf, kids[junction])
        )
        del kids[junction]
    element["K"] = pydyf.Array(kids)
    replaced[rest.reference] = element.reference
    sources.pop(rest.number, None)
    if _languages.of is not None:
        _languages.of.pop(rest.number, None)
    rest.clear()  # nothing refers to it any longer


def _drop_empty(pdf: Any, element: Any) -> bool:
    """The elements inside ``element`` that hold nothing, no marked content and no
    annotation, through the elements inside them, left out of the tree; and whether
    ``element`` itself then holds nothing (the document's element stays, whatever it holds).
    The parent tree names no such element: it names those that hold content."""
    kept = []
    for reference in element["K"]:
        kid = _element(pdf, reference)
        if kid is not None and kid.get("Type") == "/StructElem" and _drop_empty(pdf, kid):
            _drop(kid)
            continue
        kept.append(reference)
    element["K"] = pydyf.Array(kept)
    return not kept


@once
def install_spaces() -> None:
    """Have the ``Span`` of a text box say its text as it is read: one that holds only a
    space, one whose space the end of its line took off, and one whose word the end of its
    line hyphenated (once per process)."""
    remove = weasyprint.layout.inline.remove_last_whitespace

    @functools.wraps(remove)
    def remove_last_whitespace(context: Any, line: Any) -> Any:
        last = _last_text(line)
        text = last.text if last is not None else None
        removed = remove(context, line)
        if last is not None and own_layout.active() and last.text != text:
            setattr(last, _LINE_END_SPACE, True)
        return removed

    weasyprint.layout.inline.remove_last_whitespace = remove_last_whitespace
    split = weasyprint.layout.inline.split_text_box

    @functools.wraps(split)
    def split_text_box(
        context: Any, box: Any, width: Any, skip: int, *args: Any, **kwargs: Any
    ) -> Any:
        split_box, resume, preserved = result = split(context, box, width, skip, *args, **kwargs)
        if split_box is not None and resume is not None and own_layout.active():
            # The spaces between this line's text and the next line's, which neither holds.
            text = box.text.encode()
            between = text[skip + len(split_box.text.encode()) : resume]
            if between and not between.strip(b" ") and not preserved:
                setattr(split_box, _LINE_END_SPACE, True)
            hyphen = box.style["hyphenate_character"]
            drawn = split_box.text.encode()
            if hyphen and split_box.text.endswith(hyphen) and text[skip:][: len(drawn)] != drawn:
                # (A hyphen of the text's own, ``Supply-`` ``chain``, is the text's.)
                setattr(split_box, _ADDED_HYPHEN, hyphen)
        return result

    weasyprint.layout.inline.split_text_box = split_text_box
    build = weasyprint.pdf.tags._build_box_tree

    @functools.wraps(build)
    def build_box_tree(
        box: Any, parent: Any, pdf: Any, page: Any, nums: Any, annotations: Any, tags: Any
    ) -> Iterator[Any]:
        if not own_layout.active():
            yield from build(box, parent, pdf, page, nums, annotations, tags)
            return
        # Their marked-content numbers now: the call takes them out of ``tags``.
        spaces = {tags[child]["mcid"]: text for child, text in _spaces_in(box) if child in tags}
        yield from build(box, parent, pdf, page, nums, annotations, tags)
        for mcid, text in spaces.items():
            element = _element(pdf, nums.get(mcid))
            # (A text box of a link's own is the Link's content: the link has text.)
            if element is not None and element["S"] == "/Span" and list(element["K"]) == [mcid]:
                element["ActualText"] = pydyf.String(text)

    weasyprint.pdf.tags._build_box_tree = build_box_tree


#: Set on a text box whose space at its end the end of its line took off: the space left
#: out where the line breaks (``split_text_box``), or taken off the line afterwards
#: (``remove_last_whitespace``).
_LINE_END_SPACE = "briefgen_line_end_space"

#: Set on a text box whose word the end of its line hyphenated: the hyphen added.
_ADDED_HYPHEN = "briefgen_added_hyphen"


def _last_text(line: Any) -> Any:
    """The text box at the end of ``line`` that ``remove_last_whitespace`` looks at (its
    last child's last child…), or None."""
    box = line
    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        box = box.children[-1]
    return box if isinstance(box, boxes.TextBox) else None


def _spaces_in(box: Any) -> Iterator[tuple[Any, str]]:
    """The text boxes of ``box``'s own (on its lines) whose text is not read as the page
    draws it, each with its text as it is read: white space alone; a line's last text
    whose space the line's end took off; a word the line's end hyphenated, without the
    hyphen."""
    if not isinstance(box, boxes.ParentBox):
        return
    # By line: a block's lines, and the children of an inline box's own (on one line).
    lines = [child.children for child in box.children if isinstance(child, boxes.LineBox)]
    lines.append([child for child in box.children if not isinstance(child, boxes.LineBox)])
    for kids in lines:
        texts = [kid for kid in kids if isinstance(kid, boxes.TextBox)]
        for kid in texts:
            # Only the last text of the line ends it: the pieces briefgen/justify.py cuts a
            # line's last text box into are its copies, marks and all, and each read as
            # ending the line put a space after every piece (達 到 40 ℃ ，).
            last = kid is texts[-1]
            hyphen = getattr(kid, _ADDED_HYPHEN, "") if last else ""
            if hyphen and kid.text.endswith(hyphen):
                yield kid, kid.text[: -len(hyphen)]
            elif last and getattr(kid, _LINE_END_SPACE, False):
                yield kid, kid.text + " "
            elif kid.text and not kid.text.strip():
                yield kid, kid.text


@once
def install_emphasis() -> None:
    """Have an emphasised character's text the content of the emphasis's element, its own
    span making no element (once per process)."""
    build = weasyprint.pdf.tags._build_box_tree

    @functools.wraps(build)
    def build_box_tree(
        box: Any, parent: Any, pdf: Any, page: Any, nums: Any, annotations: Any, tags: Any
    ) -> Iterator[Any]:
        if not own_layout.active() or not is_dot(box) or box.link_annotation:
            yield from build(box, parent, pdf, page, nums, annotations, tags)
            return
        texts = [child for child in box.children if isinstance(child, boxes.TextBox)]
        if len(texts) != len(box.children):
            yield from build(box, parent, pdf, page, nums, annotations, tags)
            return
        # As WeasyPrint gives a link's text to the Link itself: the element around the span
        # (its parent's K, in which the span's elements would have gone here) holds it.
        for text in texts:
            mcid = tags.pop(text)["mcid"]
            parent["K"].append(mcid)
            nums[mcid] = parent.reference

    weasyprint.pdf.tags._build_box_tree = build_box_tree
