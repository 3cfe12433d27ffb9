"""Inline Markdown in briefing fields → safe HTML (XHTML-compatible), via markdown-it-py.

Raw HTML in the source is shown as text, never passed on: ``html`` is off, and a link is
kept only when it leads to a web or mail address (``javascript:`` and the like are set as the
link's text alone).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from contextvars import ContextVar
from functools import cache, lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup

from .typography.quotes import latin_marks


class _EveryLinkParsed(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        """Every target is parsed as a link: markdown-it's own check refuses ``file:``,
        ``javascript:`` and ``data:``, which left such a link's whole syntax on the page,
        unwarned. ``_links_only_to_the_web`` sets it as its text alone, as it does a path,
        and `check` warns of it; nothing but a web or mail address becomes a link."""
        return True


@cache
def _parser() -> MarkdownIt:
    # "commonmark" with html off: paragraphs, emphasis, strong, links, lists, and nothing that
    # a briefing does not need (tables, images through Markdown).
    md = _EveryLinkParsed(
        "commonmark", {"html": False, "xhtmlOut": True, "linkify": False, "typographer": False}
    )
    # "code": a paragraph indented by four spaces, as text pasted from a web page or a word
    # processor often is, was a code block: its lines kept as written, never wrapped (on a
    # phone the whole page scrolled sideways, and in the PDF they ran off the page), and in
    # a browser's own monospace font, without the briefing's fonts. Indented, it is a
    # paragraph; a writer who means code fences it (```).
    md.disable(["image", "html_block", "html_inline", "code"])
    md.inline.ruler.at("emphasis", _emphasis_delimiters)
    md.add_render_rule("text", _text)
    md.core.ruler.push("closing_marks_into_emphasis", _closing_marks_into_emphasis)
    md.core.ruler.push("links_only_to_the_web", _links_only_to_the_web)
    md.core.ruler.push("headings_under_the_section", _headings_under_the_section)
    md.core.ruler.push("latin_marks", _latin_marks)
    return md


def _emphasis_delimiters(state: StateInline, silent: bool) -> bool:
    """markdown-it's ``emphasis`` rule, each run of ``*`` or ``_`` judged by
    :func:`_flanking`: whether it may open emphasis, close it, or both."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    end = start
    while end < state.posMax and state.src[end] == marker:
        end += 1
    before = state.src[start - 1] if start > 0 else " "
    after = state.src[end] if end < state.posMax else " "
    can_open, can_close = _flanking(before, after, marker == "*")
    for _ in range(end - start):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(
            Delimiter(ord(marker), end - start, len(state.tokens) - 1, -1, can_open, can_close)
        )
    state.pos = end
    return True


def _flanking(before: str, after: str, within_words: bool) -> tuple[bool, bool]:
    """Whether a run of emphasis markers between ``before`` and ``after`` may open emphasis
    and whether it may close it: CommonMark's rules, but with a CJK punctuation mark taken
    as a letter is, as the CommonMark CJK-friendly amendments take it
    (github.com/tats-u/markdown-cjk-friendly). CommonMark lets a run after a punctuation mark
    close only before a space or another mark, so ``*重要的是這一點。*然後`` stayed two
    asterisks and the emphasis ran on to the next ``*``; Chinese and Japanese put no space
    there."""
    before_space, after_space = isWhiteSpace(ord(before)), isWhiteSpace(ord(after))
    before_mark, after_mark = _western_mark(before), _western_mark(after)
    left = not after_space and (not after_mark or before_space or before_mark or _is_cjk(before))
    right = not before_space and (not before_mark or after_space or after_mark or _is_cjk(after))
    # `_` inside a word (snake_case) opens and closes nothing: CommonMark's rule, which
    # counts every punctuation mark, CJK or not.
    before_punctuation, after_punctuation = _punctuation(before), _punctuation(after)
    can_open = left and (within_words or not right or before_punctuation)
    can_close = right and (within_words or not left or after_punctuation)
    return can_open, can_close


