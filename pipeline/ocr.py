"""OCR of PDF pages that have no text layer (scans), with Tesseract ``jpn``.

A scanned page is rasterised with pypdfium2 at ``dpi`` (300 by default) and
straightened (a sheet a degree askew would make Tesseract's lines run into
each other); filled bars are taken out from behind and beside the text (a
heading on a dark or grey bar becomes black on white; the solid bar before a
heading number, which Tesseract reads into the number, is erased: see
:func:`clean_fills`); long horizontal and vertical rules are erased
(Tesseract reads a ruled line as a row of garbage characters, and a table's
cell borders as ``|``), and so are isolated specks; then the image goes to
``tesseract - - -l jpn --psm 6 tsv``.
The TSV word boxes become :class:`pipeline.read_pdf._Line` objects in PDF
points, so that they enter the same layout stage as a text layer: running
headers and footers, wrapped lines, blocks and table rows.

Per line:

* words are joined by their gaps: a gap wider than ``_TAB_EM`` of the line's
  height is a cell boundary (tab), a smaller one a space, except between two
  CJK characters (Tesseract boxes every few kana/kanji as a word of its own);
* leader dots of a table of contents come out as a row of short marks
  (ー……ee): a run of such tiny words becomes a tab before the page number;
* a line of fewer than three letters, digits, kana or kanji whose mean
  confidence is under ``_GARBAGE_CONF`` is noise (a picture, a stamp);
* a tall thin mark before a heading (a bar set before it as decoration) is
  no ``|`` or ``1``;
* look-alike characters are mapped back only where the context is clear
  (:func:`tidy`): never is a digit inserted or removed;
* the digits of a number read with a word confidence under ``UNSURE_CONF``
  are *unsure*: they are carried through the layout as private-use
  characters and come back as offsets (:func:`unmark`), which the
  extractors use to refuse a fact whose value came from such a number.

Tesseract runs as a subprocess with ``OMP_THREAD_LIMIT=1`` (a worker per
core; its own threads would oversubscribe them) under the worker's time and
memory limits.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass

from .ocr_options import OcrOptions

__all__ = ["OcrOptions", "OcrUnavailable", "PageOcr", "UNSURE_CONF", "available", "install_hint",
           "tidy", "unmark"]

UNSURE_CONF = 60.0      # a number with a word under this confidence is unsure
_GARBAGE_CONF = 45.0    # a line under this mean confidence is noise
_TAB_EM = 1.5           # a wider gap (in line heights, ~0.8 em) is a cell boundary
_SPACE_EM = 0.15        # a wider gap between non-CJK words is a space
_RULE_INCH = 0.4        # a straight dark run this long is a rule, not a stroke
_SOLID_INCH = 0.03      # a dark square this wide fits in no stroke of text: a fill or a bar
_FILL_INCH = (0.4, 0.1)  # a fill at least this wide and tall may hold text
_MARK_BASE = 0xE000     # unsure digit d travels as chr(_MARK_BASE + ord(d))
_MAX_PIXELS = 40e6      # a page image is at most this large (A4 at 300 dpi: 8.7e6)
PAGE_TIMEOUT = 180.0    # seconds Tesseract may take for one page

INSTALL_HINT = "install Tesseract with its Japanese model (Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-jpn)"


class OcrUnavailable(Exception):
    """Tesseract or its jpn model is missing."""


@functools.lru_cache(maxsize=1)
def available() -> bool:
    """Is ``tesseract`` on PATH with the ``jpn`` model?"""
    exe = shutil.which("tesseract")
    if exe is None:
        return False
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return "jpn" in (out.stdout + out.stderr).split()


def install_hint() -> str:
    """What to do when Tesseract is missing, in one line."""
    which = "the jpn model of Tesseract is not installed" if shutil.which("tesseract") else "tesseract is not on PATH"
    return f"{which}: {INSTALL_HINT}, then run again"


# ------------------------------------------------------------------ clean-up

_CJK = re.compile(r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60]")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_DIGIT = re.compile(r"[0-9０-９]")
_ZERO_LIKE = "OoＯｏ"
_ONE_LIKE = "lI|ｌＩ｜"
_DASH_LIKE = "ー一—―"
_LOOKALIKE = {**{c: "0" for c in _ZERO_LIKE}, **{c: "1" for c in _ONE_LIKE}}


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


def _number_runs(chars: list[str]) -> list[tuple[int, int]]:
    """(start, end) of runs of digits and digit look-alikes that hold at
    least one real digit and are not part of a Latin word (ISO27001 keeps
    its O; l0g is no number)."""
    runs, i, n = [], 0, len(chars)
    while i < n:
        if not (_DIGIT.match(chars[i]) or chars[i] in _LOOKALIKE):
            i += 1
            continue
        j = i
        while j < n and (_DIGIT.match(chars[j]) or chars[j] in _LOOKALIKE):
            j += 1
        before, after = chars[i - 1] if i else "", chars[j] if j < n else ""
        latin = re.match(r"[A-Za-zＡ-Ｚａ-ｚ]", before) or re.match(r"[A-Za-zＡ-Ｚａ-ｚ]", after)
        if any(_DIGIT.match(c) for c in chars[i:j]) and not latin:
            runs.append((i, j))
        i = j
    return runs


def _tidy_chars(text: str) -> list[tuple[str, int]]:
    """The tidied line as (character, index of its source character)."""
    # 1. spaces between two CJK characters go
    keep = []
    for i, ch in enumerate(text):
        if ch == " ":
            left = next((text[k] for k in range(i - 1, -1, -1) if text[k] != " "), "")
            right = next((text[k] for k in range(i + 1, len(text)) if text[k] != " "), "")
            if _is_cjk(left) and _is_cjk(right) or not left or not right:
                continue
        keep.append(i)
    chars = [text[i] for i in keep]
    # 2. O/l/I/| inside a number are 0 and 1
    for a, b in _number_runs(chars):
        for k in range(a, b):
            chars[k] = _LOOKALIKE.get(chars[k], chars[k])
    # 3. ー/一 between two digits is a hyphen (2025ー04ー01, 03一1234)
    for k in range(1, len(chars) - 1):
        if chars[k] in _DASH_LIKE and _DIGIT.match(chars[k - 1]) and _DIGIT.match(chars[k + 1]):
            chars[k] = "-"
    # 4. 口 (kanji) inside a katakana word is ロ
    for k, ch in enumerate(chars):
        if ch != "口":
            continue
        near = [chars[k - 1] if k else "", chars[k + 1] if k + 1 < len(chars) else ""]
        if any(_KATAKANA.match(c) for c in near if c) and not any(_KANJI.match(c) for c in near if c):
            chars[k] = "ロ"
    return list(zip(chars, keep))


def tidy(text: str) -> str:
    """Undo Tesseract's typical artefacts in Japanese text (see module doc)."""
    return "".join(ch for ch, _ in _tidy_chars(text))


