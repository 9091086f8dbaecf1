"""Sheets as field offices send them: merged cells, two header rows, an instructions sheet first,
Arabic separators, and the findings' values and Arabic digits."""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from cpreport.findings import ERROR, WARNING
from cpreport.load import load
from cpreport.validate import validate

FORUM_HEADER = ["cpf_id", "name_en", "name_ar", "governorate", "district", "established_by", "established_on", "status"]
FORUM_HEADER_AR = ["رقم المنتدى", "الاسم بالإنكليزية", "الاسم بالعربية", "المحافظة", "القضاء", "جهة التأسيس",
                   "تاريخ التأسيس", "الحالة"]
ACTIVITY_HEADER = ["activity_id", "type", "title_en", "start_date", "governorate", "cpf_id", "participants", "female"]
PERIOD_END = dt.date(2017, 5, 31)


def forum(n: int, by: str = "IOM", on: dt.date = dt.date(2016, 3, 1)) -> list:
    return [f"CPF-NIN-{n:03d}", f"Forum {n}", f"منتدى {n}", "Ninewa", "Mosul", by, on, "active"]


def activity(n: int, kind: str | None = "training", participants: object = 30, on: dt.date = dt.date(2017, 2, 1),
             forum_id: str = "CPF-NIN-001") -> list:
    return [f"ACT-{n:03d}", kind, f"Session {n}", on, "Ninewa", forum_id, participants, 10]


def workbook(path: Path, sheets: dict[str, list[list]], merge: dict[str, list[str]] | None = None) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merge or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def checked(folder: Path):
    return validate(load(folder), PERIOD_END, {"national"})


def errors(result) -> list[tuple[str, int | None, str]]:
    return [(f.code, f.row, f.column) for f in result.findings if f.severity == ERROR]


@pytest.fixture
def forums_sheet(tmp_path: Path) -> Path:
    return workbook(tmp_path / "cpfs.xlsx", {"cpfs": [FORUM_HEADER, forum(1), forum(2, "Local police")]})


def test_cells_merged_down_a_column_count_on_every_row(tmp_path, forums_sheet):
    rows = [ACTIVITY_HEADER, activity(1, "conference"), activity(2, None), activity(3, "training"),
            activity(4, None), activity(5, None)]
    workbook(tmp_path / "activities.xlsx", {"activities": rows}, {"activities": ["B2:B3", "B4:B6"]})
    result = checked(tmp_path)
    assert errors(result) == []
    assert result.activities["type"].value_counts().to_dict() == {"training": 3, "conference": 2}


def test_excel_errors_in_counts_are_said_as_excel_shows_them_not_read_as_empty(tmp_path, forums_sheet):
    # A formula that failed (#DIV/0!, #N/A, #REF!): the workbook reader gives an empty cell, which would leave the
    # women of that activity out of the figures without a word, or call a required count "empty".
    rows = [ACTIVITY_HEADER, activity(1), activity(2), activity(3), activity(4)]
    rows[1][7], rows[2][7], rows[3][6] = "#DIV/0!", "#N/A", "#REF!"
    path = workbook(tmp_path / "activities.xlsx", {"activities": rows})
    with zipfile.ZipFile(path) as book:
        assert book.read("xl/worksheets/sheet1.xml").count(b't="e"') == 3  # written as Excel writes its errors
    result = checked(tmp_path)
    said = {(f.code, f.row, f.column): f for f in result.findings if f.severity == ERROR}
    assert set(said) == {("CP202", 2, "female"), ("CP202", 3, "female"), ("CP202", 4, "participants")}
    assert "'#DIV/0!' is not a count" in said[("CP202", 2, "female")].message_en
    assert "'#N/A' is not a count" in said[("CP202", 3, "female")].message_en
    assert "'#REF!' is not a count" in said[("CP202", 4, "participants")].message_en


