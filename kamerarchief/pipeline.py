"""The build, step by step: load, resolve, render, write to staging, index, swap.

Nothing reaches the output folder until every step has succeeded.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta

from .cache import BuildCache
from .config import Config
from .errors import BuildError, ErrorList
from .load import load_archive
from .model import Archive
from .render import Page, check_urls, make_environment, plan_pages, render_pages
from .resolve import Site, resolve
from .search import build_index
from .write import (check_output_folder, copy_static, discard_staging, recover_interrupted_swap, remove_page,
                    swap_into_place, write_page, write_staging)


@dataclass
class BuildReport:
    """What a build did: pages written and seconds per step."""

    pages: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.timings.values())


class _Timer:
    def __init__(self, report: BuildReport):
        self.report = report

    def step(self, name: str):
        report = self.report

        class _Step:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                report.timings[name] = report.timings.get(name, 0.0) + time.perf_counter() - self.start

        return _Step()


@dataclass
class Result:
    """A complete, valid site in memory: the resolved archive, the page plan and every page's HTML."""

    site: Site
    pages: dict[str, Page]
    html: dict[str, str]


def check(config: Config, report: BuildReport | None = None, cache: BuildCache | None = None,
          env: jinja2.Environment | None = None) -> Result:
    """Load, validate and render everything in memory; raise BuildError with every content error."""
    report = report or BuildReport()
    timer = _Timer(report)
    errors = ErrorList()
    with timer.step("load"):
        archive = load_archive(config.content, config.root, errors, cache)
    with timer.step("resolve"):
        site = resolve(archive, errors, cache)
    if errors:
        raise BuildError(errors.sorted())
    with timer.step("render"):
        pages = plan_pages(site, config)
        check_urls(pages, errors)
        if errors:
            raise BuildError(errors.sorted())
        html = render_pages(pages, site, config, env or make_environment(config), errors)
        if errors:
            raise BuildError(errors.sorted())
    return Result(site, {page.url: page for page in pages}, html)


def build(config: Config, cache: BuildCache | None = None, env: jinja2.Environment | None = None
          ) -> tuple[BuildReport, Result]:
    """Build the site into config.output, replacing it only when everything succeeded."""
    report = BuildReport()
    timer = _Timer(report)
    check_output_folder(config.output, [config.root, config.content, config.templates, config.static])
    recover_interrupted_swap(config.output)
    result = check(config, report, cache, env)
    try:
        with timer.step("write"):
            staging = write_staging(config.output, result.html, config.static)
        with timer.step("index"):
            build_index(staging)
        with timer.step("swap"):
            swap_into_place(staging, config.output)
    except BaseException:
        discard_staging(config.output)
        raise
    report.pages = len(result.html)
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

    Only pages that depend on a changed record, or that use a changed template, are rendered again,
    and only files whose bytes changed are written. Content with errors changes nothing.
    """

    def __init__(self, config: Config):
        self.config = config
        self.cache = BuildCache()
        self.env = make_environment(config)
        self.result: Result | None = None
        self.digests: dict[str, bytes] = {}

    def full_build(self) -> BuildReport:
        """Build everything into the output folder (staged, indexed, swapped) and remember it."""
        report, self.result = build(self.config, self.cache, self.env)
        self.digests = {url: _digest(html) for url, html in self.result.html.items()}
        return report

    def update(self, content_changed: bool, templates: set[str], static: set[Path]) -> Update:
        """Rebuild after edits: content files, template names and static files that changed."""
        start = time.perf_counter()
        update = Update()
        if content_changed or templates:
            update = self._update_pages(content_changed, templates)
        if static:
            update.static = copy_static(self.config.static, self.config.output, static)
        update.seconds = time.perf_counter() - start
        return update

    def _update_pages(self, content_changed: bool, templates: set[str]) -> Update:
        old = self.result
        errors = ErrorList()
        site = old.site
        if content_changed:
            archive = load_archive(self.config.content, self.config.root, errors, self.cache)
            site = resolve(archive, errors, self.cache)
            if errors:
                raise BuildError(errors.sorted())
        plan = plan_pages(site, self.config)
        check_urls(plan, errors)
        if errors:
            raise BuildError(errors.sorted())
        changed = changed_keys(old.site.archive, site.archive) if content_changed else set()
        users = _template_users(self.env, templates)
        pages = {page.url: page for page in plan}
        todo = [page for page in plan
                if page.url not in old.pages or page.template in users or page.depends_on & changed
                or old.pages[page.url].depends_on & changed]
        html = render_pages(todo, site, self.config, self.env, errors)
        if errors:
            raise BuildError(errors.sorted())
        update = Update(rendered=len(todo))
        for url, text in html.items():
            digest = _digest(text)
            if self.digests.get(url) != digest:
                write_page(self.config.output, url, text)
                self.digests[url] = digest
                update.written.append(url)
        for url in old.pages.keys() - pages.keys():
            remove_page(self.config.output, url)
            self.digests.pop(url, None)
            update.removed.append(url)
        self.result = Result(site, pages, {**{u: h for u, h in old.html.items() if u in pages}, **html})
        return update


def changed_keys(old: Archive, new: Archive) -> set[str]:
    """The dependency keys of every record that differs between two loads of the archive."""
    keys: set[str] = set()
    for kind, attribute in (("partij", "parties"), ("persoon", "persons"), ("commissie", "committees"),
                            ("dossier", "dossiers"), ("bron", "sources")):
        before, after = getattr(old, attribute), getattr(new, attribute)
        if before is after:
            continue
        for ident in before.keys() | after.keys():
            if before.get(ident) != after.get(ident):
                keys |= {f"{kind}:{ident}", f"*{kind}"}
    for ident in old.verslagen.keys() | new.verslagen.keys():
        before, after = old.verslagen.get(ident), new.verslagen.get(ident)
        if before is after:
            continue
        keys.add("*documents")
        letters_before = {l.slug: l for l in (before.letters if before else ())}
        letters_after = {l.slug: l for l in (after.letters if after else ())}
        if (before is None or after is None or list(letters_before) != list(letters_after)
                or dataclasses.replace(before, letters=()) != dataclasses.replace(after, letters=())):
            keys |= {f"verslag:{ident}", "*verslagen"}
        for slug in letters_before.keys() | letters_after.keys():
            if letters_before.get(slug) != letters_after.get(slug):
                keys.add(f"brief:{ident}/{slug}")
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


def _digest(html: str) -> bytes:
    return hashlib.blake2b(html.encode("utf-8"), digest_size=16).digest()
