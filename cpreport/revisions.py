"""Restated figures: a month already published compared with what the sheets give for it now, and the history of
what each publication replaced.

A published month's folder holds its figures.json, and beside it `.rows.json`: a short digest of each row of the
sheets as the build read them, so that a row edited since is told from one added or removed. Each publication
keeps the figures it replaced in `history/<time>/`; "as published" is the approved version when there is one,
else the first publication kept: what the donor was sent.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .config import Period
from .said import Lines, Said, Stamp

FIGURES = "figures.json"
ROWS = ".rows.json"
HISTORY = "history"
APPROVAL = "approval.json"
REOPENED = "reopened.json"  # in a history entry: why an approved month was opened again
# Companions of a figure that restate no figure of their own month: the month before's (its own folder compares
# it) and the change between them. A figure of the month's own days (in_period) is one its report states: "four
# trainings in April" stays compared when April's total to date does not change (a row moved from 31 March).
SUFFIXES = ("previous", "change")


def main_keys(figures: dict) -> list[str]:
    """The figures compared for restatements: an indicator is left out, its standing follows the figures it is
    made of, which are compared themselves."""
    return [key for key in figures if key.rpartition(".")[2] not in SUFFIXES and not key.startswith("indicators.")]


def read_json(path: Path) -> dict | None:
    try:
        document = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None


def row_numbers(text: str) -> list[int]:
    """"4-6, 9" -> [4, 5, 6, 9]."""
    numbers: list[int] = []
    for piece in str(text or "").split(","):
        first, _, last = piece.strip().partition("-")
        if first.isdigit():
            numbers.extend(range(int(first), int(last if last.isdigit() else first) + 1))
    return numbers


def _rows_of(sources: list[dict]) -> set[tuple[str, str, int]]:
    return {(s.get("file", ""), s.get("sheet", ""), n) for s in sources or [] if isinstance(s, dict)
            for n in row_numbers(s.get("rows", ""))}


def row_digests(checked) -> dict:
    """A digest of every row of the checked tables, by file, sheet and row: what .rows.json holds."""
    import numpy as np
    import pandas as pd

    from .figures import row_ranges
    from .load import ROW
    from .load.stacking import split_keys

    found: dict[str, list[dict]] = {}
    for table, frame in (("cpfs", checked.forums), ("activities", checked.activities),
                         ("displacement", checked.displacement)):
        parts = checked.sources.get(table) or []
        if not parts or frame.empty:
            continue
        # pandas hashes a column of mixed cells (text, dates, empty) by their text.
        hashed = pd.util.hash_pandas_object(frame.drop(columns=[ROW]), index=False).to_numpy() & np.uint64(0xFFFFFFFF)
        if len(parts) == 1:
            part, number = np.zeros(len(frame), dtype="int64"), frame[ROW].to_numpy(dtype="int64")
        else:
            part, number = split_keys(frame[ROW])
        for n, (file, sheet) in enumerate(parts):
            mine = part == n
            order = np.argsort(number[mine], kind="stable")  # rows in ascending order, written as runs ("4-1003")
            found.setdefault(table, []).append({"file": file, "sheet": sheet,
                                                "rows": row_ranges(number[mine][order]),
                                                "digests": hashed[mine][order].astype(">u4").tobytes().hex()})
    return found


def _digest_map(document: dict | None) -> dict[tuple[str, str, int], str]:
    found = {}
    for parts in (document or {}).values():
        for part in parts if isinstance(parts, list) else []:
            if not isinstance(part, dict):
                continue
            digests = str(part.get("digests", ""))
            for i, row in enumerate(row_numbers(part.get("rows", ""))):
                found[(part.get("file", ""), part.get("sheet", ""), row)] = digests[8 * i:8 * i + 8]
    return found


class _RowsSaid:
    __slots__ = ("restatement",)

    def __init__(self, restatement):
        self.restatement = restatement

    def worded(self, say=None) -> str:
        return self.restatement.rows_said(say.language if say is not None else "en")


@dataclass
class Restatement:
    """A published figure the sheets now give otherwise, and the rows that made the difference."""

    period: str
    key: str
    published: int
    now: int
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (file, sheet, rows as runs)
    removed: list[tuple[str, str, str]] = field(default_factory=list)
    changed: list[tuple[str, str, str]] = field(default_factory=list)
    unknown: bool = False  # published without the rows' digests (by an earlier cpreport): changed rows not known

    def changes(self) -> dict:
        """The rows added, removed and changed since, by file and sheet, as a finding keeps them."""
        def places(found):
            return [{"file": file, "sheet": sheet, "rows": rows} for file, sheet, rows in found]

        return {"added": places(self.added), "removed": places(self.removed), "changed": places(self.changed),
                "unknown": self.unknown}

    @property
    def rows(self):
        """The rows added, removed and changed since, said in the language of the message they fill."""
        return _RowsSaid(self)

    def rows_said(self, language: str = "en") -> str:
        """The rows added, removed and changed since, by file and sheet, in English or Arabic."""
        from .messages import Saying

        return Saying(language).changes(self.changes())

    def first_place(self) -> tuple[str, str, int | None]:
        for places in (self.changed, self.added, self.removed):
            if places:
                file, sheet, rows = places[0]
                return file, sheet, (row_numbers(rows) or [None])[0]
        return "", "", None


def _grouped(places: set[tuple[str, str, int]]) -> list[tuple[str, str, str]]:
    from .findings import runs

    by_part: dict[tuple[str, str], list[int]] = {}
    for file, sheet, row in sorted(places):
        by_part.setdefault((file, sheet), []).append(row)
    return [(file, sheet, runs(rows, most=20)) for (file, sheet), rows in by_part.items()]


def compare(period: str, then: dict, then_rows: dict | None, now: dict, now_rows: dict,
            every: bool = False) -> list[Restatement]:
    """The figures of `then` (a figures.json's "figures") that `now` states otherwise. A figure of the period's own
    days whose total to date is restated too is left out (one warning for one change), unless `every`: the
    report's note and marks name each figure it states otherwise than it was sent."""
    found: list[Restatement] = []
    if not isinstance(then, dict):
        return found
    digests: dict[str, dict] = {}  # each side's rows by place, made once and only when a figure differs

    def digests_of(side: str) -> dict:
        if side not in digests:
            digests[side] = _digest_map(then_rows if side == "then" else now_rows)
        return digests[side]

    for key in main_keys(then):
        # A figures.json edited by hand or cut short is compared as far as it can be, never trusted to be whole.
        if not every and key.endswith(".in_period") and _restated(then, now, key.removesuffix(".in_period")):
            continue  # its total to date is restated, and said: one warning for one change
        published = then[key] if isinstance(then[key], dict) else {}
        before, after = published.get("value"), now.get(key, {}).get("value", 0)
        if before == after or isinstance(before, bool) or not isinstance(before, int):
            continue
        rows_then = _rows_of(published.get("sources") if isinstance(published.get("sources"), list) else [])
        rows_now = _rows_of(now.get(key, {}).get("sources"))
        digests_then, digests_now = digests_of("then"), digests_of("now")
        changed = {r for r in rows_then & rows_now if r in digests_then and digests_then[r] != digests_now.get(r)}
        found.append(Restatement(period, key, before, int(after or 0), _grouped(rows_now - rows_then),
                                 _grouped(rows_then - rows_now), _grouped(changed),
                                 unknown=not digests_then and bool(rows_then & rows_now)))
    return found


def _restated(then: dict, now: dict, key: str) -> bool:
    published = then.get(key) if isinstance(then.get(key), dict) else {}
    return published.get("value") != now.get(key, {}).get("value", 0)


def history_entries(folder: Path) -> list[Path]:
    """The earlier publications kept in a period's folder, oldest first."""
    history = folder / HISTORY
    if not history.is_dir():
        return []
    return sorted(p for p in history.iterdir() if p.is_dir() and (p / FIGURES).is_file())


def as_sent(folder: Path) -> tuple[dict | None, dict | None]:
    """The figures.json (and .rows.json) of a month as it was sent: approved, or else first published."""
    if (folder / APPROVAL).is_file():
        return read_json(folder / FIGURES), read_json(folder / ROWS)
    entries = history_entries(folder)
    approved = [e for e in entries if (e / APPROVAL).is_file()]
    for entry in approved[-1:] or entries[:1]:
        return read_json(entry / FIGURES), read_json(entry / ROWS)
    return read_json(folder / FIGURES), read_json(folder / ROWS)


def is_draft(out: Path, name: str) -> bool:
    """Whether a period's report is a draft, not yet on record: never approved, never replaced on record, and no
    report of a later period built in the output folder. That is the month still being written, built again as
    its sheets are put right: a draft replaced is not kept in its history, and its report built again calls
    nothing revised (the build still warns, CP501, that its folder no longer says what the sheets say). A report
    is on record from its approval, or once a later period's report is built (the next month's report states it
    as sent, and marks what changed since)."""
    folder = out / name
    if (folder / APPROVAL).is_file() or history_entries(folder):
        return False
    try:
        end = Period.parse(name).end
    except ValueError:
        return False
    for other in published_periods(out):
        try:
            if Period.parse(other).start > end:
                return False
        except ValueError:
            continue
    return True


def reopen_reason(folder: Path) -> str:
    """Why the month's approved version, the one its figures are now compared with, was opened again."""
    if (folder / APPROVAL).is_file():
        return ""  # approved as it is: what is compared is this version, not one opened again
    approved = [e for e in history_entries(folder) if (e / APPROVAL).is_file()]
    reopened = read_json(approved[-1] / REOPENED) if approved else None
    return str(reopened.get("reason") or "") if reopened else ""


def published_periods(out: Path) -> list[str]:
    import re

    if not out.is_dir():
        return []
    # Months, quarters, half-years and years: a published quarter is as much on record as a month. The project's
    # folder is not compared: its period grows with every month, so its figures change without being restated.
    return sorted(p.name for p in out.iterdir()
                  if p.is_dir() and re.fullmatch(r"\d{4}(-(\d{2}|Q[1-4]|H[12]))?", p.name) and (p / FIGURES).is_file())


def now_figures(checked, period: Period, highlights=()) -> dict:
    from .figures import stated

    return stated(checked, period, highlights)


def since_last_publication(out: Path, checked, highlights=(), digests: dict | None = None) -> list[Restatement]:
    """Every month published in the output folder whose figures the sheets now give otherwise (the build's
    warnings): compared with its latest publication."""
    digests = row_digests(checked) if digests is None else digests
    found = []
    for name in published_periods(out):
        document = read_json(out / name / FIGURES) or {}
        then = document.get("figures")
        if not isinstance(then, dict):
            continue
        found.extend(compare(name, then, read_json(out / name / ROWS),
                             now_figures(checked, Period.parse(name), highlights), digests))
    return found


def since_sent(out: Path, period: Period, now: dict, now_rows: dict, every: bool = False) -> list[Restatement]:
    """The figures of a month the sheets give otherwise than they were sent (approved, or first published)."""
    then, then_rows = as_sent(out / str(period))
    if not then or not isinstance(then.get("figures"), dict):
        return []
    return compare(str(period), then["figures"], then_rows, now, now_rows, every)


def stamp() -> str:
    """A history entry's name: the time of the publication that replaced it, in UTC, sortable."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def kept_files(folder: Path, replaced: bool, extra: dict[str, bytes] | None = None,
               entry: str | None = None) -> dict[str, bytes]:
    """The files of a period's history to publish with its new report: those kept so far, and, when the figures are
    replaced by others, the figures.json and .rows.json being replaced (with `extra` files, such as an approval),
    in the entry `entry` (history/<stamp>, made now when not given)."""
    files: dict[str, bytes] = {}
    history = folder / HISTORY
    if history.is_dir() and not history.is_symlink():
        for path in sorted(history.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    if replaced:
        entry = entry or f"{HISTORY}/{stamp()}"
        for name in (FIGURES, ROWS):
            if (folder / name).is_file():
                files[f"{entry}/{name}"] = (folder / name).read_bytes()
        files.update({f"{entry}/{name}": content for name, content in (extra or {}).items()})
    return files


def approval_document(period: Period, approval: dict, found: dict[str, str], files: dict[str, bytes]) -> bytes:
    """OUT/<period>/approval.json: who approved the month, when, and the hashes of what it was made from and of
    the files approved."""
    import hashlib

    inputs = {name: digest for name, digest in found.items()
              if name.startswith(("data/", "narrative", "templates/")) or name in ("config", "logo", "settings")}
    outputs = {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items())
               if "/" not in name}
    return json.dumps({"period": str(period), **approval, "inputs": inputs, "outputs": outputs},
                      ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def approved_changes(period: Period, approved: dict, changes) -> Said:
    """Why a build of an approved month stops: each figure, approved and now, and the rows behind it."""
    lines = Lines(Said("%(figure)s: approved %(published)s, now %(now)s (%(rows)s)", figure=c.key,
                       published=c.published, now=c.now, rows=c.rows) for c in changes)
    return Said("The report for %(period)s was approved by %(by)s on %(day)s, and the sheets now give other figures "
                "for it:\n%(changes)s\nNothing in %(period)s was changed. Undo the change in the sheets, or open the "
                "month again: cpreport build --period %(key)s --reopen --reason \"why\".", period=period,
                key=str(period), by=str(approved.get("by", "?")), day=Stamp(approved.get("approved", "?")),
                changes=lines)


def approved_shown(period: Period, approved: dict, parts: list[str]) -> Said:
    """Why a build of an approved month stops when its counted figures stand and its tables, map or shares do not."""
    from .messages import SHOWN_PARTS

    return Said("The report for %(period)s was approved by %(by)s on %(day)s, and the sheets now give other numbers "
                "in it, though not in its counted figures:\n%(changes)s\nNothing in %(period)s was changed. Undo the "
                "change in the sheets, or open the month again: cpreport build --period %(key)s --reopen --reason "
                "\"why\".", period=period, key=str(period), by=str(approved.get("by", "?")),
                day=Stamp(approved.get("approved", "?")), changes=Lines(Said(SHOWN_PARTS[part]) for part in parts))


def note(config, checked, period: Period, now: dict, digests: dict, reopen: str | None) -> dict:
    """What the report's note of revised figures says: this month's figures restated since they were sent, and
    the month before's, which its "previous" column states as they are now."""
    from .config import Text
    from .figures import stated

    def reason(month: Period, given: str | None) -> Text | None:
        """The config's reason for the month's revisions, and why it was opened again after its approval."""
        said = config.revisions.get(str(month), Text())
        given = given or reopen_reason(config.out / str(month))
        both = [t for t in (said, Text(given or "", given or "")) if t.en or t.ar]
        if not both:
            return None
        return Text(*("; ".join(t[lang] for t in both if t[lang]) for lang in ("en", "ar")))

    # A draft built again (the month being written: not approved, no later report built) was never sent: its
    # report states the sheets as they are now, and calls nothing revised.
    own = [] if is_draft(config.out, str(period)) else since_sent(config.out, period, now, digests, every=True)
    before = period.previous()
    earlier = []
    if (config.out / str(before) / FIGURES).is_file():
        then = stated(checked, before, config.highlights)
        # The column of the month before states its totals to its end: its own days' figures are its own report's.
        earlier = [r for r in since_sent(config.out, before, then, digests) if not r.key.endswith(".in_period")]
    # A month opened again after its approval says so, and why, whatever was revised (its tables or map alone).
    reopened = bool(reopen or reopen_reason(config.out / str(period)))
    if not own and not earlier and not reopened:
        return {}
    return {"own": own, "own_keys": {r.key for r in own}, "own_reason": reason(period, reopen),
            "previous": earlier, "previous_keys": {r.key for r in earlier}, "previous_period": before,
            "previous_reason": reason(before, None), "reopened": reopened}


def warn_restated(config, checked, by_period: dict | None = None) -> dict:
    """A warning (CP501) for each published figure, of any month in the output folder, that the sheets now give
    otherwise than its last publication. Returns the digests of the rows (revisions.row_digests); `by_period`, when
    given, gets each period's warnings under its name."""
    from .findings import Code, finding

    digests = row_digests(checked)
    for change in since_last_publication(config.out, checked, config.highlights, digests):
        file, sheet, row = change.first_place()
        checked.findings.add(warning := finding(Code.CP501, file=file, sheet=sheet, row=row, key=change.key,
                                                period=change.period, period_key=change.period,
                                                published=change.published, now=change.now,
                                                changes=change.changes()))
        if by_period is not None:
            by_period.setdefault(change.period, []).append(warning)
    return digests
