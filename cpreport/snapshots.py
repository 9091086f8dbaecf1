"""The charts and the map as pictures for the Word document: cut, at print resolution, from the report's
own PDF where WeasyPrint laid them out, so they are the same drawings as in the PDF and the HTML.

Word cannot show HTML boxes, and drawing the charts a second time (as SVG, say) would leave Arabic
unjoined in several viewers; poppler's pdftoppm renders just the rectangle of each chart.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import EnvironmentProblem
from .said import Said

DPI = 200  # print resolution for a picture a few inches wide
PX_TO_PT = 0.75  # CSS pixels, which WeasyPrint lays out in, to PDF points


@dataclass(frozen=True)
class Snapshot:
    """One chart as a PNG: its description (the alt text), its language, and its size on the page in points."""

    alt: str
    lang: str
    png: bytes
    width_pt: float
    height_pt: float


@dataclass(frozen=True)
class _Place:
    page: int
    x: float
    y: float
    width: float
    height: float
    alt: str
    lang: str


def _places(document) -> list[_Place]:
    """Every `role="img"` box of the laid-out pages, in reading order; a chart is kept whole on one page."""
    places, seen = [], set()

    def walk(box, page):
        element = getattr(box, "element", None)
        if element is not None and getattr(box, "element_tag", None) and element.get("role") == "img" \
                and id(element) not in seen:
            seen.add(id(element))
            places.append(_Place(page, box.border_box_x(), box.border_box_y(), box.border_width(),
                                 box.border_height(), element.get("aria-label", ""), element.get("lang", "")))
            return
        for child in getattr(box, "children", ()):
            walk(child, page)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number)
    return places


class Drawing:
    """The charts of a laid-out `document`, being drawn from `pdf` (written from that same document) while the
    caller does other work: pdftoppm starts at once, and pictures() waits for it. Use it as a context manager,
    so that its processes and temporary folder go whatever happens."""

    def __init__(self, document, pdf: bytes, dpi: int = DPI):
        self.places = _places(document)
        self.dpi = dpi
        self.processes: list[subprocess.Popen] = []
        self.folder = None
        if not self.places:
            return
        pdftoppm = shutil.which("pdftoppm")
        if not pdftoppm:
            raise EnvironmentProblem(Said("The Word document's charts are drawn with poppler's pdftoppm, which is not "
                                          "installed. Install it: apt-get install poppler-utils"))
        self.pages = sorted({place.page for place in self.places})
        self.folder = Path(tempfile.mkdtemp(prefix="cpreport-pictures-"))
        source = self.folder / "report.pdf"
        source.write_bytes(pdf)
        # pdftoppm draws the pages that have a chart as raw pixels (PPM: its own PNG compression costs more
        # than the drawing), one process per run of consecutive pages, side by side; each chart is then cut
        # from its page and compressed lightly by Pillow.
        runs: list[list[int]] = []
        for page in self.pages:
            if runs and page == runs[-1][-1] + 1:
                runs[-1].append(page)
            else:
                runs.append([page])
        self.processes = [subprocess.Popen([pdftoppm, "-r", str(dpi), "-f", str(run[0] + 1), "-l", str(run[-1] + 1),
                                            str(source), str(self.folder / f"run{number}")],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                          for number, run in enumerate(runs)]

    def __enter__(self) -> Drawing:
        return self

    def __exit__(self, *exc) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def pictures(self) -> list[Snapshot]:
        """Each chart and the map, in the order of the pages, once pdftoppm is done."""
        if not self.places:
            return []
        failed = [error for process in self.processes for error in [process.communicate()[1]] if process.returncode]
        drawn = {int(path.stem.rsplit("-", 1)[1]) - 1: path for path in self.folder.glob("run*-*.ppm")}
        if failed or not set(self.pages) <= set(drawn):
            said = failed[0].decode(errors="replace").strip()[:200] if failed else "pages missing"
            raise EnvironmentProblem(Said("pdftoppm could not draw the charts for the Word document (%(problem)s).",
                                          problem=said))
        from PIL import Image  # WeasyPrint's own dependency, so always there
        scale = PX_TO_PT * self.dpi / 72
        pictures = []
        for place in self.places:
            with Image.open(drawn[place.page]) as image:
                box = (int(place.x * scale), int(place.y * scale), int((place.x + place.width) * scale) + 1,
                       int((place.y + place.height) * scale) + 1)
                png = io.BytesIO()
                image.crop(box).save(png, "PNG", compress_level=1, dpi=(self.dpi, self.dpi))
            pictures.append(Snapshot(place.alt, place.lang, png.getvalue(), place.width * PX_TO_PT,
                                     place.height * PX_TO_PT))
        return pictures


def snapshots(document, pdf: bytes, dpi: int = DPI) -> list[Snapshot]:
    """Each chart and map of the laid-out `document`, cut from `pdf` (written from that same document)."""
    with Drawing(document, pdf, dpi) as drawing:
        return drawing.pictures()
