"""The loader: the model it builds, and the exact message for each kind of bad input."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import struct
import unicodedata
import zlib
from pathlib import Path

import pytest

import briefgen
from briefgen import BriefingError, PartialDate
from briefgen.i18n import language
from conftest import REPO, SAMPLE_PEOPLE, SAMPLE_PERIODS, run_cli, tiny_image

MINIMAL = """
    title: 測試簡報
    events:
      - start: 1950
        title: 戰爭爆發
"""


def problems(path) -> list[str]:
    with pytest.raises(BriefingError) as caught:
        briefgen.load(path)
    return [str(problem) for problem in caught.value.problems]


def test_sample_has_all_periods_people_and_sources(sample):
    assert sample.lang == "zh-Hant"
    assert [language(sample.lang).period(event) for event in sample.events] == SAMPLE_PERIODS
    assert [person.name for person in sample.people] == SAMPLE_PEOPLE
    assert all(person.alt and person.role for person in sample.people)
    (source,) = sample.sources
    assert source.publisher == "德國之聲中文網"
    assert source.note and "美聯社" in source.note  # the article credits AP for its text


def test_minimal_briefing_gets_defaults(write_briefing):
    briefing = briefgen.load(write_briefing(MINIMAL))
    assert briefing.lang == "zh-Hant"
    assert briefing.events[0].start == PartialDate(1950)
    assert briefing.events[0].when is None  # written at render time, in the language
    assert briefing.where("events[0].title").endswith("briefing.yaml:4:12")


def test_yaml_dates_and_ints_are_both_accepted(write_briefing):
    path = write_briefing("""
        title: t
        date: 2023-09-13
        events:
          - start: 2023-09-12
            end: "2023-09"
            title: e
    """)
    briefing = briefgen.load(path)
    assert briefing.date == dt.date(2023, 9, 13)
    assert briefing.events[0].start == PartialDate(2023, 9, 12)
    assert briefing.events[0].end == PartialDate(2023, 9)


def test_utf8_bom_loads(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufefftitle: 標題\nevents:\n  - {start: 1950, title: 韓戰}\n".encode())
    assert briefgen.load(path).title == "標題"


def test_big5_file_is_named_and_conversion_suggested(tmp_path):
    path = tmp_path / "big5.yaml"
    path.write_bytes("title: 朝鮮\nevents: []\n".encode("cp950"))
    [message] = problems(path)
    assert message.startswith(f"{path}:1:8: expected UTF-8 text, found byte 0xB4")
    assert "Big5/CP950" in message
    assert f"iconv -f CP950 -t UTF-8 {path} > fixed.yaml" in message


def test_utf16_is_named_and_an_unknown_encoding_gets_no_guess(tmp_path):
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes("title: 朝鮮\nevents: []\n".encode("utf-16"))
    [message] = problems(utf16)
    assert "it is UTF-16 (it starts with UTF-16's byte-order mark)" in message
    assert f"iconv -f UTF-16 -t UTF-8 {utf16} > fixed.yaml" in message
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("title: café\nevents: []\n".encode("latin-1"))
    [message] = problems(latin1)
    assert message == (
        f"{latin1}:1:11: expected UTF-8 text, found byte 0xE9 that is not UTF-8\n"
        "    hint: save the file as UTF-8 in your editor (choose UTF-8 in its Save As dialog)"
    )


@pytest.mark.parametrize("encoding", ["UTF-16LE", "UTF-16BE"])
@pytest.mark.parametrize("text", ["title: Talks\nevents: []\n", "title: 朝鮮\nevents: []\n"])
def test_utf16_without_a_byte_order_mark_is_named(tmp_path, encoding, text):
    """A UTF-16 file that does not start with its byte-order mark was read as UTF-8: its
    ASCII letters each come with a NUL byte, and the user was told to delete a control
    character, or that some byte was no UTF-8."""
    path = tmp_path / "utf16.yaml"
    path.write_bytes(text.encode(encoding))
    assert problems(path) == [
        f"{path}: expected UTF-8 text; the file is {encoding} without a byte-order mark\n"
        f"    hint: save the file as UTF-8 in your editor, or convert it: iconv -f {encoding} "
        f"-t UTF-8 {path} > fixed.yaml"
    ]


@pytest.mark.parametrize(
    ("content", "told"),
    [
        (b"%PDF-1.7\n%\xb5\xb5\n1 0 obj", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "a ZIP archive (a Word .docx, an EPUB"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"{\\rtf1\\ansi title: t}", "an RTF document"),
    ],
)
def test_a_document_or_a_picture_given_for_a_briefing_is_named(tmp_path, content, told):
    """A PDF, a Word file or a picture given for the briefing was read as a text: "not
    UTF-8; it looks like GBK", with iconv's line to convert it, or (RTF, which is ASCII)
    a YAML error in its first line."""
    path = tmp_path / "given"
    path.write_bytes(content)
    (found,) = problems(path)
    assert found.startswith(f"{path}: the file is {told}")
    assert "GB" not in found and "YAML" not in found
    assert "\n    hint: " in found


def test_empty_file(write_briefing):
    path = write_briefing("\n")
    assert problems(path) == [
        f"{path}: the file is empty\n"
        "    hint: a briefing needs at least a title and one event: `briefgen new` writes a "
        "starter that shows every field"
    ]


def test_every_problem_is_reported_in_file_order(write_briefing):
    path = write_briefing("""
        title: t
        events:
          - start: 1950/06
            titel: y
            people: [金日成]
        evnts: []
        title: z
        lang: zh-tw
    """)
    assert problems(path) == [
        f"{path}:3:5: events[0].title: required field is missing\n    hint: add `title: …`",
        f"{path}:3:12: events[0].start: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, "
        f'found "1950/06"\n    hint: write 1950-06',
        f'{path}:4:5: events[0].titel: unknown key "titel"\n    hint: did you mean "title"?',
        f'{path}:5:14: events[0].people[0]: unknown person "金日成"\n'
        f"    hint: add them under the top-level `people:` list",
        f'{path}:6:1: evnts: unknown key "evnts"\n    hint: did you mean "events"?',
        f'{path}:7:1: title: duplicate key "title" (first given on line 1)\n'
        f"    hint: keep one of the two; YAML would silently drop the first",
        f"{path}:8:7: lang: expected one of zh-Hant, zh-TW, zh-HK, zh-Hans, zh-CN, ja, ko, en, "
        f'found "zh-tw"\n    hint: write "zh-TW"',
    ]


def test_a_comma_inside_braces_is_said_to_end_the_value_before_it(write_briefing):
    """A role with a comma, natural in Korean (조선 제4대 임금, 훈민정음 창제), ends at the
    comma inside { }: the rest was reported as an unknown key, with the allowed keys as the
    hint, which did not say what had gone wrong."""
    path = write_briefing("""
        title: 한글
        lang: ko
        events: [{start: 1443, title: 창제}]
        people:
          - {name: 세종대왕, role: 조선 제4대 임금, 훈민정음 창제}
          - {name: 정인지, role: "학자, 서문", 해례본: 1446}
          - {name: 주시경, rol: 학자}
    """)
    assert problems(path) == [
        f'{path}:5:35: people[0].훈민정음 창제: unknown key "훈민정음 창제"\n'
        '    hint: inside { } a comma ends a value: to write "조선 제4대 임금, 훈민정음 창제" '
        'as the role, put it in quotes: role: "조선 제4대 임금, 훈민정음 창제"',
        # A key with a value of its own, or after a quoted value, is only unknown.
        f'{path}:6:33: people[1].해례본: unknown key "해례본"\n'
        "    hint: allowed keys: name, alt, alt_lang, role",
        f'{path}:7:17: people[2].rol: unknown key "rol"\n    hint: did you mean "role"?',
    ]


def test_a_value_with_two_commas_inside_braces_is_written_out_whole(write_briefing):
    """Each comma leaves a key of its own: the second was told to be quoted as the value of
    the first, `훈민정음 창제: ", 한글 반포"`. Both are told the whole role."""
    path = write_briefing("""
        title: 한글
        lang: ko
        events: [{start: 1443, title: 창제}]
        people:
          - {name: 세종대왕, role: 조선 제4대 임금, 훈민정음 창제, 한글 반포}
    """)
    whole = "조선 제4대 임금, 훈민정음 창제, 한글 반포"
    hint = (
        f'hint: inside {{ }} a comma ends a value: to write "{whole}" as the role, '
        f'put it in quotes: role: "{whole}"'
    )
    found = problems(path)
    assert [problem.split("\n")[0] for problem in found] == [
        f'{path}:5:35: people[0].훈민정음 창제: unknown key "훈민정음 창제"',
        f'{path}:5:44: people[0].한글 반포: unknown key "한글 반포"',
    ]
    assert [problem.split("\n")[1].strip() for problem in found] == [hint, hint]


def test_a_file_that_cannot_be_read_says_why_and_what_to_give(tmp_path, monkeypatch):
    """`check DIR` (build takes a folder, check a file) and a mistyped name each get a hint."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "b.yaml").write_text("title: t\nevents: [{start: 1950, title: e}]\n")
    with pytest.raises(BriefingError) as caught:
        briefgen.load("briefings")
    assert str(caught.value) == (
        "briefings: is a folder, not a briefing file\n"
        "    hint: give a briefing in it, such as briefings/b.yaml (build builds every one "
        "of a folder's)\n1 problem found"
    )
    with pytest.raises(BriefingError) as caught:
        briefgen.load("brefing.yaml")
    assert str(caught.value) == (
        "brefing.yaml: cannot read the file: No such file or directory\n"
        f"    hint: the path is relative to the folder briefgen runs in ({tmp_path})\n"
        "1 problem found"
    )


def test_error_message_counts_problems(write_briefing):
    path = write_briefing("title: t\nevents: []\n")
    with pytest.raises(BriefingError) as caught:
        briefgen.load(path)
    assert str(caught.value) == (
        f"{path}:2:9: events: expected at least one event, found none\n"
        "    hint: add at least one `- start: … title: …` item on a line below `events:`, "
        "in place of []\n"
        "1 problem found"
    )


def test_an_empty_events_list_is_told_to_take_items_not_to_be_added(write_briefing):
    """`events: []` and `events:` with nothing after it: the list is written, and a hint
    to add an `events:` list would send the user to look for what is there."""
    path = write_briefing("title: t\nevents:\n")
    assert problems(path) == [
        f"{path}:2:8: events: expected a list, found nothing\n"
        "    hint: add at least one `- start: … title: …` item on a line below `events:`"
    ]
    path = write_briefing("title: t\nevents: []  # 待補\n")
    assert problems(path) == [
        f"{path}:2:9: events: expected at least one event, found none\n"
        "    hint: add at least one `- start: … title: …` item on a line below `events:`, "
        "in place of []"
    ]


def test_end_before_start(write_briefing):
    path = write_briefing("""
        title: t
        events:
          - {start: 1953, end: 1950-06, title: e}
    """)
    assert problems(path) == [
        f"{path}:3:24: events[0].end: expected a date not before start (1953), found 1950-06\n"
        "    hint: the end is the later date: swap the two, or correct the year"
    ]


def test_impossible_calendar_date(write_briefing):
    path = write_briefing("""
        title: t
        events:
          - {start: 2023-02-30, title: e}
          - {start: 1950-13, title: e}
    """)
    day, month = problems(path)
    assert day.startswith(
        f'{path}:3:13: events[0].start: expected a real calendar date, found "2023-02-30"'
    )
    assert day.endswith(
        "hint: 2023-02 has 28 days; if the day is not known, leave it out (2023-02)"
    )
    assert month.endswith(
        "hint: months run from 01 to 12; if the month is not known, leave it out (1950)"
    )


def test_a_month_or_day_of_zero_is_no_date(write_briefing):
    """A month or day left out is unknown; written as 00 it is a mistake, not a date."""
    path = write_briefing("""
        title: t
        date: 2023-02-30
        events:
          - {start: 2020-00, title: e}
          - {start: 2020-12-00, title: e}
          - {start: 2020-1-5, title: e}
        sources:
          - {title: s, date: 20230913}
    """)
    assert [problem.splitlines() for problem in problems(path)] == [
        [
            f'{path}:2:7: date: expected a real calendar date, found "2023-02-30" (day is out '
            "of range for month)",
            "    hint: 2023-02 has 28 days",
        ],
        [
            f'{path}:4:13: events[0].start: expected a real calendar date, found "2020-00" '
            "(month must be in 1..12)",
            "    hint: months run from 01 to 12; if the month is not known, leave it out (2020)",
        ],
        [
            f'{path}:5:13: events[1].start: expected a real calendar date, found "2020-12-00" '
            "(day is out of range for month)",
            "    hint: 2020-12 has 31 days; if the day is not known, leave it out (2020-12)",
        ],
        [
            f'{path}:8:22: sources[0].date: expected a date as YYYY-MM-DD, found "20230913"',
            "    hint: for example 2023-09-13",
        ],
    ]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("2023/9/13", "write 2023-09-13"),
        ("2023.9.13", "write 2023-09-13"),
        ("2023年9月13日", "write 2023-09-13"),
        ("2023年9月", "write 2023-09"),
        ("'2023-09-13 10:00'", "write 2023-09-13"),
        # As an input method in full-width mode types it: the figures and the marks.
        ("２０２３－０９－１３", "write 2023-09-13"),
        ("2023－9－13", "write 2023-09-13"),
        ("2023／9", "write 2023-09"),
        ("2023/13/01", "for example 1950, 1950-06 or 1950-06-25"),  # no date to write
        ("2023/0/5", "for example 1950, 1950-06 or 1950-06-25"),
        ("13/9/2023", "for example 1950, 1950-06 or 1950-06-25"),  # day or month first?
    ],
)
def test_a_date_written_another_way_is_written_out_in_the_hint(write_briefing, written, hint):
    path = write_briefing(f"title: t\nevents:\n  - start: {written}\n    title: e\n")
    [told] = problems(path)
    assert told.endswith(f"\n    hint: {hint}")


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("1952-1953", "for a period, give `start: 1952` and `end: 1953`"),
        ("1950 - 1953", "for a period, give `start: 1950` and `end: 1953`"),
        ("1950～1953", "for a period, give `start: 1950` and `end: 1953`"),
        ("1950年至1953年", "for a period, give `start: 1950` and `end: 1953`"),
        ("1950 to 1953", "for a period, give `start: 1950` and `end: 1953`"),
        ("1950-06～1951-02", "for a period, give `start: 1950-06` and `end: 1951-02`"),
        # Written short: not the 53rd month of 1950.
        ("1950-53", "months run from 01 to 12; for a period, give `start: 1950` and `end: 1953`"),
        ("1950-13", "months run from 01 to 12; if the month is not known, leave it out (1950)"),
        ("1950 to later", "for example 1950, 1950-06 or 1950-06-25"),
    ],
)
def test_a_period_written_as_one_date_is_told_as_start_and_end(write_briefing, written, hint):
    """A period written in `start` (1952-1953), as the labels write it, was told only that
    a date is YYYY, YYYY-MM or YYYY-MM-DD, with no word of `end`."""
    path = write_briefing(f"title: t\nevents:\n  - start: {written}\n    title: e\n")
    [told] = problems(path)
    assert told.endswith(f"\n    hint: {hint}")


