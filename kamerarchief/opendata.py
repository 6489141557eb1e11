"""The archive as open data under /data/: JSON files with their JSON Schemas, CSV tables, and the
page that documents them. Pure functions from the resolved site to text, planned and written as
pages are, so that a rebuild after an edit makes again only the files that show what changed.

    /data/                      the page that documents every file and field
    /data/<tabel>.csv           verslagen, brieven, zetels, vermeldingen, partijen, personen,
                                commissies, dossiers, bronnen
    /data/<register>.json       partijen, personen, commissies, dossiers, bronnen, verslagen
    /data/verslagen/<id>.json   one verslag with its letters, their texts and mentions
    /data/<naam>.schema.json    the JSON Schema of each kind of JSON file (verslag: of the above)
"""

from __future__ import annotations

import csv
import io
from typing import Callable

from . import jsontext
from .config import Config
from .datafields import (BRIEF, BRON, COMMISSIE, DOSSIER, ONDERTEKENING, PARTIJ, PERSOON, TEKST, TYPES, VERMELDING,
                         VERSLAG, ZETEL, Field, array_of, csv_row, mention_rows, schema_of, seat_rows, values)
from .citations import text_dependency_keys
from .model import Letter, Verslag, document_key
from .resolve import Site

DATA = "/data/"
SCHEMA_VERSION = "https://json-schema.org/draft/2020-12/schema"
# The registries: file name, their fields, the archive's attribute, and what they hold.
REGISTRIES = {
    "partijen": (PARTIJ, "parties", "partij", "De partijen (fracties), met hun namen en schrijfwijzen."),
    "personen": (PERSOON, "persons", "persoon", "De personen: leden, griffiers, bewindspersonen en wie verder "
                                                "schrijft, ondertekent of genoemd wordt."),
    "commissies": (COMMISSIE, "committees", "commissie", "De commissies van beide Kamers."),
    "dossiers": (DOSSIER, "dossiers", "dossier", "De kamerstukdossiers."),
    "bronnen": (BRON, "sources", "bron", "De rapporten, artikelen, moties en andere stukken waarnaar de "
                                         "verslagen en brieven verwijzen."),
}
# The tables of the documents: file name, fields, the rows of one verslag, what the file depends
# on, and what it holds. Rows follow the verslagen in the order they were adopted.
TABLES = {
    "verslagen": (VERSLAG, lambda site, v: [v], "*verslagen", "Eén regel per verslag."),
    "brieven": (BRIEF, lambda site, v: v.letters, "*documents",
                "Eén regel per brief, in de volgorde van de verslagen en van de brieven daarin."),
    "zetels": (ZETEL, lambda site, v: seat_rows(v), "*verslagen",
               "De samenstelling van de commissie bij elk verslag (voetnoot 1): één regel per zetel."),
    "vermeldingen": (VERMELDING, lambda site, v: [row for d in (v, *v.letters)
                                                  for row in mention_rows(v, d, site.text_of(d).references)],
                     "*documents", "Wie of wat waar genoemd wordt: één regel per gemarkeerde vermelding in de "
                                   "tekst, met het anker van de alinea of voetnoot."),
}


# The tables that keep each verslag's rows on the site (see _verslagen_table).
REMEMBERING = tuple(f"{DATA}{name}.csv" for name in TABLES)


def data_urls(site: Site) -> list[str]:
    """Every file under /data/, in a fixed order."""
    urls = [DATA]
    for name in REGISTRIES:
        urls += [f"{DATA}{name}.json", f"{DATA}{name}.csv", f"{DATA}{name}.schema.json"]
    urls += [f"{DATA}verslagen.json", f"{DATA}verslagen.schema.json", f"{DATA}verslag.schema.json"]
    urls += [f"{DATA}{name}.csv" for name in TABLES]
    urls += [verslag_file(ident) for ident in sorted(site.archive.verslagen)]
    return urls


def verslag_file(ident: str) -> str:
    """The JSON file of one verslag: '/data/verslagen/kst-19637-H.json'."""
    return f"{DATA}verslagen/{ident}.json"


