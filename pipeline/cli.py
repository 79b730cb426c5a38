"""Command line: ``kanrisaku ingest FOLDER [--out DIR] ...``, ``kanrisaku report OUT --html FILE``,
``kanrisaku inspect FILE``."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import __version__

EXIT_CODES = """exit codes:
  0  every file was read
  1  the run completed but some files failed (failed, needs_ocr or empty: see the issues table)
  2  the run could not start (bad arguments, missing input folder, output folder not writable or equal to the input)
  3  another run holds the output folder's lock (use --wait to queue behind it)
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="kanrisaku",
        description="Turn Japanese ISO/IEC 27017 cloud-security whitepapers (PDF or text) into Parquet tables.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"kanrisaku {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    ing = sub.add_parser(
        "ingest", help="read a folder of whitepapers and write the tables",
        description="Read every .pdf, .txt and .md file below FOLDER (recursively) and write the tables "
                    "documents, sections, controls, retention_periods, time_targets, log_timezones, issues, "
                    "tokens, runs and changes as Parquet files into --out. Unchanged files are served from "
                    "the cache of the previous run; tables are published atomically.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    ing.add_argument("folder", type=Path, help="input folder (walked recursively)")
    ing.add_argument("--out", type=Path, default=Path("data/out"), help="output folder (default: data/out)")
    ing.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                     help="worker processes (default: all cores, here %(default)s)")
    ing.add_argument("--format", dest="fmt", choices=("pdf", "text"), help="only read files of this format")
    ing.add_argument("--exclude", action="append", default=[], metavar="TEXT",
                     help="skip files whose path contains TEXT (repeatable)")
    ing.add_argument("--full", action="store_true", help="ignore the cache and re-read every file")
    ing.add_argument("--pdf-password", help="password for encrypted PDFs")
    ing.add_argument("--passwords-file", type=Path,
                     help="JSON object mapping a file's path relative to FOLDER to its PDF password")
    ing.add_argument("--timeout", type=float, default=300.0, help="per-file time limit in seconds (default 300)")
    ing.add_argument("--memory-limit-mb", type=int, default=4096,
                     help="per-worker address-space limit in MB (default 4096; 0 = none)")
    ing.add_argument("--max-file-mb", type=float, default=200.0, help="skip files larger than this (default 200)")
    ing.add_argument("--no-tokens", action="store_true", help="do not write the tokens table")
    ing.add_argument("--ocr", choices=("auto", "off"), default="auto",
                     help="auto (default): read PDF pages without a text layer (scans) with Tesseract jpn, inside "
                          "the worker under --timeout and --memory-limit-mb; off: report such files as needs_ocr")
    ing.add_argument("--ocr-dpi", type=int, default=300, metavar="DPI",
                     help="resolution scanned pages are rendered at for OCR (default 300)")
    ing.add_argument("--preload-ginza", action="store_true",
                     help="load GiNZA once before the workers start, so that they share it (it is otherwise "
                          "loaded by a worker only when a sentence needs a parse; see bench/ginza_load.py)")
    ing.add_argument("--wait", action="store_true", help="wait for another run on the same --out to finish")
    ing.add_argument("--executor", choices=("local", "dask"),
                     help="where documents are processed: 'local' worker processes (default), or 'dask': a local "
                          "Dask cluster of --jobs workers, or the cluster at --scheduler (needs kanrisaku[dask])")
    ing.add_argument("--scheduler", metavar="tcp://HOST:8786",
                     help="address of a running Dask scheduler (implies --executor dask); its workers need "
                          "kanrisaku installed, not the input files")
    ing.add_argument("--quiet", "-q", action="store_true", help="print nothing on success (for cron)")
    ing.add_argument("--log-json", type=Path, metavar="FILE",
                     help="append the run summary to FILE as one JSON line ('-' for stdout)")
    from . import inspect_file, report
    report.add_parser(sub)
    inspect_file.add_parser(sub)
    return p


def _summary_text(s, out: Path) -> str:
    lines = [f"kanrisaku {__version__} run {s.run_id}: {s.n_files} files in {s.duration:.1f} s -> {out}"]
    st = ", ".join(f"{k} {v}" for k, v in sorted(s.by_status.items())) or "none"
    c = s.counts
    lines.append(f"  status: {st}   (new {c['new']}, changed {c['changed']}, unchanged {c['unchanged']}, "
                 f"deleted {c['deleted']}; {s.n_skipped} other files skipped)")
    lines.append(f"  controls found: {s.n_controls}")
    lines += [f"  note: {n}" for n in s.notes]
    for doc_id, status, msg in s.failures[:20]:
        lines.append(f"  ! {doc_id}: {status}: {msg}")
    if len(s.failures) > 20:
        lines.append(f"  ! ... and {len(s.failures) - 20} more (see the issues table)")
    return "\n".join(lines)


def _summary_json(s) -> str:
    return json.dumps(dict(run_id=s.run_id, started_at=s.started_at.isoformat(),
                           finished_at=s.finished_at.isoformat() if s.finished_at else None,
                           duration_s=round(s.duration, 3), files=s.n_files, skipped=s.n_skipped,
                           by_status=s.by_status, counts=s.counts, controls=s.n_controls,
                           exit_code=s.exit_code, failures=[list(f) for f in s.failures], notes=s.notes,
                           timings={k: round(v, 4) for k, v in sorted(s.timings.items())},
                           counters=dict(sorted(s.counters.items()))), ensure_ascii=False)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "report":
        from .report import main as report_main
        return report_main(args)
    if args.command == "inspect":
        from .inspect_file import main as inspect_main
        return inspect_main(args)
    return _ingest(args)


def _ingest(args) -> int:
    from .ingest import EXIT_CANNOT_RUN, EXIT_LOCKED, Options, out_conflict, run_ingest
    from .store import LockedError

    def err(msg: str) -> None:
        print(f"kanrisaku: {msg}", file=sys.stderr)

    if not args.folder.is_dir():
        err(f"input folder {args.folder} does not exist or is not a folder")
        return EXIT_CANNOT_RUN
    conflict = out_conflict(args.folder, args.out)
    if conflict:
        err(conflict)
        return EXIT_CANNOT_RUN
    executor = args.executor or ("dask" if args.scheduler else "local")
    if executor == "local" and args.scheduler:
        err("--scheduler needs --executor dask")
        return EXIT_CANNOT_RUN
    if executor == "dask":
        try:
            import distributed  # noqa: F401
        except ImportError:
            err("--executor dask needs Dask: pip install 'kanrisaku[dask]'")
            return EXIT_CANNOT_RUN
    if not 50 <= args.ocr_dpi <= 1200:
        err(f"--ocr-dpi must be between 50 and 1200, not {args.ocr_dpi}")
        return EXIT_CANNOT_RUN
    passwords = {}
    if args.passwords_file:
        try:
            passwords = json.loads(args.passwords_file.read_text(encoding="utf-8"))
            if not isinstance(passwords, dict):
                raise ValueError("expected a JSON object")
        except (OSError, ValueError) as e:
            err(f"cannot read the passwords file {args.passwords_file}: {e}")
            return EXIT_CANNOT_RUN
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        from .cache import new_file
        fd, probe = new_file(args.out, ".kanrisaku-write-test.")   # a new file: no link followed
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        err(f"output folder {args.out} is not writable: {e.strerror or e}")
        return EXIT_CANNOT_RUN
    opts = Options(jobs=max(1, args.jobs), full=args.full, fmt=args.fmt, exclude=tuple(args.exclude),
                   password=args.pdf_password, passwords=passwords, timeout=args.timeout,
                   mem_limit_mb=args.memory_limit_mb or None, max_file_mb=args.max_file_mb,
                   with_tokens=not args.no_tokens, wait=args.wait,
                   progress=sys.stderr.isatty() and not args.quiet, executor=executor, scheduler=args.scheduler,
                   ocr=args.ocr, ocr_dpi=args.ocr_dpi, preload_ginza=args.preload_ginza)
    try:
        summary = run_ingest(args.folder, args.out, opts)
    except LockedError as e:
        err(f"{e}; try again later or pass --wait")
        return EXIT_LOCKED
    except RuntimeError as e:
        if type(e).__name__ != "DaskUnavailable":
            raise
        err(str(e))
        return EXIT_CANNOT_RUN
    except OSError as e:
        err(f"could not write to {args.out}: {e.strerror or e}")
        return EXIT_CANNOT_RUN
    code = summary.exit_code
    if not args.quiet or code != 0:
        print(_summary_text(summary, args.out), file=sys.stdout if code == 0 else sys.stderr)
    if args.log_json:
        line = _summary_json(summary)
        if str(args.log_json) == "-":
            print(line)
        else:
            with open(args.log_json, "a", encoding="utf-8") as f:
                f.write(line + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
