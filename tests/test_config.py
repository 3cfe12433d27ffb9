"""A folder's briefgen.toml (or [tool.briefgen] in pyproject.toml): defaults that flags override."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from briefgen.cli import main

BRIEFING = "title: 設定\nevents: [{start: 1950, title: 事件}]\n"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    (tmp_path / "briefing.yaml").write_text(BRIEFING, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_briefgen_toml_sets_the_defaults(folder, capsys):
    (folder / "house").mkdir()
    (folder / "house" / "partials").mkdir()
    (folder / "house" / "partials" / "summary.html").write_text("<p>house</p>\n")
    (folder / "briefgen.toml").write_text(
        'formats = ["html"]\noutdir = "dist"\ntemplates = ["house"]\nkeep-html = true\n'
    )
    status, out, err = run(capsys, "build")
    assert status == 0, err
    assert out == "dist/briefing.html\ndist/briefing.print.html\n"
    assert "briefgen: settings from briefgen.toml\n" in err
    assert "<p>house</p>" in (folder / "dist" / "briefing.html").read_text(encoding="utf-8")


def test_the_paper_is_read_in_any_case_as_the_flag_reads_it(folder, capsys):
    (folder / "briefgen.toml").write_text('paper = "a5"\n')
    status, out, err = run(capsys, "build")
    assert (status, out) == (0, "out/briefing.pdf\n"), err
    page = PdfReader(folder / "out" / "briefing.pdf").pages[0]
    assert [round(float(side)) for side in page.mediabox[2:]] == [420, 595]


def test_a_handout_is_read_in_any_case_as_the_flag_reads_it(folder, capsys):
    (folder / "briefgen.toml").write_text('paper = "a5"\nhandout = "2UP"\n')
    status, out, err = run(capsys, "build")
    assert (status, out) == (0, "out/briefing.2up.pdf\n"), err


def test_flags_override_the_file(folder, capsys):
    (folder / "briefgen.toml").write_text('formats = ["html"]\noutdir = "dist"\n')
    status, out, _ = run(capsys, "build", "-f", "epub", "-o", "elsewhere")
    assert (status, out) == (0, "elsewhere/briefing.epub\n")


def test_a_setting_that_is_on_can_be_turned_off_for_one_build(folder, capsys):
    (folder / "briefgen.toml").write_text(
        'formats = ["html"]\nhandout = "booklet"\nvertical = true\nkeep-html = true\n'
        "strict = true\n"
    )
    # A source with a typography change to make (an ASCII comma), which strict refuses.
    source = "title: 設定\nsummary: 俄國,朝鮮\nevents: [{start: 1950, title: 事件}]\n"
    (folder / "briefing.yaml").write_text(source, encoding="utf-8")
    status, _, _ = run(capsys, "build", "-f", "pdf", "--no-vertical")
    assert status == 1  # strict, from the file
    flags = ["--no-vertical", "--no-strict", "--no-keep-html", "--handout", "none"]
    status, out, err = run(capsys, "build", "-f", "pdf", *flags)
    # The briefing's own PDF, not the booklet; no print HTML.
    assert (status, out) == (0, "out/briefing.pdf\n"), err
    (folder / "briefgen.toml").write_text("marks = true\n")
    status, out, err = run(capsys, "build", "--no-marks")
    assert (status, out) == (0, "out/briefing.pdf\n"), err
    # A4, with no bleed for crop marks around it.
    page = PdfReader(folder / "out" / "briefing.pdf").pages[0]
    assert [round(float(side)) for side in page.mediabox[2:]] == [595, 842]


def test_check_follows_the_files_rules_and_strictness(folder, capsys):
    # An ASCII comma (punctuation-width) and straight quotes (quotes).
    source = 'title: 設定\nsummary: 俄國,朝鮮 "對話"\nevents: [{start: 1950, title: 事件}]\n'
    (folder / "briefing.yaml").write_text(source, encoding="utf-8")
    (folder / "briefgen.toml").write_text('no-rule = ["quotes"]\nstrict = true\n')
    status, out, err = run(capsys, "check", "briefing.yaml")
    assert status == 1  # strict, from the file
    assert "punctuation-width" in out and "quotes" not in out
    assert "settings from briefgen.toml" in err
    status, out, _ = run(capsys, "check", "briefing.yaml", "--no-strict", "--fix")
    assert status == 0
    fixed = (folder / "briefing.yaml").read_text(encoding="utf-8")
    assert "俄國，朝鮮" in fixed and '"對話"' in fixed  # the quotes left as the build leaves them


def test_fonts_leaves_out_the_warnings_the_file_switches_off(folder, capsys):
    """A folder that keeps its briefings ordered by theme switches event-order off for its
    builds: `briefgen fonts` told the warning again, and had no way to leave it out."""
    source = "title: 設定\nevents:\n" + "".join(
        f"  - {{start: {year}, title: 事件}}\n" for year in (1950, 1970, 1960, 1980)
    )
    (folder / "briefing.yaml").write_text(source, encoding="utf-8")
    (folder / "briefgen.toml").write_text('no-rule = ["event-order"]\n')
    status, out, err = run(capsys, "fonts", "briefing.yaml")
    assert status == 0 and "different characters briefing.yaml shows" in out
    assert "settings from briefgen.toml" in err and "event-order" not in err
    status, _, err = run(capsys, "fonts", "briefing.yaml", "--no-config")
    assert status == 0 and "events[2].start: event-order: starts 1960" in err
    status, _, err = run(
        capsys, "fonts", "briefing.yaml", "--no-config", "--no-rule", "event-order"
    )
    assert status == 0 and "event-order" not in err


def test_pyproject_tool_table(folder, capsys):
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.briefgen]\nformats = ["html"]\n'
    )
    status, out, err = run(capsys, "build")
    assert (status, out) == (0, "out/briefing.html\n")
    assert "settings from pyproject.toml" in err


def test_a_pyproject_table_beside_briefgen_toml_is_said_to_be_unread(folder, capsys):
    """briefgen.toml comes first; the [tool.briefgen] of a pyproject.toml beside it was left
    out without a word, its settings seeming to be taken."""
    (folder / "briefgen.toml").write_text('formats = ["html"]\n')
    (folder / "pyproject.toml").write_text('[tool.briefgen]\npaper = "A5"\n')
    status, out, err = run(capsys, "build")
    assert (status, out) == (0, "out/briefing.html\n")
    assert (
        "briefgen: settings from briefgen.toml (pyproject.toml's [tool.briefgen] is not read)\n"
    ) in err


@pytest.mark.parametrize("command", ["build", "check", "fonts", "watch"])
def test_each_command_that_reads_the_file_says_so(folder, capsys, monkeypatch, command):
    """README: the command says which file it read. watch read it and said nothing, so a
    preview built with the folder's templates or rules gave no sign of where they came from."""
    monkeypatch.setattr("briefgen.watch.watch", lambda *args, **kwargs: None)
    (folder / "briefgen.toml").write_text('no-rule = ["quotes"]\nformats = ["html"]\n')
    status, _, err = run(capsys, command, "briefing.yaml")
    assert status == 0, err
    assert "briefgen: settings from briefgen.toml\n" in err
    status, _, err = run(capsys, command, "briefing.yaml", "--no-config")
    assert status == 0 and "settings from" not in err


