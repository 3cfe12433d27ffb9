"""Spacing inside CJK lines of the PDF (briefgen/justify.py): a quarter em between Han or kana
and an adjacent Western run (``約 110 億``), and adjacent full-width punctuation squeezed
(``」，`` in an em and a half), with the text copying out of the PDF as written.

Every gap is measured with pdfplumber as the distance from the right edge of one character's
box to the left edge of the next, in em of the line's font size. On a justified line the
justification adds its share ``s`` (the line's spacing, measured as the median gap between
two Han or kana characters) after every CJK character and after every Western run, so there
a Han–Latin gap is 0.25 em + ``s``; on a paragraph's last line, a heading or an entry of
the contents, nothing is justified and it is 0.25 em.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import shutil
import statistics
import unicodedata
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import weasyprint
from test_justify import (
    FLUSH,
    WIDTHS,
    Document,
    Line,
    at_five_widths,
    body_paragraphs,
    briefing_yaml,
    event,
    match,
    pdf_lines,
)
from weasyprint.draw import text as draw_text
from weasyprint.layout import block, inline

import briefgen
from briefgen import fonts, justify
from briefgen.typography.chars import HAN_KANA, WIDE_PUNCTUATION
from conftest import READERS, pdftotext_pages, pypdf_pages

#: The gap between Han or kana and a Western run, in em…
AUTOSPACE = 0.25
#: …measured within this much (em) of 0.25 em (plus the justification on justified lines).
TOLERANCE = 0.03
#: Every Han–Latin gap, justified or not, lies between these (em).
GAP_RANGE = (0.15, 0.4)
#: A squeezed pair of full-width marks takes at most this much, justification aside (em)…
SQUEEZED = 1.52
#: …and at least this much: the blank half of one mark is gone, no more.
OVERSQUEEZED = 1.48
#: Full-width punctuation marks that are squeezed to an em and a half when two of them
#: meet. (Not ？: in zh-Hant the shipped fonts centre it and have no ``halt`` for it, so
#: ``？」`` takes an em and two thirds there, as ``palt`` sets ``？``.)
MARKS = set("、。，．：；！（）「」『』【】〔〕〈〉《》")
#: Every mark that may be squeezed, ？ and the curly quotes included.
ALL_MARKS = MARKS | set("？“”‘’")
#: How far WeasyPrint draws a glyph moved by its font from where Pango put it: it writes the
#: offset (``halt`` moves an opening bracket back half an em) in 1/1024 instead of 1/1000 em
#: (draw/text.py: draw_first_line), so the bracket is drawn 0.012 em too far back.
OFFSET_ROUNDING = 0.015

TRADITIONAL = briefing_yaml(
    "臺灣高鐵的二十年",
    "zh-Hant",
    summary=(
        "2023年9月12日，美聯社（AP）報導指出，台灣高鐵通車至今已逾十五年，總投資約110億美元，"
        "最高營運時速300km/h，把西部走廊連成「一日生活圈」。本文回顧這條鐵路的規劃、融資與"
        "營運，並比較日本Shinkansen與中國CRH等系統的經驗。"
    ),
    events=[
        event(
            1990,
            "BOT模式與融資爭議",
            "1990年代初，政府決定以BOT（興建、營運、移轉）模式推動高速鐵路，由民間財團負責"
            "籌資興建，特許期為35年。當時的評估認為，總經費約需新臺幣5,000億元，其中約110億美元"
            "須向國際銀行團借貸；不少學者擔心，一旦運量不如預期，財務風險終將轉嫁給政府。",
            "根據《經濟學人》（The Economist）的分析，這種安排在亞洲並不罕見，日本的JR東海與"
            "法國的Alstom都曾參與相關提案。評論者強調「風險與報酬必須對等」（「對等原則」），"
            "否則民間業者缺乏誘因控制成本。",
        ),
        event(
            2007,
            "全線通車",
            "2007年1月5日，台灣高鐵板橋至左營段正式通車，同年3月延伸至台北。列車採用日本"
            "700T型車輛，最高時速300km/h，台北到高雄最快只需96分鐘。通車初期每日運量約4萬"
            "人次，遠低於原先預估的18萬人次。",
            "美聯社（AP）報導，許多旅客形容高鐵讓西部走廊成為「一日生活圈」。不過，也有人"
            "批評票價偏高、接駁不便，「搭高鐵比開車還慢」、「車站離市區太遠」等抱怨時有"
            "所聞。COVID-19疫情期間，運量一度下滑超過50%，公司隨即推出App購票優惠。",
        ),
        {
            **event(
                2023,
                "延伸屏東的評估",
                "2023年9月12日，交通部宣布研議將路線延伸至屏東，預估經費約新臺幣554億元。"
                "官員表示，延伸段完工後，南部民眾的通勤時間可望縮短30%以上；但也有民間團體"
                "質疑：「需求到底在哪裡？」，認為應先改善既有的台鐵服務。",
            ),
            "when": "2023年9月12日",
        },
    ],
)

SIMPLIFIED = briefing_yaml(
    "中国高铁的十五年",
    "zh-Hans",
    summary=(
        "2023年9月12日，美联社（AP）报道指出，中国高铁运营里程已超过4万公里，约占全球"
        "高铁总里程的三分之二。本文回顾京沪高铁等线路的建设与融资，以及CR400AF列车以"
        "时速300km/h至350km/h运营的经验。"
    ),
    events=[
        event(
            2008,
            "京沪高铁开工",
            "2008年4月，京沪高铁正式开工，设计时速350km/h，全长1,318公里，总投资约2,209亿元"
            "人民币，其中约110亿美元的资金来自国家开发银行的贷款。工程采用CRTS II型无砟轨道，"
            "并大量使用BIM技术管理施工。",
            "当时的可行性研究认为，这条线路将把北京与上海连成「一日生活圈」。不少经济学家"
            "担心债务风险：「运量能否支撑票价？」、「地方政府能否还本付息？」，这些问题"
            "至今仍有争议。",
        ),
        {
            **event(
                2011,
                "通车与降速",
                "2011年6月30日，京沪高铁开通运营，最高时速一度降至300km/h。据《纽约时报》"
                "（The New York Times）报道，同年7月的事故一度动摇了外界对中国高铁技术的"
                "信心，铁道部随即宣布全国高铁降速运行。",
                "2017年9月，复兴号恢复以时速350km/h运营，北京到上海最快只需4小时18分。此后，"
                "中国国家铁路集团（China Railway）把这一速度推广到更多线路，并通过12306网站与"
                "App销售车票，乘客也可以用 iPhone 或 Android 手机扫码进站。",
            ),
            "when": "2023年9月12日",
        },
    ],
)

JAPANESE = briefing_yaml(
    "新幹線の六十年",
    "ja",
    summary=(
        "2023年9月12日、AP通信は東海道新幹線の開業から60年近くを経た日本の高速鉄道について"
        "報じた。時速300km/hを超える営業運転や、総事業費約110億ドル規模とされる計画など、"
        "その歩みを振り返る。"
    ),
    events=[
        event(
            1964,
            "東海道新幹線の開業",
            "1964年10月1日、東京オリンピックの開幕を目前に東海道新幹線が開業した。0系電車は"
            "最高時速210km/hで走り、東京と新大阪の間を4時間で結んだ。建設費の一部には世界銀行"
            "（World Bank）から約8,000万ドルの融資が充てられた。",
            "開業当初は「夢の超特急」と呼ばれ、沿線の都市では「日帰り出張」が当たり前になった。"
            "AP通信（AP）は当時、「日本の技術力を世界に示した。」と伝えている。",
        ),
        {
            **event(
                1997,
                "高速化とその後",
                "1997年、山陽新幹線の500系がJR西日本によって投入され、営業運転で時速300km/hを"
                "達成した。その後もN700系やN700Sなどの新型車両が登場し、最高速度は徐々に"
                "引き上げられた。",
                "2023年9月12日には、中央新幹線の開業時期をめぐる議論がメディアで取り上げ"
                "られた。静岡県は水資源への影響を懸念し、「工事の着手は認められない」、"
                "「十分な説明が必要だ」と主張している。",
            ),
            "when": "2023年9月12日",
        },
    ],
)

SPACED = {"zh-Hant": TRADITIONAL, "zh-Hans": SIMPLIFIED, "ja": JAPANESE}

_IDEOGRAPH = re.compile(HAN_KANA)
_PUNCTUATION = re.compile(WIDE_PUNCTUATION)


def is_ideograph(char: str) -> bool:
    """Han or kana (not the punctuation among kana, such as ・)."""
    return bool(_IDEOGRAPH.fullmatch(char)) and not _PUNCTUATION.fullmatch(char)


def is_cjk_punctuation(char: str) -> bool:
    return bool(_PUNCTUATION.fullmatch(char))


def is_western(char: str) -> bool:
    """A letter, digit or sign of a Western run (``110``, ``km/h``, ``30%``, ``U.S.``)."""
    if unicodedata.east_asian_width(char) in ("W", "F", "H"):
        return False
    return unicodedata.category(char)[0] in "LN" or char in "%$+#@&-./_~*"


def pairs(line: Line) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return list(zip(line.chars, line.chars[1:], strict=False))


def em(line: Line) -> float:
    return float(line.chars[0]["size"])


def gap(before: dict[str, Any], after: dict[str, Any], size: float) -> float:
    """The distance between two neighbouring characters' boxes, in em."""
    return float(after["x0"] - before["x1"]) / size