def _punctuation(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def _western_mark(char: str) -> bool:
    """A punctuation mark that is not CJK (CommonMark's, less the CJK ones)."""
    return _punctuation(char) and not _is_cjk(char)


def _is_cjk(char: str) -> bool:
    """A CJK character as the CJK-friendly amendments define it: wide, full-width or
    half-width (East Asian Width W, F or H: Han, kana, Hangul syllables, CJK punctuation),
    but not a pictograph drawn as an emoji; or Hangul."""
    if unicodedata.east_asian_width(char) in ("W", "F", "H"):
        return not (unicodedata.category(char) == "So" and ord(char) >= 0x1F000)
    return "HANGUL" in unicodedata.name(char, "")


#: What a link in a briefing may lead to: a page or a mail address. A path (``../a.html``,
#: ``/tmp/x.png``) or a bare fragment has nothing to lead to in a PDF, an EPUB (where
#: EPUBCheck refuses it) or a copied HTML page.
LINK_SCHEMES = ("http://", "https://", "mailto:")


def _leads_somewhere(href: str) -> bool:
    """A web address with a site to lead to, or a mail address: not ``http://`` or
    ``https:///path``, whose host is empty, nor ``http://[x``, whose host holds what no
    name holds: no URL parser reads them (EPUBCheck refused the book, RSC-020)."""
    if not href.lower().startswith(LINK_SCHEMES):
        return False
    if href.lower().startswith("mailto:"):
        return True
    try:
        parts = urlsplit(href)
        parts.port  # noqa: B018 - reading it checks the port and the brackets of an IPv6 host
    except ValueError:  # http://[x, https://a.org:x
        return False
    return bool(parts.hostname and _HOST.fullmatch(parts.hostname))


#: A link's host as markdown-it writes it: a name (in Punycode: 例子.中國 is
#: xn--fsqu00a.xn--fiqz9s) or an IP address, its letters in lower case as urlsplit gives them.
_HOST = re.compile(r"[a-z0-9._-]+|[0-9a-f:.]+")


def _links_only_to_the_web(state: StateCore) -> None:
    """A link to anything but a web or mail address is set as its text alone; so is the
    ``!`` of Markdown's image syntax, which briefgen does not show (pictures are an
    event's ``image``)."""
    for token in state.tokens:
        children = token.children
        if not children:
            continue
        kept: list[Token] = []
        dropping: list[bool] = []  # for each open link: whether it is dropped
        for child in children:
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                drop = not _leads_somewhere(href)
                dropping.append(drop)
                image = bool(kept) and kept[-1].type == "text" and kept[-1].content.endswith("!")
                if image:
                    kept[-1].content = kept[-1].content[:-1]  # the image syntax's mark
                if drop or image:
                    state.env.setdefault("unshown", []).append((href, image))
                if drop:
                    continue
            elif child.type == "link_close" and dropping and dropping.pop():
                continue
            kept.append(child)
        token.children = kept


#: The level of a heading written in a summary or an event's text at its highest (``#``):
#: the summary and each event are under a heading of level 2 of their own, the title's 1.
FIRST_TEXT_HEADING = 3


def _headings_under_the_section(state: StateCore) -> None:
    """The headings of a text go under its section's: the highest level written becomes
    level 3 (``# 背景`` an ``<h3>``), and the others keep their distance from it, up to
    6. Written as they were, a ``#`` in an event's text was a second ``<h1>``, beside the
    briefing's title: screen readers and the PDF's bookmarks put it above its own event."""
    levels = [int(token.tag[1]) for token in state.tokens if token.type == "heading_open"]
    if not levels:
        return
    shift = FIRST_TEXT_HEADING - min(levels)
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"


def _latin_marks(state: StateCore) -> None:
    """In a Chinese or Japanese briefing (see :func:`latin_mark_spans`), the Latin quotes and
    apostrophes of each paragraph, for :func:`_text` to set apart: on each text token, their
    indexes in the paragraph's text and where the token's content starts in it
    (``meta["latin_marks"]``). They are found in the paragraph's text as a whole: in
    ``“*New Start*” treaty`` the two marks are in two tokens, the words between them in a
    third."""
    if not _LATIN_MARK_SPANS.get():
        return
    for token in state.tokens:
        children = token.children
        if not children:
            continue
        text = "".join(_shown(child) for child in children)
        marks = latin_marks(text)
        start = 0
        for child in children:
            if child.type == "text":
                child.meta["latin_marks"] = (marks, start)
            start += len(_shown(child))


def _shown(token: Token) -> str:
    """What an inline token shows of the text around a quotation mark."""
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    return token.content if token.type in ("text", "code_inline") else ""


def unshown_links(source: str) -> list[tuple[str, bool]]:
    """The links in ``source`` (Markdown) that are set as their text alone, each with
    whether it was written as an image (``![…](…)``): for `check` to warn of."""
    env: dict[str, list[tuple[str, bool]]] = {}
    _parser().parse(source, env)
    return env.get("unshown", [])


@cache
def _table_finder() -> MarkdownIt:
    # CommonMark as the outputs parse it, with GitHub's pipe tables, which they do not set:
    # only to find where a writer wrote one. The table rule knows a table from a paragraph
    # with pipes in it (a header row, then a row of dashes with as many cells), in a list
    # item or a quotation, and not in a code block.
    return MarkdownIt("commonmark", {"html": False}).disable("code").enable("table")


def table_lines(source: str) -> list[int]:
    """The lines of ``source`` (Markdown, counted from 0) where a pipe table starts: the
    outputs set it as a paragraph of its cells and pipes, for `check` to warn of."""
    if "|" not in source or "-" not in source:  # no table without both: a cheap test first
        return []
    tokens = _table_finder().parse(source)
    return [token.map[0] for token in tokens if token.type == "table_open" and token.map]


def readable_address(href: str) -> str:
    """A link's address as the user wrote it, most likely: markdown-it keeps it with its
    percent escapes added (``%E6%AA%94`` for 檔, ``%3C`` for the < of an SVG ``data:``
    address), which are found nowhere in the file and which no one reads."""
    return _parser().normalizeLinkText(href)


# Marks that may not start a line (kinsoku): closing brackets and quotes, stops, commas.
_CLOSING = "、。，．：；？！）」』】〕〉》〗〙〛”’…‥,.:;?!)]}"


def _closing_marks_into_emphasis(state: StateCore) -> None:
    """Closing marks right after emphasis move inside it: ``*重要*。`` → ``<em>重要。</em>``.

    The emphasised characters are spans of their own (:func:`_mark_each`), and when a mark
    after them may not start a line, WeasyPrint does not look back inside the emphasis for a
    place to break: it moves the whole emphasis to the next line and leaves a gap. Inside the
    emphasis, the mark and the character before it move down together, as in plain text.
    The marks take no emphasis dot, so nothing changes on the page but the line break."""
    for token in state.tokens:
        children = token.children or []
        for index in range(len(children) - 1, 0, -1):
            after = children[index]
            if children[index - 1].type != "em_close" or after.type != "text":
                continue
            marks = after.content[: len(after.content) - len(after.content.lstrip(_CLOSING))]
            if marks:
                after.content = after.content[len(marks) :]
                moved = Token("text", "", 0, content=marks)
                children.insert(index - 1, moved)


# A run of the CJK dash (two em dashes, drawn as one rule) or of ellipses, or a full-width
# tilde, with the character before it. Line breaking (UAX #14) allows a break before an em
# dash, so the dash could start a line, which clreq and jlreq forbid; kept with the
# character before it in a no-wrap span, it cannot. The same for ～ (U+FF5E), the range
# mark Japanese and Chinese keyboards type (新青森～新函館, 1950年～1953年): UAX #14 breaks
# before it as before a Han character, while jlreq (a hyphen, cl-03) and GB/T 15834 (a
# connector) keep it from a line's start; the wave dash 〜 is kept there by Pango already.
# (Ellipses cannot start a line anyway, but the same span keeps every reading system to
# that.)
_UNBREAKABLE = re.compile(r"(\S(?:——|……|～)+)")


def keep_unbreakables(text: str) -> Markup:
    """Plain text, escaped, with its unbreakable runs wrapped (see ``_UNBREAKABLE``), and in
    a Chinese or Japanese briefing its Latin text's quotes and apostrophes (see
    :func:`latin_mark_spans`): for the fields that take no Markdown, such as titles.

    A text that is a person's name and nothing else (a term of the people list, an event's
    chip) takes no span for it (see :func:`kept_names`): it is set whole where it is."""
    names = _KEPT_NAMES.get()
    alone = names is not None and names.fullmatch(text) is not None
    return Markup(_unbreakables_html(text, _latin_marks_in(text), names=not alone))


def _latin_marks_in(text: str) -> list[int]:
    """The indexes of ``text``'s Latin marks that are set apart (see
    :func:`latin_mark_spans`): none outside a Chinese or Japanese briefing."""
    return latin_marks(text) if _LATIN_MARK_SPANS.get() else []


def _unbreakables_html(
    text: str, marks: Collection[int], start: int = 0, names: bool = True
) -> str:
    """``text``, found at ``start`` in a longer one, escaped, its unbreakable runs and the
    names of its people (see :func:`kept_names`; unless not ``names``) wrapped, and the
    characters at the indexes ``marks`` (in the longer text) each in a ``latin-mark``
    span."""
    html = []
    last = 0
    for begin, end in _kept_runs(text, names):
        html.append(_marked(text[last:begin], start + last, marks))
        kept = _marked(text[begin:end], start + begin, marks)
        html.append(f'<span class="nobreak">{kept}</span>')
        last = end
    html.append(_marked(text[last:], start + last, marks))
    return "".join(html)


def _kept_runs(text: str, names: bool = True) -> list[tuple[int, int]]:
    """Where ``text``'s unbreakable runs (see ``_UNBREAKABLE``), people's names (see
    :func:`kept_names`; unless not ``names``) and, in a Korean briefing, brackets and quotes
    inside a word (see :func:`korean_mark_joins`) are, as (start, end) pairs in order; a run
    and a name that overlap (``金正恩——``) are one."""
    found = [match.span() for match in _UNBREAKABLE.finditer(text)]
    if _KOREAN_MARK_JOINS.get():
        found += [match.span() for match in _MARK_IN_A_WORD.finditer(text)]
        found.sort()
    pattern = _KEPT_NAMES.get() if names else None
    if pattern is not None:
        found = sorted(found + [match.span() for match in pattern.finditer(text)])
    runs: list[tuple[int, int]] = []
    for begin, end in found:
        if runs and begin < runs[-1][1]:
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((begin, end))
    return runs


#: The longest name kept on one line: a Chinese or Japanese personal name (金正恩, 戈爾巴喬夫,
#: 安倍晋三). A longer one (a transliteration with its given name, 弗拉基米爾·普京) breaks as
#: the text around it does, as newspapers let it, rather than leave a line short by as much.
KEPT_NAME_LENGTH = 5

#: The names of the briefing's people that the templates' filters keep on one line (see
#: :func:`kept_names`), as one pattern, the longest first; None for none. Set for the thread
#: and the render, as :data:`_LATIN_MARK_SPANS`.
_KEPT_NAMES: ContextVar[re.Pattern[str] | None] = ContextVar("kept_names", default=None)


@contextlib.contextmanager
def kept_names(names: Iterable[str]) -> Iterator[None]:
    """Inside: the templates' filters keep each of ``names`` (the briefing's people) on one
    line wherever it is in the text, in a ``nobreak`` span.

    Chinese and Japanese lines break between any two characters, so a name could be cut at
    a line's end (``…嚴厲制裁　金正`` over ``恩加快了…``), which a typesetter does not let a
    short personal name be. Only names of CJK characters alone, of two to
    :data:`KEPT_NAME_LENGTH` characters, are kept: Latin and Korean names have spaces, where
    their lines break, and a line breaks inside none of their words anyway."""
    token = _KEPT_NAMES.set(_kept_names_pattern(frozenset(names)))
    try:
        yield
    finally:
        _KEPT_NAMES.reset(token)


@lru_cache(maxsize=16)
def _kept_names_pattern(names: frozenset[str]) -> re.Pattern[str] | None:
    """The pattern :func:`kept_names` sets for ``names``. Worked out once per briefing's
    people: the EPUB fills a template for each of its documents, 500 of them at 1,000
    events, and choosing and joining 400 names for each took more time than the rest of the
    EPUB together."""
    kept = sorted(
        (name for name in names if _kept_whole(name)), key=lambda name: (-len(name), name)
    )
    return re.compile("|".join(map(re.escape, kept))) if kept else None


def _kept_whole(name: str) -> bool:
    """Whether a person's name is kept on one line (see :func:`kept_names`)."""
    return 2 <= len(name) <= KEPT_NAME_LENGTH and all(
        _CJK_CHAR.fullmatch(char) and not _breaks_between_words(char) for char in name
    )


def _marked(piece: str, start: int, marks: Collection[int]) -> str:
    """``piece``, found at ``start`` in its text, escaped, the characters at ``marks``
    (indexes in the text) each in a ``latin-mark`` span."""
    inside = [index - start for index in marks if start <= index < start + len(piece)]
    if not inside:
        return escapeHtml(piece)
    html = []
    last = 0
    for index in inside:
        html.append(escapeHtml(piece[last:index]))
        html.append(f'<span class="latin-mark">{escapeHtml(piece[index])}</span>')
        last = index + 1
    html.append(escapeHtml(piece[last:]))
    return "".join(html)


#: Whether the templates' filters put each curly quote and apostrophe of Latin text in a
#: ``latin-mark`` span, whose proportional forms base.css asks for: in a Chinese briefing,
#: whose fonts' ’ “ ” are an em wide, and in a Japanese one, whose forms of them are
#: proportional already, but whose PDF is justified as CJK around a mark not so set apart
#: (briefgen/justify.py: ``O’ Brien``). Not in Korean, justified at its spaces alone. Set
#: by :func:`latin_mark_spans`, for the thread and the render, as :data:`_DOT_SPANS`.
_LATIN_MARK_SPANS: ContextVar[bool] = ContextVar("latin_mark_spans", default=False)


@contextlib.contextmanager
def latin_mark_spans(lang: str) -> Iterator[None]:
    """Inside: the templates' filters set a Chinese or Japanese briefing's Latin marks
    apart (:data:`_LATIN_MARK_SPANS`); ``lang`` is the briefing's."""
    token = _LATIN_MARK_SPANS.set(lang.split("-")[0].lower() in ("zh", "ja"))
    try:
        yield
    finally:
        _LATIN_MARK_SPANS.reset(token)


#: A bracket or quote inside a Korean word, with a character either side of it (``력’과``,
#: ``국(韓``, ``력“과”는``): browsers break there despite ``word-break: keep-all``, which
#: keeps only letters together (UAX #14 allows a break after a closing mark and before an
#: opening one next to Hangul), and a line ended ``‘협력’`` over ``과 ‘갈등’을``.
_MARKS = "()\\[\\]{}\u2018\u2019\u201c\u201d\u3008-\u3011\u3014-\u301b"
#: What a mark is kept with on either side: a character, or a whole number or Latin word
#: (``은(40)``, ``F-35(전``, ``전(1939``), as the vertical EPUB reads one
#: (builders/epub_vertical.py): a span that took a number's first or last digit alone cut
#: it in two there, and the vertical book set ``40`` as two cells, ``1939`` as 1 and 939 and
#: the 5 of ``F-35`` upright after F-3 turned sideways. Not across a ``/``, where a browser
#: may break a web address: its path is not held on one line whole.
_MARK_SIDE = f"[A-Za-z0-9](?:[A-Za-z0-9.,:'+\\-]*[A-Za-z0-9])?|[^\\s{_MARKS}]"
_MARK_IN_A_WORD = re.compile(f"(?:{_MARK_SIDE})(?:[{_MARKS}]+(?:{_MARK_SIDE}))+")

#: Whether the templates' filters keep a Korean word's brackets and quotes with the letters
#: either side of them (:data:`_MARK_IN_A_WORD`). Set by :func:`korean_mark_joins`, for the
#: thread and the render, as :data:`_LATIN_MARK_SPANS`.
_KOREAN_MARK_JOINS: ContextVar[bool] = ContextVar("korean_mark_joins", default=False)


@contextlib.contextmanager
def korean_mark_joins(lang: str) -> Iterator[None]:
    """Inside: in a Korean briefing (``lang``), the templates' filters keep each bracket or
    quote inside a word on one line with its neighbours, in a ``nobreak`` span, as the PDF
    keeps a Korean word whole (briefgen/word_breaks.py): a reader's browser breaks Korean
    between words (``word-break: keep-all``) but also beside such a mark."""
    token = _KOREAN_MARK_JOINS.set(lang.split("-")[0].lower() == "ko")
    try:
        yield
    finally:
        _KOREAN_MARK_JOINS.reset(token)


#: Where a heading's phrase ends: after a full-width colon, semicolon or comma.
_PHRASE_END = re.compile(r"(?<=[：；，])(?=.)")


def phrases(text: str) -> Markup:
    """A heading's plain text as :func:`keep_unbreakables` writes it, each of its phrases (up
    to and with a ``：``, ``；`` or ``，``) in a ``phrase`` span where it has more than one.
    Browsers and reading systems break a line between CJK characters anywhere, so a narrow
    screen set ``俄羅斯與朝鮮：忽／近忽遠的七十餘年``; screen.css and epub.css make each phrase an
    inline block, which goes to the next line whole where it fits there. (The PDF breaks its
    headings between phrases itself: briefgen/justify.py.)"""
    pieces = _PHRASE_END.split(text)
    # The Latin marks are found in the whole title: a phrase's end may part a pair.
    marks = _latin_marks_in(text)
    if len(pieces) == 1:
        return Markup(_unbreakables_html(text, marks))
    return Markup(
        "".join(
            f'<span class="phrase">{_unbreakables_html(piece, marks, start)}</span>'
            for piece, start in _with_starts(pieces)
        )
    )


def _with_starts(pieces: list[str]) -> Iterator[tuple[str, int]]:
    """Each of the consecutive ``pieces`` of a text, with where it starts in it."""
    start = 0
    for piece in pieces:
        yield piece, start
        start += len(piece)


#: How many characters a run-in title keeps together at the start and at the end of each
#: of its phrases: a line may break inside a phrase, but never to leave one or two of its
#: characters alone at a line's start (``關係轉／冷``), nor one alone at a line's end.
_PHRASE_HEAD = 2
_PHRASE_TAIL = 3


def run_in_phrases(text: str) -> Markup:
    """A title run into a paragraph (the one-sheet handout's ``**title**　first sentence``),
    as :func:`keep_unbreakables` writes it, each of its phrases (see :func:`phrases`) with
    its first two and last three characters in a ``nobreak`` span, a phrase of five or
    fewer whole.

    The line breaks between phrases, then, or inside a long phrase, never leaving a
    character or two of one on a line of their own: the sheet set ``金日成肅清異己，關係轉``
    over ``冷　這段期間…``. Unlike :func:`phrases`, nothing longer than five characters is
    kept whole, so a phrase wider than the column still breaks, and moving a phrase to the
    next line leaves the line above it a few characters short at most, which the PDF sets
    at its start rather than spread (briefgen/justify.py: ``MAX_PHRASE_BREAK_SPACING``). A
    closing mark stays with the character before it, and nothing is held together across a
    space (where Latin words and Korean break)."""
    marks = _latin_marks_in(text)
    return Markup(
        "".join(
            _kept_ends(piece, marks, start)
            for piece, start in _with_starts(_PHRASE_END.split(text))
        )
    )


def _kept_ends(phrase: str, marks: Collection[int], start: int) -> str:
    """``phrase``, found at ``start`` in the title, as :func:`run_in_phrases` writes it;
    ``marks``: the title's Latin marks."""
    # A closing mark or connector (——, ……, ～: see ``_UNBREAKABLE``) is not counted: it
    # stays with the character it follows, so neither end is cut in front of one.
    counted = [index for index, char in enumerate(phrase) if char not in _STAYS_BEHIND]
    head = counted[_PHRASE_HEAD] if len(counted) > _PHRASE_HEAD else len(phrase)
    tail = counted[-_PHRASE_TAIL] if len(counted) >= _PHRASE_TAIL else 0
    head, tail = _past_kept_runs(phrase, head), _before_kept_runs(phrase, tail)
    # Nothing is held together across a space or a Latin or Korean letter: those lines
    # break between words (and English hyphenates them), never a character or two short.
    loose = [index for index, char in enumerate(phrase) if _breaks_between_words(char)]
    head = min([head, *loose])
    tail = max([tail, *(index + 1 for index in loose)])
    if tail <= head:
        return _kept(phrase, marks, start)
    return (
        _kept(phrase[:head], marks, start)
        + _unbreakables_html(phrase[head:tail], marks, start + head)
        + _kept(phrase[tail:], marks, start + tail)
    )


#: Marks that stay with the character before them: they never start a line.
_STAYS_BEHIND = _CLOSING + "—…～"


#: Marks that open a quotation or brackets: they never end a line.
_OPENING = "「『（〔【《〈〖〘〚“‘([{"


#: A title's first character where it is a full-width opening bracket or quote, after the
#: tags the filters before may have opened (``<span class="nobreak">「火``).
_LEADING_OPENING = re.compile(r"^((?:<[^>]*>)*)([「『（〔【《〈〖〘〚“‘])")


def trim_start(html: Markup) -> Markup:
    """A title after the full-width space that parts it from its date (headings, the
    contents), written by :func:`phrases` or :func:`run_in_phrases`, with its opening
    bracket, if it begins with one, in a ``trim-start`` span, which css/cjk-text.css sets
    half width (the font's ``halt``). The space is an em of blank, and the bracket's own
    blank half, before its glyph, made it read as an em and a half; browsers keep a mark
    at the start of an inline block (the title) full width, and e-book readers have no
    ``text-spacing-trim`` at all. (The PDF squeezes it itself: briefgen/justify.py.)"""
    found = _LEADING_OPENING.match(html)
    # A Latin text's quote (a ``latin-mark``) is proportional, with no blank to give up.
    if found is None or "latin-mark" in found[1]:
        return html
    tags, mark = found.groups()
    return Markup(f'{tags}<span class="trim-start">{mark}</span>{html[found.end() :]}')


def run_in_sentence(text: str) -> Markup:
    """A sentence run in after a title (the one-sheet handout's ``**title**　first
    sentence``), as :func:`keep_unbreakables` writes it, its first two characters in a
    ``nobreak`` span, as :func:`run_in_phrases` keeps a phrase's.

    The line breaks before the sentence, then, or after its second character, never after
    its first: the A4 sheet set ``…俄國支持嚴厲制裁　金`` over ``正恩加快了…``, a name cut
    in two, and a character alone after the title. An opening or closing mark is not
    counted (``「金`` is no more two characters than ``金」``), and nothing is held together
    across a space or a Latin or Korean letter: those lines break between words only, and a
    span in a word would cost English its hyphenation there. A person's name the two
    characters end inside is kept whole with them (see :func:`kept_names`): the Letter
    sheet still set ``金正`` over ``恩加快了…``."""
    marks = _latin_marks_in(text)
    counted = [index for index, char in enumerate(text) if char not in _STAYS_BEHIND + _OPENING]
    head = counted[_PHRASE_HEAD] if len(counted) > _PHRASE_HEAD else len(text)
    head = _past_kept_runs(text, head)
    loose = [index for index, char in enumerate(text) if _breaks_between_words(char)]
    head = min([head, *loose])
    return Markup(_kept(text[:head], marks, 0) + _unbreakables_html(text[head:], marks, head))


def _past_kept_runs(text: str, index: int) -> int:
    """Where to cut ``text`` at ``index`` or after: past the end of the run kept whole (see
    :func:`_kept_runs`) that ``index`` falls inside, if one does (``金正｜恩`` → ``金正恩｜``)."""
    return next((end for begin, end in _kept_runs(text) if begin < index < end), index)


def _before_kept_runs(text: str, index: int) -> int:
    """Where to cut ``text`` at ``index`` or before: at the start of the run kept whole (see
    :func:`_kept_runs`) that ``index`` falls inside, if one does."""
    return next((begin for begin, end in _kept_runs(text) if begin < index < end), index)


def _breaks_between_words(char: str) -> bool:
    hangul = (
        "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f" or "\uac00" <= char <= "\ud7af"
    )
    return char.isspace() or hangul or (char.isalpha() and char < "\u2e80")


def _kept(piece: str, marks: Collection[int], start: int) -> str:
    # Kept whole, the piece needs no span inside it for a run or a name it holds.
    html = _marked(piece, start, marks)
    return f'<span class="nobreak">{html}</span>' if piece else ""


def _text(
    renderer: RendererHTML, tokens: list[Token], index: int, options: OptionsDict, env: EnvType
) -> str:
    """A text token, as :func:`keep_unbreakables` writes it; inside emphasis, each character
    that takes an emphasis mark in its own span (see :func:`_mark_each`), where the render's
    ``env`` asks for dots (``"dots"``, see :func:`to_html`)."""
    token = tokens[index]
    marks, start = token.meta.get("latin_marks", ((), 0))
    html = _unbreakables_html(token.content, marks, start)
    return _mark_each(html, env.get("dots", True)) if _emphasised(tokens, index) else html


def _emphasised(tokens: list[Token], index: int) -> bool:
    depth = 0
    for token in tokens[:index]:
        depth += {"em_open": 1, "em_close": -1}.get(token.type, 0)
    return depth > 0


# One CJK character that takes an emphasis dot: Han, kana, bopomofo, Hangul.
_CJK = (
    "[\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u3038-\u303c"
    "\u3040-\u30ff\u3100-\u312f\u3130-\u318f\u31a0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
)
_CJK_CHAR = re.compile(_CJK)
# Escaped HTML: an entity (`&amp;`), a tag, a CJK character, a run of other letters and
# digits, or any other character.
_HTML_PIECE = re.compile(
    rf"&[#\w]+;|<[^>]*>|(?P<cjk>{_CJK})|(?P<word>(?:(?!{_CJK})[^\W_])+)|.", re.DOTALL
)


def _mark_each(html: str, dots: bool = True) -> str:
    """Escaped ``html`` with each CJK character wrapped in ``<span class="dot">`` (where
    ``dots``), and each run of other letters and digits in ``<span class="word">``.

    CJK emphasis is a dot beside each character. Browsers and e-book readers draw the dots
    with CSS ``text-emphasis`` and get no spans: a screen reader presents text split an
    element a character as separate characters (積體電路 read out as four words, not the one
    it is). WeasyPrint, which has no ``text-emphasis``, paints each ``dot`` span's mark as
    its background (print.css). A
    Latin word inside takes no dots (a dot under each letter reads as noise, and a span a
    letter would cost WeasyPrint its line breaks): it is set in bold instead, everywhere."""

    def wrap(found: re.Match[str]) -> str:
        if found.group("cjk"):
            return f'<span class="dot">{found.group()}</span>' if dots else found.group()
        if found.group("word"):
            return f'<span class="word">{found.group()}</span>'
        return found.group()

    return _HTML_PIECE.sub(wrap, html)


# What a character reference such as `&#12;` can produce that XML (the EPUB) forbids: the
# loader drops these characters from the text itself, references are decoded only here.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


#: Whether the templates' ``markdown`` filter puts emphasised CJK characters in ``dot``
#: spans: only while the PDF's documents are rendered (:func:`dot_spans`). Set for the
#: thread and the render, not for the template environment, which every format shares.
_DOT_SPANS: ContextVar[bool] = ContextVar("dot_spans", default=False)


@contextlib.contextmanager
def dot_spans() -> Iterator[None]:
    """Inside: the ``markdown`` filter writes the PDF's emphasis, a span a character."""
    token = _DOT_SPANS.set(True)
    try:
        yield
    finally:
        _DOT_SPANS.reset(token)


def markdown_filter(source: str) -> Markup:
    """The templates' ``markdown`` filter: :func:`to_html`, with ``dot`` spans inside
    :func:`dot_spans` alone (browsers and e-book readers draw the dots themselves)."""
    return to_html(source, dots=_DOT_SPANS.get())


def to_html(source: str, dots: bool = True) -> Markup:
    """Block Markdown (paragraphs, lists) as HTML, marked safe for Jinja's autoescape; with
    emphasised CJK characters in ``dot`` spans of their own for the PDF to paint (``dots``),
    or as they are for readers that draw the dots themselves (see :func:`_mark_each`)."""
    if not source.strip():
        return Markup("")
    html = _plain_paragraphs(source)
    if html is None:
        html = _parser().render(source, {"dots": dots}).strip()
    return Markup(_NOT_IN_XML.sub("", html))


# What makes a text more than plain paragraphs to Markdown: anywhere, the characters of
# inline syntax (emphasis, code, links, escapes, entities); at the start of a line, those
# of block syntax (headings, lists, quotes, rules, setext underlines) and white space
# (indented code, or a line's own indentation, which Markdown drops).
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]<>&!~|\x00\r]")
_BLOCK_START = re.compile(r"[#>+=\-\s]|\d{1,9}[.)]")


