"""Field sheets made the way offices and KoboToolbox send them, each checked figure by figure against the rows
written: nothing counted twice, nothing lost without a finding."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from cpreport.findings import ERROR
from cpreport.messages import message

from conftest import SAMPLE, outcome

BREAKDOWN = ["female", "police", "community", "law_enforcement", "civil_society", "judiciary"]
COLUMNS = ["activity_id", "type", "title_en", "start_date", "governorate", "participants", *BREAKDOWN]


def activities(count: int = 12) -> pd.DataFrame:
    """Activities of the office's own, with participants that add up."""
    rows = []
    for n in range(count):
        police, community, law, civil, judges = 3 + n, 2 * n, n % 4, 5, n % 3
        rows.append([f"ACT-{n + 1:03d}", ("training", "conference", "workshop")[n % 3], f"Session {n + 1}",
                     pd.Timestamp(2017, 1 + n % 5, 1 + n), ("Ninewa", "Anbar", "Diyala")[n % 3],
                     police + community + law + civil + judges, n % 6, police, community, law, civil, judges])
    return pd.DataFrame(rows, columns=COLUMNS)


def truth(frame: pd.DataFrame) -> dict:
    """The figures the rows make, counted here."""
    return {"activities.total": len(frame),
            **{f"activities.{kind}": int((frame["type"] == kind).sum()) for kind in ("training", "conference",
                                                                                     "workshop")},
            "participants.total": int(frame["participants"].sum()),
            **{f"participants.{column}": int(frame[column].sum()) for column in BREAKDOWN}}


def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("out", "__pycache__", "activities.xlsx"))
    return folder


def save(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "activities"
    for row in rows:
        sheet.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row])
    for merge in merges:
        sheet.merge_cells(merge)
    book.save(path)
    return path



def figures_of(folder: Path, keys) -> dict:
    checked, figures = outcome(folder)
    assert figures is not None, [f.message_en for f in checked.findings if f.severity == ERROR]
    return {key: figures[key]["value"] for key in keys}


@pytest.mark.parametrize("total", ["Total", None])
def test_a_header_of_two_rows_with_participants_merged_over_the_breakdown_reads_every_column(tmp_path, total):
    """Merged cells come back empty but for their first: the breakdown's names are in the row under the header
    (or, with "Total" under "Participants", the ids' and dates' names are in the row over it)."""
    rows = activities()
    folder = project(tmp_path)
    top = COLUMNS[:5] + ["Participants"] + [None] * 6
    under = [None] * 5 + [total, "Female", "Police", "Community", "Law enforcement", "Civil society", "Judiciary"]
    save(folder / "activities.xlsx", [top, under, *rows.values.tolist()],
         merges=("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:E2", "F1:L1"))
    expected = truth(rows)
    assert expected["participants.female"] > 0
    assert figures_of(folder, expected) == expected


@pytest.mark.parametrize("under, merged", [(["Total", "Female", "Male"], True), (["Total", "Female", "Male"], False),
                                           (["Female", "Male"], True), (["إناث", "ذكور"], False)])
def test_participants_spread_over_total_female_and_male_read_each_column_by_its_own_name(tmp_path, under, merged):
    """"Participants" over the columns under it, and the other headers merged down both rows: the first column of
    the group is the one under "Total", never the women (or the men) read as all the participants. Without a
    total column, the participants are missing: an error, not a figure."""
    rows = activities()
    folder = project(tmp_path)
    left = COLUMNS[:5]
    top, sub = left + ["Participants"] + [None] * (len(under) - 1), [None] * 5 + under
    given = {"Total": rows["participants"], "Female": rows["female"], "Male": rows["participants"] - rows["female"],
             "إناث": rows["female"], "ذكور": rows["participants"] - rows["female"]}
    body = [values + [int(given[name][n]) for name in under] for n, values in enumerate(rows[left].values.tolist())]
    merges = tuple(f"{c}1:{c}2" for c in "ABCDE") + ((f"F1:{'FGH'[len(under) - 1]}1",) if merged else ())
    save(folder / "activities.xlsx", [top, sub, *body], merges=merges)
    checked, figures = outcome(folder)
    if under[0] == "Total":
        expected = truth(rows)
        assert {key: figures[key]["value"] for key in ("participants.total", "participants.female")} == \
            {key: expected[key] for key in ("participants.total", "participants.female")}
        return
    assert figures is None
    assert [(f.code, f.column) for f in checked.findings if f.severity == ERROR] == [("CP101", "participants")]


@pytest.mark.parametrize("written", ["F", "Of whom female", "Women participants", "عدد المشاركين الإناث"])
def test_the_women_column_is_read_under_the_headers_offices_give_it(tmp_path, written):
    rows = activities()
    folder = project(tmp_path)
    header = [written if column == "female" else column for column in COLUMNS]
    save(folder / "activities.xlsx", [header, *rows.values.tolist()])
    assert figures_of(folder, ["participants.female"]) == {"participants.female": int(rows["female"].sum())}



