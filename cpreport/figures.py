"""The figures stage: every number the report states, computed from the checked tables, with its provenance."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .config import Highlight, Period
from .contract import CHOICES, PARTICIPANT_GROUPS, fold
from .load import ROW
from .load.sheets import PART_STRIDE
from .tables import breakdowns
from .validate import Checked, row_spans

ACTIVITY_TYPES = tuple(CHOICES["activity_type"])
METRICS = tuple(CHOICES["metric"])


def row_ranges(rows) -> str:
    """Row numbers as the user reads them: "4-52, 60"."""
    return _joined(*row_spans(rows), np.array([0]))[0]


def row_ranges_by_part(keys) -> dict[int, str]:
    """The row numbers of a table's rows (row keys: load.stacking) as row_ranges gives them, for each part they are
    in: {part: "4-52, 60"}. Runs of keys never span two parts, so they are found once for all the parts."""
    starts, ends = row_spans(keys)
    if not len(starts):
        return {}
    part = starts // PART_STRIDE
    bounds = np.concatenate(([0], np.flatnonzero(np.diff(part)) + 1))
    return dict(zip(part[bounds].tolist(), _joined(starts % PART_STRIDE, ends % PART_STRIDE, bounds)))


def _joined(starts: np.ndarray, ends: np.ndarray, bounds: np.ndarray) -> list[str]:
    """Runs of rows (first and last rows) written "4-52, 60", one text for each group of runs (bounds: where each
    group starts)."""
    if len(starts) < 64:
        spans = [str(a) if a == b else f"{a}-{b}" for a, b in zip(starts.tolist(), ends.tolist())]
        return [", ".join(spans[a:b]) for a, b in zip(bounds.tolist(), [*bounds[1:].tolist(), len(spans)])]
    # A figure over many scattered rows (a type of activity across a long sheet) has thousands of runs: their
    # text is made by Arrow.
    import pyarrow as pa
    import pyarrow.compute as pc

    first, last = pc.cast(pa.array(starts), pa.string()), pc.cast(pa.array(ends), pa.string())
    spans = pc.if_else(pa.array(starts == ends), first, pc.binary_join_element_wise(first, last, "-"))
    groups = pa.ListArray.from_arrays(pa.array([*bounds.tolist(), len(spans)], pa.int32()), spans)
    return pc.binary_join(groups, ", ").to_pylist()


@dataclass(frozen=True)
class Source:
    file: str
    sheet: str
    rows: str

    def as_dict(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "rows": self.rows}


@dataclass(frozen=True)
class Figure:
    key: str
    value: int
    as_of: dt.date | None = None
    sources: tuple[Source, ...] = ()
    extra: dict = field(default_factory=dict)

    @property
    def share(self) -> bool:
        """Whether the figure is a share of another (a results indicator with `of`), said as a percentage."""
        return self.key.startswith("indicators.") and "of" in self.extra

    def as_dict(self) -> dict:
        return {"value": self.value, "as_of": self.as_of.isoformat() if self.as_of else None,
                **self.extra, "sources": [s.as_dict() for s in self.sources]}


@dataclass
class Figures:
    """All figures of one period, by stable key (e.g. `cpfs.total`, `displacement.national.displaced_current`)."""

    period: Period
    items: dict[str, Figure] = field(default_factory=dict)
    breakdowns: dict = field(default_factory=dict)  # what the tables, charts and map show (tables.breakdowns)
    narrative: dict = field(default_factory=dict)  # {language: the narrative file the report used}
    indicators: list = field(default_factory=list)  # the results framework's standings (indicators.add)
    # What the report says besides the figures, not written to figures.json: the published figures restated
    # (cpreport/revisions.py) and who approved the month.
    revisions: dict = field(default_factory=dict)
    approval: dict = field(default_factory=dict)

    def __getitem__(self, key: str) -> Figure:
        return self.items[key]

    def __contains__(self, key: str) -> bool:
        return key in self.items

    def value(self, key: str, default: int = 0) -> int:
        return self.items[key].value if key in self.items else default

    def add(self, figure: Figure) -> None:
        self.items[figure.key] = figure

    def to_json(self) -> str:
        document = {"period": str(self.period), "start": self.period.start.isoformat(),
                    "end": self.period.end.isoformat(),
                    **({"narrative": self.narrative} if self.narrative else {}),
                    "figures": {key: f.as_dict() for key, f in self.items.items()}}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class Sources:
    """Where the figures of one computation come from: each distinct set of rows is written out once (the same rows
    back a count, its participants and their groups). A mask is over a table's rows as the checks left them, and
    is read against that table's row numbers (Dated.rows) alone."""

    def __init__(self, checked: Checked):
        self.checked = checked
        self.written: dict[tuple[str, bytes], tuple[Source, ...]] = {}

    def __call__(self, table: str, rows, mask: np.ndarray | None = None) -> tuple[Source, ...]:
        """The source of the given rows of table (row numbers), or of those where mask holds."""
        if table not in self.checked.sources:
            return ()
        if mask is None:
            return self._of(table, rows)
        key = (table, np.packbits(mask).tobytes())
        if key not in self.written:
            self.written[key] = self._of(table, rows[mask])
        return self.written[key]

    def _of(self, table: str, rows) -> tuple[Source, ...]:
        """The sources of some rows (row keys) of a table: one for each of its parts (file and sheet) they are in."""
        parts = self.checked.sources[table]
        if len(parts) == 1:
            return (Source(*parts[0], row_ranges(rows)),)
        return tuple(Source(*parts[n], ranges) for n, ranges in sorted(row_ranges_by_part(rows).items()))


