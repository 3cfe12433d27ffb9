"""``briefgen fonts``: the fonts in use, their files and licences, and the text's coverage."""

from __future__ import annotations

import re

import pytest

import briefgen
from briefgen import fontreport
from briefgen.cli import main
from briefgen.errors import display_path
from briefgen.fonts import FACES
from briefgen.i18n import LANGUAGES


def test_the_sample_is_covered_by_both_shipped_fonts(capsys):
    assert main(["fonts", str(briefgen.sample_path())]) == 0
    out = capsys.readouterr().out
    for face in FACES:
        assert f"{face.family} (weight {face.weight}, Version 2.0" in out
        assert f"    file: {display_path(face.path)} (" in out
    assert out.count("licence: This Font Software is licensed under the SIL Open Font License") == 2
    [(drawn, total), _] = re.findall(r"covers ([\d,]+) of the ([\d,]+) different characters", out)
    assert drawn == total and int(total.replace(",", "")) > 500
    assert "lacks" not in out


def test_characters_a_font_lacks_are_listed_with_their_place(write_briefing, capsys):
    source = write_briefing('title: 測試\nevents: [{start: 1950, title: "事件𠀀"}]\n')
    assert main(["fonts", str(source)]) == 0
    out = capsys.readouterr().out
    lacks = (
        '    lacks "𠀀" (U+20000 CJK UNIFIED IDEOGRAPH-20000), '
        f"first at {source}:2:34: events[0].title\n"
    )
    assert out.count(lacks) == len(FACES)
    assert out.count("covers 4 of the 5 different characters") == len(FACES)


@pytest.mark.parametrize(("lang", "forms"), [("ja", "Japanese"), ("ko", "Korean")])
def test_the_glyph_forms_of_the_briefings_language_are_named(write_briefing, capsys, lang, forms):
    """The shipped faces are named TC, here and in a PDF's font list; a Japanese or Korean
    newsroom asking which fonts its briefing is set in was not told that the subsets draw
    its own language's forms (直, 骨, 海 as Japanese writes them)."""
    source = write_briefing(f"title: 直骨海\nlang: {lang}\nevents: [{{start: 1950, title: e}}]\n")
    assert main(["fonts", str(source)]) == 0
    out = capsys.readouterr().out
    line = f"    glyph forms: {forms}, for lang {lang} (in the embedded subset)\n"
    assert out.count(line) == len(FACES)


def test_every_language_has_its_forms_named():
    assert set(fontreport._FORMS) == set(LANGUAGES)
