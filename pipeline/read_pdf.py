"""Read the text layer of a PDF into clean, per-page text.

``read_pdf(data)`` turns PDF bytes into one string per page that a line-based
segmenter can work with: headings alone on their line, a wrapped paragraph as
one line, table rows as one line with tab-separated cells, and blank lines
between blocks.  Characters are returned as pdfium maps them; this module
applies no NFKC (a later stage normalises).  Note that pdfium itself already
decomposes a few compatibility characters (Kangxi radicals such as U+2F47
come out as the unified ideograph), and its end-of-line hyphen marker
(U+0002) is turned back into '-'.

How it works (pypdfium2 only; pdfminer is ~40x slower on these files):

1. **Runs.**  The page text is split into runs at whitespace (pdfium's
   generated spaces and line breaks, and real spaces).  A run's box comes
   from the *loose* boxes (font ascent/descent based, so glyphs of one font
   size share a height) of its first and last character, its height from the
   commonest of a few samples (a fallback-font glyph or a parenthesis can
   have another loose box).  A run whose ends are not on one line falls back
   to per-character boxes.  A few boxes per run instead of one per character
   is what keeps this fast.
2. **Lines.**  Runs are grouped by the vertical centre of their boxes and
   sorted left to right.  A gap wider than ``_SPACE_EM`` of the font size
   becomes a space and one wider than ``_TAB_EM`` a tab (table cell,
   right-aligned part of a header).  Letter-spaced lines (mostly 1-3
   character runs whose own characters are spaced too: a spaced-out title, a
   line stretched by justification) measure gaps against their usual gap.
   Leader dots before a page number become a tab.
3. **Headers and footers.**  Only the outermost ``_EDGE_LINES`` lines inside
   the top/bottom ``_BAND`` of the page are candidates.  A candidate is
   dropped if the same text (NFKC, whitespace removed, digits masked) sits at
   the same height on at least 30% of the pages (and two), or if it is a page
   number or a copyright notice.  Body lines are never candidates, so a
   repeated body line such as ``以上`` survives, and a one-page PDF still
   loses its page number.
4. **Wrapped lines.**  A line that ends near the right edge of the text column
   (the largest line end that at least two lines share) is joined to the next
   one when that follows at normal line spacing, has the same font size,
   starts at about the same indentation and does not start a bullet or a
   numbered item.  Japanese joins without a separator; two ASCII word
   characters get one space.  A line under the last cell of a table row, at
   in-cell line spacing, continues that cell.  A line that starts under a
   later column of the table row above gets leading tabs for its empty cells.
5. **Blocks.**  A vertical gap clearly larger than the usual line spacing of
   the page, or a change of font size, starts a new block: a blank line.
   Rows of one table stay together.
"""

from __future__ import annotations

import ctypes
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from .pdf_bomb import MAX_STREAM_BYTES, MAX_TOTAL_BYTES, PdfBomb, check_inflation
from .unwrap import PAGE_NO, join_wrapped

__all__ = ["PdfText", "PdfReadError", "read_pdf"]


@dataclass
class PdfText:
    pages: list[str]  # cleaned text of each page, in order
    n_pages: int
    info: dict = field(default_factory=dict)  # 'title', 'author', 'creation_date'
    pages_without_text: int = 0  # pages whose text layer is empty
    ocr_pages: list[int] = field(default_factory=list)  # 0-based pages read by OCR
    unsure: dict[int, list[int]] = field(default_factory=dict)  # page -> offsets of unsure OCR digits
    ocr_confidence: float | None = None  # mean OCR character confidence, 0-100


