"""``briefgen check --fix``: the rules' changes written into the file, nothing else changed."""

from __future__ import annotations

import pytest

import briefgen
from briefgen.cli import main
from briefgen.fix import fix_file
from briefgen.typography import findings

SCRAPED = """\
# 從網頁貼上的資料，標點未整理
title: '報告(AP)'   # 單引號保留
subtitle: 2023年 9月
summary: |
  據美聯社(AP)報導,兩國
  宣布"全面合作".

  第二段沒有問題。
events:
  - start: 1950
    title: "戰爭爆發!"
    tags: [戰爭(韓戰)]      # 標籤是名稱，不改
    body: >
      折疊的段落,
      第二行。
people:
  - {name: 金日成, role: 領導人(首任)}
"""

FIXED = """\
# 從網頁貼上的資料，標點未整理
title: '報告（AP）'   # 單引號保留
subtitle: 2023年 9月
summary: |
  據美聯社（AP）報導，兩國宣布「全面合作」。

  第二段沒有問題。
events:
  - start: 1950
    title: "戰爭爆發！"
    tags: [戰爭(韓戰)]      # 標籤是名稱，不改
    body: >
      折疊的段落，第二行。
people:
  - {name: 金日成, role: 領導人（首任）}
"""


def test_fix_changes_only_what_the_rules_change(write_briefing, tmp_path):
    path = write_briefing(SCRAPED)
    changed = fix_file(path)
    assert changed == ["title", "summary", "events[0].title", "events[0].body", "people[0].role"]
    assert path.read_text(encoding="utf-8") == FIXED
    assert (tmp_path / "briefing.yaml.bak").read_text(encoding="utf-8") == SCRAPED
    assert list(findings(briefgen.load(path))) == []


def test_nothing_to_fix_writes_nothing(write_briefing, tmp_path):
    path = write_briefing("title: 乾淨\nevents: [{start: 1950, title: 沒有問題}]\n")
    assert fix_file(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.yaml"]


def test_a_dash_after_a_mark_and_a_space_is_fixed_at_once(write_briefing):
    # The space after 」 is segment-breaks' to drop; the dash after it is the unbreakables'
    # all the same. Fixed in one go, the file needs no second fix, and the PDF shows
    # ——, not the -- that one run of the rules left.
    path = write_briefing("title: 報告\nevents: [{start: 1950, title: 「不知道」 -- 然後走了}]\n")
    assert fix_file(path) == ["events[0].title"]
    assert "title: 「不知道」——然後走了}" in path.read_text(encoding="utf-8")
    assert list(findings(briefgen.load(path))) == []


def test_a_file_with_problems_is_not_touched(write_briefing):
    path = write_briefing("title: 報告(AP)\nevents: []\n")
    with pytest.raises(briefgen.BriefingError):
        fix_file(path)
    assert path.read_text(encoding="utf-8") == "title: 報告(AP)\nevents: []\n"


def test_the_sample_round_trips_unchanged(tmp_path):
    path = tmp_path / "sample.yaml"
    path.write_bytes(briefgen.sample_path().read_bytes())
    assert fix_file(path) == []
    assert path.read_bytes() == briefgen.sample_path().read_bytes()


def test_check_fix_on_the_command_line(write_briefing, tmp_path, monkeypatch, capsys):
    write_briefing(SCRAPED)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "briefing.yaml", "--fix", "--strict"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "briefing.yaml:2:11: title: punctuation-width: 告(A → 告（A"
    assert out[-2] == (
        f"briefing.yaml: fixed: {len(out) - 2} typography changes in 5 fields; the original "
        "is in briefing.yaml.bak"
    )
    assert (tmp_path / "briefing.yaml").read_text(encoding="utf-8") == FIXED
    assert main(["check", "briefing.yaml", "--strict"]) == 0


def test_fix_keeps_every_other_byte_of_the_file(tmp_path):
    """A byte order mark, Windows line ends and a flow list without spaces are the writer's:
    only the changed values are written again."""
    path = tmp_path / "briefing.yaml"
    lines = [
        'title: "測試..."',
        "summary: |",
        '  他說"你好"。',
        "  然後離開...",
        "events:",
        '  - {start: 1950, title: 事件--開始, tags: [戰爭,援助], body: "他說:\\"好\\"。"}',
    ]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([*lines, ""]).encode())
    assert fix_file(path) == ["title", "summary", "events[0].title", "events[0].body"]
    fixed = [
        'title: "測試……"',
        "summary: |",
        "  他說「你好」。然後離開……",  # segment-breaks: no line break inside a paragraph
        "events:",
        '  - {start: 1950, title: 事件——開始, tags: [戰爭,援助], body: "他說：「好」。"}',
    ]
    assert path.read_bytes() == b"\xef\xbb\xbf" + "\r\n".join([*fixed, ""]).encode()
    assert list(findings(briefgen.load(path))) == []
    # Nothing left for a second pass.
    assert fix_file(path) == []


