"""Hand-written PDFs with a non-embedded Japanese CID font, the way many
providers' whitepapers are made: the text layer is exact, and pdfium lays
it out from the font's metrics (tests/test_read_pdf.py, bench/table_pdfs.py)."""
from __future__ import annotations


def cid_font_pdf(streams: list[str], size: tuple[float, float] = (595.0, 842.0),
                 info: dict[str, str] | None = None) -> bytes:
    """A PDF of the given page content streams, all using /F1: a Japanese CID
    font (HeiseiMin-W3, UniJIS-UCS2-H) that is not embedded; *info* becomes
    the document information dictionary."""
    n = len(streams)
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]  # 2 = page tree, filled below
    font = 3 + 2 * n
    kids = []
    for ops in streams:
        stream = ops.encode()
        kids.append(len(objects) + 1)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {size[0]} {size[1]}] "
                       f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {len(objects) + 2} 0 R >>".encode())
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {n} >>".encode()
    objects.append(b"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /UniJIS-UCS2-H "
                   b"/DescendantFonts [%d 0 R] >>" % (font + 1))
    objects.append(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 /DW 1000 "
                   b"/W [1 [250] 2 95 500 231 [250] 232 325 500] "  # half-width ASCII
                   b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> "
                   b"/FontDescriptor %d 0 R >>" % (font + 2))
    objects.append(b"<< /Type /FontDescriptor /FontName /HeiseiMin-W3 /Flags 6 /FontBBox [-123 -257 1001 910] "
                   b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    info_ref = b""
    if info:
        entries = "".join(f"/{k} <FEFF{''.join(f'{ord(c):04X}' for c in v)}>" for k, v in info.items())
        objects.append(f"<< {entries} >>".encode())
        info_ref = b" /Info %d 0 R" % len(objects)
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info_ref, xref)
    return bytes(out)