@pytest.mark.parametrize("written", ["Female (%)", "% Female", "Female %", "F %", "الإناث ٪", "الإناث (%)"])
def test_a_column_of_the_womens_share_is_never_added_up_as_women(tmp_path, written):
    # Whole percentages (30 for 30%) under a header that names the women: added up, they made "963 women". The
    # column is said, and kept out; the women are not recorded.
    rows = activities()
    folder = project(tmp_path)
    share = (rows["female"] * 100 // rows["participants"]).astype(int)
    header = [written if column == "female" else column for column in COLUMNS]
    save(folder / "activities.xlsx", [header, *rows.assign(female=share).values.tolist()])
    assert share.sum() > 0
    checked, figures = outcome(folder)
    [said] = [f for f in checked.findings if f.code == "CP107"]
    assert (said.column, said.severity, said.row) == (written, "warning", 1)
    assert "female" in said.message_en and "الإناث" in message(said, "ar")
    assert figures["participants.female"]["value"] == 0
    assert figures["participants.total"]["value"] == int(rows["participants"].sum())


def test_a_share_of_women_beside_the_women_themselves_is_a_column_outside_the_table(tmp_path):
    rows = activities()
    folder = project(tmp_path)
    share = (rows["female"] * 100 // rows["participants"]).astype(int)
    save(folder / "activities.xlsx", [[*COLUMNS, "الإناث ٪"], *rows.assign(extra=share).values.tolist()])
    checked, figures = outcome(folder)
    assert not [f for f in checked.findings if f.code == "CP107"]
    [note] = [f for f in checked.findings if f.code == "CP102"]
    assert "الإناث ٪" in note.message_en
    assert figures["participants.female"]["value"] == int(rows["female"].sum())

def test_an_office_file_without_the_womens_column_the_others_have_is_said(tmp_path):
    # Its rows count as not recorded: the programme's women are the other offices' alone, and that is said.
    rows = activities()
    folder = project(tmp_path)
    (folder / "anbar").mkdir()
    (folder / "ninewa").mkdir()
    rows.iloc[:6].to_csv(folder / "anbar" / "activities.csv", index=False)
    rows.iloc[6:].drop(columns=["female"]).to_csv(folder / "ninewa" / "activities.csv", index=False)
    checked, figures = outcome(folder)
    [said] = [f for f in checked.findings if f.code == "CP106"]
    assert (said.file, said.column, said.severity) == ("ninewa/activities.csv", "female", "warning")
    assert figures["participants.female"]["value"] == int(rows.iloc[:6]["female"].sum())
    # Where it is, in Arabic: the column the part lacks by its Arabic name, not by the contract's key.
    from cpreport.messages import Saying
    assert "«الإناث»" in Saying("ar").where(said) and "female" not in Saying("ar").where(said)


def test_figures_under_an_empty_header_are_said_not_dropped_in_silence(tmp_path):
    rows = activities()
    folder = project(tmp_path)
    header = list(COLUMNS)
    header[COLUMNS.index("female")] = None  # the officer forgot to head the column
    save(folder / "activities.xlsx", [header, *rows.values.tolist()])
    checked, figures = outcome(folder)
    [said] = [f for f in checked.findings if f.code == "CP104"]
    assert (said.file, said.sheet, said.row, said.severity) == ("activities.xlsx", "activities", 1, "warning")
    assert said.column_number == COLUMNS.index("female") + 1
    assert (said.parameters["letter"], said.parameters["count"]) == ("G", len(rows))
    assert "Column G" in message(said, "en") and "G" in message(said, "ar") and "١٢" in message(said, "ar")
    # The other columns are read as written.
    expected = truth(rows)
    assert {key: figures[key]["value"] for key in expected if key != "participants.female"} == \
        {key: value for key, value in expected.items() if key != "participants.female"}


def save_as(kind: str, folder: Path, rows: list[list]) -> str:
    """The rows as activities.xlsx, or as activities.csv (read through Arrow's text columns); the file's name."""
    if kind == "xlsx":
        return save(folder / "activities.xlsx", rows).name
    written = [[v.date().isoformat() if isinstance(v, pd.Timestamp) else v for v in row] for row in rows]
    pd.DataFrame(written).to_csv(folder / "activities.csv", header=False, index=False)
    return "activities.csv"


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_header_repeated_mid_sheet_is_left_out_with_a_note_and_the_rows_under_it_count(tmp_path, kind):
    """Two tables pasted one under the other, with a blank row between them or none."""
    rows = activities(14)
    folder = project(tmp_path)
    name = save_as(kind, folder, [COLUMNS, *rows.iloc[:6].values.tolist(), [None] * len(COLUMNS), COLUMNS,
                                  *rows.iloc[6:10].values.tolist(), COLUMNS, *rows.iloc[10:].values.tolist()])
    expected = truth(rows)
    assert figures_of(folder, expected) == expected
    checked, _ = outcome(folder)
    assert [(f.code, f.row, f.severity) for f in checked.findings if f.file == name] == \
        [("CP027", 9, "note"), ("CP027", 14, "note")]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_header_repeated_in_another_order_is_an_error_never_figures_under_the_wrong_columns(tmp_path, kind):
    rows = activities(10)
    folder = project(tmp_path)
    swapped = [*COLUMNS[:7], "community", "police", *COLUMNS[9:]]
    name = save_as(kind, folder, [COLUMNS, *rows.iloc[:5].values.tolist(), swapped,
                                  *rows.iloc[5:][swapped].values.tolist()])
    checked, figures = outcome(folder)
    assert figures is None
    [said] = [f for f in checked.findings if f.severity == ERROR]
    assert (said.code, said.file, said.row) == ("CP028", name, 7)
    assert "community" in message(said, "en") and "police" in message(said, "en")


def test_dates_that_read_either_way_in_a_column_of_month_first_dates_are_said(tmp_path):
    """An office's CSV saved with US settings: 5/13/2017 is an error, and 5/2/2017 (2 May) would be read as
    5 February without a word once the errors are put right."""
    rows = activities(6)
    folder = project(tmp_path)
    rows["start_date"] = ["5/2/2017", "5/13/2017", "3/3/2017", "1/1/2017", "4/6/2017", "1/20/2017"]
    rows.to_csv(folder / "activities.csv", index=False)
    checked, _ = outcome(folder)
    said = {(f.code, f.row): f for f in checked.findings if f.file == "activities.csv"}
    assert {code for code, _ in said} >= {"CP213", "CP216"}
    assert sorted(row for code, row in said if code == "CP213") == [3, 7]
    # 2 May and 6 April may have been meant; 3/3 and 1/1 read alike either way.
    assert sorted(row for code, row in said if code == "CP216") == [2, 6]
    warning = said[("CP216", 2)]
    assert warning.severity == "warning" and warning.value == "5/2/2017"
    assert "5 February 2017" in message(warning, "en") and "شباط" in message(warning, "ar")


def test_dates_typed_day_first_into_a_month_first_excel_are_said_where_excel_read_them(tmp_path):
    """Typed day first into an Excel set to month first: 4/5/2017 became 5 April (a real date), 17/05/2017 stayed
    text. Every real date of the column has a day of 12 or less: each is said, with its other reading."""
    rows = activities(6)
    folder = project(tmp_path)
    rows["start_date"] = [pd.Timestamp(2017, 4, 5), "17/05/2017", pd.Timestamp(2017, 3, 3), "25/01/2017",
                          pd.Timestamp(2017, 2, 11), "13/03/2017"]
    save(folder / "activities.xlsx", [COLUMNS, *rows.values.tolist()])
    checked, _ = outcome(folder)
    said = {f.row: f for f in checked.findings if f.code == "CP217"}
    assert sorted(said) == [2, 6]  # 3 March reads alike either way
    assert said[2].severity == "warning" and "as 5 April 2017" in message(said[2], "en")
    assert "(4 May 2017)" in message(said[2], "en") and "أيار" in message(said[2], "ar")
    # The same dates with one of them past the 12th: Excel read them as typed.
    rows["start_date"] = [pd.Timestamp(2017, 4, 5), "17/05/2017", pd.Timestamp(2017, 3, 23), "25/01/2017",
                          pd.Timestamp(2017, 2, 11), "13/03/2017"]
    save(folder / "activities.xlsx", [COLUMNS, *rows.values.tolist()])
    checked, _ = outcome(folder)
    assert not [f for f in checked.findings if f.code == "CP217"]


def test_a_day_first_column_with_no_month_first_date_gets_no_such_warning(tmp_path):
    rows = activities(6)
    folder = project(tmp_path)
    rows["start_date"] = ["2/5/2017", "13/5/2017", "3/3/2017", "1/1/2017", "6/4/2017", "20/1/2017"]
    rows.to_csv(folder / "activities.csv", index=False)
    checked, _ = outcome(folder)
    assert not [f for f in checked.findings if f.code in ("CP213", "CP216")]


def test_one_month_first_slip_among_day_first_dates_is_said_alone(tmp_path):
    rows = activities(6)
    folder = project(tmp_path)
    rows["start_date"] = ["2/5/2017", "5/13/2017", "3/4/2017", "25/1/2017", "6/4/2017", "20/1/2017"]
    rows.to_csv(folder / "activities.csv", index=False)
    checked, _ = outcome(folder)
    assert [(f.code, f.row) for f in checked.findings if f.code in ("CP213", "CP216")] == [("CP213", 3)]


def test_the_repeat_group_file_of_an_odk_central_export_is_named_as_such_not_an_error(tmp_path):
    """ODK Central's CSV export: the form's rows in one file, each repeat group's in another named after it."""
    rows = activities(8)
    folder = project(tmp_path)
    main = rows.assign(start_date=rows["start_date"].dt.strftime("%Y-%m-%d"))
    main.insert(0, "SubmissionDate", "2017-05-31T10:00:00.000Z")
    main["KEY"] = [f"uuid:{n}" for n in range(len(main))]
    main.to_csv(folder / "CP_activities.csv", index=False)
    repeat = pd.DataFrame({"name": ["A", "B", "C"], "role": ["police", "judge", "community"],
                           "PARENT_KEY": ["uuid:0"] * 3, "KEY": [f"uuid:0/participants[{n}]" for n in (1, 2, 3)]})
    repeat.to_csv(folder / "CP_activities-participants.csv", index=False)
    expected = truth(rows)
    assert figures_of(folder, expected) == expected
    checked, _ = outcome(folder)
    [said] = [f for f in checked.findings if f.file == "CP_activities-participants.csv"]
    assert (said.code, said.severity, said.parameters["reason"]) == ("CP020", "note", "repeat_group")
    assert "repeat group" in message(said, "en")


def test_the_repeat_group_sheet_of_a_kobo_workbook_is_named_as_such(tmp_path):
    rows = activities(8)
    folder = project(tmp_path)
    book = Workbook()
    form = book.active
    form.title = "CP activities"
    form.append([f"group_activity/{c}" for c in COLUMNS] + ["_id", "_uuid", "_submission_time", "_index"])
    for n, row in enumerate(rows.values.tolist()):
        form.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row] + [n, f"u{n}", "", n + 1])
    people = book.create_sheet("participants")
    people.append(["name", "role", "_index", "_parent_table_name", "_parent_index", "_submission__uuid"])
    people.append(["A", "police", 1, "CP activities", 1, "u0"])
    book.save(folder / "aXk3Ld8_export.xlsx")
    expected = truth(rows)
    assert figures_of(folder, expected) == expected
    checked, _ = outcome(folder)
    [said] = [f for f in checked.findings if f.sheet == "participants"]
    assert (said.code, said.parameters["reason"]) == ("CP020", "repeat_group")


