"""Rebuilds as a user runs them: the cache between runs, unchanged pages and index kept, progress,
and the work spread over processes giving the same bytes as one process."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path


from conftest import ROOT, run_build, run_on_terminal
from kamerarchief.bundles import bundle_of, plan_bundles
from kamerarchief.generations import SPARE_RECORD
from searchindex import what_search_finds
from test_incremental import FIXTURE, assert_same_as_full_build, edit, editing_steps

sys.path.insert(0, str(ROOT / "bench"))
from make_corpus import make_corpus  # noqa: E402

LETTER = Path("content/verslagen/kst-19637-H/brieven/2021-07-08-commissie.md")


def site_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def last_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_a_rebuild_with_nothing_changed_does_nothing(project):
    first = last_line(run_build(cwd=project))
    assert "68 changed, search index rebuilt" in first
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in (project / "site").rglob("*")}
    assert last_line(run_build(cwd=project)).startswith("Nothing changed since the last build")
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in (project / "site").rglob("*")} == before


def test_a_same_size_rewrite_within_one_clock_tick_is_seen(project):
    """A letter rewritten in place, at the same size, within the tick of the file system's clock in
    which the build took its stats: size, time and inode are all the same as before. Its time
    being recent (here, at or after the build's start) makes the next build read it."""
    letter = project / LETTER
    tick = time.time_ns() + 60 * 10**9  # a time at or after a build's start: the same tick as it

    def write_in_place(text: str) -> None:
        with open(letter, "r+b") as file:
            file.write(text.encode("utf-8"))
            file.truncate()
        os.utime(letter, ns=(tick, tick))

    text = letter.read_text(encoding="utf-8")
    write_in_place(text)
    assert "68 changed" in last_line(run_build(cwd=project))
    inode = letter.stat().st_ino
    write_in_place(text.replace("zo spoedig mogelijk", "zo SPOEDIG mogelijk"))
    assert letter.stat().st_ino == inode
    assert "Built 68 pages" in last_line(run_build(cwd=project))
    page = project / "site" / "verslagen" / "kst-19637-H" / "2021-07-08-commissie" / "index.html"
    assert "zo SPOEDIG mogelijk" in page.read_text(encoding="utf-8")


def test_an_edit_of_the_file_a_letter_links_to_is_seen(project):
    letter = project / LETTER
    shared = project / "content" / "gedeeld" / letter.name
    shared.parent.mkdir()
    os.replace(letter, shared)
    letter.symlink_to(shared)
    an_hour_ago = time.time() - 3600  # long before the build: stats are trusted
    os.utime(shared, (an_hour_ago, an_hour_ago))
    os.utime(letter, (an_hour_ago, an_hour_ago), follow_symlinks=False)
    assert "68 changed" in last_line(run_build(cwd=project))
    shared.write_text(shared.read_text(encoding="utf-8").replace("zo spoedig mogelijk", "zo snel mogelijk"),
                      encoding="utf-8")
    os.utime(shared, (an_hour_ago + 60, an_hour_ago + 60))
    assert "Built 68 pages" in last_line(run_build(cwd=project))
    page = project / "site" / "verslagen" / "kst-19637-H" / "2021-07-08-commissie" / "index.html"
    assert "zo snel mogelijk" in page.read_text(encoding="utf-8")


class _Planted:
    """What a hostile project folder could ship as its saved build: unpickling it writes a file."""

    def __init__(self, path: Path):
        self.path = str(path)

    def __reduce__(self):
        return (Path.write_text, (Path(self.path), "unpickled"))


def test_a_touched_output_or_a_foreign_saved_build_means_a_real_build(project):
    run_build(cwd=project)
    (project / "site" / "index.html").unlink()
    assert "Built 68 pages (1 changed" in last_line(run_build(cwd=project))
    assert (project / "site" / "index.html").is_file()
    # A saved build not signed by this user's builds (damaged, or planted) is never unpickled:
    # the build starts afresh and succeeds.
    state = project / ".kamerarchief-cache" / "state.pickle"
    marker = project / "planted-code-ran"
    state.write_bytes(bytes(32) + pickle.dumps(_Planted(marker)))
    (project / "content" / "partijen.yaml").write_text(
        (project / "content" / "partijen.yaml").read_text(encoding="utf-8") + "# x\n", encoding="utf-8")
    line = last_line(run_build(cwd=project))
    assert "(load " in line, "the saved build was used"
    assert not marker.exists()
    state.write_bytes(b"not a pickle")
    (project / ".kamerarchief-cache" / "last-build.txt").write_text("old", encoding="utf-8")
    assert "Built 68 pages (0 changed, search index unchanged)" in last_line(run_build(cwd=project))


def test_an_edit_rewrites_only_changed_pages_and_equals_a_clean_build(project, tmp_path_factory):
    run_build(cwd=project)
    before = inodes(project / "site")
    letter = project / LETTER
    letter.write_text(letter.read_text(encoding="utf-8").replace("zo spoedig mogelijk", "zo snel mogelijk"),
                      encoding="utf-8")
    line = last_line(run_build(cwd=project))
    assert "search index rebuilt" in line
    after = inodes(project / "site")
    kept = {path for path in before if path in after and before[path] == after[path]}
    changed = set(after) - kept - {p for p in after if p.startswith(("pagefind/", "static/"))}
    # The letter, the search page (its build id), and the feeds that list the letter (its first
    # paragraph is their summary).
    assert {p for p in changed if p.endswith(".html")} == {"verslagen/kst-19637-H/2021-07-08-commissie/index.html",
                                                           "zoeken/index.html"}
    feeds = {p for p in after if p.endswith("feed.xml")
             and "/verslagen/kst-19637-H/2021-07-08-commissie/" in (project / "site" / p).read_text(encoding="utf-8")}
    assert {p for p in changed if p.endswith(".xml")} == feeds and "feed.xml" in feeds
    # Of the data: the verslag's own file (no excerpt of a mention holds the words).
    assert {p for p in changed if p.startswith("data/")} == {"data/verslagen/kst-19637-H.json"}
    assert len(changed) == 2 + len(feeds) + 1
    assert "(2 changed" in line  # pages: the feeds and data file are not counted as pages
    # One page of the index's 58 changed: the bundle is kept (linked, not indexed again) and the
    # letter indexed into the overlay; the kept bundle's copy of it is marked out of date.
    index = project / "site" / "pagefind"
    assert {p for p in before if p.startswith("pagefind/fragment/")} <= kept
    assert (index / "bijgewerkt" / "pagefind-entry.json").is_file()

    clean = tmp_path_factory.mktemp("clean") / "site"
    shutil.rmtree(project / ".kamerarchief-cache")
    last_line(run_build("--output", str(clean), cwd=project))
    # The pages are those of a clean build; the index's files are not (a clean build indexes
    # one bundle), but what search finds is: the same pages, texts and facets.
    without_index = lambda files: {name: data for name, data in files.items() if not name.startswith("pagefind/")}
    assert without_index(site_files(project / "site")) == without_index(site_files(clean))
    assert what_search_finds(index) == what_search_finds(clean / "pagefind")
    assert not (clean / "pagefind" / "bijgewerkt").exists()


def test_the_replaced_site_is_kept_as_the_spare_the_next_rebuild_starts_from(project, tmp_path_factory):
    run_build(cwd=project)
    letter = project / LETTER
    original = letter.read_text(encoding="utf-8")
    for text in (original.replace("zo spoedig mogelijk", "zo snel mogelijk"), original):
        letter.write_text(text, encoding="utf-8")
        assert "(2 changed" in last_line(run_build(cwd=project))
    live, spare = inodes(project / "site"), inodes(project / ".site.spare")
    record = json.loads((project / ".site.spare" / SPARE_RECORD).read_text(encoding="utf-8"))
    assert "verslagen/kst-19637-H/2021-07-08-commissie/index.html" in record["changed"]
    assert record["build"] == (project / ".kamerarchief-cache" / "last-build.txt").read_text().split()[-1]
    # The two generations share every file but those the last rebuild changed.
    assert {path for path in live.keys() | spare.keys() - {SPARE_RECORD}
            if live.get(path) != spare.get(path)} == set(record["changed"])
    clean = tmp_path_factory.mktemp("clean") / "site"
    shutil.rmtree(project / ".kamerarchief-cache")
    last_line(run_build("--output", str(clean), cwd=project))
    assert site_files(project / "site") == site_files(clean)


def test_an_edit_indexes_only_the_pages_it_changed_or_the_bundle_of_many(project, tmp_path_factory):
    config = project / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "search_bundle_pages: 30\n", encoding="utf-8")
    run_build(cwd=project)
    index = project / "site" / "pagefind"
    bundles = {"": index, **{p.name + "/": p for p in index.glob("deel-*")}}
    assert len(bundles) == len(plan_bundles({p: b"" for p in page_urls_of(project / "site")}, 30)) > 1
    touched = bundle_of("/verslagen/kst-19637-H/2021-07-08-commissie/", len(bundles))
    touched_path = sorted(bundles, key=lambda path: (path != "", path))[touched]
    letter = project / LETTER
    clean = tmp_path_factory.mktemp("clean") / "site"
    for words, indexed_again in (
            # One page of the bundle's twenty or so: the bundle is kept, the letter goes into the overlay.
            (("zo spoedig mogelijk", "zo snel mogelijk"), False),
            # The letter's date: the verslag's page, which lists it, changes too: two pages of the
            # bundle's twenty or so, which is then indexed again.
            (("datum: 2021-07-08", "datum: 2021-07-07"), True)):
        before = {path: inodes(folder) for path, folder in bundles.items()}
        letter.write_text(letter.read_text(encoding="utf-8").replace(*words), encoding="utf-8")
        assert "search index rebuilt" in last_line(run_build(cwd=project))
        for path, folder in bundles.items():
            now = inodes(folder)
            own = {name: ino for name, ino in before[path].items()
                   if not name.startswith(("deel-", "bijgewerkt/"))}
            kept = {name for name, ino in own.items() if now.get(name) == ino}
            if path == touched_path and indexed_again:
                assert not any(name.startswith("fragment/") for name in kept)  # indexed again
            elif not indexed_again:  # (the date also changes pages of other bundles)
                # linked from the previous index, all but the facet store (of all bundles) and the site id
                assert set(own) - kept <= {"kamerarchief-site-id.txt"} | {
                    name for name in own if name.startswith("zoekfacetten")}, path
        assert (index / "bijgewerkt").is_dir() != indexed_again
        # What changed is new files: the previous site's, which the new one linked, were not written into.
        assert before[""]["zoekfacetten.json"] != inodes(index)["zoekfacetten.json"]
        assert before[""]["kamerarchief-site-id.txt"] != inodes(index)["kamerarchief-site-id.txt"]
        # A clean build of the same content, from a copy without the cache.
        for folder in (clean, clean.parent / "copy"):
            shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(project, clean.parent / "copy", ignore=shutil.ignore_patterns("site", ".kamerarchief-cache"))
        last_line(run_build("--output", str(clean), cwd=clean.parent / "copy"))
        assert what_search_finds(index) == what_search_finds(clean / "pagefind")
        if indexed_again:
            assert site_files(clean / "pagefind") == site_files(index)


