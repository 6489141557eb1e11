#!/usr/bin/env python3
"""Build speed at archive scale: clean builds by phase, rebuilds, memory and index size.

    python bench/bench_build.py --verslagen 1000 --runs 3
    python bench/bench_build.py --verslagen 10000 --runs 1 --corpus /tmp/c10000

Each run, with `build.py build` as a user runs it:
  1. a clean build: no output folder and no cache (phases as build.py reports them);
  2. a rebuild with nothing changed;
  3. a rebuild after one letter changed (a paragraph added), and one after it is changed back.
Reports medians over the runs; peak memory is the largest sum of the proportional set sizes
(PSS: shared pages split between the processes sharing them) of build.py and its children,
sampled every half second (reading /proc costs CPU: more often would slow the build it
measures), and the largest single process (Pagefind is its own process).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import make_project  # noqa: E402

SUMMARY = re.compile(r"in ([\d.]+) s \((.*)\)\.$")


def descendants(pid: int) -> list[int]:
    """pid and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as file:
                    parent = int(file.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def memory_of(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB; zeros when it is gone."""
    values = {"Pss:": 0, "Rss:": 0}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as file:
            for line in file:
                key = line.split(":", 1)[0] + ":"
                if key in values:
                    values[key] = int(line.split()[1])
    except OSError:
        pass
    return values["Pss:"], values["Rss:"]


class MemorySampler(threading.Thread):
    """Samples the memory of a process tree until stopped: peak total PSS, peak single RSS."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_total, self.peak_single = pid, 0, 0
        self.running = True

    def run(self):
        while self.running:
            sizes = [memory_of(p) for p in descendants(self.pid)]
            self.peak_total = max(self.peak_total, sum(pss for pss, _ in sizes))
            self.peak_single = max([self.peak_single, *(rss for _, rss in sizes)])
            time.sleep(0.5)


def run_build(project: Path, content: Path, output: Path) -> dict:
    """Run build.py once; its wall time, the phases it reports and its peak memory."""
    command = [sys.executable, str(ROOT / "build.py"), "build", "--config", str(project / "config.yaml"),
               "--content", str(content), "--output", str(output)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sampler = MemorySampler(process.pid)
    sampler.start()
    out, _ = process.communicate()
    wall = time.perf_counter() - start
    sampler.running = False
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"build failed:\n{out}")
    line = out.strip().splitlines()[-1]
    phases = {}
    match = SUMMARY.search(line)
    if match:
        for part in match.group(2).split(", "):
            name, seconds = part.rsplit(" ", 1)
            phases[name] = float(seconds)
    pages = re.search(r"Built (\d+) pages \((\d+) changed", line)
    return {"wall": wall, "phases": phases, "line": line,
            "pages": int(pages.group(1)) if pages else None, "changed": int(pages.group(2)) if pages else None,
            "peak_pss_mb": sampler.peak_total / 1024, "peak_single_rss_mb": sampler.peak_single / 1024}


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def edit_letter(content: Path, run: int) -> tuple[Path, str]:
    """Add a paragraph at the start of one letter's text; (the letter's path, its old text)."""
    letters = sorted((content / "verslagen").glob("*/brieven/*.md"))
    letter = letters[(len(letters) * (run + 1)) // 7 % len(letters)]
    text = letter.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    letter.write_text(f"{head}\n---\nDeze alinea is toegevoegd voor de meting ({run}).\n\n{body}", encoding="utf-8")
    return letter, text


def median(values):
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verslagen", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="an existing make_corpus.py folder (with content/) to copy")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", type=Path, help="move the last built site here (for bench_search.py --site)")
    parser.add_argument("--bundle-pages", type=int, help="search_bundle_pages for the build (default: the config's)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kamerarchief-bench-") as temporary:
        project = Path(temporary) / "project"
        make_project(args.verslagen, project, args.corpus)
        if args.bundle_pages:
            with (project / "config.yaml").open("a", encoding="utf-8") as config:
                config.write(f"search_bundle_pages: {args.bundle_pages}\n")
        content, output = project / "content", project / "site"
        clean, unchanged, one_letter = [], [], []
        for run in range(args.runs):
            shutil.rmtree(output, ignore_errors=True)
            shutil.rmtree(project / ".kamerarchief-cache", ignore_errors=True)
            clean.append(run_build(project, content, output))
            print(f"clean build {run + 1}: {clean[-1]['line']}", flush=True)
            unchanged.append(run_build(project, content, output))
            print(f"  nothing changed: {unchanged[-1]['wall']:.2f} s", flush=True)
            letter, original = edit_letter(content, run)
            one_letter.append(run_build(project, content, output))
            print(f"  one letter changed: {one_letter[-1]['line']}", flush=True)
            letter.write_text(original, encoding="utf-8")
            one_letter.append(run_build(project, content, output))
            print(f"  changed back: {one_letter[-1]['line']}", flush=True)
        index_files, index_bytes = folder_size(output / "pagefind")
        pages = clean[-1]["pages"]
        if args.keep:
            shutil.move(output, args.keep)

    names = sorted({name for r in clean for name in r["phases"]}, key=list(clean[0]["phases"]).index)
    figures = {
        "verslagen": args.verslagen, "runs": args.runs, "pages": pages, "bundle_pages": args.bundle_pages,
        "clean_build_s": median([r["wall"] for r in clean]),
        "clean_phases_s": {name: median([r["phases"].get(name, 0.0) for r in clean]) for name in names},
        "pages_per_second": pages / median([r["wall"] for r in clean]),
        "peak_memory_pss_mb": max(r["peak_pss_mb"] for r in clean),
        "peak_single_process_rss_mb": max(r["peak_single_rss_mb"] for r in clean),
        "index_files": index_files, "index_mb": index_bytes / 1e6,
        "nothing_changed_s": median([r["wall"] for r in unchanged]),
        "one_letter_s": median([r["wall"] for r in one_letter]),
        "one_letter_phases_s": {name: median([r["phases"].get(name, 0.0) for r in one_letter])
                                for name in sorted({n for r in one_letter for n in r["phases"]})},
        "one_letter_pages_changed": median([r["changed"] for r in one_letter]),
        "one_letter_peak_single_process_rss_mb": max(r["peak_single_rss_mb"] for r in one_letter),
    }
    print()
    print(f"N = {args.verslagen} verslagen, {pages} pages; medians of {args.runs} run(s)")
    print(f"clean build          {figures['clean_build_s']:.2f} s  ({figures['pages_per_second']:.0f} pages/s)")
    for name, seconds in figures["clean_phases_s"].items():
        print(f"  {name:<18} {seconds:.2f} s")
    print(f"peak memory          {figures['peak_memory_pss_mb']:.0f} MB (all processes, PSS); "
          f"largest process {figures['peak_single_process_rss_mb']:.0f} MB RSS")
    print(f"search index         {figures['index_mb']:.1f} MB in {index_files} files")
    print(f"nothing changed      {figures['nothing_changed_s']:.2f} s")
    print(f"one letter changed   {figures['one_letter_s']:.2f} s "
          f"({figures['one_letter_pages_changed']:.0f} pages changed), of which:")
    for name, seconds in figures["one_letter_phases_s"].items():
        print(f"  {name:<18} {seconds:.2f} s")
    print(f"  largest process    {figures['one_letter_peak_single_process_rss_mb']:.0f} MB RSS")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
