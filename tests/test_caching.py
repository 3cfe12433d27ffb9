"""What briefgen keeps from one build to the next in a process (font subsets, the people
index, the EPUB's cover) changes nothing in the output."""

from __future__ import annotations

import importlib
import itertools
import os
import stat
import sys
from pathlib import Path

import pytest

import briefgen
from briefgen import fonts, markdown
from briefgen.builders import epub_cover
from conftest import REPO, run_cli

sys.path.insert(0, str(REPO / "bench"))
import generate

render_module = importlib.import_module("briefgen.render")
OPTIONS = briefgen.BuildOptions(source_date_epoch=1700000000)


def clear_caches() -> None:
    fonts._kept.clear()
    epub_cover._cover_png.cache_clear()
    render_module._last_indexes[0] = None
    markdown._kept_names_pattern.cache_clear()


def test_a_cached_subset_is_the_subset_cut_afresh():
    text = "俄羅斯與朝鮮：忽近忽遠的七十餘年，1945年至2023年。"
    first = fonts.subset(fonts.SERIF, [text], "ja")
    assert fonts.subset(fonts.SERIF, [text[::-1]], "ja") is first  # same characters: reused
    assert first == fonts._cut_subset(fonts.SERIF, frozenset(text), "ja")
    assert fonts.subset(fonts.SERIF, [text], "zh-Hant") != first  # another language's forms


def test_subsets_cut_on_two_cores_are_those_cut_in_turn(monkeypatch):
    from briefgen import forked

    if not forked.can_fork():
        pytest.skip("no child can be forked here")
    text = "".join(map(chr, range(0x4E00, 0x4E00 + 1500)))  # enough to be worth a child
    wanted = {fonts.SERIF: [text], fonts.SANS_BOLD: [text[: fonts._FORK_FROM]]}
    fonts._kept.clear()
    forks = []
    fork = os.fork
    monkeypatch.setattr(forked.os, "fork", lambda: forks.append(1) or fork())
    fonts.subsets({face: [text[:9]] for face in wanted}, "zh-Hant")
    assert forks == []  # two small subsets: cut in turn
    both = fonts.subsets(wanted, "zh-Hant")
    assert forks == [1]  # the sans's subset was cut in a child
    assert both == {
        face: fonts._cut_subset(face, frozenset("".join(t)), "zh-Hant")
        for face, t in wanted.items()
    }
    assert fonts.subsets(wanted, "zh-Hant") == both  # kept: no child this time
    assert forks == [1]


def test_cached_and_uncached_builds_give_identical_bytes():
    one = briefgen.loads(generate.briefing_yaml(30, seed=1))
    other = briefgen.loads(generate.briefing_yaml(30, "ja", seed=2))
    clear_caches()
    fresh = [briefgen.render_epub(b, OPTIONS) for b in (one, other)]
    fresh_html = [briefgen.render_html(b, OPTIONS) for b in (one, other)]
    # Again, in turns, with everything kept from the builds above.
    for _ in range(2):
        assert [briefgen.render_epub(b, OPTIONS) for b in (one, other)] == fresh
        assert [briefgen.render_html(b, OPTIONS) for b in (one, other)] == fresh_html


def test_a_build_in_a_fresh_process_gives_the_same_epub(tmp_path):
    source = generate.write(12, tmp_path / "b.yaml", seed=3)
    briefgen.build(source, ["epub", "html"], tmp_path / "here", options=OPTIONS)
    briefgen.build(source, ["epub", "html"], tmp_path / "again", options=OPTIONS)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    result = run_cli("build", source, "-f", "epub", "-f", "html", "-o", tmp_path / "fresh", env=env)
    assert result.returncode == 0, result.stderr
    for name in ("b.epub", "b.html"):
        here = (tmp_path / "here" / name).read_bytes()
        assert here == (tmp_path / "again" / name).read_bytes()
        assert here == (tmp_path / "fresh" / name).read_bytes()


def _html_build(source: Path, out: Path, cache: Path, *more: str | Path) -> bytes:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "XDG_CACHE_HOME": str(cache)}
    result = run_cli("build", source, "-f", "html", "-o", out, *more, env=env)
    assert result.returncode == 0, result.stderr
    return (out / f"{source.stem}.html").read_bytes()


