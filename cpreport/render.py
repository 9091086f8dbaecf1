"""The render stage: the figures and the config's text, through Jinja templates, into HTML and PDF."""
from __future__ import annotations

import base64
import datetime as dt
import functools
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from . import __version__, charts
from .archive import write_pdf
from .config import Config, Scope, Text, read_text
from .contract import PARTICIPANT_GROUPS, fold, governorate
from .errors import ConfigError, EnvironmentProblem
from .said import Said
from .figures import Figures
from .findings import Findings
from .i18n import install as install_catalogs, translations
from .libraries import collector_paused
from .manifest import builtin_templates
from .visible import visible
from .wording import Wording

PACKAGE = Path(__file__).resolve().parent
# Arabic faces that shape and extract correctly; DejaVu is left out on purpose (its lam-alef
# ligatures come back wrong when the PDF's text is copied).
ARABIC_LETTER = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
ARABIC_FONTS = ("Amiri", "Noto Naskh Arabic", "Noto Sans Arabic", "Scheherazade New")
FONT_PACKAGE = "fonts-hosny-amiri"


@dataclass(frozen=True)
class Block:
    """A part of the narrative as HTML, or a marker ([[forums]]) where the figures' paragraph goes."""

    html: Markup = Markup("")
    figures: str = ""


def linkify(text: str, wording: Wording | None = None) -> Markup:
    """Escape text and make its web and mail addresses links; inside Arabic, Latin runs are isolated."""
    return (wording or Wording("en")).prose(text)


def narrative_of(config: Config, figures: Figures, language: str, wording: Wording) -> dict:
    """One half's narrative for the month: its headline and its blocks, the figure paragraphs where its
    markers put them (a marker left out leaves that paragraph out), and the parts `[sections]` switches off
    left out. Without a narrative, the figure paragraphs alone."""
    from . import live_figures, narrative
    from .narrative_html import block_html, inline_html

    read = narrative.read(config, figures.period, language)
    where = narrative.shown_path(config, read.path)
    if read.path is None:
        blocks = [Block(figures=name) for name in narrative.FIGURE_PARAGRAPHS]
    else:
        blocks = []
        for chunk in read.chunks:
            if chunk.figures:
                blocks.append(Block(figures=chunk.figures))
            else:
                live_figures.placeholders(chunk.text, figures, where, chunk.line)
                blocks.append(Block(html=block_html(chunk.text, wording, figures)))
    blocks = [b for b in blocks if not b.figures or getattr(config.sections, b.figures)]
    first = next((i for i, b in enumerate(blocks) if not b.figures), None)
    dateline = config.dateline[language]
    if first is not None and dateline and blocks[first].html.startswith("<p>"):
        html = Markup('<p><span class="dateline">{} – </span>').format(dateline) + Markup(blocks[first].html[3:])
        blocks[first] = Block(html=html)
    if read.headline:
        live_figures.placeholders(read.headline, figures, where, read.headline_line)
        headline = inline_html(read.headline, wording, figures)
    else:
        headline = escape(config.headline[language])
    return {"headline": headline, "blocks": blocks, "file": where}


def logo_uri(config: Config) -> str:
    """The logo as a data URI, so that the HTML stands alone and the PDF needs to fetch nothing else."""
    from .config import logo_type

    if not config.logo:
        return ""
    try:
        content = Path(config.logo).read_bytes()
    except OSError as error:
        raise ConfigError(Said("'logo': the file %(file)s cannot be read (%(problem)s)", file=config.logo,
                               problem=error.strerror or error)) from None
    kind = logo_type(content)
    if kind is None:
        raise ConfigError(Said("'logo': the file %(file)s is not an SVG or PNG image; save the logo as .svg or .png",
                               file=config.logo))
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from start to end: 17 October 2016 to 2 May 2017 is six."""
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def scope_paragraphs(config: Config, figures: Figures) -> list[dict]:
    """The displacement scopes that have figures: config order first, then any others by key."""
    keys = sorted({k.split(".")[1] for k in figures.items if k.startswith("displacement.")})
    ordered = [k for k in config.scopes if k in keys] + [k for k in keys if k not in config.scopes]
    scopes = []
    for key in ordered:
        scope = config.scopes.get(key) or Scope(key, Text(key, key))
        found = {m: figures[f"displacement.{key}.{m}"] for m in
                 ("displaced_current", "displaced_cumulative", "returned_cumulative")
                 if f"displacement.{key}.{m}" in figures}
        latest = max(f.as_of for f in found.values())
        months = months_between(scope.since, latest) if scope.since else 0
        scopes.append({"key": key, "label": scope.label, "origin": scope.origin, "since": scope.since,
                       "name": Text(scope.heading("en"), scope.heading("ar")),
                       "months": months if months >= 1 else 0, "figures": found})
    return scopes


def women_share(figures: Figures) -> float | None:
    """The share of women among the period's participants, of the activities that record it; None when none does."""
    figure = figures.items.get("participants.female.in_period")
    recorded = figure.extra.get("of_participants", 0) if figure else 0
    return figure.value / recorded if recorded else None


