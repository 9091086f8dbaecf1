"""Shared fixtures: the sample project copied to a temporary folder, cpreport run as a process of its own,
and helpers to read what it wrote."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
PAUSED_RUN = Path(__file__).resolve().with_name("paused_run.py")


def cpreport_command(*args: str, pause_at: str | None = None) -> list[str]:
    """The command line of `cpreport ARGS` as a user or cron runs it; with `pause_at`, one that stops itself
    when its build reaches that stage (tests/paused_run.py)."""
    if pause_at:
        return [sys.executable, str(PAUSED_RUN), pause_at, *args]
    return [sys.executable, "-m", "cpreport", *args]


def environment(env: dict | None = None) -> dict:
    """This process's environment without its CPREPORT_* settings (a developer's own would change what a test
    sees), and with `env` added."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("CPREPORT_")}, **(env or {})}


def as_a_shell_starts_it() -> None:
    """Run in a started process before cpreport: Ctrl-C (SIGINT) neither ignored nor blocked, as a terminal's shell
    starts a program, whatever the test runner's worker left this process with (children inherit both)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def run_cpreport(*args: str, cwd: Path | None = None, env: dict | None = None,
                 timeout: float | None = None) -> subprocess.CompletedProcess:
    """`cpreport ARGS` in a process of its own, to its end: its exit code, stdout and stderr (text)."""
    return subprocess.run(cpreport_command(*args), capture_output=True, text=True, cwd=cwd, env=environment(env),
                          timeout=timeout)


def invoke(*args: str, env: dict | None = None):
    """`cpreport ARGS` in this process, through Click's test runner: for what needs no process of its own (an
    exit code, what is printed). `output` holds what it printed on stdout and stderr; an exception cpreport
    did not turn into an exit fails the test."""
    from click.testing import CliRunner

    from cpreport.cli import main

    unset = {k: None for k in os.environ if k.startswith("CPREPORT_")}
    return CliRunner().invoke(main, list(args), env={**unset, **(env or {})}, catch_exceptions=False)


def start_cpreport(*args: str, cwd: Path | None = None, env: dict | None = None, pause_at: str | None = None,
                   **popen) -> subprocess.Popen:
    """`cpreport ARGS` started in a process of its own (stdout and stderr piped, as text, unless `popen` says
    otherwise); with `pause_at`, returned once it has stopped itself at that stage."""
    popen = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True, **popen}
    process = subprocess.Popen(cpreport_command(*args, pause_at=pause_at), cwd=cwd, env=environment(env),
                               preexec_fn=as_a_shell_starts_it, **popen)
    if pause_at:
        wait_for_pause(process, pause_at)
    return process


def wait_for_pause(process: subprocess.Popen, stage: str) -> str:
    """Read a paused run's stderr until it says it stopped at `stage`, and until it has stopped; returns what it
    said on the way."""
    said = ""
    for line in process.stderr:
        said += line
        if f"paused at {stage}" in line:
            break
    else:
        raise AssertionError(f"the build ended without reaching {stage}: {process.wait()}\n{said}")
    os.waitpid(process.pid, os.WUNTRACED)  # until the process has actually stopped
    return said


class Processes:
    """What the `cpreport_process` fixture gives: `run` and `start` as above; a started process still running
    at the end of the test is killed."""

    def __init__(self):
        self.started: list[subprocess.Popen] = []

    def run(self, *args: str, **options) -> subprocess.CompletedProcess:
        return run_cpreport(*args, **options)

    def start(self, *args: str, **options) -> subprocess.Popen:
        process = start_cpreport(*args, **options)
        self.started.append(process)
        return process

    def close(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.communicate()


@pytest.fixture
def cpreport_process():
    """cpreport run as a user or cron runs it, in a process of its own (the tests that need a process: exit
    codes, signals, locks, terminals, what a fresh process imports). Tests using it are marked `process`."""
    processes = Processes()
    yield processes
    processes.close()


def pytest_collection_modifyitems(items):
    for item in items:
        if "cpreport_process" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.process)


def documentation() -> str:
    """The README and every page of docs/: what a user can read."""
    return "\n".join(path.read_text("utf-8") for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))])


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of sample_data, so that a test may change its sheets; returns its config file."""
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("out", "__pycache__"))
    return folder / "cpreport.toml"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """One real build of the sample data (HTML and PDF), shared by the tests that only read it."""
    from cpreport.build import build
    from cpreport.config import load_config

    out = tmp_path_factory.mktemp("out")
    outcome = build(load_config(SAMPLE / "cpreport.toml", out=str(out)))
    return outcome.folder


def pdf_text(path: Path) -> str:
    """The PDF's text layer, as poppler's pdftotext reads it, without the bidi marks it adds per line."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub("[\u202a-\u202e\u2066-\u2069]", "", text)


def outcome(folder: Path):
    """The checked sheets of a data folder's config, and its period's figures as figures.json states them (None
    when the sheets have errors)."""
    import json

    from cpreport.check import check
    from cpreport.config import load_config
    from cpreport.figures import compute

    config = load_config(folder / "cpreport.toml")
    checked = check(config)
    if checked.findings.errors:
        return checked, None
    return checked, json.loads(compute(checked, config.period, config.highlights).to_json())["figures"]


def edit_attendance(config: Path, month: str, more: int) -> str:
    """`more` participants (police, so that the groups still add up) in the first activity of `month` of the
    sample's activities.xlsx beside `config`; the activity's id."""
    import datetime as dt

    import openpyxl

    path = config.parent / "activities.xlsx"
    book = openpyxl.load_workbook(path)
    for row in book.active.iter_rows(min_row=4):
        if isinstance(row[4].value, dt.datetime) and row[4].value.strftime("%Y-%m") == month:
            row[8].value += more
            row[10].value += more
            book.save(path)
            return row[0].value
    raise AssertionError(f"no activity in {month}")
