"""The message catalogs: every string of the templates and code is in the Arabic catalog, translated
in every plural form, the compiled .mo matches the .po, and the wheel ships them."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from conftest import ROOT
from cpreport.i18n import DOMAIN, KEYWORDS, LOCALE_DIR, translations

PO = LOCALE_DIR / "ar" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")


def extracted() -> set[str]:
    """The msgids of the templates and code, found as `pybabel extract -F babel.cfg` finds them."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS)
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def arabic_catalog():
    with open(PO, "rb") as file:
        return read_po(file, locale="ar")


def test_every_string_of_the_templates_is_translated_in_the_arabic_catalog():
    catalog = arabic_catalog()
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert extracted() - ids == set(), "run the catalog update of the README"
    assert ids - extracted() == set(), "the catalog holds strings no template uses any more"
    for message in catalog:
        if message.id:
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            assert len(forms) == (6 if message.pluralizable else 1) and all(forms), message.id
            assert "fuzzy" not in message.flags, message.id


def test_every_message_the_code_gives_is_one_the_extraction_finds():
    # Babel's extractor does not look into a keyword's call inside another's (a Said in a Said's words): such a
    # message would reach no catalog, and be said in English under --lang ar.
    import ast

    found = extracted()
    missed = []
    for path in sorted((ROOT / "cpreport").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in KEYWORDS and node.args \
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
                    and node.args[0].value not in found:
                missed.append(f"{path.name}:{node.lineno}")
    assert missed == []


def test_the_arabic_translations_use_only_the_placeholders_they_are_given():
    assert [(m.id, errors) for m, errors in arabic_catalog().check()] == []



def test_the_arabic_translations_leave_out_no_placeholder_of_the_english():
    # An Arabic message without the English one's %(detail)s or [columns.%(table_name)s] line tells the officer
    # less than the English does. A plural form may leave out the one number that chose it ("تحذير واحد", or a
    # list that shows how many).
    import re

    placeholder = re.compile(r"%\((\w+)\)s")
    short = []
    for message in arabic_catalog():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(placeholder.findall(" ".join(ids)))
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for n, form in enumerate(forms):
            missing = wanted - set(placeholder.findall(form))
            if missing and not (message.pluralizable and len(missing) == 1):
                short.append((ids[0][:60], n, sorted(missing)))
    assert short == []

def test_the_compiled_catalog_is_the_po_file_compiled():
    with open(MO, "rb") as file:
        compiled = {tuple(m.id) if m.pluralizable else m.id: tuple(m.string) if m.pluralizable else m.string
                    for m in read_mo(file) if m.id}
    assert compiled == {tuple(m.id) if m.pluralizable else m.id: tuple(m.string) if m.pluralizable else m.string
                        for m in arabic_catalog() if m.id}, \
        "compile the catalog again: pybabel compile -d cpreport/locale -D cpreport"


def test_the_arabic_plural_forms_follow_the_counting_classes():
    arabic = translations("ar")
    said = [arabic.ngettext("%(num)s warning", "%(num)s warnings", n) % {"num": n} for n in (0, 1, 2, 3, 11, 100)]
    assert said == ["لا تحذيرات", "تحذير واحد", "تحذيران", "3 تحذيرات", "11 تحذيراً", "100 تحذير"]


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the source checkout")
def test_the_wheel_ships_the_templates_and_the_compiled_catalog(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(tmp_path.glob("cpreport-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"cpreport/locale/ar/LC_MESSAGES/cpreport.mo", "cpreport/templates/paragraphs.html",
            "cpreport/templates/paragraphs_ar.html"} <= names
