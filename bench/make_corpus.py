#!/usr/bin/env python3
"""Make a realistic synthetic archive for benchmarks: `--verslagen N --out DIR` writes DIR/content.

Deterministic for a given N. The text is drawn from the seed verslag's own sentences; verslagen are
spread over many dossiers, committees, both chambers and thirty vergaderjaren; letters (2 to 6 per
verslag) have section headings, footnotes numbered on through the verslag, and mentions of persons
and parties; bronnen are cited with a skewed distribution, a few very often.
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kamerarchief import dutch  # noqa: E402

SEED = ROOT / "content" / "verslagen" / "kst-19637-H"
SURNAMES = """Kox Koffeman Faber Boer Dijk Hattem Jorritsma Oomen Rombouts Stienen Rooijen Adriaansens Blécourt
Doornhof Karimi Veldhoen Vos Vries Keunen Dittrich Wely Nanninga Raven Karakus Talsma Hiddema Dragstra Broekers
Beer Dis Cornelissen Salomons Ginjaar Worrell Beinema Kraaijeveld Evenhuis Knol Beckers Verkerk Castricum Hermans
Korte Andela Borgman Cotterell Groenman Nieuwenhoven Leijenhorst Janssen Hermes Braams Niessen Vlies Wallage
Franssen Kamp Janmaat Leijnse Nuis Cloe Huys Lilipaly Wolffensperger Tuinstra Gelder Frissen Camp Lansink Reitsma
Roosen Vermeend Schutte Verspaget Korthals Rey Leerling Pree Netelenbos Buurmeijer Veld Kohnstamm Boers Iersel""".split()
PREFIXES = ["", "", "", "Van ", "De ", "Van der ", "Ter ", "Van den "]
PARTIES = {
    "vvd": ("VVD", "Volkspartij voor Vrijheid en Democratie"), "cda": ("CDA", "Christen-Democratisch Appèl"),
    "gl": ("GL", "GroenLinks"), "d66": ("D66", "Democraten 66"), "pvda": ("PvdA", "Partij van de Arbeid"),
    "pvv": ("PVV", "Partij voor de Vrijheid"), "sp": ("SP", "Socialistische Partij"), "cu": ("CU", "ChristenUnie"),
    "pvdd": ("PvdD", "Partij voor de Dieren"), "50plus": ("50PLUS", "50PLUS"),
    "sgp": ("SGP", "Staatkundig Gereformeerde Partij"), "osf": ("OSF", "Onafhankelijke SenaatsFractie"),
    "fvd": ("FVD", "Forum voor Democratie"), "ppr": ("PPR", "Politieke Partij Radikalen"),
    "psp": ("PSP", "Pacifistisch Socialistische Partij"), "cpn": ("CPN", "Communistische Partij van Nederland"),
    "gpv": ("GPV", "Gereformeerd Politiek Verbond"), "rpf": ("RPF", "Reformatorische Politieke Federatie"),
}
SUBJECTS = """Vreemdelingenbeleid|Onderwijsverzorging|Gehandicaptenbeleid|Milieubeleid|Defensie|Verkeer en Waterstaat|
Volksgezondheid|Justitie|Binnenlandse Zaken|Europese Zaken|Landbouw en Visserij|Sociale Zekerheid|Huisvesting|
Cultuur|Economische Zaken|Financiën|Buitenlandse Zaken|Ontwikkelingssamenwerking|Asielbeleid|Jeugdzorg""".replace("\n", "").split("|")
SOURCE_KINDS = ["rapport", "bundel", "artikel", "motie", "brief", "kabinetsreactie"]
OFFICES = ["Minister van Justitie en Veiligheid", "Staatssecretaris van Justitie en Veiligheid",
           "Minister van Binnenlandse Zaken", "Minister van Onderwijs, Cultuur en Wetenschap",
           "Minister van Volksgezondheid, Welzijn en Sport", "Minister van Financiën"]


def seed_sentences() -> list[str]:
    """The sentences of the seed's letters and introduction, without markup."""
    text = "\n".join(p.read_text(encoding="utf-8").split("---\n")[-1] for p in sorted(SEED.rglob("*.md")))
    text = re.sub(r"^\[\^\d+\]:.*$", "", text, flags=re.M)
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"\[\^\d+\]|^#+ .*$|\\$", "", text, flags=re.M)
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", " ".join(text.split()))
    return [s for s in sentences if len(s) > 30]


