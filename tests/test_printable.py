"""The one regular expression that finds unprintable characters says what the per-character
rule says, for every code point."""

from __future__ import annotations

import importlib

values = importlib.import_module("briefgen.values")


def test_the_pattern_and_the_rule_agree_on_every_code_point():
    disagree = [
        code
        for code in range(0x110000)
        if bool(values._UNPRINTABLE.fullmatch(chr(code))) != values._unprintable(chr(code))
    ]
    assert disagree == []


def test_printable_drops_them_in_order_and_joins_escaped_surrogate_pairs():
    text = "a\x07b\ufffe\tc\n\U0010ffff\ud83d\ude00"
    assert values.printable(text) == ("ab\tc\n😀", ["\x07", "\ufffe", "\U0010ffff"])