def test_the_briefing_date_written_another_way_is_written_out_in_the_hint(write_briefing):
    path = write_briefing("title: t\ndate: 2023/9/13\nevents: [{start: 2023, title: e}]\n")
    assert problems(path) == [
        f'{path}:2:7: date: expected a date as YYYY-MM-DD, found "2023/9/13"\n'
        "    hint: write 2023-09-13"
    ]


def test_a_value_with_a_line_break_is_quoted_escaped(write_briefing):
    """A required name given as " \\n" was told as found " and a line break, then ", on
    the next line: the value is quoted as YAML's double quotes write it, on one line."""
    path = write_briefing("""
        title: t
        events: [{start: 1950, title: e}]
        people:
          - name: " \\n"
          - name: "\\t"
    """)
    found = [problem.split("\n")[0] for problem in problems(path)]
    assert found == [
        f'{path}:4:11: people[0].name: expected text, found " \\n"',
        f'{path}:5:11: people[1].name: expected text, found "\\t"',
    ]


def test_wrong_types(write_briefing):
    path = write_briefing("""
        title: [a, b]
        authors: 某人
        events:
          - start: 1950
            title: e
            tags: {a: 1}
        people: 金日成
    """)
    list_hint = "    hint: write each item on a line of its own, starting with `- ` (or as [a, b])"
    assert problems(path) == [
        f"{path}:1:8: title: expected text, found a list\n"
        "    hint: give one value here, not a list",
        f'{path}:2:10: authors: expected a list, found "某人"\n'
        "    hint: write it as a list: [某人]",
        f"{path}:6:11: events[0].tags: expected a list of items, each starting with `- `, "
        f"found a mapping (key: value pairs)\n{list_hint}",
        f'{path}:7:9: people: expected a list of items, each starting with `- `, found "金日成"\n'
        f"{list_hint}",
    ]


def test_unknown_person_gets_did_you_mean(write_briefing):
    path = write_briefing("""
        title: t
        people:
          - {name: 金正恩, alt: Kim Jong-un}
        events:
          - {start: 2019, title: e, people: [金正思]}
    """)
    assert problems(path) == [
        f'{path}:5:38: events[0].people[0]: unknown person "金正思"\n'
        f'    hint: did you mean "金正恩"?'
    ]


def test_a_name_typed_with_a_homophone_is_told_the_name_it_misspells(write_briefing):
    """金日城 (城 for 成, a homophone an input method offers) shares two characters with
    金日成 and with 金正日 alike: the hint named 金正日, the larger string, not the name
    whose characters stand in the same places."""
    path = write_briefing("""
        title: t
        people: [{name: 金日成}, {name: 金正日}]
        events:
          - {start: 1950, title: e, people: [金日城]}
    """)
    assert problems(path) == [
        f'{path}:4:38: events[0].people[0]: unknown person "金日城"\n'
        f'    hint: did you mean "金日成"?'
    ]


@pytest.mark.parametrize(
    ("written", "meant"),
    [("date", "start"), ("to", "end"), ("description", "body"), ("photo", "image")],
)
def test_a_key_named_by_what_it_holds_is_told_the_key(write_briefing, written, meant):
    """An event's `date:` (as a briefing and a source have one) is its `start:`: no
    misspelling of it, the hint listed all ten keys an event takes, not the one meant."""
    path = write_briefing(f"title: t\nevents:\n  - start: 1950\n    title: e\n    {written}: x\n")
    assert problems(path)[0] == (
        f'{path}:5:5: events[0].{written}: unknown key "{written}"\n'
        f'    hint: did you mean "{meant}"?'
    )


def test_a_person_named_by_their_alt_is_told_their_name(write_briefing):
    path = write_briefing("""
        title: t
        people:
          - {name: 金正恩, alt: Kim Jong-un}
        events:
          - {start: 2019, title: e, people: [Kim Jong-un]}
    """)
    assert problems(path) == [
        f'{path}:5:38: events[0].people[0]: unknown person "Kim Jong-un"\n'
        '    hint: write "金正恩": an event names a person by their name, not their alt'
    ]


def test_duplicate_person(write_briefing):
    path = write_briefing("""
        title: t
        people:
          - {name: 普京}
          - {name: 普京, role: 總統}
        events:
          - {start: 2019, title: e}
    """)
    assert problems(path) == [
        f'{path}:4:12: people[1].name: duplicate person "普京"\n'
        f"    hint: each name must be unique; merge the two entries"
    ]


def test_missing_title_and_events(write_briefing):
    path = write_briefing("subtitle: s\n")
    assert problems(path) == [
        f"{path}:1:1: title: required field is missing\n    hint: add `title: …`",
        f"{path}:1:1: events: required field is missing\n"
        f"    hint: add an `events:` list with at least one `- start: … title: …` item",
    ]


def test_invalid_yaml(write_briefing):
    path = write_briefing("title: t\nevents: [{start: 1950, title: e}]\nsummary: [unclosed\n")
    [message] = problems(path)
    assert message.startswith(f"{path}:3:10: not valid YAML: ")


EVERY_SCALAR_STYLE = """\
title: 一行的標題 (AP)
summary: 平常的文字,
  折到第二行 (AP),

  空行之後又一段
events:
  - start: 1950
    title: "雙引號,
      折行後 \\"引文\\""
    body: 'it''s 單引號,
      第二行 ''引'' 完'
  - start: 1951
    title: 字面 |
    body: |
      第一行,
        縮排多的一行 (AP)
      第三行
  - start: 1952
    title: >-
      折疊的
      段落 (AP),

      第二段
    body: "跳脫\\
      續行 (AP)"
"""


