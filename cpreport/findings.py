"""Findings: what is wrong with the sheets, where, and how to fix it, kept as data (a code and its parameters) and
worded only when shown, in the language asked, from the message catalogs (messages.py)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import numbers
from dataclasses import asdict, dataclass, field, replace

# The codes and their words live in codes.py; they are named here too, as every stage imports them with findings.
from .codes import ERROR, NOTE, REASONS, SEVERITY_ORDER, STRICT_EXEMPT, WARNING, Code, N_, Plural, ngettext  # noqa: F401
from .visible import visible


@dataclass
class Finding:
    """One finding, as data: where it is, the value as typed, and the parameters its message is worded from."""

    code: str
    severity: str
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    # What the message says besides the place and the value: counts, dates (ISO), row runs ("2-4, 7"), tables,
    # typed texts, reasons (keys). JSON data, kept in the parse cache and printed by `validate --json`.
    parameters: dict = field(default_factory=dict)
    column_number: int | None = None  # 1-based, for the annotated copy; not part of the CSV
    # A finding said once for many cells (with_rows): how many, and their rows as runs ("2-100001"), which the
    # annotated copy marks. Not part of the CSV: the message says them.
    cells: int = 1
    rows: str = ""

    @property
    def sort_key(self):
        return (self.file, SEVERITY_ORDER[self.severity], self.sheet, self.row or 0, self.code)

    def message(self, language: str = "en", style: str = "plain") -> str:
        """The message in a language ("en", "ar"), worded now from the catalogs. style: "plain" (the terminal),
        "isolated" (typed values between Unicode isolates: CSV, workbook comments) or "html" (Markup, in <bdi>)."""
        from .messages import message

        return message(self, language, style)

    @property
    def message_en(self) -> str:
        return self.message("en")

    @property
    def message_ar(self) -> str:
        return self.message("ar")

    def as_data(self) -> dict:
        """The finding as `validate --json` prints it."""
        return {"code": self.code, "severity": self.severity, "file": self.file, "sheet": self.sheet,
                "row": self.row, "column": self.column, "value": self.value, "parameters": self.parameters,
                "cells": self.cells, "message_en": self.message_en, "message_ar": self.message_ar}


VALUE_SHOWN = 200


def _data(value: object) -> object:
    """A parameter as JSON data: counts as int, days as ISO dates, lists as lists; other things as text."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(value, dt.datetime):  # a pandas Timestamp too
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _data(v) for k, v in value.items()}
    return str(value)


def finding(code: Code, *, file: str = "", sheet: str = "", row: int | None = None, column: str = "",
            value: object = "", severity: str | None = None, column_number: int | None = None,
            **parameters: object) -> Finding:
    """Make a finding: its place, the value as typed, and its parameters as data (worded when shown)."""
    text = "" if value is None else str(value)
    if len(text) > VALUE_SHOWN:  # a finding quotes a cell, never a whole 30 MB of it
        text = f"{text[:VALUE_SHOWN]}…"
    kept = {}
    for name, given in parameters.items():
        if given is None or given == "":
            continue
        if name in ("rows", "lines") and isinstance(given, str) and given.startswith("["):
            given = json.loads(given)  # rows in several parts of a table (validate/report.py row_places)
        kept[name] = _data(given)
    return Finding(code.name, severity or code.severity, file, sheet, row, column, text, kept,
                   column_number)


def with_rows(made: Finding, count: int, rows: str, values: int = 1) -> Finding:
    """A finding said once for many cells: its message ends with how many, and their rows as runs."""
    parameters = {**made.parameters, "cells": count, "cell_rows": rows}
    if values > 1:
        parameters["other_values"] = values
    return replace(made, parameters=parameters, cells=count, rows=rows)


def runs(numbers, most: int = 12) -> str:
    """Row or line numbers, in order, as runs: "2-100001, 100005, 100007-100009", the first `most` runs, then "…"."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        elif not spans or number != spans[-1][1]:
            if len(spans) == most:
                return _spans(spans) + ", …"
            spans.append([number, number])
    return _spans(spans)


def _spans(spans: list[list[int]]) -> str:
    return ", ".join(str(a) if a == b else f"{a}, {b}" if b == a + 1 else f"{a}-{b}" for a, b in spans)


@dataclass
class Findings:
    """All findings of one run, in the order they were made."""

    items: list[Finding] = field(default_factory=list)

    def add(self, item: Finding) -> None:
        self.items.append(item)

    def extend(self, items) -> None:
        self.items.extend(items)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.items if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    def strict(self) -> Findings:
        """Warnings become errors (the --strict option), but for rows dated after the period (CP305):
        those are about the month chosen, not a fault in the sheets, and a past month always has them."""
        return Findings([replace(f, severity=ERROR if f.severity == WARNING and f.code not in STRICT_EXEMPT
                                 else f.severity) for f in self.items])

    def sorted(self) -> list[Finding]:
        return sorted(self.items, key=lambda f: f.sort_key)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


CSV_COLUMNS = ("severity", "code", "file", "sheet", "row", "column", "value", "message_en", "message_ar")


def _neutralise(text: str) -> str:
    """Keep spreadsheet programs from running a value as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(findings: Findings) -> str:
    """validation.csv: one line per finding, both messages, typed values between Unicode isolates (so that a Latin
    value in an Arabic message stays where it is said)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings.sorted():
        row = {**asdict(f), "message_en": f.message("en", "isolated"), "message_ar": f.message("ar", "isolated")}
        # Data kept (tabs and line breaks too, which CSV quotes), but no terminal escapes for whoever `cat`s it.
        writer.writerow([_neutralise(visible("" if row[c] is None else str(row[c]), keep="\t\n\r"))
                         for c in CSV_COLUMNS])
    # A BOM so that Excel opens the Arabic messages as UTF-8.
    return "\ufeff" + out.getvalue()


def to_json(findings: Findings) -> str:
    """The findings as data: a JSON array, in the order they are shown."""
    return json.dumps([f.as_data() for f in findings.sorted()], ensure_ascii=False, indent=1)


def show(findings: Findings, stream=None, quiet: bool = False, language: str = "en", written: bool = True) -> None:
    """Print the findings on the terminal (or a log): see terminal.py."""
    from .terminal import show as shown

    try:
        shown(findings, stream, quiet, language, written)
    except (OSError, UnicodeEncodeError):  # a stream that cannot take them (cron's log on a full disk, a terminal
        pass  # without Arabic): validation.csv and the log keep them
