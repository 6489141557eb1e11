#!/usr/bin/env python3
"""What feeds and open data cost at archive scale: render time and bytes of each kind of output
(HTML pages, Atom feeds, files under /data/), and what a rebuild after one letter changed renders
and writes of each kind.

    python bench/bench_outputs.py --verslagen 1000 --runs 3

In one process (workers=1), so that the render times of the kinds compare: each kind is rendered
`runs` times and the median reported. The rebuild uses IncrementalBuilder as the preview does,
after the letter edits bench_build.py makes (a paragraph added at the start of a letter's text).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import edit_letter  # noqa: E402
from make_corpus import make_project  # noqa: E402

from kamerarchief.cache import BuildCache  # noqa: E402
from kamerarchief.config import load_config  # noqa: E402
from kamerarchief.errors import ErrorList  # noqa: E402
from kamerarchief.pipeline import IncrementalBuilder, check  # noqa: E402
from kamerarchief.render import make_environment, render_pages  # noqa: E402
from kamerarchief.write import write_staging  # noqa: E402

KINDS = ("pages", "feeds", "data")


def kind_of(url: str) -> str:
    if url.endswith("feed.xml"):
        return "feeds"
    return "data" if url.startswith("/data/") else "pages"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verslagen", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        project = make_project(args.verslagen, Path(temporary) / "project")
        config = load_config(project / "config.yaml")
        cache = BuildCache()
        result = check(config, cache=cache, workers=1)
        env = make_environment(config)
        print(f"N = {args.verslagen}: {len(result.html):,} files")
        for kind in KINDS:
            pages = [p for url, p in result.pages.items() if kind_of(url) == kind and url != "/zoeken/"]
            seconds = []
            for _ in range(args.runs):
                result.site.memo.clear()  # what feeds and tables remember would make later runs quicker
                start = time.perf_counter()
                render_pages(pages, result.site, config, env, ErrorList())
                seconds.append(time.perf_counter() - start)
            size = sum(len(data) for url, data in result.html.items() if kind_of(url) == kind)
            print(f"  {kind:6} {len(pages):7,} files {size / 1e6:8.1f} MB   render median "
                  f"{statistics.median(seconds):6.2f} s ({', '.join(f'{s:.2f}' for s in seconds)})")
            largest = sorted(((len(data), url) for url, data in result.html.items()
                              if kind_of(url) == kind), reverse=True)[:3]
            print("         largest: " + ", ".join(f"{url} {size / 1e6:.1f} MB" for size, url in largest))

        output = Path(temporary) / "site"
        staging, _ = write_staging(output, result.html, config.static)
        staging.rename(output)
        builder = IncrementalBuilder(config, output=output, workers=1)
        builder.restore(cache, result, result.digests)
        builder.warm()  # as the preview does while Pagefind indexes
        rebuilds = []
        for run in range(args.runs):
            letter, original = edit_letter(config.content, run)
            for _ in range(2):  # the edit, then the letter changed back
                update = builder.update({letter}, set(), set())
                written = {kind: sum(1 for url in update.written if kind_of(url) == kind) for kind in KINDS}
                rebuilds.append((update.seconds, update.rendered, written))
                letter.write_text(original, encoding="utf-8")
        print(f"  one letter changed ({len(rebuilds)} rebuilds): median {statistics.median(r[0] for r in rebuilds):.2f} s "
              f"({', '.join(f'{r[0]:.2f}' for r in rebuilds)}), files rendered median "
              f"{statistics.median(r[1] for r in rebuilds):.0f}; written, median: "
              + ", ".join(f"{kind} {statistics.median(r[2][kind] for r in rebuilds):.0f}" for kind in KINDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
