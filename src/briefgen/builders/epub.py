"""The EPUB 3 e-book: a front cover, a title page, the contents, one XHTML file per event,
people and sources; accessible (EPUB Accessibility 1.1), each font cut to what it sets."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import posixpath
import re
import threading
import uuid
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ebooklib import epub
from ebooklib.utils import parse_string
from lxml import etree  # type: ignore[import-untyped]

from .. import assets, fonts, forked
from .._version import __version__
from ..collector import collector_paused
from ..errors import BuildError
from ..i18n import language
from ..markdown import block_texts
from ..model import IMAGE_TYPES, Briefing, Event
from ..options import BuildOptions
from ..render import event_id, render, template_file, template_folders, users_templates_in
from ..userfonts import faces, user_faces
from .epub_cover import cover_png, cover_texts
from .epub_faces import FaceCharacters
from .epub_references import css_references, document_references, first_outside
from .epub_vertical import check_language, mark_digits

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

log = logging.getLogger("briefgen")

# Everything sits in the package folder ebooklib calls EPUB/; these names are relative to it.
# Every XHTML document, the navigation document too, sits in text/, so links between them
# are bare file names.
TEXT_FOLDER = "text"
STYLESHEET = "styles/book.css"
NAV_FILE = f"{TEXT_FOLDER}/nav.xhtml"
COVER_IMAGE = "images/front-cover.png"
FONT_FOLDER = "fonts"
COVER_IMAGE_ID = "front-cover-image"

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_SVG = f"{{{_SVG_NAMESPACE}}}svg"

#: What readers may draw in the body face on their own: list numbers and bullets.
_LIST_MARKERS = "0123456789.•◦▪"

#: The accessibility claim: WCAG 2.1 AA as EPUB Accessibility 1.1 words it (the exact string
#: Ace checks against). Nobody evaluates each book by hand, so there is no a11y:certifiedBy.
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


@dataclass(frozen=True)
class Wording:
    """What the EPUB says in the briefing's language besides briefgen's labels."""

    cover: str
    """The cover's landmark."""
    start: str
    """The landmark of the first event, where reading starts."""
    landmarks: str
    """Heading of the (hidden) landmarks list."""
    accessibility_summary: str
    """``schema:accessibilitySummary``: what the metadata says, in words a reader reads."""
    joiner: str
    """Between the title, subtitle and date in the cover's alternative text."""
    no_hazards: str
    """The end of :attr:`accessibility_summary` that says the book holds no hazard."""
    animated: str
    """What the summary says in its place when a picture moves (:func:`animated`)."""
    undescribed: str
    """:attr:`accessibility_summary` for a book with a picture that has neither an alt text
    nor a caption: it says so, and claims no conformance (ending, as that does, in
    :attr:`no_hazards`)."""


#: By language tag, as :func:`briefgen.i18n.language` names them.
WORDING: dict[str, Wording] = {
    "zh-Hant": Wording(
        "封面",
        "正文",
        "導覽",
        "本書符合 WCAG 2.1 AA 級無障礙要求：附有目錄與分層標題，閱讀順序與內容順序一致，"
        "圖片均有替代文字，文字可由閱讀軟體放大、重排及朗讀；不含閃爍、動態或聲音等危害。",
        "，",
        no_hazards="不含閃爍、動態或聲音等危害。",
        animated="書中有動態圖片，未經檢查是否含有閃爍或動態危害；不含聲音危害。",
        undescribed="本書附有目錄與分層標題，閱讀順序與內容順序一致，文字可由閱讀軟體放大、"
        "重排及朗讀。部分圖片沒有替代文字，僅以所屬事件的標題代替，故本書未宣稱符合 "
        "WCAG 2.1 AA 級無障礙要求。不含閃爍、動態或聲音等危害。",
    ),
    # Hong Kong's standard forms (閲, not Taiwan's 閱) and word (軟件, not 軟體), as a Hong
    # Kong edition's text is written.
    "zh-HK": Wording(
        "封面",
        "正文",
        "導覽",
        "本書符合 WCAG 2.1 AA 級無障礙要求：附有目錄與分層標題，閲讀順序與內容順序一致，"
        "圖片均有替代文字，文字可由閲讀軟件放大、重排及朗讀；不含閃爍、動態或聲音等危害。",
        "，",
        no_hazards="不含閃爍、動態或聲音等危害。",
        animated="書中有動態圖片，未經檢查是否含有閃爍或動態危害；不含聲音危害。",
        undescribed="本書附有目錄與分層標題，閲讀順序與內容順序一致，文字可由閲讀軟件放大、"
        "重排及朗讀。部分圖片沒有替代文字，僅以所屬事件的標題代替，故本書未宣稱符合 "
        "WCAG 2.1 AA 級無障礙要求。不含閃爍、動態或聲音等危害。",
    ),
    "zh-Hans": Wording(
        "封面",
        "正文",
        "导览",
        "本书符合 WCAG 2.1 AA 级无障碍要求：附有目录与分层标题，阅读顺序与内容顺序一致，"
        "图片均有替代文字，文字可由阅读软件放大、重排及朗读；不含闪烁、动态或声音等危害。",
        "，",
        no_hazards="不含闪烁、动态或声音等危害。",
        animated="书中有动态图片，未经检查是否含有闪烁或动态危害；不含声音危害。",
        undescribed="本书附有目录与分层标题，阅读顺序与内容顺序一致，文字可由阅读软件放大、"
        "重排及朗读。部分图片没有替代文字，仅以所属事件的标题代替，故本书未声明符合 "
        "WCAG 2.1 AA 级无障碍要求。不含闪烁、动态或声音等危害。",
    ),
    "ja": Wording(
        "表紙",
        "本文",
        "ランドマーク",
        "本書は WCAG 2.1 レベル AA のアクセシビリティ要件を満たしています。"
        "目次と階層化された見出しがあり、読み上げ順序は内容の順序と一致し、"
        "画像には代替テキストがあります。文字は読書アプリで拡大・リフロー・読み上げができます。"
        "点滅・動き・音による危険はありません。",
        "、",
        no_hazards="点滅・動き・音による危険はありません。",
        animated="動く画像があり、点滅や動きによる危険の有無は確認されていません。"
        "音による危険はありません。",
        undescribed="本書には目次と階層化された見出しがあり、読み上げ順序は内容の順序と一致し、"
        "文字は読書アプリで拡大・リフロー・読み上げができます。一部の画像には代替テキストがなく、"
        "その項目の見出しで代用しているため、WCAG 2.1 レベル AA への適合は表明していません。"
        "点滅・動き・音による危険はありません。",
    ),
    "ko": Wording(
        "표지",
        "본문",
        "랜드마크",
        "이 책은 WCAG 2.1 AA 수준의 접근성 요건을 충족합니다. 목차와 계층화된 제목을 갖추고 "
        "있으며, 읽기 순서는 내용의 순서와 같고, 모든 이미지에는 대체 텍스트가 있습니다. "
        "글자는 읽기 프로그램에서 확대하고 다시 배치하며 음성으로 들을 수 있습니다. "
        "깜박임, 움직임, 소리로 인한 위험 요소는 없습니다.",
        ", ",
        no_hazards="깜박임, 움직임, 소리로 인한 위험 요소는 없습니다.",
        animated="움직이는 이미지가 있으며, 깜박임이나 움직임으로 인한 위험 요소가 있는지는 "
        "확인되지 않았습니다. 소리로 인한 위험 요소는 없습니다.",
        undescribed="이 책은 목차와 계층화된 제목을 갖추고 있으며, 읽기 순서는 내용의 순서와 "
        "같고, 글자는 읽기 프로그램에서 확대하고 다시 배치하며 음성으로 들을 수 있습니다. 일부 "
        "이미지에는 대체 텍스트가 없어 해당 항목의 제목으로 대신하므로, WCAG 2.1 AA 수준을 "
        "충족한다고 표명하지 않습니다. 깜박임, 움직임, 소리로 인한 위험 요소는 없습니다.",
    ),
    "en": Wording(
        "Cover",
        "Start of content",
        "Landmarks",
        "This publication meets the accessibility requirements of WCAG 2.1 Level AA. It has a "
        "table of contents and structured headings, its reading order follows the content, and "
        "every image has a text alternative. Reading systems can enlarge, reflow and read the "
        "text aloud. It contains no flashing, motion or sound hazards.",
        ", ",
        no_hazards="It contains no flashing, motion or sound hazards.",
        animated="Some of its pictures move and have not been checked for flashing or motion "
        "hazards; it contains no sound hazards.",
        undescribed="This publication has a table of contents and structured headings, its "
        "reading order follows the content, and reading systems can enlarge, reflow and read "
        "the text aloud. Some images have no text alternative of their own, only the title of "
        "their event, so it does not claim to meet WCAG 2.1 Level AA. It contains no "
        "flashing, motion or sound hazards.",
    ),
}


