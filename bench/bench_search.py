#!/usr/bin/env python3
"""Search cost in a real Chromium, on a synthetic archive: what a first query downloads, and how long results take.

    python bench/bench_search.py --verslagen 1000
    python bench/bench_search.py --corpus DIR --runs 3

Builds the archive, serves it gzip-compressed on loopback as a static host would, counting the bytes
the server sends, opens /zoeken/ in Debian's Chromium and types queries. Reports:

- for a first query in a fresh browser, the bytes sent after the search page's own HTML and CSS,
  by kind of file (the page's scripts, Pagefind's runtime, WebAssembly, index metadata, facet
  store, index chunks, fragments);
- for each query, the time from the last keystroke (the debounce included) to the results and
  the filter counts being on screen; and for a filter checked after a query, to the narrowed
  results;
- Pagefind's own search time for the same queries on a bare page (every bundle merged), with its
  index chunks loaded: how much of the time is Pagefind's.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from make_corpus import make_project  # noqa: E402

QUERIES = ["vreemdelingenbeleid", "menselijke maat", "werkgroep", "hardheidsclausule", "dienstverlening",
           "\"menselijke maat\"", "rappelbrief", "IND", "analyse", "Directoraat-Generaal"]
LATER_QUERIES = ["maatwerk", "signalen", "evaluatie"]
COMPRESSED = {".js", ".css", ".html", ".json", ".pagefind"}
KINDS = ["search page scripts", "Pagefind runtime", "WebAssembly", "index metadata", "facet store", "index chunks",
         "fragments", "other"]
BARE_PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>bench</title></head><body>
<script type="module">
window.pagefind = await import("/pagefind/pagefind.js");
const store = await (await fetch("/pagefind/zoekfacetten.json")).json();
for (const bundle of store.bundels.slice(1)) { await window.pagefind.mergeIndex(`/pagefind/${bundle.pad}`); }
await window.pagefind.init();
window.pagefindReady = true;
</script></body></html>
"""


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzip-compressed when the browser accepts it, as static hosts do, and notes
    in `sent` how many bytes each request cost (status line, headers and body)."""

    def __init__(self, *args, sent: list, **kwargs):
        self.sent = sent
        super().__init__(*args, **kwargs)

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        self.wfile = _CountingWriter(self.wfile)

    def finish(self):
        super().finish()
        self.sent.append((getattr(self, "path", ""), self.wfile.count))

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
            return _Body(body)
        return super().send_head()


class _CountingWriter:
    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def write(self, data):
        self.count += len(data)
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def kind_of(path: str) -> str | None:
    """What a requested file is, for the byte count; None for the search page's HTML and CSS."""
    name = path.split("?")[0]
    if name.startswith("/zoeken/") or name.endswith(".css"):
        return None
    for part, kind in (("/index/", "index chunks"), ("/fragment/", "fragments"), (".pf_meta", "index metadata"),
                       ("pagefind-entry.json", "index metadata"), ("/zoekfacetten", "facet store"),
                       ("/wasm.", "WebAssembly"), ("/static/", "search page scripts"),
                       ("/pagefind/", "Pagefind runtime")):
        if part in name:
            return kind
    return "other"


TYPE = """(query) => {
    const input = document.getElementById('zoekterm');
    input.value = query;
    window.typedAt = performance.now();
    input.dispatchEvent(new Event('input', {bubbles: true}));
}"""

# Shown: the message names the query and counts as many results as are listed (ten at most), no
# search is running, and the filter groups show counts.
SHOWN = r"""(query) => {
    const message = document.getElementById('zoekmelding');
    if (!message || !message.textContent.includes(query) || document.getElementById('zoeken').getAttribute('aria-busy')) return false;
    const text = message.textContent;
    const count = /^Geen/.test(text) ? 0 : parseInt(text.replace(/\./g, ''), 10);
    if (document.querySelectorAll('#resultaten > li').length !== Math.min(count, 10)) return false;
    if (count && !document.querySelector('#filters .aantal')) return false;
    return performance.now() - window.typedAt;
}"""

CHECK = """() => {
    const box = document.querySelector("#filters [data-facet='type'] input:not(:checked)");
    if (!box) return null;
    window.typedAt = performance.now();
    window.before = document.getElementById('zoekmelding').textContent;
    box.click();
    return box.value;
}"""

NARROWED = r"""() => {
    const message = document.getElementById('zoekmelding');
    if (message.textContent === window.before || document.getElementById('zoeken').getAttribute('aria-busy')) return false;
    const count = /^Geen/.test(message.textContent) ? 0 : parseInt(message.textContent.replace(/\./g, ''), 10);
    if (document.querySelectorAll('#resultaten > li').length !== Math.min(count, 10)) return false;
    return performance.now() - window.typedAt;
}"""

ENGINE = """async (query) => {
    await window.pagefind.search(query);  // loads the index chunks the query needs
    const started = performance.now();
    const again = await window.pagefind.search(query);
    return [performance.now() - started, again.results.length];
}"""


def measure(page, query: str) -> float:
    """Type `query`; milliseconds from the keystroke to the results and counts being shown."""
    page.evaluate(TYPE, query)
    handle = page.wait_for_function(SHOWN, arg=query, timeout=60_000, polling="raf")
    return handle.json_value()


def measure_filter(page) -> float | None:
    """Check a value of the kind filter; milliseconds to the narrowed results."""
    if page.evaluate(CHECK) is None:
        return None
    return page.wait_for_function(NARROWED, timeout=60_000, polling="raf").json_value()


