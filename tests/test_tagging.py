"""briefgen.tagging: the structure tree's page references built once, the same PDF; the
language of text in another one marked in it."""

from __future__ import annotations

import io
import re
from typing import Any

import pdfplumber
import pypdf
import yaml

import briefgen
from conftest import REPO, printed, pypdf_pages

# Renders the sample's PDF in a fresh process, with or without briefgen.tagging, and prints
# the PDF's hash and whether it holds a structure tree.
RENDER = """
import hashlib, io, sys
import pypdf
import yaml
import briefgen
from briefgen import tagging
if sys.argv[1] == "without":
    tagging.install = lambda: None
pdf = briefgen.render_pdf(briefgen.load(sys.argv[2]), source_date_epoch=1700000000)
tagged = "/StructTreeRoot" in pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
print(hashlib.sha256(pdf).hexdigest(), tagged)
"""


def render(mode: str) -> str:
    return printed(RENDER, mode, str(REPO / "data" / "russia-north-korea.yaml")).split("\n")[-2]


def test_the_tagged_pdf_is_the_same_byte_for_byte():
    with_it, without = render("with"), render("without")
    assert with_it.endswith(" True")
    assert with_it == without


#: A ToUnicode map's single entries and ranges: ``<code> <text>``, ``<first> <last> <text>``.
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
_BFRANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def to_unicode_map(font: Any) -> dict[bytes, str]:
    """The text of each character code of a font, from its ToUnicode CMap."""
    if "/ToUnicode" not in font:
        return {}
    data = font["/ToUnicode"].get_object().get_data()
    found: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(block):
            found[bytes.fromhex(code.decode())] = bytes.fromhex(text.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for first, last, text in _BFRANGE.findall(block):
            start, width = int(first, 16), len(first) // 2
            base = bytes.fromhex(text.decode()).decode("utf-16-be")
            for offset in range(int(last, 16) - start + 1):
                code = (start + offset).to_bytes(width, "big")
                found[code] = base[:-1] + chr(ord(base[-1]) + offset)
    return found


def decoded(shown: Any, codes: dict[bytes, str]) -> str:
    """The text of a string a show-text operator draws, by its font's codes; a code the map
    lacks comes back as U+FFFD, so a test sees it rather than losing it."""
    raw = shown.original_bytes if hasattr(shown, "original_bytes") else bytes(shown)
    widths = sorted({len(code) for code in codes}) or [1]
    text, at = "", 0
    while at < len(raw):
        width = next((w for w in widths if raw[at : at + w] in codes), widths[0])
        text += codes.get(raw[at : at + width], "\ufffd")
        at += width
    return text


def text_of_marked_content(pdf: bytes) -> dict[tuple[int, int], str]:
    """The text of each piece of marked content, by its page's index and its number.

    Read off a stack of the page's marked content, as a screen reader reads it: text counts
    toward the innermost marked content that has an MCID, and a span with an ``ActualText``
    (as briefgen's justified text is drawn, inside the MCID'd content) stands for all the
    text inside it. pdfplumber lost the MCID inside and after such a nested span and dropped
    the text there."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return {
        (number, mcid): text
        for number, page in enumerate(reader.pages)
        for mcid, text in marked_content_of_page(reader, page).items()
    }


def marked_content_of_page(reader: pypdf.PdfReader, page: Any) -> dict[int, str]:
    """The text of each piece of marked content of a page, by its MCID."""
    resources = page["/Resources"]
    fonts = {
        str(name): to_unicode_map(font.get_object())
        for name, font in resources.get("/Font", {}).items()
    }
    properties = resources.get("/Properties", {})
    pieces: dict[int, str] = {}
    # Each open marked content: its MCID (or None) and its ActualText (or None).
    stack: list[tuple[int | None, str | None]] = []
    codes: dict[bytes, str] = {}
    saved: list[dict[bytes, str]] = []  # the font is graphics state: q saves it, Q restores

    def add(text: str) -> None:
        owner = next((mcid for mcid, _ in reversed(stack) if mcid is not None), None)
        if owner is not None:
            pieces[owner] = pieces.get(owner, "") + text

    for operands, operator in pypdf.generic.ContentStream(page.get_contents(), reader).operations:
        if operator == b"BMC":
            stack.append((None, None))
        elif operator == b"BDC":
            tag = operands[1]
            if isinstance(tag, pypdf.generic.NameObject):
                tag = properties[tag].get_object()
            mcid = tag.get("/MCID")
            stack.append((None if mcid is None else int(mcid), tag.get("/ActualText")))
        elif operator == b"EMC":
            actual = stack[-1][1]
            if actual is not None and all(outer is None for _, outer in stack[:-1]):
                add(str(actual))
            stack.pop()
        elif operator == b"q":
            saved.append(codes)
        elif operator == b"Q":
            codes = saved.pop()
        elif operator == b"Tf":
            codes = fonts[str(operands[0])]
        elif any(actual is not None for _, actual in stack):
            continue  # an ActualText stands for this text
        elif operator in (b"Tj", b"'"):
            add(decoded(operands[0], codes))
        elif operator == b'"':
            add(decoded(operands[2], codes))
        elif operator == b"TJ":
            shown = [item for item in operands[0] if isinstance(item, (str, bytes))]
            add("".join(decoded(item, codes) for item in shown))
    assert not stack, "marked content left open at the page's end"
    return pieces


def text_by_language(pdf: bytes) -> dict[str, str]:
    """The text of the PDF's structure tree, gathered by the language a screen reader reads
    each piece in: the nearest ``/Lang`` of its elements, else the catalogue's."""
    pieces = text_of_marked_content(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    found: dict[str, str] = {}

    def walk(element: Any, language: str, page: int | None) -> None:
        language = str(element.get("/Lang", language))
        if "/Pg" in element:
            page = page_numbers[element.raw_get("/Pg").idnum]
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int):
                assert page is not None
                found[language] = found.get(language, "") + pieces.get((page, kid), "")
            else:
                walk(kid.get_object(), language, page)

    root = reader.trailer["/Root"]
    walk(root["/StructTreeRoot"], str(root["/Lang"]), None)
    return found


def test_a_name_in_another_language_is_tagged_with_it(write_briefing):
    """A person's alt name carries its language in the structure tree, as in the HTML and
    the EPUB: a screen reader read 김정은 in the voice of the briefing's Chinese."""
    source = write_briefing("""
        title: 人物
        lang: zh-Hant
        events: [{start: 2020, title: 會談}]
        people:
          - {name: 金正恩, alt: 김정은}
          - {name: 安倍晉三, alt: あべしんぞう}
          - {name: 普丁, alt: Владимир Путин, alt_lang: ru}
          - {name: 金日成, alt: Kim Il-sung}
    """)
    found = text_by_language(briefgen.render_pdf(briefgen.load(source)))
    assert set(found) == {"zh-Hant", "ko", "ja", "ru"}
    assert found["ko"] == "김정은"
    assert found["ja"] == "あべしんぞう"
    assert found["ru"].replace(" ", "") == "ВладимирПутин"
    assert "金正恩" in found["zh-Hant"] and "Kim Il-sung" in found["zh-Hant"]


def test_a_link_is_described_by_what_it_says(write_briefing):
    """Every link's alternate description (/Contents, which a screen reader gives for a link
    without text, as the timeline's) was its target: "event-01", "event-02"…. It says what
    the link says: its text, or the event a link of the timeline leads to."""
    source = write_briefing("""
        title: 測試
        lang: zh-Hant
        events:
          - {start: 1950, title: 朝鮮戰爭}
          - {start: 1991, title: 蘇聯解體, body: "見[報導](https://example.org/a)。"}
    """)
    reader = pypdf.PdfReader(io.BytesIO(briefgen.render_pdf(briefgen.load(source))))
    described: dict[str, set[str]] = {}
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            target = annotation.get("/Dest") or annotation["/A"]["/URI"]
            described.setdefault(str(target), set()).add(str(annotation["/Contents"]))
    assert described == {
        "event-01": {"1950年 朝鮮戰爭"},
        "event-02": {"1991年 蘇聯解體"},
        "https://example.org/a": {"報導"},
    }


def test_each_link_is_one_annotation_in_one_link_element(sample):
    """WeasyPrint handed a link down to every box inside it, and each made an annotation: an
    entry of the contents (a one-row table) was eight annotations over one another, in Link
    elements nested three deep and in its cells' Span elements, so that a screen reader met
    eight links to one event, and PDF/UA's rule that a link annotation lies in a Link
    element was broken. Each entry is now one annotation, in one Link, which holds the
    entry's text."""
    reader = pypdf.PdfReader(io.BytesIO(briefgen.render_pdf(sample)))
    parent_tree = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]
    nums = parent_tree["/Nums"]
    element_of = {nums[index]: nums[index + 1].get_object() for index in range(0, len(nums), 2)}
    front = reader.pages[0]
    targets = [str(note.get_object()["/Dest"]) for note in front["/Annots"]]
    # The timeline's link to each event, and the contents' entry.
    assert targets.count("event-01") == 2
    assert targets.count("people") == 1
    for page in reader.pages:
        for note in page.get("/Annots", []):
            element = element_of[note.get_object()["/StructParent"]]
            assert element["/S"] == "/Link"
            assert element["/P"].get_object()["/S"] != "/Link"
    entry = next(
        element_of[note.get_object()["/StructParent"]]
        for note in front["/Annots"]
        if note.get_object()["/Dest"] == "event-02"
        and "蘇聯" in str(note.get_object()["/Contents"])
        and element_of[note.get_object()["/StructParent"]]["/P"].get_object()["/S"] == "/Reference"
    )

    def links_in(element: Any) -> int:
        kids = element.get("/K", [])
        inner = [kid.get_object() for kid in (kids if isinstance(kids, list) else [kids])]
        return sum(
            (kid.get("/S") == "/Link") + links_in(kid)
            for kid in inner
            if isinstance(kid, dict) and kid.get("/Type") != "/OBJR"
        )

    assert links_in(entry) == 0


