"""The exceptions cpreport raises; each carries the exit code the CLI ends with."""
from __future__ import annotations

from .said import Said

# Exit codes, documented in the README and in `cpreport --help`.
EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_ENVIRONMENT, EXIT_LOCKED = 0, 1, 2, 3, 4
EXIT_DISAGREE = 5
EXIT_UNEXPECTED = 6
EXIT_APPROVED = 7  # an approved period's figures would change
EXIT_INTERRUPTED = 130  # as a shell reports a command stopped by Ctrl-C (128 + SIGINT)


class CpreportError(Exception):
    """Root of cpreport's exceptions: the library raises, only the CLI decides to exit (and shows the message)."""

    exit_code = EXIT_USAGE

    def __init__(self, message):
        # message: text, or a Said (cpreport.said) that the terminal words in the language asked.
        super().__init__(str(message))
        self.said = message
        self.message = str(message)

    def format_message(self) -> str:
        return self.message

    def worded(self, say) -> str:
        """The message in say's language (messages.Saying): a Said is worded, text is shown as raised."""
        from .said import worded
        return worded(self.said, say)

    @property
    def in_any_language(self) -> bool:
        """Whether worded() says the message in the language asked (else it was worded when raised)."""
        return isinstance(self.said, Said)

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

    def __init__(self, problems, path: object = None):
        # problems: a Said or text, or a list of them (cpreport.said).
        self.problems = list(problems) if isinstance(problems, (list, tuple)) else [problems]
        self.path = path
        where = f" in {path}" if path else ""
        n = len(self.problems)
        # English for the log; the terminal words it in the language asked (cpreport.closing).
        super().__init__(f"The configuration has {n} {'problem' if n == 1 else 'problems'}{where}:\n{self.lines()}")

    def lines(self, say=None) -> str:
        """The problems, one line each, in say's language (English without one)."""
        from .said import worded
        return "\n".join(f"  - {worded(p, say)}" for p in self.problems)


class NarrativeError(ConfigError):
    """A live figure of the narrative that cannot be said (an unknown figure, way of saying it or case): the build
    stops before anything is written, as for the config."""


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

    HEADING = Said("The English and Arabic halves of the report state different figures, so no report was written "
                   "(check the templates, e.g. an override in the config's templates folder):")

    def __init__(self, problems: list):
        self.problems = list(problems)  # each a Said
        super().__init__(self.worded(None))

    def worded(self, say) -> str:
        from .said import worded
        return "\n".join([worded(self.HEADING, say), *(f"  - {worded(p, say)}" for p in self.problems)])

    in_any_language = True


class ApprovedPeriodChanged(CpreportError):
    """A build would change the figures of a period that was approved: it stops, and leaves the period as it is."""

    exit_code = EXIT_APPROVED


class Interrupted(CpreportError):
    """The run was stopped with Ctrl-C (SIGINT)."""

    exit_code = EXIT_INTERRUPTED
    # Before a report was swapped in (a build that got further says so itself): every file is written beside its
    # old one and moved into place whole, so nothing was changed.
    NOTHING_CHANGED = Said("Interrupted (Ctrl-C): no report was changed; the last good one is left in place.")


class Unexpected(CpreportError):
    """A failure cpreport did not foresee (a bug): one line on screen, the traceback in the log."""

    exit_code = EXIT_UNEXPECTED