@dataclass(frozen=True)
class Dated:
    """A table's rows as the period's dates split them, once for all its figures: those dated by the period end,
    by the end of the month before, and within the period; with their row numbers."""

    cumulative: np.ndarray
    before: np.ndarray
    during: np.ndarray
    rows: np.ndarray

    @classmethod
    def of(cls, frame: pd.DataFrame, dated: str, period: Period) -> Dated:
        end, start, previous_end = (np.datetime64(d, "ns") for d in (period.end, period.start, period.previous().end))
        # NaT compares False: an undated row is in no period. A sheet without the column has empty cells in it.
        dates = pd.to_datetime(frame[dated], errors="coerce").to_numpy(dtype="datetime64[ns]")
        cumulative = dates <= end
        return cls(cumulative, cumulative & (dates <= previous_end), cumulative & (dates >= start), frame[ROW].to_numpy())


def _counts(figures: Figures, sources: Sources, table: str, key: str, frame: pd.DataFrame, dated: Dated,
            period: Period, where: pd.Series | None = None, value: str | None = None) -> None:
    """A figure cumulative to the period end, with its in-period, previous and change companions: the rows of frame
    (those where says, when given) counted, or their value column summed."""
    # Masks over the table, not copies of it: the dates are compared once per table (Dated), the choice once here.
    cumulative, before, during = dated.cumulative, dated.before, dated.during
    if where is not None:
        chosen = where.to_numpy(dtype=bool, na_value=False)
        cumulative, before, during = cumulative & chosen, before & chosen, during & chosen
    amounts = None if value is None else frame[value].to_numpy(dtype="int64", na_value=0)

    def amount(mask: np.ndarray) -> int:
        return int(np.count_nonzero(mask)) if amounts is None else int(amounts[mask].sum())

    total, previous = amount(cumulative), amount(before)
    figures.add(Figure(key, total, period.end, sources(table, dated.rows, cumulative)))
    figures.add(Figure(f"{key}.in_period", amount(during), period.end, sources(table, dated.rows, during)))
    figures.add(Figure(f"{key}.previous", previous, period.previous().end, sources(table, dated.rows, before)))
    figures.add(Figure(f"{key}.change", total - previous, period.end))


