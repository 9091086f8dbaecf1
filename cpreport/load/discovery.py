"""Discovery: which files and sheets of the data folder make which table, and which are not read."""
from __future__ import annotations

from pathlib import Path
from typing import Callable


from ..contract import TABLES, Table, fold
from ..findings import Code, Findings, finding
from .grids import read_grids
from .headers import header_score
from .parts import to_sheet
from .sheets import FileRead, Loaded, OWN_FILES, SPREADSHEETS, Sheet, TEXT_FILES, Unreadable
from .tidying import has_cells


def table_named(name: str) -> Table | None:
    """The table a file or sheet name stands for: "cpfs", "CPFs May 2017", "الأنشطة" or "Activities_2017-05"."""
    folded = fold(name)
    exact = next((t for t in TABLES.values() if folded in t.keys), None)
    if exact is not None:
        return exact
    words = f"_{folded}_"
    found = {t.name for t in TABLES.values() for key in t.keys if key and f"_{key}_" in words}
    return TABLES[found.pop()] if len(found) == 1 else None


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
                (n for n, g in grids.items() if has_cells(g)), next(iter(grids)))
        selected = {sheet_name: table}
    else:
        selected = {n: t for n, t in named.items() if t is not None}
    unreadable: set[str] = set()
    for sheet_name, sheet_table in selected.items():
        grid = grids[sheet_name]
        if not has_cells(grid):
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
