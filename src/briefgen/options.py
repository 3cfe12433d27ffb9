"""How to build: the one options object that the command line and the library make, and that
every builder receives.

Builders are pure (a briefing and the options in, bytes out), so whatever a build depends on
besides the briefing, the environment included (``SOURCE_DATE_EPOCH``), is read here once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from .errors import WARNING_RULES, Setting, SettingsClash, UsageError

#: The size of the PDF's body text, in points (print.css sets it from here).
BODY_SIZE_PT = 10.5


@dataclass(frozen=True)
class Paper:
    """A paper size and the page margins that suit it (top, sides, bottom)."""

    width: str
    height: str
    margin: str

    @property
    def css_size(self) -> str:
        return f"{self.width} {self.height}"

    def column_width(self, body_size_pt: float = BODY_SIZE_PT) -> float:
        """The width of the PDF's text column, in points: a whole number of ems of the body
        text, as many as the nominal side margins leave room for. A justified CJK line is
        then a whole number of characters, with no fraction of an em to spread."""
        _, side, _ = self.margin.split()
        ems = (points(self.width) - 2 * points(side)) // body_size_pt
        return ems * body_size_pt

    def margins(self, body_size_pt: float = BODY_SIZE_PT) -> str:
        """The page margins as CSS: the side ones widened a little (never narrowed) to
        leave a column of :meth:`column_width`."""
        top, _, bottom = self.margin.split()
        side = (points(self.width) - self.column_width(body_size_pt)) / 2
        return f"{top} {side:.4f}pt {bottom}"


_POINTS_PER = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "pc": 12.0, "px": 0.75}


def points(length: str) -> float:
    """An absolute CSS length (``210mm``, ``8.5in``) in points."""
    match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*(mm|cm|in|pt|pc|px)\s*", length)
    if match is None:
        raise ValueError(f"not an absolute CSS length: {length!r}")
    return float(match[1]) * _POINTS_PER[match[2]]


#: ``--paper`` names. B5 is JIS B5 (182 × 257 mm), the handout size common in East Asia; CSS's
#: own ``B5`` keyword is ISO B5 (176 × 250 mm), so every size is given in lengths. Half
#: letter (5.5 × 8.5 in) is letter folded in two, as A5 is A4: the page of a booklet printed
#: on a letter printer (``--handout booklet``), with A5's margins.
PAPERS: dict[str, Paper] = {
    "A4": Paper("210mm", "297mm", "22mm 20mm 24mm"),
    "A5": Paper("148mm", "210mm", "16mm 14mm 18mm"),
    "B5": Paper("182mm", "257mm", "20mm 18mm 22mm"),
    "letter": Paper("8.5in", "11in", "22mm 20mm 24mm"),
    "half-letter": Paper("5.5in", "8.5in", "16mm 14mm 18mm"),
}


#: ``--pdf-variant`` names, as WeasyPrint calls them.
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")

#: ``--handout`` names: ``booklet`` and ``2up`` impose the finished pages
#: (:mod:`briefgen.handouts`); ``sheet`` is a layout of its own (templates/sheet.html,
#: :mod:`briefgen.sheet`).
HANDOUTS = ("booklet", "2up", "sheet")
#: The handouts that :func:`briefgen.handouts.impose` makes of the finished PDF.
IMPOSED = ("booklet", "2up")


#: The settings that refuse to go with others, as a clash names them.
VERTICAL = Setting("vertical", "--vertical", "true", "--no-vertical", "vertical=True")
_MARKS = Setting("marks", "--marks", "true", "--no-marks", "marks=True")
_PDF_A = Setting(
    "pdf-variant",
    "--pdf-variant pdf/a-3b",
    '"pdf/a-3b"',
    "--pdf-variant pdf/ua-1",
    'pdf_variant="pdf/a-3b"',
)


def _handout(name: str) -> Setting:
    return Setting(
        "handout", f"--handout {name}", f'"{name}"', "--handout none", f'handout="{name}"'
    )


def _epoch_from_environment() -> int | None:
    """The environment's ``SOURCE_DATE_EPOCH``, checked here, where a bad one is told by
    the variable's name: a value given in Python is told by the option's (``__post_init__``)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value == "":
        return None
    try:
        seconds = int(value)
    except ValueError:
        seconds = -1
    if not _is_epoch(seconds):
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {value!r}"
        )
    return seconds


