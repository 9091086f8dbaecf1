"""A build over many periods renders a period only when what it shows changed, in worker processes, and leaves
every other folder as it was, byte for byte and with its modification times."""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl

from conftest import ROOT, edit_attendance as _edit_attendance


def _build(config: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cpreport", "build", "--config", str(config), *args],
                          capture_output=True, text=True, cwd=ROOT)


def _configure(config: Path, **keys: str) -> None:
    """Keys set at the top of the sample's config (before its tables), replacing those it has."""
    text = config.read_text("utf-8")
    for name, value in keys.items():
        text = re.sub(rf"^{name} = .*$\n", "", text, flags=re.M)
        text = f"{name} = {value}\n" + text
    config.write_text(text, "utf-8")


def _folders(out: Path) -> dict[str, dict[str, tuple[bytes, int]]]:
    """Every file of every period folder: its bytes and its modification time, by period and name."""
    return {folder.name: {path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
                          for path in sorted(folder.rglob("*")) if path.is_file()}
            for folder in sorted(out.iterdir()) if folder.is_dir() and re.fullmatch(r"\d{4}-\d\d", folder.name)}


def _changed(before: dict, after: dict) -> set[str]:
    assert set(before) == set(after)
    return {period for period in before if before[period] != after[period]}


def _add_activity(config: Path, day: dt.date) -> None:
    """One more training, a copy of the sample's last activity row, dated `day`."""
    path = config.parent / "activities.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    last = [cell.value for cell in sheet[sheet.max_row]]
    when = dt.datetime.combine(day, dt.time())
    sheet.append(["ACT-NEW-001", last[1], "New training", "دورة جديدة", when, when, *last[6:]])
    book.save(path)



def _figure(out: Path, period: str, key: str) -> int:
    return json.loads((out / period / "figures.json").read_text("utf-8"))["figures"][key]["value"]


def test_a_new_row_in_the_last_month_renders_that_month_alone(sample):
    _configure(sample, formats='["html"]')
    out = sample.parent / "out"
    first = _build(sample, "--all-periods")
    assert first.returncode == 0, first.stderr
    before = _folders(out)
    assert len(before) == 24
    assert "Rendered 24 periods, 0 current" in first.stdout
    _add_activity(sample, dt.date(2017, 5, 28))
    again = _build(sample, "--all-periods", "--lang", "both")
    assert again.returncode == 0, again.stderr
    assert "Rendered 1 period, 23 current (what they show has not changed)." in again.stdout
    assert "أُعيد إنشاء تقرير فترة واحدة؛ وعدد الفترات التي بقيت تقاريرها كما هي لأن ما تعرضه لم يتغير: ٢٣." in again.stdout
    after = _folders(out)
    assert _changed(before, after) == {"2017-05"}  # the other 23: every file, its bytes and its time
    assert _figure(out, "2017-05", "activities.total") == 1 + json.loads(
        before["2017-05"]["figures.json"][0])["figures"]["activities.total"]["value"]
    # Nothing changed since: the check of the inputs alone says so, and reads no sheet.
    third = _build(sample, "--all-periods")
    assert third.stdout.startswith("Up to date: every month with data"), third.stdout + third.stderr
    assert _folders(out) == after


def test_a_restated_row_renders_exactly_the_months_whose_figures_it_changes(sample):
    _configure(sample, formats='["html"]')
    out = sample.parent / "out"
    assert _build(sample, "--all-periods").returncode == 0
    before = _folders(out)
    participants = {period: _figure(out, period, "participants.total") for period in before}
    _edit_attendance(sample, "2016-12", 10)
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    after = _folders(out)
    # December's own count, and the count "to date" of every month after it; the months before keep theirs.
    later = {period for period in before if period >= "2016-12"}
    assert _changed(before, after) == later
    assert len(later) == 6 and f"Rendered {len(later)} periods, {24 - len(later)} current" in again.stdout
    for period in before:
        assert _figure(out, period, "participants.total") == participants[period] + (10 if period in later else 0)
    # The build says that their figures were restated; the months rendered again state the revised figures and
    # note them, and their findings do not ask for them to be built again.
    assert "CP501" in again.stdout + again.stderr
    assert "CP501" not in (out / "2016-12" / "validation.csv").read_text("utf-8-sig")
    assert "Revisions" in (out / "2016-12" / "report.html").read_text("utf-8")
    assert "CP501" not in (out / "2016-11" / "validation.csv").read_text("utf-8-sig")


