"""`cpreport explain`: every figure of the sample, down to its rows, against the sheets read here with pandas."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from cpreport.check import check
from cpreport.config import load_config
from cpreport.explain import explain, total_of
from cpreport.figures import compute

from conftest import ROOT, SAMPLE

END, START, PREVIOUS_END = pd.Timestamp(2017, 5, 31), pd.Timestamp(2017, 5, 1), pd.Timestamp(2017, 4, 30)
TYPES = {"دورة تدريبية": "training", "مؤتمر": "conference", "ورشة عمل": "workshop"}
GROUPS = {"female": "الإناث", "police": "الشرطة", "community": "أفراد المجتمع", "law_enforcement": "إنفاذ القانون",
          "civil_society": "المجتمع المدني", "judiciary": "القضاة"}


@pytest.fixture(scope="module")
def sample():
    config = load_config(SAMPLE / "cpreport.toml")
    checked = check(config)
    return checked, compute(checked, config.period, config.highlights)


def independent() -> dict[str, tuple[int, list[int]]]:
    """The sample's counts and sums, worked out here from the sheets alone: (value, row numbers)."""
    forums = pd.read_excel(SAMPLE / "cpfs.xlsx", header=2, engine="calamine")
    forums["row"] = forums.index + 4  # a title, a blank row and the header above the first forum
    activities = pd.read_excel(SAMPLE / "activities.xlsx", header=2, engine="calamine")
    activities["row"] = activities.index + 4
    found: dict[str, tuple[int, list[int]]] = {}
    spans = {"": forums["Established on"] <= END, ".previous": forums["Established on"] <= PREVIOUS_END,
             ".in_period": forums["Established on"].between(START, END)}
    for suffix, dated in spans.items():
        for key, which in (("cpfs.total", True), ("cpfs.iom", forums["Established by"] == "IOM"),
                           ("cpfs.police", forums["Established by"] == "Local police")):
            rows = forums[dated & which]["row"].tolist()
            found[key + suffix] = (len(rows), rows)
    active = forums[(forums["Established on"] <= END) & (forums["Status"] == "Active")]
    found["cpfs.active"] = (len(active), active["row"].tolist())
    start = activities["تاريخ البدء"]
    spans = {"": start <= END, ".previous": start <= PREVIOUS_END, ".in_period": start.between(START, END)}
    for suffix, dated in spans.items():
        for kind in ("total", *TYPES.values()):
            which = True if kind == "total" else activities["نوع النشاط"].map(TYPES) == kind
            rows = activities[dated & which]
            found[f"activities.{kind}{suffix}"] = (len(rows), rows["row"].tolist())
        rows = activities[dated]
        found[f"participants.total{suffix}"] = (int(rows["عدد المشاركين"].sum()), rows["row"].tolist())
    for group, header in GROUPS.items():
        rows = activities[start <= END]
        found[f"participants.{group}"] = (int(rows[header].sum()), rows["row"].tolist())
    return found


def test_every_count_of_the_sample_is_explained_by_the_rows_pandas_finds(sample):
    checked, figures = sample
    expected = independent()
    assert len(expected) > 30
    for key, (value, rows) in expected.items():
        explained = explain(checked, figures, key)
        assert explained.figure.value == value, key
        assert explained.rows["row"].tolist() == rows, key
        assert total_of(explained) == value, key
        assert set(explained.rows["file"]) <= {"cpfs.xlsx", "activities.xlsx"}, key


def test_every_figure_has_a_rule_and_a_label_in_both_languages(sample):
    checked, figures = sample
    for key, figure in figures.items.items():
        english, arabic = explain(checked, figures, key, "en"), explain(checked, figures, key, "ar")
        assert english.rule and english.label and arabic.rule and arabic.label, key
        assert arabic.rule != english.rule and any("\u0600" <= c <= "\u06ff" for c in arabic.rule), key
        if key.startswith("displacement.") and not key.endswith(".change"):
            assert len(english.rows) >= 1, key  # the row of the figure, or the governorates' rows summed
            assert english.rows["individuals"].sum() == figure.value, key


