"""``kanrisaku inspect FILE``: one file read without an output folder, printed or as JSON."""
from __future__ import annotations

import json

import pytest

from conftest import REPO, gold, run_cli

SEED_PDF = REPO / "data" / "raw" / "pdf" / "000_1bec0d2da552fb1f.pdf"
SEED = "000_1bec0d2da552fb1f"


@pytest.fixture(scope="module")
def found() -> dict:
    r = run_cli("inspect", SEED_PDF, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_metadata_of_the_seed_pdf(found):
    doc, want = found["document"], gold(SEED)["documents"]
    assert found["status"] == "ok" and doc["format"] == "pdf" and doc["n_pages"] == 13
    for key in ("title", "publisher", "version", "published"):
        assert doc[key] == want[key], key


def test_controls_of_the_seed_pdf_by_section(found):
    ids = {c["control_id"] for s in found["sections"] for c in s["controls"]}
    want = set(gold(SEED)["controls"])
    assert len(ids & want) >= 0.9 * len(want), sorted(want - ids)
    backup = next(s for s in found["sections"] if "バックアップ" in s["heading"])
    assert backup["page_start"] == 10
    assert backup["controls"] == [dict(control_id="A.12.3.1", id_source="heading_bracket", confidence=1.0,
                                       catalog_title="情報のバックアップ")]


@pytest.mark.parametrize("table, expected", [
    ("retention_periods", dict(subject="backups", value=3.0, unit="generation", bound="exact", frequency="daily",
                               control_id="A.12.3.1", page=10)),
    ("time_targets", dict(kind="incident_notification", value=72.0, unit="hour", bound="max")),
    ("log_timezones", dict(scope="logs", iana_tz="Asia/Tokyo", utc_offset="+09:00", control_id="A.12.4.4")),
])
def test_facts_of_the_seed_pdf_with_evidence(found, table, expected):
    rows = [r for r in found["facts"][table] if all(r.get(k) == v for k, v in expected.items())]
    assert len(rows) == 1, found["facts"][table]
    assert rows[0]["evidence"] and rows[0]["page"]


def test_the_text_view_shows_sections_facts_and_issues():
    r = run_cli("inspect", SEED_PDF)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "title            MoC 都市基盤サービスの" in out
    assert "5.3. バックアップ【A.12.3.1】  -> A.12.3.1 (heading_bracket 1.00)" in out
    assert "  - kind=incident_notification  value=72  unit=hour  bound=max" in out
    assert "[A.12.4.4 p.10] 「ログは、日本標準時(UTC+9)で提供されます。」" in out
    assert "warning control_id_corrected: heading '5.6. クラウドサービスの監視【A.12.4.5】'" in out


@pytest.mark.parametrize("content, name, code, issue", [
    (b"%PDF-1.7 truncated", "broken.pdf", 1, "pdf_broken"),
    (b"", "empty.txt", 1, "empty_file"),
    (bytes(range(256)) * 4, "binary.txt", 1, "not_text"),
])
def test_a_file_that_cannot_be_read_is_reported_not_raised(tmp_path, content, name, code, issue):
    path = tmp_path / name
    path.write_bytes(content)
    r = run_cli("inspect", path, "--json")
    assert r.returncode == code, r.stderr
    found = json.loads(r.stdout)
    assert [i["code"] for i in found["issues"]] == [issue]
    assert found["sections"] == [] and all(rows == [] for rows in found["facts"].values())


def test_no_such_file(tmp_path):
    r = run_cli("inspect", tmp_path / "missing.pdf")
    assert r.returncode == 2 and "is not a file" in r.stderr
