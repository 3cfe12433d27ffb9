"""``briefgen fonts``: the fonts in use, their files and licences, and the text's coverage."""

from __future__ import annotations

import re

import briefgen
from briefgen.cli import main
from briefgen.errors import display_path
from briefgen.fonts import FACES


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
