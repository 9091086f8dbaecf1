"""cpreport's command line, stopping itself at a stage of its build: for the tests of unattended runs.

    python tests/paused_run.py STAGE build --config ...

It wraps cpreport's public `Progress.stage` from outside: when the build says it reached STAGE (a name of
`cpreport.log.STAGES`), it writes "paused at STAGE" on stderr and stops itself (SIGSTOP), so that a test can
kill it there (SIGKILL) or let it go on (SIGCONT); it stops again each time that stage begins. The package
holds nothing of this."""
from __future__ import annotations

import os
import signal
import sys

from cpreport.cli import main
from cpreport.log import STAGES, Progress

if __name__ == "__main__":
    pause_at = sys.argv.pop(1)
    if pause_at not in STAGES:
        raise SystemExit(f"paused_run.py: no stage {pause_at!r}; the stages: {', '.join(STAGES)}")
    stage = Progress.stage

    def stage_then_pause(progress: Progress, name: str, detail: str = "") -> None:
        stage(progress, name, detail)
        if name == pause_at:
            sys.stderr.write(f"cpreport: paused at {name}\n")
            sys.stderr.flush()
            os.kill(os.getpid(), signal.SIGSTOP)

    Progress.stage = stage_then_pause
    main(sys.argv[1:], prog_name="cpreport")
