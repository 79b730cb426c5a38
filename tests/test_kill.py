"""Regression test for atomic publish: a run killed with SIGKILL at any
moment leaves a complete, readable, consistent table set, and the next run
recovers by itself."""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline.schema import DOCUMENT_TABLES, TABLES

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"
ROOT = Path(__file__).resolve().parents[1]


def _cli(src: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(src), "--out", str(out),
                             "--jobs", "2", "--no-tokens", "--quiet", *extra],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _assert_consistent(out: Path) -> str | None:
    """Every table of the published set is readable and the document tables
    carry one run_id; returns it (None when nothing was ever published)."""
    if not (out / "current").exists():
        return None
    run_ids = set()
    for name in TABLES:
        t = pq.read_table(out / f"{name}.parquet")
        if name in DOCUMENT_TABLES and t.num_rows:
            run_ids |= set(t.column("run_id").to_pylist())
    assert len(run_ids) == 1, run_ids
    runs = pq.read_table(out / "runs.parquet").column("run_id").to_pylist()
    assert run_ids <= set(runs)       # an unchanged re-run reuses the set it found
    docs = pq.read_table(out / "documents.parquet").column("doc_id").to_pylist()
    assert len(docs) == len(set(docs))
    return run_ids.pop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    for i in range(2):
        for f in SEEDS.glob("*.txt"):
            shutil.copy(f, src / f"{i}_{f.name}")
    return src


def test_sigkill_at_twenty_points_never_leaves_a_mixed_set(corpus, tmp_path):
    out = tmp_path / "out"
    t0 = time.monotonic()
    assert _cli(corpus, out, "--full").wait(timeout=300) == 0
    full = time.monotonic() - t0
    first = _assert_consistent(out)
    assert first is not None
    rng = random.Random(20261122)
    points = sorted(rng.uniform(0.05, 1.0) * full for _ in range(20))
    for k, delay in enumerate(points):
        if k % 3 == 0:       # sometimes change an input, so the killed run had real work
            f = sorted(corpus.glob("*.txt"))[k % 10]
            f.write_text(f.read_text(encoding="utf-8") + f"\n追記 {k}。\n", encoding="utf-8")
        p = _cli(corpus, out, *(["--full"] if k % 2 else []))
        time.sleep(delay)
        os.killpg(p.pid, signal.SIGKILL)
        p.wait(timeout=30)
        _assert_consistent(out)
    # The next run recovers without manual clean-up and publishes a new set.
    assert _cli(corpus, out).wait(timeout=300) == 0
    last = _assert_consistent(out)
    assert last != first
    gens = [p for p in (out / ".kanrisaku" / "gens").iterdir() if p.is_dir()]
    assert len(gens) <= 2
    docs = pq.read_table(out / "documents.parquet").column("doc_id").to_pylist()
    assert len(docs) == 10
