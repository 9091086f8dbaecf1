"""Findings in the officer's language: data until shown, worded from the catalogs, numbers in the language's
digits, typed values quoted as typed (isolated in CSV and comments), real plurals, the terminal at any width, and
an Arabic lint of every findings output of a broken data set."""
from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cpreport.findings import Findings, finding, Code, to_csv
from cpreport.load import load
from cpreport.messages import FSI, PDI, Saying
from cpreport.validate import validate
from fixtures.make_fixtures import broken_cells

from test_validate import CONFIG, MAY_2017, SCOPES

HEADER = "activity_id,type,start_date,governorate,participants,female\n"
ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
# What Arabic text must not hold outside what the officer typed: Latin digits, comma, semicolon, percent sign.
LATIN_IN_ARABIC = re.compile(r"[0-9,;%]")


def checked(folder: Path):
    return validate(load(folder), MAY_2017.end, SCOPES)


def activities(folder: Path, *rows: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "activities.csv").write_text(HEADER + "".join(f"{row}\n" for row in rows), "utf-8")
    return folder


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "cpreport", *args], capture_output=True, text=True, env=env)


def config_for(tmp_path: Path, data: Path) -> Path:
    path = tmp_path / "cpreport.toml"
    path.write_text(CONFIG.format(data=data, out=tmp_path / "out"), "utf-8")
    return path


def outside_typed(text: str) -> str:
    """Text without what the officer typed: the isolated runs (FSI … PDI)."""
    return re.sub(f"{FSI}[^{PDI}]*{PDI}", "", text)


# --- data until shown -------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["12", "١٢"])
def test_cp301_quotes_the_female_count_as_typed_and_states_its_own_count_in_arabic_digits(tmp_path, typed):
    data = activities(tmp_path, f"ACT-1,training,2017-05-02,Ninewa,10,{typed}")
    [said] = [f for f in checked(data).findings if f.code == "CP301"]
    assert said.value == typed and said.parameters == {"participants": 10}
    assert said.message_ar == f"عدد الإناث «{typed}» أكبر من عدد المشاركين كلهم (١٠). صحّح أحدهما."
    assert said.message_en == f"Female participants ('{typed}') are more than all participants (10). Correct one of them."
    isolated = said.message("ar", "isolated")
    assert f"«{FSI}{typed}{PDI}»" in isolated and "(١٠)" in isolated


def test_a_finding_is_worded_when_shown_from_its_parameters_in_either_language():
    made = finding(Code.CP306, file="displacement.csv", row=4, column="Individuals", value="292,418",
                   day="2017-04-13", scope="عمليات الموصل", returned=91236, current=301182, cumulative=292418)
    assert made.parameters["returned"] == 91236 and "message_en" not in made.__dataclass_fields__
    assert made.message_en == ("On 13/04/2017 for 'عمليات الموصل', returned (91,236) plus still displaced (301,182) is "
                               "more than displaced in all (292,418). Check the three figures of that date.")
    # The scope as typed, not its key; the tool's numbers and date in Arabic-Indic digits.
    assert made.message_ar.startswith("بتاريخ ١٣/٠٤/٢٠١٧ للنطاق «عمليات الموصل»: العائدون (٩١٬٢٣٦)")


def test_the_arabic_messages_open_with_arabic_words_and_isolate_the_typed_value_in_the_csv(tmp_path):
    data = activities(tmp_path, "ACT-1,training,2017-05-02,Ninewa,10,2")
    (data / "activities.csv").write_text("activity_id,type,start_date,governorate,participants,cpf_id\n"
                                         "ACT-1,training,2017-05-02,Ninewa,10,CPF-ZZ-99\n", "utf-8")
    (data / "cpfs.csv").write_text("cpf_id,name_en,name_ar,governorate,established_by,established_on\n"
                                   "CPF-NIN-001,Forum,منتدى,Ninewa,iom,2016-01-10\n", "utf-8")
    rows = list(csv.DictReader(io.StringIO(to_csv(checked(data).findings).lstrip("\ufeff"))))
    [forum] = [r for r in rows if r["code"] == "CP304"]
    assert forum["message_ar"].startswith(f"رقم المنتدى «{FSI}CPF-ZZ-99{PDI}» غير موجود")
    assert f"'{FSI}CPF-ZZ-99{PDI}'" in forum["message_en"]
    for row in rows:
        assert ARABIC_LETTER.match(row["message_ar"]), row["message_ar"]


