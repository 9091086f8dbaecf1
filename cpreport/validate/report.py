"""Findings from failing cells: one per part, value and details, with the rows that hold it as runs."""
from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd

from ..findings import Code, Findings, finding, with_rows
from ..load.stacking import split_keys
from ..load import (ROW, Sheet)


def _shown(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (dt.datetime, pd.Timestamp)) and value == value.replace(hour=0, minute=0, second=0, microsecond=0):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A mistake repeated on many rows is said once per value, with its rows as runs; a column whose failing cells hold
# more distinct values than this says the rest in one finding more, so that what the terminal, validation.html
# and the annotated copies show stays small whatever the sheet.
VALUES_SAID = 20


def _report(findings: Findings, sheet: Sheet, code: Code, mask: pd.Series, column: str, raw: pd.Series,
            details: dict[str, object] | None = None, **extra) -> None:
    """The failing cells of one column, as findings: one for each part of the table and each distinct value (and
    details) with the rows that hold it, and one for the rest past VALUES_SAID values. Worked out on arrays; the
    loop runs over the findings made, never over the cells."""
    failing = mask.to_numpy(dtype=bool, na_value=False)
    if not failing.any():
        return
    labels = mask.index[failing]
    keys = sheet.frame[ROW].reindex(labels).to_numpy(dtype="int64")
    parts, rows = split_keys(keys)
    cells = raw.reindex(labels)
    codes = [parts, pd.factorize(cells.astype(object), use_na_sentinel=False)[0]]
    fields = {}
    for name, values in (details or {}).items():
        if isinstance(values, pd.Series):
            values = values.reindex(labels)
            codes.append(pd.factorize(values.astype(object), use_na_sentinel=False)[0])
            fields[name] = values.to_numpy(dtype=object)
        else:
            fields[name] = values
    groups = _pairs(*codes) if len(codes) == 2 else pd.factorize(pd.MultiIndex.from_arrays(codes))[0]
    count = int(groups.max()) + 1  # groups are numbered in the order their first cell comes
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(count + 1))
    group_part = parts[order[bounds[:-1]]]  # the part of each group (its first cell's)
    # Each group's place among its part's groups: the first VALUES_SAID of a part are said one by one.
    _, within = np.unique(group_part, return_inverse=True)
    rank = pd.Series(np.arange(count)).groupby(within).cumcount().to_numpy()
    for group in np.flatnonzero(rank < VALUES_SAID):
        findings.add(_said(code, sheet, keys, rows, cells, fields, order[bounds[group]:bounds[group + 1]], column,
                           extra))
    left = rank >= VALUES_SAID
    for part in np.unique(group_part[left]):
        others = left & (group_part == part)
        findings.add(_said(code, sheet, keys, rows, cells, fields, np.flatnonzero(others[groups]), column, extra,
                           values=int(others.sum())))


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One code for each distinct pair of codes (a part and a value): groups, numbered in order of appearance."""
    return pd.factorize(first.astype("int64") * (int(second.max()) + 1) + second)[0]


def _said(code: Code, sheet: Sheet, keys: np.ndarray, rows: np.ndarray, cells: pd.Series, fields: dict,
          group: np.ndarray, column: str, extra: dict, values: int = 1):
    """The finding for a group of failing cells (positions among them): the first cell's place, value and details,
    and, for more than one cell, the rows (values: how many distinct values the group gathers)."""
    first = int(group[0])
    shown = {name: value[first] if isinstance(value, np.ndarray) else value for name, value in fields.items()}
    made = finding(code, **sheet.where(keys[first], column), value=_shown(cells.iloc[first]), **shown, **extra)
    if len(group) == 1:
        return made
    return with_rows(made, len(group), rows_shown(rows[group]), values)


def row_spans(rows) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers as runs of consecutive rows: the first and the last row of each run, in order."""
    numbers = np.asarray(rows if not isinstance(rows, pd.Series) else rows.to_numpy(), dtype="int64")
    # Rows of a table come in order: sorting is needed only when they do not.
    if len(numbers) > 1 and not (numbers[1:] > numbers[:-1]).all():
        numbers = np.unique(numbers)
    if not len(numbers):
        return numbers, numbers
    # A run ends where the next number is not one more: found for all rows at once.
    breaks = np.flatnonzero(np.diff(numbers) != 1)
    return numbers[np.concatenate(([0], breaks + 1))], numbers[np.concatenate((breaks, [len(numbers) - 1]))]


# A finding lists this many runs of rows at most: one id on thousands of rows would otherwise list them all in
# each of its thousands of findings.
ROWS_SHOWN = 12


def rows_shown(rows, sheet: Sheet | None = None) -> str:
    """Row numbers for a finding to show: "4-52, 60, 61", the first runs only, then "…" when there are more. Of a
    table in several parts (sheet), each part's file, sheet and rows, as JSON (a finding keeps them as data)."""
    if sheet is not None and sheet.parts:
        parts, numbers = split_keys(np.asarray(rows, dtype="int64"))
        shown = []
        for part in pd.unique(parts):
            named = sheet.parts[int(part)]
            shown.append({"file": named.file, "sheet": named.sheet or "", "rows": rows_shown(numbers[parts == part])})
        return json.dumps(shown, ensure_ascii=False)
    starts, ends = row_spans(rows)
    shown = ", ".join(str(a) if a == b else f"{a}, {b}" if b == a + 1 else f"{a}-{b}"
                      for a, b in zip(starts[:ROWS_SHOWN].tolist(), ends[:ROWS_SHOWN].tolist()))
    return shown + (", …" if len(starts) > ROWS_SHOWN else "")


# Each rule across rows and tables declares the columns whose cells, as written (Sheet.frame), it reads or shows
# in its findings: `@reads("name_ar")`. The parse cache keeps those columns of a sheet and no others
# (tables.cells_shown_later), so a rule reading a column it did not declare is caught by the tests of the cache,
# not on a user's second build. The table's id column and its first column are named by these marks:
ID_COLUMN, FIRST_COLUMN = "<id column>", "<first column>"


def reads(*columns: str):
    """Declare the columns, as written, that the rule below reads or shows."""
    def declared(rule):
        rule.reads = columns
        return rule
    return declared


def by_period_end(rule):
    """Declare that the rule below reads the period end: it runs again for each period a build checks, while the
    rules that do not run once for all of them (Checked.at)."""
    rule.by_period_end = True
    return rule


def as_typed(sheet: Sheet, column: str) -> pd.Series:
    """A column's cells as the officer typed them: before the load stage tidied them (Arabic digits, spaces)."""
    cells = sheet.frame[column]
    written = sheet.changed.get(column)
    return cells if written is None else written.where(written.notna(), cells)


def _written(sheet: Sheet, index, column: str) -> object:
    """The cell as the user wrote it, for a finding's value."""
    value = sheet.frame.at[index, column] if column in sheet.frame else None
    written = sheet.changed.get(column)
    if written is not None and index in written.index and pd.notna(written.at[index]):
        value = written.at[index]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else value
