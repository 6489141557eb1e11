"""The search index in bundles: Pagefind indexes the pages in parts, one after another, and the
search page searches them together (Pagefind's mergeIndex).

Pagefind holds a whole index in memory while it writes it (10.9 GB for 78,000 pages), and cannot
update one. Split into bundles of at most `search_bundle_pages` pages, it needs memory for one
bundle at a time, and a rebuild runs it again only on the bundles whose pages changed. A page's
bundle follows from its URL (the pages of one verslag stay together), so that an edit touches
the same bundle in every build. The first bundle is the index folder itself (its pagefind.js is
the one the search page loads); the others lie in it as deel-2/, deel-3/, ...

Each bundle notes the pages it indexes (an id of their digests) and, in
`kamerarchief-paginas.json`, their URLs, Pagefind's ids for them, their facets and their digests,
from which the facet store of the whole index is made without reading the pages of unchanged
bundles again.

After an edit that changes few of a bundle's pages (at most 1 in OVERLAY_SHARE), the bundle is
not indexed again: the previous one is kept as it is, and the pages changed since it was made are
indexed into a small overlay bundle (`bijgewerkt/`), searched with the others. The facet store
lists the kept bundle's out-of-date pages ('vervallen'), whose results the search page drops.
The next edit indexes the overlay anew from every page changed since the kept bundle was made;
once that is more than 1 in OVERLAY_SHARE, the bundle is indexed again and the overlay goes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .cache import code_version
from .facets import bundle_records, page_file, write_store
from .model import is_page
from .render import INDEX_PAGES
from .write import link_file, link_tree

BUNDLE_ID_FILE = "kamerarchief-bundel-id.txt"
RECORDS_FILE = "kamerarchief-paginas.json"
OVERLAY = "bijgewerkt/"
# A bundle is kept, with its changed pages in the overlay, while at most 1 page in this many
# changed: Pagefind indexes about 300 pages a second here, plus 0.2 s to start and write.
OVERLAY_SHARE = 20


@dataclass(frozen=True)
class Bundle:
    """One part of the index: where it lies in the index folder, its pages, and their id."""

    path: str  # "" for the first, "deel-2/" ...
    urls: tuple[str, ...]
    ident: str


def bundle_of(url: str, count: int) -> int:
    """The bundle (0 to count - 1) of a page: the pages of one verslag share one."""
    parts = url.strip("/").split("/")
    key = "/".join(parts[:2]) if parts[0] == "verslagen" else url
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big") % count


def plan_bundles(digests: dict[str, bytes], per_bundle: int) -> list[Bundle]:
    """The bundles for pages whose digests are given ({url: digest}), at most about
    `per_bundle` pages each. The index pages (home, lists, the search page, which changes with
    every page) are not indexed and belong to none, nor do the files that are not pages (feeds,
    data files, the sitemap)."""
    indexed = sorted(url for url in digests if is_page(url) and url not in INDEX_PAGES)
    count = max(1, -(-len(indexed) // max(1, per_bundle)))
    members: list[list[str]] = [[] for _ in range(count)]
    for url in indexed:
        members[bundle_of(url, count)].append(url)
    bundles = []
    for number, urls in enumerate(members):
        digest = hashlib.blake2b(f"{number}/{count}".encode(), digest_size=16)
        for url in urls:
            digest.update(url.encode() + b"\0" + digests[url])
        bundles.append(Bundle("" if number == 0 else f"deel-{number + 1}/", tuple(urls),
                              f"{digest.hexdigest()} {code_version()}"))
    return bundles


def reusable(previous: Path | None, bundle: Bundle) -> Path | None:
    """The folder of the same bundle in the previous index, if it indexes the same pages."""
    if previous is None:
        return None
    folder = previous / bundle.path if bundle.path else previous
    try:
        if (folder / BUNDLE_ID_FILE).read_text(encoding="utf-8").strip() == bundle.ident:
            return folder
    except OSError:
        pass
    return None


def page_farm(site_dir: Path, bundle: Bundle, farm: Path) -> None:
    """A folder that holds (hard links to) the bundle's pages only, at the same paths, for
    Pagefind to index: it gives them the same URLs as in the site."""
    for url in bundle.urls:
        source = page_file(site_dir, url)
        if not source.is_file():
            continue
        target = page_file(farm, url)
        target.parent.mkdir(parents=True, exist_ok=True)
        link_file(source, target)


def overlay_base(previous: Path | None, bundle: Bundle, digests: dict[str, bytes]) -> tuple[Path, set[str], list[str]] | None:
    """When few of a bundle's pages changed since the previous index made it: (the bundle's
    folder there, the URLs it indexes that are out of date, the URLs to index in the overlay)."""
    if previous is None:
        return None
    folder = previous / bundle.path if bundle.path else previous
    try:
        made_by = (folder / BUNDLE_ID_FILE).read_text(encoding="utf-8").split()[1:]
        versions = saved_records(folder).get("versies")
    except (OSError, ValueError):
        return None
    if made_by != [code_version()] or not isinstance(versions, dict):
        return None
    current = {url: digests[url].hex() for url in bundle.urls}
    fresh = [url for url in bundle.urls if versions.get(url) != current[url]]
    stale = {url for url, version in versions.items() if current.get(url) != version}
    if len(stale.union(fresh)) * OVERLAY_SHARE > len(bundle.urls):
        return None
    return folder, stale, fresh


def finish_bundle(site_dir: Path, folder: Path, bundle: Bundle, digests: dict[str, bytes]) -> dict:
    """Note in a freshly indexed bundle its id and its pages' records; returns the records."""
    records = bundle_records(site_dir, folder)
    records["versies"] = {url: digests[url].hex() for url in bundle.urls}
    (folder / RECORDS_FILE).write_text(json.dumps(records, ensure_ascii=False, separators=(",", ":")),
                                       encoding="utf-8")
    (folder / BUNDLE_ID_FILE).write_text(bundle.ident + "\n", encoding="utf-8")
    return records