def stylesheet(config: Config) -> Markup:
    """The CSS, inlined so that the HTML stands alone: the config's templates folder's style.css if it
    has one, else the built-in one. It is the project's own text, not a sheet's, so it is not escaped."""
    for folder in (config.templates, builtin_templates()):
        try:
            path = inside(folder, "style.css") if folder else None
        except SecurityError as error:
            raise ConfigError(Said("the template cannot be rendered (%(template)s): %(problem)s", template="style.css",
                                   problem=error.args[0])) from None
        if path is not None:
            return Markup(read_text(path))
    return Markup("")


def figure_label(key: str, language: str) -> str:
    from .explain import label

    return label(key, language)


def report_context(config: Config, figures: Figures, sources: list[str]) -> dict:
    """Everything the templates see; HTML and PDF share it."""
    period = figures.period
    english, arabic = Wording("en"), Wording("ar", config.digits)
    wordings = {"en": english, "ar": arabic}
    places = []
    for highlight in config.highlights:
        figure = figures.items.get(f"cpfs.place.{fold(highlight.district)}")
        if figure:
            place = governorate(figure.extra["governorate"])
            places.append(tuple(translations(lang).gettext("%(place)s in %(governorate)s governorate") % {
                "place": highlight.text[lang], "governorate": place.name_ar if lang == "ar" else place.name_en}
                for lang in ("en", "ar")))
    groups = [g for g in PARTICIPANT_GROUPS if figures.value(f"participants.{g}")]
    narratives = {lang: narrative_of(config, figures, lang, wordings[lang]) for lang in config.languages}
    return {
        "version": __version__,
        "config": config,
        "period": period,
        "period_label": english.period(period),
        "period_label_ar": arabic.period(period),
        "figures": figures,
        "f": figures.value,
        "halves": [{"language": lang, "wording": wordings[lang]} for lang in config.languages],
        "narrative": {lang: narratives[lang]["blocks"] for lang in config.languages},
        "headline": {lang: narratives[lang]["headline"] for lang in config.languages},
        # The month as the heading says it: "May 2017", and in Arabic without the word for year.
        "month": {"en": english.month(period.end) + f" {period.year}",
                  "ar": arabic.isolate(f"{arabic.month(period.end)} {arabic.digits(period.year)}")}
                 if period.kind == "month" else {"en": english.period(period, heading=True), "ar": arabic.period(period)},
        "sections": config.sections,
        "logo": logo_uri(config),
        "places": places,
        "places_en": [p[0] for p in places],
        "places_ar": [p[1] for p in places],
        "groups": groups,
        "scopes": scope_paragraphs(config, figures) if config.sections.displacement else [],
        "wordings": wordings,
        "sources": english.join(sources) or translations("en").gettext("no sheets"),
        # Each file name isolated (left to right when it is Latin; a name in Arabic keeps its own direction, or
        # its words and ".xlsx" would be laid out backwards), the list itself right to left with Arabic commas.
        "sources_ar": Markup(arabic.join(Markup('<bdi>{}</bdi>' if ARABIC_LETTER.search(s) else
                                                '<bdi dir="ltr">{}</bdi>').format(s) for s in sources))
                      or translations("ar").gettext("no sheets"),
        "linkify": linkify,
        "css": stylesheet(config),
        "breakdowns": figures.breakdowns,
        "women": women_share(figures),
        "charts": charts,
        # Published figures the sheets now give otherwise (cpreport/revisions.py), and who approved the month.
        "revisions": figures.revisions,
        "revised": figures.revisions.get("own_keys", set()),
        "revised_previous": figures.revisions.get("previous_keys", set()),
        "figure_label": figure_label,
        "approval": figures.approval,
    }


