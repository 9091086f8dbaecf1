"""report.docx: the report as a Word document a donor office edits before it signs, read from the report's
own HTML so that it says exactly what the HTML and the PDF say.

Word does not get Arabic right unless told at every level, so the Arabic part says it everywhere: each
paragraph is right to left (w:bidi), each Arabic run is complex script, right to left (w:rtl), in Amiri
at the Arabic size (w:rFonts w:cs, w:szCs, bold as w:bCs) and in Arabic (w:lang w:bidi="ar-IQ"), each
table is laid out right to left (w:bidiVisual), and the Arabic section's page runs right to left. Latin
islands inside Arabic (an e-mail address, a file name: the HTML's <bdi dir="ltr">) stay left to right.
Text keeps the named styles (Title, Heading 1–3, Normal, Table Grid), so a donor restyles in one place.
"""
from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable

import lxml.html
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_DIRECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from markupsafe import Markup

from .config import Config, Period
from .i18n import translations
from .snapshots import Snapshot
from .wording import Wording

LATIN_FONT = "DejaVu Serif"  # as the PDF; Word falls back to a serif face where it is missing
ARABIC_FONT = "Amiri"  # as the PDF; Word falls back to its own Arabic face where Amiri is missing
LANGUAGE_TAGS = {"en": "en-GB", "ar": "ar-IQ"}
TABLE_TEXT = "Table Text"  # the cells' paragraph style: smaller than the body's, as the PDF's tables
# Sizes in points (Latin, Arabic): Arabic in Amiri reads small at the Latin size, as in the PDF.
SIZES = {"Normal": (11, 13.5), "Title": (17, 20), "Heading 1": (14, 16), "Heading 2": (11, 13.5),
         "Heading 3": (10, 12), "Header": (9, 11), "Footer": (9, 11), TABLE_TEXT: (9, 11)}
TABLE_STYLE = "Table Grid"
CHARACTER = Pt(7.2 * 9 / 11)  # the width of a character of a cell's size (DejaVu Serif is wide), for sizing columns
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
SPACES = re.compile(r"\s+")
LINKED = re.compile(r"(https?|mailto):", re.IGNORECASE)  # what a link may open in the donor's copy
# Elements of rPr and pPr come in a fixed order (ECMA-376); a new one goes before the first of those after it.
RPR_AFTER = {"w:szCs": ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl",
                        "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"),
             "w:lang": ("w:eastAsianLayout", "w:specVanish", "w:oMath")}
