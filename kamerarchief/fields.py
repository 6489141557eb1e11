"""Read the fields of one YAML mapping against a declared schema, recording every problem."""

from __future__ import annotations

import datetime
import re

from .errors import ErrorList, did_you_mean
from .model import Loc
from .sourceyaml import InvalidDate, Mapping, Sequence

# Ids become URL path segments and folder names: letters, digits and inner hyphens only.
SLUG = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$")

TYPE_NAMES = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a mapping"}


def describe(value) -> str:
    """What kind of YAML value this is, in an editor's words."""
    if value is None:
        return "empty"
    if isinstance(value, InvalidDate):
        return "an impossible date"
    if isinstance(value, datetime.date):
        return "a date"
    for kind, name in TYPE_NAMES.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, float):
        return "a number"
    return type(value).__name__


def safe_slug_problem(value: str) -> str | None:
    """Why `value` cannot be an id (a URL segment and a file name), or None when it can."""
    if SLUG.match(value):
        return None
    return f"'{value}' is not a valid id: use letters, digits and hyphens only (no spaces, '/', '.' or '..')"


class Record:
    """The fields of one mapping; unknown and missing fields are reported when it is made."""

    def __init__(self, mapping, path: str, errors: ErrorList, what: str,
                 fields: dict[str, bool], line: int = 1):
        self.path = path
        self.errors = errors
        self.what = what
        self.ok = isinstance(mapping, Mapping)
        self.mapping = mapping if self.ok else Mapping()
        self.line = mapping.line if self.ok else line
        if not self.ok:
            errors.add(path, line, f"{what} must be a mapping of fields, not {describe(mapping)}")
            return
        for key in mapping:
            if key not in fields:
                errors.add(path, mapping.line_of(key),
                           f"unknown field '{key}' in {what}{did_you_mean(key, fields)}")
        for key, required in fields.items():
            if required and key not in mapping:
                errors.add(path, self.line, f"{what} is missing required field '{key}'")

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line)

    def line_of(self, key: str) -> int:
        return self.mapping.line_of(key)

    def has(self, key: str) -> bool:
        return self.mapping.get(key) is not None

    def error(self, key: str, message: str) -> None:
        self.errors.add(self.path, self.line_of(key), message)

    def _wrong_type(self, key: str, expected: str, hint: str = "") -> None:
        self.error(key, f"field '{key}' must be {expected}, not {describe(self.mapping[key])}{hint}")

    def text(self, key: str) -> str | None:
        """A non-empty string; numbers must be quoted so that they keep their printed form."""
        value = self.mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong_type(key, "text", "; put it in quotes")
            return None
        if not value.strip():
            self.error(key, f"field '{key}' is empty")
            return None
        return value.strip()

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of strings."""
        value = self.mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, Sequence):
            self._wrong_type(key, "a list")
            return ()
        result = []
        for item, line in zip(value, value.item_lines):
            if isinstance(item, str) and item.strip():
                result.append(item.strip())
            else:
                self.errors.add(self.path, line, f"each item of '{key}' must be text, not {describe(item)}")
        return tuple(result)

    def slug(self, key: str) -> str | None:
        """An id of another record (checked to be safe as a URL segment)."""
        value = self.mapping.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if value is None:
            return None
        if not isinstance(value, str):
            self._wrong_type(key, "an id")
            return None
        problem = safe_slug_problem(value)
        if problem:
            self.error(key, problem)
            return None
        return value

    def slugs(self, key: str) -> tuple[tuple[str, int], ...]:
        """A list of ids, each with its line."""
        value = self.mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, Sequence):
            self._wrong_type(key, "a list")
            return ()
        result = []
        for item, line in zip(value, value.item_lines):
            if not isinstance(item, str):
                self.errors.add(self.path, line, f"each item of '{key}' must be an id, not {describe(item)}")
                continue
            problem = safe_slug_problem(item)
            if problem:
                self.errors.add(self.path, line, problem)
                continue
            result.append((item, line))
        return tuple(result)

    def date(self, key: str) -> datetime.date | None:
        """A date written as YYYY-MM-DD."""
        value = self.mapping.get(key)
        if value is None:
            return None
        if isinstance(value, InvalidDate):
            self.error(key, f"'{value.text}' is not a date that exists")
            return None
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            self._wrong_type(key, "a date written as YYYY-MM-DD")
            return None
        return value

    def choice(self, key: str, options: tuple[str, ...]) -> str | None:
        """One of a fixed set of words."""
        value = self.text(key)
        if value is not None and value not in options:
            listed = ", ".join(f"'{o}'" for o in options)
            self.error(key, f"'{value}' is not allowed for '{key}': use one of {listed}{did_you_mean(value, options)}")
            return None
        return value

    def flag(self, key: str) -> bool:
        """true or false; absent is false."""
        value = self.mapping.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self._wrong_type(key, "true or false")
            return False
        return value

    def record(self, key: str, what: str, fields: dict[str, bool]) -> "Record | None":
        """A nested mapping, read with its own schema."""
        if key not in self.mapping:
            return None
        return Record(self.mapping[key], self.path, self.errors, what, fields, self.line_of(key))

    def records(self, key: str, what: str, fields: dict[str, bool]) -> list["Record"]:
        """A list of nested mappings."""
        value = self.mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, Sequence):
            self._wrong_type(key, "a list")
            return []
        return [Record(item, self.path, self.errors, what, fields, line)
                for item, line in zip(value, value.item_lines)]
