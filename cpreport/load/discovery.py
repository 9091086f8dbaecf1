"""Discovery: which files and sheets of the data folder make which table, and which are not read (and why).

A table may come in several parts: sheets of one workbook (one per office), files whose names begin with the
table's name in English or Arabic (`activities-ninewa.xlsx`, or the Arabic for activities and Anbar), and files
in sub-folders (one per office).
Every file and sheet is either read as a part of a table or named in a finding: nothing is left unread in
silence.
"""
from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

from ..datafolder import data_files
from ..contract import LISTS_SHEET, TABLES, FileOptions, Intake, Table, fold, fold_path, is_export_header
from ..findings import Code, Findings, finding, runs
from .grids import read_grids
from .limits import Limits, check_file_size
from .headers import deep_header, header_score, required_missing, required_named, top_rows
from .parts import to_sheet
from .sheets import HEADER_SEARCH_ROWS, OWN_FILES, ROW, SPREADSHEETS, TEXT_FILES, FileRead, Loaded, Sheet, Unreadable
from .tidying import has_cells
from .xlsx import column_number

NO_INTAKE = Intake()


def table_named(name: str) -> Table | None:
    """The table a file or sheet name stands for: "cpfs", "CPFs May 2017", its Arabic name, "activities-ninewa" or
    "Activities May 2017 (Anbar)": the name is the table's, or has it as one of its words, and no other's."""
    folded = fold(name)
    exact = next((t for t in TABLES.values() if folded in t.keys), None)
    if exact is not None:
        return exact
    words = f"_{folded}_"
    found = {t.name for t in TABLES.values() for key in t.keys if key and f"_{key}_" in words}
    return TABLES[found.pop()] if len(found) == 1 else None


def _sheet_tables(grids: dict, file_table: Table | None, intake: Intake,
                  options: FileOptions) -> tuple[dict[str, Table], dict[str, str]]:
    """Which sheet of a file is a part of which table, and why each other sheet is not read.

    A sheet is part of a table when its name says so (unless its header is plainly another table's); else, in a
    file named after a table, when its header
    names the table's columns; else when its header names every required column of a table, or all but one
    (which reading it then says is missing)."""
    tables: dict[str, Table] = {}
    reasons: dict[str, str] = {}
    if options.table:
        file_table = TABLES[options.table]
    for name, grid in grids.items():
        if options.sheet is not None and fold(name) != fold(options.sheet):
            # A sheet the config leaves out whose header is a table's: its rows may belong in the report.
            headed = [t for t in ([file_table] if file_table else []) + list(TABLES.values())
                      if required_named(grid, t, intake)]
            reasons[name] = ("other_sheet", headed[0]) if headed else "other_sheet"
            continue
        if grid.attrs.get("hidden") and options.sheet is None and not (fold(name) == LISTS_SHEET and len(grids) > 1):
            # Rows the officer does not see are not counted: a hidden sheet is named, with its table when its header
            # is one's (a warning: its rows may belong in the report), never read in silence.
            headed = [t for t in ([file_table] if file_table else []) + list(TABLES.values())
                      if required_named(grid, t, intake)]
            reasons[name] = ("hidden", headed[0]) if headed else "hidden_sheet"
            continue
        by_name = table_named(name) if name and not options.table else None
        if by_name is not None and not required_named(grid, by_name, intake):
            # A sheet named after one table whose header is plainly another's ("CPF meetings" holding activities):
            # its header says what its rows are.
            headed = [t for t in TABLES.values() if t is not by_name and required_named(grid, t, intake)]
            # A KoboToolbox or ODK export's sheet is named after its form ("CPF monthly report"), not after a
            # table: its header alone says which table it is, if any.
            exported = file_table is None and len(grid) and is_export_header(grid.iloc[0].tolist())
            by_name = headed[0] if headed else None if exported else by_name
        if by_name is not None:
            tables[name] = by_name
        elif file_table is not None and (required_named(grid, file_table, intake) or len(grids) == 1
                                         and options.table):
            tables[name] = file_table
        elif headed := [t for t in TABLES.values() if required_named(grid, t, intake)]:
            tables[name] = max(headed, key=lambda t: header_score(grid, t, intake=intake)[1])
        elif fold(name) == LISTS_SHEET and len(grids) > 1:
            continue
        elif not has_cells(grid):
            reasons[name] = "empty"
        elif is_repeat_group(grid):
            reasons[name] = "repeat_group"
        elif deep := deep_header(grid, intake):
            reasons[name] = ("deep_header", *deep)  # a table's header below the rows searched: said where
        else:
            reasons[name] = "no_table"
            # A sheet whose header names some of a table's columns may be that table's rows with a column
            # missing: said as a warning, with what is missing, never as a quiet note.
            tables_in_turn = ([file_table] if file_table else []) + [t for t in TABLES.values() if t is not file_table]
            near = [(t, missing) for t in tables_in_turn if (missing := required_missing(grid, t, intake))]
            if near:  # the table it is closest to: the file's own, else the one it lacks fewest columns of
                table, missing = near[0] if near[0][0] is file_table else min(near, key=lambda n: len(n[1]))
                if len(missing) == 1:
                    # Every required column but one: the table's rows under a header with one name misspelt
                    # ("Particpants"). Read as the table's, so that the missing column is an error with the header
                    # it is likely to be, never the office's rows left out of a report that is built.
                    tables[name] = table
                    del reasons[name]
                else:
                    reasons[name] = ("partial", table, missing)
    if file_table is not None and file_table not in tables.values():
        # A file named after a table in which no sheet is plainly that table's: its likeliest sheet is read as
        # it, so that what is wrong with its header is said (rather than that the table is missing).
        candidates = [n for n in grids if n in reasons and _why(reasons[n]) not in ("other_sheet", "repeat_group")
                      and not grids[n].attrs.get("hidden")
                      and (not isinstance(reasons[n], tuple) or reasons[n][1] is file_table)]
        if candidates:
            scores = {n: header_score(grids[n], file_table, intake=intake)[1] for n in candidates}
            best = max(candidates, key=scores.get) if any(scores.values()) else next(
                (n for n in candidates if has_cells(grids[n])), candidates[0])
            tables[best] = file_table
            reasons.pop(best)
    return tables, reasons


