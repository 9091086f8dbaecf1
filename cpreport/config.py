"""The config stage: read cpreport.toml, lay options and environment over it, check all of it at once."""
from __future__ import annotations

import codecs
import datetime as dt
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .contract import CHOICES, GOVERNORATE, CHOICE, TABLES, FileOptions, Intake, choice_lookup, fold, fold_path, match_governorate
from .errors import ConfigError
from .periods import MONTHS_IN, PERIOD_FORMS, PERIOD_KINDS, Period  # noqa: F401 - the config's period, as before

DEFAULT_CONFIG = "cpreport.toml"
LANGUAGES = ("en", "ar")
FORMATS = ("html", "pdf", "docx", "xlsx")
DEFAULT_FORMATS = ("html", "pdf")
# What report.pdf conforms to: archival and tagged by default (see docs/deliverables.md), or plain.
PDF_VARIANTS = ("pdf/a-3a", "pdf/ua-1", "pdf/a-3b", "none")
# The language findings and messages are printed in on the terminal (--lang): English unless the config says.
MESSAGE_LANGUAGES = ("en", "ar", "both")


def read_text(path: Path) -> str:
    """A text file as Windows and Linux editors save it: UTF-8 with or without BOM, UTF-16 with BOM,
    else Windows-1256 (Notepad on an Arabic Windows)."""
    raw = Path(path).read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1256", errors="replace")


@dataclass(frozen=True)
class Text:
    """One piece of text in both languages."""

    en: str = ""
    ar: str = ""

    def __getitem__(self, language: str) -> str:
        return getattr(self, language)


@dataclass(frozen=True)
class Scope:
    """A displacement scope such as `national` or `mosul_operations`."""

    key: str
    label: Text  # a phrase inside a sentence: "across the country", "the Mosul military operations"
    origin: Text = Text()
    since: dt.date | None = None
    name: Text = Text()  # a heading for tables and charts: "National", "Mosul operations"

    def heading(self, language: str) -> str:
        """The scope's name in tables and charts; without one, its label without a leading "the", capitalised."""
        if self.name[language]:
            return self.name[language]
        label = re.sub(r"^the\s+", "", self.label[language].strip(), flags=re.I)
        return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class Highlight:
    """A place the release names when a forum stands there, e.g. Qayara in Ninewa."""

    district: str
    text: Text


@dataclass(frozen=True)
class Charts:
    """The pictures the report shows; `[charts]` in the config switches each off, e.g. `map = false`."""

    tables: bool = True
    forums_by_governorate: bool = True
    activities_by_month: bool = True
    participants: bool = True
    displacement: bool = True
    map: bool = True


@dataclass(frozen=True)
class Sections:
    """The parts of the report; `[sections]` in the config switches each off, e.g. `displacement = false` for a
    programme without displacement figures (its sheet is then not required)."""

    forums: bool = True
    activities: bool = True
    displacement: bool = True
    changes: bool = True  # what changed since the month before, and the table of the period's counts
    pictures: bool = True
    contacts: bool = True
    sources: bool = True  # the footer saying what the report covers and where its figures come from


@dataclass(frozen=True)
class Indicator:
    """A line of the results framework, tied to a figure: what was planned (`target` by `target_date`) against
    what the figures say. With `of`, the indicator is a share (figure / of) and its target a fraction."""

    code: str
    label: Text
    figure: str
    target: float
    baseline: float = 0
    of: str = ""
    target_date: dt.date | None = None
    group: Text = Text()  # a heading above its rows, e.g. Outcome / Output


