"""The printable PDF, laid out by WeasyPrint from the print stylesheet."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import io
import logging
import re
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import cssselect2  # type: ignore[import-untyped]
import pydyf
import weasyprint
from weasyprint.document import Document

from .. import (
    assets,
    crop_marks,
    drawing_limit,
    emphasis_dots,
    fonts,
    html_tree,
    justify,
    margin_boxes,
    note_styles,
    own_layout,
    page_limit,
    pdf_text,
    repaginate,
    tagging,
    word_breaks,
)
from ..autospace import AUTOSPACE, gaps_after
from ..collector import collector_paused
from ..coverage import undrawn_characters
from ..errors import BuildError, display_path, warn
from ..fetch import BriefingFetcher
from ..i18n import language
from ..markdown import block_texts, dot_spans
from ..model import Briefing, Event
from ..options import IMPOSED, BuildOptions, Paper, points
from ..render import event_id, print_image_alt, render, template_folders
from ..sheet import SHEET_PAGES, first_sentence, overflow_error
from ..timeline import figure, text_width
from ..userfonts import drawn_width, faces
from ..values import shortened
from . import pdf_parts
from .pdf_fonts import font_configuration
from .pdf_pictures import left_empty, picture_heights, pictures_heading_pages, pictures_to_move

log = logging.getLogger("briefgen")


class PdfBuilder:
    name = "pdf"
    suffix = ".pdf"

    def render(self, briefing: Briefing, options: BuildOptions) -> bytes:
        return render_pdf(briefing, options)


class PrintHtmlBuilder:
    """The HTML document the PDF builder hands to WeasyPrint (``--keep-html``), its fonts,
    images and stylesheets given as absolute file addresses, so that anyone can time or
    debug WeasyPrint alone on it. Its contents' page numbers are CSS ``target-counter()``s,
    which WeasyPrint fills in alone; briefgen's own build sets the same numbers after
    layout instead (:func:`contents_numbered_after_layout`). A picture that the PDF sets
    after its event's text, found by laying the document out (builders/pdf_pictures.py),
    stands under its heading here."""

    name = "print-html"
    suffix = ".print.html"

    def render(self, briefing: Briefing, options: BuildOptions) -> bytes:
        return print_html(briefing, options).encode("utf-8")


def print_html(
    briefing: Briefing,
    options: BuildOptions,
    measured: dict[str, Any] | None = None,
    pictures: assets.PrintAssets | None = None,
    **extra: Any,
) -> str:
    """The HTML the PDF is laid out from: the print stylesheet, the shipped fonts by file;
    for ``--handout sheet``, the one-sheet handout's template and stylesheet. ``measured``:
    :func:`measure`'s values, if already worked out; ``pictures``: gathers the template
    folders' pictures the templates show, for the fetcher; ``extra``: for one part of a PDF
    laid out in parts (builders/pdf_parts.py)."""
    sheet = options.handout == "sheet"
    if pictures is None:
        pictures = assets.PrintAssets(template_folders(briefing, options))
    # Emphasised CJK characters in spans of their own, whose dots print.css paints.
    with dot_spans():
        return render(
            "sheet.html" if sheet else "briefing.html",
            briefing,
            options,
            stylesheet="css/sheet.css" if sheet else "css/print.css",
            first_sentence=first_sentence,
            # The PDF's Subject: what the briefing is about, in a line. Without a subtitle it
            # is left undefined, and briefing.html makes the line of the summary (a template
            # exported before one_line defaults it to the summary through plain).
            **({"description": briefing.subtitle} if briefing.subtitle else {}),
            font_css=fonts.font_face_css(lambda face: face.path.as_uri(), faces(briefing)),
            image_src=lambda event: _image_url(event),
            image_alt=print_image_alt,
            asset=pictures,
            # The picture of the events without its own links: the PDF's are laid over it.
            timeline=lambda events_href: figure(
                briefing, language(briefing.lang), options, events_href, event_id, linked=False
            ),
            # A long briefing's events and back matter begin pages of their own (print.css),
            # which also lets its PDF lay them out apart from the contents (pdf_parts.py).
            sections_on_new_pages=len(briefing.events) >= pdf_parts.PARTS_FROM,
            **(measure(briefing, options) if measured is None else measured),
            **extra,
        )


def measure(briefing: Briefing, options: BuildOptions) -> dict[str, Any]:
    """What the print templates are given that is measured over the whole briefing: worked
    out once for all the parts of a PDF laid out in parts (a tenth of a second each at
    1,000 events)."""
    title, periods = running_header(briefing, options.paper_size)
    return {
        "toc_label_width": toc_label_width(briefing, options.paper_size),
        "long_events": long_events(briefing, options.paper_size),
        "long_leads": long_leads(briefing, options.paper_size),
        "long_summary": long_summary(briefing, options.paper_size),
        "long_people": long_people(briefing, options.paper_size),
        "long_sources": long_sources(briefing, options.paper_size),
        "running_title": title,
        "running_periods": periods,
    }


#: The running header's type size (print.css), in points.
_HEADER_SIZE = 8.0


def _header_width(text: str, briefing: Briefing) -> float:
    """How wide ``text`` is drawn in the running header, in points: the heading face at its
    size, with the quarter em the PDF puts between Han and Latin (briefgen/justify.py)."""
    return _heading_width(text, briefing) * _HEADER_SIZE


def _heading_width(text: str, briefing: Briefing) -> float:
    """How wide ``text`` is drawn in the heading face, in em, with its quarter-em gaps."""
    gaps = AUTOSPACE * len(gaps_after(text))
    return drawn_width(text, 1.0, briefing, "heading") + gaps


def running_title(briefing: Briefing, paper: Paper) -> str:
    """The briefing's title as the running header shows it (:func:`running_header`)."""
    return running_header(briefing, paper)[0]


