"""The output folder: published tables, the per-document cache, the run lock.

Layout of ``OUT`` (default ``data/out``)::

    OUT/documents.parquet -> current/documents.parquet   (one link per table)
    OUT/current -> .kanrisaku/gens/<run_id>               (swapped atomically)
    OUT/.kanrisaku/gens/<run_id>/*.parquet                (complete table sets)
    OUT/.kanrisaku/gens/<run_id>/runs.json                (the runs rows, see pipeline.history)
    OUT/.kanrisaku/cache/<key>.<table>.arrow              (rows of one document, Arrow IPC)
    OUT/.kanrisaku/manifest.json                          (doc_id -> sha256, key, entry hashes)
    OUT/.kanrisaku/lock                                   (flock: one run at a time)

A run writes a new generation beside the old one and publishes it by
replacing the ``current`` link in one rename, so readers see the old set or
the new set, never a mix; a run killed at any point leaves ``current`` on the
last complete set, and the next run removes the unfinished generation.

Output folders are shared, so everything under ``OUT`` is data that anyone
with write access may have edited: the state folder is only ever read as
data (:mod:`pipeline.cache`), no link planted in it is followed out of it
(clean-up, the ``current`` swap and the cache prune unlink links, never
their targets), and a ``current`` link that points anywhere but a generation
in ``OUT/.kanrisaku/gens`` is not used.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import DocCache, _atomic_write, read_regular
from .schema import TABLES

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq
# pyarrow is imported where tables are read or written: the unchanged
# nightly re-run links the published tables and writes ``runs`` without it.

STATE = ".kanrisaku"
MANIFEST_MAX_BYTES = 256 << 20


class LockedError(RuntimeError):
    """Another run holds the output folder."""


def _own_dir(path: Path) -> None:
    """Make *path* a real folder of ours: a link (or a file) planted under
    its name is removed (unlinking a link never touches its target)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        path.mkdir()
        return
    if stat.S_ISDIR(st.st_mode):
        return
    os.unlink(path)
    path.mkdir()


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


class OutputStore:
    def __init__(self, out: Path):
        self.out = Path(out)
        self.state = self.out / STATE
        self.gens = self.state / "gens"
        self.cache = self.state / "cache"
        self.doc_cache = DocCache(self.cache)
        self._lock_fd: int | None = None

    # -- locking -------------------------------------------------------------
    def _open_lock(self) -> int:
        path = self.state / "lock"
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as e:
            if e.errno != errno.ELOOP:
                raise
            os.unlink(path)                 # a planted link: never written through
            fd = os.open(path, flags, 0o644)
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            os.unlink(path)
            fd = os.open(path, flags | os.O_EXCL, 0o644)
        return fd

    def lock(self, wait: bool = False) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for d in (self.state, self.gens, self.cache):
            _own_dir(d)
        fd = self._open_lock()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            holder = ""
            try:
                holder = read_regular(self.state / "lock", 64).decode(errors="replace").strip()
            except OSError:
                pass
            raise LockedError(f"another kanrisaku run is writing to {self.out}"
                              + (f" (pid {holder})" if holder else "")) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._lock_fd = fd

    def unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    # -- manifest ------------------------------------------------------------
    def manifest(self) -> tuple[dict, list[tuple[str, str]]]:
        """The manifest's usable entries, and (doc_id or file, reason) for
        what could not be trusted (a damaged file, an edited entry)."""
        path = self.state / "manifest.json"
        try:
            raw = json.loads(read_regular(path, MANIFEST_MAX_BYTES).decode("utf-8"))
        except FileNotFoundError:
            return {}, []
        except (OSError, ValueError, RecursionError) as e:
            return {}, [(f"{STATE}/manifest.json", f"the manifest cannot be read ({e}): every file is read again")]
        if not isinstance(raw, dict):
            return {}, [(f"{STATE}/manifest.json", "the manifest is not a JSON object: every file is read again")]
        good, bad = {}, []
        for doc_id, entry in raw.items():
            if _valid_entry(entry):
                good[doc_id] = entry
            else:
                bad.append((doc_id, "its manifest entry was edited or damaged: the file is read again"))
        return good, bad

    def save_manifest(self, manifest: dict) -> None:
        _atomic_write(self.state / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=0).encode())

    # -- generations -----------------------------------------------------------
    def current_dir(self) -> Path | None:
        """The published generation, or None when ``current`` is missing or
        is anything but a link to a generation folder in ``OUT/.kanrisaku/gens``."""
        link = self.out / "current"
        try:
            target = os.readlink(link)
        except OSError:
            return None
        real = Path(os.path.realpath(self.out / target))
        if real.parent != Path(os.path.realpath(self.gens)):
            return None
        gen = self.gens / real.name
        try:
            return gen if stat.S_ISDIR(os.lstat(gen).st_mode) else None
        except OSError:
            return None

    def complete(self, gen: Path) -> bool:
        """Every table of *gen* is a regular file (none a planted link)."""
        return all(_is_regular(gen / f"{name}.parquet") for name in TABLES)

    def read_current(self, table: str) -> pa.Table | None:
        """A table of the published set (through ParquetFile: pq.read_table
        would import pyarrow.dataset, ~0.5 s of an unchanged re-run). A link
        in place of the file is not followed."""
        import pyarrow.parquet as pq
        from .arrow_tables import arrow_schema
        cur = self.current_dir()
        if cur is None:
            return None
        try:
            fd = os.open(cur / f"{table}.parquet", os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None
            with pq.ParquetFile(f) as pf:
                t = pf.read()
        return t if t.schema.equals(arrow_schema(table), check_metadata=False) else None

    def new_generation(self, run_id: str) -> "GenerationWriter":
        self.cleanup()
        return GenerationWriter(self.gens / run_id)

    def publish(self, gen: Path) -> None:
        """Swap ``current`` to *gen* in one rename, then link each table."""
        cur = self.out / "current"
        if not cur.is_symlink() and cur.is_dir():
            os.rename(cur, self.gens / f".displaced-{os.getpid()}")   # not ours to keep: cleanup removes it
        tmp_link = self.out / f".current.{os.getpid()}.tmp"
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        os.symlink(os.path.relpath(gen, self.out), tmp_link)
        os.replace(tmp_link, cur)
        for name in TABLES:
            link = self.out / f"{name}.parquet"
            target = os.path.join("current", f"{name}.parquet")
            if link.is_symlink() and os.readlink(link) == target:
                continue
            tmp = self.out / f".{name}.parquet.{os.getpid()}.tmp"
            if tmp.is_symlink() or tmp.exists():
                tmp.unlink()
            os.symlink(target, tmp)
            os.replace(tmp, link)
        self.cleanup(keep_previous=gen)

    def cleanup(self, keep_previous: Path | None = None) -> None:
        """Remove generations no reader can be using: all but current (and
        the one just replaced, which a reader may still be reading). Only
        names inside ``gens`` are removed: a link there is unlinked, never
        followed, and rmtree does not follow links inside a folder."""
        cur = self.current_dir()
        try:
            entries = list(os.scandir(self.gens))
        except OSError:
            entries = []
        keep = {cur.name if cur else None}
        gens = sorted((e for e in entries if e.is_dir(follow_symlinks=False)),
                      key=lambda e: e.stat(follow_symlinks=False).st_mtime)
        if keep_previous is not None:
            older = [e for e in gens if e.name not in keep and not e.name.startswith(".")]
            if older:
                keep.add(older[-1].name)
        for e in entries:
            if e.name in keep:
                continue
            if e.is_dir(follow_symlinks=False):
                import shutil
                shutil.rmtree(e.path, ignore_errors=True)
            else:
                try:
                    os.unlink(e.path)
                except OSError:
                    pass
        for p in self.out.glob(".*.tmp"):
            p.unlink(missing_ok=True)


def _valid_entry(entry) -> bool:
    """A manifest entry as this version writes it."""
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("sha256", "key")):
        return False
    tables = entry.get("tables")
    return tables is None or isinstance(tables, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in tables.items())


