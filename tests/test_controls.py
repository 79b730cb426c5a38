"""Controls inferred from a heading that names no number: ``infer_control``."""
from __future__ import annotations

import pytest

from pipeline.controls import infer_control


@pytest.mark.parametrize("title, expected", [
    ("情報のバックアップ", "A.12.3.1"),
    ("バックアップ", "A.12.3.1"),
    ("時刻の同期", "A.12.4.4"),
    # honorific prefixes and の do not change the subject (regressions)
    ("情報セキュリティ事象のご報告", "A.16.1.2"),
    ("サービスの監視", "CLD.12.4.5"),
    ("ご解約時のデータの取扱い", "CLD.8.1.5"),
    ("契約終了時のデータについて", "CLD.8.1.5"),
])
def test_inferred(catalog, title, expected):
    found = infer_control(title, catalog)
    assert found is not None and found[0].control_id == expected


@pytest.mark.parametrize("title", ["はじめに", "お問い合わせ", "会社概要", "本書の目的", "ご利用料金", "用語の定義"])
def test_not_inferred(catalog, title):
    assert infer_control(title, catalog) is None


# A page that is not about security controls (an SLA, a help article) names a
# control only by repeating a catalogue title; whitepaper phrasings do not count.
@pytest.mark.parametrize("title, expected", [
    ("情報のバックアップ", "A.12.3.1"),
    ("クロックの同期について", "A.12.4.4"),
    ("Information backup", "A.12.3.1"),
    ("バックアップ", None),
    ("監視", None),
    ("ログ", None),
    ("セキュリティポリシー", None),
    ("データの消去とメディアサニタイジング", None),
    ("通信とデータの暗号化", None),
])
def test_inferred_on_pages_not_about_controls(catalog, title, expected):
    found = infer_control(title, catalog, about_controls=False)
    assert (found[0].control_id if found else None) == expected
    if found:
        assert found[1] == 0.9


def _inferred(raw: str, catalog) -> list[tuple[str, float]]:
    from pipeline.normalize import normalize_text
    from pipeline.segment import segment
    from pipeline.controls import control_rows
    text = normalize_text(raw)
    rows = control_rows("x.txt", segment(text, catalog).sections, text, catalog, lambda _: None)
    return [(r["control_id"], r["confidence"]) for r in rows if r["id_source"] == "inferred"]


FAQ_PAGE = """よくあるご質問

■バックアップ
データは毎日バックアップしています。
■監視
サーバーを常時監視しています。
■ログ
操作ログを1年間保存しています。
"""


def test_faq_headings_name_no_control(catalog):
    assert _inferred(FAQ_PAGE, catalog) == []


def test_the_same_headings_in_a_whitepaper_citing_the_standard(catalog):
    raw = FAQ_PAGE.replace("よくあるご質問", "ISO/IEC 27017 に基づく取り組み")
    assert _inferred(raw, catalog) == [("A.12.3.1", 0.95), ("CLD.12.4.5", 0.95), ("A.12.4.1", 0.95)]


def test_own_numbering_from_a_later_chapter_is_inferred(catalog):
    raw = ("ISO/IEC 27017 ホワイトペーパー\n\n6. 監視と記録\n6.1 サービスの監視\n24時間監視しています。\n"
           "6.2 クロックの同期\nNTPで同期しています。\n")
    assert _inferred(raw, catalog) == [("CLD.12.4.5", 0.95), ("A.12.4.4", 0.95)]