def test_a_link_with_a_bold_word_in_it_is_one_annotation_covering_both(write_briefing):
    """A bold word's box stands a fraction of a point above its link's line: it kept an
    annotation of its own, a second link to the same address. The link's one annotation now
    covers it."""
    source = write_briefing("""
        title: 測試
        lang: zh-Hant
        events:
          - {start: 1991, title: 蘇聯解體, body: "見[這篇**獨家**報導](https://example.org/a)。"}
    """)
    pdf = briefgen.render_pdf(briefgen.load(source))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = [
        (number, [float(value) for value in annotation.get_object()["/Rect"]])
        for number, page in enumerate(reader.pages)
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/A", {}).get("/URI") == "https://example.org/a"
    ]
    assert len(found) == 1
    number, (x1, top, x2, bottom) = found[0]
    low, high = sorted((top, bottom))  # WeasyPrint writes the top edge first
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[number]
        bold = [char for char in page.chars if char["text"] in "獨家"]
    assert len(bold) == 2
    for char in bold:  # pdfplumber measures from the top, the annotation from the bottom
        assert x1 - 0.01 <= char["x0"] and char["x1"] <= x2 + 0.01
        assert low - 0.01 <= page.height - char["bottom"]
        assert page.height - char["top"] <= high + 0.01


