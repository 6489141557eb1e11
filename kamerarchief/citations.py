"""Kamerstuk citations in running text: recognised in the words as printed, linked where they lead.

A citation names a dossier and an ondernummer in one of the forms real papers print:
"Kamerstukken II 1987/88, 20 200 XIII, nr. 114", "Kamerstukken I 2020/21, 19637, H",
"Kamerstuk 21 501-32, nr. 1703", "Tweede Kamer, zitting 1981-1982, 16 696, nr. 107",
"Bijlagen Handelingen II 1987/88, 20 200 hoofdstuk XIII, nr. 114", "kst-19637-H", with several
numbers ("nrs. 12 en 13"). Only a citation that names its dossier is recognised: a bare "nr. 24"
could belong to any dossier, and a link must never be wrong.

Recognising is pure and depends on the text alone, so that rendered prose can be cached by its
content. Where a citation leads depends on the archive (the stuk's page, else its dossier's page,
else officielebekendmakingen.nl, which has no kamerstukken from before vergaderjaar 1995-1996
under their kst- address): markup writes a placeholder link that CitationTargets.fill_in fills in
when a page is rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from . import dutch
from .model import OFFICIAL_FROM_SESSION, Archive, url_for

SPACE = r"\s"  # in Python, also the no-break and thin spaces that print a dossier number
SESSION = r"\d{4}(?:\s*[/\-\u2013]\s*\d{2,4})?"
CHAMBER = rf"(?:I{{1,2}}|(?:Eerste|Tweede){SPACE}+[Kk]amer)"
ROMAN = r"[IVXLC]+[AB]?"
MONTH = "|".join(dutch.MONTHS)

# The words before the dossier number; each form names a series of kamerstukken.
_PREFIX = (
    # Kamerstukken II 1992/93, ... | kamerstukken I, 1985-1986, ... | Kamerstuk 21 501-32 | kamerstuk onder 18 647
    rf"(?<!\w)(?<!\w-)[Kk]amerstuk(?:ken)?(?:,?{SPACE}+{CHAMBER})?(?:,?{SPACE}+{SESSION})?,?\s+(?:onder\s+)?"
    # Bijlagen Handelingen II 1987/88, ... | Bijlage bij de Handelingen Tweede Kamer 1966/1967, ...
    rf"|(?<!\w)(?<!\w-)Bijlagen?{SPACE}+(?:bij{SPACE}+de{SPACE}+)?Handelingen(?:{SPACE}+{CHAMBER})?,?{SPACE}+{SESSION},?\s+"
    # Tweede Kamer, zitting 1981-1982, ... | Tweede Kamerzitting 1979-1980,... | (vergaderjaar 1984-1985, ...
    rf"|(?:(?<!\w)(?<!\w-)(?:Eerste|Tweede){SPACE}+[Kk]amer,?{SPACE}*|(?<=\())(?:[Zz]itting|[Vv]ergaderjaar){SPACE}+{SESSION},\s*"
)

# A dossier: '19 637', '19637', '9300'; a rijkswet number is printed after it: '18826 (R 1275)'.
_DOSSIER = (rf"(?P<dossier>\d{{1,3}}{SPACE}\d{{3}}|\d{{4,6}})(?![\d\w])(?:{SPACE}*\(R{SPACE}?\d+\))?"
            # A toevoeging: '21 501-07', '18 100-XII', '20 200 XIII', '20 200, hoofdstuk XIII', '18100, XVI'
            rf"(?:-(?P<numbered>\d{{1,3}})(?![\d\w])|-(?P<hyphened>{ROMAN})(?![\w])"
            rf"|,?{SPACE}+(?:(?:[Hh]oofdstuk|hfdst\.){SPACE}+)?(?P<chapter>{ROMAN})(?![\w]))?")

# One ondernummer: '114', '27e', 'H', 'AI'. Not when a dossier or a date follows ('nr. 17 en 20 382, nr. 3').
_NUMBER = rf"(?:\d{{1,4}}[a-z]{{0,2}}|[A-Z]{{1,3}})(?![\w])(?!{SPACE}\d|{SPACE}+(?:{MONTH})\b)"
# After 'nr.' only 'en' and 'resp.' join numbers ('nr. 24 en 25'); after 'nrs.' also commas and
# ranges ('nrs. 1-3', 'nrs. 2 t/m 10'), of which both ends are linked.
_AND = rf"(?:,?{SPACE}+en|,?{SPACE}+resp\.|,?{SPACE}+respectievelijk){SPACE}*(?:nrs?\.?{SPACE}*)?"
_LIST = rf"(?:{_AND}|(?:,|{SPACE}*-{{1,2}}|{SPACE}+t/m|{SPACE}+tot en met){SPACE}*)"

_CITATION = re.compile(
    rf"(?:{_PREFIX}){_DOSSIER}"
    rf"(?:,?\s*nrs\.?{SPACE}*(?P<first>{_NUMBER})(?P<more>(?:{_LIST}{_NUMBER})*)"
    rf"|,?\s*nr\.?{SPACE}*(?P<single>{_NUMBER})(?P<also>(?:{_AND}{_NUMBER})*)"
    # The Eerste Kamer's ondernummer after a comma alone: 'Kamerstukken I 2020/21, 19637, H'.
    rf"|,{SPACE}*(?P<letter>[A-Z]{{1,3}})(?![\w]))")

_FIRST_CHAMBER = re.compile(r"(?<!\w)(?:I|Eerste)(?!\w)")
_ROMAN_NUMERAL = re.compile(r"[IVXLC]{2,}")
_MORE_NUMBER = re.compile(rf"(?<=[\s\-./])({_NUMBER})")

# 'kst-19637-H', 'kst-36600-VII-12', 'kst-21501-32-1703': publication ids as printed, not inside an address.
_PUBLICATION_ID = re.compile(r"(?<![\w/.\-])kst-(?P<dossier>\d{1,6})(?:-(?P<addition>[A-Za-z0-9]{1,6}))?"
                             r"-(?P<number>[A-Za-z0-9]{1,6})(?![\w\-])")


def _may_cite(text: str) -> bool:
    """Whether `text` has a word every citation has: texts without one (most paragraphs) are not
    scanned any further. Plain substring searches, spelled out: many times faster than a pattern
    of alternatives, and than any() over a tuple."""
    return "amerstuk" in text or "itting" in text or "ergaderjaar" in text or "Handelingen" in text or "kst-" in text


OFFICIAL = "https://zoek.officielebekendmakingen.nl/{}.html"
PLACEHOLDER_SCHEME = "kamerstuk:"
_BEFORE_OFFICIAL = "?voor-1995"  # marks the placeholder of a citation that prints an older vergaderjaar
# A citation's link text is text and line breaks, never another link (see mark_citations).
_PLACEHOLDER = re.compile(r'<a href="kamerstuk:(kst-[A-Za-z0-9\-]+)(\?voor-1995)?" class="ref ref-kamerstuk">'
                          r'(.*?)</a>', re.DOTALL)
_SESSION = re.compile(SESSION)
_FIRST_OFFICIAL_YEAR = int(OFFICIAL_FROM_SESSION[:4])


@dataclass(frozen=True)
class Citation:
    """Printed words, text[start:end], that cite the kamerstuk of `dossier` ('20200-XIII') and `number`."""

    start: int
    end: int
    dossier: str
    number: str
    first_year: int | None = None  # of the vergaderjaar or zitting the words print, if any

    @property
    def publication_id(self) -> str:
        """'kst-20200-XIII-114', as officielebekendmakingen.nl names the stuk."""
        return dutch.publication_id(self.dossier, self.number)

    @property
    def before_official(self) -> bool:
        """Whether the words date the stuk before vergaderjaar 1995-1996: officielebekendmakingen.nl
        has no copy of it under its kst- address (Staten-Generaal Digitaal holds the scans)."""
        return self.first_year is not None and self.first_year < _FIRST_OFFICIAL_YEAR

    @property
    def placeholder(self) -> str:
        """The href markup gives the citation until the page is rendered (see CitationTargets)."""
        return PLACEHOLDER_SCHEME + self.publication_id + (_BEFORE_OFFICIAL if self.before_official else "")


def cited_id(placeholder: str) -> str:
    """'kst-14406-56' from a citation's placeholder href."""
    return placeholder.removeprefix(PLACEHOLDER_SCHEME).removesuffix(_BEFORE_OFFICIAL)


