"""`cpreport doctor`: what this machine and this project need in order to build the report, and how to fix each."""
from __future__ import annotations

import importlib
import importlib.metadata
import tempfile
from dataclasses import dataclass, field

from .i18n import N_
from .said import worded

# Python package -> module it is imported as.
PACKAGES = {"click": "click", "pandas": "pandas", "openpyxl": "openpyxl", "python-calamine": "python_calamine",
            "jinja2": "jinja2", "babel": "babel", "filelock": "filelock", "rich": "rich", "pyarrow": "pyarrow",
            "python-docx": "docx", "weasyprint": "weasyprint"}
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


@dataclass(frozen=True)
class Check:
    """One check: its name, what was found and how to fix it are msgids, worded when shown with `words`."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    words: dict = field(default_factory=dict)

    def said(self, say) -> tuple[str, str, str]:
        """The check's name, what was found and how to fix it, in the language of `say` (cpreport.messages)."""
        words = {k: say.number(v) if isinstance(v, int) else
                 "; ".join(worded(p, say) for p in v) if isinstance(v, tuple) else worded(v, say)
                 for k, v in self.words.items()}
        return (say.gettext(self.name), say.gettext(self.detail) % words if self.detail else "",
                say.gettext(self.fix) % words if self.fix else "")


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
        return Check(N_("Python packages"), False, N_("missing: %(packages)s"),
                     N_("Install cpreport with its dependencies: pip install -e . (from cpreport's folder) or pip "
                        "install %(command)s"), {"packages": ", ".join(missing), "command": " ".join(missing)})
    return Check(N_("Python packages"), True, "%(packages)s", words={"packages": ", ".join(found)})


def _weasyprint() -> Check:
    try:
        import weasyprint
    except ImportError:
        return Check(N_("WeasyPrint and Pango"), False, N_("WeasyPrint is not installed"), "pip install weasyprint")
    except OSError as error:  # the Python package is there, Pango is not
        return Check(N_("WeasyPrint and Pango"), False, N_("WeasyPrint cannot load Pango (%(error)s)"),
                     "apt-get install %(packages)s", {"error": str(error), "packages": PANGO_PACKAGES})
    try:
        from .i18n import translations

        # A line of Arabic, as the report's Arabic half is laid out.
        said = translations("ar").gettext("A test page")
        pdf = weasyprint.HTML(string=f'<p lang="ar" dir="rtl">{said}</p>').write_pdf()
    except Exception as error:  # any failure to lay out a page means no report can be printed
        return Check(N_("WeasyPrint and Pango"), False, N_("a test page cannot be rendered (%(error)s)"),
                     N_("apt-get install %(packages)s, then pip install --force-reinstall weasyprint"),
                     {"error": str(error), "packages": PANGO_PACKAGES})
    return Check(N_("WeasyPrint and Pango"), True, N_("WeasyPrint %(version)s renders a page (%(bytes)s bytes)"),
                 words={"version": weasyprint.__version__, "bytes": len(pdf)})


def _arabic_font() -> Check:
    from .render import ARABIC_FONTS, FONT_PACKAGE, arabic_fonts
    fonts = arabic_fonts()
    if not fonts:
        return Check(N_("Arabic font"), False, N_("none of %(fonts)s is installed"),
                     N_("apt-get install %(package)s (or fonts-noto-core), then fc-cache -f"),
                     {"fonts": ", ".join(ARABIC_FONTS), "package": FONT_PACKAGE})
    return Check(N_("Arabic font"), True, "%(fonts)s", words={"fonts": ", ".join(fonts)})


def _config(path: str | None):
    from .config import load_config
    from .errors import ConfigError
    try:
        config = load_config(path)
    except ConfigError as error:
        return None, Check(N_("Config"), False, "%(problems)s",
                           N_("Correct what is said, where it is said to be: the config file, or the option or "
                              "CPREPORT_ variable named (the README's table of keys lists them); `cpreport init` "
                              "makes a config that is missing."),
                           {"problems": tuple(error.problems)})
    if config.path:
        return config, Check(N_("Config"), True, "%(path)s", words={"path": str(config.path)})
    return config, Check(N_("Config"), True, N_("no cpreport.toml: defaults, data in the current folder"))


def _data(config) -> Check:
    from .contract import TABLES
    from .datafolder import relative, sheet_files
    if not config.data.is_dir():
        return Check(N_("Data folder"), False, N_("%(folder)s does not exist"),
                     N_("Set 'data' in cpreport.toml (or CPREPORT_DATA, or --data) to the folder of the sheets, "
                        "or make a project with `cpreport init`."), {"folder": str(config.data)})
    files = sheet_files(config.data, config.intake.skip)
    if not files:
        return Check(N_("Data folder"), False, N_("%(folder)s holds no sheets"),
                     N_("Put the %(tables)s workbooks or CSV files there (`cpreport init` makes blank ones)."),
                     {"folder": str(config.data), "tables": ", ".join(TABLES)})
    return Check(N_("Data folder"), True, "%(folder)s: %(files)s",
                 words={"folder": str(config.data), "files": ", ".join(relative(p, config.data) for p in files)})


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
        return Check(N_("Output folder"), False, N_("%(folder)s is not writable (%(error)s)"),
                     N_("Give this user write access to %(folder)s, or set 'out' (CPREPORT_OUT, --out) to a folder "
                        "it can write."), {"folder": str(out), "error": error.strerror})
    if existing != out:
        return Check(N_("Output folder"), True, N_("%(folder)s will be made in %(existing)s, which is writable"),
                     words={"folder": str(out), "existing": str(existing)})
    from filelock import FileLock, Timeout

    from .write import LOCK_NAME, holder
    try:  # the lock itself says whether a build runs; a holder file left by a killed build does not
        with FileLock(out / LOCK_NAME, timeout=0):
            pass
    except Timeout:
        return Check(N_("Output folder"), True, N_("%(folder)s is writable; a build is running (%(holder)s)"),
                     words={"folder": str(out), "holder": holder(out)})
    return Check(N_("Output folder"), True, N_("%(folder)s is writable"), words={"folder": str(out)})


def _word_pictures(config) -> Check:
    """The Word document's charts are cut from the PDF by poppler's pdftoppm."""
    import shutil

    found = shutil.which("pdftoppm")
    if found:
        return Check(N_("Word document's charts"), True, N_("pdftoppm at %(path)s"), words={"path": found})
    return Check(N_("Word document's charts"), False,
                 N_("poppler's pdftoppm is not installed, and formats names docx"), "apt-get install poppler-utils")


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
