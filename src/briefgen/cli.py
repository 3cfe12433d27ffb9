"""The command line: ``briefgen build`` and ``briefgen check``, and nothing else."""

from __future__ import annotations

import argparse
import logging
import sys
import traceback
from pathlib import Path

from . import __version__
from .builders import FORMATS
from .errors import BriefgenError, display_path

# Bad usage exits with 2, which argparse does by itself.
EXIT_OK, EXIT_FAILED = 0, 1

log = logging.getLogger("briefgen")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)  # exits with status 2 on bad usage
    _configure_logging(args.debug)
    try:
        return args.run(args)
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
        print(f"briefgen: internal error: {type(error).__name__}: {error}\n"
              "    run again with --debug for the full traceback, and please report it",
              file=sys.stderr)
        return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Turn a briefing file (YAML timeline) into a typeset CJK PDF, EPUB 3 or HTML.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument("--debug", action="store_true",
                       help="show tracebacks and WeasyPrint's own messages")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    build = commands.add_parser(
        "build", parents=[debug], help="build a briefing into PDF, EPUB and/or HTML",
        description="Build a briefing. Outputs are named after the source file's stem.")
    build.add_argument("source", nargs="?", type=Path, metavar="SOURCE",
                       help="the briefing file (default: ./briefing.yaml if present, "
                            "else the bundled sample)")
    build.add_argument("-f", "--format", action="append", choices=(*FORMATS, "all"),
                       dest="formats", metavar="FORMAT",
                       help="pdf, epub, html or all; repeat for several (default: pdf)")
    build.add_argument("-o", "--outdir", type=Path, default=Path("out"),
                       help="folder for the outputs (default: out)")
    build.set_defaults(run=_build)

    check = commands.add_parser(
        "check", parents=[debug], help="check a briefing file and report every problem",
        description="Check a briefing file without writing anything.")
    check.add_argument("source", type=Path, metavar="SOURCE", help="the briefing file")
    check.set_defaults(run=_check)
    parser.set_defaults(debug=False)
    return parser


def _configure_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if debug else logging.WARNING)
    log.propagate = False
    if debug:
        weasyprint_handler = logging.StreamHandler(sys.stderr)
        weasyprint_handler.setFormatter(logging.Formatter("weasyprint: %(message)s"))
        logging.getLogger("weasyprint").addHandler(weasyprint_handler)


def _default_source() -> Path:
    from .resources import sample_path

    local = Path("briefing.yaml")
    if local.is_file():
        print("briefgen: no SOURCE given, using ./briefing.yaml", file=sys.stderr)
        return local
    print(f"briefgen: no SOURCE given and no ./briefing.yaml here, building the bundled "
          f"sample ({sample_path().name})", file=sys.stderr)
    return sample_path()


def _build(args: argparse.Namespace) -> int:
    from .build import build

    formats = args.formats or ["pdf"]
    if "all" in formats:
        formats = list(FORMATS)
    source = args.source or _default_source()
    for path in build(source, formats=formats, outdir=args.outdir):
        print(display_path(path))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .build import warn_missing_glyphs
    from .load import load

    briefing = load(args.source)
    warn_missing_glyphs(briefing)
    print(f"{display_path(args.source)}: ok: {len(briefing.events)} events, "
          f"{len(briefing.people)} people, {len(briefing.sources)} sources")
    return EXIT_OK
