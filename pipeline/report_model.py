"""The content of the report, built once from a published output folder.

HTML (:mod:`pipeline.report`) and the workbook (:mod:`pipeline.report_xlsx`)
show the same things, so what is compared -- which documents, which
controls, which fact goes in which column, and the evidence of every value --
is decided here, from :func:`pipeline.load` (one generation, typed), and the
writers only lay it out.  Everything is plain Python (lists, dicts, strings)
so the template needs no pandas and the writers no schema knowledge.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from .catalog import load_catalog
from .load import Tables, load
from .report_labels import Labels, labels

_EPOCH = dt.datetime(1970, 1, 1)
# The tables the report reads (never the large tokens table).
REPORT_TABLES = ("documents", "sections", "controls", "retention_periods", "time_targets",
                 "log_timezones", "issues", "runs", "changes")

# Per-vendor columns: (key, table, column that selects, value selected).
FACT_COLUMNS = (
    ("logs", "retention_periods", "subject", "logs"),
    ("backups", "retention_periods", "subject", "backups"),
    ("customer_data", "retention_periods", "subject", "customer_data"),
    ("incident_notification", "time_targets", "kind", "incident_notification"),
    ("recovery", "time_targets", "kind", "recovery"),
    ("availability", "time_targets", "kind", "availability"),
    ("service_hours", "time_targets", "kind", "service_hours"),
    ("support_hours", "time_targets", "kind", "support_hours"),
    ("maintenance_window", "time_targets", "kind", "maintenance_window"),
    ("log_tz", "log_timezones", None, None),
)


@dataclass
class Value:
    """One shown value and where it was read: the tooltip holds the evidence."""
    text: str
    evidence: str
    page: int | None = None
    section: str = ""
    sort: float | None = None

    @property
    def tip(self) -> str:
        return "\n".join(p for p in (self.evidence, self.where) if p)

    @property
    def where(self) -> str:
        return " · ".join(p for p in (f"p.{self.page}" if self.page else "", self.section) if p)


@dataclass
class Vendor:
    doc_id: str
    title: str
    publisher: str
    version: str
    published: str
    cells: list = field(default_factory=list)     # matrix: one (kind, Value | None) per control column
    facts: dict = field(default_factory=dict)     # FACT_COLUMNS key -> [Value]


@dataclass
class Report:
    labels: Labels
    out: str
    run_id: str
    finished_at: str
    clauses: list           # [(clause number, clause name, [(control id, catalogue title)])]
    vendors: list           # [Vendor]
    changes: list           # [dict]: vendor, table, change, fact, evidence
    failed: list            # [dict]: doc_id, status, code, message
    tables: Tables
    where: "_Sections"      # the section around an offset of a document

    @functools.cached_property
    def control_ids(self) -> list[str]:
        """The matrix's columns (the template asks once per cell: computed once)."""
        return [cid for _, _, ctrls in self.clauses for cid, _ in ctrls]


def _s(v) -> str:
    """A cell (from Arrow: None when missing) as text."""
    return "" if v is None else str(v)


def _num(v) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    x = float(v)
    return None if math.isnan(x) else x


def rows(tables: Tables, name: str, cols: tuple[str, ...] | None = None) -> list[dict]:
    """Rows of a loaded table as dicts, straight from Arrow (no pandas: 300 documents stay quick)."""
    t = tables.arrow(name)
    return (t.select(list(cols)) if cols else t).to_pylist()


def section_name(number, heading) -> str:
    """「5.3 バックアップ」: the number, unless the heading already starts with it (5.3. バックアップ)."""
    number, heading = _s(number), _s(heading)
    if number and not heading.startswith(number):
        return f"{number} {heading}".strip()
    return heading


class _Sections:
    """Finds the section (number and heading) around an offset of a document."""

    def __init__(self, tables: Tables):
        by_doc: dict[str, list[tuple[int, str]]] = {}
        self.by_index: dict[tuple[str, int], str] = {}
        for r in rows(tables, "sections", ("doc_id", "section_index", "number", "heading", "char_start")):
            name = section_name(r["number"], r["heading"])
            by_doc.setdefault(r["doc_id"], []).append((r["char_start"], name))
            self.by_index[r["doc_id"], r["section_index"]] = name
        self.by_doc = {}
        for doc_id, secs in by_doc.items():
            secs.sort(key=lambda x: x[0])
            self.by_doc[doc_id] = ([c for c, _ in secs], [n for _, n in secs])

    def name(self, doc_id: str, offset) -> str:
        starts, names = self.by_doc.get(doc_id, ([], []))
        if offset is None or not starts:
            return ""
        k = bisect.bisect_right(starts, int(offset)) - 1
        return names[k] if k >= 0 else ""


