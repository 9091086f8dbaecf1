"""How figures are said in English and Arabic: digits, dates, counted nouns, rounded amounts, and reading them back."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

# Babel (CLDR) gives the Arabic separators (٬ ٫) but keeps Latin digits; the digits are ours to swap.
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
WESTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٬٫", "01234567890123456789,.")
LOCALES = {"en": "en", "ar": "ar_IQ"}  # ar_IQ: Iraqi month names (كانون الثاني … أيار)
NOMINATIVE, ACCUSATIVE, GENITIVE = "nom", "acc", "gen"
ORDINAL_EN = ("first", "second", "third", "fourth")
# الربع and النصف are masculine: الأول، الثاني…
ORDINAL_AR = {"quarter": ("الربع", ("الأول", "الثاني", "الثالث", "الرابع")), "half": ("النصف", ("الأول", "الثاني"))}


def plain(text: str) -> str:
    """Arabic without its short-vowel marks and tatweel: "واحداً" -> "واحدا"."""
    return re.sub("[\u064b-\u065f\u0670\u0640]", "", text)


@dataclass(frozen=True)
class Noun:
    """A counted noun, declared once. Arabic forms are of the head (with its adjective or
    idafa); `ar_tail` is a complement that follows the whole count ("منتدى واحد للشرطة المجتمعية")."""

    en: str  # "" when the English sentence carries no noun there ("more than 358,000 are still displaced")
    en_plural: str
    ar: str  # singular, genitive: after 100, 1,000 and after ألف or مليون
    ar_plural: str  # after 3 to 10 (always genitive)
    ar_dual: tuple[str, str]  # nominative, accusative/genitive
    feminine: bool
    ar_accusative: str = ""  # indefinite accusative singular, after 11 to 99 (tamyiz); the singular if unmarked
    ar_tail: str = ""

    def accusative(self) -> str:
        return self.ar_accusative or self.ar

    def tail(self) -> str:
        return f" {self.ar_tail}" if self.ar_tail else ""

    @property
    def dual_like_plural(self) -> bool:
        """Whether the dual is spelled like the plural without its vowel marks (مشاركَين, مشاركِين):
        such a dual is followed by اثنان/اثنين so that two does not read as many."""
        return plain(self.ar_dual[1]) == plain(self.ar_plural)

    def dual(self, case: str) -> str:
        """The dual in the sentence's case, with اثنان/اثنين after it where it would read as a plural."""
        head = self.ar_dual[0 if case == NOMINATIVE else 1]
        if self.dual_like_plural:
            head += " " + AR_TWO[self.feminine][case == NOMINATIVE]
        return head


NOUNS = {
    "cpf": Noun("CPF", "CPFs", "منتدى", "منتديات", ("منتديان", "منتديين"), False, "منتدىً", "للشرطة المجتمعية"),
    "forum": Noun("forum", "forums", "منتدى", "منتديات", ("منتديان", "منتديين"), False, "منتدىً"),
    "training": Noun("training", "trainings", "دورة تدريبية", "دورات تدريبية",
                     ("دورتان تدريبيتان", "دورتين تدريبيتين"), True),
    "conference": Noun("conference", "conferences", "مؤتمر", "مؤتمرات", ("مؤتمران", "مؤتمرين"), False, "مؤتمراً"),
    # One plural for workshops in prose and tables alike: ورش عمل (ست ورش عمل، ورش العمل).
    "workshop": Noun("workshop", "workshops", "ورشة عمل", "ورش عمل", ("ورشتا عمل", "ورشتي عمل"), True),
    "activity": Noun("activity", "activities", "نشاط", "أنشطة", ("نشاطان", "نشاطين"), False, "نشاطاً"),
    "participant": Noun("participant", "participants", "مشارك", "مشاركين", ("مشاركان", "مشاركين"), False, "مشاركاً"),
    "month": Noun("month", "months", "شهر", "أشهر", ("شهران", "شهرين"), False, "شهراً"),
    "year": Noun("year", "years", "عام", "أعوام", ("عامان", "عامين"), False, "عاماً"),
    # People counted in the displacement sentences.
    "person": Noun("individual", "individuals", "شخص", "أشخاص", ("شخصان", "شخصين"), False, "شخصاً"),
    "displaced_person": Noun("individual", "individuals", "شخص نازح", "أشخاص نازحين",
                             ("شخصان نازحان", "شخصين نازحين"), False, "شخصاً نازحاً"),
    "displaced_iraqi": Noun("currently displaced Iraqi", "currently displaced Iraqis", "نازح عراقي", "نازحين عراقيين",
                            ("نازحان عراقيان", "نازحين عراقيين"), False, "نازحاً عراقياً"),
    "displaced": Noun("", "", "نازح", "نازحين", ("نازحان", "نازحين"), False, "نازحاً"),
}

