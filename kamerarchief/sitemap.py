"""sitemap.xml and robots.txt: every page's published address for search engines.

The sitemap follows the protocol of sitemaps.org: absolute, entity-escaped <loc>s, <lastmod> as
a W3C date, at most 50,000 addresses and 50 MB a file; beyond that sitemap.xml is an index of
sitemap-1.xml, sitemap-2.xml, ... A page's lastmod is the newest date of the documents it shows
(Page.date), never the clock, so that the same content gives the same bytes; a page that shows
no dated document (the search page) has none.
"""

from __future__ import annotations

import datetime
import re
from typing import Iterable
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from .config import Config, absolute_url
from .model import is_page

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024  # uncompressed
LEFT_OUT = frozenset({"/404.html"})  # served for missing pages, not a page to find
_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n'
_FOOT = "</urlset>\n"


def is_site_file(url: str) -> bool:
    """Whether a site URL is one of the files site_files makes (of this build or an earlier one)."""
    return url == "/robots.txt" or re.fullmatch(r"/sitemap(-[1-9][0-9]*)?\.xml", url) is not None


def site_files(config: Config, pages: Iterable) -> dict[str, str]:
    """{site URL: text} of robots.txt and, when base_url is set, the sitemap file(s), for the
    pages in site order (objects with .url and .date, as render.Page)."""
    files = {}
    if config.base_url:
        # Pages only: feeds and data files are offered on the pages that link them.
        entries = [(page.url, page.date) for page in pages if is_page(page.url) and page.url not in LEFT_OUT]
        files.update(sitemap_files(config.base_url, entries))
    files["/robots.txt"] = robots_txt(config.base_url)
    return files


def sitemap_files(base_url: str, entries: list[tuple[str, datetime.date | None]],
                  max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> dict[str, str]:
    """{'/sitemap.xml': ...} for (site URL, lastmod) entries under `base_url` (no trailing
    slash); split into sitemap-N.xml files listed by a sitemap index in sitemap.xml when they
    hold more than `max_urls` addresses or `max_bytes` bytes."""
    parts: list[list[str]] = [[]]
    dates: list[list[datetime.date]] = [[]]
    size = len(_HEAD) + len(_FOOT)
    for url, date in entries:
        item = _url_element(absolute_url(base_url, url), date)
        if parts[-1] and (len(parts[-1]) == max_urls or size + len(item.encode()) > max_bytes):
            parts.append([])
            dates.append([])
            size = len(_HEAD) + len(_FOOT)
        parts[-1].append(item)
        size += len(item.encode())
        if date:
            dates[-1].append(date)
    if len(parts) == 1:
        return {"/sitemap.xml": _HEAD + "".join(parts[0]) + _FOOT}
    files = {f"/sitemap-{number}.xml": _HEAD + "".join(items) + _FOOT for number, items in enumerate(parts, 1)}
    index = [f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n']
    for number, newest in enumerate(dates, 1):
        lastmod = f"<lastmod>{max(newest).isoformat()}</lastmod>" if newest else ""
        index.append(f"  <sitemap><loc>{_xml(absolute_url(base_url, f'/sitemap-{number}.xml'))}</loc>{lastmod}</sitemap>\n")
    index.append("</sitemapindex>\n")
    return {"/sitemap.xml": "".join(index), **files}


def robots_txt(base_url: str) -> str:
    """Every crawler may read everything; with base_url, where the sitemap is."""
    lines = ["User-agent: *", "Disallow:"]
    if base_url:
        lines += ["", f"Sitemap: {absolute_url(base_url, '/sitemap.xml')}"]
    if urlsplit(base_url).path:
        lines[:0] = ["# Crawlers read robots.txt only at the root of a host: put the Sitemap line below",
                     "# in the robots.txt of the host this site is published on.", ""]
    return "\n".join(lines) + "\n"


def _url_element(loc: str, date: datetime.date | None) -> str:
    lastmod = f"<lastmod>{date.isoformat()}</lastmod>" if date else ""
    return f"  <url><loc>{_xml(loc)}</loc>{lastmod}</url>\n"


def _xml(text: str) -> str:
    """Entity-escaped as the protocol asks: & ' " < >."""
    return escape(text, {"'": "&apos;", '"': "&quot;"})
