"""Hostile and oversized inputs end in a finding at a bounded cost, and every change to the data is said.

The corpus below is built by the tests themselves. Each case runs the real command in a real process (an abort
or a traceback is what is looked for, and only a process shows them) and is held to the same promises: a
documented exit code, no traceback, the last good report byte-identical, the inputs unchanged, nothing outside
cpreport's own files removed."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, SAMPLE, documentation, run_cpreport
from cpreport import errors
from cpreport.cli import main
from cpreport.contract import Limits, Intake
from cpreport.load import read_file, table_named

README = ROOT / "README.md"
DOCUMENTED = {errors.EXIT_OK, errors.EXIT_INVALID, errors.EXIT_USAGE, errors.EXIT_ENVIRONMENT, errors.EXIT_LOCKED,
              errors.EXIT_DISAGREE, errors.EXIT_UNEXPECTED, errors.EXIT_INTERRUPTED}


def codes(path: Path, table: str | None = None, limits: Limits | None = None) -> dict[str, str]:
    read = read_file(path, table_named(table or path.stem), intake=Intake(limits=limits))
    return {e.code: e.message_en for e in read.events if hasattr(e, "code")}


def workbook(path: Path, sheet_xml=None, extra: dict[str, bytes] | None = None) -> Path:
    """A real workbook of the cpfs table (openpyxl), with a part replaced or added."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "cpfs"
    book.active.append(["cpf_id", "name_en"])
    book.active.append(["CPF-1", "x"])
    packed = io.BytesIO()
    book.save(packed)
    source = zipfile.ZipFile(io.BytesIO(packed.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml" and sheet_xml:
                with out.open(info.filename, "w", force_zip64=True) as stream:
                    sheet_xml(stream, data)
                continue
            out.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return path


FOUR_BILLION_TEXTS = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main" count="4294967295" uniqueCount="4294967295"><si><t>a</t></si></sst>')


def test_a_workbook_declaring_four_billion_texts_is_damaged_not_an_abort(tmp_path):
    path = workbook(tmp_path / "cpfs.xlsx", extra={"xl/sharedStrings.xml": FOUR_BILLION_TEXTS})
    assert path.stat().st_size < 10_000
    assert set(codes(path)) == {"CP016"}


def inflating(stream, data: bytes) -> None:
    head, tail = data.split(b"</sheetData>")
    stream.write(head)
    row = b'<row><c t="inlineStr"><is><t>CPF-1</t></is></c><c t="inlineStr"><is><t>' + b"x" * 64 + b"</t></is></c></row>"
    block = row * 10_000
    for _ in range(60):
        stream.write(block)
    stream.write(b"</sheetData>" + tail)


def test_a_workbook_built_to_inflate_is_too_large_before_it_is_read(tmp_path):
    path = workbook(tmp_path / "cpfs.xlsx", inflating)
    with zipfile.ZipFile(path) as book:
        part = book.getinfo("xl/worksheets/sheet1.xml")
    assert path.stat().st_size < 1_000_000 and part.file_size > 80_000_000
    # Its packed sheet made unreadable past its first bytes, the sizes its directory declares unchanged: a
    # reader that inflated any of it would end in an error of the packed data (CP016), not in CP025.
    raw = bytearray(path.read_bytes())
    names_end = part.header_offset + 30 + int.from_bytes(raw[part.header_offset + 26:part.header_offset + 28], "little")
    start = names_end + int.from_bytes(raw[part.header_offset + 28:part.header_offset + 30], "little")
    raw[start + 16:start + part.compress_size - 16] = b"\xff" * (part.compress_size - 32)
    path.write_bytes(bytes(raw))
    said = codes(path)
    assert set(said) == {"CP025"} and "inflates" in said["CP025"] and f"to {part.file_size:,} bytes" in said["CP025"], said


@pytest.mark.parametrize("content, limit, what", [
    ("cpf_id," + "x," * 3_000_000, Limits(), "line 1 is 6,000,007 bytes long"),
    (",".join(["c"] * 20_000) + "\n" + ",".join(["1"] * 20_000) + "\n", Limits(), "20,000 cells"),
    ("as_of,scope,metric,individuals\n2017-05-02," + "A" * 40_000 + ",national,5\n", Limits(),
     "holds 40,000 characters"),
    ("cpf_id,name_en\n" + "CPF-1,x\n" * 60, Limits(cells=100), "more than the 100 cells"),
])
def test_a_csv_past_a_limit_is_one_finding_that_names_the_limit(tmp_path, content, limit, what):
    path = tmp_path / ("displacement.csv" if "as_of" in content else "cpfs.csv")
    path.write_text(content, "utf-8")
    said = codes(path, limits=limit)
    assert "CP025" in said and what in said["CP025"], said


def test_limits_are_set_in_the_config_and_checked(tmp_path):
    from cpreport.config import load_config
    from cpreport.errors import ConfigError

    (tmp_path / "cpreport.toml").write_text("[limits]\ncells = 5000\nline_bytes = 0\nrows = 3\n", "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "cpreport.toml")
    assert any("limits.line_bytes" in p for p in map(str, raised.value.problems))
    assert any("limits.rows" in p for p in map(str, raised.value.problems))
    (tmp_path / "cpreport.toml").write_text("[limits]\ncells = 5000\n", "utf-8")
    assert load_config(tmp_path / "cpreport.toml").intake.limits == Limits(cells=5000)


def forums(folder: Path, rows: int, governorate: str) -> None:
    folder.mkdir(exist_ok=True)
    with open(folder / "activities.csv", "w", encoding="utf-8") as out:
        out.write("activity_id,type,title_en,start_date,governorate,participants\n")
        out.writelines(f"ACT-{i:07d},training,Training {i},2017-05-02,{governorate},20\n" for i in range(rows))


def test_one_wrong_column_on_100000_rows_is_one_finding_and_small_files(tmp_path):
    """What keeps a mistake on every row as cheap as a clean check: one finding with its rows as runs, and findings
    files that do not grow with the rows (the cost itself is measured in benchmarks/run.py)."""
    from openpyxl import load_workbook

    from cpreport.check import check
    from cpreport.config import load_config
    from cpreport.pages import findings_files

    forums(tmp_path / "wrong", 100_000, "Mars")
    config = load_config(data=str(tmp_path / "wrong"), out=str(tmp_path / "out"), period="2017-05")
    found = check(config).findings
    said = [f for f in found if f.code == "CP208"]
    assert len(said) == 1 and said[0].cells == 100_000 and "rows 2-100001" in said[0].message_en
    assert "الصفوف ٢–١٠٠٠٠١" in said[0].message_ar
    assert len(found) == 3  # with the two tables this folder lacks (CP003): nothing said per row

    files = findings_files(config, found, annotated=True)
    assert set(files) == {"validation.csv", "validation.html", "activities.csv.annotated.xlsx"}
    lines = files["validation.csv"].decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(found) and sum(",CP208,activities.csv," in line for line in lines) == 1
    assert files["validation.html"].decode("utf-8").count("Mars") <= 4
    assert len(files["validation.html"]) < 100_000

    copy = tmp_path / "copy.xlsx"
    copy.write_bytes(files["activities.csv.annotated.xlsx"])
    sheet = load_workbook(copy).active
    governorates = [row[4] for row in sheet.iter_rows(min_row=2)]
    marked = [cell.row for cell in governorates if cell.fill.fgColor.rgb.endswith("FFC7CE")]
    # Up to 1,000 cells coloured, each at its own row number, the first commented; no other row copied.
    assert marked == list(range(2, 1002)) and [cell.value for cell in governorates] == ["Mars"] * 1000
    assert [cell.row for cell in governorates if cell.comment] == [2]
    assert sheet.max_row == 1001 and len(files["activities.csv.annotated.xlsx"]) < 100_000


def test_many_different_wrong_values_are_twenty_findings_and_one_for_the_rest(tmp_path):
    from cpreport.check import check
    from cpreport.config import load_config

    forums(tmp_path, 0, "")
    with open(tmp_path / "activities.csv", "a", encoding="utf-8") as out:
        out.writelines(f"ACT-{i},training,T,2017-05-02,Place{i},20\n" for i in range(5000))
    found = [f for f in check(load_config(data=str(tmp_path), out=str(tmp_path / "out"))).findings
             if f.code == "CP208"]
    assert len(found) == 21
    assert "4,980 other values, in 4,980 more cells" in found[-1].message_en


def test_a_csv_mixing_utf8_and_windows_1256_is_read_line_by_line_and_said(tmp_path):
    path = tmp_path / "cpfs.csv"
    path.write_bytes("cpf_id,name_en,name_ar\nCPF-1,A,الموصل\n".encode()
                     + "CPF-2,B,الموصل\n".encode("cp1256") + "CPF-3,C,أربيل\n".encode())
    read = read_file(path, table_named("cpfs"))
    said = {e.code: e for e in read.events if hasattr(e, "code")}
    assert "line 3 in Windows-1256" in said["CP024"].message_en
    sheet = next(e for e in read.events if not hasattr(e, "code"))
    assert list(sheet.frame["name_ar"]) == ["الموصل", "الموصل", "أربيل"]


def test_a_time_that_is_no_time_of_day_is_not_a_date(tmp_path):
    from cpreport.validate import parse_dates
    import pandas as pd

    parsed = parse_dates(pd.Series(["2017-05-02T25:00", "2017-05-02T23:59", "2017-05-02 10:61"], dtype=object))
    assert parsed.failures[next(c for c in parsed.failures if c.name == "CP205")].tolist() == [True, False, True]


def test_a_full_width_look_alike_id_is_a_duplicate(tmp_path):
    from cpreport.check import check
    from cpreport.config import load_config

    (tmp_path / "activities.csv").write_text(
        "activity_id,type,start_date,governorate,participants\nCPF-KIR-001,training,2017-05-02,Ninewa,3\n"
        "ＣＰＦ-ＫＩＲ-００１,training,2017-05-02,Ninewa,3\n", "utf-8")
    found = check(load_config(data=str(tmp_path), out=str(tmp_path / "out"))).findings
    assert [f.row for f in found if f.code == "CP209"] == [3]


def test_exit_codes_are_each_documented_and_in_the_help():
    table = documentation()
    help_text = CliRunner().invoke(main, ["--help"]).output
    for code in DOCUMENTED:
        assert re.search(rf"^\| {code} \|", table, re.M), code
        assert f"{code} " in help_text, code


# The corpus: each case is a change to a copy of the sample project that must end in a finding.
def shared_strings(data: Path) -> None:
    workbook(data / "cpfs.xlsx", extra={"xl/sharedStrings.xml": FOUR_BILLION_TEXTS})


def long_line(data: Path) -> None:
    (data / "displacement.csv").write_text("as_of," + "x," * 700_000, "utf-8")


def long_scope(data: Path) -> None:
    (data / "displacement.csv").write_text("as_of,scope,metric,individuals\n2017-05-02," + "S" * 200_000
                                           + ",displaced_current,5\n", "utf-8")


def table_is_a_folder(data: Path) -> None:
    (data / "displacement.csv").unlink()
    (data / "displacement.csv").mkdir()


def table_behind_a_broken_link(data: Path) -> None:
    (data / "displacement.csv").unlink()
    (data / "displacement.csv").symlink_to(data / "gone.csv")


def escapes_in_a_cell(data: Path) -> None:
    text = (data / "displacement.csv").read_text("utf-8-sig").splitlines()
    text[1] = text[1].replace(text[1].split(",")[1], "\x1b[2J\x1b]0;owned\x07", 1)
    (data / "displacement.csv").write_text("\n".join(text) + "\n", "utf-8")


def far_cell(stream, data: bytes) -> None:
    """A sheet of a header, a row, and one cell at the far corner of the largest grid Excel has."""
    head, tail = data.split(b"</sheetData>")
    stream.write(head + b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>'
                 b"</sheetData>" + tail)


def huge_range(stream, data: bytes) -> None:
    """A sheet that declares the whole of Excel's grid as its range."""
    stream.write(re.sub(rb"<dimension ref=\"[^\"]*\"", b'<dimension ref="A1:XFD1048576"', data))


def sparse_sheet(data: Path) -> None:
    workbook(data / "cpfs.xlsx", far_cell)


def declared_range(data: Path) -> None:
    workbook(data / "cpfs.xlsx", huge_range)


@pytest.mark.parametrize("shape, said", [(far_cell, "spans 1,048,576 rows and 16,384 columns"),
                                         (huge_range, "declares 1,048,576 rows and 16,384 columns")])
def test_a_sheet_laid_out_past_the_limits_is_too_large_before_it_is_laid_out(tmp_path, shape, said):
    path = workbook(tmp_path / "cpfs.xlsx", shape)
    assert path.stat().st_size < 10_000
    found = codes(path)
    assert set(found) == {"CP025"} and f"the sheet 'cpfs' {said}" in found["CP025"], found


def test_a_sheet_within_the_limits_is_read_whatever_its_columns(tmp_path):
    def wide(stream, data: bytes) -> None:  # the second row's cells in columns AA and ZZ: far, but not too far
        head, tail = data.split(b"</sheetData>")
        stream.write(head + b'<row r="3"><c r="AA3" t="inlineStr"><is><t>a</t></is></c>'
                     b'<c r="ZZ3" t="inlineStr"><is><t>z</t></is></c></row></sheetData>' + tail)

    assert "CP025" not in codes(workbook(tmp_path / "cpfs.xlsx", wide))
    assert "CP025" in codes(workbook(tmp_path / "cpfs.xlsx", wide), limits=Limits(columns=100))


def deep_config(data: Path) -> None:
    (data / "cpreport.toml").write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")


CORPUS = {"shared_strings": (shared_strings, 1), "long_line": (long_line, 1), "long_scope": (long_scope, 1),
          "table_is_a_folder": (table_is_a_folder, 1), "broken_link": (table_behind_a_broken_link, 1),
          "escapes_in_a_cell": (escapes_in_a_cell, None), "deep_config": (deep_config, 2),
          "sparse_sheet": (sparse_sheet, 1), "declared_range": (declared_range, 1)}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path]:
    """The sample project and its last good report (HTML only: the PDF is not what this is about)."""
    project = tmp_path_factory.mktemp("project")
    shutil.copytree(SAMPLE, project / "p", ignore=shutil.ignore_patterns("out", "__pycache__"))
    config = project / "p" / "cpreport.toml"
    config.write_text('formats = ["html"]\n' + config.read_text("utf-8"), "utf-8")
    out = project / "out"
    done = run_cpreport("build", "--config", str(config), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return project / "p", out


def everything(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@pytest.mark.process
@pytest.mark.parametrize("case", sorted(CORPUS))
def test_each_hostile_case_ends_in_a_documented_code_and_harms_nothing(built, tmp_path, case):
    project, good = built
    shutil.copytree(project, tmp_path / "p")
    shutil.copytree(good, tmp_path / "out")
    data, out = tmp_path / "p", tmp_path / "out"
    (out / "my_notes.txt").write_text("mine", "utf-8")
    report = everything(out / "2017-05")
    change, expected = CORPUS[case]
    change(data)
    inputs = everything(data)
    done = run_cpreport("build", "--config", str(data / "cpreport.toml"), "--out", str(out), timeout=120)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr
    assert done.returncode in DOCUMENTED and (expected is None or done.returncode == expected), done.stderr
    assert "\x1b]0;" not in done.stderr and "\x1b[2J" not in done.stderr
    assert everything(data) == inputs
    assert (out / "my_notes.txt").read_text("utf-8") == "mine"
    if done.returncode != 0:
        assert everything(out / "2017-05") == report
    for page in (out / "findings").glob("*.html") if (out / "findings").is_dir() else ():
        assert "\x1b" not in page.read_text("utf-8")


CELL = st.one_of(st.text(max_size=40), st.sampled_from(["=1+1", "=cmd|' /C calc'!A0", "\x1b[2J", "N/A", "-",
                                                       "١٬١٠٠", "1.100", "2017-02-31", "٢ أيار ٢٠١٧", "Total"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELL, min_size=1, max_size=8), max_size=12), header=st.booleans())
def test_any_cells_in_any_shape_end_in_findings_never_a_traceback(tmp_path_factory, rows, header):
    data = tmp_path_factory.mktemp("fuzz")
    import csv

    with open(data / "activities.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        if header:
            writer.writerow(["activity_id", "type", "start_date", "governorate", "participants", "female"])
        writer.writerows(rows)
    before = everything(data)
    result = CliRunner().invoke(main, ["validate", "--data", str(data), "--period", "2017-05"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1)
    assert everything(data) == before


def test_the_annotated_copy_of_a_long_csv_holds_the_rows_its_findings_mark(tmp_path):
    from openpyxl import load_workbook

    from cpreport.annotate import ROWS_COPIED, ROWS_MARKED
    from cpreport.check import check
    from cpreport.pages import findings_files
    from cpreport.config import load_config

    rows = ROWS_COPIED + 3000
    forums(tmp_path / "data", rows, "Ninewa")
    lines = (tmp_path / "data" / "activities.csv").read_text("utf-8").splitlines()
    for number in (2, 3, rows - 5):  # an unknown governorate on three rows, two of them far apart
        lines[number - 1] = lines[number - 1].replace("Ninewa", "Mars")
    (tmp_path / "data" / "activities.csv").write_text("\n".join(lines) + "\n", "utf-8")
    config = load_config(data=str(tmp_path / "data"), out=str(tmp_path / "out"), period="2017-05")
    copy = findings_files(config, check(config).findings, annotated=True)["activities.csv.annotated.xlsx"]
    sheet = load_workbook(io.BytesIO(copy)).active
    held = {cell.row for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert {1, 2, 3, rows - 5} <= held and len(held) <= 20 + ROWS_MARKED
    assert [c.value for c in sheet[rows - 5]] == lines[rows - 6].split(",")  # each row where it is in the CSV
    assert sheet.cell(rows - 5, 5).comment is not None or sheet.cell(2, 5).comment is not None
    assert sheet.cell(rows - 5, 5).fill.start_color.rgb.endswith("FFC7CE")


@pytest.mark.parametrize("name, code", [(b"notes\xff.txt", "CP023"), (b"budget\xff.docx", "CP019")])
def test_a_file_whose_name_is_not_text_is_named_as_it_can_be_shown_never_a_crash(tmp_path, name, code):
    # Bytes of another encoding in a name (an old archive's): a sheet's name is an error, another file's a note;
    # neither reaches the findings' files as bytes they cannot hold.
    import os
    import shutil

    from conftest import SAMPLE, run_cpreport

    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("out"))
    with open(os.path.join(os.fsencode(project), name), "wb") as stream:
        stream.write(b"x,y\n1,2\n")
    done = run_cpreport("build", "--config", str(project / "cpreport.toml"), "--out", str(tmp_path / "out"),
                        env={"CPREPORT_FORMATS": "html"})
    assert done.returncode == (1 if code == "CP023" else 0), done.stderr
    assert code in done.stderr + done.stdout and "\ufffd" in done.stderr + done.stdout
    assert "foresee" not in done.stderr and "Traceback" not in done.stderr
