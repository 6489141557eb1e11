"""The parts of a kamerstuk in its lines: head, kind, dates, committee, composition, signatures,
letters, headings and footnotes. Pure: a SourceDocument in, a Stuk out (or why it was skipped)."""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass, field

from .. import dutch
from .composition import PrintedSeat, parse_composition
from .bijlagen import bijlagen_identity
from .committee import SMALL_WORDS, committee_of
from .head import SERIES_NOTE, after_number, heading_references, identity, kind_heading
from .kinds import NUMBER_PREFIX, kind_of, looks_like_heading
from .source import SourceDocument
from .text import Paragraph, is_furniture, join_lines, join_with_breaks, layout

# The months as printed, with the spelling before 1955 ('October').
OLD_MONTHS = {"october": 10}
MONTH = "|".join((*dutch.MONTHS, *OLD_MONTHS))
DATE = re.compile(rf"(\d{{1,2}})\s*({MONTH})\s*(\d{{4}})", re.I)
# The rapporteurs' names that end a verslag of the Bijlagen: 'VAN BRAAMBEEK.', 'TERPSTRA. SURING.',
# 'Vastgesteld 20 Maart 1930. SUEING.'
RAPPORTEURS = re.compile(r"^(?:.*\d{4}\.\s+)?(?:(?:[A-Z]\.\s?)*[A-ZÀ-Ý][A-ZÀ-Ý'. -]{2,}\.\s*)+$")
# Before about 1940: 'den 30sten November 1912', 'den 2den Juli', 'den 1sten'.
OLD_DATE = re.compile(rf"(?:den\s+)?(\d{{1,2}})(?:ste[n]?|de[n]?|en)?\s*({MONTH})\s*(\d{{4}})", re.I)
# 'Vastgesteld 9 maart 1994', 'Aldus vastgesteld den 30sten November 1912', and before about 1900
# 'Vastgesteld door de Commissie van Rapporteurs den 24sten November 1893' or '... in de Commissie ...'.
ADOPTED = re.compile(rf"\bVastgesteld,?(?:\s+(?:door|in)\s+de[rn]?\s+[A-Za-z ]{{3,60}}?(?=\s+den\b))?\s*{OLD_DATE.pattern}", re.I)
PLACE_DATE = re.compile(rf"^([A-Z’'][\w’' .-]{{1,30}}?),\s*(\d{{1,2}})\s*({MONTH})\s*(\d{{4}})\.?$", re.I)
ADDRESSEE = re.compile(r"^Aan (de|het|den)\b")
KENMERK = re.compile(r"^(?:Uw |Ons )?kenmerk:?\s*(\S.*)$", re.I)
SIGNATURE_FUNCTION = re.compile(
    r"^(?:(?:De|Het|wnd\.?|waarnemend|eerste|Namens)\s+){0,3}(?:\w+\s+)?"
    r"(voorzitter|griffier|minister|staatssecretaris|minister-president|secretaris|rapporteurs?)\b", re.I)
NAME = re.compile(r"^(?:(?:[A-Z]\.\s?)+\s*)?(?:[A-Z][\w’'.-]*|van|de|der|den|ter|ten|het|la|le|d’|d')"
                  r"(?:[\s-]+(?:[A-ZÀ-Ý][\w’'.-]*|van|de|der|den|ter|ten|het|la|le|in|'t))*$")
# The head of a page of the nineteenth-century Handelingen, which print verslagen in the report
# of a sitting ('8ste VERGADERING. -8 DECEMBER 1893.', 'ZITTING VAN DEN 28STEN AUGUSTUS.', 'Vel 129.').
HANDELINGEN_PAGE = re.compile(r"\b\w{1,3}\s?(?:STE|DE|E)\s+(?:VERGADERING|ZITTING)\b|^ZITTING VAN DE\w?\b|^\S{0,2}\s?Vel \d+\.?$|\bste [vy]el\.?$",
                              re.I)


@dataclass(frozen=True)
class Signature:
    function: str
    name: str


@dataclass(frozen=True)
class Block:
    """A paragraph ('p', its lines as hard-broken groups) or a section heading ('h')."""

    kind: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class LetterPart:
    heading: str | None
    addressee: str | None
    place: str | None
    date: datetime.date | None
    kenmerk: str | None
    blocks: tuple[Block, ...]
    signature: Signature | None


