"""Open data under /data/: every JSON file checked against its JSON Schema, every CSV table read
back with the csv module, and what they hold compared with the archive and its Markdown."""

from __future__ import annotations

import collections
import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT
from kamerarchief.config import load_config
from kamerarchief.load import split_front_matter
from kamerarchief.pipeline import check

SEED = ROOT / "content" / "verslagen" / "kst-19637-H"
FIXTURE = ROOT / "tests" / "fixtures" / "archief"
MENTION = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\((persoon|partij|bron|brief|commissie|dossier|verslag):([^)\s]+)\)")


def read_csv(path: Path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), f"{path.name} has a byte order mark"
    assert b"\n" not in data.replace(b"\r\n", b""), f"{path.name}: a line end that is not CRLF"
    with open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    header, body = rows[0], rows[1:]
    assert all(len(row) == len(header) for row in body), path.name
    return [dict(zip(header, row)) for row in body]


@pytest.fixture(scope="module")
def data(built_site) -> Path:
    return built_site / "data"


def schema_for(data: Path, path: Path) -> dict:
    name = "verslag" if path.parent.name == "verslagen" else path.name.removesuffix(".json")
    return json.loads((data / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_every_json_file_is_valid_against_its_schema(data):
    files = sorted((p for p in data.rglob("*.json") if not p.name.endswith(".schema.json")),
                   key=lambda p: p.relative_to(data).as_posix())
    assert [p.relative_to(data).as_posix() for p in files] == [
        "bronnen.json", "commissies.json", "dossiers.json", "partijen.json", "personen.json", "verslagen.json",
        "verslagen/kst-19637-H.json"]
    for schema_file in data.glob("*.schema.json"):
        jsonschema.Draft202012Validator.check_schema(json.loads(schema_file.read_text(encoding="utf-8")))
    for path in files:
        instance = json.loads(path.read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema_for(data, path), format_checker=jsonschema.FormatChecker())
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(instance)]
        assert not errors, (path.name, errors[:5])


def test_a_schema_rejects_what_does_not_fit(data):
    """The schemas are strict: a missing field, an unknown field, a wrong type or date fails."""
    verslag = json.loads((data / "verslagen" / "kst-19637-H.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema_for(data, data / "verslagen" / "x.json"),
                                                format_checker=jsonschema.FormatChecker())
    for broken in ({k: v for k, v in verslag.items() if k != "dossier"}, {**verslag, "extra": 1},
                   {**verslag, "aantal_brieven": "3"}, {**verslag, "vastgesteld": "2021-02-30"},
                   {**verslag, "brieven": [{**verslag["brieven"][0], "tekst": {"markdown": "x"}}]}):
        assert not validator.is_valid(broken)


def test_every_csv_reads_back_and_agrees_with_its_json(data):
    tables = sorted(p.name for p in data.glob("*.csv"))
    assert tables == sorted(f"{name}.csv" for name in ("verslagen", "brieven", "zetels", "vermeldingen", "partijen",
                                                      "personen", "commissies", "dossiers", "bronnen"))
    for name in ("partijen", "personen", "commissies", "dossiers", "bronnen", "verslagen"):
        rows = read_csv(data / f"{name}.csv")
        records = json.loads((data / f"{name}.json").read_text(encoding="utf-8"))
        assert len(rows) == len(records), name
        for row, record in zip(rows, records):
            for field, value in row.items():
                expected = record[field]
                expected = "; ".join(expected) if isinstance(expected, list) else "" if expected is None else str(expected)
                assert value == expected, (name, field)


def test_the_seed_as_data_27_seats_3_letters_9_bronnen(data, built_site):
    site = check(load_config(ROOT / "config.yaml")).site
    verslag = site.archive.verslagen["kst-19637-H"]
    seats = read_csv(data / "zetels.csv")
    assert len(seats) == 27
    assert [(s["persoon"], s["partij"]) for s in seats] == [(s.person or "", s.party) for s in verslag.seats]
    assert [s["positie"] for s in seats] == [str(n) for n in range(1, 28)]
    roles = collections.Counter(s["rol"] for s in seats)
    assert roles == {"lid": 24, "voorzitter": 1, "ondervoorzitter": 1, "vacature": 1}
    assert {(s["persoon"], s["partij"]) for s in seats if s["rol"] != "lid"} == {
        ("faber-van-de-klashorst", "pvv"), ("stienen", "d66"), ("", "fractie-nanninga")}
    assert len({s["partij"] for s in seats}) == 15

    letters = read_csv(data / "brieven.csv")
    assert [(l["slug"], l["datum"]) for l in letters] == [
        ("2021-04-29-commissie", "2021-04-29"), ("2021-07-08-commissie", "2021-07-08"),
        ("2021-07-08-staatssecretaris", "2021-07-08")]
    assert letters[2]["ondertekening_naam"] == "A. Broekers-Knol"

    bronnen = read_csv(data / "bronnen.csv")
    assert len(bronnen) == 9 and {b["id"] for b in bronnen} == set(site.archive.sources)
    assert json.loads((data / "bronnen.json").read_text(encoding="utf-8"))[0]["id"] == sorted(site.archive.sources)[0]

    (entry,) = json.loads((data / "verslagen.json").read_text(encoding="utf-8"))
    assert entry["citeertitel"] == "Kamerstukken I 2020/21, 19637, H" and entry["aantal_brieven"] == 3
    assert entry["bestand"] == "/data/verslagen/kst-19637-H.json"


def test_every_mention_in_the_markdown_is_a_row_with_its_paragraph(data, built_site):
    """vermeldingen.csv against the Markdown itself: each marked reference once, with the anchor
    of a paragraph or footnote that holds the marked words on its page."""
    expected = collections.Counter()
    for path in [SEED / "inleiding.md", *sorted((SEED / "brieven").glob("*.md"))]:
        body = split_front_matter(path.read_text(encoding="utf-8"))[1]
        letter = path.stem if path.parent.name == "brieven" else ""
        for text, kind, target in MENTION.findall(body):
            if kind == "brief" and "/" not in target:
                target = f"kst-19637-H/{target}"
            expected[(letter, kind, target, text)] += 1
    rows = read_csv(data / "vermeldingen.csv")
    assert collections.Counter((r["brief"], r["soort"], r["doel"], r["tekst"]) for r in rows) == expected
    assert len(rows) > 50
    pages = {}
    for row in rows:
        path, _, anchor = row["url"].partition("#")
        assert anchor == row["anker"] and (anchor.startswith("alinea-") or anchor == f"noot-{row['voetnoot']}")
        page = pages.setdefault(path, (built_site / path.lstrip("/") / "index.html").read_text(encoding="utf-8"))
        start = page.index(f'id="{anchor}"')
        block = page[start:page.index("</p>" if anchor.startswith("alinea-") else "</li>", start)]
        assert f">{row['tekst']}</a>".replace("&", "&amp;") in block, row


def test_a_verslag_file_holds_its_texts_as_entered_and_as_shown(data, built_site):
    verslag = json.loads((data / "verslagen" / "kst-19637-H.json").read_text(encoding="utf-8"))
    introduction = split_front_matter((SEED / "inleiding.md").read_text(encoding="utf-8"))[1]
    assert verslag["inleiding"]["tekst"]["markdown"] == introduction
    assert [s["persoon"] for s in verslag["samenstelling"]][:3] == ["kox", "koffeman", "faber-van-de-klashorst"]
    footnotes = 0
    for letter in verslag["brieven"]:
        source = (SEED / "brieven" / f"{letter['slug']}.md").read_text(encoding="utf-8")
        assert letter["tekst"]["markdown"] == split_front_matter(source)[1]
        page = (built_site / letter["url"].lstrip("/") / "index.html").read_text(encoding="utf-8")
        body, _, notes = letter["tekst"]["html"].partition('<ol class="voetnoten">')
        assert body in page and '<ol class="voetnoten">' + notes in page if notes else body in page
        footnotes += bool(notes)
        assert len(letter["vermeldingen"]) == sum(1 for _ in MENTION.finditer(letter["tekst"]["markdown"]))
    assert footnotes == 2  # the first and the third letter have footnotes
    assert "op 8 juli 201 een [rappelbrief]" in verslag["inleiding"]["tekst"]["markdown"]  # the slip kept


def test_the_data_page_documents_every_file_and_field(data, built_site):
    page = (data / "index.html").read_text(encoding="utf-8")
    for path in sorted(data.rglob("*")):
        if path.is_file() and path.parent == data and path.name != "index.html":
            assert f'href="/data/{path.name}"' in page, path.name
    fields = set()
    for path in data.glob("*.csv"):
        fields |= set(read_csv(path)[0]) if read_csv(path) else set()
    for schema_file in data.glob("*.schema.json"):
        fields |= set(_property_names(json.loads(schema_file.read_text(encoding="utf-8"))))
    missing = {f for f in fields if f"<code>{f}</code>" not in page and f"<code>tekst.{f}</code>" not in page}
    assert not missing
    for words in ("UTF-8", "RFC 4180", "Auteurswet", "Kamerstukken I 2020/21, 19637, H", "#alinea-3"):
        assert words in page, words
    assert 'href="/data/"' in (built_site / "index.html").read_text(encoding="utf-8")  # in the footer


def _property_names(schema) -> list[str]:
    if isinstance(schema, dict):
        names = list(schema.get("properties", {}))
        for value in schema.values():
            names += _property_names(value)
        return names
    if isinstance(schema, list):
        return [n for item in schema for n in _property_names(item)]
    return []


def test_a_verslag_file_links_citations_where_its_pages_do():
    """The fixture's imported papers cite kamerstukken: the data's HTML is the pages' HTML, with
    no placeholder of a citation left."""
    config = load_config(FIXTURE / "config.yaml")
    site = config.absolute("/")  # the data's addresses are absolute, the pages' root-relative
    html = check(config).decoded()
    for url in [u for u in html if u.startswith("/data/verslagen/")]:
        verslag = json.loads(html[url])
        for document in [verslag["inleiding"] | {"url": verslag["url"]}, *verslag["brieven"]]:
            text = document["tekst"]["html"]
            assert "kamerstuk:" not in text, url
            body = text.partition('<ol class="voetnoten">')[0].replace(f'href="{site}', 'href="/')
            assert body in html["/" + document["url"].removeprefix(site)], (url, document["url"])
    cited = json.loads(html["/data/verslagen/kst-21501-07-8.json"])["inleiding"]["tekst"]["html"]
    assert f'<a href="{site}dossiers/21501-07/" class="ref ref-kamerstuk"' in cited


def test_under_a_base_url_every_address_in_the_data_is_absolute():
    config = dataclasses.replace(load_config(FIXTURE / "config.yaml"), base_url="https://example.org/archief")
    html = check(config).decoded()
    verslag = json.loads(html["/data/verslagen/kst-19637-H.json"])
    assert verslag["url"] == "https://example.org/archief/verslagen/kst-19637-H/"
    hrefs = re.findall(r'href="([^"#][^"]*)"', verslag["brieven"][2]["tekst"]["html"])
    assert hrefs and all(h.startswith(("https://example.org/archief/", "https://", "mailto:")) for h in hrefs)
    assert 'href="https://example.org/archief/bronnen/ongehoord-onrecht/"' in verslag["brieven"][2]["tekst"]["html"]
    rows = list(csv.DictReader(io.StringIO(html["/data/vermeldingen.csv"], newline="")))
    assert all(r["url"].startswith("https://example.org/archief/verslagen/") for r in rows)


def test_the_tables_of_every_verslag_remember_their_rows_until_it_changes():
    """What Site.remembered keeps: a verslag's rows, until the verslag or its texts are other
    objects; never saved with the build."""
    import pickle

    from kamerarchief.opendata import render_data

    config = load_config(FIXTURE / "config.yaml")
    site = check(config).site
    site.memo.clear()  # filled by the build, which rendered every table in this process
    first = render_data(site, config, "csv", "vermeldingen")
    kept = dict(site.memo)
    assert len(kept) == len(site.archive.verslagen)
    assert render_data(site, config, "csv", "vermeldingen") == first and site.memo == kept
    verslag = site.archive.verslagen["kst-19637-H"]
    letter = verslag.letters[0]
    old_text = site.texts[letter.url]
    site.texts[letter.url] = dataclasses.replace(old_text, references=old_text.references[1:])
    assert render_data(site, config, "csv", "vermeldingen").count("\r\n") == first.count("\r\n") - 1
    assert pickle.loads(pickle.dumps(site)).memo == {}