def test_no_config_reads_no_settings_file(folder, capsys):
    """A server that builds others' briefings in their own folder reads none of their
    settings: a settings file's templates run unsandboxed, as the user's own code."""
    (folder / "house" / "partials").mkdir(parents=True)
    (folder / "house" / "partials" / "summary.html").write_text(
        "{{ cycler.__init__.__globals__.os.popen('echo RAN').read() }}\n"
    )
    (folder / "briefgen.toml").write_text('formats = ["html"]\ntemplates = ["house"]\n')
    status, out, err = run(capsys, "build", "--no-config", "-f", "html")
    assert (status, out) == (0, "out/briefing.html\n"), err
    assert "settings from" not in err
    assert "RAN" not in (folder / "out" / "briefing.html").read_text(encoding="utf-8")
    # check too: the file's strict and rules are not taken.
    (folder / "briefing.yaml").write_text(BRIEFING.replace("設定", "設定,說明"), encoding="utf-8")
    (folder / "briefgen.toml").write_text("strict = true\n")
    status, out, err = run(capsys, "check", "--no-config", "briefing.yaml")
    assert status == 0 and "punctuation-width" in out and "settings from" not in err
    # watch too: a file that is not even TOML is not read, so the host is what is wrong.
    (folder / "briefgen.toml").write_text("not toml\n")
    status, _, err = run(capsys, "watch", "--no-config", "--host", "999.1.1.1", "briefing.yaml")
    assert status == 2 and "cannot serve the preview on 999.1.1.1" in err
    assert "not valid TOML" not in err


