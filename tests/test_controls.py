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


def _infer_by_scanning(title, catalog, about_controls=True):
    """The scan over every catalogue name that infer_control's look-ups replaced."""
    from pipeline.controls import (AFFIX, EXACT, MIN_AFFIX_NAME, MIN_CONFIDENCE, TITLE_ONLY, _name_keys,
                                   _variants)
    variants = _variants(title)
    best = None
    for name_key, control in _name_keys(catalog, about_controls):
        for v in variants:
            if v == name_key:
                score = EXACT if about_controls else TITLE_ONLY
            elif about_controls and len(name_key) >= MIN_AFFIX_NAME and (v.startswith(name_key) or v.endswith(name_key)):
                score = AFFIX
            else:
                continue
            if best is None or score > best[1]:
                best = (control, score)
    return best if best and best[1] >= MIN_CONFIDENCE else None


def _titles(catalog):
    """Catalogue names, with words before and after them, cut short, and the seeds' headings."""
    names = [n for c in catalog for n in (c.title_ja, c.title_en, *c.aliases) if n]
    out = set(names)
    for n in names[::3]:
        out.update({f"通信と{n}", f"{n}について", f"{n}の方針", n[: len(n) // 2], n[len(n) // 2:], f"当社の{n}等"})
    out.update(["", "ログ", "バックアップ取得", "データの暗号化", "アクセス制御方針", "ユーザー登録", "xyz"])
    return sorted(out)


@pytest.mark.parametrize("about_controls", [True, False])
def test_infer_control_same_as_scanning_every_name(catalog, about_controls):
    for title in _titles(catalog):
        assert infer_control(title, catalog, about_controls) == _infer_by_scanning(title, catalog, about_controls), title
