"""The search's facet store: pages declare their facets, the build gathers them with Pagefind's page
ids, and the search page filters and counts from the store as a brute-force count over the pages'
own declarations does."""

from __future__ import annotations

import gzip
import itertools
import json

import pytest

from kamerarchief.facets import DATED_KINDS, FACETS, facets_in_page, make_store, page_file
from kamerarchief.search import meta_pages


def decode(deltas: list[int]) -> list[int]:
    return list(itertools.accumulate(deltas))


def page_ids(index) -> list[str]:
    """Pagefind's page ids in the facet store's page order: bundle after bundle, in metadata order."""
    core = json.loads((index / "zoekfacetten.json").read_text(encoding="utf-8"))
    return [ident for bundle in core["bundels"] for _, ids in meta_pages(index / bundle["pad"]) for ident in ids]


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
    ["/verslagen/v1/", "nl_eee", {"type": "verslag", "datum": "1981-12-17"}],
    ["/verslagen/v1/b/", "nl_ccc", {"type": "brief", "datum": "1981-12-16", "partij": ["PVV"], "dossier": "2 Y"}],
    ["/personen/a/", "nl_aaa", {"type": "persoon", "partij": ["GL"]}],
]
OTHER_BUNDLE = [
    ["/verslagen/v2/", "nl_bbb", {"type": "verslag", "datum": "2021-07-09", "partij": ["GL", "PVV"],
                                   "persoon": ["A"], "dossier": "1 X"}],
    ["/verslagen/v2/b/", "nl_ddd", {"type": "brief", "datum": "2021-04-29", "persoon": ["A", "B"], "dossier": "1 X"}],
]


def test_the_store_numbers_pages_bundle_after_bundle_and_lists_each_values_pages():
    files = make_store([("", {"metas": ["pagefind.nl_1.pf_meta"], "paginas": RECORDS}),
                        ("deel-2/", {"metas": ["pagefind.nl_2.pf_meta"], "paginas": OTHER_BUNDLE})])
    core = files["zoekfacetten.json"]
    assert core["bundels"] == [{"pad": "", "metas": ["pagefind.nl_1.pf_meta"], "paginas": 3},
                               {"pad": "deel-2/", "metas": ["pagefind.nl_2.pf_meta"], "paginas": 2}]
    ids = [record[1] for record in RECORDS + OTHER_BUNDLE]  # the pages in the metadata's order
    assert core["datums"] == "zoekfacetten-datums.json"  # loaded when a sort or the year needs them
    days = decode(files["zoekfacetten-datums.json"]["datums"])
    assert days[2] == 0 and days[0] - days[1] == 1 and days[3] > days[4] > days[0]
    by_id = {record[1]: record[2] for record in RECORDS + OTHER_BUNDLE}
    assert core["facetten"]["jaar"] == {"afgeleid": "datums"}  # the search page takes it from the dates
    for name, large in FACETS:
        if name == "jaar":
            continue
        facet = files[core["facetten"][name]["bestand"]] if large else core["facetten"][name]
        assert ("bestand" in core["facetten"][name]) == large
        for value, deltas in zip(facet["waarden"], facet["paginas"]):
            expected = [page for page, ident in enumerate(ids)
                        if value in ([v] if isinstance(v := by_id[ident].get(name, []), str) else v)]
            assert decode(deltas) == expected, (name, value)
    assert core["facetten"]["persoon"] == {"bestand": "zoekfacetten-persoon.json", "aantal": 2}


