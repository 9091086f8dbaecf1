"""A finding's message, worded when it is shown, in the language asked: the code's English message (the msgid) or
its translation from the catalogs, each parameter said in that language.

Numbers, dates and row lists the tool states take the language's digits (Arabic-Indic, with the Arabic thousands
separator, and the dual and plural of 'row' in Arabic);
what the officer typed (the value, a column's header, a scope, a sheet's name) is quoted exactly as typed, between
Unicode isolates in files read by spreadsheet programs (CSV, workbook comments) or in <bdi> in HTML, so that a Latin
value in an Arabic sentence stays where it is said.
"""
from __future__ import annotations

import datetime as dt
import re

from markupsafe import Markup

from .digits import ARABIC_COMMA, ARABIC_SEMICOLON, TO_ARABIC
from .findings import REASONS, Code, Finding, N_, Plural, ngettext
from .visible import visible

# The parts of a report whose numbers a later build may give otherwise (pages.shown_parts), as CP503 names them.
SHOWN_PARTS = {"tables": N_("its tables, charts and map"), "shares": N_("its shares")}

LOCALES = {"en": "en_GB", "ar": "ar_IQ"}  # en_GB: "2, 4 and 7-9"; ar_IQ: the Iraqi month names
FSI, PDI = "\u2068", "\u2069"  # first strong isolate, pop directional isolate
STYLES = ("plain", "isolated", "html")

# How each parameter is said, by its name; a parameter not named here is text as typed, quoted as it is.
DATES = {"day", "end", "start", "returned_on", "current_on", "cumulative_on"}
NAMED_DATES = {"read_as", "other_way"}  # a date that must not read either way: "5 February 2017", the month named
YEARS = {"earliest", "latest", "month"}  # our numbers, said without a thousands separator
ROWS = {"rows": ngettext("row %(rows)s", "rows %(rows)s"), "cell_rows": ngettext("row %(rows)s", "rows %(rows)s"),
        "lines": ngettext("line %(rows)s", "lines %(rows)s")}
# Our own words, with the msgids that say them
SEVERITIES = {"error": N_("error"), "warning": N_("warning"), "note": N_("note")}
# A message said to an Arabic-speaking officer in other words than the English one (which may name the config's
# keys for the M&E lead): the Arabic catalog translates these msgids.
HINTS = {"CP101": N_("Did you mean the column '%(near)s'? If so, rename it to '%(column)s' (or '%(column_ar)s'), "
                     "or add [columns.%(table_name)s] %(column)s = \"%(near)s\" to the config."),
         **dict.fromkeys(("CP034", "CP207", "CP208", "CP311"), N_("Did you mean %(near)s?"))}
MOST_NAMED = 12  # a list of names (columns, files) says this many, then how many more


class _Words(dict):
    """The words of a message's placeholders; a placeholder with no value (a figure not given) is a dash."""

    def __missing__(self, key: str) -> str:
        return "–"


def message(finding: Finding, language: str = "en", style: str = "plain") -> str:
    """The finding's message in `language`, worded now. style: "plain" (terminal), "isolated" (typed text between
    Unicode isolates: CSV, workbook comments) or "html" (Markup, typed text in <bdi>)."""
    say = Saying(language, style)
    code = Code[finding.code]
    parameters = {**finding.parameters, "value": finding.value, "column": finding.column, "file": finding.file,
                  "sheet": finding.sheet}
    parameters.setdefault("column_ar", finding.column)
    if "table" in parameters:
        parameters.setdefault("table_name", parameters["table"])
    words = _Words({name: say.parameter(name, value, parameters) for name, value in parameters.items()})
    template = code.template
    if isinstance(template, Plural):
        text = say.ngettext(template.singular, template.plural, int(parameters.get("count", 1)))
    else:
        text = say.gettext(template)
    sentences = [say.format(text, words)]
    if code.name in HINTS and parameters.get("near"):
        sentences.append(say.format(say.gettext(HINTS[code.name]), words))
    if parameters.get("cells", 1) > 1 and parameters.get("cell_rows"):
        sentences.append(say.many_cells(parameters))
    joined = say.join_sentences(sentences)
    return joined


