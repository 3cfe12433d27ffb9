"""The command line: ``briefgen build``, ``check``, ``watch``, ``fonts``, ``new``, ``schema``
and ``templates``, and nothing else."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from ._version import __version__
from .errors import (
    HELD,
    WARNING_RULES,
    BriefgenError,
    BriefingError,
    BuildError,
    SettingsClash,
    UsageError,
    counting,
    display_path,
    silencing,
    warnings_capped,
)
from .i18n import LANGUAGES
from .model import Briefing, Fonts
from .options import HANDOUTS, PAPERS, PDF_VARIANTS, BuildOptions

if TYPE_CHECKING:
    from .pipeline import CommandLine, Outcome

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# The subcommands' parser, as argparse calls it (generic only to type checkers).
_Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

log = logging.getLogger("briefgen")


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); the exit status."""
    parser = _parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            # argparse tells them with the top-level usage (`briefgen: error: unrecognized
            # arguments: --pdf`), though the command read them: its own usage says what
            # it takes.
            command: argparse.ArgumentParser = getattr(args, "usage_parser", parser)
            command.error(_unrecognized(command, unknown))
    except SystemExit as exit_:  # argparse's own way out, for --help, --version and bad usage
        return exit_.code if isinstance(exit_.code, int) else EXIT_USAGE
    # --debug before the command (briefgen --debug check …) as after it.
    args.debug = args.debug or args.debug_first
    run: Callable[[argparse.Namespace], int] = args.run
    with _messages_to_stderr(args.debug, getattr(args, "verbose", False)):
        try:
            return run(args)
        except UsageError as error:
            usage_parser: argparse.ArgumentParser = getattr(args, "usage_parser", parser)
            usage_parser.print_usage(sys.stderr)
            told = error.told_on_command_line()  # its flags, not a library call's keywords
            print(f"{usage_parser.prog}: error: {told}", file=sys.stderr)
            return EXIT_USAGE
        except BriefgenError as error:
            # check lists every problem: that is what it is for. Elsewhere a screen's worth.
            shown = (
                error.shown()
                if isinstance(error, BriefingError) and run is not _check
                else error.told_on_command_line()
            )
            print(shown, file=sys.stderr)
            if args.debug:
                traceback.print_exc()
            return EXIT_FAILED
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
        except OSError as error:
            if isinstance(error, BrokenPipeError):
                # The reader of our output went away (`briefgen fonts | head`): nothing is
                # wrong with the briefing, and the shell's convention is SIGPIPE's status.
                _silence_stdout()
                return 128 + 13
            if args.debug:
                raise
            # A file briefgen could not read or write, where no command says more: the
            # system's own words, with the file's name, are the message.
            name = error.filename
            where = f"{display_path(Path(os.fsdecode(name)))}: " if isinstance(name, str) else ""
            print(f"briefgen: {where}{error.strerror or error}", file=sys.stderr)
            return EXIT_FAILED
        except Exception as error:  # a bug in briefgen or a library below it
            if args.debug:
                raise
            print(
                f"briefgen: internal error: {type(error).__name__}: {error}\n"
                "    run again with --debug for the full traceback, and please report it",
                file=sys.stderr,
            )
            return EXIT_FAILED


def _unrecognized(command: argparse.ArgumentParser, unknown: list[str]) -> str:
    """argparse's words for arguments no command takes, with a hint where they are one
    SOURCE too many (`briefgen check *.yaml`)."""
    message = f"unrecognized arguments: {' '.join(unknown)}"
    if "--pdf" in unknown and command.prog == "briefgen build":
        hint = "the PDF is what build makes by default; beside other formats, add -f pdf"
        return f"{message}\n    hint: {hint}"
    if any(argument.startswith("-") for argument in unknown):
        return message
    positional = [action for action in command._actions if not action.option_strings]
    if not positional:
        return f"{message}\n    hint: {command.prog} takes no arguments"
    if positional[0].nargs in (None, "?"):
        takes = f"{command.prog} takes one {positional[0].metavar or positional[0].dest}"
        return f"{message}\n    hint: {takes}; run it once for each"
    return message


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's own flush at
    exit does not hit the closed pipe again and print a second error."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen",
        description="Turn a briefing file (YAML timeline) into a typeset CJK PDF, EPUB 3 or HTML.",
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    # Its own name: a command's --debug default would overwrite the value otherwise.
    parser.add_argument(
        "--debug",
        dest="debug_first",
        action="store_true",
        help="show tracebacks and WeasyPrint's own messages (also after the command)",
    )
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug", action="store_true", help="show tracebacks and WeasyPrint's own messages"
    )
    commands = cast(
        _Commands,
        parser.add_subparsers(
            title="commands", metavar="COMMAND", required=True, parser_class=_Command
        ),
    )
    for add in (
        _add_build,
        _add_check,
        _add_watch,
        _add_fonts,
        _add_new,
        _add_schema,
        _add_templates,
    ):
        add(commands, debug)
    parser.set_defaults(debug=False)
    return parser


