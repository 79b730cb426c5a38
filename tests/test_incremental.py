"""Incremental runs of the real CLI: cache, change detection, deletions,
published generations and independence from the number of workers."""
from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from conftest import REPO, BAD_DIR, DOCUMENT_TABLES, PDF_DIR, SEEDS_DIR, copy_into, ingest, needs_corpus, read_table

pytestmark = needs_corpus

S000 = "000_1bec0d2da552fb1f.txt"
S002 = "002_eada6c19ad08a7de.txt"
S004 = "004_ff33830aca502d81.txt"
VOLATILE = ["run_id", "ingested_at"]


def snapshot(out) -> dict[str, pd.DataFrame]:
    return {t: read_table(out, t) for t in (*DOCUMENT_TABLES, "runs", "changes")}


def stable(df: pd.DataFrame, drop=()) -> pd.DataFrame:
    """A table without per-run columns, in a canonical row order."""
    df = df.drop(columns=[c for c in (*VOLATILE, *drop) if c in df.columns])
    keys = [c for c in ("doc_id", "section_index", "sentence_index", "token_index", "char_start", "control_id",
                        "subject", "kind", "scope", "code") if c in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True) if keys else df.reset_index(drop=True)


def assert_frames(a: pd.DataFrame, b: pd.DataFrame, obj: str) -> None:
    """Equal frames; two empty frames only need the same columns (pandas gives
    an all-null int column float64 when there are rows, int32 when there are none)."""
    if len(a) == 0 and len(b) == 0:
        assert list(a.columns) == list(b.columns), obj
        return
    pd.testing.assert_frame_equal(a, b, obj=obj)


def assert_same_tables(a: dict, b: dict, drop=()) -> None:
    for table in DOCUMENT_TABLES:
        assert_frames(stable(a[table], drop), stable(b[table], drop), obj=table)


def last_run(snap) -> pd.Series:
    return snap["runs"].iloc[-1]


def counts(run: pd.Series) -> tuple:
    return (int(run.n_new), int(run.n_changed), int(run.n_unchanged), int(run.n_deleted), int(run.n_failed))


def producing_run(snap):
    """The run that built the published document tables: the last run that
    read anything (an unchanged re-run republishes the set it found)."""
    runs = snap["runs"]
    built = runs[(runs.n_new + runs.n_changed + runs.n_deleted) > 0]
    return (built if len(built) else runs).iloc[-1]