def plan_data(site: Site, url: str) -> tuple[str, dict, frozenset[str]]:
    """What a file under /data/ (one of data_urls) is made of: (kind, context, dependency keys).
    The kind is 'page' for the /data/ page (a template), else what render_data makes."""
    if url == DATA:
        files = {"json": [*REGISTRIES, "verslagen"], "schemas": [*REGISTRIES, "verslagen", "verslag"],
                 "csv": [*TABLES, *REGISTRIES]}
        return "page", {"tables": data_page_tables(), "files": files}, frozenset()
    name, _, form = url.removeprefix(DATA).partition(".")
    if name.startswith("verslagen/"):
        verslag = site.archive.verslagen[name.removeprefix("verslagen/")]
        documents = (verslag, *verslag.letters)
        # Its HTML links citations where they lead, as the pages do.
        keys = {document_key(d) for d in documents}.union(*(text_dependency_keys(site.text_of(d)) for d in documents))
        return "verslag", {"ident": verslag.id}, frozenset(keys)
    if form.startswith("schema"):
        return "schema", {"name": name}, frozenset()
    if name in REGISTRIES:
        return form, {"name": name}, frozenset({f"*{REGISTRIES[name][2]}"})
    if name == "verslagen" and form == "json":
        return "json", {"name": name}, frozenset({"*verslagen"})
    return form, {"name": name}, frozenset({TABLES[name][2]})


def render_data(site: Site, config: Config, kind: str, name: str = "", ident: str = "") -> str:
    """The text of one data file (see plan_data)."""
    url = config.absolute
    if kind == "verslag":
        return _json(verslag_object(site, site.archive.verslagen[ident], url))
    if kind == "schema":
        return _json(schema(name))
    if name == "verslagen" and kind == "json":
        return _json([verslagen_entry(v, url) for v in _verslagen(site)])
    if name in TABLES:
        return _verslagen_table(site, name, url)
    fields, attribute = REGISTRIES[name][:2]
    records = [record for _, record in sorted(getattr(site.archive, attribute).items())]
    if kind == "json":
        return _json([values(fields, record, url) for record in records])
    return _csv_header(fields) + _csv_rows(fields, records, url)


def _verslagen_table(site: Site, name: str, url: Callable[[str], str]) -> str:
    """A table of rows from every verslag. Each verslag's lines are remembered on the site while
    it and its texts are unchanged: after an edit only the changed verslag's rows are formatted
    (vermeldingen.csv is 7 MB at N = 1,000)."""
    fields, rows = TABLES[name][:2]
    chunks = []
    for verslag in _verslagen(site):
        made_from = (verslag, *(site.text_of(d) for d in (verslag, *verslag.letters)))
        chunks.append(site.remembered((name, verslag.id, url("/")), made_from,
                                      lambda: _csv_rows(fields, rows(site, verslag), url)))
    return _csv_header(fields) + "".join(chunks)


def verslagen_entry(verslag: Verslag, url: Callable[[str], str]) -> dict:
    """A verslag in verslagen.json: its metadata, its letters' slugs and where its own file is."""
    return {**values(VERSLAG, verslag, url), "brieven": [letter.slug for letter in verslag.letters],
            "bestand": url(verslag_file(verslag.id))}


def verslag_object(site: Site, verslag: Verslag, url: Callable[[str], str]) -> dict:
    """Everything of one verslag: metadata, signatures, composition, and the introduction and
    each letter with its text (Markdown as entered, HTML as on the site) and its mentions."""
    def text_of(document: Verslag | Letter) -> dict:
        source = document.introduction if isinstance(document, Verslag) else document.body
        rendered = site.linked_text(document)
        # Links between the archive's pages go to the site's address, wherever the file is read.
        html = (rendered.body_html + rendered.footnotes_html).replace('href="/', f'href="{url("/")}')
        return {"tekst": {"markdown": source.text, "html": html},
                "vermeldingen": [values(VERMELDING, row, url)
                                 for row in mention_rows(verslag, document, rendered.references)]}

    return {**values(VERSLAG, verslag, url),
            "ondertekening": [values(ONDERTEKENING, s, url) for s in verslag.signatures],
            "samenstelling": [values(ZETEL, row, url) for row in seat_rows(verslag)],
            "inleiding": text_of(verslag),
            "brieven": [{**values(BRIEF, letter, url), **text_of(letter)} for letter in verslag.letters]}


def _text_parts() -> dict[str, tuple[str, dict]]:
    """What the introduction and each letter carry in a verslag's file, besides their fields."""
    return {"tekst": ("de tekst: markdown (zoals ingevoerd, met voetnoten) en html (zoals op de site)",
                      schema_of(TEKST)),
            "vermeldingen": ("de vermeldingen in de tekst, in volgorde; velden als in vermeldingen.csv",
                             array_of(schema_of(VERMELDING)))}


