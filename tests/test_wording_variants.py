"""What both halves say in reports other than the sample's: the month's changes, long-running scopes,
round amounts, every displacement figure stated, headings of scopes, and lines that must not break."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from decimal import Decimal

import pytest
from report_variants import write_project

from cpreport.build import build
from cpreport.config import Scope, Text, load_config
from cpreport.render import render_pdf
from cpreport.wording import NBSP, Wording, rounded, said_numbers

MAY = dt.date(2017, 5, 2)


def halves(html: str) -> dict[str, str]:
    return dict(re.findall(r'<article\b[^>]*\blang="(\w+)"[^>]*>(.*?)</article>', html, re.S))


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def report(tmp_path, **options) -> tuple[dict[str, str], dict]:
    """The report's halves (HTML) and its figures.json."""
    outcome = build(load_config(write_project(tmp_path / "project", **options)))
    figures = json.loads((outcome.folder / "figures.json").read_text("utf-8"))["figures"]
    return halves((outcome.folder / "report.html").read_text("utf-8")), figures


def paragraph(half: str, kind: str) -> str:
    found = re.search(rf'<p class="{kind}"[^>]*>(.*?)</p>', half, re.S)
    return text(found.group(1)) if found else ""


def displacement(half: str) -> str:
    return paragraph(half, 'figures" data-figures="displacement')


# The month's changes --------------------------------------------------------------------------------
CHANGES = [  # the report's options, English, Arabic: the period said once, at the start ("In May 2017, … were held")
    (dict(iom=1, police=1, new_forums=2, new_activities=2, workshop=2, training=0, conference=0, participants=2,
          new_participants=2),
     "In May 2017, two new CPFs were established, and two workshops were held, with two participants.",
     "وفي أيار عام ٢٠١٧، تم إنشاء منتديين للشرطة المجتمعية، وتم تنظيم ورشتي عمل بمشاركة شخصين."),
    (dict(iom=2, police=0, new_forums=0, new_activities=1, training=0, conference=0, workshop=3, participants=40,
          new_participants=0),
     "In May 2017, one workshop was held, with no participants; no new CPF was established.",
     "وفي أيار عام ٢٠١٧، تم تنظيم ورشة عمل واحدة دون مشاركين، ولم يتم إنشاء أي منتدى جديد للشرطة المجتمعية."),
    (dict(iom=3, police=3, new_forums=3, new_activities=1, training=3, conference=1, workshop=1, participants=20,
          new_participants=0),
     "In May 2017, three new CPFs were established, bringing the total to six, and one workshop was held, with no "
     "participants.",
     "وفي أيار عام ٢٠١٧، تم إنشاء ثلاثة منتديات للشرطة المجتمعية، ليصل مجموع المنتديات إلى ستة، وتم تنظيم ورشة عمل "
     "واحدة دون مشاركين."),
    (dict(iom=1, police=1, new_forums=1, new_activities=0),
     "In May 2017, one new CPF was established, bringing the total to two; no training, conference or workshop was "
     "held.",
     "وفي أيار عام ٢٠١٧، تم إنشاء منتدى واحد للشرطة المجتمعية، ليصل مجموع المنتديات إلى اثنين، ولم تُنظَّم أي "
     "دورة تدريبية أو مؤتمر أو ورشة عمل."),
    (dict(iom=100, police=12, new_forums=2, new_activities=12, training=0, conference=0, workshop=20,
          participants=600, new_participants=456),
     "In May 2017, two new CPFs were established, bringing the total to 112, and 12 workshops were held, with 456 "
     "participants.",
     "وفي أيار عام ٢٠١٧، تم إنشاء منتديين للشرطة المجتمعية، ليصل مجموع المنتديات إلى ١١٢، وتم تنظيم ١٢ ورشة عمل "
     "بمشاركة ٤٥٦ شخصاً."),
]


@pytest.mark.parametrize("options,english,arabic", CHANGES, ids=["two-of-each", "no-participants", "total-six",
                                                                 "total-two", "hundreds"])
