"""Sheets as offices send them: a table in several sheets, files and sub-folders, the project's own headers and
values, KoboToolbox and ODK exports, per-file options; and no sheet, file or row left out without a finding."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from cpreport.check import check
from cpreport.config import load_config
from cpreport.contract import TABLES, fold
from cpreport.errors import ConfigError
from cpreport.figures import compute
from cpreport.findings import ERROR, NOTE, WARNING

from conftest import SAMPLE, outcome

KEYS = ("cpfs.total", "activities.total", "activities.training", "activities.conference", "activities.workshop",
        "participants.total", "participants.female", "participants.police", "participants.judiciary")
ENGLISH = [c.name for c in TABLES["activities"].columns]


def sample_activities() -> pd.DataFrame:
    """The sample's activities, under the contract's English headers, as an office would type them."""
    frame = pd.read_excel(SAMPLE / "activities.xlsx", header=2, engine="calamine", dtype=object)
    frame.columns = ENGLISH
    frame["type"] = frame["type"].map({"دورة تدريبية": "training", "مؤتمر": "conference", "ورشة عمل": "workshop"})
    return frame


def project(tmp_path: Path, extra: str = "") -> Path:
    """The sample project without its activities sheet: each test gives the activities its own way."""
    folder = tmp_path / "project"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("out", "__pycache__", "activities.xlsx"))
    if extra:
        config = folder / "cpreport.toml"
        config.write_text(config.read_text("utf-8") + "\n" + extra, "utf-8")
    return folder


def workbook(path: Path, sheets: dict[str, pd.DataFrame | list[list]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        if isinstance(rows, pd.DataFrame):
            rows = [list(rows.columns)] + rows.astype(object).where(rows.notna(), None).values.tolist()
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def csv_file(path: Path, frame: pd.DataFrame, **options) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, **options)
    return path



@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> dict:
    """The sample's own figures, from its one activities workbook."""
    folder = tmp_path_factory.mktemp("sample")
    shutil.copytree(SAMPLE, folder / "s", ignore=shutil.ignore_patterns("out"))
    _, figures = outcome(folder / "s")
    assert figures["activities.total"]["value"] == 32  # the sample's activities, all of them
    return {key: figures[key]["value"] for key in KEYS}


def figures_of(folder: Path) -> dict:
    checked, figures = outcome(folder)
    assert figures is not None, [f.message_en for f in checked.findings if f.severity == ERROR]
    return {key: figures[key]["value"] for key in KEYS}


def codes(checked, code: str) -> list:
    return [f for f in checked.findings if f.code == code]



@pytest.mark.parametrize("name", ["CPF meetings", "Forums", "المنتديات", "Displacement"])
def test_a_sheet_named_after_another_table_whose_header_is_the_activities_is_read_as_them(tmp_path, expected, name):
    # Activities at the forums kept on a sheet called "CPF meetings": its header says what its rows are, never
    # read as forums (their ids taken from cpf_id) nor as a sheet without a header.
    activities = sample_activities()
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"Ninewa etc": activities.iloc[:20], name: activities.iloc[20:]})
    assert figures_of(folder) == expected

def test_every_sheet_of_a_workbook_with_one_sheet_per_office_is_counted(tmp_path, expected):
    activities = sample_activities()
    folder = project(tmp_path)
    offices = {governorate: rows for governorate, rows in activities.groupby("governorate")}
    workbook(folder / "activities.xlsx", {"Instructions": [["Fill one sheet per office."], ["Dates as dd/mm/yyyy."]],
                                          **offices})
    assert len(offices) > 5
    assert figures_of(folder) == expected
    checked, _ = outcome(folder)
    # The instructions sheet is named, with why it was not read.
    [note] = codes(checked, "CP020")
    assert (note.file, note.sheet, note.severity) == ("activities.xlsx", "Instructions", NOTE)
    # Each office's rows keep their sheet, in the findings' places and in the figures' sources.
    sources = outcome(folder)[1]["activities.total"]["sources"]
    assert sorted(s["sheet"] for s in sources) == sorted(offices)
    assert sum(len(s["rows"].split(",")) for s in sources) >= len(offices)


def test_files_named_after_the_table_and_files_in_office_folders_are_stacked(tmp_path, expected):
    activities = sample_activities()
    folder = project(tmp_path)
    parts = [activities.iloc[:8], activities.iloc[8:15], activities.iloc[15:22], activities.iloc[22:]]
    workbook(folder / "activities-ninewa.xlsx", {"Sheet1": parts[0]})
    csv_file(folder / "الأنشطة - الأنبار.csv", parts[1])
    workbook(folder / "anbar" / "activities.xlsx", {"May": parts[2]})
    csv_file(folder / "offices" / "basrah" / "Activities May 2017 (Basrah).csv", parts[3], sep=";")
    assert figures_of(folder) == expected
    _, figures = outcome(folder)
    files = {s["file"] for s in figures["activities.total"]["sources"]}
    assert files == {"activities-ninewa.xlsx", "الأنشطة - الأنبار.csv", "anbar/activities.xlsx",
                     "offices/basrah/Activities May 2017 (Basrah).csv"}


