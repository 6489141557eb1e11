"""Builds from the command line that start from the previous build rather than from scratch.

After each build the project's cache folder (.kamerarchief-cache/) holds what it was made from and
what it made: parsed files and rendered prose by content hash, the resolved site, each page's
dependencies and digest. The next build then
  - does nothing when content, templates, static files, settings and program are all unchanged
    and the output folder is untouched since;
  - otherwise, when the output is still the one the saved build made, hard-links it into a staging
    folder, re-renders only the pages that depend on what changed (as the preview server does),
    re-indexes when any page changed, and swaps the staging folder into place;
  - otherwise builds everything, reusing parsed files and prose whose content is unchanged.
A saved build from other code or settings is never used.
"""

from __future__ import annotations

import dataclasses
import fcntl
import gc
import hashlib
import hmac
import json
import os
import pickle
import secrets
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from .cache import (BuildCache, code_version, content_hash, file_signature, folder_signature, folder_stats,
                    digest_entries, output_fingerprint, recently_written, tree_digest)
from .config import Config
from .errors import BuildError
from .load import REGISTRY_FILES
from .progress import Progress
from .model import is_page
from .generations import (changed_paths, differing_files, finish_spare, prepare_staging, restore_swapped_out,
                          return_staging, set_aside, start_spare, swap_keeping_spare, sync_paths)
from .write import check_output_folder, discard_staging, recover_interrupted_swap

# The pipeline and the search index (Jinja2, markdown-it, Pagefind) are imported only once there is
# work to do: a build with nothing changed spends no time on them.
if TYPE_CHECKING:
    from .pipeline import BuildReport, IncrementalBuilder, Result

CACHE_FOLDER = ".kamerarchief-cache"
HASHES = "hashes.json"  # cache.tree_digest's hashes of the input files, by path and stats
# Recorded instead of stats that cannot be trusted (cache.recently_written): equal to no stats.
UNTRUSTED = "untrusted"
UNTRUSTED_STATS = (UNTRUSTED,)


@dataclass
class SavedBuild:
    """What one build leaves for the next."""

    version: str
    token: str  # also written in last-build.txt once the build is in place
    cache: BuildCache
    result: Result  # without HTML; pages without their template context; the site without relations
    digests: dict[str, bytes]
    templates: dict[str, bytes | str]
    static: dict[str, bytes | str]
    stats: dict[str, tuple]  # _content_stats when the build began
    # Site.memo: the rows of the whole-archive tables and the feed entries, per verslag, pickled
    # with the objects they were made from so that they stay the very same ones.
    remembered: dict = dataclasses.field(default_factory=dict)


def build_reusing_cache(config: Config, workers: int | None = None,
                        progress: Progress | None = None) -> BuildReport | None:
    """Build config.output from what changed since the last build (see the module's docstring);
    None when nothing had changed, so that there was nothing to do. One build of a project runs
    at a time."""
    with _exclusive(config.root / CACHE_FOLDER / "lock"):
        return _build(config, workers, progress or Progress())