def wording(lang: str) -> Wording:
    return WORDING.get(lang) or WORDING[language(lang).tag]


# Zip stores local time to two seconds and nothing before 1980.
_ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
# Without SOURCE_DATE_EPOCH or a briefing file: the earliest moment a zip entry can carry.
_FALLBACK_MODIFIED = _ZIP_EPOCH


class EpubBuilder:
    name = "epub"
    suffix = ".epub"

    def render(self, briefing: Briefing, options: BuildOptions) -> bytes:
        # Every document, its parsed tree and its package item live until the zip is
        # written: the collector's passes over them free nothing (briefgen/collector.py).
        with collector_paused:
            return render_epub(briefing, options)


@dataclass(frozen=True)
class Document:
    """One XHTML content document, exactly as it goes into the package."""

    uid: str
    file_name: str
    """Inside the package folder, e.g. ``text/event-01.xhtml``."""
    xhtml: str
    properties: tuple[str, ...] = ()
    """Manifest properties: ``nav``, and ``svg`` when the document draws SVG inline."""
    template: str = ""
    """The template it was made from (``epub/event.xhtml``), to name in an error."""


@dataclass(frozen=True)
class TocEntry:
    uid: str
    label: str
    href: str
    """Inside the package folder, as the NCX wants it."""


@dataclass(frozen=True)
class Landmark:
    kind: str
    """The ``epub:type``: ``cover``, ``toc`` or ``bodymatter``."""
    label: str
    href: str
    """Inside the package folder."""


def render_epub(briefing: Briefing, options: BuildOptions) -> bytes:
    """The briefing as a reproducible EPUB 3 file (an NCX included for EPUB 2 readers)."""
    if options.vertical:
        check_language(briefing)
    stylesheet = _stylesheet(briefing, options)
    made = make_contents(briefing, options, stylesheet)
    pictures: list[epub.EpubItem] = []
    if template_folders(briefing, options):  # briefgen's own load nothing from outside
        loaded = _loaded(made.documents, stylesheet)
        _refuse_outside_references(loaded, briefing, options)
        pictures = _template_pictures(loaded, briefing, options)
        _refuse_missing_files(loaded, _held(briefing, made.documents, pictures), briefing, options)
    # Cut (on two cores) before the thread below starts: a child process is forked only
    # where no other thread runs.
    font_items = _font_items(made.characters, briefing.lang, user_faces(briefing))
    # The fonts, most of the book's bytes, are deflated on a second thread while the rest of
    # the book is put together and packed.
    deflated = _DeflatedAhead()
    try:
        return _packed(briefing, options, stylesheet, made, font_items, deflated, pictures)
    finally:
        deflated.join()