@pytest.mark.parametrize("separator", ["/", "."])
def test_a_ticked_choice_named_female_is_never_read_as_the_count_of_women(tmp_path, separator):
    # A select_multiple question ("target groups") writes a 0/1 column per choice beside its own; a choice named
    # "female" is a tick, not a number of women. The form's own count of women, when it has one, is read.
    rows = activities(9)
    folder = project(tmp_path)
    group = lambda name: f"group_activity{separator}{name}"  # noqa: E731
    for with_count in (False, True):
        columns = [c for c in COLUMNS if with_count or c != "female"]
        book = Workbook()
        form = book.active
        form.append([group(c) for c in columns] + [group("target_groups"), group(f"target_groups{separator}female"),
                                                   group(f"target_groups{separator}youth"), "_uuid"])
        for n, row in enumerate(rows[columns].values.tolist()):
            ticked = n % 2 == 0
            form.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row] +
                        ["female youth" if ticked else "youth", int(ticked), 1, f"u{n}"])
        book.save(folder / "aXk3Ld8_export.xlsx")
        checked, figures = outcome(folder)
        women = figures["participants.female"]
        if with_count:
            assert women["value"] == truth(rows)["participants.female"]
        else:
            assert (women["value"], women["sources"]) == (0, [])  # not recorded, not 5 ticks
        [note] = [f for f in checked.findings if f.code == "CP102"]
        assert group(f"target_groups{separator}female") in note.parameters["columns"]
        assert not [f for f in checked.findings if f.code == "CP105"]


