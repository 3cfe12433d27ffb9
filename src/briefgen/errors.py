"""The errors a user sees.

:class:`BriefingError` is the one "nice" exception: its message is meant for the user and the
command line prints it without a traceback. Any other exception escaping briefgen is a bug.
"""

from __future__ import annotations

import logging
import shlex
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: How many of a briefing's problems ``build`` and ``watch`` print: a screen's worth, each
#: with its hint. ``briefgen check`` lists them all.
PROBLEMS_SHOWN = 10

#: The warnings of the loader that a writer may knowingly keep, each by the name that
#: switches it off as a typography rule's does (``--no-rule NAME``, ``no-rule`` in
#: ``briefgen.toml``, ``BuildOptions.disabled_rules``): their hints themselves allow what
#: they warn of, and a warning ``strict`` refuses with no way to keep it would leave a
#: briefing ordered by theme no way through. The others (a text cut short by a comment, a
#: duplicate pasted twice, a character dropped) are mistakes with nothing to keep.
WARNING_RULES: dict[str, str] = {
    "event-order": "an event that starts before the one above it (an order by theme)",
    "future-event": "an event that starts after the briefing's date (a meeting to come)",
    "nested-period": "a period one of whose ends holds the other (2021 to 2021-10)",
    "when-date": "a `when` label written as a date (1950-06-25)",
    "heading-stop": "a title or subtitle that ends with a full stop",
    "unpaired-marks": "a bracket or quotation mark left unclosed, or closing nothing",
    "same-alt": "two people with one alt name (two names written alike in another script)",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a briefing file, located as precisely as possible."""

    file: str
    line: int | None
    column: int | None
    field: str
    message: str
    hint: str | None = None
    rule: str | None = None
    """Of a warning that can be switched off, its name (:data:`WARNING_RULES`)."""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        # The rule named as check names a typography rule's change (`summary: quotes: …`),
        # so that the writer who means to keep it sees what --no-rule takes.
        said = f"{self.rule}: {self.message}" if self.rule else self.message
        text = f"{where}: {self.field}: {said}" if self.field else f"{where}: {said}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class BriefgenError(Exception):
    """Base class of every error whose message is written for the user: ``str(error)`` as
    a library call is told it, naming a setting as the call gives it (``strict=True``)."""

    def __init__(self, *args: object, command_line: str | None = None):
        """``command_line``: the message as the command line words it, where that names a
        setting otherwise (:meth:`told_on_command_line`)."""
        super().__init__(*args)
        self.command_line = command_line

    def told_on_command_line(self) -> str:
        """The message as the command line prints it, naming a setting by its flag
        (``--strict``); the same as ``str(error)`` where the message names none."""
        return self.command_line or str(self)

    def told(self, from_file: Mapping[str, str]) -> str:
        """The message for the command line, where ``from_file`` maps the settings a
        configuration file gave (and no flag overrode) to the file's name: a message that
        names such a setting names it by the file's key, not by a flag the user never typed.
        The same as :meth:`told_on_command_line` where it names none."""
        del from_file  # this message names no setting: those that do say told() otherwise
        return self.told_on_command_line()


class BriefingError(BriefgenError):
    """A briefing file could not be used; :attr:`problems` lists every reason at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join([*map(str, self.problems), self._summary()]))

    def __reduce__(self) -> tuple[type[BriefingError], tuple[list[Problem]]]:
        # Made again from its problems where it is unpickled: raised in a caller's worker
        # process (a pool, a task queue), it is sent back pickled, and remade from its
        # message it took each character of the report for a problem of its own.
        return (type(self), (self.problems,))

    def _summary(self) -> str:
        count = len(self.problems)
        return f"{count} problem{'s' if count != 1 else ''} found"

    def shown(self, most: int = PROBLEMS_SHOWN) -> str:
        """The report as a build prints it: the first ``most`` problems and, of a briefing
        with more (a file of 300 events with one mistake each), how many more and the
        command that lists them all, so that the report fits on one screen."""
        if len(self.problems) <= most:
            return str(self)
        more = len(self.problems) - most
        check = f"briefgen check {shlex.quote(self.problems[0].file)}"
        return "\n".join(
            [
                *map(str, self.problems[:most]),
                f"… and {more} more: `{check}` lists them all",
                self._summary(),
            ]
        )


