"""Every output table, defined once.

Each table is a tuple of :class:`Column` (name, Arrow type, meaning and, for
closed vocabularies, the allowed values).  From that single definition we
derive the pyarrow schema written to Parquet, a row dataclass used by the
extractors, the documentation in ``docs/schema.md`` and the loader's dtypes.
No other module spells a column list.
"""
from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pyarrow as pa

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


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    doc: str
    nullable: bool = True
    vocab: tuple[str, ...] | None = None


def _c(name, typ, doc, nullable=True, vocab=None) -> Column:
    return Column(name, typ, doc, nullable, vocab)


STR, I32, F64, BOOL = pa.string(), pa.int32(), pa.float64(), pa.bool_()
TS = pa.timestamp("us", tz="UTC")

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
        _c("published", pa.date32(), "the document's own issue date (latest revision)"),
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
        _c("control_ids", pa.list_(STR), "canonical control ids named in the heading", False),
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


@lru_cache(maxsize=None)
def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of *table* (built once: schemas are immutable)."""
    return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in TABLES[table]],
                     metadata={"kanrisaku.schema_version": SCHEMA_VERSION, "kanrisaku.table": table})


def to_table(name: str, rows: list[dict], run_id: str | None = None) -> pa.Table:
    """Build an Arrow table of *name* from row dicts, checking vocabularies."""
    return columns_table(name, {col.name: [r.get(col.name) for r in rows] for col in TABLES[name]
                                if not (col.name == "run_id" and run_id is not None)}, len(rows), run_id)


def empty_table(name: str) -> pa.Table:
    """A table of *name* with no rows (``Schema.empty_table`` imports pandas)."""
    return columns_table(name, {}, 0)


def columns_table(name: str, columns: dict[str, list], n_rows: int, run_id: str | None = None) -> pa.Table:
    """Build an Arrow table of *name* from a list of values per column (a
    column left out is all null), checking vocabularies: for large tables
    (tokens) that are cheaper to gather by column than as row dicts."""
    schema = arrow_schema(name)
    cols = {}
    for col in TABLES[name]:
        if col.name == "run_id" and run_id is not None:
            cols[col.name] = repeat_string(run_id, n_rows)
            continue
        values = columns.get(col.name)
        values = [None] * n_rows if values is None else values
        if col.vocab:
            bad = {v for v in values if v is not None and v not in col.vocab}
            if bad:
                raise ValueError(f"{name}.{col.name}: values outside the vocabulary: {sorted(bad)}")
        cols[col.name] = small_array(values, col.type) if len(values) <= SMALL_ROWS else _column(values, col.type)
    return pa.Table.from_pydict(cols, schema=schema)


def _column(values: list, typ: pa.DataType) -> pa.Array:
    """A long column: strings and int32 without nulls (the tokens table)
    laid out directly, anything else by ``pa.array``. (``pa.array`` would
    import pandas into every worker, 0.4 s and 50 MB each, for that table.)"""
    n = len(values)
    try:
        if typ == STR:
            laid_out = _string_array(values)
            if laid_out is not None:
                return laid_out
        if typ == I32 and _all_of_type(values, int):
            return pa.Array.from_buffers(I32, n, [None, _int32_buffer(values)], null_count=0)
    except OverflowError:           # more than 2 GB of text, or a value outside int32: pa.array's rules
        pass
    return pa.array(values, type=typ)


def _all_of_type(values: list, typ: type) -> bool:
    """Every value is exactly of *typ* (no subclass: a bool is no int32);
    ``set(map(type, ...))`` runs in C, twice as fast as ``all(...)``."""
    return not values or set(map(type, values)) == {typ}


def _string_array(values: list) -> pa.Array | None:
    """A string array of *values* without nulls, from one join and one
    encode (not one per value: a tokens column has tens of thousands of
    them); None when a value is not a str (a null: pa.array's path).
    OverflowError past 2**31 bytes."""
    try:
        joined = "\x00".join(values)        # also proves every value is a str
    except TypeError:
        return None
    if joined.count("\x00") == len(values) - 1:
        data, offsets = _split_at_nul(joined.encode("utf-8"), len(values))
    else:                                   # a value holds NUL itself (or there are none)
        data = "".join(values).encode("utf-8")
        offsets = _utf8_offsets(values, data)
    if len(data) >= 2**31:
        raise OverflowError("more than 2**31 bytes in one column")
    return pa.Array.from_buffers(STR, len(values), [None, pa.py_buffer(offsets.astype("<i4")),
                                                    pa.py_buffer(data)], null_count=0)


def _split_at_nul(joined: bytes, n: int):
    """The bytes of *n* strings joined by NUL (which no string holds) without
    the NULs, and the strings' byte offsets in them: a NUL byte is only ever
    U+0000 in UTF-8, so numpy finds the boundaries without a Python loop."""
    import numpy as np              # (already imported by pyarrow)
    raw = np.frombuffer(joined, dtype=np.uint8)
    offsets = np.empty(n + 1, dtype=np.int64)
    offsets[0] = 0
    offsets[1:n] = np.flatnonzero(raw == 0)
    offsets[n] = len(raw)
    offsets[1:] -= np.arange(n)     # the NULs before each end
    return joined.replace(b"\x00", b""), offsets


def _utf8_offsets(values: list[str], data: bytes):
    """The byte offsets of *values* in *data* (their join, UTF-8 encoded)
    without encoding each value: their character ends, mapped to byte
    positions through the bytes that start a character (all but UTF-8's
    0b10xxxxxx continuation bytes)."""
    import numpy as np
    ends = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, values), dtype=np.int64, count=len(values)), out=ends[1:])
    if ends[-1] != len(data):       # not all ASCII: character ends -> byte ends
        raw = np.frombuffer(data, dtype=np.uint8)
        ends = np.append(np.flatnonzero((raw & 0xC0) != 0x80), len(data))[ends]
    return ends


# -- a few rows without pandas ------------------------------------------------------
# ``pa.array`` first asks pyarrow's pandas shim whether the values are a
# pandas object, and that imports pandas: 0.3 s, a third of an unchanged
# nightly re-run, which writes one row of ``runs`` and nothing else.  So a
# handful of values of a flat type are laid out in Arrow buffers here.

SMALL_ROWS = 64
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_FIXED = {I32: "i", F64: "d", TS: "q"}
_DATE, _STR_LIST = pa.date32(), pa.list_(pa.string())
_EPOCH_DAY = dt.date(1970, 1, 1)


def small_array(values: list, typ: pa.DataType) -> pa.Array:
    """The same array as ``pa.array(values, type=typ)`` for string, int32,
    float64, bool and UTC timestamp columns (anything else goes to pa.array)."""
    n = len(values)
    valid = [v is not None for v in values]
    if typ == _STR_LIST and all(isinstance(v, (list, tuple)) for v, ok in zip(values, valid) if ok):
        items = [x for v, ok in zip(values, valid) if ok for x in v]
        if all(isinstance(x, str) for x in items):
            validity = None if all(valid) else pa.py_buffer(_bits(valid))
            offsets = _offsets(len(v) if ok else 0 for v, ok in zip(values, valid))
            return pa.ListArray.from_buffers(typ, n, [validity, offsets], null_count=valid.count(False),
                                             children=[small_array(items, STR)])
        return pa.array(values, type=typ)
    if typ == _DATE:
        if not all(type(v) is dt.date for v, ok in zip(values, valid) if ok):
            return pa.array(values, type=typ)
        validity = None if all(valid) else pa.py_buffer(_bits(valid))
        days = [(v - _EPOCH_DAY).days if ok else 0 for v, ok in zip(values, valid)]
        return pa.Array.from_buffers(typ, n, [validity, pa.py_buffer(struct.pack(f"<{n}i", *days))],
                                     null_count=valid.count(False))
    if typ == TS and not all(v.tzinfo is not None for v in values if v is not None):
        return pa.array(values, type=typ)       # naive datetimes: pa.array's rules
    if typ not in _FIXED and typ not in (STR, BOOL) or not all(_plain(v, typ) for v, ok in zip(values, valid) if ok):
        return pa.array(values, type=typ)
    validity = None if all(valid) else pa.py_buffer(_bits(valid))
    nulls = valid.count(False)
    if typ == STR:
        data = [v.encode("utf-8") if ok else b"" for v, ok in zip(values, valid)]
        return pa.Array.from_buffers(STR, n, [validity, _offsets(map(len, data)), pa.py_buffer(b"".join(data))],
                                     null_count=nulls)
    if typ == BOOL:
        return pa.Array.from_buffers(BOOL, n, [validity, pa.py_buffer(_bits([bool(v) for v in values]))],
                                     null_count=nulls)
    if typ == TS:
        values = [(v - _EPOCH) // dt.timedelta(microseconds=1) if ok else 0 for v, ok in zip(values, valid)]
    else:
        values = [v if ok else 0 for v, ok in zip(values, valid)]
    return pa.Array.from_buffers(typ, n, [validity, pa.py_buffer(struct.pack(f"<{n}{_FIXED[typ]}", *values))],
                                 null_count=nulls)


def repeat_string(value: str, n: int) -> pa.Array:
    """*value* *n* times as a string array (a run id down a whole table),
    laid out directly: ``pa.array`` would import pandas."""
    b = value.encode("utf-8")
    return pa.Array.from_buffers(STR, n, [None, _offsets([len(b)] * n), pa.py_buffer(b * n)], null_count=0)


def _offsets(lengths: Iterable[int]) -> pa.Buffer:
    """Arrow's offsets buffer (int32, little-endian) for items of these
    lengths; OverflowError past 2**31 bytes."""
    import numpy as np              # (already imported by pyarrow)
    counts = np.fromiter(lengths, dtype=np.int64)
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    if out[-1] >= 2**31:
        raise OverflowError("more than 2**31 bytes in one column")
    return pa.py_buffer(out.astype("<i4"))


def _int32_buffer(values: list[int]) -> pa.Buffer:
    """int32 values as a little-endian Arrow buffer; OverflowError for a
    value outside int32."""
    import numpy as np
    return pa.py_buffer(np.array(values, dtype="<i4"))


def _plain(v, typ) -> bool:
    """A value small_array lays out itself (others take pa.array's path, with its errors)."""
    if typ == STR:
        return isinstance(v, str)
    if typ == BOOL:
        return isinstance(v, bool)
    if typ == TS:
        return isinstance(v, dt.datetime)
    if typ == F64:
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, int) and not isinstance(v, bool) and -2**31 <= v < 2**31


def _bits(flags: list[bool]) -> bytes:
    """Arrow's bitmap: least significant bit first."""
    out = bytearray((len(flags) + 7) // 8)
    for i, f in enumerate(flags):
        if f:
            out[i >> 3] |= 1 << (i & 7)
    return bytes(out)
