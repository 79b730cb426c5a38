"""Read a published output folder back as typed tables.

>>> from pipeline import load
>>> t = load("data/out")
>>> t.retention_periods[t.retention_periods.subject == "logs"]
>>> t["controls"].merge(t.documents[["doc_id", "title"]], on="doc_id")
>>> t.duckdb().sql("SELECT doc_id FROM retention_periods WHERE subject='logs' AND days < 365")

:func:`load` resolves ``OUT/current`` once and reads every table from that
one generation directory, so the tables always come from the same run even
while a new run publishes beside them (an output folder without ``current``
-- plain ``OUT/<table>.parquet`` files -- is read as it is).  All tables are
read into memory (Arrow) at load time; pandas frames are built on first
access and cached, and :meth:`Tables.duckdb` registers the same Arrow data,
so pandas and SQL answers never disagree.

pandas dtypes, derived from :data:`pipeline.schema.TABLES`:

* a column with a closed vocabulary -> ``category`` whose categories are the
  full vocabulary in schema order (absent values still appear as categories,
  so ``value_counts`` and group-bys show zeros);
* other strings -> ``string`` (missing values are ``pd.NA``);
* int32 -> ``Int32``, float64 -> ``Float64``, bool -> ``boolean`` (nullable);
* timestamps -> ``datetime64[us, UTC]``;
* ``published`` (date) -> ``datetime.date`` objects, ``None`` when unknown;
* list columns (``sections.control_ids``) -> Python lists.

Polars and other readers can read the same files: :attr:`Tables.files` maps
each table to its Parquet file inside the resolved generation.
"""
from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from .arrow_tables import arrow_schema
from .schema import TABLES, Column

__all__ = ["load", "Tables", "resolve_generation", "pandas_dtypes"]


def resolve_generation(out: str | Path) -> Path:
    """The directory the tables of *out* are read from.

    ``OUT/current`` resolved once (a symlink to the published generation),
    else *out* itself (plain ``OUT/<table>.parquet`` files).
    """
    out = Path(out).expanduser()
    if not out.is_dir():
        raise FileNotFoundError(f"no output folder at {out}")
    cur = out / "current"
    if cur.is_symlink() or cur.is_dir():
        target = cur.resolve()
        if target.is_dir():
            return target
    return out.resolve()


def _pandas():
    import pandas as pd
    return pd


def _dtype(col: Column):
    """The pandas dtype of a schema column (lists and dates stay objects)."""
    pd = _pandas()
    t = col.type
    if col.vocab:
        return pd.CategoricalDtype(categories=list(col.vocab), ordered=False)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return pd.StringDtype()
    if pa.types.is_integer(t):
        return pd.api.types.pandas_dtype(f"{'Int' if pa.types.is_signed_integer(t) else 'UInt'}{t.bit_width}")
    if pa.types.is_floating(t):
        return pd.Float64Dtype() if t.bit_width == 64 else pd.Float32Dtype()
    if pa.types.is_boolean(t):
        return pd.BooleanDtype()
    if pa.types.is_timestamp(t):
        return pd.DatetimeTZDtype(unit=t.unit, tz="UTC")
    return object


def pandas_dtypes(table: str) -> dict:
    """Column name -> pandas dtype for *table*, as :func:`load` produces them."""
    return {c.name: _dtype(c) for c in TABLES[table]}


def _types_mapper(t: pa.DataType):
    pd = _pandas()
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return pd.StringDtype()
    if t == pa.int32():
        return pd.Int32Dtype()
    if t == pa.int64():
        return pd.Int64Dtype()
    if t == pa.float64():
        return pd.Float64Dtype()
    if t == pa.bool_():
        return pd.BooleanDtype()
    return None


def _conform(name: str, table: pa.Table) -> pa.Table:
    """Schema columns first, in schema order, cast to their schema types.

    A column the file lacks (an older run) is added as nulls; columns the
    schema does not know are kept after the schema's own.
    """
    schema = arrow_schema(name)
    arrays, fields = [], []
    for f in schema:
        if f.name in table.column_names:
            arr = table.column(f.name)
            if arr.type != f.type:
                arr = arr.cast(f.type)
        else:
            arr = pa.nulls(table.num_rows, type=f.type)
        arrays.append(arr)
        fields.append(pa.field(f.name, f.type))
    for extra in table.column_names:
        if extra not in schema.names:
            arrays.append(table.column(extra))
            fields.append(table.schema.field(extra))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=table.schema.metadata))


