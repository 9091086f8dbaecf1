"""Words belong to translators: no Arabic letter in cpreport's Python outside its data modules, one module of
digit tables, and the Arabic the code says comes from the catalogs."""
from __future__ import annotations

import unicodedata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cpreport"
# Data, not prose: the tables of words that the code matches and declines, in both languages.
DATA_MODULES = {
    "contract.py",  # the gazetteer, the columns' Arabic aliases and allowed values, the total words
    "lexicon.py",  # the counted nouns' Arabic forms, the number words and the units of rounded amounts
}


def arabic_letters(text: str) -> list[str]:
    """The Arabic letters of a text (digits and punctuation such as ، ؛ ٪ are not letters)."""
    return [c for c in text if unicodedata.category(c).startswith("L") and "ARABIC" in unicodedata.name(c, "")]


def test_no_arabic_letter_in_the_code_outside_the_data_modules():
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).as_posix() in DATA_MODULES:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if arabic_letters(line):
                found.setdefault(path.relative_to(PACKAGE).as_posix(), []).append(number)
    assert found == {}, "move the Arabic to the catalogs (cpreport/locale) with named placeholders"


def test_the_check_finds_an_arabic_letter_and_passes_digits_and_punctuation():
    assert arabic_letters('return "في محافظة"') and arabic_letters("# ورش")
    assert not arabic_letters('"٠١٢٣٤٥٦٧٨٩" "، " "؛ " "٪" "\\u0660"')


def test_one_module_holds_the_digit_tables():
    tables = ("\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669", "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
              'maketrans("0123456789"')
    holders = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")
               if any(table in path.read_text("utf-8") for table in tables)}
    assert holders <= {"digits.py"}, holders
    from cpreport.digits import to_arabic, to_western

    assert to_arabic(2017) == "٢٠١٧" and to_western("٢٠١٧ و۲۰۱۷") == "2017 و2017"
