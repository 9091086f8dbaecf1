"""What the commands print is worded from the catalogs, in the language asked, with each language's plurals."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, invoke, run_cpreport

ARABIC_INDIC = re.compile("[٠-٩]")


@pytest.mark.process
def test_build_in_arabic_closes_with_an_arabic_line_and_arabic_digits(sample, tmp_path):
    out = tmp_path / "out"
    built = run_cpreport("build", "--config", str(sample), "--out", str(out), "--lang", "ar")
    assert built.returncode == 0, built.stdout + built.stderr
    last = built.stdout.strip().splitlines()[-1]
    assert last.startswith("أُنشئ تقرير أيار ٢٠١٧ في «"), last
    assert "ثانية" in last and ARABIC_INDIC.search(last.split("»")[1]), last
    assert not re.search("[0-9]", last.split("»")[1].split("(")[0]), last  # the seconds in Arabic-Indic digits
    assert "Built" not in built.stdout
    assert "التحقق من الجداول" in built.stderr and "checking the sheets" not in built.stderr  # the stages too
    # The log keeps the English line for whoever reads it later.
    log = (out / "cpreport.log").read_text("utf-8")
    assert f"Built the report for 2017-05 in {out / '2017-05'}" in log and "checking the sheets" in log

    again = run_cpreport("build", "--config", str(sample), "--out", str(out), "--lang", "both")
    assert again.returncode == 0, again.stdout + again.stderr
    english, arabic_line = again.stdout.strip().splitlines()[-2:]
    assert english.startswith("Up to date: the report for 2017-05 in "), english
    assert arabic_line.startswith("لا جديد: تقرير أيار ٢٠١٧ في «"), arabic_line


@pytest.mark.parametrize("text, english, arabic_words", [
    ('headlin = "x"\n', "The configuration has 1 problem in", "في ملف الإعدادات «{path}» مشكلة واحدة:"),
    ('headlin = "x"\nshade = "y"\n', "The configuration has 2 problems in", "في ملف الإعدادات «{path}» مشكلتان:"),
])
def test_a_config_error_counts_its_problems_in_each_language(tmp_path, monkeypatch, text, english, arabic_words):
    path = tmp_path / "cpreport.toml"
    path.write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    shown = invoke("validate")
    assert shown.exit_code == 2
    assert f"{english} {path}:" in shown.output, shown.output
    assert "(s)" not in shown.output
    said = invoke("validate", "--lang", "ar")
    assert said.exit_code == 2
    assert arabic_words.format(path=path) in said.output, said.output
    assert "The configuration has" not in said.output
    # Each problem in the officer's language too, the key as typed and the nearest key named.
    assert "  - unknown key 'headlin'; did you mean 'headline'?" in shown.output
    assert "  - مفتاح غير معروف «headlin»؛ هل تقصد «headline»؟" in said.output, said.output
    assert "unknown key" not in said.output
    both = invoke("validate", "--lang", "both")
    assert "  - unknown key 'headlin'; did you mean 'headline'?" in both.output
    assert "  - مفتاح غير معروف «headlin»؛ هل تقصد «headline»؟" in both.output, both.output


@pytest.mark.parametrize("text, arabic", [
    ('period = "2017-13"\n', "«period»: «2017-13» ليست فترة؛ اكتب YYYY-MM (شهر)"),
    ('digits = "roman"\n', "«digits» يجب أن يكون «arabic» أو «western»، لا «roman»"),
    ('formats = ["html", "pfd"]\n', "«formats» يجب أن يكون قائمة من «html»، «pdf»، «docx»، «xlsx»، لا «pfd»"),
    ('[columns.activitiez]\nparticipants = "Total"\n',
     "مفتاح غير معروف «columns.activitiez»؛ هل تقصد «columns.activities»؟"),
    ('[values.activities.type]\n"Awareness session" = "worksop"\n',
     "«values.activities.type»: «worksop» ليست من القيم المسموح بها في «type»؛ هل تقصد «workshop»؟"),
    ('[[highlights]]\ntext = "x"\n', "الموقع المُبرَز رقم ١ ينقصه «district» (القضاء)"),
    ('[values.activities.governorate]\n"Mosul" = "Ninawah"\n',
     "«values.activities.governorate»: «Ninawah» ليست من القيم المسموح بها في «governorate»؛ هل تقصد «Ninewa»؟"),
])
def test_every_config_problem_is_said_in_arabic(tmp_path, monkeypatch, text, arabic):
    """The problems of the config come from the catalogs: in Arabic, what the officer typed quoted as typed."""
    (tmp_path / "cpreport.toml").write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    said = invoke("validate", "--lang", "ar")
    assert said.exit_code == 2
    assert f"  - {arabic}" in said.output, said.output
    english = invoke("validate")
    assert english.exit_code == 2 and "  - " in english.output and not re.search("[\u0600-\u06ff]", english.output)


def test_a_stop_worded_when_raised_is_said_once_in_each_language(tmp_path, monkeypatch):
    """`validate` words its closing error itself, in each language asked: shown once, not once per language."""
    (tmp_path / "cpfs.csv").write_text("cpf_id,name_en,governorate,established_by,established_on\n"
                                       "CPF-1,Forum,Ninewa,IOM,not a date\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    said = invoke("validate", "--data", str(tmp_path), "--period", "2017-05", "--lang", "both")
    assert said.exit_code == 1, said.output
    assert said.output.count(f"2 errors in the sheets of {tmp_path}.") == 1, said.output
    assert said.output.count(f"خطآن في جداول «{tmp_path}»") == 1, said.output
    # Each finding a line in each language, each with its code: the Arabic reader can look it up too.
    lines = said.output.splitlines()
    english = [line for line in lines if line.startswith("  ERROR   CP")]
    arabic = [line for line in lines if line.startswith("  خطأ CP")]
    assert len(english) == len(arabic) == 2, said.output
    assert [line.split()[1] for line in english] == [line.split()[1] for line in arabic]



@pytest.mark.parametrize("command", ["explain", "figures", "validate", "approve"])
def test_every_command_says_a_config_error_in_the_language_asked(tmp_path, command):
    config = tmp_path / "cpreport.toml"
    config.write_text('perod = "2017-05"\n', "utf-8")
    said = invoke(command, "--config", str(config), "--lang", "ar", *(["--by", "Layla"] if command == "approve" else []))
    assert said.exit_code == 2
    assert "مفتاح غير معروف «perod»؛ هل تقصد «period»؟" in said.output, said.output
    assert "unknown key" not in said.output

def test_an_unknown_figure_is_said_in_arabic_with_the_nearest_ones(sample):
    said = invoke("explain", "--config", str(sample), "activities.totl", "--lang", "ar")
    assert said.exit_code == 2
    assert ("لا يوجد رقم «activities.totl» عن أيار ٢٠١٧. هل تقصد activities.total، activities.total.change، "
            "activities.total.previous؟") in said.output, said.output


# What the library raises for the terminal to show, and each problem of the config: a message as data (Said), whose
# English is the catalogs' msgid, never text worded in English alone.
RAISED = {"ConfigError", "UnknownFigure", "EnvironmentProblem", "NotApprovable", "Interrupted", "Unexpected",
          "SecurityError", "BuildLocked"}


def _worded_in_english_alone(node) -> bool:
    """Whether an argument is text made in Python (a literal, an f-string, a concatenation), not a Said."""
    if isinstance(node, ast.IfExp):
        return _worded_in_english_alone(node.body) or _worded_in_english_alone(node.orelse)
    return isinstance(node, (ast.JoinedStr, ast.BinOp)) or isinstance(node, ast.Constant) and isinstance(node.value, str)


def test_every_message_the_library_raises_or_a_config_check_adds_is_a_said():
    found = []
    for path in sorted((ROOT / "cpreport").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            function = node.func
            raised = isinstance(function, ast.Name) and function.id in RAISED
            added = (isinstance(function, ast.Attribute) and function.attr == "append"
                     and (getattr(function.value, "id", None) == "problems"
                          or getattr(function.value, "attr", None) == "problems"))
            if (raised or added) and _worded_in_english_alone(node.args[0]):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "worded in English alone (give a Said):\n" + "\n".join(found)


def _string_literals(path: Path):
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def test_no_message_says_a_plural_with_s_in_brackets():
    """"1 month(s)" is no plural in either language: the catalogs' ngettext says each."""
    found = [f"{path.relative_to(ROOT)}:{line}: {text!r}" for path in sorted((ROOT / "cpreport").rglob("*.py"))
             for line, text in _string_literals(path) if re.search(r"\w\(s\)", text)]
    found += [f"{path.relative_to(ROOT)}: {line.strip()}" for path in sorted((ROOT / "templates").rglob("*"))
              if path.is_file() for line in path.read_text("utf-8").splitlines() if re.search(r"\w\(s\)", line)]
    assert not found, "\n".join(found)


