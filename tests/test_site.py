"""The built site as a whole: every link resolves, every page parses as HTML and has its landmarks."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import html5lib
import pytest

from conftest import run_build
from htmltext import read_page, words_as_read


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.relative_to(site).parts)


def target_file(site: Path, path: str) -> Path:
    file = site / path.lstrip("/")
    return file / "index.html" if path.endswith("/") else file


@pytest.fixture(scope="module")
def pages(built_site):
    return {p: read_page(p.read_text(encoding="utf-8")) for p in html_files(built_site)}


def test_the_site_has_every_kind_of_page(built_site):
    for path in ["index.html", "verslagen/index.html", "verslagen/kst-19637-H/index.html",
                 "verslagen/kst-19637-H/2021-04-29-commissie/index.html", "partijen/index.html",
                 "partijen/gl/index.html", "personen/index.html", "personen/van-dijk/index.html",
                 "commissies/immigratie-en-asiel-jbz-raad/index.html", "dossiers/19637/index.html",
                 "bronnen/index.html", "bronnen/ongekend-onrecht/index.html", "zoeken/index.html", "404.html"]:
        assert (built_site / path).is_file(), path


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture archive (tests/fixtures/archief) built once: its texts cite kamerstukken."""
    output = tmp_path_factory.mktemp("fixture") / "site"
    result = run_build("build", "--config", str(Path(__file__).parent / "fixtures" / "archief" / "config.yaml"),
                       "--output", str(output))
    assert result.returncode == 0, result.stderr
    return output


def test_every_internal_link_and_anchor_resolves(built_site, pages):
    assert not broken_links(built_site, pages)


def test_every_link_of_the_fixture_resolves(fixture_site):
    site_pages = {p: read_page(p.read_text(encoding="utf-8")) for p in html_files(fixture_site)}
    assert any("/dossiers/19637/" in reader.links for reader in site_pages.values())  # a citation's fallback
    assert not broken_links(fixture_site, site_pages)


def broken_links(built_site: Path, pages: dict) -> str:
    """Links to a page or anchor the site does not have, and links of another scheme than the web's."""
    broken = []
    for file, reader in pages.items():
        for link in reader.links:
            parts = urlsplit(link)
            if parts.scheme not in ("", "http", "https", "mailto"):
                broken.append(f"{file.relative_to(built_site)}: {link} (not a web address)")
            if parts.scheme or parts.netloc:
                continue
            target = file if not parts.path else target_file(built_site, parts.path)
            if not target.is_file():
                broken.append(f"{file.relative_to(built_site)}: {link}")
            elif parts.fragment and parts.fragment not in pages.get(target, read_page(target.read_text())).ids:
                broken.append(f"{file.relative_to(built_site)}: {link} (no such anchor)")
    return "\n".join(broken)


def test_every_page_is_well_formed_html(pages):
    for file in pages:
        parser = html5lib.HTMLParser(strict=True)
        parser.parse(file.read_text(encoding="utf-8"))  # raises on any parse error


def test_every_page_is_dutch_with_one_h1_and_headings_in_order(pages):
    for file, reader in pages.items():
        assert reader.html_lang == "nl", file
        levels = [level for level, _ in reader.headings]
        assert levels.count(1) == 1, f"{file}: {levels}"
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{file}: heading h{after} follows h{before}"
        assert len(set(reader.ids)) == len(reader.ids), f"{file}: duplicate ids"


def test_no_page_has_an_empty_definition_list(pages, built_site):
    empty = [f.relative_to(built_site).as_posix() for f in pages
             if re.search(r"<dl[^>]*>\s*</dl>", f.read_text(encoding="utf-8"))]
    assert not empty
    # The griffier has no party: the page says nothing rather than an empty list of facts.
    assert '<dl class="metadata">' not in (built_site / "personen/dragstra/index.html").read_text(encoding="utf-8")


