"""A built wheel, installed into a fresh virtual environment, works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.slow


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*map(str, args)], capture_output=True, text=True, timeout=600,
                          **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    outdir = tmp_path_factory.mktemp("wheel")
    # No build isolation: hatchling comes with the test extras, so nothing is downloaded.
    result = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "--wheel-dir", outdir, REPO)
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
    venv.create(env_dir, with_pip=True, system_site_packages=True)
    python = env_dir / "bin" / "python"
    # --ignore-installed: where the outer environment already has briefgen (CI installs it
    # with `pip install .`), pip would otherwise call the wheel "already satisfied" and skip it.
    install = run(python, "-m", "pip", "install", "--no-index", "--no-deps", "--ignore-installed",
                  wheel)
    assert install.returncode == 0, install.stderr
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    clean_env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    where = run(python, "-c", "import briefgen, briefgen.resources as r; "
                "print(briefgen.__file__); print(r.resource_root())", cwd=workdir, env=clean_env)
    assert where.returncode == 0, where.stderr
    module_file, root = where.stdout.split()
    assert module_file.startswith(str(env_dir)) and root.startswith(str(env_dir))
    build = run(env_dir / "bin" / "briefgen", "build", "--format", "pdf", "--format", "epub",
                cwd=workdir, env=clean_env)
    assert build.returncode == 0, build.stderr
    assert build.stdout.split() == ["out/russia-north-korea.pdf", "out/russia-north-korea.epub"]
    assert (workdir / "out" / "russia-north-korea.pdf").read_bytes().startswith(b"%PDF-")
