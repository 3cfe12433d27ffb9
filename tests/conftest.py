"""Shared fixtures: the sample briefing, small briefing files, and running the CLI."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

import briefgen

REPO = Path(__file__).resolve().parents[1]

#: The 13 period labels of the sample, as they must read in every output.
SAMPLE_PERIODS = [
    "1945年至1948年",
    "1950年至1953年",
    "20世紀50年代中期至60年代",
    "20世紀70年代",
    "20世紀80年代",
    "20世紀90年代",
    "2000年代初",
    "2000年代中後期",
    "2011年至2012年",
    "2016年至2017年",
    "2018年至2019年",
    "2022年",
    "2023年9月12日",
]
SAMPLE_PEOPLE = [
    "金日成",
    "金正日",
    "金正恩",
    "普京",
    "戈爾巴喬夫",
    "葉利欽",
    "梅德韋傑夫",
    "特朗普",
    "紹伊古",
]


@pytest.fixture(scope="session")
def sample() -> briefgen.Briefing:
    return briefgen.load(briefgen.sample_path())


@pytest.fixture
def write_briefing(tmp_path: Path):
    """Write YAML (dedented) to ``tmp_path/name`` and return its path."""

    def write(text: str, name: str = "briefing.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


def run_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m briefgen ARGS`` in a subprocess, as a user would run it."""
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


class EditorLoader(yaml.SafeLoader):
    """YAML as editors' language servers read it (YAML 1.2 core schema): a date is a string,
    not a timestamp."""


EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def as_editor_reads(text: str) -> object:
    return yaml.load(text, Loader=EditorLoader)


def pypdf_pages(pdf: bytes) -> list[str]:
    """Each page's text as pypdf extracts it."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def pdftotext_pages(pdf: bytes) -> list[str]:
    """Each page's text as poppler's pdftotext extracts it (a second, independent reader)."""
    run = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return run.stdout.decode("utf-8").split("\f")[:-1]  # a form feed ends every page


#: Both readers, as test parameters; pdftotext's skip where poppler is not installed.
READERS = [
    pytest.param(pypdf_pages, id="pypdf"),
    pytest.param(
        pdftotext_pages,
        id="pdftotext",
        marks=pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler"),
    ),
]
