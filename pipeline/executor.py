"""Run per-document work in worker processes, each file isolated.

A small pool of our own (rather than multiprocessing.Pool) so that a file that
hangs the parser or eats memory can be stopped alone: every task has a time
limit, every worker an address-space limit; a worker that dies or overruns is
killed, its file is reported, and a fresh worker takes its place. Results come
back in submission order, so output does not depend on the number of workers.

How a task that did not return is reported (:class:`TaskFailure` codes):

* ``timeout``: it ran longer than ``timeout`` seconds; the worker is killed.
* ``memory_limit``: it raised MemoryError or an error that says memory could
  not be allocated (C extensions report ENOMEM in their own words), or the
  worker died after its resident memory reached half the limit (native code
  such as pdfium aborts when an allocation fails under RLIMIT_AS), or it was
  killed by SIGKILL (the kernel's out-of-memory killer). The worker is
  replaced, so the next file starts with a clean heap.
* ``worker_crash``: the worker died otherwise (the signal is named).
* ``internal_error``: the task raised an exception (message and traceback),
  or its result could not be sent back.

Workers ignore SIGINT (Ctrl-C stops the parent, which stops them) and never
write core dumps (a crash of a worker holding gigabytes would write them).
"""
from __future__ import annotations

import errno
import multiprocessing as mp
import os
import re
import signal
import time
import traceback
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator


@dataclass(frozen=True)
class TaskFailure:
    """A task that did not return: code is timeout, memory_limit,
    worker_crash or internal_error."""
    code: str
    message: str


MEMORY_MESSAGE = "the file needed more memory than the per-file limit allows (--memory-limit-mb)"
_MEMORY_TEXT = re.compile(r"cannot allocate memory|could not reserve memory|out of memory|bad_alloc"
                          r"|memory allocation failed|not enough memory|\bENOMEM\b|os error 12\b"
                          r"|failed to map segment from shared object", re.IGNORECASE)
_CRASH_SIGNALS = {signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGTRAP, signal.SIGFPE}


def is_memory_error(exc: BaseException) -> bool:
    """Did *exc* (or an exception it was raised from) come from memory that
    could not be allocated?"""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, MemoryError):
            return True
        if isinstance(exc, OSError) and exc.errno == errno.ENOMEM:
            return True
        if _MEMORY_TEXT.search(f"{type(exc).__name__}: {exc}"):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _limit_memory(mem_limit_mb: int | None) -> None:
    try:
        import resource
    except ImportError:
        return
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        pass
    if not mem_limit_mb:
        return
    try:
        limit = mem_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass


def _worker(conn, func, mem_limit_mb, initializer):
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except (ValueError, OSError):
        pass
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
            result = func(*args)
        except BaseException as e:  # noqa: BLE001 - report anything, keep the worker alive
            if is_memory_error(e):
                conn.send((key, "memory_limit", f"{MEMORY_MESSAGE} ({type(e).__name__}: {str(e)[:200]})"))
            else:
                conn.send((key, "error", f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=5)}"))
            continue
        try:
            conn.send((key, "ok", result))
        except BaseException as e:  # noqa: BLE001 - the result could not be pickled
            status = "memory_limit" if is_memory_error(e) else "error"
            conn.send((key, status, f"the result could not be sent back: {type(e).__name__}: {e}"))


def _own_memory_kb() -> tuple[int, int] | None:
    """(virtual size, resident size) of this process in kB, where /proc says."""
    try:
        with open("/proc/self/statm") as f:
            size, resident = f.read().split()[:2]
        page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
        return int(size) * page_kb, int(resident) * page_kb
    except (OSError, ValueError, AttributeError):
        return None


