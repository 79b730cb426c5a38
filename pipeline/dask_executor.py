"""Run per-document work on a Dask cluster instead of local worker processes.

:func:`run_dask_tasks` has the contract of :func:`pipeline.executor.run_tasks`:
it yields ``func(*task)`` for every task, in submission order, and a task that
did not return yields a :class:`~pipeline.executor.TaskFailure` (``timeout``,
``memory_limit``, ``worker_crash`` or ``internal_error``). Everything else of
an ingest (cache, manifest, atomic publish, changes, runs) stays on the
client, so the tables do not depend on where the documents were processed.

* Without a scheduler address a :class:`distributed.LocalCluster` is started
  on this machine: ``jobs`` worker processes with one thread each, each with
  ``mem_limit_mb`` of memory (the nanny restarts a worker above 95 %).
* With ``scheduler="tcp://host:8786"`` a :class:`distributed.Client` connects
  to a running cluster. Its workers need kanrisaku installed (same version:
  they import ``pipeline``) but not the input files: tasks carry the bytes.

Memory stays bounded on the client: at most ``2 x threads`` tasks are in
flight and at most ``window`` results wait in the reorder buffer for an
earlier, slower document. Per-task time limits: every task reports when it
starts on a worker (a Dask event); one running longer than ``timeout`` is
reported, cancelled and its worker restarted (workers under a nanny, as
``dask worker`` starts them by default), the work queued on that worker is
rescheduled elsewhere. A worker that dies (crash, out of memory) has its task
retried elsewhere up to the scheduler's ``allowed-failures`` (1 on the local
cluster), then the task is reported as ``worker_crash``.

This module imports ``distributed``; :mod:`pipeline.ingest` imports it only
for ``--executor dask``, so local runs do not need Dask installed.
"""
from __future__ import annotations

import logging
import secrets
import time
import traceback
from typing import Callable, Iterable, Iterator

import dask
import distributed
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from .executor import MEMORY_MESSAGE, TaskFailure, is_memory_error

START_TOPIC = "kanrisaku-task-start"
SCATTER_BYTES = 2 * 1024 * 1024      # larger arguments go to a worker directly, not through the scheduler
CONNECT_TIMEOUT = 30.0
TERMINAL = ("finished", "error", "cancelled")   # future states that need no more waiting


class DaskUnavailable(RuntimeError):
    """The cluster could not be started or reached."""


def _call(func: Callable, key: str, *args):
    """Worker side: announce the start (for the time limit), run, and turn
    errors into the same TaskFailure values as the local executor."""
    try:
        worker = distributed.get_worker()
        worker.log_event(START_TOPIC, {"key": key, "worker": worker.address})
    except Exception:  # noqa: BLE001 - the time limit then counts from submission
        pass
    try:
        return func(*args)
    except Exception as e:  # noqa: BLE001 - report anything, keep the worker alive
        if is_memory_error(e):
            return TaskFailure("memory_limit", f"{MEMORY_MESSAGE} ({type(e).__name__}: {str(e)[:200]})")
        return TaskFailure("internal_error", f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=5)}")


class _Initializer(WorkerPlugin):
    """Runs the executor's initializer on every worker, restarted ones too."""

    def __init__(self, initializer: Callable):
        self.initializer = initializer

    def setup(self, worker):
        self.initializer()


def _connect(jobs: int, scheduler: str | None, mem_limit_mb: int | None):
    """(client, cluster or None)."""
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise DaskUnavailable(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError):
            client.close()
            raise DaskUnavailable(f"the Dask scheduler at {scheduler} has no workers "
                                  f"(waited {CONNECT_TIMEOUT:.0f} s)") from None
        return client, None
    try:
        # Workers sample their own stacks for the dashboard every 10 ms:
        # a few percent of a core each, for a dashboard we do not start.
        with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                              "distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR,
                                   memory_limit=f"{mem_limit_mb}MiB" if mem_limit_mb else 0)
    except (OSError, TimeoutError, RuntimeError) as e:
        raise DaskUnavailable(f"cannot start a local Dask cluster: {e}") from None
    return Client(cluster, set_as_default=False), cluster


def run_dask_tasks(func: Callable, tasks: Iterable[tuple], *, jobs: int = 1, timeout: float | None = None,
                   mem_limit_mb: int | None = None, initializer: Callable | None = None,
                   scheduler: str | None = None, window: int | None = None) -> Iterator[object]:
    """Like :func:`pipeline.executor.run_tasks`, on Dask. The cluster is
    started (or connected to) here, at the call, so that a scheduler that
    cannot be reached raises :class:`DaskUnavailable` before any result is
    awaited; it is shut down when the returned iterator is exhausted or
    closed. Tasks are read lazily from *tasks*."""
    it = iter(tasks)
    first = next(it, None)
    if first is None:
        return iter(())
    client, cluster = _connect(jobs, scheduler, mem_limit_mb)
    return _results(client, cluster, func, first, it, timeout, initializer, window)


