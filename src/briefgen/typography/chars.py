"""Character classes the text rules are written in (regular expression classes).

"Wide" is what CSS Text 3 calls East Asian wide text, less Hangul: Han ideographs, kana,
bopomofo and the full-width punctuation set among them. Hangul is left out on purpose:
Korean separates words with spaces, so a line break between two Hangul syllables is a space.
"""

from __future__ import annotations

HAN_KANA = (
    "["
    "\u2e80-\u2fdf"  # CJK radicals
    "\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c"  # 々〆〇, Suzhou numerals, kana marks
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3100-\u312f\u31a0-\u31bf"  # bopomofo
    "\u31f0-\u31ff"  # katakana extensions
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # ideographs, extension A, compatibility
    "\U00020000-\U0003ffff"  # ideograph extensions B and beyond
    "]"
)
"""One Han character or kana."""

WIDE_PUNCTUATION = (
    "["
    "\u3000-\u3004\u3008-\u3020\u3030\u30fb"  # 、。〃 「」『』【】〈〉《》〔〕〜 ・ …
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"  # ！（），．：；？［］｛｝ …
    "\u2014\u2026"  # — and …, wide in CJK text
    "]"
)
"""One full-width punctuation mark (or — and …, which CJK text sets full width)."""

HANGUL = "[\u1100-\u11ff\u3131-\u318e\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]"
"""One Hangul syllable or jamo."""

WIDE = f"(?:{HAN_KANA}|{WIDE_PUNCTUATION})"
"""One wide character: Han, kana or full-width punctuation."""
