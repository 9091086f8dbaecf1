"""The validate stage: read each cell as its column's type and check the rules, collecting findings.

The data flows through its modules in this order:
  rows          each part of a table alone (cached with it): its cells read as their types (cells.py) and the
                rules across the columns of a row; failing cells become findings (report.py)
  tables        the parts stacked, copies set aside, and the rules across rows and tables: ids (ids.py),
                displacement (displacement.py) and the rest
fastpath.py holds the speed code for large CSVs, apart from these rules.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..contract import INTEGER, TABLES, Table
from ..findings import ERROR, Code, Findings, finding
from ..load import ROW, Loaded, Sheet
from ..load.stacking import split_keys, stack, stack_frames
from .cells import LARGEST_COUNT, parse_dates, parse_integers
from .context import Context
from .displacement import displacement_totals, displacement_totals_until
from .report import row_spans, rows_shown
from .rows import ROW_RULES, check_sheet
from .tables import TABLE_RULES, _copies, _rows_of, cells_shown_later


@dataclass
class Checked:
    """What the validate stage hands on: typed tables (with the user's row numbers) and all findings."""

    forums: pd.DataFrame
    activities: pd.DataFrame
    displacement: pd.DataFrame
    sources: dict[str, list[tuple[str, str]]]  # table -> its parts' (file, sheet), as stacked (see load.stacking)
    findings: Findings
    # The displacement figures up to each period end asked for: see displacement_totals_until.
    totals: dict[dt.date, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)
    # The checks that do not read the period end, done once: Checked.at checks the same tables for another end.
    settled: Settled | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.findings.errors == 0

    def displacement_totals_until(self, end: dt.date) -> pd.DataFrame:
        """The displacement figures (see displacement_totals) of the dates up to end, worked out once per end."""
        if end not in self.totals:
            self.totals[end] = displacement_totals_until(self.displacement, end)
        return self.totals[end]

    def at(self, period_end: dt.date) -> Checked:
        """The same sheets checked for another period end (a build of many periods checks each month for its own):
        only the rules that read the period end run again; the tables are these, shared, not copied."""
        if self.settled is None:
            raise ValueError("these tables were not checked by validate()")
        return _checked_by(self.settled, period_end)


@dataclass
class Settled:
    """What the checks that do not read the period end leave: the sheets, the typed tables and their findings."""

    sheets: dict[str, Sheet]
    typed: dict[str, pd.DataFrame]
    sources: dict[str, list[tuple[str, str]]]
    findings: Findings
    scopes: set[str]
    figures: dict = field(default_factory=dict)  # figures.computed's: each period's figures, of these tables


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame({ROW: pd.Series(dtype="int64"), **{c.name: pd.Series(dtype=object) for c in table.columns}})


def _parts_without(parts: list[Sheet], findings: Findings) -> None:
    """A part of a table (an office's file) without a count column the other parts have (the women, a group):
    its rows count as not recorded for it, and the programme's figure is of the other parts alone. Said for each
    such part, with its rows, never in silence."""
    if len(parts) < 2:
        return
    table = parts[0].table
    for column in table.columns:
        if column.required or column.kind != INTEGER:
            continue
        given = [part for part in parts if column.name in part.headers and not part.frame.empty]
        if not given:
            continue
        for part in parts:
            if column.name not in part.headers and not part.frame.empty:
                findings.add(finding(Code.CP106, file=part.file, sheet=part.sheet, row=part.header_row,
                                     column=column.name, column_ar=column.label_ar, table=table.name))


def validate(loaded: Loaded, period_end: dt.date, scopes: set[str] | dict[str, str] = frozenset()) -> Checked:
    """Check the loaded sheets against the contract and the rules; hand on typed tables and every finding.
    `scopes`: the config's scope keys, or its scopes' names as the sheets may write them (check.scope_names).

    Each part of a table (a sheet, a file) is checked alone, the parts that repeat another are set aside, and the
    rest are stacked into one table for the rules across rows and tables."""
    findings = Findings(list(loaded.findings))
    typed: dict[str, pd.DataFrame] = {}
    sheets: dict[str, Sheet] = {}
    sources: dict[str, list[tuple[str, str]]] = {}
    # A sheet with a header and no rows is an error beside sheets that have rows (a forum or activity
    # sheet saved empty by mistake would report zeros); in a new project where no sheet has rows yet,
    # it is a warning, so that the first build shows the empty report. Displacement may be empty, and so may
    # one office's part of a table whose other parts have rows.
    any_rows = any(not part.frame.empty for parts in loaded.parts.values() for part in parts)
    for name, parts in loaded.parts.items():
        table_rows = any(not part.frame.empty for part in parts)
        for part in parts:
            if part.frame.empty:
                severity = ERROR if any_rows and not table_rows and name != "displacement" else None
                findings.add(finding(Code.CP005, file=part.file, sheet=part.sheet, severity=severity))
        _parts_without(parts, findings)
        sheet = stack(parts)
        if len(parts) > 1 and all(p.checked is None and p.typed_cells == parts[0].typed_cells for p in parts):
            # Parts read in this run are checked as one table: each part's own checks would repeat the fixed
            # cost of checking a column for every office's file.
            table, found = check_sheet(sheet)
            findings.extend(found)
            # The parts' rows come one part after the other: each part is a slice of the table, not a copy.
            bounds = np.searchsorted(split_keys(table[ROW].to_numpy())[0], np.arange(len(parts) + 1))
            pieces = [table.iloc[bounds[n]:bounds[n + 1]] for n in range(len(parts))]
        else:
            pieces = []
            for part in parts:
                part_table, found = part.checked or check_sheet(part)
                findings.extend(found)
                pieces.append(part_table)
            table = stack_frames(pieces)
        copies = _copies(list(zip(parts, pieces)), findings, table)
        if copies:  # a part that repeats another is counted once: its rows are left out
            keep = ~np.isin(split_keys(table[ROW].to_numpy())[0], copies)
            table = table[keep].reset_index(drop=True)
            sheet = _rows_of(sheet, keep)
        sheets[name] = sheet
        sources[name] = [(part.file, part.sheet) for part in parts]
        # A shallow copy: the rules below change columns, and the sheet's own table may be checked again.
        typed[name] = table.copy(deep=False)
    typed = {name: typed[name] if name in typed else _empty(table) for name, table in TABLES.items()}
    # A scope written as the config names or labels it ("Mosul operations", or its Arabic name) is its key.
    aliases = scopes if isinstance(scopes, dict) else {}
    scopes = set(aliases.values()) if aliases else set(scopes)
    if aliases and "scope" in typed["displacement"]:
        typed["displacement"] = typed["displacement"].assign(scope=typed["displacement"]["scope"].map(
            lambda key: aliases.get(key, key) if isinstance(key, str) else key))
    # The rules that do not read the period end run first, once; those that do, for each period end asked.
    context = Context(sheets, typed, period_end, set(scopes), findings)
    for table, _codes, rule in TABLE_RULES:
        if table in sheets and not getattr(rule, "by_period_end", False):
            rule(context, table)
    forums, activities = context.typed["cpfs"], context.typed["activities"]
    activities["end_date"] = activities["end_date"].fillna(activities["start_date"])
    forums["status"] = forums["status"].astype(object).fillna("active")
    return _checked_by(Settled(sheets, context.typed, sources, findings, set(scopes)), period_end)


def _checked_by(settled: Settled, period_end: dt.date) -> Checked:
    """The settled tables with the findings of the rules that read the period end."""
    context = Context(settled.sheets, dict(settled.typed), period_end, settled.scopes, Findings(list(settled.findings)))
    for table, _codes, rule in TABLE_RULES:
        if table in settled.sheets and getattr(rule, "by_period_end", False):
            rule(context, table)
    typed = settled.typed  # those rules only find: the tables are the same for every end
    checked = Checked(typed["cpfs"], typed["activities"], typed["displacement"], settled.sources, context.findings,
                      settled=settled)
    if context.worked_out is not None and context.worked_out[0] is typed["displacement"]:
        checked.totals[period_end] = context.worked_out[1]  # the rules' figures are of the table handed on
    return checked


__all__ = ["Checked", "validate", "check_sheet", "cells_shown_later", "parse_dates", "parse_integers",
           "displacement_totals", "displacement_totals_until", "row_spans", "rows_shown", "ROW_RULES", "TABLE_RULES",
           "LARGEST_COUNT"]
