"""Round-the-clock service phrases (``24時間365日``, ``24時間/365日``,
``365日24時間``, ``1日24時間``, ``24時間体制``, ``24/7``): service hours, not
durations. find_quantities skips them, find_clocks reports ``00:00-24:00``
and find_days_of_week ``Mon-Sun``.

A bare ``24時間`` / ``365日`` that is the whole text (a table cell), or comes
right after a service-hours label and closes the phrase (``受付時間: 24時間``),
is also reported as a clock / day set (find_quantities still reports a
duration); in other prose (``RPO 24時間``) it is only a duration.
"""
from __future__ import annotations

import re

from extractors.quantities.text import SP
from extractors.words import alternation

SERVICE_WORDS = ('体制', '対応', '監視', '稼働', '受付', '有人', '運用', '営業', 'サポート', '年中無休', '無休',
                 'いつでも', '利用可能', '常時', 'オンコール', '連絡可能')
SERVICE_LABELS = ('時間', '時間帯', '窓口', '受付', '対応', 'サポート', '営業', '営業日', '稼働日', '提供日')

_SERVICE = alternation(SERVICE_WORDS)
_SEP24 = SP + r'[/・×xX、,]?' + SP
_H24 = r'(?<![0-9.])(?:24|二十四)' + SP + r'時間'
_D365 = r'(?<![0-9.])(?:365|三百六十五)' + SP + r'日'
_TWENTY_FOUR_SEVEN = rf'(?<![0-9.])24{SP}[/x×]{SP}(?:7|365)(?![0-9])'
ROUND_THE_CLOCK_RE = re.compile(
    rf'{_H24}{_SEP24}{_D365}(?!間)'
    rf'|{_D365}{_SEP24}(?:24|二十四){SP}時間'
    rf'|(?<![0-9])(?:1|一){SP}日{SP}{_H24}'
    rf'|{_H24}(?={SP}(?:{_SERVICE}))'
    rf'|{_TWENTY_FOUR_SEVEN}')
SERVICE_365_RE = re.compile(
    rf'(?<=24時間){_SEP24}{_D365}|(?<=24 時間){_SEP24}{_D365}|(?<=二十四時間){_SEP24}{_D365}'
    rf'|{_D365}(?={_SEP24}(?:24|二十四){SP}時間)|{_D365}(?={SP}(?:{_SERVICE}))'
    rf'|{_TWENTY_FOUR_SEVEN}')

_PHRASE_END = SP + r'(?:\Z|[。、,)\]」\n])'
SERVICE_LABEL_BEFORE_RE = re.compile(rf'(?:{alternation(SERVICE_LABELS)}){SP}(?:[:は]{SP})?\Z')
BARE_24H_RE = re.compile(rf'{_H24}(?={_PHRASE_END})')
BARE_365_RE = re.compile(rf'{_D365}(?={_PHRASE_END})')


def service_value(text: str, m: re.Match) -> bool:
    """A bare 24時間/365日 is service hours when it is the whole text (a table
    cell) or follows a service-hours label (``受付時間:``, ``サポートは``)."""
    if not text[:m.start()].strip() and text[m.end():].strip() in ('', '。'):
        return True
    return bool(SERVICE_LABEL_BEFORE_RE.search(text, max(0, m.start() - 10), m.start()))


def service_spans(text: str) -> list[tuple[int, int]]:
    """Sorted, merged spans of round-the-clock phrases."""
    if not may_hold_round_the_clock(text):
        return []
    spans = sorted([mm.span() for mm in ROUND_THE_CLOCK_RE.finditer(text)]
                   + [mm.span() for mm in SERVICE_365_RE.finditer(text)])
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


_NEEDED = ('24', '二十四', '365', '三百六十五')


def may_hold_round_the_clock(text: str) -> bool:
    """Every round-the-clock phrase, and a bare 24時間 or 365日, holds 24 or
    365 (in digits or kanji): a substring test spares most sentences the
    regexes, whose lookbehinds are tried at every position."""
    return any(w in text for w in _NEEDED)
