"""`cpreport doctor`: what this machine and this project need in order to build the report, and how to fix each."""
from __future__ import annotations

import importlib
import importlib.metadata
import tempfile
from dataclasses import dataclass

# Python package -> module it is imported as.
PACKAGES = {"click": "click", "pandas": "pandas", "openpyxl": "openpyxl", "python-calamine": "python_calamine",
            "jinja2": "jinja2", "babel": "babel", "filelock": "filelock", "rich": "rich", "pyarrow": "pyarrow",
            "python-docx": "docx", "weasyprint": "weasyprint"}
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _packages() -> Check:
    missing, found = [], []
    for package, module in PACKAGES.items():
        if package == "weasyprint":
            continue  # its own check below: it needs Pango as well
        try:
            importlib.import_module(module)
            found.append(f"{package} {importlib.metadata.version(package)}")
        except (ImportError, importlib.metadata.PackageNotFoundError):
            missing.append(package)
    if missing:
        return Check("Python packages", False, f"missing: {', '.join(missing)}",
                     "Install cpreport with its dependencies: pip install -e . (from cpreport's folder) or pip install "
                     + " ".join(missing))
    return Check("Python packages", True, ", ".join(found))


def _weasyprint() -> Check:
    try:
        import weasyprint
    except ImportError:
        return Check("WeasyPrint and Pango", False, "WeasyPrint is not installed", "pip install weasyprint")
    except OSError as error:  # the Python package is there, Pango is not
        return Check("WeasyPrint and Pango", False, f"WeasyPrint cannot load Pango ({error})",
                     f"apt-get install {PANGO_PACKAGES}")
    try:
        from .i18n import translations

        # A line of Arabic, as the report's Arabic half is laid out.
        said = translations("ar").gettext("A test page")
        pdf = weasyprint.HTML(string=f'<p lang="ar" dir="rtl">{said}</p>').write_pdf()
    except Exception as error:  # any failure to lay out a page means no report can be printed
        return Check("WeasyPrint and Pango", False, f"a test page cannot be rendered ({error})",
                     f"apt-get install {PANGO_PACKAGES}, then pip install --force-reinstall weasyprint")
    return Check("WeasyPrint and Pango", True, f"WeasyPrint {weasyprint.__version__} renders a page ({len(pdf):,} bytes)")


def _arabic_font() -> Check:
    from .render import ARABIC_FONTS, FONT_PACKAGE, arabic_fonts
    fonts = arabic_fonts()
    if not fonts:
        return Check("Arabic font", False, f"none of {', '.join(ARABIC_FONTS)} is installed",
                     f"apt-get install {FONT_PACKAGE} (or fonts-noto-core), then fc-cache -f")
    return Check("Arabic font", True, ", ".join(fonts))


def _config(path: str | None):
    from .config import load_config
    from .errors import ConfigError
    try:
        config = load_config(path)
    except ConfigError as error:
        return None, Check("Config", False, "; ".join(error.problems), "Correct cpreport.toml as said (see the README's table of keys).")
    where = config.path or "no cpreport.toml: defaults, data in the current folder"
    return config, Check("Config", True, str(where))


def _data(config) -> Check:
    from .contract import TABLES
    from .datafolder import relative, sheet_files
    if not config.data.is_dir():
        return Check("Data folder", False, f"{config.data} does not exist",
                     "Set 'data' in cpreport.toml (or CPREPORT_DATA, or --data) to the folder of the sheets, "
                     "or make a project with `cpreport init`.")
    files = sheet_files(config.data, config.intake.skip)
    if not files:
        return Check("Data folder", False, f"{config.data} holds no sheets",
                     f"Put the {', '.join(TABLES)} workbooks or CSV files there (`cpreport init` makes blank ones).")
    return Check("Data folder", True, f"{config.data}: {', '.join(relative(p, config.data) for p in files)}")


def _output(config) -> Check:
    # A check makes nothing: where the folder does not exist yet, the nearest folder above it must be writable.
    out = config.out
    existing = next((p for p in (out, *out.parents) if p.is_dir()), None)
    try:
        if existing is None:
            raise OSError(0, "no folder above it exists")
        if out.exists() and not out.is_dir():
            raise OSError(0, "a file stands where the folder should be")
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".doctor-"):
            pass
    except OSError as error:
        return Check("Output folder", False, f"{out} is not writable ({error.strerror})",
                     f"Give this user write access to {out}, or set 'out' (CPREPORT_OUT, --out) to a folder it can write.")
    if existing != out:
        return Check("Output folder", True, f"{out} will be made in {existing}, which is writable")
    from filelock import FileLock, Timeout

    from .write import LOCK_NAME, holder
    try:  # the lock itself says whether a build runs; a holder file left by a killed build does not
        with FileLock(out / LOCK_NAME, timeout=0):
            busy = ""
    except Timeout:
        busy = f"; a build is running ({holder(out)})"
    return Check("Output folder", True, f"{out} is writable{busy}")


def _word_pictures(config) -> Check:
    """The Word document's charts are cut from the PDF by poppler's pdftoppm."""
    import shutil

    found = shutil.which("pdftoppm")
    if found:
        return Check("Word document's charts", True, f"pdftoppm at {found}")
    return Check("Word document's charts", False, "poppler's pdftoppm is not installed, and formats names docx",
                 "apt-get install poppler-utils")


def diagnose(config_path: str | None = None) -> list[Check]:
    """Every check, in the order a new user would fix them."""
    checks = [_packages(), _weasyprint(), _arabic_font()]
    config, check = _config(config_path)
    checks.append(check)
    if config is not None:
        checks += [_data(config), _output(config)]
        if "docx" in config.formats:
            checks.append(_word_pictures(config))
    return checks
