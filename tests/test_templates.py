"""The report's templates are compiled once per process, and still read afresh when a file changes under them."""
from __future__ import annotations

import os
from pathlib import Path

from cpreport.config import load_config
from cpreport.render import render_template


def with_templates(sample: Path) -> Path:
    sample.write_text('templates = "templates"\n' + sample.read_text("utf-8"), "utf-8")
    templates = sample.parent / "templates"
    templates.mkdir()
    return templates


def test_a_template_rewritten_with_the_same_size_is_read_again(sample):
    templates = with_templates(sample)
    config = load_config(sample)
    note = templates / "note.html"
    note.write_text("one {{ n }}", "utf-8")
    assert render_template(config, "note.html", {"n": 1}) == "one 1"
    note.write_text("two {{ n }}", "utf-8")  # the same size: only its time tells
    later = note.stat().st_mtime_ns + 2_000_000_000
    os.utime(note, ns=(later, later))
    assert render_template(config, "note.html", {"n": 2}) == "two 2"


def test_an_override_added_after_the_built_in_was_used_replaces_it_and_its_removal_brings_it_back(sample):
    templates = with_templates(sample)
    config = load_config(sample)
    built_in = render_template(config, "style.css", {})
    assert "@page" in built_in
    (templates / "style.css").write_text("body { color: red }", "utf-8")
    assert render_template(config, "style.css", {}) == "body { color: red }"
    (templates / "style.css").unlink()
    assert render_template(config, "style.css", {}) == built_in


def _rendered_in_a_new_process(sample: Path, n: int, tmp: Path) -> str:
    import subprocess
    import sys

    code = ("import sys; from cpreport.config import load_config; from cpreport.render import render_template; "
            "sys.stdout.write(render_template(load_config(sys.argv[1]), 'note.html', {'n': int(sys.argv[2])}))")
    done = subprocess.run([sys.executable, "-c", code, str(sample), str(n)], capture_output=True, text=True,
                          env={**os.environ, "TMPDIR": str(tmp)}, check=True)
    return done.stdout


def test_templates_compiled_in_one_run_are_used_by_the_next_and_never_once_their_text_changed(sample, tmp_path):
    templates = with_templates(sample)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    note = templates / "note.html"
    note.write_text("one {{ n }}", "utf-8")
    assert _rendered_in_a_new_process(sample, 1, tmp) == "one 1"
    entries = sorted(tmp.glob("_jinja2-cache-*/cpreport-*.cache"))
    assert entries, "the compiled template was not kept"
    kept = {entry: entry.stat().st_mtime_ns for entry in entries}
    assert _rendered_in_a_new_process(sample, 2, tmp) == "one 2"
    assert {entry: entry.stat().st_mtime_ns for entry in entries} == kept  # used as kept, not compiled again
    note.write_text("two {{ n }}", "utf-8")  # the same size
    later = note.stat().st_mtime_ns + 2_000_000_000
    os.utime(note, ns=(later, later))
    assert _rendered_in_a_new_process(sample, 3, tmp) == "two 3"
    for entry in tmp.glob("_jinja2-cache-*/cpreport-*.cache"):
        entry.write_bytes(b"not a compiled template")  # damaged: compiled again, never an error
    assert _rendered_in_a_new_process(sample, 4, tmp) == "two 4"