def assert_single_run_id(snap) -> None:
    run_id = producing_run(snap).run_id
    for table in DOCUMENT_TABLES:
        ids = set(snap[table].run_id)
        assert ids <= {run_id}, table
        if len(snap[table]):
            assert ids == {run_id}, table


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Four runs on one output folder: first, unchanged, one file edited, one file deleted."""
    base = tmp_path_factory.mktemp("incremental")
    folder, out = base / "in", base / "out"
    copy_into(folder, SEEDS_DIR / S000, SEEDS_DIR / S002, SEEDS_DIR / S004)
    snaps, codes = [], []

    def run():
        res = ingest(folder, out)
        codes.append(res.returncode)
        snaps.append(snapshot(out))

    run()
    run()
    p = folder / S004
    text = p.read_text(encoding="utf-8")
    assert text.count("過去 35 日分") == 1
    p.write_text(text.replace("過去 35 日分", "過去 14 日分"), encoding="utf-8")
    run()
    (folder / S000).unlink()
    run()
    return snaps, codes


def test_all_runs_succeed(history):
    _, codes = history
    assert codes == [0, 0, 0, 0]


def test_runs_table_counts(history):
    snaps, _ = history
    runs = snaps[-1]["runs"]
    assert len(runs) == 4
    assert [counts(r) for _, r in runs.iterrows()] == [
        (3, 0, 0, 0, 0),   # first run: all new
        (0, 0, 3, 0, 0),   # unchanged input: nothing re-read
        (0, 1, 2, 0, 0),   # one file edited
        (0, 0, 2, 1, 0),   # one file deleted
    ]
    assert list(runs.exit_status) == ["ok"] * 4
    assert runs.run_id.is_unique
    assert list(runs.run_id) == list(snaps[2]["runs"].run_id) + [runs.run_id.iloc[-1]]


def test_unchanged_second_run_gives_identical_tables(history):
    snaps, _ = history
    assert counts(last_run(snaps[1])) == (0, 0, 3, 0, 0)
    assert_same_tables(snaps[0], snaps[1])
    # nothing was re-read: the documents rows keep their first ingestion time
    first = snaps[0]["documents"].set_index("doc_id").ingested_at
    second = snaps[1]["documents"].set_index("doc_id").ingested_at
    pd.testing.assert_series_equal(first.sort_index(), second.sort_index())
    assert len(snaps[1]["changes"]) == 0


@pytest.mark.parametrize("k", [
    0,
    1,      # unchanged re-run: rows keep the run_id of the run that produced them
    2,
    3,
])
def test_published_set_has_one_run_id(history, k):
    assert_single_run_id(history[0][k])


def test_edit_re_extracts_only_that_file(history):
    snaps, _ = history
    before, after = snaps[1], snaps[2]
    docs_b = before["documents"].set_index("doc_id")
    docs_a = after["documents"].set_index("doc_id")
    assert docs_a.loc[S004].sha256 != docs_b.loc[S004].sha256
    assert docs_a.loc[S004].ingested_at > docs_b.loc[S004].ingested_at
    for doc_id in (S000, S002):
        assert docs_a.loc[doc_id].ingested_at == docs_b.loc[doc_id].ingested_at
        assert docs_a.loc[doc_id].sha256 == docs_b.loc[doc_id].sha256
    # the other documents' rows are exactly as before
    keep = {t: before[t][before[t].doc_id != S004] for t in DOCUMENT_TABLES}
    now = {t: after[t][after[t].doc_id != S004] for t in DOCUMENT_TABLES}
    assert_same_tables(keep, now)


def test_edit_shows_in_changes_table(history):
    snaps, _ = history
    ch = snaps[2]["changes"]
    run_id = last_run(snaps[2]).run_id
    assert set(ch.run_id) == {run_id}
    old_sha = snaps[1]["documents"].set_index("doc_id").loc[S004].sha256
    new_sha = snaps[2]["documents"].set_index("doc_id").loc[S004].sha256
    got = sorted(zip(ch.doc_id, ch.table, ch.change, ch.fact, ch.old_sha256, ch.new_sha256))
    assert got == sorted([
        (S004, "retention_periods", "appeared", "backups retain 14 day (exact)", old_sha, new_sha),
        (S004, "retention_periods", "disappeared", "backups retain 35 day (exact)", old_sha, new_sha),
    ])
    ev = dict(zip(ch.change, ch.evidence))
    assert "過去 14 日分のバックアップデータ" in ev["appeared"]
    assert "過去 35 日分のバックアップデータ" in ev["disappeared"]
    rp = snaps[2]["retention_periods"]
    mine = rp[(rp.doc_id == S004) & (rp.subject == "backups") & (rp.action == "retain")]
    assert list(zip(mine.value, mine.unit, mine.days)) == [(14.0, "day", 14.0)]


def test_deletion_removes_rows_everywhere(history):
    snaps, _ = history
    before, after = snaps[2], snaps[3]
    assert counts(last_run(after)) == (0, 0, 2, 1, 0)
    for table in DOCUMENT_TABLES:
        assert (after[table].doc_id == S000).sum() == 0, table
        kept = before[table][before[table].doc_id != S000]
        assert_frames(stable(kept), stable(after[table]), obj=table)
    assert sorted(after["documents"].doc_id) == [S002, S004]
    # the deletion is recorded: every fact and control of the file disappeared
    ch = after["changes"]
    run_id = last_run(after).run_id
    gone = ch[ch.run_id == run_id]
    assert set(gone.doc_id) == {S000} and set(gone.change) == {"disappeared"}
    assert set(gone.new_sha256.isna()) == {True}
    n_controls = before["controls"][before["controls"].doc_id == S000].control_id.nunique()
    assert (gone.table == "controls").sum() == n_controls
    for table in ("retention_periods", "time_targets", "log_timezones"):
        assert (gone.table == table).sum() > 0 or (before[table].doc_id == S000).sum() == 0
    # earlier change rows are kept as history
    assert len(ch[ch.run_id != run_id]) == len(before["changes"])


def test_suggested_log_retention_edit(tmp_path):
    """`1年間以上保存` -> `6か月間保存` in seed 004: the new fact appears. The
    1-year fact does not disappear, because another sentence of the seed
    (サービス解約後も1年間はクラウド上に保存されます) still states it."""
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, SEEDS_DIR / S004)
    assert ingest(folder, out).returncode == 0
    p = folder / S004
    p.write_text(p.read_text(encoding="utf-8").replace("1年間以上保存", "6か月間保存"), encoding="utf-8")
    assert ingest(folder, out).returncode == 0
    ch = read_table(out, "changes")
    assert list(zip(ch.table, ch.change, ch.fact)) == [("retention_periods", "appeared", "logs retain 6 month (exact)")]
    rp = read_table(out, "retention_periods")
    logs = rp[(rp.subject == "logs") & (rp.action == "retain")]
    assert sorted(zip(logs.value, logs.unit, logs.bound)) == [(1.0, "year", "min"), (6.0, "month", "exact")]


def test_full_rereads_everything_but_counts_unchanged(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, SEEDS_DIR / S002, SEEDS_DIR / S004)
    assert ingest(folder, out).returncode == 0
    first = snapshot(out)
    assert ingest(folder, out, "--full").returncode == 0
    second = snapshot(out)
    assert counts(last_run(second)) == (0, 0, 2, 0, 0)
    assert (second["documents"].ingested_at > first["documents"].ingested_at.max()).all()
    assert_same_tables(first, second)
    assert len(second["changes"]) == 0


def test_jobs_1_and_2_give_identical_tables(tmp_path):
    folder = tmp_path / "in"
    copy_into(folder, SEEDS_DIR / S002, SEEDS_DIR / S004, PDF_DIR / "004_ff33830aca502d81.pdf")
    runs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        res = ingest(folder, out, jobs=jobs, tokens=True)
        assert res.returncode == 0, res.stderr
        runs[jobs] = snapshot(out)
    assert len(runs[1]["tokens"]) > 0
    assert_same_tables(runs[1], runs[2])
    # also the order in which rows were written
    for table in DOCUMENT_TABLES:
        a = runs[1][table].drop(columns=[c for c in VOLATILE if c in runs[1][table].columns])
        b = runs[2][table].drop(columns=[c for c in VOLATILE if c in runs[2][table].columns])
        assert_frames(a.reset_index(drop=True), b.reset_index(drop=True), obj=table)


def test_bad_file_fixed_and_good_file_renamed(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, BAD_DIR / "binary.txt", BAD_DIR / "sjis.txt")
    assert ingest(folder, out).returncode == 1
    first = snapshot(out)
    assert dict(zip(first["documents"].doc_id, first["documents"].status)) == {"binary.txt": "failed",
                                                                               "sjis.txt": "ok"}
    (folder / "binary.txt").write_bytes((SEEDS_DIR / S004).read_bytes())
    (folder / "sjis.txt").rename(folder / "renamed.txt")
    assert ingest(folder, out).returncode == 0
    second = snapshot(out)
    assert counts(last_run(second)) == (1, 1, 0, 1, 0)
    assert dict(zip(second["documents"].doc_id, second["documents"].status)) == {"binary.txt": "ok",
                                                                                "renamed.txt": "ok"}
    assert_single_run_id(second)
    ch = second["changes"]
    assert set(zip(ch.doc_id, ch.change)) == {("binary.txt", "appeared"), ("sjis.txt", "disappeared")}
    n_ctrl = first["controls"].control_id.nunique()
    assert ((ch.doc_id == "sjis.txt") & (ch.table == "controls")).sum() == n_ctrl
    # the renamed file's rows are the old file's rows under the new doc_id
    for table in ("sections", "controls", "retention_periods", "time_targets", "log_timezones"):
        old = first[table][first[table].doc_id == "sjis.txt"].assign(doc_id="renamed.txt")
        new = second[table][second[table].doc_id == "renamed.txt"]
        assert_frames(stable(old), stable(new), obj=table)
    assert (second["issues"].doc_id == "binary.txt").sum() == 0


PROBE = """
import sys
from pipeline import cli
try:
    cli.main(sys.argv[1:])
