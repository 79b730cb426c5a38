"""Light helpers shared by the batch and the per-document pipeline: the
result type and the rows written for every document, failed or not. Kept
apart from :mod:`pipeline.process` so that the batch process does not import
the parsers and models when it has nothing to process."""
from __future__ import annotations

import hashlib

from . import __version__


class DocResult:
    """One document's outcome: its rows per table, and per-stage seconds and
    counters for the run summary. (A plain class: ``dataclasses`` would cost
    the unchanged nightly re-run, which imports this module, ~15 ms.)"""

    def __init__(self, doc_id: str, sha256: str, status: str, tables: dict[str, list[dict]] | None = None):
        self.doc_id, self.sha256, self.status = doc_id, sha256, status
        self.tables = {} if tables is None else tables
        self.timings: dict[str, float] = {}
        self.counters: dict[str, int] = {}          # e.g. sentences GiNZA parsed


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def issue_row(doc_id, severity, code, message, page=None, char_start=None) -> dict:
    return dict(doc_id=doc_id, severity=severity, code=code, message=message, page=page, char_start=char_start)


def printable_path(path: str) -> str:
    """A file name as valid UTF-8 text, whatever bytes the file system holds."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def doc_row(doc_id, source_path, sha, fmt, status, error=None, n_pages=None, n_chars=0, meta=None,
             text_source=None, ocr_confidence=None) -> dict:
    return dict(doc_id=doc_id, source_path=printable_path(source_path), sha256=sha, format=fmt,
                title=meta.title if meta else None, publisher=meta.publisher if meta else None,
                version=meta.version if meta else None, published=meta.published if meta else None,
                n_pages=n_pages, n_chars=n_chars, status=status, error=error,
                text_source=text_source, ocr_confidence=ocr_confidence, pipeline_version=__version__)


def format_of(name: str) -> str:
    return "pdf" if name.lower().endswith(".pdf") else "text"
