"""Korean lines in the PDF break between words, at their spaces, never inside one
(briefgen/word_breaks.py); Chinese and Japanese still break between any two characters."""

from __future__ import annotations

import io
import itertools
import random
import sys

import pdfplumber
import pytest
import yaml

import briefgen
from briefgen import word_breaks
from conftest import REPO

pytestmark = pytest.mark.slow

SENTENCE = {
    "ko": "1950년 6월 25일 북한군이 38선을 넘어 남쪽으로 진격하면서 전쟁이 시작되었다. ",
    "zh-Hant": "1950年6月25日，北韓軍隊越過三十八度線向南推進，戰爭就此爆發。",
}


def solid(text: str) -> str:
    return text.replace(" ", "")


def body_lines(lang: str) -> list[str]:
    """The lines of one long paragraph, as pdfplumber reads them off an A5 page."""
    body = SENTENCE[lang] * 12
    briefing = briefgen.loads(
        f'title: T\nlang: {lang}\nevents:\n  - {{start: 1950, title: E, body: "{body}"}}\n'
    )
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper="A5"))) as pdf:
        lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    # The paragraph starts as the sentence does (the contents and the heading do not), and
    # takes as many characters as it has.
    opening = solid(SENTENCE[lang])[:8]
    start = next(index for index, line in enumerate(lines) if solid(line).startswith(opening))
    paragraph: list[str] = []
    for line in lines[start:]:
        if len(solid("".join(paragraph))) >= len(solid(body)):
            break
        if not line.endswith("쪽"):  # the footer, where the paragraph turns the page
            paragraph.append(line)
    return paragraph


def test_korean_lines_break_only_between_words():
    lines = body_lines("ko")
    words = set(SENTENCE["ko"].split())
    assert len(lines) >= 8
    for line in lines[:-1]:
        # Every line starts and ends on a whole word of the sentence.
        first, *_, last = line.split()
        assert first in words and last in words, line


def test_korean_words_in_emphasis_or_half_in_it_stay_whole():
    """WeasyPrint asks whether a line may break where two inline boxes meet of the two
    letters alone, and Pango said yes between any two syllables: words in or half in
    emphasis or bold (which the PDF sets a syllable a box, to draw its dots) were parted at
    the end of a line (우리/말을, 한글날/을), 14 of 41 breaks in this paragraph."""
    words = [
        "우리말을",
        "지키는",
        "일은",
        "*대한민국*의",
        "*한글날*을",
        "기념하는",
        "*세종대왕기념사업회*가",
        "**맞춤법통일안**을",
        "발표하였다",
        "*우리말을 지키는 일*을",
        "학자들은",
        "오늘날",
    ]
    generator = random.Random(3)
    body = " ".join(generator.choice(words) for _ in range(200))
    briefing = briefgen.loads(
        f'title: T\nlang: ko\nevents:\n  - {{start: 1950, title: E, body: "{body}"}}\n'
    )
    whole = set(body.replace("*", "").split())
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper="A5"))) as pdf:
        lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    paragraph = [line for line in lines if line.split() and line.split()[0] in whole]
    assert len(paragraph) >= 20
    for line in paragraph:
        first, *_, last = line.split()
        assert first in whole and last in whole, line


def test_chinese_lines_still_break_between_any_characters():
    lines = body_lines("zh-Hant")
    # Lines end wherever the column ends, mostly inside a phrase: nothing kept whole.
    assert len(lines) >= 8
    assert any(not line.endswith(("，", "。")) for line in lines[:-1])


# That a number stays with the date unit after it in the people index of a long briefing is
# tested with the contents of the same PDF (test_pdf_layout.py), laid out once for both.


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("1950年6月25日", ["0年", "6月", "5日"]),
        ("１９５０年", ["０年"]),  # full-width figures
        ("一月、二日", []),  # Han numerals break as Han
        ("月日 ab年", []),
    ],
)
def test_the_stretches_kept_whole_in_chinese(text, kept):
    pattern = word_breaks._unbroken("zh-Hant")
    assert pattern is not None
    data = text.encode()
    assert [data[a:b].decode() for a, b in (m.span() for m in pattern.finditer(data))] == kept
    assert word_breaks._unbroken("en") is None


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # An address breaks after its host, not inside https://example.org/.
        (
            "자료는 https://example.org/a/b 에 있다.",
            ["자료는", "https://example.org/", "에", "있다."],
        ),
        ("메일 ab@example.org로", ["메일", "ab@example.org로"]),
        # The rest of an address a line broke, laid out again without its https://.
        ("long-path/long-path.html 에", ["에"]),
        ("中華人民共和國與朝鮮은 韓國은", ["은", "韓國은"]),  # a quotation, a Hanja word
    ],
)
def test_korean_keeps_its_words_whole_but_addresses_and_quoted_han(text, kept):
    """A web address after its host, or six Han or kana and more (a quotation in Chinese or
    Japanese), break where Pango finds they may: kept whole, a long one ran past the right
    margin."""
    data = text.encode()
    assert [data[a:b].decode() for a, b in word_breaks._korean_stretches(text)] == kept


