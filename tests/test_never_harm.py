"""Hostile inputs and careless set-ups: a build harms nothing it did not make, and says what went wrong plainly.

The tests run the real command in a real process, on real files, as cron or an officer would; the few that
call a function instead say why (a check that must never be tried for real, input no shipped file holds)."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import SAMPLE, run_cpreport, start_cpreport

pytestmark = pytest.mark.process
HTML_ONLY = 'formats = ["html"]\n'  # the PDF is not what these tests are about, and it takes a second


def build(config: Path, out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_cpreport("build", "--config", str(config), "--out", str(out), *args, cwd=config.parent, env=env)


def html_only(config: Path) -> Path:
    config.write_text(HTML_ONLY + config.read_text("utf-8"), "utf-8")
    return config


def override_folder(config: Path) -> Path:
    """A templates folder for the project, named in its config; its files replace the built-in templates."""
    folder = config.parent / "templates"
    folder.mkdir(exist_ok=True)
    config.write_text('templates = "templates"\n' + config.read_text("utf-8"), "utf-8")
    return folder


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def break_displacement(config: Path, value: str = "many") -> None:
    """One displacement count that is not a number: an error (CP202) in displacement.csv."""
    path = config.parent / "displacement.csv"
    lines = path.read_text("utf-8-sig").splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + f",{value}"
    path.write_text("\n".join(lines) + "\n", "utf-8")


def break_forums(config: Path) -> None:
    """One forum established on a date that is not one (CP205) in cpfs.xlsx."""
    path = config.parent / "cpfs.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    for row in sheet.iter_rows(min_row=1, max_row=30):
        for cell in row:
            if cell.value is not None and hasattr(cell.value, "year"):
                cell.value = "not a date"
                book.save(path)
                return
    raise AssertionError("the sample's cpfs.xlsx has no date to break")


# 1. A build removes only what it wrote.

def test_a_build_leaves_another_programs_cache_in_the_output_folder_alone(sample, tmp_path):
    html_only(sample)
    out = tmp_path / "out"
    (out / ".cache" / "pip").mkdir(parents=True)
    (out / ".cache" / "pip" / "blob").write_text("x", "utf-8")
    assert build(sample, out).returncode == 0
    cache = out / ".cpreport" / "cache"
    assert (cache / "CACHEDIR.TAG").read_text("utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    entries = {p.name for p in cache.iterdir() if p.is_dir()}
    assert len(entries) == 3
    # Someone's own things inside the cache folder: a file, and a folder with a key's name but not an entry's files.
    (cache / "notes.txt").write_text("mine", "utf-8")
    foreign = cache / ("0" * 64)
    foreign.mkdir()
    (foreign / "other.bin").write_bytes(b"mine")
    break_displacement(sample, "3070212 ")  # the same count, with a trailing space: the file's entry changes
    assert build(sample, out, "--force").returncode == 0
    assert (out / ".cache" / "pip" / "blob").read_text("utf-8") == "x"
    assert (cache / "notes.txt").read_text("utf-8") == "mine"
    assert (foreign / "other.bin").read_bytes() == b"mine"
    after = {p.name for p in cache.iterdir() if p.is_dir()} - {foreign.name}
    assert len(after) == 3 and len(after & entries) == 2  # the displacement file's old entry did go


def test_a_cache_folder_someone_else_made_is_neither_used_nor_pruned(sample, tmp_path):
    html_only(sample)
    out = tmp_path / "out"
    theirs = out / ".cpreport" / "cache"
    theirs.mkdir(parents=True)
    (theirs / ("a" * 64)).mkdir()
    (theirs / ("a" * 64) / "entry.json").write_text("{}", "utf-8")
    assert build(sample, out).returncode == 0
    assert [p.name for p in theirs.iterdir()] == ["a" * 64]
    assert (theirs / ("a" * 64) / "entry.json").read_text("utf-8") == "{}"


def test_findings_remove_only_the_copies_cpreport_wrote(sample, tmp_path):
    html_only(sample)
    out = tmp_path / "out"
    findings = out / "findings"
    findings.mkdir(parents=True)
    (findings / "my notes.txt").write_text("mine", "utf-8")
    (findings / "budget.annotated.xlsx").write_bytes(b"mine too")  # named as cpreport's copies are, but not one
    original = (sample.parent / "displacement.csv").read_bytes()
    break_displacement(sample)
    first = build(sample, out)
    assert first.returncode == 1, first.stderr
    assert (findings / "displacement.csv.annotated.xlsx").is_file()

    # The displacement sheet fixed, the forums broken: the displacement copy is stale and goes, the user's stay.
    (sample.parent / "displacement.csv").write_bytes(original)
    break_forums(sample)
    second = build(sample, out)
    assert second.returncode == 1, second.stderr
    assert not (findings / "displacement.csv.annotated.xlsx").exists()
    assert (findings / "cpfs.annotated.xlsx").is_file()
    assert (findings / "my notes.txt").read_text("utf-8") == "mine"
    assert (findings / "budget.annotated.xlsx").read_bytes() == b"mine too"

    # Everything fixed: cpreport's findings go, the user's files (and so their folder) stay.
    (sample.parent / "cpfs.xlsx").write_bytes((SAMPLE / "cpfs.xlsx").read_bytes())
    third = build(sample, out)
    assert third.returncode == 0, third.stderr
    assert sorted(p.name for p in findings.iterdir()) == ["budget.annotated.xlsx", "my notes.txt"]


def test_a_failed_build_then_a_good_one_leaves_no_findings_folder(sample, tmp_path):
    html_only(sample)
    out = tmp_path / "out"
    original = (sample.parent / "displacement.csv").read_bytes()
    break_displacement(sample)
    assert build(sample, out).returncode == 1
    (sample.parent / "displacement.csv").write_bytes(original)
    assert build(sample, out).returncode == 0
    assert not (out / "findings").exists()


def test_the_output_folder_cannot_be_the_root_the_home_folder_or_the_data_folder(sample, tmp_path):
    from cpreport.config import load_config
    from cpreport.errors import ConfigError

    # The root is checked without a build: were the check gone, that build would write into /.
    try:
        load_config(sample, out="/")
    except ConfigError as error:
        assert "'out' cannot be /:" in error.message
    else:
        raise AssertionError("an output folder of / was accepted")
    home = tmp_path / "home"
    home.mkdir()
    for out, said in ((home, f"'out' cannot be {home}:"), (sample.parent, "'out' cannot be the data folder")):
        before = files_under(out)
        result = build(sample, out, env={"HOME": str(home)})
        assert result.returncode == 2, (out, result.stderr)
        assert said in result.stderr and "Traceback" not in result.stderr
        assert files_under(out) == before  # nothing written there, not even the log


# 2. Workbooks cpreport writes hold no live formulas.

FORMULAS = ('=HYPERLINK("http://x","x")', "=cmd|' /C calc'!A0", "=1+1")


def test_formulas_in_a_csv_are_text_in_its_annotated_copy(sample, tmp_path):
    import csv

    html_only(sample)
    path = sample.parent / "displacement.csv"
    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines()))
    rows[1][3], rows[2][1], rows[3][4] = FORMULAS  # a governorate, a scope, a count (an error: not a number)
    with open(path, "w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    result = build(sample, tmp_path / "out")
    assert result.returncode == 1, result.stderr
    sheet = openpyxl.load_workbook(tmp_path / "out" / "findings" / "displacement.csv.annotated.xlsx").active
    for cell, text in ((sheet["D2"], FORMULAS[0]), (sheet["B3"], FORMULAS[1]), (sheet["E4"], FORMULAS[2])):
        assert (cell.data_type, cell.value) == ("s", text), cell.coordinate
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_the_blank_workbooks_of_init_write_text_beginning_with_an_equals_sign_as_text(tmp_path):
    import io

    from cpreport.contract import Column, Table
    from cpreport.scaffold import workbook

    made = run_cpreport("init", str(tmp_path / "project"))
    assert made.returncode == 0, made.stderr
    for name in ("cpfs", "activities", "displacement"):
        book = openpyxl.load_workbook(tmp_path / "project" / f"{name}.xlsx")
        assert not [c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"], name
    # A column whose name begins with '=' (no shipped one does, so the function is called with one): its header
    # is text, as written.
    hostile = Table("t", "T", "ت", (Column("=1+1", "text", label_ar="=cmd|' /C calc'!A0"),))
    sheet = openpyxl.load_workbook(io.BytesIO(workbook(hostile))).active
    assert (sheet["A1"].data_type, sheet["A1"].value) == ("s", "=1+1\n=cmd|' /C calc'!A0")


# 3. A failure is never reported after the report was replaced.

@pytest.mark.parametrize("broken", ["{{ undefined_thing.x.y }}", "{% include 'missing.html' %}", "{{ 1/0 }}",
                                    "{% extends 'index.html' %}"])
def test_a_failing_index_template_leaves_every_old_file_as_it_was(sample, tmp_path, broken):
    html_only(sample)
    out = tmp_path / "out"
    assert build(sample, out).returncode == 0
    # Every file but the log and the parse cache (which keeps what the changed sheet gave, as it should).
    report = lambda: {name: content for name, content in files_under(out).items()  # noqa: E731
                      if name != "cpreport.log" and not name.startswith(".cpreport/")}
    before = report()
    (override_folder(sample) / "index.html").write_text(f"<html>{broken}</html>", "utf-8")
    add_forum(sample)  # a new figure too: the new report would differ from the old one
    result = build(sample, out, "--force")
    assert result.returncode == 2, result.stderr
    assert "index.html" in result.stderr and "Traceback" not in result.stderr
    assert report() == before


def add_forum(config: Path) -> None:
    """One more forum in the sample's cpfs.xlsx, established in May 2017."""
    path = config.parent / "cpfs.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book.active
    last = [c.value for c in sheet[sheet.max_row]]
    sheet.append(["CPF-NEW-001", "New Forum", "منتدى جديد", *last[3:6], last[6].replace(year=2017, month=5, day=20),
                  "Active"])
    book.save(path)