def tree_elements(reader: pypdf.PdfReader) -> set[int]:
    """The object numbers of the structure elements a reader reaches from the tree's root."""
    found: set[int] = set()

    def walk(reference: Any) -> None:
        element = reference.get_object()
        if element.get("/Type") != "/StructElem":
            return  # a marked-content or annotation reference
        found.add(reference.idnum)
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, pypdf.generic.IndirectObject):
                walk(kid)

    for kid in reader.trailer["/Root"]["/StructTreeRoot"].get_object()["/K"]:
        walk(kid)
    return found


def marked_text(reader: pypdf.PdfReader, page: Any) -> list[tuple[str, int | None, str | None]]:
    """Each text-showing operator of a page's content, as what marks it: its innermost
    marked-content number, and the subtype of the pagination artifact it is in (or None)."""
    found: list[tuple[str, int | None, str | None]] = []
    marks: list[tuple[str, Any]] = []
    for operands, operator in pypdf.generic.ContentStream(page.get_contents(), reader).operations:
        if operator in (b"BDC", b"BMC"):
            marks.append((str(operands[0]), operands[1] if operator == b"BDC" else None))
        elif operator == b"EMC":
            marks.pop()
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            mcids = [int(props["/MCID"]) for _, props in marks if props and "/MCID" in props]
            pagination = [
                str(props.get("/Subtype"))
                for tag, props in marks
                if tag == "/Artifact" and props and props.get("/Type") == "/Pagination"
            ]
            subtype = pagination[0] if pagination else None
            found.append((operator.decode(), mcids[-1] if mcids else None, subtype))
    return found


