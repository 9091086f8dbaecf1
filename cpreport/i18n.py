"""The message catalogs: template and interface strings in English (the source) and their Arabic translations."""
from __future__ import annotations

import functools
import gettext as gettext_module
from pathlib import Path

import jinja2
from markupsafe import Markup
from babel.support import NullTranslations, Translations

PACKAGE = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "cpreport"
SOURCE_LANGUAGE = "en"
# Functions whose string arguments are messages: Jinja's i18n names, and `arabic` for the Arabic
# lines of pages that are otherwise English (the findings page, the footer); `N_` marks a message worded later
# (the findings' messages).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "arabic": None, "N_": None,
            "pgettext": ((1, "c"), 2)}


@functools.cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The compiled catalog of a language; the English source strings for English."""
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    found = Translations.load(str(LOCALE_DIR), [language], DOMAIN)
    if not isinstance(found, Translations):
        raise FileNotFoundError(f"no compiled '{language}' catalog in {LOCALE_DIR / language / 'LC_MESSAGES'}")
    return found


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return translations(context.get("lang") or SOURCE_LANGUAGE).gettext(message)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return translations(context.get("lang") or SOURCE_LANGUAGE).ngettext(singular, plural, int(n))


def arabic(message: str, **variables) -> str:
    """A message in Arabic, whatever the page's language."""
    return Markup(translations("ar").gettext(message)) % variables


def install(environment: jinja2.Environment) -> None:
    """Give the templates `_`, `gettext` and `ngettext` in the language of the half they render
    (the `lang` variable; English where there is none), and `arabic`."""
    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    environment.globals["arabic"] = arabic
