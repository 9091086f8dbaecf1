"""The validate stage: read each cell as its column's type and check the rules, collecting findings."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from .contract import (CHOICE, CHOICES, DATE, GOVERNORATE, ID, INTEGER, PARTICIPANT_GROUPS, TABLES, Table,
                       choice_lookup, fold, match_governorate)
from .findings import ERROR, Code, Findings, finding
from .load import ROW, Loaded, Sheet

DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Dates outside these years are typing mistakes in this programme's sheets, not real dates.
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100

MONTHS = {
    **{fold(m): i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                         "september", "october", "november", "december"), 1)},
    **{fold(m): i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                         "nov", "dec"), 1)},
    # Iraqi (Levantine) month names, and the ones used across the Arab world.
    **{fold(m): i for i, m in enumerate(("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب",
                                         "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"), 1)},
    **{fold(m): i for i, m in enumerate(("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
                                         "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"), 1)},
}


@dataclass
class Parsed:
    """A column read as its type: the values, the cells that failed (by code), and the cells converted."""

    values: pd.Series
    failures: dict[Code, pd.Series] = field(default_factory=dict)
    converted: pd.Series | None = None
    details: dict[Code, pd.Series] = field(default_factory=dict)


def _texts(raw: pd.Series) -> pd.Series:
    """The cells that hold text, as text."""
    return raw[raw.map(type) == str]


def parse_integers(raw: pd.Series) -> Parsed:
    present = raw.notna()
    numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
    failures: dict[Code, pd.Series] = {}
    converted = pd.Series(False, index=raw.index)
    texts = _texts(raw)
    ambiguous = pd.Series(False, index=raw.index)
    if len(texts):
        # "1.100" may be one thousand one hundred or one point one: never guess.
        ambiguous[texts.index] = texts.str.translate(DIGITS).str.fullmatch(r"-?\d{1,3}(\.\d{3})+")
        retry = texts[numbers[texts.index].isna() | ambiguous[texts.index]]
        if len(retry):
            cleaned = (retry.str.translate(DIGITS).str.replace("٫", ".", regex=False)
                       .str.replace(r"(?<=\d)[,٬'’ ](?=\d{3}(?:\D|$))", "", regex=True).str.replace(" ", ""))
            again = pd.to_numeric(cleaned, errors="coerce")
            numbers[retry.index] = again
            converted[retry.index] = again.notna()
    numbers[ambiguous] = np.nan
    converted &= ~ambiguous
    failures[Code.CP204] = ambiguous
    failures[Code.CP202] = present & numbers.isna() & ~ambiguous | (numbers.notna() & (numbers % 1 != 0))
    failures[Code.CP203] = numbers < 0
    good = numbers.where(~(failures[Code.CP202] | failures[Code.CP203]))
    return Parsed(good.round().astype("Int64"), failures, converted)


def _dates_from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    parts = pd.DataFrame({"year": year, "month": month, "day": day}).astype("float64")
    return pd.to_datetime(parts, errors="coerce")


def parse_dates(raw: pd.Series) -> Parsed:
    present = raw.notna()
    kinds = raw.map(type)
    values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    converted = pd.Series(False, index=raw.index)
    impossible = pd.Series(False, index=raw.index)
    ambiguous = pd.Series(False, index=raw.index)
    month_first = pd.Series(False, index=raw.index)
    details = {Code.CP206: pd.Series("", index=raw.index, dtype=object),
               Code.CP213: pd.Series("", index=raw.index, dtype=object)}

    is_date = kinds.isin([dt.datetime, dt.date, pd.Timestamp])
    if is_date.any():
        values[is_date] = pd.to_datetime(raw[is_date].astype(str), errors="coerce").dt.normalize()
    serial = pd.Series(np.nan, index=raw.index)
    is_number = kinds.isin([int, float, np.int64, np.float64])
    serial[is_number] = raw[is_number].astype("float64")

    texts = _texts(raw)
    if len(texts):
        text = texts.str.translate(DIGITS).str.replace(r"\s+", " ", regex=True)
        iso = text.str.extract(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
        dmy = text.str.extract(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
        named = text.str.extract(r"^(\d{1,2})[ -]([^\d\s-][^\d]*?)[ -,]*(\d{4})$")
        numeric = text.str.fullmatch(r"\d{5}(?:\.\d+)?")
        serial[numeric[numeric].index] = text[numeric].astype("float64")
        converted[numeric[numeric].index] = True

        year, month, day = (pd.Series(np.nan, index=texts.index) for _ in range(3))
        has_iso = iso[0].notna()
        year[has_iso], month[has_iso], day[has_iso] = (iso.loc[has_iso, i].astype(float) for i in range(3))
        has_dmy = dmy[0].notna()
        two_digit_year = has_dmy & (dmy[2].str.len() == 2)
        ambiguous[two_digit_year[two_digit_year].index] = True
        details[Code.CP206][two_digit_year[two_digit_year].index] = "two-digit year"
        four = has_dmy & ~two_digit_year
        d, m = dmy.loc[four, 0].astype(float), dmy.loc[four, 1].astype(float)
        swapped = (m > 12) & (d <= 12)
        month_first[swapped[swapped].index] = True
        details[Code.CP213][swapped[swapped].index] = "there is no month " + dmy.loc[swapped[swapped].index, 1]
        year[four], month[four], day[four] = dmy.loc[four, 2].astype(float), m, d
        has_named = named[0].notna()
        if has_named.any():
            month_number = named.loc[has_named, 1].map(lambda name: MONTHS.get(fold(name)))
            known = month_number.notna()
            idx = month_number[known].index
            year[idx], month[idx], day[idx] = named.loc[idx, 2].astype(float), month_number[known].astype(float), named.loc[idx, 0].astype(float)
        parsed = _dates_from_parts(year, month, day)
        tried = year.notna()
        values[parsed.index] = values[parsed.index].where(parsed.isna(), parsed)
        # Plain ISO text is how CSV files write dates: only other spellings are worth a note.
        plain = texts.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        converted[tried[tried & ~plain].index] = True
        impossible[tried[tried & parsed.isna()].index] = True

    has_serial = serial.notna()
    if has_serial.any():
        days = serial[has_serial]
        as_dates = EXCEL_EPOCH + pd.to_timedelta(days.clip(0, 80000).astype(int), unit="D")
        values[days.index] = as_dates.where((days >= 1) & (days < 80000))
    in_range = values.dt.year.between(EARLIEST_YEAR, LATEST_YEAR)
    values = values.where(in_range)
    converted &= values.notna()
    unread = present & values.isna() & ~ambiguous & ~month_first
    failures = {Code.CP205: unread, Code.CP206: ambiguous, Code.CP213: month_first}
    return Parsed(values, failures, converted, details)


def parse_governorates(raw: pd.Series) -> Parsed:
    uniques = raw.dropna().unique()
    pcodes = raw.map({u: match_governorate(u) for u in uniques})
    return Parsed(pcodes.astype("category"), {Code.CP208: raw.notna() & pcodes.isna()})


def parse_choices(raw: pd.Series, enumeration: str) -> Parsed:
    lookup = choice_lookup(enumeration)
    uniques = raw.dropna().unique()
    values = raw.map({u: lookup.get(fold(u)) for u in uniques})
    allowed = ", ".join(f"{en} ({ar})" for en, ar, _ in CHOICES[enumeration].values())
    unknown = raw.notna() & values.isna()
    return Parsed(values.astype("category"), {Code.CP207: unknown},
                  details={Code.CP207: pd.Series(allowed, index=raw.index)})


def parse_text(raw: pd.Series) -> Parsed:
    texts = raw.copy()
    others = raw.notna() & (raw.map(type) != str)
    if others.any():
        # Ids typed as numbers come back from Excel as 1.0: give them back as the user sees them.
        texts[others] = raw[others].map(lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    return Parsed(texts.astype(object))


def parse(raw: pd.Series, kind: str, choices: str | None) -> Parsed:
    if kind == INTEGER:
        return parse_integers(raw)
    if kind == DATE:
        return parse_dates(raw)
    if kind == GOVERNORATE:
        return parse_governorates(raw)
    if kind == CHOICE:
        return parse_choices(raw, choices)
    return parse_text(raw)


@dataclass
class Checked:
    """What the validate stage hands on: typed tables (with the user's row numbers) and all findings."""

    forums: pd.DataFrame
    activities: pd.DataFrame
    displacement: pd.DataFrame
    sources: dict[str, tuple[str, str]]  # table -> (file, sheet)
    findings: Findings

    @property
    def ok(self) -> bool:
        return self.findings.errors == 0


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame({ROW: pd.Series(dtype="int64"), **{c.name: pd.Series(dtype=object) for c in table.columns}})


def _report(findings: Findings, sheet: Sheet, code: Code, mask: pd.Series, column: str, raw: pd.Series,
            details: pd.Series | None = None, **extra) -> None:
    """One finding for each failing cell; the loop runs over failures only."""
    for index in mask[mask.fillna(False).astype(bool)].index:
        value = raw[index]
        findings.add(finding(code, file=sheet.file, sheet=sheet.sheet, row=int(sheet.frame.at[index, ROW]),
                             column=sheet.header(column), value="" if value is None or value is pd.NA else value,
                             detail="" if details is None else details[index], **extra))


def check_cells(sheet: Sheet, findings: Findings) -> pd.DataFrame:
    """Read every column as its type; one finding per failing cell, one note per converted column."""
    frame = sheet.frame
    typed = pd.DataFrame({ROW: frame[ROW]})
    for column in sheet.table.columns:
        if column.name not in frame:
            typed[column.name] = pd.Series(None, index=frame.index, dtype=object)
            continue
        raw = frame[column.name]
        parsed = parse(raw, column.kind, column.choices)
        typed[column.name] = parsed.values
        for code, mask in parsed.failures.items():
            _report(findings, sheet, code, mask, column.name, raw, parsed.details.get(code))
        if column.required:
            _report(findings, sheet, Code.CP201, raw.isna(), column.name, raw)
        if parsed.converted is not None and parsed.converted.any():
            first = parsed.converted.idxmax()
            findings.add(finding(Code.CP211, file=sheet.file, sheet=sheet.sheet, row=int(frame.at[first, ROW]),
                                 column=sheet.header(column.name), value=raw[first], detail=int(parsed.converted.sum())))
    return typed


def _duplicates(sheet: Sheet, typed: pd.DataFrame, findings: Findings) -> pd.DataFrame:
    id_column = sheet.table.id_column
    if id_column and id_column in sheet.headers:
        ids = typed[id_column]
        repeated = ids.notna() & ids.duplicated(keep=False)
        if repeated.any():
            rows_of = typed[repeated].groupby(id_column)[ROW].agg(lambda rows: ", ".join(map(str, rows)))
            later = repeated & ids.duplicated(keep="first")
            _report(findings, sheet, Code.CP209, later, id_column, sheet.frame[id_column], ids.map(rows_of))
        return typed
    # A table without ids: an exact repeat is counted once, and said.
    columns = [c for c in typed.columns if c != ROW]
    repeat = typed.duplicated(subset=columns, keep="first")
    if repeat.any():
        first_rows = typed.groupby(columns, dropna=False, observed=True)[ROW].transform("first")
        first_column = next(iter(sheet.headers))
        _report(findings, sheet, Code.CP210, repeat, first_column, sheet.frame[first_column], first_rows)
    return typed[~repeat]


@dataclass(frozen=True)
class RowRule:
    """A rule across the columns of one row: which rows break it, and what the finding shows."""

    table: str
    code: Code
    column: str  # the cell the finding points at
    needs: tuple[str, ...]
    broken: Callable[[pd.DataFrame], pd.Series]
    value: Callable[[pd.DataFrame], pd.Series]
    detail: Callable[[pd.DataFrame], pd.Series]


def _groups_total(t: pd.DataFrame) -> pd.Series:
    return t[list(PARTICIPANT_GROUPS)].sum(axis=1, min_count=1)


def _day(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%d/%m/%Y")


ROW_RULES = (
    RowRule("activities", Code.CP301, "female", ("female", "participants"),
            lambda t: t["female"] > t["participants"], lambda t: t["female"], lambda t: t["participants"]),
    RowRule("activities", Code.CP302, "participants", ("participants",),
            lambda t: t[list(PARTICIPANT_GROUPS)].notna().any(axis=1) & (_groups_total(t) != t["participants"]),
            _groups_total, lambda t: t["participants"]),
    RowRule("activities", Code.CP303, "end_date", ("start_date", "end_date"),
            lambda t: t["end_date"] < t["start_date"], lambda t: _day(t["end_date"]), lambda t: _day(t["start_date"])),
)


def check_rows(sheet: Sheet, typed: pd.DataFrame, findings: Findings) -> None:
    for rule in ROW_RULES:
        if rule.table != sheet.table.name or not all(c in sheet.headers for c in rule.needs):
            continue
        broken = rule.broken(typed).fillna(False).astype(bool)
        if broken.any():
            values, details = rule.value(typed), rule.detail(typed)
            for index in broken[broken].index:
                findings.add(finding(rule.code, file=sheet.file, sheet=sheet.sheet, row=int(typed.at[index, ROW]),
                                     column=sheet.header(rule.column), value=values[index], detail=details[index]))


def _after_period(sheet: Sheet, typed: pd.DataFrame, column: str, period_end: dt.date, findings: Findings) -> None:
    late = typed[column] > pd.Timestamp(period_end)
    if late.any():
        first = late.idxmax()
        findings.add(finding(Code.CP305, file=sheet.file, sheet=sheet.sheet, row=int(typed.at[first, ROW]),
                             column=sheet.header(column), value=period_end.strftime("%d/%m/%Y"),
                             detail=int(late.sum())))


def displacement_totals(displacement: pd.DataFrame) -> pd.DataFrame:
    """One figure per scope, metric and as_of date: the row without a governorate, else the sum over them."""
    keys = ["scope", "metric", "as_of"]
    frame = displacement.dropna(subset=keys + ["individuals"])
    if frame.empty:
        return pd.DataFrame(columns=keys + ["individuals", "rows"])
    national = frame["governorate"].isna()
    has_total = frame.assign(t=national).groupby(keys, observed=True)["t"].transform("any")
    used = frame[national | ~has_total]
    totals = used.groupby(keys, observed=True).agg(individuals=("individuals", "sum"),
                                                   rows=(ROW, lambda r: sorted(int(x) for x in r)))
    return totals.reset_index()


def check_displacement(sheet: Sheet, typed: pd.DataFrame, period_end: dt.date, scopes: set[str],
                       findings: Findings) -> None:
    where = {"file": sheet.file, "sheet": sheet.sheet}
    for scope in sorted(set(typed["scope"].dropna()) - scopes):
        first = typed.index[typed["scope"] == scope][0]
        findings.add(finding(Code.CP308, **where, row=int(typed.at[first, ROW]), column=sheet.header("scope"), value=scope))
    # The same figure twice with different values.
    keys = ["scope", "metric", "as_of", "governorate"]
    clash = typed.dropna(subset=["scope", "metric", "as_of", "individuals"])
    clash = clash[clash.groupby(keys, dropna=False, observed=True)["individuals"].transform("nunique") > 1]
    for (scope, metric, as_of, _), group in clash.groupby(keys, dropna=False, observed=True):
        values = ", ".join(f"{v:,} in row {r}" for v, r in zip(group["individuals"], group[ROW]))
        for row in group[ROW].iloc[1:]:
            findings.add(finding(Code.CP309, **where, row=int(row), column=sheet.header("individuals"),
                                 value=as_of.strftime("%d/%m/%Y"), scope=scope, metric=metric, detail=values))
    in_period = typed[typed["as_of"] <= pd.Timestamp(period_end)]
    totals = displacement_totals(in_period)
    if totals.empty:
        return
    wide = totals.pivot_table(index=["scope", "as_of"], columns="metric", values="individuals", aggfunc="sum",
                              observed=True)
    needed = ["displaced_cumulative", "returned_cumulative", "displaced_current"]
    if all(m in wide for m in needed):
        same_day = wide.dropna(subset=needed)
        bad = same_day[same_day["returned_cumulative"] + same_day["displaced_current"] > same_day["displaced_cumulative"]]
        for (scope, as_of), figures in bad.iterrows():
            rows = totals[(totals.scope == scope) & (totals.as_of == as_of)]["rows"].sum()
            findings.add(finding(Code.CP306, **where, row=int(min(rows)), column=sheet.header("individuals"),
                                 value=as_of.strftime("%d/%m/%Y"), scope=scope,
                                 returned=f"{int(figures['returned_cumulative']):,}",
                                 current=f"{int(figures['displaced_current']):,}",
                                 cumulative=f"{int(figures['displaced_cumulative']):,}"))
    # The latest figure of each metric, when their dates differ.
    latest = totals.sort_values("as_of").groupby(["scope", "metric"], observed=True).tail(1).set_index(["scope", "metric"])
    for scope in latest.index.get_level_values(0).unique():
        figures = latest.loc[scope]
        if not all(m in figures.index for m in needed) or figures.loc[needed, "as_of"].nunique() == 1:
            continue
        returned, current, cumulative = (figures.loc[m] for m in ("returned_cumulative", "displaced_current",
                                                                    "displaced_cumulative"))
        if returned.individuals + current.individuals > cumulative.individuals:
            findings.add(finding(Code.CP307, **where, row=int(min(current.rows)), column=sheet.header("individuals"),
                                 value=f"{current.individuals:,}", scope=scope,
                                 returned=f"{returned.individuals:,}", returned_on=returned.as_of.strftime("%d/%m/%Y"),
                                 current=f"{current.individuals:,}", current_on=current.as_of.strftime("%d/%m/%Y"),
                                 cumulative=f"{cumulative.individuals:,}",
                                 cumulative_on=cumulative.as_of.strftime("%d/%m/%Y")))


def validate(loaded: Loaded, period_end: dt.date, scopes: set[str] = frozenset()) -> Checked:
    """Check the loaded sheets against the contract and the rules; hand on typed tables and every finding."""
    findings = Findings(list(loaded.findings))
    typed: dict[str, pd.DataFrame] = {name: _empty(table) for name, table in TABLES.items()}
    sources: dict[str, tuple[str, str]] = {}
    for name, sheet in loaded.sheets.items():
        sources[name] = (sheet.file, sheet.sheet)
        if sheet.frame.empty:
            findings.add(finding(Code.CP005, file=sheet.file, sheet=sheet.sheet, severity="warning"))
        table = check_cells(sheet, findings)
        table = _duplicates(sheet, table, findings)
        check_rows(sheet, table, findings)
        typed[name] = table

    forums, activities, displacement = typed["cpfs"], typed["activities"], typed["displacement"]
    if "cpfs" in loaded.sheets:
        sheet = loaded.sheets["cpfs"]
        if "name_ar" in sheet.headers:
            _report(findings, sheet, Code.CP212, forums["name_ar"].isna() & forums["name_en"].notna(), "name_ar",
                    sheet.frame["name_ar"])
        _after_period(sheet, forums, "established_on", period_end, findings)
    if "activities" in loaded.sheets:
        sheet = loaded.sheets["activities"]
        activities["end_date"] = activities["end_date"].fillna(activities["start_date"])
        if "cpf_id" in sheet.headers and "cpfs" in loaded.sheets:
            unknown = activities["cpf_id"].notna() & ~activities["cpf_id"].isin(set(forums["cpf_id"].dropna()))
            _report(findings, sheet, Code.CP304, unknown, "cpf_id", sheet.frame["cpf_id"])
        _after_period(sheet, activities, "start_date", period_end, findings)
    if "displacement" in loaded.sheets:
        sheet = loaded.sheets["displacement"]
        _after_period(sheet, displacement, "as_of", period_end, findings)
        check_displacement(sheet, displacement, period_end, set(scopes), findings)
    if "cpfs" in typed and "status" in forums:
        forums["status"] = forums["status"].astype(object).fillna("active")
    return Checked(forums, activities, displacement, sources, findings)


__all__ = ["Checked", "validate", "parse_dates", "parse_integers", "displacement_totals", "ERROR"]
