"""Atom 1.0 feeds of the newest verslagen and letters: one of the whole archive, one per party,
person, committee, dossier and bron. Pure functions from the resolved site to XML text.

A feed sits beside the page of what it follows (`/partijen/gl/feed.xml`; the whole archive at
`/feed.xml`). Its bytes come from the content alone: `updated` is a document's date, never the
clock. Ids are `urn:uuid:` names made from the site path, so that they stay the same when the site
moves to another address (RFC 4287, 4.2.6); links are absolute under config.base_url (relative
to the site's root without one).
"""

from __future__ import annotations

import datetime
import html
import re
import uuid
from dataclasses import dataclass

from .config import Config
from .dutch import CHAMBERS, long_date
from .model import Letter, Loc, Sender, Verslag, document_key, url_for
from .resolve import Site

FEED_FILE = "feed.xml"
ARCHIVE_FEED = "/" + FEED_FILE
MAX_ENTRIES = 50
# The kinds of record that have a feed, with the registry of the archive that holds them.
FEED_KINDS = {"partij": "parties", "persoon": "persons", "commissie": "committees", "dossier": "dossiers",
              "bron": "sources"}
# Names under which ids are made: a fixed namespace of this archive's own.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://kamerarchief/")
# XML 1.0 allows no control characters but tab and line ends.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FOOTNOTE_REFERENCE = re.compile(r'<sup class="noot">.*?</sup>', re.DOTALL)
FIRST_PARAGRAPH = re.compile(r"<p[ >].*?</p>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def feed_url(page_url: str) -> str:
    """The feed beside a page: '/partijen/gl/' -> '/partijen/gl/feed.xml'; '/' -> '/feed.xml'."""
    return page_url + FEED_FILE


def feed_of_page(page_url: str) -> str | None:
    """The feed a page offers its readers (linked in its head and visibly), if any: the whole
    archive's on the home page and the list of verslagen, a record's own on its page."""
    if page_url in ("/", "/verslagen/"):
        return ARCHIVE_FEED
    section = page_url.strip("/").split("/")
    if len(section) == 2 and any(url_for(kind, section[1]) == page_url for kind in FEED_KINDS):
        return feed_url(page_url)
    return None


def feed_urls(site: Site) -> list[str]:
    """Every feed of the site, in a fixed order."""
    archive = site.archive
    urls = [ARCHIVE_FEED]
    for attribute in FEED_KINDS.values():
        urls.extend(feed_url(record.url) for record in getattr(archive, attribute).values())
    return urls


@dataclass(frozen=True)
class FeedPlan:
    """What a feed shows and depends on (as render.Page has it); `context` goes to render_feed."""

    context: dict
    depends_on: frozenset[str]
    loc: Loc | None = None


def plan_feed(site: Site, url: str) -> FeedPlan:
    """The feed at `url` (one of feed_urls(site)): its record, documents and dependencies.

    Besides the documents it lists (their words give the summary, their records the titles), a
    feed depends on the documents that mention its record ('mentioned:<kind>:<id>'); seats,
    signatures and committees that start or stop naming it reach it through
    render.pages_pointed_to, which names the feed beside each page it names.
    """
    if url == ARCHIVE_FEED:
        documents = _newest_first(d for v in site.archive.verslagen.values() for d in (v, *v.letters))
        shown = documents[:MAX_ENTRIES]
        keys = {"*documents"} | {key for d in shown for key in _entry_keys(d)}
        return FeedPlan({"kind": None, "ident": None, "documents": shown}, frozenset(keys))
    section, ident = url.strip("/").split("/")[:2]
    kind = next(k for k in FEED_KINDS if url_for(k, ident) == f"/{section}/{ident}/")
    record = getattr(site.archive, FEED_KINDS[kind])[ident]
    documents = documents_concerning(site, kind, ident)
    keys = {f"{kind}:{ident}", f"mentioned:{kind}:{ident}"}
    keys |= {key for d in documents for key in _entry_keys(d)}
    return FeedPlan({"kind": kind, "ident": ident, "documents": documents[:MAX_ENTRIES]}, frozenset(keys),
                    record.loc)


def documents_concerning(site: Site, kind: str, ident: str) -> list[Verslag | Letter]:
    """The verslagen and letters a record's feed holds, newest first.

    A party: verslagen with a seat of it, and documents whose text mentions it. A person:
    verslagen with their seat or as griffier, letters they sent or signed, and documents that
    mention them. A committee or dossier: its verslagen with their letters, and documents that
    mention it. A bron: the documents that cite it.
    """
    found: list[Verslag | Letter] = [passage.document for passage in site.mentions(kind, ident)]
    if kind == "partij":
        found += [held.verslag for held in site.seats_of_party.get(ident, [])]
    elif kind == "persoon":
        found += [held.verslag for held in site.seats_of_person.get(ident, [])]
        found += site.clerk_of.get(ident, []) + site.letters_signed.get(ident, []) + site.letters_sent.get(ident, [])
    elif kind in ("commissie", "dossier"):
        relation = site.verslagen_of_committee if kind == "commissie" else site.verslagen_of_dossier
        for verslag in relation.get(ident, []):
            found += [verslag, *verslag.letters]
    return _newest_first(found)


def _newest_first(documents) -> list[Verslag | Letter]:
    """Documents without repeats, newest first; on one day a verslag before its letters, a later
    letter before an earlier one."""
    unique = {document.url: document for document in documents}
    return sorted(unique.values(), key=_date_order, reverse=True)


def _date_order(document: Verslag | Letter) -> tuple:
    if isinstance(document, Letter):
        return document.date, document.verslag_id, 0, document.number
    return document.sort_date, document.id, 1, 0


def _entry_keys(document: Verslag | Letter) -> set[str]:
    """What an entry shows: the document, its verslag (the citation), and the records named in
    its title and author."""
    if isinstance(document, Letter):
        keys = {document_key(document), f"verslag:{document.verslag_id}"}
        keys |= {f"persoon:{document.sender.person}", f"commissie:{document.sender.committee}"}
        return keys
    return {document_key(document), f"commissie:{document.committee}", *(f"dossier:{d}" for d in document.dossiers)}


def render_feed(site: Site, config: Config, kind: str | None, ident: str | None,
                documents: list[Verslag | Letter]) -> str:
    """The Atom document of one feed (see plan_feed for what it holds)."""
    if kind is None:
        title, page = f"{config.title}: nieuwe verslagen en brieven", "/"
        about = "verslagen en brieven in het archief"
        self_url = ARCHIVE_FEED
    else:
        record = getattr(site.archive, FEED_KINDS[kind])[ident]
        name = feed_subject(site, kind, ident)
        title, page = f"{config.title}: {name}", record.url
        about = f"verslagen en brieven over {name}"
        self_url = feed_url(page)
    # An empty feed (of a record no document concerns yet) has the first day of Unix time: a
    # fixed date, so that it depends on nothing but its record.
    updated = max((_date_of(d) for d in documents), default=datetime.date(1970, 1, 1))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dcterms="http://purl.org/dc/terms/" xml:lang="nl">',
        f"  <id>{_id(self_url)}</id>",
        f"  <title>{_text(title)}</title>",
        f"  <subtitle>{_text(f'De nieuwste {MAX_ENTRIES} van de {about}, nieuwste eerst.')}</subtitle>",
        f'  <link rel="self" type="application/atom+xml" href="{_text(config.absolute(self_url))}"/>',
        f'  <link rel="alternate" type="text/html" href="{_text(config.absolute(page))}"/>',
        f"  <updated>{_timestamp(updated)}</updated>",
        f"  <author><name>{_text(config.title)}</name></author>",
        "  <rights>Openbare parlementaire stukken, vrij over te nemen (artikel 15b Auteurswet).</rights>",
        f"  <generator>{_text(config.title)}</generator>",
    ]
    lines += [_entry(site, config, document) for document in documents]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def feed_subject(site: Site, kind: str, ident: str) -> str:
    """The name of what a feed follows, as its page heads it."""
    archive = site.archive
    if kind == "partij":
        return archive.parties[ident].name
    if kind == "persoon":
        return archive.persons[ident].full_name
    if kind == "commissie":
        return archive.committees[ident].name
    if kind == "dossier":
        dossier = archive.dossiers[ident]
        return f"dossier {dossier.printed_number} {dossier.title}"
    return archive.sources[ident].title


