"""Search as a journalist uses it, in Chromium, on the fixture archive (real verslagen and letters)."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
import shutil
import time
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest

from conftest import ROOT, run_build, search_results as results, serve_folder, served
from kamerarchief import search
from kamerarchief.bundles import RECORDS_FILE
from kamerarchief.facets import write_store

FIXTURE = ROOT / "tests" / "fixtures" / "archief"
LETTER_2 = "/verslagen/kst-19637-H/2021-07-08-commissie/"
LETTER_3 = "/verslagen/kst-19637-H/2021-07-08-staatssecretaris/"


@pytest.fixture(scope="module")
def search_url(fixture_site):
    return fixture_site[1]


def open_search(page, search_url: str, query: str = "") -> None:
    page.goto(f"{search_url}/zoeken/{query}")


@pytest.mark.parametrize("query, first", [
    ("?q=168946U", LETTER_2),
    ("?q=168412.02U", "/bronnen/brief-commissie-2021-05-12/"),  # the letter whose kenmerk it is
    ("?q=rappelbrief", "/verslagen/kst-19637-H/"),
    ("?q=Broekers-Knol", "/personen/broekers-knol/"),
    ("?q=kst-14406-56", "/verslagen/kst-14406-56/"),
    ("?q=speerpuntenbeleid", "/verslagen/kst-14406-56/1981-12-16-commissie/"),
    ("?q=hardheidsclausule", LETTER_3),
])
def test_a_query_finds_the_expected_page_first(page, search_url, query, first):
    open_search(page, search_url, query)
    assert results(page)[0] == first


def test_a_phrase_in_quotes_finds_only_exact_matches(page, search_url):
    open_search(page, search_url, "?q=brief van 29 april")
    loose = results(page)
    open_search(page, search_url, '?q="brief van 29 april"')
    exact = results(page)
    assert LETTER_3 in loose and LETTER_3 not in exact  # "Op 29 april jl." ... "in deze brief"
    # The introduction and the reminder quote the phrase; the letter of 29 April is that letter.
    assert set(exact) == {"/verslagen/kst-19637-H/", LETTER_2, "/verslagen/kst-19637-H/2021-04-29-commissie/"}


@pytest.mark.parametrize("name, value", [("type", "brief"), ("partij", "GL"), ("kamer", "Tweede Kamer"),
                                         ("persoon", "A. Broekers-Knol"),
                                         ("commissie", "vaste commissie voor Immigratie en Asiel/JBZ-Raad (Eerste Kamer)")])
def test_each_filter_narrows_the_results_and_its_count_is_right(page, search_url, name, value):
    open_search(page, search_url, "?q=commissie")
    before = all_results(page)
    group = page.locator(f"details.filtergroep[data-facet='{name}']")
    if not group.evaluate("e => e.open"):
        group.locator("summary").click()
    page.locator(f"input[name='{name}'][value='{value}']").check()
    page.wait_for_url(re.compile(rf"{name}="))
    # Once the narrowed results are in, the chosen value's count is the number of results.
    count = page.wait_for_function("""([name, value]) => {
        const message = document.getElementById('zoekmelding');
        const box = [...document.querySelectorAll(`input[name='${name}']`)].find(b => b.value === value);
        const count = box && box.checked && (box.labels[0].textContent.match(/\\((\\d+)\\)/) || [])[1];
        return !document.getElementById('zoeken').getAttribute('aria-busy') && count
            && parseInt(message.textContent, 10) === parseInt(count, 10) && parseInt(count, 10);
    }""", arg=[name, value]).json_value()
    after = results(page, count)
    assert len(after) == count < len(before)
    assert set(after) <= set(before)


def all_results(page) -> list[str]:
    """Every result of the search on the page, shown ten at a time: 'Meer resultaten' clicked
    until it is hidden."""
    results(page)
    more = page.locator("#meer-resultaten")
    while more.is_visible():
        shown = page.locator("#resultaten > li").count()
        more.click()
        page.wait_for_function("n => document.querySelectorAll('#resultaten > li').length > n", arg=shown)
    links = page.locator("#resultaten > li > h3 a")
    return [re.sub(r"\?markeer=[^#]*", "", href) for href in
            links.evaluate_all("els => els.map(e => e.getAttribute('href'))")]


def test_filters_alone_browse_without_a_query(page, search_url):
    open_search(page, search_url, "?type=brief&partij=PVV")
    assert results(page) == [LETTER_2]  # the letter that names "de PVV"


def test_sort_orders_results_by_date(page, search_url):
    for order, reverse in (("nieuwste", True), ("oudste", False)):
        open_search(page, search_url, f"?q=commissie&type=brief&sortering={order}")
        assert page.input_value("#sortering") == order
        results(page)
        dates = page.locator("#resultaten > li span[data-gegeven='datum']").all_inner_texts()
        months = {m: i for i, m in enumerate(["januari", "februari", "maart", "april", "mei", "juni", "juli",
                                               "augustus", "september", "oktober", "november", "december"], 1)}
        parsed = [(int(y), months[mo], int(d)) for d, mo, y in (re.search(r"(\d+) (\w+) (\d{4})", t).groups() for t in dates)]
        assert len(parsed) >= 3 and parsed == sorted(parsed, reverse=reverse)


def test_the_address_restores_a_search_and_the_back_button_returns(page, search_url):
    open_search(page, search_url, "?q=vreemdelingenbeleid&kamer=Eerste+Kamer")
    assert page.input_value("#zoekterm") == "vreemdelingenbeleid"
    assert page.locator("input[name='kamer'][value='Eerste Kamer']").is_checked()
    first = results(page)
    page.select_option("#sortering", "oudste")
    page.wait_for_url(re.compile("sortering=oudste"))
    page.go_back()
    page.wait_for_url(re.compile(r"kamer=Eerste\+Kamer$"))
    page.wait_for_function("() => document.querySelector('#sortering').value === 'relevantie'")
    deadline = time.monotonic() + 20
    while results(page) != first and time.monotonic() < deadline:  # the restored search settles
        page.wait_for_timeout(100)
    assert results(page) == first


def test_a_filter_the_address_sets_is_shown_open_and_checked(page, search_url):
    value = "vaste commissie voor Immigratie en Asiel/JBZ-Raad (Eerste Kamer)"
    open_search(page, search_url, "?q=commissie&commissie=" + quote_plus(value))
    results(page)
    group = page.locator("details.filtergroep[data-facet='commissie']")
    group.wait_for(state="attached", timeout=10_000)
    assert group.evaluate("e => e.open")  # closed, a reader would not see what narrows the results
    assert page.locator("input[name='commissie']:checked").evaluate("e => e.value") == value


def test_the_page_a_result_opens_marks_the_terms(page, search_url):
    open_search(page, search_url, "?q=hardheidsclausule")
    results(page)
    page.locator("#resultaten > li > h3 a").first.click()
    page.wait_for_url(re.compile(r"markeer=hardheidsclausule"))
    mark = page.locator("mark.pagefind-highlight").first
    mark.wait_for()
    assert mark.inner_text().lower() == "hardheidsclausule"
    assert mark.is_visible() and page.evaluate(
        "() => { const r = document.querySelector('mark.pagefind-highlight').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }")


def test_a_hyphenated_term_is_marked_with_its_hyphen_on_the_page_a_result_opens(page, search_url):
    open_search(page, search_url, "?q=Directoraat-Generaal")
    results(page)
    link = page.locator("#resultaten > li > h3 a").first
    assert "markeer=Directoraat-Generaal" in link.get_attribute("href")
    link.click()
    mark = page.locator("mark.pagefind-highlight").first
    mark.wait_for()
    assert mark.inner_text() == "Directoraat-Generaal"


def test_a_phrase_is_marked_as_one_in_excerpts_and_on_the_page_a_result_opens(page, search_url):
    open_search(page, search_url, '?q="brief van 29 april"')
    results(page)
    marks = page.locator("#resultaten .uittreksel mark").all_inner_texts()
    assert marks and all(mark.lower() == "brief van 29 april" for mark in marks)
    link = page.locator(f"#resultaten > li > h3 a[href^='{LETTER_2}']")
    assert link.get_attribute("href") == LETTER_2 + "?markeer=brief+van+29+april"
    link.click()
    page.locator("mark.pagefind-highlight").first.wait_for()
    assert {m.lower() for m in page.locator("mark.pagefind-highlight").all_inner_texts()} == {"brief van 29 april"}


def test_without_javascript_the_page_says_so_and_links_the_indexes(browser, search_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{search_url}/zoeken/")
    html = page.content()
    assert "Zoeken werkt met JavaScript" in html and 'href="/verslagen/"' in html
    context.close()


def test_the_build_id_is_pagefinds_meta_cache_tag(page, search_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_search(page, search_url, "?q=rappelbrief")
    results(page)
    build_id = page.get_attribute("#zoeken", "data-build-id")
    assert re.fullmatch(r"[0-9a-f]{16}", build_id)
    assert any(url.endswith(f"/pagefind/pagefind-entry.json?ts={build_id}") for url in requested)


def build_bundled(tmp_path_factory) -> Path:
    """The fixture archive built with its index in bundles of at most 30 pages (three)."""
    project = tmp_path_factory.mktemp("bundled")
    config = (FIXTURE / "config.yaml").read_text(encoding="utf-8").replace("../../../", str(ROOT) + "/")
    (project / "config.yaml").write_text(config + "search_bundle_pages: 30\n", encoding="utf-8")
    output = project / "site"
    result = run_build("build", "--config", str(project / "config.yaml"), "--content", str(FIXTURE / "content"),
                       "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert (output / "pagefind" / "deel-3").is_dir()
    return output


@pytest.fixture(scope="module")
def bundled_search_url(tmp_path_factory):
    """The fixture archive with its index in bundles of at most 30 pages (three), served."""
    with served(build_bundled(tmp_path_factory)) as base:
        yield base


@contextlib.contextmanager
def served_variant(tmp_path_factory, line: str, instead: str):
    """The fixture archive with one line of the 1982 verslag's verslag.yaml changed, built and served."""
    project = tmp_path_factory.mktemp("variant")
    shutil.copytree(FIXTURE / "content", project / "content")
    verslag = project / "content" / "verslagen" / "kst-14406-56" / "verslag.yaml"
    text = verslag.read_text(encoding="utf-8")
    assert line in text
    verslag.write_text(text.replace(line, instead), encoding="utf-8")
    result = run_build("build", "--config", str(FIXTURE / "config.yaml"), "--content", str(project / "content"),
                       "--output", str(project / "site"))
    assert result.returncode == 0, result.stderr
    with served(project / "site") as base:
        yield base


