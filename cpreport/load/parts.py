"""One sheet's grid as a part of a table: header found, columns named, cells tidied, rows numbered."""
from __future__ import annotations

import re

from pathlib import Path

import numpy as np
import pandas as pd

from ..contract import (INTEGER, Intake, Table, choice_flags, fold, is_central_export, is_export_header, is_meta_column,
                        is_total_word, says_share)
from ..findings import Code, Findings, finding
from .headers import (columns_named, column_keys, deep_header, find_header, header_score, more_header_rows, near_miss,
                      top_rows)
from ..threads import each_column
from .exports import lone_ticks, not_accepted, question_and_choice
from .fastpath import cells_among
from .limits import Limits
from .sheets import HEADER_SEARCH_ROWS, ROW, Sheet
from .text import ARROW_TEXT, arrow_array, arrow_text
from .tidying import column_texts, drop_total_rows, tidy
from .workbooks import fill_merged, merged_ranges


def to_sheet(grid: pd.DataFrame, table: Table, file: str, sheet: str, findings: Findings,
             path: Path | None = None, typed_cells: bool = True, intake: Intake | None = None,
             header_row: int | None = None) -> Sheet | None:
    """Find the header, name the columns, drop empty and total rows, and number the rows as the user sees them.
    header_row: the header's row (from 1) when the config names it."""
    where = {"file": file, "sheet": sheet}
    if not (isinstance(grid.index, pd.RangeIndex) and grid.index.start == 0 and grid.index.step == 1):
        grid = grid.reset_index(drop=True)
    header_index, header = find_header(grid, table, intake, header_row)
    if header_index is None:
        deep = deep_header(grid, intake, (table,)) if header_row is None else None
        if deep is not None:  # the header is there, below the rows searched: said where, not "add a header"
            findings.add(finding(Code.CP044, **where, row=deep[1], table=table.name, header_row=deep[1],
                                 searched=HEADER_SEARCH_ROWS))
            return None
        expected = [c.name for c in table.columns if c.required]
        findings.add(finding(Code.CP004, **where, expected=expected,
                             expected_ar=[c.label_ar or c.name for c in table.columns if c.required]))
        return None
    by_key = column_keys(table, intake)
    if header_row is not None and columns_named(header, by_key) < min(2, sum(c.required for c in table.columns)):
        # The config's header_row one off (a title row counted, or not): the row it names is data, and its first
        # row would be lost as a second header row. Said, with the row that is the header.
        found, _ = header_score(grid, table, None, intake)
        findings.add(finding(Code.CP040, **where, row=header_row, header_row=header_row,
                             found=found + 1 if found is not None else 0))
        return None
    extra = more_header_rows(grid, header_index, table, intake)
    under = top_rows(grid, header_index + 2)
    header, grouped = _grouped_header(header, under[header_index + 1] if len(under) > header_index + 1 else None)
    extra = max(extra, grouped)
    around = top_rows(grid, header_index + 1 + extra)
    # A header of two rows: the one under it, or the one over it when that names columns too.
    header = _header_with_rows(header, around[header_index + 1:] + around[max(header_index - 1, 0):header_index],
                               by_key)
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    header_row = header_index + 1
    export = is_export_header(header)
    central = export and is_central_export(header)
    meta, unknown, ticked, shares = [], [], [], []
    kinds = {column.name: column.kind for column in table.columns}
    labels = {column.name: column.label_ar or column.name for column in table.columns}
    ticks, lone = choice_flags(header) if export else set(), set()
    if export:  # the choices of a question exported as columns of 0 and 1 without the question's own column
        mapped = {" ".join(h.lower().split()) for headers_of in (intake.columns.get(table.name, {}) if intake else {}).values()
                  for h in headers_of}
        lone = lone_ticks(header, grid.iloc[header_index + 1 + extra:], mapped) - ticks
        ticks |= lone
    for position, text in enumerate(header):
        if not text:
            continue
        if export and is_meta_column(text, central):
            meta.append(text)  # the form's bookkeeping: never one of the contract's columns
            continue
        if position in ticks:  # a choice of a select_multiple question (0 or 1): named with the others, never near
            ticked.append((position, text))
            canonical = by_key.get(by_key.key(text) or "")
            if position in lone and canonical is not None and kinds[canonical] == INTEGER:
                findings.add(finding(Code.CP108, **where, row=header_row, column=text, column_number=position + 1,
                                     question=question_and_choice(text)[0], canonical=canonical,
                                     canonical_ar=labels[canonical], table=table.name))
            continue
        canonical = by_key.get(by_key.key(text) or "")
        if canonical is not None and kinds[canonical] == INTEGER and says_share(text):
            # "Female (%)": a share, never the count its words name (its percentages would be added up as women).
            shares.append((position, text, canonical))
            continue
        if canonical is None:
            unknown.append((position, text))
        elif canonical in headers:
            findings.add(finding(Code.CP103, **where, row=header_row, column=text, canonical=canonical,
                                 other=headers[canonical], column_number=position + 1))
        else:
            headers[canonical] = " / ".join(line.strip() for line in text.splitlines() if line.strip())
            positions[canonical] = position
    for position, text, canonical in shares:
        if canonical in headers:
            unknown.append((position, text))  # beside the count itself: a column outside the table, said with them
        else:
            findings.add(finding(Code.CP107, **where, row=header_row, column=text, column_number=position + 1,
                                 canonical=canonical, canonical_ar=labels[canonical]))
    unknown.sort()
    if meta:
        findings.add(finding(Code.CP021, **where, row=header_row, columns=list(meta), count=len(meta)))
    # A header spelt close to an optional column the sheet lacks (the district's Arabic header, one letter from the
    # judiciary's) is a warning of its own: the column would be left out of the figures unnoticed, and its counts with it.
    for column in table.columns:
        if column.required or column.name in headers:
            continue
        near = near_miss(column, [text for _, text in unknown])
        if near is not None:
            position = next(n for n, text in unknown if text == near)
            unknown = [(n, text) for n, text in unknown if n != position]
            findings.add(finding(Code.CP105, **where, row=header_row, column=near, column_number=position + 1,
                                 table=table.name, canonical=column.name, canonical_ar=column.label_ar))
    if unknown or ticked:
        # Columns outside the contract are named once, in one note per sheet.
        listed = sorted(unknown + ticked)
        findings.add(finding(Code.CP102, **where, row=header_row, column=listed[0][1], table=table.name,
                             column_number=listed[0][0] + 1, columns=[t for _, t in listed]))
    for column in table.columns:
        if column.required and column.name not in headers:
            near = near_miss(column, [text for _, text in unknown])
            findings.add(finding(Code.CP101, **where, row=header_row, column=column.name, column_ar=column.label_ar,
                                 near=near, table=table.name))
    first_row = header_index + 1 + extra
    below = grid.iloc[first_row:]
    if export:
        not_accepted(header, below, first_row, where, findings)
    # Merged cells are looked for where a required cell, or a count, is empty in a row that has something.
    watched = [positions[c.name] for c in table.columns if (c.required or c.kind == INTEGER) and c.name in positions]
    # Each column's distinct texts and empty cells are found once, for the search for merged cells, tidying,
    # and the search for empty and total rows.
    texts = dict(enumerate(each_column(column_texts, [below.iloc[:, n] for n in range(below.shape[1])], len(below))))
    if typed_cells and watched and len(below):
        # Merged cells come back empty but for their first cell; look for merges only where a required cell or a
        # count is empty in a row that has something, so that clean sheets are read once.
        gap = np.logical_or.reduce([~texts[position].present for position in watched])
        if (gap & np.logical_or.reduce([t.present for t in texts.values()])).any():
            ranges = merged_ranges(path, sheet)
            if ranges:
                counts = {positions[c.name] for c in table.columns if c.kind == INTEGER and c.name in positions}
                grid, shared = fill_merged(grid, ranges, counts, first_row)
                for (top, left), (bottom, _) in shared:
                    findings.add(finding(Code.CP036, **where, row=top + 1, column=header[left] or "",
                                         value=str(grid.iat[top, left]), first=top + 1, last=bottom + 1))
                below = grid.iloc[first_row:]
                texts = dict(enumerate(each_column(column_texts, [below.iloc[:, n] for n in range(below.shape[1])], len(below))))
    for position, text in enumerate(header):
        filled = 0 if text else _filled(texts[position])
        if filled:  # figures under no header: never read, never dropped without a word
            from openpyxl.utils import get_column_letter

            findings.add(finding(Code.CP104, **where, row=header_row, column_number=position + 1, count=filled,
                                 letter=get_column_letter(position + 1), table=table.name))
    _rows_wider_than_the_header(header, texts, first_row, typed_cells, where, findings)
    limits = (intake.limits if intake else None) or Limits()
    for name, position in positions.items():
        longest = _longest(texts[position], limits.cell_characters)
        if longest > limits.cell_characters:
            findings.add(finding(Code.CP025, **where, column=headers[name], column_number=position + 1,
                                 detail=f"a cell of the column '{headers[name]}' holds {longest:,} characters, more "
                                        f"than the {limits.cell_characters:,} a cell may hold (cell_characters)"))
            return None
    body = below.iloc[:, list(positions.values())].copy()
    body.columns = list(positions)
    changed: dict[str, pd.Series] = {}
    encoded: dict[str, tuple[np.ndarray, object]] = {}
    wordless = set()  # the columns of plain digits or of no text, as read: no cell of them names a column
    present = []
    for name, position in positions.items():
        column = body[name]
        tidied, written = tidy(column, texts[position])
        if tidied is not column:
            body[name] = tidied
            present.append(tidied.notna().to_numpy())
        else:  # a column left as it was read: its encoding holds (a tidied one's would not)
            present.append(texts[position].present)
            if texts[position].encoded is not None:
                encoded[name] = texts[position].encoded
            if texts[position].digits or not arrow_text(column) and not texts[position].is_text.any():
                wordless.add(name)  # plain digits, or no text at all (a workbook's counts and dates)
        mapping = (intake.values.get(table.name, {}).get(name) if intake else None)
        if mapping:
            tidied, mapped = _mapped(body[name], mapping)
            if mapped is not None:
                body[name] = tidied
                encoded.pop(name, None)
                wordless.discard(name)
                written = mapped if written is None else written.where(written.notna(), mapped)
        if written is not None:
            changed[name] = written
    filled = pd.Series(np.logical_or.reduce(present) if present else np.zeros(len(body), dtype=bool),
                       index=body.index)
    if not filled.all():
        body, changed = body[filled], {name: mask[filled] for name, mask in changed.items()}
    body.insert(0, ROW, body.index + 1)
    body = _drop_repeated_headers(body, table, headers, where, header_row, findings, wordless, encoded,
                                  below.index)
    if body is None:
        return None
    body = _drop_notes_under(body, headers, where, findings)
    body = drop_total_rows(body, below if len(body) == len(below) else below.loc[body.index], table, where,
                            findings, texts)
    keep = body.index
    kept = below.index.get_indexer(keep)  # the rows of below kept
    return Sheet(table, file, sheet, body.reset_index(drop=True), headers,
                 {c: p + 1 for c, p in positions.items()}, path, header_row, typed_cells,
                 {name: mask[keep].reset_index(drop=True) for name, mask in changed.items()},
                 encoded={name: _rows_kept(places, distinct, kept) for name, (places, distinct) in encoded.items()})


