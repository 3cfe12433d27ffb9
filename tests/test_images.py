"""An event's image, end to end: inlined in the HTML, drawn in the PDF, packed in the EPUB.

One briefing serves every format: a captioned image next to the briefing file, an image
without a caption in a subfolder (its alternative text is then the event's title), and an
event without an image. A second gives its pictures alt texts of their own.
"""

from __future__ import annotations

import base64
import io
import posixpath
import textwrap
import xml.etree.ElementTree as ET
import zipfile

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

import briefgen
from conftest import figure_alts

CAPTION = "戰線示意圖"
TITLES = ["戰爭爆發", "簽署停戰協定", "蘇聯解體"]
#: Where each event's image is, relative to the briefing file, and its size in pixels.
IMAGES = {0: ("map.png", (40, 20), (255, 0, 0)), 1: ("pictures/flag.png", (12, 30), (0, 0, 255))}

XHTML = "{http://www.w3.org/1999/xhtml}"
NS = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "xhtml": XHTML[1:-1],
}


def _png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", size, colour).save(stream, format="PNG")
    return stream.getvalue()


@pytest.fixture(scope="module")
def pngs() -> dict[int, bytes]:
    """Event index → the exact bytes of its image file."""
    return {index: _png(size, colour) for index, (_, size, colour) in IMAGES.items()}


