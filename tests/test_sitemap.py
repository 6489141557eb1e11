"""Unit tests of sitemap.xml and robots.txt against the rules of sitemaps.org."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET

from kamerarchief.sitemap import NAMESPACE, is_site_file, robots_txt, sitemap_files

NS = {"s": NAMESPACE}
W3C_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # the date form of W3C Datetime


def check_urlset(text: str) -> list[tuple[str, str | None]]:
    """Parse one sitemap as the protocol defines it: [(loc, lastmod)]."""
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{{{NAMESPACE}}}urlset"
    entries = []
    for url in root:
        assert url.tag == f"{{{NAMESPACE}}}url"
        assert [child.tag.split("}")[1] for child in url] in (["loc"], ["loc", "lastmod"])
        loc, lastmod = url.findtext("s:loc", namespaces=NS), url.findtext("s:lastmod", namespaces=NS)
        assert re.fullmatch(r"https?://[^\s<>\"']+", loc) and len(loc) < 2048, loc
        assert lastmod is None or W3C_DATE.fullmatch(lastmod), lastmod
        entries.append((loc, lastmod))
    assert 0 < len(entries) <= 50_000 and len(text.encode("utf-8")) <= 50 * 1024 * 1024
    return entries


def test_one_sitemap_lists_absolute_addresses_with_dates():
    files = sitemap_files("https://example.org/archief", [("/", datetime.date(2021, 7, 9)), ("/zoeken/", None)])
    assert list(files) == ["/sitemap.xml"]
    assert check_urlset(files["/sitemap.xml"]) == [("https://example.org/archief/", "2021-07-09"),
                                                   ("https://example.org/archief/zoeken/", None)]


def test_addresses_are_percent_encoded_and_entity_escaped():
    files = sitemap_files("https://example.org/a&b/één", [("/x/", None)])
    assert "<loc>https://example.org/a&amp;b/%C3%A9%C3%A9n/x/</loc>" in files["/sitemap.xml"]
    assert check_urlset(files["/sitemap.xml"]) == [("https://example.org/a&b/%C3%A9%C3%A9n/x/", None)]


def test_too_many_addresses_make_a_sitemap_index():
    entries = [(f"/p{i}/", datetime.date(2020, 1, i + 1)) for i in range(5)]
    files = sitemap_files("https://example.org", entries, max_urls=2)
    assert list(files) == ["/sitemap.xml", "/sitemap-1.xml", "/sitemap-2.xml", "/sitemap-3.xml"]
    index = ET.fromstring(files["/sitemap.xml"].encode("utf-8"))
    assert index.tag == f"{{{NAMESPACE}}}sitemapindex"
    assert [(s.findtext("s:loc", namespaces=NS), s.findtext("s:lastmod", namespaces=NS)) for s in index] == [
        ("https://example.org/sitemap-1.xml", "2020-01-02"), ("https://example.org/sitemap-2.xml", "2020-01-04"),
        ("https://example.org/sitemap-3.xml", "2020-01-05")]
    listed = [loc for n in (1, 2, 3) for loc, _ in check_urlset(files[f"/sitemap-{n}.xml"])]
    assert listed == [f"https://example.org/p{i}/" for i in range(5)]


def test_too_many_bytes_make_a_sitemap_index():
    entries = [(f"/{'x' * 100}{i}/", None) for i in range(10)]
    files = sitemap_files("https://example.org", entries, max_bytes=600)
    parts = [name for name in files if name != "/sitemap.xml"]
    assert len(parts) > 1
    assert all(len(files[name].encode()) <= 600 for name in parts)
    assert [loc for name in parts for loc, _ in check_urlset(files[name])] == [
        f"https://example.org/{'x' * 100}{i}/" for i in range(10)]


def test_robots_txt_points_to_the_sitemap():
    assert robots_txt("https://example.org/archief").splitlines()[-1] == (
        "Sitemap: https://example.org/archief/sitemap.xml")
    assert "Sitemap:" not in robots_txt("") and not robots_txt("https://example.org").startswith("#")
    assert robots_txt("https://example.org/archief").startswith("# Crawlers read robots.txt only at the root")
    assert "User-agent: *\nDisallow:\n" in robots_txt("")


def test_the_files_it_makes_are_told_from_other_files():
    assert all(is_site_file(url) for url in ("/robots.txt", "/sitemap.xml", "/sitemap-1.xml", "/sitemap-12.xml"))
    assert not any(is_site_file(url) for url in ("/", "/404.html", "/feed.xml", "/sitemap-0.xml", "/data/sitemap.xml"))