def page_urls_of(site: Path) -> list[str]:
    return ["/" + p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html")
            if "pagefind" not in p.parts]


def test_no_page_changed_keeps_the_search_index(project):
    run_build(cwd=project)
    index = inodes(project / "site" / "pagefind")
    parties = project / "content" / "partijen.yaml"
    parties.write_text(parties.read_text(encoding="utf-8") + "\n# an editor's note\n", encoding="utf-8")
    assert "(0 changed, search index unchanged)" in last_line(run_build(cwd=project))
    assert inodes(project / "site" / "pagefind") == index


def test_an_error_after_a_build_keeps_the_site_and_the_fix_builds(project):
    run_build(cwd=project)
    before = site_files(project / "site")
    letter = project / LETTER
    good = letter.read_text(encoding="utf-8")
    letter.write_text(good.replace("persoon: faber-van-de-klashorst", "persoon: faber", 1), encoding="utf-8")
    broken = run_build(cwd=project)
    assert broken.returncode == 1 and "unknown person" in broken.stderr
    assert site_files(project / "site") == before
    letter.write_text(good, encoding="utf-8")
    assert last_line(run_build(cwd=project)).startswith(("Nothing changed", "Built 68 pages (0 changed"))
    assert site_files(project / "site") == before


def test_progress_is_shown_on_a_terminal_only(project):
    status, output = run_on_terminal(cwd=project)
    assert status == 0
    text = output.decode()
    for phase in ("load", "validate", "render", "write", "index"):
        assert f"  {phase}" in text
    assert "68 pages (68 changed)" in text and "4 texts" in text
    shutil.rmtree(project / "site")
    piped = run_build(cwd=project)
    assert piped.stdout.count("\n") == 1 and "\r" not in piped.stdout


