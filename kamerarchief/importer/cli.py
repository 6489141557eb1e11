"""`build.py import`: the command line over the importer, with progress on a terminal and a summary."""

from __future__ import annotations

import sys
from pathlib import Path

from .run import import_sources

EXIT_OK, EXIT_PROBLEMS = 0, 1


def run_import(sources: list[str], content: Path, force: bool, dry_run: bool, quiet: bool,
               out=None, err=None) -> int:
    """Import `sources` into `content`; 1 when a source or record could not be read (the rest is
    imported all the same), else 0."""
    out, err = out or sys.stdout, err or sys.stderr
    tty = out.isatty() and not quiet

    def progress(source: str, count: int) -> None:
        if count % 25 == 0:
            out.write(f"\r{source}: {count} documents read")
            out.flush()

    report = import_sources(sources, content, force, dry_run, progress if tty else None)
    if tty:
        out.write("\r\033[K")
    for problem in report.problems:
        print(problem, file=err)
    if not quiet:
        print(report.summary(dry_run), file=out)
    return EXIT_PROBLEMS if report.problems else EXIT_OK
