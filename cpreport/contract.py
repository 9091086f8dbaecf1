"""The input contract: the three tables, their columns, aliases and allowed values."""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache, cache
from importlib import resources

# Kinds of column value; the validate stage has one parser per kind.
TEXT, ID, KEY, INTEGER, DATE, GOVERNORATE, CHOICE = "text", "id", "key", "integer", "date", "governorate", "choice"

_ARABIC_LETTER_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": None,
})
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670]")  # harakat and dagger alif
_NOT_WORD = re.compile(r"[^\w]+|_+")


@lru_cache(maxsize=8192, typed=True)  # headers, sheet names and the values of a few columns come back again and again
def fold(name: object) -> str:
    """Fold a header, sheet or value for matching: case, spaces, punctuation and Arabic spelling.

    "CPF ID" -> "cpf_id", "Name (EN)" -> "name_en", "المحافظة" and "المحافضة " alike.
    """
    text = unicodedata.normalize("NFKC", str(name)).replace("\u00a0", " ").lower()
    text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTER_FOLD)
    return _NOT_WORD.sub("_", text).strip("_")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: str | None = None  # name of an enumeration in CHOICES
    label_ar: str = ""

    @property
    def keys(self) -> set[str]:
        return {fold(self.name), fold(self.label_ar), *(fold(a) for a in self.aliases)}


@dataclass(frozen=True)
class Table:
    name: str
    title_en: str
    title_ar: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    id_column: str | None = None

    @property
    def keys(self) -> set[str]:
        return {fold(self.name), fold(self.title_ar), *(fold(a) for a in self.aliases)}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# Words with which a file's name says it is a copy of another ("activities - Copy.xlsx", "Copy of …", in French
# "copie", in Arabic "نسخة"): of two files with the same rows, the one named so is the one left out (CP006).
COPY_WORDS = ("copy", "copie", "نسخة")
COPY_NAME = re.compile(r"(?i)\(\d+\)|" + "|".join(rf"\b{re.escape(word)}\b" for word in COPY_WORDS))


def named_as_copy(file: str) -> bool:
    """Whether a file's name says it is a copy, as Windows, macOS and office suites name one ("Copy of …",
    "… - Copy", "… (1)")."""
    return bool(COPY_NAME.search(file.rsplit("/", 1)[-1]))

# The hidden sheet of drop-down lists in the workbooks `cpreport init` writes: cpreport's own, never data.
LISTS_SHEET = "lists"

# Group columns of `activities`: when given, they sum to `participants`.
PARTICIPANT_GROUPS = ("police", "community", "law_enforcement", "civil_society", "judiciary")

FORUMS = Table(
    "cpfs", "Community Policing Forums", "منتديات الشرطة المجتمعية",
    aliases=("cpf", "forums", "forum", "community policing forums", "منتديات", "المنتديات"),
    id_column="cpf_id",
    columns=(
        Column("cpf_id", ID, True, ("cpf", "forum id", "cpf no", "cpf code", "cpf number", "forum code", "id",
                                    "رمز المنتدى", "كود المنتدى"), label_ar="رقم المنتدى"),
        Column("name_en", TEXT, True, ("name", "forum name", "cpf name", "name english", "english name",
                                       "name in english", "forum name english", "الاسم بالإنجليزية",
                                       "اسم المنتدى بالإنكليزية", "اسم المنتدى بالإنجليزية"), label_ar="الاسم بالإنكليزية"),
        Column("name_ar", TEXT, False, ("name arabic", "arabic name", "name in arabic", "forum name arabic",
                                        "الاسم بالعربي", "الاسم", "اسم المنتدى", "اسم المنتدى بالعربية",
                                        "الاسم العربي"), label_ar="الاسم بالعربية"),
        Column("governorate", GOVERNORATE, True, ("province", "gov", "governorate name", "محافظة"), label_ar="المحافظة"),
        Column("district", TEXT, False, ("qadaa", "qada", "district name", "قضاء"), label_ar="القضاء"),
        Column("established_by", CHOICE, True, ("established by", "founded by", "by", "founder", "est by",
                                                "الجهة المؤسسة", "أسسها", "المؤسس"), "established_by",
               label_ar="جهة التأسيس"),
        Column("established_on", DATE, True, ("established", "date established", "establishment date",
                                              "date of establishment", "founded on", "founded", "date",
                                              "تاريخ الإنشاء", "تاريخ إنشاء المنتدى"), label_ar="تاريخ التأسيس"),
        Column("status", CHOICE, False, ("state", "forum status", "وضع", "الوضع", "حالة المنتدى"), "status",
               label_ar="الحالة"),
    ),
)

