"""Bounded cost: what a file may declare and hold before cpreport reads it, checked before anything is allocated.

A small file can ask for a great deal: a 4.5 KB workbook declaring four billion shared strings makes the workbook
reader ask for 100 GB at once (and abort the process), a 2 MB workbook can inflate to gigabytes of cells, a
10 MB line of commas is ten million columns. Each such file ends in a finding (CP025, or CP016 for a workbook that
declares more than it holds) naming what is too large, never in an abort. The limits are generous for real
sheets and adjustable under [limits] in the config.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..contract import LIMIT_KEYS, Limits  # noqa: F401 - the limits, kept where the config reads them
from ..findings import Code
from .sheets import Unreadable
from .xlsx import PREFIX, Held, Texts, column_number, longest_text, pieces, text_starts


# A part of a workbook inflating more than this many times its packed size, and to more than BOMB_BYTES, is built
# to inflate (sheets of real cells pack 5 to 20 times).
BOMB_RATIO, BOMB_BYTES = 200, 64 << 20
# XML packs at least this well: a deflated part declaring less is lying about its size, and is checked by inflating.
LEAST_RATIO = 2.5
SHARED_STRING_BYTES = 5  # "<si/>": a shared string takes at least this many bytes of its part


def too_large(what: str) -> Unreadable:
    return Unreadable(Code.CP025, what)


def check_file_size(size: int, limits: Limits) -> None:
    if size > limits.file_bytes:
        raise too_large(f"{size:,} bytes, more than the {limits.file_bytes:,} a file may have (file_bytes)")


def check_workbook(raw: bytes, limits: Limits) -> dict[str, Held]:
    """A workbook's parts, before the workbook reader sees them: declared sizes within the limits, no part built to
    inflate, no part inflating to more than it declares, its shared texts and each sheet's cells as they are
    (counted, not kept), and the memory the reader would take to hold them all within reader_bytes. What each
    sheet holds, by its name."""
    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
        parts = book.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise Unreadable(Code.CP016) from None
    total = 0
    texts = Texts()
    for part in parts:
        size, packed = part.file_size, max(part.compress_size, 1)
        total += size
        if size > limits.file_bytes or total > 2 * limits.file_bytes:
            raise too_large(f"its part {part.filename} inflates to {size:,} bytes, more than the "
                            f"{limits.file_bytes:,} a file may have (file_bytes)")
        if size > BOMB_BYTES and size / packed > BOMB_RATIO:
            raise too_large(f"its part {part.filename} inflates {size // packed:,} times, to {size:,} bytes: it is "
                            "built to fill the memory, not to hold a sheet")
        if part.compress_type != zipfile.ZIP_STORED and packed > 65536 and size / packed < LEAST_RATIO:
            _inflates_as_declared(book, part)
        if part.filename.lower() == "xl/sharedstrings.xml":
            texts = _shared_strings(book, part, limits)
    sheets = [part for part in parts if WORKSHEET.match(part.filename)]
    if sheets:
        names = _sheet_names(book)
        held = [_sheet_held(book, part, names.get(part.filename.lower(), part.filename), texts, limits)
                for part in sheets]
        check_reader_memory([h for h in held if h is not None], texts, limits)
        return {h.name: h for h in held if h is not None}
    return {}


def _inflates_as_declared(book: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    """Inflate a part that declares a suspiciously small size: zipfile stops at the declared size and checks the
    CRC, so a part that holds more than it says is found without holding it."""
    try:
        with book.open(part) as stream:
            while stream.read(1 << 20):
                pass
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise Unreadable(Code.CP016) from None
    except Exception:  # a compression method zipfile does not know: the workbook reader will say
        return


# The most bytes of XML one character of a cell can take ("&#1114111;"): a cell of cell_characters characters
# never takes more than this many times as many bytes, whatever its characters and however they are written.
BYTES_PER_CHARACTER = 10


def _cell_bytes(limits: Limits) -> int:
    return limits.cell_characters * BYTES_PER_CHARACTER


def _check_longest(longest: int, where: str, limits: Limits) -> None:
    if longest > _cell_bytes(limits):
        raise too_large(f"{where} holds a text of {longest:,} bytes, more than a cell of the "
                        f"{limits.cell_characters:,} characters a cell may hold can take (cell_characters)")


COUNT = re.compile(rb'\b(?:uniqueCount|count)\s*=\s*["\'](\d+)["\']')


def _shared_strings(book: zipfile.ZipFile, part: zipfile.ZipInfo, limits: Limits) -> Texts:
    """The shared texts a workbook declares, and those it holds: as many as its part can hold, no more than a
    sheet's cells, and none longer than a cell can be (the reader copies a shared text into every cell that
    uses it)."""
    try:
        with book.open(part) as stream:
            head = stream.read(4096)
            declared = max((int(n) for n in COUNT.findall(head[:head.find(b"<si") if b"<si" in head else None])),
                           default=0)
            if declared > part.file_size // SHARED_STRING_BYTES + 1:
                raise Unreadable(Code.CP016)  # more strings declared than the part could hold: damaged or forged
            if declared > limits.cells:
                raise too_large(f"it declares {declared:,} texts, more than the {limits.cells:,} cells a sheet may "
                                "have (cells)")
            prefix = (PREFIX.search(head) or [b"", b""])[1]
            starts, at, longest = [], 0, 0
            for piece in pieces(stream, head, prefix):
                starts.append(text_starts(piece) + at)
                at += len(piece)
                longest = max(longest, longest_text(piece))
    except Unreadable:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise Unreadable(Code.CP016) from None
    except Exception:  # noqa: BLE001 - a compression method zipfile does not know: the workbook reader will say
        return Texts()
    import numpy as np

    starts = np.concatenate(starts) if starts else np.zeros(0, np.int64)
    if len(starts) > limits.cells:
        raise too_large(f"it holds {len(starts):,} texts, more than the {limits.cells:,} cells a sheet may have "
                        "(cells)")
    sizes = np.diff(np.append(starts, at))  # each text's bytes of XML, to the next one's start (or the part's end)
    if len(sizes) and sizes.max() > _cell_bytes(limits):
        raise too_large(f"one of its texts takes {int(sizes.max()):,} bytes, more than a cell of the "
                        f"{limits.cell_characters:,} characters a cell may hold can take (cell_characters)")
    _check_longest(longest, "its list of texts", limits)
    return Texts(sizes, part.file_size)


WORKSHEET = re.compile(r"(?i)^xl/worksheets/[^/]+\.xml$")
DIMENSION = re.compile(rb'<dimension\s+ref\s*=\s*["\']([A-Za-z]{0,3})(\d{0,7})(?::([A-Za-z]{1,3})(\d{1,7}))?["\']')


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's sheet name, as the workbook names it (part name in lower case -> sheet name)."""
    try:
        workbook = book.read("xl/workbook.xml")[:1 << 20].decode("utf-8", "replace")
        relations = book.read("xl/_rels/workbook.xml.rels")[:1 << 20].decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        return {}
    import html

    targets = {m.group(1): m.group(2) for m in re.finditer(
        r'<Relationship\b(?=[^>]*\bId="([^"]+)")(?=[^>]*\bTarget="([^"]+)")', relations)}
    names = {}
    for match in re.finditer(r'<sheet\b(?=[^>]*\bname="([^"]*)")(?=[^>]*\br:id="([^"]+)")', workbook):
        target = targets.get(match.group(2), "")
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        names[part.lower()] = html.unescape(match.group(1))
    return names