def test_the_running_header_and_footer_are_pagination_artifacts(sample):
    """The margin boxes' text (the title and the period at the head of a page, "第 n 頁／共
    m 頁" at its foot) was marked content of structure elements left out of the tree: the
    parent tree pointed it at elements no reader reached, untagged text to a PDF/UA checker.
    It is a pagination artifact now, a header or a footer, and every element the parent
    tree names is in the tree; the footer's text is still the page's text."""
    pdf = briefgen.render_pdf(sample)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    in_tree = tree_elements(reader)
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    parent_tree = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
    for number, page in enumerate(reader.pages):
        shown = marked_text(reader, page)
        assert {subtype for _, _, subtype in shown} - {None} == (
            {"/Footer"} if number == 0 else {"/Header", "/Footer"}
        )
        elements = parent_tree[int(page["/StructParents"])].get_object()
        mcids = {mcid for _, mcid, subtype in shown if subtype is None}
        assert None not in mcids
        assert mcids <= set(range(len(elements)))
    for elements in parent_tree.values():
        for element in elements if isinstance(elements, list) else [elements]:
            assert element.idnum in in_tree
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert "第 2 頁／共" in document.pages[1].extract_text()


def list_shapes(reader: pypdf.PdfReader) -> list[tuple[str, list[str]]]:
    """Each list element and item of the structure tree, in reading order, with the types
    of what it holds (``MCID`` for marked content of its own)."""
    found: list[tuple[str, list[str]]] = []

    def walk(element: Any) -> None:
        kids = element.get("/K", [])
        kids = [kid.get_object() for kid in (kids if isinstance(kids, list) else [kids])]
        if element.get("/S") in ("/L", "/LI"):
            found.append(
                (
                    str(element["/S"]),
                    [str(kid["/S"]) if isinstance(kid, dict) else "MCID" for kid in kids],
                )
            )
        for kid in kids:
            if isinstance(kid, dict) and kid.get("/Type") == "/StructElem":
                walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def element_text(pdf: bytes, reader: pypdf.PdfReader, wanted: str) -> list[str]:
    """The text of each element of type ``wanted``, gathered from the marked content it
    holds, in the tree's order."""
    pieces = text_of_marked_content(pdf)
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    found: list[str] = []

    def walk(element: Any) -> None:
        if element.get("/S") == wanted:
            found.append(_held_text(element, None, pieces, page_numbers, actual_text=False))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if not isinstance(kid, int) and kid.get_object().get("/Type") == "/StructElem":
                walk(kid.get_object())

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_a_list_holds_items_each_a_label_and_a_body(write_briefing):
    """PDF/UA's lists are L > LI > (Lbl, LBody). The people and tag chips' list held an
    empty Span for each space between its chips, beside its items; a source's publisher,
    date and note, and the paragraphs of a loose Markdown list, were elements of the item
    beside its body, or with no body at all; a nested list was a list of its own after its
    item. Each item is now its label and one body that holds all it says in order, a
    nested list in its place there, and the spaces between the chips are artifacts."""
    source = write_briefing("""
        title: 清單
        lang: zh-Hant
        events:
          - start: 2020
            title: 會談
            people: [金正恩, 普京]
            tags: [外交, 軍事]
            body: |
              - 第一項
              - 第二項
                - 巢狀一
                - 巢狀二
              - 第三項

                - 巢狀三

                之後。

              段落。

              1. 第一段。

                 第二段。

              2. 另一項。
        people:
          - {name: 金正恩}
          - {name: 普京}
        sources:
          - {title: 報導, publisher: 某報, date: 2023-09-13, note: 附註。}
    """)
    pdf = briefgen.render_pdf(briefgen.load(source))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    shapes = list_shapes(reader)
    for kind, kids in shapes:
        if kind == "/L":
            assert set(kids) == {"/LI"}, shapes
        else:
            assert kids in (["/LBody"], ["/Lbl", "/LBody"]), shapes
    # The bodies' text, without the nested list's bullets.
    bodies = [
        "".join(body.replace("◦", "").split()) for body in element_text(pdf, reader, "/LBody")
    ]
    assert "第二項巢狀一巢狀二" in bodies  # the nested list is in its item, in its place
    assert "第三項巢狀三之後。" in bodies
    assert "第一段。第二段。" in bodies
    assert any(body.startswith("報導") and "某報" in body and "附註。" in body for body in bodies)
    chips = bodies.index("金正恩")
    assert bodies[chips : chips + 4] == ["金正恩", "普京", "外交", "軍事"]


