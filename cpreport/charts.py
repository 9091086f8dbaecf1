"""The report's charts and map, drawn as HTML boxes placed by CSS, in either language's direction.

Charts are HTML rather than SVG text because WeasyPrint lays out SVG text one letter at a time, which
leaves Arabic unjoined and in the wrong order; HTML text is shaped and reordered by both WeasyPrint and
the browser. Every box is placed from the side a reader starts at (`left` in English, `right` in
Arabic), so the Arabic half is the English half mirrored. All text is escaped; the markup is our own.
"""
from __future__ import annotations

import datetime as dt
import math

from markupsafe import Markup

from .config import Text
from .contract import governorate
from .i18n import N_, translations
from .wording import Wording

# Labels of the pictures, in English; the catalogs (cpreport/locale) hold their Arabic.
WORDS = {
    "iom": N_("IOM"),
    "police": N_("Local police"),
    "total": N_("Total"),
    "governorate": N_("Governorate"),
    "month": N_("Month"),
    "earlier": N_("Before %(month)s"),
    # Headings and legends name the kinds as the tables do, with the article.
    "training": N_("Trainings"),
    "conference": N_("Conferences"),
    "workshop": N_("Workshops"),
    "group": N_("Participants by group"),
    "sex": N_("Participants by sex"),
    "participants": N_("Participants"),
    "group.police": N_("Police officers"),
    "group.community": N_("Community members"),
    "group.law_enforcement": N_("Law enforcement"),
    "group.civil_society": N_("Civil society"),
    "group.judiciary": N_("Judiciary"),
    "group.unrecorded": N_("Group not recorded"),
    "sex.female": N_("Women"),
    "sex.male": N_("Men"),
    "sex.unrecorded": N_("Sex not recorded"),
    "scope": N_("Scope"),
    "figure": N_("Figure"),
    "individuals": N_("Individuals"),
    "as_of": N_("As of"),
    "forums": N_("Forums"),
    "share": N_("Share"),
    "to": N_("as of %(date)s"),
    "title.pictures": N_("The figures at a glance"),
    "title.map": N_("Community Policing Forums across Iraq’s governorates"),
    "title.forums": N_("Community Policing Forums by governorate"),
    "title.activities": N_("Trainings, conferences and workshops by month"),
    "title.participants": N_("Participants by group and by sex"),
    "title.displacement": N_("Displacement figures"),
    "note.map": N_("Each tile is a governorate, placed roughly where it lies; darker tiles have more forums."),
    "metric.displaced_current": N_("Currently displaced"),
    "metric.displaced_cumulative": N_("Displaced (cumulative)"),
    "metric.returned_cumulative": N_("Returned (cumulative)"),
}

# Okabe–Ito colours, which colour-blind readers tell apart, ordered so that neighbours differ in
# lightness too (the report is often printed in grey); `striped` series carry a hatching as well.
FOUNDER_COLOURS = {"iom": "#0072B2", "police": "#E69F00"}
TYPE_COLOURS = {"training": "#0072B2", "conference": "#E69F00", "workshop": "#009E73"}
GROUP_COLOURS = {"police": "#0072B2", "community": "#E69F00", "law_enforcement": "#009E73",
                 "civil_society": "#F0E442", "judiciary": "#D55E00", "unrecorded": "#BBBBBB"}
SEX_COLOURS = {"female": "#E69F00", "male": "#0072B2", "unrecorded": "#BBBBBB"}
METRIC_COLOURS = {"displaced_cumulative": "#0072B2", "displaced_current": "#E69F00",
                  "returned_cumulative": "#009E73"}
