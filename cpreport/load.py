"""The load stage: find the three tables in the data folder and read them as raw sheets."""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .contract import TABLES, Table, fold
from .findings import Code, Findings, finding

SPREADSHEETS = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
WORKBOOKS = SPREADSHEETS - {".csv", ".tsv", ".txt"}
HEADER_SEARCH_ROWS = 20
ROW = "_row"  # the row number the user sees in Excel, LibreOffice or a text editor


@dataclass
class Sheet:
    """One table as read: raw cell values under canonical column names, with the user's row numbers."""

    table: Table
    file: str
    sheet: str
    frame: pd.DataFrame  # canonical columns present, plus ROW
    headers: dict[str, str]  # canonical column -> header as the user wrote it
    columns: dict[str, int] = field(default_factory=dict)  # canonical column -> 1-based column number
    path: Path | None = None

    def header(self, column: str) -> str:
        return self.headers.get(column, column)


@dataclass
class Loaded:
    """What the load stage hands on: the sheets found and the findings made while reading."""

    sheets: dict[str, Sheet]
    findings: Findings
    files: list[Path] = field(default_factory=list)


class Unreadable(Exception):
    """A file that cannot be read; its message names why, for the finding."""


def decode(raw: bytes) -> str:
    """Decode a CSV's bytes: UTF-8 (with or without BOM), UTF-16, else Windows-1256 (Arabic Windows)."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    if raw[:200].count(b"\x00") > len(raw[:200]) // 4:  # UTF-16 without a BOM
        return raw.decode("utf-16-le" if raw[1:2] == b"\x00" else "utf-16-be", errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1256", errors="replace")


def _delimiter(text: str) -> str:
    sample = "\n".join(text[:20000].splitlines()[:HEADER_SEARCH_ROWS + 5])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t"}
        return max(counts, key=counts.get)


def read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and raw[:200].count(b"\x00") <= len(raw[:200]) // 4:
        raise Unreadable("binary content, not text")
    text = decode(raw)
    delimiter = _delimiter(text)
    try:
        grid = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                           skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, ValueError):
        # Ragged rows: fall back to the csv module, which takes rows of any length.
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        grid = pd.DataFrame(rows).fillna("")
    except pd.errors.EmptyDataError:
        grid = pd.DataFrame()
    return grid.replace("", None)


def read_workbook(path: Path) -> dict[str, pd.DataFrame]:
    try:
        return pd.read_excel(path, engine="calamine", header=None, sheet_name=None, dtype=object)
    except Exception as error:  # calamine raises many kinds for broken, encrypted or foreign files
        raise Unreadable(str(error).splitlines()[0][:200] if str(error) else type(error).__name__) from None


def header_key(text: object, keys) -> str | None:
    """The column name a header cell gives; a cell of two lines ("cpf_id" over "رقم المنتدى", as the
    workbooks of `cpreport init` have them) is read by whichever line names a column."""
    folded = fold(text)
    if folded in keys:
        return folded
    return next((fold(line) for line in str(text).splitlines() if fold(line) in keys), None)


def _header_row(grid: pd.DataFrame, table: Table) -> tuple[int | None, list[str]]:
    """The row (0-based) within the first rows that names most of the table's columns."""
    keys = {key for column in table.columns for key in column.keys}
    best, best_count = None, 0
    for index in range(min(HEADER_SEARCH_ROWS, len(grid))):
        cells = [v for v in grid.iloc[index].tolist() if v is not None and not pd.isna(v)]
        count = sum(1 for c in cells if header_key(c, keys))
        if count > best_count:
            best, best_count = index, count
    needed = min(2, sum(c.required for c in table.columns))
    if best is None or best_count < needed:
        return None, []
    return best, ["" if v is None or pd.isna(v) else str(v).strip() for v in grid.iloc[best].tolist()]