def test_kobo_submissions_a_reviewer_did_not_approve_are_counted_and_said(tmp_path):
    rows = activities(6)
    folder = project(tmp_path)
    export = rows.rename(columns={c: f"group_activity/{c}" for c in COLUMNS})
    export["_uuid"] = [f"u{n}" for n in range(len(rows))]
    export["_validation_status"] = ["validation_status_approved", "validation_status_not_approved", "",
                                    "validation_status_on_hold", "validation_status_approved", ""]
    export.to_csv(folder / "aXk3Ld8_export.csv", index=False)
    checked, figures = outcome(folder)
    assert figures["activities.total"]["value"] == len(rows)  # counted, as the export gives them
    [said] = [f for f in checked.findings if f.code == "CP039"]
    assert (said.severity, said.row, said.parameters["count"]) == ("warning", 3, 2)
    assert "(rows 3 and 5)" in said.message_en or "(rows 3, 5)" in said.message_en



def test_odk_central_submissions_rejected_or_with_issues_are_counted_and_said(tmp_path):
    rows = activities(5)
    folder = project(tmp_path)
    export = rows.rename(columns={c: f"grp-{c}" for c in COLUMNS})
    export.insert(0, "SubmissionDate", "2017-06-01T09:00:00.000Z")
    export["KEY"] = [f"uuid:{n}" for n in range(len(rows))]
    export["ReviewState"] = ["approved", "rejected", "", "hasIssues", ""]
    export.to_csv(folder / "activities.csv", index=False)
    checked, figures = outcome(folder)
    assert figures["activities.total"]["value"] == len(rows)
    [said] = [f for f in checked.findings if f.code == "CP045"]
    assert (said.severity, said.row, said.column, said.parameters["count"]) == ("warning", 3, "ReviewState", 2)
    assert "rows 3 and 5" in said.message_en and "ODK Central" in said.message_ar



def test_an_export_of_another_form_named_like_a_table_is_a_note_not_a_missing_header(tmp_path):
    # KoboToolbox names the sheet after the form: "CPF monthly report" holds the forums' monthly meetings, not the
    # forums table, and its header (row 1) is plainly an export's. It was "no header row found", an error.
    folder = project(tmp_path)
    save(folder / "activities.xlsx", [COLUMNS, *activities(4).values.tolist()])
    book = Workbook()
    sheet = book.active
    sheet.title = "CPF monthly report"
    sheet.append(["start", "end", "report/cpf_id", "report/month", "report/meetings_held", "_id", "_uuid",
                  "_submission_time"])
    sheet.append(["2017-06-01", "2017-06-01", "CPF-ANB-003", "2017-05", 2, 1, "u1", "2017-06-01T09:00:00"])
    book.save(folder / "aXk3Ld8_export.xlsx")
    checked, figures = outcome(folder)
    assert figures is not None and figures["cpfs.total"]["value"] == 49  # the forums, from cpfs.xlsx
    said = [f for f in checked.findings if f.file == "aXk3Ld8_export.xlsx"]
    assert [(f.code, f.severity) for f in said] == [("CP002", "note")]

