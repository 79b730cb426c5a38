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

import numpy as np
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


# ------------------------------------------- filled heading bars (issue 12)

BAR_HEADINGS = [
    "5.1.1 情報セキュリティのための方針群",
    "8.1.1 資産目録",
    "10.1.1 暗号による管理策の利用方針",
    "12.4.4 クロックの同期",
    "13.1.3 ネットワークの分離",
    "18.2.1 情報セキュリティの独立したレビュー",
]


def heading_bars_page(styles: list[str], dpi: int = 200) -> bytes:
    """An A4 page of numbered headings, each on a filled bar, with a line of
    body text under it, as a (grey) image-only PDF.  Styles: "accent" (a
    light grey bar with a dark 3.6 pt bar at its left end, before the
    number), "inverse" (white text on a dark bar), "grey" (black text on a
    mid-grey bar)."""
    from PIL import Image, ImageDraw, ImageFont
    px = dpi / 72
    page = Image.new("L", (round(595 * px), round(842 * px)), 255)
    draw = ImageDraw.Draw(page)

    def font(pt):
        return ImageFont.truetype(_font_path(), round(pt * px))
    draw.text((72 * px, 72 * px), "クラウドサービス情報セキュリティホワイトペーパー", font=font(18), fill=0)
    y = 120
    for text, style in zip(BAR_HEADINGS, styles):
        box = [72 * px, y * px, 523 * px, (y + 22) * px]
        ink = 0
        if style == "accent":
            draw.rectangle(box, fill=235)
            draw.rectangle([box[0], box[1], box[0] + 3.6 * px, box[3]], fill=40)
        elif style == "inverse":
            draw.rectangle(box, fill=40)
            ink = 255
        else:
            draw.rectangle(box, fill=110)
        draw.text((79.6 * px, (y + 5) * px), text, font=font(12), fill=ink)
        draw.text((72 * px, (y + 32) * px), "本サービスでは、ログを1年間保管します。", font=font(10.5), fill=0)
        y += 70
    out = io.BytesIO()
    page.save(out, format="PDF", resolution=dpi)
    return out.getvalue()


@pytest.mark.parametrize("styles, scanned", [
    # as the headings of seed 004 scanned: the bar before the number was read
    # with it (5.1.1 as "5", 8.1.1 as "51.1", 12.4.4 as "112.44")
    (["accent", "accent", "inverse", "accent", "inverse", "accent"], True),
    (["grey", "grey", "grey", "inverse", "inverse", "inverse"], False),     # a grey (not 1-bit) scan
])
def test_section_numbers_on_filled_heading_bars_survive_ocr(styles, scanned):
    data = heading_bars_page(styles)
    if scanned:
        data = scan_pdf(data, dpi=200, angle=1.0, blur=0.8)
    res = process_document("bars.scanned.pdf", data, with_tokens=False)
    (doc,) = res.tables["documents"]
    assert doc["text_source"] == "ocr"
    numbers = [s["number"] for s in res.tables["sections"] if s["number"]]
    assert numbers == ["5.1.1", "8.1.1", "10.1.1", "12.4.4", "13.1.3", "18.2.1"]
    assert {(r["control_id"], r["id_source"]) for r in res.tables["controls"]} == {
        ("A.5.1.1", "heading_number"), ("A.8.1.1", "heading_number"), ("A.10.1.1", "heading_number"),
        ("A.12.4.4", "heading_number"), ("A.13.1.3", "heading_number"), ("A.18.2.1", "heading_number")}
    titles = {s["number"]: s["heading"].replace(" ", "") for s in res.tables["sections"] if s["number"]}
    assert titles["8.1.1"] == "8.1.1資産目録" and titles["12.4.4"] == "12.4.4クロックの同期"


def _glyph(img, x, y, size, stroke, ink):
    """A hollow square with strokes of ``stroke`` pixels in ``ink``: a
    stand-in for a glyph (its inside keeps the background)."""
    inside = img[y + stroke:y + size - stroke, x + stroke:x + size - stroke].copy()
    img[y:y + size, x:x + size] = ink
    img[y + stroke:y + size - stroke, x + stroke:x + size - stroke] = inside


def test_clean_fills_whitens_a_bar_beside_a_heading_and_keeps_the_text():
    img = np.full((400, 800), 255, dtype=np.uint8)
    img[100:190, 50:70] = 0                      # the bar: 20 x 90 px at 300 dpi
    for k in range(4):                           # the heading's glyphs: 30 px, centred on the bar
        _glyph(img, 110 + 45 * k, 130, 30, 5, 0)
    out = ocr.clean_fills(img, 300)
    assert (out[95:195, 45:75] == 255).all()
    assert (out[:, 100:] == img[:, 100:]).all()


@pytest.mark.parametrize("top, bottom", [
    (100, 190),      # a stem as tall as its neighbours (a large bold I in a word)
    (130, 190),      # a stem on the baseline beside lower letters (l before o)
    (120, 210),      # beside letters that go below it
])
def test_clean_fills_keeps_thick_stems_of_glyphs(top, bottom):
    img = np.full((400, 800), 255, dtype=np.uint8)
    img[100:190, 50:70] = 0                      # a stem as thick and tall as the bar above
    for k in range(3):
        img[top:bottom, 110 + 50 * k:140 + 50 * k] = 0
    assert (ocr.clean_fills(img, 300) == img).all()


@pytest.mark.parametrize("fill, ink", [(0, 255), (60, 255), (110, 0)])
def test_clean_fills_redraws_text_on_a_filled_bar_black_on_white(fill, ink):
    img = np.full((400, 1000), 255, dtype=np.uint8)
    img[100:190, 50:900] = fill                  # a bar of 2.8 x 0.3 inch at 300 dpi
    glyphs = np.zeros_like(img, dtype=bool)
    for k in range(6):
        _glyph(img, 100 + 60 * k, 125, 40, 6, ink)
        _glyph(glyphs, 100 + 60 * k, 125, 40, 6, True)
    out = ocr.clean_fills(img, 300)
    assert (out[glyphs] == 0).all()
    assert (out[~glyphs] == 255).all()


def test_clean_fills_leaves_a_plain_dark_box_and_a_u_shape_alone():
    img = np.full((400, 1000), 255, dtype=np.uint8)
    img[50:150, 50:900] = 0                      # nothing written on it: the rule clean-up's business
    img[200:380, 100:400] = 0                    # a U: no single fill
    img[200:340, 160:340] = 255
    assert (ocr.clean_fills(img, 300) == img).all()
