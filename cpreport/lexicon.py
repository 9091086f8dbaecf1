"""The words the report counts with, as data: counted nouns with their Arabic forms (singular, plural, dual,
accusative), number words, the units of rounded amounts, participant groups, and the few particles that
join Arabic words (و، لـ، ال). Like the gazetteer in contract.py, this is a table of words, not prose:
the sentences around them are in the catalogs (cpreport/locale). cpreport/wording.py says them."""
from __future__ import annotations

import re
from dataclasses import dataclass

NOMINATIVE, ACCUSATIVE, GENITIVE = "nom", "acc", "gen"


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
    # The month's new forums ("two new CPFs"); in Arabic the forum's own forms.
    "new_cpf": Noun("new CPF", "new CPFs", "منتدى", "منتديات", ("منتديان", "منتديين"), False, "منتدىً", "للشرطة المجتمعية"),
    # Who took part in the month's activities: participants in English, persons in Arabic (بمشاركة ١٧٩ شخصاً, not
    # participation twice).
    "attendee": Noun("participant", "participants", "شخص", "أشخاص", ("شخصان", "شخصين"), False, "شخصاً"),
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
# One standing after its noun: feminine; masculine accusative (منتدىً واحداً); masculine nominative or genitive.
AR_ONE = {"feminine": "واحدة", ACCUSATIVE: "واحداً", NOMINATIVE: "واحد"}
# "one … and the other" of two: أحدهما … والآخر (the other is no second figure in English either).
AR_ONE_OF_TWO = ("أحدهما", "إحداهما")
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
# The particles that join Arabic words: "and" (written joined to the next word), the article, and the
# preposition li- with and without the article (للمنظمة، لـIOM).
AR_AND = "و"
AR_ARTICLE = "ال"
AR_LI_WITH_ARTICLE = "لل"
AR_LI = "لـ"
# Participants as a genitive noun of a group ("من المشاركين") and "representatives of" before groups.
AR_PARTICIPANTS = "المشاركين"
AR_REPRESENTATIVES_OF = "ممثلي"