PPR_AFTER = ("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
             "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
             "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
SECTPR_AFTER = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


# What XML 1.0 cannot hold (control characters, U+FFFE, U+FFFF, lone surrogates): a narrative or a config text
# may carry one (pasted from another program), which the HTML and the PDF pass over and python-docx refuses.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# What follows w:cantSplit and w:tblHeader in a row's properties (w:trPr), as the schema orders them.
ROW_AFTER_HEADER = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
ROW_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", *ROW_AFTER_HEADER)


def xml_text(text: str) -> str:
    """Text as a Word document can hold it: the characters XML cannot hold left out."""
    return NOT_XML.sub("", text)


def _child(parent, tag: str, after: tuple[str, ...] = (), **attributes):
    """parent's child `tag` (made where the schema puts it when missing), with the attributes set."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.insert_element_before(element, *after)
    for name, value in attributes.items():
        element.set(qn(f"w:{name}"), value)
    return element


def _arabic_run_properties(rPr, size: float, bold: bool, italic: bool = False) -> None:
    """Complex script, right to left, Amiri at the Arabic size, bold and italic as complex script's, in Iraqi
    Arabic."""
    rPr.get_or_add_rFonts().set(qn("w:cs"), ARABIC_FONT)
    if italic:
        _child(rPr, "w:iCs", ("w:caps", "w:smallCaps", "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss",
                              "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color",
                              "w:spacing", "w:w", "w:kern", "w:position", "w:sz", *RPR_AFTER["w:szCs"]))
    if bold:
        _child(rPr, "w:bCs", ("w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike", "w:outline",
                              "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish",
                              "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz",
                              *RPR_AFTER["w:szCs"]))
    _child(rPr, "w:szCs", RPR_AFTER["w:szCs"], val=str(round(size * 2)))
    rPr.get_or_add_rtl()
    _child(rPr, "w:lang", RPR_AFTER["w:lang"], val=LANGUAGE_TAGS["ar"], bidi=LANGUAGE_TAGS["ar"])


def _hyperlink_style(document):
    """Word's built-in character style for links (blue, underlined), added when the template lacks it."""
    if "Hyperlink" in [style.name for style in document.styles]:
        return document.styles["Hyperlink"]
    style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    style.font.underline = True
    return style


def _bidi(paragraph) -> None:
    _child(paragraph._p.get_or_add_pPr(), "w:bidi", PPR_AFTER)


class Writer:
    """Puts the HTML's blocks into the document, one language's part at a time."""

    def __init__(self, document, text_width: int):
        self.document = document
        self.pending: list[tuple] = []  # (paragraph, alt text, language) of each chart, in order
        self.text_width = text_width
        self.lang = "en"
        self.style_ids: dict[str, str] = {}

    # Runs and paragraphs ------------------------------------------------------------------------------
    def run(self, paragraph, text: str, *, bold: bool = False, latin: bool = False, style: str = "Normal",
            italic: bool = False):
        run = paragraph.add_run(xml_text(text))
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        rPr = run._r.get_or_add_rPr()
        if self.lang == "ar" and not latin:
            _arabic_run_properties(rPr, SIZES.get(style, SIZES["Normal"])[1], bold, italic)
        else:
            _child(rPr, "w:lang", RPR_AFTER["w:lang"], val=LANGUAGE_TAGS["en"] if latin or self.lang == "en"
                   else LANGUAGE_TAGS[self.lang])
        return run

    def paragraph(self, style: str = "Normal", container=None):
        paragraph = (container or self.document).add_paragraph()
        if style != "Normal":  # by its id: python-docx looks a style up by name through every style each time
            if style not in self.style_ids:
                self.style_ids[style] = self.document.styles[style].style_id
            paragraph._p.get_or_add_pPr().style = self.style_ids[style]
        if self.lang == "ar":
            _bidi(paragraph)
        return paragraph

    def inline(self, paragraph, element, style: str, bold: bool = False, latin: bool = False,
               italic: bool = False) -> None:
        """The text of an HTML element into runs: <b>/<strong> bold, <em>/<i> italic, <a href> a link Word opens,
        <bdi dir="ltr"> and Latin-only text left to right."""
        def put(text: str, bold: bool, latin: bool):
            text = SPACES.sub(" ", text)
            if text:
                self.run(paragraph, text, bold=bold, latin=latin or (self.lang == "ar" and not ARABIC.search(text)
                                                                   and not any("\u0660" <= c <= "\u0669" for c in text)),
                         style=style, italic=italic)

        put(element.text or "", bold, latin)
        for child in element:
            if not isinstance(child.tag, str):
                put(child.tail or "", bold, latin)
                continue
            if child.tag == "br":  # a target over its date: a line of its own in the cell, as in the PDF
                paragraph.add_run().add_break()
                put(child.tail or "", bold, latin)
                continue
            child_bold = bold or child.tag in ("b", "strong") or "dateline" in (child.get("class") or "")
            child_latin = latin or child.get("dir") == "ltr"
            child_italic = italic or child.tag in ("em", "i")
            before = len(paragraph._p)
            self.inline(paragraph, child, style, child_bold, child_latin, child_italic)
            if child.tag == "a" and LINKED.match(child.get("href") or ""):
                self.link(paragraph, child.get("href"), list(paragraph._p)[before:])
            put(child.tail or "", bold, latin)

    def link(self, paragraph, address: str, runs: list) -> None:
        """Runs made a hyperlink to address, in Word's Hyperlink style: the donor's copy keeps where a link goes."""
        if not runs:
            return
        if "Hyperlink" not in self.style_ids:
            self.style_ids["Hyperlink"] = _hyperlink_style(self.document).style_id
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), paragraph.part.relate_to(address, RT.HYPERLINK, is_external=True))
        for run in runs:
            run.get_or_add_rPr().style = self.style_ids["Hyperlink"]
            link.append(run)
        paragraph._p.append(link)

    def text_paragraph(self, element, style: str = "Normal", whole: bool = False) -> None:
        """A paragraph of text; `whole`: kept on one page (a closing note, never its last line alone)."""
        paragraph = self.paragraph(style)
        self.inline(paragraph, element, style)
        if whole:
            paragraph.paragraph_format.keep_together = True
        if not paragraph.runs:
            paragraph._p.getparent().remove(paragraph._p)

    # Tables and pictures ------------------------------------------------------------------------------
    def table(self, element) -> None:
        rows = element.xpath("./thead/tr|./tbody/tr|./tfoot/tr|./tr")
        placed: dict[tuple[int, int], tuple] = {}
        spans = []
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                if not isinstance(cell.tag, str) or cell.tag not in ("th", "td"):
                    continue
                while (r, c) in placed:
                    c += 1
                rowspan, colspan = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
                for dr in range(rowspan):
                    for dc in range(colspan):
                        placed[(r + dr, c + dc)] = (cell, row) if (dr, dc) == (0, 0) else None
                if rowspan > 1 or colspan > 1:
                    spans.append((r, c, r + rowspan - 1, c + colspan - 1))
                c += colspan
        if not rows or not placed:
            return
        columns = max(c for _, c in placed) + 1
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = self.document.styles[TABLE_STYLE]
        if self.lang == "ar":
            table.table_direction = WD_TABLE_DIRECTION.RTL  # w:bidiVisual: the first column on the right
        for r1, c1, r2, c2 in spans:
            table.cell(r1, c1).merge(table.cell(r2, c2))
        for r, row in enumerate(rows):
            properties = table.rows[r]._tr.get_or_add_trPr()
            # A row is kept whole on one page: a target's date is never left on the next page, away from its row.
            _child(properties, "w:cantSplit", ROW_AFTER_CANT_SPLIT)
            if row.getparent().tag == "thead":  # the header row repeats on each page the table runs over
                _child(properties, "w:tblHeader", ROW_AFTER_HEADER)
        grid = table._cells  # table.cell() works the whole grid out again on every call
        self.widths(table, grid, placed, columns)
        for (r, c), found in placed.items():
            if not found:
                continue
            cell, row = found
            paragraph = grid[r * columns + c].paragraphs[0]
            paragraph._p.get_or_add_pPr().style = self.style_ids.setdefault(
                TABLE_TEXT, self.document.styles[TABLE_TEXT].style_id)
            if self.lang == "ar":
                _bidi(paragraph)
            if "n" in (cell.get("class") or "").split():
                # In a right-to-left paragraph Word reads "right" as the end of the line, as CSS's `end`.
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            bold = cell.tag == "th" or row.getparent().tag == "tfoot"
            self.inline(paragraph, cell, TABLE_TEXT, bold=bold)
        if self.lang == "ar":  # the cells a merge emptied too
            for paragraph in table._tbl.iter(qn("w:p")):
                _child(paragraph.get_or_add_pPr(), "w:bidi", PPR_AFTER)
        self.paragraph()  # Word joins two tables that touch

    def widths(self, table, grid, placed: dict, columns: int) -> None:
        """Columns as wide as what they hold needs (python-docx makes them all alike): a number never wraps inside
        itself, a header may wrap between its words, and the widest column (the labels) takes the room the others
        leave. When they do not all fit, the columns that would wrap between words give up room first, each down
        to its longest word; only then are all narrower alike."""
        need = [5] * columns  # in characters of a cell's size, with the cell's margins
        least = [5] * columns  # the longest word (a number is one), which no column breaks if it can help it
        for (_, c), found in placed.items():
            if not found:
                continue
            cell, row = found
            if int(cell.get("colspan", 1)) > 1:
                continue
            text = " ".join(cell.text_content().split())
            words = max((len(word) for word in text.split()), default=0)
            need[c] = max(need[c], 3 + (words if row.getparent().tag == "thead" else min(len(text), 32)))
            least[c] = max(least[c], 3 + words)
        room = self.text_width / CHARACTER
        if sum(need) > room:
            slack = [n - w for n, w in zip(need, least)]
            over = sum(need) - room
            if sum(slack) >= over:
                need = [n - over * s / sum(slack) for n, s in zip(need, slack)]
            else:
                need = least
        width = [n * CHARACTER for n in need]
        widest = max(range(columns), key=need.__getitem__)
        others = sum(width) - width[widest]
        if others + 12 * CHARACTER <= self.text_width:
            width[widest] = max(width[widest], self.text_width - others)
        else:  # too many columns to keep every word whole: all narrower alike
            width = [w * self.text_width // sum(width) for w in width]
        for c in range(columns):
            table.columns[c].width = Emu(int(width[c]))
            for r in range(len(table.rows)):
                grid[r * columns + c].width = Emu(int(width[c]))

    def picture(self, element) -> None:
        """A place for the chart's picture; the pictures are put in at the end (they are drawn meanwhile)."""
        paragraph = self.paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.pending.append((paragraph, element.get("aria-label", ""), self.lang))

    def put_pictures(self, pictures: list[Snapshot]) -> None:
        for paragraph, alt, lang in self.pending:
            snapshot = pictures.pop(0) if pictures and pictures[0].alt == alt else None
            if snapshot is None:  # no picture for it (a chart drawn differently): its description stands in
                self.lang = lang
                self.run(paragraph, alt)
                continue
            run = paragraph.add_run()
            run.add_picture(io.BytesIO(snapshot.png), width=Emu(min(Pt(snapshot.width_pt), self.text_width)))
            for described in run._r.xpath(".//wp:docPr"):
                described.set("descr", xml_text(alt))  # the alt text, in the chart's own language
                described.set("title", xml_text(alt.split(":")[0][:100]))

    # Blocks -------------------------------------------------------------------------------------------
    def list(self, element, level: int) -> None:
        """A bulleted or numbered list (the narrative's, the note of revised figures), item by item in Word's own
        list styles, a list inside an item one level in (Word has three)."""
        style = ("List Bullet" if element.tag == "ul" else "List Number") + (f" {min(level, 3)}" if level > 1 else "")
        for item in element:
            if not isinstance(item.tag, str) or item.tag != "li":
                continue
            inner = [child for child in item if isinstance(child.tag, str) and child.tag in ("ul", "ol", "p")]
            paragraph = self.paragraph(style)
            if any(child.tag == "p" for child in inner):  # a loose list: each item's text in paragraphs
                for child in inner:
                    if child.tag == "p":
                        self.inline(paragraph, child, "Normal")
            else:
                shallow = copy.copy(item)  # the item's own text, without the lists inside it
                for child in list(shallow):
                    if isinstance(child.tag, str) and child.tag in ("ul", "ol"):
                        shallow.remove(child)
                self.inline(paragraph, shallow, "Normal")
            for child in inner:
                if child.tag in ("ul", "ol"):
                    self.list(child, level + 1)

    def block(self, element) -> None:
        if not isinstance(element.tag, str):
            return
        classes = (element.get("class") or "").split()
        if element.tag == "h1":
            self.text_paragraph(element, "Title")
        elif element.tag == "h2":
            self.text_paragraph(element, "Heading 1")
        elif element.tag == "figcaption":
            self.text_paragraph(element, "Heading 2")
        elif element.tag == "p" and "subtitle" in classes:
            self.text_paragraph(element, "Heading 3")
        elif element.tag in ("h3", "h4", "h5", "h6"):
            self.text_paragraph(element, "Heading 3")
        elif element.tag == "p" and "divider" not in classes:
            self.text_paragraph(element)
        elif element.tag in ("ul", "ol"):
            self.list(element, 1)
        elif element.tag == "blockquote":
            for child in element:
                if isinstance(child.tag, str) and child.tag == "p":
                    self.text_paragraph(child, "Quote")
                else:
                    self.block(child)
        elif element.tag == "pre":
            self.text_paragraph(element)
        elif element.tag == "table":
            self.table(element)
        elif element.get("role") == "img":
            self.picture(element)
        elif element.tag in ("section", "figure", "div", "footer", "main", "header"):
            for child in element:
                self.block(child)


def _styles(document) -> None:
    """Fonts and sizes on the named styles themselves: restyling Normal or a heading restyles the document."""
    cells = document.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    cells.base_style = document.styles["Normal"]
    cells.paragraph_format.space_after = Pt(0)
    for name, (latin, arabic) in SIZES.items():
        style = document.styles[name]
        style.font.size = Pt(latin)
        rPr = style.element.get_or_add_rPr()
        fonts = rPr.get_or_add_rFonts()
        fonts.set(qn("w:ascii"), LATIN_FONT)
        fonts.set(qn("w:hAnsi"), LATIN_FONT)
        fonts.set(qn("w:cs"), ARABIC_FONT)
        _child(rPr, "w:szCs", RPR_AFTER["w:szCs"], val=str(round(arabic * 2)))
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            fonts.attrib.pop(qn(theme), None)  # a theme font would win over the ones named
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].font.color.rgb = RGBColor(0x0B, 0x3A, 0x6E)


