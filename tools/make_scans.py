"""Make "scanned" copies of text PDFs: image-only PDFs that need OCR.

Each page is rasterised with pypdfium2, rotated a little (alternating +/-
``--angle`` degrees per page, as a sheet sits on a scanner), blurred,
thresholded to 1 bit and written as an image-only PDF with Pillow: no text
layer, so kanrisaku must OCR it.  Used to check that OCR keeps the controls
and facts of the text versions (``bench/ocr.py``, ``tests/test_ocr.py``).

    .venv/bin/python tools/make_scans.py ../shared/corpus/pdf/00[0124]_*[0-9a-f].pdf --out /tmp/scans

Needs Pillow (installed with the ``test`` extra, via matplotlib).
"""
from __future__ import annotations

import argparse
import io
from pathlib import Path

import pypdfium2 as pdfium


def scan_page(page, dpi: int, angle: float, blur: float, threshold: int):
    """One page as a 1-bit Pillow image, rotated, blurred and thresholded."""
    from PIL import Image, ImageFilter
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    img = bitmap.to_pil().convert("L")
    bitmap.close()
    if angle:
        img = img.rotate(angle, resample=Image.BILINEAR, expand=False, fillcolor=255)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    return img.point(lambda v: 255 if v >= threshold else 0).convert("1")


def scan_pdf(data: bytes, *, dpi: int = 200, angle: float = 1.0, blur: float = 0.8,
             threshold: int = 150) -> bytes:
    """The image-only ("scanned") PDF of the PDF in ``data``."""
    doc = pdfium.PdfDocument(data)
    try:
        pages = [scan_page(doc[i], dpi, angle if i % 2 == 0 else -angle, blur, threshold)
                 for i in range(len(doc))]
    finally:
        doc.close()
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, required=True, help="folder for NAME.scanned.pdf")
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--angle", type=float, default=1.0, help="rotation in degrees, alternating sign per page")
    ap.add_argument("--blur", type=float, default=0.8, help="Gaussian blur radius in pixels")
    ap.add_argument("--threshold", type=int, default=150, help="grey level below which a pixel is black")
    a = ap.parse_args(argv)
    a.out.mkdir(parents=True, exist_ok=True)
    for pdf in a.pdfs:
        target = a.out / (pdf.name.split(".")[0] + ".scanned.pdf")
        target.write_bytes(scan_pdf(pdf.read_bytes(), dpi=a.dpi, angle=a.angle, blur=a.blur,
                                    threshold=a.threshold))
        print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