def spacing(line: Line) -> float:
    """The line's justification spacing in em: the median gap between two Han or kana."""
    found = [
        gap(before, after, em(line))
        for before, after in pairs(line)
        if is_ideograph(before["text"]) and is_ideograph(after["text"])
    ]
    return max(0.0, statistics.median(found)) if found else 0.0


def han_latin(line: Line) -> list[tuple[str, float]]:
    """Each Han–Latin boundary of the line (both orders) and its gap in em."""
    return [
        (before["text"] + after["text"], gap(before, after, em(line)))
        for before, after in pairs(line)
        if (is_ideograph(before["text"]) and is_western(after["text"]))
        or (is_western(before["text"]) and is_ideograph(after["text"]))
    ]


def squeezed(line: Line) -> list[tuple[str, float]]:
    """Each two neighbouring full-width marks and how far they move the pen, in em: from the
    end of the character before them (or the line's start) to the start of the one after
    them (or their end). Not their boxes' extent: a centred stop set half-width with
    ``halt`` is drawn a quarter em back, its box reaching into the character before."""
    chars = [None, *line.chars, None]
    found = []
    for before, first, second, after in zip(chars, chars[1:], chars[2:], chars[3:], strict=False):
        assert first is not None and second is not None
        if first["text"] not in MARKS or second["text"] not in MARKS:
            continue
        if {before and before["text"], after and after["text"]} & ALL_MARKS:
            continue  # three marks in a row: measured as two pairs elsewhere, not here
        start = before["x1"] if before else line.x0
        end = after["x0"] if after else second["x1"]
        found.append((first["text"] + second["text"], float(end - start) / em(line)))
    return found


