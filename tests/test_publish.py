"""Publishing under a path: the fixture archive built with base_url https://example.org/archief/ and
served from a static server under /archief/, crawled page by page and searched in Chromium."""

from __future__ import annotations

import datetime
import functools
import http.server
import io
import os
import signal
import struct
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import html5lib
import pypdf
import pytest

from conftest import ROOT, run_build, search_results
from test_serve import fetch, free_port, wait_for
from test_sitemap import check_urlset

FIXTURE = ROOT / "tests" / "fixtures" / "archief"
BASE_URL = "https://example.org/archief/"
PREFIX = "/archief/"


class _UnderPrefix(http.server.SimpleHTTPRequestHandler):
    """A static host that publishes a folder under /archief/ (as a project site of a code host
    does): nothing else exists there, and a missing page gets 404.html with status 404."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = urlsplit(self.path).path
        if not path.startswith(PREFIX):
            self.send_error(404)
            return None
        self.path = self.path[len(PREFIX) - 1:]
        target = Path(self.translate_path(self.path))
        if not (target.is_file() or (target / "index.html").is_file()):
            return self._not_found()
        return super().send_head()

    def _not_found(self):
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """(site folder, address of /archief/ on the local static server)."""
    output = tmp_path_factory.mktemp("published") / "site"
    result = run_build("build", "--config", str(FIXTURE / "config.yaml"), "--output", str(output),
                       "--base-url", BASE_URL)
    assert result.returncode == 0, result.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_UnderPrefix, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield output, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()
    server.server_close()


class _Addresses(HTMLParser):
    """Every address a page makes the browser follow or load: links, stylesheets, scripts,
    images (src and srcset), forms, feeds; and the ids anchors may point to."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src", "action", "poster", "data"):
            if attributes.get(name):
                self.addresses.append(attributes[name])
        if attributes.get("srcset"):
            self.addresses.extend(item.split()[0] for item in attributes["srcset"].split(",") if item.strip())
        if tag == "meta" and attributes.get("property", "").endswith(("og:url", "og:image")):
            self.addresses.append(attributes["content"])