def _results(client: Client, cluster, func, first, rest, timeout, initializer, window) -> Iterator[object]:
    run = secrets.token_hex(4)
    started: dict[str, tuple[float, str]] = {}        # key -> (client clock at start, worker address)

    def on_start(event):
        msg = event[1]
        if isinstance(msg, dict) and str(msg.get("key", "")).startswith(f"kanrisaku-{run}-"):
            started[msg["key"]] = (time.monotonic(), msg.get("worker", ""))

    pending = [first]                   # the task read from *rest* but not yet submitted
    inflight: dict[int, distributed.Future] = {}
    submitted_at: dict[int, float] = {}
    scattered: dict[int, list] = {}
    done: dict[int, object] = {}
    n_submitted = next_out = 0
    try:
        client.subscribe_topic(START_TOPIC, on_start)
        if initializer is not None:
            client.register_plugin(_Initializer(initializer), name=f"kanrisaku-init-{run}")
        threads = max(1, sum(client.nthreads().values()))
        max_inflight = 2 * threads
        max_ahead = window or max(16, 8 * threads)   # in flight + waiting in the reorder buffer
        exhausted = False
        while True:
            # Submit while there is room, in order.
            while (len(inflight) < max_inflight and n_submitted - next_out < max_ahead
                   and not exhausted):
                if not pending:
                    nxt = next(rest, None)
                    if nxt is None:
                        exhausted = True
                        break
                    pending.append(nxt)
                args = list(pending.pop())
                idx, key = n_submitted, f"kanrisaku-{run}-{n_submitted}"
                for i, a in enumerate(args):
                    if isinstance(a, (bytes, bytearray)) and len(a) > SCATTER_BYTES:
                        fut = client.scatter(a, hash=False)
                        scattered.setdefault(idx, []).append(fut)
                        args[i] = fut
                inflight[idx] = client.submit(_call, func, key, *args, key=key, pure=False, retries=0)
                submitted_at[idx] = time.monotonic()
                n_submitted += 1
            if not inflight and exhausted and next_out >= n_submitted:
                return
            if inflight:
                try:
                    with client.as_current():
                        finished = distributed.wait(list(inflight.values()), timeout=0.5,
                                                    return_when="FIRST_COMPLETED").done
                except (TimeoutError, distributed.TimeoutError):
                    finished = set()
                by_key = {f.key: i for i, f in inflight.items()}
                for fut in finished:
                    if fut.status not in TERMINAL:
                        continue        # "lost" with its worker since: Dask computes it again
                    idx = by_key[fut.key]
                    done[idx] = _outcome(fut)
                    _forget(idx, inflight, submitted_at, scattered, started, fut.key)
                for idx, fut in inflight.items():
                    if fut.status == "lost":        # its result died with a worker: the clock restarts
                        started.pop(fut.key, None)
                        submitted_at[idx] = time.monotonic()
                if timeout:
                    _enforce_timeout(client, timeout, inflight, submitted_at, scattered, started, done)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for fut in inflight.values():
            fut.cancel()
        try:
            client.unsubscribe_topic(START_TOPIC)
        except Exception:  # noqa: BLE001
            pass
        client.close()
        if cluster is not None:
            cluster.close()


def _outcome(fut) -> object:
    """The task's value, or a TaskFailure for a task Dask could not run."""
    if fut.status == "finished":
        try:
            return fut.result()
        except Exception as e:  # noqa: BLE001 - lost while fetching
            return TaskFailure("worker_crash", f"the result could not be fetched from the worker: {type(e).__name__}: {e}")
    if fut.status == "cancelled":
        return TaskFailure("worker_crash", "the cluster lost the task (cancelled)")
    try:
        exc = fut.exception()
    except Exception as e:  # noqa: BLE001
        exc = e
    if type(exc).__name__ == "KilledWorker":
        return TaskFailure("worker_crash", "the worker processing this file died (crash or out of memory), "
                                           "also on a second worker")
    if exc is not None and is_memory_error(exc):
        return TaskFailure("memory_limit", f"{MEMORY_MESSAGE} ({type(exc).__name__})")
    return TaskFailure("internal_error", f"{type(exc).__name__}: {exc}")


def _forget(idx, inflight, submitted_at, scattered, started, key) -> None:
    fut = inflight.pop(idx)
    submitted_at.pop(idx, None)
    started.pop(key, None)
    for s in scattered.pop(idx, []):
        s.release()
    fut.release()


def _alive_workers(client) -> set[str] | None:
    """Addresses of the workers the scheduler knows now (None: cannot tell)."""
    try:
        return set(client.scheduler_info(n_workers=-1).get("workers", {}))
    except Exception:  # noqa: BLE001 - e.g. the scheduler is busy; then trust the clock
        return None


def _enforce_timeout(client, timeout, inflight, submitted_at, scattered, started, done) -> None:
    """Report and cancel tasks over the time limit; restart their workers
    (the only way to stop a running Python thread).

    Two cases are not timeouts, although the clock says so: a task whose
    outcome has arrived but was not collected yet (the loop may have been
    blocked fetching another result), and a task whose worker died since it
    started (Dask runs it again elsewhere, so its clock restarts)."""
    now = time.monotonic()
    over = []
    for idx, fut in inflight.items():
        if fut.status in TERMINAL:
            continue                    # the next wait() collects it
        st = started.get(fut.key)
        # Not seen starting: count from submission, with one time limit of
        # queueing allowed (at most 2 tasks per thread are in flight).
        since = st[0] if st else submitted_at[idx] + timeout
        if now - since > timeout:
            over.append((idx, fut, st))
    if not over:
        return
    alive = _alive_workers(client)
    restart = set()
    for idx, fut, st in over:
        worker = st[1] if st else ""
        if worker and alive is not None and worker not in alive:
            started.pop(fut.key, None)
            submitted_at[idx] = now
            continue
        done[idx] = TaskFailure("timeout", f"stopped after {timeout:.0f} s (per-file time limit)")
        fut.cancel()
        if worker:
            restart.add(worker)
        _forget(idx, inflight, submitted_at, scattered, started, fut.key)
    if restart:
        try:
            client.restart_workers(sorted(restart), raise_for_error=False)
        except Exception as e:  # noqa: BLE001 - e.g. workers without a nanny
            logging.getLogger("kanrisaku").warning("could not restart Dask worker(s) %s after a timeout: %s",
                                                   ", ".join(sorted(restart)), e)
