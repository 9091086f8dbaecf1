"""A CSV read by Arrow's parser and kept as Arrow text gives what the older reading gives (pandas' C parser, or the
csv module for ragged rows, into Python objects): the same typed tables and the same findings, for clean and messy
cells, few distinct texts or many."""
from __future__ import annotations

import csv
import datetime as dt
import random

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpreport.contract import TOTAL_WORDS, is_total_word
from cpreport.load import fastpath, text as text_files, tidying
from cpreport.contract import TABLES
from cpreport.load import arrow_text, load
from cpreport.validate import validate

END = dt.date(2017, 5, 31)
SCOPES = {"national"}

# Cells as field offices type them, with the spaces, marks, dashes and words that tidying deals with.
MESSY = ["", " ", "-", " — ", "N/A", "n/a ", "لا يوجد", "Total", " TOTAL: ", "المجموع", "Grand  Total", "\u00a0x",
         "a\u00a0b", "a  b", "a\tb", " lead", "trail ", "x\u200f", "\ufeffy", "12", "١٢", "1,200", "1.200", "3.042.288",
         "2017-05-02", "02/05/2017", "2 May 2017", "٢ أيار ٢٠١٧", "Ninewa", " نينوى ", "IQG15", "IOM", "Local police",
         "training", " Workshop", "conference", "CPF-1", "cpf 1", "CPF_1 ", "CPF-١", "national", "displaced_current",
         "=1+2", "2017-02-30", "1890-01-01", "2017-13-01", "2016-02-29", "1234567890123", "007"]


def _write(folder, rows_by_table):
    for name, rows in rows_by_table.items():
        with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow([c.name for c in TABLES[name].columns])
            writer.writerows(rows)


def _both_ways(folder, monkeypatch):
    """The data folder checked as read by Arrow's parser, and as read the older way (into Python objects)."""
    arrow = load(folder)
    assert all(arrow_text(sheet.frame[c]) for sheet in arrow.sheets.values() for c in sheet.headers)
    by_arrow = validate(arrow, END, SCOPES)
    with monkeypatch.context() as patch:
        patch.setattr(text_files, "ARROW_PARSER", False)
        plain = load(folder)
        assert not any(arrow_text(sheet.frame[c]) for sheet in plain.sheets.values() for c in sheet.headers)
        by_csv = validate(plain, END, SCOPES)
    return by_arrow, by_csv


