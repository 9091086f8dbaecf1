"""Figures on record: a published month restated by the sheets is a warning and a note of revisions marked (R); a
month signed off with `cpreport approve` stops a build that would change it; every publication keeps the figures it
replaced."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from cpreport.build import build
from cpreport.cli import main
from cpreport.config import load_config
from cpreport.errors import EXIT_APPROVED, EXIT_USAGE
from cpreport.messages import Saying

from conftest import pdf_text, run_cpreport

ACTIVITY = "ACT-1704-23"  # a conference in Diyala on 2 April 2017, 43 participants of whom 18 police


def _edit_attendance(config: Path, more: int) -> int:
    """Add `more` participants (all police, so that the groups still add up) to the April conference; its row."""
    book = openpyxl.load_workbook(config.parent / "activities.xlsx")
    for row in book.active.iter_rows(min_row=4):
        if row[0].value == ACTIVITY:
            row[8].value += more
            row[10].value += more
            book.save(config.parent / "activities.xlsx")
            return row[0].row
    raise AssertionError(f"{ACTIVITY} is not in the sample")


def _config(config: Path, period: str, formats: str = '["html"]', extra: str = ""):
    text = re.sub(r'^period = "\d{4}-\d{2}"', f'period = "{period}"', config.read_text("utf-8"), flags=re.M)
    if "formats" not in text:
        text = f"formats = {formats}\n" + text
    config.write_text(text + extra, "utf-8")
    return load_config(config, period=period)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _published(folder: Path, key: str) -> int:
    return json.loads((folder / "figures.json").read_text("utf-8"))["figures"][key]["value"]


def _halves(html: str) -> tuple[str, str]:
    english = html[html.index('id="release-en"'):html.index('id="release-ar"')]
    return english, html[html.index('id="release-ar"'):]


def test_a_past_row_edited_is_a_warning_naming_the_figure_both_values_and_the_row(sample):
    april = build(_config(sample, "2017-04")).folder
    published = _published(april, "participants.total")
    row = _edit_attendance(sample, 10)
    outcome = build(load_config(sample, period="2017-05"))
    warnings = [f for f in outcome.findings if f.code == "CP501"]
    assert {f.message_en.split(" ")[0] for f in warnings} == {"participants.total", "participants.police"}
    total = next(f for f in warnings if f.message_en.startswith("participants.total"))
    assert f"of April 2017 was published as {published:,} and the sheets now give {published + 10:,}" in total.message_en
    assert f"rows changed: row {row} of activities.xlsx (activities)" in total.message_en
    assert (total.file, total.row, total.severity) == ("activities.xlsx", row, "warning")
    assert "CP501" in (outcome.folder / "validation.csv").read_text("utf-8-sig")
    # May's "previous" column states April as the sheets give it now, marked, and its note says so.
    english, arabic = _halves((outcome.folder / "report.html").read_text("utf-8"))
    assert re.search(rf"<td>{published + 10:,} <bdi class=\"revised\">\(R\)</bdi></td></tr>",
                     english.split("Participants</th>")[1])
    assert "The figures of April 2017 below have been revised" in english
    assert "عُدّلت أرقام" in arabic and "(م)" in arabic and "(R)" not in arabic


def test_a_row_moved_into_a_published_month_restates_its_own_days_figures_though_its_totals_stand(sample):
    """A training dated 27 March moved to 1 April leaves April's totals to date as they were, but April's report
    said three trainings in the month, and the sheets now give four: a warning, and the month's column marked."""
    april = build(_config(sample, "2017-04")).folder
    in_april = _published(april, "activities.training.in_period")
    book = openpyxl.load_workbook(sample.parent / "activities.xlsx")
    moved = next(row for row in book.active.iter_rows(min_row=4) if row[0].value == "ACT-1703-22")
    assert moved[1].value == "دورة تدريبية" and str(moved[4].value).startswith("2017-03-27")
    moved[4].value = moved[4].value.replace(month=4, day=1)
    moved[5].value = moved[5].value.replace(month=4, day=3)  # its end date with it
    book.save(sample.parent / "activities.xlsx")
    outcome = build(load_config(sample, period="2017-05"))
    warned = {f.parameters["key"] for f in outcome.findings if f.code == "CP501" and f.parameters["period"] == "2017-04"}
    assert "activities.training.in_period" in warned and "activities.training" not in warned
    again = build(load_config(sample, period="2017-04")).folder
    english, arabic = _halves((again / "report.html").read_text("utf-8"))
    assert re.search(rf"<tr><th>Trainings</th><td>{in_april + 1} <bdi class=\"revised\">\(R\)</bdi></td>",
                     english), english.split("Trainings</th>")[1][:200]