@dataclass(frozen=True)
class Stuk:
    """A recognised kamerstuk, as printed; `unsure` lists (field, why) for the editor to check."""

    source: SourceDocument
    chamber: str
    session: str
    dossiers: tuple[tuple[str, str | None], ...]   # ('20200-XIII', title or None), the first is the stuk's
    number: str
    kind: str
    kind_heading: str
    date: datetime.date | None
    committee: str | None
    seats: tuple[PrintedSeat, ...]
    intro: tuple[Block, ...]
    signatures: tuple[Signature, ...]
    letters: tuple[LetterPart, ...]
    footnotes: dict[int, tuple[str, ...]]
    partial: bool
    unsure: tuple[tuple[str, str], ...] = field(default=())
    # A footnote whose reference is printed in a heading ('... VOOR FINANCIËN1'): its number and
    # the part whose heading it is (0 the stuk's own, n the n-th letter's).
    heading_references: tuple[tuple[int, int], ...] = ()

    @property
    def publication_id(self) -> str:
        """'kst-23400-XVI-85' (or 'bijlagen-ii-1929-1930-286-4' before 1945): the folder and URL of the stuk."""
        return dutch.publication_id(self.dossiers[0][0], self.number, self.chamber)


@dataclass(frozen=True)
class Skipped:
    """A document not imported: its kind (out of scope) or why it could not be read."""

    label: str
    kind: str
    reason: str


def recognise(document: SourceDocument) -> Stuk | Skipped:
    """The parts of a kamerstuk, or why it is skipped."""
    lines = [line for page in document.pages for line in page]
    heading_index, heading = kind_heading(lines)
    if heading is None:
        return Skipped(document.label, "onbekend", "no heading that names the kind of stuk")
    kind, in_scope = kind_of(heading)
    if not in_scope:
        return Skipped(document.label, kind, f"{kind}: not a verslag or letter")
    unsure: list[tuple[str, str]] = []
    head = lines[:heading_index]
    numbers = NUMBER_PREFIX.match(heading)
    if numbers:  # '(605. 1.) BRIEF VAN ...': the numbers' second printing opens the heading's line
        heading = heading[numbers.end():].strip()
    dated = _printed_date(lines)
    found = identity(head, lines, lines[heading_index], dated) or bijlagen_identity(
        head + ([numbers.group(0)] if numbers else []), lines, dated)
    if found is None and any(HANDELINGEN_PAGE.search(line) for line in lines[:8]):
        return Skipped(document.label, "handelingen", "a page of the Handelingen that prints a verslag")
    if found is None:
        return Skipped(document.label, "onleesbaar", "kamer, vergaderjaar, dossier or ondernummer not found")
    chamber, session, dossiers, number, notes = found
    unsure += notes
    # The body: everything after the heading line, with the rest of the heading line itself.
    continued = _heading_continues(document, heading_index, heading)
    pages = _without_own_footer(_body_pages(document, heading_index, heading, continued),
                                chamber, session, dossiers[0][0], number)
    if continued:
        heading = f"{heading} {lines[heading_index + 1].strip()}"
    if document.paragraph_per_line:
        # The OCR prints footnotes where the page had them, often above the heading; and a note
        # after the number ('De vroegere stukken zijn gedrukt in ...') is text of the stuk.
        # The Tweede Kamer's series an Eerste Kamer paper names ('(Tweede Kamer, zitting 1963)') is text too.
        notes = tuple(m.group(0).strip() for line in head if (m := SERIES_NOTE.match(line.strip())))
        notes += tuple(line for line in head if re.match(r"^\d{1,2}\s+[^\d\s]", line.strip())
                       or (after_number(head, line) and not is_furniture(line.strip())))
        pages = [notes + tuple(pages[0])] + list(pages[1:]) if pages else [notes]
    text = layout(pages, document.paragraph_per_line)
    paragraphs = list(text.paragraphs)
    date = _adopted(heading, paragraphs)
    if kind != "brief":  # the date is metadata: 'Vastgesteld 9 maart 1994' under the heading
        paragraphs = [p for i, p in enumerate(paragraphs) if i > 2 or not re.match(rf"^Vastgesteld,?\s*{DATE.pattern}\.?$", p.text)]
    letters, intro, signatures = _parts(paragraphs, kind, heading, document.paragraph_per_line)
    if not intro and not letters:
        return Skipped(document.label, "zonder tekst", "no text after the heading")
    if kind == "brief" and letters and letters[0].date:
        date = letters[0].date
    first_blocks = [*intro, *(block for letter in letters for block in letter.blocks)][:4]
    committee = committee_of(heading, [" ".join(block.lines) for block in first_blocks])
    if committee is None and kind == "verslag van de commissie voor de verzoekschriften" and (
            named := re.search(r"\bCommissie voor de Verzoekschriften\b", "\n".join(lines), re.I)):
        # 'De commissie, gezien ...': the kind's committee, named in the dossier's title or a footnote.
        committee = named.group(0)[0].lower() + named.group(0)[1:]
    seats = ()
    for number_, lines_ in text.footnotes.items():
        joined = join_lines(list(lines_))
        if re.match(r"^Samenstelling", joined) and not seats:
            seats = parse_composition(joined)
    first, last = dutch.session_bounds(session)
    latest_letter = max((letter.date for letter in letters), default=None)
    if date and not min(first, datetime.date(first.year, 7, 1)) <= date <= last:
        unsure.append(("vastgesteld", f"gedrukt {dutch.long_date(date)}, buiten "
                                      f"{dutch.session_label(session).lower()} {session}; weggelaten"))
        date = None
    elif date and latest_letter and latest_letter > date:
        unsure.append(("vastgesteld", f"gedrukt {dutch.long_date(date)}, vóór de brief van {dutch.long_date(latest_letter)}; weggelaten"))
        date = None
    elif date is None:
        unsure.append(("vastgesteld", "geen datum gevonden"))
    if kind != "brief" and committee is None:
        unsure.append(("commissie", "geen commissie gevonden"))
    partial = document.ocr and not _ends_complete(paragraphs, letters, signatures,
                                                  dutch.session_dossier(dossiers[0][0]) is not None)
    heading, references = heading_references(heading, text.footnotes)
    for position, letter in enumerate(letters, start=1):
        if letter.heading:
            letter_heading, in_letter = heading_references(letter.heading, text.footnotes)
            letters[position - 1] = dataclasses.replace(letter, heading=letter_heading)
            references += [(number, position) for number, _ in in_letter]
    if len(dossiers) > 1 and any(title is None for _, title in dossiers):
        dossiers = _enumerated_titles(dossiers, [p.text for p in paragraphs[:4]])
    return Stuk(document, chamber, session, tuple(dossiers), number, kind, heading, date, committee,
                tuple(seats), tuple(intro), tuple(signatures), tuple(letters), text.footnotes, partial,
                tuple(unsure), tuple(references))