def _assert_same(by_arrow, by_csv):
    def said(checked):
        return [(f.code, f.file, f.row, f.column, str(f.value), f.message_en) for f in checked.findings]

    assert said(by_arrow) == said(by_csv)
    for name in ("forums", "activities", "displacement"):
        ours, theirs = getattr(by_arrow, name), getattr(by_csv, name)
        assert list(ours.columns) == list(theirs.columns)
        for column in ours.columns:
            assert ours[column].dtype == theirs[column].dtype, (name, column)
            assert ours[column].astype(object).where(ours[column].notna(), None).tolist() == \
                theirs[column].astype(object).where(theirs[column].notna(), None).tolist(), (name, column)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_messy_cells_read_alike_either_way(tmp_path_factory, monkeypatch, data):
    folder = tmp_path_factory.mktemp("csv")
    rows_by_table = {}
    for name, table in TABLES.items():
        width = len(table.columns)
        rows_by_table[name] = data.draw(st.lists(st.lists(st.sampled_from(MESSY), min_size=width, max_size=width),
                                                 min_size=1, max_size=8), label=name)
    _write(folder, rows_by_table)
    _assert_same(*_both_ways(folder, monkeypatch))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_long_sheet_of_distinct_ids_and_titles_reads_alike_either_way(tmp_path, monkeypatch, seed):
    # Over a thousand distinct ids and titles: the texts that may change are picked out by Arrow, not by Python.
    rng = random.Random(seed)
    forums = [[f"CPF-{i}", f"Forum {i}", f"منتدى {i}", "Ninewa", "Mosul", "IOM", "2016-01-0{1 + i % 9}", "active"]
              for i in range(30)]
    activities = []
    for i in range(1500):
        row = [f"ACT-{i:05d}", "training", f"Session {i}", f"جلسة {i}", f"2017-0{1 + i % 5}-1{i % 10}",
               "", "Ninewa", f"CPF-{i % 30}", "20", "5", "4", "4", "4", "4", "4"]
        if rng.random() < 0.05:
            column = rng.randrange(len(row))
            row[column] = rng.choice([f" {row[column]}", f"{row[column]}\u00a0", row[column].replace("-", "  "),
                                      rng.choice(MESSY)])
        activities.append(row)
    activities[700][0] = activities[300][0].lower().replace("-", " ")  # the same id, written otherwise
    activities[900][2] = "Total"
    displacement = [["2017-05-02", "national", "displaced_current", "", "358656"]]
    _write(tmp_path, {"cpfs": forums, "activities": activities, "displacement": displacement})
    by_arrow, by_csv = _both_ways(tmp_path, monkeypatch)
    assert any(f.code == "CP209" for f in by_arrow.findings)  # the id given twice is found
    _assert_same(by_arrow, by_csv)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_long_sheet_read_column_by_column_side_by_side_says_what_one_thread_says(tmp_path, monkeypatch, kind):
    # From threads.SIDE_BY_SIDE_ROWS rows the columns are read in threads: the same tables, and the same findings
    # in the same order, as when they are read one after the other.
    from cpreport import threads

    rng = random.Random(5)
    rows = 2000
    monkeypatch.setattr(threads, "SIDE_BY_SIDE_ROWS", 100)  # every sheet but the forums' read side by side
    forums = [[f"CPF-{i}", f"Forum {i}", f"منتدى {i}", "Ninewa", "Mosul", "IOM", "2016-01-0{1 + i % 9}", "active"]
              for i in range(30)]
    activities = []
    for i in range(rows):
        row = [f"ACT-{i:06d}", ("training", "workshop")[i % 2], f"Session {i}", f"جلسة {i}",
               f"2017-0{1 + i % 5}-1{i % 10}", "", ("Ninewa", "Anbar", "نينوى")[i % 3], f"CPF-{i % 30}", "20", "5",
               "4", "4", "4", "4", "4"]
        if rng.random() < 0.03:
            column = rng.randrange(len(row))
            row[column] = rng.choice(MESSY)
        activities.append(row)
    displacement = [["2017-05-02", "national", "displaced_current", "", "358656"]]
    _write(tmp_path, {"cpfs": forums, "activities": activities, "displacement": displacement})
    if kind == "xlsx":
        frame = pd.read_csv(tmp_path / "activities.csv", dtype=str, keep_default_na=False)
        frame.to_excel(tmp_path / "activities.xlsx", index=False)
        (tmp_path / "activities.csv").unlink()

    def checked(workers: int):
        with monkeypatch.context() as patch:
            patch.setattr(threads, "THREADS", workers)
            result = validate(load(tmp_path), END, SCOPES)
        return result, [(f.code, f.file, f.row, f.column, f.value) for f in result.findings]

    pooled = []
    monkeypatch.setattr(threads, "_workers", lambda _workers=threads._workers: pooled.append(1) or _workers())
    (alone, said_alone), (side_by_side, said) = checked(1), checked(2)
    assert pooled  # the second reading was side by side
    assert len(said_alone) > 20 and any(code == "CP211" for code, *_ in said_alone)
    assert said == said_alone
    _assert_same(side_by_side, alone)