LONG_PATH = "https://example.org/" + "/".join(["long-path"] * 12) + ".html"


@pytest.mark.parametrize(
    ("body", "address"),
    [
        ("자료는 {address} 에 있다. " * 2, LONG_PATH),
        # Lines spread at their spaces and between syllables, the last space before the
        # address: each ended one syllable's spacing (1.8 pt) past the column's edge.
        (
            "1950년 6월 25일 북한군이 38선을 넘어 남쪽으로 진격하면서 전쟁이 시작되었다. "
            "자세한 내용은 {address} 에서 볼 수 있다. " * 3,
            LONG_PATH,
        ),
        # A host wider than the column, kept whole up to its path, ran off the page.
        (
            "자세한 내용은 {address} 에서 볼 수 있다. " * 3,
            "https://" + "very-long-subdomain-name-for-testing." * 3 + "example.org/a.html",
        ),
    ],
    ids=["path", "spread", "host"],
)
def test_a_long_address_in_korean_text_stays_inside_the_column(body, address):
    lines = korean_body_lines(body.format(address=address))
    # The side margins are alike: the column ends as far from the page's right edge as it
    # starts from its left.
    edge = 419.53 - lines[0][0]["x0"]
    right = max(line[-1]["x1"] for line in lines[:-1])
    assert right <= edge + 0.05, (right, edge)
    text = "".join(char["text"] for line in lines for char in line)
    assert address in text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("詳見https://data.gov.tw/dataset/1與說明", [("https://d", "https://data.gov.tw/")]),
        ("見https://example.org。", [("https://e", "https://example.org")]),  # no path
        ("寫信到ab@example.org給我", [("", "ab@example.org")]),  # a mail address, whole
    ],
)
def test_a_chinese_address_is_kept_whole_up_to_its_path(text, kept):
    """Up to its path where the line has room for that, else past its scheme only."""
    data = text.encode()
    heads = word_breaks._address_heads(text)
    assert [(data[a:b].decode(), data[a:c].decode()) for a, b, c in heads] == kept


def test_a_chinese_line_does_not_end_right_after_https():
    """UAX #14 allows a break after each ``/`` of an address, ``https://`` too: a line ended
    ``詳見https://`` and the next began with the host. The address now breaks inside its
    path, or goes to the next line whole from its ``https``."""
    address = "https://data.gov.tw/dataset/123456789012345678901234567890/resource/abcdefghij0123"
    fill = "兩國在這段期間的往來十分頻繁雙方官員多次互訪"
    # The address starting 17 to 23 characters into an A5 line: at 21, ``https://`` is all
    # of it that fits there.
    paragraphs = [f"{fill[:count]}詳見{address}與相關說明。" for count in range(17, 24)]
    source = yaml.safe_dump(
        {
            "title": "T",
            "lang": "zh-Hant",
            "events": [{"start": 2025, "title": "E", "body": "\n\n".join(paragraphs)}],
        },
        allow_unicode=True,
        width=1_000_000,
    )
    pdf = briefgen.render_pdf(briefgen.loads(source), paper="A5")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = [line for page in document.pages for line in page.extract_text().splitlines()]
    assert sum("data.gov.tw/" in line for line in lines) == len(paragraphs)
    for line in lines:
        assert not line.endswith(("https://", "https:", "https")), line
        assert not line.startswith(("data.gov.tw", "//")), line
    # The text copies as the address, whole, wherever it broke.
    assert "".join(lines).count(address) == len(paragraphs)


def test_a_chinese_address_with_a_host_longer_than_the_line_stays_inside_the_column():
    """Kept whole up to its path, a host wider than the column ran off the page: it breaks
    where Pango finds it may (after a hyphen), though still not right after ``https://``."""
    address = "https://" + "very-long-subdomain-name-for-testing." * 3 + "example.org/a.html"
    lines = _a5_chinese_lines_inside_the_column(address)
    assert not any(line.endswith("https://") for line in lines)
    assert address in "".join(lines)