def _read(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers.get("Content-Type", "")


def _parse(body: bytes) -> _Addresses:
    parser = _Addresses()
    parser.feed(body.decode("utf-8"))
    parser.close()
    return parser


def test_every_link_and_asset_works_under_the_path(published):
    folder, home = published
    origin = home[: -len(PREFIX)]
    pages = {f"{home}{p.relative_to(folder).as_posix()}".removesuffix("index.html")
             for p in folder.rglob("*.html") if "pagefind" not in p.relative_to(folder).parts}
    pages.discard(f"{home}404.html")
    # The 404 page is served at any depth: its links must work from there too.
    pages.add(f"{home}bestaat/niet/hier/")
    seen, broken, queue = set(), [], sorted(pages)
    parsed: dict[str, _Addresses] = {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        status, body, kind = _read(url)
        if status != 200 and not url.endswith("/bestaat/niet/hier/"):
            broken.append(f"{url}: {status}")
            continue
        if "text/html" not in kind:
            continue
        parsed[url] = reader = _parse(body)
        for address in reader.addresses:
            target = urljoin(url, address)
            if target.startswith(BASE_URL):  # canonical, og:url, og:image: the published site
                target = home + target[len(BASE_URL):]
            parts = urlsplit(target)
            if parts.scheme in ("mailto",) or (parts.scheme in ("http", "https") and not target.startswith(origin)):
                continue
            if not parts.path.startswith(PREFIX):
                broken.append(f"{url}: {address} leaves {PREFIX}")
                continue
            page = target.split("#")[0].split("?")[0]
            if page not in seen:
                queue.append(page)
            fragment = parts.fragment
            if fragment:
                if page not in parsed:
                    status, body, kind = _read(page)
                    parsed[page] = _parse(body)
                if fragment not in parsed[page].ids:
                    broken.append(f"{url}: {address} (no such anchor)")
    assert not broken, "\n".join(broken)
    assert pages <= seen
    # The crawl reached the style sheets, the scripts and the share image. (The search page's
    # modules load Pagefind's bundle themselves: the next test searches in Chromium.)
    for asset in ("static/style.css", "static/print.css", "static/zoeken.js", "static/markeer.js",
                  "static/deelafbeelding.png"):
        assert home + asset in seen, asset


def test_searching_under_the_path_finds_results_that_open_marked(page, published):
    folder, home = published
    failed = []
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.goto(home + "zoeken/?q=speerpuntenbeleid")
    found = search_results(page)
    assert found, "no results"
    assert all(url.startswith(PREFIX) for url in found), found
    letter = PREFIX + "verslagen/kst-14406-56/1981-12-16-commissie/"
    assert letter in found, found
    page.locator(f"#resultaten > li > h3 a[href^='{letter}?']").click()
    page.wait_for_url("**/1981-12-16-commissie/?markeer=*")
    page.wait_for_selector("mark.pagefind-highlight")  # markeer.js loaded the bundle's highlighter
    assert not failed, failed
    assert not any("/pagefind/" in url and PREFIX + "pagefind/" not in url for url in failed)


def test_the_sitemap_lists_every_page_with_the_dates_of_its_documents(published):
    folder, home = published
    status, body, kind = _read(home + "sitemap.xml")
    assert status == 200 and "xml" in kind
    entries = dict(check_urlset(body.decode("utf-8")))
    pages = {BASE_URL + p.relative_to(folder).as_posix().removesuffix("index.html")
             for p in folder.rglob("*.html") if "pagefind" not in p.relative_to(folder).parts}
    assert set(entries) == pages - {BASE_URL + "404.html"}
    # A verslag and its letters: the day it was vastgesteld (or a later document's that it lists as
    # citing it: tests/test_citations.py); a list of all verslagen: the newest.
    assert entries[BASE_URL + "verslagen/kst-19637-H/"] == "2021-07-09"
    assert entries[BASE_URL + "verslagen/kst-14406-56/"] == "1982-03-02"
    assert entries[BASE_URL + "verslagen/kst-14406-56/1981-12-16-commissie/"] == "1982-03-02"
    assert entries[BASE_URL + "verslagen/kst-20859-21/1993-11-18-minister/"] == "1993-11-18"
    assert entries[BASE_URL + "verslagen/"] == entries[BASE_URL] == "2021-07-09"
    assert entries[BASE_URL + "zoeken/"] is None  # shows no document
    robots = _read(home + "robots.txt")[1].decode("utf-8")
    assert robots.splitlines()[-1] == f"Sitemap: {BASE_URL}sitemap.xml"


class _Head(HTMLParser):
    """The <meta> tags of a page, {property or name: [content, ...]}, and its canonical link."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.canonical = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and ("property" in attributes or "name" in attributes):
            # Pagefind's declarations are meta tags too, with a name and their data-pagefind-* attribute.
            own = {name for name in attributes if not name.startswith("data-pagefind-")}
            assert own in ({"property", "content"}, {"name", "content"}), attributes
            key = attributes.get("property") or attributes.get("name")
            self.meta.setdefault(key, []).append(attributes["content"])
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes["href"]


OPEN_GRAPH = ("og:title", "og:description", "og:url", "og:site_name", "og:locale", "og:type", "og:image",
              "og:image:width", "og:image:height", "og:image:alt", "twitter:card", "description")


def test_open_graph_tags_are_complete_on_every_verslag_and_letter(published):
    folder, home = published
    documents = sorted(folder.glob("verslagen/*/index.html")) + sorted(folder.glob("verslagen/*/*/index.html"))
    assert len(documents) == 10  # five verslagen (three of them imported), five letters
    for file in documents:
        html = file.read_text(encoding="utf-8")
        html5lib.HTMLParser(strict=True).parse(html)  # the tags are valid HTML
        head = _Head()
        head.feed(html)
        meta = head.meta
        where = file.relative_to(folder).as_posix()
        for name in OPEN_GRAPH:
            assert len(meta.get(name, [])) == 1 and meta[name][0].strip(), f"{where}: {name}"
        url = BASE_URL + where.removesuffix("index.html")
        assert meta["og:url"] == [url] and head.canonical == url, where
        assert meta["og:locale"] == ["nl_NL"] and meta["og:site_name"] == ["Kamerarchief"]
        if where == "verslagen/kst-21501-07-8/index.html":  # the record prints no date: not an article
            assert meta["og:type"] == ["website"] and "article:published_time" not in meta
        else:
            assert meta["og:type"] == ["article"]
            datetime.date.fromisoformat(meta["article:published_time"][0])
        assert meta["og:title"][0] in html.split("<title>")[1].split("</title>")[0]
        assert meta["og:description"] == meta["description"] and len(meta["description"][0]) <= 200
        assert meta["twitter:card"] == ["summary_large_image"]
        image = meta["og:image"][0]
        assert image.startswith(BASE_URL) and (meta["og:image:width"], meta["og:image:height"]) == (["1200"], ["630"])
        status, body, kind = _read(home + image[len(BASE_URL):])
        assert status == 200 and kind == "image/png"
        assert body[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", body[16:24]) == (1200, 630)


def test_previews_describe_a_letter_by_its_first_paragraph_and_date(published):
    folder, _ = published
    head = _Head()
    head.feed((folder / "verslagen/kst-19637-H/2021-07-08-staatssecretaris/index.html").read_text(encoding="utf-8"))
    assert head.meta["article:published_time"] == ["2021-07-08"]
    description = head.meta["og:description"][0]
    # As printed, without the mark of footnote 6 after "uw Kamer", cut after a whole word.
    assert description == ("Op 29 april jl. heb ik van de voorzitter van de vaste commissie voor Immigratie & "
                           "Asiel / JBZ-Raad (I&A/JBZ) van uw Kamer het verzoek gekregen om mijn appreciatie te "
                           "geven van de op 12 april jl.…")
    verslag = _Head()
    verslag.feed((folder / "verslagen/kst-14406-56/index.html").read_text(encoding="utf-8"))
    assert verslag.meta["article:published_time"] == ["1982-03-02"]


def test_other_pages_are_websites_with_a_preview_too(published):
    folder, _ = published
    for file in folder.rglob("*.html"):
        if "pagefind" in file.relative_to(folder).parts or file.parent.parent.name == "verslagen" \
                or file.parent.parent.parent.name == "verslagen":
            continue
        head = _Head()
        head.feed(file.read_text(encoding="utf-8"))
        assert head.meta["og:type"] == ["website"], file
        assert "article:published_time" not in head.meta
        if file.name == "404.html":  # served at any missing address: none of its own
            assert "og:url" not in head.meta and head.canonical is None
            continue
        assert all(len(head.meta.get(name, [])) == 1 for name in OPEN_GRAPH), file
        assert head.meta["og:url"] == [head.canonical]


NAVIGATION = ["Naar de inhoud", "Kamerarchief: verslagen van schriftelijk overleg van de Staten-Generaal, overgenomen",
              "Home", "Vorige brief", "Volgende brief", "Terug naar het verslag", "Bronnen in deze brief",
              "Naar deze brief wordt verwezen in", "Zoeken", "Partijen", "Personen", "Commissies", "Dossiers",
              "Open data", "Atom-feed"]


def printed(page, url: str) -> str:
    """The text of the PDF Chromium prints of `url`, as print media, whitespace collapsed."""
    page.goto(url)
    page.emulate_media(media="print")
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(format="A4")))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_a_letter_prints_as_a_clean_document_with_its_citation_and_permalink(page, published):
    folder, home = published
    letter = "verslagen/kst-19637-H/2021-07-08-staatssecretaris/"
    text = printed(page, home + letter)
    # The letter as printed: its heading, text, signature, and footnotes with their printed numbers.
    for words in ["BRIEF VAN DE STAATSSECRETARIS VAN JUSTITIE EN VEILIGHEID", "Op 29 april jl. heb ik",
                  "De Staatssecretaris van Justitie en Veiligheid,", "A. Broekers-Knol", "Voetnoten",
                  "6 Verzoek van de leden Karimi (GroenLinks) en Stienen", "7 NJB 9-4-2021, afl. 14, pag. 1046 t/m 1053"]:
        assert words in text, words
    assert "Citeren: Kamerstukken I 2020/21, 19637, H (brief van 8 juli 2021)" in text
    assert (BASE_URL + letter) in text.replace(" ", "").replace("Kamerarchief:", " ")
    for label in NAVIGATION:
        assert label not in text, label
    assert "↩" not in text  # the links back from a footnote to its second reference


def test_a_verslag_prints_its_citation_and_the_official_copy(page, published):
    folder, home = published
    text = printed(page, home + "verslagen/kst-19637-H/")
    assert "VERSLAG VAN EEN SCHRIFTELIJK OVERLEG" in text and "Citeren: Kamerstukken I 2020/21, 19637, H" in text
    assert "https://zoek.officielebekendmakingen.nl/kst-19637-H.html" in text.replace(" ", "")
    assert "Samenstelling van de commissie" in text  # footnote 1's seats are part of the document
    for label in NAVIGATION[:4]:
        assert label not in text, label


def test_a_bad_base_url_in_the_config_is_reported_at_its_line(project):
    config = project / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "base_url: example.org/archief\n", encoding="utf-8")
    line = config.read_text(encoding="utf-8").count("\n")
    result = run_build("build", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"config.yaml:{line}: base_url 'example.org/archief' is not an absolute http(s) address "
        "such as https://example.org/archief/")
    assert not (project / "site").exists()


def test_a_bad_base_url_option_is_a_usage_error(project):
    result = run_build("build", "--base-url", "https://example.org//archief", cwd=project)
    assert result.returncode == 2
    assert "--base-url: base_url 'https://example.org//archief' has an empty" in result.stderr
    assert not (project / "site").exists()


def test_the_base_url_option_overrides_the_config(project):
    config = project / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "base_url: https://example.org/\n", encoding="utf-8")
    assert run_build("build", "--base-url", "https://example.net/kamer/", cwd=project).returncode == 0
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.net/kamer/">' in home
    assert 'href="/kamer/verslagen/"' in home and 'href="/verslagen/"' not in home
    # Built again for the root: a settings change, so every page is made anew.
    assert run_build("build", cwd=project).returncode == 0
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/">' in home and 'href="/verslagen/"' in home


def test_the_preview_serves_under_the_base_path_and_leads_there_from_the_root(project):
    port = free_port()
    log = project / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-u", str(ROOT / "build.py"), "serve", "--port", str(port),
         "--base-url", "https://example.org/archief/"], cwd=project, stdout=log.open("w"),
        stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        wait_for(lambda: "Serving on" in log.read_text(encoding="utf-8"), what="the server to start")
        assert f"Serving on http://127.0.0.1:{port}/archief/" in log.read_text(encoding="utf-8")
        status, html = fetch(f"http://127.0.0.1:{port}/")  # followed to /archief/
        assert status == 200 and 'href="/archief/verslagen/"' in html
        status, html = fetch(f"http://127.0.0.1:{port}/archief/verslagen/kst-19637-H/")
        assert status == 200 and 'src="/archief/static/markeer.js"' in html
        assert fetch(f"http://127.0.0.1:{port}/archief/static/style.css")[0] == 200
        assert fetch(f"http://127.0.0.1:{port}/archief/bestaat-niet/")[0] == 404
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=15)
