"""What in the output folder is a build's own: a build replaces and removes only what it wrote. A period's folder
is a build's when it holds `.manifest.json`, and the files that manifest lists are the build's; anything else in it
is someone's, kept. An index.html is a build's when it ends with the mark a build writes (or, written by an
earlier version, stands beside periods' folders a build made)."""
from __future__ import annotations

from pathlib import Path

from . import manifest, revisions
from .errors import EnvironmentProblem
from .index import INDEX_FILES, written_by_a_build
from .said import Said


def index_is_ours(out: Path) -> None:
    """An index.html in an output folder that holds no period a build made is someone else's (`out` given as an
    existing web folder): it is not replaced; the build stops before it writes anything."""
    index = out / "index.html"
    if not index.is_file() or written_by_a_build(index):
        return
    try:  # an index an earlier version wrote has no mark: the periods' folders beside it are a build's
        ours = any((entry / manifest.MANIFEST_NAME).is_file() for entry in out.iterdir() if entry.is_dir())
    except OSError:
        return
    if not ours:
        raise EnvironmentProblem(Said(
            "%(file)s was not written by a build (the folder holds no report a build made), so it is not replaced: "
            "give the reports an output folder of their own ('out' in the config, or --out).", file=index))


def not_ours(folder: Path) -> dict[str, bytes]:
    """The files of a period's folder that no build wrote (not listed in its manifest, nor in its history): kept
    when a build replaces the folder. A folder that holds files but no manifest is not one a build made: it is
    not replaced."""
    if not folder.is_dir() or folder.is_symlink():
        return {}
    listed = (manifest.read(folder / manifest.MANIFEST_NAME) or {}).get("files")
    entries = [path for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()]
    if not isinstance(listed, dict):
        if entries:
            raise EnvironmentProblem(Said(
                "%(folder)s holds files a build did not write (it has no .manifest.json), so it is not replaced: move "
                "them elsewhere, or give the reports an output folder of their own ('out' in the config).",
                folder=folder))
        return {}
    theirs = {}
    for path in entries:
        name = path.relative_to(folder).as_posix()
        if name not in listed and name != manifest.MANIFEST_NAME and not name.startswith(f"{revisions.HISTORY}/"):
            theirs[name] = path.read_bytes()
    return theirs


def edited_by_hand(folder: Path) -> dict[str, bytes]:
    """The deliverables of a period's folder that are not as the build wrote them (their size is not the one its
    manifest lists): edited and saved in place."""
    listed = (manifest.read(folder / manifest.MANIFEST_NAME) or {}).get("files", {})
    edited = {}
    for name in INDEX_FILES:
        path = folder / name
        try:
            if name in listed and path.is_file() and not path.is_symlink() and path.stat().st_size != listed[name]:
                edited[name] = path.read_bytes()
        except OSError:
            continue
    return edited
