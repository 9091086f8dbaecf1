"""How figures are said in English and Arabic: digits, dates, counted nouns, rounded amounts, and reading them back."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup, escape

from .digits import ARABIC_COMMA, ARABIC_PERCENT, ARABIC_SEMICOLON, NUMBER_TO_WESTERN, TO_ARABIC
from .i18n import N_, translations
from .lexicon import (ACCUSATIVE, AR_AND, AR_ARTICLE, AR_LI, AR_LI_WITH_ARTICLE, AR_ONE, AR_ONE_OF_TWO,
                      AR_PARTICIPANTS, AR_REPRESENTATIVES_OF, AR_TWO, AR_UNITS, AR_WORDS_FOR_FEMININE,
                      AR_WORDS_FOR_MASCULINE, EN_WORDS, GENITIVE, NBSP, NOMINATIVE, NOUNS, PARTICIPANT_GROUP_WORDS,
                      REPRESENTED, Noun, plain)

__all__ = ["ACCUSATIVE", "GENITIVE", "NBSP", "NOMINATIVE", "NOUNS", "Noun", "Wording", "plain", "rounded", "said_numbers"]
# Babel (CLDR) gives the Arabic separators but keeps Latin digits; the digits are ours to swap (digits.py).
LOCALES = {"en": "en", "ar": "ar_IQ"}  # ar_IQ: the Iraqi month names (Kanun al-Thani … Ayyar)


# Latin text inside Arabic prose: words, numbers, addresses, phone numbers, with the spaces between them.
# Matched on the text as written (before escaping), so that an address's "&" or ";" never cuts it: a path
# (C:\Reports\May.docx), a handle (@IOMIraq, #CommunityPolicing), a tag typed as text (<b>) stay one run.
LATIN_WORD = r"[+@#<\\]?[A-Za-z0-9][A-Za-z0-9@._%+\-/\\:?=&#~'<>;,()!*$]*"
LATIN_RUN = re.compile(rf"{LATIN_WORD}(?:[ \u00a0]+{LATIN_WORD})*")
# Phone numbers: groups of digits separated by spaces, kept on one line (+964 751 234 2550).
PHONE = re.compile(r"(?<![\w/@.+])\+?\d{1,4}(?:[ \u00a0]\d{2,5}){2,}(?![\w/@])")
# A web address, with brackets it opens and closes (…/wiki/Mosul_(city)), never ending on a sentence's punctuation;
# a mail address.
LINK = re.compile(r"(https?://(?:[^\s<>()\"]|\([^\s<>()\"]*\))*(?:[^\s<>()\".,;:!?']|\([^\s<>()\"]*\))"
                  r"|[\w.+-]+@[\w-]+\.[\w.-]+\w)")
TRAILING = ".,;:!?'"  # a sentence's punctuation after a Latin run, left outside it


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


# What a quarter and a half-year are called, in the catalogs' words.
PERIOD_NAMES = {
    "quarter": (N_("the first quarter of %(year)s"), N_("the second quarter of %(year)s"),
                N_("the third quarter of %(year)s"), N_("the fourth quarter of %(year)s")),
    "half": (N_("the first half of %(year)s"), N_("the second half of %(year)s")),
}


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
        return ARABIC_COMMA + " " if self.rtl else ", "

    @property
    def semicolon(self) -> str:
        return ARABIC_SEMICOLON + " " if self.rtl else "; "

    @property
    def percent_sign(self) -> str:
        return ARABIC_PERCENT if self.arabic_digits else "%"

    # Numbers and dates -------------------------------------------------------------------------
    def digits(self, text: object) -> str:
        text = str(text)
        return text.translate(TO_ARABIC) if self.arabic_digits else text

    def gettext(self, message: str, **variables) -> str:
        """A message of the catalogs in this wording's language, its named placeholders filled."""
        said = translations(self.language).gettext(message)
        return said % variables if variables else said

    def number(self, n: float | int | Decimal) -> str:
        """1100 -> "1,100" in English; in Arabic with CLDR's Arabic separators and Arabic-Indic digits."""
        if self.arabic_digits:
            return format_decimal(n, locale=LOCALES["ar"], numbering_system="arab").translate(TO_ARABIC)
        return format_decimal(n, locale="en")

    def percent(self, share: float) -> Markup | str:
        """0.45 -> "45%"; in Arabic with Arabic-Indic digits and the Arabic percent sign, isolated."""
        if self.arabic_digits:
            # Babel writes the Latin sign whatever the numbering system: the Arabic percent sign goes with Arabic digits.
            return self.isolate(format_percent(share, locale=LOCALES["ar"], numbering_system="arab")
                                .translate(TO_ARABIC).replace("%", ARABIC_PERCENT))
        return self.isolate(format_percent(share, locale=LOCALES[self.language]))

    def date(self, day: dt.date | None, year: bool = True) -> Markup | str:
        """27 April 2017, and the same in Arabic with the Iraqi month name (isolated inside Arabic)."""
        if day is None:
            return ""
        said = format_date(day, "d MMMM y" if year else "d MMMM", locale=LOCALES[self.language])
        return self.isolate(self.digits(said))

    def month(self, day: dt.date) -> str:
        """January, or its Iraqi Arabic name."""
        return format_date(day, "MMMM", locale=LOCALES[self.language])

    def month_year(self, day: dt.date) -> Markup | str:
        """January 2014; in Arabic as the catalog says a month of a year, isolated."""
        said = self.gettext("%(month)s %(year)s", month=self.month(day), year=self.digits(day.year))
        return self.isolate(said) if self.rtl else said

    # Periods -----------------------------------------------------------------------------------
    def period(self, period, heading: bool = False) -> Markup | str:
        """What a report covers, as a sentence says it: "May 2017", "the second quarter of 2017", "the first
        half of 2017", "2017", "the life of the project (March 2016 to May 2017)", each from the catalogs in
        the wording's language. `heading` drops English's leading "the" and capitalises."""
        kind = getattr(period, "kind", "month")
        if kind == "month":
            return self.month_year(period.start)
        year = self.digits(period.year)
        if kind in ("quarter", "half"):
            said = self.gettext(PERIOD_NAMES[kind][period.number - 1], year=year)
        elif kind == "year":
            said = year if self.language == "en" else self.gettext("the year %(year)s", year=year)
        else:
            message = Markup(escape(self.gettext("the life of the project (%(start)s to %(end)s)")))
            said = message % {"start": self.month_year(period.start), "end": self.month_year(period.end.replace(day=1))}
        if self.rtl:
            return self.isolate(said)
        if heading and kind != "project" and said.startswith("the "):
            said = said[4:5].upper() + said[5:]
        return said

    def during(self, period) -> Markup | str:
        """How the account of the period opens: "In May 2017", "In the second quarter of 2017", "Over the life
        of the project (…)"."""
        catalog = translations(self.language)
        if getattr(period, "kind", "month") == "project":
            message = catalog.gettext("Over %(period)s")
        else:
            message = catalog.gettext("In %(period)s")
        return Markup(message) % {"period": self.period(period)}

    # Counts -----------------------------------------------------------------------------------
    def count(self, n: int, noun: str, case: str = ACCUSATIVE, words: bool = True, first: bool = False) -> str:
        """A count and its noun in agreement: "six conferences", and in Arabic the number word or digits with
        the noun's form for that number (tests/test_wording.py lists them).
        `case` is the case the sentence needs (it shows after 1 and 2); `first` capitalises English."""
        kind, n = NOUNS[noun], int(n)
        if self.language == "en":
            said = EN_WORDS[n] if words and n < 10 else self.number(n)
            name = kind.en if n == 1 else kind.en_plural
            said = f"{said} {name}" if name else said
            return said[:1].upper() + said[1:] if first else said
        if n == 0:
            return self.gettext("no %(things)s", things=f"{kind.ar_plural}{kind.tail()}")
        if n == 1:
            if kind.feminine:
                return f"{kind.ar} {AR_ONE['feminine']}{kind.tail()}"
            if case == ACCUSATIVE:
                return f"{kind.accusative()} {AR_ONE[ACCUSATIVE]}{kind.tail()}"
            return f"{kind.ar} {AR_ONE[NOMINATIVE]}{kind.tail()}"
        if n == 2:
            return kind.dual(case) + kind.tail()
        if n <= 10 and words:
            word = (AR_WORDS_FOR_FEMININE if kind.feminine else AR_WORDS_FOR_MASCULINE)[n]
            return f"{word} {kind.ar_plural}{kind.tail()}"
        return f"{self.number(n)} {arabic_noun_form(n, kind, case)}"

    def elapsed(self, months: int) -> str:
        """Time gone by, said after "more than": months below a year ("six months"), whole years from twelve
        months ("a year", "two years", "ten years", "12 years"), in Arabic alike."""
        months = int(months)
        noun, n = ("year", months // 12) if months >= 12 else ("month", months)
        if n == 1:
            return f"a {NOUNS[noun].en}" if self.language == "en" else NOUNS[noun].ar
        if n == 10 and self.language == "en":
            return f"ten {NOUNS[noun].en_plural}"  # as Arabic does: durations are spelled to ten
        return self.count(n, noun, GENITIVE)

    def count_list(self, counts, case: str = ACCUSATIVE) -> str:
        """Counts joined as a list, zeros left out: "20 trainings, six conferences and six workshops"."""
        parts = [self.count(n, noun, case) for n, noun in counts if n]
        if not parts:
            return self.count(0, counts[0][1], case) if counts else ""
        return self.join(parts)

    def join(self, names) -> str:
        """Names as a list: "Salah al-Din, Anbar and Ninewa"; in Arabic each after the first joined by "and"."""
        names = [str(n) for n in names]
        if len(names) < 2:
            return "".join(names)
        if self.language == "en":
            return ", ".join(names[:-1]) + " and " + names[-1]
        return f" {AR_AND}".join(names)

    def amount(self, n: int, noun: str | None = None, case: str = NOMINATIVE) -> str:
        """A number standing for a noun said before it ("six of them"): words below 10 (English) or 11
        (Arabic, in the noun's gender and the sentence's case), digits above."""
        n = int(n)
        if self.language == "en":
            return EN_WORDS[n] if 0 < n < 10 else self.number(n)
        feminine = NOUNS[noun].feminine if noun else False
        if n == 1:
            return AR_ONE["feminine"] if feminine else AR_ONE[NOMINATIVE]
        if n == 2:
            return AR_TWO[feminine][case == NOMINATIVE]
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
            return AR_PARTICIPANTS
        words, represented = [], [g for g in groups if g in ("law_enforcement", "civil_society")]
        for group in groups:
            if group in represented:
                if group == represented[0]:
                    words.append(f"{AR_REPRESENTATIVES_OF} " + f" {AR_AND}".join(
                        PARTICIPANT_GROUP_WORDS[g][2] for g in represented))
                continue
            words.append(PARTICIPANT_GROUP_WORDS[group][2])
        return self.join(words)

    def li(self, name: str) -> str:
        """The Arabic preposition li- joined to a name, the article's alif dropped after it."""
        if self.language != "ar":
            return name
        return AR_LI_WITH_ARTICLE + name[2:] if name.startswith(AR_ARTICLE) else AR_LI + name

    def possessive(self, owner: str, thing: str) -> str:
        """"IOM’s Community Policing programme"; in Arabic the thing first, then whose it is."""
        return self.gettext("%(owner)s’s %(thing)s", owner=self.li(owner), thing=thing)

    # Rounded amounts --------------------------------------------------------------------------
    def approx(self, n: int, noun: str | None = None, case: str = GENITIVE, followed: bool = False,
               over: bool = False) -> str:
        """"more than 441,000 individuals"; an exact round amount as it is. Without a noun the amount stands
        alone ("more than 105,000 of them"); `case` is the sentence's, for an exact amount (a rounded one
        follows "more than" and is genitive in Arabic). `followed`: a noun of the writer's own follows the
        amount, so the Arabic unit takes the construct form.
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
        else:
            amount = self._arabic_amount(r, NOUNS[noun] if noun else None, case, followed)
        if r.exact:
            return amount
        if over:
            return self.gettext("over %(amount)s", amount=amount)
        return self.gettext("more than %(amount)s", amount=amount)

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
            return f'<a href="{escape(href)}">{escape(target)}</a>'

        def number(match: re.Match) -> str:
            said = str(escape(match.group(0)))
            long = said.startswith("+") or sum(c.isdigit() for c in said) >= 7
            return f'<span class="nowrap">{said}</span>' if long else said

        def phone(text: str) -> str:
            """Escaped text, phone numbers kept on one line."""
            return _woven(PHONE, text, lambda between: str(escape(between)), number)

        def linked(text: str) -> str:
            """Escaped text, its addresses made links and its phone numbers kept on one line."""
            return _woven(LINK, text, phone, link)

        if not self.rtl:
            return Markup(_woven(LINK, text, phone, lambda match: f'<bdi dir="ltr">{link(match)}</bdi>'))
        # Inside Arabic, each run of Latin text isolated left to right, its closing punctuation left to the sentence
        # (a bracket only when it closes none the run opened).
        out, last = [], 0
        for match in LATIN_RUN.finditer(text):
            kept = match.group(0)
            while kept and (kept[-1] in TRAILING or kept[-1] == ")" and kept.count(")") > kept.count("(")):
                kept = kept[:-1]
            if not kept:
                continue
            out.append(str(escape(text[last:match.start()])))
            out.append(f'<bdi dir="ltr">{linked(kept)}</bdi>')
            last = match.start() + len(kept)
        return Markup("".join(out) + str(escape(text[last:])))


def _woven(pattern: re.Pattern, text: str, between, matched) -> str:
    """text made anew: each match of pattern by matched(match), the text between the matches by between(text)."""
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(between(text[last:match.start()]))
        out.append(matched(match))
        last = match.end()
    return "".join(out) + between(text[last:])


# Reading figures back ---------------------------------------------------------------------------
EN_NUMBER_WORDS = {word: i for i, word in enumerate(EN_WORDS) if i}
EN_NUMBER_WORDS.update({"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5, "Six": 6, "Seven": 7, "Eight": 8,
                        "Nine": 9, "ten": 10, "Ten": 10})
AR_NUMBER_WORDS = {**{w: n for n, w in AR_WORDS_FOR_MASCULINE.items()}, **{w: n for n, w in AR_WORDS_FOR_FEMININE.items()},
                   **{w: 1 for w in AR_ONE.values()}, **{w: 2 for forms in AR_TWO.values() for w in forms},
                   **{w: 1 for w in AR_ONE_OF_TWO}}
AR_NUMBER_WORDS = {plain(w): n for w, n in AR_NUMBER_WORDS.items()}
AR_ONES = {plain(w) for w in AR_ONE.values()}
AR_UNIT_WORDS = {plain(word): (unit, 1 if word in (single, alone, plural) else 2)
                 for unit, (single, alone, plural, dual, construct) in AR_UNITS.items()
                 for word in (single, alone, plural, *dual, *construct)}
NOUN_WORDS = {plain(word) for noun in NOUNS.values()
              for form in (noun.ar, noun.ar_plural, noun.accusative(), *noun.ar_dual) for word in form.split()}
NUMBER = re.compile(r"\d[\d,٬]*(?:[.٫]\d+)?")


def said_numbers(text: str, language: str) -> list[Decimal]:
    """Every number a figure sentence states, as a value: digits in either script with their
    separators, "million" and the Arabic units after them, number words, and Arabic duals (two by their ending).
    What `Wording` writes, read back; used to check that both halves state the same figures."""
    text = plain(re.sub(r"<[^>]+>", " ", text)).translate(NUMBER_TO_WESTERN)
    tokens = re.findall(r"\d[\d,]*(?:\.\d+)?|[^\W\d_]+", text)
    values: list[Decimal] = []
    duals = {plain(noun.ar_dual[i].split()[0]) for noun in NOUNS.values() for i in (0, 1)}
    # A dual spelled like its plural says nothing alone; the word for two after it says the two.
    plural_looking = {plain(noun.ar_dual[i].split()[0]) for noun in NOUNS.values() if noun.dual_like_plural
                      for i in (0, 1)}
    # Nor is any word of such a dual (noun and adjective) a noun that the two after it only repeats.
    plural_looking_words = {plain(word) for noun in NOUNS.values() if noun.dual_like_plural
                            for form in noun.ar_dual for word in form.split()}
    for i, token in enumerate(tokens):
        word = token[1:] if language == "ar" and token.startswith(AR_AND) and token[1:] in (
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
            # One or two after a noun ("one forum") or alone ("one of them") is the figure itself, but
            # two after a dual only repeats the dual's two.
            nouns = (NOUN_WORDS | duals) - plural_looking_words
            if AR_NUMBER_WORDS[word] == 2 and word == token and (
                    previous in nouns or previous.startswith(AR_AND) and previous[1:] in nouns):
                continue
            if not (word in AR_ONES and previous in AR_UNIT_WORDS):
                values.append(Decimal(AR_NUMBER_WORDS[word]) * (AR_UNIT_WORDS[following][0] if following in AR_UNIT_WORDS else 1))
        elif language == "ar" and word in AR_UNIT_WORDS:
            previous = tokens[i - 1] if i else ""
            if not (NUMBER.fullmatch(previous) or previous.lstrip(AR_AND) in AR_NUMBER_WORDS):
                unit, times = AR_UNIT_WORDS[word]
                values.append(Decimal(unit * times))
        elif language == "ar" and word in plural_looking:
            continue
        elif language == "ar" and word in duals:
            # A dual stands alone; the same letters after a number are a plural ("six displaced").
            # A word after a number or a noun is a plural or an agreeing adjective, not a second
            # figure; a new item of a list starts with "and".
            previous = tokens[i - 1] if i else ""
            previous = previous[1:] if previous.startswith(AR_AND) and previous[1:] in NOUN_WORDS else previous
            if word != token or not (NUMBER.fullmatch(previous) or previous in AR_NUMBER_WORDS
                                     or previous in NOUN_WORDS):
                values.append(Decimal(2))
    return values