@pytest.mark.parametrize("parent, separator", [(False, "/"), (False, "-"), (True, "-"), (True, "/")])
def test_the_choices_of_a_question_exported_as_ticks_are_never_read_as_counts(tmp_path, parent, separator):
    # "target_groups/female" holds 1 when women took part: read as the number of women it would make a figure of
    # ticks. With the question's own column beside it or not, and ODK's dashes or Kobo's slashes.
    rows = activities(6)
    folder = project(tmp_path)
    export = rows.drop(columns=["female"]).rename(columns={c: f"group_a/{c}" for c in COLUMNS})
    if parent:
        export[f"grp{separator}target_groups"] = "female youth"
    for choice in ("female", "youth", "idps"):
        export[f"grp{separator}target_groups{separator}{choice}"] = [1, 0, 1, 1, 0, 1] if choice != "idps" else 0
    export["_uuid"] = [f"u{n}" for n in range(len(rows))]
    export.to_csv(folder / "aXk3Ld8_export.csv", index=False)
    checked, figures = outcome(folder)
    assert figures["participants.total"]["value"] == rows["participants"].sum()
    assert figures["participants.female"]["value"] == 0  # no count of women in the export: none read from ticks
    ticks = [f for f in checked.findings if f.code == "CP102"]
    assert ticks and f"grp{separator}target_groups{separator}female" in ticks[0].parameters["columns"]
    warned = [f for f in checked.findings if f.code == "CP108"]
    assert [f.column for f in warned] == ([] if parent else [f"grp{separator}target_groups{separator}female"])


def test_a_grouped_count_the_config_names_is_read_though_it_holds_only_0_and_1(tmp_path):
    rows = activities(4)
    folder = project(tmp_path)
    export = rows.drop(columns=["female"]).rename(columns={c: f"group_a/{c}" for c in COLUMNS})
    export["counts/female"] = [1, 0, 1, 1]
    export["counts/youth"] = [0, 1, 0, 0]
    export["_uuid"] = [f"u{n}" for n in range(len(rows))]
    export.to_csv(folder / "aXk3Ld8_export.csv", index=False)
    config = folder / "cpreport.toml"
    config.write_text(config.read_text("utf-8") + '\n[columns.activities]\nfemale = "counts/female"\n', "utf-8")
    checked, figures = outcome(folder)
    assert figures["participants.female"]["value"] == 3
    assert not [f for f in checked.findings if f.code == "CP108"]

def test_a_sheet_of_all_months_beside_the_months_is_one_error_saying_so(tmp_path):
    rows = activities(12)
    folder = project(tmp_path)
    book = Workbook()
    book.remove(book.active)
    for name, part in (("April", rows.iloc[:7]), ("May", rows.iloc[7:]), ("All", rows)):
        sheet = book.create_sheet(name)
        for row in [COLUMNS, *part.values.tolist()]:
            sheet.append([v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in row])
    book.save(folder / "activities.xlsx")
    checked, figures = outcome(folder)
    assert figures is None
    errors = [f for f in checked.findings if f.severity == ERROR]
    assert [(f.code, f.sheet, f.parameters["count"]) for f in errors] == [("CP029", "All", 12)]
    said = message(errors[0], "en")
    assert "activities.xlsx (April)" in said and "activities.xlsx (May)" in said


def test_an_older_copy_of_an_office_file_beside_the_newer_is_one_error_naming_both(tmp_path):
    rows = activities(12)
    folder = project(tmp_path)
    save(folder / "activities.xlsx", [COLUMNS, *rows.iloc[:9].values.tolist()])
    save(folder / "activities (1).xlsx", [COLUMNS, *rows.values.tolist()])
    checked, _ = outcome(folder)
    errors = [f for f in checked.findings if f.severity == ERROR]
    assert [(f.code, f.file, f.parameters["count"]) for f in errors] == [("CP029", "activities.xlsx", 9)]
    assert "activities (1).xlsx" in message(errors[0], "en")
    assert "٩" in message(errors[0], "ar")



@pytest.mark.parametrize("copy", ["Copy of activities-ninewa.xlsx", "activities-ninewa - Copy.xlsx",
                                  "activities-ninewa (2).xlsx"])
def test_a_reordered_copy_of_an_office_file_is_the_one_the_error_says_to_remove(tmp_path, copy):
    # The same rows in another order: the error is said of the copy (remove it), naming the original.
    rows = activities(8)
    folder = project(tmp_path)
    save(folder / "activities-ninewa.xlsx", [COLUMNS, *rows.values.tolist()])
    save(folder / copy, [COLUMNS, *rows.iloc[::-1].values.tolist()])
    checked, _ = outcome(folder)
    errors = [f for f in checked.findings if f.severity == ERROR]
    assert [(f.code, f.file) for f in errors] == [("CP029", copy)]
    assert "activities-ninewa.xlsx" in message(errors[0], "en")

