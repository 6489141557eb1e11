"""Link the archive together: check every reference, render the prose, and compute backlinks.

This is the last step that can find content errors. What it returns is complete and consistent:
rendering it cannot fail on content.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from .cache import BuildCache
from .citations import CitationTargets
from .errors import ErrorList, did_you_mean
from .markup import Reference, RenderedText, make_parser, render_markdown
from .model import Archive, Letter, Loc, MarkdownText, Person, Seat, Verslag, person_filter_values
from .parallel import map_chunks


@dataclass(slots=True)
class Passage:
    """A place in a verslag or letter that mentions a person, party, bron or letter, or cites a kamerstuk."""

    document: Verslag | Letter
    verslag: Verslag
    anchor: str
    excerpt: str
    link_text: str
    footnote: str | None
    line: int

    @property
    def url(self) -> str:
        return f"{self.document.url}#{self.anchor}"


@dataclass(slots=True)
class SeatHeld:
    verslag: Verslag
    seat: Seat


RELATIONS = ("passages", "seats_of_person", "seats_of_party", "letters_signed", "letters_sent", "clerk_of",
             "verslagen_of_committee", "verslagen_of_dossier")


@dataclass
class Site:
    """The archive with its prose rendered and every relation computed in both directions.

    Each relation maps a key to a list in archive order (verslag id, then document order), made
    of the contributions of single verslagen, so that one verslag can be taken out and put back.
    """

    archive: Archive
    texts: dict[str, RenderedText] = field(default_factory=dict)
    passages: dict[tuple[str, str], list[Passage]] = field(default_factory=lambda: defaultdict(list))
    seats_of_person: dict[str, list[SeatHeld]] = field(default_factory=lambda: defaultdict(list))
    seats_of_party: dict[str, list[SeatHeld]] = field(default_factory=lambda: defaultdict(list))
    letters_signed: dict[str, list[Letter]] = field(default_factory=lambda: defaultdict(list))
    letters_sent: dict[str, list[Letter]] = field(default_factory=lambda: defaultdict(list))
    clerk_of: dict[str, list[Verslag]] = field(default_factory=lambda: defaultdict(list))
    verslagen_of_committee: dict[str, list[Verslag]] = field(default_factory=lambda: defaultdict(list))
    verslagen_of_dossier: dict[str, list[Verslag]] = field(default_factory=lambda: defaultdict(list))
    contributed: dict[str, list[tuple[str, object]]] = field(default_factory=dict)
    citation_targets: CitationTargets | None = field(default=None, repr=False, compare=False)
    # Output made from one verslag, kept while it stays the same objects (see remembered): a
    # rebuild after an edit formats again only what the changed verslag contributes to files of
    # the whole archive. Not pickled with the site (not sent to workers); a saved build keeps
    # it beside the site (rebuild.py), so that the next process need not format it all again.
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "memo": {}}

    def remembered(self, key: tuple, made_from: tuple, make: Callable[[], object]) -> object:
        """make(), or what it gave before for `key` when every object in `made_from` is the very
        object it was made from then (the content is immutable: the same object, the same text)."""
        kept = self.memo.get(key)
        if kept is not None and len(kept[0]) == len(made_from) and all(a is b for a, b in zip(kept[0], made_from)):
            return kept[1]
        value = make()
        self.memo[key] = (made_from, value)
        return value

    def text_of(self, document: Verslag | Letter) -> RenderedText:
        """The rendered prose of a verslag's introduction or of a letter."""
        return self.texts[document.url]

    def linked_text(self, document: Verslag | Letter) -> RenderedText:
        """The prose as a page shows it: its kamerstuk citations lead where this archive holds them."""
        text = self.texts[document.url]
        if not any(r.kind == "kamerstuk" for r in text.references):
            return text
        if self.citation_targets is None or self.citation_targets.archive is not self.archive:
            # Made again whenever verslagen were replaced (replace_verslagen sets a new archive).
            self.citation_targets = CitationTargets(self.archive)
        fill_in = self.citation_targets.fill_in
        return dataclasses.replace(text, body_html=fill_in(text.body_html), footnotes_html=fill_in(text.footnotes_html))

    def cited_by(self, verslag: Verslag) -> list[Passage]:
        """Every passage that cites this verslag as a kamerstuk, in archive order."""
        return self.mentions("kamerstuk", verslag.id.casefold())

    @functools.cached_property
    def person_filter_values(self) -> dict[str, str]:
        """{person id: the value of the search's person filter} (model.person_filter_values)."""
        return person_filter_values(self.archive.persons)

    def mentions(self, kind: str, ident: str) -> list[Passage]:
        """Every passage that links to this record, in archive order."""
        return self.passages.get((kind, ident), [])

    @property
    def verslagen_newest_first(self) -> list[Verslag]:
        return sorted(self.archive.verslagen.values(), key=lambda v: (v.sort_date, v.id), reverse=True)

    def parties_of(self, document: Verslag | Letter) -> list[str]:
        """Party ids a document mentions; for a verslag also those with a seat on its committee."""
        ids = {p.target for p in self.text_of(document).references if p.kind == "partij"}
        if isinstance(document, Verslag):
            ids |= {seat.party for seat in document.seats if seat.party}
            for letter in document.letters:
                ids |= set(self.parties_of(letter))
        return sorted(ids)

    def persons_of(self, document: Verslag | Letter) -> list[str]:
        """Person ids a document mentions, with a letter's sender and signatory and the persons
        who sign a verslag's introduction."""
        ids = {p.target for p in self.text_of(document).references if p.kind == "persoon"}
        if isinstance(document, Letter):
            ids |= {document.sender.person, document.signature.person if document.signature else None}
        else:
            ids |= {signature.person for signature in document.signatures}
        return sorted(i for i in ids if i)

    def add_relations(self, verslag: Verslag) -> None:
        """Put one verslag's relations in their place in archive order."""
        entries = _relations_of(self, verslag)
        for (relation, key), items in entries.items():
            listed = getattr(self, relation)[key]
            position = bisect.bisect_left(listed, verslag.id, key=_verslag_id)
            listed[position:position] = items
        self.contributed[verslag.id] = list(entries)

    def without_relations(self) -> "Site":
        """A copy with the archive and its prose but no relations: what is saved with a build
        (with_relations makes them again in 0.2 s at 1,000 verslagen; pickling them took 0.4)."""
        return Site(self.archive, self.texts, citation_targets=self.citation_targets)

    def with_relations(self) -> "Site":
        """This site, made by without_relations, with every verslag's relations put in again, in
        archive order; returns itself."""
        relations = {name: getattr(self, name) for name in RELATIONS}
        for verslag in sorted(self.archive.verslagen.values(), key=lambda v: v.id):
            entries = _relations_of(self, verslag)
            # In id order from empty lists: each verslag's items go at their end (add_relations'
            # search for the place would find it there, 90,000 times).
            for (relation, key), items in entries.items():
                relations[relation][key].extend(items)
            self.contributed[verslag.id] = list(entries)
        return self

    def live_memo(self) -> dict:
        """The remembered output still made from verslagen of the archive: none of an object
        that an edit or a removal replaced (it could never be used again)."""
        verslagen = self.archive.verslagen
        return {key: kept for key, kept in self.memo.items()
                if all(verslagen.get(item.id) is item for item in kept[0] if isinstance(item, Verslag))}

    def remove_relations(self, verslag_id: str) -> None:
        """Take one verslag's relations out again."""
        for relation, key in self.contributed.pop(verslag_id, ()):
            listed = getattr(self, relation)[key]
            low = bisect.bisect_left(listed, verslag_id, key=_verslag_id)
            high = bisect.bisect_right(listed, verslag_id, key=_verslag_id)
            del listed[low:high]
            if not listed:
                del getattr(self, relation)[key]


