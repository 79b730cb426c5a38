"""Per-stage time of an ingest of the seed whitepapers (text and PDF).

    python bench/stages.py [--corpus ../shared/corpus] [--repeat 3] [--json out.json]

Runs the per-document pipeline in this process (one worker, models loaded
once, their load time reported apart) and prints, per stage, the seconds
summed over all documents: read, normalise, segment, sentences, Sudachi,
controls, GiNZA, extract (rules, GiNZA excluded) and write (Parquet).
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.nlp import Ginza, sudachi  # noqa: E402
from pipeline.process import process_document  # noqa: E402
from pipeline.schema import DOCUMENT_TABLES  # noqa: E402
from pipeline.store import GenerationWriter  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--folder", type=Path, action="append",
                    help="measure the files of this folder instead of the seeds (repeatable)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    if a.folder:
        files = sorted(p for d in a.folder for p in d.iterdir() if p.is_file())
    else:
        files = sorted((a.corpus / "seeds").glob("*.txt")) + sorted(
            p for p in (a.corpus / "pdf").glob("*.pdf") if "scanned" not in p.name)
    t = time.perf_counter()
    sudachi()
    load_sudachi = time.perf_counter() - t
    t = time.perf_counter()
    Ginza.nlp()
    load_ginza = time.perf_counter() - t
    Ginza.seconds = 0.0

    best: dict[str, float] | None = None
    calls0 = Ginza.calls
    chars = pages = 0
    for _ in range(a.repeat):
        stages: dict[str, float] = {}
        chars = pages = 0
        with tempfile.TemporaryDirectory() as tmp:
            gen = GenerationWriter(Path(tmp) / "gen")
            for f in files:
                res = process_document(f.name, f.read_bytes())
                for k, v in res.timings.items():
                    key = "extract" if k.startswith("extract:") else k
                    stages[key] = stages.get(key, 0.0) + v
                stages["extract"] = stages.get("extract", 0.0) - res.timings.get("ginza", 0.0)
                doc = res.tables["documents"][0]
                doc["ingested_at"] = datetime.datetime.now(datetime.timezone.utc)
                chars += doc["n_chars"]
                pages += doc["n_pages"] or 0
                t = time.perf_counter()
                for table in DOCUMENT_TABLES:
                    gen.write(table, res.tables.get(table, []), "bench")
                stages["write"] = stages.get("write", 0.0) + time.perf_counter() - t
            t = time.perf_counter()
            gen.close()
            stages["write"] += time.perf_counter() - t
        total = sum(stages.values())
        if best is None or total < sum(best.values()):
            best = stages
    assert best is not None
    total = sum(best.values())
    order = ["read", "normalise", "segment", "sentences", "sudachi", "controls", "ginza", "extract", "write"]
    print(f"{len(files)} documents ({pages} PDF pages, {chars:,} characters), best of {a.repeat} runs, one process")
    print(f"model load: Sudachi {load_sudachi * 1000:.0f} ms, GiNZA {load_ginza * 1000:.0f} ms (once per worker)")
    print(f"{'stage':10s} {'seconds':>9s} {'share':>7s}")
    for k in order + sorted(set(best) - set(order)):
        if k in best:
            print(f"{k:10s} {best[k]:9.3f} {best[k] / total:7.1%}")
    print(f"{'total':10s} {total:9.3f}   {len(files) / total:.1f} documents/s, {chars / total / 1000:.0f} k chars/s")
    parses = (Ginza.calls - calls0) / a.repeat
    per_page = f", {100 * parses / pages:.1f} per 100 PDF pages" if pages else ""
    print(f"GiNZA: {parses:.0f} sentences parsed over the {len(files)} documents{per_page} "
          f"({1000 * parses / max(chars, 1):.2f} per 1,000 characters)")
    if a.json:
        a.json.write_text(json.dumps(dict(documents=len(files), pages=pages, chars=chars, stages=best,
                                          load_sudachi=load_sudachi, load_ginza=load_ginza, total=total,
                                          ginza_parses=parses), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
