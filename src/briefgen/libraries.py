"""WeasyPrint's system libraries looked up without asking the compiler.

Importing WeasyPrint opens Pango, HarfBuzz, fontconfig and GObject through cffi, trying
several names for each (``libgobject-2.0-0``, ``gobject-2.0-0``, ``gobject-2.0``…, one for
each platform). A name cffi cannot open as it is goes to ``ctypes.util.find_library``,
which on Linux reads the linker's cache (``ldconfig -p``) and, when the name is not there,
runs ``gcc`` and then ``ld`` to search for it: 22 lookups and some forty processes, 0.2 to
0.3 s of every PDF build (a sixth of the sample's).

While a builder's module is imported, :func:`quick_lookup` reads the cache once and answers
"not found" at once for a name it does not list; a name it lists goes to ``find_library``
as before. What the compiler could find beyond the cache, the dynamic loader could not
open by that name anyway (cffi opens what ``find_library`` returns by its bare soname), and
WeasyPrint's list ends with each library's full soname (``libgobject-2.0.so.0``), which
cffi opens directly, through ``LD_LIBRARY_PATH`` too. Elsewhere than on Linux, or where
``ldconfig -p`` cannot be read (musl), nothing changes.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator

LDCONFIG = "/sbin/ldconfig"


@contextlib.contextmanager
def quick_lookup() -> Iterator[None]:
    """Inside, ``ctypes.util.find_library`` answers at once for a library the linker's
    cache does not list (the cache is read at the first lookup, if any)."""
    if not sys.platform.startswith("linux"):
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = _QuickLookup(original)
    try:
        yield
    finally:
        ctypes.util.find_library = original


class _QuickLookup:
    def __init__(self, find: Callable[[str], str | None]) -> None:
        self.find = find
        self.listing: bytes | None = None
        self.read = False

    def __call__(self, name: str) -> str | None:
        if not self.read:
            self.listing, self.read = _linker_cache(), True
        # find_library's own pattern for a cache entry, less its check of the machine's
        # ABI, which find() still makes for the names listed.
        entry = rb"\s+lib" + re.escape(os.fsencode(name)) + rb"\.[^\s]+\s+\("
        if self.listing is not None and not re.search(entry, self.listing):
            return None
        return self.find(name)


def _linker_cache() -> bytes | None:
    """What ``ldconfig -p`` lists, as ``find_library`` reads it; None if it cannot."""
    try:
        listing = subprocess.run(
            [LDCONFIG, "-p"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={"LC_ALL": "C", "LANG": "C"},
            check=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return listing if b"=>" in listing else None
