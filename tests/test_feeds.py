"""Atom feeds: every feed of the real archive read with feedparser, what each holds compared with
the archive, the links to them on the pages, absolute links under base_url, and the pure helpers."""

from __future__ import annotations

import dataclasses
import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import feedparser
import pytest

from conftest import ROOT
from htmltext import read_page
from kamerarchief.config import load_config
from kamerarchief.feeds import MAX_ENTRIES, feed_of_page, first_paragraph
from kamerarchief.model import Letter, url_for
from kamerarchief.pipeline import check

sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import make_corpus  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "archief"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def seed():
    """The real archive, checked and rendered in memory: {url: text} and the resolved site."""
    result = check(load_config(ROOT / "config.yaml"))
    return result.decoded(), result.site


def feeds_in(site: Path) -> dict[str, Path]:
    return {"/" + p.relative_to(site).as_posix(): p for p in sorted(site.rglob("feed.xml"))}


def expected_documents(site, kind: str | None, ident: str | None) -> set[str]:
    """The documents a feed must hold, worked out from the archive by a plain scan of every
    document (not from the relations the build uses)."""
    urls = set()
    for verslag in site.archive.verslagen.values():
        for document in (verslag, *verslag.letters):
            refs = {(r.kind, r.target) for r in site.text_of(document).references}
            if kind is None or (kind, ident) in refs:
                urls.add(document.url)
            elif isinstance(document, Letter):
                sender, signature = document.sender, document.signature
                if (kind == "persoon" and ident in (sender.person, signature.person if signature else None)
                        or kind == "commissie" and ident == verslag.committee
                        or kind == "dossier" and ident == verslag.dossier):
                    urls.add(document.url)
            elif (kind == "partij" and any(s.party == ident for s in verslag.seats)
                  or kind == "persoon" and (ident == verslag.clerk or any(s.person == ident for s in verslag.seats))
                  or kind == "commissie" and ident == verslag.committee
                  or kind == "dossier" and ident == verslag.dossier):
                urls.add(document.url)
    return urls


def test_every_feed_of_the_seed_is_valid_atom_and_holds_what_concerns_it(built_site, seed):
    _, site = seed
    archive = site.archive
    feeds = feeds_in(built_site)
    records = {("partij", i) for i in archive.parties} | {("persoon", i) for i in archive.persons}
    records |= {("commissie", i) for i in archive.committees} | {("dossier", i) for i in archive.dossiers}
    records |= {("bron", i) for i in archive.sources}
    assert len(feeds) == 1 + len(records)
    for kind, ident in [(None, None), *sorted(records)]:
        url = "/feed.xml" if kind is None else url_for(kind, ident) + "feed.xml"
        parsed = feedparser.parse(feeds[url].read_bytes())
        assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
        assert parsed.version == "atom10", url
        assert parsed.feed.id.startswith("urn:uuid:") and parsed.feed.title and parsed.feed.updated, url
        entries = parsed.entries
        links = [entry.link for entry in entries]
        assert set(links) == expected_documents(site, kind, ident), url
        assert len(set(entry.id for entry in entries)) == len(entries)
        dates = [entry.updated_parsed for entry in entries]
        assert dates == sorted(dates, reverse=True), f"{url}: not newest first"
        if entries:
            assert parsed.feed.updated == entries[0].updated
        for entry in entries:
            assert entry.id.startswith("urn:uuid:") and entry.title and entry.summary, (url, entry.link)
            document = _document(site, entry.link)
            date = document.date if isinstance(document, Letter) else document.adopted
            assert entry.updated.startswith(date.isoformat()), (url, entry.link)
            verslag = archive.verslagen[document.verslag_id if isinstance(document, Letter) else document.id]
            assert entry.dcterms_bibliographiccitation == verslag.citation
            assert entry.summary == first_paragraph(site.text_of(document).body_html)


def test_the_archive_feed_holds_the_seed_verslag_and_its_three_letters(built_site):
    parsed = feedparser.parse((built_site / "feed.xml").read_bytes())
    assert [entry.link for entry in parsed.entries] == [
        "/verslagen/kst-19637-H/", "/verslagen/kst-19637-H/2021-07-08-staatssecretaris/",
        "/verslagen/kst-19637-H/2021-07-08-commissie/", "/verslagen/kst-19637-H/2021-04-29-commissie/"]
    verslag, answer = parsed.entries[0], parsed.entries[1]
    assert verslag.title == "Verslag van een schriftelijk overleg: 19 637 Vreemdelingenbeleid, H"
    assert verslag.updated == "2021-07-09T12:00:00Z"
    # The first paragraph as printed, its slip included, and without the footnote numbers.
    assert "Daarna is er op 8 juli 201 een rappelbrief gestuurd." in verslag.summary
    assert answer.title == "Brief van 8 juli 2021, A. Broekers-Knol, Staatssecretaris van Justitie en Veiligheid"
    assert answer.summary.startswith("Op 29 april jl. heb ik van de voorzitter")
    assert "van uw Kamer het verzoek" in answer.summary  # footnote 6 stood after 'Kamer'
    assert answer.dcterms_bibliographiccitation == "Kamerstukken I 2020/21, 19637, H"


def _document(site, url: str):
    for verslag in site.archive.verslagen.values():
        for document in (verslag, *verslag.letters):
            if document.url == url:
                return document
    raise KeyError(url)