def _plain_paragraphs(source: str) -> str | None:
    """``source`` as markdown-it writes it, where it holds only plain paragraphs: each line
    as it is (escaped, its unbreakable runs kept), a paragraph's lines joined by line breaks,
    each paragraph in ``<p>``. None where Markdown might read more in it. Most event texts
    are plain, and markdown-it took a fifth of the EPUB's time at 1,000 events."""
    if _INLINE_SYNTAX.search(source):
        return None
    paragraphs: list[list[str]] = [[]]
    for line in source.split("\n"):
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if line != line.strip() or _BLOCK_START.match(line):
            return None
        paragraphs[-1].append(line)
    # A paragraph's Latin marks are found in it whole, as the Markdown path finds them.
    return "\n".join(
        f"<p>{keep_unbreakables(chr(10).join(lines))}</p>" for lines in paragraphs if lines
    )


def first_block(source: str) -> str:
    """The Markdown of the first paragraph of ``source`` with text in it, as written inside
    its list item, quotation or heading, without the markers (``-``, ``1.``, ``>``) that
    make it one: where a line of text begins, for the one-sheet handout ("" for none)."""
    for token in _parser().parse(source):
        if token.type == "inline" and token.content.strip():
            return token.content
    return ""


def to_text(source: str) -> str:
    """The visible text of a Markdown snippet, for places that take no markup (PDF metadata)."""
    tokens = _parser().parseInline(source)
    return _visible([child for token in tokens for child in (token.children or [])])