ACTIVITIES = Table(
    "activities", "Trainings, conferences and workshops", "الدورات التدريبية والمؤتمرات وورش العمل",
    aliases=("activity", "events", "trainings", "الأنشطة", "أنشطة", "النشاطات", "الفعاليات"),
    id_column="activity_id",
    columns=(
        Column("activity_id", ID, True, ("activity", "id", "event id", "activity no", "activity code",
                                         "activity number", "رمز النشاط", "كود النشاط"), label_ar="رقم النشاط"),
        Column("type", CHOICE, True, ("activity type", "type of activity", "kind", "النوع", "نوع الفعالية"),
               "activity_type", label_ar="نوع النشاط"),
        Column("title_en", TEXT, True, ("title", "activity title", "title english", "english title",
                                        "title in english", "العنوان بالإنجليزية", "عنوان النشاط بالإنكليزية"),
               label_ar="العنوان بالإنكليزية"),
        Column("title_ar", TEXT, False, ("title arabic", "arabic title", "title in arabic", "العنوان بالعربي",
                                         "العنوان", "عنوان النشاط"), label_ar="العنوان بالعربية"),
        Column("start_date", DATE, True, ("start", "date", "from", "date of activity", "activity date", "start on",
                                          "تاريخ النشاط", "تاريخ البداية", "التاريخ", "من"), label_ar="تاريخ البدء"),
        Column("end_date", DATE, False, ("end", "to", "end on", "تاريخ النهاية", "إلى", "لغاية"),
               label_ar="تاريخ الانتهاء"),
        Column("governorate", GOVERNORATE, True, ("province", "gov", "محافظة"), label_ar="المحافظة"),
        Column("cpf_id", ID, False, ("cpf", "forum", "forum id", "cpf code", "منتدى", "المنتدى"),
               label_ar="رقم المنتدى"),
        Column("participants", INTEGER, True, ("participants total", "total participants", "number of participants",
                                               "total number of participants",
                                               "no of participants", "attendance", "total", "attendees",
                                               "participant", "المشاركون", "المشاركين", "مجموع المشاركين",
                                               "العدد الكلي", "عدد المشاركين الكلي", "العدد الكلي للمشاركين"),
               label_ar="عدد المشاركين"),
        Column("female", INTEGER, False, ("women", "females", "female participants", "no of females",
                                          "number of women", "no of women", "f", "of whom female", "of whom women",
                                          "women participants", "female", "نساء", "النساء", "إناث", "عدد الإناث",
                                          "عدد النساء", "عدد المشاركات", "المشاركات", "عدد المشاركين الإناث",
                                          "المشاركون الإناث", "منهم إناث", "منهم نساء"), label_ar="الإناث"),
        Column("police", INTEGER, False, ("police officers", "ضباط الشرطة", "منتسبو الشرطة"), label_ar="الشرطة"),
        Column("community", INTEGER, False, ("community members", "المجتمع", "المجتمع المحلي"),
               label_ar="أفراد المجتمع"),
        Column("law_enforcement", INTEGER, False, ("law enforcement representatives", "جهات إنفاذ القانون"),
               label_ar="إنفاذ القانون"),
        Column("civil_society", INTEGER, False, ("civil society organizations", "civil society organisations", "cso",
                                                 "csos", "منظمات المجتمع المدني"), label_ar="المجتمع المدني"),
        # Not القضاء: that is a district (the cpfs sheet's header), and offices copy columns across sheets.
        Column("judiciary", INTEGER, False, ("judges", "judicial", "judiciary representatives", "القضاء والقضاة",
                                             "ممثلو القضاء"), label_ar="القضاة"),
    ),
)