def _sheet_held(book: zipfile.ZipFile, part: zipfile.ZipInfo, name: str, texts: Texts,
                limits: Limits) -> Held | None:
    """A sheet's cells as its XML places them, before the workbook reader lays them out as a grid: a cell in A1
    and one in XFD1048576 make a grid of 17 billion cells from a file of a few kilobytes, and the reader would
    ask for all of them at once. The range the sheet declares (<dimension>) is checked first, then the whole of
    its XML, a piece at a time, whatever its size: the span of its rows, its widest row, its longest cell (no
    cell is kept). Cost: 0.8 s (0.25 s of it inflating the XML) beside the 3.8 s calamine takes to read the same
    100,000 rows of 15 columns (70 MB of XML), on a busy machine; benchmarks/run.py's load+validate+figures
    against read alone went from 1.01x to 1.08x. None for a part the reader will say it cannot read."""
    held = Held(name, part.file_size)
    try:
        with book.open(part) as stream:
            head = stream.read(1 << 16)
            if declared := DIMENSION.search(head):
                _check_extent(_extent(declared), name, limits, "declares")
            prefix = (PREFIX.search(head) or [b"", b""])[1]
            for piece in pieces(stream, head, prefix):
                held.add(piece, texts)
                _check_longest(held.longest, f"the sheet '{name}'", limits)
                _check_extent((held.height, held.width), name, limits, "spans")
    except Unreadable:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise Unreadable(Code.CP016) from None
    except Exception:  # noqa: BLE001 - a compression method zipfile does not know: the workbook reader will say
        return None
    return held


