"""What a build can reuse from the previous one: parsed files and rendered prose, keyed by the
content hash of what they were made from, together with the errors found in them.

One BuildCache lives as long as the preview server, or is saved with the build (rebuild.py) for
the next one. A unit whose inputs are unchanged is reused as it is, errors included, so that
a rebuild after one edit parses and renders one file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Hashable

from .errors import ContentError, ErrorList


@dataclass
class BuildCache:
    """Results of earlier work: {key: (signature, result, errors)}, and the keys this build used."""

    units: dict[Hashable, tuple[Hashable, Any, tuple[ContentError, ...]]] = field(default_factory=dict)
    used: set[Hashable] = field(default_factory=set)

    def get_or_make(self, key: Hashable, signature: Hashable, errors: ErrorList,
                    make: Callable[[ErrorList], Any], made_from: Callable[[], Hashable] | None = None) -> Any:
        """The result for `key` if made from the same `signature`; else make it and remember it,
        under the signature `made_from()` gives once it is made (the hashes of the bytes it was
        made from, which may have changed since `signature` was taken) when there is one."""
        entry = self.units.get(key)
        self.used.add(key)
        if entry is not None and entry[0] == signature:
            errors.extend(entry[2])
            return entry[1]
        own_errors = ErrorList()
        result = make(own_errors)
        self.store(key, made_from() if made_from else signature, result, own_errors.errors)
        errors.extend(own_errors.errors)
        return result

    def has(self, key: Hashable, signature: Hashable) -> bool:
        """Whether a result for `key` made from `signature` is kept."""
        entry = self.units.get(key)
        return entry is not None and entry[0] == signature

    def store(self, key: Hashable, signature: Hashable, result: Any, errors) -> None:
        """Keep a result made elsewhere (in a worker process), with the errors found making it."""
        self.units[key] = (signature, result, tuple(errors))
        self.used.add(key)


def file_signature(path: Path) -> tuple:
    """What changes when a file's content changes: size, modification time and inode."""
    try:
        return _stat_of(os.stat(path))
    except OSError:
        return ("missing",)


def folder_stats(folder: Path) -> tuple:
    """Size, modification time and inode of every file in a folder and its sub-folders (of the
    file a link points to: editing it changes the link's content): cheap to get, and different
    whenever a file was written (content_hash decides whether it changed)."""
    return _describe_files(folder, _followed_stat)


def _followed_stat(entry: os.DirEntry) -> tuple:
    try:
        return _stat_of(entry.stat())
    except OSError:
        return ("broken link",)


# A file written shortly before its size and time were taken can be written again at the same
# size within the same tick of the file system's clock, and its stats would not tell (git calls
# such entries "racily clean"). Stats of files this recent, or dated in the future, are not
# trusted: their content decides. Two seconds covers coarse clocks and FAT's timestamps.
RACY_NANOSECONDS = 2_000_000_000


def recently_written(listing: tuple, taken_ns: int) -> bool:
    """Whether a folder_stats listing, started at time.time_ns() `taken_ns`, holds a file modified
    too shortly before (or after) that for its size and time to show a later write."""
    return any(len(entry) == 4 and entry[2] > taken_ns - RACY_NANOSECONDS for entry in listing)


MISSING = "missing"


def content_hash(path: Path) -> bytes | str:
    """A hash of a file's bytes (MISSING when it cannot be read)."""
    try:
        with open(path, "rb") as file:
            return bytes_hash(file.read())
    except OSError:
        return MISSING


def bytes_hash(data: bytes) -> bytes:
    """The hash content_hash gives a file of these bytes."""
    return hashlib.blake2b(data, digest_size=16).digest()


def folder_signature(folder: Path) -> tuple:
    """The content hash of every file in a folder and its sub-folders, in name order."""
    return _describe_files(folder, lambda entry: (content_hash(Path(entry.path)),))


