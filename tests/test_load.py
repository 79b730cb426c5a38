"""``pipeline.load``: typed pandas tables, DuckDB views and Polars on one published generation."""
from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from conftest import PDF_DIR, SEEDS_DIR, copy_into, ingest, needs_corpus

from pipeline.schema import TABLES

pytestmark = needs_corpus

S003 = "003_8c533b8fd33a2377"
S004 = "004_ff33830aca502d81"
S002 = "002_eada6c19ad08a7de"
T003, T004, P002 = f"{S003}.txt", f"{S004}.txt", f"pdf/{S002}.pdf"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """Two seed texts and one PDF, ingested once by the real CLI."""
    root = tmp_path_factory.mktemp("load")
    src = root / "in"
    copy_into(src, SEEDS_DIR / T003, SEEDS_DIR / T004)
    copy_into(src / "pdf", PDF_DIR / f"{S002}.pdf")
    res = ingest(src, root / "out")
    assert res.returncode == 0, res.stderr
    return root / "out"


@pytest.fixture(scope="module")
def t(out):
    from pipeline import load
    return load(out)


# --- the object ---------------------------------------------------------------

def test_load_from_package_gives_every_table(t, out):
    from pipeline import load
    assert t.tables == tuple(TABLES)
    for name in TABLES:
        assert isinstance(t[name], pd.DataFrame)
        assert getattr(t, name) is t[name]  # built once, cached
    assert t.generation == (out / "current").resolve()
    assert t.run_id == t.generation.name
    r = repr(t)
    assert str(out) in r and t.run_id in r
    assert "retention_periods" in r and "rows" in r
    with pytest.raises(AttributeError):
        t.no_such_table
    with pytest.raises(KeyError):
        t["no_such_table"]
    # whichever of the lazy function and the submodule the package name is bound to, it loads
    import pipeline.load as module
    assert load(out).tables == module(out).tables == module.load(out).tables == t.tables


def test_columns_in_schema_order(t):
    for name, cols in TABLES.items():
        assert list(t[name].columns) == [c.name for c in cols], name


def test_rows_match_the_files(t, out):
    for name in TABLES:
        assert len(t[name]) == pd.read_parquet(out / f"{name}.parquet").shape[0], name
    assert sorted(t.documents.doc_id) == sorted([P002, T003, T004])


# --- dtypes -------------------------------------------------------------------

def test_vocabulary_columns_are_categoricals_with_the_full_vocabulary(t):
    n = 0
    for name, cols in TABLES.items():
        for col in cols:
            if col.vocab:
                dtype = t[name][col.name].dtype
                assert isinstance(dtype, pd.CategoricalDtype), (name, col.name, dtype)
                assert list(dtype.categories) == list(col.vocab), (name, col.name)
                assert not dtype.ordered
                n += 1
    assert n == sum(1 for cols in TABLES.values() for c in cols if c.vocab) >= 15
    # the full vocabulary, including values no row has: group-bys show the zeros
    counts = t.retention_periods.subject.value_counts()
    assert list(counts.index.categories) == ["logs", "backups", "customer_data"] and len(counts) == 3
    kinds = t.time_targets.kind.value_counts()
    assert len(kinds) == 14 and kinds["incident_notification"] >= 1 and (kinds == 0).any()
    assert t.documents.status.tolist().count("ok") == 3


def test_numeric_string_and_bool_dtypes(t):
    for name, cols in TABLES.items():
        df = t[name]
        for col in cols:
            if col.vocab:
                continue
            dtype = df[col.name].dtype
            if col.type == pa.int32():
                assert dtype == pd.Int32Dtype(), (name, col.name, dtype)
            elif col.type == pa.float64():
                assert dtype == pd.Float64Dtype(), (name, col.name, dtype)
            elif col.type == pa.string():
                assert isinstance(dtype, pd.StringDtype) and dtype.na_value is pd.NA, (name, col.name, dtype)
            elif col.type == pa.bool_():
                assert dtype == pd.BooleanDtype(), (name, col.name, dtype)


def test_nullable_ints_keep_nulls_and_values(t):
    ret = t.retention_periods
    text_pages = ret[ret.doc_id != P002].page
    pdf_pages = ret[ret.doc_id == P002].page
    assert len(text_pages) and text_pages.isna().all()  # text input: no page
    assert len(pdf_pages) and pdf_pages.notna().all()
    assert all(isinstance(p, (int,)) or hasattr(p, "__index__") for p in pdf_pages)
    assert pdf_pages.min() >= 1
    docs = t.documents.set_index("doc_id")
    assert docs.loc[P002, "n_pages"] == 10
    assert docs.loc[T003, "n_pages"] is pd.NA
    # no float NaN sneaks into a nullable float column
    days = ret.days
    assert days.dtype == pd.Float64Dtype() and days.isna().any() and (days.dropna() > 0).all()