def test_parts_may_have_different_optional_columns(tmp_path, expected):
    activities = sample_activities()
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"Ninewa": activities.iloc[:10],
                                          "Anbar": activities.iloc[10:].drop(columns=["title_ar", "end_date"])})
    assert figures_of(folder) == expected


def test_an_id_given_in_two_parts_is_an_error_naming_both_places(tmp_path):
    activities = sample_activities()
    folder = project(tmp_path)
    second = activities.iloc[10:].copy()
    second.iloc[2, 0] = activities.iloc[3, 0]  # an id the first office used
    workbook(folder / "ninewa" / "activities.xlsx", {"Sheet1": activities.iloc[:10]})
    workbook(folder / "anbar" / "activities.xlsx", {"Sheet1": second})
    checked, figures = outcome(folder)
    assert figures is None
    [error] = codes(checked, "CP209")
    assert (error.file, error.row) == ("ninewa/activities.xlsx", 5)  # the folders are read in order: anbar first
    assert "row 5 of ninewa/activities.xlsx (Sheet1)" in error.message_en and "row 4 of anbar/activities.xlsx (Sheet1)" \
        in error.message_en
    assert "الصف ٥ من «ninewa/activities.xlsx (Sheet1)»" in error.message_ar


@pytest.mark.parametrize("copy", ["activities - Copy.xlsx", "activities.csv"])
def test_the_same_sheet_given_twice_is_an_error_naming_both_files_never_a_doubled_count(tmp_path, copy):
    activities = sample_activities()
    folder = project(tmp_path)
    original = workbook(folder / "activities.xlsx", {"activities": activities})
    if copy.endswith(".xlsx"):
        shutil.copy(original, folder / copy)
    else:  # the same rows saved as CSV, dates as an office types them
        as_csv = activities.copy()
        for column in ("start_date", "end_date"):
            as_csv[column] = pd.to_datetime(as_csv[column]).dt.strftime("%d/%m/%Y")
        csv_file(folder / copy, as_csv)
    checked, figures = outcome(folder)
    assert figures is None
    [error] = codes(checked, "CP006")
    other = ({copy, "activities.xlsx"} - {error.file}).pop()
    assert error.severity == ERROR and other in error.message_en
    assert not codes(checked, "CP209")  # one clear finding, not one per id


@pytest.mark.parametrize("ids", ["zero-padded", "numbered again"])
def test_a_copy_whose_ids_are_written_otherwise_is_still_the_same_sheet_given_twice(tmp_path, ids):
    """Excel turns an office CSV's ids "001", "002" into 1, 2; a copy may also have been numbered again. Every other
    cell the same, row for row: a copy, never a doubled count."""
    activities = sample_activities()
    activities["activity_id"] = range(1, len(activities) + 1)
    folder = project(tmp_path)
    workbook(folder / "activities - anbar.xlsx", {"activities": activities})
    typed = activities.copy()
    typed["activity_id"] = ([f"{n:03d}" for n in activities["activity_id"]] if ids == "zero-padded"
                            else range(101, 101 + len(activities)))
    csv_file(folder / "activities - anbar.csv", typed)
    checked, figures = outcome(folder)
    assert figures is None
    [error] = codes(checked, "CP006")
    assert error.severity == ERROR
    assert {error.file, *[f for f in ("activities - anbar.xlsx", "activities - anbar.csv") if f in error.message_en]} \
        == {"activities - anbar.xlsx", "activities - anbar.csv"}
    # Two offices' sheets of the same length with their own rows are not copies, whatever their ids.
    (folder / "activities - anbar.csv").unlink()
    other = activities.copy()
    other["title_en"] = other["title_en"] + " (Ninewa)"
    workbook(folder / "activities - ninewa.xlsx", {"activities": other.assign(activity_id=range(101, 101 + len(other)))})
    checked, figures = outcome(folder)
    assert not codes(checked, "CP006") and figures is not None
    assert figures["activities.total"]["value"] == 2 * len(activities)


