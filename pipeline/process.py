"""Per-document work: bytes in, rows of every table out.

:func:`process_document` is a pure function of the file's bytes and the
options (no clock, no file system), so results can be cached by content hash
and computed in any process or on any machine.
"""
from __future__ import annotations

import bisect
import time

from .rows import DocResult, doc_row, issue_row, format_of, sha256_of  # noqa: F401  (re-exported)
from .catalog import load_catalog
from .examples import mask_examples
from .metadata import extract_metadata
from .nlp import split_sentences, tokenize
from .normalize import normalize
from .ocr import OcrOptions, PageOcr, install_hint as ocr_hint
from .read_pdf import PdfReadError, read_pdf
from .read_text import NotText, decode_text
from .unwrap import unwrap_text
from .segment import segment
from .controls import control_rows
from .arrow_tables import columns_table

PAGE_SEPARATOR = "\n\n"


class _Timer:
    """Seconds per stage (``with timer("read"): ...``) and counters."""

    def __init__(self):
        self.t: dict[str, float] = {}
        self.n: dict[str, int] = {}

    def __call__(self, stage: str) -> "_Stage":
        return _Stage(self.t, stage)


class _Stage:
    __slots__ = ("times", "stage", "start")

    def __init__(self, times: dict, stage: str):
        self.times, self.stage = times, stage

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.times[self.stage] = self.times.get(self.stage, 0.0) + time.perf_counter() - self.start


def process_document(doc_id: str, data: bytes, source_path: str = "", *, password: str | None = None,
                     with_tokens: bool = True, ocr: OcrOptions | None = None) -> DocResult:
    fmt = format_of(doc_id)
    sha = sha256_of(data)
    timer = _Timer()
    res = DocResult(doc_id, sha, "ok")
    issues: list[dict] = []

    def fail(status: str, code: str, message: str, severity: str = "error") -> DocResult:
        res.status = status
        issues.append(issue_row(doc_id, severity, code, message))
        res.tables = {"documents": [doc_row(doc_id, source_path, sha, fmt, status, message)], "issues": issues}
        res.timings = timer.t
        return res

    if not data.strip():
        return fail("empty", "empty_file", "the file is empty (0 bytes or only white space)")

    page_starts: list[int] = []
    pdf_info: dict = {}
    n_pages = None
    source, confidence, unsure_src = "text_layer", None, set()
    with timer("read"):
        if fmt == "pdf":
            try:
                pdf_text = _pdf_text(doc_id, data, password, ocr or OcrOptions(), issues)
            except _NotRead as e:
                res2 = fail(e.status, e.code, e.message)
                res2.tables["documents"][0]["n_pages"] = e.n_pages
                return res2
            raw_text, page_starts, n_pages, pdf_info, source, confidence, unsure_src = pdf_text
        else:
            try:
                raw_text = _plain_text(doc_id, data, issues)
            except NotText as e:
                return fail("failed", "not_text", f"not a text document: {e}")

    with timer("normalise"):
        norm = normalize(raw_text)
        text = norm.text
        unsure = frozenset(k for k in range(len(text)) if norm.source[k] in unsure_src) if unsure_src else frozenset()
    if not text.strip():
        return fail("empty", "empty_text", "the document contains no text")

    def page_of(offset: int) -> int | None:
        if not page_starts:
            return None
        return bisect.bisect_right(page_starts, norm.to_source(offset)) 

    catalog = load_catalog()
    with timer("segment"):
        layout = segment(text, catalog)
        meta = extract_metadata(layout, pdf_info)
        sections = layout.sections
    issues.extend(_heading_issues(doc_id, sections, page_of))
    section_rows = _section_rows(doc_id, sections, text, page_of)

    with timer("sentences"):
        sentences = {s.index: split_sentences(text, s.body_start, s.end) for s in sections}
    token_rows: list[dict] | object = []
    if with_tokens:
        with timer("sudachi"):
            token_rows = _token_table(doc_id, sections, sentences)

    with timer("controls"):
        ctrl_rows = _controls(doc_id, sections, text, catalog, page_of, issues)

    facts = _facts(doc_id, text, layout, sentences, page_of, timer, unsure)

    res.tables = {
        "documents": [doc_row(doc_id, source_path, sha, fmt, "ok", None, n_pages, len(text), meta,
                               source, confidence)],
        "sections": section_rows,
        "controls": ctrl_rows,
        "issues": issues,
        "tokens": token_rows,
        **facts,
    }
    res.timings, res.counters = timer.t, timer.n
    return res


