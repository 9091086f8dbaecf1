"""Findings: what is wrong with the sheets, where, and how to fix it, in English and Arabic."""
from __future__ import annotations

import csv
import re
import io
from dataclasses import asdict, dataclass, field, replace
from enum import Enum

from .visible import visible

ERROR, WARNING, NOTE = "error", "warning", "note"
STRICT_EXEMPT = {"CP305", "CP501"}
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, NOTE: 2}


class Code(Enum):
    """Stable finding codes. Each carries its severity and message templates (English, Arabic)."""

    # Files and sheets
    CP001 = (ERROR, "The file cannot be read as a spreadsheet ({detail}). Open it in Excel or LibreOffice and save it again as .xlsx or .csv.",
             "تعذّرت قراءة الملف كجدول بيانات. افتحه في Excel أو LibreOffice واحفظه مجدداً بصيغة xlsx أو csv.")
    CP002 = (NOTE, "This file is not one of the tables cpfs, activities or displacement, so it was skipped.",
             "هذا الملف ليس أحد الجداول (cpfs أو activities أو displacement)، لذلك تم تجاوزه.")
    CP003 = (ERROR, "No '{table}' table was found in the data folder. Add a file or sheet named '{table}'.",
             "لم يُعثر على جدول '{table}' في مجلد البيانات. أضف ملفاً أو ورقة باسم '{table}'.")
    CP004 = (ERROR, "No header row was found in the first 20 rows. Put the column names ({expected}) in one row above the data.",
             "لم يُعثر على صف العناوين في أول ٢٠ صفاً. ضع أسماء الأعمدة ({expected}) في صف واحد فوق البيانات.")
    CP005 = (WARNING, "The sheet has a header but no data rows (rows of N/A, dashes or spaces alone are empty), so its figures are zero. Fill in the rows if there is data for this period.",
             "تحتوي الورقة على صف العناوين فقط دون بيانات (الصفوف التي لا تحوي إلا N/A أو شرطات أو مسافات تُعدّ فارغة)، لذا أرقامها صفر. أدخل البيانات إن وُجدت لهذه الفترة.")
    CP006 = (ERROR, "These rows of '{table}' are the same as those in {other}: the same sheet is given twice (a copy left beside the original?). They are counted once; remove one of the two.",
             "صفوف جدول {table_ar} هذه مطابقة لصفوف {other}: الورقة نفسها موجودة مرتين (ربما نسخة تُركت بجانب الأصل؟). احتُسبت مرة واحدة؛ احذف إحداهما.")
    CP007 = (NOTE, "Excel's lock file was skipped: it is left behind while the workbook is open.",
             "تم تجاوز ملف القفل الخاص ببرنامج Excel، فهو يُنشأ أثناء فتح المصنف.")
    CP008 = (ERROR, "The file or sheet is empty. Save the sheet again with its header and rows.",
             "الملف أو الورقة فارغة. احفظ الورقة مجدداً مع صف العناوين والبيانات.")
    CP009 = (ERROR, "The data folder {detail} does not exist. Check 'data' in the config or the --data option.",
             "مجلد البيانات {detail} غير موجود. تحقق من إعداد 'data' أو الخيار --data.")
    CP010 = (ERROR, "The file changed while it was being read, twice (is someone saving it?). Close it and build again.",
             "تغيّر الملف أثناء قراءته مرتين (هل يحفظه أحد الآن؟). أغلقه ثم أعد إنشاء التقرير.")
    CP011 = (ERROR, "The config names the sheet '{sheet}' for this file, but the file has no such sheet (it has {detail}). Correct the sheet's name under [files] in the config.",
             "يحدد ملف الإعدادات الورقة '{sheet}' لهذا الملف، لكن الملف لا يحوي ورقة بهذا الاسم (أوراقه: {detail}). صحّح اسم الورقة في قسم [files] من ملف الإعدادات.")
    CP015 = (ERROR, "The file is protected with a password, so it cannot be read. Open it, remove the password (File > Info > Protect Workbook), save it and run again.",
             "الملف محمي بكلمة مرور ولا يمكن قراءته. افتحه وأزل كلمة المرور (ملف > معلومات > حماية المصنف) ثم احفظه وأعد التشغيل.")
    CP016 = (ERROR, "The file is damaged or incomplete (it may have been cut off while copying). Copy it again from the original, or open it in Excel and save it again.",
             "الملف تالف أو غير مكتمل (ربما انقطع أثناء النسخ). انسخه مجدداً من الأصل، أو افتحه في Excel واحفظه مجدداً.")
    CP017 = (ERROR, "The file is a web page or XML export saved with a spreadsheet name, not a real workbook. Open it in Excel and save it as .xlsx.",
             "الملف صفحة ويب أو ملف XML محفوظ باسم جدول بيانات، وليس مصنفاً حقيقياً. افتحه في Excel واحفظه بصيغة xlsx.")
    CP018 = (NOTE, "This row looks like a total row ('{value}'), so it was left out: the report adds up the rows itself.",
             "يبدو هذا الصف صف مجموع ('{value}')، لذلك لم يُحتسب: التقرير يجمع الصفوف بنفسه.")
    CP019 = (NOTE, "These files in the data folder are not spreadsheets and were skipped: {detail}.",
             "هذه الملفات في مجلد البيانات ليست جداول بيانات وتم تجاوزها: {detail}.")
    CP020 = (NOTE, "Not read: {reason}.",
             "لم تُقرأ: {reason_ar}.")
    CP021 = (NOTE, "This is a KoboToolbox or ODK export: its {count} meta columns ({detail}) are the form's own records, not data, and were left out.",
             "هذا ملف مُصدَّر من KoboToolbox أو ODK: أعمدته الوصفية ({detail}) سجلات خاصة بالاستمارة وليست بيانات، فلم تُقرأ.")
    CP022 = (WARNING, "This sheet was not read: its header names some of the '{table}' table's columns, but not {detail}, which that table requires. If the sheet holds that table's rows, add those columns.",
             "لم تُقرأ هذه الورقة: عناوينها تسمّي بعض أعمدة جدول {table_ar} لكن ليس {detail}، وهي أعمدة مطلوبة فيه. إن كانت الورقة تحوي صفوف ذلك الجدول فأضف تلك الأعمدة.")
    CP023 = (ERROR, "This is named like a sheet but cannot be read: {reason}. Without it a table could be left out of the report unnoticed, so nothing is built; put the file in its place, or rename or move this entry.",
             "هذا العنصر مسمّى كورقة بيانات لكن لا يمكن قراءته: {reason_ar}. قد يُحذف جدول من التقرير دون أن يُلاحظ، لذلك لم يُنشأ التقرير؛ ضع الملف في مكانه أو غيّر اسم هذا العنصر أو انقله.")
    CP024 = (WARNING, "The file mixes two encodings: line(s) {detail} are Windows-1256 (Arabic Windows), the others UTF-8. Each line was read in its own encoding; check the Arabic text of those lines, and save the file again as UTF-8.",
             "يخلط الملف بين ترميزين: الأسطر {detail} بترميز Windows-1256 والباقي بترميز UTF-8. قُرئ كل سطر بترميزه؛ تحقق من النص العربي في تلك الأسطر، واحفظ الملف مجدداً بترميز UTF-8.")
    CP025 = (ERROR, "The file is larger than cpreport reads: {detail}. Split it, remove what is not data, or raise the limit under [limits] in the config if it is genuine.",
             "الملف أكبر مما يقرؤه البرنامج: {detail}. قسّمه أو احذف ما ليس بيانات، أو ارفع الحدّ في قسم [limits] من ملف الإعدادات إن كان حقيقياً.")
    # Columns
    CP101 = (ERROR, "The required column '{column}' is missing. Add a column headed '{column}' (or '{column_ar}').{hint}",
             "العمود المطلوب '{column_ar}' غير موجود. أضف عموداً بعنوان '{column_ar}' أو '{column}'.{hint}")
    CP102 = (NOTE, "These columns are not part of the '{table}' table and are kept out of the figures: {detail}.",
             "هذه الأعمدة ليست من أعمدة جدول {table_ar} ولن تدخل في الأرقام: {detail}.")
    CP103 = (ERROR, "Two columns are read as '{canonical}': '{column}' and '{other}'. Rename or remove one.",
             "عمودان يُقرآن على أنهما '{canonical}': '{column}' و'{other}'. غيّر اسم أحدهما أو احذفه.")
    # Cells
    CP201 = (ERROR, "'{column}' is required but empty. Fill it in.",
             "الحقل '{column}' مطلوب لكنه فارغ. يرجى ملؤه.")
    CP202 = (ERROR, "'{value}' is not a count. Write a whole number up to 1,000,000,000,000, such as 25.",
             "القيمة '{value}' ليست عدداً صحيحاً مقبولاً: اكتب عدداً صحيحاً لا يزيد على ١٬٠٠٠٬٠٠٠٬٠٠٠٬٠٠٠، مثل ٢٥.")
    CP203 = (ERROR, "'{value}' is negative. A count cannot be below zero.",
             "القيمة '{value}' سالبة. لا يمكن أن يكون العدد أقل من صفر.")
    CP204 = (ERROR, "'{value}' is ambiguous: is the dot a thousands separator or a decimal point? Write the number without separators, e.g. 1100.",
             "القيمة '{value}' ملتبسة: هل النقطة فاصل آلاف أم فاصلة عشرية؟ اكتب العدد دون فواصل، مثل ١١٠٠.")
    CP205 = (ERROR, "'{value}' is not a date. Write the date as day/month/year, e.g. 02/05/2017, or as 2017-05-02.",
             "القيمة '{value}' ليست تاريخاً. اكتب التاريخ بصيغة يوم/شهر/سنة مثل 02/05/2017 أو 2017-05-02.")
    CP206 = (ERROR, "'{value}' has a two-digit year, which could be read more than one way. Write the year in full, e.g. 02/05/2017.",
             "التاريخ '{value}' مكتوب بسنة من رقمين، فيمكن قراءته بأكثر من طريقة. اكتب السنة كاملة، مثل 02/05/2017.")
    CP207 = (ERROR, "'{value}' is not one of the allowed values: {allowed}.{hint}",
             "القيمة '{value}' ليست من القيم المسموح بها: {allowed}.{hint}")
    CP208 = (ERROR, "'{value}' is not a governorate of Iraq. Use a name such as Ninewa or نينوى, or a p-code such as IQG15.{hint}",
             "'{value}' ليست محافظة عراقية. استخدم اسماً مثل نينوى أو Ninewa، أو رمزاً مثل IQG15.{hint}")
    CP209 = (ERROR, "The id '{value}' is used in rows {detail}. Give each row its own id.",
             "الرقم '{value}' مستخدم في الصفوف {detail}. أعطِ كل صف رقماً خاصاً به.")
    CP210 = (WARNING, "This row repeats row {detail} exactly. Delete it if it was entered twice.",
             "هذا الصف يكرر الصف {detail} تماماً. احذفه إن كان قد أُدخل مرتين.")
    CP211 = (NOTE, "{detail} value(s) in '{column}' were read after conversion (Arabic digits, separators, spaces, text dates, or a placeholder such as N/A read as empty), e.g. '{value}'.",
             "عدد القيم التي قُرئت في '{column}' بعد تحويلها (أرقام عربية أو فواصل أو مسافات أو تواريخ نصية، أو رموز مثل N/A عُدَّت خانات فارغة): {detail}، مثل '{value}'.")
    CP212 = (WARNING, "The Arabic name is empty. Add it so that the Arabic report can name the forum.",
             "الاسم بالعربية فارغ. أضفه ليظهر اسم المنتدى في التقرير العربي.")
    CP213 = (ERROR, "'{value}' looks like a month/day/year date: there is no month {month}. Write it as day/month/year.",
             "يبدو أن '{value}' مكتوب بصيغة شهر/يوم/سنة، إذ لا يوجد شهر رقم {month}. اكتبه بصيغة يوم/شهر/سنة.")
    CP214 = (ERROR, "'{value}' is not a day of the calendar (such as 31 February or month 13). Correct the day or the month.",
             "التاريخ '{value}' غير موجود في التقويم (مثل ٣١ شباط أو الشهر ١٣). صحّح اليوم أو الشهر.")
    CP215 = (ERROR, "'{value}' has a year outside {earliest}-{latest}, which is likely a typing mistake. Correct the year.",
             "السنة في '{value}' خارج المدة {earliest}-{latest}، وهذا على الأرجح خطأ في الكتابة. صحّح السنة.")
    # Rules across columns and rows
    CP301 = (ERROR, "Female participants ({value}) are more than all participants ({detail}). Correct one of them.",
             "عدد الإناث ({value}) أكبر من مجموع المشاركين ({detail}). صحّح أحدهما.")
    CP302 = (ERROR, "The groups add up to {value} but participants is {detail}. Correct the groups or the total.",
             "مجموع الفئات {value} لكن عدد المشاركين {detail}. صحّح الفئات أو المجموع.")
    CP303 = (ERROR, "The end date {value} is before the start date {detail}. Correct one of them.",
             "تاريخ الانتهاء {value} يسبق تاريخ البدء {detail}. صحّح أحدهما.")
    CP304 = (ERROR, "'{value}' is not a forum in the cpfs table. Use a cpf_id from that table, or leave the cell empty.",
             "'{value}' ليس منتدى في جدول المنتديات. استخدم رقماً من ذلك الجدول أو اترك الخلية فارغة.")
    CP305 = (WARNING, "{detail} row(s) are dated after the end of the period ({end}), the first of them here; they are left out of this period's figures.",
             "عدد الصفوف المؤرخة بعد نهاية الفترة ({end}): {detail}، أولها هذا الصف؛ ولن تدخل في أرقام هذه الفترة.")
    CP306 = (ERROR, "On {day} for '{scope}', returned ({returned}) plus still displaced ({current}) is more than displaced in all ({cumulative}). Check the three figures of that date.",
             "بتاريخ {day} للنطاق '{scope}': العائدون ({returned}) مع النازحين حالياً ({current}) أكثر من مجموع النازحين ({cumulative}). تحقق من أرقام ذلك التاريخ.")
    CP307 = (WARNING, "For '{scope}', returned ({returned}, as of {returned_on}) plus still displaced ({current}, as of {current_on}) is more than displaced in all ({cumulative}, as of {cumulative_on}). The figures carry different dates, so this may be right; check them.",
             "للنطاق '{scope}': العائدون ({returned} بتاريخ {returned_on}) مع النازحين حالياً ({current} بتاريخ {current_on}) أكثر من مجموع النازحين ({cumulative} بتاريخ {cumulative_on}). الأرقام بتواريخ مختلفة، فقد تكون صحيحة؛ تحقق منها.")
    CP308 = (WARNING, "The scope '{value}' has no label in the config; the report names it by its key. Add it under [scopes] in the config.",
             "النطاق '{value}' ليس له تسمية في ملف الإعدادات، وسيظهر في التقرير برمزه. أضفه تحت [scopes].")
    CP309 = (ERROR, "The same figure is given in rows {rows} with different values ({detail}) for '{scope}', '{metric}' on {day}. Keep one.",
             "الرقم نفسه مذكور في الصفوف {rows} بقيم مختلفة ({detail}) للنطاق '{scope}' والمؤشر '{metric}' بتاريخ {day}. أبقِ واحداً.")
    # The narrative (the officer's own words for the month)
    CP401 = (WARNING, "The narrative still holds the example text that `cpreport init` wrote ('{value}'). Write the month's own news in its place.",
             "ما زال النص يحتوي على المثال الذي كتبه `cpreport init` ('{value}'). اكتب أخبار الشهر في مكانه.")
    CP402 = (WARNING, "The narrative is empty, so the report has only its figures. Write the month's news in it.",
             "النص فارغ، فلا يحتوي التقرير إلا على الأرقام. اكتب فيه أخبار الشهر.")
    CP403 = (WARNING, "The {language} narrative of {period} is missing: {detail}.",
             "النص {language_ar} لشهر {period} غير موجود: {detail_ar}.")
    # Published figures (cpreport/revisions.py)
    CP501 = (WARNING, "{key} of {period} was published as {published} and the sheets now give {now}: {detail}. If the change is right, build {period} again so that its report states the revised figure (give the reason under [revisions.\"{period}\"] in the config).",
             "الرقم {key} لشهر {period} نُشر بقيمة {published} والجداول تعطي الآن {now}: {detail_ar}. إن كان التغيير صحيحاً فأعد إنشاء تقرير {period} ليذكر الرقم المعدَّل (واكتب السبب تحت [revisions.\"{period}\"] في ملف الإعدادات).")

    @property
    def severity(self) -> str:
        return self.value[0]


