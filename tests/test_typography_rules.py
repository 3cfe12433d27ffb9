"""Each text rule against its fixture file of before → after cases
(``tests/fixtures/typography/<rule>.txt``, one case a line: ``lang | before → after``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.typography import RULES, rule_names, run

FIXTURES = Path(__file__).parent / "fixtures" / "typography"


def unescape(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t")


def cases(rule: str) -> list[tuple[str, str, str]]:
    found = []
    for line in (FIXTURES / f"{rule}.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            lang, case = line.split(" | ", 1)
            before, after = case.split(" → ")
            found.append((lang, unescape(before), unescape(after)))
    return found


# The text rules; the layout rules (LAYOUT_RULES) are measured in the PDF (test_cjk_spacing.py).
ALL_CASES = [(rule.name, *case) for rule in RULES for case in cases(rule.name)]


@pytest.mark.parametrize(("rule", "lang", "before", "after"), ALL_CASES)
def test_rule_alone(rule, lang, before, after):
    """The rule on its own, the others switched off by name."""
    others = [name for name in rule_names() if name != rule]
    assert run(before, lang, disabled=others) == after


def test_every_rule_has_fifteen_cases_or_more():
    assert {rule.name: len(cases(rule.name)) >= 15 for rule in RULES} == {
        rule.name: True for rule in RULES
    }


@pytest.mark.parametrize(
    ("lang", "before", "after"),
    [
        (
            "zh-Hant",
            '據美聯社(AP)報導, 兩國\n宣布"全面戰略夥伴關係".',
            "據美聯社（AP）報導，兩國宣布「全面戰略夥伴關係」。",
        ),
        (
            "zh-Hans",
            '据美联社(AP)报道, 两国\n宣布"全面战略伙伴关系".',
            "据美联社（AP）报道，两国宣布“全面战略伙伴关系”。",
        ),
        # An English question quoted keeps its question mark, as its full stop.
        ("zh-Hant", '川普說:"Why not?"然後離開.', "川普說：「Why not?」然後離開。"),
        # A quotation inside an English one is left as written, and the full stop after it.
        ("zh-Hant", "報導:\"He said 'no'.\"", "報導：「He said 'no'.」"),
        (
            "ja",
            '両国は\n"包括的戦略パートナーシップ"を結んだ.',
            "両国は「包括的戦略パートナーシップ」を結んだ。",
        ),
    ],
)
def test_rules_together(lang, before, after):
    assert run(before, lang) == after


def test_a_rule_switched_off_changes_nothing():
    assert run("鐵路(THSR)", "zh-Hant", disabled=["punctuation-width"]) == "鐵路(THSR)"