def _facts(doc_id: str, text: str, layout, sentences: dict, page_of, timer, unsure) -> dict[str, list[dict]]:
    """The fact tables, from the sentences outside TOC and revision lines,
    examples left out; GiNZA's time kept apart."""
    from extractors import run_extractors
    from .nlp import Ginza
    ginza_before, parses_before = Ginza.seconds, Ginza.calls
    facts = run_extractors(doc_id, text, layout.sections, mask_examples(_outside(sentences, layout), text), page_of,
                           timer, unsure)
    timer.t["ginza"] = Ginza.seconds - ginza_before
    timer.n["ginza_parses"] = Ginza.calls - parses_before
    return facts


def _controls(doc_id: str, sections, text: str, catalog, page_of, issues: list[dict]) -> list[dict]:
    rows = control_rows(doc_id, sections, text, catalog, page_of)
    if not rows:
        issues.append(issue_row(doc_id, "warning", "no_controls_found",
                                "no section heading names or plainly covers a control of the catalogue"))
    return rows


def _plain_text(doc_id: str, data: bytes, issues: list[dict]) -> str:
    """A text file's text: decoded, and unwrapped when it is a PDF's text layer."""
    decoded = decode_text(data)
    unwrapped = unwrap_text(decoded.text)
    if unwrapped.joined or unwrapped.pages:
        issues.append(issue_row(doc_id, "warning", "pdf_text_layout",
                                f"the text looks extracted from a PDF: {unwrapped.pages} page-number lines "
                                f"and their running headers dropped, {unwrapped.joined} wrapped lines joined"))
    if decoded.fallback:
        issues.append(issue_row(doc_id, "warning", "decode_fallback",
                                f"no encoding decoded the file cleanly; read as {decoded.encoding} "
                                "with replacement characters"))
    return unwrapped.text


def _heading_issues(doc_id: str, sections, page_of) -> list[dict]:
    """Warnings for headings that cite a number that is no control."""
    out = []
    for sec in sections:
        h = sec.heading
        if h is None:
            continue
        for cited, used in h.corrected:
            out.append(issue_row(doc_id, "warning", "control_id_corrected",
                                 f"heading '{h.text}' cites {cited}, which is no control; its title is that of {used}",
                                 page_of(h.start), h.start))
        for cited in h.unknown:
            out.append(issue_row(doc_id, "warning", "unknown_control_id",
                                 f"heading '{h.text}' cites {cited}, which is not in the control catalogue",
                                 page_of(h.start), h.start))
    return out


def _section_rows(doc_id: str, sections, text: str, page_of) -> list[dict]:
    return [dict(
        doc_id=doc_id, section_index=s.index, number=s.heading.number if s.heading else None,
        heading=s.heading.text if s.heading else "", control_ids=list(s.control_ids),
        text=text[s.body_start:s.end].strip(), char_start=s.start, char_end=s.end,
        page_start=page_of(s.start), page_end=page_of(max(s.start, s.end - 1)),
    ) for s in sections]


def _token_table(doc_id: str, sections, sentences: dict):
    """Sudachi tokens of every sentence of every section, as an Arrow table
    (gathered by column: a document has tens of thousands of tokens)."""
    keys = ("section_index", "sentence_index", "token_index", *_TOKEN_FIELDS)
    cols: dict[str, list] = {k: [] for k in keys}
    where = (cols["section_index"], cols["sentence_index"], cols["token_index"])
    fields = [cols[k] for k in _TOKEN_FIELDS]
    for s in sections:
        for si, sent in enumerate(sentences[s.index]):
            toks = tokenize(sent.text, sent.start)
            where[0].extend([s.index] * len(toks))
            where[1].extend([si] * len(toks))
            where[2].extend(range(len(toks)))
            for column, values in zip(fields, zip(*toks)):
                column.extend(values)
    n = len(cols["token_index"])
    cols["doc_id"] = [doc_id] * n
    return columns_table("tokens", cols, n, "-")


