"""Fonts of a briefing's own (``fonts:``, ``build --font``): checked when loaded, embedded as
subsets in every format in front of briefgen's faces, which draw what they lack."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from test_epub import epubcheck_messages

import briefgen
from briefgen.cli import main
from briefgen.coverage import missing_glyphs
from conftest import latin_font, printed, pypdf_pages

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")

BRIEFING = """\
title: Own fonts 字型
lang: en
fonts:
  body: {body}
summary: Plain Latin text, and 漢字 too.
events:
  - start: 1950
    title: An event
    body: Body text.
"""


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A briefing whose body font is a small Latin font of the test's making."""
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "tiny.ttf").write_bytes(latin_font())
    path = tmp_path / "briefing.yaml"
    path.write_text(BRIEFING.format(body="fonts/tiny.ttf"), encoding="utf-8")
    return path


def _pdf_fonts(pdf: bytes) -> dict[str, bytes]:
    """The PDF's embedded fonts: base name without the subset tag → the font program."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                name = str(descendant.get_object()["/BaseFont"]).split("+", 1)[-1]
                found[name] = program.get_object().get_data()
    return found


def test_the_briefings_font_is_loaded_as_a_path_inside_its_folder(tiny):
    briefing = briefgen.load(tiny)
    assert briefing.fonts is not None
    assert briefing.fonts.body == tiny.parent / "fonts" / "tiny.ttf"
    assert briefing.fonts.heading is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("../tiny.ttf", 'expected a file inside the briefing\'s folder, found "../tiny.ttf"'),
        ("missing.ttf", 'no such file: "missing.ttf"'),
        ("fonts/tiny.woff2", "expected an OpenType or TrueType font file (.otf or .ttf)"),
        (
            "fonts/fake.ttf",
            '"fonts/fake.ttf" is not a font briefgen can use: it is not a font file',
        ),
        (
            "fonts/web.ttf",
            '"fonts/web.ttf" is not a font briefgen can use: it is a WOFF2 web font',
        ),
        (
            "fonts/empty.otf",
            '"fonts/empty.otf" is not a font briefgen can use: it maps no characters',
        ),
        (
            # Cut short in a copy: HarfBuzz reads its characters, and failed only when it
            # subset the font, as "internal error: RuntimeError: Subsetting failed".
            "fonts/cut.ttf",
            '"fonts/cut.ttf" is not a font briefgen can use: it is damaged: its ',
        ),
    ],
)
def test_a_font_outside_missing_or_not_a_font_is_refused_with_its_place(tiny, body, message):
    (tiny.parent / "fonts" / "fake.ttf").write_bytes(b"not a font at all")
    (tiny.parent / "fonts" / "web.ttf").write_bytes(b"wOF2" + bytes(40))
    (tiny.parent / "fonts" / "empty.otf").write_bytes(b"OTTO" + bytes(40))
    (tiny.parent / "fonts" / "tiny.woff2").write_bytes(latin_font())
    (tiny.parent / "fonts" / "cut.ttf").write_bytes(latin_font()[:-100])
    tiny.write_text(BRIEFING.format(body=body), encoding="utf-8")
    with pytest.raises(briefgen.BriefingError) as raised:
        briefgen.load(tiny)
    [problem] = raised.value.problems
    assert (problem.line, problem.column, problem.field) == (4, 9, "fonts.body")
    assert problem.message.startswith(message)


def test_a_damaged_font_is_named_with_how_to_mend_it_in_check_and_build(tiny, capsys):
    (tiny.parent / "fonts" / "cut.ttf").write_bytes(latin_font()[:-100])
    tiny.write_text(BRIEFING.format(body="fonts/cut.ttf"), encoding="utf-8")
    assert main(["check", str(tiny)]) == 1
    error = capsys.readouterr().err
    assert "it is damaged: its " in error and "table runs past the end of the file" in error
    assert "hint: copy the font file again from where it came from" in error
    tiny.write_text(BRIEFING.format(body="fonts/tiny.ttf"), encoding="utf-8")
    cut = tiny.parent / "fonts" / "cut.ttf"
    assert main(["build", str(tiny), "-f", "html", "--font", f"body={cut}"]) == 2
    error = capsys.readouterr().err
    assert f"--font body={cut}: not a font briefgen can use: it is damaged" in error
    assert "hint: copy the font file again" in error and "internal error" not in error


def test_the_pdf_embeds_the_users_font_and_still_reads_back(tiny):
    pdf = briefgen.render_pdf(briefgen.load(tiny))
    embedded = _pdf_fonts(pdf)
    assert "briefgen-user-body" in embedded
    assert "briefgen-Noto-Serif-CJK-TC" in embedded  # draws the Han the Latin font lacks
    own = TTFont(io.BytesIO(embedded["briefgen-user-body"]))
    assert own["name"].getDebugName(1) == "Tiny Latin"
    text = "".join(pypdf_pages(pdf))
    assert "Plain Latin text, and 漢字 too." in text


def test_the_colophon_names_the_users_font_before_briefgens(tiny):
    """The colophon named briefgen's fonts alone, though the briefing's own sets its text."""
    pdf = briefgen.render_pdf(briefgen.load(tiny))
    last = " ".join(pypdf_pages(pdf)[-1].split())
    # The test's font states no licence: only briefgen's fonts' is given.
    fonts_line = (
        "Fonts Tiny Latin Regular, Noto Serif CJK TC Regular, Noto Sans CJK TC Bold · "
        "SIL Open Font License, Version 1.1"
    )
    assert fonts_line in last
    html = briefgen.render_html(briefgen.load(tiny))
    # As a browser shows it: the version number is in a span that keeps it with its word.
    assert fonts_line.removeprefix("Fonts ") in re.sub(r"<[^>]+>", "", html)


@pytest.mark.skipif(not DEJAVU.is_file(), reason="needs DejaVu Serif (Debian: fonts-dejavu-core)")
def test_a_packaged_latin_font_is_embedded_as_a_subset(tmp_path):
    shutil.copy(DEJAVU, tmp_path / "DejaVuSerif.ttf")
    source = tmp_path / "briefing.yaml"
    source.write_text(BRIEFING.format(body="DejaVuSerif.ttf"), encoding="utf-8")
    embedded = _pdf_fonts(briefgen.render_pdf(briefgen.load(source)))
    subset = TTFont(io.BytesIO(embedded["briefgen-user-body"]))
    assert subset["name"].getDebugName(1) == "DejaVu Serif"
    assert len(embedded["briefgen-user-body"]) < DEJAVU.stat().st_size / 10


@pytest.mark.skipif(not DEJAVU.is_file(), reason="needs DejaVu Serif (Debian: fonts-dejavu-core)")
def test_the_colophon_gives_a_long_licence_by_its_address(tmp_path):
    """DejaVu's licence entry copies out its whole licence: the colophon gives its address."""
    shutil.copy(DEJAVU, tmp_path / "DejaVuSerif.ttf")
    source = tmp_path / "briefing.yaml"
    source.write_text(BRIEFING.format(body="DejaVuSerif.ttf"), encoding="utf-8")
    html = briefgen.render_html(briefgen.load(source))
    colophon = html[html.index('<footer class="colophon"') :]
    assert "DejaVu Serif Book, Noto Serif CJK TC Regular" in colophon
    assert "http://dejavu.sourceforge.net/wiki/index.php/License" in colophon
    assert "Bitstream" not in colophon


