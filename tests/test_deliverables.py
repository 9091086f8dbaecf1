"""The deliverables a donor office edits, reuses and archives, opened as a reader's tools open them:
report.docx with python-docx (and LibreOffice), annex.xlsx with openpyxl, report.pdf with pikepdf and the
text extractors."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.html
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from conftest import SAMPLE, pdf_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ARABIC = re.compile(r"[\u0600-\u06FF]")
WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3\u064B-\u0652\u0670]+")
# Distinct Arabic words of the sample's Arabic paragraphs that come back whole from the PDF's text layer,
# measured with Amiri (see docs/deliverables.md); a change that breaks more of them fails here.
WHOLE_WORDS = {"pdftotext": 403, "pypdf": 430, "tags": 433}


@pytest.fixture(scope="module")
def delivered(tmp_path_factory) -> Path:
    """One build of the sample with every format, as a cron line asks for it."""
    from cpreport.build import build
    from cpreport.config import load_config

    out = tmp_path_factory.mktemp("out")
    config = load_config(SAMPLE / "cpreport.toml", out=str(out),
                         environ={"CPREPORT_FORMATS": "html,pdf,docx,xlsx"})
    return build(config).folder


def arabic_part(document) -> list:
    """The body's paragraphs and tables from the Arabic section on (the section whose sectPr says w:bidi)."""
    body = document.element.body
    blocks, arabic = [], False
    for block in body.iterchildren():
        sectPr = block.find(f"{W}pPr/{W}sectPr")
        if arabic and block.tag in (f"{W}p", f"{W}tbl"):
            blocks.append(block)
        if sectPr is not None and not arabic:
            arabic = True  # the English section ends at this paragraph
    return blocks


def test_the_formats_are_written_and_listed(delivered):
    names = {p.name for p in delivered.iterdir()}
    assert {"report.html", "report.pdf", "report.docx", "annex.xlsx", "figures.json"} <= names
    index = (delivered.parent / "index.html").read_text("utf-8")
    assert "report.docx" in index and "annex.xlsx" in index


def test_the_word_document_says_what_the_html_says(delivered):
    document = Document(delivered / "report.docx")
    text = "\n".join(p.text for p in document.paragraphs)
    html = lxml.html.parse(str(delivered / "report.html")).getroot()
    for article in html.xpath("//article"):
        for paragraph in article.xpath("./p[contains(@class, 'figures')]"):
            assert " ".join(paragraph.text_content().split()) in " ".join(text.split())
    assert "٤٩" in text and "49 CPFs" in text  # each part in its own digits
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Normal"} <= styles
    assert len(document.tables) == 2 * 6  # the indicators, the period's table and the four of the pictures, in each language
    assert all(t.style.name == "Table Grid" for t in document.tables)
    forums = next(t for t in document.tables if t.cell(0, 0).text == "Governorate")
    assert forums.rows[-1].cells[-1].text == "49"



def test_a_tables_header_words_are_never_cut_in_word(delivered):
    # The results table has eight columns: each is at least as wide as its header's longest word at the cells'
    # size (a column scaled down with the others broke "Achieved" into "Achie-ved"), and the cells are smaller
    # than the body, as the PDF's tables.
    from docx.shared import Pt

    document = Document(delivered / "report.docx")
    results = [t for t in document.tables if len(t.columns) == 8]
    assert len(results) == 2  # English and Arabic
    size = document.styles["Table Text"].font.size
    assert size < document.styles["Normal"].font.size
    for table in results:
        for cell in table.rows[0].cells:
            longest = max(len(word) for word in cell.text.split())
            assert cell.width >= longest * size * 0.6 + Pt(6), (cell.text, cell.width, longest)
            assert all(p.style.name == "Table Text" for p in cell.paragraphs)



def test_word_keeps_each_table_row_on_one_page_and_each_footer_in_its_part(delivered):
    document = Document(delivered / "report.docx")
    rows = list(document.element.body.iter(f"{W}tr"))
    assert len(rows) > 40
    assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
    english = []
    for block in document.element.body.iterchildren():  # the English section: up to the paragraph that ends it
        english.append("".join(t.text or "" for t in block.iter(f"{W}t")))
        if block.find(f"{W}pPr/{W}sectPr") is not None:
            break
    assert any(text.startswith("This report on May 2017 was prepared under") for text in english)
    assert all("This report on" not in "".join(t.text or "" for t in block.iter(f"{W}t"))
               for block in arabic_part(document))