@dataclass
class Finding:
    code: str
    severity: str
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    message_en: str
    message_ar: str
    column_number: int | None = None  # 1-based, for the annotated copy; not part of the CSV
    # A finding said once for many cells (with_rows): how many, and their rows as runs ("2-100001"), which the
    # annotated copy marks. Not part of the CSV: the message says them.
    cells: int = 1
    rows: str = ""

    @property
    def sort_key(self):
        return (self.file, SEVERITY_ORDER[self.severity], self.sheet, self.row or 0, self.code)


VALUE_SHOWN = 200


def finding(code: Code, *, file: str = "", sheet: str = "", row: int | None = None, column: str = "",
            value: object = "", severity: str | None = None, column_number: int | None = None,
            **detail: object) -> Finding:
    """Make a finding, filling the code's message templates from its fields."""
    text = "" if value is None else str(value)
    if len(text) > VALUE_SHOWN:  # a finding quotes a cell, never a whole 30 MB of it
        text = f"{text[:VALUE_SHOWN]}… ({len(text):,} characters)"
    near = detail.pop("near", None)
    reason = detail.pop("reason", None)
    fields = {"column": column, "value": text, "detail": "", **detail}
    fields.setdefault("column_ar", column)
    if "table" in fields:
        fields.setdefault("table_ar", _TABLE_TITLES_AR.get(str(fields["table"]), fields["table"]))
    # In the Arabic message, our own numbers (counts, row lists, dates) take Arabic digits and commas;
    # what the user wrote (value, column) stays as written.
    in_arabic = {k: v if k in ("value", "column", "column_ar") else _arabic_numbers(v) for k, v in fields.items()}
    _, template_en, template_ar = code.value
    if reason is not None:
        fields["reason"], in_arabic["reason_ar"] = REASONS[reason]
    fields["hint"], in_arabic["hint"] = _hints(code, near, fields)
    return Finding(code.name, severity or code.severity, file, sheet, row, column, text,
                   template_en.format(**fields), template_ar.format(**in_arabic), column_number)


