"""``kanrisaku inspect FILE [--json]``: what the pipeline reads from one file.

A user checks one vendor's whitepaper, a developer sees why a fact was or
was not read, without an output folder: the file goes straight through
:func:`pipeline.process.process_document` (the same function every ingest
worker runs) and its rows are printed -- metadata, sections with their
control ids, every fact with value, bound and evidence, and the issues.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

EXIT_OK, EXIT_NOT_READ, EXIT_CANNOT_RUN = 0, 1, 2
# Columns shown on a fact's evidence line rather than among its values.
_EVIDENCE_COLS = ("doc_id", "control_id", "evidence", "char_start", "char_end", "page")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "inspect", help="read one PDF or text file and print what was found (no output folder)",
        description="Read one .pdf, .txt or .md file and print its metadata, its sections with their control "
                    "ids (explicit or inferred, with confidence), every fact with its value, bound and evidence, "
                    "and the issues. Exit code 0: read; 1: the file could not be read (see the issues); "
                    "2: no such file.")
    p.add_argument("file", type=Path, help="a whitepaper (.pdf, .txt or .md)")
    p.add_argument("--json", action="store_true", help="print the same as one JSON object")
    p.add_argument("--pdf-password", help="password of an encrypted PDF")


def inspect_file(path: Path, password: str | None = None) -> dict:
    """Everything read from *path*: document, sections (with controls), facts, issues."""
    from .process import process_document
    from .schema import FACT_TABLES, columns
    path = Path(path)
    res = process_document(path.name, path.read_bytes(), str(path.resolve()), password=password,
                           with_tokens=False)
    tables = res.tables
    by_section: dict[int, list[dict]] = {}
    for c in tables.get("controls", []):
        by_section.setdefault(c["section_index"], []).append(
            dict(control_id=c["control_id"], id_source=c["id_source"], confidence=c["confidence"],
                 catalog_title=c["catalog_title"]))
    sections = [dict({k: s[k] for k in columns("sections") if k in s and k not in ("doc_id", "text")},
                     controls=by_section.get(s["section_index"], []))
                for s in tables.get("sections", [])]
    return dict(file=str(path), status=res.status, document=tables["documents"][0], sections=sections,
                facts={name: tables.get(name, []) for name in FACT_TABLES}, issues=tables.get("issues", []))


def _json_default(v):
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    return str(v)


def _kv(row: dict, skip=()) -> str:
    return "  ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                     for k, v in row.items() if v is not None and v is not False and k not in skip)


def format_text(found: dict) -> str:
    """The terminal view: one block per part, one line per section, two lines per fact."""
    from .report_model import section_name
    from .schema import columns
    doc = found["document"]
    lines = [f"{found['file']}  [{found['status']}]"]
    for k in columns("documents"):
        if k in doc and doc[k] is not None and k not in ("doc_id", "source_path", "run_id"):
            lines.append(f"  {k:<17}{doc[k]}")
    secs = found["sections"]
    lines.append(f"\nsections: {len(secs)}, controls: {sum(len(s['controls']) for s in secs)}")
    for s in secs:
        pages = f" p.{s['page_start']}" if s.get("page_start") else ""
        ctrls = ", ".join(f"{c['control_id']} ({c['id_source']} {c['confidence']:.2f})" for c in s["controls"])
        heading = section_name(s.get("number"), s.get("heading")) or "(no heading)"
        lines.append(f"  [{s['section_index']}]{pages} {heading}" + (f"  -> {ctrls}" if ctrls else ""))
    for name, rows in found["facts"].items():
        lines.append(f"\n{name}: {len(rows)}")
        for r in rows:
            lines.append(f"  - {_kv(r, _EVIDENCE_COLS)}")
            where = " ".join(p for p in (r.get("control_id") or "", f"p.{r['page']}" if r.get("page") else "") if p)
            lines.append(f"      {('[' + where + '] ') if where else ''}「{r['evidence']}」")
    lines.append(f"\nissues: {len(found['issues'])}")
    for i in found["issues"]:
        lines.append(f"  {i['severity']} {i['code']}: {i['message']}")
    return "\n".join(lines)


def main(args) -> int:
    path: Path = args.file
    if not path.is_file():
        print(f"kanrisaku inspect: {path} is not a file", file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        found = inspect_file(path, args.pdf_password)
    except OSError as e:
        print(f"kanrisaku inspect: cannot read {path}: {e.strerror or e}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1, default=_json_default))
    else:
        print(format_text(found))
    return EXIT_OK if found["status"] == "ok" else EXIT_NOT_READ
