"""The command line: ``briefgen build``, ``check``, ``new`` and ``schema``, and nothing else."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeAlias

from ._version import __version__
from .builders import formats
from .errors import BriefgenError, UsageError, display_path
from .i18n import LANGUAGES
from .options import HANDOUTS, PAPERS, PDF_VARIANTS, BuildOptions

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# The subcommands' parser, as argparse calls it (generic only to type checkers).
_Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

log = logging.getLogger("briefgen")


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse's own way out, for --help, --version and bad usage
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    run: Callable[[argparse.Namespace], int] = args.run
    with _messages_to_stderr(args.debug, getattr(args, "verbose", False)):
        try:
            return run(args)
        except UsageError as error:
            parser.print_usage(sys.stderr)
            print(f"briefgen: error: {error}", file=sys.stderr)
            return EXIT_USAGE
        except BriefgenError as error:
            print(error, file=sys.stderr)
            if args.debug:
                traceback.print_exc()
            return EXIT_FAILED
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
        except Exception as error:  # a bug in briefgen or a library below it
            if args.debug:
                raise
            print(
                f"briefgen: internal error: {type(error).__name__}: {error}\n"
                "    run again with --debug for the full traceback, and please report it",
                file=sys.stderr,
            )
            return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Turn a briefing file (YAML timeline) into a typeset CJK PDF, EPUB 3 or HTML.",
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug", action="store_true", help="show tracebacks and WeasyPrint's own messages"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for add in (_add_build, _add_check, _add_new, _add_schema):
        add(commands, debug)
    parser.set_defaults(debug=False)
    return parser


def _add_check(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    check = commands.add_parser(
        "check",
        parents=[debug],
        help="check a briefing file and report every problem",
        description="Check a briefing file without writing anything.",
    )
    check.add_argument("source", type=Path, metavar="SOURCE", help="the briefing file")
    check.add_argument(
        "--fix",
        action="store_true",
        help="make the typography changes in the file itself, keeping its comments, order "
        "and quoting; the original is kept as SOURCE.bak",
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when there are warnings or typography changes to make",
    )
    _add_rule_switch(check)
    check.set_defaults(run=_check)


def _add_new(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    new = commands.add_parser(
        "new",
        parents=[debug],
        help="start a briefing: a briefing.yaml that shows every field, and its schema",
        description="Write a starter briefing.yaml (and briefing.schema.json, which editors "
        "use to complete and check it) into DIR. Never overwrites a file.",
    )
    new.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="where to write it (default: here)",
    )
    new.add_argument(
        "--lang",
        default="zh-Hant",
        choices=tuple(LANGUAGES),
        help="the starter's language (default: zh-Hant)",
    )
    new.set_defaults(run=_new)


def _add_schema(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    schema = commands.add_parser(
        "schema",
        parents=[debug],
        help="print the JSON Schema of the briefing format",
        description="Print the briefing format as a JSON Schema (draft 2020-12), for editors: "
        "save it next to your briefings and start a briefing with the line "
        "`# yaml-language-server: $schema=briefing.schema.json`.",
    )
    schema.set_defaults(run=_schema)


def _add_build(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    names = formats()
    build = commands.add_parser(
        "build",
        parents=[debug],
        help=f"build a briefing into {', '.join(names)}",
        description="Build a briefing. Outputs are named after the source file's stem.",
    )
    build.add_argument(
        "source",
        nargs="?",
        type=Path,
        metavar="SOURCE",
        help="the briefing file (default: ./briefing.yaml if present, else the bundled sample)",
    )
    build.add_argument(
        "-f",
        "--format",
        action="append",
        choices=(*names, "all"),
        dest="formats",
        metavar="FORMAT",
        help=f"{', '.join(names)} or all; repeat for several (default: pdf)",
    )
    build.add_argument(
        "-o",
        "--outdir",
        type=Path,
        help="folder for the outputs (default: out)",
    )
    build.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say more about the build, such as the bytes of each embedded font subset",
    )
    build.add_argument(
        "--keep-html",
        action="store_true",
        default=None,
        help="with the PDF, also write STEM.print.html: the HTML WeasyPrint lays out",
    )
    _add_pdf_switches(build)
    build.add_argument(
        "--templates",
        type=Path,
        action="append",
        metavar="DIR",
        help="a folder of your own templates and CSS, used before briefgen's; "
        'a template there can extend briefgen\'s as "!builtin/NAME"; '
        "repeat for several",
    )
    _add_rule_switch(build)
    build.set_defaults(run=_build)
    build.epilog = (
        "Defaults for these flags can be kept in ./briefgen.toml or under [tool.briefgen] "
        "in ./pyproject.toml (keys: formats, outdir, paper, handout, marks, pdf-variant, "
        "keep-html, templates, no-rule); flags override them."
    )


def _add_pdf_switches(build: argparse.ArgumentParser) -> None:
    """The flags that shape the PDF: paper, handout, standard, crop marks."""
    build.add_argument(
        "--paper",
        choices=tuple(PAPERS),
        help="paper size of the PDF (default: A4; B5 is JIS B5, 182 x 257 mm)",
    )
    build.add_argument(
        "--handout",
        choices=HANDOUTS,
        help="a handout form of the PDF: booklet (fold and staple) or 2up (two pages a "
        "sheet), on landscape sheets of twice the paper size; or sheet (every event in a line "
        "or two, on the front and back of one sheet)",
    )
    build.add_argument(
        "--pdf-variant",
        choices=PDF_VARIANTS,
        help="the PDF standard: pdf/ua-1 (tagged for screen readers; the default) or "
        "pdf/a-3b (for archives)",
    )
    build.add_argument(
        "--marks",
        action="store_true",
        default=None,
        help="crop marks and 3 mm bleed around each PDF page, for a print shop",
    )


def _add_rule_switch(command: argparse.ArgumentParser) -> None:
    from .typography import rule_names

    command.add_argument(
        "--no-rule",
        action="append",
        choices=rule_names(),
        metavar="RULE",
        help=f"switch a typography rule off ({', '.join(rule_names())}); repeat for several",
    )


class _Prefixed(logging.Handler):
    """Writes log records to the *current* ``sys.stderr`` (tests capture it), prefixed:
    ``warning:`` for warnings, ``briefgen:`` for what ``--verbose`` adds."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def emit(self, record: logging.LogRecord) -> None:
        prefix = self.prefix if record.levelno >= logging.WARNING else "briefgen"
        print(f"{prefix}: {record.getMessage()}", file=sys.stderr)


