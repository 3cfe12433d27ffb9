"""``asset("logo.png")``: a picture of a template folder's own, shown by its templates and
its CSS in every format (the PDF's page, the EPUB's package, the HTML's one file), and never
a file outside the folder."""

from __future__ import annotations

import base64
import io
import json
import logging
import xml.etree.ElementTree as ET
from pathlib import Path

import pdfplumber
import pytest
from test_epub import NS, Epub, _epubcheck, _tiny_png, require_java

import briefgen
from conftest import run_cli

BRIEFING = "title: 本地\nevents: [{start: 1950, title: 事件, body: 正文}]\n"

#: A small drawing, for the CSS's background.
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" viewBox="0 0 40 20">'
    '<rect width="40" height="20" fill="#b00020"/></svg>\n'
)


def _house_style(folder: Path) -> Path:
    """A newsroom's house style: its logo (PNG) above the cover, a drawing (SVG) behind
    the summary from the shared stylesheet."""
    (folder / "partials").mkdir(parents=True)
    (folder / "css").mkdir()
    (folder / "img").mkdir()
    (folder / "img" / "logo.png").write_bytes(_tiny_png())
    (folder / "img" / "band.svg").write_text(SVG, encoding="utf-8")
    (folder / "partials" / "cover.html").write_text(
        '<img class="logo" src="{{ asset("img/logo.png") }}" alt="Newsroom" />\n'
        '{% include "!builtin/partials/cover.html" %}\n',
        encoding="utf-8",
    )
    (folder / "css" / "base.css").write_text(
        '{% include "!builtin/css/base.css" %}\n'
        ".logo { width: 30mm; height: 30mm; }\n"
        '.cover { background: url("{{ asset("img/band.svg") }}") no-repeat; }\n',
        encoding="utf-8",
    )
    return folder


@pytest.fixture
def house(tmp_path: Path) -> Path:
    return _house_style(tmp_path / "house")


def _build(write_briefing, house: Path, form: str) -> bytes:
    # The briefing in a folder of its own: the house style is no file of it.
    (house.parent / "desk").mkdir()
    source = write_briefing(BRIEFING, "desk/briefing.yaml")
    [path] = briefgen.build(source, form, house.parent / "out", templates=(house,))
    return path.read_bytes()


def test_the_pdf_shows_the_logo_on_its_first_page(write_briefing, house, caplog):
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        pdf = _build(write_briefing, house, "pdf")
    # Both pictures served (a picture WeasyPrint cannot fetch is a warning, and left out).
    assert caplog.messages == []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        images = document.pages[0].images
    # The logo, at the size the house style's CSS gives it (30 mm: 85 pt).
    assert [(round(image["width"]), round(image["height"])) for image in images] == [(85, 85)]


def test_the_epub_packs_the_pictures_and_shows_them(write_briefing, house):
    book = Epub(_build(write_briefing, house, "epub"))
    types = {item.get("href"): item.get("media-type") for item in book.manifest()}
    assert types["assets/img/logo.png"] == "image/png"
    assert types["assets/img/band.svg"] == "image/svg+xml"
    assert book.read("assets/img/logo.png") == (house / "img" / "logo.png").read_bytes()
    # The title page shows the logo, the stylesheet the drawing, both from the package.
    page = ET.fromstring(book.read("text/cover.xhtml"))
    [logo] = page.iterfind(".//xhtml:img[@class='logo']", NS)
    assert Epub.resolve(logo.get("src"), "text/cover.xhtml") == "assets/img/logo.png"
    assert 'url("../assets/img/band.svg")' in book.read("styles/book.css").decode("utf-8")


@pytest.mark.slow
def test_epubcheck_accepts_the_house_styles_pictures(write_briefing, house, tmp_path):
    require_java()
    status, report = _epubcheck(_build(write_briefing, house, "epub"), tmp_path)
    messages = [f"{m['severity']} {m['ID']} {m['message']}" for m in report["messages"]]
    assert status == 0, messages
    assert [m for m in messages if "CSS-028" not in m] == []  # CSS-028: the fonts