def test_one_id_given_twice_across_offices_is_still_said_of_that_id(tmp_path):
    rows = activities(12)
    folder = project(tmp_path)
    other = rows.iloc[6:].copy()
    other.iloc[0, 0] = rows.iloc[0, 0]  # one id typed again by the second office
    save(folder / "activities.xlsx", [COLUMNS, *rows.iloc[:6].values.tolist()])
    save(folder / "activities-anbar.xlsx", [COLUMNS, *other.values.tolist()])
    checked, _ = outcome(folder)
    assert [f.code for f in checked.findings if f.severity == ERROR] == ["CP209"]


def test_notes_typed_under_the_table_are_left_out_with_a_note_and_the_rows_count(tmp_path):
    rows = activities(8)
    folder = project(tmp_path)
    save(folder / "activities.xlsx", [COLUMNS, *rows.values.tolist(), [], ["Prepared by: Ahmed Ali, M&E officer"],
                                      ["ملاحظة: الأرقام أولية"]])
    expected = truth(rows)
    assert figures_of(folder, expected) == expected
    checked, _ = outcome(folder)
    said = [f for f in checked.findings if f.file == "activities.xlsx"]
    assert [(f.code, f.row, f.severity) for f in said] == [("CP030", 11, "note"), ("CP030", 12, "note")]
    assert "Prepared by" in message(said[0], "en")


def test_a_row_with_only_its_id_typed_at_the_bottom_is_still_an_error(tmp_path):
    rows = activities(8)
    folder = project(tmp_path)
    save(folder / "activities.xlsx", [COLUMNS, *rows.values.tolist(), ["ACT-009"]])
    checked, figures = outcome(folder)
    assert figures is None
    assert {f.code for f in checked.findings if f.severity == ERROR} == {"CP201"}


def test_formulas_whose_results_were_never_saved_are_said_never_read_as_empty_in_silence(tmp_path):
    """A workbook written by a script (openpyxl saves a formula without its result): the reader gives empty cells,
    which would count as nothing; the load stage says so, with the first such cell and how many there are, and
    each count that holds one is read as its formula, an error, never a count left out."""
    rows = activities(6)
    folder = project(tmp_path)
    table = [COLUMNS, *rows.values.tolist()]
    column = COLUMNS.index("female") + 1
    letter = "ABCDEFGHIJKL"[column - 1]
    for n in range(1, len(table)):
        table[n][column - 1] = f"=INT({letter}{n + 1}0/10)"  # a result no reader can know unsaved
    save(folder / "activities.xlsx", table)
    checked, _ = outcome(folder)
    [said] = [f for f in checked.findings if f.code == "CP031"]
    assert (said.file, said.sheet, said.row, said.column_number, said.severity) == \
        ("activities.xlsx", "activities", 2, column, "warning")
    assert (said.parameters["count"], said.parameters["cell"]) == (6, f"{letter}2")
    assert "6 cells" in message(said, "en") and f"{letter}2" in message(said, "en")
    assert "٦" in message(said, "ar") and "صيغ" in message(said, "ar")
    counts = [f for f in checked.findings if f.code == "CP202" and f.column == "female"]
    assert sum(f.cells or 1 for f in counts) == 6 and "'=INT(" in counts[0].message_en


@pytest.mark.parametrize("cell, unsaved", [
    ('<c r="F2" s="1"><f>G2+H2</f><v>7</v></c>', False),
    ('<c r="F2"><f>G2+H2</f></c>', True),
    ('<c r="F3"><f t="shared" si="0"/></c>', True),
    ('<c r="F4" t="str"><f>A4</f><v></v></c>', True),
    ('<c r="F5" t="str"><f>A5</f><v>x</v></c>', False),
    ('<c r="F6"><v>3</v></c>', False),
    ('<c r="F7"><f\n>A7</f></c>', True),
    ('<c r="F8"><f/></c>', True)])
def test_a_formula_cell_is_told_from_its_saved_result(cell, unsaved):
    from cpreport.load.xlsx import Held, Texts

    held = Held("activities")
    held.add(f'<sheetData><row r="2">{cell}</row></sheetData>'.encode(), Texts())
    assert bool(held.unsaved) is unsaved



