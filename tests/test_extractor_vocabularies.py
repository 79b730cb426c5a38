"""Integrity of the extractors' vocabularies (as dateparser tests its
language data): every name a word list gives is one of the schema's, every
kind of time target has a rule and a positive case, every named reject stops
its own example."""
from __future__ import annotations

import re

import pytest

from extractors.lexicon import ANCHOR_WORDS, ANCHORS, SUBJECT_RE, SUBJECT_WORDS, subjects
from extractors.quantities import BOUNDS, FREQUENCIES, UNITS, find_quantities
from extractors.quantities.durations import PREFIX_BOUNDS, SUFFIX_BOUNDS, UNIT_RE, UNIT_WORDS
from extractors.quantities.frequencies import EVERY_WORDS, PERIODS
from extractors.quantities.numbers import NUMBER_RE, parse_number
from extractors.quantities.rejects import NUMBER_REJECTS, UNIT_REJECTS, UnitMatch, number_rejected, unit_rejected
from extractors.quantities.text import skip_spaces
from extractors.time_targets import RULES
from extractors.words import alternation, named_alternation, words_re
from pipeline.schema import (RETENTION_FREQUENCIES, RETENTION_UNITS, SUBJECTS, TIME_BOUNDS, TIME_KINDS, TIME_UNITS)
from test_time_targets import TIME_CASES


def test_word_helpers_keep_the_order_and_escape_plain_words():
    assert alternation(["毎時間", "毎時", "a.b"]) == r"毎時間|毎時|a\.b"
    assert alternation(["ログ(?!イン)"], raw=True) == "ログ(?!イン)"
    assert words_re(["毎時間", "毎時"]).match("毎時間").group() == "毎時間"
    m = re.match(named_alternation([("x", ["a"]), ("y", ["b"])]), "b")
    assert m.lastgroup == "y"


def test_units_bounds_and_frequencies_are_the_schema_s():
    assert set(UNITS) == set(TIME_UNITS) | set(RETENTION_UNITS)
    assert [u for u, _ in UNIT_WORDS] == list(dict.fromkeys(u for u, _ in UNIT_WORDS))
    assert {u for u, _ in UNIT_WORDS} == set(UNITS)
    assert BOUNDS == TIME_BOUNDS
    assert {b for b, _ in PREFIX_BOUNDS} | {b for b, _ in SUFFIX_BOUNDS} == {"min", "max", "approx"} < set(BOUNDS)
    assert FREQUENCIES == RETENTION_FREQUENCIES
    assert {f for f, _ in EVERY_WORDS} == set(FREQUENCIES)
    assert {name for _, name in PERIODS.values() if name} <= set(FREQUENCIES)


UNIT_SPELLINGS = {"business_day": "稼働日", "hour": "時間", "minute": "分間", "day": "日", "week": "週間",
                  "month": "カ月", "year": "年間", "generation": "世代", "percent": "パーセント"}


def test_every_unit_has_a_word_read_as_it():
    assert set(UNIT_SPELLINGS) == set(UNITS)
    for unit, word in UNIT_SPELLINGS.items():
        assert UNIT_RE.fullmatch(word).lastgroup == unit, word
        assert [(q.value, q.unit) for q in find_quantities("3" + word)] == [(3.0, unit)]


def test_subject_words_are_the_schema_s_subjects():
    assert {name for name, _ in SUBJECT_WORDS} == set(SUBJECTS)
    assert set(SUBJECT_RE.groupindex) == set(SUBJECTS)
    assert [k for k, _, _ in subjects("監査ログとバックアップデータとお客様データ")] == ["logs", "backups", "customer_data"]


def test_anchors_keep_their_names_in_order():
    assert [name for _, name in ANCHORS] == [name for name, _ in ANCHOR_WORDS]
    assert len({name for name, _ in ANCHOR_WORDS}) == len(ANCHOR_WORDS)


def test_every_kind_of_time_target_has_a_rule_and_a_positive_case():
    assert {r.kind for r in RULES} == set(TIME_KINDS)
    for r in RULES:
        assert r.subject is not None or r.verb is not None, r.kind
    kinds_in_cases = {row[1] for case in TIME_CASES for row in case.values[1]}
    assert set(TIME_KINDS) <= kinds_in_cases, set(TIME_KINDS) - kinds_in_cases


@pytest.mark.parametrize("reject", NUMBER_REJECTS, ids=lambda r: r.name)
def test_a_number_reject_stops_its_example(reject):
    m = NUMBER_RE.search(reject.example)
    assert number_rejected(reject.example, m.start(), m.group()) == reject.name
    assert find_quantities(reject.example) == []


@pytest.mark.parametrize("reject", UNIT_REJECTS, ids=lambda r: r.name)
def test_a_unit_reject_stops_its_example(reject):
    text = reject.example
    found = []
    for m in NUMBER_RE.finditer(text):
        u = UNIT_RE.match(text, skip_spaces(text, m.end()))
        if u:
            found.append(UnitMatch(text, m.start(), m.end(), m.group(), parse_number(m.group()),
                                   u.lastgroup, u.group(), u.end()))
    assert reject.name in [unit_rejected(u) for u in found]
    assert [q.text for q in find_quantities(text)] == []
