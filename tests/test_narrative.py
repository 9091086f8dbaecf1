"""The officer's own words, month by month: a narrative per period with its headline, Markdown, live figures in
both languages, the checks of unfinished text, [sections], the logo and the footer."""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import pdf_text
from report_variants import write_project

from cpreport.build import build
from cpreport.cli import main
from cpreport.config import load_config
from cpreport.errors import EXIT_DISAGREE, EXIT_USAGE

MAY = """# May 2017 in brief: {cpfs.total} forums

In May the programme held **{activities.training.in_period:count}** and reached *Sinjar*.

- {displacement.mosul_operations.displaced_cumulative:approx} displaced since {displacement.mosul_operations.displaced_cumulative:date}
- {activities.conference:count} in all

See the [DTM website](http://iraqdtm.iom.int) for more. <script>alert(1)</script> {{ config.data }} {% include "x" %}

## Forums

[[forums]]

[[activities]]
"""
MAY_AR = """# أيار ٢٠١٧ باختصار: {cpfs.total} منتدى

نظّم البرنامج في أيار **{activities.training.in_period:count}** ووصل إلى *سنجار*.

- {displacement.mosul_operations.displaced_cumulative:approx} نازح حتى {displacement.mosul_operations.displaced_cumulative:date}
- {activities.conference:count} في المجموع

انظر [موقع DTM](http://iraqdtm.iom.int) لمزيد من المعلومات.

## المنتديات

[[forums]]

[[activities]]
"""


def html_only(config: Path) -> Path:
    config.write_text(config.read_text("utf-8").replace('out = "out"', 'out = "out"\nformats = ["html"]'), "utf-8")
    return config


def own_narrative(config: Path, period: str, en: str, ar: str) -> None:
    folder = config.parent / "narrative" / period
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "en.md").write_text(en, "utf-8")
    (folder / "ar.md").write_text(ar, "utf-8")


def halves(html: str) -> dict[str, str]:
    return dict(re.findall(r'<article\b[^>]*\blang="(\w+)"[^>]*>(.*?)</article>', html, re.S))


