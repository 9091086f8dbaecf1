"""The quick answer of `cpreport build` when nothing changed since the last check: before Click and the config.

A cron line runs `cpreport build` every night; most nights nothing changed, and the answer is one line, "Up to
date". The full path pays for Click (its import alone some 0.06 s on a quiet machine), the config's and the
findings' modules (some 0.06 s) and the interpreter (0.02 s) before it even looks: 0.2 to 0.3 s a run. This
module answers first, with the standard library alone: it pays for the interpreter, reading one JSON file, a
stat of every file and folder the last check looked at (some 120 for the sample, most of them cpreport's own)
and one line added to the log. The harness's "rebuild, nothing changed" row measured 0.10 s in a run where
`import click` alone took 0.22 s (a busy machine); ten runs of the sample's no-op took 0.04 s (median), where
the full path took 0.20 s.

It answers only when it can prove that the full path would say "Up to date" again; on any doubt it says nothing
and the full path runs, which decides as it always did:

- The full path, having found the report up to date, stamps OUT/.cpreport/nochange.json (`record`): the call
  (the arguments, the working folder, every CPREPORT_* variable, HOME, the version, the Python, the month: a
  config without a period reports on the last full month), the (size, mtime_ns) of every file its check read
  (config, sheets, narratives, logo, templates, cpreport's own files; "not there" for the ones it looked for and
  did not find), the mtime_ns of every folder whose listing it used, the size of every output it found whole,
  and its closing line, worded in the languages asked, with a placeholder for the seconds.
- This module takes only `build` with options it can reason about, finds OUT as the full path does (--out,
  CPREPORT_OUT, the config's top-level `out`, else `out` beside the config), and answers from the stamp made
  by the same call only: every stat as recorded and older than 2 s before the stamp (a file saved in the same
  tick of the clock as its check could change again unseen), every output there with its size, no staging
  folder of a build cut short, and a log it can add a line to without reaching its rotation.
"""
from __future__ import annotations

import os
import sys
import time

from . import __version__

STAMP = os.path.join(".cpreport", "nochange.json")
KEPT = 8  # stamps of this many calls kept in one output folder (a cron line per period, say)
# The options a quick answer can reason about; any other (--force, --reopen, --wait, --jobs, --help, …) goes to
# the full path.
VALUED = frozenset({"--config", "--data", "--period", "--out", "--every", "--lang"})
FLAGS = frozenset({"--all-periods", "--strict", "--quiet", "-q"})
LOG_NAME = "cpreport.log"
LOG_ROOM = 16_384  # a log this close to its rotation is left to the full path, which rotates it
DEFAULT_CONFIG = "cpreport.toml"

# The arguments this process was started with, when it was started as the `cpreport` program: the full path
# stamps only a call it knows as this module will see it again.
ARGV: list[str] | None = None


def placeholder(say) -> str:
    """What stands for the seconds in a stamped closing line, in the language of `say` (a cpreport Saying)."""
    return "\x00ar\x00" if say.arabic else "\x00en\x00"


def call(argv: list[str], when: int | None = None) -> dict:
    """What the full path's answer depends on besides the files: the same call gets the same answer. `when` (ns
    since the epoch; now by default) gives the month, which a config without a period reports on the last of."""
    month = time.strftime("%Y-%m", time.localtime(None if when is None else when / 1e9))
    return {"argv": list(argv), "cwd": os.getcwd(), "home": os.environ.get("HOME"),
            "environment": {k: v for k, v in sorted(os.environ.items()) if k.startswith("CPREPORT_")},
            "version": __version__, "python": sys.executable, "month": month}


def record(out, watch, *, log: str, shown: str, settled_ns: int, log_bytes: int) -> None:
    """Stamp OUT/.cpreport/nochange.json with what the full path's up-to-date check looked at (a
    cpreport.manifest.Watch) and its closing line. A stamp that cannot be written only leaves the next run to the
    full path."""
    if ARGV is None:
        return
    # The month when the check began: the config, read after it, took its period from that month or a later one.
    entry = {"call": call(ARGV, watch.started), "out": str(out), "time": watch.started, "settled_ns": settled_ns,
             "log_bytes": log_bytes, "files": watch.files, "folders": watch.folders, "outputs": watch.outputs,
             "staging": sorted(watch.staging), "log": log, "shown": shown, "data": watch.data}
    import json

    path = os.path.join(out, STAMP)
    stamps = [stamp for stamp in _stamps(path) if stamp.get("call") != entry["call"]][-(KEPT - 1):]
    staging = f"{path}.{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(staging, "w", encoding="utf-8") as stream:
            json.dump({"stamps": [*stamps, entry]}, stream)
        os.replace(staging, path)
    except OSError:
        try:
            os.unlink(staging)
        except OSError:
            pass


def _stamps(path: str) -> list[dict]:
    import json

    try:
        with open(path, encoding="utf-8") as stream:
            stamps = json.load(stream).get("stamps")
    except (OSError, ValueError, AttributeError):
        return []
    return [stamp for stamp in stamps if isinstance(stamp, dict)] if isinstance(stamps, list) else []


def _options(argv: list[str]) -> dict | None:
    """`build` and its options, when all of them are ones a quick answer can reason about; else None."""
    if not argv or argv[0] != "build":
        return None
    options: dict = {}
    rest = iter(argv[1:])
    for arg in rest:
        name, equals, value = arg.partition("=")
        if name in VALUED:
            if not equals:
                value = next(rest, None)
                if value is None or value.startswith("-"):
                    return None
            if name in options:
                return None
            options[name] = value
        elif arg in FLAGS:
            options[arg] = True
        else:
            return None
    return options


