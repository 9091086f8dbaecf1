"""`cpreport init`: a ready project folder — config, narrative, a template to override, blank workbooks, README."""
from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from .cells import keep_as_text
from .contract import CHOICES, DATE, GOVERNORATE, INTEGER, LISTS_SHEET, TABLES, Table, governorates
from .i18n import N_, translations
from .manifest import builtin_templates

BLANK_ROWS = 1000  # rows below the header that carry the drop-down lists and checks
# Which enumeration each drop-down column offers (the scope column offers the config's scopes).
DROP_DOWNS = {"governorate": "governorate", "established_by": "established_by", "status": "status",
              "type": "activity_type", "metric": "metric", "scope": "scope"}
WIDE_TEXT = {"name_en", "name_ar", "title_en", "title_ar"}
SCOPES = ("national", "mosul_operations")

CONFIG = '''# cpreport's configuration. Paths are relative to this file.
# Every key is described in cpreport's docs/config.md; `cpreport build` checks them all and lists every problem.

# period = "2017-05"        # month of the report, YYYY-MM; left out, the last full month before today
data = "."                  # folder of the sheets: cpfs, activities, displacement
out = "out"                 # reports go to out/<period>/, the log to out/cpreport.log
digits = "arabic"           # Arabic-Indic digits in the Arabic half ("western" for 0-9)
languages = ["en", "ar"]    # the halves of the report, in this order
formats = ["html", "pdf"]   # what a build writes: html, pdf, docx (Word), xlsx (Excel annex)
# pdf_variant = "pdf/a-3a"  # report.pdf: pdf/a-3a (archival, tagged), pdf/ua-1, pdf/a-3b or none
templates = "templates"     # files here replace the built-in templates of the same name

programme = { en = "%(programme_en)s", ar = "%(programme)s" }
agency = { en = "%(agency_en)s", ar = "%(agency)s" }
donor = { en = "%(donor_en)s", ar = "%(donor)s" }
headline = { en = "%(headline_en)s", ar = "%(headline)s" }
dateline = { en = "%(dateline_en)s", ar = "%(dateline)s" }
contacts = { en = "%(contacts_en)s", ar = "%(contacts)s" }

# The release's own words, one file per language. A paragraph [[forums]], [[activities]] or
# [[displacement]] marks where the paragraph with those figures goes.
narrative = { en = "narrative/en.md", ar = "narrative/ar.md" }

# Displacement scopes: the `scope` column of the displacement sheet names one of these.
[scopes.national]
label = { en = "%(national_label_en)s", ar = "%(national_label)s" }   # said in the prose
name = { en = "%(national_name_en)s", ar = "%(national_name)s" }       # heads its rows in tables and charts
since = 2014-01-01

[scopes.mosul_operations]
label = { en = "%(mosul_label_en)s", ar = "%(mosul_label)s" }
name = { en = "%(mosul_name_en)s", ar = "%(mosul_name)s" }
origin = { en = "%(mosul_origin_en)s", ar = "%(mosul_origin)s" }
since = 2016-10-17

# Places the release names when a forum stands there (a district of the cpfs sheet):
# [[highlights]]
# district = "Qayara"
# text = { en = "%(qayara_en)s", ar = "%(qayara)s" }

# logo = "logo.svg"          # an SVG or PNG above the report, embedded in the HTML and the PDF
# footer = { en = "…", ar = "…" }   # replaces the footer that says what the report covers

# The parts of the report, each on unless switched off here (a programme without displacement
# figures sets displacement = false, and needs no displacement sheet):
# [sections]
# forums = true
# activities = true
# displacement = true
# changes = true
# pictures = true
# contacts = true
# sources = true

# An office's own headers and values, where cpreport does not know them: the contract's table and
# column on the left, the header or value as the office writes it on the right.
# [columns.activities]
# participants = "Total number of participants"
# governorate = ["Location (Governorate)", "%(governorate)s / Governorate"]
#
# [values.activities.type]
# "Awareness session" = "workshop"
# "%(awareness_session)s" = "workshop"
#
# A file the sniffer reads wrong, by its path within the data folder:
# [files."anbar/activities.csv"]
# encoding = "cp1256"
# delimiter = ";"
# header_row = 3
'''