def korean_body_lines(body: str) -> list[list[dict]]:
    """The characters of each line of an event's Korean ``body`` on the first A5 page, left
    to right (the body's size, 10.5 pt; the contents' short line, which shares it, left
    out)."""
    briefing = briefgen.loads(
        f'title: T\nlang: ko\nevents:\n  - {{start: 1950, title: E, body: "{body}"}}\n'
    )
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper="A5"))) as pdf:
        chars = [char for char in pdf.pages[0].chars if abs(char["size"] - 10.5) < 0.1]
    rows: dict[int, list] = {}
    for char in chars:
        rows.setdefault(round(char["top"]), []).append(char)
    lines = [sorted(row, key=lambda char: char["x0"]) for _, row in sorted(rows.items())]
    return [line for line in lines if len(line) > 10]


def test_korean_lines_are_justified_at_their_spaces_not_between_syllables():
    """A justified Korean line ends flush at the column's edge, its spare width in the
    spaces between words: the syllables of a word stay as the font sets them."""
    lines = korean_body_lines(SENTENCE["ko"] * 12)
    right = max(line[-1]["x1"] for line in lines)
    justified = lines[:-1]  # the paragraph's last line is set ragged
    assert len(justified) >= 8
    for line in justified:
        assert line[-1]["x1"] == pytest.approx(right, abs=0.5)
        for before, after in itertools.pairwise(line):
            if all("가" <= char["text"] <= "힣" for char in (before, after)):
                # Two syllables side by side: of one word (a space is no character here).
                gap = after["x0"] - before["x1"]
                assert gap == pytest.approx(0, abs=0.3), "".join(c["text"] for c in line)


def test_a_korean_line_with_few_spaces_is_spread_between_its_syllables_too():
    """Where long words leave a line two or three spaces, widening only them would open
    holes of ems: past half an em a space, the spare width goes between syllables too."""
    # Words of 12 syllables: two to a line, and a third short of room by some 5 ems.
    lines = korean_body_lines(" ".join(["대한민국정부수립선포식", "국제연합안전보장이사회"] * 10))
    right = max(line[-1]["x1"] for line in lines)
    justified = lines[:-1]
    assert len(justified) >= 5
    widest = 0.0
    for line in justified:
        assert line[-1]["x1"] == pytest.approx(right, abs=0.5)
        widest = max(widest, *(b["x0"] - a["x1"] for a, b in itertools.pairwise(line)))
    # A space (about a quarter em) and at most half an em more; before, 2 to 3 ems.
    assert widest < 0.8 * 10.5


def test_a_korean_word_longer_than_the_line_breaks_inside_the_column():
    """A Korean word is kept whole, but one longer than the line (a compound name written
    solid) ran past the right margin and off the A5 page, its last syllables lost to the
    reader. It breaks where the line is full, as an English word longer than the line
    does (``overflow-wrap: break-word``), and as browsers break it; the words around it
    still break at their spaces."""
    word = "초국가적위협대응협력체계구축을위한한미일삼국공동실무협의체설치및운영에관한합의"
    body = f"정부는 {word}와그후속조치를 발표했다. 이 합의는 다음 달 발효된다."
    briefing = briefgen.loads(
        f'title: T\nlang: ko\nevents:\n  - {{start: 1950, title: E, body: "{body}"}}\n'
    )
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper="A5"))) as pdf:
        page = pdf.pages[-1]
        chars = [char for char in page.chars if abs(char["size"] - 10.5) < 0.1]
        lines = page.extract_text().splitlines()
    # The column's right edge, as far from the page's as its left one is from the page's.
    right = page.width - min(char["x0"] for char in chars)
    assert max(char["x1"] for char in chars) <= right + 0.5
    assert f"{word}와그후속조치를" in "".join(lines)
    assert any(line.startswith("정부는") for line in lines)


