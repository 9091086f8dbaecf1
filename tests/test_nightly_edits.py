"""Nightly builds over many months after the edits officers make: every month's folder says what a build of that
month from scratch says (its figures and their sources, its words), whatever the sequence of edits and builds."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


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
