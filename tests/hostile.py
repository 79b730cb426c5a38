"""Hostile PDFs for the robustness tests, built as bytes.

Every generator writes raw PDF syntax (no PDF library), with a correct
cross-reference table unless the point is to break it.  Text is drawn with
the non-embedded Japanese CID font HeiseiMin-W3 (UniJIS-UCS2-H), as in
``tests/test_read_pdf.py``: pdfium maps the codes straight to Unicode, so no
font file is needed and each file stays a few kilobytes.

Generators:

* :func:`page_tree_self_loop` / :func:`page_tree_cycle` - a page tree whose
  ``/Kids`` lead back to itself (with and without a real page beside the loop);
* :func:`flate_bomb_content` - a page content stream that inflates to
  gigabytes of zeros (optionally claiming to be an image);
  :func:`flate_bomb_objstm` - the same in an object stream (through a
  cross-reference stream) holding the page object; :func:`flate_bomb_double`
  - two Flate layers (a 3 KB file); :func:`flate_bomb_many` - many streams,
  each below a per-stream cap, concatenated into one page;
* :func:`deep_nesting` - arrays or dictionaries nested ``depth`` levels deep
  in the page dictionary, the document information dictionary or the content
  stream;
* :func:`many_pages` - 10,000 small pages sharing one content stream;
* :func:`truncations` - a real PDF cut at random offsets (fixed seed).

:func:`zeros_deflate` makes the bombs cheap: it compresses one chunk of zeros
once, ends it with a full flush (which resets the compressor, so the next
identical chunk compresses to identical bytes) and repeats those bytes; the
Adler-32 of a run of zeros has a closed form.  The result is a valid zlib
stream (checked by ``test_hostile.py``) produced in milliseconds instead of
seconds per gigabyte.
"""
from __future__ import annotations

import random
import zlib

GIB = 1 << 30

# --------------------------------------------------------------- PDF writer

_FONT_OBJECTS = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /UniJIS-UCS2-H "
    b"/DescendantFonts [{cid} 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 /DW 1000 "
    b"/W [1 [250] 2 95 500 231 [250] 232 325 500] "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor {desc} 0 R >>",
    b"<< /Type /FontDescriptor /FontName /HeiseiMin-W3 /Flags 6 /FontBBox [-123 -257 1001 910] "
    b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
)


def _font_objects(first: int) -> list[bytes]:
    """The three objects of the CID font, numbered first, first+1, first+2."""
    return [_FONT_OBJECTS[0].replace(b"{cid}", b"%d" % (first + 1)),
            _FONT_OBJECTS[1].replace(b"{desc}", b"%d" % (first + 2)),
            _FONT_OBJECTS[2]]


def show(text: str, x: float = 72, y: float = 700, size: float = 10.5) -> bytes:
    """Content-stream operators that draw ``text`` with font /F1 at (x, y)."""
    hexes = "".join(f"{ord(c):04X}" for c in text)
    return f"BT /F1 {size} Tf 1 0 0 1 {x} {y} Tm <{hexes}> Tj ET\n".encode()


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def write_pdf(objects: list[bytes], *, root: int = 1, info: int | None = None, version: bytes = b"1.7") -> bytes:
    """A PDF file whose object n is ``objects[n-1]``, with a classic xref table."""
    out = bytearray(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info_ref = b" /Info %d 0 R" % info if info else b""
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, info_ref, xref)
    return bytes(out)


def _page(parent: int, contents: int, font: int, extra: bytes = b"", box: bytes = b"[0 0 595 842]") -> bytes:
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R%s >>" % (parent, box, font, contents, extra))


BODY = "利用者のログは【A.12.4.1】に従い、1年間保存します。障害は72時間以内に通知します。"


