"""What a workbook's XML holds, counted a piece at a time before the workbook reader sees it (limits.py judges
it): each sheet's span of rows, widest row and longest cell, and the shared texts with their sizes and the
cells that copy them. Nothing is kept but the counts; NumPy and a few searches look at each 4 MB piece at
once, no cell one by one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


# A part's XML is read PIECE_BYTES at a time, each piece cut just before a '<', so that no tag is split between
# two pieces and every search below sees whole tags. Nothing of a piece is kept once it is counted.
PIECE_BYTES = 4 << 20


def pieces(stream, head: bytes, prefix: bytes = b""):
    """The XML of a part (head: what was already read of it) in pieces that each start at a '<'. A prefixed
    namespace (<x:row>, as some programs write) is dropped, so that the searches see every element alike."""
    carry = head
    while True:
        chunk = stream.read(PIECE_BYTES)
        data = carry + chunk if carry else chunk
        if not chunk:
            if data:
                yield _unprefixed(data, prefix)
            return
        cut = data.rfind(b"<")
        if cut <= 0 and len(data) <= 2 * PIECE_BYTES:
            carry = data  # one long text so far: measured once its end is read, or once it is long enough
            continue
        cut = cut if cut > 0 else len(data)
        yield _unprefixed(data[:cut], prefix)
        carry = data[cut:]


def _unprefixed(piece: bytes, prefix: bytes) -> bytes:
    return piece.replace(b"<" + prefix + b":", b"<").replace(b"</" + prefix + b":", b"</") if prefix else piece


def longest_text(piece: bytes) -> int:
    """The longest run of bytes between two '<' of a piece: the longest cell value (or attribute) it holds, as
    bytes of XML. NumPy finds the '<' of a 4 MB piece in a few milliseconds; no cell is looked at one by one."""
    import numpy as np

    at = np.flatnonzero(np.frombuffer(piece, np.uint8) == 60)
    if not len(at):
        return len(piece)
    inner = int(np.diff(at).max()) if len(at) > 1 else 0
    return max(int(at[0]), len(piece) - int(at[-1]), inner)


@dataclass
class Texts:
    """What a workbook's shared texts hold: the bytes of XML of each, in their order (cells name them by it)."""

    sizes: object = None  # a NumPy array, one size per text; None for a workbook without shared texts
    size: int = 0  # the bytes of their part

    def copies(self, numbers: list[bytes]) -> int:
        """The bytes of the texts that cells naming them by these numbers hold: the reader copies a shared text
        into every cell that uses it. A number past the texts names none (the reader says the file is damaged)."""
        if self.sizes is None or not numbers:
            return 0
        import numpy as np

        named = np.array(numbers).astype(np.int64)
        return int(self.sizes[named[named < len(self.sizes)]].sum())


PREFIX = re.compile(rb'<(\w+):(?:worksheet|sst)\b')


def text_starts(piece: bytes):
    """Where each shared text (<si>, <si ...>) of a piece starts, found by NumPy from the piece's '<'."""
    import numpy as np

    data = np.frombuffer(piece + b"\0" * 8, np.uint8)
    at = np.flatnonzero(data[:len(piece)] == 60)
    at = at[(data[at + 1] == ord("s")) & (data[at + 2] == ord("i"))]
    return at[np.frombuffer(NAME_END_BYTES, bool)[data[at + 3]]].astype(np.int64)


# A cell's or a row's place in a sheet's XML: <c r="AB12" ...> and <row r="12" ...> (no other element of the
# sheet data has an attribute named r), as every program writes them, and in any other form a file may take.
ANY_ROW_PLACE = re.compile(rb'<row\b[^>]*?\sr\s*=\s*["\'](\d{1,12})["\']')
ANY_CELL_PLACE = re.compile(rb'<c\b[^>]*?\sr\s*=\s*["\']([A-Za-z]+)\d')
SHARED_CELL = re.compile(rb't\s*=\s*["\']s["\'][^>]*>\s*<v>\s*(\d{1,10})')  # a cell naming a shared text
# A row hidden in the sheet (<row r="12" hidden="1">): by hand, or by a filter.
HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\shidden\s*=\s*["\'](?:1|true)["\'][^>]*>')
ROW_NUMBER = re.compile(rb'\sr\s*=\s*["\'](\d{1,7})["\']')
# Columns hidden in the sheet (<col min="7" max="8" hidden="1"/>).
HIDDEN_COLUMNS = re.compile(rb'<col\b[^>]*?\shidden\s*=\s*["\'](?:1|true)["\'][^>]*>')
COLUMN_SPAN = (re.compile(rb'\smin\s*=\s*["\'](\d{1,5})["\']'), re.compile(rb'\smax\s*=\s*["\'](\d{1,5})["\']'))
# A cell holding a formula and no result (<c r="B2"><f>SUM(C2:H2)</f></c>, or a shared formula's <f .../>): a
# workbook written by a program and never opened in a spreadsheet. The reader reads it as empty.
UNSAVED_FORMULA = re.compile(rb'<c\b[^>]*?\sr\s*=\s*["\']([A-Za-z]{1,3})(\d{1,7})["\'][^>]*>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)'
                             rb'\s*(?:<v\s*/>|<v>\s*</v>\s*)?</c>')


