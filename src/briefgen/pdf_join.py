"""Tagged PDFs of consecutive parts of one document, joined into one tagged PDF.

A long briefing's PDF is laid out in parts (briefgen/builders/pdf_parts.py), each written by
WeasyPrint as a tagged PDF of its own. Joining them keeps what WeasyPrint would have written
for the whole:

* the pages in order, each part's objects copied once, with new numbers; the fonts, which
  every part embeds, copied once (their files, their dictionaries);
* the structure tree: the parts' top-level elements under one ``Document`` element, their
  marked-content keys (``StructParents``, ``StructParent``) moved up so that they stay
  unique, and one parent tree; an element that goes on from one part into the next (the
  document's ``main``, the events' timeline, the people's list) one element, as in the
  document laid out whole;
* the links: a part holds stand-in targets for links into other parts (WeasyPrint drops a
  link whose target is missing), and the joined file's named destinations are the real ones;
* the outline, made by the caller from the parts' bookmarks as WeasyPrint makes it;
* the first part's catalogue entries (language, metadata, viewer preferences) and document
  information;
* each page's footer, laid out afterwards once the page count is known, drawn over the page
  as a form XObject, its text a pagination artifact.

The parts come as WeasyPrint writes them with ``compress`` off for the file's structure (each
stream still compressed): objects one after another, found by the cross-reference table.
They are copied as bytes, their references renumbered by one regular expression, and
appended to the joined file as each part arrives, so that the join holds one part at a time:
pypdf, which parses every object into Python objects, took ten seconds and 800 MB to join the
parts of a 1,000-event briefing. pypdf reads only the few objects that say how a part is
built (catalogue, page list, structure root, parent tree).
"""

from __future__ import annotations

import gc
import hashlib
import io
import itertools
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any, cast

import pydyf
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

#: A bookmark subtree as WeasyPrint makes it (``anchors.make_page_bookmark_tree``):
#: ``(label, (page index, x, y), children, state)``, with PDF coordinates.
Bookmark = tuple[str, tuple[int, float, float], list[Any], str]

#: A literal string (skipped: its text may look like anything) or an indirect reference. pydyf
#: escapes every parenthesis and backslash in a literal string; hex strings hold no ``R``.
_REFERENCE = re.compile(rb"\((?:\\.|[^\\()])*\)|(\d+) 0 R")
_STRUCT_PARENT = re.compile(rb"/StructParents? (\d+)")
_CONTENTS = re.compile(rb"/Contents (\d+) 0 R")
_RESOURCES = re.compile(rb"/Resources (\d+) 0 R")
_LENGTH = re.compile(rb"/Length (\d+)")
_FOOTER_NAME = b"/BriefgenFooter"
#: A font's dictionary or its descriptor, as pydyf writes WeasyPrint's.
_FONT = re.compile(rb"<</Type /Font(?:Descriptor)?/")
_DESCRIPTOR = re.compile(rb"<</Type /FontDescriptor/")
#: What WeasyPrint writes in a font's descriptor from the glyphs a document uses: the flags
#: (fixed pitch where they all have one width) and the box's width (the widest glyph's).
_FLAGS = re.compile(rb"/Flags (\d+)")
_BOX = re.compile(rb"/FontBBox \[(\S+) (\S+) (\S+) (\S+)\]")
#: A structure element's kids, as pydyf writes them: references, numbers, dictionaries.
_KIDS = re.compile(rb"/K \[([^\]]*)\]")
_KID = re.compile(rb"\d+ 0 R|<<[^>]*>>|\d+")
#: A structure element's page.
_PAGE = re.compile(rb"/Pg (\d+) 0 R")
#: Objects packed in one object stream (WeasyPrint, through pydyf, packs all in one).
_OBJECTS_PER_STREAM = 500