DEJAVU_SANS_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@pytest.mark.skipif(
    not DEJAVU_SANS_BOLD.is_file(), reason="needs DejaVu Sans Bold (Debian: fonts-dejavu-core)"
)
def test_the_contents_labels_keep_their_gaps_in_a_wider_heading_font(tmp_path):
    """The label column was measured in the shipped face, narrower than DejaVu's figures: the
    widest label then filled it and lost its quarter-em gaps (2020年3月15日)."""
    import pdfplumber

    shutil.copy(DEJAVU_SANS_BOLD, tmp_path / "heading.ttf")
    source = tmp_path / "briefing.yaml"
    source.write_text(
        "title: 字型\nfonts: {heading: heading.ttf}\nevents:\n"
        "  - {start: 2020-03-15, title: 第一件事}\n  - {start: 2024-01, title: 第三件事}\n",
        encoding="utf-8",
    )
    pdf = pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefgen.load(source))))
    chars = pdf.pages[0].chars
    heading = next(char for char in chars if char["text"] == "目")  # 目錄, the contents
    row = sorted(
        (char for char in chars if 5 < char["top"] - heading["top"] < 30),
        key=lambda char: char["x0"],
    )
    label = row[: next(i for i, char in enumerate(row) if char["text"] == "日") + 1]
    assert "".join(char["text"] for char in label) == "2020年3月15日"
    gaps = [
        after["x0"] - before["x1"]
        for before, after in itertools.pairwise(label)
        if before["text"].isdigit() != after["text"].isdigit()
    ]
    # A quarter em of the labels' 10.5 pt at each of the five places; it was 1.1 pt.
    assert len(gaps) == 5 and min(gaps) >= 0.2 * 10.5


