"""The head of a kamerstuk: the line that names its kind, and its identity (kamer, vergaderjaar,
dossier numbers with toevoeging or hoofdstuk and title, ondernummer), from the head, the footer
citation, or the forms of the 1945-1979 papers."""

from __future__ import annotations

import datetime
import re

from .. import dutch
from .bijlagen import BIJLAGEN_MARK
from .kinds import NUMBER_PREFIX, capitals_prefix, kind_of, looks_like_heading
from .text import FOOTNOTE_START, is_furniture

# 1945-1950: the Handelingen's bijlagen, dossier and number on a line, the session at the foot.
# A begroting's hoofdstuk or fund follows the number: '1900 VIIB 12', '1900 VII B 12', '1000 E 4'.
BIJLAGEN_NUMBER = re.compile(r"^(\d{3,5})\.?(?: ([IVXLC]+(?: ?[A-Z])?|[A-Z])\.?)? (\d{1,3}[a-z]?)\.?$")
BIJLAGEN_SESSION = re.compile(r"Bijlagen\.? (\d{4})\s*[-–—]\s*(\d{4})")
FIRST_CONTINUOUS_SESSION = 1945
# The head's own line; 'De vroegere stukken zijn gedrukt in de zitting 1977-1978' is not it.
# 'Zitting 1981' alone is the short zitting of one year after an election (dutch.is_one_year).
HEAD_SESSION = re.compile(r"^(Vergaderjaar|Zitting)\s*(\d{4})(?:\s*[-–—]\s*(\d{4}))?(?!\d)", re.I)
CHAMBER = re.compile(r"\b(Eerste|Tweede) Kamer", re.I)
# An ondernummer: '85', '22a', '11 c' (the OCR's space), or an Eerste Kamer letter 'H'.
ONDERNUMMER = r"([0-9]{1,4}(?:\s?[a-z](?![a-z)]))?)"
NUMBER_MARK = r"(?:Nrs?|No)\.?"   # 'Nr. 85'; the 1950s print 'No. 7'
NUMBER_LINE = re.compile(rf"\b{NUMBER_MARK}\s*(?:{ONDERNUMMER}|([A-Z]{{1,3}}))\b")
DOSSIER_LINE = re.compile(r"^(\d{1,2} ?\d{3})(?:\s*\((R ?\d+)\))?(?:[ -]([IVXLC]+[A-Z]?|[A-Z]{1,2}|\d{1,2})\b)?(?:\s+(.*))?$")
FOOTER = re.compile(r"(Eerste|Tweede) Kamer,\s*(?:vergaderjaar|zitting)\s*(\d{4})(?:\s*[-–]\s*(\d{4}))?,\s*(.+?),?\s*"
                    rf"nrs?\.\s*{ONDERNUMMER}", re.I)
# The modern Eerste Kamer footer: '... 19 637, H 1' (the letter, then the page number).
FOOTER_LETTER = re.compile(r"(Eerste) Kamer,\s*vergaderjaar\s*(\d{4})\s*[-–]\s*(\d{4}),\s*(.+?),\s*([A-Z]{1,3})(?:\s+\d+)?$")
# Head lines of 1945-1950 that are no part of the title: the chamber alone, the Bijlagen's mark.
BARE_MARK = re.compile(r"^(?:(?:Eerste|Tweede) Kamer|Bijlagen?(?: [A-F])?)\.?$", re.I)
# The number a running head prints after the title: '... dienstjaar 1951 1900 VIIB 12', '... 1000 E 4—5'.
RUNNING_NUMBER = re.compile(r"\s+\d{3,5}(?: [IVXLC]+(?: ?[A-Z])?| [A-Z])? \d{1,3}(?:\s*[-–—]\s*\d{1,3})?$")
# Kinds that a head may name in ordinary case on a line of their own.
MIXED_CASE_KINDS = {"amendement", "motie", "memorie van toelichting", "memorie van antwoord", "nota",
                    "koninklijke boodschap", "wetsvoorstel", "advies raad van state"}


