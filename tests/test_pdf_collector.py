"""The garbage collector is paused while a briefing is loaded and a PDF laid out, and as it
was afterwards."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

import briefgen
import briefgen.builders.pdf
from briefgen.collector import CollectorPause


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_pdf_build_leaves_the_collector_on(sample, collector_on):
    seen = []
    original = briefgen.builders.pdf.pdf_text.add_shaped_text

    def finisher(document, pdf):  # runs inside the build, while WeasyPrint writes
        seen.append(gc.isenabled())
        original(document, pdf)

    briefgen.builders.pdf.pdf_text.add_shaped_text = finisher
    try:
        briefgen.render_pdf(sample)
    finally:
        briefgen.builders.pdf.pdf_text.add_shaped_text = original
    assert seen == [False]
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off(collector_on):
    pause = CollectorPause()
    gc.disable()
    with pause:
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_the_collector_comes_back_after_the_last_of_overlapping_builds(collector_on):
    pause = CollectorPause()
    second_inside, first_done = threading.Event(), threading.Event()
    seen = []

    def second_build():
        with pause:
            second_inside.set()
            first_done.wait(10)
            seen.append(gc.isenabled())

    with pause:
        thread = threading.Thread(target=second_build)
        thread.start()
        second_inside.wait(10)
    seen.append(gc.isenabled())  # the first is done, the second still running
    first_done.set()
    thread.join(10)
    assert seen == [False, False]
    assert gc.isenabled()


def test_a_builds_cycles_are_freed_as_it_ends_while_another_goes_on(collector_on):
    """A service whose threads build briefing after briefing, overlapping, never had the
    collector on, and the cycles of every build that had ended (a PDF's boxes) piled up:
    30 builds of the sample on three threads took 360 MB, and growing."""

    class Box:
        pass

    pause = CollectorPause()
    second_inside, first_done = threading.Event(), threading.Event()
    freed = []

    def second_build():
        with pause:
            second_inside.set()
            first_done.wait(10)
            freed.append(left() is None)

    with pause:
        thread = threading.Thread(target=second_build)
        thread.start()
        second_inside.wait(10)
        with pause:  # a stage inside the build's own (a load inside a check)
            box = Box()
            box.itself = box  # type: ignore[attr-defined]
            left = weakref.ref(box)
            del box
        assert left() is not None  # the build goes on: nothing is collected meanwhile
    first_done.set()
    thread.join(10)
    assert freed == [True]  # freed while the second build still ran


def test_the_collector_comes_back_after_a_failed_build(collector_on):
    pause = CollectorPause()
    with pytest.raises(RuntimeError), pause:
        raise RuntimeError("layout failed")
    assert gc.isenabled()


def test_a_program_can_keep_the_collector_running_through_its_builds(collector_on, monkeypatch):
    """The collector is the process's: a service whose other threads make cyclic garbage
    while builds run keeps it on."""
    import importlib

    from briefgen.collector import collector_paused

    loading = importlib.import_module("briefgen.load")  # the module, not the function
    seen = []
    original = loading._Reader.read

    def read(self, text):  # runs inside the load
        seen.append(gc.isenabled())
        return original(self, text)

    monkeypatch.setattr(loading._Reader, "read", read)
    monkeypatch.setattr(collector_paused, "pausing", False)
    briefgen.loads("title: 題\nevents: [{start: 1950, title: 事}]\n")
    monkeypatch.setattr(collector_paused, "pausing", True)
    briefgen.loads("title: 題\nevents: [{start: 1950, title: 事}]\n")
    assert seen == [True, False]
    assert gc.isenabled()
