"""Unattended runs, in real processes: one build at a time, kills that leave a whole report, skips, logs."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import pdf_text, run_cpreport, start_cpreport, wait_for_pause

ANSI = re.compile(r"\x1b\[")


pytestmark = pytest.mark.process


def run(config: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_cpreport("build", "--config", str(config), *args, cwd=config.parent, env=env)


def start_paused(config: Path, stage: str, *args: str) -> subprocess.Popen:
    """A build that stops itself at a stage (tests/paused_run.py); returns once it is stopped there."""
    return start_cpreport("build", "--config", str(config), *args, cwd=config.parent, pause_at=stage)


def add_forum(config: Path) -> None:
    """One more forum in the sample's cpfs.xlsx, established in May 2017: 49 becomes 50."""
    path = config.parent / "cpfs.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    last = [c.value for c in sheet[sheet.max_row]]
    sheet.append(["CPF-NEW-001", "New Forum", "منتدى جديد", *last[3:6], last[6].replace(year=2017, month=5, day=20), "Active"])
    book.save(path)


def forums_stated(folder: Path) -> int:
    """The CPF total of one period's folder, after checking that its files all come from one build."""
    figures = json.loads((folder / "figures.json").read_text("utf-8"))
    total = figures["figures"]["cpfs.total"]["value"]
    sentence = f"A total of {total} CPFs have been established"
    assert sentence in " ".join(re.sub(r"<[^>]+>", "", (folder / "report.html").read_text("utf-8")).split())
    assert sentence in " ".join(pdf_text(folder / "report.pdf").split())
    written = json.loads((folder / ".manifest.json").read_text("utf-8"))["files"]
    # The files of the period's history (history/<time>/figures.json) are in the folder history.
    assert {p.name for p in folder.iterdir()} == {name.split("/")[0] for name in written} | {".manifest.json"}
    assert all((folder / name).stat().st_size == size for name, size in written.items())
    return total


def test_a_second_build_stops_with_code_4_naming_the_holder_or_waits_for_it(sample, tmp_path):
    out = tmp_path / "out"
    first = start_paused(sample, "html", "--out", str(out))
    try:
        second = run(sample, "--out", str(out), "--force")
        assert second.returncode == 4, second.stderr
        assert f"process {first.pid}, started " in second.stderr
        assert "--wait" in second.stderr

        # Without --force, the waiting build finds the report the first one made: nothing left to do.
        waiting = start_cpreport("build", "--config", str(sample), "--out", str(out), "--wait", "600",
                                 cwd=sample.parent)
        for line in waiting.stderr:
            if "waiting up to 600 s" in line:
                assert f"process {first.pid}" in line
                break
        else:
            raise AssertionError(waiting.communicate())
        first.send_signal(signal.SIGCONT)
        assert first.wait() == 0
        stdout, stderr = waiting.communicate()
        assert waiting.returncode == 0, stderr
        assert stdout.startswith(f"Up to date: the report for 2017-05 in {out / '2017-05'}")
    finally:
        first.kill()
        first.wait()
    assert forums_stated(out / "2017-05") == 49



def test_a_build_that_waited_sees_a_sheet_saved_while_it_waited(sample, tmp_path):
    # The waiting build hashed the sheets before it waited: a forum added meanwhile is built after the first
    # build ends, never "Up to date" with the report the first one made from the sheets before.
    out = tmp_path / "out"
    first = start_paused(sample, "html", "--out", str(out))
    try:
        waiting = start_cpreport("build", "--config", str(sample), "--out", str(out), "--wait", "600",
                                 cwd=sample.parent)
        for line in waiting.stderr:
            if "waiting up to 600 s" in line:
                break
        else:
            raise AssertionError(waiting.communicate())
        add_forum(sample)
        first.send_signal(signal.SIGCONT)
        assert first.wait() == 0
        stdout, stderr = waiting.communicate()
        assert waiting.returncode == 0, stderr
        assert not stdout.startswith("Up to date"), stdout
    finally:
        first.kill()
        first.wait()
    assert forums_stated(out / "2017-05") == 50

