"""The build, step by step: load, resolve, render, write to staging, index, swap.

Nothing reaches the output folder until every step has succeeded.
"""

from __future__ import annotations

import ctypes
import dataclasses
import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2
import jinja2.meta

from .cache import BuildCache
from .config import Config
from .errors import BuildError, ErrorList
from .dutch import publication_id
from .load import load_archive, load_verslag_folder
from .markup import RenderedText
from .model import Archive, Verslag, person_filter_values
from .feeds import feed_urls
from .opendata import REMEMBERING
from .progress import Progress
from .render import (SEARCH_PAGE, Page, build_id, check_urls, encoded, is_page, make_environment, page_digest, page_urls,
                     pages_pointed_to, plan_page, plan_pages, render_pages, render_pages_in_parallel)
from .resolve import Site, replace_verslagen, resolve
from .search import build_index, index_is_current
from .sitemap import is_site_file, site_files
from .write import (check_output_folder, copy_static, discard_staging, link_tree, recover_interrupted_swap,
                    remove_page, swap_into_place, write_page, write_staging)


@dataclass
class BuildReport:
    """What a build did: pages made and written, and seconds per phase."""

    pages: int = 0
    written: int = 0
    indexed: bool = False
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.timings.values())


class _Phases:
    """Times each phase of a build into the report and shows it as progress."""

    def __init__(self, report: BuildReport, progress: Progress):
        self.report = report
        self.progress = progress

    @contextmanager
    def phase(self, name: str, total: int | None = None, unit: str = ""):
        """Time the block as phase `name`; it may report items done and a closing detail."""
        self.progress.start(name, total, unit)
        shown = _PhaseShown(self.progress)
        start = time.perf_counter()
        try:
            yield shown
        finally:
            self.report.timings[name] = self.report.timings.get(name, 0.0) + time.perf_counter() - start
            self.progress.finish(shown.detail)  # also when it failed: errors start on a line of their own


@dataclass
class _PhaseShown:
    progress: Progress
    detail: str = ""

    def advance(self, count: int) -> None:
        self.progress.advance(count)


@dataclass
class Result:
    """A valid site in memory: the resolved archive, the page plan, and the HTML rendered by the
    step that made it, UTF-8 encoded (every page after check(), with the other files the build
    writes: the sitemap and robots.txt; none once build() has written them, nor after an
    incremental rebuild)."""

    site: Site
    pages: dict[str, Page]
    html: dict[str, bytes]
    site_id: str = ""
    digests: dict[str, bytes] = field(default_factory=dict)  # page_digest of each page rendered

    def decoded(self) -> dict[str, str]:
        """The rendered files as text, {url: text}."""
        return {url: data.decode("utf-8") for url, data in self.html.items()}


def check(config: Config, report: BuildReport | None = None, cache: BuildCache | None = None,
          env: jinja2.Environment | None = None, workers: int | None = None,
          progress: Progress | None = None) -> Result:
    """Load, validate and render everything in memory; raise BuildError with every content error.

    Prose and pages are rendered on up to `workers` cores (all of them by default)."""
    report = report or BuildReport()
    phases = _Phases(report, progress or Progress())
    errors = ErrorList()
    with phases.phase("load"):
        archive = load_archive(config.content, config.root, errors, cache)
    texts = sum(1 + len(v.letters) for v in archive.verslagen.values())
    with phases.phase("validate", texts, "texts") as shown:
        site = resolve(archive, errors, cache, workers, shown.advance)
    if errors:
        raise BuildError(errors.sorted())
    with phases.phase("render", unit="pages") as shown:
        pages = plan_pages(site, config)
        shown.progress.expect(len(pages))
        check_urls(pages, errors)
        if errors:
            raise BuildError(errors.sorted())
        env = env or make_environment(config)
        others = [page for page in pages if page.url != SEARCH_PAGE]
        html = render_pages_in_parallel(others, site, config, env, errors, workers, shown.advance)
        search = [page for page in pages if page.url == SEARCH_PAGE]
        digests = {url: page_digest(text) for url, text in html.items()}
        site_id = build_id(digests)
        html.update(encoded(render_pages(search, site, config, env, errors, site_id)))
        if errors:
            raise BuildError(errors.sorted())
        html.update(encoded(site_files(config, pages)))
        digests.update((url, page_digest(html[url])) for url in html.keys() - digests.keys())
    return Result(site, {page.url: page for page in pages}, html, site_id, digests)


