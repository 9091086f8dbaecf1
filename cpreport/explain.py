"""Explaining a figure: its value, the rule that makes it, in the officer's language, and the rows it counts."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from markupsafe import Markup

from .contract import CHOICES, PARTICIPANT_GROUPS, governorates
from .errors import CpreportError, UnknownFigure
from .said import Said
from .figures import Figure, Figures
from .i18n import translations
from .load.sheets import PART_STRIDE, ROW
from .validate import Checked
from .wording import Wording

SUFFIXES = ("in_period", "previous", "change")
# The table each family of figures is counted from, the column that dates its rows, and the column added up.
TABLES = {"cpfs": ("forums", "established_on"), "activities": ("activities", "start_date"),
          "participants": ("activities", "start_date"), "displacement": ("displacement", "as_of")}
SHOWN = {  # the cells shown beside each row: the id, what sorts the row, its date, its place, what is added up
    "forums": ["cpf_id", "established_by", "status", "established_on", "governorate", "district"],
    "activities": ["activity_id", "type", "start_date", "governorate"],
    "displacement": ["as_of", "scope", "metric", "governorate", "individuals"],
}


@dataclass
class Explanation:
    key: str
    figure: Figure
    label: str  # what the figure is, in a few words
    rule: str  # how it is made, in a sentence
    rows: pd.DataFrame  # file, sheet, row and the cells that count


def _parts(key: str) -> tuple[str, str]:
    """A key as its base figure and its suffix: "activities.training.in_period" -> ("activities.training",
    "in_period")."""
    base, _, last = key.rpartition(".")
    return (base, last) if last in SUFFIXES else (key, "")


def label(key: str, language: str = "en", config=None) -> str:
    """What a figure is, in a few words of the language asked; with the config, its scopes and indicators by the
    names it gives them in that language."""
    _ = translations(language).gettext
    base, suffix = _parts(key)
    family, _dot, rest = base.partition(".")
    named = _named(config, language)
    if family == "indicators":
        if rest in named["indicators"]:
            return _("results indicator {code}").format(code=rest) + f": {named['indicators'][rest]}"
        return _("results indicator {code}").format(code=rest)
    what = {
        "cpfs.total": _("Community Policing Forums"), "cpfs.iom": _("forums established by the programme"),
        "cpfs.police": _("forums established by local police"), "cpfs.active": _("active forums"),
        "activities.total": _("activities"), "activities.training": _("trainings"),
        "activities.conference": _("conferences"), "activities.workshop": _("workshops"),
        "participants.total": _("participants"), "participants.female": _("female participants"),
    }.get(base)
    if what is None and family == "participants" and rest in PARTICIPANT_GROUPS:
        from .charts import WORDS  # the groups' names, as the report's tables and pictures say them

        what = _("participants of the group '{group}'").format(group=_(WORDS[f"group.{rest}"]))
    if what is None and base.startswith("cpfs.place."):
        what = _("forums in the highlighted place '{place}'").format(place=base.removeprefix("cpfs.place."))
    if what is None and family == "displacement":
        scope, _dot, metric = rest.rpartition(".")
        names = CHOICES["metric"].get(metric)
        shown = (names[1] if language == "ar" else names[0]) if names else metric
        what = _("{metric}, scope '{scope}'").format(metric=shown, scope=named["scopes"].get(scope, scope))
    what = what or base
    when = {"": _("to the end of the period"), "in_period": _("in the period"),
            "previous": _("to the end of the period before"), "change": _("change over the period")}[suffix]
    return f"{what}: {when}"


def _rule(key: str, figures: Figures, language: str) -> str:
    _ = translations(language).gettext
    period = figures.period
    base, suffix = _parts(key)
    family = base.partition(".")[0]
    # Dates in words, in the language asked: "31 May 2017", and in Arabic the Iraqi month and Arabic-Indic digits.
    said = Wording(language)

    def day(value) -> str:
        return Markup(said.date(value)).striptags()

    dates = {"end": day(period.end), "start": day(period.start), "previous_end": day(period.previous().end)}
    if suffix == "change":
        return _("The figure '{key}' less the figure '{previous}': both are explained on their own.").format(
            key=base, previous=f"{base}.previous")
    if family == "indicators":
        extra = figures.items[key].extra
        if extra.get("of"):
            return _("The figure '{figure}' divided by the figure '{of}' (for a group of participants, by the "
                     "participants of the activities that record it), against its target in [[indicators]] of the "
                     "config; each is explained on its own.").format(figure=extra["figure"], of=extra["of"])
        return _("The figure '{figure}', against its target in [[indicators]] of the config; it is explained on its "
                 "own.").format(figure=extra.get("figure", ""))
    if family == "displacement":
        end = dates["previous_end"] if suffix == "previous" else dates["end"]
        return _("The latest figure of this scope and indicator dated on or before {end}: the row without a "
                 "governorate where there is one, else the sum of the rows of each governorate on that date."
                 ).format(end=end)
    table, date = TABLES[family]
    when = {"": _("dated on or before {end}"), "in_period": _("dated from {start} to {end}"),
            "previous": _("dated on or before {previous_end}")}[suffix].format(**dates)
    column = "participants" if base == "participants.total" else base.partition(".")[2]
    how = (_("the cells of the column '{column}' of these rows, added up").format(column=column)
           if family == "participants" else _("each of these rows counted once"))
    which = {"cpfs.iom": _(", established by the programme"), "cpfs.police": _(", established by local police"),
             "cpfs.active": _(", whose status is active"),
             "activities.training": _(", of the type training"), "activities.conference": _(", of the type conference"),
             "activities.workshop": _(", of the type workshop")}.get(base, "")
    if base.startswith("cpfs.place."):
        which = _(", in the highlighted district")
    return _("The rows of the '{table}' table whose '{date}' is {when}{which}: {how}.").format(
        table="cpfs" if table == "forums" else table, date=date, when=when, which=which, how=how)


def _row_numbers(text: str) -> list[int]:
    """"4-6, 9" -> [4, 5, 6, 9]: the rows a figure's source names."""
    numbers: list[int] = []
    for span in filter(None, (s.strip() for s in text.split(","))):
        first, _, last = span.partition("-")
        numbers.extend(range(int(first), int(last or first) + 1))
    return numbers


