"""Speed code: the files of a data folder, and a long sheet's columns, worked on side by side, one per core.

The workbook reader lets go of Python's lock while it parses a sheet's XML, and so does inflating it: two
office workbooks are read at once on two cores (benchmarks/run.py, 100,000 rows in 10 office workbooks:
load+validate+figures against reading the files alone went from 1.38x to 1.10x). Reading a column (its distinct texts, its cells as counts or dates) is mostly Arrow's and numpy's kernels, which
let go of Python's lock while they run: two columns are read at once on two cores. What is done with the results
(findings, in the order of the columns) stays in the calling thread, one column after the other, so a build says
the same things in the same order whichever way its columns were read.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many rows a column is read in less time than a thread takes to be handed it: one after the other.
SIDE_BY_SIDE_ROWS = 20_000
# At most this many columns at once (None: one per core); 1 reads every column in the calling thread.
THREADS: int | None = None

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
_inside = threading.local()  # a worker handing out columns of its own reads them itself: no wait on the pool


def each_column(function: Callable[[Item], Result], items: Iterable[Item], rows: int) -> list[Result]:
    """function of each item, in the items' order: side by side when the sheet has rows enough to gain by it."""
    items = list(items)
    workers = min(THREADS or os.cpu_count() or 1, len(items))
    if rows < SIDE_BY_SIDE_ROWS or workers < 2 or getattr(_inside, "worker", False):
        return [function(item) for item in items]
    return list(_workers().map(_in_worker(function), items))


# Below this many bytes of files the folder is read in less time than threads take to start: one after the other.
SIDE_BY_SIDE_BYTES = 1 << 20


def each_file(function: Callable[[Item], Result], items: Iterable[Item], size: int) -> list[Result]:
    """function of each file, in the files' order: side by side when there are bytes enough to gain by it. Its
    own pool, so that a file's columns, handed to the column pool from a file's thread, never wait on a file."""
    items = list(items)
    workers = min(THREADS or os.cpu_count() or 1, len(items))
    if size < SIDE_BY_SIDE_BYTES or workers < 2:
        return [function(item) for item in items]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cpreport-file") as pool:
        return list(pool.map(function, items))


def _in_worker(function: Callable[[Item], Result]) -> Callable[[Item], Result]:
    def run(item: Item) -> Result:
        _inside.worker = True
        return function(item)
    return run


def _workers() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=THREADS or os.cpu_count() or 1, thread_name_prefix="cpreport-column")
        return _pool
