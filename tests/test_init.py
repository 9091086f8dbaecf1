"""`cpreport init`: a project a new user can build at once, with workbooks that help them fill them in."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import tomllib
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cpreport
from cpreport.contract import TABLES

def cpreport(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run_cpreport(*args, cwd=cwd)


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    result = cpreport("init", str(folder), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return folder


def test_init_then_build_gives_an_empty_report_that_says_so(project):
    result = cpreport("build", "--period", "2017-05", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("WARNING CP005") == 3  # three sheets with a header and no rows
    html = (project / "out" / "2017-05" / "report.html").read_text("utf-8")
    assert "The sheets hold no forums, activities or displacement figures yet" in html
    assert "لا تحتوي الجداول بعد على أي منتدى أو نشاط أو أرقام للنزوح" in html
    assert (project / "out" / "2017-05" / "report.pdf").read_bytes().startswith(b"%PDF")
    # The example template overrides the built-in report.html.
    assert "border-bottom: 2px solid #0b3a6e" in html


def test_the_workbooks_have_bilingual_headers_drop_downs_frozen_rows_and_fitting_widths(project):
    for name, table in TABLES.items():
        book = openpyxl.load_workbook(project / f"{name}.xlsx")
        sheet = book[name]
        assert book["lists"].sheet_state == "hidden"
        header = [c.value for c in sheet[1]]
        assert header == [f"{c.name}\n{c.label_ar}" for c in table.columns]
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row == 1  # typing (or appending) starts right under the header
        for position, column in enumerate(table.columns, 1):
            width = sheet.column_dimensions[openpyxl.utils.get_column_letter(position)].width
            assert width >= max(len(column.name), len(column.label_ar))
        lists = {}
        for check in sheet.data_validations.dataValidation:
            if check.type == "list":
                letter = re.search(r"\$([A-Z]+)\$2:", check.formula1)[1]
                values = [c.value for c in book["lists"][letter][1:] if c.value]
                lists[str(check.sqref).split(":")[0]] = values
        if name == "cpfs":
            governorates = lists["D2"]
            assert len(governorates) == 36 and "Ninewa" in governorates and "نينوى" in governorates
            assert set(lists["F2"]) == {"iom", "police", "المنظمة الدولية للهجرة", "الشرطة المحلية"}
            assert set(lists["H2"]) == {"active", "inactive", "فعال", "غير فعال"}
        if name == "activities":
            assert {"training", "conference", "workshop", "دورة تدريبية", "مؤتمر", "ورشة عمل"} == set(lists["B2"])


def test_the_config_is_valid_commented_and_the_readme_has_a_cron_line(project):
    text = (project / "cpreport.toml").read_text("utf-8")
    assert tomllib.loads(text)["narrative"] == {"en": "narrative/en.md", "ar": "narrative/ar.md"}
    assert text.count("#") > 10
    for language in ("en", "ar"):
        narrative = (project / "narrative" / f"{language}.md").read_text("utf-8")
        assert all(f"[[{marker}]]" in narrative for marker in ("forums", "activities", "displacement"))
    readme = (project / "README.md").read_text("utf-8")
    cron = next(line.strip() for line in readme.splitlines() if re.match(r"\s+15 2 \* \* \* ", line))
    assert f"cd {project} && " in cron and cron.endswith("build --quiet --wait 600")


def test_init_keeps_what_is_there(project):
    (project / "cpreport.toml").write_text('headline = { en = "Mine", ar = "لي" }\n', "utf-8")
    result = cpreport("init", str(project), cwd=project)
    assert result.returncode == 0
    assert f"kept  {project / 'cpreport.toml'} (already there)" in result.stdout
    assert (project / "cpreport.toml").read_text("utf-8").startswith('headline = { en = "Mine"')


def test_filled_in_the_workbooks_give_the_figures(project):
    book = openpyxl.load_workbook(project / "cpfs.xlsx")
    sheet = book["cpfs"]
    sheet.append(["CPF-NIN-001", "Qayara Forum", "منتدى القيارة", "نينوى", "Qayara", "المنظمة الدولية للهجرة",
                  dt.datetime(2017, 4, 3), "فعال"])
    sheet.append(["CPF-BAG-001", "Karkh Forum", "منتدى الكرخ", "Baghdad", "Karkh", "police", dt.datetime(2017, 5, 9), "active"])
    book.save(project / "cpfs.xlsx")
    book = openpyxl.load_workbook(project / "activities.xlsx")
    book["activities"].append(["ACT-1", "ورشة عمل", "Workshop on trust", "ورشة عن الثقة", dt.datetime(2017, 5, 10), None,
                               "Baghdad", "CPF-BAG-001", 25, 10, 10, 15, None, None, None])
    book.save(project / "activities.xlsx")
    book = openpyxl.load_workbook(project / "displacement.xlsx")
    book["displacement"].append([dt.datetime(2017, 5, 2), "national", "displaced_current", None, 3042288])
    book.save(project / "displacement.xlsx")

    result = cpreport("build", "--period", "2017-05", cwd=project)
    assert result.returncode == 0, result.stderr
    figures = json.loads((project / "out" / "2017-05" / "figures.json").read_text("utf-8"))["figures"]
    values = {key: figures[key]["value"] for key in ("cpfs.total", "cpfs.total.change", "cpfs.iom", "cpfs.police",
                                                     "activities.workshop.in_period", "participants.total")}
    assert values == {"cpfs.total": 2, "cpfs.total.change": 1, "cpfs.iom": 1, "cpfs.police": 1,
                      "activities.workshop.in_period": 1, "participants.total": 25}
    assert figures["cpfs.total"]["sources"] == [{"file": "cpfs.xlsx", "sheet": "cpfs", "rows": "2-3"}]
    text = " ".join(re.sub(r"<[^>]+>", "", (project / "out" / "2017-05" / "report.html").read_text("utf-8")).split())
    assert ("In May 2017, one new CPF was established, bringing the total to two, and one workshop was held, with "
            "25 participants, of whom 40% women.") in text
    assert ("وفي أيار عام ٢٠١٧، تم إنشاء منتدى واحد للشرطة المجتمعية، ليصل مجموع المنتديات إلى اثنين، "
            "وتم تنظيم ورشة عمل واحدة بمشاركة ٢٥ شخصاً، ٤٠٪ منهم من النساء.") in text


def test_the_configs_commented_mappings_are_valid_once_uncommented(project):
    text = (project / "cpreport.toml").read_text("utf-8")
    start = text.index("# [sections]")
    # The example's lines of TOML, uncommented; its lines of prose stay comments.
    block = "\n".join(line[2:] if line.startswith(("# [", '# "')) or re.match(r"# \w+ = ", line) else line
                      for line in text[start:].splitlines())
    (project / "cpreport.toml").write_text(text[:start] + block + "\n", "utf-8")
    from cpreport.config import load_config

    config = load_config(project / "cpreport.toml")
    assert config.intake.columns["activities"]["participants"] == ("Total number of participants",)
    assert config.intake.values["activities"]["type"] == {"awareness_session": "workshop", "جلسه_توعيه": "workshop"}
    assert config.intake.options("Anbar/Activities.csv").delimiter == ";"
    assert config.sections.displacement is True and config.sections.pictures is True


def test_init_into_a_project_adds_no_second_form_of_a_table_nor_an_unnamed_templates_folder(tmp_path):
    # A project with displacement.csv and its own config: no blank displacement.xlsx beside the CSV (a second,
    # empty part of the table, said in every build), no templates folder its config does not name.
    import shutil

    from click.testing import CliRunner

    from cpreport.cli import main
    from conftest import SAMPLE

    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("out"))
    result = CliRunner().invoke(main, ["init", str(project)])
    assert result.exit_code == 0, result.output
    assert not (project / "displacement.xlsx").exists() and not (project / "templates").exists()
    assert "displacement.csv (already there)" in result.output
