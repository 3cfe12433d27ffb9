"""Where the PDF's pages break, read back from the PDF: events kept whole, headings kept with
their text, no page left mostly empty, the contents aligned and listing what follows them."""

from __future__ import annotations

import dataclasses
import io
import itertools
import re
from dataclasses import dataclass

import pdfplumber
import pytest
import yaml

import briefgen
from briefgen.builders.pdf import running_title
from briefgen.i18n import language
from briefgen.options import PAPERS, points

pytestmark = pytest.mark.slow

#: h2 is 1.25em of the 10.5 pt body (base.css); the tags under an event are 0.8em.
HEADING_SIZE = 13.125
BODY_SIZE = 10.5


@dataclass(frozen=True)
class Line:
    text: str  # without the spaces readers put into gaps
    top: float
    bottom: float
    size: float
    x0: float

    @property
    def is_heading(self) -> bool:
        return abs(self.size - HEADING_SIZE) < 0.2

    @property
    def is_body(self) -> bool:
        return abs(self.size - BODY_SIZE) < 0.2


@dataclass(frozen=True)
class Page:
    lines: list[Line]  # the text block's, without the running header and the footer
    top: float  # where the text block starts and ends, in pt from the top
    bottom: float

    @property
    def fill(self) -> float:
        """How far down the text block the last line reaches, 0 to 1."""
        return (self.lines[-1].bottom - self.top) / (self.bottom - self.top) if self.lines else 0


def read_pages(pdf: bytes, paper: str) -> list[Page]:
    margin = [points(length) for length in PAPERS[paper].margin.split()]
    top, bottom = margin[0], margin[2 if len(margin) > 2 else 0]
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            lines = [
                Line(
                    text=re.sub(r"\s", "", line["text"]),
                    top=line["top"],
                    bottom=line["bottom"],
                    size=max(char["size"] for char in line["chars"]),
                    x0=line["x0"],
                )
                for line in page.extract_text_lines()
                if line["top"] >= top - 1 and line["bottom"] <= page.height - bottom + 1
            ]
            pages.append(Page(_join_wrapped_headings(lines), top, page.height - bottom))
    return pages


def _join_wrapped_headings(lines: list[Line]) -> list[Line]:
    """A heading that wraps, as one line."""
    joined: list[Line] = []
    for line in lines:
        above = joined[-1] if joined else None
        if above and above.is_heading and line.is_heading and line.top - above.bottom < 8:
            line = Line(above.text + line.text, above.top, line.bottom, line.size, above.x0)
            joined[-1] = line
        else:
            joined.append(line)
    return joined


def heading_text(event: briefgen.Event, lang: str) -> str:
    return re.sub(r"\s", "", language(lang).period(event) + event.title)


def event_lines(pages: list[Page], briefing: briefgen.Briefing) -> list[list[tuple[int, Line]]]:
    """Each event's heading and its lines of text (body size), as (page index, line) pairs, up
    to the next heading."""
    flat = [(number, line) for number, page in enumerate(pages) for line in page.lines]
    found: list[list[tuple[int, Line]]] = []
    wanted = [heading_text(event, briefing.lang) for event in briefing.events]
    for number, line in flat:
        if line.is_heading:
            is_next = len(found) < len(wanted) and line.text == wanted[len(found)]
            if is_next:
                found.append([(number, line)])
            elif found and found[-1] is not None:
                found.append(None)  # type: ignore[arg-type]  # a heading that ends the event
        elif found and found[-1] is not None and line.is_body:
            found[-1].append((number, line))
    events = [lines for lines in found if lines is not None]
    assert [lines[0][1].text for lines in events] == wanted, "every event heading, in order"
    return events