def test_allowed_values_are_listed_with_or_in_each_language(tmp_path):
    data = activities(tmp_path, "ACT-1,seminar,2017-05-02,Ninewa,10,2")
    [said] = [f for f in checked(data).findings if f.code == "CP207"]
    assert said.message_en.endswith("allowed values: training, conference or workshop.")
    assert said.message_ar == "القيمة «seminar» ليست من القيم المسموح بها: دورة تدريبية أو مؤتمر أو ورشة عمل."


@pytest.mark.parametrize("runs, english, arabic", [
    ("4", "row 4", "الصف ٤"),
    ("2, 4", "rows 2 and 4", "الصفين ٢ و٤"),
    ("2, 4, 7-9", "rows 2, 4 and 7-9", "الصفوف ٢ و٤ و٧–٩"),
    ("7-9", "rows 7-9", "الصفوف ٧–٩"),
    ("2, 4, …", "rows 2, 4 and others", "الصفوف ٢ و٤ وغيرها"),
])
def test_row_lists_have_real_plurals_and_conjunctions(runs, english, arabic):
    assert Saying("en").rows(runs) == english
    assert Saying("ar").rows(runs) == arabic


@pytest.mark.parametrize("n, english, arabic", [
    (1, "1 row is dated", "هذا الصف مؤرخ"), (2, "2 rows are dated", "صفّان مؤرخان"),
    (3, "3 rows are dated", "٣ صفوف مؤرخة"), (11, "11 rows are dated", "١١ صفاً مؤرخاً"),
    (1200, "1,200 rows are dated", "١٬٢٠٠ صف مؤرخ")])
def test_counts_have_real_plurals_in_both_languages(n, english, arabic):
    made = finding(Code.CP305, row=9, value="03/06/2017", end="2017-05-31", count=n)
    assert english in made.message_en and arabic in made.message_ar
    assert "(s)" not in made.message_en


def test_an_id_used_twice_names_both_rows_in_each_language(tmp_path):
    data = activities(tmp_path, "ACT-1,training,2017-05-02,Ninewa,10,2", "ACT-2,training,2017-05-02,Ninewa,10,2",
                      "ACT-1,training,2017-05-03,Ninewa,10,2")
    [said] = [f for f in checked(data).findings if f.code == "CP209"]
    assert "is used in rows 2 and 4." in said.message_en
    assert "مستخدم في الصفين ٢ و٤." in said.message_ar


# --- the command line -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("broken")
    broken_cells(root / "broken_cells")
    return root / "broken_cells"


def test_validate_json_prints_the_findings_as_data(broken, tmp_path):
    result = run("validate", "--config", str(config_for(tmp_path, broken)), "--json")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    found = json.loads(result.stdout)
    assert {"code", "severity", "file", "sheet", "row", "column", "value", "parameters", "message_en",
            "message_ar"} <= set(found[0])
    female = next(f for f in found if f["code"] == "CP301")
    assert (female["file"], female["row"], female["value"]) == ("activities.csv", 7, "500")
    assert female["parameters"] == {"participants": 31}
    assert female["message_ar"] == "عدد الإناث «500» أكبر من عدد المشاركين كلهم (٣١). صحّح أحدهما."
    assert "CP211" in {f["code"] for f in found}  # the routine notes are in the data, each of them


def test_lang_ar_prints_the_findings_in_arabic_on_the_terminal(broken, tmp_path):
    result = run("validate", "--config", str(config_for(tmp_path, broken)), "--lang", "ar")
    assert result.returncode == 1
    assert "نتائج التحقق: ٢٠ خطأً، تحذير واحد، ١٢ ملاحظة." in result.stderr
    assert "عدد الإناث «500» أكبر من عدد المشاركين كلهم (٣١)" in result.stderr
    assert "٢٠ خطأً في جداول" in result.stderr
    assert "Findings:" not in result.stderr and "Female participants" not in result.stderr