def _entry(site: Site, config: Config, document: Verslag | Letter) -> str:
    """One entry's lines. A document is an entry of many feeds: its lines are remembered on the
    site while the document, its text and the records its entry names are the same objects."""
    archive = site.archive
    if isinstance(document, Letter):
        verslag, sender = archive.verslagen[document.verslag_id], document.sender
        named = (archive.persons.get(sender.person), archive.committees.get(sender.committee))
    else:
        verslag, named = document, (archive.dossiers[document.dossier], archive.committees.get(document.committee))
    return site.remembered(("feed entry", document.url, config.absolute("/")),
                           (document, site.text_of(document), verslag, *named),
                           lambda: _entry_text(site, config, document, verslag))


def _entry_text(site: Site, config: Config, document: Verslag | Letter, verslag: Verslag) -> str:
    date = _date_of(document)
    summary = first_paragraph(site.text_of(document).body_html)
    citation = verslag.citation
    permalink = config.absolute(document.url)
    title = entry_title(site, document)
    lines = [
        "  <entry>",
        f"    <id>{_id(document.url)}</id>",
        f"    <title>{_text(title)}</title>",
        f'    <link rel="alternate" type="text/html" href="{_text(permalink)}"/>',
        f"    <published>{_timestamp(date)}</published>",
        f"    <updated>{_timestamp(date)}</updated>",
        f"    <author><name>{_text(_author(site, document))}</name></author>",
        f"    <dcterms:bibliographicCitation>{_text(citation)}</dcterms:bibliographicCitation>",
    ]
    if summary:
        # The summary only, no content: the document itself is one click away, and a copy of the
        # paragraph in both makes them half as big again (81 MB instead of 52 at N = 1,000).
        lines.append(f"    <summary>{_text(summary)}</summary>")
    lines.append("  </entry>")
    return "\n".join(lines)