def test_init_speaks_arabic_when_asked(tmp_path):
    made = invoke("init", str(tmp_path / "project"), "--lang", "ar")
    assert made.exit_code == 0, made.output
    assert f"  أُنشئ  {tmp_path / 'project' / 'cpreport.toml'}" in made.output.splitlines()
    assert made.output.splitlines()[-1].startswith(f"جاهز: املأ المصنفات في «{tmp_path / 'project'}»")
    again = invoke("init", str(tmp_path / "project"), "--lang", "both")
    assert f"  kept  {tmp_path / 'project' / 'cpreport.toml'} (already there)" in again.output.splitlines()
    assert f"  بقي  {tmp_path / 'project' / 'cpreport.toml'} (موجود من قبل)" in again.output.splitlines()


def test_doctor_says_each_check_in_arabic(tmp_path, monkeypatch):
    (tmp_path / "cpreport.toml").write_text('out = "reports"\n', "utf-8")
    (tmp_path / "reports").write_text("a file where the output folder should be")
    monkeypatch.chdir(tmp_path)
    result = invoke("doctor", "--lang", "ar")
    assert result.exit_code == 3
    assert f"  أصلِح  مجلد البيانات: لا توجد جداول في المجلد «{tmp_path}»" in result.output.splitlines()
    assert re.search(r"^  سليم  الخط العربي: ", result.output, re.M), result.output
    assert "FIX" not in result.output and "Data folder" not in result.output