def _verslag_parts() -> dict[str, tuple[str, dict]]:
    """What a verslag's file holds besides the fields of verslagen.csv."""
    return {
        "ondertekening": ("de ondertekening(en) onder de inleiding; velden als hieronder bij ondertekening",
                          array_of(schema_of(ONDERTEKENING))),
        "samenstelling": ("de zetels van de commissie, in de volgorde van voetnoot 1; velden als in zetels.csv",
                          array_of(schema_of(ZETEL))),
        "inleiding": ("de inleiding van de commissie: tekst en vermeldingen", schema_of((), _text_parts())),
        "brieven": ("de brieven in gedrukte volgorde: de velden van brieven.csv, tekst en vermeldingen",
                    array_of(schema_of(BRIEF, _text_parts()))),
    }


def _verslagen_parts() -> dict[str, tuple[str, dict]]:
    """What verslagen.json holds of each verslag besides the fields of verslagen.csv."""
    return {"brieven": ("slugs van de brieven, in gedrukte volgorde", TYPES["strings"]),
            "bestand": ("adres van het JSON-bestand met het hele verslag", TYPES["url"])}


def schema(name: str) -> dict:
    """The JSON Schema of /data/<name>.json ('verslag': of each file under /data/verslagen/)."""
    if name == "verslag":
        body, title = schema_of(VERSLAG, _verslag_parts()), "Een verslag met zijn brieven (/data/verslagen/<id>.json)"
    elif name == "verslagen":
        body, title = array_of(schema_of(VERSLAG, _verslagen_parts())), "Alle verslagen (/data/verslagen.json)"
    else:
        body, title = array_of(schema_of(REGISTRIES[name][0])), f"{name.capitalize()} (/data/{name}.json)"
    return {"$schema": SCHEMA_VERSION, "title": title, **body}


def data_page_tables() -> list[dict]:
    """What the /data/ page lists: each kind of record, its files and its fields."""
    tables = []
    for name, (fields, _, _, description) in REGISTRIES.items():
        tables.append(_table(name, description, [f"{name}.json", f"{name}.csv", f"{name}.schema.json"],
                             _fields(fields)))
    tables.append(_table("verslagen", "Eén object of regel per verslag.",
                         ["verslagen.json", "verslagen.csv", "verslagen.schema.json"],
                         _fields(VERSLAG) + _parts(_verslagen_parts(), "alleen in verslagen.json: ")))
    tables.append(_table("verslagen/<publicatie-id>.json", "Elk verslag in één JSON-bestand: de velden van "
                         "verslagen.csv en deze.", ["verslagen/<publicatie-id>.json", "verslag.schema.json"],
                         _parts(_verslag_parts()) + _parts(_text_parts(), "bij de inleiding en elke brief: ")
                         + _fields(TEKST, "tekst."), anchor="verslag"))
    tables.append(_table("ondertekening", "De ondertekening onder de inleiding van een verslag.", [],
                         _fields(ONDERTEKENING)))
    for name in ("brieven", "zetels", "vermeldingen"):
        fields, _, _, description = TABLES[name]
        tables.append(_table(name, description, [f"{name}.csv"], _fields(fields)))
    return tables


def _fields(fields: tuple[Field, ...], prefix: str = "") -> list[tuple]:
    return [(prefix + f.name, TYPE_LABELS[f.kind], f.description, f.optional) for f in fields]


def _parts(parts: dict[str, tuple[str, dict]], note: str = "") -> list[tuple]:
    labels = {"array": "lijst", "object": "object", "string": "adres"}
    return [(name, labels[schema["type"]], note + description, False) for name, (description, schema) in parts.items()]


TYPE_LABELS = {"string": "tekst", "integer": "getal", "date": "datum", "url": "adres", "strings": "lijst"}


def _table(name: str, description: str, files: list[str], fields: list[tuple], anchor: str = "") -> dict:
    return {"name": name, "anchor": anchor or name, "description": description, "files": files, "fields": fields}


def _verslagen(site: Site) -> list[Verslag]:
    """The verslagen oldest first, as they were adopted (one that prints no date: at the start of its vergaderjaar)."""
    return sorted(site.archive.verslagen.values(), key=lambda v: (v.sort_date, v.id))


def _json(data) -> str:
    return jsontext.dumps(data) + "\n"  # json.dumps(data, ensure_ascii=False, indent=1), faster


def _csv_header(fields: tuple[Field, ...]) -> str:
    return _csv_lines([[f.name for f in fields]])


def _csv_rows(fields: tuple[Field, ...], records, url: Callable[[str], str]) -> str:
    return _csv_lines(csv_row(fields, record, url) for record in records)


def _csv_lines(rows) -> str:
    """Lines of a CSV table per RFC 4180: commas, double quotes where needed, CRLF line ends."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()