def test_timestamps_are_utc(t):
    for name, cols in TABLES.items():
        for col in cols:
            if pa.types.is_timestamp(col.type):
                dtype = t[name][col.name].dtype
                assert isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC", (name, col.name)
    ingested = t.documents.ingested_at
    assert ingested.notna().all()
    now = pd.Timestamp.now(tz="UTC")
    assert ((now - ingested) < pd.Timedelta(hours=1)).all()
    assert (t.runs.finished_at >= t.runs.started_at).all()


def test_lists_and_dates_are_python_objects(t):
    ids = t.sections.control_ids
    assert ids.map(type).eq(list).all()
    flat = [c for lst in ids for c in lst]
    assert flat and all(isinstance(c, str) for c in flat)
    assert any(len(lst) == 0 for lst in ids)  # sections whose heading names no control
    published = t.documents.set_index("doc_id").published
    assert all(isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in published)
    assert published[T004] == dt.date(2024, 12, 1)


# --- one generation -------------------------------------------------------------

def test_current_is_resolved_once(out, tmp_path, monkeypatch):
    """A run publishing while we read must not give us a mix of two generations."""
    from pipeline import load as load_module_or_fn  # noqa: F401  (either binding works)
    import pipeline.load as L

    two = tmp_path / "out"
    shutil.copytree(out, two, symlinks=True)
    gen_a = (two / "current").resolve()
    src = tmp_path / "in"
    copy_into(src, SEEDS_DIR / T003, SEEDS_DIR / T004, SEEDS_DIR / f"{S002}.txt")
    copy_into(src / "pdf", PDF_DIR / f"{S002}.pdf")
    assert ingest(src, two).returncode == 0
    gen_b = (two / "current").resolve()
    assert gen_b != gen_a and gen_a.is_dir()

    def point_current(gen):
        tmp = two / ".current.test"
        os.symlink(os.path.relpath(gen, two), tmp)
        os.replace(tmp, two / "current")

    point_current(gen_a)
    real_read = L.read_parquet
    calls = []

    def read_and_publish(path, *a, **kw):
        calls.append(Path(path))
        if len(calls) == 1:
            point_current(gen_b)  # another run publishes after our first read
        return real_read(path, *a, **kw)

    monkeypatch.setattr(L, "read_parquet", read_and_publish)
    t = L.load(two)
    assert t.generation == gen_a
    assert {p.parent for p in calls} == {gen_a}
    assert len(t.documents) == 3
    for name in ("documents", "sections", "controls", "retention_periods", "time_targets", "log_timezones"):
        assert set(t[name].run_id) == {gen_a.name}, name
    # and DuckDB sees that same generation
    con = t.duckdb()
    assert con.sql("SELECT DISTINCT run_id FROM documents").fetchall() == [(gen_a.name,)]
    assert con.sql("SELECT count(*) FROM documents").fetchall()[0][0] == 3
    monkeypatch.undo()
    assert len(L.load(two).documents) == 4  # a new load sees the new generation


def test_plain_folder_without_current(out, tmp_path):
    from pipeline import load
    plain = tmp_path / "plain"
    plain.mkdir()
    for name in ("documents", "controls", "retention_periods"):
        shutil.copyfile(out / "current" / f"{name}.parquet", plain / f"{name}.parquet")
    t = load(plain)
    assert t.run_id is None and t.generation == plain.resolve()
    assert len(t.documents) == 3 and len(t.controls) > 0
    # tables whose file is missing come back empty, typed
    assert len(t.time_targets) == 0
    assert isinstance(t.time_targets.kind.dtype, pd.CategoricalDtype)
    assert t.time_targets.page.dtype == pd.Int32Dtype()
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "missing")


# --- DuckDB -----------------------------------------------------------------------

def test_duckdb_views(t):
    con = t.duckdb()
    kinds = dict(con.sql("SELECT table_name, table_type FROM information_schema.tables").fetchall())
    assert kinds == {name: "VIEW" for name in TABLES}
    for name in TABLES:
        assert con.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0] == len(t[name]), name


