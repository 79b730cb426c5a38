"""Drive Debian's headless Chromium from the tests: the DOM after the page's
script ran, a screenshot, and the network log of everything the page asked for.

The Makefile's ``browser`` target installs Chromium (``make test`` depends on
it); a missing browser fails the tests instead of skipping them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# No background traffic of the browser itself, and no name resolves: a request
# the page makes is logged (and fails) instead of reaching the network.
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--disable-default-apps", "--hide-scrollbars",
          "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=5000")


def chromium_env(tmp: Path) -> dict:
    """The environment for Chromium: fontconfig also sees the Japanese font
    matplotlib-fontja ships (IPAexGothic, a test dependency), so the page is
    legible without a system-wide CJK font -- which would change how pdfium
    lays out PDFs whose Japanese font is not embedded (tests/test_read_pdf.py)."""
    import matplotlib_fontja
    fonts = Path(matplotlib_fontja.__file__).parent / "fonts"
    conf = Path(tmp) / "fonts.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    f'  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>{fonts}</dir>\n'
                    f'  <cachedir>{Path(tmp) / "fontcache"}</cachedir>\n</fontconfig>\n', encoding="utf-8")
    return dict(os.environ, FONTCONFIG_FILE=str(conf))


def _run(page: Path, *extra: str, profile: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    if not Path(CHROMIUM).exists():
        raise AssertionError("chromium is not installed: run `make browser` (as root) or `apt-get install chromium`")
    cmd = [CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", *extra, Path(page).resolve().as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                          env=chromium_env(profile))


def dump_dom(page: Path, tmp: Path) -> str:
    """The serialised DOM once the page's scripts ran."""
    proc = _run(page, "--dump-dom", profile=tmp / "profile-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def screenshot(page: Path, png: Path, tmp: Path, size: tuple[int, int] = (1400, 1000)) -> Path:
    proc = _run(page, f"--screenshot={png}", f"--window-size={size[0]},{size[1]}", profile=tmp / "profile-shot")
    assert proc.returncode == 0 and png.exists(), proc.stderr[-2000:]
    return png


def page_requests(page: Path, tmp: Path) -> list[str]:
    """URLs of the network requests the page made (Chromium's NetLog).

    Requests made for the page carry the page's origin (``file://``) in their
    network isolation key; the browser's own requests (there should be none
    with the flags above) carry another one and are not the page's doing.
    """
    log = tmp / "netlog.json"
    proc = _run(page, "--dump-dom", f"--log-net-log={log}", profile=tmp / "profile-net")
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(log.read_text(encoding="utf-8", errors="replace"))
    start_job = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in data["events"]:
        params = event.get("params") or {}
        if event["type"] == start_job and "file://" in str(params.get("network_isolation_key", "")):
            urls.append(params["url"])
    return urls