def test_every_character_of_every_scalar_style_is_placed_where_it_is_written(write_briefing):
    """`check` points at the character a finding is about, on whatever line of a folded,
    quoted or block value it is written."""
    path = write_briefing(EVERY_SCALAR_STYLE)
    briefing = briefgen.load(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = ["title", "summary", "events[0].title", "events[0].body", "events[1].body"]
    fields += ["events[2].title", "events[2].body"]
    texts = {
        "title": briefing.title,
        "summary": briefing.summary,
        **{
            f"events[{i}].{name}": getattr(e, name)
            for i, e in enumerate(briefing.events)
            for name in ("title", "body")
        },
    }
    for field in fields:
        value, position = texts[field], briefing.positions[field]
        for offset, char in enumerate(value):
            if char.isspace():
                continue
            at = position.at(value, offset)
            written = lines[at.line - 1][at.column - 1 :]
            assert written[0] == char or written[:2] == "\\" + char, (field, offset, at)
    # Past the first line, not at the value's start:
    value = texts["events[2].body"]
    at = briefing.positions["events[2].body"].at(value, value.index("A"))
    assert (at.line, at.column) == (25, 11)


def test_an_escape_is_placed_at_its_backslash(write_briefing):
    path = write_briefing('title: "\\u4E00 (A)"\nevents: [{start: 1950, title: t}]\n')
    briefing = briefgen.load(path)
    assert briefing.title == "一 (A)"
    position = briefing.positions["title"]
    places = [position.at(briefing.title, offset) for offset in (0, 3)]
    assert [(place.line, place.column) for place in places] == [(1, 9), (1, 17)]


def test_a_character_of_an_anchored_or_tagged_value_is_placed_past_its_properties(
    write_briefing,
):
    path = write_briefing(
        'title: &t !!str "報告(AP)"\nsubtitle: *t\nevents: [{start: 1950, title: t}]\n'
    )
    briefing = briefgen.load(path)
    for field in ("title", "subtitle"):
        at = briefing.positions[field].at(briefing.title, briefing.title.index("("))
        assert (at.line, at.column) == (1, 20)


@pytest.mark.parametrize(
    ("text", "told"),
    [
        (
            "title: t\nevents:\n  - start: 1950\n    title: 一: 二\n",
            "4:13: not valid YAML: a colon and a space here make a second `key: value` on one "
            'line\n    hint: a text with ": " in it must be quoted (title: "甲: 乙"), or use the '
            "full-width colon 「：」",
        ),
        (
            "title: t\nlang: ko\nevents:\n  - start: 1950\n    title: 한국 전쟁: 시작\n",
            "5:17: not valid YAML: a colon and a space here make a second `key: value` on one "
            'line\n    hint: a text with ": " in it must be quoted (title: "한국: 1950년")',
        ),
        (
            "title: Korea: a timeline\nlang: en\nevents: [{start: 1950, title: t}]\n",
            "1:13: not valid YAML: a colon and a space here make a second `key: value` on one "
            'line\n    hint: a text with ": " in it must be quoted (title: "Korea: 1950")',
        ),
        (
            "title: t\nevents:\n\t- start: 1950\n",
            "3:1: not valid YAML: a tab here\n    hint: YAML indents with spaces, never tabs",
        ),
        (
            "title: t\nevents:\n  - start: 1950\n    title: x\n   body: y\n",
            "5:4: not valid YAML: this line's indentation does not fit the lines before it\n"
            "    hint: the keys of one mapping, and the items of one list, start in the same "
            "column",
        ),
        (
            "title: t\nsummary: 第一行\n第二行\nevents: [{start: 1950, title: e}]\n",
            "3:1: not valid YAML: this line is no `key: value`\n    hint: a text that goes on to "
            "the next line must be indented under its key, or written in a block (summary: |)",
        ),
        (
            "title: t\nevents: [{start: 1950, title: e}]\n---\ntitle: u\n",
            "3:1: not valid YAML: a second YAML document starts here\n    hint: a briefing is "
            "one YAML document: remove the --- line, or merge the two parts",
        ),
        (
            "title: t\nsummary: [\nevents:\n  - {start: 1950, title: e}\n",
            "2:10: not valid YAML: this [ is not closed\n    hint: close it with ]",
        ),
        (
            "title: '[1]' # [\nevents: [{start: 1950, title: e, tags: [a, {b: c}}\n",
            "2:40: not valid YAML: this [ is not closed\n    hint: close it with ]",
        ),
        (
            "title: t\x00\nevents: [{start: 1950, title: e}]\n",
            "1:9: not valid YAML: the control character U+0000 is not allowed in a YAML file\n"
            "    hint: delete it: most editors do not show it (it comes with text pasted from "
            "some PDFs and word processors)",
        ),
        (
            "title: t\nevents:\n  - start: 1950\n    title: @金正恩 發文\n",
            "4:12: not valid YAML: a text that starts with @ must be quoted as a whole\n"
            '    hint: quote the text: title: "@金正恩 發文"',
        ),
        (
            "title: `t`\nevents: [{start: 1950, title: e}]\n",
            "1:8: not valid YAML: a text that starts with ` must be quoted as a whole\n"
            '    hint: quote the text: title: "`t`"',
        ),
        (
            "title: t\nevents:\n  - start: 1950\n    title: [快訊] 金正恩訪俄\n",
            "4:12: not valid YAML: a text that starts with [ must be quoted as a whole\n"
            '    hint: quote the text: title: "[快訊] 金正恩訪俄"',
        ),
        (
            'title: "一帶一路" 十週年  # the title\nevents: [{start: 1950, title: e}]\n',
            '1:8: not valid YAML: a text that starts with " must be quoted as a whole\n'
            """    hint: quote the text: title: '"一帶一路" 十週年'""",
        ),
        (
            "title: t\nevents:\n  - start: 1950\n    title: e\n    body: > 引述\n",
            "5:11: not valid YAML: a text that starts with > must be quoted as a whole\n"
            '    hint: quote the text: body: "> 引述"',
        ),
        (
            "title: t\nevents:\n  - start: 1950\n    title: *重要* 消息\n",
            "4:12: not valid YAML: a text that starts with * must be quoted as a whole\n"
            '    hint: quote the text: title: "*重要* 消息"',
        ),
        (
            'title: "D:\\稿件\\金正恩"\nevents: [{start: 1950, title: e}]\n',
            "1:12: not valid YAML: found unknown escape character '稿'\n"
            "    hint: in double quotes a backslash starts an escape: write \\\\ for a backslash, "
            "or use single quotes",
        ),
        (
            'title: "C:\\Users\\稿件"\nevents: [{start: 1950, title: e}]\n',
            "1:13: not valid YAML: expected escape sequence of 8 hexadecimal numbers, but found "
            "'s'\n    hint: in double quotes a backslash starts an escape: write \\\\ for a "
            "backslash, or use single quotes",
        ),
        (
            'title: t\nevents:\n  - {start: 1950, title: e, body: "北京" 回應}\n',
            "3:40: not valid YAML: a comma or the closing bracket should come here\n"
            "    hint: in [ ] and { }, items are separated by commas; a text with a quotation, "
            "a comma or a bracket in it must be quoted as a whole",
        ),
    ],
    ids=[
        "colon",
        "colon in Korean",
        "colon in English",
        "tab",
        "indentation",
        "no key",
        "two documents",
        "bracket",
        "inner bracket",
        "NUL",
        "at sign",
        "backtick",
        "bracket first",
        "quotation first",
        "folded block mark",
        "alias mark",
        "backslash in quotes",
        "backslash and U in quotes",
        "quotation inside brackets",
    ],
)
def test_a_yaml_mistake_is_said_in_plain_words_where_it_is(write_briefing, text, told):
    path = write_briefing(text)
    assert problems(path) == [f"{path}:{told}"]


@pytest.mark.parametrize(
    ("text", "place", "key"),
    [
        # YAML reads the line as a text, which runs on into the next key: met there.
        ("title：測試\nevents:\n  - start: 2020\n    title: x\n", "1:6", "title"),
        ("title: t\nevents:\n  - start：2020\n    title: x\n", "3:10", "start"),
        ("title: t\nevents:\n  - start: 2020\n    title：x\n", "4:10", "title"),
        (
            "title: t\nsubtitle: s\nlang： zh-Hant\nevents: [{start: 2020, title: e}]\n",
            "3:5",
            "lang",
        ),
    ],
)
def test_a_key_with_a_full_width_colon_is_pointed_at(write_briefing, text, place, key):
    """The colon a Chinese or Japanese input method types: PyYAML's words (and its place,
    often the line after) said nothing of it."""
    path = write_briefing(text)
    assert problems(path) == [
        f"{path}:{place}: not valid YAML: `{key}：` has a full-width colon, and YAML reads no "
        f"key there\n    hint: write the key with an ASCII colon and a space: `{key}: …`"
    ]


def test_a_key_with_a_full_width_colon_in_braces_is_told_how_to_write_it(write_briefing):
    """In { } the key and its value written with 「：」 are one key: not a misspelling."""
    path = write_briefing("title: t\nevents: [{start: 2020, title: e}]\npeople: [{name：甲}]\n")
    assert problems(path)[-1] == (
        f'{path}:3:11: people[0].name：甲: unknown key "name：甲"\n'
        "    hint: write `name: 甲`, with an ASCII colon and a space"
    )


def test_a_key_written_in_chinese_or_japanese_is_told_its_english_name(write_briefing):
    """標題: is the title, under a key a Chinese input method writes: the hint names the
    English key meant, not all of them, and the title is not also said to be missing."""
    path = write_briefing("""
        標題: 俄朝關係
        事件:
          - {開始: 1950, 標題: 戰爭}
        """)
    hint = "; briefgen's keys are English, whatever the briefing's language"
    assert problems(path) == [
        f'{path}:1:1: 標題: unknown key "標題"\n    hint: write `title:`{hint}',
        f'{path}:2:1: 事件: unknown key "事件"\n    hint: write `events:`{hint}',
    ]
    path = write_briefing("""
        title: t
        events:
          - {日期: 1950, 标题: 战争, 内容: 正文, 結束: 1953}
          - {start: 1951, 見出し: 休戦}
        people: [{姓名：金日成}]
        """)
    assert problems(path) == [
        f'{path}:3:6: events[0].日期: unknown key "日期"\n    hint: write `start:`{hint}',
        f'{path}:3:16: events[0].标题: unknown key "标题"\n    hint: write `title:`{hint}',
        f'{path}:3:24: events[0].内容: unknown key "内容"\n    hint: write `body:`{hint}',
        f'{path}:3:32: events[0].結束: unknown key "結束"\n    hint: write `end:`{hint}',
        f'{path}:4:19: events[1].見出し: unknown key "見出し"\n    hint: write `title:`{hint}',
        f'{path}:5:11: people[0].姓名：金日成: unknown key "姓名：金日成"\n'
        "    hint: write `name: 金日成`, with an ASCII colon and a space",
    ]


def test_a_briefing_typed_all_with_full_width_colons_is_pointed_at_its_first_key(
    write_briefing,
):
    """An input method left in full-width mode writes `：` after every key: YAML reads the
    whole file as one text, and the report was that text, with the general hint. It now
    points at the first key so written, in English if it was not."""
    path = write_briefing("標題：俄朝關係\n事件：\n  - 開始：1950\n    標題：戰爭\n")
    assert problems(path) == [
        f"{path}:1:3: (top level): `標題：` has a full-width colon, and YAML reads no key "
        "there\n    hint: write the key in English, with an ASCII colon and a space: "
        "`title: …`"
    ]
    path = write_briefing("title: t\nevents:\n  - start：1950\n    title：x\n")
    assert problems(path) == [
        f"{path}:3:10: events[0]: `start：` has a full-width colon, and YAML reads no key "
        "there\n    hint: write the key with an ASCII colon and a space: `start: …`"
    ]
    # Where YAML itself stumbles over it, a key in Chinese is named in English too.
    path = write_briefing("title: t\nevents:\n  - start: 1950\n    標題：戰爭\n")
    assert problems(path) == [
        f"{path}:4:7: not valid YAML: `標題：` has a full-width colon, and YAML reads no key "
        "there\n    hint: write the key in English, with an ASCII colon and a space: "
        "`title: …`"
    ]


def test_a_key_with_a_full_width_colon_naming_two_keys_is_told_the_one_meant(write_briefing):
    """日期 is a briefing's `date` and an event's `start`: an event's `日期：1950` was told
    to write `date:`, which an event has not."""
    path = write_briefing("title: t\nevents:\n  - 日期：1950\n    標題：x\n")
    assert problems(path) == [
        f"{path}:3:7: events[0]: `日期：` has a full-width colon, and YAML reads no key "
        "there\n    hint: write the key in English, with an ASCII colon and a space: "
        "`start: …`"
    ]
    # Where YAML stumbles over it, which mapping the line is in is not known: both.
    path = write_briefing("title: t\nevents:\n  - 日期：1950\n    title: x\n")
    assert problems(path) == [
        f"{path}:3:7: not valid YAML: `日期：` has a full-width colon, and YAML reads no key "
        "there\n    hint: write the key in English, with an ASCII colon and a space: "
        "`date: …` or `start: …`, whichever is meant there"
    ]


def test_a_list_typed_with_full_width_brackets_or_commas_is_told_its_items(write_briefing):
    """`tags: ［戰爭，援助］` is one text to YAML: the hint wrapped it in brackets whole,
    [［戰爭，援助］], one tag still; it now parts the items with ASCII commas."""
    path = write_briefing("""
        title: t
        authors: 張三、李四
        events:
          - {start: 1950, title: e, tags: ［戰爭，援助］}
    """)
    assert problems(path) == [
        f'{path}:2:10: authors: expected a list, found "張三、李四"\n'
        "    hint: write it as a list, with ASCII brackets and commas: [張三, 李四]",
        f'{path}:4:35: events[0].tags: expected a list, found "［戰爭，援助］"\n'
        "    hint: write it as a list, with ASCII brackets and commas: [戰爭, 援助]",
    ]


def test_names_parted_by_a_full_width_comma_are_told_to_be_parted(write_briefing):
    """`people: [金日成、斯大林]` is one name to YAML: the hint was "did you mean 金日成",
    which would drop the other; it now parts them with ASCII commas."""
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, title: e, people: [金日成、斯大林]}
          - {start: 1951, title: f, people: [金日成，毛澤東]}
        people: [{name: 金日成}, {name: 斯大林}]
    """)
    assert problems(path) == [
        f'{path}:3:38: events[0].people[0]: unknown person "金日成、斯大林"\n'
        "    hint: part the names with ASCII commas: [金日成, 斯大林]",
        f'{path}:4:38: events[1].people[0]: unknown person "金日成，毛澤東"\n'
        "    hint: part the names with ASCII commas: [金日成, 毛澤東], and add 毛澤東 under the "
        "top-level `people:` list",
    ]


def test_a_list_item_begun_with_a_full_width_dash_is_pointed_at(write_briefing):
    """`－ start: 1950`, the dash an input method types for "-", is text to YAML: the report
    blamed the next line's colon ("a second `key: value` on one line") or the indentation,
    or said the list was a mapping."""
    path = write_briefing("title: t\nevents:\n  － start: 1950\n    title: x\n")
    assert problems(path) == [
        f"{path}:3:3: not valid YAML: `－` (U+FF0D) is not YAML's dash, and YAML reads no "
        "list item there\n    hint: begin a list item with an ASCII hyphen and a space: "
        "`- start: …`"
    ]
    path = write_briefing("title: t\nevents: [{start: 1950, title: x}]\npeople:\n  ・name: 甲\n")
    assert problems(path) == [
        f"{path}:4:3: people: `・` (U+30FB) is not YAML's dash, and YAML reads no list item "
        "there\n    hint: begin a list item with an ASCII hyphen and a space: `- name: …`"
    ]


def test_a_bullet_line_of_a_text_block_is_not_taken_for_a_list_item(write_briefing):
    """・ begins a line of a Japanese or Chinese list, in a body's text as anywhere: a line
    of it indented less than the block, but deeper than `body:`, was told that `・` is not
    YAML's dash, and to write `- 重點: …`, a list item, where the block's indentation is
    what is wrong."""
    path = write_briefing(
        "title: t\nevents:\n  - start: 1950\n    title: x\n    body: |\n      本文。\n"
        "     ・重點：甲\n      更多。\n"
    )
    assert problems(path) == [
        f"{path}:7:6: not valid YAML: this line is indented less than the text block `body:` "
        "above it, so the block ends before it\n    hint: indent every line of the block the "
        "same, more than `body:` itself (two spaces more, say)"
    ]


def test_a_line_indented_with_full_width_spaces_is_told_so(write_briefing):
    """An input method left in full-width mode types U+3000 for a space: YAML reads the
    line as a key that begins with it, whose hint was the list of keys or "did you mean
    title". A text block's paragraph may still begin with them, as Chinese text does."""
    path = write_briefing(
        "title: t\nevents:\n  - start: 1950\n    title: x\n\u3000\u3000body: |\n"
        "      \u3000\u3000正文。\n"
    )
    assert problems(path) == [
        f'{path}:5:1: \u3000\u3000body: unknown key "\u3000\u3000body"\n'
        "    hint: the line is indented with full-width spaces (U+3000), which YAML reads as "
        "part of the key: indent it with ASCII spaces"
    ]
    path = write_briefing("\u3000title: t\nevents: [{start: 1950, title: x}]\n")
    assert problems(path) == [
        f'{path}:1:1: \u3000title: unknown key "\u3000title"\n'
        "    hint: the line is indented with full-width spaces (U+3000), which YAML reads as "
        "part of the key: indent it with ASCII spaces"
    ]
    write_briefing(
        "title: t\nevents:\n  - start: 1950\n    title: x\n    body: |\n      \u3000\u3000正文。\n"
    )
    assert briefgen.load(path).events[0].body.endswith("正文。")  # no problem


@pytest.mark.parametrize(
    ("text", "place", "key"),
    [
        (
            "title: t\nevents:\n  - start: 1950\n\u3000\u3000end: 1953\n    title: x\n",
            "4:1",
            "end",
        ),
        (
            "title: t\nevents:\n  - start: 1950\n    body: |\n      text\n"
            "\u3000\u3000people: [a]\n    tags: [b]\n",
            "6:1",
            "people",
        ),
        ("title: t\nevents:\n  - start: 1950\n  \u3000tags: [a]\n    title: y\n", "4:3", "tags"),
    ],
)
def test_a_key_indented_with_full_width_spaces_among_others_is_told_so(
    write_briefing, text, place, key
):
    """A key indented with full-width spaces amid an item's keys is read as a key at the
    left margin, and the error met at the next line: PyYAML's words blamed that line's
    colon ("a second `key: value` on one line") or its indentation."""
    path = write_briefing(text)
    assert problems(path) == [
        f"{path}:{place}: not valid YAML: `{key}:` is indented with full-width spaces "
        "(U+3000), which YAML reads as part of the key\n    hint: indent the line with ASCII "
        "spaces"
    ]


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("title: t\nevents:\n  - start: 1950\n     title: x\n", "4:6: not valid YAML: `title:` "),
        (
            "title: t\nevents:\n  - start: 1950\n    title: x\n      body: y\n",
            "5:7: not valid YAML: `body:` ",
        ),
        (
            "title: t\nevents:\n  - start: 1950\ntitle: x\n    body: y\n",
            "5:5: not valid YAML: `body:` ",
        ),
    ],
)
def test_a_key_indented_deeper_than_the_key_above_is_told_so(write_briefing, text, told):
    """A key one space deeper than the key above it is read as more of that key's text, up
    to its colon: PyYAML's "mapping values are not allowed here" was told as a colon inside
    a text, with the hint to quote the text, where the indentation is what is wrong."""
    path = write_briefing(text)
    (found,) = problems(path)
    assert found.startswith(f"{path}:{told}is indented deeper than `")
    assert found.endswith(
        "hint: the keys of one mapping start in the same column: indent the two lines alike"
    )


@pytest.mark.parametrize(
    "text",
    [
        "title: t\nsummary: The talks ended.\n  Note: no statement\nevents: []\n",
        "title: t\ntags:\n  - Talks\n    Update: none\nevents: []\n",
    ],
)
def test_a_label_starting_a_line_of_a_text_is_a_colon_to_quote(write_briefing, text):
    """`Note:` starting the second line of an English text was told to be a key indented
    deeper than the one above, to be indented alike: a key briefgen has none of, where the
    colon is the text's own and the text is to be quoted. briefgen's keys are lowercase."""
    path = write_briefing(text)
    (found,) = problems(path)
    assert "indented deeper" not in found and "under the list item" not in found
    assert "a colon and a space here make a second `key: value` on one line" in found
    assert "must be quoted" in found


@pytest.mark.parametrize(
    ("text", "told"),
    [
        (
            "title: t\nevents: [{start: 1950, title: x}]\npeople:\n  - {name: 甲}\n"
            "  - 金日成\n    alt: Kim Il-sung\n",
            "6:5: not valid YAML: `alt:` is under the list item `- 金日成`, which is a text, "
            "not keys and values\n    hint: give the item's text its key: `- name: 金日成`",
        ),
        (
            "title: t\nevents:\n- 朝鮮戰爭\n  start: 1950\n",
            "4:3: not valid YAML: `start:` is under the list item `- 朝鮮戰爭`, which is a "
            "text, not keys and values\n    hint: give the item's text its key: "
            "`- title: 朝鮮戰爭`",
        ),
        (
            "title: t\nevents:\n  - start: 1950\n    title: e\n    people:\n      - 金日成\n"
            "        role: 領袖\npeople:\n  - name: 金日成\n",
            "7:9: not valid YAML: `role:` is under the list item `- 金日成`, which is a text, "
            "not keys and values\n    hint: an event names its people alone: give `role:` in "
            "the briefing's own `people:` list, under `- name: 金日成`",
        ),
        (
            "title: t\ntags:\n  - 韓戰\n    kind: x\nevents: [{start: 1950, title: e}]\n",
            "4:5: not valid YAML: `kind:` is under the list item `- 韓戰`, which is a text, "
            "not keys and values\n    hint: this list's items are texts alone, with no keys "
            "under them",
        ),
    ],
)
def test_a_key_under_a_list_item_written_as_a_text_is_told_so(write_briefing, text, told):
    """A person written `- 金日成` as an event names them, with their alt under it: YAML
    reads the key as more of the item's text, and the message blamed its colon, with the
    hint to quote the text. Under an event's own people, or tags, whose items are texts
    alone, the hint to write `- name: 金日成` (or `- key: 韓戰`) led to another refusal."""
    path = write_briefing(text)
    assert problems(path) == [f"{path}:{told}"]


def test_a_text_block_indented_with_full_width_spaces_alone_is_told_so(write_briefing):
    """`summary: |` and then 　　2023年……, a paragraph begun as Chinese text begins one: to
    YAML the line is not indented, and the report said it was indented less than the block,
    of a line the user sees indented."""
    path = write_briefing(
        "title: t\nsummary: |\n\u3000\u30002023年。\nevents: [{start: 1950, title: e}]\n"
    )
    assert problems(path) == [
        f"{path}:3:1: not valid YAML: this line is indented with full-width spaces (U+3000), "
        "which YAML does not count, so the text block `summary:` ends before it\n"
        "    hint: indent every line of the block with ASCII spaces, more than `summary:` "
        "itself; full-width spaces may follow them"
    ]


