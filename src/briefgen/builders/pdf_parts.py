"""A long briefing's PDF laid out in parts, so that WeasyPrint holds one part's pages at a time
and the parts are laid out on both cores.

WeasyPrint keeps every laid-out page, with its boxes and styles, until it writes the PDF:
about 2.5 MB a page, 1 GB for 1,000 events. Laid out in parts, each written to PDF as soon
as it is laid out, the build holds a few parts at a time, and the parts' PDFs are joined
(briefgen/pdf_join.py). Where the system can fork, each part is laid out and written in a
child process, so that its memory is given back at once, and parts are laid out and written
side by side, on both cores (:class:`_Worker`).

In a long briefing the events and the back matter each begin a page (print.css), so the
document is three runs laid out apart: the front matter (cover, summary, timeline chart,
contents), the events, and the back matter (people, sources, colophon), each laid out in
parts one after another, the three side by side. The events are laid out a hundred at a
time, each part from the top of one event to a little past its own last page, and kept up
to the last page that begins with an event: a page break there is one the whole document
makes too, since events are kept on one page and only the events before the break decide
where it falls. The next part starts with that event, at the top of a page, with the
margins above it cut as at any page break (print.css). The people index is cut the same
way at its people, and a long contents at its entries.

The pages are those of the whole document laid out at once. What each part cannot know is
set from outside:

* the contents' page numbers, which point at later parts: the front matter is laid out with
  a stand-in digit for each, which is set to the real number once the other parts are laid
  out (each number sits alone in a cell of fixed width, flush right, so nothing else on the
  page moves); a long one is not held meanwhile, but measured in parts and laid out again
  with the numbers, at the pages the measuring found;
* links into other parts: WeasyPrint drops a link whose target is not in its document, so
  each part is given stand-in targets for them, and the joined PDF points them at the real;
* the footers' "page n of m": laid out at the end on pages of their own (print.css) and laid
  over the parts' pages;
* the outline, made from the parts' bookmarks as WeasyPrint makes it for a whole document.
"""

from __future__ import annotations

import gc
import itertools
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Generator
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from weasyprint.anchors import gather_anchors, make_page_bookmark_tree
from weasyprint.document import Document, Page
from weasyprint.formatting_structure.boxes import InlineBox, TextBox
from weasyprint.matrix import Matrix
from weasyprint.text.line_break import split_first_line

from .. import forked
from ..errors import BuildError, counted_elsewhere, counting
from ..render import event_id, person_id

if TYPE_CHECKING:
    from .. import pdf_join

#: Briefings with at least this many events are laid out in parts.
PARTS_FROM = 400
#: Events laid out in one part: about twenty-five A4 pages.
EVENTS_PER_PART = 100
#: The most contents entries (events, people, sources) of a front matter laid out whole and
#: held, laid out, until the contents' numbers are known (about 40 pages). A longer one is
#: measured in parts, each let go once laid out, and laid out again at the end, with the
#: numbers: held whole, it took 450 MB at 3,000 events.
FRONT_HELD_ENTRIES = 1200
#: Contents entries measured in one part (about ten A4 pages).
CONTENTS_ENTRIES_PER_PART = 300
#: People in one part of the back matter (about ten A4 pages).
PEOPLE_PER_PART = 150
#: Pages of contents laid out again in one part.
CONTENTS_PAGES_PER_PART = 10
#: Footers laid out at once (they are light, but a long briefing has a thousand pages).
FOOTER_PAGES = 200
#: Points per CSS pixel: WeasyPrint's PDF scale at zoom 1.
_SCALE = 0.75


@dataclass(frozen=True)
class Part:
    """What one part of the document holds, for the templates (briefing.html, print.css)."""

    start: int
    """The first event's index."""
    stop: int
    """The index after the last event's."""
    first: bool
    """With the front matter: cover, summary, timeline chart, contents."""
    last: bool
    """With the back matter: people, sources, colophon."""
    title: str
    """The document's title, for the running header of a part after the first."""
    footers: int = 0
    """If not 0: this many pages of footers alone, and nothing else."""
    first_page: int = 1
    """The footers' first page number."""
    total_pages: int = 0
    """The document's page count, for the footers."""
    contents: tuple[int, int] | None = None
    """For the front matter laid out in parts: the contents' entries it holds, from the
    first up to the second (events, then the people and the sources)."""
    people: tuple[int, int] | None = None
    """For the back matter: the people it holds, from the first up to the second."""