def running_header(briefing: Briefing, paper: Paper) -> tuple[str, dict[int, str]]:
    """The running header's two sides, each on one line: the briefing's title, beside the
    widest thing its right side names (an event's period, the contents, the people, the
    sources) with an em between; and the events' periods too long to leave the title a
    third of the line, by index. Each is cut with an ellipsis where it is too long for its
    room, as WeasyPrint 70 neither clips a page's margin box nor draws ``text-overflow`` in
    it: a period of a briefing's own (``when:``) as long as the line drew over the title."""
    labels = language(briefing.lang)
    periods = [labels.period(event) for event in briefing.events]
    widths = [_header_width(text, briefing) for text in periods]
    most = text_width(paper) * 2 / 3 - 2 * _HEADER_SIZE
    named = [labels.contents, labels.people, labels.sources]
    widest = min(max(widths + [_header_width(text, briefing) for text in named]), most)
    room = text_width(paper) - widest - 2 * _HEADER_SIZE
    title = " ".join(briefing.title.split())  # one line: the header has no room for more
    cut = {
        index: _cut(period, most, briefing)
        for index, (period, width) in enumerate(zip(periods, widths, strict=True))
        if width > most
    }
    return _cut(title, room, briefing), cut


def _cut(text: str, room: float, briefing: Briefing) -> str:
    """``text`` as it fits in ``room`` points of the running header: whole, or its longest
    start that fits with an ellipsis after it."""
    if _header_width(text, briefing) <= room:
        return text
    # A binary search, since a title can be thousands of characters long.
    shortest, longest = 0, len(text)
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        if _header_width(text[:middle].rstrip() + "…", briefing) <= room:
            shortest = middle
        else:
            longest = middle - 1
    return text[:shortest].rstrip() + "…"


#: The body text's size and line height in the PDF (base.css, print.css), for estimating.
_BODY_SIZE = 10.5
_LINE_HEIGHT = 1.8 * _BODY_SIZE
#: The space after a paragraph (0.6em), in lines.
_PARAGRAPH_GAP = 0.6 / 1.8
#: A row of people and tag chips under an event (base.css, print.css: 0.8em type on lines
#: 2.1 high, 0.3em above them), in lines.
_CHIPS_ROW = (0.3 + 2.1) * 0.8 / 1.8


def long_events(briefing: Briefing, paper: Paper) -> frozenset[int]:
    """The indices of the events estimated to take more than half a page on ``paper``.

    print.css keeps an event on one page; these may break (heading and two lines still kept
    together), since moving one whole to the next page could leave more than half a page
    empty. The estimate sets each paragraph and list item in one long line with the shipped
    face's advances and cuts it into lines of the text block's width, and counts the row of
    chips under it: read as one paragraph, a list of three short items counted one line, and
    with the chips left out too, an event estimated under half an A5 page was kept whole
    and left the page before it more than half empty. An event with an image is left out
    (kept whole where it fits), since the image's height is not known before layout."""
    width = text_width(paper)
    half_page = _half_page(paper)
    found = set()
    for index, event in enumerate(briefing.events):
        lines = 2.0  # the heading and the gap above it
        for text in block_texts(event.body):
            lines += _lines(text, width, briefing) + _PARAGRAPH_GAP
        if event.people or event.tags:
            lines += _CHIPS_ROW
        if lines > half_page and event.image is None:
            found.add(index)
    return frozenset(found)


def long_summary(briefing: Briefing, paper: Paper) -> bool:
    """Whether the summary is estimated to take more than half a page on ``paper``, as
    :func:`long_events` estimates an event's text.

    print.css keeps the summary's box on one page; such a summary may break (its heading
    and two lines still kept together). Kept whole, a summary of a page and more went over
    to the second page, which it could not hold either: on A5, the first page held the
    title alone, three quarters of it left empty, and the box broke on the second all the
    same."""
    lines = 2.0  # the heading and the gap above it
    for text in block_texts(briefing.summary or ""):
        lines += _lines(text, text_width(paper), briefing) + _PARAGRAPH_GAP
    return lines > _half_page(paper)


#: The lines of its text that print.css keeps with an event's heading (orphans: 2).
_KEPT_WITH_HEADING = 2


def long_leads(briefing: Briefing, paper: Paper) -> frozenset[int]:
    """The indices of the events whose text opens with a paragraph estimated to take more
    lines on ``paper`` than the heading keeps with it (a line more, for the estimate's sake).

    print.css keeps an event's first paragraph with what follows it, so that a heading over
    a paragraph of one line keeps two lines of text; of a longer paragraph, its orphans keep
    two lines under the heading, and the rule only split it: an English paragraph of six
    lines, whose one-line successor would not fit under it, left two of its lines (and a word
    hyphenated at the foot) over the page and two lines empty above them. These may break
    after their first paragraph (the `long-lead` class)."""
    width = text_width(paper)
    found = set()
    for index, event in enumerate(briefing.events):
        texts = block_texts(event.body)
        if texts and _lines(texts[0], width, briefing) > _KEPT_WITH_HEADING:
            found.add(index)
    return frozenset(found)


#: The indent of a person's description under their name (base.css: 2em), in points.
_DESCRIPTION_INDENT = 2 * _BODY_SIZE