class _Slot:
    def __init__(self, ctx, func, mem_limit_mb, initializer):
        self.at_fork = _own_memory_kb()  # what the worker starts with (it is a copy of us)
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
    """Yield ``func(*task)`` for each task, in order; a task that does not
    return yields a :class:`TaskFailure` (see the module doc for the codes)."""
    ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
    pending = deque(enumerate(tasks))

    def new_slot() -> _Slot:
        return _Slot(ctx, func, mem_limit_mb, initializer)

    slots = [new_slot() for _ in range(max(1, jobs))]
    done: dict[int, object] = {}
    next_out = 0

    def dispatch() -> None:
        for k, s in enumerate(slots):
            if s.task is None and pending:
                if not s.proc.is_alive():          # died while idle: do not hand it a file
                    s.kill()
                    slots[k] = s = new_slot()
                key, args = pending.popleft()
                try:
                    s.conn.send((key, args))
                except (BrokenPipeError, OSError):
                    s.kill()
                    slots[k] = s = new_slot()
                    s.conn.send((key, args))
                s.task, s.started = key, time.monotonic()

    try:
        while pending or any(s.task is not None for s in slots):
            dispatch()
            busy = [s for s in slots if s.task is not None]
            ready = mp.connection.wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=0.2)
            now = time.monotonic()
            for k, s in enumerate(slots):
                if s.task is None:
                    continue
                if s.conn in ready:
                    replace = False
                    try:
                        key, status, payload = s.conn.recv()
                    except (EOFError, OSError):
                        key, status, payload = s.task, "crash", None
                    except Exception as e:  # noqa: BLE001 - a result that cannot be unpickled
                        key, status, payload = s.task, "error", f"the result could not be read back: {type(e).__name__}: {e}"
                        replace = True
                    if status == "ok":
                        done[key] = payload
                    elif status == "memory_limit":
                        done[key] = TaskFailure("memory_limit", payload)
                        replace = True                 # start the next file with a clean heap
                    elif status == "error":
                        done[key] = TaskFailure("internal_error", payload)
                    else:
                        done[key] = _crash(s, mem_limit_mb)
                        replace = True
                    if replace:
                        s.kill()
                        slots[k] = new_slot()
                    else:
                        s.task = None
                elif s.proc.sentinel in ready or not s.proc.is_alive():
                    done[s.task] = _crash(s, mem_limit_mb)
                    s.kill()
                    slots[k] = new_slot()
                elif timeout and now - s.started > timeout:
                    done[s.task] = TaskFailure("timeout", f"stopped after {timeout:g} s (per-file time limit)")
                    s.kill()
                    slots[k] = new_slot()
            if next_out in done:
                dispatch()        # hand out the next files before the caller takes its time over these results
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for s in slots:
            try:
                s.conn.send(None)
            except Exception:  # noqa: BLE001
                pass
        for s in slots:
            s.proc.join(1)
            if s.proc.is_alive():
                s.kill()


def _reap(proc) -> tuple[int | None, int | None]:
    """Wait for a dead worker: (exit code as multiprocessing reports it,
    peak resident memory in kB or None)."""
    if hasattr(os, "wait4") and proc.pid:
        deadline = time.monotonic() + 5
        while True:
            try:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            except ChildProcessError:       # already reaped by multiprocessing
                break
            if pid:
                code = os.waitstatus_to_exitcode(status)
                popen = getattr(proc, "_popen", None)
                if popen is not None and getattr(popen, "returncode", 0) is None:
                    popen.returncode = code     # so multiprocessing does not wait (or signal) again
                return code, usage.ru_maxrss
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
    proc.join(5)
    return proc.exitcode, None


def _crash(slot: _Slot, mem_limit_mb: int | None = None) -> TaskFailure:
    """Why did the worker die?  Native code (pdfium) aborts or faults when an
    allocation fails under RLIMIT_AS, so a worker that died after its
    resident memory grew by half of what the limit left it is reported as
    memory_limit; the numbers are in the message either way."""
    code, peak_kb = _reap(slot.proc)
    peak_mb = peak_kb / 1024 if peak_kb else None
    sig = None
    if code is not None and code < 0:
        try:
            sig = signal.Signals(-code)
        except ValueError:
            sig = None
    how = f"signal {sig.name}" if sig else (f"signal {-code}" if code is not None and code < 0 else f"exit code {code}")
    peak = f"; peak memory {peak_mb:.0f} MB" + (f", limit {mem_limit_mb} MB" if mem_limit_mb else "") \
        if peak_mb else ""
    if sig == signal.SIGKILL:
        return TaskFailure("memory_limit", f"the worker was killed (SIGKILL, usually the system running out of memory{peak})")
    if mem_limit_mb and peak_mb:
        vsz0, rss0 = (x / 1024 for x in slot.at_fork) if slot.at_fork else (0.0, 0.0)
        headroom = mem_limit_mb - vsz0
        if headroom <= 0 or peak_mb - rss0 >= 0.5 * headroom:
            return TaskFailure("memory_limit", f"{MEMORY_MESSAGE}: the worker died ({how}{peak})")
    return TaskFailure("worker_crash", f"the worker processing this file died ({how}{peak})")