class _Source:
    """One PDF as pydyf writes it uncompressed: its objects' bytes by number."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        tail = data[-64:]
        found = re.search(rb"startxref\s+(\d+)", tail)
        if found is None:
            raise ValueError("not a PDF with a cross-reference table")
        table = re.compile(rb"xref\s+0 (\d+)\s+").match(data, int(found.group(1)))
        if table is None:
            raise ValueError("no cross-reference table where startxref points")
        count, start = int(table.group(1)), table.end()
        self.offsets = [int(data[start + 20 * i : start + 20 * i + 10]) for i in range(count)]
        ends = [*sorted(self.offsets[1:]), int(found.group(1))]
        self.ends = dict(itertools.pairwise(ends))
        # Strict: the part is pydyf's, its cross-reference table exact, and pypdf, when not
        # strict, reads every object's header to check the table (1.2 s of a 1,000-event
        # build's 16 parts).
        self.reader = PdfReader(io.BytesIO(data), strict=True)

    def body(self, number: int) -> tuple[bytes, bytes | None]:
        """The object's dictionary or value, and its stream's bytes if it is a stream."""
        start = self.offsets[number]
        chunk = self.data[start : self.ends[start]]
        chunk = chunk[chunk.index(b"obj\n") + 4 : chunk.rindex(b"endobj")].rstrip(b"\n")
        if not chunk.endswith(b"endstream"):
            return chunk, None
        length = _LENGTH.search(chunk)
        assert length is not None
        end = len(chunk) - len(b"\nendstream")
        begin = end - int(length.group(1))
        assert chunk[:begin].endswith(b"stream\n")
        return chunk[: begin - len(b"\nstream\n")], chunk[begin:end]


@dataclass
class _Descriptor:
    """A font's descriptor, which each part writes from the glyphs it uses: written once all
    the parts are in, as the whole document's."""

    text: bytes
    """The first part's, renumbered."""
    flags: list[int] = field(default_factory=list)
    widest: list[bytes] = field(default_factory=list)

    def add(self, dictionary: bytes) -> None:
        """What one part (or the footers) wrote."""
        flags, box = _FLAGS.search(dictionary), _BOX.search(dictionary)
        assert flags is not None and box is not None
        self.flags.append(int(flags.group(1)))
        self.widest.append(box.group(3))

    def whole(self) -> bytes:
        """The descriptor of the fonts' glyphs in all the parts: of fixed pitch only where
        every part's are, of one width; as wide as the widest."""
        fixed = all(flags & 1 for flags in self.flags) and len(set(self.widest)) == 1
        flags = self.flags[0] & ~1 | fixed
        widest = max(self.widest, key=float)
        text = _FLAGS.sub(b"/Flags %d" % flags, self.text, count=1)
        return _BOX.sub(
            lambda box: b"/FontBBox [%s %s %s %s]" % (box[1], box[2], widest, box[4]),
            text,
            count=1,
        )


@dataclass
class _Part:
    """What a part adds to the joined file, kept until all have come."""

    pages: list[int]
    kids: list[int]
    destinations: dict[str, bytes]
    resources: dict[int, bytes] = field(default_factory=dict)
    """The text of each page's resources (by the page's new number), to which the footer
    is added."""


