#!/usr/bin/env python3
"""Rendering the prose with markdown-it-pyrs (treemarkup.py) against markdown-it-py: `--verslagen N --runs R`.

Renders every text of a synthetic archive (bench/make_corpus.py) both ways with markup.render_markdown,
checks that both give the same result for every text (HTML, references, headings, footnotes, errors),
and prints CPU seconds, medians of R runs, alternating: markdown-it-py's path, the tree path, and of
that pyrs's parse alone (the rest is our walk of its tree). Also how many texts markdown-it-py renders
on the tree path because they hold a construct that the two parsers do not agree on.
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

from bench_citations import texts_of  # noqa: E402
from make_corpus import make_corpus  # noqa: E402
from kamerarchief import treemarkup  # noqa: E402
from kamerarchief.errors import ErrorList  # noqa: E402
from kamerarchief.markup import make_parser, render_markdown  # noqa: E402
from kamerarchief.model import MarkdownText  # noqa: E402


def render_all(parsers, texts: list[str]) -> list:
    """[(rendered text, errors)] for every text."""
    results = []
    for text in texts:
        errors = ErrorList()
        results.append((render_markdown(parsers, MarkdownText(text, "x.md", 1), "kst-1-1", errors), errors.errors))
    return results


def cpu(function, *args) -> float:
    start = time.process_time()
    function(*args)
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verslagen", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kamerarchief-bench-") as tmp:
        make_corpus(args.verslagen, Path(tmp))
        texts = texts_of(Path(tmp) / "content")
    py, tree = make_parser(tree=False), make_parser()
    differ = sum(a != b for a, b in zip(render_all(py, texts), render_all(tree, texts), strict=True))
    fallback = sum(treemarkup.needs_fallback(text) for text in texts)
    times: dict[str, list[float]] = {"markdown-it-py": [], "markdown-it-pyrs and our walk": [], "pyrs parse alone": []}
    for _ in range(args.runs):
        times["markdown-it-py"].append(cpu(render_all, py, texts))
        times["markdown-it-pyrs and our walk"].append(cpu(render_all, tree, texts))
        times["pyrs parse alone"].append(cpu(lambda: [tree.tree.tree(text) for text in texts]))
    print(f"{len(texts):,} texts ({sum(map(len, texts)) / 1e6:.1f} M characters) of {args.verslagen:,} verslagen; "
          f"{differ} render differently, {fallback} go to markdown-it-py by the pre-scan")
    for label, values in times.items():
        print(f"  {label}: {statistics.median(values):.2f} s CPU (median of {args.runs}: "
              + ", ".join(f"{v:.2f}" for v in values) + ")")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
