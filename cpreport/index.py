"""OUT/index.html: every period's folder in the output folder, newest first, grouped by kind, with its files and
who approved it."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .config import N_, Config, Period
from .write import write_atomically

PERIOD_FOLDER = re.compile(r"^(\d{4}(-(\d{2}|Q[1-4]|H[12]))?|project)$")
# The index page's headings of each kind of period, in the order it lists them, in English; the Arabic catalog says
# them in Arabic.
KIND_HEADINGS = {"month": N_("Months"), "quarter": N_("Quarters"), "half": N_("Half-years"), "year": N_("Years"),
                 "project": N_("The life of the project")}


def now() -> str:
    """The time of a build, as its manifests and the index say it."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


INDEX_FILES = ("report.html", "report.pdf", "report.docx", "annex.xlsx", "figures.json", "validation.html")  # the files the index links to


def index_page(config: Config, coming: list[str] = ()) -> bytes:
    """OUT/index.html: every period folder in the output folder, newest first, with its files.

    `coming` names the periods about to be written: the page is rendered before any folder is swapped in,
    so that a template that fails (an override's index.html) fails while the old report is still whole."""
    from .i18n import translations
    from .render import render_template
    from .wording import Wording

    english, arabic = Wording("en"), Wording("ar", config.digits)
    listed = {p.name: [name for name in INDEX_FILES if (p / name).is_file()]
              for p in config.out.iterdir() if p.is_dir() and PERIOD_FOLDER.match(p.name)}
    # What a build writes: figures.json and validation.html always, report.html and .pdf as the formats say.
    written = [name for name in INDEX_FILES
               if name.split(".")[0] not in ("report", "annex") or name.split(".")[1] in config.formats]
    listed.update({name: written for name in coming})
    periods, groups = [], {}
    for name in sorted(listed, reverse=True):
        if listed[name]:
            # A project folder is named for no dates: its own figures.json says them; the index names its kind.
            period = Period.parse(name, config.period)
            said = ({"en": english.period(period, heading=True), "ar": arabic.period(period)} if period.kind != "project"
                    else {"en": KIND_HEADINGS["project"], "ar": translations("ar").gettext(KIND_HEADINGS["project"])})
            approved = _approval(config.out / name)
            if approved:
                # The day in words in each language: an ISO date in Arabic text would be Latin digits.
                try:
                    day = dt.date.fromisoformat(approved["on"])
                    approved.update(on=english.date(day), on_ar=arabic.date(day))
                except ValueError:
                    approved["on_ar"] = approved["on"]
            periods.append({"name": name, **said, "files": listed[name], "kind": period.kind, "approved": approved})
            groups.setdefault(period.kind, []).append(periods[-1])
    groups = [{"kind": kind, "en": KIND_HEADINGS[kind], "ar": translations("ar").gettext(KIND_HEADINGS[kind]),
               "periods": groups[kind]}
              for kind in KIND_HEADINGS if kind in groups]
    html = render_template(config, "index.html", dict(config=config, periods=periods, groups=groups, built=now()))
    return html.encode("utf-8")


def _approval(folder: Path) -> dict:
    """Who approved a period's report and on which day (its approval.json), for the index; {} when not approved."""
    from .revisions import APPROVAL, read_json

    approval = read_json(folder / APPROVAL) or {}
    if not approval.get("by"):
        return {}
    return {"by": str(approval["by"]), "on": str(approval.get("approved", ""))[:10]}


# Written at the end of every index: a later build knows the file as one a build wrote (build._index_is_ours).
WRITTEN_MARK = b"<!-- written by cpreport -->\n"


def write_index(config: Config, page: bytes) -> Path:
    path = config.out / "index.html"
    write_atomically(path, page if page.endswith(WRITTEN_MARK) else page + WRITTEN_MARK)
    return path


def written_by_a_build(path: Path) -> bool:
    """Whether an index.html ends with the mark a build writes."""
    try:
        with open(path, "rb") as stream:
            stream.seek(max(0, path.stat().st_size - 256))
            return WRITTEN_MARK in stream.read()
    except OSError:
        return False
