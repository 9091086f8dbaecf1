"""The load stage: find the three tables in the data folder and read them as raw sheets."""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd

from .contract import TABLES, Table, fold
from .findings import Code, Findings, finding

TEXT_FILES = {".csv", ".tsv", ".txt"}
WORKBOOKS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
SPREADSHEETS = TEXT_FILES | WORKBOOKS
OWN_FILES = {".toml", ".md", ".py", ".log", ".lock"}  # config, narrative, scripts: not mistaken for data
HEADER_SEARCH_ROWS = 20
ROW = "_row"  # the row number the user sees in Excel, LibreOffice or a text editor

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and the wrapper of a password-protected .xlsx
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")

# Cells that mean "nothing here" in the sheets field offices send.
PLACEHOLDERS = {"n/a", "na", "n.a.", "n.a", "#n/a", "none", "nil", "null", "لا يوجد", "لايوجد"}
DASHES = {"-", "--", "---", "—", "–", "_", "/", "."}
# A row whose only label is one of these adds up the others: it is not a row of its own.
TOTAL_WORDS = frozenset({"total", "totals", "grand total", "sum", "المجموع", "مجموع", "الإجمالي", "الاجمالي",
                         "إجمالي", "اجمالي", "المجموع الكلي", "الإجمالي الكلي", "الاجمالي الكلي", "المجموع الكلى"})