def _packed(
    briefing: Briefing,
    options: BuildOptions,
    stylesheet: str,
    made: Contents,
    font_items: list[epub.EpubItem],
    deflated: _DeflatedAhead,
    pictures: list[epub.EpubItem],
) -> bytes:
    """The EPUB file of what ``made`` holds, with the fonts ``font_items`` and the template
    folders' ``pictures``."""
    # A chart drawn in the book (the visual timeline, inline SVG) is visual content.
    charts = any("svg" in document.properties for document in made.documents)
    book = _book(briefing, options, charts)
    for item in font_items:
        deflated.add(f"{book.FOLDER_NAME}/{item.file_name}", item.content)
    document_items = list(_document_items(made.documents))
    for item in (
        *document_items,
        _stylesheet_item(stylesheet),
        *font_items,
        _cover_item(made.cover),
        *_image_items(briefing),
        *pictures,
    ):
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.toc = [epub.Link(entry.href, entry.label, entry.uid) for entry in toc_entries(briefing)]
    # The EPUB 2 guide, for readers that know no landmarks.
    book.guide = [
        {"type": _GUIDE_TYPES[mark.kind], "href": mark.href, "title": mark.label}
        for mark in landmarks(briefing)
    ]
    # The items themselves, not their ids: ebooklib looks each id up among all the items,
    # which for 1,000 events is a million comparisons.
    book.spine = document_items
    return _write(book, modified(briefing, options), deflated)


_GUIDE_TYPES = {"cover": "cover", "toc": "toc", "bodymatter": "text"}


#: From this many events on, the documents are made, and the characters they show found, in
#: two processes, this one and a child forked on the second core (briefgen/forked.py), which
#: also draws the cover. Together they take two thirds of a second at 1,000 events, a sixth
#: at 200 events, where forking would save less than it costs a batch that keeps both cores
#: busy already.
SPLIT_FROM = 300


CharactersByFace = dict[fonts.FontFace, set[str]]


@dataclass(frozen=True)
class Contents:
    """What the EPUB shows, made before it is packed."""

    documents: list[Document]
    """Every XHTML document in reading order (:func:`content_documents`)."""
    characters: CharactersByFace
    """The characters each shipped face must draw: what the stylesheet sets in it in the
    documents (the serif, the body face, also gets whatever names no shipped face) and, in
    the body face, list markers."""
    cover: bytes
    """The cover picture (PNG)."""


def make_contents(briefing: Briefing, options: BuildOptions, css: str) -> Contents:
    """The documents, their characters by face under the stylesheet ``css``, and the cover.

    For a long briefing, this process makes the front matter and a child process the back
    matter and the cover; then each takes runs of events from a queue they share until
    none is left, so that both finish together however fast each core goes."""
    if len(briefing.events) < SPLIT_FROM:
        whole = _Share(briefing, options, css)
        whole.add((0, 0), content_documents(briefing, options))
        return Contents(
            [whole.documents[place] for place in sorted(whole.documents)],
            _with_list_markers(whole.gathered.found()),
            cover_png(briefing),
        )
    mine = _Share(briefing, options, css)
    # The first event made here, before the child is forked, so that its template is
    # compiled and the people's appearances worked out once, not once in each process.
    mine.add((1, 0), _event_documents(briefing, options, 0, 1))
    with _EventRuns(len(briefing.events), first=1) as runs:

        def child_share() -> tuple[dict[tuple[int, int], Document], dict[str, str], bytes]:
            theirs = _Share(briefing, options, css)
            theirs.add((2, 0), _back_documents(briefing, options))
            cover = cover_png(briefing)
            theirs.take(runs)
            return theirs.documents, theirs.characters(), cover

        child = forked.Forked(child_share)
        try:
            mine.add((0, 0), _front_documents(briefing, options))
            mine.take(runs)
        except BaseException:
            child.stop()  # else it would wait for ever to send what nobody reads
            raise
        made, characters, cover = child.result()
    made.update(mine.documents)
    here = mine.characters()
    return Contents(
        [made[place] for place in sorted(made)],
        _with_list_markers(
            {face: set(here[face.file] + characters[face.file]) for face in fonts.FACES}
        ),
        cover,
    )


def _with_list_markers(characters: CharactersByFace) -> CharactersByFace:
    """``characters``, with what readers may draw in the body face on their own."""
    characters[fonts.SERIF].update(_LIST_MARKERS)
    return characters


class _Share:
    """The documents one process makes, by their place in reading order ((0, n) the front
    matter, (1, n) the events, (2, n) the back matter), and the characters they show."""

    def __init__(self, briefing: Briefing, options: BuildOptions, css: str) -> None:
        self.briefing = briefing
        self.options = options
        self.documents: dict[tuple[int, int], Document] = {}
        self.gathered = FaceCharacters(css, fonts.SERIF)

    def add(self, first: tuple[int, int], documents: list[Document]) -> None:
        part, start = first
        for offset, document in enumerate(documents):
            self.documents[part, start + offset] = document
            try:
                self.gathered.add(document.xhtml)
            except ET.ParseError as error:
                raise not_well_formed(document, error, self.briefing, self.options) from None

    def take(self, runs: _EventRuns) -> None:
        """Make the events of each run taken from ``runs`` until none is left."""
        for start, stop in runs:
            self.add((1, start), _event_documents(self.briefing, self.options, start, stop))

    def characters(self) -> dict[str, str]:
        """The characters by face, by the face's file name (as a child sends them back)."""
        return {face.file: "".join(chars) for face, chars in self.gathered.found().items()}