def mark_unsure(chars: list[tuple[str, int]], conf: list[float]) -> str:
    """The tidied line with the digits of unsure numbers as private-use
    characters (``conf[i]`` is the word confidence of source character i)."""
    out = [ch for ch, _ in chars]
    for a, b in _number_runs(out):
        if min(conf[chars[k][1]] for k in range(a, b)) < UNSURE_CONF:
            for k in range(a, b):
                if out[k].isdigit():
                    out[k] = chr(_MARK_BASE + ord("0") + unicodedata.digit(out[k]))
    return "".join(out)


_MARKED = re.compile(f"[{chr(_MARK_BASE + ord('0'))}-{chr(_MARK_BASE + ord('9'))}]")


def unmark(text: str) -> tuple[str, list[int]]:
    """The page text with unsure digits restored, and their offsets."""
    offsets = [m.start() for m in _MARKED.finditer(text)]
    if not offsets:
        return text, []
    return _MARKED.sub(lambda m: chr(ord(m.group()) - _MARK_BASE), text), offsets


# ------------------------------------------------------------ page -> image

def render(page, dpi: int):
    """The page as an 8-bit grey numpy array (rows from the top) and its
    resolution: ``dpi``, lower for a huge page (a poster), so that its image
    and the cleaning arrays stay within a worker's memory."""
    width, height = page.get_size()
    scale = min(dpi / 72, (_MAX_PIXELS / max(1.0, width * height)) ** 0.5)
    bitmap = page.render(scale=scale, grayscale=True)
    try:
        return bitmap.to_numpy().copy(), 72 * scale
    finally:
        bitmap.close()


