"""The stand-alone HTML file: one page, fonts and images inlined, opens in any browser."""

from __future__ import annotations

import base64
import mimetypes

from .. import fonts
from ..model import Briefing, Event
from ..render import render


class HtmlBuilder:
    name = "html"
    suffix = ".html"

    def render(self, briefing: Briefing) -> bytes:
        return render_html(briefing).encode("utf-8")


def render_html(briefing: Briefing) -> str:
    """The briefing as one HTML document with its font subsets and images inlined."""
    draft = _render(briefing, font_css="")
    # The fonts' CSS adds only ASCII, so the draft already holds every character shown.
    subsets = {face: fonts.subset(face, [draft, fonts.ALWAYS_DRAWN], briefing.lang)
               for face in fonts.FACES}
    return _render(briefing, font_css=fonts.font_face_css(lambda face: fonts.data_url(subsets[face])))


def _render(briefing: Briefing, font_css: str) -> str:
    return render("briefing.html", briefing, stylesheet="css/screen.css", font_css=font_css,
                  image_src=_image_data_url)


def _image_data_url(event: Event) -> str:
    assert event.image is not None  # the template asks only for events with an image
    kind = mimetypes.guess_type(event.image.name)[0] or "application/octet-stream"
    return f"data:{kind};base64," + base64.b64encode(event.image.read_bytes()).decode("ascii")
