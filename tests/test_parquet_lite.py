"""pipeline.parquet_lite: its files read back by pyarrow, duckdb and polars, equal to pyarrow's own."""
from __future__ import annotations

import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings, strategies as st

from pipeline import parquet_lite
from pipeline.parquet_lite import parquet_bytes, write_parquet

REPO = Path(__file__).resolve().parents[1]
I32_MIN, I32_MAX, I64_MIN, I64_MAX = -2**31, 2**31 - 1, -2**63, 2**63 - 1
NAN, INF = float("nan"), float("inf")

# kind -> (Arrow type, duckdb type, polars type) of the column read back
TYPES = {
    "string": (pa.string(), "VARCHAR", pl.String),
    "int32": (pa.int32(), "INTEGER", pl.Int32),
    "int64": (pa.int64(), "BIGINT", pl.Int64),
    "float64": (pa.float64(), "DOUBLE", pl.Float64),
    "bool": (pa.bool_(), "BOOLEAN", pl.Boolean),
    "timestamp_us_utc": (pa.timestamp("us", tz="UTC"), "TIMESTAMP WITH TIME ZONE", pl.Datetime("us", "UTC")),
    "date32": (pa.date32(), "DATE", pl.Date),
}

# kind -> values written (and expected back); None is added for the nullable variant
KIND_VALUES = [
    ("string", ["", "a", "日本語のテキスト", "改行\nタブ\t", "x" * 1000, "😀"]),
    ("int32", [0, 1, -1, I32_MIN, I32_MAX]),
    ("int64", [0, -1, I64_MIN, I64_MAX, I32_MAX + 1, I32_MIN - 1]),
    ("float64", [0.0, -2.5, 1e308, 5e-324, NAN, INF, -INF]),
    ("bool", [True, False, False, True, True, False, True, False, True]),  # 9 values: two bytes of bits
    ("timestamp_us_utc", [0, -1, 1_700_000_000_123_456,
                          253_402_300_799_999_999,       # 9999-12-31 23:59:59.999999
                          -62_135_596_800_000_000]),     # 0001-01-01 00:00:00
    ("date32", [0, -1, 19_000, 2_932_896, -719_162]),    # 9999-12-31, 0001-01-01
]


def _with_nones(values):
    """The values with None first, in the middle and last."""
    mid = len(values) // 2
    return [None, *values[:mid], None, *values[mid:], None]


# (kind, nullable, values): every kind required and nullable, with several rows, one row, 0 rows;
# nullable columns also all None
CASES = [
    *[(kind, False, values) for kind, values in KIND_VALUES],
    *[(kind, True, _with_nones(values)) for kind, values in KIND_VALUES],
    *[(kind, False, values[:1]) for kind, values in KIND_VALUES],
    *[(kind, True, [None] * 3) for kind, _ in KIND_VALUES],
    *[(kind, nullable, []) for kind, _ in KIND_VALUES for nullable in (False, True)],
]
CASE_IDS = [f"{k}-{'nullable' if n else 'required'}-{len(v)}rows" for k, n, v in CASES]

EPOCH = dt.date(1970, 1, 1)


def _raw(value):
    """A read-back value as written: timestamps as int µs, dates as int days, NaN as a marker."""
    if isinstance(value, dt.datetime):
        assert value.utcoffset() == dt.timedelta(0)
        return (value - dt.datetime(1970, 1, 1, tzinfo=value.tzinfo)) // dt.timedelta(microseconds=1)
    if isinstance(value, dt.date):
        return (value - EPOCH).days
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value


def _expected(values):
    return [_raw(v) for v in values]


# --- readers: path -> ({name: raw values}, {name: type as that reader names it}) -------------

def read_pyarrow(path):
    table = pq.read_table(path)
    out = {}
    for field, column in zip(table.schema, table.columns):
        if pa.types.is_timestamp(field.type):        # ints, not datetimes: the full int64 range
            column = column.cast(pa.int64())
        elif pa.types.is_date32(field.type):
            column = column.cast(pa.int32())
        out[field.name] = [_raw(v) for v in column.to_pylist()]
    return out, {f.name: (f.type, f.nullable) for f in table.schema}


