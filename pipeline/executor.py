"""Run per-document work in worker processes, each file isolated.

A small pool of our own (rather than multiprocessing.Pool) so that a file that
hangs the parser or eats memory can be stopped alone: every task has a time
limit, every worker an address-space limit; a worker that dies or overruns is
killed, its file is reported, and a fresh worker takes its place. Results come
back in submission order, so output does not depend on the number of workers.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import time
import traceback
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator


@dataclass(frozen=True)
class TaskFailure:
    """A task that did not return: code is timeout, memory_limit or worker_crash."""
    code: str
    message: str


def _limit_memory(mem_limit_mb: int | None) -> None:
    if not mem_limit_mb:
        return
    try:
        import resource
        limit = mem_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


def _worker(conn, func, mem_limit_mb, initializer):
    _limit_memory(mem_limit_mb)
    if initializer:
        initializer()
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        key, args = msg
        try:
            conn.send((key, "ok", func(*args)))
        except MemoryError:
            conn.send((key, "memory_limit", "the file needed more memory than the per-file limit allows"))
        except BaseException as e:  # noqa: BLE001 - report anything, keep the worker alive
            conn.send((key, "error", f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=5)}"))


class _Slot:
    def __init__(self, ctx, func, mem_limit_mb, initializer):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, func, mem_limit_mb, initializer), daemon=True)
        self.proc.start()
        child.close()
        self.task: int | None = None
        self.started = 0.0

    def kill(self):
        try:
            self.proc.kill()
            self.proc.join(5)
        except Exception:  # noqa: BLE001
            pass
        self.conn.close()


def run_tasks(func: Callable, tasks: Iterable[tuple], *, jobs: int = 1, timeout: float | None = None,
              mem_limit_mb: int | None = None, initializer: Callable | None = None) -> Iterator[object]:
    """Yield ``func(*task)`` for each task, in order; a task that fails yields a
    :class:`TaskFailure` (or an ``Exception`` instance for errors raised by func)."""
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    pending = deque(enumerate(tasks))
    slots = [_Slot(ctx, func, mem_limit_mb, initializer) for _ in range(max(1, jobs))]
    done: dict[int, object] = {}
    next_out = 0
    try:
        while pending or any(s.task is not None for s in slots):
            for k, s in enumerate(slots):
                if s.task is None and pending:
                    key, args = pending.popleft()
                    try:
                        s.conn.send((key, args))
                    except (BrokenPipeError, OSError):
                        s.kill()
                        slots[k] = s = _Slot(ctx, func, mem_limit_mb, initializer)
                        s.conn.send((key, args))
                    s.task, s.started = key, time.monotonic()
            busy = [s for s in slots if s.task is not None]
            ready = mp.connection.wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=0.2)
            now = time.monotonic()
            for k, s in enumerate(slots):
                if s.task is None:
                    continue
                if s.conn in ready:
                    try:
                        key, status, payload = s.conn.recv()
                    except (EOFError, OSError):
                        key, status, payload = s.task, "crash", None
                    if status == "ok":
                        done[key] = payload
                    elif status == "memory_limit":
                        done[key] = TaskFailure("memory_limit", payload)
                    elif status == "error":
                        done[key] = TaskFailure("internal_error", payload)
                    else:
                        done[key] = _crash(s)
                        s.kill()
                        slots[k] = _Slot(ctx, func, mem_limit_mb, initializer)
                        continue
                    s.task = None
                elif s.proc.sentinel in ready or not s.proc.is_alive():
                    done[s.task] = _crash(s)
                    s.kill()
                    slots[k] = _Slot(ctx, func, mem_limit_mb, initializer)
                elif timeout and now - s.started > timeout:
                    done[s.task] = TaskFailure("timeout", f"stopped after {timeout:.0f} s (per-file time limit)")
                    s.kill()
                    slots[k] = _Slot(ctx, func, mem_limit_mb, initializer)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for s in slots:
            try:
                s.conn.send(None)
            except Exception:  # noqa: BLE001
                pass
            s.proc.join(1)
            if s.proc.is_alive():
                s.kill()


def _crash(slot: _Slot) -> TaskFailure:
    code = slot.proc.exitcode
    if code is not None and code < 0 and -code == 9:
        return TaskFailure("memory_limit", "the worker was killed (out of memory)")
    return TaskFailure("worker_crash", f"the worker processing this file died (exit code {code})")
