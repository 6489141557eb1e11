#!/usr/bin/env python3
"""What publishing under a path costs a build: the base-path rewrite, the sitemap, the link
previews' bytes, and the render phase with and without a base_url.

    python bench/bench_publish.py --verslagen 1000 --runs 3

On a synthetic archive (make_corpus.py), in this process: every page is rendered once (one core,
to time the render phase alone) without base_url and once with https://example.org/archief/;
then, over the rendered pages of the second, the rewrite (basepath.with_base_path) and the
sitemap and robots.txt (sitemap.site_files) are timed `runs` times. Reports medians.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import make_project  # noqa: E402

from kamerarchief.basepath import with_base_path  # noqa: E402
from kamerarchief.config import load_config  # noqa: E402
from kamerarchief.pipeline import BuildReport, check  # noqa: E402
from kamerarchief.render import is_page  # noqa: E402
from kamerarchief.sitemap import site_files  # noqa: E402

BASE_URL = "https://example.org/archief/"
PREVIEW_TAGS = re.compile(r'<meta name="description".*?<meta name="twitter:card"[^>]*>', re.DOTALL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verslagen", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="an existing make_corpus.py folder (with content/) to copy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        project = make_project(args.verslagen, Path(temporary) / "project", args.corpus)
        plain = load_config(project / "config.yaml")
        published = dataclasses.replace(plain, base_url=BASE_URL.rstrip("/"))
        renders = {}
        for name, config in (("without base_url", plain), ("with base_url", published)):
            report = BuildReport()
            result = check(config, report, workers=1)
            renders[name] = report.timings["render"]
        pages = {url: html for url, html in result.decoded().items() if is_page(url)}
        # The rewrite on pages without it: the same work the render step does for each page.
        unprefixed = {url: html.replace('="/archief/', '="/') for url, html in pages.items()}
        rewrite, sitemap = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            for html in unprefixed.values():
                with_base_path(html, "/archief")
            rewrite.append(time.perf_counter() - start)
            start = time.perf_counter()
            files = site_files(published, [result.pages[url] for url in result.pages])
            sitemap.append(time.perf_counter() - start)
        preview = [len(match.group(0).encode()) for html in pages.values() if (match := PREVIEW_TAGS.search(html))]
        total = sum(len(html.encode()) for html in pages.values())
    print(f"{len(pages):,} pages, {total / 1e6:.1f} MB of HTML ({args.verslagen:,} verslagen)")
    for name, seconds in renders.items():
        print(f"render phase, one core, {name}: {seconds:.2f} s")
    print(f"base-path rewrite of every page: median {statistics.median(rewrite):.3f} s "
          f"({statistics.median(rewrite) / len(pages) * 1e6:.0f} µs a page)")
    print(f"sitemap.xml and robots.txt: median {statistics.median(sitemap):.3f} s; sitemap.xml "
          f"{len(files['/sitemap.xml'].encode()) / 1e6:.2f} MB, {files['/sitemap.xml'].count('<url>'):,} addresses")
    print(f"link preview tags: median {statistics.median(preview):,} bytes a page, "
          f"{sum(preview) / total:.1%} of the HTML")
    return 0


if __name__ == "__main__":
    sys.exit(main())
