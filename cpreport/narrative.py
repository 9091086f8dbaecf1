"""The officer's own words for a month: which narrative file each language uses, its headline, where the
figure paragraphs go, and whether the text is finished.

For the month P, a file of the same name in a folder named P beside the configured one wins: with
`narrative = { en = "narrative/en.md" }`, May 2017 uses `narrative/2017-05/en.md` when it exists, else
`narrative/en.md`. So a past month's report keeps its own words whenever it is built again."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .config import Config, Period, read_text
from .findings import Code, Finding, finding

FIGURE_PARAGRAPHS = ("forums", "activities", "displacement")
MARKER = re.compile(r"^[ \t]*\[\[\s*(\w+)\s*\]\][ \t]*$")
ANY_MARKER = re.compile(r"\[\[\s*([^\[\]\n]{1,40}?)\s*\]\]")  # [[…]] anywhere in a line, as an officer may type it
# A brace opening a figure's key ({cpfs.total) with no brace closing it on its line.
UNCLOSED = re.compile(r"(?<!\{)\{ *((?:cpfs|activities|participants|displacement|indicators)(?:\.[A-Za-z0-9_]+)*)"
                      r"(?![A-Za-z0-9_.]*(?: *:[ A-Za-z:]*)? *\})")
HEADLINE = re.compile(r"^[ \t]{0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")  # a level-one Markdown heading
COMMENT = re.compile(r"<!--.*?-->", re.S)  # an officer's note to colleagues, never shown


@dataclass(frozen=True)
class Chunk:
    """Markdown text of the narrative (from `line` of its file), or a marker: where a figure paragraph goes."""

    text: str = ""
    line: int = 1
    figures: str = ""


@dataclass
class Narrative:
    """One language's narrative for a month, read and split (the Markdown is rendered later, with the figures)."""

    path: Path | None
    own: bool = False  # the month's own file (narrative/2017-05/en.md), not the one shared by every month
    headline: str = ""
    headline_line: int = 1
    chunks: list[Chunk] = field(default_factory=list)
    text: str = ""

    @property
    def markers(self) -> set[str]:
        return {c.figures for c in self.chunks if c.figures}

    @property
    def words(self) -> str:
        """The text besides markers and notes: empty when the officer has written nothing."""
        return (self.headline + "".join(c.text for c in self.chunks)).strip()


def own_file(configured: Path, period: Period | str) -> Path:
    """The month's own narrative file: narrative/en.md -> narrative/2017-05/en.md."""
    return configured.parent / str(period) / configured.name


def file_for(config: Config, period: Period | str, language: str) -> tuple[Path | None, bool]:
    """The narrative file a month uses in a language, and whether it is the month's own."""
    if not config.narrative[language]:
        return None, False
    configured = Path(config.narrative[language])
    own = own_file(configured, period)
    return (own, True) if own.is_file() else (configured, False)


def has_own(config: Config, period: Period | str) -> bool:
    """Whether the month has a narrative file of its own, in any language."""
    return any(file_for(config, period, language)[1] for language in config.languages)


def split(text: str) -> tuple[str, int, list[Chunk]]:
    """A narrative's headline (its first line, when that is `# …`), its line, and its chunks between markers."""
    lines = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text).splitlines()
    headline, headline_line, start = "", 1, 0
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and (match := HEADLINE.match(lines[first])):
        headline, headline_line, start = match.group(1).strip(), first + 1, first + 1
    chunks: list[Chunk] = []
    pending: list[str] = []
    pending_start = start
    for number in range(start, len(lines) + 1):
        line = lines[number] if number < len(lines) else None
        marker = MARKER.match(line) if line is not None else None
        if line is None or (marker and marker.group(1) in FIGURE_PARAGRAPHS):
            if "".join(pending).strip():
                chunks.append(Chunk("\n".join(pending), pending_start + 1))
            if marker:
                chunks.append(Chunk(figures=marker.group(1), line=number + 1))
            pending, pending_start = [], number + 1
        else:
            pending.append(line)
    return headline, headline_line, chunks


def read(config: Config, period: Period | str, language: str) -> Narrative:
    path, own = file_for(config, period, language)
    if path is None:
        return Narrative(None)
    text = read_text(path)
    headline, line, chunks = split(text)
    return Narrative(path, own, headline, line, chunks, text)


def shown_path(config: Config, path: Path | None) -> str:
    """A narrative file as the officer names it: relative to the config's folder when inside it."""
    if path is None:
        return ""
    try:
        return Path(path).resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return str(path)


def used(config: Config, period: Period | str) -> dict[str, str]:
    """{language: the narrative file the month uses}, as figures.json and the build's last line say it."""
    return {language: shown_path(config, file_for(config, period, language)[0]) for language in config.languages
            if config.narrative[language]}