@pytest.mark.parametrize("column, letter", [("participants", "G"), ("female", "H")])
def test_a_count_merged_over_rows_is_an_error_not_counted_on_each(tmp_path, forums_sheet, column, letter):
    # 42 participants shown across two rows: read on each row, they were 84; women merged were read on the first
    # row alone, the second taken for "not recorded".
    rows = [ACTIVITY_HEADER, activity(1, "conference"), activity(2, None, participants=42),
            activity(3, "workshop"), activity(4, "training")]
    rows[2][ACTIVITY_HEADER.index(column)] = 42
    rows[3][ACTIVITY_HEADER.index(column)] = None
    workbook(tmp_path / "activities.xlsx", {"activities": rows}, {"activities": ["B2:B3", f"{letter}3:{letter}4"]})
    result = checked(tmp_path)
    said = [f for f in result.findings if f.code == "CP036"]
    assert [(f.row, f.column, f.severity) for f in said] == [(3, column, ERROR)]
    assert "rows 3 to 4" in said[0].message_en and "'42'" in said[0].message_en
    assert result.activities["type"].tolist()[:2] == ["conference", "conference"]  # a type merged is each row's


def test_a_sheet_of_rows_shaped_like_the_tables_without_its_header_is_a_warning(tmp_path, forums_sheet):
    # Half the activities on a second sheet the officer did not head: a note alone let the report halve unseen.
    workbook(tmp_path / "activities.xlsx", {
        "activities": [ACTIVITY_HEADER, activity(1), activity(2)],
        "Sheet2": [activity(3), activity(4), activity(5)],
        "Instructions": [["Fill in one row per activity."], ["Dates day first."]]})
    result = checked(tmp_path)
    said = {f.sheet: f for f in result.findings if f.file == "activities.xlsx" and f.code in ("CP020", "CP038")}
    assert (said["Sheet2"].code, said["Sheet2"].severity) == ("CP038", WARNING)
    assert "3 of its rows are shaped like the 'activities' table's on the sheet 'activities'" in \
        said["Sheet2"].message_en
    assert said["Instructions"].code == "CP020"
    assert len(result.activities) == 2


def test_one_activity_entered_twice_under_two_ids_is_a_warning(tmp_path, forums_sheet):
    # The row pasted again with the next id: counted twice, and said (not an error: two sessions may be alike).
    again = activity(2)
    again[0] = "ACT-009"
    same_id = activity(3, participants=31)  # an id given twice with other cells: CP209, not this warning
    same_id[0] = "ACT-004"
    rows = [ACTIVITY_HEADER, activity(1), activity(2), again, activity(4), same_id]
    workbook(tmp_path / "activities.xlsx", {"activities": rows})
    result = checked(tmp_path)
    said = [f for f in result.findings if f.code == "CP218"]
    assert [(f.row, f.value, f.severity) for f in said] == [(4, "ACT-009", WARNING)]
    assert "repeats row 3 in every cell but its id" in said[0].message_en
    assert len(result.activities) == 5 and ("CP209", 6, "activity_id") in errors(result)



def test_one_activity_under_one_id_spelt_twice_is_the_id_given_twice_alone(tmp_path, forums_sheet):
    # "ACT-002" and "act-002 " are one id (CP209): the row is not also "the same activity under two ids".
    again = activity(2)
    again[0] = "act-002 "
    workbook(tmp_path / "activities.xlsx", {"activities": [ACTIVITY_HEADER, activity(1), activity(2), again]})
    result = checked(tmp_path)
    assert ("CP209", 4, "activity_id") in errors(result)
    assert not [f for f in result.findings if f.code == "CP218"]

def test_a_second_header_row_in_arabic_is_not_data(tmp_path):
    workbook(tmp_path / "cpfs.xlsx", {"cpfs": [FORUM_HEADER, FORUM_HEADER_AR, forum(1), forum(2)]})
    workbook(tmp_path / "activities.xlsx", {"activities": [ACTIVITY_HEADER, activity(1)]})
    result = checked(tmp_path)
    assert errors(result) == []
    assert list(result.forums["_row"]) == [3, 4]


