"""Render every page of the site to HTML in memory: {url: html}. No file is read or written here
except the templates, which Jinja2 loads.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from itertools import groupby
from typing import Callable

import jinja2

from . import citations, dutch, feeds, opendata, preview
from .basepath import with_base_path
from .config import Config
from .errors import ErrorList
from .facets import page_facets
from .model import Letter, Loc, Verslag, document_key, is_page, url_for
from .parallel import map_chunks
from .resolve import Site, party_of_person

SOURCE_KIND_LABELS = {
    "rapport": "Rapport", "bundel": "Bundel", "artikel": "Artikel", "motie": "Motie", "brief": "Brief",
    "kabinetsreactie": "Kabinetsreactie", "wet": "Wet", "overig": "Document",
}
ROLE_LABELS = {"voorzitter": "voorzitter", "ondervoorzitter": "ondervoorzitter", None: "lid"}


@dataclass(frozen=True)
class Page:
    """One page to render: its URL, template, what it shows, and the content it comes from.

    Files that are not HTML (feeds, data) are made by a function instead of a template:
    `make(site, config, **context)` returns their text."""

    url: str
    template: str
    context: dict
    loc: Loc | None = None
    depends_on: frozenset[str] = frozenset()
    date: datetime.date | None = None  # the newest date of the documents it shows (newest_date)
    make: Callable[..., str] | None = None


def make_environment(config: Config) -> jinja2.Environment:
    """Jinja2 with autoescaping on for every template and undefined names as errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(config.templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=dutch.long_date,
        printed_session=dutch.printed_session,
        session_label=dutch.session_label,
        printed_dossier=dutch.printed_dossier_number,
        source_kind=lambda kind: SOURCE_KIND_LABELS.get(kind, kind),
        role=lambda role: ROLE_LABELS.get(role, role),
        chamber=lambda chamber: dutch.CHAMBERS[chamber][0],
        capitalize_first=lambda text: text[:1].upper() + text[1:],
        first_paragraph=preview.first_paragraph,
        trimmed=preview.trimmed,
    )
    env.globals.update(share_image=preview.SHARE_IMAGE, share_image_size=preview.SHARE_IMAGE_SIZE)
    return env


def _verslag_list_keys(verslagen) -> set[str]:
    """What a list of verslagen shows: their metadata, dossier titles and committee names."""
    keys = {"*verslagen"}
    for v in verslagen:
        keys |= {f"verslag:{v.id}", f"commissie:{v.committee}"} | {f"dossier:{d}" for d in v.dossiers}
    return keys


SEARCH_PAGE = "/zoeken/"
INDEX_PAGES = ("/", "/verslagen/", "/partijen/", "/personen/", "/commissies/", "/dossiers/", "/bronnen/",
               "/zoeken/", "/404.html")
EVERYTHING = frozenset({"*documents", "*verslagen", "*partij", "*persoon", "*commissie", "*dossier", "*bron"})


def plan_pages(site: Site, config: Config) -> list[Page]:
    """Every page of the site with what it needs and what it depends on, in a fixed order.

    `depends_on` names the records a page shows (see document_key; registry records as
    'partij:gl'; '*verslagen', '*documents' and '*<kind>' for lists and counts of everything):
    after an edit only the pages that depend on a changed record are rendered again.
    """
    return [plan_page(site, url) for url in page_urls(site)]


def page_urls(site: Site) -> list[str]:
    """The URL of every page, in a fixed order."""
    a = site.archive
    urls = list(INDEX_PAGES)
    for verslag in site.verslagen_newest_first:
        urls.append(verslag.url)
        urls.extend(letter.url for letter in verslag.letters)
    for registry in (a.parties, a.persons, a.committees, a.dossiers, a.sources):
        urls.extend(item.url for item in registry.values())
    urls.extend(feeds.feed_urls(site))
    urls.extend(opendata.data_urls(site))
    return urls


def plan_page(site: Site, url: str) -> Page:
    """What the page at `url` shows and depends on; the URL must be one of page_urls(site)."""
    page = _plan_page(site, url)
    # Interned: the 7,866 pages of 1,000 verslagen name 18,000 keys 370,000 times, and a saved
    # build (rebuild.py) pickles a string once per object: 3.6 MB of pages instead of 10.9.
    depends_on = frozenset(map(sys.intern, page.depends_on))
    return dataclasses.replace(page, depends_on=depends_on, date=newest_date(site, depends_on))