def _clause(control_id: str) -> str:
    return control_id.split(".")[1]


def _clauses(present: set[str], L: Labels) -> list:
    """The controls any document addresses, in catalogue order, grouped by clause."""
    catalog = load_catalog()
    order = [cid for cid in catalog.by_id if cid in present]
    order += sorted(present - set(order))           # not in the catalogue: at the end of their clause
    groups: dict[str, list] = {}
    for cid in order:
        c = catalog.by_id.get(cid)
        title = (c.title_ja if L.lang == "ja" else c.title_en) if c else ""
        groups.setdefault(_clause(cid), []).append((cid, title))
    return [(k, L.clauses.get(k, ""), v) for k, v in sorted(groups.items(), key=lambda kv: int(kv[0]))]


def _matrix_cells(ctrl_rows, control_ids: list[str], L: Labels, where: _Sections, doc_id: str) -> list:
    """(kind, Value) per control column: explicit beats inferred, then the highest confidence."""
    best: dict[str, tuple] = {}
    for r in ctrl_rows:
        kind = "inferred" if r["id_source"] == "inferred" else "explicit"
        rank = (kind == "explicit", float(r["confidence"]))
        if r["control_id"] not in best or rank > best[r["control_id"]][0]:
            page = _num(r["page_start"])
            v = Value(f"{L[kind]} ({L['confidence']} {float(r['confidence']):.2f})", _s(r["heading"]),
                      int(page) if page else None, where.by_index.get((doc_id, r["section_index"]), ""))
            best[r["control_id"]] = (rank, kind, v)
    return [(best[c][1], best[c][2]) if c in best else (None, None) for c in control_ids]


def _n(x: float) -> str:
    return f"{x:g}"


def _amount(L: Labels, value, unit, bound) -> str:
    """72 時間以内 / within 72 hours: a number, its unit and its bound in words."""
    before, after = L.bounds.get(_s(bound), ("", ""))
    v = _num(value)
    if v is None:
        return (before + after).strip()
    u = L.word(_s(unit)) if _s(unit) else ""
    if L.lang == "ja" or u == "%":
        return f"{before}{_n(v)}{u}{after}"
    if u and v != 1 and not u.endswith("s"):
        u += "s"
    return f"{before}{_n(v)} {u}{after}".strip()


def _retention_text(L: Labels, r) -> str:
    text = _amount(L, r["value"], r["unit"], r["bound"])
    if _s(r["frequency"]):
        text += f" ({L.word(_s(r['frequency']))})"
    if r["action"] == "delete":
        text = f"{L.word('delete')}: {text}"
    if _s(r["anchor"]):
        text += f" [{L['from']}: {_s(r['anchor'])}]"
    return text


def _target_text(L: Labels, r) -> str:
    parts = [_amount(L, r["value"], r["unit"], r["bound"]) if _num(r["value"]) is not None else ""]
    parts += [_s(r["days_of_week"]), _s(r["clock"]), _s(r["timezone"])]
    if _s(r["frequency"]):
        parts.append(L.word(_s(r["frequency"])))
    text = " ".join(p for p in parts if p) or _s(r["bound"])
    if r["is_goal"] is True:
        text += f" ({L['goal']})"
    if _s(r["anchor"]):
        text += f" [{L['from']}: {_s(r['anchor'])}]"
    return text


def _tz_text(L: Labels, r) -> str:
    text = f"{_s(r['tz_label'])} (UTC{_s(r['utc_offset'])})"
    if r["scope"] != "logs":
        text = f"{L.word(_s(r['scope']))}: {text}"
    if _s(r["sync_source"]):
        text += f" · {L.word(_s(r['sync_source']))}"
    return text


_TEXT = {"retention_periods": (_retention_text, "days"), "time_targets": (_target_text, "hours"),
         "log_timezones": (_tz_text, None)}


