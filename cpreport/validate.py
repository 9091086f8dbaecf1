"""The validate stage: read each cell as its column's type and check the rules, collecting findings."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from .contract import (CHOICE, CHOICES, DATE, GOVERNORATE, INTEGER, KEY, PARTICIPANT_GROUPS, TABLES, Table,
                       choice_lookup, fold, governorates, match_governorate, nearest)
from .findings import ERROR, Code, Findings, finding, with_rows
from .load.stacking import split_keys, stack, stack_frames
from .load import (ARROW_TEXT, ROW, Loaded, Sheet, arrow_array, arrow_text, plain_digits, repeats_itself, text_bytes,
                   text_cells)

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
    # Per code: template field -> its value in each cell (a Series), or one value for every cell.
    details: dict[Code, dict[str, object]] = field(default_factory=dict)


NUMBER_TYPES = (int, float, np.int64, np.float64, np.int32, np.float32)
DATE_TYPES = (dt.datetime, dt.date, pd.Timestamp)


@dataclass
class Kinds:
    """Which cells of a column are numbers, dates and text."""

    number: pd.Series
    date: pd.Series
    text: pd.Series


def _kinds(raw: pd.Series) -> Kinds:
    # A column of one kind (all text, all numbers, all dates) is told by one pass in C; only a mixed one is typed
    # cell by cell.
    kind = pd.api.types.infer_dtype(raw, skipna=True)
    present, none = raw.notna(), pd.Series(False, index=raw.index)
    if kind == "string":
        return Kinds(none, none, present)
    if kind in ("integer", "floating", "mixed-integer-float"):
        return Kinds(present, none, none)
    if kind in ("datetime", "date"):
        return Kinds(none, present, none)
    if kind == "empty":
        return Kinds(none, none, none)
    types = raw.map(type)
    return Kinds(types.isin(NUMBER_TYPES), types.isin(DATE_TYPES), types == str)
# Counts beyond this are typing accidents (and would not fit an integer column).
LARGEST_COUNT = 10 ** 12  # CP202 says it


def parse_integers(raw: pd.Series, typed_cells: bool = True) -> Parsed:
    """Counts: numbers, or text with any digits and thousands separators; "1.100" is ambiguous, never guessed."""
    present = raw.notna()
    kinds = _kinds(raw)
    numbers = pd.Series(np.nan, index=raw.index, dtype="float64")
    is_number = kinds.number
    numbers[is_number] = raw[is_number].astype("float64")
    converted = pd.Series(False, index=raw.index)
    ambiguous = pd.Series(False, index=raw.index)
    is_text = kinds.text
    if is_text.any() and (texts := raw[is_text].astype(str)).str.fullmatch("[0-9]{1,15}").all():
        # Plain digits, as a CSV writes counts: nothing to clean or to suspect.
        numbers[texts.index] = pd.to_numeric(texts)
        converted[texts.index] = typed_cells
    elif is_text.any():
        latin = texts.str.strip().str.translate(DIGITS).str.replace("\u066b", ".", regex=False).str.replace("\u2212", "-", regex=False)
        ambiguous[texts.index] = latin.str.fullmatch(r"[-+]?\d{1,3}\.\d{3}")
        # Thousands separators: comma, Arabic thousands sign, Arabic comma (as an Arabic keyboard types
        # it), apostrophe, space; or dots when there are two or more of them (3.042.288).
        dotted = latin.str.fullmatch(r"[-+]?\d{1,3}(\.\d{3}){2,}")
        grouped = latin.str.fullmatch(r"[-+]?\d{1,3}([,\u066c\u060c'\u2019 ]\d{3})+(\.\d+)?") | dotted
        cleaned = latin.where(~grouped, latin.str.replace(r"[,\u066c\u060c'\u2019 ]", "", regex=True))
        cleaned = cleaned.where(~dotted, latin.str.replace(".", "", regex=False))
        read = pd.to_numeric(cleaned.where(~ambiguous[texts.index]), errors="coerce")
        numbers[texts.index] = read
        # Numbers stored as text in a workbook were changed on reading; in a CSV every cell is text.
        converted[texts.index] = read.notna() & ((latin != texts) | grouped | typed_cells)
    whole = numbers.notna() & np.isfinite(numbers) & (numbers % 1 == 0) & (numbers.abs() <= LARGEST_COUNT)
    not_whole = present & ~whole & ~ambiguous
    negative = whole & (numbers < 0)
    good = numbers.where(whole & ~negative)
    return Parsed(good.astype("Int64"), {Code.CP204: ambiguous, Code.CP202: not_whole, Code.CP203: negative},
                  converted & whole & ~negative)


# A time after the date is allowed (exports add 00:00) but must be a time of day: "T25:00" is not one, and a date
# that carries it is said, never read as if the time were not there.
DATE_TIME = (r"(?:[ T](?:(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?"
             r"|(?:0?[1-9]|1[0-2]):[0-5]\d(?::[0-5]\d)? ?[ap]\.?m\.?))?")
ISO = re.compile(rf"(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){DATE_TIME}", re.I)
DAY_FIRST = re.compile(rf"(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}|\d{{2}}){DATE_TIME}", re.I)
NAMED = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[ ./-]*([^\d\s,./-][^\d,./-]*?)[ ,./-]*(\d{4}|\d{2})", re.I)
NAMED_FIRST = re.compile(r"([^\d\s,./-][^\d,./-]*?)[ ./-]*(\d{1,2})(?:st|nd|rd|th)?[ ,./-]+(\d{4})", re.I)


def _from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Dates from numbers; impossible ones (31/02, month 13) and years outside the programme's span are NaT."""
    sane = year.between(EARLIEST_YEAR, LATEST_YEAR) & month.between(1, 12) & day.between(1, 31)
    parts = pd.DataFrame({"year": year.where(sane), "month": month.where(sane), "day": day.where(sane)})
    return pd.to_datetime(parts.astype("float64"), errors="coerce").astype("datetime64[ns]")


