"""Results against targets for any reporting period: periods beyond a month, the indicators of the config, the
indicator tracking table, and the share of women in the prose."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from cpreport.build import build, build_all
from cpreport.charts import progress
from cpreport.cli import main
from cpreport.config import Period, load_config
from cpreport.indicators import elapsed, status
from cpreport.wording import Wording

from conftest import pdf_text

D = dt.date


@pytest.mark.parametrize("written, name, start, end, previous", [
    ("2017-05", "2017-05", D(2017, 5, 1), D(2017, 5, 31), "2017-04"),
    ("2017-01", "2017-01", D(2017, 1, 1), D(2017, 1, 31), "2016-12"),
    ("2017-Q1", "2017-Q1", D(2017, 1, 1), D(2017, 3, 31), "2016-Q4"),
    ("2017-q2", "2017-Q2", D(2017, 4, 1), D(2017, 6, 30), "2017-Q1"),
    ("2016-Q4", "2016-Q4", D(2016, 10, 1), D(2016, 12, 31), "2016-Q3"),
    ("2016-Q1", "2016-Q1", D(2016, 1, 1), D(2016, 3, 31), "2015-Q4"),
    ("2017-H1", "2017-H1", D(2017, 1, 1), D(2017, 6, 30), "2016-H2"),
    ("2017-H2", "2017-H2", D(2017, 7, 1), D(2017, 12, 31), "2017-H1"),
    ("2016", "2016", D(2016, 1, 1), D(2016, 12, 31), "2015"),
])
def test_a_period_as_written_has_its_days_and_the_period_before(written, name, start, end, previous):
    period = Period.parse(written)
    assert (str(period), period.start, period.end, str(period.previous())) == (name, start, end, previous)
    assert period.previous().end == start - dt.timedelta(days=1)
    assert [str(m) for m in period.months()][0] == f"{start:%Y-%m}" and period.months()[-1].end == end


def test_the_project_runs_from_its_first_month_to_the_config_period():
    project = Period.parse("project", Period.parse("2017-05"))
    assert (str(project), project.end) == ("project", D(2017, 5, 31))


@pytest.mark.parametrize("written", ["2017-Q5", "2017-Q0", "2017-H3", "2017-13", "17-05", "Q2-2017", "2017-05-01", ""])
def test_a_period_that_cannot_be_read_is_said_so(written):
    with pytest.raises(ValueError, match="is not a period"):
        Period.parse(written)


@pytest.mark.parametrize("written", ["2101-01", "9999-12", "1949-Q4", "1800"])
def test_a_period_of_a_year_out_of_range_says_the_range(written):
    with pytest.raises(ValueError) as raised:
        Period.parse(written)
    assert "its year must be between 1950 and 2100" in str(raised.value.args[0])


@pytest.mark.parametrize("month, kind, name", [
    ("2017-03", "quarter", "2017-Q1"), ("2017-04", "quarter", "2017-Q2"), ("2017-12", "quarter", "2017-Q4"),
    ("2017-06", "half", "2017-H1"), ("2017-07", "half", "2017-H2"), ("2017-01", "year", "2017")])
def test_a_month_falls_in_its_quarter_half_and_year(month, kind, name):
    assert str(Period.parse(month).containing(kind)) == name


@pytest.mark.parametrize("written, en, ar", [
    ("2017-Q2", "the second quarter of 2017", "الربع الثاني من عام ٢٠١٧"),
    ("2017-H1", "the first half of 2017", "النصف الأول من عام ٢٠١٧"),
    ("2017", "2017", "عام ٢٠١٧"),
    ("2017-05", "May 2017", "أيار عام ٢٠١٧"),
])
def test_each_language_says_the_period_in_its_own_words(written, en, ar):
    period = Period.parse(written)
    assert Wording("en").period(period) == en
    assert re.sub("<[^>]+>", "", str(Wording("ar").period(period))) == ar


# Forums and activities of my own, either side of the quarters' and the year's edges; two forums close.
CPFS = """cpf_id,name_en,name_ar,governorate,established_by,established_on,status
F1,One,واحد,Ninewa,IOM,2016-12-31,active
F2,Two,اثنان,Anbar,IOM,2017-01-01,inactive
F3,Three,ثلاثة,Kirkuk,police,2017-03-31,active
F4,Four,أربعة,Basrah,IOM,2017-04-01,inactive
F5,Five,خمسة,Diyala,police,2017-12-31,active
F6,Six,ستة,Erbil,IOM,2018-01-01,active
"""
ACTIVITIES = """activity_id,type,title_en,start_date,governorate,participants,female
A1,training,One,2016-11-15,Ninewa,10,2
A2,workshop,Two,2017-03-31,Anbar,20,5
A3,training,Three,2017-04-01,Kirkuk,30,
A4,conference,Four,2017-06-30,Basrah,40,20
A5,training,Five,2017-07-01,Diyala,50,10
"""
DISPLACEMENT = """as_of,scope,metric,individuals
2017-01-31,national,displaced_current,1000
2017-06-30,national,displaced_current,900
"""


@pytest.fixture
def own(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "cpfs.csv").write_text(CPFS, "utf-8")
    (data / "activities.csv").write_text(ACTIVITIES, "utf-8")
    (data / "displacement.csv").write_text(DISPLACEMENT, "utf-8")
    (tmp_path / "cpreport.toml").write_text("""period = "2017-12"
