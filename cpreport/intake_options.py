"""The intake options: what the config adds to the input contract, for a project whose sheets differ from it.

[columns] gives the project's own headers for the contract's columns, [values] its own values, [files] the
options of one file (encoding, delimiter, header row, sheet, table) and [limits] what one file may ask of the
machine. Each is an `Option` (checking.py); options.py names them among the config's keys, and config.py
gathers what they make into the contract's `Intake`."""
from __future__ import annotations

import codecs
import difflib

from .checking import Option, unknown_key
from .said import Said
from .contract import (CHOICES, GOVERNORATE, CHOICE, TABLES, FileOptions, choice_lookup, fold, fold_path, governorates,
                       match_governorate, nearest)


def _table_and_column(key: str, table: str, column: str | None, problems: list):
    """The contract's table (and column) a [columns] or [values] key names, or a problem naming the nearest."""
    if table not in TABLES:
        unknown_key(f"{key}.{table}", [f"{key}.{t}" for t in TABLES], problems)
        return None, None
    if column is None:
        return TABLES[table], None
    names = [c.name for c in TABLES[table].columns]
    if column not in names:
        unknown_key(f"{key}.{table}.{column}", [f"{key}.{table}.{n}" for n in names], problems)
        return TABLES[table], None
    return TABLES[table], TABLES[table].column(column)



def _allowed_value(column, meant: object):
    """The value a [values] entry stands for, as the column reads it; None if the column does not allow it."""
    if not isinstance(meant, str):
        return None
    if column.kind == CHOICE:
        return choice_lookup(column.choices).get(fold(meant))
    if column.kind == GOVERNORATE:
        return match_governorate(meant) and meant
    return meant


def _meaning(column, value):
    """What an allowed value means: a governorate by its p-code (spellings of one alike), a choice as it is."""
    if column.kind == GOVERNORATE:
        found = match_governorate(value)
        return getattr(found, "pcode", found)
    return value


FILE_OPTIONS = {"encoding": str, "delimiter": str, "header_row": int, "sheet": str, "table": str}


class Columns(Option):
    """[columns.activities] participants = "Total number of participants" (or a list of headers)."""

    def check(self, key, value, checking):
        problems = checking.problems
        found: dict = {}
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            problems.append(Said("'columns' must be tables of headers, e.g. [columns.activities] with participants = "
                                 "\"Total\""))
            return found
        for table_name, mapping in value.items():
            if _table_and_column("columns", table_name, None, problems)[0] is None:
                continue  # said once for the table, not once for each of its keys
            for column_name, headers in mapping.items():
                table, column = _table_and_column("columns", table_name, column_name, problems)
                if column is None:
                    continue
                headers = [headers] if isinstance(headers, str) else headers
                if not isinstance(headers, list) or not headers or not all(isinstance(h, str) and fold(h) for h in headers):
                    problems.append(Said("'columns.%(table)s.%(column)s' must be a header, or a list of headers, as text",
                                         table=table_name, column=column_name))
                    continue
                for header in headers:
                    other = next((c.name for c in table.columns if fold(header) in c.keys and c.name != column_name), None)
                    if other:
                        problems.append(Said("'columns.%(table)s.%(column)s': the header '%(header)s' is already read "
                                             "as '%(other)s'", table=table_name, column=column_name, header=header,
                                             other=other))
                found.setdefault(table_name, {})[column_name] = tuple(headers)
        return found