def parse_dates(raw: pd.Series, typed_cells: bool = True) -> Parsed:
    """Dates: real Excel dates, Excel serials, ISO text and day-first text in any digits; never a guess."""
    present = raw.notna()
    kinds = _kinds(raw)
    index = raw.index
    year, month, day = (pd.Series(np.nan, index=index) for _ in range(3))
    converted = pd.Series(False, index=index)
    two_digit_year = pd.Series(False, index=index)
    month_first = pd.Series(False, index=index)
    no_month = pd.Series("", index=index, dtype=object)

    is_date = kinds.date
    if is_date.any():
        stamps = pd.to_datetime(raw[is_date].astype(str).str[:10], errors="coerce", format="%Y-%m-%d")
        year[is_date], month[is_date], day[is_date] = stamps.dt.year, stamps.dt.month, stamps.dt.day
    serial = pd.Series(np.nan, index=index)
    is_number = kinds.number
    serial[is_number] = raw[is_number].astype("float64")

    is_text = kinds.text
    if is_text.any() and (texts := raw[is_text].astype(str)).str.fullmatch("[0-9]{4}-[0-9]{2}-[0-9]{2}").all():
        # ISO dates, as a CSV writes them: read by position, with no other spelling to try.
        at = texts.index
        year[at], month[at], day[at] = (texts.str[a:b].astype(float) for a, b in ((0, 4), (5, 7), (8, 10)))
        converted[at] = typed_cells
    elif is_text.any():
        text = (texts.str.translate(DIGITS).str.replace(r"\s*([-/.])\s*", r"\1", regex=True)
                .str.replace("\u060c", ",", regex=False).str.strip())
        iso = text.str.extract(rf"^{ISO.pattern}$", flags=re.I)
        dmy = text.str.extract(rf"^{DAY_FIRST.pattern}$", flags=re.I)
        named = text.str.extract(rf"^{NAMED.pattern}$", flags=re.I)
        named_first = text.str.extract(rf"^{NAMED_FIRST.pattern}$", flags=re.I)
        numeric = text.str.fullmatch(r"\d{5}(?:\.\d+)?")
        serial[numeric[numeric].index] = text[numeric].astype("float64")

        has_iso = iso[0].notna()
        year[has_iso[has_iso].index] = iso.loc[has_iso, 0].astype(float)
        month[has_iso[has_iso].index] = iso.loc[has_iso, 1].astype(float)
        day[has_iso[has_iso].index] = iso.loc[has_iso, 2].astype(float)

        has_dmy = dmy[0].notna()
        short = has_dmy & (dmy[2].str.len() == 2)
        two_digit_year[short[short].index] = True
        four = has_dmy & ~short
        d, m = dmy.loc[four, 0].astype(float), dmy.loc[four, 1].astype(float)
        swapped = (m > 12) & (d <= 12)
        month_first[swapped[swapped].index] = True
        no_month[swapped[swapped].index] = m[swapped].astype(int).astype(str)
        take = four[four].index.difference(swapped[swapped].index)
        year[take], month[take], day[take] = dmy.loc[take, 2].astype(float), m[take], d[take]

        for found, d_at, m_at, y_at in ((named, 0, 1, 2), (named_first, 1, 0, 2)):
            has = found[0].notna() & year[found.index].isna()
            if not has.any():
                continue
            month_number = found.loc[has, m_at].map(lambda name: MONTHS.get(fold(name)))
            known = month_number.notna()
            at = month_number[known].index
            short_named = found.loc[at, y_at].str.len() == 2
            two_digit_year[short_named[short_named].index] = True
            at = short_named[~short_named].index
            year[at], month[at], day[at] = (found.loc[at, y_at].astype(float), month_number[at].astype(float),
                                            found.loc[at, d_at].astype(float))
        # Plain ISO text is how a CSV writes a date: only other spellings are worth a note.
        plain = texts.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # Latin digits only: \d matches Arabic ones too
        converted[texts.index] = ~plain | typed_cells

    has_serial = serial.notna() & year.isna()
    if has_serial.any():
        days = serial[has_serial]
        usable = (days >= 1) & (days < 80000)
        stamps = EXCEL_EPOCH + pd.to_timedelta(days.where(usable, 0).astype("int64"), unit="D")
        stamps = stamps.where(usable)
        year[days.index], month[days.index], day[days.index] = stamps.dt.year, stamps.dt.month, stamps.dt.day
        converted[days.index] |= True
    values = _from_parts(year, month, day)
    # Numbers that spell no day, or a day outside the calendar: said as such, not as "not a date".
    written = year.notna() & ~has_serial  # a year the user wrote, as text or as an Excel date
    out_of_span = written & ~year.between(EARLIEST_YEAR, LATEST_YEAR)
    impossible = written & ~out_of_span & values.isna()
    unread = present & values.isna() & ~two_digit_year & ~month_first & ~impossible & ~out_of_span
    converted &= values.notna() & ~is_date
    return Parsed(values, {Code.CP205: unread, Code.CP206: two_digit_year, Code.CP213: month_first,
                           Code.CP214: impossible, Code.CP215: out_of_span}, converted,
                  {Code.CP213: {"month": no_month}})


def distinct_cells(raw: pd.Series, encoded: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Each cell's place among the column's distinct cells (-1 when empty), and those cells: an Arrow text column
    (a CSV's) is encoded by Arrow (or was by load: encoded), and only its distinct texts become Python strings."""
    if encoded is not None:
        return encoded[0], encoded[1].to_numpy(zero_copy_only=False)
    if arrow_text(raw):
        import pyarrow.compute as pc

        encoded = pc.dictionary_encode(arrow_array(raw))
        return (pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False),
                encoded.dictionary.to_numpy(zero_copy_only=False))
    codes, distinct = pd.factorize(raw.to_numpy(dtype=object))
    return codes, np.asarray(distinct, dtype=object)


def _each_distinct(raw: pd.Series, function: Callable[[object], object]) -> pd.Series:
    """function of each cell, called once per distinct cell; None for empty cells and where it gives None."""
    codes, distinct = distinct_cells(raw)
    results = np.array([function(u) for u in distinct] + [None], dtype=object)
    return pd.Series(results[codes], index=raw.index, dtype=object)


def _category(raw: pd.Series, function: Callable[[object], str | None], encoded: tuple | None = None) -> pd.Series:
    """function of each cell as a categorical column, built from the distinct cells alone."""
    codes, distinct = distinct_cells(raw, encoded)
    names = [function(u) for u in distinct]
    categories = sorted({n for n in names if n is not None})
    place = {n: i for i, n in enumerate(categories)}
    lookup = np.array([place.get(n, -1) for n in names] + [-1], dtype="int64")
    return pd.Series(pd.Categorical.from_codes(lookup[codes], categories=pd.Index(categories)),
                     index=raw.index)


def parse_governorates(raw: pd.Series, encoded: tuple | None = None) -> Parsed:
    pcodes = _category(raw, match_governorate, encoded)
    unknown = raw.notna() & pcodes.isna()
    return Parsed(pcodes, {Code.CP208: unknown}, details={Code.CP208: {"near": _near(raw, unknown, _governorate_near)}})


def _governorate_near(value: object) -> str | None:
    """"Anbar / الأنبار" for "Anbaar": the governorate spelt closest to a value that is none."""
    spellings = {spelling: g for g in governorates() for spelling in (g.name_en, g.name_ar, *g.variants)}
    close = nearest(value, spellings, cutoff=0.7)
    return f"{spellings[close].name_en} / {spellings[close].name_ar}" if close else None


def _near(raw: pd.Series, unknown: pd.Series, suggest: Callable[[object], str | None]) -> pd.Series:
    """A suggestion for each distinct value not allowed (the cells that are allowed get none)."""
    failing = raw[unknown.to_numpy(dtype=bool)]
    if failing.empty:
        return pd.Series(None, index=raw.index, dtype=object)
    # Only the values the findings will say (_report says VALUES_SAID of them) are looked at: a suggestion costs a
    # comparison with every allowed spelling, and a column of 100,000 different wrong values must not pay it each.
    found = {value: suggest(value) if n < VALUES_SAID else None
             for n, value in enumerate(pd.unique(failing.astype(object)))}
    return failing.astype(object).map(found).reindex(raw.index)


def parse_choices(raw: pd.Series, enumeration: str, encoded: tuple | None = None) -> Parsed:
    lookup = choice_lookup(enumeration)
    values = _category(raw, lambda u: lookup.get(fold(u)), encoded)
    allowed = ", ".join(f"{en} ({ar})" for en, ar, _ in CHOICES[enumeration].values())
    unknown = raw.notna() & values.isna()

    def suggest(value: object) -> str | None:
        close = nearest(value, lookup)
        if close is None:
            return None
        en, ar, _ = CHOICES[enumeration][lookup[close]]
        return f"{en} / {ar}"

    return Parsed(values, {Code.CP207: unknown},
                  details={Code.CP207: {"allowed": allowed, "near": _near(raw, unknown, suggest)}})


def _as_text(raw: pd.Series) -> pd.Series:
    """Text columns as Arrow text, whichever file they come from (missing cells NaN, as pandas' text has them)."""
    if arrow_text(raw):
        return raw  # a CSV's cells are text already
    texts = raw.copy()
    others = raw.notna() & ~text_cells(raw)
    if others.any():
        # Ids typed as numbers come back from Excel as 1.0: give them back as the user sees them.
        texts[others] = raw[others].map(lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))
    return texts.astype(ARROW_TEXT)


