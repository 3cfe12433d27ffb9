"""``templates:`` in a briefing: its own folder of templates, inside the briefing's folder,
searched after ``--templates`` and before a configuration file's folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader

import briefgen
from briefgen.cli import main

BRIEFING = "title: 本地\ntemplates: {folder}\nevents: [{{start: 1950, title: 事件}}]\n"


def _cover(folder: Path, mark: str) -> None:
    """A cover template in ``folder`` that extends briefgen's and leaves ``mark`` in it."""
    (folder / "partials").mkdir(parents=True)
    (folder / "partials" / "cover.html").write_text(
        f'<div class="{mark}">{{% include "!builtin/partials/cover.html" %}}</div>\n',
        encoding="utf-8",
    )


def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_briefings_own_templates_are_used(write_briefing, tmp_path):
    _cover(tmp_path / "house", "house")
    source = write_briefing(BRIEFING.format(folder="house"))
    assert briefgen.load(source).templates == tmp_path / "house"
    [html] = briefgen.build(source, "html", tmp_path / "out")
    assert '<div class="house"><header class="cover">' in _html(html)


def test_a_template_that_extends_the_event_fills_its_blocks(write_briefing, tmp_path):
    # As the README shows it: the event's own template, with a note added to its end.
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "event.html").write_text(
        '{% extends "!builtin/partials/event.html" %}\n'
        '{% block end %}<p class="note">{{ index }}:{{ event.title }}</p>{% endblock %}\n',
        encoding="utf-8",
    )
    source = write_briefing(
        "title: 本地\ntemplates: house\n"
        "events: [{start: 1950, title: 甲, body: 正文}, {start: 1951, title: 乙}]\n"
    )
    # The EPUB too: its documents must stay well-formed XHTML.
    html_file, _ = briefgen.build(source, ["html", "epub"], tmp_path / "out")
    html = _html(html_file)
    assert '<p>正文</p>\n<p class="note">0:甲</p></section>' in html
    assert '<p class="note">1:乙</p></section>' in html


@pytest.mark.parametrize(
    ("folder", "message"),
    [
        ("../elsewhere", 'expected a folder inside the briefing\'s folder, found "../elsewhere"'),
        ("/tmp", 'expected a folder inside the briefing\'s folder, found "/tmp"'),
        ("missing", 'no such folder: "missing"'),
        ("briefing.yaml", 'is a file, not a folder: "briefing.yaml"'),
        # Not the briefing's own folder, whose HTML built there earlier became a template.
        ('""', 'expected a folder\'s path, found ""'),
        ('"  "', 'expected a folder\'s path, found "  "'),
    ],
)
def test_a_folder_outside_or_missing_is_refused_with_its_place(
    write_briefing, tmp_path, folder, message
):
    (tmp_path.parent / "elsewhere").mkdir(exist_ok=True)
    source = write_briefing(BRIEFING.format(folder=folder))
    with pytest.raises(briefgen.BriefingError) as raised:
        briefgen.load(source)
    [problem] = raised.value.problems
    assert (problem.line, problem.column, problem.field) == (2, 12, "templates")
    assert problem.message == message


def test_a_briefing_in_memory_cannot_name_a_folder(tmp_path):
    """Unless it is given the path it stands for, as the hint says (it said to use load(),
    though loads(text, path=…) reads a text in memory as that file)."""
    text = BRIEFING.format(folder="house")
    with pytest.raises(briefgen.BriefingError) as raised:
        briefgen.loads(text)
    [problem] = raised.value.problems
    assert problem.message.startswith("folders need a briefing loaded from a file")
    assert 'briefgen.loads(text, path="dir/briefing.yaml")' in (problem.hint or "")
    (tmp_path / "house").mkdir()
    assert briefgen.loads(text, path=tmp_path / "b.yaml").templates == tmp_path / "house"


