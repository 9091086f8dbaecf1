"""The breakdowns behind the report's tables, charts and map, as plain lists and dicts of whole numbers."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .config import Period
from .contract import CHOICES, PARTICIPANT_GROUPS, governorates
from .validate import Checked

ACTIVITY_TYPES = tuple(CHOICES["activity_type"])
FOUNDERS = tuple(CHOICES["established_by"])
METRICS = tuple(CHOICES["metric"])
# A page shows this many months of activities and as-of dates of displacement; earlier months are
# summed into one row, earlier dates left to figures.json, so a report's size does not grow with time.
MONTHS_SHOWN = 24
DATES_SHOWN = 12


def _dates(column: pd.Series) -> pd.Series:
    # An absent sheet leaves an empty object column; make it dates so that the comparisons hold.
    return pd.to_datetime(column, errors="coerce")


def forums_by_governorate(forums: pd.DataFrame, end: dt.date) -> dict:
    """Forums established by the end of the period, per governorate and founder; every governorate in `by_pcode`."""
    pcodes = [g.pcode for g in governorates()]
    established = (_dates(forums["established_on"]) <= pd.Timestamp(end)).to_numpy()
    # A forum counts where both its governorate and its founder are known: as a place in pcodes and FOUNDERS.
    place = pd.Categorical(forums["governorate"].astype(object), categories=pcodes).codes[established]
    founder = pd.Categorical(forums["established_by"].astype(object), categories=FOUNDERS).codes[established]
    known = (place >= 0) & (founder >= 0)
    counts = np.bincount(place[known] * len(FOUNDERS) + founder[known],
                         minlength=len(pcodes) * len(FOUNDERS)).reshape(len(pcodes), len(FOUNDERS))
    totals = counts.sum(axis=1)
    # Most forums first; ties keep the gazetteer's order.
    listed = [i for i in np.argsort(-totals, kind="stable").tolist() if totals[i] > 0]
    rows = [{"pcode": pcodes[i], **dict(zip(FOUNDERS, counts[i].tolist())), "total": int(totals[i])} for i in listed]
    return {"rows": rows, "total": {**dict(zip(FOUNDERS, counts.sum(axis=0).tolist())), "total": int(totals.sum())},
            "by_pcode": dict(zip(pcodes, totals.tolist()))}


def _starts(activities: pd.DataFrame) -> np.ndarray:
    """The activities' start dates (NaT where there is none)."""
    return _dates(activities["start_date"]).to_numpy(dtype="datetime64[ns]")


def _held(starts: np.ndarray, end: dt.date) -> np.ndarray:
    """Which activities started by the end of the period (an undated one did not)."""
    return starts <= np.datetime64(end, "ns")


