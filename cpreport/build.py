"""The pipeline, end to end: config → load → validate → figures → render → write."""
from __future__ import annotations

import contextlib
import dataclasses
import json
import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import manifest, revisions
from .config import Config, Period, Text
from . import pages
from .check import cache_reader, check, periods_with_data, project_from, read_sheets, sources
from .errors import ApprovedPeriodChanged, EnvironmentProblem, Interrupted
from .said import Said
from .figures import Figures
from .index import INDEX_FILES, index_page, now, write_index
from .findings import Code, Findings, finding
from .log import Progress
from .pages import Page
from .validate import Checked
from .owned import edited_by_hand, index_is_ours, not_ours
from .stopped import clear_old_findings, stop_on_errors
from .write import build_lock, publish, recover_all, write_atomically

EVERY = ("month", "quarter", "half", "year")  # --every: the kind of period --all-periods builds


@dataclass
class Outcome:
    """What a build did: the period, where it wrote, its figures and findings, and how long it took."""

    config: Config
    checked: Checked | None
    findings: Findings
    figures: Figures | None = None
    folder: Path | None = None
    seconds: float = 0.0
    periods: list[Period] = field(default_factory=list)  # --all-periods: every period built
    kept: list[Period] = field(default_factory=list)  # --all-periods: months left as they were built (_kept)
    narratives: dict[str, dict[str, str]] = field(default_factory=dict)  # {period: {language: narrative file used}}
    up_to_date: str = ""  # when the build found nothing to do: when the current report was built
    left: list[Period] = field(default_factory=list)  # approved months whose figures did not change: left as they are
    rendered: list[Period] = field(default_factory=list)  # periods whose report was rendered and published
    current: list[Period] = field(default_factory=list)  # periods whose report already showed what it would show


@contextlib.contextmanager
def _saying_what_was_replaced(swapped: list[str]):
    """Ctrl-C after a period's folder was swapped in is said as such: only before it did nothing change."""
    try:
        yield
    except KeyboardInterrupt:
        if not swapped:
            raise
        raise Interrupted(Said("Interrupted (Ctrl-C) after the report for %(periods)s was put in place; the index of "
                               "periods may not list it yet, so build again.", periods=", ".join(swapped))) from None


def _page(config: Config, checked: Checked, period: Period, found: dict[str, str], digests: dict,
          progress: Progress | None, reopen: str | None = None, approval: dict | None = None) -> tuple[Page, bool]:
    """The period's page: its figures, their revisions and approval, and its key; and whether it is left as it is.

    An approved period is left as it is when its figures do not change, and stops the build when they would,
    unless `reopen` gives the reason to open it again. `approval` ({by, approved}) publishes the period approved
    (cpreport approve)."""
    import json

    from .narrative import used

    if progress:
        progress.stage("figures", str(period))
    from .indicators import stated

    figures = stated(config, checked, period)
    figures.narrative = used(config, period)
    folder = config.out / str(period)
    now = json.loads(figures.to_json())["figures"]
    approved = revisions.read_json(folder / revisions.APPROVAL)
    page = Page(config, period, figures, checked.findings, sources(checked), found,
                approved=bool(approved) and approval is None)
    if page.approved:
        published = (revisions.read_json(folder / revisions.FIGURES) or {}).get("figures") or {}
        changes = revisions.compare(str(period), published, revisions.read_json(folder / revisions.ROWS), now,
                                    digests)
        if not changes:
            # Its counted figures stand; its tables, map or shares may not (a forum moved, a women's cell cleared).
            parts = pages.shown_changed(folder, figures)
            if not parts:
                return page, True
            if reopen is None:
                raise ApprovedPeriodChanged(revisions.approved_shown(period, approved, parts))
        elif reopen is None:
            raise ApprovedPeriodChanged(revisions.approved_changes(period, approved, changes))
    figures.revisions = revisions.note(config, checked, period, now, digests, reopen)
    figures.approval = {**approval, "day": dt.date.fromisoformat(approval["approved"][:10])} if approval else {}
    page.key = pages.key(page)
    return page, False