#: Set on a warning about the briefing file that :func:`warnings_capped` holds back: the
#: command line does not print it, but it is still logged (and counted, by ``strict``).
HELD = "briefgen_held"


class _Holder(logging.Filter):
    """Marks as held each warning about the file after the first ``most``, of those given on
    the thread that made it: the logger is the process's, and a build on another thread
    at the same time (a service's) warns of its own file."""

    def __init__(self, most: int):
        super().__init__()
        self.most, self.passed, self.held = most, 0, 0
        self.thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        # Only the warnings that point into the file, which `briefgen check` lists too; the
        # PDF's own (a picture WeasyPrint cannot draw) are few, and said once each.
        if (
            record.thread in (self.thread, None)  # None: a program's logging.logThreads off
            and record.levelno >= logging.WARNING
            and isinstance(next(iter(record.args or ()), None), Problem)
        ):
            if self.passed < self.most:
                self.passed += 1
            else:
                self.held += 1
                setattr(record, HELD, True)
        return True


@contextmanager
def warnings_capped(
    source: str, most: int = PROBLEMS_SHOWN, rules: Iterable[str] = ()
) -> Iterator[None]:
    """The warnings of one briefing as ``build`` and ``watch`` print them: the first ``most``
    and then how many more and the command that lists them all, so that a briefing with a
    missing glyph in every event does not push its outputs off the screen, as
    :meth:`BriefingError.shown` does for problems. The command switches off the ``rules``
    the build did (``--no-rule``), so that it lists the warnings the build counted."""
    command = shlex.quote(source) + "".join(f" --no-rule {shlex.quote(rule)}" for rule in rules)
    logger = logging.getLogger("briefgen")
    holder = _Holder(most)
    logger.addFilter(holder)
    try:
        yield
    finally:
        logger.removeFilter(holder)
        if holder.held:
            logger.warning(
                "… and %d more: `briefgen check %s` lists them all",
                holder.held,
                command,
            )


class WarningCount:
    """How many warnings briefgen gave on a thread while it was counted (:func:`counting`)."""

    def __init__(self) -> None:
        self.count = 0


class _Counting(threading.local):
    """Per thread: the counts running on it, one for each build (they may nest)."""

    def __init__(self) -> None:
        self.counts: list[WarningCount] = []


_counting = _Counting()


class _Silenced(threading.local):
    """Per thread: the warning rules switched off for the build running on it."""

    def __init__(self) -> None:
        self.names: frozenset[str] = frozenset()


_silenced = _Silenced()


@contextmanager
def silencing(names: Iterable[str]) -> Iterator[None]:
    """Drops, on this thread meanwhile, the warnings of the rules ``names`` names
    (:data:`WARNING_RULES`; a typography rule's name is let be): neither shown nor counted
    by ``strict``. Per thread, as :func:`counting` is: a build on another thread at the same
    time has its own options."""
    before = _silenced.names
    _silenced.names = before | set(names)
    try:
        yield
    finally:
        _silenced.names = before


@contextmanager
def counting() -> Iterator[WarningCount]:
    """Counts the warnings :func:`warn` gives on this thread meanwhile: a build's, for
    ``strict``. A build on another thread at the same time is not counted."""
    count = WarningCount()
    _counting.counts.append(count)
    try:
        yield count
    finally:
        _counting.counts.remove(count)


def warn(message: str, *args: object, level: int = logging.WARNING) -> None:
    """Log a warning about a briefing or its outputs on the ``briefgen`` logger, and count it
    for the builds running on this thread. Counted here, not by the logger: whether a
    program's logging shows the warning or not (a ``dictConfig`` that disabled the loggers
    there were, briefgen's too), a strict build must still refuse it. A warning about the
    briefing whose rule is switched off (:func:`silencing`) is dropped."""
    if any(isinstance(arg, Problem) and arg.rule in _silenced.names for arg in args):
        return
    counted_elsewhere(1)
    logging.getLogger("briefgen").log(level, message, *args)