def test_kobo_exports_with_xml_names_and_with_labels_give_the_sample_figures(tmp_path, expected):
    activities = sample_activities()
    meta_before = {"start": "2017-06-01T09:12:44.000+03:00", "end": "2017-06-01T09:20:02.000+03:00",
                   "today": "2017-06-01", "deviceid": "collect:abc"}
    meta_after = {"_id": range(900, 900 + len(activities)), "_uuid": [f"u-{n}" for n in range(len(activities))],
                  "_submission_time": "2017-06-01T06:20:05", "_validation_status": "", "_notes": "",
                  "_status": "submitted_via_web", "_submitted_by": "officer1", "__version__": "vKq8", "_tags": "",
                  "_index": range(1, 1 + len(activities))}
    groups = {"activity_id": "group_activity", "type": "group_activity", "title_en": "group_activity",
              "title_ar": "group_activity", "start_date": "group_activity", "end_date": "group_activity",
              "governorate": "group_place", "cpf_id": "group_place"}
    xml = pd.DataFrame({**meta_before, **{f"{groups.get(c, 'group_people')}/{c}": activities[c] for c in ENGLISH},
                        **meta_after})
    xml["group_place/governorate"] = xml["group_place/governorate"].map(lambda g: fold(g))  # XML names: salah_al_din
    for column in ("group_activity/start_date", "group_activity/end_date"):
        xml[column] = pd.to_datetime(xml[column]).dt.strftime("%Y-%m-%d")
    labels = {"activity_id": "Activity ID", "type": "Type of activity", "title_en": "Title (English)",
              "title_ar": "Title (Arabic)", "start_date": "Start date", "end_date": "End date",
              "governorate": "Location (Governorate)", "cpf_id": "Forum (CPF ID)",
              "participants": "Total number of participants", "female": "Number of women",
              "police": "Police officers", "community": "Community members",
              "law_enforcement": "Law enforcement representatives", "civil_society": "Civil society organisations",
              "judiciary": "Judges"}
    labelled = pd.DataFrame({**meta_before, **{labels[c]: activities[c] for c in ENGLISH}, **meta_after})
    labelled["Type of activity"] = labelled["Type of activity"].str.capitalize()
    for name, frame, write in (("xml", xml, "csv"), ("labels", labelled, "xlsx")):
        folder = project(tmp_path / name)
        if write == "csv":  # Kobo writes its CSV exports with semicolons
            csv_file(folder / "Community_Policing_Activities_-_all_versions_-_2017-06-01.csv", frame, sep=";")
        else:
            workbook(folder / "aXk3Ld8_export.xlsx", {"Community Policing Activities": frame})
        assert figures_of(folder) == expected, name
        checked, _ = outcome(folder)
        [meta] = codes(checked, "CP021")
        assert "'_uuid'" in meta.message_en and "'start'" in meta.message_en and meta.severity == NOTE, name
        assert not codes(checked, "CP103")  # _id is not taken for activity_id


def test_the_projects_own_headers_and_values_are_read_through_the_config(tmp_path, expected):
    activities = sample_activities().rename(columns={"participants": "Attendance (all)", "governorate": "Where"})
    activities["type"] = activities["type"].map({"training": "Capacity building", "conference": "جلسة حوار",
                                                 "workshop": "Awareness session"})
    mapping = """
[columns.activities]
participants = "Attendance (all)"
governorate = ["Where", "Location"]

[values.activities.type]
"Capacity building" = "training"
"جلسة حوار" = "conference"
"Awareness session" = "workshop"
"""
    folder = project(tmp_path, mapping)
    workbook(folder / "activities.xlsx", {"activities": activities})
    assert figures_of(folder) == expected
    checked, _ = outcome(folder)
    converted = [f for f in codes(checked, "CP211") if f.column == "type"]
    assert converted and converted[0].value in ("Capacity building", "جلسة حوار", "Awareness session")


@pytest.mark.parametrize("entry, problem", [
    ('[columns.activites]\nparticipants = "x"', "did you mean 'columns.activities'?"),
    ('[columns.activities]\nparticipant = "x"', "did you mean 'columns.activities.participants'?"),
    ('[values.activities.type]\n"Awareness" = "worksop"', "did you mean 'workshop'?"),
    ('[files."a.csv"]\nencodng = "cp1256"', "did you mean 'files.a.csv.encoding'?"),
    ('[files."a.csv"]\nencoding = "klingon"', "is not an encoding"),
    # Two spellings of one value meaning two things: whichever came last would win, unsaid.
    ('[values.activities.type]\n"Awareness session" = "workshop"\n"awareness-session" = "training"',
     "'awareness-session' and 'Awareness session' are read alike, but one is 'training' and the other 'workshop'"),
    ('[values.activities.type]\n"Training" = "workshop"', "'Training' is already read as 'training'"),
    ('[values.activities.governorate]\n"Mosul" = "Ninewa"\n"mosul" = "Anbar"', "are read alike"),
])
def test_config_mappings_are_checked_and_name_the_nearest(tmp_path, entry, problem):
    folder = project(tmp_path, entry)
    with pytest.raises(ConfigError) as raised:
        load_config(folder / "cpreport.toml")
    assert problem in str(raised.value)



