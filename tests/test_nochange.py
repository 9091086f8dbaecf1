"""The `cpreport` program answers a build with nothing changed before Click and the config are imported, from the
stamp the last up-to-date check left (cpreport.nochange), and only when nothing it looked at changed: anything
else goes to the full path, which decides as it always did.

Each run here is the installed `cpreport` program in a process of its own, with Python's import profile on
(PYTHONPROFILEIMPORTTIME, the variable form of `-X importtime`): what it imported is what it says on stderr."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import environment

pytestmark = pytest.mark.process

PROGRAM = Path(sys.executable).with_name("cpreport")  # the console script, as cron runs it
HTML = {"CPREPORT_FORMATS": "html"}  # the report's HTML alone: the same answers, in a fraction of the time
SETTLE = 2.1  # past the settling time: what the check looks at must be older than 2 s before it to be trusted


class Run:
    def __init__(self, done: subprocess.CompletedProcess):
        self.returncode, self.stdout = done.returncode, done.stdout
        imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                    if line.startswith("import time:")]
        assert imported, done.stderr  # the profile is on: an empty list would prove nothing
        self.imported = set(imported)
        self.stderr = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("import time:"))

    @property
    def quick(self) -> bool:
        """Answered without the command line's library: Click was never imported."""
        return "click" not in self.imported

    def __repr__(self) -> str:
        return f"exit {self.returncode}, quick {self.quick}\n{self.stdout}\n{self.stderr}"


def cpreport(project: Path, *args: str, env: dict | None = None) -> Run:
    done = subprocess.run([str(PROGRAM), *args], capture_output=True, text=True, cwd=project,
                          env=environment({**HTML, "PYTHONPROFILEIMPORTTIME": "1", **(env or {})}))
    return Run(done)


def stamped(project: Path, *args: str, env: dict | None = None) -> Run:
    """Built, then found up to date by the full path (which stamps), then answered quickly: the last run."""
    first = cpreport(project, "build", *args, env=env)
    assert first.returncode == 0, first
    time.sleep(SETTLE)
    full = cpreport(project, "build", *args, env=env)
    assert full.returncode == 0 and "Up to date" in full.stdout and not full.quick, full
    quick = cpreport(project, "build", *args, env=env)
    assert quick.returncode == 0 and quick.quick, quick
    return quick


@pytest.fixture
def project(sample: Path) -> Path:
    """The sample project with a sub-folder of the data folder and a templates folder of its own."""
    folder = sample.parent
    (folder / "anbar").mkdir()
    (folder / "anbar" / "README.md").write_text("Anbar office's sheets\n", "utf-8")
    (folder / "templates").mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "templates" / "style.css", folder / "templates")
    sample.write_text('templates = "templates"\n' + sample.read_text("utf-8"), "utf-8")  # a top-level key
    return folder


def without_seconds(text: str) -> str:
    return re.sub(r"[0-9\u0660-\u0669][0-9\u0660-\u0669.,\u066b\u066c]* (s|ثانية)", "N", text)


def test_nothing_changed_is_answered_without_click_in_the_same_words_as_the_full_path(project):
    first = cpreport(project, "build")
    assert first.returncode == 0 and "Built the report" in first.stdout, first
    time.sleep(SETTLE)
    for lang in ("en", "ar", "both"):
        full = cpreport(project, "build", "--lang", lang)
        quick = cpreport(project, "build", "--lang", lang)
        assert not full.quick and quick.quick, (full, quick)
        assert quick.returncode == full.returncode == 0
        assert quick.stdout.count("\n") == full.stdout.count("\n") == (2 if lang == "both" else 1)
        assert without_seconds(quick.stdout) == without_seconds(full.stdout), (full.stdout, quick.stdout)
        assert quick.stdout != without_seconds(quick.stdout)  # the seconds are there, said in the language
        if lang != "en":
            assert "\u066b" in quick.stdout  # the Arabic decimal point, between Arabic-Indic digits
    # The log has a line for each run, in English, the quick ones as the full path's.
    log = (project / "out" / "cpreport.log").read_text("utf-8").splitlines()
    up = [line.split(" INFO ", 1)[1] for line in log if "INFO Up to date" in line]
    assert len(up) == 6 and len({without_seconds(line) for line in up}) == 1, up
    # A quiet run prints nothing and still logs.
    full, quick = cpreport(project, "build", "-q"), cpreport(project, "build", "-q")
    assert not full.quick and quick.quick and full.returncode == quick.returncode == 0, (full, quick)
    assert full.stdout == quick.stdout == "" and quick.stderr == ""
    assert sum("INFO Up to date" in line for line in (project / "out" / "cpreport.log").read_text("utf-8")
               .splitlines()) == 8


