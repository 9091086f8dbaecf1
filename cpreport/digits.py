"""The digit systems in one place: Western 0-9, Arabic-Indic ٠-٩, and the Eastern Arabic-Indic ۰-۹ that a
Persian or Urdu keyboard types. The report writes Arabic-Indic digits in its Arabic half; sheets may hold any."""
from __future__ import annotations

WESTERN = "0123456789"
ARABIC_INDIC = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
EASTERN_ARABIC_INDIC = "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9"
# The Arabic thousands separator and decimal point (٬ ٫), which CLDR writes between Arabic-Indic digits.
ARABIC_THOUSANDS, ARABIC_DECIMAL = "\u066c", "\u066b"
# The Arabic comma, semicolon and percent sign that Arabic text takes in place of the Latin ones.
ARABIC_COMMA, ARABIC_SEMICOLON, ARABIC_PERCENT = "\u060c", "\u061b", "\u066a"

TO_ARABIC = str.maketrans(WESTERN, ARABIC_INDIC)
TO_WESTERN = str.maketrans(ARABIC_INDIC + EASTERN_ARABIC_INDIC, WESTERN * 2)
# A number read back from Arabic text: its digits and its separators as Western ones.
NUMBER_TO_WESTERN = str.maketrans(ARABIC_INDIC + EASTERN_ARABIC_INDIC + ARABIC_THOUSANDS + ARABIC_DECIMAL,
                                  WESTERN * 2 + ",.")


def to_arabic(text: object) -> str:
    """"2017" -> "٢٠١٧"."""
    return str(text).translate(TO_ARABIC)


def to_western(text: str) -> str:
    """"٢٠١٧" or "۲۰۱۷" -> "2017" (separators left as they are)."""
    return text.translate(TO_WESTERN)
