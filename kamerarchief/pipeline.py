"""The build, step by step: load, resolve, render, write to staging, index, swap.

Nothing reaches the output folder until every step has succeeded.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .config import Config
from .errors import BuildError, ErrorList
from .load import load_archive
from .render import check_urls, make_environment, plan_pages, render_pages
from .resolve import Site, resolve
from .search import build_index
from .write import (check_output_folder, discard_staging, recover_interrupted_swap, swap_into_place,
                    write_staging)


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


def check(config: Config, report: BuildReport | None = None) -> tuple[Site, dict[str, str]]:
    """Load, validate and render everything in memory; raise BuildError with every content error."""
    report = report or BuildReport()
    timer = _Timer(report)
    errors = ErrorList()
    with timer.step("load"):
        archive = load_archive(config.content, config.root, errors)
    with timer.step("resolve"):
        site = resolve(archive, errors)
    if errors:
        raise BuildError(errors.sorted())
    with timer.step("render"):
        pages = plan_pages(site, config)
        check_urls(pages, errors)
        if errors:
            raise BuildError(errors.sorted())
        html = render_pages(pages, site, config, make_environment(config), errors)
        if errors:
            raise BuildError(errors.sorted())
    return site, html


def build(config: Config) -> BuildReport:
    """Build the site into config.output, replacing it only when everything succeeded."""
    report = BuildReport()
    timer = _Timer(report)
    check_output_folder(config.output, [config.root, config.content, config.templates, config.static])
    recover_interrupted_swap(config.output)
    _, html = check(config, report)
    try:
        with timer.step("write"):
            staging = write_staging(config.output, html, config.static)
        with timer.step("index"):
            build_index(staging)
        with timer.step("swap"):
            swap_into_place(staging, config.output)
    except BaseException:
        discard_staging(config.output)
        raise
    report.pages = len(html)
    return report
