"""Text boxes of spaced CJK lines drawn whole (briefgen/justify.py: ``_drawn_whole``): one
Pango layout and one text object for each text box, drawing what its pieces drew one by one.

Each document is made twice, the second time with every box drawn as its pieces, and the two
PDFs are read back: each character where it was, the same text out of every reader, the same
pixels on the page.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import pytest
import weasyprint
from PIL import Image
from test_justify import JAPANESE, SIMPLIFIED, briefing_yaml, event

import briefgen
from briefgen import fonts, justify
from conftest import READERS

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler")

# Han–Latin gaps around numbers, words and signs, a Latin name with its space, squeezed
# punctuation (。」 」， 、「), emphasis dots and a link in justified paragraphs.
MIXED = briefing_yaml(
    "混排與標點",
    "zh-Hant",
    summary="據 Reuters 報道，2023年9月的會談持續約4小時，雙方並未公布30%以上的細節。",
    events=[
        event(
            2023,
            "Vladimir Putin 與金正恩會面",
            "俄羅斯總統 Vladimir Putin 在 Vostochny 太空發射場接待了來訪的金正恩。"
            "雙方談到「*軍事合作*。」，又說「太空技術」、「農業」與km/h級的運輸計畫。"
            "會後公布的照片顯示，兩人在火箭組裝車間停留了約40分鐘，"
            "並就衛星技術交換了意見，外界對此[議論紛紛](https://example.org/news)。",
            "分析人士指出，這次會面距上一次（2019年4月）已有四年多；"
            "期間雙方往來不多，但在2022年以後明顯升溫。",
        )
    ],
)

BRIEFINGS = {"zh-Hans": SIMPLIFIED, "ja": JAPANESE, "mixed": MIXED}


def as_pieces(make: Callable[[], bytes]) -> bytes:
    """What ``make`` makes with every text box drawn as its pieces, one by one."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(justify, "_drawn_whole", lambda box, plan, pieces: None)
        return make()


@pytest.fixture(scope="module")
def pairs(sample: briefgen.Briefing) -> dict[str, tuple[bytes, bytes]]:
    """For each document: its PDF as briefgen makes it, and with its boxes drawn as pieces."""
    loaded = {"sample zh-Hant": sample}
    loaded.update({name: briefgen.loads(text) for name, text in BRIEFINGS.items()})
    found = {}
    for name, briefing in loaded.items():

        def make(briefing: briefgen.Briefing = briefing) -> bytes:
            return briefgen.render_pdf(briefing)

        found[name] = (make(), as_pieces(make))
    return found


def placed(pdf: bytes) -> list[tuple[Any, ...]]:
    """Every character drawn: page, text, font, size, and where (to a hundredth of a pt)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [
            (
                page.page_number,
                char["text"],
                re.sub(r"^[A-Z]{6}\+", "", char["fontname"]),  # not the subset's tag
                round(char["size"], 2),
                round(char["x0"], 2),
                round(char["top"], 2),
            )
            for page in document.pages
            for char in page.chars
        ]


def text_objects(pdf: bytes) -> int:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return sum(len(re.findall(rb"\bBT\b", page.get_contents().get_data())) for page in reader.pages)


@pytest.mark.slow
def test_every_character_is_drawn_where_its_piece_drew_it(pairs):
    for name, (whole, pieces) in pairs.items():
        assert placed(whole) == placed(pieces), name


@pytest.mark.slow
@pytest.mark.parametrize("read", READERS)
def test_the_text_reads_out_as_from_the_pieces(pairs, read):
    for name, (whole, pieces) in pairs.items():
        assert read(whole) == read(pieces), name


@pytest.mark.slow
@needs_poppler
def test_the_pages_look_the_same(pairs):
    for name, (whole, pieces) in pairs.items():
        assert pictures(whole) == pictures(pieces), name


def pictures(pdf: bytes) -> list[bytes]:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "document.pdf").write_bytes(pdf)
        command = ["pdftoppm", "-r", "100", "-gray", "document.pdf", "page"]
        subprocess.run(command, check=True, cwd=folder)
        return [Image.open(path).tobytes() for path in sorted(Path(folder).glob("page*.pgm"))]


@pytest.mark.slow
def test_a_spaced_line_is_one_text_object_not_one_for_each_piece(pairs):
    for name, (whole, pieces) in pairs.items():
        assert text_objects(whole) < 0.7 * text_objects(pieces), name


# --- Where the pieces are drawn all the same --------------------------------------------

FACES = fonts.font_face_css(lambda face: face.path.as_uri())


def render(body: str, style: str = "") -> bytes:
    html = f"""<html lang="zh-Hant"><style>{FACES}
    p {{ font-family: "briefgen Noto Serif CJK TC"; width: 200pt; text-align: justify; }}
    {style}</style>{body}"""
    with justify.cjk_justification():
        return weasyprint.HTML(string=html).write_pdf()


def drawn_as_pieces(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the boxes drawn whole that had to be drawn as their pieces."""
    texts: list[str] = []
    draw = justify._draw_as_pieces

    def spy(stream: Any, textbox: Any, *rest: Any) -> Any:
        texts.append(textbox.text)
        return draw(stream, textbox, *rest)

    monkeypatch.setattr(justify, "_draw_as_pieces", spy)
    return texts


@pytest.mark.parametrize(
    ("body", "style", "drawn"),
    [
        pytest.param(
            "<p>以色列（ישראל）於1948年5月14日建國，隨即爆發戰爭。</p>",
            "",
            "（ישראל）",
            id="right-to-left",
        ),
        pytest.param(
            "<p>會談於2023年9月13日在東方航天發射場舉行，歷時約4小時，雙方未公布細節。</p>",
            "p { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }",
            "會談於2023年9月13日",
            id="ellipsis",
        ),
    ],
)
def test_a_box_a_text_object_cannot_draw_alike_is_drawn_as_its_pieces(
    monkeypatch, body, style, drawn
):
    texts = drawn_as_pieces(monkeypatch)
    whole = render(body, style)
    assert any(drawn in text for text in texts)
    pieces = as_pieces(lambda: render(body, style))
    assert placed(whole) == placed(pieces)