def _is_total_word(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 24 and \
        " ".join(value.replace("\u00a0", " ").split()).lower().rstrip(":").strip() in TOTAL_WORDS


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
    header_row: int = 1  # as the user numbers it
    typed_cells: bool = True  # a workbook keeps numbers and dates; a CSV holds text only
    changed: dict[str, pd.Series] = field(default_factory=dict)  # canonical column -> cells as written, where tidied
    # A CSV column that repeats itself, as load encoded it: each cell's place among the distinct texts (-1 when
    # empty), and those texts (Arrow). The validate stage reads the column through them, not hashing it again.
    encoded: dict[str, tuple[np.ndarray, object]] = field(default_factory=dict, repr=False, compare=False)
    # The validate stage's work on this sheet alone (typed table, findings), when already done: see cache.py.
    checked: tuple[pd.DataFrame, list] | None = None

    def header(self, column: str) -> str:
        return self.headers.get(column, column)

    def column_number(self, column: str) -> int | None:
        return self.columns.get(column)


@dataclass
class Loaded:
    """What the load stage hands on: the sheets found and the findings made while reading."""

    sheets: dict[str, Sheet]
    findings: Findings
    files: list[Path] = field(default_factory=list)


class Unreadable(Exception):
    """A file that cannot be read; carries the finding's code and, for CP001, a short reason."""

    def __init__(self, code: Code, detail: str = ""):
        super().__init__(detail or code.name)
        self.code, self.detail = code, detail


def decoded(raw: bytes) -> tuple[str, bool]:
    """A CSV's text, decoded from UTF-8 (with or without BOM), UTF-16, else Windows-1256 (Arabic Windows), and
    whether its bytes were UTF-8 already."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
        try:
            return raw.decode("utf-8"), True
        except UnicodeDecodeError:
            return raw.decode("utf-8", errors="replace"), False
    if _utf16(raw):
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16", errors="replace"), False
        head = raw[:200]  # UTF-16 without a BOM: every other byte of Latin text is 0
        even_zeros = head[0::2].count(b"\x00")
        return raw.decode("utf-16-be" if even_zeros > head[1::2].count(b"\x00") else "utf-16-le", errors="replace"), False
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return raw.decode("cp1256", errors="replace"), False


def _utf16(raw: bytes) -> bool:
    """Whether a text file is UTF-16: a BOM says so, or zero bytes in a quarter of its first 200."""
    head = raw[:200]
    return raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head.count(b"\x00") > len(head) // 4


def delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits most of the first lines into the same number of cells."""
    lines = [line for line in text[:50000].splitlines()[:HEADER_SEARCH_ROWS + 10] if line.strip()]
    best, best_score = ",", (0, 0)
    for candidate in (",", ";", "\t"):
        widths = [len(row) for row in csv.reader(lines, delimiter=candidate)]
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        modal = max(set(wide), key=wide.count)
        score = (wide.count(modal), modal)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _text_grid(raw: bytes) -> pd.DataFrame:
    utf16 = _utf16(raw)
    if b"\x00" in raw[:4096] and not utf16:
        raise Unreadable(Code.CP001, "binary content, not text")
    if not utf16:
        # Most CSVs are UTF-8: Arrow's parser reads the bytes as they are (and refuses them if they are not).
        body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
        start = body[:1 << 17].decode("utf-8", errors="ignore")
        grid = _arrow_grid(start, body, delimiter(start))
        if grid is not None:
            return grid
    text, utf8 = decoded(raw)
    separator = delimiter(text)
    if not utf8:  # UTF-16 or Windows-1256: the text, encoded as UTF-8 for Arrow's parser
        grid = _arrow_grid(text, text.encode("utf-8"), separator)
        if grid is not None:
            return grid
    try:
        grid = pd.read_csv(io.StringIO(text), sep=separator, header=None, dtype=object, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False, engine="c")
    except (pd.errors.EmptyDataError, pd.errors.ParserError, ValueError):
        # Ragged rows, or blank lines above the table (pandas then finds no columns): the csv module takes rows
        # of any length.
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
        width = max(map(len, rows), default=0)
        if not width:
            return pd.DataFrame()
        grid = pd.DataFrame([row + [""] * (width - len(row)) for row in rows], dtype=object)
    return _blank_to_none(grid)


# A CSV's cells are read as pandas' own text type, held in Arrow arrays: tidying and checking them runs in Arrow's
# kernels, and no Python string is made for a cell unless a finding shows it.
ARROW_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def arrow_text(column: pd.Series) -> bool:
    """Whether a column is text held by Arrow (a CSV's), rather than cells of any type (a workbook's)."""
    return isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow"


def arrow_array(column: pd.Series):
    """An Arrow text column's cells as one Arrow array."""
    import pyarrow as pa

    array = pa.array(column.array)
    if isinstance(array, pa.ChunkedArray):
        # A column in one chunk is that chunk: joining it would copy it.
        return array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
    return array


def _arrow_grid(start: str, utf8: bytes, separator: str) -> pd.DataFrame | None:
    """A CSV read by Arrow's parser from its UTF-8 bytes (start: the beginning of its text): every cell as written,
    empty ones missing, blank lines kept as empty rows so that rows keep their numbers. Title lines above the
    table, narrower or wider than it, are read by the csv module and the table below them by Arrow. None for a
    file Arrow's parser does not take (rows of different lengths within the table, bytes that are not UTF-8)."""
    from itertools import islice

    # newline="": the csv module ends lines itself, at CR alone too (as old Mac exports write them).
    reader = csv.reader(io.StringIO(start, newline=""), delimiter=separator)
    top, lines = [], []  # the first records, and the lines read by the end of each
    for record in islice(reader, HEADER_SEARCH_ROWS + 10):
        top.append(record)
        lines.append(reader.line_num)
    widths = [len(record) for record in top if len(record) > 1]
    if not top or not top[0] and not widths:
        return None
    width = max(set(widths), key=widths.count) if widths else len(top[0])  # the table's: most records have it
    skip = next(i for i, record in enumerate(top) if len(record) == width)
    offset = 0
    if skip:
        # The table starts after the title lines: Arrow reads the bytes from there, if they are what was decoded.
        title = "".join(io.StringIO(start, newline="").readlines()[:lines[skip - 1]]).encode("utf-8")
        if utf8[:len(title)] != title:
            return None
        offset = len(title)
    table = _arrow_table(memoryview(utf8)[offset:], width, separator)
    if table is None:
        return None
    wide = max([width, *map(len, top[:skip])])
    grid = pd.DataFrame({n: pd.Series(table.column(n), dtype=ARROW_TEXT) if n < width else
                         pd.Series(np.nan, index=range(table.num_rows), dtype=ARROW_TEXT) for n in range(wide)})
    if not skip:
        return grid
    titles = pd.DataFrame({n: pd.Series([r[n] if n < len(r) and r[n] != "" else None for r in top[:skip]],
                                        dtype=ARROW_TEXT) for n in range(wide)})
    return pd.concat([titles, grid], ignore_index=True)


def _arrow_table(data, width: int, separator: str):
    """Arrow's reading of a CSV's table of width cells a row, every cell as text; None if it is not one."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [str(n) for n in range(width)]
    try:
        # Large strings, as pandas' text type holds them: the columns become pandas text without a copy.
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=separator, newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()), null_values=[""],
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True))
    except (pa.ArrowInvalid, ValueError):
        return None
    return table


def _blank_to_none(grid: pd.DataFrame) -> pd.DataFrame:
    grid = grid.astype(object)
    return grid.where(grid.notna() & (grid != ""), None)


def _workbook_grids(raw: bytes) -> dict[str, pd.DataFrame]:
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
        grids = _calamine_grids(raw)
    except PasswordError:
        raise Unreadable(Code.CP015) from None
    except Exception as error:  # calamine raises many kinds for broken or foreign files
        if raw.startswith(OLE_MAGIC):
            raise Unreadable(Code.CP016) from None
        raise Unreadable(Code.CP001, (str(error).splitlines() or [type(error).__name__])[0][:120]) from None
    return grids


def _calamine_grids(raw: bytes) -> dict[str, pd.DataFrame]:
    """Every sheet's cells as `pandas.read_excel(engine="calamine", header=None, dtype=object)` gives them, empty
    cells as None; read straight from calamine and typed a column at a time instead of a cell at a time."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    grids = {}
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
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


def read_grids(path: Path, raw: bytes | None = None) -> tuple[dict[str, pd.DataFrame], bool]:
    """The cells of every sheet of a file, as read, and whether they keep their types (a workbook)."""
    raw = path.read_bytes() if raw is None else raw
    if raw.startswith((ZIP_MAGIC, OLE_MAGIC)):
        return _workbook_grids(raw), True
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
        grid = _text_grid(raw)
        # Text exported under a workbook's name is common (web systems save CSV as .xls); text that
        # names no table's columns is a note or a letter, not a sheet.
        if not any(header_score(grid, table)[1] >= 2 for table in TABLES.values()):
            raise Unreadable(Code.CP001, "plain text, not a workbook")
        return {"": grid}, False
    return {"": _text_grid(raw)}, False


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


def _top_rows(grid: pd.DataFrame, rows: int = HEADER_SEARCH_ROWS) -> list[list]:
    """The first rows of a sheet as lists of cells, where the header is looked for."""
    return grid.iloc[:rows].to_numpy(dtype=object).tolist()


def header_score(grid: pd.DataFrame, table: Table, rows: list[list] | None = None) -> tuple[int | None, int]:
    """The row (0-based) within the first rows that names most of the table's columns, and how many it names.
    rows: the sheet's first rows, when already taken (_top_rows)."""
    keys = table_keys(table)
    best, best_count = None, 0
    for index, row in enumerate(_top_rows(grid) if rows is None else rows):
        count = _columns_named(row, keys)
        if count > best_count:
            best, best_count = index, count
    return best, best_count


@lru_cache(maxsize=None)
def table_keys(table: Table) -> frozenset[str]:
    return frozenset(key for column in table.columns for key in column.keys)


def _header_row(grid: pd.DataFrame, table: Table) -> tuple[int | None, list[str]]:
    rows = _top_rows(grid)
    best, best_count = header_score(grid, table, rows)
    needed = min(2, sum(c.required for c in table.columns))
    if best is None or best_count < needed:
        return None, []
    return best, ["" if v is None or pd.isna(v) else str(v).strip() for v in rows[best]]


def _more_header_rows(grid: pd.DataFrame, header_index: int, table: Table) -> int:
    """Rows right under the header that are a header too (the names again, in the other language)."""
    keys, extra = table_keys(table), 0
    rows = _top_rows(grid, header_index + 3)
    for index in range(header_index + 1, len(rows)):
        cells = [v for v in rows[index] if v is not None and not pd.isna(v)]
        named = _columns_named(cells, keys)
        if named < 2 or named * 2 < len(cells):
            break
        extra += 1
    return extra


def fill_merged(grid: pd.DataFrame, ranges) -> pd.DataFrame:
    """Cells merged down a column take the merged value in every row (Excel shows it on each of them).
    Ranges within one row (titles, headers spanning columns) are left as they are."""
    grid = grid.copy()
    for (top, left), (bottom, right) in ranges:
        if bottom > top and top < len(grid) and left < grid.shape[1]:
            grid.iloc[top:bottom + 1, left:right + 1] = grid.iat[top, left]
    return grid


def merged_ranges(path: Path | None, sheet: str) -> list:
    """The merged cells of a workbook's sheet, as calamine reports them; none if it cannot say."""
    if path is None:
        return []
    try:
        from python_calamine import CalamineWorkbook
        return list(CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).merged_cell_ranges or [])
    except Exception:  # an older calamine, or a format without merged cells: nothing to fill
        return []