# A logo is embedded in the page (HTML and PDF): its kind is told from its first bytes, not its name.
LOGO_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def logo_type(content: bytes) -> str | None:
    """"image/png" or "image/svg+xml" when the bytes are such an image; None otherwise."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return LOGO_TYPES["png"]
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (head.startswith(b"<svg") or head.startswith(b"<?xml") or head.startswith(b"<!--")) and b"<svg" in content[:65536].lower():
        return LOGO_TYPES["svg"]
    return None


@dataclass(frozen=True)
class Config:
    path: Path | None
    data: Path
    out: Path
    period: Period
    digits: str = "arabic"
    languages: tuple[str, ...] = LANGUAGES
    language: str | None = None  # the terminal's language (en, ar, both); None: English, unless --lang says
    formats: tuple[str, ...] = DEFAULT_FORMATS
    pdf_variant: str = PDF_VARIANTS[0]
    templates: Path | None = None
    programme: Text = Text("Community Policing programme", "برنامج الشرطة المجتمعية")
    agency: Text = Text("IOM", "المنظمة الدولية للهجرة")
    donor: Text = Text()
    headline: Text = Text("Community Policing Programme Report", "تقرير برنامج الشرطة المجتمعية")
    dateline: Text = Text("Iraq", "العراق")
    narrative: Text = Text()  # paths of the narrative files, one per language
    contacts: Text = Text()
    scopes: dict[str, Scope] = field(default_factory=dict)
    highlights: tuple[Highlight, ...] = ()
    charts: Charts = Charts()
    sections: Sections = Sections()
    logo: Path | None = None
    footer: Text = Text()  # replaces the default footer's text (what the report covers, where its figures come from)
    indicators: tuple[Indicator, ...] = ()  # [[indicators]]: the results framework
    project_end: dt.date | None = None  # the date an indicator without a target_date is judged by
    revisions: dict[str, Text] = field(default_factory=dict)  # period -> why its published figures were revised
    intake: Intake = Intake()  # the project's own headers, values and per-file options: [columns], [values], [files]

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


# Every key the file may hold: dotted name -> (kind, description). Kinds: str, text (en/ar), path,
# dir, file-text (en/ar paths), list, date, scopes, highlights, charts.
KEYS = {
    "period": ("str", "period of the report: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or project"),
    "data": ("dir", "folder of the input sheets"),
    "out": ("path", "folder the reports are written to"),
    "digits": ("str", "arabic or western digits in the Arabic half"),
    "languages": ("list", "languages of the report"),
    "language": ("str", "language of the findings and messages on the terminal: en, ar or both"),
    "formats": ("list", "html, pdf, docx, xlsx"),
    "pdf_variant": ("str", "pdf/a-3a, pdf/ua-1, pdf/a-3b or none"),
    "templates": ("dir", "folder of templates overriding the built-in ones by name"),
    "programme": ("text", "name of the programme"),
    "agency": ("text", "name of the implementing agency"),
    "donor": ("text", "name of the donor"),
    "headline": ("text", "the release's headline"),
    "dateline": ("text", "the release's dateline"),
    "narrative": ("file-text", "narrative files, one per language"),
    "contacts": ("text", "contacts paragraph"),
    "scopes": ("scopes", "labels and start dates of displacement scopes"),
    "highlights": ("highlights", "places the release names when a forum stands there"),
    "charts": ("charts", "pictures to show: tables, forums_by_governorate, activities_by_month, participants, "
                         "displacement, map = true or false"),
    "sections": ("sections", "parts of the report to show: forums, activities, displacement, changes, pictures, "
                             "contacts, sources = true or false"),
    "logo": ("logo", "an SVG or PNG image shown above the headline"),
    "footer": ("text", "the footer's text, in place of the default one"),
    "columns": ("columns", "the project's own headers for the contract's columns, per table"),
    "values": ("values", "the project's own values for the contract's columns, per table and column"),
    "files": ("files", "per-file options: encoding, delimiter, header_row, sheet, table"),
    "revisions": ("revisions", "why a published month's figures were revised: [revisions.\"2017-04\"] reason = "
                               "{ en = \"…\", ar = \"…\" }"),
    "limits": ("limits", "what one file may ask of the machine: file_bytes, cells, columns, line_bytes, "
                         "cell_characters"),
    "indicators": ("indicators", "the results framework: code, label, figure, of, baseline, target, target_date, group"),
    "project_end": ("date", "the end of the project: the target date of indicators without their own"),
}
# Keys a cron line may set from the environment, as CPREPORT_<KEY>; lists are written comma-separated
# (CPREPORT_FORMATS=html,pdf). Paths from the environment, like options, are relative to the current folder.
ENVIRONMENT_KEYS = ("data", "out", "period", "digits", "templates", "formats", "languages", "language")


def _check_text(key: str, value: object, problems: list[str]) -> Text:
    if isinstance(value, str):
        return Text(value, value)
    if not isinstance(value, dict):
        problems.append(f"'{key}' must be a table with 'en' and 'ar' texts, e.g. {key} = {{ en = \"…\", ar = \"…\" }}")
        return Text()
    for extra in set(value) - set(LANGUAGES):
        problems.append(f"'{key}.{extra}' is not a language; use 'en' and 'ar'")
    for language in LANGUAGES:
        if language in value and not isinstance(value[language], str):
            problems.append(f"'{key}.{language}' must be text")
    return Text(str(value.get("en", "")), str(value.get("ar", "")))


def _unknown(key: str, known, problems: list[str]) -> None:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    problems.append(f"unknown key '{key}'{hint}")


def _check_date(key: str, value: object, problems: list[str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"'{key}' must be a date such as 2016-10-17, not '{value}'")
        return None


def _check_scopes(value: object, problems: list[str]) -> dict[str, Scope]:
    scopes: dict[str, Scope] = {}
    if not isinstance(value, dict):
        problems.append("'scopes' must be a table of scopes, e.g. [scopes.national]")
        return scopes
    for key, entry in value.items():
        if not isinstance(entry, dict):
            problems.append(f"'scopes.{key}' must be a table with label, name, origin and since")
            continue
        known = ("label", "name", "origin", "since")
        for extra in set(entry) - set(known):
            _unknown(f"scopes.{key}.{extra}", [f"scopes.{key}.{k}" for k in known], problems)
        since = _check_date(f"scopes.{key}.since", entry["since"], problems) if "since" in entry else None
        # Keyed as the sheet's scope column is read ("Mosul operations" is mosul_operations).
        scopes[fold(key)] = Scope(fold(key), _check_text(f"scopes.{key}.label", entry.get("label", key), problems),
                            _check_text(f"scopes.{key}.origin", entry.get("origin", ""), problems), since,
                            _check_text(f"scopes.{key}.name", entry.get("name", ""), problems))
    return scopes


def _check_highlights(value: object, problems: list[str]) -> tuple[Highlight, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append("'highlights' must be a list of [[highlights]] tables with district and text")
        return ()
    found = []
    for number, entry in enumerate(value, 1):
        for extra in set(entry) - {"district", "text"}:
            # Often a top-level key written below [[highlights]], where TOML puts it in the last highlight.
            _unknown(f"highlights[{number}].{extra}", [f"highlights[{number}].{k}" for k in ("district", "text")],
                     problems)
            if extra in KEYS:
                problems[-1] += f" ('{extra}' is a top-level key: move it above the first [table] of the file)"
        if "district" not in entry:
            problems.append(f"highlight {number} needs a 'district'")
            continue
        district = str(entry["district"])
        # A district is matched by its letters and digits: one without any would match the forums that give none.
        if not fold(district):
            problems.append(f"highlight {number}: '{district}' names no district; write its name, e.g. \"Qayara\"")
            continue
        if any(fold(h.district) == fold(district) for h in found):
            problems.append(f"highlight {number}: '{district}' is highlighted already")
            continue
        found.append(Highlight(district, _check_text(f"highlights[{number}].text", entry.get("text", ""), problems)))
    return tuple(found)


INDICATOR_KEYS = ("code", "label", "figure", "of", "baseline", "target", "target_date", "group")


def figure_keys(scopes: object = ()) -> list[str]:
    """Every figures.json key a build may state (displacement ones for the config's scopes and any others as
    `displacement.<scope>.<metric>`): what an indicator's `figure` and `of` may name."""
    from .contract import PARTICIPANT_GROUPS

    bases = ["cpfs.total", *(f"cpfs.{k}" for k in CHOICES["established_by"]), "activities.total",
             *(f"activities.{k}" for k in CHOICES["activity_type"]), "participants.total"]
    keys = [f"{base}{suffix}" for base in bases for suffix in ("", ".in_period", ".previous", ".change")]
    keys += ["cpfs.active", *(f"participants.{g}{suffix}" for g in ("female", *PARTICIPANT_GROUPS)
                              for suffix in ("", ".in_period", ".previous", ".change"))]
    for scope in scopes:
        for metric in CHOICES["metric"]:
            keys += [f"displacement.{scope}.{metric}{suffix}" for suffix in ("", ".previous", ".change")]
    return keys