def test_a_list_in_columns_is_one_list(sample):
    """The one-sheet handout sets its events in two columns, and WeasyPrint made a list of
    each column inside the list: a screen reader met three lists, the events split in two.
    The events are one list of one item each."""
    reader = pypdf.PdfReader(
        io.BytesIO(briefgen.render_pdf(sample, briefgen.BuildOptions(handout="sheet")))
    )
    assert len(reader.pages) == 1
    lists = [kids for kind, kids in list_shapes(reader) if kind == "/L"]
    assert lists == [["/LI"] * len(sample.events)]


def test_an_element_over_a_page_break_is_one_element(write_briefing):
    """WeasyPrint builds the structure tree a page at a time, and made an element of each
    page's piece of an element a page break cut: the document's main was a Part a page,
    the timeline a Div a page, an event over a page break two sections, and its paragraph
    two paragraphs, which a screen reader read as two. Each is one element, over the
    pages, its content in order."""
    sentences = "".join(
        f"第{number}句話說得很長很長很長很長很長很長很長。" for number in range(200)
    )
    source = write_briefing(f"""
        title: 長段落
        lang: zh-Hant
        events:
          - {{start: 2019, title: 前一件事}}
          - {{start: 2020, title: 會談, body: "{sentences}"}}
          - {{start: 2021, title: 後一件事}}
    """)
    reader = pypdf.PdfReader(io.BytesIO(briefgen.render_pdf(briefgen.load(source))))
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}

    def kids(element: Any) -> list[Any]:
        found = element.get("/K", [])
        found = [kid.get_object() for kid in (found if isinstance(found, list) else [found])]
        return [kid for kid in found if isinstance(kid, dict) and kid.get("/S")]

    (document,) = kids(reader.trailer["/Root"]["/StructTreeRoot"])
    (main,) = [kid for kid in kids(document) if kid["/S"] == "/Part"]
    (timeline,) = [kid for kid in kids(main) if kid["/S"] == "/Div"]
    events = kids(timeline)
    assert [event["/S"] for event in events] == ["/Sect"] * 3
    (paragraph,) = [kid for kid in kids(events[1]) if kid["/S"] == "/P"]
    pages = [page_numbers[span.raw_get("/Pg").idnum] for span in kids(paragraph)]
    assert len(set(pages)) >= 2
    assert pages == sorted(pages)  # the text in order, over the pages


