"""Build options: one object, checked when it is made, that reaches every builder."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess

import pytest

import briefgen
from briefgen import BuildOptions, UsageError
from briefgen.options import PAPERS, resolve
from conftest import REPO


def test_defaults(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    options = BuildOptions()
    assert (options.paper, options.templates, options.source_date_epoch) == ("A4", (), None)


def test_options_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        BuildOptions().paper = "A5"  # type: ignore[misc]


def test_source_date_epoch_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert BuildOptions().source_date_epoch == 1700000000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(
        UsageError,
        match="SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not 'soon'",
    ):
        BuildOptions()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "-86400")
    with pytest.raises(UsageError, match=r"^SOURCE_DATE_EPOCH must be .* since 1970, not '-86400'"):
        BuildOptions()


def test_a_source_date_epoch_given_in_python_is_told_by_its_name(monkeypatch):
    # A pipeline that passed source_date_epoch= never set the environment variable: it is
    # told of the option it gave, not sent looking for SOURCE_DATE_EPOCH.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    told = "BuildOptions.source_date_epoch must be a whole number of seconds since 1970, not "
    with pytest.raises(UsageError) as raised:
        BuildOptions(source_date_epoch=99999999999999999)
    assert str(raised.value) == told + "99999999999999999"
    with pytest.raises(UsageError) as raised:
        briefgen.render_html(briefgen.load(briefgen.sample_path()), source_date_epoch=-86400)
    assert str(raised.value) == told + "-86400"
    with pytest.raises(TypeError, match=r"^BuildOptions\.source_date_epoch must be .*, not str$"):
        BuildOptions(source_date_epoch="1700000000")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "told"),
    [
        ({"paper": 4}, "BuildOptions.paper must be a string, not int"),
        ({"handout": 2}, "BuildOptions.handout must be a string or None, not int"),
        ({"pdf_variant": None}, "BuildOptions.pdf_variant must be a string, not NoneType"),
        ({"marks": "no"}, "BuildOptions.marks must be True or False, not str"),
        ({"templates": 5}, "BuildOptions.templates must be a folder or a list of folders, not 5"),
        ({"disabled_rules": [1]}, "BuildOptions.disabled_rules must be a list of names, not [1]"),
    ],
)
def test_options_of_the_wrong_type_are_named(given, told):
    with pytest.raises(TypeError) as caught:
        BuildOptions(**given)
    assert str(caught.value) == told
    with pytest.raises(TypeError):
        briefgen.render_html(briefgen.load(briefgen.sample_path()), **given)


def test_any_iterable_of_folders_or_rules_is_a_list(tmp_path):
    (tmp_path / "mine").mkdir()
    options = BuildOptions(
        templates=iter([tmp_path / "mine"]), disabled_rules=(r for r in ["quotes"])
    )
    assert (options.templates, options.disabled_rules) == ((tmp_path / "mine",), ("quotes",))


def test_unknown_paper_is_refused_with_the_choices():
    with pytest.raises(UsageError) as caught:
        BuildOptions(paper="a5")
    assert str(caught.value) == (
        "unknown paper size 'a5'; choose from A4, A5, B5, letter, half-letter (did you mean 'A5'?)"
    )


def test_b5_is_jis_b5():
    assert PAPERS["B5"].css_size == "182mm 257mm"


def test_template_folders_must_exist_and_are_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine").mkdir()
    assert BuildOptions(templates="mine").templates == (tmp_path / "mine",)
    with pytest.raises(UsageError, match=r"template folder .*nope does not exist"):
        BuildOptions(templates=(tmp_path / "mine", tmp_path / "nope"))


def test_keyword_options_map_onto_the_object():
    assert resolve(None, {"paper": "A5"}) == BuildOptions(paper="A5")
    given = BuildOptions(paper="letter")
    assert resolve(given, {}) is given


def test_unknown_or_doubled_options_fail_in_one_message():
    with pytest.raises(TypeError) as caught:
        resolve(None, {"papr": "A5"})
    assert str(caught.value) == (
        "unknown build option 'papr' (did you mean 'paper'?); the "
        "options are paper, handout, pdf_variant, marks, templates, disabled_rules, strict, "
        "vertical, source_date_epoch"
    )
    with pytest.raises(
        TypeError,
        match=r"pass options=BuildOptions\(...\) or keyword options "
        r"\(paper\), not both",
    ):
        resolve(BuildOptions(), {"paper": "A5"})
    with pytest.raises(TypeError, match=r"options must be a briefgen\.BuildOptions, not dict"):
        resolve({"paper": "A5"}, {})  # type: ignore[arg-type]


def test_bad_options_fail_before_any_work(tmp_path, monkeypatch):
    """Nothing is loaded or rendered: the source does not even exist."""

    def fail(*args, **kwargs):
        raise AssertionError("work started")

    monkeypatch.setattr("briefgen.pipeline.prepare", fail)
    for call in (
        lambda: briefgen.build("missing.yaml", "pdf", tmp_path, paper="A3"),
        lambda: briefgen.build("missing.yaml", "docx", tmp_path),
        lambda: briefgen.build("missing.yaml", "pdf", tmp_path, colour="red"),
    ):
        with pytest.raises((UsageError, TypeError)):
            call()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("paper", "size_pt"),
    [
        ("A5", (419.53, 595.28)),
        ("B5", (515.91, 728.50)),
        ("letter", (612.0, 792.0)),
        ("half-letter", (396.0, 612.0)),
    ],
)
def test_paper_reaches_the_pdf(write_briefing, paper, size_pt):
    import io

    from pypdf import PdfReader

    briefing = briefgen.load(write_briefing("title: t\nevents: [{start: 1950, title: e}]\n"))
    reader = PdfReader(io.BytesIO(briefgen.render_pdf(briefing, paper=paper)))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size_pt, abs=0.1)


def test_source_date_epoch_reaches_the_epub(write_briefing, monkeypatch):
    import io
    import re
    import zipfile

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    briefing = briefgen.load(write_briefing("title: t\nevents: [{start: 1950, title: e}]\n"))
    epub = briefgen.render_epub(briefing, BuildOptions(source_date_epoch=1700000000))
    opf = zipfile.ZipFile(io.BytesIO(epub)).read("EPUB/content.opf").decode()
    assert re.search(r'<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>', opf)


def test_disabled_rules_are_checked_by_name():
    assert BuildOptions(disabled_rules="quotes").disabled_rules == ("quotes",)
    with pytest.raises(UsageError) as caught:
        BuildOptions(disabled_rules=("quote",))
    assert str(caught.value) == (
        "unknown rule 'quote' (did you mean 'quotes'?); the typography rules are quotes, "
        "unbreakables, punctuation-width, segment-breaks, han-latin-spacing, "
        "punctuation-squeeze, the warnings event-order, future-event, nested-period, "
        "when-date, heading-stop, unpaired-marks, same-alt"
    )


def test_handout_and_marks_are_checked_and_imposed_sheets_take_no_marks():
    assert BuildOptions(handout="booklet").handout == "booklet"
    with pytest.raises(
        UsageError, match="unknown handout 'bookl'; choose from booklet, 2up, sheet"
    ):
        BuildOptions(handout="bookl")
    # The command line's --handout none is None here: a program that wrote "none" is told.
    with pytest.raises(UsageError, match=r"or handout=None for the PDF itself"):
        BuildOptions(handout="none")
    with pytest.raises(UsageError, match="crop marks are for a print shop's single pages"):
        BuildOptions(handout="2up", marks=True)
    # The one-sheet handout's pages are single pages, and may be cut by a print shop.
    assert BuildOptions(handout="sheet", marks=True).marks
    # Imposed sheets are not PDF/A; the one-sheet handout is laid out by WeasyPrint and can be.
    for handout in ("booklet", "2up"):
        with pytest.raises(UsageError, match=f"a {handout} handout cannot be PDF/A"):
            BuildOptions(handout=handout, pdf_variant="pdf/a-3b")
    assert BuildOptions(handout="sheet", pdf_variant="pdf/a-3b").handout == "sheet"


@pytest.mark.slow
def test_marks_set_the_trim_and_bleed_boxes(write_briefing):
    import io

    from pypdf import PdfReader

    briefing = briefgen.load(write_briefing("title: t\nevents: [{start: 1950, title: e}]\n"))
    page = PdfReader(io.BytesIO(briefgen.render_pdf(briefing, marks=True))).pages[0]
    bleed = 3 * 72 / 25.4
    trim, media = page.trimbox, page.mediabox
    assert (float(trim.width), float(trim.height)) == pytest.approx((595.28, 841.89), abs=0.1)
    assert float(page.bleedbox.width) == pytest.approx(float(trim.width) + 2 * bleed, abs=0.1)
    assert float(page.bleedbox.height) == pytest.approx(float(trim.height) + 2 * bleed, abs=0.1)
    # The sheet reaches past the bleed, for the crop marks.
    assert float(media.width) >= float(page.bleedbox.width) + 2 * 5 * 72 / 25.4


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler")
def test_crop_marks_lie_outside_the_bleed(write_briefing, tmp_path):
    """A print shop's bleed is the page's own (its ground runs into it, to be cut off): the
    crop marks are drawn beyond it, on the lines of the trim, and nothing lies in it here."""
    from PIL import Image
    from pypdf import PdfReader

    briefing = briefgen.load(write_briefing("title: t\nevents: [{start: 1950, title: e}]\n"))
    (tmp_path / "marks.pdf").write_bytes(briefgen.render_pdf(briefing, paper="B5", marks=True))
    page = PdfReader(tmp_path / "marks.pdf").pages[0]
    command = ["pdftoppm", "-r", "288", "-f", "1", "-l", "1", "-gray", "marks.pdf", "page"]
    subprocess.run(command, check=True, cwd=tmp_path)
    picture = Image.open(next(tmp_path.glob("page*.pgm")))
    media = [float(side) for side in page.mediabox]
    scale = 288 / 72

    def dark(x: float, y: float) -> bool:
        """Whether the sheet is inked at (x, y) in PDF points, or a pixel beside it."""
        column, row = round((x - media[0]) * scale), round((media[3] - y) * scale)
        return any(
            picture.getpixel((column + dx, row + dy)) < 128
            for dx in (-1, 0, 1)
            for dy in (-1, 0, 1)
        )

    trim = [float(side) for side in page.trimbox]
    bleed = [float(side) for side in page.bleedbox]
    steps = [step / 4 for step in range(1, 4)]
    # Across the bleed, from the trim to the BleedBox, on each line of the trim: no ink.
    for y in (trim[1], trim[3]):
        for x in (trim[0], trim[2]):
            outward = (-1 if x == trim[0] else 1, -1 if y == trim[1] else 1)
            depth = trim[0] - bleed[0]
            assert not any(dark(x + outward[0] * depth * t, y) for t in steps), (x, y)
            assert not any(dark(x, y + outward[1] * depth * t) for t in steps), (x, y)
            # And a mark beyond it, along each line, between the BleedBox and the sheet's edge.
            room = bleed[0] - media[0]
            beyond = [depth + room * (0.3 + 0.5 * t) for t in steps]
            assert all(dark(x + outward[0] * d, y) for d in beyond), (x, y)
            assert all(dark(x, y + outward[1] * d) for d in beyond), (x, y)


@pytest.mark.slow
def test_handout_reaches_the_pdf():
    import io

    from pypdf import PdfReader

    sample = briefgen.load(briefgen.sample_path())
    pages = len(PdfReader(io.BytesIO(briefgen.render_pdf(sample, paper="A5"))).pages)
    booklet = PdfReader(io.BytesIO(briefgen.render_pdf(sample, paper="A5", handout="booklet")))
    assert len(booklet.pages) == (pages + 3) // 4 * 2
    box = booklet.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((841.89, 595.28), abs=0.5)


def test_a_clash_of_options_names_each_as_python_gives_it_and_what_to_leave_out():
    # A pipeline's author never typed --marks: the options are named as the call gave them.
    with pytest.raises(UsageError) as raised:
        BuildOptions(handout="booklet", marks=True)
    assert str(raised.value).endswith(
        '(marks=True with handout="booklet")\n    hint: leave out marks=True or handout="booklet"'
    )
    with pytest.raises(UsageError) as raised:
        briefgen.build(briefgen.sample_path(), "pdf", "out", handout="2up", pdf_variant="pdf/a-3b")
    assert str(raised.value).endswith(
        '(handout="2up" with pdf_variant="pdf/a-3b")\n'
        '    hint: leave out handout="2up" or pdf_variant="pdf/a-3b"; '
        "build the PDF/A and the handout separately"
    )
    with pytest.raises(UsageError) as raised:
        briefgen.build(briefgen.sample_path(), ["pdf", "epub"], "out", vertical=True)
    assert str(raised.value).endswith(
        "(vertical=True)\n"
        '    hint: leave out vertical=True; or build the EPUB on its own (formats="epub")'
    )


def test_the_command_line_names_a_clash_by_its_flags(tmp_path, capsys):
    from briefgen.cli import main

    out = str(tmp_path / "out")
    assert main(["build", "--handout", "booklet", "--marks", "-o", out]) == 2
    assert "(--marks with --handout booklet)\n    hint: leave out --marks or --handout booklet" in (
        capsys.readouterr().err
    )
    assert main(["build", "-f", "pdf", "--vertical", "-o", out]) == 2
    assert "hint: leave out --vertical; or build the EPUB on its own (-f epub)" in (
        capsys.readouterr().err
    )


def test_build_many_names_jobs_as_python_gives_it(tmp_path):
    with pytest.raises(UsageError, match=r"^jobs must be at least 1, not 0$"):
        briefgen.build_many([briefgen.sample_path()], "html", tmp_path, jobs=0)


def test_a_clash_of_settings_raised_in_a_worker_process_reaches_the_caller():
    # A pipeline that builds in a process pool: the error must come back as the UsageError
    # it is, not break the pool (it could not be made again from its pickled form).
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1) as pool:
        future = pool.submit(BuildOptions, handout="booklet", marks=True)
        with pytest.raises(UsageError) as raised:
            future.result(timeout=120)
    assert str(raised.value).startswith("crop marks are for a print shop's single pages")
    assert 'hint: leave out marks=True or handout="booklet"' in str(raised.value)


def test_the_keyword_options_are_typed_as_the_options_are():
    # **option_values: Unpack[OptionValues]: every option, and nothing else, is a keyword
    # a type checker knows, so the two cannot drift apart as options are added.
    import inspect

    from briefgen.options import OPTION_NAMES, OptionValues

    assert tuple(OptionValues.__annotations__) == OPTION_NAMES
    calls = (briefgen.build, briefgen.build_many, briefgen.render_pdf, briefgen.render_epub)
    for call in (*calls, briefgen.render_html):
        [keywords] = [
            parameter
            for parameter in inspect.signature(call).parameters.values()
            if parameter.kind is inspect.Parameter.VAR_KEYWORD
        ]
        assert keywords.annotation == "Unpack[OptionValues]", call.__name__


CALLER = """
from pathlib import Path

