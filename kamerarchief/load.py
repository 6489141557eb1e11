"""Read the content folder into an Archive: every YAML and Markdown file, checked field by field.

Cross-references between records (does this party exist?) are checked later, in resolve.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from . import dutch
from .cache import MISSING, BuildCache, bytes_hash, content_hash, folder_signature
from .errors import ErrorList
from .fields import Record, safe_slug_problem
from .model import (Archive, Committee, Dossier, Letter, Loc, MarkdownText, Party, Person, Provenance,
                    Seat, Sender, Signature, Source, Verslag)
from .sourceyaml import Mapping, Sequence, decode_source, parse_yaml

CHAMBER_NAMES = tuple(dutch.CHAMBERS)
SOURCE_KINDS = ("rapport", "bundel", "artikel", "motie", "brief", "kabinetsreactie", "wet", "overig")
# Every kind of verslag, and a letter that is a kamerstuk of its own ("BRIEF VAN DE MINISTER ...").
DOC_TYPES = ("verslag van een schriftelijk overleg", "verslag van een mondeling overleg",
             "verslag van een algemeen overleg", "verslag van de commissie voor de verzoekschriften",
             "nader voorlopig verslag", "voorlopig verslag", "eindverslag", "lijst van vragen en antwoorden",
             "lijst van vragen", "verslag", "brief")
SEAT_ROLES = ("voorzitter", "ondervoorzitter")
MAX_FILE_BYTES = 5_000_000
TOO_LARGE = "too large"  # no content hash is this: a unit made so is parsed again next time


class ContentReader:
    """Reads files under the content folder, naming them relative to the project in errors."""

    def __init__(self, content_dir: Path, project_root: Path, errors: ErrorList):
        self.content_dir = content_dir.resolve()
        self.project_root = project_root.resolve()
        self.errors = errors
        # {path as given: content hash of the bytes read, MISSING or TOO_LARGE}: what a cached
        # unit was made from (signature_as_parsed).
        self.read_hashes: dict[str, bytes | str] = {}

    def with_errors(self, errors: ErrorList) -> "ContentReader":
        """The same reader, recording its errors and what it reads elsewhere (one per cached unit)."""
        return ContentReader(self.content_dir, self.project_root, errors)

    def display(self, path: Path) -> str:
        """The path as an editor types it: relative to the project when inside it."""
        absolute = path if path.is_absolute() else self.content_dir / path
        try:
            return absolute.relative_to(self.project_root).as_posix()
        except ValueError:
            return os.path.relpath(absolute, Path.cwd()).replace(os.sep, "/")

    def read(self, path: Path) -> str | None:
        """The text of a content file, or None (with an error) when it is missing or unusable."""
        shown = self.display(path)
        real = path.resolve()
        if not real.is_relative_to(self.content_dir):
            self.errors.add(shown, 1, "points outside the content folder (a link?); refusing to read it")
            return None
        try:
            if real.stat().st_size > MAX_FILE_BYTES:
                self.read_hashes[str(path)] = TOO_LARGE
                self.errors.add(shown, 1, f"file is larger than {MAX_FILE_BYTES:,} bytes")
                return None
            data = real.read_bytes()
        except FileNotFoundError:
            self.read_hashes[str(path)] = MISSING
            self.errors.add(shown, 1, "file not found")
            return None
        except OSError as exc:
            self.read_hashes[str(path)] = MISSING
            self.errors.add(shown, 1, f"cannot read file: {exc.strerror}")
            return None
        self.read_hashes[str(path)] = bytes_hash(data)
        return decode_source(data, shown, self.errors)

    def read_yaml(self, path: Path):
        text = self.read(path)
        if text is None:
            return None
        return parse_yaml(text, self.display(path), self.errors)


def load_archive(content_dir: Path, project_root: Path, errors: ErrorList,
                 cache: BuildCache | None = None) -> Archive:
    """Load every registry and verslag under `content_dir`; problems go to `errors`.

    With a cache, a registry file or verslag folder that has not changed since the last load is
    reused as it was parsed then, with its errors.
    """
    cache = cache if cache is not None else BuildCache()
    reader = ContentReader(content_dir, project_root, errors)
    if not content_dir.is_dir():
        errors.add(reader.display(content_dir), 1, "content folder not found")
        return Archive()
    registries = {}
    for kind, filename, what, make in _registries():
        path = reader.content_dir / filename
        registries[kind] = _cached(cache, reader, path, content_hash(path),
                                   lambda unit, filename=filename, what=what, make=make: _registry(unit, filename, what, make))
    return Archive(
        parties=registries["partij"] or {},
        persons=registries["persoon"] or {},
        committees=registries["commissie"] or {},
        dossiers=registries["dossier"] or {},
        sources=registries["bron"] or {},
        verslagen=_verslagen(reader, cache),
        # References into a registry that could not be read are not checked: every one of them
        # would be reported as unknown and bury the one error that matters.
        unreadable=frozenset(kind for kind, registry in registries.items() if registry is None),
    )


REGISTRY_FILES = ("partijen.yaml", "personen.yaml", "commissies.yaml", "dossiers.yaml", "bronnen.yaml")


def _registries():
    """(kind, file, what one record is called in errors, the function that makes a record)."""
    return (("partij", "partijen.yaml", "party", _party),
            ("persoon", "personen.yaml", "person", _person),
            ("commissie", "commissies.yaml", "committee", _committee),
            ("dossier", "dossiers.yaml", "dossier", _dossier),
            ("bron", "bronnen.yaml", "bron", _source))


def _registry(reader: ContentReader, filename: str, what: str, make) -> dict | None:
    """A registry file: a mapping from id to record; None when the file cannot be read at all."""
    path = reader.content_dir / filename
    reported = len(reader.errors)
    data = reader.read_yaml(path)
    shown = reader.display(path)
    if data is None:
        if len(reader.errors) == reported:  # a document of nothing ('---', '~'): said, not taken as unreadable
            reader.errors.add(shown, 1, f"{filename} is empty: it must map each {what} id to its fields")
        return None
    if not isinstance(data, Mapping):
        reader.errors.add(shown, 1, f"{filename} must map each {what} id to its fields")
        return None
    records = {}
    seen_folded: dict[str, str] = {}
    for key, value in data.items():
        line = data.line_of(key)
        problem = safe_slug_problem(key)
        if problem:
            reader.errors.add(shown, line, problem)
            continue
        # Ids that differ only in case would share a URL on case-insensitive file systems.
        if key.casefold() in seen_folded:
            reader.errors.add(shown, line, f"{what} id '{key}' differs only in case from "
                                           f"'{seen_folded[key.casefold()]}': both would get the same URL")
            continue
        seen_folded[key.casefold()] = key
        record = Record(value, shown, reader.errors, f"{what} '{key}'", make.fields, line)
        if record.ok:
            item = make(key, record)
            if item is not None:
                records[key] = item
    return records


def _party(key: str, r: Record) -> Party | None:
    abbreviation, name = r.text("afkorting"), r.text("naam")
    if abbreviation is None or name is None:
        return None
    return Party(key, abbreviation, name, r.texts("aliassen"), r.text("toelichting"), r.loc)


_party.fields = {"afkorting": True, "naam": True, "aliassen": False, "toelichting": False}


def _person(key: str, r: Record) -> Person | None:
    name = r.text("naam")
    return Person(key, name, r.text("voorletters"), r.loc) if name else None


_person.fields = {"naam": True, "voorletters": False}


def _committee(key: str, r: Record) -> Committee | None:
    name, chamber = r.text("naam"), r.choice("kamer", CHAMBER_NAMES)
    if name is None or chamber is None:
        return None
    return Committee(key, name, r.text("afkorting"), chamber, r.loc)


_committee.fields = {"naam": True, "afkorting": False, "kamer": True}


def _dossier(key: str, r: Record) -> Dossier | None:
    title = r.text("titel")
    return Dossier(key, title, r.loc) if title else None


_dossier.fields = {"titel": True}


def _source(key: str, r: Record) -> Source | None:
    kind, title = r.choice("soort", SOURCE_KINDS), r.text("titel")
    url = r.text("url")
    if url is not None and not url.startswith("https://"):
        r.error("url", "field 'url' must start with https://")
        url = None
    if kind is None or title is None:
        return None
    return Source(key, kind, title, r.text("auteur"), r.date("datum"), r.text("vindplaats"),
                  r.text("kenmerk"), r.text("toelichting"), url, r.loc)


_source.fields = {"soort": True, "titel": True, "auteur": False, "datum": False, "vindplaats": False,
                  "kenmerk": False, "toelichting": False, "url": False}

# griffier and ondertekening are optional: not every printed verslag names or signs them. Nor
# does every stuk have a committee, a composition or letters (a voorlopig verslag has none; a
# letter that is a stuk of its own has no committee), and an imported one records its herkomst.
VERSLAG_FIELDS = {"kamer": True, "vergaderjaar": True, "dossier": True, "ondernummer": True,
                  "type": True, "vastgesteld": False, "commissie": False, "griffier": False,
                  "ondertekening": False, "samenstelling": False, "brieven": False, "herkomst": False,
                  "kop": False}
SEAT_FIELDS = {"persoon": False, "partij": False, "rol": False, "vacature": False, "plaatsvervangend": False}
PROVENANCE_FIELDS = {"bron": True, "url": False, "ocr": False, "onvolledig": False}
SIGNATURE_FIELDS = {"functie": True, "naam": True, "persoon": False}
# kop and ondertekening are optional: older verslagen print some letters without either.
LETTER_FIELDS = {"kop": False, "afzender": True, "aan": True, "plaats": True, "datum": True,
                 "kenmerk": False, "ondertekening": False}
SENDER_FIELDS = {"persoon": False, "functie": False, "commissie": False}


def load_verslag_folder(content_dir: Path, project_root: Path, name: str, errors: ErrorList,
                        cache: BuildCache) -> Verslag | None:
    """Load one verslag folder by name (for a rebuild after an edit inside it)."""
    reader = ContentReader(content_dir, project_root, errors)
    folder = reader.content_dir / "verslagen" / name
    if not folder.is_dir() or name.startswith("."):
        return None
    problem = safe_slug_problem(name)
    if problem:
        errors.add(reader.display(folder), 1, f"verslag folder name: {problem}")
        return None
    return _cached(cache, reader, folder, folder_signature(folder), lambda unit: _verslag(unit, folder))


def _verslagen(reader: ContentReader, cache: BuildCache) -> dict[str, Verslag]:
    root = reader.content_dir / "verslagen"
    if not root.is_dir():
        reader.errors.add(reader.display(root), 1, "folder 'verslagen' not found in the content folder")
        return {}
    verslagen = {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        problem = safe_slug_problem(folder.name)
        if problem:
            reader.errors.add(reader.display(folder), 1, f"verslag folder name: {problem}")
            continue
        verslag = _cached(cache, reader, folder, folder_signature(folder),
                          lambda unit, folder=folder: _verslag(unit, folder))
        if verslag is not None:
            verslagen[verslag.id] = verslag
    return verslagen


def _cached(cache: BuildCache, reader: ContentReader, path: Path, signature: tuple | bytes | str, parse):
    """parse(reader) of a registry file or verslag folder, reused while its content hashes are
    `signature` (content_hash of a file, folder_signature of a folder). The result is kept under
    signature_as_parsed: a file saved, created or removed between the hashing and the parse is
    never cached under the older content's hashes (which an undo would bring back)."""
    read: dict[str, bytes | str] = {}

    def make(own: ErrorList):
        unit = reader.with_errors(own)
        result = parse(unit)
        read.update(unit.read_hashes)
        return result

    return cache.get_or_make(("file", str(path)), signature, reader.errors, make,
                             lambda: signature_as_parsed(signature, str(path), read))