except SystemExit as e:
    code = e.code
else:
    code = 0
heavy = ("pandas", "sudachipy", "spacy", "pdfplumber", "pypdfium2", "pipeline.process", "pyarrow", "numpy",
         "multiprocessing", "dataclasses")
print(code, sorted(m for m in heavy if m in sys.modules))
"""


def test_unchanged_rerun_imports_no_parser_no_arrow_and_no_pool(tmp_path):
    """An unchanged nightly run costs little more than starting Python: it
    loads no parser and no model, no worker pool, and not even pyarrow with
    numpy (the one new row of runs is written by pipeline.parquet_lite)."""
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, SEEDS_DIR / S000, PDF_DIR / "000_1bec0d2da552fb1f.pdf")
    assert ingest(folder, out).returncode == 0
    env = dict(os.environ, PYTHONPATH=str(REPO))
    argv = ["ingest", str(folder), "--out", str(out), "--quiet", "--no-tokens"]
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "0 []", proc.stderr
    assert counts(last_run(snapshot(out))) == (0, 0, 2, 0, 0)


# -- the stat signature: unchanged files are not read again ------------------------

def _run_in_process(folder, out):
    from pipeline.ingest import Options, run_ingest
    return run_ingest(folder, out, Options(jobs=1, with_tokens=False, progress=False), log=lambda *a: None)


def test_unchanged_file_is_not_read_again_but_a_rewrite_is(tmp_path, monkeypatch):
    """A file whose device, inode, size, mtime and ctime are as recorded is
    not read (nor hashed) again; rewriting it with bytes of the same length
    and putting its mtime back still moves its ctime, so it is read."""
    from pipeline import ingest as ing
    monkeypatch.setattr(ing, "_RACY_SECONDS", -1.0)      # trust the signatures of files just written
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, SEEDS_DIR / S002, SEEDS_DIR / S004)
    _run_in_process(folder, out)
    reads = []
    real = ing._read_bytes
    monkeypatch.setattr(ing, "_read_bytes", lambda path, mb: reads.append(path.name) or real(path, mb))
    summary = _run_in_process(folder, out)
    assert reads == [] and summary.counts["unchanged"] == 2

    p = folder / S004
    st = p.stat()
    text = p.read_text(encoding="utf-8")
    assert "1年間以上保存" in text
    p.write_text(text.replace("1年間以上保存", "2年間以上保存", 1), encoding="utf-8")   # as many bytes
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert p.stat().st_size == st.st_size and p.stat().st_mtime_ns == st.st_mtime_ns
    summary = _run_in_process(folder, out)
    assert reads == [S004]
    assert summary.counts["changed"] == 1 and summary.counts["unchanged"] == 1


def test_file_changed_just_now_gets_no_signature(tmp_path):
    """Racy rule: a file changed less than two seconds before the run could
    change again within the clock's resolution; it is hashed next time."""
    import json
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, SEEDS_DIR / S002)
    _run_in_process(folder, out)
    manifest = json.loads((out / ".kanrisaku" / "manifest.json").read_text())
    assert "stat" not in manifest[S002]


