"""Random cells and random bytes through load and validate: no exception escapes, every finding names a real row."""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpreport.contract import TABLES
from cpreport.findings import Findings
from cpreport.load import Loaded, load, to_sheet
from cpreport.validate import validate

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

digits = st.text("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹,.٬/- ", max_size=12)
cells = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=15), digits, st.sampled_from(["Ninewa", "نينوى", "IQG15", "IOM", "training", "Total", "N/A", "-",
                                                   "=1+2", "displaced_current", "national", "CPF-1"]),
    st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 12, 31)), st.dates(), st.times(),
)


def grid_of(table, rows):
    header = [c.name for c in table.columns]
    return pd.DataFrame([["A title"] + [None] * (len(header) - 1), header] + rows, dtype=object)


def assert_rows_exist(findings, heights):
    for f in findings:
        if f.row is not None:
            assert 1 <= f.row <= heights[f.file], f


@FAST
@given(st.data())
def test_random_cells_never_raise_and_findings_name_real_rows(data):
    sheets, heights, findings = {}, {}, Findings()
    for name, table in TABLES.items():
        width = len(table.columns)
        rows = data.draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=6), label=name)
        grid = grid_of(table, rows)
        sheet = to_sheet(grid, table, f"{name}.xlsx", name, findings)
        heights[f"{name}.xlsx"] = len(grid)
        if sheet is not None:
            sheets[name] = [sheet]
    checked = validate(Loaded(sheets, findings), dt.date(2017, 5, 31), {"national"})
    assert_rows_exist(checked.findings, heights)
    for f in checked.findings:
        assert f.message_en and f.message_ar


@FAST
@given(raw=st.binary(max_size=600), name=st.sampled_from(["cpfs.csv", "activities.xlsx", "displacement.xls",
                                                         "cpfs.ods", "activities.txt"]))
def test_random_bytes_never_raise(tmp_path_factory, raw, name):
    folder = tmp_path_factory.mktemp("bytes")
    (folder / name).write_bytes(raw)
    checked = validate(load(folder), dt.date(2017, 5, 31))
    lines = raw.count(b"\n") + raw.count(b"\r") + 1
    assert_rows_exist(checked.findings, {name: lines, "": 0})
    assert any(f.file == name for f in checked.findings) or not raw.strip()


@FAST
@given(text=st.text(max_size=300), separator=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256"]))
def test_random_text_csv_never_raises(tmp_path_factory, text, separator, encoding):
    folder = tmp_path_factory.mktemp("text")
    body = "as_of,scope,metric,individuals\n".replace(",", separator) + text
    try:
        raw = body.encode(encoding)
    except UnicodeEncodeError:
        raw = body.encode("utf-8")
    (folder / "displacement.csv").write_bytes(raw)
    checked = validate(load(folder), dt.date(2017, 5, 31), {"national"})
    lines = len(io.StringIO(body).read().splitlines()) + body.count("\r") + 1
    assert_rows_exist(checked.findings, {"displacement.csv": lines, "": 0})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(1, 300)), max_size=400), st.booleans())
def test_the_rows_behind_a_figure_are_written_alike_for_each_part_at_once_and_one_part_at_a_time(rows, shuffled):
    """figures.row_ranges_by_part finds every part's runs of rows in one pass (with Arrow past 64 runs): each part's
    text is the one its own rows give, written out here the plain way."""
    from cpreport.figures import row_ranges, row_ranges_by_part
    from cpreport.load.stacking import row_keys

    keys = sorted({int(row_keys([row], part)[0]) for part, row in rows})
    if shuffled:
        keys = keys[::-1]

    def plain(numbers: list[int]) -> str:
        spans: list[list[int]] = []
        for number in sorted(numbers):
            if spans and number == spans[-1][1] + 1:
                spans[-1][1] = number
            else:
                spans.append([number, number])
        return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)

    expected = {part: plain([row for p, row in set(rows) if p == part]) for part in sorted({p for p, _ in rows})}
    assert row_ranges_by_part(keys) == expected
    assert row_ranges([row for p, row in set(rows) if p == 0]) == expected.get(0, "")


workbook_cells = st.one_of(st.none(), st.integers(-3, 10**13), st.floats(0, 50),
                           st.datetimes(dt.datetime(1850, 1, 1), dt.datetime(2150, 12, 31)),
                           st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))


@settings(max_examples=300, deadline=None)
@given(st.lists(workbook_cells, min_size=1, max_size=30), st.sampled_from(["integer", "date"]))
def test_a_workbook_column_read_at_once_reads_as_its_parser_reads_it(cells, kind):
    """validate.fastpath._plain_workbook reads a workbook's plain counts and dates at once: whenever it takes a
    column, the column's parser gives the same values, with nothing failed and nothing converted."""
    from cpreport.validate.cells import parse_dates, parse_integers
    from cpreport.validate.fastpath import _plain_workbook

    raw = pd.Series(cells, dtype=object)
    fast = _plain_workbook(raw, kind)
    slow = (parse_integers if kind == "integer" else parse_dates)(raw, True)
    if fast is None:
        return
    assert fast.values.dtype == slow.values.dtype
    assert fast.values.astype(object).where(fast.values.notna(), None).tolist() == \
        slow.values.astype(object).where(slow.values.notna(), None).tolist()
    assert not any(mask.any() for mask in slow.failures.values())
    assert not slow.converted.any() and not fast.converted.any()


def test_a_workbook_column_of_plain_counts_or_dates_is_read_at_once():
    from cpreport.validate.fastpath import _plain_workbook

    counts = _plain_workbook(pd.Series([3, None, 12], dtype=object), "integer")
    days = _plain_workbook(pd.Series([dt.datetime(2017, 5, 2, 13, 5), None], dtype=object), "date")
    assert counts.values.tolist()[::2] == [3, 12] and pd.isna(counts.values.iloc[1])
    assert days.values.iloc[0] == pd.Timestamp(2017, 5, 2) and pd.isna(days.values.iloc[1])
    assert _plain_workbook(pd.Series([3, -1], dtype=object), "integer") is None  # said by the parser
    assert _plain_workbook(pd.Series([dt.datetime(1890, 1, 1)], dtype=object), "date") is None