def test_the_changes_paragraph_says_the_month_grammatically(tmp_path, options, english, arabic):
    said, _ = report(tmp_path, displacement={}, **options)
    assert paragraph(said["en"], "changes") == english
    assert paragraph(said["ar"], "changes") == arabic


# Time since a scope began ----------------------------------------------------------------------------
@pytest.mark.parametrize("since,english,arabic", [
    ("2016-10-17", "Now more than six months into", "وبعد مرور أكثر من ستة أشهر على بدء"),
    ("2016-04-01", "Now more than a year into", "وبعد مرور أكثر من عام على بدء"),
    ("2015-03-01", "Now more than two years into", "وبعد مرور أكثر من عامين على بدء"),
    ("2007-01-01", "Now more than ten years into", "وبعد مرور أكثر من عشرة أعوام على بدء"),
    ("2005-01-01", "Now more than 12 years into", "وبعد مرور أكثر من ١٢ عاماً على بدء"),
])
def test_a_long_running_scope_is_said_in_years(tmp_path, since, english, arabic):
    said, _ = report(tmp_path, since=since)
    assert english in displacement(said["en"])
    assert arabic in displacement(said["ar"])


# Round amounts ---------------------------------------------------------------------------------------
def test_exact_round_amounts_are_said_as_millions_and_thousands_in_both_halves(tmp_path):
    said, _ = report(tmp_path, displacement={
        ("national", "displaced_current"): (MAY, 3_000_000),
        ("mosul_operations", "displaced_cumulative"): (MAY, 2_000_000),
        ("mosul_operations", "returned_cumulative"): (MAY, 2_000),
        ("mosul_operations", "displaced_current"): (MAY, 98_000)})
    english = displacement(said["en"])
    arabic = displacement(said["ar"])
    assert "has identified 3 million currently displaced Iraqis" in english
    assert "has identified 2 million individuals displaced from Mosul" in english
    # Two figures of one date: the date is said once.
    assert "Of these, as of 2 May 2017, 2,000 have returned to their areas of origin, and 98,000 are still displaced." \
        in english
    assert "وجود ٣ ملايين نازح عراقي حالياً" in arabic
    assert "بشكل تراكمي مليوني شخص نازح من الموصل" in arabic
    assert "وحتى ٢ أيار ٢٠١٧، عاد ٢٬٠٠٠ منهم إلى مناطقهم الأصلية، ولا يزال ٩٨ ألفاً منهم نازحين." in arabic
    assert "2,000,000" not in english and "٢٬٠٠٠٬٠٠٠" not in arabic


# Every displacement figure stated ---------------------------------------------------------------------
COMBINATIONS = {
    "current-and-returned": {("mosul_operations", "displaced_current"): (MAY, 10_500),
                             ("mosul_operations", "returned_cumulative"): (MAY, 999)},
    "returned-only": {("mosul_operations", "returned_cumulative"): (MAY, 4_321)},
    "current-only": {("national", "displaced_current"): (MAY, 5_432_100)},
    "national-current-and-returned": {("national", "displaced_current"): (MAY, 3_042_288),
                                      ("national", "returned_cumulative"): (MAY, 1_700_000)},
    "cumulative-and-returned": {("mosul_operations", "displaced_cumulative"): (MAY, 441_354),
                                ("mosul_operations", "returned_cumulative"): (MAY, 2)},
    "all": {("national", "displaced_current"): (MAY, 3_042_288),
            ("mosul_operations", "displaced_cumulative"): (MAY, 441_354),
            ("mosul_operations", "returned_cumulative"): (dt.date(2017, 4, 27), 105_732),
            ("mosul_operations", "displaced_current"): (MAY, 358_656)},
}


@pytest.mark.parametrize("name", COMBINATIONS)
def test_every_displacement_figure_is_stated_in_both_halves(tmp_path, name):
    said, figures = report(tmp_path, displacement=COMBINATIONS[name])
    stated = [f for key, f in figures.items() if key.startswith("displacement.") and key.count(".") == 2]
    assert len(stated) == len(COMBINATIONS[name])
    for language in ("en", "ar"):
        numbers = said_numbers(displacement(said[language]), language)
        for figure in stated:
            assert Decimal(rounded(figure["value"]).value) in numbers, (language, figure)