def _build(config: Config, workers: int | None, progress: Progress) -> BuildReport | None:
    """build_reusing_cache, with the project's lock held."""
    start = time.perf_counter()
    folder = config.root / CACHE_FOLDER
    version = code_version(dataclasses.astuple(config))
    # The digests recorded for the next build are taken before the snapshots this build works
    # from, and those before anything is read: an edit made meanwhile is seen by the next build.
    # One walk of the content serves both the digest and the per-folder sizes and times.
    taken_ns = time.time_ns()
    content_entries = folder_stats(config.content)
    listings = (content_entries, folder_stats(config.templates), folder_stats(config.static))
    input_stats = digest_entries(*listings)
    if any(recently_written(listing, taken_ns) for listing in listings):
        input_stats = UNTRUSTED
    fingerprint = output_fingerprint(config.output)
    last = LastBuild.read(folder / "last-build.txt")
    if last and last.version == version and last.output == fingerprint and last.input_stats == input_stats != UNTRUSTED:
        return None
    # Files were written (or touched): the content decides. Only the files written since the
    # last build are read.
    inputs, hashes = tree_digest((config.content, config.templates, config.static), listings,
                                 _read_hashes(folder / HASHES), taken_ns)
    _write_hashes(folder / HASHES, hashes)
    if last and last.version == version and last.output == fingerprint and last.inputs == inputs:
        LastBuild(version, inputs, input_stats, fingerprint, last.token).write(folder / "last-build.txt")
        return None
    # Read and checked on another core (neither holds the interpreter) while this one prepares.
    reading = _SignedRead(folder / "state.pickle")
    reading.start()
    stats = _content_stats(config, content_entries, taken_ns)
    templates, static = _hashes(config.templates), _hashes(config.static)

    from .pipeline import IncrementalBuilder

    check_output_folder(config.output, [config.root, config.content, config.templates, config.static])
    recover_interrupted_swap(config.output)
    restore_swapped_out(config.output)
    builder = IncrementalBuilder(config, workers=workers)
    builder.env.bytecode_cache = _template_code_cache()
    load_start = time.perf_counter()
    reading.join()
    saved = _load(reading.data, version)
    load_seconds = time.perf_counter() - load_start
    # The saved build can be updated only if the output is still the one it made; otherwise (the
    # preview or a hand wrote into the output since) its parsed files and prose are still good.
    continues_output = bool(saved and last and last.version == version and last.output == fingerprint
                            and last.token == saved.token)
    token = secrets.token_hex(8)

    def save(builder: IncrementalBuilder) -> None:
        # Run once the pages are rendered: a template or static file edited meanwhile may or may
        # not be in them, and counts as changed for the next build.
        _save(folder / "state.pickle", SavedBuild(
            version, token, builder.cache, _without_html(builder.result), builder.digests,
            settled_hashes(templates, _hashes(config.templates)), settled_hashes(static, _hashes(config.static)),
            stats, builder.result.site.live_memo()))

    try:
        (folder / "last-build.txt").unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache folder: nothing is saved, every build is a full one
    try:
        if continues_output:
            saved.cache.used = set(saved.cache.units)  # the restored site is made of all of them
            report = _update(builder, saved, config, progress, save, load_seconds, templates, static, token, stats)
        else:
            if saved:
                builder.cache = saved.cache  # what this build does not use is not saved again
                saved = None  # the old site itself is not needed: let it go before the build
                gc.unfreeze()  # (_load froze it) and what of it has cycles, too
            removers = []

            def save_and_start_spare(builder: IncrementalBuilder) -> None:
                # The full build rendered the tables and feeds in worker processes: their parts
                # are remembered here, for the next rebuild, while Pagefind indexes.
                builder.warm()
                save(builder)
                # While Pagefind indexes: so that the next rebuild need not link the whole site.
                removers.append(start_spare(config.output))

            try:
                # Saved, the build is not needed in memory while Pagefind indexes.
                report = builder.full_build(progress, meanwhile=save_and_start_spare, keep=False)
            finally:
                for remover in removers:
                    remover.join()
            finish_spare(config.output, token)
    except BuildError:
        if last:  # the output is unchanged: the saved build still describes it
            last.write(folder / "last-build.txt")
        raise
    LastBuild(version, inputs, input_stats, output_fingerprint(config.output), token).write(folder / "last-build.txt")
    report.timings["cache"] = time.perf_counter() - start - report.total
    return report


@contextmanager
def _exclusive(path: Path):
    """Hold a lock on `path` so that two builds of one project never share a staging folder;
    without a writable cache folder, go on unlocked."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file = open(path, "a")
    except OSError:
        yield
        return
    with file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file is closed
        yield


@dataclass(frozen=True)
class LastBuild:
    """last-build.txt: what the build now in the output folder was made from, and its token."""

    version: str
    inputs: str  # tree_digest of content, templates and static files
    input_stats: str  # stats_digest of the same
    output: str  # output_fingerprint after the build
    token: str  # SavedBuild.token of the state saved with it

    @classmethod
    def read(cls, path: Path) -> "LastBuild | None":
        fields = (_read_text(path) or "").split()
        return cls(*fields) if len(fields) == 5 else None

    def write(self, path: Path) -> None:
        """Write it; when that cannot be done, the next build is a full one."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(" ".join(dataclasses.astuple(self)) + "\n", encoding="utf-8")
        except OSError:
            pass