def test_the_html_holds_the_pictures_in_its_one_file(write_briefing, house):
    html = _build(write_briefing, house, "html").decode("utf-8")
    png = base64.b64encode((house / "img" / "logo.png").read_bytes()).decode("ascii")
    svg = base64.b64encode(SVG.encode("utf-8")).decode("ascii")
    assert f'<img class="logo" src="data:image/png;base64,{png}" alt="Newsroom" />' in html
    assert f'url("data:image/svg+xml;base64,{svg}")' in html


def test_a_briefings_own_templates_show_their_pictures(write_briefing, tmp_path):
    # Run in Jinja's sandbox, they may call asset() too.
    _house_style(tmp_path / "house")
    source = write_briefing("templates: house\n" + BRIEFING)
    [html] = briefgen.build(source, "html", tmp_path / "out")
    assert '<img class="logo" src="data:image/png;base64,' in html.read_text(encoding="utf-8")


def _asking_for(folder: Path, name: object) -> None:
    """A cover template in ``folder`` showing ``asset(name)``, ``name`` a Jinja literal
    (None: no name at all)."""
    given = "" if name is None else json.dumps(name)
    (folder / "partials").mkdir(parents=True, exist_ok=True)
    (folder / "partials" / "cover.html").write_text(
        f'<img src="{{{{ asset({given}) }}}}" alt="" />\n', encoding="utf-8"
    )


@pytest.mark.parametrize("form", ["pdf", "epub", "html"])
def test_a_picture_outside_the_folder_is_refused(write_briefing, tmp_path, form):
    (tmp_path / "secret.png").write_bytes(_tiny_png())
    _asking_for(tmp_path / "house", "../secret.png")
    write_briefing(BRIEFING)
    run = run_cli("build", "briefing.yaml", "-f", form, "--templates", "house", cwd=tmp_path)
    assert run.returncode == 1
    err = run.stderr
    assert err.startswith(
        'house/partials/cover.html:1: asset("../secret.png") asks for a file outside its '
        "template folder\n    hint: "
    )
    assert len(err.splitlines()) <= 4
    assert not (tmp_path / "out").exists()


def test_a_link_out_of_the_folder_is_refused(write_briefing, tmp_path):
    (tmp_path / "secret.png").write_bytes(_tiny_png())
    _asking_for(tmp_path / "house", "logo.png")
    (tmp_path / "house" / "logo.png").symlink_to(tmp_path / "secret.png")
    write_briefing(BRIEFING)
    run = run_cli("build", "briefing.yaml", "-f", "pdf", "--templates", "house", cwd=tmp_path)
    assert run.returncode == 1
    assert run.stderr.startswith(
        f'house/partials/cover.html:1: asset("logo.png"): house/logo.png is a link to '
        f"{(tmp_path / 'secret.png').resolve()}, outside the template folder house\n"
    )


def test_a_briefings_own_folder_keeps_its_pictures_inside_itself(write_briefing, tmp_path):
    # A link to a file of the briefing's folder is let through by the load (it stays
    # inside the briefing's folder), but leads out of the template folder.
    (tmp_path / "beside.png").write_bytes(_tiny_png())
    _asking_for(tmp_path / "house", "logo.png")
    (tmp_path / "house" / "logo.png").symlink_to(tmp_path / "beside.png")
    source = write_briefing("templates: house\n" + BRIEFING)
    with pytest.raises(briefgen.BuildError, match=r"house/logo\.png is a link to .*beside\.png"):
        briefgen.build(source, "html", tmp_path / "out")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing.png", 'asset("missing.png"): no such file in '),
        ("notes.txt", 'asset("notes.txt") is no picture: '),
        ("/etc/logo.png", 'asset("/etc/logo.png") asks for a file outside its template folder'),
        ("my logo.png", 'asset("my logo.png"): a picture\'s name holds no space'),
        (42, "asset(42) takes a picture's name, as text"),
        (None, "asset() takes a picture's name, as text"),
    ],
)
def test_a_picture_that_cannot_be_shown_is_named(write_briefing, tmp_path, name, message):
    _asking_for(tmp_path / "house", name)
    (tmp_path / "house" / "notes.txt").write_text("x", encoding="utf-8")
    source = write_briefing(BRIEFING)
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.build(source, "html", tmp_path / "out", templates=(tmp_path / "house",))
    assert "partials/cover.html:1: " + message in str(raised.value)