def big_briefing(tmp_path, repeats: int = 4, **extra) -> briefgen.Briefing:
    """The sample's events several times over, some with a one-line first paragraph, some
    three times as long, and a few much longer than half an A5 page."""
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    events = []
    for round_ in range(repeats):
        for index, event in enumerate(data["events"]):
            event = dict(event, title=f"{event['title']}（{round_ + 1}）")
            paragraphs = event["body"].strip().split("\n\n")
            if (index + round_) % 3 == 1:
                paragraphs = ["短短一行。", *paragraphs]
            if (index + round_) % 4 == 2:
                paragraphs = paragraphs * 3
            if (index + round_) % 11 == 5:
                paragraphs = paragraphs * 8
            event["body"] = "\n\n".join(paragraphs)
            events.append(event)
    data.update(events=events, **extra)
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return briefgen.load(path)


CASES = [("sample", "A4"), ("sample", "A5"), ("big", "A4"), ("big", "A5"), ("big", "B5")]


@pytest.fixture(scope="module", params=CASES, ids=[f"{n}-{p}" for n, p in CASES])
def laid_out(request, rendered):
    name, paper = request.param
    briefing, pdf = rendered(name, paper)
    return briefing, paper, read_pages(pdf, paper)


@pytest.fixture(scope="module")
def rendered(sample, tmp_path_factory):
    """render(name, paper) -> (briefing, PDF), each PDF made once for the whole module."""
    made: dict[tuple[str, str], tuple[briefgen.Briefing, bytes]] = {}

    def render(name: str, paper: str) -> tuple[briefgen.Briefing, bytes]:
        if (name, paper) not in made:
            folder = tmp_path_factory.mktemp("big")
            briefing = sample if name == "sample" else big_briefing(folder)
            made[name, paper] = briefing, briefgen.render_pdf(briefing, paper=paper)
        return made[name, paper]

    return render


def test_no_page_ends_with_a_heading(laid_out):
    _, _, pages = laid_out
    for number, page in enumerate(pages[:-1], start=1):
        assert not page.lines[-1].is_heading, f"page {number} ends with {page.lines[-1].text}"


def test_an_event_heading_keeps_two_lines_of_its_text_on_its_page(laid_out):
    briefing, _, pages = laid_out
    for lines in event_lines(pages, briefing):
        (page, heading), body = lines[0], lines[1:]
        with_it = [line for number, line in body if number == page]
        assert len(with_it) >= min(2, len(body)), f"{heading.text}: {len(with_it)} line(s)"


def test_an_event_of_less_than_half_a_page_is_not_split(laid_out):
    briefing, _, pages = laid_out
    half = (pages[0].bottom - pages[0].top) / 2
    for lines in event_lines(pages, briefing):
        on = sorted({number for number, _ in lines})
        height = sum(
            max(line.bottom for n, line in lines if n == number)
            - min(line.top for n, line in lines if n == number)
            for number in on
        )
        # Measured on the glyphs of its heading and text, an event's box (its margins, the
        # gaps between paragraphs, its tags) is about a tenth of a page taller.
        if height <= 0.8 * half:
            assert len(on) == 1, f"{lines[0][1].text} ({height:.0f} pt) is split over {on}"


def test_no_page_but_the_last_is_left_more_than_half_empty(laid_out):
    _, _, pages = laid_out
    fills = [round(page.fill, 2) for page in pages]
    assert all(fill >= 0.5 for fill in fills[:-1]), fills


def test_an_event_with_a_list_and_chips_leaves_no_page_more_than_half_empty():
    """An event's list items and its row of chips count towards the half page past which
    it may break. The 40-event bench briefing's 1992年12月24日 (three paragraphs, a list
    of three, chips), estimated with its list as one line and no chips, was kept whole on
    A5 and left page 14 before it 54 % empty."""
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    import generate

    briefing = briefgen.loads(generate.briefing_yaml(40))
    pages = read_pages(briefgen.render_pdf(briefing, paper="A5"), "A5")
    fills = [round(page.fill, 2) for page in pages]
    assert all(fill >= 0.5 for fill in fills[:-1]), fills


