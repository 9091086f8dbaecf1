"""The Arabic lint: inside Arabic text of every output, no Latin digit, comma, semicolon or percent sign, and no
Arabic text in the HTML without a lang and dir to say it is Arabic, right to left.

The one exemption is Latin text set apart left to right (`dir="ltr"` in the HTML, a run without Arabic letters in
the Word document): names, addresses, telephone numbers, file names and codes quoted as typed (sblack@iom.int,
+964 751 234 2550, activities.xlsx, the indicator code 1.1). Everything the report says itself is Arabic."""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import lxml.html
import pytest
from docx import Document
from openpyxl import load_workbook
from report_variants import write_project

from cpreport.build import build
from cpreport.config import load_config
from cpreport.contract import TABLES
from cpreport.scaffold import workbook

ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
LATIN_IN_ARABIC = re.compile(r"[0-9,;%]")


def latin_marks(text: str) -> list[str]:
    """What Arabic text must not hold: Latin digits, commas, semicolons and percent signs."""
    return LATIN_IN_ARABIC.findall(text)


def arabic_text(element) -> str:
    """An element's text without the parts set apart left to right."""
    said = [element.text or ""] if isinstance(element.tag, str) else []
    for child in element:
        if isinstance(child.tag, str) and child.get("dir") != "ltr":
            said.append(arabic_text(child))
        said.append(child.tail or "")
    return "".join(said)


def lint_html(path: Path) -> list[str]:
    """Every problem of one HTML page: Latin marks inside its Arabic, and Arabic without lang and dir."""
    page = lxml.html.document_fromstring(path.read_text("utf-8"))
    problems = []
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        own = (element.text or "") + "".join(child.tail or "" for child in element)
        labelled = element.get("aria-label") or ""
        if ARABIC_LETTER.search(own + labelled):
            marked = [a for a in element.iterancestors() if a.get("lang")] + ([element] if element.get("lang") else [])
            nearest = marked[-1] if element.get("lang") else (marked[0] if marked else None)
            directed = element.get("dir") or next((a.get("dir") for a in element.iterancestors() if a.get("dir")), None)
            if nearest is None or nearest.get("lang") != "ar" or directed != "rtl":
                problems.append(f"{path.name}: Arabic without lang=ar dir=rtl in <{element.tag}>: {own.strip()[:60]}")
    for element in page.xpath("//*[@lang='ar']"):
        if element.get("dir") == "ltr":
            continue
        text = arabic_text(element)
        for mark in set(latin_marks(text)):
            at = text.index(mark)
            problems.append(f"{path.name}: '{mark}' in Arabic: …{text[max(at - 30, 0):at + 30]}…")
        for labelled in element.xpath(".//*[@aria-label]") + ([element] if element.get("aria-label") else []):
            label = labelled.get("aria-label")
            if ARABIC_LETTER.search(label) and latin_marks(label):
                problems.append(f"{path.name}: Latin marks in an Arabic description: {label[:80]}")
    return sorted(set(problems))


def lint_docx(path: Path) -> list[str]:
    """Latin marks inside the Arabic runs of the Word document (a run without Arabic letters is Latin text)."""
    document = Document(str(path))
    paragraphs = list(document.paragraphs) + [p for table in document.tables for row in table.rows
                                              for cell in row.cells for p in cell.paragraphs]
    problems = []
    for paragraph in paragraphs:
        for run in paragraph.runs:
            if ARABIC_LETTER.search(run.text) and latin_marks(run.text):
                problems.append(f"{path.name}: {latin_marks(run.text)} in the Arabic run: {run.text[:80]}")
    return problems


def lint_workbook(content: bytes, name: str) -> list[str]:
    """Latin marks inside the Arabic of a workbook: its cells' Arabic lines and its checks' Arabic messages."""
    book = load_workbook(io.BytesIO(content))
    said = [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if cell.value is not None]
    said += [text for sheet in book.worksheets for check in sheet.data_validations.dataValidation
             for text in (check.error, check.errorTitle, check.prompt) if text]
    problems = []
    for text in said:
        for part in re.split(r"\n| / ", text):
            if ARABIC_LETTER.search(part) and latin_marks(part):
                problems.append(f"{name}: {latin_marks(part)} in Arabic: {part[:80]}")
    return problems