def test_templates_flag_then_briefing_then_configuration(write_briefing, tmp_path, monkeypatch):
    """Each of the three folders overrides the same template; the first in the order wins."""
    for name in ("flag", "own", "config"):
        _cover(tmp_path / name, name)
    write_briefing(BRIEFING.format(folder="own"))
    (tmp_path / "briefgen.toml").write_text('templates = ["config"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    build = ["build", "briefing.yaml", "-f", "html"]
    assert main([*build, "--templates", "flag"]) == 0
    assert '<div class="flag"><header' in _html(tmp_path / "out" / "briefing.html")
    assert main(build) == 0
    assert '<div class="own"><header' in _html(tmp_path / "out" / "briefing.html")
    write_briefing(BRIEFING.format(folder="own").replace("templates: own\n", ""))
    assert main(build) == 0
    assert '<div class="config"><header' in _html(tmp_path / "out" / "briefing.html")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_puts_each_briefings_own_templates_before_the_configurations(
    tmp_path, monkeypatch, capsys, jobs
):
    """As a single build does: a batch (several files, or a folder) built the briefing
    that names its own templates with the configuration's instead."""
    for name in ("own", "config"):
        _cover(tmp_path / name, name)
    (tmp_path / "a.yaml").write_text(BRIEFING.format(folder="own"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        BRIEFING.format(folder="own").replace("templates: own\n", ""), encoding="utf-8"
    )
    (tmp_path / "briefgen.toml").write_text('templates = ["config"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "a.yaml", "b.yaml", "-f", "html", "--jobs", jobs]) == 0, (
        capsys.readouterr().err
    )
    assert '<div class="own"><header' in _html(tmp_path / "out" / "a.html")
    assert '<div class="config"><header' in _html(tmp_path / "out" / "b.html")


def test_the_schema_declares_the_field():
    field = briefgen.json_schema()["properties"]["templates"]
    assert field["type"] == ["string", "null"]
    assert "inside its folder" in field["description"]


def test_a_template_changed_between_builds_is_read_again(write_briefing, tmp_path):
    # Templates are checked against their files once per build, not on every use.
    _cover(tmp_path / "house", "house")
    source = write_briefing(BRIEFING.format(folder="house"))
    [html] = briefgen.build(source, "html", tmp_path / "out")
    assert '<div class="house">' in _html(html)
    cover = tmp_path / "house" / "partials" / "cover.html"
    cover.write_text(cover.read_text(encoding="utf-8").replace("house", "street"), "utf-8")
    later = cover.stat().st_mtime + 10  # a change within the file system's clock tick too
    os.utime(cover, (later, later))
    [html] = briefgen.build(source, "html", tmp_path / "out")
    assert '<div class="street">' in _html(html)


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_link_out_of_the_briefings_folder_is_refused(write_briefing, tmp_path, linked):
    """The folder is inside, but a link in it points at a file elsewhere: nothing of that
    file reaches an output, and nothing is written."""
    secret = tmp_path.parent / f"secret-{linked}"
    secret.mkdir(exist_ok=True)
    (secret / "cover.html").write_text("SECRET", encoding="utf-8")
    (tmp_path / "house" / "partials").mkdir(parents=True)
    if linked == "file":
        (tmp_path / "house" / "partials" / "cover.html").symlink_to(secret / "cover.html")
    else:
        (tmp_path / "house" / "partials").rmdir()
        (tmp_path / "house" / "partials").symlink_to(secret)
    source = write_briefing(BRIEFING.format(folder="house"))
    # `check` (the loader) reports it where the folder is named...
    with pytest.raises(briefgen.BriefingError) as raised:
        briefgen.load(source)
    [problem] = raised.value.problems
    assert (problem.line, problem.field) == (2, "templates")
    assert f"holds house/partials{'/cover.html' if linked == 'file' else ''}, a link to " in str(
        problem
    )
    # ...and a link made after the briefing was read is still refused by the build.
    (tmp_path / "house").rename(tmp_path / "later")
    (tmp_path / "house" / "partials").mkdir(parents=True)
    loaded = briefgen.load(source)
    (tmp_path / "house").rename(tmp_path / "empty")
    (tmp_path / "later").rename(tmp_path / "house")
    # (Checked again as the build takes the Briefing, and again as it reads the templates.)
    with pytest.raises(briefgen.BriefgenError, match="outside the briefing's folder"):
        briefgen.build(loaded, "html", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_link_inside_the_briefings_folder_is_followed(write_briefing, tmp_path):
    _cover(tmp_path / "shared", "shared")
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "partials").symlink_to(tmp_path / "shared" / "partials")
    source = write_briefing(BRIEFING.format(folder="house"))
    [html] = briefgen.build(source, "html", tmp_path / "out")
    assert '<div class="shared">' in _html(html)


def test_the_briefings_templates_run_in_the_sandbox(write_briefing, tmp_path, capsys):
    """A briefing's templates come with a file from anyone: they cannot reach Python's
    internals (here, the os module), and the error names the template's line."""
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        "<header>\n{{ cycler.__init__.__globals__.os.popen('echo RAN').read() }}\n</header>\n",
        encoding="utf-8",
    )
    source = write_briefing(BRIEFING.format(folder="house"))
    assert main(["build", "-f", "html", "-o", str(tmp_path / "out"), str(source)]) == 1
    err = capsys.readouterr().err
    assert "house/partials/cover.html:2: template error: access to attribute '__init__'" in err
    assert not (tmp_path / "out").exists()
    # The same template among the user's own (--templates) is the user's own code.
    (source.parent / "briefing.yaml").write_text(
        "title: 本地\nevents: [{start: 1950, title: 事件}]\n", encoding="utf-8"
    )
    [html] = briefgen.build(source, "html", tmp_path / "out", templates=(tmp_path / "house",))
    assert "RAN" in _html(html)


@pytest.mark.parametrize(
    "call",
    [
        'briefing.path.parent.parent.joinpath("secret.txt").read_text()',
        'briefing.path.with_name("written.txt").write_text("x")',
        "briefing.path.parent.iterdir()|list",
        "briefing.templates.exists()",
    ],
)
def test_the_briefings_templates_cannot_read_or_write_files_through_a_path(
    write_briefing, tmp_path, call
):
    """The paths in the context (the briefing's, its images', its templates') have methods
    that read, list and write files: a briefing's template reaches none of them, only the
    names."""
    (tmp_path.parent / "secret.txt").write_text("SECRET", encoding="utf-8")
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        f"<header>{{{{ briefing.path.name }}}}\n{{{{ {call} }}}}\n</header>\n", encoding="utf-8"
    )
    source = write_briefing(BRIEFING.format(folder="house"))
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.build(source, "html", tmp_path / "out")
    assert "house/partials/cover.html:2: template error: access to attribute" in str(raised.value)
    assert not (tmp_path / "written.txt").exists()
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        '<p class="named">{{ briefing.path.name }} {{ briefing.templates.parent.name }}</p>\n',
        encoding="utf-8",
    )
    [html] = briefgen.build(source, "html", tmp_path / "out")
    assert f'<p class="named">briefing.yaml {tmp_path.name}</p>' in _html(html)