class _Messages(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def render(text: str, templates: Path | None = None) -> tuple[Document, list[str]]:
    """The briefing's PDF read back, and what WeasyPrint warned about while making it."""
    handler = _Messages()
    weasyprint_log = logging.getLogger("weasyprint")
    weasyprint_log.addHandler(handler)
    try:
        briefing = briefgen.loads(text)
        pdf = briefgen.render_pdf(briefing, templates=templates or ())
    finally:
        weasyprint_log.removeHandler(handler)
    lines, page_width = pdf_lines(pdf)
    paragraphs = match(body_paragraphs(briefing), lines, ignore_spaces=True)
    left = min(line.x0 for _, run in paragraphs for line in run)
    return Document(pdf, paragraphs, left, page_width - left), handler.messages


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Document, list[str]]]:
    return at_five_widths(tmp_path_factory, SPACED, render)


# Each briefing in A4's column and in four narrower ones (see test_justify.py).
@pytest.fixture(params=[*SPACED, *(f"{lang} at {ems} em" for ems in WIDTHS for lang in SPACED)])
def spaced(request: pytest.FixtureRequest, rendered) -> tuple[Document, list[str]]:
    return rendered[request.param]


def body_lines(document: Document) -> list[tuple[Line, bool]]:
    """Every line of every body paragraph, and whether it is the paragraph's last."""
    return [
        (line, index == len(lines) - 1)
        for _, lines in document.paragraphs
        for index, line in enumerate(lines)
    ]


# --- Han–Latin spacing ------------------------------------------------------------------


@pytest.mark.slow
def test_a_quarter_em_between_han_and_a_western_run(spaced):
    document, _ = spaced
    checked = 0
    for line, last in body_lines(document):
        justification = 0.0 if last else spacing(line)
        for pair, width in han_latin(line):
            where = (pair, round(width, 3), round(justification, 3), line.text)
            assert GAP_RANGE[0] <= width <= GAP_RANGE[1], where
            # On a narrow column the gap takes only part of the justification.
            share = min(justification, justify.MAX_GAP_SPREAD)
            assert abs(width - (AUTOSPACE + share)) <= TOLERANCE, where
            checked += 1
    # 約110億, 2023年9月12日, 時速300km/h, 30%以上… in both orders.
    assert checked >= 20


