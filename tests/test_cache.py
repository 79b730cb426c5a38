"""The per-document cache is data only and checked before use: a planted
pickle never runs, a damaged or edited entry or manifest is read again from
the source (a ``cache_rejected`` warning), and the published tables are
those of a clean run."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from conftest import SEEDS_DIR, copy_into, ingest, needs_corpus
from test_incremental import assert_frames, counts, last_run, snapshot, stable

pytestmark = needs_corpus

A, B, C = "000_1bec0d2da552fb1f.txt", "002_eada6c19ad08a7de.txt", "004_ff33830aca502d81.txt"
TABLES_COMPARED = ("documents", "sections", "controls", "retention_periods", "time_targets", "log_timezones",
                   "issues")


class Payload:
    """Unpickling this runs a shell command that creates *marker*."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch '{self.marker}'",)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """An output folder ingested from A and B (the template every case
    tampers with), then C added to the input, and a clean run of A, B, C."""
    root = tmp_path_factory.mktemp("cache")
    folder, template, clean = root / "in", root / "template", root / "clean"
    copy_into(folder, SEEDS_DIR / A, SEEDS_DIR / B)
    assert ingest(folder, template).returncode == 0
    copy_into(folder, SEEDS_DIR / C)
    assert ingest(folder, clean).returncode == 0
    return folder, template, snapshot(clean)


def manifest_path(out: Path) -> Path:
    return out / ".kanrisaku" / "manifest.json"


def entry(out: Path, doc_id: str, table: str) -> Path:
    key = json.loads(manifest_path(out).read_text())[doc_id]["key"]
    return out / ".kanrisaku" / "cache" / f"{key}.{table}.arrow"


def edit_manifest(out: Path, fn) -> None:
    m = json.loads(manifest_path(out).read_text())
    manifest_path(out).write_text(json.dumps(fn(m)))


def rejected(snap) -> set[str]:
    iss = snap["issues"]
    return set(iss[iss.code == "cache_rejected"].doc_id)


def assert_like_clean(snap, clean) -> None:
    """The tables of a clean run, but for the cache_rejected warnings."""
    for table in TABLES_COMPARED:
        got = snap[table]
        if table == "issues":       # (dropping rows can leave an all-null column of another dtype)
            got = stable(got[got.code != "cache_rejected"])
            want = stable(clean[table])
            assert len(got) == len(want) > 0
            pd.testing.assert_frame_equal(got.astype(object), want.astype(object), obj=table)
            continue
        assert_frames(stable(got), stable(clean[table]), obj=table)


def run_case(base, tmp_path, tamper) -> tuple:
    folder, template, clean = base
    out = tmp_path / "out"
    shutil.copytree(template, out, symlinks=True)
    tamper(out)
    res = ingest(folder, out)
    assert "Traceback" not in res.stderr, res.stderr
    assert res.returncode == 0, res.stderr
    snap = snapshot(out)
    assert_like_clean(snap, clean)
    return out, snap


def test_planted_pickle_never_runs_and_garbage_is_read_again(base, tmp_path):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(Payload(marker))
    assert b"system" in payload

    def tamper(out):
        entry(out, A, "documents").write_bytes(payload)       # a pickle in place of an Arrow entry
        key_b = json.loads(manifest_path(out).read_text())[B]["key"]
        (out / ".kanrisaku" / "cache" / f"{key_b}.pkl").write_bytes(payload)   # an entry of the old format
        entry(out, B, "sections").write_bytes(os.urandom(3000))                # garbage
    out, snap = run_case(base, tmp_path, tamper)
    assert not marker.exists()
    assert rejected(snap) == {A, B}
    assert not list((out / ".kanrisaku" / "cache").glob("*.pkl"))
    assert counts(last_run(snap)) == (1, 0, 2, 0, 0)
    msgs = dict(zip(snap["issues"].doc_id, snap["issues"].message))
    assert "does not match the hash" in msgs[A]


def test_pickles_of_an_earlier_version_are_deleted_unread(base, tmp_path):
    marker = tmp_path / "pwned"

    def tamper(out):
        cache = out / ".kanrisaku" / "cache"
        for p in cache.iterdir():
            p.unlink()
        (cache / "0123456789abcdef0123456789abcdef.pkl").write_bytes(pickle.dumps(Payload(marker)))
    out, snap = run_case(base, tmp_path, tamper)
    assert not marker.exists()
    left = list((out / ".kanrisaku" / "cache").iterdir())
    assert left and {p.suffix for p in left} == {".arrow"}
    assert rejected(snap) == {A, B}        # their entries are gone: read again


def _other_schema(out: Path) -> None:
    """A well-formed Arrow file whose schema lacks a column, with its hash
    recorded: only the schema check stops it."""
    t = pa.table({"doc_id": [A], "sha256": ["x"]})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, t.schema) as w:
        w.write_table(t)
    data = sink.getvalue().to_pybytes()
    entry(out, A, "documents").write_bytes(data)

    def fix(m):
        m[A]["tables"]["documents"] = hashlib.sha256(data).hexdigest()
        return m
    edit_manifest(out, fix)


