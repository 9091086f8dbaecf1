"""Validation: cells read as their type, the rules, and findings a field officer can act on."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpreport.config import Period
from cpreport.figures import compute
from cpreport.findings import ERROR, WARNING
from cpreport.load import load
from cpreport.validate import parse_dates, parse_integers, validate
from fixtures.make_fixtures import FIGURES, broken_cells, broken_files, messy, messy_digits, messy_formats

MAY_2017 = Period(2017, 5)
SCOPES = {"national", "mosul_operations"}
CONFIG = """period = "2017-05"
data = "{data}"
out = "{out}"
[scopes.national]
label = {{ en = "across the country", ar = "في كافة أنحاء البلاد" }}
since = 2014-01-01
[scopes.mosul_operations]
label = {{ en = "the Mosul military operations", ar = "العمليات العسكرية في الموصل" }}
since = 2016-10-17
"""


@pytest.fixture(scope="session")
def fixtures(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("fixtures")
    messy(root / "messy")
    messy_digits(root / "messy_digits")
    messy_formats(root / "messy_formats")
    expected = broken_cells(root / "broken_cells")
    cases = broken_files(root / "broken_files")
    return {"root": root, "broken_cells": expected, "broken_files": cases}


def checked(folder: Path):
    return validate(load(folder), MAY_2017.end, SCOPES)


def config_for(tmp_path: Path, data: Path) -> Path:
    path = tmp_path / "cpreport.toml"
    path.write_text(CONFIG.format(data=data, out=tmp_path / "out"), "utf-8")
    return path


# --- cells ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, value, code", [
    ("25", 25, None), (25, 25, None), (25.0, 25, None), ("٢٥", 25, None), ("۲۵", 25, None), ("1,100", 1100, None),
    ("١٬١٠٠", 1100, None), ("1 100", 1100, None), ("3,042,288", 3042288, None), ("٣٬٠٤٢٬٢٨٨", 3042288, None),
    ("1.100", None, "CP204"), ("12.500", None, "CP204"), ("12.5", None, "CP202"), ("abc", None, "CP202"),
    ("-3", None, "CP203"), (-3, None, "CP203"), ("−3", None, "CP203"), (True, None, "CP202"),
    (dt.datetime(2017, 1, 1), None, "CP202"), ("1e20", None, "CP202"), ("1,10", None, "CP202"), (None, None, None),
    ("1e3", None, "CP202"), ("3e1", None, "CP202"), ("1.5e1", None, "CP202"), ("inf", None, "CP202"),
    ("0x1F", None, "CP202"), ("+30", 30, None),
])
def test_counts_are_read_in_any_digits_and_ambiguity_is_a_finding(cell, value, code):
    parsed = parse_integers(pd.Series([cell], dtype=object))
    got = parsed.values.iloc[0]
    assert (None if pd.isna(got) else int(got)) == value
    assert [c.name for c, mask in parsed.failures.items() if mask.iloc[0]] == ([code] if code else [])


@pytest.mark.parametrize("cell, day, code", [
    (dt.datetime(2017, 5, 2), "2017-05-02", None), (dt.date(2017, 5, 2), "2017-05-02", None),
    (42857, "2017-05-02", None), ("42857", "2017-05-02", None), ("2017-05-02", "2017-05-02", None),
    ("2017/5/2", "2017-05-02", None), ("2017-05-02 00:00:00", "2017-05-02", None),
    ("2017-05-02T23:30:00.000+03:00", "2017-05-02", None), ("2017-05-02T10:00:00Z", "2017-05-02", None),
    ("2017-05-02T10:00:00.000-0500", "2017-05-02", None), ("2017-05-02T10:00:00+25:00", None, "CP205"),
    ("2017-05-02 10:00:00+03", "2017-05-02", None), ("2017-05-02T10:00:00+03:00:00", None, "CP205"),
    ("02/05/2017", "2017-05-02", None), ("2/5/2017", "2017-05-02", None), ("2-5-2017", "2017-05-02", None),
    ("02.05.2017", "2017-05-02", None), ("٠٢/٠٥/٢٠١٧", "2017-05-02", None), ("۲/۵/۲۰۱۷", "2017-05-02", None),
    ("٢٠١٧-٠٥-٠٢", "2017-05-02", None), ("13/05/2017", "2017-05-13", None), ("2 May 2017", "2017-05-02", None),
    ("2 أيار 2017", "2017-05-02", None), ("٢ أيار ٢٠١٧", "2017-05-02", None), ("17 تشرين الأول 2016", "2016-10-17", None),
    ("May 2, 2017", "2017-05-02", None),
    ("05/13/2017", None, "CP213"), ("02/05/17", None, "CP206"), ("2-May-17", None, "CP206"),
    ("31/02/2017", None, "CP214"), ("13/13/2017", None, "CP214"), ("2217-05-02", None, "CP215"),
    (dt.datetime(1900, 1, 25), None, "CP215"), ("soon", None, "CP205"), (25, None, "CP205"),
    (dt.time(10, 0), None, "CP205"), (True, None, "CP205"), (None, None, None),
])
def test_dates_are_read_day_first_in_any_digits_and_never_guessed(cell, day, code):
    parsed = parse_dates(pd.Series([cell], dtype=object))
    got = parsed.values.iloc[0]
    assert (None if pd.isna(got) else got.date().isoformat()) == day
    assert [c.name for c, mask in parsed.failures.items() if mask.iloc[0]] == ([code] if code else [])


# --- messy but valid sheets give the seed's figures ---------------------------------------------------

@pytest.mark.parametrize("folder", ["messy", "messy_digits", "messy_formats"])
def test_messy_sheets_give_the_sample_figures_and_no_errors(fixtures, folder):
    result = checked(fixtures["root"] / folder)
    errors = [f for f in result.findings if f.severity == ERROR]
    assert errors == []
    figures = compute(result, MAY_2017)
    assert {key: figures.value(key, -1) for key in FIGURES} == FIGURES
    assert {f.code for f in result.findings if f.severity == WARNING} == {"CP307"}  # the seed's own dates


def test_the_messy_folder_says_what_it_skipped_and_changed(fixtures):
    findings = checked(fixtures["root"] / "messy").findings
    by_code = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    assert [f.file for f in by_code["CP007"]] == ["~$CPFs - May 2017.xlsx"]
    assert [f.file for f in by_code["CP002"]] == ["readme.txt"]
    assert "minutes.docx" in by_code["CP019"][0].message_en
    assert [(f.file, f.row) for f in by_code["CP018"]] == [("CPFs - May 2017.xlsx", 57)]
    assert [f.column for f in by_code["CP102"]] == ["Remarks"]
    # One note per column whose cells were changed, never one per cell.
    notes = [(f.file, f.column) for f in by_code["CP211"]]
    assert len(notes) == len(set(notes))
    district = next(f for f in by_code["CP211"] if f.column == "القضاء")
    assert (district.value, district.row) == ("N/A", 13)


# --- broken sheets: an error at each broken cell, and no others ---------------------------------------

def test_each_broken_cell_gives_exactly_its_error(fixtures):
    findings = checked(fixtures["root"] / "broken_cells").findings
    errors = {(f.code, f.file, f.row, f.column) for f in findings if f.severity == ERROR}
    assert errors == fixtures["broken_cells"]
    assert len([f for f in findings if f.severity == ERROR]) == len(errors)  # none said twice


def test_a_finding_says_what_to_fix_in_both_languages(fixtures):
    findings = checked(fixtures["root"] / "broken_cells").findings
    month_first = next(f for f in findings if f.code == "CP213")
    assert (month_first.sheet, month_first.value) == ("CPFs May 2017", "05/13/2016")
    assert "no month 13" in month_first.message_en and "day/month/year" in month_first.message_en
    assert "لا يوجد شهر رقم ١٣" in month_first.message_ar
    for f in findings:
        assert f.message_en and f.message_ar and "{" not in f.message_en + f.message_ar


@pytest.mark.parametrize("case", ["not_a_spreadsheet", "truncated", "zero_bytes", "web_page", "no_header",
                                  "header_only", "blank_csv", "binary_csv", "password"])
def test_a_broken_file_gives_one_finding_naming_it(fixtures, case):
    if case not in fixtures["broken_files"]:
        pytest.skip("msoffcrypto-tool is not installed")
    file, code = fixtures["broken_files"][case]
    findings = checked(fixtures["root"] / "broken_files" / case).findings
    about = [f for f in findings if f.file == file]
    assert [f.code for f in about] == [code]
    assert about[0].severity == (WARNING if code == "CP005" else ERROR)
    # The table it stood for is not reported missing on top.
    assert not [f for f in findings if f.code == "CP003" and f.severity == ERROR]


def test_displacement_on_one_date_is_an_error_and_across_dates_a_warning(tmp_path):
    (tmp_path / "displacement.csv").write_text(
        "as_of,scope,metric,individuals\n"
        "2017-04-13,mosul_operations,displaced_cumulative,100\n"
        "2017-04-13,mosul_operations,returned_cumulative,60\n"
        "2017-04-13,mosul_operations,displaced_current,50\n"
        "2017-05-02,mosul_operations,displaced_cumulative,200\n"
        "2017-04-27,mosul_operations,returned_cumulative,120\n"
        "2017-05-02,mosul_operations,displaced_current,90\n"
        "2017-06-02,mosul_operations,displaced_current,90\n", "utf-8")
    findings = [f for f in checked(tmp_path).findings if f.file == "displacement.csv"]
    assert [(f.code, f.severity, f.row) for f in findings] == [
        ("CP305", WARNING, 8), ("CP306", ERROR, 2), ("CP307", WARNING, 5)]
    different = findings[2]
    assert "27/04/2017" in different.message_en and "02/05/2017" in different.message_en
    assert "1 row is dated after the end of the period (31/05/2017)" in findings[0].message_en
    assert "هذا الصف مؤرخ بعد نهاية الفترة (٣١/٠٥/٢٠١٧)" in findings[0].message_ar


def test_a_displacement_row_whose_governorate_cannot_be_read_is_left_out_not_taken_for_the_whole_scope(tmp_path):
    # A row without a governorate is the scope's own figure; a row whose governorate is misspelt is one place's
    # figure that could not be placed: it is said (CP208) and left out of the sum, not read as the total.
    (tmp_path / "displacement.csv").write_text(
        "as_of,scope,metric,governorate,individuals\n"
        "2017-05-10,national,displaced_current,Baghdad,1000\n"
        "2017-05-10,national,displaced_current,Ninevahh,2000\n"
        "2017-05-10,national,displaced_current,Anbar,3000\n", "utf-8")
    result = checked(tmp_path)
    assert [(f.code, f.row) for f in result.findings if f.file == "displacement.csv"] == [("CP208", 3)]
    assert compute(result, MAY_2017).value("displacement.national.displaced_current") == 4000


def test_an_id_on_thousands_of_rows_is_said_once_with_a_short_list_of_its_rows(tmp_path):
    # One finding per repeated id (the annotated copy marks every row it names), listing a dozen runs of rows at
    # most: one finding per repeat, each listing them all, made the findings grow with the square of the rows.
    rows = [f"ACT-{1 if i % 2 else 2},training,2017-05-02,Ninewa,20" for i in range(3000)]
    (tmp_path / "activities.csv").write_text("activity_id,type,start_date,governorate,participants\n"
                                             + "\n".join(rows) + "\n", "utf-8")
    (tmp_path / "displacement.csv").write_text(
        "as_of,scope,metric,individuals\n"
        + "".join(f"2017-05-02,national,displaced_current,{1000 + i}\n" for i in range(40)), "utf-8")
    said = [f for f in checked(tmp_path).findings if f.code in ("CP209", "CP309")]
    assert sum(f.code == "CP209" for f in said) == 2 and sum(f.code == "CP309" for f in said) == 1
    assert sorted(f.cells for f in said if f.code == "CP209") == [1499, 1499]
    assert max(len(f.message_en) for f in said) < 600 and max(len(f.message_ar) for f in said) < 600
    first = next(f for f in said if f.code == "CP209")
    assert "rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24 and others" in first.message_en
    assert "الصفوف ٢ و٤ و٦ و٨ و١٠ و١٢ و١٤ و١٦ و١٨ و٢٠ و٢٢ و٢٤ وغيرها" in first.message_ar
    twice = next(f for f in said if f.code == "CP309")
    assert "rows 2-41" in twice.message_en and "1,000 / 1,001" in twice.message_en and "/ …" in twice.message_en


@pytest.mark.parametrize("cell, converted", [("2017-05-02", False), ("٢٠١٧-٠٥-٠٢", True), ("02/05/2017", True)])
def test_a_csv_date_in_arabic_digits_is_noted_as_converted(cell, converted):
    # ISO dates in Latin digits are how a CSV writes a date; the same date in Arabic digits was read after
    # conversion, and the note says so (as it does for counts).
    parsed = parse_dates(pd.Series([cell, "x"], dtype=object), typed_cells=False)
    assert parsed.values[0] == pd.Timestamp(2017, 5, 2)
    assert bool(parsed.converted[0]) is converted


# --- outputs: terminal, validation.csv, annotated copies, exit codes ---------------------------------

def test_validate_exits_1_on_errors_and_prints_plain_text_grouped_by_file(fixtures, tmp_path, cpreport_process):
    config = config_for(tmp_path, fixtures["root"] / "broken_cells")
    result = cpreport_process.run("validate", "--config", str(config))
    assert result.returncode == 1
    assert "\x1b[" not in result.stderr + result.stdout  # no colour codes when not on a terminal
    assert "\nCPFs - May 2017.xlsx: 9 errors, 0 warnings, 4 notes\n" in result.stderr
    assert "Findings: 20 errors, " in result.stderr and "(s)" not in result.stderr
    assert "Traceback" not in result.stderr


def test_warnings_exit_0_and_strict_makes_them_errors(fixtures, tmp_path, cpreport_process):
    config = config_for(tmp_path, fixtures["root"] / "messy")
    assert cpreport_process.run("validate", "--config", str(config)).returncode == 0
    assert cpreport_process.run("validate", "--config", str(config), "--strict").returncode == 1


def test_a_build_with_errors_writes_findings_and_annotated_copies_and_leaves_inputs_alone(fixtures, tmp_path, cpreport_process):
    from openpyxl import load_workbook

    data = fixtures["root"] / "broken_cells"
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in data.iterdir()}
    config = config_for(tmp_path, data)
    result = cpreport_process.run("build", "--config", str(config))
    assert result.returncode == 1
    out = tmp_path / "out"
    assert not (out / "2017-05").exists()
    findings = out / "findings"
    assert {p.name for p in findings.iterdir()} >= {"validation.csv", "validation.html", "CPFs - May 2017.annotated.xlsx",
                                                    "activities.csv.annotated.xlsx", "displacement.csv.annotated.xlsx"}
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in data.iterdir()} == before

    book = load_workbook(findings / "CPFs - May 2017.annotated.xlsx")
    sheet = book["CPFs May 2017"]
    cell = sheet.cell(row=15, column=9)  # the month-first date
    assert cell.value == "05/13/2016"
    assert "CP213" in cell.comment.text and "لا يوجد شهر رقم ١٣" in cell.comment.text
    assert cell.fill.start_color.rgb.endswith("FFC7CE")
    assert sheet.cell(row=16, column=9).comment is None
    csv_copy = load_workbook(findings / "activities.csv.annotated.xlsx").active
    assert csv_copy.cell(row=4, column=9).value == "ثلاثون"
    assert "CP202" in csv_copy.cell(row=4, column=9).comment.text

    rows = list(csv.DictReader(io.StringIO((findings / "validation.csv").read_text("utf-8-sig"))))
    assert list(rows[0]) == ["severity", "code", "file", "sheet", "row", "column", "value", "message_en", "message_ar"]
    negative = next(r for r in rows if r["code"] == "CP203")
    assert (negative["row"], negative["value"]) == ("5", "'-5")  # neutralised for Excel
    html = (findings / "validation.html").read_text("utf-8")
    assert "ثلاثون" in html and 'dir="rtl"' in html


def test_a_fixed_sheet_leaves_no_stale_annotated_copy(fixtures, tmp_path, cpreport_process):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(fixtures["root"] / "broken_cells", data)
    config = config_for(tmp_path, data)
    assert cpreport_process.run("build", "--config", str(config)).returncode == 1
    shutil.copy(fixtures["root"] / "messy" / "activities.csv", data / "activities.csv")
    assert cpreport_process.run("build", "--config", str(config)).returncode == 1
    names = {p.name for p in (tmp_path / "out" / "findings").iterdir()}
    assert "activities.csv.annotated.xlsx" not in names
    assert "CPFs - May 2017.annotated.xlsx" in names


def test_the_displacement_figures_of_a_period_are_worked_out_once_and_as_the_rows_say(fixtures):
    from cpreport.validate import displacement_totals

    result = checked(fixtures["root"] / "messy")
    for end in (MAY_2017.end, dt.date(2017, 4, 30)):
        totals = result.displacement_totals_until(end)
        frame = result.displacement
        again = displacement_totals(frame[frame["as_of"] <= pd.Timestamp(end)])
        pd.testing.assert_frame_equal(totals.reset_index(drop=True), again.reset_index(drop=True))
        assert result.displacement_totals_until(end) is totals  # kept for the figures and the tables
    assert len(result.displacement_totals_until(dt.date(2017, 4, 30))) < len(result.displacement_totals_until(MAY_2017.end))


def test_an_annotated_copy_of_a_csv_leaves_empty_cells_empty(tmp_path):
    import zipfile

    from cpreport.annotate import annotate

    path = tmp_path / "displacement.csv"
    path.write_text("as_of,scope,metric,governorate,individuals\n2017-05-02,national,displaced_current,,-5\n", "utf-8")
    checked = validate(load(tmp_path), MAY_2017.end, SCOPES)
    wrong = [f for f in checked.findings if f.file == "displacement.csv" and f.code == "CP203"]
    assert wrong
    book = zipfile.ZipFile(io.BytesIO(annotate(path, wrong)))
    sheet = next(name for name in book.namelist() if name.startswith("xl/worksheets/sheet"))
    xml = book.read(sheet).decode("utf-8")
    # The empty governorate cell is not written at all (an empty number cell is what NaN would give).
    assert 'r="D2"' not in xml and "<v />" not in xml and "<v/>" not in xml


def test_a_count_too_large_is_said_with_the_largest_count_there_is(tmp_path):
    # 1234567890123 is a whole number, but too large to be a count: the finding says the bound, in both languages.
    from cpreport.validate import LARGEST_COUNT

    (tmp_path / "activities.csv").write_text("activity_id,type,start_date,governorate,participants\n"
                                             "ACT-1,training,2017-05-02,Ninewa,1234567890123\n", "utf-8")
    said = next(f for f in checked(tmp_path).findings if f.code == "CP202")
    # The Arabic tells the officer what to write, without a bound no sheet comes near.
    assert said.row == 2 and f"{LARGEST_COUNT:,}" in said.message_en and "مثل ٢٥" in said.message_ar
    assert "١٬٠٠٠٬٠٠٠٬٠٠٠٬٠٠٠" not in said.message_ar and said.message_ar.startswith("القيمة «1234567890123»")


def test_a_sheet_of_placeholder_rows_is_said_to_have_no_rows_and_why(tmp_path):
    # Rows of N/A and dashes are empty rows: the sheet has a header alone, and the finding says what counts as empty.
    (tmp_path / "cpfs.csv").write_text("cpf_id,name_en,governorate,established_by,established_on\n"
                                       + "N/A,-,—,n/a, \n" * 40, "utf-8")
    said = [f for f in checked(tmp_path).findings if f.file == "cpfs.csv"]
    assert [f.code for f in said] == ["CP005"]
    assert "N/A" in said[0].message_en and "N/A" in said[0].message_ar


def _totals_by_groupby(displacement: pd.DataFrame) -> list:
    """displacement_totals as a plain groupby gives it: the scope's own figure on a date, else its governorates'
    sum; with the rows each comes from. A figure (or a governorate's) given twice is its first row's."""
    frame = displacement.dropna(subset=["scope", "metric", "as_of", "individuals"])
    out = []
    for (scope, metric, as_of), group in frame.groupby(["scope", "metric", "as_of"], observed=True):
        group = group.sort_values("_row").drop_duplicates("governorate")
        own = group[group["governorate"].isna()]
        used = own if len(own) else group
        out.append((scope, metric, as_of, int(used["individuals"].sum()), sorted(used["_row"].tolist())))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["national", "ninewa", None]),
                          st.sampled_from(["displaced_current", "returned_cumulative", "displaced_cumulative", None]),
                          st.sampled_from(["2017-05-01", "2017-04-01", None]), st.sampled_from(["IQG01", "IQG02", None]),
                          st.sampled_from([0, 7, 10**9, None])), max_size=20),
       st.randoms())
def test_displacement_figures_are_the_scope_s_own_else_its_governorates_sum(records, random):
    from cpreport.validate import displacement_totals

    random.shuffle(records)
    frame = pd.DataFrame(records, columns=["scope", "metric", "as_of", "governorate", "individuals"])
    frame.insert(0, "_row", range(2, len(frame) + 2))
    frame = frame.assign(metric=frame["metric"].astype("category"), as_of=pd.to_datetime(frame["as_of"]),
                         individuals=frame["individuals"].astype("Int64"))
    totals = displacement_totals(frame)
    got = [(r.scope, r.metric, r.as_of, int(r.individuals), r.rows) for r in totals.itertuples(index=False)]
    assert got == _totals_by_groupby(frame)


def test_a_figure_given_twice_with_two_values_is_one_error_not_their_sum_found_wrong(tmp_path):
    """The two values of one figure are an error (CP309) that says both; they are not added up into a third value
    that the arithmetic of the figures (CP306) would then find wrong."""
    (tmp_path / "displacement.csv").write_text(
        "as_of,scope,metric,individuals\n"
        "2017-05-01,national,displaced_cumulative,441354\n"
        "2017-05-01,national,returned_cumulative,80000\n"
        "2017-05-01,national,displaced_current,358656\n"
        "2017-05-01,national,displaced_current,358000\n", "utf-8")
    result = checked(tmp_path)
    assert sorted(f.code for f in result.findings if f.file == "displacement.csv" and f.severity == ERROR) == ["CP309"]
    current = result.displacement_totals_until(dt.date(2017, 5, 31))
    assert current[current["metric"] == "displaced_current"]["individuals"].tolist() == [358656]


@pytest.mark.parametrize("whole, warned", [(1_000_000, True), (2_000_000, False), (1_100_000, False)])
def test_governorates_adding_up_to_more_than_their_whole_scope_are_a_warning(tmp_path, whole, warned):
    # The report states the figure given for the whole scope; governorates' figures for the same date and metric
    # that add up to more than it contradict it, and say so at its row.
    (tmp_path / "displacement.csv").write_text(
        "as_of,scope,metric,governorate,individuals\n"
        f"2017-05-01,national,displaced_current,,{whole}\n"
        "2017-05-01,national,displaced_current,Ninewa,800000\n"
        "2017-05-01,national,displaced_current,Anbar,300000\n", "utf-8")
    result = checked(tmp_path)
    said = [f for f in result.findings if f.code == "CP310"]
    assert compute(result, MAY_2017).value("displacement.national.displaced_current") == whole
    if not warned:
        assert said == []
        return
    [warning] = said
    assert (warning.severity, warning.file, warning.row, warning.column) == (WARNING, "displacement.csv", 2,
                                                                            "individuals")
    assert "add up to 1,100,000 (rows 3 and 4)" in warning.message_en and "(1,000,000)" in warning.message_en
    assert "١٬١٠٠٬٠٠٠" in warning.message_ar and "١٬٠٠٠٬٠٠٠" in warning.message_ar


@pytest.mark.parametrize("label", ["Total", "المجموع", "Iraq", "All governorates"])
def test_a_dtm_table_whose_last_governorate_is_the_total_states_that_total_for_the_whole_scope(tmp_path, label):
    # Governorates listed, then the whole country's figure: left out as a total row, the three governorates'
    # 2,200,000 would stand for the country's 3,042,288. A total row under the whole table is still left out.
    (tmp_path / "displacement.csv").write_text(
        "as_of,scope,metric,governorate,individuals\n"
        "2017-04-27,national,displaced_current,Ninewa,1500000\n"
        "2017-04-27,national,displaced_current,Anbar,400000\n"
        "2017-04-27,national,displaced_current,Salah al-Din,300000\n"
        f"2017-04-27,national,displaced_current,{label},3042288\n"
        ",,,Total,5242288\n", "utf-8")
    result = checked(tmp_path)
    assert compute(result, MAY_2017).value("displacement.national.displaced_current") == 3_042_288
    said = {f.code: f for f in result.findings if f.file == "displacement.csv"}
    assert said["CP035"].row == 5 and label in said["CP035"].message_en and label in said["CP035"].message_ar
    assert said["CP018"].row == 6 and "CP310" not in said and not [f for f in said.values() if f.severity == ERROR]


def test_a_csv_row_wider_than_its_header_is_an_error_not_its_first_cell_read(tmp_path):
    # "3,042,288" unquoted in a comma-separated file is three cells: the figure read would be 3.
    (tmp_path / "displacement.csv").write_text(
        "as_of,scope,metric,governorate,individuals\n"
        "2017-04-27,national,displaced_cumulative,,3100000\n"
        "2017-04-27,national,displaced_current,,3,042,288\n", "utf-8")
    result = checked(tmp_path)
    [said] = [f for f in result.findings if f.code == "CP037"]
    assert (said.severity, said.row, said.parameters["count"]) == (ERROR, 3, 2)
    assert "2 cells more than the header" in said.message_en and "٢" not in said.message_en
    # A workbook's cells past its header stay where they were typed: a warning of figures under no header.
    assert not [f for f in checked(Path(__file__).parent.parent / "sample_data").findings if f.code == "CP037"]


@pytest.mark.parametrize("written", ["mosul_operations", "Mosul operations", "عمليات الموصل",
                                     "the Mosul military operations", "العمليات العسكرية في الموصل"])
def test_a_scope_written_as_the_config_names_it_is_that_scope(tmp_path, written):
    # Else its latest figure would stand apart, under a key of its own, and the scope's older one be stated.
    from cpreport.check import scope_names
    from cpreport.config import load_config

    (tmp_path / "displacement.csv").write_text(
        "as_of,scope,metric,individuals\n"
        "2017-04-13,mosul_operations,displaced_current,301182\n"
        f"2017-05-02,{written},displaced_current,358656\n", "utf-8")
    config = load_config(Path(__file__).parent.parent / "sample_data" / "cpreport.toml")
    result = validate(load(tmp_path), MAY_2017.end, scope_names(config))
    figures = compute(result, MAY_2017)
    assert figures.value("displacement.mosul_operations.displaced_current") == 358656
    assert [k for k in figures.items if k.startswith("displacement.") and "mosul_operations" not in k] == []
    assert not [f for f in result.findings if f.code == "CP308"]


def test_tables_checked_for_one_period_end_and_then_another_say_what_checking_for_that_end_alone_says():
    """A build of many periods checks the sheets once and each month's end on the same tables (Checked.at): its
    findings and figures must be those of checking for that month alone."""
    from dataclasses import asdict

    loaded = load(Path(__file__).parent.parent / "sample_data")
    said = {}
    for first, then in ((Period(2017, 5), Period(2016, 12)), (Period(2016, 12), Period(2017, 5)),
                        (Period(2017, 5), Period(2015, 6))):
        alone = validate(loaded, then.end, SCOPES)
        shared = validate(loaded, first.end, SCOPES).at(then.end)
        said[str(then)] = [asdict(f) for f in alone.findings.sorted()]
        assert [asdict(f) for f in shared.findings.sorted()] == said[str(then)]
        assert compute(shared, then).to_json() == compute(alone, then).to_json()
    # The ends do say different things (rows dated after an end are said for it): the comparison above can fail.
    assert said["2016-12"] != said["2017-05"] and said["2015-06"] != said["2017-05"]


def test_every_rule_that_reads_the_period_end_says_so():
    """Checked.at runs again only the rules marked by_period_end: a rule that reads the end unmarked would keep
    the findings of the first end checked for every period."""
    import inspect

    from cpreport.validate import TABLE_RULES

    for _table, _codes, rule in TABLE_RULES:
        source = inspect.getsource(rule)
        if "period_end" in source or "displacement_totals()" in source:
            assert getattr(rule, "by_period_end", False), rule.__name__
    assert sum(bool(getattr(rule, "by_period_end", False)) for _t, _c, rule in TABLE_RULES) == 5