def _page_field(paragraph, writer: Writer, style: str) -> None:
    """A PAGE field: Word and LibreOffice put the page's number there."""
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("result", "1"), ("end", None)):
        run = writer.run(paragraph, "", style=style)  # each part of a field in a run of its own, as Word writes it
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "result":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def _header_and_footer(section, writer: Writer, title: str) -> None:
    """The programme and period at the top of each page, the page's number at its foot, in the part's language."""
    section.header.is_linked_to_previous = False
    section.footer.is_linked_to_previous = False
    header = section.header.paragraphs[0]
    header.style = writer.document.styles["Header"]
    if writer.lang == "ar":
        _bidi(header)
    writer.run(header, title, style="Header")
    footer = section.footer.paragraphs[0]
    footer.style = writer.document.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if writer.lang == "ar":
        _bidi(footer)
    writer.run(footer, translations(writer.lang).gettext("Page") + " ", style="Footer")
    _page_field(footer, writer, "Footer")


def _period_named(period: Period, language: str, digits: str) -> str:
    """The period as the report names it ("May 2017", "The second quarter of 2017"), as plain text: the Arabic
    comes isolated for HTML."""
    named = Markup(Wording(language, digits).period(period)).striptags()
    return named[:1].upper() + named[1:]


def word_document(config: Config, html: str, pictures: Callable[[], list[Snapshot]], period: Period) -> bytes:
    """The report's HTML as a .docx: each language's part in its own section, English then Arabic as the HTML
    orders them. `pictures` gives the charts' pictures, called once the text is in place."""
    page = lxml.html.document_fromstring(html)
    document = Document()
    _styles(document)
    core = document.core_properties
    core.title = xml_text(f"{config.headline.en} — {_period_named(period, 'en', config.digits)}")
    core.language = LANGUAGE_TAGS["en"]
    core.subject = xml_text(config.programme.en)
    core.author = core.last_modified_by = xml_text(config.agency.en)
    core.comments = ""
    section = document.sections[0]
    # A4 and the PDF's margins (python-docx's blank document is US Letter): the sections after it take them on.
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(22), Mm(20), Mm(20), Mm(20)
    text_width = section.page_width - section.left_margin - section.right_margin
    writer = Writer(document, text_width)
    articles = page.xpath("//article[contains(concat(' ', @class, ' '), ' release ')]")
    for number, article in enumerate(articles):
        writer.lang = article.get("lang", "en")
        if number:
            section = document.add_section(WD_SECTION.NEW_PAGE)
            # The paragraph Word keeps at the end of the previous section is empty: nothing to mark.
        if writer.lang == "ar":
            _child(section._sectPr, "w:bidi", SECTPR_AFTER)  # the page itself right to left: columns, gutter
        _header_and_footer(section, writer, f"{config.programme[writer.lang]} — "
                                            f"{_period_named(period, writer.lang, config.digits)}")
        for child in article:
            writer.block(child)
        # The footer's sentence in this part's language closes the part: the English one never among the Arabic.
        for paragraph in page.xpath("//footer/p"):
            if (paragraph.get("lang") or "en") == writer.lang:
                writer.text_paragraph(paragraph, TABLE_TEXT, whole=True)  # small, as the PDF's closing note
    writer.put_pictures(list(pictures()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