def test_the_briefings_templates_show_no_picture_but_its_events(write_briefing, tmp_path):
    """``image_src`` of an object of the template's own, whose ``image`` is a file outside
    the briefing's folder, would have read that file into the HTML."""
    (tmp_path.parent / "secret.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><title>SECRET</title></svg>', encoding="utf-8"
    )
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        '{% set forged = namespace(image=briefing.path.parent.parent.joinpath("secret.svg")) %}\n'
        '<img src="{{ image_src(forged) }}">\n',
        encoding="utf-8",
    )
    source = write_briefing(BRIEFING.format(folder="house"))
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.build(source, "html", tmp_path / "out")
    assert "house/partials/cover.html:2: template error: image_src() shows the images of" in str(
        raised.value
    )


def test_the_briefings_templates_attach_no_file_to_the_pdf(write_briefing, tmp_path):
    """A file of the briefing's folder linked with rel="attachment" was embedded in the PDF,
    unseen on the page: a briefing received from someone, built in a folder of one's own
    files, carried them out. The folder given as one's own templates still may."""
    (tmp_path / "notes.txt").write_text("private notes", encoding="utf-8")
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        '<header><a rel="attachment" href="notes.txt">notes</a></header>\n', encoding="utf-8"
    )
    source = write_briefing(BRIEFING.format(folder="house"))
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.build(source, "pdf", tmp_path / "out")
    assert 'a briefing\'s own templates attach no files to the PDF (rel="attachment")' in str(
        raised.value
    )
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    plain = write_briefing(
        BRIEFING.format(folder="none").replace("templates: none\n", ""), name="plain.yaml"
    )
    [pdf] = briefgen.build(plain, "pdf", tmp_path / "mine", templates=tmp_path / "house")
    # Embedded in a file attachment annotation where the link is.
    files = [
        annotation.get_object()["/FS"]["/EF"]["/F"].get_object().get_data()
        for page in PdfReader(pdf).pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object()["/Subtype"] == "/FileAttachment"
    ]
    assert files == [b"private notes"]


