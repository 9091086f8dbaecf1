"""What a config option is: an object that checks the value of one key of cpreport.toml.

`Option` is the kind every key's checker is made of (options.py holds the keys of the report, intake_options.py
those that add to the input contract, results_options.py the results framework); `Text`, `check_text` and
`check_date` the values many keys are made of; `Checking` is what a check sees beyond the value; `unknown_key` says
that a key is not known, naming the nearest known one."""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from .said import Said


def unknown_key(key: str, known, problems: list) -> None:
    """Add a problem saying `key` is not known, with the nearest of `known` when one is close."""
    close = difflib.get_close_matches(key, list(known), n=1)
    problems.append(Said("unknown key '%(key)s'; did you mean '%(near)s'?", key=key, near=close[0]) if close
                    else Said("unknown key '%(key)s'", key=key))


UNSET = object()  # what a check returns when the key gives the build no value


@dataclass
class Checking:
    """What a check may need beyond the value: the config file's folder, the keys given from outside the file
    (by an option or the environment, whose paths are relative to the current folder), the values checked so
    far, and the problems found so far (a check adds its own)."""

    root: Path
    outside: dict[str, str]
    values: dict
    problems: list  # of Said (cpreport.said)

    def base(self, key: str) -> Path:
        return Path.cwd() if key in self.outside else self.root


class Option:
    """One key of the config: `doc` says what it is for; `check` returns the value the build uses (UNSET for
    none) and adds what is wrong to `checking.problems`."""

    def __init__(self, doc: str):
        self.doc = doc

    def check(self, key: str, value: object, checking: Checking) -> object:
        raise NotImplementedError

    def from_environment(self, text: str) -> object:
        """The value a CPREPORT_<KEY> variable gives, as the file would write it."""
        return text


# The values every kind of key is made of: a text in both languages, a date.
LANGUAGES = ("en", "ar")


@dataclass(frozen=True)
class Text:
    """One piece of text in both languages."""

    en: str = ""
    ar: str = ""

    def __getitem__(self, language: str) -> str:
        return getattr(self, language)


def check_text(key, value: object, problems: list) -> Text:
    """A text in both languages ({ en = "…", ar = "…" }, or one text for both); what is wrong added to problems."""
    if isinstance(value, str):
        return Text(value, value)
    if not isinstance(value, dict):
        problems.append(Said("'%(key)s' must be a table with 'en' and 'ar' texts, e.g. %(key)s = { en = \"…\", ar = \"…\" }",
                             key=key))
        return Text()
    for extra in set(value) - set(LANGUAGES):
        problems.append(Said("'%(key)s.%(language)s' is not a language; use 'en' and 'ar'", key=key, language=extra))
    for language in LANGUAGES:
        if language in value and not isinstance(value[language], str):
            problems.append(Said("'%(key)s.%(language)s' must be text", key=key, language=language))
    return Text(str(value.get("en", "")), str(value.get("ar", "")))


def check_date(key, value: object, problems: list) -> dt.date | None:
    """A date as TOML writes it (2017-12-31) or as text; what is wrong added to problems."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(Said("'%(key)s' must be a date such as 2016-10-17, not '%(value)s'", key=key, value=value))
        return None