def kind_heading(lines: list[str]) -> tuple[int, str | None]:
    """The first line in capitals that names a kind (skipping the chamber's name, titles and the
    like); failing that, the first line in capitals, or a line that names a kind out of scope in
    ordinary case ('Amendement van de heer ...')."""
    first = numbered = None
    for index, line in enumerate(lines[:60]):
        text = line.strip()
        if not text or is_furniture(text) or HEAD_SESSION.match(text) or re.match(r"^(EERSTE|TWEEDE) KAMER", text):
            continue
        if re.match(r"^Aanhangsel\b", text):
            return index, "AANHANGSEL"
        candidate = re.sub(r"^[A-Z]{1,2}\s{2,}", "", text)  # 'H  VERSLAG ...': the ondernummer first
        if looks_like_heading(candidate) and not re.match(r"^(ZITTING|VERGADERJAAR|STATEN|BIJLAGEN)\b", candidate):
            heading = capitals_prefix(candidate)
            if kind_of(heading)[0] != "onbekend" and NUMBER_PREFIX.match(heading):
                # '(605. 1.) BRIEF ...': a heading after its numbers names the kind only where no
                # heading of its own line does (a record of several stukken names the one it is filed as).
                numbered = numbered or (index, heading)
            elif kind_of(heading)[0] != "onbekend":
                return index, heading
            first = first or (index, heading)
        elif text[:1].isupper() and kind_of(text)[0] in MIXED_CASE_KINDS:
            return index, text.upper()
        elif re.fullmatch(r"(Verslag van een (schriftelijk|mondeling|algemeen) overleg|Verslag|Eindverslag|Voorlopig verslag)\.?", text) \
                or re.match(r"^Brief van de[n]? (Minister|Staatssecretaris)\b", text):
            return index, text
        elif (m := re.match(r"^(Verslag|Eindverslag|Voorlopig verslag)(?= Vastgesteld\b)", text)):
            return index, m.group(1)  # 1970s: 'Verslag Vastgesteld 18februari 1975' on one line
    return numbered or first or (0, None)


