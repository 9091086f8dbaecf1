"""The config's options: what each key of cpreport.toml may hold, and how its value is checked.

Each key is an `Option` object (in the manner of mkdocs' `config_options`): a line saying what it is for
(`doc`), and a `check` that turns the value as written into the value the build uses, or says what is wrong
with it (the kind is in checking.py; the keys that add to the input contract, [columns], [values], [files]
and [limits], are in intake_options.py, and the results framework, [[indicators]], in results_options.py). `OPTIONS` names them all; config.py reads the file, lays the
environment and the command line's options over it, and applies them. A key left out keeps the default of its field of `config.Config`."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from dataclasses import dataclass, fields

from .checking import LANGUAGES, UNSET, Checking, Option, Text, check_date, check_text, unknown_key  # noqa: F401
from .contract import fold
from .intake_options import Columns, FileLimits, Files, Values
from .results_options import Indicator, Indicators  # noqa: F401 - the config's
from .periods import Period
from .said import Quoted, Said

FORMATS = ("html", "pdf", "docx", "xlsx")
DEFAULT_FORMATS = ("html", "pdf")
# What report.pdf conforms to: archival and tagged by default (see docs/deliverables.md), or plain.
PDF_VARIANTS = ("pdf/a-3a", "pdf/ua-1", "pdf/a-3b", "none")
# The language findings and messages are printed in on the terminal (--lang): English unless the config says.
MESSAGE_LANGUAGES = ("en", "ar", "both")


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




# --- the options ------------------------------------------------------------------------------------------

class Folder(Option):
    """A folder's path, relative to the config file (or to the current folder, when given from outside)."""

    def __init__(self, doc: str, exists: bool = False):
        super().__init__(doc)
        self.exists = exists

    def check(self, key, value, checking):
        if not isinstance(value, str):
            checking.problems.append(Said("'%(key)s' must be a folder path, as text", key=key))
            return UNSET
        folder = (checking.base(key) / Path(value).expanduser()).resolve()  # "~/reports": the home folder's
        if self.exists and not folder.is_dir():
            checking.problems.append(Said("'%(key)s': the folder %(folder)s does not exist", key=key, folder=folder))
        return folder


class Bilingual(Option):
    """A text in English and Arabic: { en = "…", ar = "…" }, or one text for both."""

    def check(self, key, value, checking):
        return check_text(key, value, checking.problems)


class BilingualFiles(Option):
    """A file per language, relative to the config file: { en = "narrative/en.md", ar = "narrative/ar.md" }."""

    def check(self, key, value, checking):
        text = check_text(key, value, checking.problems)
        root = checking.root
        for language in LANGUAGES:
            if text[language] and not (root / text[language]).is_file():
                checking.problems.append(Said("'%(key)s.%(language)s': the file %(file)s does not exist", key=key,
                                              language=language, file=root / text[language]))
        return Text(*(str(root / text[lang]) if text[lang] else "" for lang in LANGUAGES))


class ListOf(Option):
    """A list drawn from `allowed`, each at most once; from the environment, comma-separated."""

    def __init__(self, doc: str, allowed: tuple[str, ...]):
        super().__init__(doc)
        self.allowed = allowed

    def check(self, key, value, checking):
        if not isinstance(value, list) or not value or any(v not in self.allowed for v in value):
            wrong = [v for v in value if v not in self.allowed] if isinstance(value, list) and value else value
            checking.problems.append(Said("'%(key)s' must be a list drawn from %(allowed)s, not %(value)s", key=key,
                                          allowed=Quoted(self.allowed), value=Quoted(wrong)))
        elif len(set(value)) < len(value):
            checking.problems.append(Said("'%(key)s' names a value twice: %(value)s", key=key,
                                          value=Quoted(sorted({v for v in value if value.count(v) > 1}))))
        else:
            return tuple(value)
        return UNSET

    def from_environment(self, text):
        return [v.strip() for v in text.split(",") if v.strip()]


class Choice(Option):
    """One of a few words."""

    def __init__(self, doc: str, choices: tuple[str, ...]):
        super().__init__(doc)
        self.choices = choices

    def check(self, key, value, checking):
        if value in self.choices:
            return value
        choices, said = self.choices, {"key": key, "value": Quoted(value)}
        if len(choices) == 2:
            checking.problems.append(Said("'%(key)s' must be '%(first)s' or '%(second)s', not %(value)s", **said,
                                          first=choices[0], second=choices[1]))
        elif len(choices) == 3:
            checking.problems.append(Said("'%(key)s' must be '%(first)s', '%(second)s' or '%(third)s', not %(value)s",
                                          **said, first=choices[0], second=choices[1], third=choices[2]))
        else:
            checking.problems.append(Said("'%(key)s' must be one of %(allowed)s, not %(value)s", **said,
                                          allowed=Quoted(choices)))
        return UNSET