def test_the_returned_figure_without_a_cumulative_one_has_its_own_sentence(tmp_path):
    said, _ = report(tmp_path, displacement=COMBINATIONS["current-and-returned"])
    assert displacement(said["en"]) == (
        "As of 2 May 2017, IOM DTM has identified more than 10,000 individuals still displaced from Mosul and "
        "adjacent districts. As of 2 May 2017, 999 individuals had returned to their areas of origin.")
    assert displacement(said["ar"]) == (
        "وبحسب مصفوفة المنظمة الدولية للهجرة لتتبع النزوح، لا يزال هناك أكثر من ١٠ آلاف شخص نازح من الموصل والمناطق "
        "المجاورة حتى ٢ أيار ٢٠١٧. وقد عاد ٩٩٩ شخصاً إلى مناطقهم الأصلية حتى ٢ أيار ٢٠١٧.")


# Headings, labels and the footer -------------------------------------------------------------------------
def test_scopes_are_headed_by_their_name_or_their_label_made_a_heading(tmp_path):
    said, _ = report(tmp_path)
    for language, names, labels in (("en", ("National", "Mosul operations"), ("Across the country", "The Mosul")),
                                    ("ar", ("على المستوى الوطني", "عمليات الموصل"), ("في كافة أنحاء البلاد",))):
        table = re.search(r'<table class="data" data-table="displacement".*?</table>', said[language], re.S).group(0)
        headings = re.findall(r'<th scope="rowgroup"[^>]*>(.*?)</th>', table)
        assert headings == list(names)
        subtitles = re.findall(r'<p class="subtitle">(.*?)</p>', said[language])
        assert set(subtitles) <= set(names) and subtitles
        assert not any(label in table for label in labels)
    unnamed = Scope("mosul_operations", Text("the Mosul military operations", "العمليات العسكرية في الموصل"))
    assert (unnamed.heading("en"), unnamed.heading("ar")) == ("Mosul military operations", "العمليات العسكرية في الموصل")
    assert Scope("x", Text("across the country", "")).heading("en") == "Across the country"


def test_the_arabic_half_names_workshops_one_way_in_tables_and_charts(tmp_path):
    said, _ = report(tmp_path)
    pictures = said["ar"][said["ar"].index('<section class="pictures"'):]
    legends = re.findall(r'<ul class="legend"[^>]*>(.*?)</ul>', pictures, re.S)
    assert any("ورش العمل" in legend for legend in legends)
    assert "ورشات عمل" not in pictures
    assert "ورش العمل" in re.search(r'data-table="activities".*?</thead>', pictures, re.S).group(0)


def test_the_footer_is_a_sentence_and_its_arabic_lists_the_sources_the_arabic_way(tmp_path):
    outcome = build(load_config(write_project(tmp_path / "project")))
    footer = re.search(r'<footer class="provenance">(.*?)</footer>', (outcome.folder / "report.html").read_text("utf-8"),
                       re.S).group(1)
    english, arabic = re.findall(r"<p[^>]*>(.*?)</p>", footer, re.S)
    assert text(english) == (
        "This report on May 2017 was prepared under the Community Policing programme, funded by the German Government; "
        "its figures are counted from the programme’s monitoring records up to 31 May 2017, in activities.xlsx "
        "(activities), cpfs.xlsx (cpfs) and displacement.csv.")
    assert text(arabic) == (
        "أُعدّ هذا التقرير عن أيار ٢٠١٧ في إطار برنامج الشرطة المجتمعية بتمويل من الحكومة الألمانية، وحُسبت أرقامه "
        "من سجلات الرصد الخاصة بالبرنامج حتى ٣١ أيار ٢٠١٧ في الملفات activities.xlsx (activities) وcpfs.xlsx (cpfs) "
        "وdisplacement.csv.")
    assert ('<bdi dir="ltr">activities.xlsx (activities)</bdi> و<bdi dir="ltr">cpfs.xlsx (cpfs)</bdi> '
            'و<bdi dir="ltr">displacement.csv</bdi>') in arabic
    assert not re.search(r"[,;%]", re.sub(r"<bdi[^>]*>.*?</bdi>", "", arabic))



