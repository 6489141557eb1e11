"""Lines into paragraphs and footnotes: furniture dropped, lines rejoined, line-end hyphenation undone.

The text stays as printed: only what the PDF or the page layout did is undone. A word hyphenated
at a line end before a lower-case letter is joined ('dienstver-' 'lening'); a hyphen before a
capital stays ('Directoraat-' 'Generaal'); a hyphen followed by a space stays with its space
('wet- ' 'en regelgeving').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Page furniture: running heads, the publication id, ISSN and printer lines, the place and year of
# printing, the footer citation, page numbers. None of it is the paper's text.
FURNITURE = (
    re.compile(r"^(Eerste|Tweede) Kamer der\s*(Staten[- ]?Generaa\S?)?\s*\d?$", re.I),
    re.compile(r"^Staten[- ]?Generaa\S?\s*\d?$", re.I),
    re.compile(r"^kst-[0-9A-Za-z-]+$"),
    re.compile(r"ISSN", re.I),
    re.compile(r"^\S{0,2}s[- ]Gravenhage \d{4}"),
    re.compile(r"^(Eerste|Tweede) Kamer, (vergaderjaar|zitting)\b", re.I),
    re.compile(r"^\d{1,3}$"),
    re.compile(r"Sdu Uitgever|Staatsdrukkerij|Plantijnstraat", re.I),
    re.compile(r"^Nrs?\.\s*\d{1,4}[a-z]?\W{0,3}$"),                 # the ondernummer, under the heading
    re.compile(r"^(?:I{1,2} )?\d{1,2} ?\d{3}(?:,? enz\.)? \d{1,3}[a-z«]?(?:[-–]\d{1,3})?(?: \(\d{1,2} vel\))?$"),  # 1960s-70s footer: '8811 7', '12 663 1 (2 vel)'
    re.compile(r"^De vroegere stukken zijn gedrukt in de zitting \d{4}"),
    # Before 1950, the foot of the page: 'Handelingen der Staten-Generaal. Bijlagen. 1929—1930.'
    re.compile(r"^(Handelingen der (voorloopige )?Staten-\S+\s*)?Bijlagen\.?\s*\d{4}\s*[-–—]\s*\d{4}\.?$"),
    re.compile(r"^Handelingen der (voorloopige )?Staten-\S+(\s*Bijlagen\.?)?$"),
    re.compile(r"^Bijlagen\.?$"),
    re.compile(r"^[BI]\S{1,4}agen\.?$"),                      # the OCR's readings of it: 'Bylagen.', 'Ityiagen.'
    re.compile(r"^(Eerste|Tweede) Kamer\.?\s*\d{1,3}$"),      # the chamber with the page number: 'Tweede Kamer. 13'
)

# A footnote at the foot of a page: its printed number, a space, then text.
FOOTNOTE_START = re.compile(r"^(\d{1,2})\s+(\S.*)$")
SENTENCE_END = re.compile(r"[.!?:;]$")


def is_furniture(line: str) -> bool:
    """Whether a line is page furniture rather than text."""
    text = line.strip()
    return any(pattern.search(text) for pattern in FURNITURE)


def join_lines(lines: list[str]) -> str:
    """Printed lines of one paragraph as one line: line-end hyphenation undone, real hyphens kept."""
    result, previous = "", ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not result:
            result = line
        elif previous != previous.rstrip() or not result.endswith(("-", "/")):
            result += " " + line  # a hyphen followed by a space is printed so: 'wet- ' 'en regelgeving'
        elif result.endswith("/"):
            result += line  # 'medische/' 'psychische'
        elif line[:1].islower() and len(result) > 1 and result[-2].isalpha():
            result = result[:-1] + line  # 'dienstver-' 'lening'
        else:
            result += line  # 'Directoraat-' 'Generaal', 'De Blécourt-' 'Wouterse'
        previous = raw
    return result


def join_with_breaks(lines: list[str]) -> list[str]:
    """A paragraph's lines grouped where a printed line ends a sentence although the next line's
    first word would have fitted on it: a new line without a blank between (a hard break)."""
    printed = [line for line in lines if line.strip()]
    if not printed:
        return []
    measure = max(len(line.rstrip()) for line in printed)
    groups: list[list[str]] = [[]]
    for index, line in enumerate(printed):
        groups[-1].append(line)
        if index + 1 < len(printed):
            following = printed[index + 1].split()[0]
            fits = len(line.rstrip()) + 1 + len(following) <= measure
            if fits and SENTENCE_END.search(line.rstrip()) and following[:1].isupper():
                groups.append([])
    return [join_lines(group) for group in groups if group]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of body text, its printed lines, and the page it starts on."""

    lines: tuple[str, ...]
    page: int

    @property
    def text(self) -> str:
        """The paragraph as one line."""
        return join_lines(list(self.lines))