def test_a_second_fix_keeps_the_first_original(write_briefing, tmp_path, capsys):
    path = write_briefing("title: 報告(AP)\nevents: [{start: 1950, title: 沒有問題}]\n")
    first = path.read_text(encoding="utf-8")
    fix_file(path)
    path.write_text(path.read_text(encoding="utf-8").replace("沒有問題", "問題..."))
    second = path.read_text(encoding="utf-8")
    assert main(["check", "--fix", str(path)]) == 0
    assert f"the original is in {path}.bak.2" in capsys.readouterr().out
    assert (tmp_path / "briefing.yaml.bak").read_text(encoding="utf-8") == first
    assert (tmp_path / "briefing.yaml.bak.2").read_text(encoding="utf-8") == second


def test_anchors_and_aliases_are_kept(write_briefing):
    """An anchored value is written once, where it stands, its anchor kept; the alias that
    refers to it reads the fixed text too."""
    path = write_briefing(
        "title: &t 報告(AP)\nsubtitle: *t\nevents:\n  - {start: 1950, title: 好, tags: [甲,乙]}\n"
    )
    assert fix_file(path) == ["title", "subtitle"]
    assert path.read_text(encoding="utf-8") == (
        "title: &t 報告（AP）\nsubtitle: *t\nevents:\n  - {start: 1950, title: 好, tags: [甲,乙]}\n"
    )


FOLDED_WITH_A_LIST = """\
title: t
events:
  - start: 1950
    title: 好
    tags: [甲,乙, "丙(丁)"]
    body: >
      第一段,

        - 條目一,
        - 條目二

      第三段
"""


def test_a_folded_block_with_a_more_indented_line_becomes_a_literal_block(write_briefing):
    """The fold keeps the line breaks around a more-indented line, which no folded block of
    the new text can say in the same lines: a literal block does, and the rest of the file,
    the flow list too, is left as it was."""
    path = write_briefing(FOLDED_WITH_A_LIST)
    before = briefgen.load(path).events[0].body
    assert fix_file(path) == ["events[0].body"]
    fixed = FOLDED_WITH_A_LIST.replace("body: >", "body: |").replace(",\n", "，\n")
    assert path.read_text(encoding="utf-8") == fixed
    assert briefgen.load(path).events[0].body == before.replace(",", "，")


def test_a_block_with_an_indentation_indicator_is_written_double_quoted_in_place(
    write_briefing,
):
    text = "title: t\nevents:\n  - start: 1950\n    title: 好\n    tags: [甲,乙]\n"
    path = write_briefing(text + "    body: |2\n        - 條目一,\n        - 條目二\n")
    assert fix_file(path) == ["events[0].body"]
    fixed = text + '    body: "- 條目一，\\n  - 條目二"\n'
    assert path.read_text(encoding="utf-8") == fixed


def test_a_fix_that_would_not_read_back_leaves_the_file_untouched(write_briefing, monkeypatch):
    """Should the file not read back with the fixed values, and every other value as it was,
    nothing is written."""
    import briefgen.fix

    monkeypatch.setattr(briefgen.fix, "_in_place", lambda text, wanted, double_quoted=(): text)
    path = write_briefing(SCRAPED)
    with pytest.raises(briefgen.BriefgenError, match="the file is unchanged"):
        fix_file(path)
    assert path.read_text(encoding="utf-8") == SCRAPED
    assert [p.name for p in path.parent.iterdir()] == ["briefing.yaml"]