class _Command(argparse.ArgumentParser):
    """A subcommand's parser, whose arguments can be added when it is used or its help
    shown rather than when the command line is read: `build` and `watch` list the formats
    installed packages add, which takes reading every package's metadata (30 ms, a twentieth
    of `briefgen check`, which needs none of it)."""

    def __init__(
        self,
        *args: Any,
        arguments: Callable[[argparse.ArgumentParser], None] | None = None,
        **kwargs: Any,
    ):
        # No flag is taken by the start of its name: `build --pdf`, watch's flag, was read
        # as --pdf-variant ("expected one argument", or its SOURCE taken for the variant),
        # and a script's abbreviation would change meaning with the next flag added.
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._arguments = arguments
        # A usage error found after parsing (options that do not combine) shows this
        # command's usage, as argparse's own errors do, not the top-level one.
        self.set_defaults(usage_parser=self)

    def _add_arguments(self) -> None:
        if self._arguments is not None:
            add, self._arguments = self._arguments, None
            add(self)

    def parse_known_args(  # type: ignore[override]
        self, args: Any = None, namespace: Any = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self._add_arguments()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self._add_arguments()
        return super().format_usage()

    def format_help(self) -> str:
        self._add_arguments()
        return super().format_help()


class _FormatChoice(argparse.Action):
    """``-f/--format``, repeatable, one of the formats ``names()`` gives. Those installed
    packages add are read from every package's metadata (40 ms of a build), so the names are
    asked for only when the help is shown or a name is not one of ``builtin``, briefgen's
    own."""

    def __init__(
        self,
        option_strings: list[str],
        dest: str,
        names: Callable[[], Sequence[str]],
        builtin: Collection[str],
        describe: Callable[[Sequence[str]], str],
        **kwargs: Any,
    ) -> None:
        self.names = names
        self.builtin = builtin
        self.describe = describe
        super().__init__(option_strings, dest, **kwargs)

    @property
    def help(self) -> str:
        return self.describe(self.names())

    @help.setter
    def help(self, value: object) -> None:
        pass  # argparse.Action sets it; the text is made from names() when shown

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        if values not in self.builtin and values not in (names := self.names()):
            choices = ", ".join(map(repr, names))
            message = f"invalid choice: {values!r} (choose from {choices})"
            # `-f pdf,epub`, as many programs take a list: each format is one --format.
            parts = [part for part in re.split(r"[,;\s]+", values) if part]
            if len(parts) > 1 and all(part in names for part in parts):
                each = " ".join(f"{option_string or '-f'} {part}" for part in parts)
                message += f"\n    hint: give one format each time: {each}"
            elif values in ("html", "all"):  # watch's, which builds the HTML every time
                others = " ".join(f"{option_string or '-f'} {name}" for name in names)
                message += f"\n    hint: watch builds the HTML every time; add others as {others}"
            raise argparse.ArgumentError(self, message)
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or []), values])


def _add_font_flag(parser: argparse.ArgumentParser) -> None:
    """``--font ROLE=FILE``: for build, and for check and fonts, which report what those
    fonts draw."""
    parser.add_argument(
        "--font",
        action="append",
        type=_font_flag,
        metavar="ROLE=FILE",
        help="a font file of your own for body or heading text, inside the briefing's folder "
        "(as fonts: in the briefing, which it overrides); repeat for both",
    )


def _add_check(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    check = commands.add_parser(
        "check",
        parents=[debug],
        help="check a briefing file and report every problem",
        description="Check a briefing file and list the typography changes a build makes, "
        "writing nothing (with --fix, making those changes in the file).",
    )
    check.add_argument("source", type=Path, metavar="SOURCE", help="the briefing file")
    check.add_argument(
        "--fix",
        action="store_true",
        help="make the typography changes in the file itself, keeping its comments, order "
        "and quoting; the original is kept as SOURCE.bak (.bak.2, … if there is one)",
    )
    check.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="exit with status 1 when there are warnings or typography changes to make",
    )
    _add_rule_switch(check)
    _add_config_switch(check)
    _add_font_flag(check)
    check.set_defaults(run=_check)


