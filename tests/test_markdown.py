"""Inline Markdown: plain paragraphs skip the parser and come out as the parser writes them."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

import briefgen
from briefgen.load import _may_link
from briefgen.markdown import (
    _parser,
    _plain_paragraphs,
    phrases,
    run_in_phrases,
    run_in_sentence,
    to_html,
    trim_start,
    unshown_links,
)

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


LINKS = (
    "看 ![圖](/tmp/outside.png)、[文件](../doc.html)、[網頁](https://example.com) 與 "
    "[信](mailto:a@b.c)"
)


def test_only_links_to_web_and_mail_addresses_are_links():
    """A path or a bare fragment leads nowhere in a PDF or an EPUB (EPUBCheck refuses it):
    it is set as its text; an image's ``!`` goes with it."""
    assert to_html(LINKS) == (
        '<p>看 圖、文件、<a href="https://example.com">網頁</a> 與 '
        '<a href="mailto:a@b.c">信</a></p>'
    )


def test_check_warns_of_each_link_set_as_its_text(write_briefing, caplog):
    path = write_briefing(
        f"title: t\nsummary: {LINKS}\nevents: [{{start: 1950, title: e, body: '[x](#p)'}}]\n"
    )
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f'{path}:2:17: summary: the picture "/tmp/outside.png" is not shown: only its [text] is '
        "set\n    hint: give an event's picture as its image: field",
        f'{path}:2:40: summary: the link to "../doc.html" is set as its text alone: a PDF or an '
        "EPUB leads only to web and mail addresses\n    hint: write the whole address "
        "(https://…), or leave the link out",
        f'{path}:3:45: events[0].body: the link to "#p" is set as its text alone: a PDF or an '
        "EPUB leads only to web and mail addresses\n    hint: write the whole address "
        "(https://…), or leave the link out",
    ]


TABLE_WARNING = (
    "the table is set as one paragraph of its cells and pipes: tables are not supported\n"
    "    hint: write its rows as a list, an item a row"
)


def test_check_warns_of_a_table_it_sets_as_a_paragraph(write_briefing, caplog):
    """A pipe table is not set as a table (briefgen sets none) but as one paragraph of its
    cells and pipes: check says where, in a summary and in a body, in a list item too; a
    pipe in a line of text, or a table in a code block, is not one."""
    path = write_briefing(
        "title: t\nsummary: |\n  前言。\n\n  | 欄一 | 欄二 |\n  |---|---|\n  | 甲 | 乙 |\n"
        "events:\n"
        '  - {start: 1950, title: e, body: "說明\\n\\n| a | b |\\n| - | - |\\n| 1 | 2 |"}\n'
        "  - start: 1951\n    title: f\n    body: |\n      - 一\n      - | x | y |\n"
        "        |---|---|\n      ```\n      | c | d |\n      |---|---|\n      ```\n"
        "      一 | 二 - 三\n"
    )
    briefing = briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:5:3: summary: {TABLE_WARNING}",
        f"{path}:9:42: events[0].body: {TABLE_WARNING}",
        f"{path}:14:9: events[1].body: {TABLE_WARNING}",
    ]
    # Not turned on: the table is still the paragraph the warning speaks of.
    assert "<table" not in briefgen.render_html(briefing)
    assert "| 欄一 | 欄二 |" in to_html(briefing.summary or "")


SCHEMES_REFUSED = (
    "見 [檔案](file:///etc/passwd)、[腳本](javascript:alert(1)) 與 [頁](data:text/html,x)"
)


NO_SITE = "見 [空](http://)、[斜](https:///x)、[括](http://[x) 與 [中](https://例子.中國/x)"


def test_a_web_address_with_no_site_is_set_as_its_text_too(write_briefing, caplog):
    """`http://` alone, `https:///x` or `http://[x` was kept as a link, which leads nowhere:
    EPUBCheck refused the EPUB (RSC-020, no valid URL), and check said nothing."""
    assert to_html(NO_SITE) == (
        '<p>見 空、斜、括 與 <a href="https://xn--fsqu00a.xn--fiqz9s/x">中</a></p>'
    )
    path = write_briefing(f"title: t\nsummary: {NO_SITE}\nevents: [{{start: 1950, title: e}}]\n")
    briefgen.load(path)
    assert [record.getMessage().split(" is set")[0] for record in caplog.records] == [
        f'{path}:2:16: summary: the link to "http://"',
        f'{path}:2:29: summary: the link to "https:///x"',
        f'{path}:2:45: summary: the link to "http://[x"',
    ]


