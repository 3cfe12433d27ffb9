"""A briefing written the way scraped news is (half-width punctuation, straight quotes,
stray spaces and line breaks inside the text, ``...`` and ``--``) comes out of the PDF
typeset: full-width marks, the locale's quotes, the two-em ellipsis and dash, justified
lines, no short last line and no kinsoku break, in every CJK language."""

from __future__ import annotations

import pytest
from test_justify import CLOSING, FLUSH, OPENING, read_back

import briefgen

# Each: the body as scraped, and the text the reader must get back from the PDF.
SCRAPED = {
    "zh-Hant": (
        '據美聯社(AP)報導,兩國\n宣布"全面戰略夥伴關係".雙方計畫在2024年前完成約110億美元的'
        "合作項目--其中包括高速鐵路(THSR)的延伸,時速為300km/h,全長350公里.外界的反應"
        '則相當分歧...有人認為這是"歷史性的一步",也有人擔心債務風險,質疑計畫能否如期完成?',
        "據美聯社（AP）報導，兩國宣布「全面戰略夥伴關係」。雙方計畫在2024年前完成約110億美元的"
        "合作項目——其中包括高速鐵路（THSR）的延伸，時速為300km/h，全長350公里。外界的反應"
        "則相當分歧……有人認為這是「歷史性的一步」，也有人擔心債務風險，質疑計畫能否如期完成？",
    ),
    "zh-Hans": (
        '据美联社(AP)报道,两国\n宣布"全面战略伙伴关系".双方计划在2024年前完成约110亿美元的'
        "合作项目--其中包括高速铁路(THSR)的延伸,时速为300km/h,全长350公里.外界的反应"
        '则相当分歧...有人认为这是"历史性的一步",也有人担心债务风险,质疑计划能否如期完成?',
        "据美联社（AP）报道，两国宣布“全面战略伙伴关系”。双方计划在2024年前完成约110亿美元的"
        "合作项目——其中包括高速铁路（THSR）的延伸，时速为300km/h，全长350公里。外界的反应"
        "则相当分歧……有人认为这是“历史性的一步”，也有人担心债务风险，质疑计划能否如期完成？",
    ),
    "ja": (
        '共同通信(Kyodo)によると,両国は\n"包括的戦略パートナーシップ"を結んだ.両国は2024年'
        "までに約110億ドルの協力事業--高速鉄道(THSR)の延伸を含む--を完了する計画だ.時速は"
        '300km/h,全長は350キロに及ぶ.反応は分かれている...これを"歴史的な一歩"と見る人も'
        "いれば,債務の危険を心配する人もいる.",
        "共同通信（Kyodo）によると、両国は「包括的戦略パートナーシップ」を結んだ。両国は2024年"
        "までに約110億ドルの協力事業——高速鉄道（THSR）の延伸を含む——を完了する計画だ。時速は"
        "300km/h、全長は350キロに及ぶ。反応は分かれている……これを「歴史的な一歩」と見る人も"
        "いれば、債務の危険を心配する人もいる。",
    ),
    # Korean keeps Western punctuation and its spaces, its quotation marks curly (“ ”, as
    # the 2015 punctuation rules write them); a line break inside a sentence is a space
    # between words.
    "ko": (
        '연합뉴스(Yonhap)에 따르면 양국은\n"포괄적 전략 동반자 관계"를 맺었다. 양국은 2024년까지 '
        "약 110억 달러 규모의 협력 사업을 마칠 계획이며, 여기에는 고속철도(THSR) 연장이 "
        "포함된다. 시속은 300km/h, 전체 길이는 350킬로미터에 이른다. 반응은 엇갈린다. "
        "역사적인 한 걸음이라는 평가도 있지만, 부채 위험을 걱정하는 목소리도 크다.",
        "연합뉴스(Yonhap)에 따르면 양국은 “포괄적 전략 동반자 관계”를 맺었다. 양국은 2024년까지 "
        "약 110억 달러 규모의 협력 사업을 마칠 계획이며, 여기에는 고속철도(THSR) 연장이 "
        "포함된다. 시속은 300km/h, 전체 길이는 350킬로미터에 이른다. 반응은 엇갈린다. "
        "역사적인 한 걸음이라는 평가도 있지만, 부채 위험을 걱정하는 목소리도 크다.",
    ),
}


def briefing(lang: str, body: str) -> briefgen.Briefing:
    # Written by hand, as a scraped file is: the body a literal block, its line breaks kept.
    indented = "\n".join(f"      {line}" for line in body.splitlines())
    return briefgen.loads(
        f"title: 測試\nlang: {lang}\nevents:\n  - start: 2023\n    title: 報導\n"
        f"    body: |\n{indented}\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", SCRAPED)
def test_scraped_text_reads_back_typeset(lang):
    scraped, typeset = SCRAPED[lang]
    document = read_back(briefing(lang, scraped))
    [(paragraph, lines)] = document.paragraphs
    drawn = "".join(line.text for line in lines)
    # (A line that ends at a space does not draw it.)
    assert drawn.replace(" ", "") == typeset.replace(" ", "")
    assert paragraph == typeset
    for line in lines[:-1]:
        assert abs(document.right - line.x1) <= FLUSH, line.text
    assert len(lines[-1].text) > 2
    for line in lines:
        assert line.text[0] not in CLOSING and line.text[-1] not in OPENING, line.text