def _tidy_texts(before: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Distinct texts, tidied: the text (None if empty) and whether it changed beyond its spaces."""
    text = before.str.strip()
    # The regular expressions run only on cells with odd spaces or marks: most cells have none.
    odd = text.str.contains("[\u00a0\u2007\u202f\u200b\u200e\u200f\u061c\ufeff]|\\s\\s", regex=True)
    if odd.any():
        text[odd] = (text[odd].str.replace(r"[\u00a0\u2007\u202f\u200b\u200e\u200f\u061c\ufeff]", " ", regex=True)
                     .str.replace(r"\s+", " ", regex=True).str.strip())
    blank = (text == "") | text.isin(DASHES) | text.map(lambda t: len(t) <= 9 and t.lower() in PLACEHOLDERS)
    differs = blank & (text != "")
    if odd.any():
        differs[odd] |= text[odd].str.replace(" ", "") != before[odd].str.replace(r"\s", "", regex=True)
    return text.where(~blank, None), differs


# What pandas.api.types.infer_dtype calls a column that has no text in it.
NO_TEXT = {"empty", "integer", "floating", "mixed-integer-float", "decimal", "complex", "boolean", "datetime64",
           "datetime", "date", "timedelta64", "timedelta", "time", "period", "interval", "bytes"}


def text_cells(column: pd.Series) -> pd.Series:
    """Which cells hold text; a column of text alone (every CSV, most columns of a workbook) is told at once."""
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind == "string":
        return column.notna()
    if kind in NO_TEXT:
        return pd.Series(False, index=column.index)
    return column.map(type) == str


# Python's own whitespace (what str.strip and str.split remove), as characters and for Arrow's regular expressions.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
SPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
ODD = "[\u00a0\u2007\u202f\u200b\u200e\u200f\u061c\ufeff]"
# Texts that tidying empties (in any case): _may_change picks out the cells that may be one of them.
EMPTY_WORDS = PLACEHOLDERS | DASHES
# What every total word has in it: a text without any of these labels no total row.
TOTAL_STEMS = "(?i)total|sum|مجموع|جمالي"


def _byte_table(values) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(values)] = True
    return table


# A text that trimming changes begins or ends with whitespace. In UTF-8, Python's whitespace is an ASCII byte
# (which appears in no other character), or a character that begins with one of these bytes...
SPACE_ASCII = _byte_table(c.encode()[0] for c in WHITESPACE if c.isascii())
SPACE_LEAD = SPACE_ASCII | _byte_table(c.encode()[0] for c in WHITESPACE)
# ...and ends as a 2-byte one (C2 85, C2 A0) or a 3-byte one (E1, E2 or E3 and two more bytes) does.
SPACE_END_2 = _byte_table(c.encode()[1] for c in WHITESPACE if len(c.encode()) == 2)
SPACE_LEAD_2 = _byte_table(c.encode()[0] for c in WHITESPACE if len(c.encode()) == 2)
SPACE_LEAD_3 = _byte_table(c.encode()[0] for c in WHITESPACE if len(c.encode()) == 3)
# A text that may be a dash or placeholder: short, and beginning as one does (in either case).
EMPTY_WORD_BYTES = max(len(w.encode()) for w in EMPTY_WORDS)
EMPTY_WORD_FIRST = _byte_table(b for w in EMPTY_WORDS for b in (w.encode()[0], w.upper().encode()[0]))


DIGIT_BYTES = _byte_table(b"0123456789")


def plain_digits(array, longest: int | None = 12) -> bool:
    """Whether every cell of an Arrow text array that is not empty is written in plain digits alone (at most
    longest of them), as counts most often are: told from their bytes at once."""
    offsets, data = text_bytes(array)
    written = data[offsets[0]:offsets[-1]]
    if not DIGIT_BYTES[written[:1024]].all():  # most columns that are not counts tell so at once
        return False
    size = np.diff(offsets)
    given = array.is_valid().to_numpy(zero_copy_only=False)
    return not ((size[given] < 1).any() or longest is not None and (size > longest).any()
                or not DIGIT_BYTES[written].all())


def text_bytes(array) -> tuple[np.ndarray, np.ndarray]:
    """An Arrow text array's offsets (as int64, into the bytes) and the bytes of its whole data buffer (not
    copied) as numpy arrays."""
    import pyarrow as pa

    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width)[array.offset:array.offset + len(array) + 1]
    data = array.buffers()[2]
    return offsets.astype(np.int64), np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)


def _may_change(texts):
    """Which texts tidying may change or may read as a total's label: spaces at either end, odd spaces or marks,
    doubled spaces, or a dash, placeholder or total word. Everything else is left as it is without a look from
    Python, which reads the texts picked out (some of them needlessly: the first and last bytes of a text, which
    are all this looks at for its ends, do not always tell). Takes an Arrow array of text, or an array of Python
    strings; gives an array of booleans."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.string())
    offsets, data = text_bytes(array)
    if not len(data):
        return np.zeros(len(array), dtype=bool)

    def byte(at: np.ndarray) -> np.ndarray:  # at each place (a text too short for it reads some other byte)
        return data[np.clip(at, 0, len(data) - 1)]

    starts, ends = offsets[:-1], offsets[1:]
    size = ends - starts
    filled = size > 0
    first, last = byte(starts), byte(ends - 1)
    maybe = filled & (SPACE_LEAD[first] | SPACE_ASCII[last]
                      | (size >= 2) & SPACE_END_2[last] & SPACE_LEAD_2[byte(ends - 2)]
                      | (size >= 3) & SPACE_LEAD_3[byte(ends - 3)]
                      | (size <= EMPTY_WORD_BYTES) & EMPTY_WORD_FIRST[first])
    # Odd or doubled spaces and total words are rare: the column's texts are first searched as one string for
    # either, and cell by cell only when that finds any (or finds one across the end of a text and the start of
    # the next).
    if search_all(array, f"{TOTAL_STEMS}|{ODD}|{SPACE}{SPACE}"):
        odd = pc.match_substring_regex(array, f"{ODD}|{SPACE}{SPACE}").to_numpy(zero_copy_only=False)
        short = pc.less_equal(pc.utf8_length(array), 24)  # as _is_total_word
        total = pc.and_(short, pc.match_substring_regex(array, TOTAL_STEMS)).to_numpy(zero_copy_only=False)
        maybe |= filled & (np.asarray(odd, dtype=bool) | np.asarray(total, dtype=bool))
    return maybe