# A cell holding one of Excel's errors (<c r="J35" t="e"><f>1/0</f><v>#DIV/0!</v></c>): the reader reads it as
# empty, which would leave a count out of the figures unsaid. Its place and its text, for the load stage to put
# back into the grid as it shows in Excel.
ERROR_CELL = re.compile(rb'<c\b([^>]*?\st\s*=\s*["\']e["\'][^>]*)>(?:(?!</c>).)*?<v>([^<]{1,16})</v>', re.S)
CELL_PLACE = re.compile(rb'\sr\s*=\s*["\']([A-Za-z]{1,3})(\d{1,7})["\']')
ERRORS_KEPT = 10_000  # a sheet of more error cells says so with these; the rest read as empty


@dataclass
class Held:
    """What one sheet's XML holds, counted as it is read: the span of its rows, its widest row, its texts."""

    name: str
    size: int = 0  # the bytes of its XML
    top: int = 0  # the first and last row numbers the sheet gives (0: none)
    bottom: int = 0
    unplaced_rows: int = 0  # rows written without their number, each after the one before
    width: int = 1  # the widest column a cell is placed in, or the most cells of a row
    copies: int = 0  # the bytes of the shared texts its cells hold, each copied into the cell
    longest: int = 0  # the longest text of a cell, in bytes of XML
    unsaved: int = 0  # cells holding a formula whose result was never saved (read as empty)
    first_unsaved: tuple[str, int] | None = None  # the first of them: its column letters and row
    hidden_rows: list[int] | None = None  # the numbers of the rows hidden in the sheet (by hand or by a filter)
    hidden_columns: set[int] | None = None  # the numbers (from 1) of the columns hidden in the sheet
    errors: list[tuple[int, int, str]] | None = None  # cells holding an Excel error: row, column (from 1), text

    @property
    def height(self) -> int:
        """The rows of the grid the reader lays out: from the first row to the last, and the rows without a
        number after them (as many as there are: the most they can add)."""
        if not self.top:
            return self.unplaced_rows
        return self.bottom - (1 if self.unplaced_rows else self.top) + 1 + self.unplaced_rows

    def add(self, piece: bytes, texts: Texts) -> None:
        tags = _tags(piece)
        numbers = tags.numbers
        if tags.odd:  # a row or a cell placed otherwise than <row r="12" and <c r="AB12" first, or not at all
            import numpy as np

            numbers = np.array(ANY_ROW_PLACE.findall(piece) or [b"0"]).astype(np.int64)
            numbers = numbers[numbers > 0]
            wide = ANY_CELL_PLACE.findall(piece)
            self.width = max(self.width, max(map(column_number, set(wide)), default=1), _widest_row(piece))
        if len(numbers):
            low, high = int(numbers.min()), int(numbers.max())
            self.top = min(self.top, low) if self.top else low
            self.bottom = max(self.bottom, high)
        self.unplaced_rows += max(tags.rows - len(numbers), 0)
        self.longest = max(self.longest, tags.longest)
        self.width = max(self.width, tags.widest)
        if texts.sizes is not None:
            self.copies += texts.copies(SHARED_CELL.findall(piece))
        if b"hidden" in piece:
            numbers = [int(m.group(1)) for tag in HIDDEN_ROW.findall(piece) if (m := ROW_NUMBER.search(tag))]
            if numbers:
                self.hidden_rows = (self.hidden_rows or []) + numbers
            for tag in HIDDEN_COLUMNS.findall(piece):
                low, high = (m.group(1) if (m := span.search(tag)) else None for span in COLUMN_SPAN)
                if low and high and int(high) - int(low) < 16384:
                    self.hidden_columns = (self.hidden_columns or set()) | set(range(int(low), int(high) + 1))
        if (b't="e"' in piece or b"t='e'" in piece) and len(self.errors or ()) < ERRORS_KEPT:
            for attributes, text in ERROR_CELL.findall(piece):
                place = CELL_PLACE.search(attributes)
                if place:
                    self.errors = self.errors or []
                    self.errors.append((int(place.group(2)), column_number(place.group(1)),
                                        text.decode("utf-8", "replace").strip()))
        if tags.formulas:
            unsaved = UNSAVED_FORMULA.findall(piece)
            if unsaved and self.first_unsaved is None:
                self.first_unsaved = (unsaved[0][0].decode("ascii").upper(), int(unsaved[0][1]))
            self.unsaved += len(unsaved)
            # Each is put in the grid as its formula ("=SUM(C2:H2)"): a count that holds one is said as not a count,
            # never read as an empty cell.
            for letters, row, formula in unsaved[:max(ERRORS_KEPT - len(self.errors or ()), 0)]:
                self.errors = self.errors or []
                shown = "=" + (formula.decode("utf-8", "replace").strip() or "…")
                self.errors.append((int(row), column_number(letters), shown[:64]))


