"""What a built search index offers the search page, page by page: for each page a search can
find, the text, metadata and anchors Pagefind shows of it (its fragment) and the date and facet
values the facet store gives it. Pages a bundle still indexes but the facet store marks as out
of date ('vervallen') are left out, as the search page drops them.

Two indexes with equal answers offer the same pages with the same words: for tests of rebuilds
that keep a bundle and index the changed pages into an overlay, whose files differ from a clean
build's while what search finds does not."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from kamerarchief.search import meta_pages


def _undelta(numbers: list[int]) -> list[int]:
    total, found = 0, []
    for number in numbers:
        total += number
        found.append(total)
    return found


def what_search_finds(index: Path) -> dict[str, dict]:
    """{url: {fragment content, meta, anchors, date, facets}} of every page the index offers."""
    core = json.loads((index / "zoekfacetten.json").read_text(encoding="utf-8"))
    facets = {}
    for name, data in core["facetten"].items():
        if "bestand" in data:
            data = json.loads((index / data["bestand"]).read_text(encoding="utf-8"))
        if "waarden" in data:
            facets[name] = [(value, set(_undelta(pages))) for value, pages in zip(data["waarden"], data["paginas"])]
    dates = _undelta(json.loads((index / core["datums"]).read_text(encoding="utf-8"))["datums"])
    found, number = {}, 0
    for bundle in core["bundels"]:
        folder = index / bundle["pad"]
        stale = set(_undelta(bundle.get("vervallen", [])))
        metas = meta_pages(folder)
        assert [name for name, _ in metas] == bundle["metas"]
        ids = [page_id for _, page_ids in metas for page_id in page_ids]
        assert len(ids) == bundle["paginas"]
        for position, page_id in enumerate(ids):
            if position not in stale:
                data = gzip.decompress((folder / "fragment" / f"{page_id}.pf_fragment").read_bytes())
                fragment = json.loads(data[len(b"pagefind_dcd"):])
                assert fragment["url"] not in found, f"{fragment['url']} is offered twice"
                found[fragment["url"]] = {
                    "content": fragment["content"], "meta": fragment["meta"], "anchors": fragment["anchors"],
                    "date": dates[number + position],
                    "facets": {name: sorted(value for value, pages in values if number + position in pages)
                               for name, values in facets.items()}}
        number += bundle["paginas"]
    return found