def test_the_html_inlines_the_users_font_first_in_the_body_family(tiny):
    html = briefgen.render_html(briefgen.load(tiny))
    assert re.search(
        r'@font-face \{ font-family: "briefgen user body"; font-weight: 400; '
        r'font-style: normal; src: url\("data:font/otf;base64,',
        html,
    )
    assert 'font-family: "briefgen user body", "briefgen Noto Serif CJK TC", serif;' in html
    # No heading font given: headings keep briefgen's.
    assert 'font-family: "briefgen Noto Sans CJK TC", sans-serif;' in html


def test_the_epub_carries_the_users_font(tiny, tmp_path):
    data = briefgen.render_epub(briefgen.load(tiny))
    book = zipfile.ZipFile(io.BytesIO(data))
    opf = book.read("EPUB/content.opf").decode("utf-8")
    assert 'href="fonts/user-body.ttf" id="font-user-body" media-type="font/ttf"' in opf
    subset = TTFont(io.BytesIO(book.read("EPUB/fonts/user-body.ttf")))
    assert {chr(code) for code in subset.getBestCmap()} >= set("Plain Latin text")
    if shutil.which("java") is None:
        return
    messages = epubcheck_messages(data, tmp_path)
    assert not [m for m in messages if m.startswith(("ERROR", "WARNING", "FATAL"))], messages