def parse_text(raw: pd.Series) -> Parsed:
    return Parsed(_as_text(raw))


def parse_keys(raw: pd.Series) -> Parsed:
    """Keys such as a displacement scope: "Mosul operations" and "mosul_operations" are one key."""
    return Parsed(_each_distinct(_as_text(raw), lambda u: fold(u) or u))


def _once_per_value(parser: Callable[[pd.Series], Parsed], raw: pd.Series, encoded: tuple | None = None) -> Parsed:
    """Parse each distinct cell once: a column of dates or counts repeats itself (a few hundred days, a few dozen
    counts), and the parsers read a cell alone. Cells are told apart by type as well as value, so that 1, 1.0 and
    True are each read as what they are; empty cells are all read as one."""
    if arrow_text(raw):
        codes, distinct = distinct_cells(raw, encoded)
        if not len(distinct) or len(distinct) + 1 > len(raw) // 2:
            return parser(raw)
        # The empty cell first, then the distinct texts.
        cells = pd.Series(np.concatenate([np.array([None], dtype=object), distinct]), dtype=object)
        return _spread(parser(cells), codes + 1, raw.index)
    values = raw.to_numpy(dtype=object)
    present = pd.notna(values)
    if not present.any():
        return parser(raw)
    pointer = np.zeros(len(raw), dtype="int64")  # 0: the one empty cell
    parts: list[np.ndarray] = [np.array([None], dtype=object)]
    size = 1
    kind = pd.api.types.infer_dtype(values, skipna=True)
    # Within these kinds, equal cells read alike (1 and numpy's 1, a datetime and its Timestamp).
    groups = [present] if kind in ("string", "integer", "floating", "datetime") else \
        [present & (types == t) for types in [pd.Series(values, dtype=object).map(type).to_numpy()]
         for t in pd.unique(types[present])]
    for group in groups:
        codes, distinct = pd.factorize(values[group])
        pointer[group] = size + codes
        parts.append(np.asarray(distinct, dtype=object))
        size += len(distinct)
    if size > len(raw) // 2:
        return parser(raw)
    return _spread(parser(pd.Series(np.concatenate(parts), dtype=object)), pointer, raw.index)


def _spread(parsed: Parsed, pointer: np.ndarray, index: pd.Index) -> Parsed:
    """What was parsed of the distinct cells, given to every cell: pointer says which distinct cell each one is."""
    def spread(series: object) -> object:  # a Series per cell is spread; one value for all is kept
        return series.iloc[pointer].set_axis(index) if isinstance(series, pd.Series) else series

    return Parsed(spread(parsed.values), {code: spread(mask) for code, mask in parsed.failures.items()},
                  spread(parsed.converted),
                  {code: {name: spread(values) for name, values in fields.items()}
                   for code, fields in parsed.details.items()})


def _plain_csv(raw: pd.Series, kind: str, encoded: tuple | None = None) -> Parsed | None:
    """A CSV's column of counts in plain digits, or of ISO dates within the programme's years, as most are: read
    by Arrow at once, with nothing to find. None for any other column, which the parsers read."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = arrow_array(raw)
    if array.null_count == len(array):
        return None
    empty = raw.isna().to_numpy()
    if kind == INTEGER:
        # Counts in 1 to 12 plain digits are told from the cells' bytes, and read by Arrow all at once.
        if not plain_digits(array):
            return None
        counts = pc.fill_null(pc.cast(array, pa.int64()), 0).to_numpy()
        return Parsed(pd.Series(pd.arrays.IntegerArray(counts, empty), index=raw.index), {},
                      pd.Series(False, index=raw.index))  # nothing failed, nothing was converted
    # A column that repeats itself is read through its distinct texts; one of distinct texts, all at once.
    texts, at = array, None  # the texts read, and which of them each cell is (None: each cell its own)
    if encoded is not None:
        texts, at = encoded[1], np.maximum(encoded[0], 0)
    elif repeats_itself(array):
        encoded = pc.dictionary_encode(array)
        texts, at = encoded.dictionary, pc.fill_null(encoded.indices, 0).to_numpy(zero_copy_only=False)
    if not pc.all(pc.match_substring_regex(texts, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")).as_py():
        return None
    try:
        days = pc.cast(texts, pa.timestamp("ns"))
    except pa.ArrowInvalid:
        return None  # impossible days: said by parse_dates
    years = pc.year(days)
    if not pc.all(pc.and_(pc.greater_equal(years, EARLIEST_YEAR), pc.less_equal(years, LATEST_YEAR))).as_py():
        return None  # years out of span: said by parse_dates
    stamps = days.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
    values = pd.Series(stamps if at is None else stamps[at], index=raw.index).where(~empty)
    return Parsed(values, {}, pd.Series(False, index=raw.index))  # nothing failed, nothing was converted


def parse(raw: pd.Series, kind: str, choices: str | None, typed_cells: bool = True,
          encoded: tuple | None = None) -> Parsed:
    """A column read as its kind. encoded: the column's distinct texts as load found them (Sheet.encoded)."""
    if kind in (INTEGER, DATE) and arrow_text(raw) and (plain := _plain_csv(raw, kind, encoded)) is not None:
        return plain
    if kind == INTEGER:
        return _once_per_value(lambda cells: parse_integers(cells, typed_cells), raw, encoded)
    if kind == DATE:
        return _once_per_value(lambda cells: parse_dates(cells, typed_cells), raw, encoded)
    if kind == GOVERNORATE:
        return parse_governorates(raw, encoded)
    if kind == CHOICE:
        return parse_choices(raw, choices, encoded)
    if kind == KEY:
        return parse_keys(raw)
    return parse_text(raw)