def _paragraphs(text: str) -> set[str]:
    return {" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip() and not MARKER.match(p.strip())}


def unfinished(config: Config, period: Period | str) -> list[Finding]:
    """Warnings (errors with --strict) about a month's narrative: the example text of `cpreport init` still in
    it, a narrative with no words, one language with the month's own file and the other without."""
    from .scaffold import NARRATIVE  # the example text it writes

    if not any(config.narrative[language] for language in config.languages):
        return []  # no narrative: the report is its figures alone, by choice
    found = []
    narratives = {language: read(config, period, language) for language in config.languages}
    for language, narrative in narratives.items():
        if narrative.path is None:
            found.append(finding(Code.CP403, language=language, period=str(period), reason="no_narrative_file"))
            continue
        where = shown_path(config, narrative.path)
        example = _paragraphs(NARRATIVE.get(language, "")) & _paragraphs(COMMENT.sub("", narrative.text))
        if example:
            first = sorted(example)[0]
            found.append(finding(Code.CP401, file=where, value=first if len(first) <= 80 else first[:79] + "…"))
        elif not narrative.words:
            found.append(finding(Code.CP402, file=where))
    # A figure paragraph marked in one language's narrative and not the other's: the report would state that
    # paragraph's figures in one half only (and the check of the halves stop the build, blaming the templates).
    read_both = {language: n for language, n in narratives.items() if n.path is not None}
    if len(read_both) == 2:
        (first, one), (second, other) = read_both.items()
        for language, narrative, missing in ((first, one, other.markers - one.markers),
                                             (second, other, one.markers - other.markers)):
            for marker in sorted(missing):
                found.append(finding(Code.CP405, file=shown_path(config, narrative.path), language=language,
                                     value=f"[[{marker}]]"))
    for narrative in narratives.values():
        if narrative.path is not None:
            found.extend(_markers_and_braces(narrative.text, shown_path(config, narrative.path)))
    if str(period) == str(config.period):  # once a build: the folders beside the narrative no period reads
        found.extend(_misnamed_folders(config))
    owns = {language for language, narrative in narratives.items() if narrative.own}
    for language in set(narratives) - owns if owns else ():
        narrative = narratives[language]
        if narrative.path is None:
            continue
        expected = shown_path(config, own_file(Path(config.narrative[language]), period))
        # The other half has the period's own words, this one would have every period's: two reports in one.
        found.append(finding(Code.CP403, file=shown_path(config, narrative.path), language=language,
                             period=str(period), reason="shared_narrative", expected=expected, severity="error"))
    return found


def _misnamed_folders(config: Config) -> list[Finding]:
    """A folder of words beside the narrative named otherwise than a period's own ("2017-4", "2017-q2 "): its
    words would never reach a report."""
    configured = [Path(config.narrative[language]) for language in config.languages if config.narrative[language]]
    folders, names = {path.parent for path in configured}, {path.name for path in configured}
    found = []
    for folder in sorted(folders):
        try:
            entries = sorted(entry for entry in folder.iterdir() if entry.is_dir() and not entry.name.startswith("."))
        except OSError:
            continue
        for entry in entries:
            if not any((entry / name).is_file() for name in names):
                continue  # not a folder of the narrative's words
            try:
                expected = str(Period.parse(entry.name.strip()))
            except ValueError:
                expected = "YYYY-MM (2017-05), YYYY-Qn (2017-Q2), YYYY-Hn (2017-H1) or YYYY (2017)"
            if entry.name != expected and entry.name.lower() != "project":
                found.append(finding(Code.CP410, file=shown_path(config, entry) + "/", expected=expected))
    return found


def _markers_and_braces(text: str, where: str) -> list[Finding]:
    """What of a narrative the report would print as typed, or twice: a marker misspelt or inside a line of text,
    a marker given twice, a figure's brace never closed. Each with its line (notes to colleagues left out)."""
    import difflib

    found, seen = [], {}
    lines = COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text).splitlines()
    for number, line in enumerate(lines, 1):
        for match in ANY_MARKER.finditer(line):
            name, typed = match.group(1), match.group(0)
            alone = MARKER.match(line)
            if name not in FIGURE_PARAGRAPHS:
                near = difflib.get_close_matches(name.lower(), FIGURE_PARAGRAPHS, n=1, cutoff=0) or [FIGURE_PARAGRAPHS[0]]
                found.append(finding(Code.CP406, file=where, row=number, value=typed, near=f"[[{near[0]}]]"))
            elif not alone:
                found.append(finding(Code.CP407, file=where, row=number, value=typed))
            else:
                seen.setdefault(name, []).append(number)
        for match in UNCLOSED.finditer(line):
            found.append(finding(Code.CP409, file=where, row=number, value=match.group(0).strip(),
                                 key=match.group(1)))
    for name, numbers in seen.items():
        if len(numbers) > 1:
            found.append(finding(Code.CP408, file=where, row=numbers[1], value=f"[[{name}]]", count=len(numbers)))
    return found


def said_used(narratives: dict[str, dict[str, str]]) -> str:
    """Which narrative files the months used ({period: {language: file}}), for the build's last line:
    "narrative: narrative/2017-05/en.md, narrative/2017-05/ar.md" or, over several months, each set of files
    with its months ("none" for a month built from its figures alone)."""
    groups: dict[str, list[str]] = {}
    for period, files in narratives.items():
        groups.setdefault(", ".join(files.values()) or "none", []).append(period)
    if not groups or list(groups) == ["none"]:
        return ""
    if len(groups) == 1:
        return f"narrative: {next(iter(groups))}"
    return "narrative: " + "; ".join(f"{files} for {', '.join(months)}" for files, months in groups.items())
