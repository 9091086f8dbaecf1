"""Ids: compared as folded keys; each given once in its table, and a forum named by an activity must exist."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the rules take a Context; only annotations name it
    from .context import Context


import numpy as np
import pandas as pd

from ..contract import named_as_copy
from ..findings import Code, finding
from ..load.stacking import split_keys
from ..load import (ROW, arrow_array, arrow_text, repeats_itself)
from ..digits import TO_WESTERN as DIGITS
from .cells import distinct_cells
from .fastpath import _arrow_id_keys, _ascending, _ascii_keys
from .report import ID_COLUMN, _report, reads, rows_shown


def _id_keys(ids: pd.Series, encoded: tuple | None = None) -> pd.Series:
    """Ids as compared: "CPF-NIN-001", "cpf nin 001" and "CPF_NIN_001 " are one forum. Each distinct id is folded
    once; a column that repeats its ids (the forums the activities name) gives its keys as categories.
    encoded: the sheet's column as load encoded it (Sheet.encoded), used while the rules have kept every row."""
    present = ids.notna()
    if not present.any():
        return ids.astype(object).where(present, None)
    if encoded is not None and len(encoded[0]) == len(ids):
        codes, distinct = distinct_cells(ids, encoded)
    elif arrow_text(ids) and not repeats_itself(arrow_array(ids)):
        return _arrow_id_keys(ids, _id_keys)
    else:
        codes, distinct = distinct_cells(ids if arrow_text(ids) else ids.where(~present, ids.astype(str)))
    folded = _fold_ids(distinct)
    if len(distinct) * 2 > len(ids):  # mostly distinct ids: as many categories as cells would gain nothing
        return pd.Series(np.append(folded, None)[codes], index=ids.index, dtype=object)
    place, keys = pd.factorize(folded)
    return pd.Series(pd.Categorical.from_codes(np.append(place, -1)[codes], categories=pd.Index(keys, dtype=object)),
                     index=ids.index)


def _fold_ids(distinct: np.ndarray) -> np.ndarray:
    """The keys of distinct ids (Python strings): plain ASCII ids folded by Arrow, the others (Arabic digits,
    letters) by Python; an id of signs alone is its own key."""
    folded = _ascii_keys(distinct).to_numpy(zero_copy_only=False).astype(object)
    other = pd.isna(folded)
    if other.any():
        texts = pd.Series(distinct[other], dtype=object).astype(str)
        # NFKC first: a full-width "ＣＰＦ-００１" or a ligature is the same id as the one typed plainly.
        folded[other] = (texts.str.normalize("NFKC").str.translate(DIGITS).str.lower().str.replace(r"[\W_]+", "_", regex=True)
                         .str.strip("_").to_numpy(dtype=object))
    return np.where(folded == "", distinct, folded)


@reads(ID_COLUMN)
def unique_ids(c: Context, table: str) -> None:
    sheet, typed = c.sheets[table], c.typed[table]
    id_column = sheet.table.id_column
    if id_column not in sheet.headers:
        return
    keys = _id_keys(typed[id_column])
    if _ascending(keys):
        return  # each id after the one above it, as sheets that number their rows in order have them
    repeated = keys.notna() & keys.duplicated(keep=False)
    if repeated.any() and sheet.parts:
        repeated &= ~keys.isin(_parts_repeating_others(c, sheet, keys, typed[ROW].to_numpy()))
    if repeated.any():
        rows_of = typed[repeated].groupby(keys[repeated])[ROW].agg(lambda rows: rows_shown(rows, sheet))
        later = repeated & keys.duplicated(keep="first")
        _report(c.findings, sheet, Code.CP209, later, id_column, sheet.frame[id_column], {"rows": keys.map(rows_of)})


def _parts_repeating_others(c: Context, sheet, keys: pd.Series, rows: np.ndarray) -> set:
    """Parts (sheets, files) whose every id is in other parts: a sheet of all the months beside the months, an
    older copy of a file beside the newer. Each is one error (CP029) naming the parts it repeats, rather than an
    error for each of its ids; their ids are returned. The largest parts are judged first, so that of "All" beside
    "April" and "May" the one said is "All"; of two alike, the one named as a copy."""
    parts = split_keys(rows)[0]
    present = keys.notna().to_numpy()
    sizes = {int(p): int(np.count_nonzero(present & (parts == p))) for p in np.unique(parts)}
    said: set[int] = set()
    ids: set = set()
    # Of parts alike in size, one whose file's name says it is a copy ("Copy of activities-ninewa.xlsx") is the one
    # said: the error tells the officer to remove it, never the original.
    for part in sorted(sizes, key=lambda p: (-sizes[p], not named_as_copy(sheet.parts[p].file), -p)):
        if sizes[part] < 2:
            continue
        mine = present & (parts == part)
        elsewhere = present & (parts != part) & ~np.isin(parts, list(said))
        known = keys[elsewhere]
        if not keys[mine].isin(known).all():
            continue
        said.add(part)
        ids |= set(keys[mine])
        holders = pd.unique(parts[elsewhere & keys.isin(set(keys[mine])).to_numpy()])
        others = [f"{named.file} ({named.sheet})" if named.sheet else named.file
                  for named in (sheet.parts[int(p)] for p in holders)]
        named = sheet.parts[part]
        c.findings.add(finding(Code.CP029, file=named.file, sheet=named.sheet or "", count=sizes[part],
                               others=others))
    return ids


@reads("cpf_id")
def forum_named(c: Context, table: str) -> None:
    sheet, activities = c.sheets[table], c.typed[table]
    if "cpf_id" not in sheet.headers or "cpfs" not in c.sheets:
        return
    known = set(_id_keys(c.typed["cpfs"]["cpf_id"]).dropna())
    keys = _id_keys(activities["cpf_id"], sheet.encoded.get("cpf_id"))
    _report(c.findings, sheet, Code.CP304, keys.notna() & ~keys.isin(known), "cpf_id", sheet.frame["cpf_id"])
