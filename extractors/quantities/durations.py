"""Durations and other number+unit quantities: ``72 時間以内``, ``最低1年間``,
``3~5営業日``, ``99.9%以上``, ``10世代``, ``即日``.

* Round-the-clock phrases (``24時間365日``) are skipped (see round_the_clock).
* ``即日`` is ``Quantity(1.0, 'day', bound='max')``.
* Adjacent compound durations are merged into the smaller unit:
  ``1時間30分`` -> 90 minute, ``1年6ヶ月`` -> 18 month; ``半`` adds half a unit
  (``1時間半`` -> 1.5 hour). ``1日8時間`` stays two quantities (8 hours a day).
* Numbers inside frequency phrases are still quantities (``5分毎`` gives
  ``(5, minute)``); subtract the spans of find_frequencies for durations only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.quantities.numbers import NUMBER_RE, parse_number
from extractors.quantities.rejects import UnitMatch, number_rejected, unit_rejected
from extractors.quantities.round_the_clock import service_spans
from extractors.quantities.text import SP, greedy, overlaps, skip_spaces
from extractors.words import named_alternation
from pipeline.schema import RETENTION_UNITS, TIME_BOUNDS, TIME_UNITS

UNITS = tuple(dict.fromkeys(TIME_UNITS + RETENTION_UNITS))
BOUNDS = TIME_BOUNDS

# Unit words after a number, longest first. The group name is the unit.
UNIT_WORDS = (
    ('business_day', (r'(?:営業|稼働|業務)日(?:間)?',)),
    ('hour', ('時間',)),
    ('minute', (r'分(?:間)?',)),
    ('day', (r'日(?:間)?',)),
    ('week', (r'週(?:間)?',)),
    ('month', (r'[ヶかカヵ箇ケ个]月(?:間)?', '月間')),
    ('year', (r'年(?:間)?',)),
    ('generation', ('世代',)),
    ('percent', ('%', 'パーセント')),
)
UNIT_RE = re.compile(named_alternation(UNIT_WORDS, raw=True))

# Bound modifiers written before the number (checked right-to-left).
PREFIX_BOUNDS = (
    ('min', ('最低でも', '最低限', '少なくとも', '最低', '最短')),
    ('max', ('最大で', '最大', '最長で', '最長', '長くとも', '~')),
    ('approx', ('おおよそ', 'およそ', 'おおむね', '概ね', '大体', '約', '目安として', '目安は')),
)
# Bound modifiers written after the unit.
SUFFIX_BOUNDS = (
    ('max', ('を超えない', 'を越えない', 'を超えず', 'を越えず', '以内', '内(?=に|で)',
             'まで', '以下', '未満', 'を上限')),
    ('min', ('を超える', 'を越える', 'を超えて', 'を越えて', '超え', '超', '以上', 'を下回らない')),
    ('approx', ('程度', '前後', 'ほど', 'くらい', 'ぐらい', 'を目安', '目安', '弱', '強')),
)
PREFIX_BOUND_RE = re.compile(named_alternation(PREFIX_BOUNDS) + SP + r'\Z')
SUFFIX_BOUND_RE = re.compile(SP + named_alternation(SUFFIX_BOUNDS, raw=True))

RANGE_SEP_RE = re.compile(SP + r'(?:~|から|-|–|—)' + SP)
# Compound durations: (big unit, small unit) -> small units per big unit.
# (day+hour is left out on purpose: 1日8時間 means 8 hours a day.)
COMPOUNDS = {'year': ('month', 12), 'hour': ('minute', 60)}
# 1時間半, 1年半, 2か月半: half a unit more (but not 半期, 半年, 半日 ...).
HALF_AFTER_UNIT_RE = re.compile(r'半(?![期年日分数月額ば端])')
SAME_DAY_RE = re.compile(r'即日|当日中|当日内')


@dataclass(frozen=True)
class Quantity:
    """A number with a unit; ``value_to`` is set for ranges (3~5日)."""
    value: float | None
    unit: str
    start: int
    end: int
    bound: str
    value_to: float | None = None
    text: str = ''


def _unit_at(text: str, i: int, num: re.Match) -> tuple[str, int] | None:
    """(unit, end) of a valid unit word at ``i`` following number ``num``."""
    m = UNIT_RE.match(text, i)
    if not m:
        return None
    value = parse_number(num.group())
    if value is None:
        return None
    u = UnitMatch(text, num.start(), num.end(), num.group(), value, m.lastgroup, m.group(), m.end())
    if unit_rejected(u):
        return None
    return u.unit, u.end


def bound_around(text: str, start: int, end: int) -> tuple[str, int, int, str | None]:
    """Bound from modifiers before ``start`` / after ``end``; widened span."""
    pre_bound = suf_bound = None
    pm = PREFIX_BOUND_RE.search(text, max(0, start - 8), start)
    if pm:
        pre_bound = pm.lastgroup
        start = pm.start()
    sm = SUFFIX_BOUND_RE.match(text, end)
    suffix_word = None
    if sm:
        suf_bound = sm.lastgroup
        suffix_word = sm.group(suf_bound)
        end = sm.end()
    if suf_bound in ('min', 'max'):
        bound = suf_bound
    elif pre_bound in ('min', 'max'):
        bound = pre_bound
    else:
        bound = suf_bound or pre_bound or 'exact'
    return bound, start, end, suffix_word


def _range_end(text: str, at: int, u1: tuple[str, int] | None) -> tuple[float, str, int] | None:
    """(value_to, unit, end) of a range's second number: 3~5日, 3日~5日, 3から5日."""
    sep = RANGE_SEP_RE.match(text, at)
    if not sep:
        return None
    m2 = NUMBER_RE.match(text, sep.end())
    if not m2 or parse_number(m2.group()) is None:
        return None
    u2 = _unit_at(text, skip_spaces(text, m2.end()), m2)
    if u2 and (u1 is None or u1[0] == u2[0]):
        return parse_number(m2.group()), u2[0], u2[1]
    return None


