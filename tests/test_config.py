"""The config file: every problem found at once, each said so that it can be fixed; the environment over the file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import SAMPLE, invoke
from cpreport.config import Period, load_config
from cpreport.errors import ConfigError


def problems(tmp_path: Path, text: str, **options) -> list[str]:
    path = tmp_path / "cpreport.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path, environ=options.pop("environ", {}), **options)
    return [str(problem) for problem in raised.value.problems]  # each in English


@pytest.mark.parametrize("text, expected", [
    ('headlin = "Report"', "unknown key 'headlin'; did you mean 'headline'?"),
    ('colour = "red"', "unknown key 'colour'; did you mean 'columns'?"),
    ("donor = 3", "'donor' must be a table with 'en' and 'ar' texts, e.g. donor = { en = \"…\", ar = \"…\" }"),
    ('donor = { en = "Germany", fr = "Allemagne" }', "'donor.fr' is not a language; use 'en' and 'ar'"),
    ('donor = { en = "Germany", ar = 5 }', "'donor.ar' must be text"),
    ("out = 5", "'out' must be a folder path, as text"),
    ('formats = ["html", "odt"]', "'formats' must be a list drawn from 'html', 'pdf', 'docx', 'xlsx', not 'odt'"),
    ('pdf_variant = "pdf/a-1b"', "'pdf_variant' must be one of 'pdf/a-3a', 'pdf/ua-1', 'pdf/a-3b', 'none', not 'pdf/a-1b'"),
    ("languages = []", "'languages' must be a list drawn from 'en', 'ar', not []"),
    ('period = 2017-05-01', "'period' must be text such as \"2017-05\" or \"2017-Q2\" (in quotes), not '2017-05-01'"),
    ('languages = ["en", "en"]', "'languages' names a value twice: 'en'"),
    ('period = "2017-13"', "'period': '2017-13' is not a period; write YYYY-MM (a month), YYYY-Qn (a quarter), YYYY-Hn (a half-year), YYYY (a year) or 'project', e.g. 2017-05 or 2017-Q2"),
    ('digits = "hindi"', "'digits' must be 'arabic' or 'western', not 'hindi'"),
    ("[scopes.national]\nsince = 2014", "'scopes.national.since' must be a date such as 2016-10-17, not '2014'"),
    ('[scopes.national]\nlable = "x"', "unknown key 'scopes.national.lable'; did you mean 'scopes.national.label'?"),
    ("scopes = 3", "'scopes' must be a table of scopes, e.g. [scopes.national]"),
    ('[[highlights]]\ntext = "Qayara"', "highlight 1 needs a 'district'"),
    ('[[highlights]]\ndistrict = "***"', "highlight 1: '***' names no district; write its name, e.g. \"Qayara\""),
    ('[[highlights]]\ndistrict = "Qayara"\n[[highlights]]\ndistrict = " qayara "',
     "highlight 2: ' qayara ' is highlighted already"),
])
def test_each_problem_is_said_so_that_it_can_be_fixed(tmp_path, text, expected):
    assert problems(tmp_path, text) == [expected]


def test_missing_folders_and_files_are_named_with_their_full_path(tmp_path):
    found = problems(tmp_path, 'data = "sheets"\ntemplates = "mine"\nnarrative = { en = "en.md", ar = "ar.md" }\n')
    assert found == [f"'data': the folder {tmp_path / 'sheets'} does not exist",
                     f"'templates': the folder {tmp_path / 'mine'} does not exist",
                     f"'narrative.en': the file {tmp_path / 'en.md'} does not exist",
                     f"'narrative.ar': the file {tmp_path / 'ar.md'} does not exist"]


def test_a_file_that_is_not_toml_is_one_problem_with_its_line(tmp_path):
    assert problems(tmp_path, 'headline = "unclosed\n')[0].startswith("the file is not valid TOML: ")
    assert "line 1" in problems(tmp_path, 'headline = "unclosed\n')[0]


def test_a_config_file_named_but_missing(tmp_path):
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "nowhere.toml", environ={})
    assert list(map(str, raised.value.problems)) == [f"the config file {tmp_path / 'nowhere.toml'} does not exist "
                                     "(run `cpreport init` to make one)"]


def test_the_environment_is_checked_like_the_file(tmp_path):
    assert problems(tmp_path, "", environ={"CPREPORT_PERIOD": "May"}) == [
        "'period': 'May' is not a period; write YYYY-MM (a month), YYYY-Qn (a quarter), YYYY-Hn (a half-year), YYYY (a year) or 'project', e.g. 2017-05 or 2017-Q2 (given by CPREPORT_PERIOD)"]
    assert problems(tmp_path, "", environ={"CPREPORT_FORMATS": "html,odt"}) == [
        "'formats' must be a list drawn from 'html', 'pdf', 'docx', 'xlsx', not 'odt' (given by CPREPORT_FORMATS)"]


def test_the_environment_overrides_the_file_and_options_override_both(tmp_path, monkeypatch):
    path = tmp_path / "cpreport.toml"
    path.write_text('period = "2017-05"\nout = "reports"\nformats = ["html", "pdf"]\n', "utf-8")
    elsewhere = tmp_path / "cron"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    environ = {"CPREPORT_PERIOD": "2017-04", "CPREPORT_OUT": "night", "CPREPORT_FORMATS": "html"}
    config = load_config(path, environ=environ)
    assert (config.period, config.out, config.formats) == (Period(2017, 4), elsewhere / "night", ("html",))
    config = load_config(path, environ=environ, period="2017-03")
    assert config.period == Period(2017, 3)
    assert load_config(path, environ={}).out == tmp_path / "reports"  # file paths: beside the file


def test_the_default_period_is_the_last_full_month(tmp_path):
    (tmp_path / "cpreport.toml").write_text("", "utf-8")
    config = load_config(tmp_path / "cpreport.toml", environ={}, today=dt.date(2018, 1, 15))
    assert config.period == Period(2017, 12)
    assert (config.period.start, config.period.end, config.period.previous()) == (
        dt.date(2017, 12, 1), dt.date(2017, 12, 31), Period(2017, 11))


def test_every_problem_is_listed_at_once_and_the_command_exits_with_2(tmp_path, monkeypatch):
    (tmp_path / "cpreport.toml").write_text('headlin = "x"\ndigits = "hindi"\ndata = "sheets"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke("build")
    assert result.exit_code == 2
    assert f"The configuration has 3 problems in {tmp_path / 'cpreport.toml'}:" in result.output
    for line in ("  - unknown key 'headlin'; did you mean 'headline'?",
                 "  - 'digits' must be 'arabic' or 'western', not 'hindi'",
                 f"  - 'data': the folder {tmp_path / 'sheets'} does not exist"):
        assert line in result.output.splitlines()


def test_the_sample_config_has_no_problem():
    config = load_config(SAMPLE / "cpreport.toml", environ={})
    assert config.period == Period(2017, 5)
    assert set(config.scopes) == {"national", "mosul_operations"}
    assert config.scopes["national"].heading("en") == "National"
    assert config.scopes["mosul_operations"].heading("ar") == "عمليات الموصل"


def test_a_problem_from_an_option_or_the_environment_names_it_not_the_file(tmp_path):
    (tmp_path / "cpreport.toml").write_text('period = "2017-05"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "cpreport.toml", period="2017-13", environ={"CPREPORT_DIGITS": "latin"})
    message = raised.value.format_message()
    assert "(given by --period)" in message and "(given by CPREPORT_DIGITS)" in message
    assert str(tmp_path / "cpreport.toml") not in message


def test_no_config_file_here_and_no_data_folder_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("build")
    assert result.exit_code == 2
    assert "there is no cpreport.toml in" in result.output and "cpreport init" in result.output
    assert list(tmp_path.iterdir()) == []  # nothing made in a folder that is not a project


def test_a_scope_name_is_text_in_both_languages_or_one_problem(tmp_path):
    assert problems(tmp_path, '[scopes.national]\nname = 3') == [
        "'scopes.national.name' must be a table with 'en' and 'ar' texts, e.g. scopes.national.name = { en = \"…\", ar = \"…\" }"]
    assert problems(tmp_path, '[scopes.national]\nnmae = "x"') == [
        "unknown key 'scopes.national.nmae'; did you mean 'scopes.national.name'?"]


def test_a_top_level_key_written_below_a_table_is_pointed_out(tmp_path):
    text = '[[highlights]]\ndistrict = "Qayara"\ntext = { en = "Qayara", ar = "القيارة" }\ndigits = "western"\n'
    said = problems(tmp_path, text)
    assert len(said) == 1 and "'digits' is a top-level key: move it above the first [table]" in said[0]
