"""The spare generation of the site: made into a staging folder by relinking what changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kamerarchief.generations import (SPARE_RECORD, changed_paths, differing_files, finish_spare, prepare_staging,
                                      restore_swapped_out, return_staging, spare_folder, start_spare,
                                      swap_keeping_spare, sync_paths)
from kamerarchief.write import link_tree, staging_folder, write_page


def files(folder: Path) -> dict[str, tuple[bytes, int]]:
    """{relative path: (bytes, inode)} of every file in a folder."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def a_site(tmp_path: Path) -> Path:
    output = tmp_path / "site"
    for url, text in {"/": "home", "/a/": "a", "/b/c/": "c", "/pagefind/x.pf": "index 1", "/feed.xml": "f"}.items():
        write_page(output, url, text)
    return output


def make_spare(output: Path, token: str) -> None:
    """What a full build does for its spare: begun from the staging folder, finished once live."""
    staging = staging_folder(output)
    link_tree(output, staging)
    start_spare(output).join()
    output.rename(output.with_name("replaced"))
    staging.rename(output)
    finish_spare(output, token)


def rebuild(output: Path, token: str, new_token: str, pages: dict[str, str | None]) -> None:
    """What rebuild.py does: staging from the spare, pages written or removed, swap keeping a spare."""
    staging, later = prepare_staging(output, token, later="pagefind")
    sync_paths(output, staging, later)
    for url, text in pages.items():
        if text is None:
            (staging / changed_paths(staging, [url])[0]).unlink()
        else:
            write_page(staging, url, text)
    swap_keeping_spare(staging, output, new_token, changed_paths(staging, list(pages)))


def test_rebuilds_from_the_spare_give_the_site_and_never_write_into_a_shared_file(tmp_path):
    output = a_site(tmp_path)
    make_spare(output, "t1")
    assert files(spare_folder(output)).keys() - {SPARE_RECORD} == files(output).keys() - {"pagefind/x.pf"}
    shared = files(output)["a/index.html"][1]
    rebuild(output, "t1", "t2", {"/a/": "a, edited", "/d/": "new page", "/pagefind/x.pf": "index 2"})
    rebuild(output, "t2", "t3", {"/": "home, edited", "/d/": None})
    site = files(output)
    assert {path: data for path, (data, _) in site.items()} == {
        "index.html": b"home, edited", "a/index.html": b"a, edited", "b/c/index.html": b"c",
        "pagefind/x.pf": b"index 2", "feed.xml": b"f", }
    assert files(spare_folder(output))["a/index.html"][0] == b"a, edited"  # the previous generation
    # The first site's file was replaced, not written into: the second generation kept its own.
    assert shared not in {inode for _, inode in site.values()}
    record = json.loads((spare_folder(output) / SPARE_RECORD).read_text(encoding="utf-8"))
    assert record == {"build": "t3", "changed": ["d/index.html", "index.html"]}
    # Unchanged files are one file in both generations.
    spare = files(spare_folder(output))
    assert site["b/c/index.html"] == spare["b/c/index.html"]
    assert not staging_folder(output).exists()


def test_a_spare_of_another_build_is_not_trusted(tmp_path):
    output = a_site(tmp_path)
    make_spare(output, "t1")
    (spare_folder(output) / "a" / "index.html").unlink()
    (spare_folder(output) / "a" / "index.html").write_text("stale", encoding="utf-8")
    staging, later = prepare_staging(output, "another", later="pagefind")
    assert later == [] and not spare_folder(output).exists()
    assert files(staging) == files(output)  # a fresh copy in hard links


def test_an_index_not_kept_is_not_synced(tmp_path):
    output = a_site(tmp_path)
    make_spare(output, "t1")
    rebuild(output, "t1", "t2", {"/pagefind/x.pf": "index 2"})
    staging, later = prepare_staging(output, "t2", later="pagefind")
    assert later == ["pagefind/x.pf"]
    assert (staging / "pagefind" / "x.pf").read_text(encoding="utf-8") == "index 1"
    return_staging(output, "t2", later)  # unused, as after an error in the content
    staging, later = prepare_staging(output, "t2", later="pagefind")
    sync_paths(output, staging, later)
    assert files(staging) == files(output)


def test_a_swap_killed_between_its_renames_is_undone(tmp_path):
    output = a_site(tmp_path)
    staging = staging_folder(output)
    link_tree(output, staging)
    spare = spare_folder(output)
    output.rename(spare)  # killed here: no record in the spare yet
    restore_swapped_out(output)
    assert (output / "a" / "index.html").read_text(encoding="utf-8") == "a"


def test_differing_files_compares_by_inode(tmp_path):
    old = tmp_path / "old" / "pagefind"
    for name in ("same", "changed", "gone"):
        write_page(old, f"/{name}", name)
    new = tmp_path / "new" / "pagefind"
    link_tree(old, new)
    write_page(new, "/changed", "changed")  # the same bytes in a new file
    (new / "gone").unlink()
    write_page(new, "/sub/added", "added")
    assert differing_files(new, old) == ["pagefind/changed", "pagefind/gone", "pagefind/sub/added"]


def test_a_spare_begun_but_not_finished_is_not_trusted(tmp_path):
    output = a_site(tmp_path)
    staging = staging_folder(output)
    link_tree(output, staging)
    start_spare(output).join()  # the build stopped before its site went live
    shutil.rmtree(staging)
    staging, later = prepare_staging(output, "", later="pagefind")
    assert later == [] and files(staging) == files(output)