@dataclass(frozen=True)
class Layout:
    """A document's body paragraphs in order, and its footnotes by printed number."""

    paragraphs: tuple[Paragraph, ...]
    footnotes: dict[int, tuple[str, ...]]


def footnote_reference(text: str, number: int) -> re.Match | None:
    """Where a footnote's number stands as a superscript after a word ('JBZ-Raad1', '(NJB)7.')."""
    return re.search(rf"(?<=[^\s\d(]){number}(?=[\s.,;:)]|$)", text)


def layout(pages, paragraph_per_line: bool) -> Layout:
    """Body paragraphs and footnotes of a document's pages (furniture dropped).

    pdftotext: paragraphs are separated by blank lines and a footnote block runs from its first
    numbered line to the foot of the page; a paragraph that a page break split is rejoined. OCR:
    every line is a paragraph, and a footnote is a line that starts with the next footnote number.
    """
    paragraphs: list[Paragraph] = []
    footnotes: dict[int, list[str]] = {}
    seen_text = ""
    for page_number, page in enumerate(pages, start=1):
        current: list[str] = []
        in_notes = False
        # The numbers of the page's composition footnotes: '1 Wekt ...' above '1 Samenstelling: ...' is text.
        compositions = {int(m.group(1)) for line in page if (m := re.match(r"^(\d{1,2})\s+Samenstelling\b", line.strip()))}
        page_paragraphs: list[Paragraph] = []

        def before() -> str:
            return " ".join([seen_text, *(p.text for p in page_paragraphs), join_lines(current)])

        def close():
            if current:
                page_paragraphs.append(Paragraph(tuple(current), page_number))
                current.clear()

        for line in page:
            if is_furniture(line):
                close()
                continue
            expected = max(footnotes, default=0) + 1
            # The OCR reads the composition footnote's superscript as a quote: "' Samenstelling: ...".
            start = FOOTNOTE_START.match(line.strip()) or (
                paragraph_per_line and re.match(rf"^['’‘`]()\s*(Samenstelling\b.*)$", line.strip()))
            if start and (int(start.group(1) or expected)) == expected and (
                    paragraph_per_line and _ocr_footnote(start.group(2), before, expected, compositions)
                    or footnote_reference(before(), expected)):
                close()
                in_notes = not paragraph_per_line
                footnotes[expected] = [start.group(2)]
                # The OCR may run the next composition footnote on in the same line.
                while paragraph_per_line and (more := re.search(
                        rf"\s({max(footnotes) + 1})\s+(Samenstelling\b.*)$", footnotes[max(footnotes)][-1])):
                    footnotes[max(footnotes)][-1] = footnotes[max(footnotes)][-1][:more.start()]
                    footnotes[max(footnotes) + 1] = [more.group(2)]
                continue
            if in_notes:
                if line.strip():
                    footnotes[max(footnotes)].append(line)
                continue
            if not line.strip() or paragraph_per_line:
                close()
                if line.strip():
                    page_paragraphs.append(Paragraph((line,), page_number))
                continue
            current.append(line)
        close()
        if page_paragraphs and paragraphs and _continues(paragraphs[-1], page_paragraphs[0]):
            page_paragraphs[0] = Paragraph(paragraphs.pop().lines + page_paragraphs[0].lines,
                                           page_paragraphs[0].page)
        paragraphs += page_paragraphs
        seen_text += " ".join(p.text for p in page_paragraphs)
    return Layout(tuple(paragraphs), {n: tuple(lines) for n, lines in footnotes.items()})


def _ocr_footnote(text: str, before, number: int, compositions: set[int]) -> bool:
    """Whether an OCR line 'n text' is footnote n: the composition always is; another only where
    the text before it (`before()`) refers to n (the reference printed, or read as a quote: 'beleid' heeft')
    and n is not the number of a composition footnote further down the page. A numbered question
    ('1 Wekt de vervanging ...') is text."""
    if text.startswith("Samenstelling"):
        return True
    if number in compositions:
        return False
    preceding = before()  # the text so far, joined only when needed
    return footnote_reference(preceding, number) is not None or re.search(r"(?<=[a-zë])'(?=[\s,.;:])", preceding) is not None


def _continues(before: Paragraph, after: Paragraph) -> bool:
    """Whether a page break split one paragraph: it ends mid-sentence and goes on in lower case,
    or ends on a hyphen."""
    last, first = before.lines[-1].rstrip(), after.lines[0].strip()
    if last.endswith("-"):
        return True
    return not re.search(r"[.!?:;»\"”)]$", last) and first[:1].islower()
