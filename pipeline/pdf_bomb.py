"""Decompression bombs in PDFs, found before pdfium inflates anything.

pdfium inflates a content, object or font stream whole in memory and aborts
the process when that fails, so a bomb would take its worker down instead of
being reported.  :func:`check_inflation` raises :class:`PdfBomb` first.
"""
from __future__ import annotations

import re
import zlib


class PdfBomb(Exception):
    """A stream inflates beyond the caps; the message is for people."""


MAX_STREAM_BYTES = 256 * 1024 * 1024   # what one stream may inflate to
MAX_TOTAL_BYTES = 1024 * 1024 * 1024   # what all (non-image) streams together may
_MAX_LAYERS = 3                        # /Filter [/FlateDecode /FlateDecode ...]
_STREAM_START = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_IN_CHUNK = 1 << 16
_OUT_CHUNK = 1 << 20


def _looks_like_zlib(head: bytes) -> bool:
    return len(head) >= 2 and head[0] & 0x0F == 8 and head[0] >> 4 <= 7 and (head[0] << 8 | head[1]) % 31 == 0


class _Inflation:
    """Counts what a zlib stream inflates to, without keeping the output;
    when the output itself starts like a zlib stream (a second /FlateDecode
    layer), counts that layer too."""

    def __init__(self, depth: int = 1):
        self.d = zlib.decompressobj()
        self.depth = depth
        self.size = 0
        self.done = False
        self.inner: _Inflation | None = None
        self.started = False

    def feed(self, piece: bytes, limit: int) -> bool:
        """Feed compressed bytes; True as soon as some layer exceeds limit."""
        while piece and not self.done:
            try:
                out = self.d.decompress(piece, _OUT_CHUNK)
            except zlib.error:          # damaged or not zlib at all: pdfium's business
                self.done = True
                return False
            piece = self.d.unconsumed_tail
            if self.d.eof:
                self.done = True
            if not out:
                continue
            if not self.started:
                self.started = True
                if self.depth < _MAX_LAYERS and _looks_like_zlib(out[:2]):
                    self.inner = _Inflation(self.depth + 1)
            self.size += len(out)
            if self.size > limit or (self.inner is not None and self.inner.feed(out, limit)):
                return True
        return False


# Deflate inflates at most 1032 bytes per compressed byte (zlib's technical
# details); a zlib header and trailer add a few bytes to the compressed side.
_DEFLATE_MAX_RATIO = 1032
_ENDSTREAM = b"endstream"


def _bounded(data: bytes, limit: int, total: int) -> bool:
    """True when no stream can reach the caps, whatever it holds: each one,
    as long as the bytes up to its ``endstream``, inflated at deflate's
    maximum ratio stays within ``limit`` and all of them within ``total``.
    A stream whose output starts like zlib data again (a second /FlateDecode
    layer multiplies the ratio) gives no such bound. Spares ordinary files,
    a few MB at most, the inflation of every stream."""
    bound = 0
    for m in _STREAM_START.finditer(data):
        start = m.end()
        if not _looks_like_zlib(data[start:start + 2]):
            continue
        most = _stream_span(data, m.start(), start) * _DEFLATE_MAX_RATIO
        if most > limit:
            return False
        if _looks_like_zlib(_first_bytes(data, start)):
            return False
        bound += most
        if bound > total:
            return False
    return True


def _first_bytes(data: bytes, start: int, n: int = 2) -> bytes:
    """The first *n* bytes the zlib stream at *start* inflates to (input is
    fed in pieces until they come out: a block's code tables come first)."""
    d = zlib.decompressobj()
    out = b""
    try:
        for i in range(start, len(data), 256):
            out += d.decompress(data[i:i + 256], n - len(out))
            if len(out) >= n or d.eof:
                break
    except zlib.error:
        pass
    return out


def _stream_span(data: bytes, keyword: int, start: int) -> int:
    """The most bytes a reader may take as the stream's data: its direct
    ``/Length`` or the distance to the next ``endstream`` (where a reader
    looks when the length is wrong), whichever is larger; the rest of the
    file when the length is indirect or missing."""
    head = data[max(0, keyword - 4096):keyword]
    obj = head.rfind(b"obj")
    lengths = _LENGTH.findall(head[obj + 3 if obj >= 0 else 0:])
    if not lengths or any(ref for _, ref in lengths):
        return len(data) - start
    end = data.find(_ENDSTREAM, start)
    return max(max(int(n) for n, _ in lengths), (end if end >= 0 else len(data)) - start)


_LENGTH = re.compile(rb"/Length\s+(\d+)(\s+\d+\s+R)?")


def check_inflation(data: bytes, limit: int = MAX_STREAM_BYTES, total: int = MAX_TOTAL_BYTES) -> None:
    """Raise PdfBomb if a zlib-compressed stream of the file inflates to
    more than ``limit`` bytes, or all of them together to more than ``total``
    (a page may concatenate many content streams).

    pdfium inflates a content, object or font stream whole in memory and
    aborts the process when that fails, so such a file would take its worker
    down instead of being reported.  Streams are found by their ``stream``
    keyword (no parsing needed; a stream that does not start like zlib data,
    an encrypted one for instance, is left to pdfium) and inflated in pieces
    that are counted and dropped, so the check needs little memory and about
    a second per GB inflated.  Image streams (which text extraction never
    decodes, and scans may have big ones) may inflate to ``total`` and do not
    count towards it; a stream that only claims to be an image is still
    stopped there.  Once ``total`` bytes of images have been inflated, the
    remaining images are not checked (a scan with large Flate pages would
    otherwise cost seconds); the executor's memory limit is the backstop."""
    if _bounded(data, limit, total):
        return
    view = memoryview(data)
    left = total
    images_left = total
    for m in _STREAM_START.finditer(data):
        start = m.end()
        if not _looks_like_zlib(data[start:start + 2]):
            continue
        head = data[max(0, m.start() - 4096):m.start()]
        obj = head.rfind(b"obj")
        image = bool(_IMAGE.search(head[obj + 3 if obj >= 0 else 0:]))
        if image and images_left <= 0:
            continue
        counter = _Inflation()
        cap = total if image else min(limit, left)
        for i in range(start, len(data), _IN_CHUNK):
            if counter.feed(view[i:i + _IN_CHUNK].tobytes(), cap):
                what = (f"a compressed stream (at byte {start}) inflates to more than {cap >> 20} MB"
                        if cap in (limit, total) else f"its compressed streams inflate to more than {total >> 20} MB")
                raise PdfBomb(f"The PDF is a decompression bomb: {what}. It was not read.")
            if counter.done:
                break
        inflated = max(counter.size, counter.inner.size if counter.inner else 0)
        if image:
            images_left -= inflated
        else:
            left -= inflated
