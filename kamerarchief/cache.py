"""What a build can reuse from the previous one: parsed files and rendered prose, keyed by what
they were made from, together with the errors found in them.

One BuildCache lives as long as the preview server (or one build). A unit whose inputs are unchanged
is reused as it is, errors included, so that a rebuild after one edit parses and renders one file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable

from .errors import ContentError, ErrorList


@dataclass
class BuildCache:
    """Results of earlier work: {key: (signature, result, errors)}."""

    units: dict[Hashable, tuple[Hashable, Any, tuple[ContentError, ...]]] = field(default_factory=dict)

    def get_or_make(self, key: Hashable, signature: Hashable, errors: ErrorList,
                    make: Callable[[ErrorList], Any]) -> Any:
        """The result for `key` if made from the same `signature`; else make it and remember it."""
        entry = self.units.get(key)
        if entry is not None and entry[0] == signature:
            errors.extend(entry[2])
            return entry[1]
        own_errors = ErrorList()
        result = make(own_errors)
        self.units[key] = (signature, result, tuple(own_errors.errors))
        errors.extend(own_errors.errors)
        return result


def file_signature(path: Path) -> tuple:
    """What changes when a file's content changes: size, modification time and inode."""
    try:
        stat = os.stat(path)
    except OSError:
        return ("missing",)
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def folder_signature(folder: Path) -> tuple:
    """The signatures of every file in a folder and its sub-folders, in name order."""
    entries = []
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scan:
                for entry in scan:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    else:
                        stat = entry.stat(follow_symlinks=False)
                        entries.append((entry.path, stat.st_size, stat.st_mtime_ns, stat.st_ino))
        except OSError:
            entries.append((str(current), "unreadable"))
    return tuple(sorted(entries))