def test_the_command_lists_keys_explains_one_and_names_the_nearest(tmp_path, cpreport_process):
    config = str(SAMPLE / "cpreport.toml")

    def run(*args):
        return cpreport_process.run("explain", "--config", config, *args, cwd=ROOT)

    listed = run("--lang", "both")
    assert listed.returncode == 0, listed.stderr
    assert "activities.workshop.in_period" in listed.stdout and "ورش" in listed.stdout
    one = run("activities.workshop.in_period", "--csv", str(tmp_path / "rows.csv"))
    assert one.returncode == 0, one.stderr
    assert one.stdout.startswith("activities.workshop.in_period = 2 (as of 31 May 2017)")
    rows = pd.read_csv(tmp_path / "rows.csv", encoding="utf-8-sig")
    assert rows["row"].tolist() == [31, 34] and set(rows["type"]) == {"workshop"}
    unknown = run("participant.total")
    assert unknown.returncode == 2 and "Did you mean participants.total" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    # The rows go to a CSV of their own, written again by the next explain; never over a file of anyone else's,
    # into the data folder (where a build would read it as a sheet) nor into a folder that does not exist.
    again = run("cpfs.total", "--csv", str(tmp_path / "rows.csv"))
    assert again.returncode == 0, again.stderr
    (tmp_path / "budget.csv").write_text("line,amount\n1,200\n", "utf-8")
    for target, said in ((tmp_path / "budget.csv", "is not rows an earlier explain wrote"),
                         (tmp_path / "report.html", "ending in .csv"),
                         (SAMPLE / "rows.csv", "in the data folder"),
                         (tmp_path / "nowhere" / "rows.csv", "does not exist")):
        refused = run("cpfs.total", "--csv", str(target))
        assert refused.returncode == 2 and said in refused.stderr and "Traceback" not in refused.stderr, refused
    assert (tmp_path / "budget.csv").read_text("utf-8") == "line,amount\n1,200\n"
    assert not (SAMPLE / "rows.csv").exists()


def test_the_rules_say_their_dates_in_words_in_either_language(sample):
    checked, figures = sample
    assert explain(checked, figures, "activities.training.in_period", "ar").rule == (
        "صفوف جدول «activities» التي يقع «start_date» فيها بين ١ أيار ٢٠١٧ و٣١ أيار ٢٠١٧، من نوع دورة تدريبية: "
        "يُحتسب كل صف من هذه الصفوف مرة واحدة.")
    assert "dated from 1 May 2017 to 31 May 2017" in explain(checked, figures, "activities.training.in_period", "en").rule
    for key in figures.items:
        rule = explain(checked, figures, key, "ar").rule
        assert not re.search(r"\d{4}-\d{2}-\d{2}|[0-9]", rule.replace("start_date", "")), (key, rule)


def test_a_groups_figure_is_named_by_the_groups_name_never_its_key():
    # What the revisions section of a published report and `explain` call a group's figure.
    from cpreport.contract import PARTICIPANT_GROUPS
    from cpreport.explain import label

    for group in PARTICIPANT_GROUPS:
        for language in ("en", "ar"):
            said = label(f"participants.{group}", language)
            assert group not in said and "_" not in said, said
    assert label("participants.law_enforcement", "ar").startswith("المشاركون من فئة «إنفاذ القانون»")


def test_the_keys_are_listed_with_the_configs_own_names_of_scopes_and_indicators(cpreport_process):
    listed = cpreport_process.run("explain", "--config", str(SAMPLE / "cpreport.toml"), "--lang", "ar", cwd=ROOT)
    assert listed.returncode == 0, listed.stderr
    lines = dict(line.split(None, 1) for line in listed.stdout.splitlines() if line.strip())
    assert "«عمليات الموصل»" in lines["displacement.mosul_operations.displaced_current"]
    assert "منتديات الشرطة المجتمعية المنشأة" in lines["indicators.1.1"]