def test_a_picture_named_in_another_case_is_told_the_files_name(write_briefing, tmp_path):
    """asset("img/Logo.PNG") for img/logo.png shows the logo on Windows and macOS, not on
    Linux, where the hint only said that the name is relative to the template folder."""
    _asking_for(tmp_path / "house", "img/Logo.PNG")
    (tmp_path / "house" / "img").mkdir()
    (tmp_path / "house" / "img" / "logo.png").write_bytes(_tiny_png())
    source = write_briefing(BRIEFING)
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.build(source, "html", tmp_path / "out", templates=(tmp_path / "house",))
    assert str(raised.value).endswith(
        '\n    hint: the file is named "img/logo.png": write it so (Windows and macOS take '
        "either case, other systems tell them apart)"
    )


def test_a_file_that_is_no_picture_of_its_kind_is_refused(write_briefing, tmp_path):
    # The EPUB declares a picture's media type by its suffix; EPUBCheck compares the bytes.
    _asking_for(tmp_path / "house", "logo.png")
    (tmp_path / "house" / "logo.png").write_text("not a picture", encoding="utf-8")
    source = write_briefing(BRIEFING)
    with pytest.raises(briefgen.BuildError, match="is not a PNG image"):
        briefgen.build(source, "epub", tmp_path / "out", templates=(tmp_path / "house",))


def test_a_picture_by_a_path_of_the_templates_own_is_told_of_asset(
    write_briefing, tmp_path, caplog
):
    # The house style's logo asked for as a path: read from the briefing's folder, where it
    # is not; the PDF is made without it, and the warning says how to show it.
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "logo.png").write_bytes(_tiny_png())
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        '<img src="logo.png" alt="Newsroom" />\n', encoding="utf-8"
    )
    source = write_briefing(BRIEFING)
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        briefgen.build(source, "pdf", tmp_path / "out", templates=(tmp_path / "house",))
    [message] = [record.getMessage() for record in caplog.records if record.name == "briefgen"]
    assert message.startswith("PDF: Failed to load image at ")
    assert message.endswith(
        "\n    hint: a path in a template is read from the briefing's folder; a template "
        'shows a picture of its own folder as asset("logo.png")'
    )


def test_the_html_warns_of_a_file_a_template_loads_that_it_does_not_hold(
    write_briefing, tmp_path, caplog
):
    # The one-file HTML is mailed and copied on its own: a logo or a stylesheet it loads by
    # a path shows nothing there. Pictures packed with asset(), data: URLs and the web stay
    # unremarked.
    _house_style(tmp_path / "house")
    (tmp_path / "house" / "partials" / "summary.html").write_text(
        '<img src="logo.png" alt="Newsroom" />\n<link rel="stylesheet" href="house.css" />\n'
        '<img src="https://example.com/mark.png" alt="" /><img src="data:image/png;base64,'
        'AA==" alt="" />\n{% include "!builtin/partials/summary.html" %}\n',
        encoding="utf-8",
    )
    source = write_briefing(BRIEFING)
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        [html] = briefgen.build(source, "html", tmp_path / "out", templates=(tmp_path / "house",))
    assert html.exists()  # a warning: the HTML is written
    template = tmp_path / "house" / "partials" / "summary.html"
    assert caplog.messages == [
        f"HTML: {template} loads logo.png, which the one-file HTML does not hold (a browser "
        "looks for it beside the HTML file)\n    hint: keep the picture in your template "
        'folder and show it with asset("logo.png"), which packs it into the HTML',
        f"HTML: {template} loads house.css, which the one-file HTML does not hold (a browser "
        "looks for it beside the HTML file)\n    hint: write the stylesheet's rules into "
        "your template folder's css/screen.css (the HTML's) or css/base.css (every "
        "format's), which the HTML holds",
    ]
    result = run_cli(
        "build", source, "-f", "html", "--templates", tmp_path / "house", "-o", tmp_path / "o",
        "--strict",
    )  # fmt: skip
    assert result.returncode == 1
    assert f"warning: HTML: {template} loads logo.png" in result.stderr


def test_the_html_of_the_templates_exported_whole_loads_nothing_it_does_not_hold(
    write_briefing, tmp_path, caplog
):
    assert run_cli("templates", "export", tmp_path / "all").returncode == 0
    source = write_briefing(BRIEFING)
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        briefgen.build(source, "html", tmp_path / "out", templates=(tmp_path / "all",))
    assert caplog.messages == []


