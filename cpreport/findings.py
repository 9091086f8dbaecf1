"""Findings: what is wrong with the sheets, where, and how to fix it, in English and Arabic."""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from enum import Enum

ERROR, WARNING, NOTE = "error", "warning", "note"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, NOTE: 2}


class Code(Enum):
    """Stable finding codes. Each carries its severity and message templates (English, Arabic)."""

    # Files and sheets
    CP001 = (ERROR, "The file cannot be read as a spreadsheet ({detail}). Save it again as .xlsx or .csv.",
             "تعذّرت قراءة الملف كجدول بيانات ({detail}). احفظه مجدداً بصيغة xlsx أو csv.")
    CP002 = (NOTE, "This file is not one of the tables cpfs, activities or displacement, so it was skipped.",
             "هذا الملف ليس أحد الجداول (cpfs أو activities أو displacement)، لذلك تم تجاوزه.")
    CP003 = (ERROR, "No '{table}' table was found in the data folder. Add a file or sheet named '{table}'.",
             "لم يُعثر على جدول '{table}' في مجلد البيانات. أضف ملفاً أو ورقة باسم '{table}'.")
    CP004 = (ERROR, "No header row was found in the first 20 rows. Put the column names ({expected}) in one row above the data.",
             "لم يُعثر على صف العناوين في أول ٢٠ صفاً. ضع أسماء الأعمدة ({expected}) في صف واحد فوق البيانات.")
    CP005 = (ERROR, "The sheet has a header but no data rows. Fill in the rows or remove the file.",
             "تحتوي الورقة على صف العناوين فقط دون بيانات. أدخل البيانات أو احذف الملف.")
    CP006 = (ERROR, "The '{table}' table is given twice (also in {other}). Keep one and remove the other.",
             "جدول '{table}' موجود مرتين (أيضاً في {other}). أبقِ واحداً واحذف الآخر.")
    CP007 = (NOTE, "Excel's lock file was skipped: it is left behind while the workbook is open.",
             "تم تجاوز ملف القفل الخاص ببرنامج Excel، فهو يُنشأ أثناء فتح المصنف.")
    CP008 = (ERROR, "The file is empty. Save the sheet again with its header and rows.",
             "الملف فارغ. احفظ الورقة مجدداً مع صف العناوين والبيانات.")
    CP009 = (ERROR, "The data folder {detail} does not exist. Check 'data' in the config or the --data option.",
             "مجلد البيانات {detail} غير موجود. تحقق من إعداد 'data' أو الخيار --data.")
    CP010 = (ERROR, "The file changed while it was being read, twice (is someone saving it?). Close it and build again.",
             "تغيّر الملف أثناء قراءته مرتين (هل يحفظه أحد الآن؟). أغلقه ثم أعد إنشاء التقرير.")
    # Columns
    CP101 = (ERROR, "The required column '{column}' is missing. Add a column headed '{column}' (or '{column_ar}').",
             "العمود المطلوب '{column_ar}' غير موجود. أضف عموداً بعنوان '{column_ar}' أو '{column}'.")
    CP102 = (NOTE, "The column '{column}' is not part of the '{table}' table; it is kept out of the figures.",
             "العمود '{column}' ليس من أعمدة جدول '{table}'، ولن يدخل في الأرقام.")
    CP103 = (ERROR, "Two columns are read as '{canonical}': '{column}' and '{other}'. Rename or remove one.",
             "عمودان يُقرآن على أنهما '{canonical}': '{column}' و'{other}'. غيّر اسم أحدهما أو احذفه.")
    # Cells
    CP201 = (ERROR, "'{column}' is required but empty. Fill it in.",
             "الحقل '{column}' مطلوب لكنه فارغ. يرجى ملؤه.")
    CP202 = (ERROR, "'{value}' is not a whole number. Write a count such as 25.",
             "القيمة '{value}' ليست عدداً صحيحاً. اكتب عدداً مثل ٢٥.")
    CP203 = (ERROR, "'{value}' is negative. A count cannot be below zero.",
             "القيمة '{value}' سالبة. لا يمكن أن يكون العدد أقل من صفر.")
    CP204 = (ERROR, "'{value}' is ambiguous: is the dot a thousands separator or a decimal point? Write the number without separators, e.g. 1100.",
             "القيمة '{value}' ملتبسة: هل النقطة فاصل آلاف أم فاصلة عشرية؟ اكتب العدد دون فواصل، مثل ١١٠٠.")
    CP205 = (ERROR, "'{value}' is not a date. Write the date as day/month/year, e.g. 02/05/2017, or as 2017-05-02.",
             "القيمة '{value}' ليست تاريخاً. اكتب التاريخ بصيغة يوم/شهر/سنة مثل 02/05/2017 أو 2017-05-02.")
    CP206 = (ERROR, "'{value}' is ambiguous as a date ({detail}). Write it as day/month/year with a four-digit year, e.g. 02/05/2017.",
             "التاريخ '{value}' ملتبس ({detail}). اكتبه بصيغة يوم/شهر/سنة مع سنة من أربعة أرقام، مثل 02/05/2017.")
    CP207 = (ERROR, "'{value}' is not one of the allowed values: {allowed}.",
             "القيمة '{value}' ليست من القيم المسموح بها: {allowed}.")
    CP208 = (ERROR, "'{value}' is not a governorate of Iraq. Use a name such as Ninewa or نينوى, or a p-code such as IQG15.",
             "'{value}' ليست محافظة عراقية. استخدم اسماً مثل نينوى أو Ninewa، أو رمزاً مثل IQG15.")
    CP209 = (ERROR, "The id '{value}' is used in rows {detail}. Give each row its own id.",
             "الرقم '{value}' مستخدم في الصفوف {detail}. أعطِ كل صف رقماً خاصاً به.")
    CP210 = (WARNING, "This row repeats row {detail} exactly. Delete it if it was entered twice.",
             "هذا الصف يكرر الصف {detail} تماماً. احذفه إن كان قد أُدخل مرتين.")
    CP211 = (NOTE, "{detail} value(s) in '{column}' were read after conversion (Arabic digits, separators, spaces or text dates), e.g. '{value}'.",
             "تمت قراءة {detail} قيمة في '{column}' بعد تحويلها (أرقام عربية أو فواصل أو مسافات أو تواريخ نصية)، مثل '{value}'.")
    CP212 = (WARNING, "The Arabic name is empty. Add it so that the Arabic report can name the forum.",
             "الاسم بالعربية فارغ. أضفه ليظهر اسم المنتدى في التقرير العربي.")
    CP213 = (ERROR, "'{value}' looks like a month/day/year date ({detail}). Write it as day/month/year.",
             "يبدو أن '{value}' مكتوب بصيغة شهر/يوم/سنة ({detail}). اكتبه بصيغة يوم/شهر/سنة.")
    # Rules across columns and rows
    CP301 = (ERROR, "Female participants ({value}) are more than all participants ({detail}). Correct one of them.",
             "عدد الإناث ({value}) أكبر من مجموع المشاركين ({detail}). صحّح أحدهما.")
    CP302 = (ERROR, "The groups add up to {value} but participants is {detail}. Correct the groups or the total.",
             "مجموع الفئات {value} لكن عدد المشاركين {detail}. صحّح الفئات أو المجموع.")
    CP303 = (ERROR, "The end date {value} is before the start date {detail}. Correct one of them.",
             "تاريخ الانتهاء {value} يسبق تاريخ البدء {detail}. صحّح أحدهما.")
    CP304 = (ERROR, "'{value}' is not a forum in the cpfs table. Use a cpf_id from that table, or leave the cell empty.",
             "'{value}' ليس منتدى في جدول المنتديات. استخدم رقماً من ذلك الجدول أو اترك الخلية فارغة.")
    CP305 = (WARNING, "{detail} row(s) are dated after the end of the period ({value}); they are left out of this period's figures.",
             "{detail} صف مؤرخ بعد نهاية الفترة ({value})، ولن يدخل في أرقام هذه الفترة.")
    CP306 = (ERROR, "On {value} for '{scope}', returned ({returned}) plus still displaced ({current}) is more than displaced in all ({cumulative}). Check the three figures of that date.",
             "بتاريخ {value} للنطاق '{scope}': العائدون ({returned}) مع النازحين حالياً ({current}) أكثر من مجموع النازحين ({cumulative}). تحقق من أرقام ذلك التاريخ.")
    CP307 = (WARNING, "For '{scope}', returned ({returned}, as of {returned_on}) plus still displaced ({current}, as of {current_on}) is more than displaced in all ({cumulative}, as of {cumulative_on}). The figures carry different dates, so this may be right; check them.",
             "للنطاق '{scope}': العائدون ({returned} بتاريخ {returned_on}) مع النازحين حالياً ({current} بتاريخ {current_on}) أكثر من مجموع النازحين ({cumulative} بتاريخ {cumulative_on}). الأرقام بتواريخ مختلفة، فقد تكون صحيحة؛ تحقق منها.")
    CP308 = (WARNING, "The scope '{value}' has no label in the config; the report names it by its key. Add it under [scopes] in the config.",
             "النطاق '{value}' ليس له تسمية في ملف الإعدادات، وسيظهر في التقرير برمزه. أضفه تحت [scopes].")
    CP309 = (ERROR, "The same figure is given twice with different values ({detail}) for '{scope}', '{metric}' on {value}. Keep one.",
             "الرقم نفسه مذكور مرتين بقيمتين مختلفتين ({detail}) للنطاق '{scope}' والمؤشر '{metric}' بتاريخ {value}. أبقِ واحداً.")

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

    @property
    def sort_key(self):
        return (self.file, SEVERITY_ORDER[self.severity], self.sheet, self.row or 0, self.code)


def finding(code: Code, *, file: str = "", sheet: str = "", row: int | None = None, column: str = "",
            value: object = "", severity: str | None = None, **detail: object) -> Finding:
    """Make a finding, filling the code's message templates from its fields."""
    text = "" if value is None else str(value)
    fields = {"column": column, "value": text, "detail": "", **detail}
    fields.setdefault("column_ar", column)
    _, template_en, template_ar = code.value
    return Finding(code.name, severity or code.severity, file, sheet, row, column, text,
                   template_en.format(**fields), template_ar.format(**fields))


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
        """Warnings become errors (the --strict option)."""
        return Findings([Finding(**{**asdict(f), "severity": ERROR if f.severity == WARNING else f.severity})
                         for f in self.items])

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
        writer.writerow([_neutralise("" if row[c] is None else str(row[c])) for c in CSV_COLUMNS])
    # A BOM so that Excel opens the Arabic messages as UTF-8.
    return "\ufeff" + out.getvalue()