@pytest.mark.parametrize("cached", [False, True])
def test_office_workbooks_read_side_by_side_say_what_one_thread_says(tmp_path, monkeypatch, cached):
    # Workbooks of a data folder past threads.SIDE_BY_SIDE_BYTES are read two at once: the same tables, and the
    # same findings in the same order, as when they are read one after the other, with the parse cache or not.
    from cpreport import threads
    from cpreport.cache import Reader

    rng = random.Random(11)
    forums = [[f"CPF-{i}", f"Forum {i}", f"منتدى {i}", "Ninewa", "Mosul", "IOM", "2016-01-0{1 + i % 9}", "active"]
              for i in range(30)]
    _write(tmp_path, {"cpfs": forums, "displacement": [["2017-05-02", "national", "displaced_current", "", "358656"]]})
    for office in range(4):
        rows = []
        for i in range(150):
            row = [f"ACT-{office}-{i:04d}", ("training", "workshop")[i % 2], f"Session {i}", f"جلسة {i}",
                   f"2017-0{1 + i % 5}-1{i % 10}", "", ("Ninewa", "Anbar", "نينوى")[i % 3], f"CPF-{i % 30}", "20",
                   "5", "4", "4", "4", "4", "4"]
            if rng.random() < 0.05:
                row[rng.randrange(len(row))] = rng.choice(MESSY)
            rows.append(row)
        if office == 3:
            rows[10][0] = "ACT-0-0010"  # an id given in another office's file
        folder = tmp_path / f"office-{office}"
        folder.mkdir()
        _write(folder, {"activities": rows})
        frame = pd.read_csv(folder / "activities.csv", dtype=str, keep_default_na=False)
        frame.to_excel(folder / "activities.xlsx", index=False)
        (folder / "activities.csv").unlink()
    monkeypatch.setattr(threads, "SIDE_BY_SIDE_BYTES", 0)
    pools = []
    real_pool = threads.ThreadPoolExecutor
    monkeypatch.setattr(threads, "ThreadPoolExecutor", lambda **kw: pools.append(kw) or real_pool(**kw))

    def checked(workers: int, cache):
        with monkeypatch.context() as patch:
            patch.setattr(threads, "THREADS", workers)
            loaded = load(tmp_path, Reader(cache)) if cached else load(tmp_path)
            result = validate(loaded, END, SCOPES)
        return result, [(f.code, f.file, f.sheet, f.row, f.column, f.value) for f in result.findings]

    (alone, said_alone) = checked(1, tmp_path.parent / "cache-1")
    assert not any(kw.get("thread_name_prefix") == "cpreport-file" for kw in pools)
    (side_by_side, said) = checked(2, tmp_path.parent / "cache-2")
    assert any(kw.get("thread_name_prefix") == "cpreport-file" for kw in pools)  # the second, side by side
    assert any(code == "CP209" for code, *_ in said_alone) and len(said_alone) > 10
    assert said == said_alone
    _assert_same(side_by_side, alone)
    assert len(side_by_side.activities) == len(alone.activities) > 500


def test_a_ragged_csv_is_read_by_the_csv_module(tmp_path):
    # Rows of different lengths are more than Arrow's parser takes: the older reading reads them.
    (tmp_path / "cpfs.csv").write_bytes("cpf_id,name_en,governorate,established_by,established_on\n"
                                        "CPF-1,Forum,نينوى,IOM,2016-01-01\nCPF-2,Forum 2\n".encode())
    frame = load(tmp_path).sheets["cpfs"].frame
    assert not arrow_text(frame["governorate"])
    assert frame["governorate"].tolist()[0] == "نينوى" and len(frame) == 2
    assert pd.isna(frame["governorate"].tolist()[1])


def test_a_windows_1256_csv_is_decoded_then_read_by_arrow(tmp_path):
    (tmp_path / "cpfs.csv").write_bytes("cpf_id,name_en,governorate,established_by,established_on\n"
                                        "CPF-1,Forum,نينوى,IOM,2016-01-01\n".encode("cp1256"))
    frame = load(tmp_path).sheets["cpfs"].frame
    assert arrow_text(frame["governorate"]) and frame["governorate"].tolist() == ["نينوى"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text("AZaz09-_ .#/\t", max_size=8), min_size=1, max_size=20))
def test_ids_are_folded_as_python_folds_them(ids):
    # Arrow folds ASCII ids without a regular expression when it can; the keys are Python's all the same.
    import re

    import numpy as np

    from cpreport.validate.fastpath import _ascii_keys

    expected = [re.sub(r"[\W_]+", "_", i.lower()).strip("_") for i in ids]
    assert _ascii_keys(np.array(ids, dtype=object)).to_pylist() == expected


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.from_regex(r"[A-Za-z0-9]{1,4}(-[A-Za-z0-9]{1,3}){0,2}", fullmatch=True),
                          st.text("AZaz09-_ .٣", max_size=6)), min_size=1, max_size=30),
       st.integers(1, 40))
