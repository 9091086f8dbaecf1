"""The write stage: one build at a time, and a period's files replaced together or not at all."""
from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from collections.abc import Callable

from .errors import BuildLocked, EnvironmentProblem
from .said import Said

LOCK_NAME = ".cpreport.lock"
HOLDER_NAME = ".cpreport.lock.holder"


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside the target, then move it into place."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's file is private; a report is for everyone the umask allows
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
        _sync_folder(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _sync_folder(folder: Path) -> None:
    """Make a rename durable: the folder's own entry list goes to disk too (where the system allows it)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_current_folder, rename_exchange = -100, 2
    if renameat2(at_current_folder, os.fsencode(first), at_current_folder, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    # Network and older file systems refuse the flag: fall back to two renames.
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


def ensure_folder(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EnvironmentProblem(Said("The output folder %(folder)s cannot be made (%(problem)s). Check the path and "
                                      "your write access.", folder=out, problem=error.strerror)) from None
    if not os.access(out, os.W_OK):
        raise EnvironmentProblem(Said("The output folder %(folder)s is not writable. Check your write access.",
                                      folder=out))


def holder(out: Path) -> str:
    """Who holds the output folder's lock, as the last build to take it wrote down."""
    try:
        who = json.loads((out / HOLDER_NAME).read_text("utf-8"))
        return f"process {who['pid']}, started {who['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextlib.contextmanager
def build_lock(out: Path, wait: float = 0, on_wait: Callable[..., None] | None = None):
    """Hold the output folder's lock for the whole build; another build waits `wait` seconds, then stops.

    on_wait(message, folder=, holder=, wait=): told when this build starts waiting for another."""
    from filelock import FileLock, Timeout

    ensure_folder(out)
    lock = FileLock(out / LOCK_NAME)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        try:
            if wait <= 0:
                raise
            if on_wait:
                held = holder(out)
                on_wait(f"Another build is writing to {out} ({held}); waiting up to {wait:g} s.", folder=out,
                        holder=held, wait=wait)
            lock.acquire(timeout=wait)
        except Timeout:
            held = holder(out)
            raise BuildLocked(Said("Another build is writing to %(folder)s (%(holder)s). Wait for it to finish, or give "
                                   "--wait SECONDS.", folder=out, holder=held), folder=out, holder=held) from None
    try:
        started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        write_atomically(out / HOLDER_NAME, json.dumps({"pid": os.getpid(), "started": started}).encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            (out / HOLDER_NAME).unlink()
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


def recover_all(out: Path) -> None:
    """_recover for every period a killed build left half swapped: run under the lock before any period's folder is
    read, so that the build sees each as it was (its history, its approval), never a period missing mid-swap."""
    periods = {name.split(".")[1] for name in _names(out) if name.startswith(".") and (".old-" in name or ".new-" in name)}
    for period in sorted(periods):
        _recover(out, period)


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def publish(out: Path, period: str, files: dict[str, bytes], stage: Callable[[str], None] | None = None) -> Path:
    """Write the period's files into a staging folder, then swap it for the period's folder.

    A build killed at any instant leaves the previous set or the new one. Where the file system can
    exchange two folders in one step (Linux, local disks) the folder is never missing; elsewhere it is
    missing between two renames, and the next build's _recover puts the previous set back.
    """
    stage = stage or (lambda name: None)
    ensure_folder(out)
    _recover(out, period)
    staging = Path(tempfile.mkdtemp(prefix=f".{period}.new-", dir=out))
    try:
        # mkdtemp makes a private folder; a report on a shared drive is for everyone the umask allows.
        os.chmod(staging, 0o777 & ~_umask())
        for name, content in files.items():
            if "/" in name:  # a file of the period's history (history/<time>/figures.json)
                (staging / name).parent.mkdir(parents=True, exist_ok=True)
            with open(staging / name, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
        _sync_folder(staging)
    except BaseException:  # a full disk, Ctrl-C: the half-written set goes now, not at the next build
        shutil.rmtree(staging, ignore_errors=True)
        raise
    stage("staged")
    target = out / period
    if target.exists() and _exchange(staging, target):
        stage("swapped")
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the previous set
    elif target.exists():
        old = out / f".{period}.old-{os.getpid()}"
        os.replace(target, old)
        os.replace(staging, target)
        stage("swapped")
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, target)
        stage("swapped")
    _sync_folder(out)
    return target


def write_findings(folder: Path, files: dict[str, bytes]) -> Path:
    """The findings of a failed run, beside the reports, each file replaced atomically."""
    ensure_folder(folder)
    for name, content in files.items():
        write_atomically(folder / name, content)
    return folder
