"""treemarkup.py: the markdown-it-pyrs path of markup.py writes what the markdown-it-py path writes.

Unit tests of the tree walk (footnotes with their printed numbers, heading ids, paragraph anchors,
links, errors and their lines), and differential tests: for generated texts and for every real
text in the repository, both paths give the same HTML, references, headings, footnotes and errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from kamerarchief import treemarkup
from kamerarchief.errors import ErrorList
from kamerarchief.importer.run import import_sources
from kamerarchief.load import split_front_matter
from kamerarchief.markup import make_parser, render_markdown
from kamerarchief.model import MarkdownText

ROOT = Path(__file__).resolve().parent.parent
TREE = make_parser()
PY = make_parser(tree=False)


def same(py, rs, text: str) -> None:
    """Both paths' results are equal; else the first field that differs, with the text."""
    for name in py[0].__dataclass_fields__:
        assert getattr(rs[0], name) == getattr(py[0], name), f"{name} differs for {text!r}"
    assert rs[1] == py[1], f"errors differ for {text!r}"


def both(text: str, first_line: int = 5):
    """(markdown-it-py's result, the tree's result), each (RenderedText, sorted error strings)."""
    results = []
    for parsers in (PY, TREE):
        errors = ErrorList()
        rendered = render_markdown(parsers, MarkdownText(text, "t.md", first_line), "kst-19637-H", errors)
        results.append((rendered, [str(e) for e in errors.sorted()]))
    return results


def tree(text: str, first_line: int = 5):
    """The tree path's (RenderedText, errors), after checking that it did not fall back."""
    assert not treemarkup.needs_fallback(text)
    py, rs = both(text, first_line)
    same(py, rs, text)
    return rs


# The walk ---------------------------------------------------------------------------------------

def test_footnotes_keep_their_printed_numbers_in_the_order_first_referenced():
    text = "Eerst[^12], dan[^7] en weer[^12].\n\n[^7]: Zeven.\n\n[^12]: Twaalf, zie[^7].\n"
    result, errors = tree(text)
    assert not errors
    assert result.footnote_labels == ("12", "7")
    assert result.body_html == (
        '<p id="alinea-1">Eerst<sup class="noot"><a href="#noot-12" id="ref-noot-12" role="doc-noteref" '
        'aria-label="voetnoot 12">12</a></sup>, dan<sup class="noot"><a href="#noot-7" id="ref-noot-7" '
        'role="doc-noteref" aria-label="voetnoot 7">7</a></sup> en weer<sup class="noot"><a href="#noot-12" '
        'id="ref-noot-12-2" role="doc-noteref" aria-label="voetnoot 12">12</a></sup>.</p>\n')
    # The second reference to 12 and the one in note 12 to 7 each get a link back.
    assert 'href="#ref-noot-12-2" role="doc-backlink" aria-label="terug naar verwijzing 12 (2)">↩</a></p>' \
        in result.footnotes_html
    assert 'href="#ref-noot-7-2"' in result.footnotes_html
    assert result.first_footnote_lines == {"7": 7, "12": 9}


def test_headings_get_unique_ids_and_never_a_paragraph_or_note_id():
    result, errors = tree("## Over *de* zaak\n\ntekst\n\n## Over de zaak\n\n## Alinea 1\n\n## Noot 3\n")
    assert not errors
    assert result.headings == (("over-de-zaak", "Over *de* zaak"), ("over-de-zaak-2", "Over de zaak"),
                               ("sectie-alinea-1", "Alinea 1"), ("sectie-noot-3", "Noot 3"))
    assert '<h2 id="sectie-alinea-1">Alinea 1</h2>' in result.body_html


def test_paragraph_anchors_count_body_paragraphs_only():
    result, _ = tree("Een [A](persoon:a).\n\n> Twee [B](persoon:b).\n\nDrie[^1]\n\n[^1]: Noot [C](persoon:c).\n")
    assert [(r.target, r.anchor, r.footnote) for r in result.references] == [
        ("a", "alinea-1", None), ("b", "alinea-2", None), ("c", "noot-1", "1")]
    assert '<blockquote>\n<p id="alinea-2">' in result.body_html


def test_a_reference_in_a_tight_list_points_at_an_id_that_is_written():
    result, _ = tree("Leden:\n\n- [Karimi](persoon:karimi)\n- [Kox](persoon:kox)\n  > [Bee](persoon:bee)\n\nSlot.\n")
    anchors = [r.anchor for r in result.references]
    assert anchors == ["alinea-2", "alinea-3", "alinea-4"]
    for anchor in anchors:
        assert f'id="{anchor}"' in result.body_html
    assert '<p id="alinea-5">Slot.</p>' in result.body_html