def test_unchanged_rerun_records_signatures_that_settled(tmp_path, monkeypatch):
    """Regression: files hashed while racy got no signature, and the
    unchanged re-run never saved the manifest, so they were hashed on every
    run after. It saves the signatures that settled; the next run reads nothing."""
    import json
    from pipeline import ingest as ing
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, SEEDS_DIR / S002, SEEDS_DIR / S004)
    monkeypatch.setattr(ing, "_RACY_SECONDS", 1e9)         # every file counts as just changed
    _run_in_process(folder, out)
    manifest = out / ".kanrisaku" / "manifest.json"
    assert not any("stat" in e for e in json.loads(manifest.read_text()).values())
    monkeypatch.setattr(ing, "_RACY_SECONDS", -1.0)         # now they have settled
    assert _run_in_process(folder, out).counts["unchanged"] == 2
    entries = json.loads(manifest.read_text())
    assert all(len(e["stat"]) == 5 for e in entries.values())
    reads = []
    real = ing._read_bytes
    monkeypatch.setattr(ing, "_read_bytes", lambda path, mb: reads.append(path.name) or real(path, mb))
    assert _run_in_process(folder, out).counts["unchanged"] == 2
    assert reads == []


def test_unchanged_rerun_reports_what_a_full_run_reports(tmp_path):
    """The unchanged re-run's summary comes from the manifest (no table is
    read): the same statuses, failure messages, controls and exit code."""
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, SEEDS_DIR / S002, BAD_DIR / "empty.pdf", BAD_DIR / "sjis.txt")
    first = _run_in_process(folder, out)
    again = _run_in_process(folder, out)
    assert again.counts["unchanged"] == 3 and again.counts["new"] == 0
    assert first.by_status == again.by_status and first.by_status.get("empty") == 1
    assert first.failures == again.failures and len(first.failures) == 1
    assert first.n_controls == again.n_controls > 10
    assert first.exit_code == again.exit_code == 1


