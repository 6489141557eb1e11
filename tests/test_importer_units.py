"""Unit tests of the importer's pure functions: lines, hyphens, footnotes, kinds, parties, the
composition, escaping and identity."""

from __future__ import annotations

import datetime
import json

import pytest

from kamerarchief import dutch
from kamerarchief.importer.bijlagen import bijlagen_identity

from kamerarchief.importer.composition import parse_composition
from kamerarchief.importer.emit import escape, link_spans
from kamerarchief.importer.kinds import DOC_TYPES, capitals_prefix, kind_of
from kamerarchief.importer.parties import party_by_spelling
from kamerarchief.importer.pdftext import read_pdftext
from kamerarchief.importer.committee import committee_name
from kamerarchief.importer.head import heading_references
from kamerarchief.importer.recognise import Skipped, recognise
from kamerarchief.importer.registries import same_name
from kamerarchief.importer.sgd import read_sgd
from kamerarchief.importer.source import SourceProblem
from kamerarchief.importer.text import footnote_reference, is_furniture, join_lines, join_with_breaks, layout
from kamerarchief.importer.words import retention, words
from kamerarchief.load import DOC_TYPES as LOADABLE_TYPES


@pytest.mark.parametrize("lines, joined", [
    (["de dienstver-", "lening"], "de dienstverlening"),
    (["het Directoraat-", "Generaal"], "het Directoraat-Generaal"),
    (["een wet- ", "en regelgevingstraject"], "een wet- en regelgevingstraject"),
    (["medische/", "psychische"], "medische/psychische"),
    (["De Blécourt-", "Wouterse (VVD)"], "De Blécourt-Wouterse (VVD)"),
    (["gedachten-wisselingen die"], "gedachten-wisselingen die"),   # OCR: a hyphen inside a line stays
])
def test_join_lines_undoes_only_line_end_hyphenation(lines, joined):
    assert join_lines(lines) == joined


def test_a_line_that_ends_a_sentence_short_of_the_measure_is_a_hard_break():
    lines = ["Een aantal acties zal direct worden opgepakt en met uw Kamer gedeeld. ",
             "Zo zal een analyse worden gedaan naar de ruimte voor maatwerk die de wet",
             "toelaat."]
    assert join_with_breaks(lines) == ["Een aantal acties zal direct worden opgepakt en met uw Kamer gedeeld.",
                                       "Zo zal een analyse worden gedaan naar de ruimte voor maatwerk die de wet toelaat."]


@pytest.mark.parametrize("line", ["kst-19637-H", "ISSN 0921 - 7371", "’s-Gravenhage 2021 Eerste Kamer, vergaderjaar 2020–2021, 19 637, H 1",
                                  "Tweede Kamer, vergaderjaar 1993-1994, 23 400 XVI, nr. 85", "2", "8811 7",
                                  "412484F ISSN 0921 7371 Sdu Uitgevenj Plantijnstraat 's Gravenhage 1994"])
def test_page_furniture(line):
    assert is_furniture(line)


def test_text_is_not_furniture():
    assert not is_furniture("De Staatssecretaris heeft op 8 juli 2021 gereageerd.")


def test_footnote_reference_is_a_number_glued_to_a_word():
    assert footnote_reference("Asiel/JBZ-Raad1 heeft bij brief", 1).start() == 14
    assert footnote_reference("(NJB)7.", 7) is not None
    assert footnote_reference("de leden (D66) en", 6) is None
    assert footnote_reference("op 20 april 2021", 2) is None


def test_a_footnote_block_runs_to_the_foot_of_the_page_and_a_split_paragraph_is_rejoined():
    pages = [["Tekst over de commissie1 en meer door het Directoraat-", "", "1 Samenstelling:", "Kox (SP)"],
             ["Generaal Migratie een werkgroep."]]
    result = layout(pages, paragraph_per_line=False)
    assert [p.text for p in result.paragraphs] == ["Tekst over de commissie1 en meer door het Directoraat-Generaal Migratie een werkgroep."]
    assert result.footnotes == {1: ("Samenstelling:", "Kox (SP)")}