DISPLACEMENT = Table(
    "displacement", "Displacement figures", "أرقام النزوح",
    aliases=("dtm", "displacement figures", "idps", "النزوح", "أرقام النزوح"),
    columns=(
        Column("as_of", DATE, True, ("as of", "date", "as of date", "اعتبارا من", "التاريخ", "لغاية"), label_ar="بتاريخ"),
        Column("scope", KEY, True, ("operation", "caseload", "crisis"), label_ar="النطاق"),
        Column("metric", CHOICE, True, ("indicator", "figure", "measure"), "metric", label_ar="المؤشر"),
        Column("governorate", GOVERNORATE, False, ("governorate of origin", "origin", "محافظة الأصل"), label_ar="المحافظة"),
        Column("individuals", INTEGER, True, ("individuals count", "number of individuals", "people", "persons",
                                              "value", "number", "count", "idps individuals", "individuals idps", "الأفراد", "العدد",
                                              "عدد الأشخاص"),
               label_ar="عدد الأفراد"),
    ),
)

# Cells that mean "nothing here" in the sheets field offices send.
# ("#N/A" is not one: it is Excel's error of a formula that found nothing, and is said as the cell shows it.)
PLACEHOLDERS = {"n/a", "na", "n.a.", "n.a", "none", "nil", "null", "لا يوجد", "لايوجد"}
DASHES = {"-", "--", "---", "—", "–", "_", "/", "."}
# A row whose only label is one of these adds up the others: it is not a row of its own.
TOTAL_WORDS = frozenset({"total", "totals", "grand total", "sum", "المجموع", "مجموع", "الإجمالي", "الاجمالي",
                         "إجمالي", "اجمالي", "المجموع الكلي", "الإجمالي الكلي", "الاجمالي الكلي", "المجموع الكلى"})


# In the governorate column of displacement figures, a row for the whole country: a DTM table lists governorates
# and then the total of them all, which is the figure of the whole scope.
WHOLE_COUNTRY = frozenset({"iraq", "all", "all governorates", "national", "nationwide", "whole country", "العراق",
                           "عموم العراق", "كل المحافظات", "جميع المحافظات", "كافة المحافظات"})


# Month names as typed in dates: the Iraqi (Levantine) Arabic names and the ones used across the Arab world.
ARABIC_MONTHS = (("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
                  "تشرين الثاني", "كانون الأول"),
                 ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
                  "ديسمبر"))

# What every total word has in it, as a quick test before the words themselves are compared.
TOTAL_STEMS = ("total", "sum", "مجموع", "جمالي")


def _plain_label(value: str) -> str:
    return " ".join(value.replace("\u00a0", " ").split()).lower().rstrip(":").strip()


def is_total_word(value: object) -> bool:
    return isinstance(value, str) and len(value) <= 24 and _plain_label(value) in TOTAL_WORDS


def is_whole_country(value: object) -> bool:
    """A governorate cell that stands for every governorate: "Total", "المجموع", "Iraq", "All governorates"."""
    return isinstance(value, str) and len(value) <= 24 and (_plain_label(value) in TOTAL_WORDS | WHOLE_COUNTRY)


TABLES: dict[str, Table] = {t.name: t for t in (FORUMS, ACTIVITIES, DISPLACEMENT)}

