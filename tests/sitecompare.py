"""What differs between two built sites: pages on one only, and per page the paragraphs of text and
the links (as targets) that one has and the other lacks. For tests that compare an imported
document with the hand-encoded one and must say what differs."""

from __future__ import annotations

import re
from pathlib import Path

from htmltext import read_page


def _paragraphs(html: str) -> list[str]:
    """The text of <main> split where the page breaks it, whitespace normalised."""
    text = "".join(read_page(html).main_text)
    return [" ".join(part.split()) for part in re.split(r"\n\s*\n|\n", text) if part.strip()]


def _pages(site: Path, prefix: str) -> dict[str, str]:
    return {p.parent.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted((site / prefix).rglob("index.html"))}


def differences(expected: Path, actual: Path, prefix: str) -> list[str]:
    """Every difference under `prefix` ('verslagen/kst-19637-H'), one line each."""
    found = []
    left, right = _pages(expected, prefix), _pages(actual, prefix)
    for page in sorted(set(left) - set(right)):
        found.append(f"{page}: only in the hand-encoded site")
    for page in sorted(set(right) - set(left)):
        found.append(f"{page}: only in the imported site")
    for page in sorted(set(left) & set(right)):
        a, b = _paragraphs(left[page]), _paragraphs(right[page])
        for line in a:
            if line not in b:
                found.append(f"{page}: hand-encoded only: {line[:120]}")
        for line in b:
            if line not in a:
                found.append(f"{page}: imported only: {line[:120]}")
        links_a = {l for l in read_page(left[page]).links if not l.startswith(("#", "/static/"))}
        links_b = {l for l in read_page(right[page]).links if not l.startswith(("#", "/static/"))}
        for link in sorted(links_a - links_b):
            found.append(f"{page}: link only in the hand-encoded page: {link}")
        for link in sorted(links_b - links_a):
            found.append(f"{page}: link only in the imported page: {link}")
    return found
