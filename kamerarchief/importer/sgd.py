"""JSON-lines records of Staten-Generaal Digitaal, {"URL": ..., "Content": <OCR text>}, into documents."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .source import SourceDocument, SourceProblem


def read_sgd(lines: Iterator[str], label: str) -> Iterator[SourceDocument | SourceProblem]:
    """One document per record, or a problem naming the record; a bad record never stops the rest."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{label}:record {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield SourceProblem(where, f"not a JSON object: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("Content"), str):
            yield SourceProblem(where, "a record needs a text field 'Content'")
            continue
        url = record.get("URL")
        if not isinstance(url, str) or not url.startswith("https://"):
            yield SourceProblem(where, "a record needs its source address in 'URL' (https://...)")
            continue
        # The OCR keeps no page breaks: the record is one page of lines, one paragraph a line.
        text = record["Content"].replace("\r\n", "\n")
        yield SourceDocument(where, url, url, (tuple(line.rstrip() for line in text.split("\n")),),
                             ocr=True, paragraph_per_line=True)