class PdfReadError(Exception):
    """A PDF that cannot be read.  ``code`` is 'pdf_encrypted', 'pdf_broken',
    'pdf_bomb' (a compressed stream inflates beyond ``MAX_STREAM_BYTES``) or
    'empty'; ``message`` is a sentence for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message

    def __reduce__(self):  # picklable despite the two-argument constructor
        return (type(self), (self.code, self.message))


# Tuning, in units of the font size (= height of a loose character box).
_SPACE_EM = 0.15   # a gap wider than this between runs is a space
_TAB_EM = 1.1      # a gap wider than this is a cell boundary (a full-width
                   # space, 1 em, is not)
_BAND = 0.12       # header/footer band, as a fraction of the page height
_EDGE_LINES = 3    # outermost lines per band that may be headers/footers
_WRAP_EM = 1.5     # a wrapped line ends within this of the column's right edge

_PDFIUM_LOCK = threading.Lock()  # pdfium is not thread-safe


@dataclass(slots=True)      # (thousands per page: slots make them cheaper to build and read)
class _TextRun:
    text: str
    x0: float
    y0: float  # bottom (PDF coordinates: y grows upwards)
    x1: float
    y1: float  # top
    inner: float | None = None  # gap inside a 2-3 character run


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    cells: list[float]  # x0 of each tab-separated cell
    ends: list[float] = field(default_factory=list)  # x1 of each cell (when known)

    def key(self) -> str:
        """Text compared across pages: NFKC, no whitespace, digits masked."""
        s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", self.text))
        return re.sub(r"\d+", "#", s)


# ----------------------------------------------------------------- public API

def read_pdf(data: bytes, password: str | None = None, ocr=None) -> PdfText:
    """Return the cleaned text of each page of the PDF in ``data``.

    Raises PdfReadError 'empty' for no bytes, 'pdf_encrypted' when a password
    is needed or wrong, 'pdf_broken' for anything pdfium cannot load,
    'pdf_bomb' for a decompression bomb (see :func:`_check_inflation`).  A
    page without a text layer (a scan) comes back as '', unless ``ocr`` (a
    :class:`pipeline.ocr.PageOcr`) reads it: its lines then go through the
    same header/footer and layout stages as a text layer.
    """
    if not data:
        raise PdfReadError("empty", "The file is empty (0 bytes).")
    _check_inflation(data)
    with _PDFIUM_LOCK:
        doc = _open(bytes(data), password)
        try:
            info = _info(doc)
            raw = [_read_page(doc, i) for i in range(len(doc))]
        except BaseException:
            doc.close()
            raise
    try:
        blank = [i for i, (lines, _) in enumerate(raw) if not lines]
        ocr_pages = []
        for i in blank if ocr is not None else ():
            lines = ocr.read(doc, i, _PDFIUM_LOCK)   # renders under the lock, OCRs outside it
            if lines:
                raw[i] = (lines, raw[i][1])
                ocr_pages.append(i)
    finally:
        with _PDFIUM_LOCK:
            doc.close()
    body = _drop_headers_footers(raw)
    right = _right_edge(body)
    pages = [_layout(lines, right) for lines in body]
    unsure = {}
    if ocr_pages:
        from .ocr import unmark
        for i in ocr_pages:
            pages[i], offsets = unmark(pages[i])
            if offsets:
                unsure[i] = offsets
    return PdfText(pages=pages, n_pages=len(pages), info=info, pages_without_text=len(blank),
                   ocr_pages=ocr_pages, unsure=unsure, ocr_confidence=ocr.confidence if ocr_pages else None)


# ------------------------------------------------------ decompression bombs

def _check_inflation(data: bytes, limit: int = MAX_STREAM_BYTES, total: int = MAX_TOTAL_BYTES) -> None:
    """'pdf_bomb' for a stream that inflates beyond the caps (see :mod:`pipeline.pdf_bomb`)."""
    try:
        check_inflation(data, limit, total)
    except PdfBomb as e:
        raise PdfReadError("pdf_bomb", str(e)) from None


# -------------------------------------------------------------------- opening

def _open(data: bytes, password: str | None) -> pdfium.PdfDocument:
    try:
        doc = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            msg = ("The PDF is encrypted and needs a password." if password is None
                   else "The PDF is encrypted and the password given is wrong.")
            raise PdfReadError("pdf_encrypted", msg) from e
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise PdfReadError("pdf_encrypted",
                               "The PDF uses an encryption scheme that cannot be opened.") from e
        if b"%PDF" not in data[:1024]:
            raise PdfReadError("pdf_broken", "The file is not a PDF (it has no %PDF header).") from e
        raise PdfReadError("pdf_broken", "The PDF is damaged or truncated and cannot be read.") from e
    except Exception as e:  # anything else pdfium's wrapper may raise
        raise PdfReadError("pdf_broken", f"The PDF cannot be read ({e}).") from e
    if len(doc) == 0:
        doc.close()
        raise PdfReadError("pdf_broken", "The PDF has no pages.")
    return doc


def _info(doc: pdfium.PdfDocument) -> dict:
    """Title, author and creation date ('YYYY-MM-DD') when present."""
    try:
        meta = doc.get_metadata_dict(skip_empty=True)
    except Exception:
        return {}
    info = {}
    for src, dst in (("Title", "title"), ("Author", "author")):
        value = (meta.get(src) or "").strip()
        if value:
            info[dst] = value
    m = re.match(r"(?:D:)?(\d{4})(\d{2})(\d{2})", (meta.get("CreationDate") or "").strip())
    if m and 1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31:
        info["creation_date"] = f"{m[1]}-{m[2]}-{m[3]}"
    return info


# ------------------------------------------------------------ runs -> lines

def _read_page(doc: pdfium.PdfDocument, index: int) -> tuple[list[_Line], tuple[float, float]]:
    """Lines of one page (top to bottom) and the page's (bottom, top)."""
    try:
        page = doc[index]
        try:
            _left, bottom, _right, top = page.get_bbox()
            textpage = page.get_textpage()
            try:
                runs = _runs(textpage)
            finally:
                textpage.close()
        finally:
            page.close()
    except Exception as e:  # pdfium errors on a damaged page
        raise PdfReadError("pdf_broken", f"Page {index + 1} of the PDF cannot be read ({e}).") from e
    return _group_lines(runs), (bottom, top)


