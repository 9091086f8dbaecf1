"""The breakdowns and the chart markup: proportional boxes, both languages, Arabic digits, mirrored axes."""
from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from cpreport import charts
from cpreport.config import Period, Text
from cpreport.contract import governorates
from cpreport.tables import activities_by_month, breakdowns, forums_by_governorate, participants
from cpreport.wording import Wording

ENGLISH, ARABIC = Wording("en"), Wording("ar")
SEGMENT = re.compile(r'data-series="(\w+)" data-value="(\d+)" style="(left|right):([\d.]+)%;width:([\d.]+)%')
COLUMN = re.compile(r'data-month="([\d-]+)" style="(left|right):([\d.]+)%;width:([\d.]+)%')
STACKED = re.compile(r'data-series="(\w+)" data-value="(\d+)" style="bottom:([\d.]+)%;height:([\d.]+)%')


def text_of(markup) -> str:
    """What a reader sees: the markup without its tags (and so without its style attributes)."""
    return re.sub(r"<[^>]+>", " ", str(markup))


def description(markup) -> str:
    return re.search(r'aria-label="([^"]*)"', str(markup)).group(1)


@pytest.fixture(scope="module")
def sample_breakdowns():
    from conftest import SAMPLE
    from cpreport.check import check
    from cpreport.config import load_config

    config = load_config(SAMPLE / "cpreport.toml")
    return breakdowns(check(config), config.period)


def forums_frame(rows):
    return pd.DataFrame({"governorate": pd.Series([g for g, _, _ in rows], dtype="category"),
                         "established_by": pd.Series([b for _, b, _ in rows], dtype="category"),
                         "established_on": pd.to_datetime([d for _, _, d in rows])})