def search_all(array, pattern: str) -> bool:
    """Whether pattern is found in the texts of an Arrow array laid end to end (as Arrow keeps them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets, data = text_bytes(array)
    texts = data[offsets[0]:offsets[-1]]  # not copied: one text of them all
    whole = pa.Array.from_buffers(pa.large_string(), 1, [None, pa.py_buffer(np.array([0, len(texts)])),
                                                         pa.py_buffer(texts)])
    return bool(pc.match_substring_regex(whole, pattern)[0].as_py())


def repeats_itself(array) -> bool:
    """Whether an Arrow column repeats its texts (types, places, dates, counts) rather than holding distinct ones
    (ids, titles), judged by its first thousand cells. A column that repeats itself is best read through its
    distinct texts; one that does not, all at once."""
    import pyarrow.compute as pc

    head = array.slice(0, 1000)
    return pc.count_distinct(head).as_py() * 2 <= len(head)


def _candidates(column: pd.Series) -> tuple[np.ndarray, tuple[np.ndarray, object] | None]:
    """The distinct texts of an Arrow text column that tidying may change or that may label a total row; and,
    for a column that repeats itself, each cell's place among its distinct texts and those texts."""
    import pyarrow.compute as pc

    array = arrow_array(column)
    if plain_digits(array, longest=None):
        return np.array([], dtype=object), None  # digits alone: nothing to tidy, no total's label
    if repeats_itself(array):
        # A column that repeats itself (types, places, dates, counts): Arrow picks out the few of its distinct
        # texts that may change or may say "Total".
        encoded = pc.dictionary_encode(array)
        distinct = encoded.dictionary
        places = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        return distinct.filter(_may_change(distinct)).to_numpy(zero_copy_only=False), (places, distinct)
    # Mostly distinct texts (ids, titles): Arrow picks them out from all the cells.
    return pc.unique(array.filter(_may_change(array))).drop_null().to_numpy(zero_copy_only=False), None