data = "data"
out = "out"
formats = ["html"]
project_end = 2018-12-31
[scopes.national]
label = { en = "across the country", ar = "في كافة أنحاء البلاد" }

[[indicators]]
code = "1"
label = { en = "Forums", ar = "المنتديات" }
figure = "cpfs.total"
target = 10

[[indicators]]
code = "2"
label = { en = "Women", ar = "النساء" }
figure = "participants.female"
of = "participants.total"
target = 0.25
""", "utf-8")
    return tmp_path / "cpreport.toml"


def _figures(config: Path, period: str) -> dict:
    outcome = build(load_config(config, period=period))
    assert outcome.folder.name == period
    return json.loads((outcome.folder / "figures.json").read_text("utf-8"))


@pytest.mark.parametrize("period, start, end, forums, active, new, activities_in, participants_in, female_in", [
    ("2017-Q1", "2017-01-01", "2017-03-31", 3, 2, 2, 1, 20, 5),
    ("2017-Q2", "2017-04-01", "2017-06-30", 4, 2, 1, 2, 70, 20),
    ("2017-H1", "2017-01-01", "2017-06-30", 4, 2, 3, 3, 90, 25),
    ("2017", "2017-01-01", "2017-12-31", 5, 3, 4, 4, 140, 35),
    ("2016", "2016-01-01", "2016-12-31", 1, 1, 1, 1, 10, 2),
])
def test_a_period_counts_its_own_days_and_cumulates_to_its_end(own, period, start, end, forums, active, new,
                                                                activities_in, participants_in, female_in):
    document = _figures(own, period)
    f = {k: v["value"] for k, v in document["figures"].items()}
    assert (document["start"], document["end"]) == (start, end)
    assert (f["cpfs.total"], f["cpfs.active"], f["cpfs.total.in_period"]) == (forums, active, new)
    assert f["cpfs.total.previous"] == forums - new
    assert (f["activities.total.in_period"], f["participants.total.in_period"]) == (activities_in, participants_in)
    assert f["participants.female.in_period"] == female_in


def test_a_year_is_the_sum_of_its_quarters_and_the_project_of_all_its_data(own):
    year = _figures(own, "2017")["figures"]
    quarters = [_figures(own, f"2017-Q{n}")["figures"] for n in (1, 2, 3, 4)]
    for key in ("cpfs.total", "activities.total", "activities.training", "participants.total", "participants.female"):
        assert year[f"{key}.in_period"]["value"] == sum(q[f"{key}.in_period"]["value"] for q in quarters)
    project = _figures(own, "project")
    assert (project["start"], project["end"]) == ("2016-11-01", "2017-12-31")  # the first activity's month
    assert project["figures"]["cpfs.total.in_period"]["value"] == project["figures"]["cpfs.total"]["value"] == 5
    assert project["figures"]["cpfs.total.previous"]["value"] == 0


def test_the_share_of_women_is_of_the_activities_that_record_it(own):
    outcome = build(load_config(own, period="2017-Q2"))
    html = (outcome.folder / "report.html").read_text("utf-8")
    # A3 gives no number of women: 20 women of A4's 40 participants, not of the quarter's 70.
    assert "with 70 participants, of whom 50% women" in html
    assert re.search(r"بمشاركة ٧٠ شخصاً، (<bdi>)?٥٠٪(</bdi>)? منهم من النساء", html)
    # The table of the period's counts: women in the quarter, to its end and to the end of the quarter before.
    assert "<tr><th>Of whom women</th><td>20</td><td>27</td><td>7</td></tr>" in html
    assert "<tr><th>منهم النساء</th><td>٢٠</td><td>٢٧</td><td>٧</td></tr>" in html


def test_women_not_recorded_in_the_period_are_not_known_rather_than_none(own):
    """April has A3 alone, which gives no number of women: the month's women are not known (a dash), not 0, and
    the share of women to April's end is of A1 and A2, whose numbers of women are given (7 of 30)."""
    outcome = build(load_config(own, period="2017-04"))
    html = (outcome.folder / "report.html").read_text("utf-8")
    assert "<tr><th>Of whom women</th><td>—</td><td>7</td><td>7</td></tr>" in html
    assert "<tr><th>منهم النساء</th><td>—</td><td>٧</td><td>٧</td></tr>" in html
    figures = json.loads((outcome.folder / "figures.json").read_text("utf-8"))["figures"]
    assert figures["participants.female.in_period"]["of_participants"] == 0
    assert figures["participants.female"]["of_participants"] == 30
    women = figures["indicators.2"]
    assert women["value"] == pytest.approx(7 / 30, abs=1e-6) and women["in_period"] is None
    assert re.search(r'<tr data-indicator="2">.*?<td class="n" data-value="[0-9.]+">23%</td><td class="n">—</td>', html, re.S)
    # Its sources are the rows it divides by (those recording women), and it says what it divided by.
    assert women["divided_by"] == 30 and women["sources"] == figures["participants.female"]["sources"]
    assert women["sources"] != figures["participants.total"]["sources"]