def counted_elsewhere(warnings: int) -> None:
    """Count, for the builds running on this thread, ``warnings`` given and shown in a child
    process doing part of the build (a part of a long PDF): counted there, they were lost
    with it."""
    for count in _counting.counts:
        count.count += warnings


class BuildError(BriefgenError):
    """An output could not be produced although the briefing itself was valid."""


class StrictError(BuildError):
    """A strict build refused a valid briefing for its warnings or the typography changes
    it has to make, before anything was written: the briefing's writer has to mend it."""


class UsageError(BriefgenError, ValueError):
    """The call or the command line asked for something that cannot be done: an unknown
    format, a paper size briefgen does not know, a template folder that is not there. The
    command line exits with status 2 for these, as for any other bad usage."""


@dataclass(frozen=True)
class Setting:
    """A build setting as a clash of settings names it."""

    key: str
    """Its name in briefgen.toml: ``marks``."""
    flag: str
    """How the command line gives it: ``--marks``, ``--handout booklet``."""
    value: str
    """Its value as briefgen.toml writes it: ``true``, ``"booklet"``."""
    off: str
    """The flag that undoes it for one build: ``--no-marks``, ``--handout none``."""
    keyword: str
    """How a library call gives it: ``marks=True``, ``handout="booklet"``."""


class SettingsClash(UsageError):
    """Settings that do not go together. Its message names each as a library call gives
    it (``marks=True``): a pipeline's author never typed ``--marks``. The command line words
    it again with :meth:`told`, by its flags, and, for the settings a configuration file
    set, by the file's keys: a user who set ``marks = true`` in briefgen.toml and never
    typed ``--marks`` is not told to leave it out."""

    def __init__(
        self,
        reason: str,
        settings: tuple[Setting, ...],
        advice: str = "",
        keyword_advice: str | None = None,
    ):
        """``advice``: what else to do, as the command line says it; ``keyword_advice``,
        as a library call does it, when that is worded otherwise."""
        self.reason, self.settings, self.advice = reason, settings, advice
        self.keyword_advice = advice if keyword_advice is None else keyword_advice
        keywords = [setting.keyword for setting in settings]
        advised = f"; {self.keyword_advice}" if self.keyword_advice else ""
        super().__init__(
            f"{reason} ({' with '.join(keywords)})\n"
            f"    hint: leave out {' or '.join(keywords)}{advised}"
        )

    def __reduce__(
        self,
    ) -> tuple[type[SettingsClash], tuple[str, tuple[Setting, ...], str, str]]:
        # Made again from its parts where it is unpickled: raised in a worker process (a
        # caller's pool), it is sent back pickled, and remade from its message alone it
        # failed, which broke the pool instead of raising the clash.
        return (type(self), (self.reason, self.settings, self.advice, self.keyword_advice))

    def told_on_command_line(self) -> str:
        return self.told({})

    def told(self, from_file: Mapping[str, str]) -> str:
        """The message for the command line, each setting named where it was given: by its
        flag, or, for the keys ``from_file`` maps to a configuration file's name (which the
        file set and no flag overrode), by the file's key."""
        named, flags, undone = [], [], []
        for setting in self.settings:
            file = from_file.get(setting.key)
            if file is None:
                named.append(setting.flag)
                flags.append(setting.flag)
            else:
                named.append(f"{setting.key} = {setting.value} in {file}")
                undone.append(f"give {setting.off} (or remove {setting.key} from {file})")
        if flags:
            undone.insert(0, f"leave out {' or '.join(flags)}")
        advice = f"; {self.advice}" if self.advice else ""
        return f"{self.reason} ({' with '.join(named)})\n    hint: {', or '.join(undone)}{advice}"


def display_path(path: Path) -> str:
    """The path as the user typed it when it is relative to where they stand, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
