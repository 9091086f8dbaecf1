"""How a command fails: one line on the terminal, in the language asked, and its exit code; a failure of the
machine (a full disk, a folder gone) said as one; a bug as one line, with its traceback in the log."""
from __future__ import annotations

import errno

import click

from .errors import CpreportError, InvalidData
from .said import Said

LANGUAGE = "cpreport.language"  # the language asked, kept in the context for the messages of errors


def saying(language: str):
    """The catalogs' words in one language (messages.Saying), imported when a message is worded."""
    from .messages import Saying
    return Saying(language)


def said(language: str, words) -> str:
    """A message in each language asked, one line each: words(saying) words it in one language."""
    from .terminal import in_languages
    return in_languages(language, words)


def _worded(error: CpreportError, language: str) -> str:
    """An error's message in the language asked, where the error carries what it says; else as raised."""
    from . import closing
    from .errors import BuildLocked, ConfigError, NarrativeError

    if isinstance(error, BuildLocked) and error.folder is not None:
        return said(language, lambda say: closing.locked(say, out=error.folder, holder=error.holder))
    if isinstance(error, NarrativeError):
        return said(language, lambda say: closing.narrative_problems(say, problems=error.problems) + "\n"
                    + error.lines(say))
    if isinstance(error, ConfigError):
        return said(language, lambda say: closing.config_problems(say, problems=error.problems, path=error.path)
                    + "\n" + error.lines(say))
    if isinstance(error, InvalidData) and error.findings is not None and error.folder is not None:
        return said(language, lambda say: closing.sheets_have_errors(
            say, errors=error.findings.errors, folder=error.folder, narrative=closing.narrative_errors(error.findings)))
    if error.in_any_language:
        return said(language, error.worded)
    return error.format_message()  # worded when raised, in each language asked (cli.py's own messages)


class Shown(click.ClickException):
    """A cpreport error as Click shows its own, "Error: …", with that word in the run's language too."""

    def __init__(self, message: str, language: str = "en"):
        super().__init__(message)
        self.language = language

    def show(self, file=None) -> None:
        from .i18n import N_

        template = N_("Error: %(message)s")
        if self.language == "ar":
            template = saying("ar").gettext(template)
        click.echo(template % {"message": self.format_message()}, file=file, err=file is None)


class Commands(click.Group):
    """The command group; what the library did not foresee still ends in one line and an exit code."""

    def main(self, *args, **kwargs):
        # A stream closed by whoever started the program (`cpreport build >&-`, a daemon's cron) is no stream at
        # all to Python: what would be said there goes nowhere, and the run does its work.
        import os
        import sys

        for name in ("stdout", "stderr"):
            if getattr(sys, name) is None:
                setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))
        return super().main(*args, **kwargs)

    def invoke(self, ctx):
        try:
            try:
                return self._invoke_guarded(ctx)
            except KeyboardInterrupt:
                # Ctrl-C before a report was swapped in (a build that got further says so itself): every
                # file is written beside its old one and moved into place whole, so nothing was changed.
                from .errors import Interrupted
                raise Interrupted(Interrupted.NOTHING_CHANGED) from None
        except CpreportError as error:
            # Click shows its own exceptions ("Error: …") and exits with their code: cpreport's become one here,
            # so that the library does not depend on click.
            from .visible import visible
            # A message may quote a file name or a cell: shown, never acted on by the terminal.
            language = ctx.meta.get(LANGUAGE, "en")
            shown = Shown(visible(_worded(error, language), keep="\n"), language)
            shown.exit_code = error.exit_code
            raise shown from None

    def _invoke_guarded(self, ctx):
        try:
            return super().invoke(ctx)
        except (CpreportError, click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader of the output stopped reading (`cpreport figures | head -1`): what it wanted it has, and
            # nothing is left to say. The rest goes nowhere, and the run ends as a shell's pipeline expects.
            import os
            import sys

            sink = os.open(os.devnull, os.O_WRONLY)
            for stream in (sys.stdout, sys.stderr):
                try:
                    os.dup2(sink, stream.fileno())
                except (OSError, ValueError, AttributeError):
                    pass
            raise click.exceptions.Exit(0) from None
        except OSError as error:
            if not machine_problem(error):
                raise self._unexpected(error) from None
            # A full disk, a folder made read-only, a share that went away: the machine's, not the sheets'. The
            # screen has one line; the log has where it happened too.
            from .errors import EnvironmentProblem
            _logged("stopped: a file or folder could not be used")
            problem = error.strerror or str(error)  # the system's own words
            raise EnvironmentProblem(
                Said("%(problem)s (%(file)s). Check the folder, the disk and your access to them, then run again.",
                     problem=problem, file=error.filename) if error.filename else
                Said("%(problem)s. Check the folder, the disk and your access to them, then run again.",
                     problem=problem)) from None
        except Exception as error:
            raise self._unexpected(error) from None

    @staticmethod
    def _unexpected(error: BaseException):
        """A bug: one line on screen, the traceback in the log file."""
        from .errors import Unexpected

        logged = _logged("unexpected failure")
        problem = f"{type(error).__name__}: {error}"
        if logged:
            return Unexpected(Said("cpreport stopped on a problem it did not foresee (%(problem)s); the details are "
                                   "in %(log)s. The last good report is left in place; please report this.",
                                   problem=problem, log=logged))
        return Unexpected(Said("cpreport stopped on a problem it did not foresee (%(problem)s). The last good report "
                               "is left in place; please report this.", problem=problem))


# What the machine or the shared drive says when a file or folder cannot be used; an OSError that names no file
# and says none of these is a fault of cpreport's own (a bug), and is said as one (exit 6).
MACHINE_ERRORS = frozenset(getattr(errno, name) for name in (
    "EACCES", "EPERM", "EROFS", "ENOSPC", "EDQUOT", "EIO", "ENOENT", "ENOTDIR", "EISDIR", "EEXIST", "ENOTEMPTY",
    "ENAMETOOLONG", "ELOOP", "EXDEV", "EBUSY", "ETXTBSY", "EMFILE", "ENFILE", "ESTALE", "ENOTCONN", "EHOSTDOWN",
    "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET", "ENXIO", "ENODEV", "ENOLCK", "EAGAIN") if hasattr(errno, name))


def machine_problem(error: OSError) -> bool:
    """Whether an OSError is about a file, a folder or the disk (exit 3), not a bug."""
    return error.filename is not None or error.filename2 is not None or error.errno in MACHINE_ERRORS


def _logged(message: str) -> str | None:
    """The exception being handled, with its traceback, in the log file; the log's path, when it has one."""
    import logging

    logger = logging.getLogger("cpreport")
    if not logger.handlers:  # a command that keeps no log: the screen's line is all
        return None
    logger.exception(message)
    return next((h.baseFilename for h in logger.handlers
                 if hasattr(h, "baseFilename") and not getattr(h, "broken", False)), None)
