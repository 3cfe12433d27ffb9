"""The package's public names: each the documented object, imported only when first used."""

from __future__ import annotations

import importlib
import pkgutil
import types

import pytest

import briefgen
from conftest import REPO, printed_words


def test_every_public_name_is_its_object_once_every_submodule_is_imported():
    # Importing a submodule sets the package attribute of its name; none may hide a name.
    for module in pkgutil.walk_packages(briefgen.__path__, "briefgen."):
        if module.name.endswith("__main__"):
            continue
        importlib.import_module(module.name)
    for name in briefgen.__all__:
        value = getattr(briefgen, name)
        assert not isinstance(value, types.ModuleType), name
    assert briefgen.load is importlib.import_module("briefgen.load").load
    assert briefgen.build is importlib.import_module("briefgen.pipeline").build
    assert set(briefgen.__all__) <= set(dir(briefgen))


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        briefgen.no_such_name  # noqa: B018


def test_help_and_check_leave_the_builders_unimported(tmp_path):
    # What keeps `briefgen --help` and `briefgen check` quick: neither imports WeasyPrint,
    # Jinja or the Markdown parser for a briefing the fonts draw whole.
    code = (
        "import sys, contextlib, io\n"
        "from briefgen.cli import main\n"
        "sys.argv = ['briefgen', 'check', briefgen_sample]\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main() == 0\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    setup = f"briefgen_sample = {str(briefgen.sample_path())!r}\n"
    modules = printed_words(setup + code)
    for heavy in (
        "weasyprint",
        "jinja2",
        "ebooklib",
        "fontTools",
        "markdown_it",
        "briefgen.pipeline",
        # The formats' lookup, which reads every installed package's metadata.
        "briefgen.builders",
    ):
        assert heavy not in modules


def test_help_names_the_typography_rules_without_importing_them():
    # Compiling the rules' expressions took a fifth of `briefgen --help`, which only lists
    # their names (the --no-rule choices).
    code = (
        "import sys, contextlib, io\n"
        "from briefgen.cli import main\n"
        "sys.argv = ['briefgen', 'build', '--help']\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    main()\n"
        "assert 'punctuation-width' in out.getvalue(), out.getvalue()\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    modules = printed_words(code)
    assert "briefgen.typography" in modules
    for rule in ("quotes", "unbreakables", "punctuation_width", "segment_breaks"):
        assert f"briefgen.typography.{rule}" not in modules
    # Nor what only a builder's import needs (ctypes, for WeasyPrint's libraries).
    assert "briefgen.libraries" not in modules


def test_the_readme_names_every_error_the_library_raises():
    """A pipeline catches what the README tells it of: every public exception is named in
    its Library section, each a BriefgenError."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    library = readme.split("## Library", 1)[1].split("\n## ", 1)[0]
    errors = [name for name in briefgen.__all__ if name.endswith("Error")]
    assert errors
    for name in errors:
        assert f"briefgen.{name}" in library or f"`{name}`" in library, name
        assert issubclass(getattr(briefgen, name), briefgen.BriefgenError)


def test_no_message_sends_the_user_to_a_file_the_wheel_does_not_carry():
    """An installed briefgen has no docs/ folder: a hint that says "see docs/format.md"
    points at nothing. Every string briefgen can print (its string constants, docstrings
    left out) names commands instead."""
    import ast

    found = []
    for path in sorted((REPO / "src" / "briefgen").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and "docs/" in node.value
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value[:60]}")
    assert found == []


def test_a_batchs_outcome_is_named_by_the_package():
    # build_many returns a list of them and calls `done` with each: a typed pipeline names
    # the type in its own signatures (def report(outcome: briefgen.Outcome) -> None).
    from briefgen.pipeline import Outcome

    assert "Outcome" in briefgen.__all__
    assert briefgen.Outcome is Outcome


def test_the_keyword_options_type_is_named_by_the_package():
    # A pipeline that gathers its options in a dict before the call types it as
    # `values: briefgen.OptionValues = {"paper": "A5"}`, then `briefgen.build(src, **values)`;
    # it had to import briefgen.options, a module the README never names, to do so.
    from briefgen.options import OptionValues

    assert "OptionValues" in briefgen.__all__
    assert briefgen.OptionValues is OptionValues


def test_the_edition_function_is_named_by_the_package():
    # A pipeline that makes the Simplified edition of a Traditional briefing found it only
    # in briefgen.editions, a module the package did not name: the README imported it from
    # there, apart from everything else its Library section calls as briefgen.NAME.
    from briefgen.editions import edition

    assert "edition" in briefgen.__all__
    assert briefgen.edition is edition
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    library = readme.split("## Library", 1)[1].split("\n## ", 1)[0]
    assert "briefgen.edition(briefing, " in library
    assert "from briefgen.editions import" not in library


@pytest.mark.slow
def test_the_readme_library_example_runs(tmp_path):
    """README's Library section, copied into a script as a new user would, runs to its end
    beside the files it names (its `briefgen.loads(text)` read a `text` it never made)."""
    import shutil
    import subprocess
    import sys

    from briefgen.starter import write_starter

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    library = readme.split("## Library", 1)[1].split("\n## ", 1)[0]
    example = library.split("```python\n", 1)[1].split("```", 1)[0]
    write_starter(tmp_path, "zh-Hant")
    shutil.copy(tmp_path / "briefing.yaml", tmp_path / "a.yaml")
    write_starter(tmp_path / "b", "ja")
    (tmp_path / "my-templates").mkdir()
    done = "\nprint(sorted(path.name for path in Path('out').iterdir()), len(failed))\n"
    run = subprocess.run(
        [sys.executable, "-c", example + done],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[-2] == (
        "['a.pdf', 'briefing.epub', 'briefing.html', 'briefing.pdf', 'briefing.zh-Hans.pdf'] 0"
    )


def test_the_readme_names_every_parameter_of_the_library():
    """A caller learns the library from the README's Library section: every parameter of
    its functions and every build option is named there (stem=, build_many's done=, loads'
    path= and the options handout, pdf_variant and vertical were named nowhere)."""
    import dataclasses
    import inspect

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    library = readme.split("## Library", 1)[1].split("\n## ", 1)[0]
    names = {field.name for field in dataclasses.fields(briefgen.BuildOptions)}
    for name in briefgen.__all__:
        value = getattr(briefgen, name)
        if inspect.isfunction(value):
            parameters = inspect.signature(value).parameters.values()
            # The first, positional, is the briefing or its source, which the examples show.
            names |= {p.name for p in parameters if p.kind is p.KEYWORD_ONLY}
    unnamed = [
        name for name in sorted(names) if f"`{name}" not in library and f"{name}=" not in library
    ]
    assert unnamed == []


@pytest.mark.slow
def test_the_readmes_before_and_after_pictures_can_be_made_again(tmp_path):
    """`python docs/typesetting/make_images.py`, which the README gives for its typesetting
    pictures, stopped with pdftoppm's "Wrong page range": it cut them from page 2, and the
    whole example briefing now fits on page 1. The events are found where they are."""
    import importlib.util
    import shutil

    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("needs poppler's pdftoppm")
    spec = importlib.util.spec_from_file_location(
        "make_images", REPO / "docs" / "typesetting" / "make_images.py"
    )
    assert spec is not None and spec.loader is not None
    make_images = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_images)
    for name, pdf in (("before", make_images.before()), ("after", make_images.after())):
        make_images.page_image(pdf, tmp_path / name)
        with Image.open(tmp_path / f"{name}.png") as picture:
            assert picture.size == (make_images.WIDTH, make_images.HEIGHT)
