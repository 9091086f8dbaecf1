"""The write stage: one build at a time, and a period's files replaced together or not at all."""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import tempfile
from pathlib import Path

from .errors import BuildLocked, EnvironmentProblem

LOCK_NAME = ".cpreport.lock"
HOLDER_NAME = ".cpreport.lock.holder"


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside the target, then move it into place."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _ensure_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EnvironmentProblem(f"The output folder {out} cannot be made ({error.strerror}). "
                                 "Check the path and your write access.") from None
    if not os.access(out, os.W_OK):
        raise EnvironmentProblem(f"The output folder {out} is not writable. Check your write access.")


@contextlib.contextmanager
def build_lock(out: Path, wait: float = 0):
    """Hold the output folder's lock for the whole build; another build waits `wait` seconds, then stops."""
    from filelock import FileLock, Timeout

    _ensure_folder(out)
    lock = FileLock(out / LOCK_NAME)
    holder = out / HOLDER_NAME
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        try:
            who = json.loads(holder.read_text("utf-8"))
            named = f"process {who['pid']}, started {who['started']}"
        except (OSError, ValueError, KeyError):
            named = "another process"
        raise BuildLocked(f"Another build is writing to {out} ({named}). Wait for it to finish, "
                          "or give --wait SECONDS.") from None
    try:
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        holder.write_text(json.dumps({"pid": os.getpid(), "started": started}), "utf-8")
        yield
    finally:
        with contextlib.suppress(OSError):
            holder.unlink()
        lock.release()


def _recover(out: Path, period: str) -> None:
    """Finish or undo a swap that a killed build left half done, and sweep its staging folders."""
    target = out / period
    old = sorted(out.glob(f".{period}.old-*"))
    if not target.exists() and old:
        os.replace(old[-1], target)
        old = old[:-1]
    for leftover in old + list(out.glob(f".{period}.new-*")):
        shutil.rmtree(leftover, ignore_errors=True)


def publish(out: Path, period: str, files: dict[str, bytes]) -> Path:
    """Write the period's files into a staging folder, then swap it for the period's folder.

    A build killed at any instant leaves the previous set or the new one: the only moment the
    folder is missing is between two renames, and the next build's _recover puts it back.
    """
    _ensure_folder(out)
    _recover(out, period)
    staging = Path(tempfile.mkdtemp(prefix=f".{period}.new-", dir=out))
    # mkdtemp makes a private folder; a report on a shared drive is for everyone the umask allows.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)
    for name, content in files.items():
        with open(staging / name, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
    target = out / period
    if target.exists():
        old = out / f".{period}.old-{os.getpid()}"
        os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, target)
    return target


def write_findings(folder: Path, files: dict[str, bytes]) -> Path:
    """The findings of a failed run, beside the reports, each file replaced atomically."""
    _ensure_folder(folder)
    for name, content in files.items():
        write_atomically(folder / name, content)
    return folder
