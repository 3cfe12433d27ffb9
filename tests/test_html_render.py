"""The stand-alone HTML in a real browser: headless Chromium lays the sample out, and a probe
script reports where the contents' labels and titles are.

Skips where there is no ``chromium``.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pdfplumber
import pytest

import briefgen

pytestmark = pytest.mark.chromium

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

#: Reports, once the fonts are in, where each contents entry's title starts (the left edge of
#: its first line) and where its date label's text ends.
PROBE = """<script>
document.fonts.ready.then(() => {
  const entries = [...document.querySelectorAll('.toc li')].map((li) => {
    const label = document.createRange();
    label.selectNodeContents(li.querySelector('.when'));
    const ink = label.getBoundingClientRect();
    return {
      title: li.querySelector('.title').getClientRects()[0].left,
      labelEnd: ink.width ? ink.right : null,
    };
  });
  document.body.setAttribute('data-probe', JSON.stringify(entries));
});
</script>"""


#: A page that lays ``{page}`` out in a frame exactly ``{width}`` pixels wide, then copies what
#: its probe reports, and the width it was laid out at, into its own body. A phone's width
#: cannot be had from the window: headless Chromium lays a window out at least 500 pixels
#: wide, whatever ``--window-size`` asks for. The frame is as high as the window, like a
#: phone's screen.
FRAME = """<!DOCTYPE html>
<html><body style="margin: 0">
<iframe src="{page}" width="{width}" height="1000" style="border: 0; display: block"></iframe>
<script>
const frame = document.querySelector('iframe');
const copy = () => {{
  const found = frame.contentDocument && frame.contentDocument.body
    && frame.contentDocument.body.getAttribute('data-probe');
  if (!found) return setTimeout(copy, 50);
  document.body.dataset.reported = JSON.stringify(
    {{width: frame.contentWindow.innerWidth, found: JSON.parse(found)}});
}};
copy();
</script>
</body></html>
"""


def _probe(page: Path, width: int, profile: Path, *flags: str) -> Any:
    """What the probe script in ``page`` reports once Chromium has laid it out ``width``
    pixels wide (with more command-line ``flags``)."""
    frame = page.with_name(f"{page.stem}-{width}px.html")
    frame.write_text(FRAME.format(page=quote(page.name), width=width), encoding="utf-8")
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # tests may run as root, which the sandbox refuses
            "--disable-gpu",
            "--no-first-run",
            # file:// pages are each their own origin: without this, the frame's page is
            # closed to the page around it.
            "--allow-file-access-from-files",
            # As on a phone, scroll bars take no room from the page.
            "--hide-scrollbars",
            "--proxy-server=127.0.0.1:9",  # offline
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--virtual-time-budget=5000",  # time for the fonts and the probe
            f"--user-data-dir={profile}",
            f"--window-size={width},1000",
            *flags,
            "--dump-dom",
            frame.as_uri(),
        ],
        env={"HOME": str(profile), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found = re.search(r'data-reported="([^"]*)"', done.stdout)
    assert found, "the probe did not report"
    report = json.loads(html.unescape(found.group(1)))
    # A test of a phone's screen tells nothing laid out at another width.
    assert report["width"] == width, f"laid out {report['width']} px wide, not {width}"
    return report["found"]


def _sample_page(sample: briefgen.Briefing, folder: Path, probe: str) -> Path:
    """The sample's HTML page with the ``probe`` script in it, in ``folder`` (the test is
    skipped where there is no Chromium to open it)."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    page = folder / "sample.html"
    page.write_text(
        briefgen.render_html(sample).replace("</body>", probe + "</body>"), encoding="utf-8"
    )
    return page


def _contents_layout(page: Path, width: int, profile: Path) -> list[dict[str, float | None]]:
    entries: list[dict[str, float | None]] = _probe(page, width, profile)
    return entries