def test_every_problem_in_the_file_at_once(folder, capsys):
    (folder / "briefgen.toml").write_text('paperr = "A5"\nmarks = "yes"\nformats = "pdf"\n')
    status, out, err = run(capsys, "build")
    assert (status, out) == (2, "")
    lines = err.splitlines()
    # After the build command's usage.
    assert lines[0].startswith("usage: briefgen build")
    assert lines[-5:] == [
        'briefgen build: error: briefgen.toml:1:1: paperr: unknown setting; did you mean "paper"?',
        'briefgen.toml:2:1: marks: expected true or false, found "yes"',
        "    hint: crop marks and bleed (--marks); for example marks = true",
        'briefgen.toml:3:1: formats: expected a list of text in quotes, found "pdf"',
        "    hint: the formats to build, as with --format: pdf, epub, html, print-html, all; "
        'for example formats = ["pdf", "epub"]',
    ]
    assert not (folder / "out").exists()


def test_a_wrong_type_under_tool_briefgen_names_its_line(folder, capsys):
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "x"\npaper = 1\n\n[tool.briefgen]\nformats = ["html"]\npaper = 5\n'
    )
    status, _, err = run(capsys, "build")
    assert status == 2
    assert err.splitlines()[-2:] == [
        "briefgen build: error: pyproject.toml:7:1: tool.briefgen.paper: expected text in "
        "quotes, found 5",
        "    hint: the PDF's paper size: A4, A5, B5, letter or half-letter (--paper); "
        'for example paper = "A5"',
    ]


def test_a_wrong_type_is_told_every_value_the_setting_takes(folder, capsys):
    # A user who wrote `handout = true` learns all four forms, "none" and "sheet" included.
    (folder / "briefgen.toml").write_text("handout = true\n")
    status, _, err = run(capsys, "build")
    assert status == 2
    assert err.splitlines()[-1] == (
        "    hint: a handout form of the PDF: booklet, 2up, sheet or none (--handout); "
        'for example handout = "booklet"'
    )


@pytest.mark.parametrize("command", ["build", "check", "fonts", "watch"])
def test_every_bad_value_is_told_with_its_line_and_key(folder, capsys, command):
    """A value of the right type that no command takes was told alone, with neither its
    line nor its key ("unknown paper size 'A3' … (in briefgen.toml)"), and only by the
    command that used it, the others left for the next run: config.py promises every
    problem at once, with the file and the key."""
    (folder / "briefgen.toml").write_text(
        'paper = "A3"\nhandout = "booklett"\npdf-variant = "pdf/a"\nno-rule = ["event-ordr"]\n'
        'formats = ["pdf", "docx"]\n'
    )
    status, out, err = run(capsys, command, "briefing.yaml")
    assert (status, out) == (2, "")
    assert err.splitlines()[-9:] == [
        f"briefgen {command}: error: briefgen.toml:1:1: paper: expected A4, A5, B5, letter or "
        'half-letter, found "A3"',
        "    hint: the PDF's paper size: A4, A5, B5, letter or half-letter (--paper); "
        'for example paper = "A5"',
        'briefgen.toml:2:1: handout: expected booklet, 2up, sheet or none, found "booklett"',
        '    hint: did you mean "booklet"? a handout form of the PDF: booklet, 2up, sheet or '
        'none (--handout); for example handout = "booklet"',
        'briefgen.toml:3:1: pdf-variant: expected pdf/ua-1 or pdf/a-3b, found "pdf/a"',
        '    hint: did you mean "pdf/a-3b"? the PDF standard: pdf/ua-1 or pdf/a-3b '
        '(--pdf-variant); for example pdf-variant = "pdf/a-3b"',
        "briefgen.toml:4:1: no-rule: unknown rule 'event-ordr' (did you mean 'event-order'?); "
        "the typography rules are quotes, unbreakables, punctuation-width, segment-breaks, "
        "han-latin-spacing, punctuation-squeeze, the warnings event-order, future-event, "
        "nested-period, when-date, heading-stop, unpaired-marks, same-alt",
        'briefgen.toml:5:1: formats: unknown format "docx"',
        "    hint: choose from pdf, epub, html, print-html or all; for example "
        'formats = ["pdf", "epub"]',
    ]


