"""Property tests: arbitrary Unicode through normalisation, segmentation and
the whole per-document pipeline never raises, keeps every offset inside the
text and only writes rows the schema accepts.

The texts mix random Unicode with what whitepapers are made of: control ids
in brackets, retention and time phrases, numbered headings, table cells, real
lines of the seed texts; plus control characters, lone surrogates (as a
lenient decoder or ``surrogateescape`` leaves them), very long lines and other
scripts.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.catalog import load_catalog
from pipeline.normalize import normalize
from pipeline.process import analyse_text
from pipeline.read_text import decode_text
from pipeline.arrow_tables import to_table
from pipeline.schema import TABLES
from pipeline.segment import segment

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"

VOCAB = [
    "【A.12.3.1】", "【A.12.4.1】", "【CLD.6.3.1】", "【CLD.12.4.5】", "【A.99.9.9】", "[A.12.4.4]", "【A.12.3.",
    "5.3.", "12.4.1 ", "12.4.4 クロックの同期", "第1版", "目次", "......", "...\t12",
    "保存", "保管", "保持", "削除", "廃棄", "ログ", "監査ログ", "バックアップ", "顧客データ", "利用者データ",
    "72時間以内", "７２時間以内", "24時間365日", "1年間", "１年間", "13ヶ月", "90日", "5営業日", "7世代",
    "最低3年", "約1か月", "無期限", "以上", "以内", "まで", "ごと", "毎日", "毎週", "毎月", "日次", "週次",
    "9:00~17:00", "9時から18時", "平日", "土日祝日", "月~金", "99.9%", "稼働率", "目標", "通知します", "復旧",
    "日本標準時", "協定世界時", "JST", "UTC", "UTC+9", "GMT+09:00", "NTP", "タイムゾーン", "時刻同期",
    "。", "、", "「", "」", "（", "）", "・", "\n", "\n\n", "\t", " ", "\u3000", "〜", "～", "ｱﾞ", "⽇", "⻑",
]
CONTROL = st.sampled_from(["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\r", "\r\n",
                           "\u2028", "\u2029", "\ufeff", "\u200b", "\ufffe", "\uffff", "\x02"])
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
OTHER_SCRIPTS = st.sampled_from(["한국어 로그", "سجلات", "लॉग", "Ελληνικά", "кириллица", "🙂🔒", "𠮷野家",
                                 "e\u0301", "\u0301", "ﬁ", "Ⅻ", "㍻", "①②", "\u202e", "ℌ"])


@lru_cache(maxsize=1)
def _seed_lines() -> list[str]:
    if not SEEDS.is_dir():
        return ["5.3. バックアップ【A.12.3.1】", "ログは1年間保存します。"]
    lines = []
    for p in sorted(SEEDS.glob("*.txt")):
        lines += [line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


SEED_LINE = st.builds(lambda i: _seed_lines()[i % len(_seed_lines())], st.integers(min_value=0))


def long_line(max_repeat: int) -> st.SearchStrategy[str]:
    """One fragment repeated into a line of hundreds to thousands of characters."""
    return st.builds(lambda piece, n: piece * n, st.sampled_from(VOCAB[14:60] + ["あ", "a", "1"]),
                     st.integers(min_value=100, max_value=max_repeat))


def texts(surrogates: bool, max_repeat: int = 3000) -> st.SearchStrategy[str]:
    """Random texts; the whole pipeline gets shorter long lines (max_repeat)
    to keep the run short (test_long_sentence_full_of_quantities covers a
    long one)."""
    alphabet = st.characters(codec=None) if surrogates else st.characters(exclude_categories=("Cs",))
    parts = [st.sampled_from(VOCAB), st.sampled_from(VOCAB), SEED_LINE, CONTROL, OTHER_SCRIPTS,
             st.text(alphabet, max_size=20), long_line(max_repeat)]
    if surrogates:
        parts.append(SURROGATE)
    return st.lists(st.one_of(parts), max_size=40).map("".join)


SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example,
                                           HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@SETTINGS
@given(texts(surrogates=True))
def test_normalize_never_raises_and_maps_every_offset(raw):
    n = normalize(raw)
    assert len(n.source) == len(n.text) + 1
    assert all(0 <= s <= len(raw) for s in n.source)
    assert n.source[-1] == len(raw)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in n.text), "lone surrogates must not survive"
    assert "\r" not in n.text


def _check_layout(layout, text: str) -> None:
    prev_end = 0
    for k, sec in enumerate(layout.sections):
        assert sec.index == k
        assert 0 <= sec.start <= sec.body_start <= sec.end <= len(text)
        assert sec.start >= prev_end
        prev_end = sec.end
        if sec.heading is not None:
            h = sec.heading
            assert 0 <= h.start <= h.end <= len(text)
    for start, end, _line in layout.lines:
        assert 0 <= start <= end <= len(text)


@SETTINGS
@given(texts(surrogates=True))
def test_segment_never_raises_and_sections_stay_in_the_text(catalog, raw):
    for text in (normalize(raw).text, raw):      # as the pipeline calls it, and on raw input
        _check_layout(segment(text, catalog), text)


def _pipeline_text(text: str) -> str:
    """The normalised text the per-document pipeline works on for *text*."""
    return normalize(decode_text(text.encode("utf-8")).text).text


def _check_rows(tables: dict[str, list[dict]], text: str) -> None:
    docs = tables["documents"]
    assert len(docs) == 1
    status = docs[0]["status"]
    if status == "ok":
        assert docs[0]["n_chars"] == len(text)
    for name, rows in tables.items():
        cols = TABLES[name]
        for row in rows:
            for col in cols:
                value = row.get(col.name)
                if col.vocab and value is not None:
                    assert value in col.vocab, (name, col.name, value)
            if "char_start" in row and row["char_start"] is not None and name != "issues":
                assert 0 <= row["char_start"] <= row["char_end"] <= len(text), (name, row)
            if name == "issues" and row.get("char_start") is not None:
                assert 0 <= row["char_start"] <= len(text), row
            if name in ("retention_periods", "time_targets", "log_timezones"):
                assert row["char_start"] < row["char_end"]
                assert row["evidence"] == text[row["char_start"]:row["char_end"]], row
        if name == "documents":
            rows = [dict(r, ingested_at=dt.datetime.now(dt.timezone.utc)) for r in rows]
        to_table(name, rows, run_id="fuzz")           # types, nullability and vocabularies


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example, HealthCheck.data_too_large])
@given(texts(surrogates=False, max_repeat=300))
def test_whole_pipeline_on_arbitrary_text(raw):
    tables = analyse_text(raw)
    status = tables["documents"][0]["status"]
    assert status in ("ok", "failed", "empty")
    text = _pipeline_text(raw) if status == "ok" else ""
    _check_rows(tables, text)
    if status != "ok":
        assert {i["severity"] for i in tables["issues"]} == {"error"}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(VOCAB), SEED_LINE), min_size=1, max_size=40).map("".join))
def test_whole_pipeline_on_whitepaper_fragments(raw):
    """Mostly plausible text: the extractors get sentences they act on."""
    tables = analyse_text(raw)
    text = _pipeline_text(raw)
    _check_rows(tables, text if tables["documents"][0]["status"] == "ok" else "")


def test_whole_pipeline_on_a_lone_surrogate():
    """A str with a lone surrogate cannot be UTF-8 encoded; analyse_text must
    still answer (each surrogate becomes '?')."""
    tables = analyse_text("ログは1年間保存します。\udcff\ud800")
    _check_rows(tables, _pipeline_text("ログは1年間保存します。??"))
    assert [(r["subject"], r["value"], r["unit"]) for r in tables["retention_periods"]] == [("logs", 1.0, "year")]


def test_long_sentence_full_of_quantities():
    """One 24,000-character sentence with 3,000 durations is processed (its
    cost grows linearly: measured by bench/long_text.py, not here)."""
    tables = analyse_text("72時間以内" * 3000)
    assert tables["documents"][0]["status"] == "ok"
    _check_rows(tables, _pipeline_text("72時間以内" * 3000))
