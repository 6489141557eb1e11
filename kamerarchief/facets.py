"""The search's own facets: what each page declares, and the compact store the search page reads.

Pagefind matches the words; the filters, their counts and the sort by date are the search page's
own, computed from a facet store that the build writes next to the index:

- each indexed page declares its facets in a JSON block (`page_facets`, rendered by the
  `search_facets` macro), which Pagefind does not index;
- after indexing, the build reads back from Pagefind's own output which page id Pagefind gave
  each URL (its fragment files) and in which order its metadata lists them, numbers the pages
  densely in that order (bundle after bundle), and writes per facet and per value the page
  numbers that have it, and each page's date.

All lists are delta-coded JSON (small numbers, which gzip packs well). The store's core file holds
the bundles and the soort facet, which a first query shows; the dates and the other facets are
files of their own that the search page loads only when they are needed (a group opened or used,
a sort by date).
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import date as Date
from pathlib import Path

from . import dutch

# (name in the address and the store, large: loaded only when needed), in the order shown. Only
# soort, whose group is open from the start, is in the core file: the others are files of their
# own, loaded when their group is opened or used (at 10,000 verslagen commissie, vergaderjaar and
# kamer would add 54 KB gzip-compressed to a first query, the dates 88 KB).
FACETS = (("type", False), ("partij", True), ("persoon", True), ("commissie", True), ("kamer", True),
          ("vergaderjaar", True), ("jaar", False), ("dossier", True))
# Facets the search page derives from the dates instead of reading them (34 KB compressed at
# 10,000 verslagen): a page's jaar is the year of its datum.
DERIVED = {"jaar": "datums"}
# The kinds of page that have a date, as a rule.
DATED_KINDS = ("verslag", "brief")
CORE_FILE = "zoekfacetten.json"
DATES_FILE = "zoekfacetten-datums.json"
STORE_VERSION = 3
FACETS_BLOCK = re.compile(rb'<script type="application/json" data-zoekfacetten>(.*?)</script>', re.S)
FRAGMENT_SIGNATURE = b"pagefind_dcd"
EPOCH = Date(1800, 1, 1)


def page_facets(site, kind: str, date: Date | None = None, verslag=None, parties=(), persons=(),
                committee=None) -> dict:
    """The facets of one page, as its JSON block declares them: {name: value or [values]}, with
    'datum' (ISO date, to sort by)."""
    archive = site.archive
    facets: dict = {"type": kind}
    if date:
        facets["datum"] = date.isoformat()
        facets["jaar"] = str(date.year)
    if verslag:
        facets["kamer"] = dutch.CHAMBERS[verslag.chamber][0]
        facets["vergaderjaar"] = dutch.printed_session(verslag.session)
        # A stuk printed under several dossiers is found under each of them.
        facets["dossier"] = [f"{d.printed_number} {d.title}" for d in map(archive.dossiers.get, verslag.dossiers) if d]
    # Ids not in the registries are left out here (the page reports them where it shows them).
    if parties:
        facets["partij"] = [archive.parties[p].abbreviation for p in parties if p in archive.parties]
    if persons:
        values = site.person_filter_values
        facets["persoon"] = [values[p] for p in persons if p in values]
    if committee:
        # Both chambers have committees of the same name (vaste commissie voor Financiën).
        facets["commissie"] = f"{committee.name} ({dutch.CHAMBERS[committee.chamber][0]})"
    return facets


def facets_in_page(html: bytes) -> dict | None:
    """The facets a page's HTML declares; None when it declares none."""
    found = FACETS_BLOCK.search(html, max(0, html.rfind(b"data-zoekfacetten>") - 60))
    return json.loads(found.group(1)) if found else None


def page_file(site_dir: Path, url: str) -> Path:
    """The file a page URL is served from."""
    return site_dir / (url.lstrip("/") + ("index.html" if url.endswith("/") else ""))


def indexed_pages(bundle: Path) -> list[tuple[str, str]]:
    """[(url, Pagefind's page id)] of every page in a Pagefind bundle, read from its fragments
    (the id of a search result is the name of its fragment file)."""
    pages = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(FRAGMENT_SIGNATURE):
            raise ValueError(f"{path}: not a Pagefind fragment")
        pages.append((json.loads(data[len(FRAGMENT_SIGNATURE):])["url"], path.name.removesuffix(".pf_fragment")))
    return pages


