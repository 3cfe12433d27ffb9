"""WeasyPrint's system libraries looked up from the linker's cache (briefgen/libraries.py)."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from briefgen import libraries
from conftest import printed_words

LISTING = (
    b"2 libs found in cache `/etc/ld.so.cache'\n"
    b"\tlibgobject-2.0.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libgobject-2.0.so.0\n"
    b"\tlibharfbuzz.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libharfbuzz.so.0\n"
)


def lookup(listing: bytes | None) -> tuple[libraries._QuickLookup, list[str]]:
    asked: list[str] = []
    quick = libraries._QuickLookup(lambda name: asked.append(name) or f"lib{name}.so.0")
    quick.listing, quick.read = listing, True
    return quick, asked


def test_a_name_the_cache_does_not_list_is_not_searched_for():
    quick, asked = lookup(LISTING)
    assert quick("libgobject-2.0-0") is None
    assert quick("gobject-2.0-0") is None
    assert quick("harfbuzz-subset") is None
    assert asked == []


def test_a_name_listed_for_this_machine_is_answered_from_the_cache_read():
    abi = libraries._abi().decode()
    listing = (
        b"2 libs found in cache `/etc/ld.so.cache'\n"
        + f"\tlibgobject-2.0.so.0 ({abi}) => /lib/libgobject-2.0.so.0\n".encode()
        + b"\tlibharfbuzz.so.0 (libc6,an-other-abi) => /lib/other/libharfbuzz.so.0\n"
    )
    quick, asked = lookup(listing)
    assert quick("gobject-2.0") == "libgobject-2.0.so.0"
    assert asked == []
    # Listed for another ABI alone: find_library's other searches, as before.
    assert quick("harfbuzz") == "libharfbuzz.so.0"
    assert asked == ["harfbuzz"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the lookup is Linux's")
def test_every_name_is_answered_as_find_library_answers_it():
    # WeasyPrint's names, listed or not, on this machine: the same answers as before.
    names = ["gobject-2.0", "pango-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig"]
    names += ["pangoft2-1.0", "libgobject-2.0-0", "gobject-2.0-0", "c", "m"]
    quick = libraries._QuickLookup(ctypes.util.find_library)
    assert [quick(name) for name in names] == [ctypes.util.find_library(n) for n in names]


def test_without_a_cache_to_read_every_name_is_looked_up_as_before(monkeypatch):
    monkeypatch.setattr(libraries, "LDCONFIG", "/nonexistent/ldconfig")
    assert libraries._linker_cache() is None
    quick, asked = lookup(None)
    assert quick("libgobject-2.0-0") == "liblibgobject-2.0-0.so.0"
    assert asked == ["libgobject-2.0-0"]


def test_find_library_is_itself_again_afterwards():
    original = ctypes.util.find_library
    inside = []

    def fail() -> None:
        with libraries.quick_lookup():
            inside.append(ctypes.util.find_library)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert (inside[0] is not original) == sys.platform.startswith("linux")
    assert ctypes.util.find_library is original


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the lookup is Linux's")
def test_the_pdf_builder_is_imported_without_running_a_compiler():
    # Every process started while WeasyPrint is imported for the PDF's builder, in a
    # fresh interpreter: the linker's cache read once, never gcc or ld.
    code = (
        "import subprocess, sys\n"
        "started = []\n"
        "class Popen(subprocess.Popen):\n"
        "    def __init__(self, args, *rest, **options):\n"
        "        started.append(args[0] if isinstance(args, (list, tuple)) else args)\n"
        "        super().__init__(args, *rest, **options)\n"
        "subprocess.Popen = Popen\n"
        "import briefgen\n"
        "briefgen.builder('pdf')\n"
        "from weasyprint.text import ffi\n"
        "assert ffi.pango is not None and ffi.harfbuzz is not None\n"
        "print(' '.join(started))\n"
    )
    started = printed_words(code)
    assert started, "nothing was looked up: WeasyPrint was imported before the builder"
    assert [name.rsplit("/", 1)[-1] for name in started] == ["ldconfig"]