EN_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# Three to ten take the gender opposite to the noun's: the form ending in ة with masculine nouns.
AR_WORDS_FOR_MASCULINE = {3: "ثلاثة", 4: "أربعة", 5: "خمسة", 6: "ستة", 7: "سبعة", 8: "ثمانية", 9: "تسعة", 10: "عشرة"}
AR_WORDS_FOR_FEMININE = {3: "ثلاث", 4: "أربع", 5: "خمس", 6: "ست", 7: "سبع", 8: "ثماني", 9: "تسع", 10: "عشر"}
# Two standing after its noun: (accusative/genitive, nominative), masculine then feminine.
AR_TWO = {False: ("اثنين", "اثنان"), True: ("اثنتين", "اثنتان")}
# Between a number and its unit (٤٤١ ألف, 3 million), so that a line never breaks inside an amount.
NBSP = "\u00a0"
# The units of rounded amounts: singular (also in construct), alone after 11 to 99, plural, dual alone, dual in construct.
AR_UNITS = {1000: ("ألف", "ألفاً", "آلاف", ("ألفان", "ألفين"), ("ألفا", "ألفي")),
            1_000_000: ("مليون", "مليوناً", "ملايين", ("مليونان", "مليونين"), ("مليونا", "مليوني"))}
PARTICIPANT_GROUP_WORDS = {  # English plural, English singular, Arabic
    "police": ("police officers", "police officer", "ضباط الشرطة"),
    "community": ("community members", "community member", "أفراد المجتمع المحلي"),
    "law_enforcement": ("law enforcement", "law enforcement representative", "إنفاذ القانون"),
    "civil_society": ("civil society", "civil society representative", "المجتمع المدني"),
    "judiciary": ("judiciary", "judiciary representative", "القضاة"),
}
REPRESENTED = {"law_enforcement", "civil_society", "judiciary"}  # "… representatives" in English
# Latin text inside Arabic prose: words, numbers, addresses, phone numbers, with the spaces between them.
LATIN_WORD = r"[+]?[A-Za-z0-9][A-Za-z0-9@._%+\-/:?=&#~']*"
LATIN_RUN = re.compile(rf"{LATIN_WORD}(?:[ \u00a0]+{LATIN_WORD})*")
# Phone numbers: groups of digits separated by spaces, kept on one line (+964 751 234 2550).
PHONE = re.compile(r"(?<![\w/@.+])\+?\d{1,4}(?:[ \u00a0]\d{2,5}){2,}(?![\w/@])")
LINK = re.compile(r"(https?://[^\s<]+[^\s<.,;:)]|[\w.+-]+@[\w-]+\.[\w.-]+\w)")


def form_class(n: int) -> int:
    """What decides the Arabic noun after n: n itself below 100, else its last two digits, where
    0, 1 and 2 (100, 101, 1,002) take the singular like 100."""
    if n < 100:
        return n
    rest = n % 100
    return 100 if rest in (0, 1, 2) else rest


def arabic_noun_form(n: int, noun: Noun, case: str = GENITIVE) -> str:
    """The noun after the written number n (digits), with its tail."""
    rest = form_class(n)
    if rest == 1:
        head = noun.ar
    elif rest == 2:
        head = noun.dual(case)
    elif 3 <= rest <= 10:
        head = noun.ar_plural
    elif 11 <= rest <= 99:
        head = noun.accusative()
    else:  # 0 and the hundreds
        head = noun.ar if n else noun.ar_plural
    return head + noun.tail()