def bundle_records(site_dir: Path, bundle: Path) -> dict:
    """What the facet store needs of a bundle: its metadata files, and [url, page id, facets]
    of its pages in the order the metadata lists them; the ids from Pagefind's output, the
    facets from the pages themselves."""
    from .search import meta_pages  # search uses this module: imported when needed

    urls = {page_id: url for url, page_id in indexed_pages(bundle)}
    metas, records = [], []
    for name, ids in meta_pages(bundle):
        metas.append(name)
        for page_id in ids:
            facets = facets_in_page(page_file(site_dir, urls[page_id]).read_bytes())
            records.append([urls[page_id], page_id, facets or {}])
    return {"metas": metas, "paginas": records}


def _deltas(numbers: list[int]) -> list[int]:
    return [n - p for n, p in zip(numbers, [0, *numbers[:-1]])]


def _day(iso: str | None) -> int:
    return (Date.fromisoformat(iso) - EPOCH).days + 1 if iso else 0


def _shared_ids(pages: list[list]) -> dict[str, list]:
    """{page id: [[page number, url], ...]} for the ids Pagefind gave pages of more than one bundle.

    Pagefind's ids are 7 hex digits of a hash, unique within a bundle only: at 78,000 pages a few
    occur in two bundles, and a search result's id alone does not say which page it is. The
    search page tells these few apart by the URL of the result's fragment."""
    numbers: dict[str, list] = {}
    for number, (url, page_id, _) in enumerate(pages):
        numbers.setdefault(page_id, []).append([number, url])
    return {page_id: found for page_id, found in sorted(numbers.items()) if len(found) > 1}


def make_store(bundles: list[tuple[str, dict]], stale: dict[str, set[str]] | None = None) -> dict[str, dict]:
    """{file name: contents} of the facet store for bundles [(path under the index, what
    bundle_records gave)]. Pages are numbered bundle after bundle, each in the order of its
    metadata: the search page reads the page ids from the metadata files Pagefind loads anyway
    (its HTTP cache serves them), so the store need not list them (at 78,000 pages they would
    be 275 KB compressed).

    `stale` ({bundle path: URLs}) names pages a bundle still indexes but that are out of date,
    superseded by the overlay bundle (kamerarchief/bundles.py): the bundle lists their positions
    as 'vervallen' (delta-coded), the search page drops their results, and they have no facets."""
    stale = stale or {}
    pages, entries = [], []
    for path, bundle in bundles:
        out_of_date, dropped = stale.get(path, ()), []
        for position, record in enumerate(bundle["paginas"]):
            if record[0] in out_of_date:
                dropped.append(position)
                record = [record[0], record[1], {}]
            pages.append(record)
        entry = {"pad": path, "metas": bundle["metas"], "paginas": len(bundle["paginas"])}
        if dropped:
            entry["vervallen"] = _deltas(dropped)
        entries.append(entry)
    core: dict = {
        "versie": STORE_VERSION,
        "bundels": entries,
        "datums": DATES_FILE,
        "facetten": {},
        "gedeelde_ids": _shared_ids(pages),
    }
    dates = {
        "datums": _deltas([_day(record[2].get("datum")) for record in pages]),
        # Pages of a kind that has a date but without one (an imported verslag may lack it): the
        # jaar facet's "zonder datum", so that they can be filtered on too.
        "zonder_datum": _deltas([number for number, record in enumerate(pages)
                                 if record[2].get("type") in DATED_KINDS and not record[2].get("datum")]),
    }
    files = {CORE_FILE: core, DATES_FILE: dates}
    for name, large in FACETS:
        if name in DERIVED:
            core["facetten"][name] = {"afgeleid": DERIVED[name]}
            continue
        holders: dict[str, list[int]] = {}
        for number, record in enumerate(pages):
            values = record[2].get(name)
            for value in ([values] if isinstance(values, str) else values or ()):
                holders.setdefault(value, []).append(number)
        values = sorted(holders, key=lambda value: dutch.fold(value))
        facet = {"waarden": values, "paginas": [_deltas(holders[value]) for value in values]}
        if large:
            file_name = f"zoekfacetten-{name}.json"
            files[file_name] = facet
            core["facetten"][name] = {"bestand": file_name, "aantal": len(values)}
        else:
            core["facetten"][name] = facet
    return files


def write_store(index_dir: Path, bundles: list[tuple[str, dict]], stale: dict[str, set[str]] | None = None) -> None:
    """Write the facet store into the index folder (the primary bundle's). A file there may be a
    hard link to the live site's: it is replaced, never written into."""
    for name, contents in make_store(bundles, stale).items():
        (index_dir / name).unlink(missing_ok=True)
        (index_dir / name).write_text(json.dumps(contents, ensure_ascii=False, separators=(",", ":")),
                                      encoding="utf-8")