def test_a_file_the_loader_reads_is_fixed_as_it_reads_it(write_briefing):
    """libyaml, which the loader uses where PyYAML has it, takes a ``?`` inside a flow
    mapping that the Python parser refuses: the fix reads the file the same way."""
    path = write_briefing("title: 測試\nevents:\n  - {start: 1961, title: 簽約?, body: x}\n")
    assert fix_file(path) == ["events[0].title"]
    assert "title: 簽約？," in path.read_text(encoding="utf-8")


def test_the_original_is_never_written_through_a_link(write_briefing, tmp_path, capsys):
    """A briefing's folder that holds a link named `briefing.yaml.bak` to a file not yet
    there (`~/.ssh/authorized_keys`) had `check --fix` write the briefing's text to it:
    the folder, from anyone, chose where. The original goes to the next free name."""
    path = write_briefing("title: 報告(AP)\nevents: [{start: 1950, title: 沒有問題}]\n")
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    (tmp_path / "briefing.yaml.bak").symlink_to(elsewhere)
    assert main(["check", "--fix", str(path)]) == 0
    assert f"the original is in {path}.bak.2" in capsys.readouterr().out
    assert not elsewhere.exists()
    assert (tmp_path / "briefing.yaml.bak.2").read_text(encoding="utf-8").startswith("title")


def test_a_briefing_given_as_a_link_is_fixed_where_the_link_leads(write_briefing, tmp_path, capsys):
    """`check --fix current.yaml`, a link to the month's briefing, put a fixed copy in the
    link's place and left the briefing itself unfixed."""
    path = write_briefing("title: 報告(AP)\nevents: [{start: 1950, title: 沒有問題}]\n")
    link = tmp_path / "current.yaml"
    link.symlink_to(path.name)
    assert main(["check", "--fix", str(link)]) == 0
    assert f"the original is in {path}.bak\n" in capsys.readouterr().out
    assert link.is_symlink()
    assert "報告（AP）" in path.read_text(encoding="utf-8")


def test_the_original_keeps_the_briefings_permissions(write_briefing, tmp_path):
    """A briefing only its owner may read was kept in a backup that anyone could read."""
    path = write_briefing("title: 報告(AP)\nevents: [{start: 1950, title: 沒有問題}]\n")
    path.chmod(0o600)
    fix_file(path)
    assert (tmp_path / "briefing.yaml.bak").stat().st_mode & 0o777 == 0o600


def test_check_fix_tells_each_warning_once(write_briefing, tmp_path, monkeypatch, capsys):
    """check tells a warning when it reads the file; the fix reads it again, and reads the
    fixed text back, and neither may tell it again (with the counts of the file before)."""
    write_briefing("""
        title: 韓戰
        events:
          - start: 1950
            title: 爆發
            body: 他說"走吧",然後"來吧"與"去吧。（未閉合
    """)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "briefing.yaml", "--fix"]) == 0
    told = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert told == [
        'warning: briefing.yaml:5:25: events[0].body: unpaired-marks: " is not paired: the '
        "paragraph has 5 straight quotes",
        "warning: briefing.yaml:5:29: events[0].body: unpaired-marks: （ is not closed: no ） "
        "after it",
    ]


def test_a_fix_of_a_briefing_with_errors_says_nothing_was_written(write_briefing, capsys):
    """A briefing that cannot be read is listed problem by problem; with --fix, a last line
    says the file was left as it was, where the user saw the problems and no word of the
    fixes they asked for."""
    path = write_briefing('title: 報告(AP)\nevents: [{start: 2020-13, title: 他說"好"}]\n')
    before = path.read_bytes()
    assert main(["check", "--fix", str(path)]) == 1
    told = capsys.readouterr().err
    assert "events[0].start: expected a real calendar date" in told
    assert told.rstrip().endswith(
        f"briefgen: --fix: nothing was written to {path}: mend the problems above, then run "
        "check --fix again"
    )
    assert path.read_bytes() == before
    # Without --fix, the problems alone, as before.
    assert main(["check", str(path)]) == 1
    assert "nothing was written" not in capsys.readouterr().err
