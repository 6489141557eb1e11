"""The parts of a kamerstuk in its lines: head, kind, dates, committee, composition, signatures,
letters, headings and footnotes. Pure: a SourceDocument in, a Stuk out (or why it was skipped)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .. import dutch
from .composition import PrintedSeat, parse_composition
from .kinds import capitals_prefix, kind_of, looks_like_heading
from .source import SourceDocument
from .text import FOOTNOTE_START, Paragraph, is_furniture, join_lines, join_with_breaks, layout

# The months as printed, with the spelling before 1955 ('October').
OLD_MONTHS = {"october": 10}
MONTH = "|".join((*dutch.MONTHS, *OLD_MONTHS))
DATE = re.compile(rf"(\d{{1,2}})\s*({MONTH})\s*(\d{{4}})", re.I)
SESSION = re.compile(r"\b(Vergaderjaar|Zitting)\s*(\d{4})\s*[-–—]\s*(\d{4})", re.I)
# 1945-1950: the Handelingen's bijlagen, dossier and number on a line, the session at the foot.
BIJLAGEN_NUMBER = re.compile(r"^(\d{3,5})(?: ([IVXLC]+[A-Z]?))? (\d{1,3}[a-z]?)\.?$")
BIJLAGEN_SESSION = re.compile(r"Bijlagen\.? (\d{4})\s*[-–—]\s*(\d{4})")
FIRST_CONTINUOUS_SESSION = 1945
# The head's own line; 'De vroegere stukken zijn gedrukt in de zitting 1977-1978' is not it.
HEAD_SESSION = re.compile(r"^(Vergaderjaar|Zitting)\s*(\d{4})\s*[-–—]\s*(\d{4})", re.I)
CHAMBER = re.compile(r"\b(Eerste|Tweede) Kamer", re.I)
# An ondernummer: '85', '22a', '11 c' (the OCR's space), or an Eerste Kamer letter 'H'.
ONDERNUMMER = r"([0-9]{1,4}(?:\s?[a-z](?![a-z)]))?)"
NUMBER_MARK = r"(?:Nrs?|No)\.?"   # 'Nr. 85'; the 1950s print 'No. 7'
NUMBER_LINE = re.compile(rf"\b{NUMBER_MARK}\s*(?:{ONDERNUMMER}|([A-Z]{{1,3}}))\b")
DOSSIER_LINE = re.compile(r"^(\d{1,2} ?\d{3})(?:\s*\((R ?\d+)\))?(?:[ -]([IVXLC]+[A-Z]?|[A-Z]{1,2}|\d{1,2})\b)?(?:\s+(.*))?$")
FOOTER = re.compile(r"(Eerste|Tweede) Kamer,\s*(?:vergaderjaar|zitting)\s*(\d{4})\s*[-–]\s*(\d{4}),\s*(.+?),?\s*"
                    rf"nrs?\.\s*{ONDERNUMMER}", re.I)
# The modern Eerste Kamer footer: '... 19 637, H 1' (the letter, then the page number).
FOOTER_LETTER = re.compile(r"(Eerste) Kamer,\s*vergaderjaar\s*(\d{4})\s*[-–]\s*(\d{4}),\s*(.+?),\s*([A-Z]{1,3})(?:\s+\d+)?$")
PLACE_DATE = re.compile(rf"^([A-Z’'][\w’' .-]{{1,30}}?),\s*(\d{{1,2}})\s*({MONTH})\s*(\d{{4}})\.?$", re.I)
ADDRESSEE = re.compile(r"^Aan (de|het|den)\b")
KENMERK = re.compile(r"^(?:Uw |Ons )?kenmerk:?\s*(\S.*)$", re.I)
SIGNATURE_FUNCTION = re.compile(
    r"^(?:(?:De|Het|wnd\.?|waarnemend|eerste|Namens)\s+){0,3}(?:\w+\s+)?"
    r"(voorzitter|griffier|minister|staatssecretaris|minister-president|secretaris|rapporteurs?)\b", re.I)
NAME = re.compile(r"^(?:(?:[A-Z]\.\s?)+\s*)?(?:[A-Z][\w’'.-]*|van|de|der|den|ter|ten|het|la|le|d’|d')"
                  r"(?:[\s-]+(?:[A-ZÀ-Ý][\w’'.-]*|van|de|der|den|ter|ten|het|la|le|in|'t))*$")
COMMITTEE = re.compile(r"((?:vaste|bijzondere|algemene)\s+[Cc]ommissies?\s+(?:voor|van|uit)\s+[^,.;:()]+?)"
                       r"(?=\s*(?:\d{1,2}\b|['’^*]|\s(?:heeft|hebben|is|zijn|brengt|acht|heeft)\b|,|$))")
KIND_COMMITTEE = re.compile(r"VAN DE (?:VASTE |BIJZONDERE )?COMMISSIE (?:VOOR|VAN) (.+?)(?:\d|\s+VASTGESTELD|$)", re.I)
# Kinds that a head may name in ordinary case on a line of their own.
MIXED_CASE_KINDS = {"amendement", "motie", "memorie van toelichting", "memorie van antwoord", "nota",
                    "koninklijke boodschap", "wetsvoorstel", "advies raad van state"}
SMALL_WORDS = {"en", "van", "voor", "de", "het", "der", "den", "op", "in", "te", "met", "tot", "uit", "aan"}


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

    @property
    def publication_id(self) -> str:
        return dutch.publication_id(self.dossiers[0][0], self.number)


@dataclass(frozen=True)
class Skipped:
    """A document not imported: its kind (out of scope) or why it could not be read."""

    label: str
    kind: str
    reason: str


def recognise(document: SourceDocument) -> Stuk | Skipped:
    """The parts of a kamerstuk, or why it is skipped."""
    lines = [line for page in document.pages for line in page]
    heading_index, heading = _kind_heading(lines)
    if heading is None:
        return Skipped(document.label, "onbekend", "no heading that names the kind of stuk")
    kind, in_scope = kind_of(heading)
    if not in_scope:
        return Skipped(document.label, kind, f"{kind}: not a verslag or letter")
    unsure: list[tuple[str, str]] = []
    head = lines[:heading_index]
    identity = _identity(head, lines, lines[heading_index])
    if identity is None:
        return Skipped(document.label, "onleesbaar", "kamer, vergaderjaar, dossier or ondernummer not found")
    chamber, session, dossiers, number, notes = identity
    unsure += notes
    # The body: everything after the heading line, with the rest of the heading line itself.
    pages = _body_pages(document, heading_index, heading)
    if document.paragraph_per_line:
        # The OCR prints footnotes where the page had them, often above the heading; and a note
        # after the number ('De vroegere stukken zijn gedrukt in ...') is text of the stuk.
        notes = tuple(line for line in head if re.match(r"^\d{1,2}\s+[^\d\s]", line.strip())
                      or (_after_number(head, line) and not is_furniture(line.strip())))
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
    committee = _committee(heading, intro, letters)
    seats = ()
    for number_, lines_ in text.footnotes.items():
        joined = join_lines(list(lines_))
        if re.match(r"^Samenstelling", joined) and not seats:
            seats = parse_composition(joined)
    first, last = dutch.session_bounds(session)
    latest_letter = max((letter.date for letter in letters), default=None)
    if date and not datetime.date(first.year, 7, 1) <= date <= last:
        unsure.append(("vastgesteld", f"gedrukt {dutch.long_date(date)}, buiten vergaderjaar {session}; weggelaten"))
        date = None
    elif date and latest_letter and latest_letter > date:
        unsure.append(("vastgesteld", f"gedrukt {dutch.long_date(date)}, vóór de brief van {dutch.long_date(latest_letter)}; weggelaten"))
        date = None
    elif date is None:
        unsure.append(("vastgesteld", "geen datum gevonden"))
    if kind != "brief" and committee is None:
        unsure.append(("commissie", "geen commissie gevonden"))
    partial = document.ocr and not _ends_complete(paragraphs, letters, signatures)
    return Stuk(document, chamber, session, tuple(dossiers), number, kind, heading, date, committee,
                tuple(seats), tuple(intro), tuple(signatures), tuple(letters), text.footnotes, partial,
                tuple(unsure))


def _kind_heading(lines: list[str]) -> tuple[int, str | None]:
    """The first line in capitals that names a kind (skipping the chamber's name, titles and the
    like); failing that, the first line in capitals, or a line that names a kind out of scope in
    ordinary case ('Amendement van de heer ...')."""
    first = None
    for index, line in enumerate(lines[:60]):
        text = line.strip()
        if not text or is_furniture(text) or HEAD_SESSION.match(text) or re.match(r"^(EERSTE|TWEEDE) KAMER", text):
            continue
        if re.match(r"^Aanhangsel\b", text):
            return index, "AANHANGSEL"
        candidate = re.sub(r"^[A-Z]{1,2}\s{2,}", "", text)  # 'H  VERSLAG ...': the ondernummer first
        if looks_like_heading(candidate) and not re.match(r"^(ZITTING|VERGADERJAAR|STATEN|BIJLAGEN)\b", candidate):
            heading = capitals_prefix(candidate)
            if kind_of(heading)[0] != "onbekend":
                return index, heading
            first = first or (index, heading)
        elif text[:1].isupper() and kind_of(text)[0] in MIXED_CASE_KINDS:
            return index, text.upper()
        elif re.fullmatch(r"(Verslag van een (schriftelijk|mondeling|algemeen) overleg|Verslag|Eindverslag|Voorlopig verslag)\.?", text) \
                or re.match(r"^Brief van de[n]? (Minister|Staatssecretaris)\b", text):
            return index, text
    return first or (0, None)


def _identity(head: list[str], lines: list[str], heading: str):
    """(chamber, session, [(dossier id, title)], ondernummer) from the head, the footer filling gaps."""
    chamber = session = number = None
    dossiers: list[tuple[str, str | None]] = []
    notes: list[tuple[str, str]] = []
    rijkswet: dict[str, str] = {}
    titles: list[str] = []
    for line in head:
        text = line.strip()
        if chamber is None and (m := CHAMBER.search(text)):
            chamber = m.group(1).lower()
        if (m := HEAD_SESSION.match(text)) and session is None:
            session = f"{m.group(2)}-{m.group(3)}"
            rest = text[m.end():]
            if (n := NUMBER_LINE.search(rest)):
                number = (n.group(1) or n.group(2)).replace(" ", "")
            # 1960s-70s: 'Zitting 1971-1972 — 8811', the dossier on the session's line.
            if re.match(r"^\s*[-–—]\s*\d", rest):
                for ident, law in _numbered(rest):
                    dossiers.append((ident, None))
                    rijkswet.update({ident: law} if law else {})
            continue
        if _dossier_list(text):
            for ident, law in _numbered(text):
                dossiers.append((ident, None))
                rijkswet.update({ident: law} if law else {})
            continue
        if (m := re.match(rf"^{NUMBER_MARK}\s*{ONDERNUMMER}", text)):
            number = m.group(1).replace(" ", "")
            continue
        if (m := BIJLAGEN_NUMBER.match(text)) and chamber and all(d.split("-")[0] == m.group(1) for d, _ in dossiers):
            # 1945-1950: 'Bijlagen' '2267' '1' 'Tweede Kamer' ... '2267 1', dossier and number on one line
            dossiers = [(m.group(1) + (f"-{m.group(2)}" if m.group(2) else ""), None)]
            number = m.group(3)
            continue
        if (m := DOSSIER_LINE.match(text)) and len(m.group(1).replace(" ", "")) >= 4 and not _is_year(m.group(1)):
            ident = m.group(1).replace(" ", "") + (f"-{m.group(3)}" if m.group(3) else "")
            dossiers.append((ident, m.group(4)))
            if m.group(2):  # a rijkswet's number belongs to the dossier: '22 855 (R 1451)'
                rijkswet[ident] = f"({m.group(2)})"
            continue
        if (chapter := re.match(r"^Hoofdstuk\s+([IVXLC]+[A-Z]?)\b", text)) and dossiers and "-" not in dossiers[0][0]:
            dossiers[0] = (f"{dossiers[0][0]}-{chapter.group(1)}", dossiers[0][1])
        if (not text or is_furniture(text) or FOOTNOTE_START.match(text) or _after_number(head, line)
                or len(text) <= 3):
            continue
        titles.append(text)
    if number is None:  # 1960s-70s: 'Nr. 7' under the heading
        following = lines[len(head) + 1:len(head) + 3]
        number = next((m.group(1).replace(" ", "") for l in following
                       if (m := re.match(rf"^{NUMBER_MARK}\s*{ONDERNUMMER}", l.strip()))), None)
    if number is None and (m := NUMBER_LINE.search(heading)):  # 'BRIEF VAN DE MINISTER ... No. 23'
        number = (m.group(1) or m.group(2)).replace(" ", "")
    if (m := re.match(r"^([A-Z]{1,3})\s{2,}", heading.strip())):
        number = number or m.group(1)  # 'H  VERSLAG VAN ...': the Eerste Kamer's letter first
    footer = next((m for line in lines if (m := FOOTER.search(line.strip()) or FOOTER_LETTER.search(line.strip()))), None)
    if footer:
        chamber = chamber or footer.group(1).lower()
        session = session or f"{footer.group(2)}-{footer.group(3)}"
        number = number or footer.group(5).replace(" ", "")
        # The footer is the paper's own citation: where the head was misread, it decides.
        printed = re.match(r"^(\d{1,2} ?\d{3})(?:[ ,]*(?:hfdst\.|hoofdstuk)?\s*([IVXLC]+|[A-Z]{1,2})\b)?", footer.group(4))
        if printed and not any(d.split("-")[0] == printed.group(1).replace(" ", "") for d, _ in dossiers):
            ident = printed.group(1).replace(" ", "") + (f"-{printed.group(2)}" if printed.group(2) else "")
            dossiers = [(ident, None)]
    if chamber is None and session and dossiers and number and HEAD_SESSION.match(head[0].strip() if head else ""):
        # The Tweede Kamer's head of the 1960s and 70s names no chamber ('Zitting 1971-1972 — 8811');
        # the Eerste Kamer's always does.
        chamber = "tweede"
        notes.append(("kamer", "de kamer is niet gedrukt; gelezen als Tweede Kamer"))
    if session is None and (m := BIJLAGEN_SESSION.search("\n".join(lines[-4:]))):
        session = f"{m.group(1)}-{m.group(2)}"
    if session and int(session[:4]) < FIRST_CONTINUOUS_SESSION and not FOOTER.search("\n".join(lines)):
        return None  # before 1945 dossiers were numbered anew each session: no id tells them apart
    if not (chamber and session and dossiers and number):
        return None
    start, end = int(session[:4]), int(session[5:])
    if end != start + 1:
        return None
    if len(titles) == len(dossiers) > 1 and all(title is None for _, title in dossiers):
        dossiers = [(ident, title) for (ident, _), title in zip(dossiers, titles)]  # one title a dossier
    elif titles and dossiers[0][1] is None:
        dossiers[0] = (dossiers[0][0], " ".join(titles))
    dossiers = [(ident, " ".join(filter(None, (title, rijkswet.get(ident)))) or None) for ident, title in dossiers]
    return chamber, session, dossiers, number, notes


def _numbered(text: str) -> list[tuple[str, str | None]]:
    """The dossier numbers in a text, each with its rijkswet number: [('8017', '(R 469)'), ...]."""
    return [(number.replace(" ", ""), f"(R {law})" if law else None)
            for number, law in re.findall(r"\b(\d{1,2} ?\d{3})\b(?!\))(?:\s*\(R ?(\d+)\))?", text)]


def _dossier_list(text: str) -> list[str]:
    """'12712, 12770, 12 916 (R 951) en 12 967': a line of dossier numbers only."""
    text = re.sub(r"\s*\((?:R ?\d+|Tweede Kamer|Eerste Kamer)\)", "", text.strip().rstrip(".,"))
    parts = re.split(r"\s*,\s*|\s+en\s+", text)
    if len(parts) < 2 or not all(re.fullmatch(r"\d{1,2} ?\d{3}", p) for p in parts):
        return []
    return [p.replace(" ", "") for p in parts]


def _after_number(head: list[str], line: str) -> bool:
    """Whether a head line stands after the 'Nr. 5' line (a note, not part of the title)."""
    numbers = [i for i, l in enumerate(head) if re.match(r"^Nrs?\.?\s*[0-9]", l.strip())]
    return bool(numbers) and head.index(line) > numbers[0]


def _is_year(number: str) -> bool:
    """'1994' on a line of its own is the end of a title ('... voor het jaar' '1994'), not a dossier."""
    return len(number) == 4 and 1800 <= int(number) <= 2030


def _body_pages(document: SourceDocument, heading_index: int, heading: str):
    """The document's pages from the heading line on, the heading itself taken out."""
    pages, seen = [], 0
    for page in document.pages:
        if seen + len(page) <= heading_index:
            seen += len(page)
            continue
        start = max(0, heading_index - seen)
        rest = list(page[start:])
        if start >= 0 and seen <= heading_index:
            after = rest[0].split(heading, 1)[1].strip() if heading in rest[0] else ""
            rest = ([after] if after else []) + rest[1:]
            # pdftotext wraps a long heading over two lines ('BRIEF VAN DE ... VOOR' 'IMMIGRATIE ...').
        pages.append(tuple(rest))
        seen += len(page)
    return pages


