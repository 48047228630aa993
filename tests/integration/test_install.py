"""newswire as a user installs it: ``pip install .`` (not editable) into a fresh virtualenv, then
``newswire demo`` from a directory that is not the checkout; the checkout-only commands say in
one line that they need a checkout, and exit 2."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.commands import run_newswire
from tools import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.model]

#: What a wheel is built from (the Dockerfile copies the same).
SOURCES = ("pyproject.toml", "README.md", "config", "services", "streams")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The ``bin`` folder of a fresh virtualenv with newswire installed from a copy of the
    sources. Its dependencies are this test run's own (a ``.pth`` file points at them): the test
    builds and installs newswire itself, not spaCy and its model again."""
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "newswire-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(source)],
        check=True,
        timeout=600,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    yield venv / "bin"


def run(installed: Path, *args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return run_newswire(*args, cwd=cwd, timeout=timeout, program=[str(installed / "newswire")])


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "python"), "-c", "import streams, config; print(streams.__file__, config.DATA_DIR)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in where and str(installed.parent) in where
    assert (Path(where.split()[1]) / "samples" / "articles.jsonl").is_file()  # package data shipped


def test_newswire_demo_runs_from_a_plain_install(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "demo", cwd=tmp_path, timeout=420)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    match = re.search(r"(\d+)/(\d+) inputs accounted for", result.stdout)
    assert match and match[1] == match[2], result.stdout[-3000:]


@pytest.mark.parametrize("command", ["bench", "eval", "eval-dedup"])
def test_checkout_only_commands_say_they_need_a_checkout(
    installed: Path, tmp_path: Path, command: str
) -> None:
    result = run(installed, command, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert f"newswire {command} needs a source checkout" in line
