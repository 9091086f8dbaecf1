"""Shared fixtures: the sample project copied to a temporary folder, and helpers to write real sheets."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"


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