class _EventRuns:
    """Runs of events handed out one at a time to whichever process asks first: a pipe
    holding a byte for each run, written in full before the child is forked, which both
    processes read a byte at a time (a read takes a whole byte, and each byte only once)."""

    def __init__(self, count: int, first: int) -> None:
        # At most 255 runs, each numbered by one byte, and no shorter than 8 events.
        self.first = first
        self.count = count
        self.size = max(8, -(-(count - first) // 255))
        self.read_end, write_end = os.pipe()
        # A few hundred bytes: less than any pipe holds, so the write returns at once.
        os.write(write_end, bytes(range(-(-(count - first) // self.size))))
        os.close(write_end)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        while token := os.read(self.read_end, 1):
            start = self.first + token[0] * self.size
            yield start, min(start + self.size, self.count)

    def __enter__(self) -> _EventRuns:
        return self

    def __exit__(self, *exc_info: object) -> None:
        os.close(self.read_end)


def content_documents(briefing: Briefing, options: BuildOptions) -> list[Document]:
    """Every XHTML document in reading order: the front cover, the title page (with the
    summary), the contents, each event, then the people and the sources."""
    return [
        *_front_documents(briefing, options),
        *_event_documents(briefing, options, 0, len(briefing.events)),
        *_back_documents(briefing, options),
    ]


def _front_documents(briefing: Briefing, options: BuildOptions) -> list[Document]:
    """The front cover, the title page (with the summary) and the contents."""
    cover_page = _page(
        "epub/front-cover.xhtml",
        briefing,
        options,
        cover_src=_from_text(COVER_IMAGE),
        cover_alt=cover_alt(briefing),
    )
    cover = _page("epub/cover.xhtml", briefing, options)
    documents = [
        Document(
            "front-cover", _text_file("front-cover"), cover_page, (), "epub/front-cover.xhtml"
        ),
        Document("cover", _text_file("cover"), cover, (), "epub/cover.xhtml"),
        Document("nav", NAV_FILE, _nav_page(briefing, options), ("nav",), "epub/nav.xhtml"),
    ]
    return [_finished(document, briefing, options) for document in documents]


def _event_documents(
    briefing: Briefing, options: BuildOptions, start: int, stop: int
) -> list[Document]:
    """The documents of the events from ``start`` up to ``stop``, one each."""
    documents = []
    for index in range(start, min(stop, len(briefing.events))):
        anchor = event_id(index)
        page = _page(
            "epub/event.xhtml", briefing, options, event=briefing.events[index], index=index
        )
        document = Document(anchor, _text_file(anchor), page, (), "epub/event.xhtml")
        documents.append(_finished(document, briefing, options))
    return documents


def _back_documents(briefing: Briefing, options: BuildOptions) -> list[Document]:
    """The people and the sources, where there are any."""
    documents = []
    for section, present in (("people", briefing.people), ("sources", briefing.sources)):
        if present:
            page = _page(f"epub/{section}.xhtml", briefing, options)
            document = Document(section, _text_file(section), page, (), f"epub/{section}.xhtml")
            documents.append(_finished(document, briefing, options))
    return documents


def _finished(document: Document, briefing: Briefing, options: BuildOptions) -> Document:
    try:
        if options.vertical:
            document = replace(document, xhtml=mark_digits(document.xhtml))
        return _with_svg_property(document)
    except ET.ParseError as error:
        raise not_well_formed(document, error, briefing, options) from None


def not_well_formed(
    document: Document, error: ET.ParseError, briefing: Briefing, options: BuildOptions
) -> BuildError:
    """The error for a document that is not XML, as a template folder's template can make
    it: which template, which document, and where in it."""
    line, column = error.position
    shown = document.xhtml.splitlines()[line - 1] if line else ""
    shown = shown[max(0, column - 30) : column + 30].strip()
    named = template_file(document.template, briefing, options)
    # The document's template may be briefgen's own, with a partial of the user's in it.
    others = [
        file for file in users_templates_in(document.template, briefing, options) if file != named
    ]
    return BuildError(
        f"{named}: the EPUB document it makes "
        f"({document.file_name}) is not well-formed XHTML: {error}"
        + (f", near: {shown}" if shown else "")
        + "\n    hint: "
        + (f"it includes your {', '.join(others)}; " if others else "")
        + "an EPUB template is XML: close every element (<br/>, <img …/>), and "
        "write & and < in text as &amp; and &lt;"
    )


#: What each file of the book loads: its name in the package, the template it was made
#: from, and the references.
Loaded = list[tuple[str, str, list[str]]]


def _loaded(documents: list[Document], stylesheet: str) -> Loaded:
    """What the stylesheet and each document load, read once for the checks below."""
    return [
        (STYLESHEET, "epub/book.css", list(css_references(stylesheet))),
        *(
            (document.file_name, document.template, list(document_references(document.xhtml)))
            for document in documents
        ),
    ]


def _refuse_outside_references(loaded: Loaded, briefing: Briefing, options: BuildOptions) -> None:
    """Refuses a book whose templates load a file from outside it, naming the template."""
    for file_name, template, references in loaded:
        reference = first_outside(iter(references), posixpath.dirname(file_name))
        if reference is None:
            continue
        named = template_file(template, briefing, options)
        others = [file for file in users_templates_in(template, briefing, options) if file != named]
        raise BuildError(
            f"{named}: the EPUB {file_name} it makes loads {reference}, outside the book "
            "(EPUBCheck refuses a file on the web or on this computer, and readers show "
            "nothing for it)\n    hint: "
            + (f"it includes your {', '.join(others)}; " if others else "")
            + "an EPUB shows only what briefgen packs in it: leave the reference out of the "
            "EPUB's templates (an event's picture is its image: field; a picture of your "
            'template folder is asset("logo.svg"))'
        )


def _held(briefing: Briefing, documents: list[Document], pictures: list[epub.EpubItem]) -> set[str]:
    """The files the book holds (_packed), by their place in the package."""
    return {
        STYLESHEET,
        COVER_IMAGE,
        *(document.file_name for document in documents),
        *(font_file(face) for face in faces(briefing)),
        *(image_file(index, event) for index, event in enumerate(briefing.events) if event.image),
        *(picture.file_name for picture in pictures),
    }


def _refuse_missing_files(
    loaded: Loaded, held: set[str], briefing: Briefing, options: BuildOptions
) -> None:
    """Refuses a book whose templates load a file inside it that it does not hold (a
    picture by a path of its own, ``<img src="logo.png">``): EPUBCheck refuses such a book
    (RSC-007) and readers show nothing for it."""
    for file_name, template, references in loaded:
        folder = posixpath.dirname(file_name)
        for reference in references:
            parts = urlsplit(reference)
            if parts.scheme or not parts.path:  # data:, or a place in the document itself
                continue
            target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
            if target in held:
                continue
            named = template_file(template, briefing, options)
            others = [
                file for file in users_templates_in(template, briefing, options) if file != named
            ]
            raise BuildError(
                f"{named}: the EPUB {file_name} it makes loads {reference}, which the book does "
                f"not hold ({target}): EPUBCheck refuses it, and readers show nothing for it"
                "\n    hint: "
                + (f"it includes your {', '.join(others)}; " if others else "")
                + 'show a picture of your template folder with asset("logo.png"), and an '
                "event's picture with its image: field"
            )


def _template_pictures(
    loaded: Loaded, briefing: Briefing, options: BuildOptions
) -> list[epub.EpubItem]:
    """The template folders' pictures the book loads (``asset()`` gives their place in
    ``assets/``), each packed once. Found in what the documents load rather than gathered
    as the templates ask for them: a long book's documents are partly made in a child
    process (make_contents)."""
    folders = template_folders(briefing, options)
    found: dict[str, str] = {}
    for file_name, template, references in loaded:
        for reference in references:
            name = _asset_name(reference, posixpath.dirname(file_name))
            if name is not None:
                found.setdefault(name, template)
    items = []
    for index, (name, template) in enumerate(sorted(found.items())):
        try:
            path = assets.find(name, folders)
        except assets.AssetError as error:  # an assets/ address written in a template
            named = template_file(template, briefing, options)
            others = [
                file for file in users_templates_in(template, briefing, options) if file != named
            ]
            raise BuildError(
                f"{named}: the EPUB loads {_reference_of(name)}: {error.message}\n    hint: "
                + (f"it includes your {', '.join(others)}; " if others else "")
                + error.hint
            ) from None
        items.append(
            epub.EpubItem(
                uid=f"template-picture-{index + 1}",
                file_name=assets.epub_file(name),
                media_type=assets.media_type(path),
                content=path.read_bytes(),
            )
        )
    return items


def _reference_of(name: str) -> str:
    """How the book's documents reach the template folder's picture ``name``."""
    return _from_text(assets.epub_file(name))


def _asset_name(reference: str, folder: str) -> str | None:
    """The name of the template folder's picture ``reference``, made in the package's
    ``folder``, loads, if it loads one (an address in ``assets/``)."""
    parts = urlsplit(reference)
    if parts.scheme or not parts.path:
        return None
    path = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
    prefix = assets.EPUB_FOLDER + "/"
    return path[len(prefix) :] if path.startswith(prefix) else None


def _with_svg_property(document: Document) -> Document:
    # EPUB requires the manifest to say which documents hold SVG (a chart in the summary,
    # say), and EPUBCheck checks it.
    if (
        not _may_hold_svg(document.xhtml)
        or next(ET.fromstring(document.xhtml).iter(_SVG), None) is None
    ):
        return document
    return replace(document, properties=(*document.properties, "svg"))


def _may_hold_svg(xhtml: str) -> bool:
    """Whether an SVG element could be in ``xhtml``: only where the SVG namespace is named,
    in so many letters or through a reference (``&#115;`` is an "s"), so that the many
    documents that hold none are not parsed for it."""
    return _SVG_NAMESPACE in xhtml or "&" in xhtml


def cover_alt(briefing: Briefing) -> str:
    """The front cover's text alternative: the words it shows, in its order."""
    return wording(briefing.lang).joiner.join(cover_texts(briefing))


def toc_entries(briefing: Briefing) -> list[TocEntry]:
    """What the navigation document and the NCX list, in reading order."""
    labels = language(briefing.lang)
    entries = []
    if briefing.summary:
        entries.append(TocEntry("toc-summary", labels.summary, _text_file("cover") + "#summary"))
    for index, event in enumerate(briefing.events):
        anchor = event_id(index)
        entries.append(
            TocEntry(
                f"toc-{anchor}",
                f"{labels.period(event)}{labels.title_separator}{event.title}",
                _text_file(anchor),
            )
        )
    if briefing.people:
        entries.append(TocEntry("toc-people", labels.people, _text_file("people")))
    if briefing.sources:
        entries.append(TocEntry("toc-sources", labels.sources, _text_file("sources")))
    return entries


def landmarks(briefing: Briefing) -> list[Landmark]:
    """The cover, the contents, and where reading starts: the first event."""
    words = wording(briefing.lang)
    return [
        Landmark("cover", words.cover, _text_file("front-cover")),
        Landmark("toc", language(briefing.lang).contents, f"{NAV_FILE}#toc"),
        Landmark("bodymatter", words.start, _text_file(event_id(0))),
    ]


def _nav_page(briefing: Briefing, options: BuildOptions) -> str:
    return _page(
        "epub/nav.xhtml",
        briefing,
        options,
        toc=[replace(entry, href=_from_text(entry.href)) for entry in toc_entries(briefing)],
        landmarks=[replace(mark, href=_from_text(mark.href)) for mark in landmarks(briefing)],
    )


def _page(template: str, briefing: Briefing, options: BuildOptions, **extra: Any) -> str:
    # Every XHTML document sits in text/, so links between them are bare file names.
    return render(
        template,
        briefing,
        options,
        stylesheet_href=_from_text(STYLESHEET),
        people_href="people.xhtml",
        events_href=lambda anchor: f"{anchor}.xhtml",
        image_src=lambda event: _from_text(image_file(briefing.events.index(event), event)),
        asset=lambda name=None: _asset_href(name, briefing, options),
        wording=wording(briefing.lang),
        **extra,
    )


@cache  # the stylesheet's href, asked for by every document
def _from_text(href: str) -> str:
    """A package-relative ``href`` as a document in text/ links to it."""
    path, _, anchor = href.partition("#")
    relative = posixpath.relpath(path, TEXT_FOLDER)
    return f"{relative}#{anchor}" if anchor else relative


def _text_file(stem: str) -> str:
    return f"{TEXT_FOLDER}/{stem}.xhtml"


def image_file(index: int, event: Event) -> str:
    assert event.image is not None
    return f"images/{event_id(index)}{event.image.suffix.lower()}"


def font_file(face: fonts.FontFace) -> str:
    return f"{FONT_FOLDER}/{face.file}"


def _document_items(documents: Iterable[Document]) -> Iterator[epub.EpubItem]:
    # Plain items, not EpubHtml or EpubNav: ebooklib would re-serialise an EpubHtml body and
    # put spaces between inline elements, which show in CJK text, and would write a
    # navigation document of its own.
    for document in documents:
        item = epub.EpubItem(
            uid=document.uid,
            file_name=document.file_name,
            media_type="application/xhtml+xml",
            content=document.xhtml.encode("utf-8"),
        )
        item.properties = list(document.properties)  # ebooklib writes them to the manifest
        yield item


def _stylesheet(briefing: Briefing, options: BuildOptions) -> str:
    # The stylesheet lives in styles/, the fonts in fonts/.
    font_css = fonts.font_face_css(lambda face: f"../{font_file(face)}", faces(briefing))
    return render(
        "epub/book.css",
        briefing,
        options,
        font_css=font_css,
        asset=lambda name=None: _asset_href(name, briefing, options),
    )


def _asset_href(name: object, briefing: Briefing, options: BuildOptions) -> str:
    """Where a template folder's picture is packed, as the documents in text/ and the
    stylesheet in styles/ both reach it (packed by _template_pictures)."""
    assets.find(name, template_folders(briefing, options))  # there, a picture, and a name
    return _reference_of(str(name))


def _stylesheet_item(css: str) -> epub.EpubItem:
    return epub.EpubItem(
        uid="stylesheet", file_name=STYLESHEET, media_type="text/css", content=css.encode("utf-8")
    )


def _font_items(
    characters: CharactersByFace,
    lang: str,
    user_faces: tuple[fonts.UserFace, ...] = (),
) -> list[epub.EpubItem]:
    """Each shipped face cut down to ``characters``, what the stylesheet sets in it, in
    ``lang``'s forms. The sizes are logged at INFO level (``briefgen`` logger)."""
    by_face: dict[fonts.FontFace, set[str]] = dict(characters)
    # A briefing's own face draws what the stylesheet sets in the shipped face it stands in
    # front of; that face keeps every character too, for those the user's file lacks.
    for own in user_faces:
        by_face[own] = by_face[own.fallback] if own.fallback else set()
    subsets = fonts.subsets(by_face, lang)
    items = []
    for face, chars in by_face.items():
        data = subsets[face]
        log.info("EPUB font %s: %d characters, %d bytes", face.file, len(chars), len(data))
        items.append(
            epub.EpubItem(
                uid=f"font-{face.postscript_name}",
                file_name=font_file(face),
                media_type=face.media_type if isinstance(face, fonts.UserFace) else "font/otf",
                content=data,
            )
        )
    return items


def _cover_item(png: bytes) -> epub.EpubItem:
    item = epub.EpubItem(
        uid=COVER_IMAGE_ID,
        file_name=COVER_IMAGE,
        media_type="image/png",
        content=png,
    )
    item.properties = ["cover-image"]
    return item


def _image_items(briefing: Briefing) -> Iterator[epub.EpubItem]:
    for index, event in enumerate(briefing.events):
        if event.image is not None:
            yield epub.EpubItem(
                uid=f"image-{event_id(index)}",
                file_name=image_file(index, event),
                media_type=IMAGE_TYPES[event.image.suffix.lower()],
                content=event.image.read_bytes(),
            )


def _book(briefing: Briefing, options: BuildOptions, charts: bool = False) -> epub.EpubBook:
    """An ebooklib book holding the package metadata; ``charts``: a document draws one."""
    book = epub.EpubBook()
    book.IDENTIFIER_ID = "pub-id"  # ebooklib's default id is the placeholder "id"
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
    for name, value in accessibility(briefing, charts):
        book.add_metadata("OPF", name, value, {"property": name})
    if options.vertical:
        # Pages turn leftwards (the spine's page-progression-direction). The writing mode
        # itself is in the stylesheet; Kindle and some stores read it from this meta, which
        # is EPUB 2's name/content form: EPUB 3's vocabularies have no property for it.
        book.set_direction("rtl")
        book.add_metadata(
            "OPF",
            "primary-writing-mode",
            "",
            {"name": "primary-writing-mode", "content": "vertical-rl"},
        )
    # For EPUB 2 readers, which know no cover-image property.
    book.add_metadata("OPF", "cover", "", {"name": "cover", "content": COVER_IMAGE_ID})
    # Replaces ebooklib's own generator line, whose version would leak into the bytes.
    book.set_unique_metadata(
        "OPF", "generator", "", {"name": "generator", "content": f"briefgen {__version__}"}
    )
    return book


def accessibility(briefing: Briefing, charts: bool = False) -> list[tuple[str, str]]:
    """The EPUB Accessibility 1.1 metadata, as ``(property, value)`` pairs; ``charts``:
    whether the book draws a chart (the visual timeline)."""
    pictures = [event for event in briefing.events if event.image is not None]
    # The front cover repeats the title page in words, so it adds no visual mode; the
    # events' pictures do, and so does the timeline, a chart of the events' dates.
    visual = bool(pictures) or charts
    modes = ["textual", *(["visual"] if visual else [])]
    # A picture's text alternative is its alt text or its caption, or else only its event's
    # title: text alone suffices when every picture has one of the first two. The
    # timeline's are its description and the contents, which name every event with its date.
    described = all(event.alt or event.caption for event in pictures)
    sufficient = [*(["textual,visual"] if visual else []), *(["textual"] if described else [])]
    # alternativeText holds for every book: the front cover is a picture with one.
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"]
    # briefgen draws nothing that moves or sounds; a picture of the author's that moves may
    # flash, which nobody has checked: its hazards are unknown, not none. (Ace knows no
    # unknownFlashingHazard, and refuses it: "unknown" says the same; the summary, that
    # nothing sounds.)
    words = wording(briefing.lang)
    # A title standing in for a picture is no equivalent of it (WCAG 1.1.1): such a book
    # neither says that every picture has a text alternative nor claims WCAG AA.
    summary = words.accessibility_summary if described else words.undescribed
    hazard = "none"
    if any(animated(event.image) for event in pictures if event.image is not None):
        hazard = "unknown"
        summary = summary.removesuffix(words.no_hazards) + words.animated
    return [
        *(("schema:accessMode", mode) for mode in modes),
        *(("schema:accessModeSufficient", modes) for modes in sufficient),
        *(("schema:accessibilityFeature", feature) for feature in features),
        ("schema:accessibilityHazard", hazard),
        ("schema:accessibilitySummary", summary),
        *([("dcterms:conformsTo", CONFORMS_TO)] if described else []),
    ]


#: An SVG's animation: SMIL elements, or CSS keyframes in its style sheet.
_SVG_ANIMATION = re.compile(
    rb"<(?:[\w-]+:)?(?:animate|animateMotion|animateTransform|set)\b|@keyframes"
)


def animated(path: Path) -> bool:
    """Whether the picture moves: a GIF, PNG (APNG) or WebP of more than one frame, or an
    SVG that animates."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return _SVG_ANIMATION.search(path.read_bytes()) is not None
    if suffix in (".jpg", ".jpeg"):
        return False
    from PIL import Image  # only for briefings with pictures

    try:
        with Image.open(path) as image:
            return bool(getattr(image, "is_animated", False))
    except OSError:  # read as a picture when the briefing was loaded: gone since
        return False


def identifier(briefing: Briefing) -> str:
    """A ``urn:uuid:`` that depends on the title, date and language only, so rebuilds keep
    it. The language tells apart the editions of one briefing (``--script``), whose title
    may read the same in both scripts (金正恩): a reading system takes two books of one
    identifier for one, and files the second over the first."""
    date = briefing.date.isoformat() if briefing.date else ""
    seed = f"briefgen:{briefing.title}:{date}:{briefing.lang}"
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, seed))


def description(summary: str) -> str:
    """The summary as plain text, a line per paragraph, list item or heading, without the
    marks that make them ones (a list's dashes were its items' first characters)."""
    return "\n".join(block_texts(summary))


def modified(briefing: Briefing, options: BuildOptions) -> dt.datetime:
    """``dcterms:modified``: ``SOURCE_DATE_EPOCH`` when set, else when the briefing file last
    changed, else a fixed date; never the clock, so that the same input gives the same bytes."""
    if options.source_date_epoch is not None:
        return _from_epoch(options.source_date_epoch)
    changed = _last_changed(briefing.path) if briefing.path else None
    return changed or _FALLBACK_MODIFIED


def _last_changed(path: Path) -> dt.datetime | None:
    try:
        return _from_epoch(int(path.stat().st_mtime))
    except (OSError, ValueError, OverflowError):
        return None  # gone since it was read, or a time no datetime holds


def _from_epoch(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)  # range checked by BuildOptions


class _Writer(epub.EpubWriter):  # type: ignore[misc]
    """ebooklib's writer, with the package element as EPUB 3 wants it."""

    def _write_opf_file(self, root: Any) -> None:
        # ebooklib declares the rendition: prefix whatever the book uses; briefgen uses no
        # prefix that needs declaring (schema:, a11y: and dcterms: are reserved). The
        # package's language is the metadata's, which Ace checks.
        root.attrib.pop("prefix", None)
        root.set(_XML_LANG, self.book.language)
        # Every language briefgen sets runs left to right (vertical lines too: their inline
        # direction is ltr); said on the package and each document, as EPUB Accessibility
        # asks, so that no reading system has to guess.
        root.set("dir", "ltr")
        super()._write_opf_file(root)

    def _get_ncx(self) -> bytes:
        """The NCX as ebooklib 0.20 writes it for briefgen's contents, a flat list of
        links in play order, but for its depth, and in time that grows with the entries:
        ebooklib searches the navMap's children for a ``content`` element before adding
        each entry, half a million steps at 1,000 events (20 ms), 4.5 million at 3,000.
        ebooklib writes a depth of 0 whatever the navMap holds; briefgen's contents are
        one level deep (an entry per event, the people, the sources)."""
        if not all(isinstance(entry, epub.Link) for entry in self.book.toc):
            raise BuildError("briefgen writes an NCX of links only")
        root = parse_string(self.book.get_template("ncx")).getroot()
        head = etree.SubElement(root, "head")
        for name, content in (
            ("dtb:uid", self.book.uid),
            ("dtb:depth", "1"),
            ("dtb:totalPageCount", "0"),
            ("dtb:maxPageNumber", "0"),
        ):
            etree.SubElement(head, "meta", {"content": content, "name": name})
        etree.SubElement(etree.SubElement(root, "docTitle"), "text").text = self.book.title
        nav_map = etree.SubElement(root, "navMap")
        first = self.options["play_order"]["start_from"]
        for order, entry in enumerate(self.book.toc, start=first):
            point = etree.SubElement(nav_map, "navPoint", {"id": entry.uid})
            point.set("playOrder", str(order))
            etree.SubElement(etree.SubElement(point, "navLabel"), "text").text = entry.title
            etree.SubElement(point, "content", {"src": entry.href})
        ncx: bytes = etree.tostring(root, pretty_print=True, encoding="utf-8", xml_declaration=True)
        return ncx

    def write(self) -> None:
        # ebooklib 0.20's own, into a zip that stamps every entry alike.
        self.out = _StampedZip(self.file_name, self.options["mtime"], self.options["deflated"])
        self.out.writestr("mimetype", "application/epub+zip")
        self._write_container()
        self._write_opf()
        self._write_items()
        self.out.close()


class _StampedZip(zipfile.ZipFile):
    """A zip whose entries carry a fixed time and attributes, whatever the writer asks for:
    ebooklib stamps each entry with the time of writing. ``mimetype``, the first, stays
    uncompressed, as EPUB requires."""

    def __init__(self, file: IO[bytes], when: dt.datetime, deflated: _DeflatedAhead) -> None:
        super().__init__(file, "w")
        self.stamp = max(when, _ZIP_EPOCH).timetuple()[:6]
        self.deflated = deflated

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        fixed = zipfile.ZipInfo(name, date_time=self.stamp)
        fixed.create_system = 3  # Unix, whatever the platform, so the bytes do not vary
        fixed.external_attr = 0o644 << 16
        fixed.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
        ahead = None if isinstance(data, str) else self.deflated.get(name)
        if ahead is None or isinstance(data, str):
            super().writestr(fixed, data, compresslevel=_level(name))
            return
        # As writestr does, with the entry's deflated bytes ready: zipfile still computes
        # the sizes and checksum from ``data``, and its compressor's output (the same bytes)
        # is replaced by what is ready. Without the private ``_compressor`` (another
        # Python), zipfile deflates ``data`` itself, to the same bytes.
        fixed.file_size = len(data)
        with self.open(fixed, mode="w") as entry:
            if hasattr(entry, "_compressor"):
                entry._compressor = _Ready(ahead)
            entry.write(data)


#: zlib's default level: level 9 took 45 ms longer at 1,000 events (0.17 s against 0.12 s)
#: to save 2 KB of 3.4 MB, most of which is the fonts.
_ZIP_LEVEL = 6
#: The fonts' level. Their outlines deflate by a fifth at any level: at 1,000 events the
#: 2.95 MB of subsets make 2.40 MB at level 6 and 2.43 MB at level 1, which takes zlib
#: 0.09 s instead of 0.15 s, and the packing waited for the fonts last. (The documents,
#: text, deflate better at level 6: 837 KB against 855 KB, for 8 ms.)
_FONT_LEVEL = 1


def _level(name: str) -> int:
    """The level the zip entry ``name`` is deflated at."""
    # A font sits in fonts/ in ebooklib's package folder (EPUB/fonts/…).
    in_fonts = posixpath.basename(posixpath.dirname(name)) == FONT_FOLDER
    return _FONT_LEVEL if in_fonts else _ZIP_LEVEL


class _DeflatedAhead:
    """Zip entries deflated on a thread of their own, as zipfile deflates them (raw
    deflate at the entry's :func:`_level`), while this thread goes on: zlib lets go of
    the interpreter while it works, so the two run at once on two cores. The fonts of a
    1,000-event book took 0.15 s to deflate at level 6, the serif two thirds of it. The
    thread takes the entries in the order added; when this thread gets to an entry not
    yet ready, it deflates one the thread has not started, from the last added, instead
    of waiting: the thread deflating the serif while this thread wrote the documents and
    then waited for it, the sans waited its turn behind it, with one core idle."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.waiting: dict[str, bytes] = {}
        """Added and not yet started, in the order added."""
        self.done: dict[str, bytes | None] = {}
        """Deflated, or None where the thread failed (zipfile then deflates the entry)."""
        self.closed = False
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._deflate, daemon=True)
        self.thread.start()

    def add(self, name: str, data: bytes) -> None:
        """Deflate the entry ``name`` of ``data``."""
        with self.changed:
            self.names.add(name)
            self.waiting[name] = data
            self.changed.notify_all()

    def _deflate(self) -> None:
        while (entry := self._take(first=True)) is not None:
            self._finish(*entry)

    def _take(self, first: bool) -> tuple[str, bytes] | None:
        """An entry not yet started, the first added (for the thread, which waits for one
        until joined) or the last (for this thread, which does not wait)."""
        with self.changed:
            if first:
                self.changed.wait_for(lambda: self.waiting or self.closed)
            if not self.waiting:
                return None
            name = next(iter(self.waiting)) if first else next(reversed(self.waiting))
            return name, self.waiting.pop(name)

    def _finish(self, name: str, data: bytes) -> None:
        deflated = None
        try:
            deflated = _raw_deflate(data, _level(name))
        finally:
            with self.changed:
                self.done[name] = deflated
                self.changed.notify_all()

    def get(self, name: str) -> bytes | None:
        """The entry's deflated bytes, once ready; None for an entry not deflated ahead (or
        one the thread failed to deflate, which zipfile then deflates)."""
        if name not in self.names:
            return None
        while name not in self.done:
            entry = self._take(first=False)
            if entry is None:
                with self.changed:
                    self.changed.wait_for(lambda: name in self.done)
            else:
                self._finish(*entry)
        return self.done[name]

    def join(self) -> None:
        """Wait for the thread to end (no more entries can be added); entries it has not
        started are deflated by :meth:`get`."""
        with self.changed:
            self.closed = True
            self.changed.notify_all()
        self.thread.join()


def _raw_deflate(data: bytes, level: int) -> bytes:
    """``data`` deflated as zipfile deflates an entry at ``level``."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class _Ready:
    """A zipfile compressor that gives back deflated bytes already made."""

    def __init__(self, deflated: bytes) -> None:
        self.deflated = deflated

    def compress(self, data: bytes) -> bytes:
        deflated, self.deflated = self.deflated, b""
        return deflated

    def flush(self) -> bytes:
        return b""


def _write(book: epub.EpubBook, when: dt.datetime, deflated: _DeflatedAhead) -> bytes:
    package = io.BytesIO()
    book.set_template("ncx", _ncx_template(book.language))
    # The NCX schema requires playOrder, which ebooklib leaves out unless asked. The book has
    # no page breaks, so no page list. (Called as write_epub would, but with _Writer, whose
    # errors are raised as they are.)
    writer = _Writer(
        package,
        book,
        {
            "mtime": when,
            "epub3_pages": False,
            "play_order": {"enabled": True, "start_from": 1},
            "deflated": deflated,
        },
    )
    writer.process()
    writer.write()
    return package.getvalue()


def _ncx_template(lang: str) -> bytes:
    # ebooklib's own, with the book's language: the NCX's labels are in it too.
    return (
        '<!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" '
        '"http://www.daisy.org/z3986/2005/ncx-2005-1.dtd">\n'
        f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="{lang}" />'
    ).encode()