def _content_stats(config: Config, entries: tuple, taken_ns: int) -> dict[str, tuple]:
    """From folder_stats of the content folder, started at `taken_ns`: the stats of each verslag
    folder (as folder_stats of that folder gives them) and of each registry file (as
    file_signature gives them), by path; UNTRUSTED_STATS for those written too recently to tell."""
    stats: dict[str, tuple] = {str(config.content / name): ("missing",) for name in REGISTRY_FILES}
    root = str(config.content / "verslagen") + os.sep
    folders: dict[str, list] = {}
    for entry in entries:
        path = entry[0]
        if path.startswith(root) and os.sep in path[len(root):]:
            folders.setdefault(root + path[len(root):].split(os.sep, 1)[0], []).append(entry)
        elif path in stats and len(entry) == 4:
            stats[path] = entry[1:] if not recently_written((entry,), taken_ns) else UNTRUSTED_STATS
    stats.update((folder, tuple(listed) if not recently_written(listed, taken_ns) else UNTRUSTED_STATS)
                 for folder, listed in folders.items())
    return stats


def _update(builder: IncrementalBuilder, saved: SavedBuild, config: Config, progress: Progress,
            save, load_seconds: float, templates_now: dict, static_now: dict, token: str,
            stats: dict[str, tuple]) -> BuildReport:
    """Bring a hard-linked copy of the output up to date with what changed, index, swap; the
    replaced site is kept as the spare of the next rebuild (generations.py), made by `token`.

    Timings: 'restore' (reading the saved build, finding what changed, making the staging folder
    from the spare), 'render+write' (the pages that depend on the changes), 'index', 'swap'."""
    from .pipeline import BuildReport
    from .search import build_index, index_is_current

    report = BuildReport()
    phase_start = time.perf_counter() - load_seconds
    progress.start("update")
    builder.restore(saved.cache, saved.result, saved.digests)
    content = _changed_content(config, saved, stats)
    templates = _changed_names(saved.templates, templates_now)
    static = {config.static / name for name in _changed_names(saved.static, static_now)}
    digests_before = dict(saved.digests)
    try:
        # The search index as the spare has it is brought up to date only if it is kept.
        staging, index_changes = prepare_staging(config.output, saved.token, later="pagefind")
        builder.output = staging
        report.timings["restore"] = time.perf_counter() - phase_start
        try:
            update = builder.update(content, templates, static)
        except BuildError:
            if builder.digests == digests_before:
                # Nothing was written: the staging folder is still the live site (but for the
                # index paths not synced), a spare again.
                return_staging(config.output, saved.token, index_changes)
            raise
        # Counted as a full build counts them: HTML pages, not feeds, data files or the sitemap.
        report.pages = sum(1 for url in builder.result.pages if is_page(url))
        report.written = sum(1 for url in (*update.written, *update.removed) if is_page(url)) + len(update.static)
        report.timings["render+write"] = update.seconds
        progress.finish(f"{update.rendered:,} pages rendered, {report.written:,} files changed")
        changed = changed_paths(staging, [*update.written, *update.removed, *update.static])
        live_index = config.output / "pagefind"
        if index_is_current(live_index, builder.site_id):
            sync_paths(config.output, staging, index_changes)
            save(builder)
        else:
            # The staging folder's index is the spare's, one build behind: first made a hard-linked
            # copy of the live one (relinking only the paths where they differ), then updated in
            # place, its bundles whose pages are unchanged (or few of them) kept as they are.
            sync_paths(config.output, staging, index_changes)
            progress.start("index", report.pages, "pages")
            index_start = time.perf_counter()
            staged_index = staging / "pagefind"
            build_index(staging, builder.site_id, builder.digests, config.search_bundle_pages,
                        staged_index if staged_index.is_dir() else None, staged_index,
                        meanwhile=lambda: save(builder))
            report.timings["index"] = time.perf_counter() - index_start
            report.indexed = True
            progress.finish()
            changed += differing_files(staging / "pagefind", live_index)
        swap_start = time.perf_counter()
        # The site replaced becomes the spare of the next rebuild: nothing is removed.
        swap_keeping_spare(staging, config.output, token, changed)
    except BaseException:
        discard_staging(config.output)
        raise
    report.timings["swap"] = time.perf_counter() - swap_start
    return report


