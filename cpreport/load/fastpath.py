"""Speed code for CSV text held by Arrow: byte-level tests that spare Python most cells."""
from __future__ import annotations

import codecs

import numpy as np
import pandas as pd

from .. import contract
from ..contract import PLACEHOLDERS, DASHES
from .sheets import ROW
from .text import arrow_array, arrow_text


# Python's own whitespace (what str.strip and str.split remove), as characters and for Arrow's regular expressions.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
SPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
ODD = "[\u00a0\u2007\u202f\u200b\u200e\u200f\u061c\ufeff]"
# Texts that tidying empties (in any case): may_change picks out the cells that may be one of them.
EMPTY_WORDS = PLACEHOLDERS | DASHES
# What every total word has in it (contract.TOTAL_STEMS): a text without any of these labels no total row.
TOTAL_STEMS = "(?i)" + "|".join(contract.TOTAL_STEMS)


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
    if len(written) and (written.min() < ord("0") or written.max() > ord("9")):  # two passes in C, no lookup
        return False
    size = np.diff(offsets)
    if longest is not None and len(size) and size.max() > longest:
        return False
    # An empty text (not an empty cell) is no count; Arrow reads every empty cell as missing, so this is rare.
    return array.null_count == len(array) or not (size < 1).any() or bool((size[array.is_valid().to_numpy(
        zero_copy_only=False)] >= 1).all())


def text_bytes(array) -> tuple[np.ndarray, np.ndarray]:
    """An Arrow text array's offsets (as int64, into the bytes) and the bytes of its whole data buffer (not
    copied) as numpy arrays."""
    import pyarrow as pa

    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width)[array.offset:array.offset + len(array) + 1]
    data = array.buffers()[2]
    return offsets.astype(np.int64, copy=False), np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)


def may_change(texts):
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

    starts, ends = offsets[:-1], offsets[1:]
    size = ends - starts
    filled = size > 0
    # Each text's first and last byte (an empty text, which reads some other byte, is left out by filled; only
    # empty texts at the very end start past the data).
    first = data[starts if not len(starts) or starts[-1] < len(data) else np.minimum(starts, len(data) - 1)]
    last = data[ends - 1]
    maybe = filled & (SPACE_LEAD[first] | SPACE_ASCII[last] | (size <= EMPTY_WORD_BYTES) & EMPTY_WORD_FIRST[first])
    # A text ending in a space beyond ASCII ends in a byte beyond ASCII: only those texts are looked at further.
    wide = np.flatnonzero(filled & (last >= 0x80))
    if len(wide):
        wide_ends, wide_size = ends[wide], size[wide]
        maybe[wide] |= ((wide_size >= 2) & SPACE_END_2[last[wide]] & SPACE_LEAD_2[data[wide_ends - 2]]
                        | (wide_size >= 3) & SPACE_LEAD_3[data[wide_ends - 3]])
    # Odd or doubled spaces and total words are rare: the column's texts are first searched as one string for
    # either, and cell by cell only when that finds any (or finds one across the end of a text and the start of
    # the next).
    if search_all(array, f"{TOTAL_STEMS}|{ODD}|{SPACE}{SPACE}"):
        odd = pc.match_substring_regex(array, f"{ODD}|{SPACE}{SPACE}").to_numpy(zero_copy_only=False)
        short = pc.less_equal(pc.utf8_length(array), 24)  # as is_total_word
        total = pc.and_(short, pc.match_substring_regex(array, TOTAL_STEMS)).to_numpy(zero_copy_only=False)
        maybe |= filled & (np.asarray(odd, dtype=bool) | np.asarray(total, dtype=bool))
    return maybe


