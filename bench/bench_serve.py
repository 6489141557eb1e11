#!/usr/bin/env python3
"""Preview latency: from saving a letter to the new text being served, on a synthetic archive.

    python bench/bench_serve.py --verslagen 1000 --runs 15

Starts `build.py serve` on a copy of the corpus, edits one letter at a time (a different letter
each run), and polls the letter's URL until the new text is served. The search index refresh,
which runs in the background after each edit, is waited out before the next edit and not counted.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import make_project  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.002)
    raise SystemExit(f"timed out waiting for {what}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verslagen", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kamerarchief-bench-") as tmp:
        project = make_project(args.verslagen, Path(tmp))
        letters = sorted((project / "content" / "verslagen").glob("*/brieven/*.md"))[:: max(1, args.verslagen // args.runs)]
        port = free_port()
        log = project / "serve.log"
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-u", str(ROOT / "build.py"), "serve", "--port", str(port)],
                                  cwd=project, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            wait_for(lambda: "Serving on" in log.read_text(), 600, "the first build")
            print(f"first build and start: {time.perf_counter() - started:.1f} s "
                  f"({args.verslagen} verslagen; {log.read_text().splitlines()[0]})")
            latencies = []
            for run, letter in enumerate(letters[: args.runs]):
                url = f"http://127.0.0.1:{port}/verslagen/{letter.parent.parent.name}/{letter.stem}/"
                get(url)
                token = f"benchmarkwoord{run}x"
                text = letter.read_text(encoding="utf-8")
                refreshed = log.read_text().count("Search index refreshed.")
                body_start = text.index("---\n", 4) + 4
                edited = text[:body_start] + text[body_start:].replace(" ", f" {token} ", 1)
                start = time.perf_counter()
                letter.write_text(edited, encoding="utf-8")
                wait_for(lambda: token in get(url), 60, "the edit to be served")
                latencies.append(time.perf_counter() - start)
                wait_for(lambda: log.read_text().count("Search index refreshed.") > refreshed, 120, "the index")
            rebuilds = [int(m) for m in re.findall(r"Rebuilt in (\d+) ms", log.read_text())]
            print(f"save to served, {len(latencies)} edits: median {statistics.median(latencies) * 1000:.0f} ms, "
                  f"min {min(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
            print(f"rebuild as the server reports it: median {statistics.median(rebuilds)} ms "
                  f"(min {min(rebuilds)}, max {max(rebuilds)})")
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