STRIPED = {"workshop", "law_enforcement", "returned_cumulative", "unrecorded"}
# A viridis-like sequence from light to dark for the map; an empty governorate is left pale grey.
MAP_COLOURS = ("#FDE725", "#7AD151", "#22A884", "#2A788E", "#414487")
MAP_EMPTY = "#F2F2F2"
# Where each governorate's tile sits: (row, column), north at the top and east on the right, roughly
# as the governorates lie; the grid keeps its geography in the Arabic half too.
TILES = {
    "IQG15": (0, 1), "IQG10": (0, 2), "IQG11": (0, 3), "IQG06": (0, 4),  # Ninewa, Duhok, Erbil, Sulaymaniyah
    "IQG01": (1, 1), "IQG16": (1, 2), "IQG13": (1, 3), "IQG09": (1, 4),  # Anbar, Salah al-Din, Kirkuk, Diyala
    "IQG12": (2, 2), "IQG08": (2, 3), "IQG18": (2, 4),  # Kerbala, Baghdad, Wassit
    "IQG04": (3, 2), "IQG07": (3, 3), "IQG05": (3, 4), "IQG14": (3, 5),  # Najaf, Babylon, Qadissiya, Missan
    "IQG03": (4, 3), "IQG17": (4, 4), "IQG02": (4, 5),  # Muthanna, Thi-Qar, Basrah
}
# Bars reach at most this share of their track, leaving room for the value written after them.
REACH = 86.0
TARGET_TRACK = 100.0  # an indicator's track is its target, whole


def word(key: str, language: str, **variables) -> str:
    """A label of the pictures in the language, its named placeholders filled."""
    said = translations(language).gettext(WORDS[key])
    return said % variables if variables else said


def place(pcode: str, language: str) -> str:
    """A governorate's name in the language, from the gazetteer."""
    found = governorate(pcode)
    return found.name_ar if language == "ar" else found.name_en


def month_label(day: dt.date, w: Wording) -> str:
    """November 2016, and the same month in Arabic with Arabic-Indic digits."""
    return f"{w.month(day)} {w.digits(day.year)}"


def _pct(x: float) -> str:
    return f"{x:.2f}%"


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on the colour (by its relative luminance)."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return "#000" if 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] > 0.18 else "#fff"


def _fill(colour: str, striped: bool) -> str:
    if striped:
        return (f"background-color:{colour};background-image:repeating-linear-gradient(45deg,"
                f"rgba(255,255,255,0) 0,rgba(255,255,255,0) 4px,rgba(255,255,255,.6) 4px,rgba(255,255,255,.6) 5.5px)")
    return f"background-color:{colour}"


def _label(text: str, colour: str, striped: bool = False) -> Markup:
    """A value written inside a box: on a plain box in the ink that reads on its colour; on a hatched
    box on a solid white patch (style.css, `.label.solid`), which neither the hatching nor a grey
    print can cross."""
    if not text:
        return Markup("")
    if striped:
        return Markup('<span class="label solid">{}</span>').format(text)
    return Markup('<span class="label" style="background-color:{};color:{}">{}</span>').format(colour, _ink(colour), text)


def _swatch(key: str, colour: str) -> Markup:
    return Markup('<span class="swatch" style="{}"></span>').format(_fill(colour, key in STRIPED))


def legend(entries: list[tuple[str, str, str]], title: str = "") -> Markup:
    """A legend: (series key, colour, label) per entry, after an optional title."""
    items = Markup("").join(Markup('<li>{}<span>{}</span></li>').format(_swatch(key, colour), label)
                            for key, colour, label in entries)
    heading = Markup('<li class="legend-title">{}</li>').format(title) if title else Markup("")
    return Markup('<ul class="legend" aria-hidden="true">{}{}</ul>').format(heading, items)


def _chart(kind: str, description: str, body: Markup, w: Wording) -> Markup:
    """The chart's box: a picture for assistive technology, described in the chart's language."""
    return Markup('<div class="chart {}" role="img" aria-label="{}" lang="{}" dir="{}">{}</div>').format(
        kind, description, w.language, "rtl" if w.rtl else "ltr", body)


def _segments(parts: list[tuple[str, str, int]], scale: float, w: Wording, min_label: float = 4.0) -> Markup:
    """Boxes laid end to end from the reader's starting side; each shows its value when it has room."""
    side = "right" if w.rtl else "left"
    boxes, start = [], 0.0
    for key, colour, value in parts:
        if not value:
            continue
        width = value * scale
        text = w.number(value)
        shown = text if width >= min_label * max(len(text), 1) / 2 else ""
        boxes.append(Markup('<span class="segment" data-series="{}" data-value="{}" style="{}:{};width:{};{}">'
                            '{}</span>').format(key, value, side, _pct(start), _pct(width), _fill(colour, key in STRIPED),
                                                _label(shown, colour, key in STRIPED)))
        start += width
    return Markup("").join(boxes)