def _grouped_header(header: list[str], under: list | None) -> tuple[list[str], int]:
    """A header cell spread over the columns after it ("Participants" merged over three, or typed once over
    them), with the row under it naming each of those columns ("Total", "Female", "Male") and nothing else
    (the other headers merged down both rows): the row under is a header too, and each column of the group is
    named by it; "Total" names the group's own column. Without it, the first column of the group would be read
    as the group ("Participants" over "Female", "Male": the women read as the participants). The header and
    the rows it adds (0 or 1)."""
    def label(cell: object) -> bool:
        return isinstance(cell, str) and bool(cell.strip()) and not NUMBER_LIKE.match(cell.strip())

    if under is None:
        return header, 0
    width = len(header)
    groups, position = [], 0
    while position < width:
        last = position
        if header[position]:
            while last + 1 < width and not header[last + 1] and last + 1 < len(under) and label(under[last + 1]):
                last += 1
            if last > position and position < len(under) and label(under[position]):
                groups.append((position, last))
        position = last + 1
    if not groups:
        return header, 0
    inside = {n for first, last in groups for n in range(first, last + 1)}
    if any(cell is not None and not (isinstance(cell, str) and not cell.strip()) and not pd.isna(cell)
           for n, cell in enumerate(under[:width]) if n not in inside):
        return header, 0  # the row under says more than the group's names: data, or a header of its own
    header = list(header)
    for first, last in groups:
        whole = header[first]
        for n in range(first, last + 1):
            named = str(under[n]).strip()
            header[n] = whole if is_total_word(named) else named
    return header, 1