@pytest.mark.parametrize("heading, kind, in_scope", [
    ("VERSLAG VAN EEN SCHRIFTELIJK OVERLEG", "verslag van een schriftelijk overleg", True),
    ("VOOELOOPIG VEESLAG.", "voorlopig verslag", True),
    ("EINDVERSLAG VAN DE VASTE COMMISSIE VOOR FINANCIËN1", "eindverslag", True),
    ("VERSLAG OVER HET ADRES VAN T. J. KLOUWER", "verslag van de commissie voor de verzoekschriften", True),
    ("BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN", "brief", True),
    ("MEMORIE VAN ANTWOORD", "memorie van antwoord", False),
    ("NOTA NAAR AANLEIDING VAN HET VERSLAG", "nota", False),
    ("MOTIE VAN HET LID", "motie", False),
    ("INHOUDSOPGAVE", "onbekend", False),
])
def test_kind_of_a_heading(heading, kind, in_scope):
    assert kind_of(heading) == (kind, in_scope)


def test_every_kind_the_importer_writes_is_one_the_build_accepts():
    assert set(DOC_TYPES) <= set(LOADABLE_TYPES)


def test_capitals_prefix():
    assert capitals_prefix("MEMORIE VAN ANTWOORD Ontvangen 2 december 1985") == "MEMORIE VAN ANTWOORD"


@pytest.mark.parametrize("printed, ident", [("WD", "vvd"), ("PvdAI", "pvda"), ("GroenLmks", "gl"), ("D'66", "d66"),
                                            ("C.D.A.", "cda"), ("DS'70", "ds70"), ("Groen Links", "gl"), ("P.S.P.", "psp")])
def test_party_spellings_and_ocr_slips(printed, ident):
    assert party_by_spelling(printed).id == ident


def test_the_seeds_composition_has_27_seats():
    text = ("Samenstelling: Kox (SP), Faber-van de Klashorst (PVV) (voorzitter), Stienen (D66) (ondervoorzitter), "
            "Karimi (GL), vac. (Fractie-Nanninga) Veldhoen (GL), Vos (PvdA)")
    seats = parse_composition(text)
    assert [(s.name, s.party, s.role) for s in seats] == [
        ("Kox", "SP", None), ("Faber-van de Klashorst", "PVV", "voorzitter"), ("Stienen", "D66", "ondervoorzitter"),
        ("Karimi", "GL", None), (None, "Fractie-Nanninga", None), ("Veldhoen", "GL", None), ("Vos", "PvdA", None)]


def test_an_ocr_composition_with_substitutes_vacancies_and_no_party():
    text = ("Samenstelling: Leden: Dees (WD), Wöltgens (PvdAI, Lansink (CDA), ondervoor-zitter, Ockels en "
            "Eisses-Timmerman (CDA). Plv. leden: Vacature PvdA, M. D. T. M. de Jong (CDA) en Maris (-).")
    seats = parse_composition(text)
    assert [(s.name, s.party, s.role, s.substitute) for s in seats] == [
        ("Dees", "WD", None, False), ("Wöltgens", "PvdA", None, False), ("Lansink", "CDA", "ondervoorzitter", False),
        ("Ockels", None, None, False), ("Eisses-Timmerman", "CDA", None, False),
        (None, "PvdA", None, True), ("M. D. T. M. de Jong", "CDA", None, True), ("Maris", None, None, True)]
    assert text[slice(*seats[0].name_span)] == "Dees"