#: Lays out the HTML of a part (with the contents' page numbers, if given) as WeasyPrint does.
LayOut = Callable[[Part, "dict[str, str] | None"], Document]
#: Writes laid-out pages as a tagged PDF.
Write = Callable[[Document], bytes]


def render_in_parts(
    events: int,
    entries: int,
    people: int,
    title: str,
    lay_out: LayOut,
    write: Write,
    per_part: int = EVENTS_PER_PART,
) -> bytes:
    """The PDF of a briefing of ``events`` events, ``entries`` contents entries (events,
    people, sources) and ``people`` people, laid out ``per_part`` events at a time, with
    the front and the back matter laid out apart, beside the events: in a long briefing
    each begins a page of its own (print.css). ``write`` must give a PDF whose objects are
    not packed in object streams (see briefgen/pdf_join.py)."""
    started: list[_Worker] = []
    try:
        return _join_parts(events, entries, people, title, lay_out, write, per_part, started)
    finally:
        # If a part failed, the others' processes are not left running.
        for worker in started:
            worker.stop()


def _join_parts(
    events: int,
    entries: int,
    people: int,
    title: str,
    lay_out: LayOut,
    write: Write,
    per_part: int,
    started: list[_Worker],
) -> bytes:
    # pypdf, and the cryptography it loads, only for the PDFs that are joined.
    from ..pdf_join import Joiner

    def worker(work: Work) -> _Worker:
        started.append(_Worker(work))
        return started[-1]

    joined = Joiner()
    # Places in the document, for the join: the front matter's parts, the events', the back.
    front_at, events_at, back_at = 0, 1, 2
    held = entries <= FRONT_HELD_ENTRIES
    front = worker(
        _whole_work(lay_out, write, Part(0, 0, True, False, title), StandIn())
        if held
        else _contents_work(lay_out, write, 0, title, entries)
    )
    measured: list[_Report] = []  # the front matter's parts, measured
    front_report: _Report | None = None

    def front_step() -> _Report | None:
        """The front matter's report, when all of it is laid out; or the next part."""
        nonlocal front
        report = front.report()
        if held:
            return report
        front.go_on(_DROP)
        front.result()
        measured.append(report)
        if report.end is not None:
            front = worker(_contents_work(lay_out, write, report.end, title, entries))
            return None
        return _combined(measured)

    # The back matter: parts of the people index, the last with the sources and the
    # colophon, laid out one after another, each written as soon as it is laid out.
    back: _Worker | None = None  # the part being laid out
    back_reports: list[_Report] = []
    back_writing: list[tuple[int, _Worker]] = []
    back_pdfs: dict[int, tuple[bytes, frozenset[str]]] = {}

    def start_back(start: int) -> _Worker:
        part = worker(_people_work(lay_out, write, start, title, people))
        part.go_on(None)
        return part

    def back_step(wait: bool) -> None:
        """Start the next part of the back matter when one is laid out, and take in the PDFs
        written (at once: a process holds its pages until its PDF is read)."""
        nonlocal back
        while back is not None and (wait or back.ready()):
            report = back.report()
            back_writing.append((len(back_reports), back))
            back_reports.append(report)
            back = None if report.end is None else start_back(report.end)
        while back_writing and (wait or back_writing[0][1].finished()):
            place, done = back_writing.pop(0)
            back_pdfs[place] = done.result()

    # The events' anchors and bookmarks, with pages counted from the first event's page.
    anchors: dict[str, int] = {}
    bookmarks: list[tuple[int, _BookmarksOnly]] = []
    event_pages = 0
    start = 0
    writing: list[tuple[int, _Worker]] = []
    index = 0  # the part's place among the events'
    while start < events:
        events_part = worker(_part_work(lay_out, write, start, title, events, per_part))
        report = events_part.report()
        # This part is written while the next one is laid out.
        events_part.go_on(None)
        writing.append((index, events_part))
        index += 1
        for name, page in report.anchors.items():
            anchors.setdefault(name, event_pages + page)
        bookmarks.extend((event_pages + page, marks) for page, marks in report.bookmarks)
        event_pages += report.pages
        start = events if report.end is None else report.end
        while len(writing) > 1:
            place, done = writing.pop(0)
            joined.add((events_at, place), *done.result(), _events_spines(place))
        if front_report is None and front.ready():
            front_report = front_step()
            if front_report is not None:
                # The back matter takes the front's core.
                back = start_back(0)
        if front_report is not None:
            back_step(wait=False)
    while front_report is None:
        front_report = front_step()
    if not back_reports and back is None:
        back = start_back(0)
    back_step(wait=True)
    back_report = _combined(back_reports)
    page_count = front_report.pages + event_pages + back_report.pages
    # The first page of each anchor, in the order of the document.
    numbers = dict(front_report.anchors)
    for name, page in anchors.items():
        numbers.setdefault(name, front_report.pages + page)
    for name, page in back_report.anchors.items():
        numbers.setdefault(name, front_report.pages + event_pages + page)
    contents = {name: str(page + 1) for name, page in numbers.items()}
    # The front matter: written now with these numbers, or laid out again with them, in
    # parts, two at a time, each to the pages it had (the numbers take the stand-ins' place).
    fronts: list[tuple[int, _Worker, int]] = []  # place, part, the pages it must have
    again = [] if held else _contents_parts(front_report.tops, title)
    if held:
        front.go_on(contents)
        fronts.append((0, front, front_report.pages))

    def next_front() -> None:
        place, part, pages = again.pop(0)
        fronts.append((place, worker(_whole_work(lay_out, write, part, contents)), pages))
        fronts[-1][1].go_on(None)

    while again and len(fronts) < 2:
        next_front()
    # The footers, now that the page count is known, a few pages at a time, while the
    # front matter is written.
    footers = []
    for first_page in range(0, page_count, FOOTER_PAGES):
        pages = min(FOOTER_PAGES, page_count - first_page)
        part = Part(0, 0, False, False, title, pages, first_page + 1, page_count)
        footer = worker(_footers_work(lay_out, write, part))
        footer.go_on(None)
        footers.append(footer.result()[0])
    for place, done in writing:
        joined.add((events_at, place), *done.result(), _events_spines(place))
    for place, pdf in back_pdfs.items():
        # The people's section and list go on from part to part; the last part ends the
        # document's main, and the colophon after it.
        spines = (1 if place == 0 else 3, 3 if place < len(back_pdfs) - 1 else 0)
        joined.add((back_at, place), *pdf, spines)
    while fronts:
        place, done, pages = fronts.pop(0)
        if done.report().pages != pages:
            raise RuntimeError(
                f"the contents laid out again in parts took {done.report().pages} pages"
                f" where they had taken {pages}"
            )
        # The contents and their list go on from part to part, and main into the events.
        last = held or (not again and not fronts)
        joined.add((front_at, place), *done.result(), (0 if place == 0 else 3, 1 if last else 3))
        if again:
            next_front()
    outline = _Bookmarks()
    outline.add(front_report.bookmarks, 0)
    outline.add(bookmarks, front_report.pages)
    outline.add(back_report.bookmarks, front_report.pages + event_pages)
    return joined.finish(outline.tree(), footers)


