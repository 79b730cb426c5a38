"""Frequencies and intervals: ``日次``, ``年に2回``, ``5分毎``, ``3日に1回``, ``隔週``.

* ``N単位ごと/毎/おき/間隔`` sets only ``interval`` (also for N=1:
  ``1時間ごと`` -> interval ``(1.0, 'hour')``, frequency ``None``).
* ``[1]単位(に)M回`` sets ``frequency`` + ``count``; ``N単位にM回`` with N > 1
  sets ``interval`` + ``count``. ``count`` is only set when a number of times
  is written (``毎日`` has ``count=None``). ``毎時`` is ``'hourly'``.
* ``定期的`` alone is not a frequency.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.quantities.durations import bound_around, find_quantities
from extractors.quantities.numbers import NUM, NUM_START, parse_number
from extractors.quantities.rejects import number_rejected
from extractors.quantities.text import DIGITS, KANJI_NUM_CHARS, SP, char_before, greedy, is_ideograph
from extractors.words import alternation
from pipeline.schema import RETENTION_FREQUENCIES

FREQUENCIES = RETENTION_FREQUENCIES

# Words of a calendar frequency, by frequency (a longer word before its prefix).
EVERY_WORDS = (
    ('hourly', ('毎時間', '毎時')),
    ('daily', ('毎営業日', '毎日', '日次', '日々', '毎晩', '毎夜', '毎朝', '毎夕', 'デイリー')),
    ('weekly', ('毎週', '週次', 'ウィークリー', 'ウイークリー')),
    ('monthly', ('毎月', '月次', '月例', 'マンスリー')),
    ('yearly', ('毎年度', '毎年', '年次', 'アニュアル')),
)
EVERY_MAP = {w: name for name, words in EVERY_WORDS for w in words}
# 毎週月曜 / 毎月曜日 is weekly (and must not read as 毎月 / 毎日).
EVERY_WEEKDAY = r'毎週?[月火水木金土日]曜日?'
EVERY_RE = re.compile(EVERY_WEEKDAY + '|' + alternation(EVERY_MAP))
INTERVAL_WORDS = (
    ('隔日', (2.0, 'day')), ('隔週', (2.0, 'week')), ('隔月', (2.0, 'month')),
    ('隔年', (2.0, 'year')),
    ('四半期ごと', (3.0, 'month')), ('四半期毎', (3.0, 'month')),
    ('半年ごと', (6.0, 'month')), ('半年毎', (6.0, 'month')),
    ('半期ごと', (6.0, 'month')), ('半期毎', (6.0, 'month')),
)
INTERVAL_MAP = dict(INTERVAL_WORDS)
INTERVAL_WORD_RE = re.compile(alternation(INTERVAL_MAP))
INTERVAL_SUFFIX_RE = re.compile(
    SP + r'(?:毎に?|ごとに?|おきに?|置きに?|間隔で?|周期で?|(?<=間)隔で?)')   # 5分間隔
EVERY_PREFIX_RE = re.compile(r'毎' + SP + r'\Z')
# Period words of "N回 per period": word -> (unit, frequency name)
PERIODS = {
    '分': ('minute', None), '時間': ('hour', 'hourly'), '営業日': ('business_day', 'daily'),
    '日': ('day', 'daily'), '週': ('week', 'weekly'), '週間': ('week', 'weekly'),
    '月': ('month', 'monthly'), '年': ('year', 'yearly'), '年間': ('year', 'yearly'),
    '年度': ('year', 'yearly'),
}
# 半年に1回 / 四半期に1回: an interval in months
HALF_AND_QUARTER = {'半年': 6.0, '四半期': 3.0}
_PERIOD = r'(?P<period>半年|四半期|時間|営業日|日|週間|週|[ヶかカヵ箇ケ个]月|月|年間|年度|年|分)'
COUNT_PER_PERIOD_RE = re.compile(
    rf'(?P<every>毎)?(?:(?P<pn>{NUM_START}{NUM}){SP})?{_PERIOD}{SP}'
    rf'(?:に|当たり|あたり|につき|で|の間に|間に)?{SP}(?P<cnt>{NUM}){SP}回')
COUNT_SLASH_RE = re.compile(
    rf'{NUM_START}(?P<cnt>{NUM}){SP}回{SP}/{SP}(?P<period>時間|日|週|月|年)')
# Bare period characters that are also parts of words (土日, 今月, 本日).
_BARE_PERIOD_NEEDS_BOUNDARY = {'日', '月'}
_NEEDS_A_NUMBER = ('分', '時間', '営業日')


@dataclass(frozen=True)
class Frequency:
    """How often: a named frequency, an interval, and/or a count per period."""
    frequency: str | None
    interval: tuple[float, str] | None
    count: float | None
    bound: str
    start: int
    end: int
    text: str = ''


def _frequency(text: str, start: int, end: int, frequency=None, interval=None,
               count=None, bound=None) -> Frequency:
    b, start, end, _ = bound_around(text, start, end)
    if bound is not None and b == 'exact':
        b = bound
    return Frequency(frequency, interval, count, b, start, end, text[start:end])


def _per_n_periods(text: str, m: re.Match, count: float) -> Frequency | None:
    """3日に1回 / 2年に1回 (an interval), 1日1回 (a frequency)."""
    period, pn_text = m.group('period'), m.group('pn')
    unit, name = PERIODS['月' if period.endswith('月') else period]
    pn = parse_number(pn_text)
    if pn is None or number_rejected(text, m.start('pn'), pn_text):
        return None
    if period == '月':                               # 3月に1回: March
        return None
    if period == '年' and pn.is_integer() and pn >= 1000:
        return None
    if pn != 1 or name is None:
        return _frequency(text, m.start(), m.end(), interval=(pn, unit), count=count)
    return _frequency(text, m.start(), m.end(), frequency=name, count=count)


def _count_per_period(text: str, m: re.Match) -> Frequency | None:
    """年に2回 / 1日1回 / 3日に1回 / 毎月1回 / 半年に1回."""
    period = m.group('period')
    count = parse_number(m.group('cnt'))
    if count is None:
        return None
    if period in HALF_AND_QUARTER:
        if m.group('pn'):
            return None
        return _frequency(text, m.start(), m.end(), interval=(HALF_AND_QUARTER[period], 'month'), count=count)
    if m.group('pn'):
        return _per_n_periods(text, m, count)
    key = '月' if period.endswith('月') else period
    if not m.group('every'):
        prev = char_before(text, m.start('period'))
        if prev and (prev in DIGITS + KANJI_NUM_CHARS or prev == '第'):
            return None
        if key in _NEEDS_A_NUMBER:
            return None
        if key in _BARE_PERIOD_NEEDS_BOUNDARY and is_ideograph(prev):
            return None                                  # 土日に1回, 今月1回
    name = PERIODS[key][1]
    if name is None:
        return None
    return _frequency(text, m.start(), m.end(), frequency=name, count=count)


def _counts(text: str) -> list[Frequency]:
    out = []
    pos = 0
    while True:
        m = COUNT_PER_PERIOD_RE.search(text, pos)
        if not m:
            break
        f = _count_per_period(text, m)
        if f is not None:
            out.append(f)
        pos = m.start() + 1
    for m in COUNT_SLASH_RE.finditer(text):
        count = parse_number(m.group('cnt'))
        name = PERIODS[m.group('period')][1]
        if count is not None:
            out.append(_frequency(text, m.start(), m.end(), frequency=name, count=count))
    return out


def _intervals_of_quantities(text: str) -> list[Frequency]:
    """5分毎, 毎5分, 1時間ごと, 10分間隔."""
    out = []
    for q in find_quantities(text):
        if q.value_to is not None or q.unit in ('percent', 'generation'):
            continue
        sm = INTERVAL_SUFFIX_RE.match(text, q.end)
        em = EVERY_PREFIX_RE.search(text, max(0, q.start - 4), q.start)
        if sm or em:
            start = em.start() if em else q.start
            end = sm.end() if sm else q.end
            out.append(Frequency(None, (q.value, q.unit), None, q.bound, start, end, text[start:end]))
    return out


def find_frequencies(text: str) -> list[Frequency]:
    """Frequencies and intervals (日次, 年に2回, 5分毎, 隔週), in order."""
    return list(_frequencies(text))


@lru_cache(maxsize=256)
def _frequencies(text: str) -> tuple[Frequency, ...]:
    """find_frequencies' answer, kept for the last texts asked: the retention
    extractor asks it up to three times of a sentence, the time-target one
    once more (a tuple of frozen Frequency: callers get a list of their own)."""
    cands: list[Frequency] = []
    for m in EVERY_RE.finditer(text):
        name = EVERY_MAP.get(m.group(), 'weekly')      # not in the map: 毎週月曜
        cands.append(_frequency(text, m.start(), m.end(), frequency=name))
    for m in INTERVAL_WORD_RE.finditer(text):
        cands.append(_frequency(text, m.start(), m.end(), interval=INTERVAL_MAP[m.group()]))
    return tuple(greedy(cands + _counts(text) + _intervals_of_quantities(text)))
