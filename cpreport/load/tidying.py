"""Tidying cells: stray spaces, placeholders read as empty, total rows left out."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from ..contract import Table, PLACEHOLDERS, DASHES, is_total_word, is_whole_country
from ..findings import Code, Findings, finding
from .fastpath import arrow_candidates, may_change
from .headers import top_rows
from .sheets import HEADER_SEARCH_ROWS, ROW
from .text import ARROW_TEXT, arrow_array, arrow_text


def _tidy_texts(before: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Distinct texts, tidied: the text (None if empty) and whether it changed beyond its spaces."""
    text = before.str.strip()
    # The regular expressions run only on cells with odd spaces or marks: most cells have none.
    odd = text.str.contains("[\u00a0\u2007\u202f\u200b\u200e\u200f\u061c\ufeff]|\\s\\s", regex=True)
    if odd.any():
        text[odd] = (text[odd].str.replace(r"[\u00a0\u2007\u202f\u200b\u200e\u200f\u061c\ufeff]", " ", regex=True)
                     .str.replace(r"\s+", " ", regex=True).str.strip())
    blank = (text == "") | text.isin(DASHES) | text.map(lambda t: len(t) <= 9 and t.lower() in PLACEHOLDERS)
    differs = blank & (text != "")
    if odd.any():
        differs[odd] |= text[odd].str.replace(" ", "") != before[odd].str.replace(r"\s", "", regex=True)
    return text.where(~blank, None), differs


# What pandas.api.types.infer_dtype calls a column that has no text in it.
NO_TEXT = {"empty", "integer", "floating", "mixed-integer-float", "decimal", "complex", "boolean", "datetime64",
           "datetime", "date", "timedelta64", "timedelta", "time", "period", "interval", "bytes"}


def text_cells(column: pd.Series) -> pd.Series:
    """Which cells hold text; a column of text alone (every CSV, most columns of a workbook) is told at once."""
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind == "string":
        return column.notna()
    if kind in NO_TEXT:
        return pd.Series(False, index=column.index)
    return column.map(type) == str


class Texts(NamedTuple):
    """What tidying, the search for total rows and for empty rows start from, found once per column."""

    values: object  # the cells (empty ones None); an Arrow text column as it is
    is_text: np.ndarray  # which cells hold text
    distinct: np.ndarray  # the distinct texts (of an Arrow column, those tidying may change or may label a total)
    blanked: bool  # whether an empty cell was other than None
    present: np.ndarray  # which cells are not empty
    encoded: tuple[np.ndarray, object] | None = None  # see Sheet.encoded
    digits: bool = False  # every cell that is not empty is plain digits (an Arrow column's, told from its bytes)


def column_texts(column: pd.Series) -> Texts:
    """A column's Texts. An Arrow text column is given as it is, with only the distinct texts that tidying may
    change or that may label a total row."""
    if arrow_text(column):
        # Only texts that tidying may change, or that may label a total row, are made Python strings.
        present = column.notna().to_numpy()
        candidates, encoded, digits = arrow_candidates(column)
        return Texts(column, present, candidates, False, present, encoded, digits)
    values = column.to_numpy(dtype=object)
    present = pd.notna(values)
    blanked = not present.all() and any(v is not None for v in values[~present])
    if blanked:
        values = np.where(present, values, None)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in NO_TEXT:
        return Texts(values, np.zeros(len(values), dtype=bool), np.array([], dtype=object), blanked, present)
    is_text = present if kind == "string" else (pd.Series(values, dtype=object).map(type) == str).to_numpy()
    return Texts(values, is_text, pd.unique(values[is_text]), blanked, present)


def tidy(column: pd.Series, texts: Texts | None = None) -> tuple[pd.Series, pd.Series | None]:
    """Trim stray and non-breaking spaces; empty, dash-only and "N/A" cells become empty.

    Returns the tidied column and, where a cell was changed beyond its spaces, the cell as written (None when
    no cell was)."""
    values, is_text, distinct, blanked = (texts or column_texts(column))[:4]
    if blanked:
        column = pd.Series(values, index=column.index, dtype=object)
    # Distinct texts that cannot change are found by Arrow; only the others are tidied one by one.
    distinct = distinct[may_change(distinct)] if len(distinct) else distinct
    if not len(distinct):
        return column, None
    text, differs = _tidy_texts(pd.Series(distinct, dtype=object))
    after = text.to_numpy(dtype=object)
    moved = pd.isna(after) | (after != distinct)
    if not moved.any():
        return column, None
    # Only the cells whose text changes are looked up and replaced.
    if arrow_text(column):
        import pyarrow as pa
        import pyarrow.compute as pc

        array = arrow_array(column)
        at = pc.fill_null(pc.index_in(array, value_set=pa.array(distinct[moved], type=array.type)), -1).to_numpy()
        hit = at >= 0
        replaced = pc.if_else(hit, pa.array(after[moved], type=array.type).take(np.where(hit, at, 0)), array)
        tidied = pd.Series(replaced, index=column.index, dtype=ARROW_TEXT)
    else:
        at = pd.Index(distinct[moved], dtype=object).get_indexer(values)
        hit = (at >= 0) & is_text
        out = values.copy()
        out[hit] = after[moved][at[hit]]
        tidied = pd.Series(out, index=column.index, dtype=object)
    shown = differs.to_numpy(dtype=bool)[moved][np.where(hit, at, 0)] & hit
    if not shown.any():
        return tidied, None
    written = pd.Series(None, index=column.index, dtype=object)
    written[shown] = column[shown].to_numpy(dtype=object)
    return tidied, written


