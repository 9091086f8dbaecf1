"""Displacement arithmetic: one figure per scope, indicator and date, and the rules that compare them."""
from __future__ import annotations

from typing import TYPE_CHECKING

import datetime as dt

import numpy as np
import pandas as pd

from ..contract import (fold)
from ..findings import Code, finding
from ..load import (ROW)
from .report import ROWS_SHOWN, _written, by_period_end, reads, rows_shown

if TYPE_CHECKING:  # the rules take a Context; only annotations name it
    from .context import Context


@reads("scope")
def scope_labels(c: Context, table: str) -> None:
    sheet, typed = c.sheets[table], c.typed[table]
    known = {fold(s) for s in c.scopes}
    for scope in sorted(set(typed["scope"].dropna()) - known):
        first = typed.index[typed["scope"] == scope][0]
        c.findings.add(finding(Code.CP308, **sheet.where(typed.at[first, ROW], "scope"),
                               value=_written(sheet, first, "scope")))


def _scope_typed(c: Context, table: str, scope: object) -> object:
    """A scope as the officer typed it in its first row ("Mosul operations"), not its key ("mosul_operations")."""
    sheet, typed = c.sheets[table], c.typed[table]
    rows = typed.index[typed["scope"] == scope]
    return _written(sheet, rows[0], "scope") if len(rows) else scope


@reads("governorate")
def unplaced_figures(c: Context, table: str) -> None:
    """A figure for a governorate that could not be read (said as CP208) is left out: read as a row without a
    governorate, it would stand for the whole scope on its date."""
    sheet, typed = c.sheets[table], c.typed[table]
    if "governorate" not in sheet.frame:
        return
    unread = sheet.frame["governorate"].notna().reindex(typed.index) & typed["governorate"].isna()
    if unread.any():
        c.typed[table] = typed[~unread]


@reads("individuals", "scope")
def figure_given_twice(c: Context, table: str) -> None:
    sheet, typed = c.sheets[table], c.typed[table]
    keys = ["scope", "metric", "as_of", "governorate"]
    clash = typed.dropna(subset=["scope", "metric", "as_of", "individuals"])
    if not clash.duplicated(keys).any():  # each figure given once, as most sheets give them: nothing to group
        return
    clash = clash[clash.groupby(keys, dropna=False, observed=True)["individuals"].transform("nunique") > 1]
    for (_, metric, as_of, _), group in clash.groupby(keys, dropna=False, observed=True):
        given = pd.unique(group["individuals"])
        values = [int(v) for v in given[:ROWS_SHOWN]]
        rows = rows_shown(group[ROW], sheet)
        # Said once, at the second row: the message lists every row that gives the figure.
        index, row = group.index[1], group[ROW].iloc[1]
        c.findings.add(finding(Code.CP309, **sheet.where(row, "individuals"),
                               value=_written(sheet, index, "individuals"),
                               day=as_of, scope=_written(sheet, group.index[0], "scope"),
                               metric=metric, values=values, rows=rows, more_values=len(given) > ROWS_SHOWN))


@reads("individuals", "scope")
def governorates_beyond_the_whole(c: Context, table: str) -> None:
    """Governorates' figures adding up to more than the figure given for their whole scope, for one metric on one
    date: the report states the whole scope's figure (displacement_totals), so the two must not disagree unsaid.
    A warning at the whole scope's row, naming the governorates' rows."""
    sheet, typed = c.sheets[table], c.typed[table]
    if "governorate" not in typed:
        return
    given = typed.dropna(subset=["scope", "metric", "as_of", "individuals"])
    placed = given["governorate"].notna()
    if not placed.any() or placed.all():
        return
    keys = ["scope", "metric", "as_of"]
    parts = given[placed].groupby(keys, observed=True).agg(added=("individuals", "sum"), rows=(ROW, list))
    wholes = given[~placed].sort_values(ROW).drop_duplicates(keys).set_index(keys)
    both = parts.join(wholes[["individuals", ROW]], how="inner")
    for (scope, metric, as_of), figure in both[both["added"] > both["individuals"]].iterrows():
        at = sheet.frame.index[sheet.frame[ROW] == figure[ROW]]
        c.findings.add(finding(Code.CP310, **sheet.where(int(figure[ROW]), "individuals"),
                               value=_written(sheet, at[0], "individuals") if len(at) else "",
                               day=as_of, scope=_scope_typed(c, table, scope), metric=metric,
                               added=int(figure["added"]), whole=int(figure["individuals"]),
                               rows=rows_shown(pd.Series(figure["rows"]), sheet)))


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
    # A figure (or a governorate's) given twice is one figure, its first row's: two values of it are an error
    # (figure_given_twice, CP309), never added up into a third that other rules would then find wrong.
    place = pd.factorize(frame["governorate"].astype(object))[0][order]
    used &= ~pd.DataFrame({"figure": figure, "place": place}).duplicated().to_numpy()
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


@by_period_end
@reads("individuals", "scope")
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
        shown = {p: None if np.isnan(wide[p][day]) else int(wide[p][day]) for p in PARTS}
        rows = totals["rows"].to_numpy()[(codes == day) & (metric == "displaced_cumulative")][0]
        row = int(min(rows))
        at = sheet.frame.index[sheet.frame[ROW] == row]
        c.findings.add(finding(Code.CP306, **sheet.where(row, "individuals"),
                               value=_written(sheet, at[0], "individuals") if len(at) else "",
                               day=as_of, scope=_scope_typed(c, table, scope),
                               returned=shown["returned_cumulative"], current=shown["displaced_current"],
                               cumulative=int(cumulative[day])))


@by_period_end
@reads("individuals", "scope")
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
            row = min(cumulative.rows)
            at = sheet.frame.index[sheet.frame[ROW] == row]
            c.findings.add(finding(Code.CP307, **sheet.where(row, "individuals"),
                                   value=_written(sheet, at[0], "individuals") if len(at) else "",
                                   scope=_scope_typed(c, table, scope),
                                   returned=int(returned.individuals), returned_on=returned.as_of,
                                   current=int(current.individuals), current_on=current.as_of,
                                   cumulative=int(cumulative.individuals), cumulative_on=cumulative.as_of))
