"""The output folder is ours alone and never input: links planted in the
state folder are not followed out of it, and --out equal to or inside the
input folder is refused or left out of discovery."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import SEEDS_DIR, copy_into, ingest, needs_corpus, run_cli
from test_cache import assert_like_clean, rejected
from test_incremental import counts, last_run, snapshot

A, B, C = "000_1bec0d2da552fb1f.txt", "002_eada6c19ad08a7de.txt", "004_ff33830aca502d81.txt"


def tree(root: Path) -> dict[str, tuple]:
    """Every name below *root* (links not followed) with its kind, bytes and mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            data = os.readlink(p) if p.is_symlink() else (p.read_bytes() if p.is_file() else None)
            out[str(p.relative_to(root))] = (st.st_mode, data, st.st_mtime_ns)
    return out


def outside_world(root: Path) -> dict[str, Path]:
    """Folders and a file outside OUT that a planted link points at, each
    looking like what a careless run would delete or write."""
    gen = root / "elsewhere_gen"          # looks like a generation: parquet files
    gen.mkdir(parents=True)
    for name in ("documents", "runs", "changes", "controls"):
        (gen / f"{name}.parquet").write_bytes(b"not ours " + name.encode())
    other = root / "elsewhere_dir"
    other.mkdir()
    (other / "precious.txt").write_text("keep me")
    cache = root / "elsewhere_cache"
    cache.mkdir()
    (cache / "0123.pkl").write_bytes(b"old")
    (cache / "0123.documents.arrow").write_bytes(b"entry")
    (root / "elsewhere_lock").write_text("a file someone needs")
    return dict(gen=gen, other=other, cache=cache, lock=root / "elsewhere_lock")


@needs_corpus
@pytest.mark.parametrize("add_file", [True, False], ids=["new-file", "unchanged"])
def test_links_planted_in_the_state_folder_are_never_followed(tmp_path, add_file):
    folder, out, clean = tmp_path / "in", tmp_path / "out", tmp_path / "clean"
    world = tmp_path / "world"
    copy_into(folder, SEEDS_DIR / A, SEEDS_DIR / B)
    assert ingest(folder, out).returncode == 0
    places = outside_world(world)
    state = out / ".kanrisaku"
    (out / "current").unlink()
    (out / "current").symlink_to(places["gen"])                   # current pointing outside OUT
    (state / "gens" / "20990101T000000000000Z-evil").symlink_to(places["other"])   # a "generation" outside
    shutil.rmtree(state / "cache")
    (state / "cache").symlink_to(places["cache"])                  # the cache folder outside
    (state / "lock").unlink()
    (state / "lock").symlink_to(places["lock"])                    # the lock file outside
    (out / ".kanrisaku-write-test").symlink_to(places["lock"])     # the name of the CLI's write probe
    (out / "runs.parquet").unlink()
    (out / "runs.parquet").symlink_to(places["gen"] / "runs.parquet")   # a table link outside
    before = tree(world)
    if add_file:
        copy_into(folder, SEEDS_DIR / C)
    res = ingest(folder, out)
    assert res.returncode == 0, res.stderr
    assert tree(world) == before                                   # nothing outside was deleted or written
    cur = Path(os.path.realpath(out / "current"))
    assert cur.parent == (state / "gens").resolve()
    assert os.readlink(out / "runs.parquet") == os.path.join("current", "runs.parquet")
    for name in ("cache", "gens"):
        assert not (state / name).is_symlink()
    assert not os.path.lexists(state / "gens" / "20990101T000000000000Z-evil")
    assert ingest(folder, clean).returncode == 0
    snap = snapshot(out)
    assert_like_clean(snap, snapshot(clean))
    assert rejected(snap) == {A, B}       # their entries were in the planted cache folder: read again
    assert counts(last_run(snap)) == ((1 if add_file else 0), 0, 2, 0, 0)


@needs_corpus
def test_out_equal_to_the_input_is_refused(tmp_path):
    folder = tmp_path / "in"
    copy_into(folder, SEEDS_DIR / A)
    alias = tmp_path / "alias"
    alias.symlink_to(folder)
    for out in (folder, alias, folder / "." , tmp_path / "x" / ".." / "in"):
        res = run_cli("ingest", folder, "--out", out, "--no-tokens")
        assert res.returncode == 2, out
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and "is the input folder" in lines[0], res.stderr
        assert sorted(p.name for p in folder.iterdir()) == [A]     # nothing written into it


@needs_corpus
def test_out_inside_the_input_is_not_read(tmp_path):
    folder = tmp_path / "in"
    copy_into(folder, SEEDS_DIR / A)
    out = folder / "tables"
    for k in range(3):
        res = run_cli("ingest", folder, "--out", out, "--no-tokens", "--jobs", "1")
        assert res.returncode == 0, res.stderr
        assert "(new %d, changed 0, unchanged %d, deleted 0; 0 other files skipped)" % (k == 0, k > 0) in res.stdout
        assert "note: tables/ is the output folder (--out) inside the input folder: not read as input" in res.stdout
    docs = snapshot(out)["documents"]
    assert list(docs.doc_id) == [A]


@pytest.mark.parametrize("layout, found, notes", [
    # an earlier output folder below the input (its state folder marks it) is never entered
    ({"a.txt": "x", "old/.kanrisaku/manifest.json": "{}", "old/report.txt": "y", "old/sub/z.md": "z"},
     ["a.txt"], ["old/ holds a kanrisaku output folder (.kanrisaku): not read as input"]),
    ({"a.txt": "x", "deep/er/.kanrisaku/lock": "", "deep/er/b.txt": "y", "deep/c.txt": "c"},
     ["a.txt", "deep/c.txt"], ["deep/er/ holds a kanrisaku output folder (.kanrisaku): not read as input"]),
    ({"a.txt": "x", "kanrisaku/b.txt": "y"}, ["a.txt", "kanrisaku/b.txt"], []),
])
def test_discovery_never_enters_an_output_folder(tmp_path, layout, found, notes):
    from pipeline.ingest import Options, discover
    for rel, text in layout.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    files, skipped, problems, got_notes = discover(tmp_path, Options())
    assert [d for d, _ in files] == found
    assert (skipped, problems, got_notes) == (0, [], notes)


def test_discovery_leaves_out_the_output_folder_by_identity(tmp_path):
    """--out given through a link to a folder inside the input is still recognised."""
    from pipeline.ingest import Options, discover
    (tmp_path / "in" / "out").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text("x")
    (tmp_path / "in" / "out" / "b.txt").write_text("y")
    (tmp_path / "link").symlink_to(tmp_path / "in" / "out")
    files, skipped, _, notes = discover(tmp_path / "in", Options(), tmp_path / "link")
    assert [d for d, _ in files] == ["a.txt"] and skipped == 0
    assert notes == ["out/ is the output folder (--out) inside the input folder: not read as input"]
