"""What every kind of source gives the recogniser: one document as pages of lines."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SourceDocument:
    """One kamerstuk as read: pages of lines, where it came from, and how to name it in errors."""

    label: str                     # 'sources/kst-19637-H.txt' or 'documents.jsonl:record 12'
    origin: str                    # the file name, or the record's URL
    url: str | None                # a link to the source, where it has one
    pages: tuple[tuple[str, ...], ...]
    ocr: bool                      # the text was read from a scan and may hold reading errors
    paragraph_per_line: bool       # OCR prints one paragraph a line; pdftotext wraps them


@dataclass(frozen=True)
class SourceProblem:
    """A source or record that cannot be read: 'path:line: message' or 'path:record N: message'."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"
