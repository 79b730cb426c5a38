"""Make the README's screenshot of the report (``docs/report.png``).

    python tools/report_screenshot.py [--out data/out] [--png docs/report.png] [--lang ja]

Ingests ``data/raw`` into a temporary folder (or uses --out), writes the
HTML report and photographs it with headless Chromium (Debian's
``chromium``; ``make browser`` installs it).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))     # browser.chromium_env: the Japanese font of matplotlib-fontja


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, help="an output folder (default: ingest data/raw into a temporary one)")
    ap.add_argument("--png", type=Path, default=ROOT / "docs" / "report.png")
    ap.add_argument("--lang", choices=("ja", "en"), default="ja")
    ap.add_argument("--size", default="1400,1500", help="window size W,H (default 1400,1500)")
    a = ap.parse_args()
    chromium = shutil.which("chromium")
    if not chromium:
        print("chromium is not installed: make browser (as root) or apt-get install chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = a.out
        if out is None:
            out = tmp / "out"
            cmd = [sys.executable, "-m", "pipeline", "ingest", str(ROOT / "data" / "raw"), "--out", str(out),
                   "--no-tokens", "--quiet"]
            if subprocess.run(cmd, cwd=ROOT).returncode not in (0, 1):
                return 1
        from browser import chromium_env
        from pipeline.report import write_report
        html = tmp / "report.html"
        write_report(out, html=html, lang=a.lang)
        a.png.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--disable-background-networking", "--host-resolver-rules=MAP * ~NOTFOUND",
                        f"--user-data-dir={tmp / 'profile'}", f"--window-size={a.size}",
                        f"--screenshot={a.png.resolve()}", html.as_uri()],
                       check=True, capture_output=True, stdin=subprocess.DEVNULL, env=chromium_env(tmp))
    print(f"wrote {a.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
