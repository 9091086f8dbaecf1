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


def check_workbook(raw: bytes, limits: Limits) -> None:
    """A workbook's parts, before the workbook reader sees them: declared sizes within the limits, no part built to
    inflate, no part inflating to more than it declares, and no more shared strings declared than the part holds."""
    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
        parts = book.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise Unreadable(Code.CP016) from None
    total = 0
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
            _shared_strings(book, part, limits)
    sheets = [part for part in parts if WORKSHEET.match(part.filename)]
    if sheets:
        names = _sheet_names(book)
        for part in sheets:
            _sheet_extent(book, part, names.get(part.filename.lower(), part.filename), limits)


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


COUNT = re.compile(rb'\b(?:uniqueCount|count)\s*=\s*["\'](\d+)["\']')


def _shared_strings(book: zipfile.ZipFile, part: zipfile.ZipInfo, limits: Limits) -> None:
    try:
        with book.open(part) as stream:
            head = stream.read(4096)
    except Exception:  # noqa: BLE001 - a damaged part: the workbook reader says what it can
        return
    declared = max((int(n) for n in COUNT.findall(head[:head.find(b"<si") if b"<si" in head else None])), default=0)
    if declared > part.file_size // SHARED_STRING_BYTES + 1:
        raise Unreadable(Code.CP016)  # more strings declared than the part could hold: damaged or forged
    if declared > limits.cells:
        raise too_large(f"it declares {declared:,} texts, more than the {limits.cells:,} cells a sheet may have "
                        "(cells)")


WORKSHEET = re.compile(r"(?i)^xl/worksheets/[^/]+\.xml$")
DIMENSION = re.compile(rb'<dimension\s+ref\s*=\s*["\']([A-Za-z]{0,3})(\d{0,7})(?::([A-Za-z]{1,3})(\d{1,7}))?["\']')
# A cell's or a row's place in a sheet's XML: <c r="AB12" ...> and <row r="12" ...> (no other element of the
# sheet data has an attribute named r), as every program writes them, and in any other form a file may take.
ANY_ROW_PLACE = re.compile(rb'<row\b[^>]*?\sr\s*=\s*["\'](\d+)["\']')
WIDE_CELL = re.compile(rb' r="([A-Za-z]{2,})\d')  # a cell past column Z: the few that can be far
ANY_WIDE_CELL = re.compile(rb'\sr\s*=\s*["\']([A-Za-z]{2,})\d')
# A sheet's XML up to this size (some 6,000 rows) is searched for the places of its cells, in a few hundredths of a
# second; a larger one, whose size is that of real cells by the hundred thousand, by the range it declares.
SCAN_BYTES = 4 << 20


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


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


def _sheet_extent(book: zipfile.ZipFile, part: zipfile.ZipInfo, name: str, limits: Limits) -> None:
    """A sheet's cells as far as its XML places them, before the workbook reader lays them out as a grid: a cell in
    A1 and one in XFD1048576 make a grid of 17 billion cells from a file of a few kilobytes, and the reader would
    ask for all of them at once. The range the sheet declares (<dimension>) is checked first, then the places of
    its rows and cells (for a sheet of up to SCAN_BYTES of XML; no cell is kept)."""
    try:
        with book.open(part) as stream:
            head = stream.read(1 << 16)
            if declared := DIMENSION.search(head):
                _check_extent(_extent(declared), name, limits, "declares")
            if part.file_size > SCAN_BYTES:
                return
            data = head + stream.read(SCAN_BYTES)
    except Unreadable:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError):
        raise Unreadable(Code.CP016) from None
    except Exception:  # noqa: BLE001 - a compression method zipfile does not know: the workbook reader will say
        return
    rows = ANY_ROW_PLACE.findall(data)
    wide = WIDE_CELL.findall(data)
    if any(form in data for form in (b"r='", b"r =", b"r\t", b"r\n", b"r\r")):  # written otherwise than programs do
        wide = ANY_WIDE_CELL.findall(data)
    if rows:
        numbers = [int(r) for r in rows]
        right = max(map(_column_number, set(wide))) if wide else 1
        _check_extent((max(numbers) - min(numbers) + 1, right), name, limits, "spans")


def _extent(declared: re.Match) -> tuple[int, int]:
    """The rows and columns of a declared range ("A1:XFD1048576", or one cell)."""
    first_column, first_row, last_column, last_row = declared.groups()
    if last_column is None:
        return 1, 1
    rows = int(last_row) - int(first_row or 1) + 1
    columns = _column_number(last_column) - _column_number(first_column or b"A") + 1
    return max(rows, 1), max(columns, 1)


def _check_extent(extent: tuple[int, int], name: str, limits: Limits, how: str) -> None:
    height, width = extent
    if width > limits.columns:
        raise too_large(f"the sheet '{name}' {how} {width:,} columns, more than the {limits.columns:,} a sheet may "
                        "have (columns)")
    if height * width > limits.cells:
        raise too_large(f"the sheet '{name}' {how} {height:,} rows and {width:,} columns, more than the "
                        f"{limits.cells:,} cells a sheet may have (cells)")


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