def identity(head: list[str], lines: list[str], heading: str, dated: datetime.date | None = None):
    """(chamber, session, [(dossier id, title)], ondernummer, notes to check) from the head lines
    before the heading, the heading's line and the footer; None when any of the four is missing.
    Where a paper of the Bijlagen of 1945-1950 prints its zitting at the foot illegibly
    ('Bijlagen. 1946H.') or the record ends before the foot, the paper's own date (`dated`) gives
    it, noted to check."""
    chamber = session = number = None
    dossiers: list[tuple[str, str | None]] = []
    notes: list[tuple[str, str]] = []
    rijkswet: dict[str, str] = {}
    titles: list[str] = []
    printed = _joined_head(head)
    bijlagen = bool(head) and BIJLAGEN_MARK.match(head[0].strip()) is not None  # 1945-1950: 'Bijlagen' first
    for line in printed:
        text = line.strip()
        if chamber is None and (m := CHAMBER.search(text)):
            chamber = m.group(1).lower()
        if (m := HEAD_SESSION.match(text)) and session is None:
            session = _session(m.group(2), m.group(3))
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
        if ((m := BIJLAGEN_NUMBER.match(text)) and (chamber or bijlagen) and all(d.split("-")[0] == m.group(1) for d, _ in dossiers)):
            # 1945-1950: 'Bijlagen' '2267' '1' 'Tweede Kamer' ... '2267 1', dossier and number on one line
            dossiers = [(m.group(1) + (f"-{m.group(2).replace(' ', '')}" if m.group(2) else ""), None)]
            number = m.group(3)
            first = [line.strip().rstrip(".") for line in head[1:3]]
            if bijlagen and len(first) == 2 and first[0] == m.group(1) and first[1].isdigit() and first[1] != number:
                # 'Bijlagen' '488' '1' ... '488 14': the two printings differ; the one above the heading is read.
                notes.append(("ondernummer", f"gelezen uit de tweede druk '{text}'; de eerste druk '{' '.join(first)}' wijkt af"))
            continue
        if (m := DOSSIER_LINE.match(text)) and len(m.group(1).replace(" ", "")) >= 4 and not _is_year(m.group(1)):
            ident = m.group(1).replace(" ", "") + (f"-{m.group(3)}" if m.group(3) else "")
            dossiers.append((ident, m.group(4)))
            if m.group(2):  # a rijkswet's number belongs to the dossier: '22 855 (R 1451)'
                rijkswet[ident] = f"({m.group(2)})"
            continue
        if (chapter := re.match(r"^Hoofdstuk\s+([IVXLC]+[A-Z]?)\b", text)) and dossiers and "-" not in dossiers[0][0]:
            dossiers[0] = (f"{dossiers[0][0]}-{chapter.group(1)}", dossiers[0][1])
        if (not text or is_furniture(text) or FOOTNOTE_START.match(text) or after_number(printed, line)
                or len(text) <= 3 or BARE_MARK.match(text)):
            continue
        titles.append(RUNNING_NUMBER.sub("", text))
    if number is None:  # 1960s-70s: 'Nr. 7' under the heading
        following = lines[len(head) + 1:len(head) + 3]
        number = next((m.group(1).replace(" ", "") for l in following
                       if (m := re.match(rf"^{NUMBER_MARK}\s*{ONDERNUMMER}", l.strip()))), None)
    if number is None:  # 1950s: 'No. 2' on a line of its own under a heading printed over lines
        following = lines[len(head) + 3:len(head) + 5]
        number = next((m.group(1).replace(" ", "") for l in following
                       if (m := re.match(rf"^{NUMBER_MARK}\s*{ONDERNUMMER}\W?$", l.strip()))), None)
    if number is None and (m := NUMBER_LINE.search(heading)):  # 'BRIEF VAN DE MINISTER ... No. 23'
        number = (m.group(1) or m.group(2)).replace(" ", "")
    if (m := re.match(r"^([A-Z]{1,3})\s{2,}", heading.strip())):
        number = number or m.group(1)  # 'H  VERSLAG VAN ...': the Eerste Kamer's letter first
    footer = next((m for line in lines if (m := FOOTER.search(line.strip()) or FOOTER_LETTER.search(line.strip()))), None)
    if footer:
        chamber = chamber or footer.group(1).lower()
        session = session or _session(footer.group(2), footer.group(3))
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
    if chamber is None and bijlagen and dossiers and number:
        # The Tweede Kamer's Bijlagen may leave the chamber out; the Eerste Kamer's print it.
        chamber = "tweede"
        notes.append(("kamer", "de kamer is niet gedrukt; gelezen als Tweede Kamer"))
    if session is None and (m := BIJLAGEN_SESSION.search("\n".join(lines[-4:]))):
        session = f"{m.group(1)}-{m.group(2)}"
    if (session is None and dated and dossiers and number and bijlagen
            and int(dutch.session_of(dated)[:4]) >= FIRST_CONTINUOUS_SESSION):
        session = dutch.session_of(dated)
        printed = any(re.search(r"\bBijlagen\b", line) for line in lines[-4:])  # the foot, misread, or no foot
        notes.append(("vergaderjaar", f"{'niet leesbaar gedrukt' if printed else 'niet gedrukt in het record'}; "
                                      f"afgeleid uit de datum {dutch.long_date(dated)}"))
    if session and int(session[:4]) < FIRST_CONTINUOUS_SESSION and not FOOTER.search("\n".join(lines)):
        return None  # before 1945 dossiers were numbered anew each session: no id tells them apart
    if not (chamber and session and dossiers and number):
        return None
    if not dutch.is_one_year(session) and int(session[5:]) != int(session[:4]) + 1:
        return None
    unique: dict[str, str | None] = {}
    for ident, title in dossiers:  # a number printed twice (head and title line) is one dossier
        unique[ident] = unique.get(ident) or title
    dossiers = list(unique.items())
    if len(titles) == len(dossiers) > 1 and all(title is None for _, title in dossiers):
        dossiers = [(ident, title) for (ident, _), title in zip(dossiers, titles)]  # one title a dossier
    elif titles and dossiers[0][1] is None:
        dossiers[0] = (dossiers[0][0], " ".join(titles))
    dossiers = [(ident, " ".join(filter(None, (title, rijkswet.get(ident)))) or None) for ident, title in dossiers]
    return chamber, session, dossiers, number, notes