# Archives a data folder may hold sheets inside: named in a warning, never opened.
ARCHIVES = frozenset({".zip", ".7z", ".rar", ".gz", ".tgz", ".tar", ".bz2", ".xz"})


# The columns that tie a repeat group's rows to their form's record, in a KoboToolbox or ODK export.
REPEAT_MARKS = frozenset({"_parent_index", "_parent_table_name", "_submission__uuid", "_submission__id", "parent_key"})


def is_repeat_group(grid) -> bool:
    """Whether a sheet holds the rows of a repeat group of an export (one per person or item of a form's record),
    as KoboToolbox's workbooks have them in a sheet of their own and ODK Central's CSVs in a file of their own."""
    return any(isinstance(cell, str) and cell.strip().lower() in REPEAT_MARKS for row in top_rows(grid)[:2]
               for cell in row)


def _why(reason) -> str:
    """A sheet's reason for not being read, by its name: alone, or first of a tuple that names its table."""
    return reason[0] if isinstance(reason, tuple) else reason


def _shaped_like(grid, grids: dict, selected: dict) -> tuple[str, int] | None:
    """A sheet without a header whose rows are shaped like a table's sheet of the same workbook (as wide, most
    of their cells filled): the rest of that table, typed on under no header, or pasted without it. The table's
    sheet and the number of such rows; None for a sheet of notes or a summary."""
    alike = [other for other in selected if grids[other].shape[1] == grid.shape[1]]
    if grid.empty or grid.shape[1] < 3 or not alike:
        return None
    top = grid.iloc[:1000]  # enough to tell; a long sheet is not looked at cell by cell
    filled = top.notna() & top.map(lambda cell: not (isinstance(cell, str) and not cell.strip()))
    rows = int((filled.sum(axis=1) * 2 > grid.shape[1]).sum())
    return (alike[0], rows) if rows >= 2 else None


