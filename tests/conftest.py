"""Shared fixtures: corpus paths, gold annotations and a runner for the real CLI."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:            # so that a plain `pytest` without the install finds the package
    sys.path.insert(0, str(REPO))
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
SEEDS_DIR = CORPUS / "seeds"
BAD_DIR = CORPUS / "bad"
PDF_DIR = CORPUS / "pdf"
GOLD_DIR = SHARED / "gold" / "seeds"

SEED_PATHS = sorted(SEEDS_DIR.glob("*.txt"))
SEED_STEMS = [p.stem for p in SEED_PATHS]

# Tests that read ../shared (the corpus and gold). CI always has it beside the
# checkout; without it these tests fail loudly rather than being skipped.
needs_corpus = pytest.mark.needs_corpus

# Every table the pipeline publishes (see shared/contract/TABLES.md).
DOCUMENT_TABLES = ("documents", "sections", "controls", "retention_periods", "time_targets",
                   "log_timezones", "issues", "tokens")
ALL_TABLES = (*DOCUMENT_TABLES, "runs", "changes")


def gold(stem: str) -> dict:
    """The gold annotation of a seed (``000_1bec0d2da552fb1f``)."""
    return json.loads((GOLD_DIR / f"{stem}.json").read_text(encoding="utf-8"))


def seed_text(stem: str) -> str:
    """The seed's text as the pipeline reads it: LF line ends."""
    return (SEEDS_DIR / f"{stem}.txt").read_text(encoding="utf-8").replace("\r\n", "\n")


@pytest.fixture(scope="session")
def catalog():
    from pipeline.catalog import load_catalog
    return load_catalog()


# --- the real CLI ----------------------------------------------------------------

@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args, timeout: float = 300) -> CliResult:
    """``python -m pipeline ARGS`` in a child process, from the repository root."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    proc = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


def ingest(folder: Path, out: Path, *extra, jobs: int = 2, tokens: bool = False) -> CliResult:
    args = ["ingest", folder, "--out", out, "--jobs", jobs, "--quiet", *extra]
    if not tokens:
        args.append("--no-tokens")
    return run_cli(*args)


def shared_score(out: Path, gold: Path) -> dict:
    """The shared scorer's report (``../shared/eval/score.py``) for an output
    folder against a folder of gold files."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("shared_score", SHARED / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    return score.score(Path(out), Path(gold), None, False)


def score_corpus(tmp_path_factory, name: str, docs: Path, gold: Path) -> dict:
    """Ingest a corpus folder with the real CLI and score it with the shared scorer."""
    out = tmp_path_factory.mktemp(name) / "out"
    res = ingest(docs, out, jobs=2)
    assert res.returncode == 0, res.stderr
    return shared_score(out, gold)


def read_table(out: Path, table: str) -> pd.DataFrame:
    """A published table as pandas (through the ``OUT/<table>.parquet`` link)."""
    return pd.read_parquet(Path(out) / f"{table}.parquet")


def copy_into(folder: Path, *sources: Path, names: dict | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for src in sources:
        shutil.copyfile(src, folder / ((names or {}).get(src.name, src.name)))


def pytest_configure(config):
    config.addinivalue_line("markers", "needs_corpus: reads ../shared/corpus and ../shared/gold")