def test_every_page_declares_the_site_icon(pages, built_site):
    for file in pages:
        html = file.read_text(encoding="utf-8")
        assert '<link rel="icon" href="/static/favicon.ico"' in html, file
    assert (built_site / "static/favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_persons_are_listed_in_dutch_order(built_site):
    html = (built_site / "personen/index.html").read_text(encoding="utf-8")
    # 'Van Dijk' sorts under D, 'De Blécourt-Wouterse' under B, 'De Vries' under V.
    order = [html.index(f"/personen/{p}/") for p in ("de-blecourt-wouterse", "de-boer", "broekers-knol",
                                                      "van-dijk", "dittrich", "doornhof", "vos", "de-vries")]
    assert order == sorted(order)
    assert html.index('id="letter-D"') < html.index("/personen/van-dijk/") < html.index('id="letter-F"')


def test_party_page_lists_members_and_mentions_under_any_alias(built_site):
    html = (built_site / "partijen/gl/index.html").read_text(encoding="utf-8")
    for member in ("de-boer", "karimi", "veldhoen"):
        assert f"/personen/{member}/" in html
    # 'GroenLinks' in letter 1 and 2 and footnote 6, 'GL' in footnote 1.
    assert "/verslagen/kst-19637-H/2021-04-29-commissie/#alinea-1" in html
    assert "/verslagen/kst-19637-H/2021-07-08-commissie/#alinea-1" in html
    assert "/verslagen/kst-19637-H/2021-07-08-staatssecretaris/#noot-6" in html
    assert "/verslagen/kst-19637-H/#noot-1" in html


def test_letter_links_to_verslag_neighbours_bronnen_and_signatory(built_site):
    html = (built_site / "verslagen/kst-19637-H/2021-07-08-commissie/index.html").read_text(encoding="utf-8")
    assert 'href="/verslagen/kst-19637-H/2021-04-29-commissie/" rel="prev"' in html
    assert 'href="/verslagen/kst-19637-H/2021-07-08-staatssecretaris/" rel="next"' in html
    assert 'href="/bronnen/brief-commissie-2021-05-12/"' in html
    assert 'href="/personen/faber-van-de-klashorst/"' in html
    assert "Kamerstukken I 2020/21, 19637, H" in html


def test_verslag_page_has_citation_and_official_link(built_site):
    html = (built_site / "verslagen/kst-19637-H/index.html").read_text(encoding="utf-8")
    assert "<cite>Kamerstukken I 2020/21, 19637, H</cite>" in html
    assert 'href="https://zoek.officielebekendmakingen.nl/kst-19637-H.html"' in html


def test_pages_declare_their_facets_and_the_build_gathers_them(built_site):
    letter = (built_site / "verslagen/kst-19637-H/2021-07-08-commissie/index.html").read_text(encoding="utf-8")
    assert '<main id="inhoud" class="wrap" data-pagefind-body>' in letter
    facets = json.loads(re.search(r'<script type="application/json" data-zoekfacetten>(.*?)</script>', letter).group(1))
    assert facets["type"] == "brief" and facets["jaar"] == "2021" and "PVV" in facets["partij"]
    assert '<span data-pagefind-meta="soort">Brief</span>' in letter
    # Pagefind filters nothing: it has no filter attributes to read, and writes no filter files.
    assert "data-pagefind-filter" not in letter and "data-pagefind-sort" not in letter
    assert not list((built_site / "pagefind").glob("filter/*"))
    store = json.loads((built_site / "pagefind" / "zoekfacetten.json").read_text(encoding="utf-8"))
    assert sum(bundle["paginas"] for bundle in store["bundels"]) == len(list((built_site / "pagefind" / "fragment").iterdir()))
    assert (built_site / "pagefind" / "pagefind.js").is_file()


def test_same_content_gives_the_same_bytes(built_site, tmp_path):
    again = tmp_path / "again"
    assert run_build("build", "--output", str(again)).returncode == 0

    def digest(site: Path) -> dict[str, str]:
        return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*")) if p.is_file()}

    assert digest(again) == digest(built_site)


def test_the_search_index_does_not_run_the_words_of_two_elements_together(built_site):
    """Pagefind joins the text of elements written without whitespace between them
    ('<dt>Kamer</dt><dd>Eerste Kamer</dd>' became the word 'KamerEerste', which no search finds)."""
    glued = {}
    for fragment in sorted((built_site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        data = json.loads(data[data.index(b"{"):])
        page = target_file(built_site, data["url"])
        words = set(re.findall(r"\w+", words_as_read(page.read_text(encoding="utf-8"))))
        unknown = sorted(set(re.findall(r"\w+", data["content"])) - words)
        if unknown:
            glued[data["url"]] = unknown
    assert len(list((built_site / "pagefind" / "fragment").glob("*.pf_fragment"))) > 50
    assert not glued
