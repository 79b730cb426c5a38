"""Examples are no facts (pipeline/examples.py): a checklist template's
example column, example blocks and sentences, settings the reader makes."""
from __future__ import annotations

import pytest

from pipeline.examples import example_spans
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


@pytest.mark.parametrize("text,table", [
    # an example block under a label line, up to the next label line
    ("例\nサンプルサーバーに次の戦略を使えます。\n1日に2回バックアップし、保持ルールを7日に設定します。\n", "time_targets"),
    ("【例】\n監査ログを5年間保存する場合の設定です。\n", "retention_periods"),
    # example sentences
    ("例)毎時に設定し、13:05 に終わった場合、次は 14:05 に始まります。", "time_targets"),
    ("たとえば、ログを90日間保存できます。", "retention_periods"),
    # settings the reader makes: hypotheticals and instructions
    ("既定の保持期間を6か月に変更した場合、変更はすぐに反映されます。", "retention_periods"),
    ("世代数を10にしている場合、毎日取得していれば10日分が保持されます。", "retention_periods"),
    ("1日前から7日前のファイルの版を保持する間隔を設定します。", "retention_periods"),
    ("保存期間は6週間から10年間の間で変更できます。", "retention_periods"),
    ("東京のタイムゾーン(UTC+09:00)で指定した場合の表示", "log_timezones"),
])
def test_examples_and_reader_settings_are_no_facts(text, table):
    assert analyse_text(text)[table] == []


@pytest.mark.parametrize("text,expected", [
    # the provider's own setting and a fact after an example block's end stay
    ("監査ログの保存期間\n初期値は3年間に設定されています。\n", ("logs", 3.0)),
    ("例\n設定例の説明です。\nバックアップ\n取得したバックアップは14日間保存します。\n", ("backups", 14.0)),
    ("プレミアムプランを選択した場合、操作ログは3年間保存されます。\n", ("logs", 3.0)),
])
def test_what_stays_a_fact(text, expected):
    rows = analyse_text(text)["retention_periods"]
    assert [(r["subject"], r["value"]) for r in rows] == [expected]


def _mask_by_scanning(sentences, text):
    """mask_examples as it was: every cell tried against every sentence, and
    the reader-setting regex on every sentence."""
    import bisect
    from dataclasses import replace

    from pipeline.examples import EXAMPLE_SENTENCE, READER_SETTING, example_block_lines

    cells, blocks = example_spans(text), example_block_lines(text)

    def inside(pos):
        k = bisect.bisect_right(blocks, (pos, float("inf"))) - 1
        return k >= 0 and pos < blocks[k][1]

    def masked(sent):
        chars = None
        for a, b in cells:
            lo, hi = max(a, sent.start), min(b, sent.end)
            if lo < hi:
                chars = chars or list(sent.text)
                for i in range(lo - sent.start, min(hi - sent.start, len(chars))):
                    chars[i] = " "
        return replace(sent, text="".join(chars)) if chars else sent
    return {i: [masked(s) for s in sents
                if not (EXAMPLE_SENTENCE.match(s.text) or READER_SETTING.search(s.text) or inside(s.start))]
            for i, sents in sentences.items()}


_CHECKLIST = ("| 項目 | 設定例 | 回答 |\n| 稼働率 | 99.9%以上 | 99.95%以上 |\n| 保存期間 | 1年間 | 3年間保存します |\n"
              "例えばログを1年間保存します。\n保持期間を6か月に変更した場合、古いログは削除されます。\n"
              "ログは7日に設定します。\n初期値は3年間に設定されています。\n【例】\nバックアップは10世代。\n【回答】\n"
              "項目\t設定例\t回答\n障害通知\t30分以内\t1時間以内に通知します\nRTO\t4時間\t24時間以内に復旧します\n")


@pytest.mark.parametrize("text", [_CHECKLIST, _CHECKLIST * 3, "ログを1年間保存します。", ""])
def test_mask_examples_same_as_scanning_every_cell(text):
    from pipeline.examples import mask_examples
    from pipeline.nlp import split_sentences
    sentences = {0: split_sentences(text, 0, len(text) // 2), 1: split_sentences(text, len(text) // 2, len(text)),
                 2: split_sentences(text)}
    assert example_spans(text) or len(text) < 100
    assert mask_examples(sentences, text) == _mask_by_scanning(sentences, text)