class Texts(NamedTuple):
    """What tidying, the search for total rows and for empty rows start from, found once per column."""

    values: object  # the cells (empty ones None); an Arrow text column as it is
    is_text: np.ndarray  # which cells hold text
    distinct: np.ndarray  # the distinct texts (of an Arrow column, those tidying may change or may label a total)
    blanked: bool  # whether an empty cell was other than None
    present: np.ndarray  # which cells are not empty
    encoded: tuple[np.ndarray, object] | None = None  # see Sheet.encoded


def _texts(column: pd.Series) -> Texts:
    """A column's Texts. An Arrow text column is given as it is, with only the distinct texts that tidying may
    change or that may label a total row."""
    if arrow_text(column):
        # Only texts that tidying may change, or that may label a total row, are made Python strings.
        present = column.notna().to_numpy()
        candidates, encoded = _candidates(column)
        return Texts(column, present, candidates, False, present, encoded)
    values = column.to_numpy(dtype=object)
    present = pd.notna(values)
    blanked = not present.all() and any(v is not None for v in values[~present])
    if blanked:
        values = np.where(present, values, None)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in NO_TEXT:
        return Texts(values, np.zeros(len(values), dtype=bool), np.array([], dtype=object), blanked, present)
    is_text = present if kind == "string" else (pd.Series(values, dtype=object).map(type) == str).to_numpy()
    return Texts(values, is_text, pd.unique(values[is_text]), blanked, present)


