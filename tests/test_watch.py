"""``briefgen watch``: the preview page, the rebuild on save, errors that do not stop it.

The end-to-end test runs the real command in a subprocess and talks to it over loopback as a
browser would; every wait polls with a generous timeout, and nothing asserts on speed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import watchfiles

import briefgen
from briefgen.errors import BriefgenError, UsageError
from briefgen.options import BuildOptions
from briefgen.watch import STATUS_PATH, Preview, Watcher, serve
from conftest import latin_font, tiny_image

TIMEOUT = 120  # seconds; far beyond a rebuild on a busy machine

BRIEFING = """\
title: {title}
lang: en
events:
  - start: 1950
    title: An event
"""


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def _until(what: str, check: Callable[[], object]) -> object:
    """Poll ``check`` until it returns something true; fail after :data:`TIMEOUT`."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        try:
            result = check()
        except OSError:  # not serving yet
            result = None
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _save(path: Path, text: str) -> None:
    """Save as an editor does: write a new file and move it over the old one."""
    temporary = path.with_name(f".{path.name}.swp-new")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_watch_rebuilds_on_save_shows_errors_and_stops_on_ctrl_c(tmp_path):
    source = tmp_path / "briefing.yaml"
    source.write_text(BRIEFING.format(title="First title"), encoding="utf-8")
    stderr = tmp_path / "stderr.txt"
    with stderr.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "watch", "briefing.yaml", "--port", "0"],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            text=True,
            # Ctrl-C as at a terminal: a suite started in the background by a shell without
            # job control ignores SIGINT, and Python keeps an ignored SIGINT ignored.
            preexec_fn=_interruptible,
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        )
    try:
        log = lambda: stderr.read_text(encoding="utf-8")  # noqa: E731
        found = _until(
            "the preview's address", lambda: re.search(r"http://127\.0\.0\.1:(\d+)/", log())
        )
        assert isinstance(found, re.Match)
        page = found.group(0)
        _until("the first build", lambda: "First title" in _get(page))
        written = tmp_path / "out" / "briefing.html"
        assert "First title" in written.read_text(encoding="utf-8")
        first = json.loads(_get(page + STATUS_PATH[1:]))

        _save(source, BRIEFING.format(title="Second title"))
        _until("the rebuilt page", lambda: "Second title" in _get(page))
        assert json.loads(_get(page + STATUS_PATH[1:]))["generation"] > first["generation"]
        # The reloading script is in the served page only, never in the file written.
        assert 'id="briefgen-reload"' in _get(page)
        assert "Second title" in written.read_text(encoding="utf-8")
        assert "briefgen-reload" not in written.read_text(encoding="utf-8")

        _save(source, BRIEFING.format(title="Third title").replace("start: 1950", "start: 1950/06"))
        shown = _until(
            "the error banner", lambda: 'id="briefgen-error"' in _get(page) and _get(page)
        )
        assert isinstance(shown, str)
        assert "Second title" in shown and "Third title" not in shown  # the last good preview
        assert "events[0].start: expected a date as YYYY, YYYY-MM or YYYY-MM-DD" in shown
        assert "briefing.yaml:4:12: events[0].start: expected a date" in log()
        assert process.poll() is None  # still watching

        _save(source, BRIEFING.format(title="Fourth title"))
        fixed = _until("the mended page", lambda: "Fourth title" in _get(page) and _get(page))
        assert isinstance(fixed, str) and 'id="briefgen-error"' not in fixed

        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            # Where it hangs: faulthandler writes every thread's stack on SIGABRT.
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=TIMEOUT)
            pytest.fail(f"briefgen watch did not stop on SIGINT:\n{log()}")
        assert process.returncode == 0
        assert log().endswith("briefgen: stopped\n")
        assert "Traceback" not in log()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_page_gets_the_script_and_the_banner_the_document_does_not_change():
    preview = Preview()
    document = "<html><body><p>good</p></body></html>"
    preview.succeeded(document)
    page = preview.page().decode("utf-8")
    assert page.startswith('<html><body><p>good</p><script id="briefgen-reload">')
    assert page.endswith("</script>\n</body></html>")
    assert "let seen = 1;" in page
    preview.failed("briefing.yaml:1:1: <bad> & worse")
    page = preview.page().decode("utf-8")
    assert "<p>good</p>" in page and "let seen = 2;" in page
    assert "briefing.yaml:1:1: &lt;bad&gt; &amp; worse" in page
    assert "this is the last good preview" in page
    assert preview.html == document