@pytest.fixture(scope="module")
def undated_search_url(tmp_path_factory):
    """The verslag of 1982 as an import may give it: without its date."""
    with served_variant(tmp_path_factory, "vastgesteld: 1982-03-02", "vastgesteld:") as base:
        yield base


def test_a_kamerstuk_of_soort_brief_is_labelled_brief_in_the_results(page, tmp_path_factory):
    with served_variant(tmp_path_factory, "type: verslag van een schriftelijk overleg", "type: brief") as base:
        open_search(page, base, "?q=revalidatiebeleid&type=verslag")
        assert results(page) == ["/verslagen/kst-14406-56/"]
        assert page.inner_text("#resultaten > li [data-gegeven='soort']") == "Brief"


def test_an_undated_verslag_is_found_filtered_by_zonder_datum_and_sorted_last(page, undated_search_url):
    dated = ["/verslagen/bijlagen-ii-1929-1930-286-4/", "/verslagen/kst-19637-H/"]  # 1930 and 2021
    open_search(page, undated_search_url, "?q=verslag&type=verslag&sortering=nieuwste")
    assert results(page) == [*reversed(dated), "/verslagen/kst-14406-56/"]
    open_search(page, undated_search_url, "?q=verslag&type=verslag&sortering=oudste")
    assert results(page) == [*dated, "/verslagen/kst-14406-56/"]
    page.locator("details.filtergroep[data-facet='jaar'] summary").click()
    years = page.locator("input[name='jaar']")
    years.first.wait_for()
    assert [box.evaluate("b => b.labels[0].textContent") for box in years.all()] == ["2021 (1)", "1930 (1)", "zonder datum (1)"]
    page.locator("input[name='jaar'][value='zonder datum']").check()
    page.wait_for_url(re.compile("jaar=zonder"))
    assert results(page, 1) == ["/verslagen/kst-14406-56/"]