def test_markdown_characters_are_escaped_and_links_keep_the_printed_words():
    assert escape("1. Naar aanleiding van *dit* [stuk]") == "1\\. Naar aanleiding van \\*dit\\* \\[stuk\\]"
    assert escape("- een streepje") == "\\- een streepje"
    assert link_spans("de leden Karimi (GroenLinks)", [(9, 15, "persoon:karimi"), (17, 27, "partij:gl")]) == \
        "de leden [Karimi](persoon:karimi) ([GroenLinks](partij:gl))"


def test_a_record_without_content_is_a_problem_and_the_next_is_read():
    items = list(read_sgd(iter(['{"URL": "https://x.nl/1/ocr"}', 'Tweede', '{"URL": "https://x.nl/2/ocr", "Content": "x"}']), "f.jsonl"))
    assert [str(i) for i in items[:2]] == ["f.jsonl:record 1: a record needs a text field 'Content'",
                                          "f.jsonl:record 2: not a JSON object: Expecting value (column 1)"]
    assert not isinstance(items[2], SourceProblem)


def test_the_seed_is_recognised():
    from conftest import SEED_TEXT
    stuk = recognise(read_pdftext(SEED_TEXT.read_text(encoding="utf-8"), "seed", "kst-19637-H.txt"))
    assert (stuk.chamber, stuk.session, stuk.dossiers, stuk.number, stuk.kind) == \
        ("eerste", "2020-2021", (("19637", "Vreemdelingenbeleid"),), "H", "verslag van een schriftelijk overleg")
    assert stuk.date.isoformat() == "2021-07-09" and len(stuk.seats) == 27 and len(stuk.footnotes) == 9
    assert [letter.date.isoformat() for letter in stuk.letters] == ["2021-04-29", "2021-07-08", "2021-07-08"]
    assert [b.lines[0] for b in stuk.letters[2].blocks if b.kind == "h"] == [
        "Menselijke maat en dienstverlening binnen het vreemdelingendomein",
        "Bundel en artikel «Ongezien/ongehoord- onrecht in het vreemdelingenrecht»"]


def test_a_memorie_van_antwoord_is_skipped_by_kind():
    lines = ["Eerste Kamer der Staten-Generaal", "Vergaderjaar 1985-1986 Nr. 47a", "18820", "Machtiging",
             "MEMORIE VAN ANTWOORD Ontvangen 2 december 1985", "Tekst."]
    document = read_pdftext("\n".join(lines), "x", "x")
    assert recognise(document) == Skipped("x", "memorie van antwoord", "memorie van antwoord: not a verslag or letter")


def test_word_retention_counts_repeats_and_groups_digits():
    assert retention(words("de de commissie 15144"), "de commissie 15 144") == 0.75


@pytest.mark.parametrize("dossier, number, chamber, ident, cited", [
    ("19637", "H", "eerste", "kst-19637-H", "Kamerstukken I 2020/21, 19637, H"),
    ("1929-1930-286", "4", "tweede", "bijlagen-ii-1929-1930-286-4", "Bijlagen Handelingen II 1929-1930, 286, nr. 4"),
    ("1912-1913-2-X", "13", "tweede", "bijlagen-ii-1912-1913-2-X-13", "Bijlagen Handelingen II 1912-1913, 2 X, nr. 13"),
])
def test_papers_numbered_per_zitting_get_an_id_no_kst_id_can_be(dossier, number, chamber, ident, cited):
    assert dutch.publication_id(dossier, number, chamber) == ident
    assert dutch.citation(chamber, "2020-2021" if ident.startswith("kst") else dossier[:9], dossier, number) == cited


def test_a_dossier_of_a_zitting_prints_its_zitting():
    assert dutch.session_dossier("1929-1930-286") == ("1929-1930", "286")
    assert dutch.session_dossier("21501-32") is None and dutch.session_dossier("36600-VII") is None
    assert dutch.printed_dossier_number("1929-1930-286") == "286 (zitting 1929-1930)"
    assert dutch.printed_citation("tweede", "1929-1930", ["1929-1930-286"], "4") == \
        "Handelingen der Staten-Generaal, Bijlagen 1929-1930, Tweede Kamer, 286, nr. 4"


