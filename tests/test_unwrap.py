"""Text files that are a PDF's text layer: ``pipeline.unwrap.unwrap_text``."""
from __future__ import annotations

import pytest

from conftest import SEED_STEMS, seed_text
from pipeline.unwrap import unwrap_text, width

HEADER = "株式会社サンプル　クラウドセキュリティホワイトペーパー"
COL = 72    # display columns per line (36 full-width characters)


def wrap(paragraph: str) -> list[str]:
    """Cut at the column, as a PDF's layout does."""
    lines, cur = [], ""
    for ch in paragraph:
        if width(cur + ch) > COL:
            lines.append(cur)
            cur = ""
        cur += ch
    return lines + [cur]


PARAS = [
    "本サービスでは、利用者のログイン履歴、データの登録・変更・削除の操作履歴、API の呼出し履歴をイベントログとして記録しています。",
    "データベースのバックアップは毎日午前3時に取得し、直近14世代を東京と大阪の二つのリージョンに分けて保管しています。",
    "セキュリティインシデントを検知した場合は、当社が事実を確認してから原則として24時間以内に、管理者の方へメールでお知らせします。",
    "定期メンテナンスは毎月第3水曜日の1:00から5:00に実施します。実施の7日前までに管理画面でご案内します。",
]


def paged(blocks: list[list[str]]) -> str:
    """Pages of lines with a footer page number and a running header."""
    out = []
    for n, block in enumerate(blocks, 1):
        out += [HEADER, *block, f"- {n} -", ""]
    return "\n".join(out)


def test_hard_wrapped_paged_text_is_put_back_together():
    lines = [ln for p in PARAS * 3 for ln in ["5.3 運用のセキュリティ", *wrap(p)]]
    # a sentence runs over the page break: これらのログは / 1 年間保管します
    runs_on = "記録した操作の履歴は当社の社内基準に従って安全に管理しており、これらのログは"     # a full line
    assert width(runs_on) >= COL - 4
    page1 = lines[:9] + [runs_on]
    page2 = ["1 年間保管します。"] + lines[9:]
    u = unwrap_text(paged([page1, page2, ["以上"]]))
    assert u.pages == 3 and u.joined > 12
    assert HEADER not in u.text and "- 2 -" not in u.text
    for p in PARAS:
        assert p in u.text
    assert "これらのログは1 年間保管します。" in u.text
    assert "\n5.3 運用のセキュリティ\n" in u.text          # a heading is not joined to the line before


def test_wrapped_text_without_page_numbers():
    text = "\n".join(ln for p in PARAS * 3 for ln in wrap(p))
    u = unwrap_text(text)
    assert u.pages == 0 and u.joined >= 12 and all(p in u.text for p in PARAS)


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_one_paragraph_per_line_is_left_alone(stem):
    text = seed_text(stem)
    u = unwrap_text(text)
    assert (u.text, u.pages, u.joined) == (text, 0, 0)


def test_items_and_table_rows_start_lines_of_their_own():
    body = wrap(PARAS[0]) + ["・ファイアウォールによる通信制御を行っています。"] + wrap(PARAS[1]) + \
        ["A.12.3.1\t情報のバックアップ\t毎日取得"] + wrap(PARAS[2]) + ["(1) バックアップ"] + wrap(PARAS[3]) * 2
    u = unwrap_text("\n".join(body))
    assert "\n・ファイアウォール" in u.text and "\nA.12.3.1\t情報" in u.text and "\n(1) バックアップ" in u.text


def test_width_counts_full_width_twice():
    assert width("ログ12") == 6


@pytest.mark.parametrize("left, right, joined", [
    ("データは最大 2", "1 日で消去", "データは最大 21 日で消去"),     # a number cut at the line end (regression)
    ("ログを取得し、1", "3か月間保管", "ログを取得し、13か月間保管"),
    ("TLS version", "1.2 only", "TLS version 1.2 only"),
    ("version 2", "1 day", "version 2 1 day"),
    ("情報セキュリテ", "ィ基本方針", "情報セキュリティ基本方針"),
])
def test_join_wrapped(left, right, joined):
    from pipeline.unwrap import join_wrapped
    assert join_wrapped(left, right) == joined
