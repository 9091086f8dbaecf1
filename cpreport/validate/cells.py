"""Reading cells: each column read as its kind (counts, dates, governorates, choices, text), with what failed."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..contract import (ARABIC_MONTHS, choice_lookup, fold, governorates, match_governorate, nearest)
from ..digits import TO_WESTERN as DIGITS
from ..findings import Code
from ..load import (ARROW_TEXT, arrow_array, arrow_text, text_cells)
from .report import VALUES_SAID




EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Dates outside these years are typing mistakes in this programme's sheets, not real dates.
EARLIEST_YEAR, LATEST_YEAR = 1950, 2100


# Month names as typed: English in full and short, and the Arabic ones of the contract.
MONTHS = {
    **{fold(m): i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                         "september", "october", "november", "december"), 1)},
    **{fold(m): i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                         "nov", "dec"), 1)},
    **{fold(m): i for names in ARABIC_MONTHS for i, m in enumerate(names, 1)},
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
        # Digits alone, with a sign or a decimal part: "1e3", "inf" or "0x1F" are read by to_numeric, never typed
        # as a count.
        plain = cleaned.str.fullmatch(r"[-+]?\d+(\.\d+)?").fillna(False).astype(bool)
        read = pd.to_numeric(cleaned.where(~ambiguous[texts.index] & plain), errors="coerce")
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
# that carries it is said, never read as if the time were not there. KoboToolbox and ODK write a date-time question
# with its offset from UTC ("2017-05-04T10:00:00.000+03:00", or "Z"): the date is the one written, the day the
# officer lived it.
DATE_TIME = (r"(?:[ T](?:(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?: ?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?))?"
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
    either_way = pd.Series(False, index=index)  # day first or month first, read day first
    day_first = 0
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
        either = (m <= 12) & (d <= 12) & (m != d)
        either_way[either[either].index] = True
        day_first = int(((d > 12) & (m <= 12)).sum())  # dates that can only be day first
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
    failures = {Code.CP205: unread, Code.CP206: two_digit_year, Code.CP213: month_first, Code.CP214: impossible,
                Code.CP215: out_of_span}
    details = {Code.CP213: {"month": no_month}}
    either_way &= values.notna()
    # Dates typed day first into an Excel set to month first: those it could read (day 12 or less) became dates,
    # the wrong way round, and the others (17/05/2017) stayed text. Every real date of such a column has a day of
    # 12 or less: each is said, with the date it would be the other way round.
    if typed_cells and day_first and is_date.any():
        real = is_date & values.notna()
        if real.any() and bool((day[real] <= 12).all()):
            flipped = real & (day != month)
            failures[Code.CP217] = flipped
            details[Code.CP217] = {"read_as": values, "other_way": _from_parts(year, day.where(flipped), month),
                                   "example": texts[dmy[0].notna() & (dmy.loc[:, 0].astype(float) > 12)].iloc[0]}
    if month_first.any() and int(month_first.sum()) >= day_first and either_way.any():
        # A column that is month first more than day first (one month-first slip among day-first dates is
        # only itself); said only of the parts that have a month-first date (check_cells).
        failures[Code.CP216], details[Code.CP216] = either_way, {"read_as": values}
    return Parsed(values, failures, converted, details)


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
    if not unknown.any():
        return Parsed(pcodes, {Code.CP208: unknown})  # every place known: nothing to suggest
    near = _near(raw, unknown, _governorate_near)
    names = {g.pcode: g for g in governorates()}
    # Named only where a cell is no governorate: a lookup per row of 100,000 good cells cost 0.15 s of the check.
    suggested = np.flatnonzero(near.notna().to_numpy())
    details = {}
    for key, attribute in (("near", "name_en"), ("near_ar", "name_ar")):
        named = np.full(len(near), None, dtype=object)  # None, never NaN: no suggestion is no hint
        named[suggested] = [getattr(names[p], attribute) if p in names else None for p in near.iloc[suggested]]
        details[key] = pd.Series(named, index=near.index, dtype=object)
    return Parsed(pcodes, {Code.CP208: unknown}, details={Code.CP208: details})


def _governorate_near(value: object) -> str | None:
    """The p-code of the governorate spelt closest to a value that is none ("Anbaar": Anbar's)."""
    spellings = {spelling: g for g in governorates() for spelling in (g.name_en, g.name_ar, *g.variants)}
    close = nearest(value, spellings, cutoff=0.7)
    return spellings[close].pcode if close else None


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
    unknown = raw.notna() & values.isna()
    if not unknown.any():
        return Parsed(values, {Code.CP207: unknown})  # every value allowed: nothing to suggest

    def suggest(value: object) -> str | None:
        close = nearest(value, lookup)
        return None if close is None else lookup[close]

    return Parsed(values, {Code.CP207: unknown},
                  details={Code.CP207: {"allowed": enumeration, "near": _near(raw, unknown, suggest)}})


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