def simple_pdf(text: str = BODY) -> bytes:
    """A well-formed one-page PDF (the control case for the generators)."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            stream(show(text)),
            *_font_objects(5)]
    return write_pdf(objs)


# -------------------------------------------------------------- page loops

def page_tree_self_loop() -> bytes:
    """The root /Pages node lists itself as its only kid (and claims a page)."""
    return write_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                      b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"])


def page_tree_cycle() -> bytes:
    """A real page next to an intermediate node whose /Kids lead back to the
    root: 2 -> [3 (page), 6 (node)], 6 -> [2, 6]."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R 6 0 R] /Count 3 >>",
            _page(2, 4, 7),
            stream(show(BODY)),
            b"null",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 6 0 R] /Count 2 >>",
            *_font_objects(7)]
    return write_pdf(objs)


# ------------------------------------------------------------------- bombs

def zeros_deflate(n_bytes: int, prefix: bytes = b"", chunk: int = 1 << 24) -> bytes:
    """A zlib stream that inflates to ``prefix`` followed by ``n_bytes`` zero
    bytes (``n_bytes`` a multiple of ``chunk``), built in milliseconds."""
    if n_bytes % chunk:
        raise ValueError("n_bytes must be a multiple of chunk")
    n = n_bytes // chunk
    c = zlib.compressobj(9)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    zeros = bytes(chunk)
    unit = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    assert unit == again, "a full flush should make the output of equal chunks equal"
    tail = c.flush(zlib.Z_FINISH)[:-4]  # the final (empty) block, without the checksum
    pa = zlib.adler32(prefix)
    a, b = pa & 0xFFFF, pa >> 16
    b = (b + n_bytes * a) % 65521       # zeros leave a alone and add a to b each byte
    return head + unit * n + tail + ((b << 16) | a).to_bytes(4, "big")


def flate_bomb_content(n_bytes: int = GIB, claim_image: bool = False) -> bytes:
    """One page whose /FlateDecode content stream inflates to ``n_bytes`` of
    zeros (white space to the content parser) after one line of real text.
    claim_image: the stream dictionary also says /Subtype /Image (pdfium
    still reads it as the page content; a check that skips images would not)."""
    data = zeros_deflate(n_bytes, prefix=show(BODY))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            stream(data, b"/Subtype /Image /Filter /FlateDecode" if claim_image else b"/Filter /FlateDecode"),
            *_font_objects(5)]
    return write_pdf(objs)


def flate_bomb_double(n_bytes: int = GIB) -> bytes:
    """Like :func:`flate_bomb_content` with two Flate layers
    (``/Filter [/FlateDecode /FlateDecode]``): the file holds a small zlib
    stream that inflates to the megabyte-sized bomb."""
    inner = zeros_deflate(n_bytes, prefix=show(BODY))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5),
            stream(zlib.compress(inner, 9), b"/Filter [/FlateDecode /FlateDecode]"),
            *_font_objects(5)]
    return write_pdf(objs)


def flate_bomb_many(n_streams: int = 6, each: int = 240 << 20) -> bytes:
    """One page whose /Contents is an array of ``n_streams`` streams that each
    inflate to ``each`` bytes (below a per-stream cap, above a total one)."""
    first = 4
    font = first + n_streams
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents [%s] >>" % (font, b" ".join(b"%d 0 R" % (first + k) for k in range(n_streams)))]
    data = zeros_deflate(each, prefix=show(BODY))
    objs += [stream(data, b"/Filter /FlateDecode")] * n_streams
    objs += _font_objects(font)
    return write_pdf(objs)


