#!/usr/bin/env python3
"""What finding kamerstuk citations costs the rendering of prose: `--verslagen N --runs R`.

Renders every text of a synthetic archive (bench/make_corpus.py) with markup.render_markdown and
times, over the same parsed texts, citations.mark_citations alone, whose share of the rendering is
the cost of the recogniser. Twice: the texts as made (the seed's sentences, which cite no
kamerstuk), and with a real citation sentence added to every paragraph. Medians of R runs.
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

from make_corpus import make_corpus  # noqa: E402
from kamerarchief.citations import mark_citations  # noqa: E402
from kamerarchief.errors import ErrorList  # noqa: E402
from kamerarchief.markup import make_parser, render_markdown  # noqa: E402
from kamerarchief.model import MarkdownText  # noqa: E402

# From Staten-Generaal Digitaal's OCR of a letter of the Minister van Financiën, 1990 (0000040763).
CITING = " Hierbij doe ik u in vervolg op mijn brief d.d. 15 mei jl. (Kamerstukken II 1989/90, 21 501-07, nr. 3) een overzicht."


def texts_of(content: Path) -> list[str]:
    """The Markdown of every introduction and letter, without a letter's header."""
    texts = []
    for path in sorted((content / "verslagen").glob("*/**/*.md")):
        text = path.read_text(encoding="utf-8")
        texts.append(text.split("\n---\n", 1)[1] if text.startswith("---\n") else text)
    return texts


def with_citations(text: str) -> str:
    """The text with the citing sentence at the end of every paragraph that is not a footnote or heading."""
    return "\n\n".join(p + CITING if p and not p.startswith(("[^", "#")) else p for p in text.split("\n\n"))


def measure(texts: list[str], runs: int) -> tuple[float, float]:
    """(median seconds to render all texts, median seconds of mark_citations over their inline tokens)."""
    md = make_parser()
    inlines = [token.children for text in texts for token in md.py.parse(text, {}) if token.type == "inline"]
    render, mark = [], []
    for _ in range(runs):
        start = time.perf_counter()
        for text in texts:
            render_markdown(md, MarkdownText(text, "x.md", 1), "kst-1-1", ErrorList())
        render.append(time.perf_counter() - start)
        start = time.perf_counter()
        for children in inlines:
            mark_citations(children)
        mark.append(time.perf_counter() - start)
    return statistics.median(render), statistics.median(mark)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verslagen", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kamerarchief-bench-") as tmp:
        make_corpus(args.verslagen, Path(tmp))
        texts = texts_of(Path(tmp) / "content")
    for label, sample in (("as made", texts), ("a citation in every paragraph", [with_citations(t) for t in texts])):
        render, mark = measure(sample, args.runs)
        print(f"{label}: {len(sample):,} texts, rendering {render / len(sample) * 1000:.2f} ms a text, "
              f"of which finding citations {mark / len(sample) * 1000:.3f} ms ({mark / render:.1%}); "
              f"medians of {args.runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