def find_citations(text: str) -> list[Citation]:
    """Every kamerstuk citation in `text`, in order; one per ondernummer ('nrs. 12 en 13' gives two).

    The first covers the words from the series to its number, each further one its number alone.
    """
    if not _may_cite(text):
        return []
    found = []
    for match in _CITATION.finditer(text):
        dossier = re.sub(SPACE, "", match["dossier"])
        addition = match["numbered"] or match["hyphened"] or match["chapter"]
        if addition:
            dossier = f"{dossier}-{addition}"
        session = _SESSION.search(text, match.start(), match.start("dossier"))
        year = int(session[0][:4]) if session else None
        if match["letter"]:
            # Only the Eerste Kamer numbers its stukken with letters; 'XVI' after a dossier is
            # rather its hoofdstuk ('kamerstuk 18100, XVI') than the stuk XVI.
            series = text[match.start():match.start("dossier")]
            if _FIRST_CHAMBER.search(series) and not _ROMAN_NUMERAL.fullmatch(match["letter"]):
                found.append(Citation(match.start(), match.end(), dossier, match["letter"], year))
            continue
        first, more = ("first", "more") if match["first"] else ("single", "also")
        found.append(Citation(match.start(), match.end(first), dossier, match[first], year))
        offset = match.start(more)
        for more in _MORE_NUMBER.finditer(match[more]):
            found.append(Citation(offset + more.start(1), offset + more.end(1), dossier, more[1], year))
    for match in _PUBLICATION_ID.finditer(text):
        dossier = match["dossier"] + (f"-{match['addition']}" if match["addition"] else "")
        if not any(c.start <= match.start() < c.end for c in found):
            found.append(Citation(match.start(), match.end(), dossier, match["number"]))
    return sorted(found, key=lambda c: c.start)