@pytest.fixture(scope="module")
def briefing(tmp_path_factory, pngs) -> briefgen.Briefing:
    folder = tmp_path_factory.mktemp("images")
    for index, (name, _, _) in IMAGES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(pngs[index])
    path = folder / "briefing.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        title: 圖片測試
        lang: zh-Hant
        events:
          - start: 1950-06-25
            title: {TITLES[0]}
            image: {IMAGES[0][0]}
            caption: {CAPTION}
          - start: 1953-07-27
            title: {TITLES[1]}
            image: {IMAGES[1][0]}
          - start: 1991-12-26
            title: {TITLES[2]}
        """),
        encoding="utf-8",
    )
    return briefgen.load(path)


# -- HTML ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_events(briefing) -> list[ET.Element]:
    html = briefgen.render_html(briefing)
    # Written with closed tags throughout: XML tools read it once the doctype is gone.
    root = ET.fromstring(html.split("\n", 1)[1])
    return root.findall(".//main//section[@class='event']")


def test_html_inlines_each_image_with_its_alt_text_and_caption(html_events, pngs):
    assert len(html_events) == 3
    captioned, uncaptioned, plain = html_events

    [image] = captioned.iter("img")
    prefix = "data:image/png;base64,"
    assert image.get("src").startswith(prefix)
    assert base64.b64decode(image.get("src")[len(prefix) :], validate=True) == pngs[0]
    # The caption, read beside the picture, stands for it: not read a second time as alt.
    assert image.get("alt") == ""
    assert ["".join(c.itertext()).strip() for c in captioned.iter("figcaption")] == [CAPTION]

    [image] = uncaptioned.iter("img")
    assert image.get("src").startswith(prefix)
    assert base64.b64decode(image.get("src")[len(prefix) :], validate=True) == pngs[1]
    assert image.get("alt") == TITLES[1]  # no caption: the title stands in for it
    assert list(uncaptioned.iter("figcaption")) == []

    assert list(plain.iter("img")) == [] and list(plain.iter("figure")) == []


# -- PDF -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(briefing) -> PdfReader:
    return PdfReader(io.BytesIO(briefgen.render_pdf(briefing)))


def _drawn_xobjects(reader: PdfReader, page) -> list[str]:
    """The names of the XObjects a page's own content draws (``Do``), in drawing order.

    WeasyPrint gives every page the same resource dictionary, so ``page.images`` alone
    would list each image on every page."""
    operations = ContentStream(page.get_contents(), reader).operations
    return [str(operands[0]) for operands, operator in operations if operator == b"Do"]


@pytest.mark.slow
def test_a_pdf_a_asks_no_viewer_to_smooth_its_pictures(tmp_path, briefing):
    """PDF/A forbids an image's ``/Interpolate true`` (ISO 19005-3, 6.2.8), which a
    validator reports for each picture of an archive copy; a picture with transparency
    counts its mask too."""
    rgba = io.BytesIO()
    Image.new("RGBA", (20, 20), (255, 0, 0, 128)).save(rgba, format="PNG")
    (tmp_path / "glass.png").write_bytes(rgba.getvalue())
    source = tmp_path / "glass.yaml"
    source.write_text("title: 透明\nevents: [{start: 1950, title: 玻璃, image: glass.png}]\n")
    images = []
    for one in (briefing, briefgen.load(source)):
        reader = PdfReader(io.BytesIO(briefgen.render_pdf(one, pdf_variant="pdf/a-3b")))
        for page in reader.pages:
            for xobject in page["/Resources"]["/XObject"].values():
                image = xobject.get_object()
                images.append(image)
                if "/SMask" in image:
                    images.append(image["/SMask"].get_object())
    assert len(images) >= 4  # the two events' pictures, the glass and its mask
    assert [image.get("/Interpolate", False) for image in images] == [False] * len(images)


@pytest.mark.slow
def test_a_pdf_a_holds_a_cmyk_photo_in_its_output_intents_colours(tmp_path):
    """A press photo is often a CMYK JPEG; a PDF/A whose output intent is sRGB may hold no
    DeviceCMYK (ISO 19005-3, 6.2.4.3): the photo is there, in RGB, in its colour."""
    photo = io.BytesIO()
    Image.new("CMYK", (30, 20), (0, 255, 255, 0)).save(photo, format="JPEG")  # red ink
    (tmp_path / "press.jpg").write_bytes(photo.getvalue())
    source = tmp_path / "press.yaml"
    source.write_text("title: 印刷\nevents: [{start: 1950, title: 照片, image: press.jpg}]\n")
    pdf = briefgen.render_pdf(briefgen.load(source), pdf_variant="pdf/a-3b")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    [image] = [xobject.get_object() for xobject in page["/Resources"]["/XObject"].values()]
    assert image["/ColorSpace"] == "/DeviceRGB"
    [picture] = page.images
    red, green, blue = picture.image.convert("RGB").getpixel((15, 10))
    assert red > 200 and green < 60 and blue < 60


@pytest.mark.slow
def test_pdf_draws_each_image_at_its_size_with_the_caption(pdf, pngs):
    texts = [page.extract_text() for page in pdf.pages]
    drawn = {number: _drawn_xobjects(pdf, page) for number, page in enumerate(pdf.pages)}
    # One page draws images (the cover and contents page draws none): the events' page.
    [number] = [number for number, names in drawn.items() if names]
    page, text = pdf.pages[number], texts[number]
    assert "1950年6月25日" in text and TITLES[0] in text and TITLES[1] in text
    # The caption reads back, and only from the page that shows the image.
    assert [n for n, t in enumerate(texts) if CAPTION in t] == [number]

    images = [page.images[name] for name in drawn[number]]
    assert [image.image.size for image in images] == [IMAGES[0][1], IMAGES[1][1]]
    for image, index in zip(images, (0, 1), strict=True):
        source = Image.open(io.BytesIO(pngs[index])).convert("RGB")
        assert image.image.convert("RGB").tobytes() == source.tobytes()


# -- EPUB ----------------------------------------------------------------------------------


class _Book:
    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        container = ET.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//container:rootfile", NS).get("full-path")
        self.opf = ET.fromstring(self.zip.read(self.opf_path))

    def entry(self, href: str, relative_to: str) -> str:
        """The zip entry a relative ``href`` in the entry ``relative_to`` points at."""
        return posixpath.normpath(posixpath.join(posixpath.dirname(relative_to), href))

    def manifest(self) -> dict[str, str]:
        """Zip entry → media type of every manifest item."""
        return {
            self.entry(item.get("href"), self.opf_path): item.get("media-type")
            for item in self.opf.findall("opf:manifest/opf:item", NS)
        }

    def event_chapters(self) -> list[tuple[str, ET.Element]]:
        """``(zip entry, event section)`` for each event, in reading order."""
        manifest = {
            item.get("id"): self.entry(item.get("href"), self.opf_path)
            for item in self.opf.findall("opf:manifest/opf:item", NS)
        }
        found = []
        for ref in self.opf.findall("opf:spine/opf:itemref", NS):
            entry = manifest[ref.get("idref")]
            root = ET.fromstring(self.zip.read(entry))
            found += [
                (entry, section)
                for section in root.iter(f"{XHTML}section")
                if "event" in section.get("class", "").split()
            ]
        return found


@pytest.fixture(scope="module")
def epub(briefing) -> _Book:
    return _Book(briefgen.render_epub(briefing))


def test_epub_packs_each_image_and_links_it_from_its_event(epub, pngs):
    chapters = epub.event_chapters()
    assert [
        "".join(section.find(f".//{XHTML}h2/{XHTML}span[@class='title']").itertext())
        for _, section in chapters
    ] == TITLES
    manifest = epub.manifest()
    covers = {
        epub.entry(item.get("href"), epub.opf_path)
        for item in epub.opf.findall("opf:manifest/opf:item[@properties='cover-image']", NS)
    }
    images = {entry for entry, kind in manifest.items() if kind.startswith("image/")} - covers
    assert len(covers) == 1
    assert len(images) == 2  # one file per image, nothing for the event without one

    for index, alt in ((0, ""), (1, TITLES[1])):
        chapter, section = chapters[index]
        [image] = section.iter(f"{XHTML}img")
        entry = epub.entry(image.get("src"), chapter)
        assert entry in images
        assert manifest[entry] == "image/png"
        assert epub.zip.read(entry) == pngs[index]
        assert image.get("alt") == alt

    [figcaption] = chapters[0][1].iter(f"{XHTML}figcaption")
    assert "".join(figcaption.itertext()).strip() == CAPTION
    assert list(chapters[1][1].iter(f"{XHTML}figcaption")) == []
    assert list(chapters[2][1].iter(f"{XHTML}img")) == []


# -- alt texts of their own ----------------------------------------------------------------

ALT = "朝鮮半島地圖，以紅線標出北緯38度線"


@pytest.fixture(scope="module")
def alt_briefing(tmp_path_factory, pngs) -> briefgen.Briefing:
    """A picture with a caption and an alt text, and one with an alt text alone."""
    folder = tmp_path_factory.mktemp("alt")
    (folder / "map.png").write_bytes(pngs[0])
    path = folder / "briefing.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        title: 替代文字
        events:
          - start: 1950
            title: {TITLES[0]}
            image: map.png
            caption: {CAPTION}
            alt: {ALT}
          - start: 1953
            title: {TITLES[1]}
            image: map.png
            alt: 停戰線
        """),
        encoding="utf-8",
    )
    return briefgen.load(path)