def test_links_references_and_excerpts():
    result, errors = tree('Zie [het verzoek](brief:2021-04-29-commissie) en [site](https://x.nl/é "T & t").\n')
    assert not errors
    assert ('<a href="/verslagen/kst-19637-H/2021-04-29-commissie/" class="ref ref-brief">het verzoek</a>'
            in result.body_html)
    assert '<a href="https://x.nl/%C3%A9" title="T &amp; t">site</a>' in result.body_html
    [reference] = result.references
    assert (reference.target, reference.link_text, reference.excerpt, reference.line) == (
        "kst-19637-H/2021-04-29-commissie", "het verzoek", "Zie het verzoek en site.", 5)


def test_errors_keep_their_lines():
    text = ("# Titel\n\nEen\nregel [x](ftp://a) en\\\n[y](persoon:Fout_Id) en [^9].\n\n"
            "Noot[^1].\n\n[^1]: Eén.\n\n[^b]: Bee.\n")
    _, errors = tree(text, first_line=10)
    assert errors == [
        "t.md:10: a '#' heading would repeat the page title; use '##' for the sections of a text",
        "t.md:13: link 'ftp://a' is not allowed: use https://, mailto: or one of persoon:, partij:, bron:, "
        "brief:, commissie:, dossier:, verslag:",
        "t.md:14: footnote [^9] is referenced but not defined",
        "t.md:14: link 'persoon:Fout_Id' does not name a valid persoon id",
        "t.md:20: footnote [^b] must be labelled with its printed number",
    ]


@pytest.mark.parametrize("text, expected", [
    ("Zie noot[^1]: dit.\n", ["t.md:5: footnote [^1] is referenced but not defined"]),
    ("Een.\n\n   [^x]: drie spaties\n", ["t.md:7: footnote [^x] must be labelled with its printed number"]),
    ("Een.\n\n    [^x]: code\n", []),
    ("Een.\n\n[^2]: nooit\n", ["t.md:7: footnote [^2] is defined but never referenced"]),
])
def test_footnote_definitions_are_found_where_a_line_starts(text, expected):
    # Both paths share the check; a definition starts a line after at most 3 spaces.
    py, rs = both(text)
    same(py, rs, text)
    assert py[1] == expected


def test_citations_become_placeholder_links():
    result, _ = tree("Zie Kamerstukken II 1987/88, 20 200 XIII, nr. 114 en\nnrs. 3 en 4.\n")
    assert '<a href="kamerstuk:kst-20200-XIII-114?voor-1995" class="ref ref-kamerstuk">' in result.body_html
    # The numbers after the line break are cited too, at their own line.
    assert [(r.target, r.line) for r in result.references] == [
        ("kst-20200-xiii-114", 5), ("kst-20200-xiii-3", 6), ("kst-20200-xiii-4", 6)]


def test_tight_lists_and_nested_blocks():
    result, _ = tree("- een\n- twee\n  - drie\n\n3. a\n\n   b\n\n***\n\n    code <x>\n\n```py\nf & g\n```\n")
    # A tight list writes no <p>: the item takes the paragraph's id.
    assert result.body_html.startswith('<ul>\n<li id="alinea-1">een</li>\n<li id="alinea-2">twee\n<ul>\n'
                                       '<li id="alinea-3">drie</li>\n</ul>\n</li>\n</ul>\n'
                                       '<ol start="3">\n<li>\n<p id="alinea-4">a</p>\n')
    assert '<pre><code class="language-py">f &amp; g\n</code></pre>' in result.body_html


@pytest.mark.parametrize("text", [
    "Een inline noot^[zoals deze].\n", "Tab\tin de tekst.\n",
    "<https://bücher.de>\n", "[a]\n\n[a]: https://x.nl\n", "Noot[^1].\n\n[^1]: een\n\n[^1]: twee\n",
    "> quote\n- lijst\n", "```\ncode", "- Noot[^1].\n\n  [^1]: in een lijst\n",
])
def test_constructs_the_tree_leaves_to_markdown_it_py_render_the_same(text):
    assert treemarkup.needs_fallback(text)
    py, rs = both(text)
    same(py, rs, text)


@pytest.mark.parametrize("text", ["[x](javascript:alert(1))\n", "[x](jav&#97;script:alert(1))\n", "[x](a b)\n"])
def test_a_link_pyrs_refuses_is_rendered_by_markdown_it_py(text):
    py, rs = both(text)
    same(py, rs, text)
    assert "not allowed" in "".join(py[1]) or "a b" in py[0].body_html


def test_a_text_pyrs_fails_on_falls_back():
    # markdown-it-pyrs 0.4.0 panics on an unclosed backtick after a bracket.
    text = "[`a\n"
    with pytest.raises(treemarkup.TreeParseError):
        treemarkup.parse(TREE.tree, text)
    py, rs = both(text)
    same(py, rs, text)


# Differential ---------------------------------------------------------------------------------

