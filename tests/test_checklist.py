"""Answered checklists: the template's example column is not the provider's
answer (pipeline/checklist.py)."""
from __future__ import annotations

import pytest

from pipeline.checklist import example_spans
from pipeline.process import analyse_text

PIPE = ("| No. | 種別 | サービスレベル項目例 | 規定内容 | 設定例 | 回答 |\n"
        "| 1 | 可用性 | サービス稼働率 | サービスを利用できる確率 | 99.99%以上 | 99.5%以上 |\n"
        "| 2 | 信頼性 | 平均復旧時間 | 障害からの復旧時間 | 1時間以内 | 4時間以内に復旧 |\n")
TABS = ("項目\t記入例\t当社回答\n"
        "ログの保存期間\t5年間保存\tアクセスログは1年間保存\n")


@pytest.mark.parametrize("text,cells", [
    (PIPE, ["99.99%以上", "1時間以内"]),
    (TABS, ["5年間保存"]),
    # no answer column: a plain table whose header happens to say 例 keeps every cell
    ("| 項目 | 例 |\n| 稼働率 | 99.9% |\n", []),
    # a row of another shape (a merged cell) is left alone, and the table ends at a line without cells
    (PIPE.splitlines()[0] + "\n| 3 | 連絡 | 24時間以内 |\n本文 99.9%\n| a | b | c | d | 9時間 | e |\n", []),
])
def test_example_cells(text, cells):
    assert [text[a:b].strip() for a, b in example_spans(text)] == cells


def test_only_the_answer_yields_facts():
    rows = analyse_text(PIPE)["time_targets"]
    assert sorted((r["kind"], r["value"]) for r in rows) == [("availability", 99.5), ("recovery", 4.0)]
    rows = analyse_text(TABS)["retention_periods"]
    assert [(r["subject"], r["value"], r["unit"]) for r in rows] == [("logs", 1.0, "year")]