def test_every_arabic_paragraph_run_and_table_is_right_to_left(delivered):
    document = Document(delivered / "report.docx")
    blocks = arabic_part(document)
    paragraphs = [b for b in blocks if b.tag == f"{W}p"] + [p for b in blocks if b.tag == f"{W}tbl"
                                                            for p in b.iter(f"{W}p")]
    tables = [b for b in blocks if b.tag == f"{W}tbl"]
    assert len(tables) == 6 and len(paragraphs) > 50
    arabic_runs = 0
    for paragraph in paragraphs:
        said = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
        if said and not ARABIC.search(said):
            # The indicators' codes ("1.1"), kept in Western digits as the results framework numbers them; the
            # English footer closes the English part, never this one.
            assert re.fullmatch(r"[\d.]+", said), said
            continue
        assert paragraph.find(f"{W}pPr/{W}bidi") is not None, said
        for run in paragraph.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if not ARABIC.search(text):
                continue
            arabic_runs += 1
            rPr = run.find(f"{W}rPr")
            assert rPr.find(f"{W}rtl") is not None, text
            assert rPr.find(f"{W}rFonts").get(qn("w:cs")) == "Amiri"
            assert int(rPr.find(f"{W}szCs").get(qn("w:val"))) >= 22
            assert rPr.find(f"{W}lang").get(qn("w:bidi")) == "ar-IQ"
            if rPr.find(f"{W}b") is not None:
                assert rPr.find(f"{W}bCs") is not None, text
            assert not re.search("[0-9]", text), text  # Arabic-Indic digits, as in the HTML
    assert arabic_runs > 100
    for table in tables:
        assert table.find(f"{W}tblPr/{W}bidiVisual") is not None
    # Headers and footers: the period in each part, and the page's number as a field.
    sections = document.sections
    assert len(sections) == 2
    assert "May 2017" in sections[0].header.paragraphs[0].text
    assert "أيار" in sections[1].header.paragraphs[0].text
    assert sections[1]._sectPr.find(f"{W}bidi") is not None
    for section in sections:
        assert "PAGE" in "".join(t.text for t in section.footer._element.iter(f"{W}instrText"))


