"""briefgen.once: what installs briefgen's mends to WeasyPrint runs once per process."""

from __future__ import annotations

import threading
import time

import pytest

from briefgen.once import once


def test_a_function_runs_once_however_many_threads_call_it():
    calls = []

    @once
    def install() -> None:
        time.sleep(0.05)  # long enough for the other threads to call meanwhile
        calls.append(threading.get_ident())

    threads = [threading.Thread(target=install) for _ in range(8)]
    for thread in threads:
        thread.start()
    install()
    for thread in threads:
        thread.join()
    assert len(calls) == 1


def test_a_call_that_fails_is_tried_again():
    attempts = []

    @once
    def install() -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("not this time")

    with pytest.raises(RuntimeError):
        install()
    install()
    install()
    assert len(attempts) == 2