# The words a heading printed over two lines may break after: 'Brief van de Minister van Oorlog
# naar aanleiding van ... het Verslag der Commissie voor de' 'Verzoekschriften omtrent ...'.
OPEN_ENDING = re.compile(r"\b(?:de|der|den|het|van|voor|tot|en|te|in|op|met|aan|over|omtrent|inzake|betreffende)$")


def _heading_continues(document: SourceDocument, heading_index: int, heading: str) -> bool:
    """Whether a heading in ordinary case goes on on the next line of the same page: it ends on a
    word that cannot end it ('... der Commissie voor de')."""
    if heading.isupper() or not OPEN_ENDING.search(heading.strip()):
        return False
    seen = 0
    for page in document.pages:
        if heading_index < seen + len(page):
            following = page[heading_index - seen + 1] if heading_index - seen + 1 < len(page) else ""
            return bool(following.strip()) and following.strip()[:1].isalpha() and not is_furniture(following)
        seen += len(page)
    return False


# A verslag on several bills names each in its text: '1°. vervanging van de inhoud ... (7271, zitting
# 1963); 2°. wijziging van de begroting ... (7625, zitting 1963—1964); ... 13°. ... (7810).'
ENUMERATED_BILL = re.compile(r"\b\d{1,2}\s?°\.\s*(.+?)\s*\((\d{1,2} ?\d{3})(?:,\s*zitting[^)]*)?\)\s*[;:.]")


def _enumerated_titles(dossiers, texts: list[str]):
    """The dossiers with the titles their verslag prints for them where the head printed none:
    each bill's words as printed, from its number to its dossier in brackets."""
    found: dict[str, str] = {}
    for text in texts:
        for match in ENUMERATED_BILL.finditer(text):
            found.setdefault(match.group(2).replace(" ", ""), match.group(1))
    return [(ident, title or found.get(ident)) for ident, title in dossiers]


