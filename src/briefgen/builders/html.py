"""The stand-alone HTML file: one page, fonts and images inlined, opens in any browser."""

from __future__ import annotations

import base64

from markupsafe import Markup

from .. import fonts
from ..model import IMAGE_TYPES, Briefing, Event
from ..options import BuildOptions
from ..render import render
from ..userfonts import faces


class HtmlBuilder:
    name = "html"
    suffix = ".html"

    def render(self, briefing: Briefing, options: BuildOptions) -> bytes:
        return render_html(briefing, options).encode("utf-8")


#: Where the fonts' CSS goes until the subsets are cut from the document's own characters.
#: Control characters never come from a briefing (the loader drops them), so this marks
#: only the place the template gives ``font_css``.
_FONT_CSS_HERE = "\x01briefgen: font faces\x01"


def render_html(briefing: Briefing, options: BuildOptions) -> str:
    """The briefing as one HTML document with its font subsets and images inlined."""
    # Rendered once: the fonts' CSS, which adds only ASCII, takes its marked place after.
    # (Rendered again with it, the document cost twice its templates and Markdown.)
    html = _render(briefing, options, font_css=Markup(_FONT_CSS_HERE))
    shown = html.replace(_FONT_CSS_HERE, "")
    subsets = fonts.subsets(
        {face: [shown] for face in faces(briefing)}, briefing.lang, always=fonts.ALWAYS_DRAWN
    )
    font_css = fonts.font_face_css(lambda face: fonts.data_url(subsets[face]), subsets)
    return html.replace(_FONT_CSS_HERE, font_css)


def _render(briefing: Briefing, options: BuildOptions, font_css: Markup) -> str:
    return render(
        "briefing.html",
        briefing,
        options,
        stylesheet="css/screen.css",
        font_css=font_css,
        image_src=_image_data_url,
    )


def _image_data_url(event: Event) -> str:
    assert event.image is not None  # the template asks only for events with an image
    kind = IMAGE_TYPES[event.image.suffix.lower()]  # the loader accepts no other suffix
    return f"data:{kind};base64," + base64.b64encode(event.image.read_bytes()).decode("ascii")