def _verslag_id(entry) -> str:
    if isinstance(entry, (Passage, SeatHeld)):
        return entry.verslag.id
    if isinstance(entry, Letter):
        return entry.verslag_id
    return entry.id


def _relations_of(site: Site, verslag: Verslag) -> dict[tuple[str, object], list]:
    """What one verslag adds to each relation, in document order."""
    entries: dict[tuple[str, object], list] = defaultdict(list)
    if verslag.committee:
        entries[("verslagen_of_committee", verslag.committee)].append(verslag)
    for dossier in verslag.dossiers:
        entries[("verslagen_of_dossier", dossier)].append(verslag)
    if verslag.clerk:
        entries[("clerk_of", verslag.clerk)].append(verslag)
    for seat in verslag.seats:
        held = SeatHeld(verslag, seat)
        if seat.party:
            entries[("seats_of_party", seat.party)].append(held)
        if seat.person:
            entries[("seats_of_person", seat.person)].append(held)
    for document in (verslag, *verslag.letters):
        for ref in site.text_of(document).references:
            entries[("passages", (ref.kind, ref.target))].append(
                Passage(document, verslag, ref.anchor, ref.excerpt, ref.link_text, ref.footnote, ref.line))
    for letter in verslag.letters:
        if letter.signature and letter.signature.person:
            entries[("letters_signed", letter.signature.person)].append(letter)
        if letter.sender.person:
            entries[("letters_sent", letter.sender.person)].append(letter)
    return entries