@pytest.fixture(scope="module")
def probed(sample, tmp_path_factory) -> Path:
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    page = tmp_path_factory.mktemp("html") / "sample.html"
    page.write_text(
        briefgen.render_html(sample).replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    return page


def test_the_contents_titles_line_up_in_a_column(probed, sample, tmp_path):
    entries = _contents_layout(probed, 1000, tmp_path)
    # The events, the people and the sources.
    assert len(entries) == len(sample.events) + 2
    titles = {round(entry["title"] or 0) for entry in entries}
    assert len(titles) == 1, f"the titles start at {sorted(titles)}"
    # After the widest label, with room between.
    ends = [entry["labelEnd"] for entry in entries if entry["labelEnd"] is not None]
    assert len(ends) == len(sample.events)
    assert min(titles) > max(ends) + 8


def test_on_a_narrow_screen_each_label_runs_on_into_its_title(probed, tmp_path):
    entries = _contents_layout(probed, 420, tmp_path)
    # No column as wide as the widest label: a title starts right after its own label, or,
    # where it does not fit there, whole at the start of the next line.
    left = min(entry["title"] for entry in entries if entry["labelEnd"] is None)
    after = 0
    for entry in entries:
        if entry["labelEnd"] is not None:
            assert entry["title"] is not None
            runs_on = 0 < entry["title"] - entry["labelEnd"] < 40
            assert runs_on or abs(entry["title"] - left) < 1, entry
            after += runs_on
    assert after >= 3


#: Reports, for each kind of text that should not be broken inside on a narrow screen, the
#: most lines one of them takes (the lines its text's boxes start on).
LINES_PROBE = """<script>
document.fonts.ready.then(() => {
  const lines = (element) => {
    const tops = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode;
      for (let i = 0; i < text.data.length; i++) {
        const range = document.createRange();
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const rect = range.getBoundingClientRect();
        if (rect.width) tops.push(rect.top);
      }
    }
    tops.sort((a, b) => a - b);
    return tops.filter((top, i) => i === 0 || top > tops[i - 1] + 4).length;
  };
  const most = (selector) => Math.max(...[...document.querySelectorAll(selector)].map(lines));
  const found = {};
  for (const selector of ['h1 .phrase', '.event h2 .when', '.event h2 .title', '.toc .title',
                          '.people .appears a']) {
    found[selector] = most(selector);
  }
  found['h1'] = lines(document.querySelector('h1'));
  document.body.setAttribute('data-probe', JSON.stringify(found));
});
</script>"""


def test_on_a_phone_titles_and_dates_break_between_phrases_not_inside_them(sample, tmp_path):
    """At 390 px a browser broke lines anywhere between CJK characters: 俄羅斯與朝鮮：忽／近忽遠…,
    1950年至1953年　朝／鮮戰爭…, 20世紀50年代中期至60年／代, 金日成掌／權."""
    page = _sample_page(sample, tmp_path, LINES_PROBE)
    found = _probe(page, 390, tmp_path / "profile")
    assert found.pop("h1") == 2  # 俄羅斯與朝鮮：／忽近忽遠的七十餘年
    assert found == dict.fromkeys(found, 1)


#: Reports, for the first event's body, the gap between the figures and the Hangul that
#: follows them in ``1950년``, and each line break's characters either side of it.
KOREAN_PROBE = """<script>
document.fonts.ready.then(() => {
  const text = document.querySelector('.event p').firstChild;
  const box = (start, end) => {
    const range = document.createRange();
    range.setStart(text, start);
    range.setEnd(text, end);
    return range.getBoundingClientRect();
  };
  const at = text.data.indexOf('1950년');
  const gap = box(at + 4, at + 5).left - box(at + 3, at + 4).right;
  const breaks = [];
  for (let i = 1; i < text.data.length; i++) {
    if (box(i, i + 1).top > box(i - 1, i).top + 2) breaks.push(text.data.slice(i - 1, i + 1));
  }
  document.body.setAttribute('data-probe', JSON.stringify({gap, breaks}));
});
</script>"""


def test_korean_figures_meet_hangul_and_lines_break_between_words(write_briefing, tmp_path):
    """Korean writes 1950년 solid and breaks lines at its spaces: the HTML asks the browser
    for no Han–Latin gap there and for ``word-break: keep-all``."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    sentence = "1950년 6월 25일 북한군이 38선을 넘어 남쪽으로 진격하면서 전쟁이 시작되었다. "
    path = write_briefing(f"""
        title: 한국 전쟁
        lang: ko
        events:
          - {{start: 1950-06-25, title: 전쟁 발발, body: "{sentence * 8}"}}
    """)
    page = tmp_path / "ko.html"
    page.write_text(
        briefgen.render_html(briefgen.load(path)).replace("</body>", KOREAN_PROBE + "</body>"),
        encoding="utf-8",
    )
    found = _probe(page, 420, tmp_path / "profile")
    assert abs(found["gap"]) < 0.5, found["gap"]
    assert len(found["breaks"]) >= 5
    for pair in found["breaks"]:
        assert " " in pair, f"a line broke inside a word: {pair!r}"


#: Reports each line break of the title, the headings and the paragraphs, as the characters
#: either side of it.
LINE_BREAKS_PROBE = """<script>
document.fonts.ready.then(() => {
  const breaks = [];
  for (const block of document.querySelectorAll('h1, h2, p')) {
    const chars = [];
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode;
      for (let i = 0; i < text.data.length; i++) {
        const range = document.createRange();
        range.setStart(text, i);
        range.setEnd(text, i + 1);
        const rect = range.getBoundingClientRect();
        chars.push({char: text.data[i], top: rect.top, drawn: rect.width > 0});
      }
    }
    const drawn = chars.filter((c) => c.drawn && c.char.trim());
    for (let i = 1; i < drawn.length; i++) {
      if (drawn[i].top > drawn[i - 1].top + 4) {
        const from = chars.indexOf(drawn[i - 1]);
        breaks.push(chars.slice(from, chars.indexOf(drawn[i]) + 1).map((c) => c.char).join(''));
      }
    }
  }
  document.body.setAttribute('data-probe', JSON.stringify(breaks));
});
</script>"""


def test_on_a_phone_korean_lines_break_between_words_not_beside_a_quote(write_briefing, tmp_path):
    """``word-break: keep-all`` keeps Hangul letters together, but a browser still breaks a
    Korean word beside a bracket or quote inside it: the title broke ``‘협력’`` over ``과
    ‘갈등’을…``, a heading ``“화이트리스트”`` over ``에서``, a paragraph ``한국`` over
    ``(韓國)은``. Each such mark is kept with the letters either side of it."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    sentence = "일본은 ‘협력’과 “화이트리스트”에서 한국(韓國)을 제외하고 (대)한국 수출을 규제했다. "
    path = write_briefing(f"""
        title: "한일 관계 60년: ‘협력’과 ‘갈등’을 오간 외교사"
        lang: ko
        events:
          - start: 2019-07-04
            title: "수출규제와 “화이트리스트”에서 한국 제외"
            body: "{sentence * 6}"
    """)
    page = tmp_path / "ko.html"
    page.write_text(
        briefgen.render_html(briefgen.load(path)).replace("</body>", LINE_BREAKS_PROBE + "</body>"),
        encoding="utf-8",
    )
    for width in (390, 360):
        breaks = _probe(page, width, tmp_path / f"profile-{width}")
        assert len(breaks) >= 8
        for pair in breaks:
            assert any(char.isspace() for char in pair), f"a line broke inside a word: {pair!r}"