def test_compiled_templates_are_kept_between_runs_and_change_nothing(tmp_path):
    source = generate.write(5, tmp_path / "b.yaml", seed=4)
    cache = tmp_path / "cache"
    first = _html_build(source, tmp_path / "one", cache)
    kept = sorted((cache / "briefgen" / "templates").iterdir())
    assert kept  # one per template compiled
    written = {entry: entry.stat().st_ino for entry in kept}
    assert _html_build(source, tmp_path / "two", cache) == first
    assert sorted((cache / "briefgen" / "templates").iterdir()) == kept
    # Each entry was loaded, not compiled afresh: Jinja writes a compiled one anew.
    assert {entry: entry.stat().st_ino for entry in kept} == written
    # Damaged entries are compiled afresh; a cache folder that cannot be made is done without.
    for entry in kept:
        entry.write_bytes(b"j2 not what was written")
    assert _html_build(source, tmp_path / "three", cache) == first
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert _html_build(source, tmp_path / "four", blocked) == first


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
@pytest.mark.parametrize("shared", ["briefgen", "briefgen/templates"])
def test_a_cache_folder_others_could_write_to_is_emptied_and_made_own(tmp_path, shared):
    """A compiled template is code the next build runs: one planted in a cache folder that
    another user could write to would run as this user. The user's own such folder (an
    earlier briefgen made ``briefgen`` writable by the group under a umask of 002, and the
    cache was then never used) is made theirs alone, and what was in it thrown away."""
    source = generate.write(5, tmp_path / "b.yaml", seed=4)
    uncached = _html_build(source, tmp_path / "zero", tmp_path / "elsewhere")
    cache = tmp_path / "cache"
    templates = cache / "briefgen" / "templates"
    templates.mkdir(parents=True)
    planted = templates / "planted"
    planted.write_bytes(b"j2 code another user wrote")
    (cache / shared).chmod(0o777)
    assert _html_build(source, tmp_path / "one", cache) == uncached
    assert stat.S_IMODE((cache / shared).stat().st_mode) == 0o700
    assert not planted.exists()
    assert list(templates.iterdir())  # used, once the user's alone


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_an_entry_others_could_write_is_compiled_afresh(tmp_path):
    """A folder the user made theirs alone after others could write in it may still hold
    entries someone else wrote: such an entry is not run but compiled afresh, and
    written anew as the user's own."""
    source = generate.write(5, tmp_path / "b.yaml", seed=4)
    cache = tmp_path / "cache"
    first = _html_build(source, tmp_path / "one", cache)
    entries = sorted((cache / "briefgen" / "templates").iterdir())
    assert entries
    for entry in entries:
        entry.chmod(0o666)
    assert _html_build(source, tmp_path / "two", cache) == first
    for entry in entries:
        assert not entry.stat().st_mode & (stat.S_IWGRP | stat.S_IWOTH), entry


@pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="POSIX, and a folder of another user"
)
def test_a_cache_folder_of_another_user_is_not_used(tmp_path):
    """Another user's folder is not the user's to tighten: it is left alone, unused."""
    source = generate.write(5, tmp_path / "b.yaml", seed=4)
    cache = tmp_path / "cache"
    templates = cache / "briefgen" / "templates"
    templates.mkdir(parents=True)
    os.chown(cache / "briefgen", 65534, 65534)
    first = _html_build(source, tmp_path / "one", cache)
    assert list(templates.iterdir()) == []
    assert (cache / "briefgen").stat().st_uid == 65534
    os.chown(cache / "briefgen", os.getuid(), os.getgid())
    assert _html_build(source, tmp_path / "two", cache) == first
    assert list(templates.iterdir())


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_the_cache_made_under_a_group_writable_umask_is_used(tmp_path):
    """Under a umask of 002 (Ubuntu's for a user), the briefgen cache folder was made
    writable by the group, as makedirs makes the folders above the last, and the check
    that no one else can write there then left the cache unused on every run."""
    source = generate.write(5, tmp_path / "b.yaml", seed=4)
    cache = tmp_path / "cache"
    umask = os.umask(0o002)
    try:
        _html_build(source, tmp_path / "one", cache)
    finally:
        os.umask(umask)
    assert list((cache / "briefgen" / "templates").iterdir())


