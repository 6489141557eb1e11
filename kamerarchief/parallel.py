"""Spread pure, CPU-bound work (Markdown and page rendering) over the machine's cores.

Worker processes are forked, so that they inherit what the work needs (the resolved site, the
Jinja2 environment, the items themselves) without pickling it: only the bounds of each chunk go to
a worker and only its results come back.
Forking a process that runs other threads is unsafe (a lock held by another thread stays held in
the child), so the work runs in this process instead when other threads exist, as in the preview
server, or when there is too little of it to be worth a process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Sequence

MIN_ITEMS_PER_WORKER = 200

# What the forked workers run: set in the parent just before the pool forks and cleared after it.
# Each worker reads its own copy; nothing else reads or writes it.
_forked_work: tuple[Callable, Any, Sequence] | None = None


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def map_chunks(function: Callable[[Any, Sequence], Any], shared: Any, items: Sequence,
               workers: int | None = None, done: Callable[[int], None] | None = None) -> list:
    """[function(shared, chunk) for each chunk of items], the chunks run on up to `workers` cores.

    `function` must be a module-level function; `shared` is passed to it in every chunk without
    being copied through a pipe. Results come back in the order of the items; `done(n)` is called
    as each chunk of n items is finished (to show progress).
    """
    workers = default_workers() if workers is None else workers
    workers = min(workers, len(items) // MIN_ITEMS_PER_WORKER)
    if workers <= 1 or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for start, stop in _bounds(len(items), 8 if done else 1):
            results.append(function(shared, items[start:stop]))
            if done:
                done(stop - start)
        return results
    # Several chunks per worker even out the load when some items are much bigger than others.
    bounds = _bounds(len(items), workers * 4)
    global _forked_work
    _forked_work = (function, shared, items)
    try:
        # An executor rather than multiprocessing.Pool: a worker that dies (killed, out of memory)
        # fails the build with BrokenProcessPool instead of leaving it waiting forever.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as executor:
            results = []
            for (start, stop), result in zip(bounds, executor.map(_run_chunk, bounds)):
                results.append(result)
                if done:
                    done(stop - start)
            return results
    finally:
        _forked_work = None


def _bounds(length: int, count: int) -> list[tuple[int, int]]:
    """(start, stop) of `count` nearly equal chunks of a sequence (fewer when it is short)."""
    size = max(1, -(-length // count))
    return [(start, min(start + size, length)) for start in range(0, length, size)]


def _run_chunk(bounds: tuple[int, int]):
    function, shared, items = _forked_work
    return function(shared, items[bounds[0]:bounds[1]])