def read_duckdb(path):
    rel = duckdb.sql(f"select * from read_parquet('{path}')")
    # timestamptz as epoch µs (fetching it as datetime needs pytz)
    select = ", ".join(f'epoch_us("{c}") as "{c}"' if t == "TIMESTAMP WITH TIME ZONE" else f'"{c}"'
                       for c, t in zip(rel.columns, map(str, rel.types)))
    rows = duckdb.sql(f"select {select} from read_parquet('{path}')").fetchall()
    return ({c: [_raw(row[i]) for row in rows] for i, c in enumerate(rel.columns)},
            dict(zip(rel.columns, map(str, rel.types))))


def read_polars(path):
    df = pl.read_parquet(path)
    out = {}
    for name, dtype in df.schema.items():
        series = df[name]
        if dtype == pl.Datetime or dtype == pl.Date:
            series = series.to_physical()             # µs / days since the epoch
        out[name] = [_raw(v) for v in series.to_list()]
    return out, dict(df.schema)


READERS = {"pyarrow": read_pyarrow, "duckdb": read_duckdb, "polars": read_polars}
TYPE_INDEX = {"pyarrow": 0, "duckdb": 1, "polars": 2}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("kind,nullable,values", CASES, ids=CASE_IDS)
def test_one_column_round_trip(tmp_path, reader, kind, nullable, values):
    path = tmp_path / "t.parquet"
    write_parquet(path, [("c", kind, nullable)], {"c": values})
    got, types = READERS[reader](path)
    assert got == {"c": _expected(values)}
    expected_type = TYPES[kind][TYPE_INDEX[reader]]
    if reader == "pyarrow":
        assert types == {"c": (expected_type, nullable)}
    else:
        assert types == {"c": expected_type}


MIXED_COLUMNS = [("run_id", "string", False), ("started", "timestamp_us_utc", False),
                 ("finished", "timestamp_us_utc", True), ("day", "date32", False),
                 ("documents", "int32", False), ("bytes", "int64", True), ("seconds", "float64", True),
                 ("ok", "bool", False), ("note", "string", True), ("unchanged", "bool", True)]
MIXED_ROWS = [
    ("r1", 1_700_000_000_000_000, 1_700_000_001_500_000, 19_675, 312, 10**12, 1.25, True, "初回", None),
    ("r2", 1_700_086_400_000_000, None, 19_676, 0, None, None, False, None, True),
    ("", -1, 0, -1, I32_MIN, I64_MAX, NAN, True, "", False),
]


def _mixed(rows):
    return {name: [row[i] for row in rows] for i, (name, _, _) in enumerate(MIXED_COLUMNS)}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("rows", [MIXED_ROWS, MIXED_ROWS[:1], []], ids=["3rows", "1row", "0rows"])
def test_mixed_table_round_trip(tmp_path, reader, rows):
    path = tmp_path / "runs.parquet"
    write_parquet(path, MIXED_COLUMNS, _mixed(rows))
    got, types = READERS[reader](path)
    assert got == {name: _expected(vals) for name, vals in _mixed(rows).items()}
    assert list(types) == [name for name, _, _ in MIXED_COLUMNS]
    for name, kind, nullable in MIXED_COLUMNS:
        expected = TYPES[kind][TYPE_INDEX[reader]]
        assert types[name] == ((expected, nullable) if reader == "pyarrow" else expected)


def test_wide_table_lists_of_15_and_more(tmp_path):
    """20 columns: the footer's schema and column lists take the long list header."""
    columns = [(f"c{i:02d}", KIND_VALUES[i % 7][0], i % 2 == 1) for i in range(20)]
    values = {name: KIND_VALUES[i % 7][1][:3] for i, (name, _, _) in enumerate(columns)}
    path = tmp_path / "wide.parquet"
    write_parquet(path, columns, values)
    for read in READERS.values():
        got, _ = read(path)
        assert got == {name: _expected(vals) for name, vals in values.items()}


