"""Shared fixtures: the project paths, a built copy of the real archive, a server and a browser."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests run the same examples every time, so that a run fails only for a change
# (locally they explore new ones each run).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT / "sources" / "kst-19637-H.txt"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-quic",
]


def run_build(*args: str, cwd: Path = ROOT, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run build.py as a user would, from `cwd`."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def empty_project(folder: Path) -> Path:
    """A project with the templates, static files and config but no content (for imports)."""
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "config.yaml", folder / "config.yaml")
    return folder


def imported_project(folder: Path, source: Path) -> Path:
    """An empty project (empty_project) into which `source` was imported with `build.py import`;
    the import's report is kept in it as import-report.txt."""
    project = empty_project(folder)
    result = run_build("import", str(source), "--content", "content", cwd=project)
    assert result.returncode == 0, result.stderr
    project.joinpath("import-report.txt").write_text(result.stdout, encoding="utf-8")
    return project


def build_into_site(project: Path) -> Path:
    """`build.py build` run in `project`, into its folder site/ (which it returns)."""
    result = run_build("build", "--output", "site", cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    return project / "site"


def run_on_terminal(*args: str, cwd: Path, timeout: int = 60) -> tuple[int, bytes]:
    """Run build.py with its output on a pseudo-terminal, as in an editor's shell: (status, output)."""
    import pty

    main, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, stdout=secondary,
                               stderr=secondary, env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(secondary)
    output = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        output += chunk
    return process.wait(timeout=timeout), output


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project's content, templates, static files and config."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    return tmp_path


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real archive (content/) built once into a temporary folder."""
    output = tmp_path_factory.mktemp("seed") / "site"
    result = run_build("build", "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


def serve_folder(folder: Path):
    """Serve `folder` as a static host would, on a free loopback port; returns (base_url, server)."""
    import functools
    import http.server

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@contextlib.contextmanager
def served(folder: Path):
    """`folder` served on loopback for the length of a with-block; yields its base URL."""
    base, server = serve_folder(folder)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory):
    """The fixture archive (two real verslagen) built and served: (site folder, base URL)."""
    output = tmp_path_factory.mktemp("fixture") / "site"
    result = run_build("build", "--config", str(ROOT / "tests" / "fixtures" / "archief" / "config.yaml"),
                       "--output", str(output))
    assert result.returncode == 0, result.stderr
    base, server = serve_folder(output)
    yield output, base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site):
    with served(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; no browser is downloaded."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'apt-get install -y chromium' (make test does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def search_results(page, expected_count: int | None = None) -> list[str]:
    """The result pages in order (sub-results left out), without the highlight parameter."""
    # Done when no search is running and the message counts as many results as are shown (ten a
    # page at most).
    page.wait_for_function("""(expected) => {
        const message = document.getElementById('zoekmelding');
        if (!message || !message.textContent || document.getElementById('zoeken').getAttribute('aria-busy')) return false;
        const text = message.textContent;
        const count = /^Geen/.test(text) ? 0 : parseInt(text.replace(/[.]/g, ''), 10);  // '1.866 resultaten'
        if (expected !== null && count !== expected) return false;
        return !isNaN(count) && document.querySelectorAll('#resultaten > li').length === Math.min(count, 10);
    }""", arg=expected_count)
    links = page.locator("#resultaten > li > h3 a")
    return [re.sub(r"\?markeer=[^#]*", "", href) for href in
            links.evaluate_all("els => els.map(e => e.getAttribute('href'))")]
