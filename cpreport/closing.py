"""What the commands say when they end (built, up to date, approved, stopped), in the officer's language.

Each function words one message with a `Saying` (cpreport.messages) from the data the command has: counts,
periods, folders, seconds. The catalogs hold the words, with real plurals."""
from __future__ import annotations

from .digits import ARABIC_DECIMAL, ARABIC_THOUSANDS, TO_ARABIC


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is declared in a table; it is translated where it is shown. (Not
    cpreport.i18n's: this module is read by the quick answer of a build with nothing to do, which reads no catalog.)"""
    return message


# A number's Western digits and separators as Arabic text writes them.
ARABIC_NUMBER = {**TO_ARABIC, ord(","): ARABIC_THOUSANDS, ord("."): ARABIC_DECIMAL}

# How often `build --all-periods --every` builds, with the words of its closing line.
EVERY = {"month": N_("every month with data"), "quarter": N_("every quarter with data"),
         "half": N_("every half-year with data"), "year": N_("every year with data")}


def seconds(say, value: float, places: int = 1) -> str:
    """A duration in seconds: "12.3" / "١٢٫٣"."""
    return decimal(value, places, say.arabic)


def decimal(value: float, places: int, arabic: bool) -> str:
    """A number with `places` decimals and thousands grouped: "1,234.5", or in Arabic "١٬٢٣٤٫٥" (Arabic-Indic digits,
    the Arabic thousands separator and decimal point, as CLDR writes them). The standard library's formatting is
    enough for one number: Babel's locale data costs a cron run with nothing to do more than its whole check."""
    said = f"{value:,.{places}f}"
    if arabic:
        return said.translate(ARABIC_NUMBER)
    return said


def period(say, key) -> str:
    """A period as the officer knows it: its key in English ("2017-05", the name of its folder), its name in
    Arabic (the Iraqi month name and Arabic-Indic digits)."""
    return say.period(str(key)) if say.arabic else str(key)


def periods(say, keys: list) -> str:
    """Periods, "2017-05, 2017-06 and 2017-07"; "none" when there is none."""
    return say.listed([period(say, p) for p in keys]) if keys else say.gettext("none")


def what(say, key, all_periods: bool, every: str) -> str:
    if all_periods:
        return say.gettext(EVERY[every])
    return say.gettext("the report for %(period)s") % {"period": period(say, key)}


def up_to_date(say, *, key, all_periods: bool, every: str, where, built: str, checked: float | str) -> str:
    """`checked`: the seconds the check took, or the words already standing for them (cpreport.nochange's
    placeholder)."""
    return say.gettext("Up to date: %(what)s in %(where)s (built %(built)s; nothing has changed since). Checked in "
                       "%(seconds)s s; --force builds anyway.") % {
        "what": what(say, key, all_periods, every), "where": where, "built": say.digits(built),
        "seconds": checked if isinstance(checked, str) else seconds(say, checked, 2)}


def narratives_used(say, narratives: dict[str, dict[str, str]]) -> str:
    """Which narrative files the periods used ({period: {language: file}}): "narrative: narrative/2017-05/en.md,
    narrative/2017-05/ar.md" or, over several periods, each set of files with its periods."""
    groups: dict[tuple, list[str]] = {}
    for period, files in narratives.items():
        groups.setdefault(tuple(files.values()), []).append(period)
    if not groups or list(groups) == [()]:
        return ""
    separator = say.pgettext("between the items of a list", ", ")
    if len(groups) == 1:
        said = separator.join(next(iter(groups)))
    else:
        said = say.pgettext("between the groups of a list", "; ").join(
            say.gettext("%(files)s for %(periods)s") % {"files": separator.join(files) or say.gettext("none"),
                                                         "periods": periods(say, keys)}
            for files, keys in groups.items())
    return say.gettext("narrative: %(files)s") % {"files": said}


def details(say, narratives: dict[str, dict[str, str]], left: list, kept: list) -> str:
    """The end of a build's closing line: the narrative files used, the periods left or kept as they were."""
    used = narratives_used(say, narratives)
    words = f" ({used})" if used else ""
    separator = say.pgettext("between the groups of a list", "; ")
    if left:
        words += separator + say.gettext("approved and unchanged, so left as they are: %(periods)s") % {
            "periods": periods(say, left)}
    if kept:
        words += separator + say.gettext("kept as built before, having no narrative of their own: %(periods)s") % {
            "periods": periods(say, kept)}
    return words


def built_all(say, *, every: str, built: list, index, took: float, more: str) -> str:
    """"Built 3 months (…) and the index …", with the plural of the kind of period."""
    n = len(built)
    texts = {
        "month": say.ngettext("Built %(num)s month (%(periods)s) and the index %(index)s in %(seconds)s s%(details)s.",
                              "Built %(num)s months (%(periods)s) and the index %(index)s in %(seconds)s s%(details)s.",
                              n),
        "quarter": say.ngettext(
            "Built %(num)s quarter (%(periods)s) and the index %(index)s in %(seconds)s s%(details)s.",
            "Built %(num)s quarters (%(periods)s) and the index %(index)s in %(seconds)s s%(details)s.", n),
        "half": say.ngettext(
            "Built %(num)s half-year (%(periods)s) and the index %(index)s in %(seconds)s s%(details)s.",
            "Built %(num)s half-years (%(periods)s) and the index %(index)s in %(seconds)s s%(details)s.", n),
        "year": say.ngettext("Built %(num)s year (%(periods)s) and the index %(index)s in %(seconds)s s%(details)s.",
                             "Built %(num)s years (%(periods)s) and the index %(index)s in %(seconds)s s%(details)s.",
                             n)}
    return texts[every] % {"num": say.number(n), "periods": periods(say, built), "index": index,
                           "seconds": seconds(say, took), "details": more}


def built_one(say, *, key, folder, took: float, more: str) -> str:
    return say.gettext("Built the report for %(period)s in %(folder)s in %(seconds)s s%(details)s.") % {
        "period": period(say, key), "folder": folder, "seconds": seconds(say, took), "details": more}


def already_shown(say, *, key, folder, took: float) -> str:
    return say.gettext("The report for %(period)s in %(folder)s already shows what the sheets give: it is left as it "
                       "is (%(seconds)s s).") % {"period": period(say, key), "folder": folder,
                                                 "seconds": seconds(say, took)}


def approved_unchanged(say, *, key, folder, took: float) -> str:
    return say.gettext("The report for %(period)s in %(folder)s is approved and its figures have not changed: it is "
                       "left as it is (%(seconds)s s).") % {"period": period(say, key), "folder": folder,
                                                            "seconds": seconds(say, took)}


def rendered(say, *, rendered: int, current: int) -> str:
    """How many periods were rendered and how many already showed what they would."""
    return say.ngettext("Rendered %(rendered)s period, %(current)s current (what they show has not changed).",
                        "Rendered %(rendered)s periods, %(current)s current (what they show has not changed).",
                        rendered) % {"rendered": say.number(rendered), "current": say.number(current)}


def narrative_errors(findings) -> int:
    """How many of the errors are in the narrative (its codes are CP4xx)."""
    return sum(1 for f in findings.items if f.severity == "error" and f.code.startswith("CP4"))


def sheets_have_errors(say, *, errors: int, folder, narrative: int = 0) -> str:
    """A build stopped by errors in the sheets, or in the narrative (`narrative` of the errors are its)."""
    if narrative:
        return (say.ngettext("%(num)s error in the narrative: no report was written and the last good one is left in "
                             "place. The findings are in %(folder)s.",
                             "%(num)s errors in the narrative: no report was written and the last good one is left "
                             "in place. The findings are in %(folder)s.", errors) if narrative == errors else
                say.ngettext("%(num)s error in the sheets and the narrative: no report was written and the last good "
                             "one is left in place. The findings are in %(folder)s.",
                             "%(num)s errors in the sheets and the narrative: no report was written and the last good "
                             "one is left in place. The findings are in %(folder)s.", errors)) % {
            "num": say.number(errors), "folder": folder}
    return say.ngettext("%(num)s error in the sheets: no report was written and the last good one is left in place. "
                        "The findings are in %(folder)s.",
                        "%(num)s errors in the sheets: no report was written and the last good one is left in place. "
                        "The findings are in %(folder)s.", errors) % {"num": say.number(errors), "folder": folder}


def narrative_problems(say, *, problems: list) -> str:
    """The heading of the narrative's problems (its live figures), then each problem as said, with its file and line."""
    n = len(problems)
    return say.ngettext("The narrative has %(num)s problem:", "The narrative has %(num)s problems:", n) % {
        "num": say.number(n)}


def config_problems(say, *, problems: list[str], path) -> str:
    """The heading of the config's problems, then each problem as said (for the M&E lead who edits the TOML)."""
    n = len(problems)
    if path:
        heading = say.ngettext("The configuration has %(num)s problem in %(path)s:",
                               "The configuration has %(num)s problems in %(path)s:", n)
    else:  # none of them in the config file (an option, a CPREPORT_ variable): the file is not where to look
        heading = say.ngettext("The options given have %(num)s problem:", "The options given have %(num)s problems:", n)
    return heading % {"num": say.number(n), "path": path}


def locked(say, *, out, holder: str) -> str:
    return say.gettext("Another build is writing to %(folder)s (%(holder)s). Wait for it to finish, or give --wait "
                       "SECONDS.") % {"folder": out, "holder": holder}


def waiting(say, *, out, holder: str, wait: float) -> str:
    return say.gettext("Another build is writing to %(folder)s (%(holder)s); waiting up to %(seconds)s s.") % {
        "folder": out, "holder": holder, "seconds": say.number(wait)}