@dataclass(frozen=True)
class BuildOptions:
    """Everything about a build besides the briefing; checked when it is made.

    >>> BuildOptions(paper="A5").paper
    'A5'
    """

    paper: str = "A4"
    """Paper size of the PDF: one of :data:`PAPERS`."""
    handout: str | None = None
    """A handout form of the PDF: ``"booklet"`` (saddle-stitched, folded once) or ``"2up"``
    (two pages a sheet), imposed on landscape sheets of twice the paper size; or ``"sheet"``,
    every event in a line or two on the front and back of one sheet of the paper."""
    pdf_variant: str = "pdf/ua-1"
    """The PDF standard to follow: ``"pdf/ua-1"`` (tagged for screen readers, the default) or
    ``"pdf/a-3b"`` (for archives; tagged too)."""
    marks: bool = False
    """Crop marks and 3 mm bleed around each PDF page, with TrimBox and BleedBox, for a print
    shop."""
    templates: tuple[Path, ...] = ()
    """Folders of the user's own templates and CSS, looked up before briefgen's own."""
    disabled_rules: tuple[str, ...] = ()
    """Names of typography rules not to run (``briefgen.typography.rule_names()``), and of
    the loader's warnings not to give (``briefgen.errors.WARNING_RULES``)."""
    strict: bool = False
    """Fail the build (write nothing) when there is a warning, such as a character the fonts
    lack, or a typography change the source should make (what ``briefgen check`` lists)."""
    vertical: bool = False
    """Set the EPUB in vertical lines, read top to bottom and right to left (Chinese,
    Japanese and Korean only; the PDF and HTML stay horizontal)."""
    source_date_epoch: int | None = field(default_factory=_epoch_from_environment)
    """Seconds since 1970 to stamp outputs with instead of a date of their own (reproducible
    builds); taken from the ``SOURCE_DATE_EPOCH`` environment variable by default."""

    def __post_init__(self) -> None:
        _check_types(self)
        if self.paper not in PAPERS:
            raise UsageError(
                f"unknown paper size {self.paper!r}; choose from {', '.join(PAPERS)}"
                + _did_you_mean(self.paper, list(PAPERS))
            )
        if self.handout is not None and self.handout not in HANDOUTS:
            raise UsageError(
                f"unknown handout {self.handout!r}; choose from {', '.join(HANDOUTS)}"
                + (
                    " (or handout=None for the PDF itself, as --handout none builds it)"
                    if self.handout.lower() == "none"
                    else _did_you_mean(self.handout, HANDOUTS)
                )
            )
        if self.pdf_variant not in PDF_VARIANTS:
            raise UsageError(
                f"unknown PDF variant {self.pdf_variant!r}; choose from {', '.join(PDF_VARIANTS)}"
                + _did_you_mean(self.pdf_variant, PDF_VARIANTS)
            )
        if self.handout in IMPOSED and self.marks:
            raise SettingsClash(
                # A one-sheet handout is one or two single pages, marked as the PDF's are.
                f"crop marks are for a print shop's single pages, not for the sheets a "
                f"{self.handout} handout imposes them on",
                (_MARKS, _handout(self.handout)),
            )
        if self.handout in IMPOSED and self.pdf_variant == "pdf/a-3b":
            # The sheets are a new file put together from the pages (briefgen/handouts.py),
            # which keeps none of PDF/A's metadata and output intent: refused, not mislabelled.
            raise SettingsClash(
                f"a {self.handout} handout cannot be PDF/A: its sheets are put together after "
                "WeasyPrint writes the pages",
                (_handout(self.handout), _PDF_A),
                advice="build the PDF/A and the handout separately",
            )
        if any(not os.fspath(folder).strip() for folder in self.templates):
            # Path("") is the working folder, whose every .html and .css would then stand
            # in for briefgen's templates.
            raise UsageError(
                "a template folder is named by an empty text; name the folder "
                '(Path(".") for the working folder)'
            )
        # Absolute, so that the options mean the same folders whatever the working folder.
        resolved = tuple(Path(folder).resolve() for folder in self.templates)
        object.__setattr__(self, "templates", resolved)
        for folder in self.templates:
            if not folder.is_dir():
                raise UsageError(f"template folder {folder} does not exist or is not a folder")
        check_rules(self.disabled_rules)
        if self.source_date_epoch is not None:
            _check_epoch(self.source_date_epoch)

    @property
    def paper_size(self) -> Paper:
        return PAPERS[self.paper]

    @property
    def body_size_pt(self) -> float:
        return BODY_SIZE_PT


