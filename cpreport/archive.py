"""report.pdf as an archive keeps it: a PDF/A-3a (or PDF/UA-1) file, tagged for screen readers, carrying
figures.json and validation.csv inside it as associated files.

WeasyPrint tags headings, paragraphs, lists and tables itself. Three things it leaves out are added here,
while it builds its tag tree: a chart or the map (a `role="img"` box, not an <img>) becomes a Figure whose
/Alt is its description, each element with a `lang` carries /Lang, and each header
cell says whether it heads a column or a row (/Scope), as the HTML's `scope` does.
"""
from __future__ import annotations

import contextlib
import io
import re
import threading
import zlib

VARIANTS = {"pdf/a-3a": "pdf/a-3a", "pdf/ua-1": "pdf/ua-1", "pdf/a-3b": "pdf/a-3b", "none": None}
TAGGED = {"pdf/a-3a", "pdf/ua-1"}
# Relationship of each attached file to the report (ISO 32000-2, 7.11.3): the numbers behind it, and
# the findings about the sheets they came from.
ATTACHED = {"figures.json": ("Data", "application/json", "Every figure of the report, with its as-of date and source rows"),
            "validation.csv": ("Supplement", "text/csv", "The findings about the sheets the report was built from")}
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
SCOPES = {"col": "/Column", "row": "/Row", "rowgroup": "/Row", "colgroup": "/Column"}

_patching = threading.Lock()


@contextlib.contextmanager
def _described_figures(weasyprint_tags):
    """While a PDF is written: charts are Figures with /Alt, foreign-language parts carry /Lang, header cells /Scope."""
    import pydyf
    from weasyprint.formatting_structure import boxes

    original = weasyprint_tags._build_box_tree

    def build(box, parent, pdf, page_number, nums, annotations, tags):
        # The Arabic runs among this box's lines, by their marked-content id, before WeasyPrint takes them.
        # As WeasyPrint walks them: a line's boxes, or an inline box's (a <bdi>'s) own text.
        children = [grandchild for child in getattr(box, "children", ())
                    for grandchild in (child.children if isinstance(child, boxes.LineBox) else [child])]
        arabic = [(tags[child]["mcid"], child.text) for child in children
                  if isinstance(child, boxes.TextBox) and child in tags and ARABIC.search(child.text or "")]
        for element in original(box, parent, pdf, page_number, nums, annotations, tags):
            for mcid, text in arabic:
                # The Span's own words: the font's glyph-to-text map cannot give back every Arabic word (a
                # glyph shared by two spellings keeps the first), and a reader that knows tags reads these.
                if mcid in nums:
                    span = pdf.objects[int(bytes(nums[mcid]).split()[0])]
                    if isinstance(span, dict) and span.get("S") == "/Span":
                        span["ActualText"] = pydyf.String(text)
            html = box.element if getattr(box, "element", None) is not None and box.element_tag else None
            if html is not None and hasattr(html, "get"):
                if html.get("role") == "img" and html.get("aria-label"):
                    element["S"] = "/Figure"
                    element["Alt"] = pydyf.String(html.get("aria-label"))
                    x, y = box.content_box_x(), box.content_box_y()
                    element["A"] = pydyf.Dictionary({"O": "/Layout", "BBox": pydyf.Array((x, y, x + box.width,
                                                                                        y + box.height))})
                if html.get("lang") and "Lang" not in element:
                    # The nearest element's language stands: the root's (<html lang="en">) reaches the elements of
                    # the boxes it passes its children through, the Arabic half's among them.
                    element["Lang"] = pydyf.String(html.get("lang"))
                if box.element_tag == "th" and "A" in element:
                    element["A"]["Scope"] = SCOPES.get(html.get("scope", "col"), "/Column")
            yield element

    with _patching:  # the recursion goes through the module's name, so it is replaced there, briefly
        weasyprint_tags._build_box_tree = build
        try:
            yield
        finally:
            weasyprint_tags._build_box_tree = original


# The attached files are deflated here, once and at zlib's fastest level: WeasyPrint's own writer deflates each at
# level 9 and again every time the file is written out, which at 100,000 rows (a figures.json of 1.9 MB) cost
# 1.3 s of a 2.3 s PDF; level 1 takes 0.04 s and makes that attachment 7% larger (benchmarks/run.py, "the floor").
ATTACHMENT_LEVEL = 1
_packing = threading.Lock()


@contextlib.contextmanager
def _packed_attachments(weasyprint_pdf):
    """While a PDF is written: each attached file's stream is deflated once, by us, at ATTACHMENT_LEVEL."""
    import pydyf

    original = getattr(weasyprint_pdf, "write_pdf_attachment", None)
    if original is None:  # a WeasyPrint that writes attachments elsewhere: its own deflating stands
        yield
        return

    def write(pdf, attachment, compress):
        count = len(pdf.objects)
        written = original(pdf, attachment, False)
        for stream in pdf.objects[count:] if compress else ():
            if isinstance(stream, pydyf.Stream) and stream.extra.get("Type") == "/EmbeddedFile":
                stream.stream = [zlib.compress(b"\n".join(stream.stream), ATTACHMENT_LEVEL)]
                stream.extra["Filter"] = "/FlateDecode"
        return written

    with _packing:
        weasyprint_pdf.write_pdf_attachment = write
        try:
            yield
        finally:
            weasyprint_pdf.write_pdf_attachment = original


def attachments(weasyprint, files: dict[str, bytes], dated=None) -> list:
    """The files the PDF carries; `dated` (a datetime) is their date, else the time of writing."""
    attached = []
    for name, content in files.items():
        relationship, _, description = ATTACHED.get(name, ("Unspecified", "", name))
        attached.append(weasyprint.Attachment(file_obj=io.BytesIO(content), name=name, description=description,
                                              relationship=relationship, created=dated, modified=dated))
    return attached


def write_pdf(weasyprint, document, variant: str = "pdf/a-3a", files: dict[str, bytes] | None = None,
              dated=None) -> bytes:
    """The laid-out report as PDF bytes in the chosen variant, with `files` attached (all but PDF/A-1/2 allow it).

    With `dated`, the same report gives the same bytes whenever it is written: nothing in it is the time of day."""
    chosen = VARIANTS[variant]
    options = {"attachments": attachments(weasyprint, files or {}, dated)}
    if chosen:
        options["pdf_variant"] = chosen
    import weasyprint.pdf

    with _packed_attachments(weasyprint.pdf):
        if chosen in TAGGED:
            from weasyprint.pdf import tags

            with _described_figures(tags):
                return document.write_pdf(**options)
        return document.write_pdf(**options)