def inside(folder: Path, name: str) -> Path | None:
    """The file `name` of a templates folder, its links resolved; None when the folder has no such file.

    A template override is often copied from elsewhere on a shared drive: a link in the folder that leads
    out of it (to /etc/passwd, to someone's home) is refused, not read into the report."""
    pieces = jinja2.loaders.split_template_path(name)  # refuses '..' in the name itself
    root = Path(folder).resolve()
    path = Path(folder, *pieces)
    if not path.is_file():
        return None
    real = path.resolve()
    if not real.is_relative_to(root):
        raise SecurityError(Said("the template %(template)s in %(folder)s is a link to %(target)s, outside the "
                                 "templates folder, so it is not read; copy the file into the folder instead",
                                 template=name, folder=folder, target=real))
    return real


class FolderLoader(jinja2.BaseLoader):
    """Templates by name from the first folder that has them, never from outside those folders."""

    def __init__(self, folders: list[Path]):
        self.folders = folders

    def get_source(self, environment: jinja2.Environment, template: str):
        for n, folder in enumerate(self.folders):
            path = inside(folder, template)
            if path is not None:
                source = read_text(path)
                stamp = _stamp(path)
                # Compiled once per process (environment() is kept): still current while the file is as it was
                # read and no folder before its own has come to hold a template of that name.
                return source, str(path), lambda: _stamp(path) == stamp and not any(
                    inside(before, template) for before in self.folders[:n])
        raise jinja2.TemplateNotFound(template)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


def shown(value):
    """Every value a template writes, with its control characters made visible (a cell's escape codes are
    read on the page, not passed on to whoever saves or `cat`s it); escaping comes after, as always."""
    if isinstance(value, str):
        text = visible(value, keep="\t\n\r")
        return Markup(text) if isinstance(value, Markup) else text
    return value


def environment(config: Config) -> jinja2.Environment:
    """Templates from the config's folder first, then the built-in ones; autoescape always on.

    Sandboxed: a template override is text from a shared drive, and must not reach Python itself
    (`lipsum.__globals__['os']`); a template that tries is refused with a config error."""
    return _environment(str(config.templates) if config.templates else None)


# One environment per templates folder for the life of the process: each template is compiled once, not once per
# page rendered (the report, validation.html and index.html share base.html; --all-periods renders every month).
# Rendering the HTML of 1,000 rows' May 2017 in one process (the harness's data): 0.58 s with its templates compiled
# anew, 0.11 s with them kept. Across processes, the compiled templates are kept too (template_cache.py).
@functools.lru_cache(maxsize=8)
def _environment(templates: str | None) -> jinja2.Environment:
    from .template_cache import compiled_templates

    search = [Path(templates)] if templates else []
    search.append(builtin_templates())
    env = SandboxedEnvironment(loader=FolderLoader(search), autoescape=True, undefined=jinja2.StrictUndefined,
                               trim_blocks=True, lstrip_blocks=True, finalize=shown,
                               bytecode_cache=compiled_templates())
    install_catalogs(env)
    return env


