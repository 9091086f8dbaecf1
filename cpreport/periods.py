"""Reporting periods: a month, a quarter, a half-year, a year, or the project from its first data; how each is
written, where it starts and ends, and the period of the same kind before it."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .said import Said


PERIOD_KINDS = ("month", "quarter", "half", "year", "project")
MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}
PERIOD_FORMS = "YYYY-MM (a month), YYYY-Qn (a quarter), YYYY-Hn (a half-year), YYYY (a year) or 'project'"


def _month_before(day: dt.date) -> tuple[int, int]:
    previous = day.replace(day=1) - dt.timedelta(days=1)
    return previous.year, previous.month


@dataclass(frozen=True)
class Period:
    """What a report covers: a month, a quarter, a half-year, a year, or the project from its first data.

    `year` and `month` are those of its last month, so that a month is Period(2017, 5) as it always was;
    `since` is the first day of a project's first month (known once the sheets are read)."""

    year: int
    month: int
    kind: str = "month"
    since: dt.date | None = None

    @classmethod
    def parse(cls, text: str, last: Period | None = None) -> Period:
        """"2017-05", "2017-Q2", "2017-H1", "2017" or "project" (the project up to `last`, else the last full
        month)."""
        written = str(text).strip()
        if written.lower() == "project":
            end = last or cls.last_full_month()
            return cls(end.end.year, end.end.month, "project", end.since if end.kind == "project" else None)
        match = re.fullmatch(r"(\d{4})(?:-(?:(\d{1,2})|([Qq])([1-4])|([Hh])([12])))?", written)
        if match and not 1950 <= int(match[1]) <= 2100:
            raise ValueError(Said("'%(text)s' is not a period: its year must be between 1950 and 2100", text=text))
        if not match or (match[2] and not 1 <= int(match[2]) <= 12):
            # Said by the config's checks in the language asked (cpreport.said).
            raise ValueError(Said("'%(text)s' is not a period; write YYYY-MM (a month), YYYY-Qn (a quarter), YYYY-Hn "
                                  "(a half-year), YYYY (a year) or 'project', e.g. 2017-05 or 2017-Q2", text=text))
        year = int(match[1])
        if match[2]:
            return cls(year, int(match[2]))
        if match[3]:
            return cls(year, 3 * int(match[4]), "quarter")
        if match[5]:
            return cls(year, 6 * int(match[6]), "half")
        return cls(year, 12, "year")

    @classmethod
    def last_full_month(cls, today: dt.date | None = None) -> Period:
        return cls(*_month_before(today or dt.date.today()))

    @property
    def number(self) -> int:
        """Which quarter or half of its year it is (2 for 2017-Q2); the month's number for a month."""
        return (self.month - 1) // MONTHS_IN.get(self.kind, 12) + 1 if self.kind != "project" else 1

    @property
    def start(self) -> dt.date:
        if self.kind == "project":
            return self.since or dt.date(1950, 1, 1)
        first = self.year * 12 + self.month - MONTHS_IN[self.kind]  # months since year 0, of the first month - 1
        return dt.date(first // 12, first % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def months(self) -> list[Period]:
        """The months the period is made of, in order."""
        first, last = self.start.year * 12 + self.start.month - 1, self.year * 12 + self.month - 1
        return [Period(m // 12, m % 12 + 1) for m in range(first, last + 1)]

    def previous(self) -> Period:
        """The period of the same kind just before; for the project, the (empty) time before its first month."""
        year, month = _month_before(self.start)
        return Period(year, month, self.kind, self.since)

    def containing(self, kind: str) -> Period:
        """The period of `kind` that this one's last month falls in: the quarter of May 2017 is 2017-Q2."""
        if kind in ("month", "project"):
            return Period(self.year, self.month, kind, self.since if kind == "project" else None)
        size = MONTHS_IN[kind]
        return Period(self.year, ((self.month - 1) // size + 1) * size, kind)

    def __str__(self) -> str:
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        if self.kind == "half":
            return f"{self.year:04d}-H{self.number}"
        if self.kind == "year":
            return f"{self.year:04d}"
        if self.kind == "project":
            return "project"
        return f"{self.year:04d}-{self.month:02d}"
