"""What keeps builds fast, checked by structure rather than by the clock: imports, and a report whose size
does not grow with the rows."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SAMPLE

HEAVY = ("pandas", "numpy", "pyarrow", "babel", "jinja2", "weasyprint", "openpyxl")


def _imported(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    return eval(result.stdout.strip().splitlines()[-1])  # a list literal printed by the probe


def test_help_and_version_import_none_of_the_heavy_libraries():
    for option in ("--help", "--version"):
        code = (f"from cpreport.cli import main\ntry:\n    main([{option!r}])\nexcept SystemExit:\n    pass")
        assert _imported(code) == [], option


def test_reading_checking_and_computing_import_neither_the_renderer_nor_babel():
    code = ("from cpreport.check import check\nfrom cpreport.config import load_config\n"
            "from cpreport.figures import compute\n"
            f"config = load_config({str(ROOT / 'sample_data' / 'cpreport.toml')!r})\n"
            "compute(check(config), config.period, config.highlights)")
    assert not {"babel", "jinja2", "weasyprint"} & set(_imported(code))
    # Nor the modules that render and write a build's folders: `cpreport validate` pays for none of them.
    written = ("cpreport.pages", "cpreport.write", "cpreport.index", "cpreport.revisions", "cpreport.build")
    probe = f"import sys\n{code}\nprint(sorted(set(sys.modules) & set({written!r})))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_importing_and_rendering_leave_the_collector_as_they_found_it():
    # A library changes nothing in the process that imports it: nothing frozen on import or after a render,
    # and the collector enabled or disabled as the caller had it, each time.
    code = ("import gc\nimport cpreport.build\nfrom cpreport.render import render_pdf\n"
            "seen = [(gc.get_freeze_count(), gc.isenabled())]\n"
            "for on in (True, False, True):\n    gc.enable() if on else gc.disable()\n"
            "    render_pdf('<p>Forum</p><p>منتدى</p>')\n    seen.append((gc.get_freeze_count(), gc.isenabled()))\n"
            "print(seen)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert eval(result.stdout.strip().splitlines()[-1]) == [(0, True), (0, True), (0, False), (0, True)]


def test_the_program_settles_pandas_for_its_own_run():
    # `cpreport validate` (as `build`) freezes pandas' objects out of the collector's sight for its run, and
    # leaves the collector on; the library calls that follow change neither.
    code = ("import gc\nfrom cpreport.libraries import settle\nsettle('pandas')\n"
            "frozen = gc.get_freeze_count()\nfrom cpreport.render import render_pdf\n"
            "render_pdf('<p>Forum</p>')\nprint([frozen, gc.get_freeze_count() - frozen, gc.isenabled()])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    frozen, added, enabled = eval(result.stdout.strip().splitlines()[-1])
    assert frozen > 50_000 and enabled  # pandas and numpy: some 60,000 objects
    assert added <= 0  # a render freezes nothing (a frozen cache entry replaced may drop a few)



@pytest.mark.parametrize("chosen", ["", "jemalloc"])
def test_the_program_takes_arrows_buffers_from_malloc_unless_told_otherwise(chosen):
    # A library import leaves Arrow's allocator as it is; the program's settle takes malloc's, and keeps the one
    # ARROW_DEFAULT_MEMORY_POOL names.
    code = ("import pyarrow\nimport cpreport.check\nbefore = pyarrow.default_memory_pool().backend_name\n"
            "from cpreport.libraries import settle\nsettle('pandas')\n"
            "print([before, pyarrow.default_memory_pool().backend_name])")
    env = {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": chosen} if chosen else {
        k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                            env=env)
    before, after = eval(result.stdout.strip().splitlines()[-1])
    assert after == (chosen or "system")
    assert before != "system" or chosen == "system"


@pytest.mark.parametrize("command", [["validate"], ["figures"], ["explain"], ["explain", "cpfs.total"]])
def test_every_command_that_reads_the_sheets_settles_pandas(command):
    # Run as the program runs it, in a process of its own: the command leaves pandas' objects frozen out of the
    # collector's sight (none are when a command forgets to settle them) and the collector on.
    code = ("import gc\nfrom click.testing import CliRunner\nfrom cpreport.cli import main\n"
            f"result = CliRunner().invoke(main, [*{command!r}, '--config', {str(SAMPLE / 'cpreport.toml')!r}])\n"
            "print([result.exit_code, gc.get_freeze_count(), gc.isenabled()])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    exit_code, frozen, enabled = eval(result.stdout.strip().splitlines()[-1])
    assert exit_code == 0 and frozen > 50_000 and enabled, result.stdout[-2000:]

def _harness():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_report_is_the_same_size_from_ten_times_the_activities(tmp_path):
    from cpreport.check import sources
    from cpreport.config import load_config
    from cpreport.figures import compute
    from cpreport.load import load
    from cpreport.render import render_html
    from cpreport.validate import validate

    bench = _harness()
    pages = {}
    folders = {rows: bench.write_data(tmp_path / f"n{rows}", rows, kinds=("csv",))["csv"] for rows in (6000, 60000)}
    for name in ("cpfs.csv", "displacement.csv"):  # the same forums and figures: only the activities grow
        shutil.copy(folders[60000] / name, folders[6000] / name)
    for rows, data in folders.items():
        config = load_config(data / "cpreport.toml")
        checked = validate(load(config.data), config.period.end, set(config.scopes))
        html = render_html(config, compute(checked, config.period, config.highlights), sources(checked))
        pages[rows] = {tag: len(re.findall(f"<{tag}\\b", html)) for tag in ("tr", "td", "p", "li", "div")}
    assert pages[6000] == pages[60000]
    assert pages[6000]["tr"] > 10  # the tables are there, with as many rows as months and governorates


def test_the_harness_runs_a_process_and_its_baseline_in_turns(tmp_path):
    # Ratios are of runs made side by side: the baseline, then ours, then the baseline again.
    bench = _harness()
    trace = tmp_path / "trace"
    base, ours = (f"open({str(trace)!r}, 'a').write({mark!r})" for mark in "bo")
    (base_time, _), (our_time, _), ratio = bench.side_by_side(base, ours, 3)
    assert trace.read_text() == "bobobo"
    assert base_time > 0 and our_time > 0 and ratio > 0