def test_a_list_leaves_neither_its_last_item_nor_its_first_alone_on_a_page():
    """An event that breaks inside its list takes two items at least over the page. The
    40-event bench briefing's 1992年12月24日 broke on A5 before its list's last item, which
    stood alone at the head of page 15 above the event's chips."""
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    import generate

    briefing = briefgen.loads(generate.briefing_yaml(40))
    pages = read_pages(briefgen.render_pdf(briefing, paper="A5"), "A5")
    for number, page in enumerate(pages, start=1):
        head, foot = page.lines[:2], page.lines[-2:]
        if head[0].text.startswith("•"):
            assert head[1].text.startswith("•"), f"page {number} begins with {head[0].text}"
        if number < len(pages) and foot[-1].text.startswith("•"):
            assert foot[0].text.startswith("•"), f"page {number} ends with {foot[-1].text}"


def test_people_and_sources_follow_on_from_the_events(laid_out):
    briefing, _, pages = laid_out
    labels = language(briefing.lang)
    starts = {
        line.text: number
        for number, page in enumerate(pages)
        for line in page.lines
        if line.is_heading
    }
    # What print.css keeps with each heading: its first entry (a person's name with their
    # role and appearances; a source) up to where the second begins, or, for the last
    # source, with the colophon, which does not stand alone.
    second_entries = {
        labels.people: briefing.people[1].name if len(briefing.people) > 1 else None,
        labels.sources: "2." if len(briefing.sources) > 1 else None,
    }
    for part, second in second_entries.items():
        number = starts[part]
        page = pages[number]
        if page.lines[0].text != part:
            continue
        # It starts a page: the one before had no room for it and what it keeps.
        ends = [i for i, line in enumerate(page.lines) if second and line.text.startswith(second)]
        kept = page.lines[: ends[0] if ends else len(page.lines)]
        # Read from the glyphs: the space above the heading, two of its ems at most, is not.
        needed = kept[-1].bottom - kept[0].top + 2 * HEADING_SIZE
        before = pages[number - 1]
        room = before.bottom - before.lines[-1].bottom
        assert room < needed, f"{part} starts page {number + 1} after {room:.0f} pt of room"


def running_header(page) -> str:
    """The right side of the page's running header: what stands above its text."""
    text_top = min(char["top"] for char in page.chars if char["size"] > 9)
    above = [char for char in page.chars if char["bottom"] < text_top]
    return "".join(
        char["text"]
        for char in sorted(above, key=lambda char: char["x0"])
        if char["x0"] > page.width / 2
    )


@pytest.mark.parametrize(("name", "paper"), [("sample", "A5"), ("big", "A5")])
def test_every_page_but_the_first_names_what_it_opens_with(rendered, name, paper):
    """The running header's right side: the period of the event a page opens with (or in),
    or its section: the contents, the people, the sources. A5 puts contents on page 2."""
    briefing, pdf = rendered(name, paper)
    labels = language(briefing.lang)
    periods = {labels.period(event) for event in briefing.events}
    sections = {labels.contents, labels.people, labels.sources}
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        headers = [running_header(page) for page in document.pages[1:]]
    assert headers[0] == labels.contents
    assert all(header in periods | sections for header in headers), headers


# -- the contents -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TocLine:
    page: int  # 1-based
    text: str
    label_end: float | None  # where the bold date label ends, if the line has one
    title_start: float  # where the first character of the regular face starts
    end: float  # where the line's last character (the page number) ends


@pytest.fixture(scope="module")
def contents(laid_out_pdf):
    """The contents' lines, from the "contents" heading to the first event's heading."""
    briefing, pdf = laid_out_pdf
    found: list[TocLine] = []
    labels = language(briefing.lang)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        inside = False
        for number, page in enumerate(document.pages, start=1):
            for line in page.extract_text_lines():
                chars = [char for char in line["chars"] if not char["text"].isspace()]
                size = max(char["size"] for char in chars)
                text = re.sub(r"\s", "", line["text"])
                if abs(size - HEADING_SIZE) < 0.2:
                    if inside:
                        return found
                    inside = text == labels.contents
                elif inside and abs(size - BODY_SIZE) < 0.2:
                    bold = [char for char in chars if "Sans" in char["fontname"]]
                    regular = [char for char in chars if "Serif" in char["fontname"]]
                    found.append(
                        TocLine(
                            number,
                            text,
                            bold[-1]["x1"] if bold else None,
                            regular[0]["x0"],
                            chars[-1]["x1"],
                        )
                    )
    return found