@pytest.mark.parametrize(
    ("cover", "message"),
    [
        (
            "<header>\n\n{{ no_such_name }}\n</header>\n",
            "house/partials/cover.html:3: template error: 'no_such_name' is undefined",
        ),
        (
            '<div>\n{% include "partials/nope.html" %}\n</div>\n',
            "house/partials/cover.html:2: template 'partials/nope.html' not found in "
            "{house} or briefgen's own",
        ),
        # briefgen's own are the only ones looked in for a !builtin/ name.
        (
            '{% extends "!builtin/partials/cover2.html" %}\n',
            "house/partials/cover.html:1: template '!builtin/partials/cover2.html' not found in "
            "briefgen's own",
        ),
        # An expression that fails in Python is the template's error, not briefgen's bug.
        (
            "<header>\n{{ 1 / 0 }}\n</header>\n",
            "house/partials/cover.html:2: template error: ZeroDivisionError: division by zero",
        ),
        (
            "<header>\n\n{% for n in range(10 ** 9) %}{% endfor %}\n</header>\n",
            "house/partials/cover.html:3: template error: OverflowError: Range too big. The "
            "sandbox blocks ranges larger than MAX_RANGE (100000).",
        ),
        # A few characters that would take gigabytes, or hours, are refused as the range is.
        (
            '<header>\n{{ "x" * 10 ** 10 }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string or list "
            "longer than 1,000,000 with *",
        ),
        (
            "<header>\n{{ ([0] * 10 ** 10)|length }}\n</header>\n",
            "house/partials/cover.html:2: template error: the sandbox makes no string or list "
            "longer than 1,000,000 with *",
        ),
        (
            "<header>\n{{ 10 ** (10 ** 9) }}\n</header>\n",
            "house/partials/cover.html:2: template error: the sandbox makes no number of more "
            "than 1,000,000 bits with **",
        ),
        # Jinja's filters, lipsum and a format's width make a huge string from a number too.
        (
            '<header>\n{{ "x"|center(10**9) }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with center",
        ),
        (
            '<header>\n{{ "x"|indent(10**9, first=True) }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with indent",
        ),
        (
            '<header>\n{{ "{:>999999999}".format(1) }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with a format's width",
        ),
        (
            '<header>\n{{ "{:>{}}".format(1, 10**9) }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with a format's width",
        ),
        (
            '<header>\n{{ "%999999999d"|format(1) }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with a format's width",
        ),
        (
            '<header>\n{{ "%999999999d" % 1 }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with a format's width",
        ),
        (
            "<header>\n{{ lipsum(10**5) }}\n</header>\n",
            "house/partials/cover.html:2: template error: the sandbox makes no lipsum of more "
            "than 1,000,000 words",
        ),
        # A string's own methods, from a number or a short argument.
        (
            '<header>\n{{ "x".ljust(10**9)|length }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with ljust",
        ),
        (
            '<header>\n{{ "x".zfill(width=10**9) }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with zfill",
        ),
        (
            '<header>\n{{ "a\tb".expandtabs(10**9) }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with expandtabs",
        ),
        (
            '<header>\n{{ ("a" * 10**4).replace("a", "b" * 10**5)|length }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with replace",
        ),
        (
            '<header>\n{{ ("a" * 10**4)|replace("a", "b" * 10**5)|length }}\n</header>\n',
            "house/partials/cover.html:2: template error: the sandbox makes no string longer "
            "than 1,000,000 with replace",
        ),
    ],
    ids=[
        "missing name",
        "missing template",
        "missing builtin",
        "division by zero",
        "sandbox's range",
        "long string",
        "long list",
        "large number",
        "center",
        "indent",
        "str.format width",
        "str.format nested width",
        "format filter width",
        "% width",
        "lipsum",
        "ljust",
        "zfill",
        "expandtabs",
        "replace",
        "replace filter",
    ],
)
def test_a_template_error_names_the_templates_line(write_briefing, tmp_path, cover, message):
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "cover.html").write_text(cover, encoding="utf-8")
    source = write_briefing(BRIEFING.format(folder="house"))
    with pytest.raises(briefgen.BuildError) as raised:
        briefgen.build(source, "html", tmp_path / "out")
    assert str(raised.value).splitlines()[0].endswith(message.format(house=tmp_path / "house"))