def long_people(briefing: Briefing, paper: Paper) -> frozenset[int]:
    """The indices of the people whose description (role and the periods they appear in) is
    estimated to take more than half a page on ``paper``, as :func:`long_events` estimates
    an event's text.

    print.css keeps a description on one page, and with its person's name; these may break
    (the name and two lines still kept together). A description kept whole that was taller
    than the page was pushed to a page of its own by WeasyPrint, and broken there all the
    same: its name was left alone at the foot of the page before, and the index's heading
    alone on a page above the first. Half a page, not a page, for the reason events break:
    moved whole, it could leave more than half the page before it empty."""
    width = text_width(paper) - _DESCRIPTION_INDENT
    half_page = _half_page(paper)
    found = set()
    for index, person in enumerate(briefing.people):
        lines = 2.0  # the name and the gap above it
        if person.role:
            lines += _lines(person.role, width, briefing)
        lines += 1  # the periods they appear in, on a line or so in smaller type
        if lines > half_page:
            found.add(index)
    return frozenset(found)


def long_sources(briefing: Briefing, paper: Paper) -> frozenset[int]:
    """The indices of the sources whose entry (its title, publisher and date, address and
    note) is estimated to take more than half a page on ``paper``, as :func:`long_people`
    estimates a person's description.

    print.css keeps a source's entry on one page; these may break (the title kept with two
    lines of the note). Kept whole, a source with a note of a page went over to a page of its
    own, which could not hold it either, and left the page before it more than half empty."""
    width = text_width(paper) - _DESCRIPTION_INDENT
    half_page = _half_page(paper)
    found = set()
    for index, source in enumerate(briefing.sources):
        lines = 2.0 + bool(source.url)  # the title, the publisher and date, the address
        if source.note:
            lines += _lines(source.note, width, briefing)
        if lines > half_page:
            found.add(index)
    return frozenset(found)


def _half_page(paper: Paper) -> float:
    """Half the text block's height on ``paper``, in lines of body text."""
    margin = [points(length) for length in paper.margin.split()]
    top, bottom = margin[0], margin[2 if len(margin) > 2 else 0]
    return (points(paper.height) - top - bottom) / _LINE_HEIGHT / 2


