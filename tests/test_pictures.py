"""The pictures in the built report: in both halves of the HTML, in a real browser, in the PDF, and switched off."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from PIL import Image

from cpreport.build import build
from cpreport.config import Charts, load_config
from cpreport.errors import ConfigError

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OKABE_ITO_BLUE = (0, 114, 178)


def half(html: str, language: str) -> str:
    return re.search(rf'<article class="release" lang="{language}"[^>]*>(.*?)</article>', html, re.S).group(1)


def pictures_of(html: str, language: str) -> str:
    return re.search(r'<section class="pictures".*?</section>', half(html, language), re.S).group(0)


def visible_text(markup: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", markup).split())


def table(markup: str, name: str) -> list[list[str]]:
    """A data table's rows as the cells' visible texts."""
    found = re.search(rf'<table class="data" data-table="{name}".*?</table>', markup, re.S).group(0)
    return [[visible_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found, re.S)]


def colours(png: Path) -> Image.Image:
    return Image.open(png).convert("RGB")


def distinct_colours(image: Image.Image) -> int:
    return len(image.getcolors(maxcolors=1 << 24))


def share_of(image: Image.Image, near, tolerance: int = 12) -> float:
    """The share of the pixels within `tolerance` of a colour."""
    pixels = np.asarray(image, dtype=np.int16)
    return float((np.abs(pixels - np.array(near)) <= tolerance).all(axis=2).mean())


def ink(image: Image.Image) -> float:
    """The share of pixels that are not white."""
    grey = image.convert("L")
    return 1 - grey.histogram()[255] / (grey.width * grey.height)


# The HTML ---------------------------------------------------------------------------------------------------

def test_both_halves_show_the_map_charts_and_tables(sample_build):
    html = (sample_build / "report.html").read_text("utf-8")
    for language in ("en", "ar"):
        pictures = pictures_of(html, language)
        for kind in ("chart map", "chart bars", "chart columns", "chart whole-bars"):
            assert f'<div class="{kind}" role="img"' in pictures
        for name in ("forums", "activities", "participants", "displacement"):
            assert f'data-table="{name}"' in pictures
        assert pictures.count("<figcaption") >= 5
    assert "Community Policing Forums by governorate" in pictures_of(html, "en")
    assert "منتديات الشرطة المجتمعية حسب المحافظة" in pictures_of(html, "ar")


def test_the_tables_state_totals_in_each_language(sample_build):
    html = (sample_build / "report.html").read_text("utf-8")
    english, arabic = pictures_of(html, "en"), pictures_of(html, "ar")
    assert table(english, "forums")[0] == ["Governorate", "IOM", "Local police", "Total"]
    assert table(english, "forums")[1] == ["Baghdad", "5", "3", "8"]
    assert table(english, "forums")[-1] == ["Total", "34", "15", "49"]
    assert table(arabic, "forums")[1] == ["بغداد", "٥", "٣", "٨"]
    assert table(arabic, "forums")[-1] == ["المجموع", "٣٤", "١٥", "٤٩"]
    assert table(english, "activities")[1] == ["November 2016", "3", "0", "0", "3"]
    assert table(english, "activities")[-1] == ["Total", "20", "6", "6", "32"]
    assert table(arabic, "activities")[-1] == ["المجموع", "٢٠", "٦", "٦", "٣٢"]
    assert table(english, "participants")[-1] == ["Total", "1,137", "100%"]
    assert ["النساء", "٢٣٥", "٢١٪"] in table(arabic, "participants")
    assert ["Returned (cumulative)", "105,732", "27 April 2017"] in table(english, "displacement")
    assert ["العائدون تراكمياً", "١٠٥٬٧٣٢", "٢٧ نيسان ٢٠١٧"] in table(arabic, "displacement")
    assert re.search("[0-9]", visible_text(arabic)) is None, "Western digits in the Arabic pictures"


def test_numbers_are_aligned_to_the_end_of_each_language():
    from cpreport.render import builtin_templates

    css = (builtin_templates() / "style.css").read_text("utf-8")
    assert re.search(r'\[dir="ltr"\] table\.data \.n \{ text-align: right; \}', css)
    assert re.search(r'\[dir="rtl"\] table\.data \.n \{ text-align: left; \}', css)


# The config switches ----------------------------------------------------------------------------------------

def test_charts_section_switches_pictures_off(sample, tmp_path):
    with sample.open("a", encoding="utf-8") as config:
        config.write("\n[charts]\nmap = false\ntables = false\n")
    loaded = load_config(sample, out=str(tmp_path / "out"))
    assert loaded.charts == Charts(map=False, tables=False)
    html = build(loaded).folder.joinpath("report.html").read_text("utf-8")
    for language in ("en", "ar"):
        pictures = pictures_of(html, language)
        assert 'class="chart map"' not in pictures and 'class="data"' not in pictures
        assert 'class="chart bars"' in pictures and 'class="chart columns"' in pictures


def test_every_picture_off_leaves_no_pictures_section(sample, tmp_path):
    with sample.open("a", encoding="utf-8") as config:
        config.write("\n[charts]\n" + "".join(f"{name} = false\n" for name in Charts.__dataclass_fields__))
    html = build(load_config(sample, out=str(tmp_path / "out"))).folder.joinpath("report.html").read_text("utf-8")
    assert 'class="pictures"' not in html
    assert "A total of 49 CPFs" in html


def test_unknown_or_wrong_switches_are_config_errors(sample):
    with sample.open("a", encoding="utf-8") as config:
        config.write("\n[charts]\nmapp = false\nparticipants = \"no\"\n")
    with pytest.raises(ConfigError) as raised:
        load_config(sample)
    message = str(raised.value)
    assert "unknown key 'charts.mapp'; did you mean 'charts.map'?" in message
    assert "'charts.participants' must be true or false, not 'no'" in message


# Another data set -------------------------------------------------------------------------------------------

def variant(config: Path) -> Path:
    """The sample with forums in three governorates only, activities over three years, sex often unrecorded,
    and one displacement figure dropped."""
    folder = config.parent
    book = openpyxl.load_workbook(folder / "cpfs.xlsx")
    sheet = book.active
    for number, row in enumerate(sheet.iter_rows(min_row=4)):
        row[3].value = ("Baghdad", "Basrah", "Ninewa")[number % 3]
    book.save(folder / "cpfs.xlsx")
    book = openpyxl.load_workbook(folder / "activities.xlsx")
    sheet = book.active
    for number, row in enumerate(sheet.iter_rows(min_row=4)):
        if number < 6:  # an early start, years before the period
            row[4].value = row[5].value = dt.datetime(2014, 3 + number, 10)
        if number % 2:
            row[9].value = None
    book.save(folder / "activities.xlsx")
    lines = (folder / "displacement.csv").read_text("utf-8-sig").splitlines()
    (folder / "displacement.csv").write_text("\n".join(lines[:1] + lines[2:]) + "\n", "utf-8")
    return config


def test_a_data_set_of_few_governorates_and_many_months(sample, tmp_path):
    folder = build(load_config(variant(sample), out=str(tmp_path / "out"))).folder
    html = (folder / "report.html").read_text("utf-8")
    english, arabic = pictures_of(html, "en"), pictures_of(html, "ar")
    tiles = dict(re.findall(r'data-pcode="(IQG\d\d)" data-forums="(\d+)"', english))
    assert len(tiles) == 18 and sum(int(n) for n in tiles.values()) == 49
    assert {p for p, n in tiles.items() if n != "0"} == {"IQG08", "IQG02", "IQG15"}
    assert english.count('class="tile empty"') == 15
    assert [row[0] for row in table(english, "forums")[1:-1]] == ["Baghdad", "Basrah", "Ninewa"]
    months = table(english, "activities")
    assert months[1][0] == "Before June 2015" and months[-1] == ["Total", "20", "6", "6", "32"]
    assert len(months) == 1 + 1 + 24 + 1
    assert table(arabic, "activities")[1][0] == "قبل حزيران ٢٠١٥"
    sexes = {row[0]: row[1] for row in table(english, "participants") if len(row) > 1}
    assert int(sexes["Sex not recorded"].replace(",", "")) > 0
    # One as-of date is left for the national figures, so only the Mosul operations get a chart.
    assert english.count('class="chart bars"') == 2
    pages = render_pages(folder / "report.pdf", tmp_path / "pages")
    assert all(ink(colours(page)) > 0.005 for page in pages)


# A browser --------------------------------------------------------------------------------------------------

def chromium(page: Path, png: Path, profile: Path, height: int = 6000) -> list[str]:
    """Open a page in headless Chromium and screenshot it; returns the console messages it logged."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size=1200,{height}",
               "--enable-logging=stderr", "--v=0", page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert png.is_file(), result.stderr[-2000:]
    return [line for line in result.stderr.splitlines() if ":CONSOLE" in line]


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")


