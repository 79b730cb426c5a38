"""GiNZA: loaded lazily by each worker that meets a sentence needing a parse
(the default), or once before the workers fork (``--preload-ginza``)?

    .venv/bin/python bench/ginza_load.py [--sizes 10 100 1000] [--jobs N]

For each size, a folder of that many text documents is built in
``bench/corpus_ginza/<size>/`` (git-ignored) by cycling through the seed
texts, the real provider texts and the synthetic test documents (in that
mix about one document in fifty has a sentence the rules leave to the
parse), and ``kanrisaku ingest --full`` runs on it both ways, each as a
fresh process (interpreter start and model loading included). Printed per
run: wall seconds, sentences parsed, GiNZA seconds (loading and parsing,
summed over workers), peak RSS of the batch process and of a worker.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from scale import run_watched, wait_quiet  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"


def pool() -> list[Path]:
    files = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "real").glob("*.txt")) \
        + sorted((ROOT / "tests" / "data" / "synthetic" / "docs").glob("*.txt"))
    if not files:
        sys.exit(f"no documents under {SHARED}")
    return files


def build(dest: Path, n: int, files: list[Path]) -> None:
    want = {f"{i:04d}_{files[i % len(files)].name}": files[i % len(files)] for i in range(n)}
    dest.mkdir(parents=True, exist_ok=True)
    for p in dest.iterdir():
        if p.name not in want:
            p.unlink()
    for name, src in want.items():
        if not (dest / name).exists():
            shutil.copyfile(src, dest / name)


def run(corpus: Path, jobs: int, preload: bool, env: dict) -> dict:
    with tempfile.TemporaryDirectory(prefix="kanrisaku-ginza-") as tmp:
        log = Path(tmp) / "log.jsonl"
        cmd = [sys.executable, "-m", "pipeline", "ingest", str(corpus), "--out", str(Path(tmp) / "out"), "--full",
               "--quiet", "--no-tokens", "--jobs", str(jobs), "--log-json", str(log)]
        if preload:
            cmd.append("--preload-ginza")
        wall, proc, mem = run_watched(cmd, env)
        if proc.returncode not in (0, 1):
            sys.exit(f"ingest failed:\n{proc.stderr[-2000:]}")
        summary = json.loads(log.read_text(encoding="utf-8").splitlines()[-1])
    t = summary.get("timings", {})
    return dict(wall_s=wall, ginza_s=t.get("ginza", 0.0), parses=summary.get("counters", {}).get("ginza_parses", 0),
                main_mb=mem["main_mb"], worker_mb=mem["max_worker_mb"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--quiet-wait", type=float, default=0.0, metavar="S",
                    help="before each run, wait up to S seconds for the CPUs to be idle")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    files = pool()
    rows = []
    print(f"{'files':>6s} {'GiNZA':>8s} {'wall s':>8s} {'parsed':>7s} {'GiNZA s':>8s} {'main MB':>8s} {'worker MB':>10s}")
    for n in a.sizes:
        corpus = ROOT / "bench" / "corpus_ginza" / str(n)
        build(corpus, n, files)
        for preload in (False, True):
            if a.quiet_wait:
                wait_quiet(a.quiet_wait)
            r = dict(files=n, mode="pre-fork" if preload else "lazy", **run(corpus, a.jobs, preload, env))
            rows.append(r)
            print(f"{n:6d} {r['mode']:>8s} {r['wall_s']:8.1f} {r['parses']:7.0f} {r['ginza_s']:8.1f} "
                  f"{r['main_mb']:8.0f} {r['worker_mb']:10.0f}", flush=True)
    if a.json:
        a.json.write_text(json.dumps(dict(jobs=a.jobs, runs=rows), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
