"""The ``runs`` table: one row per run ever made, written without pyarrow.

Every run rewrites ``runs.parquet`` with the rows of all earlier runs plus its
own.  An unchanged nightly re-run does nothing else (its other tables are
hard links to the published ones), and importing pyarrow with numpy would
cost it more than its whole remaining work, so the table is written by
:mod:`pipeline.parquet_lite` from rows kept beside it in the generation
folder, ``runs.json``.  That file is ours but, like everything in an output
folder, data that others may have edited: a row that does not have this
version's columns and types makes :func:`previous_runs` return None, and the
caller reads the published ``runs.parquet`` instead.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from . import parquet_lite
from .cache import _atomic_write, read_regular
from .schema import F64, I32, STR, TABLES, TS, table_metadata

TABLE = "runs"
SIDECAR = "runs.json"
_MAX_BYTES = 64 << 20
_LITE_KIND = {STR: "string", I32: "int32", F64: "float64", TS: "timestamp_us_utc"}


def _valid(row, cols) -> bool:
    if not isinstance(row, dict) or set(row) != {c.name for c in cols}:
        return False
    for c in cols:
        v = row[c.name]
        if c.kind == STR:
            ok = isinstance(v, str) and (c.vocab is None or v in c.vocab)
        elif c.kind == F64:
            ok = isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        else:                                  # int32 and timestamps (microseconds)
            limit = 2**31 if c.kind == I32 else 2**63
            ok = isinstance(v, int) and not isinstance(v, bool) and -limit <= v < limit
        if not ok:
            return False
    return True


def previous_runs(generation: Path) -> list[dict] | None:
    """The runs rows kept in *generation* (the published set), or None when
    there are none we can trust (a set written by an earlier version, an
    edited or damaged file)."""
    try:
        rows = json.loads(read_regular(generation / SIDECAR, _MAX_BYTES).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    cols = TABLES[TABLE]
    if not isinstance(rows, list) or not all(_valid(r, cols) for r in rows):
        return None
    return rows


def rows_of_table(t) -> list[dict]:
    """The rows of a published ``runs`` Arrow table in the form of
    :func:`previous_runs` (timestamps as microseconds)."""
    import pyarrow as pa
    cols = {}
    for c in TABLES[TABLE]:
        col = t.column(c.name)
        cols[c.name] = (col.cast(pa.int64()) if c.kind == TS else col).to_pylist()
    return [dict(zip(cols, values)) for values in zip(*cols.values())]


def write(generation: Path, rows: list[dict]) -> None:
    """``runs.parquet`` and its ``runs.json`` in *generation* (a folder
    being written, published later as a whole)."""
    cols = TABLES[TABLE]
    bad = [r for r in rows if not _valid(r, cols)]
    if bad:
        raise ValueError(f"runs: rows outside this version's schema: {bad[:1]}")
    parquet_lite.write_parquet(
        generation / f"{TABLE}.parquet", [(c.name, _LITE_KIND[c.kind], c.nullable) for c in cols],
        {c.name: [r[c.name] for r in rows] for c in cols},
        table_metadata(TABLE))
    _atomic_write(generation / SIDECAR, json.dumps(rows, ensure_ascii=False).encode("utf-8"), sync=False)