def newest_date(site: Site, depends_on: frozenset[str]) -> datetime.date | None:
    """The newest date of the verslagen and letters a page depends on (see plan_pages), of the
    documents whose passages or mentions it lists, and of every document for a page that
    depends on them all; None when it shows no dated document. The sitemap's lastmod: a page
    changes when a document it shows is published (a verslag is vastgesteld after its letters).
    A verslag that prints no date adds none: its vergaderjaar is no publication date."""
    a = site.archive
    if "*documents" in depends_on or "*verslagen" in depends_on:
        return max((v.adopted for v in a.verslagen.values() if v.adopted), default=None)
    dates = []
    for key in depends_on:
        kind, _, ident = key.partition(":")
        if kind == "verslag" and ident in a.verslagen:
            dates.append(a.verslagen[ident].adopted)
        elif kind == "brief":
            verslag_id, _, slug = ident.partition("/")
            verslag = a.verslagen.get(verslag_id)
            dates.extend(l.date for l in (verslag.letters if verslag else ()) if l.slug == slug)
        elif kind in ("passages", "mentioned"):
            dates.extend(_document_date(p.document) for p in site.mentions(*ident.split(":", 1)))
    return max((date for date in dates if date), default=None)


def _document_date(document: Verslag | Letter) -> datetime.date | None:
    return document.date if isinstance(document, Letter) else document.adopted


def _plan_page(site: Site, url: str) -> Page:
    if url in INDEX_PAGES:
        return _index_page(site, url)
    if url.endswith(feeds.FEED_FILE):
        plan = feeds.plan_feed(site, url)
        return Page(url, "", plan.context, plan.loc, plan.depends_on, make=feeds.render_feed)
    if url.startswith(opendata.DATA):
        kind, context, keys = opendata.plan_data(site, url)
        if kind == "page":
            return Page(url, "data.html", context, depends_on=keys)
        return Page(url, "", {"kind": kind, **context}, depends_on=keys, make=opendata.render_data)
    section, ident, *rest = url.strip("/").split("/")
    a = site.archive
    if section == "verslagen":
        verslag = a.verslagen[ident]
        if rest:
            letter = next(l for l in verslag.letters if l.slug == rest[0])
            return _letter_page(site, verslag, letter)
        return _verslag_page(site, verslag)
    if section == "partijen":
        return _party_page(site, a.parties[ident])
    if section == "personen":
        return _person_page(site, a.persons[ident])
    if section == "commissies":
        committee = a.committees[ident]
        listed = _newest_first(site.verslagen_of_committee.get(committee.id, []))
        keys = _verslag_list_keys(listed) | {f"commissie:{committee.id}"}
        if listed:
            keys |= {f"persoon:{s.person}" for s in listed[0].seats} | {f"partij:{s.party}" for s in listed[0].seats}
            keys.add(f"persoon:{listed[0].clerk}")
        return Page(url, "commissie.html", {"committee": committee, "verslagen": listed}, committee.loc, frozenset(keys))
    if section == "dossiers":
        dossier = a.dossiers[ident]
        listed = _newest_first(site.verslagen_of_dossier.get(dossier.number, []))
        return Page(url, "dossier.html", {"dossier": dossier, "verslagen": listed}, dossier.loc,
                    frozenset(_verslag_list_keys(listed) | {f"dossier:{dossier.number}"}))
    if section == "bronnen":
        source = a.sources[ident]
        passages = site.mentions("bron", source.id)
        return Page(url, "bron.html", {"source": source, "passages": passages}, source.loc,
                    frozenset({f"bron:{source.id}", f"passages:bron:{source.id}"}))
    raise KeyError(url)


def pages_pointed_to(verslag: Verslag, changed: set[str]) -> set[str]:
    """Pages that may start (or stop) showing something of this verslag although they did not
    depend on it: those of the records that its changed parts name. Mentions in the prose are not
    needed here: a page listing mentions depends on its own 'passages:' or 'mentioned:' key."""
    urls = set()
    if f"verslag:{verslag.id}" in changed:
        urls |= {url_for("dossier", d) for d in verslag.dossiers}
        if verslag.committee:
            urls.add(url_for("commissie", verslag.committee))
        persons = {verslag.clerk, *(s.person for s in verslag.seats), *(s.person for s in verslag.signatures)}
        urls |= {url_for("persoon", p) for p in persons if p}
        urls |= {url_for("partij", s.party) for s in verslag.seats if s.party}
    for letter in verslag.letters:
        if f"brief:{verslag.id}/{letter.slug}" in changed:
            persons = {letter.sender.person, letter.signature.person if letter.signature else None}
            urls |= {url_for("persoon", p) for p in persons if p}
            if letter.sender.committee:
                urls.add(url_for("commissie", letter.sender.committee))
    return urls | {feeds.feed_url(url) for url in urls}  # each of those pages has a feed that lists the same