def test_an_edited_template_is_compiled_afresh(tmp_path):
    source = generate.write(5, tmp_path / "b.yaml", seed=4)
    cache = tmp_path / "cache"
    own = tmp_path / "own"
    assert run_cli("templates", "export", own).returncode == 0
    page = own / "briefing.html"
    original = page.read_text(encoding="utf-8")
    for marker in ("first-edit", "second-edit"):
        page.write_text(original.replace("<body", f"<!-- {marker} --><body", 1), "utf-8")
        html = _html_build(source, tmp_path / marker, cache, "--templates", own).decode()
        assert f"<!-- {marker} -->" in html
        assert html.count("-edit -->") == 1


def test_a_briefing_kept_and_rendered_again_gets_its_edited_template(tmp_path):
    """A service that keeps a loaded Briefing and renders it for each request, its house
    templates edited meanwhile, kept the template of the first render: the templates were
    checked against their files once per Briefing object, taken for once per build."""
    cover = tmp_path / "house" / "partials" / "cover.html"
    cover.parent.mkdir(parents=True)
    briefing = briefgen.loads("title: 快取\nlang: en\nevents: [{start: 1950, title: Event}]\n")
    for edit in ("first-edit", "second-edit"):
        cover.write_text(
            f'<p class="{edit}">{{% include "!builtin/partials/cover.html" %}}</p>', "utf-8"
        )
        os.utime(cover, ns=(0, len(edit) * 10**9))  # a new time, however quick the edit
        html = briefgen.render_html(briefing, templates=tmp_path / "house")
        assert f'<p class="{edit}">' in html
        assert html.count("-edit") == 1


@pytest.mark.parametrize("name", ["appearances", "keywords", "_names"])
def test_what_every_template_sees_is_worked_out_once_per_briefing(monkeypatch, name):
    """The EPUB fills a template for every event: what each sees of the whole briefing is
    worked out once, not once per template (which grew with the square of the events)."""
    briefing = briefgen.loads(generate.briefing_yaml(30, seed=3))
    clear_caches()
    calls = []
    original = getattr(render_module, name)
    monkeypatch.setattr(render_module, name, lambda *args: calls.append(1) or original(*args))
    briefgen.render_epub(briefing, OPTIONS)
    assert len(calls) == 1


def test_the_names_kept_whole_are_chosen_once_per_briefing(monkeypatch):
    """Which of the people's names are kept on one line is worked out once per briefing,
    not once per template filled: the EPUB fills one for every document, and choosing among
    400 names for each took more of a 1,000-event EPUB's time than the rest together."""
    briefing = briefgen.loads(generate.briefing_yaml(30, seed=3))
    clear_caches()
    calls = []
    original = markdown._kept_whole
    monkeypatch.setattr(markdown, "_kept_whole", lambda name: calls.append(name) or original(name))
    first = briefgen.render_epub(briefing, OPTIONS)
    names = {name for person in briefing.people for name in (person.name, person.alt) if name}
    assert sorted(calls) == sorted(names)
    assert briefgen.render_epub(briefing, OPTIONS) == first


def test_a_cached_template_is_compiled_again_when_a_filter_changes_its_kind(tmp_path):
    """Compiled code passes the template's context to a filter that takes it: a template
    cached while its filter took the value alone, and read back once the filter takes the
    context too, called it the old way and every build failed until the cache was deleted.
    The cache is keyed by how the filters are called, besides the source."""
    import jinja2

    from briefgen.render import _TemplateCache, key_cache_by_compilation

    def made(shout: object) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.DictLoader({"page": "{{ 'hi' | shout }}"}),
            bytecode_cache=_TemplateCache(str(tmp_path)),
        )
        env.filters["shout"] = shout
        key_cache_by_compilation(env)
        return env

    assert made(lambda text: text.upper()).get_template("page").render() == "HI"
    assert len(os.listdir(tmp_path)) == 1  # compiled, and cached

    @jinja2.pass_context
    def shout_in_context(context: jinja2.runtime.Context, text: str) -> str:
        return text.upper() + context.get("mark", "!")

    assert made(shout_in_context).get_template("page").render(mark="?") == "HI?"