def test_the_check_finds_what_it_looks_for(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<html><body><p lang="ar" dir="rtl">بمشاركة 179 شخصاً، منهم 22%<bdi dir="ltr">IQG15, 1.1</bdi></p>'
                    '<p>منتدى</p><div lang="ar" dir="rtl" aria-label="مخطط: 3, 4"></div></body></html>', "utf-8")
    problems = lint_html(page)
    assert any("'1'" in p for p in problems) and any("'%'" in p for p in problems)
    assert any("without lang=ar" in p for p in problems) and any("description" in p for p in problems)
    assert not any("IQG15" in p for p in problems)


@pytest.fixture(scope="module")
def delivered(tmp_path_factory) -> Path:
    """The sample with every format the lint reads."""
    from conftest import SAMPLE

    out = tmp_path_factory.mktemp("out")
    return build(load_config(SAMPLE / "cpreport.toml", out=str(out), environ={"CPREPORT_FORMATS": "html,pdf,docx"})).folder


def test_the_sample_report_and_its_word_document_are_arabic_throughout(delivered):
    assert lint_html(delivered / "report.html") == []
    assert lint_docx(delivered / "report.docx") == []
    assert lint_html(delivered.parent / "index.html") == []


SHAPES = {  # other counts and shapes than the sample's: ones, twos, hundreds, a quarter, every displacement figure
    "ones-and-twos": dict(iom=1, police=1, qayara=False, training=1, conference=2, workshop=0, participants=347,
                          new_forums=1, new_activities=2, new_participants=111,
                          displacement={("mosul_operations", "displaced_cumulative"): (dt.date(2017, 5, 31), 45_600),
                                        ("mosul_operations", "returned_cumulative"): (dt.date(2017, 5, 31), 2),
                                        ("mosul_operations", "displaced_current"): (dt.date(2017, 5, 31), 43_500)}),
    "hundreds": dict(iom=103, police=0, training=3, conference=11, workshop=103, participants=10_437, new_forums=2,
                     new_activities=12, new_participants=456,
                     displacement={("national", "displaced_current"): (dt.date(2017, 4, 27), 1_100_000),
                                   ("national", "returned_cumulative"): (dt.date(2017, 4, 27), 2_530)}),
    "nothing": dict(iom=0, police=0, training=0, conference=0, workshop=0, displacement={}),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_reports_of_other_shapes_are_arabic_throughout(tmp_path, shape):
    folder = build(load_config(write_project(tmp_path / "project", formats='["html", "docx"]', **SHAPES[shape]))).folder
    assert lint_html(folder / "report.html") == []
    assert lint_docx(folder / "report.docx") == []


def test_a_quarter_is_arabic_throughout(tmp_path):
    config = write_project(tmp_path / "project")
    folder = build(load_config(config, period="2017-Q2")).folder
    assert lint_html(folder / "report.html") == []
    assert lint_html(folder.parent / "index.html") == []


def test_the_blank_workbooks_of_init_are_arabic_throughout():
    problems = [p for name, table in TABLES.items() for p in lint_workbook(workbook(table), f"{name}.xlsx")]
    assert problems == []
    sheet = load_workbook(io.BytesIO(workbook(TABLES["activities"]))).active
    messages = {check.error for check in sheet.data_validations.dataValidation}
    assert "A whole number, 0 or more. / عدد صحيح، صفر أو أكثر." in messages


def test_the_arabic_half_numbers_its_pages_in_arabic_indic_digits(delivered):
    import subprocess

    text = subprocess.run(["pdftotext", str(delivered / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [re.sub("[\u200e\u200f\u202a-\u202e]", "", page) for page in text.split("\f")[:-1]]
    total = len(pages)
    english = [i for i, page in enumerate(pages, 1) if re.search(rf"(?m)^\s*{i} / {total}\s*$", page)]
    arabic_indic = str.maketrans("0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669")
    # pdftotext gives an RTL line in its visual order: "13 / 7" for page 7 of 13.
    arabic = [i for i, page in enumerate(pages, 1)
              if re.search(rf"(?m)^\s*{f'{total} / {i}'.translate(arabic_indic)}\s*$", page)]
    # Every page is numbered once, the English half's in Western digits, the Arabic half's in Arabic-Indic ones.
    assert english and arabic and sorted(english + arabic) == list(range(1, total + 1)), (english, arabic)
    assert min(arabic) > max(english)