def cells_among(column: pd.Series, texts: set[str]) -> np.ndarray:
    """Which cells of a column are one of a few texts (the header's names, say), as booleans. An Arrow text
    column is tested from its bytes first: only cells as long as one of the texts are looked up.
    benchmarks/run.py, 100,000 CSV rows of 15 columns: 4.5 ms a column with pandas' isin, 0.3 ms this way."""
    texts = {text for text in texts if isinstance(text, str) and text}
    if not texts:
        return np.zeros(len(column), dtype=bool)
    if not arrow_text(column):
        return column.isin(list(texts)).to_numpy(dtype=bool, na_value=False)
    import pyarrow as pa
    import pyarrow.compute as pc

    array = arrow_array(column)
    offsets, data = text_bytes(array)
    sizes = np.diff(offsets)
    written = [text.encode() for text in texts]
    # A cell that may be one of the texts is as long as one, and begins and ends with the same bytes as one.
    longest = max(map(len, written))
    as_long = np.zeros(longest + 2, dtype=bool)
    as_long[[len(text) for text in written]] = True
    maybe = as_long[np.minimum(sizes, longest + 1)]
    if not maybe.any():
        return maybe
    where = np.flatnonzero(maybe)
    ends = np.zeros(1 << 16, dtype=bool)
    ends[[text[0] << 8 | text[-1] for text in written]] = True
    maybe[where] = ends[data[offsets[where]].astype(np.int64) << 8 | data[offsets[where + 1] - 1]]
    if not maybe.any():
        return maybe
    where = np.flatnonzero(maybe)
    found = pc.is_in(array.take(pa.array(where)), value_set=pa.array(sorted(texts), type=array.type))
    maybe[where] = found.to_numpy(zero_copy_only=False).astype(bool)
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


def arrow_candidates(column: pd.Series) -> tuple[np.ndarray, tuple[np.ndarray, object] | None, bool]:
    """The distinct texts of an Arrow text column that tidying may change or that may label a total row; for a
    column that repeats itself, each cell's place among its distinct texts and those texts; and whether its
    cells are plain digits alone."""
    import pyarrow.compute as pc

    array = arrow_array(column)
    if plain_digits(array, longest=None):
        return np.array([], dtype=object), None, True  # digits alone: nothing to tidy, no total's label
    if repeats_itself(array):
        # A column that repeats itself (types, places, dates, counts): Arrow picks out the few of its distinct
        # texts that may change or may say "Total".
        encoded = pc.dictionary_encode(array)
        distinct = encoded.dictionary
        places = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        return distinct.filter(may_change(distinct)).to_numpy(zero_copy_only=False), (places, distinct), False
    # Mostly distinct texts (ids, titles): Arrow picks them out from all the cells.
    return pc.unique(array.filter(may_change(array))).drop_null().to_numpy(zero_copy_only=False), None, False