def test_a_full_width_space_beside_a_keys_colon_is_told_so(write_briefing):
    """`title　: t` was 'did you mean "title"?' of a key that reads title on screen, and
    `title:　t` a colon on the next line blamed; both now name the full-width space."""
    path = write_briefing("title\u3000: t\nevents: [{start: 1950, title: e}]\n")
    assert problems(path) == [
        f'{path}:1:1: title\u3000: unknown key "title\u3000"\n'
        "    hint: the key holds a full-width space (U+3000), which YAML reads as part of it: "
        "write `title:`"
    ]
    path = write_briefing("title: t\nevents:\n  - start:\u30001950\n    title: x\n")
    assert problems(path) == [
        f"{path}:3:11: not valid YAML: `start:` is followed by a full-width space (U+3000), "
        "and YAML reads no key there\n"
        "    hint: write an ASCII space after the colon: `start: …`"
    ]


def test_a_key_in_chinese_with_a_full_width_space_is_told_its_english_name(write_briefing):
    """`標題　: t` is the title, under a key in Chinese with the space typed before the
    colon: the hint said to write `標題:`, itself an unknown key."""
    path = write_briefing("title: t\nevents:\n  - start: 1950\n    標題\u3000: x\n")
    assert problems(path) == [
        f'{path}:4:5: events[0].標題\u3000: unknown key "標題\u3000"\n'
        "    hint: the key holds a full-width space (U+3000), which YAML reads as part of it: "
        "write `title:`"
    ]


def test_a_key_in_another_language_the_mapping_does_not_take_gets_the_allowed_keys(
    write_briefing,
):
    """摘要 is a briefing's summary, but an event has none: naming it would mislead."""
    path = write_briefing("title: t\nevents: [{start: 1950, title: e, 摘要: x}]\n")
    assert problems(path) == [
        f'{path}:2:34: events[0].摘要: unknown key "摘要"\n'
        "    hint: allowed keys: start, end, when, title, body, people, tags, image, caption, alt"
    ]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("title: t\nevents:\n  - start: 2020\n    title: x\n  -start: 2021\n    title: y\n", "5:3"),
        ("title: t\nevents:\n  -start: 2021\n    title: y\n", "3:3"),  # met on line 4
    ],
)
def test_a_list_item_without_a_space_after_its_dash_is_pointed_at(write_briefing, text, place):
    path = write_briefing(text)
    assert problems(path) == [
        f"{path}:{place}: not valid YAML: `-start:` has no space after the dash, and YAML "
        "reads no list item there\n    hint: write `- start:`, with a space after the dash"
    ]


def test_a_text_blocks_line_with_a_dash_is_not_blamed_for_the_next_lines_mistake(
    write_briefing,
):
    """`-v: verbose` inside `body: |` is text, not a list item: the error on the line after
    it, a title with ": " in it, is that line's own, and the hint is to quote the title, not
    to put a space after the body's dash (which would change the body)."""
    path = write_briefing(
        "title: t\nevents:\n  - start: 2020\n    body: |\n      用法如下\n"
        "      -v: 顯示更多\n    title: 北韓: 核試驗\n"
    )
    [problem] = problems(path)
    assert problem.startswith(f"{path}:7:")
    assert "no space after the dash" not in problem
    assert "must be quoted" in problem


@pytest.mark.parametrize(
    ("text", "place", "key"),
    [
        # Pasted under `summary: |` without indenting it.
        ("title: t\nsummary: |\n用兩三句話\nevents: [{start: 2020, title: e}]\n", "3:1", "summary"),
        # A second line indented less than the first.
        (
            "title: t\nsummary: |\n  第一段\n 第二段\nevents: [{start: 2020, title: e}]\n",
            "4:2",
            "summary",
        ),
        ("title: t\nevents:\n  - start: 2020\n    body: |\n      一\n    二\n", "6:5", "body"),
    ],
)
def test_a_line_indented_less_than_its_text_block_is_pointed_at(write_briefing, text, place, key):
    path = write_briefing(text)
    assert problems(path) == [
        f"{path}:{place}: not valid YAML: this line is indented less than the text block "
        f"`{key}:` above it, so the block ends before it\n    hint: indent every line of the "
        f"block the same, more than `{key}:` itself (two spaces more, say)"
    ]


def test_a_line_after_the_keys_that_ended_a_text_block_is_not_blamed_on_the_block(
    write_briefing,
):
    """`title:` and `tags:` after `body: |` ended the block: a line of text pasted after
    them was told it was indented less than the block `body:` "above it", which it was never
    under, and to indent the block's lines the same."""
    text = (
        "title: t\nevents:\n  - start: 2020\n    body: |\n      一\n    title: x\n"
        "    tags: [甲]\n  用兩三句話\n  - start: 2021\n    title: y\n"
    )
    [told] = problems(write_briefing(text))
    assert "text block" not in told
    assert told.split(": ")[0].endswith(":8:3")


def test_a_key_indented_wrong_after_a_text_block_is_not_blamed_on_the_block(write_briefing):
    text = "title: t\nevents:\n  - start: 2020\n    body: |\n      一\n   title: x\n"
    [told] = problems(write_briefing(text))
    assert "text block" not in told and "indentation does not fit" in told


def test_a_full_width_colon_inside_a_text_block_is_not_blamed(write_briefing):
    text = "title: t\nsummary: |\n  NATO：北約\n events: [{start: 2020, title: e}]\n"
    [told] = problems(write_briefing(text))
    assert "full-width" not in told


def test_a_list_with_a_bracket_too_many_is_not_told_to_be_quoted(write_briefing):
    path = write_briefing("title: t\nevents: [{start: 1950, title: e}]]\n")
    [problem] = problems(path)
    assert "quote" not in problem


def test_an_unclosed_quote_is_placed_where_it_opens_not_at_the_end(write_briefing):
    path = write_briefing('title: "unclosed\nevents:\n  - {start: 1950, title: e}\n')
    assert problems(path) == [
        f"{path}:1:8: not valid YAML: found unexpected end of stream while scanning a quoted "
        "scalar that starts here\n    hint: close the quote or bracket opened here"
    ]


def test_unsafe_yaml_tags_are_refused(write_briefing):
    path = write_briefing("title: !!python/object/apply:os.system ['true']\nevents: []\n")
    assert problems(path) == [
        f"{path}:1:8: title: unsupported YAML tag !!python/object/apply:os.system\n"
        f"    hint: briefgen reads plain YAML: text, numbers, dates, lists and mappings"
    ]


def test_a_tag_deep_inside_is_refused_with_its_field(write_briefing):
    path = write_briefing(
        "title: t\nevents:\n  - {start: 1950, title: e, tags: [a, !!binary aGk=]}\n"
    )
    assert problems(path) == [
        f"{path}:3:39: events[0].tags[1]: unsupported YAML tag !!binary\n"
        f"    hint: briefgen reads plain YAML: text, numbers, dates, lists and mappings"
    ]


@pytest.mark.parametrize("elsewhere", ["", "!"], ids=["no-bang", "bang-elsewhere"])
def test_a_plain_equals_sign_or_double_angle_is_text(write_briefing, elsewhere):
    # YAML 1.1 resolves a plain `=` to !!value and `<<` to !!merge; PyYAML's safe_load
    # refuses both. As values they are only text. A "!" anywhere in the file sends the
    # tag check through every node, which must agree with the check it skips without one.
    path = write_briefing(
        f"title: t{elsewhere}\nsummary: =\n"
        "events:\n  - {start: 1950, title: e, body: <<, tags: [=, <<]}\n"
    )
    briefing = briefgen.load(path)
    assert briefing.summary == "="
    assert briefing.events[0].body == "<<"
    assert briefing.events[0].tags == ("=", "<<")


def test_an_explicit_merge_tag_is_refused(write_briefing):
    path = write_briefing("title: t\nsummary: !!merge =\nevents: [{start: 1950, title: e}]\n")
    assert problems(path) == [
        f"{path}:2:10: summary: unsupported YAML tag !!merge\n"
        f"    hint: briefgen reads plain YAML: text, numbers, dates, lists and mappings"
    ]


def test_source_url_must_be_web_address(write_briefing):
    path = write_briefing("""
        title: t
        events: [{start: 1950, title: e}]
        sources:
          - {title: s, url: "javascript:alert(1)"}
    """)
    assert problems(path) == [
        f"{path}:4:21: sources[0].url: expected a web address starting with http:// or "
        f'https://, found "javascript:alert(1)"\n'
        "    hint: copy the whole address from the browser's address bar: https://example.org/news/1"
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("title: t\nevents: []\n", "events: expected at least one event, found none"),
        ("- t\n", "(top level): expected the briefing as key: value pairs, found a list"),
        ("title: t\nevents: hello\n", "events: expected a list of items"),
        ("title: t\nevents:\n  - hello\n", "events[0]: expected an event as key: value pairs"),
        (
            "title: t\nevents: [{start: 1950, title: e, tags: {a: 1}}]\n",
            "events[0].tags: expected a list of items",
        ),
        ("title: t\n[a]: b\nevents: [{start: 1950, title: e}]\n", "expected a plain key"),
        (
            "title: t\nevents: [{start: 1950, title: e, image: pictures}]\n",
            "events[0].image: expected a PNG, JPEG, GIF, SVG or WebP image",
        ),
        (
            "title: t\nfonts: {body: mine.woff2}\nevents: [{start: 1950, title: e}]\n",
            "fonts.body: expected an OpenType or TrueType font file",
        ),
    ],
    ids=["no event", "a list", "not a list", "event not a mapping", "tags", "key", "image", "font"],
)
def test_every_problem_says_how_to_mend_it(write_briefing, text, problem):
    [found] = problems(write_briefing(text))
    first, _, hint = found.partition("\n")
    assert problem in first
    assert hint.startswith("    hint: ") and len(hint) > len("    hint: ") + 10


def test_an_image_path_written_on_windows_is_told_how_to_write_it(write_briefing, tmp_path):
    """`images\\map.png` and `Map.PNG` for images/map.png find the file on Windows (and the
    second on macOS), not where "/" parts folders and case tells names apart: the hint said
    only that the path is relative to the briefing's folder, where the file plainly is."""
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes(tiny_image())
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, title: e, image: images\\map.png}
          - {start: 1951, title: f, image: images/Map.PNG}
    """)
    assert problems(path) == [
        f'{path}:3:36: events[0].image: no such file: "images\\map.png"\n'
        '    hint: write the path with "/": images/map.png (a "\\" parts folders on Windows '
        "only)",
        f'{path}:4:36: events[1].image: no such file: "images/Map.PNG"\n'
        '    hint: the file is named "map.png": write its name in that case (Windows and macOS '
        "take either, other systems tell them apart)",
    ]


def test_image_must_stay_inside_the_briefing_folder(write_briefing, tmp_path):
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, title: e, image: ../secret.png}
          - {start: 1951, title: f, image: missing.png}
          - {start: 1952, title: g, image: notes.txt}
    """)
    (tmp_path / "notes.txt").write_text("x")
    assert problems(path) == [
        f"{path}:3:36: events[0].image: expected a file inside the briefing's folder, "
        f'found "../secret.png"\n'
        f"    hint: copy the image next to the briefing file and give its relative path",
        f'{path}:4:36: events[1].image: no such file: "missing.png"\n'
        f"    hint: the path is relative to the briefing's folder ({tmp_path})",
        f"{path}:5:36: events[2].image: expected a PNG, JPEG, GIF, SVG or WebP image, "
        f'found "notes.txt"\n'
        "    hint: give the picture's file name with its suffix (map.png, photo.jpg); save a "
        "picture in another format as PNG or JPEG first",
    ]


@pytest.mark.parametrize(
    "written", ["~/Pictures/map.png", "'C:\\Users\\me\\map.png'", "D:/map.png", "'~'"]
)
def test_an_image_in_the_home_folder_or_on_a_drive_is_outside_the_folder(write_briefing, written):
    """`~/Pictures/map.png` (which only a shell expands) and a Windows drive's path were
    read as names inside the briefing's folder: "no such file", with the hint that the path
    is relative to that folder, as it was."""
    path = write_briefing(f"title: t\nevents:\n  - {{start: 1950, title: e, image: {written}}}\n")
    (found,) = problems(path)
    assert "events[0].image: expected a file inside the briefing's folder, found" in found
    assert found.endswith(
        "hint: copy the image next to the briefing file and give its relative path"
    )


def test_an_image_given_as_an_address_is_refused_as_one(write_briefing, tmp_path):
    """briefgen fetches nothing: a picture's web or file address is not taken for a file
    name beside the briefing ("no such file") but told as what it is."""
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, title: e, image: "https://example.org/map.png"}
          - {start: 1951, title: f, image: "file:///tmp/map.png"}
    """)
    hint = (
        "    hint: briefgen fetches nothing: save the picture next to the briefing file and "
        "give its relative path"
    )
    assert problems(path) == [
        f"{path}:3:36: events[0].image: expected a file inside the briefing's folder, found "
        f'the address "https://example.org/map.png"\n{hint}',
        f"{path}:4:36: events[1].image: expected a file inside the briefing's folder, found "
        f'the address "file:///tmp/map.png"\n{hint}',
    ]


def test_a_link_out_of_the_briefing_folder_is_named_as_a_link(write_briefing, tmp_path):
    """A link beside the briefing that leads out of its folder is refused as what it is: the
    user sees the file next to the briefing, and "expected a file inside" alone puzzles."""
    (tmp_path / "project").mkdir()
    (tmp_path / "elsewhere.png").write_bytes(tiny_image())
    (tmp_path / "elsewhere.otf").write_bytes(b"")
    (tmp_path / "project" / "map.png").symlink_to(tmp_path / "elsewhere.png")
    (tmp_path / "project" / "mine.otf").symlink_to(tmp_path / "elsewhere.otf")
    path = write_briefing(
        """
        title: t
        fonts: {body: mine.otf}
        events:
          - {start: 1950, title: e, image: map.png}
        """,
        "project/briefing.yaml",
    )
    assert problems(path) == [
        f'{path}:2:15: fonts.body: "mine.otf" is a link to {tmp_path / "elsewhere.otf"}, '
        "outside the briefing's folder\n"
        "    hint: briefgen reads nothing outside it for a briefing: copy the font next to the "
        "briefing file, in place of the link",
        f'{path}:4:36: events[0].image: "map.png" is a link to {tmp_path / "elsewhere.png"}, '
        "outside the briefing's folder\n"
        "    hint: briefgen reads nothing outside it for a briefing: copy the image next to the "
        "briefing file, in place of the link",
    ]


def _png_header(width: int, height: int) -> bytes:
    """A PNG that says it is ``width`` × ``height`` and holds no pixels: all Pillow reads to
    tell its size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