def test_a_person_of_the_index_is_one_item_their_name_its_label(write_briefing):
    """The people index is a description list, and WeasyPrint made an item of each name
    (dt) and of each description (dd): a screen reader met twice as many items as people,
    a name apart from what is said of it. Each person is one item, the name its label and
    the description its body; a person of whom nothing is said is a label alone."""
    source = write_briefing("""
        title: 人物
        lang: zh-Hant
        events: [{start: 2020, title: 會談, people: [金正恩]}]
        people:
          - {name: 金正恩, alt: 김정은, role: 朝鮮領導人}
          - {name: 普京}
          - {name: 文在寅, role: 韓國總統}
    """)
    pdf = briefgen.render_pdf(briefgen.load(source))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    index = [kids for kind, kids in list_shapes(reader) if kind == "/L"][-1]
    assert index == ["/LI"] * 3
    items = [kids for kind, kids in list_shapes(reader) if kind == "/LI"][-3:]
    assert items == [["/Lbl", "/LBody"], ["/Lbl"], ["/Lbl", "/LBody"]]
    assert element_text(pdf, reader, "/Lbl") == ["金正恩김정은", "普京", "文在寅"]
    bodies = element_text(pdf, reader, "/LBody")[-2:]
    # The role, then the events the person is in.
    assert bodies[0] == "朝鮮領導人2020年"
    assert bodies[1] == "韓國總統"


def test_a_link_over_two_lines_is_one_link_element(write_briefing):
    """WeasyPrint made a Link element of each line a link is set on, each with the line's
    annotation: a screen reader read a link that wraps as two links. It is one Link,
    which holds each line's annotation (PDF/UA-2, 8.2.5.20) and the link's whole text; so
    is a link in an emphasis that wraps with it, and the emphasis."""
    before = "前面的文字" * 6
    words = "很長" * 16
    source = write_briefing(f"""
        title: 測試
        lang: zh-Hant
        events:
          - start: 1991
            title: 蘇聯解體
            body: "{before}，見[這篇{words}的報導](https://example.org/a)。又見*強調[那篇{words}的文章](https://example.org/b)之後*。"
    """)
    pdf = briefgen.render_pdf(briefgen.load(source))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    nums = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    element_of = {nums[index]: nums[index + 1] for index in range(0, len(nums), 2)}
    holders: dict[str, list[int]] = {}
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if "/A" in annotation:
                holders.setdefault(str(annotation["/A"]["/URI"]), []).append(
                    element_of[annotation["/StructParent"]].idnum
                )
    assert set(holders) == {"https://example.org/a", "https://example.org/b"}
    for elements in holders.values():
        assert len(elements) >= 2  # an annotation a line
        assert len(set(elements)) == 1  # in one Link
    # Each line's text is the one Link's: no Link of its own without an annotation.
    assert len(element_text(pdf, reader, "/Link")) == 2 + 1  # and the contents' entry


def test_the_contents_are_a_table_of_contents(sample):
    """WeasyPrint tagged the contents (a nav, and its list of entries) as a list in an
    element of no meaning. They are a table of contents, TOC, of an item (TOCI) for each
    entry, which holds the entry's link in a Reference, as ISO 32000-1 and the Tagged PDF
    Best Practice Guide tag a linked entry; a list of links elsewhere stays a list."""
    pdf = briefgen.render_pdf(sample)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found: list[tuple[str, list[str]]] = []

    def walk(element: Any) -> None:
        kids = element.get("/K", [])
        kids = [kid.get_object() for kid in (kids if isinstance(kids, list) else [kids])]
        kids = [kid for kid in kids if isinstance(kid, dict) and kid.get("/S")]
        if element.get("/S") in ("/TOC", "/TOCI", "/Reference"):
            found.append((str(element["/S"]), [str(kid["/S"]) for kid in kids]))
        for kid in kids:
            walk(kid)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    entries = len(sample.events) + 2  # and the people and the sources
    assert found[0] == ("/TOC", ["/TOCI"] * entries)
    assert found[1:] == [("/TOCI", ["/Reference"]), ("/Reference", ["/Link"])] * entries
    # The people chips under each event, links into the people index outside the contents,
    # are lists still; so are the sources.
    lists = [kids for kind, kids in list_shapes(reader) if kind == "/L"]
    assert len(lists) == len(sample.events) + 2  # an event's chips; the people; the sources


