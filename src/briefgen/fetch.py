"""The one gate through which rendering reads files: briefgen's own, and the briefing's folder.

WeasyPrint would otherwise follow any ``http://`` or ``file://`` address a template or a
Markdown link asked for. Nothing is fetched from the network, ever.
"""

from __future__ import annotations

import io
import logging
import mimetypes
import warnings
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .resources import resource_path
from .values import MAX_IMAGE_PIXELS

log = logging.getLogger("briefgen")


class BriefingFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serves in-memory files (font subsets) and local files under the allowed folders."""

    def __init__(
        self,
        folders: list[Path],
        in_memory: dict[str, bytes] | None = None,
        fonts: frozenset[str] = frozenset(),
    ):
        """``in_memory``: bodies by address; ``fonts``: those of its addresses that are
        briefgen's own font subsets, served without looking for a picture in them."""
        super().__init__(allowed_protocols={"file", "data"})
        # briefgen's own fonts and templates, not the whole resource root: in a source
        # checkout that is the repository itself.
        own = [resource_path("fonts"), resource_path("templates")]
        self.folders = [folder.resolve() for folder in [*folders, *own]]
        self.in_memory = in_memory or {}
        self.fonts = fonts

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url in self.in_memory:
            kind = mimetypes.guess_type(url)[0] or "application/octet-stream"
            response = URLFetcherResponse(url, self.in_memory[url], {"Content-Type": kind})
            # A subset HarfBuzz cut is no picture. Asked for its size, Pillow would try every
            # format it knows on it, importing a plugin for each: 40 ms of every PDF build.
            return response if url in self.fonts else _bounded(response)
        parts = urlsplit(url)
        if parts.scheme == "data":
            return _bounded(super().fetch(url, headers))
        # A file address that names a host (file://example.org/…) is not read: Python's
        # file handler looks the host up to see whether it is this machine, a query to the
        # network for a name the document chose. "localhost" is this machine by name.
        if parts.scheme == "file" and parts.netloc.lower() in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.folders):
                local = parts._replace(netloc="").geturl()
                return _bounded(super().fetch(local, headers))
        raise ValueError(f"briefgen reads only its own files and the briefing's folder, not {url}")


def _bounded(response: URLFetcherResponse) -> URLFetcherResponse:
    """``response``, unless it is a picture of more than :data:`MAX_IMAGE_PIXELS`: an
    event's own picture is held to that when the briefing is read, but a picture inside an
    SVG drawing (``<image href="data:image/png;base64,…">``) or in a briefing's template is
    met only here. WeasyPrint decodes every picture whole, and a 12,000-pixel square PNG of
    400 KB in a drawing of an event took 1.2 GB to lay out. Pillow reads the size from the
    header alone, in any format it knows, as WeasyPrint opens the picture with it."""
    try:
        body = response.read()
    finally:
        response.close()
    size = _pixel_size(body)
    if size is not None and size[0] * size[1] > MAX_IMAGE_PIXELS:
        raise ValueError(
            f"the picture is {size[0]} × {size[1]} pixels, more than the "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels briefgen lays out"
        )
    return URLFetcherResponse(response.url, body, response.headers, response.status)


def _pixel_size(body: bytes) -> tuple[int, int] | None:
    """The width and height of the picture ``body`` holds, None when it is none (a font,
    a stylesheet, an SVG drawing)."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(body)) as image:
                return image.size
        except Image.DecompressionBombError:  # Pillow's own limit, far above briefgen's
            return (MAX_IMAGE_PIXELS + 1, 1)
        except Exception:  # no picture Pillow knows, or one it cannot read a size from
            return None