def build(config: Config, cache: BuildCache | None = None, env: jinja2.Environment | None = None,
          workers: int | None = None, progress: Progress | None = None,
          meanwhile: Callable[["Result"], None] | None = None) -> tuple[BuildReport, Result]:
    """Build the site into config.output, replacing it only when everything succeeded.

    Pages whose bytes are unchanged are linked from the current site rather than written again,
    and when no page changed (the search page, which carries an id of all the others, is the same)
    the current search index is kept instead of running Pagefind. `meanwhile(result)` is run once
    the content is known to be valid, while Pagefind indexes. The result returned holds no HTML:
    it is on disk (`result.digests` has a digest of each page).
    """
    report = BuildReport()
    progress = progress or Progress()
    phases = _Phases(report, progress)
    check_output_folder(config.output, [config.root, config.content, config.templates, config.static])
    recover_interrupted_swap(config.output)
    result = check(config, report, cache, env, workers, progress)
    try:
        with phases.phase("write", len(result.html), "pages") as shown:
            staging, written = write_staging(config.output, result.html, config.static, shown.advance)
            # Counted as pages: the sitemap and robots.txt go along with them.
            report.pages = sum(1 for url in result.html if is_page(url))
            report.written = sum(1 for url in written if is_page(url))
            shown.detail = f"{report.pages:,} pages ({report.written:,} changed)"
        # The HTML is on disk now: let it go before Pagefind, the most memory-hungry step, starts.
        result.html.clear()
        current_index = config.output / "pagefind"
        if index_is_current(current_index, result.site_id):
            link_tree(current_index, staging / "pagefind")
            if meanwhile:
                meanwhile(result)
        else:
            with phases.phase("index", report.pages, "pages"):
                # Bundles whose pages are unchanged are linked from the current index.
                build_index(staging, result.site_id, result.digests, config.search_bundle_pages,
                            current_index if current_index.is_dir() else None,
                            meanwhile=meanwhile and (lambda: meanwhile(result)))
            report.indexed = True
        with phases.phase("swap"):
            remover = swap_into_place(staging, config.output)
    except BaseException:
        discard_staging(config.output)
        raise
    removing = time.perf_counter()
    remover.join()  # the previous site, removed in the background; part of the swap
    report.timings["swap"] += time.perf_counter() - removing
    return report, result


@dataclass
class Update:
    """What an incremental rebuild changed in the output folder."""

    rendered: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    static: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed or self.static)