def dossier_of(publication_id: str) -> str:
    """'20200-XIII' from 'kst-20200-XIII-114'."""
    return publication_id.split("-", 1)[1].rsplit("-", 1)[0]


def dependency_keys(publication_ids) -> set[str]:
    """What a text citing these stukken must be rendered again for: a verslag or a dossier that
    is added or removed under that (case-folded) id changes where the citation leads."""
    keys = set()
    for ident in publication_ids:
        keys |= {f"kamerstuk:{ident.casefold()}", f"kamerstuk-dossier:{dossier_of(ident).casefold()}"}
    return keys


def text_dependency_keys(text) -> set[str]:
    """What a rendered text with its citations filled in must be made again for (see dependency_keys)."""
    return dependency_keys(cited_id(r.href) for r in text.references if r.kind == "kamerstuk")


class CitationTargets:
    """Where citations lead in one archive: the stuk's page, its dossier's page, or the official copy.

    Ids are compared case-insensitively, as the build compares them ('kst-20200-xiii-114' is the
    archive's 'kst-20200-XIII-114'): two records never differ in case only.
    """

    def __init__(self, archive: Archive):
        self.archive = archive
        # A stuk printed under several dossiers is cited under each of them ('kst-15144-30' is
        # the archive's 'kst-15143-30' when that is printed under 15 143 and 15 144).
        self.verslagen = {dutch.publication_id(dossier, verslag.number).casefold(): ident
                          for ident, verslag in archive.verslagen.items() for dossier in verslag.dossiers}
        # A stuk's own id wins over another stuk's second dossier that happens to give the same id.
        self.verslagen.update({ident.casefold(): ident for ident in archive.verslagen})
        self.dossiers = {number.casefold(): number for number in archive.dossiers}

    def link(self, publication_id: str, before_official: bool = False) -> str:
        """The opening tag of the link for a citation of `publication_id`; for a stuk older than
        officielebekendmakingen.nl's kamerstukken that the archive lacks, no link but a span."""
        held = self.verslagen.get(publication_id.casefold())
        if held is not None:
            return f'<a href="{url_for("verslag", held)}" class="ref ref-kamerstuk">'
        dossier = self.dossiers.get(dossier_of(publication_id).casefold())
        if dossier is not None:
            return (f'<a href="{url_for("dossier", dossier)}" class="ref ref-kamerstuk" title="Dit stuk is niet '
                    f'in het archief: de link gaat naar dossier {dutch.printed_dossier_number(dossier)}">')
        if before_official:
            return ('<span class="ref-kamerstuk" title="Niet in het archief. Kamerstukken van vóór vergaderjaar '
                    '1995-1996 staan niet onder dit nummer op officielebekendmakingen.nl; de gescande versie is '
                    'te vinden via Staten-Generaal Digitaal.">')
        return (f'<a href="{OFFICIAL.format(publication_id)}" class="ref ref-kamerstuk" rel="external" '
                f'title="Niet in het archief: de officiële versie op officielebekendmakingen.nl">')

    def fill_in(self, html: str) -> str:
        """Rendered prose with each placeholder link of a citation made a link to where it leads
        (or, where there is no such place, the printed words marked as a citation)."""
        def filled(match: re.Match) -> str:
            opening = self.link(match[1], bool(match[2]))
            return f"{opening}{match[3]}{'</span>' if opening.startswith('<span') else '</a>'}"
        return _PLACEHOLDER.sub(filled, html)


