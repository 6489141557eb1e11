"""The live preview, end to end: `build.py serve` in a copy of the fixture archive, edited as an editor
would; and in Chromium, an open page that reloads itself and shows the errors of a broken edit."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from searchindex import what_search_finds

FIXTURE = ROOT / "tests" / "fixtures" / "archief"
LETTER = "content/verslagen/kst-19637-H/brieven/2021-07-08-commissie.md"
LETTER_URL = "/verslagen/kst-19637-H/2021-07-08-commissie/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wait_for(condition, timeout: float = 40.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Server:
    """`build.py serve` running in a project folder, with its terminal output collected."""

    def __init__(self, project: Path):
        self.project = project
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = project / "serve.log"
        self.process = subprocess.Popen(
            [sys.executable, "-u", str(ROOT / "build.py"), "serve", "--port", str(self.port)], cwd=project,
            stdout=self.log.open("w"), stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        wait_for(lambda: "Serving on" in self.output(), what="the server to start")

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.project / path
        text = file.read_text(encoding="utf-8")
        assert old in text
        file.write_text(text.replace(old, new), encoding="utf-8")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=15)


@pytest.fixture
def server(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("site"))
    config = project / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("../../../", f"{ROOT}/"), encoding="utf-8")
    running = Server(project)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def test_an_edit_is_served_a_broken_edit_is_reported_and_a_fix_recovers(server):
    status, page = fetch(server.url + LETTER_URL)
    assert status == 200 and "vraagt uw aandacht voor het volgende" in page
    assert "/__livereload" in page  # the reload script is added as the page is served ...
    assert "__livereload" not in (server.project / "site" / LETTER_URL.strip("/") / "index.html").read_text()  # ... not written

    server.edit(LETTER, "vraagt uw aandacht voor het volgende", "vraagt uw bijzondere aandacht voor het volgende")
    wait_for(lambda: "uw bijzondere aandacht" in fetch(server.url + LETTER_URL)[1], what="the edit to be served")
    # The feeds that list the letter (its first paragraph is their summary) and the data follow.
    for url in ("/feed.xml", "/partijen/pvv/feed.xml", "/data/verslagen/kst-19637-H.json"):
        assert "uw bijzondere aandacht" in fetch(server.url + url)[1], url

    server.edit(LETTER, "partij:vvd", "partij:vvvd")
    wait_for(lambda: "unknown partij 'vvvd'" in server.output(), what="the error in the terminal")
    assert f"{LETTER}:15: unknown partij 'vvvd' in link 'partij:vvvd' (did you mean 'vvd'?)" in server.output()
    status, page = fetch(server.url + LETTER_URL)
    assert status == 200 and "uw bijzondere aandacht" in page  # the last good page

    server.edit(LETTER, "partij:vvvd", "partij:vvd")
    server.edit(LETTER, "uw bijzondere aandacht", "uw dringende aandacht")
    wait_for(lambda: "uw dringende aandacht" in fetch(server.url + LETTER_URL)[1], what="recovery")
    assert server.stop() == 0
    assert "Stopped." in server.output()


def test_template_and_config_errors_do_not_stop_the_server(server):
    templates = server.project / "templates"
    shutil.copytree(ROOT / "templates", templates)
    config = server.project / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace(f"{ROOT}/templates", "templates"), encoding="utf-8")
    wait_for(lambda: "Rebuilt everything" in server.output(), what="a rebuild after the config change")

    server.edit("templates/brief.html", "{{ letter.addressee }}", "{{ letter.addressee | nosuchfilter }}")
    line = (templates / "brief.html").read_text(encoding="utf-8").split("\n").index(
        next(l for l in (templates / "brief.html").read_text(encoding="utf-8").split("\n") if "nosuchfilter" in l)) + 1
    wait_for(lambda: f"templates/brief.html:{line}: template error" in server.output(), what="the template error")
    server.edit("templates/brief.html", "{{ letter.addressee | nosuchfilter }}", "Geadresseerd: {{ letter.addressee }}")
    wait_for(lambda: "Geadresseerd: Aan de" in fetch(server.url + LETTER_URL)[1], what="the fixed template")

    config.write_text(config.read_text(encoding="utf-8") + "titel: typo\n", encoding="utf-8")
    wait_for(lambda: "unknown field 'titel' in config (did you mean 'title'?)" in server.output(), what="config error")
    assert fetch(server.url + "/")[0] == 200


def test_only_files_under_the_site_are_served(server):
    for path in ("/../config.yaml", "/%2e%2e/config.yaml", "/static/../../config.yaml", "/..%2fconfig.yaml"):
        status, body = fetch(server.url + path)
        assert status == 404 and "Kamerarchief" in body and "title:" not in body, path


def test_search_in_preview_finds_what_was_just_written(server):
    server.edit(LETTER, "vraagt uw aandacht", "vraagt uw aandacht inzake zeldzaamwoordtest")
    wait_for(lambda: "Search index refreshed." in server.output(), what="the index to refresh")
    # One page changed: it is in the overlay bundle, and the kept bundle's copy is out of date.
    found = what_search_finds(server.project / "site" / "pagefind")
    assert "zeldzaamwoordtest" in found[LETTER_URL]["content"]
    assert (server.project / "site" / "pagefind" / "bijgewerkt").is_dir()


def test_open_page_reloads_after_an_edit_and_shows_errors_of_a_broken_one(server, page):
    page.goto(server.url + LETTER_URL)
    page.wait_for_function("() => true")
    page.evaluate("window.notReloaded = true")
    server.edit(LETTER, "vraagt uw aandacht", "vraagt uw volle aandacht")
    page.wait_for_function("() => document.body.innerText.includes('vraagt uw volle aandacht')", timeout=40_000)
    assert page.evaluate("window.notReloaded === undefined")

    server.edit(LETTER, "partij:vvd", "partij:vvvd")
    overlay = page.locator("#kamerarchief-fouten")
    overlay.wait_for(timeout=40_000)
    assert "unknown partij 'vvvd'" in overlay.inner_text()
    assert "vraagt uw volle aandacht" in page.inner_text("main")

    server.edit(LETTER, "partij:vvvd", "partij:vvd")
    overlay.wait_for(state="detached", timeout=40_000)