def _swap_entries(out: Path) -> None:
    """A's manifest entry made to name B's cache files and hashes."""
    m = json.loads(manifest_path(out).read_text())
    for table in m[B]["tables"]:
        shutil.copyfile(entry(out, B, table), entry(out, A, table))
    m[A]["tables"] = m[B]["tables"]
    manifest_path(out).write_text(json.dumps(m))


def _hash_edited(m):
    m[B]["tables"]["documents"] = "0" * 64
    return m


def _table_struck(m):
    del m[A]["tables"]["controls"]
    return m


def _entry_damaged(m):
    m[A] = {"sha256": 5, "key": ["x"]}
    return m


@pytest.mark.parametrize("tamper, expect", [
    (lambda out: manifest_path(out).write_text('{"000_1bec0d2da552fb1f.txt": {"sha'), {".kanrisaku/manifest.json"}),
    (lambda out: manifest_path(out).write_text("[1, 2, 3]"), {".kanrisaku/manifest.json"}),
    (lambda out: manifest_path(out).write_bytes(b"\xff\xfe\x00garbage"), {".kanrisaku/manifest.json"}),
    (lambda out: edit_manifest(out, _hash_edited), {B}),
    (lambda out: edit_manifest(out, _entry_damaged), {A}),
    (lambda out: edit_manifest(out, _table_struck), {A}),
    (_other_schema, {A}),
    (_swap_entries, {A}),
    (lambda out: entry(out, A, "controls").unlink(), {A}),
    (lambda out: (entry(out, B, "documents").unlink(), entry(out, B, "documents").symlink_to("/dev/zero")), {B}),
], ids=["truncated", "not-an-object", "not-utf8", "hash-edited", "entry-damaged", "table-struck", "other-schema",
        "another-documents-entry", "entry-missing", "link-to-device"])
def test_untrusted_manifest_or_entry_is_read_again(base, tmp_path, tamper, expect):
    _, snap = run_case(base, tmp_path, tamper)
    assert rejected(snap) == expect


def test_cache_serves_unchanged_documents_without_warnings(base, tmp_path):
    """The control case: nothing tampered, two documents come from the cache."""
    _, snap = run_case(base, tmp_path, lambda out: None)
    assert rejected(snap) == set()
    assert counts(last_run(snap)) == (1, 0, 2, 0, 0)
    first = snap["documents"].set_index("doc_id").ingested_at
    assert first[A] < first[C] and first[B] < first[C]     # A and B were not read again


def test_key_changes_with_the_rules(monkeypatch):
    """A rules or catalogue change gives a new key even when the version stays."""
    from pipeline import cache
    key = cache.cache_key(A, "ab" * 32, False, True)
    assert key == cache.cache_key(A, "ab" * 32, False, True)
    monkeypatch.setattr(cache, "rules_digest", lambda: "another rule set")
    assert cache.cache_key(A, "ab" * 32, False, True) != key


def test_rules_digest_covers_rules_and_catalogue():
    from pipeline import cache
    root = Path(cache.__file__).resolve().parents[1]
    files = {p.relative_to(root).as_posix() for d in cache._CODE_DIRS for pat in ("*.py", "*.csv")
             for p in (root / d).rglob(pat)}
    assert {"pipeline/data/controls.csv", "extractors/retention.py", "pipeline/segment/recognisers.py"} <= files
    assert len(cache.rules_digest()) == 64


def test_model_versions_from_dist_info_names_match_metadata():
    """The cache key's model versions are read from the dist-info folder
    names (fast); they must be what importlib.metadata says."""
    from pipeline.versions import _MODEL_PACKAGES, _metadata_version, model_versions
    got = model_versions()
    assert got == {p: _metadata_version(p) for p in _MODEL_PACKAGES}
    assert got["sudachipy"] != "-" and got["pypdfium2"] != "-"


def test_an_entry_with_the_same_bytes_is_not_written_again(tmp_path):
    """Regression (speed): a --full run rewrote every cache file of every
    document under the same key, and on ext4 a rename over an existing file
    starts its write-back at once (~2 ms a file). Files already holding the
    bytes stay as they are; different bytes, or a link planted under the
    name, are replaced."""
    from pipeline.arrow_tables import to_table
    from pipeline.cache import DocCache
    cache = DocCache(tmp_path)
    row = dict(doc_id="a.txt", severity="warning", code="empty_text", message="m", page=None, char_start=None)
    tables = {"issues": to_table("issues", [row], "-")}
    first = cache.put("k", tables)
    inodes = {p.name: p.stat().st_ino for p in tmp_path.iterdir()}
    assert len(inodes) == 8
    assert cache.put("k", tables) == first
    assert {p.name: p.stat().st_ino for p in tmp_path.iterdir()} == inodes
    issues = tmp_path / "k.issues.arrow"
    other = dict(row, message="another message")
    cache.put("k", {"issues": to_table("issues", [other], "-")})
    assert issues.stat().st_ino != inodes[issues.name]
    data = issues.read_bytes()
    issues.unlink()
    (tmp_path / "elsewhere").write_bytes(data)
    issues.symlink_to(tmp_path / "elsewhere")
    cache.put("k", {"issues": to_table("issues", [other], "-")})
    assert not issues.is_symlink() and issues.read_bytes() == data