# the tokens table's columns, in the order of the fields of nlp.Token
_TOKEN_FIELDS = ("surface", "normalized", "lemma", "pos", "reading", "char_start", "char_end")


class _NotRead(Exception):
    def __init__(self, status: str, code: str, message: str, n_pages: int | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.n_pages = status, code, message, n_pages


def _pdf_text(doc_id: str, data: bytes, password: str | None, ocr: OcrOptions, issues: list[dict]) -> tuple:
    """The PDF's text (pages joined by PAGE_SEPARATOR), page start offsets,
    page count, info, text source, OCR confidence and the offsets of unsure
    OCR digits; issues about the pages are appended to ``issues``.  Raises
    _NotRead for a PDF that gives no text."""
    reader = PageOcr(ocr.dpi) if ocr.mode == "auto" else None
    try:
        pdf = read_pdf(data, password=password, ocr=reader)
    except PdfReadError as e:
        raise _NotRead("empty" if e.code == "empty" else "failed", e.code, e.message) from None
    if pdf.pages_without_text == pdf.n_pages and not pdf.ocr_pages:
        raise _NotRead("needs_ocr", "no_text_layer",
                       f"none of the {pdf.n_pages} pages has a text layer (scanned images): OCR is needed; "
                       + _why_no_ocr(ocr, reader), pdf.n_pages)
    if pdf.pages_without_text > len(pdf.ocr_pages):
        issues.append(issue_row(doc_id, "warning", "pages_without_text",
                             f"{pdf.pages_without_text - len(pdf.ocr_pages)} of {pdf.n_pages} pages have "
                             "no text layer" + (" and no text OCR could read" if pdf.ocr_pages else "")))
    source, confidence = "text_layer", None
    if pdf.ocr_pages:
        source = "ocr" if pdf.pages_without_text == pdf.n_pages else "mixed"
        confidence = pdf.ocr_confidence
        issues.append(issue_row(doc_id, "warning", "ocr_used",
                             f"{len(pdf.ocr_pages)} of {pdf.n_pages} pages read by OCR (Tesseract jpn, "
                             f"{ocr.dpi} dpi), mean confidence {confidence}", pdf.ocr_pages[0] + 1))
    starts, unsure, pos = [], set(), 0
    for i, page in enumerate(pdf.pages):
        starts.append(pos)
        unsure.update(pos + k for k in pdf.unsure.get(i, ()))
        pos += len(page) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(pdf.pages), starts, pdf.n_pages, pdf.info, source, confidence, unsure


def _why_no_ocr(ocr: OcrOptions, reader: PageOcr | None) -> str:
    """The one-line hint of a needs_ocr document."""
    if reader is None:
        return "OCR is off (--ocr off); run with --ocr auto"
    if reader.missing:
        return ocr_hint()
    return f"Tesseract found no text on its pages at {ocr.dpi} dpi"


def _outside(sentences: dict, layout) -> dict:
    """The sentences that are not on a table-of-contents or revision-history
    line: 「第2.1版 バックアップ保持世代を5世代から7世代に変更」 states no fact."""
    skip = sorted((layout.lines[k][0], layout.lines[k][1]) for k in layout.toc_lines | layout.revision_lines)
    if not skip:
        return sentences
    starts = [a for a, _ in skip]

    def inside(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and pos <= skip[k][1]
    return {i: [s for s in sents if not inside(s.start)] for i, sents in sentences.items()}


def analyse_text(text: str, doc_id: str = "snippet.txt") -> dict[str, list[dict]]:
    """Run the whole per-document pipeline on a string (tests, notebooks):
    returns every table's rows for that text."""
    data = text.encode("utf-8", errors="replace")      # a lone surrogate becomes '?'
    return process_document(doc_id, data, with_tokens=False).tables
