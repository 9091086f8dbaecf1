"""The command line itself: light to start, documented, and honest about the machine (doctor)."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from cpreport import load

from conftest import ROOT, SAMPLE, documentation, environment, invoke
from cpreport.cli import main


def test_importing_the_command_line_imports_neither_pandas_nor_weasyprint():
    probe = "import sys, cpreport.cli; print(sorted(m for m in ('pandas', 'weasyprint', 'jinja2', 'openpyxl') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_help_gives_the_exit_codes_and_every_command_is_in_the_docs():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    said = " ".join(result.output.split())
    assert ("Exit codes: 0 built or up to date, 1 errors in the sheets, 2 usage or config error, 3 environment "
            "problem (no Arabic font, no Pango, output folder not writable), 4 another build holds the output folder, 5 the English and Arabic "
            "halves state different figures, 6 an unexpected failure (the log has the details), 7 an approved period's "
            "figures would change (nothing written; --reopen --reason opens it again), 130 stopped with "
            "Ctrl-C.") in said
    readme = documentation()
    for name, command in main.commands.items():
        assert command.help, name
        assert f"`cpreport {name}" in readme, name
    build_help = CliRunner().invoke(main, ["build", "--help"]).output
    for option in ("--period", "--all-periods", "--force", "--wait", "--quiet", "--strict", "--out", "--reopen",
                   "--reason"):
        assert option in build_help and option in readme


def test_the_manifest_sees_the_files_the_loader_reads(tmp_path):
    from cpreport.datafolder import sheet_files

    for relative in ("cpfs.xlsx", "ninewa/activities.csv", "a/b/c/displacement.ods", "a/b/c/d/deep.csv",
                     ".hidden/cpfs.xlsx", "out/2017-05/cpfs.xlsx", "~$cpfs.xlsx", "notes.docx"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(b"x")
    read = [p.relative_to(tmp_path).as_posix() for p in sheet_files(tmp_path, [tmp_path / "out"])]
    assert read == ["a/b/c/displacement.ods", "cpfs.xlsx", "ninewa/activities.csv"]
    assert all(p.suffix in load.SPREADSHEETS for p in sheet_files(tmp_path))


def test_doctor_finds_everything_in_place_for_the_sample(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = invoke("doctor", "--config", "sample_data/cpreport.toml")
    assert result.exit_code == 0, result.output
    for check in ("Python packages", "WeasyPrint and Pango", "Arabic font: Amiri", "Config", "Data folder",
                  "Output folder"):
        assert re.search(rf"^  ok   {check}", result.output, re.M), check
    assert result.output.rstrip().endswith("Everything cpreport needs is in place.")


def test_doctor_says_what_to_fix_and_exits_with_3(tmp_path, monkeypatch):
    (tmp_path / "cpreport.toml").write_text('out = "reports"\n', "utf-8")
    (tmp_path / "reports").write_text("a file where the output folder should be")
    monkeypatch.chdir(tmp_path)
    result = invoke("doctor")
    assert result.exit_code == 3
    assert f"FIX  Data folder: {tmp_path} holds no sheets" in result.output
    assert "`cpreport init` makes blank ones" in result.output
    assert f"FIX  Output folder: {tmp_path / 'reports'} is not writable" in result.output
    assert "2 things to fix" in result.output


def test_figures_are_printed_from_sheets_that_lack_their_date_column(tmp_path, cpreport_process):
    # A sheet without its date column is an error in the sheets (exit 1, CP101), not a failure of the tool (6):
    # the figures it can give are still printed.
    data = tmp_path / "data"
    data.mkdir()
    (data / "cpfs.csv").write_text("cpf_id,name_en,governorate,established_by\nCPF-1,Forum,Ninewa,IOM\n", "utf-8")
    (data / "activities.csv").write_text("activity_id,type,governorate,participants\nACT-1,training,Ninewa,20\n",
                                         "utf-8")
    result = cpreport_process.run("figures", "--data", str(data), "--period", "2017-05", "--json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "CP101" in result.stdout + result.stderr and "Traceback" not in result.stderr
    figures = json.loads(result.stdout[:result.stdout.rindex("}") + 1])["figures"]
    assert figures["cpfs.total"]["value"] == 0 and figures["activities.total"]["value"] == 0


@pytest.mark.parametrize("command", [["figures"], ["explain"], ["explain", "cpfs.total"]])
def test_output_read_in_part_by_the_next_command_of_a_pipeline_ends_quietly(command):
    # `cpreport figures | head -1`: the reader stops after a line; the rest goes nowhere, with no "did not
    # foresee" and no exit 6.
    import shlex

    from conftest import cpreport_command

    line = " ".join(shlex.quote(a) for a in cpreport_command(*command, "--config", str(SAMPLE / "cpreport.toml")))
    done = subprocess.run(["bash", "-c", f"{line} | head -1; exit ${{PIPESTATUS[0]}}"], capture_output=True,
                          text=True, env=environment(None))
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 1 and "foresee" not in done.stderr and "Traceback" not in done.stderr
