"""Writes the sample sheets (cpfs.xlsx, activities.xlsx, displacement.csv) for May 2017.

Their figures are those of the programme's press release of May 2017: 49 forums (34 by IOM,
15 by local police, one in Qayara, Ninewa), 20 trainings, 6 conferences and 6 workshops with
1,137 participants, and the displacement figures with their own dates. Run it again to
regenerate the files; the output is the same each time.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent

# (governorate as field offices write it, district, district in Arabic)
PLACES = [
    ("Baghdad", "Karkh", "الكرخ"), ("Baghdad", "Rusafa", "الرصافة"), ("Baghdad", "Adhamiya", "الأعظمية"),
    ("Baghdad", "Kadhimiya", "الكاظمية"), ("Baghdad", "Mahmudiya", "المحمودية"), ("Baghdad", "Abu Ghraib", "أبو غريب"),
    ("Ninewa", "Qayara", "القيارة"), ("Ninewa", "Hamdaniya", "الحمدانية"), ("Ninewa", "Tel Kaif", "تلكيف"),
    ("Anbar", "Ramadi", "الرمادي"), ("Anbar", "Falluja", "الفلوجة"), ("Anbar", "Heet", "هيت"),
    ("Salah al-Din", "Tikrit", "تكريت"), ("Salah al-Din", "Samarra", "سامراء"), ("Salah al-Din", "Balad", "بلد"),
    ("Diyala", "Baquba", "بعقوبة"), ("Diyala", "Khanaqin", "خانقين"), ("Diyala", "Muqdadiya", "المقدادية"),
    ("Kirkuk", "Kirkuk", "كركوك"), ("Kirkuk", "Dibis", "الدبس"), ("Erbil", "Erbil", "أربيل"),
    ("Erbil", "Makhmur", "مخمور"), ("Duhok", "Duhok", "دهوك"), ("Duhok", "Zakho", "زاخو"), ("Duhok", "Sumel", "سميل"),
    ("Sulaymaniyah", "Sulaymaniyah", "السليمانية"), ("Basrah", "Basrah", "البصرة"), ("Basrah", "Zubair", "الزبير"),
    ("Najaf", "Najaf", "النجف"), ("Najaf", "Kufa", "الكوفة"), ("Kerbala", "Kerbala", "كربلاء"),
    ("Babylon", "Hilla", "الحلة"), ("Wassit", "Kut", "الكوت"), ("Thi-Qar", "Nasiriyah", "الناصرية"),
    ("Missan", "Amara", "العمارة"), ("Qadissiya", "Diwaniya", "الديوانية"), ("Muthanna", "Samawa", "السماوة"),
]
CODES = {"Baghdad": "BGD", "Ninewa": "NIN", "Anbar": "ANB", "Salah al-Din": "SAD", "Diyala": "DIY", "Kirkuk": "KIR",
         "Erbil": "ERB", "Duhok": "DUH", "Sulaymaniyah": "SUL", "Basrah": "BAS", "Najaf": "NAJ", "Kerbala": "KAR",
         "Babylon": "BAB", "Wassit": "WAS", "Thi-Qar": "THI", "Missan": "MIS", "Qadissiya": "QAD", "Muthanna": "MUT"}
TOPICS = {
    "training": [("Community policing principles", "مبادئ الشرطة المجتمعية"),
                 ("Human rights in policing", "حقوق الإنسان في عمل الشرطة"),
                 ("Communication with communities", "التواصل مع المجتمعات المحلية"),
                 ("Gender-sensitive policing", "العمل الشرطي المراعي للنوع الاجتماعي")],
    "conference": [("Community policing and stabilization", "الشرطة المجتمعية وتحقيق الاستقرار"),
                   ("Police and community partnership", "الشراكة بين الشرطة والمجتمع")],
    "workshop": [("Forum action planning", "تخطيط عمل المنتديات"),
                 ("Security needs of returnees", "الاحتياجات الأمنية للعائدين")],
}


def title_row(sheet, title: str, width: int) -> None:
    """A merged title above the header, as the field offices' sheets have."""
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])


def fit(sheet) -> None:
    for column in sheet.columns:
        letter = get_column_letter(column[0].column)
        sheet.column_dimensions[letter].width = min(40, max(len(str(c.value or "")) for c in column[2:]) + 2)