@pytest.mark.slow
@pytest.mark.parametrize("lang", SPACED)
def test_last_lines_have_han_latin_pairs_too(rendered, lang):
    """(In A4's column; the narrower ones break the paragraphs elsewhere.)"""
    document, _ = rendered[lang]
    last_lines = [pair for line, last in body_lines(document) if last for pair in han_latin(line)]
    assert last_lines


@pytest.mark.slow
def test_no_gap_next_to_cjk_punctuation_nor_between_cjk_characters(spaced):
    """Beside a full-width mark (``，2023`` or ``（AP）``) nothing is added but the
    justification; on a paragraph's last line, nothing at all between two CJK characters."""
    document, _ = spaced
    checked = 0
    for line, last in body_lines(document):
        justification = 0.0 if last else spacing(line)
        for before, after in pairs(line):
            first, second = before["text"], after["text"]
            beside_mark = is_cjk_punctuation(first) or is_cjk_punctuation(second)
            western = is_western(first) or is_western(second)
            if beside_mark and western:  # where a Han–Latin gap must not go: ，2023 （AP）
                allowed = justification + OFFSET_ROUNDING
                checked += 1
            elif beside_mark and not last:
                allowed = justification + OFFSET_ROUNDING
            elif last and not western:
                allowed = OFFSET_ROUNDING
            else:
                continue
            width = gap(before, after, em(line))
            assert width <= allowed, (first + second, round(width, 3), line.text)
    assert checked >= 4


def test_no_gap_where_the_text_has_a_space(rendered):
    """``用 iPhone 或 Android 手机``: the space the text has between Han and Latin stays the
    font's space (with the justification after it and after the Han character before it),
    no quarter em is added to it."""
    document, _ = rendered["zh-Hans"]
    found = []
    for line, last in body_lines(document):
        justification = 0.0 if last else spacing(line)
        for before, space, after in zip(line.chars, line.chars[1:], line.chars[2:], strict=False):
            sides = (before["text"], after["text"])
            if space["text"] != " " or not (
                any(map(is_ideograph, sides)) and any(map(is_western, sides))
            ):
                continue
            advance = float(space["x1"] - space["x0"]) / em(line)
            width = float(after["x0"] - before["x1"]) / em(line)
            found.append("".join(sides))
            assert width <= advance + 2 * justification + 0.01, (width, line.text)
    assert len(found) >= 3, found  # 用 i, e 或, 或 A, d 手


@pytest.mark.slow
def test_headings_and_contents_have_the_quarter_em_too(spaced):
    """The event heading and its entry in the contents, ``2023年9月12日　…``: start-aligned,
    so every Han–digit gap is 0.25 em of the heading's own size. (The ideographic space
    between date and title is not drawn, so the date runs straight into the title here.)"""
    document, _ = spaced
    lines, _ = pdf_lines_all_sizes(document.pdf)
    body = {line.text for line, _ in body_lines(document)}
    found = [
        line
        for line in lines
        if re.search("2023年9月12日(?![，、])[^ ]", line.text) and line.text not in body
    ]
    assert len(found) >= 2  # the contents and the heading
    for line in found:
        # (Not the contents' page number: a cell of its own at the far end of the line.)
        widths = [width for _, width in han_latin(line) if width < 1]
        assert len(widths) >= 5, line.text
        assert all(abs(width - AUTOSPACE) <= TOLERANCE for width in widths), (widths, line.text)


def pdf_lines_all_sizes(pdf: bytes) -> tuple[list[Line], float]:
    """Every line of every size (headings and contents included), page by page."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [(page.page_number, page.chars) for page in document.pages]
        width = float(document.pages[0].width)
    lines: list[Line] = []
    for number, chars in pages:
        for char in sorted(chars, key=lambda char: (round(char["size"], 2), char["top"])):
            line = next(
                (
                    line
                    for line in lines
                    if line.page == number
                    and abs(line.top - char["top"]) < 1
                    and round(line.chars[0]["size"], 2) == round(char["size"], 2)
                ),
                None,
            )
            if line is None:
                lines.append(Line(number, char["top"], [char]))
            else:
                line.chars.append(char)
    for line in lines:
        line.chars.sort(key=lambda char: char["x0"])
    return lines, width


# --- Line breaking with the gaps --------------------------------------------------------


@pytest.mark.slow
def test_every_line_starts_at_the_column_edge(spaced):
    """No gap at a line's start (``年`` ending one line, ``2023`` starting the next)."""
    document, _ = spaced
    for line, _ in body_lines(document):
        assert abs(line.x0 - document.left) < 0.01, line.text


