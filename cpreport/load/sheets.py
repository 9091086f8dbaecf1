"""What the load stage hands on: a table's parts as read (Sheet), and what one file or the whole folder gave."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..contract import Table
from ..findings import Code, Findings


from ..datafolder import SPREADSHEETS, TEXT_FILES, WORKBOOKS  # noqa: F401 - what the load stage reads
OWN_FILES = {".toml", ".md", ".py", ".log", ".lock"}  # config, narrative, scripts: not mistaken for data
HEADER_SEARCH_ROWS = 20
ROW = "_row"  # the row number the user sees in Excel, LibreOffice or a text editor
# A table stacked from several parts keys each row by its part and its row there: part × PART_STRIDE + row. The
# first part's rows keep their own numbers, so a table of one part is keyed by its row numbers alone.
PART_STRIDE = 1_000_000_000


@dataclass
class Sheet:
    """One part of a table as read (a sheet, or a CSV file), or a table stacked from several parts: raw cell values
    under canonical column names, with the user's row numbers (ROW; in a stacked table, row keys: PART_STRIDE)."""

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
    parts: list[Sheet] = field(default_factory=list, repr=False)  # a stacked table's parts, in the order read
    # A part read with others as one table (load.fastpath.read_stacked): that table's frame and the part's place
    # among them, so that stacking the parts again takes the frame as it is.
    origin: tuple[pd.DataFrame, int] | None = field(default=None, repr=False, compare=False)

    def header(self, column: str) -> str:
        return self.headers.get(column, column)

    def column_number(self, column: str) -> int | None:
        return self.columns.get(column)

    def part(self, key: int) -> Sheet:
        """The part a row key (ROW) belongs to."""
        return self.parts[int(key) // PART_STRIDE] if self.parts else self

    def where(self, key: int, column: str | None = None) -> dict:
        """A finding's place for a row key (ROW) and column: file, sheet, row as the user numbers it, and the
        column's header and number in that part."""
        part = self.part(key)
        place = {"file": part.file, "sheet": part.sheet, "row": int(key) % PART_STRIDE}
        if column is not None:
            place.update(column=part.header(column), column_number=part.column_number(column))
        return place


@dataclass
class Loaded:
    """What the load stage hands on: each table's parts, in the order read, and the findings made while reading."""

    parts: dict[str, list[Sheet]]
    findings: Findings
    files: list[Path] = field(default_factory=list)
    # Each file's sha256 as it was read (by its path within the data folder), when the reader took it: what the
    # manifest records, so that a file changed after it was hashed but before it was read is not taken as built.
    digests: dict[str, str] = field(default_factory=dict)

    @property
    def sheets(self) -> dict[str, Sheet]:
        """Each table as one Sheet, its parts stacked (load.stacking), copies of a part and all."""
        from .stacking import stack

        return {name: stack(parts) for name, parts in self.parts.items()}


class Unreadable(Exception):
    """A file that cannot be read; carries the finding's code and, for CP001, a short reason."""

    def __init__(self, code: Code, detail: str = ""):
        super().__init__(detail or code.name)
        self.code, self.detail = code, detail


@dataclass
class FileRead:
    """What one file gives, depending on its name and bytes alone: its sheets and findings, in the order made."""

    events: list  # Finding or Sheet, in the order they were made
    counted: bool = True  # the file is one of the tables' files (Loaded.files)
    unreadable: set[str] = field(default_factory=set)  # tables whose file or sheet could not be read
    digest: str | None = None  # the sha256 of the bytes read, when the reader took it (the parse cache does)
