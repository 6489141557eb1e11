"""Plain text as `pdftotext` prints an officielebekendmakingen.nl PDF, into pages of lines."""

from __future__ import annotations

import re

from .source import SourceDocument

# pdftotext ends a page with a form feed; without -layout it may also drop the feed and start the
# next page's first line with a single space, as the seed shows.
PAGE_START = re.compile(r"^ \S")
# The footer citation closes a page ("’s-Gravenhage 2021 Eerste Kamer, vergaderjaar 2020–2021, 19 637, H 1").
PAGE_END = re.compile(r"(Eerste|Tweede) Kamer, (vergaderjaar|zitting) \d{4}\S\d{4}, .*$")


def read_pdftext(text: str, label: str, origin: str) -> SourceDocument:
    """The pages of a pdftotext file; `origin` is its file name."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    pages: list[list[str]] = [[]]
    for raw in text.split("\n"):
        for index, chunk in enumerate(raw.split("\f")):
            if index > 0 or (PAGE_START.match(chunk) and any(line.strip() for line in pages[-1])):
                pages.append([])
            pages[-1].append(chunk.rstrip("\r"))  # a trailing space tells 'wet- ' from 'dienstver-'
            if PAGE_END.search(chunk):
                pages.append([])
    pages = [page for page in pages if any(line.strip() for line in page)]
    publication = re.search(r"\bkst-[0-9A-Za-z-]+\b", text)
    url = f"https://zoek.officielebekendmakingen.nl/{publication.group(0)}.html" if publication else None
    return SourceDocument(label, origin, url, tuple(tuple(p) for p in pages), ocr=False, paragraph_per_line=False)