# Why a sheet or file was not read (CP020): English, Arabic.
REASONS = {
    "empty": ("it is empty", "إنها فارغة"),
    "no_table": ("its first rows name no table's columns (instructions or a summary?); if it holds data, head its "
                 "columns as the cpfs, activities or displacement table does",
                 "لا تسمّي صفوفها الأولى أعمدة أي جدول (تعليمات أو ملخص؟)؛ إن كانت تحوي بيانات فاكتب عناوين أعمدتها "
                 "كما في جدول المنتديات أو الأنشطة أو النزوح"),
    "other_sheet": ("the config names another sheet of this file to read", "يحدد ملف الإعدادات ورقة أخرى من هذا الملف"),
    "hidden": ("hidden files (a name starting with a dot: a program's leftover, or a lock file) are not read; "
               "if one is a sheet, save it under a name without the dot",
               "الملفات المخفية (التي يبدأ اسمها بنقطة: بقايا برنامج أو ملف قفل) لا تُقرأ؛ إن كان أحدها ورقة بيانات "
               "فاحفظه باسم لا يبدأ بنقطة"),
    "broken_link": ("it is a link to a file that is not there", "إنه رابط إلى ملف غير موجود"),
    "folder": ("it is a folder, not a file", "إنه مجلد وليس ملفاً"),
    "not_a_file": ("it is not a regular file", "إنه ليس ملفاً عادياً"),
    "vanished": ("it disappeared while it was being read", "اختفى أثناء قراءته"),
    "too_deep": ("the folder is more than three folders deep inside the data folder; move its files up",
                 "المجلد أعمق من ثلاثة مستويات داخل مجلد البيانات؛ انقل ملفاته إلى مستوى أعلى"),
}