def test_a_value_in_another_case_is_taken(folder, capsys):
    # As --paper takes it.
    (folder / "briefgen.toml").write_text('paper = "a5"\nhandout = "none"\nformats = ["html"]\n')
    status, out, err = run(capsys, "build")
    assert (status, out) == (0, "out/briefing.html\n"), err


def test_invalid_toml(folder, capsys):
    (folder / "briefgen.toml").write_text("formats = [\n")
    status, _, err = run(capsys, "build")
    assert status == 2
    assert "briefgen.toml:1:12: not valid TOML: Invalid value" in err


@pytest.mark.parametrize(
    ("content", "told"),
    [
        (
            b'outdir = "dist"\noutdir = "out"\n',
            "briefgen.toml:2:15: not valid TOML: Cannot overwrite a value\n"
            "    hint: a setting is given twice here: keep one of the two",
        ),
        (
            b"paper = A5\n",
            "briefgen.toml:1:9: not valid TOML: Invalid value\n"
            '    hint: each setting is one `key = value` line, text in quotes: paper = "A5"',
        ),
        (
            'paper = "A5"\n'.encode("utf-16"),
            "briefgen.toml:1:1: expected UTF-8 text, found byte 0xFF that is not UTF-8\n"
            "    hint: save the file as UTF-8 in your editor (TOML files are UTF-8)",
        ),
    ],
)
def test_a_toml_mistake_is_told_at_its_line_and_column(folder, capsys, content, told):
    """tomllib's words were passed on as they are, the place at their end ("… (at line 2,
    column 15)") and no hint; a file not in UTF-8 was told in Python's ("'utf-8' codec
    can't decode byte 0xff in position 0: invalid start byte")."""
    (folder / "briefgen.toml").write_bytes(content)
    status, _, err = run(capsys, "build")
    assert status == 2
    assert err.endswith(f"briefgen build: error: {told}\n")


def test_a_settings_file_with_a_byte_order_mark_is_read(folder, capsys):
    """A briefgen.toml saved by a Windows editor that starts UTF-8 with a byte-order mark,
    as briefgen takes a briefing, was refused: "briefgen.toml:1:1: not valid TOML: Invalid
    statement", with the hint to write each setting as the line already was."""
    (folder / "briefgen.toml").write_bytes('formats = ["html"]\n'.encode("utf-8-sig"))
    status, out, err = run(capsys, "build")
    assert (status, out) == (0, "out/briefing.html\n"), err


def test_a_clash_names_the_setting_the_file_set_and_how_to_undo_it(folder, capsys):
    # The user typed --handout booklet and never --marks: not told to leave out --marks.
    (folder / "briefgen.toml").write_text("marks = true\n")
    status, out, err = run(capsys, "build", "--handout", "booklet")
    assert (status, out) == (2, "")
    assert err.splitlines()[-2:] == [
        "briefgen build: error: crop marks are for a print shop's single pages, not for the "
        "sheets a booklet handout imposes them on (marks = true in briefgen.toml with "
        "--handout booklet)",
        "    hint: leave out --handout booklet, or give --no-marks (or remove marks from "
        "briefgen.toml)",
    ]
    # Both from the file; a flag that overrides the file's value is named as the flag.
    (folder / "briefgen.toml").write_text('handout = "2up"\npdf-variant = "pdf/a-3b"\n')
    status, _, err = run(capsys, "build")
    assert status == 2
    assert '(handout = "2up" in briefgen.toml with pdf-variant = "pdf/a-3b" in' in err
    assert "hint: give --handout none (or remove handout from briefgen.toml), or give " in err
    status, _, err = run(capsys, "build", "--handout", "booklet")
    assert status == 2
    assert '(--handout booklet with pdf-variant = "pdf/a-3b" in briefgen.toml)' in err