@pytest.mark.slow
def test_an_alt_text_is_the_pictures_alternative_in_every_format(alt_briefing):
    html = ET.fromstring(briefgen.render_html(alt_briefing).split("\n", 1)[1])
    assert [image.get("alt") for image in html.iter("img")] == [ALT, "停戰線"]

    chapters = _Book(briefgen.render_epub(alt_briefing)).event_chapters()
    alts = [image.get("alt") for _, section in chapters for image in section.iter(f"{XHTML}img")]
    assert alts == [ALT, "停戰線"]

    # The PDF's figures: the timeline's, then the two pictures'.
    pdf = PdfReader(io.BytesIO(briefgen.render_pdf(alt_briefing)))
    assert figure_alts(pdf)[1:] == [ALT, "停戰線"]


@pytest.mark.slow
def test_a_pdf_figure_under_a_caption_has_the_caption_as_its_alternative(pdf):
    """PDF/UA wants an alternative on every figure, so the PDF, unlike the HTML and the
    EPUB, keeps the caption as one where there is no alt."""
    assert figure_alts(pdf)[1:] == [CAPTION, TITLES[1]]


@pytest.mark.slow
def test_a_picture_taller_than_the_page_keeps_its_heading_and_caption_on_its_page(tmp_path):
    """A portrait photo as wide as the column ran taller than an A5 page's text block: its
    event's heading stood alone on a page, the photo filled the next, and its caption began
    the one after. It is drawn at most half the text block tall, with its caption under it,
    on its heading's page or, where it does not fit there, heading the next page after its
    event's text (builders/pdf_pictures.py)."""
    (tmp_path / "tall.png").write_bytes(_png((800, 1400), (240, 220, 200)))
    path = tmp_path / "briefing.yaml"
    path.write_text(
        textwrap.dedent("""\
        title: 直幅照片
        lang: zh-Hant
        events:
          - start: 1950-06-25
            title: 戰爭爆發
            body: 北韓軍隊越過北緯三十八度線。
          - start: 1953-07-27
            title: 簽署停戰協定
            image: tall.png
            caption: 板門店的會場
            body: 停戰協定在板門店簽署，戰火就此停歇。
        """),
        encoding="utf-8",
    )
    pdf = briefgen.render_pdf(briefgen.load(path), paper="A5")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [(page.extract_text(), page.images) for page in document.pages]
    [(number, text, [image])] = [
        (number, text, images) for number, (text, images) in enumerate(pages) if images
    ]
    assert "板門店的會場" in text
    assert sum("板門店的會場" in text for text, _ in pages) == 1
    # The heading is never alone: its text is on its page (the last to hold its title, which
    # the contents hold too), and the picture on that page or the next.
    heading = max(number for number, (text, _) in enumerate(pages) if "簽署停戰協定" in text)
    assert "停戰協定在板門店簽署" in pages[heading][0]
    assert number in (heading, heading + 1)
    # Half the text block of A5: 210 mm less 16 mm above and 18 mm below, in points.
    half = (210 - 16 - 18) / 25.4 * 72 / 2
    assert image["height"] <= half + 0.5, (image["height"], half)