def signature_as_parsed(signature: tuple | bytes | str, path: str, read: dict[str, bytes | str]) -> tuple | bytes | str:
    """The signature of a file or folder as a parse found it: `signature` (content_hash of the
    file at `path`, or folder_signature of the folder, taken before the parse) with each file the
    parse read (`read`: ContentReader.read_hashes) as it read it, including files created or
    removed in between. It equals what content_hash or folder_signature gives for exactly those
    files, and a file too large to read never matches."""
    if not isinstance(signature, tuple):
        return read.get(path, signature)
    files = {entry[0]: entry for entry in signature}
    for name, digest in read.items():
        if digest == MISSING:
            files.pop(name, None)  # folder_signature does not list a file that is not there
        else:
            files[name] = (name, digest)
    return tuple(sorted(files.values()))


def _verslag(reader: ContentReader, folder: Path) -> Verslag | None:
    path = folder / "verslag.yaml"
    shown = reader.display(path)
    data = reader.read_yaml(path)
    # A stuk that is one letter (or letters only) has no introduction of its own.
    has_introduction = (folder / "inleiding.md").exists() or not (folder / "brieven").is_dir()
    introduction_text = reader.read(folder / "inleiding.md") if has_introduction else ""
    if data is None:
        return None
    r = Record(data, shown, reader.errors, "verslag", VERSLAG_FIELDS)
    if not r.ok:
        return None
    chamber = r.choice("kamer", CHAMBER_NAMES)
    session = _session(r)
    dossiers = _dossiers(r)
    dossier = dossiers[0] if dossiers else None
    number = r.text("ondernummer")
    adopted = r.date("vastgesteld")
    if number is not None and safe_slug_problem(number):
        r.error("ondernummer", f"ondernummer '{number}' must be letters and digits, as printed ('H', '85', '229a')")
        number = None
    if dossier and number and folder.name != dutch.publication_id(dossier, number, chamber):
        r.error("ondernummer", f"folder '{folder.name}' does not match dossier and ondernummer: "
                               f"the publication id is '{dutch.publication_id(dossier, number, chamber)}'")
    for other in dossiers or ():
        numbered = dutch.session_dossier(other)
        if numbered and session and numbered[0] != session:
            r.error("dossier", f"dossier '{other}' is numbered in zitting {numbered[0]}, not in this "
                               f"stuk's vergaderjaar {session}")
    if adopted and session:
        first, last = dutch.session_bounds(session)
        # A stuk vastgesteld in the summer recess is printed in the vergaderjaar that follows it.
        first = min(first, datetime.date(first.year, 7, 1))
        if not first <= adopted <= last:
            r.error("vastgesteld", f"vastgesteld {adopted.isoformat()} is outside "
                                   f"{dutch.session_label(session).lower()} {session} "
                                   f"({first.isoformat()} to {last.isoformat()})")
    signatures = _signatures(r)
    seats = tuple(_seat(s) for s in r.records("samenstelling", "seat", SEAT_FIELDS))
    if "samenstelling" in data and not seats:
        r.error("samenstelling", "samenstelling lists no seats")
    letters = []
    slugs = r.slugs("brieven")
    if "brieven" in data and not slugs:
        r.error("brieven", "brieven lists no letters")
    seen = {}
    for number_in_order, (slug, line) in enumerate(slugs, start=1):
        if slug.casefold() in seen:
            reader.errors.add(shown, line, f"letter '{slug}' is listed twice (first at line {seen[slug.casefold()]})")
            continue
        seen[slug.casefold()] = line
        letter = _letter(reader, folder, slug, number_in_order, shown, line, adopted)
        if letter is not None:
            letters.append(letter)
    _report_unlisted_letters(reader, folder, {s for s, _ in slugs})
    doc_type, committee, clerk = r.choice("type", DOC_TYPES), r.slug("commissie"), r.slug("griffier")
    provenance = _provenance(r)
    required = (chamber, session, dossier, number, doc_type, signatures, introduction_text)
    if any(value is None for value in required) or None in seats or len(letters) != len(slugs):
        return None
    if any(r.has(key) and value is None for key, value in
           (("griffier", clerk), ("commissie", committee), ("vastgesteld", adopted))):
        return None
    if r.has("herkomst") and provenance is None:
        return None
    return Verslag(
        id=folder.name, chamber=chamber, session=session, dossier=dossier, number=number,
        doc_type=doc_type, adopted=adopted, committee=committee, clerk=clerk,
        signatures=signatures, seats=seats, letters=tuple(letters),
        introduction=MarkdownText(introduction_text, reader.display(folder / "inleiding.md"), 1),
        loc=r.loc, field_lines=dict(r.mapping.key_lines), other_dossiers=tuple(dossiers[1:]),
        provenance=provenance, heading=r.text("kop"),
    )