def test_vertical_in_the_file_is_named_there(folder, capsys):
    (folder / "briefgen.toml").write_text("vertical = true\n")
    status, _, err = run(capsys, "build")
    assert status == 2
    assert "this build asks for pdf too (vertical = true in briefgen.toml)" in err
    assert "hint: give --no-vertical (or remove vertical from briefgen.toml)" in err
    (folder / "en.yaml").write_text("title: T\nlang: en\nevents: [{start: 1950, title: E}]\n")
    status, _, err = run(capsys, "build", "en.yaml", "-f", "epub")
    assert status == 2
    assert "language is 'en' (vertical = true in briefgen.toml)" in err
    assert "--vertical\n" not in err
    assert not (folder / "out").exists()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_vertical_in_the_file_is_named_there_in_a_batch_too(folder, capsys, jobs):
    """A batch told the user who set `vertical = true` in briefgen.toml to leave out
    --vertical, which they never typed, where a single build names the file's key."""
    (folder / "briefgen.toml").write_text('vertical = true\nformats = ["epub"]\n')
    (folder / "en.yaml").write_text("title: T\nlang: en\nevents: [{start: 1950, title: E}]\n")
    status, out, err = run(capsys, "build", "en.yaml", "briefing.yaml", "--jobs", jobs)
    assert (status, out) == (1, "out/briefing.epub\n")
    assert "language is 'en' (vertical = true in briefgen.toml)\n" in err
    assert "    hint: give --no-vertical (or remove vertical from briefgen.toml)\n" in err
    assert "--vertical\n" not in err
    status, _, err = run(capsys, "build", "en.yaml", "briefing.yaml", "--vertical")
    assert status == 1 and "language is 'en' (--vertical)\n    hint: leave out --vertical" in err


def test_the_readme_names_every_setting():
    """The README is where a user looks for what briefgen.toml may hold: each key is named
    there (outdir, marks, pdf-variant, keep-html and no-rule were not, bar a hint of two)."""
    from briefgen.config import KEYS
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    settings = readme.split("A folder's defaults for `build`", 1)[1].split("\n- ", 1)[0]
    assert [key for key in KEYS if f"`{key}`" not in settings] == []


@pytest.mark.parametrize(
    ("flags", "toml", "said"),
    [
        (
            (),
            'templates = [""]\n',
            'briefgen.toml:1:1: templates: expected folder names, found an empty one in [""]\n'
            '    hint: name each folder (templates = ["house-style"]), or write "." for the '
            "file's own folder",
        ),
        ((), 'templates = ["  "]\n', 'expected folder names, found an empty one in ["  "]'),
        # An unset variable in a script: --templates "$DIR".
        (
            ("--templates", ""),
            "",
            "argument --templates: expected a folder of your own templates, found an empty "
            "name (write --templates . for the current folder)",
        ),
    ],
    ids=["empty", "blank", "flag"],
)
def test_an_empty_template_folder_name_is_refused(folder, capsys, flags, toml, said):
    """An empty folder name was read as the folder itself (briefgen.toml's, or the current
    one), whose every .html and .css then stood in for briefgen's templates: an HTML built
    there before with -o . became the template the PDF was laid out from."""
    (folder / "briefing.html").write_text("<p>an old build</p>\n", encoding="utf-8")
    if toml:
        (folder / "briefgen.toml").write_text(toml, encoding="utf-8")
    status, out, err = run(capsys, "build", "-f", "html", *flags)
    assert (status, out) == (2, "")
    assert said in err
    assert not (folder / "out").exists()


def test_the_readme_says_which_settings_watch_leaves_out(folder, capsys, monkeypatch):
    """The README says what of briefgen.toml `watch` reads: every key but those it names
    (keep-html, which watch never reads, was said to be read)."""
    import re

    from conftest import REPO

    (folder / "house").mkdir()
    (folder / "briefgen.toml").write_text(
        'formats = ["epub"]\noutdir = "dist"\npaper = "A5"\nhandout = "sheet"\nmarks = true\n'
        'keep-html = true\nvertical = true\ntemplates = ["house"]\nno-rule = ["quotes"]\n'
        "strict = true\n",
        encoding="utf-8",
    )
    seen = {}
    monkeypatch.setattr("briefgen.watch.watch", lambda *args, **kwargs: seen.update(args=args))
    assert run(capsys, "watch", "-f", "pdf")[0] == 0
    _, formats, outdir, options, *_ = seen["args"]
    read = {
        "formats": "epub" in formats,
        "outdir": outdir.name == "dist",
        "paper": options.paper == "A5",
        "handout": options.handout == "sheet",
        "marks": options.marks,
        "keep-html": "print-html" in formats,
        "vertical": options.vertical,
        "templates": options.templates == (folder / "house",),
        "no-rule": options.disabled_rules == ("quotes",),
        "strict": options.strict,
    }
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    said = re.search(r"and `watch` all but (.*?)\. ", readme, re.DOTALL)
    assert said is not None
    assert sorted(re.findall(r"`([\w-]+)`", said.group(1))) == sorted(
        key for key, taken in read.items() if not taken
    )
