"""Python's cyclic garbage collector paused while briefgen makes objects that all live on.

Loading a briefing makes a YAML node for every value, and laying a PDF out makes millions of
boxes, styles and Pango layouts; all of them live until the stage ends. Each of the
collector's passes walks them all again to find nothing to free: at 200 events, ten full
passes took 1.6 s of a 10 s PDF build (its peak memory grew by 11 MB of 310 without them),
and loading 1,000 events took 0.17 s instead of 0.11 s. Reference counting frees what it
always frees; the collector is on again (if it was) when the last stage running in the
process is done.

The collector is the process's, not a thread's: while a build runs, none of the program's
other threads has it either, and builds overlapping in threads keep it off until the last
is done; what a thread's stage leaves is collected once as it ends while another goes on.
A long-running program whose other threads make much cyclic garbage sets
``collector_paused.pausing = False`` to keep it running (builds then take longer).
"""

from __future__ import annotations

import gc
import threading


class CollectorPause:
    """A context manager: the collector off inside, whichever threads are inside at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.inside = 0
        #: Whether the collector is paused at all: a program sets it False to keep it on.
        self.pausing = True
        # Whether this pause turned the collector off, and so turns it on again: not if it
        # was off already (the program's choice), nor if pausing was False when it began
        # (set to False or True while stages run, it takes effect from the next pause).
        self.paused = False
        #: How deep each thread is in stages (a load inside a check is one inside another).
        self.depth = threading.local()

    def __enter__(self) -> None:
        self.depth.stages = getattr(self.depth, "stages", 0) + 1
        with self.lock:
            if not self.inside:
                self.paused = self.pausing and gc.isenabled()
                if self.paused:
                    gc.disable()
            self.inside += 1

    def __exit__(self, *exc_info: object) -> None:
        self.depth.stages -= 1
        with self.lock:
            self.inside -= 1
            if not self.inside and self.paused:
                gc.enable()
                return
            # Another thread's stage goes on, and the collector with it stays off.
            others_go_on = self.paused and not self.depth.stages
        if others_go_on:
            # What this thread's stage made and let go of is garbage now (a PDF's boxes
            # hold cycles), collected here once: left to the collector, it waited for a
            # moment with no stage running, which a service whose threads build briefing
            # after briefing, overlapping, never has, and its memory grew with every build.
            gc.collect()


collector_paused = CollectorPause()
"""The one pause of the process, shared by every stage that pauses the collector."""
