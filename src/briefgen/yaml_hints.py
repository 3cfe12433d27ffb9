"""What a mistake in a briefing's YAML most likely was, for the loader's messages.

PyYAML reports where it could no longer read the file, in its own words ("could not find
expected ':'", "mapping values are not allowed here"), often a line after the mistake. Here
each such error is explained at the place to mend, with a hint, from what people type:
a key with a full-width colon or space (a Chinese or Japanese input method's), a list item
without its space or with a full-width dash, a line outside the text block it belongs to, an
unclosed bracket or quote, a text that starts with a YAML indicator. The unknown keys the
loader meets are explained here too (a misspelling, a key written in Chinese or Japanese).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from .values import did_you_mean, shortened

#: How to mend a backslash in double quotes that starts no escape.
_ESCAPE_HINT = (
    "in double quotes a backslash starts an escape: write \\\\ for a backslash, or use single "
    "quotes"
)
#: How to mend a second `key: value` on one line: a colon in a text, in any language.
_QUOTE_THE_COLON = 'a text with ": " in it must be quoted (title: "甲: 乙")'
#: The letters of Chinese and Japanese text, which may write the full-width colon instead;
#: Korean and English text has no such colon, and a text of theirs is quoted.
_HAN_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
#: Hints for PyYAML's messages, by a piece of the message: what the user most likely wrote.
_YAML_HINTS: tuple[tuple[str, str | None, str], ...] = (
    # (a piece of PyYAML's message, what to say instead of its words or None, the hint)
    (
        "mapping values are not allowed",
        "a colon and a space here make a second `key: value` on one line",
        _QUOTE_THE_COLON + ", or use the full-width colon 「：」",
    ),
    ("'\\t'", "a tab here", "YAML indents with spaces, never tabs"),
    (
        "expected <block end>",
        "this line's indentation does not fit the lines before it",
        "the keys of one mapping, and the items of one list, start in the same column",
    ),
    (
        "could not find expected ':'",
        "this line is no `key: value`",
        "a text that goes on to the next line must be indented under its key, or written in "
        "a block (summary: |)",
    ),
    (
        "found another document",
        "a second YAML document starts here",
        "a briefing is one YAML document: remove the --- line, or merge the two parts",
    ),
    (
        "unknown escape character",
        None,
        _ESCAPE_HINT,
    ),
    (
        # \x, \u and \U take hex digits: "C:\Users" is read as one such escape.
        "expected escape sequence",
        None,
        _ESCAPE_HINT,
    ),
    (
        # In [ ] or { }, something where a comma or the closing bracket should come: what a
        # quotation inside an unquoted text (body: "x" y) leaves, or a comma forgotten.
        "expected ',' or ",
        "a comma or the closing bracket should come here",
        "in [ ] and { }, items are separated by commas; a text with a quotation, a comma or "
        "a bracket in it must be quoted as a whole",
    ),
    (
        "undefined alias",
        None,
        "an alias (*name) refers to an anchor (&name) written before it",
    ),
)


def yaml_error(
    error: yaml.MarkedYAMLError, text: str
) -> tuple[int | None, int | None, str, str | None]:
    """Where to report a YAML syntax error (1-based), what it is and a hint."""
    mark = error.problem_mark or error.context_mark
    what = error.problem or error.context or "invalid YAML"
    if error.context == "while scanning a simple key" and error.context_mark is not None:
        mark = error.context_mark  # the line that is no `key: value`, not the one after it
    lines = text.splitlines()
    if mark is not None:
        mistaken = (
            _full_width_key(lines, mark.line)
            or _glued_dash(lines, mark.line)
            # A line deeper than a text block's key is the block's text, though it begins
            # with ・ (a Japanese list's bullet) and holds a colon: not a list item.
            or _outside_block(lines, mark.line, deeper_only=True)
            or full_width_dash(lines, mark.line)
            or _full_width_space_after_colon(lines, mark.line)
            or _full_width_indent(lines, mark.line)
            or _outside_block(lines, mark.line)
        )
        if mistaken is not None:
            return mistaken
        if "mapping values are not allowed" in str(error):
            deeper = _key_deeper_than_the_one_above(lines, mark.line, mark.column)
            if deeper is not None:
                return deeper
    known = next((known for known in _YAML_HINTS if known[0] in str(error)), None)
    hint = known[2] if known else None
    if hint is not None and hint.startswith(_QUOTE_THE_COLON) and mark is not None:
        written = lines[mark.line] if mark.line < len(lines) else ""
        if _HANGUL.search(written) or not _HAN_OR_KANA.search(written):
            # A Korean or English text: the full-width colon is no punctuation of its own.
            hint = f'a text with ": " in it must be quoted (title: "{_example(written)}")'
    what = known[1] or what if known else what
    opened = (
        _unclosed_bracket(text, mark.index) if mark and "flow" in (error.context or "") else None
    )
    if opened is not None:
        # An unclosed bracket is noticed where the file stops making sense: where the
        # bracket opens is what to mend.
        line = text.count("\n", 0, opened) + 1
        column = opened - (text.rfind("\n", 0, opened) + 1) + 1
        closing = "]" if text[opened] == "[" else "}"
        return line, column, f"this {text[opened]} is not closed", f"close it with {closing}"
    at_end = mark is not None and mark.index >= len(text.rstrip())
    if at_end and error.context_mark is not None and error.context:
        # The end of the file says nothing: where the unclosed quote opens does.
        mark = error.context_mark
        what = f"{what} {error.context} that starts here"
        hint = "close the quote or bracket opened here"
    elif (
        mark is not None
        and "undefined alias" not in str(error)  # `*name` meant as one
        # A mistake inside quotes (a backslash, as in "C:\Users") is the quoted text's own:
        # the quote opening it is no text to quote again.
        and "quoted scalar" not in (error.context or "")
    ):
        unquoted = _indicator_first(text.splitlines()[mark.line] if text else "", mark.column)
        if unquoted is not None:
            column, what, hint = unquoted
            return mark.line + 1, column, what, hint
    return (mark.line + 1, mark.column + 1, what, hint) if mark else (None, None, what, hint)


def unknown_key_hint(key: str, allowed: tuple[str, ...]) -> str:
    if key.lstrip(" ").startswith(_FULL_WIDTH_SPACE):
        return (
            "the line is indented with full-width spaces (U+3000), which YAML reads as part "
            "of the key: indent it with ASCII spaces"
        )
    if _FULL_WIDTH_SPACE in key:  # `title　: t`: the space typed before the colon
        # In English: 標題　: is the title, and `標題:` would be an unknown key again.
        written = key_meant(key, allowed) or key.replace(_FULL_WIDTH_SPACE, "").strip()
        return (
            f"the key holds a full-width space (U+3000), which YAML reads as part of it: "
            f"write `{written}:`"
        )
    # In { }, `{name：金日成}` is one key, "name：金日成", of no value: not a misspelling.
    before, colon, after = key.partition("：")
    if colon and (meant := _english_key(before.strip(), allowed)):
        return f"write `{meant}: {after.strip()}`, with an ASCII colon and a space"
    if meant := _english_key(key, allowed, translated_only=True):
        return f"write `{meant}:`; briefgen's keys are English, whatever the briefing's language"
    if (meant := _SYNONYMS.get(key.lower(), "")) and meant in allowed:
        return f'did you mean "{meant}"?'
    return did_you_mean(key, allowed) or f"allowed keys: {', '.join(allowed)}"


#: English words for a key that are not misspellings of it, which a user writes for the key
#: by what the field holds: an event's `date:` is its `start:`, as a briefing's and a
#: source's date is `date:`. Only where the mapping takes the key meant.
_SYNONYMS = {
    "date": "start",
    "year": "start",
    "from": "start",
    "to": "end",
    "until": "end",
    "text": "body",
    "content": "body",
    "description": "body",
    "picture": "image",
    "photo": "image",
    "link": "url",
}


#: The ideographic space, which a Chinese or Japanese input method types for a space: YAML
#: indents with ASCII spaces only, and reads a line indented with it as a key that starts
#: with it ("　　title").
_FULL_WIDTH_SPACE = "\u3000"


def key_meant(key: str, allowed: tuple[str, ...]) -> str:
    """The allowed key that an unknown ``key`` stands for, written with full-width spaces
    before it, a full-width colon after it or in another language; "" if none."""
    written = key.replace(_FULL_WIDTH_SPACE, "").partition("：")[0].strip()
    return _english_key(written, allowed)


#: briefgen's keys as a user may write them in the briefing's own language (標題: for
#: title:), so that the hint names the one key meant rather than list them all. Only
#: words that plainly name the field; a word that may mean two (日期, an event's date,
#: is its start) names them in order, and the first the mapping takes is meant.
_KEYS_IN_OTHER_LANGUAGES: dict[str, tuple[str, ...]] = {
    "title": ("標題", "标题", "題目", "题目", "見出し", "タイトル", "제목"),
    "subtitle": ("副標題", "副标题", "副題", "サブタイトル", "부제"),
    "summary": ("摘要", "概要", "要約", "요약"),
    "events": ("事件", "大事記", "大事记", "出来事", "사건"),
    "people": ("人物", "登場人物", "인물"),
    "sources": ("來源", "来源", "出處", "出处", "出典", "출처"),
    "date": ("日期", "日付", "날짜"),
    "start": ("開始", "开始", "日期", "日付", "시작"),
    "end": ("結束", "结束", "終了", "終わり", "종료"),
    "body": ("內容", "内容", "正文", "本文", "내용"),
    "lang": ("語言", "语言", "言語", "언어"),
    "authors": ("作者", "著者", "저자"),
    "publisher": ("出版者", "出版社", "發行者", "发行者", "発行者", "출판사"),
    "name": ("姓名", "名字", "名前", "이름"),
    "role": ("身分", "身份", "職位", "职位", "役職", "역할"),
    "tags": ("標籤", "标签", "タグ", "태그"),
    "image": ("圖片", "图片", "画像", "이미지"),
    "url": ("網址", "网址", "링크"),
}


def _english_key(key: str, allowed: tuple[str, ...], *, translated_only: bool = False) -> str:
    """The allowed key that ``key`` is, or names in another language; "" if none."""
    if key in allowed and not translated_only:
        return key
    for english, words in _KEYS_IN_OTHER_LANGUAGES.items():
        if key in words and english in allowed:
            return english
    return ""


#: A key written with the full-width colon a Chinese or Japanese input method types, in
#: English or as a word of _KEYS_IN_OTHER_LANGUAGES (標題：).
FULL_WIDTH_KEY = re.compile(
    r"([ \t]*)(?:-[ \t]+)?([A-Za-z_][A-Za-z0-9_-]*|"
    + "|".join(sorted({re.escape(w) for ws in _KEYS_IN_OTHER_LANGUAGES.values() for w in ws}))
    + r")[ \t]*："
)
#: A line that starts with a key of its own.
_ASCII_KEY = re.compile(r"[ \t]*(?:-[ \t]+)?[A-Za-z_][A-Za-z0-9_-]*:(?:\s|$)")


def _full_width_key(lines: list[str], at: int) -> tuple[int, int, str, str] | None:
    """A key written with a full-width colon (`title：測試`) on line ``at`` (0-based) of a
    YAML error, or above it: YAML reads no key there but a text, which runs on into the
    next lines, so that the error is met at the next key, and PyYAML's words ("could not
    find expected ':'", "mapping values are not allowed") point away from it. Where the
    colon is, what is wrong and the hint; None if there is no such key."""
    if at >= len(lines):
        return None
    indent = len(lines[at]) - len(lines[at].lstrip(" \t"))
    for index in range(at, -1, -1):
        line = lines[index]
        found = FULL_WIDTH_KEY.match(line)
        # Not deeper than the error's line: a text block above it (summary: |) may well
        # hold a word and a full-width colon.
        if found and (index == at or len(found.group(1)) <= indent):
            return full_width_colon(found, index, line)
        if index < at and _ASCII_KEY.match(line):
            return None
    return None


def full_width_colon(
    found: re.Match[str], index: int, line: str, allowed: tuple[str, ...] = ()
) -> tuple[int, int, str, str]:
    """Where a key with a full-width colon (a match of FULL_WIDTH_KEY on line ``index``,
    0-based) is, what is wrong and the hint: the key with an ASCII colon, in English.
    ``allowed`` are the keys of the mapping the line is in, where they are known."""
    key = found.group(2)
    english = [e for e, words in _KEYS_IN_OTHER_LANGUAGES.items() if key in words]
    # A word that names two keys (日期, a briefing's date and an event's start) names the
    # one the mapping takes; where the mapping is not known, both, as either may be meant.
    english = [e for e in english if e in allowed] or english
    written = " or ".join(f"`{e}: …`" for e in english)
    return (
        index + 1,
        line.index("：", found.start(2)) + 1,
        f"`{key}：` has a full-width colon, and YAML reads no key there",
        f"write the key in English, with an ASCII colon and a space: {written}"
        + (", whichever is meant there" if len(english) > 1 else "")
        if english
        else f"write the key with an ASCII colon and a space: `{key}: …`",
    )


#: A list item's dash with no space after it: `-start: 1950`, which is a key "-start".
_GLUED_DASH = re.compile(r"([ \t]*)-([A-Za-z_][A-Za-z0-9_-]*):")


def _here_or_above(
    pattern: re.Pattern[str], lines: list[str], at: int
) -> Iterator[tuple[int, re.Match[str]]]:
    """Where ``pattern`` matches line ``at`` (0-based) of a YAML error, then the line above
    it: PyYAML often meets a mistake only on the line after it."""
    for index in (at, at - 1):
        found = pattern.match(lines[index]) if 0 <= index < len(lines) else None
        if found:
            yield index, found


def _glued_dash(lines: list[str], at: int) -> tuple[int, int, str, str] | None:
    """A list item written `-start: 1950` on line ``at`` (0-based) of a YAML error or the
    line above it (the error is met at the item's next key): where, what and the hint.
    PyYAML's words blamed the item's indentation, or a colon on the next line."""
    for index, found in _here_or_above(_GLUED_DASH, lines, at):
        # The line above only where the error's line is deeper, as an item's next key is: a
        # line of a text block (`-v: verbose` under `body: |`) is followed by a shallower
        # one, whose own mistake (`title: 北韓: 核試驗`) it would be blamed for.
        if index < at and at < len(lines) and _indent(lines[at]) <= _indent(lines[index]):
            continue
        key = found.group(2)
        return (
            index + 1,
            found.end(1) + 1,
            f"`-{key}:` has no space after the dash, and YAML reads no list item there",
            f"write `- {key}:`, with a space after the dash",
        )
    return None


#: A list item begun with a dash an input method types for "-" (a full-width hyphen, the
#: katakana long vowel mark, a dash), which YAML reads as text: `－ start: 1950`.
_FULL_WIDTH_DASH = re.compile(r"([ \t]*)([－ー―—–‐‑・])[ \t\u3000]*([^\s:：]+)[ \t]*[:：]")


def full_width_dash(lines: list[str], at: int) -> tuple[int, int, str, str] | None:
    """A list item begun with a dash other than "-" on line ``at`` (0-based) of a YAML
    error or the line above it (the error is met at the item's next key): where, what and
    the hint. PyYAML's words blamed a second key on the next line, or the indentation."""
    for index, found in _here_or_above(_FULL_WIDTH_DASH, lines, at):
        dash = found.group(2)
        return (
            index + 1,
            found.end(1) + 1,
            f"`{dash}` (U+{ord(dash):04X}) is not YAML's dash, and YAML reads no list item there",
            f"begin a list item with an ASCII hyphen and a space: `- {found.group(3)}: …`",
        )
    return None


#: A key followed by a full-width space where YAML wants an ASCII one: `title:　測試`,
#: which YAML reads as one text, no key.
_SPACE_AFTER_COLON = re.compile(r"([ \t]*(?:-[ \t]+)?)([A-Za-z_][A-Za-z0-9_-]*):\u3000")


def _full_width_space_after_colon(lines: list[str], at: int) -> tuple[int, int, str, str] | None:
    """A key with a full-width space after its colon on line ``at`` (0-based) of a YAML
    error or the line above it (the error is met at the next key): where, what and the hint.
    PyYAML's words blamed the next line's colon."""
    for index, found in _here_or_above(_SPACE_AFTER_COLON, lines, at):
        key = found.group(2)
        return (
            index + 1,
            found.end(),
            f"`{key}:` is followed by a full-width space (U+3000), and YAML reads no key there",
            f"write an ASCII space after the colon: `{key}: …`",
        )
    return None


#: A key indented with full-width spaces, which YAML reads as part of the key: `　　title: x`.
_FULL_WIDTH_INDENT = re.compile(r"([ \t]*)\u3000[ \t\u3000]*([A-Za-z_][A-Za-z0-9_-]*):(?:\s|$)")


def _full_width_indent(lines: list[str], at: int) -> tuple[int, int, str, str] | None:
    """A key indented with full-width spaces on line ``at`` (0-based) of a YAML error or the
    line above it: where, what and the hint. YAML reads such a line as a key that starts
    with them, at the left margin, and meets the error at the next line, indented under the
    item the key was meant for ("a colon and a space here make a second `key: value`")."""
    for index, found in _here_or_above(_FULL_WIDTH_INDENT, lines, at):
        # The line above only where the error's line is deeper: a text block's line may
        # begin a paragraph with full-width spaces, and the next line's mistake is its own.
        if index < at and at < len(lines) and _indent(lines[at]) <= _indent(lines[index]):
            continue
        return (
            index + 1,
            found.end(1) + 1,
            f"`{found.group(2)}:` is indented with full-width spaces (U+3000), which YAML "
            "reads as part of the key",
            "indent the line with ASCII spaces",
        )
    return None


#: A line that is a key and its value, the key in English: `    title: 金日成`, `  - start: 1950`.
_KEY_LINE = re.compile(r"([ \t]*)(?:-[ \t]+)?([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]|$)")


def _key_deeper_than_the_one_above(
    lines: list[str], at: int, column: int
) -> tuple[int, int, str, str] | None:
    """A key on line ``at`` (0-based), its colon at ``column``, indented deeper than the key
    above it, whose value is a plain text: where, what and the hint. YAML reads the deeper
    line as more of that text, and stops at its colon; PyYAML's words ("mapping values are
    not allowed here") and the hint for a colon inside a text (quote it) blamed the colon,
    where the indentation is what is wrong."""
    found = _KEY_LINE.match(lines[at]) if at < len(lines) else None
    if found is None or found.end(2) != column:
        return None  # the colon is inside a value (`title: 甲: 乙`), not after a key
    if not found.group(2).islower():
        # briefgen's keys are lowercase: `Note:` starting a line of an English text is the
        # text's own label, run on from the line above, and its colon is to be quoted.
        return None
    above = next(
        (
            line
            for line in reversed(lines[:at])
            if line.strip() and not line.lstrip().startswith("#")
        ),
        "",
    )
    key_above = _KEY_LINE.match(above)
    if key_above is None:
        return _key_under_a_text_item(lines, at, above, found)
    if key_above.start(2) >= found.start(2):
        return None
    value = above[key_above.end() :].strip()
    if not value or value[0] in _INDICATORS:
        return None  # a block, a list or a quoted text: not a plain text run on
    key, other = found.group(2), key_above.group(2)
    return (
        at + 1,
        found.start(2) + 1,
        f"`{key}:` is indented deeper than `{other}:` above it, so YAML reads it as more of "
        f"the text of `{other}:`",
        "the keys of one mapping start in the same column: indent the two lines alike",
    )


#: A list item that is a text: `  - 金日成`.
_TEXT_ITEM = re.compile(r"([ \t]*)-[ \t]+([^\s\[\]{}#&*!|>'\"%@`].*)")

#: The key an item of each of the briefing's lists is named by, for the hint.
_FIRST_KEYS = {"people": "name", "sources": "title", "events": "title"}


def _key_under_a_text_item(
    lines: list[str], at: int, above: str, found: re.Match[str]
) -> tuple[int, int, str, str] | None:
    """A key (``found``, on line ``at``) under a list item written as a text (`- 金日成`
    above `    alt: Kim Il-sung`): where, what and the hint. The item was meant to have
    keys, its text the first one's value; YAML reads the key as more of the item's text."""
    item = _TEXT_ITEM.fullmatch(above.rstrip())
    if item is None or len(item.group(1)) >= found.start(2) or ": " in item.group(2):
        return None
    text, indent = shortened(item.group(2)), len(item.group(1))
    # The list's own key: the nearest line above that is no item of it, indented no deeper.
    parent = next(
        (
            _KEY_LINE.match(line)
            for line in reversed(lines[:at])
            if line.strip()
            and (_indent(line) < indent or (_indent(line) == indent and line.strip()[0] != "-"))
        ),
        None,
    )
    key, listed = found.group(2), parent.group(2) if parent else ""
    if parent is not None and parent.start(2) == 0 and listed in _FIRST_KEYS:
        hint = f"give the item's text its key: `- {_FIRST_KEYS[listed]}: {text}`"
    elif listed == "people":
        # An event's people: names alone, each of a person the briefing's own list gives.
        # `- name: 金日成` here, as that list writes a person, is refused in turn.
        hint = (
            f"an event names its people alone: give `{key}:` in the briefing's own "
            f"`people:` list, under `- name: {text}`"
        )
    else:  # tags, authors, verbatim: lists of texts alone
        hint = "this list's items are texts alone, with no keys under them"
    return (
        at + 1,
        found.start(2) + 1,
        f"`{key}:` is under the list item `- {text}`, which is a text, not keys and values",
        hint,
    )


#: A key whose value is a text block: `summary: |`, `body: >-`.
_BLOCK_HEADER = re.compile(
    r"([ \t]*)(?:-[ \t]+)?([A-Za-z_][A-Za-z0-9_-]*):[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?"
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _outside_block(
    lines: list[str], at: int, *, deeper_only: bool = False
) -> tuple[int, int, str, str] | None:
    """A line of text (no `key:`, no `- `) on line ``at`` (0-based) of a YAML error that is
    indented less than the text block above it, which it was meant to go on (text pasted
    under `summary: |` without indenting it): where, what and the hint. PyYAML's words
    ("could not find expected ':'", "expected <block end>") led to keys and lists.
    ``deeper_only``: only a line indented deeper than the block's key, which can be
    nothing but the block's text."""
    if at >= len(lines) or not lines[at].strip():
        return None
    line = lines[at]
    if _ASCII_KEY.match(line) or line.lstrip().startswith("- "):
        return None
    between: list[int] = []  # the indentation of the lines between it and the header
    for index in range(at - 1, -1, -1):
        above = lines[index]
        header = _BLOCK_HEADER.fullmatch(above.rstrip())
        if header:
            if any(indent <= header.start(2) for indent in between):
                # A line at the key's column or left of it (`title: x` after `body: |` and
                # its text) ended the block before: this line was never under it.
                return None
            key = header.group(2)
            if deeper_only and _indent(line) <= header.start(2):
                return None
            if line.lstrip(" ").startswith(_FULL_WIDTH_SPACE):
                # 　　 before a paragraph, as Chinese text begins one: no indentation to
                # YAML, which counts ASCII spaces alone.
                return (
                    at + 1,
                    _indent(line) + 1,
                    f"this line is indented with full-width spaces (U+3000), which YAML does "
                    f"not count, so the text block `{key}:` ends before it",
                    f"indent every line of the block with ASCII spaces, more than `{key}:` "
                    "itself; full-width spaces may follow them",
                )
            return (
                at + 1,
                _indent(line) + 1,
                f"this line is indented less than the text block `{key}:` above it, "
                "so the block ends before it",
                f"indent every line of the block the same, more than `{key}:` itself "
                "(two spaces more, say)",
            )
        if above.strip() and _indent(above) <= _indent(line):
            return None  # not the text of a block: something else is wrong
        if above.strip():
            between.append(_indent(above))
    return None


#: A line's `key: ` or `- ` and the value after it.
_LINE_VALUE = re.compile(r"(\s*(?:- +)?[^\s:#'\"\[\]{}][^:#]*: +|\s*- +)(\S.*)")

#: What YAML reads as its own syntax at the start of a value, which a text starting with it
#: (`[快訊] 標題`, `"一帶一路" 十週年`, `@handle`, `*重要*`) must therefore be quoted for.
_INDICATORS = "[]{}*&!%>|'\"@`,"


#: A text that starts with words in brackets (`[快訊] 標題`), not a list or a mapping.
_BRACKETED_FIRST = re.compile(r"[\[{][^\[\]{}]*[\]}][ \t]*[^\s\]},#]")


def _indicator_first(line: str, column: int) -> tuple[int, str, str] | None:
    """For a YAML error at ``column`` (0-based) of ``line`` within a value that starts with
    one of YAML's indicators: the value's column (1-based), what is wrong, and the line with
    the value quoted. PyYAML's own words ("expected <block end>", "expected alphabetic or
    numeric character") tell the user nothing of it."""
    found = _LINE_VALUE.fullmatch(line.rstrip())
    if not found or column < len(found.group(1)):
        return None
    before, value = found.group(1), found.group(2)
    char = value[0]
    if char not in _INDICATORS and not value.startswith(("- ", "? ")):
        return None
    if char in "[{" and not _BRACKETED_FIRST.match(value):
        return None  # a list or a mapping meant as one, with a bracket too many or too few
    comment = value.find(" # ")
    value = value[:comment].rstrip() if comment > 0 else value
    # The quotes are chosen for the whole text, but only its start is shown: a paragraph
    # pasted on one line would make a hint of thousands of characters, not one screen.
    shown = shortened(value)
    if '"' not in value:
        quoted = f'"{shown}"'
    elif "'" not in value:
        quoted = f"'{shown}'"
    else:
        quoted = '"' + shown.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return (
        len(before) + 1,
        f"a text that starts with {char} must be quoted as a whole",
        f"quote the text: {before.strip()} {quoted}",
    )


def _unclosed_bracket(text: str, end: int) -> int | None:
    """The index of the innermost ``[`` or ``{`` left open before ``end`` and not closed
    after it either, outside quotes and comments; None where every one is closed. A bracket
    closed past ``end`` (``{title: a, body: "x" y}``) is open at a mistake inside it, but
    "not closed" is not what is wrong with it."""
    still_open = set(_open_brackets(text, len(text)))
    return next((at for at in reversed(_open_brackets(text, end)) if at in still_open), None)


def _open_brackets(text: str, end: int) -> list[int]:
    """The indexes of the ``[`` and ``{`` left open before ``end``, outside quotes and
    comments, outermost first."""
    opened: list[int] = []
    quote = ""
    index = 0
    while index < end:
        char = text[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'" and (index == 0 or text[index - 1] in " \t\n[{,:"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            newline = text.find("\n", index)
            index = end if newline < 0 else newline
            continue
        elif char in "[{":
            opened.append(index)
        elif char in "]}" and opened and "[{"["]}".index(char)] == text[opened[-1]]:
            opened.pop()  # a closing bracket of the other kind closes nothing
        index += 1
    return opened


def _example(line: str) -> str:
    """The example of a quoted text with a colon for a hint about ``line``: in Korean where
    it is written in Hangul, else in English."""
    return "한국: 1950년" if _HANGUL.search(line) else "Korea: 1950"