def _dossiers(r: Record) -> tuple[str, ...] | None:
    """One dossier id, or a list of them for a stuk printed under several (the first names it)."""
    if isinstance(r.mapping.get("dossier"), Sequence):
        found = tuple(ident for ident, _ in r.slugs("dossier"))
        if not found:
            r.error("dossier", "dossier lists no dossiers")
            return None
        if len(set(found)) != len(found):
            r.error("dossier", "a dossier is listed twice")
        return tuple(dict.fromkeys(found))
    single = r.slug("dossier")
    return (single,) if single else None


def _provenance(r: Record) -> Provenance | None:
    """Where an imported stuk's text came from: a file or an https address, OCR or not, whole or part."""
    record = r.record("herkomst", "herkomst", PROVENANCE_FIELDS)
    if record is None or not record.ok:
        return None
    source, url = record.text("bron"), record.text("url")
    ocr, partial = record.flag("ocr"), record.flag("onvolledig")
    if url is not None and not url.startswith("https://"):
        record.error("url", "field 'url' must start with https://")
        return None
    if source is None or (record.has("ocr") and not isinstance(record.mapping["ocr"], bool)) \
            or (record.has("onvolledig") and not isinstance(record.mapping["onvolledig"], bool)):
        return None
    return Provenance(source, url, ocr, partial)