def test_the_sandbox_still_centres_indents_and_formats(write_briefing, tmp_path):
    (tmp_path / "house" / "partials").mkdir(parents=True)
    (tmp_path / "house" / "partials" / "cover.html").write_text(
        '<p class="ordinary">[{{ "x"|center(5) }}|{{ "{:>5}".format(1) }}|'
        '{{ "%5d"|format(2) }}|{{ "%03d" % 3 }}|{{ "a\nb"|indent(2, first=True) }}|'
        "{{ lipsum(1, html=False)|length > 0 }}|"
        '{{ "x".ljust(3) }}|{{ "7".zfill(3) }}|'
        '{{ "a\tb".expandtabs(2) }}|{{ ("ab" * 3).replace("a", "c", 2) }}|'
        '{{ "a<b"|replace("<", "&") }}]</p>\n',
        encoding="utf-8",
    )
    source = write_briefing(BRIEFING.format(folder="house"))
    [html] = briefgen.build(source, "html", tmp_path / "out")
    assert (
        '<p class="ordinary">[  x  |    1|    2|003|  a\n  b|True|x  |007|a b|cbcbab|a&amp;b]</p>'
        in (_html(html))
    )


def test_an_empty_folder_name_does_not_make_the_briefings_folder_its_templates(
    write_briefing, tmp_path
):
    """`templates: ""` was read as the briefing's own folder: an HTML built into it before
    (-o .) was then the template the PDF was laid out from, the screen page's markup and
    styles with WeasyPrint's warnings of them. The schema, which editors check by, refuses
    it too."""
    source = write_briefing(BRIEFING.format(folder='""'))
    (tmp_path / "briefing.html").write_text("<p>an old build</p>\n", encoding="utf-8")
    with pytest.raises(briefgen.BriefingError) as raised:
        briefgen.build(source, "html", tmp_path / "out")
    [problem] = raised.value.problems
    assert problem.field == "templates" and "leave templates: out" in (problem.hint or "")
    assert not (tmp_path / "out").exists()
