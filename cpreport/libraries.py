"""The heavy libraries (pandas, Arrow, WeasyPrint), imported with Python's garbage collector held back."""
from __future__ import annotations

import gc
import sys
from contextlib import contextmanager


@contextmanager
def collector_held(module: str):
    """Importing pandas or WeasyPrint makes a few hundred thousand objects that live as long as the process.
    Python's collector would walk them again and again while they are made, at each of its full passes later,
    and once more at exit, and never find one to free: about a fifth of a small build's time. So it is held
    back while they are made, and they are then frozen, which moves them out of its sight for good.

    Only on the module's first import: a freeze later on would also keep for good the garbage of the work
    done since (a rendered PDF's, for one), which the collector would otherwise free."""
    if module in sys.modules:
        yield
        return
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_on:
            gc.enable()
