"""Whether a build has anything to do: content hashes of everything a report is made from.

This module is read before pandas, Jinja or WeasyPrint are imported, so that a cron run with nothing
new ends in a fraction of a second; keep its imports to the standard library and config.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import time
from pathlib import Path

from . import __version__
from .config import Config, Period
from .datafolder import MAX_DEPTH, relative, resolved, sheet_files

MANIFEST_NAME = ".manifest.json"  # inside OUT/<period>/, so that it moves with the files it describes
FINDINGS_FOLDER = "findings"  # in OUT/: the findings of the last run that had errors
ALL_PERIODS_NAME = ".all-periods.json"  # in OUT/: the periods the last --all-periods run built
# In a month's inputs: built by --all-periods from its figures alone, having no narrative of its own.
FIGURES_ALONE = "none"
PACKAGE = Path(__file__).resolve().parent


def builtin_templates() -> Path:
    """The same folder as render.builtin_templates(), found without importing the renderer."""
    inside = PACKAGE / "templates"
    return inside if inside.is_dir() else PACKAGE.parent / "templates"


def snapshot(data: Path, skip=()) -> dict[str, tuple[int, int]]:
    """Size and modification time of each sheet file (by its path within the data folder): compared before and
    after reading them."""
    found = {}
    for path in sheet_files(data, skip):
        try:
            stat = path.stat()
        except OSError:
            continue
        found[relative(path, data)] = (stat.st_size, stat.st_mtime_ns)
    return found


def signature(stat: os.stat_result) -> list[int]:
    """What tells a file unchanged without reading it: its size and modification time, and, as git compares them,
    the time its entry last changed and its inode. A file written again with its old size and its old time put
    back (a sync tool, `touch -r`, `cp -p` over it) has a new change time, which no program can set."""
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


GONE = "gone"  # a file listed and then no longer there when hashed (an officer saving, moving or deleting it)


# What each input hashed to, by its size and modification time (OUT/.cpreport/digests.json), so that a build
# with nothing to do hashes only the files whose size or time changed, as git and make do.
DIGESTS = Path(".cpreport") / "digests.json"
# A digest is trusted only for a file last changed this long before it was hashed: a file saved within the
# same tick of the clock as its hashing could change again without its time changing.
SETTLED_NS = 2_000_000_000


class Watch:
    """What an up-to-date check looked at, each taken before it was read: the (size, mtime_ns) of every file (None:
    not there), the mtime_ns of every folder whose listing it used, the size of every output it found whole, and
    the periods whose staging folders it looked for. cpreport.nochange answers a later run from them while none
    of them has changed; `started` is when the first of them was taken."""

    def __init__(self):
        self.started = time.time_ns()
        self.files: dict[str, list[int] | None] = {}
        self.folders: dict[str, int | None] = {}
        self.outputs: dict[str, int] = {}
        self.staging: set[str] = set()
        self.data: str | None = None  # the data folder the check read, its links resolved

    def file(self, path: Path, stat: os.stat_result | None = None) -> None:
        if stat is None:
            try:
                stat = path.stat()
            except OSError:
                stat = None
        self.files.setdefault(str(path), None if stat is None else signature(stat))

    def folder(self, path: Path) -> None:
        try:
            self.folders.setdefault(str(path), path.stat().st_mtime_ns)
        except OSError:
            self.folders.setdefault(str(path), None)

    def tree(self, top: Path, depth: int | None = None, skip=(), hidden: bool = True) -> None:
        """A folder and its sub-folders, `depth` deep (None: all), but __pycache__, the folders in `skip` and, unless
        `hidden`, those whose name starts with a dot."""
        skipped = resolved(skip)
        self.folder(top)

        def walk(folder: Path, level: int) -> None:
            if depth is not None and level >= depth:
                return
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except OSError:
                return
            for entry in entries:
                if entry.name == "__pycache__" or (not hidden and entry.name.startswith(".")):
                    continue
                try:
                    if not entry.is_dir():
                        continue
                except OSError:
                    continue
                path = Path(entry.path)
                if skipped and path.resolve() in skipped:
                    continue
                self.folder(path)
                walk(path, level + 1)

        walk(top, 0)


class Digests:
    """Files' sha256 by path, reused while a file's signature (size, times, inode) is the one it was hashed with."""

    def __init__(self, out: Path | None = None, watch: Watch | None = None):
        self.path = out / DIGESTS if out else None
        self.watch = watch
        self.known: dict[str, list] = {}
        self.changed = False
        if self.path:
            try:
                known = json.loads(self.path.read_text("utf-8"))
                self.known = known if isinstance(known, dict) else {}
            except (OSError, ValueError):
                pass

    def __call__(self, path: Path) -> str:
        try:
            stat = path.stat()
        except OSError:
            if self.watch:
                self.watch.file(path)
            return _digest(path)
        if self.watch:
            self.watch.file(path, stat)
        name = str(path)
        entry = self.known.get(name)
        if isinstance(entry, list) and len(entry) == 3 and entry[0] == signature(stat) \
                and stat.st_mtime_ns < entry[2] - SETTLED_NS:
            return entry[1]
        hashed_at = time.time_ns()
        digest = _digest(path)
        if digest != GONE:
            self.known[name] = [signature(stat), digest, hashed_at]
            self.changed = True
        return digest

    def save(self) -> None:
        """Write what was hashed, whole or not at all; a folder that cannot be written only makes the next check
        hash again."""
        if not (self.path and self.changed and self.path.parent.is_dir()):
            return
        staging = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            staging.write_text(json.dumps(self.known), "utf-8")
            os.replace(staging, self.path)
        except OSError:
            staging.unlink(missing_ok=True)


def _digest(path: Path) -> str:
    """The sha256 of a file's bytes; GONE when it vanished between being listed and being hashed: the build then
    reads the folder as it is and says what is missing."""
    hasher = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                hasher.update(block)
    except FileNotFoundError:
        return GONE
    return hasher.hexdigest()


def _files(folder: Path | None, pattern: str = "*") -> list[Path]:
    if not folder or not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


# Where the project is, and where its sheets and reports are, are no part of what a report says: a project folder
# moved, or a shared drive mounted elsewhere, builds the same pages. So is the language of the terminal.
WHERE_NOT_WHAT = ("path", "data", "out", "period", "language", "logo")


def settings(config: Config) -> dict:
    """The config's settings as they shape the reports: paths within the project folder relative to it, and
    where the project, its sheets and its reports are left out (the files' own contents are hashed apart)."""
    root = config.root

    def within(value):
        if isinstance(value, Path | str) and os.path.isabs(value):
            path = Path(value)
            return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
        return value

    kept = {k: v for k, v in vars(config).items() if k not in WHERE_NOT_WHAT}
    kept["templates"] = within(config.templates)
    kept["narrative"] = {language: within(path) for language, path in vars(config.narrative).items()}
    kept["intake"] = dataclasses.replace(config.intake, skip=())
    return kept


# A folder of a period's own narrative is named as the period is written: 2017-05, 2017-Q2, 2017-H1, 2017, project.
PERIOD_FOLDER = re.compile(r"\d{4}(-(\d{2}|[Qq][1-4]|[Hh][12]))?|project")


def _period_folders(folder: Path) -> list[Path]:
    """The folders of periods' own narratives beside the narrative a config names, in order."""
    try:
        return sorted(entry for entry in folder.iterdir() if PERIOD_FOLDER.fullmatch(entry.name) and entry.is_dir())
    except OSError:
        return []


def inputs(config: Config, strict: bool = False, watch: Watch | None = None) -> dict[str, str]:
    """Everything a report depends on, each with a content hash: sheets, config, narrative, templates, code. A
    file whose size and modification time are those of its last hashing is not read again (Digests). `watch`, when
    given, gets what was looked at, before it was read."""
    _digest = Digests(config.out, watch)
    found: dict[str, str] = {"version": __version__, "strict": str(strict)}
    found["settings"] = hashlib.sha256(repr(sorted(settings(config).items())).encode()).hexdigest()
    if watch:
        watch.data = str(config.data)
        watch.tree(config.data, MAX_DEPTH, config.intake.skip, hidden=False)
    for path in sheet_files(config.data, config.intake.skip):
        found[f"data/{relative(path, config.data)}"] = _digest(path)
    if watch and config.path:
        watch.file(config.path)
    if config.path and config.path.is_file():
        found["config"] = _digest(config.path)
    for language in ("en", "ar"):
        if config.narrative[language]:
            configured = Path(config.narrative[language])
            periods = _period_folders(configured.parent)
            if watch:
                watch.file(configured)
                watch.folder(configured.parent)
                for folder in periods:
                    watch.folder(folder)
                    watch.file(folder / configured.name)
            if configured.is_file():
                found[f"narrative/{language}"] = _digest(configured)
            # Each period's own narrative (narrative/2017-05/en.md, narrative/2017-Q2/en.md): a period reads its
            # own when it has one.
            for folder in periods:
                own = folder / configured.name
                if own.is_file():
                    found[f"narrative/{folder.name}/{language}"] = _digest(own)
    if watch and config.logo:
        watch.file(Path(config.logo))
    if config.logo and Path(config.logo).is_file():
        found["logo"] = _digest(Path(config.logo))
    if watch:
        watch.folder(PACKAGE / "templates")  # whether the built-in templates are inside the package or beside it
    for label, folder in (("templates", config.templates), ("builtin", builtin_templates())):
        if watch and folder:
            watch.tree(folder)
        for path in _files(folder):
            found[f"{label}/{path.relative_to(folder).as_posix()}"] = _digest(path)
    # The package's own files (code, catalogs, gazetteer): a fix without a new version number must still rebuild.
    if watch:
        watch.tree(PACKAGE)
    for path in _files(PACKAGE):
        found[f"code/{path.relative_to(PACKAGE).as_posix()}"] = _digest(path)
    _digest.save()
    return found


def as_read(found: dict[str, str], digests: dict[str, str]) -> dict[str, str]:
    """The inputs with each sheet's hash replaced by that of the bytes the build read (by its path in the data
    folder): a sheet saved between the hashing and the reading is then recorded as read, and the next build sees
    that it differs from what is on disk now if it changed again."""
    return {**found, **{f"data/{name}": digest for name, digest in digests.items() if f"data/{name}" in found}}


def key(found: dict[str, str], period: Period | str) -> str:
    return hashlib.sha256(json.dumps({"period": str(period), **found}, sort_keys=True).encode()).hexdigest()


def document(found: dict[str, str], period: Period, files: dict[str, bytes], built: str, page: str = "",
             data: str = "", shown: dict[str, str] | None = None) -> bytes:
    """The manifest written into the period's folder with the files it describes: the key of the inputs it was
    built from (for a build with nothing to do), `page`, the key of what its report shows (pages.key), and `data`,
    the key of what it states from the sheets (pages.data_key), and `shown`, the keys of the numbers it shows besides
    its counted figures (pages.shown_parts)."""
    return json.dumps({"key": key(found, period), "page": page, "period": str(period), "built": built,
                       "version": __version__, "inputs": found, **({"data": data} if data else {}),
                       **({"shown": shown} if shown else {}),
                       "files": {name: len(content) for name, content in files.items()}},
                      indent=2, sort_keys=True).encode("utf-8") + b"\n"


def refreshed(manifest: dict, found: dict[str, str], period: Period, page: str | None = None) -> bytes:
    """A folder's manifest now that these inputs were found to give the same report (of the key `page`, when it
    changed): its files stay as they are."""
    return json.dumps({**manifest, "key": key(found, period), "inputs": found,
                       **({"page": page} if page is not None else {})}, indent=2, sort_keys=True).encode("utf-8") + b"\n"


def read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


def whole(out: Path, period: Period | str, watch: Watch | None = None) -> dict | None:
    """The manifest of OUT/<period>/ when its files are all there as it lists them; else None."""
    folder = out / str(period)
    if watch:
        watch.staging.add(str(period))
    if any(out.glob(f".{period}.*")):
        return None  # a build was cut short (or is running): let a build take the lock and tidy up
    if watch:
        watch.file(folder / MANIFEST_NAME)
    manifest = read(folder / MANIFEST_NAME)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None
    for name, size in manifest["files"].items():
        try:
            if (folder / name).stat().st_size != size:
                return None
        except OSError:
            return None
        if watch:
            watch.outputs[str(folder / name)] = size
    return manifest


RESTATED_NAME = ".restated.json"  # in OUT/: published periods the last build found the sheets restate, not rebuilt


def restated_left(out: Path, watch: Watch | None = None) -> list[str]:
    """The published periods the last build warned the sheets restate and left as they are: while there are any,
    no build is "up to date", and each says its warning again until they are built (or the sheets put back)."""
    if watch:
        watch.file(out / RESTATED_NAME)
    found = read(out / RESTATED_NAME)
    periods = found.get("periods") if isinstance(found, dict) else None
    return [str(p) for p in periods] if isinstance(periods, list) else []


def current(out: Path, period: Period | str, found: dict[str, str], watch: Watch | None = None) -> dict | None:
    """The manifest of OUT/<period>/ when it matches these inputs and its files are all there; else None."""
    if restated_left(out, watch):
        return None
    manifest = whole(out, period, watch)
    return manifest if manifest and manifest.get("key") == key(found, period) else None


def page_current(out: Path, period: Period | str, page: str, watch: Watch | None = None) -> dict | None:
    """The manifest of OUT/<period>/ when its report shows what the page of this key would, whole; else None."""
    manifest = whole(out, period, watch)
    return manifest if page and manifest and manifest.get("page") == page else None


def _all(every: str, up_to: str) -> str:
    """The key's period for an --all-periods run: a run of quarters is not a run of months, and a run up to May
    is not a run up to April (May is a period it builds)."""
    return ("all" if every == "month" else f"all-{every}") + f" to {up_to}"


def all_periods_file(out: Path, every: str = "month") -> Path:
    """Where the last --all-periods run of each kind of period is recorded: runs of months and of quarters in
    turn each keep their own."""
    return out / (ALL_PERIODS_NAME if every == "month" else ALL_PERIODS_NAME.replace(".json", f"-{every}.json"))


def all_periods_current(out: Path, found: dict[str, str], every: str = "month",
                        watch: Watch | None = None, up_to: str = "") -> dict | None:
    """The last --all-periods run, when it saw these inputs and the folder of every period it built still holds
    the report it left there (a period it found current keeps the manifest of the run that rendered it)."""
    if restated_left(out, watch):
        return None
    recorded = all_periods_file(out, every)
    if watch:
        watch.file(recorded)
    summary = read(recorded)
    if not isinstance(summary, dict) or summary.get("key") != key(found, _all(every, up_to)) or not summary.get("periods"):
        return None
    pages = summary.get("pages") if isinstance(summary.get("pages"), dict) else {}
    kept = summary.get("kept") if isinstance(summary.get("kept"), list) else []
    if not all(page_current(out, period, pages.get(period, ""), watch) for period in [*summary["periods"], *kept]):
        return None
    if not (out / "index.html").is_file():
        return None
    if watch:
        watch.outputs[str(out / "index.html")] = (out / "index.html").stat().st_size
    return summary


def all_periods_document(found: dict[str, str], periods: list[str], built: str, alone: list[str] = (),
                         every: str = "month", pages: dict[str, str] | None = None, kept: list[str] = (),
                         up_to: str = "") -> bytes:
    """`alone`: the months built from their figures alone, without another month's narrative; `pages`: the key of
    each period's report; `kept`: the months left as built before with their words, whose folders must stay whole
    too for the run to be up to date."""
    return json.dumps({"key": key(found, _all(every, up_to)), "periods": periods, "built": built, "figures_alone": list(alone),
                       "pages": pages or {}, "kept": list(kept)}, indent=2).encode() + b"\n"


def changed_files(before: dict, after: dict) -> list[str]:
    """Names of the sheet files whose size or modification time differ between two snapshots."""
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