# 4. The PDF fetches nothing, and an override that names outside resources still builds.

def test_an_override_naming_web_and_file_resources_builds_a_pdf_and_fetches_nothing(sample, tmp_path):
    import socket

    from conftest import pdf_text

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.1)
    port = listener.getsockname()[1]
    marker = tmp_path / "marker.css"
    marker.write_text('body::before { content: "FETCHED FROM THE FILE SYSTEM"; }', "utf-8")
    from cpreport.manifest import builtin_templates
    report = (builtin_templates() / "report.html").read_text("utf-8")
    hostile = (f"{{% block style %}}body {{ background: url(http://127.0.0.1:{port}/x.png); }}{{% endblock %}}\n"
               f'{{% block content %}}<img src="file:///etc/passwd"><img src="http://127.0.0.1:{port}/y.png">'
               f'<link rel=stylesheet href="http://127.0.0.1:{port}/a.css">'
               f'<link rel=stylesheet href="{marker.as_uri()}">')
    (override_folder(sample) / "report.html").write_text(report.replace("{% block content %}", hostile, 1), "utf-8")
    out = tmp_path / "out"
    try:
        result = build(sample, out)
        try:
            connection, _ = listener.accept()
            connection.close()
            fetched = True
        except TimeoutError:
            fetched = False
    finally:
        listener.close()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert not fetched
    text = pdf_text(out / "2017-05" / "report.pdf")
    assert "A total of" in text and "FETCHED FROM THE FILE SYSTEM" not in text