def _hints(code: Code, near: object, fields: dict) -> tuple[str, str]:
    """"Did you mean …?" for a missing column or a value not allowed, in each language."""
    if not near:
        return "", ""
    if code is Code.CP101:
        table = fields.get("table", "")
        return (f" Did you mean '{near}'? If so, rename that column to '{fields['column']}', or add "
                f"[columns.{table}] {fields['column']} = \"{near}\" to the config.",
                f" هل تقصد العمود '{near}'؟ إن كان كذلك فغيّر عنوانه إلى '{fields.get('column_ar', '')}'.")
    return f" Did you mean {near}?", f" هل تقصد {near}؟"


def with_rows(made: Finding, count: int, rows: str, values: int = 1) -> Finding:
    """A finding said once for many cells: its message ends with how many, and their rows as runs."""
    arabic_rows = _arabic_numbers(rows)
    if values == 1:
        en = f" The same in {count:,} cells of this column: rows {rows}."
        ar = f" الأمر نفسه في {_arabic_numbers(f'{count:,}')} خلية من هذا العمود: الصفوف {arabic_rows}."
    else:
        en = f" The same kind of mistake, with {values:,} other values, in {count:,} more cells: rows {rows}."
        ar = (f" الخطأ نفسه بقيم أخرى ({_arabic_numbers(f'{values:,}')} قيمة) في {_arabic_numbers(f'{count:,}')} "
              f"خلية أخرى: الصفوف {arabic_rows}.")
    return replace(made, message_en=made.message_en + en, message_ar=made.message_ar + ar, cells=count,
                   rows=rows)


