"""How figures are said in English and Arabic: digits, dates, counted nouns and rounded amounts."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

ARABIC_DIGITS = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")
WESTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫", "01234567890123456789,.")
LOCALES = {"en": "en", "ar": "ar_IQ"}  # ar_IQ: Iraqi month names (كانون الثاني … أيار)


@dataclass(frozen=True)
class Noun:
    """A counted noun, declared once: English forms, Arabic forms and gender."""

    en: str
    en_plural: str
    ar: str  # singular, as after 100 or 1,000 (genitive)
    ar_plural: str  # broken or sound plural, after 3 to 10
    ar_dual: tuple[str, str]  # nominative, accusative/genitive
    feminine: bool
    ar_accusative: str = ""  # singular after 11 to 99 (tamyiz); defaults to the singular

    def accusative(self) -> str:
        return self.ar_accusative or self.ar


NOUNS = {
    "training": Noun("training", "trainings", "دورة تدريبية", "دورات تدريبية", ("دورتان تدريبيتان", "دورتين تدريبيتين"), True),
    "conference": Noun("conference", "conferences", "مؤتمر", "مؤتمرات", ("مؤتمران", "مؤتمرين"), False, "مؤتمراً"),
    "workshop": Noun("workshop", "workshops", "ورشة عمل", "ورشات عمل", ("ورشتا عمل", "ورشتي عمل"), True),
    "forum": Noun("forum", "forums", "منتدى", "منتديات", ("منتديان", "منتديين"), False, "منتدىً"),
    "cpf": Noun("CPF", "CPFs", "منتدى للشرطة المجتمعية", "منتديات للشرطة المجتمعية",
                ("منتديان للشرطة المجتمعية", "منتديين للشرطة المجتمعية"), False, "منتدىً للشرطة المجتمعية"),
    "month": Noun("month", "months", "شهر", "أشهر", ("شهران", "شهرين"), False, "شهراً"),
    "activity": Noun("activity", "activities", "نشاط", "أنشطة", ("نشاطان", "نشاطين"), False, "نشاطاً"),
    "participant": Noun("participant", "participants", "مشارك", "مشاركين", ("مشاركان", "مشاركين"), False, "مشاركاً"),
    "thousand": Noun("thousand", "thousand", "ألف", "آلاف", ("ألفان", "ألفين"), False),
    "million": Noun("million", "million", "مليون", "ملايين", ("مليونان", "مليونين"), False),
}

EN_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Three to ten: the form ending in ة goes with masculine nouns, the bare form with feminine ones.
AR_WORDS_FOR_MASCULINE = {3: "ثلاثة", 4: "أربعة", 5: "خمسة", 6: "ستة", 7: "سبعة", 8: "ثمانية", 9: "تسعة", 10: "عشرة"}
AR_WORDS_FOR_FEMININE = {3: "ثلاث", 4: "أربع", 5: "خمس", 6: "ست", 7: "سبع", 8: "ثماني", 9: "تسع", 10: "عشر"}
PARTICIPANT_GROUP_WORDS = {
    "police": ("police officers", "ضباط الشرطة"),
    "community": ("community members", "أفراد المجتمع المحلي"),
    "law_enforcement": ("law enforcement", "إنفاذ القانون"),
    "civil_society": ("civil society", "المجتمع المدني"),
    "judiciary": ("judiciary", "القضاة"),
}
REPRESENTED = {"law_enforcement", "civil_society", "judiciary"}  # "… representatives" in English
NOMINATIVE, ACCUSATIVE, GENITIVE = "nom", "acc", "gen"


def arabic_noun_form(n: int, noun: Noun, case: str = GENITIVE) -> str:
    """The form of the noun after the number n, by Arabic grammar; the last two digits decide above 100."""
    rest = n % 100 if n >= 100 else n
    if n >= 100 and rest in (0, 1, 2):
        return noun.ar
    if rest == 1:
        return noun.ar
    if rest == 2:
        return noun.ar_dual[0 if case == NOMINATIVE else 1] if n < 100 else noun.ar
    if 3 <= rest <= 10:
        return noun.ar_plural
    if rest == 0:
        return noun.ar_plural
    return noun.accusative()


@dataclass(frozen=True)
class Rounded:
    """An amount as prose states it: "more than 441,000", "over 1,100", "3 million"."""

    exact: bool
    count: float  # of the unit
    unit: str | None  # None, "thousand" or "million"


def rounded(n: int) -> Rounded:
    """Round down to what prose says: whole millions (one decimal below ten), thousands, or two digits."""
    if n >= 1_000_000:
        count = n // 100_000 / 10 if n < 10_000_000 else n // 1_000_000
        if count == int(count):
            count = int(count)
        return Rounded(count * 1_000_000 == n, count, "million")
    if n >= 10_000:
        return Rounded(n % 1000 == 0, n // 1000, "thousand")
    if n >= 100:
        step = 10 ** (len(str(n)) - 2)
        return Rounded(n % step == 0, n // step * step, None)
    return Rounded(True, n, None)


class Wording:
    """Says numbers, dates and counts in one language, in the house style."""

    def __init__(self, language: str, digits: str = "arabic"):
        self.language = language
        self.arabic_digits = language == "ar" and digits == "arabic"

    @property
    def rtl(self) -> bool:
        return self.language == "ar"

    # Numbers and dates -------------------------------------------------------------------------
    def digits(self, text: object) -> str:
        text = str(text)
        return text.translate(ARABIC_DIGITS) if self.arabic_digits else text

    def number(self, n: float | int) -> str:
        """1100 -> "1,100" in English, "١٬١٠٠" in Arabic (Babel's separators, Arabic-Indic digits)."""
        if self.language == "ar" and self.arabic_digits:
            return format_decimal(n, locale="ar_IQ", numbering_system="arab").translate(ARABIC_DIGITS)
        return format_decimal(n, locale="en")

    def date(self, day: dt.date | None, year: bool = True) -> str:
        """27 April 2017 / ٢٧ نيسان ٢٠١٧."""
        if day is None:
            return ""
        return self.digits(format_date(day, "d MMMM y" if year else "d MMMM", locale=LOCALES[self.language]))

    def month(self, day: dt.date) -> str:
        """January / كانون الثاني."""
        return format_date(day, "MMMM", locale=LOCALES[self.language])

    def month_year(self, day: dt.date) -> str:
        """January 2014 / كانون الثاني عام ٢٠١٤."""
        if self.language == "ar":
            return f"{self.month(day)} عام {self.digits(day.year)}"
        return f"{self.month(day)} {day.year}"

    # Counts -----------------------------------------------------------------------------------
    def count(self, n: int, noun: str, case: str = ACCUSATIVE, words: bool = True) -> str:
        """A count and its noun in agreement: "six conferences", "ستة مؤتمرات", "٢٠ دورة تدريبية"."""
        kind = NOUNS[noun]
        n = int(n)
        if self.language == "en":
            name = kind.en if n == 1 else kind.en_plural
            said = EN_WORDS[n] if words and n < 10 else self.number(n)
            return f"{said} {name}"
        if n == 0:
            return f"{self.number(0)} {kind.ar_plural}"
        if n == 1:
            one = "واحدة" if kind.feminine else ("واحداً" if case == ACCUSATIVE else "واحد")
            return f"{kind.accusative() if case == ACCUSATIVE and not kind.feminine else kind.ar} {one}"
        if n == 2:
            return kind.ar_dual[0 if case == NOMINATIVE else 1]
        if n <= 10 and words:
            word = (AR_WORDS_FOR_FEMININE if kind.feminine else AR_WORDS_FOR_MASCULINE)[n]
            return f"{word} {kind.ar_plural}"
        return f"{self.number(n)} {arabic_noun_form(n, kind, case)}"

    def count_list(self, counts, case: str = ACCUSATIVE) -> str:
        """Counts joined as a list, zeros left out: "20 trainings, six conferences and six workshops"."""
        parts = [self.count(n, noun, case) for n, noun in counts if n]
        if not parts:
            return self.count(0, counts[0][1], case) if counts else ""
        if self.language == "en":
            return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return " و".join(parts)

    def join(self, names) -> str:
        """Names as a list: "Salah al-Din, Anbar and Ninewa" / "صلاح الدين والأنبار ونينوى"."""
        names = [str(n) for n in names]
        if len(names) < 2:
            return "".join(names)
        if self.language == "en":
            return ", ".join(names[:-1]) + " and " + names[-1]
        return " و".join(names)

    def amount(self, n: int, noun: str | None = None) -> str:
        """A number standing for a noun said before it: "six" / "ستة" (منها), digits from 10 or 11."""
        n = int(n)
        if self.language == "en":
            return EN_WORDS[n] if 0 < n < 10 else self.number(n)
        feminine = NOUNS[noun].feminine if noun else False
        if n == 1:
            return "واحدة" if feminine else "واحد"
        if n == 2:
            return "اثنتان" if feminine else "اثنان"
        if 3 <= n <= 10:
            return (AR_WORDS_FOR_FEMININE if feminine else AR_WORDS_FOR_MASCULINE)[n]
        return self.number(n)

    def participant_groups(self, groups) -> str:
        """Who took part, in the seed's words: "police officers, … and judiciary representatives"."""
        groups = [g for g in PARTICIPANT_GROUP_WORDS if g in set(groups)]
        if not groups:
            return "participants" if self.language == "en" else "المشاركين"
        if self.language == "en":
            words = [PARTICIPANT_GROUP_WORDS[g][0] for g in groups]
            said = self.join(words)
            return said + " representatives" if set(groups) & REPRESENTED else said
        words, represented = [], [g for g in groups if g in ("law_enforcement", "civil_society")]
        for group in groups:
            if group in represented:
                if group == represented[0]:
                    words.append("ممثلي " + " و".join(PARTICIPANT_GROUP_WORDS[g][1] for g in represented))
                continue
            words.append(PARTICIPANT_GROUP_WORDS[group][1])
        return self.join(words)

    def li(self, name: str) -> str:
        """The preposition لـ joined to a name: "للمنظمة الدولية للهجرة"."""
        if self.language != "ar":
            return name
        return "لل" + name[2:] if name.startswith("ال") else "لـ" + name

    # Rounded amounts --------------------------------------------------------------------------
    def approx(self, n: int) -> str:
        """"more than 441,000" / "أكثر من ٤٤١ ألف"; an exact round amount as it is."""
        r = rounded(int(n))
        if r.unit == "million":
            amount = f"{self.number(r.count)} million" if self.language == "en" else self._arabic_units(r.count, "million")
        elif r.unit == "thousand":
            amount = self.number(r.count * 1000) if self.language == "en" else self._arabic_units(r.count, "thousand")
        else:
            amount = self.number(r.count)
        if r.exact:
            return amount
        if self.language == "en":
            return f"{'over' if r.unit is None else 'more than'} {amount}"
        return f"أكثر من {amount}"

    def _arabic_units(self, count: float, unit: str) -> str:
        noun = NOUNS[unit]
        if count != int(count):
            return f"{self.number(count)} {noun.ar}"
        count = int(count)
        if count == 1:
            return noun.ar
        if count == 2:
            return noun.ar_dual[1]
        return f"{self.number(count)} {arabic_noun_form(count, noun)}"

    # Bidirectional text --------------------------------------------------------------------------
    def isolate(self, text: object) -> Markup:
        """Latin words, ids and dates inside Arabic prose, isolated so that the bidi algorithm keeps them whole."""
        return Markup("<bdi>{}</bdi>").format(escape(text)) if self.rtl else escape(text)