def _tidy(column: pd.Series, texts: Texts | None = None) -> tuple[pd.Series, pd.Series | None]:
    """Trim stray and non-breaking spaces; empty, dash-only and "N/A" cells become empty.

    Returns the tidied column and, where a cell was changed beyond its spaces, the cell as written (None when
    no cell was)."""
    values, is_text, distinct, blanked = (texts or _texts(column))[:4]
    if blanked:
        column = pd.Series(values, index=column.index, dtype=object)
    # Distinct texts that cannot change are found by Arrow; only the others are tidied one by one.
    distinct = distinct[_may_change(distinct)] if len(distinct) else distinct
    if not len(distinct):
        return column, None
    text, differs = _tidy_texts(pd.Series(distinct, dtype=object))
    after = text.to_numpy(dtype=object)
    moved = pd.isna(after) | (after != distinct)
    if not moved.any():
        return column, None
    # Only the cells whose text changes are looked up and replaced.
    if arrow_text(column):
        import pyarrow as pa
        import pyarrow.compute as pc

        array = arrow_array(column)
        at = pc.fill_null(pc.index_in(array, value_set=pa.array(distinct[moved], type=array.type)), -1).to_numpy()
        hit = at >= 0
        replaced = pc.if_else(hit, pa.array(after[moved], type=array.type).take(np.where(hit, at, 0)), array)
        tidied = pd.Series(replaced, index=column.index, dtype=ARROW_TEXT)
    else:
        at = pd.Index(distinct[moved], dtype=object).get_indexer(values)
        hit = (at >= 0) & is_text
        out = values.copy()
        out[hit] = after[moved][at[hit]]
        tidied = pd.Series(out, index=column.index, dtype=object)
    shown = differs.to_numpy(dtype=bool)[moved][np.where(hit, at, 0)] & hit
    if not shown.any():
        return tidied, None
    written = pd.Series(None, index=column.index, dtype=object)
    written[shown] = column[shown].to_numpy(dtype=object)
    return tidied, written


def to_sheet(grid: pd.DataFrame, table: Table, file: str, sheet: str, findings: Findings,
             path: Path | None = None, typed_cells: bool = True) -> Sheet | None:
    """Find the header, name the columns, drop empty and total rows, and number the rows as the user sees them."""
    where = {"file": file, "sheet": sheet}
    grid = grid.reset_index(drop=True)
    header_index, header = _header_row(grid, table)
    if header_index is None:
        expected = ", ".join(c.name for c in table.columns if c.required)
        findings.add(finding(Code.CP004, **where, expected=expected))
        return None
    by_key = {key: column.name for column in table.columns for key in column.keys}
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    header_row = header_index + 1
    for position, text in enumerate(header):
        if not text:
            continue
        canonical = by_key.get(header_key(text, by_key) or "")
        if canonical is None:
            findings.add(finding(Code.CP102, **where, row=header_row, column=text, table=table.name,
                                 column_number=position + 1))
        elif canonical in headers:
            findings.add(finding(Code.CP103, **where, row=header_row, column=text, canonical=canonical,
                                 other=headers[canonical], column_number=position + 1))
        else:
            headers[canonical] = " / ".join(line.strip() for line in text.splitlines() if line.strip())
            positions[canonical] = position
    for column in table.columns:
        if column.required and column.name not in headers:
            findings.add(finding(Code.CP101, **where, row=header_row, column=column.name, column_ar=column.label_ar))
    first_row = header_index + 1 + _more_header_rows(grid, header_index, table)
    below = grid.iloc[first_row:]
    required = [positions[c.name] for c in table.columns if c.required and c.name in positions]
    # Each column's distinct texts and empty cells are found once, for the search for merged cells, tidying,
    # and the search for empty and total rows.
    texts = {position: _texts(below.iloc[:, position]) for position in range(below.shape[1])}
    if typed_cells and required and len(below):
        # Merged cells come back empty but for their first cell; look for merges only where a required
        # cell is empty in a row that has something, so that clean sheets are read once.
        gap = np.logical_or.reduce([~texts[position].present for position in required])
        if (gap & np.logical_or.reduce([t.present for t in texts.values()])).any():
            ranges = merged_ranges(path, sheet)
            if ranges:
                grid = fill_merged(grid, ranges)
                below = grid.iloc[first_row:]
                texts = {position: _texts(below.iloc[:, position]) for position in range(below.shape[1])}
    body = below.iloc[:, list(positions.values())].copy()
    body.columns = list(positions)
    changed: dict[str, pd.Series] = {}
    encoded: dict[str, tuple[np.ndarray, object]] = {}
    present = []
    for name, position in positions.items():
        column = body[name]
        tidied, written = _tidy(column, texts[position])
        if tidied is not column:
            body[name] = tidied
            present.append(tidied.notna().to_numpy())
        else:  # a column left as it was read: its encoding holds (a tidied one's would not)
            present.append(texts[position].present)
            if texts[position].encoded is not None:
                encoded[name] = texts[position].encoded
        if written is not None:
            changed[name] = written
    filled = pd.Series(np.logical_or.reduce(present) if present else np.zeros(len(body), dtype=bool),
                       index=body.index)
    if not filled.all():
        body, changed = body[filled], {name: mask[filled] for name, mask in changed.items()}
    body.insert(0, ROW, body.index + 1)
    body = _drop_total_rows(body, below if len(body) == len(below) else below.loc[body.index], table, where,
                            findings, texts)
    keep = body.index
    kept = below.index.get_indexer(keep)  # the rows of below kept
    return Sheet(table, file, sheet, body.reset_index(drop=True), headers,
                 {c: p + 1 for c, p in positions.items()}, path, header_row, typed_cells,
                 {name: mask[keep].reset_index(drop=True) for name, mask in changed.items()},
                 encoded={name: _rows_kept(places, distinct, kept) for name, (places, distinct) in encoded.items()})


