"""``briefgen new``: a starter briefing that shows every field once and passes ``check``.

The starter is written in the language asked for (its title, events and labels), with a
comment on each field in English, and the JSON Schema next to it so that an editor with a
YAML language server completes and checks the file from the first keystroke.
"""

from __future__ import annotations

import contextlib
import json
import shlex
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError, UsageError
from .load import BRIEFING_SUFFIXES
from .schema import json_schema

SCHEMA_FILE = "briefing.schema.json"

#: The suffixes of files a briefing's writer has about (the schema's, briefgen.toml's,
#: notes, the outputs): ``briefgen new brief.json`` names a file, not a folder to make.
#: A folder of another dotted name (``report.v2``) is still made.
NOT_A_FOLDER = (".json", ".toml", ".txt", ".md", ".markdown", ".pdf", ".epub", ".html", ".htm")


@dataclass(frozen=True)
class _Words:
    """The starter's text in one language."""

    title: str
    subtitle: str
    author: str
    publisher: str
    summary: str
    events: tuple[tuple[str, str], ...]
    """(title, body) of the three events."""
    period: str
    person: tuple[str, str, str]
    """(name, alt, role)."""
    tags: tuple[str, str]
    source: tuple[str, str, str]
    """(title, publisher, note)."""


_CHINESE_TRADITIONAL = _Words(
    title="簡報標題",
    subtitle="一句話說明這份簡報的範圍",
    author="編輯組",
    publisher="出版單位",
    summary="用兩三句話說明這份簡報的重點。\n\n摘要可以分段，也可以使用**粗體**與[連結](https://example.org)。",
    events=(
        ("第一件事", "事情的經過寫在這裡。"),
        ("一段時期", "持續數年的事件寫起訖年份。"),
        ("第三件事", "提到的人物要列在下方的 people 中。"),
    ),
    period="那幾年",
    person=("人物姓名", "Name in Latin letters", "這個人是誰"),
    tags=("標籤", "主題"),
    source=("資料來源的標題", "發布單位", "從這份資料取用了哪些事實"),
)
_CHINESE_SIMPLIFIED = _Words(
    title="简报标题",
    subtitle="一句话说明这份简报的范围",
    author="编辑组",
    publisher="出版单位",
    summary="用两三句话说明这份简报的重点。\n\n摘要可以分段，也可以使用**粗体**与[链接](https://example.org)。",
    events=(
        ("第一件事", "事情的经过写在这里。"),
        ("一段时期", "持续数年的事件写起止年份。"),
        ("第三件事", "提到的人物要列在下方的 people 中。"),
    ),
    period="那几年",
    person=("人物姓名", "Name in Latin letters", "这个人是谁"),
    tags=("标签", "主题"),
    source=("资料来源的标题", "发布单位", "从这份资料取用了哪些事实"),
)
_JAPANESE = _Words(
    title="資料のタイトル",
    subtitle="この資料の範囲を一文で",
    author="編集部",
    publisher="発行元",
    summary="この資料の要点を二、三文で書きます。\n\n"
    "段落に分けたり、**太字**や[リンク](https://example.org)を使ったりできます。",
    events=(
        ("最初の出来事", "経緯をここに書きます。"),
        ("ある時期", "数年にわたる出来事には始まりと終わりの年を書きます。"),
        ("三つ目の出来事", "登場する人物は下の people に載せます。"),
    ),
    period="その数年間",
    person=("人物の名前", "Name in Latin letters", "どんな人物か"),
    tags=("タグ", "テーマ"),
    source=("出典のタイトル", "発行元", "この出典から取った事実"),
)
_KOREAN = _Words(
    title="브리핑 제목",
    subtitle="이 브리핑이 다루는 범위를 한 문장으로",
    author="편집부",
    publisher="발행처",
    summary="이 브리핑의 요점을 두세 문장으로 씁니다.\n\n"
    "문단을 나누거나 **굵게**, [링크](https://example.org)를 쓸 수 있습니다.",
    events=(
        ("첫 번째 사건", "사건의 경과를 여기에 씁니다."),
        ("한 시기", "여러 해에 걸친 사건은 시작과 끝 연도를 씁니다."),
        ("세 번째 사건", "등장하는 인물은 아래 people에 올립니다."),
    ),
    period="그 몇 해",
    person=("인물 이름", "Name in Latin letters", "어떤 사람인지"),
    tags=("태그", "주제"),
    source=("출처 제목", "발행처", "이 출처에서 가져온 사실"),
)
_ENGLISH = _Words(
    title="Briefing title",
    subtitle="What this briefing covers, in a line",
    author="Newsroom",
    publisher="Publisher",
    summary="The gist of the briefing in two or three sentences.\n\n"
    "The summary may have paragraphs, **bold** text and [links](https://example.org).",
    events=(
        ("First event", "What happened goes here."),
        ("A period", "An event that lasted years gives its first and last year."),
        ("Third event", "The people it names are listed under people below."),
    ),
    period="Those years",
    person=("Person's name", "Name in another script", "Who they are"),
    tags=("tag", "topic"),
    source=("Title of the source", "Its publisher", "What was taken from it"),
)