def test_spellings_of_one_value_meaning_the_same_are_not_a_config_error(tmp_path):
    folder = project(tmp_path, '[values.activities.governorate]\n"Mosul" = "Ninewa"\n"mosul" = "Ninawa"\n'
                               '"Ninewa Gov." = "Ninewa"\n[values.activities.type]\n"TOT" = "training"\n'
                               '"T.O.T" = "training"')
    config = load_config(folder / "cpreport.toml")
    assert config.intake.values["activities"]["type"] == {"tot": "training", "t_o_t": "training"}

def test_a_missing_column_and_a_wrong_value_name_the_near_miss(tmp_path):
    activities = sample_activities().rename(columns={"participants": "Participants count (all)"})
    activities.loc[4, "governorate"] = "Anbaar"
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": activities})
    checked, _ = outcome(folder)
    [missing] = [f for f in codes(checked, "CP101") if f.column == "participants"]
    assert "Did you mean the column 'Participants count (all)'?" in missing.message_en
    assert "هل تقصد العمود «Participants count (all)»؟" in missing.message_ar
    [place] = codes(checked, "CP208")
    assert place.value == "Anbaar" and "Did you mean Anbar?" in place.message_en and "هل تقصد «الأنبار»؟" in place.message_ar


def test_a_district_column_headed_alqadaa_is_not_read_as_judiciary(tmp_path, expected):
    activities = sample_activities()
    activities.insert(7, "القضاء", "Mosul")
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": activities})
    assert figures_of(folder) == expected
    checked, _ = outcome(folder)
    [extra] = codes(checked, "CP102")
    assert "'القضاء'" in extra.message_en and not codes(checked, "CP302")


def test_a_judiciary_column_headed_alqadaa_is_a_near_miss_said_as_one(tmp_path):
    """القضاء is the district, not the judiciary (القضاة): a sheet that heads its judiciary column so has it left
    out, and is told which column it is close to, and how to have it read."""
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": sample_activities().rename(columns={"judiciary": "القضاء"})})
    checked, _ = outcome(folder)
    [near] = codes(checked, "CP105")
    assert (near.column, near.severity, near.parameters["canonical"]) == ("القضاء", WARNING, "judiciary")
    assert "[columns.activities] judiciary = \"القضاء\"" in near.message_en
    assert "«القضاة»" in near.message_ar
    assert not codes(checked, "CP102")  # said once, as the near miss
    fixed = project(tmp_path / "fixed", '[columns.activities]\njudiciary = "القضاء"\n')
    workbook(fixed / "activities.xlsx", {"activities": sample_activities().rename(columns={"judiciary": "القضاء"})})
    assert not codes(outcome(fixed)[0], "CP105")


def test_no_alias_folds_into_another_column():
    """Two columns of one table never share a header; nor does a column share one with a differently named column
    of another table, but for each table's own id and date (a header "date" or "id" means the row's own)."""
    own = {"date", "id", "التاريخ", "لغايه"}
    keys: dict[str, set[tuple[str, str]]] = {}
    for table in TABLES.values():
        seen: dict[str, str] = {}
        for column in table.columns:
            for key in column.keys:
                assert seen.setdefault(key, column.name) == column.name, (table.name, key, column.name, seen[key])
                keys.setdefault(key, set()).add((table.name, column.name))
    clashes = {key: found for key, found in keys.items()
               if len({column for _, column in found}) > 1 and key not in own}
    assert clashes == {}


def test_per_file_options_read_what_the_sniffer_would_get_wrong(tmp_path, expected):
    activities = sample_activities()
    folder = project(tmp_path, '[files."anbar/activities.csv"]\nencoding = "cp1256"\ndelimiter = "|"\nheader_row = 3\n'
                               '[files."extra/sheet.xlsx"]\nsheet = "Data"\ntable = "activities"\n')
    path = folder / "anbar" / "activities.csv"
    path.parent.mkdir(parents=True)
    text = "تقرير المكتب|\n\n" + activities.iloc[:20].to_csv(index=False, sep="|")
    path.write_bytes(text.encode("cp1256"))
    workbook(folder / "extra" / "sheet.xlsx", {"Notes": [["a note"]], "Data": activities.iloc[20:]})
    assert figures_of(folder) == expected
    checked, figures = outcome(folder)
    titles = [f for f in checked.findings if f.code == "CP020"]
    assert [(f.file, f.sheet) for f in titles] == [("extra/sheet.xlsx", "Notes")]


def test_per_file_options_that_miss_the_header_or_leave_a_tables_sheet_out_are_said(tmp_path):
    # header_row one too high: the first activity would be taken for a second header row and lost.
    activities = sample_activities()
    folder = project(tmp_path, '[files."activities.xlsx"]\nheader_row = 4\n[files."extra.xlsx"]\nsheet = "Data"\n'
                               'table = "activities"\n')
    rows = activities.iloc[:20].astype(object).where(activities.iloc[:20].notna(), None).values.tolist()
    workbook(folder / "activities.xlsx", {"activities": [["Activities of the programme"], [],
                                                         activities.columns.tolist(), *rows]})
    workbook(folder / "extra.xlsx", {"Data": activities.iloc[20:25], "May": activities.iloc[25:]})
    checked, figures = outcome(folder)
    said = {f.code: f for f in checked.findings}
    assert figures is None and said["CP040"].severity == "error" and said["CP040"].row == 4
    assert "the header seems to be row 3" in said["CP040"].message_en
    assert (said["CP041"].severity, said["CP041"].sheet) == ("warning", "May")
    assert "names the sheet 'Data' of this file to read" in said["CP041"].message_en