def read_file(path: Path, table: Table | None, raw: bytes | None = None, relative: str | None = None,
              intake: Intake = NO_INTAKE) -> FileRead:
    """Read one file of the data folder (its bytes, when already read) into the parts of the tables it holds.
    table: the table the file's name stands for; relative: its path within the data folder, as findings name it."""
    file = relative or path.name
    options = intake.options(file)
    limits = intake.limits or Limits()
    events: list = []
    try:
        size = path.stat().st_size if raw is None else len(raw)
        if size == 0 and table is None:
            # An empty file named after no table (a note begun and never written) holds nothing to lose: said,
            # never in the way of the report. Empty and named after a table, it is that table gone (an error).
            return FileRead([finding(Code.CP020, file=file, reason="empty")], True, set())
        if size == 0:
            raise Unreadable(Code.CP008)
        check_file_size(size, limits)
        grids, typed_cells = read_grids(path, raw, options, limits)
    except (Unreadable, OSError) as error:
        code = error.code if isinstance(error, Unreadable) else Code.CP001
        detail = error.detail if isinstance(error, Unreadable) else (error.strerror or type(error).__name__)
        return FileRead([finding(code, file=file, detail=detail)], True, {table.name} if table else set())
    if options.sheet is not None and not any(fold(n) == fold(options.sheet) for n in grids):
        return FileRead([finding(Code.CP011, file=file, sheet=options.sheet,
                                 sheets=[str(n) for n in grids])], True, {table.name} if table else set())
    for sheet_name, grid in grids.items():
        if grid.attrs.get("unsaved_formulas"):
            count, letters, row = grid.attrs["unsaved_formulas"]
            events.append(finding(Code.CP031, file=file, sheet=sheet_name, row=row, count=count,
                                  cell=f"{letters}{row}", column_number=column_number(letters.encode())))
        if grid.attrs.get("windows_1256_lines"):
            events.append(finding(Code.CP024, file=file, sheet=sheet_name,
                                  row=grid.attrs["windows_1256_lines"][0],
                                  lines=runs(grid.attrs["windows_1256_lines"])))
    selected, reasons = _sheet_tables(grids, table, intake, options)
    if not selected and table is None and not options.table and \
            not any(isinstance(reason, tuple) for reason in reasons.values()):
        return FileRead([finding(Code.CP002, file=file)], False)
    for sheet_name, reason in reasons.items():
        if isinstance(reason, tuple) and reason[0] == "hidden":
            very = grids[sheet_name].attrs.get("hidden") == "very" if sheet_name in grids else False
            events.append(finding(Code.CP043 if very else Code.CP026, file=file, sheet=sheet_name,
                                  table=reason[1].name))
        elif isinstance(reason, tuple) and reason[0] == "other_sheet":
            events.append(finding(Code.CP041, file=file, sheet=sheet_name, table=reason[1].name,
                                  chosen=options.sheet))
        elif isinstance(reason, tuple) and reason[0] == "deep_header":
            events.append(finding(Code.CP044, file=file, sheet=sheet_name, row=reason[2], table=reason[1].name,
                                  header_row=reason[2], searched=HEADER_SEARCH_ROWS))
        elif isinstance(reason, tuple):
            _, partial, missing = reason
            events.append(finding(Code.CP022, file=file, sheet=sheet_name, table=partial.name,
                                  columns=[str(c) for c in missing]))
        elif reason == "no_table" and (like := _shaped_like(grids[sheet_name], grids, selected)):
            other, rows = like
            events.append(finding(Code.CP038, file=file, sheet=sheet_name, table=selected[other].name, other=other,
                                  count=rows, columns=grids[other].shape[1]))
        else:
            events.append(finding(Code.CP020, file=file, sheet=sheet_name, reason=reason))
    unreadable: set[str] = set()
    for sheet_name, sheet_table in selected.items():
        grid = grids[sheet_name]
        if not has_cells(grid):
            events.append(finding(Code.CP008, file=file, sheet=sheet_name))
            unreadable.add(sheet_table.name)
            continue
        found = Findings()
        sheet = to_sheet(grid, sheet_table, file, sheet_name, found, path, typed_cells, intake, options.header_row)
        events.extend(found)
        if sheet is None:
            unreadable.add(sheet_table.name)
        else:
            events.append(sheet)
            hidden = grid.attrs.get("hidden_rows")
            counted = sorted(set(hidden) & set(sheet.frame[ROW].tolist())) if hidden else []
            if counted:  # rows the officer does not see, counted: said, never in silence
                events.append(finding(Code.CP032, file=file, sheet=sheet_name, row=counted[0], rows=runs(counted)))
            for name, number in sheet.columns.items():
                if number in grid.attrs.get("hidden_columns", ()):  # and so are the columns
                    events.append(finding(Code.CP033, file=file, sheet=sheet_name, row=sheet.header_row,
                                          column=sheet.headers.get(name, name), column_number=number))
    return FileRead(events, True, unreadable)


def _stacked_parts(data: Path, paths: list[Path], intake: Intake) -> dict[str, FileRead]:
    """A table's CSV parts read at once where they can be (fastpath.read_stacked): by their paths in the folder."""
    from .fastpath import read_stacked

    groups: dict[str, list[tuple]] = {}
    for path in paths:
        if path.suffix.lower() in TEXT_FILES and not path.name.startswith("~$") and \
                (table := table_named(path.stem)) is not None:
            groups.setdefault(table.name, []).append((path, table, path.relative_to(data).as_posix()))
    return {name: read for files in groups.values() if len(files) > 1 for name, read in read_stacked(files, intake).items()}


