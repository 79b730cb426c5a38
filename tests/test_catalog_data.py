"""Checks on the shipped control catalogue ``pipeline/data/controls.csv``.

The file is built by ``tools/build_catalog.py`` from the read-only reference
in ``../shared/reference`` (tests that need it are skipped when it is absent).
"""
from __future__ import annotations

import csv
import importlib.util
import re
import unicodedata
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CATALOG = REPO_ROOT / "pipeline" / "data" / "controls.csv"
REFERENCE = (REPO_ROOT / ".." / "shared" / "reference").resolve()
BUILDER = REPO_ROOT / "tools" / "build_catalog.py"

COLUMNS = [
    "control_id", "framework", "clause", "title_en", "title_ja",
    "title_ja_source", "control_2022", "aliases",
]
ID_RE = re.compile(r"^(A|CLD)\.\d+\.\d+\.\d+$")
FRAMEWORKS = {"A": "ISO/IEC 27001:2013 Annex A", "CLD": "ISO/IEC 27017:2015 CLD"}

needs_reference = pytest.mark.needs_corpus   # ../shared must be beside the checkout (as in CI)


def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


ROWS = _read(CATALOG)
BY_ID = {r["control_id"]: r for r in ROWS}


def _aliases(row: dict[str, str]) -> list[str]:
    return [a for a in row["aliases"].split("|") if a]


def _reference_titles() -> list[tuple[str, str]]:
    if not REFERENCE.is_dir():
        return []
    pairs = []
    for name in ("controls_2013.csv", "cld.csv"):
        pairs += [(r["control_id"], r["title_ja"]) for r in _read(REFERENCE / name) if r["title_ja"]]
    return pairs


# --- shape -------------------------------------------------------------------

def test_header_and_encoding():
    raw = CATALOG.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert raw.decode("utf-8").splitlines()[0].split(",") == COLUMNS


def test_121_unique_well_formed_ids():
    ids = [r["control_id"] for r in ROWS]
    assert len(ids) == 121
    assert len(set(ids)) == 121
    bad = [i for i in ids if not ID_RE.match(i)]
    assert bad == []


@pytest.mark.parametrize("prefix,count", [("A", 114), ("CLD", 7)])
def test_framework_counts(prefix, count):
    rows = [r for r in ROWS if r["control_id"].split(".")[0] == prefix]
    assert len(rows) == count
    assert {r["framework"] for r in rows} == {FRAMEWORKS[prefix]}


def test_clause_matches_id():
    assert [r["control_id"] for r in ROWS if r["control_id"].split(".")[1] != r["clause"]] == []


@pytest.mark.parametrize("field", ["title_en", "title_ja", "title_ja_source"])
def test_no_empty_field(field):
    assert [r["control_id"] for r in ROWS if not r[field].strip()] == []


def test_titles_use_jis_typography():
    bad = [(r["control_id"], r["title_ja"]) for r in ROWS
           if re.search(r"、|および|または|脆弱性", r["title_ja"])]
    assert bad == []


# --- titles ------------------------------------------------------------------

@needs_reference
@pytest.mark.parametrize("control_id,title_ja", _reference_titles())
def test_reference_titles_kept(control_id, title_ja):
    assert BY_ID[control_id]["title_ja"] == title_ja
    assert BY_ID[control_id]["title_ja_source"] == "reference"


@needs_reference
def test_reference_title_count():
    assert len(_reference_titles()) == 67
    assert sum(r["title_ja_source"] == "reference" for r in ROWS) == 67


@pytest.mark.parametrize("control_id,title_ja", [
    ("A.8.3.2", "媒体の処分"),
    ("A.9.4.2", "セキュリティに配慮したログオン手順"),
    ("A.10.1.2", "鍵管理"),
    ("A.11.1.1", "物理的セキュリティ境界"),
    ("A.11.1.3", "オフィス，部屋及び施設のセキュリティ"),
    ("A.11.2.1", "装置の設置及び保護"),
    ("A.12.1.1", "操作手順書"),
    ("A.12.3.1", "情報のバックアップ"),
    ("A.12.4.1", "イベントログ取得"),
    ("A.12.4.2", "ログ情報の保護"),
    ("A.12.4.3", "実務管理者及び運用担当者の作業ログ"),
    ("A.12.6.1", "技術的ぜい弱性の管理"),
    ("A.16.1.5", "情報セキュリティインシデントへの対応"),
    ("A.17.2.1", "情報処理施設の可用性"),
    ("A.18.1.4", "プライバシー及び個人を特定できる情報（PII）の保護"),
    ("CLD.8.1.5", "クラウドサービスカスタマの資産の除去"),
    ("CLD.12.4.5", "クラウドサービスの監視"),
])
def test_known_titles(control_id, title_ja):
    assert BY_ID[control_id]["title_ja"] == title_ja


# --- 2013 -> 2022 ------------------------------------------------------------

