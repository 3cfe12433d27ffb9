"""One builder per output format. Adding a format is adding a module and a line to _BUILDERS."""

from __future__ import annotations

import importlib
from typing import Protocol

from ..model import Briefing


class Builder(Protocol):
    name: str
    """What ``--format`` calls it."""
    suffix: str
    """File name extension of the output, with its dot."""

    def render(self, briefing: Briefing) -> bytes:
        """The finished output file's bytes."""
        ...


# Format name → "module:class". Imported only when used: WeasyPrint alone takes most of a
# second to import, which `--help` and an HTML-only build should not pay.
_BUILDERS = {
    "pdf": "pdf:PdfBuilder",
    "epub": "epub:EpubBuilder",
    "html": "html:HtmlBuilder",
}
FORMATS: tuple[str, ...] = tuple(_BUILDERS)


def builder(name: str) -> Builder:
    """The builder for a format name from :data:`FORMATS`."""
    module_name, class_name = _BUILDERS[name].split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    return getattr(module, class_name)()