def test_a_share_of_no_participants_is_not_known_rather_than_none_and_not_behind(own):
    """No activity by October 2016, none in May 2017: the share of women in them is not 0% (and so "behind"), it
    is not known, a dash, in figures.json (null) and in the table."""
    before = build(load_config(own, period="2016-10"))
    women = json.loads((before.folder / "figures.json").read_text("utf-8"))["figures"]["indicators.2"]
    assert (women["value"], women["in_period"], women["percent_of_target"], women["status"]) == \
        (None, None, None, "not_known")
    html = (before.folder / "report.html").read_text("utf-8")
    row = re.findall(r'<tr data-indicator="2">(.*?)</tr>', html, re.S)
    assert len(row) == 2 and "behind" not in row[0] and "متأخر" not in row[1]
    assert re.search(r'<td class="n">—</td><td class="n">—</td>.*not known', row[0], re.S)
    may = build(load_config(own, period="2017-05"))
    women = json.loads((may.folder / "figures.json").read_text("utf-8"))["figures"]["indicators.2"]
    assert women["value"] == pytest.approx(7 / 30, abs=1e-6) and women["in_period"] is None  # no activity in May



def test_an_indicator_on_a_figure_the_period_has_none_of_yet_is_not_known(own):
    """The first displaced figure is dated 31 January 2017: December 2016 has none, and its indicator is not
    known (a dash, null), never a stated 0, 0% of the target and behind. January states it."""
    own.write_text(own.read_text("utf-8") + """
[[indicators]]
code = "3"
label = { en = "Still displaced", ar = "النازحون حاليا" }
figure = "displacement.national.displaced_current"
target = 800
""", "utf-8")
    december = build(load_config(own, period="2016-12"))
    figures = json.loads((december.folder / "figures.json").read_text("utf-8"))["figures"]
    assert "displacement.national.displaced_current" not in figures
    displaced = figures["indicators.3"]
    assert (displaced["value"], displaced["percent_of_target"], displaced["status"]) == (None, None, "not_known")
    row = re.findall(r'<tr data-indicator="3">(.*?)</tr>', (december.folder / "report.html").read_text("utf-8"),
                     re.S)
    assert len(row) == 2 and "behind" not in row[0] and "متأخر" not in row[1] and "not known" in row[0]
    january = build(load_config(own, period="2017-01"))
    displaced = json.loads((january.folder / "figures.json").read_text("utf-8"))["figures"]["indicators.3"]
    assert (displaced["value"], displaced["status"]) == (1000, "achieved")