# The config's texts that `init` writes, in English; the Arabic catalog gives their Arabic.
CONFIG_TEXTS = {
    "programme": N_("Community Policing programme"), "agency": N_("IOM"), "donor": N_("the donor"),
    "headline": N_("Community Policing Programme: Monthly Report"), "dateline": N_("Iraq"),
    "contacts": N_("For further information, please contact the programme team."),
    "national_label": N_("across the country"), "national_name": N_("National"),
    "mosul_label": N_("the Mosul military operations"), "mosul_name": N_("Mosul operations"),
    "mosul_origin": N_("from Mosul and adjacent districts"), "qayara": N_("the retaken area of Qayara"),
    # Examples of an office's own header and value, as an Arabic sheet writes them.
    "governorate": N_("Governorate"), "awareness_session": N_("Awareness session"),
}
EXAMPLE_NARRATIVE = N_("The Community Policing programme brings police and communities together to build trust and "
                       "improve security. Write the month's news here: paragraphs are separated by a blank line.")
MARKERS = "\n\n[[forums]]\n\n[[activities]]\n\n[[displacement]]\n"
NARRATIVE = {language: translations(language).gettext(EXAMPLE_NARRATIVE) + MARKERS for language in ("en", "ar")}


def config_text() -> str:
    """The config `init` writes, every text in English and Arabic."""
    arabic_texts = {key: translations("ar").gettext(english) for key, english in CONFIG_TEXTS.items()}
    return CONFIG % {**arabic_texts, **{f"{key}_en": english for key, english in CONFIG_TEXTS.items()}}


def both(english: str) -> str:
    """A message of a workbook's checks in English, then in Arabic."""
    return f"{english} / {translations('ar').gettext(english)}"


TEMPLATE_NOTE = '''{#- An example of overriding a built-in template: this file replaces cpreport's own report.html
    because it has the same name. Change it, or delete it to go back to the built-in one. The blocks
    of base.html are title, style, header, content and footer. -#}
'''

README = '''# {name}: the community policing report

Fill in the three workbooks, then build the report from this folder:

    cd {folder_quoted}
    cpreport build

The report goes to `out/<month>/` (report.html, report.pdf, figures.json, validation files), the
log to `out/cpreport.log`. `cpreport doctor` checks that this machine has what the report needs.

| file | what it holds |
|---|---|
| `cpfs.xlsx` | one row per Community Policing Forum |
| `activities.xlsx` | one row per training, conference or workshop |
| `displacement.xlsx` | one row per published displacement figure |
| `cpreport.toml` | names, headline, contacts, scopes; each key is commented |
| `narrative/en.md`, `narrative/ar.md` | the release's own words; `[[forums]]`, `[[activities]]` and `[[displacement]]` place the figures |
| `templates/` | templates that replace the built-in ones of the same name |

The header of each sheet gives each column's name in English and Arabic; keep the header row as it
is and type the data below it. Columns with a list (governorate, type, established by, status,
metric, scope) offer the allowed values; other spellings are accepted too.

## Every night, unattended

A cron line that builds the last full month each night at 02:15, waiting up to ten minutes if
someone is building by hand; it does nothing when no sheet changed, and writes only to the log
unless something goes wrong:

    15 2 * * * cd {folder_quoted} && {cpreport} build --quiet --wait 600

`crontab -e` adds it. Exit codes: 0 built or up to date, 1 errors in the sheets (see
`out/findings/validation.html`), 2 config error, 3 environment problem, 4 another build held the folder,
5 the English and Arabic halves disagree (a template), 6 an unexpected failure (see `out/cpreport.log`),
130 stopped with Ctrl-C.
'''


def _cpreport_command() -> str:
    """The cpreport this project was made with, as a path cron can run."""
    beside = Path(sys.executable).parent / "cpreport"
    found = str(beside) if beside.is_file() else shutil.which("cpreport")
    return shlex.quote(found) if found else f"{shlex.quote(sys.executable)} -m cpreport"


def _choices(enumeration: str) -> list[str]:
    """The values a drop-down offers: English labels then Arabic ones (both are read)."""
    if enumeration == "governorate":
        places = governorates()
        return [g.name_en for g in places] + [g.name_ar for g in places]
    if enumeration == "scope":
        return list(SCOPES)
    values = CHOICES[enumeration]
    return list(values) + [label_ar for _, label_ar, _ in values.values()]


