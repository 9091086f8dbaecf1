"""Annotated copies of the sheets with errors: offending cells highlighted, the finding as a cell comment (EN + AR)."""
from __future__ import annotations

import io
import re
from pathlib import Path

from .cells import keep_as_text
from .findings import ERROR, WARNING, Finding, Findings
from .visible import visible

FILLS = {ERROR: "FFC7CE", WARNING: "FFEB9C"}  # Excel's own "bad" and "neutral" cell colours
SUFFIX = ".annotated.xlsx"


def copy_name(file: str) -> str:
    """cpfs.xlsx -> cpfs.annotated.xlsx; activities.csv -> activities.csv.annotated.xlsx; a file in an office's
    folder keeps the folder in its name: anbar/activities.xlsx -> anbar - activities.annotated.xlsx (never clashes)."""
    path = Path(file)
    name = f"{path.stem}{SUFFIX}" if path.suffix.lower() == ".xlsx" else f"{path.name}{SUFFIX}"
    return " - ".join([*path.parent.parts, name]) if path.parent.parts else name


def _comment_text(items: list[Finding]) -> str:
    """Each finding's code and severity, then its message in English and in Arabic (typed values isolated, so
    that Excel and LibreOffice keep a Latin value where the Arabic sentence says it)."""
    from .messages import Saying

    english, arabic = Saying("en"), Saying("ar")
    said = [f"{f.code} ({english.severity(f.severity)}): {f.message('en', 'isolated')}\n"
            f"{arabic.severity(f.severity)}: {f.message('ar', 'isolated')}" for f in items]
    # A workbook cannot hold most control characters: a cell's escape codes are shown, not dropped with the copy.
    return "\n\n".join(visible(text, keep="\n") for text in said)


def _as_written(value):
    """A cell read from a CSV (or XLS, ODS) as the new workbook can hold it."""
    if value is None or (isinstance(value, float) and value != value):  # value != value: NaN, an empty cell
        return None
    if isinstance(value, str):
        return visible(value, keep="\t\n\r")  # openpyxl refuses the other control characters
    return value if isinstance(value, (int, float)) else str(value)


# A sheet of more rows than this, read from a CSV (or XLS, ODS), is copied with only the rows its findings mark
# (and the header's rows above them), each in its own row: a copy of every cell of 100,000 rows would take
# openpyxl half a minute and megabytes, for a few marked cells.
ROWS_COPIED = 5000


def _workbook(path: Path, rows: set[int] | None = None):
    """The workbook to annotate: the user's own .xlsx (formatting kept), or a new one with the cells as read (of a
    long sheet, the rows given and the first rows alone)."""
    from openpyxl import Workbook, load_workbook

    from .load import read_grids

    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            return load_workbook(path)
        except Exception:  # a file openpyxl cannot open: fall back to the cells as read
            pass
    grids, _ = read_grids(path)
    book = Workbook()
    book.remove(book.active)
    book.titles = {}  # a sheet's name -> its title in the copy, where the two differ
    for name, grid in grids.items():
        sheet = book.create_sheet(sheet_title(name or path.stem))
        if sheet.title != (name or path.stem):
            book.titles[name] = sheet.title
        if rows is None or len(grid) <= ROWS_COPIED:
            for row in grid.itertuples(index=False):
                sheet.append([_as_written(v) for v in row])
        else:
            from .load.sheets import HEADER_SEARCH_ROWS

            wanted = sorted({r for r in rows if 0 < r <= len(grid)} | set(range(1, HEADER_SEARCH_ROWS + 1)))
            for number, row in zip(wanted, grid.iloc[[r - 1 for r in wanted]].itertuples(index=False)):
                for column, value in enumerate(row, 1):
                    if (value := _as_written(value)) is not None:
                        sheet.cell(row=number, column=column, value=value)
        keep_as_text(sheet)
    return book


def sheet_title(name: str) -> str:
    """A sheet's name as a workbook's sheet may be titled: none of []:*?/\\ nor a control character (a CSV named
    "activities [Ninewa].csv", an ODS sheet), at most 31 characters, never empty."""
    return re.sub(r"[\[\]:*?/\\\x00-\x1f\x7f]", "_", name)[:31] or "Sheet"


def _cell(sheet, row: int, column: int):
    from openpyxl.cell.cell import MergedCell

    cell = sheet.cell(row=row, column=column)
    if isinstance(cell, MergedCell):  # a comment belongs to the merged range's first cell
        for merged in sheet.merged_cells.ranges:
            if cell.coordinate in merged:
                return sheet.cell(row=merged.min_row, column=merged.min_col)
    return cell


# A finding said once for many cells colours at most this many of them: the copy stays small, and the finding's
# message lists their rows.
ROWS_MARKED = 1000


def _other_rows(f: Finding) -> list[int]:
    """The rows, past the finding's own, that a finding said once for many cells names (its runs, "2-100001, 7")."""
    rows: list[int] = []
    for run in f.rows.split(", "):
        first, _, last = run.partition("-")
        if not first.isdigit() or last and not last.isdigit():
            continue  # "…": the finding lists its first runs only
        rows.extend(range(int(first), min(int(last or first), int(first) + ROWS_MARKED) + 1))
        if len(rows) >= ROWS_MARKED:
            break
    return [row for row in rows[:ROWS_MARKED] if row != f.row]


def annotate(path: Path, findings: list[Finding]) -> bytes:
    """A copy of one workbook with each finding's cell (or row, or header) marked and commented."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    book = _workbook(path, {row for f in findings if f.row for row in (f.row, *_other_rows(f))})
    by_cell: dict[tuple[str, int, int], list[Finding]] = {}
    marked: dict[tuple[str, int, int], str] = {}
    for f in findings:
        if not f.row:
            continue
        sheet_name = getattr(book, "titles", {}).get(f.sheet, f.sheet)
        sheet_name = sheet_name if sheet_name in book.sheetnames else book.sheetnames[0]
        if f.column_number:
            column = f.column_number
        else:  # a missing column: comment on the first free cell of the header row, where it would go
            column = book[sheet_name].max_column + 1 if f.code == "CP101" else 1
        by_cell.setdefault((sheet_name, f.row, column), []).append(f)
        for row in _other_rows(f):  # a finding said once for many cells: each is coloured, the first commented
            marked.setdefault((sheet_name, row, column), f.severity)
    for (sheet_name, row, column), severity in marked.items():
        if (sheet_name, row, column) not in by_cell:
            _cell(book[sheet_name], row, column).fill = PatternFill("solid", start_color=FILLS[severity],
                                                                    end_color=FILLS[severity])
    for (sheet_name, row, column), items in by_cell.items():
        cell = _cell(book[sheet_name], row, column)
        worst = ERROR if any(f.severity == ERROR for f in items) else WARNING
        cell.fill = PatternFill("solid", start_color=FILLS[worst], end_color=FILLS[worst])
        comment = Comment(_comment_text(items), "cpreport")
        comment.width, comment.height = 420, 140 + 80 * len(items)
        cell.comment = comment
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def annotated_copies(data: Path, findings: Findings) -> dict[str, bytes]:
    """One annotated copy for each sheet file that has an error; the inputs are never written."""
    files: dict[str, list[Finding]] = {}
    for f in findings:
        if f.file and f.severity in (ERROR, WARNING):
            files.setdefault(f.file, []).append(f)
    copies: dict[str, bytes] = {}
    for file, items in files.items():
        if not any(f.severity == ERROR and f.row for f in items):
            continue
        path = data / file
        try:
            copies[copy_name(file)] = annotate(path, items)
        except Exception:  # the findings files matter more than a copy we could not make
            continue
    return copies