def test_a_changed_template_renders_every_period(sample):
    _configure(sample, formats='["html"]', period='"2015-08"', templates='"templates"')
    (sample.parent / "templates").mkdir()
    out = sample.parent / "out"
    assert _build(sample, "--all-periods").returncode == 0
    before = _folders(out)
    assert len(before) == 6
    base = (ROOT / "templates" / "base.html").read_text("utf-8")
    (sample.parent / "templates" / "base.html").write_text(base + "\n<!-- our own base -->\n", "utf-8")
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert "Rendered 6 periods, 0 current" in again.stdout
    after = _folders(out)
    assert _changed(before, after) == set(before)
    assert all("our own base" in (out / period / "report.html").read_text("utf-8") for period in after)


def test_two_worker_processes_write_the_same_bytes_as_one(sample):
    _configure(sample, period='"2015-08"', formats='["html", "pdf"]')
    one, two = sample.parent.parent / "one", sample.parent.parent / "two"  # outside the data folder
    alone = _build(sample, "--all-periods", "--jobs", "1", "--out", str(one))
    assert alone.returncode == 0, alone.stderr
    both = _build(sample, "--all-periods", "--jobs", "2", "--out", str(two))
    assert both.returncode == 0, both.stderr
    first, second = _folders(one), _folders(two)
    assert set(first) == set(second) and len(first) == 6
    for period in first:
        assert set(first[period]) == set(second[period])
        for name in first[period]:
            if name == ".manifest.json":  # when each was built, and from which output folder's inputs
                continue
            assert first[period][name][0] == second[period][name][0], (period, name)
        assert first[period]["report.pdf"][0].startswith(b"%PDF")
    log = (two / "cpreport.log").read_text("utf-8")
    if len(os.sched_getaffinity(0)) >= 2:
        assert "rendering 6 periods in 2 processes" in log
    assert "in 2 processes" not in (one / "cpreport.log").read_text("utf-8")


def test_a_period_whose_halves_disagree_in_a_worker_stops_the_build_with_its_code(sample):
    _configure(sample, period='"2017-02"', formats='["html"]', templates='"templates"')
    (sample.parent / "templates").mkdir()
    # The Arabic activities paragraph states a count of its own, whatever the sheets say.
    (sample.parent / "templates" / "paragraphs_ar.html").write_text(
        '{% import "paragraphs.html" as shared with context %}\n'
        "{% macro forums() %}{{ shared.forums() }}{% endmacro %}\n"
        "{% macro activities() %}نظمت المنظمة ٩٩ دورة تدريبية.{% endmacro %}\n"
        "{% macro displacement() %}{{ shared.displacement() }}{% endmacro %}\n", "utf-8")
    result = _build(sample, "--all-periods", "--jobs", "2")
    assert result.returncode == 5, result.stdout + result.stderr
    assert "state different figures" in result.stderr and "Traceback" not in result.stderr


def test_a_file_or_disk_problem_is_the_machines_and_an_error_naming_nothing_is_a_bug():
    from cpreport.cli import machine_problem

    assert machine_problem(OSError(errno.ENOSPC, "No space left on device"))
    assert machine_problem(PermissionError(errno.EACCES, "Permission denied", "/srv/out/2017-05"))
    assert machine_problem(OSError(errno.EINVAL, "Invalid argument", "/srv/out/report.pdf"))
    assert not machine_problem(OSError("a catalog that was never compiled"))
    assert not machine_problem(OSError(errno.EINVAL, "Invalid argument"))