def test_a_banner_with_no_good_build_before_it_says_there_is_no_preview_yet():
    preview = Preview()
    preview.failed("briefing.yaml:1:8: not valid YAML")
    page = preview.page().decode("utf-8")
    assert "briefgen: the briefing could not be built; save it once mended" in page
    assert "last good preview" not in page


def test_the_server_listens_on_loopback_and_takes_the_next_free_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = serve(Preview(), "127.0.0.1", port)
        try:
            host, bound = server.server_address[:2]
            assert host == "127.0.0.1" and port < bound < port + 20
            assert "briefgen-reload" in _get(f"http://127.0.0.1:{bound}/")
            with pytest.raises(urllib.error.HTTPError, match="404"):
                _get(f"http://127.0.0.1:{bound}/etc/passwd")
        finally:
            server.shutdown()
            server.server_close()


def _reply_with_host(port: int, host: str | None) -> bytes:
    """The reply to a request for the page whose ``Host`` header is ``host`` (None: none),
    as a page of another site resolved to 127.0.0.1 (DNS rebinding) would send it."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        header = f"Host: {host}\r\n" if host is not None else ""
        connection.sendall(f"GET / HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode())
        reply = b""
        while chunk := connection.recv(65536):
            reply += chunk
    return reply


def _status_with_host(port: int, host: str | None) -> int:
    return int(_reply_with_host(port, host).split(b" ", 2)[1])


def test_a_refused_request_is_told_how_to_reach_the_preview_by_its_name():
    """A colleague who names the machine by its full DNS name is refused (the name is not
    known here): the page says how to start the preview to be reached by it."""
    server = serve(Preview(), "127.0.0.1", 0)
    port = server.server_address[1]
    try:
        reply = _reply_with_host(port, f"vm.corp.example:{port}").decode()
        assert reply.split(" ", 2)[1] == "421"
        assert "briefgen watch --host vm.corp.example" in reply
    finally:
        server.shutdown()
        server.server_close()


def test_the_preview_answers_only_requests_addressed_to_this_machine():
    server = serve(Preview(), "127.0.0.1", 0)
    port = server.server_address[1]
    try:
        for host in ("127.0.0.1", f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
            assert _status_with_host(port, host) == 200, host
        for host in (f"attacker.example:{port}", "attacker.example", "localhost.evil.net", None):
            assert _status_with_host(port, host) == 421, host
    finally:
        server.shutdown()
        server.server_close()


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback here")
def test_the_preview_can_be_served_on_an_ipv6_address():
    server = serve(Preview(), "::1", 0)
    try:
        assert "briefgen-reload" in _get(f"http://[::1]:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()


def test_the_last_port_is_tried_and_no_further():
    with socket.socket() as taken:
        with contextlib.suppress(OSError):  # already taken by someone else: as good
            taken.bind(("127.0.0.1", 65535))
            taken.listen()
        with pytest.raises(BriefgenError, match=r"127\.0\.0\.1, port 65535: "):
            serve(Preview(), "127.0.0.1", 65535)


def test_no_free_port_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("briefgen.watch.PORT_TRIES", 1)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(
            BriefgenError, match=f"cannot serve the preview on 127.0.0.1, port {port}: "
        ):
            serve(Preview(), "127.0.0.1", port)


def test_a_host_that_is_no_address_of_this_machine_is_named_not_the_port():
    with pytest.raises(UsageError) as raised:
        serve(Preview(), "999.1.1.1", 0)
    message = str(raised.value)
    assert message.startswith("cannot serve the preview on 999.1.1.1: ")
    assert message.endswith(
        "hint: give --host an address of this machine: 127.0.0.1 (the "
        "default), or 0.0.0.0 for every network it is on"
    )


def test_watch_on_a_host_that_is_no_address_of_this_machine_is_bad_usage(
    tmp_path, monkeypatch, capsys
):
    from briefgen.cli import main

    (tmp_path / "briefing.yaml").write_text(BRIEFING.format(title="Title"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["watch", "--host", "999.1.1.1", "briefing.yaml"]) == 2
    error = capsys.readouterr().err
    assert "cannot serve the preview on 999.1.1.1: " in error
    assert "Traceback" not in error


def test_an_empty_host_is_refused_not_served_on_every_network(tmp_path, monkeypatch, capsys):
    """`--host ""` (a "$HOST" left unset) served the preview on every network, at an
    address printed as http://:8000/."""
    from briefgen.cli import main

    (tmp_path / "briefing.yaml").write_text(BRIEFING.format(title="Title"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("briefgen.watch.Watcher.run", lambda self: None)
    assert main(["watch", "--host", "", "--port", "0", "briefing.yaml"]) == 2
    assert "--host is empty; give an address of this machine" in capsys.readouterr().err


def test_watch_without_a_briefing_is_bad_usage(tmp_path, monkeypatch, capsys):
    from briefgen.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["watch"]) == 2
    assert "briefing.yaml is not a file; give the briefing to watch" in capsys.readouterr().err


@pytest.mark.parametrize("format", ["html", "all"])
def test_watch_format_html_or_all_is_told_the_html_is_built_anyway(capsys, format):
    """README: watch builds "any format with -f"; -f html or -f all was refused as an
    invalid choice alone, leaving the writer to guess that the HTML is always built."""
    from briefgen.cli import main

    assert main(["watch", "-f", format, "briefing.yaml"]) == 2
    assert "hint: watch builds the HTML every time; add others as -f pdf -f epub" in (
        capsys.readouterr().err
    )


def test_the_briefing_its_images_and_its_templates_are_watched_and_nothing_else(tmp_path):
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "map.png").write_bytes(tiny_image())
    (tmp_path / "latin.ttf").write_bytes(latin_font())
    (tmp_path / "own" / "css").mkdir(parents=True)
    (tmp_path / "flag").mkdir()
    source = tmp_path / "briefing.yaml"
    source.write_text(
        "title: t\ntemplates: own\nfonts: {body: latin.ttf}\n"
        "events: [{start: 1950, title: e, image: pictures/map.png}]\n",
        encoding="utf-8",
    )
    options = BuildOptions(templates=(tmp_path / "flag",))
    watcher = Watcher(source, [], tmp_path / "out", options, Preview())
    watcher.follow(briefgen.load(source))
    change = watchfiles.Change.modified
    for name in (
        "briefing.yaml",
        "pictures/map.png",
        "latin.ttf",
        "own/css/base.css",
        "flag/a.html",
    ):
        assert watcher.matters(change, str(tmp_path / name)), name
    for name in ("out/briefing.html", "pictures/other.png", "notes.txt", ".briefing.yaml.swp"):
        assert not watcher.matters(change, str(tmp_path / name)), name
    # An editor's own files in a template folder: Vim's swap file, a backup, Emacs's lock.
    for name in ("own/css/.base.css.swp", "own/css/base.css~", "flag/.#a.html"):
        assert not watcher.matters(change, str(tmp_path / name)), name
    assert watcher.roots() == [tmp_path, tmp_path / "flag"]


