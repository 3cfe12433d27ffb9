"""A built wheel, installed into a fresh virtual environment, works from any folder."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*map(str, args)], capture_output=True, text=True, timeout=600, **kwargs)


def running_site_dirs() -> list[str]:
    """The site-packages folders of the Python running the tests, in the order it searches them.

    Inside a virtual environment these are the environment's own folders (plus the base
    interpreter's when it was made with --system-site-packages), not only the base interpreter's.
    """
    dirs = [site.getusersitepackages()] if site.ENABLE_USER_SITE else []
    dirs += site.getsitepackages()
    dirs += [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    return [d for d in dict.fromkeys(dirs) if os.path.isdir(d)]


# Runs at the start-up of the new environment, from a .pth file in its site-packages. It adds
# the folders above with site.addsitedir, so their own .pth files (editable installs, ...) are
# processed too, then puts whatever that added after the entries that were already there: the
# new environment's own site-packages, and so the wheel's briefgen, always come first, even if
# an outer .pth file inserts at the front of sys.path.
SITE_HOOK = """\
import site, sys
_before = list(sys.path)
for _dir in {dirs!r}:
    site.addsitedir(_dir)
sys.path[:] = _before + [p for p in sys.path if p not in _before]
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("wheel")
    # No build isolation: hatchling comes with the test extras, so nothing is downloaded.
    result = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--wheel-dir",
        outdir,
        REPO,
    )
    assert result.returncode == 0, result.stderr
    [built] = outdir.glob("briefgen-*.whl")
    return built


def test_wheel_carries_templates_fonts_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "fonts", "data"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file():
                assert f"briefgen/_resources/{path.relative_to(REPO)}" in names


def test_installed_wheel_builds_from_another_folder(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    # The new environment sees this one's packages only for briefgen's dependencies
    # (WeasyPrint & co.), so the test needs no network; briefgen itself comes from the wheel.
    # Not with system_site_packages=True: that exposes the BASE interpreter's site-packages,
    # which is this one only when the tests run outside a virtual environment. Run from a venv
    # (as the README suggests), the dependencies live in that venv and the base interpreter
    # may have none of them ("No module named 'uharfbuzz'"). So the new environment is
    # isolated, and a .pth file in its site-packages appends the running interpreter's
    # site-packages folders, after its own.
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    where_site = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    assert where_site.returncode == 0, where_site.stderr
    env_site = Path(where_site.stdout.strip())
    assert env_site.is_relative_to(env_dir) and env_site.is_dir(), env_site
    (env_site / "_briefgen_test_outer_site.py").write_text(
        SITE_HOOK.format(dirs=running_site_dirs()), encoding="utf-8"
    )
    (env_site / "_briefgen_test_outer_site.pth").write_text(
        "import _briefgen_test_outer_site\n", encoding="utf-8"
    )
    # --ignore-installed: where the outer environment already has briefgen (CI installs it
    # with `pip install .`, a developer perhaps with `pip install -e .`), the .pth file makes
    # it visible here, and pip would otherwise call the wheel "already satisfied" and skip it.
    install = run(
        python, "-m", "pip", "install", "--no-index", "--no-deps", "--ignore-installed", wheel
    )
    assert install.returncode == 0, install.stderr
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    clean_env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    where = run(
        python,
        "-c",
        "import briefgen, briefgen.resources as r; "
        "print(briefgen.__file__); print(r.resource_root())",
        cwd=workdir,
        env=clean_env,
    )
    assert where.returncode == 0, where.stderr
    module_file, root = where.stdout.split()
    assert module_file.startswith(str(env_dir)) and root.startswith(str(env_dir))
    build = run(
        env_dir / "bin" / "briefgen",
        "build",
        "--format",
        "pdf",
        "--format",
        "epub",
        cwd=workdir,
        env=clean_env,
    )
    assert build.returncode == 0, build.stderr
    assert build.stdout.split() == ["out/russia-north-korea.pdf", "out/russia-north-korea.epub"]
    assert (workdir / "out" / "russia-north-korea.pdf").read_bytes().startswith(b"%PDF-")


def test_the_sdists_tests_find_all_they_import(tmp_path):
    """An sdist carries the tests, so a packager can run them on the unpacked source: each
    test module must import, helpers such as bench/generate.py included."""
    built = run(sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", tmp_path, cwd=REPO)
    assert built.returncode == 0, built.stderr
    [sdist] = tmp_path.glob("briefgen-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    [unpacked] = (path for path in tmp_path.iterdir() if path.is_dir())
    env = {**os.environ, "PYTHONPATH": str(unpacked / "src")}
    collected = run(
        sys.executable,
        "-m",
        "pytest",
        "--collect-only",
        "-q",
        "-n",
        "0",
        "-p",
        "no:cacheprovider",
        cwd=unpacked,
        env=env,
    )
    assert collected.returncode == 0, collected.stdout[-3000:]
