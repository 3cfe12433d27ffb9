"""The printable PDF, laid out by WeasyPrint from the print stylesheet."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from .. import fonts, handouts, justify, pdf_text
from ..fetch import BriefingFetcher
from ..model import Briefing, Event
from ..options import BuildOptions
from ..render import render
from ..userfonts import faces

log = logging.getLogger("briefgen")


class PdfBuilder:
    name = "pdf"
    suffix = ".pdf"

    def render(self, briefing: Briefing, options: BuildOptions) -> bytes:
        return render_pdf(briefing, options)


class PrintHtmlBuilder:
    """The very HTML document the PDF builder hands to WeasyPrint (``--keep-html``), its
    fonts, images and stylesheets given as absolute file addresses, so that anyone can time
    or debug WeasyPrint alone on it."""

    name = "print-html"
    suffix = ".print.html"

    def render(self, briefing: Briefing, options: BuildOptions) -> bytes:
        return print_html(briefing, options).encode("utf-8")


def print_html(briefing: Briefing, options: BuildOptions) -> str:
    """The HTML the PDF is laid out from: the print stylesheet, the shipped fonts by file."""
    return render(
        "briefing.html",
        briefing,
        options,
        stylesheet="css/print.css",
        # The PDF's Subject: what the briefing is about, in a line.
        description=briefing.subtitle or briefing.summary,
        font_css=fonts.font_face_css(lambda face: face.path.as_uri(), faces(briefing)),
        image_src=lambda event: _image_url(event),
    )


def render_pdf(briefing: Briefing, options: BuildOptions) -> bytes:
    """The briefing as a PDF on ``options.paper``: table of contents with page numbers,
    bookmarks, metadata; with crop marks (``options.marks``) or imposed as a handout
    (``options.handout``)."""
    html = print_html(briefing, options)
    # WeasyPrint reads the fonts through the fetcher, which hands it subsets cut by HarfBuzz
    # in milliseconds, and embeds them as they are (full_fonts). Left to subset them itself,
    # it would use libharfbuzz-subset where the system has it, and fontTools (2-3 s more,
    # and a warning) where it does not; this way the PDF is the same on every machine.
    # With full_fonts, WeasyPrint takes each glyph's ToUnicode entry (what copy and search
    # give back) from the subset's cmap, which fonts.subset keeps exact for that reason.
    subsets = {
        face.path.as_uri(): fonts.subset(face, [html, fonts.ALWAYS_DRAWN], briefing.lang)
        for face in faces(briefing)
    }
    for face in faces(briefing):
        log.info("PDF font %s: %d bytes", face.file, len(subsets[face.path.as_uri()]))
    folders = [briefing.folder] if briefing.folder else []
    fetcher = BriefingFetcher(folders, in_memory=subsets)
    base_url = briefing.folder.as_uri() + "/" if briefing.folder else None
    # cjk_justification: CJK lines flush at both edges; it patches WeasyPrint's layout for
    # this thread's render only (see briefgen/justify.py).
    layout_rules = justify.cjk_justification(
        autospace="han-latin-spacing" not in options.disabled_rules,
        squeeze="punctuation-squeeze" not in options.disabled_rules,
    )
    with _weasyprint_messages(), layout_rules:
        # A fresh FontConfiguration per document: its fonts are this document's subsets.
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            font_config=FontConfiguration()
        )
        # Tagged in every variant: a structure tree that screen readers and reflow follow.
        # add_shaped_text: glyphs the fonts join (the dash ——) copy back as what they show.
        pdf: bytes = document.write_pdf(
            full_fonts=True,
            pdf_variant=options.pdf_variant,
            pdf_tags=True,
            finisher=pdf_text.add_shaped_text,
        )
    if options.handout:
        pdf = handouts.impose(pdf, options.handout)
    return pdf


def _image_url(event: Event) -> str:
    assert event.image is not None
    return event.image.as_uri()


@contextlib.contextmanager
def _weasyprint_messages() -> Iterator[None]:
    """Pass WeasyPrint's warnings on as briefgen's, saying what they mean for the user."""
    handler = _Relay()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addHandler(handler)
    try:
        yield
    finally:
        weasyprint_log.removeHandler(handler)


class _Relay(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message in self.seen:  # WeasyPrint repeats a missing glyph at every occurrence
            return
        self.seen.add(message)
        if message.startswith(".notdef glyph"):
            message = "the PDF shows an empty box: " + message
        log.log(record.levelno, "PDF: %s", message)
