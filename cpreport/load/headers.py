"""Header finding: the row that names a table's columns, and which column each header names."""
from __future__ import annotations

import re
import weakref

import pandas as pd

from ..contract import (Intake, Table, fold, is_central_export, is_export_header, is_meta_column, last_segment,
                        nearest)
from .sheets import HEADER_SEARCH_ROWS

DEFAULT_INTAKE = Intake()


class Keys(dict):
    """Folded header -> the table's column, remembering which key each header text gave (the same headers and
    title cells come back in every part of every table)."""

    def __init__(self, keys: dict[str, str]):
        super().__init__(keys)
        self.given: dict[str, str | None] = {}
        self.columns = len(set(keys.values()))  # the most columns a row can name

    def key(self, text: str) -> str | None:
        if text not in self.given:
            self.given[text] = header_key(text, self)
        return self.given[text]


def column_keys(table: Table, intake: Intake | None = None) -> Keys:
    """Folded header -> the table's column: the contract's aliases and the project's own headers ([columns])."""
    intake = intake or DEFAULT_INTAKE
    cache = intake.__dict__.setdefault("_keys", {})  # worked out once per table for a run's intake
    if table.name not in cache:
        cache[table.name] = Keys(intake.column_keys(table))
    return cache[table.name]


def header_key(text: object, keys) -> str | None:
    """The folded key a header cell gives. A cell of two lines ("cpf_id" over its Arabic name, as the workbooks
    of `cpreport init` have them) is read by whichever line names a column; a KoboToolbox or ODK question inside
    groups ("group_activity/participants") by its own name, after the groups."""
    folded = fold(text)
    if folded in keys:
        return folded
    lines = str(text).splitlines()
    for line in lines:
        if fold(line) in keys:
            return fold(line)
    for line in lines:
        if fold(last_segment(line)) in keys:
            return fold(last_segment(line))
    # ODK Central puts a dash between groups (group_activity-participants); a dash inside a header is common
    # too ("Name - EN"), so it is tried last.
    for line in lines:
        if "-" in line and fold(line.rsplit("-", 1)[1]) in keys:
            return fold(line.rsplit("-", 1)[1])
    # A form's label with the column's name in brackets: "Location (Governorate)", "Forum (CPF ID)".
    bracketed = [fold(inside) for inside in BRACKETED.findall(str(text))]
    matched = [key for key in bracketed if key in keys]
    return matched[0] if len(matched) == 1 else None


BRACKETED = re.compile(r"[(\[]([^()\[\]]+)[)\]]")


def columns_named(row: list, keys) -> int:
    """How many of the table's columns a row names."""
    return len({keys[k] for v in row if isinstance(v, str) and (k := keys.key(v))})


# Each sheet's first rows, taken once: finding which table a sheet is, its header and the rows under it all
# read them, and taking them from Arrow's columns costs a few milliseconds a time.
# (A DataFrame cannot be a dictionary's key: the sheet's id is, with a weak reference that tells a sheet since
# freed, whose id may be taken again, from the one asked about.)
_TOP_ROWS: dict[int, tuple[weakref.ref, list[list]]] = {}


def top_rows(grid: pd.DataFrame, rows: int = HEADER_SEARCH_ROWS) -> list[list]:
    """The first rows of a sheet as lists of cells, where the header is looked for."""
    known = _TOP_ROWS.get(id(grid))
    taken = known[1] if known is not None and known[0]() is grid else None
    if taken is None or len(taken) < min(rows, len(grid)):
        taken = _first_rows(grid, max(rows, HEADER_SEARCH_ROWS))
        remember_top_rows(grid, taken)
    return taken[:rows]


def remember_top_rows(grid: pd.DataFrame, rows: list[list]) -> None:
    """The first rows of a sheet, as top_rows gives them, when its reader has them at hand (text_head)."""
    key = id(grid)
    _TOP_ROWS[key] = (weakref.ref(grid, lambda _, key=key: _TOP_ROWS.pop(key, None)), rows)


def _first_rows(grid: pd.DataFrame, rows: int) -> list[list]:
    """A sheet's first rows as lists of cells (empty ones NaN in a CSV's Arrow text, as pandas gives them); a
    CSV's taken from its Arrow columns, a few cells each, without pandas' conversion of the whole block."""
    from .text import arrow_array, arrow_text

    if grid.shape[1] and all(arrow_text(grid[column]) for column in grid.columns):
        nan = float("nan")
        columns = [[nan if v is None else v for v in arrow_array(grid[column]).slice(0, rows).to_pylist()]
                   for column in grid.columns]
        return [list(row) for row in zip(*columns)]
    return grid.iloc[:rows].to_numpy(dtype=object).tolist()