@pytest.mark.process
def test_a_locked_output_folder_is_said_in_arabic(sample, tmp_path):
    from filelock import FileLock

    from cpreport.write import LOCK_NAME

    out = tmp_path / "out"
    out.mkdir()
    with FileLock(out / LOCK_NAME):
        stopped = run_cpreport("build", "--config", str(sample), "--out", str(out), "--lang", "ar")
        waited = run_cpreport("build", "--config", str(sample), "--out", str(out), "--lang", "ar", "--wait", "0.5")
    assert stopped.returncode == 4, stopped.stdout + stopped.stderr
    assert f"عملية إنشاء أخرى تكتب في «{out}»" in stopped.stderr, stopped.stderr
    assert "Another build" not in stopped.stderr
    assert waited.returncode == 4, waited.stdout + waited.stderr
    assert "الانتظار حتى ٠٫٥ ثانية" in waited.stderr, waited.stderr



def test_the_reopen_options_misused_are_said_in_arabic(tmp_path):
    from click.testing import CliRunner

    from cpreport.cli import main

    for args, arabic in ((["--reopen"], "يحتاج"), (["--reason", "x"], "يأتي"), (["--every", "quarter"], "--all-periods")):
        result = CliRunner().invoke(main, ["build", "--config", str(SAMPLE / "cpreport.toml"), "--out",
                                           str(tmp_path / "out"), "--lang", "ar", *args])
        assert result.exit_code == 2 and arabic in result.output and "needs" not in result.output, result.output


def test_a_wrong_period_given_on_the_command_line_is_not_blamed_on_the_config_file():
    from click.testing import CliRunner

    from cpreport.cli import main

    for language, heading, file in (("en", "The options given have 1 problem:", "The configuration"),
                                    ("ar", "في الخيارات المعطاة مشكلة واحدة:", "ملف الإعدادات")):
        result = CliRunner().invoke(main, ["validate", "--config", str(SAMPLE / "cpreport.toml"), "--period",
                                           "2017-13", "--lang", language])
        assert result.exit_code == 2 and heading in result.output and file not in result.output, result.output
        assert "--period" in result.output


def test_a_config_that_asks_for_arabic_has_its_own_problems_said_in_arabic(tmp_path):
    # language = "ar" beside a wrong key: the problem is said in the language the config asks for, unless --lang
    # says otherwise.
    import shutil

    from click.testing import CliRunner

    from cpreport.cli import main

    project = tmp_path / "project"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("out"))
    config = project / "cpreport.toml"
    config.write_text('language = "ar"\n' + config.read_text("utf-8").replace('digits = "arabic"', 'digits = "arabik"'),
                      "utf-8")
    said = CliRunner().invoke(main, ["validate", "--config", str(config)])
    assert said.exit_code == 2 and "«digits» يجب أن يكون" in said.output, said.output
    english = CliRunner().invoke(main, ["validate", "--config", str(config), "--lang", "en"])
    assert english.exit_code == 2 and "'digits' must be" in english.output