def mark_citations(children: list[Token]) -> list[Token]:
    """The inline tokens of a paragraph or footnote with each citation in its plain text put
    inside a placeholder link (meta 'citation': the publication id), its words unchanged.

    A citation may run over a line break but not into a marked link, emphasis or code: text
    already inside a link is left alone.
    """
    if not _may_cite("".join(child.content for child in children)):
        return children  # most paragraphs: nothing to look for
    result: list[Token] = []
    run: list[Token] = []
    depth = 0
    for child in children:
        if depth == 0 and child.type in ("text", "softbreak"):
            run.append(child)
            continue
        result.extend(_mark_run(run))
        run = []
        depth += 1 if child.type == "link_open" else -1 if child.type == "link_close" else 0
        result.append(child)
    result.extend(_mark_run(run))
    return result


def _mark_run(run: list[Token]) -> list[Token]:
    """A run of text and line breaks with its citations marked."""
    text = "".join(token.content if token.type == "text" else "\n" for token in run)
    citations = find_citations(text) if any(token.type == "text" for token in run) else []
    if not citations:
        return run
    result: list[Token] = []
    position = 0  # of the start of the current token in `text`
    for token in run:
        length = len(token.content) if token.type == "text" else 1
        cuts = sorted({c.start - position for c in citations if position < c.start < position + length}
                      | {c.end - position for c in citations if position < c.end < position + length})
        pieces = ([token] if token.type != "text" or not cuts else
                  [_text(token.content[a:b]) for a, b in zip([0, *cuts], [*cuts, length])])
        for piece in pieces:
            length_of_piece = len(piece.content) if piece.type == "text" else 1
            for citation in citations:
                if citation.start == position:
                    opening = Token("link_open", "a", 1)
                    opening.meta["citation"] = citation.publication_id
                    opening.meta["placeholder"] = citation.placeholder
                    result.append(opening)
            result.append(piece)
            position += length_of_piece
            if any(citation.end == position for citation in citations):
                result.append(Token("link_close", "a", -1))
    return result


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token