def _old_workbook(path: Path, rows: list[list], hidden_rows: set[int], hidden_column: int, error: tuple[int, int]):
    """rows as an .xls (xlwt): the sheet's rows hidden (numbered from 1), a column hidden (from 0), and Excel's
    #N/A in one cell (row from 1, column from 0)."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("activities")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r + 1, c) == error:
                sheet.row(r).set_cell_error(c, 0x2A)
            elif isinstance(value, pd.Timestamp):
                sheet.write(r, c, value.to_pydatetime(), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
            else:
                sheet.write(r, c, value.item() if hasattr(value, "item") else value)
        if r + 1 in hidden_rows:
            sheet.row(r).hidden = True
    sheet.col(hidden_column).hidden = True
    book.save(str(path))


def _open_document(path: Path, rows: list[list], hidden_rows: set[int], hidden_column: int, error: tuple[int, int]):
    """rows as an .ods, written as LibreOffice writes it: hidden rows filtered out, a column collapsed, and =NA()."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    document, table = OpenDocumentSpreadsheet(), Table(name="activities")
    for c in range(len(rows[0])):
        table.addElement(TableColumn(visibility="collapse") if c == hidden_column else TableColumn())
    for r, row in enumerate(rows):
        line = TableRow(visibility="filter") if r + 1 in hidden_rows else TableRow()
        for c, value in enumerate(row):
            if (r + 1, c) == error:
                cell = TableCell(valuetype="float", value=0, formula="of:=NA()")
                cell.addElement(P(text="#N/A"))
            elif isinstance(value, pd.Timestamp):
                cell = TableCell(valuetype="date", datevalue=value.strftime("%Y-%m-%d"))
                cell.addElement(P(text=value.strftime("%d/%m/%Y")))
            else:
                cell = TableCell(valuetype="float" if not isinstance(value, str) else "string",
                                 **({"value": value} if not isinstance(value, str) else {}))
                cell.addElement(P(text=str(value)))
            line.addElement(cell)
        table.addElement(line)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    # LibreOffice marks an error's cell with calcext's value type, which odfpy does not write.
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info.filename) for info in book.infolist()}
    content = parts["content.xml"].decode("utf-8").replace(
        "xmlns:office=", 'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
                         "xmlns:office=", 1)
    content = re.sub(r'<table:table-cell [^>]*table:formula="of:=NA\(\)"[^>]*>',
                     '<table:table-cell table:formula="of:=NA()" office:value-type="string" '
                     'office:string-value="" calcext:value-type="error">', content)
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, content.encode("utf-8") if name == "content.xml" else data,
                          compress_type=zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_old_excel_and_opendocument_sheets_say_their_errors_and_hidden_rows_as_xlsx_does(tmp_path, kind):
    # The workbook reader reads #N/A as an empty cell and shows hidden rows and columns as any other: a count
    # would be short, or rows nobody sees counted, with nothing said.
    rows = activities(8)
    folder = project(tmp_path)
    write = _old_workbook if kind == "xls" else _open_document
    write(folder / f"activities.{kind}", [COLUMNS, *rows.values.tolist()], {3, 7}, COLUMNS.index("police"),
          (5, COLUMNS.index("female")))
    checked, figures = outcome(folder)
    assert figures is None  # the error stops the build
    [error] = [f for f in checked.findings if f.severity == ERROR]
    assert (error.code, error.row, error.column, error.value) == ("CP202", 5, "female", "#N/A")
    [hidden] = [f for f in checked.findings if f.code == "CP032"]
    assert hidden.row == 3 and "rows 3 and 7" in message(hidden, "en")
    [column] = [f for f in checked.findings if f.code == "CP033"]
    assert (column.column, column.column_number) == ("police", COLUMNS.index("police") + 1)

def test_rows_and_columns_hidden_in_a_sheet_are_counted_and_said(tmp_path):
    """Rows hidden by hand or by a filter, and hidden columns, are data the officer does not see: read and counted,
    and said."""
    rows = activities(8)
    folder = project(tmp_path)
    path = save(folder / "activities.xlsx", [COLUMNS, *rows.values.tolist()])
    from openpyxl import load_workbook

    book = load_workbook(path)
    for number in (3, 4, 7):
        book["activities"].row_dimensions[number].hidden = True
    book["activities"].column_dimensions["H"].hidden = True  # police
    book["activities"].column_dimensions["M"].hidden = True  # beyond the table: nothing to say
    book.save(path)
    expected = truth(rows)
    assert figures_of(folder, expected) == expected
    checked, _ = outcome(folder)
    [said] = [f for f in checked.findings if f.code == "CP032"]
    assert (said.file, said.sheet, said.row, said.severity) == ("activities.xlsx", "activities", 3, "warning")
    assert "rows 3, 4 and 7" in message(said, "en")
    assert "٣" in message(said, "ar") and "مخفية" in message(said, "ar")
    [column] = [f for f in checked.findings if f.code == "CP033"]
    assert (column.column, column.column_number, column.row, column.severity) == ("police", 8, 1, "warning")
    assert "'police' is hidden" in message(column, "en") and "مخفي" in message(column, "ar")


def test_an_old_workbook_cut_short_is_said_damaged_never_a_traceback(tmp_path):
    # The workbook reader panics on some cut .xls files (a Rust panic, which is no Exception): it is CP016.
    rows = activities(30)
    folder = project(tmp_path)
    _old_workbook(folder / "whole.xls", [COLUMNS, *rows.values.tolist()], set(), 0, (0, 0))
    raw = (folder / "whole.xls").read_bytes()
    (folder / "whole.xls").unlink()
    for cut in (len(raw) - 400, len(raw) // 2, 600):
        (folder / "activities.xls").write_bytes(raw[:cut])
        checked, figures = outcome(folder)
        assert figures is None
        assert [(f.code, f.file) for f in checked.findings if f.severity == ERROR] == [("CP016", "activities.xls")]


ODS_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.2">'
            '<office:body><office:spreadsheet>')


