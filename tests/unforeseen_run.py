"""cpreport's command line with a bug planted in its build: for the test that an unforeseen failure is one line,
exit code 6, and a traceback in the log.

    python tests/unforeseen_run.py build --config ...

The figures stage raises an error no part of cpreport expects (as a bug would), from outside the package: the
package holds nothing of this."""
from __future__ import annotations

import sys

from cpreport.cli import main


def planted(*args, **kwargs):
    raise RuntimeError("a planted bug")


if __name__ == "__main__":
    import cpreport.figures

    cpreport.figures.computed = planted  # the figures of each period, as the build computes them
    sys.exit(main())