def runs(numbers, most: int = 12) -> str:
    """Row or line numbers, in order, as runs: "2-100001, 100005, 100007-100009", the first `most` runs, then "…"."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        elif not spans or number != spans[-1][1]:
            if len(spans) == most:
                return _spans(spans) + ", …"
            spans.append([number, number])
    return _spans(spans)


def _spans(spans: list[list[int]]) -> str:
    return ", ".join(str(a) if a == b else f"{a}, {b}" if b == a + 1 else f"{a}-{b}" for a, b in spans)


_TABLE_TITLES_AR = {"cpfs": "المنتديات (cpfs)", "activities": "الأنشطة (activities)",
                    "displacement": "النزوح (displacement)"}
_OUR_NUMBERS = re.compile(r"[\d\s,./:-]+")


def _arabic_numbers(value: object) -> object:
    """"2, 7" -> "٢، ٧"; "1,137" -> "١٬١٣٧"; "02/05/2017" -> "٠٢/٠٥/٢٠١٧"; other text unchanged."""
    text = str(value)
    if not text or not _OUR_NUMBERS.fullmatch(text) or not any(ch.isdigit() for ch in text):
        return value
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "\u066c", text).replace(", ", "، ")
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


@dataclass
class Findings:
    """All findings of one run, in the order they were made."""

    items: list[Finding] = field(default_factory=list)

    def add(self, item: Finding) -> None:
        self.items.append(item)

    def extend(self, items) -> None:
        self.items.extend(items)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.items if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    def strict(self) -> Findings:
        """Warnings become errors (the --strict option), but for rows dated after the period (CP305):
        those are about the month chosen, not a fault in the sheets, and a past month always has them."""
        return Findings([Finding(**{**asdict(f), "severity": ERROR if f.severity == WARNING and f.code not in
                                    STRICT_EXEMPT else f.severity}) for f in self.items])

    def sorted(self) -> list[Finding]:
        return sorted(self.items, key=lambda f: f.sort_key)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


CSV_COLUMNS = ("severity", "code", "file", "sheet", "row", "column", "value", "message_en", "message_ar")


def _neutralise(text: str) -> str:
    """Keep spreadsheet programs from running a value as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(findings: Findings) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings.sorted():
        row = asdict(f)
        # Data kept (tabs and line breaks too, which CSV quotes), but no terminal escapes for whoever `cat`s it.
        writer.writerow([_neutralise(visible("" if row[c] is None else str(row[c]), keep="\t\n\r"))
                         for c in CSV_COLUMNS])
    # A BOM so that Excel opens the Arabic messages as UTF-8.
    return "\ufeff" + out.getvalue()


