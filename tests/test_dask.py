"""``--executor dask``: the same tables as a local run, whether Dask starts a
local cluster or connects to a scheduler; task failures and time limits come
back as TaskFailure, in order."""
from __future__ import annotations

import os

import pytest

from conftest import REPO, ingest, needs_corpus, read_table, run_cli
from test_jobs import assert_same_tables, small_corpus

distributed = pytest.importorskip("distributed")

from pipeline.executor import TaskFailure  # noqa: E402


@pytest.fixture
def worker_env(monkeypatch):
    """Workers spawned from this process import ``pipeline`` from the checkout."""
    monkeypatch.setenv("PYTHONPATH", str(REPO) + (os.pathsep + os.environ["PYTHONPATH"]
                                                  if os.environ.get("PYTHONPATH") else ""))


@needs_corpus
def test_dask_local_cluster_publishes_the_same_tables_as_a_local_run(tmp_path):
    src = small_corpus(tmp_path / "src")
    local, dask = tmp_path / "local", tmp_path / "dask"
    r1 = ingest(src, local, "--full", jobs=2, tokens=True)
    r2 = ingest(src, dask, "--full", "--executor", "dask", jobs=2, tokens=True)
    assert r1.returncode == 1, r1.stderr
    assert r2.returncode == 1, r2.stderr      # the two broken files, reported the same way
    counts = assert_same_tables(local, dask)
    assert counts["documents"] == 9 and counts["tokens"] > 10_000
    # source_path is the client's path, although the workers only saw bytes
    docs = read_table(dask, "documents").set_index("doc_id")
    assert docs.loc["truncated.pdf", "status"] == "failed"
    assert docs.loc["000_1bec0d2da552fb1f.txt", "source_path"] == str((src / "000_1bec0d2da552fb1f.txt").resolve())
    # an unchanged re-run is served from the cache, with no cluster at all
    r3 = ingest(src, dask, "--executor", "dask", "--log-json", "-", jobs=2)
    assert r3.returncode == 1 and '"unchanged": 9' in r3.stdout


@needs_corpus
def test_dask_scheduler_address(tmp_path, worker_env):
    src = small_corpus(tmp_path / "src")
    for p in src.glob("*.pdf"):           # texts only: quick
        p.unlink()
    local, remote = tmp_path / "local", tmp_path / "remote"
    assert ingest(src, local, jobs=1).returncode == 0
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        r = ingest(src, remote, "--scheduler", cluster.scheduler_address, jobs=1)
    assert r.returncode == 0, r.stderr
    assert_same_tables(local, remote, ("documents", "sections", "controls", "retention_periods",
                                       "time_targets", "log_timezones", "issues"))


def test_scheduler_needs_the_dask_executor(tmp_path):
    (tmp_path / "src").mkdir()
    r = run_cli("ingest", tmp_path / "src", "--out", tmp_path / "out", "--executor", "local",
                "--scheduler", "tcp://127.0.0.1:8786")
    assert r.returncode == 2 and "--scheduler needs --executor dask" in r.stderr


def test_failures_and_timeouts_come_back_in_order(worker_env):
    from pipeline.dask_executor import run_dask_tasks
    tasks = [("6 * 7",), ("1 / 0",), ("__import__('time').sleep(60)",), ("'x' * 3",),
             ("__import__('os')._exit(1)",), ("len('yyyyyyyyyy')",)]
    out = list(run_dask_tasks(eval, tasks, jobs=2, timeout=3, mem_limit_mb=2048))
    assert out[0] == 42 and out[3] == "xxx" and out[5] == 10
    assert isinstance(out[1], TaskFailure) and out[1].code == "internal_error"
    assert out[1].message.startswith("ZeroDivisionError")
    assert out[2] == TaskFailure("timeout", "stopped after 3 s (per-file time limit)")
    assert isinstance(out[4], TaskFailure) and out[4].code == "worker_crash"


def test_no_tasks_starts_no_cluster():
    from pipeline.dask_executor import run_dask_tasks
    assert list(run_dask_tasks(eval, [], jobs=2)) == []


class _Future:
    def __init__(self, key, status="pending"):
        self.key, self.status, self.cancelled = key, status, False

    def cancel(self):
        self.cancelled = True

    def release(self):
        pass


class _Client:
    def __init__(self, workers):
        self.workers, self.restarted = workers, []

    def scheduler_info(self, n_workers=-1):
        return {"workers": {w: {} for w in self.workers}}

    def restart_workers(self, addresses, raise_for_error=True):
        self.restarted.extend(addresses)


def _timeout_state(status, worker, alive):
    """One in-flight task that started 10 s ago on *worker*; time limit 3 s."""
    import time
    from pipeline.dask_executor import _enforce_timeout
    fut = _Future("kanrisaku-x-0", status)
    inflight, submitted, started, done = {0: fut}, {0: time.monotonic() - 10}, \
        {fut.key: (time.monotonic() - 10, worker)}, {}
    client = _Client(alive)
    _enforce_timeout(client, 3, inflight, submitted, {}, started, done)
    return client, fut, inflight, submitted, started, done


def test_crash_result_waiting_to_be_collected_is_not_a_timeout():
    """Regression (CI, test_failures_and_timeouts_come_back_in_order): the loop
    was blocked fetching another result while a crashed task's error arrived;
    the time check then reported the crash as a timeout."""
    client, fut, inflight, _, _, done = _timeout_state("error", "tcp://w1", ["tcp://w1"])
    assert done == {} and 0 in inflight and not fut.cancelled and client.restarted == []


def test_task_whose_worker_died_gets_a_fresh_clock_not_a_timeout():
    client, fut, inflight, submitted, started, done = _timeout_state("processing", "tcp://dead", ["tcp://w2"])
    assert done == {} and 0 in inflight and not fut.cancelled
    assert fut.key not in started and client.restarted == []


def test_task_over_the_limit_on_a_live_worker_times_out_and_restarts_it():
    client, fut, inflight, _, _, done = _timeout_state("processing", "tcp://w1", ["tcp://w1", "tcp://w2"])
    assert done == {0: TaskFailure("timeout", "stopped after 3 s (per-file time limit)")}
    assert fut.cancelled and inflight == {} and client.restarted == ["tcp://w1"]