WORDS = {
    "zh-Hant": _CHINESE_TRADITIONAL,
    "zh-TW": _CHINESE_TRADITIONAL,
    "zh-HK": _CHINESE_TRADITIONAL,
    "zh-Hans": _CHINESE_SIMPLIFIED,
    "zh-CN": _CHINESE_SIMPLIFIED,
    "ja": _JAPANESE,
    "ko": _KOREAN,
    "en": _ENGLISH,
}


def starter(lang: str, file_name: str = "briefing.yaml") -> str:
    """The starter briefing's YAML text in ``lang``, for the file ``file_name``, which its
    commands name (``briefgen new en.yaml``'s told to check briefing.yaml, which is not
    there), run in its folder: a path from where ``new`` was run (``notes/en.yaml``, or
    ``/home/…``) would be wrong once the file is moved, shared or opened from elsewhere.
    (Long because it is the file itself, written out so that it reads as the user will see
    it.)"""
    w = WORDS[lang]
    # A name with a line break in it would end the comment it is written in.
    shell_name = _shell_word(file_name) if file_name.isprintable() else "FILE"
    (first, first_body), (period, period_body), (third, third_body) = w.events
    name, alt, role = w.person
    source_title, source_publisher, note = w.source
    summary = "\n".join(f"  {line}" if line else "" for line in w.summary.split("\n"))
    return f"""\
# yaml-language-server: $schema={SCHEMA_FILE}
# A briefgen briefing. In the folder it is in, check it with `briefgen check {shell_name}`,
# build it with `briefgen build {shell_name} --format pdf`. Every field is explained in
# {SCHEMA_FILE}, which your editor shows as you type (`briefgen schema` writes it again).

title: {_quoted(w.title)}  # required
subtitle: {_quoted(w.subtitle)}
lang: {lang}  # picks the labels, the date wording and the glyph forms
date: 2024-01-31  # of the briefing, YYYY-MM-DD
authors: [{_quoted(w.author)}]
publisher: {_quoted(w.publisher)}
summary: |  # Markdown: paragraphs, **bold**, *emphasis*, [links](https://…), lists
{summary}

events:  # required, at least one, shown in this order
  - start: 2020-03-15  # YYYY, YYYY-MM or YYYY-MM-DD
    title: {_quoted(first)}  # required
    body: |  # Markdown
      {first_body}
  - start: 2021
    end: 2023  # a period: its label is written from start and end
    when: {_quoted(w.period)}  # or give the label yourself
    title: {_quoted(period)}
    body: |
      {period_body}
    tags: [{_quoted(w.tags[0])}, {_quoted(w.tags[1])}]  # short keywords
  - start: 2024-01
    title: {_quoted(third)}
    body: |
      {third_body}
    people: [{_quoted(name)}]  # each one the name of someone under people
    # image: map.png  # a PNG, JPEG, GIF, SVG or WebP file next to this one
    # caption: …      # the image's caption, shown under it
    # alt: …          # what the image shows, for a reader who cannot see it

people:
  - name: {_quoted(name)}  # required, unique
    alt: {_quoted(alt)}
    # alt_lang: en  # the language of alt (ru, en, ko-Latn), for screen readers
    role: {_quoted(role)}

sources:
  - title: {_quoted(source_title)}  # required
    # lang: en  # the title's language, if not the briefing's, for screen readers
    publisher: {_quoted(source_publisher)}
    date: 2024-01-30
    url: https://example.org/article
    note: {_quoted(note)}

# fonts:  # font files of your own beside this file; briefgen's fonts draw what they lack
#   body: fonts/MySerif-Regular.otf
#   heading: fonts/MySans-Bold.otf
# verbatim: [乾隆]  # terms `briefgen build --script hans|hant|hant-hk` leaves as written
# templates: house-style  # a folder of your own templates beside this file
#                         # (start one with `briefgen templates export house-style`)
"""