def test_the_config_language_sets_the_terminal_and_lang_overrides_it(broken, tmp_path):
    config = config_for(tmp_path, broken)
    config.write_text('language = "both"\n' + config.read_text("utf-8"), "utf-8")
    both = run("validate", "--config", str(config))
    assert "Findings: 20 errors" in both.stderr and "نتائج التحقق: ٢٠ خطأً" in both.stderr
    english = run("validate", "--config", str(config), "--lang", "en")
    assert "Findings: 20 errors" in english.stderr and "نتائج التحقق" not in english.stderr
    config.write_text('language = "fr"\n' + config.read_text("utf-8").split("\n", 1)[1], "utf-8")
    wrong = run("validate", "--config", str(config))
    assert wrong.returncode == 2 and "'language' must be 'en', 'ar' or 'both'" in wrong.stderr


class Terminal(io.StringIO):
    """A stream that says it is a terminal, so that the findings are shown as on one."""

    def isatty(self) -> bool:
        return True



def test_validate_points_to_its_json_for_each_routine_note_and_names_a_lock_file_on_its_own_line(broken, tmp_path):
    # `validate` writes no validation.csv: its routine line points to --json. Excel's lock file is a line of its
    # own, never "1 other routine note".
    (broken / "~$cpfs.xlsx").write_bytes(b"lock")
    try:
        for language, listed in (("en", "--json lists each"), ("ar", "--json")):
            result = run("validate", "--config", str(config_for(tmp_path, broken)), "--lang", language)
            assert listed in result.stderr and "validation.csv" not in result.stderr, result.stderr
            assert "CP007" in result.stderr and "routine note" not in result.stderr
    finally:
        (broken / "~$cpfs.xlsx").unlink()

@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("language", ["en", "ar", "both"])
def test_findings_stay_readable_on_a_narrow_terminal(broken, monkeypatch, width, language):
    from rich.cells import cell_len

    from cpreport.findings import show

    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("NO_COLOR", "1")
    findings = checked(broken).findings
    stream = Terminal()
    show(findings, stream, language=language)
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip() for line in stream.getvalue().splitlines()]
    # Width in terminal cells: Arabic's vowel marks and shadda take none.
    assert max(cell_len(line) for line in lines) <= width
    # Never a column one character wide: every line but the blank ones says more than a letter.
    assert all(len(line.strip()) > 2 for line in lines if line.strip())
    # Each finding a block: its heading line, then its message wrapped below.
    heading = "ERROR CP301 · row 7, column 'Women'" if language != "ar" else "خطأ CP301 · الصف ٧، العمود «Women»"
    assert heading in lines
    # The routine notes (values converted on reading) are one line per file, not one per column.
    routine = [line for line in lines if "validation.csv" in line]
    assert len(routine) == 3 * (2 if language == "both" else 1) or len(routine) >= 3
    assert not any("CP211" in line for line in lines)


# --- validation.html, the annotated copies, and an Arabic lint of them all ----------------------------

