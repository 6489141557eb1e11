#!/usr/bin/env python3
"""Search cost in a real Chromium, on a synthetic archive: what a first query downloads, and how long results take.

    python bench/bench_search.py --verslagen 1000
    python bench/bench_search.py --corpus DIR --without persoon --without persoon,partij,dossier

Builds the archive, serves it gzip-compressed on loopback as a static host would, counting the bytes
the server sends, opens /zoeken/ in Debian's Chromium and types queries. Reports:

- for a first query in a fresh browser, the bytes sent after the search page's own HTML and CSS,
  by kind of file (runtime, WebAssembly, index metadata, filters, index chunks, fragments);
- for each query, the time from the end of the search box's debounce to the results being shown;
- Pagefind's own search time for the same queries on a bare page, with its index chunks loaded,
  without and with its filters loaded: where the time to results goes.

`--without a,b` indexes a copy of the site again without the named filters (repeatable), to weigh
what each filter costs in bytes and time.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import re
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
DEBOUNCE_MS = 300  # Pagefind Default UI's debounceTimeoutMs
COMPRESSED = {".js", ".css", ".html", ".json", ".pagefind"}
KINDS = ["Default UI", "Pagefind runtime", "WebAssembly", "index metadata", "filters", "index chunks",
         "fragments", "site scripts, other"]
BARE_PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>bench</title></head><body>
<script type="module">
window.pagefind = await import("/pagefind/pagefind.js");
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
    """What a requested file is, for the byte count; None for the search page's HTML and CSS
    (its own style sheet and the one of Pagefind's UI it links)."""
    name = path.split("?")[0]
    if name.startswith("/zoeken/") or name.endswith(".css"):
        return None
    for part, kind in (("/pagefind/filter/", "filters"), ("/pagefind/index/", "index chunks"),
                       ("/pagefind/fragment/", "fragments"), (".pf_meta", "index metadata"),
                       ("/pagefind/pagefind-entry.json", "index metadata"),
                       ("/pagefind/wasm.", "WebAssembly"), ("/pagefind/pagefind-ui.js", "Default UI"),
                       ("/pagefind/", "Pagefind runtime")):
        if part in name:
            return kind
    return "site scripts, other"


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

ENGINE = """async ([query, withFilters]) => {
    if (withFilters) { await window.pagefind.filters(); }
    await window.pagefind.search(query);  // loads the index chunks the query needs
    const started = performance.now();
    const again = await window.pagefind.search(query);
    return [performance.now() - started, again.results.length];
}"""


def measure(page, query: str) -> float:
    """Type `query`; milliseconds from the end of the debounce to the results being shown."""
    page.evaluate(TYPE, query)
    handle = page.wait_for_function(SHOWN, arg=query, timeout=60_000, polling="raf")
    return handle.json_value() - DEBOUNCE_MS


def measure_site(browser, base: str, sent: list) -> dict:
    """Bytes of a first query by kind, time to results in the Default UI, Pagefind's own search time."""
    first_query = []
    latencies = []
    for query in QUERIES:
        context = browser.new_context()
        page = context.new_page()
        sent.clear()
        page.goto(f"{base}/zoeken/")
        page.wait_for_selector("#zoeken input.pagefind-ui__search-input")
        page.wait_for_load_state("networkidle")
        latencies.append(measure(page, query))
        # Fragments of the results below the first ten and filter counts may still arrive.
        page.wait_for_timeout(1000)
        by_kind = dict.fromkeys(KINDS, 0)
        for path, size in list(sent):
            kind = kind_of(path)
            if kind:
                by_kind[kind] += size
        first_query.append(by_kind)
        # Later queries on the same page reuse what the first one loaded.
        latencies.extend(measure(page, q) for q in LATER_QUERIES)
        context.close()
    engine = {}
    for with_filters in (False, True):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/kamerarchief-bench/")
        page.wait_for_function("window.pagefindReady")
        engine[with_filters] = [page.evaluate(ENGINE, [q, with_filters]) for q in QUERIES + LATER_QUERIES]
        context.close()
    totals = [sum(k.values()) for k in first_query]
    return {
        "first_query_bytes": statistics.median(totals),
        "first_query_bytes_min": min(totals), "first_query_bytes_max": max(totals),
        "first_query_by_kind": {kind: statistics.median(k[kind] for k in first_query) for kind in KINDS},
        "results_ms": statistics.median(latencies), "results_ms_min": min(latencies),
        "results_ms_max": max(latencies), "queries": len(latencies),
        "search_ms_without_filters": statistics.median(t for t, _ in engine[False]),
        "search_ms_with_filters": statistics.median(t for t, _ in engine[True]),
        "results_per_query": statistics.median(n for _, n in engine[True]),
    }


def filter_entries(bundle: Path) -> dict[str, tuple[int, int]]:
    """Per filter: (values, page entries), read from Pagefind's filter files."""
    from kamerarchief.search import _decode

    counts = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        data = gzip.decompress(path.read_bytes())
        (name, values), _ = _decode(data, len(b"pagefind_dcd"))
        counts[name] = (len(values), sum(len(pages) for _, pages in values))
    return counts


def without_filters(site: Path, names: list[str], copy: Path) -> Path:
    """A copy of `site` indexed again with the filters `names` left out of every page."""
    from kamerarchief.search import build_index

    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    declared = re.compile(r'<meta data-pagefind-filter="(?:%s)\[content\]"[^>]*>\n?' % "|".join(map(re.escape, names)))
    for page in copy.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        stripped = declared.sub("", html)
        if stripped != html:
            page.write_text(stripped, encoding="utf-8")
    build_index(copy, "bench")
    return copy


def report(label: str, site: Path, figures: dict) -> None:
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    entries = filter_entries(site / "pagefind")
    print(f"\n{label}: index {sum(p.stat().st_size for p in files) / 1e6:.1f} MB in {len(files)} files; "
          f"filter entries {sum(e for _, e in entries.values()):,} "
          f"({', '.join(f'{name} {values} values/{e:,}' for name, (values, e) in entries.items())})")
    print(f"  first query, bytes after the page's HTML and CSS: median {figures['first_query_bytes'] / 1024:.0f} KB "
          f"(min {figures['first_query_bytes_min'] / 1024:.0f}, max {figures['first_query_bytes_max'] / 1024:.0f}; "
          f"{len(QUERIES)} queries, gzip)")
    print("    " + ", ".join(f"{kind} {size / 1024:.1f}" for kind, size in figures["first_query_by_kind"].items()))
    print(f"  results shown after the debounce: median {figures['results_ms']:.0f} ms "
          f"(min {figures['results_ms_min']:.0f}, max {figures['results_ms_max']:.0f}; {figures['queries']} queries)")
    print(f"  Pagefind's search alone, index chunks loaded: median {figures['search_ms_without_filters']:.0f} ms "
          f"without filters loaded, {figures['search_ms_with_filters']:.0f} ms with them "
          f"({figures['results_per_query']:.0f} results a query, median)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verslagen", type=int, default=1000)
    parser.add_argument("--corpus", type=Path, help="an existing make_corpus.py folder (with content/) to copy")
    parser.add_argument("--without", action="append", default=[], metavar="FILTER,...",
                        help="also measure a copy of the site indexed without these filters")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kamerarchief-bench-") as tmp:
        project = Path(tmp) / "project"
        make_project(args.verslagen, project, args.corpus)
        built = subprocess.run([sys.executable, str(ROOT / "build.py"), "build"], cwd=project,
                               capture_output=True, text=True, check=True)
        print(built.stdout.strip().splitlines()[-1], flush=True)
        sites = [("all filters", project / "site")]
        for names in args.without:
            listed = [n.strip() for n in names.split(",") if n.strip()]
            sites.append((f"without {', '.join(listed)}",
                          without_filters(project / "site", listed, Path(tmp) / f"without-{len(sites)}")))
        figures = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"])
            for label, site in sites:
                (site / "kamerarchief-bench").mkdir(exist_ok=True)
                (site / "kamerarchief-bench" / "index.html").write_text(BARE_PAGE, encoding="utf-8")
                sent: list = []
                server = http.server.ThreadingHTTPServer(
                    ("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site), sent=sent))
                threading.Thread(target=server.serve_forever, daemon=True).start()
                try:
                    figures[label] = measure_site(browser, f"http://127.0.0.1:{server.server_address[1]}", sent)
                finally:
                    server.shutdown()
                    server.server_close()
                report(label, site, figures[label])
            browser.close()
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
