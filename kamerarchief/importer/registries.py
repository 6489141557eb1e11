"""The registries (partijen, personen, commissies, dossiers) as an import sees and grows them.

Existing entries are read and never changed: new ones are appended to the files as text, so hand
edits and comments stay. A new id never lands on another entity: a person is the same person only
with the same name, compatible initials, no other party and a date within a generation of the
dates the archive knows for them; otherwise the id gets a number ('van-dijk-2').
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..dutch import fold, slugify
from .parties import KnownParty, party_by_spelling

SAME_PERSON_YEARS = 25
TUSSENVOEGSEL_START = re.compile(r"^(van|de|der|den|ter|ten|het|in|op|'t)\b")


@dataclass
class KnownPerson:
    id: str
    name: str
    initials: str | None
    parties: set = field(default_factory=set)
    years: set = field(default_factory=set)


def same_name(one: str, other: str) -> bool:
    """Whether two printed names are one name: alike but for case and accents, and for a double
    name's hyphen, which the OCR reads as a space ('Witteveen Hevinga' is 'Witteveen-Hevinga':
    one seat in a composition, one party in brackets, is one person)."""
    def key(name: str) -> str:
        return fold(re.sub(r"\s*-\s*|\s+", " ", name.strip()))
    return key(one) == key(other)


def split_name(printed: str) -> tuple[str, str | None]:
    """('De Jong', 'M.D.T.M.') from 'M. D. T. M. de Jong'; the name capitalised as a list prints it."""
    match = re.match(r"^((?:[A-Z][a-z]?\.\s?)+)\s*(.+)$", printed.strip())
    initials, name = (match.group(1).replace(" ", ""), match.group(2)) if match else (None, printed.strip())
    name = name[:1].upper() + name[1:]
    return name, initials


class Registries:
    """What the content folder's registries hold, and what an import adds (in order, per file)."""

    def __init__(self, content: Path):
        self.content = content
        self.data = {kind: _read(content / f"{kind}.yaml") for kind in ("partijen", "personen", "commissies", "dossiers")}
        self.added: dict[str, dict[str, dict]] = {kind: {} for kind in self.data}
        self.persons: list[KnownPerson] = [
            KnownPerson(ident, str(v.get("naam", "")), v.get("voorletters"))
            for ident, v in self.data["personen"].items() if isinstance(v, dict)]

    def note_use(self, person_id: str, party_id: str | None, year: int) -> None:
        """Record that a person held a seat or signed in `year` (for telling namesakes apart)."""
        for person in self.persons:
            if person.id == person_id:
                person.years.add(year)
                if party_id:
                    person.parties.add(party_id)

    def taken(self, kind: str, ident: str) -> bool:
        """Whether an id is in use in a registry (ignoring case: ids that differ only in case share a URL)."""
        folded = ident.casefold()
        return any(k.casefold() == folded for k in (*self.data[kind], *self.added[kind]))

    def _new_id(self, kind: str, base: str) -> str:
        ident, counter = base, 2
        while self.taken(kind, ident):
            ident, counter = f"{base}-{counter}", counter + 1
        return ident

    def party_names(self, ident: str) -> set[str]:
        """The names a party's links may show (afkorting, naam, aliassen), as the registry has them."""
        value = self.data["partijen"].get(ident) or self.added["partijen"].get(ident) or {}
        names = [value.get("afkorting"), value.get("naam"), *(value.get("aliassen") or [])]
        return {n for n in names if isinstance(n, str)}

    def linkable(self, ident: str, printed: str) -> bool:
        """Whether a link may show `printed` for the party: a name it has, or a spelling this import
        adds to a party it added itself (an existing entry is never changed)."""
        if printed.casefold() in {n.casefold() for n in self.party_names(ident)}:
            return True
        entry = self.added["partijen"].get(ident)
        if entry is None:
            return False
        entry.setdefault("aliassen", []).append(printed)
        return True

    def party(self, printed: str) -> str | None:
        """The id of the party a printed spelling names, added to partijen.yaml when new."""
        wanted = fold(printed.strip())
        for ident, value in {**self.data["partijen"], **self.added["partijen"]}.items():
            if isinstance(value, dict):
                names = [value.get("afkorting"), value.get("naam"), *(value.get("aliassen") or [])]
                if any(isinstance(n, str) and fold(n) == wanted for n in names):
                    return ident
        known: KnownParty | None = party_by_spelling(printed)
        if known is None:
            return None
        if known.id in self.data["partijen"] or known.id in self.added["partijen"]:
            return known.id
        ident = known.id if not self.taken("partijen", known.id) else self._new_id("partijen", known.id)
        self.added["partijen"][ident] = {"afkorting": known.abbreviation, "naam": known.name}
        return ident

    def person(self, printed: str, party: str | None, year: int) -> str:
        """The id of a printed person, the same as an existing one only when it is surely the same."""
        name, initials = split_name(printed)
        for person in self.persons:
            if not same_name(person.name, name):
                continue
            if initials and person.initials and initials.replace(".", "") != person.initials.replace(".", ""):
                continue
            if party and person.parties and party not in person.parties:
                continue
            if person.years and min(abs(year - y) for y in person.years) > SAME_PERSON_YEARS:
                continue
            if "-" in name and "-" not in person.name and person.id in self.added["personen"]:
                # The double name printed with its hyphen is the better spelling of what the OCR
                # printed with a space ('Witteveen Hevinga'); an existing entry is never changed.
                person.name = name
                self.added["personen"][person.id]["naam"] = name
            if initials and not person.initials and person.id in self.added["personen"]:
                person.initials = initials
                self.added["personen"][person.id]["voorletters"] = initials
            self._use(person, party, year)
            return person.id
        ident = self._new_id("personen", slugify(name))
        entry = {"naam": name, **({"voorletters": initials} if initials else {})}
        self.added["personen"][ident] = entry
        person = KnownPerson(ident, name, initials)
        self._use(person, party, year)
        self.persons.append(person)
        return ident

    @staticmethod
    def _use(person: KnownPerson, party: str | None, year: int) -> None:
        person.years.add(year)
        if party:
            person.parties.add(party)

    def committee(self, name: str, chamber: str) -> tuple[str, bool]:
        """(id, whether it is new) of a committee named as printed after 'de', in a chamber."""
        wanted = fold(re.sub(r"\s*/\s*", "/", name))
        for ident, value in {**self.data["commissies"], **self.added["commissies"]}.items():
            if isinstance(value, dict) and value.get("kamer") == chamber and \
                    fold(re.sub(r"\s*/\s*", "/", str(value.get("naam", "")))) == wanted:
                return ident, False
        subject = re.sub(r"^(?:vaste |bijzondere |algemene )?commissies? (?:voor|van|uit) (?:de |het )?", "", name, flags=re.I)
        base = slugify(subject)[:60].strip("-") or "commissie"
        ident = self._new_id("commissies", base if not self.taken("commissies", base) else f"{base}-{chamber}-kamer")
        self.added["commissies"][ident] = {"naam": name, "kamer": chamber}
        return ident, True

    def dossier(self, number: str, title: str | None) -> str:
        """A dossier's id ('20200-XIII'), added with its printed title when new."""
        if number not in self.data["dossiers"] and number not in self.added["dossiers"]:
            self.added["dossiers"][number] = {"titel": title or f"Dossier {number}"}
        return number

    def appended_text(self, kind: str) -> str | None:
        """The YAML to append to `kind`.yaml for what this import added, or None."""
        entries = self.added[kind]
        if not entries:
            return None
        lines = []
        for ident, value in entries.items():
            key = f'"{ident}"' if ident[:1].isdigit() else ident
            fields = ", ".join(f"{k}: {_scalar(v)}" for k, v in value.items())
            lines.append(f"{key}: {{{fields}}}")
        return "\n".join(lines) + "\n"


def _scalar(value) -> str:
    """A YAML flow scalar: text double-quoted (JSON's quoting is YAML's), lists in brackets."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _read(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def year_of(date: datetime.date | None, session: str) -> int:
    """The year a document speaks for, for telling namesakes apart."""
    return date.year if date else int(session[:4])
