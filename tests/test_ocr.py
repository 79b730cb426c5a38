"""OCR of scanned PDF pages (pipeline/ocr.py) with the real Tesseract.

The scanned PDFs are made here: Japanese text is drawn with the IPAex
Gothic font that matplotlib-fontja ships, rotated a little, blurred and
thresholded to 1 bit by ``tools/make_scans.py``'s own steps, and wrapped as
an image-only PDF, so no page has a text layer.  Tesseract and its jpn model
must be installed (``make test`` installs them when run as root; see the
README): these tests fail, they do not skip, without them.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extractors import from_unsure_number
from pipeline import ocr
from pipeline.ingest import Options, cache_key
from pipeline.process import process_document

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
from make_scans import scan_pdf  # noqa: E402

WHITEPAPER = [
    ("クラウドサービス情報セキュリティホワイトペーパー", 20),
    ("株式会社サンプルクラウド", 12),
    ("第1.0版 2025年4月1日", 12),
    ("本書はISO/IEC 27017に基づく管理策の実施状況を説明します。", 11),
    ("", 11),
    ("1. バックアップ", 14),
    ("お客様データのバックアップを毎日取得し、7世代保持します。", 11),
    ("", 11),
    ("2. ログの管理", 14),
    ("アクセスログは最低1年間保管します。", 11),
    ("ログの時刻は日本標準時に同期しています。", 11),
    ("", 11),
    ("3. 障害時の対応", 14),
    ("障害を検知した場合は、24時間以内にお客様へ通知します。", 11),
]


def _font_path() -> str:
    import matplotlib_fontja
    return str(Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf")


def text_pdf_as_image(lines=WHITEPAPER, dpi: int = 200) -> bytes:
    """An A4 page with ``lines`` drawn on it, as a (grey) image-only PDF."""
    from PIL import Image, ImageDraw, ImageFont
    px = dpi / 72
    page = Image.new("L", (round(595 * px), round(842 * px)), 255)
    draw = ImageDraw.Draw(page)
    y = 72 * px
    for text, size in lines:
        if text:
            draw.text((72 * px, y), text, font=ImageFont.truetype(_font_path(), round(size * px)), fill=0)
        y += size * 1.8 * px
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=dpi)
    return out.getvalue()


@pytest.fixture(scope="module")
def scanned_result():
    data = scan_pdf(text_pdf_as_image(), dpi=200, angle=1.0, blur=0.8)
    return process_document("synthetic.scanned.pdf", data, with_tokens=False)


def test_tesseract_with_jpn_is_installed():
    assert ocr.available(), ocr.install_hint()


def test_scanned_pdf_is_read_by_ocr(scanned_result):
    res = scanned_result
    (doc,) = res.tables["documents"]
    assert (doc["status"], doc["text_source"], doc["n_pages"]) == ("ok", "ocr", 1)
    assert 70 <= doc["ocr_confidence"] <= 100
    (used,) = [i for i in res.tables["issues"] if i["code"] == "ocr_used"]
    assert used["severity"] == "warning" and f"mean confidence {doc['ocr_confidence']}" in used["message"]
    assert (doc["publisher"], doc["version"], str(doc["published"])) == ("株式会社サンプルクラウド", "第1.0版", "2025-04-01")
    # パ/バ differ by a small circle that a 200 dpi scan may lose
    assert doc["title"].startswith("クラウドサービス情報セキュリティホワイトペ") and len(doc["title"]) == 24


def test_facts_and_controls_of_the_scan_match_the_text(scanned_result):
    got = scanned_result.tables
    assert {(r["subject"], r["value"], r["unit"], r["bound"], r["page"]) for r in got["retention_periods"]} == {
        ("backups", 7.0, "generation", "exact", 1), ("logs", 1.0, "year", "min", 1)}
    assert ("incident_notification", 24.0, "hour", "max") in {
        (r["kind"], r["value"], r["unit"], r["bound"]) for r in got["time_targets"]}
    assert {(r["scope"], r["iana_tz"]) for r in got["log_timezones"]} == {("logs", "Asia/Tokyo")}
    assert {(r["control_id"], r["id_source"]) for r in got["controls"]} == {
        ("A.12.3.1", "inferred"), ("A.12.4.1", "inferred")}
    evidence = [r["evidence"] for r in got["retention_periods"]]
    assert any("7世代保持" in e.replace(" ", "") for e in evidence)


def test_page_with_a_text_layer_is_never_ocred():
    pdf = (REPO / "data" / "raw" / "pdf" / "003_8c533b8fd33a2377.pdf").read_bytes()
    res = process_document("003.pdf", pdf, with_tokens=False)
    (doc,) = res.tables["documents"]
    assert (doc["text_source"], doc["ocr_confidence"]) == ("text_layer", None)
    assert "ocr_used" not in {i["code"] for i in res.tables["issues"]}


def test_ocr_off_reports_needs_ocr():
    res = process_document("x.pdf", text_pdf_as_image(), with_tokens=False, ocr=ocr.OcrOptions("off"))
    (doc,) = res.tables["documents"]
    assert (doc["status"], doc["text_source"]) == ("needs_ocr", None)
    assert "OCR is off" in doc["error"] and res.tables["issues"][0]["code"] == "no_text_layer"


def test_without_tesseract_the_run_works_and_says_what_to_install(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(text_pdf_as_image())
    env = dict(os.environ, PATH=str(tmp_path / "empty-bin"))     # a PATH without tesseract
    res = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--out", str(tmp_path / "out"),
                          "--jobs", "1", "--no-tokens"], cwd=REPO, env=env, capture_output=True, text=True)
    assert res.returncode == 1, res.stderr
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    assert [(d["status"], d["text_source"]) for d in docs] == [("needs_ocr", None)]
    assert "tesseract is not on PATH: install Tesseract" in docs[0]["error"]
    assert "apt-get install tesseract-ocr tesseract-ocr-jpn" in res.stderr


def test_cache_key_includes_the_ocr_options():
    def key(mode, dpi):
        return cache_key("a.pdf", "00", False, True, Options(ocr=mode, ocr_dpi=dpi).ocr_options.key())
    keys = {key(mode, dpi) for mode, dpi in (("auto", 300), ("auto", 200), ("off", 300))}
    assert len(keys) == 3
    assert key("off", 300) == key("off", 200)


# ----------------------------------------------------- artefact clean-up

@pytest.mark.parametrize("raw, clean", [
    ("保 存 期 間 は 1 年 間", "保存期間は 1 年間"),          # spaces between CJK characters go
    ("ISO/IEC 27017 に 基 づ く", "ISO/IEC 27017 に基づく"),   # Latin keeps its spaces
    ("1O日以内", "10日以内"),                                 # O inside a number is 0
    ("l0年間", "10年間"),                                     # l before a digit is 1
    ("2O2O/l2/3l", "2020/12/31"),
    ("|2時間", "12時間"),
    ("99.9O%", "99.90%"),
    ("ISO27OO1", "ISO27OO1"),                                 # part of a Latin word: left alone
    ("O社とl社", "O社とl社"),                                 # no digit: never a number
    ("約O日", "約O日"),                                       # a look-alike alone never becomes a digit
    ("03ー1234一5678", "03-1234-5678"),                       # ー/一 between digits
    ("一日一回", "一日一回"),                                 # kanji one is no dash
    ("口グを保存", "ログを保存"),                             # 口 in a katakana word is ロ
    ("バックアップ口グ", "バックアップログ"),
    ("入口と人口データ", "入口と人口データ"),                 # beside a kanji: the kanji 口
    ("| 30日", "| 30日"),                                     # a cell border is no digit
])
def test_tidy(raw, clean):
    assert ocr.tidy(raw) == clean


@pytest.mark.parametrize("raw, confs, text, unsure", [
    ("ログは1年間", [95] * 6, "ログは1年間", []),
    ("ログは1年間", [95, 95, 95, 40, 95, 95], "ログは1年間", [3]),
    ("保 持 期 間 は 3O 日", [90] * 10 + [30, 30] + [90, 90], "保持期間は 30 日", [6, 7]),
])
def test_unsure_numbers_are_marked_and_unmarked(raw, confs, text, unsure):
    marked = ocr.mark_unsure(ocr._tidy_chars(raw), confs)
    assert ocr.unmark(marked) == (text, unsure)


@pytest.mark.parametrize("evidence, unsure, value, refused", [
    ("ログは30日間保管します。", set(), 30.0, False),
    ("ログは30日間保管します。", {3}, 30.0, True),           # the value's own digits are unsure
    ("第2版: ログは30日間保管します。", {1}, 30.0, False),    # another number is unsure, the value is sure
    ("ログは1時間30分以内に", {3}, 90.0, True),              # a value built from an unsure number
    ("ログは無期限に保管します。", {0}, None, False),         # no number in the fact
])
def test_facts_from_unsure_numbers_are_refused(evidence, unsure, value, refused):
    row = dict(value=value, char_start=0, char_end=len(evidence))
    assert from_unsure_number(row, evidence, frozenset(unsure)) is refused