def _runs(textpage) -> list[_TextRun]:
    """Split the page text into runs at whitespace and control characters."""
    handle = textpage.raw
    n = pdfium_c.FPDFText_CountChars(handle)
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    if len(text) != n:  # characters outside the BMP: go one by one
        codes = (pdfium_c.FPDFText_GetUnicode(handle, i) for i in range(n))
        text = "".join("\ufffd" if 0xD800 <= c <= 0xDFFF or c > 0x10FFFF else chr(c) for c in codes)
    # pdfium marks a hyphen at the end of a line with U+0002 (U+FFFE in text)
    text = text.replace("\x02", "-").replace("\ufffe", "-")
    rect = pdfium_c.FS_RECTF()
    ref = ctypes.byref(rect)
    loose_box = pdfium_c.FPDFText_GetLooseCharBox

    def box(i: int) -> tuple[float, float, float, float]:
        loose_box(handle, i, ref)
        return rect.left, rect.bottom, rect.right, rect.top

    runs: list[_TextRun] = []
    for m in _RUN.finditer(text):
        runs.extend(_make_runs(m.group(), m.start(), box))
    return runs


_RUN = re.compile(r"[^\x00-\x20\x7f]+")


def _make_runs(chunk: str, start: int, box) -> list[_TextRun]:
    """One run for ``chunk`` (text starting at char index ``start``), or one
    per character if it is not a single left-to-right piece of one line."""
    n = len(chunk)
    a = box(start)
    if n == 1:
        return [_TextRun(chunk, *a)] if a[3] > a[1] else []
    b = box(start + n - 1)
    h = a[3] - a[1]
    if h > 0 and b[2] >= a[0] and abs((a[1] + a[3]) - (b[1] + b[3])) < h:
        # Vertical extent: the most common of a few samples, because a glyph
        # from a fallback font (a Kangxi radical) or one that overshoots the
        # font's descent (a parenthesis) has another loose box. When the
        # first and last agree, the middle ones cannot outvote them (a tie
        # goes to the first), so they are sampled only when needed.
        if n > 3 and round(h, 1) == round(b[3] - b[1], 1):
            return [_TextRun(chunk, a[0], a[1], b[2], a[3], None)]
        samples = [a] + [box(start + k) for k in sorted({n // 3, 2 * n // 3} - {0, n - 1})] + [b]
        heights = [round(c[3] - c[1], 1) for c in samples]
        v = samples[heights.index(max(heights, key=heights.count))]
        inner = samples[1][0] - a[2] if n in (2, 3) else None  # gap inside short runs
        return [_TextRun(chunk, a[0], v[1], b[2], v[3], inner)]
    out = []
    for k, ch in enumerate(chunk):
        x0, y0, x1, y1 = box(start + k)
        if y1 > y0:
            out.append(_TextRun(ch, x0, y0, x1, y1))
    return out


def _group_lines(runs: list[_TextRun]) -> list[_Line]:
    """Group runs into lines by vertical centre, top to bottom."""
    runs = sorted(runs, key=lambda r: -(r.y0 + r.y1))
    groups: list[list[_TextRun]] = []
    centre = 0.0
    for r in runs:
        cy = (r.y0 + r.y1) / 2
        if groups and abs(centre - cy) <= 0.4 * (r.y1 - r.y0):
            groups[-1].append(r)
        else:
            groups.append([r])
            centre = cy
    return [_make_line(sorted(g, key=lambda r: r.x0)) for g in groups]


# (it ends before the page number that ends the line: a line ending in no digit, as
# str.isdigit holds for every character \d matches, is not searched)
_LEADER = re.compile(r"\s*(?:[.．・…‥･]\s*){4,}(?=\d{1,4}$)")


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2]


def _weighted_median(pairs: list[tuple[float, int]], total: int) -> float:
    """Median of values given as (value, weight) pairs."""
    seen = 0
    for value, weight in sorted(pairs):
        seen += weight
        if 2 * seen > total:
            return value
    return pairs[-1][0]


def _leaders_to_tab(text: str) -> str:
    """A TOC entry's leader dots as a tab: "title ....... 12" -> "title\t12"."""
    if text[-1:].isdigit() and _LEADER.search(text):
        return _LEADER.sub("\t", text)
    return text


def _make_line(runs: list[_TextRun]) -> _Line:
    """Join the runs of one line with '', ' ' or '\\t' depending on the gaps
    (a line of one run, four in ten, is that run: no gaps, its own height)."""
    return _one_run_line(runs[0]) if len(runs) == 1 else _joined_line(runs)


def _one_run_line(r: _TextRun) -> _Line:
    """What _joined_line makes of a single run, without its medians and gaps."""
    return _Line(text=_leaders_to_tab(r.text), x0=r.x0, x1=r.x1, y0=r.y0, y1=r.y1, size=r.y1 - r.y0,
                 cells=[r.x0], ends=[r.x1])


def _joined_line(runs: list[_TextRun]) -> _Line:
    """Join the runs of one line with '', ' ' or '\\t' depending on the gaps."""
    # font size: the height most characters have (a fallback-font glyph,
    # such as a Kangxi radical, may have another loose box)
    n_chars = sum(len(r.text) for r in runs)
    size = _weighted_median([(r.y1 - r.y0, len(r.text)) for r in runs], n_chars)
    main = [r for r in runs if abs((r.y1 - r.y0) - size) <= 0.15 * size] or runs
    gaps = [b.x0 - a.x1 for a, b in zip(runs, runs[1:])]
    usual = 0.0
    if len(runs) >= 4 and sum(len(r.text) for r in runs if len(r.text) <= 3) >= 0.6 * n_chars:
        # Mostly short runs: letter-spaced, unless the characters inside the
        # short runs sit tight (then the gaps are real word spaces).
        inner = [r.inner for r in runs if r.inner is not None]
        if not inner or _median(inner) > 0.08 * size:
            usual = max(0.0, _median(gaps))
    parts = [runs[0].text]
    cells = [runs[0].x0]
    ends = []
    for prev_run, gap, r in zip(runs, gaps, runs[1:]):
        if gap > max(_TAB_EM * size, 3 * usual):
            parts.append("\t")
            cells.append(r.x0)
            ends.append(prev_run.x1)
        elif gap > usual + _SPACE_EM * size:
            parts.append(" ")
        parts.append(r.text)
    return _Line(text=_leaders_to_tab("".join(parts)), x0=runs[0].x0, x1=max(r.x1 for r in runs),
                 y0=min(r.y0 for r in main), y1=max(r.y1 for r in main),
                 size=size, cells=cells, ends=ends + [runs[-1].x1])


# ------------------------------------------------------- headers and footers

_BARE_PAGE_NO = re.compile(r"\d{1,4}|[ivxlc]{1,7}", re.IGNORECASE)  # 3, iv
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright\b)|©\s*\d{4}|all\s+rights\s+reserved\.?$", re.IGNORECASE)


def _is_furniture(line: _Line) -> bool:
    """A page-number or copyright line, judged by its text alone.  A page
    number may share the line with other text ('Company\\t3 / 10')."""
    text = unicodedata.normalize("NFKC", line.text).strip()
    return bool(_BARE_PAGE_NO.fullmatch(text) or _COPYRIGHT.search(text)
                or any(PAGE_NO.fullmatch(cell.strip()) for cell in text.split("\t")))


def _drop_headers_footers(raw: list[tuple[list[_Line], tuple[float, float]]]) -> list[list[_Line]]:
    """Remove running headers and footers from every page (see module doc)."""
    candidates: list[dict[int, tuple[str, float, float]]] = []
    for lines, (bottom, top) in raw:
        band = _BAND * (top - bottom)
        head = [i for i, l in enumerate(lines) if l.y0 >= top - band][:_EDGE_LINES]
        foot = [i for i, l in enumerate(lines) if l.y1 <= bottom + band][-_EDGE_LINES:]
        candidates.append({i: (lines[i].key(), (lines[i].y0 + lines[i].y1) / 2, lines[i].size)
                           for i in head + foot})

    where: dict[str, list[tuple[int, float]]] = {}  # key -> (page, centre)
    for p, cand in enumerate(candidates):
        for key, cy, _size in cand.values():
            where.setdefault(key, []).append((p, cy))
    need = max(2, round(0.3 * len(raw)))
    out = []
    for p, (lines, _) in enumerate(raw):
        drop = set()
        for i, (key, cy, size) in candidates[p].items():
            pages = {q for q, y in where[key] if abs(y - cy) <= 0.5 * size}
            if len(pages) >= need or _is_furniture(lines[i]):
                drop.add(i)
        out.append([l for i, l in enumerate(lines) if i not in drop])
    return out


# --------------------------------------------------------------------- layout

_ITEM = re.compile(
    r"[・\-‐－−●○■□◆◇▪►▶※＊*•]"     # bullets and notes
    r"|[(（]\s*\d{1,3}\s*[)）]"       # (1)
    r"|\d{1,3}[.．)）](?!\d)"          # 1.  1)
    r"|[①-⑳]"
)
_TOC_ENTRY = re.compile(r"\t\d{1,4}$")


def _right_edge(pages: list[list[_Line]]) -> float:
    """Right edge of the text column: the largest line end shared by at
    least two lines and 3 % of them (justified and wrapped lines end there; a
    lone URL that overflows the column does not count, nor do a few OCR line
    ends that took in a speck), else the largest line end."""
    ends = Counter(round(l.x1) for lines in pages for l in lines if len(l.cells) == 1)
    need = max(2, 0.03 * sum(ends.values()))
    shared = [x for x, k in ends.items() if k >= need] or [x for x, k in ends.items() if k >= 2]
    return float(max(shared or ends or [0]))


def _same_size(a: _Line, b: _Line) -> bool:
    return abs(a.size - b.size) <= 0.1 * a.size


def _wraps_into(a: _Line, b: _Line, right: float) -> bool:
    """Is ``b`` the layout-wrapped continuation of ``a``?"""
    return (len(a.cells) == 1 and len(b.cells) == 1 and _same_size(a, b)
            and a.x1 >= right - _WRAP_EM * a.size
            and a.y0 - b.y1 <= 1.0 * a.size
            and abs(b.x0 - a.x0) <= 2.5 * a.size
            and not _TOC_ENTRY.search(a.text)
            and not _ITEM.match(unicodedata.normalize("NFKC", b.text)))


def _continues_cell(a: _Line, b: _Line) -> bool:
    """Is ``b`` the next line inside the last cell of table row ``a``?"""
    return (len(a.cells) > 1 and len(b.cells) == 1 and _same_size(a, b)
            and abs(b.x0 - a.cells[-1]) <= 0.5 * a.size
            and a.y0 - b.y1 <= 0.8 * a.size)


@dataclass
class _Row:
    """The table row being assembled: its cells' texts, where its columns
    start, where each cell's last line ends, its first line and the bottom
    of its lowest line."""
    cells: list[str]
    columns: list[float]
    ends: list[float]
    head: _Line
    y0: float


def _row_of(line: _Line) -> _Row | None:
    """A table row starting at ``line`` (None for a line of one cell)."""
    cells = line.text.split("\t")
    if len(line.cells) < 2 or len(cells) != len(line.cells):
        return None
    return _Row(cells, line.cells, list(line.ends), line, line.y0)


_CELL_FULL_EM = 3.0   # a cell line ending within this of the next column was wrapped


def _row_continuation(row: _Row | None, b: _Line, right: float) -> list[tuple[int, str, float]] | None:
    """The pieces of ``b`` that continue wrapped cells of ``row`` (a table
    whose item cells wrap: 情報セキュリテ / ィ基本方針を策 / 定し…), as
    (column, text, end), or None when ``b`` is a line of its own."""
    if row is None or not _same_size(row.head, b):
        return None
    size = row.head.size
    if row.y0 - b.y1 > 0.8 * size or b.x0 <= row.columns[0] + 0.5 * size:
        return None               # a new row starts in the first column
    texts = b.text.split("\t")
    if len(texts) != len(b.cells) or len(b.ends) != len(b.cells):
        return None
    pieces = []
    for x0, text, end in zip(b.cells, texts, b.ends):
        k = next((k for k, x in enumerate(row.columns) if abs(x0 - x) <= 0.5 * size), None)
        if not k or k >= len(row.ends):
            return None
        limit = row.columns[k + 1] if k + 1 < len(row.columns) else right
        if row.ends[k] < limit - _CELL_FULL_EM * size:
            return None           # that cell's last line did not reach its column's edge
        pieces.append((k, text, end))
    return pieces


def _layout(lines: list[_Line], right: float) -> str:
    """Join wrapped lines, mark blocks with blank lines, align table cells."""
    if not lines:
        return ""
    gaps = Counter(round((a.y0 - b.y1) / a.size, 1) for a, b in zip(lines, lines[1:])
                   if _same_size(a, b) and a.y0 > b.y1)
    usual = min(gaps.most_common(1)[0][0], 1.0) if gaps else 0.8

    out = [lines[0].text]
    columns = lines[0].cells if len(lines[0].cells) > 1 else []
    prev = lines[0]
    row = _row_of(lines[0])
    for b in lines[1:]:
        a, prev = prev, b
        pieces = _row_continuation(row, b, right)
        if pieces is None and row is not None and _continues_cell(a, b):
            pieces = [(len(row.cells) - 1, b.text, b.x1)]      # the last cell runs on
        if pieces:
            for k, text, end in pieces:
                row.cells[k] = join_wrapped(row.cells[k], text) if row.cells[k] else text
                row.ends[k] = end
            row.y0 = b.y0
            lead = out[-1][:len(out[-1]) - len(out[-1].lstrip("\n"))]
            out[-1] = lead + "\t".join(row.cells)
            prev = _Line(out[-1], b.x0, b.x1, b.y0, b.y1, b.size, row.columns)
            continue
        row = _row_of(b)
        if _wraps_into(a, b, right) or _continues_cell(a, b):
            out[-1] = join_wrapped(out[-1], b.text)
            prev = _Line(b.text, b.x0, b.x1, b.y0, b.y1, b.size, a.cells)
            continue
        text = b.text
        if len(b.cells) > 1:
            columns = b.cells
        elif columns:  # a row whose first cells are empty
            col = next((k for k, x in enumerate(columns) if abs(b.x0 - x) <= 0.5 * b.size), 0)
            if col:
                text = "\t" * col + text
                prev = _Line(text, b.x0, b.x1, b.y0, b.y1, b.size, columns)
            else:
                columns = []
        gap = (a.y0 - b.y1) / a.size
        same_table = len(a.cells) > 1 and len(prev.cells) > 1
        block = not same_table and (gap > usual + 0.35 or not _same_size(a, b))
        out.append(("\n" if block else "") + text)
    return "\n".join(s.rstrip() for s in out)
