"""Two generations of the built site, so that a rebuild after a small edit costs what changed.

A rebuild updates a staging folder that must hold the whole site before it is swapped into place.
Linking all of the live site's files into a fresh staging folder, and removing the previous site
after the swap, each cost seconds at thousands of pages. Instead, the site a rebuild replaces is
kept beside the output as the spare (`.site.spare` for `site/`): its files are hard links to the
same files as the live site's, except for the few that the rebuild changed. The spare records
which those are, and for which build, in a file of its own (SPARE_RECORD). The next rebuild turns
the spare into its staging folder by linking just those paths from the live site, so that both
steps cost what changed rather than the size of the site, and the live site is still replaced
whole by two renames.

Nothing is ever written into a file the two generations share: pages are written beside their
name and renamed over it (write.write_page), the search index into new files.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from pathlib import Path

from .cache import folder_inodes
from .write import signals_deferred, link_file, link_tree, remove_page, staging_folder, url_to_path

SPARE_RECORD = ".kamerarchief-spare.json"


def set_aside(output: Path, folder: Path, what: str) -> threading.Thread:
    """Move `folder` (a generation's search index, or a spare no longer of use) out of the way,
    beside the output, and remove it in the thread returned: thousands of files, removed while
    Pagefind indexes rather than before it. Join it before the program ends."""
    discarded = output.parent / f".{output.name}.discarded-{what}"
    if discarded.exists():
        shutil.rmtree(discarded)  # left by a build that was killed
    if folder.exists():
        os.rename(folder, discarded)
    remover = threading.Thread(target=shutil.rmtree, args=(discarded, True), name="remove old index")
    remover.start()
    return remover


def spare_folder(output: Path) -> Path:
    """The previous generation of the site, beside the output folder."""
    return output.parent / f".{output.name}.spare"


def prepare_staging(output: Path, token: str, later: str) -> tuple[Path, list[str]]:
    """A staging folder that holds the live site `output`, built by the build `token`, as hard
    links: the spare brought up to date when it was left by that build, else a fresh copy.
    Paths in the folder `later` (the search index, which a rebuild may well make anew) are left
    as the spare has them: (staging folder, the paths in it still to sync with sync_paths)."""
    staging = staging_folder(output)
    if staging.exists():
        shutil.rmtree(staging)  # left by a build that was killed
    spare = spare_folder(output)
    changed = _spare_changes(spare, token) if token else None  # "": a spare not finished
    if changed is None:
        discard_spare(output)
        link_tree(output, staging)
        return staging, []
    os.rename(spare, staging)
    (staging / SPARE_RECORD).unlink()
    deferred = [path for path in changed if path == later or path.startswith(f"{later}/")]
    sync_paths(output, staging, [path for path in changed if path not in deferred])
    return staging, deferred


def sync_paths(live: Path, staging: Path, paths: list[str]) -> None:
    """Make each of these relative paths in staging what it is in the live site."""
    for relative in paths:
        _sync_path(live, staging, relative)


def return_staging(output: Path, token: str, changed: list[str]) -> None:
    """Keep an unused staging folder (made by prepare_staging, not written into since except at
    the paths `changed`) as the spare of the live site of build `token`."""
    staging = staging_folder(output)
    discard_spare(output)
    os.rename(staging, spare_folder(output))
    _write_record(spare_folder(output), token, changed)


def swap_keeping_spare(staging: Path, output: Path, token: str, changed: list[str]) -> None:
    """Replace `output` with `staging` by two renames; the replaced site becomes the spare of
    the new one, which differs from it at the relative paths `changed` and was made by `token`."""
    spare = spare_folder(output)
    discard_spare(output)
    with signals_deferred():
        os.rename(output, spare)
        os.rename(staging, output)
    _write_record(spare, token, changed)


def start_spare(output: Path) -> threading.Thread:
    """Begin the spare of a site being built whole, from its staging folder once the pages are
    written (while Pagefind indexes): a copy in hard links of all but the search index. It is
    not trusted until finish_spare. The previous spare, whose differences are not known, is
    removed by the thread returned."""
    remover = set_aside(output, spare_folder(output), "spare")
    making = output.parent / f".{output.name}.spare-new"
    if making.exists():
        shutil.rmtree(making)  # left by a build that was killed
    try:
        link_tree(staging_folder(output), making, leave_out=lambda name: name == "pagefind")
        _write_record(making, "", [])  # no build's: not used until finish_spare names the build
        os.rename(making, spare_folder(output))
    except BaseException:
        shutil.rmtree(making, ignore_errors=True)
        raise
    return remover


def finish_spare(output: Path, token: str) -> None:
    """Record the spare begun by start_spare as that of the site now live, made by `token`: it
    lacks the search index."""
    if _spare_changes(spare_folder(output), "") is not None:  # begun, and by this build
        _write_record(spare_folder(output), token, ["pagefind"])


def discard_spare(output: Path) -> None:
    """Remove the spare, if there is one."""
    spare = spare_folder(output)
    if spare.exists():
        shutil.rmtree(spare, ignore_errors=True)


def restore_swapped_out(output: Path) -> None:
    """If a build was killed between the two renames of swap_keeping_spare, put the site back:
    the spare then has no record yet and is the whole previous site."""
    spare = spare_folder(output)
    if not output.exists() and spare.is_dir() and not (spare / SPARE_RECORD).exists():
        os.rename(spare, output)


def changed_paths(folder: Path, urls: list[str]) -> list[str]:
    """The paths, relative to the site folder `folder`, of the files behind these site URLs
    (pages, feeds and data as write.write_page names them; static files as '/static/...')."""
    return sorted(url_to_path(folder, url).relative_to(folder.resolve()).as_posix() for url in urls)


def differing_files(new: Path, old: Path) -> list[str]:
    """Paths (relative to `new`, prefixed by its name) of the files of `new` that are not the
    same file (by inode) in `old`, and of the files of `old` that `new` lacks."""
    now, before = folder_inodes(new), folder_inodes(old)
    return sorted(f"{new.name}/{path}" for path in now.keys() | before.keys() if now.get(path) != before.get(path))


def _spare_changes(spare: Path, token: str) -> list[str] | None:
    """The paths where the spare differs from the live site of build `token`; None when there is
    no spare, or it was not left by that build."""
    try:
        record = json.loads((spare / SPARE_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("build") != token or not isinstance(record.get("changed"), list):
        return None
    return [path for path in record["changed"] if isinstance(path, str)]


def _write_record(spare: Path, token: str, changed: list[str]) -> None:
    (spare / SPARE_RECORD).write_text(json.dumps({"build": token, "changed": changed}), encoding="utf-8")


def _sync_path(live: Path, staging: Path, relative: str) -> None:
    """Make `relative` in staging what it is in the live site: a link to its file, links to the
    files of its folder, or absent."""
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return  # not a path this program records
    source, target = live / relative, staging / relative
    if source.is_dir():
        if target.is_dir():
            shutil.rmtree(target)
        link_tree(source, target)
    elif source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.link")
        temporary.unlink(missing_ok=True)
        link_file(source, temporary)
        os.replace(temporary, target)
    elif target.is_file() or target.is_symlink():
        remove_page(staging, "/" + relative)
