"""Golden test: build the fixture archive and diff the whole output against the committed copy.

The expected site lives in tests/golden/archief/. When a change to the output is intended,
regenerate it on purpose and review the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import filecmp
import json
import os
import shutil
from pathlib import Path

from conftest import ROOT, run_build

FIXTURE = ROOT / "tests" / "fixtures" / "archief"
GOLDEN = ROOT / "tests" / "golden" / "archief"


def compared_files(site: Path) -> dict[str, Path]:
    """Every file of the built site except the Pagefind bundle and the copied static files."""
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*"))
            if p.is_file() and p.relative_to(site).parts[0] not in ("pagefind", "static")}


def test_fixture_site_matches_golden(tmp_path):
    output = tmp_path / "site"
    result = run_build("build", "--config", str(FIXTURE / "config.yaml"), "--output", str(output))
    assert result.returncode == 0, result.stderr
    built = compared_files(output)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, path in built.items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, GOLDEN / name)
    expected = compared_files(GOLDEN)
    assert sorted(built) == sorted(expected), "pages added or missing"
    diffs = []
    for name, path in built.items():
        have, want = path.read_text(encoding="utf-8"), expected[name].read_text(encoding="utf-8")
        if have != want:
            diffs.extend(difflib.unified_diff(want.splitlines(), have.splitlines(), f"golden/{name}", f"built/{name}",
                                              lineterm="", n=1))
    assert not diffs, "\n".join(diffs[:200])

    # The search bundle is there and indexes every page of the fixture but the 404 and search pages,
    # the seven lists (/, /verslagen/, /partijen/, ...) and the /data/ page.
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert entry["languages"]["nl"]["page_count"] == len([n for n in built if n.endswith(".html")]) - 2 - 7 - 1
    # Static files are copied unchanged.
    assert not filecmp.dircmp(ROOT / "static", output / "static").diff_files
