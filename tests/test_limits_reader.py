"""The workbook reader's cost is bounded by what a workbook actually holds, whatever it declares: every sheet's XML
is counted before the reader sees it (rows, widest row, longest cell), and so are its shared texts, and the memory
the reader would take is estimated from them and refused past [limits] reader_bytes (CP025), never an abort.

The workbooks are real files written here (openpyxl, or zipfile for what no program writes); where the reader
could abort the process, the real command runs in a process of its own."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from conftest import run_cpreport
from cpreport.contract import Intake, Limits
from cpreport.load import read_file, table_named
from cpreport.load.xlsx import PIECE_BYTES

NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def codes(path: Path, table: str, limits: Limits | None = None) -> dict[str, str]:
    read = read_file(path, table_named(table), intake=Intake(limits=limits))
    return {e.code: e.message_en for e in read.events if hasattr(e, "code")}


def forged(path: Path, sheet: bytes | list[bytes], texts: list[bytes] | None = None) -> Path:
    """A workbook of one sheet named 'activities' whose sheet XML is `sheet` (bytes, or pieces written one after
    the other) and whose shared texts are `texts`: the other parts as openpyxl writes them."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "activities"
    book.active.append(["activity_id"])
    packed = io.BytesIO()
    book.save(packed)
    source = zipfile.ZipFile(io.BytesIO(packed.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with out.open(info.filename, "w", force_zip64=True) as stream:
                    for piece in [sheet] if isinstance(sheet, bytes) else sheet:
                        stream.write(piece)
            elif info.filename != "xl/sharedStrings.xml":
                out.writestr(info, source.read(info.filename))
        if texts is not None:
            out.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8"?><sst ' + NS
                         + b' count="%d" uniqueCount="%d">' % (len(texts), len(texts))
                         + b"".join(b"<si><t>" + text + b"</t></si>" for text in texts) + b"</sst>")
    return path


def rows(first: int, last: int) -> bytes:
    return b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>ACT-%07d</t></is></c><c r="B%d"><v>%d</v></c></row>'
                    % (n, n, n, n, n) for n in range(first, last + 1))


def understated(far: bytes) -> list[bytes]:
    """A sheet of over PIECE_BYTES of real-looking rows that declares it spans A1:B2, then one row far below."""
    return [b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + NS + b'><dimension ref="A1:B2"/><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>activity_id</t></is></c></row>', rows(2, 80_000), far,
            b"</sheetData></worksheet>"]