def to_pandas(name: str, table: pa.Table):
    """An Arrow table of schema table *name* as a typed pandas DataFrame."""
    pd = _pandas()
    cols = {c.name: c for c in TABLES[name]}
    df = table.to_pandas(types_mapper=_types_mapper)
    for col_name in df.columns:
        col = cols.get(col_name)
        arrow_type = table.schema.field(col_name).type
        if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
            df[col_name] = pd.Series(table.column(col_name).to_pylist(), index=df.index, dtype=object)
        elif pa.types.is_timestamp(arrow_type):
            s = df[col_name]
            df[col_name] = s.dt.tz_localize("UTC") if s.dt.tz is None else s.dt.tz_convert("UTC")
        elif pa.types.is_date(arrow_type):
            df[col_name] = pd.Series(table.column(col_name).to_pylist(), index=df.index, dtype=object)
        if col is not None and col.vocab:
            s = df[col_name]
            bad = sorted(set(s.dropna().unique()) - set(col.vocab))
            if bad:
                raise ValueError(f"{name}.{col_name}: values outside the schema vocabulary {bad} "
                                 "(tables written by another schema version?)")
            df[col_name] = s.astype(_dtype(col))
    return df


class Tables:
    """Every table of one published generation.

    ``t.documents`` / ``t["documents"]`` give pandas DataFrames, ``t.tables``
    the names, ``t.arrow(name)`` the Arrow table, ``t.files`` the Parquet
    files, ``t.duckdb()`` a DuckDB connection with every table as a view.
    """

    def __init__(self, path: Path, generation: Path, arrow_tables: dict[str, pa.Table],
                 files: dict[str, Path]):
        self.path = path
        self.generation = generation
        self.files = files
        self._arrow = arrow_tables
        self._frames: dict = {}

    # -- access --------------------------------------------------------------
    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(self._arrow)

    @property
    def run_id(self) -> str | None:
        """The run that published the generation (None for a plain folder)."""
        return self.generation.name if self.generation != self.path.resolve() else None

    def arrow(self, name: str) -> pa.Table:
        if name not in self._arrow:
            raise KeyError(f"no table {name!r}; tables: {', '.join(self.tables)}")
        return self._arrow[name]

    def __getitem__(self, name: str):
        if name not in self._frames:
            self._frames[name] = to_pandas(name, self.arrow(name))
        return self._frames[name]

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__} has no table {name!r}; "
                                 f"tables: {', '.join(self.tables)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._arrow

    def __iter__(self) -> Iterator[str]:
        return iter(self._arrow)

    def __len__(self) -> int:
        return len(self._arrow)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self._arrow))

    def items(self):
        return ((name, self[name]) for name in self._arrow)

    # -- DuckDB --------------------------------------------------------------
    def duckdb(self, con=None):
        """A DuckDB connection (new, in memory, unless *con* is given) with
        every table registered as a view over the loaded generation."""
        import duckdb
        if con is None:
            con = duckdb.connect()
        for name, table in self._arrow.items():
            con.register(name, table)
        return con

    # -- display -------------------------------------------------------------
    def __repr__(self) -> str:
        where = str(self.path)
        if self.run_id:
            where += f" (run {self.run_id})"
        width = max((len(n) for n in self._arrow), default=0)
        lines = [f"<kanrisaku tables from {where}"]
        for name, t in self._arrow.items():
            lines.append(f"  {name:<{width}}  {t.num_rows:>8,} rows x {t.num_columns} cols")
        return "\n".join(lines) + ">"


def read_parquet(path: Path) -> pa.Table:
    """One Parquet file as an Arrow table.  ``pq.ParquetFile``, not ``pq.read_table``:
    the same table without importing pyarrow.dataset and pandas (a second of a
    report's start-up on a busy machine; the report needs neither)."""
    return pq.ParquetFile(path).read()


def load(path: str | Path = "data/out", tables: Iterable[str] | None = None) -> Tables:
    """Load the published tables of output folder *path*.

    *tables* restricts loading to some tables (default: every schema table;
    e.g. leave out the large ``tokens``).  A table whose file is missing is
    returned empty with its schema.
    """
    path = Path(path).expanduser()
    gen = resolve_generation(path)
    names = list(TABLES) if tables is None else list(tables)
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise KeyError(f"unknown table(s) {unknown}; tables: {', '.join(TABLES)}")
    arrow_tables, files = {}, {}
    for name in names:
        f = gen / f"{name}.parquet"
        files[name] = f
        raw = read_parquet(f) if f.exists() else arrow_schema(name).empty_table()
        arrow_tables[name] = _conform(name, raw)
    return Tables(path, gen, arrow_tables, files)


# ``from pipeline import load`` must give something callable whichever of
# ``pipeline.load`` (this module) and ``pipeline.load()`` (the package's lazy
# wrapper) Python binds to the name: importing this submodule rebinds the
# package attribute ``load`` to the module, so the module itself is callable.
class _CallableModule(types.ModuleType):
    def __call__(self, path: str | Path = "data/out", tables: Iterable[str] | None = None) -> Tables:
        return load(path, tables)


sys.modules[__name__].__class__ = _CallableModule