def _compound(text: str, v1: float, unit: str, end: int) -> tuple[float, str, int]:
    """1時間30分 -> 90 minute, 1年6ヶ月 -> 18 month, 1時間半 -> 1.5 hour."""
    value = v1
    if unit in COMPOUNDS:
        small, factor = COMPOUNDS[unit]
        m2 = NUMBER_RE.match(text, skip_spaces(text, end))
        if m2 and parse_number(m2.group()) is not None:
            u2 = _unit_at(text, skip_spaces(text, m2.end()), m2)
            if u2 and u2[0] == small:
                return v1 * factor + parse_number(m2.group()), small, u2[1]
    if unit not in ('percent', 'generation'):
        half = HALF_AFTER_UNIT_RE.match(text, end)
        if half:
            value, end = v1 + 0.5, half.end()
    return value, unit, end


def _quantity_at(text: str, m: re.Match) -> Quantity | None:
    """Parse a quantity (single, range or compound) starting at number ``m``."""
    v1 = parse_number(m.group())
    if v1 is None or number_rejected(text, m.start(), m.group()):
        return None
    u1 = _unit_at(text, skip_spaces(text, m.end()), m)
    value, value_to = v1, None
    rng = _range_end(text, u1[1] if u1 else m.end(), u1)
    if rng:
        value_to, unit, end = rng
    elif u1 is None:
        return None
    else:
        value, unit, end = _compound(text, v1, *u1)
    bound, start, end2, suffix_word = bound_around(text, m.start(), end)
    if value_to is not None and suffix_word == 'まで':
        bound = 'exact'                                  # 3日から5日まで
    return Quantity(value, unit, start, end2, bound, value_to, text[start:end2])


def find_quantities(text: str) -> list[Quantity]:
    """All number+unit expressions, in order, non-overlapping.

    Round-the-clock phrases (``24時間365日``) are skipped; see round_the_clock.
    """
    return list(_quantities(text))


@lru_cache(maxsize=256)
def _quantities(text: str) -> tuple[Quantity, ...]:
    """find_quantities' answer, kept for the last texts asked: the retention
    and time-target extractors and find_frequencies all ask it of the same
    sentence (a tuple of frozen Quantity: callers get a list of their own)."""
    skip = service_spans(text)
    found: list[Quantity] = []
    last = 0
    for m in NUMBER_RE.finditer(text):
        if m.start() < last:
            continue
        q = _quantity_at(text, m)
        if q is None:
            continue
        last = q.end
        if not overlaps((q.start, q.end), skip):
            found.append(q)
    for mm in SAME_DAY_RE.finditer(text):
        found.append(Quantity(1.0, 'day', mm.start(), mm.end(), 'max', None, mm.group()))
    return tuple(greedy(found))