def _events_spines(place: int) -> tuple[int, int]:
    """How many levels of an events part's structure tree go on from the part before and
    into the part after (pdf_join.Joiner.add): the document's main, from the front matter
    into the back matter, and the events' timeline between events parts."""
    return (1 if place == 0 else 2, 2)


@dataclass(frozen=True)
class _Report:
    """What a part tells once it is laid out: where the next one starts (None if it ran to
    the end of the events), its anchors' and bookmarks' pages (counted from its own first
    page), and how many pages it keeps."""

    end: int | None
    anchors: dict[str, int]
    bookmarks: list[tuple[int, _BookmarksOnly]]
    pages: int
    tops: tuple[int | None, ...] = ()
    """The front matter's: the contents' entry that begins each page, where one does."""


def _combined(parts: list[_Report]) -> _Report:
    """The report of a run of parts laid out one after another (the front matter measured
    in parts, the back matter), from theirs."""
    anchors: dict[str, int] = {}
    bookmarks: list[tuple[int, _BookmarksOnly]] = []
    tops: tuple[int | None, ...] = ()
    pages = 0
    for part in parts:
        for name, page in part.anchors.items():
            anchors.setdefault(name, pages + page)
        bookmarks.extend((pages + page, marks) for page, marks in part.bookmarks)
        tops += part.tops
        pages += part.pages
    return _Report(None, anchors, bookmarks, pages, tops)