@pytest.fixture(scope="module", params=["sample-A4", "sample-A5", "big-A5"])
def laid_out_pdf(request, rendered):
    return rendered(*request.param.split("-"))


def test_contents_titles_line_up_in_a_column_after_the_labels(contents):
    # (A line of only leader dots and a page number, below a title that filled its line, has
    # its dots where the leaders' grid puts them.)
    starts = sorted({round(line.title_start, 1) for line in contents if line.text[0] != "·"})
    assert starts[-1] - starts[0] < 0.5, starts  # wrapped titles, people and sources too
    widest_label = max(line.label_end for line in contents if line.label_end is not None)
    assert starts[0] > widest_label + 5  # room between the widest label and the titles


def test_contents_page_numbers_are_flush_right(contents):
    ends = [round(line.end, 1) for line in contents if line.text[-1].isdigit()]
    assert len(ends) >= len(contents) * 0.5 and max(ends) - min(ends) < 0.5, ends


def test_contents_list_only_what_follows_them(contents, laid_out_pdf):
    briefing, _ = laid_out_pdf
    labels = language(briefing.lang)
    entries = [line for line in contents if line.text[-1].isdigit()]
    assert not any(line.text.startswith(labels.summary) for line in entries)
    assert all(int(re.search(r"\d+$", line.text)[0]) >= line.page for line in entries)
    assert entries[-2].text.startswith(labels.people)
    assert entries[-1].text.startswith(labels.sources)


def test_contents_label_column_fits_the_widest_label_but_at_most_half_the_line(write_briefing):
    from briefgen.builders.pdf import toc_label_width
    from briefgen.timeline import text_width

    short = briefgen.load(write_briefing("title: T\nevents: [{start: 1950, title: E}]\n"))
    long = briefgen.load(
        write_briefing(
            "title: T\nevents: [{start: 1950, title: E, when: " + "很長很長的時期說明" * 6 + "}]\n",
            name="long.yaml",
        )
    )
    a4 = PAPERS["A4"]
    # "1950年": four digits, a Han character and a quarter em between them.
    assert 2.5 < toc_label_width(short, a4) < 4
    # With its em of room before the titles, half the line.
    half = 0.5 * text_width(a4) / BODY_SIZE
    assert toc_label_width(long, a4) + 1 == pytest.approx(half, abs=1e-3)


def test_a_contents_entry_whose_label_wraps_has_its_title_leaders_and_page_on_one_line(
    write_briefing,
):
    """A date label longer than half the line wraps in its column: the title, its leader
    dots and its page number share the entry's last line, as they do where the title wraps.
    The dots, drawn at the title cell's foot, stood on a line of their own below the title."""
    when = "一月上旬至中旬之間（確切日期未定）"
    briefing = briefgen.load(
        write_briefing(f"title: T\nevents: [{{start: 2025, title: 記者會, when: {when}}}]\n")
    )
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper="A5"))) as pdf:
        page = pdf.pages[0]
        title = next(
            found for found in page.search("記者會") if abs(found["bottom"] - found["top"]) < 12
        )
        number = next(
            char for char in page.chars if char["text"] == "1" and char["x0"] > title["x1"]
        )
        label_end = next(found for found in page.search("定）"))
        label_start = next(found for found in page.search("一月上旬"))
    assert label_start["top"] < label_end["top"]  # the label wraps
    assert abs(title["top"] - label_end["top"]) < 1
    assert abs(number["bottom"] - title["bottom"]) < 1