def test_the_month_rebuilt_notes_its_revised_figures_in_both_halves_with_the_reason(sample):
    april = build(_config(sample, "2017-04", '["html", "pdf"]')).folder
    build(load_config(sample, period="2017-05", environ={"CPREPORT_FORMATS": "html"}))  # April was sent
    first = (april / "figures.json").read_bytes()
    published = _published(april, "participants.total")
    _edit_attendance(sample, 10)
    reason = '\n[revisions."2017-04"]\nreason = { en = "a late attendance sheet", ar = "ورقة حضور متأخرة" }\n'
    rebuilt = build(_config(sample, "2017-04", extra=reason)).folder
    english, arabic = _halves((rebuilt / "report.html").read_text("utf-8"))
    assert f"{published:,} as published, {published + 10:,} now" in english
    assert "Reason: a late attendance sheet." in english
    assert "٩٥٨ كما نُشر، و٩٦٨ الآن" in arabic and "السبب: ورقة حضور متأخرة." in arabic
    for half, mark in ((english, "(R)"), (arabic, "(م)")):
        # In the table of counts (participants to date and in the month; police are not in it) and in the note
        # (participants and police, each to date and in the month): marked in the half's own language.
        assert half.count(f'class="revised">{mark}</bdi>') == 2 + 4
    assert "(R)" not in arabic
    text = pdf_text(rebuilt / "report.pdf")
    assert "Revisions" in text and "التعديلات" in text and text.count("(R") >= 4
    # The publication replaced is kept: its figures, as sent.
    [kept] = (rebuilt / "history").iterdir()
    assert (kept / "figures.json").read_bytes() == first
    assert not (kept / "report.pdf").exists()
    # A later build of the month still notes the revision against what was sent.
    again = build(load_config(sample, period="2017-04"), force=True).folder
    assert "a late attendance sheet" in (again / "report.html").read_text("utf-8")
    assert len(list((again / "history").iterdir())) == 1  # the same figures replaced: nothing new to keep


def test_a_draft_built_again_is_not_called_revised_until_it_is_on_record(sample):
    """The month being written, built again as its sheets are put right, was never sent: its report calls
    nothing revised and keeps no history. Once the next month's report is built (or the month approved), it is
    on record, and a change after that is a revision."""
    april = build(_config(sample, "2017-04")).folder
    published = _published(april, "participants.total")
    _edit_attendance(sample, 10)
    draft = build(load_config(sample, period="2017-04"))
    assert [f.parameters["period"] for f in draft.findings if f.code == "CP501"] == ["2017-04"] * 2  # said
    html = (april / "report.html").read_text("utf-8")
    assert "Revisions" not in html and "(R)" not in html and not (april / "history").exists()
    assert _published(april, "participants.total") == published + 10
    build(load_config(sample, period="2017-05"))
    _edit_attendance(sample, 5)
    rebuilt = build(load_config(sample, period="2017-04")).folder
    english, _ = _halves((rebuilt / "report.html").read_text("utf-8"))
    assert f"{published + 10:,} as published, {published + 15:,} now" in english
    [kept] = (rebuilt / "history").iterdir()
    assert json.loads((kept / "figures.json").read_text("utf-8"))["figures"]["participants.total"]["value"] == \
        published + 10