def _contents_parts(tops: tuple[int | None, ...], title: str) -> list[tuple[int, Part, int]]:
    """The front matter cut into parts of about CONTENTS_PAGES_PER_PART pages, at pages
    that begin with a contents entry: each part's place, what it holds and its pages."""
    cuts = [0]
    for page, entry in enumerate(tops):
        if entry is not None and page - cuts[-1] >= CONTENTS_PAGES_PER_PART:
            cuts.append(page)
    cuts.append(len(tops))
    parts = []
    for place, (first, stop) in enumerate(itertools.pairwise(cuts)):
        entries = (tops[first] or 0, tops[stop] or 0 if stop < len(tops) else _ALL)
        parts.append((place, Part(0, 0, place == 0, False, title, contents=entries), stop - first))
    return parts


#: Past the contents' last entry.
_ALL = 10**9


class _Drop:
    """Sent to a part laid out to be measured only: it ends without writing."""


_DROP = _Drop()


#: A part's work: lays out, yields its report, is sent the contents' numbers (the front
#: matter) or None, and yields the written PDF and the anchors really in it; or is sent
#: _DROP, and yields an empty PDF.
Work = Generator["_Report | tuple[bytes, frozenset[str]]", "dict[str, str] | _Drop | None", None]


def _part_work(
    lay_out: LayOut, write: Write, start: int, title: str, events: int, per_part: int
) -> Work:
    end, document = _lay_out_part(lay_out, start, title, events, per_part)
    pages = document.pages if end is None else document.pages[: end[0]]
    yield from _report_and_write(document, pages, None if end is None else end[1], write)


def _contents_work(lay_out: LayOut, write: Write, start: int, title: str, entries: int) -> Work:
    """A part of the front matter, from contents entry ``start`` on, laid out to be measured
    (with stand-in numbers) up to its last page that begins with an entry: the next part
    starts with that entry, as the events' parts do (:func:`_lay_out_part`)."""
    stop = start + CONTENTS_ENTRIES_PER_PART
    while True:
        part = Part(0, 0, start == 0, False, title, contents=(start, min(stop, entries)))
        document = lay_out(part, StandIn())
        tops = tuple(map(_entry_at_top, document.pages))
        if stop >= entries:
            yield from _report_and_write(document, document.pages, None, write, tops)
            return
        cut = _last_cut(document.pages, _entry_at_top, start, stop)
        if cut is not None:
            index, entry = cut
            yield from _report_and_write(
                document, document.pages[:index], entry, write, tops[:index]
            )
            return
        # No page of this part began with an entry early enough: take more entries.
        stop += CONTENTS_ENTRIES_PER_PART


def _people_work(lay_out: LayOut, write: Write, start: int, title: str, people: int) -> Work:
    """A part of the back matter: the people index from person ``start`` on, cut at its
    last page that begins with a person, as the events' parts are (:func:`_lay_out_part`);
    the last part, with the rest of the people, has the sources and the colophon too."""
    stop = start + PEOPLE_PER_PART
    while True:
        last = stop >= people
        part = Part(0, 0, False, last, title, people=(start, min(stop, people)))
        document = lay_out(part, None)
        if last:
            yield from _report_and_write(document, document.pages, None, write)
            return
        cut = _last_cut(document.pages, _person_at_top, start, stop)
        if cut is not None:
            index, person = cut
            yield from _report_and_write(document, document.pages[:index], person, write)
            return
        # No page of this part began with a person early enough: take more people.
        stop += PEOPLE_PER_PART


