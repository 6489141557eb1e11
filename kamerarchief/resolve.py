"""Link the archive together: check every reference, render the prose, and compute backlinks.

This is the last step that can find content errors. What it returns is complete and consistent:
rendering it cannot fail on content.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .cache import BuildCache
from .errors import ErrorList, did_you_mean
from .markup import Reference, RenderedText, make_parser, render_markdown
from .model import Archive, Letter, Loc, Person, Seat, Verslag


@dataclass(frozen=True)
class Passage:
    """A place in a verslag or letter that mentions a person, party, bron or letter."""

    document: Verslag | Letter
    verslag: Verslag
    anchor: str
    excerpt: str
    link_text: str
    footnote: str | None

    @property
    def url(self) -> str:
        return f"{self.document.url}#{self.anchor}"


@dataclass(frozen=True)
class SeatHeld:
    verslag: Verslag
    seat: Seat


@dataclass
class Site:
    """The archive with its prose rendered and every relation computed in both directions."""

    archive: Archive
    texts: dict[str, RenderedText] = field(default_factory=dict)
    passages: dict[tuple[str, str], list[Passage]] = field(default_factory=lambda: defaultdict(list))
    seats_of_person: dict[str, list[SeatHeld]] = field(default_factory=lambda: defaultdict(list))
    seats_of_party: dict[str, list[SeatHeld]] = field(default_factory=lambda: defaultdict(list))
    letters_signed: dict[str, list[Letter]] = field(default_factory=lambda: defaultdict(list))
    clerk_of: dict[str, list[Verslag]] = field(default_factory=lambda: defaultdict(list))
    verslagen_of_committee: dict[str, list[Verslag]] = field(default_factory=lambda: defaultdict(list))
    verslagen_of_dossier: dict[str, list[Verslag]] = field(default_factory=lambda: defaultdict(list))

    def text_of(self, document: Verslag | Letter) -> RenderedText:
        """The rendered prose of a verslag's introduction or of a letter."""
        return self.texts[document.url]

    def mentions(self, kind: str, ident: str) -> list[Passage]:
        """Every passage that links to this record, in archive order."""
        return self.passages.get((kind, ident), [])

    @property
    def verslagen_newest_first(self) -> list[Verslag]:
        return sorted(self.archive.verslagen.values(), key=lambda v: (v.adopted, v.id), reverse=True)

    def parties_of(self, document: Verslag | Letter) -> list[str]:
        """Party ids a document mentions; for a verslag also those with a seat on its committee."""
        ids = {p.target for p in self._passages_in(document) if p.kind == "partij"}
        if isinstance(document, Verslag):
            ids |= {seat.party for seat in document.seats}
            for letter in document.letters:
                ids |= set(self.parties_of(letter))
        return sorted(ids)

    def _passages_in(self, document: Verslag | Letter):
        return self.text_of(document).references


def resolve(archive: Archive, errors: ErrorList, cache: BuildCache | None = None) -> Site:
    """Check every cross-reference and render all prose; problems go to `errors`.

    With a cache, prose that has not changed is not rendered again.
    """
    cache = cache if cache is not None else BuildCache()
    site = Site(archive)
    _check_registries(archive, errors)
    check = ReferenceChecker(archive, errors)
    md = make_parser()
    for verslag in sorted(archive.verslagen.values(), key=lambda v: v.id):
        _check_verslag(check, verslag)
        for document in (verslag, *verslag.letters):
            source = document.introduction if isinstance(document, Verslag) else document.body
            text = cache.get_or_make(("text", source.path, source.first_line, verslag.id), source.text, errors,
                                     lambda own, source=source: render_markdown(md, source, verslag.id, own))
            site.texts[document.url] = text
            for reference in text.references:
                check.reference(source.path, reference)
        _check_footnote_numbering(site, verslag, errors)
        _record_relations(site, verslag)
    return site


def _check_registries(archive: Archive, errors: ErrorList) -> None:
    """Aliases must name one party only, or a mention could not be attributed."""
    owner: dict[str, str] = {}
    for party in archive.parties.values():
        for name in (party.abbreviation, party.name, *party.aliases):
            key = name.casefold()
            if key in owner and owner[key] != party.id:
                errors.add(party.loc.path, party.loc.line,
                           f"party '{party.id}' is also called '{name}', as is party '{owner[key]}'")
            owner.setdefault(key, party.id)