def test_a_file_named_in_arabic_keeps_its_own_direction_in_the_arabic_footer(tmp_path):
    # Isolated left to right, "الأنشطة - الأنبار.xlsx (الأنشطة)" was laid out with its words and ".xlsx" backwards.
    config = write_project(tmp_path / "project")
    (config.parent / "activities.xlsx").rename(config.parent / "الأنشطة - الأنبار.xlsx")
    outcome = build(load_config(config))
    footer = re.search(r'<footer class="provenance">(.*?)</footer>', (outcome.folder / "report.html").read_text("utf-8"),
                       re.S).group(1)
    arabic = re.findall(r"<p[^>]*>(.*?)</p>", footer, re.S)[1]
    assert re.search(r"<bdi>الأنشطة - الأنبار\.xlsx \(\w+\)</bdi>", arabic), arabic
    assert '<bdi dir="ltr">cpfs.xlsx (cpfs)</bdi>' in arabic

def test_values_on_hatched_boxes_sit_on_a_solid_patch(tmp_path):
    said, _ = report(tmp_path)
    for half in said.values():
        hatched = re.findall(r'<span class="segment" data-series="(?:workshop|law_enforcement)"[^>]*>(.*?)</span></span>',
                             half)
        assert hatched and all('<span class="label solid">' in box for box in hatched if box)
        plain = re.findall(r'<span class="segment" data-series="training"[^>]*>(<span class="label"[^>]*>)', half)
        assert plain and all("solid" not in label for label in plain)


# Lines that must not break ----------------------------------------------------------------------------
def words_on_lines(pdf) -> list[tuple[float, str]]:
    """(the line's top, word) for every word pdftotext finds in the PDF."""
    listing = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(round(float(y), 1), word) for y, word in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)"[^>]*>([^<]*)</word>',
                                                                   listing)]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_amounts_and_phone_numbers_never_break_across_lines(tmp_path, language):
    w = Wording(language)
    filler = "كلمة" if language == "ar" else "word"
    amounts = [w.approx(441_354, "displaced_person"), w.approx(105_732), w.approx(3_042_288, "displaced_iraqi")]
    contact = w.prose("Tel. +964 751 234 2550")
    # The same sentence after 0 to 29 filler words, in a narrow column: every break position is tried.
    body = "".join(f'<p>{" ".join([filler] * k)} {" ".join(amounts)} {contact}</p>' for k in range(30))
    direction = "rtl" if language == "ar" else "ltr"
    pdf = tmp_path / "lines.pdf"
    pdf.write_bytes(render_pdf(f'<html><head><style>body {{ width: 9cm; font: 11pt Amiri; }} .nowrap {{ white-space: nowrap; }}'
                               f'</style></head><body dir="{direction}" lang="{language}">{body}</body></html>'))
    together = {"en": [("3", "million"), ("+964", "2550")],
                "ar": [("٤٤١", "ألف"), ("١٠٥", "آلاف"), ("٣", "ملايين"), ("+964", "2550")]}[language]

    def split(words) -> list[tuple[str, str]]:
        # pdftotext gives Arabic words in visual order (ألف as فلأ): either order is the word.
        lines = {word: [y for y, said in words if word in (said, said[::-1])] for pair in together for word in pair}
        assert all(len(lines[first]) == len(lines[last]) == 30 for first, last in together), lines
        return [(first, last) for first, last in together if lines[first] != lines[last]]

    assert split(words_on_lines(pdf)) == []
    # Without the no-break spaces the same column breaks inside amounts: the check above can fail.
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(render_pdf(f'<html><head><style>body {{ width: 9cm; font: 11pt Amiri; }}</style></head>'
                                  f'<body dir="{direction}" lang="{language}">{body.replace(NBSP, " ").replace("nowrap", "x")}'
                                  f'</body></html>'))
    assert split(words_on_lines(broken))
