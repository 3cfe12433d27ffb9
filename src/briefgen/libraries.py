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
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator

LDCONFIG = "/sbin/ldconfig"


def _abi() -> bytes:
    """The ABI ``find_library`` asks the linker's cache for, worked out as it does (a
    pattern, as it uses it)."""
    machine = os.uname().machine + ("-32" if struct.calcsize("l") == 4 else "-64")
    abi_type = {
        "x86_64-64": "libc6,x86-64",
        "ppc64-64": "libc6,64bit",
        "sparc64-64": "libc6,64bit",
        "s390x-64": "libc6,64bit",
        "ia64-64": "libc6,IA-64",
    }.get(machine, "libc6")
    return os.fsencode(abi_type)


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
        if self.listing is None:
            return self.find(name)
        # find_library's own pattern for a cache entry, less its check of the machine's
        # ABI: a name not listed at all is not searched for.
        name_pattern = re.escape(os.fsencode(name))
        if not re.search(rb"\s+lib" + name_pattern + rb"\.[^\s]+\s+\(", self.listing):
            return None
        # A name listed for this machine's ABI is answered from the listing already read,
        # by the whole pattern, as find_library would answer it after running ldconfig -p
        # again (six more processes for WeasyPrint's libraries); one listed for another ABI
        # goes on to find_library's other searches.
        listed = re.search(rb"\s+(lib" + name_pattern + rb"\.[^\s]+)\s+\(" + _abi(), self.listing)
        return os.fsdecode(listed.group(1)) if listed else self.find(name)


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
