"""Old Excel workbooks (.xls, BIFF): what each sheet declares and where its cells are, read from the file's bytes
before the workbook reader sees them (limits.py judges them).

The workbook reader sets aside room for the range a sheet declares (its DIMENSIONS record) and lays its cells out
as a grid from the first to the last: a 4 KB .xls declaring 4 billion rows, or holding one cell in column 65,534
(the format has 256), makes it ask for terabytes at once and abort the process. The format's own grid is 65,536
rows of 256 columns; anything past it is a damaged or forged file.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREE, END = 0xFFFFFFFF, 0xFFFFFFFE
ROWS, COLUMNS = 65_536, 256  # the grid of a BIFF8 sheet

BOUNDSHEET, DIMENSIONS, EOF = 0x0085, 0x0200, 0x000A
# Records of one cell, which start with its row and column (2 bytes each): FORMULA, LABELSST, NUMBER, BLANK, LABEL,
# BOOLERR, RK, RSTRING; MULRK and MULBLANK hold a run of cells of one row, their last column in their last 2 bytes.
CELLS = frozenset((0x0006, 0x00FD, 0x0203, 0x0201, 0x0204, 0x0205, 0x027E, 0x00D6))
RUNS = frozenset((0x00BD, 0x00BE))


class Damaged(Exception):
    """Not a container the format allows: the reader says what it can."""


def workbook_stream(raw: bytes) -> bytes | None:
    """The Workbook stream of an OLE compound file (the container of .xls), or None if it holds none."""
    import numpy as np

    if len(raw) < 512 or not raw.startswith(OLE_MAGIC):
        raise Damaged
    shift, mini_shift = struct.unpack_from("<HH", raw, 0x1E)
    if not 7 <= shift <= 16 or not 2 <= mini_shift < shift:
        raise Damaged
    size = 1 << shift
    fat_count, first_directory = struct.unpack_from("<II", raw, 0x2C)
    cutoff, first_mini_fat, _, first_difat, difat_count = struct.unpack_from("<IIIII", raw, 0x38)
    sectors = (len(raw) - 512) // size + 1

    def sector(number: int) -> bytes:
        if number >= sectors:
            raise Damaged
        return raw[512 + number * size: 512 + (number + 1) * size]

    def words(data: bytes) -> list[int]:
        return np.frombuffer(data[:len(data) // 4 * 4], "<u4").tolist()

    difat, at, seen = words(raw[0x4C:0x200]), first_difat, 0
    while at not in (FREE, END) and seen <= min(difat_count, sectors):
        more = words(sector(at))
        difat += more[:-1]
        at, seen = more[-1], seen + 1
    if fat_count > len(difat) or fat_count > sectors:
        raise Damaged
    fat = words(b"".join(sector(n) for n in difat[:fat_count]))

    def chain(start: int, table: list[int]) -> list[int]:
        found = []
        while start not in (FREE, END):
            if start >= len(table) or len(found) > len(table):
                raise Damaged  # past the table, or a loop
            found.append(start)
            start = table[start]
        return found

    directory = b"".join(sector(n) for n in chain(first_directory, fat))
    entries = []
    for at in range(0, len(directory) - 127, 128):
        length, kind = struct.unpack_from("<HB", directory, at + 64)
        name = directory[at:at + max(min(length, 64) - 2, 0)].decode("utf-16-le", "replace")
        start, stream_size = struct.unpack_from("<IQ", directory, at + 116)
        entries.append((name, kind, start, stream_size & 0xFFFFFFFF if shift == 9 else stream_size))
    if not entries:
        raise Damaged
    for name, kind, start, stream_size in entries:
        if kind == 2 and name in ("Workbook", "Book"):
            if stream_size > len(raw):
                raise Damaged
            if stream_size >= cutoff:
                return b"".join(sector(n) for n in chain(start, fat))[:stream_size]
            mini = b"".join(sector(n) for n in chain(entries[0][2], fat))
            mini_fat = words(b"".join(sector(n) for n in chain(first_mini_fat, fat)))
            step = 1 << mini_shift
            return b"".join(mini[n * step:(n + 1) * step] for n in chain(start, mini_fat))[:stream_size]
    return None


def _records(stream: bytes, at: int):
    """The records of a substream from `at` to its EOF: (kind, where its body starts, its length)."""
    while at + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, at)
        yield kind, at + 4, length
        if kind == EOF:
            return
        at += 4 + length


def sheets(stream: bytes) -> list[tuple[str, int, int, int]]:
    """Each sheet's name, declared rows and columns (its DIMENSIONS record) and where its records start."""
    starts = [(_sheet_name(stream, body, length), struct.unpack_from("<I", stream, body)[0])
              for kind, body, length in _records(stream, 0) if kind == BOUNDSHEET and length >= 4]
    found = []
    for name, start in starts:
        declared = (0, 0)
        for kind, body, length in _records(stream, start):
            if kind == DIMENSIONS and length >= 14:  # BIFF8: rows in 4 bytes
                first_row, last_row, first_column, last_column = struct.unpack_from("<IIHH", stream, body)
                declared = (max(last_row - first_row, 0), max(last_column - first_column, 0))
                break
            if kind == DIMENSIONS and length >= 10:  # BIFF5 and older: rows in 2 bytes
                first_row, last_row, first_column, last_column = struct.unpack_from("<HHHH", stream, body)
                declared = (max(last_row - first_row, 0), max(last_column - first_column, 0))
                break
            if kind in CELLS or kind in RUNS:
                break  # the range comes before the cells, if at all
        found.append((name, *declared, start))
    return found