# By byte: 1 for what may follow a tag's name (<c>, <c/>, <c r=...), 0 for what would make it another name (<cols>).
NAME_END_BYTES = bytes(b in b" \t\r\n>/" for b in range(256))


@dataclass
class Tags:
    longest: int  # the longest run of bytes between two '<': the longest cell value or attribute, in bytes of XML
    widest: int  # the widest column a cell is placed in
    rows: int  # the rows of the piece (<row ...>)
    numbers: object  # the row numbers they give, as a NumPy array
    odd: bool  # a row or a cell placed otherwise than <row r="12" and <c r="AB12" first (or not at all)
    formulas: bool  # whether the piece holds a formula (<f>, <f .../>)


def _tags(piece: bytes) -> Tags:
    """What the '<' of a piece tell, found by NumPy in a few milliseconds and read where they stand (no cell or
    row looked at one by one): the longest run of bytes between two, the rows and the numbers they give, and the
    widest column a cell names, for rows and cells written as every program writes them (<row r="12",
    <c r="AB12"): any other form, or none, is told, and the piece is then searched for places in any form."""
    import numpy as np

    data = np.frombuffer(piece + b"\0" * 16, np.uint8)
    at = np.flatnonzero(data[:len(piece)] == 60)
    if not len(at):
        return Tags(len(piece), 1, 0, np.zeros(0, np.int64), False, False)
    inner = int(np.diff(at).max()) if len(at) > 1 else 0
    longest = max(int(at[0]), len(piece) - int(at[-1]), inner)
    name_end = np.frombuffer(NAME_END_BYTES, bool)
    named = data[at + 1]  # each tag's first letter
    rows = at[named == ord("r")]
    rows = rows[(data[rows + 2] == ord("o")) & (data[rows + 3] == ord("w"))]
    rows = rows[name_end[data[rows + 4]]]
    numbered = rows[(data[rows + 4] == 32) & (data[rows + 5] == 114) & (data[rows + 6] == 61) & (data[rows + 7] == 34)]
    numbers, digits = _number(data, numbered + 8, 7, 48, 10)
    cells = at[named == ord("c")]
    cells = cells[name_end[data[cells + 2]]]  # <c> <c/> <c ...: cells
    placed = cells[(data[cells + 2] == 32) & (data[cells + 3] == 114) & (data[cells + 4] == 61)
                   & (data[cells + 5] == 34)]
    columns, letters = _number(data, placed + 6, 3, 64, 26, 0xDF)
    odd = len(numbered) < len(rows) or len(placed) < len(cells) or bool((digits > 7).any() or (letters > 3).any())
    widest = int(columns.max()) if len(columns) else 1
    # Told from the '<' already found: searching the piece's bytes for "<f" took 5 ms of each 4 MB piece.
    formulas = bool(name_end[data[at[named == ord("f")] + 2]].any())
    return Tags(longest, widest, len(rows), numbers, odd, formulas)


def _number(data, where, most: int, zero: int, base: int, mask: int = 0xFF):
    """The numbers written at these places, in digits (base 10, from "0") or column letters (base 26, from "A",
    either case), as NumPy reads them all at once; and how many digits each has (most + 1: more than `most`)."""
    import numpy as np

    number = np.zeros(len(where), np.int64)
    going = np.ones(len(where), bool)
    count = np.zeros(len(where), np.int64)
    low = 0 if base == 10 else 1
    for step in range(most + 1):
        value = (data[where + step] & mask).astype(np.int64) - zero
        going &= (value >= low) & (value < low + base)
        if step == most:
            count[going] = most + 1
            break
        number = np.where(going, number * base + value, number)
        count += going
    return number, count


def _widest_row(piece: bytes) -> int:
    """The most cells of one row of a piece (for cells written without their place), counted by NumPy: each
    '<' of the piece is told a cell's or a row's, and the cells are counted by the row they follow."""
    import numpy as np

    data = np.frombuffer(piece + b"\0" * 8, np.uint8)
    at = np.flatnonzero(data[:len(piece)] == 60)
    ends = np.frombuffer(NAME_END_BYTES, bool)
    cells = (data[at + 1] == ord("c")) & ends[data[at + 2]]
    rows = (data[at + 1] == ord("r")) & (data[at + 2] == ord("o")) & (data[at + 3] == ord("w")) & ends[data[at + 4]]
    if not cells.any():
        return 1
    # The cells before the piece's first row belong to the row the piece before ended in: counted alone, so a
    # row cut between two pieces is only ever counted short by what the piece before held of it.
    return int(np.bincount(np.cumsum(rows)[cells]).max())


def column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number
