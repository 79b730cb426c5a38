"""PDF text extraction speed of pipeline.read_pdf against pypdfium2's bare
text layer, on the corpus PDFs. (pdfplumber is no dependency any more: see
bench/table_pdfs.py for what it would give on ruled tables, and its cost.)

    python bench/read_pdf.py [--corpus ../shared/corpus]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.read_pdf import read_pdf  # noqa: E402


def _bare_pdfium(data: bytes) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(data)
    for page in pdf:
        page.get_textpage().get_text_range()
    return len(pdf)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    a = ap.parse_args()
    datas = [p.read_bytes() for p in sorted((a.corpus / "pdf").glob("*.pdf")) if "scanned" not in p.name]
    print(f"{'reader':28s} {'pages':>6s} {'CPU s':>7s} {'pages/s':>8s}")
    for name, fn in (("pypdfium2 bare text layer", _bare_pdfium), ("kanrisaku read_pdf", lambda d: read_pdf(d).n_pages)):
        best = None
        for _ in range(3):
            t = time.process_time()
            pages = sum(fn(d) for d in datas)
            dt = time.process_time() - t
            best = dt if best is None else min(best, dt)
        print(f"{name:28s} {pages:6d} {best:7.2f} {pages / best:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
