"""The vendor-comparison notebook runs top to bottom on a real ingest of data/raw.

The notebook is executed by nbclient in a real Jupyter kernel.  The kernel is
this interpreter (the venv's python), made deterministic by a kernelspec of
our own in a temporary ``JUPYTER_PATH`` (searched before any user or system
kernelspec) under a name no other kernelspec uses.
"""
from __future__ import annotations

import json
import os
import struct
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli

import ipykernel  # noqa: E402,F401  (the test extra installs all four)
import matplotlib_fontja  # noqa: E402,F401
import nbclient  # noqa: E402
import nbformat  # noqa: E402

NOTEBOOK = REPO / "notebooks" / "vendor_comparison.ipynb"
RAW = REPO / "data" / "raw"
KERNEL = "kanrisaku-test-venv"
FIGURES = ("1_control_coverage", "2_retention", "3_incident_recovery", "4_log_timezones")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def raw_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw_out")
    res = run_cli("ingest", RAW, "--out", out, "--jobs", 2, "--no-tokens", "--quiet")
    # every file is read: the scanned PDF by OCR (Tesseract is installed by `make test`)
    assert res.returncode == 0, res.stderr
    assert (out / "current").is_dir()
    return out


@pytest.fixture
def venv_kernel(tmp_path, monkeypatch):
    spec_dir = tmp_path / "jupyter" / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kanrisaku test (venv python)",
        "language": "python",
    }), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))  # connection files
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))  # no user profile or startup files
    return KERNEL


def test_notebook_runs_and_saves_figures(raw_out, venv_kernel, tmp_path, monkeypatch):
    figures = tmp_path / "figures"
    monkeypatch.setenv("KANRISAKU_OUT", str(raw_out))
    monkeypatch.setenv("KANRISAKU_FIGURES", str(figures))
    monkeypatch.setenv("PYTHONPATH", str(REPO) + (os.pathsep + os.environ["PYTHONPATH"]
                                                  if os.environ.get("PYTHONPATH") else ""))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "import sys, json\nprint(json.dumps({'executable': sys.executable, 'out': str(OUT), 'vendors': VENDORS}))"))
    client = nbclient.NotebookClient(nb, kernel_name=venv_kernel, timeout=180,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell

    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors
    # Japanese labels render: matplotlib warns "Glyph ... missing from font(s)" when they would be tofu
    stderr = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                     if o.get("output_type") == "stream" and o.get("name") == "stderr")
    assert "missing from font" not in stderr, stderr[:500]
    last = json.loads(nb.cells[-1].outputs[-1]["text"])
    assert Path(last["executable"]).resolve() == Path(sys.executable).resolve(), "notebook ran in another python"
    assert Path(last["out"]) == raw_out
    # five whitepapers, each counted once although data/raw has them as text and PDF
    assert len(last["vendors"]) == 5
    assert any("コミュたす" in v for v in last["vendors"])

    for name in FIGURES:
        png = figures / f"{name}.png"
        assert png.exists(), f"{png} not written"
        assert png.stat().st_size > 20_000, f"{png} looks empty"
        width, height = _png_size(png)
        assert width > 600 and height > 300

    # the drill-down printed an evidence sentence with its page and section
    text = "".join(o.get("text", "") for o in nb.cells[-2].outputs if o.get("output_type") == "stream")
    assert "evidence:" in text and "page:" in text and "section:" in text
    assert "72 時間以内" in text
