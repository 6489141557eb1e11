"""`build.py import` of the seed (sources/kst-19637-H.txt, pdftotext of the official PDF) into an
empty content folder: it checks clean, builds, keeps every line of the seed, and differs from the
hand-encoded verslag only where the test says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SEED_TEXT, empty_project, run_build
from htmltext import read_page
from sitecompare import differences
from test_seed import normalise, page_text, seed_lines

VERSLAG = "verslagen/kst-19637-H"
LETTERS = ("2021-04-29-commissie", "2021-07-08-commissie", "2021-07-08-staatssecretaris")
HAND = ROOT / "content" / "verslagen" / "kst-19637-H"


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A project whose content is only what the import of the seed wrote."""
    project = empty_project(tmp_path_factory.mktemp("import-seed"))
    result = run_build("import", str(SEED_TEXT), "--content", "content", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "imported 1 document" in result.stdout
    return project


@pytest.fixture(scope="module")
def imported_site(imported) -> Path:
    result = run_build("build", "--output", "site", cwd=imported)
    assert result.returncode == 0, result.stderr
    return imported / "site"


def test_the_import_checks_clean(imported):
    result = run_build("check", cwd=imported)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_every_line_of_the_seed_is_on_the_imported_site(imported_site):
    text = "".join(page_text(imported_site, p) for p in (VERSLAG, *(f"{VERSLAG}/{s}" for s in LETTERS)))
    haystack = normalise(text)
    missing = [line for line in seed_lines() if normalise(line) not in haystack]
    assert not missing, "lines of the seed not on the imported site:\n" + "\n".join(missing)


def test_three_letters_on_pages_of_their_own(imported_site):
    for slug in LETTERS:
        assert (imported_site / VERSLAG / slug / "index.html").is_file()
    text = " ".join(page_text(imported_site, f"{VERSLAG}/{LETTERS[2]}").split())
    assert "Den Haag, 8 juli 2021" in text and "A. Broekers-Knol" in text


def test_nine_footnotes_with_their_printed_numbers(imported_site):
    numbers = []
    for path in (VERSLAG, *(f"{VERSLAG}/{s}" for s in LETTERS)):
        reader = read_page((imported_site / path / "index.html").read_text(encoding="utf-8"))
        numbers += [int(i.removeprefix("noot-")) for i in reader.ids if re.fullmatch(r"noot-\d+", i)]
    assert numbers == list(range(1, 10))


def test_27_seats_and_15_parties(imported_site):
    html = (imported_site / VERSLAG / "index.html").read_text(encoding="utf-8")
    table = html[html.index('<table class="seats">'):html.index("</table>")]
    assert len(re.findall(r"<tr>\s*<td>(\d+)</td>", table)) == 27
    assert table.count(">vacature<") == 1
    assert len(set(re.findall(r'href="/partijen/([^/]+)/"', table))) == 15


def test_groenlinks_page_lists_its_three_members(imported_site):
    text = " ".join(page_text(imported_site, "partijen/gl").split())
    for name in ("De Boer", "Karimi", "Veldhoen"):
        assert name in text


def test_christenunie_page_links_the_letter_that_mentions_it(imported_site):
    reader = read_page((imported_site / "partijen/cu/index.html").read_text(encoding="utf-8"))
    assert any(link.startswith(f"/{VERSLAG}/2021-07-08-commissie/") for link in reader.links)


def _plain(markdown: str) -> str:
    """A text's words without link markup, hard breaks and escapes: what the reader reads."""
    markdown = re.sub(r"\[([^\]]*)\]\((?:persoon|partij|bron|brief|commissie|dossier|verslag):[^)]*\)", r"\1", markdown)
    return " ".join(markdown.replace("\\\n", " ").replace("\\", "").split())


def _body(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


def test_the_text_is_the_hand_encoded_text(imported):
    """Set aside links and line breaks, each text is word for word the hand-encoded one."""
    folder = imported / "content" / VERSLAG
    assert _plain(_body(folder / "inleiding.md")) == _plain(_body(HAND / "inleiding.md"))
    for slug in LETTERS:
        assert _plain(_body(folder / "brieven" / f"{slug}.md")) == _plain(_body(HAND / "brieven" / f"{slug}.md")), slug


def test_what_differs_from_the_hand_encoded_verslag(imported, imported_site, built_site, capsys):
    """The import finds what the hand-encoded verslag records, except the bronnen (reports,
    articles, motions) and the links between the letters, which an editor adds: this test lists
    every difference and fails on any other kind."""
    found = differences(built_site, imported_site, VERSLAG)
    with capsys.disabled():
        print(f"\n{len(found)} differences between the hand-encoded and the imported kst-19637-H:")
        for line in found:
            print("  " + line)
    assert not [line for line in found if "only in the" in line and "site" in line]
    expected_kinds = re.compile(
        r"link only in the hand-encoded page: /(bronnen/|verslagen/kst-19637-H/)"  # bronnen, letters cited
        r"|link only in the imported page: https://zoek\.officielebekendmakingen\.nl/"  # its source
        r"|imported only: Ingelezen uit"                                            # the provenance notice
        r"|(hand-encoded|imported) only: ")                                         # text split or linked otherwise
    assert all(expected_kinds.search(line) for line in found)
    hand = yaml.safe_load((HAND / "verslag.yaml").read_text(encoding="utf-8"))
    ours = yaml.safe_load((imported / "content" / VERSLAG / "verslag.yaml").read_text(encoding="utf-8"))
    for key in ("kamer", "vergaderjaar", "dossier", "ondernummer", "type", "vastgesteld", "commissie",
                "griffier", "ondertekening", "samenstelling", "brieven"):
        assert ours[key] == hand[key], key