def validate(data: Path) -> tuple[int, list[dict]]:
    done = run_cpreport("validate", "--data", str(data), "--period", "2017-05", "--json", timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.mark.process
def test_a_long_sheet_understating_its_range_is_refused_for_what_it_spans_not_an_abort(tmp_path):
    """80,000 real-looking rows (over 4 MB of XML, more than was ever searched for the places of its cells) under
    a declared range of A1:B2, and a last cell at XFD1048576: the reader would lay out 17 billion cells."""
    path = forged(tmp_path / "activities.xlsx", understated(
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>'))
    with zipfile.ZipFile(path) as book:
        assert book.getinfo("xl/worksheets/sheet1.xml").file_size > PIECE_BYTES
    code, found = validate(tmp_path)
    said = [f for f in found if f["code"] == "CP025"]
    assert code == 1 and len(said) == 1 and said[0]["file"] == "activities.xlsx", found
    assert "the sheet 'activities' spans 1,048,576 rows and 16,384 columns" in said[0]["message_en"]
    assert "(cells)" in said[0]["message_en"]


def test_rows_past_the_cells_limit_are_counted_in_every_piece_of_the_sheet(tmp_path):
    # The same sheet, its far row within Excel's grid but past 30,000,000 cells of two columns.
    path = forged(tmp_path / "activities.xlsx", understated(b'<row r="20000000"><c r="B20000000"><v>1</v></c></row>'))
    said = codes(path, "activities")
    assert "the sheet 'activities' spans 20,000,000 rows and 2 columns, more than the 30,000,000 cells" \
        in said.get("CP025", ""), said


def test_cells_written_without_their_place_are_counted_by_row(tmp_path):
    """Cells with no place follow one another along their row: a row of 20,000 of them is 20,000 columns."""
    sheet = (b'<worksheet ' + NS + b'><dimension ref="A1"/><sheetData><row r="1"><c t="inlineStr"><is><t>'
             b"activity_id</t></is></c></row><row>" + b"<c><v>1</v></c>" * 20_000 + b"</row></sheetData></worksheet>")
    said = codes(forged(tmp_path / "activities.xlsx", sheet), "activities")
    assert "the sheet 'activities' spans 20,000 columns, more than the 16,384 a sheet may have (columns)" \
        in said.get("CP025", ""), said


@pytest.mark.parametrize("far, said", [
    (b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>", "spans 1,048,576 rows and 16,384 columns"),
    (b'<row r="1048576"><c t="n" r="XFD1048576"><v>1</v></c></row>', "spans 1,048,576 rows and 16,384 columns"),
    (b'<row r="123456789"><c r="A123456789"><v>1</v></c></row>', "spans 123,456,789 rows"),  # past 7 digits
    (b'<row r="9"><c r="ZZZZ9"><v>1</v></c></row>', "spans 475,254 columns"),  # past 3 letters
])
def test_places_in_any_form_are_counted(tmp_path, far, said):
    sheet = (b'<worksheet ' + NS + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>activity_id</t></is>'
             b"</c></row>" + rows(2, 8) + far + b"</sheetData></worksheet>")
    found = codes(forged(tmp_path / "activities.xlsx", sheet), "activities")
    assert f"the sheet 'activities' {said}" in found.get("CP025", ""), found


def test_a_sheet_with_a_prefixed_namespace_is_counted_alike(tmp_path):
    sheet = (b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
             b'<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>activity_id</x:t></x:is></x:c></x:row>'
             b'<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    found = codes(forged(tmp_path / "activities.xlsx", sheet), "activities")
    assert "the sheet 'activities' spans 1,048,576 rows and 16,384 columns" in found.get("CP025", ""), found


@pytest.mark.process
def test_few_shared_texts_copied_into_many_cells_are_refused_by_the_memory_they_would_take(tmp_path):
    """Two texts of 200,000 characters, each within what a cell may hold, named by 40,000 cells: a 1 MB file that
    the reader would copy into 16 GB of cells."""
    big = [b"A" * 200_000, b"B" * 200_000]
    sheet = (b'<worksheet ' + NS + b'><dimension ref="A1:B2"/><sheetData>'
             + b"".join(b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>' % (n, n, n % 2) for n in range(1, 40_001))
             + b"</sheetData></worksheet>")
    path = forged(tmp_path / "activities.xlsx", sheet, big)
    assert path.stat().st_size < 2_000_000
    code, found = validate(tmp_path)
    said = [f for f in found if f["code"] == "CP025"]
    assert code == 1 and len(said) == 1, found
    message = said[0]["message_en"]
    assert "reading it would take some 12,0" in message and "MB of memory" in message, message
    assert "its cells hold 8,00" in message and "MB of shared texts" in message, message
    assert "more than the 3,000 MB the reader may use (reader_bytes)" in message, message


def test_a_shared_text_longer_than_a_cell_can_be_is_refused(tmp_path):
    path = forged(tmp_path / "activities.xlsx", rows(1, 3), [b"x", b"A" * 400_000, b"y"])
    said = codes(path, "activities")
    assert "one of its texts takes 400,0" in said.get("CP025", "") and "(cell_characters)" in said["CP025"], said


def test_a_cell_longer_than_a_cell_can_be_is_refused_before_it_is_read(tmp_path):
    sheet = (b'<worksheet ' + NS + b'><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>' + b"Z" * 5_000_000
             + b"</t></is></c></row></sheetData></worksheet>")
    said = codes(forged(tmp_path / "activities.xlsx", sheet), "activities")
    assert "the sheet 'activities' holds a text of 5,000,0" in said.get("CP025", ""), said
    assert "(cell_characters)" in said["CP025"]


def activities_workbook(path: Path, count: int) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("activities")
    sheet.append(["activity_id", "type", "title_en", "start_date", "governorate", "participants", "female"])
    kinds, places = ["training", "conference", "workshop"], ["Ninewa", "Baghdad", "Erbil", "Anbar"]
    for n in range(count):
        sheet.append([f"ACT-{n:06d}", kinds[n % 3], f"Session {n}", f"2017-05-{1 + n % 28:02d}", places[n % 4],
                      10 + n % 30, n % 7])
    book.save(path)
    return path


def test_a_real_workbook_of_20000_rows_reads_and_gives_the_figures_of_the_same_rows_as_csv(tmp_path):
    import csv

    from openpyxl import load_workbook

    from cpreport.check import check
    from cpreport.config import load_config
    from cpreport.figures import compute

    (tmp_path / "xlsx").mkdir()
    (tmp_path / "csv").mkdir()
    book = activities_workbook(tmp_path / "xlsx" / "activities.xlsx", 20_000)
    with open(tmp_path / "csv" / "activities.csv", "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(load_workbook(book, read_only=True).active.iter_rows(values_only=True))

    def figures(folder: str) -> dict:
        config = load_config(data=str(tmp_path / folder), out=str(tmp_path / "out"), period="2017-05")
        checked = check(config)
        assert not any(f.code == "CP025" for f in checked.findings)
        found = json.loads(compute(checked, config.period, config.highlights).to_json())["figures"]
        return {key: figure["value"] for key, figure in found.items()}  # their sources name the file

    read = read_file(book, table_named("activities"))
    sheet = next(e for e in read.events if not hasattr(e, "code"))
    assert len(sheet.frame) == 20_000
    from_workbook = figures("xlsx")
    assert from_workbook == figures("csv")
    assert from_workbook["activities.training"] == 6_667 and from_workbook["activities.workshop"] == 6_666


def test_reader_bytes_is_set_in_the_config_and_bounds_the_reader(tmp_path):
    from cpreport.config import load_config
    from cpreport.errors import ConfigError

    (tmp_path / "cpreport.toml").write_text("[limits]\nreader_bytes = 1000000\n", "utf-8")
    assert load_config(tmp_path / "cpreport.toml").intake.limits == Limits(reader_bytes=1_000_000)
    (tmp_path / "cpreport.toml").write_text("[limits]\nreader_bytes = -1\n", "utf-8")
    with pytest.raises(ConfigError):
        load_config(tmp_path / "cpreport.toml")

    book = activities_workbook(tmp_path / "activities.xlsx", 2_000)
    assert "CP025" not in codes(book, "activities")
    said = codes(book, "activities", Limits(reader_bytes=1_000_000))
    assert "more than the 1 MB the reader may use (reader_bytes)" in said.get("CP025", ""), said
    assert "the sheet 'activities' spans 2,001 rows and 7 columns" in said["CP025"]


def old_workbook(path: Path, change: str = "") -> Path:
    """A real .xls of the activities table (xlwt), with its range or its last cell's place then forged in its
    bytes: a DIMENSIONS record declaring 4 billion rows of 65,535 columns, or a cell at column 65,534."""
    import struct

    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("activities")
    for r, row in enumerate([["activity_id", "participants"], ["ACT-1", 5], ["ACT-2", 7]]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.save(str(path))
    raw = bytearray(path.read_bytes())
    if change == "range":
        at = raw.find(b"\x00\x02\x0e\x00")  # DIMENSIONS, 14 bytes: first and last row (4 bytes), columns (2)
        raw[at + 4:at + 16] = struct.pack("<IIHH", 0, 0xFFFFFFFF, 0, 0xFFFF)
    elif change == "cell":
        at = raw.rfind(b"\xfd\x00\x0a\x00")  # the last LABELSST: row, column, style, text
        raw[at + 4:at + 8] = struct.pack("<HH", 0xFFFE, 0xFFFE)
    path.write_bytes(bytes(raw))
    return path


@pytest.mark.process
@pytest.mark.parametrize("change", ["range", "cell"])
def test_an_old_workbook_declaring_or_placing_past_its_grid_is_damaged_not_an_abort(tmp_path, change):
    old_workbook(tmp_path / "activities.xls", change)
    code, found = validate(tmp_path)
    assert code == 1 and [f["code"] for f in found if f["file"] == "activities.xls"] == ["CP016"], found


def test_an_old_workbook_within_its_grid_reads_and_is_held_to_the_limits(tmp_path):
    path = old_workbook(tmp_path / "activities.xls")
    read = read_file(path, table_named("activities"))
    sheet = next(e for e in read.events if not hasattr(e, "code"))
    assert list(sheet.frame["activity_id"]) == ["ACT-1", "ACT-2"]
    said = codes(path, "activities", Limits(cells=4))
    assert "the sheet 'activities' declares 3 rows and 2 columns, more than the 4 cells" in said.get("CP025", ""), said
