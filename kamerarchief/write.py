"""Write the site into a staging folder and swap it into place only when everything succeeded.

A failed, interrupted or killed build leaves the previous site as it was. The build refuses to
write over anything that is not one of its own earlier builds.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

MARKER = ".kamerarchief-build"
MARKER_TEXT = "This folder is built by Kamerarchief's build.py; the next build replaces it whole.\n"


class OutputError(Exception):
    """The output folder cannot safely be replaced."""


def check_output_folder(output: Path, protected: list[Path]) -> None:
    """Refuse an output folder that holds the project or content, or another program's files."""
    output = output.resolve()
    for folder in protected:
        folder = folder.resolve()
        if output == folder or folder.is_relative_to(output):
            raise OutputError(f"refusing to build into {output}: it is or contains {folder}")
    if output.exists() and not output.is_dir():
        raise OutputError(f"refusing to build into {output}: it is a file")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise OutputError(f"refusing to build into {output}: it is not empty and was not made by this "
                          f"build (no {MARKER} file); remove it or choose another --output")


def url_to_path(root: Path, url: str) -> Path:
    """'/verslagen/x/' -> root/verslagen/x/index.html; '/404.html' -> root/404.html."""
    path = (root / _relative_path(url)).resolve()
    if not path.is_relative_to(root.resolve()):
        raise OutputError(f"page URL {url} points outside the output folder")
    return path


def staging_folder(output: Path) -> Path:
    """The folder a build writes into, beside the output so that the swap is a rename."""
    return output.parent / f".{output.name}.staging"


def write_staging(output: Path, pages: dict[str, bytes], static_dir: Path,
                  done: Callable[[int], None] | None = None) -> tuple[Path, list[str]]:
    """Write every page (its UTF-8 bytes) and the static files into a fresh staging folder:
    (folder, URLs written).

    A page whose bytes are those of the same page in the current output is not written again but
    hard-linked from there, so that it keeps its file (and time) and costs no disk space.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(output)
    if staging.exists():
        shutil.rmtree(staging)  # left by a build that was killed; ours by its name
    staging.mkdir()
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    made_folders: set[str] = set()
    written = []
    for count, url in enumerate(sorted(pages), 1):
        relative = _relative_path(url)
        data = pages[url]
        folder = os.path.dirname(relative)
        if folder and folder not in made_folders:
            os.makedirs(staging / folder, exist_ok=True)
            made_folders.add(folder)
        if not _link_if_same(output / relative, staging / relative, data):
            with open(staging / relative, "wb") as file:
                file.write(data)
            written.append(url)
        if done and count % 500 == 0:
            done(500)
    if done:
        done(len(pages) % 500)
    if static_dir.is_dir():
        shutil.copytree(static_dir, staging / "static")
    return staging, written


def _relative_path(url: str) -> str:
    """'/verslagen/x/' -> 'verslagen/x/index.html', checked to stay inside the site."""
    relative = url.lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    if any(part in ("", ".", "..") for part in relative.split("/")) or "\\" in relative:
        raise OutputError(f"page URL {url} points outside the output folder")
    return relative


def _link_if_same(existing: Path, new: Path, data: bytes) -> bool:
    """Hard-link `existing` at `new` when it holds exactly `data`; False when it does not (or
    cannot be linked, as across file systems)."""
    try:
        if os.path.getsize(existing) != len(data):
            return False
        with open(existing, "rb") as file:
            if file.read() != data:
                return False
        os.link(existing, new)
        return True
    except OSError:
        return False


def link_tree(existing: Path, new: Path, leave_out: Callable[[str], bool] | None = None) -> None:
    """Hard-link every file of `existing` into the new folder `new` (which must not exist);
    copy where the file system has no hard links. Names in `existing` itself for which
    `leave_out(name)` is true are left out."""
    # A walk of its own rather than shutil.copytree, which also copies each folder's times and
    # modes: fewer system calls for a site of 8,000 folders.
    os.makedirs(new)  # its parents too, as shutil.copytree makes them
    stack = [(os.fspath(existing), os.fspath(new), leave_out)]
    while stack:
        source, target, leave = stack.pop()
        with os.scandir(source) as scan:
            for entry in scan:
                if leave and leave(entry.name):
                    continue
                destination = os.path.join(target, entry.name)
                if entry.is_dir():  # links are followed, as shutil.copytree follows them
                    os.mkdir(destination)
                    stack.append((entry.path, destination, None))
                else:
                    link_file(entry.path, destination)


def link_file(source: str | Path, target: str | Path) -> None:
    """Hard-link `source` as `target`; copy where the file system has no hard links."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@contextmanager
def signals_deferred():
    """Hold Ctrl-C and SIGTERM back for the two renames of the swap."""
    deferred = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, deferred)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def swap_into_place(staging: Path, output: Path) -> threading.Thread:
    """Replace `output` with `staging` by two renames. The old site is removed by the thread
    returned, so that other work can go on meanwhile: join it before the program ends."""
    retired = output.parent / f".{output.name}.previous"
    if retired.exists():
        shutil.rmtree(retired)
    with signals_deferred():
        if output.exists():
            os.rename(output, retired)
        os.rename(staging, output)
    remover = threading.Thread(target=shutil.rmtree, args=(retired, True), name="remove old site")
    remover.start()
    return remover


def recover_interrupted_swap(output: Path) -> None:
    """If a build was killed between the two renames, put the previous site back."""
    retired = output.parent / f".{output.name}.previous"
    if retired.is_dir() and not output.exists():
        os.rename(retired, output)


def discard_staging(output: Path) -> None:
    """Remove the staging folder of a build that failed."""
    staging = staging_folder(output)
    if staging.exists():
        shutil.rmtree(staging, ignore_errors=True)


def write_page(output: Path, url: str, html: str) -> None:
    """Replace one page of a built site: written beside it, then renamed over it."""
    path = url_to_path(output, url)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(html, encoding="utf-8", newline="\n")
    os.replace(temporary, path)


def remove_page(output: Path, url: str) -> None:
    """Remove one page and the folders it leaves empty."""
    path = url_to_path(output, url)
    path.unlink(missing_ok=True)
    folder = path.parent
    root = output.resolve()
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def copy_static(static_dir: Path, output: Path, changed: set[Path]) -> list[str]:
    """Bring the changed static files up to date in the output; returns their site paths."""
    done = []
    for source in sorted(changed):
        try:
            relative = source.resolve().relative_to(static_dir.resolve())
        except ValueError:
            continue
        target = output / "static" / relative
        if source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(source, temporary)
            os.replace(temporary, target)
        else:
            target.unlink(missing_ok=True)
        done.append(f"/static/{relative.as_posix()}")
    return done
