"""What a run tells: its stages on the terminal (rich) or as plain lines, and always in OUT/cpreport.log."""
from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
import time
from pathlib import Path

from .i18n import N_
from .visible import visible

LOG_NAME = "cpreport.log"
LOG_BYTES, LOG_BACKUPS = 1_000_000, 5

# What each stage is called on the terminal and in the log (the log's in English).
STAGES = {
    "lock": N_("taking the output folder's lock"),
    "read": N_("reading the sheets"),
    "validate": N_("checking the sheets"),
    "figures": N_("computing the figures"),
    "html": N_("rendering the HTML"),
    "render": N_("rendering"),
    "pdf": N_("rendering the PDF"),
    "docx": N_("writing the Word document"),
    "xlsx": N_("writing the Excel annex"),
    "stage": N_("writing the new files beside the old ones"),
    "staged": N_("new files written"),
    "swapped": N_("new files in place"),
    "index": N_("writing the index of periods"),
}


def file_logger(out: Path) -> logging.Logger:
    """The logger of this run, writing to OUT/cpreport.log (rotated); the folder must exist."""
    logger = logging.getLogger("cpreport")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    path = str(out / LOG_NAME)
    if not any(getattr(h, "baseFilename", None) == path for h in logger.handlers):
        for handler in list(logger.handlers):  # another output folder in the same process (tests)
            logger.removeHandler(handler)
            handler.close()
        handler = LogFile(path)
        handler.setFormatter(VisibleFormatter("%(asctime)s pid %(process)d %(levelname)s %(message)s"))
        logger.addHandler(handler)
    return logger


class LogFile(logging.handlers.RotatingFileHandler):
    """OUT/cpreport.log, rotated; a log that cannot be written (a full disk, a folder of that name, a file
    made read-only) is said once on stderr and then left alone: the build matters more than its log, and
    logging's own "--- Logging error ---" tracebacks would read as the build failing."""

    def __init__(self, path: str):
        # Opened at the first line, so that a log that cannot be opened is said as one that cannot be written.
        super().__init__(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True)
        self.broken = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.broken:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        if self.broken:
            return
        self.broken = True
        error = sys.exc_info()[1]
        reason = getattr(error, "strerror", None) or error or "unknown error"
        sys.stderr.write(visible(f"cpreport: the log {self.baseFilename} cannot be written ({reason}); "
                                 "the build goes on without it.") + "\n")
        sys.stderr.flush()
        with contextlib.suppress(Exception):
            self.close()


class VisibleFormatter(logging.Formatter):
    """Log lines with their control characters made visible: a file name's escape codes would act on the
    terminal of whoever reads the log with `cat` or `tail`. Line breaks stay (a traceback has them)."""

    def format(self, record: logging.LogRecord) -> str:
        return visible(super().format(record), keep="\n\t")


class Progress:
    """Says what a run is doing: a rich display on a terminal, timestamped plain lines otherwise.

    Every stage also goes to the log file. `quiet` keeps the stages and the last line off the screen;
    errors are always shown.
    """

    def __init__(self, logger: logging.Logger | None = None, quiet: bool = False, terminal: bool | None = None,
                 started: float | None = None, language: str = "en"):
        self.logger = logger
        self.language = language  # of what is shown on the terminal ("en", "ar", "both"); the log is English
        self.quiet = quiet
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self.started = time.monotonic() if started is None else started
        self._live = None
        self._task = None
        self._current: tuple[str, float] | None = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _log(self, level: int, message: str) -> None:
        if self.logger:
            self.logger.log(level, message)

    def _plain(self, message: str) -> None:
        # A line of progress is for whoever watches: a stderr that cannot take it (cron's log on a full disk) does
        # not stop the build, as the log file does not.
        try:
            sys.stderr.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {visible(message, keep=chr(10))}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass

    def stage(self, name: str, detail: str = "") -> None:
        """A stage begins; the previous one is done."""
        text = STAGES.get(name, name) + (f" {detail}" if detail else "")
        self._log(logging.INFO, text)
        if self.language != "en":
            text = self._worded(name, detail)
        if not self.quiet:
            if self.terminal:
                self._show(text)
            else:
                self._plain(text)

    def _worded(self, name: str, detail: str) -> str:
        """A stage as the terminal says it in its language ("checking the sheets", or its Arabic from the
        catalog); in Arabic, a month's key in its detail is said by the month's name."""
        from .messages import Saying

        said = []
        for language in ("en", "ar") if self.language == "both" else (self.language,):
            say = Saying(language)
            words = say.gettext(STAGES[name]) if name in STAGES else name
            if detail:
                words += " " + (say.period(say.gettext(detail)) if say.arabic else detail)
            said.append(words)
        return " · ".join(said)

    def _show(self, text: str) -> None:
        from rich.console import Console
        from rich.progress import Progress as Display, SpinnerColumn, TextColumn, TimeElapsedColumn

        if self._live is None:
            self._live = Display(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=True)
            self._live.start()
            self._task = self._live.add_task(text)
        if self._current:
            done, since = self._current
            self._live.console.print(f"[green]✓[/] {done} [dim]({time.monotonic() - since:.1f} s)[/]")
        text = visible(text)
        self._current = (text, time.monotonic())
        self._live.update(self._task, description=text)

    def say(self, message: str, **words) -> None:
        """A line worth reading even in a quiet run (e.g. waiting for another build): `words` (folder, holder,
        wait) let it be said in the terminal's language."""
        self._log(logging.INFO, message)
        self.stop()
        if not self.quiet:
            if words and self.language != "en":
                from .closing import waiting
                from .terminal import in_languages
                message = in_languages(self.language, lambda say: waiting(say, out=words["folder"],
                                                                          holder=words["holder"], wait=words["wait"]))
            self._plain(message)

    def stop(self) -> None:
        """Take the display off the screen (before findings or the last line are printed)."""
        if self._live is not None:
            if self._current:
                done, since = self._current
                self._live.console.print(f"[green]✓[/] {done} [dim]({time.monotonic() - since:.1f} s)[/]")
            self._live.stop()
            self._live = self._task = self._current = None

    def failed(self, message: str) -> None:
        self.stop()
        self._log(logging.ERROR, message)

    def finish(self, message: str, shown: str | None = None) -> None:
        """The last line: what was built, where, and how long it took: on stdout, and always in the log.

        `shown`: the line as the terminal says it (in the language asked), when the log's differs.
        A quiet run keeps it to the log, so that cron mails nothing unless something went wrong."""
        self.stop()
        self._log(logging.INFO, message)
        if not self.quiet:
            try:
                sys.stdout.write(visible(message if shown is None else shown, keep="\n") + "\n")
                sys.stdout.flush()
            except BrokenPipeError:
                raise  # a pipeline's reader that stopped reading: the program's to end quietly
            except UnicodeEncodeError:  # a terminal that cannot show Arabic (PYTHONIOENCODING=ascii): what it can
                try:
                    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
                    line = visible(message if shown is None else shown, keep="\n") + "\n"
                    sys.stdout.write(line.encode(encoding, "replace").decode(encoding))
                    sys.stdout.flush()
                except (OSError, UnicodeError, LookupError):
                    pass
            except OSError:
                pass  # said in the log; a stdout that cannot take it does not make a built report a failure

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started
