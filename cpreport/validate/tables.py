"""The rules across the rows of a table and across tables, and the parts of a table given twice."""
from __future__ import annotations


from typing import TYPE_CHECKING
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..contract import named_as_copy
from ..findings import Code, Findings, finding
from ..load import (ROW, Sheet)
from .displacement import (different_days_contradiction, figure_given_twice, governorates_beyond_the_whole,
                           same_day_contradiction, scope_labels, unplaced_figures)
from .ids import _id_keys, forum_named, unique_ids
from .report import FIRST_COLUMN, ID_COLUMN, _report, _written, by_period_end, reads, rows_shown

if TYPE_CHECKING:  # the rules take a Context; only annotations name it
    from .context import Context





@reads(FIRST_COLUMN)
def repeated_rows(c: Context, table: str) -> None:
    """A table without ids: an exact repeat is counted once, and said."""
    sheet, typed = c.sheets[table], c.typed[table]
    columns = [column for column in typed.columns if column != ROW]
    repeat = typed.duplicated(subset=columns, keep="first")
    if repeat.any():
        first_rows = typed.groupby(columns, dropna=False, observed=True)[ROW].transform("first")
        first_rows = first_rows.map(lambda key: rows_shown([key], sheet) if sheet.parts else str(key))
        first_column = next(iter(sheet.headers))
        _report(c.findings, sheet, Code.CP210, repeat, first_column, sheet.frame[first_column], {"rows": first_rows})
        c.typed[table] = typed[~repeat]


@reads(ID_COLUMN)
def same_but_the_id(c: Context, table: str) -> None:
    """Rows the same in every cell but their ids: one activity entered twice (pasted again with the next id, or
    given by two offices under their own), counted twice. A warning at each repeat, naming the row it repeats."""
    sheet, typed = c.sheets[table], c.typed[table]
    id_column = sheet.table.id_column
    if len(typed) < 2 or id_column not in typed:
        return
    columns = [column for column in typed.columns if column not in (ROW, id_column)]
    alike = _alike(typed, [column for column in columns if column not in FREE_TEXT])
    if not alike.any():
        return
    rows = typed[alike]
    # Ids compared as folded keys: "ACT-01" and "act-01 " are one id given twice (CP209), not two ids.
    keyed = rows.assign(**{id_column: _id_keys(rows[id_column]).astype(object)})
    repeat = rows.duplicated(subset=columns, keep="first") & ~keyed.duplicated(subset=[*columns, id_column])
    if not repeat.any():
        return
    first = rows.groupby(columns, dropna=False, observed=True)[ROW].transform("first")
    first = first.map(lambda key: rows_shown([key], sheet) if sheet.parts else str(key))
    _report(c.findings, sheet, Code.CP218, repeat.reindex(typed.index, fill_value=False), id_column,
            sheet.frame[id_column], {"rows": first.reindex(typed.index)})


# Columns of free text (titles), left out of the first comparison of rows: almost every row has its own, so
# they tell few rows apart that the other columns do not, at the cost of a hash of each text.
FREE_TEXT = ("title_en", "title_ar", "name_en", "name_ar")