def _rows_kept(places: np.ndarray, distinct, kept: np.ndarray) -> tuple[np.ndarray, object]:
    """A column's encoding (Sheet.encoded) of the rows kept alone: a text only a row left out had (a total row's
    label, say) is left out of the distinct texts too, as the column read without an encoding would have it."""
    import pyarrow as pa

    places = places[kept]
    used = np.unique(places[places >= 0])
    if len(used) == len(distinct):
        return places, distinct
    renumbered = np.full(len(distinct), -1)
    renumbered[used] = np.arange(len(used))
    return np.where(places >= 0, renumbered[places], -1), distinct.take(pa.array(used))


def _total_words(distinct: np.ndarray) -> list:
    """The distinct texts of a column that label a total row."""
    texts = distinct
    if len(texts) > 64:
        import pyarrow as pa
        import pyarrow.compute as pc

        # No total word has a digit or more than 24 letters: Arrow sets those aside, Python reads the rest.
        array = pa.array(texts, type=pa.string())
        short = pc.and_(pc.less_equal(pc.utf8_length(array), 24), pc.invert(pc.match_substring_regex(array, "[0-9]")))
        texts = texts[short.to_numpy(zero_copy_only=False)]
    return [u for u in texts if _is_total_word(u)]


def _drop_total_rows(body: pd.DataFrame, cells: pd.DataFrame, table: Table, where: dict,
                     findings: Findings, texts: dict) -> pd.DataFrame:
    """Leave out rows labelled "Total" in any cell (said in a note), unless the row has an id of its own."""
    if body.empty:
        return body
    label = pd.Series(None, index=body.index, dtype=object)
    for position in range(cells.shape[1]):
        words = _total_words(texts[position].distinct)
        if not words:
            continue
        column = cells.iloc[:, position]
        hit = column[column.isin(words)]
        label[hit.index] = label[hit.index].where(label[hit.index].notna(), hit)
    is_total = label.notna()
    if table.id_column and table.id_column in body:
        ids = body[table.id_column]
        # The id column is tidied by now (" Total " reads "Total"): its label is compared both ways.
        labels = pd.Series(label.dropna().unique(), dtype=object)
        if len(labels):
            is_total &= ids.isna() | ids.isin([*labels, *_tidy_texts(labels)[0].dropna()])
    if not is_total.any():
        return body  # as it is: a selection of every row would still copy every column
    for index in is_total[is_total].index:
        findings.add(finding(Code.CP018, **where, row=int(body.at[index, ROW]), value=str(label[index]).strip()))
    return body[~is_total]


def _has_cells(grid: pd.DataFrame) -> bool:
    """Whether a sheet has anything in it; a sheet with a header says so in its first rows, unread below them."""
    if grid.empty:
        return False

    def filled(cell: object) -> bool:  # spaces alone are nothing, as tidying has it
        return cell.strip() != "" if isinstance(cell, str) else cell is not None and not pd.isna(cell)

    if any(filled(cell) for row in _top_rows(grid) for cell in row):
        return True
    rest = grid.iloc[HEADER_SEARCH_ROWS:]
    return bool(rest.notna().to_numpy().any()) and any(filled(cell) for cell in rest.to_numpy(dtype=object).ravel())


