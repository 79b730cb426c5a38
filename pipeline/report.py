"""``kanrisaku report OUT --html FILE [--xlsx FILE] [--lang ja|en]``.

The comparison is shared by mail and file shares with people who run no
notebook, so the HTML is one file: the CSS and the script are inlined by the
Jinja2 template (``pipeline/templates/``) and a Content-Security-Policy
forbids every fetch, so the page looks the same offline and leaks nothing.
The content is built once (:func:`pipeline.report_model.build`) and written
as HTML here and as a workbook by :mod:`pipeline.report_xlsx`.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:                       # the CLI builds its parser without pandas or pyarrow
    from .report_model import Report

EXIT_OK, EXIT_CANNOT_RUN = 0, 2


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
    return Environment(loader=PackageLoader("pipeline", "templates"),
                       autoescape=select_autoescape(["html", "j2"], default_for_string=True),
                       undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)


def fact_columns(report: Report) -> list[tuple[str, str]]:
    """(key, heading) of the per-vendor columns in the report's language."""
    from .report_model import FACT_COLUMNS
    L = report.labels
    return [(key, L["log_tz"] if key == "log_tz" else L.word(key)) for key, *_ in FACT_COLUMNS]


def render_html(report: Report) -> str:
    template = _environment().get_template("report.html.j2")
    return template.render(R=report, L=report.labels, fact_columns=fact_columns(report))


def _write_atomic(path: Path, write) -> None:
    """Write through a temporary file beside *path*: a reader never sees half a report."""
    from .cache import new_file
    path = Path(path)
    fd, tmp = new_file(path.parent or Path("."), f".{path.name}.", "")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_html(report: Report, path: Path) -> None:
    html = render_html(report)
    _write_atomic(path, lambda p: p.write_text(html, encoding="utf-8"))


def write_report(out: Path, html: Path | None = None, xlsx: Path | None = None, lang: str = "ja") -> Report:
    from .report_model import build
    report = build(out, lang)
    if html is not None:
        write_html(report, html)
    if xlsx is not None:
        from .report_xlsx import write_xlsx
        _write_atomic(xlsx, lambda p: write_xlsx(report, p))
    return report


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report", help="write a self-contained HTML report and/or a workbook from an output folder",
        description="Compare the vendors of a published output folder: a vendor x control matrix, retention, "
                    "incident-notification and recovery targets, availability, service/support hours, maintenance "
                    "windows and log time zones, the changes of the last run and the files that could not be read. "
                    "Every value carries its evidence (sentence, page, section).")
    p.add_argument("out", type=Path, help="output folder written by 'kanrisaku ingest'")
    p.add_argument("--html", type=Path, metavar="FILE", help="write one self-contained HTML file")
    p.add_argument("--xlsx", type=Path, metavar="FILE", help="write the same content as an .xlsx workbook")
    p.add_argument("--lang", choices=("ja", "en"), default="ja", help="label language (default: ja)")


def main(args) -> int:
    def err(msg: str) -> int:
        print(f"kanrisaku report: {msg}", file=sys.stderr)
        return EXIT_CANNOT_RUN

    if args.html is None and args.xlsx is None:
        return err("nothing to write: give --html FILE and/or --xlsx FILE")
    if not args.out.is_dir():
        return err(f"output folder {args.out} does not exist")
    for target in (args.html, args.xlsx):
        if target is not None and not target.resolve().parent.is_dir():
            return err(f"folder of {target} does not exist")
    try:
        report = write_report(args.out, args.html, args.xlsx, args.lang)
    except (OSError, ValueError) as e:
        return err(f"cannot write the report: {e}")
    written = " and ".join(str(p) for p in (args.html, args.xlsx) if p is not None)
    print(f"kanrisaku report: {len(report.vendors)} documents, {len(report.control_ids)} controls, "
          f"{len(report.failed)} files not read -> {written}")
    return EXIT_OK