def _configured_out(config: str, key: str = "out") -> str | None:
    """The config file's top-level `out` (or `key`) as written, when it is a plain quoted string on a line of its
    own. Only a guess at where to look: the stamp found there must name this very folder and this call."""
    try:
        with open(config, "rb") as stream:
            text = stream.read().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    wanted = key
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            return None  # the tables begin: `out` is a top-level key
        key, equals, value = line.partition("=")
        if equals and key.strip() in (wanted, f'"{wanted}"', f"'{wanted}'"):
            value = value.strip()
            quote = value[:1]
            if quote in ('"', "'") and quote in value[1:]:
                said = value[1:value.index(quote, 1)]
                return None if "\\" in said else said
            return None
    return None


def _folder(options: dict, key: str, default: str | None = None) -> str | None:
    """The folder (`out` or `data`) the full path would use for these options, its links resolved, as well as it
    can be told without the config's reader (see _configured_out): --out/--data, else CPREPORT_OUT/CPREPORT_DATA,
    else the config's top-level key beside the config, else `default` (None: it cannot be told)."""
    cwd = os.getcwd()
    variable = os.environ.get(f"CPREPORT_{key.upper()}", "").strip()
    if f"--{key}" in options:
        folder = os.path.join(cwd, os.path.expanduser(options[f"--{key}"]))
    elif variable:
        folder = os.path.join(cwd, os.path.expanduser(variable))
    else:
        config = os.path.join(cwd, options.get("--config") or DEFAULT_CONFIG)
        given = _configured_out(config, key) if os.path.isfile(config) else None
        if given is None and default is None:
            return None
        root = os.path.dirname(os.path.realpath(config)) if os.path.isfile(config) else cwd
        folder = os.path.join(root, os.path.expanduser(given or default))
    return os.path.realpath(folder)


def _out(options: dict) -> str:
    """The output folder the full path would use for these options."""
    return _folder(options, "out", "out")


def _data(options: dict) -> str | None:
    """The data folder the full path would read, its links resolved (a folder `current` linked to this month's
    drop of the sheets, pointed elsewhere since, is another folder); None when it cannot be told."""
    return _folder(options, "data")


def _unchanged(stamp: dict, now: int) -> bool:
    """Whether everything the stamp's check looked at is as it was, and was so long enough before the check."""
    if not isinstance(stamp["time"], int) or stamp["time"] > now:
        return False
    settled = stamp["time"] - max(int(stamp["settled_ns"]), 0)
    for path, recorded in stamp["files"].items():
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            if recorded is None:
                continue
            return False
        # As manifest.signature records it (this module imports nothing of cpreport's): size, modification and
        # change times, inode.
        if recorded is None or [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino] != recorded \
                or stat.st_mtime_ns >= settled:
            return False
    for path, recorded in stamp["folders"].items():
        try:
            mtime = os.stat(path).st_mtime_ns
        except FileNotFoundError:
            if recorded is None:
                continue
            return False
        if mtime != recorded or mtime >= settled:
            return False
    for path, size in stamp["outputs"].items():
        if os.stat(path).st_size != size:  # an output gone: OSError, and the full path answers
            return False
    names = os.listdir(stamp["out"])
    return not any(name.startswith(f".{period}.") for period in stamp["staging"] for name in names)


def answer(argv: list[str], started: float) -> str | None:
    """The closing line to print when the stamp proves the report up to date, once logged; else None (the full
    path decides). Any doubt, or anything unforeseen, is a None."""
    options = _options(argv)
    if options is None:
        return None
    out = _out(options)
    this = call(argv)
    stamp = next((s for s in _stamps(os.path.join(out, STAMP)) if s.get("call") == this), None)
    if stamp is None or stamp.get("out") != out or not _unchanged(stamp, time.time_ns()):
        return None
    if stamp.get("data") is None or _data(options) != stamp["data"]:
        return None  # the sheets' folder is not the one the stamp's check read (a link pointed elsewhere)
    from .closing import decimal
    from .visible import visible

    seconds = time.monotonic() - started

    def said(text: str) -> str:
        return text.replace("\x00en\x00", decimal(seconds, 2, False)).replace("\x00ar\x00", decimal(seconds, 2, True))

    log = os.path.join(out, LOG_NAME)
    try:
        size = os.stat(log).st_size
    except FileNotFoundError:
        size = 0
    now = time.time()
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(now)) + f",{int((now - int(now)) * 1000):03d}"
    line = (visible(f"{when} pid {os.getpid()} INFO {said(stamp['log'])}", keep="\n\t") + "\n").encode("utf-8")
    shown = "" if "--quiet" in options or "-q" in options else visible(said(stamp["shown"]), keep="\n")
    if size + len(line) + LOG_ROOM >= stamp["log_bytes"]:
        return None
    with open(log, "ab") as stream:  # a log that cannot be written: OSError, and the full path says so
        stream.write(line)
    return shown


def main():
    """The `cpreport` program: the quick answer when it has one, else the command line (cpreport.cli)."""
    global ARGV
    started = time.monotonic()
    ARGV = sys.argv[1:]
    try:
        shown = answer(ARGV, started)
    except Exception:  # noqa: BLE001 - a quick answer that cannot be given is the full path's to give
        shown = None
    except KeyboardInterrupt:  # Ctrl-C while the stamp is checked: as the full path says it, and its exit code
        from .errors import Interrupted

        sys.stderr.write(f"Error: {Interrupted.NOTHING_CHANGED}\n")
        return Interrupted.exit_code
    if shown is None:
        from .cli import main as full
        return full()
    if shown:
        sys.stdout.write(shown + "\n")
        sys.stdout.flush()
    return 0