def _whole_work(lay_out: LayOut, write: Write, part: Part, contents: dict[str, str] | None) -> Work:
    """The front or the back matter, or a part of the front, laid out alone and kept whole."""
    document = lay_out(part, contents)
    tops = tuple(map(_entry_at_top, document.pages)) if part.first else ()
    yield from _report_and_write(document, document.pages, None, write, tops)


def _report_and_write(
    document: Document,
    pages: list[Page],
    end: int | None,
    write: Write,
    tops: tuple[int | None, ...] = (),
) -> Work:
    own = anchor_pages(pages, 0)
    numbers = yield _Report(
        end,
        own,
        [
            (index, _BookmarksOnly(page.bookmarks, page.height))
            for index, page in enumerate(pages)
            if page.bookmarks
        ],
        len(pages),
        tops,
    )
    if isinstance(numbers, _Drop):
        yield b"", frozenset()
        return
    if numbers is not None:
        set_contents_numbers(pages, numbers)
    yield _written(document, pages, write), frozenset(own)


def _footers_work(lay_out: LayOut, write: Write, part: Part) -> Work:
    yield _Report(None, {}, [], 0)
    yield write(lay_out(part, None)), frozenset()


def set_contents_numbers(pages: list[Page], numbers: dict[str, str]) -> None:
    """Put the real page numbers in the contents laid out with stand-ins. Each number is
    the text of its cell's ``::before``, alone on its line, flush right: setting it is
    shaping its text again and moving it, and its box, by the change in width. The
    page's links, anchors and bookmarks are then gathered again, as WeasyPrint gathers
    them, for the link over the number."""
    for page in pages:
        changed = False
        for box in page._page_box.descendants():
            if not isinstance(box, InlineBox) or box.element_tag != "span::before":
                continue
            target = box.element.get("data-target", "") if box.element is not None else ""
            if not target.startswith("#") or box.element.get("data-page") is None:
                continue
            (text_box,) = box.children
            assert isinstance(text_box, TextBox)
            text = numbers[target[1:]]
            layout, _, _, width, _, _ = split_first_line(
                text, text_box.style, None, None, text_box.justification_spacing
            )
            shift = text_box.width - width
            for moved in (box, text_box):
                moved.position_x += shift
                moved.width -= shift
            text_box.text = text
            text_box.pango_layout = layout
            changed = True
        if changed:
            anchors, links, bookmarks, forms = page.anchors, [], [], {}  # type: ignore[var-annotated]
            page.anchors = {}
            gather_anchors(page._page_box, page.anchors, links, bookmarks, forms)
            assert page.anchors.keys() == anchors.keys() and len(bookmarks) == len(page.bookmarks)
            page.links, page.bookmarks, page.forms = links, bookmarks, forms


