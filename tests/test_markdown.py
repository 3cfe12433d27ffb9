"""Inline Markdown: plain paragraphs skip the parser and come out as the parser writes them."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

import briefgen
from briefgen.markdown import _parser, _plain_paragraphs, to_html

# Han, CJK punctuation (the dash and ellipsis runs kept whole), Latin, digits, every kind of
# white space Markdown weighs, and the characters of its syntax.
_ALPHABET = st.sampled_from(
    [*"一年，。「」", "——", "……", *"aZ19 .)\n\t\u3000", *"#-+=>*_`[]<>&!\\~|:\"'"]
)


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(text=st.lists(_ALPHABET, max_size=30).map("".join))
@example(text="1900年，他來了。\n\n1. 清單")
@example(text="第一行\n  第二行")
@example(text="標題\n===")
@example(text="甲——乙\n——丙")
def test_plain_paragraphs_are_written_as_markdown_writes_them(text: str) -> None:
    fast = _plain_paragraphs(text)
    if fast is not None:
        assert fast == _parser().render(text).strip()


def test_the_samples_texts_are_plain_and_come_out_the_same():
    briefing = briefgen.load(briefgen.sample_path())
    texts = [briefing.summary, *(event.body for event in briefing.events if event.body)]
    assert all(_plain_paragraphs(text) is not None for text in texts)
    assert [to_html(text) for text in texts] == [_parser().render(text).strip() for text in texts]


def test_markdown_syntax_still_goes_through_the_parser():
    assert to_html("*重要*的事\n\n- 一\n- 二") == (
        '<p><em><span class="dot">重</span><span class="dot">要</span></em>的事</p>\n'
        "<ul>\n<li>一</li>\n<li>二</li>\n</ul>"
    )
