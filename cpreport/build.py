"""The pipeline, end to end: config → load → validate → figures → render → write."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import InvalidData
from .figures import Figures, compute
from .findings import Findings, to_csv
from .load import load
from .render import render_html, render_pdf, render_validation
from .validate import Checked, validate
from .write import build_lock, publish, write_findings

FINDINGS_FOLDER = "findings"  # under the output folder: the findings of the last run that had errors


@dataclass
class Outcome:
    """What a build did: the period, where it wrote, its figures and findings, and how long it took."""

    config: Config
    checked: Checked
    findings: Findings
    figures: Figures | None = None
    folder: Path | None = None
    seconds: float = 0.0


def check(config: Config, strict: bool = False) -> Checked:
    """Load and validate the sheets of the config's data folder."""
    checked = validate(load(config.data), config.period.end, set(config.scopes))
    if strict:
        checked.findings = checked.findings.strict()
    return checked


def sources(checked: Checked) -> list[str]:
    return [f"{file} ({sheet})" if sheet else file for file, sheet in checked.sources.values()]


def findings_files(config: Config, findings: Findings) -> dict[str, bytes]:
    return {"validation.csv": to_csv(findings).encode("utf-8"),
            "validation.html": render_validation(config, findings, str(config.period)).encode("utf-8")}


def build(config: Config, *, strict: bool = False, wait: float = 0) -> Outcome:
    """Build the period's report. Errors in the sheets raise InvalidData and leave the last report in place."""
    started = time.monotonic()
    with build_lock(config.out, wait):
        checked = check(config, strict)
        findings = checked.findings
        outcome = Outcome(config, checked, findings)
        if findings.errors:
            outcome.folder = write_findings(config.out / FINDINGS_FOLDER, findings_files(config, findings))
            raise InvalidData(f"{findings.errors} error(s) in the sheets: no report was written and the last good "
                              f"one is left in place. The findings are in {outcome.folder}.", findings)
        figures = compute(checked, config.period, config.highlights)
        html = render_html(config, figures, sources(checked))
        files = {"report.html": html.encode("utf-8"), "figures.json": figures.to_json().encode("utf-8"),
                 **findings_files(config, findings)}
        if "pdf" in config.formats:
            files["report.pdf"] = render_pdf(html)
        if "html" not in config.formats:
            del files["report.html"]
        outcome.figures = figures
        outcome.folder = publish(config.out, str(config.period), files)
    outcome.seconds = time.monotonic() - started
    return outcome
