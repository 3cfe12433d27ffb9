"""The Jinja environment: template lookup and the values every template can use.

Templates are found in the user's folders first (those of the build options, then the
briefing's own ``templates:``), then in briefgen's own ``templates/``; ``!builtin/name`` always
means briefgen's own copy, so a user template can extend it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import re
import stat
import traceback
import weakref
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any, NamedTuple

import jinja2
from jinja2 import meta
from jinja2.bccache import Bucket
from jinja2.exceptions import SecurityError
from jinja2.filters import do_center, do_format, do_indent, do_replace
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import generate_lorem_ipsum
from markupsafe import Markup

from . import assets, fonts
from ._version import __version__
from .colophon import colophon, licence_name
from .errors import BriefgenError, BuildError, display_path
from .i18n import Language, language, script_language
from .markdown import (
    keep_unbreakables,
    kept_names,
    korean_mark_joins,
    latin_mark_spans,
    markdown_filter,
    one_line,
    phrases,
    run_in_phrases,
    run_in_sentence,
    to_text,
    trim_start,
)
from .model import Briefing, Event, PartialDate
from .options import PAPERS, BuildOptions
from .resources import resource_path
from .timeline import figure, label_width
from .userfonts import families, user_faces

#: How many sets of template folders keep their environment (and compiled templates) for
#: the next build: a worker that builds each briefing in a folder of its own, with its own
#: `templates:`, would otherwise keep one for every briefing it ever built.
_ENVIRONMENTS_KEPT = 8


@lru_cache(maxsize=_ENVIRONMENTS_KEPT)
def environment(
    template_dirs: tuple[Path, ...] = (), confined: tuple[Path, Path] | None = None
) -> jinja2.Environment:
    """Templates looked up in ``template_dirs``, then briefgen's own. ``confined`` is a
    briefing's own template folder and the briefing's folder: a briefing is a file from
    anyone, so its templates are read only from inside its folder (no link out of it) and
    run in Jinja's sandbox, which keeps them from Python's internals (the os module behind
    ``cycler.__init__.__globals__``); folders of the build options are the user's own."""
    builtin = jinja2.FileSystemLoader(resource_path("templates"))
    loader = jinja2.ChoiceLoader(
        [
            *(
                _ConfinedLoader(folder, confined[1])
                if confined and folder == confined[0]
                else jinja2.FileSystemLoader(folder)
                for folder in template_dirs
            ),
            builtin,
            jinja2.PrefixLoader({"!builtin": builtin}, delimiter="/"),
        ]
    )
    kind = _BoundedSandbox if confined else jinja2.Environment
    env = kind(
        loader=loader,
        autoescape=True,  # every template here is HTML, XHTML or XML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Apart: the sandbox compiles templates to other code (every call goes through it).
        bytecode_cache=template_cache("sandboxed" if confined else "templates"),
        auto_reload=False,  # the files are checked once per briefing: _drop_changed_templates
    )
    env.filters["markdown"] = markdown_filter
    env.filters["plain"] = to_text
    env.filters["one_line"] = one_line
    env.filters["nobreak"] = keep_unbreakables
    env.filters["phrases"] = phrases
    env.filters["run_in_phrases"] = run_in_phrases
    env.filters["run_in_sentence"] = run_in_sentence
    env.filters["trim_start"] = trim_start
    env.filters["licence"] = licence_name
    env.filters["css_string"] = css_string
    env.filters["em_width"] = em_width
    key_cache_by_compilation(env)
    return env


#: The longest string or list a briefing's template may make with ``*``, and the most bits
#: a number it makes with ``**`` may have: as Jinja's sandbox bounds ``range`` (MAX_RANGE).
MAX_PRODUCT = 1_000_000


