"""The entities of the archive, as loaded and validated: plain frozen records, no behaviour beyond naming."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from . import dutch


URL_PATTERNS = {
    "persoon": "/personen/{}/", "partij": "/partijen/{}/", "bron": "/bronnen/{}/",
    "commissie": "/commissies/{}/", "dossier": "/dossiers/{}/", "verslag": "/verslagen/{}/",
    "brief": "/verslagen/{}/",  # 'verslag-id/slug'
}


OFFICIAL_FROM_SESSION = "1995-1996"  # the first vergaderjaar officielebekendmakingen.nl has kamerstukken of


def is_page(url: str) -> bool:
    """Whether a site URL is an HTML page ('/verslagen/', '/404.html'), not another file the
    build writes (a feed, a data file, sitemap.xml, robots.txt)."""
    return url.endswith(("/", ".html"))


def url_for(kind: str, ident: str) -> str:
    """The permanent URL of a record: url_for('persoon', 'kox') == '/personen/kox/'."""
    return URL_PATTERNS[kind].format(ident)


@dataclass(frozen=True)
class Loc:
    """Where a record was written: project-relative path and 1-based line."""

    path: str
    line: int


@dataclass(frozen=True)
class Party:
    id: str
    abbreviation: str
    name: str
    aliases: tuple[str, ...]
    note: str | None
    loc: Loc

    @property
    def url(self) -> str:
        return url_for("partij", self.id)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    initials: str | None
    loc: Loc

    @property
    def url(self) -> str:
        return url_for("persoon", self.id)

    @property
    def full_name(self) -> str:
        """Name with initials where known: 'M.H.M. Faber-van de Klashorst'."""
        return f"{self.initials} {self.name}" if self.initials else self.name

    @property
    def sort_key(self) -> tuple[str, str]:
        return dutch.name_sort_key(self.name)


def person_filter_values(persons: dict[str, Person]) -> dict[str, str]:
    """{person id: the value of the search's person filter}: the name with initials, and the id
    beside names that two persons share ('De Vries (de-vries-2)'), so that the filter never
    counts two persons as one."""
    holders: dict[str, int] = {}
    for person in persons.values():
        holders[person.full_name] = holders.get(person.full_name, 0) + 1
    return {ident: person.full_name if holders[person.full_name] == 1 else f"{person.full_name} ({ident})"
            for ident, person in persons.items()}


@dataclass(frozen=True)
class Committee:
    id: str
    name: str
    abbreviation: str | None
    chamber: str
    loc: Loc

    @property
    def url(self) -> str:
        return url_for("commissie", self.id)


@dataclass(frozen=True)
class Dossier:
    number: str
    title: str
    loc: Loc

    @property
    def url(self) -> str:
        return url_for("dossier", self.number)

    @property
    def printed_number(self) -> str:
        """The number as the stukken print it: '19 637', '36 600 VII'."""
        return dutch.printed_dossier_number(self.number)


@dataclass(frozen=True)
class Source:
    """A 'bron': a document that the verslagen refer to but that is not itself in the archive."""

    id: str
    kind: str
    title: str
    author: str | None
    date: datetime.date | None
    location: str | None
    kenmerk: str | None
    note: str | None
    url_external: str | None
    loc: Loc

    @property
    def url(self) -> str:
        return url_for("bron", self.id)


@dataclass(frozen=True)
class Seat:
    """One seat of a committee as the composition footnote lists it; person is None for a vacancy,
    party None for a member printed without one ('(-)') or a vacancy whose party is not printed."""

    person: str | None
    party: str | None
    role: str | None
    loc: Loc
    substitute: bool = False   # a plaatsvervangend lid


@dataclass(frozen=True)
class Provenance:
    """Where an imported document's text came from ('herkomst'): a file or a record's address,
    whether it was read by OCR (and may hold reading errors), whether it is only part of the paper."""

    source: str
    url: str | None
    ocr: bool
    partial: bool


@dataclass(frozen=True)
class Signature:
    function: str
    name: str
    person: str | None
    loc: Loc


@dataclass(frozen=True)
class Sender:
    person: str | None
    function: str | None
    committee: str | None
    person_loc: Loc
    committee_loc: Loc


@dataclass(frozen=True)
class MarkdownText:
    """Markdown prose and where it starts, so errors point at the right line of the right file."""

    text: str
    path: str
    first_line: int


@dataclass(frozen=True)
class Letter:
    slug: str
    verslag_id: str
    number: int
    heading: str | None
    sender: Sender
    addressee: str
    place: str
    date: datetime.date
    kenmerk: str | None
    signature: Signature | None
    body: MarkdownText
    loc: Loc

    @property
    def url(self) -> str:
        return url_for("brief", f"{self.verslag_id}/{self.slug}")


@dataclass(frozen=True)
class Verslag:
    id: str
    chamber: str
    session: str
    dossier: str
    number: str
    doc_type: str
    adopted: datetime.date | None           # vastgesteld; None where the printed paper gives no date
    committee: str | None
    clerk: str | None
    signatures: tuple[Signature, ...]
    seats: tuple[Seat, ...]
    letters: tuple[Letter, ...]
    introduction: MarkdownText
    loc: Loc
    field_lines: dict = field(default_factory=dict, compare=False)
    other_dossiers: tuple[str, ...] = ()     # a stuk printed under several dossier numbers
    provenance: Provenance | None = None
    heading: str | None = None               # the kind's heading as printed, where it says more

    @property
    def sort_date(self) -> datetime.date:
        """The date to order by: vastgesteld, else the start of the vergaderjaar."""
        return self.adopted or dutch.session_bounds(self.session)[0]

    @property
    def date_label(self) -> str:
        """'9 juli 2021', or 'vergaderjaar 1981–1982' ('zitting 1981') where no date is printed."""
        return dutch.long_date(self.adopted) if self.adopted else f"{dutch.session_label(self.session).lower()} {dutch.printed_session(self.session)}"

    @property
    def dossiers(self) -> tuple[str, ...]:
        """Every dossier the stuk is printed under; the first names it."""
        return (self.dossier, *self.other_dossiers)

    @property
    def url(self) -> str:
        return url_for("verslag", self.id)

    def loc_of(self, key: str) -> Loc:
        """Where a field of verslag.yaml was written."""
        return Loc(self.loc.path, self.field_lines.get(key, self.loc.line))

    @property
    def citation(self) -> str:
        """The official citation: 'Kamerstukken I 2020/21, 19637, H'."""
        return dutch.citation(self.chamber, self.session, self.dossier, self.number)

    @property
    def printed_citation(self) -> str:
        """The citation as the stuk's footer prints it (dutch.printed_citation)."""
        return dutch.printed_citation(self.chamber, self.session, self.dossiers, self.number)

    @property
    def official_url(self) -> str | None:
        """The official copy on officielebekendmakingen.nl, which publishes kamerstukken from
        vergaderjaar 1995-1996 on; None for older papers (Staten-Generaal Digitaal holds those)."""
        if self.session < OFFICIAL_FROM_SESSION:
            return None
        return f"https://zoek.officielebekendmakingen.nl/{self.id}.html"


def document_key(document: Verslag | Letter) -> str:
    """The dependency key of a verslag (its metadata and introduction) or of one letter: what a
    page or file that shows it names in its depends_on (see render.plan_pages)."""
    if isinstance(document, Letter):
        return f"brief:{document.verslag_id}/{document.slug}"
    return f"verslag:{document.id}"


@dataclass(frozen=True)
class Archive:
    """Everything the content folder holds, validated field by field but not yet cross-referenced."""

    parties: dict[str, Party] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    committees: dict[str, Committee] = field(default_factory=dict)
    dossiers: dict[str, Dossier] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    verslagen: dict[str, Verslag] = field(default_factory=dict)
    unreadable: frozenset[str] = frozenset()