def workbook(table: Table) -> bytes:
    """A blank workbook for one table: a two-line header (English over Arabic), drop-downs, checks."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = table.name
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_columns: dict[str, str] = {}
    last = f"{BLANK_ROWS + 1}"
    for position, column in enumerate(table.columns, 1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position, value=f"{column.name}\n{column.label_ar}")
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DCE6F1")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # Wide enough for the longer line of the header, and for what the column holds.
        width = max(len(column.name), len(column.label_ar)) + 4
        if column.kind == DATE:
            width = max(width, 14)
        if column.kind == GOVERNORATE:
            width = max(width, 16)
        if column.name in WIDE_TEXT:
            width = max(width, 32)
        if column.name in DROP_DOWNS:
            enumeration = DROP_DOWNS[column.name]
            if enumeration not in list_columns:
                values = _choices(enumeration)
                list_letter = get_column_letter(len(list_columns) + 1)
                lists.cell(row=1, column=len(list_columns) + 1, value=enumeration)
                for row, value in enumerate(values, 2):
                    lists.cell(row=row, column=len(list_columns) + 1, value=value)
                list_columns[enumeration] = f"'{LISTS_SHEET}'!${list_letter}$2:${list_letter}${len(values) + 1}"
                width = max(width, max(len(v) for v in values) + 4)
            # A warning, not a stop: other spellings and p-codes (IQG15) are read as well.
            check = DataValidation(type="list", formula1=f"={list_columns[enumeration]}", allow_blank=True,
                                   errorStyle="warning", showErrorMessage=True,
                                   errorTitle=both(N_("Not in the list")),
                                   error=both(N_("Choose a value from the list.")))
        elif column.kind == INTEGER:
            check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                   errorStyle="warning", showErrorMessage=True,
                                   error=both(N_("A whole number, 0 or more.")))
        elif column.kind == DATE:
            check = None
            # A column style, not formatted blank cells: those would make Excel's last row 1001.
            sheet.column_dimensions[letter].number_format = "dd/mm/yyyy"
        else:
            check = None
        if check is not None:
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}{last}")
        sheet.column_dimensions[letter].width = width
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"
    for written in (sheet, lists):
        keep_as_text(written)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def scaffold(folder: Path) -> tuple[list[Path], list[Path]]:
    """Write the project's files into folder; existing files are kept. Returns (made, kept)."""
    from .datafolder import SPREADSHEETS
    from .errors import EnvironmentProblem
    from .said import Said

    kept: list[Path] = []
    folder = folder.resolve()
    report = (builtin_templates() / "report.html").read_text("utf-8")
    files: dict[str, bytes] = {
        "cpreport.toml": config_text().encode("utf-8"),
        "narrative/en.md": NARRATIVE["en"].encode("utf-8"),
        "narrative/ar.md": NARRATIVE["ar"].encode("utf-8"),
        "templates/report.html": (TEMPLATE_NOTE + report.replace(
            "{% block content %}",
            "{% block style %}.release .headline { border-bottom: 2px solid #0b3a6e; }{% endblock %}\n"
            "{% block content %}", 1)).encode("utf-8"),
        "README.md": README.format(name=folder.name, folder=folder, folder_quoted=shlex.quote(str(folder)),
                                   cpreport=_cpreport_command()).encode("utf-8"),
    }
    for name, table in TABLES.items():
        # A table the folder already has in another form (displacement.csv) gets no blank workbook beside it: its
        # empty sheet would be a part of the table, said in every build.
        given = [path for path in folder.glob(f"{name}.*") if path.suffix.lower() in SPREADSHEETS] \
            if folder.is_dir() else []
        if given:
            kept.extend(given)
        else:
            files[f"{name}.xlsx"] = workbook(table)
    if (folder / "cpreport.toml").exists():
        # A project's own config, kept as it is, names no templates folder: an example override beside it would be
        # a file of the data folder that is not a sheet, said in every build.
        files.pop("templates/report.html")
    made: list[Path] = []
    try:
        for name, content in files.items():
            path = folder / name
            if path.exists():
                kept.append(path)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as stream:  # never over a file made meanwhile
                stream.write(content)
            made.append(path)
        (folder / "out").mkdir(exist_ok=True)
    except OSError as error:
        raise EnvironmentProblem(Said("Cannot write the project into %(folder)s (%(problem)s). Check the path and your "
                                      "write access.", folder=folder, problem=error.strerror)) from None
    return made, kept