def test_footer_metadata(tmp_path):
    """Format version 1, one row group of one uncompressed PLAIN page per column, sizes that add up."""
    path = tmp_path / "runs.parquet"
    kv = {"kv.zulu": "runs", "kv.alpha": "given order, not sorted", "kv.mike": "日本"}
    write_parquet(path, MIXED_COLUMNS, _mixed(MIXED_ROWS), kv)
    data = path.read_bytes()
    assert data[:4] == data[-4:] == b"PAR1"
    meta = pq.read_metadata(path)
    assert (meta.format_version, meta.created_by, meta.num_rows, meta.num_row_groups) == \
        ("1.0", "kanrisaku parquet_lite", 3, 1)
    assert meta.metadata == {k.encode(): v.encode() for k, v in kv.items()}
    assert [data.index(k.encode()) for k in kv] == sorted(data.index(k.encode()) for k in kv)  # order kept
    row_group = meta.row_group(0)
    offset, total = 4, 0
    for i, (name, kind, _) in enumerate(MIXED_COLUMNS):
        col = row_group.column(i)
        assert (col.path_in_schema, col.compression, col.num_values) == (name, "UNCOMPRESSED", 3)
        assert set(col.encodings) == {"PLAIN", "RLE"} and not col.has_dictionary_page
        assert col.data_page_offset == offset               # the pages follow each other
        assert col.total_compressed_size == col.total_uncompressed_size
        offset += col.total_compressed_size
        total += col.total_uncompressed_size
    assert (row_group.num_rows, row_group.total_byte_size) == (3, total)
    footer_length = int.from_bytes(data[-8:-4], "little")
    assert offset + footer_length + 8 == len(data)           # pages, then the footer


def test_no_rows_writes_no_row_group(tmp_path):
    path = tmp_path / "empty.parquet"
    write_parquet(path, MIXED_COLUMNS, _mixed([]))
    meta = pq.read_metadata(path)
    assert (meta.num_rows, meta.num_row_groups, meta.num_columns) == (0, 0, len(MIXED_COLUMNS))


# --- the same file as pyarrow's ---------------------------------------------------------

ARROW_SCHEMA = pa.schema([
    pa.field("run_id", pa.string(), nullable=False), pa.field("started", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("finished", pa.timestamp("us", tz="UTC")), pa.field("day", pa.date32(), nullable=False),
    pa.field("documents", pa.int32(), nullable=False), pa.field("bytes", pa.int64()),
    pa.field("seconds", pa.float64()), pa.field("ok", pa.bool_(), nullable=False),
    pa.field("note", pa.string()), pa.field("unchanged", pa.bool_()),
], metadata={"kanrisaku.table": "runs", "kanrisaku.schema_version": "3", "説明": "実行の記録"})


@pytest.mark.parametrize("rows", [MIXED_ROWS[:2], MIXED_ROWS[:1], []], ids=["2rows", "1row", "0rows"])
def test_same_table_and_schema_as_pyarrow(tmp_path, rows):
    values = _mixed(rows)
    arrays = [pa.array(values[f.name], pa.int64()).cast(f.type) if pa.types.is_timestamp(f.type)
              else pa.array(values[f.name], f.type) for f in ARROW_SCHEMA]
    theirs = tmp_path / "theirs.parquet"
    with pq.ParquetWriter(theirs, ARROW_SCHEMA, compression="zstd") as writer:
        writer.write_table(pa.Table.from_arrays(arrays, schema=ARROW_SCHEMA))
    their_kv = pq.read_metadata(theirs).metadata
    assert b"ARROW:schema" in their_kv
    ours = tmp_path / "ours.parquet"
    write_parquet(ours, MIXED_COLUMNS, values, their_kv)
    our_table, their_table = pq.read_table(ours), pq.read_table(theirs)
    assert our_table.equals(their_table)
    assert our_table.schema.equals(their_table.schema, check_metadata=True)
    assert our_table.schema.equals(ARROW_SCHEMA, check_metadata=True)
    assert our_table.num_rows == len(rows)


# --- errors ----------------------------------------------------------------------------

ERRORS = [
    ([("a", "int32", False)], {"a": [1, None]}, "required but holds None"),
    ([("a", "string", False)], {"a": [None]}, "required but holds None"),
    ([("a", "int16", False)], {"a": [1]}, "unknown kind 'int16'"),
    ([("a", "int32", False), ("b", "int32", True)], {"a": [1, 2], "b": [1]}, "unequal lengths"),
    ([("a", "int32", False)], {"a": [I32_MAX + 1]}, "'a'"),
    ([("a", "int32", True)], {"a": [None, I32_MIN - 1]}, "'a'"),
    ([("a", "date32", False)], {"a": [2**31]}, "'a'"),
    ([("a", "int64", False)], {"a": [I64_MAX + 1]}, "'a'"),
    ([("a", "timestamp_us_utc", False)], {"a": [I64_MIN - 1]}, "'a'"),
    ([("a", "int64", False)], {"a": [1.5]}, "'a'"),
    ([("a", "string", False)], {"a": [b"bytes"]}, "only str"),
    ([("a", "bool", False)], {"a": [1]}, "only True/False"),
    ([("a", "int32", False)], {"b": [1]}, "do not name the same columns"),
    ([("a", "int32", False)], {"a": [1], "b": [1]}, "do not name the same columns"),
    ([("a", "int32", False), ("a", "int64", False)], {"a": [1]}, "do not name the same columns"),
]


@pytest.mark.parametrize("columns,values,match", ERRORS)
def test_errors(columns, values, match):
    with pytest.raises(ValueError, match=match):
        parquet_bytes(columns, values)


# --- the Thrift compact encoder ----------------------------------------------------------

T = parquet_lite
THRIFT = [  # (what, encoded by the module, bytes by hand)
    ("varint 0", T._varint(0), b"\x00"),
    ("varint 127", T._varint(127), b"\x7f"),
    ("varint 300", T._varint(300), b"\xac\x02"),
    ("zigzag 0", T._int(0), b"\x00"),
    ("zigzag -1", T._int(-1), b"\x01"),
    ("zigzag 1", T._int(1), b"\x02"),
    ("zigzag -64", T._int(-64), b"\x7f"),
    ("zigzag int64 min", T._int(I64_MIN), b"\xff" * 9 + b"\x01"),
    ("binary utf-8", T._bin("日"), b"\x03\xe6\x97\xa5"),
    ("list of 2 i32", T._list(T.I32, [b"\x02"] * 2), b"\x25\x02\x02"),
    ("list of 15 i32", T._list(T.I32, [b"\x02"] * 15), b"\xf5\x0f" + b"\x02" * 15),
    # field 1 (delta 1, i32 5), field 3 left out, field 20 (delta 19: type byte, zigzag id 20), stop
    ("struct long field header", T._struct((1, T.I32, 5), (3, T.I64, None), (20, T.I32, 1)),
     b"\x15\x0a\x05\x28\x02\x00"),
    # bools live in the header's type nibble: true 1, false 2
    ("struct bools", T._struct((1, T.BOOL_TRUE, True), (2, T.BOOL_TRUE, False)), b"\x11\x12\x00"),
    ("empty struct", T._struct(), b"\x00"),
]


@pytest.mark.parametrize("what,encoded,expected", THRIFT, ids=[t[0] for t in THRIFT])
def test_thrift_compact(what, encoded, expected):
    assert encoded == expected


# --- no third-party import ----------------------------------------------------------------

def test_imports_only_the_standard_library():
    code = ("import sys; before = set(sys.modules); import pipeline.parquet_lite; "
            "print(' '.join(sorted(set(sys.modules) - before)))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", code], cwd=REPO, env=env,
                         capture_output=True, text=True, check=True)
    new = out.stdout.split()
    assert "pipeline.parquet_lite" in new
    assert not [m for m in new if m.split(".")[0] in ("pyarrow", "numpy", "pandas")]
    assert [m for m in new if m.split(".")[0] not in sys.stdlib_module_names] == ["pipeline", "pipeline.parquet_lite"]
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    assert "pipeline.parquet_lite" in imported and not imported & {"pyarrow", "numpy"}