def test_no_element_of_the_tree_is_empty(sample):
    """WeasyPrint makes an element of every box: the contents' entries for the people and
    the sources have an empty date cell, and each was a Span holding nothing, an element a
    screen reader met with no text. Every element holds marked content or an annotation."""
    reader = pypdf.PdfReader(io.BytesIO(briefgen.render_pdf(sample)))
    empty: list[str] = []

    def walk(element: Any) -> None:
        kids = element.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        if not kids:
            empty.append(str(element["/S"]))
        for kid in kids:
            if isinstance(kid, pypdf.generic.IndirectObject):
                inner = kid.get_object()
                if inner.get("/Type") == "/StructElem":
                    walk(inner)

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object())
    assert empty == []


def tree_text(pdf: bytes) -> str:
    """The text of the structure tree in reading order, as a screen reader gathers it: an
    element's ``ActualText`` in place of what it holds."""
    pieces = text_of_marked_content(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    page_numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    document = reader.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    return _held_text(document, None, pieces, page_numbers, actual_text=True)


def _held_text(
    element: Any,
    page: int | None,
    pieces: dict[tuple[int, int], str],
    page_numbers: dict[int, int],
    *,
    actual_text: bool,
) -> str:
    """The text of the marked content ``element`` holds, its own and its descendants', in
    order (``page``: the page an ancestor names); with ``actual_text``, an element's
    ``ActualText`` in place of what it holds, as a screen reader reads it."""
    if actual_text and "/ActualText" in element:
        return str(element["/ActualText"])
    if "/Pg" in element:
        page = page_numbers[element.raw_get("/Pg").idnum]
    kids = element.get("/K", [])
    gathered = ""
    for kid in kids if isinstance(kids, list) else [kids]:
        if isinstance(kid, int):
            assert page is not None
            gathered += pieces.get((page, kid), "")
        elif kid.get_object().get("/Type") == "/StructElem":
            gathered += _held_text(
                kid.get_object(), page, pieces, page_numbers, actual_text=actual_text
            )
    return gathered


def test_a_space_between_two_elements_is_in_the_tree(write_briefing):
    """WeasyPrint draws a space as a gap: a text box of a space alone was marked content
    with nothing in it, and the tree ran the words around it together. Each emphasised
    Korean syllable is a span of its own, so the words of an emphasis were one word to a
    screen reader; an event's date ran into its title."""
    path = write_briefing(
        """
        title: 반도체
        lang: ko
        events:
          - start: 2023-04-07
            title: 감산 발표
            body: 삼성전자는 *메모리 반도체 감산*을 공식화했다.
        """
    )
    text = tree_text(briefgen.render_pdf(briefgen.load(path)))
    assert "메모리 반도체 감산을 공식화했다." in text
    assert "2023년 4월 7일\u3000감산 발표" in text


def test_a_line_that_breaks_at_a_space_keeps_it_in_the_tree(write_briefing):
    """WeasyPrint leaves out of a line the space it breaks at, or takes it off the line's
    end: in Korean and English the tree ran the last word of each line into the first of
    the next (``“국가전략기술”에대한``), as a screen reader then read it."""
    korean = "정부는 국가전략기술에 대한 세액공제를 확대했고, 삼성전자는 감산을 공식화했다. " * 4
    english = "The ministry widened the tax credit for national strategic technologies. " * 4
    path = write_briefing(
        f"""
        title: 반도체
        lang: ko
        events:
          - start: 2023-04-07
            title: 감산 발표
            body: {korean.strip()}
        """
    )
    text = tree_text(briefgen.render_pdf(briefgen.load(path)))
    assert korean.strip() in text
    path = write_briefing(
        f"""
        title: Chips
        lang: en
        events:
          - start: 2023-04-07
            title: Cuts
            body: {english.strip()}
        """
    )
    text = tree_text(briefgen.render_pdf(briefgen.load(path)))
    assert english.strip() in text


def test_a_justified_chinese_line_that_breaks_at_a_space_reads_its_words_as_written(
    write_briefing,
):
    """A Chinese line is justified by cutting its text into pieces (a degree sign among
    them takes no character spacing); the line broke at a space, and each piece of its
    last text was read as ending the line, a space after it: 達 到 40 ℃ ，."""
    unit = "當日氣溫達到40℃，台積電在 Arizona Phoenix 的工廠宣布停工，"
    path = write_briefing(
        f"""
        title: 測試
        lang: zh-Hant
        events:
          - start: 2023
            title: 高溫
            body: {unit * 8}
        """
    )
    assert unit * 8 in tree_text(briefgen.render_pdf(briefgen.load(path)))


def test_a_word_hyphenated_at_a_line_end_is_one_word_in_the_tree(write_briefing):
    """English is hyphenated: the hyphen a line's end adds to a word is drawn, and the tree
    read the word as two (``min-`` ``ister``). A hyphen of the text's own stays."""
    words = "the office of the efficient minister of telecommunications and supply-chain "
    body = (words * 6).strip() + "."
    path = write_briefing(
        f"""
        title: Chips
        lang: en
        events:
          - start: 2023-04-07
            title: Cuts
            body: {body}
        """
    )
    pdf = briefgen.render_pdf(briefgen.load(path))
    assert re.search(r"[a-z]-\n[a-z]", "".join(pypdf_pages(pdf)))  # some word hyphenated
    assert body in tree_text(pdf)


def test_an_emphasis_is_one_run_of_text_in_the_tree(write_briefing):
    """Each emphasised character is a span of its own, whose background is its dot, and
    WeasyPrint made each an element holding an element of the character: a screen reader
    could present 甲乙丙 as three separate characters, which the HTML and the EPUB are made
    not to. The characters are the content of the emphasis's own element."""
    path = write_briefing(
        """
        title: 著重號
        events:
          - start: 2020
            title: 一件事
            body: 這份文件說明*甲乙丙*三項原則。
        """
    )
    pdf = briefgen.render_pdf(briefgen.load(path))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert not {"甲", "乙", "丙"} & set(element_text(pdf, reader, "/Span"))
    assert "甲乙丙" in element_text(pdf, reader, "/NonStruct")
    assert "這份文件說明甲乙丙三項原則。" in tree_text(pdf)


def test_the_sample_tree_reads_each_sentence_once_in_order(sample):
    """A screen reader follows the structure tree: it gives every sentence of the summary
    and of the events once, in the order the briefing has them, and nothing of the running
    header or the footer (pagination artifacts) among them."""
    text = tree_text(briefgen.render_pdf(sample))
    source = yaml.safe_load((REPO / "data" / "russia-north-korea.yaml").read_text("utf-8"))
    paragraphs = [source["summary"]] + [event.get("body", "") for event in source["events"]]
    sentences = [
        re.sub(r"[*_\s]", "", sentence)
        for paragraph in paragraphs
        for sentence in re.findall(r"[^。；]+[。；]?", paragraph)
        if sentence.strip()
    ]
    assert len(sentences) > 40
    at = 0
    for sentence in sentences:
        assert text.count(sentence) == 1, sentence
        assert text.find(sentence) >= at, sentence
        at = text.find(sentence)
    assert "頁" not in text and "\ufffd" not in text