def test_a_months_own_days_restated_with_its_totals_are_marked_and_noted_too(sample):
    """Ten more participants in a March training restate March's total to date and its own days' figure: one
    warning (the total), but the report marks and notes each figure it states otherwise than it was sent."""
    march = build(_config(sample, "2017-03")).folder
    build(load_config(sample, period="2017-04"))  # March was sent
    sent = _published(march, "participants.total.in_period")
    book = openpyxl.load_workbook(sample.parent / "activities.xlsx")
    row = next(row for row in book.active.iter_rows(min_row=4) if row[0].value == "ACT-1703-22")
    row[8].value += 10
    row[10].value += 10
    book.save(sample.parent / "activities.xlsx")
    again = build(load_config(sample, period="2017-03"))
    warned = {f.parameters["key"] for f in again.findings if f.code == "CP501" and f.parameters["period"] == "2017-03"}
    assert "participants.total" in warned and "participants.total.in_period" not in warned
    english, _ = _halves((again.folder / "report.html").read_text("utf-8"))
    assert re.search(rf"<tr><th>Participants</th><td>{sent + 10:,} <bdi class=\"revised\">\(R\)</bdi>",
                     english), english.split("Participants</th>")[1][:200]
    assert f"participants: in the period <bdi class=\"revised\">(R)</bdi>: {sent:,} as published, " \
           f"{sent + 10:,} now" in english


def test_a_build_without_restatements_has_no_note_and_no_history(sample):
    config = _config(sample, "2017-05")
    folder = build(config).folder
    again = build(config, force=True)
    assert not [f for f in again.findings if f.code == "CP501"]
    html = (folder / "report.html").read_text("utf-8")
    assert "Revisions" not in html and "(R)" not in html
    assert not (folder / "history").exists()


def _cpreport(*arguments: str, config: Path) -> subprocess.CompletedProcess:
    return run_cpreport(*arguments, "--config", str(config), cwd=config.parent)


def test_an_approved_month_stops_a_build_that_would_change_it_and_reopens_with_a_reason(sample):
    _config(sample, "2017-04")
    assert _cpreport("build", config=sample).returncode == 0
    approved = _cpreport("approve", "2017-04", "--by", "Layla Hassan", config=sample)
    assert approved.returncode == 0, approved.stderr
    april = sample.parent / "out" / "2017-04"
    approval = json.loads((april / "approval.json").read_text("utf-8"))
    assert approval["by"] == "Layla Hassan" and approval["period"] == "2017-04"
    for name, digest in approval["outputs"].items():
        assert hashlib.sha256((april / name).read_bytes()).hexdigest() == digest
    assert set(approval["outputs"]) >= {"report.html", "figures.json"}
    assert approval["inputs"]["data/activities.xlsx"] == hashlib.sha256(
        (sample.parent / "activities.xlsx").read_bytes()).hexdigest()
    english, arabic = _halves((april / "report.html").read_text("utf-8"))
    assert "Approved by Layla Hassan on" in arabic.split("</article>")[1]  # the footer, after both halves
    assert "اعتمده Layla Hassan في" in arabic
    index = (sample.parent / "out" / "index.html").read_text("utf-8")
    assert "Approved by Layla Hassan" in index
    # The day of the approval in words in both languages, Arabic-Indic digits in the Arabic line.
    arabic_line = re.search(r'<span lang="ar" dir="rtl">(اعتمده Layla Hassan في .*?)</span></span>', index).group(1)
    assert not re.search(r"[0-9]", re.sub(r"<[^>]+>", "", arabic_line).replace("Layla Hassan", ""))

    before = _files(april)
    published = _published(april, "participants.total")
    row = _edit_attendance(sample, 10)
    stopped = _cpreport("build", config=sample)
    assert stopped.returncode == EXIT_APPROVED == 7
    assert "Traceback" not in stopped.stderr
    assert f"participants.total: approved {published:,}, now {published + 10:,}" in stopped.stderr
    assert f"row {row} of activities.xlsx (activities)" in stopped.stderr
    # In Arabic: the words, the month's name and the figures in Arabic-Indic digits; the command as typed.
    arabic = _cpreport("build", "--lang", "ar", config=sample)
    assert arabic.returncode == EXIT_APPROVED
    say = Saying("ar")
    assert f"اعتمد Layla Hassan تقرير {say.period('2017-04')} في" in arabic.stderr
    assert f"participants.total: المعتمَد {say.number(published)}، والآن {say.number(published + 10)}" in arabic.stderr
    assert "cpreport build --period 2017-04 --reopen" in arabic.stderr
    assert "approved" not in arabic.stderr and "rows changed" not in arabic.stderr
    assert _files(april) == before

    # Figures unchanged (the row put back): the approved month is left as it is.
    _edit_attendance(sample, -10)
    left = _cpreport("build", config=sample)
    assert left.returncode == 0 and "left as it is" in left.stderr + left.stdout
    assert _files(april) == before

    _edit_attendance(sample, 10)
    assert _cpreport("build", "--reopen", config=sample).returncode == EXIT_USAGE  # a reason is required
    reopened = _cpreport("build", "--reopen", "--reason", "late attendance sheet from Diyala", config=sample)
    assert reopened.returncode == 0, reopened.stderr
    assert not (april / "approval.json").exists()
    assert "Approved by" not in (sample.parent / "out" / "index.html").read_text("utf-8")  # as the folder now is
    [kept] = (april / "history").iterdir()
    assert (kept / "approval.json").read_bytes() == before["approval.json"]
    assert (kept / "figures.json").read_bytes() == before["figures.json"]
    assert (kept / "report.html").read_bytes() == before["report.html"]
    assert json.loads((kept / "reopened.json").read_text("utf-8"))["reason"] == "late attendance sheet from Diyala"
    english, arabic = _halves((april / "report.html").read_text("utf-8"))
    assert f"{published:,} as published, {published + 10:,} now" in english
    assert "Reason: late attendance sheet from Diyala." in english
    assert "السبب: late attendance sheet from Diyala." in arabic
    assert _published(april, "participants.total") == published + 10