def _long_runs(dark, length: int):
    """Pixels that belong to a horizontal run of at least ``length`` dark
    pixels (one pass of prefix sums per row)."""
    import numpy as np
    h, w = dark.shape
    if w < length:
        return np.zeros_like(dark)
    cs = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(dark, axis=1, out=cs[:, 1:])
    full = (cs[:, length:] - cs[:, :-length]) == length          # run of `length` starts here
    starts = np.zeros((h, w + 1), dtype=np.int32)
    starts[:, :w - length + 1] += full
    starts[:, length:] -= full
    return np.cumsum(starts[:, :w], axis=1) > 0


def _neighbours(dark):
    """Number of dark pixels among the 8 neighbours of each pixel."""
    import numpy as np
    h, w = dark.shape
    p = np.pad(dark, 1).view(np.uint8)
    n = np.zeros((h, w), dtype=np.uint8)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            if dy != 1 or dx != 1:
                n += p[dy:dy + h, dx:dx + w]
    return n


def _runs_of(mask, k: int, axis: int):
    """Where a run of ``k`` True pixels starts along ``axis`` (the result is
    ``k - 1`` shorter on that axis): ANDs of shifted copies, doubling the
    run each time, so only boolean arrays of the page's size are made."""
    def shifted(a, lo, hi):
        return a[:, lo:hi] if axis == 1 else a[lo:hi]
    n = mask.shape[axis]
    have, out = 1, mask
    while 2 * have <= k:
        out = shifted(out, 0, n - 2 * have + 1) & shifted(out, have, n - have + 1)
        have *= 2
    if have < k:        # the last part: a run of `have` here and one ending k - 1 further
        out = shifted(out, 0, n - k + 1) & shifted(out, k - have, n - have + 1)
    return out


def _components(mask, max_runs: int = 20000) -> list[tuple[int, int, int, int]]:
    """Bounding boxes ``(x0, y0, x1, y1)`` (ends exclusive) of the
    8-connected parts of a sparse mask, from its row runs; none when it has
    more than ``max_runs`` runs (a photograph: not worth the time)."""
    import numpy as np
    h, w = mask.shape
    edges = np.diff(np.pad(mask, ((0, 0), (1, 1))).view(np.int8), axis=1)
    rows, starts = np.nonzero(edges == 1)
    ends = np.nonzero(edges == -1)[1]               # same order: row by row, left to right
    if len(rows) > max_runs:
        return []
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first = np.searchsorted(rows, np.arange(h + 1))
    for r in range(1, h):
        a0, a1, b1 = first[r - 1], first[r], first[r + 1]
        if a0 == a1 or a1 == b1:
            continue
        above_starts, above_ends = starts[a0:a1], ends[a0:a1]
        for i in range(a1, b1):          # runs above that touch run i (diagonals count)
            lo = a0 + int(np.searchsorted(above_ends, starts[i], "left"))
            hi = a0 + int(np.searchsorted(above_starts, ends[i], "right"))
            for j in range(lo, hi):
                ri, rj = root(i), root(j)
                if ri != rj:
                    parent[ri] = rj
    boxes: dict[int, list[int]] = {}
    for i in range(len(rows)):
        b = boxes.setdefault(root(i), [w, h, 0, 0])
        b[0], b[1] = min(b[0], int(starts[i])), min(b[1], int(rows[i]))
        b[2], b[3] = max(b[2], int(ends[i])), max(b[3], int(rows[i]) + 1)
    return [tuple(b) for b in boxes.values()]


