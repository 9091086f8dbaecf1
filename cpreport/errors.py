"""The exceptions cpreport raises; each carries the exit code the CLI ends with."""
from __future__ import annotations

# Exit codes, documented in the README and in `cpreport --help`.
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_ENVIRONMENT, EXIT_LOCKED = 0, 1, 2, 3, 4
EXIT_DISAGREE = 5
EXIT_UNEXPECTED = 6
EXIT_APPROVED = 7  # an approved period's figures would change
EXIT_INTERRUPTED = 130  # as a shell reports a command stopped by Ctrl-C (128 + SIGINT)


class CpreportError(Exception):
    """Root of cpreport's exceptions: the library raises, only the CLI decides to exit (and shows the message)."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def format_message(self) -> str:
        return self.message

    def __reduce__(self):
        # Raised in a worker process that renders a period, it is sent to the build whole, whatever its __init__.
        return _restored, (type(self), self.message, dict(self.__dict__))


def _restored(kind: type, message: str, state: dict) -> CpreportError:
    error = kind.__new__(kind)
    Exception.__init__(error, message)
    error.__dict__.update(state)
    return error


class ConfigError(CpreportError):
    """The config file or the options are wrong."""

    exit_code = EXIT_USAGE

    def __init__(self, problems: list[str] | str, path: object = None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.path = path
        where = f" in {path}" if path else ""
        n = len(self.problems)
        # English for the log; the terminal words the heading in the language asked (cpreport.closing).
        super().__init__(f"The configuration has {n} {'problem' if n == 1 else 'problems'}{where}:\n{self.lines()}")

    def lines(self) -> str:
        """The problems, one line each, as the M&E lead who edits the config reads them."""
        return "\n".join(f"  - {p}" for p in self.problems)


class UnknownFigure(CpreportError):
    """A figure's key that the period does not have (`cpreport explain`)."""

    exit_code = EXIT_USAGE


class InvalidData(CpreportError):
    """The sheets have errors; the findings say which and where."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, findings=None, folder=None):
        super().__init__(message)
        self.findings = findings
        self.folder = folder  # where a build that stopped wrote the findings


class EnvironmentProblem(CpreportError):
    """Something the machine lacks: a font, Pango, write access."""

    exit_code = EXIT_ENVIRONMENT


class BuildLocked(CpreportError):
    """Another build holds the output folder."""

    exit_code = EXIT_LOCKED

    def __init__(self, message: str, folder=None, holder: str = ""):
        super().__init__(message)
        self.folder, self.holder = folder, holder


class FiguresDisagree(CpreportError):
    """The English and Arabic halves state different figures: a template says a number wrongly."""

    exit_code = EXIT_DISAGREE

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"The English and Arabic halves of the report state different figures, so no report was "
                         f"written (check the templates, e.g. an override in the config's templates folder):\n{lines}")


class ApprovedPeriodChanged(CpreportError):
    """A build would change the figures of a period that was approved: it stops, and leaves the period as it is."""

    exit_code = EXIT_APPROVED


class Interrupted(CpreportError):
    """The run was stopped with Ctrl-C (SIGINT)."""

    exit_code = EXIT_INTERRUPTED
    # Before a report was swapped in (a build that got further says so itself): every file is written beside its
    # old one and moved into place whole, so nothing was changed.
    NOTHING_CHANGED = "Interrupted (Ctrl-C): no report was changed; the last good one is left in place."


class Unexpected(CpreportError):
    """A failure cpreport did not foresee (a bug): one line on screen, the traceback in the log."""

    exit_code = EXIT_UNEXPECTED