def render_template(config: Config, name: str, context: dict) -> str:
    """One template, by name; a broken template (often a user's override) is a config error, not a crash."""
    try:
        return environment(config).get_template(name).render(context)
    except jinja2.TemplateError as error:
        if getattr(error, "lineno", None):  # the template engine's own words (error.message) stay as it says them
            raise ConfigError(Said("the template cannot be rendered (%(template)s, line %(line)s): %(problem)s",
                                   template=error.filename, line=error.lineno, problem=error.message)) from None
        raise ConfigError(Said("the template cannot be rendered (%(template)s): %(problem)s", template=name,
                               problem=error.message)) from None
    except (RecursionError, ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as error:
        if not config.templates:
            raise  # the built-in templates' own failure: a bug, said as one
        # An override's mistake that the template engine does not catch itself: `{% extends "report.html" %}` in
        # report.html (it extends itself), `{{ 1/0 }}`.
        raise ConfigError(Said("the template cannot be rendered (%(template)s): %(problem)s", template=name,
                               problem=f"{type(error).__name__}: {error}")) from None


def render_html(config: Config, figures: Figures, sources: list[str]) -> str:
    return render_template(config, "report.html", report_context(config, figures, sources))


def render_validation(config: Config, findings: Findings, period_label: str) -> str:
    """validation.html: each finding's severity and message in English and Arabic (typed values in <bdi>), the
    counts with their plurals and the period in words in both languages."""
    from .messages import Saying

    english, arabic = Saying("en", "html"), Saying("ar", "html")
    rows = [{"finding": f, "severity_en": english.severity(f.severity), "severity_ar": arabic.severity(f.severity),
             "message_en": f.message("en", "html"), "message_ar": f.message("ar", "html")} for f in findings.sorted()]
    errors, warnings, notes = (findings.count(severity) for severity in ("error", "warning", "note"))
    counts_ar = [arabic.ngettext("%(num)s error", "%(num)s errors", errors) % {"num": arabic.number(errors)},
                 arabic.ngettext("%(num)s warning", "%(num)s warnings", warnings) % {"num": arabic.number(warnings)},
                 arabic.ngettext("%(num)s note", "%(num)s notes", notes) % {"num": arabic.number(notes)}]
    return render_template(config, "validation.html", dict(
        version=__version__, findings=rows, period_label=period_label, period_en=english.period(period_label),
        period_ar=arabic.period(period_label), errors=errors, warnings=warnings, notes=notes, counts_ar=counts_ar,
        css=stylesheet(config)))


def arabic_fonts() -> list[str]:
    """Arabic faces fontconfig knows of, among those we trust."""
    fc_list = shutil.which("fc-list")
    if fc_list:
        listed = subprocess.run([fc_list, ":lang=ar", "family"], capture_output=True, text=True).stdout
        families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    else:
        folders = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"]
        files = {p.stem.replace("-", " ") for f in folders if f.is_dir() for p in f.rglob("*.[ot]tf")}
        families = {font for font in ARABIC_FONTS for name in files if name.replace(" ", "").startswith(font.replace(" ", ""))}
    return [font for font in ARABIC_FONTS if font in families]


def refuse_network(url: str, timeout: int = 10, ssl_context=None):
    """WeasyPrint's fetcher: the report is self-contained, so nothing is fetched from outside."""
    raise ValueError(f"cpreport fetches nothing while rendering (refused {url[:80]})")


def url_guard(weasyprint, allowed: tuple[str, ...] = ()):
    """The fetcher to give WeasyPrint: one that refuses every URL (web, file, data) but the data URIs
    `allowed` (the config's logo, which the build itself embedded).

    WeasyPrint 70 and later take an object of its URLFetcher class (a plain function breaks the
    rendering of any url(), <img> or <link>); earlier versions take a function."""
    fetcher = getattr(getattr(weasyprint, "urls", None), "URLFetcher", None)
    allowed = tuple(uri for uri in allowed if uri.startswith("data:"))
    if not isinstance(fetcher, type):
        def guard(url: str, timeout: int = 10, ssl_context=None):
            if url in allowed:
                return weasyprint.default_url_fetcher(url)
            return refuse_network(url)
        return guard if allowed else refuse_network

    class RefuseEverything(fetcher):
        def fetch(self, url, headers=None):
            if url in allowed:
                return super().fetch(url, headers)
            return refuse_network(url)

    # fail_on_errors off: a refused image is left out of the page, as a missing one is, and the report is built.
    return RefuseEverything(fail_on_errors=False)


def layout(html: str, allowed: tuple[str, ...] = ()):
    """The report laid out in pages by WeasyPrint: the PDF is written from it, and the Word document's
    pictures are cut from that PDF where these pages place them. Nothing is fetched but the data URIs `allowed`
    (the config's logo). Returns (weasyprint, document)."""
    if not arabic_fonts():
        raise EnvironmentProblem(Said("No Arabic font is installed, so the PDF would show empty boxes. Install one: "
                                      "apt-get install %(package)s (or fonts-noto-core).", package=FONT_PACKAGE))
    with collector_paused():
        try:
            import weasyprint
        except OSError as error:  # Pango missing: WeasyPrint cannot load its libraries
            raise EnvironmentProblem(Said("WeasyPrint cannot start (%(problem)s). Install Pango: apt-get install "
                                          "libpango-1.0-0 libpangoft2-1.0-0", problem=error)) from None
        return weasyprint, weasyprint.HTML(string=html, url_fetcher=url_guard(weasyprint, allowed)).render()


def render_pdf(html: str, variant: str = "none", attached: dict[str, bytes] | None = None,
               allowed: tuple[str, ...] = ()) -> bytes:
    """The PDF of the report: `variant` is the config's pdf_variant, `attached` the files it carries, `allowed`
    the data URIs it may show (the config's logo)."""
    weasyprint, document = layout(html, allowed)
    return write_pdf(weasyprint, document, variant, attached)
