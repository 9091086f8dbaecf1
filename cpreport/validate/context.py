"""What a rule across the rows of a table, or across tables, sees."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ..findings import Findings
from ..load import (Sheet)
from .displacement import displacement_totals_until


# Rules across the rows of a table, or across tables: one function each, listed in TABLE_RULES below.
@dataclass
class Context:
    """What a table rule sees: the sheets as read, the typed tables, the period end and the scopes of the config."""

    sheets: dict[str, Sheet]
    typed: dict[str, pd.DataFrame]
    period_end: dt.date
    scopes: set[str]
    findings: Findings
    # The displacement table the figures below were worked out from, and the figures.
    worked_out: tuple[pd.DataFrame, pd.DataFrame] | None = field(default=None, init=False, repr=False, compare=False)

    def displacement_totals(self) -> pd.DataFrame:
        """The displacement figures of the dates up to the period end, of the rows as the rules have left them:
        worked out again only if a rule has changed the table since."""
        frame = self.typed["displacement"]
        if self.worked_out is None or self.worked_out[0] is not frame:
            self.worked_out = (frame, displacement_totals_until(frame, self.period_end))
        return self.worked_out[1]