def _unused_file_options(data: Path, paths: list[Path], intake: Intake, findings: Findings) -> None:
    """A [files] entry of the config that names no file of the data folder (a typo, a file renamed) is said, with
    the nearest file: its encoding or delimiter would otherwise be dropped without a word."""
    import difflib

    present = sorted({fold_path(path.relative_to(data).as_posix()) for path in paths})
    for name in intake.files:
        if name not in present:
            near = difflib.get_close_matches(name, present, n=1, cutoff=0.6)
            findings.add(finding(Code.CP034, file=name, near=near[0] if near else None))


Reader = Callable[..., FileRead]  # read_file, or the parse cache's reader (cache.py), which takes the same arguments


def _read_files(data: Path, paths: list[Path], reader: Reader, intake: Intake) -> dict[str, FileRead]:
    """What each file gives, by its path in the folder: read side by side where the files are large enough to gain
    by it (threads.each_file), each on its own, so the build says the same whichever way they were read."""
    from ..threads import each_file

    def read(path: Path) -> FileRead:
        relative = path.relative_to(data).as_posix()
        options = intake.options(relative)
        table = TABLES[options.table] if options.table else table_named(path.stem)
        return reader(path, table, relative=relative, intake=intake)

    size = 0
    for path in paths:
        try:
            size += path.stat().st_size
        except OSError:
            pass  # read, and said why it cannot be
    return dict(zip((path.relative_to(data).as_posix() for path in paths), each_file(read, paths, size)))


def load(data: Path, reader: Reader = read_file, intake: Intake = NO_INTAKE) -> Loaded:
    """Read every table found in the data folder and its sub-folders, in as many parts as it comes in.

    `reader` reads one file; the parse cache (cache.py) gives one that reuses what an unchanged file gave."""
    findings = Findings()
    parts: dict[str, list[Sheet]] = {}
    files: list[Path] = []
    if not data.is_dir():
        findings.add(finding(Code.CP009, folder=str(data)))
        return Loaded(parts, findings)
    unreadable: set[str] = set()  # tables whose file could not be read: one finding is enough
    walked = data_files(data, intake.skip)
    paths, too_deep, hidden, odd, hidden_folders = (walked.files, walked.too_deep, walked.hidden, walked.odd,
                                                    walked.hidden_folders)
    others: list[str] = []
    digests: dict[str, str] = {}
    stacked = _stacked_parts(data, paths, intake) if reader is read_file else {}
    reads = _read_files(data, [path for path in paths if path.suffix.lower() in SPREADSHEETS
                               and not path.name.startswith("~$")
                               and path.relative_to(data).as_posix() not in stacked], reader, intake)
    for path in paths:
        relative = path.relative_to(data).as_posix()
        suffix = path.suffix.lower()
        if path.name.startswith("~$"):
            findings.add(finding(Code.CP007, file=relative))
            continue
        if suffix not in SPREADSHEETS:
            if suffix in ARCHIVES or path.name.lower().endswith(".tar.gz"):
                # An export downloaded as a ZIP (ODK Central's "all data", an office's sheets zipped to send):
                # sheets may be inside it, which are never read unsaid.
                findings.add(finding(Code.CP042, file=relative))
            elif suffix not in OWN_FILES:
                others.append(relative)
            continue
        read = stacked.get(relative) or reads[relative]
        if read.digest:
            digests[relative] = read.digest
        if read.counted:
            files.append(path)
        unreadable |= read.unreadable
        for event in read.events:
            if isinstance(event, Sheet):
                parts.setdefault(event.table.name, []).append(event)
            else:
                findings.add(event)
    others += walked.unnamed
    if others:
        findings.add(finding(Code.CP019, files=others))
    if hidden:
        findings.add(finding(Code.CP020, file=", ".join(hidden), reason="hidden"))
    for folder in too_deep:
        findings.add(finding(Code.CP020, file=folder + "/", reason="too_deep"))
    for folder in hidden_folders:
        findings.add(finding(Code.CP020, file=folder + "/", reason="hidden_folder"))
    for folder in walked.outputs:
        findings.add(finding(Code.CP020, file=folder + "/", reason="output_folder"))
    for folder in walked.loops:
        findings.add(finding(Code.CP020, file=folder + "/", reason="link_loop"))
    _unused_file_options(data, paths, intake, findings)
    for name, reason in odd:
        findings.add(finding(Code.CP023, file=name, reason=reason))
    for name in TABLES:
        if name not in parts and name not in unreadable:
            findings.add(finding(Code.CP003, table=name, severity="warning" if name == "displacement" else None))
    return Loaded(parts, findings, files, digests)