NUMBER_LIKE = re.compile(r"^[-+(]?[\d\u0660-\u0669\u06f0-\u06f9][\d\u0660-\u0669\u06f0-\u06f9,.\u066b\u066c /:-]*\)?%?$")


def _header_with_rows(header: list[str], others: list[list], by_key) -> list[str]:
    """A header of two rows, as offices merge them ("Participants" over "Female", "Police", ...; "Activity ID"
    merged down two rows beside them): a cell of the header that names no column takes the name of the cell
    over or under it, when that one names a column the header does not. A row that names fewer than two such
    columns (a title over the header) gives none."""
    named = {by_key[k] for text in header if text and (k := by_key.key(text))}
    header = list(header)
    for row in others:
        given = {}
        for position, cell in enumerate(row[:len(header)]):
            if not isinstance(cell, str) or not cell.strip() or (header[position] and by_key.key(header[position])):
                continue
            key = by_key.key(cell)
            if key and by_key[key] not in named and by_key[key] not in given.values():
                given[position] = by_key[key]
        if len(given) >= 2:
            for position, column in given.items():
                header[position] = str(row[position]).strip()
                named.add(column)
    return header


def _drop_repeated_headers(body: pd.DataFrame, table: Table, headers: dict[str, str], where: dict, header_row: int,
                           findings: Findings, wordless: set[str] = frozenset(),
                           encoded: dict[str, tuple] | None = None, read: pd.Index | None = None
                           ) -> pd.DataFrame | None:
    """Leave out rows that repeat the header (two tables pasted one under the other), said in a note; a header
    repeated in another order is an error (None), as the rows under it would be read under the wrong columns.
    wordless: columns of plain digits or of no text, which name no column; encoded: columns' places among their
    distinct texts (Sheet.encoded) for the rows of `read` (the index of the rows they were found for)."""
    columns = {c.name: c for c in table.columns}
    names = {name: {headers[name], name, columns[name].label_ar} - {""} for name in headers}
    everyone = {text: name for name, texts in names.items() for text in texts}
    same = np.zeros(len(body), dtype=int)
    other = np.zeros(len(body), dtype=int)
    at = read.get_indexer(body.index) if encoded and read is not None else None  # body's rows among those read
    for name in headers:
        if name in wordless:
            continue
        hit = _naming(body[name], set(everyone), (encoded or {}).get(name) if at is not None else None, at)
        if not hit.any():
            continue
        own = cells_among(body[name][hit], names[name])
        same[hit] += own
        other[hit] += ~own
    same, other = pd.Series(same, index=body.index), pd.Series(other, index=body.index)
    again = (same + other) >= 2
    if not again.any():
        return body
    # A row with most of its named cells naming columns is a header; one or two words alone are data.
    filled = body[list(headers)].notna().sum(axis=1)
    again &= (same + other) * 2 >= filled
    if not again.any():
        return body
    for index in again[again].index:
        row = int(body.at[index, ROW])
        if other[index]:
            for name in headers:
                cell = body.at[index, name]
                meant = everyone.get(cell) if isinstance(cell, str) else None
                if meant is not None and meant != name:
                    findings.add(finding(Code.CP028, **where, row=row, column=headers[name], value=cell,
                                         header_row=header_row))
                    return None
        findings.add(finding(Code.CP027, **where, row=row))
    return body[~again]


