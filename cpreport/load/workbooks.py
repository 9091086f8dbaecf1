"""Workbooks (XLSX, XLS, XLSB, ODS): every sheet's cells through calamine, and merged cells."""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from ..findings import Code
from .limits import Limits, check_sheet_size
from .sheets import HEADER_SEARCH_ROWS, Unreadable


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and the wrapper of a password-protected .xlsx
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def workbook_grids(raw: bytes, limits: Limits = Limits()) -> dict[str, pd.DataFrame]:
    from python_calamine import PasswordError

    if raw.startswith(OLE_MAGIC) and ENCRYPTED_STREAM in raw:
        raise Unreadable(Code.CP015)
    if raw.startswith(ZIP_MAGIC):
        try:
            zipfile.ZipFile(io.BytesIO(raw)).namelist()
        except (zipfile.BadZipFile, ValueError, EOFError):
            raise Unreadable(Code.CP016) from None
    try:
        # From bytes, calamine tells .xls, .xlsx, .xlsb and .ods apart by their content, whatever the name says.
        grids = _calamine_grids(raw, limits)
    except Unreadable:
        raise
    except PasswordError:
        raise Unreadable(Code.CP015) from None
    except BaseException as error:  # calamine raises many kinds for broken or foreign files, and panics on some
        if isinstance(error, (KeyboardInterrupt, SystemExit, MemoryError)):
            raise
        if raw.startswith(OLE_MAGIC):
            raise Unreadable(Code.CP016) from None
        raise Unreadable(Code.CP001, (str(error).splitlines() or [type(error).__name__])[0][:120]) from None
    return grids


def _calamine_grids(raw: bytes, limits: Limits = Limits()) -> dict[str, pd.DataFrame]:
    """Every sheet's cells as `pandas.read_excel(engine="calamine", header=None, dtype=object)` gives them, empty
    cells as None; read straight from calamine and typed a column at a time instead of a cell at a time."""
    from python_calamine import CalamineWorkbook

    from python_calamine import SheetVisibleEnum

    book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    hidden = {str(sheet.name): "very" if sheet.visible == SheetVisibleEnum.VeryHidden else True
              for sheet in book.sheets_metadata if sheet.visible != SheetVisibleEnum.Visible}
    names = [str(name) for name in book.sheet_names]
    if twice := sorted({name for name in names if names.count(name) > 1}):
        # Two sheets of one name (an OpenDocument file allows it): the reader finds the first by either.
        raise Unreadable(Code.CP046, twice[0])
    grids = {}
    for name in names:
        sheet = book.get_sheet_by_name(name)
        check_sheet_size(sheet.height, sheet.width, str(name), limits)
        if sheet.start == (0, 0) and sheet.height * sheet.width > LONG_SHEET_CELLS:
            grids[str(name)] = _long_sheet(sheet)
            continue
        rows = sheet.to_python(skip_empty_area=False)
        if not rows:
            grids[str(name)] = pd.DataFrame()
            continue
        width = max(map(len, rows))
        if any(len(row) != width for row in rows):
            rows = [row + [""] * (width - len(row)) for row in rows]
        cells = np.empty((len(rows), width), dtype=object)
        cells[:] = rows
        for position in range(width):
            cells[:, position] = _as_read(cells[:, position].copy())
        grids[str(name)] = pd.DataFrame(cells, dtype=object, copy=False)
    for name in hidden.keys() & set(grids):
        # A sheet the officer does not see: named, not read (discovery.py). "very": one Excel's Unhide does not list.
        grids[name].attrs["hidden"] = hidden[name]
    return grids


# A sheet of more cells than this is read in blocks of rows, to keep the memory a long sheet takes in check.
LONG_SHEET_CELLS = 2_000_000
BLOCK_ROWS = 65_536