# 5. Template overrides run no code and read nothing outside their folder.

def test_a_template_override_cannot_reach_python(sample, tmp_path):
    html_only(sample)
    ran = tmp_path / "ran"
    (override_folder(sample) / "report.html").write_text(
        f"{{{{ lipsum.__globals__['os'].popen('touch {ran}').read() }}}}", "utf-8")
    out = tmp_path / "out"
    result = build(sample, out)
    assert result.returncode == 2, result.stderr
    assert "the template cannot be rendered" in result.stderr and "unsafe" in result.stderr
    assert "Traceback" not in result.stderr
    assert not ran.exists() and not (out / "2017-05").exists()


@pytest.mark.parametrize("name", ["report.html", "style.css"])
def test_a_template_that_links_outside_its_folder_is_refused(sample, tmp_path, name):
    html_only(sample)
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET OUTSIDE THE TEMPLATES FOLDER", "utf-8")
    (override_folder(sample) / name).symlink_to(secret)
    out = tmp_path / "out"
    result = build(sample, out)
    assert result.returncode == 2, result.stderr
    assert f"the template {name}" in result.stderr and "outside the templates folder" in result.stderr
    assert "Traceback" not in result.stderr and "SECRET" not in result.stderr
    assert not (out / "2017-05").exists()
    assert not any(b"SECRET" in content for content in files_under(out).values())


