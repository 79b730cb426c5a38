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
import math
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import load_catalog
from .load import Tables, load
from .report_labels import Labels, labels

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

    @property
    def control_ids(self) -> list[str]:
        return [cid for _, _, ctrls in self.clauses for cid, _ in ctrls]


def _s(v) -> str:
    """A cell of a typed frame as text (pd.NA, None and NaN are empty)."""
    if v is None or v is getattr(v, "_na_sentinel", None):
        return ""
    try:
        if v != v:          # NaN, pd.NA raises
            return ""
    except TypeError:
        return ""
    return str(v)


def _num(v) -> float | None:
    s = _s(v)
    try:
        x = float(s)
    except ValueError:
        return None
    return None if math.isnan(x) else x


def section_name(number, heading) -> str:
    """「5.3 バックアップ」: the number, unless the heading already starts with it (5.3. バックアップ)."""
    number, heading = _s(number), _s(heading)
    if number and not heading.startswith(number):
        return f"{number} {heading}".strip()
    return heading


class _Sections:
    """Finds the section (number and heading) around an offset of a document."""

    def __init__(self, sections):
        self.by_doc: dict[str, tuple[list[int], list[str]]] = {}
        self.by_index: dict[tuple[str, int], str] = {}
        for doc_id, df in sections.groupby("doc_id", sort=False, observed=True):
            df = df.sort_values("char_start")
            names = [section_name(n, h) for n, h in zip(df["number"], df["heading"])]
            self.by_doc[str(doc_id)] = (df["char_start"].astype("int64").tolist(), names)
            self.by_index.update(((str(doc_id), int(i)), n) for i, n in zip(df["section_index"], names))

    def name(self, doc_id: str, offset) -> str:
        starts, names = self.by_doc.get(doc_id, ([], []))
        if offset is None or not starts:
            return ""
        k = bisect.bisect_right(starts, int(offset)) - 1
        return names[k] if k >= 0 else ""


def _clause(control_id: str) -> str:
    return control_id.split(".")[1]


def _clauses(controls, L: Labels) -> list:
    """The controls any document addresses, in catalogue order, grouped by clause."""
    catalog = load_catalog()
    present = set(controls["control_id"].astype(str))
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
                      int(page) if page else None, where.by_index.get((doc_id, int(r["section_index"])), ""))
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
    for key, table, col, wanted in FACT_COLUMNS:
        df = tables[table]
        if col is not None:
            df = df[df[col] == wanted]
        text_of, sort_col = _TEXT[table]
        for r in df.sort_values(["doc_id", "char_start"]).to_dict("records"):
            doc_id = str(r["doc_id"])
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
    docs = tables.documents
    bad = docs[docs["status"] != "ok"].sort_values("doc_id")
    issues = tables.issues
    errors = issues[issues["severity"] == "error"]
    first = {str(d): (str(c), str(m)) for d, c, m in
             zip(errors["doc_id"], errors["code"], errors["message"])}
    rows = []
    for r in bad.to_dict("records"):
        code, msg = first.get(str(r["doc_id"]), ("", _s(r["error"])))
        rows.append(dict(doc_id=str(r["doc_id"]), status=str(r["status"]), code=code, message=msg))
    return rows


def _last_run(tables: Tables) -> tuple[str, str]:
    runs = tables.runs
    if not len(runs):
        return tables.run_id or "", ""
    r = runs.sort_values("finished_at").iloc[-1]
    return str(r["run_id"]), r["finished_at"].strftime("%Y-%m-%d %H:%M UTC")


def build(out: str | Path, lang: str = "ja") -> Report:
    """The report of the output folder *out* (read once, through :func:`pipeline.load`)."""
    L = labels(lang)
    t = load(out, REPORT_TABLES)
    where = _Sections(t.sections)
    docs = t.documents
    ok = docs[docs["status"] == "ok"].sort_values("doc_id")
    clauses = _clauses(t.controls, L)
    control_ids = [cid for _, _, ctrls in clauses for cid, _ in ctrls]
    ctrl_by_doc = {str(d): g.to_dict("records") for d, g in t.controls.groupby("doc_id", sort=False, observed=True)}
    facts = _facts(t, L, where)
    vendors = []
    for r in ok.to_dict("records"):
        doc_id = str(r["doc_id"])
        pub = r["published"]
        v = Vendor(doc_id, _s(r["title"]) or doc_id, _s(r["publisher"]), _s(r["version"]),
                   pub.isoformat() if pub is not None and _s(pub) else "")
        v.cells = _matrix_cells(ctrl_by_doc.get(doc_id, []), control_ids, L, where, doc_id)
        v.facts = facts.get(doc_id, {})
        vendors.append(v)
    titles = {v.doc_id: v.title for v in vendors}
    changes = [dict(doc_id=str(r["doc_id"]), title=titles.get(str(r["doc_id"]), ""), table=L.word(str(r["table"])),
                    change=str(r["change"]), fact=_s(r["fact"]), evidence=_s(r["evidence"]))
               for r in t.changes.sort_values(["doc_id", "table"]).to_dict("records")]
    run_id, finished = _last_run(t)
    return Report(L, str(Path(out).resolve()), run_id, finished, clauses, vendors, changes, _failed(t), t)
