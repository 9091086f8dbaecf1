"""The parse cache: what each input file gave (typed tables, findings), kept in OUT/.cpreport/cache/ by its
content hash.

A nightly build pays for the files that changed: a file whose name and bytes (and the package's code) are
those of an earlier run is not read again. Only the work that depends on that one file is kept; the rules
across tables and the ones that depend on the period run on every build. Entries are Parquet (tables) and
JSON (findings), never pickles: the output folder is often a shared drive, and loading a cache entry must not
run anything written there. An entry that cannot be read is ignored and written again.

The output folder is shared with whatever else people keep there (another tool's `.cache/`, say), so the
cache lives in a folder of cpreport's own, marked as such, and pruning removes only what it recognises as
an entry it wrote: a folder named by a sha256 key holding nothing but an entry's own files.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from . import __version__
from .contract import TABLES, Intake
from .findings import Finding
from .load.limits import Limits
from .load import ARROW_TEXT, ROW, FileRead, Sheet, arrow_array, arrow_text, read_file, text_cells
from .validate import cells_shown_later, check_sheet

FOLDER = ".cpreport/cache"  # inside the output folder
# The marker that says a folder is cpreport's cache. Its name and first line follow the Cache Directory
# Tagging convention, so that backup tools skip the folder too.
MARKER = "CACHEDIR.TAG"
MARKER_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
               "# This folder is the parse cache of cpreport; deleting it is always safe.\n")
ENTRY_NAME = re.compile(r"^[0-9a-f]{64}$")  # a sha256 key, as Reader.__call__ names entries
STAGING_NAME = re.compile(r"^\.entry-[A-Za-z0-9_]+$")  # _save's folder, left behind by a killed build
ENTRY_PART = re.compile(r"^(entry\.json|sheet-\d+\.parquet)$")  # what _save writes into an entry
FORMAT = 3  # bump when the layout of an entry changes
PACKAGE = Path(__file__).resolve().parent


def code_key() -> str:
    """The package's version and code: an entry made by other code is not used."""
    hasher = hashlib.sha256(f"{__version__}/{FORMAT}".encode())
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".csv") and "__pycache__" not in path.parts:
            hasher.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


class Reader:
    """A `load.load` reader that keeps what each file gave, and reuses it while the file is unchanged."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.code = code_key()
        self.parsed: list[str] = []  # names of the files read from their bytes in this run
        self.reused: list[str] = []  # names of the files whose entry was used
        self.used: set[str] = set()

    def __call__(self, path: Path, table, relative: str | None = None, intake: Intake = Intake()) -> FileRead:
        name = relative or path.name
        try:
            if path.stat().st_size > (intake.limits or Limits()).file_bytes:
                return read_file(path, table, relative=name, intake=intake)  # says it is too large, unread
            raw = path.read_bytes()
        except OSError:
            return read_file(path, table, relative=name, intake=intake)  # says why it cannot be read
        # What a file gives depends on its bytes, its place in the data folder, the table its name stands for and
        # the config's [columns], [values] and [files]: all are in the key.
        reading = f"{self.code}\0{name}\0{table.name if table else ''}\0{intake.fingerprint()}\0"
        # The bytes are hashed once: their digest is the manifest's record of what was read (build.py), and the key's.
        digest = hashlib.sha256(raw).hexdigest()
        key = hashlib.sha256((reading + digest).encode()).hexdigest()
        self.used.add(key)
        entry = self.folder / key
        if entry.is_dir():
            try:
                read = _load(entry, path)
                self.reused.append(name)
                read.digest = digest
                return read
            except Exception:  # noqa: BLE001 - a damaged entry of any kind is read again, never an error
                _remove_entry(entry)
        read = read_file(path, table, raw, relative=name, intake=intake)
        read.digest = digest
        self.parsed.append(name)
        for event in read.events:
            if isinstance(event, Sheet):
                event.checked = check_sheet(event)
        try:
            _save(entry, read)
        except Exception:  # noqa: BLE001 - a full disk or a read-only folder makes the next run slower, no worse
            pass
        return read

    def prune(self) -> None:
        """Remove entries this run did not use: files since changed or gone.

        Only in a folder that carries the marker, and only entries of the shape this module writes: whatever
        else is there (someone's own files, another program's) is left as it is."""
        if not _owned(self.folder):
            return
        for entry in self.folder.iterdir():
            if entry.name in self.used:
                continue
            if ENTRY_NAME.match(entry.name) or STAGING_NAME.match(entry.name):
                _remove_entry(entry)


def _owned(folder: Path) -> bool:
    """Whether the folder is cpreport's cache: it carries the marker, as a plain file, and is no link."""
    marker = folder / MARKER
    return folder.is_dir() and not folder.is_symlink() and marker.is_file() and not marker.is_symlink()