class PeriodOption(Option):
    """A reporting period, as periods.Period reads it."""

    def check(self, key, value, checking):
        if not isinstance(value, str):
            # A date (period = 2017-05-01, unquoted, is a date to TOML): shown as the config writes it.
            shown = value.isoformat() if hasattr(value, "isoformat") else value
            checking.problems.append(Said("'%(key)s' must be text such as \"2017-05\" or \"2017-Q2\" (in quotes), not "
                                          "%(value)s", key=key, value=Quoted(shown)))
            return UNSET
        try:
            return Period.parse(value)
        except ValueError as error:
            checking.problems.append(Said("'%(key)s': %(problem)s", key=key, problem=error.args[0]))
            return UNSET


class Date(Option):
    """A date: 2017-12-31, as TOML writes it, or as text."""

    def check(self, key, value, checking):
        return check_date(key, value, checking.problems)


class Scopes(Option):
    """[scopes.<key>] with label, name, origin and since: the displacement scopes the sheet may name."""

    def check(self, key, value, checking):
        problems = checking.problems
        scopes: dict[str, Scope] = {}
        if not isinstance(value, dict):
            problems.append(Said("'scopes' must be a table of scopes, e.g. [scopes.national]"))
            return scopes
        for key, entry in value.items():
            if not isinstance(entry, dict):
                problems.append(Said("'scopes.%(scope)s' must be a table with label, name, origin and since", scope=key))
                continue
            known = ("label", "name", "origin", "since")
            for extra in set(entry) - set(known):
                unknown_key(f"scopes.{key}.{extra}", [f"scopes.{key}.{k}" for k in known], problems)
            since = check_date(f"scopes.{key}.since", entry["since"], problems) if "since" in entry else None
            # Keyed as the sheet's scope column is read ("Mosul operations" is mosul_operations).
            scopes[fold(key)] = Scope(fold(key), check_text(f"scopes.{key}.label", entry.get("label", key), problems),
                                check_text(f"scopes.{key}.origin", entry.get("origin", ""), problems), since,
                                check_text(f"scopes.{key}.name", entry.get("name", ""), problems))
        return scopes


class Highlights(Option):
    """[[highlights]] with district and text: places the release names when a forum stands there."""

    def check(self, key, value, checking):
        problems = checking.problems
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(Said("'highlights' must be a list of [[highlights]] tables with district and text"))
            return ()
        found = []
        for number, entry in enumerate(value, 1):
            for extra in set(entry) - {"district", "text"}:
                # Often a top-level key written below [[highlights]], where TOML puts it in the last highlight.
                unknown_key(f"highlights[{number}].{extra}", [f"highlights[{number}].{k}" for k in ("district", "text")],
                         problems)
                if extra in OPTIONS:
                    problems[-1] = Said("%(problem)s ('%(key)s' is a top-level key: move it above the first [table] "
                                        "of the file)", problem=problems[-1], key=extra)
            if "district" not in entry:
                problems.append(Said("highlight %(number)s needs a 'district'", number=number))
                continue
            district = str(entry["district"])
            # A district is matched by its letters and digits: one without any would match the forums that give none.
            if not fold(district):
                problems.append(Said("highlight %(number)s: '%(district)s' names no district; write its name, e.g. "
                                     "\"Qayara\"", number=number, district=district))
                continue
            if any(fold(h.district) == fold(district) for h in found):
                problems.append(Said("highlight %(number)s: '%(district)s' is highlighted already", number=number,
                                     district=district))
                continue
            found.append(Highlight(district, check_text(f"highlights[{number}].text", entry.get("text", ""), problems)))
        return tuple(found)


class Switches(Option):
    """A table of true/false switches, such as [charts] or [sections]."""

    def __init__(self, doc: str, kind, example: str):
        super().__init__(doc)
        self.kind, self.example = kind, example

    def check(self, key, value, checking):
        problems = checking.problems
        name, kind, example = key, self.kind, self.example
        names = [f.name for f in fields(kind)]
        if not isinstance(value, dict):
            problems.append(Said("'%(key)s' must be a table of switches, e.g. [%(key)s] with %(example)s = false",
                                 key=name, example=example))
            return kind()
        switches = {}
        for key, switch in value.items():
            if key not in names:
                unknown_key(f"{name}.{key}", [f"{name}.{n}" for n in names], problems)
            elif not isinstance(switch, bool):
                problems.append(Said("'%(key)s.%(switch)s' must be true or false, not %(value)s", key=name, switch=key,
                                     value=repr(switch)))
            else:
                switches[key] = switch
        return kind(**switches)