def to_sheet(grid: pd.DataFrame, table: Table, file: str, sheet: str, findings: Findings,
             path: Path | None = None) -> Sheet | None:
    """Find the header, name the columns, drop empty rows, and number the rows as the user sees them."""
    where = {"file": file, "sheet": sheet}
    header_index, header = _header_row(grid, table)
    if header_index is None:
        expected = ", ".join(c.name for c in table.columns if c.required)
        findings.add(finding(Code.CP004, **where, expected=expected))
        return None
    by_key = {key: column.name for column in table.columns for key in column.keys}
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    for position, text in enumerate(header):
        if not text:
            continue
        canonical = by_key.get(header_key(text, by_key) or "")
        if canonical is None:
            findings.add(finding(Code.CP102, **where, row=header_index + 1, column=text, table=table.name))
        elif canonical in headers:
            findings.add(finding(Code.CP103, **where, row=header_index + 1, column=text,
                                 canonical=canonical, other=headers[canonical]))
        else:
            headers[canonical] = " / ".join(line.strip() for line in text.splitlines() if line.strip())
            positions[canonical] = position
    body = grid.iloc[header_index + 1:, list(positions.values())]
    body.columns = list(positions)
    body = body.apply(_clean_text)
    body = body[body.notna().any(axis=1)]
    body.insert(0, ROW, body.index + 1)
    for column in table.columns:
        if column.required and column.name not in headers:
            findings.add(finding(Code.CP101, **where, row=header_index + 1, column=column.name, column_ar=column.label_ar))
    return Sheet(table, file, sheet, body.reset_index(drop=True), headers,
                 {c: p + 1 for c, p in positions.items()}, path)


def _clean_text(column: pd.Series) -> pd.Series:
    """Stray and non-breaking spaces trimmed; cells holding only spaces become empty."""
    if column.dtype != object:
        return column
    is_text = column.map(type) == str
    if not is_text.any():
        return column
    text = column[is_text].str.replace("\u00a0", " ", regex=False).str.strip()
    column = column.copy()
    column[is_text] = text.where(text != "", None)
    return column


def _table_named(name: str) -> Table | None:
    folded = fold(name)
    return next((t for t in TABLES.values() if folded in t.keys), None)


def load(data: Path) -> Loaded:
    """Read every table found in the data folder: files named after a table, or sheets named after one."""
    findings = Findings()
    sheets: dict[str, Sheet] = {}
    files: list[Path] = []
    if not data.is_dir():
        findings.add(finding(Code.CP009, detail=str(data)))
        return Loaded(sheets, findings)

    def keep(sheet: Sheet | None) -> None:
        if sheet is None:
            return
        name = sheet.table.name
        if name in sheets:
            first = sheets[name]
            findings.add(finding(Code.CP006, file=sheet.file, sheet=sheet.sheet, table=name,
                                 other=f"{first.file} {first.sheet}".strip()))
        else:
            sheets[name] = sheet

    for path in sorted(p for p in data.iterdir() if p.is_file()):
        suffix = path.suffix.lower()
        if suffix not in SPREADSHEETS or path.name.startswith("."):
            continue
        if path.name.startswith("~$"):
            findings.add(finding(Code.CP007, file=path.name))
            continue
        table = _table_named(path.stem)
        if table is None and suffix not in WORKBOOKS:
            if suffix == ".csv":
                findings.add(finding(Code.CP002, file=path.name))
            continue
        if path.stat().st_size == 0:
            findings.add(finding(Code.CP008, file=path.name))
            files.append(path)
            continue
        try:
            grids = {"": read_csv(path)} if suffix not in WORKBOOKS else read_workbook(path)
        except (Unreadable, OSError, UnicodeError) as error:
            if table is not None or suffix in WORKBOOKS:
                findings.add(finding(Code.CP001, file=path.name, detail=str(error)))
                files.append(path)
            continue
        named = {name: _table_named(name) for name in grids}
        if table is None and not any(named.values()):
            findings.add(finding(Code.CP002, file=path.name))
            continue
        files.append(path)
        if table is not None:
            # A file named after a table: the sheet of that name, else its first sheet with anything in it.
            sheet_name = next((n for n, t in named.items() if t is table), None)
            if sheet_name is None:
                sheet_name = next((n for n, g in grids.items() if g.notna().any().any()), next(iter(grids)))
            selected = {sheet_name: table}
        else:
            selected = {n: t for n, t in named.items() if t is not None}
        for sheet_name, sheet_table in selected.items():
            grid = grids[sheet_name]
            if grid.empty or not grid.notna().any().any():
                findings.add(finding(Code.CP008, file=path.name, sheet=sheet_name))
                continue
            keep(to_sheet(grid, sheet_table, path.name, sheet_name, findings, path))
    for name, table in TABLES.items():
        if name not in sheets and not any(f.code in ("CP001", "CP004", "CP008") and _table_named(Path(f.file).stem) is table
                                         for f in findings):
            findings.add(finding(Code.CP003, table=name, severity="warning" if name == "displacement" else None))
    return Loaded(sheets, findings, files)
