"""What a config option is: an object that checks the value of one key of cpreport.toml.

`Option` is the kind every key's checker is made of (options.py holds the keys of the report, intake_options.py
those that add to the input contract); `Checking` is what a check sees beyond the value; `unknown_key` says
that a key is not known, naming the nearest known one."""
from __future__ import annotations

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

