"""Text files as Windows and Linux editors save them, decoded by one function: sheets (CSV, TSV), the config and
the narratives. The standard library alone, so that reading the config imports nothing heavy."""
from __future__ import annotations

import codecs
from pathlib import Path


def read_text(path: str | Path) -> str:
    """A text file's text: UTF-8 with or without BOM, UTF-16 with or without BOM, else Windows-1256 (Notepad on
    an Arabic Windows), a line at a time where lines of both were pasted together."""
    return decoded(Path(path).read_bytes())[0]


def decoded(raw: bytes, mixed: list[int] | None = None) -> tuple[str, bool]:
    """A text file's text, decoded from UTF-8 (with or without BOM), UTF-16, else Windows-1256 (Arabic Windows), and
    whether its bytes were UTF-8 already. A file whose lines mix UTF-8 and Windows-1256 (lines pasted from two
    exports) is decoded a line at a time; mixed, when given, gets the numbers of its Windows-1256 lines."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
        try:
            return raw.decode("utf-8"), True
        except UnicodeDecodeError:
            return _line_by_line(raw, mixed), False
    if utf16(raw):
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return raw.decode("utf-16", errors="replace"), False
        # UTF-16 without a BOM: the high bytes come first (big-endian) or second.
        even, odd = _high_bytes(raw[:200])
        return raw.decode("utf-16-be" if even > odd else "utf-16-le", errors="replace"), False
    try:
        return raw.decode("utf-8"), True
    except UnicodeDecodeError:
        return _line_by_line(raw, mixed), False


def _line_by_line(raw: bytes, mixed: list[int] | None) -> str:
    """Bytes that are not UTF-8 as a whole: Windows-1256, but for the lines that are UTF-8 with letters beyond
    ASCII (Windows-1256 Arabic almost never makes valid UTF-8), which keep their own encoding; those read as
    Windows-1256 are listed in mixed when the file has lines of both."""
    lines = raw.splitlines(keepends=True)
    texts, legacy, utf8 = [], [], 0
    for number, line in enumerate(lines, 1):
        if line.isascii():
            texts.append(line.decode("ascii"))
            continue
        try:
            texts.append(line.decode("utf-8"))
            utf8 += 1
        except UnicodeDecodeError:
            texts.append(line.decode("cp1256", errors="replace"))
            legacy.append(number)
    if not utf8:  # a Windows-1256 file: decoded as a whole, as it always was
        return raw.decode("cp1256", errors="replace")
    if mixed is not None:
        mixed.extend(legacy)
    return "".join(texts)


def utf16(raw: bytes) -> bool:
    """Whether a text file is UTF-16: a BOM says so, or every other byte of its first 200, in the main, is the
    high byte of Latin (0) or Arabic (6) letters, which UTF-8 and Windows-1256 text never hold."""
    head = raw[:200]
    return raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or max(_high_bytes(head)) > len(head) // 4


def _high_bytes(head: bytes) -> tuple[int, int]:
    """How many of the even and of the odd bytes are 0 or 6: the high bytes of UTF-16 Latin and Arabic text."""
    return tuple(part.count(b"\x00") + part.count(b"\x06") for part in (head[0::2], head[1::2]))
