"""The fetcher WeasyPrint reads through: the briefing's folder and memory, nothing else."""

from __future__ import annotations

import base64
import re
import socket
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pdfplumber
import pytest

import briefgen
from briefgen import drawing_limit
from briefgen.fetch import BriefingFetcher

IMAGE = b"\x89PNG\r\n\x1a\n not really, but the fetcher only passes bytes on"
SECRET = b"outside the briefing's folder"


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """The briefing's folder (with ``map.png`` and ``sub/``) and a sibling it must not read."""
    folder, elsewhere = tmp_path / "briefing", tmp_path / "elsewhere"
    (folder / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    (folder / "map.png").write_bytes(IMAGE)
    (elsewhere / "secret.txt").write_bytes(SECRET)
    return folder, elsewhere


@pytest.fixture
def fetcher(folders) -> BriefingFetcher:
    return BriefingFetcher([folders[0]])


@pytest.fixture
def no_network(monkeypatch) -> list[tuple]:
    """Record (and stop) every attempt to open a connection or look a host up."""
    attempts: list[tuple] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("the test forbids network access")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    for lookup in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        monkeypatch.setattr(socket, lookup, refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def _refused(fetcher: BriefingFetcher, url: str) -> None:
    with pytest.raises(ValueError, match=re.escape(url)):
        fetcher.fetch(url)


def test_a_file_in_the_folder_is_served(fetcher, folders):
    folder, _ = folders
    for url in (
        f"{folder.as_uri()}/map.png",
        # A ".." that stays inside the folder is fine.
        f"{folder.as_uri()}/sub/../map.png",
    ):
        response = fetcher.fetch(url)
        try:
            assert response.read() == IMAGE
        finally:
            response.close()


def test_a_file_outside_the_folder_is_refused(fetcher, folders):
    _, elsewhere = folders
    assert (elsewhere / "secret.txt").read_bytes() == SECRET  # there, and readable
    _refused(fetcher, (elsewhere / "secret.txt").as_uri())
    _refused(fetcher, "file:///etc/passwd")


@pytest.mark.parametrize(
    "escape",
    [
        "../elsewhere/secret.txt",
        "sub/../../elsewhere/secret.txt",
        "%2E%2E/elsewhere/secret.txt",
        "../../../../../../../../etc/passwd",
    ],
)
def test_dot_dot_out_of_the_folder_is_refused(fetcher, folders, escape):
    folder, _ = folders
    _refused(fetcher, f"{folder.as_uri()}/{escape}")


def test_a_symlink_out_of_the_folder_is_refused(fetcher, folders):
    folder, elsewhere = folders
    (folder / "link.txt").symlink_to(elsewhere / "secret.txt")
    (folder / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
    assert (folder / "link.txt").read_bytes() == SECRET  # the links work
    _refused(fetcher, f"{folder.as_uri()}/link.txt")
    _refused(fetcher, f"{folder.as_uri()}/linked-folder/secret.txt")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/map.png",
        "https://example.org/map.png",
        "HTTP://127.0.0.1:9/map.png",
        "ftp://example.org/map.png",
    ],
)
def test_network_addresses_are_refused_without_touching_the_network(fetcher, no_network, url):
    _refused(fetcher, url)
    assert no_network == []


def test_a_file_address_naming_a_host_is_refused_without_looking_it_up(
    fetcher, folders, no_network
):
    """Python's file handler looks a file address's host up to see whether it is this
    machine: a query to the network for a name a template chose, before the file is read."""
    folder, _ = folders
    _refused(fetcher, f"file://example.org{folder}/map.png")
    assert no_network == []
    response = fetcher.fetch(f"file://localhost{folder}/map.png")  # this machine, by name
    try:
        assert response.read() == IMAGE
    finally:
        response.close()
    assert no_network == []


def test_in_memory_files_are_served_as_given(folders, no_network):
    folder, _ = folders
    font = "file:///nowhere/briefgen-test/NotoSerifCJK-Regular.otf"  # neither there nor allowed
    fetcher = BriefingFetcher([folder], in_memory={font: b"subset bytes"})
    response = fetcher.fetch(font)
    assert response.read() == b"subset bytes"
    # Memory answers only for its own addresses.
    _refused(fetcher, "file:///nowhere/briefgen-test/Other.otf")
    assert no_network == []


def test_only_briefgens_fonts_and_templates_are_served_of_its_own_files(tmp_path):
    """Not the rest of its resources, nor (in a source checkout) the repository around them."""
    from briefgen.resources import resource_path

    fetcher = BriefingFetcher([tmp_path])
    font = resource_path("fonts", "LICENSE-OFL.txt").as_uri()
    assert fetcher.fetch(font)
    for refused in (
        resource_path("data", "russia-north-korea.yaml"),
        resource_path("fonts").parent / "pyproject.toml",
    ):
        with pytest.raises(ValueError, match=re.escape(refused.as_uri())):
            fetcher.fetch(refused.as_uri())


def _png_header(width: int, height: int) -> bytes:
    """A PNG that says it is ``width`` × ``height`` and holds no pixels: all Pillow reads to
    tell its size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


def test_a_picture_too_large_is_refused_wherever_it_comes_from(fetcher, folders):
    """A picture inside an SVG drawing or a template's <img> reaches WeasyPrint through the
    fetcher alone, past the limit an event's own picture is held to when it is read."""
    folder, _ = folders
    huge = base64.b64encode(_png_header(10_000, 8_000)).decode()
    (folder / "huge.png").write_bytes(_png_header(10_000, 8_000))
    for url in (f"data:image/png;base64,{huge}", f"data:text/plain;base64,{huge}"):
        with pytest.raises(ValueError, match="10000 × 8000 pixels, more than the 50 megapixels"):
            fetcher.fetch(url)
    with pytest.raises(ValueError, match="10000 × 8000 pixels"):
        fetcher.fetch((folder / "huge.png").as_uri())
    small = base64.b64encode(_png_header(1_000, 800)).decode()
    assert fetcher.fetch(f"data:image/png;base64,{small}").read() == _png_header(1_000, 800)


@pytest.mark.slow
def test_a_drawings_picture_too_large_is_left_out_of_the_pdf_with_a_warning(
    write_briefing, tmp_path, caplog
):
    """A 400 KB drawing holding a 12,000-pixel square took 1.2 GB to lay out."""
    huge = base64.b64encode(_png_header(10_000, 8_000)).decode()
    (tmp_path / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<image width="10" height="10" href="data:image/png;base64,{huge}"/></svg>',
        encoding="utf-8",
    )
    source = write_briefing(
        "title: T\nlang: en\nevents: [{start: 1950, title: E, image: map.svg}]\n"
    )
    briefgen.build(source, "pdf", tmp_path / "out")
    assert "10000 × 8000 pixels, more than the 50 megapixels briefgen lays out" in caplog.text
    with pytest.raises(briefgen.BuildError):
        briefgen.build(source, "pdf", tmp_path / "strict", strict=True)


@pytest.mark.slow
def test_a_drawing_of_copies_of_copies_is_left_out_of_the_pdf_with_a_warning(
    write_briefing, tmp_path, caplog, monkeypatch
):
    """Twelve groups each of ten <use> of the group before, 2 KB, asked WeasyPrint for
    10¹¹ rectangles: the build ran for hours, its memory growing by gigabytes. The text
    after the drawing is still on the page. (The limit is lowered here, for a quick test.)"""
    monkeypatch.setattr(drawing_limit, "MAX_SVG_SHAPES", 2_000)
    groups = ['<g id="g0"><rect width="1" height="1"/></g>']
    for level in range(1, 12):
        groups.append(f'<g id="g{level}">' + f'<use href="#g{level - 1}"/>' * 10 + "</g>")
    (tmp_path / "copies.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs>'
        + "".join(groups)
        + '</defs><use href="#g11"/></svg>',
        encoding="utf-8",
    )
    source = write_briefing(
        "title: T\nlang: en\n"
        "events: [{start: 1950, title: E, image: copies.svg, caption: After the drawing}]\n"
    )
    [pdf] = briefgen.build(source, "pdf", tmp_path / "out")
    assert "copies.svg draws more than 2,000 shapes once its copies" in caplog.text
    with pdfplumber.open(pdf) as document:
        assert "After the drawing" in "".join(page.extract_text() for page in document.pages)


@pytest.mark.slow
def test_a_picture_that_cannot_be_loaded_is_named_short_by_its_data_url(
    write_briefing, tmp_path, caplog
):
    """WeasyPrint quotes the address of a picture it could not load: a drawing's picture,
    a data: URL of hundreds of kilobytes, made a warning of as many characters."""
    damaged = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(30_000)).decode()
    (tmp_path / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        f'<image width="10" height="10" href="data:image/png;base64,{damaged}"/></svg>',
        encoding="utf-8",
    )
    source = write_briefing(
        "title: T\nlang: en\nevents: [{start: 1950, title: E, image: map.svg}]\n"
    )
    briefgen.build(source, "pdf", tmp_path / "out")
    [warning] = [line for line in caplog.messages if "PDF: Failed to load image" in line]
    assert "'data:image/png;base64,iVBORw0KGgoAAAAAA…'" in warning
    assert len(warning) < 300


