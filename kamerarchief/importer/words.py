"""Word retention: how many of a source's words a built page keeps (for tests and the benchmark)."""

from __future__ import annotations

import re
from collections import Counter

from .text import is_furniture

WORD = re.compile(r"\w+")


def words(text: str) -> Counter:
    """The words of a text, counted; hyphens and line breaks split words as they split them in print.
    A number is one word however its digits are grouped ('15 144', '15144', '11 c', '11c')."""
    text = re.sub(r"\b(\d{1,3}) (?=\d{3}\b)", r"\1", text)
    text = re.sub(r"\b(\d{1,4}) (?=[a-z]\b)", r"\1", text)
    return Counter(WORD.findall(text))


def text_words(source: str) -> Counter:
    """The words of a source's lines that are text, not page furniture (which the import drops)."""
    return words("\n".join(line for line in source.splitlines() if not is_furniture(line)))


def retention(wanted: Counter, page: str) -> float:
    """The share of `wanted` (words with repeats) that the page has too."""
    total = sum(wanted.values())
    return sum((wanted & words(page)).values()) / total if total else 1.0
