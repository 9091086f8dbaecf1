"""The findings on the terminal, in the officer's language: grouped by file, errors first, with counts.

On a terminal each finding is a block (a heading with its severity, code and place, the message wrapped below), so
that it stays readable at 60 columns as at 120; elsewhere (cron, a log) plain lines. Routine notes (values
converted on reading) are summed up in one line per file; validation.csv keeps each of them.
"""
from __future__ import annotations

import sys
from dataclasses import replace

from .digits import ARABIC_COMMA, ARABIC_SEMICOLON
from .findings import ERROR, NOTE, WARNING, Finding, Findings
from .messages import Saying
from .visible import visible

ROUTINE = {"CP211"}  # notes about values read as they should be (converted): summed up, one line per file
LANGUAGES = {"en": ("en",), "ar": ("ar",), "both": ("en", "ar")}
STYLES = {ERROR: "bold red", WARNING: "yellow", NOTE: "dim"}


def in_languages(language: str, words) -> str:
    """A message in each language asked ("en", "ar", "both"), a line each: words(saying) words it in one."""
    return "\n".join(words(Saying(lang)) for lang in LANGUAGES.get(language, ("en",)))


def counts(items: list[Finding], say: Saying) -> str:
    """"2 errors, 1 warning, 0 notes", with each language's plurals."""
    said = [say.ngettext("%(num)s error", "%(num)s errors", n) % {"num": say.number(n)}
            for n in [sum(f.severity == ERROR for f in items)]]
    said.append(say.ngettext("%(num)s warning", "%(num)s warnings", n := sum(f.severity == WARNING for f in items))
                % {"num": say.number(n)})
    said.append(say.ngettext("%(num)s note", "%(num)s notes", n := sum(f.severity == NOTE for f in items))
                % {"num": say.number(n)})
    return (ARABIC_COMMA + " " if say.arabic else ", ").join(said)


def routine_line(items: list[Finding], say: Saying, written: bool = True) -> str:
    """One line for a file's routine notes: how many values were converted on reading, in how many columns."""
    values = sum(int(f.parameters.get("count", 1)) for f in items if f.code == "CP211")
    columns = len({(f.sheet, f.column) for f in items if f.code == "CP211"})
    said = []
    if values:
        said.append(say.ngettext("%(num)s value was read after conversion (Arabic digits, separators, text dates, "
                                 "N/A read as empty)",
                                 "%(num)s values were read after conversion (Arabic digits, separators, text dates, "
                                 "N/A read as empty)", values) % {"num": say.number(values)}
                    + " " + say.ngettext("in %(num)s column", "in %(num)s columns", columns) % {
                        "num": say.number(columns)})
    others = sum(f.code != "CP211" for f in items)
    if others:
        said.append(say.ngettext("%(num)s other routine note", "%(num)s other routine notes", others) % {
            "num": say.number(others)})
    # `cpreport validate` writes no validation.csv: the list of each is its --json.
    return (ARABIC_SEMICOLON + " " if say.arabic else "; ").join(said) + (
        say.gettext("; validation.csv lists each.") if written else say.gettext("; --json lists each."))


def show(findings: Findings, stream=None, quiet: bool = False, language: str = "en", written: bool = True) -> None:
    """Print the findings grouped by file, errors first, with counts, in `language` ("en", "ar" or "both");
    `written`: whether the run writes them to validation.csv (a build does, `validate` does not)."""
    stream = stream or sys.stderr
    says = [Saying(lang) for lang in LANGUAGES.get(language, ("en",))]
    # What the sheets wrote is shown, never acted on: a cell's escape codes would clear or retitle the terminal.
    items = [replace(f, file=visible(f.file), sheet=visible(f.sheet), column=visible(f.column), value=visible(f.value))
             for f in findings.sorted() if f.severity == ERROR or not quiet]
    by_file: dict[str, list[Finding]] = {}
    for f in items:
        by_file.setdefault(f.file, []).append(f)
    hidden = len(findings.items) - len(items)
    totals = []
    for say in says:
        total = say.gettext("Findings: %(counts)s") % {"counts": counts(findings.items, say)}
        totals.append(total + (say.gettext(" (only the errors are listed).") if hidden else "."))
    if stream.isatty():
        _blocks(by_file, says, totals, stream, quiet and not items, written)
        return
    for file, group in by_file.items():
        print("", file=stream)
        for say in says:
            print(f"{_file_name(file, say)}: {counts(group, say)}", file=stream)
        for f in group:
            if f.code in ROUTINE:
                continue
            for say in says:  # each language's line whole, code and all: a reader of one looks for nothing in the other
                severity = f"{f.severity.upper():7}" if say.language == "en" else say.severity(f.severity)
                heading = f"  {severity} {f.code}"
                where = say.where(f)
                print(f"{heading} {where}: {f.message(say.language)}" if where else f"{heading}: "
                      f"{f.message(say.language)}", file=stream)
        routine = [f for f in group if f.code in ROUTINE]
        for say in says if routine else ():
            print(f"  {routine_line(routine, say, written)}", file=stream)
    if items or not quiet:
        print("", file=stream)
        for total in totals:
            print(total, file=stream)


def _file_name(file: str, say: Saying) -> str:
    return file or say.gettext("(data folder)")


def _blocks(by_file: dict[str, list[Finding]], says: list[Saying], totals: list[str], stream, quiet: bool,
            written: bool = True) -> None:
    """Each finding as a block: a heading line (severity, code, where), then the message wrapped below it."""
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    console = Console(file=stream, highlight=False)
    for file, group in by_file.items():
        console.print()
        for say in says:
            # Text, not markup: a file name such as "[x].xlsx" is the user's, not a style.
            console.print(Text(f"{_file_name(file, say)} — {counts(group, say)}", style="bold"))
        for f in group:
            if f.code in ROUTINE:
                continue
            for n, say in enumerate(says):
                where = say.where(f)
                severity = f.severity.upper() if say.language == "en" else say.severity(f.severity)
                heading = f"{severity} {f.code}"
                if n == 0:
                    console.print(Text(f"{heading} · {where}" if where else heading, style=STYLES[f.severity]))
                console.print(Padding(Text(f.message(say.language)), (0, 0, 0, 2)))
        routine = [f for f in group if f.code in ROUTINE]
        for say in says if routine else ():
            console.print(Padding(Text(routine_line(routine, say, written), style="dim"), (0, 0, 0, 2)))
    if not quiet:
        console.print()
        for total in totals:
            console.print(Text(total, style="bold"))
