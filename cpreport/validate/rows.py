"""The checks of one sheet alone: its cells read as their types, and the rules across the columns of a row."""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..contract import (CHOICE, DATE, GOVERNORATE, INTEGER, KEY, PARTICIPANT_GROUPS)
from ..findings import Code, Findings, finding
from ..load.stacking import split_keys
from ..load import (ROW, Sheet, arrow_text)
from .cells import EARLIEST_YEAR, LATEST_YEAR, Parsed, _once_per_value, parse_choices, parse_dates, parse_governorates, parse_integers, parse_keys, parse_text
from ..threads import each_column
from .fastpath import _plain_csv, _plain_workbook
from .report import _report, _shown, as_typed


def parse(raw: pd.Series, kind: str, choices: str | None, typed_cells: bool = True,
          encoded: tuple | None = None) -> Parsed:
    """A column read as its kind. encoded: the column's distinct texts as load found them (Sheet.encoded)."""
    if kind in (INTEGER, DATE) and arrow_text(raw) and (plain := _plain_csv(raw, kind, encoded)) is not None:
        return plain
    if kind in (INTEGER, DATE) and typed_cells and (plain := _plain_workbook(raw, kind)) is not None:
        return plain
    if kind == INTEGER:
        return _once_per_value(lambda cells: parse_integers(cells, typed_cells), raw, encoded)
    if kind == DATE:
        return _once_per_value(lambda cells: parse_dates(cells, typed_cells), raw, encoded)
    if kind == GOVERNORATE:
        return parse_governorates(raw, encoded)
    if kind == CHOICE:
        return parse_choices(raw, choices, encoded)
    if kind == KEY:
        return parse_keys(raw)
    return parse_text(raw)


def check_cells(sheet: Sheet, findings: Findings) -> pd.DataFrame:
    """Read every column as its type; one finding per failing cell, one note per column whose cells were changed."""
    frame = sheet.frame
    typed = {ROW: frame[ROW]}
    given = [column for column in sheet.table.columns if column.name in frame]
    # The columns are read side by side on a long sheet; what they say is said here, one column after the other.
    read = dict(zip((column.name for column in given), each_column(
        lambda column: parse(frame[column.name], column.kind, column.choices, sheet.typed_cells,
                             sheet.encoded.get(column.name)), given, len(frame))))
    for column in sheet.table.columns:
        if column.name not in frame:
            typed[column.name] = pd.Series(None, index=frame.index, dtype=object)
            continue
        raw = frame[column.name]
        parsed = read[column.name]
        typed[column.name] = parsed.values
        for code, mask in parsed.failures.items():
            if code is Code.CP216:  # a date read either way, in a part with a month-first one
                mask = _in_parts_with(mask, parsed.failures[Code.CP213], sheet)
            _report(findings, sheet, code, mask, column.name, raw, parsed.details.get(code),
                    **({"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR} if code is Code.CP215 else {}))
        if column.required:
            empty = raw.isna()
            if sheet.parts:  # a part without the column is said once (CP101), not once per row
                given = np.array([column.name in part.headers for part in sheet.parts])
                empty &= given[split_keys(frame[ROW].to_numpy())[0]]
            _report(findings, sheet, Code.CP201, empty, column.name, raw)
        # Cells changed on reading: tidied by the load stage (kept as written), or converted by the parser.
        written = sheet.changed.get(column.name)
        changed = np.zeros(len(frame), dtype=bool) if written is None else written.notna().to_numpy()
        if parsed.converted is not None:
            changed = changed | parsed.converted.to_numpy(dtype=bool, na_value=False)
        if changed.any():
            # One note per column of each part (a sheet, a file) that had cells changed.
            parts = split_keys(frame[ROW].to_numpy())[0] if sheet.parts else np.zeros(len(frame), dtype="int64")
            for part in pd.unique(parts[changed]):
                in_part = changed & (parts == part)
                first = frame.index[int(np.argmax(in_part))]
                example = written[first] if written is not None and pd.notna(written[first]) else raw[first]
                findings.add(finding(Code.CP211, **sheet.where(frame.at[first, ROW], column.name),
                                     value=_shown(example), count=int(np.count_nonzero(in_part))))
    return pd.DataFrame(typed, copy=False)  # columns made here, used nowhere else: not copied again


def _in_parts_with(mask: pd.Series, other: pd.Series, sheet: Sheet) -> pd.Series:
    """The cells of mask in the parts (sheets, files) of the table that have a cell of other."""
    if not sheet.parts:
        return mask if other.any() else mask & False
    parts = split_keys(sheet.frame[ROW].to_numpy())[0]
    return mask & np.isin(parts, parts[other.to_numpy(dtype=bool)])


# Rules across the columns of one row, as a table: each names the rows that break it and what the finding shows.
@dataclass(frozen=True)
class RowRule:
    """A rule across the columns of one row: which rows break it, and what the finding shows."""

    table: str
    code: Code
    column: str  # the cell the finding points at
    needs: tuple[str, ...]  # columns the sheet must have for the rule to apply
    broken: Callable[[pd.DataFrame], pd.Series]
    details: Callable[[pd.DataFrame], dict[str, pd.Series]]  # the finding's parameters, by name


def _groups_total(t: pd.DataFrame) -> pd.Series:
    """The participants of each row's groups added up (as floats); missing where the row gives no group."""
    total, given = np.zeros(len(t)), np.zeros(len(t), dtype=bool)
    for group in PARTICIPANT_GROUPS:
        counts = pd.to_numeric(t[group]).to_numpy(dtype="float64", na_value=np.nan)
        present = ~np.isnan(counts)
        given |= present
        total += np.where(present, counts, 0)
    return pd.Series(np.where(given, total, np.nan), index=t.index)


ROW_RULES = (
    RowRule("activities", Code.CP301, "female", ("female", "participants"),
            lambda t: t["female"] > t["participants"], lambda t: {"participants": t["participants"]}),
    RowRule("activities", Code.CP302, "participants", ("participants",),
            lambda t: (total := _groups_total(t)).notna() & (total != t["participants"]),
            lambda t: {"groups": _groups_total(t)}),
    RowRule("activities", Code.CP303, "end_date", ("start_date", "end_date"),
            lambda t: t["end_date"] < t["start_date"], lambda t: {"end": t["end_date"], "start": t["start_date"]}),
)


def check_rows(sheet: Sheet, typed: pd.DataFrame, findings: Findings) -> None:
    for rule in ROW_RULES:
        if rule.table != sheet.table.name or not all(c in sheet.headers for c in rule.needs):
            continue
        broken = rule.broken(typed).fillna(False).astype(bool)
        if broken.any():
            # The finding quotes the cell as typed ("١٢" stays "١٢"); the other figures are the tool's, said in the
            # message's language.
            _report(findings, sheet, rule.code, broken, rule.column, as_typed(sheet, rule.column),
                    {name: values[broken] for name, values in rule.details(typed).items()})


def check_sheet(sheet: Sheet) -> tuple[pd.DataFrame, list]:
    """The checks that depend on one sheet alone: its typed table and its findings (the parse cache keeps them)."""
    findings = Findings()
    table = check_cells(sheet, findings)
    check_rows(sheet, table, findings)
    return table, list(findings)