class Joiner:
    """The joined PDF, written as the parts come; :meth:`finish` gives its bytes."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.out.write(b"%PDF-1.7\n%\xf0\x9f\x96\xa4\n")
        self.offsets: dict[int, int] = {}
        #: Objects in object streams: (the stream's number, the place in it).
        self.in_streams: dict[int, tuple[int, int]] = {}
        self.batch: list[tuple[int, bytes]] = []
        self.count = 0
        #: Objects every part writes alike (fonts), by their digest: copied once.
        self.shared: dict[bytes, int] = {}
        self.descriptors: dict[int, _Descriptor] = {}
        self.parts: dict[tuple[int, int], _Part] = {}
        self.next_key = 0
        self.parent_tree: list[bytes] = []
        #: The elements that go on from part to part (main, the timeline, the people's list),
        #: by level: one number each, and each part's dictionary of it, written at the end.
        self.chain_numbers: dict[tuple[int, int, str], int] = {}
        self.chains: dict[int, list[tuple[tuple[int, int], bytes]]] = {}
        self.catalog: dict[str, bytes] = {}
        self.info: int | None = None
        self.pages_root = self._reserve()
        self.struct_root = self._reserve()
        self.document = self._reserve()
        self.before_page = self._stream(b"q\n")
        self.after_page = self._stream(b"\nQ\nq " + _FOOTER_NAME + b" Do Q\n")
        #: Each page's own resources (by the page's new number), written with the footers.
        self.page_resources: dict[int, int] = {}

    def _reserve(self) -> int:
        self.count += 1
        return self.count

    def _write(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        """Write an object: a stream at once, anything else into the next object stream."""
        if stream is None:
            self.batch.append((number, body))
            if len(self.batch) == _OBJECTS_PER_STREAM:
                self._write_batch()
            return
        self.offsets[number] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % number)
        self.out.write(body)
        self.out.write(b"\nstream\n")
        self.out.write(stream)
        self.out.write(b"\nendstream\nendobj\n")

    def _write_batch(self) -> None:
        """The objects waiting, packed and compressed in one object stream, as WeasyPrint
        packs its own: the joined file is as small as a whole one."""
        if not self.batch:
            return
        container = self._reserve()
        index = b" ".join(b"%d %d" % entry for entry in self._batch_offsets())
        data = index + b"\n" + b"\n".join(body for _, body in self.batch)
        packed = zlib.compress(data)
        for position, (number, _) in enumerate(self.batch):
            self.in_streams[number] = (container, position)
        header = b"<</Type /ObjStm/N %d/First %d/Filter /FlateDecode/Length %d>>" % (
            len(self.batch),
            len(index) + 1,
            len(packed),
        )
        self.batch = []
        self._write(container, header, packed)

    def _batch_offsets(self) -> list[tuple[int, int]]:
        offsets, position = [], 0
        for number, body in self.batch:
            offsets.append((number, position))
            position += len(body) + 1
        return offsets

    def _stream(self, data: bytes) -> int:
        number = self._reserve()
        self._write(number, b"<</Length %d>>" % len(data), data)
        return number

    def add(
        self,
        index: tuple[int, int],
        pdf: bytes,
        anchors: frozenset[str],
        spines: tuple[int, int] = (0, 0),
    ) -> None:
        """Copy in the part whose place in the document is ``index`` (parts come in any order
        and are sorted by it, the first being ``(0, 0)``); ``anchors``: the destinations
        really in it, the others being stand-ins; ``spines``: how many levels of the
        structure tree, from the top, go on from the part before and on into the part after
        (see :meth:`_chained`)."""
        self._copy_in(index, pdf, anchors, spines)
        # pypdf's objects point back at their reader, which holds the part's bytes: without
        # a collection (the PDF builder pauses the collector) every part would stay. Done
        # once the copying is over, so that all of it is garbage, still in the youngest
        # generation: 100 MB of a 1,000-event build's own process.
        gc.collect(0)

    def _copy_in(
        self, index: tuple[int, int], pdf: bytes, anchors: frozenset[str], spines: tuple[int, int]
    ) -> None:
        source = _Source(pdf)
        reader = source.reader
        catalog = reader.root_object
        tree: Any = catalog["/StructTreeRoot"].get_object()
        tops = _as_list(tree["/K"])
        document: Any = tops[0].get_object() if len(tops) == 1 else None
        copier = _Copier(self, source, key_offset=self.next_key)
        assert catalog.indirect_reference is not None and tree.indirect_reference is not None
        copier.map_to(catalog.raw_get("/Pages").idnum, self.pages_root)
        copier.map_to(tree.indirect_reference.idnum, self.struct_root)
        if document is not None and document.get("/S") == "/Document":
            assert document.indirect_reference is not None
            copier.map_to(document.indirect_reference.idnum, self.document)
            kids = _as_list(document.get("/K"))
        else:
            kids = tops
        chained = self._chained(index, kids, spines)
        for old, chain in chained.items():
            copier.map_to(old, chain)
        old_pages = [_reference(page).idnum for page in reader.pages]
        pages = [copier.number(old) for old in old_pages]
        part = _Part(pages, [copier.number(kid.idnum) for kid in kids], {})
        for old, chain in chained.items():
            dictionary, _ = source.body(old)
            self.chains[chain].append((index, _REFERENCE.sub(copier._renumber, dictionary)))
        nums = tree["/ParentTree"].get_object()["/Nums"]
        for i in range(0, len(nums), 2):
            key, value = int(nums[i]) + self.next_key, nums[i + 1]
            if isinstance(value, IndirectObject):  # an annotation's element
                text = b"%d 0 R" % copier.number(value.idnum)
            else:  # a page's elements, by marked-content number
                text = b"[%s]" % b" ".join(b"%d 0 R" % copier.number(ref.idnum) for ref in value)
            self.parent_tree.append(b"%d %s" % (key, text))
            copier.highest_key = max(copier.highest_key, key)
        page_numbers = dict(zip(old_pages, pages, strict=True))
        names: Any = catalog.get("/Names")
        if names is not None and "/Dests" in names:
            flat = names["/Dests"]["/Names"]
            for i in range(0, len(flat), 2):
                name, array = str(flat[i]), flat[i + 1]
                if name in anchors:
                    rest = b" ".join(_number_text(value) for value in array[1:])
                    part.destinations[name] = b"[%d 0 R %s]" % (page_numbers[array[0].idnum], rest)
        if index == (0, 0):
            self._keep_catalog(copier, reader)
        copier.copy_pending(part)
        self.next_key = copier.highest_key + 1
        self.parts[index] = part

    def _chained(
        self, index: tuple[int, int], kids: list[Any], spines: tuple[int, int]
    ) -> dict[int, int]:
        """The part's elements that are parts of elements going on from the part before or
        on into the part after, each with the number of the joined file's element.

        A part begins at an event, a person or a contents entry at the top of a page, and the
        elements around it go on from the part before: the document's ``main`` and the
        events' timeline, or the people's section and list, or the contents' and their
        list. The first ``spines[0]`` levels of the part's first elements (the first of the
        document's, the first in that, and so on) are such, and the first ``spines[1]``
        levels of its last ones go on into the part after. At each level the elements of one
        type of all the parts of one run (the front matter, the events, the back matter) are
        one element, and the document's ``main`` (level 0) one in them all, as in the
        document laid out whole (briefgen/tagging.py joins an element over pages)."""
        chained: dict[int, int] = {}
        for depth, end in zip(spines, (0, -1), strict=True):
            element = kids[end] if kids else None
            for level in range(depth):
                if not isinstance(element, IndirectObject):
                    break
                kind = str(cast(DictionaryObject, element.get_object()).get("/S"))
                key = (index[0] if level else -1, level, kind)
                if key not in self.chain_numbers:
                    self.chain_numbers[key] = self._reserve()
                    self.chains[self.chain_numbers[key]] = []
                chained[element.idnum] = self.chain_numbers[key]
                inner = _as_list(cast(DictionaryObject, element.get_object()).get("/K"))
                element = inner[end] if inner else None
        return chained

    def _write_chains(self) -> None:
        """Each element going on over parts, as the first part's, holding what all the
        parts' hold, in their order (an element going on over parts once)."""
        for number, pieces in self.chains.items():
            pieces.sort(key=lambda piece: piece[0])
            first = pieces[0][1]
            own_page = _PAGE.search(first)
            kids: list[bytes] = []
            for _, dictionary in pieces:
                page = _PAGE.search(dictionary)
                for kid in _kids(dictionary):
                    other_page = (
                        page is not None and own_page is not None and page[1] != own_page[1]
                    )
                    if kid.isdigit() and other_page:
                        assert page is not None
                        # Marked content of another page than the element's own.
                        kid = b"<</Type /MCR/Pg %s 0 R/MCID %s>>" % (page[1], kid)
                    if not kids or kids[-1] != kid:
                        kids.append(kid)
            found = _KIDS.search(first)
            assert found is not None
            whole = b"/K [%s]" % b" ".join(kids)
            self._write(number, first[: found.start()] + whole + first[found.end() :])

    def _keep_catalog(self, copier: _Copier, reader: PdfReader) -> None:
        """The first part's catalogue entries and document information, for the whole."""
        catalog = reader.root_object
        for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
            if key in catalog:
                stream = io.BytesIO()
                catalog.raw_get(key).write_to_stream(stream)
                self.catalog[key] = stream.getvalue()
        if "/Metadata" in catalog:
            self.catalog["/Metadata"] = b"%d 0 R" % copier.number(
                catalog.raw_get("/Metadata").idnum
            )
        info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
        if isinstance(info, IndirectObject):
            self.info = copier.number(info.idnum)

    def finish(self, outline: list[Bookmark], footers: list[bytes]) -> bytes:
        """The joined PDF, with its outline and the footers: PDFs whose pages, one for
        each page of the parts, are in order."""
        order = [self.parts[index] for index in sorted(self.parts)]
        pages = [page for part in order for page in part.pages]
        forms = [form for pdf in footers for form in self._footer_forms(_Source(pdf))]
        if len(forms) != len(pages):
            raise ValueError(f"{len(forms)} footer pages for {len(pages)} pages")
        self._add_footers(order, forms)
        for number, descriptor in self.descriptors.items():
            self._write(number, descriptor.whole())
        self._write(
            self.pages_root,
            b"<</Type /Pages/Kids [%s]/Count %d>>"
            % (b" ".join(b"%d 0 R" % page for page in pages), len(pages)),
        )
        self._write_chains()
        # A chained element (main) is every part's: it is the document's once.
        tops = [kid for part in order for kid in part.kids]
        tops = [kid for at, kid in enumerate(tops) if at == 0 or tops[at - 1] != kid]
        kids = b" ".join(b"%d 0 R" % kid for kid in tops)
        self._write(
            self.document,
            b"<</Type /StructElem/S /Document/K [%s]/P %d 0 R>>" % (kids, self.struct_root),
        )
        parent_tree = self._reserve()
        self._write(parent_tree, b"<</Nums [%s]>>" % b" ".join(self.parent_tree))
        self._write(
            self.struct_root,
            b"<</Type /StructTreeRoot/ParentTree %d 0 R/ParentTreeNextKey %d/K [%d 0 R]>>"
            % (parent_tree, self.next_key, self.document),
        )
        entries = [
            b"/Type /Catalog",
            b"/Pages %d 0 R" % self.pages_root,
            b"/StructTreeRoot %d 0 R" % self.struct_root,
        ]
        outlines = self._outline(outline, pages)
        if outlines is not None:
            entries.append(b"/Outlines %d 0 R" % outlines)
        destinations: dict[str, bytes] = {}
        for part in order:
            for name, array in part.destinations.items():
                destinations.setdefault(name, array)
        if destinations:
            names = b" ".join(
                _string(name) + b" " + destinations[name] for name in sorted(destinations)
            )
            entries.append(b"/Names <</Dests <</Names [%s]>>>>" % names)
        entries.extend(key.encode() + b" " + value for key, value in self.catalog.items())
        catalog = self._reserve()
        self._write(catalog, b"<<" + b"".join(entries) + b">>")
        return self._close(catalog)

    def _footer_forms(self, source: _Source) -> list[int]:
        """Each page of a PDF of footers, as a form XObject."""
        copier = _Copier(self, source, key_offset=0)
        forms = []
        for footer in source.reader.pages:
            contents = footer.raw_get("/Contents")
            dictionary, stream = source.body(contents.idnum)
            assert stream is not None
            box = b" ".join(_number_text(value) for value in footer.mediabox)
            resources = copier.number(footer.raw_get("/Resources").idnum)
            form = self._reserve()
            content = _compressed(dictionary, stream)
            self._write(
                form,
                b"<</Type /XObject/Subtype /Form/BBox [%s]/Resources %d 0 R"
                b"/Filter /FlateDecode/Length %d>>" % (box, resources, len(content)),
                content,
            )
            forms.append(form)
        copier.copy_pending(None)
        return forms

    def _add_footers(self, parts: list[_Part], forms: list[int]) -> None:
        """Each page's own resources: its part's, with its footer's form added."""
        pages = [(page, part) for part in parts for page in part.pages]
        for (page, part), form in zip(pages, forms, strict=True):
            text = part.resources[page]
            name = b"%s %d 0 R" % (_FOOTER_NAME, form)
            if b"/XObject <<" in text:
                text = text.replace(b"/XObject <<", b"/XObject <<" + name, 1)
            else:
                text = b"<</XObject <<" + name + b">>" + text[2:]
            self._write(self.page_resources[page], text)

    def _outline(self, bookmarks: list[Bookmark], pages: list[int]) -> int | None:
        """The outline, as WeasyPrint writes it (``pdf/anchors.py: add_outlines``)."""
        if not bookmarks:
            return None
        top = self._reserve()
        first, last, count = self._outline_level(bookmarks, pages, top)
        self._write(top, b"<</Count %d/First %d 0 R/Last %d 0 R>>" % (count, first, last))
        return top

    def _outline_level(
        self, bookmarks: list[Bookmark], pages: list[int], parent: int
    ) -> tuple[int, int, int]:
        numbers = [self._reserve() for _ in bookmarks]
        count = len(bookmarks)
        for i, (title, (page, x, y), children, state) in enumerate(bookmarks):
            entries = [
                b"/Title " + _string(title),
                b"/Dest [%d 0 R /XYZ %s %s 0]" % (pages[page], _real(x), _real(y)),
                b"/Parent %d 0 R" % parent,
            ]
            if children:
                first, last, kids = self._outline_level(children, pages, numbers[i])
                entries.append(b"/First %d 0 R/Last %d 0 R" % (first, last))
                if state != "closed":
                    count += kids
                entries.append(b"/Count %d" % (-kids if state == "closed" else kids))
            else:
                entries.append(b"/Count 0")
            if i:
                entries.append(b"/Prev %d 0 R" % numbers[i - 1])
            if i + 1 < len(bookmarks):
                entries.append(b"/Next %d 0 R" % numbers[i + 1])
            self._write(numbers[i], b"<<" + b"".join(entries) + b">>")
        return numbers[0], numbers[-1], count

    def _close(self, catalog: int) -> bytes:
        """The cross-reference stream and the trailer's entries, which it carries."""
        self._write_batch()
        xref = self._reserve()
        written = self.offsets.keys() | self.in_streams.keys() | {xref}
        missing = set(range(1, self.count + 1)) - written
        assert not missing, f"objects never written: {sorted(missing)[:10]}"
        start = self.out.tell()
        self.offsets[xref] = start
        rows = [struct.pack(">BIH", 0, 0, 65535)]
        for number in range(1, self.count + 1):
            if number in self.in_streams:
                rows.append(struct.pack(">BIH", 2, *self.in_streams[number]))
            else:
                rows.append(struct.pack(">BIH", 1, self.offsets[number], 0))
        table = zlib.compress(b"".join(rows))
        digest = hashlib.md5(self.out.getbuffer()).hexdigest().encode()
        entries = [
            b"/Type /XRef/Size %d/W [1 4 2]" % (self.count + 1),
            b"/Root %d 0 R" % catalog,
            b"/ID [<%s> <%s>]" % (digest, digest),
            b"/Filter /FlateDecode/Length %d" % len(table),
        ]
        if self.info is not None:
            entries.append(b"/Info %d 0 R" % self.info)
        self.out.write(b"%d 0 obj\n<<%s>>\nstream\n" % (xref, b"".join(entries)))
        self.out.write(table)
        self.out.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)
        return self.out.getvalue()


