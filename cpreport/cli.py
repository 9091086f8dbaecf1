"""The command line: a thin layer that reads options, calls the pipeline, and chooses the exit code."""
from __future__ import annotations

import math

import click

from . import __version__
from .errors import (EXIT_APPROVED, EXIT_DISAGREE, EXIT_ENVIRONMENT, EXIT_INTERRUPTED, EXIT_INVALID, EXIT_LOCKED,
                     EXIT_OK, EXIT_UNEXPECTED, EXIT_USAGE, CpreportError, InvalidData)
from .failures import LANGUAGE, Commands, machine_problem  # noqa: F401 - how a command fails, one line and a code
from .failures import said as _said, saying as _saying
from .said import Said

EXIT_CODES = f"""Exit codes: {EXIT_OK} built or up to date, {EXIT_INVALID} errors in the sheets,
{EXIT_USAGE} usage or config error, {EXIT_ENVIRONMENT} environment problem (no Arabic font, no Pango, output
folder not writable),
{EXIT_LOCKED} another build holds the output folder, {EXIT_DISAGREE} the English and Arabic halves state
different figures, {EXIT_UNEXPECTED} an unexpected failure (the log has the details), {EXIT_APPROVED} an
approved period's figures would change (nothing written; --reopen --reason opens it again), {EXIT_INTERRUPTED}
stopped with Ctrl-C."""


class Seconds(click.ParamType):
    """A number of seconds, 0 or more: not nan, not infinity (a wait that never ends is not one to give cron)."""

    name = "seconds"

    def convert(self, value, param, ctx):
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds, such as 600", param, ctx)
        if not math.isfinite(seconds) or seconds < 0:
            self.fail(f"{value!r} is not a number of seconds: give 0 or more, such as 600", param, ctx)
        return seconds


