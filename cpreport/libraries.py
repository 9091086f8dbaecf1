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
    gc.freeze()
