"""Python's garbage collector around the heavy libraries (pandas, WeasyPrint): held back while they make
their objects, and put back as it was. Importing cpreport changes nothing in the process: only a call does,
for its own length, and the `cpreport` program (cli.py), which owns its process, may settle the libraries
it is about to use for the rest of its run."""
from __future__ import annotations

import gc
import importlib
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """The collector held back for the length of the block, then enabled again if it was before.
    Importing WeasyPrint and laying out a report make a few hundred thousand objects, most of them kept:
    the collector would walk them again and again while they are made and never find one to free."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def settle(*modules: str) -> None:
    """For the `cpreport` program alone, never called on import: the modules imported with the collector
    held back, and everything then alive frozen out of its sight for the rest of the run (`gc.freeze`), so
    that no full pass, and not the one at exit, walks pandas' objects again. benchmarks/run.py measured
    it: load + validate + figures of 100,000 CSV rows as a process took 0.69 s with it and 0.76 s without
    (1.13x). What the run makes afterwards is collected as usual."""
    with collector_paused():
        for module in modules:
            importlib.import_module(module)
        if "pandas" in modules:
            arrow_memory_from_malloc()
        # Frozen before the collector is back: else the first allocation after it would make it walk everything
        # the imports made, once (24 ms after pandas).
        gc.freeze()


def arrow_memory_from_malloc() -> None:
    """Arrow's buffers (a CSV's cells) taken from the C library's malloc rather than Arrow's default allocator
    (mimalloc), for the `cpreport` program alone. On this project's machine class mimalloc now and then makes a
    large allocation an order of magnitude slower: reading a CSV of 1,000,000 rows took 0.21 s in most runs and
    0.52 s in others, and joining its blocks 0.06 s or 0.66 s; with malloc, 0.23 s and 0.10 s in every run
    (benchmarks/run.py, load+validate+figures of a million CSV rows: 1.04-2.15 s with mimalloc, 1.11-1.18 s
    with malloc). Whoever sets ARROW_DEFAULT_MEMORY_POOL keeps their choice."""
    import os

    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow

    pyarrow.set_memory_pool(pyarrow.system_memory_pool())
