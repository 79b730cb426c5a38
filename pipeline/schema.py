"""Every output table, defined once.

Each table is a tuple of :class:`Column` (name, type, meaning and, for
closed vocabularies, the allowed values).  From that single definition we
derive the pyarrow schema written to Parquet (:mod:`pipeline.arrow_tables`),
a row dataclass used by the extractors, the documentation in
``docs/schema.md`` and the loader's dtypes.  No other module spells a column
list.

Types are named here by their Arrow names (``Column.kind``) and become
pyarrow types only when asked for (``Column.type``): the unchanged nightly
re-run, which writes one row of ``runs`` and links the rest, never imports
pyarrow (and numpy behind it), which would cost it more than half its time.
"""
from __future__ import annotations

import datetime as dt
from collections import namedtuple

SCHEMA_VERSION = "1"

SUBJECTS = ("logs", "backups", "customer_data")
ACTIONS = ("retain", "delete")
RETENTION_UNITS = ("hour", "day", "business_day", "week", "month", "year", "generation")
TIME_UNITS = ("minute", "hour", "day", "business_day", "week", "month", "year", "percent")
RETENTION_BOUNDS = ("exact", "min", "max", "approx", "unspecified", "indefinite")
TIME_BOUNDS = ("exact", "min", "max", "approx")
RETENTION_FREQUENCIES = ("hourly", "daily", "weekly", "monthly", "yearly")
TIME_FREQUENCIES = ("daily", "weekly", "monthly", "yearly")
TIME_KINDS = (
    "incident_notification", "recovery", "availability", "service_hours", "support_hours",
    "maintenance_window", "backup_schedule", "log_collection", "log_review", "monitoring",
    "vulnerability_check", "malware_update", "audit", "deletion_schedule",
)
TZ_SCOPES = ("logs", "system", "display")
SYNC_SOURCES = ("NTP", "cloud_provider")
FORMATS = ("pdf", "text")
STATUSES = ("ok", "failed", "needs_ocr", "empty")
TEXT_SOURCES = ("text_layer", "ocr", "mixed")
FRAMEWORKS = ("ISO/IEC 27001:2013 Annex A", "ISO/IEC 27017:2015 CLD")
ID_SOURCES = ("heading_bracket", "heading_number", "inferred")
SEVERITIES = ("error", "warning")
CHANGE_KINDS = ("appeared", "disappeared")
RUN_STATUSES = ("ok", "partial", "failed")
# issues.code: the codes the pipeline writes (the README's issue table says what each means).
ISSUE_CODES = (
    "pdf_broken", "pdf_encrypted", "pdf_bomb", "no_text_layer", "pages_without_text", "empty_file", "empty_text",
    "not_text", "decode_fallback", "pdf_text_layout", "too_large", "timeout", "memory_limit", "worker_crash", "internal_error",
    "unreadable", "file_vanished", "unreadable_folder", "control_id_corrected", "unknown_control_id",
    "no_controls_found", "cache_rejected", "ocr_used",
)


class Column(namedtuple("Column", "name kind doc nullable vocab", defaults=(True, None))):
    """One column: its name, the Arrow type's name (one of KINDS), what it
    means, whether it may be null, and the allowed values of a closed
    vocabulary. (A named tuple, immutable: a dataclass would import
    ``inspect`` into the unchanged re-run.)"""
    __slots__ = ()

    @property
    def type(self):
        """The pyarrow type (imports pyarrow)."""
        from .arrow_tables import arrow_type
        return arrow_type(self.kind)


def _c(name, typ, doc, nullable=True, vocab=None) -> Column:
    return Column(name, typ, doc, nullable, vocab)


STR, I32, F64, BOOL, DATE = "string", "int32", "double", "bool", "date32[day]"
TS = "timestamp[us, tz=UTC]"
STR_LIST = "list<item: string>"
KINDS = (STR, I32, F64, BOOL, DATE, TS, STR_LIST)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def micros(t: dt.datetime) -> int:
    """A timezone-aware datetime as the value a TS column stores:
    microseconds since the Unix epoch (UTC)."""
    return (t - _EPOCH) // dt.timedelta(microseconds=1)