import briefgen

briefing = briefgen.load("briefing.yaml")
briefgen.build(briefing, "pdf", "out", paper="A5", templates=[Path("house")], strict=True)
briefgen.render_epub(briefing, vertical=True, disabled_rules="quotes", source_date_epoch=None)
briefgen.render_html(briefing, papr="A5")
briefgen.render_pdf(briefing, marks="no")
"""


def test_a_type_checker_finds_a_misspelt_option_or_a_wrong_value(tmp_path):
    # Typed as **option_values: Any, a pipeline's `papr="A5"` or `marks="no"` passed its
    # type checker, to fail only when the build ran (in production, at night).
    api = pytest.importorskip("mypy.api")
    (tmp_path / "caller.py").write_text(CALLER, encoding="utf-8")
    out, _, status = api.run(
        [
            "--strict",
            "--follow-imports=silent",
            "--no-incremental",
            "--cache-dir=/dev/null",
            str(tmp_path / "caller.py"),
        ]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 2, out
    assert 'caller.py:9: error: Unexpected keyword argument "papr"' in errors[0]
    assert (
        'caller.py:10: error: Argument "marks" to "render_pdf" has incompatible type "str"'
        in (errors[1])
    )
    assert status == 1


@pytest.mark.parametrize("templates", ["", [" "]])
def test_a_template_folder_named_by_an_empty_text_is_refused(tmp_path, monkeypatch, templates):
    """Path("") is the working folder, whose every .html and .css would stand in for
    briefgen's templates: a folder name left empty is refused, not read as that folder."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="a template folder is named by an empty text"):
        BuildOptions(templates=templates)


