"""--vertical: the EPUB set in vertical lines, and the refusals where it cannot be."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from test_epub import NS, Epub, _characters_by_weight, _font_cmaps

import briefgen
from briefgen import fonts
from briefgen.builders.epub_vertical import mark_digits
from briefgen.cli import main
from briefgen.errors import UsageError

# Made before any test sets SOURCE_DATE_EPOCH, so dates come from the briefing file.
VERTICAL = briefgen.BuildOptions(vertical=True, source_date_epoch=None)


@pytest.fixture(scope="module")
def vertical_epub(sample) -> Epub:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return Epub(briefgen.render_epub(sample, options=briefgen.BuildOptions(vertical=True)))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            "1950年6月25日",
            '<span class="upright">1950</span>年<span class="tcy">6</span>月'
            '<span class="tcy">25</span>日',
        ),
        ("第13個", '第<span class="tcy">13</span>個'),
        ("共100人", '共<span class="upright">100</span>人'),
        # Five digits and more, and digits in a Latin word, turn sideways with the Latin text.
        ("12345人", "12345人"),
        ("F-35戰機", "F-35戰機"),
        ("G7峰會", "G7峰會"),
        ("1.5倍", "1.5倍"),
        ("2023-09-13", "2023-09-13"),
        # Full-width digits are upright already.
        ("２５日", "２５日"),
        # Entities are markup, not text.
        ("&#39;&amp;7", '&#39;&amp;<span class="tcy">7</span>'),
    ],
)
def test_short_digit_runs_are_marked(before, after):
    assert mark_digits(f"<p>{before}</p>") == f"<p>{after}</p>"


def test_only_text_in_the_body_is_marked():
    page = (
        '<html><head><title>1950年</title><link href="a1.css" /></head>'
        '<body><p id="x12" title="25">25<br/>8</p>'
        '<svg><text x="10">1950</text><a href="e-1.xhtml"><text>6月</text></a></svg>'
        "<!-- 12 --><p>7</p></body></html>"
    )
    assert mark_digits(page) == page.replace(
        "25<br/>8</p>", '<span class="tcy">25</span><br/><span class="tcy">8</span></p>'
    ).replace("<p>7</p>", '<p><span class="tcy">7</span></p>')


def test_the_package_turns_pages_leftwards(vertical_epub):
    spine = vertical_epub.opf.find("opf:spine", NS)
    assert spine.get("page-progression-direction") == "rtl"
    metas = vertical_epub.opf.findall("opf:metadata/opf:meta[@name='primary-writing-mode']", NS)
    assert [meta.get("content") for meta in metas] == ["vertical-rl"]
    # No rendition: property is used, so no prefix is declared.
    assert vertical_epub.opf.get("prefix") is None


def test_the_stylesheet_sets_vertical_lines_and_keeps_the_timeline_horizontal(vertical_epub):
    [css] = vertical_epub.items("text/css").values()
    text = css.decode()
    for rule in (
        "-epub-writing-mode: vertical-rl",
        "writing-mode: vertical-rl",
        "text-combine-upright: all",
        "-epub-text-combine: horizontal",
        "text-orientation: upright",
    ):
        assert rule in text
    timeline = text[text.index(".timeline-chart {", text.index("vertical-rl")) :]
    assert "writing-mode: horizontal-tb" in timeline.split("}")[0]


def test_digits_in_headings_and_text_are_marked(vertical_epub):
    heading = ET.fromstring(vertical_epub.read("text/event-08.xhtml")).find(".//xhtml:h2", NS)
    when = heading.find("xhtml:span[@class='when']", NS)
    assert [(s.get("class"), s.text) for s in when] == [("upright", "2000")]
    body = vertical_epub.read("text/event-08.xhtml").decode()
    assert '<span class="tcy">12</span>月' in body
    # The timeline's SVG text is left alone.
    cover = ET.fromstring(vertical_epub.read("text/cover.xhtml"))
    svg = cover.find(".//svg:svg", NS)
    assert svg.findall(".//xhtml:span", NS) == []


def test_the_horizontal_book_is_unchanged(sample):
    book = Epub(briefgen.render_epub(sample))
    assert book.opf.find("opf:spine", NS).get("page-progression-direction") is None
    assert "writing-mode" not in book.items("text/css").popitem()[1].decode()
    assert b'class="tcy"' not in book.read("text/event-08.xhtml")


def test_vertical_rebuilds_byte_for_byte(vertical_epub, sample, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    again = briefgen.render_epub(sample, options=briefgen.BuildOptions(vertical=True))
    assert again == vertical_epub.data
    assert vertical_epub.metadata("dcterms:modified") == ["2023-11-14T22:13:20Z"]


def test_the_vertical_sample_is_small_and_each_face_covers_its_text(vertical_epub):
    assert len(vertical_epub.data) < 300_000
    bold, regular = _characters_by_weight(vertical_epub)
    cmaps = _font_cmaps(vertical_epub)
    assert bold <= cmaps[fonts.SANS_BOLD] and regular <= cmaps[fonts.SERIF]


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "ja", "ko"])
def test_each_cjk_language_may_be_vertical(write_briefing, lang):
    path = write_briefing(f"title: 題\nlang: {lang}\nevents: [{{start: 1950-06-25, title: 事}}]\n")
    book = Epub(briefgen.render_epub(briefgen.load(path), options=VERTICAL))
    assert b'<span class="tcy">25</span>' in book.read("text/event-01.xhtml")


def test_english_is_refused(write_briefing):
    path = write_briefing("title: t\nlang: en\nevents: [{start: 1950, title: e}]\n")
    with pytest.raises(UsageError, match=r"vertical writing is for Chinese.*\(vertical=True\)"):
        briefgen.render_epub(briefgen.load(path), options=VERTICAL)


def test_the_refusal_of_english_names_the_briefings_file(write_briefing, tmp_path, capsys):
    """A pipeline that builds its briefings one call each was told "this briefing's
    language is 'en'" and not which briefing; the command line named it in a batch only."""
    english = write_briefing("title: t\nlang: en\nevents: [{start: 1950, title: e}]\n", "en.yaml")
    with pytest.raises(UsageError) as caught:
        briefgen.build(english, "epub", tmp_path / "out", vertical=True)
    assert str(caught.value).startswith(f"{english}: vertical writing is for Chinese")
    assert main(["build", str(english), "-f", "epub", "--vertical", "-o", str(tmp_path)]) == 2
    assert f"briefgen build: error: {english}: vertical writing is for" in capsys.readouterr().err


