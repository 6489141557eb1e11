"""The seed kst-19637-H is reproduced faithfully: every line of the printed text is on the site."""

from __future__ import annotations

import re

import pytest

from conftest import SEED_TEXT
from htmltext import read_page

VERSLAG = "verslagen/kst-19637-H"
LETTERS = ("2021-04-29-commissie", "2021-07-08-commissie", "2021-07-08-staatssecretaris")

# Page furniture of the PDF: running heads, the series' ISSN, the colophon. Not content.
FURNITURE = re.compile(r"^(Eerste Kamer der Staten-Generaal \d+|kst-19637-H|ISSN .*|’s-Gravenhage 2021 .*)$")


def normalise(text: str) -> str:
    """Compare text without line breaks, spaces and hyphens, so that a word hyphenated at the end of a
    printed line ('dienstver-' 'lening') matches the word as the site prints it ('dienstverlening')."""
    return re.sub(r"[\s\-\u00ad]+", "", text)


def seed_lines() -> list[str]:
    lines = [line.strip() for line in SEED_TEXT.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not FURNITURE.match(line)]


def page_text(site, path: str) -> str:
    return "".join(read_page((site / path / "index.html").read_text(encoding="utf-8")).main_text)


@pytest.fixture(scope="module")
def record_text(built_site) -> str:
    """The text of the verslag page and its three letter pages, in order."""
    return "".join(page_text(built_site, p) for p in (VERSLAG, *(f"{VERSLAG}/{s}" for s in LETTERS)))


def test_the_seed_has_the_expected_shape():
    lines = seed_lines()
    assert len(lines) > 200
    assert lines[0] == "Vergaderjaar 2020–2021"


def test_every_line_of_the_seed_is_on_the_site(record_text):
    haystack = normalise(record_text)
    missing = [line for line in seed_lines() if normalise(line) not in haystack]
    assert not missing, "lines of the seed not found on the site:\n" + "\n".join(missing)


def test_every_sentence_of_the_letters_is_in_print_order(built_site):
    # Body lines of each letter appear in the same order on its page as in the seed.
    seed = SEED_TEXT.read_text(encoding="utf-8")
    starts = [seed.index(marker) for marker in (
        "BRIEF VAN DE VOORZITTER", " BRIEF VAN DE VOORZITTER", "BRIEF VAN DE STAATSSECRETARIS")]
    starts[1] = seed.index("BRIEF VAN DE VOORZITTER", starts[0] + 10)
    chunks = [seed[starts[0]:starts[1]], seed[starts[1]:starts[2]], seed[starts[2]:]]
    for slug, chunk in zip(LETTERS, chunks):
        text = normalise(page_text(built_site, f"{VERSLAG}/{slug}"))
        position = 0
        for line in chunk.splitlines():
            line = line.strip()
            # Footnote blocks and page furniture stand elsewhere in print than on the page.
            if not line or FURNITURE.match(line) or re.match(r"^\d+ [A-Z«]", line) or line.startswith(("2020–2021, nr", "13.", "MOTIE VAN HET", "Tijdelijke commissie", "heidsbeoordeling", "van 20 april 2021.")):
                continue
            found = text.find(normalise(line), position)
            assert found >= 0, f"{slug}: '{line}' missing or out of order"
            position = found


@pytest.mark.parametrize("phrase", [
    "Daarna is er op 8 juli 201 een rappelbrief gestuurd.",   # the printed slip stays
    "door het Directoraat-Generaal Migratie een werkgroep ingericht",  # sentence split by a page break
    "binnen het Directoraat-Generaal Migratie en de migratieketenpartners",
    "de wet- en regelgeving",
    "Asieladvocaten en -Juristen Nederland (VAJN)",
    "Europees migratie- en asielpact",
    "Bundel en artikel «Ongezien/ongehoord- onrecht in het vreemdelingenrecht»",
    "de bundel «Ongehoord – onrecht in het Vreemdelingenrecht»",
    "medische/psychische problematiek",
    "asiel- als reguliere migratie",
    "De Blécourt-Wouterse",
    "de mate waarin de dienstverlening toegankelijk en passend is",
    "bij de totstandkoming en uitvoering",
    "De werkgroep evalueert de uitvoeringspraktijk, beleid en regelgeving.",
    "het doorontwikkelen van toegankelijke en passende dienstverlening",
    "de op 12 april jl. gepresenteerde bundel",
    "Ongelofelijk – Onrecht in de Geloofwaardigheidsbeoordeling van geloofsovertuiging",
    "2021 – uw appreciatie te geven",
    "vac. (Fractie-Nanninga) Veldhoen (GL)",
    "thema’s",
])
def test_printed_spelling_is_kept(record_text, phrase):
    assert phrase in " ".join(record_text.split())