def _shell_word(name: str) -> str:
    """``name`` as a shell command names it: quoted where a shell would read one of its
    characters otherwise (a space, a quote, ``$``), else as it is. shlex.quote quotes any
    letter outside ASCII as well ('朝俄關係.yaml'), needless in every shell and, in
    Windows' cmd.exe, read as part of the name. A name that begins with a dash is written
    ./-x.yaml, since briefgen's command line would read -x.yaml as an option."""
    if name.startswith("-"):
        name = f"./{name}"
    if name and all(char.isalnum() or char in "@%+=:,./-_" for char in name):
        return name
    return shlex.quote(name)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's), safe for any text."""
    return json.dumps(text, ensure_ascii=False)


def write_starter(where: Path, lang: str) -> list[Path]:
    """Write ``briefing.yaml`` and the schema into the folder ``where`` (made if missing);
    or, where ``where`` names a YAML file (``en.yaml``, not an existing folder), write the
    briefing there and the schema beside it. Refuses to overwrite either, but leaves a
    schema beside it that is the same as the one it would write (a second briefing
    started in the same folder). Returns the files it wrote: not a schema it left."""
    if lang not in WORDS:
        raise UsageError(f"unknown language {lang!r}; choose from {', '.join(WORDS)}")
    named = where.suffix.lower() in BRIEFING_SUFFIXES and not where.is_dir()
    if where.suffix.lower() in NOT_A_FOLDER and not where.is_dir():
        # Made a folder of that name, a briefing.yaml inside: a briefing is a YAML file.
        raise UsageError(
            f"{where} names a {where.suffix} file, and a briefing is YAML; give "
            f"{where.with_suffix('.yaml')} for the briefing itself, or a folder to write "
            "briefing.yaml into"
        )
    folder = where.parent if named else where
    briefing_file = where if named else where / "briefing.yaml"
    schema_file = folder / SCHEMA_FILE
    schema = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    targets = [briefing_file, schema_file]
    if _holds(schema_file, schema):
        targets.pop()  # the same schema: it serves this briefing too
    existing = [str(path) for path in targets if path.exists()]
    if existing == [str(schema_file)]:
        # Most often an older briefgen's schema, which the folder's briefings point their
        # editor at: moving it away, as the general advice says, would leave them without.
        raise UsageError(
            f"{schema_file} already exists, and is not this briefgen's schema; briefgen new "
            "never overwrites a file\n"
            "    hint: delete it and run briefgen new again, which writes this version's in "
            "its place, for the briefings beside it too"
        )
    if existing:
        verb = "exists" if len(existing) == 1 else "exist"
        raise UsageError(
            f"{' and '.join(existing)} already {verb}; briefgen new never overwrites a file "
            "(choose another name or folder, or move it away)"
        )
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; give a folder for the new briefing")
    # A folder under a file (en.yaml/sub) cannot be made: refused as the file itself is,
    # where it was told by the system's words alone, as an output that could not be written.
    blocking = next((part for part in folder.parents if part.exists() and not part.is_dir()), None)
    if blocking is not None:
        raise UsageError(
            f"{blocking} is a file, not a folder to make {folder} in; give a folder for the "
            "new briefing"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        briefing_file.write_text(starter(lang, briefing_file.name), encoding="utf-8")
        if schema_file in targets:
            schema_file.write_text(schema, encoding="utf-8")
    except OSError as error:
        for target in targets:  # none was there before: nothing half made is left
            with contextlib.suppress(OSError):
                target.unlink(missing_ok=True)
        raise BuildError(f"cannot write {error.filename or folder}: {error.strerror}") from None
    return targets


def _holds(path: Path, text: str) -> bool:
    """Whether the file ``path`` exists and holds ``text``."""
    try:
        return path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False