def config_options(command):
    """The options every command shares; left at None, they keep the config file's values."""
    options = [
        click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
                     help="Config file [default: cpreport.toml in the current folder]."),
        click.option("--data", type=click.Path(), default=None, metavar="DIR", help="Folder of the input sheets (overrides the config)."),
        click.option("--period", default=None, metavar="PERIOD",
                     help="Period of the report: 2017-05, 2017-Q2, 2017-H1, 2017 or project (overrides the config)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command




def _keep_language(ctx, param, value):
    if value:
        ctx.meta[LANGUAGE] = value
    return value


def lang_option(command):
    """--lang: the language of the findings and messages on the terminal."""
    return click.option("--lang", type=click.Choice(["en", "ar", "both"]), default=None, callback=_keep_language,
                        help="Language of the findings and messages: en, ar or both [default: the config's "
                             "'language', else en].")(command)


def _load_config(config_path, data, period, out=None, given_as=None):
    from .config import load_config
    from .errors import ConfigError

    try:
        return load_config(config_path, data=data, out=out, period=period, given_as=given_as)
    except ConfigError:
        # The config's problems said in the language it asks for (`language = "ar"`), when it could be read that
        # far and --lang does not say otherwise.
        context = click.get_current_context(silent=True)
        if context is not None and not context.params.get("lang"):
            asked = _language_asked(config_path)
            if asked:
                context.meta[LANGUAGE] = asked
        raise


def _language_asked(config_path) -> str | None:
    """The terminal language a config (or CPREPORT_LANGUAGE) asks for, read on its own: the config may have
    other problems."""
    import os
    import tomllib
    from pathlib import Path

    from .config import DEFAULT_CONFIG

    asked = os.environ.get("CPREPORT_LANGUAGE", "").strip()
    if not asked:
        try:
            asked = tomllib.loads(Path(config_path or DEFAULT_CONFIG).read_text("utf-8-sig")).get("language", "")
        except (OSError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
            return None  # a file that cannot be read far enough: its problems are said in English
    return asked if asked in ("en", "ar", "both") else None


def _language(lang, config=None) -> str:
    """--lang, else the config's `language`, else English."""
    language = lang or getattr(config, "language", None) or "en"
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[LANGUAGE] = language
    return language


def _show_findings(findings, quiet: bool = False, language: str = "en", written: bool = True) -> None:
    from .findings import show
    show(findings, quiet=quiet, language=language, written=written)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(__version__, "--version", prog_name="cpreport")
def main():
    """Build the community policing programme's bilingual (English/Arabic) donor report from its sheets."""


def _up_to_date(progress, language: str, config, all_periods: bool, every: str, built: str, watch=None) -> None:
    """The closing line of a build with nothing to do; with `watch` (what the check looked at), the stamp that lets
    the next run with the same call answer before Click is imported (cpreport.nochange)."""
    from .closing import up_to_date

    where = config.out / "index.html" if all_periods else config.out / str(config.period)
    words = lambda say, checked: up_to_date(say, key=config.period, all_periods=all_periods,  # noqa: E731
                                            every=every, where=where, built=built, checked=checked)
    _finish(progress, language, lambda say: words(say, progress.seconds))
    if watch is not None:
        from . import nochange
        from .log import LOG_BYTES
        from .manifest import SETTLED_NS

        stamped = lambda say: words(say, nochange.placeholder(say))  # noqa: E731
        nochange.record(config.out, watch, log=_said("en", stamped), shown=_said(language, stamped),
                        settled_ns=SETTLED_NS, log_bytes=LOG_BYTES)


def _finish(progress, language: str, words) -> None:
    """A command's last line: in English in the log, in the language asked on the terminal."""
    progress.finish(_said("en", words), shown=_said(language, words))


@main.command(epilog=EXIT_CODES)
@config_options
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Output folder (overrides the config).")
@click.option("--all-periods", is_flag=True, help="Build every month that has data, one folder each, and OUT/index.html.")
@click.option("--every", type=click.Choice(["month", "quarter", "half", "year"]), default=None,
              help="With --all-periods: build every month, quarter, half-year or year that has data [default: month].")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Build even when nothing changed since the last build.")
@click.option("--wait", type=Seconds(), default=0, show_default=True, metavar="SECONDS",
              help="How long to wait for another build of the same output folder.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors (for cron); the log file keeps the rest.")
@click.option("--reopen", is_flag=True, help="Rebuild an approved period whose figures changed (give --reason).")
@click.option("--reason", default=None, metavar="TEXT", help="Why an approved period is opened again (with --reopen).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Render the periods in N processes at once [default: the number of cores, at most that].")
@lang_option
def build(config_path, data, period, out, all_periods, every, strict, force, wait, quiet, reopen, reason, jobs, lang):
    """Validate the sheets and write report.html, report.pdf and figures.json into OUT/PERIOD/.

    Nothing is done when the sheets, config, templates and cpreport itself are unchanged since the
    last successful build (--force builds anyway). Every run is logged to OUT/cpreport.log.
    """
    import time
    from pathlib import Path

    from . import manifest, nochange
    from .config import DEFAULT_CONFIG
    from .log import Progress, file_logger
    from .write import ensure_folder

    started = time.monotonic()
    if reopen and (not reason or not reason.strip()):
        raise CpreportError(Said("--reopen needs --reason TEXT: why the approved period is opened again."))
    if reopen and all_periods:
        raise CpreportError(Said("--reopen opens one period: give --period YYYY-MM, not --all-periods."))
    if reason and not reopen:
        raise CpreportError(Said("--reason goes with --reopen."))
    if every and not all_periods:
        raise CpreportError(Said("--every goes with --all-periods (--period builds one period)."))
    every = every or "month"
    watch = None  # what the check looks at, for a run of the `cpreport` program (cpreport.nochange)
    if not force and not reopen and nochange.ARGV is not None:
        watch = manifest.Watch()
        watch.file((Path(config_path) if config_path else Path(DEFAULT_CONFIG)).absolute())
    config = _load_config(config_path, data, period, out)
    ensure_folder(config.out)
    language = _language(lang, config)
    with Progress(file_logger(config.out), quiet, started=started, language=language) as progress:
        try:
            found = None  # the inputs, hashed once per run: handed on to the build, which checks them again locked
            if not force and not reopen:
                found = manifest.inputs(config, strict, watch)
                if all_periods:
                    done = manifest.all_periods_current(config.out, found, every, watch, str(config.period))
                else:
                    done = manifest.current(config.out, config.period, found, watch)
                # Findings left by a run that failed in between are cleared by the build, under its lock.
                if done and not (config.out / manifest.FINDINGS_FOLDER).exists():
                    _up_to_date(progress, language, config, all_periods, every, done["built"], watch)
                    return
            from .libraries import settle
            settle("pandas")  # this process's own: the library never does it on import
            from .build import build as built
            try:
                outcome = built(config, strict=strict, wait=wait, progress=progress, force=force or reopen,
                                reopen=" ".join(reason.split()) if reopen else None, all_periods=all_periods,
                                every=every, jobs=jobs, found=found)
            except InvalidData as error:
                progress.stop()
                if error.findings is not None:
                    _show_findings(error.findings, quiet, language)
                raise
            progress.stop()
            if outcome.up_to_date:  # the build we waited for made it
                _up_to_date(progress, language, config, all_periods, every, outcome.up_to_date)
                return
            _show_findings(outcome.findings, quiet, language)
        except CpreportError as error:
            progress.failed(error.format_message())
            raise
        except KeyboardInterrupt:
            progress.failed("interrupted (Ctrl-C)")
            raise
        from . import closing
        more = lambda say: closing.details(say, outcome.narratives, outcome.left, outcome.kept)  # noqa: E731
        rendered = lambda say: closing.rendered(say, rendered=len(outcome.rendered),  # noqa: E731
                                                current=len(outcome.current))
        took = outcome.seconds
        if all_periods:
            _finish(progress, language, lambda say: closing.built_all(
                say, every=every, built=outcome.periods, index=outcome.folder / "index.html", took=took,
                more=more(say)) + "\n" + rendered(say))
        elif outcome.current:
            _finish(progress, language, lambda say: closing.already_shown(
                say, key=outcome.config.period, folder=outcome.folder, took=took) + "\n" + rendered(say))
        elif outcome.left:
            _finish(progress, language, lambda say: closing.approved_unchanged(
                say, key=config.period, folder=outcome.folder, took=took))
        else:
            _finish(progress, language, lambda say: closing.built_one(
                say, key=outcome.config.period, folder=outcome.folder, took=took, more=more(say)))


@main.command(epilog=EXIT_CODES)
@config_options
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the findings as data: a JSON array of objects (code, severity, file, sheet, row, column, "
                   "value, parameters, cells, message_en, message_ar).")
@lang_option
def validate(config_path, data, period, strict, as_json, lang):
    """Check the sheets and list every finding; write nothing."""
    from .libraries import settle
    settle("pandas")
    from .check import check
    config = _load_config(config_path, data, period)
    language = _language(lang, config)
    findings = check(config, strict).findings
    if as_json:
        from .findings import to_json
        click.echo(to_json(findings))
    else:
        _show_findings(findings, language=language, written=False)
    words = {"data": str(config.data), "period": str(config.period)}
    if findings.errors:
        from .closing import narrative_errors
        if narrative_errors(findings) == findings.errors:
            raise InvalidData(_said(language, lambda say: say.ngettext(
                "%(num)s error in the narrative.", "%(num)s errors in the narrative.",
                findings.errors) % {"num": say.number(findings.errors)}))
        raise InvalidData(_said(language, lambda say: say.ngettext(
            "%(num)s error in the sheets of %(data)s.", "%(num)s errors in the sheets of %(data)s.",
            findings.errors) % {**words, "num": say.number(findings.errors)}))
    if not as_json:
        click.echo(_said(language, lambda say: say.gettext("The sheets in %(data)s are ready for %(period)s.") % {
            **words, "period": say.period(str(config.period))}))


@main.command(epilog=EXIT_CODES)
@config_options
@click.option("--json", "as_json", is_flag=True, help="Print figures.json instead of a table.")
@lang_option
def figures(config_path, data, period, as_json, lang):
    """Compute the period's figures and print them (a table, or JSON)."""
    from .libraries import settle
    settle("pandas")
    from .check import check
    from .indicators import said_value, stated
    config = _load_config(config_path, data, period)
    checked = check(config)
    result = stated(config, checked)
    if as_json:
        click.echo(result.to_json(), nl=False)
    else:
        language = _language(lang, config)
        width = max(len(k) for k in result.items)
        click.echo(_said(language, lambda say: say.gettext("Figures for %(period)s (to %(day)s):") % {
            "period": say.period(str(config.period)) if say.arabic else str(config.period),
            "day": _day(say, config.period.end)}))
        say = _saying("en" if language == "en" else "ar")  # one table: in Arabic for ar and both
        for key, figure in result.items.items():
            as_of = "  " + say.gettext("as of %(day)s") % {"day": _day(say, figure.as_of)} \
                if key.startswith("displacement.") and figure.as_of else ""
            click.echo(f"  {key:<{width}}  {said_value(figure, say):>12}{as_of}")
    if checked.findings.errors:
        language = _language(lang, config)
        _show_findings(checked.findings, quiet=True, language=language)
        raise InvalidData(_said(language, lambda say: say.ngettext(
            "%(num)s error in the sheets: until the sheets are fixed, these figures may be wrong or incomplete.",
            "%(num)s errors in the sheets: until the sheets are fixed, these figures may be wrong or incomplete.",
            checked.findings.errors) % {"num": say.number(checked.findings.errors)}))


def _approved_on(say, stamp: str) -> str:
    """When a report was approved: its time stamp as recorded in English, its day in Arabic."""
    from .said import Stamp

    return Stamp(stamp).worded(say)


def _day(say, day) -> str:
    """A date in words: "31 May 2017", with the Iraqi month names and Arabic-Indic digits in Arabic."""
    if not day:
        return ""
    from babel.dates import format_date

    from .messages import LOCALES
    return say.digits(format_date(day, "d MMMM y", locale=LOCALES[say.language]))


@main.command(epilog=EXIT_CODES)
@config_options
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Output folder (overrides the config).")
@click.argument("key", required=False)
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Also write the rows the figure counts to FILE (CSV, UTF-8).")
@click.option("--lang", type=click.Choice(["en", "ar", "both"]), default=None, callback=_keep_language,
              help="Language of the rule, the labels and the findings [default: the config's 'language', else en].")
def explain(config_path, data, period, out, key, csv_path, lang):
    """Say where a figure comes from: its value, the rule that makes it, and the rows of the sheets it counts.

    Without KEY, list every figure's key with what it is, in English and Arabic.
    """
    from .libraries import settle
    settle("pandas")
    from .check import check
    from .explain import explain as explained, label
    config = _load_config(config_path, data, period, out)
    lang = _language(lang, config)
    if csv_path:
        from pathlib import Path

        from .explain import rows_file
        rows_file(Path(csv_path), config)  # refused before the sheets are read, never after
    from .indicators import said_value, stated
    checked = check(config)
    figures = stated(config, checked)
    languages = ["en", "ar"] if lang == "both" else [lang]
    if key is None:
        width = max(len(k) for k in figures.items)
        for name in figures.items:
            click.echo(f"{name:<{width}}  " + "  |  ".join(label(name, language, config) for language in languages))
        return
    explanation = explained(checked, figures, key, languages[0], config)
    figure = explanation.figure
    click.echo(_said(lang, lambda say: (say.gettext("%(key)s = %(value)s (as of %(day)s)") if figure.as_of else
                                        say.gettext("%(key)s = %(value)s")) % {
        "key": key, "value": said_value(figure, say), "day": _day(say, figure.as_of)}))
    for language in languages:
        shown = explained(checked, figures, key, language, config)
        click.echo(f"  {shown.label}")
        click.echo(f"  {shown.rule}")
    rows = explanation.rows
    if len(rows):
        click.echo(_said(lang, lambda say: say.ngettext("%(num)s row:", "%(num)s rows:", len(rows)) % {
            "num": say.number(len(rows))}))
        click.echo(rows.to_string(index=False))
    if csv_path:
        rows.to_csv(csv_path, index=False, encoding="utf-8-sig")
        click.echo(_said(lang, lambda say: say.gettext("The rows are in %(file)s.") % {"file": csv_path}))
    if checked.findings.errors:
        _show_findings(checked.findings, quiet=True, language=lang)
        raise InvalidData(_said(lang, lambda say: say.ngettext(
            "%(num)s error in the sheets: until the sheets are fixed, this figure may be wrong or incomplete.",
            "%(num)s errors in the sheets: until the sheets are fixed, this figure may be wrong or incomplete.",
            checked.findings.errors) % {"num": say.number(checked.findings.errors)}))


@main.command(epilog=EXIT_CODES)
@config_options
@click.option("--out", type=click.Path(file_okay=False), default=None, help="Output folder (overrides the config).")
@click.argument("month", required=False, metavar="[PERIOD]")
@click.option("--by", "by", required=True, metavar="NAME", help="Who approves the report.")
@lang_option
def approve(config_path, data, period, out, month, by, lang):
    """Sign a period's report off: OUT/PERIOD/approval.json records who approved it, when, and the hashes of its
    inputs and files; the index and the report's footer show it.

    A later build leaves an approved period as it is while its figures do not change, and stops (exit 7) when
    they would; `cpreport build --period PERIOD --reopen --reason TEXT` opens it again.
    """
    from .approval import approve as approved

    if month and period and month != period:
        raise CpreportError(Said("Give the period once: %(positional)s, or --period %(option)s.",
                                 positional=month, option=period))
    config = _load_config(config_path, data, month or period, out, given_as={"period": "PERIOD"} if month else None)
    language = _language(lang, config)
    outcome = approved(config, config.period, by)
    key = lambda say: say.period(str(config.period)) if say.arabic else str(config.period)  # noqa: E731
    if outcome.up_to_date:
        from .revisions import APPROVAL, read_json
        already = read_json(outcome.folder / APPROVAL) or {}
        click.echo(_said(language, lambda say: say.gettext(
            "The report for %(period)s is already approved by %(by)s on %(day)s; it is left as it is.") % {
            "period": key(say), "by": say.typed(already.get("by", "")), "day": _approved_on(say, already.get("approved", ""))}))
        return
    click.echo(_said(language, lambda say: say.gettext(
        "Approved the report for %(period)s in %(folder)s (by %(by)s); %(file)s records it.") % {
        "period": key(say), "folder": outcome.folder, "by": say.typed(by), "file": outcome.folder / "approval.json"}))


@main.command(epilog=EXIT_CODES)
@click.argument("folder", type=click.Path(file_okay=False), default=".")
@lang_option
def init(folder, lang):
    """Make a ready project in FOLDER: config, narrative, templates, blank workbooks and a README.

    Files that already exist are left as they are.
    """
    from pathlib import Path

    from .scaffold import scaffold
    language = _language(lang)
    made, kept = scaffold(Path(folder))
    for path in made:
        click.echo(_said(language, lambda say: say.gettext("  made  %(path)s") % {"path": path}))
    for path in kept:
        click.echo(_said(language, lambda say: say.gettext("  kept  %(path)s (already there)") % {"path": path}))
    click.echo(_said(language, lambda say: say.gettext(
        "Ready: fill in the workbooks in %(folder)s, then run `cpreport build` there (see its README.md for a cron "
        "line).") % {"folder": Path(folder).resolve()}))


@main.command(epilog=EXIT_CODES)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Config file [default: cpreport.toml in the current folder].")
@lang_option
def doctor(config_path, lang):
    """Check that this machine can build the report, and say what to fix (exit 3 if anything is missing)."""
    from .doctor import diagnose
    language = _language(lang)
    problems = 0
    for check in diagnose(config_path):
        for n, say in enumerate(_saying(one) for one in (("en", "ar") if language == "both" else (language,))):
            name, detail, fix = check.said(say)
            mark = ("ok " if check.ok else "FIX") if n == 0 else "   "
            if say.arabic:
                mark = say.gettext("ok") if check.ok else say.gettext("FIX")
            click.echo(f"  {mark}  {name}: {detail}")
            if not check.ok:
                click.echo(f"         → {fix}")
        problems += not check.ok
    if problems:
        from .errors import EnvironmentProblem
        raise EnvironmentProblem(_said(language, lambda say: say.ngettext(
            "%(num)s thing to fix before cpreport can build the report here.",
            "%(num)s things to fix before cpreport can build the report here.", problems) % {
            "num": say.number(problems)}))
    click.echo(_said(language, lambda say: say.gettext("Everything cpreport needs is in place.")))