def test_a_link_between_files_of_the_templates_folder_is_read(sample, tmp_path):
    html_only(sample)
    from cpreport.manifest import builtin_templates
    folder = override_folder(sample)
    (folder / "mine.css").write_text((builtin_templates() / "style.css").read_text("utf-8") + "\n/* MINE */", "utf-8")
    (folder / "style.css").symlink_to("mine.css")
    out = tmp_path / "out"
    result = build(sample, out)
    assert result.returncode == 0, result.stderr
    assert "/* MINE */" in (out / "2017-05" / "report.html").read_text("utf-8")


# 6. Control characters from the sheets are shown, never acted on.

ESCAPES = "\x1b[2J\x1b]0;title\a"
RAW = ("\x1b", "\a", "\x9b")


def escape_in_a_cell_and_a_file_name(config: Path) -> None:
    break_displacement(config, ESCAPES + "\x9b")  # a count that is not a number: an error quoting the cell
    (config.parent / f"notes{ESCAPES}.txt").write_text("not a sheet", "utf-8")  # named in a note (CP019)


def test_escape_codes_in_a_cell_and_a_file_name_reach_neither_the_terminal_nor_the_files(sample, tmp_path):
    html_only(sample)
    escape_in_a_cell_and_a_file_name(sample)
    out = tmp_path / "out"
    result = build(sample, out)
    assert result.returncode == 1, result.stderr
    assert "␛[2J␛]0;title␇\\x9b" in result.stderr  # the cell, shown
    assert "notes␛[2J␛]0;title␇.txt" in result.stderr  # the file name, shown
    findings = out / "findings"
    html = (findings / "validation.html").read_text("utf-8")
    table = (findings / "validation.csv").read_text("utf-8")
    log = (out / "cpreport.log").read_text("utf-8")
    assert "␛[2J␛]0;title␇" in html and "␛[2J␛]0;title␇" in table
    for where, text in (("stderr", result.stderr), ("stdout", result.stdout), ("validation.html", html),
                        ("validation.csv", table), ("cpreport.log", log)):
        assert not [c for c in RAW if c in text], where
    comments = [c.comment.text for row in openpyxl.load_workbook(findings / "displacement.csv.annotated.xlsx").active
                for c in row if c.comment]
    assert any("␛[2J" in text for text in comments)


def test_escape_codes_are_shown_in_the_findings_table_on_a_terminal(sample, tmp_path):
    import pty
    import select

    html_only(sample)
    escape_in_a_cell_and_a_file_name(sample)
    leader, follower = pty.openpty()
    process = start_cpreport("build", "--config", str(sample), "--out", str(tmp_path / "out"), cwd=sample.parent,
                             env={"COLUMNS": "200", "TERM": "xterm"}, stdin=subprocess.DEVNULL, stdout=follower,
                             stderr=follower, text=False)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the process ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait(60) == 1
    text = shown.decode("utf-8", "replace")
    assert "␛[2J" in text  # rich's table, with the cell shown
    assert "\x1b[2J" not in text and "\x1b]0;" not in text and "\a" not in text


def test_the_log_shows_control_characters_and_keeps_line_breaks(tmp_path):
    from cpreport.log import Progress, file_logger

    # In process: no message of a build holds a line break, and a traceback's must stay.
    logger = file_logger(tmp_path)
    try:
        Progress(logger, quiet=True, terminal=False).say(f"a file named x{ESCAPES}.csv\nand a second line")
    finally:
        for handler in list(logger.handlers):  # the logger is the process's: leave it as it was
            logger.removeHandler(handler)
            handler.close()
    log = (tmp_path / "cpreport.log").read_text("utf-8")
    assert "x␛[2J␛]0;title␇.csv\nand a second line" in log and "\x1b" not in log


# 7. Exit codes: Ctrl-C, a wait that is not a number of seconds, a log that cannot be written.