def give_page_the_id_of(index: Path, url: str, other: str) -> None:
    """Make Pagefind's id of the page at `url` that of the page at `other` (in another bundle), as
    Pagefind's 7 hex digits sometimes do at 78,000 pages: in its bundle's metadata, the name of its
    fragment, and the records the facet store is made from; then make the facet store again."""
    folders = [index, *sorted(index.glob("deel-*"))]
    records = {folder: json.loads((folder / RECORDS_FILE).read_text(encoding="utf-8")) for folder in folders}
    ids = {record[0]: record[1] for found in records.values() for record in found["paginas"]}
    old, new = ids[url], ids[other]
    folder = next(folder for folder, found in records.items() if any(r[0] == url for r in found["paginas"]))
    meta_path = folder / records[folder]["metas"][0]
    meta, _ = search._decode(gzip.decompress(meta_path.read_bytes()), len(search.SIGNATURE))
    meta[1] = [[new, *entry[1:]] if entry[0] == old else entry for entry in meta[1]]
    meta_path.write_bytes(gzip.compress(search.SIGNATURE + search._encode(meta), mtime=0))
    (folder / "fragment" / f"{old}.pf_fragment").rename(folder / "fragment" / f"{new}.pf_fragment")
    for record in records[folder]["paginas"]:
        if record[1] == old:
            record[1] = new
    (folder / RECORDS_FILE).write_text(json.dumps(records[folder]), encoding="utf-8")
    write_store(index, [(path.relative_to(index).as_posix() + "/" if path != index else "", records[path])
                        for path in folders])


