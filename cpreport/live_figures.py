"""Live figures in the officer's own sentences: `{cpfs.total}`, `{activities.training:count}`,
`{displacement.mosul_operations.displaced_cumulative:approx}`, `{….returned_cumulative:date}`.

A narrative is text from a shared drive, so it is never rendered as a template: this small parser finds the
placeholders and says each figure through `Wording`, and nothing else in the text is acted on."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from markupsafe import Markup

from .errors import NarrativeError
from .said import Said
from .wording import ACCUSATIVE, GENITIVE, NOMINATIVE, Wording

# ASCII only: a figure's key is English, and braces around Arabic words stay text.
# Doubled braces ({{ … }}, a template's syntax) are not a placeholder: they stay text, as everything else does.
# Spaces inside the braces, as a template's habit types them ({ cpfs.total }), are read too: left as text, the braces
# would reach the donor.
PLACEHOLDER = re.compile(r"(?<!\{)\{ *([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*) *(?:: *([A-Za-z]+) *)?(?:: *([A-Za-z]+) *)?\}(?!\})")
FORMS = ("number", "count", "approx", "date")
CASES = {"nom": NOMINATIVE, "acc": ACCUSATIVE, "gen": GENITIVE}
COMPANIONS = (".in_period", ".previous", ".change")  # a count's companions are counted with its noun
# The noun a figure is counted with (`:count`), by the start of its key; the longest match wins.
NOUN_OF_KEY = {"cpfs": "cpf", "activities.total": "activity", "activities.training": "training",
               "activities.conference": "conference", "activities.workshop": "workshop",
               "participants": "participant", "displacement": "displaced_person"}


@dataclass(frozen=True)
class Placeholder:
    key: str
    form: str
    case: str
    line: int  # in the narrative file, counting its headline


def noun_of(key: str) -> str | None:
    for suffix in COMPANIONS:
        key = key.removesuffix(suffix)
    if key.startswith("displacement.") and key.endswith(".returned_cumulative"):
        return "person"
    found = [prefix for prefix in NOUN_OF_KEY if key == prefix or key.startswith(prefix + ".")]
    return NOUN_OF_KEY[max(found, key=len)] if found else None


def placeholders(text: str, figures, where: str, first_line: int = 1) -> list[Placeholder]:
    """Every placeholder of a narrative's text, checked: an unknown figure, way of saying it or case is an
    error naming the file, the line and the nearest figure (the build stops before anything is written)."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        key, form, case = match.group(1), (match.group(2) or "number").lower(), (match.group(3) or "").lower()
        line = first_line + text.count("\n", 0, match.start())
        here = Said("%(file)s, line %(line)s: %(placeholder)s", file=where, line=line, placeholder=match.group(0))
        if key not in figures:
            close = difflib.get_close_matches(key, list(figures.items), n=1, cutoff=0.5)
            raise NarrativeError(
                Said("%(where)s names no figure of %(period)s; did you mean {%(near)s}?", where=here,
                     period=figures.period, near=close[0]) if close else
                Said("%(where)s names no figure of %(period)s; `cpreport figures` lists the figures of the month",
                     where=here, period=figures.period))
        if form not in FORMS:
            close = difflib.get_close_matches(form, FORMS, n=1)
            ways = f"{{{key}}}, {{{key}:count}}, {{{key}:approx}}", f"{{{key}:date}}"
            raise NarrativeError(
                Said("%(where)s: '%(form)s' is not a way to say a figure; did you mean :%(near)s? write %(ways)s or "
                     "%(last)s", where=here, form=form, near=close[0], ways=ways[0], last=ways[1]) if close else
                Said("%(where)s: '%(form)s' is not a way to say a figure; write %(ways)s or %(last)s", where=here,
                     form=form, ways=ways[0], last=ways[1]))
        if case and (form not in ("count", "approx") or case not in CASES):
            raise NarrativeError(Said("%(where)s: '%(case)s' is not a case of %(form)s; after :count or :approx write "
                                   ":nom, :acc or :gen (Arabic grammar: subject, object, after a preposition)",
                                   where=here, case=case, form=form))
        if figures[key].share and form not in ("number", "date"):
            raise NarrativeError(Said("%(where)s: this figure is a share, said as a percentage; write %(plain)s",
                                   where=here, plain=f"{{{key}}}"))
        if form == "count" and noun_of(key) is None:
            raise NarrativeError(Said("%(where)s: this figure has no noun to be counted with; write %(plain)s",
                                   where=here, plain=f"{{{key}}}"))
        if form == "date" and figures[key].as_of is None:
            raise NarrativeError(Said("%(where)s: this figure has no as-of date", where=here))
        found.append(Placeholder(key, form, CASES.get(case, ""), line))
    return found


def say(placeholder: Placeholder, figures, wording: Wording) -> Markup:
    """The figure as the half says it, marked so that the check of both halves can find it."""
    figure = figures[placeholder.key]
    if placeholder.form == "date":
        said = wording.date(figure.as_of)
    elif figure.share:  # a results indicator's share (women among participants): a percentage, or not known
        said = "—" if figure.value is None else wording.percent(figure.value)
    elif (n := int(figure.value or 0)) < 0:  # a change can be a fall: a plain signed number, never a counted noun
        said = wording.number(n)
    elif placeholder.form == "count":
        said = wording.count(n, noun_of(placeholder.key), placeholder.case or ACCUSATIVE)
    elif placeholder.form == "approx":
        # In the officer's sentence a noun of their own follows ("more than 441 thousand displaced").
        said = wording.approx(n, case=placeholder.case or GENITIVE, followed=True)
    else:
        said = wording.number(n)
    return Markup('<span class="figure" data-live="{}">{}</span>').format(placeholder.key, said)


def replace(text: str, figures, wording: Wording, escape) -> Markup:
    """The text with each (already checked) placeholder said, the rest passed through `escape`."""
    out, last = [], 0
    for match in PLACEHOLDER.finditer(text):
        out.append(escape(text[last:match.start()]))
        key, form, case = match.group(1), (match.group(2) or "number").lower(), (match.group(3) or "").lower()
        out.append(say(Placeholder(key, form, CASES.get(case, ""), 0), figures, wording))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)