def test_an_old_output_folder_inside_the_data_folder_is_named_not_read(tmp_path, expected):
    # `out` moved elsewhere: the old output folder, with its annex and annotated copies, is still in the data folder.
    activities = sample_activities()
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": activities})
    old = folder / "reports"
    (old / ".cpreport").mkdir(parents=True)
    workbook(old / "findings" / "activities.xlsx", {"activities": activities})
    assert figures_of(folder) == expected
    checked, _ = outcome(folder)
    [said] = [f for f in checked.findings if f.file == "reports/"]
    assert (said.code, said.parameters["reason"]) == ("CP020", "output_folder")


def test_nothing_in_the_data_folder_is_left_out_without_a_finding(tmp_path):
    activities = sample_activities()
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": activities, "Empty": [],
                                          "Anbar": activities.iloc[:3].drop(columns=["participants"])})
    (folder / "a" / "b" / "c" / "d").mkdir(parents=True)
    csv_file(folder / "a" / "b" / "c" / "d" / "activities.csv", activities.iloc[:2])
    (folder / "budget.docx").write_bytes(b"x")
    checked, _ = outcome(folder)
    said = {(f.code, f.file, f.sheet, f.severity) for f in checked.findings}
    assert ("CP020", "activities.xlsx", "Empty", NOTE) in said
    # A sheet that looks like the table's rows with a required column missing is an error, not a quiet note.
    assert ("CP101", "activities.xlsx", "Anbar", ERROR) in said  # the table's rows, one column missing
    assert ("CP020", "a/b/c/d/", "", NOTE) in said
    assert any(f.code == "CP019" and "budget.docx" in f.message_en for f in checked.findings)




@pytest.mark.parametrize("office_file, sheet", [("activities.xlsx", "Ninewa"), ("تقرير نينوى.xlsx", "Sheet1"),
                                                ("الأنشطة - نينوى.xlsx", "Sheet1")])
def test_an_office_sheet_whose_header_is_below_the_rows_searched_is_an_error_saying_where(tmp_path, office_file,
                                                                                         sheet):
    # Twenty-four rows of notes above the header: the office's rows would be left out of a report that is built,
    # in a sheet of the table's workbook, in a file named after no table, or in a file of its own.
    activities = sample_activities()
    folder = project(tmp_path)
    notes = [["Ninewa office activities"], *[[f"note {n}"] for n in range(23)]]
    ninewa = [*notes, list(activities.columns), *activities.iloc[20:].astype(object).values.tolist()]
    if office_file == "activities.xlsx":
        workbook(folder / office_file, {"Anbar": activities.iloc[:20], sheet: ninewa})
    else:
        workbook(folder / "activities.xlsx", {"Anbar": activities.iloc[:20]})
        workbook(folder / office_file, {sheet: ninewa})
    checked, figures = outcome(folder)
    assert figures is None
    [error] = codes(checked, "CP044")
    assert (error.file, error.sheet, error.row, error.severity) == (office_file, sheet, 25, ERROR)
    assert not codes(checked, "CP002") and not codes(checked, "CP004")
    assert "row 25" in error.message_en and "first 20 rows" in error.message_en and error.message_ar

def test_a_link_back_to_a_folder_above_is_named_and_not_followed(tmp_path, expected):
    # A folder link to the data folder inside an office's folder: its sheets read once, not again through the link
    # three levels deep as copies of themselves.
    activities = sample_activities()
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": activities.iloc[:20]})
    workbook(folder / "ninewa" / "activities.xlsx", {"activities": activities.iloc[20:]})
    (folder / "ninewa" / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "ninewa" / "again").symlink_to(folder / "ninewa", target_is_directory=True)
    assert figures_of(folder) == expected
    checked, _ = outcome(folder)
    loops = sorted(f.file for f in codes(checked, "CP020") if f.parameters.get("reason") == "link_loop")
    assert loops == ["ninewa/again/", "ninewa/loop/"]

@pytest.mark.parametrize("name", ["activities-anbar.zip", "CP Activities Form.zip", "Anbar office.7z"])
def test_an_archive_in_the_data_folder_is_a_warning_never_a_note(tmp_path, name):
    # ODK Central's "all data" or an office's sheets zipped to send: rows inside it would be missing from a report
    # built with a note alone.
    import zipfile

    activities = sample_activities()
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": activities.iloc[:20]})
    with zipfile.ZipFile(folder / name, "w") as archive:
        archive.writestr("activities-anbar.csv", activities.iloc[20:].to_csv(index=False))
    checked, figures = outcome(folder)
    [said] = codes(checked, "CP042")
    assert (said.file, said.severity) == (name, WARNING)
    assert "unzip" in said.message_en and not codes(checked, "CP019")


