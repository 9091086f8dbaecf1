"""The parse cache: a rebuild reads only the files that changed, and gives what a fresh read gives."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import SAMPLE
from cpreport import cache
from cpreport.build import build
from cpreport.cache import Reader
from cpreport.config import load_config
from cpreport.datafolder import sheet_files
from cpreport.load import load
from cpreport.validate import validate

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
import make_fixtures  # noqa: E402

END = dt.date(2017, 5, 31)


def _entries(out: Path) -> dict[str, int]:
    folder = out / cache.FOLDER
    if not folder.is_dir():
        return {}
    return {p.name: (p / "entry.json").stat().st_mtime_ns for p in folder.iterdir() if p.is_dir()}  # not the marker


def _outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in ("figures.json", "validation.csv", "report.html")}


def _config(sample: Path, out: Path):
    text = sample.read_text("utf-8")
    if not text.startswith("formats"):  # HTML alone: the PDF is not what the cache changes
        sample.write_text('formats = ["html"]\n' + text, "utf-8")
    return load_config(sample, out=str(out))


def test_a_cached_rebuild_writes_the_same_files_as_a_fresh_build(sample, tmp_path):
    config = _config(sample, tmp_path / "out")
    first = _outputs(build(config).folder)
    assert len(_entries(config.out)) == 3  # one entry per sheet file
    second = build(config)  # --force: everything is built again, from the cache
    assert _outputs(second.folder) == first
    fresh = _config(sample, tmp_path / "fresh")
    assert _outputs(build(fresh).folder) == first


def test_changing_one_file_reads_only_that_file_again(sample, tmp_path):
    config = _config(sample, tmp_path / "out")
    build(config)
    before = _entries(config.out)
    displacement = config.data / "displacement.csv"
    displacement.write_text(displacement.read_text("utf-8") + "\n", "utf-8")  # a blank line: same figures

    reader = Reader(config.out / cache.FOLDER)
    load(config.data, reader)
    assert reader.parsed == ["displacement.csv"]
    assert sorted(reader.reused) == ["activities.xlsx", "cpfs.xlsx"]

    build(config)
    after = _entries(config.out)
    kept = set(before) & set(after)
    assert len(kept) == 2 and all(before[k] == after[k] for k in kept)  # the two unchanged entries untouched
    assert len(after) == 3  # the displacement file's old entry is gone, its new one is there


def sample_as_csv(folder: Path) -> None:
    """The sample's workbooks saved as plain UTF-8 CSVs, as a web system exports them: read as Arrow text."""
    folder.mkdir(parents=True)
    sample = SAMPLE
    for path in sample.glob("*.xlsx"):
        pd.read_excel(path, header=None, dtype=object, engine="calamine").to_csv(folder / f"{path.stem}.csv", header=False, index=False)
    (folder / "displacement.csv").write_bytes((sample / "displacement.csv").read_bytes())


def misspelt_governorate(folder: Path) -> None:
    # The rules read the governorates as written (a misspelt one is left out of the sum): the cache must keep them.
    folder.mkdir(parents=True)
    (folder / "displacement.csv").write_text(
        "as_of,scope,metric,governorate,individuals\n"
        "2017-05-10,national,displaced_cumulative,,3000\n"
        "2017-05-10,national,displaced_current,Baghdad,1000\n"
        "2017-05-10,national,displaced_current,Ninevahh,5000\n"
        "2017-05-10,national,displaced_current,Anbar,1500\n", "utf-8")


