"""What a KoboToolbox or ODK export carries besides the table's own columns, told from its cells: the choices of a
select-multiple question written as columns of 0 and 1, and the submissions its reviewers have not accepted.
(The meta columns and the choices written beside their question's own column are told by their headers alone,
in contract.py.)
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..contract import GROUP_SEPARATORS
from ..findings import Code, Findings, finding, runs


def question_and_choice(header: str) -> list[str]:
    """A header cut at its last group separator (contract.GROUP_SEPARATORS: "target_groups/female"), or at its last
    dash (ODK's "grp-target_groups-female") when it has none of those, a choice having dashes of its own
    ("target_groups/law-enforcement"): [question, choice]; [header] when it has no group."""
    text = header.strip()
    cuts = [m.start() for m in GROUP_SEPARATORS.finditer(text)] or [m.start() for m in re.finditer("-", text)]
    return [text[:cuts[-1]], text[cuts[-1] + 1:]] if cuts else [text]


TICKS = {0, 1}
TICK_TEXTS = {"0", "1", "0.0", "1.0", "true", "false"}


def _is_tick(cell) -> bool:
    if isinstance(cell, bool | np.bool_):
        return True
    if isinstance(cell, int | float | np.integer | np.floating):
        return cell in TICKS
    return isinstance(cell, str) and cell.strip().lower() in TICK_TEXTS


def _filled(values) -> list:
    """The values that are not empty cells (None, NaN, blank text)."""
    return [value for value in values if value is not None and not (isinstance(value, float) and value != value)
            and not (isinstance(value, str) and not value.strip())]


def lone_ticks(header: list, below: pd.DataFrame, mapped: set[str]) -> set[int]:
    """The columns of an export that are the choices of a select-multiple question exported "as separate columns"
    without the question's own column: two or more headers "<question>/<choice>" under one question, each column
    holding nothing but 0 and 1 (and empty cells). A choice named like a count ("target_groups/female") would
    otherwise be read as that count: a tick is never a number of people. A header the config names under
    [columns] (mapped: folded) is the project's word, and is read as it says."""
    questions: dict[str, list[int]] = {}
    for position, text in enumerate(header):
        if isinstance(text, str) and (parts := question_and_choice(text)) and len(parts) == 2 \
                and parts[0] and parts[1] and " ".join(text.lower().split()) not in mapped:
            questions.setdefault(parts[0].strip().lower(), []).append(position)
    ticks: set[int] = set()
    for positions in questions.values():
        if len(positions) < 2 or not len(below):
            continue
        # Each column's distinct cells, not each cell: a group of the form's own answers stops at its first.
        ticked = False
        for n in (n for n in positions if n < below.shape[1]):
            values = _filled(pd.unique(below.iloc[:, n].to_numpy(dtype=object)))
            if not all(map(_is_tick, values)):
                break
            ticked = ticked or bool(values)
        else:
            if ticked:
                ticks.update(positions)
    return ticks


# How reviewers mark a submission they have not accepted: KoboToolbox's validation status (as its XML values and
# its labels) and ODK Central's review state.
NOT_ACCEPTED = {"_validation_status": (Code.CP039, {"validation_status_not_approved", "not approved",
                                                    "validation_status_on_hold", "on hold"}),
                "reviewstate": (Code.CP045, {"rejected", "hasissues", "has issues"})}


def not_accepted(header: list, below: pd.DataFrame, first_row: int, where: dict, findings: Findings) -> None:
    """Submissions a reviewer marked "Not approved" or "On hold" (KoboToolbox), "Rejected" or "Has issues" (ODK
    Central) are rows of the export like any other, and counted: said in one warning with their rows, for the
    officer to leave them out or accept them."""
    for position, text in enumerate(header):
        if not isinstance(text, str):
            continue
        said = NOT_ACCEPTED.get(question_and_choice(text)[-1].lower())
        if said is None:
            continue
        code, states = said
        column = below.iloc[:, position]
        marked = column.map(lambda cell: isinstance(cell, str) and " ".join(cell.lower().split()) in states)
        at = np.flatnonzero(marked.to_numpy(dtype=bool))
        if len(at):
            rows = [first_row + int(n) + 1 for n in at]
            findings.add(finding(code, **where, row=rows[0], column=text.strip(), count=len(rows),
                                 rows=runs(rows)))