def test_disabled_rules_switch_off_a_warning_kept_knowingly(tmp_path, caplog):
    """A build's ``disabled_rules`` takes the names of the loader's warnings a writer may
    keep, as ``--no-rule`` does: a briefing ordered by theme passes ``strict=True``."""
    path = tmp_path / "briefing.yaml"
    path.write_text(
        "title: 主題\nevents:\n  - {start: 1961, title: 條約}\n  - {start: 1950, title: 戰爭}\n"
        "  - {start: 2019, title: 會談}\n",
        encoding="utf-8",
    )
    with pytest.raises(briefgen.StrictError, match="1 warning"):
        briefgen.build(path, "html", tmp_path / "refused", strict=True)
    assert "events[1].start: event-order: starts 1950" in caplog.text
    assert not (tmp_path / "refused").exists()
    caplog.clear()
    written = briefgen.build(
        path, "html", tmp_path / "out", strict=True, disabled_rules=("event-order",)
    )
    assert [file.name for file in written] == ["briefing.html"]
    assert "event-order" not in caplog.text  # neither refused nor shown
    with pytest.raises(UsageError, match=r"unknown rule 'event-ordr' \(did you mean 'event-order'"):
        briefgen.build(path, "html", tmp_path / "out", disabled_rules=("event-ordr",))