@dataclass
class Checked:
    """What the validate stage hands on: typed tables (with the user's row numbers) and all findings."""

    forums: pd.DataFrame
    activities: pd.DataFrame
    displacement: pd.DataFrame
    sources: dict[str, list[tuple[str, str]]]  # table -> its parts' (file, sheet), as stacked (see load.stacking)
    findings: Findings
    # The displacement figures up to each period end asked for: see displacement_totals_until.
    totals: dict[dt.date, pd.DataFrame] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.findings.errors == 0

    def displacement_totals_until(self, end: dt.date) -> pd.DataFrame:
        """The displacement figures (see displacement_totals) of the dates up to end, worked out once per end."""
        if end not in self.totals:
            self.totals[end] = displacement_totals_until(self.displacement, end)
        return self.totals[end]


def _empty(table: Table) -> pd.DataFrame:
    return pd.DataFrame({ROW: pd.Series(dtype="int64"), **{c.name: pd.Series(dtype=object) for c in table.columns}})


def _shown(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (dt.datetime, pd.Timestamp)) and value == value.replace(hour=0, minute=0, second=0, microsecond=0):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A mistake repeated on many rows is said once per value, with its rows as runs; a column whose failing cells hold
# more distinct values than this says the rest in one finding more, so that what the terminal, validation.html
# and the annotated copies show stays small whatever the sheet.
VALUES_SAID = 20


def _report(findings: Findings, sheet: Sheet, code: Code, mask: pd.Series, column: str, raw: pd.Series,
            details: dict[str, object] | None = None, **extra) -> None:
    """The failing cells of one column, as findings: one for each part of the table and each distinct value (and
    details) with the rows that hold it, and one for the rest past VALUES_SAID values. Worked out on arrays; the
    loop runs over the findings made, never over the cells."""
    failing = mask.to_numpy(dtype=bool, na_value=False)
    if not failing.any():
        return
    labels = mask.index[failing]
    keys = sheet.frame[ROW].reindex(labels).to_numpy(dtype="int64")
    parts, rows = split_keys(keys)
    cells = raw.reindex(labels)
    codes = [parts, pd.factorize(cells.astype(object), use_na_sentinel=False)[0]]
    fields = {}
    for name, values in (details or {}).items():
        if isinstance(values, pd.Series):
            values = values.reindex(labels)
            codes.append(pd.factorize(values.astype(object), use_na_sentinel=False)[0])
            fields[name] = values.to_numpy(dtype=object)
        else:
            fields[name] = values
    groups = _pairs(*codes) if len(codes) == 2 else pd.factorize(pd.MultiIndex.from_arrays(codes))[0]
    count = int(groups.max()) + 1  # groups are numbered in the order their first cell comes
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(count + 1))
    group_part = parts[order[bounds[:-1]]]  # the part of each group (its first cell's)
    # Each group's place among its part's groups: the first VALUES_SAID of a part are said one by one.
    _, within = np.unique(group_part, return_inverse=True)
    rank = pd.Series(np.arange(count)).groupby(within).cumcount().to_numpy()
    for group in np.flatnonzero(rank < VALUES_SAID):
        findings.add(_said(code, sheet, keys, rows, cells, fields, order[bounds[group]:bounds[group + 1]], column,
                           extra))
    left = rank >= VALUES_SAID
    for part in np.unique(group_part[left]):
        others = left & (group_part == part)
        findings.add(_said(code, sheet, keys, rows, cells, fields, np.flatnonzero(others[groups]), column, extra,
                           values=int(others.sum())))


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One code for each distinct pair of codes (a part and a value): groups, numbered in order of appearance."""
    return pd.factorize(first.astype("int64") * (int(second.max()) + 1) + second)[0]


def _said(code: Code, sheet: Sheet, keys: np.ndarray, rows: np.ndarray, cells: pd.Series, fields: dict,
          group: np.ndarray, column: str, extra: dict, values: int = 1):
    """The finding for a group of failing cells (positions among them): the first cell's place, value and details,
    and, for more than one cell, the rows (values: how many distinct values the group gathers)."""
    first = int(group[0])
    shown = {name: value[first] if isinstance(value, np.ndarray) else value for name, value in fields.items()}
    made = finding(code, **sheet.where(keys[first], column), value=_shown(cells.iloc[first]), **shown, **extra)
    if len(group) == 1:
        return made
    return with_rows(made, len(group), rows_shown(rows[group]), values)


def check_cells(sheet: Sheet, findings: Findings) -> pd.DataFrame:
    """Read every column as its type; one finding per failing cell, one note per column whose cells were changed."""
    frame = sheet.frame
    typed = {ROW: frame[ROW]}
    for column in sheet.table.columns:
        if column.name not in frame:
            typed[column.name] = pd.Series(None, index=frame.index, dtype=object)
            continue
        raw = frame[column.name]
        parsed = parse(raw, column.kind, column.choices, sheet.typed_cells, sheet.encoded.get(column.name))
        typed[column.name] = parsed.values
        for code, mask in parsed.failures.items():
            _report(findings, sheet, code, mask, column.name, raw, parsed.details.get(code),
                    earliest=EARLIEST_YEAR, latest=LATEST_YEAR)
        if column.required:
            empty = raw.isna()
            if sheet.parts:  # a part without the column is said once (CP101), not once per row
                given = np.array([column.name in part.headers for part in sheet.parts])
                empty &= given[split_keys(frame[ROW].to_numpy())[0]]
            _report(findings, sheet, Code.CP201, empty, column.name, raw)
        # Cells changed on reading: tidied by the load stage (kept as written), or converted by the parser.
        written = sheet.changed.get(column.name)
        changed = np.zeros(len(frame), dtype=bool) if written is None else written.notna().to_numpy()
        if parsed.converted is not None:
            changed = changed | parsed.converted.to_numpy(dtype=bool, na_value=False)
        if changed.any():
            # One note per column of each part (a sheet, a file) that had cells changed.
            parts = split_keys(frame[ROW].to_numpy())[0] if sheet.parts else np.zeros(len(frame), dtype="int64")
            for part in pd.unique(parts[changed]):
                in_part = changed & (parts == part)
                first = frame.index[int(np.argmax(in_part))]
                example = written[first] if written is not None and pd.notna(written[first]) else raw[first]
                findings.add(finding(Code.CP211, **sheet.where(frame.at[first, ROW], column.name),
                                     value=_shown(example), detail=int(np.count_nonzero(in_part))))
    return pd.DataFrame(typed)


# Rules across the columns of one row, as a table: each names the rows that break it and what the finding shows.
@dataclass(frozen=True)
class RowRule:
    """A rule across the columns of one row: which rows break it, and what the finding shows."""

    table: str
    code: Code
    column: str  # the cell the finding points at
    needs: tuple[str, ...]  # columns the sheet must have for the rule to apply
    broken: Callable[[pd.DataFrame], pd.Series]
    value: Callable[[pd.DataFrame], pd.Series]
    detail: Callable[[pd.DataFrame], pd.Series]


def _groups_total(t: pd.DataFrame) -> pd.Series:
    """The participants of each row's groups added up (as floats); missing where the row gives no group."""
    total, given = np.zeros(len(t)), np.zeros(len(t), dtype=bool)
    for group in PARTICIPANT_GROUPS:
        counts = pd.to_numeric(t[group]).to_numpy(dtype="float64", na_value=np.nan)
        present = ~np.isnan(counts)
        given |= present
        total += np.where(present, counts, 0)
    return pd.Series(np.where(given, total, np.nan), index=t.index)


