"""Nightly builds over many months after the edits officers make: every month's folder says what a build of that
month from scratch says (its figures and their sources, its words), whatever the sequence of edits and builds."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, start_cpreport, edit_attendance as _edit_attendance


def _build(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpreport", "build", "--config", str(config), *args],
                          capture_output=True, text=True, cwd=ROOT)


def _html_only(config: Path) -> None:
    config.write_text('formats = ["html"]\n' + re.sub(r"^formats = .*\n", "", config.read_text("utf-8"), flags=re.M),
                      "utf-8")


def _from_scratch(config: Path, *args: str) -> Path:
    """Every month built afresh into a folder of its own, with --force: what each folder should say."""
    fresh = config.parent / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    done = _build(config, "--all-periods", "--force", "--out", str(fresh), *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return fresh


def _stale(out: Path, fresh: Path) -> dict[str, list[str]]:
    """The periods whose figures.json or report.html differ from those built from scratch, with the files."""
    stale = {}
    for folder in sorted(fresh.iterdir()):
        if not folder.is_dir() or not re.fullmatch(r"\d{4}(-\w+)?", folder.name):
            continue
        names = [name for name in ("figures.json", "report.html")
                 if not (out / folder.name / name).is_file()
                 or (out / folder.name / name).read_bytes() != (folder / name).read_bytes()]
        if names:
            stale[folder.name] = names
    return stale


def test_a_months_own_narrative_removed_takes_its_words_out_of_its_report(sample):
    _html_only(sample)
    out = sample.parent / "out"
    april = sample.parent / "narrative" / "2017-04"
    april.mkdir()
    (april / "en.md").write_text("News of April, said by April's own file.\n", "utf-8")
    (april / "ar.md").write_text("أخبار نيسان من ملفه.\n", "utf-8")
    first = _build(sample, "--all-periods")
    assert first.returncode == 0, first.stderr
    assert "News of April" in (out / "2017-04" / "report.html").read_text("utf-8")
    shutil.rmtree(april)  # the officer takes April's own words back
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert "News of April" not in (out / "2017-04" / "report.html").read_text("utf-8")
    assert not json.loads((out / "2017-04" / "figures.json").read_text("utf-8")).get("narrative")
    assert "Rendered 1 period, 23 current" in again.stdout
    assert _stale(out, _from_scratch(sample)) == {}



def _shown(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file() and path.name != ".manifest.json"}


def test_the_months_restated_and_rebuilt_stay_as_they_are_at_the_next_change_elsewhere(sample):
    _html_only(sample)
    out = sample.parent / "out"
    assert _build(sample, "--all-periods").returncode == 0
    _edit_attendance(sample, "2016-12", 10)
    restated = _build(sample, "--all-periods")
    assert restated.returncode == 0, restated.stderr
    assert "CP501" in restated.stdout + restated.stderr  # the build says which published figures changed
    assert "Rendered 6 periods, 18 current" in restated.stdout
    # Each month rebuilt now states the revised figure: its findings do not ask for it to be built again.
    for period in ("2016-12", "2017-03", "2017-05"):
        assert "CP501" not in (out / period / "validation.csv").read_text("utf-8-sig"), period
    before = {folder.name: _shown(folder) for folder in out.iterdir() if (folder / "figures.json").is_file()}
    _edit_attendance(sample, "2017-05", 1)  # a change that only May's report shows
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert "Rendered 1 period, 23 current" in again.stdout
    after = {folder.name: _shown(folder) for folder in out.iterdir() if (folder / "figures.json").is_file()}
    assert {period for period in before if before[period] != after[period]} == {"2017-05"}


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


@pytest.mark.process
@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads the processes from /proc")
def test_a_build_killed_while_its_workers_render_leaves_no_worker_behind(sample):
    _html_only(sample)
    out = sample.parent / "out"
    # Paused once the first period rendered by a worker is being put in place: the workers are running.
    build = start_cpreport("build", "--config", str(sample), "--all-periods", "--jobs", "2", "--out", str(out),
                           cwd=sample.parent, pause_at="stage")
    workers = _children(build.pid)
    assert workers, "the build started no worker process"
    build.kill()  # SIGKILL, as a machine or an operator ends a build that hangs
    build.wait()
    # Nothing would take what they render: they end (the test waits for them at most a minute, then fails).
    for _ in range(600):
        if not any(_alive(pid) for pid in workers):
            break
        time.sleep(0.1)
    left = [pid for pid in workers if _alive(pid)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, "worker processes outlived the build that started them"
    # The next build finds each folder whole, and brings every one up to date.
    again = _build(sample, "--all-periods", "--out", str(out))
    assert again.returncode == 0, again.stdout + again.stderr
    assert _stale(out, _from_scratch(sample)) == {}


def test_a_month_rebuilt_from_its_figures_alone_is_said_once_and_not_kept_in_another_months_findings(sample):
    _html_only(sample)
    out = sample.parent / "out"
    assert _build(sample, "--period", "2017-03").returncode == 0  # March alone, with the config's narrative
    assert _build(sample, "--all-periods").returncode == 0  # March kept, words and all, while its figures stand
    _edit_attendance(sample, "2017-03", 7)
    rebuilt = _build(sample, "--all-periods")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "CP404" in rebuilt.stdout + rebuilt.stderr  # the build says that March lost its words
    assert "CP404" not in (out / "2017-05" / "validation.csv").read_text("utf-8-sig")
    # A comment added to the config changes nothing any report shows.
    sample.write_text(sample.read_text("utf-8") + "# checked by the officer\n", "utf-8")
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert "Rendered 0 periods, 24 current" in again.stdout


def test_a_month_kept_with_its_words_is_rebuilt_when_a_file_of_its_folder_is_lost(sample):
    _html_only(sample)
    out = sample.parent / "out"
    assert _build(sample, "--period", "2017-03").returncode == 0  # March alone, with the config's narrative
    first = _build(sample, "--all-periods")
    assert first.returncode == 0 and "kept as built before" in first.stdout, first.stdout + first.stderr
    assert _build(sample, "--all-periods").stdout.startswith("Up to date")
    (out / "2017-03" / "report.html").unlink()  # someone tidying the shared drive
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert not again.stdout.startswith("Up to date"), again.stdout
    assert (out / "2017-03" / "report.html").is_file()
    assert _stale(out, _from_scratch(sample)) == {}