def test_a_picture_a_template_asks_of_the_web_is_not_told_of_the_briefings_folder(
    write_briefing, tmp_path, caplog
):
    # A web address is no path read from the briefing's folder, as the hint to a path says:
    # briefgen fetches nothing.
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        '<img src="https://example.com/logo.png" alt="Newsroom" />\n', encoding="utf-8"
    )
    source = write_briefing(BRIEFING)
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        briefgen.build(source, "pdf", tmp_path / "out", templates=(tmp_path / "house",))
    [message] = [record.getMessage() for record in caplog.records if record.name == "briefgen"]
    assert message.startswith("PDF: Failed to load image at 'https://example.com/logo.png'")
    assert message.endswith(
        "\n    hint: briefgen fetches nothing from the web; keep the picture in your template "
        'folder and show it as asset("logo.png")'
    )


@pytest.mark.parametrize(
    ("href", "where"),
    [
        ("house.css", "a path in a template is read from the briefing's folder"),
        ("https://example.com/house.css", "briefgen fetches nothing from the web"),
    ],
)
def test_a_linked_stylesheet_is_told_where_a_template_folders_css_goes(
    write_briefing, tmp_path, caplog, href, where
):
    # A house style's own stylesheet linked from a template: the PDF is made without it,
    # and the warning says where its rules go for the PDF to hold them.
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "house.css").write_text("p { color: red }\n", encoding="utf-8")
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        f'<link rel="stylesheet" href="{href}" />\n', encoding="utf-8"
    )
    source = write_briefing(BRIEFING)
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        briefgen.build(source, "pdf", tmp_path / "out", templates=(tmp_path / "house",))
    [message] = [record.getMessage() for record in caplog.records if record.name == "briefgen"]
    assert message.startswith("PDF: Failed to load stylesheet at ")
    assert message.endswith(
        f"\n    hint: {where}; write the stylesheet's rules into your template folder's "
        "css/print.css (the PDF's) or css/base.css (every format's), which the PDF holds"
    )


def test_weasyprints_warning_is_said_once_to_a_programs_logging(write_briefing, tmp_path, caplog):
    # A pipeline with its logging set up (basicConfig, or a framework's) saw each of
    # WeasyPrint's warnings twice: relayed as briefgen's, with its hint, and again from
    # the weasyprint logger as it stood.
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        '<img src="logo.png" alt="Newsroom" />\n', encoding="utf-8"
    )
    source = write_briefing(BRIEFING)
    with caplog.at_level(logging.WARNING):
        briefgen.build(source, "pdf", tmp_path / "out", templates=(tmp_path / "house",))
    said = [(record.name, record.getMessage()) for record in caplog.records]
    assert len(said) == 1
    assert said[0][0] == "briefgen"
    assert said[0][1].startswith("PDF: Failed to load image at ")
    # WeasyPrint's own messages, outside a build, still reach the program's logging.
    with caplog.at_level(logging.WARNING):
        logging.getLogger("weasyprint").warning("a document of the program's own")
    assert caplog.records[-1].name == "weasyprint"


def test_weasyprints_warning_is_relayed_where_logging_records_no_threads(
    write_briefing, tmp_path, caplog, monkeypatch
):
    # A service may turn logging.logThreads off (a record then names no thread): the
    # relay, which takes the records of its own thread, took none, and a strict build
    # wrote the PDF without the picture it could not load.
    monkeypatch.setattr(logging, "logThreads", False)
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        '<img src="logo.png" alt="Newsroom" />\n', encoding="utf-8"
    )
    source = write_briefing(BRIEFING)
    house = (tmp_path / "house",)
    with caplog.at_level(logging.WARNING):
        briefgen.build(source, "pdf", tmp_path / "out", templates=house)
    said = [(record.name, record.getMessage()[:28]) for record in caplog.records]
    assert said == [("briefgen", "PDF: Failed to load image at")]
    with pytest.raises(briefgen.BuildError, match="strict: 1 warning"):
        briefgen.build(source, "pdf", tmp_path / "strict", templates=house, strict=True)
    assert not (tmp_path / "strict").exists()
