"""annex.xlsx: the report's tables as a workbook a donor office can sort, sum and quote from.

Each table of the report's HTML is a sheet of its own, in each language (the Arabic sheets right to
left), with its numbers as numbers, its dates as dates, its header frozen and its columns wide enough;
a last sheet lists every figure of figures.json with its value, as-of date and the rows it comes from.
The tables are read from the HTML, so the annex says what the report says, as the report words it.
"""
from __future__ import annotations

import copy
import datetime as dt
import io
import re

import lxml.html
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .digits import ARABIC_DECIMAL, ARABIC_PERCENT, to_western
from .figures import Figures
from .i18n import N_, translations

# Sheet names by the table's data-table attribute (Excel allows 31 characters, no []:*?/\).
# In English; the Arabic catalog names the Arabic half's sheets.
SHEETS = {"period": N_("This month"), "forums": N_("Forums by governorate"), "activities": N_("Activities by month"),
          "participants": N_("Participants"), "displacement": N_("Displacement"),
          "indicators": N_("Results against targets")}
PERIOD_SHEET = N_("This period")  # the period's own figures, when the period is a quarter, half-year, year or the project
FIGURES_SHEET = "Figures"
FIGURES_HEADER = ("Figure", "Value", "As of", "File", "Sheet", "Rows")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
SEPARATORS = re.compile(r"[,\u066C\s\u00A0\u202F]")
INTEGER_FORMAT, DECIMAL_FORMAT, PERCENT_FORMAT, DATE_FORMAT = "#,##0", "#,##0.##", "0%", "d mmmm yyyy"
SHARE_FORMAT = "0.0%"  # a results indicator's share on the Figures sheet, as figures.json keeps it
CELL_LIMIT = 32_767  # characters Excel keeps in a cell
REVISED = ".//*[contains(concat(' ', @class, ' '), ' revised ')]"
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
BOLD = Font(bold=True)


def typed(cell) -> tuple[object, str | None]:
    """A table cell's value as Excel should hold it, and its number format: a date, a number, a share, or text. A
    figure marked revised, "1,147 (R)", stays a number that Excel shows with its mark."""
    value = cell.get("data-value")
    if value:
        try:
            return dt.date.fromisoformat(value), DATE_FORMAT
        except ValueError:
            pass
        try:
            return _exact(cell, float(value))
        except ValueError:
            pass
    if "code" in (cell.get("class") or "").split():  # an indicator's code, "2.10", is a name, not a number
        return " ".join(cell.text_content().split()), None
    marks = cell.xpath(REVISED)
    # The mark as the report's half writes it: (R) in English, the catalog's mark in Arabic.
    written_mark = " ".join(marks[0].text_content().split()).replace('"', "") if marks else ""
    if marks or cell.xpath(".//br"):
        cell = copy.deepcopy(cell)
        for mark in cell.xpath(REVISED):
            mark.drop_tree()  # its tail stays
        for line_break in cell.xpath(".//br"):  # a target over its date: "60 by 31 December 2017"
            line_break.tail = " " + (line_break.tail or "")
    text = " ".join(cell.text_content().split())
    plain = SEPARATORS.sub("", to_western(text)).replace(ARABIC_DECIMAL, ".")
    percent = plain.endswith(("%", ARABIC_PERCENT))
    plain = plain.rstrip("%" + ARABIC_PERCENT)
    if plain and NUMBER.match(plain):
        number = float(plain) if "." in plain else int(plain)
        if percent:
            number, shown = number / 100, PERCENT_FORMAT
        else:
            shown = INTEGER_FORMAT if isinstance(number, int) else DECIMAL_FORMAT
        return number, shown + f' "{written_mark}"' if marks else shown
    return (f"{text} {written_mark}" if marks else text), None


def _exact(cell, number: float) -> tuple[float, str]:
    """A cell's exact value (its data-value: a share, not the rounded percentage it shows), formatted as the cell
    shows it: a percentage as one, and the words under the number ("by 31 December 2017") as the format's text, so
    that a target stays a number Excel can compute with."""
    under = " ".join(" ".join(span.text_content().split()) for span in cell.xpath(".//span[@class='by']"))
    shown = cell.xpath(".//span[@class='percent']")
    text = " ".join((shown[0] if shown else cell).text_content().split())
    if text.endswith(("%", ARABIC_PERCENT)) or shown:
        number_format = PERCENT_FORMAT
    else:
        number = int(number) if number.is_integer() else number
        number_format = INTEGER_FORMAT if isinstance(number, int) else DECIMAL_FORMAT
    if under:
        number_format += ' "{}"'.format(under.replace('"', "'"))
    return number, number_format