def test_a_link_to_a_file_or_a_script_is_set_as_its_text_too(write_briefing, caplog):
    """markdown-it itself refuses ``file:``, ``javascript:`` and ``data:`` targets, which
    left the link's whole syntax on the page; they are links leading nowhere, like a path."""
    assert to_html(SCHEMES_REFUSED) == "<p>見 檔案、腳本 與 頁</p>"
    path = write_briefing(
        f"title: t\nsummary: {SCHEMES_REFUSED}\nevents: [{{start: 1950, title: e}}]\n"
    )
    briefgen.load(path)
    assert [record.getMessage().split(" is set")[0] for record in caplog.records] == [
        f'{path}:2:17: summary: the link to "file:///etc/passwd"',
        f'{path}:2:42: summary: the link to "javascript:alert(1)"',
        f'{path}:2:69: summary: the link to "data:text/html,x"',
    ]


def test_check_warns_of_an_autolink_or_a_reference_set_as_its_text(write_briefing, caplog):
    """An autolink (``<file:…>``) and a reference-style link are parsed as links too, and
    set as their text alone like an inline one: check says so of each."""
    path = write_briefing(
        "title: t\nsummary: |\n  見 <file:///etc/passwd> 與 [腳本][s]。\n\n"
        "  [s]: javascript:alert(1)\nevents: [{start: 1950, title: e}]\n"
    )
    briefing = briefgen.load(path)
    assert "<a" not in to_html(briefing.summary)
    assert [record.getMessage().split(" is set")[0] for record in caplog.records] == [
        f'{path}:3:6: summary: the link to "file:///etc/passwd"',
        f'{path}:5:8: summary: the link to "javascript:alert(1)"',
    ]


def test_each_link_is_warned_of_where_it_is_written(write_briefing, caplog):
    """A second link to the same address was placed at the first; an address markdown-it
    keeps with percent escapes (a Chinese file name, an SVG ``data:`` address with its < and
    >) was found nowhere and placed at the start of the text."""
    path = write_briefing(
        "title: t\nsummary: |\n  見[圖](map.html)與[另一張](map.html)。\n"
        "  ![甲](data:image/svg+xml,<svg/>)與![乙](data:image/svg+xml,<svg/>)\n"
        "  [檔](檔案/地圖.html)\nevents: [{start: 1950, title: e}]\n"
    )
    briefgen.load(path)
    assert [record.getMessage().split(": summary")[0] for record in caplog.records] == [
        f"{path}:3:8",
        f"{path}:3:24",
        f"{path}:4:8",
        f"{path}:4:40",
        f"{path}:5:7",
    ]


def test_a_link_is_quoted_as_written_and_short(write_briefing, caplog):
    """A link's address was quoted as markdown-it keeps it, percent escapes and all
    (%E6%AA%94 for 檔), and whole: a picture pasted as a data: address made a warning of
    thousands of characters, not one screen."""
    picture = "data:image/png;base64," + "iVBOR" * 1000
    path = write_briefing(
        f"title: t\nsummary: 見[檔](檔案/地圖.html)與![圖]({picture})\n"
        "events: [{start: 1950, title: e}]\n"
    )
    briefgen.load(path)
    link, image = (record.getMessage() for record in caplog.records)
    assert link.startswith(f'{path}:2:15: summary: the link to "檔案/地圖.html" is set as its')
    assert image.startswith(
        f'{path}:2:32: summary: the picture "data:image/png;base64,iVBORiVBORiVBORiV…" is not'
    )
    assert all(len(line) < 200 for line in image.split("\n"))