class IncrementalBuilder:
    """Keeps the last good build and brings the output folder up to date after edits.

    An edit inside verslag folders reloads and checks only those verslagen and renders only the
    pages that depend on them (the pages whose dependencies name a changed record); any other
    content edit reloads everything, reusing what is unchanged. A template edit renders the pages
    that use it. Only files whose bytes changed are written; content with errors changes nothing.
    """

    def __init__(self, config: Config, output: Path | None = None, workers: int | None = None):
        self.config = config
        self.workers = workers  # processes for a full build (None: one per core)
        self.output = output or config.output  # where pages are updated (config.output or a staging copy)
        self.cache = BuildCache()
        self.env = make_environment(config)
        self.result: Result | None = None
        self.digests: dict[str, bytes] = {}
        self.site_id = ""
        self.pending: set[Path] = set()  # content changed since the last good build

    def full_build(self, progress: Progress | None = None,
                   meanwhile: Callable[["IncrementalBuilder"], None] | None = None,
                   keep: bool = True) -> BuildReport:
        """Build everything into the output folder (staged, indexed, swapped) and remember it.
        `meanwhile(self)` runs, with the new build remembered, while Pagefind indexes.

        With `keep` false the build is forgotten as soon as `meanwhile` has run (it saved it, say):
        Pagefind's memory then peaks beside a build process that no longer holds the site, and
        this builder cannot update the output afterwards."""
        def remember(result: Result) -> None:
            self.result = result
            self.digests = dict(result.digests)
            self.site_id = result.site_id
            self.pending.clear()
            if meanwhile:
                meanwhile(self)
            if not keep:
                self.forget()

        report, result = build(self.config, self.cache, self.env, self.workers, progress, remember)
        if keep:
            self.result = result
            _settle()
        return report

    def forget(self) -> None:
        """Let go of the remembered build (its site, pages and parsed content) and hand the memory
        back to the system; only `digests` and `site_id` are kept."""
        if self.result is not None:
            # build() holds this same Result until it returns: empty it rather than drop it.
            self.result.site = None
            self.result.pages = {}
            self.result.html.clear()
        self.result = None
        self.cache = BuildCache()
        release_memory()

    def warm(self) -> None:
        """Render once, only for what they keep, the files that remember parts of themselves on
        the site (the tables of every verslag, the entries of the feeds): the first edit is then
        as quick as later ones. The preview runs it while Pagefind indexes."""
        site = self.result.site
        urls = [*REMEMBERING, *feed_urls(site)]
        render_pages([plan_page(site, url) for url in urls], site, self.config, self.env, ErrorList())

    def restore(self, cache: BuildCache, result: Result, digests: dict[str, bytes]) -> None:
        """Continue from a build made earlier (by another process) into this output folder."""
        self.cache, self.result, self.digests = cache, result, digests
        self.site_id = result.site_id
        self.pending.clear()

    def update(self, content: set[Path], templates: set[str], static: set[Path]) -> Update:
        """Rebuild after edits: changed content files, template names and static files."""
        start = time.perf_counter()
        self.pending |= content
        update = Update()
        if self.pending or templates:
            update = self._update_pages(templates)
        if static:
            update.static = copy_static(self.config.static, self.output, static)
        update.seconds = time.perf_counter() - start
        return update

    def _update_pages(self, templates: set[str]) -> Update:
        site, changed, todo = self.result.site, set(), set()
        if self.pending:
            folders = self._changed_folders()
            site, changed, todo = (self._replace_verslagen(folders) if folders is not None
                                   else self._reload_everything())
        try:
            return self._render_and_write(site, changed, todo, templates)
        except BaseException:
            # The kept site may already hold the new verslagen while pages were not rendered:
            # forget it, so that the next rebuild starts from scratch.
            self.result = None
            raise

    def _render_and_write(self, site: Site, changed: set[str], todo: set[str], templates: set[str]) -> Update:
        old_pages = self.result.pages
        urls = page_urls(site)  # once: every URL of the site, 0.05 s at 1,000 verslagen
        live = set(urls)
        todo |= live ^ old_pages.keys()  # pages added and removed
        # A scan, not a reverse index: a few milliseconds for thousands of pages, and nothing to
        # build when a saved build is restored.
        todo |= {url for url, page in old_pages.items() if not page.depends_on.isdisjoint(changed)}
        users = _template_users(self.env, templates)
        todo |= {url for url, page in old_pages.items() if page.template in users}
        planned = {url: plan_page(site, url) for url in sorted(todo & live) if url != SEARCH_PAGE}
        errors = ErrorList()
        html = render_pages(list(planned.values()), site, self.config, self.env, errors)
        if errors:
            raise BuildError(errors.sorted())
        update = Update(rendered=len(html))
        for url, text in html.items():
            digest = page_digest(text)
            if self.digests.get(url) != digest:
                write_page(self.output, url, text)
                self.digests[url] = digest
                update.written.append(url)
        for url in sorted(old_pages.keys() - live):
            remove_page(self.output, url)
            self.digests.pop(url, None)
            update.removed.append(url)
        site_id = build_id({url: d for url, d in self.digests.items() if url != SEARCH_PAGE})
        if site_id != self.site_id or SEARCH_PAGE in todo:
            self.site_id = site_id
            text = render_pages([plan_page(site, SEARCH_PAGE)], site, self.config, self.env, errors, site_id)
            if errors:
                raise BuildError(errors.sorted())
            html.update(text)
            if self.digests.get(SEARCH_PAGE) != page_digest(text[SEARCH_PAGE]):
                write_page(self.output, SEARCH_PAGE, text[SEARCH_PAGE])
                self.digests[SEARCH_PAGE] = page_digest(text[SEARCH_PAGE])
                update.written.append(SEARCH_PAGE)
        pages = {url: page for url, page in old_pages.items() if url in live}
        pages.update(planned)
        self._update_site_files([pages[url] for url in urls], update)
        self.result = Result(site, pages, {}, self.site_id)
        self.pending.clear()
        return update

    def _update_site_files(self, pages: list[Page], update: Update) -> None:
        """Write the sitemap and robots.txt where they changed; remove sitemap files no longer made."""
        files = site_files(self.config, pages)
        for url, text in files.items():
            digest = page_digest(text)
            if self.digests.get(url) != digest:
                write_page(self.output, url, text)
                self.digests[url] = digest
                update.written.append(url)
        for url in sorted(url for url in self.digests if is_site_file(url) and url not in files):
            remove_page(self.output, url)
            del self.digests[url]
            update.removed.append(url)

    def _reload_everything(self) -> tuple[Site, set[str], set[str]]:
        """Load and check the whole archive (reusing unchanged files); (site, changed keys, pages)."""
        errors = ErrorList()
        old_site = self.result.site
        archive = load_archive(self.config.content, self.config.root, errors, self.cache)
        site = resolve(archive, errors, self.cache)
        if errors:
            raise BuildError(errors.sorted())
        keys = changed_keys(old_site.archive, archive, old_site.texts, site.texts)
        pointed = set()
        for ident in old_site.archive.verslagen.keys() | archive.verslagen.keys():
            for verslag in (old_site.archive.verslagen.get(ident), archive.verslagen.get(ident)):
                pointed |= pages_pointed_to(verslag, keys) if verslag else set()
        return site, keys, pointed

    def _changed_folders(self) -> set[str] | None:
        """The verslag folders the pending changes lie in, or None when anything else changed."""
        root = self.config.content / "verslagen"
        folders = set()
        for path in self.pending:
            if not path.is_relative_to(root) or path == root:
                return None
            folders.add(path.relative_to(root).parts[0])
        return folders

    def _replace_verslagen(self, folders: set[str]) -> tuple[Site, set[str], set[str]]:
        """Reload and check only these verslag folders; (site, changed keys, pages added or removed)."""
        errors = ErrorList()
        site = self.result.site
        old_archive = site.archive
        changed: dict[str, Verslag | None] = {}
        for name in folders:
            verslag = load_verslag_folder(self.config.content, self.config.root, name, errors, self.cache)
            if verslag is not None:
                changed[verslag.id] = verslag
            elif name in old_archive.verslagen and not (self.config.content / "verslagen" / name).is_dir():
                changed[name] = None  # the folder was removed
        if errors:
            raise BuildError(errors.sorted())
        before = {ident: old_archive.verslagen.get(ident) for ident in changed}
        texts_before = {d.url: site.texts[d.url] for v in before.values() if v for d in (v, *v.letters)}
        if replace_verslagen(site, changed, errors, self.cache) is None:
            raise BuildError(errors.sorted())
        keys = changed_keys(dataclasses.replace(old_archive, verslagen={k: v for k, v in before.items() if v}),
                            dataclasses.replace(old_archive, verslagen={k: v for k, v in changed.items() if v}),
                            texts_before, site.texts)
        pointed = {url for v in (*before.values(), *changed.values()) if v for url in pages_pointed_to(v, keys)}
        own = set()
        for verslag in (*before.values(), *changed.values()):
            if verslag is not None:
                own |= {verslag.url, *(l.url for l in verslag.letters)}
        return site, keys, pointed | own


