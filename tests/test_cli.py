"""The real command line (``python -m pipeline ingest``) on good and bad inputs."""
from __future__ import annotations

import json
import os

import pytest

from conftest import (ALL_TABLES, BAD_DIR, PDF_DIR, SEEDS_DIR, copy_into, gold, ingest, needs_corpus, read_table,
                      run_cli)
from pipeline.store import OutputStore

pytestmark = needs_corpus

GOOD = {  # doc_id -> gold stem
    "000_1bec0d2da552fb1f.txt": "000_1bec0d2da552fb1f",
    "001_152b7bf00013342c.txt": "001_152b7bf00013342c",
    "004_ff33830aca502d81.pdf": "004_ff33830aca502d81",
    "sjis.txt": "002_eada6c19ad08a7de",
    "utf8_bom.txt": "004_ff33830aca502d81",
}

# doc_id -> (status, format, issue codes of severity error)
EXPECTED = {
    "000_1bec0d2da552fb1f.txt": ("ok", "text", []),
    "001_152b7bf00013342c.txt": ("ok", "text", []),
    "004_ff33830aca502d81.pdf": ("ok", "pdf", []),
    "binary.txt": ("failed", "text", ["not_text"]),
    "empty.pdf": ("empty", "pdf", ["empty_file"]),
    "encrypted.pdf": ("failed", "pdf", ["pdf_encrypted"]),
    "not_a_pdf.pdf": ("failed", "pdf", ["pdf_broken"]),
    "sjis.txt": ("ok", "text", []),
    "truncated.pdf": ("failed", "pdf", ["pdf_broken"]),
    "utf8_bom.txt": ("ok", "text", []),
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """One run over every bad file, two good seeds and one good PDF."""
    base = tmp_path_factory.mktemp("mixed")
    folder, out = base / "in", base / "out"
    copy_into(folder, *sorted(BAD_DIR.iterdir()), SEEDS_DIR / "000_1bec0d2da552fb1f.txt",
              SEEDS_DIR / "001_152b7bf00013342c.txt", PDF_DIR / "004_ff33830aca502d81.pdf")
    log = base / "run.jsonl"
    res = ingest(folder, out, "--log-json", log)
    return res, out, log


def test_mixed_exit_code_is_1(mixed):
    res, _, _ = mixed
    assert res.returncode == 1, res.stderr


def test_mixed_summary_names_every_failure(mixed):
    res, _, _ = mixed
    for doc_id, (status, _, _) in EXPECTED.items():
        if status != "ok":
            assert f"! {doc_id}: {status}:" in res.stderr


def test_mixed_log_json(mixed):
    _, _, log = mixed
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    s = json.loads(lines[0])
    assert (s["exit_code"], s["files"], s["by_status"]) == (1, 10, {"ok": 5, "failed": 4, "empty": 1})
    assert s["counts"] == dict(new=10, changed=0, unchanged=0, deleted=0, failed=5)
    assert sorted(f[0] for f in s["failures"]) == sorted(d for d, e in EXPECTED.items() if e[0] != "ok")


def test_mixed_documents_status_per_file(mixed):
    _, out, _ = mixed
    docs = read_table(out, "documents")
    got = {r.doc_id: (r.status, r.format) for r in docs.itertuples()}
    assert got == {d: e[:2] for d, e in EXPECTED.items()}
    assert docs.doc_id.is_unique
    failed = docs[docs.status != "ok"]
    assert failed.error.notna().all()
    assert docs[docs.status == "ok"].error.isna().all()


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_mixed_error_issues_per_file(mixed, doc_id):
    _, out, _ = mixed
    issues = read_table(out, "issues")
    errors = issues[(issues.doc_id == doc_id) & (issues.severity == "error")]
    assert sorted(errors.code) == EXPECTED[doc_id][2]


@pytest.mark.parametrize("doc_id", sorted(d for d, e in EXPECTED.items() if e[0] != "ok"))
def test_mixed_unread_files_have_no_content_rows(mixed, doc_id):
    _, out, _ = mixed
    for table in ("sections", "controls", "retention_periods", "time_targets", "log_timezones"):
        t = read_table(out, table)
        assert (t.doc_id == doc_id).sum() == 0, table


@pytest.mark.parametrize("doc_id", sorted(GOOD))
def test_mixed_good_files_have_their_controls(mixed, doc_id):
    _, out, _ = mixed
    ctrl = read_table(out, "controls")
    mine = ctrl[ctrl.doc_id == doc_id]
    explicit = set(mine[mine.id_source != "inferred"].control_id)
    assert explicit == set(gold(GOOD[doc_id])["controls"])
    assert (mine[mine.id_source != "inferred"].confidence == 1.0).all()


@pytest.mark.parametrize("doc_id", sorted(GOOD))
def test_mixed_good_files_metadata(mixed, doc_id):
    _, out, _ = mixed
    docs = read_table(out, "documents").set_index("doc_id")
    g = gold(GOOD[doc_id])["documents"]
    row = docs.loc[doc_id]
    assert (row.publisher, row.version, str(row.published)) == (g["publisher"], g["version"], g["published"])
    assert "".join(row.title.split()) == "".join(g["title"].split())
    assert row.n_chars > 5000
    if doc_id.endswith(".pdf"):
        assert row.n_pages == 9


def test_mixed_every_table_published(mixed):
    _, out, _ = mixed
    for table in ALL_TABLES:
        assert (out / f"{table}.parquet").exists(), table
    runs = read_table(out, "runs")
    assert len(runs) == 1
    r = runs.iloc[0]
    assert (r.n_new, r.n_changed, r.n_unchanged, r.n_deleted, r.n_failed, r.exit_status) == (10, 0, 0, 0, 5, "partial")


# --- passwords and scans ------------------------------------------------------------

def test_pdf_password_opens_encrypted_pdf(tmp_path):
    copy_into(tmp_path / "in", BAD_DIR / "encrypted.pdf")
    res = ingest(tmp_path / "in", tmp_path / "out", "--pdf-password", "user-secret")
    assert res.returncode == 0, res.stderr
    docs = read_table(tmp_path / "out", "documents")
    assert list(zip(docs.doc_id, docs.status, docs.n_pages)) == [("encrypted.pdf", "ok", 14)]
    ctrl = read_table(tmp_path / "out", "controls")
    assert set(ctrl.control_id) == set(gold("001_152b7bf00013342c")["controls"])


def test_wrong_password_and_passwords_file(tmp_path):
    folder = tmp_path / "in"
    copy_into(folder, BAD_DIR / "encrypted.pdf")
    copy_into(folder / "sub", BAD_DIR / "encrypted.pdf", names={"encrypted.pdf": "other.pdf"})
    pw = tmp_path / "passwords.json"
    pw.write_text(json.dumps({"sub/other.pdf": "owner-secret"}), encoding="utf-8")
    res = ingest(folder, tmp_path / "out", "--pdf-password", "wrong", "--passwords-file", pw)
    assert res.returncode == 1
    docs = read_table(tmp_path / "out", "documents")
    assert dict(zip(docs.doc_id, docs.status)) == {"encrypted.pdf": "failed", "sub/other.pdf": "ok"}
    issues = read_table(tmp_path / "out", "issues")
    assert list(issues[issues.severity == "error"].code) == ["pdf_encrypted"]


def test_scanned_pdf_needs_ocr_when_ocr_is_off(tmp_path):
    copy_into(tmp_path / "in", PDF_DIR / "003_8c533b8fd33a2377.scanned.pdf")
    res = ingest(tmp_path / "in", tmp_path / "out", "--ocr", "off")
    assert res.returncode == 1
    docs = read_table(tmp_path / "out", "documents")
    assert list(zip(docs.doc_id, docs.status, docs.n_pages, docs.n_chars)) == [
        ("003_8c533b8fd33a2377.scanned.pdf", "needs_ocr", 13, 0)]
    assert docs.error[0].endswith("OCR is needed; OCR is off (--ocr off); run with --ocr auto")
    issues = read_table(tmp_path / "out", "issues")
    assert list(zip(issues.doc_id, issues.severity, issues.code)) == [
        ("003_8c533b8fd33a2377.scanned.pdf", "error", "no_text_layer")]


def test_format_and_exclude_filters(tmp_path):
    copy_into(tmp_path / "in", BAD_DIR / "sjis.txt", BAD_DIR / "utf8_bom.txt", BAD_DIR / "not_a_pdf.pdf")
    (tmp_path / "in" / "notes.docx").write_bytes(b"ignored")
    res = ingest(tmp_path / "in", tmp_path / "out", "--format", "text", "--exclude", "utf8", "--log-json", "-")
    assert res.returncode == 0, res.stderr
    assert list(read_table(tmp_path / "out", "documents").doc_id) == ["sjis.txt"]
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert (summary["files"], summary["skipped"]) == (1, 3)


def test_discovery_walks_subfolders_and_skips_hidden_and_other_files(tmp_path):
    folder = tmp_path / "in"
    copy_into(folder / "sub" / "deeper", BAD_DIR / "sjis.txt", names={"sjis.txt": "a.txt"})
    copy_into(folder / ".hidden", BAD_DIR / "sjis.txt")
    copy_into(folder, BAD_DIR / "sjis.txt", names={"sjis.txt": ".dot.txt"})
    copy_into(folder, BAD_DIR / "sjis.txt", names={"sjis.txt": "UPPER.TXT"})
    copy_into(folder, BAD_DIR / "sjis.txt", names={"sjis.txt": "日本語 名前.txt"})
    copy_into(folder, BAD_DIR / "utf8_bom.txt", names={"utf8_bom.txt": "notes.md"})
    (folder / "readme.docx").write_bytes(b"not read")
    res = ingest(folder, tmp_path / "out", "--log-json", "-")
    assert res.returncode == 0, res.stderr
    docs = read_table(tmp_path / "out", "documents")
    assert list(zip(docs.doc_id, docs.format, docs.status)) == [
        ("UPPER.TXT", "text", "ok"), ("notes.md", "text", "ok"), ("sub/deeper/a.txt", "text", "ok"),
        ("日本語 名前.txt", "text", "ok")]
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert (summary["files"], summary["skipped"]) == (4, 2)


# --- help and exit codes -----------------------------------------------------------

@pytest.mark.parametrize("args", [("--help",), ("ingest", "--help")])
def test_help_mentions_exit_codes(args):
    res = run_cli(*args)
    assert res.returncode == 0
    assert "exit codes:" in res.stdout
    for code in ("0", "1", "2", "3"):
        assert f"\n  {code}  " in res.stdout


@pytest.mark.parametrize("make", [
    pytest.param(lambda p: p / "no-such-folder", id="missing"),
    pytest.param(lambda p: (p / "a-file.txt").write_text("x") and p / "a-file.txt", id="a-file"),
])
def test_missing_input_folder_exits_2(tmp_path, make):
    res = run_cli("ingest", make(tmp_path), "--out", tmp_path / "out")
    assert res.returncode == 2
    assert "does not exist or is not a folder" in res.stderr
    assert not (tmp_path / "out" / "documents.parquet").exists()


@pytest.mark.parametrize("args", [
    pytest.param(("ingest",), id="no-folder"),
    pytest.param(("ingest", ".", "--format", "docx"), id="bad-format"),
    pytest.param(("ingest", ".", "--jobs", "many"), id="bad-jobs"),
    pytest.param(("frobnicate",), id="unknown-command"),
])
def test_bad_arguments_exit_2(args):
    assert run_cli(*args).returncode == 2


def test_unwritable_output_exits_2(tmp_path):
    copy_into(tmp_path / "in", BAD_DIR / "sjis.txt")
    blocker = tmp_path / "out-is-a-file"
    blocker.write_text("not a folder")
    res = run_cli("ingest", tmp_path / "in", "--out", blocker, "--no-tokens")
    assert res.returncode == 2
    assert "not writable" in res.stderr


def test_second_run_on_locked_output_exits_3(tmp_path):
    folder, out = tmp_path / "in", tmp_path / "out"
    copy_into(folder, BAD_DIR / "sjis.txt")
    assert ingest(folder, out).returncode == 0
    before = os.readlink(out / "current")
    copy_into(folder, BAD_DIR / "utf8_bom.txt")
    store = OutputStore(out)
    store.lock()
    try:
        res = ingest(folder, out)
        assert res.returncode == 3
        assert "--wait" in res.stderr
        assert os.readlink(out / "current") == before
        assert list(read_table(out, "documents").doc_id) == ["sjis.txt"]
    finally:
        store.unlock()
    res = ingest(folder, out)
    assert res.returncode == 0, res.stderr
    assert sorted(read_table(out, "documents").doc_id) == ["sjis.txt", "utf8_bom.txt"]


def test_revision_history_states_no_fact(tmp_path):
    """Regression: 「第2.1版 … バックアップ保持世代を5世代から7世代に変更」 gave two retention rows."""
    from pipeline.process import analyse_text
    text = ("サンプルクラウド ホワイトペーパー\n\n改訂履歴\n版数\t日付\t内容\n第1.0版\t2023年4月1日\t初版\n"
            "第2.1版\t2024年7月1日\tバックアップ保持世代を5世代から7世代に変更\n\n"
            "1. 情報のバックアップ\nバックアップは毎日取得し、7世代保持しています。\n")
    rows = analyse_text(text)["retention_periods"]
    assert [(r["value"], r["unit"]) for r in rows] == [(7.0, "generation")]


def test_preload_ginza_gives_the_same_tables_and_counts_parses(tmp_path):
    """--preload-ginza loads GiNZA before the workers fork; the tables are
    those of the lazy default, and the JSON summary counts the sentences
    parsed (one sentence of this document names two kinds of data and no
    topic, so the parse settles its subject)."""
    from conftest import REPO
    folder = tmp_path / "in"
    copy_into(folder, REPO / "tests" / "data" / "synthetic" / "docs" / "s21_sla_heavy.txt")
    rows = {}
    for mode, extra in (("lazy", ()), ("preload", ("--preload-ginza",))):
        out = tmp_path / mode
        res = ingest(folder, out, "--log-json", "-", *extra)
        assert res.returncode == 0, res.stderr
        summary = json.loads(res.stdout.strip().splitlines()[-1])
        assert summary["counters"] == {"ginza_parses": 1}
        rp = read_table(out, "retention_periods")
        rows[mode] = sorted(zip(rp.subject, rp.action, rp.days))
    assert rows["lazy"] == rows["preload"]
    assert ("backups", "delete", 60.0) in rows["lazy"] and ("customer_data", "delete", 60.0) in rows["lazy"]