def header_score(grid: pd.DataFrame, table: Table, rows: list[list] | None = None,
                 intake: Intake | None = None) -> tuple[int | None, int]:
    """The row (0-based) within the first rows that names most of the table's columns, and how many it names.
    rows: the sheet's first rows, when already taken (top_rows)."""
    keys = column_keys(table, intake)
    best, best_count = None, 0
    most = getattr(keys, "columns", None) or len(set(keys.values()))
    for index, row in enumerate(top_rows(grid) if rows is None else rows):
        count = columns_named(row, keys)
        if count > best_count:
            best, best_count = index, count
            if count == most:
                break  # a row that names every column: no row after it names more
    return best, best_count


def required_missing(grid: pd.DataFrame, table: Table, intake: Intake | None = None) -> list[str] | None:
    """The required columns of the table that the sheet's likeliest header row does not name: [] when its header
    is the table's, None when no row names two of the table's columns."""
    keys = column_keys(table, intake)
    required = [c.name for c in table.columns if c.required]
    best = None
    for row in top_rows(grid):
        cells = [v for v in row if isinstance(v, str)]
        export = is_export_header(cells)
        central = export and is_central_export(cells)
        named = {keys[k] for v in cells if (k := keys.key(v)) and not (export and is_meta_column(v, central))}
        missing = [c for c in required if c not in named]
        if len(named) >= 2 and (best is None or len(missing) < len(best)):
            best = missing
            if not best:
                break  # no row can name more of them
    return best


def required_named(grid: pd.DataFrame, table: Table, intake: Intake | None = None) -> bool:
    """Whether a sheet's header is the table's: a row of its first rows names every required column."""
    return required_missing(grid, table, intake) == []


def find_header(grid: pd.DataFrame, table: Table, intake: Intake | None = None,
                header_row: int | None = None) -> tuple[int | None, list[str]]:
    """The header row (0-based) and its cells as text; header_row (from 1) when the config names it."""
    rows = top_rows(grid, max(HEADER_SEARCH_ROWS, header_row or 0))
    if header_row is not None:
        if header_row > len(rows):
            return None, []
        best = header_row - 1
    else:
        best, best_count = header_score(grid, table, rows, intake)
        needed = min(2, sum(c.required for c in table.columns))
        if best is None or best_count < needed:
            return None, []
    return best, ["" if v is None or pd.isna(v) else str(v).strip() for v in rows[best]]


def more_header_rows(grid: pd.DataFrame, header_index: int, table: Table, intake: Intake | None = None) -> int:
    """Rows right under the header that are a header too (the names again, in the other language)."""
    keys, extra = column_keys(table, intake), 0
    rows = top_rows(grid, header_index + 3)
    for index in range(header_index + 1, len(rows)):
        cells = [v for v in rows[index] if v is not None and not pd.isna(v)]
        named = columns_named(cells, keys)
        if named < 2 or named * 2 < len(cells):
            break
        extra += 1
    return extra


def near_miss(column, headers: list[str]) -> str | None:
    """The header, among those that name no column, that most likely means the given column: it has all the
    words of one of the column's names, or is spelt close to one."""
    best, best_score = None, 0.0
    import difflib

    for header in headers:
        names = sorted(column.keys)
        match = nearest(header, names) or nearest(last_segment(header), names)
        if match is None:
            continue
        score = difflib.SequenceMatcher(None, fold(header), fold(match)).ratio() + 1
        if score > best_score:
            best, best_score = header, score
    return best


# How far down a sheet whose first rows hold no header it is looked at for one, to say where it is.
DEEP_HEADER_ROWS = 200


def deep_header(grid: pd.DataFrame, intake: Intake | None = None,
                tables: tuple[Table, ...] | None = None) -> tuple[Table, int] | None:
    """A table's header below the rows where a header is looked for (titles and notes above it): the table, and
    the header's row (from 1). tables: those to look for (every table by default)."""
    from ..contract import TABLES

    if len(grid) <= HEADER_SEARCH_ROWS:
        return None
    rows = top_rows(grid, DEEP_HEADER_ROWS)[HEADER_SEARCH_ROWS:]
    for table in tables or tuple(TABLES.values()):
        keys = column_keys(table, intake)
        required = {c.name for c in table.columns if c.required}
        for index, row in enumerate(rows):
            named = {keys[k] for v in row if isinstance(v, str) and (k := keys.key(v))}
            if required <= named:
                return table, HEADER_SEARCH_ROWS + index + 1
    return None