def table_named(name: str) -> Table | None:
    """The table a file or sheet name stands for: "cpfs", "CPFs May 2017", "الأنشطة" or "Activities_2017-05"."""
    folded = fold(name)
    exact = next((t for t in TABLES.values() if folded in t.keys), None)
    if exact is not None:
        return exact
    words = f"_{folded}_"
    found = {t.name for t in TABLES.values() for key in t.keys if key and f"_{key}_" in words}
    return TABLES[found.pop()] if len(found) == 1 else None


@dataclass
class FileRead:
    """What one file gives, depending on its name and bytes alone: its sheets and findings, in the order made."""

    events: list  # Finding or Sheet, in the order they were made
    counted: bool = True  # the file is one of the tables' files (Loaded.files)
    unreadable: set[str] = field(default_factory=set)  # tables whose file or sheet could not be read


def read_file(path: Path, table: Table | None, raw: bytes | None = None) -> FileRead:
    """Read one file of the data folder (its bytes, when already read) into the sheets of the tables it holds."""
    events: list = []
    try:
        if raw is None and path.stat().st_size == 0 or raw == b"":
            raise Unreadable(Code.CP008)
        grids, typed_cells = read_grids(path, raw)
    except (Unreadable, OSError) as error:
        code = error.code if isinstance(error, Unreadable) else Code.CP001
        detail = error.detail if isinstance(error, Unreadable) else (error.strerror or type(error).__name__)
        return FileRead([finding(code, file=path.name, detail=detail)], True, {table.name} if table else set())
    named = {name: table_named(name) for name in grids}
    if table is None and not any(named.values()):
        return FileRead([finding(Code.CP002, file=path.name)], False)
    if table is not None:
        # A file named after a table: the sheet of that name, else its first sheet with anything in it.
        sheet_name = next((n for n, t in named.items() if t is table), None)
        if sheet_name is None:
            # Else the sheet whose header names most of the table's columns (an "Instructions"
            # sheet may come first), the first such on a tie.
            scores = {n: header_score(g, table)[1] for n, g in grids.items()}
            sheet_name = max(scores, key=scores.get) if any(scores.values()) else next(
                (n for n, g in grids.items() if _has_cells(g)), next(iter(grids)))
        selected = {sheet_name: table}
    else:
        selected = {n: t for n, t in named.items() if t is not None}
    unreadable: set[str] = set()
    for sheet_name, sheet_table in selected.items():
        grid = grids[sheet_name]
        if not _has_cells(grid):
            events.append(finding(Code.CP008, file=path.name, sheet=sheet_name))
            unreadable.add(sheet_table.name)
            continue
        found = Findings()
        sheet = to_sheet(grid, sheet_table, path.name, sheet_name, found, path, typed_cells)
        events.extend(found)
        if sheet is None:
            unreadable.add(sheet_table.name)
        else:
            events.append(sheet)
    return FileRead(events, True, unreadable)


def load(data: Path, reader: Callable[[Path, Table | None], FileRead] = read_file) -> Loaded:
    """Read every table found in the data folder: files named after a table, or sheets named after one.

    `reader` reads one file; the parse cache (cache.py) gives one that reuses what an unchanged file gave."""
    findings = Findings()
    sheets: dict[str, Sheet] = {}
    files: list[Path] = []
    if not data.is_dir():
        findings.add(finding(Code.CP009, detail=str(data)))
        return Loaded(sheets, findings)
    unreadable: set[str] = set()  # tables whose file could not be read: one finding is enough

    def keep(sheet: Sheet) -> None:
        name = sheet.table.name
        if name in sheets:
            first = sheets[name]
            findings.add(finding(Code.CP006, file=sheet.file, sheet=sheet.sheet, table=name,
                                 other=f"{first.file} {first.sheet}".strip()))
        else:
            sheets[name] = sheet

    others: list[str] = []
    for path in sorted(p for p in data.iterdir() if p.is_file()):
        suffix = path.suffix.lower()
        if path.name.startswith("."):
            continue
        if path.name.startswith("~$"):
            findings.add(finding(Code.CP007, file=path.name))
            continue
        if suffix not in SPREADSHEETS:
            if suffix not in OWN_FILES:
                others.append(path.name)
            continue
        table = table_named(path.stem)
        if table is None and suffix in TEXT_FILES:
            findings.add(finding(Code.CP002, file=path.name))
            continue
        read = reader(path, table)
        if read.counted:
            files.append(path)
        unreadable |= read.unreadable
        for event in read.events:
            if isinstance(event, Sheet):
                keep(event)
            else:
                findings.add(event)
    if others:
        findings.add(finding(Code.CP019, detail=", ".join(others)))
    for name in TABLES:
        if name not in sheets and name not in unreadable:
            findings.add(finding(Code.CP003, table=name, severity="warning" if name == "displacement" else None))
    return Loaded(sheets, findings, files)