def test_approving_a_month_built_with_all_the_months_adds_the_approval_and_nothing_else(sample):
    """--all-periods builds April from its figures alone (the config's words are May's) and leaves out of its
    findings the rows dated after it: approving April publishes that report again, with its approval line."""
    _config(sample, "2017-05")
    assert _cpreport("build", "--all-periods", config=sample).returncode == 0
    april = sample.parent / "out" / "2017-04"
    before = {name: (april / name).read_text("utf-8") for name in ("report.html", "validation.csv")}
    approved = _cpreport("approve", "2017-04", "--by", "Layla Hassan", config=sample)
    assert approved.returncode == 0, approved.stderr
    after = (april / "report.html").read_text("utf-8")
    assert (april / "validation.csv").read_text("utf-8") == before["validation.csv"]
    added = [line for line in after.splitlines() if line not in before["report.html"].splitlines()]
    assert added and all("Layla Hassan" in line or "approval" in line.lower() for line in added), added
    assert json.loads((april / "figures.json").read_text("utf-8")).get("narrative") is None


def test_a_published_period_the_sheets_restate_keeps_every_build_from_being_up_to_date(sample):
    # A nightly build of May, beside a published first quarter: a March row edited is said once, and then not
    # again ("Up to date") while the quarter's report still said the old figures.
    _config(sample, "2017-05")
    assert _cpreport("build", "--period", "2017-Q1", config=sample).returncode == 0
    assert _cpreport("build", config=sample).returncode == 0
    book = openpyxl.load_workbook(sample.parent / "activities.xlsx")
    row = next(row for row in book.active.iter_rows(min_row=4) if row[0].value == "ACT-1703-22")
    row[8].value += 10
    row[10].value += 10
    book.save(sample.parent / "activities.xlsx")
    for night in (1, 2):
        said = _cpreport("build", config=sample)
        assert said.returncode == 0 and "Up to date" not in said.stdout, night
        assert "CP501" in said.stderr + said.stdout and "first quarter of 2017" in said.stderr + said.stdout, night
    assert _cpreport("build", "--period", "2017-Q1", config=sample).returncode == 0  # the quarter built again
    assert _cpreport("build", config=sample).returncode == 0
    assert "Up to date" in _cpreport("build", config=sample).stdout