def _where(f: Finding) -> str:
    parts = (f"sheet {f.sheet}" if f.sheet else "", f"row {f.row}" if f.row else "",
             f"column '{f.column}'" if f.column else "")
    return " ".join(p for p in parts if p)


def _counts(items: list[Finding]) -> str:
    return ", ".join(f"{sum(f.severity == s for f in items)} {s}(s)" for s in (ERROR, WARNING, NOTE))


def show(findings: Findings, stream=None, quiet: bool = False) -> None:
    """Print the findings grouped by file, errors first, with counts: a table on a terminal, plain lines otherwise."""
    import sys

    stream = stream or sys.stderr
    # What the sheets wrote is shown, never acted on: a cell's escape codes would clear or retitle the terminal.
    items = [Finding(**{k: visible(v) if isinstance(v, str) else v for k, v in asdict(f).items()})
             for f in findings.sorted() if f.severity == ERROR or not quiet]
    by_file: dict[str, list[Finding]] = {}
    for f in items:
        by_file.setdefault(f.file or "(data folder)", []).append(f)
    hidden = len(findings.items) - len(items)
    total = f"Findings: {_counts(findings.items)}" + (" (only the errors are listed)." if hidden else ".")
    if stream.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        console = Console(file=stream)
        styles = {ERROR: "bold red", WARNING: "yellow", NOTE: "dim"}
        for file, group in by_file.items():
            table = Table(title=Text(f"{file} — {_counts(group)}"), title_justify="left", show_lines=False, expand=True)
            for name, kwargs in (("Severity", {}), ("Code", {}), ("Sheet", {}), ("Row", {"justify": "right"}),
                                 ("Column", {}), ("Value", {"overflow": "fold", "max_width": 24}),
                                 ("What to fix", {"ratio": 1})):
                table.add_column(name, **kwargs)
            for f in group:
                # Text, not markup: a value such as "[x]" is the user's, not a style.
                table.add_row(*(Text(c) for c in (f.severity, f.code, f.sheet, str(f.row or ""), f.column, f.value,
                                                  f.message_en)), style=styles[f.severity])
            console.print(table)
        if items or not quiet:
            console.print(total, style="bold")
        return
    for file, group in by_file.items():
        print(f"\n{file}: {_counts(group)}", file=stream)
        for f in group:
            value = f" value '{f.value}'" if f.value != "" else ""
            where = _where(f)
            print(f"  {f.severity.upper():7} {f.code} {where}{value}: {f.message_en}", file=stream)
    if items or not quiet:
        print(f"\n{total}", file=stream)