def test_annotated_copies_of_office_files_keep_their_folder_in_their_name(tmp_path):
    from cpreport.pages import findings_files

    activities = sample_activities()
    broken = activities.iloc[10:].copy()
    broken.iloc[0, broken.columns.get_loc("participants")] = "thirty"
    folder = project(tmp_path)
    workbook(folder / "ninewa" / "activities.xlsx", {"Sheet1": activities.iloc[:10]})
    csv_file(folder / "anbar" / "activities.csv", broken)
    config = load_config(folder / "cpreport.toml")
    checked = check(config)
    [error] = [f for f in checked.findings if f.severity == ERROR]
    assert (error.code, error.file, error.row) == ("CP202", "anbar/activities.csv", 2)
    files = findings_files(config, checked.findings, annotated=True)
    assert "anbar - activities.csv.annotated.xlsx" in files
    from openpyxl import load_workbook
    import io

    book = load_workbook(io.BytesIO(files["anbar - activities.csv.annotated.xlsx"]))
    sheet = book.worksheets[0]
    cell = sheet.cell(row=2, column=activities.columns.get_loc("participants") + 1)
    assert cell.value == "thirty" and "CP202" in cell.comment.text


def test_odk_group_dashes_and_hidden_sheet_files(tmp_path, expected):
    activities = sample_activities()
    folder = project(tmp_path)
    odk = activities.rename(columns={c: f"group_activity-{c}" for c in activities.columns})
    odk.insert(0, "SubmissionDate", "Jun 1, 2017 9:20:02 AM")
    odk["meta-instanceID"] = [f"uuid:{n}" for n in range(len(odk))]
    odk["KEY"] = odk["meta-instanceID"]
    csv_file(folder / "odk" / "activities.csv", odk)
    csv_file(folder / "odk" / "._activities.csv", activities.iloc[:3])
    (folder / ".~lock.activities.xlsx#").write_text("x")
    assert figures_of(folder) == expected
    checked, _ = outcome(folder)
    [hidden] = [f for f in codes(checked, "CP020") if "hidden" in f.message_en]
    assert hidden.file == ".~lock.activities.xlsx#, odk/._activities.csv"
    [meta] = codes(checked, "CP021")
    assert "'SubmissionDate'" in meta.message_en and "'KEY'" in meta.message_en


def test_an_empty_file_named_after_no_table_is_a_note_and_one_named_after_a_table_an_error(tmp_path, expected):
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": sample_activities()})
    (folder / "notes.csv").write_bytes(b"")
    checked, figures = outcome(folder)
    assert figures is not None
    [empty] = [f for f in codes(checked, "CP020") if f.file == "notes.csv"]
    assert empty.severity == NOTE and "empty" in empty.message_en
    (folder / "cpfs - anbar.csv").write_bytes(b"")  # an office's forums, saved as nothing
    checked, figures = outcome(folder)
    assert figures is None and [f.file for f in codes(checked, "CP008")] == ["cpfs - anbar.csv"]


def test_a_hidden_folder_holding_an_offices_sheets_is_named(tmp_path):
    """A folder whose name starts with a dot is not read, like a hidden file: said, with how to have it read."""
    activities = sample_activities()
    folder = project(tmp_path)
    workbook(folder / "ninewa" / "activities.xlsx", {"Sheet1": activities.iloc[:10]})
    workbook(folder / ".anbar" / "May" / "activities.xlsx", {"Sheet1": activities.iloc[10:]})
    (folder / ".git").mkdir()
    (folder / ".git" / "old.csv").write_text("a,b\n1,2\n")  # version control's own folder: not looked into
    (folder / ".cache").mkdir()
    (folder / ".cache" / "notes.txt.bak").write_text("no sheet here")
    checked, figures = outcome(folder)
    assert figures["activities.total"]["value"] == 10  # what is read, with the hidden folder named:
    [hidden] = [f for f in codes(checked, "CP020") if f.file.startswith(".")]
    assert hidden.file == ".anbar/" and "rename the folder without the dot" in hidden.message_en
    assert "المجلد مخفي" in hidden.message_ar