# The parts of a table that come as CSV files with one header (an office's file each) are tidied as one: reading a
# part's columns has a fixed cost of a few milliseconds each, paid once for all the parts instead of once per part.
# benchmarks/run.py, 100,000 activity rows in 10 office files: load+validate+figures 1.93x the bare read of the
# files with each part tidied alone, 1.3x with the parts stacked first (see docs/performance.md).
def read_stacked(files: list[tuple], intake) -> dict[str, object]:
    """What read_file gives for each of a table's CSV parts (files: (path, table, relative)), worked out for all
    the parts at once when their headers are the same and reading them finds nothing to say; {} for any other
    parts, which read_file reads one by one. A file is read the same either way: a part's rows keep their numbers,
    and its Sheet is what read_file would give (without the encoding of its repeating columns, which the stacked
    table's checks find again)."""
    from ..contract import FileOptions
    from ..findings import Findings
    from .limits import Limits
    from .parts import to_sheet
    from .sheets import FileRead, Sheet

    if any(intake.options(relative) != FileOptions() or table is not files[0][1] for _, table, relative in files):
        return {}
    limits = intake.limits or Limits()
    read = _read_at_once(files, intake, limits) or _read_one_by_one(files, intake, limits)
    if read is None:
        return {}
    stacked, starts, tops = read
    found = Findings()
    path, table, relative = files[0]
    whole = to_sheet(stacked, table, relative, "", found, path, False, intake, tops[0][0] + 1)
    if whole is None or len(found):
        return {}  # something to say of a part: each is read alone, and says it of itself
    at = whole.frame[ROW].to_numpy() - 1  # rows of the stacked grid
    bounds = np.searchsorted(at, starts)
    # Notes under a part's table end it with a row of one cell: only a part whose last row has fewer than two is
    # looked at (10 office files of 10,000 rows: 47 ms looking at every part, 1 ms this way).
    ends = [n for n in range(len(files) - 1) if bounds[n + 1] - bounds[n] >= 2]
    filled = whole.frame.iloc[[bounds[n + 1] - 1 for n in ends]][list(whole.headers)].notna().sum(axis=1).to_numpy()
    if any(_notes_under(whole.frame.iloc[bounds[n]:bounds[n + 1]], whole.headers)
           for n, cells in zip(ends, filled) if cells < 2):
        return {}  # notes typed under a part's table (not the last's): each part is read alone, and says them
    reads = {}
    for n, (path, table, relative) in enumerate(files):
        rows = slice(int(bounds[n]), int(bounds[n + 1]))
        frame = whole.frame.iloc[rows].reset_index(drop=True)
        # Each part's rows numbered as in its own file: past its own title and header rows.
        frame[ROW] = at[rows] - starts[n] + (tops[n][1] if n else 0) + 1
        changed = {name: cells.iloc[rows].reset_index(drop=True) for name, cells in whole.changed.items()}
        reads[relative] = FileRead([Sheet(table, relative, "", frame, dict(whole.headers), dict(whole.columns), path,
                                          tops[n][0] + 1, False, changed, origin=(whole.frame, n))], True, set())
    return reads


def _notes_under(frame: pd.DataFrame, headers: dict[str, str]) -> bool:
    """Whether a part's last rows are notes typed under its table, which reading the part alone leaves out."""
    from ..findings import Findings
    from .parts import _drop_notes_under

    said = Findings()
    _drop_notes_under(frame, headers, {"file": "", "sheet": ""}, said)
    return bool(len(said))


def _part_header(grid: pd.DataFrame, table, intake, header) -> tuple[int, int, tuple] | None:
    """A part's header row, the first row of its data, and what must be the same in every part (its header's
    cells and the grid's width); None when the part is not plainly the table's, or its header is not the others'."""
    from ..contract import FileOptions
    from .discovery import _sheet_tables
    from .headers import find_header, more_header_rows
    from .tidying import has_cells

    if not has_cells(grid):
        return None
    selected, reasons = _sheet_tables({"": grid}, table, intake, FileOptions())
    if reasons or selected != {"": table}:
        return None
    index, cells = find_header(grid, table, intake)
    if index is None or (header is not None and (cells, grid.shape[1]) != header):
        return None
    return index, index + 1 + more_header_rows(grid, index, table, intake), (cells, grid.shape[1])


def _read_one_by_one(files: list[tuple], intake, limits) -> tuple | None:
    """The parts read each by itself, then stacked: the first part whole, then the rows under each other part's
    header. (The stacked grid, where each part starts in it, and each part's header row and first row of data.)"""
    import pyarrow as pa

    from ..contract import FileOptions
    from .grids import read_grids
    from .limits import check_file_size
    from .sheets import Unreadable
    from .text import arrow_frame

    grids, tops = [], []  # each part's grid, and (its header row, the first row of its data)
    header = None
    for path, table, _ in files:
        try:
            raw = path.read_bytes()
            if not raw:
                return None
            check_file_size(len(raw), limits)
            read, typed_cells = read_grids(path, raw, FileOptions(), limits)
        except (Unreadable, OSError):
            return None
        grid = read.get("")
        if typed_cells or list(read) != [""] or grid.attrs or not all(arrow_text(grid[c]) for c in grid.columns):
            return None
        found = _part_header(grid, table, intake, header)
        if found is None:
            return None
        index, first, header = found
        grids.append(grid)
        tops.append((index, first))
    pieces = [grids[0]] + [grid.iloc[first:] for grid, (_, first) in zip(grids[1:], tops[1:])]
    starts = np.cumsum([0] + [len(piece) for piece in pieces])
    stacked = arrow_frame(pa.concat_tables([pa.table({str(n): arrow_array(piece[n]) for n in piece.columns})
                                            for piece in pieces]))
    return stacked, starts, tops