def _figure_key(name: str, value: object, scopes: object, problems: list[str]) -> str:
    """A figure an indicator names: a known key, or a displacement figure of any scope (the sheet names them)."""
    text = str(value).strip()
    metrics = "|".join(CHOICES["metric"])
    if text in figure_keys(scopes) or re.fullmatch(rf"displacement\.\w+\.({metrics})(\.previous|\.change)?", text):
        return text
    close = difflib.get_close_matches(text, figure_keys(scopes), n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    problems.append(f"{name}: '{text}' is not a figure{hint} (`cpreport figures` lists them)")
    return ""


def _number(name: str, value: object, problems: list[str]) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value < 0:
        problems.append(f"{name} must be a number of 0 or more, such as 60 or 0.35, not {value!r}")
        return None
    return value


def _check_indicators(value: object, values: dict, problems: list[str]) -> tuple[Indicator, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append("'indicators' must be a list of [[indicators]] tables with code, label, figure and target")
        return ()
    found: list[Indicator] = []
    scopes = list(values.get("scopes", {}))
    for number, entry in enumerate(value, 1):
        here = f"indicator {entry.get('code', number)}"
        for extra in set(entry) - set(INDICATOR_KEYS):
            _unknown(f"indicators[{number}].{extra}", [f"indicators[{number}].{k}" for k in INDICATOR_KEYS], problems)
        missing = [k for k in ("code", "label", "figure", "target") if k not in entry]
        if missing:
            problems.append(f"{here} needs {', '.join(repr(k) for k in missing)}")
            continue
        code = str(entry["code"]).strip()
        if not re.fullmatch(r"[\w.\-]+", code):
            problems.append(f"{here}: the code must be letters, digits, dots or dashes, such as \"1.1\"")
            continue
        if any(i.code == code for i in found):
            problems.append(f"{here}: the code '{code}' is given twice")
            continue
        figure = _figure_key(f"{here} 'figure'", entry["figure"], scopes, problems)
        of = _figure_key(f"{here} 'of'", entry["of"], scopes, problems) if "of" in entry else ""
        target = _number(f"{here} 'target'", entry["target"], problems)
        baseline = _number(f"{here} 'baseline'", entry.get("baseline", 0), problems)
        when = _check_date(f"{here} 'target_date'", entry["target_date"], problems) if "target_date" in entry else None
        label = _check_text(f"{here} 'label'", entry["label"], problems)
        group = _check_text(f"{here} 'group'", entry["group"], problems) if "group" in entry else Text()
        if of and target is not None and target > 1:
            problems.append(f"{here}: a share's target is a fraction such as 0.35 (35%), not {target!r}")
        if not of and when is None and "project_end" not in values and "target_date" not in entry:
            # How far along a count should be is told by the time gone to its date; a share is judged as it stands.
            problems.append(f"{here} needs a 'target_date', or the config a 'project_end' (the date it is judged by)")
            continue
        if figure and (of or "of" not in entry) and target is not None and baseline is not None:
            found.append(Indicator(code, label, figure, target, baseline, of, when, group))
    return tuple(found)


def _check_switches(name: str, kind, value: object, problems: list[str], example: str):
    """A table of true/false switches, such as [charts] or [sections]."""
    names = [f.name for f in fields(kind)]
    if not isinstance(value, dict):
        problems.append(f"'{name}' must be a table of switches, e.g. [{name}] with {example} = false")
        return kind()
    switches = {}
    for key, switch in value.items():
        if key not in names:
            _unknown(f"{name}.{key}", [f"{name}.{n}" for n in names], problems)
        elif not isinstance(switch, bool):
            problems.append(f"'{name}.{key}' must be true or false, not {switch!r}")
        else:
            switches[key] = switch
    return kind(**switches)


def _check_charts(value: object, problems: list[str]) -> Charts:
    return _check_switches("charts", Charts, value, problems, "map")


def _check_logo(value: object, root: Path, problems: list[str]) -> Path | None:
    """The logo's file: it must exist and be a PNG or SVG image, or the report would show a broken picture."""
    if not isinstance(value, str) or not value.strip():
        problems.append("'logo' must be the path of an SVG or PNG file, as text, e.g. logo = \"logo.svg\"")
        return None
    path = (root / value).resolve()
    try:
        content = path.read_bytes()
    except OSError as error:
        problems.append(f"'logo': the file {path} cannot be read ({error.strerror or error})")
        return None
    if logo_type(content) is None:
        problems.append(f"'logo': the file {path} is not an SVG or PNG image; save the logo as .svg or .png")
        return None
    return path


def _table_and_column(key: str, table: str, column: str | None, problems: list[str]):
    """The contract's table (and column) a [columns] or [values] key names, or a problem naming the nearest."""
    if table not in TABLES:
        _unknown(f"{key}.{table}", [f"{key}.{t}" for t in TABLES], problems)
        return None, None
    if column is None:
        return TABLES[table], None
    names = [c.name for c in TABLES[table].columns]
    if column not in names:
        _unknown(f"{key}.{table}.{column}", [f"{key}.{table}.{n}" for n in names], problems)
        return TABLES[table], None
    return TABLES[table], TABLES[table].column(column)


def _check_columns(value: object, problems: list[str]) -> dict:
    """[columns.activities] participants = "Total number of participants" (or a list of headers)."""
    found: dict = {}
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        problems.append("'columns' must be tables of headers, e.g. [columns.activities] with participants = \"Total\"")
        return found
    for table_name, mapping in value.items():
        for column_name, headers in mapping.items():
            table, column = _table_and_column("columns", table_name, column_name, problems)
            if column is None:
                continue
            headers = [headers] if isinstance(headers, str) else headers
            if not isinstance(headers, list) or not headers or not all(isinstance(h, str) and fold(h) for h in headers):
                problems.append(f"'columns.{table_name}.{column_name}' must be a header, or a list of headers, as text")
                continue
            for header in headers:
                other = next((c.name for c in table.columns if fold(header) in c.keys and c.name != column_name), None)
                if other:
                    problems.append(f"'columns.{table_name}.{column_name}': the header '{header}' is already "
                                    f"read as '{other}'")
            found.setdefault(table_name, {})[column_name] = tuple(headers)
    return found


def _check_values(value: object, problems: list[str]) -> dict:
    """[values.activities.type] "Awareness session" = "workshop"."""
    found: dict = {}
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        problems.append("'values' must be tables of values, e.g. [values.activities.type] with "
                        "\"Awareness session\" = \"workshop\"")
        return found
    for table_name, columns in value.items():
        for column_name, mapping in columns.items():
            table, column = _table_and_column("values", table_name, column_name, problems)
            if column is None:
                continue
            if not isinstance(mapping, dict):
                problems.append(f"'values.{table_name}.{column_name}' must be a table of \"as written\" = \"value\"")
                continue
            for written, meant in mapping.items():
                canonical = _allowed_value(column, meant)
                if canonical is None:
                    allowed = (list(CHOICES[column.choices]) if column.kind == CHOICE else
                               ["a governorate's name or p-code"])
                    close = difflib.get_close_matches(str(meant), allowed, n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else f"; allowed: {', '.join(allowed)}"
                    problems.append(f"'values.{table_name}.{column_name}': '{meant}' is not an allowed value of "
                                    f"'{column_name}'{hint}")
                    continue
                if not fold(written):
                    problems.append(f"'values.{table_name}.{column_name}': the value as written must not be empty")
                    continue
                found.setdefault(table_name, {}).setdefault(column_name, {})[fold(written)] = canonical
    return found


def _allowed_value(column, meant: object):
    """The value a [values] entry stands for, as the column reads it; None if the column does not allow it."""
    if not isinstance(meant, str):
        return None
    if column.kind == CHOICE:
        return choice_lookup(column.choices).get(fold(meant))
    if column.kind == GOVERNORATE:
        return match_governorate(meant) and meant
    return meant


FILE_OPTIONS = {"encoding": str, "delimiter": str, "header_row": int, "sheet": str, "table": str}


def _check_files(value: object, problems: list[str]) -> dict:
    """[files."anbar/activities.csv"] encoding = "cp1256", delimiter = ";", header_row = 3, sheet, table."""
    found: dict = {}
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        problems.append("'files' must be tables of options, e.g. [files.\"anbar/activities.csv\"] with "
                        "encoding = \"cp1256\"")
        return found
    for name, options in value.items():
        checked: dict = {}
        for option, setting in options.items():
            if option not in FILE_OPTIONS:
                _unknown(f"files.{name}.{option}", [f"files.{name}.{o}" for o in FILE_OPTIONS], problems)
            elif not isinstance(setting, FILE_OPTIONS[option]) or isinstance(setting, bool):
                problems.append(f"'files.{name}.{option}' must be {'a whole number' if FILE_OPTIONS[option] is int else 'text'}")
            else:
                checked[option] = setting
        if "encoding" in checked:
            try:
                codecs.lookup(checked["encoding"])
            except LookupError:
                problems.append(f"'files.{name}.encoding': '{checked.pop('encoding')}' is not an encoding; "
                                "use e.g. utf-8, cp1256 or utf-16")
        if "delimiter" in checked and checked["delimiter"] not in (",", ";", "\t", "|", "\\t", "tab"):
            problems.append(f"'files.{name}.delimiter' must be \",\", \";\", \"|\" or \"\\t\" (tab)")
            checked.pop("delimiter")
        elif checked.get("delimiter") in ("\\t", "tab"):
            checked["delimiter"] = "\t"
        if "header_row" in checked and not 1 <= checked["header_row"] <= 1000:
            problems.append(f"'files.{name}.header_row' must be a row number from 1 to 1000")
            checked.pop("header_row")
        if "table" in checked and checked["table"] not in TABLES:
            _unknown(f"files.{name}.table = '{checked.pop('table')}'", [f"files.{name}.table = '{t}'" for t in TABLES],
                     problems)
        found[fold_path(name)] = FileOptions(**checked)
    return found


def _check_limits(value: object, problems: list[str]):
    """[limits]: whole numbers above zero, each replacing one of load.limits.Limits' defaults."""
    from .contract import LIMIT_KEYS, Limits

    if not isinstance(value, dict):
        problems.append("'limits' must be a table such as [limits] cells = 50000000")
        return None
    given = {}
    for name, number in value.items():
        if name not in LIMIT_KEYS:
            _unknown(f"limits.{name}", [f"limits.{k}" for k in LIMIT_KEYS], problems)
        elif isinstance(number, bool) or not isinstance(number, int) or number < 1:
            problems.append(f"'limits.{name}' must be a whole number above 0, not {number!r}")
        else:
            given[name] = number
    return Limits(**given)


def _check_revisions(value: object, problems: list[str]) -> dict[str, Text]:
    """[revisions."2017-04"] reason = { en = "…", ar = "…" }: said in that month's note of revised figures."""
    if not isinstance(value, dict):
        problems.append('\'revisions\' must be a table such as [revisions."2017-04"] reason = { en = "…", ar = "…" }')
        return {}
    found = {}
    for month, entry in value.items():
        try:
            Period.parse(str(month))
        except ValueError as error:
            problems.append(f"'revisions.{month}': {error}")
            continue
        if not isinstance(entry, dict):
            problems.append(f"'revisions.{month}' must be a table with a reason")
            continue
        for extra in set(entry) - {"reason"}:
            _unknown(f"revisions.{month}.{extra}", [f"revisions.{month}.reason"], problems)
        if "reason" in entry:
            found[str(Period.parse(str(month)))] = _check_text(f"revisions.{month}.reason", entry["reason"], problems)
    return found


def _check_key(key: str, value: object, root: Path, outside: dict[str, str], values: dict,
               problems: list[str]) -> None:
    """Check one key's value; what is right goes into `values`, what is wrong into `problems`."""
    if key not in KEYS:
        _unknown(key, KEYS, problems)
        return
    kind = KEYS[key][0]
    # Options are relative to the current folder, file values to the config file.
    base = Path.cwd() if key in outside else root
    if kind in ("dir", "path"):
        if not isinstance(value, str):
            problems.append(f"'{key}' must be a folder path, as text")
            return
        folder = (base / value).resolve()
        if kind == "dir" and not folder.is_dir():
            problems.append(f"'{key}': the folder {folder} does not exist")
        values[key] = folder
    elif kind == "text":
        values[key] = _check_text(key, value, problems)
    elif kind == "file-text":
        text = _check_text(key, value, problems)
        for language in LANGUAGES:
            if text[language] and not (root / text[language]).is_file():
                problems.append(f"'{key}.{language}': the file {root / text[language]} does not exist")
        values[key] = Text(*(str(root / text[lang]) if text[lang] else "" for lang in LANGUAGES))
    elif kind == "list":
        allowed = LANGUAGES if key == "languages" else FORMATS
        if not isinstance(value, list) or not value or any(v not in allowed for v in value):
            problems.append(f"'{key}' must be a list drawn from {list(allowed)}, not {value!r}")
        elif len(set(value)) < len(value):
            problems.append(f"'{key}' names a value twice: {value!r}")
        else:
            values[key] = tuple(value)
    elif kind == "scopes":
        values[key] = _check_scopes(value, problems)
    elif kind == "highlights":
        values[key] = _check_highlights(value, problems)
    elif kind == "charts":
        values[key] = _check_charts(value, problems)
    elif kind == "sections":
        values[key] = _check_switches("sections", Sections, value, problems, "displacement")
    elif kind == "logo":
        values[key] = _check_logo(value, root, problems)
    elif kind == "columns":
        values[key] = _check_columns(value, problems)
    elif kind == "values":
        values[key] = _check_values(value, problems)
    elif kind == "files":
        values[key] = _check_files(value, problems)
    elif kind == "limits":
        values[key] = _check_limits(value, problems)
    elif kind == "indicators":
        values[key] = _check_indicators(value, values, problems)
    elif kind == "date":
        values[key] = _check_date(key, value, problems)
    elif kind == "revisions":
        values[key] = _check_revisions(value, problems)
    elif key == "period":
        if not isinstance(value, str):
            problems.append(f"'period' must be text such as \"2017-05\" or \"2017-Q2\" (in quotes), not {value!r}")
            return
        try:
            values[key] = Period.parse(value)
        except ValueError as error:
            problems.append(f"'period': {error}")
    elif key == "digits":
        if value not in ("arabic", "western"):
            problems.append(f"'digits' must be 'arabic' or 'western', not {value!r}")
        else:
            values[key] = value
    elif key == "language":
        if value not in MESSAGE_LANGUAGES:
            problems.append(f"'language' must be 'en', 'ar' or 'both', not {value!r}")
        else:
            values[key] = value
    elif key == "pdf_variant":
        if value not in PDF_VARIANTS:
            problems.append(f"'pdf_variant' must be one of {list(PDF_VARIANTS)}, not {value!r}")
        else:
            values[key] = value


def load_config(path: str | os.PathLike | None = None, *, data: str | None = None, out: str | None = None,
                period: str | None = None, environ: dict[str, str] | None = None,
                today: dt.date | None = None) -> Config:
    """Read the config file and lay the environment (CPREPORT_*) and then the options over it.

    Options left at None keep the file's value. Every problem is collected and raised in one ConfigError.
    """
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    config_path = Path(path) if path else Path(DEFAULT_CONFIG)
    raw: dict = {}
    if config_path.is_file():
        try:
            raw = tomllib.loads(read_text(config_path))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"the file is not valid TOML: {error}", config_path) from None
        except RecursionError:
            # Arrays or tables nested thousands deep: the TOML reader recurses once per level.
            raise ConfigError("the file nests arrays or tables too deeply to be a cpreport config", config_path) from None
        config_path = config_path.resolve()
        root = config_path.parent
    elif path:
        raise ConfigError(f"the config file {config_path} does not exist (run `cpreport init` to make one)")
    elif data is None and "CPREPORT_DATA" not in environ:
        raise ConfigError(f"there is no {DEFAULT_CONFIG} in {Path.cwd()}: give --config FILE (or --data FOLDER), "
                          "or make a project here with `cpreport init`")
    else:
        config_path, root = None, Path.cwd()

    # Keys given from outside the file, and by what: their paths are relative to the current folder,
    # and a problem with one names the variable or option, not the file.
    outside: dict[str, str] = {}
    for key in ENVIRONMENT_KEYS:
        if f"CPREPORT_{key.upper()}" in environ:
            value = environ[f"CPREPORT_{key.upper()}"]
            raw[key] = [v.strip() for v in value.split(",") if v.strip()] if KEYS[key][0] == "list" else value
            outside[key] = f"CPREPORT_{key.upper()}"
    in_file = raw.get("period")  # `--period project` runs to the end of the file's period
    overrides = {"data": data, "out": out, "period": period}
    for key, value in overrides.items():
        if value is not None:
            raw[key] = value
            outside[key] = f"--{key}"

    values: dict = {}
    from_file = 0
    for key, value in raw.items():
        before = len(problems)
        try:
            _check_key(key, value, root, outside, values, problems)
        finally:
            if key in outside:
                problems[before:] = [f"{problem} (given by {outside[key]})" for problem in problems[before:]]
            else:
                from_file += len(problems) - before

    values.setdefault("data", root)
    values.setdefault("out", (root / "out").resolve())
    values.setdefault("period", Period.last_full_month(today))
    if values["period"].kind == "project":
        try:
            last = Period.parse(in_file) if isinstance(in_file, str) and in_file.strip().lower() != "project" else None
        except ValueError:
            last = None
        values["period"] = Period.parse("project", last or Period.last_full_month(today))
    # The output folder is not data, when it lies within the data folder.
    values["intake"] = Intake(values.pop("columns", {}), values.pop("values", {}), values.pop("files", {}),
                              (values["out"], *([values["templates"]] if values.get("templates") else [])),
                              values.pop("limits", None))
    # A build writes and tidies its own files in the output folder (the cache, the findings, the
    # period folders): the root, the home folder or the sheets' own folder would mix them with the
    # user's files.
    try:
        home = Path.home().resolve()
    except (KeyError, RuntimeError):  # no home folder known for this user (a bare cron environment)
        home = None
    out, data = Path(values["out"]).resolve(), Path(values["data"]).resolve()
    if out in (Path("/").resolve(), home, data):
        where = "the data folder" if out == data else str(out)
        problems.append(f"'out' cannot be {where}: give a folder of its own for the reports, "
                        f"such as {data / 'out'}" + (f" (given by {outside['out']})" if "out" in outside else ""))
        from_file += "out" not in outside
    if problems:
        raise ConfigError(problems, config_path if from_file else None)
    return Config(path=config_path, **values)
