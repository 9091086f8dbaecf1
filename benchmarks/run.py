"""Benchmark harness: each stage of a build against the bare cost of reading the same sheets.

    python benchmarks/run.py --rows 1000,100000 --repeat 3

For each size N it writes a data set (activities N rows, forums N/500, displacement N/100) as XLSX
and as CSV, then measures, in the same run and on the same files:
  - the baselines: `pandas.read_excel(engine="calamine")` and `pandas.read_csv` of the activities
    file, each as a whole process, and `python -c "import click"`;
  - load, validate, figures, render HTML and render PDF in-process;
  - load + validate + figures as a whole process, and the whole `cpreport build` as a process;
  - `cpreport --help`, and a rebuild with nothing changed;
  - the peak memory of the load + validate + figures process.
It prints medians over the repeats, and the ratios the project holds itself to.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

GOVERNORATES = ["Baghdad", "Ninewa", "Anbar", "Salah al-Din", "Diyala", "Kirkuk", "Erbil", "Duhok", "Basrah",
                "Najaf", "Kerbala", "Babylon", "Wassit", "Thi-Qar", "Missan", "Qadissiya", "Muthanna",
                "Sulaymaniyah"]
TYPES = ["training", "conference", "workshop"]
ACTIVITY_HEADER = ["activity_id", "type", "title_en", "title_ar", "start_date", "end_date", "governorate", "cpf_id",
                   "participants", "female", "police", "community", "law_enforcement", "civil_society", "judiciary"]
CONFIG = """
period = "2017-05"
data = "{data}"
out = "{out}"
[scopes.national]
label = {{ en = "across the country", ar = "في كافة أنحاء البلاد" }}
since = 2014-01-01
"""


def rows_of_data(n: int, seed: int = 7):
    """The three tables as lists of rows; the same for the same n."""
    rng = random.Random(seed)
    forums = []
    for i in range(max(1, n // 500)):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(850))
        forums.append([f"CPF-{i:06d}", f"Forum {i}", f"منتدى {i}", rng.choice(GOVERNORATES), "District",
                       rng.choice(["IOM", "Local police"]), day, "active"])
    activities = []
    for i in range(n):
        start = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(510))
        people = rng.randint(10, 60)
        groups = [people // 5] * 4
        groups.append(people - sum(groups))
        activities.append([f"ACT-{i:07d}", rng.choice(TYPES), f"Session {i}", f"جلسة {i}", start,
                           start + dt.timedelta(days=rng.randint(0, 4)), rng.choice(GOVERNORATES),
                           forums[rng.randrange(len(forums))][0], people, rng.randint(0, people // 2), *groups])
    displacement = []
    for i in range(max(1, n // 100)):
        day = dt.date(2016, 11, 1) + dt.timedelta(days=i % 200)
        displacement.append([day, "national", "displaced_current", rng.choice(GOVERNORATES), rng.randint(1000, 90000)])
    return forums, activities, displacement


def write_data(folder: Path, n: int) -> dict[str, Path]:
    """Writes the data set twice: as XLSX (openpyxl, write-only) and as CSV; a finished set is reused."""
    import csv

    from openpyxl import Workbook

    paths = {kind: folder / kind for kind in ("xlsx", "csv")}
    if (folder / "complete").is_file():
        return paths
    forums, activities, displacement = rows_of_data(n)
    tables = {
        "cpfs": (["cpf_id", "name_en", "name_ar", "governorate", "district", "established_by", "established_on",
                  "status"], forums),
        "activities": (ACTIVITY_HEADER, activities),
        "displacement": (["as_of", "scope", "metric", "governorate", "individuals"], displacement),
    }
    for kind, data in paths.items():
        data.mkdir(parents=True, exist_ok=True)
        for name, (header, rows) in tables.items():
            if kind == "xlsx":
                book = Workbook(write_only=True)
                sheet = book.create_sheet(name)
                sheet.append(header)
                for row in rows:
                    sheet.append(row)
                book.save(data / f"{name}.xlsx")
            else:
                with open(data / f"{name}.csv", "w", newline="", encoding="utf-8") as stream:
                    writer = csv.writer(stream)
                    writer.writerow(header)
                    writer.writerows([[v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in rows])
        (data / "cpreport.toml").write_text(CONFIG.format(data=data, out=folder / f"out-{kind}"), "utf-8")
    (folder / "complete").write_text(f"{n}\n")
    return paths


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process(code_or_args, repeat: int, env=None) -> tuple[float, int]:
    """Median wall time of a whole process, and its peak resident memory in MB."""
    args = [sys.executable, "-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    times, peak = [], 0
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        result = subprocess.run(args, capture_output=True, text=True, env=env)
        times.append(time.perf_counter() - start)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{args} failed:\n{result.stderr[-2000:]}")
        peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return statistics.median(times), peak // 1024


def stages(data: Path, repeat: int) -> dict[str, float]:
    """Each stage in-process, on data already read by the stage before."""
    from cpreport.build import sources
    from cpreport.config import load_config
    from cpreport.figures import compute
    from cpreport.load import load
    from cpreport.render import render_html, render_pdf
    from cpreport.validate import validate

    config = load_config(data / "cpreport.toml")
    loaded = load(config.data)
    checked = validate(loaded, config.period.end, set(config.scopes))
    figures = compute(checked, config.period, config.highlights)
    html = render_html(config, figures, sources(checked))
    return {
        "load": timed(lambda: load(config.data), repeat),
        "validate": timed(lambda: validate(loaded, config.period.end, set(config.scopes)), repeat),
        "figures": timed(lambda: compute(checked, config.period, config.highlights), repeat),
        "render HTML": timed(lambda: render_html(config, figures, sources(checked)), repeat),
        "render PDF": timed(lambda: render_pdf(html), repeat),
    }


PIPELINE = textwrap.dedent("""
    from cpreport.build import check
    from cpreport.config import load_config
    from cpreport.figures import compute
    config = load_config({config!r})
    compute(check(config), config.period, config.highlights)
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,100000", help="sizes, comma-separated [1000,100000]")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown [3]")
    parser.add_argument("--keep", type=Path, help="keep the generated data sets in this folder")
    options = parser.parse_args()
    cli = [sys.executable, "-m", "cpreport"]
    root = options.keep or Path(tempfile.mkdtemp(prefix="cpreport-bench-"))
    results = []
    click_import, _ = process("import click", options.repeat)
    help_time, _ = process(cli + ["--help"], options.repeat)
    results.append(("start-up", "python -c 'import click'", click_import, "cpreport --help", help_time))
    for n in [int(r) for r in options.rows.split(",")]:
        print(f"writing {n:,} rows …", file=sys.stderr)
        paths = write_data(root / f"n{n}", n)
        for kind, data in paths.items():
            activities = data / f"activities.{kind}"
            read = (f"import pandas; pandas.read_excel({str(activities)!r}, engine='calamine')" if kind == "xlsx"
                    else f"import pandas; pandas.read_csv({str(activities)!r})")
            baseline, _ = process(read, options.repeat)
            pipeline, peak = process(PIPELINE.format(config=str(data / "cpreport.toml")), options.repeat)
            label = f"{n:,} rows {kind.upper()}"
            results.append((label, "read alone (process)", baseline, "load+validate+figures (process)", pipeline))
            results.append((label, "", 0, f"  peak memory of that process: {peak} MB", None))
            for stage, seconds in stages(data, options.repeat).items():
                results.append((label, "", 0, f"  {stage} (in-process)", seconds))
            config = str(data / "cpreport.toml")
            shutil.rmtree(root / f"n{n}" / f"out-{kind}", ignore_errors=True)
            build, _ = process(cli + ["build", "--config", config, "--quiet"], 1)
            rebuild, _ = process(cli + ["build", "--config", config, "--quiet"], options.repeat)
            results.append((label, "read alone (process)", baseline, "cpreport build (process)", build))
            results.append((label, "", 0, "  rebuild, nothing changed (process)", rebuild))
    print(f"\n{'data':<20} {'baseline':<28} {'s':>7}   {'measured':<42} {'s':>7} {'ratio':>6}")
    for label, base_name, base, name, seconds in results:
        if seconds is None:
            print(f"{label:<20} {'':<28} {'':>7}   {name:<42}")
            continue
        ratio = f"{seconds / base:5.2f}×" if base else ""
        base_text = f"{base:7.3f}" if base else ""
        print(f"{label:<20} {base_name:<28} {base_text:>7}   {name:<42} {seconds:7.3f} {ratio:>6}")
    print(f"\n{os.cpu_count()} cores; Python {sys.version.split()[0]}; data in {root}")
    if not options.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