class Saying:
    """Says a finding's parameters in one language and one style."""

    def __init__(self, language: str, style: str = "plain"):
        from .i18n import translations

        if style not in STYLES:
            raise ValueError(f"no message style {style!r}")
        self.language, self.style = language, style
        self.arabic = language == "ar"
        self.catalog = translations(language)

    # The catalogs ---------------------------------------------------------------------------------------------
    def gettext(self, message: str) -> str:
        return self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.catalog.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """A short message whose meaning its context gives (a list's separator, say)."""
        return self.catalog.pgettext(context, message)

    def format(self, text: str, words: dict) -> str:
        if self.style == "html":
            return Markup(text) % words
        return text % words

    def join(self, separator: str, parts: list[str]) -> str:
        return Markup(separator).join(parts) if self.style == "html" else separator.join(parts)

    def join_sentences(self, sentences: list[str]) -> str:
        return self.join(" ", sentences)

    # Kinds of words -------------------------------------------------------------------------------------------
    def typed(self, text: object) -> str:
        """Text as the officer typed it, isolated from the sentence around it."""
        text = str(text)
        if self.style == "isolated":
            return f"{FSI}{text}{PDI}"
        if self.style == "html":
            return Markup("<bdi>{}</bdi>").format(text)
        return visible(text)

    def digits(self, text: object) -> str:
        return str(text).translate(TO_ARABIC) if self.arabic else str(text)

    def number(self, n: int | float) -> str:
        """1137 -> "1,137" / "١٬١٣٧"."""
        from babel.numbers import format_decimal

        if self.arabic:
            return format_decimal(n, locale=LOCALES["ar"], numbering_system="arab").translate(TO_ARABIC)
        return format_decimal(n, locale="en")

    def date(self, iso: str) -> str:
        """"2017-05-02" -> "02/05/2017" / "٠٢/٠٥/٢٠١٧": day/month/year, as the sheets are asked to write it."""
        try:
            day = dt.date.fromisoformat(str(iso))
        except ValueError:
            return self.typed(iso)
        return self.digits(day.strftime("%d/%m/%Y"))

    def named_date(self, iso: str) -> str:
        """"2017-02-05" -> "5 February 2017", or the Iraqi month's name in Arabic: a date that reads one way only."""
        from babel.dates import format_date

        try:
            day = dt.date.fromisoformat(str(iso)[:10])
        except ValueError:
            return self.typed(iso)
        return self.digits(format_date(day, "d MMMM y", locale=LOCALES[self.language]))

    def period(self, key: str) -> str:
        """"2017-05" -> "May 2017", or the Iraqi month's name in Arabic; "2017-Q2" -> "the second quarter of
        2017" and "2017-H1" -> "the first half of 2017", in the catalogs' words; a year in the language's digits."""
        from babel.dates import format_date

        month = re.fullmatch(r"(\d{4})-(\d{2})", str(key))
        if month:
            said = format_date(dt.date(int(month[1]), int(month[2]), 1), "MMMM y", locale=LOCALES[self.language])
            return self.digits(said)
        part = re.fullmatch(r"(\d{4})-([QH])([1-4])", str(key))
        if part and (part[2] == "Q" or part[3] in "12"):
            from .wording import PERIOD_NAMES

            name = PERIOD_NAMES["quarter" if part[2] == "Q" else "half"][int(part[3]) - 1]
            return self.gettext(name) % {"year": self.digits(part[1])}
        if key == "project":
            return self.gettext(N_("the life of the project"))
        return self.digits(key)

    def listed(self, items: list[str], conjunction: str = "standard") -> str:
        """"a, b and c" (conjunction "or": "a, b or c"), with the language's conjunctions."""
        from babel.lists import format_list

        if not items:
            return ""
        said = format_list([str(i) for i in items], style=conjunction, locale=LOCALES[self.language])
        if self.style == "html":
            return Markup(format_list([Markup.escape(i) for i in items], style=conjunction,
                                      locale=LOCALES[self.language]))
        return said

    def names(self, names: list) -> str:
        """Names the officer typed (columns, files, sheets), quoted, the first MOST_NAMED, then how many more."""
        shown = [self.typed(n) if isinstance(n, str) else self.number(n) for n in names[:MOST_NAMED]]
        quote = "«{}»" if self.arabic else "'{}'"
        shown = [Markup(quote).format(s) if self.style == "html" else quote.format(s) if isinstance(n, str) else s
                 for s, n in zip(shown, names)]
        if len(names) > MOST_NAMED:
            more = len(names) - MOST_NAMED
            shown.append(self.ngettext("%(num)s other", "%(num)s others", more) % {"num": self.number(more)})
        return self.listed(shown)

    def rows(self, runs: str, nouns: tuple[str, str] = ROWS["rows"]) -> str:
        """Runs of rows, "2, 4, 7-9, …" -> "rows 2, 4, 7-9 and others"; "row 4"; "rows 2 and 4" (in Arabic the
        dual for two rows, and Arabic-Indic digits)."""
        items, count = [], 0
        for run in str(runs).split(", "):
            first, _, last = run.partition("-")
            if not first.isdigit() or last and not last.isdigit():
                count += 100  # "…": more than the runs said
                items.append(self.gettext("others"))
                continue
            count += int(last or first) - int(first) + 1
            items.append(self.digits(first) + (("–" if self.arabic else "-") + self.digits(last) if last else ""))
        return self.format(self.ngettext(*nouns, count), {"rows": self.listed(items)})

    def places(self, places: list[dict], nouns: tuple[str, str] = ROWS["rows"]) -> str:
        """Rows in several files or sheets: "rows 4 and 9 of 'anbar/activities.xlsx (Sheet1)'; row 5 of …"; of two,
        "row 4 of 'a.csv' and row 4 of 'b.xlsx'"."""
        said = []
        for place in places:
            where = f"{place.get('file', '')} ({place['sheet']})" if place.get("sheet") else place.get("file", "")
            said.append(self.format(self.gettext("%(rows)s of %(place)s"),
                                    {"rows": self.rows(place.get("rows", ""), nouns), "place": self.typed(where)}))
        if len(said) == 2:  # "row 4 of 'a.csv' and row 4 of 'b.xlsx'": two places read as one sentence
            return self.listed(said)
        return self.join(ARABIC_SEMICOLON + " " if self.arabic else "; ", said)

    # One parameter --------------------------------------------------------------------------------------------
    def parameter(self, name: str, value: object, parameters: dict) -> str:
        """A parameter said in this language: its kind comes from its name and its data."""
        if self.arabic and name in ("near", "expected") and parameters.get(f"{name}_ar"):
            value = parameters[f"{name}_ar"]
        if isinstance(value, bool):
            return ""
        if name in ROWS:
            return self.places(value, ROWS[name]) if isinstance(value, list) else self.rows(value, ROWS[name])
        if name in YEARS:
            return self.digits(value)
        if isinstance(value, (int, float)) and name != "value":
            return self.number(value)
        if name in DATES:
            return self.date(value)
        if name in NAMED_DATES:
            return self.named_date(value)
        if name == "table":
            return self.table(value)
        if name == "table_name":
            return str(value)
        if name == "reason":
            return self.format(self.gettext(REASONS[value]), _Words(
                {k: self.parameter(k, v, parameters) for k, v in parameters.items() if k != "reason"})) \
                if value in REASONS else self.typed(value)
        if name == "parts":  # the parts of a report whose numbers changed (CP503), in the language's words
            return self.listed([self.gettext(SHOWN_PARTS.get(part, part)) for part in value])
        if name == "allowed":
            from .contract import CHOICES

            labels = [ar if self.arabic else en for en, ar, _ in CHOICES.get(value, {}).values()]
            return self.listed(labels, "or") if labels else self.typed(value)
        if name == "metric":
            return self._choice("metric", value)
        if name == "near" and parameters.get("allowed"):
            return self._choice(parameters["allowed"], value)
        if name == "language":
            return self.language_name(value)
        if name == "period":
            return self.period(value)
        if name == "changes":
            return self.changes(value)
        if name == "values":  # figures given for one date (CP309): "1,000 / 1,001 / …", never "1,000, 1,001"
            said = [self.number(v) if isinstance(v, (int, float)) else self.typed(v) for v in value]
            return self.join(" / ", said + (["…"] if parameters.get("more_values") else []))
        if isinstance(value, list):
            return self.names(value)
        return self.typed(value)

    def table(self, name: str) -> str:
        """A table by its name: "cpfs" in English, its Arabic title in Arabic."""
        titles = {"cpfs": self.catalog.pgettext("table", "cpfs"),
                  "activities": self.catalog.pgettext("table", "activities"),
                  "displacement": self.catalog.pgettext("table", "displacement")}
        return titles.get(name) or self.typed(name)

    def language_name(self, language: str) -> str:
        """A narrative's language, as the adjective of "narrative" ("English")."""
        names = {"en": self.catalog.pgettext("narrative", "English"),
                 "ar": self.catalog.pgettext("narrative", "Arabic")}
        return names.get(language) or self.typed(language)

    def _choice(self, enumeration: str, key: object) -> str:
        from .contract import CHOICES

        labels = CHOICES.get(enumeration, {}).get(key)
        if not labels:
            return self.typed(key)
        return labels[1] if self.arabic else labels[0]

    def many_cells(self, parameters: dict) -> str:
        """The sentence a finding said once for many cells ends with: how many, and their rows."""
        cells, rows = int(parameters["cells"]), self.rows(parameters["cell_rows"])
        others = int(parameters.get("other_values", 1))
        words = {"cells": self.number(cells), "rows": rows}
        if others > 1:
            words["values"] = self.ngettext("%(num)s other value", "%(num)s other values", others) % {
                "num": self.number(others)}  # digits only: no markup to keep
            text = self.ngettext("The same kind of mistake, with %(values)s, in %(cells)s more cell: %(rows)s.",
                                 "The same kind of mistake, with %(values)s, in %(cells)s more cells: %(rows)s.",
                                 cells)
        else:
            text = self.ngettext("The same in %(cells)s cell of this column: %(rows)s.",
                                 "The same in %(cells)s cells of this column: %(rows)s.", cells)
        return self.format(text, words)

    def changes(self, changes: dict) -> str:
        """A restated figure's rows (CP501): added, removed and changed, by file and sheet."""
        said = []
        for kind, heading in (("added", N_("rows added: %(places)s")), ("removed", N_("rows removed: %(places)s")),
                              ("changed", N_("rows changed: %(places)s"))):
            if changes.get(kind):
                said.append(self.format(self.gettext(heading), {"places": self.places(changes[kind])}))
        if changes.get("unknown"):
            said.append(self.gettext("rows changed: not known (the month was published without the digests of its "
                                     "rows)"))
        if not said:
            return self.gettext("no row of the sheets differs (a change of the config or of cpreport?)")
        return self.join(ARABIC_COMMA + " " if self.arabic else ", ", said)

    def severity(self, severity: str) -> str:
        return self.gettext(SEVERITIES.get(severity, severity))

    def where(self, finding: Finding) -> str:
        """"sheet 'x', row 4, column 'female'", in the language's words and digits."""
        parts = []
        # A column the sheet lacks (CP101, CP106) is named by the contract, in the language's own name for it.
        column = finding.parameters.get("column_ar") if self.arabic and finding.parameters.get("column_ar") \
            else finding.column
        words = {"sheet": self.typed(finding.sheet), "row": self.digits(finding.row), "column": self.typed(column)}
        if finding.sheet:
            parts.append(self.format(self.gettext("sheet '%(sheet)s'"), words))
        if finding.row and finding.code.startswith("CP4"):  # a narrative's finding: a line of its text
            parts.append(self.format(self.gettext("line %(row)s"), words))
        elif finding.row:
            parts.append(self.format(self.gettext("row %(row)s"), words))
        if finding.column:
            parts.append(self.format(self.gettext("column '%(column)s'"), words))
        return self.join(ARABIC_COMMA + " " if self.arabic else ", ", parts)