@pytest.mark.slow
def test_justified_lines_still_end_flush(spaced):
    document, _ = spaced
    ragged = [
        (round(document.right - line.x1, 2), line.text)
        for line, last in body_lines(document)
        if not last and abs(document.right - line.x1) > FLUSH
    ]
    assert ragged == []


@pytest.mark.slow
def test_no_line_runs_past_the_column(spaced):
    """The gaps are added after Pango broke the line, which breaks again where they would not
    fit: no character of any size ends past the column's right edge."""
    document, _ = spaced
    lines, _ = pdf_lines_all_sizes(document.pdf)
    column = [line for line in lines if line.x0 > document.left - FLUSH]  # not the page header
    over = [(round(line_end(line) - document.right, 2), line.text) for line in column]
    assert [item for item in over if item[0] > FLUSH] == []
    assert len(column) > 20


def line_end(line: Line) -> float:
    """Where the line ends: its last character's box, but for a full-width mark there, half
    an em before, the most its blank half can be: a paragraph's last mark may be set half
    width for the line to take the rest of the paragraph (justify.py: ``_with_end_trimmed``),
    and the box pdfplumber gives its glyph, as wide as the font's em, then reaches past the
    column's edge by its blank half, the glyph itself inside."""
    last = line.chars[-1]
    if last["text"] in ALL_MARKS:
        return float(last["x0"]) + float(last["size"]) / 2
    return line.x1


# --- Adjacent punctuation ---------------------------------------------------------------


@pytest.mark.slow
def test_two_full_width_marks_take_an_em_and_a_half(spaced):
    """Justification aside: on a justified line, up to three shares of it go with the pair
    (after the character before it and after each mark; none after an opening bracket that
    lost its blank)."""
    document, _ = spaced
    found = []
    for line, last in body_lines(document):
        justification = 0.0 if last else spacing(line)
        for pair, width in squeezed(line):
            found.append(pair)
            where = (pair, round(width, 3), round(justification, 3), line.text)
            assert width - 3 * justification <= SQUEEZED, where
            assert width - 2 * justification >= OVERSQUEEZED, where
    # 」。 。」 、「 ，「 》（… (a narrow column breaks some pairs across two lines)
    assert len(found) >= 2, found


@pytest.mark.slow
def test_a_lone_mark_keeps_its_full_width(spaced):
    document, _ = spaced
    for line, last in body_lines(document):
        if not last:
            continue
        for before, mark, after in zip(line.chars, line.chars[1:], line.chars[2:], strict=False):
            if mark["text"] in MARKS and not {before["text"], after["text"]} & MARKS:
                width = float(after["x0"] - mark["x0"]) / em(line)
                assert abs(width - 1) < 0.01, (mark["text"], width, line.text)


# --- The text ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("read", READERS)
def test_text_copies_out_as_written_with_no_space_added(spaced, read):
    """Every line of every paragraph reads back from its page as it is in the source."""
    document, _ = spaced
    pages = [text.replace("\n", "") for text in read(document.pdf)]
    for paragraph, lines in document.paragraphs:
        for line in lines:
            assert line.text in paragraph
            assert line.text in pages[line.page - 1], (line.text, pages[line.page - 1])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")
def test_pdftotext_reads_each_line_as_one_line(spaced):
    """Squeezed marks overlap the glyph before or after them by almost half an em: poppler
    must not take one for the start of a new line (``」、\n「`` in the text copied out of
    a viewer built on it)."""
    document, _ = spaced
    pages = [page.split("\n") for page in pdftotext_pages(document.pdf)]
    for line, _ in body_lines(document):
        assert any(line.text in read for read in pages[line.page - 1]), line.text


@pytest.mark.slow
@pytest.mark.parametrize("read", READERS)
def test_headings_copy_out_as_written(spaced, read):
    document, _ = spaced
    text = "".join(read(document.pdf)).replace("\n", "")
    # In the summary, the contents and the heading (and a running header, on a later page).
    # The timeline's label is spaced with tspans, which text extraction reads as spaces: a
    # figure, which a screen reader names by its title.
    assert text.count("2023年9月12日") >= 3


@pytest.mark.slow
def test_the_pdf_gains_no_space_character(spaced):
    """pdfplumber reads every character drawn: the spaces are the source's own (less one
    where a line ends between two English words)."""
    document, _ = spaced
    for paragraph, lines in document.paragraphs:
        drawn = "".join(line.text for line in lines)
        assert drawn.replace(" ", "") == paragraph.replace(" ", "")
        assert paragraph.count(" ") - len(lines) < drawn.count(" ") <= paragraph.count(" ")


