"""The package's metadata as pyproject.toml declares it: one version, package data that exists, developer tools
outside the published extras, and a test matrix that fails in CI when a supported Python is missing."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest

import sidecar_stt

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_version_is_written_once_in_the_package() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "sidecar_stt.__version__"}
    assert sidecar_stt.__version__.count(".") == 2


def test_every_package_data_pattern_matches_a_file() -> None:
    for package, patterns in PYPROJECT["tool"]["setuptools"]["package-data"].items():
        folder = ROOT / "src" / package.replace(".", "/")
        for pattern in patterns:
            assert any(p.is_file() for p in folder.glob(pattern)), f"{package}: {pattern!r} matches no file"


def test_developer_tools_are_a_dependency_group_not_a_published_extra() -> None:
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert "dev" not in extras
    tools = " ".join(PYPROJECT["dependency-groups"]["dev"])
    for tool in ("pytest", "ruff", "mypy", "playwright"):
        assert tool in tools
        assert not any(tool in dep for deps in extras.values() for dep in deps)


def test_the_lock_holds_the_dev_group() -> None:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert "--group dev" in lock.splitlines()[1]  # the command it was made with
    for tool in ("pytest", "ruff", "mypy", "playwright"):
        assert f"\n{tool}==" in lock


def test_the_long_description_file_exists_and_opens_without_make() -> None:
    readme = PYPROJECT["project"]["readme"]
    text = (ROOT / readme["file"]).read_text(encoding="utf-8")
    assert readme["content-type"] == "text/markdown"
    assert "make " not in text and "](docs/" not in text and "](examples/" not in text


def _matrix(version: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k != "CI"}
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "test-matrix.sh"), version],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_matrix_skips_a_missing_python_outside_ci() -> None:
    done = _matrix("3.99")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "test-matrix: Python 3.99 is not installed here; skipped" in done.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_the_matrix_fails_in_ci_when_a_supported_python_is_missing(ci: str) -> None:
    done = _matrix("3.99", CI=ci)
    assert done.returncode == 1
    assert "Python 3.99 is not installed here, and CI must run every supported Python" in done.stdout
    assert "test-matrix: failed on Python 3.99 (not installed)" in done.stdout


def test_ci_sets_the_variable_the_matrix_reads() -> None:
    assert "export CI=" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_wheel_named_in_the_docs_is_the_one_the_build_makes() -> None:
    wheel = f"sidecar_stt-{sidecar_stt.__version__}-py3-none-any.whl"  # setuptools' name for a pure wheel
    for doc in (ROOT / "docs" / "PYPI.md", ROOT / "README.md"):
        text = doc.read_text(encoding="utf-8")
        assert wheel in text, f"{doc.name} does not name {wheel}"
