"""Signing a month off: `cpreport approve` records who approved its report, when, and the hashes of what it was made
from and of its files (OUT/<period>/approval.json). A later build leaves an approved month as it is while its
figures do not change, and stops when they would (build.py)."""
from __future__ import annotations

import json
import time

from . import manifest, revisions
from .build import Outcome, publish_period
from .stopped import stop_on_errors
from .check import check, read_sheets
from .index import index_page, now as built_at, write_index
from .config import Config, Period
from .errors import CpreportError
from .said import Lines, Said
from .figures import compute
from .log import Progress
from .write import build_lock, recover_all


class NotApprovable(CpreportError):
    """The period has no report yet, or its report is not what the sheets give now: build it and read it first."""


def approve(config: Config, period: Period, by: str, progress: Progress | None = None) -> Outcome:
    """Publish the period's report again, the same figures, approved by `by`; an approved one is left as it is."""
    started = time.monotonic()
    by = " ".join(str(by).split())
    if not by:
        raise NotApprovable(Said("Say who approves the report: --by \"Name\"."))
    folder = config.out / str(period)
    with build_lock(config.out, 0, progress.say if progress else None):
        recover_all(config.out)
        published = revisions.read_json(folder / revisions.FIGURES)
        if not published:
            raise NotApprovable(Said("There is no report for %(period)s in %(folder)s: build it (cpreport build "
                                     "--period %(key)s), read it, then approve it.", period=period,
                                     key=str(period), folder=config.out))
        already = revisions.read_json(folder / revisions.APPROVAL)
        if already:
            return Outcome(config, None, _no_findings(), folder=folder,
                           up_to_date=f"approved by {already.get('by')} on {already.get('approved')}")
        found = manifest.inputs(config)
        if _words_changed(period, found, folder):
            raise NotApprovable(Said("The report for %(period)s in %(folder)s was built before the config, its "
                                     "narrative or the templates last changed, so approving it would publish words "
                                     "nobody has read: build it again (cpreport build --period %(key)s), read it, "
                                     "then approve it.", period=period, key=str(period), folder=folder))
        loaded = read_sheets(config.data, progress, intake=config.intake)
        found = manifest.as_read(found, loaded.digests)
        checked = check(config, period=period, loaded=loaded)
        outcome = Outcome(config, checked, checked.findings)
        stop_on_errors(config, checked.findings, outcome)
        now = json.loads(compute(checked, period, config.highlights).to_json())["figures"]
        changes = revisions.compare(str(period), published.get("figures") or {},
                                    revisions.read_json(folder / revisions.ROWS), now, revisions.row_digests(checked))
        if changes:
            lines = Lines(Said("%(figure)s: %(published)s -> %(now)s (%(rows)s)", figure=c.key, published=c.published,
                               now=c.now, rows=c.rows) for c in changes)
            raise NotApprovable(Said("The sheets now give other figures for %(period)s than its report in %(folder)s "
                                     "(in the report -> now):\n%(changes)s\nBuild it again (cpreport build --period "
                                     "%(key)s), read it, then approve it.", period=period, key=str(period), folder=folder,
                                     changes=lines))
        index_page(config, [str(period)])  # a template that fails, fails before the report is replaced
        config, found, checked = _as_built(config, found, checked, folder)
        outcome.figures, outcome.folder = publish_period(config, checked, period, found, progress, [],
                                                  approval={"by": by, "approved": built_at()})
        outcome.periods = [period]
        write_index(config, index_page(config))  # after: it shows the approval
    outcome.seconds = time.monotonic() - started
    return outcome


def _words_changed(period: Period, found: dict, folder) -> bool:
    """Whether what the report's words and looks are made from (the config, the narrative it uses, the logo, the
    templates, cpreport itself) changed since the report in the folder was built: approving would render it
    again from them."""
    built = (manifest.read(folder / manifest.MANIFEST_NAME) or {}).get("inputs")
    if not isinstance(built, dict):
        return True
    alone = built.get("narrative") == manifest.FIGURES_ALONE  # built from its figures alone: no narrative read

    # The narrative each language uses: the period's own file when it has one, else the one every period shares.
    used = set() if alone else {f"narrative/{period}/{language}" if f"narrative/{period}/{language}" in found
                                else f"narrative/{language}" for language in ("en", "ar")}

    def made_of(inputs: dict) -> dict:
        return {name: digest for name, digest in inputs.items()
                if name in ("config", "logo", "settings", "version", *used)
                or name.startswith(("templates/", "builtin/", "code/"))}

    return made_of(built) != made_of(found)


def _as_built(config: Config, found: dict, checked, folder):
    """The config, inputs and findings the report being approved was built with, so that approving it adds the
    line that says so and nothing else: a month --all-periods built from its figures alone (without the words of
    the config's month) stays without them, and one whose findings left out the rows dated after it (those are
    the later months') leaves them out again."""
    import dataclasses

    from .config import Text
    from .findings import Code, Findings

    inputs = (manifest.read(folder / manifest.MANIFEST_NAME) or {}).get("inputs", {})
    if isinstance(inputs, dict) and inputs.get("narrative") == manifest.FIGURES_ALONE:
        config = dataclasses.replace(config, narrative=Text())
        found = {**found, "narrative": manifest.FIGURES_ALONE}
    try:
        said = (folder / "validation.csv").read_text("utf-8-sig")
    except OSError:
        said = None
    if said is not None and Code.CP305.name not in said:
        checked = dataclasses.replace(checked, findings=Findings([f for f in checked.findings
                                                                  if f.code != Code.CP305.name]))
    return config, found, checked


def _no_findings():
    from .findings import Findings

    return Findings()