@pytest.mark.parametrize(
    ("lang", "start", "end", "ends"),
    [
        ("ja", "1950-06-25", "1953-07-27", ("1950年6月25日～", "1953年7月27日")),
        ("zh-Hant", "1950-06-25", "1953-07-27", ("1950年6月25日至", "1953年7月27日")),
    ],
)
def test_a_period_label_that_wraps_in_the_contents_breaks_between_its_dates(
    write_briefing, lang, start, end, ends
):
    """A period's label too long for the contents' column on A5 wrapped inside its second
    date (``1950年6月25日～1953年7月`` over ``27日``), a date cut in two: it wraps after the
    range mark, each date whole."""
    briefing = briefgen.load(
        write_briefing(
            f"title: T\nlang: {lang}\nevents:\n"
            f"  - {{start: {start}, end: {end}, title: 朝鮮戦争}}\n"
            "  - {start: 1960, title: 次}\n"
        )
    )
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper="A5"))) as pdf:
        lines = [
            line.replace(" ", "") for page in pdf.pages for line in page.extract_text().splitlines()
        ]
    # The contents' entry, under their heading.
    lines = lines[lines.index(language(lang).contents) + 1 :]
    assert lines[0] == ends[0], lines
    assert lines[1].startswith(ends[1]), lines


def test_a_contents_title_that_wraps_leaves_no_character_or_two_alone(write_briefing):
    """A title a character or two longer than the contents' column on A5 ended its entry
    on a line of its own with 來 or 來遲 and the page number: the name 普京 of the sample's
    titles, in a narrower column, was cut 普／京."""
    title = "蘇聯瓦解與朝鮮大饑荒造成數十萬人死亡而國際援助姍姍來遲"
    events = ", ".join(f"{{start: {1990 + n}, title: {title[:n]}}}" for n in (26, 27))
    briefing = briefgen.load(write_briefing(f"title: T\nevents: [{events}]\n"))
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper="A5"))) as pdf:
        lines = [line["text"] for line in pdf.pages[0].extract_text_lines()]
    # Each entry on two lines: the label and the title's start, the title's end and the page.
    entries = lines[lines.index(language("zh-Hant").contents) + 1 :][:4]
    assert [line[:5] for line in entries[::2]] == ["2016年", "2017年"], entries
    for line in entries[1::2]:
        assert len(re.sub(r"[\s.·]*\d+$", "", line)) >= 3, entries


@pytest.mark.parametrize(
    ("lang", "start"), [("zh-Hant", "2023-09-12"), ("ko", "1950-06-25"), ("en", "1950-06-25")]
)
def test_contents_label_column_is_as_wide_as_the_label_is_drawn(write_briefing, lang, start):
    """Measured as Pango shapes the label in the briefing's language (a space in a Korean
    label is wider than elsewhere), with its Han–Latin gaps: no wider than the label drawn
    in the PDF by more than rounding, and never narrower, which would wrap it."""
    from briefgen.builders.pdf import toc_label_width

    briefing = briefgen.load(
        write_briefing(f"title: T\nlang: {lang}\nevents: [{{start: {start}, title: E}}]\n")
    )
    label = language(lang).period(briefing.events[0])
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing))) as pdf:
        line = next(
            found
            for found in pdf.pages[0].extract_text_lines()
            if found["text"].replace(" ", "").startswith(label.replace(" ", ""))
            and abs(found["chars"][0]["size"] - BODY_SIZE) < 0.2
        )
    drawn = [char for char in line["chars"] if "Sans" in char["fontname"]]
    assert "".join(char["text"] for char in drawn).replace(" ", "") == label.replace(" ", "")
    width = float(drawn[-1]["x1"] - drawn[0]["x0"]) / BODY_SIZE
    assert width - 0.01 <= toc_label_width(briefing, PAPERS["A4"]) <= width + 0.01


@pytest.fixture(scope="module")
def synthetic_120():
    """The 120-event synthetic briefing (bench/generate.py) and its A4 PDF, laid out once for
    the tests that read it: its contents take several pages, and its people index lists
    dozens of dates a person."""
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    import generate

    briefing = briefgen.loads(generate.briefing_yaml(120))
    return briefing, briefgen.render_pdf(briefing)


