"""Bad input never crashes the build, never puts script on a page, and never breaks the published site."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, run_build
from kamerarchief.config import load_config
from kamerarchief.errors import BuildError
from kamerarchief.pipeline import check
from test_invalid import make_project

LETTER = "content/verslagen/kst-19637-H/brieven/2021-07-08-commissie.md"
VERSLAG = "content/verslagen/kst-19637-H/verslag.yaml"


# No traceback, whatever the editor types ------------------------------------------------------

yaml_like = st.text(alphabet=st.sampled_from(list("abcdeklmnpstv:-[]{}'\"#&*!|>%@`,?\n \t019.\\/<^()")), max_size=300)
markdown_pieces = st.sampled_from(list("ab c[]()^:*_#`<>!\\\n-=|~&;/.0123456789")
                                  + ["persoon:", "bron:", "brief:", "javascript:", "[^1]", "\n[^1]: ", "](", "\n## "])
markdown_like = st.lists(markdown_pieces, max_size=120).map("".join)


def _load_must_not_crash(project: Path) -> None:
    config = load_config(project / "config.yaml")
    try:
        check(config)
    except BuildError as exc:
        for error in exc.errors:
            assert re.match(r"^[^:]+:\d+(:\d+)?: .+", str(error)), str(error)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=yaml_like, target=st.sampled_from([VERSLAG, "content/partijen.yaml", "content/personen.yaml",
                                               "content/bronnen.yaml", LETTER]))
def test_random_yaml_never_gives_a_traceback(tmp_path_factory, text, target):
    project = make_project(tmp_path_factory.mktemp("p"), None)
    if target == LETTER:
        text = f"---\n{text}\n---\nTekst.\n"
    (project / target).write_text(text, encoding="utf-8")
    _load_must_not_crash(project)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=markdown_like)
def test_random_markdown_never_gives_a_traceback(tmp_path_factory, body):
    project = make_project(tmp_path_factory.mktemp("p"), None)
    letter = project / LETTER
    header = letter.read_text(encoding="utf-8").split("---\n")[1]
    letter.write_text(f"---\n{header}---\n{body}\n", encoding="utf-8")
    _load_must_not_crash(project)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200))
def test_random_bytes_never_give_a_traceback(tmp_path_factory, data):
    project = make_project(tmp_path_factory.mktemp("p"), None)
    (project / "content/dossiers.yaml").write_bytes(data)
    _load_must_not_crash(project)


# BOM and CRLF ---------------------------------------------------------------------------------

def test_bom_and_crlf_give_the_same_site(tmp_path):
    plain = make_project(tmp_path / "a", None)
    windows = make_project(tmp_path / "b", None)
    for path in (windows / "content").rglob("*"):
        if path.suffix in (".yaml", ".md"):
            text = path.read_text(encoding="utf-8")
            path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert run_build(cwd=plain).returncode == 0
    result = run_build(cwd=windows)
    assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(plain / "site") for p in (plain / "site").rglob("*") if p.is_file())
    for name in files:
        assert (windows / "site" / name).read_bytes() == (plain / "site" / name).read_bytes(), name


# No script from content -----------------------------------------------------------------------

def test_content_cannot_put_script_on_a_page(tmp_path):
    project = make_project(tmp_path, None)
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    registry = project / "content/partijen.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "naam: GroenLinks", f"naam: GroenLinks\n  aliassen: ['{hostile}']\n  toelichting: '{hostile}'")
        + f"boos:\n  afkorting: 'B\" onmouseover=\"alert(3)'\n  naam: '{hostile}!'\n", encoding="utf-8")
    sources = project / "content/bronnen.yaml"
    sources.write_text(sources.read_text(encoding="utf-8") + f"  toelichting: '{hostile}'\n  url: 'https://x.example/\"><script>alert(4)</script>'\n",
                       encoding="utf-8")
    letter = project / LETTER
    letter.write_text(letter.read_text(encoding="utf-8") + f"\n{hostile}\n\n<iframe src=javascript:alert(5)></iframe>\n\n"
                      "[link](https://x.example/\"onclick=\"alert(6)) `<script>`\n", encoding="utf-8")
    result = run_build(cwd=project)
    assert result.returncode == 0, result.stderr
    allowed_scripts = {"/static/zoeken.js", "/static/markeer.js"}
    for page in (project / "site").rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        for tag, attributes in _tags(page.read_text(encoding="utf-8")):
            where = f"{page.relative_to(project)}: <{tag} {attributes}>"
            assert tag not in ("iframe", "img", "object", "embed", "form") or tag == "form" and attributes.get("action") == "/zoeken/", where
            # Scripts run come from the site; a page's facets are data that no browser runs.
            assert tag != "script" or attributes.get("src") in allowed_scripts or (
                attributes == {"type": "application/json", "data-zoekfacetten": None}), where
            assert not any(name.startswith("on") for name in attributes), where
            for name in ("href", "src", "action"):
                value = (attributes.get(name) or "").strip().lower()
                assert not value.startswith(("javascript:", "data:", "vbscript:")), where
        text = page.read_text(encoding="utf-8")
        assert "alert(" not in _visible_script_text(text)
        for data in re.findall(r'<script type="application/json" data-zoekfacetten>(.*?)</script>', text, re.S):
            assert "<" not in data and isinstance(json.loads(data), dict), page  # cannot end the element
    # In the feeds the same text is character data: well-formed, and only Atom's own elements.
    import xml.etree.ElementTree as ElementTree

    names = {"{http://www.w3.org/2005/Atom}" + n for n in ("feed", "id", "title", "subtitle", "link", "updated",
                                                          "author", "name", "rights", "generator", "entry",
                                                          "published", "summary")}
    names.add("{http://purl.org/dc/terms/}bibliographicCitation")
    for feed in (project / "site").rglob("feed.xml"):
        assert {element.tag for element in ElementTree.parse(feed).iter()} <= names, feed


def _tags(html: str) -> list[tuple[str, dict]]:
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collector().feed(html)
    return found


def _visible_script_text(html: str) -> str:
    """The text inside <script> elements that run (none may come from content)."""
    return "".join(re.findall(r"<script(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S))


# Killed and interrupted builds ----------------------------------------------------------------

def _snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def _start_build(project: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _interrupt_midway(project: Path, sig: int) -> tuple[bool, subprocess.Popen]:
    """Start a build and send `sig` once its staging folder exists; (caught midway, process)."""
    staging = project / ".site.staging"
    process = _start_build(project)
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline:
        if staging.exists():
            process.send_signal(sig)
            process.wait(timeout=30)
            return True, process
        time.sleep(0.0005)
    process.wait(timeout=30)
    return False, process


def _changed_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path, None)
    assert run_build(cwd=project).returncode == 0
    letter = project / LETTER
    letter.write_text(letter.read_text(encoding="utf-8").replace("vraagt uw aandacht", "VRAAGT UW AANDACHT"),
                      encoding="utf-8")
    return project


def test_a_killed_build_leaves_the_previous_site_intact(tmp_path):
    project = _changed_project(tmp_path)
    before = _snapshot(project / "site")
    caught = 0
    for _ in range(10):
        midway, _process = _interrupt_midway(project, signal.SIGKILL)
        if midway:
            caught += 1
            assert _snapshot(project / "site") == before
    assert caught, "the build finished each time before it could be killed"
    # The next build clears what the killed one left and publishes the change.
    assert run_build(cwd=project).returncode == 0
    assert "VRAAGT UW AANDACHT" in (project / "site/verslagen/kst-19637-H/2021-07-08-commissie/index.html").read_text()
    # No staging folder left; the spare is the site this build replaced, kept for the next one.
    assert [p.name for p in project.glob(".site.*")] == [".site.spare"]


def test_ctrl_c_stops_the_build_and_leaves_the_previous_site_intact(tmp_path):
    project = _changed_project(tmp_path)
    before = _snapshot(project / "site")
    for _ in range(10):
        midway, process = _interrupt_midway(project, signal.SIGINT)
        if midway and process.returncode == 130:
            assert "the previous site is unchanged" in process.stderr.read()
            assert _snapshot(project / "site") == before
            assert not (project / ".site.staging").exists()
            return
    raise AssertionError("could not interrupt a build midway")
