"""Kamerstuk citations in running text: which printed words are recognised, and where they lead.

The sentences are real: from the seed (sources/kst-19637-H.txt) and from Staten-Generaal
Digitaal's OCR of papers of 1966-1994 (the records are named by their identifier), copied here
as printed, OCR slips included.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_build
from kamerarchief.citations import CitationTargets, cited_id, find_citations, mark_citations
from kamerarchief.errors import ErrorList
from kamerarchief.load import load_archive
from kamerarchief.markup import make_parser, render_markdown
from kamerarchief.model import Archive, MarkdownText

FIXTURE = ROOT / "tests" / "fixtures" / "archief"


def cited(text: str) -> list[tuple[str, str]]:
    """[(the printed words of each citation, the publication id it names)]."""
    return [(text[c.start:c.end], c.publication_id) for c in find_citations(text)]


@pytest.mark.parametrize("text, expected", [
    # The forms the issue names.
    ("Kamerstukken II 1987/88, 20 200 XIII, nr. 114", [("Kamerstukken II 1987/88, 20 200 XIII, nr. 114", "kst-20200-XIII-114")]),
    ("Kamerstukken I 2020/21, 19637, H", [("Kamerstukken I 2020/21, 19637, H", "kst-19637-H")]),
    ("Eerste Kamer, vergaderjaar 1993-1994, 23 698, AC", [("Eerste Kamer, vergaderjaar 1993-1994, 23 698, AC", "kst-23698-AC")]),
    ("Kamerstuk 21 501-32, nr. 1703", [("Kamerstuk 21 501-32, nr. 1703", "kst-21501-32-1703")]),
    ("Kamerstukken II, 1992-1993, 22 731, nr. 1", [("Kamerstukken II, 1992-1993, 22 731, nr. 1", "kst-22731-1")]),
    ("(Kamerstukken II 2020/21, 35 510, nr. 2)", [("Kamerstukken II 2020/21, 35 510, nr. 2", "kst-35510-2")]),
    ("Tweede Kamer, zitting 1981-1982, 16 696, nr. 107", [("Tweede Kamer, zitting 1981-1982, 16 696, nr. 107", "kst-16696-107")]),
    ("Bijlagen Handelingen II 1987/88, 20 200 hoofdstuk XIII, nr. 114",
     [("Bijlagen Handelingen II 1987/88, 20 200 hoofdstuk XIII, nr. 114", "kst-20200-XIII-114")]),
    ("zie kst-19637-H en kst-36600-VII-12.", [("kst-19637-H", "kst-19637-H"), ("kst-36600-VII-12", "kst-36600-VII-12")]),
    # The seed prints its dossier number with a no-break space on its first page.
    ("Kamerstukken I 2020/21, 19\u00a0637, H", [("Kamerstukken I 2020/21, 19\u00a0637, H", "kst-19637-H")]),
    # Staten-Generaal Digitaal, 0000110427.
    ("De planning hiervan is opgenomen in het Meerja-renprogramma Scheepvaartwegen 1987-1991 "
     "(kamerstuk 19 731, nrs. 1 en 2). Tot de vervanging",
     [("kamerstuk 19 731, nrs. 1", "kst-19731-1"), ("2", "kst-19731-2")]),
    # 0000040763
    ("Hierbij doe ik u in vervolg op mijn brief d.d. 15 mei jl. (Kamerstukken II 1989/90, 21 501-07, nr. 3) een overzicht",
     [("Kamerstukken II 1989/90, 21 501-07, nr. 3", "kst-21501-07-3")]),
    # 0000031183
    ("Op 5 april 1991 zond ik U het rapport «Zelfevaluatie MRK periode 1980-1990» toe (Kamerstuk 21 800 X, nr. 43).",
     [("Kamerstuk 21 800 X, nr. 43", "kst-21800-X-43")]),
    # A rijkswet number after the dossier.
    ("uit het Staatsverband van de Nederlandse Antillen (Kamerstukken II 1984/85, 18826 (R 1275), nr. 11, blz. 4), zend ik",
     [("Kamerstukken II 1984/85, 18826 (R 1275), nr. 11", "kst-18826-11")]),
    ("' Genoemde brief is destijds gedrukt als kamerstuk onder 18 647 nr. 14 en als zodanig dus beschikbaar",
     [("kamerstuk onder 18 647 nr. 14", "kst-18647-14")]),
    ("(Wet voorbereidend beroepsonderwijs; Kamerstukken II 1988/89, 20859, nrs. 1-3). De memorie",
     [("Kamerstukken II 1988/89, 20859, nrs. 1", "kst-20859-1"), ("3", "kst-20859-3")]),
    ("zie de bijlage bij de brief aan de Tweede Kamervan 7 juli 1993; Kamerstukken II 1992/1993, 20995, nr. 6 "
     "respectievelijk de Voorjaarsnota 1993, Kamerstukken II 1992/93, 23 100 nr. 1, blz. 18).",
     [("Kamerstukken II 1992/1993, 20995, nr. 6", "kst-20995-6"), ("Kamerstukken II 1992/93, 23 100 nr. 1", "kst-23100-1")]),
    ("aangekondigd in de rijksbegroting voor het dienstjaar 1993 (Kamerstukken II 1992/93, 22 800 VIII, nr. 2, bladzijde 89).",
     [("Kamerstukken II 1992/93, 22 800 VIII, nr. 2", "kst-22800-VIII-2")]),
    ("1 Zie aanhangsel handelingen nr 408. Vergaderjaar 1990-1991 2 Zie kamerstuk 20 361, nr 48 Vergaderjaar 1990-1991",
     [("kamerstuk 20 361, nr 48", "kst-20361-48")]),
    ("2 Nota naar aanleiding van het verslag, kamerstukken I, 1985-1986, 16 631, nr. 27e, blzz. 6/7",
     [("kamerstukken I, 1985-1986, 16 631, nr. 27e", "kst-16631-27e")]),
    ("het 100-jarig jubileum van het Rijksmu-seum in 1985 (Kamerstuk 18 100, Hoofdstuk XVI, nr. 52)?",
     [("Kamerstuk 18 100, Hoofdstuk XVI, nr. 52", "kst-18100-XVI-52")]),
    ("mijn schrijven van 27 februari 1984 (kamerstuk 18100, XVI, nr. 128, blz. 7).",
     [("kamerstuk 18100, XVI, nr. 128", "kst-18100-XVI-128")]),
    ("(kamerstukken Tweede Kamer 1982/83, 17 555, nr. 7, blz. 45).",
     [("kamerstukken Tweede Kamer 1982/83, 17 555, nr. 7", "kst-17555-7")]),
    ("de begrotingsbehandeling van Verkeer en Waterstaat -kamerstuk 15 800 hoofdstuk XII, nr. 19, blz. 36, antwoord 155 -zend",
     [("kamerstuk 15 800 hoofdstuk XII, nr. 19", "kst-15800-XII-19")]),
    ("hoofdstuk IX B — Financiën (kamerstuk 9300, nr. 12, blz. 1), heb ik de eer",
     [("kamerstuk 9300, nr. 12", "kst-9300-12")]),
    ("Zoals in de memorie van antwoord aan de Tweede Kamer (zitting 1975-1976,13 469 (R 989), nr. 6) reeds is medegedeeld",
     [("zitting 1975-1976,13 469 (R 989), nr. 6", "kst-13469-6")]),
    ("de nota van wijziging bij de Overgangswet ISOVSO (Tweede Kamer, vergaderjaar 1984-1985, 18321, nr. 46, onderdeel F)",
     [("Tweede Kamer, vergaderjaar 1984-1985, 18321, nr. 46", "kst-18321-46")]),
    ("die als bijlagen zijn ver-schenen in Tweede Kamerzitting 1979-1980,15 441, nr. 24 en 25.",
     [("Tweede Kamerzitting 1979-1980,15 441, nr. 24", "kst-15441-24"), ("25", "kst-15441-25")]),
    ("-cussienota «Contouren van een toekomstig onderwijsbestel» (zitting 1974-1975,13459, nr. 1 resp. nr. 2).",
     [("zitting 1974-1975,13459, nr. 1", "kst-13459-1"), ("2", "kst-13459-2")]),
    ("Eerste Kamer, vergaderjaar 1983-1984, 17719, nr. 18a", [("Eerste Kamer, vergaderjaar 1983-1984, 17719, nr. 18a", "kst-17719-18a")]),
])
def test_printed_citations_are_recognised_with_their_words(text, expected):
    assert cited(text) == expected


@pytest.mark.parametrize("text", [
    "in de vergadering van 1992-1993 werd dit besproken",                        # a vergaderjaar alone
    "Zie ook nr. 5 en nrs. 12 en 13.",                                           # numbers without a dossier
    "het budget ad circa f240 min. per jaar; f 3178 en artikel 12, nr. 3",       # amounts, an article
    "Handelingen II 1990/91, nr. 55, blz. 3120",                                 # Handelingen are not kamerstukken
    "(Zie ook Aanhangsels Handelingen 1976-1977, nrs. 678 en 849)",
    # The seed's footnote 9: the motion's dossier is not printed, so its number could be any stuk's.
    "9 MOTIE VAN DE LEDEN PLOUMEN EN JETTEN, voorgesteld 19 januari 2021 Vergaderjaar 2020–2021, nr 24.",
    "de brieven inzake het Politie-budget (20450 en 19872, nrs. 17 en 18).",      # which dossier is whose?
    "Ik stel voor, de stukken 18 100-XII, nrs. 53 en 60 voor kennisgeving aan te nemen.",
    "zie https://zoek.officielebekendmakingen.nl/kst-19637-H.html",            # inside an address
    "Kamerstukken II 1992/93, 22 236",                                          # a dossier, no stuk
    "Eerste Kamer, zitting 1981-1982, 16696 enz., nr. 107",                     # several dossiers
    "Kamerstukken I 2020/21, 19637, De minister",                                # a word, not a letter
    "kamerstuk 18100, XVI en de begroting",                                      # a hoofdstuk, not a stuk
    "Kamerstukken II 1992/93, 22 236, A",                                        # the Tweede Kamer numbers
])
def test_near_misses_are_not_citations(text):
    assert cited(text) == []


def test_a_number_joined_by_en_is_not_taken_from_a_date_or_another_dossier():
    assert cited("Kamerstukken II 1992/93, 22 236, nr. 17 en 18 maart 1993") == [
        ("Kamerstukken II 1992/93, 22 236, nr. 17", "kst-22236-17")]
    assert cited("Kamerstukken II 1987/88, 20 381, nr. 17 en 20 382, nr. 3") == [
        ("Kamerstukken II 1987/88, 20 381, nr. 17", "kst-20381-17")]
    # After the singular 'nr.' a comma ends the list: what follows is a year or a page.
    assert cited("Kamerstukken II 1992/93, 22 731, nr. 2, 1993") == [("Kamerstukken II 1992/93, 22 731, nr. 2", "kst-22731-2")]


def render(text: str) -> tuple[str, list]:
    md = make_parser()
    errors = ErrorList()
    rendered = render_markdown(md, MarkdownText(text, "brief.md", 10), "kst-1-1", errors)
    assert not errors
    return rendered.body_html + rendered.footnotes_html, list(rendered.references)


def test_a_citation_becomes_a_placeholder_link_with_the_printed_words():
    html, references = render("Zie Kamerstukken II 1992/93, 22 731, nrs. 12 en *13*, en kst-19637-H.\n")
    # 1992/93 is before officielebekendmakingen.nl's first vergaderjaar: the placeholder says so.
    assert ('<a href="kamerstuk:kst-22731-12?voor-1995" class="ref ref-kamerstuk">Kamerstukken II 1992/93, 22 731, '
            'nrs. 12</a>' in html)
    assert '<a href="kamerstuk:kst-19637-H" class="ref ref-kamerstuk">kst-19637-H</a>' in html
    assert "<em>13</em>" in html  # emphasis breaks the text: '13' alone is not a citation
    assert [(r.kind, r.target, r.link_text) for r in references] == [
        ("kamerstuk", "kst-22731-12", "Kamerstukken II 1992/93, 22 731, nrs. 12"),
        ("kamerstuk", "kst-19637-h", "kst-19637-H")]


def test_the_open_data_name_a_cited_stuk_by_its_publication_id_as_cited():
    """The reference's target is case-folded for matching; vermeldingen.csv's 'doel' is not."""
    from kamerarchief.datafields import VERMELDING

    doel = next(f for f in VERMELDING if f.name == "doel")
    _, references = render("Zie kst-19637-H en Kamerstukken II 1987/88, 20 200 XIII, nr. 114.\n")
    assert [doel.get((None, None, r), str) for r in references] == ["kst-19637-H", "kst-20200-XIII-114"]


def test_a_citation_may_run_over_a_line_break_and_stands_in_footnotes():
    html, references = render("Zie Kamerstukken\nI 2020/21, 19637, H.[^1]\n\n[^1]: Vgl. Kamerstuk 21 501-32, nr. 1703.\n")
    assert '<a href="kamerstuk:kst-19637-H" class="ref ref-kamerstuk">Kamerstukken\nI 2020/21, 19637, H</a>' in html
    footnote = next(r for r in references if r.footnote == "1")
    assert (footnote.target, footnote.anchor, footnote.line) == ("kst-21501-32-1703", "noot-1", 13)


def test_a_citation_inside_a_marked_link_is_left_alone():
    html, references = render("[Kamerstukken I 2020/21, 19637, H](verslag:kst-19637-H) en "
                              "[de brief (kst-19637-H)](https://example.org/)\n")
    assert "kamerstuk:" not in html
    assert [r.kind for r in references] == ["verslag"]


def test_marking_keeps_every_character():
    md = make_parser()
    text = "Vgl. Kamerstukken II\n1987/88, 20 200 XIII, nrs. 114 en 115; zie ook kst-19637-H."
    children = md.py.parseInline(text)[0].children
    marked = mark_citations(children)
    assert "".join(t.content if t.type == "text" else "\n" if t.type == "softbreak" else "" for t in marked) == text
    assert [t.meta.get("citation") for t in marked if t.type == "link_open"] == [
        "kst-20200-XIII-114", "kst-20200-XIII-115", "kst-19637-H"]


def _archive() -> Archive:
    """The fixture archive (kst-19637-H, kst-14406-56; dossiers 19637, 14406) with one more dossier
    that has a toevoeging."""
    errors = ErrorList()
    archive = load_archive(FIXTURE / "content", FIXTURE, errors)
    assert not errors
    budget = dataclasses.replace(archive.dossiers["19637"], number="20200-XIII")
    return dataclasses.replace(archive, dossiers={**archive.dossiers, "20200-XIII": budget})


def test_a_citation_leads_to_the_stuk_else_its_dossier_else_the_official_copy():
    targets = CitationTargets(_archive())
    # Ids compare case-insensitively, as the build compares them.
    assert targets.link("kst-19637-h") == '<a href="/verslagen/kst-19637-H/" class="ref ref-kamerstuk">'
    assert targets.link("kst-14406-56") == '<a href="/verslagen/kst-14406-56/" class="ref ref-kamerstuk">'
    assert targets.link("kst-20200-xiii-115").startswith('<a href="/dossiers/20200-XIII/" class="ref ref-kamerstuk" title=')
    assert targets.link("kst-19637-2720").startswith('<a href="/dossiers/19637/"')
    official = targets.link("kst-35510-2")
    assert official.startswith('<a href="https://zoek.officielebekendmakingen.nl/kst-35510-2.html"')
    assert 'rel="external"' in official


def test_an_older_stuk_the_archive_lacks_is_marked_as_cited_but_not_linked_to_an_address_that_is_not_there():
    """officielebekendmakingen.nl has no kamerstukken from before vergaderjaar 1995-1996 under their
    kst- address: a citation printing an older year links only where the archive holds the stuk or
    its dossier."""
    html, references = render(
        "Zie Tweede Kamer, zitting 1981-1982, 14 406, nr. 56; Kamerstukken II 1987/88, 20 200 XIII, nr. 114;\n"
        "Kamerstukken II 1990/91, 21 427, nrs. 3 en 4; Kamerstukken II 1995/96, 24 400, nr. 1 en kst-21427-5.\n")
    assert [cited_id(r.href) for r in references] == [
        "kst-14406-56", "kst-20200-XIII-114", "kst-21427-3", "kst-21427-4", "kst-24400-1", "kst-21427-5"]
    filled = CitationTargets(_archive()).fill_in(html)
    assert '<a href="/verslagen/kst-14406-56/" class="ref ref-kamerstuk">Tweede Kamer, zitting 1981-1982, 14 406, nr. 56</a>' in filled
    assert '<a href="/dossiers/20200-XIII/" class="ref ref-kamerstuk" title=' in filled
    assert '<span class="ref-kamerstuk" title="Niet in het archief. Kamerstukken van vóór vergaderjaar' in filled
    assert re.findall(r'<span class="ref-kamerstuk" title="[^"]*">([^<]*)</span>', filled) == [
        "Kamerstukken II 1990/91, 21 427, nrs. 3", "4"]
    # From 1995-1996 on, and where the words print no year, the official copy.
    assert '<a href="https://zoek.officielebekendmakingen.nl/kst-24400-1.html"' in filled
    assert '<a href="https://zoek.officielebekendmakingen.nl/kst-21427-5.html"' in filled
    assert "kamerstuk:" not in filled and "kst-21427-3.html" not in filled


def test_a_stuk_printed_under_several_dossiers_is_found_under_each():
    archive = _archive()
    old = dataclasses.replace(archive.verslagen["kst-14406-56"], other_dossiers=("14407",))
    targets = CitationTargets(dataclasses.replace(archive, verslagen={**archive.verslagen, old.id: old}))
    assert targets.link("kst-14407-56") == '<a href="/verslagen/kst-14406-56/" class="ref ref-kamerstuk">'
    assert targets.link("kst-14407-57").startswith('<a href="https://zoek.officielebekendmakingen.nl/')


def test_filling_in_changes_only_the_placeholders():
    html, _ = render("Zie Kamerstuk 21 501-32, nr. 1703 en [de brief](https://example.org/kamerstuk:kst-1-1).\n")
    archive = _archive()
    archive = dataclasses.replace(archive, dossiers={"21501-32": dataclasses.replace(archive.dossiers["19637"],
                                                                                      number="21501-32")})
    filled = CitationTargets(archive).fill_in(html)
    assert filled == html.replace('<a href="kamerstuk:kst-21501-32-1703" class="ref ref-kamerstuk">',
                                  '<a href="/dossiers/21501-32/" class="ref ref-kamerstuk" title="Dit stuk is niet '
                                  'in het archief: de link gaat naar dossier 21 501-32">')


def test_an_author_cannot_write_a_placeholder_link():
    md = make_parser()
    errors = ErrorList()
    rendered = render_markdown(md, MarkdownText("[Zie](kamerstuk:kst-1-1) en `<a href=\"kamerstuk:kst-1-1\" "
                                                "class=\"ref ref-kamerstuk\">`\n", "brief.md", 1), "kst-1-1", errors)
    assert [e.message for e in errors.errors] == [
        "link 'kamerstuk:kst-1-1' is not allowed: use https://, mailto: or one of persoon:, partij:, bron:, brief:, "
        "commissie:, dossier:, verslag:"]
    assert CitationTargets(_archive()).fill_in(rendered.body_html) == rendered.body_html


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    """The fixture archive built as it is."""
    output = tmp_path_factory.mktemp("fixture") / "site"
    result = run_build("build", "--output", str(output), cwd=FIXTURE, timeout=300)
    assert result.returncode == 0, result.stderr
    return output


def test_the_imported_papers_real_citations_lead_to_the_dossier_or_are_only_marked(fixture_site):
    """kst-20859-21 (Staten-Generaal Digitaal 0000004726) cites its own dossier's nrs. 1-3 and
    20 381, nr. 17 of 1987/88, which the archive lacks and officielebekendmakingen.nl has no kst-
    address for; kst-21501-07-8 (0000040763) its dossier's nr. 3."""
    withdrawal = (fixture_site / "verslagen/kst-20859-21/1993-11-18-minister/index.html").read_text(encoding="utf-8")
    assert ('(Wet voorbereidend beroepsonderwijs; <a href="/dossiers/20859/" class="ref ref-kamerstuk" title="Dit stuk '
            'is niet in het archief: de link gaat naar dossier 20 859">Kamerstukken II 1988/89, 20859, nrs. 1</a>-'
            '<a href="/dossiers/20859/"') in withdrawal
    assert ('(<span class="ref-kamerstuk" title="Niet in het archief. Kamerstukken van vóór vergaderjaar 1995-1996 '
            'staan niet onder dit nummer') in withdrawal and ">Kamerstukken II 1987/88, 20 381, nr. 17</span>)" in withdrawal
    assert "kst-20381-17.html" not in withdrawal
    ecofin = (fixture_site / "verslagen/kst-21501-07-8/index.html").read_text(encoding="utf-8")
    assert ('(<a href="/dossiers/21501-07/" class="ref ref-kamerstuk" title="Dit stuk is niet in het archief: de link '
            'gaat naar dossier 21 501-07">Kamerstukken II 1989/90, 21 501-07, nr. 3</a>)') in ecofin


