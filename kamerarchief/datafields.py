"""The fields of the open data under /data/: one declaration per field gives its JSON value, its
CSV column, its JSON Schema and its line on the /data/ page, so that the four never disagree.

Field names are Dutch, as in the content files (kamer, vergaderjaar, vastgesteld, ...). Records
refer to each other by id only; the names belong to the registries (partijen.json, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .citations import cited_id
from .model import Letter, Verslag

# JSON Schema of each kind of value; a field that may be empty also allows null.
TYPES = {
    "string": {"type": "string"}, "integer": {"type": "integer"},
    "date": {"type": "string", "format": "date"}, "url": {"type": "string", "format": "uri-reference"},
    "strings": {"type": "array", "items": {"type": "string"}},
}
CSV_LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Field:
    """One field of a record: its name, kind (a key of TYPES), what it means (in Dutch, for the
    /data/ page and the schema), how it is read from the record (`get(record, url)`, where
    `url` makes a site path into the URL the data holds: config.absolute), and whether it may be empty (null in JSON)."""

    name: str
    kind: str
    description: str
    get: Callable[[Any, Callable[[str], str]], Any]
    optional: bool = False


def _attr(name: str) -> Callable:
    return lambda record, url: getattr(record, name)


def _url(record, url: Callable[[str], str]) -> str:
    return url(record.url)


URL = Field("url", "url", "adres van de pagina in het archief", _url)

PARTIJ = (
    Field("id", "string", "vaste id van de partij in het archief", _attr("id")),
    Field("afkorting", "string", "afkorting zoals de stukken haar drukken", _attr("abbreviation")),
    Field("naam", "string", "volledige naam", _attr("name")),
    Field("aliassen", "strings", "andere schrijfwijzen in de lopende tekst (in CSV gescheiden door '; ')",
          lambda r, url: list(r.aliases)),
    Field("toelichting", "string", "toelichting van de redactie", _attr("note"), optional=True),
    URL,
)
PERSOON = (
    Field("id", "string", "vaste id van de persoon in het archief", _attr("id")),
    Field("naam", "string", "achternaam met tussenvoegsel, zoals gedrukt", _attr("name")),
    Field("voorletters", "string", "voorletters, waar gedrukt", _attr("initials"), optional=True),
    Field("volledige_naam", "string", "voorletters en naam", _attr("full_name")),
    URL,
)
COMMISSIE = (
    Field("id", "string", "vaste id van de commissie in het archief", _attr("id")),
    Field("naam", "string", "naam zoals gedrukt na 'de'", _attr("name")),
    Field("afkorting", "string", "afkorting", _attr("abbreviation"), optional=True),
    Field("kamer", "string", "'eerste' of 'tweede'", _attr("chamber")),
    URL,
)
DOSSIER = (
    Field("nummer", "string", "dossiernummer, met toevoeging na een streepje ('36600-VII')", _attr("number")),
    Field("titel", "string", "titel van het dossier", _attr("title")),
    URL,
)
BRON = (
    Field("id", "string", "vaste id van de bron in het archief", _attr("id")),
    Field("soort", "string", "rapport, bundel, artikel, motie, brief, kabinetsreactie, wet of overig", _attr("kind")),
    Field("titel", "string", "titel", _attr("title")),
    Field("auteur", "string", "auteur of uitgever", _attr("author"), optional=True),
    Field("datum", "date", "datum van de bron (JJJJ-MM-DD)", lambda r, url: _iso(r.date), optional=True),
    Field("vindplaats", "string", "waar de bron verscheen", _attr("location"), optional=True),
    Field("kenmerk", "string", "kenmerk of nummer", _attr("kenmerk"), optional=True),
    Field("toelichting", "string", "toelichting van de redactie", _attr("note"), optional=True),
    Field("externe_url", "url", "adres van de bron zelf, buiten het archief", _attr("url_external"), optional=True),
    URL,
)
VERSLAG = (
    Field("id", "string", "publicatie-id ('kst-19637-H'), ook de naam van het JSON-bestand", _attr("id")),
    Field("citeertitel", "string", "hoe het stuk geciteerd wordt ('Kamerstukken I 2020/21, 19637, H')",
          _attr("citation")),
    Field("kamer", "string", "'eerste' of 'tweede'", _attr("chamber")),
    Field("vergaderjaar", "string", "vergaderjaar ('2020-2021')", _attr("session")),
    Field("dossier", "string", "nummer van het dossier (dossiers.json); het eerste als het stuk onder meer dossiers is gedrukt",
          _attr("dossier")),
    Field("dossiers", "strings", "elk dossier waaronder het stuk is gedrukt, het eerste voorop (in CSV gescheiden door '; ')",
          lambda r, url: list(r.dossiers)),
    Field("ondernummer", "string", "ondernummer zoals gedrukt ('H', '56')", _attr("number")),
    Field("type", "string", "soort stuk ('verslag van een schriftelijk overleg', 'eindverslag', 'brief', ...)",
          _attr("doc_type")),
    Field("kop", "string", "de kop van het stuk zoals gedrukt, waar die meer zegt dan de soort", _attr("heading"),
          optional=True),
    Field("vastgesteld", "date", "datum van vaststelling (JJJJ-MM-DD); leeg als het stuk geen datum drukt",
          lambda r, url: _iso(r.adopted), optional=True),
    Field("commissie", "string", "id van de commissie (commissies.json); leeg als geen commissie is genoemd",
          _attr("committee"), optional=True),
    Field("griffier", "string", "id van de griffier (personen.json), waar gedrukt", _attr("clerk"), optional=True),
    Field("aantal_brieven", "integer", "aantal brieven in het verslag", lambda r, url: len(r.letters)),
    URL,
    Field("officiele_url", "url", "de officiële versie op officielebekendmakingen.nl; leeg voor stukken van vóór "
          "vergaderjaar 1995-1996, die daar niet staan", _attr("official_url"), optional=True),
    Field("herkomst", "string", "waar de tekst vandaan komt bij een ingelezen stuk: bestand of adres van het record",
          lambda r, url: r.provenance.source if r.provenance else None, optional=True),
    Field("herkomst_url", "url", "adres van de bron van de tekst (zoals de OCR-tekst bij Staten-Generaal Digitaal)",
          lambda r, url: r.provenance.url if r.provenance else None, optional=True),
    Field("ocr", "string", "'ja' als de tekst door OCR is gelezen en leesfouten kan bevatten, anders 'nee'",
          lambda r, url: "ja" if r.provenance and r.provenance.ocr else "nee"),
    Field("onvolledig", "string", "'ja' als het archief maar een deel van het stuk bevat, anders 'nee'",
          lambda r, url: "ja" if r.provenance and r.provenance.partial else "nee"),
)
BRIEF = (
    Field("verslag", "string", "publicatie-id van het verslag", _attr("verslag_id")),
    Field("slug", "string", "naam van de brief in het verslag, ook in haar adres", _attr("slug")),
    Field("nummer", "integer", "plaats van de brief in het verslag (1, 2, ...)", _attr("number")),
    Field("kop", "string", "kop zoals gedrukt", _attr("heading"), optional=True),
    Field("afzender_persoon", "string", "id van de afzender (personen.json)",
          lambda r, url: r.sender.person, optional=True),
    Field("afzender_functie", "string", "functie van de afzender", lambda r, url: r.sender.function, optional=True),
    Field("afzender_commissie", "string", "id van de commissie die de brief stuurt",
          lambda r, url: r.sender.committee, optional=True),
    Field("aan", "string", "geadresseerde zoals gedrukt", _attr("addressee")),
    Field("plaats", "string", "plaats zoals gedrukt", _attr("place")),
    Field("datum", "date", "datum van de brief (JJJJ-MM-DD)", lambda r, url: _iso(r.date)),
    Field("kenmerk", "string", "kenmerk van de brief, waar gedrukt", _attr("kenmerk"), optional=True),
    Field("ondertekening_functie", "string", "functie in de ondertekening, zoals gedrukt",
          lambda r, url: r.signature.function if r.signature else None, optional=True),
    Field("ondertekening_naam", "string", "naam in de ondertekening, zoals gedrukt",
          lambda r, url: r.signature.name if r.signature else None, optional=True),
    Field("ondertekening_persoon", "string", "id van wie ondertekent (personen.json)",
          lambda r, url: r.signature.person if r.signature else None, optional=True),
    URL,
)
ZETEL = (
    Field("verslag", "string", "publicatie-id van het verslag", lambda r, url: r[0].id),
    Field("positie", "integer", "plaats in voetnoot 1, in gedrukte volgorde (1, 2, ...)", lambda r, url: r[1]),
    Field("persoon", "string", "id van het lid (personen.json); leeg bij een vacature",
          lambda r, url: r[2].person, optional=True),
    Field("partij", "string", "id van de fractie (partijen.json); leeg voor een lid zonder fractie ('(-)')",
          lambda r, url: r[2].party, optional=True),
    Field("rol", "string", "voorzitter, ondervoorzitter, lid of vacature",
          lambda r, url: r[2].role or ("lid" if r[2].person else "vacature")),
    Field("plaatsvervangend", "string", "'ja' voor een plaatsvervangend lid, anders 'nee'",
          lambda r, url: "ja" if r[2].substitute else "nee"),
)
VERMELDING = (
    Field("verslag", "string", "publicatie-id van het verslag", lambda r, url: r[0].id),
    Field("brief", "string", "slug van de brief; leeg voor de inleiding van het verslag",
          lambda r, url: r[1].slug if isinstance(r[1], Letter) else None, optional=True),
    Field("soort", "string", "wat genoemd wordt: persoon, partij, commissie, dossier, bron, verslag, brief of "
          "kamerstuk (een aangehaald kamerstuk, in het archief of niet)", lambda r, url: r[2].kind),
    Field("doel", "string", "id van wat genoemd wordt (bij een brief: verslag-id/slug; bij een kamerstuk: "
          "zijn publicatie-id, 'kst-19637-H')", lambda r, url: _target_id(r[2])),
    Field("tekst", "string", "de gemarkeerde woorden, zoals gedrukt", lambda r, url: r[2].link_text),
    Field("anker", "string", "anker van de alinea of voetnoot ('alinea-3', 'noot-6')", lambda r, url: r[2].anchor),
    Field("voetnoot", "string", "nummer van de voetnoot, als de vermelding in een voetnoot staat",
          lambda r, url: r[2].footnote, optional=True),
    Field("url", "url", "adres van de alinea of voetnoot", lambda r, url: url(f"{r[1].url}#{r[2].anchor}")),
)  # Not the words around a mention: they would more than double the table (and the text is in the
# verslag's JSON file, where the anchor finds the paragraph).
TEKST = (
    Field("markdown", "string", "de tekst in Markdown, zoals in het archief ingevoerd (met voetnoten)",
          lambda r, url: r[0]),
    Field("html", "string", "de tekst in HTML, met de voetnoten als lijst aan het eind", lambda r, url: r[1]),
)
ONDERTEKENING = (
    Field("functie", "string", "functie zoals gedrukt", _attr("function")),
    Field("naam", "string", "naam zoals gedrukt", _attr("name")),
    Field("persoon", "string", "id van wie ondertekent (personen.json)", _attr("person"), optional=True),
)


def _iso(date) -> str | None:
    return date.isoformat() if date else None


def values(fields: tuple[Field, ...], record, url: Callable[[str], str]) -> dict:
    """A record as a JSON object, its fields in declared order."""
    return {f.name: f.get(record, url) for f in fields}


def csv_row(fields: tuple[Field, ...], record, url: Callable[[str], str]) -> list[str]:
    """A record as a CSV row: empty for none, lists joined by '; '."""
    row = []
    for f in fields:
        value = f.get(record, url)
        if value is None:
            value = ""
        elif isinstance(value, list):
            value = CSV_LIST_SEPARATOR.join(value)
        row.append(str(value))
    return row


def schema_of(fields: tuple[Field, ...], parts: dict[str, tuple[str, dict]] | None = None) -> dict:
    """The JSON Schema of an object with these fields, and `parts` ({name: (description, schema)})
    after them: each required, none other allowed."""
    properties = {}
    for f in fields:
        prop = dict(TYPES[f.kind])
        if f.optional:
            prop["type"] = [prop["type"], "null"]
        properties[f.name] = {"description": f.description, **prop}
    for name, (description, schema) in (parts or {}).items():
        properties[name] = {"description": description, **schema}
    return {"type": "object", "properties": properties, "required": list(properties),
            "additionalProperties": False}


def array_of(schema: dict) -> dict:
    """The schema of a list of such objects."""
    return {"type": "array", "items": schema}


def seat_rows(verslag: Verslag) -> list[tuple]:
    """(verslag, position, seat) for each seat of the composition, in printed order."""
    return [(verslag, n, seat) for n, seat in enumerate(verslag.seats, 1)]


def _target_id(reference) -> str:
    """The id a mention names. A citation's target is kept case-folded for matching it to the stuk
    it cites; the data give the publication id as the citation spells it (kept in its href)."""
    if reference.kind == "kamerstuk":
        return cited_id(reference.href)
    return reference.target


def mention_rows(verslag: Verslag, document: Verslag | Letter, references) -> list[tuple]:
    """(verslag, document, reference) for each marked mention in a document's text, in order."""
    return [(verslag, document, reference) for reference in references]
