"""Speed code for CSV text held by Arrow: byte-level tests that spare Python most cells."""
from __future__ import annotations


import numpy as np
import pandas as pd

from .. import contract
from ..contract import PLACEHOLDERS, DASHES
from .text import arrow_array


# Python's own whitespace (what str.strip and str.split remove), as characters and for Arrow's regular expressions.
WHITESPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
SPACE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
ODD = "[\u00a0\u2007\u202f\u200b\u200e\u200f\u061c\ufeff]"
# Texts that tidying empties (in any case): may_change picks out the cells that may be one of them.
EMPTY_WORDS = PLACEHOLDERS | DASHES
# What every total word has in it (contract.TOTAL_STEMS): a text without any of these labels no total row.
TOTAL_STEMS = "(?i)" + "|".join(contract.TOTAL_STEMS)


def _byte_table(values) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(values)] = True
    return table


# A text that trimming changes begins or ends with whitespace. In UTF-8, Python's whitespace is an ASCII byte
# (which appears in no other character), or a character that begins with one of these bytes...
SPACE_ASCII = _byte_table(c.encode()[0] for c in WHITESPACE if c.isascii())
SPACE_LEAD = SPACE_ASCII | _byte_table(c.encode()[0] for c in WHITESPACE)
# ...and ends as a 2-byte one (C2 85, C2 A0) or a 3-byte one (E1, E2 or E3 and two more bytes) does.
SPACE_END_2 = _byte_table(c.encode()[1] for c in WHITESPACE if len(c.encode()) == 2)
SPACE_LEAD_2 = _byte_table(c.encode()[0] for c in WHITESPACE if len(c.encode()) == 2)
SPACE_LEAD_3 = _byte_table(c.encode()[0] for c in WHITESPACE if len(c.encode()) == 3)
# A text that may be a dash or placeholder: short, and beginning as one does (in either case).
EMPTY_WORD_BYTES = max(len(w.encode()) for w in EMPTY_WORDS)
EMPTY_WORD_FIRST = _byte_table(b for w in EMPTY_WORDS for b in (w.encode()[0], w.upper().encode()[0]))


DIGIT_BYTES = _byte_table(b"0123456789")


def plain_digits(array, longest: int | None = 12) -> bool:
    """Whether every cell of an Arrow text array that is not empty is written in plain digits alone (at most
    longest of them), as counts most often are: told from their bytes at once."""
    offsets, data = text_bytes(array)
    written = data[offsets[0]:offsets[-1]]
    if not DIGIT_BYTES[written[:1024]].all():  # most columns that are not counts tell so at once
        return False
    size = np.diff(offsets)
    given = array.is_valid().to_numpy(zero_copy_only=False)
    return not ((size[given] < 1).any() or longest is not None and (size > longest).any()
                or not DIGIT_BYTES[written].all())


def text_bytes(array) -> tuple[np.ndarray, np.ndarray]:
    """An Arrow text array's offsets (as int64, into the bytes) and the bytes of its whole data buffer (not
    copied) as numpy arrays."""
    import pyarrow as pa

    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width)[array.offset:array.offset + len(array) + 1]
    data = array.buffers()[2]
    return offsets.astype(np.int64), np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)


def may_change(texts):
    """Which texts tidying may change or may read as a total's label: spaces at either end, odd spaces or marks,
    doubled spaces, or a dash, placeholder or total word. Everything else is left as it is without a look from
    Python, which reads the texts picked out (some of them needlessly: the first and last bytes of a text, which
    are all this looks at for its ends, do not always tell). Takes an Arrow array of text, or an array of Python
    strings; gives an array of booleans."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.string())
    offsets, data = text_bytes(array)
    if not len(data):
        return np.zeros(len(array), dtype=bool)

    def byte(at: np.ndarray) -> np.ndarray:  # at each place (a text too short for it reads some other byte)
        return data[np.clip(at, 0, len(data) - 1)]

    starts, ends = offsets[:-1], offsets[1:]
    size = ends - starts
    filled = size > 0
    first, last = byte(starts), byte(ends - 1)
    maybe = filled & (SPACE_LEAD[first] | SPACE_ASCII[last]
                      | (size >= 2) & SPACE_END_2[last] & SPACE_LEAD_2[byte(ends - 2)]
                      | (size >= 3) & SPACE_LEAD_3[byte(ends - 3)]
                      | (size <= EMPTY_WORD_BYTES) & EMPTY_WORD_FIRST[first])
    # Odd or doubled spaces and total words are rare: the column's texts are first searched as one string for
    # either, and cell by cell only when that finds any (or finds one across the end of a text and the start of
    # the next).
    if search_all(array, f"{TOTAL_STEMS}|{ODD}|{SPACE}{SPACE}"):
        odd = pc.match_substring_regex(array, f"{ODD}|{SPACE}{SPACE}").to_numpy(zero_copy_only=False)
        short = pc.less_equal(pc.utf8_length(array), 24)  # as is_total_word
        total = pc.and_(short, pc.match_substring_regex(array, TOTAL_STEMS)).to_numpy(zero_copy_only=False)
        maybe |= filled & (np.asarray(odd, dtype=bool) | np.asarray(total, dtype=bool))
    return maybe


def search_all(array, pattern: str) -> bool:
    """Whether pattern is found in the texts of an Arrow array laid end to end (as Arrow keeps them)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets, data = text_bytes(array)
    texts = data[offsets[0]:offsets[-1]]  # not copied: one text of them all
    whole = pa.Array.from_buffers(pa.large_string(), 1, [None, pa.py_buffer(np.array([0, len(texts)])),
                                                         pa.py_buffer(texts)])
    return bool(pc.match_substring_regex(whole, pattern)[0].as_py())


def repeats_itself(array) -> bool:
    """Whether an Arrow column repeats its texts (types, places, dates, counts) rather than holding distinct ones
    (ids, titles), judged by its first thousand cells. A column that repeats itself is best read through its
    distinct texts; one that does not, all at once."""
    import pyarrow.compute as pc

    head = array.slice(0, 1000)
    return pc.count_distinct(head).as_py() * 2 <= len(head)


def arrow_candidates(column: pd.Series) -> tuple[np.ndarray, tuple[np.ndarray, object] | None]:
    """The distinct texts of an Arrow text column that tidying may change or that may label a total row; and,
    for a column that repeats itself, each cell's place among its distinct texts and those texts."""
    import pyarrow.compute as pc

    array = arrow_array(column)
    if plain_digits(array, longest=None):
        return np.array([], dtype=object), None  # digits alone: nothing to tidy, no total's label
    if repeats_itself(array):
        # A column that repeats itself (types, places, dates, counts): Arrow picks out the few of its distinct
        # texts that may change or may say "Total".
        encoded = pc.dictionary_encode(array)
        distinct = encoded.dictionary
        places = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
        return distinct.filter(may_change(distinct)).to_numpy(zero_copy_only=False), (places, distinct)
    # Mostly distinct texts (ids, titles): Arrow picks them out from all the cells.
    return pc.unique(array.filter(may_change(array))).drop_null().to_numpy(zero_copy_only=False), None