def _total_words(distinct: np.ndarray) -> list:
    """The distinct texts of a column that label a total row."""
    texts = distinct
    if len(texts) > 64:
        import pyarrow as pa
        import pyarrow.compute as pc

        # No total word has a digit or more than 24 letters: Arrow sets those aside, Python reads the rest.
        array = pa.array(texts, type=pa.string())
        short = pc.and_(pc.less_equal(pc.utf8_length(array), 24), pc.invert(pc.match_substring_regex(array, "[0-9]")))
        texts = texts[short.to_numpy(zero_copy_only=False)]
    return [u for u in texts if is_total_word(u)]


def _whole_scope_rows(body: pd.DataFrame, table: Table, where: dict, findings: Findings
                      ) -> tuple[pd.DataFrame, pd.Series | None]:
    """Displacement rows whose governorate names them all ("Total", "Iraq", or the Arabic for them): DTM's tables end with the
    whole country's figure, which left out would leave the sum of the governorates listed (a part of the country)
    standing for it. Each is read as a row without a governorate, and said in a note."""
    if table.name != "displacement" or "governorate" not in body:
        return body, None
    column = body["governorate"]
    named = [text for text in pd.unique(column.dropna()) if is_whole_country(text)]
    if not named:
        return body, None
    whole = column.isin(named).to_numpy(dtype=bool, copy=True)
    # A figure of its own: dated, of a metric. A "Total" row under the whole table, summing figures of many dates
    # or metrics, is a total row as in any table.
    for own in ("as_of", "metric", "individuals"):
        if own in body:
            whole &= body[own].notna().to_numpy(dtype=bool)
    if not whole.any():
        return body, None
    for index in body.index[whole]:
        findings.add(finding(Code.CP035, **where, row=int(body.at[index, ROW]),
                             value=str(body.at[index, "governorate"]).strip()))
    body = body.copy()
    body.loc[whole, "governorate"] = None
    return body, pd.Series(whole, index=body.index)


def drop_total_rows(body: pd.DataFrame, cells: pd.DataFrame, table: Table, where: dict,
                     findings: Findings, texts: dict) -> pd.DataFrame:
    """Leave out rows labelled "Total" in any cell (said in a note), unless the row has an id of its own. A
    displacement row whose governorate is "Total" (or "Iraq") is the whole scope's figure, and is kept as one."""
    if body.empty:
        return body
    body, whole = _whole_scope_rows(body, table, where, findings)
    label = pd.Series(None, index=body.index, dtype=object)
    for position in range(cells.shape[1]):
        words = _total_words(texts[position].distinct)
        if not words:
            continue
        column = cells.iloc[:, position]
        hit = column[column.isin(words)]
        label[hit.index] = label[hit.index].where(label[hit.index].notna(), hit)
    is_total = label.notna() if whole is None else label.notna() & ~whole
    if table.id_column and table.id_column in body:
        ids = body[table.id_column]
        # The id column is tidied by now (" Total " reads "Total"): its label is compared both ways.
        labels = pd.Series(label.dropna().unique(), dtype=object)
        if len(labels):
            is_total &= ids.isna() | ids.isin([*labels, *_tidy_texts(labels)[0].dropna()])
    if not is_total.any():
        return body  # as it is: a selection of every row would still copy every column
    for index in is_total[is_total].index:
        findings.add(finding(Code.CP018, **where, row=int(body.at[index, ROW]), value=str(label[index]).strip()))
    return body[~is_total]


def has_cells(grid: pd.DataFrame) -> bool:
    """Whether a sheet has anything in it; a sheet with a header says so in its first rows, unread below them."""
    if grid.empty:
        return False

    def filled(cell: object) -> bool:  # spaces alone are nothing, as tidying has it
        return cell.strip() != "" if isinstance(cell, str) else cell is not None and not pd.isna(cell)

    if any(filled(cell) for row in top_rows(grid) for cell in row):
        return True
    rest = grid.iloc[HEADER_SEARCH_ROWS:]
    return bool(rest.notna().to_numpy().any()) and any(filled(cell) for cell in rest.to_numpy(dtype=object).ravel())