def test_the_command_line_refuses_english_and_other_formats(write_briefing, tmp_path, capsys):
    english = write_briefing("title: t\nlang: en\nevents: [{start: 1950, title: e}]\n")
    out = tmp_path / "out"
    assert main(["build", str(english), "-f", "epub", "--vertical", "-o", str(out)]) == 2
    assert "this briefing's language is 'en' (--vertical)\n    hint: leave out --vertical" in (
        capsys.readouterr().err
    )
    chinese = write_briefing("title: 題\nevents: [{start: 1950, title: 事}]\n")
    for formats in (["-f", "pdf"], ["-f", "epub", "-f", "html"], []):
        assert main(["build", str(chinese), *formats, "--vertical", "-o", str(out)]) == 2
        error = capsys.readouterr().err
        assert "vertical lines are for the EPUB only" in error
        assert "WeasyPrint, which makes the PDF, lays out none" in error
    assert not out.exists()  # nothing half-written
    assert main(["build", str(chinese), "-f", "epub", "--vertical", "-o", str(out)]) == 0
    assert [path.name for path in out.iterdir()] == [chinese.with_suffix(".epub").name]


def test_briefgen_toml_may_ask_for_vertical(write_briefing, tmp_path, monkeypatch, capsys):
    chinese = write_briefing("title: 題\nevents: [{start: 1950-06-25, title: 事}]\n")
    monkeypatch.chdir(chinese.parent)
    (chinese.parent / "briefgen.toml").write_text('formats = ["epub"]\nvertical = true\n')
    assert main(["build", str(chinese), "-o", "out"]) == 0
    book = Epub((chinese.parent / "out" / chinese.with_suffix(".epub").name).read_bytes())
    assert book.opf.find("opf:spine", NS).get("page-progression-direction") == "rtl"


