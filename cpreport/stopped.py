"""OUT/findings: what a build that stopped on errors in the sheets leaves for the officer (validation.csv,
validation.html, annotated copies of the sheets with errors), and its clearing once the sheets are fixed. Only the
files a build wrote there, listed in the folder, are ever replaced or removed: people keep their notes beside
them."""
from __future__ import annotations

from pathlib import Path

from . import manifest
from .config import Config
from .errors import InvalidData
from .findings import Findings
from .pages import findings_files
from .write import write_findings

FINDINGS_FOLDER = manifest.FINDINGS_FOLDER
# In the findings folder: the names of the files cpreport wrote there, one a line. Only those are ever
# removed from it: people keep their own notes beside the findings.
FINDINGS_LIST = ".cpreport-files"
FINDINGS_NAMES = ("validation.csv", "validation.html")


def _ours(name: str) -> bool:
    """A name cpreport writes into the findings folder: the list is on a shared drive, so it is checked."""
    from .annotate import SUFFIX

    plain = name and "/" not in name and "\\" not in name and not name.startswith(".")
    return bool(plain) and (name in FINDINGS_NAMES or name.endswith(SUFFIX))


def _written_findings(folder: Path) -> set[str]:
    """The files an earlier run wrote into the findings folder (by its list of them)."""
    try:
        listed = (folder / FINDINGS_LIST).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return set()
    return {name for name in listed if _ours(name)}


def stop_on_errors(config: Config, findings: Findings, outcome=None) -> None:
    """With errors in the sheets: the findings and annotated copies written to OUT/findings, and the run stopped
    (InvalidData); `outcome`, the build's, is told the folder."""
    if findings.errors:
        folder = config.out / FINDINGS_FOLDER
        files = findings_files(config, findings, annotated=True)
        earlier = _written_findings(folder)
        # The list names every file written before any is: a build killed in between still knows them.
        listed = lambda names: "".join(f"{name}\n" for name in sorted(names)).encode("utf-8")  # noqa: E731
        written = write_findings(folder, {FINDINGS_LIST: listed(earlier | set(files)), **files})
        if outcome is not None:
            outcome.folder = written
        for stale in earlier - set(files):  # copies of sheets fixed since the last run
            (folder / stale).unlink(missing_ok=True)
        write_findings(folder, {FINDINGS_LIST: listed(files)})
        from .closing import narrative_errors, sheets_have_errors
        from .messages import Saying

        raise InvalidData(sheets_have_errors(Saying("en"), errors=findings.errors, folder=written,
                                             narrative=narrative_errors(findings)), findings, written)


def clear_old_findings(config: Config) -> None:
    """After a build without errors, the findings of an earlier failed run would mislead: remove them.

    Only the files cpreport wrote there go; the folder goes too when nothing else is left in it."""
    folder = config.out / FINDINGS_FOLDER
    if not folder.is_dir() or folder.is_symlink():
        return
    for name in _written_findings(folder) | set(FINDINGS_NAMES) | {FINDINGS_LIST}:
        (folder / name).unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:
        pass  # someone's own files are in it: they stay, and so does the folder