def test_ctrl_c_while_waiting_for_the_lock_exits_130_and_changes_nothing(sample, tmp_path):
    import signal

    from filelock import FileLock

    html_only(sample)
    out = tmp_path / "out"
    assert build(sample, out).returncode == 0
    # The log, and the memo of what each input hashed to, are cpreport's own bookkeeping, not a report.
    kept = lambda name: name not in ("cpreport.log", ".cpreport/digests.json")  # noqa: E731
    before = {name: content for name, content in files_under(out).items() if kept(name)}
    add_forum(sample)
    with FileLock(out / ".cpreport.lock"):  # another build, as far as this one can tell
        process = start_cpreport("build", "--config", str(sample), "--out", str(out), "--wait", "60",
                                 cwd=sample.parent)
        said = ""
        for line in process.stderr:
            said += line
            if "waiting up to 60 s" in line:
                break
        else:
            raise AssertionError(f"the build did not wait: {process.wait()} {said}")
        process.send_signal(signal.SIGINT)
        stdout, rest = process.communicate(timeout=60)
    assert process.returncode == 130, said + rest
    assert "Traceback" not in rest and "Aborted" not in rest
    assert rest.strip().splitlines() == ["Error: Interrupted (Ctrl-C): no report was changed; the last good one is "
                                         "left in place."]
    assert {name: content for name, content in files_under(out).items() if kept(name)} == before
    assert "interrupted (Ctrl-C)" in (out / "cpreport.log").read_text("utf-8")


def test_ctrl_c_after_the_new_report_is_in_place_says_so(sample, tmp_path):
    import signal

    html_only(sample)
    out = tmp_path / "out"
    process = start_cpreport("build", "--config", str(sample), "--out", str(out), cwd=sample.parent,
                             pause_at="swapped")
    process.send_signal(signal.SIGINT)  # pending while it is stopped, delivered as it goes on
    process.send_signal(signal.SIGCONT)
    _, rest = process.communicate(timeout=60)
    assert process.returncode == 130, rest
    assert "Traceback" not in rest
    assert "Interrupted (Ctrl-C) after the report for 2017-05 was put in place" in rest
    assert (out / "2017-05" / "report.html").is_file()


def test_a_wait_that_is_not_a_number_of_seconds_is_a_usage_error(sample, tmp_path):
    for wait in ("nan", "inf", "-inf", "-1", "soon"):
        result = build(sample, tmp_path / "out", f"--wait={wait}")
        assert result.returncode == 2, (wait, result.stderr)
        assert "Invalid value for '--wait'" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_log_that_cannot_be_written_is_said_once_and_the_build_goes_on(sample, tmp_path):
    html_only(sample)
    for name, make in (("a folder", lambda log: log.mkdir()), ("a full disk", lambda log: log.symlink_to("/dev/full"))):
        out = tmp_path / name
        out.mkdir()
        make(out / "cpreport.log")
        result = build(sample, out)
        assert result.returncode == 0, (name, result.stderr)
        assert (out / "2017-05" / "report.html").is_file()
        assert "Logging error" not in result.stderr and "Traceback" not in result.stderr
        assert result.stderr.count(f"the log {out / 'cpreport.log'} cannot be written") == 1, result.stderr


def test_a_folder_written_with_a_tilde_is_under_the_home_folder_as_in_a_shell(sample, tmp_path, monkeypatch):
    from cpreport.config import load_config
    from cpreport.errors import ConfigError

    home = tmp_path / "home"
    (home / "reports").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    assert load_config(sample, out="~/reports").out == home / "reports"
    assert not (sample.parent / "~").exists()
    try:
        load_config(sample, out="~")
    except ConfigError as error:
        assert f"'out' cannot be {home}:" in error.message
    else:
        raise AssertionError("an output folder of ~ (the home folder) was accepted")


def test_a_period_folder_a_build_did_not_make_is_not_replaced(sample, tmp_path):
    # out = "." beside a narrative in en.md: the month's own words go in ./2017-05/, which is also where the
    # report would go. The folder and what is in it stay; the build says why and stops.
    html_only(sample)
    out = tmp_path / "out"
    mine = out / "2017-05"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("my notes", "utf-8")
    (mine / "en.md").write_text("words", "utf-8")
    before = files_under(mine)
    result = build(sample, out)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "holds files a build did not write" in result.stderr
    assert files_under(mine) == before