def test_a_cited_stuk_the_archive_holds_lists_where_it_is_cited(tmp_path):
    """An editor's note in a letter of 2021 cites the verslag of 1982 that the archive holds: the
    citation leads to its page, which lists the letter under 'Aangehaald in' and is dated by it in
    the sitemap. (No paper of the corpus cites another that the archive holds; the note is the
    editor's, in a copy of the fixture.)"""
    project = tmp_path / "archief"
    shutil.copytree(FIXTURE / "content", project / "content")
    config = (FIXTURE / "config.yaml").read_text(encoding="utf-8").replace("../../../", f"{ROOT}/")
    (project / "config.yaml").write_text(config, encoding="utf-8")
    letter = project / "content/verslagen/kst-19637-H/brieven/2021-07-08-staatssecretaris.md"
    text = letter.read_text(encoding="utf-8")
    assert "(bron:ongelofelijk)." in text
    letter.write_text(text.replace("(bron:ongelofelijk).", "(bron:ongelofelijk). Vgl. Kamerstukken II 1981/82, 14 406, nr. 56."),
                      encoding="utf-8")
    result = run_build("build", "--output", "site", cwd=project, timeout=300)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    html = (site / "verslagen/kst-19637-H/2021-07-08-staatssecretaris/index.html").read_text(encoding="utf-8")
    assert ('Vgl. <a href="/verslagen/kst-14406-56/" class="ref ref-kamerstuk">Kamerstukken II 1981/82, 14 406, '
            'nr. 56</a>.') in html
    cited = (site / "verslagen/kst-14406-56/index.html").read_text(encoding="utf-8")
    listed = cited.split('<h2 id="aangehaald">Aangehaald in</h2>')[1].split("</section>")[0]
    assert 'href="/verslagen/kst-19637-H/2021-07-08-staatssecretaris/' in listed
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert re.search(r"<loc>https://example.org/verslagen/kst-14406-56/</loc>\s*<lastmod>2021-07-08</lastmod>", sitemap)
