"""The stand-alone HTML file: one page, fonts and images inlined, opens in any browser."""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from jinja2.exceptions import SecurityError
from markupsafe import Markup

from .. import fonts
from ..errors import warn
from ..model import IMAGE_TYPES, Briefing, Event
from ..options import BuildOptions
from ..render import render, template_folders, users_templates_in
from ..userfonts import faces
from .epub_references import css_references, srcset_addresses

log = logging.getLogger("briefgen")


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
    if template_folders(briefing, options):  # briefgen's own load nothing of their own
        _warn_unpacked(shown, briefing, options)
    subsets = fonts.subsets(
        {face: [shown] for face in faces(briefing)}, briefing.lang, always=fonts.ALWAYS_DRAWN
    )
    font_css = fonts.font_face_css(lambda face: fonts.data_url(subsets[face]), subsets)
    return html.replace(_FONT_CSS_HERE, font_css)


def _render(briefing: Briefing, options: BuildOptions, font_css: Markup) -> str:
    images = frozenset(event.image for event in briefing.events if event.image is not None)
    return render(
        "briefing.html",
        briefing,
        options,
        stylesheet="css/screen.css",
        font_css=font_css,
        image_src=lambda event: _image_data_url(event, images),
    )


def _image_data_url(event: Event, images: frozenset[Path]) -> str:
    assert event.image is not None  # the template asks only for events with an image
    if event.image not in images:
        # A template's own object with an image of its choosing (namespace(image=…)): the
        # file would be read from wherever it named, outside the briefing's folder.
        raise SecurityError("image_src() shows the images of the briefing's events only")
    kind = IMAGE_TYPES[event.image.suffix.lower()]  # the loader accepts no other suffix
    return f"data:{kind};base64," + base64.b64encode(event.image.read_bytes()).decode("ascii")


# -- what a template of the user's loads that the one file does not hold ---------------------


def _warn_unpacked(html: str, briefing: Briefing, options: BuildOptions) -> None:
    """Warns of each local file the document loads (`<img src="logo.png">`, a stylesheet
    linked as `house.css`, `url(paper.png)`): the HTML is one file, opened wherever it is
    copied or mailed to, and a browser finds such a file beside it, or on this computer
    alone, and shows nothing where it is not. The PDF says as much of a picture it could not
    load; here the file is not looked for, so every such reference is told of."""
    references = list(dict.fromkeys(_local_references(html)))
    if not references:
        return
    written = _users_files(briefing, options)
    for reference in references:
        # The path whole, not inside another (logo.png in asset("img/logo.png")).
        whole = re.compile(rf"(?<![\w./-]){re.escape(reference)}(?![\w./-])")
        where = [name for name, text in written.items() if whole.search(text)]
        warn(
            "HTML: %sloads %s, which the one-file HTML does not hold (a browser looks for "
            "it %s)\n    hint: %s",
            f"{', '.join(where)} " if where else "a template of yours ",
            reference,
            "beside the HTML file" if _relative(reference) else "on the computer opening it",
            _unpacked_hint(reference),
        )


def _relative(reference: str) -> bool:
    """Whether ``reference`` is a path from the document's own folder (logo.png, img/x.svg)."""
    parts = urlsplit(reference)
    return not parts.scheme and not parts.path.startswith("/")


def _unpacked_hint(reference: str) -> str:
    path = PurePosixPath(unquote(urlsplit(reference).path))
    if path.suffix.lower() in IMAGE_TYPES:
        # asset() takes a name inside the template folder: a path written as one stays.
        inside = _relative(reference) and ".." not in path.parts
        return (
            "keep the picture in your template folder and show it with "
            f'asset("{path if inside else path.name}"), which packs it into the HTML'
        )
    if path.suffix.lower() == ".css":
        return (
            "write the stylesheet's rules into your template folder's css/screen.css (the "
            "HTML's) or css/base.css (every format's), which the HTML holds"
        )
    return "the one-file HTML holds only pictures shown with asset() and the events' images"


def _users_files(briefing: Briefing, options: BuildOptions) -> dict[str, str]:
    """The text of the user's templates the HTML is made with, by their shown names."""
    names = users_templates_in("briefing.html", briefing, options)
    # The stylesheet is included by a variable's name, which the search cannot follow.
    names += users_templates_in("css/screen.css", briefing, options)
    texts = {}
    for name in dict.fromkeys(names):
        try:
            texts[name] = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):  # read already to render: this cannot fail
            continue
    return texts


def _local_references(html: str) -> Iterator[str]:
    """What ``html`` loads from a file rather than from the document itself, a ``data:``
    URL or the web."""
    finder = _Loads()
    finder.feed(html)
    finder.close()
    for reference in finder.loads:
        parts = urlsplit(reference.strip())
        if parts.netloc and parts.scheme in ("", "http", "https"):
            continue  # the web (`//host/…` too): the page needs a connection, as it says
        # A drive letter (C:/logo.png) is read as a scheme of one letter.
        local = parts.scheme in ("", "file") or len(parts.scheme) == 1
        if local and parts.path:  # not a place in the document itself (#x)
            yield reference.strip()


#: The ``rel`` of a ``<link>`` that loads what it names (an alternate or a licence only
#: leads to it).
_LINK_LOADS = frozenset(("stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"))


class _Loads(HTMLParser):
    """The addresses an HTML document loads, as a browser would fetch them: pictures,
    media, scripts, linked stylesheets and icons, and what its styles load."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.loads: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in ("src", "data", "poster"):
                self.loads.append(value)
            elif name == "srcset":
                self.loads += srcset_addresses(value)
            elif name == "style":
                self.loads += css_references(value)
        rel = set(values.get("rel", "").lower().split())
        if tag == "link" and (rel & _LINK_LOADS or any(r.endswith("icon") for r in rel)):
            self.loads.append(values.get("href", ""))
        elif tag in ("image", "use"):  # an SVG's picture, and its copy of a drawing
            self.loads.append(values.get("href") or values.get("xlink:href") or "")
        self.in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.loads += css_references(data)