def test_a_period_whose_report_would_not_change_is_left_as_it_is_and_then_up_to_date(sample):
    _configure(sample, formats='["html"]')
    out = sample.parent / "out"
    assert _build(sample).returncode == 0
    before = _folders(out)
    # Words of April's own: an input of the build changed, nothing that May's report shows.
    april = sample.parent / "narrative" / "2017-04"
    april.mkdir()
    (april / "en.md").write_text("News of April.\n", "utf-8")
    (april / "ar.md").write_text("أخبار نيسان.\n", "utf-8")
    again = _build(sample)
    assert again.returncode == 0, again.stderr
    assert "already shows what the sheets give: it is left as it is" in again.stdout
    assert "Rendered 0 periods, 1 current" in again.stdout
    after = _folders(out)
    shown = {name: file for name, file in after["2017-05"].items() if name != ".manifest.json"}
    assert shown == {name: file for name, file in before["2017-05"].items() if name != ".manifest.json"}
    # Its manifest now names these inputs: the next build is up to date without reading a sheet.
    third = _build(sample)
    assert third.stdout.startswith("Up to date: the report for 2017-05"), third.stdout + third.stderr


def test_without_a_narrative_a_restated_row_renders_its_months_again_from_the_second_build_on(sample):
    # A project without words: no month has words of its time to keep, so none is left with old figures.
    _configure(sample, formats='["html"]')
    sample.write_text(re.sub(r"^narrative = .*\n", "", sample.read_text("utf-8"), flags=re.M), "utf-8")
    out = sample.parent / "out"
    assert _build(sample, "--all-periods").returncode == 0
    assert _build(sample, "--all-periods", "--force").returncode == 0  # every month now built before
    participants = {period: _figure(out, period, "participants.total") for period in _folders(out)}
    _edit_attendance(sample, "2017-02", 5)
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert "kept as built" not in again.stdout and "CP404" not in again.stdout + again.stderr
    for period, before in participants.items():
        assert _figure(out, period, "participants.total") == before + (5 if period >= "2017-02" else 0), period


def test_a_month_built_alone_with_words_is_kept_while_its_figures_stand_and_rebuilt_when_they_change(sample):
    _configure(sample, formats='["html"]')
    out = sample.parent / "out"
    assert _build(sample, "--period", "2017-03").returncode == 0  # March alone, with the config's narrative
    march = (out / "2017-03" / "report.html").read_bytes()
    words = "Chief of Mission Thomas Lothar Weiss"  # the config's narrative, shared by the months without their own
    assert words in march.decode("utf-8")
    first = _build(sample, "--all-periods")
    assert first.returncode == 0, first.stderr
    assert (out / "2017-03" / "report.html").read_bytes() == march  # its figures stand: kept, words and all
    assert "kept as built before" in first.stdout and "CP404" not in first.stdout + first.stderr
    march_before = _figure(out, "2017-03", "participants.total")
    _edit_attendance(sample, "2017-03", 7)
    again = _build(sample, "--all-periods", "--lang", "both")
    assert again.returncode == 0, again.stderr
    # The figures win: March is built again, from its figures alone, and the build says so in both languages.
    assert _figure(out, "2017-03", "participants.total") == march_before + 7
    page = (out / "2017-03" / "report.html").read_text("utf-8")
    assert words not in page
    said = again.stdout + again.stderr
    assert "CP404" in said and "narrative/2017-03/en.md" in said and "فأُعيد بناؤه من أرقامه وحدها" in said
    assert "kept as built before" not in again.stdout


def test_a_month_kept_with_its_words_is_rebuilt_when_a_figures_date_changes_though_its_value_stands(sample):
    """What a kept month states from the sheets is more than its figures' values: the date a displacement figure
    is as of (so too its rows, and what its tables and map show). Changed, the month is built again, and said."""
    _configure(sample, formats='["html"]')
    out = sample.parent / "out"
    assert _build(sample, "--period", "2017-03").returncode == 0
    assert "kept as built before" in _build(sample, "--all-periods").stdout
    displacement = sample.parent / "displacement.csv"
    text = displacement.read_text("utf-8")
    assert "2017-03-30,national," in text
    displacement.write_text(text.replace("2017-03-30,national,", "2017-03-29,national,"), "utf-8")
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    figures = json.loads((out / "2017-03" / "figures.json").read_text("utf-8"))["figures"]
    assert {f["as_of"] for k, f in figures.items() if k.startswith("displacement.national.")
            and "2017-03-2" in (f["as_of"] or "")} == {"2017-03-29"}
    assert "CP404" in again.stdout + again.stderr and "kept as built before" not in again.stdout


