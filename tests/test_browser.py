"""In a real Chromium: the search page finds text, and pages pass axe's WCAG 2.1 AA checks."""

from __future__ import annotations

import json
from pathlib import Path

import axe_playwright_python
import pytest

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def search(page, site_url: str, query: str):
    page.goto(f"{site_url}/zoeken/")
    page.fill("#zoeken input", query)
    results = page.locator(".pagefind-ui__result")
    results.first.wait_for(timeout=10_000)
    return results


def test_search_finds_the_reminder_letter_by_its_word(page, site_url):
    results = search(page, site_url, "rappelbrief")
    links = results.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert links[0] == "/verslagen/kst-19637-H/"


def test_search_finds_a_letter_by_its_kenmerk(page, site_url):
    results = search(page, site_url, "168946U")
    first = results.first.locator(".pagefind-ui__result-link")
    assert first.get_attribute("href") == "/verslagen/kst-19637-H/2021-07-08-commissie/"


def test_search_query_in_the_address_is_restored(page, site_url):
    page.goto(f"{site_url}/zoeken/?q=Broekers-Knol")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=10_000)
    assert page.input_value("#zoeken input") == "Broekers-Knol"
    links = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "/verslagen/kst-19637-H/2021-07-08-staatssecretaris/" in links


@pytest.mark.parametrize("path", ["/", "/verslagen/kst-19637-H/", "/verslagen/kst-19637-H/2021-07-08-staatssecretaris/",
                                  "/partijen/gl/", "/personen/", "/bronnen/ongezien-onrecht/", "/zoeken/?q=rappelbrief"])
def test_pages_have_no_wcag_aa_violations(page, site_url, path):
    page.goto(f"{site_url}{path}")
    if "?q=" in path:
        page.locator(".pagefind-ui__result").first.wait_for(timeout=10_000)
    page.add_script_tag(content=AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]
    assert not violations, json.dumps(violations, indent=1)