@pytest.mark.slow
def test_no_contents_page_holds_a_single_entry(synthetic_120):
    """A contents of several pages leaves neither its first entry at the foot of a page nor
    its last (資料來源 and its page number) alone at the head of one. The 120-event
    synthetic briefing's contents had 資料來源 alone on their fifth page."""
    briefing, pdf = synthetic_120
    contents = language(briefing.lang).contents
    entry = re.compile(r"^(\d{4}年.*|人物|資料來源) \d+$")
    counts = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            lines = page.extract_text().splitlines()
            if any(line.endswith(f" {contents}") for line in lines) or contents in lines:
                counts.append(sum(bool(entry.match(line)) for line in lines))
    assert len(counts) >= 3 and sum(counts) == 122, counts
    assert min(counts) >= 2, counts


@pytest.mark.slow
def test_a_number_stays_with_the_date_unit_after_it(synthetic_120):
    """The people index lists where each person appears as dates, one link each: the
    120-event synthetic briefing's broke 15 of them between a number and 年, 月 or 日
    (``1916`` / ``年7月8日``; briefgen/word_breaks.py keeps them whole)."""
    _, pdf = synthetic_120
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = [line for page in document.pages for line in page.extract_text().splitlines()]
    dated = [line for line in lines if line.count("日、") >= 3]
    assert len(dated) >= 20
    for line, following in itertools.pairwise(lines):
        if line in dated:
            assert not (line[-1].isdigit() and following[0] in "年月日"), (line, following)


@pytest.mark.parametrize("paper", ["letter", "A5"])
def test_no_contents_page_holds_fewer_than_three_entries(rendered, paper):
    """The contents go over to a new page with three entries at least, and leave three at
    least (with their heading) at the foot of the page before. The sample's contents on
    letter paper left 人物 and 資料來源 alone at the head of page 2, above the first event;
    on A5 the heading and two entries stood at the foot of page 1."""
    briefing, pdf = rendered("sample", paper)
    contents = language(briefing.lang).contents
    entry = re.compile(r"^(\d{4} ?年.*|人物|資料來源) \d+$")
    counts = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            lines = page.extract_text().splitlines()
            if any(line.endswith(f" {contents}") for line in lines) or contents in lines:
                counts.append(sum(bool(entry.match(line)) for line in lines))
    assert sum(counts) == len(briefing.events) + 2, counts
    assert min(counts) >= 3, counts


@pytest.mark.slow
def test_a_long_title_is_cut_in_the_running_header_and_the_period_kept_whole(write_briefing):
    """A title too long for the header's line ends in an ellipsis on that one line, and the
    period on its right (目錄, 1950年至1953年) is never broken."""
    title = "俄羅斯與北韓關係的長期演變及其對東北亞區域安全格局所產生的深遠影響之全面回顧與展望"
    body = "這是一段相當長的說明文字，用來把事件撐到好幾頁。" * 12
    path = write_briefing(
        f"title: {title}\nevents:\n"
        + "".join(
            f"  - {{start: {1950 + i}, end: 1960, title: 事件, body: {body}}}\n" for i in range(6)
        )
    )
    briefing = briefgen.load(path)
    periods = {language(briefing.lang).period(event) for event in briefing.events}
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper="A5"))) as document:
        pages = document.pages[1:]
        assert len(pages) >= 3
        for page in pages:
            # The header's 8 pt type in the top margin (A5's text starts 49 pt down).
            above = [c for c in page.chars if c["size"] < 9 and c["top"] < 45]
            assert len({round(char["top"]) for char in above}) == 1, "the header has two lines"
            # The title and the period, apart where the widest gap between characters is.
            above.sort(key=lambda char: char["x0"])
            gaps = [after["x0"] - before["x1"] for before, after in itertools.pairwise(above)]
            cut = gaps.index(max(gaps)) + 1
            left, right = (
                "".join(char["text"] for char in part) for part in (above[:cut], above[cut:])
            )
            assert left.endswith("…") and title.startswith(left[:-1]) and len(left) > 15
            assert right in periods | {"目錄"}
    # A title that fits is shown whole.
    short = dataclasses.replace(briefing, title="俄朝關係")
    assert running_title(short, PAPERS["A5"]) == "俄朝關係"