def _check_types(options: BuildOptions) -> None:
    """A library call's options of the wrong type, named as Python names them: a bare
    ``AttributeError`` from deep inside the build, or ``marks="no"`` taken as true, would
    tell the caller nothing."""
    for name in ("paper", "pdf_variant"):
        _check_type(name, getattr(options, name), str, "a string")
    if options.handout is not None:
        _check_type("handout", options.handout, str, "a string or None")
    for name in ("marks", "strict", "vertical"):
        _check_type(name, getattr(options, name), bool, "True or False")
    for name in ("templates", "disabled_rules"):
        value = getattr(options, name)
        kinds = (str, os.PathLike) if name == "templates" else str
        what = "a folder or a list of folders" if name == "templates" else "a list of names"
        try:
            # One folder or name alone is one, not its characters; any iterable is a list.
            items = (value,) if isinstance(value, (str, os.PathLike)) else tuple(value)
        except TypeError:
            raise TypeError(f"BuildOptions.{name} must be {what}, not {value!r}") from None
        if not all(isinstance(item, kinds) for item in items):
            raise TypeError(f"BuildOptions.{name} must be {what}, not {value!r}")
        object.__setattr__(options, name, items)


def _check_type(name: str, value: object, kind: type, what: str) -> None:
    if not isinstance(value, kind):
        raise TypeError(f"BuildOptions.{name} must be {what}, not {type(value).__name__}")


def given_rules(value: str | Iterable[str], argument: str) -> tuple[str, ...]:
    """The rule names a call gives as ``argument`` (``disabled_rules`` of :func:`briefgen.load`),
    one name alone standing for one, checked as :class:`BuildOptions` checks its own: a
    number or None there failed as a bare ``TypeError`` ("'int' object is not iterable"),
    or as an ``AttributeError`` from the spelling hint, naming neither the argument nor
    what to give."""
    try:
        names = (value,) if isinstance(value, str) else tuple(value)
    except TypeError:
        raise TypeError(
            f"{argument} must be a rule's name or a list of names, not {value!r}"
        ) from None
    if not all(isinstance(name, str) for name in names):
        raise TypeError(f"{argument} must be a rule's name or a list of names, not {value!r}")
    check_rules(names)
    return names


def check_rules(names: tuple[str, ...]) -> None:
    from .typography import rule_names  # the rules import the model, not the options

    typographic = rule_names()
    known = typographic + list(WARNING_RULES)
    for name in names:
        if name not in known:
            raise UsageError(
                f"unknown rule {name!r}{_did_you_mean(name, known)}; the typography rules "
                f"are {', '.join(typographic)}, the warnings {', '.join(WARNING_RULES)}"
            )


def _check_epoch(seconds: object) -> None:
    """``source_date_epoch`` as given in Python, told by its name there."""
    if isinstance(seconds, bool) or not isinstance(seconds, int):
        raise TypeError(
            "BuildOptions.source_date_epoch must be a whole number of seconds (int) or None, "
            f"not {type(seconds).__name__}"
        )
    if not _is_epoch(seconds):
        raise UsageError(
            "BuildOptions.source_date_epoch must be a whole number of seconds since 1970, "
            f"not {seconds!r}"
        )


def _is_epoch(seconds: int) -> bool:
    """Whether ``seconds`` since 1970 is a date a file can be stamped with."""
    try:
        dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (ValueError, OverflowError, OSError):
        return False
    return seconds >= 0


OPTION_NAMES = tuple(option.name for option in dataclasses.fields(BuildOptions))


class OptionValues(TypedDict, total=False):
    """:class:`BuildOptions`'s fields as a call's keyword arguments (``paper="A5"``), each
    of the type it is taken in: a type checker then finds a misspelt option, or a value of
    the wrong type, where the call is written (``**option_values: Unpack[OptionValues]``),
    not when the build runs. A folder or a rule name alone stands for a list of one."""

    paper: str
    handout: str | None
    pdf_variant: str
    marks: bool
    templates: str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
    disabled_rules: str | Iterable[str]
    strict: bool
    vertical: bool
    source_date_epoch: int | None


def resolve(options: BuildOptions | None, values: Mapping[str, Any]) -> BuildOptions:
    """The options of a library call: an options object, or keyword arguments naming its
    fields, not both (which of the two would win is a guess nobody should have to make)."""
    unknown = [name for name in values if name not in OPTION_NAMES]
    if unknown:
        raise TypeError(
            f"unknown build option {unknown[0]!r}{_did_you_mean(unknown[0], OPTION_NAMES)}; "
            f"the options are {', '.join(OPTION_NAMES)}"
        )
    if options is not None and values:
        raise TypeError(
            f"pass options=BuildOptions(...) or keyword options ({', '.join(values)}), not both"
        )
    if options is not None and not isinstance(options, BuildOptions):
        raise TypeError(f"options must be a briefgen.BuildOptions, not {type(options).__name__}")
    return options if options is not None else BuildOptions(**values)


def _did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    by_case = {choice.lower(): choice for choice in choices}
    close = [by_case[word.lower()]] if word.lower() in by_case else []
    close = close or difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