def test_several_processes_give_the_same_bytes_as_one(tmp_path):
    # Enough verslagen that prose and pages are split over workers (see parallel.MIN_ITEMS_PER_WORKER).
    make_corpus(120, tmp_path / "corpus")
    (tmp_path / "config.yaml").write_text(f"templates: {ROOT / 'templates'}\nstatic: {ROOT / 'static'}\n",
                                          encoding="utf-8")
    sites = {}
    for jobs in ("1", "2"):
        shutil.rmtree(tmp_path / ".kamerarchief-cache", ignore_errors=True)
        output = tmp_path / f"site-{jobs}"
        last_line(run_build("--content", str(tmp_path / "corpus" / "content"), "--output", str(output),
                            "--jobs", jobs, cwd=tmp_path, timeout=300))
        sites[jobs] = site_files(output)
    assert len(sites["1"]) > 800
    assert sites["1"] == sites["2"]


def test_a_template_syntax_error_is_reported_once_by_all_processes(tmp_path):
    make_corpus(120, tmp_path / "corpus")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    brief = tmp_path / "templates" / "brief.html"
    lines = brief.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if "{% block content %}" in line)
    brief.write_text(brief.read_text(encoding="utf-8").replace("{% block content %}", "{% block content %}{% if %}"),
                     encoding="utf-8")
    (tmp_path / "config.yaml").write_text(f"templates: templates\nstatic: {ROOT / 'static'}\n", encoding="utf-8")
    result = run_build("--content", str(tmp_path / "corpus" / "content"), "--jobs", "2", cwd=tmp_path, timeout=300)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"templates/brief.html:{number}: template error: Expected an expression, got 'end of statement block'",
        "1 error; nothing was written."]
    assert not (tmp_path / "site").exists()