def test_a_korean_line_spread_between_syllables_keeps_its_punctuation_against_its_word():
    """Letter-spaced, a line of long words set its stops and commas apart from the syllable
    before them (``것 이 다 .``, ``수 출 규 제 ,``) and its brackets and quotes apart from what
    they enclose: a mark belongs to its word, as in Korean print the spacing goes only
    between syllables and at the spaces."""
    words = [
        "(대한민국정부수립선포식)",
        "국제연합안전보장이사회,",
        "“한국전쟁정전협정서명식”",
        "이사회다.",
    ]
    lines = korean_body_lines(" ".join(words * 6))
    justified = lines[:-1]
    assert len(justified) >= 5
    spread = 0
    for line in justified:
        text = "".join(char["text"] for char in line)
        pairs = list(itertools.pairwise(line))
        syllables = [
            b["x0"] - a["x1"] for a, b in pairs if all("가" <= c["text"] <= "힣" for c in (a, b))
        ]
        if not syllables or max(syllables) < 0.05 * 10.5:
            continue
        spread += 1
        for before, after in pairs:
            mark = after["text"] in ".,)”" or before["text"] in "(“"
            if mark and " " not in (before["text"], after["text"]):
                gap = after["x0"] - before["x1"]
                assert gap < 0.02 * 10.5, f"{before['text']}{after['text']} {gap:.2f} in {text}"
    assert spread >= 3


def test_a_korean_line_spread_between_syllables_gives_its_spaces_half_an_em_first():
    """Lines of the 60-event Korean briefing on A5 that the spaces alone would open by more
    than half an em each were letter-spaced evenly, 0.13 em between every two syllables,
    beside lines spread at their spaces only. The spaces now take half an em first."""
    sys.path.insert(0, str(REPO / "bench"))
    import generate

    briefing = briefgen.loads(generate.briefing_yaml(60, lang="ko"))
    em = 10.5
    spread = 0
    with pdfplumber.open(io.BytesIO(briefgen.render_pdf(briefing, paper="A5"))) as pdf:
        for page in pdf.pages:
            rows: dict[int, list] = {}
            for char in page.chars:
                if abs(char["size"] - em) < 0.1:
                    rows.setdefault(round(char["top"]), []).append(char)
            for row in rows.values():
                row.sort(key=lambda char: char["x0"])
                pairs = list(itertools.pairwise(row))
                syllables = [
                    b["x0"] - a["x1"]
                    for a, b in pairs
                    if all("가" <= char["text"] <= "힣" for char in (a, b))
                ]
                spaces = [b["x0"] - a["x1"] for a, b in pairs if a["text"] == " "]
                if len(syllables) < 10 or not spaces:
                    continue
                text = "".join(char["text"] for char in row)
                # Syllables spread only once every space has its half em, and then little.
                if max(syllables) > 0.02 * em:
                    assert min(spaces) > 0.49 * em, text
                assert max(syllables) < 0.1 * em, text
                spread += min(spaces) > 0.49 * em
    assert spread >= 10


HYPHENATED_PATH = "https://example.org/world/2023/09/12/kim-jong-un-meets-putin-in-vladivostok.html"
LEAD_IN = {
    "zh-Hant": ("兩國在這段期間的往來十分頻繁雙方官員多次互訪", "詳見{address}與說明。"),
    "ja": ("両国はこの期間に頻繁に往来し双方の高官が何度も相互訪問した", "詳細は{address}を参照。"),
    "ko": (
        "양국은 이 기간 동안 자주 왕래했으며 고위 관리들이 ",
        "자세한 내용은 {address} 에서 볼 수 있다.",
    ),
    "en": (
        "The two countries exchanged many visits in this period and ",
        "See {address} for more.",
    ),
}


def address_lines(lang: str, paper: str, address: str) -> list[str]:
    """The lines of paragraphs that each set ``address`` a few characters further on."""
    fill, sentence = LEAD_IN[lang]
    paragraphs = [
        (fill * 3)[:count] + sentence.format(address=address)
        for count in range(0, 2 * len(fill), 2)
    ]
    source = yaml.safe_dump(
        {
            "title": "T",
            "lang": lang,
            "events": [{"start": 2025, "title": "E", "body": "\n\n".join(paragraphs)}],
        },
        allow_unicode=True,
        width=1_000_000,
    )
    pdf = briefgen.render_pdf(briefgen.loads(source), paper=paper)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [line for page in document.pages for line in page.extract_text().splitlines()]


@pytest.mark.parametrize("paper", ["A4", "A5"])
@pytest.mark.parametrize("lang", ["zh-Hant", "ja", "ko", "en"])
def test_an_address_does_not_break_after_a_hyphen_of_its_path(lang, paper):
    """A line ended ``…/kim-`` over ``jong-un-meets…``, which reads as a hyphenated word: a
    part of the path between two ``/`` goes to the next line whole, as the Chicago Manual
    of Style has it (after a ``/``, never after a hyphen)."""
    lines = address_lines(lang, paper, HYPHENATED_PATH)
    for line in lines:
        # (An English line may end in a hyphenated word of the text: the hyphen is the same.)
        assert not (line.endswith("-") and "/" in line.split()[-1]), line
    # Nothing is put into the text: it copies as the address, wherever it broke.
    if lang != "en":  # (English is hyphenated, which is the next test's)
        assert HYPHENATED_PATH in "".join(lines)