def test_the_stamp_is_written_in_the_output_folders_own_folder_only(project):
    stamped(project)
    stamp = json.loads((project / "out" / ".cpreport" / "nochange.json").read_text("utf-8"))["stamps"]
    assert len(stamp) == 1 and stamp[0]["call"]["argv"] == ["build"]
    assert str(project / "cpfs.xlsx") in stamp[0]["files"] and str(project / "anbar") in stamp[0]["folders"]


@pytest.mark.parametrize("earlier", [3_600_000_000_000, 0])  # an hour older; its very time put back (touch -r)
def test_a_sheet_rewritten_with_the_same_size_and_an_older_time_is_rebuilt(project, earlier):
    stamped(project)
    sheet = project / "displacement.csv"
    before = sheet.stat()
    written = sheet.read_bytes()
    changed = written.replace(b"3042288", b"3042289", 1)
    assert changed != written and len(changed) == len(written)
    sheet.write_bytes(changed)
    os.utime(sheet, ns=(before.st_atime_ns, before.st_mtime_ns - earlier))
    assert (sheet.stat().st_size, sheet.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns - earlier)
    rebuilt = cpreport(project, "build")
    assert rebuilt.returncode == 0 and not rebuilt.quick and "Up to date" not in rebuilt.stdout, rebuilt
    figures = json.loads((project / "out" / "2017-05" / "figures.json").read_text("utf-8"))
    assert figures["figures"]["displacement.national.displaced_current"]["value"] == 3042289


def test_a_new_file_in_a_data_sub_folder_goes_to_the_full_path(project):
    stamped(project)
    (project / "anbar" / "notes.md").write_text("Sheets come next week.\n", "utf-8")
    again = cpreport(project, "build")
    assert again.returncode == 0 and not again.quick, again
    assert "Up to date" in again.stdout  # not a sheet: the full path finds nothing to do, as before


def test_a_removed_sheet_goes_to_the_full_path(project):
    stamped(project)
    (project / "displacement.csv").unlink()
    gone = cpreport(project, "build")
    assert not gone.quick and "Up to date" not in gone.stdout, gone
    assert gone.returncode != 0 or "Built" in gone.stdout


def test_a_changed_config_goes_to_the_full_path(project):
    stamped(project)
    with open(project / "cpreport.toml", "a", encoding="utf-8") as config:
        config.write("# checked by the M&E lead\n")
    again = cpreport(project, "build")
    assert again.returncode == 0 and not again.quick and "Up to date" not in again.stdout, again


def test_a_changed_environment_variable_goes_to_the_full_path(project):
    stamped(project)
    again = cpreport(project, "build", env={"CPREPORT_FORMATS": "html,xlsx"})
    assert again.returncode == 0 and not again.quick and "Up to date" not in again.stdout, again
    assert any(path.suffix == ".xlsx" for path in (project / "out" / "2017-05").iterdir())


def test_a_changed_template_goes_to_the_full_path(project):
    stamped(project)
    style = project / "templates" / "style.css"
    style.write_text(style.read_text("utf-8") + "\n/* the office's own colours */\n", "utf-8")
    again = cpreport(project, "build")
    assert again.returncode == 0 and not again.quick and "Up to date" not in again.stdout, again


def test_another_period_goes_to_the_full_path(project):
    stamped(project)
    other = cpreport(project, "build", "--period", "2017-04")
    assert other.returncode == 0 and not other.quick and "2017-04" in other.stdout, other
    assert (project / "out" / "2017-04" / "report.html").is_file()


def test_a_deleted_output_is_rebuilt(project):
    stamped(project)
    (project / "out" / "2017-05" / "report.html").unlink()
    again = cpreport(project, "build")
    assert again.returncode == 0 and not again.quick and "Up to date" not in again.stdout, again
    assert (project / "out" / "2017-05" / "report.html").is_file()