@pytest.mark.parametrize("artefact", ["dienstver-lening", "dienstver- lening", "totstand-koming",
                                      "uitvoerings-praktijk", "toeganke-lijke", "gepresen-teerde",
                                      "Vreemdelin-genrecht", "Directoraat- Generaal"])
def test_pdf_hyphenation_is_undone(record_text, artefact):
    assert artefact not in " ".join(record_text.split())


def test_nine_footnotes_numbered_as_printed(built_site):
    numbers = []
    for path in (VERSLAG, *(f"{VERSLAG}/{s}" for s in LETTERS)):
        reader = read_page((built_site / path / "index.html").read_text(encoding="utf-8"))
        numbers += [int(i.removeprefix("noot-")) for i in reader.ids if re.fullmatch(r"noot-\d+", i)]
        refs = [int(i.removeprefix("ref-noot-")) for i in reader.ids if re.fullmatch(r"ref-noot-\d+", i)]
        assert sorted(refs) == sorted(n for n in numbers if n in refs)
    assert numbers == list(range(1, 10))


def test_composition_has_27_seats_with_chair_and_vice_chair(built_site):
    html = (built_site / VERSLAG / "index.html").read_text(encoding="utf-8")
    table = html[html.index('<table class="seats">'):html.index("</table>")]
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>", table)
    assert len(rows) == 27
    assert table.count(">vacature<") == 1
    assert re.search(r'personen/faber-van-de-klashorst/.*?</td>.*?</td>\s*<td>voorzitter</td>', table, re.S)
    assert re.search(r'personen/stienen/.*?</td>.*?</td>\s*<td>ondervoorzitter</td>', table, re.S)
    assert len(set(re.findall(r'href="/partijen/([^/]+)/"', table))) == 15


def test_three_letters_with_header_and_signature(built_site):
    expected = {
        "2021-04-29-commissie": ("Den Haag, 29 april 2021", "M.H.M. Faber-van de Klashorst"),
        "2021-07-08-commissie": ("Den Haag, 8 juli 2021", "M.H.M. Faber-van de Klashorst"),
        "2021-07-08-staatssecretaris": ("Den Haag, 8 juli 2021", "A. Broekers-Knol"),
    }
    for slug, (place_date, signer) in expected.items():
        text = " ".join(page_text(built_site, f"{VERSLAG}/{slug}").split())
        assert place_date in text and signer in text


def test_staatssecretaris_letter_has_its_two_section_headings(built_site):
    reader = read_page((built_site / VERSLAG / LETTERS[2] / "index.html").read_text(encoding="utf-8"))
    sections = [text for level, text in reader.headings if level == 2]
    assert sections[:2] == ["Menselijke maat en dienstverlening binnen het vreemdelingendomein",
                            "Bundel en artikel «Ongezien/ongehoord- onrecht in het vreemdelingenrecht»"]


def test_every_bron_of_the_seed_has_a_page_that_lists_its_citations(built_site):
    bronnen = ["ongehoord-onrecht", "ongezien-onrecht", "ongekend-onrecht", "werk-aan-uitvoering", "tcu",
               "ongelofelijk", "brief-commissie-2021-05-12", "motie-ploumen-jetten", "motie-omtzigt"]
    for bron in bronnen:
        html = (built_site / "bronnen" / bron / "index.html").read_text(encoding="utf-8")
        cited = re.findall(r'href="(/verslagen/kst-19637-H/[^"]*#(?:alinea|noot)-\d+)"', html)
        assert cited, f"bron {bron} lists no citing passage"