# -- the fonts keep what vertical lines need -------------------------------------------------

#: Punctuation whose vertical form differs from its horizontal one in at least one language.
PUNCTUATION = "、。，：！？「」『』（）《》〈〉【】ー〜…—"


def _shape(blob: hb.Blob, text: str, lang: str, direction: str) -> list[int]:
    font = hb.Font(hb.Face(blob))
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.script, buffer.language, buffer.direction = "Hani", lang, direction
    hb.shape(font, buffer, {})
    return [info.codepoint for info in buffer.glyph_infos]


def _turned(blob: hb.Blob, lang: str) -> str:
    """The characters of PUNCTUATION that shape to another glyph in vertical lines."""
    across, down = (_shape(blob, PUNCTUATION, lang, way) for way in ("ltr", "ttb"))
    return "".join(char for char, a, b in zip(PUNCTUATION, across, down, strict=True) if a != b)


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans", "ja", "ko"])
@pytest.mark.parametrize("face", fonts.FACES, ids=lambda face: face.file)
def test_subsets_keep_the_vertical_forms_and_metrics(face, lang):
    data = fonts.subset(face, [PUNCTUATION], lang)
    whole = _turned(hb.Blob.from_file_path(str(face.path)), lang)
    assert "「" in whole  # the corner brackets turn in every language
    assert _turned(hb.Blob(data), lang) == whole
    # Vertical advances and origins: without them a reader spaces vertical text by guesswork.
    assert {"vhea", "vmtx", "VORG"} <= set(TTFont(io.BytesIO(data)).keys())


def test_a_batch_names_the_clash_as_its_caller_gave_vertical(write_briefing, tmp_path, capsys):
    english = write_briefing("title: t\nlang: en\nevents: [{start: 1950, title: e}]\n", "en.yaml")
    chinese = write_briefing("title: 題\nevents: [{start: 1950, title: 事}]\n", "zh.yaml")
    out = tmp_path / "out"
    [refused, built] = briefgen.build_many([english, chinese], "epub", out, options=VERTICAL)
    assert refused.error is not None and refused.error.endswith("hint: leave out vertical=True")
    assert built.paths == (out / "zh.epub",)
    assert main(["build", str(english), str(chinese), "-f", "epub", "--vertical", "-o", str(out)])
    assert "(--vertical)\n    hint: leave out --vertical\n" in capsys.readouterr().err


def test_a_number_beside_a_korean_bracket_stays_one_number_in_vertical_lines(write_briefing):
    """A Korean briefing keeps a bracket inside a word with its neighbours (a nobreak span),
    and the span took a number's first or last digit alone: the vertical book set 김정은(40)'s
    age as two cells, 4 and 0, the year of 대전(1939 as 1 and 939, and the 5 of F-35 upright
    after F-3 turned sideways. Each number is marked whole, as without the bracket."""
    path = write_briefing("""
        title: 외교
        lang: ko
        events:
          - start: 2019-07-04
            title: 회담
            body: 김정은(40) 위원장이 F-35(전투기)와 제2차 세계대전(1939~1945)을 말했다.
    """)
    book = Epub(briefgen.render_epub(briefgen.load(path), options=VERTICAL))
    [body] = ET.fromstring(book.read("text/event-01.xhtml")).findall(".//xhtml:p", NS)
    text = ET.tostring(body, encoding="unicode", method="text")
    assert "F-35(전투기)" in text
    marked = [(span.get("class"), span.text) for span in body.iter(f"{{{NS['xhtml']}}}span")]
    marked = [(kind, digits) for kind, digits in marked if kind in ("tcy", "upright")]
    assert marked == [("tcy", "40"), ("tcy", "2"), ("upright", "1939"), ("upright", "1945")]
