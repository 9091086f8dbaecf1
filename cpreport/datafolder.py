"""The data folder's files: which ones a build reads, down to which sub-folder. Standard library only, so that
a build with nothing to do can list them without importing pandas."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

TEXT_FILES = {".csv", ".tsv", ".txt"}
WORKBOOKS = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
SPREADSHEETS = TEXT_FILES | WORKBOOKS
# Sub-folders of the data folder are read this deep (one folder per office, perhaps one per month inside it).
MAX_DEPTH = 3


class Found(NamedTuple):
    """What the data folder holds: the files to read; folders too deep to read; hidden spreadsheets (a copy a
    program left, ._activities.xlsx from a Mac, LibreOffice's .~lock files) and hidden folders holding any; and
    entries named like a sheet that
    are not a file that can be read (path, why: "broken_link", "folder", "not_a_file"), which a build must not
    pass over in silence: a report without the table they stand for would look whole. Paths are within the
    folder."""

    files: list[Path]
    too_deep: list[str]
    hidden: list[str]
    odd: list[tuple[str, str]]
    hidden_folders: list[str]  # hidden folders that hold spreadsheets (an office's folder renamed ".anbar")
    outputs: list[str]  # output folders of earlier builds (they hold .cpreport/): reports, not data
    loops: list[str]  # links to a folder that holds them (the data folder, or one on the way to the link): not followed
    unnamed: list[str]  # files whose names are not text (not UTF-8), shown with replacement characters: not read


# The folder every build keeps in its output folder (the parse cache, the digests): it marks an output folder.
OUTPUT_MARK = ".cpreport"
# Hidden folders of version control, never an office's: not looked into.
TOOL_FOLDERS = {".git", ".svn", ".hg"}


def _is_text(name: str) -> bool:
    """Whether a file's name is text (valid UTF-8 on disk): Python keeps other bytes as lone surrogates."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(name: str) -> str:
    """A name that is not text, as it can be shown: each byte that is not text as a replacement character."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _holds_sheets(folder: Path, depth: int) -> bool:
    """Whether a folder holds a spreadsheet, in it or in its sub-folders (as deep as the walk goes)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    if any(e.suffix.lower() in SPREADSHEETS and e.is_file() for e in entries):
        return True
    return depth < MAX_DEPTH and any(_holds_sheets(e, depth + 1) for e in entries
                                     if e.is_dir() and not e.is_symlink() and e.name not in TOOL_FOLDERS)


def resolved(folders) -> set[Path]:
    """Folders as a walk compares them (links and `..` resolved); one that cannot be resolved is left out."""
    found = set()
    for folder in folders:
        try:
            found.add(Path(folder).resolve())
        except OSError:
            pass
    return found


def data_files(data: Path, skip=()) -> Found:
    """Every file of the data folder and its sub-folders (MAX_DEPTH deep), in order, and what else it holds (see
    Found). Hidden files and folders, and the folders in skip (the output folder), are not data."""
    skipped = resolved(skip)
    found = Found([], [], [], [], [], [], [], [])
    root = data.resolve() if data.is_dir() else data

    def walk(folder: Path, depth: int, above: frozenset = frozenset()) -> None:
        above = above | {folder.resolve()}  # the folders this one is in, as links resolve: a link to one is a loop
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError:
            return
        for entry in entries:
            if entry.name == "__pycache__":
                continue
            if not _is_text(entry.name):
                # A name that is not text (bytes of another encoding, from an old archive or another system):
                # never read, and named as it can be shown. A sheet's name is an error, as a sheet left out would be.
                shown = _shown(entry.relative_to(data).as_posix())
                if entry.suffix.lower() in SPREADSHEETS:
                    found.odd.append((shown, "bad_name"))
                elif entry.is_file():
                    found.unnamed.append(shown)
                continue
            if entry.name.startswith("."):
                if (entry.suffix.lower() in SPREADSHEETS or entry.name.startswith(".~lock.")) and entry.is_file():
                    found.hidden.append(entry.relative_to(data).as_posix())
                elif (entry.name not in TOOL_FOLDERS and entry.is_dir() and entry.resolve() not in skipped
                      and _holds_sheets(entry, depth + 1)):
                    found.hidden_folders.append(entry.relative_to(data).as_posix())
                continue
            named_like_sheet = entry.suffix.lower() in SPREADSHEETS and not entry.name.startswith("~$")
            if named_like_sheet and not entry.is_file():
                reason = ("folder" if entry.is_dir() else "broken_link" if entry.is_symlink() and not entry.exists()
                          else "not_a_file")
                found.odd.append((entry.relative_to(data).as_posix(), reason))
                continue
            if entry.is_dir():
                if entry.resolve() in skipped:
                    continue
                if entry.is_symlink() and entry.resolve() in above:
                    found.loops.append(entry.relative_to(data).as_posix())
                    continue
                if (entry / OUTPUT_MARK).is_dir():
                    # An output folder of an earlier build (`out` since moved): its annex and annotated copies
                    # would be read as sheets, the figures twice.
                    found.outputs.append(entry.relative_to(data).as_posix())
                    continue
                if depth >= MAX_DEPTH:
                    found.too_deep.append(entry.relative_to(data).as_posix())
                else:
                    walk(entry, depth + 1, above)
            elif entry.is_file():
                found.files.append(entry)

    if data.is_dir():
        walk(data, 0, frozenset({root}))
    return found


def sheet_files(data: Path, skip=()) -> list[Path]:
    """The files of the data folder the load stage may read as sheets (Excel's ~$ lock files aside)."""
    return [p for p in data_files(data, skip).files if p.suffix.lower() in SPREADSHEETS and not p.name.startswith("~$")]


def relative(path: Path, data: Path) -> str:
    """A file's path within the data folder, as findings and the manifest name it: "anbar/activities.xlsx"."""
    try:
        return path.relative_to(data).as_posix()
    except ValueError:
        return path.name
