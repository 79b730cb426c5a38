"""Nightly re-runs against a full run: what the data-only cache costs.

    .venv/bin/python bench/rerun.py [--copies 26] [--jobs N] [--repeat 5] [--json bench/results/rerun.json]

On the corpus of ``bench/scale.py`` (26 copies = 312 documents, 2,028 PDF
pages), each run a fresh ``kanrisaku ingest`` process with tokens, as the
nightly job runs it:

* full: ``--full`` on all cores, into a new output folder;
* unchanged: nothing changed (the published set is reused; the cache is not
  read; pyarrow is not imported) - the target is at most 1 % of the full run;
* one new file: every other document comes from the cache, each entry read,
  hash-checked, parsed and schema-checked twice (before the workers start,
  and when its rows are written);
* one edited file: the same, plus the changes of that file.

The median of --repeat runs is reported for the three re-runs.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from scale import SHARED, build_corpus, compile_bytecode  # noqa: E402

TARGET = 0.01


def ingest(folder: Path, out: Path, jobs: int, *extra: str) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(out),
                           "--jobs", str(jobs), "--quiet", *extra], cwd=ROOT, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"ingest failed ({proc.returncode}):\n{proc.stderr}")
    return dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=26)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "rerun.json")
    a = ap.parse_args()
    folder = ROOT / "bench" / "corpus"
    files = build_corpus(folder, SHARED, a.copies)
    compile_bytecode()
    out = ROOT / "bench" / "results" / "out-rerun"
    shutil.rmtree(out, ignore_errors=True)
    extra = folder / "zz_extra.txt"
    extra.unlink(missing_ok=True)
    try:
        full = ingest(folder, out, a.jobs, "--full")
        unchanged = [ingest(folder, out, a.jobs) for _ in range(a.repeat)]
        added, edited = [], []
        seed = next(p for p in files if p.suffix == ".txt")
        text = seed.read_text(encoding="utf-8")
        for k in range(a.repeat):
            extra.write_text(text + f"\n追記 {k}。\n", encoding="utf-8")
            added.append(ingest(folder, out, a.jobs))        # new (k = 0) or changed: one file read
            extra.unlink()
            ingest(folder, out, a.jobs)                      # back to the corpus (a deletion)
        for k in range(a.repeat):
            seed.write_text(text + f"\n追記 {k}。\n", encoding="utf-8")
            edited.append(ingest(folder, out, a.jobs))
        seed.write_text(text, encoding="utf-8")
        ingest(folder, out, a.jobs)
    finally:
        extra.unlink(missing_ok=True)
    cache_mb = sum(p.stat().st_size for p in (out / ".kanrisaku" / "cache").iterdir()) / 2**20
    rows = [("full (--full, all cores)", full), ("unchanged re-run", statistics.median(unchanged)),
            ("one file added", statistics.median(added)), ("one file edited", statistics.median(edited))]
    print(f"{len(files)} documents, --jobs {a.jobs}, tokens on; cache {cache_mb:.0f} MB")
    print(f"{'run':28s} {'wall s':>8s} {'x full':>8s}")
    for name, t in rows:
        print(f"{name:28s} {t:8.2f} {t / full:8.3f}")
    ratio = rows[1][1] / full
    print(f"unchanged / full = {ratio:.1%} (target <= {TARGET:.0%}): {'ok' if ratio <= TARGET else 'MISSED'}")
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps(dict(documents=len(files), jobs=a.jobs, cache_mb=round(cache_mb, 1),
                                      full_s=full, unchanged_s=unchanged, added_s=added, edited_s=edited,
                                      unchanged_vs_full=ratio, target=TARGET), indent=1))
    shutil.rmtree(out, ignore_errors=True)
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