_DOC_ID = _c("doc_id", STR, "path of the file relative to the input folder, '/'-separated", False)
_RUN_ID = _c("run_id", STR, "id of the run that produced the row (see `runs`)", False)
_EVIDENCE = (
    _c("control_id", STR, "canonical control the passage sits under, null when none"),
    _c("evidence", STR, "the sentence the value was read from, NFKC-normalised", False),
    _c("char_start", I32, "start offset of the evidence in the document's normalised text", False),
    _c("char_end", I32, "end offset of the evidence in the document's normalised text", False),
    _c("page", I32, "1-based page of the evidence (PDF input); null for text"),
)

TABLES: dict[str, tuple[Column, ...]] = {
    "documents": (
        _DOC_ID,
        _c("source_path", STR, "absolute path of the file when it was read", False),
        _c("sha256", STR, "sha256 of the file's bytes", False),
        _c("format", STR, "input format", False, FORMATS),
        _c("title", STR, "document title from its cover"),
        _c("publisher", STR, "organisation that issued the document"),
        _c("version", STR, "version as written, e.g. 第 1.0 版"),
        _c("published", DATE, "the document's own issue date (latest revision)"),
        _c("n_pages", I32, "page count (PDF)"),
        _c("n_chars", I32, "characters of normalised text", False),
        _c("status", STR, "outcome of reading the file", False, STATUSES),
        _c("error", STR, "why the file could not be read"),
        _c("text_source", STR, "how the text was obtained: text_layer (a text file, or a PDF's text layer), ocr "
           "(every page a scan read by OCR) or mixed; null when the file was not read", True, TEXT_SOURCES),
        _c("ocr_confidence", F64, "mean Tesseract character confidence (0-100) of the OCR text; null without OCR"),
        _c("ingested_at", TS, "when the file was processed (UTC)", False),
        _c("pipeline_version", STR, "version of kanrisaku that produced the row", False),
        _RUN_ID,
    ),
    "sections": (
        _DOC_ID,
        _c("section_index", I32, "0-based position in the document", False),
        _c("number", STR, "section number as written, e.g. 5.3"),
        _c("heading", STR, "heading line", False),
        _c("control_ids", STR_LIST, "canonical control ids named in the heading", False),
        _c("text", STR, "body text of the section (normalised)", False),
        _c("char_start", I32, "start offset of the heading in the normalised text", False),
        _c("char_end", I32, "end offset of the section in the normalised text", False),
        _c("page_start", I32, "first page (PDF)"),
        _c("page_end", I32, "last page (PDF)"),
        _RUN_ID,
    ),
    "controls": (
        _DOC_ID,
        _c("control_id", STR, "canonical control id (A.12.3.1, CLD.8.1.5)", False),
        _c("framework", STR, "standard the control belongs to", False, FRAMEWORKS),
        _c("catalog_title", STR, "the standard's Japanese title", False),
        _c("heading", STR, "heading as the document wrote it", False),
        _c("section_index", I32, "section that covers the control", False),
        _c("id_source", STR, "how the control was identified", False, ID_SOURCES),
        _c("confidence", F64, "1.0 for explicit ids, lower for inferred ones", False),
        _c("text", STR, "body text of the section", False),
        _c("page_start", I32, "first page (PDF)"),
        _c("page_end", I32, "last page (PDF)"),
        _c("control_2022", STR, "ISO/IEC 27001:2022 counterpart(s), ';'-separated"),
        _RUN_ID,
    ),
    "retention_periods": (
        _DOC_ID,
        _c("subject", STR, "what is kept", False, SUBJECTS),
        _c("action", STR, "retain: kept for; delete: removed after/within", False, ACTIONS),
        _c("value", F64, "number as written; null when the text gives none"),
        _c("unit", STR, "unit of value", True, RETENTION_UNITS),
        _c("bound", STR, "how the value bounds the period", False, RETENTION_BOUNDS),
        _c("duration_iso", STR, "ISO 8601 duration for calendar units"),
        _c("days", F64, "period in calendar days (business day = 7/5)"),
        _c("frequency", STR, "backup interval for generations", True, RETENTION_FREQUENCIES),
        _c("anchor", STR, "event the period is counted from"),
        *_EVIDENCE,
        _RUN_ID,
    ),
    "time_targets": (
        _DOC_ID,
        _c("kind", STR, "what the promised time is about", False, TIME_KINDS),
        _c("value", F64, "number as written (72 for 72 時間以内)"),
        _c("unit", STR, "unit of value", True, TIME_UNITS),
        _c("bound", STR, "how the value bounds the target", False, TIME_BOUNDS),
        _c("duration_iso", STR, "ISO 8601 duration when the value is a duration"),
        _c("hours", F64, "the duration in hours"),
        _c("frequency", STR, "once per calendar period", True, TIME_FREQUENCIES),
        _c("clock", STR, "time of day or window, HH:MM or HH:MM-HH:MM[,...]"),
        _c("days_of_week", STR, "e.g. Mon-Fri"),
        _c("timezone", STR, "IANA timezone stated for the target"),
        _c("is_goal", BOOL, "the text calls it a target rather than a guarantee", False),
        _c("anchor", STR, "event counted from"),
        *_EVIDENCE,
        _RUN_ID,
    ),
    "log_timezones": (
        _DOC_ID,
        _c("scope", STR, "which clock", False, TZ_SCOPES),
        _c("tz_label", STR, "timezone as written, normalised", False),
        _c("iana_tz", STR, "IANA timezone name", False),
        _c("utc_offset", STR, "offset from UTC, +HH:MM", False),
        _c("sync_source", STR, "what the clock is synchronised with", True, SYNC_SOURCES),
        *_EVIDENCE,
        _RUN_ID,
    ),
    "issues": (
        _DOC_ID,
        _c("severity", STR, "error or warning", False, SEVERITIES),
        _c("code", STR, "machine-readable issue code", False),
        _c("message", STR, "what went wrong, for a person", False),
        _c("page", I32, "page concerned"),
        _c("char_start", I32, "offset concerned"),
        _RUN_ID,
    ),
    "tokens": (
        _DOC_ID,
        _c("section_index", I32, "section of the token", False),
        _c("sentence_index", I32, "sentence within the section", False),
        _c("token_index", I32, "token within the sentence", False),
        _c("surface", STR, "token as written", False),
        _c("normalized", STR, "Sudachi normalized form", False),
        _c("lemma", STR, "Sudachi dictionary form", False),
        _c("pos", STR, "part of speech (Sudachi, comma-joined)", False),
        _c("reading", STR, "reading in katakana", False),
        _c("char_start", I32, "start offset in the normalised text", False),
        _c("char_end", I32, "end offset in the normalised text", False),
        _RUN_ID,
    ),
    "runs": (
        _RUN_ID,
        _c("started_at", TS, "start of the run (UTC)", False),
        _c("finished_at", TS, "end of the run (UTC)", False),
        _c("pipeline_version", STR, "version of kanrisaku", False),
        _c("n_new", I32, "files seen for the first time", False),
        _c("n_changed", I32, "files whose bytes changed", False),
        _c("n_unchanged", I32, "files carried over from the cache", False),
        _c("n_deleted", I32, "files gone since the previous run", False),
        _c("n_failed", I32, "files that could not be read", False),
        _c("duration_s", F64, "wall time of the run in seconds", False),
        _c("exit_status", STR, "ok, partial (some files failed) or failed", False, RUN_STATUSES),
    ),
    "changes": (
        _DOC_ID,
        _c("table", STR, "fact table the row belongs to", False),
        _c("change", STR, "appeared or disappeared", False, CHANGE_KINDS),
        _c("fact", STR, "the fact as a short readable key", False),
        _c("evidence", STR, "evidence sentence of the fact"),
        _c("old_sha256", STR, "sha256 of the previous version"),
        _c("new_sha256", STR, "sha256 of the new version"),
        _RUN_ID,
    ),
}

FACT_TABLES = ("retention_periods", "time_targets", "log_timezones")
# Tables that hold one document's rows (carried in the per-document cache).
DOCUMENT_TABLES = ("documents", "sections", "controls", *FACT_TABLES, "issues", "tokens")


def columns(table: str) -> tuple[str, ...]:
    return tuple(c.name for c in TABLES[table])


def table_metadata(table: str) -> dict[str, str]:
    """The key-value metadata every Parquet file of *table* carries."""
    return {"kanrisaku.schema_version": SCHEMA_VERSION, "kanrisaku.table": table}