def activities_frame(rows):
    """rows: (type, start date, participants, female or None, police, community)."""
    frame = pd.DataFrame(rows, columns=["type", "start_date", "participants", "female", "police", "community"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    for column in ("participants", "female", "police", "community", "law_enforcement", "civil_society", "judiciary"):
        frame[column] = pd.array(frame[column] if column in frame else [None] * len(frame), dtype="Int64")
    return frame


# The breakdowns ---------------------------------------------------------------------------------------------

def test_forums_are_counted_per_governorate_and_founder_up_to_the_period_end():
    forums = forums_frame([("IQG08", "iom", "2016-01-01"), ("IQG08", "police", "2016-02-01"),
                           ("IQG02", "iom", "2017-05-31"), ("IQG02", "iom", "2017-06-01")])
    counted = forums_by_governorate(forums, dt.date(2017, 5, 31))
    assert counted["rows"] == [{"pcode": "IQG08", "iom": 1, "police": 1, "total": 2},
                               {"pcode": "IQG02", "iom": 1, "police": 0, "total": 1}]
    assert counted["total"] == {"iom": 2, "police": 1, "total": 3}
    assert len(counted["by_pcode"]) == 18 and counted["by_pcode"]["IQG15"] == 0


def test_the_sample_breakdowns_agree_with_the_release_figures(sample_breakdowns):
    forums = sample_breakdowns["forums"]
    assert forums["total"] == {"iom": 34, "police": 15, "total": 49}
    assert sum(forums["by_pcode"].values()) == 49 == sum(r["total"] for r in forums["rows"])
    activities = sample_breakdowns["activities"]
    assert activities["total"] == {"training": 20, "conference": 6, "workshop": 6, "total": 32}
    assert sum(r["total"] for r in activities["rows"]) == 32
    people = sample_breakdowns["participants"]
    assert people["total"] == 1137 == sum(people["groups"].values()) == sum(people["sex"].values())
    mosul = sample_breakdowns["displacement"]["mosul_operations"]
    assert {(f["metric"], f["value"], f["as_of"]) for f in mosul["latest"]} == {
        ("displaced_cumulative", 441354, dt.date(2017, 5, 2)), ("displaced_current", 358656, dt.date(2017, 5, 2)),
        ("returned_cumulative", 105732, dt.date(2017, 4, 27))}
    assert [s["as_of"] for s in mosul["series"]] == sorted(s["as_of"] for s in mosul["series"])


def test_months_without_activities_are_listed_as_zero_and_old_months_are_summed():
    frame = activities_frame([("training", "2017-01-10", 10, None, None, None),
                              ("workshop", "2017-04-02", 5, None, None, None),
                              ("training", "2017-06-01", 7, None, None, None)])
    months = activities_by_month(frame, Period(2017, 5))
    assert [r["month"] for r in months["rows"]] == [dt.date(2017, m, 1) for m in (1, 2, 3, 4, 5)]
    assert [r["total"] for r in months["rows"]] == [1, 0, 0, 1, 0]
    assert months["earlier"] is None and months["total"]["total"] == 2
    shortened = activities_by_month(frame, Period(2017, 5), months_shown=3)
    assert [r["month"] for r in shortened["rows"]] == [dt.date(2017, m, 1) for m in (3, 4, 5)]
    assert shortened["earlier"] == {"training": 1, "conference": 0, "workshop": 0, "total": 1,
                                    "before": dt.date(2017, 3, 1)}


def test_participants_not_split_by_group_or_sex_are_counted_as_not_recorded():
    frame = activities_frame([("training", "2017-01-10", 10, 4, 6, 4), ("training", "2017-02-10", 20, None, None, None)])
    people = participants(frame, dt.date(2017, 5, 31))
    assert people["total"] == 30
    assert people["sex"] == {"female": 4, "male": 6, "unrecorded": 20}
    assert people["groups"]["police"] == 6 and people["groups"]["community"] == 4
    assert people["groups"]["unrecorded"] == 20


# The charts -------------------------------------------------------------------------------------------------

def test_forum_bars_are_proportional_to_the_counts_and_mirrored_in_arabic(sample_breakdowns):
    forums = sample_breakdowns["forums"]
    top = max(r["total"] for r in forums["rows"])
    for w, side in ((ENGLISH, "left"), (ARABIC, "right")):
        markup = str(charts.forums_by_governorate(forums, w, Text("IOM", "المنظمة الدولية للهجرة")))
        bars = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', markup)
        assert [name for name, _ in bars] == [charts.place(r["pcode"], w.language) for r in forums["rows"]]
        for (_, bar), row in zip(bars, forums["rows"]):
            segments = SEGMENT.findall(bar)
            assert {s[2] for s in segments} == {side}  # boxes start from the reader's side
            assert {s[0]: int(s[1]) for s in segments} == {k: row[k] for k in ("iom", "police") if row[k]}
            end = max(float(start) + float(width) for _, _, _, start, width in segments)
            assert end == pytest.approx(charts.REACH * row["total"] / top, abs=0.02)
            assert float(min(segments, key=lambda s: float(s[3]))[3]) == 0
        assert ('style="right:' if w is ENGLISH else 'style="left:') not in markup


def test_forum_bars_name_the_governorates_in_each_language_with_its_digits(sample_breakdowns):
    forums = sample_breakdowns["forums"]
    english = text_of(charts.forums_by_governorate(forums, ENGLISH))
    arabic = text_of(charts.forums_by_governorate(forums, ARABIC))
    for row in forums["rows"]:
        place = next(g for g in governorates() if g.pcode == row["pcode"])
        assert place.name_en in english and place.name_ar in arabic
        assert place.name_en not in arabic
    assert re.search(r"[0-9]", arabic) is None, "Western digits in the Arabic chart"
    assert "٨" in arabic and "8" in english


def test_activity_columns_are_proportional_and_time_runs_right_to_left_in_arabic(sample_breakdowns):
    activities = sample_breakdowns["activities"]
    english = str(charts.activities_by_month(activities, ENGLISH))
    arabic = str(charts.activities_by_month(activities, ARABIC))
    for markup, side in ((english, "left"), (arabic, "right")):
        columns = COLUMN.findall(markup)
        assert [c[0] for c in columns] == [r["month"].isoformat() for r in activities["rows"]]
        assert {c[1] for c in columns} == {side}
        assert float(columns[0][2]) == 0  # the first month stands at the reader's starting side
        assert [float(c[2]) for c in columns] == sorted(float(c[2]) for c in columns)
        stacked = STACKED.findall(markup)
        top = max(r["total"] for r in activities["rows"])
        for _, value, _, height in stacked:
            assert float(height) == pytest.approx(charts.REACH * int(value) / top, abs=0.006)
        assert sum(int(v) for _, v, _, _ in stacked) == activities["total"]["total"]
    assert "November" in text_of(english) and "تشرين الثاني" in text_of(arabic)
    assert "٢٠١٧" in text_of(arabic) and re.search(r"[0-9]", text_of(arabic)) is None


def test_participant_bars_split_the_whole_by_group_and_by_sex(sample_breakdowns):
    people = sample_breakdowns["participants"]
    for w in (ENGLISH, ARABIC):
        markup = str(charts.participants(people, w))
        splits = markup.split('data-split="sex"')
        for part, counts in ((splits[0], people["groups"]), (splits[1], people["sex"])):
            segments = SEGMENT.findall(part)
            assert {s[0]: int(s[1]) for s in segments} == {k: v for k, v in counts.items() if v}
            assert sum(float(s[4]) for s in segments) == pytest.approx(100, abs=0.05)
            for _, value, _, _, width in segments:
                assert float(width) == pytest.approx(100 * int(value) / people["total"], abs=0.006)
    arabic = text_of(charts.participants(people, ARABIC))
    assert "النساء" in arabic and "ضباط الشرطة" in arabic and "٢٣٥" in arabic
    english = text_of(charts.participants(people, ENGLISH))
    assert "Women" in english and "Police officers" in english and "235" in english


def test_displacement_bars_show_every_as_of_date_and_escape_the_scope_label(sample_breakdowns):
    mosul = sample_breakdowns["displacement"]["mosul_operations"]
    markup = str(charts.displacement(mosul, "Mosul <b>&</b> around", ENGLISH))
    assert "<b>" not in markup and "Mosul &lt;b&gt;&amp;&lt;/b&gt; around" in markup
    segments = SEGMENT.findall(markup)
    assert len(segments) == sum(len(s["values"]) for s in mosul["series"])
    top = max(int(v) for _, v, _, _, _ in segments)
    for _, value, _, _, width in segments:
        assert float(width) == pytest.approx(charts.REACH * int(value) / top, abs=0.006)
    for day in ("13 April 2017", "27 April 2017", "2 May 2017"):
        assert day in text_of(markup)
    arabic = str(charts.displacement(mosul, "الموصل", ARABIC))
    assert "٢٧ نيسان ٢٠١٧" in text_of(arabic) and "٤٤١٬٣٥٤" in text_of(arabic)
    assert {s[2] for s in SEGMENT.findall(arabic)} == {"right"}


def lightness(colour: str) -> float:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_the_map_has_every_governorate_darker_where_there_are_more_forums(sample_breakdowns):
    by_pcode = sample_breakdowns["forums"]["by_pcode"]
    for w in (ENGLISH, ARABIC):
        markup = str(charts.forums_map(by_pcode, w))
        tiles = re.findall(r'data-pcode="(IQG\d\d)" data-forums="(\d+)" style="background-color:(#\w{6})', markup)
        assert {p: int(n) for p, n, _ in tiles} == by_pcode
        assert len(tiles) == 18
        # Geography is not mirrored: the grid is left to right in both halves, Duhok west of Sulaymaniyah.
        assert 'class="tiles" dir="ltr"' in markup
        assert markup.index('data-pcode="IQG10"') < markup.index('data-pcode="IQG06"')
        by_count = sorted((int(n), lightness(c)) for _, n, c in tiles)
        for (fewer, light), (more, dark) in zip(by_count, by_count[1:]):
            assert more == fewer and light == dark or more > fewer and dark <= light
    assert "Basrah" in text_of(charts.forums_map(by_pcode, ENGLISH))
    arabic = text_of(charts.forums_map(by_pcode, ARABIC))
    assert "البصرة" in arabic and "٨" in arabic and re.search(r"[0-9]", arabic) is None


def test_map_classes_cover_every_count_once():
    for top in range(1, 40):
        classes = charts.map_classes(top)
        covered = [n for low, high in classes for n in range(low, high + 1)]
        assert covered == list(range(1, top + 1))
        assert len(classes) == min(top, len(charts.MAP_COLOURS))


def test_every_chart_is_an_image_described_in_its_language(sample_breakdowns):
    b = sample_breakdowns
    for w, words in ((ENGLISH, ("Baghdad 8", "49", "November 2016", "1,137", "441,354")),
                     (ARABIC, ("بغداد ٨", "٤٩", "تشرين الثاني ٢٠١٦", "١٬١٣٧", "٤٤١٬٣٥٤"))):
        made = [charts.forums_by_governorate(b["forums"], w), charts.forums_map(b["forums"]["by_pcode"], w),
                charts.activities_by_month(b["activities"], w), charts.participants(b["participants"], w),
                charts.displacement(b["displacement"]["mosul_operations"], "Mosul", w)]
        said = " ".join(description(m) for m in made)
        for markup in made:
            assert re.match(rf'<div class="chart [\w-]+" role="img" aria-label="[^"]+" lang="{w.language}" '
                            rf'dir="{"rtl" if w.rtl else "ltr"}">', str(markup))
        for word in words:
            assert word in said
        if w is ARABIC:
            assert re.search(r"[0-9]", said) is None


def test_neighbouring_series_differ_in_lightness_for_greyscale_printing():
    for colours in (charts.FOUNDER_COLOURS, charts.TYPE_COLOURS, charts.GROUP_COLOURS, charts.SEX_COLOURS):
        values = list(colours.values())
        for a, b in zip(values, values[1:]):
            assert abs(lightness(a) - lightness(b)) > 40 or {a, b} & {c for k, c in colours.items()
                                                                      if k in charts.STRIPED}


def test_absent_sheets_give_empty_breakdowns_not_errors():
    from cpreport.contract import TABLES
    from cpreport.tables import displacement
    from cpreport.validate import _empty, displacement_totals

    end = dt.date(2017, 5, 31)
    assert forums_by_governorate(_empty(TABLES["cpfs"]), end)["total"] == {"iom": 0, "police": 0, "total": 0}
    assert activities_by_month(_empty(TABLES["activities"]), Period(2017, 5))["rows"] == []
    assert participants(_empty(TABLES["activities"]), end)["total"] == 0
    assert displacement(displacement_totals(_empty(TABLES["displacement"]))) == {}