# --- property: pyarrow reads back exactly what was written -----------------------------------

STRATEGIES = {
    "string": st.text(max_size=20),
    "int32": st.integers(I32_MIN, I32_MAX),
    "int64": st.integers(I64_MIN, I64_MAX),
    "float64": st.floats(allow_nan=True, allow_infinity=True),
    "bool": st.booleans(),
    "timestamp_us_utc": st.integers(I64_MIN, I64_MAX),
    "date32": st.integers(I32_MIN, I32_MAX),
}
KINDS = list(STRATEGIES)


@st.composite
def tables(draw):
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
    columns = [(f"c{i}", kind, draw(st.booleans())) for i, kind in enumerate(kinds)]
    num_rows = draw(st.integers(0, 40))
    values = {}
    for name, kind, nullable in columns:
        value = st.none() | STRATEGIES[kind] if nullable else STRATEGIES[kind]
        values[name] = draw(st.lists(value, min_size=num_rows, max_size=num_rows))
    return columns, values


@settings(max_examples=200, deadline=None)
@given(tables())
def test_property_pyarrow_reads_back_what_was_written(table):
    columns, values = table
    data = parquet_bytes(columns, values)
    got, types = read_pyarrow(pa.BufferReader(data))
    assert got == {name: _expected(vals) for name, vals in values.items()}
    assert types == {name: (TYPES[kind][0], nullable) for name, kind, nullable in columns}