def test_charts_are_pictures_with_alt_text_in_their_language(delivered):
    with zipfile.ZipFile(delivered / "report.docx") as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        body = archive.read("word/document.xml").decode("utf-8")
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', body)
    assert len(descriptions) == 12 and len(media) >= 12
    assert sum(bool(ARABIC.search(d)) for d in descriptions) == 6
    assert any(d.startswith("Tile map of Iraq") for d in descriptions)
    with zipfile.ZipFile(delivered / "report.docx") as archive:
        for name in media:
            assert archive.read(name)[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_annex_holds_numbers_as_numbers(delivered):
    book = load_workbook(delivered / "annex.xlsx")
    english = [s for s in book.worksheets if not s.sheet_view.rightToLeft and s.title != "Figures"]
    arabic = [s for s in book.worksheets if s.sheet_view.rightToLeft]
    assert len(english) == len(arabic) == 6  # the five tables and the results against targets
    forums = book["Forums by governorate"]
    values = [[c.value for c in row] for row in forums.iter_rows()]
    total = next(row for row in values if row[0] == "Total")
    assert total[1:] == [34, 15, 49] and all(isinstance(v, int) for v in total[1:])
    assert forums.freeze_panes == "B4"
    arabic_forums = book["المنتديات حسب المحافظة"]
    assert arabic_forums.sheet_view.rightToLeft
    assert [c.value for c in arabic_forums[arabic_forums.max_row]][1:] == [34, 15, 49]
    participants = [[c.value for c in row] for row in book["Participants"].iter_rows()]
    women = next(row for row in participants if row[0] == "Women")
    assert isinstance(women[1], int) and 0 < women[2] < 1  # a share is a fraction shown as a percentage
    displacement = [[c.value for c in row] for row in book["Displacement"].iter_rows()]
    assert any(str(row[3]).startswith("2017-05-02") for row in displacement)  # dates are dates
    figures = json.loads((delivered / "figures.json").read_text("utf-8"))["figures"]
    sheet = book["Figures"]
    listed = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(listed) == set(figures)
    assert listed["cpfs.total"][1].value == figures["cpfs.total"]["value"] == 49
    assert listed["cpfs.total"][3].value == "cpfs.xlsx"
    assert sheet.freeze_panes == "B2"
    # A share is a fraction shown as one, never rounded to "0" by a count's format.
    assert listed["indicators.2.2"][1].value == figures["indicators.2.2"]["value"]
    assert 0 < listed["indicators.2.2"][1].value < 1 and listed["indicators.2.2"][1].number_format == "0.0%"
    results = [[c.value for c in row] for row in book["Results against targets"].iter_rows()]
    forums_row = next(row for row in results if row[0] == "1.1")
    # A target is a number Excel computes with, its date in the format; the share of it exact, shown rounded.
    assert forums_row[4] == 49 and forums_row[3] == 60
    cells = {row[0].value: row for row in book["Results against targets"].iter_rows()}
    assert cells["1.1"][3].number_format == '#,##0 "by 31 December 2017"'
    assert cells["1.1"][6].value == pytest.approx(figures["indicators.1.1"]["percent_of_target"] / 100, abs=1e-3)
    assert cells["1.1"][6].number_format == "0%"
    assert cells["2.2"][4].value == pytest.approx(figures["indicators.2.2"]["value"], abs=1e-6)
    assert women[2] == pytest.approx(women[1] / next(row for row in participants if row[0] == "Total")[1])


def test_a_quarters_word_document_and_annex_name_the_quarter_and_keep_every_block(sample):
    """A quarter's deliverables: the Word header and title name the quarter (not its first month), the page is
    A4 as the PDF's, the narrative's lists and quotes are there in both languages in Word's own styles, and the
    annex's sheet of the period's own figures is not called "This month". Emphasis stays italic, and a link keeps
    where it goes."""
    from docx.shared import Mm

    from cpreport.build import build
    from cpreport.config import load_config

    for language, words in (("en", "- FIRST point\n- SECOND point\n\n1. ONE step\n\n> QUOTED words\n\n"
                                   "See *LEANING words* on [the DTM site](https://dtm.iom.int/iraq).\n"),
                            ("ar", "- النقطة الأولى\n- النقطة الثانية\n\n1. الخطوة\n\n> كلام منقول\n\n"
                                   "انظر *كلمات مائلة* في [موقع المصفوفة](https://dtm.iom.int/iraq).\n")):
        narrative = sample.parent / "narrative" / f"{language}.md"
        narrative.write_text(narrative.read_text("utf-8") + "\n" + words, "utf-8")
    folder = build(load_config(sample, period="2017-Q2", environ={"CPREPORT_FORMATS": "html,docx,xlsx"})).folder
    document = Document(folder / "report.docx")
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["FIRST point"] == styles["النقطة الأولى"] == "List Bullet"
    assert styles["ONE step"] == styles["الخطوة"] == "List Number"
    assert styles["QUOTED words"] == styles["كلام منقول"] == "Quote"
    runs = {run.text: run for p in document.paragraphs for run in p.runs}
    assert runs["LEANING words"].italic and runs["كلمات مائلة"].italic
    assert runs["كلمات مائلة"]._r.rPr.find(qn("w:iCs")) is not None  # italic as Arabic's own
    targets = {rel.rId: rel.target_ref for rel in document.part.rels.values() if rel.is_external}
    links = {"".join(t.text for t in link.iter(qn("w:t"))): targets[link.get(qn("r:id"))]
             for link in document.element.body.iter(qn("w:hyperlink"))}
    assert links["the DTM site"] == links["موقع المصفوفة"] == "https://dtm.iom.int/iraq"
    assert document.styles["Hyperlink"].font.underline
    headers = [s.header.paragraphs[0].text for s in document.sections]
    assert headers[0] == "Community Policing programme — The second quarter of 2017"
    assert "الربع الثاني من عام ٢٠١٧" in headers[1] and "نيسان" not in headers[1]
    assert document.core_properties.title.endswith("The second quarter of 2017")
    assert document.core_properties.author == "IOM"
    assert all(abs(s.page_width - Mm(210)) < Mm(1) and abs(s.page_height - Mm(297)) < Mm(1) for s in document.sections)
    book = load_workbook(folder / "annex.xlsx")
    assert "This period" in book.sheetnames and "This month" not in book.sheetnames


def test_a_revised_figure_stays_a_number_in_the_annex_with_its_mark():
    from cpreport.annex import typed

    for cell, mark in (('<td>1,147 <bdi class="revised">(R)</bdi></td>', "(R)"),
                       ('<td>١٬١٤٧ <bdi class="revised">(م)</bdi></td>', "(م)")):
        value, shown = typed(lxml.html.fragment_fromstring(cell))
        assert value == 1147 and shown == f'#,##0 "{mark}"'
    assert typed(lxml.html.fragment_fromstring("<td>60<br><span>by 31 May 2017</span></td>")) == \
        ("60 by 31 May 2017", None)


def test_the_pdf_is_an_archival_tagged_pdf_that_carries_its_data(delivered):
    pikepdf = pytest.importorskip("pikepdf")
    with pikepdf.open(delivered / "report.pdf") as pdf:
        root = pdf.Root
        assert str(root.Lang) == "en" and bool(root.MarkInfo.Marked)
        assert "/StructTreeRoot" in root
        with pdf.open_metadata() as xmp:
            assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "A"
            assert "Community Policing" in str(xmp.get("dc:title"))
        attached = {name: file.get_file().read_bytes() for name, file in pdf.attachments.items()}
        assert attached["figures.json"] == (delivered / "figures.json").read_bytes()
        assert attached["validation.csv"] == (delivered / "validation.csv").read_bytes()
        for name in attached:  # deflated once, by cpreport (archive.ATTACHMENT_LEVEL), and still deflated
            stream = pdf.attachments[name].obj.EF.F
            assert stream.Filter == "/FlateDecode" and len(stream.read_raw_bytes()) < len(attached[name])
            assert stream.Params.Size == len(attached[name])
        # WeasyPrint lists each file twice in /AF; they are the two files' specifications.
        assert {spec.objgen for spec in root.AF} == {spec.objgen for spec in
                                                     (pdf.attachments[name].obj for name in attached)}
        figures, headers, languages = [], [], set()

        def walk(element):
            if not isinstance(element, pikepdf.Dictionary):
                return
            if element.get("/S") == "/Figure":
                figures.append((str(element.get("/Alt", "")), str(element.get("/Lang", ""))))
            if element.get("/S") == "/TH":
                headers.append(str(element.A.get("/Scope")))
            if "/Lang" in element:
                languages.add(str(element.Lang))
            kids = element.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                walk(kid)

        walk(root.StructTreeRoot)

        def words(element) -> str:
            if not isinstance(element, pikepdf.Dictionary):
                return ""
            kids = element.get("/K")
            return str(element.get("/ActualText", "")) + "".join(
                words(kid) for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]))

        # Each half an article in its own language, the Arabic half's pages too (not the root's English).
        document = root.StructTreeRoot.K[0] if isinstance(root.StructTreeRoot.K, pikepdf.Array) else root.StructTreeRoot.K
        articles = [(str(kid.get("/Lang", "")), bool(ARABIC.search(words(kid)))) for kid in document.K
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/Art"]
        assert {lang for lang, _ in articles} == {"en", "ar"}
        assert all((lang == "ar") == arabic for lang, arabic in articles), articles
    assert len(figures) == 12 and all(alt for alt, _ in figures)
    assert all(bool(ARABIC.search(alt)) == (lang == "ar") for alt, lang in figures)
    assert headers and set(headers) == {"/Column", "/Row"}
    assert {"en", "ar"} <= languages


@pytest.mark.parametrize("variant, tagged, part", [("pdf/ua-1", True, None), ("none", False, None)])
def test_pdf_variant_chooses_what_the_pdf_conforms_to(sample, tmp_path, variant, tagged, part):
    pikepdf = pytest.importorskip("pikepdf")
    from cpreport.build import build
    from cpreport.config import load_config

    sample.write_text(sample.read_text("utf-8") .replace('period = "2017-05"', f'period = "2017-05"\npdf_variant = "{variant}"'),
                      "utf-8")
    folder = build(load_config(sample, out=str(tmp_path / "out"), environ={})).folder
    with pikepdf.open(folder / "report.pdf") as pdf:
        assert ("/StructTreeRoot" in pdf.Root) == tagged
        assert "/AF" not in pdf.Root  # associated files are PDF/A-3's; the files are still attached
        assert set(pdf.attachments) == {"figures.json", "validation.csv"}
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfaid:part") == part
            assert (xmp.get("pdfuaid:part") == "1") == (variant == "pdf/ua-1")


def arabic_words(delivered: Path) -> set[str]:
    html = lxml.html.parse(str(delivered / "report.html")).getroot()
    article = html.xpath("//article[@lang='ar']")[0]
    return set(WORD.findall(" ".join(p.text_content() for p in article.xpath(".//p"))))


def test_the_pdf_gives_back_the_arabic_words_as_written(delivered):
    """What each reader of the PDF's text gets back: poppler's text layer, pypdf's, and the tagged spans."""
    pikepdf = pytest.importorskip("pikepdf")
    pypdf = pytest.importorskip("pypdf")
    words = arabic_words(delivered)
    assert len(words) == 433
    by_poppler = set(WORD.findall(pdf_text(delivered / "report.pdf")))
    by_pypdf = set(WORD.findall(" ".join(page.extract_text() for page in pypdf.PdfReader(delivered / "report.pdf").pages)))
    with pikepdf.open(delivered / "report.pdf") as pdf:
        spans = " ".join(str(o.ActualText) for o in pdf.objects
                         if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Span" and "/ActualText" in o)
    by_tags = set(WORD.findall(spans))
    assert len(words & by_poppler) >= WHOLE_WORDS["pdftotext"]
    assert len(words & by_pypdf) >= WHOLE_WORDS["pypdf"]
    assert len(words & by_tags) >= WHOLE_WORDS["tags"]


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (libreoffice-writer-nogui) is not installed")
def test_libreoffice_opens_the_word_document_with_arabic_on_the_right(delivered, tmp_path):
    from PIL import Image

    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(delivered / "report.docx")], check=True, capture_output=True,
                   timeout=240)
    converted = tmp_path / "report.pdf"
    text = pdf_text(converted)
    assert "A total of 49" in text and "٤٩" in text and "منتدى" in text
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(converted), str(tmp_path / "page")], check=True)
    drawn = sorted(tmp_path.glob("page-*.png"))
    assert len(drawn) >= 8

    def ink(path: Path) -> list[tuple[int, int]]:
        image = Image.open(path).convert("L")
        width, height = image.size
        # Between the running head (the top 5% of the page) and the page number: the page's own text.
        return [(x / width, y) for y in range(int(height * 0.06), int(height * 0.88)) for x in range(width)
                if image.getpixel((x, y)) < 128]

    pages = {path: ink(path) for path in drawn}
    assert all(pages.values()), "a page is blank"
    # Each line starts at the margin its language starts from, and ends ragged at the other one: the line
    # edges on the starting side are lined up (a small spread), those on the other side are not.
    def spread(dots: list[tuple[float, int]], side: str) -> float:
        lines: dict[int, list[float]] = {}
        for x, y in dots:
            lines.setdefault(y, []).append(x)
        edges = [(min if side == "left" else max)(xs) for xs in lines.values()]
        mean = sum(edges) / len(edges)
        return (sum((e - mean) ** 2 for e in edges) / len(edges)) ** 0.5

    english = drawn[0]
    arabic = next(path for path in drawn[1:] if ARABIC.search(subprocess.run(
        ["pdftotext", "-f", path.stem.split("-")[1].lstrip("0"), "-l", path.stem.split("-")[1].lstrip("0"),
         str(converted), "-"], capture_output=True, text=True).stdout))
    assert spread(pages[english], "left") < spread(pages[english], "right")
    assert spread(pages[arabic], "right") < spread(pages[arabic], "left")


