"""The EPUB 3 e-book: a title page, one XHTML file per event, people and sources, fonts subset."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ebooklib import epub

from .. import fonts
from .._version import __version__
from ..i18n import language
from ..markdown import to_text
from ..model import IMAGE_TYPES, Briefing, Event
from ..options import BuildOptions
from ..render import event_id, render

# Everything sits in the package folder ebooklib calls EPUB/; these names are relative to it.
TEXT_FOLDER = "text"
STYLESHEET = "styles/book.css"
NAV_FILE = "nav.xhtml"


# Zip stores local time to two seconds and nothing before 1980.
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
# Without SOURCE_DATE_EPOCH or a briefing date: the earliest moment a zip entry can carry.
_FALLBACK_MODIFIED = _ZIP_EPOCH


class EpubBuilder:
    name = "epub"
    suffix = ".epub"

    def render(self, briefing: Briefing, options: BuildOptions) -> bytes:
        return render_epub(briefing, options)


@dataclass(frozen=True)
class Document:
    """One XHTML content document, exactly as it goes into the package."""

    uid: str
    file_name: str
    """Inside the package folder, e.g. ``text/event-01.xhtml``."""
    xhtml: str


@dataclass(frozen=True)
class TocEntry:
    uid: str
    label: str
    href: str


def render_epub(briefing: Briefing, options: BuildOptions) -> bytes:
    """The briefing as a reproducible EPUB 3 file (an NCX included for EPUB 2 readers)."""
    documents = content_documents(briefing, options)
    toc = toc_entries(briefing)
    contents_label = language(briefing.lang).contents
    # Everything the reader can see: the documents, and the contents page ebooklib writes.
    shown = [
        *(document.xhtml for document in documents),
        contents_label,
        *(entry.label for entry in toc),
        fonts.ALWAYS_DRAWN,
    ]
    book = _book(briefing)
    for item in (
        *_document_items(documents),
        _stylesheet_item(briefing, options),
        *_font_items(shown, briefing.lang),
        *_image_items(briefing),
    ):
        book.add_item(item)
    nav = epub.EpubNav(file_name=NAV_FILE, title=contents_label)
    nav.add_link(href=STYLESHEET, rel="stylesheet", type="text/css")
    book.add_item(nav)
    book.add_item(epub.EpubNcx())
    book.toc = [epub.Link(entry.href, entry.label, entry.uid) for entry in toc]
    # The contents page follows the title page, as in the PDF.
    book.spine = [documents[0].uid, nav, *(document.uid for document in documents[1:])]
    return _write(book, modified(briefing, options))


def content_documents(briefing: Briefing, options: BuildOptions) -> list[Document]:
    """The title page (with the summary), each event, then the people and the sources."""
    cover = _page("epub/cover.xhtml", briefing, options)
    documents = [Document("cover", _text_file("cover"), cover)]
    for index, event in enumerate(briefing.events):
        anchor = event_id(index)
        page = _page("epub/event.xhtml", briefing, options, event=event, index=index)
        documents.append(Document(anchor, _text_file(anchor), page))
    for section, present in (("people", briefing.people), ("sources", briefing.sources)):
        if present:
            page = _page(f"epub/{section}.xhtml", briefing, options)
            documents.append(Document(section, _text_file(section), page))
    return documents


def toc_entries(briefing: Briefing) -> list[TocEntry]:
    """What the navigation document and the NCX list, in reading order."""
    labels = language(briefing.lang)
    entries = []
    if briefing.summary:
        entries.append(TocEntry("toc-summary", labels.summary, _text_file("cover") + "#summary"))
    for index, event in enumerate(briefing.events):
        anchor = event_id(index)
        entries.append(
            TocEntry(f"toc-{anchor}", f"{labels.period(event)}　{event.title}", _text_file(anchor))
        )
    if briefing.people:
        entries.append(TocEntry("toc-people", labels.people, _text_file("people")))
    if briefing.sources:
        entries.append(TocEntry("toc-sources", labels.sources, _text_file("sources")))
    return entries


def _page(template: str, briefing: Briefing, options: BuildOptions, **extra: Any) -> str:
    # Every content document sits in text/, so links between them are bare file names.
    return render(
        template,
        briefing,
        options,
        stylesheet_href=f"../{STYLESHEET}",
        people_href="people.xhtml",
        events_href=lambda anchor: f"{anchor}.xhtml",
        image_src=lambda event: "../" + image_file(briefing.events.index(event), event),
        **extra,
    )


def _text_file(stem: str) -> str:
    return f"{TEXT_FOLDER}/{stem}.xhtml"


def image_file(index: int, event: Event) -> str:
    assert event.image is not None
    return f"images/{event_id(index)}{event.image.suffix.lower()}"


def font_file(face: fonts.FontFace) -> str:
    return f"fonts/{face.file}"


def _document_items(documents: Iterable[Document]) -> Iterator[epub.EpubItem]:
    # Plain items, not EpubHtml: ebooklib would re-serialise an EpubHtml body and put spaces
    # between inline elements, which show in CJK text.
    for document in documents:
        yield epub.EpubItem(
            uid=document.uid,
            file_name=document.file_name,
            media_type="application/xhtml+xml",
            content=document.xhtml.encode("utf-8"),
        )


def _stylesheet_item(briefing: Briefing, options: BuildOptions) -> epub.EpubItem:
    # The stylesheet lives in styles/, the fonts in fonts/.
    font_css = fonts.font_face_css(lambda face: f"../{font_file(face)}")
    css = render("epub/book.css", briefing, options, font_css=font_css)
    return epub.EpubItem(
        uid="stylesheet", file_name=STYLESHEET, media_type="text/css", content=css.encode("utf-8")
    )


def _font_items(shown: list[str], lang: str) -> Iterator[epub.EpubItem]:
    """Each shipped face cut down to the characters the book shows, in ``lang``'s forms."""
    for face in fonts.FACES:
        yield epub.EpubItem(
            uid=f"font-{face.postscript_name}",
            file_name=font_file(face),
            media_type="font/otf",
            content=fonts.subset(face, shown, lang),
        )