# Arrow's parser reads a CSV in blocks on every core, but each call has a fixed cost: the parts' rows are handed to
# it as one text (10 office files of 10,000 rows: 77 ms read one by one, 39 ms at once).
def _read_at_once(files: list[tuple], intake, limits) -> tuple | None:
    """The parts read by one pass of Arrow's parser over their rows laid end to end, each part's first records read
    by the csv module for its header: as _read_one_by_one gives them. None when a part is not plain UTF-8 text whose
    rows can be counted from its line breaks (a quoted cell may hold one), and the parts are read one by one."""
    import pyarrow as pa

    from .headers import remember_top_rows
    from .limits import check_cells, check_file_size, check_lines
    from .sheets import Unreadable
    from .text import _arrow_table, arrow_frame, text_head
    from .workbooks import OLE_MAGIC, ZIP_MAGIC

    bodies, counts, tops = [], [], []
    header = top = None
    for path, table, _ in files:
        try:
            raw = path.read_bytes()
            check_file_size(len(raw), limits)
            check_lines(raw, limits)
            head = text_head(raw, limits) if raw and not raw.startswith((ZIP_MAGIC, OLE_MAGIC)) else None
        except (Unreadable, OSError):
            return None
        if head is None or head.grid.shape[1] != head.width or (header and head.separator != header[1]):
            return None
        # Its first rows for the header search, as top_rows would take them from Arrow's text (empty cells NaN).
        remember_top_rows(head.grid, [[np.nan if v is None else v for v in row]
                                      for row in head.grid.to_numpy(dtype=object).tolist()])
        found = _part_header(head.grid, table, intake, header and header[0])
        if found is None or found[1] >= len(head.ends):
            return None
        index, first, same = found
        header = same, head.separator
        start = head.ends[first - 1]
        count = _line_count(head.body, start)
        if count is None or head.body.startswith(codecs.BOM_UTF8, start):
            return None  # (a mark that Arrow's parser would drop unsaid, at the start of what it reads)
        bodies.append(memoryview(head.body)[start:])
        if len(head.body) > start and not head.body.endswith(b"\n"):
            bodies.append(b"\n")
        counts.append(count)
        tops.append((index, first))
        top = head.grid.iloc[:first] if top is None else top
    width = top.shape[1]
    read = _arrow_table(memoryview(b"".join(bodies)), width, header[1], quoted=False)
    if read is None or read.num_rows != sum(counts):  # a part's rows not counted right: each is read by itself
        return None
    try:
        check_cells(read.num_rows + len(top), width, limits)
    except Unreadable:
        return None
    titles = pa.table({str(n): pa.array(top[n].tolist(), pa.large_string()) for n in range(width)})
    stacked = arrow_frame(pa.concat_tables([titles, read]))
    starts = np.cumsum([0, len(top) + counts[0], *counts[1:]])
    return stacked, starts, tops


def _line_count(text: bytes, start: int) -> int | None:
    """How many rows Arrow's parser reads from a CSV's bytes from start (a line each, blank ones too), if they
    hold no quote (a quoted cell may hold a line break); None if they do. Rows ended by a lone CR, as old Macs
    wrote them, are not counted: the count is then short, and the parts' rows added up are not Arrow's."""
    if text.find(b'"', start) >= 0:
        return None
    return text.count(b"\n", start) + (1 if len(text) > start and not text.endswith(b"\n") else 0)