@pytest.mark.slow
def test_a_period_as_long_as_the_header_is_cut_and_leaves_the_title_its_room(write_briefing):
    """A period of the briefing's own (``when:``) too long for the header beside the title
    ends in an ellipsis instead of being drawn over the title."""
    when = "自二〇二五年十月一日清晨起至同年十月五日深夜為止的整整五天期間內各地"
    body = "颱風帶來強風豪雨，各地災情陸續傳出，搶修人員日夜趕工。" * 30
    path = write_briefing(
        "title: 從颱風警報發布到災後復原：二〇二五年秋季颱風全紀錄\nevents:\n"
        f"  - {{start: 2025-10-01, end: 2025-10-05, when: {when}, title: 颱風期間, body: {body}}}\n"
    )
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefgen.load(path), paper="A5"))) as pdf:
        pages = pdf.pages[1:]
        assert pages
        for page in pages:
            above = sorted(
                (c for c in page.chars if c["size"] < 9 and c["top"] < 45), key=lambda c: c["x0"]
            )
            gaps = [after["x0"] - before["x1"] for before, after in itertools.pairwise(above)]
            assert min(gaps) > -0.5, "the header's title and period are drawn over each other"
            cut = gaps.index(max(gaps)) + 1
            left, right = ("".join(c["text"] for c in part) for part in (above[:cut], above[cut:]))
            assert left.startswith("從颱風警報發布到災後復原") and left.endswith("…")
            assert right.endswith("…") and when.startswith(right[:-1]) and len(right) > 15


@pytest.mark.slow
def test_a_chip_too_long_for_a_line_breaks_inside_the_column(write_briefing):
    """A tag or a name longer than the column (a word of 100 letters, 40 Han characters) is
    broken inside its chip rather than run off the page; short chips stay whole."""
    latin = "Supercalifragilisticexpialidocious" * 3
    han = "很長的中文標籤" * 6
    path = write_briefing(
        "title: 標籤\nevents:\n"
        f"  - {{start: 1950, title: 事件, body: 內容。, tags: [{latin}, 短標籤, {han}],"
        f" people: [{latin}]}}\n"
        f"people:\n  - {{name: {latin}}}\n"
    )
    pdf = briefgen.render_pdf(briefgen.load(path), paper="A5")
    column = PAPERS["A5"].column_width()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = [char for page in document.pages for char in page.chars]
        text = "".join(page.extract_text() for page in document.pages).replace("\n", "")
    left = min(char["x0"] for char in chars)
    assert max(char["x1"] for char in chars) <= left + column + 0.5
    assert "短標籤" in text and text.count(latin) >= 1 and han in text.replace(" ", "")


def test_no_page_ends_with_a_persons_name():
    """A person's description longer than a page breaks under their name. Kept whole, it
    was pushed to a page of its own and broken there: on A5 each name stood alone at the
    foot of a page, and the index's heading alone on the page above the first."""
    role = "Took part in the talks, and later led the delegation that signed the truce. " * 30
    people = [f"Delegate {letter}" for letter in "ABCD"]
    briefing = briefgen.loads(
        yaml.safe_dump(
            {
                "title": "Truce talks",
                "lang": "en",
                "events": [
                    {"start": 1951, "title": "Talks begin", "body": "Talks.", "people": people}
                ],
                "people": [{"name": name, "role": role} for name in people],
            }
        )
    )
    pages = read_pages(briefgen.render_pdf(briefing, paper="A5"), "A5")
    names = {re.sub(r"\s", "", name) for name in people}
    for number, page in enumerate(pages, start=1):
        assert page.lines[-1].text not in names, f"page {number} ends with a name"
        assert page.lines[-1].text != "People", f"page {number} ends with the heading"


