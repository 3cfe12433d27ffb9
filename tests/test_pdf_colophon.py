"""The colophon, read back from the PDF's last page: version, build date, fonts, licences."""

from __future__ import annotations

import datetime as dt
import io
import re
import sys

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

import briefgen
from briefgen import fonts
from conftest import REPO, pdftotext_pages

pytestmark = pytest.mark.slow

EPOCH = 1700000000  # 2023-11-14 22:13:20 UTC


def last_page(pdf: bytes) -> str:
    return re.sub(r"[ \t]+", " ", pdftotext_pages(pdf)[-1])


@pytest.fixture(scope="module")
def stamped(sample) -> bytes:
    return briefgen.render_pdf(sample, briefgen.BuildOptions(source_date_epoch=EPOCH))


def test_colophon_names_briefgen_and_its_version(stamped):
    assert f"製作工具 briefgen {briefgen.__version__}" in last_page(stamped)


def test_colophon_dates_the_build_from_source_date_epoch(stamped):
    assert "製作日期 2023年11月14日" in last_page(stamped)


def test_colophon_names_the_embedded_fonts_and_their_licence(stamped):
    text = last_page(stamped)
    for face in fonts.FACES:
        names = TTFont(face.path, lazy=True)["name"]
        assert f"{names.getDebugName(1)} {names.getDebugName(2)}" in text
    assert "SIL Open Font License, Version 1.1" in text
    # The faces named are the ones embedded: subsets named after briefgen's families.
    embedded = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in PdfReader(io.BytesIO(stamped)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert embedded == {"briefgen-Noto-Serif-CJK-TC", "briefgen-Noto-Sans-CJK-TC-Bold"}


def test_colophon_gives_briefgens_licence(stamped):
    assert "授權 briefgen・MIT" in last_page(stamped)


def test_same_epoch_same_bytes(sample, stamped):
    again = briefgen.render_pdf(sample, briefgen.BuildOptions(source_date_epoch=EPOCH))
    assert again == stamped


def test_without_epoch_the_build_date_is_today(sample, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(dt.UTC).date()
    text = last_page(briefgen.render_pdf(sample))
    after = dt.datetime.now(dt.UTC).date()
    days = {before, after}
    assert any(f"製作日期 {d.year}年{d.month}月{d.day}日" in text for d in days), text


def test_colophon_follows_the_language(write_briefing):
    path = write_briefing("title: T\nlang: en\nevents: [{start: 1950, title: E}]\n")
    options = briefgen.BuildOptions(source_date_epoch=EPOCH)
    text = last_page(briefgen.render_pdf(briefgen.load(path), options))
    assert f"Made with briefgen {briefgen.__version__}" in text
    assert "Built 14 November 2023" in text
    assert "Fonts Noto Serif CJK TC Regular, Noto Sans CJK TC Bold · SIL Open Font" in text


@pytest.mark.parametrize(
    ("lang", "fonts_line"),
    [
        ("ja", "フォント Noto Serif CJK TC Regular、Noto Sans CJK TC Bold（日本語の字形）／SIL"),
        ("ko", "글꼴 Noto Serif CJK TC Regular, Noto Sans CJK TC Bold(한국어 자형) · SIL"),
        ("zh-Hans", "字体 Noto Serif CJK TC Regular、Noto Sans CJK TC Bold（简体中文字形）·SIL"),
        ("zh-HK", "字型 Noto Serif CJK TC Regular、Noto Sans CJK TC Bold（香港字形）・SIL"),
        # The faces' own forms: their TC name says what the reader sees.
        ("zh-Hant", "字型 Noto Serif CJK TC Regular、Noto Sans CJK TC Bold・SIL"),
    ],
)
def test_colophon_names_the_glyph_forms_the_fonts_are_set_in(write_briefing, lang, fonts_line):
    """The shipped fonts are the Traditional Chinese ones, and a Japanese or Korean reader
    who read "Noto Serif CJK TC" took the type for Chinese, while the PDF draws the
    language's own forms (fonts.subset): the colophon says which, in the reader's words."""
    path = write_briefing(f"title: 骨直\nlang: {lang}\nevents: [{{start: 1950, title: 述令}}]\n")
    briefing = briefgen.load(path)
    assert fonts_line in last_page(briefgen.render_pdf(briefing, source_date_epoch=EPOCH))
    html = briefgen.render_html(briefing, source_date_epoch=EPOCH)
    assert fonts_line.split(" ", 1)[1] in html  # after the label's own element


def test_the_html_carries_the_same_colophon(sample):
    html = briefgen.render_html(sample, source_date_epoch=EPOCH)
    assert f"briefgen {briefgen.__version__}" in html
    assert '<time datetime="2023-11-14">2023年11月14日</time>' in html
    assert "Noto Serif CJK TC Regular、Noto Sans CJK TC Bold" in html


def test_the_colophon_does_not_stand_alone_on_the_last_page():
    # 60 events on A5: the sources ended at the foot of page 28, and the colophon's three
    # short lines went over alone, under a running header naming the sources.
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    briefing = briefgen.loads(generate.briefing_yaml(60))
    pages = pdftotext_pages(briefgen.render_pdf(briefing, paper="A5"))
    source = briefing.sources[-1].title
    assert source in pages[-1], pages[-1]


def test_the_licences_version_stays_with_its_word(write_briefing, tmp_path):
    # A colophon line that reaches the margin after "Version" (a Japanese line as a template
    # 155 mm wide sets it) broke before "1.1", which read as something of its own.
    (tmp_path / "house" / "css").mkdir(parents=True)
    (tmp_path / "house" / "css" / "print.css").write_text(
        '{% include "!builtin/css/print.css" %}\n.colophon { width: 155mm; }\n', encoding="utf-8"
    )
    path = write_briefing("title: 骨直\nlang: ja\nevents: [{start: 1950, title: 述令}]\n")
    options = briefgen.BuildOptions(templates=(tmp_path / "house",), source_date_epoch=EPOCH)
    lines = pdftotext_pages(briefgen.render_pdf(briefgen.load(path), options))[-1].splitlines()
    [line] = [line for line in lines if "1.1" in line]
    assert "Version 1.1" in line
    # The name copies back as written, with its plain space.
    assert "SIL Open Font License,\nVersion 1.1" in "\n".join(lines)


def test_a_licence_filter_keeps_a_one_figure_version_with_its_word(write_briefing, tmp_path):
    # "GNU General Public License, version 3": the filter kept only numbers of two
    # characters or more with their word, so "3" could still start a line of its own.
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "colophon.html").write_text(
        '<p id="lic">{{ "GNU General Public License, version 3. Foo v. 2" | licence }}</p>\n',
        encoding="utf-8",
    )
    path = write_briefing("title: t\nlang: en\nevents: [{start: 1950, title: e}]\n")
    html = briefgen.render_html(briefgen.load(path), templates=(tmp_path / "house",))
    assert (
        'GNU General Public License, <span class="nobreak">version 3</span>. '
        'Foo <span class="nobreak">v. 2</span>'
    ) in html