def resolve(archive: Archive, errors: ErrorList, cache: BuildCache | None = None,
            workers: int | None = None, done: Callable[[int], None] | None = None) -> Site:
    """Check every cross-reference and render all prose; problems go to `errors`.

    With a cache, prose that has not changed is not rendered again; what has is rendered on up
    to `workers` cores (all of them by default), calling `done(n)` as n texts are rendered.
    """
    cache = cache if cache is not None else BuildCache()
    site = Site(archive)
    _check_registries(archive, errors)
    check = ReferenceChecker(archive, errors)
    _render_prose(archive.verslagen.values(), cache, workers, done)
    md = make_parser()
    for verslag in sorted(archive.verslagen.values(), key=lambda v: v.id):
        site.texts.update(_resolve_verslag(check, verslag, cache, md))
        site.add_relations(verslag)
    return site


def _prose_of(verslag: Verslag) -> list[MarkdownText]:
    return [document.introduction if isinstance(document, Verslag) else document.body
            for document in (verslag, *verslag.letters)]


def _prose_key(source: MarkdownText, verslag_id: str) -> tuple:
    return ("text", source.path, source.first_line, verslag_id)


def _render_prose(verslagen, cache: BuildCache, workers: int | None, done) -> None:
    """Render into the cache every text that it does not hold yet, spread over the cores."""
    todo = [(source, verslag.id) for verslag in sorted(verslagen, key=lambda v: v.id)
            for source in _prose_of(verslag) if not cache.has(_prose_key(source, verslag.id), source.text)]
    rendered = [result for chunk in map_chunks(_render_chunk, None, todo, workers, done) for result in chunk]
    for (source, verslag_id), (text, errors) in zip(todo, rendered, strict=True):
        cache.store(_prose_key(source, verslag_id), source.text, text, errors)


def _render_chunk(_, chunk: list[tuple[MarkdownText, str]]) -> list[tuple[RenderedText, list]]:
    """Render texts in a worker: [(rendered text, errors)]."""
    md = make_parser()
    results = []
    for source, verslag_id in chunk:
        errors = ErrorList()
        results.append((render_markdown(md, source, verslag_id, errors), errors.errors))
    return results


def _resolve_verslag(check: "ReferenceChecker", verslag: Verslag, cache: BuildCache, md) -> dict[str, RenderedText]:
    """Check one verslag and render its prose: {document url: rendered text}."""
    errors = check.errors
    _check_verslag(check, verslag)
    texts = {}
    for document, source in zip((verslag, *verslag.letters), _prose_of(verslag)):
        text = cache.get_or_make(_prose_key(source, verslag.id), source.text, errors,
                                 lambda own, source=source: render_markdown(md, source, verslag.id, own))
        texts[document.url] = text
        for reference in text.references:
            check.reference(source.path, reference)
    _check_footnote_numbering(texts, verslag, errors)
    return texts


