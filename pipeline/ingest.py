"""The batch: discover files, reuse cached documents, process the rest in
isolated workers, stream every table into a new generation, publish it."""
from __future__ import annotations

import datetime as dt
import os
import stat
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, history
from .cache import Rejected, cache_key, ipc_bytes, read_ipc
from .ocr_options import OcrOptions
from .rows import DocResult, doc_row, issue_row, format_of, sha256_of
from .schema import DOCUMENT_TABLES, FACT_TABLES, micros
from .store import STATE, OutputStore

if TYPE_CHECKING:
    import pyarrow as pa
# pyarrow (with numpy) and the worker pool are imported only by runs that
# process or re-read documents: the unchanged nightly re-run, which links the
# published tables and adds a row to ``runs``, is over in less time than
# those imports take.

SUFFIXES = (".pdf", ".txt", ".md")
EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN, EXIT_LOCKED = 0, 1, 2, 3
NOT_READ = ("failed", "needs_ocr", "empty")

# Options, RunSummary and _Planned are plain classes, not dataclasses:
# ``dataclasses`` imports ``inspect``, about a tenth of what an unchanged
# nightly re-run (starting Python included) may take.


class Options:
    """What a run is asked to do (``kanrisaku ingest``'s options), by keyword:
    ``Options(jobs=2, with_tokens=False)``; the class attributes are the defaults."""
    jobs: int = 1
    full: bool = False
    fmt: str | None = None
    exclude: tuple[str, ...] = ()
    password: str | None = None
    passwords: dict[str, str] = {}   # (each instance gets a dict of its own: __init__)
    timeout: float = 300.0
    mem_limit_mb: int | None = 4096
    max_file_mb: float = 200.0
    with_tokens: bool = True
    wait: bool = False
    progress: bool = False
    executor: str = "local"          # "local" (worker processes here) or "dask"
    scheduler: str | None = None     # dask: tcp://HOST:8786 of a running cluster; None = a local cluster
    ocr: str = "auto"                # "auto": OCR scanned pages with Tesseract; "off": report them needs_ocr
    ocr_dpi: int = 300
    preload_ginza: bool = False      # load GiNZA here before the local workers fork (they share it)

    def __init__(self, **options):
        self.passwords = {}
        for name, value in options.items():
            if name.startswith("_") or not hasattr(Options, name) or callable(getattr(Options, name)) \
                    or isinstance(getattr(Options, name), property):
                raise TypeError(f"Options() got an unexpected option {name!r}")
            setattr(self, name, value)

    def __repr__(self) -> str:
        return f"Options({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

    @property
    def ocr_options(self) -> OcrOptions:
        return OcrOptions(self.ocr, self.ocr_dpi)


class RunSummary:
    """What a run did: counts for the runs table and the printed summary."""

    def __init__(self, run_id: str, started_at: dt.datetime):
        self.run_id, self.started_at = run_id, started_at
        self.finished_at: dt.datetime | None = None
        self.counts = dict(new=0, changed=0, unchanged=0, deleted=0, failed=0)
        self.by_status: dict[str, int] = {}
        self.n_files = self.n_skipped = self.n_controls = 0
        self.failures: list[tuple[str, str, str]] = []          # (doc_id, status, message)
        self.notes: list[str] = []
        self.timings: dict[str, float] = {}                     # seconds per stage, summed over documents
        self.counters: dict[str, int] = {}

    @property
    def duration(self) -> float:
        end = self.finished_at or dt.datetime.now(dt.timezone.utc)
        return (end - self.started_at).total_seconds()

    @property
    def exit_code(self) -> int:
        return EXIT_SOME_FAILED if any(self.by_status.get(s) for s in NOT_READ) else EXIT_OK


