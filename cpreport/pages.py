"""A period's report as a page to render: what it is made from, the key that says whether it changed, and its
files rendered, in this process or in worker processes.

A page is keyed by what it shows (its figures and their sources, the findings it lists, the words, the config's
settings, the templates, cpreport's code and version), never by the sheets' files: a row dated in May leaves
April's key, and April's folder, as they are.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config, Period
from .figures import Figures
from .findings import Findings, to_csv

# What a key is made from besides the page itself: of the build's inputs, all but the sheets (their rows reach the
# page through its figures and findings), the narrative files (a month's own words are added by file used), and
# the template of the index of periods, which makes no period's page.
NOT_IN_KEY = ("data/", "narrative/", "config", "templates/index.html", "builtin/index.html")


@dataclass
class Page:
    """One period's report, ready to render: everything the renderer reads, and the key of it."""

    config: Config
    period: Period
    figures: Figures
    findings: Findings
    sources: list[str]
    found: dict[str, str]  # the build's inputs, as the period's manifest records them
    key: str = ""
    approved: bool = False  # its folder holds an approved version, opened again (its files go to its history)
    extra: dict = field(default_factory=dict)  # files the parent adds when it publishes (approval.json, …)


def _plain(value):
    """A value of the page as JSON can hold it, the same in every process (a set sorted, a dataclass as a dict)."""
    if isinstance(value, set | frozenset):
        return sorted(value, key=repr)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    return repr(value)


def _hashed(made_of: dict) -> str:
    return hashlib.sha256(json.dumps(made_of, sort_keys=True, default=_plain).encode("utf-8")).hexdigest()


def words_used(config: Config, period: Period, found: dict[str, str]) -> dict[str, str]:
    """The digest of the narrative file each language of the period uses, from the inputs hashed for the build."""
    from .narrative import file_for

    digests = {}
    for language in config.languages:
        path, own = file_for(config, period, language)
        if path is not None:
            digests[language] = found.get(f"narrative/{period}/{language}" if own else f"narrative/{language}",
                                          str(path))
    return digests


def key(page: Page) -> str:
    """The hash of what the page is made from. Nothing in it depends on the time of the build."""
    figures = page.figures
    made_of = {
        "period": str(page.period),
        "figures": figures.to_json(),
        "breakdowns": figures.breakdowns,
        "revisions": figures.revisions,
        "approval": figures.approval,
        "findings": to_csv(page.findings),
        "sources": page.sources,
        "words": words_used(page.config, page.period, page.found),
        "inputs": {name: digest for name, digest in page.found.items() if not name.startswith(NOT_IN_KEY)},
    }
    return _hashed(made_of)


def data_key(figures) -> str:
    """The hash of what a period's report states from the sheets: each figure's value, date and rows, and what its
    tables, charts and map show. A month kept as built before, with the words of its time (build._same_figures),
    is kept only while this is the same: a figure's date, a forum moved to another governorate, or rows numbered
    otherwise make it state what the sheets no longer say."""
    stated = {key: [figure.value, figure.as_of, [source.as_dict() for source in figure.sources]]
              for key, figure in figures.items.items()}
    made_of = {"figures": stated, "breakdowns": figures.breakdowns}
    return _hashed(made_of)


def shown_parts(figures) -> dict[str, str]:
    """A hash of each part of the numbers a report shows besides its counted figures: its tables, charts and map
    (the breakdowns), and its shares (the results' standings, a group's share of the participants who record it).
    Sources are left out: a file renamed changes no number shown."""
    shares = {key: [figure.value, {k: v for k, v in figure.extra.items() if k != "sources"}]
              for key, figure in figures.items.items() if figure.extra or key.startswith("indicators.")}
    return {"tables": _hashed(figures.breakdowns), "shares": _hashed(shares)}


def shown_changed(folder: Path, figures) -> list[str]:
    """The parts (shown_parts) whose numbers differ from those the period's folder was published with, by its
    manifest; none for a folder whose manifest does not say (built by an earlier version, or never built)."""
    from . import manifest

    then = (manifest.read(folder / manifest.MANIFEST_NAME) or {}).get("shown")
    if not isinstance(then, dict):
        return []
    return sorted(part for part, key in shown_parts(figures).items() if then.get(part) not in (None, key))