def test_font_flag_sets_a_role_and_stays_inside_the_folder(tiny, capsys):
    out = tiny.parent / "out"
    assert (
        main(
            [
                "build",
                str(tiny),
                "-f",
                "html",
                "--font",
                f"heading={tiny.parent / 'fonts' / 'tiny.ttf'}",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    html = (out / "briefing.html").read_text(encoding="utf-8")
    assert 'font-family: "briefgen user heading", "briefgen Noto Sans CJK TC", sans-serif;' in html
    capsys.readouterr()
    outside = tiny.parent.parent / "elsewhere.ttf"
    outside.write_bytes(latin_font())
    assert main(["build", str(tiny), "--font", f"body={outside}", "-o", str(out)]) == 2
    assert (
        f"--font body={outside}: the font must be inside the briefing's folder"
        in capsys.readouterr().err
    )
    assert main(["build", str(tiny), "--font", "bold=x.ttf", "-o", str(out)]) == 2
    assert "unknown font role 'bold'; the roles are body, heading" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["build", "check", "fonts"])
def test_an_unknown_font_role_is_refused_before_the_briefing_is_read(tmp_path, capsys, command):
    """`--font latin=X` printed the briefing's warnings first, then the refusal: a user read
    them as the cause. The role is bad usage, told alone."""
    source = tmp_path / "briefing.yaml"
    source.write_text("title: 標題。\nevents: [{start: 1950, title: 事件}]\n", encoding="utf-8")
    assert main([command, str(source), "--font", "latin=x.ttf", "--no-config"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: briefgen {command} ")
    assert err.endswith(
        f"briefgen {command}: error: argument --font: unknown font role 'latin'; "
        "the roles are body, heading\n"
    )
    assert "warning" not in err and "heading-stop" not in err


@pytest.mark.parametrize("command", ["build", "check", "fonts"])
@pytest.mark.parametrize(
    ("file", "said"),
    [
        ("missing.otf", "no such file"),
        ("notes.otf", "not a font briefgen can use: it is not a font file"),
    ],
)
def test_a_font_file_that_cannot_be_used_is_refused_before_the_briefing_is_read(
    tmp_path, capsys, monkeypatch, command, file, said
):
    """`--font body=missing.otf` printed the briefing's warnings first, then the refusal
    last, under them, as if they had to do with it: it is bad usage, told alone."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.otf").write_text("not a font\n", encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text(
        "title: 標題。\nevents: [{start: 1950, title: 事件}]\n", encoding="utf-8"
    )
    args = [command, "briefing.yaml", "--font", f"body={file}", "--no-config"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"usage: briefgen {command} ")
    assert f"briefgen {command}: error: --font body={file}: {said}" in err
    assert "warning" not in err and "heading-stop" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["build", "check", "fonts"])
def test_a_font_role_given_twice_is_refused(tiny, capsys, command):
    """`--font body=a.otf --font body=b.otf` took the second and dropped the first without
    a word, where one of the two was most likely meant for the headings."""
    font = tiny.parent / "fonts" / "tiny.ttf"
    args = [command, str(tiny), "--font", f"body={font}", "--font", f"body={font}"]
    assert main([*args, "--no-config"]) == 2
    err = capsys.readouterr().err
    assert err.endswith(
        f"briefgen {command}: error: --font body is given twice ({font} and {font}); give "
        "each role once (the roles are body and heading)\n"
    )


def test_vocabulary_without_script_is_refused_before_the_briefing_is_read(
    tmp_path, capsys, monkeypatch
):
    """Where the folder's settings name templates, the briefing was read first (for its own
    templates), and its warnings came before the refusal."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "house").mkdir()
    (tmp_path / "briefgen.toml").write_text('templates = ["house"]\n', encoding="utf-8")
    (tmp_path / "briefing.yaml").write_text(
        "title: 標題。\nevents: [{start: 1950, title: 事件}]\n", encoding="utf-8"
    )
    assert main(["build", "briefing.yaml", "--vocabulary"]) == 2
    err = capsys.readouterr().err
    assert err.endswith(
        "briefgen build: error: --vocabulary goes with --script hans, hant or hant-hk\n"
    )
    assert "warning" not in err


def test_fonts_lists_the_users_font_and_what_briefgen_draws_instead(tiny, capsys):
    assert main(["fonts", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Tiny Latin, the briefing's body font (weight 400, ")
    assert "    file: " in out and "fonts/tiny.ttf" in out
    assert "    briefgen Noto Serif CJK TC draws 3 of the others: 字型漢\n" in out
    assert "neither font draws" not in out


def test_fonts_says_what_neither_the_users_font_nor_briefgens_draws(tiny, capsys):
    text = tiny.read_text(encoding="utf-8").replace("字型", "字\U0002a6d6型", 1)
    tiny.write_text(text, encoding="utf-8")
    assert main(["fonts", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "    briefgen Noto Serif CJK TC draws 3 of the others: 字型漢\n" in out
    assert "    neither font draws 1: \U0002a6d6 (U+2A6D6)\n" in out


def test_a_character_only_the_users_fonts_draw_is_not_reported_missing(tmp_path, caplog):
    """ꀀ (Yi) is in no shipped face: with fonts of the briefing's own that have it, for
    both roles (a title is set in the heading face, a body in the body face), nothing is
    reported; with one role's font only, the other face would still print a box."""
    (tmp_path / "yi.ttf").write_bytes(latin_font(extra="ꀀ"))
    text = "title: Yi ꀀ\nlang: en\nfonts: {fonts}\nevents: [{{start: 1950, title: E ꀀ}}]\n"
    path = tmp_path / "briefing.yaml"
    path.write_text(text.format(fonts="{body: yi.ttf, heading: yi.ttf}"), encoding="utf-8")
    assert missing_glyphs(briefgen.load(path)) == []
    path.write_text(text.format(fonts="{body: yi.ttf}"), encoding="utf-8")
    [*problems] = missing_glyphs(briefgen.load(path))
    assert problems and all("U+A000" in problem.message for problem in problems)
    assert "is not in the briefing's fonts or briefgen's" in problems[0].message
    # The command line's --font counts as the briefing's own, for check as for build.
    path.write_text(text.replace("fonts: {fonts}\n", "").format(), encoding="utf-8")
    status = main(
        [
            "build",
            str(path),
            "-f",
            "html",
            "--strict",
            "-o",
            str(tmp_path / "out"),
            "--font",
            f"body={tmp_path / 'yi.ttf'}",
            "--font",
            f"heading={tmp_path / 'yi.ttf'}",
        ]
    )
    assert status == 0


def test_check_and_fonts_take_the_font_flag_as_build_does(tmp_path, capsys):
    (tmp_path / "yi.ttf").write_bytes(latin_font(extra="ꀀ"))
    path = tmp_path / "briefing.yaml"
    path.write_text("title: Yi ꀀ\nlang: en\nevents: [{start: 1950, title: E ꀀ}]\n")
    flags = ["--font", f"body={tmp_path / 'yi.ttf'}", "--font", f"heading={tmp_path / 'yi.ttf'}"]
    assert main(["check", "--strict", str(path)]) == 1
    assert "U+A000" in capsys.readouterr().err
    assert main(["check", "--strict", str(path), *flags]) == 0
    assert "U+A000" not in capsys.readouterr().err
    assert main(["fonts", str(path), *flags]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Tiny Latin, the briefing's body font (weight 400, ")
    assert "Tiny Latin, the briefing's heading font" in out and "yi.ttf" in out


#: Builds the briefing ``argv[1]``, saves the font file ``argv[3]`` over its font
#: ``argv[2]`` in place (as an editor or a copy does), builds it again in the same process,
#: and writes the two PDFs to ``argv[4]`` and ``argv[5]``.
_SAVED_AGAIN = """
import shutil, sys
from pathlib import Path
import briefgen
source, font, new_font, first, second = sys.argv[1:]
Path(first).write_bytes(briefgen.render_pdf(briefgen.load(source)))
shutil.copyfile(new_font, font)
Path(second).write_bytes(briefgen.render_pdf(briefgen.load(source)))
"""


def test_a_font_saved_again_is_read_again_by_a_process_that_read_it_before(tiny, tmp_path):
    # A worker, or `watch`, builds the briefing again after its font file was saved anew:
    # the PDF embeds the new font, not the one read before, and the process goes on (the
    # old file's pages, mapped into memory and cut short under it, crashed it).
    font = tiny.parent / "fonts" / "tiny.ttf"
    font.write_bytes(latin_font("First Face", extra="".join(map(chr, range(0xC0, 0x250)))))
    (tmp_path / "new.ttf").write_bytes(latin_font("Second Face"))
    pdfs = [tmp_path / "first.pdf", tmp_path / "second.pdf"]
    printed(_SAVED_AGAIN, str(tiny), str(font), str(tmp_path / "new.ttf"), *map(str, pdfs))
    families = [
        TTFont(io.BytesIO(_pdf_fonts(pdf.read_bytes())["briefgen-user-body"]))["name"].getDebugName(
            1
        )
        for pdf in pdfs
    ]
    assert families == ["First Face", "Second Face"]


def _kerned_latin_font() -> bytes:
    """The small Latin font with a W an em wide, as Liberation Serif Bold's is (2048 units
    of 2048), and the pairs Wa and To kerned 0.15 em closer."""
    from fontTools.feaLib.builder import addOpenTypeFeaturesFromString

    font = TTFont(io.BytesIO(latin_font("Kerned Latin")))
    font["hmtx"]["uni0057"] = (1000, 100)
    addOpenTypeFeaturesFromString(
        font,
        "languagesystem DFLT dflt; languagesystem latn dflt;\n"
        "feature kern { pos uni0057 uni0061 -150; pos uni0054 uni006F -150; } kern;",
    )
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def test_a_latin_fonts_letter_an_em_wide_keeps_its_kerning(tmp_path):
    """briefgen sets full-width glyphs solid, without the fonts' kerning (kerning.py), and
    took every glyph an em wide for one: a Latin font's W of an em lost its kerning, and
    Wa, AW and W. stood apart in every heading and paragraph set in it."""
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "kerned.ttf").write_bytes(_kerned_latin_font())
    path = tmp_path / "briefing.yaml"
    path.write_text(
        BRIEFING.format(body="fonts/kerned.ttf").replace("Body text.", "Wa To"), encoding="utf-8"
    )
    pdf = briefgen.render_pdf(briefgen.load(path))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = [char for page in document.pages for char in page.chars]
    advances = {
        first["text"] + then["text"]: (then["x0"] - first["x0"]) / first["size"]
        for first, then in itertools.pairwise(chars)
        if first["text"] + then["text"] in ("Wa", "To")
    }
    assert advances["To"] == pytest.approx(0.6 - 0.15, abs=0.01)
    assert advances["Wa"] == pytest.approx(1.0 - 0.15, abs=0.01)


def test_a_font_named_from_the_briefings_folder_is_told_where_it_was_looked_for(
    tiny, capsys, monkeypatch
):
    """`--font body=fonts/tiny.ttf`, written as the briefing's fonts: writes it, was refused
    as outside the briefing's folder, which it is not: FILE is read from the current folder."""
    monkeypatch.chdir(tiny.parent.parent)
    assert main(["check", str(tiny), "--font", "body=fonts/tiny.ttf", "--no-config"]) == 2
    err = capsys.readouterr().err
    assert (
        "hint: fonts/tiny.ttf is read from the current folder, not the briefing's; "
        f"give --font body={tiny.parent.name}/fonts/tiny.ttf\n"
    ) in err