def _lines(text: str, width: float, briefing: Briefing) -> float:
    """How many lines of ``width`` points ``text`` takes, set in one long line of body text
    with the shipped face's advances and cut."""
    return -(-drawn_width(text, _BODY_SIZE, briefing, "body") // width)


#: The most of the text block's width the contents' label column takes; longer labels wrap.
_MOST_FOR_LABELS = 0.5


def toc_label_width(briefing: Briefing, paper: Paper) -> float:
    """The width, in em, of the contents' column of date labels: the widest label as the
    heading face draws it (the briefing's own, where it has one), with the quarter em the
    PDF puts between Han and Latin (briefgen/justify.py); with the em of room print.css
    keeps before the titles, at most half the text block, so that a long label of the
    briefing's own leaves the titles their room (it wraps in its column)."""
    labels = language(briefing.lang)
    widest = max(_heading_width(text, briefing) for text in map(labels.period, briefing.events))
    most = _MOST_FOR_LABELS * text_width(paper) / _BODY_SIZE
    return round(min(widest, most - 1.0), 3)


def render_pdf(briefing: Briefing, options: BuildOptions) -> bytes:
    """The briefing as a PDF on ``options.paper``: table of contents with page numbers,
    bookmarks, metadata; with crop marks (``options.marks``) or imposed as a handout
    (``options.handout``)."""
    measured = measure(briefing, options)
    numbered_after = contents_numbered_after_layout(briefing, options)
    pictures = assets.PrintAssets(template_folders(briefing, options))
    html = print_html(
        briefing,
        options,
        measured,
        pictures,
        **({"toc_pages": pdf_parts.StandIn()} if numbered_after else {}),
    )
    # WeasyPrint reads the fonts through the fetcher, which hands it subsets cut by HarfBuzz
    # in milliseconds, and embeds them as they are (full_fonts). Left to subset them itself,
    # it would use libharfbuzz-subset where the system has it, and fontTools (2-3 s more,
    # and a warning) where it does not; this way the PDF is the same on every machine.
    # With full_fonts, WeasyPrint takes each glyph's ToUnicode entry (what copy and search
    # give back) from the subset's cmap, which fonts.subset keeps exact for that reason.
    subsets = _subsets(briefing, html)
    for face in faces(briefing):
        log.info("PDF font %s: %d bytes", face.file, len(subsets[face.path.as_uri()]))
    fetcher = _fetcher(briefing, subsets, pictures)
    base_url = briefing.folder.as_uri() + "/" if briefing.folder else None
    # cjk_justification: CJK lines flush at both edges; it patches WeasyPrint's layout for
    # this thread's render only (see briefgen/justify.py). repaginate: the contents pages
    # laid out twice, not three times (see briefgen/repaginate.py). tagging: the structure
    # tree's page references built once, not once per element, the language of text in
    # another one marked in it, each link described by its text, and one annotation and
    # one Link element where a link's boxes lie one inside another, the running header
    # and footer as pagination artifacts, a space between two elements said by its Span,
    # and an emphasis one run of text (briefgen/tagging.py).
    # margin_boxes: the running header and footer sized without measuring their text at
    # every break (see briefgen/margin_boxes.py). note_styles: no footnote and note styles
    # for every element of a document without footnotes or notes (briefgen/note_styles.py).
    # word_breaks: Korean lines broken between words only (briefgen/word_breaks.py).
    # emphasis_dots: a line's emphasis dots drawn after its text, which then copies back as
    # one line (briefgen/emphasis_dots.py). drawing_limit: an SVG drawing that asks for
    # more shapes than a picture needs (<use> of <use>…) left out, not drawn for hours
    # (briefgen/drawing_limit.py). The
    # mends that change what WeasyPrint makes apply inside own_layout.briefing_layout() only:
    # WeasyPrint lays out the caller's own documents as it would without briefgen.
    repaginate.install()
    tagging.install()
    # Each before the ones after it, which work on the tree it leaves.
    tagging.install_whole_elements()
    tagging.install_lists()
    tagging.install_columns()
    tagging.install_languages()
    tagging.install_link_descriptions()
    tagging.install_single_links()
    tagging.install_pagination_artifacts()
    tagging.install_spaces()
    tagging.install_emphasis()
    margin_boxes.install()
    note_styles.install()
    word_breaks.install()
    emphasis_dots.install()
    drawing_limit.install()
    layout_rules = justify.cjk_justification(
        autospace="han-latin-spacing" not in options.disabled_rules,
        squeeze="punctuation-squeeze" not in options.disabled_rules,
    )
    own_templates = not template_folders(briefing, options)
    with (
        _weasyprint_messages(briefing, own_templates),
        layout_rules,
        own_layout.briefing_layout(),
        collector_paused,
    ):
        # A one-sheet handout from briefgen's own templates, every event of which has its
        # anchor, is laid out to the page after its sheet at most: enough to refuse it and to
        # count the events it leaves off (_overflowed). A user's template is laid out whole.
        sheet_cut_short = options.handout == "sheet" and own_templates

        def lay_out(html: str, fetcher: BriefingFetcher = fetcher) -> Document:
            # A fresh font configuration per document: its fonts are this document's
            # subsets, and in briefgen's own templates no others (builders/pdf_fonts.py).
            with (
                page_limit.pages_at_most(SHEET_PAGES + 1)
                if sheet_cut_short
                else contextlib.nullcontext()
            ):
                return _html(html, base_url, fetcher, own_templates).render(
                    font_config=font_configuration(own_templates)
                )

        def sheet_on(paper: str) -> Document:
            """The one-sheet handout laid out on another paper, with the subsets of its own
            text (the timeline's years can differ with the paper's width)."""
            other = dataclasses.replace(options, paper=paper)
            html = print_html(briefing, other, pictures=pictures)
            return lay_out(html, _fetcher(briefing, _subsets(briefing, html), pictures))

        def pictures_placed(document: Document, **extra: Any) -> Document:
            """``document`` (laid out from ``print_html(…, **extra)``), or laid out again
            with the pictures that left a page mostly empty after their events' text."""
            last: dict[str, Any] = {"html": None, "document": document}

            def again(moved: frozenset[int], heights: dict[int, float]) -> Document:
                html = print_html(
                    briefing,
                    options,
                    dict(measured, long_events=measured["long_events"] | moved),
                    pictures,
                    pictures_after_text=moved,
                    picture_heights=heights,
                    **extra,
                )
                # Templates of one's own that do not place pictures give the same document.
                if html != last["html"]:
                    last.update(html=html, document=lay_out(html))
                return last["document"]

            return _pictures_after_text(document, briefing, again)

        compressed: dict[bytes, bytes] = {}

        def write(document: Document, joinable: bool = False) -> bytes:
            _refuse_attachments(document, briefing)
            # Tagged in every variant: a structure tree that screen readers and reflow follow.
            # add_shaped_text: glyphs the fonts join (the dash ——) copy back as what they show.
            pdf: bytes = document.write_pdf(
                full_fonts=True,
                pdf_variant=options.pdf_variant,
                pdf_tags=True,
                finisher=functools.partial(_finish, options, compressed if joinable else None),
            )
            return pdf

        if in_parts(briefing, options):
            # Compressed here, before the parts' processes are forked, each of which embeds
            # them all: a child's compressions are lost with it (2.4 s of CPU in all at
            # 1,000 events, more the more parts and characters).
            for data in subsets.values():
                _compressed_once(compressed, data)
            pdf = pdf_parts.render_in_parts(
                len(briefing.events),
                # The contents' entries: the events, the people and the sources (toc.html).
                len(briefing.events) + bool(briefing.people) + bool(briefing.sources),
                len(briefing.people),
                briefing.title,
                lambda part, contents: pictures_placed(
                    lay_out(print_html(briefing, options, measured, part=part, toc_pages=contents)),
                    part=part,
                    toc_pages=contents,
                ),
                lambda document: write(document, joinable=True),
                per_part=pdf_parts.EVENTS_PER_PART,
            )
        else:
            document = lay_out(html)
            if options.handout != "sheet":
                document = pictures_placed(
                    document, **({"toc_pages": pdf_parts.StandIn()} if numbered_after else {})
                )
            if numbered_after:
                pdf_parts.number_contents(document.pages)
            if options.handout == "sheet":
                _check_one_sheet(document, briefing, options, sheet_on, sheet_cut_short)
            pdf = write(document)
            del document
    if options.handout in IMPOSED:
        # pypdf, and the cryptography it loads, only for the handouts that use it: a tenth
        # of a second of imports that every other PDF build would pay.
        from ..handouts import impose

        pdf = impose(pdf, options.handout)
    return pdf


#: How many more layouts may move pictures after their events' text (a picture moved can
#: leave the next one in the same place), and then make them smaller, one a layout.
_PICTURE_PASSES = 2

#: How many layouts may move pictures in all, where each after the first
#: :data:`_PICTURE_PASSES` leaves less empty than every one before it: in a long briefing
#: with many pictures, each layout that moves some can leave the next few where they were.
#: As many may make pictures smaller, one a layout, while one is found to make smaller.
_MOST_PICTURE_PASSES = 6


def _pictures_after_text(
    document: Document,
    briefing: Briefing,
    lay_out: Callable[[frozenset[int], dict[int, float]], Document],
) -> Document:
    """``document``, or the briefing laid out again (``lay_out(moved, heights)``) with the
    pictures that left a page mostly empty after their events' text, and those still too
    tall for the page made smaller (builders/pdf_pictures.py). Such an event may break
    across pages, as a long one does, so that its text fills the page it begins on."""

    # Each layout can leave a later picture where the one before it was, and the passes
    # are bounded: the layout with the least left empty before pictures is kept (the first,
    # where moving pictures only moved the gap), the fewer pages breaking a tie.
    def emptiness(document: Document) -> tuple[float, int]:
        return sum(left_empty(document, briefing).values()), len(document.pages)

    best, least = document, emptiness(document)
    # What the best layout was laid out with: the pictures after their text, those smaller.
    placed: tuple[frozenset[int], dict[int, float]] = (frozenset(), {})

    def laid_out_again(
        moved: frozenset[int], heights: dict[int, float], smaller: bool = False
    ) -> Document | None:
        nonlocal best, least, placed
        again = lay_out(moved, heights)
        if again is document:
            return None  # the templates take no notice of where the pictures go
        # A picture made smaller fills the page before it, which emptiness does not count
        # (no heading begins the next page): it is kept where it leaves no more than that.
        if emptiness(again) < least or (smaller and emptiness(again) <= least):
            best, least, placed = again, emptiness(again), (moved, dict(heights))
        return again

    moved: frozenset[int] = frozenset()
    improved = False
    for number in range(_MOST_PICTURE_PASSES):
        # Past the first passes only while each leaves less empty than all before it: with a
        # picture on every event, each pass moves the gap on to the next picture.
        if number >= _PICTURE_PASSES and not improved:
            break
        more = pictures_to_move(document, briefing) - moved
        if not more:
            break
        moved |= more
        again = laid_out_again(moved, {})
        if again is None:
            return best
        document = again
        improved = again is best
    heights: dict[int, float] = {}
    # One picture at a time, each measured in the layout that has the ones before it made
    # smaller: every page after a picture made smaller changes (pdf_pictures.picture_heights).
    for _ in range(_MOST_PICTURE_PASSES if moved else 0):
        smaller = picture_heights(document, briefing, moved, frozenset(heights))
        if not smaller:
            break
        heights |= smaller
        again = laid_out_again(moved, heights, smaller=True)
        if again is None:
            break
        document = again
    return _pictures_back_under_headings(best, briefing, lay_out, *placed)


def _pictures_back_under_headings(
    document: Document,
    briefing: Briefing,
    lay_out: Callable[[frozenset[int], dict[int, float]], Document],
    moved: frozenset[int],
    heights: dict[int, float],
) -> Document:
    """``document`` (laid out with the pictures of ``moved`` after their events' text), or
    laid out again with those whose event now begins a page back under its heading. A
    picture is moved for the layout it left a page empty in; a picture made smaller in a
    later one fills that page, and the next event with a picture may then head a page all
    the same, its picture after its text where it fits under its heading as a picture that
    was never moved does. Nothing on the pages before it changes, nor its height."""
    back = (pictures_heading_pages(document, briefing) & moved) - heights.keys()
    if not back:
        return document
    again = lay_out(moved - back, heights)
    if len(again.pages) > len(document.pages) or sum(left_empty(again, briefing).values()) > sum(
        left_empty(document, briefing).values()
    ):
        return document
    return again


def _finish(
    options: BuildOptions, compressed: dict[bytes, bytes] | None, document: Document, pdf: pydyf.PDF
) -> None:
    """What briefgen adds to WeasyPrint's PDF before it is written: the crop marks asked
    for, pictures a PDF/A may hold, and ``add_shaped_text``, in a file made joinable where
    it is a part (``compressed`` is then the parts' shared compressions)."""
    if options.marks:
        crop_marks.add_crop_marks(pdf)
    if options.handout == "sheet" and len(document.pages) == SHEET_PAGES:
        _ask_for_both_sides(pdf)
    if options.pdf_variant == "pdf/a-3b":
        _without_interpolation(pdf)
        _cmyk_pictures_in_srgb(pdf)
    if compressed is None:
        pdf_text.add_shaped_text(document, pdf)
    else:
        _joinable(compressed, document, pdf)


def _ask_for_both_sides(pdf: pydyf.PDF) -> None:
    """Have the print dialog start on both sides, flipped on the long edge as portrait pages
    are: the one-sheet handout's two pages are the front and back of its sheet, and printed
    on one side they come out on two. Acrobat and Reader follow it; other viewers ignore it."""
    preferences = pdf.catalog.get("ViewerPreferences") or pydyf.Dictionary()
    preferences["Duplex"] = "/DuplexFlipLongEdge"
    pdf.catalog["ViewerPreferences"] = preferences


def _without_interpolation(pdf: pydyf.PDF) -> None:
    """Every picture, and its transparency mask, drawn as it is: WeasyPrint asks viewers to
    smooth pictures (``/Interpolate true``) unless the CSS says ``image-rendering:
    crisp-edges``, and PDF/A forbids it (ISO 19005-2 and -3, 6.2.8), whatever stylesheet
    a user's templates bring."""
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item.extra.get("Subtype") == "/Image":
            item.extra["Interpolate"] = "false"


def _cmyk_pictures_in_srgb(pdf: pydyf.PDF) -> None:
    """Each CMYK JPEG (a press agency's photo) turned into sRGB, the colour space of the
    PDF/A's output intent: WeasyPrint embeds it as it is, in DeviceCMYK, which a PDF/A may
    use only where its output intent is CMYK (ISO 19005-3, 6.2.4.3). Converted by the
    photo's own ICC profile where it has one, else by Pillow's plain formula; a JPEG again,
    at a quality that keeps a photo as it was."""
    from PIL import Image, ImageCms  # only for a PDF/A with a CMYK picture

    for item in pdf.objects:
        if not isinstance(item, pydyf.Stream) or item.extra.get("ColorSpace") != "/DeviceCMYK":
            continue
        if item.extra.get("Subtype") != "/Image" or item.extra.get("Filter") != "/DCTDecode":
            continue
        data = item.stream[0]
        # WeasyPrint's picture data, read when the file is written (LazyImage), or bytes.
        with Image.open(io.BytesIO(getattr(data, "data", data))) as picture:
            rgb = None
            if icc := picture.info.get("icc_profile"):
                try:
                    source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
                    srgb = ImageCms.createProfile("sRGB")
                    rgb = ImageCms.profileToProfile(picture, source, srgb, outputMode="RGB")
                except (ImageCms.PyCMSError, OSError, ValueError):
                    pass  # a profile littlecms cannot use: the plain formula, as without one
            if rgb is None:
                rgb = picture.convert("RGB")
        converted = io.BytesIO()
        rgb.save(converted, format="JPEG", quality=95)
        item.stream = [converted.getvalue()]
        item.extra["ColorSpace"] = "/DeviceRGB"
        # Pillow reads an Adobe JPEG's inverted CMYK the right way round: no Decode now.
        item.extra.pop("Decode", None)


def _joinable(compressed: dict[bytes, bytes], document: Document, pdf: pydyf.PDF) -> None:
    """The finisher for a part of a PDF laid out in parts: ``add_shaped_text``, and the
    file written with its objects one after another, not packed in compressed object
    streams, so that briefgen/pdf_join.py copies them as they are (each stream is still
    compressed). Every part embeds the same font subsets, compressed once: pydyf
    compressed them again for each part, a quarter of a second a part at 1,000 events."""
    pdf_text.add_shaped_text(document, pdf)
    for item in pdf.objects:
        if not isinstance(item, pydyf.Stream) or not item.compress or len(item.stream) != 1:
            continue
        data = item.stream[0]
        if not isinstance(data, bytes) or len(data) < _LARGE_STREAM:
            continue
        item.stream = [_compressed_once(compressed, data)]
        item.compress = False
        item.extra["Filter"] = "/FlateDecode"
    write = pdf.write
    pdf.write = lambda output, version, identifier, compress: write(
        output, version, identifier, False
    )


def _compressed_once(compressed: dict[bytes, bytes], data: bytes) -> bytes:
    """``data`` compressed as pydyf compresses a stream (pydyf.Stream.data), kept in
    ``compressed`` by its digest for the next part that embeds the same bytes."""
    key = hashlib.sha1(data).digest()
    if key not in compressed:
        compressor = zlib.compressobj(level=9)
        compressed[key] = compressor.compress(data) + compressor.flush()
    return compressed[key]


#: Streams this long or longer (font files) are compressed once for all of a PDF's parts.
_LARGE_STREAM = 64 * 1024


def contents_numbered_after_layout(briefing: Briefing, options: BuildOptions) -> bool:
    """Whether the contents' page numbers are laid out as stand-in digits and set once the
    pages are known (pdf_parts.set_contents_numbers), rather than by CSS
    ``target-counter()``, which has WeasyPrint lay every contents page out a second time,
    once the pages it points at are known: 68 page layouts for the 61 pages of 200 events,
    61 this way, the same PDF byte for byte. Each number is alone in a cell of fixed
    width, flush right, so setting it moves nothing else. In briefgen's own templates only
    (a user's may lay the contents out otherwise), which the one-sheet handout's has no
    contents in."""
    return options.handout != "sheet" and not template_folders(briefing, options)


def in_parts(briefing: Briefing, options: BuildOptions) -> bool:
    """Whether the PDF is laid out in parts (builders/pdf_parts.py): for a long briefing,
    in briefgen's own templates (a user's may not know parts), and not for the one-sheet
    handout or for PDF/A, whose rules for the file as a whole the joining does not check."""
    return (
        len(briefing.events) >= pdf_parts.PARTS_FROM
        and options.handout != "sheet"
        and options.pdf_variant == "pdf/ua-1"
        and not template_folders(briefing, options)
    )


def _html(
    html: str, base_url: str | None, fetcher: BriefingFetcher, own_templates: bool
) -> weasyprint.HTML:
    """WeasyPrint's document for ``html``. Written by briefgen's own templates, it is read by
    the XML parser into the tree WeasyPrint's HTML5 parser would build, a hundred times as
    fast (see briefgen/html_tree.py); a user's templates, or a text the XML parser cannot
    vouch for, go to WeasyPrint's parser."""
    root = html_tree.parse(html) if own_templates else None
    if root is None:
        return weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return _ParsedHTML(root, base_url, fetcher)


class _ParsedHTML(weasyprint.HTML):  # type: ignore[misc]
    """A ``weasyprint.HTML`` made from a tree already parsed: what WeasyPrint 70's
    ``__init__`` does once tinyhtml5 has parsed the text (for print media, its default)."""

    def __init__(self, root: Any, base_url: str | None, fetcher: BriefingFetcher) -> None:
        self.base_url = weasyprint._find_base_url(root, base_url)
        self.url_fetcher = fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


def _subsets(briefing: Briefing, html: str) -> dict[str, bytes]:
    """The briefing's faces cut to the characters of ``html``, by file address."""
    always = fonts.ALWAYS_DRAWN + (_HYPHEN if briefing.lang == "en" else "")
    cut = fonts.subsets({face: [html] for face in faces(briefing)}, briefing.lang, always=always)
    return {face.path.as_uri(): data for face, data in cut.items()}


#: What WeasyPrint ends a hyphenated line with by default (``hyphenate-character``, U+2010),
#: in English, the one language print.css and sheet.css hyphenate. Those set the narrow
#: hyphen-minus instead (the CJK faces draw U+2010 an em wide), but a template of the user's
#: may hyphenate with the default. The HTML never holds it, so a subset cut to the HTML's
#: characters lacked it, and Pango drew every such hyphen in a font of the machine's (DejaVu
#: Serif on Debian), or as an empty box where it had none.
_HYPHEN = "\u2010"


def _fetcher(
    briefing: Briefing, subsets: dict[str, bytes], pictures: assets.PrintAssets
) -> BriefingFetcher:
    """Serves the briefing's folder, and from memory the font subsets and the template
    folders' pictures the templates asked for (nothing else of those folders)."""
    folders = [briefing.folder] if briefing.folder else []
    return BriefingFetcher(
        folders, in_memory={**subsets, **pictures.files}, fonts=frozenset(subsets)
    )


def _refuse_attachments(document: Document, briefing: Briefing) -> None:
    """Refuse a PDF whose briefing's own templates attach files to it (``rel="attachment"``
    on a link): WeasyPrint embeds the file, and a briefing received from someone and built
    in a folder of one's own files would carry any of them out in its PDF, unseen on the
    page. briefgen's templates attach nothing; a user's own (``--templates``,
    ``briefgen.toml``) may."""
    if briefing.templates is None:
        return
    asked = [
        str(target)
        for page in document.pages
        for link_type, target, *_ in page.links
        if link_type == "attachment"
    ]
    if not asked and not document.metadata.attachments:
        return
    named = f" ({', '.join(sorted(set(asked))[:3])})" if asked else ""
    raise BuildError(
        f"{display_path(briefing.templates)}: a briefing's own templates attach no files to "
        f'the PDF (rel="attachment"){named}; nothing was written\n'
        "    hint: leave the attachment out of the briefing's templates, or give the folder "
        "with --templates, as templates of your own"
    )


def _check_one_sheet(
    document: Document,
    briefing: Briefing,
    options: BuildOptions,
    sheet_on: Callable[[str], Document],
    cut_short: bool,
) -> None:
    """Refuse a one-sheet handout whose events run past the back of the sheet, counting
    them: cutting them silently would hand out a briefing with events missing. A larger
    paper that the refusal might suggest is laid out (``sheet_on``) to see how many it
    holds, rather than suggested, or ruled out, on an estimate. ``cut_short``: whether the
    layouts stop at the page after the sheet."""
    if len(document.pages) <= SHEET_PAGES:
        return
    total = len(briefing.events)
    raise overflow_error(
        _overflowed(document, briefing, cut_short),
        total,
        options.paper,
        briefing.path,
        fitted_on=lambda paper: total - _overflowed(sheet_on(paper), briefing, cut_short),
    )


def _overflowed(document: Document, briefing: Briefing, cut_short: bool) -> int:
    """How many of the events a one-sheet handout sets past the back of the sheet: laid out
    whole, those whose anchor is on a later page (a user's template may give its events
    none); cut short after the sheet (briefgen's own templates, each event anchored), those
    whose anchor is not on the sheet, where the pages after the first past it are not laid
    out at all."""
    if len(document.pages) <= SHEET_PAGES:
        return 0
    ids = [event_id(index) for index in range(len(briefing.events))]
    if cut_short:
        on_sheet = {anchor for page in document.pages[:SHEET_PAGES] for anchor in page.anchors}
        return sum(anchor not in on_sheet for anchor in ids)
    beyond = {anchor for page in document.pages[SHEET_PAGES:] for anchor in page.anchors}
    return sum(anchor in beyond for anchor in ids)


def _image_url(event: Event) -> str:
    assert event.image is not None
    return event.image.as_uri()


@contextlib.contextmanager
def _weasyprint_messages(briefing: Briefing, own_templates: bool = True) -> Iterator[None]:
    """Pass WeasyPrint's warnings on as briefgen's, saying what they mean for the user;
    ``own_templates``: whether the templates are briefgen's own alone."""
    handler = _Relay(functools.cache(lambda: undrawn_characters(briefing)), own_templates)
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addHandler(handler)
    try:
        with _weasyprint_heard():
            yield
    finally:
        weasyprint_log.removeHandler(handler)


class _RelayedOnce(logging.Filter):
    """On WeasyPrint's logger while builds relay its messages. A warning given while a
    briefing is laid out is said once, as briefgen's (relayed, with what it means for the
    user): it goes to the handlers on WeasyPrint's logger itself (a caller's that listens
    there, ``--debug``'s), not on to the program's, whose configured logging printed it
    again as WeasyPrint's. Other records, a document of the program's own on another thread
    among them, go on as the program's logging has them; while the program has WeasyPrint's
    logger disabled, they go nowhere, and the warnings to the builds' relays alone."""

    def __init__(self) -> None:
        super().__init__()
        #: Whether the program had WeasyPrint's logger disabled (_weasyprint_heard).
        self.disabled = False

    def filter(self, record: logging.LogRecord) -> bool:
        handlers = list(logging.getLogger("weasyprint").handlers)
        relayed = record.levelno >= logging.WARNING and any(
            isinstance(handler, _Relay) and handler.hears(record) for handler in handlers
        )
        if not relayed:
            return not self.disabled
        for handler in handlers:
            if (isinstance(handler, _Relay) or not self.disabled) and (
                record.levelno >= handler.level
            ):
                handler.handle(record)
        return False


_heard_lock = threading.Lock()
#: How many builds are relaying WeasyPrint's messages now, on any thread.
_heard_by = 0
_RELAYED_ONCE = _RelayedOnce()


@contextlib.contextmanager
def _weasyprint_heard() -> Iterator[None]:
    """WeasyPrint's logger enabled while inside, as the program has it disabled or not, and
    its warnings said once (:class:`_RelayedOnce`). A program that sets its logging up with
    ``dictConfig`` after it has imported WeasyPrint (to lay out documents of its own)
    disables WeasyPrint's logger, which then makes no record at all: a picture a template
    could not load went unsaid, and a strict build wrote the PDF without it. The records
    are relayed as briefgen's warnings, and go no further than the program's configuration
    lets them."""
    global _heard_by
    weasyprint_log = logging.getLogger("weasyprint")
    with _heard_lock:
        if _heard_by == 0:
            _RELAYED_ONCE.disabled = weasyprint_log.disabled
            weasyprint_log.disabled = False
            weasyprint_log.addFilter(_RELAYED_ONCE)
        _heard_by += 1
    try:
        yield
    finally:
        with _heard_lock:
            _heard_by -= 1
            if _heard_by == 0:
                weasyprint_log.removeFilter(_RELAYED_ONCE)
                weasyprint_log.disabled = _RELAYED_ONCE.disabled


#: WeasyPrint's warning of a character no font has (draw/text.py).
_NOTDEF = re.compile(
    r'\.notdef glyph rendered for Unicode string unsupported by fonts: ".*" \(U\+([0-9A-F]+)\)'
)
#: The hint to a picture a template of the user's asked for by a path that WeasyPrint
#: could not load: a path is read from the briefing's folder, which is seldom where a
#: template folder's logo lies.
_TEMPLATE_PICTURE_HINT = (
    "\n    hint: a path in a template is read from the briefing's folder; a template shows a "
    'picture of its own folder as asset("logo.png")'
)

#: The hint to a picture a template of the user's asked for by a web address.
_TEMPLATE_WEB_PICTURE_HINT = (
    "\n    hint: briefgen fetches nothing from the web; keep the picture in your template "
    'folder and show it as asset("logo.png")'
)

#: The hint to a stylesheet a template of the user's links (``<link rel="stylesheet"
#: href="house.css">``) that WeasyPrint could not load: the PDF holds the template folder's
#: CSS by its names, not by a link.
_TEMPLATE_STYLESHEET_HINT = (
    "\n    hint: {where}; write the stylesheet's rules into your template folder's "
    "css/print.css (the PDF's) or css/base.css (every format's), which the PDF holds"
)
#: A ``data:`` URL long enough to be worth shortening in a message: WeasyPrint quotes the
#: address of a picture it could not load whole, and a drawing's picture is one of
#: hundreds of kilobytes.
_LONG_DATA_URL = re.compile(r"data:[^'\"\s]{40,}")
_READ_FROM_THE_BRIEFING = "a path in a template is read from the briefing's folder"
_NOTHING_FETCHED = "briefgen fetches nothing from the web"


class _Relay(logging.Handler):
    def __init__(self, undrawn: Callable[[], set[str]], own_templates: bool = True) -> None:
        super().__init__(level=logging.WARNING)
        self.seen: set[str] = set()
        #: The briefing's characters the fonts lack, asked only when WeasyPrint meets one:
        #: each was warned of before the build, with its line and column.
        self.undrawn = undrawn
        self.own_templates = own_templates
        #: The thread laying this briefing out: WeasyPrint on another thread at the same
        #: time (another build, or a document of the caller's own) logs to the same logger.
        self.thread = threading.get_ident()

    def hears(self, record: logging.LogRecord) -> bool:
        """Whether ``record`` is this build's to relay: given on its thread, or by any where
        the program's logging records no thread (``logging.logThreads`` off), which left
        every warning unrelayed, and a strict build blind to them."""
        return record.thread in (self.thread, None)

    def emit(self, record: logging.LogRecord) -> None:
        if not self.hears(record):
            return
        # WeasyPrint draws an SVG (the front page's timeline) inside `except BaseException`,
        # logs an error and goes on: a Ctrl-C there was swallowed, and the build wrote a
        # PDF without its timeline and carried on. The interrupt it is handling goes on up.
        handling = sys.exc_info()[1]
        if isinstance(handling, KeyboardInterrupt | SystemExit):
            raise handling
        message = _LONG_DATA_URL.sub(lambda url: shortened(url.group()), record.getMessage())
        if message in self.seen:  # WeasyPrint repeats a missing glyph at every occurrence
            return
        self.seen.add(message)
        notdef = _NOTDEF.fullmatch(message)
        if notdef and chr(int(notdef.group(1), 16)) in self.undrawn():
            return  # said already, where it is written (coverage.warn_missing_glyphs)
        if notdef:
            message = "the PDF shows an empty box: " + message
        elif message.startswith("Failed to load image") and not self.own_templates:
            # A web address is no path read from the briefing's folder: briefgen fetches
            # nothing, and a picture to show is kept in the template folder.
            web = message.startswith(
                ("Failed to load image at 'http:", "Failed to load image at 'https:")
            )
            message += _TEMPLATE_WEB_PICTURE_HINT if web else _TEMPLATE_PICTURE_HINT
        elif message.startswith("Failed to load stylesheet") and not self.own_templates:
            web = message.startswith(
                ("Failed to load stylesheet at http:", "Failed to load stylesheet at https:")
            )
            where = _NOTHING_FETCHED if web else _READ_FROM_THE_BRIEFING
            message += _TEMPLATE_STYLESHEET_HINT.format(where=where)
        warn("PDF: %s", message, level=record.levelno)