def test_file_options_that_name_no_file_are_said_with_the_nearest_file(tmp_path, expected):
    folder = project(tmp_path, '[files."anbar/activitie.csv"]\ndelimiter = "|"\n')
    csv_file(folder / "anbar" / "activities.csv", sample_activities(), sep="|")
    checked, figures = outcome(folder)
    [unused] = codes(checked, "CP034")
    assert unused.file == "anbar/activitie.csv" and unused.severity == WARNING
    assert "Did you mean anbar/activities.csv?" in unused.message_en, unused.message_en
    fixed = project(tmp_path / "fixed", '[files."Anbar/Activities.csv"]\ndelimiter = "|"\n')
    csv_file(fixed / "anbar" / "activities.csv", sample_activities(), sep="|")
    assert figures_of(fixed) == expected
    assert not codes(outcome(fixed)[0], "CP034")


def test_a_highlighted_place_no_forum_stands_in_is_said_with_the_nearest_district(tmp_path):
    """The sample highlights Qayara: a cpfs sheet that spells it Qayyarah leaves the release's sentence out, and
    says so, naming the spelling it has."""
    from openpyxl import load_workbook

    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": sample_activities()})
    assert not codes(outcome(folder)[0], "CP311")
    book = load_workbook(folder / "cpfs.xlsx")
    respelled = 0
    for row in book.active.iter_rows():
        for cell in row:
            if cell.value == "Qayara":
                cell.value, respelled = "Qayyarah", respelled + 1
    book.save(folder / "cpfs.xlsx")
    assert respelled
    checked, figures = outcome(folder)
    [said] = codes(checked, "CP311")
    assert said.severity == WARNING and said.value == "Qayara"
    assert (said.file, said.sheet) == ("cpfs.xlsx", "cpfs") and said.column  # the forums' sheet and its district column
    assert "Did you mean Qayyarah?" in said.message_en and "Qayyarah" in said.message_ar
    assert not any(key.startswith("cpfs.place.") for key in figures)


@pytest.mark.parametrize("own_status", ["forum-status", "status"])
def test_an_odk_central_exports_own_columns_are_its_bookkeeping_not_the_forums(tmp_path, expected, own_status):
    """ODK Central writes Status, ReviewState, SubmitterID… after the form's questions: its Status is the
    submission's, never the forums' status column, which the form names itself."""
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": sample_activities()})
    forums = pd.read_excel(folder / "cpfs.xlsx", header=2, engine="calamine", dtype=object)
    forums.columns = [c.name for c in TABLES["cpfs"].columns]
    (folder / "cpfs.xlsx").unlink()
    central = forums.rename(columns={"status": own_status})
    central.insert(0, "SubmissionDate", "2017-06-01T09:20:02.000Z")
    for name, value in {"meta-instanceID": "uuid:1", "KEY": "uuid:1", "SubmitterID": 7, "SubmitterName": "officer",
                        "AttachmentsPresent": 0, "AttachmentsExpected": 0, "Status": "", "ReviewState": "approved",
                        "DeviceID": "collect:x", "Edits": 0, "FormVersion": "2017050101"}.items():
        central[name] = value
    csv_file(folder / "cpfs.csv", central)
    checked, figures = outcome(folder)
    assert figures is not None, [f.message_en for f in checked.findings if f.severity == ERROR]
    assert figures["cpfs.total"]["value"] == expected["cpfs.total"]
    assert figures["cpfs.active"]["value"] == int((forums["status"] == "Active").sum())
    [meta] = codes(checked, "CP021")
    assert all(f"'{name}'" in meta.message_en for name in ("Status", "ReviewState", "SubmitterID", "FormVersion"))
    assert not [f for f in codes(checked, "CP102") if f.file == "cpfs.csv"]


@pytest.mark.parametrize("written", ["Particpants", "No. of people"])
def test_a_sheet_with_every_required_column_but_one_is_read_as_the_table_and_the_column_said_missing(tmp_path,
                                                                                                    written):
    # An office's sheet whose participants' header is misspelt is that office's activities: the build stops on the
    # missing column (with the header it may be), never a report built without the office's rows.
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": sample_activities()})
    workbook(folder / "May report.xlsx", {"Anbar": sample_activities().iloc[:4].rename(
        columns={"participants": written})})
    checked, figures = outcome(folder)
    assert figures is None
    [error] = codes(checked, "CP101")
    assert (error.file, error.sheet, error.column, error.severity) == ("May report.xlsx", "Anbar", "participants",
                                                                        ERROR)
    assert not codes(checked, "CP022")
    assert ("Did you mean the column 'Particpants'?" in error.message_en) == (written == "Particpants")


def test_a_file_named_after_no_table_whose_sheet_lacks_two_required_columns_is_a_warning(tmp_path):
    folder = project(tmp_path)
    workbook(folder / "activities.xlsx", {"activities": sample_activities()})
    workbook(folder / "May report.xlsx", {"Anbar": sample_activities().iloc[:4].drop(
        columns=["activity_id", "start_date"])})
    checked, _ = outcome(folder)
    [warning] = codes(checked, "CP022")
    assert (warning.file, warning.sheet, warning.severity) == ("May report.xlsx", "Anbar", WARNING)
    assert "'activity_id'" in warning.message_en and not codes(checked, "CP002")


