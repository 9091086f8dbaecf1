"""The results framework against the figures: each indicator's value, its share of the target, and whether it is
on track, behind or achieved by the share of time gone to its target date."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .config import Config, Indicator
from .figures import Figure, Figures

STATUSES = ("achieved", "on_track", "behind", "not_known")


def elapsed(since: dt.date, on: dt.date, target_date: dt.date) -> float:
    """The share of the time from the project's start to the target date gone by `on`, between 0 and 1."""
    if target_date <= since:
        return 1.0
    return min(max((on - since).days / (target_date - since).days, 0.0), 1.0)


def status(value: float | None, target: float, expected: float | None) -> str:
    """achieved at or above the target (a target of 0 is reached at once); else on track when the share of the
    target reached is at least the share of time gone (`expected`), behind otherwise. A share (expected None) is
    judged as it stands: below its target it is behind. A share of nothing (no participants yet) is not known."""
    if value is None:
        return "not_known"
    if target <= 0 or value >= target:
        return "achieved"
    if expected is not None and value / target >= expected:
        return "on_track"
    return "behind"


@dataclass(frozen=True)
class Standing:
    """One indicator at the end of a period: what the table shows and figures.json keeps."""

    indicator: Indicator
    value: float | None  # None when not known: a share of nothing (no participants, or none whose activities
    # recorded the group), or a figure the period has none of yet (no displacement figure by its end)
    in_period: float | None  # None when the figure has no in-period companion (a displacement figure)
    percent_of_target: float | None  # None for a target of 0, or a value not known
    expected: float | None  # the share of time gone to the target date; None for a share
    status: str
    target_date: dt.date | None
    as_of: dt.date | None = None  # the figure's own date when it is not the period's end (a displacement figure)

    @property
    def share(self) -> bool:
        return bool(self.indicator.of)


def _ratio(figures: Figures, key: str, of: str) -> float | None:
    """figure / of; None when there is nothing to divide by (no participants yet: a share of nothing is not 0%). A
    group's share of the participants is of those whose activities recorded the group (its figure's
    of_participants): None too when none of them did (not known, not 0)."""
    if key not in figures or of not in figures:
        return None  # a figure the period has none of yet (no displacement figure by its end): not known
    whole = figures.value(of)
    recorded = figures[key].extra.get("of_participants") if key in figures and of.startswith("participants.total") \
        else None
    if recorded is not None:
        whole = recorded
    return figures.value(key) / whole if whole else None


def _in_period(figures: Figures, key: str) -> str | None:
    if key.endswith(".in_period"):
        return key
    return f"{key}.in_period" if f"{key}.in_period" in figures else None


def standing(indicator: Indicator, figures: Figures, since: dt.date, project_end: dt.date | None) -> Standing:
    key, of = indicator.figure, indicator.of
    if of:
        value = _ratio(figures, key, of)
        during_key, during_of = _in_period(figures, key), _in_period(figures, of)
        in_period = _ratio(figures, during_key, during_of) if during_key and during_of else None
        expected = None
    else:
        # A figure the period has none of (the first "returned" figure is dated after it) is not known: never a
        # stated 0, 0% of the target and behind.
        value = figures.value(key) if key in figures else None
        during = _in_period(figures, key)
        in_period = figures.value(during) if during and during in figures else None
        when = indicator.target_date or project_end
        expected = elapsed(since, figures.period.end, when) if when else None
    percent = value / indicator.target if indicator.target and value is not None else None
    dated = figures[key].as_of if key in figures else None
    return Standing(indicator, value, in_period, percent, expected, status(value, indicator.target, expected),
                    indicator.target_date or (None if of else project_end),
                    dated if dated and dated != figures.period.end else None)


def add(config: Config, figures: Figures, since: dt.date) -> list[Standing]:
    """Work out every indicator of the config for the figures' period, and add each as `indicators.<code>`.

    `since` is the project's start (its first month with data), from which the time to a target date runs."""
    standings = []
    for indicator in config.indicators:
        found = standing(indicator, figures, since, config.project_end)
        # A group's share divides by the participants of the activities that record the group: the rows of the
        # group's own figure, which are then its sources whole (participants.total's rows would name more).
        recorded = indicator.of and indicator.of.startswith("participants.total") and indicator.figure in figures \
            and figures[indicator.figure].extra.get("of_participants") is not None
        keys = (indicator.figure,) if recorded else (indicator.figure, indicator.of)
        sources = tuple(dict.fromkeys(s for k in keys if k in figures for s in figures[k].sources))
        figures.add(Figure(f"indicators.{indicator.code}", round(found.value, 6) if found.share and found.value is not None
                           else found.value,
                           found.as_of or figures.period.end, sources, {
                               "figure": indicator.figure, **({"of": indicator.of} if indicator.of else {}),
                               **({"divided_by": figures[indicator.figure].extra["of_participants"]} if recorded else {}),
                               "baseline": indicator.baseline, "target": indicator.target,
                               "target_date": found.target_date.isoformat() if found.target_date else None,
                               "in_period": None if found.in_period is None else round(found.in_period, 6),
                               "percent_of_target": None if found.percent_of_target is None
                               else round(found.percent_of_target * 100, 1),
                               "time_elapsed": None if found.expected is None else round(found.expected * 100, 1),
                               "status": found.status}))
        standings.append(found)
    return standings


def with_indicators(config: Config, checked, figures: Figures) -> Figures:
    """The figures of a period with the config's indicators added (`indicators.<code>`), as a build states them,
    for the commands that show figures (figures, explain)."""
    if config.indicators:
        from .check import project_from
        from .periods import Period

        figures.indicators = add(config, figures, project_from(checked, Period.parse("project", figures.period)).start)
    return figures


def stated(config: Config, checked, period=None) -> Figures:
    """The figures a report of the period (the config's, else the one given) states, the config's indicators with
    them: the one way the build, `cpreport figures` and `cpreport explain` make them."""
    from .check import project_from
    from .figures import computed

    figures = computed(checked, project_from(checked, period or config.period), config.highlights)
    return with_indicators(config, checked, figures)


def said_value(figure, say) -> str:
    """A figure's value as the terminal says it: a share as a percentage ("—" when not known), a count as a number."""
    if figure.share:
        if figure.value is None:
            return "—"
        from markupsafe import Markup

        from .wording import Wording

        return Markup(Wording(say.language).percent(figure.value)).striptags()
    return say.number(figure.value)