def test_a_staging_folder_left_by_a_killed_build_goes_to_the_full_path(project):
    stamped(project)
    (project / "out" / ".2017-05.new-x1y2z3").mkdir()
    again = cpreport(project, "build")
    # The full path, under the lock, tidies what the killed build left; the report in place is still current.
    assert again.returncode == 0 and not again.quick and "Up to date" in again.stdout, again
    assert not (project / "out" / ".2017-05.new-x1y2z3").exists()


def test_all_periods_with_nothing_changed_is_answered_without_click(project):
    quick = stamped(project, "--all-periods")
    assert "Up to date: every month with data in" in quick.stdout and "index.html" in quick.stdout
    (project / "out" / "2017-03" / "report.html").unlink()
    again = cpreport(project, "build", "--all-periods")
    assert again.returncode == 0 and not again.quick and "Up to date" not in again.stdout, again


def test_a_log_that_cannot_take_the_line_goes_to_the_full_path(project):
    stamped(project)
    log = project / "out" / "cpreport.log"
    kept = log.read_bytes()
    log.unlink()
    log.mkdir()  # a folder where the log should be: the full path says so, and still answers
    broken = cpreport(project, "build")
    assert broken.returncode == 0 and not broken.quick and "Up to date" in broken.stdout, broken
    assert "cannot be written" in broken.stderr
    log.rmdir()
    log.write_bytes(kept + b"x" * (1_000_000 - len(kept) - 100))  # a line or two short of its rotation
    full = cpreport(project, "build")
    assert full.returncode == 0 and not full.quick and "Up to date" in full.stdout, full
    assert (project / "out" / "cpreport.log.1").is_file() and log.stat().st_size < 1_000
    quick = cpreport(project, "build")
    assert quick.quick and "Up to date" in quick.stdout, quick


def test_a_folder_named_with_terminal_escapes_is_shown_not_acted_on(project):
    out = "out\x1b]0;owned\x07\x1b[2J"
    quick = stamped(project, "--out", out)
    assert "Up to date" in quick.stdout and "\x1b" not in quick.stdout and "\x07" not in quick.stdout, quick
    assert "␛[2J" in quick.stdout
    assert "\x1b" not in (project / out / "cpreport.log").read_text("utf-8")


@pytest.mark.parametrize("value", [0.0, 0.04, 0.5, 1.25, 12.3456, 999.999, 1234.5678, 98765.4321])
@pytest.mark.parametrize("places", [1, 2])
def test_the_closing_lines_seconds_are_said_as_babel_said_them(value, places):
    from babel.numbers import format_decimal

    from cpreport.closing import decimal
    from cpreport.digits import TO_ARABIC

    pattern = "#,##0." + "0" * places
    assert decimal(value, places, False) == format_decimal(value, format=pattern, locale="en")
    assert decimal(value, places, True) == format_decimal(value, format=pattern, locale="ar_IQ",
                                                          numbering_system="arab").translate(TO_ARABIC)


def test_a_data_folder_link_pointed_at_another_drop_of_the_sheets_goes_to_the_full_path(project):
    # data = "current", a link to this month's drop of the sheets; pointed at a new drop, the quick answer's
    # files (the old drop's, unchanged) would say "Up to date" over a report of the sheets before.
    drop = project / "drop-a"
    drop.mkdir()
    for name in ("cpfs.xlsx", "activities.xlsx", "displacement.csv"):
        shutil.move(project / name, drop / name)
    (project / "current").symlink_to(drop, target_is_directory=True)
    config = project / "cpreport.toml"
    config.write_text(re.sub(r'^data = .*$', 'data = "current"', config.read_text("utf-8"), flags=re.M), "utf-8")
    stamped(project)
    shutil.copytree(drop, project / "drop-b")
    with (project / "drop-b" / "displacement.csv").open("a", encoding="utf-8") as sheet:
        sheet.write("2017-05-20,national,displaced_current,,3000000\n")
    (project / "current").unlink()
    (project / "current").symlink_to(project / "drop-b", target_is_directory=True)
    again = cpreport(project, "build")
    assert again.returncode == 0 and not again.quick and "Up to date" not in again.stdout, again