class Logo(Option):
    """The logo's file: it must exist and be a PNG or SVG image, or the report would show a broken picture."""

    def check(self, key, value, checking):
        problems = checking.problems
        root = checking.root
        if not isinstance(value, str) or not value.strip():
            problems.append(Said("'logo' must be the path of an SVG or PNG file, as text, e.g. logo = \"logo.svg\""))
            return None
        path = (root / value).resolve()
        try:
            content = path.read_bytes()
        except OSError as error:
            problems.append(Said("'logo': the file %(file)s cannot be read (%(problem)s)", file=path,
                                 problem=error.strerror or error))
            return None
        if logo_type(content) is None:
            problems.append(Said("'logo': the file %(file)s is not an SVG or PNG image; save the logo as .svg or .png",
                                 file=path))
            return None
        return path


class Revisions(Option):
    """[revisions."2017-04"] reason = { en = "…", ar = "…" }: said in that month's note of revised figures."""

    def check(self, key, value, checking):
        problems = checking.problems
        if not isinstance(value, dict):
            problems.append(Said('\'revisions\' must be a table such as [revisions."2017-04"] reason = { en = "…", ar = "…" }'))
            return {}
        found = {}
        for month, entry in value.items():
            try:
                Period.parse(str(month))
            except ValueError as error:
                problems.append(Said("'revisions.%(month)s': %(problem)s", month=month, problem=error.args[0]))
                continue
            if not isinstance(entry, dict):
                problems.append(Said("'revisions.%(month)s' must be a table with a reason", month=month))
                continue
            for extra in set(entry) - {"reason"}:
                unknown_key(f"revisions.{month}.{extra}", [f"revisions.{month}.reason"], problems)
            if "reason" in entry:
                found[str(Period.parse(str(month)))] = check_text(f"revisions.{month}.reason", entry["reason"], problems)
        return found


OPTIONS: dict[str, Option] = {
    "period": PeriodOption("period of the report: YYYY-MM, YYYY-Qn, YYYY-Hn, YYYY or project"),
    "data": Folder("folder of the input sheets", exists=True),
    "out": Folder("folder the reports are written to"),
    "digits": Choice("arabic or western digits in the Arabic half", ("arabic", "western")),
    "languages": ListOf("languages of the report", LANGUAGES),
    "language": Choice("language of the findings and messages on the terminal: en, ar or both", MESSAGE_LANGUAGES),
    "formats": ListOf("html, pdf, docx, xlsx", FORMATS),
    "pdf_variant": Choice("pdf/a-3a, pdf/ua-1, pdf/a-3b or none", PDF_VARIANTS),
    "templates": Folder("folder of templates overriding the built-in ones by name", exists=True),
    "programme": Bilingual("name of the programme"),
    "agency": Bilingual("name of the implementing agency"),
    "donor": Bilingual("name of the donor"),
    "headline": Bilingual("the release's headline"),
    "dateline": Bilingual("the release's dateline"),
    "narrative": BilingualFiles("narrative files, one per language"),
    "contacts": Bilingual("contacts paragraph"),
    "scopes": Scopes("labels and start dates of displacement scopes"),
    "highlights": Highlights("places the release names when a forum stands there"),
    "charts": Switches("pictures to show: tables, forums_by_governorate, activities_by_month, participants, "
                       "displacement, map = true or false", Charts, "map"),
    "sections": Switches("parts of the report to show: forums, activities, displacement, changes, pictures, "
                         "contacts, sources = true or false", Sections, "displacement"),
    "logo": Logo("an SVG or PNG image shown above the headline"),
    "footer": Bilingual("the footer's text, in place of the default one"),
    "columns": Columns("the project's own headers for the contract's columns, per table"),
    "values": Values("the project's own values for the contract's columns, per table and column"),
    "files": Files("per-file options: encoding, delimiter, header_row, sheet, table"),
    "revisions": Revisions("why a published month's figures were revised: [revisions.\"2017-04\"] reason = "
                          "{ en = \"…\", ar = \"…\" }"),
    "limits": FileLimits("what one file may ask of the machine: file_bytes, cells, columns, line_bytes, "
                         "cell_characters, reader_bytes"),
    "indicators": Indicators("the results framework: code, label, figure, of, baseline, target, target_date, group"),
    "project_end": Date("the end of the project: the target date of indicators without their own"),
}


def check_key(key: str, value: object, checking: Checking) -> None:
    """Check one key's value: what is right goes into `checking.values`, what is wrong into its problems."""
    option = OPTIONS.get(key)
    if option is None:
        unknown_key(key, OPTIONS, checking.problems)
        return
    checked = option.check(key, value, checking)
    if checked is not UNSET:
        checking.values[key] = checked
