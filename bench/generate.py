"""Synthetic briefings of N events for the benchmark: deterministic, in zh-Hant, ja or ko.

    python bench/generate.py 1000 -o bench/out/zh-Hant-1000.yaml [--lang ja] [--seed 0]

The text is written from sentence patterns of the kind a timeline uses (who met whom, where,
what was signed), so that line breaking, justification and punctuation rules meet what they
meet in real briefings. Each event brings new place names and terms, drawn in order from the
language's list of common characters (Big5 level 1, JIS level 1 kanji, KS X 1001 Hangul), so
the set of distinct characters, and with it the font subsets, grows with N as it does in a long
real text, until the list is used up (about 1,200 events). People grow with N too (one per five
events), and each event names one to three of them, mostly recent ones, which fills the people
index. Every tenth event has a list, every seventh a link, every third some emphasis.

Tests import :func:`briefing_yaml` to make briefings of any size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

#: The sizes the benchmark measures.
SIZES = (13, 200, 1000, 3000)
LANGS = ("zh-Hant", "ja", "ko")


def _decoded(codec: str, rows: range, cells: range) -> str:
    """Every character a legacy double-byte encoding has in these rows and cells, in order:
    the common characters of the language, roughly by radical and stroke count."""
    found = []
    for row in rows:
        for cell in cells:
            try:
                found.append(bytes([row, cell]).decode(codec))
            except UnicodeDecodeError:
                continue
    return "".join(dict.fromkeys(char for char in found if char.isalpha()))


@dataclass(frozen=True)
class _Language:
    """What a synthetic briefing in one language is written from."""

    title: str
    subtitle: str
    summary: str
    titles: tuple[str, ...]
    """Event headlines, with {place} and {term}."""
    sentences: tuple[str, ...]
    """Body sentences, with {a} and {b} (people), {place}, {term}, {year} and {n}."""
    list_items: tuple[str, ...]
    roles: tuple[str, ...]
    surnames: str
    tags: tuple[str, ...]
    link_text: str
    new_characters: str
    """Common characters, in a fixed order; events take new words from it in turn."""
    name_length: int
    """Characters a person's given name takes from ``new_characters``."""
    sentence_space: str = ""
    """What stands between two sentences: nothing in Chinese and Japanese, a space in
    Korean, which is written with spaces between words."""


_ZH = _Language(
    title="合成測試簡報：{n}件大事",
    subtitle="供基準測試用的虛構時間表",
    summary=(
        "本簡報由程式產生，內容純屬虛構，只為衡量排版所需的時間與記憶體。"
        "各事件的地名、人名與術語依序取自常用字表，字數愈多，用到的字也愈多。\n\n"
        "以下依時間先後，整理{n}個轉折點，並附人物索引與資料來源。"
    ),
    titles=(
        "{place}會談與{term}協議",
        "{place}危機爆發",
        "雙方在{place}簽署{term}條約",
        "{term}政策受挫",
        "{place}峰會後關係轉暖",
        "圍繞{term}的談判破局",
    ),
    sentences=(
        "{year}年，{a}前往{place}，與{b}舉行了長達{n}小時的會談。",
        "雙方都沒有公開會談議題，不過外界估計，{term}問題是討論的重點。",
        "{a}在記者會上表示，{place}的局勢「已經到了必須處理的時候」。",
        "這段期間，{b}仍以經濟與軍事援助支撐盟友，但援助規模削減了{n}成。",
        "{place}的居民對{term}的看法分歧，抗議活動持續了數週。",
        "據估計，這場風波波及{n}萬人，{place}一帶的交通一度中斷。",
        "與此同時，{a}也設法降低對外國的倚賴，轉向國際金融市場借入鉅額資金。",
        "{year}年底，{b}宣布暫停{term}計畫，雙邊關係因此走下坡。",
        "觀察人士指出，《{term}協定》的條文含糊，日後屢屢引起爭議。",
        "{a}與{b}在{place}再度會面，簽下為期{n}年的合作備忘錄。",
    ),
    list_items=(
        "在{place}設立聯絡辦事處",
        "每年舉行{n}次{term}磋商",
        "共同開發{place}附近的港口",
    ),
    roles=(
        "{place}出身的政治人物",
        "曾任{term}委員會主席",
        "{year}年起擔任外交部長",
        "{place}大學的經濟學者",
    ),
    surnames="王李張劉陳楊黃趙吳周徐孫馬朱胡郭何高林羅鄭梁謝宋唐許韓馮鄧曹",
    tags=("外交", "峰會", "經濟", "制裁", "援助", "軍事合作", "能源", "貿易", "選舉"),
    link_text="相關報導",
    new_characters=_decoded("big5", range(0xA4, 0xC6), range(0x40, 0xFF)),
    name_length=2,
)

