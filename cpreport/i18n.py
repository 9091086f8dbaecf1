"""The message catalogs: template and interface strings in English (the source) and their Arabic translations.

Read with the standard library's gettext, so that the stages that only read and check the sheets may word a
message without loading Jinja or Babel; the templates' callables are installed from here when rendering."""
from __future__ import annotations

import functools
import gettext as gettext_module
from pathlib import Path

from markupsafe import Markup

PACKAGE = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "cpreport"
SOURCE_LANGUAGE = "en"
# Functions whose string arguments are messages: Jinja's i18n names, `N_` for a message declared in a table and
# worded where it is shown (labels, the findings' messages), and `arabic` for the Arabic lines of pages that are
# otherwise English (the findings page, the footer); `Said` for a message as data (cpreport.said).
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "arabic": None, "N_": None,
            "pgettext": ((1, "c"), 2), "Said": None}


@functools.cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The compiled catalog of a language; the English source strings for English."""
    if language == SOURCE_LANGUAGE:
        return gettext_module.NullTranslations()
    try:
        return gettext_module.translation(DOMAIN, str(LOCALE_DIR), [language])
    except OSError:
        raise FileNotFoundError(f"no compiled '{language}' catalog in {LOCALE_DIR / language / 'LC_MESSAGES'}") from None


def arabic(message: str, **variables) -> str:
    """A message in Arabic, whatever the page's language."""
    return Markup(translations("ar").gettext(message)) % variables


def install(environment) -> None:
    """Give the templates `_`, `gettext` and `ngettext` in the language of the half they render
    (the `lang` variable; English where there is none), and `arabic`."""
    import jinja2

    @jinja2.pass_context
    def _gettext(context: jinja2.runtime.Context, message: str) -> str:
        return translations(context.get("lang") or SOURCE_LANGUAGE).gettext(message)

    @jinja2.pass_context
    def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
        return translations(context.get("lang") or SOURCE_LANGUAGE).ngettext(singular, plural, int(n))

    environment.add_extension("jinja2.ext.i18n")
    environment.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    environment.globals["arabic"] = arabic


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is declared in a table; it is translated where it is shown."""
    return message
