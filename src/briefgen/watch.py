"""``briefgen watch``: rebuild a briefing on every save, and serve its HTML on the local machine
with a page that reloads itself after each rebuild.

The outputs are written exactly as ``briefgen build`` writes them; only the page the server
sends carries the small reloading script (and, after a failed save, the error as a banner over
the last good preview). Changes are watched with watchfiles: the briefing file, the images and
font files it names, and the template folders.
"""

from __future__ import annotations

import errno
import html
import http.server
import ipaddress
import json
import socket
import sys
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles
import yaml

from .errors import (
    BriefgenError,
    BriefingError,
    UsageError,
    display_path,
    silencing,
    warnings_capped,
)
from .load import load
from .model import Briefing
from .options import BuildOptions
from .pipeline import build
from .render import briefing_templates_first, template_folders
from .userfonts import user_faces

#: The address the page polls for the preview's state.
STATUS_PATH = "/__briefgen__/status"

#: Tells an editor's own files (swap files, backups, lock files) from the user's: False
#: for those.
_EDITORS_OWN = watchfiles.DefaultFilter()

#: How many ports after the one asked for are tried when it is busy.
PORT_TRIES = 20

_RELOADER = """<script id="briefgen-reload">
/* briefgen watch: reload when a rebuild (or a failed one) is done. Only in the served page. */
(() => {
  let seen = %(generation)d;
  async function poll() {
    try {
      const state = await (await fetch("%(status)s", {cache: "no-store"})).json();
      if (state.generation !== seen) { location.reload(); return; }
    } catch (error) { /* the watcher stopped or is busy: keep asking */ }
    setTimeout(poll, 500);
  }
  setTimeout(poll, 500);
})();
</script>
"""

_BANNER = """<div id="briefgen-error" role="alert" style="position: fixed; inset: 0 0 auto 0;
 z-index: 2147483647; max-height: 60vh; overflow: auto; margin: 0; padding: 0.8em 1.2em;
 background: #fde8e8; color: #7a0c0c; border-bottom: 2px solid #c81e1e;
 font: 14px/1.5 ui-monospace, monospace; white-space: pre-wrap;">\
<strong>briefgen: %(headline)s</strong>
%(message)s</div>
"""
#: The banner's first line: over the last good preview, or over nothing when no save has
#: been built yet (watch started on a briefing with errors).
_SINCE_GOOD = "the last save could not be built; this is the last good preview."
_NEVER_GOOD = "the briefing could not be built; save it once mended and the preview appears here."

_EMPTY_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>briefgen</title></head>"
    "<body></body></html>"
)


@dataclass
class Preview:
    """What the server shows: the last good HTML, the last error (None after a good build),
    and a generation number that changes with each of them, for the page to notice."""

    html: str | None = None
    error: str | None = None
    generation: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def succeeded(self, document: str) -> None:
        with self.lock:
            self.html, self.error, self.generation = document, None, self.generation + 1

    def failed(self, message: str) -> None:
        with self.lock:
            self.error, self.generation = message, self.generation + 1

    def page(self) -> bytes:
        """The page to send: the last good HTML with the reloader and any error banner."""
        with self.lock:
            good, error, generation = self.html, self.error, self.generation
        document = good or _EMPTY_PAGE
        added = _RELOADER % {"generation": generation, "status": STATUS_PATH}
        if error is not None:
            headline = _SINCE_GOOD if good is not None else _NEVER_GOOD
            added = _BANNER % {"headline": headline, "message": html.escape(error)} + added
        end = document.rfind("</body>")
        if end < 0:
            end = len(document)
        return (document[:end] + added + document[end:]).encode("utf-8")

    def status(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error}).encode()


def addressed_names(host: str) -> frozenset[str]:
    """The host names a request to the preview served on ``host`` may be addressed to,
    besides any IP address: ``localhost``, ``host`` itself and this machine's own name."""
    machine = socket.gethostname().lower()
    return frozenset({"localhost", host.lower(), machine, f"{machine}.local"})


def addressed_here(header: str | None, names: frozenset[str]) -> bool:
    """Whether a request's ``Host`` header names this machine: an IP address or one of
    ``names``. A page of another site that has its own name resolve to 127.0.0.1 (DNS
    rebinding) is then the same origin as the preview in the browser, and could read it;
    its requests still carry that site's name, which is refused here. Any port is taken:
    the name is what tells the two apart, and a tunnel or a container (``ssh -L 9000:…``)
    reaches the preview on a port other than its own."""
    if not header:
        return False
    try:
        name = urllib.parse.urlsplit(f"//{header}").hostname
    except ValueError:  # "[::1" and the like
        return False
    if not name:
        return False
    name = name.rstrip(".")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return name in names
    return True  # an address is no name another site can point here


