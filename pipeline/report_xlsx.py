"""The report as a workbook (XlsxWriter): what procurement keeps and filters.

Sheets: ``comparison`` (vendors x controls; the controls table itself, tens
of rows per document, would triple the writing time for little), ``documents``,
one per fact table, ``changes`` and ``issues``.  The table sheets hold the
rows of the published tables as they are -- same row counts, columns in
schema order, header row frozen, autofilter on -- with cells typed from
:data:`pipeline.schema.TABLES` (numbers stay numbers, dates and timestamps
are Excel dates), so a spreadsheet user sorts and sums without converting.
Evidence rows also get the section the sentence sits in.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from .report_model import Report, utc_datetimes
from .schema import FACT_TABLES, TABLES

# Sheets that are a published table, in workbook order.
TABLE_SHEETS = ("documents", *FACT_TABLES, "changes", "issues")
COMPARISON_SHEET = "comparison"
_XL_MAX = 32767
_WIDE = {"evidence": 70, "message": 70, "title": 40, "heading": 40, "fact": 50, "catalog_title": 30,
         "source_path": 40, "doc_id": 30}


def _formats(wb) -> dict:
    return dict(head=wb.add_format({"bold": True, "bg_color": "#DDE6F2", "text_wrap": True, "valign": "top"}),
                date=wb.add_format({"num_format": "yyyy-mm-dd"}),
                ts=wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
                wrap=wb.add_format({"text_wrap": True, "valign": "top"}),
                mark=wb.add_format({"align": "center"}))


def _writer(typ: pa.DataType, fmt: dict):
    """A function (sheet, row, col, value) that writes a value of Arrow type *typ* as a typed cell."""
    if pa.types.is_integer(typ) or pa.types.is_floating(typ):
        return lambda ws, r, c, v: ws.write_number(r, c, v)
    if pa.types.is_boolean(typ):
        return lambda ws, r, c, v: ws.write_boolean(r, c, v)
    if pa.types.is_timestamp(typ) or pa.types.is_date(typ):
        f = fmt["ts"] if pa.types.is_timestamp(typ) else fmt["date"]
        return lambda ws, r, c, v: ws.write_datetime(r, c, v, f)
    if pa.types.is_list(typ):
        return lambda ws, r, c, v: ws.write_string(r, c, "; ".join(v))
    return lambda ws, r, c, v: ws.write_string(r, c, str(v)[:_XL_MAX])


def _table_sheet(wb, fmt: dict, name: str, table: pa.Table, extra: tuple[str, list] | None = None) -> None:
    """One published table as a sheet; *extra* is a (heading, values) column appended to it."""
    ws = wb.add_worksheet(name)
    cols = list(TABLES[name])
    for j, col in enumerate(cols):
        ws.write_string(0, j, col.name, fmt["head"])
        ws.set_column(j, j, _WIDE.get(col.name, 14))
        write = _writer(col.type, fmt)
        column = table.column(col.name)
        values = utc_datetimes(column) if pa.types.is_timestamp(col.type) else column.to_pylist()
        for i, v in enumerate(values, start=1):
            if v is not None:
                write(ws, i, j, v)
    if extra is not None:
        j = len(cols)
        ws.write_string(0, j, extra[0], fmt["head"])
        ws.set_column(j, j, 40)
        for i, v in enumerate(extra[1], start=1):
            if v:
                ws.write_string(i, j, v)
        cols.append(None)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, table.num_rows, len(cols) - 1)


def _comparison_sheet(wb, fmt: dict, report: Report) -> None:
    """Vendors x controls: explicit / inferred / empty, headers 'A.12.4.1 title'."""
    L = report.labels
    ws = wb.add_worksheet(COMPARISON_SHEET)
    heads = [L["doc_id"], L["vendor"], L["publisher"], L["controls_covered"]]
    heads += [f"{cid} {title}".strip() for _, _, ctrls in report.clauses for cid, title in ctrls]
    ws.set_row(0, 90)
    for j, h in enumerate(heads):
        ws.write_string(0, j, h, fmt["head"])
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 24)
    ws.set_column(4, len(heads) - 1, 9, fmt["mark"])
    for i, v in enumerate(report.vendors, start=1):
        ws.write_string(i, 0, v.doc_id)
        ws.write_string(i, 1, v.title)
        ws.write_string(i, 2, v.publisher)
        ws.write_number(i, 3, sum(1 for kind, _ in v.cells if kind))
        for j, (kind, _) in enumerate(v.cells, start=4):
            if kind:
                ws.write_string(i, j, L[kind])
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, len(report.vendors), len(heads) - 1)


def write_xlsx(report: Report, path: Path) -> None:
    import xlsxwriter
    t = report.tables
    where = report.where
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False, "nan_inf_to_errors": True})
    fmt = _formats(wb)
    _comparison_sheet(wb, fmt, report)
    for name in TABLE_SHEETS:
        table = t.arrow(name)
        extra = None
        if name in FACT_TABLES:
            docs, starts = table.column("doc_id").to_pylist(), table.column("char_start").to_pylist()
            extra = (report.labels["section"], [where.name(d, s) for d, s in zip(docs, starts)])
        _table_sheet(wb, fmt, name, table, extra)
    wb.close()