def test_a_published_month_whose_only_row_moved_away_is_built_again_not_left_stale(sample):
    """January 2016 has one forum of its own. Dated in April instead, January has no data of its own, but its
    report is published and linked from the index: it is built again, with the forums the sheets now give."""
    _configure(sample, formats='["html"]')
    out = sample.parent / "out"
    assert _build(sample, "--all-periods").returncode == 0
    january = _figure(out, "2016-01", "cpfs.total")
    book = openpyxl.load_workbook(sample.parent / "cpfs.xlsx")
    moved = [row for row in book.active.iter_rows(min_row=4)
             if hasattr(row[6].value, "year") and (row[6].value.year, row[6].value.month) == (2016, 1)]
    assert len(moved) == 1
    moved[0][6].value = moved[0][6].value.replace(month=4, day=2)
    book.save(sample.parent / "cpfs.xlsx")
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert _figure(out, "2016-01", "cpfs.total") == january - 1
    assert _build(sample, "--all-periods").stdout.startswith("Up to date")


def test_the_index_template_changed_renders_no_period(sample):
    """The template of the index of periods makes no period's page: changed, the index alone is written again."""
    _configure(sample, formats='["html"]', templates='"tpl"')
    (sample.parent / "tpl").mkdir()
    index = (ROOT / "templates" / "index.html").read_text("utf-8")
    (sample.parent / "tpl" / "index.html").write_text(index, "utf-8")
    out = sample.parent / "out"
    assert _build(sample, "--all-periods").returncode == 0
    before = _folders(out)
    (sample.parent / "tpl" / "index.html").write_text(index.replace("</body>", "<p>Shared drive</p></body>"), "utf-8")
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert "Shared drive" in (out / "index.html").read_text("utf-8")
    assert "rendering" not in again.stderr and "Rendered 0 periods" in again.stdout, again.stdout + again.stderr
    assert not {period for period in _changed(before, _folders(out))
                if {n: b for n, b in before[period].items() if n != ".manifest.json"}
                != {n: b for n, b in _folders(out)[period].items() if n != ".manifest.json"}}


