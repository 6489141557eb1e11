#!/usr/bin/env python3
"""What Pagefind costs, fed in different ways, on a built site: time, CPU and peak memory.

    python bench/bench_index.py --site SITE --runs 3     # SITE from bench_build.py --keep

Feeds, each run in turn (medians over the runs):
  cli        the binary over the site folder, as the build runs it (every page's whole HTML);
  cli-text   the binary over pages that hold only what Pagefind indexes of each page (its
             fragment's text and metadata): what text-only records would save in parsing;
  service    the binary's service mode (`pagefind --service`, the protocol of the `pagefind`
             Python package, spoken directly: the package polls for each answer with a 0.1 s
             sleep) given each page as a text record (AddRecord), then writing the bundle;
  service-html  the service given each page's HTML from memory (AddFile), as a build that hands
             pages to Pagefind while rendering would;
  half       the binary over half of the verslagen: how memory grows with the pages indexed.
Peak memory is the process's maximum resident set (wait4's rusage), CPU its user + system time.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import html
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pagefind_bin


def run(command: list[str], feed=None) -> dict:
    """Run a command to its end (feeding its stdin from `feed(stdin)` in a thread); wall time,
    CPU seconds and peak resident memory (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    reader = None
    if feed:
        reader = threading.Thread(target=feed, args=(process.stdin, process.stdout))
        reader.start()
    else:
        process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if reader:
        reader.join()
    if status != 0:
        raise SystemExit(f"{command[0]} failed ({status})")
    return {"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": usage.ru_maxrss / 1024}


def fragments(index: Path) -> list[dict]:
    """Pagefind's fragment of each page of an index: url, content, meta."""
    found = []
    for path in sorted((index / "fragment").glob("*.pf_fragment")):
        found.append(json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):]))
    return found


def text_site(pages: list[dict], folder: Path) -> None:
    """Pages that hold only their indexed text and metadata, at their URLs."""
    for page in pages:
        target = folder / page["url"].lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        meta = "".join(f'<span data-pagefind-meta="{k}">{html.escape(v)}</span>' for k, v in page["meta"].items())
        target.write_text(f'<!doctype html><html lang="nl"><head><title></title></head><body><main data-pagefind-body>'
                          f'<p>{html.escape(page["content"])}</p><div hidden data-pagefind-ignore>{meta}</div>'
                          f'</main></body></html>', encoding="utf-8")


def service_feed(pages: list[dict], output: Path, html_of: dict[str, str] | None = None):
    """A stdin feeder for `pagefind --service`: a new index, a record per page (or its HTML,
    from `html_of` {url: HTML}), write, done."""
    def message(number: int, payload: dict) -> bytes:
        return base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode()) + b","

    def answer(stdout) -> dict:
        data = b""
        while not data.endswith(b","):
            byte = stdout.read(1)
            if not byte:
                raise SystemExit("pagefind --service stopped")
            data += byte
        return json.loads(base64.b64decode(data[:-1]))["payload"]

    def feed(stdin, stdout):
        stdin.write(message(1, {"type": "NewIndex", "config": None}))
        stdin.flush()
        index_id = answer(stdout)["index_id"]
        counting = threading.Thread(target=lambda: [answer(stdout) for _ in pages])
        counting.start()
        for number, page in enumerate(pages, start=2):
            if html_of is None:
                payload = {"type": "AddRecord", "index_id": index_id, "url": page["url"], "content": page["content"],
                           "language": "nl", "meta": page["meta"], "filters": None, "sort": None}
            else:
                payload = {"type": "AddFile", "index_id": index_id, "url": page["url"], "file_path": None,
                           "file_contents": html_of[page["url"]]}
            stdin.write(message(number, payload))
        stdin.flush()
        counting.join()
        stdin.write(message(len(pages) + 2, {"type": "WriteFiles", "index_id": index_id,
                                             "output_path": str(output)}))
        stdin.flush()
        answer(stdout)
        stdin.close()
    return feed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site (with its pagefind/ index)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    binary = str(pagefind_bin.get_executable())
    pages = [page for page in fragments(args.site / "pagefind")]
    verslagen = sorted({p["url"].split("/")[2] for p in pages if p["url"].startswith("/verslagen/")})
    half_set = set(verslagen[: len(verslagen) // 2])
    html_of = {p["url"]: (args.site / p["url"].lstrip("/") / "index.html").read_text(encoding="utf-8") for p in pages}
    figures: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        text_site(pages, work / "text")
        text_site([p for p in pages if not (p["url"].startswith("/verslagen/") and p["url"].split("/")[2] in half_set)],
                  work / "half")
        feeds = {
            "cli": lambda out: run([binary, "--site", str(args.site), "--output-path", str(out), "--quiet"]),
            "cli-text": lambda out: run([binary, "--site", str(work / "text"), "--output-path", str(out), "--quiet"]),
            "service": lambda out: run([binary, "--service"], service_feed(pages, out)),
            "service-html": lambda out: run([binary, "--service"], service_feed(pages, out, html_of)),
            "half": lambda out: run([binary, "--site", str(work / "half"), "--output-path", str(out), "--quiet"]),
        }
        for number in range(args.runs):
            for name, feed in feeds.items():
                out = work / f"out-{name}"
                shutil.rmtree(out, ignore_errors=True)
                figures.setdefault(name, []).append(feed(out))
                print(f"run {number + 1} {name}: " + ", ".join(f"{k} {v:.1f}" for k, v in figures[name][-1].items()),
                      flush=True)
    print(f"\n{len(pages):,} pages, {sum(len(p['content']) for p in pages) / 1e6:.1f} MB of indexed text; "
          f"medians of {args.runs}:")
    for name, runs in figures.items():
        print(f"  {name:9} " + ", ".join(f"{key} {statistics.median(r[key] for r in runs):.1f}"
                                          for key in ("wall", "cpu", "peak_mb")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
