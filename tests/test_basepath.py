"""Unit tests of publishing under a path: the base path put into pages, base_url checked, and the
preview's mapping of request paths."""

from __future__ import annotations

import pytest

from kamerarchief.basepath import with_base_path
from kamerarchief.config import base_url_problem
from kamerarchief.serve import within_base_path


def test_root_absolute_addresses_get_the_base_path():
    page = ('<a href="/verslagen/">x</a> <link rel="stylesheet" href="/static/style.css">'
            '<script src="/static/zoeken.js" defer></script><form action="/zoeken/"></form>'
            '<img src="/a.png" srcset="/a.png 1x, /b.png 2x">')
    assert with_base_path(page, "/archief") == (
        '<a href="/archief/verslagen/">x</a> <link rel="stylesheet" href="/archief/static/style.css">'
        '<script src="/archief/static/zoeken.js" defer></script><form action="/archief/zoeken/"></form>'
        '<img src="/archief/a.png" srcset="/archief/a.png 1x, /archief/b.png 2x">')


def test_other_addresses_and_text_are_left_alone():
    page = ('<a href="https://example.org/x">a</a><a href="#noot-1">b</a><a href="mailto:a@b.nl">c</a>'
            '<a href="//cdn.example.org/x">d</a><a href="relatief/">e</a>'
            '<meta data-pagefind-meta="titel[content]" content="/ een titel">'
            '<p>Schrijf href=&quot;/y&quot; of href=&#34;/z&#34;</p>'  # text: quotes are always escaped
            '<a data-href="/x" title="/y">f</a>')
    assert with_base_path(page, "/archief") == page


def test_without_a_base_path_the_page_is_unchanged():
    assert with_base_path('<a href="/verslagen/">x</a>', "") == '<a href="/verslagen/">x</a>'


def test_a_base_path_is_escaped_in_the_attribute():
    assert with_base_path('<a href="/x/">x</a>', "/a&b") == '<a href="/a&amp;b/x/">x</a>'


@pytest.mark.parametrize("value", ["", "https://example.org", "https://example.org/", "https://example.org/archief/",
                                   "http://127.0.0.1:8000/a/b", "https://voorbeeld.nl/kamer-archief"])
def test_good_base_urls(value):
    assert base_url_problem(value) is None


@pytest.mark.parametrize("value", ["example.org/archief", "/archief/", "ftp://example.org/", "https://",
                                   "https://example.org/a?b=c", "https://example.org/a#b", "https://example.org/a b",
                                   "https://example.org//archief", "https://example.org/a/../b", "https://x.org:poort/",
                                   'https://example.org/"><script>'])
def test_bad_base_urls_are_reported(value):
    assert base_url_problem(value)


@pytest.mark.parametrize("request_path, base_path, expected", [
    ("/verslagen/?q=1", "", "/verslagen/?q=1"),
    ("/archief/verslagen/?q=1", "/archief", "/verslagen/?q=1"),
    ("/archief/", "/archief", "/"),
    ("/archief", "/archief", "/"),
    ("/", "/archief", None),
    ("/archiefx/", "/archief", None),
    ("/verslagen/", "/archief", None),
])
def test_the_preview_maps_requests_under_the_base_path(request_path, base_path, expected):
    assert within_base_path(request_path, base_path) == expected
