"""A short CJK name of the briefing's people is never cut at a line's end: in the PDF, the
HTML and the EPUB, wherever the text runs (briefgen/markdown.py: ``kept_names``)."""

from __future__ import annotations

import io
import itertools
import zipfile

import pdfplumber
import pytest

import briefgen
from briefgen.editions import edition
from briefgen.markdown import keep_unbreakables, kept_names, run_in_phrases, run_in_sentence
from briefgen.markdown import to_html as markdown
from conftest import run_cli

KEPT = '<span class="nobreak">{}</span>'


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("俄國支持制裁金正恩。", f"<p>俄國支持制裁{KEPT.format('金正恩')}。</p>"),
        ("*金正恩*訪俄", f"<p><em>{KEPT.format('金正恩')}</em>訪俄</p>"),
        (
            "[金正恩](https://example.org/)訪俄",
            f'<p><a href="https://example.org/">{KEPT.format("金正恩")}</a>訪俄</p>',
        ),
        # A name inside a longer word stays whole as well.
        ("普京政府", f"<p>{KEPT.format('普京')}政府</p>"),
        # 金正日 and 金正恩 share 金正: each is found whole, side by side.
        ("金正日金正恩", f"<p>{KEPT.format('金正日')}{KEPT.format('金正恩')}</p>"),
        # A dash after a name is kept with it in one span, not in two that overlap.
        ("金正恩——", f"<p>{KEPT.format('金正恩——')}</p>"),
        # Too long to keep whole, a Latin name, a Korean one: they break as text does.
        ("弗拉基米爾普京總統", f"<p>弗拉基米爾{KEPT.format('普京')}總統</p>"),
        ("Kim Jong-un", "<p>Kim Jong-un</p>"),
        ("김정은 위원장", "<p>김정은 위원장</p>"),
    ],
)
def test_a_name_in_markdown_is_kept_on_one_line(source, html):
    names = ["金正恩", "金正日", "普京", "弗拉基米爾普京", "Kim Jong-un", "김정은"]
    with kept_names(names):
        assert markdown(source, dots=False) == html


def test_a_name_in_a_title_and_a_run_in_sentence_is_kept_whole():
    with kept_names(["金正恩", "金日成"]):
        assert KEPT.format("金正恩") in keep_unbreakables("外交攻勢受挫，金正恩首會普京")
        # The sheet kept the sentence's first two characters together: 金正 / 恩加快了.
        assert run_in_sentence("金正恩加快了步調。").startswith(KEPT.format("金正恩") + "加快")
        # A phrase's first two characters, cut inside a name, take its end with them.
        assert run_in_phrases("金日成肅清異己，").startswith(KEPT.format("金日成"))
    assert run_in_sentence("金正恩加快了步調。").startswith(KEPT.format("金正") + "恩")


def test_a_text_that_is_a_name_alone_takes_no_span():
    # A term of the people list or an event's chip is set whole where it is; a screen
    # reader or a script finds the name as the element's own text.
    with kept_names(["金正恩"]):
        assert keep_unbreakables("金正恩") == "金正恩"
        assert keep_unbreakables("金正恩，") == f"{KEPT.format('金正恩')}，"


BRIEFING = """\
title: 金正恩與普京
lang: zh-Hant
summary: 本文回顧金正恩與普京的多次會晤。
people:
  - {name: 金正恩, alt: Kim Jong-un}
  - {name: 普京, alt: Vladimir Putin}
  - {name: 葉利欽, alt: Boris Yeltsin}
events:
  - start: 2019
    title: 金正恩首會普京
    people: [金正恩, 普京]
    body: 金正恩與普京在海參崴會談，葉利欽時代的舊約再被提起。
"""


def test_the_html_and_the_epub_keep_names_in_every_text(write_briefing):
    briefing = briefgen.load(write_briefing(BRIEFING))
    html = briefgen.render_html(briefing)
    assert f"本文回顧{KEPT.format('金正恩')}與{KEPT.format('普京')}的多次會晤" in html
    assert f"與{KEPT.format('普京')}在海參崴會談，{KEPT.format('葉利欽')}時代" in html
    with zipfile.ZipFile(io.BytesIO(briefgen.render_epub(briefing))) as epub:
        text = "".join(
            epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml")
        )
    assert f"與{KEPT.format('普京')}在海參崴會談，{KEPT.format('葉利欽')}時代" in text


def test_a_simplified_edition_keeps_the_converted_names(write_briefing):
    briefing = edition(briefgen.load(write_briefing(BRIEFING)), "hans")
    html = briefgen.render_html(briefing)
    assert f"{KEPT.format('叶利钦')}时代" in html


def pdf_lines(pdf: bytes) -> list[str]:
    """The text of each line of the PDF's pages, top to bottom."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            line["text"].replace(" ", "")
            for page in document.pages
            for line in page.extract_text_lines()
        ]


def cut(lines: list[str], names: list[str]) -> list[str]:
    """Each line end that cuts one of ``names`` in two, with the start of the next line."""
    return [
        f"{above} / {below}"
        for above, below in itertools.pairwise(lines)
        for name in names
        for end in range(1, len(name))
        if above.endswith(name[:end]) and below.startswith(name[end:])
    ]


#: How many characters a line of an A4 event's text holds.
A4_LINE = 44


@pytest.mark.slow
def test_a_name_at_a_line_end_goes_down_whole(write_briefing):
    # 俄 fills the line up to where the name starts one or two characters before its end:
    # the A4 PDF set 金 over 正恩, and 金正 over 恩.
    bodies = "\n\n".join("俄" * (A4_LINE - before) + "金正恩" + "俄" * 10 for before in (1, 2))
    text = BRIEFING.replace(
        "    body: 金正恩與普京在海參崴會談，葉利欽時代的舊約再被提起。\n",
        "    body: |\n" + "".join(f"      {line}\n" for line in bodies.split("\n")),
    )
    pdf = briefgen.render_pdf(briefgen.load(write_briefing(text)))
    lines = pdf_lines(pdf)
    assert not cut(lines, ["金正恩"])
    # Each line above is then short of the name, and still ends flush (justified).
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        rows = [
            line
            for page in document.pages
            for line in page.extract_text_lines()
            if line["text"].startswith("俄俄")
        ]
    assert [line["text"].replace(" ", "") for line in rows] == [
        "俄" * (A4_LINE - 1),
        "俄" * (A4_LINE - 2),
    ]
    assert max(line["x1"] for line in rows) - min(line["x1"] for line in rows) < 0.5


@pytest.mark.slow
@pytest.mark.parametrize("script", [None, "hans"])
def test_the_letter_sheet_cuts_no_name(tmp_path, sample, script):
    # The Letter sheet set …嚴厲制裁　金正 over 恩加快了核子試爆…
    args = ["build", "--handout", "sheet", "--paper", "letter", "-o", tmp_path, "--no-config"]
    result = run_cli(*args, *(["--script", script] if script else []), briefgen.sample_path())
    assert result.returncode == 0, result.stderr
    (pdf,) = tmp_path.glob("*.sheet.pdf")
    briefing = edition(sample, script) if script else sample
    names = [person.name for person in briefing.people]
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        halves = [page.crop((x, 0, x + page.width / 2, page.height)) for x in (0, page.width / 2)]
        lines = [
            line["text"].replace(" ", "") for half in halves for line in half.extract_text_lines()
        ]
    assert not cut(lines, names)
    assert any(line.startswith("金正恩加快了") for line in lines)
