"""The check that both halves of a rendered report state the same figures, paragraph by paragraph."""
from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from .errors import FiguresDisagree
from .said import Said
from .wording import said_numbers

ARTICLE = re.compile(r'<article\b[^>]*\blang="(\w+)"[^>]*>(.*?)</article>', re.S)
FIGURE_PARAGRAPH = re.compile(r'<p\b[^>]*\bdata-figures="(\w+)"[^>]*>(.*?)</p>', re.S)


# A live figure of the officer's narrative ({cpfs.total}), as cpreport/live_figures.py marks it.
LIVE_FIGURE = re.compile(r'<span\b[^>]*\bdata-live="[\w.]+"[^>]*>(.*?)</span>', re.S)


def stated_figures(html: str) -> dict[str, dict[str, list[Decimal]]]:
    """{language: {paragraph: numbers it states}} for the figure paragraphs of each half; the live figures of
    the narrative, wherever they stand in a half, count as one more paragraph of it ("narrative")."""
    stated = {}
    for language, body in ARTICLE.findall(html):
        stated[language] = {name: said_numbers(text, language) for name, text in FIGURE_PARAGRAPH.findall(body)}
        stated[language]["narrative"] = [n for text in LIVE_FIGURE.findall(body) for n in said_numbers(text, language)]
    return stated


def _said(values) -> str:
    return ", ".join(f"{v:,}" for v in sorted(values)) or "none"


def check_halves(html: str, languages=("en", "ar")) -> None:
    """Raise FiguresDisagree when a figure paragraph of one half states a number (after reading
    digits, Arabic-Indic digits, number words, duals and thousands/millions) that the other does not."""
    stated = stated_figures(html)
    if not all(language in stated for language in languages):
        return
    first, second = (stated[language] for language in languages)
    problems = []
    for name in sorted(first.keys() | second.keys()):
        one, other = Counter(first.get(name, [])), Counter(second.get(name, []))
        if one != other:
            problems.append(Said("the '%(paragraph)s' paragraph states %(one)s in %(first)s but %(other)s in "
                                 "%(second)s", paragraph=name, one=_said((one - other).elements()), first=languages[0],
                                 other=_said((other - one).elements()), second=languages[1]))
    if problems:
        raise FiguresDisagree(problems)