def test_an_image_must_be_what_its_suffix_says(write_briefing, tmp_path):
    """The EPUB declares an image's media type by its suffix: a text file, a JPEG named
    .png, a picture too large to embed or a folder are refused where the briefing names
    them, not found broken in the outputs."""
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, title: e, image: notes.png}
          - {start: 1951, title: f, image: photo.png}
          - {start: 1952, title: g, image: huge.png}
          - {start: 1953, title: h, image: pictures.png}
          - {start: 1954, title: i, image: drawing.svg}
          - {start: 1955, title: j, image: fine.jpg}
          - {start: 1956, title: k, image: fine.svg}
          - {start: 1957, title: l, image: bomb.png}
    """)
    (tmp_path / "notes.png").write_text("just some notes")
    (tmp_path / "photo.png").write_bytes(tiny_image("JPEG"))
    (tmp_path / "huge.png").write_bytes(_png_header(20_000, 5_000))
    (tmp_path / "pictures.png").mkdir()
    (tmp_path / "drawing.svg").write_text("not a drawing")
    (tmp_path / "fine.jpg").write_bytes(tiny_image("JPEG"))
    (tmp_path / "fine.svg").write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'
    )
    (tmp_path / "bomb.png").write_bytes(_png_header(20_000, 20_000))
    png_hint = (
        "    hint: save the picture again as PNG, or give it the suffix of the format it is in"
    )
    size_hint = (
        "    hint: scale the picture down: 3,000 pixels across is more than a printed page shows"
    )
    assert problems(path) == [
        f'{path}:3:36: events[0].image: "notes.png" is not a PNG image: its content is no image '
        f"format briefgen knows\n{png_hint}",
        f'{path}:4:36: events[1].image: "photo.png" is not a PNG image: it is JPEG\n{png_hint}',
        f'{path}:5:36: events[2].image: "huge.png" is 20000 × 5000 pixels, more than the 50 '
        f"megapixels briefgen embeds\n{size_hint}",
        f'{path}:6:36: events[3].image: is a folder, not a file: "pictures.png"\n'
        f"    hint: the path is relative to the briefing's folder ({tmp_path})",
        f'{path}:7:36: events[4].image: "drawing.svg" is not an SVG image: it has no <svg> '
        "element at its start\n"
        "    hint: save the picture again as SVG, or give it the suffix of the format it is in",
        f'{path}:10:36: events[7].image: "bomb.png" is 400 megapixels, more than the 50 '
        f"megapixels briefgen embeds\n{size_hint}",
    ]


@pytest.mark.parametrize("weasyprint_imported", [False, True])
@pytest.mark.parametrize("kind", ["PNG", "JPEG", "GIF"])
def test_an_image_cut_short_is_refused(write_briefing, tmp_path, kind, weasyprint_imported):
    """A download stopped halfway holds a header and half a picture: WeasyPrint embedded the
    half it could read, and the EPUB carried a file readers show broken. Also once WeasyPrint
    is imported, which tells Pillow to read a picture cut short as whole, for the process."""
    from PIL import Image, ImageFile

    if weasyprint_imported:
        import weasyprint  # noqa: F401

        assert ImageFile.LOAD_TRUNCATED_IMAGES

    whole = io.BytesIO()
    Image.effect_noise((40, 30), 64).convert("RGB").save(whole, kind)
    suffix = kind.lower().replace("jpeg", "jpg")
    (tmp_path / f"cut.{suffix}").write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    (tmp_path / f"whole.{suffix}").write_bytes(whole.getvalue())
    path = write_briefing(f"""
        title: t
        events:
          - {{start: 1950, title: e, image: cut.{suffix}}}
          - {{start: 1951, title: f, image: whole.{suffix}}}
    """)
    assert problems(path) == [
        f'{path}:3:36: events[0].image: "cut.{suffix}" is cut short or damaged: its picture '
        "cannot be read to the end\n"
        "    hint: download or export the picture again",
    ]


@pytest.mark.parametrize(("kind", "kept"), [("WEBP", None), ("PNG", 20), ("JPEG", 20)])
def test_an_image_cut_short_before_pillow_can_open_it_is_said_cut_short(
    write_briefing, tmp_path, kind, kept
):
    """A WebP says its size at its start, so one cut halfway does not open at all, nor does
    a PNG or a JPEG cut within its first 20 bytes: each starts as its format does, so it is that
    format cut short, not a file of another format to save again as WebP, PNG or JPEG."""
    from PIL import Image

    whole = io.BytesIO()
    Image.effect_noise((40, 30), 64).convert("RGB").save(whole, kind)
    suffix = kind.lower().replace("jpeg", "jpg")
    data = whole.getvalue()
    (tmp_path / f"cut.{suffix}").write_bytes(data[: kept or len(data) // 2])
    path = write_briefing(f"""
        title: t
        events:
          - {{start: 1950, title: e, image: cut.{suffix}}}
    """)
    assert problems(path) == [
        f'{path}:3:36: events[0].image: "cut.{suffix}" is cut short or damaged: its picture '
        "cannot be read to the end\n"
        "    hint: download or export the picture again",
    ]


@pytest.mark.parametrize("form", ["progressive", "trailing bytes", "thumbnail"])
def test_a_whole_jpeg_is_taken_whatever_its_form(write_briefing, tmp_path, form):
    """Whether a JPEG runs to its end is read from its markers (an end after its last scan),
    not by decoding it: a progressive JPEG's several scans, bytes a camera appends after the
    end, and a thumbnail with its own scan and end inside the header are all whole."""
    from PIL import Image

    picture = Image.effect_noise((64, 48), 64).convert("RGB")
    target = tmp_path / "photo.jpg"
    if form == "thumbnail":
        thumbnail = io.BytesIO()
        picture.resize((16, 12)).save(thumbnail, "JPEG")
        exif = Image.Exif()
        picture.save(target, "JPEG", exif=exif.tobytes() + thumbnail.getvalue())
    else:
        picture.save(target, "JPEG", progressive=form == "progressive")
    if form == "trailing bytes":
        target.write_bytes(target.read_bytes() + b"\x00" * 64 + b"trailer")
    path = write_briefing("title: t\nevents: [{start: 1950, title: e, image: photo.jpg}]\n")
    assert briefgen.load(path).events[0].image == target


def test_an_svg_must_hold_all_it_shows(write_briefing, tmp_path):
    """An SVG that refers to a file, a web address or a style sheet outside itself is
    refused (an EPUB may not carry it, a PDF could not fetch it); one with only its own
    fragments and data: URLs is fine."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">{}</svg>'
    drawings = {
        "file.svg": '<image xlink:href="file:///etc/passwd"/>',
        "web.svg": '<image href="https://example.com/a.png"/>',
        "style.svg": "<style>rect { fill: url(other.svg#paint) }</style>",
        "inline.svg": "<rect style=\"fill: url( '../x.svg#p' )\"/>",
        "entity.svg": "",
        "fine.svg": '<defs><linearGradient id="g"/></defs><rect style="fill: url(#g)"/>'
        '<use href="#g"/><image href="data:image/png;base64,AAAA"/>',
    }
    for name, body in drawings.items():
        (tmp_path / name).write_text(svg.format(body), encoding="utf-8")
    (tmp_path / "entity.svg").write_text(
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>' + svg.format("&a;"),
        encoding="utf-8",
    )
    path = write_briefing(
        "title: t\nevents:\n"
        + "".join(
            f"  - {{start: {1950 + i}, title: e, image: {name}}}\n"
            for i, name in enumerate(drawings)
        )
    )
    hint = (
        "    hint: embed what the drawing refers to (as data: URLs), or export it again as "
        "plain SVG"
    )
    outside = "outside the drawing; an image must hold all it shows"
    assert problems(path) == [
        f'{path}:3:36: events[0].image: "file.svg" refers to "file:///etc/passwd" '
        f"{outside}\n{hint}",
        f'{path}:4:36: events[1].image: "web.svg" refers to "https://example.com/a.png" '
        f"{outside}\n{hint}",
        f'{path}:5:36: events[2].image: "style.svg" refers to "other.svg#paint" {outside}\n{hint}',
        f'{path}:6:36: events[3].image: "inline.svg" refers to "../x.svg#p" {outside}\n{hint}',
        f'{path}:7:36: events[4].image: "entity.svg" declares XML entities, which briefgen does '
        "not read\n    hint: export the drawing again as plain SVG, with no DOCTYPE",
    ]


@pytest.mark.parametrize(
    ("drawing", "found"),
    [
        ('<style>@import "/srv/house.css";</style>', "/srv/house.css"),
        ('<rect style="fill: URL(file:///etc/x.svg#p)"/>', "file:///etc/x.svg#p"),
        ('<rect fill="url(other.svg#p)" filter="url(#f)"/>', "other.svg#p"),
        (
            r"<style>rect { fill: u\72l(https://example.com/p.svg#p) }</style>",
            "https://example.com/p.svg#p",
        ),
    ],
)
def test_an_svg_refers_outside_itself_however_css_writes_it(
    write_briefing, tmp_path, drawing, found
):
    """An @import of a quoted address, ``URL(`` in capitals, a presentation attribute
    (``fill="url(…)"``) and a CSS escape were let through: the EPUB carried the reference
    (EPUBCheck RSC-006) and the PDF drew no picture, with only a warning."""
    svg = f'<svg xmlns="http://www.w3.org/2000/svg">{drawing}</svg>'
    (tmp_path / "d.svg").write_text(svg, encoding="utf-8")
    path = write_briefing("title: t\nevents: [{start: 1950, title: e, image: d.svg}]\n")
    [told] = problems(path)
    assert f'"d.svg" refers to "{found}" outside the drawing' in told


def test_an_svg_that_loads_a_style_sheet_or_names_a_dtd_is_refused(write_briefing, tmp_path):
    """A style sheet loaded by an ``xml-stylesheet`` instruction, and a DOCTYPE naming a
    DTD, which EPUBCheck refuses in a book (OPF-073), were let through."""
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    (tmp_path / "styled.svg").write_text(
        '<?xml-stylesheet type="text/css" href="file:///srv/house.css"?>' + svg, encoding="utf-8"
    )
    (tmp_path / "dtd.svg").write_text(
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">' + svg,
        encoding="utf-8",
    )
    path = write_briefing(
        "title: t\nevents:\n  - {start: 1950, title: e, image: styled.svg}\n"
        "  - {start: 1951, title: e, image: dtd.svg}\n"
    )
    assert problems(path) == [
        f'{path}:3:36: events[0].image: "styled.svg" refers to "file:///srv/house.css" '
        "outside the drawing; an image must hold all it shows\n    hint: embed what the "
        "drawing refers to (as data: URLs), or export it again as plain SVG",
        f'{path}:4:36: events[1].image: "dtd.svg" names a DTD in its DOCTYPE, which an EPUB '
        "may not carry\n    hint: delete the <!DOCTYPE …> line, or export the drawing again "
        "as plain SVG, with no DOCTYPE",
    ]


@pytest.mark.parametrize(
    ("instruction", "found"),
    [
        # A "?" in a value before the address hid the address from the search.
        (
            '<?xml-stylesheet type="text/css" title="a?b" href="file:///srv/a.css"?>',
            "file:///srv/a.css",
        ),
        ("<?xml-stylesheet\n  type='text/css'\n  href='b.css'?>", "b.css"),
        ('<?xml-stylesheet title=\'say href="no.css"\' href="c.css"?>', "c.css"),
    ],
)
def test_a_style_sheet_instruction_is_read_as_xml_reads_it(
    write_briefing, tmp_path, instruction, found
):
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    (tmp_path / "styled.svg").write_text(instruction + svg, encoding="utf-8")
    path = write_briefing("title: t\nevents: [{start: 1950, title: e, image: styled.svg}]\n")
    [told] = problems(path)
    assert f'"styled.svg" refers to "{found}" outside the drawing' in told
    # Text that only looks like one, in a comment or the drawing's text, loads nothing.
    (tmp_path / "styled.svg").write_text(
        svg.replace(
            "<rect", f"<!-- {instruction} --><text>xml-stylesheet href='t.css'</text><rect"
        ),
        encoding="utf-8",
    )
    assert briefgen.load(path).events[0].image == tmp_path / "styled.svg"


def test_unsupported_language(write_briefing):
    path = write_briefing("title: t\nlang: fr\nevents: [{start: 1950, title: e}]\n")
    assert problems(path) == [
        f"{path}:2:7: lang: expected one of zh-Hant, zh-TW, zh-HK, zh-Hans, zh-CN, ja, ko, en, "
        f'found "fr"\n    hint: briefgen has fonts and labels for these languages only'
    ]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("zh", 'write "zh-Hant" for Traditional Chinese or "zh-Hans" for Simplified'),
        ("中文", 'write "zh-Hant" for Traditional Chinese or "zh-Hans" for Simplified'),
        ("繁體中文", 'write "zh-Hant"'),
        ("简体中文", 'write "zh-Hans"'),
        ("tw", 'write "zh-TW"'),
        ("zh-SG", 'write "zh-Hans"'),
        ("日本語", 'write "ja"'),
        ("ja-JP", 'write "ja"'),
        ("en_US", 'write "en"'),
        ("한국어", 'write "ko"'),
    ],
)
def test_a_language_named_or_with_a_region_is_told_its_tag(write_briefing, written, hint):
    """`lang: zh`, `ja-JP` or 繁體中文 were told "briefgen has fonts and labels for these
    languages only", of languages it has (or "did you mean zh-TW" for zh-SG)."""
    path = write_briefing(f"title: t\nlang: {written}\nevents: [{{start: 1950, title: e}}]\n")
    [told] = problems(path)
    assert told.endswith(f"\n    hint: {hint}")


def test_the_documented_example_loads(tmp_path):
    """docs/format.md's complete example is a valid briefing (given its image)."""
    from conftest import REPO

    doc = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    example = doc.split("## A complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "map.png").write_bytes(tiny_image())
    (tmp_path / "example.yaml").write_text(example, encoding="utf-8")
    briefing = briefgen.load(tmp_path / "example.yaml")
    periods = [language(briefing.lang).period(event) for event in briefing.events]
    assert periods == ["1950年6月25日", "戰爭期間", "1953年7月27日"]
    assert briefing.events[1].image == tmp_path / "images" / "map.png"


def test_the_readmes_example_loads(tmp_path):
    """README's briefing in short is a valid briefing, with the labels its comments give."""
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    part = readme.split("## The briefing format", 1)[1]
    example = part.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "short.yaml").write_text(example, encoding="utf-8")
    briefing = briefgen.load(tmp_path / "short.yaml")
    periods = [language(briefing.lang).period(event) for event in briefing.events]
    assert periods == ["1950年至1953年", "20世紀70年代"]
    assert "the label becomes 1950年至1953年" in example


