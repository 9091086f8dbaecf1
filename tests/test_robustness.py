"""Files as editors save them and templates as users break them: a clear message and exit code, never a traceback."""
from __future__ import annotations

import codecs
import json
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_cpreport
from cpreport.config import load_config

pytestmark = pytest.mark.process


def use_templates(config: Path) -> None:
    """Point the config at its templates folder (a top-level key goes before the first table)."""
    config.write_text('templates = "templates"\n' + config.read_text("utf-8"), "utf-8")


def build(config: Path, *args: str) -> subprocess.CompletedProcess:
    return run_cpreport("build", "--config", str(config), *args, cwd=config.parent)


def test_a_config_and_narrative_saved_with_a_bom_or_in_windows_1256_are_read(sample, tmp_path):
    sample.write_bytes(codecs.BOM_UTF8 + sample.read_bytes())
    narrative = sample.parent / "narrative" / "ar.md"
    narrative.write_bytes(narrative.read_text("utf-8").encode("cp1256", errors="replace"))
    english = sample.parent / "narrative" / "en.md"
    english.write_bytes(codecs.BOM_UTF8 + english.read_bytes())
    result = build(sample, "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "2017-05" / "report.html").read_text("utf-8")
    assert "[[forums]]" not in html and "\ufeff" not in html
    assert "اجتمع رئيس بعثة المنظمة الدولية للهجرة" in html


def test_a_config_and_narrative_saved_in_utf16_without_a_bom_are_read(sample):
    # As some Windows tools save "Unicode" text: UTF-16 with no byte-order mark. The sheets' decoder reads it,
    # and the config and the narratives go through the same one.
    from cpreport.narrative import read_text

    original = load_config(sample, environ={})
    sample.write_bytes(sample.read_text("utf-8").encode("utf-16-le"))
    narrative = sample.parent / "narrative" / "ar.md"
    words = narrative.read_text("utf-8")
    narrative.write_bytes(words.encode("utf-16-be"))
    again = load_config(sample, environ={})
    assert (again.period, again.scopes, again.narrative) == (original.period, original.scopes, original.narrative)
    assert read_text(narrative) == words


def test_a_broken_override_of_any_template_is_a_config_error(sample, tmp_path):
    templates = sample.parent / "templates"
    templates.mkdir()
    use_templates(sample)
    for name in ("index.html", "validation.html", "report.html"):
        (templates / name).write_text("{% if %}broken{% endif %}", "utf-8")
        result = build(sample, "--out", str(tmp_path / name), "--force")
        assert result.returncode == 2, (name, result.stderr)
        assert "the template cannot be rendered" in result.stderr and "Traceback" not in result.stderr
        (templates / name).unlink()


def test_an_unforeseen_failure_is_one_line_exit_6_and_a_traceback_in_the_log(sample, tmp_path):
    # A bug planted in the build from outside the package (tests/unforeseen_run.py): one line, exit 6, and the
    # traceback in the log.
    import subprocess
    import sys

    from conftest import environment

    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "unforeseen_run.py"), "build", "--config",
                             str(sample), "--out", str(out)], capture_output=True, text=True, env=environment(None))
    assert result.returncode == 6, result.stderr
    assert "Traceback" not in result.stderr
    assert "RuntimeError: a planted bug" in result.stderr and str(out / "cpreport.log") in result.stderr
    assert "Traceback" in (out / "cpreport.log").read_text("utf-8")


def test_an_override_that_divides_by_zero_is_a_template_error(sample, tmp_path):
    templates = sample.parent / "templates"
    templates.mkdir()
    (templates / "release.html").write_text("{{ 1 // 0 }}", "utf-8")
    use_templates(sample)
    result = build(sample, "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "the template cannot be rendered" in result.stderr and "ZeroDivisionError" in result.stderr


def test_a_users_style_sheet_replaces_the_built_in_one(sample, tmp_path):
    templates = sample.parent / "templates"
    templates.mkdir()
    (templates / "style.css").write_text("body { color: #123456; }", "utf-8")
    use_templates(sample)
    assert build(sample, "--out", str(tmp_path / "out")).returncode == 0
    html = (tmp_path / "out" / "2017-05" / "report.html").read_text("utf-8")
    assert "color: #123456" in html


def test_a_scope_key_is_matched_as_the_sheet_column_is(sample, tmp_path):
    text = sample.read_text("utf-8").replace("[scopes.mosul_operations]", '[scopes."Mosul operations"]')
    sample.write_text(text, "utf-8")
    config = load_config(sample)
    assert "mosul_operations" in config.scopes
    assert build(sample, "--out", str(tmp_path / "out")).returncode == 0
    html = (tmp_path / "out" / "2017-05" / "report.html").read_text("utf-8")
    assert "Now more than six months into the Mosul military operations" in html


def test_a_month_outside_the_years_of_the_programme_is_a_usage_error(sample):
    result = build(sample, "--period", "0000-01")
    assert result.returncode == 2 and "is not a period" in result.stderr and "Traceback" not in result.stderr


def test_figures_json_keeps_its_keys_when_a_column_is_not_given(sample, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(sample.parent / "activities.xlsx")
    sheet = book.active
    sheet.delete_cols(10)  # the female column
    book.save(sample.parent / "activities.xlsx")
    assert build(sample, "--out", str(tmp_path / "out")).returncode == 0
    figures = json.loads((tmp_path / "out" / "2017-05" / "figures.json").read_text("utf-8"))["figures"]
    assert figures["participants.female"]["value"] == 0 and figures["participants.female"]["sources"] == []