def findings_files(config: Config, findings: Findings, period: Period | None = None,
                   annotated: bool = False) -> dict[str, bytes]:
    """validation.csv and validation.html (and annotated copies of the sheets with errors)."""
    from .render import render_validation

    files = {"validation.csv": to_csv(findings).encode("utf-8"),
             "validation.html": render_validation(config, findings, str(period or config.period)).encode("utf-8")}
    if annotated:
        from .annotate import annotated_copies
        files.update(annotated_copies(config.data, findings))
    return files


def render(page: Page, stage: Callable[[str, str], None] | None = None) -> dict[str, bytes]:
    """The files of the period's folder that are rendered: report.html, .pdf, .docx, annex.xlsx, figures.json and
    the findings. Reads nothing of the output folder, so that it runs as well in a worker process."""
    # Jinja, Babel and WeasyPrint load here, not with the module: checking the sheets needs none of them.
    from .crosscheck import check_halves
    from .render import logo_uri, render_html

    config, figures, period = page.config, page.figures, page.period
    stage = stage or (lambda name, detail="": None)
    stage("html", str(period))
    html = render_html(config, figures, page.sources)
    check_halves(html)
    files = {"report.html": html.encode("utf-8"), "figures.json": figures.to_json().encode("utf-8"),
             **findings_files(config, page.findings, period)}
    if "pdf" in config.formats or "docx" in config.formats:
        from .render import layout, write_pdf

        stage("pdf", str(period))
        weasyprint, document = layout(html, (logo_uri(config),))
        attached = {name: files[name] for name in ("figures.json", "validation.csv")}
        # The files attached are dated the period's last day, the day their figures are stated to: the same page
        # gives the same bytes, in whichever process and on whichever day it is rendered.
        day = dt.datetime.combine(period.end, dt.time(), dt.UTC)
        pdf = write_pdf(weasyprint, document, config.pdf_variant, attached, day)
        if "pdf" in config.formats:
            files["report.pdf"] = pdf
        if "docx" in config.formats:
            from .snapshots import Drawing
            from .word import word_document

            stage("docx", str(period))
            with Drawing(document, pdf) as drawing:  # the charts are drawn while the text is put in
                files["report.docx"] = word_document(config, html, drawing.pictures, period)
    if "xlsx" in config.formats:
        from .annex import annex_workbook

        stage("xlsx", str(period))
        files["annex.xlsx"] = annex_workbook(html, figures)
    if "html" not in config.formats:
        del files["report.html"]
    return files


def jobs_at_most(asked: int | None) -> int:
    """The worker processes a build may use: as asked, at most the cores this process may run on."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(asked or cores, cores))


def rendered(pages: list[Page], jobs: int, stage: Callable[[str, str], None] | None = None
             ) -> Iterator[tuple[Page, dict[str, bytes]]]:
    """Each page with its files, as soon as they are rendered: in this process one after another (`jobs` 1, or a
    single page), else in `jobs` worker processes, in the order they finish.

    The workers are started afresh (spawn), not forked from this process: WeasyPrint and the fonts it holds are
    not safe to use in a forked child."""
    if jobs <= 1 or len(pages) <= 1:
        for page in pages:
            yield page, render(page, stage)
        return
    import concurrent.futures
    import multiprocessing

    import signal
    import threading

    pool = concurrent.futures.ProcessPoolExecutor(max_workers=min(jobs, len(pages)),
                                                  mp_context=multiprocessing.get_context("spawn"),
                                                  initializer=_ending_with_the_build)
    try:
        # Ctrl-C goes to the whole process group: the workers are started with it ignored (a child inherits an
        # ignored signal, and Python leaves it so), so that the build alone hears it and ends them, in order,
        # rather than each printing its own traceback (or one dying with a lock of the pool held).
        quiet = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if quiet else None
        try:
            waiting = {pool.submit(render, page): page for page in pages}
        finally:
            if quiet:
                signal.signal(signal.SIGINT, previous)
        for done in concurrent.futures.as_completed(waiting):
            yield waiting[done], done.result()
    finally:
        # On an error, or Ctrl-C, the pages not yet begun are not rendered; those rendering are let finish.
        pool.shutdown(wait=True, cancel_futures=True)


def _ending_with_the_build() -> None:
    """In a worker process: end as soon as the build that started it is gone. A build killed (SIGKILL) cannot stop
    its workers, and nothing would take what they render: they would wait for pages for ever."""
    import multiprocessing
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to hear; it ends its workers itself
    build = multiprocessing.parent_process()
    if build is None:
        return

    def watch() -> None:
        build.join()  # its sentinel: ready once the build's end of the pipe is closed, by its end
        os._exit(1)

    threading.Thread(target=watch, name="ending-with-the-build", daemon=True).start()