def test_doctor_checks_what_the_word_document_needs_when_it_is_asked_for():
    from click.testing import CliRunner

    from cpreport.cli import main

    config = str(SAMPLE / "cpreport.toml")
    asked = CliRunner().invoke(main, ["doctor", "--config", config], env={"CPREPORT_FORMATS": "html,docx"})
    assert "Word document's charts: pdftoppm at" in asked.output
    plain = CliRunner().invoke(main, ["doctor", "--config", config], env={"CPREPORT_FORMATS": "html,pdf"})
    assert "Word document's charts" not in plain.output


def test_characters_xml_cannot_hold_in_the_narrative_and_config_are_left_out_of_the_word_document(sample):
    # U+FFFE and a vertical tab pasted into the narrative, U+FFFF into the donor's name: the HTML shows the text,
    # and the Word document holds it without them (python-docx refused the whole document: exit 6).
    from cpreport.build import build
    from cpreport.config import load_config

    narrative = sample.parent / "narrative" / "en.md"
    narrative.write_text(narrative.read_text("utf-8") + "\nPASTED \ufffe words\x0b here.\n", "utf-8")
    config = sample.read_text("utf-8")
    assert 'donor = { en = "the German Government"' in config
    sample.write_text(config.replace('donor = { en = "the German Government"',
                                     'donor = { en = "the German \\uFFFF Government"'), "utf-8")
    folder = build(load_config(sample, environ={"CPREPORT_FORMATS": "html,docx"})).folder
    text = "\n".join(p.text for p in Document(folder / "report.docx").paragraphs)
    assert "PASTED  words here." in text or "PASTED words here." in text
    assert "\ufffe" not in text and "\x0b" not in text