@pytest.mark.slow
def test_no_empty_boxes(spaced):
    _, messages = spaced
    assert [message for message in messages if "notdef" in message] == []


# --- The patch --------------------------------------------------------------------------


def test_every_patched_function_is_restored_after_the_context():
    patched = [
        (inline, "text_align"),
        (inline, "justify_line"),
        (block, "iter_line_boxes"),
        (draw_text, "draw_first_line"),
    ]
    originals = [getattr(module, name) for module, name in patched]
    with justify.cjk_justification():
        assert all(
            getattr(module, name) is not original
            for (module, name), original in zip(patched, originals, strict=True)
        )
    assert [getattr(module, name) for module, name in patched] == originals


# --- Lines of any alignment, and decorated text -----------------------------------------

SMALL = """<html lang="zh-Hant"><style>{fonts} @page {{ margin: 0 }} body {{ margin: 0 }}
p {{ font-family: "briefgen Noto Serif CJK TC"; font-size: 20px; width: 400px; margin: 0; }}
</style>{body}"""


def small_pdf(body: str) -> bytes:
    html = SMALL.format(fonts=fonts.font_face_css(lambda face: face.path.as_uri()), body=body)
    with justify.cjk_justification():
        return bytes(weasyprint.HTML(string=html).write_pdf())


def test_a_centred_line_is_centred_with_its_gaps():
    pdf = small_pdf('<p style="text-align: center">2023年9月12日</p>')
    [line], _ = pdf_lines_all_sizes(pdf)
    widths = [width for _, width in han_latin(line)]
    assert len(widths) == 5
    assert all(abs(width - AUTOSPACE) <= TOLERANCE for width in widths), widths
    left, right = line.x0, 400 * 0.75 - line.x1  # the paragraph is 400 px = 300 pt wide
    assert abs(left - right) < 0.5, (left, right)


@pytest.mark.parametrize(
    "body",
    [
        '<p><span style="display: inline-block">2023年9月12日</span></p>',
        '<p><span style="float: left">2023年9月12日</span></p>',
        '<p><span style="position: absolute">2023年9月12日</span></p>',
    ],
    ids=["inline block", "float", "absolute"],
)
def test_a_box_as_wide_as_its_text_has_room_for_its_gaps(body):
    """Sized to its content (shrink-to-fit), the box is measured with the gaps its line
    gets: without them in its width they had no room, and shrank to nothing."""
    [line], _ = pdf_lines_all_sizes(small_pdf(body))
    widths = [width for _, width in han_latin(line)]
    assert len(widths) == 5
    assert all(abs(width - AUTOSPACE) <= TOLERANCE for width in widths), widths


def test_the_running_header_has_room_for_its_gaps():
    """A page margin box is as wide as its text: measured with its gaps, the running
    header's ``1945 年至 1948 年`` is spaced as the heading it repeats, and stays flush
    right."""
    faces = fonts.font_face_css(lambda face: face.path.as_uri())
    html = (
        f'<html lang="zh-Hant"><style>{faces}'
        "@page { size: 400px 300px; margin: 40px;"
        " @top-left { content: '俄羅斯與朝鮮' } @top-right { content: '1945年至1948年' } }"
        ' html { font-family: "briefgen Noto Serif CJK TC"; font-size: 10px }'
        "</style><p>本文</p>"
    )
    with justify.cjk_justification():
        pdf = bytes(weasyprint.HTML(string=html).write_pdf())
    lines, _ = pdf_lines_all_sizes(pdf)
    [both] = [line for line in lines if "至" in line.text]
    # The right box's characters: the left box's title is on the same line.
    header = Line(both.page, both.top, [char for char in both.chars if char["x0"] > 150])
    assert header.text == "1945年至1948年"
    widths = [width for _, width in han_latin(header)]
    assert len(widths) == 3
    assert all(abs(width - AUTOSPACE) <= TOLERANCE for width in widths), widths
    assert header.x1 == pytest.approx(360 * 0.75, abs=0.5)  # the page's right margin


def test_underlined_and_linked_text_is_spaced_and_reads_back():
    pdf = small_pdf(
        '<p style="text-decoration: underline">美聯社AP報導約110億美元</p>'
        '<p><a href="https://example.org/">「一日生活圈」。</a></p>'
    )
    lines, _ = pdf_lines_all_sizes(pdf)
    assert [len(han_latin(line)) for line in lines] == [4, 0]
    assert [width for _, width in squeezed(lines[1])] == pytest.approx([1.5], abs=0.01)
    text = "".join(pypdf_pages(pdf)).replace("\n", "")
    assert "美聯社AP報導約110億美元" in text and "「一日生活圈」。" in text