def _naming(column: pd.Series, texts: set[str], encoded: tuple | None, at: np.ndarray | None) -> np.ndarray:
    """Which cells of a column are one of texts: through the column's distinct texts when it was encoded (at: the
    column's rows among those the encoding was found for)."""
    if encoded is None:
        return cells_among(column, texts)
    places, distinct = encoded
    found = np.flatnonzero(cells_among(pd.Series(distinct, dtype=ARROW_TEXT), texts))
    if not len(found):
        return np.zeros(len(column), dtype=bool)
    return np.isin(places[at], found)


NOTES_UNDER = 10  # the most notes under a table that are left out as notes


def _drop_notes_under(body: pd.DataFrame, headers: dict[str, str], where: dict, findings: Findings) -> pd.DataFrame:
    """Leave out the notes typed under a table ("Prepared by: …", a remark in Arabic), each said in a note: rows after the
    last row of two cells or more, with one cell alone, a text of three words or more (an id typed alone, the
    start of a row, is not one, and stays to be said as incomplete)."""
    if len(body) < 2:
        return body
    cells = body.iloc[-NOTES_UNDER - 1:][list(headers)]  # the last rows alone: a few notes, under a row of data
    count = cells.notna().sum(axis=1).to_numpy()
    rows = np.flatnonzero(count >= 2)
    if not len(rows) or rows[-1] == len(cells) - 1:
        return body
    tail = cells.index[rows[-1] + 1:]
    notes = []
    for index in tail:
        given = cells.loc[index].dropna()
        text = given.iloc[0] if len(given) == 1 else None
        if not isinstance(text, str) or len(text.split()) < 3:
            return body  # something else under the table: read as its rows, and said if it is not one
        notes.append((index, text))
    for index, text in notes:
        findings.add(finding(Code.CP030, **where, row=int(body.at[index, ROW]), value=text))
    return body.drop(index=[index for index, _ in notes])


