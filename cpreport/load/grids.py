"""A file's bytes as the grids of its sheets: told a workbook from text by content, not by name."""
from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd

from ..contract import TABLES, FileOptions
from ..findings import Code
from .headers import header_score
from .sheets import Unreadable, WORKBOOKS
from .limits import Limits, check_file_size, check_lines, check_old_workbook, check_workbook
from .ods import ods_marks
from .text import text_grid
from .workbooks import ENCRYPTED_STREAM, OLE_MAGIC, ZIP_MAGIC, workbook_grids


def _with_errors(grid: pd.DataFrame, errors: list[tuple[int, int, str]]) -> pd.DataFrame:
    """The grid with Excel's errors (#DIV/0!, #N/A, #REF!) in their cells, as Excel shows them: the reader reads
    them as empty, and a count left empty is no finding, where "#DIV/0!" is not a count and is said so."""
    for row, column, text in errors:
        if row <= grid.shape[0] and column <= grid.shape[1] and grid.iat[row - 1, column - 1] in ("", None):
            grid.iat[row - 1, column - 1] = text
    return grid


def read_grids(path: Path, raw: bytes | None = None, options: FileOptions = FileOptions(),
               limits: Limits = Limits()) -> tuple[dict[str, pd.DataFrame], bool]:
    """The cells of every sheet of a file, as read, and whether they keep their types (a workbook). options: the
    config's encoding and delimiter for a text file, when the sniffer would guess wrong. limits: what a file may
    ask of the machine (limits.py); past them, Unreadable(CP025)."""
    if raw is None:
        check_file_size(path.stat().st_size, limits)
        raw = path.read_bytes()
    if not raw.startswith((ZIP_MAGIC, OLE_MAGIC)):
        check_lines(raw, limits)
    if options.encoding or options.delimiter:
        if not raw.startswith((ZIP_MAGIC, OLE_MAGIC)):
            return {"": text_grid(raw, options.encoding, options.delimiter, limits)}, False
    if raw.startswith((ZIP_MAGIC, OLE_MAGIC)):
        # What a workbook declares and where its cells are, before calamine lays them out.
        held = check_workbook(raw, limits) if raw.startswith(ZIP_MAGIC) else \
            check_old_workbook(raw, limits) if ENCRYPTED_STREAM not in raw else {}
        if raw.startswith(ZIP_MAGIC) and not held:
            held = ods_marks(raw)  # an OpenDocument spreadsheet: its parts were checked, its marks are read here
        grids = workbook_grids(raw, limits)
        # What the sheets' XML holds that their cells do not show, said by the load stage (CP031 to CP033).
        for name, sheet in held.items():
            if name not in grids:
                continue
            if sheet.unsaved:
                grids[name].attrs["unsaved_formulas"] = (sheet.unsaved, *sheet.first_unsaved)
            if sheet.hidden_rows:
                grids[name].attrs["hidden_rows"] = sheet.hidden_rows
            if sheet.hidden_columns:
                grids[name].attrs["hidden_columns"] = sheet.hidden_columns
            if sheet.errors:
                grids[name] = _with_errors(grids[name], sheet.errors)
        return grids, True
    head = raw[:1024].lstrip(codecs.BOM_UTF8).lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<meta")):
        raise Unreadable(Code.CP017)
    if path.suffix.lower() in WORKBOOKS and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # A workbook's name on a file that is neither a workbook nor marked text: read it as text only if
        # it decodes cleanly, else say it is not a spreadsheet.
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Unreadable(Code.CP001, "not a workbook") from None
        grid = text_grid(raw, limits=limits)
        # Text exported under a workbook's name is common (web systems save CSV as .xls); text that
        # names no table's columns is a note or a letter, not a sheet.
        if not any(header_score(grid, table)[1] >= 2 for table in TABLES.values()):
            raise Unreadable(Code.CP001, "plain text, not a workbook")
        return {"": grid}, False
    return {"": text_grid(raw, limits=limits)}, False