def test_a_part_without_a_required_column_is_said_once(tmp_path):
    activities = sample_activities()
    folder = project(tmp_path)
    workbook(folder / "ninewa" / "activities.xlsx", {"Sheet1": activities.iloc[:10]})
    workbook(folder / "anbar" / "activities.xlsx", {"activities": activities.iloc[10:].drop(columns=["title_en"])})
    checked, figures = outcome(folder)
    assert figures is None
    assert [(f.code, f.file) for f in checked.findings if f.severity == ERROR] == [("CP101", "anbar/activities.xlsx")]


def test_a_hidden_sheet_is_named_and_never_counted(tmp_path, expected):
    # Rows the officer cannot see in Excel are not in the report: a hidden sheet with the table's header is a
    # warning naming it (its rows may belong in the report), any other hidden sheet a note.
    activities = sample_activities()
    folder = project(tmp_path)
    path = workbook(folder / "activities.xlsx", {"May": activities, "Old data": activities.iloc[:5],
                                                 "Scratch": [["working notes"]], "Macro's": activities.iloc[:3]})
    from openpyxl import load_workbook

    book = load_workbook(path)
    book["Old data"].sheet_state = "hidden"
    book["Scratch"].sheet_state = "veryHidden"
    book["Macro's"].sheet_state = "veryHidden"
    book.save(path)
    assert figures_of(folder) == expected  # the visible sheet's rows alone
    checked, _ = outcome(folder)
    [warning] = codes(checked, "CP026")
    assert (warning.file, warning.sheet, warning.severity) == ("activities.xlsx", "Old data", WARNING)
    assert "unhide" in warning.message_en and "activities" in warning.message_en
    # A "very hidden" sheet is not listed by Excel's Unhide: the way to its rows is said instead.
    [very] = codes(checked, "CP043")
    assert (very.sheet, very.severity) == ("Macro's", WARNING)
    assert "VBA" in very.message_en and "Unhide does not list" in very.message_en and very.message_ar
    [note] = [f for f in codes(checked, "CP020") if f.sheet == "Scratch"]
    assert note.severity == NOTE and "hidden" in note.message_en and note.message_ar


@pytest.mark.parametrize("name", ["activities [Ninewa].csv", "activities: Anbar?.csv"])
def test_a_csv_whose_name_no_sheet_may_bear_still_gets_its_annotated_copy(tmp_path, name):
    from cpreport.pages import findings_files
    from openpyxl import load_workbook
    import io

    activities = sample_activities()
    broken = activities.copy()
    broken.iloc[0, broken.columns.get_loc("participants")] = "thirty"
    folder = project(tmp_path)
    csv_file(folder / name, broken)
    config = load_config(folder / "cpreport.toml")
    checked = check(config)
    [error] = [f for f in checked.findings if f.severity == ERROR]
    assert (error.code, error.file, error.row) == ("CP202", name, 2)
    files = findings_files(config, checked.findings, annotated=True)
    book = load_workbook(io.BytesIO(files[f"{name}.annotated.xlsx"]))
    cell = book.worksheets[0].cell(row=2, column=activities.columns.get_loc("participants") + 1)
    assert cell.value == "thirty" and "CP202" in cell.comment.text


def test_a_misspelt_table_under_columns_is_one_problem_however_many_keys_it_has(tmp_path):
    folder = project(tmp_path, '[columns.activites]\nparticipants = "x"\ngovernorate = "y"\ntype = "z"\n'
                               '[values.activitis.type]\n"a" = "workshop"\n"b" = "training"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(folder / "cpreport.toml")
    said = str(raised.value)
    assert said.count("columns.activites") == 1 and said.count("values.activitis") == 1, said
    assert len(raised.value.problems) == 2


def test_of_a_file_and_its_copy_the_copy_is_left_out_whatever_their_order(tmp_path, expected):
    # "activities - Copy.xlsx" sorts before "activities.xlsx": the copy is still the one said and left out.
    activities = sample_activities()
    folder = project(tmp_path)
    workbook(folder / "ninewa" / "activities.xlsx", {"Sheet1": activities})
    workbook(folder / "ninewa" / "activities - Copy.xlsx", {"Sheet1": activities})
    checked, _ = outcome(folder)
    [copy] = codes(checked, "CP006")
    assert copy.file == "ninewa/activities - Copy.xlsx" and "ninewa/activities.xlsx" in copy.message_en
    checked.findings = type(checked.findings)([f for f in checked.findings if f.code != "CP006"])
    config = load_config(folder / "cpreport.toml")
    figures = json.loads(compute(checked, config.period, config.highlights).to_json())["figures"]
    assert {key: figures[key]["value"] for key in KEYS} == expected
    assert {s["file"] for s in figures["activities.total"]["sources"]} == {"ninewa/activities.xlsx"}