def test_a_period_before_the_first_data_says_so_and_does_not_ask_for_the_sheets_to_be_filled(own, tmp_path):
    html = (build(load_config(own, period="2016-10")).folder / "report.html").read_text("utf-8")
    assert "dated by the end of October 2016: the first of them are dated later" in html
    assert "Fill in the cpfs" not in html and "أولها مؤرخ بعد ذلك" in html
    # Sheets with a header and no rows yet: fill them in.
    for name in ("cpfs.csv", "activities.csv", "displacement.csv"):
        path = own.parent / "data" / name
        path.write_text(path.read_text("utf-8").splitlines()[0] + "\n", "utf-8")
    empty = build(load_config(own, period="2016-10", out=str(tmp_path / "empty")))
    assert "Fill in the cpfs, activities and displacement sheets" in (empty.folder / "report.html").read_text("utf-8")


def test_figures_and_explain_state_the_indicators_as_the_report_does(own):
    built = json.loads((build(load_config(own, period="2017-05")).folder / "figures.json").read_text("utf-8"))
    listed = CliRunner().invoke(main, ["figures", "--json", "--config", str(own), "--period", "2017-05"])
    assert listed.exit_code == 0, listed.output
    figures = json.loads(listed.output)["figures"]
    assert {k: v["value"] for k, v in figures.items() if k.startswith("indicators.")} == \
        {k: v["value"] for k, v in built["figures"].items() if k.startswith("indicators.")} != {}
    share = round(built["figures"]["indicators.2"]["value"] * 100)
    table = CliRunner().invoke(main, ["figures", "--config", str(own), "--period", "2017-05"])
    assert re.search(rf"indicators\.2 +{share}%", table.output), table.output
    said = CliRunner().invoke(main, ["explain", "indicators.2", "--config", str(own), "--period", "2017-05"])
    assert said.exit_code == 0 and f"indicators.2 = {share}%" in said.output
    assert "divided by the figure 'participants.total'" in said.output


def test_an_indicator_on_a_displacement_figure_says_the_date_of_that_figure(own):
    # The table's column is "Achieved as of 31 May 2017": a figure dated 31 January is said with its own date.
    own.write_text(own.read_text("utf-8") + '\n[[indicators]]\ncode = "3"\nlabel = { en = "Displaced", ar = "النازحون" }'
                   '\nfigure = "displacement.national.displaced_current"\ntarget = 500\n', "utf-8")
    folder = build(load_config(own, period="2017-05")).folder
    figure = json.loads((folder / "figures.json").read_text("utf-8"))["figures"]["indicators.3"]
    assert (figure["value"], figure["as_of"]) == (1000, "2017-01-31")
    row = re.search(r'<tr data-indicator="3">(.*?)</tr>', (folder / "report.html").read_text("utf-8"), re.S).group(1)
    assert "1,000<br><span class=\"by\">as of 31 January 2017</span>" in row
    forums = re.search(r'<tr data-indicator="1">(.*?)</tr>', (folder / "report.html").read_text("utf-8"), re.S)
    assert "as of" not in forums.group(1)


