"""Header finding: the row that names a table's columns, and which column each header names."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from ..contract import Table, fold
from .sheets import HEADER_SEARCH_ROWS


def header_key(text: object, keys) -> str | None:
    """The column name a header cell gives; a cell of two lines ("cpf_id" over "رقم المنتدى", as the
    workbooks of `cpreport init` have them) is read by whichever line names a column."""
    folded = fold(text)
    if folded in keys:
        return folded
    return next((fold(line) for line in str(text).splitlines() if fold(line) in keys), None)


def _columns_named(row: list, keys) -> int:
    """How many of the table's columns a row names."""
    return len({header_key(v, keys) for v in row if isinstance(v, str)} - {None})


def top_rows(grid: pd.DataFrame, rows: int = HEADER_SEARCH_ROWS) -> list[list]:
    """The first rows of a sheet as lists of cells, where the header is looked for."""
    return grid.iloc[:rows].to_numpy(dtype=object).tolist()


def header_score(grid: pd.DataFrame, table: Table, rows: list[list] | None = None) -> tuple[int | None, int]:
    """The row (0-based) within the first rows that names most of the table's columns, and how many it names.
    rows: the sheet's first rows, when already taken (top_rows)."""
    keys = table_keys(table)
    best, best_count = None, 0
    for index, row in enumerate(top_rows(grid) if rows is None else rows):
        count = _columns_named(row, keys)
        if count > best_count:
            best, best_count = index, count
    return best, best_count


@lru_cache(maxsize=None)
def table_keys(table: Table) -> frozenset[str]:
    return frozenset(key for column in table.columns for key in column.keys)


def find_header(grid: pd.DataFrame, table: Table) -> tuple[int | None, list[str]]:
    rows = top_rows(grid)
    best, best_count = header_score(grid, table, rows)
    needed = min(2, sum(c.required for c in table.columns))
    if best is None or best_count < needed:
        return None, []
    return best, ["" if v is None or pd.isna(v) else str(v).strip() for v in rows[best]]


def more_header_rows(grid: pd.DataFrame, header_index: int, table: Table) -> int:
    """Rows right under the header that are a header too (the names again, in the other language)."""
    keys, extra = table_keys(table), 0
    rows = top_rows(grid, header_index + 3)
    for index in range(header_index + 1, len(rows)):
        cells = [v for v in rows[index] if v is not None and not pd.isna(v)]
        named = _columns_named(cells, keys)
        if named < 2 or named * 2 < len(cells):
            break
        extra += 1
    return extra
