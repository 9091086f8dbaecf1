"""Cells of the workbooks cpreport writes: text stays text."""
from __future__ import annotations


def keep_as_text(sheet) -> None:
    """Make every text cell that begins with '=' a text cell again.

    openpyxl takes such text for a formula, and Excel would run it when the copy is opened
    (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`): a cell read from a CSV or typed by us is only ever text."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