def safe_doc_id(rel: str) -> str:
    """doc_id as UTF-8 text even for file names that are not valid UTF-8."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace(os.sep, "/")


def discover(root: Path, opts: Options, out: Path | None = None) -> tuple[list[tuple[str, Path]], int,
                                                                      list[tuple[str, str]], list[str]]:
    """(doc_id, path) of every input file below *root*, sorted; the number
    of files skipped; problems met while walking; and notes on the folders
    left out. The output folder *out* and any folder that holds a kanrisaku
    state folder are never entered: their files are ours, not input."""
    found, skipped, problems, notes = [], 0, [], []
    seen_dirs = set()
    out_ident = _ident(out) if out is not None else None

    def onerror(err: OSError):
        problems.append((safe_doc_id(str(err.filename)), f"cannot list folder: {err.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror, followlinks=True):
        ident = _ident(Path(dirpath))
        if ident is None:
            continue
        if ident in seen_dirs:           # symlink loop: do not descend twice
            dirnames[:] = []
            continue
        seen_dirs.add(ident)
        dirnames[:] = [d for d in sorted(dirnames) if not d.startswith(".")
                       and not _left_out(Path(dirpath) / d, root, out_ident, notes)]
        rel_dir = os.path.relpath(dirpath, root)         # once per folder, not per file
        rel_dir = "" if rel_dir == os.curdir else rel_dir + os.sep
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                skipped += 1
                continue
            path = Path(dirpath, name)
            doc_id = safe_doc_id(rel_dir + name)
            fmt = format_of(doc_id)
            if opts.fmt and fmt != opts.fmt:
                skipped += 1
                continue
            if any(x in doc_id for x in opts.exclude):
                skipped += 1
                continue
            found.append((doc_id, path))
    found.sort()
    return found, skipped, problems, notes


def _ident(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _left_out(folder: Path, root: Path, out_ident, notes: list[str]) -> bool:
    """Is *folder* an output folder (ours, or one holding a ``.kanrisaku``
    state folder)? Noted for the summary when it is."""
    rel = safe_doc_id(os.path.relpath(folder, root))
    if out_ident is not None and _ident(folder) == out_ident:
        notes.append(f"{rel}/ is the output folder (--out) inside the input folder: not read as input")
        return True
    if os.path.lexists(folder / STATE):
        notes.append(f"{rel}/ holds a kanrisaku output folder ({STATE}): not read as input")
        return True
    return False


def out_conflict(folder: Path, out: Path) -> str | None:
    """Why *out* cannot be the output folder of *folder* (None when it can):
    an output folder equal to the input would be read as input by every run."""
    same = out.resolve() == folder.resolve()
    try:
        same = same or os.path.samefile(out, folder)
    except OSError:
        pass
    if same:
        return f"--out {out} is the input folder itself: choose an output folder outside it"
    return None


def _process_task(doc_id, source, password, with_tokens, source_path=None, ocr=None):
    """Worker side: *source* is the file's path (read here, so the parent
    never holds many files' bytes) or the bytes themselves (Dask workers do
    not share our file system); *source_path* is then the path recorded;
    *ocr* the OcrOptions (None: the defaults)."""
    path = source_path if source_path is not None else \
        ("" if isinstance(source, bytes) else str(Path(source).resolve()))
    if isinstance(source, bytes):
        data = source
    else:
        data, code, msg = _read_bytes(Path(source), float(1 << 20))   # size was checked when hashing
        if data is None:             # gone or changed into something unreadable since it was hashed
            return _failed_result(doc_id, path, "", code, msg)
    from .process import process_document      # the parsers and models: only where files are processed
    return process_document(doc_id, data, path, password=password, with_tokens=with_tokens, ocr=ocr)


def _system_allocator() -> None:
    """Arrow's default allocator (mimalloc) reserves ~1 GB of address space
    at its first allocation: room that a worker under the address-space limit
    (--memory-limit-mb) needs for the parsers. (``pipeline/__init__`` asks
    for the system allocator before pyarrow is imported; this covers a
    process that imported pyarrow first.)"""
    import pyarrow as pa
    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())


def _process_task_arrow(doc_id, source, password, with_tokens, source_path=None, ocr=None):
    """What the executors run: :func:`_process_task`, with every table but
    ``documents`` (whose ingested_at the batch sets) converted in the worker
    to the Arrow IPC file the cache stores (:func:`pipeline.cache.ipc_bytes`):
    the conversion was the largest part of the per-document work left in the
    batch process, which shares the cores with the workers; it writes those
    bytes to the cache as they are and reads its tables from them."""
    _system_allocator()
    res = _process_task(doc_id, source, password, with_tokens, source_path, ocr)
    res.tables = {name: t if name == "documents" else ipc_bytes(name, t)
                  for name, t in to_arrow(res.tables, keep_rows=("documents",)).items()}
    return res


def _with_bytes(tasks, max_mb: float):
    """Tasks for remote workers: each file's bytes, read lazily (one file at a
    time, as the executor asks for it). A file that cannot be read any more
    is sent as its path: the worker then reports the error."""
    for doc_id, path, password, with_tokens, _, ocr in tasks:
        data, _, _ = _read_bytes(Path(path), max_mb)
        if data is None:
            yield doc_id, path, password, with_tokens, None, ocr
            continue
        yield doc_id, data, password, with_tokens, str(Path(path).resolve()), ocr


def _start_tasks(tasks: list[tuple], opts: Options):
    if not tasks:
        return iter(())
    if opts.executor == "dask":
        from .dask_executor import run_dask_tasks      # Dask is needed only here
        results = run_dask_tasks(_process_task_arrow, _with_bytes(tasks, opts.max_file_mb), jobs=opts.jobs, timeout=opts.timeout,
                                 mem_limit_mb=opts.mem_limit_mb, scheduler=opts.scheduler)
    else:
        if opts.preload_ginza:
            from .nlp import Ginza
            import gc
            Ginza.nlp()          # the workers fork after this and share its pages,
            gc.freeze()          # which their garbage collector then leaves alone (else it walks them all)
        from .executor import run_tasks
        results = run_tasks(_process_task_arrow, tasks, jobs=opts.jobs, timeout=opts.timeout,
                            mem_limit_mb=opts.mem_limit_mb)
    return results


def _failed_result(doc_id, path, sha, code, message, status="failed") -> DocResult:
    res = DocResult(doc_id, sha, status)
    res.tables = {"documents": [doc_row(doc_id, str(path), sha, format_of(doc_id), status, message)],
                  "issues": [issue_row(doc_id, "error", code, message)]}
    return res


def to_arrow(tables: dict[str, list[dict] | pa.Table], keep_rows: tuple[str, ...] = ()) -> dict:
    """A document's rows as Arrow tables (the cache format); run_id is a
    placeholder replaced when the table set is written. Tables already
    converted stay as they are, and so do those named in *keep_rows*; a
    worker's IPC bytes are read."""
    import pyarrow as pa
    from .arrow_tables import to_table
    return {name: rows if isinstance(rows, pa.Table) or name in keep_rows
            else read_ipc(rows) if isinstance(rows, bytes) else to_table(name, rows, "-")
            for name, rows in tables.items() if rows and name in DOCUMENT_TABLES}