def changed_keys(old: Archive, new: Archive, texts_before: dict[str, RenderedText],
                 texts_after: dict[str, RenderedText]) -> set[str]:
    """The dependency keys of every record that differs between two loads of the archive.

    Besides the records themselves: 'passages:<kind>:<id>' when the passages citing or mentioning
    a record changed (their words, anchors or documents), 'mentioned:<kind>:<id>' when the
    documents that mention it changed, and 'kamerstuk:<id>' and 'kamerstuk-dossier:<number>'
    (case-folded) when a verslag or dossier came or went, changing where citations of it lead.
    `texts_*` hold the prose of the verslagen that differ.
    """
    keys: set[str] = set()
    for kind, attribute in (("partij", "parties"), ("persoon", "persons"), ("commissie", "committees"),
                            ("dossier", "dossiers"), ("bron", "sources")):
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before is after:
            continue
        for ident in before.keys() | after.keys():
            if before.get(ident) != after.get(ident):
                keys |= {f"{kind}:{ident}", f"*{kind}"}
            if kind == "dossier" and (ident in before) != (ident in after):
                keys.add(f"kamerstuk-dossier:{ident.casefold()}")  # citations now lead elsewhere
    if old.persons is not new.persons:
        # A person's filter value changes when another person gets or loses the same name.
        values_before, values_after = person_filter_values(old.persons), person_filter_values(new.persons)
        keys |= {f"persoon:{ident}" for ident in values_before.keys() & values_after.keys()
                 if values_before[ident] != values_after[ident]}
    for ident in old.verslagen.keys() | new.verslagen.keys():
        before, after = old.verslagen.get(ident), new.verslagen.get(ident)
        if before is after:
            continue
        keys.add("*documents")
        cited_as_before = {publication_id(d, before.number).casefold() for d in before.dossiers} if before else set()
        cited_as_after = {publication_id(d, after.number).casefold() for d in after.dossiers} if after else set()
        # Citations of this stuk, under any of its dossiers, now lead elsewhere.
        keys |= {f"kamerstuk:{cited}" for cited in cited_as_before ^ cited_as_after}
        letters_before = {l.slug: l for l in (before.letters if before else ())}
        letters_after = {l.slug: l for l in (after.letters if after else ())}
        if (before is None or after is None or list(letters_before) != list(letters_after)
                or dataclasses.replace(before, letters=()) != dataclasses.replace(after, letters=())):
            keys |= {f"verslag:{ident}", "*verslagen"}
        for slug in letters_before.keys() | letters_after.keys():
            if letters_before.get(slug) != letters_after.get(slug):
                keys.add(f"brief:{ident}/{slug}")
        keys |= _reference_keys(before, texts_before) ^ _reference_keys(after, texts_after)
    return {key.split("\0")[0] for key in keys}