def _reach_as(header: str | None) -> str:
    """The hint of a refused request: how to be reached by the name it was addressed to (a
    colleague's browser naming the machine by its full DNS name, which is not known here
    without a lookup that can stall the start)."""
    try:
        name = urllib.parse.urlsplit(f"//{header}").hostname if header else None
    except ValueError:
        name = None
    if not name:
        return "the request named no host (its Host header)"
    return f"to preview it at {name}, start it with: briefgen watch --host {name}"


def serve(preview: Preview, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """A server for the preview on ``host``, on ``port`` or the next free one (0: any free
    port), answering in a thread of its own, and only to requests addressed to this machine
    (:func:`addressed_here`)."""
    names = addressed_names(host)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # the name http.server calls
            if not addressed_here(self.headers.get("Host"), names):
                self.send_error(
                    421,
                    "briefgen watch serves the preview to addresses of this machine only",
                    _reach_as(self.headers.get("Host")),
                )
            elif self.path == STATUS_PATH:
                self.send(preview.status(), "application/json")
            elif self.path.split("?")[0] in ("/", "/index.html"):
                self.send(preview.page(), "text/html; charset=utf-8")
            else:
                self.send_error(404, "briefgen watch serves the preview at /")

        def send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # a request line for every poll would bury the build messages

    server = _bind(host, port, Handler)
    threading.Thread(target=server.serve_forever, name="briefgen-preview", daemon=True).start()
    return server


class _Server6(http.server.ThreadingHTTPServer):
    """A server on an IPv6 address (``--host ::1``, ``--host ::``): http.server's binds
    IPv4 sockets only, which refused every IPv6 address as no address of this machine."""

    address_family = socket.AF_INET6


def _bind(
    host: str, port: int, handler: type[http.server.BaseHTTPRequestHandler]
) -> http.server.ThreadingHTTPServer:
    if not host.strip():
        # An empty address is every network the machine is on, as 0.0.0.0 is: a --host
        # "$HOST" with the variable unset would serve the preview to them all unasked.
        raise UsageError(
            "--host is empty; give an address of this machine: 127.0.0.1 (the default), or "
            "0.0.0.0 for every network it is on"
        )
    last = port if port == 0 else min(port + PORT_TRIES - 1, 65535)
    server_class = _Server6 if ":" in host else http.server.ThreadingHTTPServer
    for candidate in range(port, last + 1):
        try:
            return server_class((host, candidate), handler)
        except OSError as error:
            reason = error.strerror or str(error)
            if error.errno != errno.EADDRINUSE:  # the host is wrong, not the port
                # Bad usage, as a wrong option is (exit status 2): nothing about the
                # briefing or the machine's state is at fault.
                raise UsageError(
                    f"cannot serve the preview on {host}: {reason}\n    hint: give --host "
                    "an address of this machine: 127.0.0.1 (the default), or 0.0.0.0 for "
                    "every network it is on"
                ) from None
            if candidate == last:
                ports = f"port {port}" if port == last else f"ports {port} to {last}"
                raise BriefgenError(
                    f"cannot serve the preview on {host}, {ports}: {reason}\n"
                    "    hint: choose another with --port"
                ) from None
    raise AssertionError("unreachable")


@dataclass
class Watcher:
    """Builds the briefing into ``outdir`` (HTML and ``formats``) and keeps ``preview``
    up to date; :meth:`run` rebuilds on each change until Ctrl-C."""

    source: Path
    formats: list[str]
    outdir: Path
    options: BuildOptions
    preview: Preview
    say: Callable[[str], None] = field(default=lambda line: print(line, file=sys.stderr))
    debug: bool = False
    briefing_templates_first: bool = False
    """Search the briefing's ``templates:`` before the options' (folders from a
    configuration file), as ``briefgen build`` does."""
    watched: set[Path] = field(default_factory=set)
    template_dirs: tuple[Path, ...] = ()
    written: set[Path] = field(default_factory=set)
    """The files the last good build wrote: never a change to rebuild for, even inside a
    template folder (``--templates .``), where each build would start the next."""

    def rebuild(self) -> bool:
        """One build; the error is shown (terminal and page) and kept, never raised."""
        started = time.monotonic()
        try:
            with (
                warnings_capped(display_path(self.source), rules=self.options.disabled_rules),
                silencing(self.options.disabled_rules),
            ):
                briefing = load(self.source)
                options = self.options
                if self.briefing_templates_first:
                    options = briefing_templates_first(briefing, options)
                self.follow(briefing)
                paths = build(briefing, ["html", *self.formats], self.outdir, options=options)
            document = paths[0].read_text(encoding="utf-8")
        except BriefgenError as error:
            report = (
                error.shown() if isinstance(error, BriefingError) else error.told_on_command_line()
            )
            self.say(report)
            self.preview.failed(report)
            if isinstance(error, BriefingError):
                self.follow_named()
            return False
        except Exception as error:  # a bug: say so, and keep watching for the next save
            if self.debug:
                traceback.print_exc()
            message = f"briefgen: internal error: {type(error).__name__}: {error}"
            self.say(message + "\n    run again with --debug for the full traceback")
            self.preview.failed(message)
            return False
        self.preview.succeeded(document)
        self.written = {path.resolve() for path in paths}
        for path in paths:
            print(display_path(path), flush=True)
        self.say(f"briefgen: built in {time.monotonic() - started:.1f} s; watching for changes")
        return True

    def follow(self, briefing: Briefing) -> None:
        """Remember which files a change to should rebuild: the briefing, its images and
        fonts, and whatever is in its template folders."""
        images = {event.image for event in briefing.events if event.image is not None}
        own_fonts = {face.path for face in user_faces(briefing)}
        self.watched = {self.source.resolve(), *images, *own_fonts}
        self.template_dirs = template_folders(briefing, self.options)

    def follow_named(self) -> None:
        """After a save that could not be read, also watch the images, fonts and template
        folder its text names, as far as it is YAML: one not there yet (a picture still
        to be exported) mends it when it is saved."""
        try:
            data = yaml.safe_load(self.source.read_text(encoding="utf-8-sig"))
        except Exception:  # not YAML, or not readable: the briefing's save is awaited
            return
        if not isinstance(data, dict):
            return
        events, fonts = data.get("events"), data.get("fonts")
        named = [
            *(event.get("image") for event in _list(events) if isinstance(event, dict)),
            *(fonts.values() if isinstance(fonts, dict) else ()),
        ]
        folder = self.source.resolve().parent
        for name in named:
            if isinstance(name, str) and "\0" not in name:
                self.watched.add((folder / name).resolve())
        own = data.get("templates")
        if isinstance(own, str) and "\0" not in own:
            self.template_dirs = (*self.template_dirs, (folder / own).resolve())

    def matters(self, change: watchfiles.Change, name: str) -> bool:
        path = Path(name).resolve()
        if path in self.watched or path == self.source.resolve():
            return True
        if any(
            path == output
            or (
                path.parent == output.parent
                and path.name.startswith(f".{output.name}.")
                and path.name.endswith(".tmp")  # written first, then renamed (pipeline.py)
            )
            for output in self.written
        ):
            return False
        # In a template folder, any file but an editor's own (a swap file that Vim writes
        # every few seconds of typing, a backup~): each would rebuild, the PDF too.
        return _EDITORS_OWN(change, name) and any(
            path.is_relative_to(folder) for folder in self.template_dirs
        )

    def roots(self) -> list[Path]:
        """The folders to watch: the briefing's (images and its own templates are inside
        it) and the template folders given as options, which may lie elsewhere."""
        folders = [self.source.resolve().parent, *self.options.templates]
        return [folder for folder in dict.fromkeys(folders) if folder.is_dir()]

    def run(self, changes: Iterable[set[tuple[watchfiles.Change, str]]] | None = None) -> None:
        self.rebuild()
        if changes is None:
            changes = watchfiles.watch(
                *self.roots(), watch_filter=self.matters, raise_interrupt=True
            )
        for changed in changes:
            names = sorted({display_path(Path(name)) for _, name in changed})
            self.say(f"briefgen: changed: {', '.join(names)}")
            self.rebuild()


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def watch(
    source: Path,
    formats: list[str],
    outdir: Path,
    options: BuildOptions,
    host: str = "127.0.0.1",
    port: int = 8000,
    debug: bool = False,
    briefing_templates_first: bool = False,
) -> None:
    """Serve the preview and rebuild on every change until Ctrl-C, which stops both."""
    preview = Preview()
    server = serve(preview, host, port)
    shown_host = f"[{host}]" if ":" in host else host
    print(
        f"briefgen: previewing {display_path(source)} at "
        f"http://{shown_host}:{server.server_address[1]}/ (Ctrl-C stops)",
        file=sys.stderr,
        flush=True,
    )
    watcher = Watcher(
        source,
        formats,
        outdir,
        options,
        preview,
        debug=debug,
        briefing_templates_first=briefing_templates_first,
    )
    try:
        watcher.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    print("briefgen: stopped", file=sys.stderr)
