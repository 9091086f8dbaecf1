"""The sample sheets, built end to end, state the figures of the May 2017 release in both languages."""
from __future__ import annotations

import json
import re
import subprocess

from conftest import SAMPLE, pdf_text


def figure(folder, key):
    return json.loads((folder / "figures.json").read_text("utf-8"))["figures"][key]


def test_the_build_writes_the_period_folder(sample_build):
    assert sample_build.name == "2017-05"
    assert {p.name for p in sample_build.iterdir()} == {
        "report.html", "report.pdf", "figures.json", "validation.csv", "validation.html", ".manifest.json", ".rows.json"}


def test_figures_json_holds_the_seed_figures(sample_build):
    assert figure(sample_build, "cpfs.total")["value"] == 49
    assert figure(sample_build, "cpfs.iom")["value"] == 34
    assert figure(sample_build, "cpfs.police")["value"] == 15
    assert figure(sample_build, "activities.training")["value"] == 20
    assert figure(sample_build, "activities.conference")["value"] == 6
    assert figure(sample_build, "activities.workshop")["value"] == 6
    # The sums of the sample sheets' cells, which the release rounds to its "over 1,100", "more than …".
    assert figure(sample_build, "participants.total")["value"] == 1137
    assert figure(sample_build, "displacement.national.displaced_current")["value"] == 3_042_288
    cumulative = figure(sample_build, "displacement.mosul_operations.displaced_cumulative")
    returned = figure(sample_build, "displacement.mosul_operations.returned_cumulative")
    current = figure(sample_build, "displacement.mosul_operations.displaced_current")
    assert (cumulative["value"], cumulative["as_of"]) == (441_354, "2017-05-02")
    assert (returned["value"], returned["as_of"]) == (105_732, "2017-04-27")
    assert (current["value"], current["as_of"]) == (358_656, "2017-05-02")


def test_every_figure_names_the_rows_it_comes_from(sample_build):
    forums = figure(sample_build, "cpfs.total")["sources"]
    assert forums == [{"file": "cpfs.xlsx", "sheet": "cpfs", "rows": "4-52"}]
    assert figure(sample_build, "displacement.mosul_operations.returned_cumulative")["sources"][0]["rows"] == "7"


def html_half(folder, language):
    html = (folder / "report.html").read_text("utf-8")
    match = re.search(rf'<article class="release" lang="{language}" dir="(\w+)"[^>]*>(.*?)</article>', html, re.S)
    return match.group(1), re.sub(r"<[^>]+>", "", match.group(2))


def test_the_english_half_states_the_seed_sentences(sample_build):
    direction, text = html_half(sample_build, "en")
    text = " ".join(text.split())
    assert direction == "ltr"
    assert "A total of 49 CPFs have been established across Iraq; 34 established by IOM’s Community Policing programme, and 15 independently established by local police" in text
    assert "CPF locations include the retaken area of Qayara in Ninewa governorate." in text
    assert "IOM has conducted 20 trainings, six conferences and six workshops, reaching over 1,100 police officers, community members, law enforcement, civil society and judiciary representatives." in text
    assert "has identified more than 3 million currently displaced Iraqis across the country since January 2014." in text
    assert "Now more than six months into the Mosul military operations" in text
    assert "more than 441,000 individuals displaced from Mosul and adjacent districts since 17 October 2016." in text
    assert "as of 27 April 2017, more than 105,000 have returned to their areas of origin, and as of 2 May, more than 358,000 are still displaced." in text


def test_the_arabic_half_states_the_seed_sentences(sample_build):
    direction, text = html_half(sample_build, "ar")
    text = " ".join(text.split())
    assert direction == "rtl"
    assert "تم إنشاء ما مجموعه ٤٩ منتدىً للشرطة المجتمعية في جميع أنحاء العراق؛ ٣٤ منها" in text
    assert "و١٥ منها أنشأتها الشرطة المحلية" in text
    assert "منطقة القيارة المستعادة في محافظة نينوى" in text
    assert "٢٠ دورة تدريبية وستة مؤتمرات وست ورش عمل، استفاد منها أكثر من ١٬١٠٠ من ضباط الشرطة" in text
    assert "رصدت مصفوفة المنظمة الدولية للهجرة لتتبع النزوح وجود أكثر من ٣ ملايين نازح عراقي حالياً في كافة أنحاء البلاد منذ كانون الثاني عام ٢٠١٤" in text
    assert "أكثر من ستة أشهر على بدء العمليات العسكرية في الموصل" in text
    assert "أكثر من ٤٤١ ألف شخص نازح من الموصل والمناطق المجاورة منذ ١٧ تشرين الأول ٢٠١٦" in text
    assert "وقد عاد أكثر من ١٠٥ آلاف منهم إلى مناطقهم الأصلية حتى ٢٧ نيسان ٢٠١٧" in text
    assert "، ولا يزال أكثر من ٣٥٨ ألفاً منهم نازحين حتى ٢ أيار." in text


def test_the_pdf_states_the_figures_in_both_languages_with_fonts_embedded(sample_build):
    pdf = sample_build / "report.pdf"
    text = " ".join(pdf_text(pdf).split())
    assert "A total of 49 CPFs have been established" in text
    assert "more than 441,000 individuals" in text
    # Amiri's lam-alef comes back as written (DejaVu's would read 'األمم').
    assert "الأمم المتحدة" in text
    for words in ("دورة تدريبية", "ستة مؤتمرات", "ست ورش عمل", "تشرين الأول", "نيسان"):
        assert words in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert any("Amiri" in line for line in fonts)
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column


def test_the_command_builds_from_any_folder(tmp_path, cpreport_process):
    out = tmp_path / "o"
    result = cpreport_process.run("build", "--config", str(SAMPLE / "cpreport.toml"), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Built the report for 2017-05" in result.stdout
    assert figure(out / "2017-05", "cpfs.total")["value"] == 49


def test_no_markup_of_ours_is_shown_as_text(sample_build):
    # The sample's texts have no "<", so an escaped tag can only be our own markup escaped twice,
    # in the page or in an aria-label that a screen reader would read aloud.
    html = (sample_build / "report.html").read_text("utf-8")
    assert "&lt;" not in html and "&amp;lt;" not in html