class _messages_to_stderr:
    """briefgen's warnings (and with ``--debug`` WeasyPrint's messages) on stderr for one
    run: the handlers go when the run ends, so calling :func:`main` again does not print
    every message twice."""

    def __init__(self, debug: bool, verbose: bool = False):
        self.debug, self.verbose = debug, verbose
        self.installed: list[tuple[logging.Logger, logging.Handler]] = []

    def __enter__(self) -> None:
        self.saved = (log.level, log.propagate)
        level = logging.INFO if self.verbose else logging.WARNING
        log.setLevel(logging.DEBUG if self.debug else level)
        log.propagate = False
        self.installed.append((log, _Prefixed("warning")))
        if self.debug:
            self.installed.append((logging.getLogger("weasyprint"), _Prefixed("weasyprint")))
        for logger, handler in self.installed:
            logger.addHandler(handler)

    def __exit__(self, *exc_info: object) -> None:
        for logger, handler in self.installed:
            logger.removeHandler(handler)
        log.level, log.propagate = self.saved


def _default_source() -> Path:
    from .resources import sample_path

    local = Path("briefing.yaml")
    if local.is_file():
        print("briefgen: no SOURCE given, using ./briefing.yaml", file=sys.stderr)
        return local
    print(
        f"briefgen: no SOURCE given and no ./briefing.yaml here, building the bundled "
        f"sample ({sample_path().name})",
        file=sys.stderr,
    )
    return sample_path()


def _build(args: argparse.Namespace) -> int:
    from .config import read_config
    from .pipeline import build, format_names

    config_file, config = read_config(Path.cwd())
    settings = _Settings(args, config)
    # Options are checked (and fail as bad usage) before the source is even looked for.
    try:
        options = BuildOptions(
            paper=settings.get("paper", "A4"),
            handout=settings.get("handout", None),
            pdf_variant=settings.get("pdf_variant", "pdf/ua-1"),
            marks=settings.get("marks", False),
            templates=tuple(settings.get("templates", [])),
            disabled_rules=tuple(settings.get("no_rule", [])),
        )
        formats = format_names(settings.get("formats", ["pdf"]))
    except UsageError as error:
        where = f" (in {display_path(config_file)})" if config_file else ""
        raise UsageError(f"{error}{where}") from None
    if config_file:
        print(f"briefgen: settings from {display_path(config_file)}", file=sys.stderr)
    source = args.source or _default_source()
    if settings.get("keep_html", False):
        formats = [*formats, "print-html"]
    outdir = Path(settings.get("outdir", "out"))
    for path in build(source, formats=formats, outdir=outdir, options=options):
        print(display_path(path))
    return EXIT_OK


class _Settings:
    """A build setting from its flag if given, else from the folder's configuration."""

    def __init__(self, args: argparse.Namespace, config: dict[str, Any]):
        self.args, self.config = args, config

    def get(self, name: str, default: Any) -> Any:
        flag = getattr(self.args, "formats" if name == "formats" else name)
        if flag is not None and flag != []:
            return flag
        return self.config.get(name.replace("_", "-"), default)


def _check(args: argparse.Namespace) -> int:
    from .load import load
    from .pipeline import warn_missing_glyphs
    from .typography import lint

    disabled = BuildOptions(disabled_rules=tuple(args.no_rule or ())).disabled_rules
    warnings = _WarningCounter()
    log.addHandler(warnings)
    try:
        briefing = load(args.source)
        warn_missing_glyphs(briefing)
    finally:
        log.removeHandler(warnings)
    findings = lint(briefing, disabled)
    for line in findings:
        print(line)
    if args.fix and findings:
        from .fix import fix_file

        fields = fix_file(args.source, disabled)
        print(
            f"{display_path(args.source)}: fixed: {len(findings)} typography changes in "
            f"{len(fields)} fields; the original is in {display_path(args.source)}.bak"
        )
        findings = []
    print(
        f"{display_path(args.source)}: ok: {len(briefing.events)} events, "
        f"{len(briefing.people)} people, {len(briefing.sources)} sources"
        + (f"; {len(findings)} typography changes" if findings else "")
    )
    if args.strict and (findings or warnings.count):
        print(
            f"briefgen: --strict: {warnings.count} warnings, {len(findings)} typography "
            "changes; mend the source (or leave out --strict)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _new(args: argparse.Namespace) -> int:
    from .starter import write_starter

    for path in write_starter(args.folder, args.lang):
        print(display_path(path))
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from .schema import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK
