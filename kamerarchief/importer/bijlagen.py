"""The identity of a paper printed in the Handelingen's Bijlagen before 1945.

Until 1945 each zitting numbered its bills anew: '286' of 1929-1930 is another bill than '286'
of 1935-1936, so `kst-<dossier>-<nr>` cannot name these papers. They are cited as they are printed,
by zitting, chamber and number ('Bijlagen Handelingen II 1929-1930, 286, nr. 4'), and their
dossier's id carries the zitting ('1929-1930-286', see dutch.session_dossier). The head prints

    Bijlagen.            (or 'Bijlage A.' for a chapter of the begroting)
    286.  4.             (the bill's number and the stuk's; often '[44. 5.]' or '(44. 5.)')
    Tweede Kamer.
    <the bill's title>
    286. 4.              (again, right above the heading)

and the foot of the page the zitting: 'Handelingen der Staten-Generaal. Bijlagen. 1929—1930.'
"""

from __future__ import annotations

import datetime
import re

from .. import dutch
from .text import is_furniture

SESSION = re.compile(r"Bijlagen[.,]?\s+(1[789]\d\d)\s*[-–—]\s*(1[789]\d\d)\b")
# 'Bijlagen.', 'Bijlage A.' and the OCR's readings of them ('Bylagen.', 'B|)lagen,', 'Kjjlage A.').
BIJLAGEN_MARK = re.compile(r"^\S{1,4}lagen?\b|^\S{1,4}lage [A-F]\b", re.I)
# '286. 4.', '(44. 5.)', '[60. 15.]', '168. 3.': the bill's number, then the stuk's.
NUMBER_PAIR = re.compile(r"^[\[(]?\s*([1-9]\d{0,3})[.,]?\s+(\d{1,3})\s*[.,]?\s*[\])]?\s*[.,]?$")
# A chapter of the begroting: '2. V. 17.' or '(2. IV. 15.)': bill 2, hoofdstuk V, stuk 17.
CHAPTER_NUMBER = re.compile(r"^[\[(]?\s*([1-9]\d{0,3})\.\s*([IVXLC]+[A-Z]?)\.\s*(\d{1,3})\s*\.?\s*[\])]?\.?$")
# What the scan adds after the numbers: '[60. 15.],\''.
TRAILING_SPECKS = re.compile(r"(?<=[.)\]])[,.'’`\s]+$")
LONE_NUMBER = re.compile(r"^[\[(]?\s*([1-9]\d{0,3})\s*[.,]?\s*[\])]?$")
CHAMBER = re.compile(r"\b([ETIit])(erste|weede) K\s?amer\b")
LAST_SESSION = 1944   # from 1945-1946 the dossiers are numbered on (head.FIRST_CONTINUOUS_SESSION)


def bijlagen_identity(head: list[str], lines: list[str], dated: datetime.date | None = None):
    """(chamber, zitting, [(dossier id, title)], ondernummer, notes) of a paper of the Bijlagen
    before 1945, or None when the record does not print all of them legibly. Where the foot's
    zitting is missing or misread ('Bijlagen. 1918 -1915.'), the paper's own date (`dated`: its
    'Vastgesteld ...' or a letter's place and date) gives it, marked to check."""
    found = _numbers(head)
    if found is None:
        return None
    notes = []
    sessions = list(SESSION.finditer("\n".join(lines)))
    start, end = (int(sessions[-1].group(1)), int(sessions[-1].group(2))) if sessions else (0, 0)
    if end != start + 1 and dated is not None and any(BIJLAGEN_MARK.match(line.strip()) for line in head[:4]):
        start = int(dutch.session_of(dated)[:4])
        end = start + 1
        notes.append(("vergaderjaar", f"niet leesbaar gedrukt; afgeleid uit de datum {dutch.long_date(dated)}"))
    if end != start + 1 or start > LAST_SESSION:
        return None
    chamber_line = next((i for i, line in enumerate(head) if CHAMBER.search(line)), None)
    if chamber_line is None:
        chamber = "tweede"
        notes.append(("kamer", "de kamer is niet gedrukt; gelezen als Tweede Kamer"))
    else:
        chamber = "eerste" if CHAMBER.search(head[chamber_line]).group(1) == "E" else "tweede"
    bill, chapter, number = found
    second, first = _second_printing(head), _first_printing(head)
    if second and first:
        readable = _second_printing([first])
        if readable is None or readable[:3] != second[:3]:
            # The first printing in brackets is garbled ('[H7.' '4.]'): the second decides.
            notes.append(("dossier", f"nummer gelezen uit de tweede druk '{second[3]}'; de eerste druk '{first}' is "
                                     + ("anders gelezen" if readable else "onleesbaar")))
    session = f"{start}-{end}"
    dossier = f"{session}-{bill}" + (f"-{chapter}" if chapter else "")
    return chamber, session, [(dossier, _title(head, chamber_line))], number, notes


def _title(head: list[str], chamber_line: int | None) -> str | None:
    """The bill's title: the lines after the chamber's name (or the numbers) up to the numbers
    printed again above the heading."""
    titles = []
    for line in head[chamber_line + 1 if chamber_line is not None else 1:]:
        text = line.strip()
        if titles and (NUMBER_PAIR.match(text) or CHAPTER_NUMBER.match(text)):
            break
        if _is_title(text):
            titles.append(text)
    return " ".join(titles) or None


def _numbers(head: list[str]) -> tuple[str, str | None, str] | None:
    """(bill, hoofdstuk or None, stuk) from the head: the pair nearest the heading, else the two
    numbers printed one a line under 'Bijlagen.'."""
    found = _second_printing(head)
    if found:
        return found[:3]
    for first, second in zip(head[:6], head[1:6]):
        if (m := LONE_NUMBER.match(first.strip())) and (n := LONE_NUMBER.match(second.strip())):
            return m.group(1), None, n.group(1)
    return None


def _second_printing(head: list[str]) -> tuple[str, str | None, str, str] | None:
    """(bill, hoofdstuk, stuk, as printed) of the numbers printed nearest the heading: on one line
    ('(44. 5.)', '[60. 15.],'') or over two ('(98.' '1.)', '87' '4)')."""
    for index in range(len(head) - 1, -1, -1):
        candidates = [head[index].strip()]
        if index > 0 and head[index - 1].strip()[:1] in "([0123456789" and len(head[index - 1].strip()) <= 6:
            candidates.append(f"{head[index - 1].strip()} {head[index].strip()}")
        for text in candidates:
            text = TRAILING_SPECKS.sub("", text)
            if (m := CHAPTER_NUMBER.match(text)):
                return m.group(1), m.group(2), m.group(3), text
            if (m := NUMBER_PAIR.match(text)):
                return m.group(1), None, m.group(2), text
    return None


def _first_printing(head: list[str]) -> str | None:
    """The numbers as printed first, under 'Bijlagen.' and above the chamber's name ('[H7.' '4.]'),
    where the head prints them in brackets: the first printing the OCR may have garbled."""
    lines = []
    for line in head[1:4]:  # the first line is the mark, 'Bijlagen.' or its reading ('Ityiagen.')
        if CHAMBER.search(line):
            break
        lines.append(line.strip())
    return " ".join(lines) if lines and lines[0].startswith("[") else None


def _is_title(text: str) -> bool:
    """A head line that is the bill's title, not a mark, a number, the chamber or a note."""
    letters = sum(c.isalpha() for c in text)
    return (letters >= 8 and not BIJLAGEN_MARK.match(text) and not CHAMBER.match(text)
            and not is_furniture(text) and not re.search(r"Handelingen", text)
            # '(De vroegere stukken ...)' is a note; '(Staatsbegrooting voor het dienstjaar 1913.
            # 2. X. 13.)' is the title of a chapter of the begroting.
            and (not text.startswith(("(", "[")) or re.search(r"begrooting", text, re.I)))
