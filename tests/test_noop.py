"""A build with nothing to do reads no sheet again: it trusts a file's size and modification time, as git and
make do, and hashes a file whenever either changed."""
from __future__ import annotations

import json
import os
import subprocess
import time

import pytest

from conftest import ROOT, run_cpreport


pytestmark = pytest.mark.process


def _build(config, *args: str) -> subprocess.CompletedProcess:
    return run_cpreport("build", "--config", str(config), *args, cwd=ROOT)


def _hashed(out) -> dict:
    return json.loads((out / ".cpreport" / "digests.json").read_text("utf-8"))


def test_a_build_with_nothing_to_do_hashes_no_sheet_again(sample):
    out = sample.parent / "out"
    assert _build(sample).returncode == 0
    time.sleep(2.1)  # past the settling time: a file hashed right after it was saved is hashed again once
    assert "Up to date" in _build(sample).stdout
    first = {name: entry for name, entry in _hashed(out).items() if name.startswith(str(sample.parent))
             and name.endswith((".xlsx", ".csv"))}
    assert len(first) == 3
    assert "Up to date" in _build(sample).stdout
    again = {name: entry for name, entry in _hashed(out).items() if name.startswith(str(sample.parent))
             and name.endswith((".xlsx", ".csv"))}
    assert again == first  # the same hashing time: no sheet was read again


@pytest.mark.parametrize("earlier", [60_000_000_000, 0])  # an older copy; its very time put back (touch -r)
def test_a_sheet_rewritten_with_the_same_size_and_an_older_time_is_still_caught(sample, earlier):
    sheet = sample.parent / "displacement.csv"
    assert _build(sample).returncode == 0
    time.sleep(2.1)
    assert "Up to date" in _build(sample).stdout
    before = sheet.stat()
    written = sheet.read_bytes()
    changed = written.replace(b"3042288", b"3042289", 1)
    assert changed != written and len(changed) == len(written)
    sheet.write_bytes(changed)
    os.utime(sheet, ns=(before.st_atime_ns, before.st_mtime_ns - earlier))
    assert sheet.stat().st_size == before.st_size
    rebuilt = _build(sample)
    assert rebuilt.returncode == 0 and "Up to date" not in rebuilt.stdout, rebuilt.stdout + rebuilt.stderr
    figures = json.loads((sample.parent / "out" / "2017-05" / "figures.json").read_text("utf-8"))
    assert figures["figures"]["displacement.national.displaced_current"]["value"] == 3042289