# Allowed values: canonical value -> (English label, Arabic label, other spellings).
CHOICES: dict[str, dict[str, tuple[str, str, tuple[str, ...]]]] = {
    "established_by": {
        "iom": ("IOM", "المنظمة الدولية للهجرة", ("programme", "program", "iom programme", "cp programme", "المنظمة", "البرنامج", "منظمة الهجرة")),
        "police": ("local police", "الشرطة المحلية", ("police", "local police", "الشرطة", "الشرطه المحليه", "independently", "mol", "moi")),
    },
    "status": {
        "active": ("active", "فعال", ("yes", "open", "نشط", "فعّال", "قائم")),
        "inactive": ("inactive", "غير فعال", ("no", "closed", "dormant", "غير نشط", "متوقف", "مغلق")),
    },
    "activity_type": {
        "training": ("training", "دورة تدريبية", ("trainings", "training course", "course", "تدريب", "دورة", "تدريبية")),
        "conference": ("conference", "مؤتمر", ("conferences", "مؤتمرات")),
        "workshop": ("workshop", "ورشة عمل", ("workshops", "ورشة", "ورش عمل", "ورشه")),
    },
    "metric": {
        "displaced_current": ("currently displaced", "النازحون حالياً", ("current displaced", "still displaced", "idps", "displaced", "نازحون حاليا", "النازحون")),
        "displaced_cumulative": ("displaced (cumulative)", "النازحون تراكمياً", ("cumulative displaced", "cumulative displacement", "total displaced", "النازحون تراكميا")),
        "returned_cumulative": ("returned (cumulative)", "العائدون تراكمياً", ("returned", "returnees", "returns", "cumulative returned", "العائدون", "عائدون")),
    },
}


@cache
def choice_lookup(enumeration: str) -> dict[str, str]:
    """Folded spelling -> canonical value, for one enumeration."""
    lookup: dict[str, str] = {}
    for value, (label_en, label_ar, others) in CHOICES[enumeration].items():
        for spelling in (value, label_en, label_ar, *others):
            lookup[fold(spelling)] = value
    return lookup


@dataclass(frozen=True)
class Governorate:
    pcode: str
    name_en: str
    name_ar: str
    variants: tuple[str, ...] = field(default=())


def _fold_place(name: object) -> str:
    """Fold a place name: also drop the article (al-, ال) and all separators."""
    folded = fold(name).replace("_", " ")
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in folded.split()]
    words = [w for w in words if w not in ("al", "el", "an", "as", "ad", "at", "governorate", "محافظه")]
    return "".join(words)


@cache
def governorates() -> tuple[Governorate, ...]:
    """Iraq's 18 governorates, from the gazetteer shipped with the package."""
    text = resources.files("cpreport").joinpath("data/governorates.csv").read_text("utf-8")
    return tuple(
        Governorate(r["pcode"], r["name_en"], r["name_ar"], tuple(v for v in r["variants"].split("|") if v))
        for r in csv.DictReader(text.splitlines())
    )


@cache
def governorate_lookup() -> dict[str, str]:
    """Folded spelling (English, Arabic, p-code) -> p-code."""
    lookup: dict[str, str] = {}
    for g in governorates():
        for spelling in (g.pcode, g.name_en, g.name_ar, *g.variants):
            lookup[_fold_place(spelling)] = g.pcode
    return lookup


def match_governorate(name: object) -> str | None:
    return governorate_lookup().get(_fold_place(name))


def governorate(pcode: str) -> Governorate:
    return next(g for g in governorates() if g.pcode == pcode)