# The head and foot of a real record (0000043685), a verslag of the Bijlagen of 1929-1930.
BIJLAGEN_1930 = ["Bijlagen.", "286.", "4.", "Tweede Kamer.",
                 "Goedkeuring van den onderhandschen verkoop, aan de gemeente Zaandam, van twee perceelen weiland.",
                 "286. 4.", "VERSLAG.", "Het afdeelingsonderzoek van bovengenoemde wetsontwerpen heeft der Commissie "
                 "van Rapporteurs geen aanleiding gegeven tot het maken van opmerkingen.",
                 "Vastgesteld 20 Maart 1930. SUEING.", "Handelingen der Staten-Generaal. Bijlagen. 1929—1930."]


def test_a_paper_of_the_bijlagen_before_1945_is_named_by_zitting_chamber_and_number():
    chamber, session, dossiers, number, notes = bijlagen_identity(BIJLAGEN_1930[:6], BIJLAGEN_1930)
    assert (chamber, session, number, notes) == ("tweede", "1929-1930", "4", [])
    assert dossiers == [("1929-1930-286", BIJLAGEN_1930[4])]
    stuk = recognise(next(read_sgd(iter([json.dumps({"URL": "https://example.org/1", "Content": "\n".join(BIJLAGEN_1930)})]), "t")))
    assert stuk.publication_id == "bijlagen-ii-1929-1930-286-4"
    assert stuk.date == datetime.date(1930, 3, 20)
    assert not stuk.partial  # it ends on a rapporteur's name in capitals


def test_the_bijlagen_of_1945_and_later_or_a_garbled_number_give_no_such_identity():
    later = [line.replace("1929—1930", "1946—1947") for line in BIJLAGEN_1930]
    assert bijlagen_identity(later[:6], later) is None
    garbled = ["Bijlagen.", "8IK", "Aanvulling en verhooging van het VlIIste", "VEESLAG."]
    assert bijlagen_identity(garbled[:3], garbled + BIJLAGEN_1930[-1:]) is None


@pytest.mark.parametrize("found, name", [
    ("vaste Commissie voor So-ciale Zaken werd het", "vaste Commissie voor Sociale Zaken"),
    ("vaste Commissie voor de Volksgezondheid achtte het wen-selijk met de Staatssecretaris",
     "vaste Commissie voor de Volksgezondheid"),
    ("vaste Commissie voor Verkeer en Waterstaat van", "vaste Commissie voor Verkeer en Waterstaat"),
    ("vaste Commissie voor Nederlands-Antilliaanse en Arubaanse Zaken", "vaste Commissie voor Nederlands-Antilliaanse en Arubaanse Zaken"),
    ("vaste commissie voor onderwijs en wetenschappen", "vaste commissie voor onderwijs en wetenschappen"),
    ("vaste Commissie voor EG-zaken", "vaste Commissie voor EG-zaken"),
])
def test_a_committee_in_running_text_is_named_without_the_sentence(found, name):
    assert committee_name(found) == name


def test_a_digit_glued_to_a_heading_in_capitals_is_a_reference_where_that_footnote_exists():
    assert heading_references("EINDVERSLAG VAN DE VASTE COMMISSIE VOOR FINANCIËN1", {1: ("Samenstelling",)}) == \
        ("EINDVERSLAG VAN DE VASTE COMMISSIE VOOR FINANCIËN", [(1, 0)])
    assert heading_references("VERSLAG OVER HET ADRES1 VAN G. CREMERS", {1: ("x",)})[0] == "VERSLAG OVER HET ADRES VAN G. CREMERS"
    assert heading_references("EINDVERSLAG VAN DE VASTE COMMISSIE VOOR FINANCIËN1", {}) == \
        ("EINDVERSLAG VAN DE VASTE COMMISSIE VOOR FINANCIËN1", [])


