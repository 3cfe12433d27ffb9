"""Work done in a forked child process (briefgen/forked.py): its result, its errors and what
it logs reach this process as if the work had been done here."""

from __future__ import annotations

import logging
import os
import signal

import pytest

from briefgen import forked
from briefgen.errors import BuildError

needs_fork = pytest.mark.skipif(not forked.can_fork(), reason="no child can be forked here")


@needs_fork
def test_the_work_is_done_in_a_child_and_its_result_comes_back():
    here = os.getpid()
    child = forked.Forked(lambda: (os.getpid(), {"字": [1, 2]}))
    pid, value = child.result()
    assert pid != here
    assert value == {"字": [1, 2]}


def test_without_a_child_the_work_is_done_here_when_asked_for(monkeypatch):
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    done = []
    child = forked.Forked(lambda: done.append(os.getpid()) or "made")
    assert done == []
    assert child.result() == "made"
    assert done == [os.getpid()]


@pytest.mark.parametrize("can_fork", [True, False])
def test_an_error_in_the_work_is_raised_here(monkeypatch, can_fork):
    if can_fork and not forked.can_fork():
        pytest.skip("no child can be forked here")
    monkeypatch.setattr(forked, "can_fork", lambda: can_fork)

    def broken() -> None:
        raise ValueError("no such event")

    with pytest.raises(ValueError, match="no such event"):
        forked.Forked(broken).result()


@needs_fork
def test_what_the_child_logs_is_logged_here(caplog):
    def work() -> int:
        logging.getLogger("briefgen").warning("event %d has no date", 7)
        logging.getLogger("briefgen").debug("not shown")
        return 1

    with caplog.at_level(logging.INFO, logger="briefgen"):
        assert forked.Forked(work).result() == 1
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("briefgen", logging.WARNING, "event 7 has no date")
    ]


@needs_fork
def test_a_child_that_dies_fails_with_a_message():
    def killed() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(BuildError, match="stopped by signal 9"):
        forked.Forked(killed).result()


@needs_fork
def test_a_child_that_dies_unwaited_for_fails_with_a_message():
    """Where the program ignores SIGCHLD, the system reaps the child itself: there is no
    status to tell, and waiting for it failed as "No child processes"."""

    def killed() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        with pytest.raises(BuildError, match=r"a process doing part of the build ended \(out"):
            forked.Forked(killed).result()
    finally:
        signal.signal(signal.SIGCHLD, before)