class _Copier:
    """Copies the objects of one source into the joined file, numbering them anew."""

    def __init__(self, joiner: Joiner, source: _Source, key_offset: int) -> None:
        self.joiner = joiner
        self.source = source
        self.key_offset = key_offset
        self.highest_key = key_offset - 1
        self.numbers: dict[int, int] = {}
        self.keys: dict[int, bytes | None] = {}  # digests of objects alike in every part
        self.pending: list[int] = []
        self.resources: dict[int, bytes] = {}  # the text of shared resources, renumbered

    def map_to(self, old: int, new: int) -> None:
        """Point references to ``old`` at an object the joiner writes itself."""
        self.numbers[old] = new

    def number(self, old: int) -> int:
        """The joined file's number for the source's object ``old``, copied later; a stream
        that is already in the joined file is not copied again."""
        if old in self.numbers:
            return self.numbers[old]
        key = self._shared(old)
        if key is not None and key in self.joiner.shared:
            self.numbers[old] = self.joiner.shared[key]
            return self.numbers[old]
        new = self.joiner._reserve()
        if key is not None:
            self.joiner.shared[key] = new
        self.numbers[old] = new
        self.pending.append(old)
        return new

    def _shared(self, old: int) -> bytes | None:
        """A digest of the object if every part that has it writes it alike, else None: a
        stream without references (a font's file, its ToUnicode map), or a font's
        dictionaries, whose references lead to such objects alone. Every part embeds the
        fonts: kept once, they are listed once, as in a document laid out whole."""
        if old in self.keys:
            return self.keys[old]
        dictionary, stream = self.source.body(old)
        key = None
        if stream is not None:
            if not _REFERENCE.search(dictionary):
                key = hashlib.sha1(dictionary + b"\0" + stream).digest()
        elif _FONT.match(dictionary):
            digests: list[bytes | None] = []

            def digest(match: re.Match[bytes]) -> bytes:
                if match.group(1) is None:
                    return match.group(0)
                digests.append(self._shared(int(match.group(1))))
                return (digests[-1] or b"").hex().encode()

            text = _REFERENCE.sub(digest, dictionary)
            if _DESCRIPTOR.match(text):  # alike but for what the part's glyphs set
                text = _BOX.sub(rb"/FontBBox [\1 \2 \4]", _FLAGS.sub(b"/Flags", text))
            if None not in digests:
                key = hashlib.sha1(text).digest()
            shared = self.joiner.shared.get(key) if key is not None else None
            if shared in self.joiner.descriptors:
                # A descriptor a part before wrote: this part's glyphs count too.
                self.joiner.descriptors[shared].add(dictionary)
        self.keys[old] = key
        return key

    def _renumber(self, match: re.Match[bytes]) -> bytes:
        if match.group(1) is None:
            return match.group(0)
        return b"%d 0 R" % self.number(int(match.group(1)))

    def _move_key(self, match: re.Match[bytes]) -> bytes:
        key = int(match.group(1)) + self.key_offset
        self.highest_key = max(self.highest_key, key)
        return match.group(0)[: match.start(1) - match.start(0)] + b"%d" % key

    def copy_pending(self, part: _Part | None) -> None:
        """Write every object referred to so far, and those they refer to."""
        pages = set(part.pages) if part is not None else set()
        while self.pending:
            old = self.pending.pop()
            new = self.numbers[old]
            dictionary, stream = self.source.body(old)
            if new in pages:
                assert part is not None
                dictionary = self._page(new, dictionary, part)
            else:
                dictionary = _REFERENCE.sub(self._renumber, dictionary)
            if part is not None:
                dictionary = _STRUCT_PARENT.sub(self._move_key, dictionary)
            if stream is None and _DESCRIPTOR.match(dictionary):
                # Written at the end, with what the other parts' glyphs set in it.
                self.joiner.descriptors[new] = _Descriptor(dictionary)
                self.joiner.descriptors[new].add(dictionary)
                continue
            self.joiner._write(new, dictionary, stream)

    def _page(self, page: int, dictionary: bytes, part: _Part) -> bytes:
        """A page, renumbered, that draws its footer after its own content: its content
        between ``q`` and ``Q``, then the footer; and resources of its own, a copy of the
        part's shared ones to which the footer is added (written with the footers)."""
        resources = _RESOURCES.search(dictionary)
        assert resources is not None and dictionary.endswith(b">>")
        shared = int(resources.group(1))
        if shared not in self.resources:
            self.resources[shared] = _REFERENCE.sub(self._renumber, self.source.body(shared)[0])
        part.resources[page] = self.resources[shared]
        own = self.joiner.page_resources[page] = self.joiner._reserve()
        dictionary = dictionary.replace(resources.group(0), b"", 1)
        dictionary = _REFERENCE.sub(self._renumber, dictionary)
        joiner = self.joiner
        dictionary = _CONTENTS.sub(
            lambda m: (
                b"/Contents [%d 0 R %s 0 R %d 0 R]"
                % (joiner.before_page, m.group(1), joiner.after_page)
            ),
            dictionary,
            count=1,
        )
        return dictionary[:-2] + b"/Resources %d 0 R>>" % own


