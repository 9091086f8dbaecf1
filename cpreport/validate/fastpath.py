"""Speed code for CSV text held by Arrow: columns and ids read from their bytes, apart from the rules."""
from __future__ import annotations

from collections.abc import Callable


import numpy as np
import pandas as pd

from ..contract import (INTEGER)
from ..load import (ARROW_TEXT, arrow_array, arrow_text, plain_digits, repeats_itself,
                    text_bytes)
from .cells import EARLIEST_YEAR, LARGEST_COUNT, LATEST_YEAR, Parsed


def _plain_csv(raw: pd.Series, kind: str, encoded: tuple | None = None) -> Parsed | None:
    """A CSV's column of counts in plain digits, or of ISO dates within the programme's years, as most are: read
    by Arrow at once, with nothing to find. None for any other column, which the parsers read."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = arrow_array(raw)
    if array.null_count == len(array):
        return None
    empty = raw.isna().to_numpy()
    if kind == INTEGER:
        # Counts in 1 to 12 plain digits are told from the cells' bytes, and read by Arrow all at once.
        if not plain_digits(array):
            return None
        counts = pc.fill_null(pc.cast(array, pa.int64()), 0).to_numpy()
        return Parsed(pd.Series(pd.arrays.IntegerArray(counts, empty), index=raw.index), {},
                      pd.Series(False, index=raw.index))  # nothing failed, nothing was converted
    # A column that repeats itself is read through its distinct texts; one of distinct texts, all at once.
    texts, at = array, None  # the texts read, and which of them each cell is (None: each cell its own)
    if encoded is not None:
        texts, at = encoded[1], np.maximum(encoded[0], 0)
    elif repeats_itself(array):
        encoded = pc.dictionary_encode(array)
        texts, at = encoded.dictionary, pc.fill_null(encoded.indices, 0).to_numpy(zero_copy_only=False)
    if not pc.all(pc.match_substring_regex(texts, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")).as_py():
        return None
    try:
        days = pc.cast(texts, pa.timestamp("ns"))
    except pa.ArrowInvalid:
        return None  # impossible days: said by parse_dates
    years = pc.year(days)
    if not pc.all(pc.and_(pc.greater_equal(years, EARLIEST_YEAR), pc.less_equal(years, LATEST_YEAR))).as_py():
        return None  # years out of span: said by parse_dates
    stamps = days.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
    values = pd.Series(stamps if at is None else stamps[at], index=raw.index).where(~empty)
    return Parsed(values, {}, pd.Series(False, index=raw.index))  # nothing failed, nothing was converted


def _plain_workbook(raw: pd.Series, kind: str) -> Parsed | None:
    """A workbook's column of whole counts from 0, or of dates within the programme's years, as most are: read at
    once, with nothing to find: the parsers' fixed costs are paid for each column however few its rows (1,000
    activity rows in ten office workbooks: validate took 0.10 s to 0.16 s in a fresh process, 0.05 s to 0.09 s
    with this). None for any other column, which the parsers read."""
    values = raw.to_numpy(dtype=object)
    present = pd.notna(values)
    if not present.any():
        return None
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    nothing = pd.Series(False, index=raw.index)  # nothing failed, nothing was converted
    if kind == INTEGER:
        if inferred != "integer":
            return None
        numbers = np.zeros(len(values), dtype="int64")
        try:
            numbers[present] = values[present].astype("int64")
        except (OverflowError, TypeError, ValueError):
            return None
        if (numbers < 0).any() or (numbers > LARGEST_COUNT).any():
            return None  # said by parse_integers
        return Parsed(pd.Series(pd.arrays.IntegerArray(numbers, ~present), index=raw.index), {}, nothing)
    if inferred != "datetime":
        return None
    try:
        days = pd.to_datetime(pd.Series(values, index=raw.index)).dt.normalize().astype("datetime64[ns]")
    except (ValueError, TypeError, OverflowError):  # pandas' out-of-bounds dates are ValueErrors
        return None
    years = days.dt.year[present]
    if not ((years >= EARLIEST_YEAR) & (years <= LATEST_YEAR)).all():
        return None  # said by parse_dates
    return Parsed(days, {}, nothing)


def _arrow_id_keys(ids: pd.Series, id_keys: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """_id_keys of a CSV's column of distinct ids: folded by Arrow, and by Python only where an id has more than
    ASCII."""
    import pyarrow.compute as pc

    array = arrow_array(ids)
    plain = _plain_keys(array)
    if plain is not None:  # as most ids are written: nothing else needs a look
        return pd.Series(plain, index=ids.index, dtype=ARROW_TEXT)
    keys = _ascii_keys(array, plain=False)
    keys = pc.if_else(pc.equal(keys, ""), array, keys)  # an id of signs alone is its own key
    others = pc.and_(array.is_valid(), keys.is_null()).to_numpy(zero_copy_only=False)
    folded = pd.Series(keys, index=ids.index, dtype=ARROW_TEXT)
    if others.any():
        folded[others] = id_keys(ids[others].astype(object)).astype(object)
    return folded


# A plain id's key, byte by byte: ASCII letters in lower case, "_" for a dash or a space. Bytes of other
# characters are left as they are: in UTF-8 no byte of one is an ASCII byte.
KEY_BYTES = np.arange(256, dtype=np.uint8)
KEY_BYTES[ord("A"):ord("Z") + 1] += ord("a") - ord("A")
KEY_BYTES[[ord("-"), ord(" ")]] = ord("_")


PLAIN_KEY_BYTES = np.zeros(256, dtype=bool)
PLAIN_KEY_BYTES[list(b"0123456789abcdefghijklmnopqrstuvwxyz_")] = True


# The same, as tables for bytes.translate, which runs over a column's bytes in one pass of C.
KEY_TABLE = KEY_BYTES.tobytes()
PLAIN_KEY_SIGNS = bytes(np.flatnonzero(PLAIN_KEY_BYTES).astype(np.uint8))


def _plain_keys(array):
    """The keys of ids that are all ASCII letters and digits parted by single dashes or spaces, as most ids are
    written: lower case, "_" for the dash or space, made from the texts' bytes at once. None if any id is
    otherwise."""
    import pyarrow as pa

    offsets, data = text_bytes(array)
    # benchmarks/run.py, 1,000,000 activities: 0.19 s a column with numpy's lookups, 0.03 s with bytes.translate.
    keys = data[:offsets[-1]].tobytes().translate(KEY_TABLE)
    written = keys[offsets[0]:]
    if written.translate(None, PLAIN_KEY_SIGNS) or b"__" in written:
        # A sign other than a letter, digit, dash or space; or "__" anywhere, even across two keys (then the
        # slower path decides).
        return None
    underscore = np.frombuffer(keys, dtype=np.uint8) == ord("_")
    filled = offsets[1:] > offsets[:-1]
    if underscore[offsets[:-1][filled]].any() or underscore[offsets[1:][filled] - 1].any():
        return None  # "_" at either end of a key
    validity, offsets_buffer = array.buffers()[:2]
    return pa.Array.from_buffers(array.type, len(array), [validity, offsets_buffer, pa.py_buffer(keys)],
                                 null_count=array.null_count, offset=array.offset)


def _ascii_keys(texts, plain: bool = True):
    """Keys of ids written in ASCII (missing for the others): lower case, each run of other signs one "_".
    Takes Python strings or Arrow text; gives Arrow text. plain=False: the ids are known not to be plain."""
    import pyarrow as pa
    import pyarrow.compute as pc

    array = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.string())
    keys = _plain_keys(array) if plain else None
    if keys is not None:
        return keys
    # For ASCII, Python's [\W_] is every sign but a Latin letter or digit.
    keys = pc.utf8_trim(pc.replace_substring_regex(pc.ascii_lower(array), "[^0-9A-Za-z]+", "_"), "_")
    return pc.if_else(pc.string_is_ascii(array), keys, pa.scalar(None, array.type))


def _ascending(keys: pd.Series) -> bool:
    """Whether each key of an Arrow text column comes after the one above it, so that none repeats: told at once,
    where finding repeats means hashing every key."""
    if not arrow_text(keys) or len(keys) < 2:
        return False
    import pyarrow.compute as pc

    array = arrow_array(keys)
    return array.null_count == 0 and pc.all(pc.less(array.slice(0, len(array) - 1), array.slice(1))).as_py()
