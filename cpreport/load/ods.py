"""OpenDocument spreadsheets (.ods): what a sheet's XML says that its cells, as the workbook reader gives them, do
not: cells holding an error (=NA(), a division by zero: read as empty), and rows and columns hidden (by hand, or
by a filter). As for .xlsx (xlsx.py) and .xls (xls.py), the load stage says them (CP032, CP033) and puts each
error in its cell, where a count that holds one is said not to be a count.

content.xml is walked element by element only when it holds one of these marks at all; a sheet without them
costs one search of its bytes.
"""
from __future__ import annotations

import io
import zipfile

from .xlsx import ERRORS_KEPT, Held

TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MARKS = (b'table:visibility="collapse"', b'table:visibility="filter"', b'value-type="error"')
MOST_REPEATED = 1 << 20  # a run of repeated rows or columns longer than this is the sheet's empty rest
KEPT_PER_RUN = 1000  # of a run of hidden rows or error cells, the first this many are named
COLUMNS = 16384
HIDDEN_KEPT = 100_000  # hidden rows named in all


def _repeated(element, attribute: str) -> int:
    try:
        return max(1, min(int(element.get(_tag(attribute), "1") or 1), MOST_REPEATED))
    except ValueError:
        return 1


def _tag(name: str, space: str = TABLE) -> str:
    return f"{{{space}}}{name}"


def ods_marks(raw: bytes) -> dict[str, Held]:
    """Each sheet's errors, hidden rows and hidden columns, by its name; {} for a file that is not an .ods, or
    holds none of them."""
    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
        if book.read("mimetype").strip() != MIMETYPE:
            return {}
        content = book.read("content.xml")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return {}
    if not any(mark in content for mark in MARKS):
        return {}
    import xml.etree.ElementTree as ElementTree

    sheets: dict[str, Held] = {}
    held: Held | None = None
    depth = 0  # tables inside tables (a sub-table in a cell) are the cell's, not the sheet's rows
    row = column = 0  # the rows before the current one; the columns before the current cell
    rows = range(0)  # the rows (from 1) the current row element stands for
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(content), events=("start", "end")):
            tag = element.tag
            if tag == _tag("table"):
                depth += 1 if event == "start" else -1
                if event == "start" and depth == 1:
                    name = element.get(_tag("name"), "")  # two sheets of one name: the file is refused (CP046)
                    held = sheets[name] = Held(name)
                    row = column = 0
                elif event == "end" and depth == 0:
                    held = None
                    element.clear()
                continue
            if held is None or depth != 1:
                continue
            if event == "start":
                if tag == _tag("table-row"):
                    column = 0
                    repeated = _repeated(element, "number-rows-repeated")
                    rows = range(row + 1, row + repeated + 1)
                    if element.get(_tag("visibility"), "visible") != "visible":
                        # (a long run of hidden rows past the data, the sheet's empty rest, is named by its start)
                        hidden = held.hidden_rows if held.hidden_rows is not None else []
                        hidden.extend(rows[:KEPT_PER_RUN] if len(hidden) < HIDDEN_KEPT else ())
                        held.hidden_rows = hidden
                    row += repeated
                elif tag == _tag("table-column"):
                    repeated = _repeated(element, "number-columns-repeated")
                    if element.get(_tag("visibility"), "visible") != "visible" and column < COLUMNS:
                        hidden_columns = held.hidden_columns if held.hidden_columns is not None else set()
                        hidden_columns.update(range(column + 1, min(column + repeated, COLUMNS) + 1))
                        held.hidden_columns = hidden_columns
                    column += repeated
                continue
            if tag in (_tag("table-column"), _tag("table-row")):
                if tag == _tag("table-row"):
                    column = 0
                element.clear()
            elif tag in (_tag("table-cell"), _tag("covered-table-cell")):
                repeated = _repeated(element, "number-columns-repeated")
                if element.get(_tag("value-type", CALCEXT)) == "error":
                    shown = (" ".join("".join(element.itertext()).split()) or "#N/A")[:64]
                    errors = held.errors if held.errors is not None else []
                    # Identical cells side by side, or rows, are written once with their count: each is a cell.
                    for at in rows[:KEPT_PER_RUN]:
                        for number in range(column + 1, column + min(repeated, KEPT_PER_RUN) + 1):
                            if len(errors) < ERRORS_KEPT:
                                errors.append((at, number, shown))
                    held.errors = errors
                column += repeated
                element.clear()
    except (ElementTree.ParseError, ValueError):
        return {}
    return {name: held for name, held in sheets.items()
            if held.errors or held.hidden_rows or held.hidden_columns}