def _reference_keys(verslag: Verslag | None, texts: dict[str, RenderedText]) -> set[str]:
    """Keys that stand for each passage of a verslag and for each record it mentions; two loads
    differ in exactly the keys whose passages or mentions changed."""
    keys = set()
    for document in (verslag, *verslag.letters) if verslag else ():
        # The document's date is part of each key: pages that list its passages show it, and
        # take their sitemap date from it (a verslag's is when it was vastgesteld, or none).
        label = document.adopted if isinstance(document, Verslag) else document.date
        for r in texts[document.url].references:
            keys.add(f"passages:{r.kind}:{r.target}\0{document.url}\0{label}\0{r.anchor}\0{r.excerpt}"
                     f"\0{r.link_text}\0{r.footnote}")
            keys.add(f"mentioned:{r.kind}:{r.target}\0{document.url}\0{label}")
    return keys


def _template_users(env: jinja2.Environment, changed: set[str]) -> set[str]:
    """The templates that are, extend, import or include one of the changed templates."""
    if not changed:
        return set()
    users = set(changed)
    names = env.list_templates(filter_func=lambda name: name.endswith(".html"))
    references = {}
    for name in names:
        source = env.loader.get_source(env, name)[0]
        try:
            references[name] = set(jinja2.meta.find_referenced_templates(env.parse(source))) - {None}
        except jinja2.TemplateSyntaxError:
            references[name] = set()  # reported when it is rendered
    grew = True
    while grew:
        grew = False
        for name, referenced in references.items():
            if name not in users and referenced & users:
                users.add(name)
                grew = True
    return users


def release_memory() -> None:
    """Collect what is no longer referenced and return the freed heap to the system (glibc keeps
    freed memory for reuse otherwise, and the process stays as large as at its peak)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: the memory is reused by this process, only not returned


def _settle() -> None:
    """Exempt the long-lived build state from the cyclic garbage collector.

    The kept site holds millions of objects; without this every collection walks all of them and
    a rebuild after one edit slows down as the server runs.
    """
    gc.collect()
    gc.freeze()