def _sheet_name(key: str, language: str, taken: set[str], month: bool = True) -> str:
    named = SHEETS.get(key) if key != "period" or month else PERIOD_SHEET
    base = translations(language).gettext(named) if named else key.capitalize()
    base = base[:28]
    name, n = base, 2
    while name in taken:
        name, n = f"{base} {n}", n + 1
    taken.add(name)
    return name


def _fit(sheet, widths: dict[int, int]) -> None:
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(60, max(8, width + 2))


def _table_sheet(workbook, table, language: str, title: str, name: str) -> None:
    sheet = workbook.create_sheet(name)
    sheet.sheet_view.rightToLeft = language == "ar"
    sheet.cell(1, 1, title).font = Font(bold=True, size=12)
    widths: dict[int, int] = {}
    rows = table.xpath("./thead/tr|./tbody/tr|./tfoot/tr|./tr")
    taken: set[tuple[int, int]] = set()
    header_rows = 0
    first = 3  # a title, a blank row, then the table
    for r, row in enumerate(rows):
        part = row.getparent().tag
        header_rows += part == "thead"
        c = 0
        for cell in row:
            if not isinstance(cell.tag, str) or cell.tag not in ("th", "td"):
                continue
            while (r, c) in taken:
                c += 1
            rowspan, colspan = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            value, number_format = typed(cell)
            target = sheet.cell(first + r, 1 + c, value)
            if number_format:
                target.number_format = number_format
            if cell.tag == "th" or part in ("thead", "tfoot"):
                target.font = BOLD
            if part == "thead":
                target.fill = HEADER_FILL
                target.alignment = Alignment(wrap_text=True, vertical="top")
            if rowspan > 1 or colspan > 1:
                sheet.merge_cells(start_row=first + r, start_column=1 + c, end_row=first + r + rowspan - 1,
                                  end_column=c + colspan)
            if colspan == 1:
                shown = len(cell.text_content().strip())
                widths[1 + c] = max(widths.get(1 + c, 0), shown)
            c += colspan
    _fit(sheet, widths)
    # The header rows and the first column (each row's label) stay in sight while scrolling.
    sheet.freeze_panes = f"B{first + max(header_rows, 1)}"


def _figures_sheet(workbook, figures: Figures) -> None:
    sheet = workbook.create_sheet(FIGURES_SHEET)
    sheet.append(FIGURES_HEADER)
    for cell in sheet[1]:
        cell.font, cell.fill = BOLD, HEADER_FILL
    widths = {i + 1: len(h) for i, h in enumerate(FIGURES_HEADER)}
    for key, figure in figures.items.items():
        sources = figure.sources or (None,)
        for source in sources:
            rows = source.rows if source else ""
            if len(rows) > CELL_LIMIT:
                rows = rows[:CELL_LIMIT - 40].rsplit(",", 1)[0] + ", … (all of them in figures.json)"
            sheet.append([key, figure.value, figure.as_of, source.file if source else "", source.sheet if source else "",
                          rows])
            sheet.cell(sheet.max_row, 2).number_format = SHARE_FORMAT if figure.share else INTEGER_FORMAT
            sheet.cell(sheet.max_row, 3).number_format = DATE_FORMAT
            widths[1] = max(widths[1], len(key))
            widths[4] = max(widths[4], len(source.file) if source else 0)
            widths[5] = max(widths[5], len(source.sheet or "") if source else 0)
            widths[6] = max(widths[6], min(len(rows), 40))
    widths[3] = 16
    _fit(sheet, widths)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions


def annex_workbook(html: str, figures: Figures) -> bytes:
    page = lxml.html.document_fromstring(html)
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for article in page.xpath("//article[contains(concat(' ', @class, ' '), ' release ')]"):
        language = article.get("lang", "en")
        month = figures.period.kind == "month"
        for table in article.xpath(".//table[@data-table or contains(@class, 'period-figures')]"):
            key = table.get("data-table") or "period"
            # The table's caption, or the heading of its section (the results against targets).
            caption = table.xpath("ancestor::figure[1]/figcaption") or table.xpath("ancestor::section[1]/h2")
            title = " ".join(caption[0].text_content().split()) if caption else \
                translations(language).gettext(SHEETS["period"] if month else PERIOD_SHEET)
            _table_sheet(workbook, table, language, title, _sheet_name(key, language, taken, month))
    _figures_sheet(workbook, figures)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