def test_a_page_id_that_two_bundles_share_is_counted_with_its_own_facets(page, tmp_path_factory):
    site = build_bundled(tmp_path_factory)
    give_page_the_id_of(site / "pagefind", LETTER_3, "/personen/broekers-knol/")
    with served(site) as base:
        for query, first in (("?q=hardheidsclausule", LETTER_3), ("?q=Broekers-Knol", "/personen/broekers-knol/")):
            open_search(page, base, query)
            assert results(page)[0] == first
        open_search(page, base, "?q=hardheidsclausule")
        assert results(page) == [LETTER_3]
        counts = {box.get_attribute("value"): box.evaluate("b => b.labels[0].textContent")
                  for box in page.locator("input[name='type']").all()}
        assert counts == {"brief": "Brief (1)"}


@pytest.mark.parametrize("query", ["?q=hardheidsclausule", "?q=rappelbrief", "?q=commissie", '?q="brief van 29 april"', "?type=brief&partij=PVV", "?q=commissie&kamer=Tweede+Kamer",
                                   # Bundles without the word match a beginning of it ("16"): left out.
                                   "?q=168946U", "?q=168946u&sortering=oudste"])
def test_an_index_in_bundles_finds_what_one_index_finds(page, search_url, bundled_search_url, query):
    open_search(page, search_url, query)
    whole = results(page)
    whole_message = page.inner_text("#zoekmelding")
    open_search(page, bundled_search_url, query)
    bundled = results(page)
    # Each bundle weighs words by its own pages, so the order of equally good results may differ.
    assert page.inner_text("#zoekmelding") == whole_message and sorted(bundled) == sorted(whole)
    first = page.locator("#resultaten > li > h3 a").first.get_attribute("href")
    assert first.startswith("/") and ("markeer=" in first) == ("q=" in query)


@pytest.mark.parametrize("query", ["?q=brief van 29 april"])
def test_an_index_in_bundles_finds_what_one_index_finds_and_perhaps_more(page, search_url, bundled_search_url, query):
    """A bundle that has none of several words (neither "brief" nor "29" in the first of three)
    leaves that word out and matches the others: a known difference of searching bundles together
    (README)."""
    open_search(page, search_url, query)
    whole = results(page)
    open_search(page, bundled_search_url, query)
    bundled = results(page)
    assert len(whole) < len(bundled) <= 10 and set(whole) <= set(bundled)