def test_a_briefing_read_by_the_program_drops_the_warnings_switched_off(tmp_path, caplog):
    """A program that reads the briefing itself, then renders it with ``disabled_rules``,
    was given the warnings it had switched off at that reading: ``load`` and ``loads`` take
    the names too."""
    text = (
        "title: 主題\nevents:\n  - {start: 1961, title: 條約}\n  - {start: 1950, title: 戰爭}\n"
        "  - {start: 2019, title: 會談}\n"
    )
    path = tmp_path / "briefing.yaml"
    path.write_text(text, encoding="utf-8")
    briefgen.load(path)
    assert "event-order" in caplog.text
    caplog.clear()
    briefing = briefgen.load(path, disabled_rules=("event-order",))
    briefgen.loads(text, disabled_rules="event-order")
    briefgen.render_html(briefing, disabled_rules=("event-order",))
    assert caplog.text == ""
    with pytest.raises(UsageError, match=r"unknown rule 'event-ordr' \(did you mean"):
        briefgen.loads(text, disabled_rules=("event-ordr",))


@pytest.mark.parametrize("names", [None, 3, [3], ("quotes", None)])
def test_rule_names_of_the_wrong_type_are_named_as_the_options_are(names):
    """``load``, ``loads`` and ``lint`` failed on them as ``'int' object is not iterable``, or
    as an AttributeError from the spelling hint, naming neither the argument nor what to
    give; ``BuildOptions`` named its own."""
    from briefgen.typography import lint

    text = "title: 主題\nevents: [{start: 1950, title: 戰爭}]\n"
    expected = f"must be a rule's name or a list of names, not {names!r}"
    with pytest.raises(TypeError, match=re.escape(f"disabled_rules {expected}")):
        briefgen.loads(text, disabled_rules=names)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=re.escape(f"disabled {expected}")):
        lint(briefgen.loads(text), names)  # type: ignore[arg-type]


def test_every_warning_rule_is_named_in_the_format_doc():
    """docs/format.md is where a writer looks up what --no-rule takes besides the typography
    rules: each warning's name is listed there, with what it warns of."""
    from briefgen.errors import WARNING_RULES

    doc = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    assert [name for name in WARNING_RULES if f"| `{name}` |" not in doc] == []
