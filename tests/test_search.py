"""Search as a journalist uses it, in Chromium, on the fixture archive (real verslagen and letters)."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from urllib.parse import quote_plus

import pytest

from conftest import ROOT, run_build, search_results as results, serve_folder

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


@pytest.fixture(scope="module")
def bundled_search_url(tmp_path_factory):
    """The fixture archive with its index in bundles of at most 30 pages (three)."""
    project = tmp_path_factory.mktemp("bundled")
    config = (FIXTURE / "config.yaml").read_text(encoding="utf-8").replace("../../../", str(ROOT) + "/")
    (project / "config.yaml").write_text(config + "search_bundle_pages: 30\n", encoding="utf-8")
    output = project / "site"
    result = run_build("build", "--config", str(project / "config.yaml"), "--content", str(FIXTURE / "content"),
                       "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert (output / "pagefind" / "deel-3").is_dir()
    base, server = serve_folder(output)
    yield base
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("query", ["?q=hardheidsclausule", "?q=rappelbrief", "?q=commissie", '?q="brief van 29 april"', "?type=brief&partij=PVV", "?q=commissie&kamer=Tweede+Kamer"])
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


@pytest.mark.parametrize("query", ["?q=168946U", "?q=brief van 29 april"])
def test_an_index_in_bundles_finds_what_one_index_finds_and_perhaps_more(page, search_url, bundled_search_url, query):
    """A word that a bundle lacks makes Pagefind match the longest beginning of it that the bundle
    has ("168" for 168946U): a known difference of searching bundles together (README)."""
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


def test_on_a_phone_the_results_come_first_and_the_filters_open_in_a_panel(browser, search_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    open_search(page, search_url, "?q=commissie")
    results(page)
    button = page.locator("#filters-knop")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#filters").is_visible()
    assert page.locator("#resultaten > li").first.bounding_box()["y"] < page.viewport_size["height"]
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and page.locator("#filters").is_visible()
    page.keyboard.press("Space")  # the focused group's summary, opened from the keyboard
    context.close()


def test_a_search_index_that_cannot_be_loaded_is_said_so(page, search_url):
    page.route("**/pagefind/zoekfacetten.json*", lambda route: route.fulfill(status=404, body="niet gevonden"))
    open_search(page, search_url, "?q=commissie")
    page.wait_for_function("() => document.getElementById('zoekmelding').textContent.startsWith('Zoeken lukt nu niet')")
    assert page.get_attribute("#zoeken", "aria-busy") is None


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