#: Reports the colours the page is drawn in: its ground and text, a date, the timeline's marks.
COLOUR_PROBE = """<script>
document.fonts.ready.then(() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  document.body.setAttribute('data-probe', JSON.stringify({
    ground: style('html').backgroundColor,
    text: style('html').color,
    date: style('.event h2 .when').color,
    marks: style('.timeline-chart .marks').fill,
  }));
});
</script>"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_system_set_dark_gets_the_page_dark(sample, tmp_path, scheme):
    page = _sample_page(sample, tmp_path, COLOUR_PROBE)
    dark = ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]
    found = _probe(page, 1000, tmp_path / "profile", *(dark if scheme == "dark" else []))
    ground = luminance(found["ground"])
    assert (ground < 0.05) if scheme == "dark" else (ground > 0.9)
    # Text and dates readable on that ground (WCAG AA: 4.5:1), the marks in the dates' hue.
    for part in ("text", "date"):
        assert contrast(luminance(found[part]), ground) >= 4.5, (part, found)
    assert found["marks"] == found["date"]


def luminance(rgb: str) -> float:
    """WCAG's relative luminance of a CSS ``rgb(r, g, b)``."""
    channels = [int(value) / 255 for value in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


#: Reports how wide the page is laid out against the window, and the font a code block and
#: the paragraph before it are set in.
CODE_PROBE = """<script>
document.fonts.ready.then(() => {
  const root = document.documentElement;
  const font = (selector) => getComputedStyle(document.querySelector(selector)).fontFamily;
  document.body.setAttribute('data-probe', JSON.stringify({
    scrolled: root.scrollWidth, window: root.clientWidth,
    pre: font('.event pre'), code: font('.event p code'), text: font('.event p'),
  }));
});
</script>"""


def test_on_a_phone_fenced_code_wraps_in_the_briefing_s_fonts(write_briefing, tmp_path):
    """A fenced code block kept its long lines whole: the whole page scrolled sideways on a
    phone. And it was set in the browser's monospace font, which drew CJK as empty boxes
    where the system has no CJK font."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    long_line = "這一行非常長" * 12 + " " + "an_identifier_with_no_break_in_it" * 3
    path = write_briefing(f"""
        title: 程式碼
        events:
          - start: 2020
            title: 圍起來的程式碼
            body: |
              一段含`行內程式碼`的文字。

              ```
              {long_line}
              ```
    """)
    page = tmp_path / "code.html"
    page.write_text(
        briefgen.render_html(briefgen.load(path)).replace("</body>", CODE_PROBE + "</body>"),
        encoding="utf-8",
    )
    found = _probe(page, 375, tmp_path / "profile")
    assert found["scrolled"] <= found["window"], found
    assert found["pre"] == found["code"] == found["text"], found


def test_printed_from_the_browser_the_page_is_white(sample, tmp_path):
    """Printed with the browser's background graphics on (as headless Chromium prints), the
    screen's warm ground made a tinted sheet inside the page's white margins."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    page = tmp_path / "sample.html"
    page.write_text(briefgen.render_html(sample), encoding="utf-8")
    printed = tmp_path / "printed.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--proxy-server=127.0.0.1:9",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ],
        env={"HOME": str(tmp_path / "profile"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=120,
        check=True,
    )
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) > 1
        for number, sheet in enumerate(pdf.pages, 1):
            half = sheet.width * sheet.height / 2
            grounds = [
                rect["non_stroking_color"]
                for rect in sheet.rects
                if rect["fill"] and rect["width"] * rect["height"] > half
            ]
            assert all(_white(colour) for colour in grounds), (number, grounds)