def _rows(key: str, figure: Figure, checked: Checked, language: str = "en") -> pd.DataFrame:
    """The rows a figure counts, as the sheets number them, with the cells that count."""
    family = _parts(key)[0].partition(".")[0]
    table_name, _date = TABLES.get(family, (None, None))
    if table_name is None or not figure.sources:
        return pd.DataFrame(columns=["file", "sheet", "row"])
    contract_name = "cpfs" if table_name == "forums" else table_name
    typed = getattr(checked, table_name)
    parts = checked.sources.get(contract_name, [])
    keys = []
    for source in figure.sources:
        part = next((n for n, (file, sheet) in enumerate(parts) if (file, sheet) == (source.file, source.sheet)), None)
        if part is not None:
            keys.extend(part * PART_STRIDE + row for row in _row_numbers(source.rows))
    chosen = typed[typed[ROW].isin(keys)]
    columns = list(SHOWN[table_name])
    base = _parts(key)[0]
    if family == "participants":
        columns.append("participants" if base == "participants.total" else base.partition(".")[2])
    numbers = chosen[ROW].to_numpy(dtype="int64")
    rows = pd.DataFrame({
        "file": [parts[n][0] for n in numbers // PART_STRIDE],
        "sheet": [parts[n][1] for n in numbers // PART_STRIDE],
        "row": numbers % PART_STRIDE,
    })
    for column in columns:
        values = chosen[column].reset_index(drop=True) if column in chosen else pd.Series([None] * len(chosen))
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.dt.strftime("%Y-%m-%d")
        elif column == "governorate":  # p-codes, as the checks keep them: shown by name
            names = {g.pcode: g.name_ar if language == "ar" else g.name_en for g in governorates()}
            values = values.astype(object).map(lambda code: names.get(code, code))
        rows[column] = values.astype(object).where(values.notna(), "").to_numpy()
    return rows


def keys(figures: Figures) -> list[str]:
    return list(figures.items)


def _named(config, language: str) -> dict:
    """The config's names of its scopes and indicators in a language: {"scopes": {key: name}, "indicators": …}."""
    if config is None:
        return {"scopes": {}, "indicators": {}}
    scopes = {key: (scope.name[language] or scope.label[language]) for key, scope in config.scopes.items()}
    indicators = {i.code: i.label[language] for i in config.indicators}
    return {"scopes": {k: v for k, v in scopes.items() if v}, "indicators": {k: v for k, v in indicators.items() if v}}


def explain(checked: Checked, figures: Figures, key: str, language: str = "en", config=None) -> Explanation:
    """A figure explained; an unknown key is a usage error naming the nearest keys."""
    if key not in figures.items:
        near = difflib.get_close_matches(key, figures.items, n=3, cutoff=0.5) or \
            [k for k in figures.items if k.startswith(re.split(r"[.]", key)[0])][:3]
        raise UnknownFigure(
            Said("There is no figure '%(key)s' for %(period)s. Did you mean %(near)s? `cpreport explain` lists them "
                 "all.", key=key, period=figures.period, near=tuple(near)) if near else
            Said("There is no figure '%(key)s' for %(period)s. `cpreport explain` lists them all.", key=key,
                 period=figures.period))
    figure = figures.items[key]
    return Explanation(key, figure, label(key, language, config), _rule(key, figures, language),
                       _rows(key, figure, checked, language))


def total_of(explanation: Explanation) -> int:
    """What the rows listed add up to: the figure itself, for every figure that counts or adds rows."""
    base = _parts(explanation.key)[0]
    if base.startswith("participants."):
        column = explanation.rows.columns[-1]
        return int(pd.to_numeric(explanation.rows[column].replace("", np.nan)).fillna(0).sum())
    return len(explanation.rows)


def rows_file(path, config) -> None:
    """The file `explain --csv` may write its rows to: a .csv outside the data folder (where it would be read as a
    sheet) and outside the periods' folders, in a folder that exists, and not a file of anyone else's (one that
    exists must be rows an earlier `explain --csv` wrote)."""
    from .datafolder import resolved

    target = path.absolute()
    problem = None
    if target.suffix.lower() != ".csv":
        problem = Said("--csv writes the rows as CSV: give a file name ending in .csv, not %(file)s", file=path)
    elif not target.parent.is_dir():
        problem = Said("--csv: the folder %(folder)s does not exist", folder=target.parent)
    else:
        real = target.parent.resolve() / target.name
        data, out = resolved([config.data]) | set(), resolved([config.out])
        if any(real.is_relative_to(folder) for folder in data):
            problem = Said("--csv: %(file)s is in the data folder, where it would be read as a sheet: give a file "
                           "elsewhere", file=path)
        elif any(real.is_relative_to(folder) and real.parent != folder for folder in out):
            problem = Said("--csv: %(file)s is in a folder of the reports, which builds replace: give a file "
                           "elsewhere", file=path)
        elif target.exists() and not _rows_written(target):
            problem = Said("--csv: %(file)s exists and is not rows an earlier explain wrote, so it is not "
                           "overwritten: give another file", file=path)
    if problem is not None:
        raise CpreportError(problem)


def _rows_written(path) -> bool:
    """Whether a file is rows `explain --csv` wrote: a CSV whose header begins with the rows' place."""
    try:
        with open(path, "rb") as stream:
            return stream.read(64).lstrip(b"\xef\xbb\xbf").startswith(b"file,sheet,row")
    except OSError:
        return False