def test_pages_with_a_feed_link_it_in_their_head_and_visibly(built_site):
    pages = {"index.html": "/feed.xml", "verslagen/index.html": "/feed.xml",
             "partijen/gl/index.html": "/partijen/gl/feed.xml", "personen/karimi/index.html": "/personen/karimi/feed.xml",
             "commissies/immigratie-en-asiel-jbz-raad/index.html": "/commissies/immigratie-en-asiel-jbz-raad/feed.xml",
             "dossiers/19637/index.html": "/dossiers/19637/feed.xml",
             "bronnen/ongekend-onrecht/index.html": "/bronnen/ongekend-onrecht/feed.xml"}
    for name, feed in pages.items():
        html = (built_site / name).read_text(encoding="utf-8")
        head = html[:html.index("</head>")]
        assert re.search(rf'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="{feed}">', head), name
        assert f'<a href="{feed}" type="application/atom+xml">Volg via feed</a>' in html, name
        assert (built_site / feed.lstrip("/")).is_file()
    letter = (built_site / "verslagen/kst-19637-H/2021-04-29-commissie/index.html").read_text(encoding="utf-8")
    # A letter has no feed of its own (the footer of every page links the archive's).
    assert 'rel="alternate"' not in letter and "Volg via feed" not in letter
    assert '<a href="/feed.xml" type="application/atom+xml">Atom-feed</a>' in letter
    # Each feed link on every page leads to a feed that exists.
    for page in built_site.rglob("*.html"):
        for link in read_page(page.read_text(encoding="utf-8")).links:
            if link.endswith("feed.xml"):
                assert (built_site / link.lstrip("/")).is_file(), (page, link)


def test_under_a_base_url_links_are_absolute_and_ids_stay_the_same(tmp_path):
    config = load_config(FIXTURE / "config.yaml")
    plain = check(dataclasses.replace(config, base_url="")).decoded()
    moved = check(dataclasses.replace(config, base_url="https://example.org/archief")).decoded()
    for url in (u for u in plain if u.endswith("feed.xml")):
        before, after = ElementTree.fromstring(plain[url]), ElementTree.fromstring(moved[url])
        assert [e.text for e in before.iter(f"{ATOM}id")] == [e.text for e in after.iter(f"{ATOM}id")]
        hrefs = [link.get("href") for link in after.iter(f"{ATOM}link")]
        assert hrefs and all(h.startswith("https://example.org/archief/") for h in hrefs), url
        assert [h.removeprefix("https://example.org/archief") for h in hrefs] == \
               [link.get("href") for link in before.iter(f"{ATOM}link")]
    parsed = feedparser.parse(moved["/partijen/gl/feed.xml"].encode("utf-8"))
    assert parsed.bozo == 0
    assert parsed.feed.links[0].href == "https://example.org/archief/partijen/gl/feed.xml"


def test_a_feed_holds_the_newest_fifty(tmp_path):
    make_corpus(20, tmp_path)
    (tmp_path / "config.yaml").write_text(f"templates: {ROOT / 'templates'}\nstatic: {ROOT / 'static'}\n",
                                          encoding="utf-8")
    result = check(load_config(tmp_path / "config.yaml"))
    documents = [d for v in result.site.archive.verslagen.values() for d in (v, *v.letters)]
    assert len(documents) > MAX_ENTRIES
    newest = sorted((d.date if isinstance(d, Letter) else d.adopted for d in documents), reverse=True)
    parsed = feedparser.parse(result.html["/feed.xml"])
    assert parsed.bozo == 0 and len(parsed.entries) == MAX_ENTRIES
    assert [e.updated[:10] for e in parsed.entries] == [d.isoformat() for d in newest[:MAX_ENTRIES]]


def test_text_in_a_feed_is_escaped_never_markup(tmp_path):
    config = load_config(FIXTURE / "config.yaml")
    result = check(dataclasses.replace(config, title='<script>alert("x")</script> & co'))
    feed = result.decoded()["/feed.xml"]
    tree = ElementTree.fromstring(feed)  # well-formed XML
    assert not [e for e in tree.iter() if e.tag.endswith("script")]
    assert tree.find(f"{ATOM}title").text.startswith('<script>alert("x")</script> & co:')
    assert tree.find(f"{ATOM}author/{ATOM}name").text == '<script>alert("x")</script> & co'


def test_first_paragraph_drops_footnote_numbers_and_markup():
    body = ('<h2 id="x">Kop</h2>\n<p id="alinea-1">Uw <a href="/personen/kox/">Kox</a> Kamer<sup class="noot">'
            '<a href="#noot-6" id="ref-noot-6">6</a></sup> &amp; de <em>regering</em>,<br>\nzo.</p>\n<p id="alinea-2">Niet.</p>')
    assert first_paragraph(body) == "Uw Kox Kamer & de regering, zo."
    assert first_paragraph("") == ""


def test_feed_of_page():
    assert feed_of_page("/") == "/feed.xml" and feed_of_page("/verslagen/") == "/feed.xml"
    assert feed_of_page("/partijen/gl/") == "/partijen/gl/feed.xml"
    assert feed_of_page("/dossiers/36600-VII/") == "/dossiers/36600-VII/feed.xml"
    for url in ("/partijen/", "/verslagen/kst-19637-H/", "/verslagen/kst-19637-H/2021-04-29-commissie/", "/zoeken/",
                "/404.html"):
        assert feed_of_page(url) is None, url


def test_dates_come_from_the_documents_never_the_clock(seed):
    html, site = seed
    stamps = set(re.findall(r"<(?:updated|published)>([^<]+)<", "".join(t for u, t in html.items() if u.endswith(".xml"))))
    dates = {d.date if isinstance(d, Letter) else d.adopted
             for v in site.archive.verslagen.values() for d in (v, *v.letters)}
    assert stamps == {f"{d.isoformat()}T12:00:00Z" for d in dates}