def _visible(children: list[Token]) -> str:
    """The text that an inline token's children show, without their markup."""
    return _NOT_IN_XML.sub(
        "",
        "".join(
            # A line break inside a paragraph is a space, as the HTML shows it (between two
            # CJK characters the segment-breaks rule has taken it out before): without it,
            # "teachers\nbrief" read "teachersbrief".
            " " if child.type in ("softbreak", "hardbreak") else child.content
            for child in children
            if child.type in ("text", "code_inline", "softbreak", "hardbreak")
        ),
    )


def block_texts(source: str) -> list[str]:
    """The visible text of each paragraph, list item and heading of ``source`` (Markdown),
    without the marks that make it one (``-``, ``1.``, ``>``, ``#``): read as one paragraph
    (:func:`to_text`), a summary's list kept its dashes and its headings their hashes as
    text, in the HTML's description and the EPUB's."""
    texts = (
        _visible(token.children or []).strip()
        for token in _parser().parse(source)
        if token.type == "inline"
    )
    return [text for text in texts if text]


def one_line(source: str) -> str:
    """A Markdown text of several blocks as one line of plain text (a description): a space
    between two blocks, as between sentences, but none after a full-width mark (``。``,
    ``：``), which has its space in it; 靠山。  莫斯科 read as a typing error."""
    line = ""
    for text in block_texts(source):
        if line and not _full_width_mark(line[-1]):
            line += " "
        line += text
    return line


def _full_width_mark(char: str) -> bool:
    return unicodedata.category(char)[0] == "P" and unicodedata.east_asian_width(char) in "WF"
