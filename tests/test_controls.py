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