def test_duckdb_log_retention_queries(t):
    con = t.duckdb()

    def doc_ids(sql):
        return {r[0] for r in con.sql(sql).fetchall()}

    # "vendors that keep logs less than one year": nobody here; both text vendors keep them at least a year
    assert doc_ids("SELECT DISTINCT doc_id FROM retention_periods WHERE subject='logs' AND days < 365") == set()
    assert doc_ids("SELECT DISTINCT doc_id FROM retention_periods "
                   "WHERE subject='logs' AND days >= 365 AND bound='min'") == {T003, T004}
    # ... and the vendors that give no number for their logs (一定期間, 保存期間を定め, 特に区切っていない)
    assert doc_ids("SELECT DISTINCT doc_id FROM retention_periods WHERE subject='logs' AND days IS NULL") \
        == {T003, P002}
    # customer data deleted within 30 days of the contract's end
    rows = con.sql("SELECT doc_id, value, unit, bound, days, anchor FROM retention_periods "
                   "WHERE subject='customer_data' AND action='delete' AND days <= 30 ORDER BY doc_id").fetchall()
    assert rows == [(T003, 30.0, "day", "exact", 30.0, "契約終了"),
                    (T004, 10.0, "business_day", "max", 14.0, "解約日")]
    # the same answer as pandas
    ret = t.retention_periods
    assert set(ret[(ret.subject == "logs") & (ret.days >= 365)].doc_id) == {T003, T004}


def test_duckdb_join_controls_with_documents(t):
    con = t.duckdb()
    rows = con.sql("""
        SELECT d.doc_id, d.title, d.format, count(DISTINCT c.control_id) AS n_controls,
               count(DISTINCT c.control_id) FILTER (WHERE c.framework = 'ISO/IEC 27017:2015 CLD') AS n_cld
        FROM controls c JOIN documents d USING (doc_id)
        GROUP BY ALL ORDER BY d.doc_id
    """).fetchall()
    by_doc = {r[0]: r[1:] for r in rows}
    assert set(by_doc) == {P002, T003, T004}
    assert "Cloud Farm" in by_doc[P002][0] and by_doc[P002][1] == "pdf"
    assert "コミュたす" in by_doc[T004][0] and by_doc[T004][1] == "text"
    # 002 and 004 name a control in nearly every heading; 003 only through inferred headings
    assert by_doc[P002][2] >= 30 and by_doc[T004][2] >= 30 and 1 <= by_doc[T003][2] < 20
    assert by_doc[P002][3] >= 1 and by_doc[T004][3] >= 1
    # the same answer as pandas
    expected = t.controls.groupby("doc_id").control_id.nunique().to_dict()
    assert {k: v[2] for k, v in by_doc.items()} == expected
    titles = t.documents.set_index("doc_id").title
    assert all(by_doc[d][0] == titles[d] for d in by_doc)
    # a control every document covers, with the catalogue's Japanese title
    backup = con.sql("SELECT DISTINCT doc_id, catalog_title FROM controls WHERE control_id = 'A.12.3.1'").fetchall()
    assert {r[0] for r in backup} == {P002, T003, T004} and {r[1] for r in backup} == {"情報のバックアップ"}


def test_duckdb_into_an_existing_connection(t):
    import duckdb
    con = duckdb.connect()
    assert t.duckdb(con) is con
    assert con.sql("SELECT count(*) FROM log_timezones WHERE iana_tz = 'UTC'").fetchall()[0][0] == 1


# --- Polars ---------------------------------------------------------------------------

def test_polars_reads_the_same_files(t, out):
    import polars as pl
    for name in TABLES:
        for path in (t.files[name], out / f"{name}.parquet"):
            df = pl.read_parquet(path)
            assert df.columns == [c.name for c in TABLES[name]], name
            assert df.height == len(t[name]), name
            for col in TABLES[name]:
                dtype = df.schema[col.name]
                if col.type == pa.string():
                    assert dtype == pl.String, (name, col.name, dtype)
                elif col.type == pa.int32():
                    assert dtype == pl.Int32, (name, col.name, dtype)
                elif col.type == pa.float64():
                    assert dtype == pl.Float64, (name, col.name, dtype)
                elif col.type == pa.bool_():
                    assert dtype == pl.Boolean, (name, col.name, dtype)
                elif pa.types.is_timestamp(col.type):
                    assert dtype == pl.Datetime("us", "UTC"), (name, col.name, dtype)
                elif pa.types.is_date(col.type):
                    assert dtype == pl.Date, (name, col.name, dtype)
                elif pa.types.is_list(col.type):
                    assert dtype == pl.List(pl.String), (name, col.name, dtype)
    docs = pl.read_parquet(t.files["documents"])
    assert docs.schema["ingested_at"].time_zone == "UTC"
    logs = (pl.read_parquet(t.files["retention_periods"])
            .filter((pl.col("subject") == "logs") & (pl.col("days") >= 365))["doc_id"].unique().sort().to_list())
    assert logs == sorted([T003, T004])
    sections = pl.read_parquet(t.files["sections"])
    assert sections["control_ids"].list.len().max() >= 1