def _sheet_name(stream: bytes, body: int, length: int) -> str:
    """A BOUNDSHEET record's sheet name: its length in characters, then whether they take two bytes each."""
    if length < 8:
        return ""
    characters, wide = stream[body + 6], stream[body + 7] & 1
    text = stream[body + 8:body + min(length, 8 + characters * (2 if wide else 1))]
    return text.decode("utf-16-le" if wide else "latin-1", "replace")


# Excel's errors by their code in a BOOLERR or FORMULA record, as Excel shows them.
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
          0x2A: "#N/A"}
FORMULA, BOOLERR, ROW, COLINFO = 0x0006, 0x0205, 0x0208, 0x007D
ERRORS_KEPT = 10_000


@dataclass
class Marks:
    """What a sheet's records say that its cells, as the reader gives them, do not: cells holding an error (read as
    empty), rows and columns hidden. Rows and columns are numbered from 1, as Excel shows them."""

    errors: list = field(default_factory=list)  # (row, column, text)
    hidden_rows: list = field(default_factory=list)
    hidden_columns: set = field(default_factory=set)


def span(stream: bytes, start: int, marks: Marks | None = None) -> tuple[int, int]:
    """The rows and columns a sheet's cells span, from its first row and column to its last cell's: its records
    walked one by one (each cell is a record of its own, so this is a step per cell, bounded by the format's
    grid; 0.5 to 1.5 s for a sheet of 65,000 rows of 15 columns, where the reader takes 1.2 s). `marks`, when
    given, gets the cells holding an error and the hidden rows and columns met on the way."""
    unpack, last_column = struct.Struct("<HHHH").unpack_from, struct.Struct("<H").unpack_from
    at, end, bottom, right = start, len(stream) - 8, -1, -1
    while at <= end:
        kind, length, row, column = unpack(stream, at)
        if kind in CELLS:
            bottom, right = max(bottom, row), max(right, column)
            if marks is not None and kind in (FORMULA, BOOLERR):
                _error(stream, at + 4, kind, length, row, column, marks)
        elif kind in RUNS and length >= 6:
            bottom, right = max(bottom, row), max(right, last_column(stream, at + 2 + length)[0])
        elif kind == EOF:
            break
        elif marks is not None and kind == ROW and length >= 16 and stream[at + 4 + 12] & 0x20:
            marks.hidden_rows.append(row + 1)  # fDyZero: the row hidden, by hand or by a filter
        elif marks is not None and kind == COLINFO and length >= 10 and stream[at + 4 + 8] & 0x01:
            first, last = row, column  # a COLINFO starts with its first and last column
            if last - first < COLUMNS:
                marks.hidden_columns.update(range(first + 1, min(last, COLUMNS - 1) + 2))
        at += 4 + length
    return bottom + 1, right + 1


def _error(stream: bytes, body: int, kind: int, length: int, row: int, column: int, marks: Marks) -> None:
    """A BOOLERR holding an error (its flag byte 1), or a FORMULA whose saved result is one (type byte 2 and
    0xFFFF in its last two bytes of result)."""
    if len(marks.errors) >= ERRORS_KEPT:
        return
    code = None
    if kind == BOOLERR and length >= 8 and stream[body + 7] == 1:
        code = stream[body + 6]
    elif kind == FORMULA and length >= 14 and stream[body + 6] == 2 and stream[body + 12:body + 14] == b"\xff\xff":
        code = stream[body + 8]
    if code is not None:
        marks.errors.append((row + 1, column + 1, ERRORS.get(code, "#N/A")))
