#!/usr/bin/env python3
"""Import speed and yield on OCR records: `build.py import` of a JSON-lines file into an empty
content folder, timed over several runs; then one build, and the words each page keeps.

    python bench/bench_import.py /path/to/documents.jsonl --runs 3

Reports the median import time, what was imported and skipped (by kind), whether the build
succeeds, and word retention per imported record: the share of the record's words, and of its
text's words (page furniture left out: running heads, page numbers, ISSN and printer lines, the
footer citation), that the record's pages show.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import yaml  # noqa: E402

from htmltext import read_page  # noqa: E402
from kamerarchief.importer.words import retention, text_words, words  # noqa: E402


def run_import(source: Path, project: Path) -> tuple[float, str]:
    shutil.rmtree(project / "content", ignore_errors=True)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "import", str(source), "--content", "content"],
                            cwd=project, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(result.stderr)
    return elapsed, result.stdout


def page_words(site: Path, folder: Path) -> str:
    data = yaml.safe_load((folder / "verslag.yaml").read_text(encoding="utf-8"))
    pages = [site / "verslagen" / folder.name] + [site / "verslagen" / folder.name / b for b in data.get("brieven") or []]
    return " ".join("".join(read_page((p / "index.html").read_text(encoding="utf-8")).main_text) for p in pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        project = Path(temporary)
        for name in ("templates", "static"):
            shutil.copytree(ROOT / name, project / name)
        shutil.copy(ROOT / "config.yaml", project / "config.yaml")
        times, summary = [], ""
        for _ in range(args.runs):
            elapsed, summary = run_import(args.source, project)
            times.append(elapsed)
        print(f"import: median {statistics.median(times):.2f} s over {args.runs} runs "
              f"({', '.join(f'{t:.2f}' for t in times)})")
        print(summary.splitlines()[0])
        build = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--output", "site", "--quiet"],
                               cwd=project, capture_output=True, text=True)
        print(f"build: exit {build.returncode}{' ' + build.stderr[-500:] if build.returncode else ''}")
        if build.returncode:
            return
        records = {}
        for line in args.source.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            records[record["URL"]] = record["Content"]
        kept_all, kept_text = [], []
        for folder in sorted((project / "content" / "verslagen").iterdir()):
            data = yaml.safe_load((folder / "verslag.yaml").read_text(encoding="utf-8"))
            source = records.get((data.get("herkomst") or {}).get("url"))
            if source is None:
                continue
            shown = page_words(project / "site", folder)
            kept_all.append(retention(words(source), shown))
            kept_text.append((retention(text_words(source), shown), folder.name))
        below = sorted(item for item in kept_text if item[0] < 0.97)
        print(f"words kept, all words: median {statistics.median(kept_all):.1%}, "
              f"total mean {statistics.mean(kept_all):.1%}")
        print(f"words kept, text words: median {statistics.median(k for k, _ in kept_text):.1%}, "
              f"minimum {min(k for k, _ in kept_text):.1%}; {len(below)} of {len(kept_text)} below 97%")
        for share, name in below[:20]:
            print(f"  {share:.1%} {name}")


if __name__ == "__main__":
    main()
