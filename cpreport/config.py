"""The config stage: read cpreport.toml, lay options and environment over it, check all of it at once."""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .contract import Intake
from .decoding import read_text
from .errors import ConfigError
from .said import Said
from .options import (DEFAULT_FORMATS, LANGUAGES, MESSAGE_LANGUAGES, OPTIONS, PDF_VARIANTS, Charts, Checking, Highlight, Indicator,
                      Sections, Scope, Text, check_key, logo_type)
from .periods import MONTHS_IN, PERIOD_FORMS, PERIOD_KINDS, Period  # noqa: F401 - the config's period, as before

# The config's values, as the rest of cpreport imports them from here.
__all__ = ["Config", "Charts", "Highlight", "Indicator", "Period", "Scope", "Sections", "Text", "load_config",
           "logo_type", "read_text", "MESSAGE_LANGUAGES"]
DEFAULT_CONFIG = "cpreport.toml"


def N_(message: str) -> str:
    """Marks a default text for the catalogs; `default_text` translates it when a config leaves it out."""
    return message


def default_text(english: str) -> Text:
    """A text the config may leave out, in English and as the Arabic catalog says it."""
    from .i18n import translations  # only for a config without the key: the catalogs are not read otherwise

    return Text(english, translations("ar").gettext(english))


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
    programme: Text = field(default_factory=lambda: default_text(N_("Community Policing programme")))
    agency: Text = field(default_factory=lambda: default_text(N_("IOM")))
    donor: Text = Text()
    headline: Text = field(default_factory=lambda: default_text(N_("Community Policing Programme Report")))
    dateline: Text = field(default_factory=lambda: default_text(N_("Iraq")))
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


# Keys a cron line may set from the environment, as CPREPORT_<KEY>; lists are written comma-separated
# (CPREPORT_FORMATS=html,pdf). Paths from the environment, like options, are relative to the current folder.
ENVIRONMENT_KEYS = ("data", "out", "period", "digits", "templates", "formats", "languages", "language")


def load_config(path: str | os.PathLike | None = None, *, data: str | None = None, out: str | None = None,
                period: str | None = None, environ: dict[str, str] | None = None,
                today: dt.date | None = None, given_as: dict[str, str] | None = None) -> Config:
    """Read the config file and lay the environment (CPREPORT_*) and then the options over it.

    given_as: how an option was given on the command line when not as --KEY (approve's PERIOD), for its problems.

    Options left at None keep the file's value. Every problem is collected and raised in one ConfigError.
    """
    environ = os.environ if environ is None else environ
    problems: list[Said] = []
    config_path = Path(path) if path else Path(DEFAULT_CONFIG)
    raw: dict = {}
    if config_path.is_file():
        try:
            raw = tomllib.loads(read_text(config_path))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(Said("the file is not valid TOML: %(error)s", error=error), config_path) from None
        except RecursionError:
            # Arrays or tables nested thousands deep: the TOML reader recurses once per level.
            raise ConfigError(Said("the file nests arrays or tables too deeply to be a cpreport config"),
                              config_path) from None
        config_path = config_path.resolve()
        root = config_path.parent
    elif path:
        raise ConfigError(Said("the config file %(path)s does not exist (run `cpreport init` to make one)",
                               path=config_path))
    elif data is None and "CPREPORT_DATA" not in environ:
        raise ConfigError(Said("there is no %(file)s in %(folder)s: give --config FILE (or --data FOLDER), or make a "
                               "project here with `cpreport init`", file=DEFAULT_CONFIG, folder=Path.cwd()))
    else:
        config_path, root = None, Path.cwd()

    # Keys given from outside the file, and by what: their paths are relative to the current folder,
    # and a problem with one names the variable or option, not the file.
    outside: dict[str, str] = {}
    for key in ENVIRONMENT_KEYS:
        if f"CPREPORT_{key.upper()}" in environ:
            value = environ[f"CPREPORT_{key.upper()}"]
            raw[key] = OPTIONS[key].from_environment(value)
            outside[key] = f"CPREPORT_{key.upper()}"
    in_file = raw.get("period")  # `--period project` runs to the end of the file's period
    overrides = {"data": data, "out": out, "period": period}
    for key, value in overrides.items():
        if value is not None:
            raw[key] = value
            outside[key] = (given_as or {}).get(key, f"--{key}")

    values: dict = {}
    checking = Checking(root, outside, values, problems)
    from_file = 0
    for key, value in raw.items():
        before = len(problems)
        try:
            check_key(key, value, checking)
        finally:
            if key in outside:
                problems[before:] = [Said("%(problem)s (given by %(option)s)", problem=problem, option=outside[key])
                                     for problem in problems[before:]]
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
        problem = (Said("'out' cannot be the data folder: give a folder of its own for the reports, such as "
                        "%(example)s", example=data / "out") if out == data else
                   Said("'out' cannot be %(folder)s: give a folder of its own for the reports, such as %(example)s",
                        folder=out, example=data / "out"))
        problems.append(Said("%(problem)s (given by %(option)s)", problem=problem, option=outside["out"])
                        if "out" in outside else problem)
        from_file += "out" not in outside
    if problems:
        raise ConfigError(problems, config_path if from_file else None)
    return Config(path=config_path, **values)