def test_an_in_memory_picture_is_held_to_the_limit_and_a_subset_is_not_looked_into(folders):
    folder, _ = folders
    picture = "file:///nowhere/templates/huge.png"  # a template folder's picture, in memory
    font = "file:///nowhere/fonts/NotoSerifCJK-Regular.otf"
    huge = _png_header(10_000, 8_000)
    fetcher = BriefingFetcher(
        [folder], in_memory={picture: huge, font: huge}, fonts=frozenset({font})
    )
    with pytest.raises(ValueError, match="10000 × 8000 pixels"):
        fetcher.fetch(picture)
    # Briefgen's own subsets are fonts, served as they are, without asking Pillow.
    assert fetcher.fetch(font).read() == huge


def test_a_pdf_without_pictures_does_not_load_every_picture_format(tmp_path):
    # Each font subset was handed to Pillow to find a picture's size, which made Pillow try,
    # and import, every format it knows: 40 ms of every PDF build.
    code = (
        "import sys, briefgen, PIL.Image\n"
        f"briefgen.build(briefgen.sample_path(), 'pdf', {str(tmp_path)!r})\n"
        "print(sorted(name for name in sys.modules if name.endswith('ImagePlugin')))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "DdsImagePlugin" not in found and "MpegImagePlugin" not in found, found