def test_a_centred_stop_before_an_opening_bracket_keeps_its_place():
    """In Traditional Chinese the comma stands in the centre of its em. Before 《, the
    bracket closes up to it (loses its opening blank), rather than the comma being drawn a
    quarter em back towards 金, which it all but touched."""
    pdf = small_pdf("<p>資金，《條約》。</p>")
    [line], _ = pdf_lines_all_sizes(pdf)
    chars = {char["text"]: char for char in line.chars}
    size = em(line)
    assert gap(chars["金"], chars["，"], size) == pytest.approx(0.0, abs=TOLERANCE)
    assert gap(chars["，"], chars["《"], size) == pytest.approx(-0.5, abs=TOLERANCE)
    assert [width for _, width in squeezed(line)] == pytest.approx([1.5, 1.5], abs=0.02)


def test_a_question_mark_before_a_closing_bracket_is_squeezed_as_palt_sets_it():
    """The shipped fonts centre ``？`` in zh-Hant and have no ``halt`` for it (its glyph is
    too wide for half an em): ``？」`` kept its two ems, a third of an em between the two
    glyphs, beside ``！」`` squeezed to an em and a half. ``？`` now takes the width its
    ``palt`` gives it, two thirds of an em, its glyph in the middle."""
    pdf = small_pdf("<p>嗎？」她！」他</p>")
    [line], _ = pdf_lines_all_sizes(pdf)
    chars = {char["text"]: char for char in line.chars}
    size = em(line)
    question = gap(chars["嗎"], chars["她"], size)
    exclamation = gap(chars["她"], chars["他"], size)
    assert exclamation == pytest.approx(1.5, abs=0.02)
    assert question == pytest.approx(1 + 0.67, abs=0.02)
    text = "".join(pypdf_pages(pdf)) + "".join(pdftotext_pages(pdf))
    assert text.count("嗎？」她！」他") == 2


def test_no_gap_inside_a_web_or_mail_address_only_at_its_ends():
    """``https://example.org/發展`` is one address: a gap after its ``/`` read as a space in
    it. Han next to an address's ends is spaced as next to any Western run."""
    pdf = small_pdf(
        "<p>頭髮。https://example.org/發展</p><p>寫信到ab@example.org給我</p><p>約110億</p>"
    )
    lines, _ = pdf_lines_all_sizes(pdf)
    (inside,), ends, number = (han_latin(line) for line in lines)
    assert inside == ("/發", pytest.approx(0.0, abs=TOLERANCE))
    for boundaries in (ends, number):
        assert [width for _, width in boundaries] == pytest.approx([AUTOSPACE] * 2, abs=TOLERANCE)
    assert "https://example.org/發展" in "".join(pypdf_pages(pdf))


@pytest.mark.slow
def test_the_layout_rules_switch_off_by_name():
    """``--no-rule han-latin-spacing`` and ``--no-rule punctuation-squeeze``: the PDF sets
    that text solid (justification aside), and browsers are asked for the same."""
    briefing = briefgen.loads(SPACED["zh-Hant"])
    rules = ("han-latin-spacing", "punctuation-squeeze")
    lines, _ = pdf_lines(briefgen.render_pdf(briefing, disabled_rules=rules))
    paragraphs = match(body_paragraphs(briefing), lines, ignore_spaces=True)
    pairs = marks = 0
    for line in (line for _, run in paragraphs for line in run):
        justification = spacing(line)
        for pair, width in han_latin(line):
            assert abs(width - justification) <= TOLERANCE, (pair, width, line.text)
            pairs += 1
        for pair, width in squeezed(line):
            assert width - 3 * justification >= 1.95, (pair, width, line.text)
            marks += 1
    assert pairs >= 20 and marks >= 3
    html = briefgen.render_html(briefing, disabled_rules=rules)
    assert "text-autospace: no-autospace" in html and "text-spacing-trim: space-all" in html


#: A period and a title that opens with a bracket, and a paragraph with brackets of its own.
BRACKET_TITLES = {
    "zh-Hant": ("「火星12」試射與制裁", "朝鮮發射「火星12」型飛彈。", "安理會「第2397號」決議"),
    "ja": ("「火星12」の試射と制裁", "北朝鮮は「火星12」を発射した。", "安保理「第2397号」決議"),
}


