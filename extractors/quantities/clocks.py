"""Clock times and service windows: ``午後6時``, ``9:00-17:30``, ``18時以降``,
``24時間365日`` (as ``00:00-24:00``).

* An end of ``0:00``/``深夜0時`` after a later start is written ``24:00``;
  ``午前12時`` is ``12:00`` when it ends a window that started in the morning,
  ``00:00`` otherwise; a bare end hour after a ``午後`` start inherits the
  ``午後`` (``午後1時~5時`` -> ``13:00-17:00``).
* Open windows (``18時以降``, ``18:00~``) keep the trailing dash and set
  ``open_end``.
* Durations (``72時間``), dates and ``夜間`` alone are not clocks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.quantities.numbers import parse_number
from extractors.quantities.round_the_clock import (BARE_24H_RE, ROUND_THE_CLOCK_RE, may_hold_round_the_clock,
                                                   service_value)
from extractors.quantities.text import SP, greedy, is_kanji_number

_AMPM = r'午前|午後|深夜|夕方|朝|夜(?!間)|(?<![A-Za-z])(?:AM|PM|am|pm)(?![A-Za-z])'
_PM_WORDS = {'午後', '夕方', 'PM', 'pm'}
_AM_WORDS = {'午前', 'AM', 'am'}
_KANJI_HOUR = r'[〇零一二三四五六七八九十]{1,3}'
# 時 followed by these is not o'clock (時間, 時点, 一時的, 時限 ...).
_NOT_OCLOCK = r'間|点|代|期|刻|限|的|差|効|価|給|速|計|制|短|々|折|系'
CLOCK_POINT_RE = re.compile(
    rf'(?:(?:翌日?|当日){SP})?(?:(?P<ampm>{_AMPM}){SP})?(?:'
    rf'(?<![0-9.:/])(?P<h1>[0-9]{{1,2}}):(?P<m1>[0-9]{{2}})(?::[0-9]{{2}})?(?![0-9]|:[0-9])'
    rf'|(?<![0-9.:/,])(?P<h2>[0-9]{{1,2}}|{_KANJI_HOUR}){SP}時(?!{_NOT_OCLOCK})'
    rf'(?:{SP}(?:(?P<m2>[0-9]{{1,2}}|{_KANJI_HOUR}){SP}分(?!間)|(?P<half>半)))?'
    rf'|(?P<noon>正午))')
# "9~17時": a bare start hour borrowing 時 from the end of the window.
BARE_START_HOUR_RE = re.compile(
    rf'(?:(?P<ampm>{_AMPM}){SP})?(?<![0-9.:/,])(?P<h>[0-9]{{1,2}})'
    rf'(?={SP}(?:~|-|から){SP}(?:{_AMPM})?{SP}[0-9]{{1,2}}{SP}時(?!{_NOT_OCLOCK}))')
WINDOW_SEP_RE = re.compile(SP + r'(?:~|-|–|—|から|より|to)' + SP + r'(?:翌日?|翌朝)?' + SP)
UNTIL_RE = re.compile(SP + r'まで')
OPEN_END_RE = re.compile(SP + r'(?:以降|以後|~|から|より)')
WINDOW_LIST_SEP_RE = re.compile(SP + r'(?:/|、|,|・|;|および|及び|と)?' + SP)


@dataclass(frozen=True)
class Clock:
    """``HH:MM``, ``HH:MM-HH:MM[,HH:MM-HH:MM]`` or open ``HH:MM-``."""
    clock: str
    start: int
    end: int
    text: str = ''
    open_end: bool = False


@dataclass(frozen=True)
class _Point:
    hour: int          # as written
    minute: int
    ampm: str | None
    start: int
    end: int
    bare: bool = False  # a start hour without 時 (9~17時)


def _clock_points(text: str) -> list[_Point]:
    if not _may_hold_clock(text):
        return []
    found: list[tuple[_Point, bool]] = []    # (point, weak): 十時 alone counts only in a window (十時~十七時)
    for m in CLOCK_POINT_RE.finditer(text):
        ampm = m.group('ampm')
        is_weak = False
        if m.group('noon'):
            hour, minute, ampm = 12, 0, None
        elif m.group('h1') is not None:
            hour, minute = int(m.group('h1')), int(m.group('m1'))
        elif m.group('h2') is not None:
            h_text, m_text = m.group('h2'), m.group('m2')
            if is_kanji_number(h_text) and not (ampm or m_text or m.group('half')):
                is_weak = True                           # 一時保存, unless it is part of a window
            h = parse_number(h_text)
            mi = parse_number(m_text) if m_text else (30.0 if m.group('half') else 0.0)
            if h is None or mi is None or not h.is_integer() or not mi.is_integer():
                continue
            hour, minute = int(h), int(mi)
        else:
            continue
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            continue
        if ampm and hour > 12:
            continue
        found.append((_Point(hour, minute, ampm, m.start(), m.end()), is_weak))
    points = [p for k, (p, weak) in enumerate(found)
              if not weak or (k > 0 and WINDOW_SEP_RE.fullmatch(text, found[k - 1][0].end, p.start))
              or (k + 1 < len(found) and WINDOW_SEP_RE.fullmatch(text, p.end, found[k + 1][0].start))]
    for m in BARE_START_HOUR_RE.finditer(text):
        hour = int(m.group('h'))
        ampm = m.group('ampm')
        if hour <= 24 and not (ampm and hour > 12):
            points.append(_Point(hour, 0, ampm, m.start(), m.end(), bare=True))
    points.sort(key=lambda p: (p.start, -(p.end - p.start)))
    out, last = [], -1
    for p in points:
        if p.start >= last:
            out.append(p)
            last = p.end
    return out


def _minutes(p: _Point, role: str = 'point', start_min: int | None = None,
             start_ampm: str | None = None) -> int:
    """Minutes since midnight of ``p`` as a point, window start or window end."""
    h, ampm = p.hour, p.ampm
    if ampm in _PM_WORDS:
        if h < 12:
            h += 12
        elif h == 12 and role == 'end' and start_min is not None and start_min >= 12 * 60:
            h = 24
    elif ampm in _AM_WORDS and h == 12:
        if role == 'end' and start_min is not None:
            h = 12 if start_min < 12 * 60 else 24        # 午前10時~午前12時 is noon
        else:
            h = 0
    elif ampm in ('夜', '深夜'):
        if 5 <= h < 12:
            h += 12
        elif h == 12:
            h = 0
    elif ampm is None and role == 'end' and start_ampm in _PM_WORDS and h < 12:
        h += 12
    total = h * 60 + p.minute
    if role == 'end' and total == 0 and start_min:
        total = 24 * 60
    return min(total, 24 * 60)


def _hhmm(total: int) -> str:
    return f'{total // 60:02d}:{total % 60:02d}'


@dataclass(frozen=True)
class _ClockItem:
    clock: str
    start: int
    end: int
    open_end: bool = False
    window: bool = False


def _may_hold_clock(text: str) -> bool:
    """Every clock point holds ':' (10:00), 時 (10時, and the end hour
    9~17時 lends its start) or 正午: a substring test spares most sentences
    the regexes, whose lookbehinds are tried at every position."""
    return ':' in text or '時' in text or '正午' in text


def _round_the_clock_items(text: str) -> list[_ClockItem]:
    """00:00-24:00 for a round-the-clock phrase, or a bare 24時間 that is
    service hours (the regexes only run on text that holds 24 or 365)."""
    if not may_hold_round_the_clock(text):
        return []
    out = [_ClockItem('00:00-24:00', m.start(), m.end(), window=True) for m in ROUND_THE_CLOCK_RE.finditer(text)]
    for m in BARE_24H_RE.finditer(text):
        if service_value(text, m):
            out.append(_ClockItem('00:00-24:00', m.start(), m.end(), window=True))
    return out


def find_clocks(text: str) -> list[Clock]:
    """Clock times and service windows, in order.

    Durations (``72時間``), dates and ``夜間`` alone are not clocks.
    """
    points = _clock_points(text)
    items: list[_ClockItem] = []
    i = 0
    while i < len(points):
        p = points[i]
        if i + 1 < len(points):
            q = points[i + 1]
            if q.start >= p.end and WINDOW_SEP_RE.fullmatch(text, p.end, q.start) \
                    and not q.bare:
                s = _minutes(p, 'start')
                e = _minutes(q, 'end', s, p.ampm)
                end = q.end
                um = UNTIL_RE.match(text, end)
                if um:
                    end = um.end()
                items.append(_ClockItem(f'{_hhmm(s)}-{_hhmm(e)}', p.start, end, window=True))
                i += 2
                continue
        i += 1
        if p.bare:
            continue
        om = OPEN_END_RE.match(text, p.end)
        if om:
            items.append(_ClockItem(f'{_hhmm(_minutes(p, "start"))}-', p.start, om.end(),
                                    open_end=True, window=True))
        else:
            items.append(_ClockItem(_hhmm(_minutes(p)), p.start, p.end))
    # join consecutive windows: 午前10時~午前12時 / 午後1時~午後6時
    merged: list[_ClockItem] = []
    for it in items:
        prev = merged[-1] if merged else None
        if prev and prev.window and it.window and not prev.open_end \
                and it.start >= prev.end \
                and WINDOW_LIST_SEP_RE.fullmatch(text, prev.end, it.start):
            merged[-1] = _ClockItem(f'{prev.clock},{it.clock}', prev.start, it.end,
                                    it.open_end, True)
        else:
            merged.append(it)
    merged.extend(_round_the_clock_items(text))
    result = [Clock(it.clock, it.start, it.end, text[it.start:it.end], it.open_end)
              for it in merged]
    return greedy(result)


