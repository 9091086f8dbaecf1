"""The sheets read and checked: what `cpreport validate` runs, and what every build begins with (load, then
validate, with the findings the config decides), and the periods the checked sheets have data for."""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import manifest
from .config import N_, Config, Period
from .contract import Intake
from .datafolder import relative
from .findings import Code, Findings, finding
from .load import Loaded, load
from .validate import Checked, validate

if TYPE_CHECKING:
    from .log import Progress


def read_sheets(data: Path, progress: Progress | None = None, reader=None, intake: Intake = Intake()) -> Loaded:
    """Load the sheets, and again if one changed while being read (an officer saving); twice is a finding.

    `reader` is the parse cache's (cache.Reader), or None to read every file."""
    first = None
    for attempt in (1, 2):
        before = manifest.snapshot(data, intake.skip)
        first = before if first is None else first
        if progress:
            progress.stage("read", N_("again: a file changed while it was read") if attempt == 2 else "")
        loaded = load(data, reader, intake) if reader else load(data, intake=intake)
        # Only the files read as tables count: a log that cron writes beside the sheets changes too.
        read = {relative(path, data) for path in loaded.files}
        after = manifest.snapshot(data, intake.skip)
        changed = [name for name in manifest.changed_files(before, after) if name in read]
        if not changed:
            break
    else:
        for name in changed:
            loaded.findings.add(finding(Code.CP010, file=name))
    # A sheet there when the build began and gone once it was read (not saved back under its name): the report
    # would be built without its table, as if it had never been.
    for name in sorted(set(first) - set(after)):
        loaded.findings.add(finding(Code.CP023, file=name, reason="vanished"))
    return loaded


def cache_reader(config: Config):
    """The parse cache of the output folder: files unchanged since an earlier build are not read again."""
    from .cache import FOLDER, Reader

    return Reader(config.out / FOLDER)


def check(config: Config, strict: bool = False, progress: Progress | None = None, loaded: Loaded | None = None,
          period: Period | None = None, reader=None, before: Checked | None = None) -> Checked:
    """Load and validate the sheets of the config's data folder (for the config's period, or the one given).
    `before`: the same sheets as checked for another period, whose checks that do not read the period end stand."""
    end = (period or config.period).end
    if before is not None:
        checked = before.at(end)
    else:
        loaded = loaded or read_sheets(config.data, progress, reader, config.intake)
        if progress:
            progress.stage("validate")
        checked = validate(loaded, end, scope_names(config))
    if not config.sections.displacement:
        checked.findings = _displacement_not_required(checked.findings, checked.settled.sheets)
    from .narrative import unfinished

    checked.findings.extend(unfinished(config, period or config.period))
    checked.findings.extend(highlights_not_found(config, checked))
    if strict:
        checked.findings = checked.findings.strict()
    return checked


def scope_names(config: Config) -> dict[str, str]:
    """Each scope of the config by what the displacement sheet may write in its scope column: its key, its name and
    its label in either language (with or without a leading "the"), folded as the sheet's cells are."""
    from .contract import fold

    names: dict[str, str] = {}
    for key, scope in config.scopes.items():
        names[fold(key)] = key
        for text in (scope.name.en, scope.name.ar, scope.label.en, scope.label.ar):
            for written in (text, text.removeprefix("the ")):
                if written and fold(written):
                    names.setdefault(fold(written), key)
    return names


def highlights_not_found(config: Config, checked: Checked) -> list:
    """A place the config highlights where no forum of the sheet stands, at any date (a forum to come stands there
    by its date): the release leaves its sentence out, and the officer is told, with the nearest district the
    sheet names ("Qayyarah" for "Qayara")."""
    from .contract import fold, nearest

    if not config.highlights:
        return []
    districts = checked.forums["district"].dropna().astype(str) if "district" in checked.forums else pd.Series([])
    named = {fold(d): d for d in districts.unique()}
    # Said of the forums' sheet (its first part, when it comes in several) and its district column.
    file, sheet = (checked.sources.get("cpfs") or [("", "")])[0]
    sheets = checked.settled.sheets if checked.settled is not None else {}
    column = sheets["cpfs"].headers.get("district", "") if "cpfs" in sheets else ""
    return [finding(Code.CP311, file=file, sheet=sheet, column=column, value=highlight.district,
                    near=nearest(highlight.district, named.values(), 0.6))
            for highlight in config.highlights if fold(highlight.district) not in named]


def _displacement_not_required(findings: Findings, sheets: dict) -> Findings:
    """A programme without displacement figures (`sections.displacement = false`) is not told, every month, that
    its displacement sheet is missing or empty."""
    sheet = sheets.get("displacement")
    parts = {(part.file, part.sheet) for part in (sheet.parts or [sheet])} if sheet is not None else set()
    kept = [f for f in findings if not (f.code == Code.CP003.name and f.parameters.get("table") == "displacement")
            and not (f.code == Code.CP005.name and (f.file, f.sheet) in parts)]
    return Findings(kept)


def sources(checked: Checked) -> list[str]:
    return [f"{file} ({sheet})" if sheet else file for parts in checked.sources.values() for file, sheet in parts]


def _dates(checked: Checked) -> pd.Series:
    return pd.concat([checked.forums["established_on"], checked.activities["start_date"],
                      checked.displacement["as_of"]]).dropna()


def project_from(checked: Checked, period: Period) -> Period:
    """The project period with its first month found: that of the earliest forum, activity or figure by its end
    (its own last month when the sheets have none). Any other period is returned as it is."""
    if period.kind != "project":
        return period
    dates = _dates(checked)
    dates = dates[dates <= pd.Timestamp(period.end)]
    first = dates.min().date() if len(dates) else period.end
    return dataclasses.replace(period, since=first.replace(day=1))


def periods_with_data(checked: Checked, last: Period, every: str = "month") -> list[Period]:
    """The periods of a kind (months, quarters, half-years or years), up to `last`, in which a forum was
    established, an activity began or a figure is dated."""
    dates = _dates(checked)
    dates = dates[dates <= pd.Timestamp(last.end)]
    months = sorted(set(zip(dates.dt.year, dates.dt.month)))
    periods = [Period(int(year), int(month)).containing(every) for year, month in months]
    return list(dict.fromkeys(periods))
