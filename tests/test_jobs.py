"""The number of worker processes does not change a single row: ``--jobs 1``
and ``--jobs 2`` publish identical document tables."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from conftest import BAD_DIR, PDF_DIR, SEED_PATHS, SEEDS_DIR, copy_into, ingest, needs_corpus, read_table

DOCUMENT_TABLES = ("documents", "sections", "controls", "retention_periods", "time_targets",
                   "log_timezones", "issues", "tokens")
# Keys that identify a row of each table (the comparison sorts by every column anyway).
KEYS = {"documents": ["doc_id"], "sections": ["doc_id", "section_index"], "controls": ["doc_id", "control_id"],
        "tokens": ["doc_id", "section_index", "sentence_index", "token_index"]}
VOLATILE = ["run_id", "ingested_at"]


def _cell(v) -> str:
    if hasattr(v, "tolist"):
        v = v.tolist()
    if isinstance(v, float) and v != v:
        v = None
    return json.dumps(v, ensure_ascii=False, default=str, sort_keys=True)


def canonical(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table without run-specific columns, every cell as text, rows sorted
    by the table's keys and then by every column."""
    df = df.drop(columns=[c for c in VOLATILE if c in df.columns])
    df = df.apply(lambda col: col.map(_cell))
    keys = [k for k in KEYS.get(table, []) if k in df.columns]
    return df.sort_values(keys + [c for c in df.columns if c not in keys]).reset_index(drop=True)


def assert_same_tables(a: Path, b: Path, tables=DOCUMENT_TABLES) -> dict[str, int]:
    """Every document table of output folders *a* and *b* is the same; returns row counts."""
    counts = {}
    for table in tables:
        x, y = canonical(read_table(a, table), table), canonical(read_table(b, table), table)
        assert list(x.columns) == list(y.columns), table
        assert len(x) == len(y), f"{table}: {len(x)} rows vs {len(y)}"
        pd.testing.assert_frame_equal(x, y, obj=table)
        counts[table] = len(x)
    return counts


def small_corpus(folder: Path) -> Path:
    """The five seed texts, two PDFs and two broken files."""
    pdfs = sorted(p for p in PDF_DIR.glob("*.pdf") if "scanned" not in p.name)[:2]
    copy_into(folder, *SEED_PATHS, *pdfs, BAD_DIR / "truncated.pdf", BAD_DIR / "empty.pdf")
    return folder


@needs_corpus
def test_jobs_1_and_2_publish_identical_tables(tmp_path):
    src = small_corpus(tmp_path / "src")
    one, two = tmp_path / "one", tmp_path / "two"
    r1 = ingest(src, one, "--full", jobs=1, tokens=True)
    r2 = ingest(src, two, "--full", jobs=2, tokens=True)
    assert r1.returncode == 1, r1.stderr        # 1: the broken files were reported, the rest read
    assert r2.returncode == 1, r2.stderr
    counts = assert_same_tables(one, two)
    assert counts["documents"] == 9
    assert counts["tokens"] > 10_000 and counts["controls"] > 100
    statuses = read_table(two, "documents").set_index("doc_id")["status"].to_dict()
    assert statuses["truncated.pdf"] == "failed" and statuses["empty.pdf"] == "empty"
    assert sum(s == "ok" for s in statuses.values()) == 7


def test_worker_address_space_stays_small_after_writing_arrow_files(tmp_path):
    """Regression: closing an Arrow IPC file writer made the default
    allocator (mimalloc) reserve ~1 GB of address space; once workers wrote
    the cache's IPC files themselves, a worker under --memory-limit-mb 1500
    could no longer map Sudachi's dictionary. pipeline asks for the system
    allocator before pyarrow is imported."""
    import subprocess
    import sys
    code = ("import pipeline.ingest as i, pathlib, sys;"
            f"p = pathlib.Path({str(SEEDS_DIR)!r}) / '000_1bec0d2da552fb1f.txt';"
            "i._process_task_arrow(p.name, str(p), None, True);"
            "print(int(open('/proc/self/statm').read().split()[0]) * 4096 >> 20)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout.strip()) < 900, out.stdout        # MB of address space (was ~1,360)


def _touch(folder: str, key: int) -> int:
    Path(folder, f"started-{key}").touch()
    return key


def test_next_file_is_handed_out_before_a_result_is_returned(tmp_path):
    """Regression: a worker that finished a file got its next one only when
    the batch process asked for the next result, so it sat idle while the
    batch wrote the previous document's tables and cache entry. Now the next
    file is sent before a result is handed over: while the caller holds
    result 0 (and asks for nothing), the single worker starts file 1."""
    import time
    from pipeline.executor import run_tasks
    results = run_tasks(_touch, [(str(tmp_path), k) for k in range(3)], jobs=1, timeout=60)
    assert next(results) == 0
    deadline = time.monotonic() + 30
    while not (tmp_path / "started-1").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (tmp_path / "started-1").exists()
    assert list(results) == [1, 2]