# KoboToolbox and ODK exports: a file with one of these columns is an export (compared as written, lower case),
UNMISTAKABLE_META = frozenset({"_uuid", "_submission_time", "meta/instanceid", "instanceid", "submissiondate", "key"})
# and then these columns (and any other starting with "_", or in the meta or formhub group) are the form's
# bookkeeping, never the contract's columns: Kobo's start and end are when the form was filled in, not the dates
# of the activity.
META_COLUMNS = frozenset({
    "_id", "_uuid", "_index", "_parent_index", "_parent_table_name", "_submission_time", "_submitted_by",
    "_validation_status", "_status", "_notes", "_tags", "__version__", "_version_", "_xform_id_string",
    "_attachments", "_geolocation", "_duration", "_media_count", "_total_media", "start", "end", "today",
    "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit", "key", "parent_key",
    "submissiondate", "instanceid", "instancename", "deprecatedid", "rootuuid", "uuid",
})
META_GROUPS = ("meta/", "meta.", "meta:", "meta-", "formhub/", "formhub.", "formhub:", "formhub-")
# Between a question's groups and its name in an export's headers: group_activity/participants.
GROUP_SEPARATORS = re.compile(r"[/.:]")


# ODK Central writes these columns after a form's own, spelt so; a question of the form is written as its author
# named it (in lower case, almost always, and within its groups): in a Central export, these are its bookkeeping.
# An export is Central's when it has one of the first three, which no other tool writes.
CENTRAL_MARKS = frozenset({"SubmitterID", "ReviewState", "AttachmentsExpected"})
CENTRAL_META = CENTRAL_MARKS | {"SubmitterName", "AttachmentsPresent", "Status", "DeviceID", "Edits", "FormVersion"}


# A header that says its column holds a share ("Female (%)", "% women", "نسبة الإناث") names no count column,
# though its words are a count's: its percentages would be added up as people.
SHARE_MARKS = ("%", "\u066a", "\u2030")  # the percent sign, the Arabic percent sign, per mille
SHARE_WORDS = frozenset({"percent", "percentage", "pct", "share", "ratio", "proportion", "rate",
                         *(fold(word) for word in ("نسبة", "النسبة", "بالمئة", "بالمائة", "مئوية", "المئوية"))})


def says_share(header: object) -> bool:
    """Whether a header says its column holds a share (a percentage, a ratio) rather than a count."""
    text = str(header)
    return any(mark in text for mark in SHARE_MARKS) or not SHARE_WORDS.isdisjoint(fold(text).split("_"))


def is_export_header(cells) -> bool:
    """Whether a header row is a KoboToolbox or ODK export's: it has one of the unmistakable meta columns."""
    return any(isinstance(c, str) and c.strip().lower() in UNMISTAKABLE_META for c in cells)


def is_central_export(cells) -> bool:
    """Whether an export's header row is ODK Central's (its own columns, spelt as Central spells them)."""
    return any(isinstance(c, str) and c.strip() in CENTRAL_MARKS for c in cells)


def is_meta_column(header: str, central: bool = False) -> bool:
    """Whether an export's header is one of the form's meta columns (central: of an ODK Central export)."""
    text = header.strip().lower()
    last = GROUP_SEPARATORS.split(text)[-1]
    return text.startswith("_") or text.startswith(META_GROUPS) or text in META_COLUMNS or \
        (text != last and last in META_COLUMNS and text.startswith(("meta", "formhub"))) or \
        (central and header.strip() in CENTRAL_META)


def choice_flags(header) -> set[int]:
    """The columns of a header row that are one choice of a select_multiple question, as KoboToolbox and ODK write
    them beside the question's own column: "target_groups/female" (0 or 1) beside "target_groups". A choice
    named like a contract column ("female") is a tick, never a count of its own."""
    texts = {str(cell).strip() for cell in header if isinstance(cell, str) and cell.strip()}
    flags = set()
    for position, cell in enumerate(header):
        if isinstance(cell, str) and GROUP_SEPARATORS.search(cell):
            question = GROUP_SEPARATORS.split(cell.strip())[:-1]
            # The question's column, written with any of the separators between its groups.
            if any(text != cell.strip() and GROUP_SEPARATORS.split(text) == question for text in texts):
                flags.add(position)
        if isinstance(cell, str) and "-" in cell and cell.strip().rsplit("-", 1)[0] in texts:
            flags.add(position)  # ODK's dashes: "grp-target_groups-female" beside "grp-target_groups"
    return flags