def ink_gaps(pdf: bytes, before: str, font: str = "") -> list[float]:
    """The blank (em) between each ``before`` character's box on the first page and the ink
    of the opening bracket right after it on the same line, set in ``font`` (the bracket's
    glyph sits in the right half of its em, so its ink starts half an em into its box)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = document.pages[0].chars
    return [
        float(mark["x0"] + mark["size"] / 2 - char["x1"]) / float(mark["size"])
        for char, mark in itertools.pairwise(chars)
        if char["text"] == before
        and mark["text"] in "「《"
        and abs(mark["top"] - char["top"]) < 1
        and font in mark["fontname"]
    ]


@pytest.mark.parametrize("lang", BRACKET_TITLES)
def test_an_opening_bracket_after_the_title_separator_loses_its_blank(lang):
    """``2017年9月至11月　「火星12」…``: the heading's full-width space is the em between date
    and title, and the bracket's blank half made it an em and a half; as JLReq, clreq and
    CSS Text 4 (``text-spacing-trim``) set it, the bracket loses that half. A bracket after
    a character (in a title, in a paragraph) keeps its em, and the text reads back as it is."""
    title, body, other = BRACKET_TITLES[lang]
    source = briefing_yaml(
        "測試",
        lang,
        [
            {"start": "2017-09", "end": "2017-11", "title": title, "body": body},
            {"start": "2018-09", "title": other, "body": body},
        ],
    )
    pdf = briefgen.render_pdf(briefgen.loads(source))
    # 11月　「 in the heading (the contents set their titles in a column, with no space)
    after_space = ink_gaps(pdf, "月", font="Sans")
    assert len(after_space) == 1 and 0.95 <= after_space[0] <= 1.05, after_space
    after_letter = ink_gaps(pdf, "會" if lang == "zh-Hant" else "理")
    after_letter += ink_gaps(pdf, "射" if lang == "zh-Hant" else "は")
    assert after_letter and all(gap == pytest.approx(0.5, abs=0.02) for gap in after_letter)
    text = "".join(pypdf_pages(pdf))
    assert title in text and other in text and body in text


def ink_starts(pdf: bytes, font: str) -> dict[str, float]:
    """Where the ink of each line set in ``font`` starts on the first page (points), by the
    line's text in that font: an opening bracket's glyph sits in the right half of its em,
    a Han character's fills it."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        chars = [char for char in document.pages[0].chars if font in char["fontname"]]
    lines: dict[int, list[dict[str, Any]]] = {}
    for char in chars:
        lines.setdefault(round(float(char["top"])), []).append(char)
    starts = {}
    for line in lines.values():
        line.sort(key=lambda char: float(char["x0"]))
        first = line[0]
        blank = first["size"] / 2 if first["text"] in "「『《" else 0.0
        starts["".join(char["text"] for char in line)] = float(first["x0"]) + blank
    return starts


#: Titles of the contents' entries, each after a date narrower than the first's: one that
#: opens with a bracket, one that does not.
CONTENTS_TITLES = {
    "zh-Hant": ("《板門店宣言》簽署", "河內峰會破局"),
    "ja": ("『板門店宣言』の署名", "ハノイ会談の決裂"),
}


@pytest.mark.parametrize("lang", BRACKET_TITLES)
def test_a_contents_title_s_opening_bracket_stands_at_the_titles_column(lang):
    """The PDF's contents hide the full-width space between date and title and set the
    titles in a column an em after the widest date. A title that opened with a bracket kept
    the bracket's blank half: an em and a half from its date where its heading has an em,
    its glyph half an em right of where the other titles begin. It is set half width as
    after the space, and reads back as it is."""
    title, body, _ = BRACKET_TITLES[lang]
    bracketed, plain = CONTENTS_TITLES[lang]
    events = [
        {"start": "2017-09", "end": "2017-11", "title": title, "body": body},
        {"start": 2018, "title": bracketed, "body": body},
        {"start": 2019, "title": plain, "body": body},
    ]
    pdf = briefgen.render_pdf(briefgen.loads(briefing_yaml("測試", lang, events)))
    # 11月 and the contents' 「 (set in the body's serif; a heading's title is in the sans)
    assert ink_gaps(pdf, "月", font="Serif") == [pytest.approx(1.0, abs=0.05)]
    starts = ink_starts(pdf, "Serif")
    [column] = [x for text, x in starts.items() if text.startswith(plain)]
    entries = [x for text, x in starts.items() if text.startswith((title, bracketed))]
    assert entries == [pytest.approx(column, abs=0.5)] * 2
    text = "".join(pypdf_pages(pdf))
    assert title in text and bracketed in text and plain in text