def broken_across_rows(folder: Path) -> None:
    # Each rule across rows and tables shows cells as written: the cache must keep every column they declare.
    folder.mkdir(parents=True)
    (folder / "cpfs.csv").write_text(
        "cpf_id,name_en,name_ar,governorate,established_by,established_on\n"
        "CPF-1,Forum A,,Ninewa,IOM,5/1/2017\n"
        "CPF-1,Forum B,منتدى ب,Anbar,IOM,2017-02-05\n"
        "CPF-2,Forum C,منتدى ج,Anbar,Police,05/07/2017\n", "utf-8")
    (folder / "activities.csv").write_text(
        "activity_id,type,title_en,start_date,governorate,cpf_id,participants\n"
        "A-1,training,T,2017-03-01,Ninewa,cpf 9,10\n"
        "a 1,workshop,W,1/8/2017,Anbar,CPF-1,5\n", "utf-8")
    (folder / "displacement.csv").write_text(
        "as_of,scope,metric,governorate,individuals\n"
        "10/05/2017,national,displaced_cumulative,,\"3,000\"\n"
        "10/05/2017,national,displaced_cumulative,,\"3,000\"\n"
        "10/05/2017,national,displaced_current,,2500\n"
        "10/05/2017,national,returned_cumulative,,900\n"
        "11/05/2017,national,displaced_current,Baghdad,\"1,000\"\n"
        "11/05/2017,national,displaced_current,Baghdad,200\n"
        "11/06/2017,national,displaced_current,,300\n", "utf-8")


def test_every_rule_across_rows_and_tables_declares_the_cells_it_reads(tmp_path):
    from cpreport.validate import TABLE_RULES

    assert all(isinstance(rule.reads, tuple) for _table, _codes, rule in TABLE_RULES)
    broken_across_rows(tmp_path / "data")
    said = {f.code for f in validate(load(tmp_path / "data"), END, {"national"}).findings}
    # The fixture below gives a finding of each rule that shows a cell as written.
    assert {"CP209", "CP210", "CP212", "CP304", "CP305", "CP306", "CP309"} <= said, said


@pytest.mark.parametrize("make", [make_fixtures.messy, make_fixtures.messy_digits, make_fixtures.messy_formats,
                                  make_fixtures.broken_cells, sample_as_csv, misspelt_governorate, broken_across_rows])
def test_cached_sheets_give_the_same_tables_and_findings_as_a_fresh_read(make, tmp_path):
    data = tmp_path / "data"
    make(data)
    loaded = load(data)
    fresh = validate(loaded, END, {"national", "mosul_operations"})
    # Every spreadsheet file is read (one that holds no table is read to find that out), so each has its entry.
    files = sorted(path.name for path in sheet_files(data))
    for attempt in ("written", "reused"):
        reader = Reader(tmp_path / "cache")
        again = validate(load(data, reader), END, {"national", "mosul_operations"})
        # Every file, workbook or CSV, has its entry written the first time and used the second.
        assert sorted(reader.reused if attempt == "reused" else reader.parsed) == files, attempt
        for table in ("forums", "activities", "displacement"):
            pd.testing.assert_frame_equal(getattr(again, table), getattr(fresh, table), check_exact=True)
        assert again.findings.items == fresh.findings.items
    assert len(fresh.findings) >= 3  # the fixtures have findings for the cache to keep


def test_a_damaged_entry_is_read_again_and_replaced(sample, tmp_path):
    config = _config(sample, tmp_path / "out")
    first = _outputs(build(config).folder)
    for entry in (config.out / cache.FOLDER).iterdir():
        if entry.name == cache.MARKER:
            continue
        for part in entry.iterdir():
            if part.suffix == ".parquet":
                part.write_bytes(b"not parquet")
            else:
                part.write_text('{"events": [', "utf-8")
    reader = Reader(config.out / cache.FOLDER)
    load(config.data, reader)
    assert sorted(reader.parsed) == ["activities.xlsx", "cpfs.xlsx", "displacement.csv"] and not reader.reused
    assert _outputs(build(config).folder) == first
    assert len(_entries(config.out)) == 3


def test_another_version_of_the_package_does_not_use_the_entries(sample, tmp_path, monkeypatch):
    config = _config(sample, tmp_path / "out")
    build(config)
    monkeypatch.setattr(cache, "__version__", "99.0")
    reader = Reader(config.out / cache.FOLDER)
    load(config.data, reader)
    assert len(reader.parsed) == 3 and not reader.reused


def test_an_output_folder_that_cannot_hold_the_cache_still_builds(sample, tmp_path):
    config = _config(sample, tmp_path / "out")
    (config.out / cache.FOLDER).parent.mkdir(parents=True)
    (config.out / cache.FOLDER).write_text("a file where the cache folder would be", "utf-8")
    outcome = build(config)
    assert (outcome.folder / "figures.json").is_file()