def _row_spans(corners, k: int):
    """Per row of the area that the k x k squares at ``corners`` (a box's
    boolean array of square corners) cover: its first and last column + 1
    (0, 0 for a row they do not reach); of the transposed array, per
    column."""
    import numpy as np
    h, w = corners.shape
    any_ = corners.any(axis=1)
    left = np.where(any_, corners.argmax(axis=1), w)
    right = np.where(any_, w - corners[:, ::-1].argmax(axis=1) + k - 1, 0)
    lo, hi = np.full(h + k - 1, w + k), np.zeros(h + k - 1, dtype=int)
    for d in range(k):
        lo[d:d + h] = np.minimum(lo[d:d + h], left)
        hi[d:d + h] = np.maximum(hi[d:d + h], right)
    return np.where(hi > 0, lo, 0), hi


def _grown(mask, d: int):
    """``mask`` grown by ``d`` pixels in every direction (a small array)."""
    import numpy as np
    out = mask.copy()
    for axis in (0, 1):
        step = out.copy()
        for s in range(1, d + 1):
            if axis == 0:
                step[s:] |= out[:-s]
                step[:-s] |= out[s:]
            else:
                step[:, s:] |= out[:, :-s]
                step[:, :-s] |= out[:, s:]
        out = step
    return out


def _is_bar(dark, x0: int, y0: int, x1: int, y1: int) -> bool:
    """Is the solid upright box a bar set beside a heading (or alone), not
    a thick stroke of a glyph?  It is solid and stands free, and the text
    next to it (on either side, within its rows) leaves a margin of at least
    a tenth of its height above and below: a heading bar spans the text and
    some more; a glyph's stem ends where its neighbours end (on the
    baseline, at the cap height or the em box)."""
    h = y1 - y0
    H, W = dark.shape
    if dark[y0:y1, x0:x1].mean() < 0.85:
        return False
    ring = [dark[y0:y1, max(0, x0 - 3)], dark[y0:y1, min(W - 1, x1 + 2)],
            dark[max(0, y0 - 3), x0:x1], dark[min(H - 1, y1 + 2), x0:x1]]
    if max(r.mean() for r in ring) > 0.2:
        return False                     # joined to other strokes: part of a glyph
    side = 3 * h
    ink = (dark[y0:y1, x1 + 3:x1 + 3 + side].sum(axis=1)
           + dark[y0:y1, max(0, x0 - 3 - side):max(0, x0 - 3)].sum(axis=1))
    rows = (ink >= 2).nonzero()[0]
    if not len(rows):
        return True                      # a bar on its own
    margin = 0.1 * h
    return rows[0] >= margin and h - 1 - rows[-1] >= margin


def _glyphs_of_fill(sub, inside):
    """The glyphs written on a filled box (``sub``, its pixels; ``inside``,
    where the fill is): the pixels far from the fill's own grey (white or
    black text on a dark or grey bar), as a boolean array; None for a box
    that is no single fill (a U or a ring of dark, a photograph) or has
    nothing written on it."""
    import numpy as np
    if inside.sum() < 0.85 * sub.size:
        return None
    values = sub[inside]
    level = float(np.median(values))
    if (np.abs(values.astype(np.int16) - level) < 64).mean() < 0.6:
        return None                      # not one fill
    low, high = np.percentile(values, [1, 99])
    ink = low if level - low > high - level else high
    if abs(ink - level) < 64:
        return None                      # nothing written on it: left to the rule clean-up
    cut = (level + ink) / 2
    return (sub < cut if ink < level else sub > cut) & inside