def test_large_facets_load_only_when_their_group_is_opened(page, search_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    open_search(page, search_url, "?q=commissie")
    results(page)
    assert any("/pagefind/zoekfacetten.json" in url for url in requested)
    assert not any("zoekfacetten-persoon" in url for url in requested)
    group = page.locator("details.filtergroep[data-facet='persoon']")
    group.locator("summary").click()
    group.locator("input[value='A. Broekers-Knol']").wait_for()
    assert any("zoekfacetten-persoon.json" in url for url in requested)
    assert not any("zoekfacetten-dossier" in url for url in requested)
    assert page.evaluate("() => document.activeElement.closest('details')?.dataset.facet") == "persoon"


def search_on_a_phone(browser, search_url: str, width: int, height: int):
    """A phone's browser (context, page) with the results for 'commissie' shown."""
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_search(page, search_url, "?q=commissie")
    results(page)
    return context, page


def test_on_a_phone_the_results_come_first_and_the_filters_open_in_a_panel(browser, search_url):
    context, page = search_on_a_phone(browser, search_url, 390, 844)
    button = page.locator("#filters-knop")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#filters").is_visible()
    assert page.locator("#resultaten > li").first.bounding_box()["y"] < page.viewport_size["height"]
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and page.locator("#filters").is_visible()
    page.keyboard.press("Space")  # the focused group's summary, opened from the keyboard
    context.close()


def test_on_a_small_phone_the_open_filter_panel_keeps_its_button_in_view(browser, search_url):
    context, page = search_on_a_phone(browser, search_url, 375, 667)
    button = page.locator("#filters-knop")
    button.click()
    page.locator("#filters summary").first.wait_for()
    box, panel = button.bounding_box(), page.locator("#filters").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 667  # still there to close the panel with
    assert box["y"] + box["height"] <= panel["y"]  # the panel opens below the button
    button.click()
    assert button.get_attribute("aria-expanded") == "false" and not page.locator("#filters").is_visible()
    context.close()


def test_a_search_index_that_cannot_be_loaded_is_said_so(page, search_url):
    page.route("**/pagefind/zoekfacetten.json*", lambda route: route.fulfill(status=404, body="niet gevonden"))
    open_search(page, search_url, "?q=commissie")
    page.wait_for_function("() => document.getElementById('zoekmelding').textContent.startsWith('Zoeken lukt nu niet')")
    assert page.get_attribute("#zoeken", "aria-busy") is None


def test_a_webassembly_that_cannot_be_loaded_is_said_so_by_every_worker(browser, bundled_search_url):
    """With the index's bundles in two workers, the first loads Pagefind's WebAssembly for both:
    when it cannot, the page says searching fails (Pagefind's mergeIndex alone would wait for it
    without end)."""
    context = browser.new_context()
    context.add_init_script("Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => 2 })")
    context.route("**/wasm.*.pagefind", lambda route: route.fulfill(status=404, body="niet gevonden"))
    page = context.new_page()
    open_search(page, bundled_search_url, "?q=commissie")
    page.wait_for_function("() => document.getElementById('zoekmelding').textContent.startsWith('Zoeken lukt nu niet')")
    assert len(page.workers) == 2 and page.get_attribute("#zoeken", "aria-busy") is None
    context.close()


def _edited_fixture(folder: Path) -> Path:
    """A copy of the fixture archive whose letter of 8 July 2021 says "onverwijld" where it said
    "spoedig"; returns its config file."""
    shutil.copytree(FIXTURE / "content", folder / "content")
    config = (FIXTURE / "config.yaml").read_text(encoding="utf-8").replace("../../../", str(ROOT) + "/")
    (folder / "config.yaml").write_text(config, encoding="utf-8")
    return folder / "config.yaml"


@pytest.fixture(scope="module")
def overlay_sites(tmp_path_factory):
    """(base URL of a site rebuilt after a one-word edit, whose index keeps its bundle and holds
    the letter in the overlay; base URL of a clean build of the same content)."""
    project = tmp_path_factory.mktemp("overlay")
    config = _edited_fixture(project)
    assert run_build("build", "--config", str(config), cwd=project).returncode == 0
    letter = project / "content" / "verslagen" / "kst-19637-H" / "brieven" / "2021-07-08-commissie.md"
    letter.write_text(letter.read_text(encoding="utf-8").replace("zo spoedig mogelijk", "zo onverwijld mogelijk"),
                      encoding="utf-8")
    result = run_build("build", "--config", str(config), cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "pagefind" / "bijgewerkt").is_dir()
    clean = tmp_path_factory.mktemp("clean")
    config = _edited_fixture(clean)
    shutil.copy(letter, clean / "content" / "verslagen" / "kst-19637-H" / "brieven" / letter.name)
    assert run_build("build", "--config", str(config), cwd=clean).returncode == 0
    servers = [serve_folder(folder / "site") for folder in (project, clean)]
    yield [base for base, _ in servers]
    for _, server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("query", ["?q=onverwijld", "?q=168946U", "?q=commissie", "?q=mogelijk",
                                   "?type=brief&partij=PVV", "?q=commissie&kamer=Eerste+Kamer"])
def test_an_edited_page_in_the_overlay_is_found_as_in_a_clean_build(page, overlay_sites, query):
    """The kept bundle's out-of-date copy of the letter is never a result: the new words find
    the letter once, and filters and counts are those of a clean build."""
    rebuilt, clean = overlay_sites
    open_search(page, clean, query)
    expected, message = results(page), page.inner_text("#zoekmelding")
    open_search(page, rebuilt, query)
    assert sorted(results(page)) == sorted(expected) and page.inner_text("#zoekmelding") == message
    if query == "?q=onverwijld":
        assert expected == [LETTER_2]


def test_the_words_an_edit_took_away_no_longer_find_the_page(page, overlay_sites):
    """Only the kept bundle's out-of-date copy of the letter has "spoedig": it is dropped. (A
    clean build, lacking the word, answers with pages that have a beginning of it: "sp" of the
    SP; bundles differ there, see the README.)"""
    rebuilt, _ = overlay_sites
    open_search(page, rebuilt, "?q=spoedig")
    assert LETTER_2 not in results(page)


def test_the_result_helpers_read_pagefinds_length_bonus_and_keep_what_was_typed(page, search_url):
    """treffers.js's pure functions, in Chromium: a location's length differential from Pagefind's
    balanced score ((24 x weight)^2 x bonus), a matched beginning told from a longer word, the
    terms to mark, and a phrase's marks joined."""
    page.goto(f"{search_url}/zoeken/")
    got = page.evaluate("""async () => {
        const t = await import('/static/treffers.js');
        const bonus = (d) => Math.exp(Math.exp(-d * d / 8) - 1);
        const location = (d, weight, at) => ({ weight, balanced_score: (24 * weight) ** 2 * bonus(d), location: at });
        const fragment = (content, ...locations) => ({ content, weighted_locations: locations });
        return {
            differentials: [1, 2, 6].map((d) => t.lengthDifferential(location(d, 7, 0))),
            beginning: t.matchedABeginning(fragment("op 16 december", location(6, 1, 1)), ["168946u"]),
            exact: t.matchedABeginning(fragment("kenmerk 168946U)", location(1, 1, 1)), ["168946u"]),
            longer: t.matchedABeginning(fragment("de Vergaderjaar", location(5, 1, 1)), ["vergaderingen"]),
            words: t.searchedWords("Broekers-Knol 168946U"), phrase: t.searchedWords('"menselijke maat"'),
            marks: [t.markTerms("Directoraat-Generaal (ministerie)"), t.markTerms(' "brief  van 29 april" ')],
            address: t.withMarks("/a/?markeer=directoraatgeneraal#b", "Directoraat-Generaal"),
            none: t.withMarks("/a/?markeer=", null),
            joined: t.joinedMarks([["Bij ", false], ["brief", true], [" ", false], ["van", true], [" 2021", false]]),
        };
    }""")
    assert got["differentials"] == [1, 2, 6]
    assert (got["beginning"], got["exact"], got["longer"]) == (True, False, False)
    assert got["words"] == ["broekersknol", "168946u"] and got["phrase"] == []
    assert got["marks"] == [["Directoraat-Generaal", "ministerie"], ["brief van 29 april"]]
    assert got["address"] == "/a/?markeer=Directoraat-Generaal#b" and got["none"] == "/a/"
    assert got["joined"] == [["Bij ", False], ["brief van", True], [" 2021", False]]


def test_the_workers_results_merge_as_pagefind_merges_bundles(page, search_url):
    """treffers.js's merge of the search workers' results: by score, highest first, equal scores
    in bundle order (the earlier worker's first), as Pagefind's stable sort of the bundles' results
    one after another; and the bundles cut into groups that follow each other, about equal in pages."""
    page.goto(f"{search_url}/zoeken/")
    got = page.evaluate("""async () => {
        const t = await import('/static/treffers.js');
        const lists = [{ ids: ['a1', 'a2', 'a3', 'a4'], scores: [9, 5, 5, 1] },
                       { ids: ['b1', 'b2', 'b3'], scores: [9, 7, 5] }, { ids: [], scores: [] },
                       { ids: ['d1'], scores: [5] }];
        const whole = lists.flatMap((list, w) => list.ids.map((id, i) => [id, list.scores[i]]))
            .sort((x, y) => y[1] - x[1]).map(([id]) => id);
        const bundles = (...pages) => pages.map((paginas, i) => ({ pad: String(i), paginas }));
        const cut = (groups) => groups.map((group) => group.map((bundle) => bundle.pad).join(''));
        return {
            merged: t.mergedByScore(lists).map(([w, place]) => lists[w].ids[place]), whole,
            eight: cut(t.bundleGroups(bundles(10000, 10000, 10000, 10000, 10000, 10000, 10000, 8275), 2)),
            three: cut(t.bundleGroups(bundles(30, 30, 12), 4)), one: cut(t.bundleGroups(bundles(7865), 2)),
            overlay: cut(t.bundleGroups(bundles(10000, 10000, 10000, 40), 2)),
        };
    }""")
    assert got["merged"] == got["whole"] == ["a1", "b1", "b2", "a2", "a3", "b3", "d1", "a4"]
    assert got["eight"] == ["0123", "4567"] and got["three"] == ["0", "1", "2"] and got["one"] == ["0"]
    assert got["overlay"] == ["01", "23"]


def all_results(page) -> list[str]:
    """Every result page of the search shown, in order, "Meer resultaten" clicked until it is gone."""
    shown = results(page)
    while page.locator("#meer-resultaten").is_visible():
        page.click("#meer-resultaten")
        page.wait_for_function("(n) => document.querySelectorAll('#resultaten > li').length > n", arg=len(shown))
        shown = results_listed(page)
    return shown


def results_listed(page) -> list[str]:
    return [re.sub(r"\?markeer=[^#]*", "", href) for href in
            page.locator("#resultaten > li > h3 a").evaluate_all("els => els.map(e => e.getAttribute('href'))")]


MERGED_IN_PAGE = """async (query) => {
    const pagefind = await import('/pagefind/pagefind.js');
    await pagefind.options({ noWorker: true, baseUrl: '/' });
    const store = await (await fetch('/pagefind/zoekfacetten.json')).json();
    for (const bundle of store.bundels.slice(1)) { await pagefind.mergeIndex(`/pagefind/${bundle.pad}`); }
    const found = await pagefind.search(query);
    const urls = [];
    for (const result of found.results) { urls.push((await result.data()).url); }
    return urls.filter((url, i) => urls.indexOf(url) === i);
}"""


@pytest.mark.parametrize("cores", [1, 2, 3, 16])
@pytest.mark.parametrize("query", ["commissie", "de"])
def test_bundles_searched_in_several_workers_give_pagefinds_merged_order(browser, bundled_search_url, cores, query):
    """However many workers share the fixture's four bundles (one per core, at most four), the
    results come in the order of Pagefind's own mergeIndex over all bundles. Every worker loads the
    index folder's WebAssembly once, for all workers."""
    context = browser.new_context()
    context.add_init_script(f"Object.defineProperty(navigator, 'hardwareConcurrency', {{ get: () => {cores} }})")
    requested = []
    context.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page = context.new_page()
    open_search(page, bundled_search_url, f"?q={query}")
    shown = all_results(page)
    assert len(page.workers) == min(cores, 4)
    assert [path for path in requested if "wasm" in path] == ["/pagefind/wasm.nl.pagefind"]
    assert len(shown) > 10 and shown == page.evaluate(MERGED_IN_PAGE, query)
    context.close()
