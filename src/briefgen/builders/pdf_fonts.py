"""The fonts WeasyPrint may set briefgen's own PDF in: the document's ``@font-face`` files
alone, never the machine's.

WeasyPrint's ``FontConfiguration`` starts from the machine's fontconfig setup, the system's
and the user's fonts included, and Pango falls back to them for a character no font of the
document has. A PDF then depended on the machine it was built on: an emoji the shipped
fonts lack printed in DejaVu Sans on one machine and as an empty box on a fresh one (where
the warning of the missing glyph said so on both), and a Markdown code span in whatever
monospace font the machine had. Here the font map starts from an empty fontconfig
configuration, to which WeasyPrint adds each ``@font-face`` file (briefgen's subsets and
the briefing's own fonts, ``fonts:`` and ``--font``): the same fonts on every machine, and
a character they lack is the box the warning announces (WeasyPrint still gives it its
character for copying and search). It also spares reading the machine's fontconfig setup
for every document laid out (3 to 15 ms here, more with more fonts installed).

A user's templates keep the machine's fonts: their CSS may name a font installed on it.
"""

from __future__ import annotations

from weasyprint.text.ffi import ffi, fontconfig, gobject, pangoft2
from weasyprint.text.fonts import FontConfiguration

try:
    fontconfig.FcConfigCreate  # noqa: B018 (declared by a WeasyPrint that needs it)
except AttributeError:
    # WeasyPrint 70 declares only the fontconfig functions it calls itself.
    ffi.cdef("FcConfig * FcConfigCreate (void);")


class DocumentFontsOnly(FontConfiguration):  # type: ignore[misc]
    """A ``FontConfiguration`` that knows the document's ``@font-face`` fonts and no other.

    WeasyPrint 70's ``__init__`` with an empty configuration (``FcConfigCreate``) in place of
    the machine's (``FcInitLoadConfigAndFonts``); the rest of the class is WeasyPrint's."""

    def __init__(self) -> None:
        self._config = fontconfig.FcConfigCreate()
        self.font_map = ffi.gc(pangoft2.pango_ft2_font_map_new(), gobject.g_object_unref)
        pangoft2.pango_fc_font_map_set_config(
            ffi.cast("PangoFcFontMap *", self.font_map), self._config
        )
        # The font map holds a reference of its own to the configuration.
        fontconfig.FcConfigDestroy(self._config)
        self._folder = None
        self.strut_layouts: dict[object, object] = {}
        self.font_features: dict[object, object] = {}


def font_configuration(own_templates: bool) -> FontConfiguration:
    """A fresh font configuration for one document: the document's fonts alone for
    briefgen's own templates, the machine's besides for a user's."""
    return DocumentFontsOnly() if own_templates else FontConfiguration()