def test_rebuilds_from_the_saved_build_match_full_builds(tmp_path):
    """The command line's rebuild after each kind of edit gives the pages a full build gives."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("site"))
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, project / name)
    # In bundles of at most 30 pages (three here): each rebuild indexes again only those whose
    # pages changed; published under a path, as the feeds and sitemap are then absolute.
    (project / "config.yaml").write_text("title: Kamerarchief\nbase_url: https://example.org/archief/\n"
                                         "search_bundle_pages: 30\n", encoding="utf-8")
    last_line(run_build(cwd=project))
    steps = editing_steps(project) + [
        lambda: edit(project, "templates/bron.html", "<dt>Soort</dt>", "<dt>Soort document</dt>"),
        # a template only the search page uses: no other page changes, so neither does the site id
        lambda: edit(project, "templates/zoeken.html", "{% block title %}Zoeken{% endblock %}",
                     "{% block title %}Zoeken in het archief{% endblock %}"),
        lambda: edit(project, "static/style.css", "body", "html body"),
    ]
    for number, step in enumerate(steps, start=1):
        step()
        line = last_line(run_build(cwd=project))
        assert "render+write" in line, f"step {number} did not start from the saved build: {line}"
        try:
            assert_same_as_full_build(project)
        except AssertionError as exc:
            raise AssertionError(f"step {number}: {exc}") from None
    assert (project / "site" / "static" / "style.css").read_bytes() == (project / "static" / "style.css").read_bytes()
    # the index offers the last pages, as a fresh Pagefind run over them does; with no overlay
    # left, it is the same files
    index = site_files(project / "site" / "pagefind")
    assert "deel-3/pagefind-entry.json" in index
    shutil.rmtree(project / ".kamerarchief-cache")
    clean = tmp_path / "clean"
    last_line(run_build("--output", str(clean), cwd=project))
    assert what_search_finds(project / "site" / "pagefind") == what_search_finds(clean / "pagefind")
    if not (project / "site" / "pagefind" / "bijgewerkt").exists():
        assert site_files(clean / "pagefind") == index


def test_a_saved_site_makes_its_relations_and_keeps_the_remembered_rows_of_live_verslagen():
    """What is saved leaves the relations out (made again on reading) and keeps Site.memo only
    for verslagen still in the archive, tied to the very objects it was made from."""
    import dataclasses

    from kamerarchief.config import load_config
    from kamerarchief.model import Verslag
    from kamerarchief.pipeline import IncrementalBuilder, check
    from kamerarchief.resolve import RELATIONS

    config = load_config(FIXTURE / "config.yaml")
    builder = IncrementalBuilder(config)
    builder.result = check(config)
    builder.warm()
    site = builder.result.site
    assert site.memo
    copy = pickle.loads(pickle.dumps(site.without_relations()))
    assert not any(getattr(copy, name) for name in RELATIONS) and not copy.contributed
    copy.with_relations()
    for name in RELATIONS:
        assert getattr(copy, name) == getattr(site, name), name
    assert copy.contributed == site.contributed
    assert site.live_memo() == site.memo
    # A verslag replaced by a new object (as an edit replaces it): its rows and entries go.
    ident, verslag = next(iter(site.archive.verslagen.items()))
    site.archive.verslagen[ident] = dataclasses.replace(verslag)
    kept = site.live_memo()
    assert kept and len(kept) < len(site.memo)
    assert not any(isinstance(item, Verslag) and item.id == ident for made_from, _ in kept.values() for item in made_from)
    saved, memo = pickle.loads(pickle.dumps((site.without_relations(), kept)))
    tied = [item for made_from, _ in memo.values() for item in made_from if isinstance(item, Verslag)]
    assert tied and all(item is saved.archive.verslagen[item.id] for item in tied)