def _day(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%d/%m/%Y")


ROW_RULES = (
    RowRule("activities", Code.CP301, "female", ("female", "participants"),
            lambda t: t["female"] > t["participants"], lambda t: t["female"], lambda t: t["participants"]),
    RowRule("activities", Code.CP302, "participants", ("participants",),
            lambda t: (total := _groups_total(t)).notna() & (total != t["participants"]),
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
            _report(findings, sheet, rule.code, broken, rule.column, rule.value(typed),
                    {"detail": rule.detail(typed)[broken].map(_shown)})


# Rules across the rows of a table, or across tables: one function each, listed in TABLE_RULES below.
@dataclass
class Context:
    """What a table rule sees: the sheets as read, the typed tables, the period end and the scopes of the config."""

    sheets: dict[str, Sheet]
    typed: dict[str, pd.DataFrame]
    period_end: dt.date
    scopes: set[str]
    findings: Findings
    # The displacement table the figures below were worked out from, and the figures.
    worked_out: tuple[pd.DataFrame, pd.DataFrame] | None = field(default=None, init=False, repr=False, compare=False)

    def displacement_totals(self) -> pd.DataFrame:
        """The displacement figures of the dates up to the period end, of the rows as the rules have left them:
        worked out again only if a rule has changed the table since."""
        frame = self.typed["displacement"]
        if self.worked_out is None or self.worked_out[0] is not frame:
            self.worked_out = (frame, displacement_totals_until(frame, self.period_end))
        return self.worked_out[1]


def _id_keys(ids: pd.Series, encoded: tuple | None = None) -> pd.Series:
    """Ids as compared: "CPF-NIN-001", "cpf nin 001" and "CPF_NIN_001 " are one forum. Each distinct id is folded
    once; a column that repeats its ids (the forums the activities name) gives its keys as categories.
    encoded: the sheet's column as load encoded it (Sheet.encoded), used while the rules have kept every row."""
    present = ids.notna()
    if not present.any():
        return ids.astype(object).where(present, None)
    if encoded is not None and len(encoded[0]) == len(ids):
        codes, distinct = distinct_cells(ids, encoded)
    elif arrow_text(ids) and not repeats_itself(arrow_array(ids)):
        return _arrow_id_keys(ids)
    else:
        codes, distinct = distinct_cells(ids if arrow_text(ids) else ids.where(~present, ids.astype(str)))
    folded = _fold_ids(distinct)
    if len(distinct) * 2 > len(ids):  # mostly distinct ids: as many categories as cells would gain nothing
        return pd.Series(np.append(folded, None)[codes], index=ids.index, dtype=object)
    place, keys = pd.factorize(folded)
    return pd.Series(pd.Categorical.from_codes(np.append(place, -1)[codes], categories=pd.Index(keys, dtype=object)),
                     index=ids.index)


def _fold_ids(distinct: np.ndarray) -> np.ndarray:
    """The keys of distinct ids (Python strings): plain ASCII ids folded by Arrow, the others (Arabic digits,
    letters) by Python; an id of signs alone is its own key."""
    folded = _ascii_keys(distinct).to_numpy(zero_copy_only=False).astype(object)
    other = pd.isna(folded)
    if other.any():
        texts = pd.Series(distinct[other], dtype=object).astype(str)
        # NFKC first: a full-width "ＣＰＦ-００１" or a ligature is the same id as the one typed plainly.
        folded[other] = (texts.str.normalize("NFKC").str.translate(DIGITS).str.lower().str.replace(r"[\W_]+", "_", regex=True)
                         .str.strip("_").to_numpy(dtype=object))
    return np.where(folded == "", distinct, folded)


def _arrow_id_keys(ids: pd.Series) -> pd.Series:
    """_id_keys of a CSV's column of distinct ids: folded by Arrow, and by Python only where an id has more than
    ASCII."""
    import pyarrow.compute as pc

    array = arrow_array(ids)
    plain = _plain_keys(array)
    if plain is not None:  # as most ids are written: nothing else needs a look
        return pd.Series(plain, index=ids.index, dtype=ARROW_TEXT)
    keys = _ascii_keys(array, plain=False)
    keys = pc.if_else(pc.equal(keys, ""), array, keys)  # an id of signs alone is its own key
    others = pc.and_(array.is_valid(), keys.is_null()).to_numpy(zero_copy_only=False)
    folded = pd.Series(keys, index=ids.index, dtype=ARROW_TEXT)
    if others.any():
        folded[others] = _id_keys(ids[others].astype(object)).astype(object)
    return folded


# A plain id's key, byte by byte: ASCII letters in lower case, "_" for a dash or a space. Bytes of other
# characters are left as they are: in UTF-8 no byte of one is an ASCII byte.
KEY_BYTES = np.arange(256, dtype=np.uint8)
KEY_BYTES[ord("A"):ord("Z") + 1] += ord("a") - ord("A")
KEY_BYTES[[ord("-"), ord(" ")]] = ord("_")
PLAIN_KEY_BYTES = np.zeros(256, dtype=bool)
PLAIN_KEY_BYTES[list(b"0123456789abcdefghijklmnopqrstuvwxyz_")] = True


def _plain_keys(array):
    """The keys of ids that are all ASCII letters and digits parted by single dashes or spaces, as most ids are
    written: lower case, "_" for the dash or space, made from the texts' bytes at once. None if any id is
    otherwise."""
    import pyarrow as pa

    offsets, data = text_bytes(array)
    keys = KEY_BYTES[data]
    if not PLAIN_KEY_BYTES[keys[offsets[0]:offsets[-1]]].all():
        return None
    underscore = keys == ord("_")
    # "__" anywhere, even across two keys (then the slower path decides), or "_" at either end of a key.
    if (underscore[1:] & underscore[:-1])[offsets[0]:max(offsets[-1] - 1, offsets[0])].any():
        return None
    filled = offsets[1:] > offsets[:-1]
    if underscore[offsets[:-1][filled]].any() or underscore[offsets[1:][filled] - 1].any():
        return None
    validity, offsets_buffer = array.buffers()[:2]
    return pa.Array.from_buffers(array.type, len(array), [validity, offsets_buffer, pa.py_buffer(keys)],
                                 null_count=array.null_count, offset=array.offset)


def _ascii_keys(texts, plain: bool = True):
    """Keys of ids written in ASCII (missing for the others): lower case, each run of other signs one "_".
    Takes Python strings or Arrow text; gives Arrow text. plain=False: the ids are known not to be plain."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.string())
    keys = _plain_keys(array) if plain else None
    if keys is not None:
        return keys
    # For ASCII, Python's [\W_] is every sign but a Latin letter or digit.
    keys = pc.utf8_trim(pc.replace_substring_regex(pc.ascii_lower(array), "[^0-9A-Za-z]+", "_"), "_")
    return pc.if_else(pc.string_is_ascii(array), keys, pa.scalar(None, array.type))


def row_spans(rows) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers as runs of consecutive rows: the first and the last row of each run, in order."""
    numbers = np.asarray(rows if not isinstance(rows, pd.Series) else rows.to_numpy(), dtype="int64")
    # Rows of a table come in order: sorting is needed only when they do not.
    if len(numbers) > 1 and not (numbers[1:] > numbers[:-1]).all():
        numbers = np.unique(numbers)
    if not len(numbers):
        return numbers, numbers
    # A run ends where the next number is not one more: found for all rows at once.
    breaks = np.flatnonzero(np.diff(numbers) != 1)
    return numbers[np.concatenate(([0], breaks + 1))], numbers[np.concatenate((breaks, [len(numbers) - 1]))]


# A finding lists this many runs of rows at most: one id on thousands of rows would otherwise list them all in
# each of its thousands of findings.
ROWS_SHOWN = 12


def rows_shown(rows, sheet: Sheet | None = None) -> str:
    """Row numbers for a finding to show: "4-52, 60, 61", the first runs only, then "…" when there are more. Of a
    table in several parts (sheet), each part's rows after its file and sheet: "anbar/activities.xlsx 4, 9"."""
    if sheet is not None and sheet.parts:
        parts, numbers = split_keys(np.asarray(rows, dtype="int64"))
        shown = []
        for part in pd.unique(parts):
            named = sheet.parts[int(part)]
            place = f"{named.file} ({named.sheet})" if named.sheet else named.file
            shown.append(f"{place} {rows_shown(numbers[parts == part])}")
        return "; ".join(shown)
    starts, ends = row_spans(rows)
    shown = ", ".join(str(a) if a == b else f"{a}, {b}" if b == a + 1 else f"{a}-{b}"
                      for a, b in zip(starts[:ROWS_SHOWN].tolist(), ends[:ROWS_SHOWN].tolist()))
    return shown + (", …" if len(starts) > ROWS_SHOWN else "")


def unique_ids(c: Context, table: str) -> None:
    sheet, typed = c.sheets[table], c.typed[table]
    id_column = sheet.table.id_column
    if id_column not in sheet.headers:
        return
    keys = _id_keys(typed[id_column])
    if _ascending(keys):
        return  # each id after the one above it, as sheets that number their rows in order have them
    repeated = keys.notna() & keys.duplicated(keep=False)
    if repeated.any():
        rows_of = typed[repeated].groupby(keys[repeated])[ROW].agg(lambda rows: rows_shown(rows, sheet))
        later = repeated & keys.duplicated(keep="first")
        _report(c.findings, sheet, Code.CP209, later, id_column, sheet.frame[id_column], {"detail": keys.map(rows_of)})


def _ascending(keys: pd.Series) -> bool:
    """Whether each key of an Arrow text column comes after the one above it, so that none repeats: told at once,
    where finding repeats means hashing every key."""
    if not arrow_text(keys) or len(keys) < 2:
        return False
    import pyarrow.compute as pc

    array = arrow_array(keys)
    return array.null_count == 0 and pc.all(pc.less(array.slice(0, len(array) - 1), array.slice(1))).as_py()


def repeated_rows(c: Context, table: str) -> None:
    """A table without ids: an exact repeat is counted once, and said."""
    sheet, typed = c.sheets[table], c.typed[table]
    columns = [column for column in typed.columns if column != ROW]
    repeat = typed.duplicated(subset=columns, keep="first")
    if repeat.any():
        first_rows = typed.groupby(columns, dropna=False, observed=True)[ROW].transform("first")
        if sheet.parts:
            first_rows = first_rows.map(lambda key: rows_shown([key], sheet))
        first_column = next(iter(sheet.headers))
        _report(c.findings, sheet, Code.CP210, repeat, first_column, sheet.frame[first_column], {"detail": first_rows})
        c.typed[table] = typed[~repeat]


def forum_named(c: Context, table: str) -> None:
    sheet, activities = c.sheets[table], c.typed[table]
    if "cpf_id" not in sheet.headers or "cpfs" not in c.sheets:
        return
    known = set(_id_keys(c.typed["cpfs"]["cpf_id"]).dropna())
    keys = _id_keys(activities["cpf_id"], sheet.encoded.get("cpf_id"))
    _report(c.findings, sheet, Code.CP304, keys.notna() & ~keys.isin(known), "cpf_id", sheet.frame["cpf_id"])


def arabic_names(c: Context, table: str) -> None:
    sheet, forums = c.sheets[table], c.typed[table]
    if "name_ar" in sheet.headers:
        _report(c.findings, sheet, Code.CP212, forums["name_ar"].isna() & forums["name_en"].notna(), "name_ar",
                sheet.frame["name_ar"])


def _written(sheet: Sheet, index, column: str) -> object:
    """The cell as the user wrote it, for a finding's value."""
    value = sheet.frame.at[index, column] if column in sheet.frame else None
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%d/%m/%Y")
    return "" if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) else value


def after_period(column: str):
    def rule(c: Context, table: str) -> None:
        sheet, typed = c.sheets[table], c.typed[table]
        late = typed[column] > pd.Timestamp(c.period_end)
        if late.any():
            first = late.idxmax()
            c.findings.add(finding(Code.CP305, **sheet.where(typed.at[first, ROW], column),
                                   value=_written(sheet, first, column),
                                   end=c.period_end.strftime("%d/%m/%Y"), detail=int(late.sum())))
    rule.__name__ = f"after_period_{column}"
    return rule


def scope_labels(c: Context, table: str) -> None:
    sheet, typed = c.sheets[table], c.typed[table]
    known = {fold(s) for s in c.scopes}
    for scope in sorted(set(typed["scope"].dropna()) - known):
        first = typed.index[typed["scope"] == scope][0]
        c.findings.add(finding(Code.CP308, **sheet.where(typed.at[first, ROW], "scope"), value=scope))


def unplaced_figures(c: Context, table: str) -> None:
    """A figure for a governorate that could not be read (said as CP208) is left out: read as a row without a
    governorate, it would stand for the whole scope on its date."""
    sheet, typed = c.sheets[table], c.typed[table]
    if "governorate" not in sheet.frame:
        return
    unread = sheet.frame["governorate"].notna().reindex(typed.index) & typed["governorate"].isna()
    if unread.any():
        c.typed[table] = typed[~unread]


def figure_given_twice(c: Context, table: str) -> None:
    sheet, typed = c.sheets[table], c.typed[table]
    keys = ["scope", "metric", "as_of", "governorate"]
    clash = typed.dropna(subset=["scope", "metric", "as_of", "individuals"])
    clash = clash[clash.groupby(keys, dropna=False, observed=True)["individuals"].transform("nunique") > 1]
    for (scope, metric, as_of, _), group in clash.groupby(keys, dropna=False, observed=True):
        given = pd.unique(group["individuals"])
        values = " / ".join(f"{v:,}" for v in given[:ROWS_SHOWN]) + (" / …" if len(given) > ROWS_SHOWN else "")
        rows = rows_shown(group[ROW], sheet)
        # Said once, at the second row: the message lists every row that gives the figure.
        index, row = group.index[1], group[ROW].iloc[1]
        c.findings.add(finding(Code.CP309, **sheet.where(row, "individuals"),
                               value=_written(sheet, index, "individuals"),
                               day=as_of.strftime("%d/%m/%Y"), scope=scope,
                               metric=metric, detail=values, rows=rows))


def displacement_totals(displacement: pd.DataFrame) -> pd.DataFrame:
    """One figure per scope, metric and as_of date: the row without a governorate, else the sum over them."""
    keys = ["scope", "metric", "as_of"]
    frame = displacement.dropna(subset=keys + ["individuals"])
    if frame.empty:
        return pd.DataFrame(columns=keys + ["individuals", "rows"])
    # The rows sorted by figure (scope, metric, date, in the order a groupby gives them) and by row within one.
    metric = frame["metric"]
    metric_codes = metric.cat.codes.to_numpy() if isinstance(metric.dtype, pd.CategoricalDtype) \
        else pd.factorize(metric, sort=True)[0]
    figure_keys = (pd.factorize(frame["scope"], sort=True)[0], metric_codes,
                   frame["as_of"].to_numpy(dtype="datetime64[ns]").view("int64"))
    rows = frame[ROW].to_numpy(dtype="int64")
    order = np.lexsort((rows, *reversed(figure_keys)))
    sorted_keys = [k[order] for k in figure_keys]
    starts = np.flatnonzero(np.concatenate(([True], np.logical_or.reduce([k[1:] != k[:-1] for k in sorted_keys]))))
    figure = np.zeros(len(order), dtype="int64")  # each sorted row's figure
    figure[starts[1:]] = 1
    figure = np.cumsum(figure)
    # A figure given for the whole scope (no governorate) stands; else its governorates' figures are added up.
    national = frame["governorate"].isna().to_numpy()[order]
    used = national | ~np.logical_or.reduceat(national, starts)[figure]
    amounts = frame["individuals"].to_numpy(dtype="int64")[order][used]
    sizes = np.bincount(figure[used], minlength=len(starts))
    totals = pd.DataFrame({key: _as_grouped(frame[key].take(order[starts])) for key in keys})
    totals["individuals"] = pd.array(np.add.reduceat(amounts, np.concatenate(([0], np.cumsum(sizes)[:-1]))),
                                     dtype="Int64")
    totals["rows"] = pd.Series([part.tolist() for part in np.split(rows[order][used], np.cumsum(sizes)[:-1])],
                               dtype=object)
    return totals


def _as_grouped(keys: pd.Series) -> pd.Series:
    """A column of group keys typed as a groupby gives them: categories kept, texts as pandas' text."""
    keys = keys.reset_index(drop=True)
    return keys if isinstance(keys.dtype, pd.CategoricalDtype) else pd.Series(pd.Index(keys.to_numpy()))


def displacement_totals_until(displacement: pd.DataFrame, end: dt.date) -> pd.DataFrame:
    """displacement_totals of the rows dated up to end."""
    dated = pd.to_datetime(displacement["as_of"], errors="coerce")  # an absent sheet leaves an empty text column
    return displacement_totals(displacement.assign(as_of=dated)[dated <= pd.Timestamp(end)])


PARTS = ("returned_cumulative", "displaced_current")


def same_day_contradiction(c: Context, table: str) -> None:
    """On one date, returned plus still displaced cannot exceed displaced in all: an error at the total's row."""
    sheet, totals = c.sheets[table], c.displacement_totals()
    if totals.empty:
        return
    metric = totals["metric"].to_numpy(dtype=object)
    if not (metric == "displaced_cumulative").any() or not np.isin(metric, PARTS).any():
        return
    # The totals hold one figure per scope, metric and date: laid out as one column per metric, a row per
    # scope and date.
    codes, days = pd.factorize(pd.MultiIndex.from_arrays([totals["scope"], totals["as_of"]]))
    amounts = totals["individuals"].to_numpy(dtype="float64", na_value=np.nan)
    wide = {}
    for name in ("displaced_cumulative", *PARTS):
        chosen = metric == name
        wide[name] = np.full(len(days), np.nan)
        wide[name][codes[chosen]] = amounts[chosen]
    cumulative, parts = wide["displaced_cumulative"], np.vstack([wide[p] for p in PARTS])
    given = ~np.isnan(cumulative) & ~np.isnan(parts).all(axis=0)
    for day in np.flatnonzero(given & (np.nansum(parts, axis=0) > cumulative)):
        scope, as_of = days[day]
        shown = {p: "-" if np.isnan(wide[p][day]) else f"{int(wide[p][day]):,}" for p in PARTS}
        rows = totals["rows"].to_numpy()[(codes == day) & (metric == "displaced_cumulative")][0]
        row = int(min(rows))
        at = sheet.frame.index[sheet.frame[ROW] == row]
        c.findings.add(finding(Code.CP306, **sheet.where(row, "individuals"),
                               value=_written(sheet, at[0], "individuals") if len(at) else "",
                               day=as_of.strftime("%d/%m/%Y"), scope=scope,
                               returned=shown["returned_cumulative"], current=shown["displaced_current"],
                               cumulative=f"{int(cumulative[day]):,}"))


def different_days_contradiction(c: Context, table: str) -> None:
    """The latest figures of each metric, when their dates differ: a warning naming the dates."""
    sheet, totals = c.sheets[table], c.displacement_totals()
    if totals.empty:
        return
    needed = ["displaced_cumulative", *PARTS]
    latest = totals.sort_values("as_of").groupby(["scope", "metric"], observed=True).tail(1).set_index(["scope", "metric"])
    for scope in latest.index.get_level_values(0).unique():
        figures = latest.loc[scope]
        if not all(m in figures.index for m in needed) or figures.loc[needed, "as_of"].nunique() == 1:
            continue
        returned, current, cumulative = (figures.loc[m] for m in ("returned_cumulative", "displaced_current",
                                                                    "displaced_cumulative"))
        if returned.individuals + current.individuals > cumulative.individuals:
            c.findings.add(finding(Code.CP307, **sheet.where(min(cumulative.rows), "individuals"),
                                   value=f"{cumulative.individuals:,}", scope=scope,
                                   returned=f"{returned.individuals:,}", returned_on=returned.as_of.strftime("%d/%m/%Y"),
                                   current=f"{current.individuals:,}", current_on=current.as_of.strftime("%d/%m/%Y"),
                                   cumulative=f"{cumulative.individuals:,}",
                                   cumulative_on=cumulative.as_of.strftime("%d/%m/%Y")))


# The rules across rows and tables, in the order they run: (table, codes it may give, check).
TABLE_RULES: tuple[tuple[str, tuple[Code, ...], Callable[[Context, str], None]], ...] = (
    ("cpfs", (Code.CP209,), unique_ids),
    ("cpfs", (Code.CP212,), arabic_names),
    ("cpfs", (Code.CP305,), after_period("established_on")),
    ("activities", (Code.CP209,), unique_ids),
    ("activities", (Code.CP304,), forum_named),
    ("activities", (Code.CP305,), after_period("start_date")),
    ("displacement", (Code.CP210,), repeated_rows),
    ("displacement", (), unplaced_figures),
    ("displacement", (Code.CP309,), figure_given_twice),
    ("displacement", (Code.CP305,), after_period("as_of")),
    ("displacement", (Code.CP308,), scope_labels),
    ("displacement", (Code.CP306,), same_day_contradiction),
    ("displacement", (Code.CP307,), different_days_contradiction),
)


def _as_written(table: pd.DataFrame) -> pd.DataFrame:
    """A typed part's cells as text, whatever file it came from, for comparing parts."""
    return pd.DataFrame({c: table[c].astype(object).where(table[c].notna(), None).map(str)
                         for c in table.columns if c != ROW}).reset_index(drop=True)


def _copies(checked: list[tuple[Sheet, pd.DataFrame]], findings: Findings) -> list[int]:
    """The parts of a table that repeat an earlier part row for row (a copy of a file left beside it, or one sheet
    saved both as XLSX and as CSV), by their place among the parts: each is an error naming both."""
    copies: list[int] = []
    # Parts are compared in full only when their lengths and first and last rows agree: offices' parts of the
    # same length are common, copies rare.
    ends = [(len(table), [None if pd.isna(v) else str(v) for c in table.columns if c != ROW
                          for v in (table[c].iat[0], table[c].iat[-1])] if len(table) else None)
            for _, table in checked]
    for number, (part, table) in enumerate(checked):
        same = next((n for n in range(number) if n not in copies and len(table) and ends[n] == ends[number]
                     and _as_written(checked[n][1]).equals(_as_written(table))), None)
        if same is None:
            continue
        copies.append(number)
        earlier = checked[same][0]
        other = f"{earlier.file} ({earlier.sheet})" if earlier.sheet else earlier.file
        findings.add(finding(Code.CP006, file=part.file, sheet=part.sheet, table=part.table.name, other=other))
    return copies


def _rows_of(sheet: Sheet, keep: np.ndarray) -> Sheet:
    """A stacked table without some of its rows (those of a part given twice)."""
    from dataclasses import replace

    return replace(sheet, frame=sheet.frame[keep].reset_index(drop=True),
                   changed={c: cells[keep].reset_index(drop=True) for c, cells in sheet.changed.items()})


def check_sheet(sheet: Sheet) -> tuple[pd.DataFrame, list]:
    """The checks that depend on one sheet alone: its typed table and its findings (the parse cache keeps them)."""
    findings = Findings()
    table = check_cells(sheet, findings)
    check_rows(sheet, table, findings)
    return table, list(findings)


def cells_shown_later(sheet: Sheet) -> list[str]:
    """The columns whose cells, as written, the rules across rows and tables show in their findings or read
    (unplaced_figures tells a misspelt governorate from none)."""
    wanted = [sheet.table.id_column, "cpf_id", "name_ar", next(iter(sheet.headers), None), "established_on",
              "start_date", "as_of", "individuals", "governorate" if sheet.table.name == "displacement" else None]
    return [c for c in dict.fromkeys(wanted) if c and c in sheet.frame]


def validate(loaded: Loaded, period_end: dt.date, scopes: set[str] = frozenset()) -> Checked:
    """Check the loaded sheets against the contract and the rules; hand on typed tables and every finding.

    Each part of a table (a sheet, a file) is checked alone, the parts that repeat another are set aside, and the
    rest are stacked into one table for the rules across rows and tables."""
    findings = Findings(list(loaded.findings))
    typed: dict[str, pd.DataFrame] = {}
    sheets: dict[str, Sheet] = {}
    sources: dict[str, list[tuple[str, str]]] = {}
    # A sheet with a header and no rows is an error beside sheets that have rows (a forum or activity
    # sheet saved empty by mistake would report zeros); in a new project where no sheet has rows yet,
    # it is a warning, so that the first build shows the empty report. Displacement may be empty, and so may
    # one office's part of a table whose other parts have rows.
    any_rows = any(not part.frame.empty for parts in loaded.parts.values() for part in parts)
    for name, parts in loaded.parts.items():
        table_rows = any(not part.frame.empty for part in parts)
        for part in parts:
            if part.frame.empty:
                severity = ERROR if any_rows and not table_rows and name != "displacement" else None
                findings.add(finding(Code.CP005, file=part.file, sheet=part.sheet, severity=severity))
        sheet = stack(parts)
        if len(parts) > 1 and all(p.checked is None and p.typed_cells == parts[0].typed_cells for p in parts):
            # Parts read in this run are checked as one table: each part's own checks would repeat the fixed
            # cost of checking a column for every office's file.
            table, found = check_sheet(sheet)
            findings.extend(found)
            numbers = split_keys(table[ROW].to_numpy())[0]
            pieces = [table[numbers == n] for n in range(len(parts))]
        else:
            pieces = []
            for part in parts:
                part_table, found = part.checked or check_sheet(part)
                findings.extend(found)
                pieces.append(part_table)
            table = stack_frames(pieces)
        copies = _copies(list(zip(parts, pieces)), findings)
        if copies:  # a part that repeats another is counted once: its rows are left out
            keep = ~np.isin(split_keys(table[ROW].to_numpy())[0], copies)
            table = table[keep].reset_index(drop=True)
            sheet = _rows_of(sheet, keep)
        sheets[name] = sheet
        sources[name] = [(part.file, part.sheet) for part in parts]
        # A shallow copy: the rules below change columns, and the sheet's own table may be checked again.
        typed[name] = table.copy(deep=False)
    typed = {name: typed[name] if name in typed else _empty(table) for name, table in TABLES.items()}
    context = Context(sheets, typed, period_end, set(scopes), findings)
    for table, _codes, rule in TABLE_RULES:
        if table in sheets:
            rule(context, table)
    forums, activities, displacement = typed["cpfs"], typed["activities"], context.typed["displacement"]
    activities["end_date"] = activities["end_date"].fillna(activities["start_date"])
    forums["status"] = forums["status"].astype(object).fillna("active")
    checked = Checked(forums, activities, displacement, sources, findings)
    if context.worked_out is not None and context.worked_out[0] is displacement:
        checked.totals[period_end] = context.worked_out[1]  # the rules' figures are of the table handed on
    return checked


__all__ = ["Checked", "validate", "check_sheet", "cells_shown_later", "parse_dates", "parse_integers", "displacement_totals", "ROW_RULES", "TABLE_RULES"]