def fact_key(table: str, row: dict) -> str:
    """A short readable form of a fact, for the changes table."""
    def v(x):
        return "" if x is None else (f"{x:g}" if isinstance(x, float) else str(x))
    if table == "retention_periods":
        return f"{row['subject']} {row['action']} {v(row.get('value'))} {v(row.get('unit'))} ({row['bound']})".replace("  ", " ")
    if table == "time_targets":
        parts = [row["kind"], v(row.get("value")), v(row.get("unit")), v(row.get("frequency")), v(row.get("clock")),
                 v(row.get("days_of_week")), f"({row['bound']})"]
        return " ".join(p for p in parts if p)
    if table == "log_timezones":
        return f"{row['scope']} {row['iana_tz']} {row['utc_offset']}"
    return str(row.get("control_id"))


def _rows(t) -> list[dict]:
    return list(t or []) if t is None or isinstance(t, list) else t.to_pylist()


def diff_facts(doc_id: str, old: dict, new: dict, old_sha: str, new_sha: str) -> list[dict]:
    out = []
    for table in (*FACT_TABLES, "controls"):
        before = {fact_key(table, r): r for r in _rows(old.get(table))}
        after = {fact_key(table, r): r for r in _rows(new.get(table))}
        for change, keys, src in (("disappeared", before.keys() - after.keys(), before),
                                  ("appeared", after.keys() - before.keys(), after)):
            for k in sorted(keys):
                out.append(dict(doc_id=doc_id, table=table, change=change, fact=k,
                                evidence=src[k].get("evidence") or src[k].get("heading"),
                                old_sha256=old_sha, new_sha256=new_sha))
    return out