def test_a_picture_saved_after_the_briefing_named_it_rebuilds(tmp_path):
    """A save naming a picture not exported yet could not be read, so its files were not
    known: saving the picture then left the error up until the briefing was saved again."""
    source = tmp_path / "briefing.yaml"
    source.write_text(
        "title: t\nlang: en\nevents: [{start: 1950, title: e, image: map.png}]\n",
        encoding="utf-8",
    )
    said: list[str] = []
    watcher = Watcher(source, [], tmp_path / "out", BuildOptions(), Preview(), say=said.append)
    assert not watcher.rebuild()
    added = watchfiles.Change.added
    assert watcher.matters(added, str(tmp_path / "map.png"))
    # Nothing else in its folder: a log of the watcher's own there would rebuild it forever.
    assert not watcher.matters(added, str(tmp_path / "watch.log"))
    (tmp_path / "map.png").write_bytes(tiny_image())
    assert watcher.rebuild()


def test_the_outputs_in_a_template_folder_do_not_rebuild(tmp_path):
    """`watch --templates .` rebuilt without end: each build's outputs, in out/ inside the
    template folder, were a change to rebuild for."""
    source = tmp_path / "briefing.yaml"
    source.write_text(BRIEFING.format(title="t"), encoding="utf-8")
    options = BuildOptions(templates=(tmp_path,))
    watcher = Watcher(source, [], tmp_path / "out", options, Preview(), say=lambda line: None)
    assert watcher.rebuild()
    modified = watchfiles.Change.modified
    for name in ("out/briefing.html", "out/.briefing.html.0a1b2c3d.tmp"):
        assert not watcher.matters(modified, str(tmp_path / name)), name
    assert watcher.matters(modified, str(tmp_path / "css" / "base.css"))