def test_a_double_name_with_a_hyphen_or_a_space_is_one_name():
    assert same_name("Witteveen Hevinga", "Witteveen-Hevinga")
    assert not same_name("Witteveen", "Witteveen-Hevinga")


def test_a_verslag_printed_in_a_page_of_the_handelingen_is_counted_as_handelingen():
    """The head of Staten-Generaal Digitaal 0000379979 (1893): a sitting's page, not a kamerstuk."""
    lines = ["462", "29ste VERGADERING. -28 JULI 1893.", "VOORLOOPIG VERSLAG DER COMMISSIE VAN RAP-PüRTËURS over het "
             "ontwerp van wet betreffende eene belasting1 op bedrijf*\" en andere inkomsten.", "Algemeene beschouwingen."]
    record = json.dumps({"URL": "https://zoek.officielebekendmakingen.nl/0000379979/ocr", "Content": "\n".join(lines)})
    skipped = recognise(next(read_sgd(iter([record]), "t")))
    assert isinstance(skipped, Skipped) and skipped.kind == "handelingen"


def test_a_zitting_the_foot_misprints_is_taken_from_the_papers_own_date_and_marked():
    """Staten-Generaal Digitaal 0000324428: the foot reads 'Bijlagen. 1918 -1915J.'; the verslag was
    'Aldus vastgesteld 25 April 1919', in zitting 1918-1919."""
    lines = ["Bijlagen.", "[401.", "4—5.]", "Tweede Kamer.",
             "Verinniging' <'ii wi.jxi«^in<^-begroeting Inkomsten en uiigiiven Staatsbedrijf Algem. Laudwlr, voot L918.",
             "(401. 4.)", "VERSLAG.", "Aldus vastgesteld 25 April 1919.", "VAN DEK MOLEN.", "FRUYT1ER.",
             "Handelingen der Staten-Generaal. Bijlagen. 1918 -1915J."]
    record = json.dumps({"URL": "https://zoek.officielebekendmakingen.nl/0000324428/ocr", "Content": "\n".join(lines)})
    stuk = recognise(next(read_sgd(iter([record]), "t")))
    assert stuk.publication_id == "bijlagen-ii-1918-1919-401-4"
    assert ("vergaderjaar", "niet leesbaar gedrukt; afgeleid uit de datum 25 april 1919") in stuk.unsure
    # Without a date of its own the paper is not imported: no zitting is guessed.
    undated = [line for line in lines if "vastgesteld" not in line]
    assert isinstance(recognise(next(read_sgd(iter([json.dumps({"URL": "https://example.org/1", "Content": "\n".join(undated)})]), "t"))), Skipped)


@pytest.mark.parametrize("text, date", [
    ("Vastgesteld door de Commissie van Rapporteurs den 24sten November 1893.", datetime.date(1893, 11, 24)),
    ("Aldus vastgesteld in de Commissie den 2den Juli 1870.", datetime.date(1870, 7, 2)),
    ("Aldus vastgesteld den 30sten November 1912. VAN BRAAMBEEK.", datetime.date(1912, 11, 30)),
    ("Vastgesteld 9 maart 1994", datetime.date(1994, 3, 9)),
    ("vastgesteld den Oden December 1932.", None),          # a day the OCR garbled is not guessed
    ("vastgesteld in de openbare vergadering van de 10de mei 1965.", None),  # not the paper's own date
])
def test_the_date_a_verslag_was_vastgesteld_in_every_spelling(text, date):
    from kamerarchief.importer.recognise import ADOPTED, _date
    match = ADOPTED.search(text)
    assert (_date(*match.groups()[-3:]) if match else None) == date


def test_the_footer_of_the_1960s_and_70s_with_its_sheet_is_furniture():
    assert is_furniture("12 663 1 (2 vel)") and is_furniture("8811 7") and is_furniture("7271 enz. 14")
    assert not is_furniture("12 663 1 (2 vellen papier)")