def flate_bomb_objstm(n_bytes: int = GIB) -> bytes:
    """The page object lives in a compressed object stream that inflates to
    ``n_bytes`` of zeros after it; the file has a cross-reference stream."""
    # 1 catalog, 2 pages, 3 page (in the object stream 6), 4 content, 5 null,
    # 6 object stream, 7-9 font, 10 xref stream
    page = _page(2, 4, 7)
    header = b"3 0 "
    objstm = zeros_deflate(n_bytes, prefix=header + page + b"\n")
    objs = {1: b"<< /Type /Catalog /Pages 2 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            4: stream(show(BODY)),
            5: b"null",
            6: stream(objstm, b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode" % len(header))}
    for k, body in enumerate(_font_objects(7)):
        objs[7 + k] = body
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objs):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objs[number] + b"\nendobj\n"
    xref_at = len(out)
    size = 11
    rows = bytearray()
    for number in range(size):
        if number == 0:
            rows += bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")
        elif number == 3:                      # compressed: in stream 6, index 0
            rows += bytes([2]) + (6).to_bytes(4, "big") + (0).to_bytes(2, "big")
        elif number == 10:
            rows += bytes([1]) + xref_at.to_bytes(4, "big") + (0).to_bytes(2, "big")
        else:
            rows += bytes([1]) + offsets[number].to_bytes(4, "big") + (0).to_bytes(2, "big")
    out += b"10 0 obj\n" + stream(bytes(rows), b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R" % size)
    out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# ------------------------------------------------------------ deep nesting

def _nested(depth: int, kind: str) -> bytes:
    if kind == "array":
        return b"[" * depth + b"1" + b"]" * depth
    return b"<< /A " * depth + b"1" + b" >>" * depth


def deep_nesting(depth: int = 100_000, kind: str = "array", where: str = "page") -> bytes:
    """A one-page PDF with a value nested ``depth`` levels deep: kind 'array'
    or 'dict'; where 'page' (an extra key of the page dictionary), 'info'
    (the document information dictionary, read for the title) or 'content'
    (an operand in the page's content stream, before the real text)."""
    value = _nested(depth, kind)
    extra = b" /Junk " + value if where == "page" else b""
    content = show(BODY)
    if where == "content":
        content = value + b" pop\n" + content
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            _page(2, 4, 5, extra),
            stream(content),
            *_font_objects(5)]
    info = None
    if where == "info":
        objs.append(b"<< /Title (Deep) /Junk " + value + b" >>")
        info = len(objs)
    return write_pdf(objs, info=info)


# -------------------------------------------------------------- many pages

def many_pages(n: int = 10_000) -> bytes:
    """``n`` small (A7) pages, in a two-level page tree, all showing one
    shared content stream with a line of Japanese text in the middle of the
    page (not in the header/footer band)."""
    per_node = 100
    n_nodes = (n + per_node - 1) // per_node
    # 1 catalog, 2 root, 3 content, 4-6 font, then the nodes, then the pages
    first_node = 7
    first_page = first_node + n_nodes
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                b" ".join(b"%d 0 R" % (first_node + k) for k in range(n_nodes)), n),
            stream(show("ログは1年間保存します。", x=10, y=100, size=8)),
            *_font_objects(4)]
    for k in range(n_nodes):
        kids = range(first_page + k * per_node, first_page + min(n, (k + 1) * per_node))
        objs.append(b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % p for p in kids), len(kids)))
    for p in range(n):
        objs.append(_page(first_node + p // per_node, 3, 4, box=b"[0 0 210 298]"))
    return write_pdf(objs)


# ------------------------------------------------------------- truncations

def truncations(data: bytes, count: int = 6, seed: int = 27017) -> list[tuple[int, bytes]]:
    """``count`` prefixes of ``data`` cut at random offsets (fixed seed),
    as (offset, bytes), shortest first."""
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(data)), count))
    return [(cut, data[:cut]) for cut in cuts]


def inflated_size(data: bytes, limit: int | None = None) -> int:
    """Bytes a zlib stream inflates to (streaming, little memory); raises
    zlib.error on a bad stream or checksum."""
    d = zlib.decompressobj()
    total = 0
    view = memoryview(data)
    for i in range(0, len(data), 1 << 16):
        buf = view[i:i + (1 << 16)].tobytes()
        while buf:
            out = d.decompress(buf, 1 << 26)
            total += len(out)
            buf = d.unconsumed_tail
            if limit and total > limit:
                return total
    total += len(d.flush())
    if not d.eof:
        raise zlib.error("incomplete stream")
    return total
