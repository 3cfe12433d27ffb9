"""The one gate through which rendering reads files: briefgen's own, and the briefing's folder.

WeasyPrint would otherwise follow any ``http://`` or ``file://`` address a template or a
Markdown link asked for. Nothing is fetched from the network, ever.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .resources import resource_path

log = logging.getLogger("briefgen")


class BriefingFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type hints
    """Serves in-memory files (font subsets) and local files under the allowed folders."""

    def __init__(self, folders: list[Path], in_memory: dict[str, bytes] | None = None):
        super().__init__(allowed_protocols={"file", "data"})
        # briefgen's own fonts and templates, not the whole resource root: in a source
        # checkout that is the repository itself.
        own = [resource_path("fonts"), resource_path("templates")]
        self.folders = [folder.resolve() for folder in [*folders, *own]]
        self.in_memory = in_memory or {}

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url in self.in_memory:
            kind = mimetypes.guess_type(url)[0] or "application/octet-stream"
            return URLFetcherResponse(url, self.in_memory[url], {"Content-Type": kind})
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.folders):
                return super().fetch(url, headers)
        raise ValueError(f"briefgen reads only its own files and the briefing's folder, not {url}")