def test_a_project_folder_moved_elsewhere_renders_only_what_its_sheets_changed(sample):
    # A shared drive mounted at another path, or the project copied to a new machine: where the project is says
    # nothing that its reports show.
    _configure(sample, formats='["html"]')
    assert _build(sample, "--all-periods").returncode == 0
    moved = sample.parent.parent / "moved elsewhere" / "project"
    moved.parent.mkdir()
    sample.parent.rename(moved)
    config, out = moved / "cpreport.toml", moved / "out"
    before = _folders(out)
    _add_activity(config, dt.date(2017, 5, 28))
    again = _build(config, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert "Rendered 1 period, 23 current (what they show has not changed)." in again.stdout
    assert _changed(before, _folders(out)) == {"2017-05"}


def test_a_period_rendered_again_to_the_same_bytes_keeps_its_files_and_their_times(sample):
    # A page whose key no longer matches (here: its manifest's key spoilt) is rendered again; when that gives
    # the bytes its folder holds, nothing is written but the manifest, and the period counts as current.
    _configure(sample, formats='["html"]')
    out = sample.parent / "out"
    assert _build(sample, "--all-periods").returncode == 0
    before = _folders(out)
    manifest = out / "2016-06" / ".manifest.json"
    spoilt = json.loads(manifest.read_text("utf-8"))
    spoilt["page"] = "0" * 64
    manifest.write_text(json.dumps(spoilt), "utf-8")
    _add_activity(sample, dt.date(2017, 5, 28))
    again = _build(sample, "--all-periods")
    assert again.returncode == 0, again.stderr
    assert "Rendered 1 period, 23 current" in again.stdout
    after = _folders(out)
    changed = {p for p in before if {n: f for n, f in before[p].items() if n != ".manifest.json"}
               != {n: f for n, f in after[p].items() if n != ".manifest.json"}}
    assert changed == {"2017-05"}
    assert json.loads(manifest.read_text("utf-8"))["page"] != "0" * 64  # the next run finds it current
    third = _build(sample, "--all-periods")
    assert third.stdout.startswith("Up to date"), third.stdout + third.stderr


def test_all_periods_up_to_a_later_period_builds_it_though_no_sheet_changed(sample):
    # A run up to April, then (the month rolled over, or --period says so) a run up to May: May is built, never
    # "Up to date" from the run that stopped at April. Runs of quarters keep their own record beside the months'.
    _configure(sample, formats='["html"]')
    out = sample.parent / "out"
    assert _build(sample, "--all-periods", "--period", "2017-04").returncode == 0
    assert not (out / "2017-05").exists()
    later = _build(sample, "--all-periods", "--period", "2017-05")
    assert later.returncode == 0 and not later.stdout.startswith("Up to date"), later.stdout
    assert _figure(out, "2017-05", "cpfs.total") == 49
    quarters = _build(sample, "--all-periods", "--period", "2017-05", "--every", "quarter")
    assert quarters.returncode == 0, quarters.stderr
    for run in (["--all-periods", "--period", "2017-05"], ["--all-periods", "--period", "2017-05", "--every",
                                                           "quarter"]):
        again = _build(sample, *run)
        assert again.stdout.startswith("Up to date"), (run, again.stdout)


def test_the_findings_of_a_half_saved_sheet_go_once_it_is_saved_whole(sample):
    # cron ran while activities.xlsx was half written: exit 1 and OUT/findings says the file is damaged. Saved
    # whole (as it was), the report is up to date again, and those findings, about a file no longer there, go.
    _configure(sample, formats='["html"]')
    out = sample.parent / "out"
    assert _build(sample).returncode == 0
    sheet = sample.parent / "activities.xlsx"
    whole = sheet.read_bytes()
    sheet.write_bytes(whole[:len(whole) // 2])
    broken = _build(sample)
    assert broken.returncode == 1 and (out / "findings" / "validation.csv").is_file()
    sheet.write_bytes(whole)
    again = _build(sample)
    assert again.returncode == 0 and again.stdout.startswith("Up to date"), again.stdout + again.stderr
    assert not (out / "findings").exists()


def test_a_format_dropped_from_the_config_leaves_no_stale_file_behind(sample):
    _configure(sample, formats='["html", "xlsx"]')
    out = sample.parent / "out"
    assert _build(sample).returncode == 0 and (out / "2017-05" / "annex.xlsx").is_file()
    _configure(sample, formats='["html"]')
    again = _build(sample)
    assert again.returncode == 0, again.stderr
    assert not (out / "2017-05" / "annex.xlsx").exists()
    listed = json.loads((out / "2017-05" / ".manifest.json").read_text("utf-8"))["files"]
    assert "annex.xlsx" not in listed and "report.html" in listed


def test_a_deliverable_edited_in_place_is_kept_in_the_history_and_said_never_overwritten_unsaid(sample):
    _configure(sample, formats='["html", "xlsx"]')
    out = sample.parent / "out"
    assert _build(sample).returncode == 0
    annex = out / "2017-05" / "annex.xlsx"
    built = annex.read_bytes()
    book = openpyxl.load_workbook(annex)
    book.active["A1"] = "Our own title"
    book.save(annex)
    edited = annex.read_bytes()
    assert len(edited) != len(built)
    again = _build(sample)
    assert again.returncode == 0, again.stderr
    assert "CP502" in again.stdout + again.stderr and "annex.xlsx" in again.stdout + again.stderr
    [kept] = (out / "2017-05" / "history").glob("*-edited/annex.xlsx")
    assert kept.read_bytes() == edited
    assert openpyxl.load_workbook(annex).active["A1"].value != "Our own title"  # the report as built, again
    assert _build(sample).stdout.startswith("Up to date")