def test_pages_the_overlay_supersedes_are_listed_per_bundle_and_have_no_facets():
    overlay = [["/verslagen/v1/b/", "nl_fff", {"type": "brief", "datum": "1981-12-15", "partij": ["GL"]}]]
    files = make_store([("", {"metas": ["m1"], "paginas": RECORDS}), ("deel-2/", {"metas": ["m2"], "paginas": OTHER_BUNDLE}),
                        ("bijgewerkt/", {"metas": ["m3"], "paginas": overlay})],
                       {"": {"/verslagen/v1/b/", "/verslagen/v1/"}, "deel-2/": set()})
    core = files["zoekfacetten.json"]
    assert [bundle.get("vervallen") for bundle in core["bundels"]] == [[0, 1], None, None]
    assert decode(files["zoekfacetten-datums.json"]["datums"])[:2] == [0, 0]  # the out-of-date copies: no date ...
    type_facet = core["facetten"]["type"]
    assert {value: decode(pages) for value, pages in zip(type_facet["waarden"], type_facet["paginas"])} == {
        "brief": [4, 5], "persoon": [2], "verslag": [3]}  # ... and no facets; the overlay's page (5) has its own
    partij = files["zoekfacetten-partij.json"]
    assert dict(zip(partij["waarden"], map(decode, partij["paginas"]))) == {"GL": [2, 3, 5], "PVV": [3]}


def test_the_store_lists_the_page_ids_that_pages_of_two_bundles_share_with_their_urls():
    shared = [["/partijen/pvv/", "nl_ccc", {"type": "partij"}]]  # the id of a page in the first bundle
    core = make_store([("", {"metas": ["a"], "paginas": RECORDS}),
                       ("deel-2/", {"metas": ["b"], "paginas": OTHER_BUNDLE + shared})])["zoekfacetten.json"]
    assert core["gedeelde_ids"] == {"nl_ccc": [[1, "/verslagen/v1/b/"], [5, "/partijen/pvv/"]]}
    alone = make_store([("", {"metas": ["a"], "paginas": RECORDS})])["zoekfacetten.json"]
    assert alone["gedeelde_ids"] == {}


def test_the_store_lists_the_verslagen_and_letters_without_a_date_and_no_other_page():
    undated = [["/verslagen/v3/", "nl_fff", {"type": "verslag", "kamer": "Tweede Kamer"}]]
    dates = make_store([("", {"metas": ["a"], "paginas": RECORDS + undated})])["zoekfacetten-datums.json"]
    assert decode(dates["zonder_datum"]) == [3]  # not the person, who has no date by nature


def test_the_store_maps_every_indexed_page_to_its_own_facets(fixture_site):
    site, _ = fixture_site
    ids = page_ids(site / "pagefind")
    urls = fragment_urls(site)
    assert sorted(ids) == sorted(urls)
    core = json.loads((site / "pagefind" / "zoekfacetten.json").read_text(encoding="utf-8"))
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
        await store.readPageIds();
        await Promise.all(store.names.map((name) => store.ensure(name)));
        const ids = [...store.pageOf.keys()];
        const { pages, counts } = store.compute(store.allPages(), selection);
        const named = {};
        for (const [name, tally] of Object.entries(counts)) {
            named[name] = Object.fromEntries(store.facets[name].values.map((v, i) => [v, tally[i]]).filter(([, n]) => n));
        }
        return { kept: Array.from(pages, (p) => ids[p]), counts: named };
    }""", selection)
    declared = {}
    for ident, url in fragment_urls(site).items():
        facets = facets_in_page(page_file(site, url).read_bytes())
        declared[ident] = {name: set([v] if isinstance(v, str) else v) for name, v in facets.items()}
        if declared[ident]["type"] & set(DATED_KINDS) and "jaar" not in declared[ident]:
            declared[ident]["jaar"] = {"zonder datum"}  # the imported paper of 1929-1930 prints no date

    def passes(ident, names):
        return all(declared[ident].get(name, set()) & set(selection[name]) for name in names)

    assert sorted(got["kept"]) == sorted(i for i in page_ids(site / "pagefind") if passes(i, selection))
    for name, _ in FACETS:
        others = [n for n in selection if n != name]
        expected = {}
        for ident in declared:
            if passes(ident, others):
                for value in declared[ident].get(name, ()):
                    expected[value] = expected.get(value, 0) + 1
        assert got["counts"][name] == expected, name