def test_control_characters_are_dropped_with_a_warning(write_briefing, caplog):
    path = write_briefing(r"""
        title: "警報\a聲"
        events:
          - start: 1950
            title: "逃逸\u001b字元與\x00空字元"
            body: "段落一\r\n段落二\tTab"
    """)
    briefing = briefgen.load(path)
    assert briefing.title == "警報聲"
    assert briefing.events[0].title == "逃逸字元與空字元"
    assert briefing.events[0].body == "段落一\n段落二\tTab"  # tab and line feed stay
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f"{path}:1:8: title: dropped U+0007 (control character): it cannot be printed",
        f"{path}:4:12: events[0].title: dropped U+001B (control character): it cannot be printed",
        f"{path}:4:12: events[0].title: dropped U+0000 (control character): it cannot be printed",
        f"{path}:5:11: events[0].body: dropped U+000D (control character): it cannot be printed",
    ]


def test_a_hashtag_read_as_a_comment_is_said_to_be_left_out(write_briefing, caplog):
    """` #` starts a YAML comment: a hashtag after a text (`金正恩 #朝鮮`) vanished from the
    outputs without a word. A comment written the usual way (`# `, with a space) is quiet."""
    path = write_briefing("""
        title: 金正恩 #朝鮮  # the title
        events:
          - {start: 1950, title: e}  # an event
          - start: 1951
            title: f
            body: #MeToo 運動
    """)
    briefing = briefgen.load(path)
    assert briefing.title == "金正恩"
    assert [record.getMessage() for record in caplog.records] == [
        f'{path}:1:12: title: "#朝鮮" is left out: YAML reads a # after a space as the '
        'start of a comment\n    hint: to keep it, quote the whole text: "金正恩 #朝鮮"',
        f'{path}:6:11: events[1].body: "#MeToo 運動" is left out: YAML reads a # after a space '
        'as the start of a comment\n    hint: to keep it, quote the whole text: "#MeToo 運動"',
    ]
    required = write_briefing("title: #標籤 新聞\nevents: [{start: 1950, title: e}]\n")
    assert problems(required) == [
        f"{required}:1:7: title: expected text, found nothing\n    hint: YAML reads a # after "
        'a space as the start of a comment: quote the whole text: "#標籤 新聞"'
    ]


def test_a_caption_beside_an_image_left_empty_is_said_to_be_shown_nowhere(write_briefing, caplog):
    """`image:` written but left empty (as a copied event's often is) shows no picture:
    its caption is shown nowhere either, and check says so as of a caption alone."""
    path = write_briefing("""
        title: t
        events:
          - start: 1950
            title: e
            image:
            caption: 地圖
    """)
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:6:14: events[0].caption: a caption without an image is shown nowhere\n"
        "    hint: give the event its picture as `image: FILE`, or leave the caption out"
    ]


def test_a_caption_without_an_image_is_said_to_be_shown_nowhere(write_briefing, tmp_path, caplog):
    """A caption is its picture's: given alone, no output showed it, and nothing said so.
    With its image, or with an image that has a problem of its own, nothing more is said."""
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, title: e, caption: 地圖}
    """)
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:3:38: events[0].caption: a caption without an image is shown nowhere\n"
        "    hint: give the event its picture as `image: FILE`, or leave the caption out"
    ]
    caplog.clear()
    from PIL import Image

    Image.new("RGB", (4, 3), "white").save(tmp_path / "map.png")
    briefgen.load(
        write_briefing(
            """
        title: t
        events:
          - {start: 1950, title: e, image: map.png, caption: 地圖}
    """,
            "with.yaml",
        )
    )
    assert caplog.records == []


def test_an_event_pasted_twice_is_warned_of_with_both_places(write_briefing, caplog):
    """Two events with one start and one title are most likely a paste made twice: check
    says where both are, and still passes (one day may have two happenings of one name,
    told apart in their bodies); --strict makes it fail."""
    path = write_briefing("""
        title: t
        events:
          - start: 1950-06
            title: 朝鮮戰爭爆發
          - {start: 1950-06, title: 朝鮮戰爭爆發 }
          - {start: 1950, title: 朝鮮戰爭爆發}
    """)
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:5:5: events[1]: the same start and title as events[0] ({path}:3:5)\n"
        "    hint: delete the one pasted twice, or tell the two apart by their start or title"
    ]
    checked = run_cli("check", path)
    assert checked.returncode == 0
    assert f"warning: {path}:5:5: events[1]: the same start and title as events[0]" in (
        checked.stderr
    )
    assert run_cli("check", "--strict", path).returncode == 1


def test_a_source_pasted_twice_is_warned_of_with_both_places(write_briefing, caplog):
    """A source listed twice was shown twice in the list of sources without a word; one of
    the same title from another publisher (or of another date, or address) is another."""
    path = write_briefing("""
        title: t
        events: [{start: 1950, title: e}]
        sources:
          - {title: 恩怨情仇, publisher: 德國之聲, url: "https://example.org/a"}
          - {title: 恩怨情仇, publisher: 美聯社}
          - title: 恩怨情仇
            publisher: 德國之聲
            url: https://example.org/a
            note: 另一則
          - {title: 恩怨情仇, publisher: 德國之聲, date: 2023-09-13}
          - {title: 大事記}
          - {title: 大事記}
    """)
    briefgen.load(path)
    hint = (
        "    hint: delete the one listed twice (moving its note, if it has its own, to the other)"
    )
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:6:5: sources[2]: the same title, publisher and address as sources[0] "
        f"({path}:4:5)\n{hint}",
        f"{path}:12:5: sources[5]: the same title as sources[4] ({path}:11:5)\n{hint}",
    ]
    assert run_cli("check", path).returncode == 0
    assert run_cli("check", "--strict", path).returncode == 1


def test_an_event_out_of_date_order_is_warned_of_with_the_one_above(write_briefing, caplog):
    """The pages show the events in file order, the timeline by date: an event pasted in the
    wrong place is told, once, against the event above it, and check still passes (an order
    by theme may be meant); --strict makes it fail. A vaguer start that may be as late as
    the one above (1950 after 1950-06) is not out of order."""
    path = write_briefing("""
        title: t
        events:
          - {start: 1950-06, title: a}
          - {start: 1950, title: b}
          - {start: 1990, title: c}
          - {start: 1953-07-27, title: d}
          - {start: 1960, title: e}
    """)
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:6:13: events[3].start: event-order: starts 1953-07-27, before events[2] above "
        f"it, which starts 1990 ({path}:5:13)\n"
        "    hint: the events are shown in file order (the timeline draws them by date): move "
        "it to its place in time, or leave it if the order is by theme"
    ]
    checked = run_cli("check", path)
    assert checked.returncode == 0
    assert (
        f"warning: {path}:6:13: events[3].start: event-order: starts 1953-07-27, before events[2]"
        in checked.stderr
    )
    assert run_cli("check", "--strict", path).returncode == 1


def test_a_briefing_whose_events_run_newest_first_is_judged_in_that_order(write_briefing, caplog):
    """A news timeline may put the latest event first: each event then starts before the one
    above it, and is not out of order; one that starts after the one above is."""
    path = write_briefing("""
        title: t
        events:
          - {start: 2023-09-13, title: a}
          - {start: 2019-04-25, title: b}
          - {start: 2021, title: c}
          - {start: 1961-07-06, title: d}
          - {start: 1961, title: e}
          - {start: 1950, end: 1953, title: f}
    """)
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:5:13: events[2].start: event-order: starts 2021, after events[1] above it, which "
        f"starts 2019-04-25 ({path}:4:13)\n"
        "    hint: the events are shown in file order, here newest first (the timeline draws "
        "them by date): move it to its place in time, or leave it if the order is by theme"
    ]


def test_a_period_one_of_whose_ends_holds_the_other_is_warned_of(write_briefing, caplog):
    """2021-09-15 to 2021-09 is labelled 2021年9月15日至9月, 2021 to 2021-10 2021年至2021年10月:
    the vaguer end holds the other, and the label cannot say when in it the period ended
    or began. Check warns at the vaguer end; ends of different precision in different
    months or years (2021年9月15日至10月, 2021年至2022年3月) and a label of the writer's own
    are left alone."""
    path = write_briefing("""
        title: t
        events:
          - {start: 2021-09-15, end: 2021-09, title: a}
          - {start: 2021-09, end: 2021-09-20, title: b}
          - {start: 2021-09-15, end: 2021, title: c}
          - {start: 2021, end: 2021-10, title: d}
          - {start: 2021-09-15, end: 2021-10, title: e}
          - {start: 2021, end: 2022-03, title: f}
          - {start: 2021-09, end: 2021-09, title: g}
          - {start: 2021-09, end: 2021-09-20, when: 2021年9月上旬至20日, title: h}
    """)
    briefing = briefgen.load(path)
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f"{path}:3:30: events[0].end: nested-period: ends 2021-09, the month that holds its start "
        "(2021-09-15): the label cannot say when in that month it ended",
        f"{path}:4:13: events[1].start: nested-period: starts 2021-09, the month that holds its "
        "end (2021-09-20): the label cannot say when in that month it began",
        f"{path}:5:30: events[2].end: nested-period: ends 2021, the year that holds its start "
        "(2021-09-15): the label cannot say when in that year it ended",
        f"{path}:6:13: events[3].start: nested-period: starts 2021, the year that holds its end "
        "(2021-10): the label cannot say when in that year it began",
    ]
    hint = "hint: give the end as a day after the start, or write the period's label as `when: …`"
    assert caplog.records[0].getMessage().endswith(hint)
    assert language("zh-Hant").period(briefing.events[4]) == "2021年9月15日至10月"
    assert run_cli("check", path).returncode == 0
    assert run_cli("check", "--strict", path).returncode == 1


def test_a_bracket_or_quotation_mark_left_unclosed_is_warned_of_where_it_is(write_briefing, caplog):
    """A 「 with no 」, or a ） that closes nothing, is set as written, and no rule can tell
    where its other half belongs: check warns at the mark. A quotation of several paragraphs
    opens each with its mark and closes only the last, a list item's `1）` opens nothing,
    and code and a link's target (with parentheses of its own) are not text."""
    path = write_briefing("""
        title: 金正恩訪俄）
        events:
          - start: 2023-09-12
            title: 會晤
            body: |
              「第一段。

              「第二段。」另見`f(`與[維基](https://zh.wikipedia.org/wiki/X_(Y))。

              普京說「兩國關係
              將更上一層樓。

              1）第一項
              2）第二項（見《聲明〉）
    """)
    briefgen.load(path)
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f"{path}:1:13: title: unpaired-marks: ） closes nothing: no （ before it opens it",
        f"{path}:10:10: events[0].body: unpaired-marks: 「 is not closed: no 」 after it",
        f"{path}:14:14: events[0].body: unpaired-marks: 《 is not closed: no 》 after it",
        f"{path}:14:17: events[0].body: unpaired-marks: 〉 closes nothing: no 〈 before it "
        "opens it",
    ]
    assert (
        caplog.records[1]
        .getMessage()
        .endswith("hint: write the 」 where it ends, or delete the 「")
    )
    checked = run_cli("check", path)
    assert checked.returncode == 0
    assert (
        f"warning: {path}:10:10: events[0].body: unpaired-marks: 「 is not closed" in checked.stderr
    )
    assert run_cli("check", "--strict", path).returncode == 1


def test_a_list_items_mark_in_a_line_or_in_korean_or_japanese_closes_nothing(
    write_briefing, caplog
):
    """An enumeration run in a sentence (條件：1）撤軍，2）停火; demands: 1) withdrawal) and a
    Korean or Japanese list item's 가) or ア） open nothing, and are not warned of as marks
    that close nothing; a parenthesis that closes its own ( is still one."""
    path = write_briefing("""
        title: t
        events:
          - start: 2023-09-12
            title: 會晤
            body: |
              雙方提出三項條件：1）撤軍，2）停火，3）談判。Demands: a) withdrawal, b) talks.

              가) 첫째 조건
              나) 둘째 조건

              ア）一つ目。イ）二つ目（見 1）
    """)
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == []


def test_a_quotation_of_several_paragraphs_in_a_block_quote_is_not_warned_of(
    write_briefing, caplog
):
    """A long quotation is set off as a block quote, its paragraphs parted by a line of `>`:
    opening each with its mark and closing only the last is as right there as outside one.
    A quotation left open in one is still told."""
    path = write_briefing("""
        title: t
        events:
          - start: 2023-09-13
            title: 會晤
            body: |
              > 「我們將並肩作戰。
              >
              > 「勝利屬於我們。」

              > 『未閉合。
    """)
    briefgen.load(path)
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f"{path}:10:9: events[0].body: unpaired-marks: 『 is not closed: no 』 after it"
    ]


def test_an_emoticons_mouth_closes_nothing(write_briefing, caplog):
    """An emoticon's ) in a text (Ha :), 好的 :-), ;) or a Chinese input method's ：）) was
    warned of as a ) that closes nothing; one inside an aside leaves the aside's own ) to
    close it, and a ) after a word still closes nothing."""
    path = write_briefing("""
        title: t
        events:
          - start: 2023-09-12
            title: 會晤
            body: |
              Ha :) 好的 :-) ok ;) ok ;-) 好的：） Ha :)) （好的 :-)）

              不過）
    """)
    briefgen.load(path)
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f"{path}:8:9: events[0].body: unpaired-marks: ） closes nothing: no （ before it opens it"
    ]


def test_a_sad_emoticons_mouth_opens_nothing(write_briefing, caplog):
    """A sad emoticon's ( in a text (Sad :(, 好的 :-(, ：（) was warned of as a ( left
    unclosed, as a happy one's ) was as closing nothing; one inside an aside leaves the aside
    to its own ), and an aside opened after a colon (note:(a)) is still told unclosed."""
    path = write_briefing("""
        title: t
        events:
          - start: 2023-09-12
            title: 會晤
            body: |
              Sad :( 好的 :-( 不行：（ 唉 :(( （他說 :( 然後）

              see note:(a
    """)
    briefgen.load(path)
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f"{path}:8:16: events[0].body: unpaired-marks: ( is not closed: no ) after it"
    ]