def _index_page(site: Site, url: str) -> Page:
    a = site.archive
    if url == "/":
        verslagen = site.verslagen_newest_first
        return Page(url, "home.html", {"verslagen": verslagen[:10], "counts": _counts(site)},
                    depends_on=frozenset(_verslag_list_keys(verslagen[:10]) | EVERYTHING))
    if url == "/verslagen/":
        verslagen = site.verslagen_newest_first
        return Page(url, "verslagen.html", {"verslagen": verslagen},
                    depends_on=frozenset({"*verslagen", "*dossier", "*commissie"}))
    if url == "/partijen/":
        return Page(url, "partijen.html", {"parties": sorted(a.parties.values(), key=lambda p: p.abbreviation.casefold())},
                    depends_on=frozenset({"*partij", "*documents", "*verslagen"}))
    if url == "/personen/":
        return Page(url, "personen.html", {"groups": _persons_by_letter(site)},
                    depends_on=frozenset({"*persoon", "*partij", "*verslagen"}))
    if url == "/commissies/":
        return Page(url, "commissies.html", {"committees": sorted(a.committees.values(), key=lambda c: c.name.casefold())},
                    depends_on=frozenset({"*commissie", "*verslagen"}))
    if url == "/dossiers/":
        return Page(url, "dossiers.html", {"dossiers": sorted(a.dossiers.values(), key=_dossier_order)},
                    depends_on=frozenset({"*dossier", "*verslagen"}))
    if url == "/bronnen/":
        return Page(url, "bronnen.html", {"sources": sorted(a.sources.values(), key=lambda s: dutch.fold(s.title))},
                    depends_on=frozenset({"*bron", "*documents"}))
    return Page(url, "zoeken.html" if url == "/zoeken/" else "404.html", {})


def _verslag_page(site: Site, verslag: Verslag) -> Page:
    keys = {document_key(d) for d in (verslag, *verslag.letters)}
    keys |= {f"dossier:{d}" for d in verslag.dossiers} | {f"commissie:{verslag.committee}", f"persoon:{verslag.clerk}"}
    keys |= {f"persoon:{s.person}" for s in (*verslag.seats, *verslag.signatures)} | {f"partij:{s.party}" for s in verslag.seats}
    keys |= {f"persoon:{l.sender.person}" for l in verslag.letters}
    keys |= {f"partij:{p}" for p in site.parties_of(verslag)} | {f"persoon:{p}" for p in site.persons_of(verslag)}
    keys |= citations.text_dependency_keys(site.text_of(verslag)) | {f"passages:kamerstuk:{verslag.id.casefold()}"}
    return Page(verslag.url, "verslag.html", {"verslag": verslag, "text": site.linked_text(verslag),
                                              "cited_by": site.cited_by(verslag)}, verslag.loc, frozenset(keys))


def _letter_page(site: Site, verslag: Verslag, letter: Letter) -> Page:
    letters = verslag.letters
    index = letters.index(letter)
    previous = letters[index - 1] if index > 0 else None
    following = letters[index + 1] if index + 1 < len(letters) else None
    cited_by = site.mentions("brief", f"{verslag.id}/{letter.slug}")
    text = site.linked_text(letter)
    keys = {document_key(d) for d in (verslag, letter, previous, following) if d is not None}
    keys |= {f"passages:brief:{verslag.id}/{letter.slug}", f"commissie:{verslag.committee}"}
    keys |= {f"persoon:{letter.sender.person}", f"commissie:{letter.sender.committee}"}
    if letter.signature:
        keys.add(f"persoon:{letter.signature.person}")
    keys |= {f"bron:{r.target}" for r in text.references if r.kind == "bron"}
    keys |= {f"partij:{p}" for p in site.parties_of(letter)} | {f"persoon:{p}" for p in site.persons_of(letter)}
    keys |= {f"dossier:{d}" for d in verslag.dossiers}
    keys |= citations.text_dependency_keys(text)
    return Page(letter.url, "brief.html", {
        "verslag": verslag, "letter": letter, "text": text,
        "previous": previous, "next": following, "cited_by": cited_by,
    }, letter.loc, frozenset(keys))