def forums(rng: random.Random) -> list[list]:
    # Qayara's forum first among Ninewa's; the programme's 34 and the police's 15 spread over the places.
    places = PLACES + rng.sample([p for p in PLACES if p[1] != "Qayara"], 12)
    by_police = {2, 5, 8, 12, 15, 18, 22, 25, 28, 32, 35, 38, 42, 45, 47}
    rows, numbers = [], {}
    for index, (governorate, district, district_ar) in enumerate(places):
        code = CODES[governorate]
        numbers[code] = numbers.get(code, 0) + 1
        by = "Local police" if index in by_police else "IOM"
        established = dt.date(2015, 3, 1) + dt.timedelta(days=rng.randrange(0, 790))
        if district == "Qayara":
            established = dt.date(2017, 2, 12)  # after the area was retaken
        rows.append([f"CPF-{code}-{numbers[code]:03d}", f"{district} Community Policing Forum",
                     f"منتدى الشرطة المجتمعية في {district_ar}", governorate, district, by, established,
                     "Active" if rng.random() > 0.08 else "Inactive"])
    police = [r for r in rows if r[5] == "Local police"]
    assert len(rows) == 49 and len(police) == 15, (len(rows), len(police))
    return sorted(rows, key=lambda r: r[6])


def activities(rng: random.Random, forum_ids: list[str]) -> list[list]:
    kinds = ["training"] * 20 + ["conference"] * 6 + ["workshop"] * 6
    rng.shuffle(kinds)
    first = dt.date(2016, 11, 6)
    rows = []
    counts = [rng.randint(25, 45) for _ in kinds]
    counts[-1] += 1137 - sum(counts)  # the release's "over 1,100"
    for number, (kind, participants) in enumerate(zip(kinds, counts), 1):
        start = first + dt.timedelta(days=round(number * 205 / len(kinds)))
        end = start + dt.timedelta(days={"training": 4, "conference": 1, "workshop": 2}[kind])
        title, title_ar = rng.choice(TOPICS[kind])
        forum = rng.choice(forum_ids)
        governorate = next(g for g, c in CODES.items() if c == forum.split("-")[1])
        female = rng.randint(3, participants // 3)
        groups = [round(participants * share) for share in (0.42, 0.30, 0.1, 0.1)]
        groups.append(participants - sum(groups))
        rows.append([f"ACT-{start:%y%m}-{number:02d}", {"training": "دورة تدريبية", "conference": "مؤتمر",
                                                          "workshop": "ورشة عمل"}[kind],
                     title, title_ar, start, end, governorate, forum, participants, female, *groups])
    return rows


def main() -> None:
    rng = random.Random(2017_05)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "cpfs"
    title_row(sheet, "Community Policing Forums — status at 31 May 2017", 8)
    sheet.append(["CPF ID", "Name (EN)", "Name (AR)", "Governorate", "District", "Established by",
                  "Established on", "Status"])
    forum_rows = forums(rng)
    for row in forum_rows:
        sheet.append(row)
        sheet.cell(sheet.max_row, 7).number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "A4"
    fit(sheet)
    workbook.save(HERE / "cpfs.xlsx")

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "activities"
    title_row(sheet, "الدورات التدريبية والمؤتمرات وورش العمل — برنامج الشرطة المجتمعية", 15)
    sheet.append(["رقم النشاط", "نوع النشاط", "العنوان بالإنكليزية", "العنوان بالعربية", "تاريخ البدء",
                  "تاريخ الانتهاء", "المحافظة", "رقم المنتدى", "عدد المشاركين", "الإناث", "الشرطة",
                  "أفراد المجتمع", "إنفاذ القانون", "المجتمع المدني", "القضاة"])
    sheet.sheet_view.rightToLeft = True
    for row in activities(rng, [r[0] for r in forum_rows if r[6] <= dt.date(2016, 10, 1)]):
        sheet.append(row)
        for column in (5, 6):
            sheet.cell(sheet.max_row, column).number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "A4"
    fit(sheet)
    workbook.save(HERE / "activities.xlsx")

    with open(HERE / "displacement.csv", "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["as_of", "scope", "metric", "governorate", "individuals"])
        writer.writerows([
            ["2017-03-30", "national", "displaced_current", "", 3_070_212],
            ["2017-04-27", "national", "displaced_current", "", 3_042_288],
            ["2017-04-13", "mosul_operations", "displaced_cumulative", "Ninewa", 392_418],
            ["2017-04-13", "mosul_operations", "returned_cumulative", "Ninewa", 91_236],
            ["2017-04-13", "mosul_operations", "displaced_current", "Ninewa", 301_182],
            ["2017-04-27", "mosul_operations", "returned_cumulative", "Ninewa", 105_732],
            ["2017-05-02", "mosul_operations", "displaced_cumulative", "Ninewa", 441_354],
            ["2017-05-02", "mosul_operations", "displaced_current", "Ninewa", 358_656],
        ])


if __name__ == "__main__":
    main()