def _session(r: Record) -> str | None:
    session = r.text("vergaderjaar")
    if session is None:
        return None
    if dutch.is_one_year(session):  # the short zitting after an election: 'Zitting 1981'
        return session
    match = dutch.VERGADERJAAR.match(session)
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        r.error("vergaderjaar", f"vergaderjaar '{session}' must be two consecutive years, as 2020-2021, "
                                f"or the one year of a short zitting, as 1981")
        return None
    return session


def _seat(r: Record) -> Seat | None:
    if not r.ok:
        return None
    vacancy = r.flag("vacature")
    person = r.slug("persoon")
    party = r.slug("partij")
    role = r.choice("rol", SEAT_ROLES)
    substitute = r.flag("plaatsvervangend")
    if vacancy and r.has("persoon"):
        r.error("persoon", "a vacant seat has no persoon")
        return None
    if not vacancy and not r.has("persoon"):
        r.errors.add(r.path, r.line, "seat needs a persoon, or 'vacature: true' for a vacant seat")
        return None
    if (r.has("partij") and party is None) or (not vacancy and person is None):
        return None
    if vacancy and role:
        r.error("rol", "a vacant seat has no rol")
        return None
    return Seat(person, party, role, r.loc, substitute)


def _signature(r: Record | None) -> Signature | None:
    if r is None or not r.ok:
        return None
    function, name, person = r.text("functie"), r.text("naam"), r.slug("persoon")
    if function is None or name is None or (r.has("persoon") and person is None):
        return None
    return Signature(function, name, person, r.loc)


