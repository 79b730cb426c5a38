"""GiNZA's part of the retention extractor (extractors/syntax.py): the
subject of a retention sentence that names several kinds of thing, read from
the dependency parse, and the rule that spares the parse when a topic
(``Xは``) already says what is kept."""
import re

import pytest

from extractors.syntax import subject_by_parse
from pipeline.nlp import Ginza
from pipeline.process import analyse_text


def _pos(sentence: str) -> int:
    return re.search(r"\d", sentence).start()


def test_ginza_labels_are_ud_not_bunsetu():
    """Regression: GiNZA was loaded without its bunsetu_recognizer, which
    leaves the parser's raw labels (``nsubj_bunsetu``, ``obj_bunsetu``); no
    argument ever matched, so the parse never settled a subject."""
    doc = Ginza.parse("トランザクションログのバックアップは7日間保管します。")
    deps = {t.text: t.dep_ for t in doc}
    assert deps["バックアップ"] == "nsubj"
    assert deps["日間"] == "obl"
    assert not any(t.dep_.endswith("_bunsetu") for t in doc)


@pytest.mark.parametrize("sentence, expected", [
    # the object of the keeping verb, not a noun inside its modifier
    ("当社は、契約終了後30日以内にお客様データを含むバックアップを削除します。", "backups"),
    ("当社はバックアップ取得時のログを90日間保持します。", "logs"),
    ("契約終了後、当社はお客様データのバックアップを30日間保管します。", "backups"),
    ("当社は障害調査のため、バックアップからは独立してアクセスログを180日間保存しています。", "logs"),
])
def test_subject_by_parse(sentence, expected):
    assert subject_by_parse(sentence, _pos(sentence)) == expected


@pytest.mark.parametrize("sentence, subject", [
    ("バックアップデータは各データの消去から2週間程度で完全に消去します。", "backups"),
    ("お客様のデータは、解約日から90日を経過した時点で、本番環境から完全に削除します。", "customer_data"),
    ("監査ログは、バックアップとは別に1年間保存します。", "logs"),
])
def test_topic_settles_without_parse(sentence, subject):
    before = Ginza.calls
    rows = analyse_text(sentence)["retention_periods"]
    assert [r["subject"] for r in rows] == [subject]
    assert Ginza.calls == before


def test_parse_settles_sentence_without_topic():
    before = Ginza.calls
    rows = analyse_text("当社は、監査目的でバックアップ取得時のログを90日間保持します。")["retention_periods"]
    assert [(r["subject"], r["days"]) for r in rows] == [("logs", 90.0)]
    assert Ginza.calls == before + 1