def _changed_content(config: Config, saved: SavedBuild, stats: dict[str, tuple]) -> set[Path]:
    """Registry files and verslag folders that differ from those the saved build was made of:
    changed (their content hash is not the one cached for them), added or removed. What was not
    written since (same sizes, times and inodes in `stats`, the _content_stats this build took
    before reading anything) is not read."""
    cache = saved.cache
    changed = set()
    for filename in REGISTRY_FILES:
        path = config.content / filename
        if (saved.stats.get(str(path)) != file_signature(path)
                and not cache.has(("file", str(path)), content_hash(path))):
            changed.add(path)
    root = config.content / "verslagen"
    if not root.is_dir():
        return changed | {root}
    folders = {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")}
    built = set(saved.result.site.archive.verslagen)  # a verslag's id is its folder's name
    for name in folders ^ built:
        changed.add(root / name)
    for name in folders & built:
        folder = root / name
        # The walk at the start gave every folder's stats (an empty folder lists no file): not
        # walked again. Stats that were not trusted then or now are never taken as unchanged.
        now = stats.get(str(folder), ())
        if ((now == UNTRUSTED_STATS or saved.stats.get(str(folder)) != now)
                and not cache.has(("file", str(folder)), folder_signature(folder))):
            changed.add(folder)
    return changed


def settled_hashes(before: dict[str, bytes | str], after: dict[str, bytes | str]) -> dict[str, bytes | str]:
    """Content hashes taken before a build, with UNTRUSTED for the files whose hash differs after
    it (or that are gone): which of their versions the build used is not known."""
    return {name: digest if after.get(name) == digest else UNTRUSTED for name, digest in before.items()}


def _changed_names(before: dict, after: dict) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def _hashes(folder: Path) -> dict[str, bytes | str]:
    """{path relative to folder: content hash} of every file in it (none when it is missing)."""
    if not folder.is_dir():
        return {}
    return {os.path.relpath(path, folder): digest for path, digest in folder_signature(folder)}


def _without_html(result: Result) -> Result:
    """What a later build needs of a result: pages keep their dependencies, not what they showed."""
    from .pipeline import Result

    # Those restored from the saved build are without it already: not copied again.
    pages = {url: dataclasses.replace(page, context={}) if page.context else page for url, page in result.pages.items()}
    return Result(result.site.without_relations(), pages, {}, result.site_id)


def _save(path: Path, saved: SavedBuild) -> None:
    """Save the build for the next one; when that cannot be done (a read-only project folder or
    home), the next build simply starts from scratch."""
    kept = {key: saved.cache.units[key] for key in saved.cache.used if key in saved.cache.units}
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        signature = hashlib.blake2b(key=_user_key(), digest_size=SIGNATURE_SIZE)
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as file:
            # Pickled straight into the file, not into bytes first: a clean build saves while
            # Pagefind indexes, and the pickle (about 90 MB at N = 1,000) would add to that peak.
            file.write(bytes(SIGNATURE_SIZE))
            with _no_collections():
                pickle.dump(dataclasses.replace(saved, cache=BuildCache(kept)), _Signing(file, signature),
                            protocol=pickle.HIGHEST_PROTOCOL)
            file.seek(0)
            file.write(signature.digest())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


class _Signing:
    """A file to pickle into that signs what is written (the same keyed BLAKE2 as _signature)."""

    def __init__(self, file, signature):
        self.file, self.signature = file, signature

    def write(self, data) -> int:
        self.signature.update(data)
        return self.file.write(data)


class _SignedRead(threading.Thread):
    """Reads the build saved at `path`: `data` is its pickle once joined, None when there is
    none or this user's builds did not sign it."""

    def __init__(self, path: Path):
        super().__init__(daemon=True)  # not waited for when the build stops early
        self.path = path
        self.data: bytes | None = None

    def run(self) -> None:
        try:
            with open(self.path, "rb") as file:
                signature, data = file.read(SIGNATURE_SIZE), file.read()
            # Unpickling runs code named in the data: only what this user's builds signed is
            # read, never a file that came with someone else's project folder.
            if hmac.compare_digest(signature, _signature(data)):
                self.data = data
        except OSError:
            pass


def _load(data: bytes | None, version: str) -> SavedBuild | None:
    """The saved build in `data` (from _SignedRead) if made by this version of the program; else None."""
    if data is None:
        return None
    with _no_collections():
        try:
            saved = pickle.loads(data)
        except Exception:  # noqa: BLE001 - damaged or from other code: build from scratch
            return None
        if not isinstance(saved, SavedBuild) or saved.version != version:
            return None
        saved.result.site.with_relations().memo = saved.remembered
        # What was read lives as long as the build: frozen before the collector runs again, it
        # is never walked (the first collection after reading, over the 2 million objects it
        # made, took 0.2 to 0.7 s). A full build lets it go again (_build).
        gc.freeze()
    return saved


@contextmanager
def _no_collections():
    """The garbage collector off while a build is pickled or unpickled: millions of objects made
    (loads) or memoised (dumps) would set off many useless collections, which double the time
    (pickling the state of 1,000 verslagen: 2.0 s with them, 1.0 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


SIGNATURE_SIZE = 32
KEY_SIZE = 32


def _signature(data: bytes) -> bytes:
    """A MAC of `data` with this user's key; OSError when there is no usable key. BLAKE2's keyed
    mode (a MAC by design, without HMAC's two passes): 0.07 s for 97 MB against SHA-256's 0.10."""
    return hashlib.blake2b(data, key=_user_key(), digest_size=SIGNATURE_SIZE).digest()


def _user_cache_folder() -> Path:
    """~/.cache/kamerarchief (or under an absolute XDG_CACHE_HOME)."""
    cache_home = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(cache_home) if os.path.isabs(cache_home) else Path.home() / ".cache") / "kamerarchief"


def _template_code_cache():
    """A cache of the templates' compiled code in ~/.cache/kamerarchief/templates (Jinja2 keys
    it by each template's source: an edit compiles it again), so that a rebuild does not
    compile the ten templates its pages use (0.1 s, more on a busy machine); None when that
    folder is not this user's alone (the code in it is run)."""
    import jinja2

    folder = _user_cache_folder() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for checked in (folder, folder.parent):
            status = os.stat(checked)
            if status.st_uid != os.getuid() or status.st_mode & 0o022:
                return None
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def _user_key() -> bytes:
    """32 random bytes in ~/.cache/kamerarchief/state-key (or under an absolute XDG_CACHE_HOME),
    made on first use; only a file of this user that nobody else can read or write is used."""
    folder = _user_cache_folder()
    key_path = folder / "state-key"
    for _ in range(2):
        try:
            with open(key_path, "rb") as file:
                status = os.fstat(file.fileno())
                key = file.read()
            if status.st_uid != os.getuid() or status.st_mode & 0o077 or len(key) != KEY_SIZE:
                raise OSError(f"{key_path} is not a key of this user's: remove it")
            return key
        except FileNotFoundError:
            # Written whole under another name, then linked into place: a build never sees a
            # half-written key, and two builds making one at once agree on the first.
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = folder / f".state-key.{os.getpid()}"
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(KEY_SIZE))
            try:
                os.link(temporary, key_path)
            except FileExistsError:
                pass
            finally:
                temporary.unlink()
    raise OSError(f"{key_path} could not be made")


def _read_hashes(path: Path) -> dict[str, list]:
    """The hashes _write_hashes left (none when there are none, or they cannot be read)."""
    try:
        hashes = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return hashes if isinstance(hashes, dict) else {}


def _write_hashes(path: Path, hashes: dict[str, list]) -> None:
    """Keep the input files' hashes for the next build; when that cannot be done, it reads them all."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(hashes, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