def _extent(declared: re.Match) -> tuple[int, int]:
    """The rows and columns of a declared range ("A1:XFD1048576", or one cell)."""
    first_column, first_row, last_column, last_row = declared.groups()
    if last_column is None:
        return 1, 1
    rows = int(last_row) - int(first_row or 1) + 1
    columns = column_number(last_column) - column_number(first_column or b"A") + 1
    return max(rows, 1), max(columns, 1)


def _check_extent(extent: tuple[int, int], name: str, limits: Limits, how: str) -> None:
    height, width = extent
    if width > limits.columns:
        raise too_large(f"the sheet '{name}' {how} {width:,} columns, more than the {limits.columns:,} a sheet may "
                        "have (columns)")
    if height * width > limits.cells:
        raise too_large(f"the sheet '{name}' {how} {height:,} rows and {width:,} columns, more than the "
                        f"{limits.cells:,} cells a sheet may have (cells)")


# The workbook reader's memory, measured as the peak resident memory (VmHWM) of reading real workbooks of 200,000
# rows of 15 columns (numbers; texts in the cells; distinct, repeated and mixed shared texts; the benchmark's
# 100,000 rows) into the grids load/ hands on: bytes per cell of a sheet's grid, from its first row to its last
# and its first column to its widest; per byte of its XML; and per byte of shared texts, held once in their list
# and once more in each cell using one. The estimate came within 0.98 to 1.25 times the peak measured.
READER_BYTES_PER_CELL = 60
READER_BYTES_PER_XML_BYTE = 1.5
READER_BYTES_PER_TEXT_BYTE = 1.5


def reader_memory(held: list[Held], texts: Texts) -> int:
    """The memory the workbook reader would take to read these sheets, estimated from what they hold."""
    cells = sum(h.height * h.width for h in held)
    xml = sum(h.size for h in held)
    copies = sum(h.copies for h in held)
    return int(cells * READER_BYTES_PER_CELL + xml * READER_BYTES_PER_XML_BYTE
               + (texts.size + copies) * READER_BYTES_PER_TEXT_BYTE)