def _make_folder(folder: Path) -> None:
    """Make the cache folder and mark it; a folder already there without the marker is someone else's."""
    if folder.is_dir() and not folder.is_symlink() and not (folder / MARKER).exists():
        if any(folder.iterdir()):
            raise FileExistsError(f"{folder} holds files cpreport did not write")
    folder.mkdir(parents=True, exist_ok=True)
    if not _owned(folder):
        (folder / MARKER).write_text(MARKER_TEXT, "utf-8")


def _remove_entry(entry: Path) -> None:
    """Remove one entry, if it is laid out as _save lays one out; anything else in it keeps it there."""
    if entry.is_symlink() or not entry.is_dir():
        return
    try:
        parts = list(entry.iterdir())
        if not all(ENTRY_PART.match(part.name) and part.is_file() and not part.is_symlink() for part in parts):
            return
        for part in parts:
            part.unlink(missing_ok=True)
        entry.rmdir()
    except OSError:
        pass  # removed meanwhile by another build, or not ours to remove: either way, left alone


# Typed columns are of a few kinds; each is written as an Arrow column that comes back exactly.
def _column_out(series: pd.Series) -> tuple[dict, dict[str, object]]:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return ({"kind": "category", "categories": [str(c) for c in dtype.categories],
                 "categories_dtype": str(dtype.categories.dtype), "ordered": bool(dtype.ordered)},
                {"": series.cat.codes.to_numpy()})
    if arrow_text(series):  # a CSV's text, kept by Arrow
        return {"kind": "text"}, {"": arrow_array(series)}
    if isinstance(dtype, pd.Int64Dtype):
        return {"kind": "Int64"}, {"": series.to_numpy(dtype="int64", na_value=0), "mask": series.isna().to_numpy()}
    if dtype == object:
        strings = text_cells(series)
        if bool((series.notna() & ~strings).any()):
            raise TypeError(f"column {series.name!r} holds more than text")
        return {"kind": "object"}, {"": series.to_numpy()}
    if dtype.kind in "iufbM":
        return {"kind": "numpy", "dtype": str(dtype)}, {"": series.to_numpy()}
    raise TypeError(f"no cache form for {dtype}")


def _column_in(meta: dict, arrays: dict[str, object], index: pd.Index) -> pd.Series:
    kind, values = meta["kind"], arrays[""]
    if kind == "category":
        categories = pd.Index(meta["categories"], dtype=meta["categories_dtype"])
        dtype = pd.CategoricalDtype(categories, ordered=meta["ordered"])
        return pd.Series(pd.Categorical.from_codes(values, dtype=dtype), index=index)
    if kind == "Int64":
        return pd.Series(pd.arrays.IntegerArray(values.astype("int64"), arrays["mask"].astype(bool)), index=index)
    if kind == "object":
        return pd.Series(values, index=index, dtype=object)
    if kind == "text":
        return pd.Series(values, index=index, dtype=ARROW_TEXT)
    return pd.Series(values, index=index).astype(meta["dtype"])


# Cells as written are of a few Python types; each is kept in an Arrow column of its own and comes back as the
# same type and value, so that every rule shows a cell as a fresh read would.
CELL_TYPES = {str: 1, float: 2, int: 3, dt.datetime: 4, pd.Timestamp: 5, dt.date: 6, bool: 7}


def _cells_out(raw: pd.Series) -> tuple[dict, dict[str, object]]:
    if arrow_text(raw):
        return _column_out(raw)
    strings = text_cells(raw)
    if not bool((raw.notna() & ~strings).any()):
        return {"kind": "object"}, {"": raw.astype(object).where(raw.notna(), None).to_numpy()}
    values = raw.to_numpy(dtype=object)
    codes = raw.map(type).map(CELL_TYPES).to_numpy(dtype="float64", na_value=np.nan, copy=True)
    codes[pd.isna(values) & pd.isna(codes)] = 0
    if pd.isna(codes).any() or (values[codes == 0] != None).any():  # noqa: E711 - elementwise
        raise TypeError("a cell of a type the cache does not keep")
    codes = codes.astype("int8")

    def pick(code: int, fill, dtype) -> np.ndarray:
        out = np.full(len(values), fill, dtype=dtype)
        at = codes == code
        out[at] = values[at].astype(dtype)
        return out

    dated = np.isin(codes, (4, 5, 6))
    stamps = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    if dated.any():
        stamps[dated] = pd.to_datetime(pd.Series(values[dated], dtype=object), errors="raise").to_numpy("datetime64[us]")
    return {"kind": "cells"}, {
        "code": codes, "str": np.where(codes == 1, values, None),
        "float": pick(2, 0.0, "float64"), "int": pick(3, 0, "int64"), "bool": pick(7, False, "bool"),
        "datetime": stamps}


