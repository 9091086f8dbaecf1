"""The breakdowns behind the report's tables, charts and map, as plain lists and dicts of whole numbers."""
from __future__ import annotations

import datetime as dt

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
    established = forums[_dates(forums["established_on"]) <= pd.Timestamp(end)]
    counts = (established.groupby([established["governorate"].astype(str), established["established_by"].astype(str)])
              .size().unstack(fill_value=0).reindex(columns=list(FOUNDERS), fill_value=0))
    counts["total"] = counts.sum(axis=1)
    all_pcodes = [g.pcode for g in governorates()]
    counts = counts.reindex(all_pcodes, fill_value=0)
    # Most forums first; ties keep the gazetteer's order.
    listed = counts[counts["total"] > 0].sort_values("total", ascending=False, kind="stable")
    rows = [{"pcode": pcode, **{k: int(v) for k, v in row.items()}} for pcode, row in listed.iterrows()]
    return {"rows": rows, "total": {k: int(counts[k].sum()) for k in (*FOUNDERS, "total")},
            "by_pcode": {pcode: int(n) for pcode, n in counts["total"].items()}}


def activities_by_month(activities: pd.DataFrame, period: Period, months_shown: int = MONTHS_SHOWN) -> dict:
    """Activities held by the end of the period, per month of their start and type, month by month.

    Months from the first activity to the period's month are all listed, empty ones too; beyond
    `months_shown`, the earlier months are summed into `earlier` (with `before`, the first month listed).
    """
    starts = _dates(activities["start_date"])
    held = activities[starts <= pd.Timestamp(period.end)]
    kinds = list(ACTIVITY_TYPES)
    total = {k: int((held["type"] == k).sum()) for k in kinds}
    total["total"] = len(held)
    if held.empty:
        return {"rows": [], "earlier": None, "total": total}
    months = starts[held.index].dt.to_period("M")
    counts = (held.groupby([months, held["type"].astype(object)]).size().unstack(fill_value=0)
              .reindex(columns=kinds, fill_value=0))
    span = pd.period_range(months.min(), pd.Period(str(period), "M"), freq="M")
    counts = counts.reindex(span, fill_value=0)
    counts["total"] = counts.sum(axis=1)
    earlier = None
    if len(counts) > months_shown:
        before, counts = counts.iloc[:-months_shown], counts.iloc[-months_shown:]
        earlier = {**{k: int(before[k].sum()) for k in (*kinds, "total")},
                   "before": counts.index[0].start_time.date()}
    rows = [{"month": month.start_time.date(), **{k: int(row[k]) for k in (*kinds, "total")}}
            for month, row in counts.iterrows()]
    return {"rows": rows, "earlier": earlier, "total": total}


def participants(activities: pd.DataFrame, end: dt.date) -> dict:
    """Participants of the activities held by the end of the period, by group and by sex.

    `unrecorded` is the part of the total that the sheet does not split by group (or by sex).
    """
    held = activities[_dates(activities["start_date"]) <= pd.Timestamp(end)]
    counts = held[["participants", "female", *PARTICIPANT_GROUPS]].apply(pd.to_numeric, errors="coerce")
    total = int(counts["participants"].sum())
    groups = {g: int(counts[g].sum()) for g in PARTICIPANT_GROUPS}
    recorded = counts["female"].notna()
    female = int(counts.loc[recorded, "female"].sum())
    male = int(counts.loc[recorded, "participants"].sum()) - female
    return {"total": total,
            "groups": {**groups, "unrecorded": max(total - sum(groups.values()), 0)},
            "sex": {"female": female, "male": male, "unrecorded": total - female - male}}


def displacement(totals: pd.DataFrame, dates_shown: int = DATES_SHOWN) -> dict:
    """Per scope: the latest figure of each metric with its as-of date, and the figures of its last as-of dates.

    `totals` are the displacement figures up to the period end (Checked.displacement_totals_until)."""
    scopes: dict[str, dict] = {}
    if totals.empty:
        return scopes
    totals = totals.assign(metric=totals["metric"].astype(str)).sort_values(["scope", "as_of"])
    for scope, figures in totals.groupby("scope", sort=True):
        latest = figures.groupby("metric").tail(1).set_index("metric")
        dates = sorted(figures["as_of"].unique())[-dates_shown:]
        shown = figures[figures["as_of"].isin(dates)].pivot(index="as_of", columns="metric", values="individuals")
        scopes[str(scope)] = {
            "latest": [{"metric": m, "value": int(latest.at[m, "individuals"]),
                        "as_of": latest.at[m, "as_of"].date()} for m in METRICS if m in latest.index],
            "series": [{"as_of": day.date(), "values": {m: int(v) for m, v in row.items() if pd.notna(v)}}
                       for day, row in shown.reindex(columns=[m for m in METRICS if m in shown]).iterrows()],
        }
    return scopes


def breakdowns(checked: Checked, period: Period) -> dict:
    """Everything the pictures show, for the period: forums, activities, participants and displacement."""
    return {"forums": forums_by_governorate(checked.forums, period.end),
            "activities": activities_by_month(checked.activities, period),
            "participants": participants(checked.activities, period.end),
            "displacement": displacement(checked.displacement_totals_until(period.end))}
