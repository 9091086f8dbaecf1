"""Sample projects with other counts than the sample's: real sheets written with openpyxl, for
reading what both halves say about, say, one forum, two conferences or no displacement."""
from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

from openpyxl import Workbook

from conftest import SAMPLE

CPF_COLUMNS = ["cpf_id", "name_en", "name_ar", "governorate", "district", "established_by", "established_on", "status"]
ACTIVITY_COLUMNS = ["activity_id", "type", "title_en", "title_ar", "start_date", "end_date", "governorate", "cpf_id",
                    "participants", "police", "community"]
# The sample's displacement figures, by scope and metric: (as_of, individuals).
SAMPLE_DISPLACEMENT = {
    ("national", "displaced_current"): (dt.date(2017, 4, 27), 3_042_288),
    ("mosul_operations", "displaced_cumulative"): (dt.date(2017, 5, 2), 441_354),
    ("mosul_operations", "returned_cumulative"): (dt.date(2017, 4, 27), 105_732),
    ("mosul_operations", "displaced_current"): (dt.date(2017, 5, 2), 358_656),
}


def workbook(path: Path, sheet_name: str, columns: list[str], rows: list[list]) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_project(folder: Path, *, iom: int = 34, police: int = 15, qayara: bool = True, training: int = 20,
                  conference: int = 6, workshop: int = 6, participants: int | None = None,
                  displacement: dict | None = None, formats: str = '["html"]', new_forums: int = 0,
                  new_activities: int = 0, new_participants: int | None = None, since: str = "") -> Path:
    """A project folder like sample_data with these counts; returns its config file. `participants`
    is the total over all activities (spread over them); `displacement` maps (scope, metric) to
    (as_of, individuals), the sample's figures by default. The last `new_forums` forums and
    `new_activities` activities date from the period (May 2017), the activities with
    `new_participants` of the participants; `since` replaces the Mosul operations' start date."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SAMPLE / "narrative", folder / "narrative", dirs_exist_ok=True)
    config = (SAMPLE / "cpreport.toml").read_text("utf-8")
    config = config.replace('out = "out"', f'out = "out"\nformats = {formats}')
    if since:
        config = config.replace("since = 2016-10-17", f"since = {since}")
    (folder / "cpreport.toml").write_text(config, "utf-8")
    forums = []
    for n in range(iom + police):
        district = "Qayara" if qayara and n == 0 else "Karkh"
        governorate = "Ninewa" if district == "Qayara" else "Baghdad"
        established = dt.date(2017, 5, 10) if n >= iom + police - new_forums else dt.date(2016, 1, 1) + dt.timedelta(days=n % 400)
        forums.append([f"CPF-{n + 1:04d}", f"{district} forum {n + 1}", f"منتدى {n + 1}", governorate, district,
                       "IOM" if n < iom else "Local police", established, "Active"])
    workbook(folder / "cpfs.xlsx", "cpfs", CPF_COLUMNS, forums)
    kinds = ["training"] * training + ["conference"] * conference + ["workshop"] * workshop
    total = participants if participants is not None else 30 * len(kinds)
    def spread(people: int, among: int) -> list[int]:
        return [people // among + (1 if i < people % among else 0) for i in range(among)] if among else []

    earlier = len(kinds) - new_activities
    if new_participants is None:
        shares = spread(total, len(kinds))
    else:
        shares = spread(total - new_participants, earlier) + spread(new_participants, new_activities)
    activities = []
    for n, (kind, people) in enumerate(zip(kinds, shares)):
        day = dt.date(2017, 5, 3) if n >= earlier else dt.date(2016, 11, 1) + dt.timedelta(days=n % 170)
        activities.append([f"ACT-{n + 1:04d}", kind, f"{kind} {n + 1}", "", day, day, "Baghdad",
                           forums[0][0] if forums else None, people, people // 2, people - people // 2])
    workbook(folder / "activities.xlsx", "activities", ACTIVITY_COLUMNS, activities)
    figures = SAMPLE_DISPLACEMENT if displacement is None else displacement
    with open(folder / "displacement.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["as_of", "scope", "metric", "governorate", "individuals"])
        for (scope, metric), (as_of, individuals) in figures.items():
            writer.writerow([as_of.isoformat(), scope, metric, "", individuals])
    return folder / "cpreport.toml"