def _white(colour: Any) -> bool:
    """Whether a pdfplumber fill colour (grey or RGB, from 0 to 1) is white."""
    return all(channel == 1 for channel in (colour if isinstance(colour, tuple) else (colour,)))


#: Reports the colour drawn behind an event's picture, and the page's ground.
PICTURE_PROBE = """<script>
document.fonts.ready.then(() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  document.body.setAttribute('data-probe', JSON.stringify({
    behind: style('.event img').backgroundColor, ground: style('html').backgroundColor,
  }));
});
</script>"""


def test_on_a_dark_page_a_picture_keeps_a_light_ground(write_briefing, tmp_path):
    """A map drawn for paper, black lines on a transparent ground, vanished into the dark
    page: the picture now has the light page's ground behind it."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    (tmp_path / "map.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20">'
        '<path d="M0 20 L30 0 L60 20" stroke="#000" fill="none"/></svg>',
        encoding="utf-8",
    )
    path = write_briefing("""
        title: 地圖
        events:
          - {start: 1951, title: 戰線, image: map.svg, caption: 戰線圖}
    """)
    page = tmp_path / "map.html"
    page.write_text(
        briefgen.render_html(briefgen.load(path)).replace("</body>", PICTURE_PROBE + "</body>"),
        encoding="utf-8",
    )
    dark = ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"]
    found = _probe(page, 1000, tmp_path / "profile", *dark)
    assert luminance(found["ground"]) < 0.05, found  # the page is dark
    # Black lines at WCAG's 4.5:1 against what is behind them.
    assert contrast(luminance(found["behind"]), 0) >= 4.5, found


#: Reports how wide the page is laid out against the window, and how many lines the date
#: of each event's heading takes.
DATE_PROBE = """<script>
document.fonts.ready.then(() => {
  const root = document.documentElement;
  document.body.setAttribute('data-probe', JSON.stringify({
    scrolled: root.scrollWidth, window: root.clientWidth,
    lines: [...document.querySelectorAll('.event h2 .when')].map(
      (when) => Math.round(when.getBoundingClientRect().height / parseFloat(
        getComputedStyle(when).lineHeight))),
  }));
});
</script>"""


def test_on_a_phone_a_date_longer_than_the_line_breaks_in_its_heading(write_briefing, tmp_path):
    """An event's date was kept on one line however long: a `when` of the writer's own longer
    than a phone's line (or a range of two full dates in a larger type) ran past the page's
    edge, and the whole page scrolled sideways. It breaks now; a date that fits stays whole."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    path = write_briefing("""
        title: 日期
        events:
          - start: 1945
            end: 1950
            when: 第二次世界大戰結束、日本投降以後，一直到朝鮮戰爭在半島上全面爆發之前
            title: 分治
          # A full date fits on a phone's line; a range of two does not (1950年6月25日至／…).
          - {start: 1950-06-25, title: 戰爭}
    """)
    page = tmp_path / "dates.html"
    page.write_text(
        briefgen.render_html(briefgen.load(path)).replace("</body>", DATE_PROBE + "</body>"),
        encoding="utf-8",
    )
    found = _probe(page, 375, tmp_path / "profile")
    assert found["scrolled"] <= found["window"], found
    assert found["lines"][0] > 1 and found["lines"][1] == 1, found


#: Reports where the contents' box ends on the right and where each of its titles does.
CONTENTS_PROBE = """<script>
document.fonts.ready.then(() => {
  const right = (element) => element.getBoundingClientRect().right;
  const list = document.querySelector('.toc ol');
  document.body.setAttribute('data-probe', JSON.stringify({
    edge: right(list) - parseFloat(getComputedStyle(list).paddingRight),
    titles: [...list.querySelectorAll('.title')].map(right),
  }));
});
</script>"""


def test_a_long_date_keeps_the_contents_titles_in_their_box(write_briefing, tmp_path):
    """On a screen wide enough for the contents' two columns, the dates' column was as wide
    as the widest date: a `when` as long as a sentence pushed every title past the right edge
    of the contents' box (and of the page, on a phone held sideways)."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    path = write_briefing("""
        title: 日期
        events:
          - start: 1945
            end: 1950
            when: 第二次世界大戰結束、日本投降以後，一直到朝鮮戰爭在半島上全面爆發之前的這段時間
            title: 分治
          - {start: 1950-06-25, end: 1953-07-27, title: 戰爭}
    """)
    html = briefgen.render_html(briefgen.load(path))
    page = tmp_path / "contents.html"
    page.write_text(html.replace("</body>", CONTENTS_PROBE + "</body>"), encoding="utf-8")
    found = _probe(page, 768, tmp_path / "profile")
    assert max(found["titles"]) <= found["edge"] + 0.5, found
    # Still two columns: the titles line up after the dates.
    page.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    entries = _contents_layout(page, 768, tmp_path / "profile")
    assert len({round(entry["title"]) for entry in entries}) == 1, entries


#: Reports, for each date in the byline and under the sources, how many lines its text takes
#: and whether its box starts with that text (no separator carried over with it).
BYLINE_PROBE = """<script>
document.fonts.ready.then(() => {
  const dates = [...document.querySelectorAll('.byline time, .source-meta time')].map((time) => {
    const text = time.firstChild;
    const tops = new Set();
    let first = null;
    for (let i = 0; i < text.data.length; i++) {
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      const rect = range.getBoundingClientRect();
      first = first || rect;
      tops.add(Math.round(rect.top));
    }
    return {lines: tops.size, lead: first.left - time.getClientRects()[0].left};
  });
  document.body.setAttribute('data-probe', JSON.stringify(dates));
});
</script>"""


def test_on_a_phone_a_byline_s_date_is_kept_whole_after_its_separator(write_briefing, tmp_path):
    """A phone broke the date of the byline or of a source inside (2023年9月／13日); kept
    whole, it would have taken the separator before it (・) to the start of the next line,
    where Chinese and Japanese may not set it."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    # Publishers of every length up to a line: one of their dates meets the line's end.
    sources = "\n".join(
        f"  - {{title: 來源{n}, publisher: {'通訊社' * n}, date: 2023-09-13}}" for n in range(12)
    )
    path = write_briefing(
        "title: 日期\nauthors: [編輯組]\npublisher: 出版社\ndate: 2023-09-13\n"
        f"events:\n  - {{start: 2023, title: 事件}}\nsources:\n{sources}\n"
    )
    page = tmp_path / "byline.html"
    page.write_text(
        briefgen.render_html(briefgen.load(path)).replace("</body>", BYLINE_PROBE + "</body>"),
        encoding="utf-8",
    )
    dates = _probe(page, 375, tmp_path / "profile")
    assert len(dates) == 13
    assert [date["lines"] for date in dates] == [1] * 13, dates
    # Each date's box starts with the date: the separator stays at the end of the line before.
    assert all(abs(date["lead"]) < 0.5 for date in dates), dates


