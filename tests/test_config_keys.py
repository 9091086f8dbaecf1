"""Every documented config key does something: a build with the key changed writes something else than the
sample's build."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, documentation
from cpreport.build import build
from cpreport.config import load_config
from cpreport.options import OPTIONS as KEYS
from cpreport.errors import CpreportError

README = ROOT / "README.md"


def written(config: Path) -> dict[str, bytes] | str:
    """What a build of the project writes (the files of its output folder but the log, the cache, the lock and
    the manifests, which carry times), or the error that stopped it."""
    try:
        outcome = build(load_config(config))
    except CpreportError as error:
        return type(error).__name__
    out = outcome.config.out
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and not p.name.startswith((".", "cpreport.log", "index.html")) and ".cpreport" not in p.parts}
    return {"where": out.relative_to(config.parent).as_posix().encode(), **files}


def _rename_header(folder: Path, old: str, new: str) -> None:
    book = openpyxl.load_workbook(folder / "activities.xlsx")
    for cell in book.active[3]:
        if cell.value == old:
            cell.value = new
    book.save(folder / "activities.xlsx")


def _relabel_type(folder: Path) -> None:
    book = openpyxl.load_workbook(folder / "activities.xlsx")
    book.active.cell(row=4, column=2).value = "Awareness session"
    book.save(folder / "activities.xlsx")


def _restate_may(folder: Path) -> None:
    """Publish May as the sample gives it (and June after it: May was sent), then edit the attendance of a May
    training: a restated figure."""
    build(load_config(folder / "cpreport.toml"))
    build(load_config(folder / "cpreport.toml", period="2017-06"))
    book = openpyxl.load_workbook(folder / "activities.xlsx")
    for row in book.active.iter_rows(min_row=4):
        if getattr(row[4].value, "month", None) == 5 and row[4].value.year == 2017:
            row[8].value, row[10].value = row[8].value + 10, row[10].value + 10
            break
    book.save(folder / "activities.xlsx")


# key: (text added to the config, or a change of it as (old, new); a change to the project's files made for
# both builds, so that the key has something to act on)
CHANGES = {
    "period": (('period = "2017-05"', 'period = "2017-04"'), None),
    "data": ('data = "sheets"', lambda f: (f / "sheets").mkdir() or [shutil.copy(f / n, f / "sheets" / n)
                                                                    for n in ("cpfs.xlsx", "activities.xlsx")]),
    "out": ('out = "elsewhere"', None),
    "digits": (('digits = "arabic"', 'digits = "western"'), None),
    "languages": ('languages = ["en"]', None),
    "formats": ('formats = ["html", "pdf"]', None),
    "templates": ('templates = "mine"', lambda f: (f / "mine").mkdir() or (f / "mine" / "style.css").write_text("p {}")),
    "programme": ('programme = { en = "Our programme", ar = "برنامجنا" }', None),
    "agency": ('agency = { en = "UN Migration", ar = "الهجرة" }', None),
    "donor": ('donor = { en = "the European Union", ar = "الاتحاد الأوروبي" }', None),
    "headline": ('headline = { en = "Another headline", ar = "عنوان آخر" }', None),
    "dateline": ('dateline = { en = "Baghdad", ar = "بغداد" }', None),
    "narrative": ('narrative = { en = "narrative/ar.md", ar = "narrative/ar.md" }', None),
    "contacts": ('contacts = "Call us"', None),
    "footer": ('footer = { en = "Our footer", ar = "تذييلنا" }', None),
    "logo": ('logo = "logo.svg"', lambda f: (f / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')),
    "scopes": ('[scopes.national]\nlabel = { en = "in all Iraq", ar = "في كل العراق" }\nsince = 2014-01-01', None),
    "highlights": ('[[highlights]]\ndistrict = "Karkh"\ntext = { en = "Karkh", ar = "الكرخ" }', None),
    "charts": ("[charts]\nmap = false", None),
    "sections": ("[sections]\npictures = false", None),
    "columns": ('[columns.activities]\nparticipants = "Total reached"',
                lambda f: _rename_header(f, "عدد المشاركين", "Total reached")),
    "values": ('[values.activities.type]\n"Awareness session" = "workshop"', _relabel_type),
    "files": ('[files."displacement.csv"]\nencoding = "utf-16"', None),
    "limits": ("[limits]\ncells = 100", None),  # the sample's sheets hold more: the build stops on them
    "indicators": ('[[indicators]]\ncode = "9"\nlabel = "Workshops"\nfigure = "activities.workshop"\ntarget = 10', None),
    "project_end": (("project_end = 2017-12-31", "project_end = 2018-06-30"), None),
    "revisions": ('[revisions."2017-05"]\nreason = { en = "a late attendance sheet", ar = "ورقة حضور متأخرة" }',
                  _restate_may),
}


# Keys whose effect is not in the HTML this test compares: each is tested where it acts.
CHECKED_ELSEWHERE = {"pdf_variant": "tests/test_deliverables.py (the PDF's conformance, its tags and attachments)",
                     "language": "tests/test_findings_language.py (the terminal's language; the files stay bilingual)"}


def test_every_key_of_the_config_is_documented_and_changed_by_the_test():
    documented = set(re.findall(r"^\| `\[{0,2}(?:scopes\.<key>|(\w+))", documentation(), re.M))
    assert set(CHANGES) | set(CHECKED_ELSEWHERE) == set(KEYS)
    assert set(KEYS) - {"scopes"} <= documented | {"scopes"}


@pytest.mark.parametrize("key", sorted(CHANGES))
def test_a_build_with_the_key_changed_writes_something_else(sample, tmp_path, key):
    change, prepare = CHANGES[key]
    projects = []
    for changed in (False, True):
        folder = tmp_path / f"project-{changed}"
        shutil.copytree(sample.parent, folder)
        text = (folder / "cpreport.toml").read_text("utf-8").replace('out = "out"', 'out = "out"\nformats = ["html"]')
        if prepare:
            prepare(folder)
        if changed and isinstance(change, tuple):
            assert change[0] in text
            text = text.replace(*change)
        elif changed:
            # A table at the end; a plain key above the first table, where TOML puts top-level keys.
            text = text + "\n" + change + "\n" if change.startswith("[") else f"{change}\n" + \
                "\n".join(line for line in text.splitlines() if not line.startswith(change.split(" =")[0] + " ")) + "\n"
        (folder / "cpreport.toml").write_text(text, "utf-8")
        projects.append(written(folder / "cpreport.toml"))
    assert projects[0] != projects[1]
