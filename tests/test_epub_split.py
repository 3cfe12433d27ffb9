"""A long briefing's EPUB is made in two processes and its fonts deflated on a second
thread (briefgen/builders/epub.py, briefgen/forked.py): the book is the same, byte for
byte, as one made in one process on one thread."""

from __future__ import annotations

import os
import signal
import sys
import zipfile
from collections.abc import Iterator
from io import BytesIO

import pytest
from ebooklib import epub

import briefgen
from briefgen import forked
from briefgen.builders import epub as epub_builder
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from generate import briefing_yaml

#: Runs of eight events: seven runs after the first event, for the two processes to share.
EVENTS = 60


@pytest.fixture(scope="module")
def long_briefing() -> briefgen.Briefing:
    return briefgen.loads(briefing_yaml(EVENTS))


@pytest.fixture(scope="module")
def made_whole(long_briefing) -> bytes:
    assert EVENTS < epub_builder.SPLIT_FROM
    return briefgen.render_epub(long_briefing)


@pytest.fixture
def children(monkeypatch) -> list[int]:
    """The pid of each child forked for the documents (0 where none could be), in order."""
    forked_pids: list[int] = []
    start = forked.Forked.__init__

    def counted(self: forked.Forked[object], work: object) -> None:
        start(self, work)  # type: ignore[arg-type]
        forked_pids.append(self.pid)

    monkeypatch.setattr(forked.Forked, "__init__", counted)
    return forked_pids


def test_made_in_two_processes_it_is_the_same_book(
    long_briefing, made_whole, children, monkeypatch
):
    monkeypatch.setattr(epub_builder, "SPLIT_FROM", 2)
    assert briefgen.render_epub(long_briefing) == made_whole
    assert len(children) == 1
    assert children[0] or not forked.can_fork(), "no child was forked"


def test_without_a_child_the_same_book_is_made_here(long_briefing, made_whole, monkeypatch):
    monkeypatch.setattr(epub_builder, "SPLIT_FROM", 2)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert briefgen.render_epub(long_briefing) == made_whole


@pytest.fixture
def sigchld_ignored() -> Iterator[None]:
    """The program ignores SIGCHLD, as a server does so as to leave no zombies: the system
    reaps its children itself."""
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGCHLD, before)


@pytest.mark.skipif(not forked.can_fork(), reason="no child can be forked here")
def test_a_program_that_ignores_sigchld_gets_the_same_book(
    long_briefing, made_whole, children, monkeypatch, sigchld_ignored
):
    """The child's work was done and sent, and then waiting for the child failed the build
    with "ChildProcessError: No child processes": the system had reaped it already."""
    monkeypatch.setattr(epub_builder, "SPLIT_FROM", 2)
    assert briefgen.render_epub(long_briefing) == made_whole
    assert children[0], "no child was forked"


@pytest.mark.skipif(not forked.can_fork(), reason="no child can be forked here")
def test_every_run_of_events_is_taken_once_by_one_process():
    with epub_builder._EventRuns(3000, first=1) as runs:
        child = forked.Forked(lambda: list(runs))
        here = list(runs)
        there = child.result()
    taken = sorted(event for start, stop in here + there for event in range(start, stop))
    assert taken == list(range(1, 3000))


def test_fonts_deflated_ahead_are_the_bytes_zipfile_writes(long_briefing, made_whole, monkeypatch):
    monkeypatch.setattr(epub_builder._DeflatedAhead, "add", lambda self, name, data: None)
    assert briefgen.render_epub(long_briefing) == made_whole
    book = zipfile.ZipFile(BytesIO(made_whole))
    assert book.testzip() is None
    fonts = [info for info in book.infolist() if info.filename.endswith(".otf")]
    assert fonts and all(info.compress_type == zipfile.ZIP_DEFLATED for info in fonts)


def test_an_entry_the_thread_has_not_started_is_deflated_here():
    ahead = epub_builder._DeflatedAhead()
    ahead.join()  # the thread ends at once: what is added next is left to get()
    data = b"briefgen " * 1000
    ahead.add("EPUB/fonts/a.otf", data)
    assert ahead.get("EPUB/fonts/a.otf") == epub_builder._raw_deflate(
        data, epub_builder._FONT_LEVEL
    )
    assert ahead.get("EPUB/text/nav.xhtml") is None


def test_fonts_are_deflated_at_their_own_level(made_whole):
    book = zipfile.ZipFile(BytesIO(made_whole))
    for info in book.infolist():
        if info.filename.endswith((".otf", ".xhtml")):
            font = info.filename.endswith(".otf")
            level = epub_builder._FONT_LEVEL if font else epub_builder._ZIP_LEVEL
            raw = book.read(info)
            deflated = made_whole[info.header_offset :][30 + len(info.filename) :]
            assert deflated[: info.compress_size] == epub_builder._raw_deflate(raw, level)


def test_the_ncx_is_ebooklibs_own_but_for_its_depth(long_briefing, made_whole, monkeypatch):
    def ebooklibs(self: epub_builder._Writer) -> bytes:
        ncx: bytes = epub.EpubWriter._get_ncx(self)
        depth = b'<meta content="0" name="dtb:depth"/>'
        assert ncx.count(depth) == 1
        return ncx.replace(depth, b'<meta content="1" name="dtb:depth"/>')

    monkeypatch.setattr(epub_builder._Writer, "_get_ncx", ebooklibs)
    assert briefgen.render_epub(long_briefing) == made_whole


@pytest.mark.skipif(not forked.can_fork(), reason="no child can be forked here")
def test_a_failure_here_ends_the_child_and_is_raised(long_briefing, children, monkeypatch):
    monkeypatch.setattr(epub_builder, "SPLIT_FROM", 2)

    def broken(briefing: briefgen.Briefing, options: object) -> list[object]:
        raise ValueError("no contents today")

    monkeypatch.setattr(epub_builder, "_front_documents", broken)
    with pytest.raises(ValueError, match="no contents today"):
        briefgen.render_epub(long_briefing)
    # The child was ended and waited for: it is neither running nor left unreaped.
    assert len(children) == 1 and children[0]
    with pytest.raises(ChildProcessError):
        os.waitpid(children[0], os.WNOHANG)


@pytest.mark.skipif(not forked.can_fork(), reason="no child can be forked here")
def test_a_failure_in_the_child_is_raised_here(long_briefing, monkeypatch):
    monkeypatch.setattr(epub_builder, "SPLIT_FROM", 2)
    here = os.getpid()
    make = epub_builder._back_documents

    def broken(briefing: briefgen.Briefing, options: object) -> list[object]:
        if os.getpid() != here:
            raise ValueError("no people today")
        return make(briefing, options)  # type: ignore[arg-type]

    monkeypatch.setattr(epub_builder, "_back_documents", broken)
    with pytest.raises(ValueError, match="no people today"):
        briefgen.render_epub(long_briefing)
