"""The per-document cache: data only, checked before use.

One document's tables are kept as Arrow IPC files, one per table:
``OUT/.kanrisaku/cache/<key>.<table>.arrow``.  Output folders are shared (a
nightly job writes them, analysts open them, colleagues copy them), so
anyone who can write into one must not get to run code as the next user who
ingests into it: nothing here is unpickled, evaluated or imported.  An entry
is read as bytes, its sha256 compared with the one the manifest recorded when
it was written, then parsed by pyarrow, validated, and compared with the
schema of this version (:mod:`pipeline.schema`).  Anything that fails is a
:class:`Rejected` entry: the caller reads the document's source again.

The key (:func:`cache_key`) binds the source's sha256, the kanrisaku version,
the model versions and a digest of the rule code and catalogue data, so a
change that can give different rows never reuses an old entry.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .schema import DOCUMENT_TABLES

if TYPE_CHECKING:
    import pyarrow as pa
# pyarrow is imported where entries are written or parsed, not with this
# module: the unchanged nightly re-run computes keys and never needs it.

SUFFIX = ".arrow"
LEGACY_SUFFIX = ".pkl"          # the pickled entries of kanrisaku before the data-only cache
MAX_ENTRY_BYTES = 1 << 30       # one table of one document; larger is not ours
_CODE_DIRS = ("pipeline", "extractors")


class Rejected(Exception):
    """A cache entry that cannot be trusted; the message says why."""


# -- the key ----------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def rules_digest() -> str:
    """sha256 over the source of ``pipeline/`` and ``extractors/`` and the
    catalogue data (``pipeline/data/*.csv``): computed once per process.  The
    version string stays the same while rules change; this does not."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    files = sorted(p for d in _CODE_DIRS for pattern in ("*.py", "*.csv") for p in (root / d).rglob(pattern))
    for p in files:
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def model_versions() -> dict[str, str]:
    """Installed versions do not change during a run: looked up once (each
    look-up parses package metadata, ~3 ms x 6 packages x every file)."""
    from .versions import model_versions as look_up
    return look_up()


def cache_key(doc_id: str, sha: str, with_password: bool, with_tokens: bool, ocr: object = None) -> str:
    """The cache entry of a document's tables: its bytes, this version, the
    models, the rules and catalogue, and the options that change rows (a
    password, tokens, OCR). (The hash of the JSON list ``[doc_id, sha,
    version, models, rules digest, password?, tokens?, ocr]``, its constant
    middle serialised once per run.)"""
    head = json.dumps([doc_id, sha])[:-1]
    tail = json.dumps([with_password, with_tokens, ocr])[1:]
    middle = _key_middle(__version__, tuple(model_versions().items()), rules_digest())
    return hashlib.sha256(f"{head}, {middle}, {tail}".encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=4)
def _key_middle(version: str, models: tuple, digest: str) -> str:
    return json.dumps([version, dict(models), digest])[1:-1]


# -- reading without following links ------------------------------------------------

def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of *path* if it is a regular file of at most *limit* bytes.
    A symbolic link is not followed (it may point out of the output folder),
    and a FIFO or device planted in its place is not opened for reading."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path.name} is not a regular file")
        if st.st_size > limit:
            raise OSError(f"{path.name} is larger than {limit} bytes")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise OSError(f"{path.name} grew above {limit} bytes")
        return data
    finally:
        os.close(fd)


# -- the store ----------------------------------------------------------------------

def ipc_bytes(name: str, t: pa.Table) -> bytes:
    """Table *name* as a cache entry file: an Arrow IPC file of its schema
    (uncompressed: LZ4 halves an entry's bytes but doubles the batch
    process's time to write it (measured), and that process shares the cores
    with the workers)."""
    import pyarrow as pa
    from .arrow_tables import arrow_schema
    schema = arrow_schema(name)
    if not t.schema.equals(schema, check_metadata=True):
        t = t.cast(schema)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, schema, options=pa.ipc.IpcWriteOptions(use_threads=False)) as w:
        w.write_table(t)
    return sink.getvalue().to_pybytes()


def read_ipc(data: bytes) -> pa.Table:
    """The table of :func:`ipc_bytes` (made by a worker of this run)."""
    import pyarrow as pa
    with pa.ipc.open_file(pa.BufferReader(data)) as r:
        return r.read_all()


@functools.lru_cache(maxsize=None)
def _empty_entry(name: str) -> bytes:
    """The entry file of a table without rows (most documents have no rows
    in several tables): the same bytes every time."""
    from .arrow_tables import empty_table
    return ipc_bytes(name, empty_table(name))


class DocCache:
    """The cache folder. Entries are written once under their key and
    checked against the hashes the manifest holds for them."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _path(self, key: str, table: str) -> Path:
        return self.folder / f"{key}.{table}{SUFFIX}"

    def put(self, key: str, tables: dict[str, pa.Table], encoded: dict[str, bytes] | None = None) -> dict[str, str]:
        """Write one document's tables; returns {table: sha256} for the
        manifest. Every document table is written, an empty one too, so that
        an entry is complete only with all of them (a table struck from the
        manifest's list cannot make a document lose its rows). *encoded*:
        tables already serialised by :func:`ipc_bytes` (in the worker)."""
        hashes = {}
        encoded = encoded or {}
        for name in DOCUMENT_TABLES:
            t = tables.get(name)
            data = _empty_entry(name) if t is None or t.num_rows == 0 else (
                encoded.get(name) or ipc_bytes(name, t))
            path = self._path(key, name)
            if not _holds(path, data):
                _atomic_write(path, data, sync=False)   # a torn entry fails its hash
            hashes[name] = hashlib.sha256(data).hexdigest()
        return hashes

    def check(self, key: str, hashes) -> None:
        """The entry's files have the hashes the manifest recorded (the
        quick check before the workers start; :meth:`get` checks it all
        again when the rows are used). Raises :class:`Rejected`."""
        self._hashed(key, hashes)

    def _hashed(self, key: str, hashes) -> dict[str, bytes]:
        if not isinstance(hashes, dict) or set(hashes) != set(DOCUMENT_TABLES) \
                or not all(isinstance(v, str) for v in hashes.values()):
            raise Rejected("the manifest does not list a hash for each of the entry's tables")
        out = {}
        for name, want in hashes.items():
            try:
                data = read_regular(self._path(key, name), MAX_ENTRY_BYTES)
            except OSError as e:
                raise Rejected(f"{name}: cannot be read ({e.strerror or e})") from None
            if hashlib.sha256(data).hexdigest() != want:
                raise Rejected(f"{name}: its content does not match the hash recorded when it was written")
            out[name] = data
        return out

    def get(self, key: str, hashes, doc_id: str, sha: str) -> dict[str, pa.Table]:
        """The entry *key*, checked against *hashes* (from the manifest) and
        against the document it must describe; raises :class:`Rejected`."""
        tables = {name: _parse(name, data) for name, data in self._hashed(key, hashes).items()}
        _check_owner(tables, doc_id, sha)
        return tables

    def prune(self, keep: set[str]) -> None:
        """Remove every entry whose key is not in *keep*, the pickles of
        earlier versions and left-over temporary files. Only names in the
        cache folder itself are unlinked (a link is removed, never followed);
        a folder planted here is left alone."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for e in entries:
            key = e.name.split(".", 1)[0]
            if key in keep and e.name.endswith(SUFFIX):
                continue
            if e.is_dir(follow_symlinks=False):
                continue
            try:
                os.unlink(e.path)
            except OSError:
                pass

    def remove_legacy(self) -> int:
        """Delete the ``.pkl`` entries of earlier versions, unread."""
        n = 0
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return 0
        for e in entries:
            if e.name.endswith(LEGACY_SUFFIX) and not e.is_dir(follow_symlinks=False):
                try:
                    os.unlink(e.path)
                    n += 1
                except OSError:
                    pass
        return n


def _parse(name: str, data: bytes) -> pa.Table:
    """An Arrow IPC file with exactly this version's schema of *name*."""
    import pyarrow as pa
    from .arrow_tables import arrow_schema
    try:
        with pa.ipc.open_file(pa.BufferReader(data)) as r:
            if not r.schema.equals(arrow_schema(name), check_metadata=True):
                raise Rejected(f"{name}: its schema is not the schema of this version")
            t = r.read_all()
        t.validate(full=True)
    except Rejected:
        raise
    except (pa.ArrowException, ValueError, OSError) as e:
        raise Rejected(f"{name}: not a readable Arrow file ({str(e).splitlines()[0][:120]})") from None
    return t


def _check_owner(tables: dict[str, pa.Table], doc_id: str, sha: str) -> None:
    """Every row belongs to *doc_id*, and the documents row to these bytes
    (an edited manifest may point at another document's entry)."""
    docs = tables["documents"]
    if docs.num_rows != 1:
        raise Rejected("documents: not exactly one row")
    if docs.column("sha256")[0].as_py() != sha:
        raise Rejected("documents: the entry was made from other bytes")
    for name, t in tables.items():
        if t.num_rows and t.column("doc_id").unique().to_pylist() != [doc_id]:
            raise Rejected(f"{name}: rows of another document")


def _holds(path: Path, data: bytes) -> bool:
    """Is *path* a regular file with exactly these bytes?  (A ``--full`` run
    or a re-read document makes the same entry again: comparing is cheaper
    than writing, and ext4 starts writing a file back at once when it is
    renamed over an existing one, ~2 ms per cache file.)"""
    try:
        return read_regular(path, len(data)) == data
    except OSError:
        return False


def new_file(folder: Path, prefix: str, suffix: str = ".tmp") -> tuple[int, str]:
    """(fd, path) of a new file of ours in *folder*, as ``tempfile.mkstemp``
    makes one (mode 0600, created with O_EXCL: nothing planted under the name
    is followed), without importing tempfile (~9 ms of an unchanged re-run)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.urandom(6).hex()}{suffix}")
        try:
            return os.open(path, flags, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _atomic_write(path: Path, data: bytes, sync: bool = True) -> None:
    """Write *path* through a new temporary file and a rename: a link planted
    under the name is replaced, never written through."""
    fd, tmp = new_file(path.parent, path.name + ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