def _bar_row(label: str, parts: list[tuple[str, str, int]], scale: float, total: int, w: Wording) -> Markup:
    side = "right" if w.rtl else "left"
    end = sum(v for _, _, v in parts) * scale
    return Markup('<tr><th scope="row">{}</th><td><div class="track">{}<span class="value" style="{}:{}">{}</span>'
                  '</div></td></tr>').format(label, _segments(parts, scale, w), side, _pct(end), w.number(total))


def forums_by_governorate(forums: dict, w: Wording, agency: Text | None = None) -> Markup:
    """Horizontal bars, one per governorate with forums, split by who established them; most first."""
    lang = w.language
    founders = {"iom": agency[lang] if agency and agency[lang] else word("iom", lang), "police": word("police", lang)}
    rows = forums["rows"]
    top = max((r["total"] for r in rows), default=0)
    scale = REACH / top if top else 0
    body = Markup("").join(
        _bar_row(place(r["pcode"], lang), [(k, FOUNDER_COLOURS[k], r[k]) for k in founders], scale, r["total"], w)
        for r in rows)
    total = forums["total"]
    listing = w.comma.join(f"{place(r['pcode'], lang)} {w.number(r['total'])}" for r in rows)
    gettext = translations(lang).gettext
    description = gettext("Horizontal bar chart of Community Policing Forums per governorate, %(total)s in all "
                          "(%(iom_name)s %(iom)s, %(police_name)s %(police)s): %(listing)s.") % {
        "total": w.number(total["total"]), "iom_name": founders["iom"], "iom": w.number(total["iom"]),
        "police_name": founders["police"], "police": w.number(total["police"]), "listing": listing}
    return _chart("bars", description, legend([(k, FOUNDER_COLOURS[k], founders[k]) for k in founders]) +
                  Markup('<table class="bar-rows" role="presentation"><tbody>{}</tbody></table>').format(body), w)


def _tick_step(count: int, most: int = 8) -> int:
    """Label every month up to 12 columns, else every few months, so that no more than `most` labels share the axis."""
    return 1 if count <= 12 else math.ceil(count / most)


def _month_ticks(months: list[dt.date], w: Wording) -> list[str]:
    """Month labels under the columns, always the latest month's; the year is written under the first
    label and under each January's."""
    step = _tick_step(len(months))
    labels, last_year = [], None
    for i, day in enumerate(months):
        if (len(months) - 1 - i) % step:
            labels.append("")
            continue
        name = w.month(day)
        if day.year != last_year:
            name = f"{name} {w.digits(day.year)}"
            last_year = day.year
        labels.append(name)
    return labels


def activities_by_month(activities: dict, w: Wording) -> Markup:
    """Columns, one per month from the first activity to the period's, stacked by type; time runs the
    reader's way (right to left in Arabic)."""
    lang = w.language
    kinds = ("training", "conference", "workshop")
    rows = activities["rows"]
    top = max((r["total"] for r in rows), default=0)
    scale = REACH / top if top else 0
    side = "right" if w.rtl else "left"
    slot = 100 / max(len(rows), 1)
    step = _tick_step(len(rows))  # a label spans as many columns as it stands for, centred on its own
    columns, ticks = [], []
    for i, (row, tick) in enumerate(zip(rows, _month_ticks([r["month"] for r in rows], w))):
        stack, bottom = [], 0.0
        for kind in kinds:
            if not row[kind]:
                continue
            height = row[kind] * scale
            text = w.number(row[kind])
            stack.append(Markup('<span class="segment" data-series="{}" data-value="{}" style="bottom:{};height:{};{}">'
                                '{}</span>').format(kind, row[kind], _pct(bottom), _pct(height),
                                                    _fill(TYPE_COLOURS[kind], kind in STRIPED),
                                                    _label(text if height >= 9 else "", TYPE_COLOURS[kind],
                                                           kind in STRIPED)))
            bottom += height
        # An empty month stays empty: a row of zeros would hide the months that count; the table states them.
        total = Markup('<span class="value" style="bottom:{}">{}</span>').format(
            _pct(bottom), w.number(row["total"])) if row["total"] else Markup("")
        columns.append(Markup('<div class="column" data-month="{}" style="{}:{};width:{}">{}{}</div>').format(
            row["month"].isoformat(), side, _pct(i * slot), _pct(slot), Markup("").join(stack), total))
        if tick:
            start = min(max((i - (step - 1) / 2) * slot, 0), 100 - step * slot)
            ticks.append(Markup('<span class="tick" style="{}:{};width:{}">{}</span>').format(
                side, _pct(start), _pct(step * slot), tick))
    names = {k: word(k, lang) for k in kinds}
    listing = w.semicolon.join(
        f"{month_label(r['month'], w)}: {w.number(r['total'])}" +
        (f" ({w.comma.join(f'{names[k]} {w.number(r[k])}' for k in kinds if r[k])})" if r["total"] else "")
        for r in rows)
    span = f"{month_label(rows[0]['month'], w)} – {month_label(rows[-1]['month'], w)}" if rows else ""
    description = translations(lang).gettext(
        "Column chart of trainings, conferences and workshops per month, %(span)s: %(listing)s.") % {
        "span": span, "listing": listing}
    body = (legend([(k, TYPE_COLOURS[k], names[k]) for k in kinds]) +
            Markup('<div class="plot">{}</div><div class="ticks">{}</div>').format(
                Markup("").join(columns), Markup("").join(ticks)))
    return _chart("columns", description, body, w)