def test_a_build_killed_at_any_stage_leaves_a_whole_report(sample, tmp_path):
    out = tmp_path / "out"
    assert run(sample, "--out", str(out)).returncode == 0
    add_forum(sample)
    for stage, expected in (("read", 49), ("html", 49), ("pdf", 49), ("staged", 49), ("swapped", 50)):
        process = start_paused(sample, stage, "--out", str(out))
        process.kill()
        process.wait()
        assert forums_stated(out / "2017-05") == expected, stage
    again = run(sample, "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert forums_stated(out / "2017-05") == 50
    assert not [p.name for p in out.iterdir() if p.name.startswith(".2017-05")]


def test_nothing_changed_means_up_to_date_without_pandas_and_one_cell_means_a_rebuild(sample, tmp_path):
    out = tmp_path / "out"
    first = run(sample, "--out", str(out))
    assert first.returncode == 0 and first.stdout.startswith("Built"), first.stderr
    before = {p.name: p.stat().st_mtime_ns for p in (out / "2017-05").iterdir()}

    # The same run in one process, to see which modules the check needed.
    probe = ("import sys; from cpreport.cli import main\n"
             "try:\n    main(sys.argv[1:])\nexcept SystemExit as end:\n    code = end.code\n"
             "print('exit', code, 'pandas' in sys.modules, 'weasyprint' in sys.modules, 'jinja2' in sys.modules)")
    skipped = subprocess.run([sys.executable, "-c", probe, "build", "--config", str(sample), "--out", str(out)],
                             capture_output=True, text=True, cwd=sample.parent)
    assert skipped.stdout.splitlines()[-1] == "exit 0 False False False", skipped.stderr
    assert skipped.stdout.startswith("Up to date: the report for 2017-05 in ")
    assert {p.name: p.stat().st_mtime_ns for p in (out / "2017-05").iterdir()} == before

    book = openpyxl.load_workbook(sample.parent / "cpfs.xlsx")
    sheet = book.active
    assert sheet["F4"].value == "IOM"
    sheet["F4"] = "Local police"
    book.save(sample.parent / "cpfs.xlsx")
    rebuilt = run(sample, "--out", str(out))
    assert rebuilt.returncode == 0 and rebuilt.stdout.startswith("Built"), rebuilt.stderr
    figures = json.loads((out / "2017-05" / "figures.json").read_text("utf-8"))["figures"]
    assert (figures["cpfs.iom"]["value"], figures["cpfs.police"]["value"]) == (33, 16)

    forced = run(sample, "--out", str(out), "--force")
    assert forced.stdout.startswith("Built"), forced.stderr


def test_off_a_terminal_the_lines_are_plain_and_the_log_has_them_all(sample, tmp_path):
    out = tmp_path / "out"
    result = run(sample, "--out", str(out))
    assert result.returncode == 0
    assert not ANSI.search(result.stdout + result.stderr)
    assert re.search(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d rendering the PDF 2017-05$", result.stderr, re.M)
    last = result.stdout.strip().splitlines()[-1]
    assert re.fullmatch(rf"Built the report for 2017-05 in {re.escape(str(out / '2017-05'))} in \d+\.\d s "
                        r"\(narrative: narrative/en\.md, narrative/ar\.md\)\.", last)
    log = (out / "cpreport.log").read_text("utf-8")
    assert "rendering the PDF 2017-05" in log and last in log and not ANSI.search(log)

    quiet = run(sample, "--out", str(out), "--quiet", "--force")
    assert quiet.returncode == 0
    # A warning and no errors: nothing at all, so that cron mails nothing; the log has the last line.
    assert (quiet.stderr, quiet.stdout) == ("", "")
    assert "Built the report for 2017-05" in (out / "cpreport.log").read_text("utf-8").splitlines()[-1]
    assert (out / "cpreport.log").read_text("utf-8").count("rendering the PDF 2017-05") == 2


def test_on_a_terminal_the_stages_are_shown(sample, tmp_path):
    import pty

    leader, follower = pty.openpty()
    process = start_cpreport("build", "--config", str(sample), "--out", str(tmp_path / "out"), stderr=follower,
                             env={"TERM": "xterm-256color"}, cwd=sample.parent)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait() == 0
    text = shown.decode("utf-8", "replace")
    assert ANSI.search(text)
    assert "✓" in text and "rendering the PDF" in text


def test_a_sheet_saved_while_read_is_read_again_and_twice_is_a_finding(sample, tmp_path):
    out = tmp_path / "out"
    sheet = sample.parent / "displacement.csv"
    process = start_paused(sample, "read", "--out", str(out))
    sheet.write_text(sheet.read_text("utf-8-sig").replace("3042288", "3142288"), "utf-8")
    process.send_signal(signal.SIGCONT)
    said = wait_for_pause(process, "read")  # the second reading
    assert "reading the sheets again: a file changed while it was read" in said
    process.send_signal(signal.SIGCONT)
    stdout, stderr = process.communicate()
    assert process.returncode == 0, stderr
    figures = json.loads((out / "2017-05" / "figures.json").read_text("utf-8"))["figures"]
    assert figures["displacement.national.displaced_current"]["value"] == 3142288

    process = start_paused(sample, "read", "--out", str(out), "--force")
    for value in ("3242288", "3342288"):
        text = sheet.read_text("utf-8")
        sheet.write_text(text.replace(re.search(r"3[0-9]42288", text.split("\n")[2])[0], value), "utf-8")
        process.send_signal(signal.SIGCONT)
        if value == "3242288":
            wait_for_pause(process, "read")
    stdout, stderr = process.communicate()
    assert process.returncode == 1
    assert "ERROR   CP010" in stderr and "displacement.csv" in stderr
    # The last good report stays.
    figures = json.loads((out / "2017-05" / "figures.json").read_text("utf-8"))["figures"]
    assert figures["displacement.national.displaced_current"]["value"] == 3142288


def test_a_swap_cut_short_on_a_file_system_without_exchange_is_finished_by_the_next_build(tmp_path, monkeypatch):
    from cpreport import write

    out = tmp_path / "out"
    write.publish(out, "2017-05", {"report.html": b"old"})
    # What a build killed between its two renames leaves: the old set moved aside, the new one staged.
    os.replace(out / "2017-05", out / ".2017-05.old-999")
    staged = out / ".2017-05.new-abc"
    staged.mkdir()
    (staged / "report.html").write_bytes(b"half")
    # The next build puts the old set back before it stages its own, and sweeps the leftovers; on a system
    # without the one-step exchange (not Linux) it then swaps by two renames.
    seen = []

    def stage(name):
        seen.append((name, (out / "2017-05" / "report.html").read_bytes(), sorted(p.name for p in out.iterdir())))

    monkeypatch.setattr(sys, "platform", "darwin")
    write.publish(out, "2017-05", {"report.html": b"new", "figures.json": b"{}"}, stage)
    monkeypatch.undo()
    assert seen[0][:2] == ("staged", b"old") and ".2017-05.old-999" not in seen[0][2]
    assert ".2017-05.new-abc" not in seen[0][2]
    assert seen[1][:2] == ("swapped", b"new") and f".2017-05.old-{os.getpid()}" in seen[1][2]  # two renames
    assert sorted(p.name for p in (out / "2017-05").iterdir()) == ["figures.json", "report.html"]
    assert sorted(p.name for p in out.iterdir()) == ["2017-05"]


def test_every_month_with_data_gets_its_folder_and_the_index_lists_them(sample, tmp_path):
    out = tmp_path / "out"
    sample.write_text(sample.read_text("utf-8").replace('period = "2017-05"', 'period = "2017-05"\nformats = ["html"]'),
                      "utf-8")
    # April has words of its own; the other months before May have none, and are built from their figures alone.
    (sample.parent / "narrative" / "2017-04").mkdir()
    (sample.parent / "narrative" / "2017-04" / "en.md").write_text("News of April.\n\n[[forums]]\n", "utf-8")
    (sample.parent / "narrative" / "2017-04" / "ar.md").write_text("أخبار نيسان.\n\n[[forums]]\n", "utf-8")
    result = run(sample, "--out", str(out), "--all-periods")
    assert result.returncode == 0, result.stderr
    months = sorted(p.name for p in out.iterdir() if re.fullmatch(r"\d{4}-\d\d", p.name))
    assert months[0] == "2015-03" and months[-1] == "2017-05"  # the first forum, the period
    assert f"Built {len(months)} months (" in result.stdout
    assert "narrative/2017-04/en.md, narrative/2017-04/ar.md for 2017-04" in result.stdout
    assert "News of April." in (out / "2017-04" / "report.html").read_text("utf-8")
    march = (out / "2017-03" / "report.html").read_text("utf-8")
    assert "Chief of Mission" not in march and 'data-figures="activities"' in march
    index = (out / "index.html").read_text("utf-8")
    for month in months:
        assert f'href="{month}/report.html"' in index
    assert "أيار عام ٢٠١٧" in index and "May 2017" in index
    april = json.loads((out / "2017-04" / "figures.json").read_text("utf-8"))["figures"]
    may = json.loads((out / "2017-05" / "figures.json").read_text("utf-8"))["figures"]
    assert may["activities.total.previous"]["value"] == april["activities.total"]["value"]
    assert may["activities.total.change"]["value"] == may["activities.total"]["value"] - april["activities.total"]["value"]
    current = "displacement.mosul_operations.displaced_current"
    assert may[f"{current}.previous"]["value"] == april[current]["value"] == 301182
    assert may[f"{current}.change"]["value"] == 358656 - 301182
    # Each month's folder is what a build of that month alone writes: that build finds it up to date.
    alone = run(sample, "--out", str(out), "--period", "2017-04")
    assert alone.stdout.startswith("Up to date: the report for 2017-04"), alone.stdout + alone.stderr
    again = run(sample, "--out", str(out), "--all-periods")
    assert again.stdout.startswith("Up to date: every month with data"), again.stdout + again.stderr


def test_an_output_folder_that_cannot_be_written_is_an_environment_problem(sample, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run(sample, "--out", str(blocker / "out"))
    assert result.returncode == 3
    assert "cannot be made" in result.stderr and "Traceback" not in result.stderr


def test_a_good_build_clears_the_findings_of_an_earlier_failed_one(sample, tmp_path):
    out = tmp_path / "out"
    book = openpyxl.load_workbook(sample.parent / "activities.xlsx")
    sheet = book.active
    good = sheet.cell(row=4, column=9).value
    sheet.cell(row=4, column=9).value = "many"
    book.save(sample.parent / "activities.xlsx")
    failed = run(sample, "--out", str(out))
    assert failed.returncode == 1
    assert (out / "findings" / "validation.csv").is_file()
    sheet.cell(row=4, column=9).value = good
    book.save(sample.parent / "activities.xlsx")
    assert run(sample, "--out", str(out)).returncode == 0
    assert not (out / "findings").exists()
    assert (out / "2017-05" / "report.pdf").is_file()