WORDS = st.sampled_from([
    "de", "Kamer", "é", "&", "<b>", '"q"', "a_b_", "*", "**", "_", "\\*", "&amp;", "&#42;", "[", "]",
    "(", ")", "!", "#", ">", "-", "1.", "2)", "[^1]", "[^2]", "[^x]", "[^3]:", "]:",
    "[Karimi](persoon:karimi)", "[GL](partij:gl)", "[brief](brief:2021-04-29-commissie)",
    "[fout](persoon:A_B)", "[site](https://x.nl/a?b=c&d=é)", '[t](https://x.nl "titel")', "[m](mailto:a@b.nl)",
    "[ftp](ftp://x)", "[*nadruk*](bron:b)", "[leeg]()", "Kamerstukken II 1987/88, 20 200 XIII, nr. 114",
    "kst-19637-H", "Kamerstuk 21 501-32, nrs. 12 en 13", "<https://x.nl>",
    "https://x.nl", "  ", "\\", "~~~", "***", "---", "===", "    ", "Alinea 1",
])
LINE = st.lists(WORDS, min_size=0, max_size=8).map(" ".join)
BLOCK = st.one_of(
    st.lists(LINE, min_size=1, max_size=3).map("\n".join),
    LINE.map(lambda s: "## " + s), LINE.map(lambda s: "# " + s), LINE.map(lambda s: s + "\n---"),
    st.lists(LINE, min_size=1, max_size=3).map(lambda ls: "\n".join("- " + x for x in ls)),
    st.lists(LINE, min_size=1, max_size=3).map(lambda ls: "\n\n".join(f"{i + 2}. " + x for i, x in enumerate(ls))),
    st.lists(LINE, min_size=1, max_size=3).map(lambda ls: "\n".join("- " + x + "\n  - " + x for x in ls)),
    st.lists(LINE, min_size=1, max_size=2).map(lambda ls: "\n".join("> " + x for x in ls)),
    LINE.map(lambda s: "    " + s), LINE.map(lambda s: "```py\n" + s + "\n```"),
    st.lists(st.sampled_from(["`code <x>`", "``a ` b``", "`  `", "`", "de", "**`x`**"]), max_size=4).map(" ".join),
    st.tuples(st.sampled_from(["1", "2", "3", "x", "10"]), st.lists(LINE, min_size=1, max_size=2)).map(
        lambda t: f"[^{t[0]}]: " + "\n\n    ".join(t[1])),
)
TEXT = st.lists(st.tuples(BLOCK, st.sampled_from(["\n\n", "\n\n", "\n"])), min_size=1, max_size=6).map(
    lambda blocks: "".join(block + sep for block, sep in blocks))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
@example("Tekst[^1]\n\n[^1]: Noot\n\n    - a\n    - b\n")
@example("## [^1] kop\n\n[^1]: x\n")
@example("[[^1]\n\n[^1]: x\n")  # pyrs counts this reference twice
@example(">>\\\n>-\n")  # a list in the outer quote
@example("- de\n    de\n    ---\n\n")  # a heading over two lines in a list item
@example("- [a]: x\n")  # a link reference definition in a list item
@example("> a\nb\n3.\n")  # an empty item after a quote's lazy line: markdown-it-py starts a list
def test_generated_texts_render_the_same_on_both_paths(text):
    py, rs = both(text)
    same(py, rs, text)


def real_texts():
    """Every Markdown text in the repository: the site's content, the test fixtures and invalid cases."""
    for path in sorted([*ROOT.glob("content/**/*.md"), *ROOT.glob("tests/**/*.md")]):
        raw = path.read_text(encoding="utf-8")
        if raw.startswith("---\n"):
            _, body, line = split_front_matter(raw)
            yield pytest.param(body, line, id=str(path.relative_to(ROOT)))
        else:
            yield pytest.param(raw, 1, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize("text, first_line", list(real_texts()))
def test_real_texts_render_the_same_on_both_paths(text, first_line):
    py, rs = both(text, first_line)
    same(py, rs, text)


def test_imported_texts_render_the_same_on_both_paths(tmp_path):
    # What the importer makes of real OCR (Staten-Generaal Digitaal) and of a real kamerstuk.
    sources = [*sorted(str(p) for p in (ROOT / "tests" / "data").glob("sgd-ocr-*.jsonl")),
               str(ROOT / "sources" / "kst-19637-H.txt")]
    import_sources(sources, tmp_path / "content", False, False, None)
    texts = sorted((tmp_path / "content").glob("verslagen/**/*.md"))
    assert len(texts) > 40
    for path in texts:
        _, body, first_line = split_front_matter(path.read_text(encoding="utf-8"))
        assert not treemarkup.needs_fallback(body), path
        py, rs = both(body, first_line)
        same(py, rs, str(path))