def _alike(typed: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Which rows have another row with the same cells in these columns, found from one number per row made
    of each column's codes (dates, counts and choices as integers, other texts by their place among the
    column's distinct texts), and checked exactly afterwards by the caller. On the 1,000,000 activity rows of
    benchmarks/run.py, in-process: 0.16-0.23 s, against 1.0-1.3 s for pandas' duplicated over every column."""
    key = np.zeros(len(typed), dtype=np.uint64)
    for column in columns:
        values = typed[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            codes = values.cat.codes.to_numpy(dtype=np.int64)
        elif pd.api.types.is_datetime64_any_dtype(values):
            codes = values.to_numpy(dtype="datetime64[ns]").view(np.int64)
        elif pd.api.types.is_numeric_dtype(values):
            codes = values.to_numpy(dtype="float64", na_value=np.nan).view(np.int64)
        else:
            codes = pd.factorize(values)[0].astype(np.int64)
        key = key * np.uint64(1_000_003) ^ codes.view(np.uint64)
    return pd.Series(key).duplicated(keep=False).to_numpy()


@reads("name_ar")
def arabic_names(c: Context, table: str) -> None:
    sheet, forums = c.sheets[table], c.typed[table]
    if "name_ar" in sheet.headers:
        _report(c.findings, sheet, Code.CP212, forums["name_ar"].isna() & forums["name_en"].notna(), "name_ar",
                sheet.frame["name_ar"])


def after_period(column: str):
    def rule(c: Context, table: str) -> None:
        sheet, typed = c.sheets[table], c.typed[table]
        late = typed[column] > pd.Timestamp(c.period_end)
        if late.any():
            first = late.idxmax()
            c.findings.add(finding(Code.CP305, **sheet.where(typed.at[first, ROW], column),
                                   value=_written(sheet, first, column),
                                   end=c.period_end, count=int(late.sum())))
    rule.__name__ = f"after_period_{column}"
    return by_period_end(reads(column)(rule))


# The rules across rows and tables, in the order they run: (table, codes it may give, check).
TABLE_RULES: tuple[tuple[str, tuple[Code, ...], Callable[[Context, str], None]], ...] = (
    ("cpfs", (Code.CP209,), unique_ids),
    ("cpfs", (Code.CP212,), arabic_names),
    ("cpfs", (Code.CP305,), after_period("established_on")),
    ("activities", (Code.CP209,), unique_ids),
    ("activities", (Code.CP304,), forum_named),
    ("activities", (Code.CP218,), same_but_the_id),
    ("activities", (Code.CP305,), after_period("start_date")),
    ("displacement", (Code.CP210,), repeated_rows),
    ("displacement", (), unplaced_figures),
    ("displacement", (Code.CP309,), figure_given_twice),
    ("displacement", (Code.CP310,), governorates_beyond_the_whole),
    ("displacement", (Code.CP305,), after_period("as_of")),
    ("displacement", (Code.CP308,), scope_labels),
    ("displacement", (Code.CP306,), same_day_contradiction),
    ("displacement", (Code.CP307,), different_days_contradiction),
)


def cells_shown_later(sheet: Sheet) -> list[str]:
    """The columns of a sheet whose cells, as written, the rules of its table read or show (each rule's
    `reads`): what the parse cache keeps of them beside the typed table."""
    named = {ID_COLUMN: sheet.table.id_column, FIRST_COLUMN: next(iter(sheet.headers), None)}
    wanted = [named.get(column, column) for table, _codes, rule in TABLE_RULES if table == sheet.table.name
              for column in rule.reads]
    return [c for c in dict.fromkeys(wanted) if c and c in sheet.frame]


def _as_written(table: pd.DataFrame, left_out: str | None = None) -> pd.DataFrame:
    """A typed part's cells as text, whatever file it came from, for comparing parts (but the column left out)."""
    return pd.DataFrame({c: table[c].astype(object).where(table[c].notna(), None).map(str)
                         for c in table.columns if c not in (ROW, left_out)}).reset_index(drop=True)


def _copies(checked: list[tuple[Sheet, pd.DataFrame]], findings: Findings, stacked: pd.DataFrame) -> list[int]:
    """The parts of a table that repeat an earlier part row for row (a copy of a file left beside it, or one sheet
    saved both as XLSX and as CSV), by their place among the parts: each is an error naming both. stacked: the
    parts' tables one under the other, in order."""
    copies: list[int] = []
    if len(checked) < 2:
        return copies
    # A copy's ids may differ in form alone: "001" in the CSV an office typed, 1 in the workbook Excel made of it,
    # or ids numbered again in the copy. Parts are compared without their ids, every other cell the same, in
    # the same order: two offices' rows differ in their place, dates and people, if not in their ids.
    ids = checked[0][0].table.id_column
    ids = ids if ids in stacked.columns else None
    # Parts are compared in full only when their lengths and first and last rows agree: offices' parts of the
    # same length are common, copies rare. Their first and last rows are taken at once, from the parts stacked.
    lengths = [len(table) for _, table in checked]
    starts = np.cumsum([0, *lengths])
    where = [row for n, length in enumerate(lengths) if length for row in (starts[n], starts[n] + length - 1)]
    cells = stacked.iloc[where, [n for n, c in enumerate(stacked.columns) if c not in (ROW, ids)]].to_numpy(dtype=object)
    texts = iter([None if pd.isna(v) else str(v) for v in cells[row:row + 2].T.ravel()]
                 for row in range(0, len(cells), 2))
    ends = [(length, next(texts) if length else None) for length in lengths]
    for number, (part, table) in enumerate(checked):
        same = next((n for n in range(number) if n not in copies and len(table) and ends[n] == ends[number]
                     and _as_written(checked[n][1], ids).equals(_as_written(table, ids))), None)
        if same is None:
            continue
        # The one named as a copy ("activities - Copy.xlsx", "Copy of …", "activities (1).csv") is the one left
        # out, wherever it sorts; else the later one.
        kept, copy = (number, same) if named_as_copy(checked[same][0].file) and not named_as_copy(part.file) \
            else (same, number)
        copies.append(copy)
        original, duplicate = checked[kept][0], checked[copy][0]
        other = f"{original.file} ({original.sheet})" if original.sheet else original.file
        findings.add(finding(Code.CP006, file=duplicate.file, sheet=duplicate.sheet, table=duplicate.table.name,
                             other=other))
    return copies


def _rows_of(sheet: Sheet, keep: np.ndarray) -> Sheet:
    """A stacked table without some of its rows (those of a part given twice)."""
    from dataclasses import replace

    return replace(sheet, frame=sheet.frame[keep].reset_index(drop=True),
                   changed={c: cells[keep].reset_index(drop=True) for c, cells in sheet.changed.items()})
