"""The typography pipeline: named rules, run on the text the format declares as typeset."""

from __future__ import annotations

import pytest

from briefgen import load, typography


@pytest.fixture
def marking_rule(monkeypatch):
    """A rule that marks every text it is given, registered for the test only."""
    monkeypatch.setattr(typography, "RULES", {"mark": lambda text: f"«{text}»"})


def test_no_rules_leave_the_briefing_as_it_is(sample):
    assert typography.apply(sample) is sample


def test_rules_run_on_text_and_markdown_but_never_on_names(marking_rule, write_briefing):
    briefing = typography.apply(
        load(
            write_briefing("""
        title: 標題
        authors: [作者]
        publisher: 出版社
        summary: 摘要
        events:
          - {start: 1950, title: 事件, body: 內文, people: [金日成], tags: [戰爭], caption: 圖說}
        people:
          - {name: 金日成, alt: Kim Il-sung, role: 領導人}
        sources:
          - {title: 來源, publisher: 美聯社, url: "https://example.org/a", note: 註}
    """)
        )
    )
    assert (briefing.title, briefing.summary) == ("«標題»", "«摘要»")
    assert (briefing.authors, briefing.publisher) == (("作者",), "出版社")
    [event] = briefing.events
    assert (event.title, event.body, event.caption) == ("«事件»", "«內文»", "«圖說»")
    assert (event.people, event.tags, event.when) == (("金日成",), ("戰爭",), None)
    [person] = briefing.people
    assert (person.name, person.alt, person.role) == ("金日成", "Kim Il-sung", "«領導人»")
    [source] = briefing.sources
    assert (source.title, source.publisher, source.url, source.note) == (
        "«來源»",
        "美聯社",
        "https://example.org/a",
        "«註»",
    )


def test_a_rule_can_be_switched_off_by_name(marking_rule, write_briefing):
    briefing = load(write_briefing("title: 標題\nevents: [{start: 1950, title: e}]\n"))
    assert typography.apply(briefing, disabled=["mark"]).title == "標題"
