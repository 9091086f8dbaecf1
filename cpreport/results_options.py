"""The results framework's key, [[indicators]]: each line of it tied to a figure the build states, checked with
the rest of the config (checking.py). options.py names it among the config's keys; indicators.py works out each
line's standing against the figures of a period."""
from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass

from .checking import Option, Text, check_date, check_text, unknown_key
from .contract import CHOICES
from .said import Said


@dataclass(frozen=True)
class Indicator:
    """A line of the results framework, tied to a figure: what was planned (`target` by `target_date`) against
    what the figures say. With `of`, the indicator is a share (figure / of) and its target a fraction."""

    code: str
    label: Text
    figure: str
    target: float
    baseline: float = 0
    of: str = ""
    target_date: dt.date | None = None
    group: Text = Text()  # a heading above its rows, e.g. Outcome / Output


INDICATOR_KEYS = ("code", "label", "figure", "of", "baseline", "target", "target_date", "group")


def figure_keys(scopes: object = ()) -> list[str]:
    """Every figures.json key a build may state (displacement ones for the config's scopes and any others as
    `displacement.<scope>.<metric>`): what an indicator's `figure` and `of` may name."""
    from .contract import PARTICIPANT_GROUPS

    bases = ["cpfs.total", *(f"cpfs.{k}" for k in CHOICES["established_by"]), "activities.total",
             *(f"activities.{k}" for k in CHOICES["activity_type"]), "participants.total"]
    keys = [f"{base}{suffix}" for base in bases for suffix in ("", ".in_period", ".previous", ".change")]
    keys += ["cpfs.active", *(f"participants.{g}{suffix}" for g in ("female", *PARTICIPANT_GROUPS)
                              for suffix in ("", ".in_period", ".previous", ".change"))]
    for scope in scopes:
        for metric in CHOICES["metric"]:
            keys += [f"displacement.{scope}.{metric}{suffix}" for suffix in ("", ".previous", ".change")]
    return keys


def _figure_key(name: str, value: object, scopes: object, problems: list) -> str:
    """A figure an indicator names: a known key, or a displacement figure of any scope (the sheet names them)."""
    text = str(value).strip()
    metrics = "|".join(CHOICES["metric"])
    if text in figure_keys(scopes) or re.fullmatch(rf"displacement\.\w+\.({metrics})(\.previous|\.change)?", text):
        return text
    close = difflib.get_close_matches(text, figure_keys(scopes), n=1, cutoff=0.5)
    problems.append(Said("%(key)s: '%(value)s' is not a figure; did you mean '%(near)s'? (`cpreport figures` lists them)",
                         key=name, value=text, near=close[0]) if close else
                    Said("%(key)s: '%(value)s' is not a figure (`cpreport figures` lists them)", key=name, value=text))
    return ""


def _number(name: str, value: object, problems: list) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        problems.append(Said("%(key)s must be a number of 0 or more, such as 60 or 0.35, not %(value)s", key=name,
                             value=repr(value)))
        return None
    return value


class Indicators(Option):
    """[[indicators]]: the results framework, each line tied to a figure (checked after scopes and project_end,
    which TOML writes above it)."""

    def check(self, key, value, checking):
        problems = checking.problems
        values = checking.values
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(Said("'indicators' must be a list of [[indicators]] tables with code, label, figure and "
                                 "target"))
            return ()
        found: list[Indicator] = []
        scopes = list(values.get("scopes", {}))
        for number, entry in enumerate(value, 1):
            here = Said("indicator %(code)s", code=entry.get("code", number))
            for extra in set(entry) - set(INDICATOR_KEYS):
                unknown_key(f"indicators[{number}].{extra}", [f"indicators[{number}].{k}" for k in INDICATOR_KEYS], problems)
            missing = [k for k in ("code", "label", "figure", "target") if k not in entry]
            if missing:
                problems.append(Said("%(indicator)s needs %(keys)s", indicator=here,
                                     keys=", ".join(repr(k) for k in missing)))
                continue
            code = str(entry["code"]).strip()
            if not re.fullmatch(r"[\w.\-]+", code):
                problems.append(Said("%(indicator)s: the code must be letters, digits, dots or dashes, such as \"1.1\"",
                                     indicator=here))
                continue
            if any(i.code == code for i in found):
                problems.append(Said("%(indicator)s: the code '%(code)s' is given twice", indicator=here, code=code))
                continue
            def its(name: str, here: Said = here) -> Said:
                return Said("%(indicator)s '%(key)s'", indicator=here, key=name)

            figure = _figure_key(its("figure"), entry["figure"], scopes, problems)
            of = _figure_key(its("of"), entry["of"], scopes, problems) if "of" in entry else ""
            target = _number(its("target"), entry["target"], problems)
            baseline = _number(its("baseline"), entry.get("baseline", 0), problems)
            when = check_date(its("target_date"), entry["target_date"], problems) if "target_date" in entry else None
            label = check_text(its("label"), entry["label"], problems)
            group = check_text(its("group"), entry["group"], problems) if "group" in entry else Text()
            if of and target is not None and target > 1:
                problems.append(Said("%(indicator)s: a share's target is a fraction such as 0.35 (35%%), not %(value)s",
                                     indicator=here, value=repr(target)))
            if of and baseline is not None and baseline > 1:
                problems.append(Said("%(indicator)s: a share's baseline is a fraction such as 0.2 (20%%), not "
                                     "%(value)s", indicator=here, value=repr(baseline)))
            if not of and when is None and "project_end" not in values and "target_date" not in entry:
                # How far along a count should be is told by the time gone to its date; a share is judged as it stands.
                problems.append(Said("%(indicator)s needs a 'target_date', or the config a 'project_end' (the date it is "
                                     "judged by)", indicator=here))
                continue
            if figure and (of or "of" not in entry) and target is not None and baseline is not None:
                found.append(Indicator(code, label, figure, target, baseline, of, when, group))
        return tuple(found)