#: Reports the size of the page's text.
SIZE_PROBE = """<script>
document.fonts.ready.then(() => {
  document.body.setAttribute('data-probe', JSON.stringify(
    parseFloat(getComputedStyle(document.querySelector('.summary p')).fontSize)));
});
</script>"""


@pytest.mark.parametrize(("setting", "size"), [(16, 17), (20, 21.25)])
def test_the_text_follows_the_reader_s_text_size_setting(sample, tmp_path, setting, size):
    """The page's text was 17 px whatever the reader's browser was set to: one who had set a
    larger text size, to read at all, got briefgen's instead."""
    page = _sample_page(sample, tmp_path, SIZE_PROBE)
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(
        json.dumps({"webkit": {"webprefs": {"default_font_size": setting}}}), encoding="utf-8"
    )
    assert _probe(page, 1000, profile) == size


#: Reports, for each person's chip under an event, its box inside its border and its link's
#: box (the rectangles its link's text takes, together).
CHIP_PROBE = """<script>
document.fonts.ready.then(() => {
  const chips = [...document.querySelectorAll('.meta li.person-ref')].map((chip) => {
    const outer = chip.getBoundingClientRect();
    const border = (side) => parseFloat(getComputedStyle(chip)[`border${side}Width`]);
    const link = [...chip.querySelector('a').getClientRects()];
    return {
      chip: [outer.left + border('Left'), outer.top + border('Top'),
             outer.right - border('Right'), outer.bottom - border('Bottom')],
      link: [Math.min(...link.map((r) => r.left)), Math.min(...link.map((r) => r.top)),
             Math.max(...link.map((r) => r.right)), Math.max(...link.map((r) => r.bottom))],
    };
  });
  document.body.setAttribute('data-probe', JSON.stringify(chips));
});
</script>"""


