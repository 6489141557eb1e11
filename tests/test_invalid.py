"""Invalid content, one folder per case under tests/invalid/: the exact errors it must print.

Each case folder holds files that replace or add to the valid archive in tests/invalid/_base/
(content/...) and `expected.txt`, the exact standard error of `build.py check` and `build.py build`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_build

CASES_DIR = ROOT / "tests" / "invalid"
BASE = CASES_DIR / "_base"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir() and not p.name.startswith("_"))


def make_project(tmp_path: Path, case: Path | None) -> Path:
    """The base archive with the case's files laid over it, and a config using the real templates."""
    project = tmp_path / "project"
    shutil.copytree(BASE, project)
    if case is not None and (case / "content").is_dir():
        shutil.copytree(case / "content", project / "content", dirs_exist_ok=True)
    (project / "config.yaml").write_text(
        f"templates: {ROOT / 'templates'}\nstatic: {ROOT / 'static'}\n", encoding="utf-8")
    return project


def test_the_base_archive_is_valid(tmp_path):
    result = run_build("build", cwd=make_project(tmp_path, None))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_invalid_content_prints_exactly_its_errors(case, tmp_path):
    project = make_project(tmp_path, case)
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    for command in ("check", "build"):
        result = run_build(command, cwd=project)
        assert (result.returncode, result.stderr) == (1, expected), f"{command}:\n{result.stderr}"
        assert result.stdout == ""
    assert not (project / "site").exists()
    assert not list(project.glob(".site*"))