def _adopted(heading: str, paragraphs: list[Paragraph]) -> datetime.date | None:
    """The 'Vastgesteld <date>' of a verslag: under the heading, or 'Aldus vastgesteld ...' at its end."""
    for text in (heading, *(p.text for p in paragraphs)):
        if (m := re.search(rf"\bVastgesteld,?\s*{DATE.pattern}", text, re.I)):
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
        if letter is None:  # no date: its text stays where it is printed, in the introduction
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
    if date is None:
        return None
    signature = None
    for index in range(len(rest) - 1, -1, -1):
        signature = _signature(rest[index], one_line)
        if signature:
            rest = rest[:index] + rest[index + 1:]
            break
    blocks = [_block(p) for p in rest]
    return LetterPart(kop, addressee, place, date, kenmerk, tuple(blocks), signature)


def _block(paragraph: Paragraph) -> Block:
    """A section heading (a short line with no closing punctuation) or a paragraph."""
    text = paragraph.text
    words = text.split()
    if (0 < len(words) <= 14 and text[:1].isupper() and not re.search(r"[.,;:!?]$", text)
            and not DATE.search(text) and "(" not in text[:3] and not looks_like_heading(text) or
            re.match(r"^(Hoofdstuk|§)\s", text) and len(words) <= 14):
        return Block("h", (text,))
    return Block("p", tuple(join_with_breaks(list(paragraph.lines))))


def _committee(heading: str, intro: list[Block], letters: list[LetterPart]) -> str | None:
    """The committee's name as printed after 'de' ('vaste commissie voor Financiën')."""
    if (m := KIND_COMMITTEE.search(heading)):
        words = m.group(1).strip().rstrip("0123456789").split()
        named = " ".join(w.lower() if w.lower() in SMALL_WORDS else w.capitalize() for w in words)
        kind = re.search(r"(VASTE|BIJZONDERE)", heading, re.I)
        return f"{kind.group(1).lower() + ' ' if kind else ''}commissie voor {named}"
    for block in [*intro, *(b for letter in letters for b in letter.blocks)][:4]:
        if (m := COMMITTEE.search(" ".join(block.lines))):
            name = m.group(1).strip()
            return name[0].lower() + name[1:]
    return None


def _ends_complete(paragraphs, letters, signatures) -> bool:
    """Whether the text ends as a whole paper does: on a signature."""
    if letters:
        return letters[-1].signature is not None
    return bool(signatures)
