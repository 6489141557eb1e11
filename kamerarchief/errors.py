"""Content errors: where they are (path and line) and what is wrong, collected like a compiler's."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class ContentError:
    """One problem in the content, at a 1-based line of a project-relative path."""

    path: str
    line: int
    message: str
    column: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass
class ErrorList:
    """Collects every error of a build so that all are reported at once, sorted by file and line."""

    errors: list[ContentError] = field(default_factory=list)

    def add(self, path: str, line: int, message: str, column: int | None = None) -> None:
        """Record one error."""
        self.errors.append(ContentError(path, max(line, 1), message, column))

    def extend(self, errors: Iterable[ContentError]) -> None:
        """Record several errors."""
        self.errors.extend(errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def __len__(self) -> int:
        return len(self.errors)

    def sorted(self) -> list[ContentError]:
        """The errors without repeats, ordered by path, line and message."""
        return sorted(set(self.errors), key=lambda e: (e.path, e.line, e.column or 0, e.message))


class BuildError(Exception):
    """Raised when content errors stop a build; carries every error found."""

    def __init__(self, errors: list[ContentError]):
        super().__init__(f"{len(errors)} error(s) in the content")
        self.errors = errors


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or an empty string when none is close."""
    close = difflib.get_close_matches(str(word), sorted(candidates), n=1, cutoff=0.6)
    if not close:
        # Ids and abbreviations differ mostly in case ("GL" for "gl").
        lowered = {c.lower(): c for c in candidates}
        if str(word).lower() in lowered:
            close = [lowered[str(word).lower()]]
    return f" (did you mean '{close[0]}'?)" if close else ""
