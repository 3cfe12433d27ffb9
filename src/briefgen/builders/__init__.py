"""One builder per output format, found by name.

A builder is a class with a ``name``, a file ``suffix`` and ``render(briefing, options) ->
bytes``; it writes nothing itself (only :func:`briefgen.build` writes files). briefgen's own
are listed in :data:`BUILTIN`; other packages add formats through the ``briefgen.builders``
entry point group, as Sphinx and MkDocs let packages add theirs::

    [project.entry-points."briefgen.builders"]
    docx = "briefgen_docx:DocxBuilder"
"""

from __future__ import annotations

import functools
import importlib
import logging
import sys
from typing import TYPE_CHECKING, Protocol

from ..errors import BuildError, UsageError

if TYPE_CHECKING:
    from ..model import Briefing
    from ..options import BuildOptions

log = logging.getLogger("briefgen")

ENTRY_POINT_GROUP = "briefgen.builders"


class Builder(Protocol):
    name: str
    """What ``--format`` calls it."""
    suffix: str
    """File name extension of the output, with its dot."""

    def render(self, briefing: Briefing, options: BuildOptions) -> bytes:
        """The finished output file's bytes."""
        ...


# Format name → "module:class". Imported only when used: WeasyPrint alone takes most of a
# second to import, which `--help` and an HTML-only build should not pay.
BUILTIN = {
    "pdf": "briefgen.builders.pdf:PdfBuilder",
    "epub": "briefgen.builders.epub:EpubBuilder",
    "html": "briefgen.builders.html:HtmlBuilder",
    "print-html": "briefgen.builders.pdf:PrintHtmlBuilder",
}

#: Formats that ``all`` leaves out: by-products asked for by name (``--keep-html``).
NOT_IN_ALL = frozenset({"print-html"})


def available() -> dict[str, str]:
    """Every format that can be built, name → ``module:class``: briefgen's own, then those
    installed packages register. A package cannot replace a built-in format."""
    found = dict(BUILTIN)
    for name, value in _registered(tuple(sys.path)):
        if name in found or name == "all":
            log.debug("ignored builder %r from %s: the name is taken", name, value)
            continue
        found[name] = value
    return found


@functools.cache
def _registered(path: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The formats installed packages register, ``(name, "module:class")``, looked up once
    for each ``sys.path``: a lookup reads the metadata of every installed package (5 ms
    with a system's few hundred), and a build asks several times."""
    from importlib.metadata import entry_points  # 25 ms to import, for a build only

    return tuple((entry.name, entry.value) for entry in entry_points(group=ENTRY_POINT_GROUP))


def formats() -> tuple[str, ...]:
    """The names ``--format`` accepts (besides ``all``)."""
    return tuple(available())


def is_format(name: str) -> bool:
    """Whether ``name`` is a format that can be built; a built-in one is known without
    reading any package's metadata (a package cannot replace it)."""
    return name in BUILTIN or name in available()


def builder(name: str) -> Builder:
    """A new builder for the format ``name``."""
    if name in BUILTIN:
        value = BUILTIN[name]
    else:
        known = available()
        if name not in known:
            raise UsageError(f"unknown format {name!r}; choose from {', '.join(known)} or all")
        value = known[name]
    module_name, _, class_name = value.partition(":")
    # Imported here: ctypes and subprocess, which it needs, are a twentieth of `--help`.
    from .. import libraries

    try:
        with libraries.quick_lookup():  # WeasyPrint's libraries, for the PDF's builder
            module = importlib.import_module(module_name)
        builder_class = getattr(module, class_name)
        made: Builder = builder_class()
    except Exception as error:  # a broken plug-in must not look like a bug in briefgen
        raise BuildError(
            f"the builder of the {name!r} format ({value}) could not be loaded: "
            f"{type(error).__name__}: {error}"
        ) from error
    return made
