"""In a real Chromium: the search page finds text, and pages pass axe's WCAG 2.1 AA checks."""

from __future__ import annotations

import json
from pathlib import Path

import axe_playwright_python
import pytest

from conftest import search_results

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def search(page, site_url: str, query: str) -> list[str]:
    """Type a query into the search page as a reader does; the result pages in order."""
    page.goto(f"{site_url}/zoeken/")
    page.locator("#zoekterm").fill(query)
    page.wait_for_url(lambda url: "q=" in url)
    return search_results(page)


def test_search_finds_the_reminder_letter_by_its_word(page, site_url):
    assert search(page, site_url, "rappelbrief")[0] == "/verslagen/kst-19637-H/"


def test_search_finds_a_letter_by_its_kenmerk(page, site_url):
    assert search(page, site_url, "168946U")[0] == "/verslagen/kst-19637-H/2021-07-08-commissie/"


def test_search_query_in_the_address_is_restored(page, site_url):
    page.goto(f"{site_url}/zoeken/?q=Broekers-Knol")
    links = search_results(page)
    assert page.input_value("#zoekterm") == "Broekers-Knol"
    assert "/verslagen/kst-19637-H/2021-07-08-staatssecretaris/" in links


@pytest.mark.parametrize("path", ["/", "/verslagen/kst-19637-H/", "/verslagen/kst-19637-H/2021-07-08-staatssecretaris/",
                                  "/partijen/gl/", "/personen/", "/bronnen/ongezien-onrecht/", "/zoeken/?q=rappelbrief"])
def test_pages_have_no_wcag_aa_violations(page, site_url, path):
    page.goto(f"{site_url}{path}")
    if "?q=" in path:
        search_results(page)
    page.add_script_tag(content=AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not violations, json.dumps(violations, indent=1)


@pytest.mark.parametrize("path", ["/", "/verslagen/kst-19637-H/2021-07-08-staatssecretaris/", "/zoeken/?q=rappelbrief"])
def test_a_first_visit_finds_everything_it_asks_for(browser, site_url, path):
    """No request of a page fails: its style sheet, scripts, search bundle and icon (a missing
    /favicon.ico was a 404 on every first visit)."""
    context = browser.new_context()
    page = context.new_page()
    failed, icons = [], []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.on("request", lambda r: "favicon" in r.url and icons.append(r.url))
    page.goto(f"{site_url}{path}", wait_until="networkidle")
    if "?q=" in path:
        search_results(page)
    context.close()
    assert not failed
    assert icons, "the browser asked for no icon"


def test_the_search_page_on_a_phone_with_its_filters_open_has_no_wcag_aa_violations(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{site_url}/zoeken/?q=commissie&persoon=A.+Broekers-Knol")
    search_results(page)
    page.click("#filters-knop")
    page.locator("details.filtergroep[data-facet='persoon'] input:checked").wait_for()
    page.add_script_tag(content=AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not violations, json.dumps(violations, indent=1)
    context.close()
