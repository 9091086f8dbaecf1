"""Reading what field offices send: encodings, separators, digits, headers, governorates, file names, broken files."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from openpyxl import Workbook

from cpreport.load import workbooks
from cpreport.contract import FORUMS, match_governorate
from cpreport.findings import Findings
from cpreport.load import decoded, delimiter, load, read_grids, table_named, to_sheet

ROWS = [["as_of", "scope", "metric", "governorate", "individuals"],
        ["2017-05-02", "mosul_operations", "displaced_current", "نينوى", "358656"],
        ["02/05/2017", "national", "displaced_current", "", "3,042,288"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1256"])
@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_a_csv_reads_the_same_in_every_encoding_and_separator(tmp_path, encoding, separator):
    text = "\r\n".join(separator.join(f'"{c}"' if separator in c else c for c in row) for row in ROWS) + "\r\n"
    path = tmp_path / "displacement.csv"
    path.write_bytes(text.encode(encoding))
    grids, typed_cells = read_grids(path)
    grid = grids[""]
    assert typed_cells is False
    assert grid.iloc[1].tolist() == ["2017-05-02", "mosul_operations", "displaced_current", "نينوى", "358656"]
    assert grid.iloc[2, 4] == "3,042,288"


@pytest.mark.parametrize("raw, text", [
    ("نينوى".encode("cp1256"), "نينوى"),
    ("نينوى".encode(), "نينوى"),
    (b"\xef\xbb\xbfcpf_id", "cpf_id"),
    ("بتاريخ".encode("utf-16"), "بتاريخ"),
    ("as_of".encode("utf-16-le"), "as_of"),
    ("بتاريخ النطاق".encode("utf-16-le"), "بتاريخ النطاق"),  # Arabic without a BOM: its high bytes are 6, not 0
    ("بتاريخ,as_of".encode("utf-16-be"), "بتاريخ,as_of"),
])
def test_decode_tells_the_encodings_apart(raw, text):
    assert decoded(raw)[0] == text


@pytest.mark.parametrize("text, expected", [
    ("a,b,c\n1,2,3\n", ","),
    ("a;b;c\n1;\"1,100\";3\n", ";"),
    ("title\n\na\tb\tc\n1\t1,100\t3\n", "\t"),
    ("a;b\n1,5;2,5\n3,5;4\n", ";"),
])
def test_the_separator_is_detected(text, expected):
    assert delimiter(text) == expected


@pytest.mark.parametrize("name, pcode", [
    ("Ninewa", "IQG15"), ("Nineveh", "IQG15"), ("Ninawa", "IQG15"), ("نينوى", "IQG15"), ("نينوي", "IQG15"),
    ("محافظة نينوى", "IQG15"), ("IQG15", "IQG15"), ("iqg15", "IQG15"), ("Salah al-Din", "IQG16"),
    ("Salahuddin", "IQG16"), ("Saladin", "IQG16"), ("صلاح الدين", "IQG16"), ("Anbar", "IQG01"), ("Al-Anbar", "IQG01"),
    ("الأنبار", "IQG01"), ("انبار", "IQG01"), ("Sulaymaniyah", "IQG06"), ("Sulaimaniya", "IQG06"),
    ("السليمانيه", "IQG06"), ("Kerbala", "IQG12"), ("Karbala", "IQG12"), ("كربلاء", "IQG12"), ("Thi-Qar", "IQG17"),
    ("Dhi Qar", "IQG17"), ("ذي قار", "IQG17"), ("Wassit", "IQG18"), ("Wasit", "IQG18"), ("Duhok", "IQG10"),
    ("Dohuk", "IQG10"), ("Erbil", "IQG11"), ("Arbil", "IQG11"), ("اربيل", "IQG11"), ("Qadissiya", "IQG05"),
    ("Diwaniya", "IQG05"), ("القادسية", "IQG05"), ("Babylon", "IQG07"), ("Babil", "IQG07"), ("Basrah", "IQG02"),
    ("Basra", "IQG02"), ("البصره", "IQG02"), ("ديالى", "IQG09"), ("Baghdad Governorate", "IQG08"),
    ("Mosul", None), ("IQG19", None), ("Narnia", None),
])
def test_the_gazetteer_knows_the_usual_spellings(name, pcode):
    assert match_governorate(name) == pcode


@pytest.mark.parametrize("name, table", [
    ("cpfs", "cpfs"), ("CPFs - May 2017", "cpfs"), ("المنتديات", "cpfs"), ("Activities_2017-05", "activities"),
    ("الأنشطة", "activities"), ("DTM", "displacement"), ("displacement figures", "displacement"),
    ("cpfs and activities", None), ("Sheet1", None), ("budget", None),
])
def test_files_and_sheets_are_named_after_their_table(name, table):
    found = table_named(name)
    assert (found.name if found else None) == table


def test_the_header_is_found_below_title_rows_and_rows_are_numbered_as_excel_does():
    grid = pd.DataFrame([
        [None, "منتديات الشرطة المجتمعية", None, None, None, None, None],
        [None, None, None, None, None, None, None],
        [None, "رقم المنتدى", "Name (EN)", None, "المحافظة", "جهة التأسيس", "تاريخ التأسيس"],
        [None, "CPF-1", "\u00a0A forum ", None, "Ninewa", "IOM", "01/02/2017"],
        [None, None, None, None, None, None, None],
        [None, "CPF-2", "B forum", None, "بغداد", "الشرطة المحلية", "۲/۳/۲۰۱۷"],
        ["Total", None, 2, None, None, None, None],
    ], dtype=object)
    findings = Findings()
    sheet = to_sheet(grid, FORUMS, "cpfs.xlsx", "cpfs", findings)
    assert sheet.header_row == 3
    assert sheet.frame["_row"].tolist() == [4, 6]
    assert sheet.frame["name_en"].tolist() == ["A forum", "B forum"]
    assert sheet.columns == {"cpf_id": 2, "name_en": 3, "governorate": 5, "established_by": 6, "established_on": 7}
    assert sheet.headers["cpf_id"] == "رقم المنتدى"
    assert [(f.code, f.row) for f in findings] == [("CP018", 7)]


def test_a_workbook_sheet_keeps_excel_row_and_column_numbers(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "cpfs"
    sheet["C4"], sheet["D4"], sheet["E4"] = "cpf_id", "name_en", "established_on"
    sheet["C6"], sheet["D6"], sheet["E6"] = "CPF-1", "A", dt.datetime(2017, 5, 2)
    book.save(tmp_path / "cpfs.xlsx")
    loaded = load(tmp_path)
    forums = loaded.sheets["cpfs"]
    assert forums.frame["_row"].tolist() == [6]
    assert forums.columns == {"cpf_id": 3, "name_en": 4, "established_on": 5}


def test_lock_files_and_other_files_are_skipped_and_said_once(tmp_path):
    (tmp_path / "~$cpfs.xlsx").write_bytes(b"\x00lock")
    (tmp_path / "budget.csv").write_text("a,b\n1,2\n", "utf-8")
    (tmp_path / "minutes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8")
    codes = [(f.code, f.file, f.detail if hasattr(f, "detail") else "") for f in load(tmp_path).findings
             if f.code in ("CP002", "CP007", "CP019")]
    assert [(c, f) for c, f, _ in codes] == [("CP002", "budget.csv"), ("CP007", "~$cpfs.xlsx"), ("CP019", "")]
    note = next(f for f in load(tmp_path).findings if f.code == "CP019")
    assert "'minutes.docx' and 'photo.jpg'" in note.message_en


def test_a_missing_data_folder_is_one_finding(tmp_path):
    findings = load(tmp_path / "nowhere").findings
    assert [f.code for f in findings] == ["CP009"]


@pytest.mark.parametrize("block_rows", [None, 16])
def test_a_workbook_reads_cell_for_cell_as_pandas_reads_it(tmp_path, monkeypatch, block_rows):
    """cpreport reads calamine's cells itself, a column at a time: each cell must come back as read_excel gives it.
    So too when a long sheet is read a block of rows at a time (here every sheet that starts in A1, in blocks of
    16 rows, so that a block boundary falls within each kind of column)."""
    if block_rows:
        monkeypatch.setattr(workbooks, "LONG_SHEET_CELLS", 0)
        monkeypatch.setattr(workbooks, "BLOCK_ROWS", block_rows)
    book = Workbook()
    sheet = book.active
    sheet.title = "cells"
    sheet["C3"], sheet["D3"], sheet["E3"] = "cpf_id", 1.0, 2.5
    sheet["F3"], sheet["G3"] = dt.datetime(2017, 5, 1), dt.datetime(2017, 5, 1, 13, 5)
    sheet["C5"], sheet["D5"], sheet["E5"], sheet["F5"] = True, dt.time(13, 30), dt.timedelta(days=2), 1e20
    sheet["C6"], sheet["D6"], sheet["E6"], sheet["F6"], sheet["G6"] = "  ", "NA", "1.0", -3.0, 12345678901234.0
    sheet["H9"] = "x"
    days = book.create_sheet("days")
    for row in range(1, 6):
        days.cell(row=row, column=1, value=dt.date(2017, 1, row))
        days.cell(row=row, column=2, value=row * 1.5)
    days["C2"] = "text"
    # A column of dates and date-times: only the dates become midnight.
    days["D1"], days["D2"], days["D3"] = dt.date(2017, 1, 1), dt.datetime(2017, 1, 2, 5, 30), dt.date(2017, 1, 3)
    # Long columns of numbers and dates under a header's text: the rows below the header are read at once.
    long = book.create_sheet("long")
    long.append(["participants", "start_date", "mixed", "type", "activity_id"])
    for row in range(1, 151):
        long.append([row * 1.0 if row % 7 else row + 0.5, dt.date(2017, 1, 1 + row % 28),
                     "text" if row == 120 else row * 1.0, ["training", "workshop", None][row % 3], f"ACT-{row}"])
    book.create_sheet("empty")
    path = tmp_path / "cells.xlsx"
    book.save(path)
    grids, typed_cells = read_grids(path)
    expected = pd.read_excel(path, engine="calamine", header=None, sheet_name=None, dtype=object,
                             keep_default_na=False, na_values=[])
    assert typed_cells is True and list(grids) == list(expected)
    for name, grid in grids.items():
        want = expected[name]
        assert grid.shape == want.shape
        for position in range(want.shape[1]):
            mine, theirs = grid.iloc[:, position].tolist(), want.iloc[:, position].tolist()
            # read_excel keeps empty cells as ""; cpreport makes them None.
            theirs = [None if value == "" else value for value in theirs]
            assert [(type(v), v) for v in mine] == [(type(v), v) for v in theirs], (name, position)
    if block_rows:
        # A column that repeats its texts keeps one string per distinct text, across blocks.
        types = grids["long"].iloc[1:, 3].dropna()
        assert len({id(v) for v in types}) == 2 and len(types) == 100
    assert grids["cells"].iat[2, 3] == 1 and type(grids["cells"].iat[2, 3]) is int
    assert type(grids["days"].iat[0, 0]) is dt.datetime