def _party_page(site: Site, party) -> Page:
    seats = _by_verslag(site.seats_of_party.get(party.id, []))
    members = {}
    for held in seats:  # newest seat first, so the order is that of each member's latest seat
        members.setdefault(held.seat.person, []).append(held)
    keys = {f"partij:{party.id}", f"mentioned:partij:{party.id}"}
    keys |= {f"verslag:{h.verslag.id}" for h in seats} | {f"persoon:{h.seat.person}" for h in seats}
    keys |= {f"commissie:{h.verslag.committee}" for h in seats}
    return Page(party.url, "partij.html", {
        "party": party, "members": list(members.items()), "seat_count": len(seats),
        "mentioned_in": mentioning_documents(site.mentions("partij", party.id)),
        "mention_count": len(site.mentions("partij", party.id))}, party.loc, frozenset(keys))


def mentioning_documents(passages) -> list[tuple[Verslag, list[tuple]]]:
    """Passages grouped by verslag (newest first) and document: [(verslag, [(document, first, count)])]."""
    grouped: dict[str, dict[str, list]] = {}
    verslagen = {}
    for passage in passages:
        verslagen[passage.verslag.id] = passage.verslag
        documents = grouped.setdefault(passage.verslag.id, {})
        documents.setdefault(passage.document.url, [passage.document, passage, 0])[2] += 1
    order = sorted(verslagen.values(), key=lambda v: (v.sort_date, v.id), reverse=True)
    return [(v, [tuple(d) for d in grouped[v.id].values()]) for v in order]


def _person_page(site: Site, person) -> Page:
    seats = site.seats_of_person.get(person.id, [])
    signed = site.letters_signed.get(person.id, [])
    clerk_of = site.clerk_of.get(person.id, [])
    passages = site.mentions("persoon", person.id)
    keys = {f"persoon:{person.id}", f"passages:persoon:{person.id}"} | {document_key(l) for l in signed}
    keys |= {f"verslag:{v.id}" for v in [h.verslag for h in seats] + clerk_of}
    keys |= {f"partij:{h.seat.party}" for h in seats} | {f"commissie:{h.verslag.committee}" for h in seats}
    keys |= {f"commissie:{v.committee}" for v in clerk_of}
    return Page(person.url, "persoon.html", {
        "person": person, "party_id": party_of_person(site, person), "seats": seats, "signed": signed,
        "clerk_of": clerk_of, "passages": passages}, person.loc, frozenset(keys))


def check_urls(pages: list[Page], errors: ErrorList) -> None:
    """Two pages may not share a URL, not even one that differs only in case."""
    taken: dict[str, Page] = {}
    for page in pages:
        if page.make is not None:
            continue  # a feed or data file is named after a page or record, whose own clash is reported
        key = page.url.casefold()
        if key in taken:
            first = taken[key]
            where = f"{first.loc.path}:{first.loc.line}" if first.loc else "the site itself"
            loc = page.loc or Loc("config.yaml", 1)
            errors.add(loc.path, loc.line, f"page {page.url} would overwrite the page made from {where}")
        else:
            taken[key] = page


def render_pages_in_parallel(pages: list[Page], site: Site, config: Config, env: jinja2.Environment,
                             errors: ErrorList, workers: int | None = None,
                             done: Callable[[int], None] | None = None) -> dict[str, bytes]:
    """render_pages on up to `workers` cores (all by default); the same HTML in page order, as
    UTF-8 bytes. `done(n)` is called as n more pages are rendered."""
    html: dict[str, bytes] = {}
    for chunk_html, chunk_errors in map_chunks(_render_chunk, (site, config, env), pages, workers, done):
        html.update(chunk_html)
        errors.extend(chunk_errors)
    return html


def _render_chunk(shared: tuple, pages: list[Page]) -> tuple[dict[str, bytes], list]:
    site, config, env = shared
    errors = ErrorList()
    # Encoded here: nearly every page has a character beyond Latin-1 (a curly quote, a dash), so
    # Python holds its text at two bytes a character, twice its UTF-8. The build holds every page
    # until it is written: as bytes that is half the memory, and half to send from the worker.
    return encoded(render_pages(pages, site, config, env, errors)), errors.errors