def entry_title(site: Site, document: Verslag | Letter) -> str:
    """'Verslag van een schriftelijk overleg: 19 637 Vreemdelingenbeleid, H'; 'Brief van 8 juli
    2021, A. Broekers-Knol, Staatssecretaris van Justitie en Veiligheid', as search results show them."""
    archive = site.archive
    if isinstance(document, Letter):
        return f"Brief van {long_date(document.date)}, {sender_label(site, document.sender)}"
    dossier = archive.dossiers[document.dossier]
    kind = document.doc_type[:1].upper() + document.doc_type[1:]
    return f"{kind}: {dossier.printed_number} {dossier.title}, {document.number}"


def sender_label(site: Site, sender: Sender) -> str:
    """Who sent a letter: the person's name and function, or the committee's name."""
    parts = [site.archive.persons[sender.person].full_name] if sender.person else []
    parts += [sender.function] if sender.function else []
    if not parts and sender.committee:
        parts.append(site.archive.committees[sender.committee].name)
    return ", ".join(parts)


def _author(site: Site, document: Verslag | Letter) -> str:
    if isinstance(document, Letter):
        return sender_label(site, document.sender)
    if document.committee:
        return site.archive.committees[document.committee].name
    return CHAMBERS[document.chamber][0]  # a stuk that names no committee: its chamber


def first_paragraph(body_html: str) -> str:
    """The text of a rendered text's first paragraph, without its footnote numbers."""
    match = FIRST_PARAGRAPH.search(body_html)
    if not match:
        return ""
    text = TAG.sub("", FOOTNOTE_REFERENCE.sub("", match.group(0)))
    return " ".join(html.unescape(text).split())


def _date_of(document: Verslag | Letter) -> datetime.date:
    # A verslag that prints no date is dated at the start of its vergaderjaar, as it is listed.
    return document.date if isinstance(document, Letter) else document.sort_date


def _timestamp(date: datetime.date) -> str:
    """A document's date as an Atom date: noon UTC, which is that day in every time zone from
    UTC-11 to UTC+11 (the documents carry a date, no time)."""
    return f"{date.isoformat()}T12:00:00Z"


def _id(path: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, path)}"


def _text(text: str) -> str:
    """Text for XML character data or a double-quoted attribute."""
    return html.escape(NOT_XML.sub("", text), quote=True)
