"""The search's own facets: what each page declares, and the compact store the search page reads.

Pagefind matches the words; the filters, their counts and the sort by date are the search page's
own, computed from a facet store that the build writes next to the index:

- each indexed page declares its facets in a JSON block (`page_facets`, rendered by the
  `search_facets` macro), which Pagefind does not index;
- after indexing, the build reads back from Pagefind's own output (its fragment files) which page
  id Pagefind gave each URL, numbers the pages densely (those of one verslag together, oldest
  first), and writes per facet and per value the page numbers that have it, and each page's date.

All lists are delta-coded JSON (small numbers, which gzip packs well). The store's core file holds
the page ids, the dates and the small facets; the large ones (partij, persoon, dossier) are files
of their own that the search page loads only when their group is opened or used.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import date as Date
from pathlib import Path

from . import dutch

# (name in the address and the store, large: loaded only when needed), in the order shown.
# partij is small in values but large in entries (every party a letter mentions): measured at
# 1,000 verslagen it is 16 KB gzip-compressed of a first query's 261 KB.
FACETS = (("type", False), ("partij", True), ("persoon", True), ("commissie", False), ("kamer", False),
          ("vergaderjaar", False), ("jaar", False), ("dossier", True))
CORE_FILE = "zoekfacetten.json"
STORE_VERSION = 1
FACETS_BLOCK = re.compile(rb'<script type="application/json" data-zoekfacetten>(.*?)</script>', re.S)
FRAGMENT_SIGNATURE = b"pagefind_dcd"
EPOCH = Date(1800, 1, 1)


def page_facets(site, kind: str, date: Date | None = None, verslag=None, parties=(), persons=(),
                committee=None) -> dict:
    """The facets of one page, as its JSON block declares them: {name: value or [values]}, with
    'datum' (ISO date, to sort by) and 'groep' (what keeps the pages of one verslag together)."""
    archive = site.archive
    facets: dict = {"type": kind}
    if date:
        facets["datum"] = date.isoformat()
        facets["jaar"] = str(date.year)
    if verslag:
        dossier = archive.dossiers[verslag.dossier]
        facets["kamer"] = dutch.CHAMBERS[verslag.chamber][0]
        facets["vergaderjaar"] = dutch.printed_session(verslag.session)
        facets["dossier"] = f"{dossier.printed_number} {dossier.title}"
        facets["groep"] = f"{verslag.adopted.isoformat()} {verslag.id}"
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


def bundle_records(site_dir: Path, bundle: Path) -> list[list]:
    """[[url, page id, facets]] of a bundle's pages: its ids from Pagefind's output, the facets
    from the pages themselves."""
    records = []
    for url, page_id in indexed_pages(bundle):
        facets = facets_in_page(page_file(site_dir, url).read_bytes())
        records.append([url, page_id, facets or {}])
    return records


def _order(record: list) -> tuple:
    facets = record[2]
    return (facets.get("groep") or facets.get("datum") or "~", record[0])


def _deltas(numbers: list[int]) -> list[int]:
    return [n - p for n, p in zip(numbers, [0, *numbers[:-1]])]


def _day(iso: str | None) -> int:
    return (Date.fromisoformat(iso) - EPOCH).days + 1 if iso else 0


def _ids(ids: list[str]) -> dict:
    """Pagefind's page ids in page order: "nl_f3bc18b" ... written once as a prefix and the
    hashes run together when all are alike (a third smaller compressed), else as they are."""
    prefix = ids[0].split("_")[0] + "_" if ids else ""
    hashes = [ident[len(prefix):] for ident in ids]
    width = len(hashes[0]) if hashes else 0
    if all(ident.startswith(prefix) for ident in ids) and all(len(h) == width for h in hashes):
        return {"prefix": prefix, "breedte": width, "ids": "".join(hashes)}
    return {"prefix": "", "breedte": 0, "ids": " ".join(ids)}


def store_ids(core: dict) -> list[str]:
    """The page ids of a store's core file, in page order (what _ids wrote)."""
    if core["breedte"]:
        width = core["breedte"]
        return [core["prefix"] + core["ids"][at:at + width] for at in range(0, len(core["ids"]), width)]
    return core["ids"].split()


def make_store(bundles: list[tuple[str, list[list]]]) -> dict[str, dict]:
    """{file name: contents} of the facet store for bundles [(path under the index, records)]."""
    pages = []  # (bundle number, record), in page-number order
    for number, (_, records) in enumerate(bundles):
        pages.extend((number, record) for record in records)
    pages.sort(key=lambda item: _order(item[1]))
    core: dict = {
        "versie": STORE_VERSION,
        "bundels": [path for path, _ in bundles],
        **_ids([record[1] for _, record in pages]),
        "bundel": _deltas([number for number, _ in pages]) if len(bundles) > 1 else [],
        "datums": _deltas([_day(record[2].get("datum")) for _, record in pages]),
        "facetten": {},
    }
    files = {CORE_FILE: core}
    for name, large in FACETS:
        holders: dict[str, list[int]] = {}
        for number, (_, record) in enumerate(pages):
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


def write_store(index_dir: Path, bundles: list[tuple[str, list[list]]]) -> None:
    """Write the facet store into the index folder (the primary bundle's)."""
    for name, contents in make_store(bundles).items():
        (index_dir / name).write_text(json.dumps(contents, ensure_ascii=False, separators=(",", ":")),
                                      encoding="utf-8")