class _BoundedSandbox(SandboxedEnvironment):
    """Jinja's sandbox, with ``*`` and ``**`` bounded too: ``{{ "x" * 10**10 }}`` or
    ``{{ 10 ** (10 ** 9) }}``, a few characters of a briefing's template, would take gigabytes
    of memory or hours of work (Jinja even works a constant expression out as it compiles
    the template, unless the sandbox intercepts its operator). So are the filters, ``lipsum``
    and format widths that make a huge string from one number (``"x"|center(10**9)``)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Jinja's own filters and lipsum make what they are asked for from a number alone.
        self.filters["center"] = _bounded_center
        self.filters["indent"] = _bounded_indent
        self.filters["format"] = _bounded_format
        self.filters["replace"] = _bounded_replace
        self.globals["lipsum"] = _bounded_lipsum

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's rule, and a path's name and parts only: the briefing's and its images'
        paths are in every template's context, and a path's methods read, list and write
        the file system (``briefing.path.parent.joinpath("x").read_text()``), which a
        briefing's template must not make briefgen do."""
        if isinstance(obj, Path) and not hasattr(PurePath, attr):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))

    def call(
        self, context: Context, obj: Any, /, *args: Any, **kwargs: Any
    ) -> Any:  # positional-only, as Jinja's double-underscored names are
        _check_string_method(obj, args, kwargs)
        return super().call(context, obj, *args, **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "%" and isinstance(left, str):
            _check_percent_format(left, right)
        if operator == "*" and (_too_long(left, right) or _too_long(right, left)):
            raise SecurityError(
                f"the sandbox makes no string or list longer than {MAX_PRODUCT:,} with *"
            )
        if operator == "**" and _too_large(left, right):
            raise SecurityError(
                f"the sandbox makes no number of more than {MAX_PRODUCT:,} bits with **"
            )
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's own ``str.format`` and ``format_map`` wrapper, with a formatter that
        refuses a width or precision beyond :data:`MAX_PRODUCT` (``"{:>999999999}"``), as
        the field's value and its nested fields (``"{:>{}}"``) are known only then."""
        if super().wrap_str_format(value) is None:
            return None
        text: str = value.__self__
        formatter: SandboxedFormatter = (
            _BoundedEscapeFormatter(self, escape=text.escape)
            if isinstance(text, Markup)
            else _BoundedFormatter(self)
        )
        is_format_map = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                return type(text)(formatter.vformat(text, (), args[0]))
            return type(text)(formatter.vformat(text, args, kwargs))

        return wrapper


class _BoundedFormatter(SandboxedFormatter):
    def format_field(self, value: Any, format_spec: str) -> Any:
        # Every number in a spec counts, be it the width, the precision or a fill digit:
        # none of them is meant to be in the millions.
        if any(int(number) > MAX_PRODUCT for number in re.findall(r"\d+", format_spec)):
            raise SecurityError(_TOO_WIDE)
        return super().format_field(value, format_spec)


class _BoundedEscapeFormatter(_BoundedFormatter, SandboxedEscapeFormatter):
    pass


_TOO_WIDE = f"the sandbox makes no string longer than {MAX_PRODUCT:,} with a format's width"

#: One ``%`` conversion: its key, width and precision (a ``*`` takes the next argument).
_PERCENT = re.compile(r"%(\([^)]*\))?[#0 +\-]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?(.)", re.DOTALL)


def _check_percent_format(text: str, values: Any) -> None:
    """Refuse ``text % values`` if a width or precision in it is beyond :data:`MAX_PRODUCT`
    (``"%999999999d" % 1``, ``"%*d" % (10**9, 1)``): Python would make the string."""
    positional = iter(values if isinstance(values, tuple) else (values,))
    for key, width, precision, conversion in _PERCENT.findall(text):
        if conversion == "%":
            continue
        for number in (width, precision):
            value = next(positional, 0) if number == "*" else int(number or 0)
            if isinstance(value, int) and value > MAX_PRODUCT:
                raise SecurityError(_TOO_WIDE)
        if not key:
            next(positional, None)


#: A string's methods that pad it to a width given as a number.
_PADDING = frozenset({"ljust", "rjust", "center", "zfill"})


def _check_string_method(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse a string's method that would make one longer than :data:`MAX_PRODUCT` from a
    number or a short argument: ``"x".ljust(10**9)``, ``"\t".expandtabs(10**9)``,
    ``("a" * 10**4).replace("a", "b" * 10**5)`` (a gigabyte each)."""
    text = getattr(method, "__self__", None)
    if not isinstance(text, str):
        return
    name = getattr(method, "__name__", "")
    given = dict(zip(("first", "second", "third"), args, strict=False))
    if name in _PADDING:
        width = given.get("first", kwargs.get("width"))
        longer = width if isinstance(width, int) else 0
    elif name == "expandtabs":
        size = given.get("first", kwargs.get("tabsize", 8))
        longer = len(text) + text.count("\t") * size if isinstance(size, int) else 0
    elif name == "replace":
        old, new = given.get("first"), given.get("second")
        count = given.get("third", kwargs.get("count", -1))
        if not (isinstance(old, str) and isinstance(new, str) and isinstance(count, int)):
            return
        longer = _replaced_length(text, old, new, count)
    else:
        return
    if longer > max(MAX_PRODUCT, len(text)):
        raise SecurityError(f"the sandbox makes no string longer than {MAX_PRODUCT:,} with {name}")


def _replaced_length(text: str, old: str, new: str, count: int) -> int:
    """The length of ``text.replace(old, new, count)``, worked out without making it."""
    found = text.count(old) if old else len(text) + 1
    found = found if count < 0 else min(found, count)
    return len(text) + found * (len(new) - len(old))


@jinja2.pass_eval_context
def _bounded_replace(
    eval_ctx: EvalContext, s: str, old: str, new: str, count: int | None = None
) -> str:
    text = str(s)
    if _replaced_length(text, str(old), str(new), -1 if count is None else count) > max(
        MAX_PRODUCT, len(text)
    ):
        raise SecurityError(f"the sandbox makes no string longer than {MAX_PRODUCT:,} with replace")
    return str(do_replace(eval_ctx, s, old, new, count))


def _bounded_center(value: str, width: int = 80) -> str:
    if isinstance(width, int) and width > MAX_PRODUCT:
        raise SecurityError(f"the sandbox makes no string longer than {MAX_PRODUCT:,} with center")
    return do_center(value, width)


def _bounded_indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    # Each line gets the indent: a long text is as big a multiplier as the width.
    step = len(width) if isinstance(width, str) else width
    if isinstance(step, int) and step * (str(s).count("\n") + 1) > MAX_PRODUCT:
        raise SecurityError(f"the sandbox makes no string longer than {MAX_PRODUCT:,} with indent")
    return do_indent(s, width, first, blank)


def _bounded_format(value: str, *args: Any, **kwargs: Any) -> str:
    _check_percent_format(str(value), kwargs or args)
    return do_format(value, *args, **kwargs)


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    # As many as max words in each of n paragraphs.
    if isinstance(n, int) and isinstance(max, int) and n * max > MAX_PRODUCT:
        raise SecurityError(f"the sandbox makes no lipsum of more than {MAX_PRODUCT:,} words")
    return generate_lorem_ipsum(n, html, min, max)


def _too_long(sequence: Any, times: Any) -> bool:
    """Whether ``sequence * times`` would be longer than :data:`MAX_PRODUCT`."""
    return (
        isinstance(sequence, str | bytes | list | tuple)
        and isinstance(times, int)
        and len(sequence) * times > MAX_PRODUCT
    )


def _too_large(base: Any, exponent: Any) -> bool:
    """Whether the integer ``base ** exponent`` would have more than :data:`MAX_PRODUCT`
    bits (it has at least ``exponent`` times one less than ``base`` has); a float
    overflows by itself, with an error."""
    return (
        isinstance(base, int)
        and isinstance(exponent, int)
        and abs(base) > 1
        and (abs(base).bit_length() - 1) * exponent > MAX_PRODUCT
    )


def key_cache_by_compilation(env: jinja2.Environment) -> None:
    """Key ``env``'s compiled templates by what their code depends on besides their source:
    Jinja's version, the environment's kind and options, and how each filter is called
    (a filter that takes the template's context is passed it by the compiled code). Keyed by
    the source alone, a cached template compiled before a filter changed its kind called it
    the old way: "missing 1 required positional argument" on every build until the cache
    was deleted by hand."""
    cache = env.bytecode_cache
    if not isinstance(cache, _TemplateCache):
        return
    filters = sorted(
        f"{name}:{getattr(function, 'jinja_pass_arg', '')}"
        for name, function in env.filters.items()
    )
    options = (
        jinja2.__version__,
        type(env).__name__,
        env.trim_blocks,
        env.lstrip_blocks,
        env.keep_trailing_newline,
        env.autoescape,
    )
    cache.compiled_with = "|".join(map(str, (*options, *filters)))


def em_width(text: str) -> float:
    """How wide ``text`` is in em of the shipped bold sans face (the chips' and headings'):
    for a template to tell a chip too long for a line (``partials/event.html``)."""
    return label_width(text, 1.0, fonts.SANS_BOLD)


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A briefing's own template folder, whose files must lie inside the briefing's folder
    once links are followed: the folder itself is checked when the briefing is read
    (values.py), a link inside it to a file elsewhere (``/etc/passwd``, a key) here."""

    def __init__(self, folder: Path, root: Path):
        super().__init__(folder)
        self.root = root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.root):
            raise BuildError(
                f"{display_path(Path(filename))}: the briefing's template is a link to "
                f"{Path(filename).resolve()}, outside the briefing's folder; briefgen reads "
                "nothing outside it for a briefing (copy the file into the folder)"
            )
        return source, filename, uptodate


def _template_line(error: Exception, users_only: bool = False) -> str | None:
    """``file:line`` of the template line that raised ``error``: Jinja rewrites the
    traceback so that a template's frames carry its file name and line. ``users_only``:
    None when that template is briefgen's own."""
    frames = traceback.extract_tb(error.__traceback__)
    own = resource_path("templates").resolve()
    for frame in reversed(frames):
        if not frame.filename.endswith(".py") and os.path.isfile(frame.filename):
            if users_only and Path(frame.filename).resolve().is_relative_to(own):
                return None
            return f"{display_path(Path(frame.filename))}:{frame.lineno}"
    return None


def css_string(text: str) -> Markup:
    """``text`` as a quoted CSS string, safe inside a ``<style>`` element: quotes and
    backslashes escaped, line breaks and ``<`` (which could close the element) as hex."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\A ").replace("<", "\\3C ")
    return Markup(f'"{escaped}"')


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, so that a build compiles none it has compiled
    before: compiling briefgen's templates took 30 ms of every PDF build of the sample, a
    tenth of what briefgen adds to WeasyPrint's own time (docs/performance.md). Jinja
    checks each entry against the template's source and the Python version, so an edited
    template or a user's own is compiled afresh. A cache that cannot be read or written
    (a read-only home) only means compiling again."""

    #: What the compiled code depends on besides the source (key_cache_by_compilation).
    compiled_with = ""

    def get_source_checksum(self, source: str) -> str:
        return super().get_source_checksum(self.compiled_with + "\0" + source)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            self._load_own(bucket)
        except Exception:  # unreadable or damaged (pickle and marshal raise many kinds)
            bucket.reset()

    def _load_own(self, bucket: Bucket) -> None:
        """The entry loaded if it is the user's own and no one else can write it: a folder
        the user made theirs alone (``chmod 700``) after others could write in it may still
        hold an entry someone else planted, code the build would run. Another entry is left
        out, so the template is compiled afresh and its entry written anew."""
        name = os.path.join(self.directory, self.pattern % (bucket.key,))
        try:
            descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return
        with os.fdopen(descriptor, "rb") as entry:
            found = os.fstat(entry.fileno())
            others_wrote = hasattr(os, "getuid") and (
                found.st_uid != os.getuid() or found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            )
            if stat.S_ISREG(found.st_mode) and not others_wrote:
                bucket.load_bytecode(entry)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def template_cache(kind: str = "templates") -> jinja2.BytecodeCache | None:
    """The user's cache folder for compiled templates of a ``kind``
    (``$XDG_CACHE_HOME/briefgen/<kind>`` or ``~/.cache/briefgen/<kind>``), made if need be;
    None where there is none to be had."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        # A relative one is ignored, as the XDG specification asks: it named a folder in
        # whatever folder briefgen ran in, and a service made one in each it built from.
        base = os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "briefgen", kind)
    try:
        # Both of briefgen's folders made the user's alone: makedirs gives its mode to the
        # last one only, and under a umask of 002 (Ubuntu's for a user) the briefgen folder
        # was made writable by the group, and the cache then never used.
        os.makedirs(base, exist_ok=True)
        for made in (os.path.dirname(folder), folder):
            with contextlib.suppress(FileExistsError):
                os.mkdir(made, 0o700)
    except OSError:
        return None
    folders = (os.path.dirname(folder), folder)
    if not all(map(_own_alone, folders)):
        if not all(map(_made_own_alone, folders)):
            return None
        # While others could write in it, entries may have been planted: none is kept.
        _emptied(folder)
    return _TemplateCache(folder)


def _made_own_alone(folder: str) -> bool:
    """Whether ``folder`` is the user's own alone, once made so if it is the user's own: an
    earlier briefgen made ``briefgen`` writable by the group under a umask of 002, and the
    cache was then never used. Jinja's own cache folder is tightened the same way."""
    if _own_alone(folder):
        return True
    # Through a descriptor of the folder itself, not its name: while its parent is open to
    # others, one could put a link in its place between a look and a chmod by name, which
    # follows links, and so take another of the user's files or folders from its readers.
    try:
        opened = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        found = os.fstat(opened)
        if not stat.S_ISDIR(found.st_mode) or found.st_uid != os.getuid():
            return False
        os.fchmod(opened, 0o700)
    except OSError:
        return False
    finally:
        os.close(opened)
    return _own_alone(folder)


def _emptied(folder: str) -> None:
    """``folder``'s files removed (compiled templates), what cannot be removed left."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _own_alone(folder: str) -> bool:
    """Whether ``folder`` is the user's own, and no one else can write in it. A compiled
    template is Python code that the next build runs: in a cache another user can write to
    (``XDG_CACHE_HOME=/tmp`` on a shared server, where someone made ``/tmp/briefgen``
    first), they could plant code that briefgen then runs as this user, a briefing's
    sandboxed templates included. Jinja's own cache folder is checked the same way."""
    if not hasattr(os, "getuid"):  # Windows: a user's cache is under their own profile
        return True
    try:
        found = os.lstat(folder)
    except OSError:
        return False
    return (
        stat.S_ISDIR(found.st_mode)
        and found.st_uid == os.getuid()
        and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


#: The paper whose text column the HTML's and the EPUB's timeline is drawn for: the
#: default's.
SCREEN_PAPER = PAPERS[BuildOptions.paper]


def context(briefing: Briefing, options: BuildOptions, **extra: Any) -> dict[str, Any]:
    """What every template sees: the briefing, the build options, the language's labels
    and wording (``period(event)``, ``format_date(day)``), and helpers."""
    labels = language(briefing.lang)

    def format_date(day: dt.date) -> str:
        return labels.date(PartialDate(day.year, day.month, day.day))

    return {
        "briefing": briefing,
        "options": options,
        "labels": labels,
        "period": labels.period,
        "period_html": lambda event: period_html(labels, event),
        "format_date": format_date,
        # script_lang(text): the language tag a name in another script is marked with, or
        # None (i18n.script_language).
        "script_lang": lambda text: script_language(text, briefing.lang),
        "event_id": event_id,
        "image_alt": image_alt,
        "person_id": person_id,
        "keywords": _indexes(briefing).keywords,
        "appearances": _indexes(briefing).appearances,
        "person_index": _indexes(briefing).person_index,
        "version": __version__,
        # The font-family lists: the briefing's own fonts (fonts:) before briefgen's.
        **families(briefing),
        "colophon": colophon(options, user_faces(briefing)),
        # timeline(events_href): the front page's picture of the events (briefgen/timeline.py).
        # In the HTML and the EPUB (the PDF sets its own) it is scaled to the reader's column
        # and drawn for the default paper's, whatever paper the PDF of the same build is on:
        # the paper means nothing to them, and they are the same whether it is given or not.
        "timeline": lambda events_href: figure(
            briefing, labels, options, events_href, event_id, paper=SCREEN_PAPER
        ),
        # Single-document outputs link within the page; the EPUB builder, which splits the
        # briefing into several files, overrides these two.
        "people_href": "",
        "events_href": lambda anchor: "",
        # asset(name): a picture of the user's template folder, as this format shows it; a
        # data: URL unless the builder packs or serves the file (briefgen/assets.py).
        "asset": lambda name=None: assets.data_url(
            assets.find(name, template_folders(briefing, options))
        ),
        **extra,
    }


def image_alt(event: Event) -> str:
    """An event's picture's text alternative in the HTML and the EPUB: its ``alt``; else,
    with a caption, an empty one (``alt=""``): the figure's caption, read out beside the
    picture, is then its text alternative, which a copy in ``alt`` would have a screen
    reader read twice (HTML's rule for a picture that the text beside it describes, and
    WAI's for an image with an adjacent text alternative); else the event's title."""
    if event.alt:
        return event.alt
    return "" if event.caption else event.title


def print_image_alt(event: Event) -> str:
    """The same in the PDF, whose PDF/UA figures need a text alternative of their own: a
    picture left without one is refused by the standard, so the caption stands in too."""
    return event.alt or event.caption or event.title


def period_html(labels: Language, event: Event) -> Markup:
    """An event's period label as HTML where it may wrap (the contents' column of labels):
    a period written from its two dates breaks after its range mark, each date whole
    (``1950年6月25日～`` over ``1953年7月27日``), not inside the second (``1953年7月`` over
    ``27日``); a label of the briefing's own (``when``), or of one date, as it is."""
    label = labels.period(event)
    joiner = labels.range_joiner
    if event.when or joiner not in label:
        return Markup.escape(label)
    first, rest = label.split(joiner, 1)
    second = rest.lstrip()
    between = rest[: len(rest) - len(second)]
    return Markup('<span class="nobreak">{}</span>{}<span class="nobreak">{}</span>').format(
        first + joiner, between, second
    )


def event_id(index: int) -> str:
    """A stable anchor for the n-th event (ASCII, never starting with a digit)."""
    return f"event-{index + 1:02d}"


def person_id(index: int) -> str:
    return f"person-{index + 1:02d}"


def keywords(briefing: Briefing) -> list[str]:
    """The events' tags, each once, in the order first met (``Foo`` and ``foo`` are one, as
    Jinja's ``unique`` has it): the document's keywords. Gathered here, in one pass: summed
    as tuples in the template, they took time that grew with the square of the events
    (30 ms at 3,000 events, for every part of a PDF laid out in parts)."""
    found: dict[str, str] = {}
    for event in briefing.events:
        for tag in event.tags:
            found.setdefault(tag.lower(), tag)
    return list(found.values())


def appearances(briefing: Briefing) -> dict[str, list[tuple[str, Event]]]:
    """Person name → the events they take part in, as ``(anchor, event)`` pairs."""
    found: dict[str, list[tuple[str, Event]]] = {p.name: [] for p in briefing.people}
    for index, event in enumerate(briefing.events):
        for name in event.people:
            found[name].append((event_id(index), event))
    return found


def template_folders(briefing: Briefing, options: BuildOptions) -> tuple[Path, ...]:
    """The user's template folders, in the order they are searched: the options' (from
    ``--templates`` or a configuration file), then the one the briefing names."""
    own = (briefing.templates,) if briefing.templates else ()
    return tuple(dict.fromkeys((*options.templates, *own)))


def briefing_templates_first(briefing: Briefing, options: BuildOptions) -> BuildOptions:
    """``options`` with the briefing's own template folder before the options' folders: for
    folders that come from a configuration file, which the briefing's own choice overrides
    (a ``--templates`` flag is not put behind it)."""
    if briefing.templates is None:
        return options
    return dataclasses.replace(options, templates=(briefing.templates, *options.templates))


class _Indexes(NamedTuple):
    appearances: dict[str, list[tuple[str, Event]]]
    person_index: dict[str, int]
    keywords: tuple[str, ...]
    names: frozenset[str]


_last_indexes: list[tuple[Briefing, _Indexes] | None] = [None]


def _indexes(briefing: Briefing) -> _Indexes:
    """:func:`appearances`, each person's place in the list, the :func:`keywords` and the
    people's names (:func:`_names`), worked out once per briefing: the EPUB fills a
    template for every event, and every one sees them (for 1,000 events, once instead of a
    thousand times). The last briefing's are kept, by identity."""
    last = _last_indexes[0]  # read once: another thread may replace it meanwhile
    if last is not None and last[0] is briefing:
        return last[1]
    found = _Indexes(
        appearances(briefing),
        {person.name: index for index, person in enumerate(briefing.people)},
        tuple(keywords(briefing)),
        frozenset(_names(briefing)),
    )
    _last_indexes[0] = (briefing, found)
    return found


#: The briefing each environment's templates were last checked against their files for,
#: while the environment is kept (:data:`_ENVIRONMENTS_KEPT`).
_checked_for: weakref.WeakKeyDictionary[jinja2.Environment, Briefing] = weakref.WeakKeyDictionary()


def _drop_changed_templates(env: jinja2.Environment, briefing: Briefing) -> None:
    """Forget the templates whose files changed since they were read, so that they are read
    again, once for each briefing rendered: left to Jinja, each use of a template checks its
    file, three for each of a 1,000-event EPUB's documents, a fifth of their time. A briefing
    is made anew for each build (``briefgen watch`` reloads it on every save)."""
    if _checked_for.get(env) is briefing or env.cache is None:
        return
    for key, template in env.cache.items():
        if not template.is_up_to_date:
            with contextlib.suppress(KeyError):  # dropped meanwhile by another thread
                del env.cache[key]
    _checked_for[env] = briefing


def template_file(template: str, briefing: Briefing, options: BuildOptions) -> str:
    """Where the template ``template`` is read from for this briefing, as a user names it:
    a file of their template folder, or briefgen's own."""
    confined = None
    if briefing.templates is not None and briefing.path is not None:
        confined = (briefing.templates, briefing.path.resolve().parent)
    found = environment(template_folders(briefing, options), confined).get_template(template)
    return display_path(Path(found.filename)) if found.filename else template


def users_templates_in(template: str, briefing: Briefing, options: BuildOptions) -> list[str]:
    """The files of the user's template folders that ``template`` is made with: itself, and
    those it extends, includes or imports, at any depth (by the names written in them).
    For an error found in what a template of briefgen's made, which may be a partial of the
    user's it includes that is to blame."""
    confined = None
    if briefing.templates is not None and briefing.path is not None:
        confined = (briefing.templates, briefing.path.resolve().parent)
    env = environment(template_folders(briefing, options), confined)
    loader = env.loader
    if loader is None:
        return []
    own = resource_path("templates").resolve()
    found: list[str] = []
    seen: set[str] = set()
    names = [template]
    while names:
        name = names.pop(0)
        if name in seen:
            continue
        seen.add(name)
        try:
            source, filename, _ = loader.get_source(env, name)
            names += [n for n in meta.find_referenced_templates(env.parse(source)) if n]
        except Exception:  # missing or broken: that is reported where it is rendered
            continue
        if filename and not Path(filename).resolve().is_relative_to(own):
            found.append(display_path(Path(filename)))
    return found


def _names(briefing: Briefing) -> Iterator[str]:
    """The names of the briefing's people, as written in it and in another script: those
    that the templates' filters keep on one line (briefgen/markdown.py: ``kept_names``)."""
    for person in briefing.people:
        yield person.name
        if person.alt:
            yield person.alt


#: How to mend a template of the user's that does not render.
_TEMPLATE_HINT = (
    "    hint: remove the file to use briefgen's own, or compare it with briefgen's own, "
    "which `briefgen templates export DIR` writes, each with the variables it uses"
)


def render(template: str, briefing: Briefing, options: BuildOptions, **extra: Any) -> str:
    """Fill a template with a briefing; the user's template folders come first."""
    folders = template_folders(briefing, options)
    confined = None
    if briefing.templates is not None and briefing.path is not None:
        confined = (briefing.templates, briefing.path.resolve().parent)
    env = environment(folders, confined)
    _drop_changed_templates(env, briefing)
    try:
        with (
            latin_mark_spans(briefing.lang),
            korean_mark_joins(briefing.lang),
            kept_names(_indexes(briefing).names),
        ):
            return env.get_template(template).render(context(briefing, options, **extra))
    except jinja2.TemplateSyntaxError as error:
        file = display_path(Path(error.filename)) if error.filename else error.name
        where = f"{file}:{error.lineno}"
        raise BuildError(f"{where}: template error: {error.message}\n{_TEMPLATE_HINT}") from None
    except (jinja2.UndefinedError, SecurityError) as error:
        # A user template asked for a name that is not there, or for what the sandbox keeps
        # from a briefing's templates.
        where = _template_line(error) or f"{template} or a template it uses"
        raise BuildError(f"{where}: template error: {error.message}\n{_TEMPLATE_HINT}") from None
    except jinja2.TemplateNotFound as error:
        # Where a template includes or extends the missing one, if one does.
        including = _template_line(error)
        if str(error.name).startswith("!builtin/"):
            # Looked for among briefgen's own alone, whatever the folders.
            where = (
                "briefgen's own\n"
                "    hint: its names are those `briefgen templates export DIR` writes"
            )
        elif folders:
            where = ", ".join(map(str, folders)) + " or briefgen's own"
        else:
            where = "briefgen's own"
        raise BuildError(
            (f"{including}: " if including else "")
            + f"template {error.name!r} not found in {where}"
        ) from None
    except assets.AssetError as error:
        where = _template_line(error) or f"{template} or a template it uses"
        raise BuildError(f"{where}: {error.message}\n    hint: {error.hint}") from None
    except BriefgenError:
        raise
    except Exception as error:
        # An expression of a user's template that fails in Python (`{{ 1 / 0 }}`, a range the
        # sandbox refuses) is theirs to mend; raised in briefgen's own templates, a bug.
        users = _template_line(error, users_only=True)
        if users is None:
            raise
        what = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise BuildError(f"{users}: template error: {what}\n{_TEMPLATE_HINT}") from None
