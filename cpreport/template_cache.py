"""Templates compiled by an earlier run, reused: Jinja compiles the report's dozen templates in some 0.4 s, once
in every process (each build, and each worker process of `--jobs`); loading them compiled takes a few ms.

The compiled code is kept by Jinja's own bytecode cache in the user's private folder of the system's temporary
folder (Jinja makes it, and refuses one that is not the user's alone). An entry is used only for the same template
file with the same text, and the same cpreport, Jinja and Python (the name of each entry carries the first two
and how cpreport sets up its templates; Jinja checks the text and Python itself). Reading or writing the cache
never fails a build: at worst a template is compiled again.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

from . import __version__


class CompiledTemplates(jinja2.FileSystemBytecodeCache):
    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged entry (cut short, or not one) is compiled again
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full disk, or the folder gone: the next run compiles again
            pass


def compiled_templates() -> CompiledTemplates | None:
    """The cache of compiled templates, or None where the system has no private temporary folder for the user."""
    here = Path(__file__).parent
    # How the environment is set up (render.py) and given its words (i18n.py) changes the compiled code.
    setup = b"".join((here / name).read_bytes() for name in ("render.py", "i18n.py"))
    digest = hashlib.sha256(f"{__version__}\0{jinja2.__version__}\0".encode() + setup).hexdigest()[:16]
    try:
        return CompiledTemplates(pattern=f"cpreport-{digest}-%s.cache")
    except (OSError, RuntimeError):
        return None