class _Worker:
    """Runs a part's work in a child process of its own where the system can fork one
    (Linux, macOS, and no other thread running that the child could find holding a lock);
    else here, in turns.

    A child is a copy of this process, fonts and stylesheets loaded, which lays its part
    out, reports, writes the PDF and exits: the memory of its pages is given back at once,
    where freeing the millions of objects of a part here took a tenth of the build, and
    one part is written while the next is laid out, on the second core.

    A child leaves without the interpreter's clean-up, which would also remove the
    temporary files its objects made (a FontConfiguration's fonts, 4 MB a part): it makes
    them in a folder of its own, which this process removes once the child is gone."""

    def __init__(self, work: Work) -> None:
        self.work = work
        self.pid = 0
        self.connection: Connection | None = None
        self.reported: _Report | None = None
        if forked.can_fork():
            self.folder = tempfile.mkdtemp(prefix="briefgen-part-")
            self.connection, child = Pipe()
            self.pid = os.fork()
            if self.pid == 0:  # pragma: no cover - the child; its coverage is not collected
                self.connection.close()
                tempfile.tempdir = self.folder
                _serve(work, child)
            child.close()

    def ready(self) -> bool:
        """Whether the part is laid out (a part laid out here is, when asked for)."""
        return self.connection is None or self.reported is not None or self.connection.poll()

    def finished(self) -> bool:
        """Whether the part has reported and its PDF is written (a part laid out here is,
        when asked for)."""
        if self.connection is None:
            return True
        if not self.ready():
            return False
        self.report()
        return self.connection.poll()

    def report(self) -> _Report:
        """What the part tells once laid out (waiting for it)."""
        if self.reported is None:
            found = next(self.work) if self.connection is None else self._receive()
            assert isinstance(found, _Report)
            self.reported = found
        return self.reported

    def go_on(self, numbers: dict[str, str] | _Drop | None) -> None:
        """Let the part be written, with the contents' numbers for the front matter; the
        part may not have reported yet."""
        if self.connection is None:
            self.report()
            self.written = self.work.send(numbers)
            self.work.close()
            gc.collect()  # a part's pages hold cycles, which the paused collector leaves
        else:
            self.connection.send(numbers)

    def result(self) -> tuple[bytes, frozenset[str]]:
        """The written PDF and the anchors really in it (waiting for them)."""
        self.report()
        if self.connection is None:
            found = self.written
        else:
            found = self._receive()
            self.connection.close()
            self._reap()
        assert isinstance(found, tuple)
        return found

    def _receive(self) -> Any:
        assert self.connection is not None
        try:
            kind, value, warnings = self.connection.recv()
        except EOFError:
            how = forked.how_it_ended(self._reap())
            raise BuildError(
                f"the PDF could not be made: the process laying out one of its parts {how}"
                " (out of memory?)"
            ) from None
        counted_elsewhere(warnings)
        if kind == "error":
            self._reap()
            raise value
        return value

    def _reap(self) -> int | None:
        """Wait for the child to end, remove its temporary files, give its exit status."""
        status = forked.waited(self.pid)
        self.pid = 0
        shutil.rmtree(self.folder, ignore_errors=True)
        return status

    def stop(self) -> None:
        """End the child, if it is still there: another part has failed the build."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            self._reap()


def _serve(work: Work, connection: Connection) -> None:  # pragma: no cover - in the child
    """The child's side: run the work, sending what it yields, and leave without the
    interpreter's clean-up (the parent owns every file and buffer shared with it)."""
    # The warnings the part gives are shown here and counted (for strict) in the parent.
    with counting() as warnings:

        def sent(kind: str, value: Any) -> None:
            connection.send((kind, value, warnings.count))
            warnings.count = 0

        try:
            try:
                sent("ok", next(work))
                sent("ok", work.send(connection.recv()))
            except BaseException as error:  # every failure goes to the parent
                try:
                    sent("error", error)
                except Exception:  # an error that does not pickle
                    sent("error", RuntimeError(f"{type(error).__name__}: {error}"))
        finally:
            os._exit(0)


class StandIn(dict[str, str]):
    """Contents page numbers before they are known: one digit each, set to the real ones
    once the pages they point at are laid out (:func:`set_contents_numbers`)."""

    def __missing__(self, key: str) -> str:
        return "0"


def _lay_out_part(
    lay_out: LayOut, start: int, title: str, events: int, per_part: int
) -> tuple[tuple[int, int] | None, Document]:
    """Lay out the events from ``start`` on, ``per_part`` of them or more, and find where
    the part ends: ``(pages kept, the event the next part starts with)``, or None if it
    runs to the last event."""
    stop = start + per_part
    while True:
        part = Part(start, min(stop, events), False, False, title)
        document = lay_out(part, None)
        if stop >= events:
            return None, document
        end = _last_cut(document.pages, _event_at_top, part.start, part.stop)
        if end is not None:
            return end, document
        # No page of this part began with an event early enough: take more events.
        stop += per_part


def _last_cut(
    pages: list[Page], at_top: Callable[[Page], int | None], start: int, stop: int
) -> tuple[int, int] | None:
    """The last page, but for the part's last, that begins with an item (an event, a
    person, a contents entry: ``at_top``) after the part's first and before its last, and
    that item's index. The part's last page may end early, where its items stop."""
    for index in range(len(pages) - 2, 0, -1):
        item = at_top(pages[index])
        if item is not None and start < item < stop - 1:
            return index, item
    return None