def test_a_long_first_paragraph_is_not_split_to_keep_the_next_one_with_it(write_briefing):
    """print.css keeps an event's first paragraph with what follows it, for a paragraph of
    one line. Of a longer one it split the paragraph instead: on half letter, the treaty's
    six-line first paragraph, which would fit at the foot of page 2 but for the one-line
    paragraph after it, left two of its lines (and 'awar-' hyphenated) over the page, with
    room for two more lines left empty above them."""
    path = write_briefing(
        """
        title: "The Channel Tunnel: From Dream to Daily Commute"
        subtitle: Key moments, 1802–2024
        lang: en
        date: 2024-05-06
        authors: [Briefing Desk]
        summary: |
          For two centuries engineers proposed a fixed link between Britain and France.
          This briefing traces the plans, the politics and the construction of the tunnel
          that opened in 1994, and the "Chunnel's" life since.
        events:
          - start: 1802
            title: Albert Mathieu-Favier's horse-drawn tunnel
            body: |
              The French mining engineer proposed a tunnel lit by oil lamps, with an
              artificial island mid-Channel for changing horses.
            people: [Albert Mathieu-Favier]
            tags: [proposals]
          - start: 1881
            end: 1882
            title: The Beaumont–English boring machines
            body: |
              Trial bores reached nearly two kilometres from each coast before the British
              government halted work over fears of invasion.
            tags: [construction, politics]
          - start: 1986-02-12
            title: Treaty of Canterbury signed
            body: |
              Margaret Thatcher and François Mitterrand signed the treaty that made a
              privately financed rail tunnel possible. The concession went to Eurotunnel,
              which raised the money from banks and shareholders; construction contracts
              were awarded to TransManche Link, a consortium of ten construction companies.

              The main works were:

              - three tunnels, two for trains and a service tunnel between them;
              - terminals at Folkestone and Coquelles;
              - crossovers under the sea, allowing trains to switch tunnels during
                maintenance.
            people: [Margaret Thatcher, François Mitterrand]
            tags: [politics, finance, treaties, engineering, construction]
          - start: 1990-12-01
            title: Breakthrough of the service tunnel
            body: Workers from both sides shook hands through the opening.
            tags: [construction]
        people:
          - {name: Albert Mathieu-Favier, role: French mining engineer}
          - {name: Margaret Thatcher, role: Prime Minister of the United Kingdom}
          - {name: François Mitterrand, role: President of France}
        """
    )
    briefing = briefgen.load(path)
    pages = read_pages(briefgen.render_pdf(briefing, paper="half-letter"), "half-letter")
    treaty = event_lines(pages, briefing)[2]
    first = [
        number
        for number, line in treaty[1:]
        if line.text.startswith("MargaretThatcher") or line.text.endswith("companies.")
    ]
    assert len(first) == 2 and first[0] == first[1], treaty


def test_a_summary_longer_than_a_page_begins_on_the_first(tmp_path):
    """The summary's box was kept whole: one of more than a page went over to the second
    page, which could not hold it either, and the first held the title alone, three
    quarters empty, above the box broken on the next page all the same."""
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    data["summary"] = "\n\n".join([data["summary"].strip()] * 4)
    path = tmp_path / "summary.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    briefing = briefgen.load(path)
    pages = read_pages(briefgen.render_pdf(briefing, paper="A5"), "A5")
    assert any(line.text == language(briefing.lang).summary for line in pages[0].lines)
    assert pages[0].fill > 0.9, [line.text for line in pages[0].lines]


def test_a_source_with_a_note_longer_than_a_page_begins_under_the_one_before(tmp_path):
    """A source's entry was kept whole: one with a note of a page went over to a page of its
    own, which could not hold it either, and left the page before it, where the sources
    began, more than half empty (47 % full, on A5)."""
    data = yaml.safe_load(briefgen.sample_path().read_text(encoding="utf-8"))
    data["sources"].append(
        {"title": "朝鮮半島大事年表", "publisher": "briefgen", "note": "本簡報的背景資料。" * 80}
    )
    path = tmp_path / "note.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    briefing = briefgen.load(path)
    pages = read_pages(briefgen.render_pdf(briefing, paper="A5"), "A5")

    def page_of(title: str) -> int:
        return next(n for n, page in enumerate(pages) for line in page.lines if title in line.text)

    first, second = (page_of(source.title) for source in briefing.sources)
    assert second == first
    assert pages[first].fill > 0.9