def _body_pages(document: SourceDocument, heading_index: int, heading: str, continued: bool = False):
    """The document's pages from the heading line on, the heading itself (and the line it
    continues on, where `continued`) taken out."""
    pages, seen = [], 0
    for page in document.pages:
        if seen + len(page) <= heading_index:
            seen += len(page)
            continue
        start = max(0, heading_index - seen)
        rest = list(page[start:])
        if start >= 0 and seen <= heading_index:
            after = rest[0].split(heading, 1)[1].strip() if heading in rest[0] else ""
            rest = ([after] if after else []) + rest[1 + continued:]
            # pdftotext wraps a long heading over two lines ('BRIEF VAN DE ... VOOR' 'IMMIGRATIE ...').
        pages.append(tuple(rest))
        seen += len(page)
    return pages


def _without_own_footer(pages, chamber: str, session: str, dossier: str, number: str):
    """The pages without the stuk's own footer citation where the OCR ran it on at the end of a
    line of text ('... namelijk: Eerste Kamer, vergaderjaar 1983-1984, 17719, nr. 18a'). Only the
    stuk's own citation is furniture: a citation of another stuk is text."""
    main = r"\s?".join(dossier.split("-")[0])   # '17719' printed '17 719' or '1 7719'
    printed = r"\s*-\s*".join(session.split("-"))
    own = re.compile(rf"\s*{chamber.capitalize()} Kamer,\s*(?:vergaderjaar|zitting)\s*{printed},\s*"
                     rf"{main}\b[^,]*(?:,[^,]*)?,\s*nrs?\.\s*{re.escape(number)}\s*$", re.I)
    return [tuple(own.sub("", line) if own.search(line) and own.sub("", line).strip() else line for line in page)
            for page in pages]


def _printed_date(lines: list[str]) -> datetime.date | None:
    """The date a paper prints as its own: 'Vastgesteld ...', else a letter's place and date."""
    for line in lines:
        if (m := ADOPTED.search(line)) or (m := PLACE_DATE.match(line.strip())):
            return _date(*m.groups()[-3:])
    return None


def _adopted(heading: str, paragraphs: list[Paragraph]) -> datetime.date | None:
    """The 'Vastgesteld <date>' of a verslag: under the heading, or 'Aldus vastgesteld ...' at its end."""
    for text in (heading, *(p.text for p in paragraphs)):
        if (m := ADOPTED.search(text)):
            return _date(m.group(1), m.group(2), m.group(3))
    return None


def _date(day: str, month: str, year: str) -> datetime.date | None:
    try:
        month = month.lower()
        number = OLD_MONTHS[month] if month in OLD_MONTHS else dutch.MONTHS.index(month) + 1
        return datetime.date(int(year), number, int(day))
    except ValueError:
        return None


def _signature(paragraph: Paragraph, one_line: bool) -> Signature | None:
    """A signature: a function ('De griffier van de ...,') and a name ('Dragstra')."""
    lines = [line.strip() for line in paragraph.lines if line.strip()]
    if len(lines) >= 2 and not one_line:
        function, name = join_lines(lines[:-1]), lines[-1]
    else:
        text = join_lines(lines)
        if "," not in text:
            return None
        function, name = text.rsplit(",", 1)
        function, name = function + ",", name.strip()
    if not SIGNATURE_FUNCTION.match(function) or len(function) > 140 or not NAME.match(name) or len(name.split()) > 6:
        return None
    return Signature(function.strip(), name.strip())


def _parts(paragraphs: list[Paragraph], kind: str, heading: str, one_line: bool):
    """(letters, introduction blocks, introduction signatures)."""
    starts = []
    for index, paragraph in enumerate(paragraphs):
        text = paragraph.text
        if looks_like_heading(text) and re.match(r"^BRIEF VAN", text.upper()):
            starts.append(index)
        elif ADDRESSEE.match(text) and index + 1 < len(paragraphs) and PLACE_DATE.match(paragraphs[index + 1].text):
            if not (starts and starts[-1] == index - 1 and re.match(r"^BRIEF VAN", paragraphs[index - 1].text.upper())):
                starts.append(index)
    if kind == "brief":
        starts = [0] + [s for s in starts if s > 0]
    intro_paragraphs = paragraphs[:starts[0]] if starts else paragraphs
    letters = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(paragraphs)
        letter = _letter(paragraphs[start:end], kind == "brief" and position == 0, heading, one_line)
        if letter is None:  # no date or no text: what is printed stays where it is, in the introduction
            intro_paragraphs = intro_paragraphs + paragraphs[start:end]
        else:
            letters.append(letter)
    intro, signatures = [], []
    for paragraph in intro_paragraphs:
        signature = _signature(paragraph, one_line)
        if signature:
            signatures.append(signature)
        else:
            intro.append(_block(paragraph))
    return letters, intro, signatures