def _add_new(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    new = commands.add_parser(
        "new",
        parents=[debug],
        help="start a briefing: a briefing.yaml that shows every field, and its schema",
        description="Write a starter briefing.yaml (and briefing.schema.json, which editors "
        "use to complete and check it) into DIR, or the starter as FILE.yaml with the schema "
        "beside it. Never overwrites a file.",
    )
    new.add_argument(
        "folder",
        nargs="?",
        type=_new_target,
        default=Path("."),
        metavar="DIR | FILE.yaml",
        help="where to write it (default: here)",
    )
    new.add_argument(
        "--lang",
        default="zh-Hant",
        type=_any_case(LANGUAGES),
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


def _add_watch(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    commands.add_parser(
        "watch",
        parents=[debug],
        arguments=_watch_arguments,
        help="rebuild on every save and preview the HTML in a browser",
        description="Build the briefing's HTML (and any --format) on every save of the "
        "briefing, its images, its fonts or its templates, and serve it at "
        "http://127.0.0.1:PORT/, where the page reloads itself after each rebuild. A save "
        "with errors shows them here and on the page, over the last good preview. Ctrl-C "
        "stops.",
    )


def _watch_arguments(watch: argparse.ArgumentParser) -> None:
    from .builders import BUILTIN, formats

    watch.add_argument(
        "source",
        nargs="?",
        type=Path,
        metavar="SOURCE",
        help="the briefing file (default: ./briefing.yaml)",
    )
    watch.add_argument(
        "-f",
        "--format",
        action=_FormatChoice,
        names=lambda: [name for name in formats() if name != "html"],
        builtin=[name for name in BUILTIN if name != "html"],
        dest="formats",
        metavar="FORMAT",
        describe=lambda names: f"also rebuild {', '.join(names)}; repeat for several",
    )
    watch.add_argument(
        "--pdf",
        action="append_const",
        const="pdf",
        dest="formats",
        help="also rebuild the PDF (same as -f pdf)",
    )
    watch.add_argument(
        "-o", "--outdir", type=_outdir_flag, help="folder for the outputs (default: out)"
    )
    watch.add_argument(
        "--port",
        type=int,
        default=8000,
        help="the preview's port (default: 8000, or the next free one; 0: any free port)",
    )
    watch.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to serve on (default: 127.0.0.1, this machine only)",
    )
    watch.add_argument(
        "--templates",
        type=_folder_flag,
        action="append",
        metavar="DIR",
        help="a folder of your own templates and CSS, as for build; repeat for several",
    )
    _add_rule_switch(watch)
    _add_config_switch(watch)
    # Settings watch has no flag for come from ./briefgen.toml only.
    watch.set_defaults(
        run=_watch, paper=None, handout=None, pdf_variant=None, marks=None, keep_html=None
    )


def _add_fonts(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    fonts = commands.add_parser(
        "fonts",
        parents=[debug],
        help="list the fonts a briefing is set in, their licences and coverage",
        description="List the fonts the briefing is set in: their files, versions and "
        "licences, and which of the briefing's characters each one cannot draw.",
    )
    fonts.add_argument(
        "source",
        nargs="?",
        type=Path,
        metavar="SOURCE",
        help="the briefing file (default: ./briefing.yaml if present, else the bundled sample)",
    )
    _add_font_flag(fonts)
    # The warnings the folder's build switches off are not told here either.
    _add_rule_switch(fonts)
    _add_config_switch(fonts)
    fonts.set_defaults(run=_fonts)


def _add_templates(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    templates = commands.add_parser(
        "templates",
        parents=[debug],
        help="work with templates: export briefgen's own to start a house style",
        description="Templates and CSS of your own, used with build --templates DIR.",
    )
    actions = templates.add_subparsers(title="actions", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[debug],
        help="copy briefgen's templates and CSS into DIR, to edit",
        description="Copy briefgen's own templates and CSS into DIR as a starting point. "
        "Keep only the files you change: briefgen finds the others among its own.",
    )
    export.add_argument("folder", type=_export_folder, metavar="DIR", help="where to copy them")
    export.add_argument(
        "--force", action="store_true", help="replace files that are already in DIR"
    )
    export.set_defaults(run=_export_templates)


def _add_build(commands: _Commands, debug: argparse.ArgumentParser) -> None:
    commands.add_parser(
        "build",
        parents=[debug],
        arguments=_build_arguments,
        # The formats installed packages add are listed by `build --help`.
        help="build a briefing into a PDF, an EPUB or HTML",
        description="Build a briefing. Outputs are named after the source file's stem.",
    )


def _build_arguments(build: argparse.ArgumentParser) -> None:
    from .builders import BUILTIN, formats

    build.add_argument(
        "source",
        nargs="*",
        type=Path,
        metavar="SOURCE",
        help="the briefing file (default: ./briefing.yaml if present, else the bundled "
        "sample); several files, or a folder for every *.yaml in it, build as a batch",
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="build a batch N briefings at a time, in N worker processes (default: 1)",
    )
    build.add_argument(
        "-f",
        "--format",
        action=_FormatChoice,
        names=lambda: (*formats(), "all"),
        builtin=(*BUILTIN, "all"),
        dest="formats",
        metavar="FORMAT",
        describe=lambda names: f"{', '.join(names[:-1])} or all; repeat for several (default: pdf)",
    )
    build.add_argument(
        "-o",
        "--outdir",
        type=_outdir_flag,
        help="folder for the outputs (default: out), each named after its source",
    )
    build.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say more about the build, such as the bytes of each embedded font subset",
    )
    build.add_argument(
        "--keep-html",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also write STEM.print.html, the HTML WeasyPrint lays the PDF out from (with "
        "any --format: to time or inspect WeasyPrint's part alone)",
    )
    _add_pdf_switches(build)
    build.add_argument(
        "--vertical",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="set the EPUB in vertical lines, right to left (zh-Hant, zh-Hans, ja, ko; EPUB only)",
    )
    build.add_argument(
        "--templates",
        type=_folder_flag,
        action="append",
        metavar="DIR",
        help="a folder of your own templates and CSS, used before briefgen's; "
        'a template there can extend briefgen\'s as "!builtin/NAME"; '
        "repeat for several",
    )
    _add_rule_switch(build)
    _add_config_switch(build)
    build.add_argument(
        "--strict",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="fail, writing nothing, when there are warnings (such as characters the fonts "
        "lack) or typography changes to make in the source (as `briefgen check` lists them)",
    )
    _add_script_switches(build)
    _add_font_flag(build)
    build.set_defaults(run=_build)
    build.epilog = (
        "Defaults for these flags can be kept in ./briefgen.toml or under [tool.briefgen] "
        "in ./pyproject.toml (keys: formats, outdir, paper, handout, marks, pdf-variant, "
        "keep-html, vertical, templates, no-rule, strict); flags override them "
        "(--no-marks, --no-strict, --no-vertical, --no-keep-html, --handout none)."
    )


def _add_script_switches(build: argparse.ArgumentParser) -> None:
    """The flags that make an edition in the other Chinese script."""
    from .editions import SCRIPTS

    build.add_argument(
        "--script",
        choices=tuple(SCRIPTS),
        help="an edition in Simplified (hans) or Traditional Chinese (hant, in Taiwan's "
        "standard forms; hant-hk, in Hong Kong's), converted phrase by phrase with OpenCC "
        "and written as STEM.zh-Hans.pdf etc.",
    )
    build.add_argument(
        "--vocabulary",
        action="store_true",
        help="with --script, also convert words that differ between regions (軟體 / 软件); "
        "the edition is then zh-CN, zh-TW or zh-HK",
    )


def _font_flag(value: str) -> tuple[str, Path]:
    role, equals, file = value.partition("=")
    if not equals or not file:
        raise argparse.ArgumentTypeError(
            f"expected ROLE=FILE such as body=fonts/mine.otf, not {value!r}"
        )
    # Refused here, as bad usage alone: found once the briefing was read, it came after
    # the briefing's warnings, as if they had to do with it.
    roles = [field.name for field in dataclasses.fields(Fonts)]
    if role not in roles:
        raise argparse.ArgumentTypeError(
            f"unknown font role {role!r}; the roles are {', '.join(roles)}"
        )
    return role, Path(file)


def _folder_flag(value: str) -> Path:
    # Path("") is the current folder, whose every .html and .css would then stand in for
    # briefgen's templates (an HTML built there with -o . became the PDF's): an unset
    # variable in a script (--templates "$DIR") is refused, as `templates: ""` is.
    if not value.strip():
        raise argparse.ArgumentTypeError(
            "expected a folder of your own templates, found an empty name "
            "(write --templates . for the current folder)"
        )
    return Path(value)


#: The names of briefgen's outputs end so: a folder named so is most likely one taken for
#: the output file's name.
_OUTPUT_SUFFIXES = (".pdf", ".epub", ".html", ".htm")


def _outdir_flag(value: str) -> Path:
    # `-o report.pdf`, as Pandoc and Typst take it, made a folder report.pdf with the
    # outputs in it, named after the source. One that is a folder already is taken.
    folder = Path(value)
    if folder.suffix.lower() in _OUTPUT_SUFFIXES and not folder.is_dir():
        raise argparse.ArgumentTypeError(
            f'expected a folder for the outputs, found "{value}", a file\'s name\n'
            f"    hint: give a folder, as -o {folder.parent / 'out'}: each output is named there "
            "after its source (briefing.yaml → briefing.pdf)"
        )
    return folder


#: The names of the files a template folder holds, and of others a writer has about, end
#: so: `templates export base.css` (meaning the one file) made a folder of that name.
_TEMPLATE_FILE_SUFFIXES = (".css", ".html", ".htm", ".json", ".toml", ".yaml", ".yml", ".md")


def _new_target(value: str) -> Path:
    """Where ``new`` writes. A name written with a slash at its end is a folder's, and one
    named as a briefing file (``x.yaml/``) was taken for the file, the slash dropped."""
    from .load import BRIEFING_SUFFIXES

    target = Path(value)
    if (
        value.endswith(("/", os.sep))
        and target.suffix.lower() in BRIEFING_SUFFIXES
        and not target.is_dir()
    ):
        raise argparse.ArgumentTypeError(
            f'"{value}" ends with a slash, a folder\'s name, and is named as a briefing file\n'
            f"    hint: give {value.rstrip('/' + os.sep)} to write the briefing as that file, or "
            "a folder's name to write briefing.yaml into"
        )
    return target


def _export_folder(value: str) -> Path:
    # Path("") is the current folder: an unset variable in a script (templates export
    # "$DIR") would copy some twenty files in among the user's own.
    if not value.strip():
        raise argparse.ArgumentTypeError(
            "expected a folder to copy the templates into, found an empty name "
            "(write briefgen templates export . for the current folder)"
        )
    folder = Path(value)
    if folder.suffix.lower() in _TEMPLATE_FILE_SUFFIXES and not folder.is_dir():
        raise argparse.ArgumentTypeError(
            f'expected a folder to copy the templates into, found "{value}", a file\'s name\n'
            f"    hint: give a folder, as {folder.parent / 'house-style'}: every template is "
            "copied into it (css/base.css among them): edit what you mean to change, delete "
            "the rest"
        )
    return folder


def _add_pdf_switches(build: argparse.ArgumentParser) -> None:
    """The flags that shape the PDF: paper, handout, standard, crop marks."""
    build.add_argument(
        "--paper",
        type=_any_case(PAPERS),
        choices=tuple(PAPERS),
        help="paper size of the PDF (default: A4; B5 is JIS B5, 182 x 257 mm; half-letter is "
        "5.5 x 8.5 in, the page of a booklet on letter paper)",
    )
    build.add_argument(
        "--handout",
        type=_any_case((*HANDOUTS, NO_HANDOUT)),
        choices=(*HANDOUTS, NO_HANDOUT),
        help="a handout form of the PDF: booklet (print on both sides, flipped on the short "
        "edge, at 100 %%; fold and staple) or 2up (two pages a sheet), on landscape sheets of "
        "twice the paper size; or sheet (every event in a line "
        "or two, on the front and back of one sheet); none: the PDF itself, where the "
        "folder's configuration names a handout",
    )
    build.add_argument(
        "--pdf-variant",
        type=_any_case(PDF_VARIANTS),
        choices=PDF_VARIANTS,
        help="the PDF standard: pdf/ua-1 (tagged for screen readers; the default) or "
        "pdf/a-3b (for archives)",
    )
    build.add_argument(
        "--marks",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="crop marks and 3 mm bleed around each PDF page, for a print shop",
    )


def _any_case(choices: Iterable[str]) -> Callable[[str], str]:
    """An argument type that reads a choice in any case (``a5`` for ``A5``, ``zh-hant``); a
    value that is no choice is left for argparse to refuse."""
    by_lower = {choice.lower(): choice for choice in choices}
    return lambda value: by_lower.get(value.lower(), value)


def _add_config_switch(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-config",
        action="store_true",
        help="read no briefgen.toml or pyproject.toml in the current folder: for a server "
        "that builds briefings from others in their own folder",
    )


def _say_settings_from(config_file: Path) -> None:
    """Say which file the settings came from, and that a pyproject.toml's [tool.briefgen]
    beside a briefgen.toml is not read: its settings would seem to be taken."""
    from .config import shadowed

    shadow = shadowed(config_file)
    also = f" ({display_path(shadow)}'s [tool.briefgen] is not read)" if shadow else ""
    print(f"briefgen: settings from {display_path(config_file)}{also}", file=sys.stderr)


def _read_config(args: argparse.Namespace) -> tuple[Path | None, dict[str, Any]]:
    """The current folder's configuration (:func:`briefgen.config.read_config`), or none
    with ``--no-config``: whoever wrote the folder's files wrote that file too, and its
    ``templates`` run as Python of the user's own, unsandboxed, from wherever it says."""
    from .config import read_config

    if args.no_config:
        return None, {}
    return read_config(Path.cwd())


def _add_rule_switch(command: argparse.ArgumentParser) -> None:
    from .typography import rule_names

    command.add_argument(
        "--no-rule",
        action="append",
        choices=[*rule_names(), *WARNING_RULES],
        metavar="RULE",
        help=f"switch a typography rule off ({', '.join(rule_names())}), or a warning you "
        f"mean to keep ({', '.join(WARNING_RULES)}); repeat for several",
    )


class _Prefixed(logging.Handler):
    """Writes log records to the *current* ``sys.stderr`` (tests capture it), prefixed:
    ``warning:`` for warnings, ``briefgen:`` for what ``--verbose`` adds."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(record, HELD, False):  # past a screen's worth (errors.warnings_capped)
            return
        prefix = self.prefix if record.levelno >= logging.WARNING else "briefgen"
        # On a terminal, over the line a batch counts its briefings on (_Progress), which a
        # worker process cannot clear first: the message would run on from its end.
        clear = _CLEAR_LINE if sys.stderr.isatty() else ""
        print(f"{clear}{prefix}: {record.getMessage()}", file=sys.stderr)


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


def _default_source(doing: str = "building") -> Path:
    """./briefing.yaml, else the bundled sample; says which, and what it is ``doing``."""
    from .resources import sample_path

    local = Path("briefing.yaml")
    if local.is_file():
        print("briefgen: no SOURCE given, using ./briefing.yaml", file=sys.stderr)
        return local
    print(
        f"briefgen: no SOURCE given and no ./briefing.yaml here, {doing} the bundled "
        f"sample ({sample_path().name}){_briefings_here()}",
        file=sys.stderr,
    )
    return sample_path()


def _briefings_here() -> str:
    """A hint naming the briefings of the folder briefgen runs in, for a user whose own is
    not named briefing.yaml (briefing.yml, or Briefing.yaml, which is briefing.yaml on
    Windows and macOS but not on Linux); "" if there are none."""
    from .load import briefings_in

    try:
        found = briefings_in(Path("."))
    except OSError:
        return ""
    if not found:
        return ""
    return f"\n    hint: to use yours, give it as SOURCE: {found[0].name}"


def _build(args: argparse.Namespace) -> int:
    from .pipeline import build, check_strict, check_vertical, format_names

    config_file, config = _read_config(args)
    settings = _Settings(args, config)
    # Options are checked (and fail as bad usage) before the source is even looked for.
    try:
        options = _options(settings)
        formats = format_names(settings.get("formats", ["pdf"]))
        check_vertical(options, formats)
    except UsageError as error:
        raise _in_config(error, config_file, settings) from None
    if config_file:
        _say_settings_from(config_file)
    if settings.get("keep_html", False):
        formats = [*formats, "print-html"]
    _note_pdf_flags_unused(args, formats)
    outdir = Path(settings.get("outdir", "out"))
    if args.jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {args.jobs}")
    if len(args.source) > 1 or any(source.is_dir() for source in args.source):
        if args.font or args.script or args.vocabulary:
            raise UsageError(
                "--font, --script and --vocabulary build one briefing at a time; give one SOURCE"
            )
        from .pipeline import CommandLine

        command_line = CommandLine(
            from_file=_from_file(config_file, settings),
            # As a single build: each briefing's own templates before the configuration's.
            own_templates_first=bool(config.get("templates")) and not args.templates,
        )
        return _build_batch(args.source, formats, outdir, options, args.jobs, command_line)
    path: Path = args.source[0] if args.source else _default_source()
    if args.vocabulary and not args.script:
        raise UsageError("--vocabulary goes with --script hans, hant or hant-hk")
    fonts = _font_files(args.font, path)
    # The warnings switched off are dropped wherever the briefing is read: here too, where
    # it is read before the build (for its templates, fonts or edition).
    with (
        warnings_capped(display_path(path), rules=options.disabled_rules),
        silencing(options.disabled_rules),
        counting() as read_before,
    ):
        source: Path | Briefing = path
        if config.get("templates") and not args.templates:
            source, options = _briefing_templates_before_config(path, options)
        if fonts:
            source = _with_fonts(source, fonts)
        if args.script:
            source = _edition(source, args.script, args.vocabulary)
        if isinstance(source, Briefing):
            # Read here, its warnings were given before build() began to count them.
            check_strict(source, options, read_before)
        from .sheet import SheetOverflow

        try:
            written = build(source, formats=formats, outdir=outdir, options=options)
        except SettingsClash as error:  # the briefing's language and vertical = true
            raise _in_config(error, config_file, settings) from None
        except SheetOverflow as error:  # named by briefgen.toml's key where it set handout
            raise BuildError(error.told(_from_file(config_file, settings))) from None
    for path in written:
        print(display_path(path))
    return EXIT_OK


def _note_pdf_flags_unused(args: argparse.Namespace, formats: list[str]) -> None:
    """Say so when flags that shape only the PDF are given for a build that makes none (a
    configuration file's settings are defaults for any build, and pass without a word)."""
    given = [
        flag
        for flag, value in (
            ("--paper", args.paper),
            ("--handout", args.handout),
            ("--marks", args.marks),
            ("--pdf-variant", args.pdf_variant),
        )
        if value not in (None, False)
    ]
    if given and not {"pdf", "print-html"} & set(formats):
        print(
            f"briefgen: {', '.join(given)} shape{'s' if len(given) == 1 else ''} the PDF only, "
            f"and this build makes none ({', '.join(formats)})",
            file=sys.stderr,
        )


def _briefing_templates_before_config(
    source: Path, options: BuildOptions
) -> tuple[Briefing, BuildOptions]:
    """A briefing's own ``templates:`` is more particular than a folder-wide configuration,
    so it is searched first (a ``--templates`` flag still comes before both)."""
    from .load import load
    from .render import briefing_templates_first

    briefing = load(source)
    return briefing, briefing_templates_first(briefing, options)


def _font_files(given: list[tuple[str, Path]] | None, source: Path) -> dict[str, Path]:
    """``--font``'s files, checked before the briefing ``source`` is read: a file missing,
    outside its folder or no font is bad usage, told alone, not after the briefing's
    warnings as if they had to do with it."""
    if not given:
        return {}
    files: dict[str, Path] = {}
    for role, file in given:
        # The second was taken, the first dropped without a word: most likely one of the
        # two was meant for the other role.
        if role in files:
            raise UsageError(
                f"--font {role} is given twice ({files[role]} and {file}); give each role once "
                "(the roles are body and heading)"
            )
        files[role] = file
    from .userfonts import font_files

    return font_files(files, source.resolve().parent)


def _with_fonts(source: Path | Briefing, files: dict[str, Path]) -> Briefing:
    from .load import load
    from .userfonts import with_font_files

    return with_font_files(source if isinstance(source, Briefing) else load(source), files)


def _edition(source: Path | Briefing, script: str, vocabulary: bool) -> Briefing:
    """The briefing in the other script (build() names its files ``sample.zh-Hans.*``, as
    it does a library caller's edition)."""
    from .editions import edition
    from .load import load

    return edition(source if isinstance(source, Briefing) else load(source), script, vocabulary)


def _build_batch(
    sources: list[Path],
    formats: list[str],
    outdir: Path,
    options: BuildOptions,
    jobs: int,
    command_line: CommandLine,
) -> int:
    """Build every briefing, reporting each failure as it comes and going on with the rest;
    on a terminal, a line on stderr counts them."""
    from .pipeline import briefing_files, build_batch

    files = briefing_files(sources)
    progress = _Progress(len(files)) if sys.stderr.isatty() else None

    def done(outcome: Outcome) -> None:
        if outcome.error is not None:
            if progress:
                progress.clear()
            where = display_path(outcome.source)
            report = outcome.error
            print(report if where in report else f"{where}: {report}", file=sys.stderr)
        if progress:
            progress.step(outcome)

    outcomes = build_batch(files, formats, outdir, options, jobs, done, command_line)
    if progress:
        progress.clear()
    for outcome in outcomes:
        for path in outcome.paths:
            print(display_path(path))
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if failed:
        print(
            f"briefgen: {len(failed)} of {len(outcomes)} briefings failed: "
            + ", ".join(display_path(outcome.source) for outcome in failed),
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


#: Back to the start of a terminal's line, and clear it.
_CLEAR_LINE = "\r\x1b[K"


class _Progress:
    """``[3/20] name`` on one stderr line, rewritten as briefings finish (terminals only)."""

    def __init__(self, total: int):
        self.total, self.count = total, 0

    def step(self, outcome: Outcome) -> None:
        self.count += 1
        mark = "failed" if outcome.error is not None else "built"
        line = f"[{self.count}/{self.total}] {mark} {display_path(outcome.source)}"
        print(f"{_CLEAR_LINE}{line}", end="", file=sys.stderr, flush=True)

    def clear(self) -> None:
        print(_CLEAR_LINE, end="", file=sys.stderr, flush=True)


def _options(settings: _Settings, **fixed: Any) -> BuildOptions:
    """The build options from the flags, else the folder's configuration; ``fixed`` values
    are not looked up."""
    found: dict[str, Any] = {
        # In any case, as the flags read them: `paper = "a4"` in briefgen.toml is A4 too,
        # and `handout = "2UP"` is 2up.
        "paper": _any_case(PAPERS)(settings.get("paper", "A4")),
        "handout": _handout(settings.get("handout", None)),
        "pdf_variant": _any_case(PDF_VARIANTS)(settings.get("pdf_variant", "pdf/ua-1")),
        "marks": settings.get("marks", False),
        "templates": tuple(settings.get("templates", [])),
        "disabled_rules": tuple(settings.get("no_rule", [])),
    }
    for name, default in (("vertical", False), ("strict", False)):
        found[name] = fixed[name] if name in fixed else bool(settings.get(name, default))
    return BuildOptions(**found)


#: ``--handout none``: no handout, whatever the configuration says.
NO_HANDOUT = "none"


def _handout(value: str | None) -> str | None:
    if value is None:
        return None
    named = _any_case((*HANDOUTS, NO_HANDOUT))(value)
    return None if named == NO_HANDOUT else named


def _in_config(error: UsageError, config_file: Path | None, settings: _Settings) -> UsageError:
    """The error, naming the configuration file when there is one (its value may be the
    cause); a clash of settings names the file beside each setting it set."""
    if config_file is None:
        return error
    if isinstance(error, SettingsClash):
        return UsageError(error.told(_from_file(config_file, settings)))
    return UsageError(f"{error} (in {display_path(config_file)})")


def _from_file(config_file: Path | None, settings: _Settings) -> dict[str, str]:
    """The settings the configuration file gave (no flag overrides them), each key to the
    file's name, for a clash of settings to name them there."""
    if config_file is None:
        return {}
    return dict.fromkeys(settings.from_config(), display_path(config_file))


class _Settings:
    """A build setting from its flag if given, else from the folder's configuration."""

    def __init__(self, args: argparse.Namespace, config: dict[str, Any]):
        self.args, self.config = args, config

    def get(self, name: str, default: Any) -> Any:
        flag = getattr(self.args, "formats" if name == "formats" else name)
        if flag is not None and flag != []:
            return flag
        return self.config.get(name.replace("_", "-"), default)

    def from_config(self) -> list[str]:
        """The keys whose value is the configuration's (no flag overrides them)."""
        return [
            key
            for key in self.config
            if getattr(self.args, key.replace("-", "_"), None) in (None, [])
        ]


def _check(args: argparse.Namespace) -> int:
    from .collector import collector_paused

    # Nearly every object check makes lives until it exits: the collector's passes (30 of
    # them at 1,000 events, 22 ms) would find nothing to free.
    with collector_paused:
        return _check_briefing(args)


def _check_briefing(args: argparse.Namespace) -> int:
    from .coverage import warn_missing_glyphs
    from .typography import listed

    # The folder's configuration turns rules off (and strict on) for check as for build:
    # else check lists, and --fix writes, changes the build never makes.
    config_file, config = _read_config(args)
    settings = _Settings(args, config)
    disabled = _disabled_rules(config_file, settings)
    strict = bool(settings.get("strict", False))
    if config_file:
        _say_settings_from(config_file)
    fonts = _font_files(args.font, args.source)
    warnings = _WarningCounter()
    log.addHandler(warnings)
    try:
        with silencing(disabled):
            briefing = _loaded_for_check(args)
        if briefing is None:
            return EXIT_FAILED
        if fonts:
            briefing = _with_fonts(briefing, fonts)
        # As build words it: a user's templates (the briefing's or the folder's) may draw it.
        warn_missing_glyphs(briefing, bool(briefing.templates or config.get("templates")))
    finally:
        log.removeHandler(warnings)
    findings = listed(briefing, disabled)
    for line in findings:
        print(line)
    if args.fix and findings:
        from .fix import backup_path, fix_file

        # Where fix_file keeps the original: beside the file a link given leads to.
        backup = backup_path(args.source.resolve())
        fields = fix_file(args.source, disabled)
        print(
            f"{display_path(args.source)}: fixed: {_counted(len(findings), 'typography change')}"
            f" in {_counted(len(fields), 'field')}; the original is in {display_path(backup)}"
        )
        findings = []
    refused = strict and (findings or warnings.count)
    print(
        f"{display_path(args.source)}: {'not ok' if refused else 'ok'}: "
        f"{_counted(len(briefing.events), 'event')}, "
        f"{_counted(len(briefing.people), 'person', 'people')}, "
        f"{_counted(len(briefing.sources), 'source')}"
        + (f"; {_counted(len(findings), 'typography change')}" if findings else "")
    )
    if refused:
        print(
            f"briefgen: --strict: {_counted(warnings.count, 'warning')}, "
            f"{_counted(len(findings), 'typography change')}; mend the source (or leave out "
            "--strict)",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def _loaded_for_check(args: argparse.Namespace) -> Briefing | None:
    """The briefing ``check`` looks at. A file that cannot be read is listed problem by
    problem, as check always lists them; with ``--fix``, a last line says that nothing was
    fixed (and None is returned), where a user who asked for fixes saw the problems and no
    word of the fixes."""
    from .load import load

    try:
        return load(args.source)
    except BriefingError as error:
        if not args.fix:
            raise
        print(error, file=sys.stderr)
        print(
            f"briefgen: --fix: nothing was written to {display_path(args.source)}: mend the "
            "problems above, then run check --fix again",
            file=sys.stderr,
        )
        if args.debug:
            traceback.print_exc()
        return None


def _disabled_rules(config_file: Path | None, settings: _Settings) -> tuple[str, ...]:
    """The rules and warnings switched off by ``--no-rule``, else by the configuration's
    ``no-rule`` (a name it gets wrong is bad usage, told with the file's name)."""
    try:
        return BuildOptions(disabled_rules=tuple(settings.get("no_rule", []))).disabled_rules
    except UsageError as error:
        raise _in_config(error, config_file, settings) from None


def _counted(number: int, noun: str, plural: str | None = None) -> str:
    """``1 event``, ``2 events``; ``1 person``, ``3 people``."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


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


def _watch(args: argparse.Namespace) -> int:
    from .pipeline import format_names, output_folder
    from .watch import watch

    config_file, config = _read_config(args)
    settings = _Settings(args, config)
    try:
        # A preview is horizontal and never refused for a warning (watch has neither flag).
        options = _options(settings, vertical=False, strict=False)
        # Only what a flag asks for: a configuration's formats are for build.
        extra = format_names(args.formats) if args.formats else []
    except UsageError as error:
        raise _in_config(error, config_file, settings) from None
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}")
    source = args.source or Path("briefing.yaml")
    if not source.is_file():
        here = _briefings_here() if args.source is None else ""
        raise UsageError(
            f"{display_path(source)} is not a file; give the briefing to watch "
            "(briefgen new makes one)" + here
        )
    if config_file:
        _say_settings_from(config_file)
    # A folder that cannot be made (a file is in its place) failed every rebuild, the
    # preview's banner telling the writer to mend a briefing with nothing wrong in it.
    outdir = output_folder(settings.get("outdir", "out"))
    config_templates = bool(config.get("templates")) and not args.templates
    watch(
        source,
        extra,
        outdir,
        options,
        args.host,
        args.port,
        debug=args.debug,
        briefing_templates_first=config_templates,
    )
    return EXIT_OK


def _fonts(args: argparse.Namespace) -> int:
    from .fontreport import report
    from .load import load

    # The briefing is read as build reads it: a warning the folder switched off for build
    # (event-order, in a briefing ordered by theme) is not told again here.
    config_file, config = _read_config(args)
    disabled = _disabled_rules(config_file, _Settings(args, config))
    if config_file:
        _say_settings_from(config_file)
    source = args.source or _default_source("listing the fonts of")
    fonts = _font_files(args.font, source)
    with silencing(disabled):
        briefing = load(source)
    if fonts:
        briefing = _with_fonts(briefing, fonts)
    for line in report(briefing):
        print(line)
    return EXIT_OK


def _export_templates(args: argparse.Namespace) -> int:
    from .export import EDIT_FIRST, export_templates

    for path in export_templates(args.folder, force=args.force):
        print(display_path(path))
    folder = display_path(args.folder)
    print(f"briefgen: to start, edit in {folder}:", file=sys.stderr)
    for name, what in EDIT_FIRST:
        print(f"    {name}: {what}", file=sys.stderr)
    print(
        "    and delete the files you leave as they are (briefgen uses its own for those);\n"
        f"    build with: briefgen build --templates {folder}, or name the folder as "
        "`templates:` in the briefing",
        file=sys.stderr,
    )
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    import json

    from .schema import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK
