"""Work done in a forked child process, on the second core, while this process does its own.

A forked child is a copy of this process, with its modules imported, templates compiled and
fonts open, so it starts at once (a few milliseconds) and needs nothing sent to it but the
result back. Where the system cannot fork (Windows), or another thread runs that the child
could find holding a lock (the preview server of ``briefgen watch``, a caller's own
threads), the work is done here instead, in turn, to the same result.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from .errors import BuildError, warn

T = TypeVar("T")


def can_fork() -> bool:
    """Whether a child can be forked safely here and now."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Forked(Generic[T]):
    """``work()`` run in a child process forked now, where one can be; else here, when its
    result is asked for. What the child logs is logged here with the result, so that it is
    shown, and counted by ``--strict``, as if the work had been done here."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.pid = 0
        self.connection: Connection | None = None
        if can_fork():
            self.connection, child = Pipe(duplex=False)
            self.pid = os.fork()
            if self.pid == 0:  # pragma: no cover - the child; its coverage is not collected
                self.connection.close()
                _serve(work, child)
            child.close()

    def result(self) -> T:
        """What ``work()`` returned (waiting for it), or the error it raised, raised here."""
        if self.connection is None:
            return self.work()
        try:
            kind, value, records = self.connection.recv()
        except EOFError:
            how = how_it_ended(self._reap())
            raise BuildError(f"a process doing part of the build {how} (out of memory?)") from None
        self._reap()
        for name, level, message in records:
            if name == "briefgen" and level >= logging.WARNING:
                warn("%s", message, level=level)  # counted, for strict, as if given here
            else:
                logging.getLogger(name).log(level, "%s", message)
        if kind == "error":
            raise value
        result: T = value
        return result

    def stop(self) -> None:
        """End the child, if one was forked and is still there: the work this process did
        beside it has failed, and its result is not wanted."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> int | None:
        assert self.connection is not None
        self.connection.close()
        status = waited(self.pid)
        self.pid = 0
        return status


def waited(pid: int) -> int | None:
    """Waits for the child ``pid`` to end, and gives its wait status; None where the
    program ignores SIGCHLD (a server's way to leave no zombies): the system then reaps
    its children itself, and waitpid, once the child has ended, fails with "No child
    processes", which failed the build (an EPUB of 300 events) after its work was done."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return None


def how_it_ended(status: int | None) -> str:
    """How a child process ended, in words, from its wait status (None: not known)."""
    if status is None:
        return "ended"
    if os.WIFSIGNALED(status):
        return f"was stopped by signal {os.WTERMSIG(status)}"
    return f"exited with status {os.WEXITSTATUS(status)}"


class _Kept(logging.Handler):
    """Keeps what is logged, as (logger name, level, message)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _serve(work: Callable[[], Any], connection: Connection) -> None:  # pragma: no cover
    """The child's side: run the work, send its result (or error) and what it logged, and
    leave without the interpreter's clean-up, which would flush and close what the parent
    owns (its output buffers, its files)."""
    kept = _Kept()
    loggers = [logging.root, *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        if isinstance(logger, logging.Logger):
            # Every record kept, even of a logger the program's configuration disabled: the
            # parent logs each again as its own logging has it.
            logger.handlers, logger.propagate, logger.disabled = [], True, False
    logging.root.addHandler(kept)
    try:
        try:
            connection.send(("ok", work(), kept.records))
        except BaseException as error:  # every failure goes to the parent
            try:
                connection.send(("error", error, kept.records))
            except Exception:  # an error that does not pickle
                failure = RuntimeError(f"{type(error).__name__}: {error}")
                connection.send(("error", failure, kept.records))
    finally:
        os._exit(0)
