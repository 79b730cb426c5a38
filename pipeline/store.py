"""The output folder: published tables, the per-document cache, the run lock.

Layout of ``OUT`` (default ``data/out``)::

    OUT/documents.parquet -> current/documents.parquet   (one link per table)
    OUT/current -> .kanrisaku/gens/<run_id>               (swapped atomically)
    OUT/.kanrisaku/gens/<run_id>/*.parquet                (complete table sets)
    OUT/.kanrisaku/cache/<key>.pkl                        (rows of one document)
    OUT/.kanrisaku/manifest.json                          (doc_id -> sha256, key)
    OUT/.kanrisaku/lock                                   (flock: one run at a time)

A run writes a new generation beside the old one and publishes it by
replacing the ``current`` link in one rename, so readers see the old set or
the new set, never a mix; a run killed at any point leaves ``current`` on the
last complete set, and the next run removes the unfinished generation.
"""
from __future__ import annotations

import fcntl
import json
import os
import pickle
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TABLES, arrow_schema, to_table

STATE = ".kanrisaku"


class LockedError(RuntimeError):
    """Another run holds the output folder."""


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class OutputStore:
    def __init__(self, out: Path):
        self.out = Path(out)
        self.state = self.out / STATE
        self.gens = self.state / "gens"
        self.cache = self.state / "cache"
        self._lock_fd: int | None = None

    # -- locking -------------------------------------------------------------
    def lock(self, wait: bool = False) -> None:
        self.cache.mkdir(parents=True, exist_ok=True)
        self.gens.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.state / "lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            holder = ""
            try:
                holder = (self.state / "lock").read_text().strip()
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

    # -- manifest and cache --------------------------------------------------
    def manifest(self) -> dict:
        try:
            return json.loads((self.state / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save_manifest(self, manifest: dict) -> None:
        _atomic_write(self.state / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=0).encode())

    def cache_get(self, key: str) -> dict[str, pa.Table] | None:
        """One document's tables as Arrow tables (None when absent or unreadable)."""
        try:
            with open(self.cache / f"{key}.pkl", "rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError):
            return None

    def cache_put(self, key: str, tables: dict[str, pa.Table]) -> None:
        _atomic_write(self.cache / f"{key}.pkl", pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL))

    def cache_prune(self, keep: set[str]) -> None:
        for p in self.cache.glob("*.pkl"):
            if p.stem not in keep:
                p.unlink(missing_ok=True)

    # -- generations -----------------------------------------------------------
    def current_dir(self) -> Path | None:
        link = self.out / "current"
        if link.is_symlink() or link.is_dir():
            target = link.resolve()
            if target.is_dir():
                return target
        return None

    def read_current(self, table: str) -> pa.Table | None:
        """A table of the published set (through ParquetFile: pq.read_table
        would import pyarrow.dataset, ~0.5 s of an unchanged re-run)."""
        cur = self.current_dir()
        if cur is None or not (cur / f"{table}.parquet").exists():
            return None
        with pq.ParquetFile(cur / f"{table}.parquet") as f:
            return f.read()

    def new_generation(self, run_id: str) -> "GenerationWriter":
        self.cleanup()
        return GenerationWriter(self.gens / run_id)

    def publish(self, gen: Path) -> None:
        """Swap ``current`` to *gen* in one rename, then link each table."""
        tmp_link = self.out / f".current.{os.getpid()}.tmp"
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        os.symlink(os.path.relpath(gen, self.out), tmp_link)
        os.replace(tmp_link, self.out / "current")
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
        the one just replaced, which a reader may still be reading)."""
        cur = self.current_dir()
        gens = sorted((p for p in self.gens.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime) \
            if self.gens.exists() else []
        keep = {cur.resolve() if cur else None}
        if keep_previous is not None:
            older = [g for g in gens if g.resolve() not in keep]
            if older:
                keep.add(older[-1].resolve())
        for g in gens:
            if g.resolve() not in keep:
                shutil.rmtree(g, ignore_errors=True)
        for p in self.out.glob(".*.tmp"):
            p.unlink(missing_ok=True)


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

    def write(self, table: str, rows: list[dict], run_id: str | None = None) -> None:
        if rows:
            self.write_table(table, to_table(table, rows, run_id))

    def write_table(self, table: str, t: pa.Table, run_id: str | None = None) -> None:
        """Append an Arrow table; with *run_id*, its run_id column is replaced."""
        if t.num_rows == 0:
            return
        if run_id is not None:
            idx = t.schema.get_field_index("run_id")
            t = t.set_column(idx, pa.field("run_id", pa.string(), nullable=False),
                             pa.array([run_id] * t.num_rows, pa.string()))
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
        try:
            os.link(src, self.path / f"{table}.parquet")
        except OSError:
            shutil.copy2(src, self.path / f"{table}.parquet")
        self.linked.add(table)

    def _flush(self, table: str) -> None:
        parts = self.buffers.pop(table, [])
        self.buffered[table] = 0
        if not parts:
            return
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
                # (a writer closed at once, not pq.write_table, which imports pandas)
                pq.ParquetWriter(self.path / f"{name}.parquet", arrow_schema(name), compression="zstd").close()
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        return self.path