# KoboToolbox's review of a submission (_validation_status, as its API and its "XML values" export write it, or
# as its labels export does).
def _rows_wider_than_the_header(header: list, texts: dict, first_row: int, typed_cells: bool, where: dict,
                                findings: Findings) -> None:
    """In a text file, a row with cells past the header's last is a row whose cells moved: a number written with
    its thousands separator in a comma-separated file ("3,042,288" unquoted) is three cells, and the figure read
    would be its first (3). Each such row is an error. (A workbook's cells past the header stay where they were
    typed, and are said as figures under no header, CP104.)"""
    if typed_cells:
        return
    named = [position for position, text in enumerate(header) if text]
    if not named:
        return
    beyond = [texts[position].present for position in range(named[-1] + 1, len(header))
              if position in texts and texts[position].present.any()]
    if not beyond:
        return
    for at in np.flatnonzero(np.logical_or.reduce(beyond))[:ROWS_SAID]:
        findings.add(finding(Code.CP037, **where, row=first_row + int(at) + 1,
                             count=int(sum(bool(present[at]) for present in beyond))))


ROWS_SAID = 100  # rows of a file said one by one (a file shifted on every row is said by its first hundred)


def _filled(texts) -> int:
    """How many cells of a column hold something other than spaces (or the label of a total row)."""
    if not texts.present.any():
        return 0
    cells = pd.Series(texts.values, dtype=object)[texts.present]
    return int((~cells.map(lambda v: isinstance(v, str) and (not v.strip() or is_total_word(v.strip())))).sum())


def _longest(texts, limit: int) -> int:
    """The length of a column's longest text: of its distinct texts, or, for Arrow text, of its cells' bytes (a
    bound on their characters, found at once)."""
    if arrow_text(texts.values):
        import pyarrow.compute as pc

        array = arrow_array(texts.values)
        longest = pc.max(pc.binary_length(array)).as_py() if len(array) else 0
        if not longest or longest <= limit:  # no more characters than bytes
            return longest or 0
        return int(pc.max(pc.utf8_length(array)).as_py())
    return max(map(len, texts.distinct), default=0)  # the texts of the column alone (column_texts)


def _rows_kept(places: np.ndarray, distinct, kept: np.ndarray) -> tuple[np.ndarray, object]:
    """A column's encoding (Sheet.encoded) of the rows kept alone: a text only a row left out had (a total row's
    label, say) is left out of the distinct texts too, as the column read without an encoding would have it."""
    import pyarrow as pa

    if len(kept) == len(places) and (len(kept) == 0 or kept[0] == 0 and kept[-1] == len(places) - 1):
        return places, distinct  # every row kept (kept rows are in order, each once): the encoding as it is
    places = places[kept]
    used = np.unique(places[places >= 0])
    if len(used) == len(distinct):
        return places, distinct
    renumbered = np.full(len(distinct), -1)
    renumbered[used] = np.arange(len(used))
    return np.where(places >= 0, renumbered[places], -1), distinct.take(pa.array(used))


def _mapped(column: pd.Series, mapping: dict[str, str]) -> tuple[pd.Series, pd.Series | None]:
    """A column with the project's own values ([values] in the config) read as the contract's: the column, and
    the cells as written where one was replaced (None when none was)."""
    cells = column.astype(object)
    meant = cells.map(lambda v: mapping.get(fold(v)) if isinstance(v, str) else None)
    hit = meant.notna()
    if not hit.any():
        return column, None
    written = pd.Series(None, index=column.index, dtype=object)
    written[hit] = cells[hit]
    return cells.where(~hit, meant), written