def _facts(tables: Tables, L: Labels, where: _Sections) -> dict:
    """doc_id -> {FACT_COLUMNS key -> [Value]} (in document order)."""
    out: dict[str, dict[str, list]] = {}
    by_table = {name: sorted(rows(tables, name), key=lambda r: (r["doc_id"], r["char_start"]))
                for name in {table for _, table, _, _ in FACT_COLUMNS}}
    for key, table, col, wanted in FACT_COLUMNS:
        text_of, sort_col = _TEXT[table]
        for r in by_table[table]:
            if col is not None and r[col] != wanted:
                continue
            doc_id = r["doc_id"]
            sort = _num(r[sort_col]) if sort_col else None
            if sort is None and table == "time_targets":
                sort = _num(r["value"])
            page = _num(r["page"])
            v = Value(text_of(L, r), _s(r["evidence"]), int(page) if page else None,
                      where.name(doc_id, r["char_start"]), sort)
            out.setdefault(doc_id, {}).setdefault(key, []).append(v)
    return out


def _failed(tables: Tables) -> list[dict]:
    """Documents that were not read, each with its error issue (code and message)."""
    first: dict[str, tuple[str, str]] = {}
    for i in rows(tables, "issues", ("doc_id", "severity", "code", "message")):
        if i["severity"] == "error":
            first.setdefault(i["doc_id"], (i["code"], i["message"]))
    out = []
    for r in sorted(rows(tables, "documents", ("doc_id", "status", "error")), key=lambda r: r["doc_id"]):
        if r["status"] != "ok":
            code, msg = first.get(r["doc_id"], ("", _s(r["error"])))
            out.append(dict(doc_id=r["doc_id"], status=r["status"], code=code, message=msg))
    return out


def utc_datetimes(column) -> list:
    """A UTC timestamp column as naive UTC datetimes: Arrow's own conversion of
    zoned timestamps imports pandas, a second of the report's start-up."""
    micro = column.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64()).to_pylist()
    return [None if v is None else _EPOCH + dt.timedelta(microseconds=v) for v in micro]


def _last_run(tables: Tables) -> tuple[str, str]:
    runs = tables.arrow("runs")
    if not runs.num_rows:
        return tables.run_id or "", ""
    finished = utc_datetimes(runs.column("finished_at"))
    k = max(range(len(finished)), key=lambda i: finished[i])
    return runs.column("run_id")[k].as_py(), finished[k].strftime("%Y-%m-%d %H:%M UTC")


def build(out: str | Path, lang: str = "ja") -> Report:
    """The report of the output folder *out* (read once, through :func:`pipeline.load`)."""
    L = labels(lang)
    t = load(out, REPORT_TABLES)
    where = _Sections(t)
    ctrl_by_doc: dict[str, list[dict]] = {}
    for r in rows(t, "controls", ("doc_id", "control_id", "id_source", "confidence", "heading", "section_index",
                                  "page_start")):
        ctrl_by_doc.setdefault(r["doc_id"], []).append(r)
    clauses = _clauses({r["control_id"] for rs in ctrl_by_doc.values() for r in rs}, L)
    control_ids = [cid for _, _, ctrls in clauses for cid, _ in ctrls]
    facts = _facts(t, L, where)
    vendors = []
    docs = rows(t, "documents", ("doc_id", "status", "title", "publisher", "version", "published"))
    for r in sorted((r for r in docs if r["status"] == "ok"), key=lambda r: r["doc_id"]):
        doc_id = r["doc_id"]
        v = Vendor(doc_id, _s(r["title"]) or doc_id, _s(r["publisher"]), _s(r["version"]),
                   r["published"].isoformat() if r["published"] else "")
        v.cells = _matrix_cells(ctrl_by_doc.get(doc_id, []), control_ids, L, where, doc_id)
        v.facts = facts.get(doc_id, {})
        vendors.append(v)
    titles = {v.doc_id: v.title for v in vendors}
    changes = [dict(doc_id=r["doc_id"], title=titles.get(r["doc_id"], ""), table=L.word(r["table"]),
                    change=r["change"], fact=_s(r["fact"]), evidence=_s(r["evidence"]))
               for r in sorted(rows(t, "changes"), key=lambda r: (r["doc_id"], r["table"]))]
    run_id, finished = _last_run(t)
    return Report(L, str(Path(out).resolve()), run_id, finished, clauses, vendors, changes, _failed(t), t, where)