@pytest.mark.parametrize("control_id,control_2022", [
    ("A.12.3.1", "8.13"),
    ("A.18.2.3", "5.36;8.8"),
    ("A.12.4.1", "8.15"),
    ("A.12.6.1", "8.8"),
    ("A.17.2.1", "8.14"),
    ("A.13.2.1", "5.14"),
    ("A.5.1.1", "5.1"),
])
def test_control_2022(control_id, control_2022):
    assert BY_ID[control_id]["control_2022"] == control_2022


def test_every_2013_control_has_a_2022_id():
    missing = [r["control_id"] for r in ROWS
               if r["control_id"].startswith("A.") and not r["control_2022"]]
    assert missing == []
    assert all(re.fullmatch(r"\d+\.\d+(;\d+\.\d+)*", r["control_2022"])
               for r in ROWS if r["control_2022"])


@pytest.mark.parametrize("control_id", ["A.12.4.5", "A.5.1.3", "CLD.12.4.4"])
def test_not_a_control(control_id):
    assert control_id not in BY_ID


# --- aliases -----------------------------------------------------------------

FORBIDDEN = ["セキュリティ", "情報セキュリティ", "管理", "サービス", "その他", "概要", "運用",
             "性能", "はじめに", "データ", "ネットワーク", "変更", "可用性", "監査", "契約",
             "サポート", "対応", "方針", "手順", "アクセス制御"]


def test_no_alias_shared_by_two_controls():
    owner: dict[str, str] = {}
    shared = []
    for r in ROWS:
        for a in _aliases(r):
            prev = owner.setdefault(nfkc(a), r["control_id"])
            if prev != r["control_id"]:
                shared.append((a, prev, r["control_id"]))
    assert shared == []


@pytest.mark.parametrize("word", FORBIDDEN)
def test_forbidden_generic_alias(word):
    assert [r["control_id"] for r in ROWS if nfkc(word) in map(nfkc, _aliases(r))] == []


def test_aliases_are_clean():
    for r in ROWS:
        aliases = _aliases(r)
        assert len(aliases) == len(set(aliases)), r["control_id"]
        assert r["aliases"] == "|".join(aliases), r["control_id"]  # no empty items
        for a in aliases:
            assert a == a.strip() == nfkc(a), (r["control_id"], a)


def test_alias_is_not_another_controls_title():
    titles = {nfkc(r["title_ja"]): r["control_id"] for r in ROWS}
    clash = [(r["control_id"], a, titles[nfkc(a)]) for r in ROWS for a in _aliases(r)
             if titles.get(nfkc(a), r["control_id"]) != r["control_id"]]
    assert clash == []


@pytest.mark.parametrize("alias,control_id", [
    ("バックアップ", "A.12.3.1"),
    ("データの消去", "CLD.8.1.5"),
    ("データの削除", "CLD.8.1.5"),
    ("契約終了後のデータ", "CLD.8.1.5"),
    ("データセンター所在地", "A.6.1.3"),
    ("データの保存場所", "A.6.1.3"),
    ("地理的所在地", "A.6.1.3"),
    ("暗号化", "A.10.1.1"),
    ("データ暗号化", "A.10.1.1"),
    ("脆弱性対応", "A.12.6.1"),
    ("脆弱性管理", "A.12.6.1"),
    ("冗長化", "A.17.2.1"),
    ("準拠法", "A.18.1.1"),
    ("準拠法と合意管轄", "A.18.1.1"),
    ("情報セキュリティ方針", "A.5.1.1"),
    ("セキュリティポリシー", "A.5.1.1"),
    ("ログ", "A.12.4.1"),
    ("ログ管理", "A.12.4.1"),
    ("ログの取得", "A.12.4.1"),
    ("時刻同期", "A.12.4.4"),
    ("監視", "CLD.12.4.5"),
    ("容量管理", "A.12.1.3"),
    ("責任分界", "CLD.6.3.1"),
    ("責任範囲", "CLD.6.3.1"),
    ("責任共有モデル", "CLD.6.3.1"),
    ("インシデント対応", "A.16.1.1"),
    ("インシデント対応プロセス", "A.16.1.1"),
])
def test_expected_alias(alias, control_id):
    assert alias in _aliases(BY_ID[control_id])


@pytest.mark.parametrize("word", ["障害時の対応", "障害対応", "障害報告"])
def test_outage_wordings_are_no_alias(word):
    """障害 is an outage, not an information-security incident: a section on
    outage handling does not cover A.16.1.x (regression: seed 003 '5 障害時の対応')."""
    assert all(word not in _aliases(r) for r in ROWS)


def test_alias_counts_reasonable():
    assert all(len(_aliases(r)) <= 8 for r in ROWS)
    cld = [r for r in ROWS if r["control_id"].startswith("CLD.")]
    assert all(len(_aliases(r)) >= 2 for r in cld)


# --- the builder reproduces the shipped file --------------------------------

@needs_reference
def test_builder_reproduces_catalog(tmp_path):
    spec = importlib.util.spec_from_file_location("build_catalog", BUILDER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    out = tmp_path / "controls.csv"
    assert mod.main(["--reference", str(REFERENCE), "--out", str(out)]) == 0
    assert out.read_bytes() == CATALOG.read_bytes()
