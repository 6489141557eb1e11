"""Progress of a long build on a terminal: one line per phase, counting as the work goes.

    load      1,000 verslagen                 0.4 s
    validate  4,965 texts                     4.9 s
    render    7,865 pages                     3.1 s
    write     7,865 pages (12 changed)        0.6 s
    index     7,865 pages                    14.2 s

Silent (Progress.quiet) when output is not a terminal or with --quiet, so that logs and pipes
get only the summary line.
"""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """Reports phases to a terminal; the base class reports nothing."""

    def start(self, phase: str, total: int | None = None, unit: str = "") -> None:
        """A phase begins; `total` items of `unit` are expected when known."""

    def expect(self, total: int) -> None:
        """The current phase turns out to have `total` items."""

    def advance(self, count: int = 1) -> None:
        """`count` more items of the current phase are done."""

    def finish(self, detail: str = "") -> None:
        """The current phase is done; `detail` replaces the count shown."""

    @staticmethod
    def for_stream(stream: TextIO, quiet: bool) -> "Progress":
        """Progress on `stream` when it is a terminal and not quiet; silent otherwise."""
        return Progress() if quiet or not stream.isatty() else TerminalProgress(stream)


class TerminalProgress(Progress):
    """Rewrites the current phase's line in place, at most ten times a second."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.phase = ""
        self.total: int | None = None
        self.unit = ""
        self.done = 0
        self.started = 0.0
        self.shown = 0.0

    def start(self, phase: str, total: int | None = None, unit: str = "") -> None:
        self.phase, self.total, self.unit, self.done = phase, total, unit, 0
        self.started = time.perf_counter()
        self._show(force=True)

    def expect(self, total: int) -> None:
        self.total = total
        self._show(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self._show()

    def finish(self, detail: str = "") -> None:
        if self.total is not None:
            self.done = self.total
        self._show(force=True, detail=detail, end="\n")

    def _show(self, force: bool = False, detail: str = "", end: str = "") -> None:
        now = time.perf_counter()
        if not force and now - self.shown < 0.1:
            return
        self.shown = now
        if detail:
            count = detail
        elif self.total is None:
            count = "..." if not end else ""
        elif end:
            count = f"{self.total:,} {self.unit}"
        else:
            count = f"{self.done:,}/{self.total:,} {self.unit}"
        line = f"  {self.phase:<9} {count:<40} {now - self.started:6.1f} s"
        self.stream.write(f"\r{line}\x1b[K{end}")
        self.stream.flush()