def participants(people: dict, w: Wording) -> Markup:
    """Two bars as long as the whole: participants split by group, and by sex."""
    lang = w.language
    total = people["total"]
    scale = 100 / total if total else 0
    sections, described = [], []
    for split, colours in (("group", GROUP_COLOURS), ("sex", SEX_COLOURS)):
        counts = people["groups" if split == "group" else "sex"]
        parts = [(k, colours[k], counts[k]) for k in colours if counts.get(k)]
        names = {k: word(f"{split}.{k}", lang) for k, _, _ in parts}
        bar = Markup('<div class="track whole">{}</div>').format(_segments(parts, scale, w, min_label=5.0))
        keyed = legend([(k, c, f"{names[k]} {w.number(v)}") for k, c, v in parts])
        sections.append(Markup('<div class="split" data-split="{}"><p class="split-title">{}</p>{}{}</div>').format(
            split, word(split, lang), bar, keyed))
        described.append(f"{word(split, lang)}: " + w.comma.join(f"{names[k]} {w.number(v)}" for k, _, v in parts))
    description = translations(lang).gettext("Two stacked bars of the %(total)s participants. %(parts)s.") % {
        "total": w.number(total), "parts": w.semicolon.join(described)}
    return _chart("whole-bars", description, Markup("").join(sections), w)


def displacement(scope: dict, label: str, w: Wording) -> Markup:
    """Bars of each metric at each as-of date of one scope, the earliest date first."""
    lang = w.language
    series = scope["series"]
    metrics = [m for m in METRIC_COLOURS if any(m in s["values"] for s in series)]
    top = max((v for s in series for v in s["values"].values()), default=0)
    scale = REACH / top if top else 0
    side = "right" if w.rtl else "left"
    rows = []
    for entry in series:
        bars = Markup("").join(
            Markup('<div class="track thin"><span class="segment" data-series="{}" data-value="{}" style="{}:0.00%;width:{};{}">'
                   '</span><span class="value" style="{}:{}">{}</span></div>').format(
                m, entry["values"][m], side, _pct(entry["values"][m] * scale),
                _fill(METRIC_COLOURS[m], m in STRIPED), side, _pct(entry["values"][m] * scale),
                w.number(entry["values"][m]))
            for m in metrics if m in entry["values"])
        rows.append(Markup('<tr><th scope="row">{}</th><td>{}</td></tr>').format(w.date(entry["as_of"]), bars))
    names = {m: word(f"metric.{m}", lang) for m in metrics}
    listing = w.semicolon.join(
        f"{Markup(w.date(s['as_of'])).striptags()}: " + w.comma.join(
            f"{names[m]} {w.number(s['values'][m])}" for m in metrics if m in s["values"]) for s in series)
    description = translations(lang).gettext(
        "Bar chart of displacement figures (%(scope)s) at each date they were published: %(listing)s.") % {
        "scope": label, "listing": listing}
    body = (legend([(m, METRIC_COLOURS[m], names[m]) for m in metrics]) +
            Markup('<table class="bar-rows dated" role="presentation"><tbody>{}</tbody></table>').format(
                Markup("").join(rows)))
    return _chart("bars", description, body, w)