def replace_verslagen(site: Site, changed: dict[str, Verslag | None], errors: ErrorList,
                      cache: BuildCache) -> Site | None:
    """The site with some verslagen replaced, added or (None) removed, registries unchanged.

    Checks what the full resolve would check about them, and that no other verslag refers to a
    letter or verslag that is gone. Returns None, leaving `site` as it was, when there are errors.
    """
    verslagen = dict(site.archive.verslagen)
    for ident, verslag in changed.items():
        if verslag is None:
            verslagen.pop(ident, None)
        else:
            verslagen[ident] = verslag
    archive = dataclasses.replace(site.archive, verslagen=verslagen)
    check = ReferenceChecker(archive, errors)
    md = make_parser()
    texts = {ident: _resolve_verslag(check, v, cache, md) for ident, v in changed.items() if v is not None}
    folded = {v.casefold(): v for v in site.archive.verslagen if v not in changed}
    for ident, verslag in changed.items():
        if verslag is not None and ident.casefold() in folded:
            errors.add(verslag.loc.path, verslag.loc.line,
                       f"page {verslag.url} would overwrite the page made from "
                       f"{site.archive.verslagen[folded[ident.casefold()]].loc.path}:1")
    _check_references_into(site, archive, changed, errors)
    if errors:
        return None
    for ident in changed:
        old = site.archive.verslagen.get(ident)
        if old is not None:
            site.remove_relations(ident)
            for document in (old, *old.letters):
                site.texts.pop(document.url, None)
    site.archive = archive
    for ident, verslag in sorted(changed.items()):
        if verslag is not None:
            site.texts.update(texts[ident])
            site.add_relations(verslag)
    return site


def _check_references_into(site: Site, archive: Archive, changed: dict[str, Verslag | None],
                           errors: ErrorList) -> None:
    """Links from unchanged verslagen to a letter or verslag that a change removed are errors."""
    letters = {f"{v.id}/{l.slug}" for v in archive.verslagen.values() for l in v.letters}
    for ident in changed:
        old = site.archive.verslagen.get(ident)
        if old is None:
            continue
        gone = [("verslag", ident)] if ident not in archive.verslagen else []
        gone += [("brief", f"{ident}/{l.slug}") for l in old.letters if f"{ident}/{l.slug}" not in letters]
        for kind, target in gone:
            for passage in site.mentions(kind, target):
                if passage.verslag.id in changed:
                    continue  # checked with the changed verslag itself
                document = passage.document
                source = document.introduction if isinstance(document, Verslag) else document.body
                errors.add(source.path, passage.line, f"unknown {kind} '{target}' in link '{kind}:{target}'")


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
    for dossier in verslag.dossiers:
        check.known(verslag.loc_of("dossier"), "dossier", dossier)
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
        if seat.party:
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


def _check_footnote_numbering(texts: dict[str, RenderedText], verslag: Verslag, errors: ErrorList) -> None:
    """Footnotes run on through the whole verslag: 1, 2, 3 in the introduction, 4 in the first letter."""
    expected = 1
    for document in (verslag, *verslag.letters):
        text = texts[document.url]
        source = document.introduction if isinstance(document, Verslag) else document.body
        for label in text.footnote_labels:
            if not label.isdigit():
                continue  # already reported by markup
            if int(label) != expected:
                line = text.first_footnote_lines.get(label, source.first_line)
                errors.add(source.path, line, f"footnote {label} should be numbered {expected}: footnotes are "
                                              f"numbered on through the whole verslag, in order of reference")
            expected = int(label) + 1


def party_of_person(site: Site, person: Person) -> str | None:
    """The party of a person's most recent seat, if any."""
    seats = sorted(site.seats_of_person.get(person.id, []), key=lambda s: s.verslag.sort_date)
    return seats[-1].seat.party if seats else None
