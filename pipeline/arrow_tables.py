"""The Arrow side of :mod:`pipeline.schema`: each table's pyarrow schema, and
Arrow tables built from rows or columns with the vocabularies checked."""
from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterable
from functools import lru_cache

import pyarrow as pa

from . import schema as _schema
from .parquet_lite import pack_bits
from .schema import TABLES, micros, table_metadata

STR, I32, F64, BOOL, DATE = pa.string(), pa.int32(), pa.float64(), pa.bool_(), pa.date32()
TS = pa.timestamp("us", tz="UTC")
STR_LIST = pa.list_(pa.string())
_TYPES = {_schema.STR: STR, _schema.I32: I32, _schema.F64: F64, _schema.BOOL: BOOL, _schema.DATE: DATE,
          _schema.TS: TS, _schema.STR_LIST: STR_LIST}


def arrow_type(kind: str) -> pa.DataType:
    """The pyarrow type of a column kind (see ``schema.KINDS``)."""
    return _TYPES[kind]


@lru_cache(maxsize=None)
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of *table* (built once: schemas are immutable)."""
    return pa.schema([pa.field(c.name, arrow_type(c.kind), nullable=c.nullable) for c in TABLES[table]],
                     metadata=table_metadata(table))


def to_table(name: str, rows: list[dict], run_id: str | None = None) -> pa.Table:
    """Build an Arrow table of *name* from row dicts, checking vocabularies."""
    return columns_table(name, {col.name: [r.get(col.name) for r in rows] for col in TABLES[name]
                                if not (col.name == "run_id" and run_id is not None)}, len(rows), run_id)


def empty_table(name: str) -> pa.Table:
    """A table of *name* with no rows (``Schema.empty_table`` imports pandas)."""
    return columns_table(name, {}, 0)


def columns_table(name: str, columns: dict[str, list], n_rows: int, run_id: str | None = None) -> pa.Table:
    """Build an Arrow table of *name* from a list of values per column (a
    column left out is all null), checking vocabularies: for large tables
    (tokens) that are cheaper to gather by column than as row dicts."""
    schema = arrow_schema(name)
    cols = {}
    for col in TABLES[name]:
        if col.name == "run_id" and run_id is not None:
            cols[col.name] = repeat_string(run_id, n_rows)
            continue
        values = columns.get(col.name)
        values = [None] * n_rows if values is None else values
        if col.vocab:
            bad = {v for v in values if v is not None and v not in col.vocab}
            if bad:
                raise ValueError(f"{name}.{col.name}: values outside the vocabulary: {sorted(bad)}")
        cols[col.name] = small_array(values, arrow_type(col.kind)) if len(values) <= SMALL_ROWS \
            else _column(values, arrow_type(col.kind))
    return pa.Table.from_pydict(cols, schema=schema)


def _column(values: list, typ: pa.DataType) -> pa.Array:
    """A long column: strings and int32 without nulls (the tokens table)
    laid out directly, anything else by ``pa.array``. (``pa.array`` would
    import pandas into every worker, 0.4 s and 50 MB each, for that table.)"""
    n = len(values)
    try:
        if typ == STR:
            laid_out = _string_array(values)
            if laid_out is not None:
                return laid_out
        if typ == I32 and _all_of_type(values, int):
            return pa.Array.from_buffers(I32, n, [None, _int32_buffer(values)], null_count=0)
    except OverflowError:           # more than 2 GB of text, or a value outside int32: pa.array's rules
        pass
    return pa.array(values, type=typ)


def _all_of_type(values: list, typ: type) -> bool:
    """Every value is exactly of *typ* (no subclass: a bool is no int32);
    ``set(map(type, ...))`` runs in C, twice as fast as ``all(...)``."""
    return not values or set(map(type, values)) == {typ}


def _string_array(values: list) -> pa.Array | None:
    """A string array of *values* without nulls, from one join and one
    encode (not one per value: a tokens column has tens of thousands of
    them); None when a value is not a str (a null: pa.array's path).
    OverflowError past 2**31 bytes."""
    try:
        joined = "\x00".join(values)        # also proves every value is a str
    except TypeError:
        return None
    if joined.count("\x00") == len(values) - 1:
        data, offsets = _split_at_nul(joined.encode("utf-8"), len(values))
    else:                                   # a value holds NUL itself (or there are none)
        data = "".join(values).encode("utf-8")
        offsets = _utf8_offsets(values, data)
    if len(data) >= 2**31:
        raise OverflowError("more than 2**31 bytes in one column")
    return pa.Array.from_buffers(STR, len(values), [None, pa.py_buffer(offsets.astype("<i4")),
                                                    pa.py_buffer(data)], null_count=0)


def _split_at_nul(joined: bytes, n: int):
    """The bytes of *n* strings joined by NUL (which no string holds) without
    the NULs, and the strings' byte offsets in them: a NUL byte is only ever
    U+0000 in UTF-8, so numpy finds the boundaries without a Python loop."""
    import numpy as np              # (already imported by pyarrow)
    raw = np.frombuffer(joined, dtype=np.uint8)
    offsets = np.empty(n + 1, dtype=np.int64)
    offsets[0] = 0
    offsets[1:n] = np.flatnonzero(raw == 0)
    offsets[n] = len(raw)
    offsets[1:] -= np.arange(n)     # the NULs before each end
    return joined.replace(b"\x00", b""), offsets


def _utf8_offsets(values: list[str], data: bytes):
    """The byte offsets of *values* in *data* (their join, UTF-8 encoded)
    without encoding each value: their character ends, mapped to byte
    positions through the bytes that start a character (all but UTF-8's
    0b10xxxxxx continuation bytes)."""
    import numpy as np
    ends = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=len(values)), out=ends[1:])
    if ends[-1] != len(data):       # not all ASCII: character ends -> byte ends
        raw = np.frombuffer(data, dtype=np.uint8)
        ends = np.append(np.flatnonzero((raw & 0xC0) != 0x80), len(data))[ends]
    return ends


# -- a few rows without pandas ------------------------------------------------------
# ``pa.array`` first asks pyarrow's pandas shim whether the values are a
# pandas object, and that imports pandas: 0.3 s, a third of an unchanged
# nightly re-run, which writes one row of ``runs`` and nothing else.  So a
# handful of values of a flat type are laid out in Arrow buffers here.

SMALL_ROWS = 64
_FIXED = {I32: "i", F64: "d", TS: "q"}
_EPOCH_DAY = dt.date(1970, 1, 1)


def small_array(values: list, typ: pa.DataType) -> pa.Array:
    """The same array as ``pa.array(values, type=typ)`` for string, int32,
    float64, bool and UTC timestamp columns (anything else goes to pa.array)."""
    n = len(values)
    valid = [v is not None for v in values]
    if typ == STR_LIST and all(isinstance(v, (list, tuple)) for v, ok in zip(values, valid) if ok):
        items = [x for v, ok in zip(values, valid) if ok for x in v]
        if all(isinstance(x, str) for x in items):
            validity = None if all(valid) else pa.py_buffer(pack_bits(valid))
            offsets = _offsets(len(v) if ok else 0 for v, ok in zip(values, valid))
            return pa.ListArray.from_buffers(typ, n, [validity, offsets], null_count=valid.count(False),
                                             children=[small_array(items, STR)])
        return pa.array(values, type=typ)
    if typ == DATE:
        if not all(type(v) is dt.date for v, ok in zip(values, valid) if ok):
            return pa.array(values, type=typ)
        validity = None if all(valid) else pa.py_buffer(pack_bits(valid))
        days = [(v - _EPOCH_DAY).days if ok else 0 for v, ok in zip(values, valid)]
        return pa.Array.from_buffers(typ, n, [validity, pa.py_buffer(struct.pack(f"<{n}i", *days))],
                                     null_count=valid.count(False))
    if typ == TS and not all(v.tzinfo is not None for v in values if v is not None):
        return pa.array(values, type=typ)       # naive datetimes: pa.array's rules
    if typ not in _FIXED and typ not in (STR, BOOL) or not all(_plain(v, typ) for v, ok in zip(values, valid) if ok):
        return pa.array(values, type=typ)
    validity = None if all(valid) else pa.py_buffer(pack_bits(valid))
    nulls = valid.count(False)
    if typ == STR:
        data = [v.encode("utf-8") if ok else b"" for v, ok in zip(values, valid)]
        return pa.Array.from_buffers(STR, n, [validity, _offsets(map(len, data)), pa.py_buffer(b"".join(data))],
                                     null_count=nulls)
    if typ == BOOL:
        return pa.Array.from_buffers(BOOL, n, [validity, pa.py_buffer(pack_bits([bool(v) for v in values]))],
                                     null_count=nulls)
    if typ == TS:
        values = [micros(v) if ok else 0 for v, ok in zip(values, valid)]
    else:
        values = [v if ok else 0 for v, ok in zip(values, valid)]
    return pa.Array.from_buffers(typ, n, [validity, pa.py_buffer(struct.pack(f"<{n}{_FIXED[typ]}", *values))],
                                 null_count=nulls)


def repeat_string(value: str, n: int) -> pa.Array:
    """*value* *n* times as a string array (a run id down a whole table),
    laid out directly: ``pa.array`` would import pandas."""
    b = value.encode("utf-8")
    return pa.Array.from_buffers(STR, n, [None, _offsets([len(b)] * n), pa.py_buffer(b * n)], null_count=0)


def _offsets(lengths: Iterable[int]) -> pa.Buffer:
    """Arrow's offsets buffer (int32, little-endian) for items of these
    lengths; OverflowError past 2**31 bytes."""
    import numpy as np              # (already imported by pyarrow)
    counts = np.fromiter(lengths, dtype=np.int64)
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    if out[-1] >= 2**31:
        raise OverflowError("more than 2**31 bytes in one column")
    return pa.py_buffer(out.astype("<i4"))


def _int32_buffer(values: list[int]) -> pa.Buffer:
    """int32 values as a little-endian Arrow buffer; OverflowError for a
    value outside int32."""
    import numpy as np
    return pa.py_buffer(np.array(values, dtype="<i4"))


def _plain(v, typ) -> bool:
    """A value small_array lays out itself (others take pa.array's path, with its errors)."""
    if typ == STR:
        return isinstance(v, str)
    if typ == BOOL:
        return isinstance(v, bool)
    if typ == TS:
        return isinstance(v, dt.datetime)
    if typ == F64:
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, int) and not isinstance(v, bool) and -2**31 <= v < 2**31
