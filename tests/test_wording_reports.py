"""What both halves of whole reports say: the sample's figure paragraphs word for word, other counts,
the PDF's Arabic read back, and the build stopping when the halves disagree."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import pdf_text
from report_variants import write_project

from cpreport.build import build
from cpreport.config import load_config
from cpreport.crosscheck import check_halves
from cpreport.errors import EXIT_DISAGREE, FiguresDisagree
from cpreport.render import render_pdf
from cpreport.wording import Wording

GOLDEN = {
    "en": [
        "A total of 49 CPFs have been established across Iraq; 34 established by IOM’s Community Policing programme, "
        "and 15 independently established by local police, building on the CPF model. CPF locations include the "
        "retaken area of Qayara in Ninewa governorate.",
        "Through the Community Policing programme, IOM has conducted 20 trainings, six conferences and six workshops, "
        "reaching over 1,100 police officers, community members, law enforcement, civil society and judiciary "
        "representatives.",
        "IOM’s Displacement Tracking Matrix (DTM) has identified more than 3 million currently displaced Iraqis across "
        "the country since January 2014. Now more than six months into the Mosul military operations, cumulatively, "
        "IOM DTM has identified more than 441,000 individuals displaced from Mosul and adjacent districts since "
        "17 October 2016. Of these, as of 27 April 2017, more than 105,000 have returned to their areas of origin, and "
        "as of 2 May, more than 358,000 are still displaced.",
    ],
    "ar": [
        "تم إنشاء ما مجموعه ٤٩ منتدىً للشرطة المجتمعية في جميع أنحاء العراق؛ ٣٤ منها أنشأها برنامج "
        "الشرطة المجتمعية التابع للمنظمة الدولية للهجرة، و١٥ منها أنشأتها الشرطة المحلية بشكل مستقل استناداً إلى "
        "نموذج منتديات الشرطة المجتمعية. وتشمل مواقع منتديات الشرطة المجتمعية منطقة القيارة المستعادة في محافظة نينوى.",
        "نظمت المنظمة الدولية للهجرة من خلال برنامج الشرطة المجتمعية ٢٠ دورة تدريبية وستة مؤتمرات وست ورش عمل، "
        "استفاد منها أكثر من ١٬١٠٠ من ضباط الشرطة وأفراد المجتمع المحلي وممثلي إنفاذ القانون والمجتمع المدني "
        "والقضاة.",
        "وقد رصدت مصفوفة المنظمة الدولية للهجرة لتتبع النزوح وجود أكثر من ٣ ملايين نازح عراقي حالياً في كافة "
        "أنحاء البلاد منذ كانون الثاني عام ٢٠١٤. وبعد مرور أكثر من ستة أشهر على بدء العمليات العسكرية في الموصل، رصدت "
        "مصفوفة المنظمة الدولية للهجرة لتتبع النزوح بشكل تراكمي أكثر من ٤٤١ ألف شخص نازح من الموصل والمناطق المجاورة "
        "منذ ١٧ تشرين الأول ٢٠١٦. وقد عاد أكثر من ١٠٥ آلاف منهم إلى مناطقهم الأصلية حتى ٢٧ نيسان ٢٠١٧، ولا "
        "يزال أكثر من ٣٥٨ ألفاً منهم نازحين حتى ٢ أيار.",
    ],
}


def figure_paragraphs(html: str) -> dict[str, list[str]]:
    """{language: the text of its figure paragraphs}, tags removed and spaces folded."""
    return {language: [" ".join(re.sub(r"<[^>]+>", "", p).split())
                       for p in re.findall(r'<p class="figures"[^>]*>(.*?)</p>', body, re.S)]
            for language, body in re.findall(r'<article\b[^>]*\blang="(\w+)"[^>]*>(.*?)</article>', html, re.S)}


def test_the_sample_figure_paragraphs_word_for_word(sample_build):
    said = figure_paragraphs((sample_build / "report.html").read_text("utf-8"))
    assert said["en"] == GOLDEN["en"]
    assert said["ar"] == GOLDEN["ar"]


def test_dates_and_latin_text_inside_arabic_are_isolated_in_the_html(sample_build):
    html = (sample_build / "report.html").read_text("utf-8")
    arabic = html[html.index('lang="ar" dir="rtl"'):]
    assert "<bdi>١٧ تشرين الأول ٢٠١٦</bdi>" in arabic and "<bdi>٢ أيار</bdi>" in arabic
    assert '<bdi dir="ltr"><span class="nowrap">+964 751 234 2550</span></bdi>' in arabic
    assert '<bdi dir="ltr"><a href="mailto:sblack@iom.int">sblack@iom.int</a></bdi>' in arabic


def test_the_pdf_reads_back_the_arabic_figures_and_latin_runs_in_order(sample_build):
    # pdftotext moves the spaces around numbers and short vowels inside RTL lines; compare without them.
    text = re.sub(r"\s+", "", pdf_text(sample_build / "report.pdf"))
    arabic = text[text.index("تؤكدوكالة"):]
    for words in ("٢٠ دورة تدريبية", "وستة مؤتمرات", "وست ورش عمل", "أكثر من ١٬١٠٠", "أكثر من ٣ ملايين نازح عراقي",
                  "أكثر من ٤٤١ ألف شخص نازح", "١٧ تشرين الأول", "١٠٥ آلاف منهم", "كانون الثاني عام"):
        assert words.replace(" ", "") in arabic, words
    assert "sblack@iom.int" in arabic and "zzanfagna@iom.int" in arabic


def test_latin_runs_inside_arabic_keep_their_order_in_the_pdf(tmp_path):
    sentence = ("حددت مصفوفة IOM لتتبع النزوح (DTM) أكثر من ٤٤١ ألف شخص؛ هاتف +964 751 234 2550، البريد: "
                "sblack@iom.int ونسبة 45% والموقع http://iraqdtm.iom.int/EmergencyTracking.aspx")

    def read_back(body):
        pdf = tmp_path / "p.pdf"
        pdf.write_bytes(render_pdf(f'<html><body><p dir="rtl" lang="ar" style="font: 9pt Amiri">'
                                   f'{body}</p></body></html>'))
        return " ".join(pdf_text(pdf).split())

    isolated = read_back(Wording("ar").prose(sentence))
    for run in ("+964 751 234 2550", "sblack@iom.int", "IOM", "DTM", "45%", "http://iraqdtm.iom.int/EmergencyTracking.aspx"):
        assert run in isolated, run
    # Left to the bidi algorithm, the phone number's groups come back reversed.
    assert "+964 751 234 2550" not in read_back(sentence)


def build_variant(tmp_path, **counts):
    outcome = build(load_config(write_project(tmp_path / "project", **counts)))
    return figure_paragraphs((outcome.folder / "report.html").read_text("utf-8"))


def test_a_single_forum_a_single_training_and_no_displacement(tmp_path):
    said = build_variant(tmp_path, iom=1, police=0, training=1, conference=0, workshop=0, participants=1,
                         displacement={})
    assert said["en"] == [
        "One CPF has been established in Iraq by IOM’s Community Policing programme. It is located in the retaken area "
        "of Qayara in Ninewa governorate.",
        "Through the Community Policing programme, IOM has conducted one training, reaching one community member."]
    assert said["ar"] == [
        "تم إنشاء منتدى واحد للشرطة المجتمعية في العراق، أنشأه برنامج الشرطة المجتمعية التابع للمنظمة الدولية للهجرة. "
        "ويقع المنتدى في منطقة القيارة المستعادة في محافظة نينوى.",
        "نظمت المنظمة الدولية للهجرة من خلال برنامج الشرطة المجتمعية دورة تدريبية واحدة، استفاد من هذا النشاط واحد "
        "من أفراد المجتمع المحلي."]


def test_twos_take_the_dual_and_its_pronouns(tmp_path):
    day = dt.date(2017, 5, 2)
    said = build_variant(tmp_path, iom=1, police=1, qayara=False, training=0, conference=2, workshop=0, participants=5,
                         displacement={("mosul_operations", "displaced_cumulative"): (day, 2),
                                       ("mosul_operations", "displaced_current"): (day, 2)})
    assert said["en"][0].startswith("A total of two CPFs have been established across Iraq; one established by IOM’s")
    # One forum each way: "one … and the other" / "أحدهما … والآخر".
    assert said["en"][0] == ("A total of two CPFs have been established across Iraq; one established by IOM’s Community "
                             "Policing programme, and the other independently established by local police, building on "
                             "the CPF model.")
    assert said["ar"][0] == ("تم إنشاء منتديين للشرطة المجتمعية في العراق؛ أحدهما أنشأه برنامج الشرطة المجتمعية التابع "
                             "للمنظمة الدولية للهجرة، والآخر أنشأته الشرطة المحلية بشكل مستقل استناداً إلى نموذج منتديات "
                             "الشرطة المجتمعية.")
    assert said["ar"][1] == ("نظمت المنظمة الدولية للهجرة من خلال برنامج الشرطة المجتمعية مؤتمرين، "
                             "استفاد منهما خمسة من ضباط الشرطة وأفراد المجتمع المحلي.")
    assert said["en"][1].endswith("IOM has conducted two conferences, reaching five police officers and community members.")
    assert "بشكل تراكمي شخصين نازحين من الموصل" in said["ar"][2] and "ولا يزال اثنان منهم نازحَين حتى" in said["ar"][2]
    assert "has identified two individuals displaced from Mosul" in said["en"][2]
    assert "Of these, as of 2 May 2017, two are still displaced." in said["en"][2]


def test_threes_elevens_and_hundreds(tmp_path):
    said = build_variant(tmp_path, iom=103, police=0, qayara=False, training=3, conference=11, workshop=103,
                         participants=10_437, displacement={("national", "displaced_current"): (dt.date(2017, 4, 27), 1_100_000)})
    assert said["en"][0] == "A total of 103 CPFs have been established across Iraq, all by IOM’s Community Policing programme."
    assert said["ar"][0] == ("تم إنشاء ما مجموعه ١٠٣ منتديات للشرطة المجتمعية في جميع أنحاء العراق، وجميعها من إنشاء "
                             "برنامج الشرطة المجتمعية التابع للمنظمة الدولية للهجرة.")
    assert "has conducted three trainings, 11 conferences and 103 workshops, reaching over 10,000" in said["en"][1]
    assert "ثلاث دورات تدريبية و١١ مؤتمراً و١٠٣ ورش عمل، استفاد منها أكثر من ١٠ آلاف من" in said["ar"][1]
    assert "has identified 1.1 million currently displaced Iraqis" in said["en"][2]
    assert "رصدت مصفوفة المنظمة الدولية للهجرة لتتبع النزوح وجود ١٫١ مليون نازح عراقي حالياً" in said["ar"][2]


def test_no_police_forums_only_conferences_and_nothing_at_all(tmp_path):
    said = build_variant(tmp_path / "a", iom=7, police=0, training=0, conference=5, workshop=0, participants=47)
    assert said["en"][0].startswith("A total of seven CPFs have been established across Iraq, all by IOM’s")
    assert said["ar"][0].startswith("تم إنشاء ما مجموعه سبعة منتديات للشرطة المجتمعية في جميع أنحاء العراق، وجميعها من إنشاء")
    assert said["en"][1] == ("Through the Community Policing programme, IOM has conducted five conferences, reaching "
                             "47 police officers and community members.")
    assert "خمسة مؤتمرات، استفاد منها ٤٧ من ضباط الشرطة" in said["ar"][1]
    said = build_variant(tmp_path / "b", iom=0, police=0, training=0, conference=0, workshop=0, displacement={})
    assert said["en"] == ["No Community Policing Forums had been established by 31 May 2017.",
                          "No trainings, conferences or workshops had been held by 31 May 2017."]
    assert said["ar"] == ["لم يتم إنشاء أي منتدى للشرطة المجتمعية حتى ٣١ أيار ٢٠١٧.",
                          "لم تُنظَّم أي دورة تدريبية أو مؤتمر أو ورشة عمل حتى ٣١ أيار ٢٠١٧."]


def test_western_digits_when_the_config_says_so(tmp_path):
    config = write_project(tmp_path / "project")
    config.write_text(config.read_text("utf-8").replace('digits = "arabic"', 'digits = "western"'), "utf-8")
    outcome = build(load_config(config))
    said = figure_paragraphs((outcome.folder / "report.html").read_text("utf-8"))
    assert "20 دورة تدريبية وستة مؤتمرات وست ورش عمل" in said["ar"][1] and "استفاد منها 960 من" in said["ar"][1]
    assert "أكثر من 441 ألف شخص نازح" in said["ar"][2]


BROKEN_ARABIC = """{% import "paragraphs.html" as shared with context %}
{% macro forums() %}{{ shared.forums() }}{% endmacro %}
{% macro activities() %}نظمت المنظمة ٢١ دورة تدريبية وستة مؤتمرات وست ورش عمل.{% endmacro %}
{% macro displacement() %}{{ shared.displacement() }}{% endmacro %}
"""


def test_an_arabic_half_stating_other_figures_stops_the_build(tmp_path, cpreport_process):
    config = write_project(tmp_path / "project")
    (tmp_path / "project" / "templates").mkdir()
    (tmp_path / "project" / "templates" / "paragraphs_ar.html").write_text(BROKEN_ARABIC, "utf-8")
    config.write_text('templates = "templates"\n' + config.read_text("utf-8"), "utf-8")
    with pytest.raises(FiguresDisagree) as raised:
        build(load_config(config))
    assert list(map(str, raised.value.problems)) == ["the 'activities' paragraph states 20, 960 in en but 21 in ar"]
    assert not (tmp_path / "project" / "out" / "2017-05").exists()
    result = cpreport_process.run("build", "--config", str(config), cwd=tmp_path)
    assert result.returncode == EXIT_DISAGREE == 5
    assert "the 'activities' paragraph states 20, 960 in en but 21 in ar" in result.stderr
    assert "Traceback" not in result.stderr


def page(en: str, ar: str, paragraph: str = "x") -> str:
    """A report of two halves with one figure paragraph each, as the check reads it."""
    return (f'<article lang="en"><p data-figures="{paragraph}">{en}</p></article>'
            f'<article lang="ar"><p data-figures="{paragraph}">{ar}</p></article>')


def test_the_check_reads_number_words_duals_and_units_alike():
    check_halves(page("two conferences and 3.5 million", "مؤتمرين و٣٫٥ مليون"))
    check_halves(page("more than 105,000 as of 27 April", "أكثر من ١٠٥ آلاف حتى <bdi>٢٧ نيسان</bdi>"))
    with pytest.raises(FiguresDisagree):
        check_halves(page("six workshops", "سبع ورش عمل"))
    with pytest.raises(FiguresDisagree):
        check_halves(page("more than 441,000", "أكثر من ٤٤ ألف"))


def test_the_changes_paragraph_is_checked_too_and_a_dual_like_a_plural_is_read_by_its_number():
    check_halves(page("two workshops with two participants", "ورشتي عمل بمشاركة مشاركين اثنين", "changes"))
    check_halves(page("one workshop with no participants", "ورشة عمل واحدة دون مشاركين", "changes"))
    with pytest.raises(FiguresDisagree):
        check_halves(page("two workshops with 179 participants", "ورشتي عمل بمشاركة ١٧٨ مشاركاً", "changes"))


def test_both_halves_of_the_sample_mark_their_changes_paragraph_for_the_check(sample_build):
    html = (sample_build / "report.html").read_text("utf-8")
    assert html.count('data-figures="changes"') == 2


def test_another_count_shape_word_for_word(tmp_path):
    """Two forums one each way, 347 participants (111 of them in the month), two returnees and the date said once."""
    day = dt.date(2017, 5, 31)
    outcome = build(load_config(write_project(
        tmp_path / "project", iom=1, police=1, qayara=False, training=1, conference=2, workshop=0, participants=347,
        new_forums=1, new_activities=2, new_participants=111,
        displacement={("mosul_operations", "displaced_cumulative"): (day, 45_600),
                      ("mosul_operations", "returned_cumulative"): (day, 2),
                      ("mosul_operations", "displaced_current"): (day, 43_500)})))
    html = (outcome.folder / "report.html").read_text("utf-8")
    said = figure_paragraphs(html)
    assert said["en"] == [
        "A total of two CPFs have been established across Iraq; one established by IOM’s Community Policing programme, "
        "and the other independently established by local police, building on the CPF model.",
        "Through the Community Policing programme, IOM has conducted one training and two conferences, reaching 347 "
        "police officers and community members.",
        "Now more than seven months into the Mosul military operations, cumulatively, IOM DTM has identified more than "
        "45,000 individuals displaced from Mosul and adjacent districts since 17 October 2016. Of these, as of "
        "31 May 2017, two have returned to their areas of origin, and more than 43,000 are still displaced."]
    assert said["ar"] == [
        "تم إنشاء منتديين للشرطة المجتمعية في العراق؛ أحدهما أنشأه برنامج الشرطة المجتمعية التابع للمنظمة الدولية "
        "للهجرة، والآخر أنشأته الشرطة المحلية بشكل مستقل استناداً إلى نموذج منتديات الشرطة المجتمعية.",
        "نظمت المنظمة الدولية للهجرة من خلال برنامج الشرطة المجتمعية دورة تدريبية واحدة ومؤتمرين، استفاد منها ٣٤٧ "
        "من ضباط الشرطة وأفراد المجتمع المحلي.",
        "وبعد مرور أكثر من سبعة أشهر على بدء العمليات العسكرية في الموصل، رصدت مصفوفة المنظمة الدولية للهجرة لتتبع "
        "النزوح بشكل تراكمي أكثر من ٤٥ ألف شخص نازح من الموصل والمناطق المجاورة منذ ١٧ تشرين الأول ٢٠١٦. وحتى "
        "٣١ أيار ٢٠١٧، عاد اثنان منهم إلى مناطقهما الأصلية، ولا يزال أكثر من ٤٣ ألفاً منهم نازحين."]
    changes = [" ".join(re.sub(r"<[^>]+>", "", p).split()) for p in re.findall(r'<p class="changes"[^>]*>(.*?)</p>', html, re.S)]
    assert changes == [
        "In May 2017, one new CPF was established, bringing the total to two, and two conferences were held, with 111 "
        "participants.",
        "وفي أيار عام ٢٠١٧، تم إنشاء منتدى واحد للشرطة المجتمعية، ليصل مجموع المنتديات إلى اثنين، وتم تنظيم مؤتمرين "
        "بمشاركة ١١١ شخصاً."]


def test_two_forums_alike_are_both_and_more_are_all(tmp_path):
    said = build_variant(tmp_path / "two", iom=2, police=0, training=1, conference=1, workshop=1, participants=3,
                         displacement={})
    assert said["en"][0].startswith("A total of two CPFs have been established across Iraq, both by IOM’s Community")
    assert said["ar"][0].startswith("تم إنشاء منتديين للشرطة المجتمعية في العراق، وكلاهما من إنشاء برنامج")
    said = build_variant(tmp_path / "police", iom=0, police=2, training=1, conference=0, workshop=0, participants=3,
                         displacement={})
    assert said["en"][0].startswith("A total of two CPFs have been established across Iraq, both independently by local "
                                    "police, building on the CPF model.")
    assert said["ar"][0].startswith("تم إنشاء منتديين للشرطة المجتمعية في العراق، وكلاهما من إنشاء الشرطة المحلية")


def test_the_sample_heads_notes_and_quotation_marks(sample_build):
    html = (sample_build / "report.html").read_text("utf-8")
    halves = dict(re.findall(r'<article\b[^>]*\blang="(\w+)"[^>]*>(.*?)</article>', html, re.S))
    english, arabic = halves["en"], halves["ar"]

    def heads(half, table):
        found = re.search(rf'<table class="{table}"[^>]*>.*?</thead>', half, re.S).group(0)
        return [" ".join(re.sub(r"<[^>]+>", "", h).split()) for h in re.findall(r"<th\b[^>]*>(.*?)</th>", found, re.S)]

    assert heads(english, "period-figures") == ["", "May 2017", "Total as of 31 May 2017", "Total as of 30 April 2017"]
    assert heads(arabic, "period-figures") == ["", "أيار ٢٠١٧", "المجموع حتى ٣١ أيار ٢٠١٧", "المجموع حتى ٣٠ نيسان ٢٠١٧"]
    rows = re.findall(r"<tr><th>(.*?)</th>", re.search(r'<tbody>.*?</table>', english[english.index('class="period-figures"'):], re.S).group(0))
    assert rows == ["CPFs", "Established by IOM", "Established by local police", "Trainings", "Conferences", "Workshops",
                    "Participants", "Of whom women"]
    assert heads(arabic, 'data" data-table="displacement') == ["النطاق", "المؤشر", "عدد الأفراد", "التاريخ"]
    assert '<h2 id="pictures-ar">الأرقام بإيجاز</h2>' in arabic
    assert "يمثل كل مربع محافظةً في موقعها التقريبي، ويدل اللون الأغمق على عدد أكبر من المنتديات." in arabic
    assert "ورشات" not in arabic and "ورش العمل" in arabic
    # The narrative's straight quotes as each language writes them; no straight apostrophe in English prose.
    assert "«تعزيز الشرطة المجتمعية في العراق»" in arabic and '"' not in re.sub(r"<[^>]+>", "", arabic)
    assert "IOM Iraq’s" in english and "Iraq’s governorates" in english
    assert "'" not in re.sub(r"<[^>]+>", "", english).replace("&#39;", "'")
