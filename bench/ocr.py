"""OCR cost: seconds per scanned page and peak memory of a worker.

Each PDF is processed in a fresh Python process, as a worker would
(``process_document`` with tokens), so model loading and Tesseract's
start-up are included and the peak RSS is the worker's own.  Printed per
file: pages, OCR wall seconds per page (reading the PDF, i.e. rendering,
cleaning and Tesseract), Tesseract CPU seconds per page, the whole
document's wall time, the peak RSS of the worker and of its largest
Tesseract child, the mean OCR confidence.

    .venv/bin/python bench/ocr.py                          # the corpus's scanned PDF
    .venv/bin/python bench/ocr.py --scans                  # + scanned copies of the other seeds
    .venv/bin/python bench/ocr.py some.pdf --dpi 200

Other work on the machine inflates wall times (the 2-core development
machine is shared): the CPU column is the steadier number.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpus" / "pdf"


def worker(path: Path, dpi: int) -> dict:
    """Process one PDF here; report its costs."""
    sys.path.insert(0, str(REPO))
    from pipeline.ocr import OcrOptions
    from pipeline.process import process_document
    data = path.read_bytes()
    t0 = time.perf_counter()
    res = process_document(path.name, data, ocr=OcrOptions("auto", dpi))
    wall = time.perf_counter() - t0
    (doc,) = res.tables["documents"]
    used = [i for i in res.tables["issues"] if i["code"] == "ocr_used"]
    ocr_pages = int(used[0]["message"].split(" of ")[0]) if used else 0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return dict(file=path.name, status=doc["status"], pages=doc["n_pages"], ocr_pages=ocr_pages,
                read_s=round(res.timings.get("read", 0.0), 2), total_s=round(wall, 2),
                tesseract_cpu_s=round(children.ru_utime + children.ru_stime, 2),
                worker_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                tesseract_rss_mb=round(children.ru_maxrss / 1024), confidence=doc["ocr_confidence"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--scans", action="store_true",
                    help="also make scanned copies of the seed PDFs (tools/make_scans.py) and measure them")
    ap.add_argument("--dpi", type=int, default=300)
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        print(json.dumps(worker(a.worker, a.dpi)))
        return 0
    pdfs = a.pdfs or sorted(SHARED.glob("*.scanned.pdf"))
    with tempfile.TemporaryDirectory() as tmp:
        if a.scans:
            seeds = [p for p in sorted(SHARED.glob("*.pdf")) if p.name.count(".") == 1
                     and not (SHARED / f"{p.stem}.scanned.pdf").exists()]
            subprocess.run([sys.executable, str(REPO / "tools" / "make_scans.py"), *map(str, seeds), "--out", tmp],
                           check=True, capture_output=True)
            pdfs += sorted(Path(tmp).glob("*.pdf"))
        print(f"{'file':42} {'pages':>5} {'OCR s/page':>10} {'tess CPU s/page':>15} {'doc s':>7} "
              f"{'worker RSS':>10} {'tess RSS':>8} {'conf':>5}")
        rows = []
        for pdf in pdfs:
            out = subprocess.run([sys.executable, __file__, "--worker", str(pdf), "--dpi", str(a.dpi)],
                                 capture_output=True, text=True)
            if out.returncode != 0:
                print(f"{pdf.name}: failed: {out.stderr.strip()[-300:]}")
                continue
            r = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(r)
            n = max(1, r["ocr_pages"])
            print(f"{r['file']:42} {r['pages']:>5} {r['read_s'] / n:>10.2f} {r['tesseract_cpu_s'] / n:>15.2f} "
                  f"{r['total_s']:>7.1f} {r['worker_rss_mb']:>7} MB {r['tesseract_rss_mb']:>5} MB {r['confidence']!s:>5}")
    if rows:
        pages = sum(r["ocr_pages"] for r in rows)
        print(f"all: {pages} OCR pages, {sum(r['read_s'] for r in rows) / max(1, pages):.2f} s/page wall, "
              f"{sum(r['tesseract_cpu_s'] for r in rows) / max(1, pages):.2f} s/page Tesseract CPU, "
              f"peak worker RSS {max(r['worker_rss_mb'] for r in rows)} MB, "
              f"peak Tesseract RSS {max(r['tesseract_rss_mb'] for r in rows)} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