@dataclass(frozen=True)
class Rounded:
    """An amount as prose states it: `count` of `unit` (1, 1,000 or 1,000,000), and whether that is exact."""

    exact: bool
    count: int | Decimal
    unit: int

    @property
    def value(self) -> int:
        return int(self.count * self.unit)


def rounded(n: int) -> Rounded:
    """Round down to what prose says: millions (one decimal below ten), thousands from 10,000,
    two significant digits from 1,000; below 1,000 the number itself ("111 police officers", never
    "over 110")."""
    if n >= 1_000_000:
        if n < 10_000_000:
            tenths = n // 100_000
            count = tenths // 10 if tenths % 10 == 0 else Decimal(tenths) / 10
            return Rounded(tenths * 100_000 == n, count, 1_000_000)
        return Rounded(n % 1_000_000 == 0, n // 1_000_000, 1_000_000)
    if n >= 10_000:
        return Rounded(n % 1000 == 0, n // 1000, 1000)
    if n >= 1000:
        step = 10 ** (len(str(n)) - 2)
        return Rounded(n % step == 0, n // step * step, 1)
    return Rounded(True, n, 1)


class Wording:
    """Says numbers, dates and counts in one language, in the house style."""

    def __init__(self, language: str, digits: str = "arabic"):
        self.language = language
        self.arabic_digits = language == "ar" and digits == "arabic"

    @property
    def rtl(self) -> bool:
        return self.language == "ar"

    @property
    def comma(self) -> str:
        """What separates the items of a list: the Arabic comma in Arabic."""
        return "، " if self.rtl else ", "

    @property
    def semicolon(self) -> str:
        return "؛ " if self.rtl else "; "

    @property
    def percent_sign(self) -> str:
        return "٪" if self.arabic_digits else "%"

    # Numbers and dates -------------------------------------------------------------------------
    def digits(self, text: object) -> str:
        text = str(text)
        return text.translate(ARABIC_DIGITS) if self.arabic_digits else text

    def number(self, n: float | int | Decimal) -> str:
        """1100 -> "1,100" in English, "١٬١٠٠" in Arabic (CLDR's Arabic separators, Arabic-Indic digits)."""
        if self.arabic_digits:
            return format_decimal(n, locale=LOCALES["ar"], numbering_system="arab").translate(ARABIC_DIGITS)
        return format_decimal(n, locale="en")

    def percent(self, share: float) -> Markup | str:
        """0.45 -> "45%" / "٤٥٪", isolated inside Arabic."""
        if self.arabic_digits:
            # Babel writes the Latin sign whatever the numbering system: the Arabic percent sign goes with Arabic digits.
            return self.isolate(format_percent(share, locale=LOCALES["ar"], numbering_system="arab")
                                .translate(ARABIC_DIGITS).replace("%", "٪"))
        return self.isolate(format_percent(share, locale=LOCALES[self.language]))

    def date(self, day: dt.date | None, year: bool = True) -> Markup | str:
        """27 April 2017 / ٢٧ نيسان ٢٠١٧ (isolated inside Arabic)."""
        if day is None:
            return ""
        said = format_date(day, "d MMMM y" if year else "d MMMM", locale=LOCALES[self.language])
        return self.isolate(self.digits(said))

    def month(self, day: dt.date) -> str:
        """January / كانون الثاني."""
        return format_date(day, "MMMM", locale=LOCALES[self.language])

    def month_year(self, day: dt.date) -> Markup | str:
        """January 2014 / كانون الثاني عام ٢٠١٤."""
        if self.language == "ar":
            return self.isolate(f"{self.month(day)} عام {self.digits(day.year)}")
        return f"{self.month(day)} {day.year}"

    # Periods -----------------------------------------------------------------------------------
    def period(self, period, heading: bool = False) -> Markup | str:
        """What a report covers, as a sentence says it: "May 2017", "the second quarter of 2017", "the first
        half of 2017", "2017", "the life of the project (March 2016 to May 2017)"; Arabic "أيار عام ٢٠١٧",
        "الربع الثاني من عام ٢٠١٧", "النصف الأول من عام ٢٠١٧", "عام ٢٠١٧", "مدة المشروع (من آذار عام ٢٠١٦
        إلى أيار عام ٢٠١٧)". `heading` drops English's leading "the" and capitalises."""
        kind = getattr(period, "kind", "month")
        if kind == "month":
            return self.month_year(period.start)
        year = self.digits(period.year)
        if self.language == "ar":
            if kind in ORDINAL_AR:
                said = f"{ORDINAL_AR[kind][0]} {ORDINAL_AR[kind][1][period.number - 1]} من عام {year}"
            elif kind == "year":
                said = f"عام {year}"
            else:
                said = Markup("مدة المشروع (من {} إلى {})").format(self.month_year(period.start),
                                                                  self.month_year(period.end.replace(day=1)))
            return self.isolate(said)
        if kind in ("quarter", "half"):
            said = f"the {ORDINAL_EN[period.number - 1]} {kind} of {year}"
        elif kind == "year":
            said = year
        else:
            said = f"the life of the project ({self.month_year(period.start)} to {self.month_year(period.end)})"
        if heading and kind != "project" and said.startswith("the "):
            said = said[4:5].upper() + said[5:]
        return said

    def during(self, period) -> Markup | str:
        """How the account of the period opens: "In May 2017", "In the second quarter of 2017", "Over the life
        of the project (…)" / "وفي أيار عام ٢٠١٧", "وخلال مدة المشروع (…)"."""
        from .i18n import translations

        catalog = translations(self.language)
        if getattr(period, "kind", "month") == "project":
            message = catalog.gettext("Over %(period)s")
        else:
            message = catalog.gettext("In %(period)s")
        return Markup(message) % {"period": self.period(period)}

    # Counts -----------------------------------------------------------------------------------
    def count(self, n: int, noun: str, case: str = ACCUSATIVE, words: bool = True, first: bool = False) -> str:
        """A count and its noun in agreement: "six conferences", "ستة مؤتمرات", "٢٠ دورة تدريبية".
        `case` is the case the sentence needs (it shows after 1 and 2); `first` capitalises English."""
        kind, n = NOUNS[noun], int(n)
        if self.language == "en":
            said = EN_WORDS[n] if words and n < 10 else self.number(n)
            name = kind.en if n == 1 else kind.en_plural
            said = f"{said} {name}" if name else said
            return said[:1].upper() + said[1:] if first else said
        if n == 0:
            return f"لا {kind.ar_plural}{kind.tail()}"
        if n == 1:
            if kind.feminine:
                return f"{kind.ar} واحدة{kind.tail()}"
            if case == ACCUSATIVE:
                return f"{kind.accusative()} واحداً{kind.tail()}"
            return f"{kind.ar} واحد{kind.tail()}"
        if n == 2:
            return kind.dual(case) + kind.tail()
        if n <= 10 and words:
            word = (AR_WORDS_FOR_FEMININE if kind.feminine else AR_WORDS_FOR_MASCULINE)[n]
            return f"{word} {kind.ar_plural}{kind.tail()}"
        return f"{self.number(n)} {arabic_noun_form(n, kind, case)}"

    def elapsed(self, months: int) -> str:
        """Time gone by, said after "more than": months below a year ("six months" / "ستة أشهر"),
        whole years from twelve months ("a year", "two years" / "عام", "عامين", "ثلاثة أعوام", "١١ عاماً")."""
        months = int(months)
        noun, n = ("year", months // 12) if months >= 12 else ("month", months)
        if n == 1:
            return f"a {NOUNS[noun].en}" if self.language == "en" else NOUNS[noun].ar
        if n == 10 and self.language == "en":
            return f"ten {NOUNS[noun].en_plural}"  # as Arabic does (عشرة أعوام): durations are spelled to ten
        return self.count(n, noun, GENITIVE)

    def count_list(self, counts, case: str = ACCUSATIVE) -> str:
        """Counts joined as a list, zeros left out: "20 trainings, six conferences and six workshops"."""
        parts = [self.count(n, noun, case) for n, noun in counts if n]
        if not parts:
            return self.count(0, counts[0][1], case) if counts else ""
        return self.join(parts)

    def join(self, names) -> str:
        """Names as a list: "Salah al-Din, Anbar and Ninewa" / "صلاح الدين والأنبار ونينوى"."""
        names = [str(n) for n in names]
        if len(names) < 2:
            return "".join(names)
        if self.language == "en":
            return ", ".join(names[:-1]) + " and " + names[-1]
        return " و".join(names)

    def amount(self, n: int, noun: str | None = None, case: str = NOMINATIVE) -> str:
        """A number standing for a noun said before it: "six" / "ستة" (منها); words below 10 (English)
        or 11 (Arabic), digits above."""
        n = int(n)
        if self.language == "en":
            return EN_WORDS[n] if 0 < n < 10 else self.number(n)
        feminine = NOUNS[noun].feminine if noun else False
        if n == 1:
            return "واحدة" if feminine else "واحد"
        if n == 2:
            nominative = case == NOMINATIVE
            return ("اثنتان" if nominative else "اثنتين") if feminine else ("اثنان" if nominative else "اثنين")
        if 3 <= n <= 10:
            return (AR_WORDS_FOR_FEMININE if feminine else AR_WORDS_FOR_MASCULINE)[n]
        return self.number(n)

    def participant_groups(self, groups, n: int = 2) -> str:
        """Who took part, in the seed's words: "police officers, … and judiciary representatives"."""
        groups = [g for g in PARTICIPANT_GROUP_WORDS if g in set(groups)]
        if self.language == "en":
            if int(n) == 1:
                return PARTICIPANT_GROUP_WORDS[groups[0]][1] if len(groups) == 1 else "participant"
            if not groups:
                return "participants"
            said = self.join(PARTICIPANT_GROUP_WORDS[g][0] for g in groups)
            return said + " representatives" if set(groups) & REPRESENTED else said
        if not groups:
            return "المشاركين"
        words, represented = [], [g for g in groups if g in ("law_enforcement", "civil_society")]
        for group in groups:
            if group in represented:
                if group == represented[0]:
                    words.append("ممثلي " + " و".join(PARTICIPANT_GROUP_WORDS[g][2] for g in represented))
                continue
            words.append(PARTICIPANT_GROUP_WORDS[group][2])
        return self.join(words)

    def li(self, name: str) -> str:
        """The preposition لـ joined to a name: "للمنظمة الدولية للهجرة"."""
        if self.language != "ar":
            return name
        return "لل" + name[2:] if name.startswith("ال") else "لـ" + name

    def possessive(self, owner: str, thing: str) -> str:
        """"IOM’s Community Policing programme" / "برنامج الشرطة المجتمعية التابع للمنظمة الدولية للهجرة"."""
        return f"{owner}’s {thing}" if self.language == "en" else f"{thing} التابع {self.li(owner)}"

    # Rounded amounts --------------------------------------------------------------------------
    def approx(self, n: int, noun: str | None = None, case: str = GENITIVE, followed: bool = False,
               over: bool = False) -> str:
        """"more than 441,000 individuals" / "أكثر من ٤٤١ ألف شخص نازح"; an exact round amount as it is.
        Without a noun the amount stands alone ("وقد عاد أكثر من ١٠٥ آلاف منهم"); `case` is the
        sentence's, for an exact amount (a rounded one follows أكثر من and is genitive). `followed`: a noun of
        the writer's own follows the amount ("أكثر من ٤٤١ ألف نازح"), so the unit takes the construct form.
        English says "more than", or "over" where the sentence asks for it (`over`, as the seed's "reaching over
        1,100"): one word for every amount of a sentence."""
        n = int(n)
        r = rounded(n)
        if r.exact and r.unit == 1:
            # Exact amounts below ten thousand are said as counts: words below ten, digits above.
            if noun:
                return self.count(n, noun, case)
            return self.amount(n, case=case)
        case = case if r.exact else GENITIVE
        if self.language == "en":
            kind = NOUNS[noun] if noun else None
            amount = f"{self.number(r.count)}{NBSP}million" if r.unit == 1_000_000 else self.number(r.value)
            if kind and kind.en_plural:
                amount = f"{amount} {kind.en_plural}"
            return amount if r.exact else f"{'over' if over else 'more than'} {amount}"
        amount = self._arabic_amount(r, NOUNS[noun] if noun else None, case, followed)
        return amount if r.exact else f"أكثر من {amount}"

    def _arabic_amount(self, r: Rounded, noun: Noun | None, case: str, followed: bool = False) -> str:
        if r.unit == 1:
            return f"{self.number(r.count)} {arabic_noun_form(int(r.count), noun, case)}" if noun \
                else self.number(r.count)
        single, alone, plural, dual, dual_construct = AR_UNITS[r.unit]
        followed = followed or noun is not None
        if r.count == 1:
            unit = single
        elif r.count == 2:
            unit = (dual_construct if followed else dual)[0 if case == NOMINATIVE else 1]
        else:
            rest = form_class(int(r.count)) if r.count == int(r.count) else 100
            if 3 <= rest <= 10:
                unit = plural
            elif 11 <= rest <= 99 and not followed:
                unit = alone
            else:
                unit = single
            unit = f"{self.number(r.count)}{NBSP}{unit}"
        return f"{unit} {noun.ar}{noun.tail()}" if noun is not None else unit

    # Bidirectional text --------------------------------------------------------------------------
    def isolate(self, text: object) -> Markup | str:
        """Dates, ids and Latin words inside Arabic prose, isolated so that the bidi algorithm keeps them whole."""
        return Markup("<bdi>{}</bdi>").format(text) if self.rtl else text

    def prose(self, text: str) -> Markup:
        """Text from the config or the narrative: escaped, addresses made links, phone numbers kept
        on one line, and inside Arabic every run of Latin text (names, addresses, phone numbers)
        isolated left to right."""
        def link(match: re.Match) -> str:
            target = match.group(0)
            href = target if target.startswith("http") else f"mailto:{target}"
            return f'<a href="{href}">{target}</a>'

        def phone(match: re.Match) -> str:
            number = match.group(0)
            if number.startswith("+") or sum(c.isdigit() for c in number) >= 7:
                return f'<span class="nowrap">{number}</span>'
            return number

        def latin(match: re.Match) -> str:
            run = match.group(0)
            kept = run.rstrip(".,;:)")
            return f'<bdi dir="ltr">{LINK.sub(link, PHONE.sub(phone, kept))}</bdi>{run[len(kept):]}'

        escaped = str(escape(text))
        if self.rtl:
            # Entities such as &#34; are escaping, not Latin text: keep them out of the runs.
            parts = re.split(r"(&[#\w]+;)", escaped)
            return Markup("".join(p if p.startswith("&") else LATIN_RUN.sub(latin, p) for p in parts))
        return Markup(LINK.sub(lambda m: f'<bdi dir="ltr">{link(m)}</bdi>', PHONE.sub(phone, escaped)))


# Reading figures back ---------------------------------------------------------------------------
EN_NUMBER_WORDS = {word: i for i, word in enumerate(EN_WORDS) if i}
EN_NUMBER_WORDS.update({"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5, "Six": 6, "Seven": 7, "Eight": 8,
                        "Nine": 9, "ten": 10, "Ten": 10})
AR_NUMBER_WORDS = {**{w: n for n, w in AR_WORDS_FOR_MASCULINE.items()}, **{w: n for n, w in AR_WORDS_FOR_FEMININE.items()},
                   "واحد": 1, "واحدة": 1, "واحداً": 1, "اثنان": 2, "اثنتان": 2, "اثنين": 2, "اثنتين": 2,
                   # "one … and the other" of two: أحدهما … والآخر (the other is no second figure in English either).
                   "أحدهما": 1, "إحداهما": 1}
AR_NUMBER_WORDS = {plain(w): n for w, n in AR_NUMBER_WORDS.items()}
AR_UNIT_WORDS = {plain(word): (unit, 1 if word in (single, alone, plural) else 2)
                 for unit, (single, alone, plural, dual, construct) in AR_UNITS.items()
                 for word in (single, alone, plural, *dual, *construct)}
NOUN_WORDS = {plain(word) for noun in NOUNS.values()
              for form in (noun.ar, noun.ar_plural, noun.accusative(), *noun.ar_dual) for word in form.split()}
NUMBER = re.compile(r"\d[\d,٬]*(?:[.٫]\d+)?")


def said_numbers(text: str, language: str) -> list[Decimal]:
    """Every number a figure sentence states, as a value: digits in either script with their
    separators, "million"/ألف/ملايين after them, number words, and Arabic duals (دورتان = 2).
    What `Wording` writes, read back; used to check that both halves state the same figures."""
    text = plain(re.sub(r"<[^>]+>", " ", text)).translate(WESTERN_DIGITS)
    tokens = re.findall(r"\d[\d,]*(?:\.\d+)?|[^\W\d_]+", text)
    values: list[Decimal] = []
    duals = {plain(noun.ar_dual[i].split()[0]) for noun in NOUNS.values() for i in (0, 1)}
    # A dual spelled like its plural (مشاركين) says nothing alone; the اثنين after it says the two.
    plural_looking = {plain(noun.ar_dual[i].split()[0]) for noun in NOUNS.values() if noun.dual_like_plural
                      for i in (0, 1)}
    # Nor is any word of such a dual (نازحان عراقيان) a noun that the اثنان after it only repeats.
    plural_looking_words = {plain(word) for noun in NOUNS.values() if noun.dual_like_plural
                            for form in noun.ar_dual for word in form.split()}
    for i, token in enumerate(tokens):
        word = token[1:] if language == "ar" and token.startswith("و") and token[1:] in (
            AR_NUMBER_WORDS.keys() | AR_UNIT_WORDS.keys() | duals) else token
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if NUMBER.fullmatch(token):
            value = Decimal(token.replace(",", ""))
            if language == "en" and following == "million":
                value *= 1_000_000
            elif language == "ar" and following in AR_UNIT_WORDS:
                value *= AR_UNIT_WORDS[following][0]
            values.append(value)
        elif language == "en" and word in EN_NUMBER_WORDS:
            values.append(Decimal(EN_NUMBER_WORDS[word]))
        elif language == "ar" and word in AR_NUMBER_WORDS:
            previous = tokens[i - 1] if i else ""
            # واحد/اثنان after a noun ("منتدى واحد") or alone ("واحد منها") is the figure itself, but
            # اثنان after a dual ("مشاركين اثنين") only repeats the dual's two.
            nouns = (NOUN_WORDS | duals) - plural_looking_words
            if AR_NUMBER_WORDS[word] == 2 and word == token and (
                    previous in nouns or previous.startswith("و") and previous[1:] in nouns):
                continue
            if not (word in ("واحد", "واحدة", "واحدا") and previous in AR_UNIT_WORDS):
                values.append(Decimal(AR_NUMBER_WORDS[word]) * (AR_UNIT_WORDS[following][0] if following in AR_UNIT_WORDS else 1))
        elif language == "ar" and word in AR_UNIT_WORDS:
            previous = tokens[i - 1] if i else ""
            if not (NUMBER.fullmatch(previous) or previous.lstrip("و") in AR_NUMBER_WORDS):
                unit, times = AR_UNIT_WORDS[word]
                values.append(Decimal(unit * times))
        elif language == "ar" and word in plural_looking:
            continue
        elif language == "ar" and word in duals:
            # A dual stands alone; the same letters after a number are a plural ("ستة نازحين").
            # A word after a number or a noun ("ستة نازحين"، "شخصين نازحين") is a plural or an
            # agreeing adjective, not a second figure; a new item of a list starts with و.
            previous = tokens[i - 1] if i else ""
            previous = previous[1:] if previous.startswith("و") and previous[1:] in NOUN_WORDS else previous
            if word != token or not (NUMBER.fullmatch(previous) or previous in AR_NUMBER_WORDS
                                     or previous in NOUN_WORDS):
                values.append(Decimal(2))
    return values