class ReferenceChecker:
    """Reports ids that no registry holds; ids into an unreadable registry are left alone."""

    def __init__(self, archive: Archive, errors: ErrorList):
        self.archive = archive
        self.errors = errors
        self.registries = {"persoon": archive.persons, "partij": archive.parties,
                           "commissie": archive.committees, "dossier": archive.dossiers,
                           "bron": archive.sources, "verslag": archive.verslagen,
                           "brief": {l.url.strip("/").removeprefix("verslagen/"): l
                                     for v in archive.verslagen.values() for l in v.letters}}
        self.names = {"persoon": "person", "partij": "party", "commissie": "committee", "dossier": "dossier"}

    def reference(self, path: str, reference: Reference) -> None:
        """A link in the prose must name a known record; a party link must use one of its names."""
        registry = self.registries.get(reference.kind)
        if registry is None or reference.kind in self.archive.unreadable:
            return
        if reference.target not in registry:
            written = reference.href.partition(":")[2]
            candidates = registry
            if reference.kind == "brief" and "/" not in written:
                # A slug alone names a letter of the same verslag: suggest among those.
                prefix = reference.target.rsplit("/", 1)[0] + "/"
                candidates = [key.removeprefix(prefix) for key in registry if key.startswith(prefix)]
            self.errors.add(path, reference.line, f"unknown {reference.kind} '{written}' in link "
                                                  f"'{reference.href}'{did_you_mean(written, candidates)}")
        elif reference.kind == "partij":
            party = registry[reference.target]
            names = (party.abbreviation, party.name, *party.aliases)
            if reference.link_text.casefold() not in {name.casefold() for name in names}:
                self.errors.add(path, reference.line, f"'{reference.link_text}' is not a name of party "
                                                      f"'{party.id}' ({', '.join(names)}); add it to its aliassen")

    def known(self, loc: Loc, kind: str, ident: str | None, role: str = "") -> bool:
        registry = self.registries[kind]
        if ident is None or ident in registry:
            return ident is not None
        if kind not in self.archive.unreadable:
            label = f"{self.names[kind]} ({role})" if role else self.names[kind]
            self.errors.add(loc.path, loc.line, f"unknown {label} '{ident}'{did_you_mean(ident, registry)}")
        return False


def _check_verslag(check: "ReferenceChecker", verslag: Verslag) -> None:
    archive, errors = check.archive, check.errors
    check.known(verslag.loc_of("dossier"), "dossier", verslag.dossier)
    check.known(verslag.loc_of("griffier"), "persoon", verslag.clerk, "griffier")
    for signature in verslag.signatures:
        check.known(signature.loc, "persoon", signature.person, "ondertekening")
    if check.known(verslag.loc_of("commissie"), "commissie", verslag.committee):
        committee = archive.committees[verslag.committee]
        if committee.chamber != verslag.chamber:
            loc = verslag.loc_of("commissie")
            errors.add(loc.path, loc.line, f"committee '{committee.id}' belongs to the {committee.chamber} "
                                           f"kamer, this verslag to the {verslag.chamber}")
    seen: dict[str, int] = {}
    roles: dict[str, int] = {}
    for seat in verslag.seats:
        check.known(seat.loc, "partij", seat.party)
        if check.known(seat.loc, "persoon", seat.person):
            if seat.person in seen:
                errors.add(seat.loc.path, seat.loc.line,
                           f"person '{seat.person}' already has a seat (line {seen[seat.person]})")
            seen.setdefault(seat.person, seat.loc.line)
        if seat.role:
            if seat.role in roles:
                errors.add(seat.loc.path, seat.loc.line, f"a second {seat.role} (first at line {roles[seat.role]})")
            roles.setdefault(seat.role, seat.loc.line)
    for letter in verslag.letters:
        check.known(letter.sender.person_loc, "persoon", letter.sender.person, "afzender")
        check.known(letter.sender.committee_loc, "commissie", letter.sender.committee, "afzender")
        if letter.signature:
            check.known(letter.signature.loc, "persoon", letter.signature.person, "ondertekening")


def _check_footnote_numbering(site: Site, verslag: Verslag, errors: ErrorList) -> None:
    """Footnotes run on through the whole verslag: 1, 2, 3 in the introduction, 4 in the first letter."""
    expected = 1
    for document in (verslag, *verslag.letters):
        text = site.text_of(document)
        source = document.introduction if isinstance(document, Verslag) else document.body
        for label in text.footnote_labels:
            if not label.isdigit():
                continue  # already reported by markup
            if int(label) != expected:
                line = text.first_footnote_lines.get(label, source.first_line)
                errors.add(source.path, line, f"footnote {label} should be numbered {expected}: footnotes are "
                                              f"numbered on through the whole verslag, in order of reference")
            expected = int(label) + 1


def _record_relations(site: Site, verslag: Verslag) -> None:
    site.verslagen_of_committee[verslag.committee].append(verslag)
    site.verslagen_of_dossier[verslag.dossier].append(verslag)
    if verslag.clerk:
        site.clerk_of[verslag.clerk].append(verslag)
    for seat in verslag.seats:
        held = SeatHeld(verslag, seat)
        site.seats_of_party[seat.party].append(held)
        if seat.person:
            site.seats_of_person[seat.person].append(held)
    for document in (verslag, *verslag.letters):
        for ref in site.text_of(document).references:
            site.passages[(ref.kind, ref.target)].append(
                Passage(document, verslag, ref.anchor, ref.excerpt, ref.link_text, ref.footnote))
    for letter in verslag.letters:
        if letter.signature and letter.signature.person:
            site.letters_signed[letter.signature.person].append(letter)


def party_of_person(site: Site, person: Person) -> str | None:
    """The party of a person's most recent seat, if any."""
    seats = sorted(site.seats_of_person.get(person.id, []), key=lambda s: s.verslag.adopted)
    return seats[-1].seat.party if seats else None