def test_a_heading_that_ends_with_a_full_stop_is_warned_of(write_briefing, caplog):
    """A title or subtitle is set as a heading, which takes no full stop in Chinese,
    Japanese or Korean; a ？ keeps its tone, an English title's full stop may end an
    abbreviation, and a source's title is the article's own."""
    path = write_briefing("""
        title: 金正恩訪俄。
        subtitle: 兩國關係大事紀
        events:
          - {start: 1950, title: 朝鮮戰爭爆發.}
          - {start: 1951, title: 停戰談判開始？}
          - {start: 1952, title: 김정은 방러.}
          - {start: 1953, title: Talks in the U.S.}
        sources:
          - {title: 俄朝關係回顧。}
    """)
    briefgen.load(path)
    assert sorted(record.getMessage().split("\n")[0] for record in caplog.records) == [
        f"{path}:1:13: title: heading-stop: ends with a full stop (。), which a heading does "
        "not take",
        f"{path}:4:32: events[0].title: heading-stop: ends with a full stop (.), which a "
        "heading does not take",
        f"{path}:6:32: events[2].title: heading-stop: ends with a full stop (.), which a "
        "heading does not take",
    ]
    assert caplog.records[1].getMessage().endswith("hint: delete the .")
    assert run_cli("check", path).returncode == 0
    assert run_cli("check", "--strict", path).returncode == 1


def test_an_event_after_the_briefings_date_is_warned_of(write_briefing, caplog):
    """A start after the briefing's date (after today, for a briefing with no date) is most
    likely a year mistyped; a vaguer start that takes in the date is not after it."""
    path = write_briefing("""
        title: t
        date: 2023-09-13
        events:
          - {start: 2023, title: a}
          - {start: 2023-09-13, title: b}
          - {start: 2203-09-12, title: c}
    """)
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:6:13: events[2].start: future-event: starts 2203-09-12, after the briefing's date "
        "(2023-09-13)\n"
        "    hint: correct the date if it is mistyped; an event still to come can stay"
    ]
    assert run_cli("check", path).returncode == 0
    assert run_cli("check", "--strict", path).returncode == 1
    undated = write_briefing("title: t\nevents:\n  - {start: 9999, title: a}\n", "undated.yaml")
    caplog.clear()
    briefgen.load(undated)
    today = dt.date.today()
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f"{undated}:3:13: events[0].start: future-event: starts 9999, after today ({today})"
    ]


def test_warnings_are_told_in_file_order(write_briefing, caplog):
    """As the problems are: a paste made twice, found once every event is read, is told
    before a caption further down, and the briefing's title before the events."""
    path = write_briefing("""
        title: 大事記。
        events:
          - {start: 1950, title: a}
          - {start: 1950, title: a}
          - {start: 1951, title: b, caption: 地圖}
    """)
    briefgen.load(path)
    assert [record.getMessage().split(": ")[1] for record in caplog.records] == [
        "title",
        "events[1]",
        "events[2].caption",
    ]
    checked = run_cli("check", path)
    assert [line.split(": ")[2] for line in checked.stderr.splitlines() if "warning" in line] == [
        "title",
        "events[1]",
        "events[2].caption",
    ]


def test_a_straight_quote_left_unpaired_is_warned_of(write_briefing, caplog):
    """The quotes rule pairs straight quotes within a paragraph; one left over is set as a
    straight quote amid CJK text. Check warns at the last of a paragraph's odd number;
    code and an address are not text."""
    path = write_briefing("""
        title: t
        events:
          - start: 1950
            title: a
            body: |
              他說"走吧"與"來吧。

              另見`"`與"一日生活圈"。
    """)
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f'{path}:6:14: events[0].body: unpaired-marks: " is not paired: the paragraph has 3 '
        "straight quotes\n"
        '    hint: write the " that opens or closes its quotation, or delete the one too many'
    ]
    assert run_cli("check", "--strict", path).returncode == 1


def test_a_straight_quote_in_latin_text_is_not_warned_of(write_briefing, caplog):
    """The quotes rule leaves the quotes of Latin text as written, so an odd one there is
    set as its partners are, and may be an inch: 5'10", a 12" gun. A paragraph of CJK
    text beside it is still looked at."""
    path = write_briefing("""
        title: t
        lang: en
        events:
          - start: 1950
            title: a
            body: |
              The general, 5'10" and wiry, said "go."

              他說"走吧。
    """)
    briefgen.load(path)
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f'{path}:9:9: events[0].body: unpaired-marks: " is not paired: the paragraph has 1 '
        "straight quote"
    ]


def test_a_when_label_written_as_a_date_is_warned_of(write_briefing, caplog):
    """`when` is the label shown as written: a date there in the file's own form is most
    likely meant as the event's start, and reads 1950-06-25 beside labels written from the
    dates (1950年6月25日); a label of words is the writer's."""
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, when: 1950-06-25, title: a}
          - {start: 1951, when: 1951, title: b}
          - {start: 1953, when: 1953/7/27, title: c}
          - {start: 1970, end: 1979, when: 1970年代, title: d}
          - {start: 1980, end: 1983, when: 1980-83, title: e}
    """)
    briefing = briefgen.load(path)
    assert briefing.events[0].when == "1950-06-25"
    # The hint writes the date as `start` takes it (1953/7/27 as 1953-07-27).
    hint = (
        "    hint: give the date as `start: {}` (and `end: …` for a period) and leave `when` "
        "out: the label is then written from them in the briefing's language"
    )
    assert [record.getMessage() for record in caplog.records] == [
        f'{path}:3:25: events[0].when: when-date: the label "1950-06-25" is a date as the file '
        f"writes dates, and is shown so\n{hint.format('1950-06-25')}",
        f'{path}:4:25: events[1].when: when-date: the label "1951" is a date as the file writes '
        f"dates, and is shown so\n{hint.format('1951')}",
        f'{path}:5:25: events[2].when: when-date: the label "1953/7/27" is a date as the file '
        f"writes dates, and is shown so\n{hint.format('1953-07-27')}",
    ]
    assert run_cli("check", "--strict", path).returncode == 1


def test_a_when_label_of_a_year_as_english_writes_it_is_not_warned_of(write_briefing, caplog):
    """English writes a year as its digits alone: `when: "1950"` is the label the dates
    would give (and may show the year of a start known to the day), not a date misplaced;
    a Chinese briefing's 1950 still reads so beside 1950年 and is told."""
    path = write_briefing("""
        title: t
        lang: en
        events:
          - {start: 1950-06-25, when: "1950", title: a}
          - {start: 1953, when: "1953-07-27", title: b}
    """)
    briefgen.load(path)
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f'{path}:5:25: events[1].when: when-date: the label "1953-07-27" is a date as the file '
        "writes dates, and is shown so"
    ]


def test_an_item_given_twice_in_one_list_is_warned_of(write_briefing, caplog):
    """A name or a tag given twice in one event is shown twice (金日成、金日成); the same
    name in two events is not a repeat."""
    path = write_briefing("""
        title: t
        authors: [編輯組, 編輯組]
        events:
          - {start: 1950, title: a, people: [金日成, 金日成], tags: [戰爭]}
          - {start: 1951, title: b, people: [金日成], tags: [戰爭, 援助, 戰爭]}
        people:
          - {name: 金日成}
    """)
    briefing = briefgen.load(path)
    assert briefing.events[0].people == ("金日成", "金日成")
    assert [record.getMessage() for record in caplog.records] == [
        f'{path}:2:16: authors[1]: "編輯組" is given twice in authors (first as authors[0])\n'
        "    hint: delete the second",
        f'{path}:4:43: events[0].people[1]: "金日成" is given twice in people (first as '
        "events[0].people[0])\n    hint: delete the second",
        f'{path}:5:59: events[1].tags[2]: "戰爭" is given twice in tags (first as '
        "events[1].tags[0])\n    hint: delete the second",
    ]
    assert run_cli("check", "--strict", path).returncode == 1


def test_a_tag_written_in_another_case_or_width_is_warned_of(write_briefing, caplog):
    """`Nuclear` in one event and `nuclear` in another, or `UN` and a full-width `ＵＮ`, are
    one tag meant and two shown, without a word from check; the same tag written the same
    in many events is what tags are for."""
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, title: a, tags: [Nuclear, nuclear]}
          - {start: 1951, title: b, tags: [UN, 戰爭]}
          - {start: 1952, title: c, tags: [ＵＮ, Ｕn, UN, 戰爭]}
    """)
    briefgen.load(path)
    hint = "\n    hint: write it one way in every event"
    assert [record.getMessage() for record in caplog.records] == [
        f'{path}:3:45: events[0].tags[1]: "nuclear" is the tag "Nuclear" of events[0].tags[0] '
        f'({path}:3:36) in another case{hint} ("Nuclear", as there), or the events show two tags',
        f'{path}:5:36: events[2].tags[0]: "ＵＮ" is the tag "UN" of events[1].tags[0] '
        f'({path}:4:36) in another width{hint} ("UN", as there), or the events show two tags',
        f'{path}:5:40: events[2].tags[1]: "Ｕn" is the tag "UN" of events[1].tags[0] '
        f'({path}:4:36) in another case and width{hint} ("UN", as there), or the events show '
        "two tags",
    ]
    checked = run_cli("check", path)
    assert checked.returncode == 0 and checked.stderr.count("warning: ") == 3
    assert run_cli("check", "--strict", path).returncode == 1


def test_a_tag_composed_another_way_is_not_said_to_differ_in_width(write_briefing, caplog):
    """한국 copied decomposed (as some programs copy text), or Å as the Ångström sign, is the
    tag before it to the eye: it was told of as "another width", or "another " and nothing."""
    korean = unicodedata.normalize("NFD", "한국")
    path = write_briefing(f"""
        title: t
        events:
          - {{start: 1950, title: a, tags: [한국, Å]}}
          - {{start: 1951, title: b, tags: [{korean}, \u212b]}}
    """)
    briefgen.load(path)
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    for message in messages:
        assert "in another Unicode form (alike on the page, other characters in the file)\n" in (
            message
        )
        assert "width" not in message


def test_two_people_of_one_alt_are_warned_of_and_may_be_kept(write_briefing, caplog):
    """An entry copied for the next person kept its alt, and the index gave two people one
    name in the other script without a word; two names written alike (two Wang Juns) are
    kept with --no-rule same-alt."""
    path = write_briefing("""
        title: t
        events: [{start: 1950, title: e}]
        people:
          - {name: 金正日, alt: Kim Jong-il}
          - {name: 金正恩, alt: Kim Jong-il}
          - {name: 王軍, alt: Wang Jun}
          - {name: 王俊, alt: wang jun}
          - {name: 金日成}
    """)
    briefgen.load(path)
    hint = (
        "    hint: give each person their own name in the other script (an entry copied from "
        "another keeps its alt), or leave it if the two names are written alike"
    )
    assert [record.getMessage() for record in caplog.records] == [
        f'{path}:5:22: people[1].alt: same-alt: "Kim Jong-il" is the alt of people[0] '
        f"(金正日, {path}:4:22) too\n{hint}",
        f'{path}:7:21: people[3].alt: same-alt: "wang jun" is the alt of people[2] '
        f"(王軍, {path}:6:21) too\n{hint}",
    ]
    assert run_cli("check", "--strict", path).returncode == 1
    kept = run_cli("check", "--strict", "--no-rule", "same-alt", path)
    assert kept.returncode == 0 and "same-alt" not in kept.stderr


def test_the_format_doc_names_every_list_whose_repeats_are_warned_of(write_briefing, caplog):
    """docs/format.md tells which lists check warns of a repeat in: each list of text
    the format declares, each tried here, `verbatim` too."""
    from briefgen.model import Kind, specs

    lists = [
        name
        for record in (briefgen.Briefing, briefgen.Event)
        for name, spec in specs(record)
        if spec.many and spec.kind is not Kind.RECORDS
    ]
    path = write_briefing("""
        title: t
        authors: [甲, 甲]
        verbatim: [乾隆, 乾隆]
        events:
          - {start: 1950, title: a, people: [金日成, 金日成], tags: [戰爭, 戰爭]}
        people:
          - {name: 金日成}
    """)
    briefgen.load(path)
    warned = {message.split(" is given twice in ")[1].split()[0] for message in caplog.messages}
    assert warned == set(lists)
    doc = (Path(__file__).parent.parent / "docs" / "format.md").read_text(encoding="utf-8")
    (told,) = [part for part in doc.split("\n\n") if " given twice in " in part]
    assert [name for name in lists if f"`{name}`" not in told] == []


def test_an_image_takes_an_alt_text_of_its_own(write_briefing, tmp_path, caplog):
    """An event's `alt` is its picture's text alternative, read as text like a caption;
    alone, it is warned of as a caption alone is, and a copy of the caption too (a screen
    reader would read the caption twice)."""
    from PIL import Image

    Image.new("RGB", (4, 3), "white").save(tmp_path / "map.png")
    path = write_briefing("""
        title: t
        events:
          - {start: 1950, title: e, image: map.png, caption: 地圖, alt: 朝鮮半島的地圖}
          - {start: 1951, title: f, alt: 地圖}
          - {start: 1952, title: g, image: map.png, caption: 地圖, alt: 地圖}
    """)
    briefing = briefgen.load(path)
    assert [event.alt for event in briefing.events] == ["朝鮮半島的地圖", "地圖", "地圖"]
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:4:34: events[1].alt: an alt text without an image is used nowhere\n"
        "    hint: give the event its picture as `image: FILE`, or leave the alt out",
        f"{path}:5:63: events[2].alt: the alt text repeats the caption, so a screen reader "
        "reads it twice\n    hint: say in alt what the picture shows that the caption does "
        "not, or leave it out: the caption then stands for the picture",
    ]
    wrong = write_briefing(
        "title: t\nevents:\n  - start: 1950\n    title: e\n    image: map.png\n    alt: [地圖]\n",
        "wrong.yaml",
    )
    assert problems(wrong) == [
        f"{wrong}:6:10: events[0].alt: expected text, found a list\n"
        "    hint: give one value here, not a list"
    ]


def test_an_alt_name_takes_its_language_as_a_bcp_47_tag(write_briefing, caplog):
    """alt_lang says what language alt is in; a tag that is none is refused with its line
    and column, and one beside no alt is warned of, as an image's caption alone is."""
    path = write_briefing("""
        title: t
        events: [{start: 1950, title: e}]
        people:
          - {name: 甲, alt: Ким Ир Сен, alt_lang: ru}
          - {name: 乙, alt: Kim Il-sung, alt_lang: ko-Latn}
          - {name: 丙, alt_lang: en}
    """)
    briefing = briefgen.load(path)
    assert [person.alt_lang for person in briefing.people] == ["ru", "ko-Latn", "en"]
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:6:25: people[2].alt_lang: an alt_lang without an alt is used nowhere\n"
        "    hint: give the name in another script as `alt: …`, or leave the alt_lang out"
    ]
    wrong = write_briefing(
        "title: t\nevents: [{start: 1950, title: e}]\npeople:\n"
        "  - {name: 甲, alt: Ким Ир Сен, alt_lang: Russian}\n",
        "wrong.yaml",
    )
    assert problems(wrong) == [
        f"{wrong}:4:42: people[0].alt_lang: expected a language tag such as en, ru or ko-Latn, "
        'found "Russian"\n    hint: a BCP 47 tag: the language\'s two- or three-letter ISO 639 '
        "code, then its script or region where needed (ko-Latn for a romanized Korean name)"
    ]


