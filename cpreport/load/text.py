"""Text files (CSV, TSV): decoding, the delimiter, and the grid of cells as written."""
from __future__ import annotations

import codecs
import csv
import io
from typing import NamedTuple

import numpy as np
import pandas as pd

from ..decoding import decoded, utf16
from ..findings import Code
from .limits import Limits, check_cells, check_columns
from .sheets import HEADER_SEARCH_ROWS, Unreadable


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


def text_grid(raw: bytes, encoding: str | None = None, separator: str | None = None,
              limits: Limits = Limits()) -> pd.DataFrame:
    """A text file's cells as written; encoding and separator when the config gives them, else sniffed."""
    if encoding is not None:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise Unreadable(Code.CP001, f"not {encoding} at byte {error.start}") from None
        return _grid_of_text(text.removeprefix("\ufeff"), False, separator, limits)
    is_utf16 = utf16(raw)
    if b"\x00" in raw[:4096] and not is_utf16:
        raise Unreadable(Code.CP001, "binary content, not text")
    if not is_utf16:
        # Most CSVs are UTF-8: Arrow's parser reads the bytes as they are (and refuses them if they are not).
        body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
        start = body[:1 << 17].decode("utf-8", errors="ignore")
        grid = _arrow_grid(start, body, separator or delimiter(start), limits)
        if grid is not None:
            return grid
    mixed: list[int] = []
    text, utf8 = decoded(raw, mixed)
    grid = _grid_of_text(text, utf8, separator, limits)
    if mixed:
        grid.attrs["windows_1256_lines"] = mixed  # said by the load stage (CP024)
    return grid


class TextHead(NamedTuple):
    """A UTF-8 CSV's first records as the csv module reads them, and where each ends in the file's bytes."""

    grid: pd.DataFrame  # the records as a sheet's first rows (empty cells None)
    separator: str
    width: int  # the table's: most records have it
    ends: list[int]  # the byte in body after each record
    body: bytes  # the file's bytes after a byte-order mark


def text_head(raw: bytes, limits: Limits = Limits()) -> TextHead | None:
    """A CSV's first records, enough to find its header, with where the rest of it begins in its bytes; None for a
    file that is not UTF-8 text, or whose records the csv module reads otherwise than its bytes."""
    from itertools import accumulate, islice

    if utf16(raw) or b"\x00" in raw[:4096]:
        return None
    body = raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8) else raw
    start = body[:1 << 17].decode("utf-8", errors="ignore")
    separator = delimiter(start)
    reader = csv.reader(io.StringIO(start, newline=""), delimiter=separator)
    records, lines = [], []
    for record in islice(reader, HEADER_SEARCH_ROWS + 10):
        records.append(record)
        lines.append(reader.line_num)
    widths = [len(record) for record in records if len(record) > 1]
    if not widths:
        return None
    check_columns(max(map(len, records)), limits)
    width = max(set(widths), key=widths.count)
    texts = list(islice(io.StringIO(start, newline=""), lines[-1]))
    sizes = list(accumulate(len(text.encode("utf-8")) for text in texts))
    ends = [sizes[line - 1] for line in lines]
    if body[:ends[-1]] != "".join(texts[:lines[-1]]).encode("utf-8"):
        return None
    wide = max(map(len, records))
    cells = [[r[n] if n < len(r) and r[n] != "" else None for n in range(wide)] for r in records]
    return TextHead(pd.DataFrame(cells, dtype=object), separator, width, ends, body)


def _grid_of_text(text: str, utf8: bool, separator: str | None = None, limits: Limits = Limits()) -> pd.DataFrame:
    separator = separator or delimiter(text)
    if not utf8:  # UTF-16 or Windows-1256: the text, encoded as UTF-8 for Arrow's parser
        grid = _arrow_grid(text, text.encode("utf-8"), separator, limits)
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
        check_columns(width, limits)
        check_cells(len(rows), width, limits)
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


# Arrow's CSV parser reads what it takes (below); False reads every CSV with pandas' parser and the csv module
# alone, which the tests hold to the same tables and findings.
ARROW_PARSER = True


def _arrow_grid(start: str, utf8: bytes, separator: str, limits: Limits = Limits()) -> pd.DataFrame | None:
    """A CSV read by Arrow's parser from its UTF-8 bytes (start: the beginning of its text): every cell as written,
    empty ones missing, blank lines kept as empty rows so that rows keep their numbers. Title lines above the
    table, narrower or wider than it, are read by the csv module and the table below them by Arrow. None for a
    file Arrow's parser does not take (rows of different lengths within the table, bytes that are not UTF-8)."""
    if not ARROW_PARSER:
        return None
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
    check_columns(max(map(len, top)), limits)
    width = max(set(widths), key=widths.count) if widths else len(top[0])  # the table's: most records have it
    skip = next(i for i, record in enumerate(top) if len(record) == width)
    offset = 0
    if skip:
        # The table starts after the title lines: Arrow reads the bytes from there, if they are what was decoded.
        title = "".join(io.StringIO(start, newline="").readlines()[:lines[skip - 1]]).encode("utf-8")
        if utf8[:len(title)] != title:
            return None
        offset = len(title)
    # A line break inside a cell can only be quoted: a file without a quote is read without looking for one
    # (a quarter of Arrow's time at a million rows).
    table = _arrow_table(memoryview(utf8)[offset:], width, separator, quoted=utf8.find(b'"', offset) >= 0)
    if table is None:
        return None
    check_cells(table.num_rows, width, limits)
    wide = max([width, *map(len, top[:skip])])
    # Arrow reads a file in blocks, a chunk each: every column is joined into one array here, once, where each
    # check that reads a column's bytes would otherwise join it again.
    grid = arrow_frame(table)
    for n in range(width, wide):
        grid[n] = pd.Series(np.nan, index=grid.index, dtype=ARROW_TEXT)
    if not skip:
        return grid
    titles = pd.DataFrame({n: pd.Series([r[n] if n < len(r) and r[n] != "" else None for r in top[:skip]],
                                        dtype=ARROW_TEXT) for n in range(wide)})
    grid = pd.concat([titles, grid], ignore_index=True)
    return pd.DataFrame({n: pd.Series(arrow_array(grid[n]), dtype=ARROW_TEXT) for n in grid.columns})


def arrow_frame(table) -> pd.DataFrame:
    """An Arrow table of text as pandas' text columns, numbered from 0, each in one chunk: made by Arrow in one call
    (10,000 rows of 15 columns: 0.7 ms, against 2.9 ms for a pandas Series made of each column)."""
    import pyarrow as pa

    grid = table.combine_chunks().to_pandas(types_mapper={pa.large_string(): ARROW_TEXT}.get)
    grid.columns = pd.RangeIndex(table.num_columns)
    return grid


def _arrow_table(data, width: int, separator: str, quoted: bool = True):
    """Arrow's reading of a CSV's table of width cells a row, every cell as text; None if it is not one."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [str(n) for n in range(width)]
    try:
        # Large strings, as pandas' text type holds them: the columns become pandas text without a copy.
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=separator, newlines_in_values=quoted, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.large_string()), null_values=[""],
                                                 strings_can_be_null=True, quoted_strings_can_be_null=True))
    except (pa.ArrowInvalid, ValueError):
        return None
    return table


def _blank_to_none(grid: pd.DataFrame) -> pd.DataFrame:
    grid = grid.astype(object)
    return grid.where(grid.notna() & (grid != ""), None)
