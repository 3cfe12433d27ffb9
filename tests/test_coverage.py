"""The glyph check: every character of the shown text that the shipped fonts cannot draw is
reported once per field, at its own line and column."""

from __future__ import annotations

from briefgen import load
from briefgen.coverage import missing_glyphs, shown_text
from briefgen.model import Briefing, Event, Person, Source, specs
from conftest import tiny_image

PRIVATE = "\ue000"  # a private-use character: no font of briefgen's draws it


def test_missing_glyph_is_pointed_at_the_character(write_briefing):
    path = write_briefing("""
        title: 測試
        events:
          - start: 1950
            title: "私用區字元\ue000"
    """)
    [problem] = missing_glyphs(load(path))
    # Line and column are those of the character itself, not of the field.
    assert str(problem) == (
        f'{path}:4:18: events[0].title: character "\ue000" (U+E000 unnamed character) is not '
        "in briefgen's fonts; it would print as an empty box\n"
        "    hint: replace it, or write it with a more common character, or name a font of "
        "your own that has it (fonts: in the briefing)"
    )


def test_missing_glyph_inside_a_multi_line_body_is_pointed_at(write_briefing):
    path = write_briefing("""
        title: 測試
        events:
          - start: 1950
            title: 一
            body: |
              第一段。

              第二段有\ue001字，又有\ue001字。
          - start: 1951
            title: "轉義寫法\\ue002"
    """)
    first, second = missing_glyphs(load(path))  # the repeated character is reported once
    assert str(first).startswith(f'{path}:8:11: events[0].body: character "\ue001"')
    # Written as a YAML escape, the character is not in the file as such: the field is named.
    assert str(second).startswith(f'{path}:10:12: events[1].title: character "\ue002"')


def test_every_declared_field_shown_on_the_page_is_checked(write_briefing, tmp_path):
    """The walk comes from the format's declaration: a text field added to the model is
    checked without anyone adding it to a list here or in coverage.py."""
    (tmp_path / "map.png").write_bytes(tiny_image())
    x = PRIVATE
    path = write_briefing(f"""
        title: 標題{x}
        subtitle: 副標{x}
        authors: [作者{x}]
        publisher: 出版{x}
        summary: "摘要 *強調{x}*"
        events:
          - start: 1950
            when: 時期{x}
            title: 事件{x}
            body: "[連結{x}](https://example.org)"
            people: [人{x}]
            tags: [標籤{x}]
            image: map.png
            caption: 圖說{x}
            alt: 替代{x}
        people:
          - {{name: 人{x}, alt: Alt{x}, role: 角色{x}}}
        sources:
          - {{title: 來源{x}, publisher: 社{x}, url: "https://example.org/{x}", note: 註{x}}}
    """)
    reported = {problem.field for problem in missing_glyphs(load(path))}
    # Names, keywords and addresses are shown too, though no typography rule touches them.
    names = {
        "authors[0]",
        "publisher",
        "events[0].people[0]",
        "events[0].tags[0]",
        "people[0].name",
        "people[0].alt",
        "sources[0].publisher",
        "sources[0].url",
    }
    assert names <= reported
    shown = set()
    for prefix, record in (
        ("", Briefing),
        ("events[0].", Event),
        ("people[0].", Person),
        ("sources[0].", Source),
    ):
        for name, spec in specs(record):
            if spec.kind.is_shown_text:
                shown.add(f"{prefix}{name}[0]" if spec.many else f"{prefix}{name}")
    assert reported == shown


def test_markdown_is_checked_as_the_text_it_shows(write_briefing):
    path = write_briefing("""
        title: t
        summary: "**粗體** 與 [連結](https://example.org/path)"
        events: [{start: 1950, title: e}]
    """)
    text = dict(shown_text(load(path)))["summary"]
    assert text == "粗體 與 連結"


def test_a_character_written_as_a_markdown_entity_is_checked(write_briefing):
    # The source's own characters all have glyphs; the one the entity writes has none.
    path = write_briefing("""
        title: 測試
        events:
          - start: 1950
            title: 一
            body: "實體寫法&#xE003;的字。"
    """)
    [problem] = missing_glyphs(load(path))
    assert 'events[0].body: character "\ue003"' in str(problem)


def test_a_character_only_in_a_link_address_is_not_reported(write_briefing):
    path = write_briefing("""
        title: 測試
        events:
          - start: 1950
            title: 一
            body: "[報導](https://example.org/\ue004)"
    """)
    assert missing_glyphs(load(path)) == []


def test_a_character_the_fonts_lack_is_warned_of_once_by_a_pdf_build(
    write_briefing, tmp_path, caplog
):
    """Before the build, with its line and column; WeasyPrint, which meets it again as it
    draws the PDF, is not passed on to say it a second time without them."""
    import briefgen

    path = write_briefing("""
        title: 測試
        events:
          - start: 1950
            title: 一
            body: 線形文字\U00010000與私用區\ue000
    """)
    with caplog.at_level("WARNING", logger="briefgen"):
        briefgen.build(path, "pdf", tmp_path / "out")
    said = [record.getMessage() for record in caplog.records if record.name == "briefgen"]
    assert len(said) == 2, said
    assert said[0].startswith(f'{path}:5:15: events[0].body: character "\U00010000"')
    assert said[1].startswith(f'{path}:5:20: events[0].body: character "\ue000"')


def test_with_the_users_templates_the_warning_says_a_font_here_may_draw_it(
    write_briefing, tmp_path, capsys
):
    # A user's templates keep the machine's fonts (builders/pdf_fonts.py): an emoji may print
    # in one installed here, so "it would print as an empty box" would be untrue on this one.
    from briefgen.cli import main

    (tmp_path / "house").mkdir()
    path = write_briefing("title: 測試\ue000\nevents: [{start: 1950, title: 一}]\n")
    told = (
        "your templates let the PDF draw it in a font of this machine, if one has it; "
        "another machine may print it as an empty box"
    )
    out = str(tmp_path / "out")
    assert main(["build", str(path), "--templates", str(tmp_path / "house"), "-o", out]) == 0
    assert told in capsys.readouterr().err
    # And as check tells it, of a briefing that names its own template folder.
    named = write_briefing(
        "title: 測試\ue000\ntemplates: house\nevents: [{start: 1950, title: 一}]\n",
        name="named.yaml",
    )
    (named.parent / "house").mkdir(exist_ok=True)
    main(["check", str(named)])
    err = capsys.readouterr().err
    assert told in err
    assert "it would print as an empty box" not in err
    # Without them, the PDF is set in the document's fonts alone: the box is certain.
    assert main(["build", str(path), "-o", out]) == 0
    assert "is not in briefgen's fonts; it would print as an empty box" in capsys.readouterr().err


def test_marks_that_compose_and_variation_selectors_print_no_box(write_briefing):
    """A letter with decomposed accents (NFD) is drawn as the precomposed letter, a
    presentation selector (©️) and a variation the fonts have (、 U+FE00) draw no box: none
    is warned of. An ideographic variation the fonts lack prints the usual form: said so."""
    path = write_briefing("""
        title: 測試
        events:
          - start: 1950
            title: "Nguye\\u0302\\u0303n Tro\\u0323ng ©\\ufe0f 、\\ufe00"
            body: "葛\\U000E0100飾區，x\\u0302"
    """)
    first, second = missing_glyphs(load(path))
    assert first.field == "events[0].body"
    assert "U+E0100" in first.message and "usual form" in first.message
    assert "U+0302" in second.message and "empty box" in second.message  # x̂ has no letter