def _publish(page: Page, files: dict[str, bytes], digests: dict, progress: Progress | None, swapped: list[str],
             reopen: str | None = None, approval: dict | None = None, told: Findings | None = None) -> Path:
    """Put the rendered files of a page in its folder, whole, with the history they replace and the manifest;
    `swapped` gets the period's name once its folder is in place. What publishing finds to say (CP502, CP503) goes
    to `told`, the findings the build shows (else the page's)."""
    told = page.findings if told is None else told
    config, period = page.config, page.period
    folder = config.out / str(period)
    theirs = not_ours(folder)
    files[revisions.ROWS] = json.dumps(digests, ensure_ascii=False).encode("utf-8")
    if approval is not None:
        files[revisions.APPROVAL] = revisions.approval_document(period, approval, page.found, files)
    # The figures this publication replaces are kept (an approved version whole, with why it was opened again).
    old = folder / revisions.FIGURES
    # A draft's figures (the month being written, not approved, no later report built) are replaced, not kept.
    draft = revisions.is_draft(config.out, str(period))
    replaced = old.is_file() and old.read_bytes() != files["figures.json"] and not draft
    # Numbers a sent report showed besides its counted figures (its tables, map, shares) that the sheets now give
    # otherwise: the report as sent is kept, and said when no counted figure changed (no CP501 says it).
    parts = pages.shown_changed(folder, page.figures) if not draft and not page.approved else []
    kept_extra = {"report.html": (folder / "report.html").read_bytes()} \
        if parts and (folder / "report.html").is_file() else {}
    if page.approved:
        kept_extra = {name: (folder / name).read_bytes() for name in (revisions.APPROVAL, "report.pdf", "report.html",
                                                                      "validation.csv", "validation.html")
                      if (folder / name).is_file()}
        kept_extra[revisions.REOPENED] = json.dumps({"reason": reopen, "reopened": now()}, ensure_ascii=False,
                                                    indent=2).encode("utf-8")
    kept_entry = f"{revisions.HISTORY}/{revisions.stamp()}"
    files.update(revisions.kept_files(folder, replaced or bool(kept_extra), kept_extra, kept_entry))
    if parts and not _counts_restated(old, files["figures.json"]):
        told.add(finding(Code.CP503, file=f"{period}/report.html", period=str(period), parts=parts,
                         kept=f"{period}/{kept_entry}/report.html" if "report.html" in kept_extra else ""))
    edited = edited_by_hand(folder)
    if edited:
        # A deliverable changed since it was built (report.docx edited and saved in place): the officer's copy is
        # kept in the history, and said, never overwritten unsaid.
        entry = f"{revisions.HISTORY}/{revisions.stamp()}-edited"
        for name, content in edited.items():
            files[f"{entry}/{name}"] = content
            told.add(finding(Code.CP502, file=f"{period}/{name}", period=str(period),
                             kept=f"{period}/{entry}/{name}"))
    files[manifest.MANIFEST_NAME] = manifest.document(page.found, period, files, now(), page.key,
                                                      pages.data_key(page.figures), pages.shown_parts(page.figures))
    # Files someone put in the folder (not the build's, not its history): moved into the new folder as they are,
    # and not listed as the report's, never deleted with the old folder.
    files.update({name: content for name, content in theirs.items() if name not in files})
    stage = progress.stage if progress else (lambda name, detail="": None)
    stage("stage", str(period))

    def publishing(name: str, detail: str = "") -> None:
        if name == "swapped":
            swapped.append(str(period))
        stage(name, detail)

    return publish(config.out, str(period), files, publishing)