def check_reader_memory(held: list[Held], texts: Texts, limits: Limits) -> None:
    needed = reader_memory(held, texts)
    if needed <= limits.reader_bytes:
        return
    largest = max(held, key=lambda h: h.height * h.width)
    copies = sum(h.copies for h in held)
    if copies * READER_BYTES_PER_TEXT_BYTE > largest.height * largest.width * READER_BYTES_PER_CELL:
        what = (f"its cells hold {_megabytes(copies)} of shared texts, each copied into every cell that uses "
                "it")
    else:
        what = f"the sheet '{largest.name}' spans {largest.height:,} rows and {largest.width:,} columns"
    raise too_large(f"reading it would take some {_megabytes(needed)} of memory ({what}), more than the "
                    f"{_megabytes(limits.reader_bytes)} the reader may use (reader_bytes)")


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def check_old_workbook(raw: bytes, limits: Limits) -> dict[str, Held]:
    """An old Excel workbook (.xls) before the workbook reader sees it: each sheet's declared range and the span
    of its cells within the format's grid (65,536 rows of 256 columns; past it the file is damaged or forged,
    and the reader would ask for terabytes and abort), within the limits, and the reader's memory within
    reader_bytes. A container this cannot follow is left to the reader, which says what it can. What each
    sheet holds that its cells do not show (errors, hidden rows and columns), by its name."""
    import struct

    from . import xls

    try:
        stream = xls.workbook_stream(raw)
        sheets = xls.sheets(stream) if stream else []
        held = []
        for name, rows, columns, start in sheets:
            if rows > xls.ROWS or columns > xls.COLUMNS:
                raise Unreadable(Code.CP016)
            _check_extent((rows, columns), name, limits, "declares")
            marks = xls.Marks()
            height, width = xls.span(stream, start, marks)
            if height > xls.ROWS or width > xls.COLUMNS:
                raise Unreadable(Code.CP016)
            _check_extent((height, width), name, limits, "spans")
            held.append(Held(name, top=1, bottom=max(height, 1), width=max(width, 1), errors=marks.errors or None,
                             hidden_rows=marks.hidden_rows or None, hidden_columns=marks.hidden_columns or None))
    except (xls.Damaged, struct.error, IndexError, ValueError):
        return {}
    if held:
        check_reader_memory(held, Texts(), limits)
    return {h.name: h for h in held}


def check_sheet_size(height: int, width: int, name: str, limits: Limits) -> None:
    if width > limits.columns:
        raise too_large(f"the sheet '{name}' has {width:,} columns, more than the {limits.columns:,} a sheet may "
                        "have (columns)")
    if height * width > limits.cells:
        raise too_large(f"the sheet '{name}' spans {height:,} rows and {width:,} columns, more than the "
                        f"{limits.cells:,} cells a sheet may have (cells)")


def check_lines(raw: bytes, limits: Limits) -> None:
    """No line of a text file longer than line_bytes: every aligned half of that length must hold a line break,
    and where one does not, the line around it is measured. A few searches for a file of any length."""
    step = max(limits.line_bytes // 2, 1)
    if len(raw) <= limits.line_bytes:
        return
    for start in range(0, len(raw), step):
        if raw.find(b"\n", start, start + step) >= 0 or raw.find(b"\r", start, start + step) >= 0:
            continue
        begin = max(raw.rfind(b"\n", 0, start), raw.rfind(b"\r", 0, start)) + 1
        ends = [at for at in (raw.find(b"\n", start), raw.find(b"\r", start)) if at >= 0]
        end = min(ends) if ends else len(raw)
        if end - begin > limits.line_bytes:
            line = raw.count(b"\n", 0, begin) + 1
            raise too_large(f"line {line:,} is {end - begin:,} bytes long, more than the {limits.line_bytes:,} a "
                            "line may have (line_bytes)")


def check_columns(width: int, limits: Limits) -> None:
    if width > limits.columns:
        raise too_large(f"a line has {width:,} cells, more than the {limits.columns:,} columns a sheet may have "
                        "(columns)")


def check_cells(height: int, width: int, limits: Limits) -> None:
    if height * width > limits.cells:
        raise too_large(f"it has {height:,} lines of {width:,} cells, more than the {limits.cells:,} cells a sheet "
                        "may have (cells)")