# Status at the edges: (value, target, share of time gone) -> status.
@pytest.mark.parametrize("value, target, expected, said", [
    (0, 60, 0.0, "on_track"),   # nothing reached, no time gone
    (0, 60, 0.5, "behind"),
    (30, 60, 0.5, "on_track"),  # exactly as far as the time
    (29, 60, 0.5, "behind"),
    (60, 60, 0.2, "achieved"),  # 100%
    (75, 60, 1.0, "achieved"),  # over 100%
    (0, 0, 0.9, "achieved"),    # a target of 0 is reached at once
    (0.2, 0.35, None, "behind"),  # a share below its target
    (0.35, 0.35, None, "achieved"),
    (None, 0.35, None, "not_known"),  # a share of nothing
])
def test_status_at_the_edges(value, target, expected, said):
    assert status(value, target, expected) == said


def test_time_gone_is_clamped_to_the_target_date():
    assert elapsed(D(2017, 1, 1), D(2016, 6, 30), D(2018, 1, 1)) == 0.0
    assert elapsed(D(2017, 1, 1), D(2017, 7, 2), D(2018, 1, 1)) == pytest.approx(182 / 365)
    assert elapsed(D(2017, 1, 1), D(2019, 1, 1), D(2018, 1, 1)) == 1.0
    assert elapsed(D(2017, 1, 1), D(2017, 1, 1), D(2016, 1, 1)) == 1.0  # a target date before the start


def test_the_progress_bar_stops_at_the_track_end_and_is_mirrored_in_arabic():
    over = str(progress(1.25, 0.5, "achieved", Wording("en")))
    assert "left:0;width:100.00%" in over and "left:50.00%" in over
    # The share is written on its own line, outside the track: never beside the bar, over the status.
    assert re.match(r'<span class="percent">125%</span><div class="track', over)
    arabic = str(progress(0.5, None, "behind", Wording("ar")))
    assert "right:0;width:50.00%" in arabic and '<span class="percent"><bdi>٥٠٪</bdi></span>' in arabic and "due" not in arabic


def _sheet(path: Path) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_excel(path, header=2, engine="openpyxl")


@pytest.mark.parametrize("period", ["2017-Q2", "2017"])
def test_the_sample_indicators_match_pandas(sample, period):
    outcome = build(load_config(sample, period=period))
    figures = json.loads((outcome.folder / "figures.json").read_text("utf-8"))["figures"]
    end = pd.Timestamp(Period.parse(period).end)
    start = pd.Timestamp(Period.parse(period).start)
    forums, activities = _sheet(sample.parent / "cpfs.xlsx"), _sheet(sample.parent / "activities.xlsx")
    held = activities[activities["تاريخ البدء"] <= end]
    trainings = held[held["نوع النشاط"] == "دورة تدريبية"]
    women = held["الإناث"].sum() / held["عدد المشاركين"].sum()
    forums_to_end = int((forums["Established on"] <= end).sum())

    one = figures["indicators.1.1"]
    assert (one["value"], one["target"], one["baseline"]) == (forums_to_end, 60, 0)
    assert one["in_period"] == int(((forums["Established on"] >= start) & (forums["Established on"] <= end)).sum())
    assert one["percent_of_target"] == round(forums_to_end / 60 * 100, 1)
    assert figures["indicators.2.1"]["value"] == len(trainings)
    assert figures["indicators.2.1"]["in_period"] == int((trainings["تاريخ البدء"] >= start).sum())
    share = figures["indicators.2.2"]
    assert share["value"] == pytest.approx(women, abs=1e-6)
    assert share["percent_of_target"] == round(women / 0.35 * 100, 1)
    assert share["status"] == ("achieved" if women >= 0.35 else "behind")
    assert share["sources"] and one["sources"][0]["file"] == "cpfs.xlsx"
    # Time gone from March 2015 (the first forum) to the end of 2017, and the status it gives.
    gone = (end.date() - D(2015, 3, 1)).days / (D(2017, 12, 31) - D(2015, 3, 1)).days
    assert one["time_elapsed"] == round(gone * 100, 1)
    assert one["status"] == ("on_track" if forums_to_end / 60 >= gone else "behind")