@needs_chromium
def test_the_browser_reports_console_errors(tmp_path):
    """The check below can fail: a page that throws is caught."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>throw new Error('broken page')</script>", "utf-8")
    assert any("broken page" in line for line in chromium(page, tmp_path / "broken.png", tmp_path / "profile", 300))


@needs_chromium
def test_the_arabic_half_renders_in_a_browser_without_console_errors(sample_build, tmp_path):
    # A copy of the report that hides the English half, so that the screenshot shows the Arabic one.
    html = (sample_build / "report.html").read_text("utf-8")
    only_arabic = tmp_path / "report-ar.html"
    only_arabic.write_text(html.replace("</style>", "#release-en, .divider { display: none; }</style>", 1), "utf-8")
    png = tmp_path / "ar.png"
    console = chromium(only_arabic, png, tmp_path / "profile")
    assert console == []
    image = colours(png)
    assert distinct_colours(image) > 200, "the page is blank or nearly so"
    assert ink(image) > 0.05
    assert share_of(image, OKABE_ITO_BLUE) > 0.005, "no chart colour on the page"
    # The bars of the Arabic half grow from the right: more chart blue right of the middle than left of it.
    left, right = image.crop((0, 0, 600, image.height)), image.crop((600, 0, 1200, image.height))
    assert share_of(right, OKABE_ITO_BLUE) > share_of(left, OKABE_ITO_BLUE)


# The PDF ----------------------------------------------------------------------------------------------------

def render_pages(pdf: Path, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def test_the_pdf_pages_are_not_blank_and_carry_the_charts(sample_build, tmp_path):
    pages = render_pages(sample_build / "report.pdf", tmp_path)
    assert len(pages) >= 6
    for page in pages:
        image = colours(page)
        assert ink(image) > 0.005 and distinct_colours(image) > 10, f"{page.name} is blank"
    with_charts = [p for p in pages if share_of(colours(p), OKABE_ITO_BLUE) > 0.003]
    assert len(with_charts) >= 4  # charts in each half
