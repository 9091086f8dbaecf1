"""How counts, rounded amounts and dates are said: tables of the grammar for every form class, in both languages."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from cpreport.wording import ACCUSATIVE, GENITIVE, NOMINATIVE, NOUNS, Wording, rounded, said_numbers

EN, AR, AR_WESTERN = Wording("en"), Wording("ar"), Wording("ar", "western")
CLASSES = (0, 1, 2, 3, 10, 11, 99, 100, 102, 103, 110, 111, 199, 1000, 1_000_000)

# The Arabic a count must read as, per noun, for each form class (n: text); `acc`/`nom` where the case shows.
ARABIC = {
    "training": {0: "لا دورات تدريبية", 1: "دورة تدريبية واحدة", (2, ACCUSATIVE): "دورتين تدريبيتين",
                 (2, NOMINATIVE): "دورتان تدريبيتان", 3: "ثلاث دورات تدريبية", 10: "عشر دورات تدريبية",
                 11: "١١ دورة تدريبية", 99: "٩٩ دورة تدريبية", 100: "١٠٠ دورة تدريبية", 102: "١٠٢ دورة تدريبية",
                 103: "١٠٣ دورات تدريبية", 110: "١١٠ دورات تدريبية", 111: "١١١ دورة تدريبية",
                 199: "١٩٩ دورة تدريبية", 1000: "١٬٠٠٠ دورة تدريبية", 1_000_000: "١٬٠٠٠٬٠٠٠ دورة تدريبية"},
    "conference": {0: "لا مؤتمرات", (1, ACCUSATIVE): "مؤتمراً واحداً", (1, NOMINATIVE): "مؤتمر واحد",
                   (2, ACCUSATIVE): "مؤتمرين", (2, NOMINATIVE): "مؤتمران", 3: "ثلاثة مؤتمرات", 10: "عشرة مؤتمرات",
                   11: "١١ مؤتمراً", 99: "٩٩ مؤتمراً", 100: "١٠٠ مؤتمر", 102: "١٠٢ مؤتمر", 103: "١٠٣ مؤتمرات",
                   110: "١١٠ مؤتمرات", 111: "١١١ مؤتمراً", 199: "١٩٩ مؤتمراً", 1000: "١٬٠٠٠ مؤتمر",
                   1_000_000: "١٬٠٠٠٬٠٠٠ مؤتمر"},
    "workshop": {0: "لا ورش عمل", 1: "ورشة عمل واحدة", (2, ACCUSATIVE): "ورشتي عمل", (2, NOMINATIVE): "ورشتا عمل",
                 3: "ثلاث ورش عمل", 10: "عشر ورش عمل", 11: "١١ ورشة عمل", 99: "٩٩ ورشة عمل",
                 100: "١٠٠ ورشة عمل", 102: "١٠٢ ورشة عمل", 103: "١٠٣ ورش عمل", 110: "١١٠ ورش عمل",
                 111: "١١١ ورشة عمل", 199: "١٩٩ ورشة عمل", 1000: "١٬٠٠٠ ورشة عمل", 1_000_000: "١٬٠٠٠٬٠٠٠ ورشة عمل"},
    "cpf": {0: "لا منتديات للشرطة المجتمعية", (1, GENITIVE): "منتدى واحد للشرطة المجتمعية",
            (1, ACCUSATIVE): "منتدىً واحداً للشرطة المجتمعية", (2, GENITIVE): "منتديين للشرطة المجتمعية",
            (2, NOMINATIVE): "منتديان للشرطة المجتمعية", 3: "ثلاثة منتديات للشرطة المجتمعية",
            10: "عشرة منتديات للشرطة المجتمعية", 11: "١١ منتدىً للشرطة المجتمعية", 99: "٩٩ منتدىً للشرطة المجتمعية",
            100: "١٠٠ منتدى للشرطة المجتمعية", 102: "١٠٢ منتدى للشرطة المجتمعية",
            103: "١٠٣ منتديات للشرطة المجتمعية", 110: "١١٠ منتديات للشرطة المجتمعية",
            111: "١١١ منتدىً للشرطة المجتمعية", 199: "١٩٩ منتدىً للشرطة المجتمعية",
            1000: "١٬٠٠٠ منتدى للشرطة المجتمعية", 1_000_000: "١٬٠٠٠٬٠٠٠ منتدى للشرطة المجتمعية"},
    "month": {0: "لا أشهر", (1, GENITIVE): "شهر واحد", (2, GENITIVE): "شهرين", 3: "ثلاثة أشهر", 10: "عشرة أشهر",
              11: "١١ شهراً", 99: "٩٩ شهراً", 100: "١٠٠ شهر", 102: "١٠٢ شهر", 103: "١٠٣ أشهر", 110: "١١٠ أشهر",
              111: "١١١ شهراً", 199: "١٩٩ شهراً", 1000: "١٬٠٠٠ شهر", 1_000_000: "١٬٠٠٠٬٠٠٠ شهر"},
    "displaced_person": {0: "لا أشخاص نازحين", (1, ACCUSATIVE): "شخصاً نازحاً واحداً", (1, NOMINATIVE): "شخص نازح واحد",
                         (2, ACCUSATIVE): "شخصين نازحين", (2, NOMINATIVE): "شخصان نازحان", 3: "ثلاثة أشخاص نازحين",
                         10: "عشرة أشخاص نازحين", 11: "١١ شخصاً نازحاً", 99: "٩٩ شخصاً نازحاً", 100: "١٠٠ شخص نازح",
                         102: "١٠٢ شخص نازح", 103: "١٠٣ أشخاص نازحين", 110: "١١٠ أشخاص نازحين",
                         111: "١١١ شخصاً نازحاً", 199: "١٩٩ شخصاً نازحاً", 1000: "١٬٠٠٠ شخص نازح",
                         1_000_000: "١٬٠٠٠٬٠٠٠ شخص نازح"},
    "displaced_iraqi": {(1, ACCUSATIVE): "نازحاً عراقياً واحداً", (2, ACCUSATIVE): "نازحين عراقيين اثنين",
                        3: "ثلاثة نازحين عراقيين", 11: "١١ نازحاً عراقياً", 103: "١٠٣ نازحين عراقيين",
                        111: "١١١ نازحاً عراقياً", 1000: "١٬٠٠٠ نازح عراقي"},
    "displaced": {(1, NOMINATIVE): "نازح واحد", (2, NOMINATIVE): "نازحان اثنان", (2, GENITIVE): "نازحين اثنين", 6: "ستة نازحين", 20: "٢٠ نازحاً",
                  105: "١٠٥ نازحين", 200: "٢٠٠ نازح"},
    # The dual of مشارك is spelled like its plural (مشاركَين, مشاركِين): اثنان/اثنين says which it is.
    "participant": {0: "لا مشاركين", (1, GENITIVE): "مشارك واحد", (2, GENITIVE): "مشاركين اثنين",
                    (2, NOMINATIVE): "مشاركان اثنان", 3: "ثلاثة مشاركين", 10: "عشرة مشاركين", 11: "١١ مشاركاً",
                    99: "٩٩ مشاركاً", 100: "١٠٠ مشارك", 102: "١٠٢ مشارك", 103: "١٠٣ مشاركين", 110: "١١٠ مشاركين",
                    111: "١١١ مشاركاً", 199: "١٩٩ مشاركاً", 1000: "١٬٠٠٠ مشارك", 1_000_000: "١٬٠٠٠٬٠٠٠ مشارك"},
    "year": {0: "لا أعوام", (1, GENITIVE): "عام واحد", (2, GENITIVE): "عامين", (2, NOMINATIVE): "عامان",
             3: "ثلاثة أعوام", 10: "عشرة أعوام", 11: "١١ عاماً", 99: "٩٩ عاماً", 100: "١٠٠ عام", 102: "١٠٢ عام",
             103: "١٠٣ أعوام", 110: "١١٠ أعوام", 111: "١١١ عاماً", 199: "١٩٩ عاماً", 1000: "١٬٠٠٠ عام",
             1_000_000: "١٬٠٠٠٬٠٠٠ عام"},
}
ARABIC_ROWS = [(noun, key if isinstance(key, tuple) else (key, ACCUSATIVE), said)
               for noun, table in ARABIC.items() for key, said in table.items()]


@pytest.mark.parametrize("noun,key,said", ARABIC_ROWS, ids=[f"{n}-{k[0]}-{k[1]}" for n, k, _ in ARABIC_ROWS])
def test_arabic_counts_agree_with_their_number(noun, key, said):
    n, case = key
    assert AR.count(n, noun, case) == said


def test_every_noun_the_report_counts_has_a_row_for_every_form_class():
    for noun in ("training", "conference", "workshop", "cpf", "month", "year", "participant", "displaced_person"):
        assert {k if isinstance(k, int) else k[0] for k in ARABIC[noun]} == set(CLASSES)


ENGLISH = {"training": ("training", "trainings"), "conference": ("conference", "conferences"),
           "workshop": ("workshop", "workshops"), "cpf": ("CPF", "CPFs"), "month": ("month", "months"),
           "year": ("year", "years"), "participant": ("participant", "participants"), "displaced_person": ("individual", "individuals")}
ENGLISH_NUMBERS = {0: "no", 1: "one", 2: "two", 3: "three", 10: "10", 11: "11", 99: "99", 100: "100", 102: "102",
                   103: "103", 110: "110", 111: "111", 199: "199", 1000: "1,000", 1_000_000: "1,000,000"}


@pytest.mark.parametrize("noun", ENGLISH)
@pytest.mark.parametrize("n", CLASSES)
def test_english_counts_spell_one_to_nine_and_agree_in_number(noun, n):
    singular, plural = ENGLISH[noun]
    assert EN.count(n, noun) == f"{ENGLISH_NUMBERS[n]} {singular if n == 1 else plural}"


def test_english_never_says_1_training_and_spells_up_to_nine():
    assert EN.count(1, "training") == "one training"
    assert EN.count(6, "conference") == "six conferences"
    assert EN.count(9, "workshop") == "nine workshops"
    assert EN.count(20, "training") == "20 trainings"
    assert EN.count(1, "cpf", first=True) == "One CPF"


def test_lists_leave_zero_counts_out():
    held = [(20, "training"), (0, "conference"), (6, "workshop")]
    assert EN.count_list(held) == "20 trainings and six workshops"
    assert AR.count_list(held) == "٢٠ دورة تدريبية وست ورش عمل"
    assert AR.count_list([(20, "training"), (6, "conference"), (6, "workshop")]) == "٢٠ دورة تدريبية وستة مؤتمرات وست ورش عمل"


def test_a_number_standing_for_a_noun_takes_its_gender():
    assert [AR.amount(n, "cpf") for n in (1, 2, 6, 15)] == ["واحد", "اثنان", "ستة", "١٥"]
    assert [AR.amount(n, "training") for n in (1, 2, 6)] == ["واحدة", "اثنتان", "ست"]
    assert [EN.amount(n) for n in (1, 9, 10)] == ["one", "nine", "10"]


APPROX = [  # n, English, Arabic; "~" is a no-break space, which keeps a number and its unit on one line
    (441_327, "more than 441,000", "أكثر من ٤٤١~ألفاً"),
    (3_042_000, "more than 3~million", "أكثر من ٣~ملايين"),
    (1_137, "more than 1,100", "أكثر من ١٬١٠٠"),
    (105_732, "more than 105,000", "أكثر من ١٠٥~آلاف"),
    (358_656, "more than 358,000", "أكثر من ٣٥٨~ألفاً"),
    (12_500, "more than 12,000", "أكثر من ١٢~ألفاً"),
    (2_345_678, "more than 2.3~million", "أكثر من ٢٫٣~مليون"),
    (1_100_000, "1.1~million", "١٫١~مليون"),
    (25_400_000, "more than 25~million", "أكثر من ٢٥~مليوناً"),
    (2_530, "more than 2,500", "أكثر من ٢٬٥٠٠"),
    # Below 1,000 prose says the number itself, never "over 110" for 111.
    (111, "111", "١١١"),
    (347, "347", "٣٤٧"),
    (999, "999", "٩٩٩"),
    (441_000, "441,000", "٤٤١~ألفاً"),
    (3_000_000, "3~million", "٣~ملايين"),
    # Exact round millions are said like the others: "1 million", "2 million" / مليون، مليونان.
    (1_000_000, "1~million", "مليون"),
    (2_000_000, "2~million", "مليونان"),
    (1_050_000, "more than 1~million", "أكثر من مليون"),
    (1_100, "1,100", "١٬١٠٠"),
    (2_000, "2,000", "٢٬٠٠٠"),
    (3_000, "3,000", "٣٬٠٠٠"),
    (47, "47", "٤٧"),
    (6, "six", "ستة"),
]


def nb(text: str) -> str:
    return text.replace("~", "\u00a0")


@pytest.mark.parametrize("n,english,arabic", APPROX)
def test_prose_rounds_down_the_same_way_in_both_languages(n, english, arabic):
    assert (EN.approx(n), AR.approx(n, case=NOMINATIVE)) == (nb(english), nb(arabic))


def test_over_is_said_only_where_the_sentence_asks_for_it():
    # One word for every rounded amount of a sentence: "more than", or "over" throughout (the seed's "reaching over").
    assert EN.approx(9_150, over=True) == "over 9,100" and EN.approx(43_500, over=True) == "over 43,000"
    assert EN.approx(9_150) == "more than 9,100" and EN.approx(43_500) == "more than 43,000"
    assert EN.approx(111, over=True) == "111"


def test_a_rounded_amount_before_a_noun_takes_the_construct_and_the_noun_its_form():
    assert AR.approx(441_327, "displaced_person") == nb("أكثر من ٤٤١~ألف شخص نازح")
    assert AR.approx(3_042_288, "displaced_iraqi") == nb("أكثر من ٣~ملايين نازح عراقي")
    assert AR.approx(358_656, "displaced") == nb("أكثر من ٣٥٨~ألف نازح")
    assert AR.approx(2_437, "displaced_person") == "أكثر من ٢٬٤٠٠ شخص نازح"
    assert AR.approx(447, "displaced_person") == "٤٤٧ شخصاً نازحاً"
    assert AR.approx(2_130_000, "displaced") == nb("أكثر من ٢٫١~مليون نازح")
    assert AR.approx(2_050_000, "displaced") == "أكثر من مليوني نازح"
    assert AR.approx(2, "displaced", NOMINATIVE) == "نازحان اثنان"
    assert EN.approx(441_327, "displaced_person") == "more than 441,000 individuals"
    assert EN.approx(1, "displaced_person") == "one individual"
    assert EN.approx(358_656, "displaced") == "more than 358,000"


@pytest.mark.parametrize("n,case,english,arabic", [
    (1_000_000, NOMINATIVE, "1~million individuals", "مليون شخص نازح"),
    (2_000_000, NOMINATIVE, "2~million individuals", "مليونا شخص نازح"),
    (2_000_000, ACCUSATIVE, "2~million individuals", "مليوني شخص نازح"),
    (3_000_000, ACCUSATIVE, "3~million individuals", "٣~ملايين شخص نازح"),
    (100_000, ACCUSATIVE, "100,000 individuals", "١٠٠~ألف شخص نازح"),
    (2_000, ACCUSATIVE, "2,000 individuals", "٢٬٠٠٠ شخص نازح"),
])
def test_exact_round_amounts_are_said_one_way_whatever_their_size(n, case, english, arabic):
    assert (EN.approx(n, "displaced_person"), AR.approx(n, "displaced_person", case)) == (nb(english), nb(arabic))


@pytest.mark.parametrize("months,english,arabic", [
    (1, "a month", "شهر"), (6, "six months", "ستة أشهر"), (11, "11 months", "١١ شهراً"),
    (12, "a year", "عام"), (23, "a year", "عام"), (24, "two years", "عامين"), (36, "three years", "ثلاثة أعوام"),
    (120, "ten years", "عشرة أعوام"), (121, "ten years", "عشرة أعوام"), (132, "11 years", "١١ عاماً"),
    (1200, "100 years", "١٠٠ عام"),
])
def test_time_since_a_start_is_said_in_months_then_in_years(months, english, arabic):
    assert (EN.elapsed(months), AR.elapsed(months)) == (english, arabic)
    assert said_numbers(english, "en") == said_numbers(arabic, "ar")


def test_a_dual_spelled_like_its_plural_is_followed_by_two():
    looks_alike = {key for key, noun in NOUNS.items() if noun.dual_like_plural}
    assert looks_alike == {"participant", "displaced", "displaced_iraqi"}
    assert said_numbers("بمشاركة مشاركين اثنين ونازحان اثنان واثنان منها", "ar") == [2, 2, 2]


def test_rounding_keeps_exactness_in_whole_numbers():
    assert rounded(1_100_000).exact and rounded(3_000_000).exact and not rounded(3_042_000).exact
    assert rounded(441_327).value == 441_000 and rounded(1_137).value == 1_100 and rounded(2_345_678).value == 2_300_000


def test_digits_are_arabic_indic_unless_the_config_says_western():
    assert AR.number(1100) == "١٬١٠٠" and AR_WESTERN.number(1100) == "1,100"
    assert AR_WESTERN.count(20, "training") == "20 دورة تدريبية"


def test_dates_use_iraqi_month_names_and_are_isolated_in_arabic():
    day = dt.date(2017, 4, 27)
    assert EN.date(day) == "27 April 2017" and EN.date(dt.date(2017, 5, 2), year=False) == "2 May"
    assert AR.date(day) == "<bdi>٢٧ نيسان ٢٠١٧</bdi>"
    assert AR.month_year(dt.date(2014, 1, 1)) == "<bdi>كانون الثاني عام ٢٠١٤</bdi>"
    assert AR_WESTERN.date(dt.date(2016, 10, 17)) == "<bdi>17 تشرين الأول 2016</bdi>"
    assert [AR.month(dt.date(2017, m, 1)) for m in (1, 5, 10, 12)] == ["كانون الثاني", "أيار", "تشرين الأول", "كانون الأول"]


def test_latin_runs_inside_arabic_are_isolated_left_to_right():
    said = str(AR.prose("هاتف +964 751 234 2550، البريد: sblack@iom.int ومصفوفة DTM (IOM)."))
    assert '<bdi dir="ltr"><span class="nowrap">+964 751 234 2550</span></bdi>،' in said
    assert '<bdi dir="ltr"><a href="mailto:sblack@iom.int">sblack@iom.int</a></bdi>' in said
    assert '<bdi dir="ltr">DTM</bdi> (<bdi dir="ltr">IOM</bdi>).' in said
    assert str(EN.prose("Tel. +964 751 234 2550, ext")) == 'Tel. <span class="nowrap">+964 751 234 2550</span>, ext'
    # Only phone numbers are kept on one line, not any numbers that follow each other.
    assert str(EN.prose("as of 1 May 2017 2,000 left; rooms 12 14")) == "as of 1 May 2017 2,000 left; rooms 12 14"
    assert str(EN.prose("see http://iraqdtm.iom.int/x.aspx.")) == \
        'see <bdi dir="ltr"><a href="http://iraqdtm.iom.int/x.aspx">http://iraqdtm.iom.int/x.aspx</a></bdi>.'


def test_reading_figures_back_from_sentences():
    assert said_numbers("more than 441,000 individuals since 17 October 2016", "en") == [441000, 17, 2016]
    assert said_numbers("أكثر من ٤٤١ ألف شخص نازح منذ <bdi>١٧ تشرين الأول ٢٠١٦</bdi>", "ar") == [441000, 17, 2016]
    assert said_numbers("أكثر من ٣ ملايين نازح و١٠٥ آلاف منهم", "ar") == [3_000_000, 105_000]
    assert said_numbers("ستة مؤتمرات وست ورش عمل ومنتديين وشخصين نازحين ومؤتمراً واحداً", "ar") == [6, 6, 2, 2, 1]
    assert said_numbers("six conferences, two workshops and one CPF; 3.5 million", "en") == [6, 2, 1, 3_500_000]
    assert said_numbers("more than ten years; 2\u00a0million", "en") == [10, 2_000_000]
    assert said_numbers("أكثر من عشرة أعوام؛ مليونا شخص و٤٤١\u00a0ألف", "ar") == [10, 2_000_000, 441_000]


@given(st.integers(min_value=1, max_value=50_000_000), st.sampled_from(sorted(NOUNS)),
       st.sampled_from([NOMINATIVE, ACCUSATIVE, GENITIVE]))
def test_what_is_said_reads_back_as_the_same_figure_in_both_languages(n, noun, case):
    for english, arabic in ((EN.count(n, noun), AR.count(n, noun, case)),
                            (EN.approx(n, noun), AR.approx(n, noun, case)),
                            (EN.approx(n), AR.approx(n, case=case))):
        assert said_numbers(english, "en") == said_numbers(arabic, "ar") == said_numbers(
            english, "en")[:1], (english, arabic)


def test_a_dual_of_two_words_spelled_like_its_plural_reads_back_as_two():
    # "نازحان عراقيان اثنان": the اثنان says the two, after the dual's adjective as after its noun.
    for case in (NOMINATIVE, ACCUSATIVE, GENITIVE):
        arabic = AR.count(2, "displaced_iraqi", case)
        assert said_numbers(arabic, "ar") == said_numbers(EN.count(2, "displaced_iraqi"), "en") == [2], arabic


@pytest.mark.parametrize("typed, whole", [
    ("https://dtm.iom.int/reports?country=iraq&round=71", "https://dtm.iom.int/reports?country=iraq&amp;round=71"),
    ("https://example.org/a?q=x;y=z", "https://example.org/a?q=x;y=z"),
    ("https://en.wikipedia.org/wiki/Mosul_(city)", "https://en.wikipedia.org/wiki/Mosul_(city)"),
])
def test_a_web_address_inside_arabic_is_one_link_kept_whole(typed, whole):
    said = str(Wording("ar").prose(f"انظر {typed}، للمزيد."))
    assert f'<bdi dir="ltr"><a href="{whole}">{whole}</a></bdi>،' in said
    english = str(Wording("en").prose(f"See {typed}. More."))
    assert f'<a href="{whole}">{whole}</a></bdi>. More.' in english


@pytest.mark.parametrize("typed, shown", [
    ("C:\\Reports\\May 2017.docx", "C:\\Reports\\May 2017.docx"), ("@IOMIraq", "@IOMIraq"),
    ("#CommunityPolicing", "#CommunityPolicing"), ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
])
def test_latin_text_with_its_punctuation_is_one_run_inside_arabic(typed, shown):
    said = str(Wording("ar").prose(f"الملف {typed} هنا."))
    assert said == f'الملف <bdi dir="ltr">{shown}</bdi> هنا.'