def activities_by_month(activities: pd.DataFrame, period: Period, months_shown: int = MONTHS_SHOWN) -> dict:
    """Activities held by the end of the period, per month of their start and type, month by month.

    Months from the first activity to the period's month are all listed, empty ones too; beyond
    `months_shown`, the earlier months are summed into `earlier` (with `before`, the first month listed).
    """
    starts = _starts(activities)
    held = _held(starts, period.end)
    kinds = list(ACTIVITY_TYPES)
    # Each activity's type as its place in kinds (-1 for none), and its month as months since 1970.
    types = activities["type"]  # categories once checked; an absent sheet leaves empty cells
    kind = pd.Categorical(types if isinstance(types.dtype, pd.CategoricalDtype) else types.astype(object),
                          categories=kinds).codes[held]
    total = {k: int(np.count_nonzero(kind == i)) for i, k in enumerate(kinds)}
    total["total"] = int(np.count_nonzero(held))
    if not held.any():
        return {"rows": [], "earlier": None, "total": total}
    month = starts[held].astype("datetime64[M]").astype("int64")
    first, last = int(month.min()), (period.end.year - 1970) * 12 + period.end.month - 1
    typed = kind >= 0
    counts = np.bincount((month[typed] - first) * len(kinds) + kind[typed],
                         minlength=(last - first + 1) * len(kinds)).reshape(-1, len(kinds))
    counts = np.column_stack([counts, counts.sum(axis=1)])  # a month's total is that of its typed activities
    names = (*kinds, "total")
    firsts = [dt.date(1970 + m // 12, m % 12 + 1, 1) for m in range(first, last + 1)]
    earlier = None
    if len(counts) > months_shown:
        earlier = {**dict(zip(names, map(int, counts[:-months_shown].sum(axis=0)))), "before": firsts[-months_shown]}
        counts, firsts = counts[-months_shown:], firsts[-months_shown:]
    rows = [{"month": first_day, **dict(zip(names, map(int, row)))} for first_day, row in zip(firsts, counts)]
    return {"rows": rows, "earlier": earlier, "total": total}


def participants(activities: pd.DataFrame, end: dt.date) -> dict:
    """Participants of the activities held by the end of the period, by group and by sex.

    `unrecorded` is the part of the total that the sheet does not split by group (or by sex).
    """
    held = _held(_starts(activities), end)

    def counts(column: str) -> np.ndarray:  # missing counts as -1, told apart from 0
        return pd.to_numeric(activities[column], errors="coerce").to_numpy(dtype="int64", na_value=-1)[held]

    everyone = np.clip(counts("participants"), 0, None)
    total = int(everyone.sum())
    groups = {g: int(np.clip(counts(g), 0, None).sum()) for g in PARTICIPANT_GROUPS}
    women = counts("female")
    recorded = women >= 0
    female = int(women[recorded].sum())
    male = int(everyone[recorded].sum()) - female
    return {"total": total,
            "groups": {**groups, "unrecorded": max(total - sum(groups.values()), 0)},
            "sex": {"female": female, "male": male, "unrecorded": total - female - male}}


def displacement(totals: pd.DataFrame, dates_shown: int = DATES_SHOWN) -> dict:
    """Per scope: the latest figure of each metric with its as-of date, and the figures of its last as-of dates.

    `totals` are the displacement figures up to the period end (Checked.displacement_totals_until): one per
    scope, metric and date, so a few per date, however many rows the sheet has."""
    scopes: dict[str, dict] = {}
    if totals.empty:
        return scopes
    scope = totals["scope"].astype(str).to_numpy(dtype=object)
    metric = totals["metric"].astype(str).to_numpy(dtype=object)
    days = totals["as_of"].to_numpy(dtype="datetime64[ns]")
    amounts = totals["individuals"].to_numpy(dtype="int64")
    for name in sorted(set(scope)):
        mine = np.flatnonzero(scope == name)
        mine = mine[np.argsort(days[mine], kind="stable")]
        shown_days = np.unique(days[mine])[-dates_shown:]
        latest = {metric[i]: i for i in mine.tolist()}  # the last of each metric, in date order
        series: dict[np.datetime64, dict] = {day: {} for day in shown_days}
        for i in mine[np.isin(days[mine], shown_days)].tolist():
            series[days[i]][metric[i]] = int(amounts[i])
        scopes[name] = {
            "latest": [{"metric": m, "value": int(amounts[latest[m]]), "as_of": _day(days[latest[m]])}
                       for m in METRICS if m in latest],
            "series": [{"as_of": _day(day), "values": {m: values[m] for m in METRICS if m in values}}
                       for day, values in series.items()],
        }
    return scopes


def _day(day: np.datetime64) -> dt.date:
    return pd.Timestamp(day).date()


def breakdowns(checked: Checked, period: Period) -> dict:
    """Everything the pictures show, for the period: forums, activities, participants and displacement."""
    return {"forums": forums_by_governorate(checked.forums, period.end),
            "activities": activities_by_month(checked.activities, period),
            "participants": participants(checked.activities, period.end),
            "displacement": displacement(checked.displacement_totals_until(period.end)),
            "later": _dated_later(checked, period.end)}


def _dated_later(checked: Checked, end) -> bool:
    """For a period with nothing dated by its end, whether the sheets hold a forum, an activity or a figure dated
    after it: its report is then one of a period before the data, not one of sheets still to be filled in.
    False for any period with data (what its report shows does not depend on what comes after it)."""
    end = pd.Timestamp(end)
    dates = [pd.to_datetime(frame[column], errors="coerce")
             for frame, column in ((checked.forums, "established_on"), (checked.activities, "start_date"),
                                   (checked.displacement, "as_of")) if column in frame]
    if any(bool((day <= end).any()) for day in dates):
        return False
    return any(bool((day > end).any()) for day in dates)