def compute(checked: Checked, period: Period, highlights: tuple[Highlight, ...] = ()) -> Figures:
    """Compute every figure of the period from the checked tables."""
    figures = Figures(period, breakdowns=breakdowns(checked, period))
    forums, activities = checked.forums, checked.activities
    sources = Sources(checked)

    founded = Dated.of(forums, "established_on", period)
    _counts(figures, sources, "cpfs", "cpfs.total", forums, founded, period)
    for founder in CHOICES["established_by"]:
        _counts(figures, sources, "cpfs", f"cpfs.{founder}", forums, founded, period,
                where=forums["established_by"] == founder)
    active = founded.cumulative & (forums["status"] == "active").to_numpy(dtype=bool, na_value=False)
    figures.add(Figure("cpfs.active", int(np.count_nonzero(active)), period.end,
                       sources("cpfs", founded.rows, active)))
    district = forums["district"].map(lambda d: fold(d) if isinstance(d, str) else "") if highlights else None
    for highlight in highlights:
        there = founded.cumulative & (district == fold(highlight.district)).to_numpy(dtype=bool)
        if there.any():
            figures.add(Figure(f"cpfs.place.{fold(highlight.district)}", int(np.count_nonzero(there)), period.end,
                               sources("cpfs", founded.rows, there),
                               {"district": highlight.district,
                                "governorate": str(forums["governorate"].iloc[int(np.argmax(there))])}))

    held = Dated.of(activities, "start_date", period)
    _counts(figures, sources, "activities", "activities.total", activities, held, period)
    for kind in ACTIVITY_TYPES:
        _counts(figures, sources, "activities", f"activities.{kind}", activities, held, period,
                where=activities["type"] == kind)
    _counts(figures, sources, "activities", "participants.total", activities, held, period, value="participants")
    participants = activities["participants"].to_numpy(dtype="int64", na_value=0)
    for group in ("female", *PARTICIPANT_GROUPS):
        # Always stated, so that figures.json keeps its keys: 0 from no rows when no sheet gives the column.
        given = held.cumulative & activities[group].notna().to_numpy()
        amount = int(activities[group].to_numpy(dtype="int64", na_value=0)[given].sum())
        figures.add(Figure(f"participants.{group}", amount, period.end,
                           sources("activities", held.rows, given) if given.any() else ()))
        # Donors ask for participants by sex and group in each period, as for every other count.
        counted = activities[group].notna()
        if counted.any():
            cumulative = figures[f"participants.{group}"]
            _counts(figures, sources, "activities", f"participants.{group}", activities, held, period,
                    where=counted, value=group)
            figures.add(cumulative)  # the cumulative figure as stated above: no sources when no row gives it
        else:
            for suffix, day in ((".in_period", period.end), (".previous", period.previous().end), (".change", period.end)):
                figures.add(Figure(f"participants.{group}{suffix}", 0, day))
        # A group's share is of the participants of the activities that say how many of them were of it: each
        # figure says how many those were, 0 when no activity of its dates says (the group was not recorded,
        # which is not "none of them").
        recorded = counted.to_numpy(dtype=bool)
        for suffix, rows in (("", held.cumulative), (".in_period", held.during), (".previous", held.before)):
            stated = figures[f"participants.{group}{suffix}"]
            figures.add(dataclasses.replace(stated, extra={**stated.extra,
                                                           "of_participants": int(participants[rows & recorded].sum())}))

    totals = checked.displacement_totals_until(period.end)
    if not totals.empty:
        latest = totals.sort_values("as_of").groupby(["scope", "metric"], observed=True).tail(1)
        for figure in latest.itertuples(index=False):
            figures.add(Figure(f"displacement.{figure.scope}.{figure.metric}", int(figure.individuals),
                               figure.as_of.date(), sources("displacement", figure.rows)))
        # The latest figure known at the end of the month before, and the change since.
        before = totals[totals["as_of"] <= pd.Timestamp(period.previous().end)]
        earlier = before.sort_values("as_of").groupby(["scope", "metric"], observed=True).tail(1)
        for figure in earlier.itertuples(index=False):
            key = f"displacement.{figure.scope}.{figure.metric}"
            figures.add(Figure(f"{key}.previous", int(figure.individuals), figure.as_of.date(),
                               sources("displacement", figure.rows)))
            figures.add(Figure(f"{key}.change", figures.value(key) - int(figure.individuals), figures[key].as_of))
    return figures


def computed(checked: Checked, period: Period, highlights: tuple[Highlight, ...] = ()) -> Figures:
    """compute(), once per period for tables checked once (a build of many periods checks each month's end on the
    same tables, Checked.at, and states a month's figures for its page, its restatements and the next month's):
    a copy each caller may add to."""
    memo = checked.settled.figures if checked.settled is not None else None
    if memo is None:
        return compute(checked, period, highlights)
    key = (period, tuple(highlights))
    if key not in memo:
        memo[key] = compute(checked, period, highlights)
    done = memo[key]
    return dataclasses.replace(done, items=dict(done.items))


def stated(checked: Checked, period: Period, highlights: tuple[Highlight, ...] = ()) -> dict:
    """The period's figures as its figures.json states them ({key: {value, as_of, sources}}), read by the
    comparisons of published figures; worked out once per period, as computed()."""
    memo = checked.settled.figures if checked.settled is not None else {}
    key = ("stated", period, tuple(highlights))
    if key not in memo:
        memo[key] = json.loads(computed(checked, period, highlights).to_json())["figures"]
    return memo[key]