def zipf_choice(rng: random.Random, items: list, skew: float = 1.1):
    """One item, chosen with a skewed distribution: the first few are cited far more often."""
    weights = [1 / (rank + 1) ** skew for rank in range(len(items))]
    return rng.choices(items, weights=weights)[0]


def yaml_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def make_corpus(n: int, out: Path) -> None:
    rng = random.Random(n)
    sentences = seed_sentences()
    content = out / "content"
    if content.exists():
        shutil.rmtree(content)
    (content / "verslagen").mkdir(parents=True)

    party_ids = list(PARTIES)
    persons = {}
    for index in range(max(60, n * 2)):
        name = rng.choice(PREFIXES) + rng.choice(SURNAMES) + (f"-{rng.choice(SURNAMES)}" if rng.random() < .2 else "")
        ident = f"{dutch.slugify(name)}-{index}"
        persons[ident] = (name, "".join(rng.choice("ABCDEFGHJKLMNPRSTW") + "." for _ in range(rng.randint(1, 3))),
                          zipf_choice(rng, party_ids, 0.6))
    person_ids = list(persons)
    committees = {}
    for chamber in ("eerste", "tweede"):
        for subject in SUBJECTS:
            committees[f"{chamber}-{dutch.slugify(subject)}"] = (f"vaste commissie voor {subject}", chamber)
    dossiers = {str(10000 + 7 * i): rng.choice(SUBJECTS) + f" {i}" for i in range(max(5, n // 3))}
    sources = {f"bron-{i}": (rng.choice(SOURCE_KINDS), f"{rng.choice(sentences)[:70].rstrip(' ,.')}") for i in range(max(10, n // 2))}
    source_ids = list(sources)

    write(content / "partijen.yaml", "".join(f"{k}:\n  afkorting: {a}\n  naam: {yaml_text(v)}\n" for k, (a, v) in PARTIES.items()))
    write(content / "personen.yaml", "".join(f"{k}: {{naam: {yaml_text(v[0])}, voorletters: {v[1]}}}\n" for k, v in persons.items()))
    write(content / "commissies.yaml", "".join(f"{k}:\n  naam: {yaml_text(v[0])}\n  kamer: {v[1]}\n" for k, v in committees.items()))
    write(content / "dossiers.yaml", "".join(f"\"{k}\":\n  titel: {yaml_text(v)}\n" for k, v in dossiers.items()))
    write(content / "bronnen.yaml", "".join(f"{k}:\n  soort: {kind}\n  titel: {yaml_text(title)}\n"
                                            for k, (kind, title) in sources.items()))

    numbers: dict[str, int] = {}
    dossier_ids = list(dossiers)
    for index in range(n):
        chamber = rng.choice(("eerste", "tweede"))
        start = rng.randint(1990, 2023)
        session = f"{start}-{start + 1}"
        first, last = dutch.session_bounds(session)
        adopted = first + datetime.timedelta(days=rng.randint(60, (last - first).days))
        dossier = zipf_choice(rng, dossier_ids, 0.8)
        numbers[dossier] = numbers.get(dossier, 0) + 1
        ondernummer = _ondernummer(numbers[dossier]) if chamber == "eerste" else str(numbers[dossier])
        verslag_id = dutch.publication_id(dossier, ondernummer)
        committee = rng.choice([k for k, v in committees.items() if v[1] == chamber])
        seats = rng.sample(person_ids, rng.randint(13, 27))
        folder = content / "verslagen" / verslag_id
        (folder / "brieven").mkdir(parents=True)
        letters = []
        footnote = 4
        letter_dates = sorted(adopted - datetime.timedelta(days=rng.randint(1, 200)) for _ in range(rng.randint(2, 6)))
        for number, date in enumerate(letter_dates, start=1):
            slug = f"{date.isoformat()}-{number}"
            letters.append(slug)
            body, footnote = _letter_body(rng, sentences, person_ids, persons, source_ids, footnote)
            office = rng.choice(OFFICES)
            from_committee = number % 2 == 1
            sender = (f"afzender:\n  persoon: {seats[0]}\n  functie: voorzitter van de {committees[committee][0]}\n  commissie: {committee}\n"
                      if from_committee else f"afzender:\n  functie: {office}\n")
            signer = seats[0] if from_committee else rng.choice(person_ids)
            write(folder / "brieven" / f"{slug}.md",
                  f"---\nkop: BRIEF VAN DE {('VOORZITTER VAN DE ' + committees[committee][0]).upper() if from_committee else office.upper()}\n"
                  f"{sender}aan: Aan de {office if from_committee else 'Voorzitter van de ' + dutch.CHAMBERS[chamber][0]}\n"
                  f"plaats: Den Haag\ndatum: {date.isoformat()}\nkenmerk: {rng.randint(100000, 999999)}U\n"
                  f"ondertekening:\n  functie: {yaml_text(office if not from_committee else 'De voorzitter van de commissie,')}\n"
                  f"  naam: {yaml_text(persons[signer][1] + ' ' + persons[signer][0])}\n  persoon: {signer}\n---\n{body}")
        seat_lines = "".join(f"  - {{persoon: {p}, partij: {persons[p][2]}{', rol: voorzitter' if i == 0 else ', rol: ondervoorzitter' if i == 1 else ''}}}\n"
                             for i, p in enumerate(seats))
        clerk = rng.choice(person_ids)
        write(folder / "verslag.yaml",
              f"kamer: {chamber}\nvergaderjaar: {session}\ndossier: \"{dossier}\"\nondernummer: \"{ondernummer}\"\n"
              f"type: verslag van een schriftelijk overleg\nvastgesteld: {adopted.isoformat()}\ncommissie: {committee}\n"
              f"griffier: {clerk}\nondertekening:\n  functie: De griffier van de commissie,\n  naam: {yaml_text(persons[clerk][0])}\n"
              f"  persoon: {clerk}\nsamenstelling:\n{seat_lines}brieven:\n" + "".join(f"  - {s}\n" for s in letters))
        composition = ", ".join(f"[{persons[p][0]}](persoon:{p}) ([{PARTIES[persons[p][2]][0]}](partij:{persons[p][2]}))" for p in seats)
        write(folder / "inleiding.md",
              f"De {committees[committee][0]}[^1] heeft de regering vragen gesteld over [{zipf_choice(rng, source_ids)}]"
              f"(bron:{zipf_choice(rng, source_ids)})[^2]. {rng.choice(sentences)}[^3]\n\n"
              f"De commissie brengt bijgaand verslag uit van het gevoerde schriftelijk overleg.\n\n"
              f"[^1]: Samenstelling: {composition}\n\n[^2]: {rng.choice(sentences)}\n\n[^3]: {rng.choice(sentences)}\n")


def make_project(n: int, folder: Path, corpus: Path | None = None) -> Path:
    """A project folder for benchmarks: a corpus of `n` verslagen (or a copy of the content of
    `corpus`, a folder this script made) and a config that uses this repository's templates and
    static files."""
    if corpus:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copytree(corpus / "content", folder / "content")
    else:
        make_corpus(n, folder)
    (folder / "config.yaml").write_text(f"templates: {ROOT / 'templates'}\nstatic: {ROOT / 'static'}\n",
                                        encoding="utf-8")
    return folder


def _ondernummer(count: int) -> str:
    """A, B, ..., Z, AA, AB, ...: the Eerste Kamer's ondernummers."""
    letters = ""
    while count:
        count, rest = divmod(count - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _letter_body(rng, sentences, person_ids, persons, source_ids, footnote):
    paragraphs, notes = [], []
    for index in range(rng.randint(2, 9)):
        if index and rng.random() < .25:
            paragraphs.append("## " + rng.choice(sentences)[:60].rstrip(" ,.;"))
        words = [rng.choice(sentences) for _ in range(rng.randint(2, 5))]
        if rng.random() < .5:
            person = rng.choice(person_ids)
            party = persons[person][2]
            words.insert(1, f"Het lid [{persons[person][0]}](persoon:{person}) ([{PARTIES[party][0]}](partij:{party})) vroeg hiernaar.")
        if rng.random() < .6:
            words[-1] = words[-1] + f"[^{footnote}]"
            source = zipf_choice(rng, source_ids)
            notes.append(f"[^{footnote}]: Zie [{source}](bron:{source}).")
            footnote += 1
        paragraphs.append(" ".join(words))
    return "\n\n".join(paragraphs + notes) + "\n", footnote


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verslagen", type=int, required=True, help="number of verslagen")
    parser.add_argument("--out", type=Path, required=True, help="folder to write content/ into")
    args = parser.parse_args()
    make_corpus(args.verslagen, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