def _long_sheet(sheet) -> pd.DataFrame:
    """A long sheet's cells, read a block of rows at a time: each block is typed as it comes, and a column that
    repeats its texts (types, places, forums) keeps one Python string per distinct text, not one per cell."""
    from itertools import islice

    cells = np.empty((sheet.height, sheet.width), dtype=object)
    repeats: dict[int, dict] = {}  # column -> its distinct texts so far, for the columns that repeat them
    rows, at = sheet.iter_rows(), 0
    while block := list(islice(rows, BLOCK_ROWS)):
        part = np.empty((len(block), sheet.width), dtype=object)
        part[:] = block
        del block
        for position in range(sheet.width):
            column = _as_read(part[:, position].copy())
            if (at == 0 or position in repeats) and pd.api.types.infer_dtype(column, skipna=True) == "string":
                codes, distinct = pd.factorize(column)
                if at or len(distinct) * 2 <= len(column):  # mostly distinct texts (ids, titles) are left as read
                    known = repeats.setdefault(position, {})
                    column = np.array([known.setdefault(v, v) for v in distinct] + [None], dtype=object)[codes]
            cells[at:at + len(part), position] = column
        at += len(part)
    return pd.DataFrame(cells[:at], dtype=object, copy=False)


def _as_read(cells: np.ndarray) -> np.ndarray:
    """One column of calamine's cells as pandas reads them: whole numbers as int, dates as datetimes; empty as None."""
    kind = pd.api.types.infer_dtype(cells, skipna=True)
    if kind == "mixed" and len(cells) > 4 * HEADER_SEARCH_ROWS:
        # Most often a column of numbers under its header's text: the rows below the header's place are read
        # as one kind, at once, and only the first rows cell by cell.
        top = HEADER_SEARCH_ROWS + 4
        if pd.api.types.infer_dtype(cells[top:], skipna=True) != "mixed":
            cells[:top] = _as_read(cells[:top].copy())
            cells[top:] = _as_read(cells[top:].copy())
            return cells
    if kind in ("empty", "integer", "boolean", "datetime", "time", "timedelta"):
        return cells  # no text, so no empty cell ("") either
    if kind == "string":
        cells[cells == ""] = None
        return cells
    if kind == "floating":
        types = np.full(len(cells), float, dtype=object)
    else:  # "date" may mix dates and datetimes: told apart cell by cell
        cells[cells == ""] = None
        types = pd.Series(cells, dtype=object).map(type).to_numpy()
    floats = types == float
    if floats.any():
        numbers = cells[floats].astype("float64")
        # Whole numbers within int64 become Python ints at once; larger ones (rare) one by one, as pandas does.
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
        small = whole & (np.abs(numbers) < 2.0 ** 62)
        values = cells[floats]
        values[small] = numbers[small].astype("int64").astype(object)
        values[np.isnan(numbers)] = None
        for at in np.flatnonzero(whole & ~small):
            values[at] = int(numbers[at])
        cells[floats] = values
    dates = types == dt.date
    if dates.any():
        # A column of dates repeats a few hundred days: each distinct day is made a datetime once.
        codes, days = pd.factorize(cells[dates])
        cells[dates] = np.array([dt.datetime(d.year, d.month, d.day) for d in days] + [None], dtype=object)[codes]
    return cells


def fill_merged(grid: pd.DataFrame, ranges, counts: set[int] = frozenset(), below: int = 0
                ) -> tuple[pd.DataFrame, list]:
    """Cells merged down a column take the merged value in every row (one type, one place for several
    activities). Ranges within one row (titles, headers spanning columns) are left as they are. A count merged
    down rows under the header (columns `counts`, rows from `below`) is not: 42 participants shown across two
    rows are not 42 on each; those ranges are returned, for the load stage to say."""
    grid = grid.copy()
    shared = []
    for (top, left), (bottom, right) in ranges:
        if bottom > top and top < len(grid) and left < grid.shape[1]:
            if top >= below and counts.intersection(range(left, right + 1)):
                shared.append(((top, left), (bottom, right)))
                continue
            grid.iloc[top:bottom + 1, left:right + 1] = grid.iat[top, left]
    return grid, shared


def merged_ranges(path: Path | None, sheet: str) -> list:
    """The merged cells of a workbook's sheet, as calamine reports them; none if it cannot say."""
    if path is None:
        return []
    try:
        from python_calamine import CalamineWorkbook
        return list(CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).merged_cell_ranges or [])
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException:  # an older calamine, a format without merged cells, a panic: nothing to fill
        return []