def _image_items(briefing: Briefing) -> Iterator[epub.EpubItem]:
    for index, event in enumerate(briefing.events):
        if event.image is not None:
            yield epub.EpubItem(
                uid=f"image-{event_id(index)}",
                file_name=image_file(index, event),
                media_type=IMAGE_TYPES[event.image.suffix.lower()],
                content=event.image.read_bytes(),
            )


def _book(briefing: Briefing) -> epub.EpubBook:
    """An ebooklib book holding the package metadata."""
    book = epub.EpubBook()
    book.set_identifier(identifier(briefing))
    book.set_title(briefing.title)
    book.set_language(briefing.lang)
    for index, author in enumerate(briefing.authors):
        # ebooklib gives every creator the id "creator" unless told otherwise: ids must differ.
        book.add_author(author, uid=f"creator-{index + 1}")
    if briefing.publisher:
        book.add_metadata("DC", "publisher", briefing.publisher)
    if briefing.date:
        book.add_metadata("DC", "date", briefing.date.isoformat())
    if briefing.summary:
        book.add_metadata("DC", "description", description(briefing.summary))
    # Replaces ebooklib's own generator line, whose version would leak into the bytes.
    book.set_unique_metadata(
        "OPF", "generator", "", {"name": "generator", "content": f"briefgen {__version__}"}
    )
    return book


def identifier(briefing: Briefing) -> str:
    """A ``urn:uuid:`` that depends on the title and date only, so rebuilds keep it."""
    date = briefing.date.isoformat() if briefing.date else ""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"briefgen:{briefing.title}:{date}"))


def description(summary: str) -> str:
    """The summary as plain text, one line per paragraph."""
    paragraphs = (paragraph.strip() for paragraph in summary.split("\n\n"))
    return "\n".join(to_text(paragraph) for paragraph in paragraphs if paragraph)


def modified(briefing: Briefing, options: BuildOptions) -> dt.datetime:
    """``dcterms:modified``: never the clock, so that the same input gives the same bytes."""
    if options.source_date_epoch is not None:
        return _from_epoch(options.source_date_epoch)
    if briefing.date:
        return dt.datetime.combine(briefing.date, dt.time(), dt.UTC)
    return _FALLBACK_MODIFIED


def _from_epoch(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)  # range checked by BuildOptions


def _write(book: epub.EpubBook, when: dt.datetime) -> bytes:
    draft = io.BytesIO()
    # The NCX schema requires playOrder, which ebooklib leaves out unless asked. The book has
    # no page breaks, so no page list.
    epub.write_epub(
        draft,
        book,
        {
            "mtime": when,
            "epub3_pages": False,
            "raise_exceptions": True,
            "play_order": {"enabled": True, "start_from": 1},
        },
    )
    return _repack(draft.getvalue(), when)


def _repack(package: bytes, when: dt.datetime) -> bytes:
    """The zip again with fixed timestamps and attributes: ebooklib stamps each entry with the
    time of writing. ``mimetype`` stays first and uncompressed, as EPUB requires."""
    stamp = max(when, _ZIP_EPOCH).timetuple()[:6]
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(result, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.create_system = 3  # Unix, whatever the platform, so the bytes do not vary
            fixed.external_attr = 0o644 << 16
            fixed.compress_type = (
                zipfile.ZIP_STORED if entry.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            target.writestr(fixed, source.read(entry), compresslevel=9)
    return result.getvalue()
