#!/usr/bin/env python3
"""Search cost in a real Chromium, on a synthetic archive: bytes for a first query and time to results.

    python bench/bench_search.py --verslagen 1000

Builds the archive, serves it gzip-compressed on loopback as a static host would, opens /zoeken/ in
Debian's Chromium and types queries. Reports the bytes transferred for the first query (everything
after the search page's own HTML and CSS) and, for each query, the time from the end of the search
box's debounce to the results being shown.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import make_project  # noqa: E402

QUERIES = ["vreemdelingenbeleid", "menselijke maat", "werkgroep", "hardheidsclausule", "dienstverlening",
           "\"menselijke maat\"", "rappelbrief", "IND", "analyse", "Directoraat-Generaal"]
DEBOUNCE_MS = 300  # Pagefind Default UI's debounceTimeoutMs
COMPRESSED = {".js", ".css", ".html", ".json", ".pagefind"}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when the browser accepts it, as static hosts do."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix in COMPRESSED and path.is_file()
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            body = gzip.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self._body = body
            return _Body(body)
        return super().send_head()


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


TYPE = """(query) => {
    const input = document.querySelector('#zoeken input.pagefind-ui__search-input');
    input.value = query;
    window.typedAt = performance.now();
    input.dispatchEvent(new Event('input', {bubbles: true}));
}"""

SHOWN = r"""(query) => {
    const message = document.querySelector('.pagefind-ui__message');
    if (!message || !message.textContent.includes(query)) return false;
    const text = message.textContent;
    const count = /^Geen/.test(text) ? 0 : parseInt(text.replace(/\./g, ''), 10);
    const shown = 'li.pagefind-ui__result > .pagefind-ui__result-inner > .pagefind-ui__result-title a';
    if (document.querySelectorAll(shown).length !== Math.min(count, 10)) return false;
    return performance.now() - window.typedAt;
}"""


def measure(page, query: str) -> float:
    """Type `query`; milliseconds from the end of the debounce to the results being shown."""
    page.evaluate(TYPE, query)
    handle = page.wait_for_function(SHOWN, arg=query, timeout=60_000, polling="raf")
    return handle.json_value() - DEBOUNCE_MS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verslagen", type=int, default=1000)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kamerarchief-bench-") as tmp:
        project = make_project(args.verslagen, Path(tmp))
        built = subprocess.run([sys.executable, str(ROOT / "build.py"), "build"], cwd=project,
                               capture_output=True, text=True, check=True)
        print(built.stdout.strip(), flush=True)
        site = project / "site"
        index_bytes = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            first_query_bytes = []
            latencies = []
            for query in QUERIES:
                context = browser.new_context()
                page = context.new_page()
                responses = []
                page.on("requestfinished", lambda request: responses.append(request))
                page.goto(f"{base}/zoeken/")
                page.wait_for_selector("#zoeken input.pagefind-ui__search-input")
                page.wait_for_load_state("networkidle")
                latency = measure(page, query)
                page.wait_for_load_state("networkidle")
                transferred = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]
                                  for r in responses if r.resource_type != "document" and not r.url.endswith(".css"))
                first_query_bytes.append(transferred)
                latencies.append(latency)
                # Later queries on the same page reuse what the first one loaded.
                again = [measure(page, q) for q in ("maatwerk", "signalen", "evaluatie")]
                latencies.extend(again)
                context.close()
            browser.close()
        server.shutdown()
        print(f"index: {index_bytes / 1e6:.1f} MB on disk for {args.verslagen} verslagen")
        print(f"first query, bytes after the page's HTML and CSS: median {statistics.median(first_query_bytes) / 1024:.0f} KB "
              f"(min {min(first_query_bytes) / 1024:.0f}, max {max(first_query_bytes) / 1024:.0f}; {len(QUERIES)} queries, gzip)")
        print(f"results shown after the debounce: median {statistics.median(latencies):.0f} ms "
              f"(min {min(latencies):.0f}, max {max(latencies):.0f}; {len(latencies)} queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