def folder_inodes(folder: Path) -> dict[str, int]:
    """{path relative to `folder`: inode} of every file below it (none when it is missing)."""
    start = len(os.fspath(folder)) + 1  # listed paths begin with the folder's and a separator (not
    # os.path.relpath: most of the time for the 16,000 files of a site)
    return {path[start:]: rest[0]
            for path, *rest in _describe_files(folder, lambda entry: (entry.inode(),)) if isinstance(rest[0], int)}


def _stat_of(stat: os.stat_result) -> tuple:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _describe_files(folder: Path, describe) -> tuple:
    """((path, *describe(entry)) for every file below `folder`), sorted by path."""
    # Plain strings rather than Path objects: a rebuild with nothing changed walks the whole
    # output folder, and Path construction would be half of its time.
    entries = []
    stack = [os.fspath(folder)]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scan:
                for entry in scan:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        entries.append((entry.path, *describe(entry)))
        except OSError:
            entries.append((current, "unreadable"))
    entries.sort()
    return tuple(entries)


def code_version(*settings: object) -> str:
    """An id of this program (its source, Python's and the libraries' versions) and of `settings`:
    what a build made with another one cannot be reused."""
    digest = hashlib.blake2b(_program_digest(), digest_size=16)
    digest.update(repr(settings).encode())
    return digest.hexdigest()


@functools.cache
def _program_digest() -> bytes:
    """Read once a process: the program does not change while it runs."""
    from importlib.metadata import version

    digest = hashlib.blake2b(digest_size=16)
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    # The libraries that shape the output: another version may render the same input otherwise.
    libraries = [version(name) for name in (
        "pagefind_bin", "jinja2", "markdown-it-py", "mdit-py-plugins", "markdown-it-pyrs-abi3", "pyyaml")]
    digest.update(repr((sys.version, libraries)).encode())
    return digest.digest()


def tree_digest(folders: tuple[Path, ...], listings: tuple[tuple, ...], known: dict[str, list],
                taken_ns: int) -> tuple[str, dict[str, list]]:
    """A hash of every file's path (relative to its folder) and content in these folders, from
    their folder_stats `listings` taken at `taken_ns`; and the hashes to pass as `known` next
    time, {path: [size, mtime, inode, hex hash]}. A file whose size, time and inode are those
    `known` gives is not read again (as git trusts its index): only the files written since
    are, and stats too recent to tell are not recorded (cache.recently_written)."""
    digest = hashlib.blake2b(digest_size=16)
    hashes: dict[str, list] = {}
    for folder, listing in zip(folders, listings, strict=True):
        digest.update(str(folder).encode() + b"\0")
        start = len(os.fspath(folder)) + 1  # listed paths begin with the folder's and a separator
        for entry in listing:
            path = entry[0]
            if len(entry) == 4:
                kept = known.get(path)
                if kept is not None and len(kept) == 4 and tuple(kept[:3]) == entry[1:]:
                    content = bytes.fromhex(kept[3])
                else:
                    content = content_hash(Path(path))
                if isinstance(content, bytes) and not recently_written((entry,), taken_ns):
                    hashes[path] = [*entry[1:], content.hex()]
            else:
                content = entry[1]  # a broken link, an unreadable folder
            digest.update(path[start:].encode() + b"\0")
            digest.update(content if isinstance(content, bytes) else content.encode())
    return digest.hexdigest(), hashes


def output_fingerprint(output: Path) -> str:
    """A hash of the output folder's file names, sizes and modification times: it changes when
    anything in the built site is touched after the build."""
    return stats_digest(output)


def stats_digest(*folders: Path) -> str:
    """A hash of folder_stats of these folders."""
    return digest_entries(*(folder_stats(folder) for folder in folders))


def digest_entries(*listings: tuple) -> str:
    """A hash of listings such as folder_stats gives (a missing folder lists itself as unreadable)."""
    digest = hashlib.blake2b(digest_size=16)
    for listing in listings:
        digest.update(b"\0")
        # One update a listing: the same bytes as one an entry, in a fraction of the calls.
        digest.update("".join(f"{entry!r}\n" for entry in listing).encode())
    return digest.hexdigest()
