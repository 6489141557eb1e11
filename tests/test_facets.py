"""The search's facet store: pages declare their facets, the build gathers them with Pagefind's page
ids, and the search page filters and counts from the store as a brute-force count over the pages'
own declarations does."""

from __future__ import annotations

import gzip
import itertools
import json

import pytest

from kamerarchief.facets import FACETS, _ids, facets_in_page, make_store, page_file, store_ids


def decode(deltas: list[int]) -> list[int]:
    return list(itertools.accumulate(deltas))


def fragment_urls(site) -> dict[str, str]:
    """{Pagefind's page id: URL}, read from the fragment files as a check independent of facets.py."""
    return {fragment.name.removesuffix(".pf_fragment"): json.loads(gzip.decompress(fragment.read_bytes())[12:])["url"]
            for fragment in (site / "pagefind" / "fragment").iterdir()}


def test_facets_in_page_reads_the_json_block_and_nothing_else():
    html = (b'<main><p>{"type": "nep"}</p><div hidden data-pagefind-ignore>'
            b'<script type="application/json" data-zoekfacetten>{"type": "brief", "partij": ["PVV"]}</script></div></main>')
    assert facets_in_page(html) == {"type": "brief", "partij": ["PVV"]}
    assert facets_in_page(b"<main><p>geen</p></main>") is None


RECORDS = [
    ["/personen/a/", "nl_aaa", {"type": "persoon", "partij": ["GL"]}],
    ["/verslagen/v2/", "nl_bbb", {"type": "verslag", "datum": "2021-07-09", "groep": "2021-07-09 v2",
                                   "partij": ["GL", "PVV"], "persoon": ["A"], "dossier": "1 X"}],
    ["/verslagen/v1/b/", "nl_ccc", {"type": "brief", "datum": "1981-12-16", "groep": "1981-12-17 v1",
                                     "partij": ["PVV"], "dossier": "2 Y"}],
    ["/verslagen/v2/b/", "nl_ddd", {"type": "brief", "datum": "2021-04-29", "groep": "2021-07-09 v2",
                                     "persoon": ["A", "B"], "dossier": "1 X"}],
    ["/verslagen/v1/", "nl_eee", {"type": "verslag", "datum": "1981-12-17", "groep": "1981-12-17 v1"}],
]


def test_the_store_numbers_pages_by_verslag_and_lists_each_values_pages():
    files = make_store([("", RECORDS)])
    core = files["zoekfacetten.json"]
    ids = store_ids(core)
    # The pages of a verslag together, oldest verslag first; pages of no verslag last.
    assert ids == ["nl_eee", "nl_ccc", "nl_bbb", "nl_ddd", "nl_aaa"]
    days = decode(core["datums"])
    assert days[-1] == 0 and days[0] - days[1] == 1 and days[2] > days[3] > days[0]
    by_id = {record[1]: record[2] for record in RECORDS}
    for name, large in FACETS:
        facet = files[core["facetten"][name]["bestand"]] if large else core["facetten"][name]
        assert name not in core["facetten"] or ("bestand" in core["facetten"][name]) == large
        for value, deltas in zip(facet["waarden"], facet["paginas"]):
            expected = [page for page, ident in enumerate(ids)
                        if value in ([v] if isinstance(v := by_id[ident].get(name, []), str) else v)]
            assert decode(deltas) == expected, (name, value)
    assert core["facetten"]["persoon"] == {"bestand": "zoekfacetten-persoon.json", "aantal": 2}


def test_page_ids_run_together_when_alike_and_are_listed_when_not():
    alike = ["nl_aaa1111", "nl_bbb2222"]
    assert _ids(alike) == {"prefix": "nl_", "breedte": 7, "ids": "aaa1111bbb2222"}
    unlike = ["nl_aaa1111", "nl_bbb22223"]  # Pagefind lengthens an id that would be another's
    for ids in (alike, unlike, []):
        assert store_ids(_ids(ids)) == ids


def test_the_same_records_give_the_same_store_whatever_their_order():
    assert make_store([("", RECORDS)]) == make_store([("", list(reversed(RECORDS)))])


def test_the_store_maps_every_indexed_page_to_its_own_facets(fixture_site):
    site, _ = fixture_site
    core = json.loads((site / "pagefind" / "zoekfacetten.json").read_text(encoding="utf-8"))
    ids = store_ids(core)
    urls = fragment_urls(site)
    assert sorted(ids) == sorted(urls)
    kinds = core["facetten"]["type"]
    for value, deltas in zip(kinds["waarden"], kinds["paginas"]):
        for page in decode(deltas):
            declared = facets_in_page(page_file(site, urls[ids[page]]).read_bytes())
            assert declared["type"] == value


SELECTIONS = [{}, {"type": ["brief"]}, {"partij": ["PVV", "GL"]}, {"type": ["brief", "verslag"], "kamer": ["Eerste Kamer"]},
              {"persoon": ["A. Broekers-Knol"], "partij": ["PVV"]}, {"dossier": ["19 637 Vreemdelingenbeleid"], "jaar": ["2021"]}]


@pytest.mark.parametrize("selection", SELECTIONS)
def test_filtering_and_counts_in_the_browser_equal_a_brute_force_count(page, fixture_site, selection):
    """facetten.js on the fixture's store, for every page as a result, against the pages' JSON."""
    site, base = fixture_site
    page.goto(f"{base}/zoeken/")
    got = page.evaluate("""async (selection) => {
        const { FacetStore } = await import('/static/facetten.js');
        const store = await FacetStore.load(new URL('/pagefind/', location.href), 'test');
        await Promise.all(store.names.map((name) => store.ensure(name)));
        const ids = [...store.pageOf.keys()];
        const { pages, counts } = store.compute(store.allPages(), selection);
        const named = {};
        for (const [name, tally] of Object.entries(counts)) {
            named[name] = Object.fromEntries(store.facets[name].values.map((v, i) => [v, tally[i]]).filter(([, n]) => n));
        }
        return { kept: Array.from(pages, (p) => ids[p]), counts: named };
    }""", selection)
    core = json.loads((site / "pagefind" / "zoekfacetten.json").read_text(encoding="utf-8"))
    declared = {}
    for ident, url in fragment_urls(site).items():
        facets = facets_in_page(page_file(site, url).read_bytes())
        declared[ident] = {name: set([v] if isinstance(v, str) else v) for name, v in facets.items()}

    def passes(ident, names):
        return all(declared[ident].get(name, set()) & set(selection[name]) for name in names)

    assert sorted(got["kept"]) == sorted(i for i in store_ids(core) if passes(i, selection))
    for name, _ in FACETS:
        others = [n for n in selection if n != name]
        expected = {}
        for ident in declared:
            if passes(ident, others):
                for value in declared[ident].get(name, ()):
                    expected[value] = expected.get(value, 0) + 1
        assert got["counts"][name] == expected, name