def _entry_at_top(page: Page) -> int | None:
    """The index of the contents entry that begins the page, if one does."""
    element = _element_at_top(page, "li")
    entry = None if element is None else element.get("data-entry")
    return None if entry is None else int(entry)


def _person_at_top(page: Page) -> int | None:
    """The index of the person whose entry begins the page, if one does."""
    element = _element_at_top(page, "dt")
    if element is None:
        return None
    ident = element.get("id", "")
    number = int(ident.removeprefix("person-"))
    assert person_id(number - 1) == ident
    return number - 1


def _event_at_top(page: Page) -> int | None:
    """The index of the event whose heading begins the page, if one does."""
    element = _element_at_top(page, "h2")
    ident = "" if element is None else element.get("id", "")
    return _event_index(ident) if ident.startswith("event-") else None


def _element_at_top(page: Page, tag: str) -> Any:
    """The first ``tag`` element at the top of the page, if one begins it: the first box
    of that tag found going down the first children, through what wraps it there."""
    box = page._page_box
    while box.children:
        box = box.children[0]
        if box.element_tag == tag:
            return box.element
        if not hasattr(box, "children") or box.element_tag not in _WRAPPERS:
            return None
    return None


#: What wraps an event's heading or a contents entry at the top of a page: the page's root
#: box, the document, its main, the timeline (a div) and the event; the contents and their
#: list; the people.
_WRAPPERS = frozenset({"html", "body", "main", "div", "section", "nav", "ol", "dl"})


def _event_index(ident: str) -> int:
    """The event index an ``event_id`` names."""
    number = int(ident.removeprefix("event-"))
    assert event_id(number - 1) == ident
    return number - 1


def number_contents(pages: list[Page]) -> None:
    """Set the contents of a whole document laid out with stand-in numbers: each entry's
    number is the page its target begins on."""
    set_contents_numbers(
        pages, {name: str(page + 1) for name, page in anchor_pages(pages, 0).items()}
    )


def anchor_pages(pages: list[Page], offset: int) -> dict[str, int]:
    """The page index of each anchor: the first page of an element that runs over several
    (it is an anchor on each), as WeasyPrint resolves links and page numbers."""
    found: dict[str, int] = {}
    for index, page in enumerate(pages):
        for name in page.anchors:
            found.setdefault(name, offset + index)
    return found


def _written(document: Document, pages: list[Page], write: Write) -> bytes:
    """The pages as a PDF of their own, with stand-in targets for the links that leave
    them (at the top of the first page; the joined PDF points them at the real ones)."""
    own = anchor_pages(pages, 0)
    targets = {link[1] for page in pages for link in page.links if link[0] == "internal"}
    for name in targets - own.keys():
        pages[0].anchors[name] = (0, 0, 0, 0)
    return write(document.copy(pages))


class _Bookmarks:
    """The outline's tree, made page by page as WeasyPrint makes it for a whole document
    (``Document.make_bookmark_tree``), with pages numbered in the whole."""

    def __init__(self) -> None:
        self.pages: list[tuple[int, _BookmarksOnly]] = []

    def add(self, pages: list[tuple[int, _BookmarksOnly]], offset: int) -> None:
        self.pages.extend((offset + index, page) for index, page in pages)

    def tree(self) -> list[pdf_join.Bookmark]:
        root: list[pdf_join.Bookmark] = []
        skipped_levels: list[int] = []
        last_by_depth = [root]
        previous_level = 0
        for number, page in sorted(self.pages, key=lambda item: item[0]):
            matrix = Matrix(a=_SCALE, d=-_SCALE, f=page.height * _SCALE)
            previous_level = make_page_bookmark_tree(
                page, skipped_levels, last_by_depth, previous_level, number, matrix
            )
        return root


@dataclass
class _BookmarksOnly:
    """What ``make_page_bookmark_tree`` reads of a page."""

    bookmarks: list[tuple[int, str, tuple[float, float], str]]
    height: float