def encoded(files: dict[str, str]) -> dict[str, bytes]:
    """Rendered files as the UTF-8 bytes that are written, {url: bytes}."""
    return {url: text.encode("utf-8") for url, text in files.items()}


def render_pages(pages: list[Page], site: Site, config: Config, env: jinja2.Environment,
                 errors: ErrorList, site_id: str = "") -> dict[str, str]:
    """Render each planned page to HTML, keyed by URL; a template error is reported at its line.
    Root-absolute addresses in the HTML carry the site's base path (see basepath.py).

    `site_id` is the build_id of the other pages; only the search page shows it."""
    common = {"config": config, "site": site, "archive": site.archive, "parties_of": site.parties_of,
              "persons_of": site.persons_of, "build_id": site_id,
              "page_facets": functools.partial(page_facets, site)}
    html = {}
    for page in pages:
        if page.make is not None:
            html[page.url] = page.make(site, config, **page.context)
            continue
        try:
            text = env.get_template(page.template).render(
                **common, **page.context, page_url=page.url, feed_url=feeds.feed_of_page(page.url))
            html[page.url] = with_base_path(text, config.base_path)
        except jinja2.TemplateError as exc:
            path, line = _template_location(exc, config, page.template)
            if isinstance(exc, jinja2.TemplateSyntaxError):
                # The same for every page (and every worker process rendering some of them):
                # said without a page's URL, it is reported once.
                errors.add(path, line, f"template error: {exc.message or exc}")
                break
            # A template not found may be one some pages include: the page tells which.
            errors.add(path, line, f"template error while rendering {page.url}: {exc.message or exc}")
            if isinstance(exc, jinja2.TemplateNotFound):
                break
    return html


def _template_location(exc: jinja2.TemplateError, config: Config, template: str) -> tuple[str, int]:
    """The template file and line an error comes from, relative to the project."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if filename is None or line is None:
        # A runtime error: the innermost frame that runs a template file names the line.
        traceback = exc.__traceback__
        while traceback is not None:
            code = traceback.tb_frame.f_code
            if code.co_filename.endswith(".html") and Path(code.co_filename).is_relative_to(config.templates):
                filename, line = code.co_filename, traceback.tb_lineno
            traceback = traceback.tb_next
    path = Path(filename) if filename else config.templates / template
    try:
        shown = path.resolve().relative_to(config.root).as_posix()
    except ValueError:
        shown = path.as_posix()
    return shown, line or 1


def build_id(digests: dict[str, bytes]) -> str:
    """An id of the whole site's pages, for Pagefind's metaCacheTag: browsers keep the search
    index's metadata cached while it is unchanged and fetch it again when any page changed.
    `digests` maps each URL (the search page excluded) to a digest of its HTML; files that
    are not pages (sitemap.xml, robots.txt) are left out, since the search does not index them."""
    digest = hashlib.blake2b(digest_size=8)
    for url in sorted(url for url in digests if is_page(url)):
        digest.update(url.encode() + b"\0" + digests[url])
    return digest.hexdigest()


def page_digest(html: str | bytes) -> bytes:
    """A digest of a page's bytes (text is taken as UTF-8): pages whose digest is unchanged are
    not written again."""
    return hashlib.blake2b(html.encode("utf-8") if isinstance(html, str) else html, digest_size=16).digest()


def _counts(site: Site) -> dict[str, int]:
    a = site.archive
    return {
        "verslagen": len(a.verslagen), "brieven": sum(len(v.letters) for v in a.verslagen.values()),
        "partijen": len(a.parties), "personen": len(a.persons), "bronnen": len(a.sources),
    }


def _persons_by_letter(site: Site) -> list[tuple[str, list]]:
    """[(letter, [(person, party id or None)])] in Dutch alphabetical order."""
    persons = sorted(site.archive.persons.values(), key=lambda p: p.sort_key)
    return [(letter, [(p, party_of_person(site, p)) for p in group])
            for letter, group in groupby(persons, key=lambda p: dutch.sort_letter(p.name))]


def _dossier_order(dossier):
    main, _, rest = dossier.number.partition("-")
    return (int(main) if main.isdigit() else 0, rest)


def _newest_first(verslagen: list[Verslag]) -> list[Verslag]:
    return sorted(verslagen, key=lambda v: (v.sort_date, v.id), reverse=True)


def _by_verslag(seats):
    return sorted(seats, key=lambda s: (s.verslag.sort_date, s.verslag.id), reverse=True)