def map_classes(top: int, most: int = len(MAP_COLOURS)) -> list[tuple[int, int]]:
    """The map's classes of forum counts, (lowest, highest), as equal slices of 1..top."""
    k = min(most, top)
    return [(top * (c - 1) // k + 1, top * c // k) for c in range(1, k + 1)] if top else []


def _map_colour(n: int, classes: list[tuple[int, int]]) -> str:
    if not n:
        return MAP_EMPTY
    index = next(i for i, (low, high) in enumerate(classes) if low <= n <= high)
    # Few classes take colours spread over the whole sequence, so the darkest still means the most.
    return MAP_COLOURS[round(index * (len(MAP_COLOURS) - 1) / max(len(classes) - 1, 1))]


def forums_map(by_pcode: dict[str, int], w: Wording) -> Markup:
    """Iraq's 18 governorates as tiles, shaded by their number of forums (darker: more)."""
    lang = w.language
    classes = map_classes(max(by_pcode.values(), default=0))
    rows = 1 + max(r for r, _ in TILES.values())
    columns = 1 + max(c for _, c in TILES.values())
    first = min(c for _, c in TILES.values())
    grid = [[Markup('<td class="sea"></td>')] * columns for _ in range(rows)]
    for pcode, (row, column) in TILES.items():
        n = by_pcode.get(pcode, 0)
        colour = _map_colour(n, classes)
        grid[row][column] = Markup('<td class="tile{}" data-pcode="{}" data-forums="{}" style="background-color:{};color:{}">'
                                   '<span class="name" dir="{}">{}</span><span class="count">{}</span></td>').format(
            "" if n else " empty", pcode, n, colour, _ink(colour), "rtl" if w.rtl else "ltr", place(pcode, lang),
            w.number(n))
    table = Markup("").join(Markup("<tr>{}</tr>").format(Markup("").join(cells[first:])) for cells in grid)
    keyed = [("empty", MAP_EMPTY, w.number(0))] + [
        (f"class{i}", _map_colour(high, classes), w.number(low) if low == high else f"{w.number(low)}–{w.number(high)}")
        for i, (low, high) in enumerate(classes)]
    listed = sorted(by_pcode.items(), key=lambda item: -item[1])
    listing = w.comma.join(f"{place(p, lang)} {w.number(n)}" for p, n in listed if n)
    empty = w.comma.join(place(p, lang) for p, n in listed if not n)
    gettext = translations(lang).gettext
    if empty:
        description = gettext("Tile map of Iraq’s 18 governorates, north at the top, darker where there are more "
                              "forums: %(listing)s; none in %(empty)s.") % {"listing": listing, "empty": empty}
    else:
        description = gettext("Tile map of Iraq’s 18 governorates, north at the top, darker where there are more "
                              "forums: %(listing)s.") % {"listing": listing}
    body = (Markup('<table class="tiles" dir="ltr" role="presentation"><tbody>{}</tbody></table>').format(table) +
            legend(keyed, word("forums", lang)))
    return _chart("map", description, body, w)


# An indicator's status: dark for achieved, light for on track, hatched for behind, so that grey print tells them
# apart as well as the words written beside them do.
STATUS_COLOURS = {"achieved": "#0072B2", "on_track": "#56B4E9", "behind": "#E69F00"}


def progress(percent: float | None, expected: float | None, status: str, w: Wording) -> Markup:
    """An indicator's progress bar: the share of its target reached written over a track (the whole track is the
    target; the bar stops at its end), with a tick where the share of time gone to its target date would put it.
    The share is written on a line of its own, never beside the bar: past the target it would run into the
    status beside it."""
    side = "right" if w.rtl else "left"
    reached = min(max(percent or 0.0, 0.0), 1.0) * TARGET_TRACK
    striped = status == "behind"
    bar = Markup('<span class="segment" data-series="{}" style="{}:0;width:{};{}"></span>').format(
        status, side, _pct(reached), _fill(STATUS_COLOURS[status], striped)) if reached else Markup("")
    tick = Markup('<span class="due" style="{}:{}"></span>').format(side, _pct(expected * TARGET_TRACK)) \
        if expected is not None else Markup("")
    said = w.percent(percent) if percent is not None else "—"
    return Markup('<span class="percent">{}</span><div class="track thin progress" aria-hidden="true">{}{}</div>'
                  ).format(said, bar, tick)
