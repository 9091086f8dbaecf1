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
    row = column = 0
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(content), events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == _tag("table"):
                    held = sheets.setdefault(element.get(_tag("name"), ""), Held(element.get(_tag("name"), "")))
                    row = column = 0
                elif held is not None and tag == _tag("table-row"):
                    column = 0
                    repeated = min(int(element.get(_tag("number-rows-repeated"), "1") or 1), MOST_REPEATED)
                    if element.get(_tag("visibility"), "visible") != "visible":
                        # (a long run of hidden rows past the data, the sheet's empty rest, is named by its start)
                        held.hidden_rows = (held.hidden_rows or []) + list(range(row + 1, row + min(repeated, 1000) + 1))
                    row += repeated
                elif held is not None and tag == _tag("table-column"):
                    repeated = min(int(element.get(_tag("number-columns-repeated"), "1") or 1), MOST_REPEATED)
                    if element.get(_tag("visibility"), "visible") != "visible" and column < 16384:
                        held.hidden_columns = (held.hidden_columns or set()) | set(range(column + 1, column + repeated + 1))
                    column += repeated
                continue
            if held is None:
                continue
            if tag == _tag("table-column") or tag == _tag("table-row"):
                if tag == _tag("table-row"):
                    column = 0
                element.clear()
            elif tag in (_tag("table-cell"), _tag("covered-table-cell")):
                repeated = min(int(element.get(_tag("number-columns-repeated"), "1") or 1), MOST_REPEATED)
                if element.get(_tag("value-type", CALCEXT)) == "error" and len(held.errors or ()) < ERRORS_KEPT:
                    shown = " ".join("".join(element.itertext()).split()) or "#N/A"
                    held.errors = (held.errors or []) + [(row, column + 1, shown[:64])]
                column += repeated
                element.clear()
            elif tag == _tag("table"):
                held = None
    except (ElementTree.ParseError, ValueError):
        return {}
    return {name: held for name, held in sheets.items()
            if held.errors or held.hidden_rows or held.hidden_columns}