# The Eerste Kamer's papers on bills of the Tweede Kamer's series print that series first:
# '(Tweede Kamer) Zitting 1964—1965', '(Tweede Kamer, zitting 1963) Zitting 1963—1964'.
SERIES_NOTE = re.compile(r"^\((?:Tweede|Eerste) Kamer(?:,\s*zitting\s*\d{4}(?:\s*[-–—]\s*\d{4})?)?\)\s*", re.I)
# A list of dossiers that runs on with the chamber's name: '7292, 7296 en 7301 EERSTE KAMER DER STATEN-GENERAAL'.
CHAMBER_AFTER = re.compile(r"\s+((?:EERSTE|TWEEDE) KAMER DER STATEN-GENERAAL)$")


def _joined_head(head: list[str]) -> list[str]:
    """The head's lines with a list of dossiers that runs over lines as one line ('7271,7625, ...,'
    '7755, ... en 7810'), the chamber's name printed after it on a line of its own, and the note
    of the Tweede Kamer's series taken off the session's line. Only these lines are changed:
    every other line is as printed."""
    joined: list[str] = []
    for line in head:
        text = SERIES_NOTE.sub("", line.strip())
        previous = joined[-1] if joined else ""
        if previous.endswith(",") and re.match(r"^\d{1,2} ?\d{3}\b", text) and _dossier_list(previous + " 0000"):
            joined[-1] = f"{previous} {text}"
        else:
            joined.append(text)
    result = []
    for text in joined:
        if (m := CHAMBER_AFTER.search(text)) and _dossier_list(text[:m.start()]):
            result += [text[:m.start()], m.group(1)]
        else:
            result.append(text)
    return result


def _session(start: str, end: str | None) -> str:
    """'1964-1965' from a printed vergaderjaar; '1981' from a zitting of one year."""
    return f"{start}-{end}" if end else start


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


def after_number(head: list[str], line: str) -> bool:
    """Whether a head line stands after the 'Nr. 5' line (a note, not part of the title)."""
    numbers = [i for i, l in enumerate(head) if re.match(r"^Nrs?\.?\s*[0-9]", l.strip())]
    return bool(numbers) and head.index(line) > numbers[0]


def _is_year(number: str) -> bool:
    """'1994' on a line of its own is the end of a title ('... voor het jaar' '1994'), not a dossier."""
    return len(number) == 4 and 1800 <= int(number) <= 2030


def heading_references(heading: str, footnotes: dict) -> tuple[str, list[tuple[int, int]]]:
    """A heading without the footnote numbers printed after its words in capitals ('VOOR
    FINANCIËN1', 'OVER HET ADRES1 VAN'), and [(number, 0)] for each: a digit glued to a word in
    capitals is a reference where that footnote exists, never part of the heading."""
    found = []

    def take(match: re.Match) -> str:
        number = int(match.group(1))
        if number in footnotes and number not in (n for n, _ in found):
            found.append((number, 0))
            return ""
        return match.group(0)

    return re.sub(r"(?<=[A-ZÀ-Ý]{2})(\d{1,2})\b", take, heading), found