def test_approve_needs_a_built_report_and_a_name(sample):
    config = _config(sample, "2017-04")
    runner = CliRunner()
    result = runner.invoke(main, ["approve", "2017-04", "--by", "Layla", "--config", str(sample)])
    assert result.exit_code == EXIT_USAGE and "There is no report for 2017-04" in result.output
    build(config)
    result = runner.invoke(main, ["approve", "--period", "2017-04", "--by", "  ", "--config", str(sample)])
    assert result.exit_code == EXIT_USAGE and "Say who approves" in result.output
    result = runner.invoke(main, ["approve", "--period", "2017-04", "--by", "Layla", "--config", str(sample)])
    assert result.exit_code == 0 and (config.out / "2017-04" / "approval.json").is_file()
    again = runner.invoke(main, ["approve", "2017-04", "--by", "Omar", "--config", str(sample)])
    assert again.exit_code == 0 and "already approved by Layla" in again.output




def test_approve_takes_its_period_once_and_names_how_it_was_given(sample):
    runner = CliRunner()
    both = runner.invoke(main, ["approve", "2017-04", "--period", "2017-03", "--by", "Layla", "--config", str(sample)])
    assert both.exit_code == EXIT_USAGE and "Give the period once: 2017-04, or --period 2017-03" in both.output
    assert not (sample.parent / "out" / "2017-03" / "approval.json").exists()
    wrong = runner.invoke(main, ["approve", "2017-13", "--by", "Layla", "--config", str(sample)])
    assert wrong.exit_code == EXIT_USAGE and "'2017-13' is not a period" in wrong.output
    assert "(given by PERIOD)" in wrong.output and "--period" not in wrong.output.split("is not a period")[1]


def test_approve_refuses_words_changed_since_the_report_was_built(sample):
    # Built, read, then the narrative edited: approving would publish words nobody read. Built again, it approves.
    config = _config(sample, "2017-04")
    build(config)
    before = (config.out / "2017-04" / "report.html").read_bytes()
    narrative = sample.parent / "narrative" / "en.md"
    narrative.write_text(narrative.read_text("utf-8") + "\nUNREAD words.\n", "utf-8")
    runner = CliRunner()
    refused = runner.invoke(main, ["approve", "2017-04", "--by", "Layla", "--config", str(sample)])
    assert refused.exit_code == EXIT_USAGE and "build it again" in refused.output, refused.output
    assert (config.out / "2017-04" / "report.html").read_bytes() == before
    assert not (config.out / "2017-04" / "approval.json").exists()
    # Words of another month's own, changed: not this report's.
    own = sample.parent / "narrative" / "2017-03"
    own.mkdir()
    (own / "en.md").write_text("March.\n", "utf-8")
    build(config)
    (own / "en.md").write_text("March, again.\n", "utf-8")
    approved = runner.invoke(main, ["approve", "2017-04", "--by", "Layla", "--config", str(sample)])
    assert approved.exit_code == 0, approved.output
    assert "UNREAD words" in (config.out / "2017-04" / "report.html").read_text("utf-8")


def test_a_month_left_mid_swap_by_a_killed_build_keeps_its_history(sample):
    # On a drive without a one-step exchange, a build killed between its two renames leaves the month's folder
    # moved aside. The next build puts it back before reading it: its history of revisions stays, never a "first
    # publication" that drops it.
    import os

    config = _config(sample, "2017-04")
    build(config)
    build(load_config(sample, period="2017-05"))  # April is on record once a later month is built
    _edit_attendance(sample, 10)
    build(config)
    folder = config.out / "2017-04"
    kept = _files(folder)
    assert any(name.startswith("history/") for name in kept)
    os.replace(folder, config.out / ".2017-04.old-999")
    result = CliRunner().invoke(main, ["build", "--config", str(sample), "--period", "2017-04"])
    assert result.exit_code == 0, result.output
    assert _files(folder) == kept
    assert not list(config.out.glob(".2017-04.*"))