class Values(Option):
    """[values.activities.type] "Awareness session" = "workshop"."""

    def check(self, key, value, checking):
        problems = checking.problems
        found: dict = {}
        spelt: dict = {}  # (table, column, folded) -> the value as the config first writes it
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            problems.append(Said("'values' must be tables of values, e.g. [values.activities.type] with "
                                 "\"Awareness session\" = \"workshop\""))
            return found
        for table_name, columns in value.items():
            if _table_and_column("values", table_name, None, problems)[0] is None:
                continue  # said once for the table, not once for each of its keys
            for column_name, mapping in columns.items():
                table, column = _table_and_column("values", table_name, column_name, problems)
                if column is None:
                    continue
                if not isinstance(mapping, dict):
                    problems.append(Said("'values.%(table)s.%(column)s' must be a table of \"as written\" = \"value\"",
                                         table=table_name, column=column_name))
                    continue
                for written, meant in mapping.items():
                    canonical = _allowed_value(column, meant)
                    if canonical is None:
                        where = {"table": table_name, "column": column_name, "value": meant}
                        if column.kind != CHOICE:
                            near = nearest(meant, [g.name_en for g in governorates()], 0.6)
                            problems.append(Said("'values.%(table)s.%(column)s': '%(value)s' is not an allowed value of "
                                                 "'%(column)s'; did you mean '%(near)s'?", **where, near=near) if near
                                            else Said("'values.%(table)s.%(column)s': '%(value)s' is not an allowed "
                                                      "value of '%(column)s'; give a governorate's name or p-code",
                                                      **where))
                            continue
                        allowed = list(CHOICES[column.choices])
                        close = difflib.get_close_matches(str(meant), allowed, n=1)
                        problems.append(Said("'values.%(table)s.%(column)s': '%(value)s' is not an allowed value of "
                                             "'%(column)s'; did you mean '%(near)s'?", **where, near=close[0]) if close
                                        else Said("'values.%(table)s.%(column)s': '%(value)s' is not an allowed value of "
                                                  "'%(column)s'; allowed: %(allowed)s", **where,
                                                  allowed=", ".join(allowed)))
                        continue
                    if not fold(written):
                        problems.append(Said("'values.%(table)s.%(column)s': the value as written must not be empty",
                                             table=table_name, column=column_name))
                        continue
                    given = found.setdefault(table_name, {}).setdefault(column_name, {})
                    builtin = _allowed_value(column, written)
                    if builtin is not None and _meaning(column, builtin) != _meaning(column, canonical):
                        # "Training" = "workshop": a value the column already reads as another would change meaning.
                        problems.append(Said("'values.%(table)s.%(column)s': '%(written)s' is already read as "
                                             "'%(other)s'", table=table_name, column=column_name, written=written,
                                             other=builtin))
                        continue
                    if _meaning(column, given.get(fold(written), canonical)) != _meaning(column, canonical):
                        # Two spellings of one value ("Awareness session", "awareness-session") meaning two things:
                        # whichever came last would win, unsaid.
                        first = spelt[(table_name, column_name, fold(written))]
                        problems.append(Said("'values.%(table)s.%(column)s': '%(written)s' and '%(first)s' are "
                                             "read alike, but one is '%(meant)s' and the other '%(other)s'; keep one",
                                             table=table_name, column=column_name, written=written, first=first,
                                             meant=canonical, other=given[fold(written)]))
                        continue
                    spelt.setdefault((table_name, column_name, fold(written)), written)
                    given[fold(written)] = canonical
        return found


class Files(Option):
    """[files."anbar/activities.csv"] encoding = "cp1256", delimiter = ";", header_row = 3, sheet, table."""

    def check(self, key, value, checking):
        problems = checking.problems
        found: dict = {}
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            problems.append(Said("'files' must be tables of options, e.g. [files.\"anbar/activities.csv\"] with "
                                 "encoding = \"cp1256\""))
            return found
        for name, options in value.items():
            checked: dict = {}
            for option, setting in options.items():
                if option not in FILE_OPTIONS:
                    unknown_key(f"files.{name}.{option}", [f"files.{name}.{o}" for o in FILE_OPTIONS], problems)
                elif not isinstance(setting, FILE_OPTIONS[option]) or isinstance(setting, bool):
                    problems.append(Said("'files.%(file)s.%(option)s' must be a whole number", file=name, option=option)
                                    if FILE_OPTIONS[option] is int else
                                    Said("'files.%(file)s.%(option)s' must be text", file=name, option=option))
                else:
                    checked[option] = setting
            if "encoding" in checked:
                try:
                    codecs.lookup(checked["encoding"])
                except LookupError:
                    problems.append(Said("'files.%(file)s.encoding': '%(value)s' is not an encoding; use e.g. utf-8, "
                                         "cp1256 or utf-16", file=name, value=checked.pop("encoding")))
            if "delimiter" in checked and checked["delimiter"] not in (",", ";", "\t", "|", "\\t", "tab"):
                problems.append(Said("'files.%(file)s.delimiter' must be \",\", \";\", \"|\" or \"\\t\" (tab)", file=name))
                checked.pop("delimiter")
            elif checked.get("delimiter") in ("\\t", "tab"):
                checked["delimiter"] = "\t"
            if "header_row" in checked and not 1 <= checked["header_row"] <= 1000:
                problems.append(Said("'files.%(file)s.header_row' must be a row number from 1 to 1000", file=name))
                checked.pop("header_row")
            if "table" in checked and checked["table"] not in TABLES:
                unknown_key(f"files.{name}.table = '{checked.pop('table')}'", [f"files.{name}.table = '{t}'" for t in TABLES],
                         problems)
            found[fold_path(name)] = FileOptions(**checked)
        return found


class FileLimits(Option):
    """[limits]: whole numbers above zero, each replacing one of load.limits.Limits' defaults."""

    def check(self, key, value, checking):
        problems = checking.problems
        from .contract import LIMIT_KEYS, Limits

        if not isinstance(value, dict):
            problems.append(Said("'limits' must be a table such as [limits] cells = 50000000"))
            return None
        given = {}
        for name, number in value.items():
            if name not in LIMIT_KEYS:
                unknown_key(f"limits.{name}", [f"limits.{k}" for k in LIMIT_KEYS], problems)
            elif isinstance(number, bool) or not isinstance(number, int) or number < 1:
                problems.append(Said("'limits.%(key)s' must be a whole number above 0, not %(value)s", key=name,
                                     value=repr(number)))
            else:
                given[name] = number
        return Limits(**given)