def saved_records(folder: Path) -> dict:
    """The records a bundle noted when it was made."""
    return json.loads((folder / RECORDS_FILE).read_text(encoding="utf-8"))


def assemble(parts: list[tuple[Bundle, Path, bool]], index_dir: Path, stale: dict[str, set[str]] | None = None) -> None:
    """Put the bundles' folders [(bundle, folder, reused)] together as `index_dir`: the first as
    the folder itself, the others inside it. Reused folders belong to the live site and are
    hard-linked, never moved or written into. `stale` ({bundle path: URLs}) names the pages of
    kept bundles that the overlay supersedes.

    When `index_dir` exists, it is a hard-linked copy of the previous index, from which the reused
    folders are: it is brought up to date in place (bundles made again replace theirs, the overlay
    is replaced or goes), which spares linking its thousands of files again."""
    if index_dir.is_dir():
        _update_in_place(parts, index_dir)
    else:
        for bundle, folder, reused in parts:
            target = index_dir / bundle.path if bundle.path else index_dir
            if reused:
                # The first bundle's folder also holds the others of the previous index.
                link_tree(folder, target, None if bundle.path else _other_bundle)
            else:
                os.rename(folder, target)
    write_store(index_dir, [(bundle.path, saved_records(index_dir / bundle.path if bundle.path else index_dir))
                            for bundle, _, _ in parts], stale)


def _other_bundle(name: str) -> bool:
    """Whether a name in the first bundle's folder is another bundle's (deel-2, the overlay)."""
    return name.startswith("deel-") or name == OVERLAY.rstrip("/")


def _update_in_place(parts: list[tuple[Bundle, Path, bool]], index_dir: Path) -> None:
    """Replace, in a hard-linked copy of the previous index, the bundles made again (unlinking
    the old files, never writing into them); remove the bundles no longer made."""
    wanted = {bundle.path.rstrip("/") for bundle, _, _ in parts if bundle.path}
    for entry in list(index_dir.iterdir()):
        if _other_bundle(entry.name) and entry.name not in wanted:
            shutil.rmtree(entry)
    for bundle, folder, reused in parts:
        if reused:
            continue
        if bundle.path:
            shutil.rmtree(index_dir / bundle.path, ignore_errors=True)
            os.rename(folder, index_dir / bundle.path)
            continue
        for entry in list(index_dir.iterdir()):
            if not _other_bundle(entry.name):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        for entry in list(folder.iterdir()):
            os.rename(entry, index_dir / entry.name)
