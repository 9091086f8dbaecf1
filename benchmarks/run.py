"""Benchmark harness: each stage of a build against the bare cost of reading the same sheets.

    python benchmarks/run.py --rows 1000,100000 --repeat 3

For each size N it writes a data set (activities N rows, forums N/500, displacement N/100, and at any size
enough forums and displacement figures to fill every table of the report, so that the reports of all sizes have the
same pages) as XLSX and as CSV, then measures, in the same run and on the same files:
  - the baselines: `pandas.read_excel(engine="calamine")` and `pandas.read_csv` of the three files,
    each as a whole process, and `python -c "import click"`;
  - `cpreport --help` and `cpreport --version` as processes, against `import click`;
  - load + validate + figures as a whole process (and its peak memory), against the read alone; and again
    with the activities split across 10 files in office folders, against reading those files alone;
  - for the CSV, the same rows with one wrong column on every row: the check, the findings and the annotated
    copy of the sheet, against a clean check of the same rows (held to 3x), and its peak memory;
  - a workbook of a few kilobytes with a cell in A1 and one in XFD1048576, refused before it is laid out;
  - a workbook whose sheet is built to inflate to 90 MB, refused before any of it is inflated;
  - load, validate, figures, render HTML and render PDF in-process (the PDF against the smallest N);
  - `cpreport build --force` as a process, without and with the parse cache, and with every format
    (held to 1.5x HTML and PDF alone); a rebuild with nothing changed; a rebuild after the displacement
    file changed;
  - `cpreport build --all-periods` over the sample's 24 months: from cold, after one new row in the last month,
    after one row of a middle month edited, against a build of the last month alone.
It prints medians over the repeats, the ratios, and the targets they are held to. A process and its
baseline run in turns, and their ratio is the median of the pairs' ratios: a shared machine's speed drifts,
and each pair sees it alike. Data sets are kept with --keep DIR and reused by later runs. cpreport's modules
are compiled first, as an install compiles them (a checkout where PYTHONDONTWRITEBYTECODE is set would
compile them again in every process).
"""
from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import random
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
# Written beside a finished data set: a set written by another version of rows_of_data is written again.
DATA_SET = "2"
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
    from cpreport.tables import DATES_SHOWN  # the dates the report's table of displacement shows

    rng = random.Random(seed)
    forums = []
    # Two forums in each governorate at least (a row of each in the report's table of forums), the first of
    # them one per governorate in turn.
    for i in range(max(2 * len(GOVERNORATES), n // 500)):
        day = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(850))
        place = GOVERNORATES[i] if i < len(GOVERNORATES) else rng.choice(GOVERNORATES)
        forums.append([f"CPF-{i:06d}", f"Forum {i}", f"منتدى {i}", place, "District",
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
    for i in range(max(DATES_SHOWN * len(GOVERNORATES), n // 100)):  # as many days at least as the report shows
        # One figure per governorate and day, going back from the period's end: no figure is given twice.
        day = dt.date(2017, 5, 31) - dt.timedelta(days=i // len(GOVERNORATES))
        displacement.append([day, "national", "displaced_current", GOVERNORATES[i % len(GOVERNORATES)],
                             rng.randint(1000, 90000)])
    return forums, activities, displacement


def _finished(marker: Path, n: int) -> bool:
    """Whether a data set of n rows was written in full, by this version of rows_of_data."""
    return marker.is_file() and marker.read_text() == f"{n} {DATA_SET}\n"


def write_data(folder: Path, n: int, kinds=("xlsx", "csv")) -> dict[str, Path]:
    """Writes the data set as XLSX (openpyxl, write-only) and as CSV; a finished set is reused.

    Beside each data folder, `displacement.alt.*` is the displacement table with other figures: the
    harness swaps it in to measure a rebuild after one file changed."""


    paths = {kind: folder / kind for kind in kinds}
    if all(_finished(folder / f"complete-{kind}", n) for kind in kinds):
        return paths
    forums, activities, displacement = rows_of_data(n)
    other = [row[:-1] + [row[-1] + 1] for row in displacement]
    tables = {
        "cpfs": (["cpf_id", "name_en", "name_ar", "governorate", "district", "established_by", "established_on",
                  "status"], forums),
        "activities": (ACTIVITY_HEADER, activities),
        "displacement": (DISPLACEMENT_HEADER, displacement),
    }
    for kind, data in paths.items():
        data.mkdir(parents=True, exist_ok=True)
        for name, (header, rows) in tables.items():
            _write(data / f"{name}.{kind}", name, header, rows)
        _write(folder / f"displacement.alt.{kind}", "displacement", DISPLACEMENT_HEADER, other)
        (data / "cpreport.toml").write_text(CONFIG.format(data=data, out=folder / f"out-{kind}"), "utf-8")
        (folder / f"complete-{kind}").write_text(f"{n} {DATA_SET}\n")
    return paths


DISPLACEMENT_HEADER = ["as_of", "scope", "metric", "governorate", "individuals"]
OFFICES = 10


def write_offices(folder: Path, n: int, kind: str) -> Path:
    """The same data set with its activities split across OFFICES files, one in each office's folder
    (office-00/activities.xlsx …), as field offices send them; a finished set is reused."""
    data = folder / f"offices-{kind}"
    if _finished(folder / f"complete-offices-{kind}", n):
        return data
    forums, activities, displacement = rows_of_data(n)
    data.mkdir(parents=True, exist_ok=True)
    _write(data / f"cpfs.{kind}", "cpfs", ["cpf_id", "name_en", "name_ar", "governorate", "district",
                                            "established_by", "established_on", "status"], forums)
    _write(data / f"displacement.{kind}", "displacement", DISPLACEMENT_HEADER, displacement)
    share = -(-len(activities) // OFFICES)
    for office in range(OFFICES):
        (data / f"office-{office:02d}").mkdir(exist_ok=True)
        _write(data / f"office-{office:02d}" / f"activities.{kind}", "activities", ACTIVITY_HEADER,
               activities[office * share:(office + 1) * share])
    (data / "cpreport.toml").write_text(CONFIG.format(data=data, out=folder / f"out-offices-{kind}"), "utf-8")
    (folder / f"complete-offices-{kind}").write_text(f"{n} {DATA_SET}\n")
    return data


def _write(path: Path, name: str, header: list, rows: list) -> None:
    import csv

    from openpyxl import Workbook

    if path.suffix == ".xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        book.save(path)
        return
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows([[v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in rows])


def write_wrong_column(folder: Path, n: int) -> Path:
    """The CSV data set with one wrong column: every activity in a governorate that is none ("Mars"), as a sheet
    with a column filled in wrongly comes; a finished set is reused."""
    data = folder / "wrong-csv"
    if _finished(folder / "complete-wrong-csv", n):
        return data
    forums, activities, displacement = rows_of_data(n)
    data.mkdir(parents=True, exist_ok=True)
    _write(data / "cpfs.csv", "cpfs", ["cpf_id", "name_en", "name_ar", "governorate", "district", "established_by",
                                        "established_on", "status"], forums)
    _write(data / "activities.csv", "activities", ACTIVITY_HEADER, [row[:6] + ["Mars"] + row[7:] for row in activities])
    _write(data / "displacement.csv", "displacement", DISPLACEMENT_HEADER, displacement)
    (data / "cpreport.toml").write_text(CONFIG.format(data=data, out=folder / "out-wrong-csv"), "utf-8")
    (folder / "complete-wrong-csv").write_text(f"{n} {DATA_SET}\n")
    return data


def write_sparse(folder: Path) -> Path:
    """A workbook of a few kilobytes whose sheet has a cell in A1 and one in XFD1048576: laid out as a grid, 17
    billion cells."""
    import re
    import zipfile

    path = folder / "sparse" / "cpfs.xlsx"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, "cpfs", ["cpf_id", "name_en"], [["CPF-1", "x"]])
    parts = {}
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = next(name for name in parts if re.match(r"xl/worksheets/[^/]+\.xml$", name))
    parts[sheet] = parts[sheet].replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x'
                                                          b"</t></is></c></row></sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    return path



def write_inflating(folder: Path) -> Path:
    """A workbook of a few hundred kilobytes whose sheet inflates 257 times, to about 90 MB: built to fill the
    memory, refused from the sizes its parts declare."""
    import re
    import zipfile

    path = folder / "inflating" / "cpfs.xlsx"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    _write(path, "cpfs", ["cpf_id", "name_en"], [["CPF-1", "x"]])
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = next(name for name in parts if re.match(r"xl/worksheets/[^/]+\.xml$", name))
    head, tail = parts[sheet].split(b"</sheetData>")
    row = b'<row><c t="inlineStr"><is><t>CPF-1</t></is></c><c t="inlineStr"><is><t>' + b"x" * 64 + b"</t></is></c></row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            if name != sheet:
                book.writestr(name, data)
                continue
            with book.open(name, "w", force_zip64=True) as stream:
                stream.write(head)
                for _ in range(60):
                    stream.write(row * 10_000)
                stream.write(b"</sheetData>" + tail)
    return path

def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_once(args: list[str], before=None) -> tuple[float, int]:
    """Wall time of one process (which must succeed), and its peak memory in MB when it says it (PEAK)."""
    if before:
        before()
    start = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read()
    child.wait()
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"{args} failed ({child.returncode}):\n{stderr.decode(errors='replace')[-2000:]}")
    peak = [line.split()[1] for line in stderr.decode(errors="replace").splitlines() if line.startswith("PEAK ")]
    return seconds, int(peak[-1]) // 1024 if peak else 0


# Appended to measured Python code: the process's own peak memory (VmHWM). ru_maxrss would also count the
# pages of this harness, which the child shares until it runs its program.
PEAK = "\nimport sys\nprint('PEAK', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0], file=sys.stderr)"


def process(code_or_args, repeat: int, before=None) -> tuple[float, int]:
    """Median wall time of a whole process over the repeats, and the largest peak memory (MB) of a run."""
    args = [sys.executable, "-c", code_or_args + PEAK] if isinstance(code_or_args, str) else code_or_args
    runs = [run_once(args, before) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), max(m for _, m in runs)


def side_by_side(base, ours, repeat: int, before=None) -> tuple[tuple[float, int], tuple[float, int], float]:
    """Two processes run in turns, the baseline then ours, so that each pair sees the machine in the same state
    (a shared machine's speed drifts from one minute to the next): the median time and the peak memory of each,
    and the median of the pairs' ratios. `before` runs before each of ours."""
    pairs = [(process(base, 1), process(ours, 1, before)) for _ in range(repeat)]
    times = [(b[0], o[0]) for b, o in pairs]
    return ((statistics.median(b for b, _ in times), max(b[1] for b, _ in pairs)),
            (statistics.median(o for _, o in times), max(o[1] for _, o in pairs)),
            statistics.median(o / b for b, o in times))


def stages(data: Path, repeat: int) -> dict[str, float]:
    """Each stage in-process, on data already read by the stage before."""
    from cpreport.check import sources
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


# A check of sheets with errors, with the findings' files and the annotated copies of the sheets, as a build writes
# them when the sheets have errors.
FINDINGS = textwrap.dedent("""
    from cpreport.check import check
    from cpreport.pages import findings_files
    from cpreport.config import load_config
    config = load_config({config!r})
    findings_files(config, check(config).findings, annotated={annotated!r})
""")
# A workbook read as the load stage reads it: what it says of the file.
READ_ONE = textwrap.dedent("""
    from pathlib import Path
    from cpreport.load import read_file, table_named
    said = [event.code for event in read_file(Path({path!r}), table_named("cpfs")).events]
    assert said == ["CP025"], said
""")


# As `cpreport validate` runs it: the program settles pandas (cpreport.libraries.settle) before it reads.
PIPELINE = textwrap.dedent("""
    from cpreport.libraries import settle
    settle("pandas")
    from cpreport.check import check
    from cpreport.config import load_config
    from cpreport.figures import compute
    config = load_config({config!r})
    compute(check(config), config.period, config.highlights)
""")


class Table:
    """Rows of the printed table: what was measured, against which baseline, and the target."""

    def __init__(self):
        self.rows: list[tuple[str, str, str, str, str, str]] = []

    def add(self, data: str, name: str, seconds: float | None, base: float | None = None, base_name: str = "",
            target: str = "", text: str | None = None, ratio: float | None = None) -> None:
        """A row; the ratio is seconds over base, unless given (the median ratio of runs made in turns)."""
        value = text if text is not None else f"{seconds:.3f} s"
        if ratio is None and base and seconds is not None:
            ratio = seconds / base
        ratio = f"{ratio:.2f}x" if ratio is not None else ""
        self.rows.append((data, name, value, base_name, ratio, target))

    def print(self) -> None:
        header = ("data", "measured", "median", "against", "ratio", "target")
        widths = [max(len(r[i]) for r in [header, *self.rows]) for i in range(len(header))]
        for row in [header, tuple("-" * w for w in widths), *self.rows]:
            print("| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths)) + " |")


SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def _add_activity(data: Path, day: dt.date, title: str) -> None:
    """One more activity row in the sample's activities.xlsx, a copy of its last one dated `day`."""
    import openpyxl

    book = openpyxl.load_workbook(data / "activities.xlsx")
    sheet = book.active
    last = [cell.value for cell in sheet[sheet.max_row]]
    when = dt.datetime.combine(day, dt.time())
    sheet.append([f"ACT-BENCH-{sheet.max_row}", last[1], title, title, when, when, *last[6:]])
    book.save(data / "activities.xlsx")


def _edit_attendance(data: Path, month: str, more: int) -> str:
    """`more` participants (police) added to the first activity of `month` (YYYY-MM); its id."""
    import openpyxl

    book = openpyxl.load_workbook(data / "activities.xlsx")
    for row in book.active.iter_rows(min_row=4):
        if row[4].value is not None and row[4].value.strftime("%Y-%m") == month:
            row[8].value += more
            row[10].value += more
            book.save(data / "activities.xlsx")
            return row[0].value
    raise SystemExit(f"no activity in {month} in {data}")


def _rendered(args: list[str]) -> tuple[float, str]:
    """Wall time of a build process (which must succeed) and its line saying how many periods it rendered."""
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    said = [line for line in done.stdout.splitlines() if line.startswith("Rendered")]
    return seconds, said[0].split(" (")[0] if said else ""


def all_periods(table: Table, cli: list[str], root: Path, repeat: int) -> None:
    """`build --all-periods` over the sample's 24 months, as a new user would run it: from cold, after one new
    row dated in the last month, and after one row of a middle month edited (the months from it on change their
    figures "to date"). Each is run right after a build of the last month alone (--force, its own output
    folder), and the ratio is the median of those pairs': a shared machine's speed drifts."""
    months = 24
    runs: dict[str, list[float]] = {"single": [], "cold": [], "new": [], "edited": []}
    ratios: dict[str, list[float]] = {"cold": [], "new": [], "edited": []}
    said: dict[str, str] = {}
    for turn in range(repeat):
        folder = root / f"sample-{turn}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns("out", "__pycache__"))
        config = str(folder / "cpreport.toml")
        build = cli + ["build", "--config", config]
        # Outside the sample's folder: that is its data folder, and the files of another output folder in it
        # would be read as sheets (and named in every month's findings).
        single = build + ["--force", "--out", str(root / f"out-single-{turn}")]
        for case in ("cold", "new", "edited"):
            if case == "new":
                _add_activity(folder, dt.date(2017, 5, 28), "New training")
            elif case == "edited":
                _edit_attendance(folder, "2016-12", 10)
            alone = _rendered(single)[0]
            seconds, said[case] = _rendered(build + ["--all-periods"])
            runs["single"].append(alone)
            runs[case].append(seconds)
            ratios[case].append(seconds / (months * alone if case == "cold" else alone))
    single = statistics.median(runs["single"])
    label = f"sample, {months} months"
    table.add(label, "build of the last month alone, --force (process)", single)
    table.add(label, f"--all-periods, cold ({said['cold']})", statistics.median(runs["cold"]), months * single,
              f"{months} single-month builds", "<= 0.7x", ratio=statistics.median(ratios["cold"]))
    table.add(label, f"--all-periods, one new row in the last month ({said['new']})", statistics.median(runs["new"]),
              single, "single-month build", "<= 1.3x", ratio=statistics.median(ratios["new"]))
    table.add(label, f"--all-periods, one row of 2016-12 edited ({said['edited']})", statistics.median(runs["edited"]),
              single, "single-month build", ratio=statistics.median(ratios["edited"]))

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="1000,100000", help="sizes, comma-separated [1000,100000]; \"\" for none")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is shown [3]")
    parser.add_argument("--keep", type=Path, help="keep the data sets in this folder (and reuse them next time)")
    parser.add_argument("--kinds", default="xlsx,csv", help="file kinds, comma-separated [xlsx,csv]")
    parser.add_argument("--rows-only", dest="no_all_periods", action="store_true",
                        help="leave out the --all-periods rows over the sample's 24 months")
    options = parser.parse_args()
    import cpreport

    compileall.compile_dir(Path(cpreport.__file__).parent, quiet=1)
    script = Path(sys.executable).with_name("cpreport")
    cli = [str(script)] if script.is_file() else [sys.executable, "-m", "cpreport"]
    root = options.keep or Path(tempfile.mkdtemp(prefix="cpreport-bench-"))
    kinds = tuple(options.kinds.split(","))
    repeat = options.repeat
    table = Table()
    for option in ("--help", "--version"):
        (click_import, _), (seconds, _), ratio = side_by_side("import click", cli + [option], repeat)
        if option == "--help":
            table.add("-", "python -c 'import click'", click_import)
        table.add("-", f"cpreport {option}", seconds, click_import, "import click", "<= 3x", ratio=ratio)
    # A workbook of a few kilobytes that would be laid out as 17 billion cells: refused before it is laid out.
    sparse, sparse_memory = process(READ_ONE.format(path=str(write_sparse(root))), repeat)
    table.add("-", "sparse workbook (A1 and XFD1048576): refused (CP025)", sparse, target="< 1 s")
    table.add("-", "  its peak memory", None, text=f"{sparse_memory} MB", target="<= 1,500 MB")
    # A workbook built to inflate (a sheet of 90 MB packed 257 times): refused before any of it is inflated.
    inflating, inflating_memory = process(READ_ONE.format(path=str(write_inflating(root))), repeat)
    table.add("-", "workbook built to inflate (90 MB sheet): refused (CP025)", inflating, target="< 1 s")
    table.add("-", "  its peak memory", None, text=f"{inflating_memory} MB", target="<= 1,500 MB")
    smallest_pdf: dict[str, float] = {}
    for n in [int(r) for r in options.rows.split(",") if r]:
        print(f"data set of {n:,} rows …", file=sys.stderr)
        paths = write_data(root / f"n{n}", n, kinds)
        for kind, data in paths.items():
            label = f"{n:,} {kind.upper()}"
            files = [str(data / f"{name}.{kind}") for name in ("cpfs", "activities", "displacement")]
            read = (f"import pandas; [pandas.read_excel(f, engine='calamine') for f in {files!r}]" if kind == "xlsx"
                    else f"import pandas; [pandas.read_csv(f) for f in {files!r}]")
            base_name = "read alone"
            config = str(data / "cpreport.toml")
            (baseline, base_memory), (pipeline, peak), ratio = side_by_side(read, PIPELINE.format(config=config),
                                                                           repeat)
            table.add(label, f"read alone: pandas.{'read_excel calamine' if kind == 'xlsx' else 'read_csv'} "
                      "(process)", baseline)
            table.add(label, "load+validate+figures (process)", pipeline, baseline, base_name, "<= 1.3x", ratio=ratio)
            table.add(label, "  its peak memory", None, text=f"{peak} MB", base_name=f"read: {base_memory} MB",
                      target="<= 1,500 MB")
            offices = write_offices(root / f"n{n}", n, kind)
            parts = sorted(str(p) for p in offices.rglob(f"*.{kind}"))
            read_parts = (f"import pandas; [pandas.read_excel(f, engine='calamine') for f in {parts!r}]"
                          if kind == "xlsx" else f"import pandas; [pandas.read_csv(f) for f in {parts!r}]")
            (parts_alone, _), (stacked, _), ratio = side_by_side(
                read_parts, PIPELINE.format(config=str(offices / "cpreport.toml")), repeat)
            table.add(label, f"read alone, activities in {OFFICES} office files (process)", parts_alone)
            table.add(label, f"load+validate+figures, {OFFICES} office files", stacked, parts_alone, base_name,
                      "<= 1.3x", ratio=ratio)
            if kind == "csv":
                # One wrong column on every row: the findings (one per value, rows as runs) and the annotated copy
                # (the rows it marks) against a clean check of the same rows.
                wrong = write_wrong_column(root / f"n{n}", n)
                (_, _), (marked, marked_memory), ratio = side_by_side(
                    FINDINGS.format(config=config, annotated=False),
                    FINDINGS.format(config=str(wrong / "cpreport.toml"), annotated=True), repeat)
                table.add(label, "one wrong column: check, findings, annotated copy", marked, None, "clean check",
                          "<= 3x", ratio=ratio)
                table.add(label, "  its peak memory", None, text=f"{marked_memory} MB", target="<= 1,500 MB")
            for stage, seconds in stages(data, repeat).items():
                if stage == "render PDF":
                    smallest_pdf.setdefault(kind, seconds)
                    table.add(label, f"  {stage} (in-process)", seconds, smallest_pdf[kind],
                              "PDF of smallest N", "~1x")
                else:
                    table.add(label, f"  {stage} (in-process)", seconds)
            out = root / f"n{n}" / f"out-{kind}"
            # Every run's builds begin from an empty output folder: the reports an earlier run published (of other
            # displacement figures, or of an earlier data set) would make this run's builds restate them.
            shutil.rmtree(out, ignore_errors=True)
            build = cli + ["build", "--config", config, "--quiet"]
            no_cache = lambda: shutil.rmtree(out / ".cpreport" / "cache", ignore_errors=True)  # noqa: E731
            process(build + ["--force"], 1, no_cache)  # the report whose HTML the floor renders
            # A build's floor: the bare read of its sheets and WeasyPrint rendering the report's HTML into a PDF,
            # in one process (one interpreter, one import of each library), against the whole build from cold.
            floor_code = read + ("\nimport weasyprint\nweasyprint.HTML(string=open({!r}, encoding='utf-8').read())"
                                 ".write_pdf()").format(str(out / "2017-05" / "report.html"))
            (floor, _), (cold, _), ratio = side_by_side(floor_code, build + ["--force"], repeat, no_cache)
            table.add(label, "the floor: read alone + the report's PDF rendered alone", floor)
            table.add(label, "cpreport build, no cache (process)", cold, floor, "the floor", "<= 1.3x", ratio=ratio)
            warm, _ = process(build + ["--force"], repeat)
            table.add(label, "cpreport build, cache of all files", warm, baseline, base_name)
            # Every format (Word document and Excel annex too) against the default HTML and PDF, in turns.
            everything = ["env", "CPREPORT_FORMATS=html,pdf,docx,xlsx", *build, "--force"]
            (default, _), (formats, _), ratio = side_by_side(build + ["--force"], everything, repeat)
            table.add(label, "cpreport build, all formats (process)", formats, default, "HTML and PDF", "<= 1.5x",
                      ratio=ratio)
            # As cron finds it the next night: the report as this command builds it (the row above left every
            # format's), then the first run after the build, which checks in full and stamps what it looked at
            # (its files now older than the 2 s a stamp waits for); the runs after it are answered from the stamp,
            # before Click and the config are imported (cpreport.nochange).
            run_once(build)
            for _ in range(2):  # a check that itself wrote a file (its record of hashes) stamps again, 2 s on
                time.sleep(2.1)
                run_once(build)
            nothing, _ = process(build, repeat)
            table.add(label, "rebuild, nothing changed (process)", nothing, target="<= 0.1 s")
            target = data / f"displacement.{kind}"
            alternate = root / f"n{n}" / f"displacement.alt.{kind}"

            def swap() -> None:  # each run sees the displacement file changed, the other two not
                original = target.read_bytes()
                target.write_bytes(alternate.read_bytes())
                alternate.write_bytes(original)

            one, _ = process(build, repeat, swap)
            table.add(label, "rebuild, displacement changed", one, warm, "build with cache")
    if not options.no_all_periods:
        print("--all-periods over the sample …", file=sys.stderr)
        all_periods(table, cli, root, repeat)
    print()
    table.print()
    print(f"\n{os.cpu_count()} cores; Python {sys.version.split()[0]}; {repeat} runs each; data in {root}")
    if not options.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