def test_a_part_of_a_path_wider_than_the_line_still_breaks_inside_the_column():
    address = "https://example.org/" + "-".join(["a-very-long-slug"] * 8) + ".html"
    lines = _a5_chinese_lines_inside_the_column(address)
    assert address in "".join(lines)


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_an_english_address_is_kept_whole_up_to_its_path(paper):
    """As in Chinese, Japanese and Korean: an English line ended ``https://www.example-``
    over ``news.org/…``, a hyphenated word to a reader, or ``https://`` over the host."""
    address = "https://www.example-news.org/world/asia/2023/09/12/summit.html"
    lines = address_lines("en", paper, address)
    assert sum("www.example-news.org/" in line for line in lines) == len(LEAD_IN["en"][0])
    for line in lines:
        assert not line.endswith(("https://", "example-")), line


@pytest.mark.parametrize("paper", ["A4", "A5"])
def test_an_english_address_is_not_hyphenated(paper):
    """English is hyphenated, and WeasyPrint hyphenated the words of an address too: a line
    ended ``…/vladivos‐`` or ``ht‐``, the hyphen drawn into the text, and the PDF copied
    an address that leads nowhere."""
    address = "https://www.example-news.org/2023/09/12/kim-jong-un-arrives-in-vladivostok.html"
    lines = address_lines("en", paper, address)
    assert "".join(lines).count(address) == len(LEAD_IN["en"][0])
    # Words of the text around it are hyphenated as before.
    text = "Internationalization of telecommunications infrastructure notwithstanding. " * 20
    source = f"title: T\nlang: en\nevents:\n  - {{start: 2025, title: E, body: {text}}}\n"
    with pdfplumber.open(
        io.BytesIO(briefgen.render_pdf(briefgen.loads(source), paper=paper))
    ) as pdf:
        lines = [line for page in pdf.pages for line in page.extract_text().splitlines()]
    assert any(line.endswith("-") for line in lines)


def test_an_address_is_measured_without_a_walk_over_the_whole_text(monkeypatch):
    """Each text box WeasyPrint lays out (each line of a paragraph anew) has its addresses'
    hosts and path parts measured. A walk over all of a Chinese paragraph's characters for
    each of them made a PDF of such paragraphs a tenth to a third slower; the address's own
    characters are walked alone, and the lines are the same."""
    address = "https://www.example-news.org/2023/09/12/kim-jong-un-meets-putin.html"
    body = f"據報導，雙方在會談中討論了多項議題，詳見{address}。" * 6
    source = yaml.safe_dump(
        {"title": "T", "lang": "zh-Hant", "events": [{"start": 2025, "title": "E", "body": body}]},
        allow_unicode=True,
        width=1_000_000,
    )
    walked: list[str] = []
    walk = word_breaks._byte_offsets
    monkeypatch.setattr(
        word_breaks, "_byte_offsets", lambda text: walked.append(text) or walk(text)
    )
    pdf = briefgen.render_pdf(briefgen.loads(source), paper="A5")
    assert not [text for text in walked if address in text]
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = [line for page in document.pages for line in page.extract_text().splitlines()]
    assert "".join(lines).count(address) == 6
    for line in lines:
        assert not line.endswith(("https://", "-")), line


def _a5_chinese_lines_inside_the_column(address: str) -> list[str]:
    """The first A5 page's lines of a Chinese event whose body holds ``address``, checked to
    stay inside the column (the body's characters, 10.5 pt, end within the right margin,
    as wide as the left one)."""
    body = f"詳見{address}與相關說明。" + "兩國在這段期間的往來十分頻繁，雙方官員多次互訪。" * 2
    source = yaml.safe_dump(
        {"title": "T", "lang": "zh-Hant", "events": [{"start": 2025, "title": "E", "body": body}]},
        allow_unicode=True,
        width=1_000_000,
    )
    pdf = briefgen.render_pdf(briefgen.loads(source), paper="A5")
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = document.pages[0]
        chars = [char for char in page.chars if abs(char["size"] - 10.5) < 0.1]
        lines = page.extract_text().splitlines()
    left = min(char["x0"] for char in chars)
    assert max(char["x1"] for char in chars) <= float(page.width) - left + 0.05
    return lines