def measure_site(browser, base: str, sent: list) -> dict:
    """Bytes of a first query by kind, time to results on the search page, Pagefind's own search time."""
    first_query = []
    latencies = []
    filtering = []
    for query in QUERIES:
        context = browser.new_context()
        page = context.new_page()
        sent.clear()
        page.goto(f"{base}/zoeken/")
        page.wait_for_selector("#zoekterm")
        page.wait_for_load_state("networkidle")
        latencies.append(measure(page, query))
        page.wait_for_timeout(1000)  # anything still on its way counts too
        by_kind = dict.fromkeys(KINDS, 0)
        for path, size in list(sent):
            kind = kind_of(path)
            if kind:
                by_kind[kind] += size
        first_query.append(by_kind)
        # Later queries on the same page reuse what the first one loaded.
        latencies.extend(measure(page, q) for q in LATER_QUERIES)
        narrowed = measure_filter(page)
        if narrowed is not None:
            filtering.append(narrowed)
        context.close()
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/kamerarchief-bench/")
    page.wait_for_function("window.pagefindReady")
    engine = [page.evaluate(ENGINE, q) for q in QUERIES + LATER_QUERIES]
    context.close()
    totals = [sum(k.values()) for k in first_query]
    return {
        "first_query_bytes": statistics.median(totals),
        "first_query_bytes_min": min(totals), "first_query_bytes_max": max(totals),
        "first_query_by_kind": {kind: statistics.median(k[kind] for k in first_query) for kind in KINDS},
        "results_ms": statistics.median(latencies), "results_ms_min": min(latencies),
        "results_ms_max": max(latencies), "queries": len(latencies),
        "filter_ms": statistics.median(filtering) if filtering else None,
        "search_ms": statistics.median(t for t, _ in engine),
        "results_per_query": statistics.median(n for _, n in engine),
    }


def store_entries(bundle: Path) -> dict[str, tuple[int, int]]:
    """Per facet: (values, page entries), read from the facet store."""
    core = json.loads((bundle / "zoekfacetten.json").read_text(encoding="utf-8"))
    counts = {}
    for name, facet in core["facetten"].items():
        if "afgeleid" in facet:
            continue
        if "bestand" in facet:
            facet = json.loads((bundle / facet["bestand"]).read_text(encoding="utf-8"))
        counts[name] = (len(facet["waarden"]), sum(len(pages) for pages in facet["paginas"]))
    return counts


def report(label: str, site: Path, figures: dict) -> None:
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    entries = store_entries(site / "pagefind")
    print(f"\n{label}: index {sum(p.stat().st_size for p in files) / 1e6:.1f} MB in {len(files)} files; "
          f"facet entries {sum(e for _, e in entries.values()):,} "
          f"({', '.join(f'{name} {values} values/{e:,}' for name, (values, e) in entries.items())})")
    print(f"  first query, bytes after the page's HTML and CSS: median {figures['first_query_bytes'] / 1024:.0f} KB "
          f"(min {figures['first_query_bytes_min'] / 1024:.0f}, max {figures['first_query_bytes_max'] / 1024:.0f}; "
          f"{len(QUERIES)} queries, gzip)")
    print("    " + ", ".join(f"{kind} {size / 1024:.1f}" for kind, size in figures["first_query_by_kind"].items()))
    print(f"  results and counts shown after the last keystroke (debounce included): median {figures['results_ms']:.0f} ms "
          f"(min {figures['results_ms_min']:.0f}, max {figures['results_ms_max']:.0f}; {figures['queries']} queries)")
    if figures["filter_ms"] is not None:
        print(f"  narrowed results after a filter is checked: median {figures['filter_ms']:.0f} ms")
    print(f"  Pagefind's search alone, index chunks loaded: median {figures['search_ms']:.0f} ms "
          f"({figures['results_per_query']:.0f} results a query, median)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verslagen", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, help="an existing make_corpus.py folder (with content/) to copy")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    parser.add_argument("--runs", type=int, default=1, help="measure this many times (medians over all)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kamerarchief-bench-") as tmp:
        site = args.site
        if site is None:
            project = Path(tmp) / "project"
            make_project(args.verslagen, project, args.corpus)
            built = subprocess.run([sys.executable, str(ROOT / "build.py"), "build"], cwd=project,
                                   capture_output=True, text=True, check=True)
            print(built.stdout.strip().splitlines()[-1], flush=True)
            site = project / "site"
        bench_page = site / "kamerarchief-bench"
        bench_page.mkdir(exist_ok=True)
        (bench_page / "index.html").write_text(BARE_PAGE, encoding="utf-8")
        runs = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
                sent: list = []
                server = http.server.ThreadingHTTPServer(
                    ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site), sent=sent))
                threading.Thread(target=server.serve_forever, daemon=True).start()
                try:
                    for run in range(args.runs):
                        runs.append(measure_site(browser, f"http://127.0.0.1:{server.server_address[1]}", sent))
                        report(f"run {run + 1}", site, runs[-1])
                finally:
                    server.shutdown()
                    server.server_close()
                browser.close()
        finally:
            shutil.rmtree(bench_page, ignore_errors=True)
    if args.runs > 1:
        print(f"\nover {args.runs} runs: first query median of medians "
              f"{statistics.median(r['first_query_bytes'] for r in runs) / 1024:.0f} KB "
              f"({min(r['first_query_bytes'] for r in runs) / 1024:.0f}-{max(r['first_query_bytes'] for r in runs) / 1024:.0f}); "
              f"results {statistics.median(r['results_ms'] for r in runs):.0f} ms "
              f"({min(r['results_ms'] for r in runs):.0f}-{max(r['results_ms'] for r in runs):.0f})", flush=True)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