@pytest.mark.parametrize("width", [375, 1000])
def test_a_person_s_chip_is_its_link_all_of_it(write_briefing, tmp_path, width):
    """A person's chip under an event was drawn around its link's name with room to spare:
    a tap or a click on that room, inside the chip, went nowhere. The link fills the chip,
    one too long for the line too."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    long_name = "亞歷山大・瓦西里耶維奇・蘇沃洛夫・雷姆尼克斯基伯爵與他的隨行人員全體"
    path = write_briefing(f"""
        title: 人物
        events:
          - {{start: 1950, title: 戰爭, people: [金日成, {long_name}], tags: [冷戰]}}
        people:
          - {{name: 金日成}}
          - {{name: {long_name}}}
    """)
    page = tmp_path / "chips.html"
    page.write_text(
        briefgen.render_html(briefgen.load(path)).replace("</body>", CHIP_PROBE + "</body>"),
        encoding="utf-8",
    )
    chips = _probe(page, width, tmp_path / "profile")
    assert len(chips) == 2
    for chip in chips:
        assert chip["link"] == pytest.approx(chip["chip"], abs=0.5), chip


#: Reports, for each event heading, the first bracket of its title: how far its box starts
#: after the date's text ends and how wide it is, in em of the heading's type.
BRACKET_PROBE = """<script>
document.fonts.ready.then(() => {
  const headings = [...document.querySelectorAll('.event h2')].map((heading) => {
    const size = parseFloat(getComputedStyle(heading).fontSize);
    const title = heading.querySelector('.title');
    const text = document.createTreeWalker(title, NodeFilter.SHOW_TEXT);
    let node, at = -1;
    while ((node = text.nextNode()) && (at = node.data.search(/[「『《]/)) < 0) {}
    const mark = document.createRange();
    mark.setStart(node, at);
    mark.setEnd(node, at + 1);
    const box = mark.getBoundingClientRect();
    const date = document.createRange();
    date.selectNodeContents(heading.querySelector('.when'));
    return {
      after: (box.left - date.getBoundingClientRect().right) / size,
      width: box.width / size,
    };
  });
  document.body.setAttribute('data-probe', JSON.stringify(headings));
});
</script>"""


@pytest.mark.parametrize("lang", ["zh-Hant", "ja"])
def test_a_title_s_opening_bracket_stands_an_em_after_its_date(write_briefing, tmp_path, lang):
    """``2017年9月至11月　「火星12」…``: the full-width space is the em between date and title;
    the bracket's own blank half, before its glyph, made it an em and a half, for the title
    is an inline block, at whose start the browser keeps the mark full width. The bracket is
    set half width there (the font's halt); one inside a title keeps its em."""
    if CHROMIUM is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    path = write_briefing(f"""
        title: 括號
        lang: {lang}
        events:
          - {{start: 2017-09, end: 2017-11, title: 「火星12」試射與制裁}}
          - {{start: 2018-04, title: 《板門店宣言》簽署}}
          - {{start: 2018-09, title: 安理會「第2397號」決議}}
    """)
    page = tmp_path / "brackets.html"
    page.write_text(
        briefgen.render_html(briefgen.load(path)).replace("</body>", BRACKET_PROBE + "</body>"),
        encoding="utf-8",
    )
    first, second, inside = _probe(page, 800, tmp_path / "profile")
    for leading in (first, second):
        assert leading == {
            "after": pytest.approx(1, abs=0.05),
            "width": pytest.approx(0.5, abs=0.05),
        }
    assert inside["width"] == pytest.approx(1, abs=0.05), inside