class GenerationWriter:
    """Streams tables into one Parquet file per table. Small per-document
    tables are buffered and written as row groups of a sensible size."""

    ROW_GROUP = 65_536

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=False)
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.buffers: dict[str, list[pa.Table]] = {}
        self.buffered: dict[str, int] = {}
        self.linked: set[str] = set()

    def write(self, table: str, rows: list[dict] | pa.Table, run_id: str | None = None) -> None:
        """Append rows (dicts, or a table built by column such as ``tokens``)."""
        import pyarrow as pa
        from .arrow_tables import to_table
        if isinstance(rows, pa.Table):
            self.write_table(table, rows, run_id)
        elif rows:
            self.write_table(table, to_table(table, rows, run_id))

    def write_table(self, table: str, t: pa.Table, run_id: str | None = None) -> None:
        """Append an Arrow table; with *run_id*, its run_id column is replaced."""
        import pyarrow as pa
        from .arrow_tables import arrow_schema, repeat_string
        if t.num_rows == 0:
            return
        if run_id is not None:
            idx = t.schema.get_field_index("run_id")
            t = t.set_column(idx, pa.field("run_id", pa.string(), nullable=False),
                             repeat_string(run_id, t.num_rows))
        schema = arrow_schema(table)
        if not t.schema.equals(schema, check_metadata=False):
            t = t.cast(schema)          # (a cast imports pyarrow.compute: only when needed)
        self.buffers.setdefault(table, []).append(t)
        self.buffered[table] = self.buffered.get(table, 0) + t.num_rows
        if self.buffered[table] >= self.ROW_GROUP:
            self._flush(table)

    def link_from(self, other: Path, table: str) -> None:
        """Reuse *other*'s file for *table* unchanged (a hard link, no copy)."""
        src = other / f"{table}.parquet"
        if not _is_regular(src):
            raise OSError(f"{src} is not a regular file")
        try:
            os.link(src, self.path / f"{table}.parquet", follow_symlinks=False)
        except OSError:
            import shutil
            shutil.copy2(src, self.path / f"{table}.parquet", follow_symlinks=False)
        self.linked.add(table)

    def mark_written(self, table: str) -> None:
        """*table*'s file was written into the folder by other means
        (:mod:`pipeline.history`): close() leaves it alone."""
        self.linked.add(table)

    def _flush(self, table: str) -> None:
        parts = self.buffers.pop(table, [])
        self.buffered[table] = 0
        if not parts:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq
        from .arrow_tables import arrow_schema
        w = self.writers.get(table)
        if w is None:
            w = self.writers[table] = pq.ParquetWriter(self.path / f"{table}.parquet", arrow_schema(table),
                                                       compression="zstd")
        w.write_table(pa.concat_tables(parts), row_group_size=self.ROW_GROUP * 4)

    def close(self) -> Path:
        for table in list(self.buffers):
            self._flush(table)
        for w in self.writers.values():
            w.close()
        for name in TABLES:
            if name not in self.writers and name not in self.linked:
                import pyarrow.parquet as pq
                from .arrow_tables import arrow_schema
                # (a writer closed at once, not pq.write_table, which imports pandas)
                pq.ParquetWriter(self.path / f"{name}.parquet", arrow_schema(name), compression="zstd").close()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return self.path