def _ods_cell(value, repeated: int = 1) -> str:
    times = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    if value == "#N/A":  # as LibreOffice writes =NA()
        return (f'<table:table-cell{times} table:formula="of:=NA()" office:value-type="string" office:string-value="" '
                'calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>')
    if isinstance(value, str):
        return f'<table:table-cell{times} office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    return (f'<table:table-cell{times} office:value-type="float" office:value="{value}"><text:p>{value}</text:p>'
            '</table:table-cell>')


def _ods(path: Path, tables: list[str]) -> None:
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        book.writestr("content.xml", ODS_HEAD + "".join(tables) + "</office:spreadsheet></office:body>"
                                                                  "</office:document-content>")
        book.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                      'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                      '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
                      'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
                      'manifest:media-type="text/xml"/></manifest:manifest>')


def _ods_rows(rows: list[list], repeated: dict[int, int] | None = None) -> str:
    """Rows as table rows, a cell run written once when a row is in `repeated` ({row index: times})."""
    out = []
    for n, row in enumerate(rows):
        times = (repeated or {}).get(n, 1)
        attribute = f' table:number-rows-repeated="{times}"' if times > 1 else ""
        out.append(f"<table:table-row{attribute}>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>")
    return "".join(out)


def test_an_opendocument_sheets_errors_written_as_runs_are_each_said(tmp_path):
    # LibreOffice writes identical cells side by side once, with their count, and identical rows once: each cell of
    # the run holds the error. A sub-table inside a cell is the cell's, not the sheet's rows.
    rows = activities(6)
    folder = project(tmp_path)
    cells = [[str(v.date()) if isinstance(v, pd.Timestamp) else (v.item() if hasattr(v, "item") else v) for v in row]
             for row in rows.values.tolist()]
    header = "<table:table-row>" + "".join(_ods_cell(c) for c in COLUMNS) + "</table:table-row>"
    police = COLUMNS.index("police")
    first = cells[0]
    run = ("<table:table-row>" + "".join(_ods_cell(v) for v in first[:police]) + _ods_cell("#N/A", 2)
           + "".join(_ods_cell(v) for v in first[police + 2:]) + "</table:table-row>")  # police and community
    nested = ('<table:table-row>' + "".join(_ods_cell(v) for v in cells[1][:-1])
              + '<table:table-cell><table:table table:name="inner"><table:table-row><table:table-cell '
                'office:value-type="string"><text:p>note</text:p></table:table-cell></table:table-row></table:table>'
                '</table:table-cell></table:table-row>')
    female = COLUMNS.index("female")
    late = list(cells[2])
    late[female] = "#N/A"  # after the sub-table: still said
    sheet = ('<table:table table:name="activities">' + header + run + nested + _ods_rows([late], {0: 2})
             + _ods_rows(cells[3:]) + "</table:table>")
    _ods(folder / "activities.ods", [sheet])
    checked, figures = outcome(folder)
    said = sorted((f.row, f.column) for f in checked.findings if f.code == "CP202")
    assert said == [(2, "community"), (2, "police"), (4, "female")], checked.findings
    [runs_of] = [f for f in checked.findings if f.code == "CP202" and f.column == "female"]
    assert runs_of.parameters.get("cells") == 2 or "rows 4-5" in message(runs_of, "en")


def test_two_opendocument_sheets_of_one_name_are_an_error_never_one_left_out(tmp_path):
    rows = activities(6)
    folder = project(tmp_path)
    cells = [[str(v.date()) if isinstance(v, pd.Timestamp) else (v.item() if hasattr(v, "item") else v) for v in row]
             for row in rows.values.tolist()]
    sheets = [f'<table:table table:name="activities">{_ods_rows([COLUMNS, *part])}</table:table>'
              for part in (cells[:2], cells[2:])]
    _ods(folder / "activities.ods", sheets)
    checked, figures = outcome(folder)
    assert figures is None
    [said] = [f for f in checked.findings if f.severity == ERROR]
    assert (said.code, said.file) == ("CP046", "activities.ods") and "named 'activities'" in message(said, "en")


def test_a_choice_with_a_dash_of_its_own_is_a_tick_too(tmp_path):
    # "target_groups/law-enforcement" is the choice law-enforcement of target_groups, not "law" of
    # "target_groups/law": read as law_enforcement, its ticks would be counted as officers.
    rows = activities(6)
    folder = project(tmp_path)
    export = rows.rename(columns={c: f"group_a/{c}" for c in COLUMNS})
    for choice in ("police", "law-enforcement", "civil-society"):
        export[f"target_groups/{choice}"] = [1, 0, 1, 1, 0, 1]
    export["_uuid"] = [f"u{n}" for n in range(len(rows))]
    export.to_csv(folder / "aXk3Ld8_export.csv", index=False)
    checked, figures = outcome(folder)
    assert figures is not None, [f.message_en for f in checked.findings if f.severity == ERROR]
    assert figures["participants.law_enforcement"]["value"] == int(rows["law_enforcement"].sum())
    assert figures["participants.civil_society"]["value"] == int(rows["civil_society"].sum())
    warned = sorted(f.column for f in checked.findings if f.code == "CP108")
    assert warned == ["target_groups/civil-society", "target_groups/law-enforcement", "target_groups/police"]