_JA = _Language(
    title="合成テスト用ブリーフィング：{n}の出来事",
    subtitle="ベンチマーク用の架空の年表",
    summary=(
        "このブリーフィングはプログラムで作られたもので、内容はすべて架空である。"
        "組版にかかる時間とメモリを測るためだけに使う。\n\n"
        "以下、{n}の転機を時代順にまとめ、人物索引と資料を付ける。"
    ),
    titles=(
        "{place}会談と{term}協定",
        "{place}危機の勃発",
        "{place}で{term}条約に調印",
        "{term}政策のつまずき",
        "{place}首脳会談後の関係改善",
    ),
    sentences=(
        "{year}年、{a}は{place}を訪れ、{b}と{n}時間にわたって会談した。",
        "両者とも議題を公表しなかったが、{term}の問題が焦点だったとみられる。",
        "{a}は記者会見で「{place}の情勢は対処すべき時に来ている」と述べた。",
        "この間も{b}は経済・軍事援助を続けたが、その規模は{n}割減らされた。",
        "{place}の住民の間では{term}をめぐって意見が分かれ、抗議は数週間続いた。",
        "この騒動で約{n}万人が影響を受け、{place}周辺の交通は一時止まった。",
        "{year}年末、{b}は{term}計画の停止を発表し、両国関係は冷え込んだ。",
        "{a}と{b}は{place}で再び会い、{n}年間の協力覚書に署名した。",
    ),
    list_items=(
        "{place}に連絡事務所を設ける",
        "毎年{n}回の{term}協議を開く",
        "{place}近くの港を共同で開発する",
    ),
    roles=(
        "{place}出身の政治家",
        "{term}委員会の元委員長",
        "{year}年から外務大臣",
        "{place}大学の経済学者",
    ),
    surnames="佐藤鈴木高橋田中伊藤渡辺山本中村小林加藤",
    tags=("外交", "首脳会談", "経済", "制裁", "援助", "軍事協力", "エネルギー", "貿易"),
    link_text="関連記事",
    new_characters=_decoded("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF)),
    name_length=2,
)

_KO = _Language(
    title="합성 시험용 브리핑: 사건 {n}건",
    subtitle="벤치마크를 위한 가상의 연표",
    summary=(
        "이 브리핑은 프로그램으로 만든 것으로 내용은 모두 가상이다. "
        "조판에 드는 시간과 메모리를 재기 위해서만 쓴다.\n\n"
        "아래에 {n}개의 전환점을 시간 순서대로 정리하고 인물 색인과 자료를 붙였다."
    ),
    titles=(
        "{place} 회담과 {term} 협정",
        "{place} 위기 발생",
        "{place}에서 {term} 조약 체결",
        "{term} 정책의 좌절",
        "{place} 정상회담 뒤 관계 개선",
    ),
    sentences=(
        "{year}년 {a}은 {place}을 방문해 {b}과 {n}시간 동안 회담했다.",
        "양측 모두 의제를 공개하지 않았으나 {term} 문제가 핵심이었던 것으로 보인다.",
        "{a}은 기자회견에서 “{place}의 정세는 이제 대처해야 할 때”라고 말했다.",
        "이 기간에도 {b}은 경제·군사 원조를 이어 갔지만 규모는 {n}할 줄었다.",
        "{place} 주민들은 {term}을 두고 의견이 갈렸고 항의는 몇 주 동안 이어졌다.",
        "이 사태로 약 {n}만 명이 영향을 받았고 {place} 일대의 교통이 한때 끊겼다.",
        "{year}년 말 {b}은 {term} 계획의 중단을 발표했고 양국 관계는 나빠졌다.",
        "{a}과 {b}은 {place}에서 다시 만나 {n}년 기한의 협력 각서에 서명했다.",
    ),
    list_items=(
        "{place}에 연락 사무소 설치",
        "해마다 {n}차례 {term} 협의 개최",
        "{place} 인근 항구 공동 개발",
    ),
    roles=(
        "{place} 출신 정치인",
        "전 {term} 위원회 위원장",
        "{year}년부터 외무장관",
        "{place} 대학의 경제학자",
    ),
    surnames="김이박최정강조윤장임한오서신권황안송류홍",
    tags=("외교", "정상회담", "경제", "제재", "원조", "군사 협력", "에너지", "무역"),
    link_text="관련 기사",
    new_characters=_decoded("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF)),
    name_length=2,
    sentence_space=" ",
)

_LANGUAGES = {"zh-Hant": _ZH, "ja": _JA, "ko": _KO}


class _Words:
    """New words for each event, taken in turn from the language's common characters."""

    def __init__(self, language: _Language):
        self.characters = language.new_characters
        self.next = 0

    def take(self, length: int) -> str:
        start = self.next % len(self.characters)
        self.next += length
        return (self.characters * 2)[start : start + length]


def briefing_yaml(events: int, lang: str = "zh-Hant", seed: int = 0) -> str:
    """A briefing of ``events`` events in ``lang`` as YAML text; the same for the same
    arguments on every machine and Python version."""
    if lang not in _LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    if events < 1:
        raise ValueError("a briefing needs at least one event")
    language = _LANGUAGES[lang]
    rng = random.Random(f"{lang}:{seed}")
    words = _Words(language)
    people = _people(language, words, rng, 5 + events // 5)
    lines = [
        f"title: {_quoted(language.title.format(n=events))}",
        f"subtitle: {_quoted(language.subtitle)}",
        f"lang: {lang}",
        "date: 2024-01-31",
        "authors: [briefgen bench]",
        "publisher: briefgen",
        "summary: |",
        *_indented(language.summary.format(n=events), 2),
        "events:",
    ]
    first_day = dt.date(1900, 1, 1)
    step = max(1, (dt.date(2023, 12, 31) - first_day).days // events)
    for index in range(events):
        start = first_day + dt.timedelta(days=index * step)
        lines += _event(language, words, rng, index, start, people)
    lines.append("people:")
    for name, alt, role in people:
        lines += [f"  - name: {name}", f"    alt: {alt}", f"    role: {_quoted(role)}"]
    lines += [
        "sources:",
        f"  - title: {_quoted(language.subtitle)}",
        "    publisher: briefgen",
        "    date: 2024-01-31",
        "    url: https://example.org/bench",
        f"    note: {_quoted(language.summary.splitlines()[0].format(n=events))}",
    ]
    return "\n".join(lines) + "\n"


def _people(
    language: _Language, words: _Words, rng: random.Random, count: int
) -> list[tuple[str, str, str]]:
    people = []
    for index in range(count):
        surname = language.surnames[index % len(language.surnames)]
        name = surname + words.take(language.name_length)
        role = rng.choice(language.roles).format(
            place=words.take(2), term=words.take(2), year=1900 + index % 124
        )
        people.append((name, f"Person {index + 1}", role))
    return people


def _event(
    language: _Language,
    words: _Words,
    rng: random.Random,
    index: int,
    start: dt.date,
    people: list[tuple[str, str, str]],
) -> list[str]:
    place, term = words.take(2), words.take(2)
    # Mostly people of the same era: the index then lists runs of nearby events.
    era = min(len(people) - 1, index // 5)
    nearby = people[max(0, era - 4) : era + 1]
    named = sorted({rng.choice(nearby)[0] for _ in range(rng.randint(1, 3))})
    # Sentences about two people name two: the second from the same era when the event has one.
    a = named[0]
    b = named[1] if len(named) > 1 else people[(era + 1) % len(people)][0]

    def fill(pattern: str) -> str:
        return pattern.format(
            a=a, b=b, place=place, term=term, year=start.year, n=rng.randint(2, 99)
        )

    sentences = rng.sample(language.sentences, 2 * rng.randint(1, 3))  # none said twice
    space = language.sentence_space
    paragraphs = [space.join(map(fill, sentences[i : i + 2])) for i in range(0, len(sentences), 2)]
    if index % 3 == 0:
        paragraphs[0] = paragraphs[0].replace(term, f"**{term}**", 1)
    if index % 7 == 0:
        paragraphs[-1] += f"{space}[{language.link_text}](https://example.org/events/{index + 1})"
    if index % 10 == 0:
        paragraphs.append("\n".join(f"- {fill(item)}" for item in language.list_items))
    lines = [
        f"  - start: {start.isoformat()}",
        f"    title: {_quoted(fill(rng.choice(language.titles)))}",
        "    body: |",
        *_indented("\n\n".join(paragraphs), 6),
        f"    people: [{', '.join(named)}]",
        f"    tags: [{', '.join(sorted(set(rng.sample(language.tags, 2))))}]",
    ]
    return lines


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (safe for colons, quotes and leading marks)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _indented(text: str, spaces: int) -> list[str]:
    return [(" " * spaces + line) if line else "" for line in text.splitlines()]


def write(events: int, path: Path, lang: str = "zh-Hant", seed: int = 0) -> Path:
    """Write the briefing of ``events`` events to ``path`` (its folder made if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(briefing_yaml(events, lang, seed), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=int, help=f"how many events (the bench uses {SIZES})")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument("--lang", choices=LANGS, default="zh-Hant")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.output:
        print(write(args.events, args.output, args.lang, args.seed))
    else:
        print(briefing_yaml(args.events, args.lang, args.seed), end="")


if __name__ == "__main__":
    main()
