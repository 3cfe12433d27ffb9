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


def render_html(briefing: Briefing, options: BuildOptions) -> str:
    """The briefing as one HTML document with its font subsets and images inlined."""
    draft = _render(briefing, options, font_css=Markup(""))
    # The fonts' CSS adds only ASCII, so the draft already holds every character shown.
    subsets = {
        face: fonts.subset(face, [draft, fonts.ALWAYS_DRAWN], briefing.lang)
        for face in faces(briefing)
    }
    font_css = fonts.font_face_css(lambda face: fonts.data_url(subsets[face]), subsets)
    return _render(briefing, options, font_css=font_css)


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
