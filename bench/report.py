"""Time of ``kanrisaku report`` (HTML and workbook) for 300 documents.

    python bench/report.py [--docs 300] [--from OUT] [--repeat 3] [--quiet-wait S] [--json bench/results/report.json]

Builds an output folder of --docs readable documents by replicating the
tables of an ingest of ``data/raw`` (texts and PDFs, tokens left out; or of
the output folder given with --from): every copy gets its own doc_id and
title, so the report has one row per copy.  Then it times, each the best of
--repeat: building the report's content (loading the tables included),
writing the HTML, writing the workbook, and ``kanrisaku report OUT --html
--xlsx`` as a fresh process (start-up and imports included; wall and CPU
seconds, and the machine's other load, which stretches wall time on a busy
machine).  Target: < 5 s.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402
import pyarrow.compute as pc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from pipeline.load import load  # noqa: E402
from pipeline.report import render_html, write_html  # noqa: E402
from pipeline.report_model import REPORT_TABLES, build  # noqa: E402
from pipeline.report_xlsx import write_xlsx  # noqa: E402
from scale import _busy_seconds, _children_cpu, wait_quiet  # noqa: E402  (bench/scale.py)

TARGET_S = 5.0


def _ingest(tmp: Path) -> Path:
    out = tmp / "seed-out"
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(ROOT / "data" / "raw"), "--out", str(out),
           "--no-tokens", "--quiet"]
    code = subprocess.run(cmd, cwd=ROOT).returncode
    if code not in (0, 1):
        raise SystemExit(f"ingest failed with exit code {code}")
    return out


def replicate(src: Path, dest: Path, n_docs: int) -> int:
    """Write the tables of *src* copied until *n_docs* readable documents exist; returns the copies made."""
    t = load(src, REPORT_TABLES)
    n_ok = int(pc.sum(pc.equal(t.arrow("documents").column("status"), "ok")).as_py())
    copies = -(-n_docs // n_ok)
    dest.mkdir(parents=True, exist_ok=True)
    kept = None
    for name in ("documents", *(n for n in REPORT_TABLES if n != "documents")):
        table = t.arrow(name)
        if "doc_id" not in table.column_names:
            pq.write_table(table, dest / f"{name}.parquet")
            continue
        parts = []
        for k in range(copies):
            part = table.set_column(table.column_names.index("doc_id"), "doc_id",
                                    pc.binary_join_element_wise(f"v{k:03d}/", table.column("doc_id"), ""))
            if name == "documents":
                part = part.set_column(part.column_names.index("title"), "title",
                                       pc.binary_join_element_wise(part.column("title"), f" #{k:03d}", ""))
            parts.append(part)
        merged = pa.concat_tables(parts)
        if name == "documents":       # exactly n_docs readable ones: drop the surplus copies
            ok = pc.equal(merged.column("status"), "ok")
            rank = pc.cumulative_sum(pc.cast(ok, pa.int64()))
            merged = merged.filter(pc.or_(pc.invert(ok), pc.less_equal(rank, n_docs)))
            kept = merged.column("doc_id")
        else:
            merged = merged.filter(pc.is_in(merged.column("doc_id"), value_set=kept.combine_chunks()))
        pq.write_table(merged, dest / f"{name}.parquet")
    return copies


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _cli(cmd: list[str], repeat: int, quiet) -> dict:
    """Wall and CPU seconds (user + system) of *cmd* as a fresh process, the run
    with the best wall time, and how many cores other processes kept busy meanwhile."""
    best: dict = {}
    for _ in range(repeat):
        quiet()
        busy0, own0 = _busy_seconds(), _children_cpu()
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        wall = time.perf_counter() - t0
        own = _children_cpu() - own0
        if not best or wall < best["wall_s"]:
            best = dict(wall_s=wall, cpu_s=own, other_load_cores=max(0.0, (_busy_seconds() - busy0 - own) / wall))
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--from", dest="src", type=Path, help="output folder to replicate (default: ingest data/raw)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--quiet-wait", type=float, default=0.0, metavar="S",
                    help="before each CLI run wait up to S seconds for the other processes to go quiet")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "report.json")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = a.src or _ingest(tmp)
        out = tmp / "out300"
        copies = replicate(src, out, a.docs)
        report = build(out)
        html, xlsx = tmp / "report.html", tmp / "report.xlsx"
        res = dict(documents=len(report.vendors), controls=len(report.control_ids), copies=copies,
                   fact_rows=sum(report.tables.arrow(n).num_rows for n in
                                 ("retention_periods", "time_targets", "log_timezones")),
                   build_s=_best(lambda: build(out), a.repeat),
                   render_html_s=_best(lambda: render_html(report), a.repeat),
                   write_html_s=_best(lambda: write_html(report, html), a.repeat),
                   write_xlsx_s=_best(lambda: write_xlsx(report, xlsx), a.repeat))
        cmd = [sys.executable, "-m", "pipeline", "report", str(out), "--html", str(html), "--xlsx", str(xlsx)]
        quiet = (lambda: wait_quiet(a.quiet_wait)) if a.quiet_wait else (lambda: 0.0)
        for key, c in (("cli_html_and_xlsx", cmd), ("cli_html_only", cmd[:-2])):
            res.update({f"{key}_{k}": v for k, v in _cli(c, a.repeat, quiet).items()})
        res["html_mb"] = round(html.stat().st_size / 1e6, 2)
        res["xlsx_mb"] = round(xlsx.stat().st_size / 1e6, 2)
    res["target_s"] = TARGET_S
    res["within_target"] = res["cli_html_and_xlsx_wall_s"] < TARGET_S
    for k, v in res.items():
        print(f"{k:<36}{v:.3f}" if isinstance(v, float) else f"{k:<36}{v}")
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps(res, indent=1) + "\n", encoding="utf-8")
    return 0 if res["within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