def test_ids_read_from_a_csv_compare_as_the_same_ids_from_a_workbook(ids, times):
    # A CSV's ids are folded by Arrow: plain ones at once, repeated ones once each (as categories); the keys must
    # be those of the same ids read from a workbook, cell by cell.
    from cpreport.load import ARROW_TEXT
    from cpreport.validate.ids import _id_keys

    cells = ids * times
    from_csv = _id_keys(pd.Series([i or None for i in cells], dtype=ARROW_TEXT)).astype(object)
    from_workbook = _id_keys(pd.Series([i or None for i in cells], dtype=object)).astype(object)
    assert [None if pd.isna(k) else k for k in from_csv] == [None if pd.isna(k) else k for k in from_workbook]


@pytest.mark.parametrize("label", ["Total :", "Grand\nTotal", "Grand\tTotal", "المجموع :", " Total ", "TOTAL"])
@pytest.mark.parametrize("rows", [2, 1200])
def test_a_total_row_labelled_in_the_id_column_is_left_out_either_way(tmp_path, monkeypatch, label, rows):
    # A sheet of mostly distinct ids is searched by Arrow: a total's label, however spaced, must still be found.
    activities = [[f"ACT-{i}", "training", f"Session {i}", "", "2017-05-02", "", "Ninewa", "", "20"] + [""] * 6
                  for i in range(rows)]
    activities.append([label, "", "", "", "", "", "", "", str(20 * rows)] + [""] * 6)
    _write(tmp_path, {"activities": activities})
    by_arrow, by_csv = _both_ways(tmp_path, monkeypatch)
    assert [f.row for f in by_arrow.findings if f.code == "CP018"] == [rows + 2]
    assert len(by_arrow.activities) == rows
    _assert_same(by_arrow, by_csv)


def test_a_csv_with_old_mac_line_endings_is_read(tmp_path):
    # Excel for Mac's "CSV (Macintosh)" ends lines with CR alone.
    (tmp_path / "displacement.csv").write_bytes(b"as_of,scope,metric,individuals\r2017-05-02,national,"
                                                b"displaced_current,100\r2017-04-27,national,displaced_current,90\r")
    frame = load(tmp_path).sheets["displacement"].frame
    assert frame["individuals"].tolist() == ["100", "90"] and frame["_row"].tolist() == [2, 3]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(TOTAL_WORDS)), st.lists(st.sampled_from([" ", "\t", "\n", "\u00a0", "\u2009",
                                                                                  ":", " :", "", "  "]), max_size=3),
       st.booleans())
def test_every_text_read_as_a_total_label_is_one_arrow_looks_at(word, spaces, upper):
    # Arrow picks out the texts Python then reads: it must never leave out one that Python would call a total.
    text = word.upper() if upper else word
    for space in spaces:
        text = text.replace(" ", space, 1) if " " in text and space.strip() == "" else text + space
    if is_total_word(text):
        assert fastpath.may_change([text]).tolist() == [True], repr(text)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("aT :-/.—“ةن") + list(fastpath.WHITESPACE) + ["\u200f", "\ufeff", "na", "N/A",
                                                                                  "لا يوجد", "NONE"]),
                min_size=1, max_size=6).map("".join))
def test_every_text_tidying_changes_is_one_arrow_looks_at(text):
    # Arrow picks out the texts that tidying may change; Python then tidies only those.
    after, _ = tidying._tidy_texts(pd.Series([text], dtype=object))
    if after.iloc[0] != text:  # changed, or emptied (None)
        assert fastpath.may_change([text]).tolist() == [True], repr(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["type", "Type", "النوع", "نوع", "participants", "training",
                                                      "title_en", "tilte_en", "ta", "t", "ـ", "Anbar", ""])),
                max_size=40),
       st.sets(st.sampled_from(["type", "النوع", "participants", "title_en", "t"]), max_size=4))
def test_the_cells_that_name_a_column_are_found_alike_in_arrow_text_and_in_python_strings(cells, names):
    # The search for a header repeated mid-sheet looks at an Arrow column's bytes first (length, first and
    # last byte): it must find exactly the cells Python's comparison finds.
    arrow = pd.Series(cells, dtype=text_files.ARROW_TEXT)
    found = fastpath.cells_among(arrow, names).tolist()
    assert found == [cell in names and cell != "" for cell in cells]
    assert fastpath.cells_among(pd.Series(cells, dtype=object), names).tolist() == found