def test_covers_drawn_for_many_briefings_are_not_all_kept():
    # A worker draws the cover of briefing after briefing, each of another title: what it
    # keeps for the next build stays the size of a few covers, not of all it drew.
    import dataclasses
    import gc
    import tracemalloc

    briefing = briefgen.loads("title: 標題\nevents: [{start: 1950, title: 事件}]\n")
    # Each title of other characters (so of another font subset), all from 300 of them.
    titles = iter(
        "".join(chr(0x4E00 + (index * 7 + offset * 11) % 300) for offset in range(24))
        for index in range(200)
    )

    def draw(count: int) -> int:
        for title in itertools.islice(titles, count):
            epub_cover.cover_png(dataclasses.replace(briefing, title=title))
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        # Past what is kept of covers and of font subsets (briefgen/fonts.py), then more.
        kept = -draw(70) + draw(32)
    finally:
        tracemalloc.stop()
    assert kept < 100 * 1024


def test_briefings_each_with_templates_of_their_own_are_not_all_kept(tmp_path):
    # A worker builds each briefing in a folder of its own, with the house style copied
    # beside it (`templates: house`): what it keeps for the next build stays the size of
    # a few builds' templates, not of every folder it ever built in.
    import gc
    import tracemalloc

    jobs = iter(range(100))

    def build(count: int) -> int:
        for job in itertools.islice(jobs, count):
            folder = tmp_path / f"job-{job}"
            (folder / "house" / "css").mkdir(parents=True)
            (folder / "house" / "css" / "base.css").write_text(
                '{% include "!builtin/css/base.css" %}\nh1 { color: #800 }\n', encoding="utf-8"
            )
            source = folder / "briefing.yaml"
            source.write_text(
                "title: 標題\ntemplates: house\nevents: [{start: 1950, title: 事件}]\n",
                encoding="utf-8",
            )
            briefgen.render_html(briefgen.load(source))
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    tracemalloc.start()
    try:
        kept = -build(12) + build(12)
    finally:
        tracemalloc.stop()
    assert kept < 300 * 1024


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_folder_swapped_for_a_link_while_tightened_leaves_its_target_alone(
    tmp_path, monkeypatch
):
    """Someone who can write beside the cache folder could put a link to another of the
    user's folders in its place just after briefgen has looked at it: tightening it then
    took that folder from its group. The link is not followed, and the cache not used."""
    cache = tmp_path / "cache"
    shared = cache / "briefgen"
    (shared / "templates").mkdir(parents=True)
    shared.chmod(0o777)
    theirs = tmp_path / "team"
    theirs.mkdir()
    theirs.chmod(0o755)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))

    def swapped(change):
        def swap_then_change(target, *args, **kwargs):
            if not shared.is_symlink():
                os.rename(shared, cache / "moved")
                os.symlink(theirs, shared)
            return change(target, *args, **kwargs)

        return swap_then_change

    # The link put in place just before the folder's mode is changed, by name or not.
    monkeypatch.setattr(os, "chmod", swapped(os.chmod))
    monkeypatch.setattr(os, "fchmod", swapped(os.fchmod))
    cached = render_module.template_cache()
    monkeypatch.undo()
    assert stat.S_IMODE(theirs.stat().st_mode) == 0o755
    assert cached is None


def test_a_relative_cache_home_is_ignored_not_made_in_the_working_folder(tmp_path, monkeypatch):
    """The XDG specification has a relative XDG_CACHE_HOME ignored: briefgen made its cache
    in whatever folder it ran in, a folder of compiled code in each one a service built in."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert render_module.template_cache() is not None
    assert sorted(path.name for path in tmp_path.iterdir()) == ["home"]
    assert (tmp_path / "home" / ".cache" / "briefgen" / "templates").is_dir()
