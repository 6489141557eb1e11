"""Build the Pagefind search index of a staged site with the binary that pagefind_bin ships, in
bundles (kamerarchief/bundles.py), with the facet store (kamerarchief/facets.py).

The binary is run directly: the `pagefind` Python wrapper waits 0.1 s per page. Pagefind 1.5 writes
its filter files in hash-map order, which changes from run to run; `make_filters_stable` rewrites
them in sorted order so that the same content always gives the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

import pagefind_bin

from .cache import code_version
from .bundles import OVERLAY, Bundle, assemble, finish_bundle, overlay_base, page_farm, plan_bundles, reusable

SIGNATURE = b"pagefind_dcd"
# In the bundle: the id (render.build_id) of the pages the index was made from.
SITE_ID_FILE = "kamerarchief-site-id.txt"


class SearchIndexError(Exception):
    """Pagefind failed; carries what it printed."""


def build_index(site_dir: Path, site_id: str, digests: dict[str, bytes], per_bundle: int,
                previous: Path | None = None, index_dir: Path | None = None,
                meanwhile: Callable[[], None] | None = None) -> str:
    """Index the pages of `site_dir` ({url: digest} in `digests`, whose id is `site_id`) into
    `index_dir` (default `site_dir/pagefind`; when it exists, it must be a hard-linked copy of
    `previous`, and is brought up to date in place: kamerarchief/bundles.py), in bundles of about
    `per_bundle` pages (kamerarchief/bundles.py), with the facet store; returns what Pagefind
    printed. Bundles whose pages are unchanged are linked from the `previous` index, not made
    again; so are those of which few pages changed, with those pages indexed into the overlay
    bundle (kamerarchief/bundles.py). `meanwhile()` runs in this process while Pagefind works."""
    index_dir = index_dir or site_dir / "pagefind"
    work = site_dir.parent / f".{site_dir.name.lstrip('.')}.index-work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    bundles = plan_bundles(digests, per_bundle)
    parts, output, stale, changed = [], [], {}, []
    try:
        for number, bundle in enumerate(bundles):
            old = reusable(previous, bundle)
            kept = overlay_base(previous, bundle, digests) if old is None else None
            if old is not None or kept is not None:
                parts.append((bundle, old or kept[0], True))
                if kept is not None:
                    stale[bundle.path] = kept[1]
                    changed += kept[2]
                continue
            folder = work / f"bundle-{number}"
            output.append(_index_pages(site_dir, bundle, len(bundles) > 1, work / f"pages-{number}", folder,
                                       digests, meanwhile))
            meanwhile = None
            parts.append((bundle, folder, False))
        if changed:
            # Pages changed in kept bundles: indexed on their own, searched with the others.
            overlay = Bundle(OVERLAY, tuple(sorted(changed)), "")
            folder = work / "bundle-overlay"
            output.append(_index_pages(site_dir, overlay, True, work / "pages-overlay", folder, digests,
                                       meanwhile))
            meanwhile = None
            parts.append((overlay, folder, False))
        if meanwhile:
            meanwhile()
        assemble(parts, index_dir, stale)
        record_site_id(index_dir, site_id)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return "".join(output)


def _index_pages(site_dir: Path, bundle: Bundle, own_folder: bool, pages: Path, folder: Path,
                 digests: dict[str, bytes], meanwhile: Callable[[], None] | None) -> str:
    """Index the bundle's pages into `folder` (from a folder of links to them at `pages` when
    `own_folder`, else from the whole site) and note its records; what Pagefind printed."""
    if own_folder:
        page_farm(site_dir, bundle, pages)
    else:
        pages = site_dir
    output = _run_pagefind(pages, folder, meanwhile)
    if pages != site_dir:
        shutil.rmtree(pages)
    make_filters_stable(folder)
    finish_bundle(site_dir, folder, bundle, digests)
    return output


def _run_pagefind(pages: Path, folder: Path, meanwhile: Callable[[], None] | None) -> str:
    """Run Pagefind on the site folder `pages`, writing its bundle to `folder`."""
    executable = pagefind_bin.get_executable()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [str(executable), "--site", str(pages), "--output-path", str(folder), "--quiet"],
            stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            if meanwhile:
                meanwhile()
            returncode = process.wait()
        except BaseException:
            process.kill()
            process.wait()
            raise
        log.seek(0)
        output = log.read()
    if returncode != 0:
        raise SearchIndexError(f"pagefind exited with {returncode}:\n{output}")
    return output


def meta_pages(bundle: Path) -> list[tuple[str, list[str]]]:
    """[(metadata file name, Pagefind's page ids in its order)] for each language of a bundle:
    the order in which the facet store numbers the pages, so that the search page learns a
    result's page number from the metadata Pagefind loads anyway."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    found = []
    for language in sorted(entry["languages"].values(), key=lambda language: language["hash"]):
        name = f"pagefind.{language['hash']}.pf_meta"
        data = gzip.decompress((bundle / name).read_bytes())
        if not data.startswith(SIGNATURE):
            raise SearchIndexError(f"{bundle / name}: not a Pagefind metadata file")
        meta, _ = _decode(data, len(SIGNATURE))
        found.append((name, [page[0] for page in meta[1]]))
    return found


def record_site_id(bundle: Path, site_id: str) -> None:
    """Note in the bundle which pages it indexes, and which program (Pagefind and this code) made it.
    The file may be a hard link to the live site's: it is replaced, never written into."""
    (bundle / SITE_ID_FILE).unlink(missing_ok=True)
    (bundle / SITE_ID_FILE).write_text(f"{site_id} {code_version()}\n", encoding="utf-8")


def index_is_current(bundle: Path, site_id: str) -> bool:
    """Whether the bundle indexes exactly the pages whose id is `site_id`, made by this program."""
    try:
        recorded = (bundle / SITE_ID_FILE).read_text(encoding="utf-8").split()
    except OSError:
        return False
    return bool(site_id) and recorded == [site_id, code_version()]


def make_filters_stable(bundle: Path) -> None:
    """Sort the values of each filter file and the filter list, and name files by their content."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        meta_path = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(meta_path)
        if meta is None or len(meta) < 4:
            continue  # not the layout this was written for: leave Pagefind's output as it is
        renamed = {}
        for item in meta[3]:
            name, old_hash = item
            filter_path = bundle / "filter" / f"{old_hash}.pf_filter"
            data = _sorted_filter(gzip.decompress(filter_path.read_bytes()))
            if data is None:
                continue
            new_hash = _write_bytes(bundle / "filter", data, old_hash, 7, ".pf_filter")
            filter_path.unlink()
            renamed[old_hash] = new_hash
            item[1] = new_hash
        meta[3] = sorted(meta[3], key=lambda item: item[0])
        new_meta_hash = _write(bundle, meta, language["hash"], 10, ".pf_meta", prefix="pagefind.")
        meta_path.unlink()
        language["hash"] = new_meta_hash
    entry_path.write_text(json.dumps(entry, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")


def _read(path: Path):
    """Decode one of Pagefind's gzipped CBOR files; None when it is not one we can rewrite."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        return None
    try:
        value, end = _decode(data, len(SIGNATURE))
    except (ValueError, IndexError, UnicodeDecodeError):
        return None
    if end != len(data) or _encode(value) != data[len(SIGNATURE):]:
        return None  # would not round-trip byte for byte
    return value


def _sorted_filter(data: bytes) -> bytes | None:
    """A filter file, [name, [[value, pages...], ...], ...], with its values in sorted order.

    The entries are moved as the bytes they are (a filter lists thousands of page numbers, which
    decoding and encoding would spend seconds on). None when the file is not of that layout."""
    if not data.startswith(SIGNATURE):
        return None
    try:
        (major, items), index = _head_at(data, len(SIGNATURE))
        if major != 4 or items < 2:
            return None
        index = _skip(data, index)  # the filter's name
        (major, count), first = _head_at(data, index)
        if major != 4:
            return None
        entries, index = [], first
        for _ in range(count):
            (major, size), inner = _head_at(data, index)
            if major != 4 or size < 1:
                return None
            value, _ = _decode(data, inner)
            if not isinstance(value, str):
                return None
            end = _skip(data, index)
            entries.append((value, data[index:end]))
            index = end
        end = index
        for _ in range(items - 2):  # what follows the entries, copied as it is
            end = _skip(data, end)
        if end != len(data) or len({value for value, _ in entries}) != len(entries):
            return None
    except (ValueError, IndexError, UnicodeDecodeError, TypeError):
        return None
    entries.sort(key=lambda entry: entry[0])
    return data[:first] + b"".join(chunk for _, chunk in entries) + data[index:]


def _head_at(data: bytes, index: int) -> tuple[tuple[int, int], int]:
    """((major type, argument), index after the head) of the CBOR item at `index`."""
    initial = data[index]
    major, info = initial >> 5, initial & 31
    index += 1
    if info < 24:
        return (major, info), index
    if info <= 27:
        size = 1 << (info - 24)
        return (major, int.from_bytes(data[index:index + size], "big")), index + size
    raise ValueError("unsupported CBOR item")


def _skip(data: bytes, index: int) -> int:
    """The index after the CBOR item at `index`, without decoding it."""
    (major, argument), index = _head_at(data, index)
    if major in (2, 3):
        return index + argument
    if major == 4:
        for _ in range(argument):
            index = _skip(data, index)
        return index
    if major == 0 or (major == 7 and argument in (20, 21, 22)):
        return index
    raise ValueError("unsupported CBOR item")


def _write_bytes(folder: Path, data: bytes, old_hash: str, digits: int, suffix: str, prefix: str = "") -> str:
    language = old_hash.split("_")[0]
    new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{prefix}{new_hash}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return new_hash


def _write(folder: Path, value, old_hash: str, digits: int, suffix: str, prefix: str = "") -> str:
    return _write_bytes(folder, SIGNATURE + _encode(value), old_hash, digits, suffix, prefix)


def _decode(data: bytes, index: int):
    """Decode the CBOR subset Pagefind writes: integers, strings, arrays, maps, simple values."""
    initial = data[index]
    major, info = initial >> 5, initial & 31
    index += 1
    if info < 24:
        argument = info
    elif info <= 27:
        size = 1 << (info - 24)
        argument = int.from_bytes(data[index:index + size], "big")
        index += size
    else:
        raise ValueError("unsupported CBOR item")
    if major == 0:
        return argument, index
    if major == 2:
        return data[index:index + argument], index + argument
    if major == 3:
        return data[index:index + argument].decode("utf-8"), index + argument
    if major == 4:
        items = []
        for _ in range(argument):
            item, index = _decode(data, index)
            items.append(item)
        return items, index
    if major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], index
    raise ValueError("unsupported CBOR item")


def _head(major: int, argument: int) -> bytes:
    if argument < 24:
        return bytes([major << 5 | argument])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if argument < 1 << (8 * size):
            return bytes([major << 5 | info]) + argument.to_bytes(size, "big")
    raise ValueError("integer too large")


def _encode(value) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        encoded = value.encode("utf-8")
        return _head(3, len(encoded)) + encoded
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    raise ValueError("unsupported value")