def test_unpaired_surrogates_are_dropped(write_briefing, caplog):
    path = write_briefing('title: "半\\ud800個"\nevents: [{start: 1950, title: e}]\n')
    assert briefgen.load(path).title == "半個"
    assert "dropped U+D800 (unpaired surrogate)" in caplog.text


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    load_module = importlib.import_module("briefgen.load")  # the module, not the function
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"title: t\n" + b"# padding\n" * 1000)
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 1000)
    monkeypatch.setattr(type(path), "open", lambda self, *args: pytest.fail("read"))
    assert problems(path) == [
        f"{path}: the file is 0.0 MiB; briefgen reads briefings of up to 0 MiB\n"
        "    hint: split it into several briefings, or move long texts out of it"
    ]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_stream_without_end_is_read_only_up_to_the_limit():
    """A device or a pipe has no size to check in advance: briefgen stops reading at the
    limit rather than filling memory."""
    assert problems(Path("/dev/zero")) == [
        "/dev/zero: the file is more than 10 MiB; briefgen reads briefings of up to 10 MiB\n"
        "    hint: split it into several briefings, or move long texts out of it"
    ]


def test_the_documented_limits():
    from briefgen.model import MAX_EVENTS, MAX_FILE_BYTES

    assert MAX_FILE_BYTES == 10 * 2**20
    assert MAX_EVENTS == 20_000
    doc = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    assert "10 MiB" in doc and "20,000 events" in doc


def test_the_documented_image_limits():
    """format.md says what an event's picture may be before `check` refuses one: a user
    who exports an SVG from an editor that writes the W3C's DOCTYPE learnt of that rule,
    and of the SVG's size, only from the error."""
    from briefgen.values import MAX_IMAGE_PIXELS, MAX_SVG_BYTES

    assert MAX_IMAGE_PIXELS == 50_000_000
    assert MAX_SVG_BYTES == 5 * 2**20
    doc = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    image = next(line for line in doc.splitlines() if line.startswith("| `image` |"))
    assert "50 megapixels" in image and "5 MiB" in image
    assert "`<!DOCTYPE …>` that names a DTD or declares entities" in image


def test_too_many_events_are_refused_before_they_are_read(write_briefing):
    from briefgen.model import MAX_EVENTS

    events = "".join(f"  - {{start: 1950, title: e{i}}}\n" for i in range(MAX_EVENTS + 1))
    path = write_briefing("title: t\nevents:\n" + events)
    assert problems(path) == [
        f"{path}:3:3: events: expected at most 20,000 events, found 20,001\n"
        "    hint: split the briefing into several files"
    ]


def test_aliases_cannot_blow_the_file_up(write_briefing):
    """A few lines of YAML aliases that would expand to gigabytes of text are refused."""
    word = "字" * 1000
    first = '  - {start: 1950, title: e, tags: &t [&s "' + word + '"' + ", *s" * 999 + "]}\n"
    path = write_briefing(
        "title: t\nevents:\n" + first + "  - {start: 1950, title: e, tags: *t}\n" * 2000
    )
    assert (
        f"{path}: the file expands to more than 20,971,520 characters and list items through "
        "YAML aliases (*name)\n    hint: write the repeated parts out, or split the briefing"
    ) in problems(path)


def test_an_event_pasted_as_an_alias_is_warned_of_at_the_alias(write_briefing, caplog):
    """The alias `*e` is where the event is written a second time; both parsers give the
    anchored node itself for it, placed at the anchor, where the warning pointed."""
    path = write_briefing("title: t\nevents: [&e {start: 1950, title: x}, *e]\n")
    briefgen.load(path)
    assert [record.getMessage() for record in caplog.records] == [
        f"{path}:2:38: events[1]: the same start and title as events[0] ({path}:2:10) "
        "(the alias *e of the value at 2:10)\n"
        "    hint: delete the one pasted twice, or tell the two apart by their start or title"
    ]


@pytest.mark.parametrize("bom", ["", "\ufeff"])  # libyaml's parse, and Python's
def test_a_problem_with_an_aliased_value_is_placed_at_the_alias(write_briefing, bom):
    path = write_briefing(
        bom + "title: t\nevents:\n  - {start: &s 1952-13, title: y}\n  - {start: *s, title: z}\n"
    )
    found = problems(path)
    assert [line.split(" (month")[0] for line in found if "found" in line] == [
        f'{path}:3:13: events[0].start: expected a real calendar date, found "1952-13"',
        f'{path}:4:13: events[1].start: expected a real calendar date, found "1952-13"',
    ]
    assert found[1].split("\n")[0].endswith("(the alias *s of the value at 3:13)")


def test_an_image_name_too_long_for_the_file_system(write_briefing):
    """Found by Hypothesis: the file system's own error escaped as an OSError."""
    name = "x" * 300 + ".png"
    path = write_briefing(f"title: t\nevents:\n  - {{start: 1950, title: e, image: {name}}}\n")
    assert problems(path) == [
        f'{path}:3:36: events[0].image: cannot use "{"x" * 39}…" as an image: File name too '
        "long\n    hint: a file's or folder's name is at most 255 bytes long (85 Chinese "
        "characters): give the name it has in the briefing's folder"
    ]


@pytest.mark.parametrize(
    ("url", "told", "hint"),
    [
        ("https://example.org/a b", "a space", "write https://example.org/a%20b"),
        ("https://example.org/<x>", '"<"', "write https://example.org/%3Cx%3E"),
        ("https://example.org/a\\\\b", "a backslash", "write https://example.org/a%5Cb"),
        ("https://example.org/{x}|y", '"{"', "write https://example.org/%7Bx%7D%7Cy"),
        (
            "https://example.org/100%",
            'a "%" that two hexadecimal digits do not follow',
            "write https://example.org/100%25",
        ),
        ("https://example.org/#a#b", "a second #", "write https://example.org/#a%23b"),
        (
            "https://exa mple.org/",
            "a space",
            "copy the whole address again from the browser's address bar",
        ),
    ],
)
def test_a_source_address_a_url_cannot_hold_is_refused(write_briefing, url, told, hint):
    """A source's address with a space, a quote, a brace or a stray % was taken as it was:
    the EPUB's link was no valid URL (EPUBCheck RSC-020), and a quote in it ended the
    attribute. The hint writes the address as it must be (percent-encoded)."""
    path = write_briefing(
        f'title: t\nevents: [{{start: 1950, title: e}}]\nsources: [{{title: s, url: "{url}"}}]\n'
    )
    assert problems(path) == [
        f"{path}:3:27: sources[0].url: a web address cannot hold {told}\n    hint: {hint}"
    ]


@pytest.mark.parametrize("url", ["https://:80/", "https://@/news", "http://:@"])
def test_a_source_address_without_a_site_is_refused(write_briefing, url):
    """An address with no site's name after the // was taken: the EPUB's link to it was no
    URL (EPUBCheck RSC-020, "empty host"), and the book failed its check."""
    path = write_briefing(
        f'title: t\nevents: [{{start: 1950, title: e}}]\nsources: [{{title: s, url: "{url}"}}]\n'
    )
    assert problems(path) == [
        f"{path}:3:27: sources[0].url: expected a web address with the site's name after the "
        f'//, found "{url}"\n'
        "    hint: copy the whole address from the browser's address bar: https://example.org/news/1"
    ]


def test_a_source_address_in_chinese_is_a_web_address(write_briefing):
    """Letters of any script are fine in an address (an IRI, as a browser shows it)."""
    path = write_briefing(
        "title: t\nevents: [{start: 1950, title: e}]\n"
        "sources: [{title: s, url: https://example.org/新聞?q=朝鮮%20戰爭#第一段}]\n"
    )
    assert briefgen.load(path).sources[0].url == "https://example.org/新聞?q=朝鮮%20戰爭#第一段"


# Found by the property tests (tests/test_properties.py).


def test_a_web_address_that_cannot_be_read_is_a_problem(write_briefing):
    path = write_briefing(
        'title: t\nevents: [{start: 1950, title: e}]\nsources: [{title: s, url: "https://[x]"}]\n'
    )
    [message] = problems(path)
    assert message.startswith(
        f'{path}:3:27: sources[0].url: expected a web address, found "https://[x]"\n'
        "    hint: this one cannot be read:"
    )


def test_noncharacters_are_dropped_and_escaped_surrogate_pairs_joined(write_briefing, caplog):
    path = write_briefing(
        'title: "表情\\ud83d\\ude00\\uffff\\ufdd0"\nevents: [{start: 1950, title: e}]\n'
    )
    assert briefgen.load(path).title == "表情😀"
    assert [record.getMessage().split("\n")[0] for record in caplog.records] == [
        f"{path}:1:8: title: dropped U+FFFF (noncharacter): it cannot be printed",
        f"{path}:1:8: title: dropped U+FDD0 (noncharacter): it cannot be printed",
    ]


def test_a_text_in_memory_with_half_a_character_is_a_problem_where_it_is():
    """loads() of a str holding a lone surrogate (what decoding with
    errors="surrogateescape" leaves of a byte that is not UTF-8) raised UnicodeEncodeError
    from the YAML parser, no BriefingError: a pipeline catching briefgen's errors crashed."""
    with pytest.raises(briefgen.BriefingError) as caught:
        briefgen.loads('title: "x\udcff"\nevents: [{start: 1950, title: y}]\n')
    assert str(caught.value).splitlines()[0] == (
        "<briefing>:1:10: the text holds U+DCFF, half of a character (a surrogate), which no "
        "text file can hold"
    )


def test_empty_list_items_are_no_values(write_briefing):
    path = write_briefing("title: t\nauthors: [~, 甲, null]\nevents: [{start: 1950, title: e}]\n")
    assert briefgen.load(path).authors == ("甲",)


def test_a_source_title_takes_its_language_as_a_bcp_47_tag(write_briefing):
    """A source's lang is a language tag, as a person's alt_lang is: a language's name is
    refused with its line and column."""
    path = write_briefing("""
        title: t
        events: [{start: 1950, title: e}]
        sources:
          - {title: Russia and North Korea, lang: en}
          - {title: Russia and North Korea, lang: English}
    """)
    assert problems(path) == [
        f"{path}:5:43: sources[1].lang: expected a language tag such as en, ru or ko-Latn, "
        'found "English"\n    hint: a BCP 47 tag: the language\'s two- or three-letter ISO 639 '
        "code, then its script or region where needed (ko-Latn for a romanized Korean name)"
    ]


def test_a_name_thousands_of_characters_long_is_quoted_short(write_briefing):
    """An unknown person's name was quoted whole: a name pasted with a page of text after
    it made a report of a 5,000-character line. It is quoted as a found value is, its first
    characters and an ellipsis."""
    name = "金日成" + "長" * 5000
    unknown = "金正日" + "長" * 5000
    path = write_briefing(
        f"title: t\nevents: [{{start: 1950, title: e, people: [{unknown}]}}]\n"
        f"people: [{{name: {name}}}, {{name: {name}}}]\n"
    )
    found = problems(path)
    assert len(found) == 2
    assert all(len(line) < 200 for problem in found for line in problem.split("\n"))
    assert any('duplicate person "金日成長' in problem for problem in found)
    assert any('unknown person "金正日長' in problem for problem in found)


def test_a_long_text_starting_with_a_yaml_indicator_is_quoted_short_in_the_hint(
    write_briefing,
):
    """The hint to quote a text that starts with > (or another of YAML's indicators) wrote
    the whole text out: a paragraph pasted on one line made a hint of thousands of
    characters. Its start is shown, in the quotes the whole text needs."""
    path = write_briefing(f"title: >引用{'長' * 3000}\nevents: [{{start: 1950, title: e}}]\n")
    (found,) = problems(path)
    assert found.startswith(f"{path}:1:8: not valid YAML: a text that starts with > must be")
    assert all(len(line) < 200 for line in found.split("\n"))
    assert 'hint: quote the text: title: ">引用長長' in found
    assert found.endswith('…"')


@pytest.mark.parametrize(
    ("field", "yaml_key", "suffix"),
    [
        ("events[0].image", "events: [{start: 1950, title: e, image: NAME}]", ".png"),
        ("fonts.body", "fonts: {body: NAME}\nevents: [{start: 1950, title: e}]", ".otf"),
        ("templates", "templates: NAME\nevents: [{start: 1950, title: e}]", ""),
    ],
)
def test_a_file_name_too_long_to_look_up_is_quoted_short(write_briefing, field, yaml_key, suffix):
    """A path no system can look up (text pasted into the field) was quoted whole in "cannot
    use … File name too long", with no hint: a report of one 900-character line. It is
    quoted short, and the hint says how long a name can be."""
    path = write_briefing(f"title: t\n{yaml_key.replace('NAME', '地' * 300 + suffix)}\n")
    (found,) = problems(path)
    assert f': {field}: cannot use "地地地' in found
    assert all(len(line) < 200 for line in found.split("\n"))
    assert "hint: a file's or folder's name is at most 255 bytes long" in found


def test_a_briefings_problems_raised_in_a_worker_process_reach_the_caller_whole():
    # A pipeline that loads in a process pool (or a task queue) gets the error back
    # pickled: remade from its message, it took each character of the report for a
    # problem, and printed the report one character a line.
    from concurrent.futures import ProcessPoolExecutor

    text = "title: t\nevents: []\n"
    with pytest.raises(BriefingError) as here:
        briefgen.loads(text)
    with ProcessPoolExecutor(1) as pool:
        future = pool.submit(briefgen.loads, text)
        with pytest.raises(BriefingError) as there:
            future.result(timeout=120)
    assert there.value.problems == here.value.problems
    assert str(there.value) == str(here.value)
    assert [problem.field for problem in there.value.problems] == ["events"]


@pytest.mark.parametrize("given", [None, 123, b"title: t\n", io.StringIO("title: t\n")])
def test_a_path_that_is_no_path_is_named_so(given):
    # A setting left None, or the YAML's bytes passed for the file's name, read "expected
    # str, bytes or os.PathLike object, not NoneType", naming neither the argument nor
    # what to give; build(None) says so already.
    with pytest.raises(TypeError) as raised:
        briefgen.load(given)
    assert str(raised.value) == (
        "path must be a briefing file's path (str or pathlib.Path), "
        f"not {type(given).__name__}; briefgen.loads reads a briefing's text"
    )