def test_a_run_in_title_keeps_each_phrase_s_two_first_and_three_last_characters_together():
    kept = '<span class="nobreak">{}</span>'.format
    # A phrase of five characters or fewer is kept whole; a longer one may break between
    # its ends, so that it still breaks where it is wider than the column.
    assert run_in_phrases("金日成肅清異己，關係轉冷") == (
        kept("金日") + "成肅" + kept("清異己，") + kept("關係轉冷")
    )
    assert run_in_phrases("峰會") == kept("峰會")
    # A closing mark is not counted, and stays with its character; & is escaped.
    assert run_in_phrases("甲乙」丙丁戊己&") == kept("甲乙」") + "丙丁" + kept("戊己&amp;")
    # Latin and Korean words break at their spaces, as they did.
    assert run_in_phrases("Kim meets Putin") == "Kim meets Putin"
    assert run_in_phrases("평양 회담") == "평양 회담"


def test_a_run_in_sentence_keeps_its_two_first_characters_together():
    kept = '<span class="nobreak">{}</span>'.format
    assert run_in_sentence("金正恩加快了步調。") == kept("金正") + "恩加快了步調。"
    # Opening and closing marks are not counted; & is escaped.
    assert run_in_sentence("「金」正恩") == kept("「金」正") + "恩"
    assert run_in_sentence("甲&乙") == kept("甲&amp;") + "乙"
    assert run_in_sentence("金") == kept("金")
    # Latin and Korean words break at their spaces, and English hyphenates them whole.
    assert run_in_sentence("Kim met Putin.") == "Kim met Putin."
    assert run_in_sentence("평양에서 만났다.") == "평양에서 만났다."
    assert run_in_sentence("") == ""


def test_a_heading_is_cut_into_phrases_after_its_colons_semicolons_and_commas():
    phrase = '<span class="phrase">{}</span>'.format
    assert phrases("俄羅斯與朝鮮：忽近忽遠") == phrase("俄羅斯與朝鮮：") + phrase("忽近忽遠")
    assert phrases("核試升級，俄國贊成重裁；") == phrase("核試升級，") + phrase("俄國贊成重裁；")
    assert phrases("峰會") == "峰會"  # one phrase: no span
    # Escaped, and an unbreakable run still kept whole inside its phrase.
    assert phrases("<甲>：乙——") == (
        phrase("&lt;甲&gt;：") + phrase('<span class="nobreak">乙——</span>')
    )


def test_a_text_whose_links_all_lead_to_the_web_is_not_parsed_for_check():
    text = "[網頁](https://example.com)、[信]( mailto:a@b.c) 與 [報導](HTTP://example.org)"
    assert not unshown_links(text)
    assert not _may_link(text)


# Whole links of each kind, and the pieces of their syntax, to be put together at random.
LINK_PIECES = [
    "[網頁](https://example.com)",
    "[信]( MAILTO:a@b.c)",
    "[文件](../d.html)",
    "[頁](#p)",
    "[檔](file:x)",
    "[空](http://)",
    "[斜](https:///x)",
    "[@](https://a@/)",
    "[括](http://[x)",
    "[中](https://例子.中國/x)",
    "![圖](https://example.com/a.png)",
    "<file:x>",
    "[s]",
    "\n\n[s]: javascript:x\n",
    "[",
    "](",
    ")",
    "https://a.b",
    "&#106;",
    " ",
    "\n",
    "!",
    "`",
    "\\",
    "*",
    "文",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINK_PIECES), max_size=12).map("".join))
def test_the_cheap_link_test_never_skips_a_text_with_a_link_check_warns_of(text):
    assert _may_link(text) or not unshown_links(text)


def test_trim_start_marks_a_title_s_first_bracket_only():
    """The bracket that opens a title, inside whatever span the filter before it opened; not
    one after the title's first character, nor one opening a later phrase."""
    assert trim_start(run_in_phrases("《金日成》與「朝鮮」")) == (
        '<span class="nobreak"><span class="trim-start">《</span>金</span>'
        '日成》與<span class="nobreak">「朝鮮」</span>'
    )
    assert trim_start(phrases("俄羅斯與朝鮮：「忽近」")) == phrases("俄羅斯與朝鮮：「忽近」")
    assert trim_start(phrases("安理會「第2397號」決議")) == phrases("安理會「第2397號」決議")
