"""Text from the sheets (cell values, file names) made safe to show: control characters become visible.

A cell or a file name may hold terminal escapes (`\\x1b[2J` clears the screen, `\\x1b]0;…\\a` retitles the
window) or other control characters. Written raw to a terminal, a log or a page they act instead of being
read; shown as `␛[2J` they are read, and the officer can find and fix the cell."""
from __future__ import annotations

# C0 controls and DEL as Unicode's control pictures (␀ … ␟, ␡); C1 controls, which have none, as \x80 … \x9f.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
_PICTURES |= {code: f"\\x{code:02x}" for code in range(0x80, 0xA0)}
_TABLES: dict[str, dict[int, str]] = {}


def visible(text: str, keep: str = "") -> str:
    """The text with each control character shown as a visible sign, but those in `keep` (e.g. "\\n\\t",
    where the layout needs them)."""
    table = _TABLES.get(keep)
    if table is None:
        table = _TABLES[keep] = {code: shown for code, shown in _PICTURES.items() if chr(code) not in keep}
    return text.translate(table)