def _compressed(dictionary: bytes, stream: bytes) -> bytes:
    """A footer's content, compressed. Its text is already a pagination artifact, which
    screen readers skip (a margin box's, briefgen/tagging.py): laid out alone and drawn over a
    page as a form XObject, it has no structure tree, and no marked-content number that
    would point nowhere."""
    if b"/Filter" in dictionary:
        assert b"/Filter /FlateDecode" in dictionary, dictionary
        return stream
    return zlib.compress(stream)


def _kids(dictionary: bytes) -> list[bytes]:
    """The kids of a structure element's dictionary, each as written."""
    found = _KIDS.search(dictionary)
    return _KID.findall(found.group(1)) if found else []


def _reference(obj: Any) -> IndirectObject:
    reference = obj.indirect_reference
    assert reference is not None
    return reference  # type: ignore[no-any-return]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, ArrayObject) else [value]


def _number_text(value: Any) -> bytes:
    if hasattr(value, "idnum"):
        raise ValueError("a reference where a number was expected")
    return str(value).encode() if not isinstance(value, float) else _real(value)


def _real(value: float) -> bytes:
    text = f"{float(value):f}".rstrip("0").rstrip(".")
    return (text or "0").encode()


def _string(text: str) -> bytes:
    """A PDF text string, as pydyf writes WeasyPrint's."""
    data: bytes = pydyf.String(text).data
    return data