def test_a_file_put_in_a_built_period_folder_stays_when_the_folder_is_built_again(sample, tmp_path):
    html_only(sample)
    out = tmp_path / "out"
    assert build(sample, out).returncode == 0
    (out / "2017-05" / "notes.txt").write_text("my notes", "utf-8")
    (out / "2017-05" / "drafts").mkdir()
    (out / "2017-05" / "drafts" / "letter.docx").write_bytes(b"letter")
    again = build(sample, out, "--force")
    assert again.returncode == 0, again.stderr
    assert (out / "2017-05" / "notes.txt").read_text("utf-8") == "my notes"
    assert (out / "2017-05" / "drafts" / "letter.docx").read_bytes() == b"letter"
    import json

    listed = json.loads((out / "2017-05" / ".manifest.json").read_text("utf-8"))["files"]
    assert "notes.txt" not in listed and "drafts/letter.docx" not in listed
    assert build(sample, out).stdout.startswith("Up to date")


def test_ctrl_c_while_workers_render_ends_the_build_and_them_with_one_line(sample, tmp_path):
    # A terminal's Ctrl-C goes to the whole process group, the workers too: the build alone says so, exits 130,
    # and its workers end with it; no worker prints a traceback of its own.
    import os
    import signal
    import time

    out = tmp_path / "out"
    process = start_cpreport("build", "--config", str(sample), "--out", str(out), "--all-periods", "--jobs", "2",
                             cwd=sample.parent, pause_at="render", start_new_session=True)
    process.send_signal(signal.SIGCONT)
    time.sleep(0.5)  # the workers starting (importing WeasyPrint) or rendering
    os.killpg(process.pid, signal.SIGINT)
    _, rest = process.communicate(timeout=120)
    assert process.returncode == 130, rest
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest, rest


@pytest.mark.parametrize("redirect", [">&-", "2>&-", "2>/dev/full", ">/dev/full"])
def test_a_terminal_stream_that_cannot_be_written_does_not_fail_a_build(sample, tmp_path, redirect):
    # Closed by whoever started it, or cron's log on a full disk: the report is built, exit 0, and the log says so.
    import shlex

    from conftest import cpreport_command, environment

    html_only(sample)
    out = tmp_path / "out"
    line = " ".join(shlex.quote(a) for a in cpreport_command("build", "--config", str(sample), "--out", str(out)))
    done = subprocess.run(["bash", "-c", f"{line} {redirect}"], capture_output=True, text=True, cwd=sample.parent,
                          env=environment(None))
    assert done.returncode == 0, (done.stdout, done.stderr)
    assert (out / "2017-05" / "report.html").is_file()
    assert "Built the report for 2017-05" in (out / "cpreport.log").read_text("utf-8")


def test_an_index_that_cannot_be_written_after_the_report_is_in_place_says_both(sample, tmp_path, monkeypatch):
    # The index written last, over a file made read-only: the period's report is in place already, and the error
    # says so, naming index.html rather than the temporary file beside it.
    import errno

    import cpreport.build as building
    from cpreport.config import load_config
    from cpreport.errors import EnvironmentProblem

    def refused(config, page):
        raise PermissionError(errno.EPERM, "Operation not permitted", str(config.out / ".index.html.x1y2"))

    monkeypatch.setattr(building, "write_index", refused)
    html_only(sample)
    with pytest.raises(EnvironmentProblem) as raised:
        building.build(load_config(sample, out=str(tmp_path / "out")))
    said = str(raised.value)
    assert "The report for 2017-05 is in place" in said and "index.html" in said and ".x1y2" not in said
    assert (tmp_path / "out" / "2017-05" / "report.html").is_file()


def test_an_index_html_a_build_did_not_write_is_not_replaced(sample, tmp_path):
    # `--out` given as an existing web folder: its own index.html stays, and the build stops before writing.
    html_only(sample)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>My site</h1>", "utf-8")
    result = build(sample, site)
    assert result.returncode == 3 and "was not written by a build" in result.stderr, result.stderr
    assert (site / "index.html").read_text("utf-8") == "<h1>My site</h1>" and not (site / "2017-05").exists()
    # An index a build wrote is its to replace, even with every period's folder gone.
    out = tmp_path / "out"
    assert build(sample, out).returncode == 0
    import shutil

    shutil.rmtree(out / "2017-05")
    assert build(sample, out).returncode == 0 and (out / "2017-05" / "report.html").is_file()


def test_a_terminal_that_cannot_show_arabic_does_not_fail_a_built_report(sample, tmp_path):
    html_only(sample)
    out = tmp_path / "out"
    done = build(sample, out, "--lang", "ar", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert (out / "2017-05" / "report.html").is_file()