@pytest.mark.parametrize("title", [["Activities, May 2017"], ["Activities", "May 2017"], ["Quoted\ntitle"],
                                   ["Report", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "wider"], []])
def test_title_lines_above_the_table_are_read_alike_either_way(tmp_path, monkeypatch, title):
    # A title line (narrower or wider than the table, or a blank line) above the header: Arrow reads the table.
    activities = [[f"ACT-{i}", "training", f"Session {i}", "", "2017-05-02", "", "Ninewa", "", "20"] + [""] * 6
                  for i in range(1200)]
    activities[5][8] = "twenty"
    with open(tmp_path / "activities.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerows([title, [], [c.name for c in TABLES["activities"].columns], *activities])
    by_arrow, by_csv = _both_ways(tmp_path, monkeypatch)
    assert [(f.code, f.row) for f in by_arrow.findings if f.code == "CP202"] == [("CP202", 9)]
    _assert_same(by_arrow, by_csv)


def test_a_text_only_a_left_out_total_row_has_is_no_category_of_the_column(tmp_path, monkeypatch):
    # The total row is left out; its governorate must not stay among the column's categories, as it does not
    # when the sheet is read the older way.
    displacement = [["", "", "", "", ""], ["", "", "Total", "Ninewa", ""]]
    _write(tmp_path, {"cpfs": [[""] * 8], "activities": [[""] * 15], "displacement": displacement})
    by_arrow, by_csv = _both_ways(tmp_path, monkeypatch)
    assert list(by_arrow.displacement["governorate"].cat.categories) == []
    _assert_same(by_arrow, by_csv)


@pytest.mark.parametrize("twin", ["ACT-00500", "act 00500", "ACT_00500 "])
def test_an_id_repeated_next_to_itself_in_a_sheet_of_ids_in_order_is_found(tmp_path, monkeypatch, twin):
    # Ids in order are known to be distinct without hashing them: one written again right below itself (as it
    # is, or otherwise) must still be found.
    activities = [[f"ACT-{i:05d}", "training", "", "", "2017-05-02", "", "Ninewa", "CPF-1", "20", "", "", "", "", "",
                   ""] for i in range(1000)]
    activities.insert(501, [twin, *activities[500][1:]])
    forums = [["CPF-1", "Forum 1", "", "Ninewa", "", "IOM", "2016-01-01", ""]]
    _write(tmp_path, {"cpfs": forums, "activities": activities, "displacement": []})
    by_arrow, by_csv = _both_ways(tmp_path, monkeypatch)
    assert [(f.code, f.row) for f in by_arrow.findings if f.code == "CP209"] == [("CP209", 503)]
    _assert_same(by_arrow, by_csv)


def test_cells_below_left_out_rows_keep_their_rows_when_the_column_repeats_itself(tmp_path, monkeypatch):
    # Load hands the validate stage each repeating column's distinct texts with the cells' places among them; empty
    # and total rows left out above an odd cell must not shift those places.
    activities = [[f"ACT-{i}", ["training", "workshop"][i % 2], "", "", f"2017-0{1 + i % 5}-1{i % 10}", "",
                   ["Ninewa", "Anbar"][i % 2], f"CPF-{i % 3}", str(10 + i % 7), "", "", "", "", "", ""]
                  for i in range(600)]
    for at in (450, 300, 150):
        activities.insert(at, [""] * 15)
        activities.insert(at, ["", "", "Total", "", "", "", "", "", "6000", "", "", "", "", "", ""])
    odd = {500: (1, "meeting"), 520: (4, "2017-02-30"), 540: (6, "Atlantis"), 560: (7, "CPF-9"), 580: (8, "12x")}
    for row, (column, text) in odd.items():
        activities[row][column] = text
    forums = [[f"CPF-{i}", f"Forum {i}", "", "Ninewa", "", "IOM", "2016-01-01", ""] for i in range(3)]
    displacement = [["2017-05-02", "national", "displaced_current", "", "358656"]]
    _write(tmp_path, {"cpfs": forums, "activities": activities, "displacement": displacement})
    by_arrow, by_csv = _both_ways(tmp_path, monkeypatch)
    said = {(f.row, f.column) for f in by_arrow.findings if f.file == "activities.csv"}
    header = [c.name for c in TABLES["activities"].columns]
    assert {(row + 2, header[column]) for row, (column, _) in odd.items()} <= said
    _assert_same(by_arrow, by_csv)


@pytest.mark.parametrize("odd", ["2017-02-30", "1890-01-01", "2017-13-01", "2016-02-29", "1234567890123", "-5", ""])
@pytest.mark.parametrize("rows", [6, 400])
def test_a_column_of_plain_dates_or_counts_with_one_odd_cell_reads_alike_either_way(tmp_path, monkeypatch, odd, rows):
    # Plain ISO dates and digits are typed by Arrow at once, whether the column repeats its cells (400 rows) or
    # not (6): one cell that is not a plain day or count must be found as the parsers find it.
    forums = [[f"CPF-{i}", f"Forum {i}", "", "Ninewa", "", "IOM", f"2016-0{1 + i % 9}-{10 + i % 19}", ""]
              for i in range(rows)]
    activities = [[f"ACT-{i}", "training", "", "", f"2017-0{1 + i % 5}-1{i % 10}", "", "Ninewa", f"CPF-{i}",
                   str(10 + i % 7), "", "", "", "", "", ""] for i in range(rows)]
    forums[rows // 2][6] = odd
    activities[rows // 3][8] = odd
    displacement = [["2017-05-02", "national", "displaced_current", "", "358656"]]
    _write(tmp_path, {"cpfs": forums, "activities": activities, "displacement": displacement})
    by_arrow, by_csv = _both_ways(tmp_path, monkeypatch)
    said = {(f.file, f.row) for f in by_arrow.findings}
    if odd:  # not a count: said at its row
        assert ("activities.csv", rows // 3 + 2) in said
    if odd not in ("2016-02-29", ""):  # not a day in the programme's years: said at its row
        assert ("cpfs.csv", rows // 2 + 2) in said
    _assert_same(by_arrow, by_csv)


def _parts_both_ways(folder):
    """The data folder checked with a table's CSV parts tidied as one (load's fast path), and each part alone."""
    from cpreport.load import read_file

    stacked = load(folder)
    alone = load(folder, reader=lambda *args, **options: read_file(*args, **options))
    for name, parts in stacked.parts.items():
        assert [(p.file, p.header_row, p.frame["_row"].tolist()) for p in parts] == \
            [(p.file, p.header_row, p.frame["_row"].tolist()) for p in alone.parts[name]]
    return validate(stacked, END, SCOPES), validate(alone, END, SCOPES)


def _office_rows(first, count, spoiled=None):
    rows = [[f"ACT-{i:05d}", "training", f"Session {i}", f"جلسة {i}", f"2017-0{1 + i % 5}-1{i % 10}", "",
             "Ninewa", "CPF-1", "20", "5", "4", "4", "4", "4", "4"] for i in range(first, first + count)]
    if spoiled is not None and rows:
        rows[len(rows) // 2][spoiled[0]] = spoiled[1]
    return rows


def _offices(folder, counts, titles=(), spoiled=None):
    header = [c.name for c in TABLES["activities"].columns]
    first = 0
    for office, count in enumerate(counts):
        place = folder / f"office-{office}"
        place.mkdir(parents=True)
        with open(place / "activities.csv", "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            for line in (titles[office] if office < len(titles) else []):
                writer.writerow([line])
            writer.writerow(header)
            writer.writerows(_office_rows(first, count, spoiled if office == 1 else None))
        first += count
    _write(folder, {"cpfs": [["CPF-1", "Forum", "منتدى", "Ninewa", "Mosul", "IOM", "2016-01-01", "active"]],
                    "displacement": [["2017-05-02", "national", "displaced_current", "", "358656"]]})


def test_a_table_in_office_files_reads_alike_as_one_and_part_by_part(tmp_path):
    # Parts of different lengths, title lines above some headers, and an office with a header and no rows.
    _offices(tmp_path, [40, 25, 0, 31], titles=[[], ["Activities of Anbar", "May 2017"], [], ["Basrah"]])
    stacked, alone = _parts_both_ways(tmp_path)
    _assert_same(stacked, alone)
    assert len(stacked.activities) == 96
    assert any(f.code == "CP005" and f.file == "office-2/activities.csv" for f in stacked.findings)


@pytest.mark.parametrize("ending, blank, last, quoted, at_once", [
    ("\n", False, True, False, True), ("\r\n", True, True, False, True), ("\n", True, False, False, True),
    ("\r", False, True, False, False), ("\n", False, True, True, False)])
def test_office_files_read_in_one_pass_give_what_each_file_read_alone_gives(tmp_path, monkeypatch, ending, blank,
                                                                            last, quoted, at_once):
    # The parts' rows are handed to Arrow's parser as one text, counted by their line breaks: blank lines, a file
    # without a last line break and Windows' line breaks keep every row's number; a lone CR or a quoted cell (which
    # may hold a line break) has each part read by itself.
    from cpreport.load import fastpath

    header = ",".join(c.name for c in TABLES["activities"].columns)
    first = 0
    for office, count in enumerate([30, 12, 25]):
        rows = [",".join(row) for row in _office_rows(first, count)]
        if blank:
            rows.insert(count // 2, "")
        if quoted and office == 1:
            rows[3] = rows[3].replace("Session", '"Session, Mosul', 1).replace(",جلسة", '",جلسة', 1)
        lines = (["Activities of the office", ""] if office == 2 else []) + [header] + rows
        place = tmp_path / f"office-{office}"
        place.mkdir()
        (place / "activities.csv").write_bytes((ending.join(lines) + (ending if last else "")).encode("utf-8"))
        first += count
    _write(tmp_path, {"cpfs": [["CPF-1", "Forum", "منتدى", "Ninewa", "Mosul", "IOM", "2016-01-01", "active"]],
                      "displacement": [["2017-05-02", "national", "displaced_current", "", "358656"]]})
    one_by_one = []
    monkeypatch.setattr(fastpath, "_read_one_by_one", lambda *args, _read=fastpath._read_one_by_one:
                        one_by_one.append(1) or _read(*args))
    stacked, alone = _parts_both_ways(tmp_path)
    assert (not one_by_one) is at_once
    _assert_same(stacked, alone)
    assert len(stacked.activities) == 67
    assert stacked.activities["title_en"].tolist()[30 + 3] == ("Session, Mosul 33" if quoted else "Session 33")


@pytest.mark.parametrize("odd", ["mark", "note"])
def test_what_an_office_file_says_of_its_own_rows_is_said_when_the_files_are_read_together(tmp_path, odd):
    # A byte-order mark left before the first office's first row (two exports joined), and a note typed under
    # the first office's table: each said of its file, as reading the file alone says them.
    header = ",".join(c.name for c in TABLES["activities"].columns)
    first_rows = [",".join(row) for row in _office_rows(0, 6)]
    if odd == "mark":
        first_rows[0] = "\ufeff" + first_rows[0]
    else:
        first_rows.append("Prepared by the Ninewa office" + "," * 14)
    for office, rows in enumerate([first_rows, [",".join(row) for row in _office_rows(6, 4)]]):
        (tmp_path / f"office-{office}").mkdir()
        (tmp_path / f"office-{office}" / "activities.csv").write_text("\n".join([header, *rows]) + "\n",
                                                                       encoding="utf-8")
    _write(tmp_path, {"cpfs": [["CPF-1", "Forum", "منتدى", "Ninewa", "Mosul", "IOM", "2016-01-01", "active"]],
                      "displacement": [["2017-05-02", "national", "displaced_current", "", "358656"]]})
    stacked, alone = _parts_both_ways(tmp_path)
    _assert_same(stacked, alone)
    assert len(stacked.activities) == 10
    said = [(f.code, f.file, f.row) for f in stacked.findings if f.file.startswith("office-")]
    assert said == ([("CP211", "office-0/activities.csv", 2)] if odd == "mark" else
                    [("CP030", "office-0/activities.csv", 8)])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.integers(0, 14), cell=st.sampled_from(MESSY), counts=st.lists(st.integers(0, 30), min_size=2,
                                                                                 max_size=4))
def test_a_messy_cell_in_one_office_file_is_said_of_that_file(tmp_path_factory, column, cell, counts):
    folder = tmp_path_factory.mktemp("offices")
    _offices(folder, counts, spoiled=(column, cell))
    _assert_same(*_parts_both_ways(folder))