def test_the_sample_quarter_reads_in_both_halves_of_the_pdf(sample):
    shutil.rmtree(sample.parent / "out", ignore_errors=True)
    outcome = build(load_config(sample, period="2017-Q2"))
    assert outcome.folder == sample.parent / "out" / "2017-Q2"
    flat = re.sub(r"\s+", " ", pdf_text(outcome.folder / "report.pdf"))
    assert "Quarterly report, Second quarter of 2017" in flat
    assert "Results against targets" in flat and "Women among participants" in flat
    assert "In the second quarter of 2017," in flat
    assert "النتائج مقارنة بالمستهدفات" in flat and "الربع الثاني من عام ٢٠١٧" in flat
    html = (outcome.folder / "report.html").read_text("utf-8")
    assert html.count('class="data indicators"') == 2 and html.count('data-indicator="2.2"') == 2


def test_every_quarter_is_built_and_the_index_groups_the_kinds(own):
    config = load_config(own)
    build(load_config(own, period="2017-05"))
    outcome = build_all(config, every="quarter")
    assert [str(p) for p in outcome.periods] == ["2016-Q4", "2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4"]
    index = (config.out / "index.html").read_text("utf-8")
    assert index.index('id="month"') < index.index('id="quarter"')
    assert "Second quarter of 2017" in index and 'href="2017-Q2/report.html"' in index and "2017-05/" in index


def test_cli_builds_every_half_year(own):
    result = CliRunner().invoke(main, ["build", "--config", str(own), "--all-periods", "--every", "half"])
    assert result.exit_code == 0, result.output
    assert "Built 3 half-years (2016-H2, 2017-H1 and 2017-H2)" in result.output
    assert (own.parent / "out" / "2017-H2" / "figures.json").is_file()


@pytest.mark.parametrize("change, said", [
    ('figure = "cpfs.total"', "'cpfs.totl' is not a figure; did you mean 'cpfs.total'?"),
    ('of = "participants.total"', "'participants.totl' is not a figure; did you mean 'participants.total'?"),
    ("target = 10", "'target' must be a number of 0 or more"),
    ("project_end = 2018-12-31", "indicator 1 needs a 'target_date', or the config a 'project_end'"),
])
def test_an_indicator_that_cannot_be_read_is_a_config_error(own, change, said):
    text = own.read_text("utf-8")
    wrong = {"project_end": "", "target": 'target = "ten"'}.get(change.split(" ")[0],
                                                                    change.replace("total", "totl"))
    own.write_text(text.replace(change, wrong, 1), "utf-8")
    result = CliRunner().invoke(main, ["validate", "--config", str(own)])
    assert result.exit_code == 2 and said in result.output, result.output


@pytest.mark.parametrize("wrong, said", [
    ("target = inf", "'target' must be a number of 0 or more, such as 60 or 0.35, not inf"),
    ("target = 1e400", "'target' must be a number of 0 or more, such as 60 or 0.35, not inf"),
    ("target = 0.25\nbaseline = 20", "a share's baseline is a fraction such as 0.2 (20%), not 20"),
])
def test_a_target_without_end_or_a_share_baseline_in_percent_is_a_config_error(own, wrong, said):
    # A baseline of 20 for a share would be shown as 2,000%.
    text = own.read_text("utf-8")
    own.write_text(text.replace("target = 0.25", wrong, 1), "utf-8")
    result = CliRunner().invoke(main, ["validate", "--config", str(own)])
    assert result.exit_code == 2 and said in result.output, result.output


def test_a_period_that_is_not_one_is_a_config_error(own):
    result = CliRunner().invoke(main, ["build", "--config", str(own), "--period", "2017-Q5"])
    assert result.exit_code == 2 and "'2017-Q5' is not a period" in result.output