class ArabicText(HTMLParser):
    """The Arabic elements' text, without what <bdi> isolates; and any Arabic text outside a lang="ar"."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []
        self.arabic: list[str] = []
        self.unmarked: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        inherited = self.stack[-1][1] if self.stack else False
        in_arabic = attrs.get("lang") == "ar" and attrs.get("dir") == "rtl" or inherited and attrs.get("lang") != "en"
        in_bdi = tag == "bdi" or (self.stack[-1][2] if self.stack else False)
        if tag not in ("meta", "br", "img", "link"):
            self.stack.append((tag, in_arabic, in_bdi))

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if not self.stack or self.stack[-1][0] in ("style", "script"):
            return
        _, in_arabic, in_bdi = self.stack[-1]
        if in_bdi:
            return
        if in_arabic:
            self.arabic.append(data)
        elif ARABIC_LETTER.search(data):
            self.unmarked.append(data)


def test_the_findings_outputs_of_a_broken_data_set_pass_the_arabic_lint(broken, tmp_path):
    from openpyxl import load_workbook

    result = run("build", "--config", str(config_for(tmp_path, broken)))
    assert result.returncode == 1
    findings = tmp_path / "out" / "findings"
    # validation.csv: message_ar, typed values isolated
    rows = list(csv.DictReader(io.StringIO((findings / "validation.csv").read_text("utf-8-sig"))))
    for row in rows:
        assert not LATIN_IN_ARABIC.search(outside_typed(row["message_ar"])), row["message_ar"]
    # validation.html: every Arabic text in an element marked lang="ar" dir="rtl", and clean
    page = ArabicText()
    page.feed((findings / "validation.html").read_text("utf-8"))
    assert page.unmarked == []
    arabic = " ".join(page.arabic)
    assert "أيار ٢٠١٧" in arabic and "٢٠ خطأً" in arabic and "تحذير" in arabic
    assert not LATIN_IN_ARABIC.search(arabic), LATIN_IN_ARABIC.findall(arabic)
    # The annotated copies: each comment's Arabic lines
    comments = 0
    for copy in findings.glob("*.annotated.xlsx"):
        for sheet in load_workbook(copy):
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.comment is None:
                        continue
                    for line in cell.comment.text.splitlines():
                        if ARABIC_LETTER.match(line):
                            comments += 1
                            assert not LATIN_IN_ARABIC.search(outside_typed(line)), line
    assert comments >= 15


def test_validation_html_is_bilingual_with_counts_severities_and_the_period_in_words(broken, tmp_path):
    from cpreport.pages import findings_files
    from cpreport.config import load_config

    config = load_config(config_for(tmp_path, broken))
    findings = checked(broken)
    html = findings_files(config, findings.findings if isinstance(findings.findings, Findings) else findings)[
        "validation.html"].decode("utf-8")
    assert "— May 2017" in html and "— أيار ٢٠١٧" in html and "— 2017-05" not in html
    assert "20 errors" in html and "٢٠ خطأً" in html and "تحذير واحد" in html
    assert '<td class="error">error <span lang="ar" dir="rtl">خطأ</span></td>' in html
    assert "<bdi>500</bdi>" in html and FSI not in html


@pytest.mark.parametrize("period, english, said_in_arabic", [
    ("2017-Q2", "the second quarter of 2017", "الربع الثاني من عام ٢٠١٧"),
    ("2017-H1", "the first half of 2017", "النصف الأول من عام ٢٠١٧"),
    ("project", "the life of the project", "كامل مدة المشروع"),
])
def test_a_quarter_a_half_year_and_the_project_are_named_in_words_in_both_languages(sample, period, english,
                                                                                    said_in_arabic):
    from conftest import run_cpreport

    result = run_cpreport("validate", "--config", str(sample), "--period", period, "--lang", "both")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert english in lines[-2] and said_in_arabic in lines[-1]
    said = lines[-1].rpartition("»")[2]  # after the data folder's path, quoted as it is
    assert said_in_arabic in said and not re.search(r"[0-9]|Q[1-4]|H[12]|project", said)


@pytest.mark.parametrize("language, opening", [("en", "Error: "), ("ar", "خطأ: "), ("both", "Error: ")])
def test_an_error_opens_with_error_in_the_language_asked(sample, language, opening):
    from conftest import run_cpreport

    sample.write_text(sample.read_text("utf-8") + "\nunknown_key = 1\n", "utf-8")
    result = run_cpreport("validate", "--config", str(sample), "--lang", language)
    assert result.returncode == 2
    assert result.stderr.startswith(opening), result.stderr
    assert ("Error:" in result.stderr) is (language != "ar")


def test_an_id_in_two_files_is_said_as_one_sentence_in_both_languages():
    places = [{"file": "activities-basra.csv", "sheet": "", "rows": "4"},
              {"file": "activities-ninewa.xlsx", "sheet": "activities", "rows": "4, 9"}]
    assert Saying("en").places(places) == ("row 4 of activities-basra.csv and rows 4 and 9 of "
                                           "activities-ninewa.xlsx (activities)")
    assert Saying("ar").places(places) == ("الصف ٤ من «activities-basra.csv» والصفين ٤ و٩ من "
                                           "«activities-ninewa.xlsx (activities)»")