def _cells_in(arrays: dict[str, object], index: pd.Index) -> pd.Series:
    codes = arrays["code"]
    out = np.empty(len(codes), dtype=object)
    out[:] = None
    stamps = np.asarray(arrays["datetime"], dtype="datetime64[us]")
    for code, values in ((1, arrays["str"]), (2, np.asarray(arrays["float"]).astype(object)),
                         (3, np.asarray(arrays["int"]).astype(object)), (7, np.asarray(arrays["bool"]).astype(object)),
                         (4, stamps.astype(object)), (6, stamps.astype("datetime64[D]").astype(object))):
        at = codes == code
        out[at] = np.asarray(values, dtype=object)[at]
    at = codes == 5
    if at.any():
        out[at] = pd.DatetimeIndex(stamps[at]).astype(object)
    return pd.Series(out, index=index, dtype=object)


def _arrow(values):
    """A part of a column as an Arrow array: Arrow text as it is, Python objects with None or NaN as missing."""
    import pyarrow as pa

    if isinstance(values, pa.Array):
        return values
    if not isinstance(values, np.ndarray) or values.dtype == object:
        return pa.array(values, from_pandas=True)
    return pa.array(values)


def _save(entry: Path, read: FileRead) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    _make_folder(entry.parent)
    staging = Path(tempfile.mkdtemp(prefix=".entry-", dir=entry.parent))
    try:
        events, sheets = [], []
        for event in read.events:
            if not isinstance(event, Sheet):
                events.append({"finding": asdict(event)})
                continue
            typed, found = event.checked
            frame = {f"t:{name}": typed[name] for name in typed.columns}
            columns, arrays = {}, {}
            for name, series in frame.items():
                columns[name], parts = _column_out(series.reset_index(drop=True))
                arrays.update({f"{name}\0{part}": values for part, values in parts.items()})
            for name in cells_shown_later(event):
                columns[f"r:{name}"], parts = _cells_out(event.frame[name].reset_index(drop=True))
                arrays.update({f"r:{name}\0{part}": values for part, values in parts.items()})
                if name in event.changed:  # the cells as typed, before tidying: the findings quote them
                    columns[f"w:{name}"], parts = _cells_out(event.changed[name].reset_index(drop=True))
                    arrays.update({f"w:{name}\0{part}": values for part, values in parts.items()})
            number = len(sheets)
            pq.write_table(pa.table({k: _arrow(v) for k, v in arrays.items()}), staging / f"sheet-{number}.parquet")
            sheets.append({"table": event.table.name, "file": event.file, "sheet": event.sheet,
                           "headers": event.headers, "columns": event.columns, "header_row": event.header_row,
                           "typed_cells": event.typed_cells, "rows": len(typed), "frame_columns": columns,
                           "findings": [asdict(f) for f in found]})
            events.append({"sheet": number})
        document = {"events": events, "sheets": sheets, "counted": read.counted,
                    "unreadable": sorted(read.unreadable)}
        (staging / "entry.json").write_text(json.dumps(document, ensure_ascii=False), "utf-8")
        try:
            os.rename(staging, entry)  # all of the entry or none of it; another build may have written it first
        except OSError:
            pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _load(entry: Path, path: Path) -> FileRead:
    import pyarrow.parquet as pq

    document = json.loads((entry / "entry.json").read_text("utf-8"))
    events: list = []
    for event in document["events"]:
        if "finding" in event:
            events.append(Finding(**event["finding"]))
            continue
        meta = document["sheets"][event["sheet"]]
        arrays = pq.read_table(entry / f"sheet-{event['sheet']}.parquet")
        if arrays.num_rows != meta["rows"]:
            raise ValueError("entry does not match its description")
        index = pd.RangeIndex(meta["rows"])
        typed, frame, written = {}, {}, {}
        for name, column in meta["frame_columns"].items():
            # Arrow text comes back as it went; the other kinds as NumPy arrays.
            parts = {key.split("\0", 1)[1]: arrays.column(key) if column["kind"] == "text"
                     else arrays.column(key).to_numpy(zero_copy_only=False)
                     for key in arrays.column_names if key.split("\0", 1)[0] == name}
            series = _cells_in(parts, index) if column["kind"] == "cells" else _column_in(column, parts, index)
            {"t": typed, "r": frame, "w": written}[name[0]][name[2:]] = series
        typed_frame = pd.DataFrame(typed, index=index)
        frame[ROW] = typed_frame[ROW]
        sheet = Sheet(TABLES[meta["table"]], meta["file"], meta["sheet"], pd.DataFrame(frame, index=index),
                      meta["headers"], meta["columns"], path, meta["header_row"], meta["typed_cells"],
                      checked=(typed_frame, [Finding(**f) for f in meta["findings"]]), changed=written)
        events.append(sheet)
    return FileRead(events, document["counted"], set(document["unreadable"]))