def _signatures(r: Record) -> tuple[Signature, ...] | None:
    """The signatures under an introduction: one mapping, or a list of them in printed order."""
    value = r.mapping.get("ondertekening")
    if value is None:
        return ()
    if isinstance(value, Mapping):
        records = [r.record("ondertekening", "ondertekening", SIGNATURE_FIELDS)]
    else:
        records = r.records("ondertekening", "ondertekening", SIGNATURE_FIELDS)
        if not records:
            return None
    signatures = tuple(_signature(record) for record in records)
    return None if None in signatures else signatures


def _letter(reader: ContentReader, folder: Path, slug: str, number: int, listed_in: str,
            listed_line: int, adopted) -> Letter | None:
    path = folder / "brieven" / f"{slug}.md"
    shown = reader.display(path)
    if not path.is_file():
        reader.errors.add(listed_in, listed_line, f"letter '{slug}' is listed but {shown} does not exist")
        return None
    text = reader.read(path)
    if text is None:
        return None
    front, body, body_line = split_front_matter(text)
    if front is None:
        reader.errors.add(shown, 1, "a letter starts with its header fields between two '---' lines")
        return None
    data = parse_yaml(front, shown, reader.errors, line_offset=1)
    if data is None:
        return None
    r = Record(data, shown, reader.errors, "letter header", LETTER_FIELDS)
    if not r.ok:
        return None
    sender_record = r.record("afzender", "afzender", SENDER_FIELDS)
    sender = None
    if sender_record is not None and sender_record.ok:
        sender = Sender(sender_record.slug("persoon"), sender_record.text("functie"),
                        sender_record.slug("commissie"),
                        Loc(shown, sender_record.line_of("persoon")), Loc(shown, sender_record.line_of("commissie")))
        if not any((sender.person, sender.function, sender.committee)):
            reader.errors.add(shown, sender_record.line, "afzender needs a persoon, functie or commissie")
            sender = None
    date = r.date("datum")
    if date and adopted and date > adopted:
        r.error("datum", f"letter dated {date.isoformat()} is after the verslag was vastgesteld "
                         f"({adopted.isoformat()})")
    signature_record = r.record("ondertekening", "ondertekening", SIGNATURE_FIELDS)
    signature = _signature(signature_record)
    heading, addressee, place = r.text("kop"), r.text("aan"), r.text("plaats")
    if None in (sender, date, addressee, place) or (signature_record is not None and signature is None):
        return None
    if not body.strip():
        reader.errors.add(shown, body_line, "the letter has no text after its header")
        return None
    return Letter(slug=slug, verslag_id=folder.name, number=number, heading=heading, sender=sender,
                  addressee=addressee, place=place, date=date, kenmerk=r.text("kenmerk"),
                  signature=signature, body=MarkdownText(body, shown, body_line), loc=r.loc)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split '---' front matter from the body: (front matter, body, body's first line number)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    return None, text, 1


def _report_unlisted_letters(reader: ContentReader, folder: Path, listed: set[str]) -> None:
    letters_dir = folder / "brieven"
    if not letters_dir.is_dir():
        return
    for path in sorted(letters_dir.glob("*.md")):
        if path.stem not in listed:
            reader.errors.add(reader.display(path), 1,
                              f"letter file is not listed under 'brieven' in {reader.display(folder / 'verslag.yaml')}")
