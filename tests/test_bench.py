"""The benchmark's synthetic briefings (bench/generate.py) and the same text for other tools
(bench/content.py): valid, deterministic, and growing as a real text grows."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

import briefgen
from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import content
import generate


@pytest.mark.parametrize("lang", generate.LANGS)
def test_a_synthetic_briefing_loads_without_a_warning(lang, caplog):
    with caplog.at_level(logging.WARNING, logger="briefgen"):
        briefing = briefgen.prepare(briefgen.loads(generate.briefing_yaml(200, lang)))
    assert caplog.records == []
    assert briefing.lang == lang
    assert len(briefing.events) == 200
    assert len(briefing.people) == 5 + 200 // 5
    assert all(event.people for event in briefing.events)
    named = {name for event in briefing.events for name in event.people}
    assert named == {person.name for person in briefing.people[: len(named)]}


def test_the_same_arguments_give_the_same_text_and_a_new_seed_another():
    assert generate.briefing_yaml(50) == generate.briefing_yaml(50)
    assert generate.briefing_yaml(50, seed=1) != generate.briefing_yaml(50)


@pytest.mark.parametrize("lang", generate.LANGS)
def test_the_set_of_characters_grows_with_the_number_of_events(lang):
    counts = [len(set(generate.briefing_yaml(n, lang))) for n in generate.SIZES]
    assert counts == sorted(counts)
    assert counts[2] > 3 * counts[0]  # 1,000 events use several times the 13 events' set


@pytest.mark.parametrize(("lang", "separated"), [("zh-Hant", False), ("ja", False), ("ko", True)])
def test_sentences_are_separated_as_the_language_writes_them(lang, separated):
    """Korean puts a space between sentences (and before a link after one); Chinese and
    Japanese put none."""
    briefing = briefgen.loads(generate.briefing_yaml(30, lang))
    stop = "." if lang == "ko" else "。"
    texts = [event.body for event in briefing.events]
    follows = [text[text.index(stop) + 1] for text in texts if stop in text[:-1]]
    assert follows, texts
    assert all((char == " ") == separated for char in follows if char != "\n"), follows


def test_the_cli_writes_the_file(tmp_path):
    target = tmp_path / "deep" / "b.yaml"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "7", "--lang", "ko", "-o", target],
        check=True,
        capture_output=True,
    )
    assert target.read_text("utf-8") == generate.briefing_yaml(7, "ko")


def test_the_same_text_page_holds_the_text_the_minimal_page_leaves_out():
    briefing = briefgen.loads(generate.briefing_yaml(20))
    page = content.same_text_html(briefing)
    # Each event's headline twice (the contents and the event), its tags, and each person's
    # role and the periods of their events.
    for event in briefing.events:
        assert page.count(event.title) >= 2
        assert all(tag in page for tag in event.tags)
    for person in briefing.people:
        assert person.role is None or person.role in page
    assert len(page) > len(content.minimal_html(briefing))


def test_the_other_tools_get_every_event_title():
    briefing = briefgen.loads(generate.briefing_yaml(20))
    documents = (
        content.minimal_html(briefing),
        content.same_text_html(briefing),
        content.markdown(briefing),
        content.typst(briefing),
    )
    for event in briefing.events:
        assert all(event.title in document for document in documents)


@pytest.mark.slow
def test_the_benchmark_runs_and_prints_its_table(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "13", "--runs", "1",
         "--no-batch", "--no-write", "--workdir", tmp_path],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "| build --format pdf | " in result.stdout
    assert "| PDF / WeasyPrint on its .print.html, tagged | ≤ 1.1 |" in result.stdout
    assert "| PDF / WeasyPrint on its .print.html, untagged |  |" in result.stdout
    assert "| PDF / WeasyPrint on the same text, plain HTML |  |" in result.stdout
    assert "| EPUB in process, after imports | " in result.stdout
    assert "- EPUB of the sample, in process after imports: " in result.stdout
    assert "- `briefgen --help`: " in result.stdout