def test_a_reason_for_a_month_that_is_not_one_is_a_config_error(sample):
    sample.write_text(sample.read_text("utf-8") + '\n[revisions."2017-13"]\nreason = "x"\n', "utf-8")
    result = CliRunner().invoke(main, ["validate", "--config", str(sample)])
    assert result.exit_code == EXIT_USAGE and "revisions.2017-13" in result.output


def test_a_month_published_without_row_digests_or_with_a_damaged_figures_file_is_still_compared(sample):
    april = build(_config(sample, "2017-04")).folder
    (april / ".rows.json").unlink()  # as an earlier cpreport published it
    may = build(load_config(sample, period="2017-05")).folder
    (may / "figures.json").write_text('{"figures": {"cpfs.total": {"value": "many", "sources": 3}, "x": []}}',
                                      "utf-8")
    _edit_attendance(sample, 10)
    result = CliRunner().invoke(main, ["build", "--config", str(sample), "--period", "2017-06"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "participants.total of April 2017 was published as 958 and the sheets now give 968" in said
    assert "rows changed: not known" in said
    assert "of 2017-05" not in said


def test_the_warning_says_the_rows_in_arabic_too(sample):
    build(_config(sample, "2017-04"))
    row = _edit_attendance(sample, 10)
    outcome = build(load_config(sample, period="2017-05"))
    total = next(f for f in outcome.findings if f.code == "CP501" and f.message_en.startswith("participants.total"))
    arabic_row = str(row).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert f"صفوف تغيّرت: الصف {arabic_row} من «activities.xlsx (activities)»" in total.message_ar
    assert total.message_ar.startswith("الرقم «participants.total» المنشور عن نيسان ٢٠١٧ كان ٩٥٨")
    assert "٩٥٨" in total.message_ar and "٩٦٨" in total.message_ar


def test_a_published_quarter_whose_figures_the_sheets_restate_is_a_warning_and_the_project_is_not(sample):
    quarter = build(_config(sample, "2017-Q2")).folder
    project = build(load_config(sample, period="project")).folder
    assert quarter.name == "2017-Q2" and project.name == "project"
    published = _published(quarter, "participants.total")
    _edit_attendance(sample, 10)  # an April row: inside the second quarter
    outcome = build(load_config(sample, period="2017-05"))
    said = [f.message_en for f in outcome.findings if f.code == "CP501"]
    assert any(s.startswith("participants.total of the second quarter of 2017 ") for s in said), said
    # The project's period grows every month: never compared.
    assert not any(" of the life of the project " in s or " of project " in s for s in said)
    total = next(s for s in said if s.startswith("participants.total of the second quarter of 2017 "))
    assert f"published as {published:,} and the sheets now give {published + 10:,}" in total


def test_numbers_a_sent_report_showed_besides_its_figures_are_kept_and_said_when_they_change(sample):
    # A forum moved from Anbar to Baghdad changes no counted figure of April, but its map and tables by
    # governorate: the report as sent is kept in its history, and the change is said (CP503).
    april = _config(sample, "2017-04")
    build(april)
    build(_config(sample, "2017-05"))  # April is sent: a later report is built
    sent = (april.out / "2017-04" / "report.html").read_bytes()
    book = openpyxl.load_workbook(sample.parent / "cpfs.xlsx")
    sheet = book.active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[3].value == "Anbar")
    row[3].value = "Baghdad"
    book.save(sample.parent / "cpfs.xlsx")
    outcome = build(_config(sample, "2017-04"))
    [said] = [f for f in outcome.findings if f.code == "CP503"]
    assert said.parameters["parts"] == ["tables"] and "in its tables, charts and map than" in said.message_en
    kept = april.out / said.parameters["kept"]
    assert kept.read_bytes() == sent
    assert (april.out / "2017-04" / "report.html").read_bytes() != sent
    assert not [f for f in outcome.findings if f.code == "CP501"]  # no counted figure changed


def test_a_share_a_sent_report_stated_is_kept_and_said_when_it_changes(sample):
    # A women's cell that said 0 cleared (not recorded): no count changes, the share of women does.
    def women_of_the_last_april_activity(value):
        book = openpyxl.load_workbook(sample.parent / "activities.xlsx")
        sheet = book.active
        header = [c.value for c in sheet[3]]
        row = [r for r in sheet.iter_rows(min_row=4) if str(r[0].value).startswith("ACT-1704")][-1]
        row[header.index("الإناث")].value = value
        book.save(sample.parent / "activities.xlsx")

    women_of_the_last_april_activity(0)
    april = _config(sample, "2017-04")
    build(april)
    build(_config(sample, "2017-05"))
    women_of_the_last_april_activity(None)
    outcome = build(_config(sample, "2017-04"))
    said = [f for f in outcome.findings if f.code == "CP503"]
    assert said and "shares" in said[0].parameters["parts"], [f.code for f in outcome.findings]
    assert "in its shares and its tables" in said[0].message_en and "نسبه" in said[0].message("ar")


def test_an_approved_month_whose_map_the_sheets_now_give_otherwise_stops_the_build(sample):
    # Its counted figures stand, its tables and map do not: it was "approved and its figures have not changed".
    config = _config(sample, "2017-04")
    build(config)
    runner = CliRunner()
    assert runner.invoke(main, ["approve", "2017-04", "--by", "Layla", "--config", str(sample)]).exit_code == 0
    before = _files(config.out / "2017-04")
    book = openpyxl.load_workbook(sample.parent / "cpfs.xlsx")
    row = next(r for r in book.active.iter_rows(min_row=2) if r[3].value == "Anbar")
    row[3].value = "Baghdad"
    book.save(sample.parent / "cpfs.xlsx")
    result = runner.invoke(main, ["build", "--config", str(sample), "--period", "2017-04"])
    assert result.exit_code == EXIT_APPROVED, result.output
    assert "other numbers in it, though not in its counted figures" in result.output
    assert "its tables, charts and map" in result.output and "--reopen" in result.output
    assert _files(config.out / "2017-04") == before


def test_every_sent_month_whose_map_changed_is_said_by_a_build_of_every_month(sample):
    # With --all-periods each month is checked with findings of its own: what publishing finds is still said.
    _config(sample, "2017-05")
    runner = CliRunner()
    assert runner.invoke(main, ["build", "--config", str(sample), "--all-periods"]).exit_code == 0
    book = openpyxl.load_workbook(sample.parent / "cpfs.xlsx")
    row = next(r for r in book.active.iter_rows(min_row=2) if r[3].value == "Anbar")
    row[3].value = "Baghdad"
    book.save(sample.parent / "cpfs.xlsx")
    result = runner.invoke(main, ["build", "--config", str(sample), "--all-periods"])
    said = [line for line in result.output.splitlines() if "CP503" in line]
    assert len(said) >= 2 and any("April 2017" in line for line in said), result.output


def test_a_month_opened_again_for_its_map_alone_says_so_and_why(sample):
    config = _config(sample, "2017-04")
    build(config)
    runner = CliRunner()
    assert runner.invoke(main, ["approve", "2017-04", "--by", "Layla", "--config", str(sample)]).exit_code == 0
    book = openpyxl.load_workbook(sample.parent / "cpfs.xlsx")
    row = next(r for r in book.active.iter_rows(min_row=2) if r[3].value == "Anbar")
    row[3].value = "Baghdad"
    book.save(sample.parent / "cpfs.xlsx")
    result = runner.invoke(main, ["build", "--config", str(sample), "--period", "2017-04", "--reopen", "--reason",
                                  "a forum was in the wrong governorate"])
    assert result.exit_code == 0, result.output
    html = (config.out / "2017-04" / "report.html").read_text("utf-8")
    assert "was opened again after its approval" in html and "a forum was in the wrong governorate" in html
    assert "فُتح تقرير" in html
    again = runner.invoke(main, ["build", "--config", str(sample), "--period", "2017-04", "--force"])
    assert again.exit_code == 0 and "a forum was in the wrong governorate" in \
        (config.out / "2017-04" / "report.html").read_text("utf-8")  # said by every later build too