@pytest.mark.parametrize("damage", ["missing", "not json", "a row edited", "a column missing"])
def test_runs_history_survives_a_damaged_sidecar(tmp_path, damage):
    """runs.parquet is rewritten from runs.json, kept beside it in the
    published set; an output folder of an earlier version (no runs.json) or
    an edited one falls back to reading the published runs.parquet."""
    import json
    from pipeline import history
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, SEEDS_DIR / S002)
    ids = [_run_in_process(folder, out).run_id for _ in range(2)]
    sidecar = out / "current" / history.SIDECAR
    rows = json.loads(sidecar.read_text())
    assert [r["run_id"] for r in rows] == ids
    sidecar.unlink()                             # (a new file: the generation's own is never written through)
    if damage == "not json":
        sidecar.write_text("{]")
    elif damage == "a row edited":
        rows[0]["n_new"] = "many"
        sidecar.write_text(json.dumps(rows))
    elif damage == "a column missing":
        del rows[1]["duration_s"]
        sidecar.write_text(json.dumps(rows))
    ids.append(_run_in_process(folder, out).run_id)
    runs = read_table(out, "runs")
    assert list(runs.run_id) == ids
    assert counts(runs.iloc[0]) == (1, 0, 0, 0, 0) and counts(runs.iloc[2]) == (0, 0, 1, 0, 0)
    assert [r["run_id"] for r in json.loads(sidecar.read_text())] == ids


def test_runs_table_has_the_schema_and_values_pyarrow_would_write(tmp_path):
    """The runs file written without pyarrow reads back with this version's
    Arrow schema (metadata included), in pyarrow and in DuckDB."""
    import datetime as dt
    import duckdb
    import pyarrow.parquet as pq
    from pipeline.arrow_tables import arrow_schema
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, SEEDS_DIR / S002)
    summaries = [_run_in_process(folder, out) for _ in range(2)]
    t = pq.read_table(out / "runs.parquet")
    assert t.schema.equals(arrow_schema("runs"), check_metadata=True)
    assert t.column("started_at").to_pylist() == [s.started_at for s in summaries]
    assert t.column("finished_at").to_pylist() == [s.finished_at for s in summaries]
    assert t.column("exit_status").to_pylist() == ["ok", "ok"]
    db = duckdb.sql(f"SELECT run_id, n_new, n_unchanged, epoch_us(started_at) FROM '{out / 'runs.parquet'}'").fetchall()
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    assert db == [(s.run_id, s.counts["new"], s.counts["unchanged"], (s.started_at - epoch) // dt.timedelta(microseconds=1))
                  for s in summaries]