def _counts_restated(old: Path, figures_now: bytes) -> bool:
    """Whether a counted figure of the sent figures.json differs from the new one's (a restatement CP501 says)."""
    try:
        then = json.loads(old.read_text("utf-8"))["figures"]
        now = json.loads(figures_now)["figures"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return any(then[key].get("value") != now.get(key, {}).get("value") for key in revisions.main_keys(then)
               if isinstance(then[key], dict))


def publish_period(config: Config, checked: Checked, period: Period, found: dict[str, str],
                   progress: Progress | None, swapped: list[str], reopen: str | None = None,
                   approval: dict | None = None, digests: dict | None = None) -> tuple[Figures, Path | None]:
    """Compute, render and publish one period's folder now (cpreport approve); None for a folder left as it is."""
    digests = revisions.row_digests(checked) if digests is None else digests
    page, left = _page(config, checked, period, found, digests, progress, reopen, approval)
    if left:
        return page.figures, None
    files = pages.render(page, progress.stage if progress else None)
    return page.figures, _publish(page, files, digests, progress, swapped, reopen, approval)


def build(config: Config, *, strict: bool = False, wait: float = 0, progress: Progress | None = None,
          force: bool = True, reopen: str | None = None, all_periods: bool = False, every: str = "month",
          jobs: int = 1, found: dict[str, str] | None = None) -> Outcome:
    """Build the config's period, or with `all_periods` every period of a kind (`every`: month, quarter, half,
    year) that has data up to it, one folder each, and the index. Errors in the sheets raise InvalidData and leave
    the last reports in place.

    The sheets are read and checked once; each period's figures are computed, and its page rendered only when
    what it shows changed since its folder was written (`force` renders every one), in `jobs` processes.
    Without `force`, a build whose inputs are those of the last one (a build we waited for made it) does nothing.
    `found`: the inputs as the caller hashed them (manifest.inputs) before the lock; they are hashed again under
    the lock (only files whose size or time changed since are read), so that a sheet saved while this build waited
    for another is seen.
    """
    started = time.monotonic()
    stage = progress.stage if progress else (lambda name, detail="": None)
    stage("lock")
    swapped: list[str] = []
    with _saying_what_was_replaced(swapped), build_lock(config.out, wait, progress.say if progress else None):
        # Hashed before reading, to tell whether there is anything to do; the sheets' hashes are then replaced by
        # those of the bytes read (manifest.as_read), so that the manifest describes what the report was made from.
        recover_all(config.out)  # a swap a killed build left half done, finished before any folder is read
        index_is_ours(config.out)
        # Hashed again now that the lock is held: a sheet saved while this build waited for another (--wait) is
        # seen (files whose size and time are unchanged are not read again).
        found = manifest.inputs(config, strict)
        if not force:
            done = (manifest.all_periods_current(config.out, found, every, up_to=str(config.period)) if all_periods
                    else manifest.current(config.out, config.period, found))
            if done:
                # The sheets are again those of the report (a half-saved sheet saved whole): the findings of the
                # run that failed on them in between are about sheets no longer there.
                clear_old_findings(config)
                return Outcome(config, None, Findings(), folder=config.out if all_periods else config.out / str(config.period),
                               up_to_date=done["built"], seconds=time.monotonic() - started,
                               periods=[Period.parse(p) for p in done.get("periods", [])])
        reader = cache_reader(config)
        loaded = read_sheets(config.data, progress, reader, config.intake)
        found = manifest.as_read(found, loaded.digests)
        checked = check(config, strict, progress, loaded)
        reader.prune()
        outcome = Outcome(config, checked, checked.findings)
        stop_on_errors(config, checked.findings, outcome)
        if not all_periods:
            config = outcome.config = dataclasses.replace(config, period=project_from(checked, config.period))
        restated: dict[str, list] = {}
        digests = revisions.warn_restated(config, checked, restated)
        if all_periods:
            outcome.periods = _with_published(config, periods_with_data(checked, config.period, every), every)
            worded = [p for p in outcome.periods if _kept(config, p)]  # kept while their figures stand
        else:
            outcome.periods, worded = [config.period], []
        # A restated period published anew by this build states its revised figures (and notes them): the warning
        # that asks for it to be built again is said by this build, and not kept in the folders it writes, where it
        # would no longer be true (and the next build, finding it gone, would render them all again). So is CP404,
        # a month's words given up by this build.
        moot = {id(f) for period in outcome.periods for f in restated.get(str(period), [])}
        alone: list[str] = []  # months built from their figures alone
        keys: dict[str, str] = {}
        todo: list[Page] = []
        for period in outcome.periods:
            # Each month is checked for its own end, so its figures are what a build of that month alone gives
            # (a month without words of its own is built from its figures alone: see _own_words). Its findings
            # name the restatements of its own figures (the config's period's name all of them), and not the rows
            # dated after it: those are the later months', each in its own folder, and a new row dated in May
            # does not change what April's folder says.
            own_config, own_found = _own_words(config, period, found)
            if own_found is not found:
                alone.append(str(period))
            own = checked
            if period != config.period:
                own = check(own_config, strict, None, loaded, period, before=checked)
                stop_on_errors(config, own.findings, outcome)
                own.findings = Findings([f for f in own.findings if f.code != Code.CP305.name])
                own.findings.extend(restated.get(str(period), []))
            if moot:
                own = dataclasses.replace(own, findings=Findings([f for f in own.findings if id(f) not in moot]))
            page, left = _page(own_config, own, period, own_found, digests, progress, reopen)
            if period in worded:
                if _same_figures(config.out / str(period), page.figures):
                    outcome.kept.append(period)
                    keys[str(period)] = (manifest.read(config.out / str(period) / manifest.MANIFEST_NAME) or {}).get(
                        "page", "")
                    continue
                # Words of their time, figures no longer true: the figures win, and the month is said.
                checked.findings.add(rebuilt := finding(Code.CP404, period=str(period),
                                                        expected=_own_files(config, period)))
                moot.add(id(rebuilt))  # said by this build; the next finds the month built from its figures
            outcome.figures = page.figures
            outcome.narratives[str(period)] = page.figures.narrative
            keys[str(period)] = page.key
            if left:  # an approved period whose figures stand: its folder, as it is, is what the next run checks
                outcome.left.append(period)
                keys[str(period)] = (manifest.read(config.out / str(period) / manifest.MANIFEST_NAME) or {}).get("page", "")
            elif not force and manifest.page_current(config.out, period, page.key):
                outcome.current.append(period)
            else:
                todo.append(page)
        outcome.periods = [p for p in outcome.periods if p not in outcome.kept]
        index = index_page(config, [str(p) for p in outcome.periods])
        jobs = pages.jobs_at_most(jobs)
        if jobs > 1 and len(todo) > 1:
            stage("render", f"{len(todo)} periods in {min(jobs, len(todo))} processes")
        for page, files in pages.rendered(todo, jobs, stage):
            folder = config.out / str(page.period)
            if not force and not page.approved and _as_before(folder, files):
                # Rendered to the very bytes its folder holds: the files stay as they are, times and all, and the
                # manifest says what they were found to be made from.
                write_atomically(folder / manifest.MANIFEST_NAME, manifest.refreshed(
                    manifest.read(folder / manifest.MANIFEST_NAME), page.found, page.period, page.key))
                outcome.current.append(page.period)
                continue
            outcome.folder = _publish(page, files, digests, progress, swapped, reopen, told=checked.findings)
            outcome.rendered.append(page.period)
        outcome.rendered.sort(key=outcome.periods.index)
        for period in outcome.current if not all_periods else ():
            # What it shows has not changed: its files stay as they are, the manifest says the inputs it matches.
            folder = config.out / str(period)
            write_atomically(folder / manifest.MANIFEST_NAME,
                             manifest.refreshed(manifest.read(folder / manifest.MANIFEST_NAME), found, period))
        clear_old_findings(config)
        # Published periods the sheets restate that this build left as they are (a quarter, when it builds months):
        # the next build is not "up to date" while they stand, and says their warnings again.
        built = {str(p) for p in outcome.periods}
        left = sorted(set(restated) - built)
        if left:
            write_atomically(config.out / manifest.RESTATED_NAME,
                             json.dumps({"periods": left}, indent=2).encode("utf-8") + b"\n")
        else:
            (config.out / manifest.RESTATED_NAME).unlink(missing_ok=True)
        stage("index")
        # Rendered again now that the folders are in place: a period reopened (its approval gone) or approved since
        # the page was first rendered shows as it now is. The first rendering stopped a failing template early.
        try:
            index = write_index(config, index_page(config, [str(p) for p in outcome.periods]) if outcome.rendered
                                else index)
        except OSError as error:
            if not outcome.rendered:
                raise
            # The periods' folders are in place already: said, with the index named (not its temporary file).
            raise EnvironmentProblem(Said(
                "The report for %(periods)s is in place, but the index of periods (%(file)s) could not be written "
                "(%(problem)s). Check the file and your access to it, then build again.",
                periods=", ".join(str(p) for p in outcome.rendered), file=config.out / "index.html",
                problem=error.strerror or str(error))) from None
        if all_periods:
            write_atomically(manifest.all_periods_file(config.out, every),
                             manifest.all_periods_document(found, [str(p) for p in outcome.periods], now(),
                                                           alone, every, keys, [str(p) for p in outcome.kept],
                                                           str(config.period)))
            outcome.folder = index.parent
        else:
            outcome.folder = config.out / str(config.period)
    outcome.seconds = time.monotonic() - started
    return outcome


def build_all(config: Config, **options) -> Outcome:
    """Build every period of a kind (`every`: month, quarter, half, year) that has data, up to the config's
    period, one folder each, and the index: the build over many periods."""
    return build(config, all_periods=True, **options)


def _own_words(config: Config, period: Period, found: dict[str, str]) -> tuple[Config, dict[str, str]]:
    """The config and inputs a month of --all-periods is built with. The config's narrative is the words of the
    config's period: another month uses its own (narrative/2017-04/en.md), and without one it is built from its
    figures alone, never with another month's words."""
    from .narrative import has_own

    if period == config.period or has_own(config, period) or not any(config.narrative[lang] for lang in config.languages):
        return config, found
    return dataclasses.replace(config, narrative=Text()), {**found, "narrative": manifest.FIGURES_ALONE}


def _with_published(config: Config, periods: list[Period], every: str) -> list[Period]:
    """The periods --all-periods builds: those with data, and those of the same kind published in the output
    folder, up to the config's period. A month whose only row moved to another month has no data of its own
    now, but its report is on record, and linked from the index: it is built again with what the sheets give."""
    found = set(periods)
    for name in revisions.published_periods(config.out):
        try:
            period = Period.parse(name)
        except ValueError:
            continue
        if period.kind == every and period.end <= config.period.end and period not in found:
            found.add(period)
    return sorted(found, key=lambda p: (p.end, p.start))


def _kept(config: Config, period: Period) -> bool:
    """Whether --all-periods may leave a month's report as it is: one built before with words (by a build of that
    month alone, with the config's narrative of the time), which that month has no file of its own to replace. It
    is left only while it states the figures it would state now (_same_figures); a month built from its figures
    alone, or in a project without a narrative, has no words to keep and is rendered as any other."""
    from .narrative import has_own

    folder = config.out / str(period)
    if period == config.period or has_own(config, period) or not manifest.whole(config.out, period):
        return False  # a folder missing a file of its report has nothing whole to keep
    inputs = (manifest.read(folder / manifest.MANIFEST_NAME) or {}).get("inputs", {})
    return isinstance(inputs, dict) and inputs.get("narrative") != manifest.FIGURES_ALONE and \
        any(str(name).startswith("narrative/") for name in inputs) and not _words_were_its_own(config, period)


def _words_were_its_own(config: Config, period: Period) -> bool:
    """Whether a month's report, as built before, said the words of its own narrative file (narrative/2017-04/en.md,
    by figures.json's "narrative"): that file gone, its words go too, and the month is built as any other."""
    from .narrative import own_file, shown_path

    try:
        said = json.loads((config.out / str(period) / "figures.json").read_text("utf-8")).get("narrative") or {}
    except (OSError, ValueError, AttributeError):
        return False
    own = {shown_path(config, own_file(Path(config.narrative[language]), period))
           for language in config.languages if config.narrative[language]}
    return isinstance(said, dict) and any(file in own for file in said.values())


def _as_before(folder: Path, files: dict[str, bytes]) -> bool:
    """Whether a period's folder, whole as its manifest lists it, already holds these files byte for byte. (Its
    record of the rows behind its figures stays as it is, as that of a period found current does.)"""
    if not manifest.whole(folder.parent, folder.name):
        return False
    listed = (manifest.read(folder / manifest.MANIFEST_NAME) or {}).get("files", {})
    if any(name in listed and name not in files for name in INDEX_FILES):
        return False  # a format the config no longer asks for (its file would be left, stale, in the folder)
    try:
        return all((folder / name).read_bytes() == content for name, content in files.items())
    except OSError:
        return False


def _same_figures(folder: Path, figures: Figures) -> bool:
    """Whether a month's report, as built before, states what it would state now from the sheets: its figures,
    their dates and rows, and its tables, charts and map (pages.data_key, which its manifest keeps); of a report
    built by a version that did not keep it, figures.json's values."""
    stated = (manifest.read(folder / manifest.MANIFEST_NAME) or {}).get("data")
    if stated:
        return stated == pages.data_key(figures)
    try:
        built = json.loads((folder / "figures.json").read_text("utf-8"))["figures"]
        return {k: v.get("value") for k, v in built.items()} == {k: f.value for k, f in figures.items.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def _own_files(config: Config, period: Period) -> list[str]:
    """Where a month's own narrative goes, in each language the config has one for: "narrative/2017-03/en.md"."""
    from .narrative import own_file, shown_path

    return [shown_path(config, own_file(Path(config.narrative[language]), period))
            for language in config.languages if config.narrative[language]]


def said_rendered(outcome: Outcome, language: str = "both") -> str:
    """How many periods were rendered and how many already showed what they would, in each language asked."""
    from .closing import rendered
    from .terminal import in_languages

    return in_languages(language, lambda say: rendered(say, rendered=len(outcome.rendered),
                                                       current=len(outcome.current)))