def text_of(html: str) -> str:
    """The words of some HTML: inline tags dropped, block tags read as spaces."""
    inline = re.sub(r"</?(?:span|bdi|strong|em|a)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).split())


def test_a_month_uses_its_own_narrative_and_headline_and_another_month_keeps_its_own(sample, tmp_path):
    html_only(sample)
    own_narrative(sample, "2017-05", MAY, MAY_AR)
    may = build(load_config(sample))
    april = build(load_config(sample, period="2017-04"))
    may_html, april_html = ((o.folder / "report.html").read_text("utf-8") for o in (may, april))
    assert "May 2017 in brief: 49 forums" in text_of(halves(may_html)["en"])
    assert "أيار ٢٠١٧ باختصار:" in halves(may_html)["ar"] and "٤٩" in halves(may_html)["ar"]
    # April has no file of its own: it has the config's headline and the narrative shared by every month.
    assert "May 2017 in brief" not in april_html and "Chief of Mission" in april_html
    assert "UN Migration Agency, Iraq Ministry of the Interior Affirm Cooperation" in april_html
    assert json.loads((may.folder / "figures.json").read_text("utf-8"))["narrative"] == {
        "en": "narrative/2017-05/en.md", "ar": "narrative/2017-05/ar.md"}
    assert json.loads((april.folder / "figures.json").read_text("utf-8"))["narrative"] == {
        "en": "narrative/en.md", "ar": "narrative/ar.md"}



@pytest.mark.parametrize("period", ["2017-Q2", "2017-H1", "2017"])
def test_a_quarters_own_narrative_edited_is_built_again_never_up_to_date(sample, period):
    # A quarter's words of its own (narrative/2017-Q2/en.md) changed: the next build is not "Up to date" with
    # the old words in the report, in a run of its own or from the program's quick answer.
    html_only(sample)
    own_narrative(sample, period, "FIRST words of the period.\n\n[[forums]]\n", "الكلمات الأولى.\n\n[[forums]]\n")
    runner = CliRunner()
    first = runner.invoke(main, ["build", "--config", str(sample), "--period", period])
    assert first.exit_code == 0, first.output
    own_narrative(sample, period, "SECOND words of the period.\n\n[[forums]]\n", "الكلمات الثانية.\n\n[[forums]]\n")
    again = runner.invoke(main, ["build", "--config", str(sample), "--period", period])
    assert again.exit_code == 0 and "Up to date" not in again.output, again.output
    page = (sample.parent / "out" / period / "report.html").read_text("utf-8")
    assert "SECOND words" in page and "FIRST words" not in page and "الكلمات الثانية" in page

def test_all_periods_keeps_a_month_built_before_and_never_gives_it_another_months_words(sample, tmp_path):
    html_only(sample)
    build(load_config(sample, period="2017-04"))  # April, built alone from the shared narrative
    april_before = (sample.parent / "out" / "2017-04" / "report.html").read_bytes()
    (sample.parent / "narrative" / "en.md").write_text("May 2017 highlights.\n\n[[forums]]\n", "utf-8")
    (sample.parent / "narrative" / "ar.md").write_text("أبرز أحداث أيار ٢٠١٧.\n\n[[forums]]\n", "utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(sample), "--all-periods"])
    assert result.exit_code == 0, result.output
    out = sample.parent / "out"
    assert (out / "2017-04" / "report.html").read_bytes() == april_before
    assert "kept as built before, having no narrative of their own: 2017-04" in result.output
    assert "May 2017 highlights" in (out / "2017-05" / "report.html").read_text("utf-8")
    for month in ("2015-03", "2017-03"):
        page = (out / month / "report.html").read_text("utf-8")
        assert "May 2017 highlights" not in page and 'data-figures="forums"' in page


def test_the_heading_says_the_month_the_programme_and_the_donor(sample_build):
    english, arabic = (text_of(h) for h in halves((sample_build / "report.html").read_text("utf-8")).values())
    assert "Monthly report, May 2017 Community Policing programme, funded by the German Government" in english
    assert "التقرير الشهري، أيار ٢٠١٧ برنامج الشرطة المجتمعية، بتمويل من الحكومة الألمانية" in arabic


def test_markdown_comes_out_as_it_reads_and_raw_html_is_text(sample):
    html_only(sample)
    own_narrative(sample, "2017-05", MAY, MAY_AR)
    page = (build(load_config(sample)).folder / "report.html").read_text("utf-8")
    english, arabic = halves(page)["en"], halves(page)["ar"]
    assert "<strong><span" in english and "<em>Sinjar</em>" in english and "*" not in text_of(english)
    assert re.search(r"<ul>\s*<li>.*?</li>\s*<li>.*?</li>\s*</ul>", english, re.S)
    assert '<a href="http://iraqdtm.iom.int">DTM website</a>' in english
    assert '<h2 class="subheading">Forums</h2>' in english
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in english and "<script>" not in page
    assert '{{ config.data }} {% include “x” %}' in text_of(english)  # never a template; its quotes made curly
    # Inside Arabic a link keeps to itself, and its Latin text is not reordered with the sentence.
    assert '<bdi><a href="http://iraqdtm.iom.int">موقع DTM</a></bdi>' in arabic
    assert "<em>سنجار</em>" in arabic and '<p><span class="dateline">العراق – </span>' in arabic


def test_live_figures_are_said_in_each_half_in_its_grammar(sample):
    html_only(sample)
    own_narrative(sample, "2017-05", MAY, MAY_AR)
    page = (build(load_config(sample)).folder / "report.html").read_text("utf-8")
    english, arabic = (text_of(h) for h in halves(page).values())
    assert "held two trainings and reached Sinjar" in english
    assert "more than 441,000 displaced since 2 May 2017" in english and "six conferences in all" in english
    assert "في أيار دورتين تدريبيتين ووصل" in arabic
    assert "أكثر من ٤٤١ ألف نازح حتى ٢ أيار ٢٠١٧" in arabic and "ستة مؤتمرات في المجموع" in arabic


def test_a_share_is_said_as_a_percentage_and_spaces_inside_the_braces_are_read(sample):
    # Indicator 2.2 is the share of women among participants (a fraction in figures.json): never "0".
    html_only(sample)
    own_narrative(sample, "2017-05", "Women were { indicators.2.2 } of participants in {cpfs.total } forums.\n",
                  "كانت النساء {indicators.2.2} من المشاركين في {  cpfs.total} منتدى.\n")
    outcome = build(load_config(sample))
    share = json.loads((outcome.folder / "figures.json").read_text("utf-8"))["figures"]["indicators.2.2"]["value"]
    forums = json.loads((outcome.folder / "figures.json").read_text("utf-8"))["figures"]["cpfs.total"]["value"]
    percent = round(share * 100)
    assert 0 < percent < 100
    english, arabic = (text_of(h) for h in halves((outcome.folder / "report.html").read_text("utf-8")).values())
    assert f"Women were {percent}% of participants in {forums} forums." in english
    digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    assert f"كانت النساء {str(percent).translate(digits)}٪ من المشاركين في {str(forums).translate(digits)} منتدى" \
        in arabic
    assert "{" not in english + arabic
    # A share has no noun to be counted with.
    own_narrative(sample, "2017-05", "Women: {indicators.2.2:count}.\n", "النساء: {indicators.2.2:count}.\n")
    result = CliRunner().invoke(main, ["build", "--config", str(sample)])
    assert result.exit_code == EXIT_USAGE and "this figure is a share, said as a percentage; write {indicators.2.2}" \
        in result.output


@pytest.mark.parametrize(("conferences", "english", "arabic"), [
    (1, "one conference", "مؤتمراً واحداً"), (2, "two conferences", "مؤتمرين"), (3, "three conferences", "ثلاثة مؤتمرات"),
    (11, "11 conferences", "١١ مؤتمراً"), (103, "103 conferences", "١٠٣ مؤتمرات")])
def test_a_counted_figure_takes_the_grammar_of_its_number(tmp_path, conferences, english, arabic):
    config = write_project(tmp_path / "p", conference=conferences)
    own_narrative(config, "2017-05", "Held: {activities.conference:count}.\n", "نُظِّم {activities.conference:count}.\n")
    page = (build(load_config(config)).folder / "report.html").read_text("utf-8")
    said = {lang: text_of(h) for lang, h in halves(page).items()}
    assert f"Held: {english}." in said["en"] and f"نُظِّم {arabic}." in said["ar"]


def test_an_unknown_figure_names_the_file_the_line_and_the_nearest_key(sample):
    own_narrative(sample, "2017-05", "News.\n\nWe have {cpfs.totl} forums.\n", "أخبار {cpfs.total}.\n")
    result = CliRunner().invoke(main, ["build", "--config", str(sample)])
    assert result.exit_code == EXIT_USAGE
    assert "narrative/2017-05/en.md, line 3: {cpfs.totl} names no figure of 2017-05; did you mean {cpfs.total}?" \
        in result.output
    assert not (sample.parent / "out" / "2017-05").exists() and "Traceback" not in result.output


def test_halves_that_name_different_live_figures_stop_the_build(sample):
    own_narrative(sample, "2017-05", "We have {cpfs.total} forums.\n", "لدينا {cpfs.iom} منتدى.\n")
    result = CliRunner().invoke(main, ["build", "--config", str(sample)])
    assert result.exit_code == EXIT_DISAGREE, result.output
    assert "narrative" in result.output and "49" in result.output


def test_unfinished_text_is_a_warning_and_an_error_with_strict(tmp_path):
    project = tmp_path / "p"
    assert CliRunner().invoke(main, ["init", str(project)]).exit_code == 0
    runner = CliRunner()
    result = runner.invoke(main, ["validate", "--config", str(project / "cpreport.toml"), "--period", "2017-05"])
    assert "CP401" in result.output and "still holds the example text that `cpreport init` wrote" in result.output
    strict = runner.invoke(main, ["build", "--config", str(project / "cpreport.toml"), "--period", "2017-05",
                                  "--strict"])
    assert strict.exit_code == 1 and "CP401" in strict.output
    (project / "narrative" / "en.md").write_text("[[forums]]\n", "utf-8")
    (project / "narrative" / "2017-05").mkdir()
    (project / "narrative" / "2017-05" / "ar.md").write_text("أخبار أيار.\n", "utf-8")
    result = runner.invoke(main, ["validate", "--config", str(project / "cpreport.toml"), "--period", "2017-05"])
    assert "CP402" in result.output  # the English narrative has no words
    assert "CP403" in result.output and "add narrative/2017-05/en.md" in result.output


def test_sections_switch_parts_off_and_a_marker_left_out_leaves_its_paragraph_out(sample):
    html_only(sample)
    (sample.parent / "displacement.csv").unlink()
    sample.write_text(sample.read_text("utf-8") + "\n[sections]\ndisplacement = false\ncontacts = false\n", "utf-8")
    own_narrative(sample, "2017-05", "News.\n\n[[activities]]\n", "أخبار.\n\n[[activities]]\n")
    result = CliRunner().invoke(main, ["build", "--config", str(sample), "--strict"])
    assert result.exit_code == 0, result.output  # no sheet, no warning about it
    assert "CP003" not in result.output
    page = (sample.parent / "out" / "2017-05" / "report.html").read_text("utf-8")
    assert 'data-figures="activities"' in page and 'data-figures="forums"' not in page
    assert 'data-figures="displacement"' not in page and 'class="contacts"' not in page
    assert 'id="displacement-en"' not in page


def test_the_logo_is_embedded_in_the_html_and_drawn_in_the_pdf(sample, tmp_path):
    from PIL import Image

    Image.new("RGB", (120, 40), (11, 58, 110)).save(sample.parent / "logo.png")
    sample.write_text(sample.read_text("utf-8").replace('dateline =', 'logo = "logo.png"\ndateline ='), "utf-8")
    folder = build(load_config(sample)).folder
    assert '<img class="logo" src="data:image/png;base64,' in (folder / "report.html").read_text("utf-8")
    listed = subprocess.run(["pdfimages", "-list", str(folder / "report.pdf")], capture_output=True, text=True,
                            check=True).stdout
    assert re.search(r"^\s*1\s+0\s+image\s+120\s+40\b", listed, re.M), listed


@pytest.mark.parametrize("content", [None, b"not an image"])
def test_a_missing_or_unreadable_logo_is_a_config_error(sample, content):
    if content is not None:
        (sample.parent / "logo.svg").write_bytes(content)
    sample.write_text(sample.read_text("utf-8").replace('dateline =', 'logo = "logo.svg"\ndateline ='), "utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(sample)])
    assert result.exit_code == EXIT_USAGE and "'logo'" in result.output and "logo.svg" in result.output


def test_the_default_footer_speaks_to_the_donor_and_the_config_can_replace_it(sample_build, sample):
    footer = text_of(re.search(r"<footer.*?</footer>", (sample_build / "report.html").read_text("utf-8"), re.S)[0])
    assert footer.startswith("This report on May 2017 was prepared under the Community Policing programme, funded by "
                             "the German Government; its figures are counted")
    assert "up to 31 May 2017, in activities.xlsx" in footer and "cpreport" not in footer
    assert "أُعدّ هذا التقرير عن أيار ٢٠١٧ في إطار برنامج الشرطة المجتمعية بتمويل من الحكومة الألمانية، وحُسبت" in footer
    html_only(sample)
    sample.write_text(sample.read_text("utf-8").replace(
        'dateline =', 'footer = { en = "Our own footer", ar = "تذييلنا" }\ndateline ='), "utf-8")
    page = (build(load_config(sample)).folder / "report.html").read_text("utf-8")
    assert "Our own footer" in page and "تذييلنا" in page and "This report on May 2017" not in page



@pytest.mark.parametrize("period, said", [("2017-Q2", "This report on the second quarter of 2017 was prepared"),
                                          ("2017-H1", "This report on the first half of 2017 was prepared"),
                                          ("2017", "This report on 2017 was prepared")])
def test_the_footer_names_a_longer_period_as_a_sentence_does(sample, period, said):
    html_only(sample)
    page = (build(load_config(sample, period=period)).folder / "report.html").read_text("utf-8")
    footer = text_of(re.search(r"<footer.*?</footer>", page, re.S)[0])
    assert footer.startswith(said), footer

def test_the_pdf_shows_the_narrative_joined_and_right_to_left(sample):
    own_narrative(sample, "2017-05", MAY, MAY_AR)
    text = pdf_text(build(load_config(sample)).folder / "report.pdf")
    assert "May 2017 in brief: 49 forums" in text and "two trainings" in text
    assert "التقرير الشهري" in text and "ستة مؤتمرات في المجموع" in text


def test_a_figure_paragraph_marked_in_one_language_only_is_an_error_naming_the_file(sample):
    # [[activities]] left out of en.md: the build stopped with "the halves state different figures … check the
    # templates". It now names the narrative and the marker.
    narrative = sample.parent / "narrative" / "en.md"
    narrative.write_text(narrative.read_text("utf-8").replace("[[activities]]", ""), "utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(sample)])
    assert result.exit_code == 1, result.output
    assert "CP405" in result.output and "[[activities]]" in result.output and "narrative/en.md" in result.output
    assert "check the templates" not in result.output


@pytest.mark.parametrize("en, ar, code, line, value", [
    # A marker misspelt in both files (one translated from the other): printed as typed, its paragraph gone.
    ("May.\n\n[[forums]]\n\n[[activites]]\n", "أيار.\n\n[[forums]]\n\n[[activites]]\n", "CP406", 5, "[[activites]]"),
    # A marker inside a line of text (a list item): printed as typed.
    ("May.\n\n- [[forums]]\n", "أيار.\n\n- [[forums]]\n", "CP407", 3, "[[forums]]"),
    # A figure's brace never closed: printed as typed.
    ("We now have {cpfs.total forums.\n", "لدينا {cpfs.total منتدى.\n", "CP409", 1, "{cpfs.total"),
])
def test_what_the_report_would_print_as_typed_is_an_error_with_its_line(sample, en, ar, code, line, value):
    html_only(sample)
    own_narrative(sample, "2017-05", en, ar)
    result = CliRunner().invoke(main, ["build", "--config", str(sample)])
    assert result.exit_code == 1, result.output
    assert f"ERROR   {code} line {line}: " in result.output and value in result.output
    assert "errors in the narrative: no report was written" in result.output
    assert not (sample.parent / "out" / "2017-05" / "report.html").exists()
    arabic = CliRunner().invoke(main, ["validate", "--config", str(sample), "--lang", "ar"])
    assert f"خطأ {code} السطر " in arabic.output, arabic.output


def test_a_marker_given_twice_is_a_warning(sample):
    html_only(sample)
    own_narrative(sample, "2017-05", "May.\n\n[[forums]]\n\n[[forums]]\n", "أيار.\n\n[[forums]]\n")
    result = CliRunner().invoke(main, ["validate", "--config", str(sample)])
    assert "WARNING CP408 line 5: [[forums]] is in this narrative 2 times" in result.output, result.output


def test_a_month_with_its_own_words_in_one_language_only_is_an_error_naming_the_file_to_add(sample):
    # Its Arabic half would say the words every month shares: two reports in one (and, with a live figure, the
    # check of the halves stopped the build blaming the templates).
    html_only(sample)
    folder = sample.parent / "narrative" / "2017-04"
    folder.mkdir(parents=True)
    (folder / "en.md").write_text("April: {cpfs.total} forums.\n", "utf-8")
    result = CliRunner().invoke(main, ["build", "--config", str(sample), "--period", "2017-04"])
    assert result.exit_code == 1, result.output
    assert "ERROR   CP403" in result.output and "add narrative/2017-04/ar.md" in result.output
    assert "check the templates" not in result.output


def test_a_live_figure_that_names_no_figure_is_a_problem_of_the_narrative(sample):
    html_only(sample)
    own_narrative(sample, "2017-05", "We have {cpfs.totl} forums.\n", "لدينا {cpfs.totl} منتدى.\n")
    result = CliRunner().invoke(main, ["build", "--config", str(sample)])
    assert result.exit_code == EXIT_USAGE
    assert "The narrative has 1 problem:" in result.output and "options given" not in result.output
    assert "narrative/2017-05/en.md, line 1: {cpfs.totl} names no figure of 2017-05; did you mean {cpfs.total}?" \
        in result.output


def test_a_numbered_list_in_the_arabic_half_counts_in_its_digits(sample):
    own_narrative(sample, "2017-05", "May.\n\n1. first\n2. second\n\n[[forums]]\n",
                  "أيار.\n\n1. أولاً\n2. ثانياً\n\n[[forums]]\n")
    text = pdf_text(build(load_config(sample)).folder / "report.pdf")
    arabic = [line for line in text.splitlines() if "أولا" in line or "ثانيا" in line]
    assert len(arabic) == 2 and "١" in arabic[0] and "٢" in arabic[1], arabic
    assert not any(digit in "".join(arabic) for digit in "12")


@pytest.mark.parametrize("name, expected", [("2017-4", "2017-04"), ("2017-q2", "2017-Q2"), ("May 2017", "YYYY-MM")])
def test_a_folder_of_words_no_period_reads_is_a_warning_naming_the_name_it_needs(sample, name, expected):
    own_narrative(sample, name, "April.\n\n[[forums]]\n", "نيسان.\n\n[[forums]]\n")
    own_narrative(sample, "2017-05", "May.\n\n[[forums]]\n", "أيار.\n\n[[forums]]\n")  # read: nothing said of it
    result = CliRunner().invoke(main, ["validate", "--config", str(sample), "--period", "2017-05"])
    said = [line for line in result.output.splitlines() if "CP410" in line]
    assert len(said) == 1 and f"narrative/{name}/ is not named as a period" in said[0] and expected in said[0]


def test_validate_says_errors_of_the_narrative_alone_are_the_narratives(sample):
    own_narrative(sample, "2017-05", "May.\n\n[[activites]]\n", "أيار.\n\n[[activites]]\n")
    result = CliRunner().invoke(main, ["validate", "--config", str(sample), "--lang", "both"])
    assert result.exit_code == 1
    assert "2 errors in the narrative." in result.output and "خطآن في النص السردي." in result.output
    assert "errors in the sheets" not in result.output