def _letter(paragraphs: list[Paragraph], whole_stuk: bool, heading: str, one_line: bool) -> LetterPart | None:
    rest = list(paragraphs)
    kop = heading if whole_stuk else None
    if rest and not whole_stuk and looks_like_heading(rest[0].text):
        kop = rest.pop(0).text
    addressee = place = date = kenmerk = None
    while rest and (addressee is None or date is None):
        text = rest[0].text
        if ADDRESSEE.match(text) and addressee is None:
            addressee = text
        elif (m := PLACE_DATE.match(text)) and date is None:
            place, date = m.group(1).strip(), _date(m.group(2), m.group(3), m.group(4))
        elif (m := KENMERK.match(text)) and kenmerk is None:
            kenmerk = m.group(1)
        else:
            break
        rest.pop(0)
    preamble = []
    if date is None and whole_stuk:
        # A stuk that is one letter: what the OCR printed before its place and date (a note
        # 'De vroegere stukken zijn gedrukt in ...' run into the addressee) is the letter's text.
        at = next((i for i, p in enumerate(rest[:4]) if PLACE_DATE.match(p.text)), None)
        if at is not None:
            m = PLACE_DATE.match(rest[at].text)
            place, date = m.group(1).strip(), _date(m.group(2), m.group(3), m.group(4))
            preamble, rest = rest[:at], rest[at + 1:]
    if date is None:
        return None
    if addressee is None and len(rest) > 1 and ADDRESSEE.match(rest[-1].text):
        addressee = rest.pop().text  # the 1950s print the addressee under the signature
    signature = None
    for index in range(len(rest) - 1, -1, -1):
        signature = _signature(rest[index], one_line)
        if signature:
            rest = rest[:index] + rest[index + 1:]
            break
        # The OCR prints the function and the name as lines of their own: 'De Minister van Oorlog,' 'C. STAF.'
        if one_line and index > 0 and rest[index - 1].text.endswith(","):
            signature = _signature(Paragraph(rest[index - 1].lines + rest[index].lines, rest[index - 1].page), False)
            if signature:
                rest = rest[:index - 1] + rest[index + 1:]
                break
    blocks = [_block(p) for p in preamble + rest]
    if not blocks:  # a head and no text (the record ends there): no letter, as with no date
        return None
    return LetterPart(kop, addressee, place, date, kenmerk, tuple(blocks), signature)


def _block(paragraph: Paragraph) -> Block:
    """A section heading (a short line with no closing punctuation) or a paragraph."""
    text = paragraph.text
    words = text.split()
    if (0 < len(words) <= 14 and text[:1].isupper() and not re.search(r"[.,;:!?]$", text)
            and not DATE.search(text) and "(" not in text[:3] and not looks_like_heading(text)
            and not re.match(r"^(?:Nrs?|No)\.\s*\d", text) or  # the 1950s' 'No. 2' is no section heading
            re.match(r"^(Hoofdstuk|§)\s", text) and len(words) <= 14):
        return Block("h", (text,))
    return Block("p", tuple(join_with_breaks(list(paragraph.lines))))


def _ends_complete(paragraphs, letters, signatures, bijlagen: bool) -> bool:
    """Whether the text ends as a whole paper does: on a signature; a paper of the Bijlagen
    before 1945 on its rapporteurs' names in capitals ('VAN BRAAMBEEK.', 'TERPSTRA. SURING.'),
    whatever specks the scan adds after them."""
    if letters:
        return letters[-1].signature is not None
    text = [p.text for p in paragraphs if sum(c.isalpha() for c in p.text) >= 2]
    return bool(signatures) or bijlagen and bool(text) and RAPPORTEURS.match(text[-1]) is not None