def test_the_sheet_with_the_table_is_found_behind_an_instructions_sheet(tmp_path):
    workbook(tmp_path / "cpfs.xlsx", {"Instructions": [["Fill in one row per forum."], ["Dates as dd/mm/yyyy."]],
                                      "Data": [FORUM_HEADER, forum(1), forum(2)]})
    workbook(tmp_path / "activities.xlsx", {"activities": [ACTIVITY_HEADER, activity(1)]})
    result = checked(tmp_path)
    assert errors(result) == []
    assert result.sources["cpfs"] == [("cpfs.xlsx", "Data")]
    assert len(result.forums) == 2


@pytest.mark.parametrize("written, read", [("1،100", 1100), ("١٬١٠٠", 1100), ("3.042.288", 3042288), ("1,100", 1100)])
def test_thousands_separators_as_arabic_keyboards_type_them(tmp_path, forums_sheet, written, read):
    workbook(tmp_path / "activities.xlsx", {"activities": [ACTIVITY_HEADER, activity(1, participants=written)]})
    result = checked(tmp_path)
    assert errors(result) == []
    assert result.activities["participants"].tolist() == [read]


def test_one_dot_is_still_ambiguous(tmp_path, forums_sheet):
    workbook(tmp_path / "activities.xlsx", {"activities": [ACTIVITY_HEADER, activity(1, participants="1.100")]})
    assert errors(checked(tmp_path)) == [("CP204", 2, "participants")]


def test_a_text_file_with_a_workbook_name_cannot_be_read(tmp_path, forums_sheet):
    (tmp_path / "activities.xlsx").write_text("This is the activities report, see the email.\nThanks\n")
    result = checked(tmp_path)
    assert [(f.code, f.file) for f in result.findings if f.severity == ERROR] == [("CP001", "activities.xlsx")]


def test_a_sheet_with_no_rows_beside_sheets_with_rows_is_an_error(tmp_path, forums_sheet):
    workbook(tmp_path / "activities.xlsx", {"activities": [ACTIVITY_HEADER]})
    result = checked(tmp_path)
    assert [(f.code, f.file, f.severity) for f in result.findings if f.code == "CP005"] == [
        ("CP005", "activities.xlsx", ERROR)]


def test_a_new_project_with_no_rows_at_all_only_warns(tmp_path):
    workbook(tmp_path / "cpfs.xlsx", {"cpfs": [FORUM_HEADER]})
    workbook(tmp_path / "activities.xlsx", {"activities": [ACTIVITY_HEADER]})
    result = checked(tmp_path)
    assert {(f.code, f.severity) for f in result.findings if f.code == "CP005"} == {("CP005", WARNING)}
    assert errors(result) == []


def test_a_forum_id_written_with_arabic_digits_names_the_forum(tmp_path, forums_sheet):
    workbook(tmp_path / "activities.xlsx", {"activities": [ACTIVITY_HEADER, activity(1, forum_id="CPF-NIN-٠٠١")]})
    assert errors(checked(tmp_path)) == []


def test_a_finding_shows_the_cell_as_written_and_arabic_digits_in_its_arabic(tmp_path, forums_sheet):
    late = dt.date(2017, 6, 3)
    workbook(tmp_path / "activities.xlsx", {"activities": [
        ACTIVITY_HEADER, activity(1), activity(2, on=late), activity(2, on=late)]})
    result = checked(tmp_path)
    after = next(f for f in result.findings if f.code == "CP305")
    assert (after.row, after.value) == (3, "03/06/2017")
    assert "31/05/2017" in after.message_en and "٣١/٠٥/٢٠١٧" in after.message_ar
    duplicate = next(f for f in result.findings if f.code == "CP209")
    assert (duplicate.row, duplicate.value) == (4, "ACT-002")
    assert "rows 3 and 4" in duplicate.message_en and "الصفين ٣ و٤" in duplicate.message_ar