def last_segment(header: str) -> str:
    """A grouped question's own name: "group_activity/participants" -> "participants"."""
    return GROUP_SEPARATORS.split(str(header).strip())[-1]


@dataclass(frozen=True)
class FileOptions:
    """What the config says of one file of the data folder, where the sniffer would guess wrong."""

    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None  # as the user numbers rows, from 1
    sheet: str | None = None  # the one sheet to read
    table: str | None = None  # the table the file holds, whatever its name


# What one file may ask of the machine (load/limits.py checks them; [limits] in the config changes them).
@dataclass(frozen=True)
class Limits:
    file_bytes: int = 1 << 30  # a sheet file on disk, and each part of a workbook once inflated
    cells: int = 30_000_000  # cells of one sheet (rows × columns): a million rows of 30 columns
    columns: int = 16_384  # columns of one sheet, as many as Excel has
    line_bytes: int = 1 << 20  # one line of a CSV
    cell_characters: int = 32_767  # one cell, as many as Excel holds
    # The memory the workbook reader may take for one workbook, as estimated from what its sheets hold before it
    # reads them (load/limits.py): a million rows of 15 columns are estimated at some 2 GB (a build of them peaks
    # at 1.5 GB, texts repeated down a long sheet being held once), so they pass with room to spare.
    reader_bytes: int = 3_000_000_000


LIMIT_KEYS = tuple(Limits.__dataclass_fields__)


@dataclass(frozen=True)
class Intake:
    """How this project's sheets are read beyond the built-in contract: its own headers and values for the
    contract's columns ([columns] and [values] in the config), per-file options ([files]), and folders that
    are not data (the output folder)."""

    columns: dict = field(default_factory=dict)  # table -> column -> headers (as written in the config)
    values: dict = field(default_factory=dict)  # table -> column -> {folded value: canonical value}
    files: dict = field(default_factory=dict)  # folded relative path -> FileOptions
    skip: tuple = ()  # resolved folders not to read
    limits: Limits | None = None  # [limits] in the config; None for the defaults

    def column_keys(self, table: Table) -> dict[str, str]:
        """Folded header -> column, for the table: the contract's aliases and this project's headers."""
        keys = {key: column.name for column in table.columns for key in column.keys}
        for column, headers in self.columns.get(table.name, {}).items():
            keys.update({fold(header): column for header in headers})
        return keys

    def options(self, relative: str) -> FileOptions:
        return self.files.get(fold_path(relative), FileOptions())

    def fingerprint(self) -> str:
        """What of the intake changes how a file reads: for the parse cache's key."""
        return repr((sorted((t, sorted((c, tuple(h)) for c, h in m.items())) for t, m in self.columns.items()),
                     sorted((t, sorted((c, sorted(v.items())) for c, v in m.items())) for t, m in self.values.items()),
                     sorted(self.files.items()), repr(self.limits)))


def fold_path(relative: str) -> str:
    """A path within the data folder as the config may write it: case and slashes do not matter."""
    return "/".join(part.lower() for part in re.split(r"[\\/]+", str(relative).strip()) if part and part != ".")


NEAREST_LONGEST = 120


def nearest(text: object, choices, cutoff: float = 0.75) -> str | None:
    """The choice closest to a text as written (spelling folded): "Anbaar" -> "Anbar"; None when none is close.
    A choice whose words all appear in the text is closest ("Total number of participants" for "participants")."""
    import difflib

    if len(str(text)) > NEAREST_LONGEST:
        return None  # no spelling of a name is this long, and comparing a long text costs its length squared
    folded = fold(text)
    if not folded:
        return None
    words = set(folded.split("_"))
    best, best_score = None, cutoff
    for choice in choices:
        key = fold(choice)
        if not key:
            continue
        score = difflib.SequenceMatcher(None, folded, key).ratio()
        if set(key.split("_")) <= words:
            score = max(score, 0.9)
        if score > best_score:
            best, best_score = choice, score
    return best