def _read_bytes(path: Path, max_mb: float) -> tuple[bytes | None, str | None, str | None]:
    """The file's bytes, or (None, issue code, message). Only regular files
    are read (a FIFO or a link to a device would block or never end), and
    never more than the size limit."""
    limit = int(max_mb * 1024 * 1024)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            kind = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a pipe, socket or device)"
            return None, "unreadable", f"the path is {kind}"
        if st.st_size > limit:
            return None, "too_large", (f"the file is {st.st_size / 2**20:.0f} MB, above the {max_mb:g} MB limit "
                                       "(--max-file-mb)")
        chunks, total = [], 0
        with open(path, "rb") as f:
            while total <= limit:
                chunk = f.read(min(1 << 22, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            return None, "too_large", f"the file grew above the {max_mb:g} MB limit (--max-file-mb) while read"
        return data, None, None
    except FileNotFoundError:
        if path.is_symlink():
            return None, "unreadable", "broken symbolic link: its target does not exist"
        return None, "file_vanished", "the file disappeared while the batch was running"
    except PermissionError:
        return None, "unreadable", "permission denied: the file cannot be read"
    except OSError as e:
        return None, "unreadable", f"the file cannot be read: {e.strerror or e}"


def run_ingest(input_dir: Path, out: Path, opts: Options, log=print) -> RunSummary:
    conflict = out_conflict(input_dir, out)
    if conflict:
        raise ValueError(conflict)
    now = dt.datetime.now(dt.timezone.utc)
    summary = RunSummary(run_id=now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + os.urandom(3).hex(), started_at=now)
    store = OutputStore(out)
    store.lock(wait=opts.wait)
    try:
        _run(input_dir, store, opts, summary)
    finally:
        store.unlock()
    return summary


class _Planned:
    """One input file's plan."""
    __slots__ = ("doc_id", "path", "sha", "key", "cached", "fail", "stat")

    def __init__(self, doc_id: str, path: Path, sha: str = "", key: str = "", cached: bool = False,
                 fail: tuple[str, str] | None = None, stat: list | None = None):
        self.doc_id, self.path, self.sha, self.key = doc_id, path, sha, key
        self.cached = cached     # the previous run's cache entry can serve it
        self.fail = fail         # (issue code, message) when the file cannot be read
        self.stat = stat         # the file's stat signature, when settled (see _stat_signature)


def _plan(files, opts: Options, usable: dict) -> list[_Planned]:
    """Per file, whether the previous run's cache entry has its key (the
    bytes are hashed, not kept: workers read the files themselves)."""
    plan = []
    now = time.time()
    for doc_id, path in files:
        prev = usable.get(doc_id)
        sig = _stat_signature(path, now)
        if sig is not None and prev and prev.get("stat") == sig and sig[2] <= opts.max_file_mb * 1024 * 1024:
            sha = prev["sha256"]            # the same file, untouched since it was hashed: not read again
        else:
            data, code, msg = _read_bytes(path, opts.max_file_mb)
            if data is None:
                plan.append(_Planned(doc_id, path, fail=(code, msg)))
                continue
            sha = sha256_of(data)
            del data
        key = cache_key(doc_id, sha, bool(opts.passwords.get(doc_id, opts.password)), opts.with_tokens,
                        opts.ocr_options.key())
        plan.append(_Planned(doc_id, path, sha, key, bool(prev and prev["key"] == key and prev.get("tables")),
                             stat=sig))
    return plan


_RACY_SECONDS = 2.0


def _stat_signature(path: Path, now: float) -> list | None:
    """What identifies a file's state without reading it: device, inode,
    size, and the modification and change times in nanoseconds (any write
    moves the change time, which no tool can set back). None for a file
    changed less than two seconds ago: a write within the clock's resolution
    could leave the times as they were, so such a file is hashed again next
    run (git's "racy" rule). Taken before the file is read, so a change
    while it is read shows next run."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or now - max(st.st_mtime, st.st_ctime) < _RACY_SECONDS:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


def _verify(plan: list[_Planned], store: OutputStore, usable: dict, rejected: list) -> None:
    """Check the hashes of every entry the run means to use before the
    workers start, so that a damaged one is read by them. (Schema and owner
    are checked when the rows are used; an entry failing only those was
    edited together with its hashes, and is read in this process. The
    unchanged re-run skips this: it reuses the published set and never
    reads the cache.)"""
    for p in plan:
        if p.cached:
            try:
                store.doc_cache.check(p.key, usable[p.doc_id]["tables"])
            except Rejected as e:
                rejected.append((p.doc_id, f"cache entry not used: {e}; the file is read again"))
                p.cached = False


def _old_tables(store: OutputStore, prev: dict, doc_id: str) -> dict:
    """The previous run's tables of a document (for the changes table), {} when untrusted."""
    try:
        return store.doc_cache.get(prev["key"], prev.get("tables"), doc_id, prev["sha256"])
    except Rejected:
        return {}


def _run(input_dir: Path, store: OutputStore, opts: Options, summary: RunSummary) -> None:
    files, summary.n_skipped, walk_problems, summary.notes = discover(input_dir, opts, store.out)
    summary.n_files = len(files)
    previous, rejected = store.manifest()
    usable = {} if opts.full else previous
    deleted = sorted(set(previous) - {d for d, _ in files})
    current = store.current_dir()
    quick = (current is not None and not walk_problems and not deleted and not rejected and files
             and len(previous) == len(files) and store.complete(current))
    plan = _plan(files, opts, usable)
    if quick and all(p.cached for p in plan):
        _publish_unchanged(store, current, plan, previous, summary)
        return
    store.doc_cache.remove_legacy()
    _verify(plan, store, usable, rejected)

    gen = store.new_generation(summary.run_id)
    tasks = [(p.doc_id, str(p.path), opts.passwords.get(p.doc_id, opts.password), opts.with_tokens, None,
              opts.ocr_options) for p in plan if not p.cached and p.fail is None]
    results = _start_tasks(tasks, opts)
    bar = _progress_bar(len(plan)) if opts.progress else None
    changes: list[dict] = []
    new_manifest: dict = {}
    ingested_at = dt.datetime.now(dt.timezone.utc)
    for p in plan:
        tables, entry = _doc_tables(p, store, opts, previous.get(p.doc_id), results, summary, changes, ingested_at,
                                    rejected)
        entry.update(_count(summary, p.doc_id, tables))
        if p.fail is None:
            new_manifest[p.doc_id] = entry
        for table in DOCUMENT_TABLES:
            if table in tables:
                gen.write_table(table, tables[table], summary.run_id)
        if bar:
            bar.update(1)
    if hasattr(results, "close"):
        results.close()              # stop the workers now, before writing history and publishing
    if bar:
        bar.close()
    gen.write("issues", [issue_row(where, "warning", "unreadable_folder", msg) for where, msg in walk_problems]
              + [issue_row(where, "warning", "cache_rejected", msg) for where, msg in rejected], summary.run_id)

    summary.counts["deleted"] = len(deleted)
    for doc_id in deleted:
        prev = previous[doc_id]
        changes += diff_facts(doc_id, _old_tables(store, prev, doc_id), {}, prev["sha256"], None)
    _write_history(store, gen, summary, changes, current)
    store.publish(gen.close())
    store.save_manifest(new_manifest)
    store.doc_cache.prune({m["key"] for m in new_manifest.values() if m.get("tables")})


def _progress_bar(total: int):
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="file", file=sys.stderr, leave=False, dynamic_ncols=True)


def _doc_tables(p: _Planned, store: OutputStore, opts: Options, prev: dict | None, results, summary: RunSummary,
                changes: list, ingested_at, rejected: list) -> tuple[dict[str, pa.Table], dict]:
    """One document's tables (from the cache or read now) and its manifest entry."""
    entry = {"sha256": p.sha, "key": p.key}
    if p.stat is not None:
        entry["stat"] = p.stat
    if p.cached:
        try:
            tables = store.doc_cache.get(p.key, prev["tables"], p.doc_id, p.sha)
        except Rejected as e:        # changed since it was checked: read the file here
            rejected.append((p.doc_id, f"cache entry not used: {e}; the file is read again"))
        else:
            summary.counts["unchanged"] += 1
            entry["tables"] = prev["tables"]
            return tables, entry
    if p.fail is not None:
        res = _failed_result(p.doc_id, p.path, p.sha, *p.fail)
    elif p.cached:
        res = _process_task(p.doc_id, str(p.path), opts.passwords.get(p.doc_id, opts.password), opts.with_tokens,
                            None, opts.ocr_options)
    else:
        from .executor import TaskFailure
        out = next(results)
        res = _failed_result(p.doc_id, p.path, p.sha, out.code, out.message.split("\n")[0]) \
            if isinstance(out, TaskFailure) else out
    for row in res.tables.get("documents", []):
        row["ingested_at"] = ingested_at
    for stage, t in res.timings.items():
        summary.timings[stage] = summary.timings.get(stage, 0.0) + t
    for name, n in res.counters.items():
        summary.counters[name] = summary.counters.get(name, 0) + n
    encoded = {name: v for name, v in res.tables.items() if isinstance(v, bytes)}
    tables = to_arrow(res.tables)
    if p.fail is None and res.status != "failed":
        entry["tables"] = store.doc_cache.put(p.key, tables, encoded)
    if prev is None:
        summary.counts["new"] += 1
    elif prev["sha256"] != p.sha:
        summary.counts["changed"] += 1
        changes += diff_facts(p.doc_id, _old_tables(store, prev, p.doc_id), tables, prev["sha256"], p.sha)
    else:
        summary.counts["unchanged"] += 1   # same bytes, re-read (--full, a new version, a rejected entry)
    return tables, entry


def _tally(summary: RunSummary, doc_id: str, status: str, message: str) -> None:
    summary.by_status[status] = summary.by_status.get(status, 0) + 1
    if status in NOT_READ:
        summary.counts["failed"] += 1
        summary.failures.append((doc_id, status, message))


def _count(summary: RunSummary, doc_id: str, tables: dict[str, pa.Table]) -> dict:
    """Count a document in the summary; returns what the manifest keeps of
    it for the unchanged re-run's summary (status, message, n_controls)."""
    docs = tables["documents"]       # (only string columns: a timestamp's as_py would import pandas)
    status, error = docs.column("status")[0].as_py(), docs.column("error")[0].as_py()
    issues = tables.get("issues")
    message = issues.column("message")[0].as_py() if issues is not None and issues.num_rows else (error or "")
    _tally(summary, doc_id, status, message)
    n_controls = tables["controls"].num_rows if "controls" in tables else 0
    summary.n_controls += n_controls
    return dict(status=status, message=message if status in NOT_READ else "", n_controls=n_controls)


def _write_history(store: OutputStore, gen, summary: RunSummary, changes: list[dict], current: Path | None) -> None:
    """runs and changes keep every run's rows: the previous set's plus ours."""
    prev_changes = store.read_current("changes")
    if prev_changes is not None:
        gen.write_table("changes", prev_changes)
    gen.write("changes", changes, summary.run_id)
    _write_runs(store, gen, summary, current)


def _write_runs(store: OutputStore, gen, summary: RunSummary, current: Path | None) -> None:
    """The runs rows of the published set *current* (from its ``runs.json``,
    else read from its ``runs.parquet``) and this run's row."""
    rows = history.previous_runs(current) if current is not None else []
    if rows is None:
        published = store.read_current("runs")
        rows = history.rows_of_table(published) if published is not None else []
    summary.finished_at = dt.datetime.now(dt.timezone.utc)
    rows.append(dict(
        run_id=summary.run_id, started_at=micros(summary.started_at),
        finished_at=micros(summary.finished_at), pipeline_version=__version__,
        n_new=summary.counts["new"], n_changed=summary.counts["changed"], n_unchanged=summary.counts["unchanged"],
        n_deleted=summary.counts["deleted"], n_failed=summary.counts["failed"], duration_s=summary.duration,
        exit_status="ok" if summary.exit_code == EXIT_OK else "partial"))
    history.write(gen.path, rows)
    gen.mark_written(history.TABLE)


def _summary_entry(entry: dict) -> bool:
    """A manifest entry holds what the summary needs (one written by an
    earlier version may not)."""
    n = entry.get("n_controls")
    return isinstance(entry.get("status"), str) and isinstance(entry.get("message"), str) \
        and isinstance(n, int) and not isinstance(n, bool) and n >= 0


def _publish_unchanged(store: OutputStore, current: Path, plan, previous: dict, summary: RunSummary) -> None:
    """Nothing changed since the published set: its tables are reused as
    they are (hard links), only the runs table gains a row; the manifest is
    rewritten only when a file's stat signature settled or moved."""
    gen = store.new_generation(summary.run_id)
    for table in (*DOCUMENT_TABLES, "changes"):
        gen.link_from(current, table)
    summary.counts["unchanged"] = len(plan)
    entries = [previous[p.doc_id] for p in plan]
    if all(_summary_entry(e) for e in entries):
        for p, e in zip(plan, entries):
            _tally(summary, p.doc_id, e["status"], e["message"])
        summary.n_controls = sum(e["n_controls"] for e in entries)
    else:
        import pyarrow.parquet as pq
        docs = pq.ParquetFile(current / "documents.parquet").read(columns=["doc_id", "status", "error"])
        for d in docs.to_pylist():
            _tally(summary, d["doc_id"], d["status"], d["error"] or "")
        summary.n_controls = pq.read_metadata(current / "controls.parquet").num_rows
    _write_runs(store, gen, summary, current)
    store.publish(gen.close())
    if any(p.stat != e.get("stat") for p, e in zip(plan, entries)):
        manifest = {}
        for p, e in zip(plan, entries):
            manifest[p.doc_id] = entry = {k: v for k, v in e.items() if k != "stat"}
            if p.stat is not None:
                entry["stat"] = p.stat
        store.save_manifest(manifest)