def clean_fills(gray, dpi: float):
    """Filled areas behind or beside text, redrawn so that Tesseract sees
    the glyphs alone (:func:`clean_image`'s first step):

    * a dark or grey filled box that holds text (a heading bar, a table's
      header row: white text on black, black text on grey) becomes its
      glyphs in black on white;
    * a solid upright bar beside a heading (the decoration before
      "▌5.1.1 ...") is whitened: Tesseract reads it, or its edge, as ``|``,
      ``1`` or ``・`` and the number after it goes wrong (5.1.1 as 5,
      12.4.4 as 112.44).

    Solid means a square of ``_SOLID_INCH`` fits in it everywhere: thicker
    than the strokes of text up to a large bold heading.  Both are found as
    the connected parts of the area such squares cover; bars and fills
    shorter than that are left alone, and so is any glyph (see
    :func:`_is_bar`)."""
    import numpy as np
    k = max(3, round(_SOLID_INCH * dpi))
    dark = gray < 128
    h, w = dark.shape
    if h < k or w < k:
        return gray
    corners = _runs_of(_runs_of(dark, k, 1), k, 0)
    if not corners.any():
        return gray
    out = None
    fill_w, fill_h = _FILL_INCH[0] * dpi, _FILL_INCH[1] * dpi
    pad = max(2, k // 3)
    for cx0, cy0, cx1, cy1 in _components(corners):
        x0, y0, x1, y1 = cx0, cy0, cx1 + k - 1, cy1 + k - 1
        if x1 - x0 >= fill_w and y1 - y0 >= fill_h:
            part = corners[cy0:cy1, cx0:cx1]
            lo, hi = _row_spans(part, k)
            top, bottom = _row_spans(part.T, k)
            cols, rows = np.arange(x1 - x0), np.arange(y1 - y0)[:, None]
            inside = (cols >= lo[:, None]) & (cols < hi[:, None]) & (rows >= top) & (rows < bottom)
            glyphs = _glyphs_of_fill(gray[y0:y1, x0:x1], inside)
            if glyphs is not None:
                out = gray.copy() if out is None else out
                # the fill and its ragged edge (a straightened scan) go, the glyphs stay
                py0, px0 = max(0, y0 - pad), max(0, x0 - pad)
                near = np.zeros((min(h, y1 + pad) - py0, min(w, x1 + pad) - px0), dtype=bool)
                near[y0 - py0:y1 - py0, x0 - px0:x1 - px0] = inside
                near = _grown(near, pad)
                out[py0:py0 + near.shape[0], px0:px0 + near.shape[1]][near] = 255
                out[y0:y1, x0:x1][glyphs] = 0
        elif y1 - y0 >= 2 * (x1 - x0) and _is_bar(dark, x0, y0, x1, y1):
            out = gray.copy() if out is None else out
            out[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad] = 255
    return gray if out is None else out


def clean_image(gray, dpi: float):
    """Whiten long horizontal and vertical lines (rules, table borders:
    Tesseract reads them as rows of garbage or as ``|``) and isolated specks
    (scanner dust, read as ``'`` or ``_``), after filled bars and boxes are
    dealt with (:func:`clean_fills`)."""
    import numpy as np
    gray = clean_fills(gray, dpi)
    dark = gray < 128
    length = max(20, int(_RULE_INCH * dpi))
    rules = _long_runs(dark, length) | _long_runs(np.ascontiguousarray(dark.T), length).T
    specks = dark & (_neighbours(dark) <= 1)
    out = gray.copy()
    out[rules | specks] = 255
    return out


def _shear(img, slope: float, fill):
    """Shift every column up or down by ``slope`` pixels per column (a
    vertical shear: for the small angle of a sheet on a scanner it undoes
    the rotation of the lines)."""
    import numpy as np
    h, w = img.shape
    shifts = np.round((np.arange(w) - w / 2) * slope).astype(int)
    out = np.full_like(img, fill)
    for x in np.flatnonzero(shifts):
        d = shifts[x]
        if d > 0:
            out[d:, x] = img[:h - d, x]
        else:
            out[:h + d, x] = img[-d:, x]
    zero = shifts == 0
    out[:, zero] = img[:, zero]
    return out


def deskew(gray, max_degrees: float = 3.0, step: float = 0.1):
    """The page with its text lines made horizontal again: the slope whose
    shear gives the sharpest row profile (lines of text and the gaps
    between them) on a reduced image; a straight page is returned as is."""
    import numpy as np
    small = (gray[::4, ::4] < 128).astype(np.float32)
    best, best_score = 0.0, None
    for deg in np.arange(-max_degrees, max_degrees + step / 2, step):
        rows = _shear(small, float(np.tan(np.radians(deg))), 0.0).sum(axis=1)
        score = float(np.square(np.diff(rows)).sum())
        if best_score is None or score > best_score * 1.0001:
            best, best_score = float(deg), score
    if abs(best) < step / 2:
        return gray
    return _shear(gray, float(np.tan(np.radians(best))), 255)


def to_pgm(gray) -> bytes:
    h, w = gray.shape
    return b"P5\n%d %d\n255\n" % (w, h) + gray.tobytes()


def run_tesseract(image: bytes, lang: str = "jpn", timeout: float | None = None) -> str:
    """Tesseract's TSV for one image (PGM bytes)."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable(INSTALL_HINT)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run([exe, "-", "-", "-l", lang, "--psm", "6", "tsv"], input=image,
                          capture_output=True, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise OcrUnavailable(f"tesseract failed: {proc.stderr.decode('utf-8', 'replace').strip()[:200]}")
    return proc.stdout.decode("utf-8", "replace")


# ------------------------------------------------------------ TSV -> lines

@dataclass
class _Word:
    text: str
    left: int
    top: int
    right: int
    bottom: int
    conf: float
    ghost: bool = False     # dropped as noise; the gap it leaves is no cell boundary


def parse_tsv(tsv: str) -> list[list[_Word]]:
    """The words of every text line, left to right; lines top to bottom."""
    lines: dict[tuple, list] = {}
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        try:
            key = (int(f[2]), int(f[3]), int(f[4]))
            left, top, width, height, conf = int(f[6]), int(f[7]), int(f[8]), int(f[9]), float(f[10])
        except ValueError:
            continue
        lines.setdefault(key, []).append(_Word(f[11].strip(), left, top, left + width, top + height, conf))
    out = [sorted(ws, key=lambda w: w.left) for ws in lines.values()]
    return sorted(out, key=lambda ws: _median([(w.top + w.bottom) / 2 for w in ws]))


_WORDISH = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ\u3041-\u30fa\u3400-\u4dbf\u4e00-\u9fff]")


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2]


def _metrics(words: list[_Word]) -> tuple[float, float]:
    """(height, vertical middle) of a line in pixels: the median of its
    words' (the line box Tesseract reports takes in stray marks above and
    below, and a word's box may take in a bracket or the line above)."""
    kept = [w for w in words if not w.ghost] or words
    tall = [w for w in kept if _WORDISH.search(w.text.replace("ー", ""))] or kept
    return (max(1.0, _median([w.bottom - w.top for w in tall])),
            _median([(w.top + w.bottom) / 2 for w in tall]))


_SPECKS = set("'`\"_|~^¦‘’“”,.")   # what dust on the glass is read as
_LEADER_CHARS = set("ー一…‥.・･-_~〜ュニ·:;,'`eoa")


def _is_leader(word: _Word, height: float) -> bool:
    """A mark of a TOC's leader dots: short, tiny marks only."""
    return (word.bottom - word.top) < 0.45 * height and all(c in _LEADER_CHARS for c in word.text)


def _is_stray(words: list[_Word], k: int, height: float) -> bool:
    """A mark that is no text: a low-confidence symbol, or a short symbol or
    low-confidence character alone at either end of the line (dust, a cell
    border: ' 「 _ | ー)."""
    w = words[k]
    if k == 0 and len(words) > 1 and len(w.text) <= 2 and w.bottom - w.top >= 1.3 * height \
            and w.right - w.left <= 0.6 * height:
        return True               # a heading's decoration bar (▌ 5.3 バックアップ), read as | 1 上
    far = _TAB_EM * height
    alone_left = k == 0 and (len(words) == 1 or words[1].left - w.right > far)
    alone_right = k == len(words) - 1 and k > 0 and w.left - words[k - 1].right > far
    if _WORDISH.search(w.text.replace("ー", "")):
        return len(w.text) == 1 and w.conf < 50 and (alone_left or alone_right)
    if alone_left or alone_right:
        return len(w.text) <= 2 or w.conf < 50
    return w.conf < 50 and all(c in _SPECKS for c in w.text)


def _drop_noise(words: list[_Word], height: float) -> list[_Word]:
    """Stray marks become ghosts; leader dots (three or more such characters
    in a row) go and leave their gap, a tab before the page number."""
    for k, w in enumerate(words):
        w.ghost = _is_stray(words, k, height)
    out, run = [], []
    for w in words + [None]:
        if w is not None and not w.ghost and _is_leader(w, height):
            run.append(w)
            continue
        if sum(len(r.text) for r in run) < 3:
            out.extend(run)
        run = []
        if w is not None:
            out.append(w)
    while out and out[-1].ghost:
        out.pop()
    while out and out[0].ghost:
        out.pop(0)
    return out


def _missing(word: _Word, height: float) -> float:
    """How much narrower the word's box is than its characters should be
    (full-width characters 1 em, others at least 1/3 em)."""
    expected = sum(1.2 * height if _is_cjk(c) else 0.4 * height for c in word.text)
    return max(0.0, expected - (word.right - word.left))


def _join_words(words: list[_Word], height: float) -> tuple[str, list[float], list[int], list[int]]:
    """Line text, each character's word confidence, and the left / right
    pixel of each tab-separated cell.  A gap left by a ghost is no cell
    boundary."""
    text, conf = [], []
    cells, ends = [words[0].left], []
    prev, ghost = None, False
    for w in words:
        if w.ghost:
            ghost = True
            continue
        if prev is not None:
            # Tesseract's box of a CJK word may be narrower than its
            # characters (消去 boxed as one glyph, 、 as its ink): the
            # missing width is no gap.
            gap = w.left - prev.right - _missing(prev, height) - _missing(w, height)
            if gap > _TAB_EM * height and not ghost:
                text.append("\t")
                conf.append(100.0)
                cells.append(w.left)
                ends.append(prev.right)
            elif gap > _SPACE_EM * height and not (_is_cjk(text[-1]) and _is_cjk(w.text[0])):
                text.append(" ")
                conf.append(100.0)
        text.extend(w.text)
        conf.extend([w.conf] * len(w.text))
        prev, ghost = w, False
    ends.append(prev.right)
    return "".join(text), conf, cells, ends


def _snap_sizes(heights: list[float]) -> list[float]:
    """Line heights of one font size vary with the glyphs on the line: those
    within -20/+25 % of the page's usual (median) height become it, other
    heights within 20 % of each other their median, so the layout sees one
    size per font size."""
    if not heights:
        return []
    usual = _median(heights)
    out = [usual if 0.8 * usual <= h <= 1.25 * usual else h for h in heights]
    order = sorted((i for i in range(len(heights)) if out[i] != usual), key=lambda i: heights[i])
    group: list[int] = []
    for i in order + [None]:
        if i is not None and (not group or heights[i] <= 1.2 * heights[group[0]]):
            group.append(i)
            continue
        if group:
            med = _median([heights[k] for k in group])
            for k in group:
                out[k] = med
        group = [i] if i is not None else []
    return out


_BAND = 0.12   # as read_pdf: the top and bottom of a page hold its furniture
_OCR_PAGE_NO = re.compile(r"(\d{1,4})\s*[\s/|lI1\]]\s*(\d{1,4})")
_OCR_COPYRIGHT = re.compile(r"^[^\w\s]{0,2}[cCＣｃ©]?[^\w\s]{0,2}\s*(?=(?:19|20)\d\d\s)")


def _furniture(text: str) -> str:
    """Page furniture as Tesseract misreads it, made recognisable to the
    header/footer stage: '5 13' or '5|13' is '5 / 13', 'c 2025 Company' or
    ': 2025 Company' is '© 2025 Company' (only in the page's top and bottom
    bands, where nothing else is written that way)."""
    cells = [c.strip() for c in text.split("\t")]
    words = [c for c in cells if c]
    if len(words) == 1 and (m := _OCR_PAGE_NO.fullmatch(words[0])) or \
            len(words) == 2 and all(w.isdigit() and len(w) <= 4 for w in words) and \
            (m := _OCR_PAGE_NO.fullmatch(" ".join(words))):
        return f"{m[1]} / {m[2]}"
    return _OCR_COPYRIGHT.sub("© ", text.strip()) if _OCR_COPYRIGHT.match(text.strip()) else text


class PageOcr:
    """OCR of scanned pages, as read_pdf lines; keeps the confidence sum."""

    def __init__(self, dpi: int = 300, lang: str = "jpn"):
        self.dpi, self.lang = dpi, lang
        self.pages = 0
        self.missing = False    # Tesseract or its jpn model is not installed
        self.failed = 0         # pages Tesseract failed on or took longer than PAGE_TIMEOUT for
        self.conf_sum = 0.0
        self.n_chars = 0

    @property
    def confidence(self) -> float | None:
        """Mean character confidence (0-100) of the text kept."""
        return round(self.conf_sum / self.n_chars, 1) if self.n_chars else None

    def read(self, doc, index: int, lock) -> list:
        """Lines of page ``index`` of the pdfium document ``doc``: rendering
        holds ``lock`` (pdfium is not thread-safe), Tesseract does not.
        No lines when Tesseract is missing (``missing`` is then set)."""
        if not available():
            self.missing = True
            return []
        with lock:
            page = doc[index]
            try:
                bbox = page.get_bbox()
                gray, dpi = render(page, self.dpi)
            finally:
                page.close()
        try:
            return self.lines(to_pgm(clean_image(deskew(gray), dpi)), bbox, dpi)
        except (OcrUnavailable, subprocess.TimeoutExpired, OSError):
            self.failed += 1                 # the page stays without text (pages_without_text)
            return []

    def lines(self, image: bytes, bbox: tuple[float, float, float, float], dpi: float | None = None) -> list:
        """Lines of one page image (rendered at ``dpi``) in PDF points, top to bottom."""
        from .read_pdf import _LEADER, _Line
        left, bottom, _right, top = bbox
        pt = 72.0 / (dpi or self.dpi)
        band = _BAND * (top - bottom) / pt
        self.pages += 1
        raw = []
        for words in parse_tsv(run_tesseract(image, self.lang, PAGE_TIMEOUT)):
            height, middle = _metrics(words)
            words = _drop_noise(words, height)
            if not words:
                continue
            height, middle = _metrics(words)
            text, conf, cells, ends = _join_words(words, height)
            if sum(conf) / len(conf) < _GARBAGE_CONF and len(_WORDISH.findall(text)) < 3:
                continue          # a picture's marks (a bold heading may be read right with confidence 0)
            chars = _tidy_chars(text)
            if not chars:
                continue
            seen = [conf[i] for ch, i in chars if not ch.isspace()]
            self.conf_sum += sum(seen)
            self.n_chars += len(seen)
            text = mark_unsure(chars, conf)
            if middle < band or middle > (top - bottom) / pt - band:
                text = _furniture(text)
            raw.append((text, height, middle, cells, ends))
        sizes = _snap_sizes([r[1] * pt for r in raw])
        out = []
        for (text, _, middle, cells, ends), size in zip(raw, sizes):
            if _LEADER.search(text):
                text = _LEADER.sub("\t", text)
            y = top - middle * pt
            out.append(_Line(text=text, x0=left + cells[0] * pt, x1=left + ends[-1] * pt, y0=y - size / 2,
                             y1=y + size / 2, size=size, cells=[left + c * pt for c in cells],
                             ends=[left + e * pt for e in ends]))
        return out
