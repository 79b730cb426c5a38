"""Day-of-week sets: ``月~金``, ``平日``, ``土日祝``, ``月・水・金``, ``年中無休``.

Consecutive day sets are written as a range (``土・日`` -> ``Sat-Sun``), others
as a list in Mon..Sun order (``Mon,Wed,Fri``). ``holidays`` is set when 祝日
is part of the phrase (``土日祝``), ``excluded`` when the phrase says those
days are excluded (``土日祝日を除く``). ``indices`` are the named days (0 =
Monday), so that callers need not parse ``days`` again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.quantities.round_the_clock import BARE_365_RE, SERVICE_365_RE, service_value
from extractors.quantities.text import DIGITS, KANJI_NUM_CHARS, SP, char_before, greedy, is_ideograph
from extractors.words import alternation

DAY_NAMES = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
DAY_CHARS = {'月': 0, '火': 1, '水': 2, '木': 3, '金': 4, '土': 5, '日': 6}
_DAY = r'[月火水木金土日](?:曜日?)?'
DAY_RANGE_RE = re.compile(rf'(?P<a>{_DAY}){SP}(?:~|-|–|—|から){SP}(?P<b>{_DAY})(?:{SP}まで)?')
DAY_LIST_RE = re.compile(rf'{_DAY}(?:{SP}[・、,/]{SP}{_DAY})+')
DAY_SINGLE_RE = re.compile(r'[月火水木金土日]曜日?')
DAY_TOKEN_RE = re.compile(_DAY)
DAY_WORDS = (   # fixed words -> day indices
    ('平日', (0, 1, 2, 3, 4)),
    ('土日', (5, 6)),
    ('年中無休', tuple(range(7))), ('無休', tuple(range(7))),
    ('週7日', tuple(range(7))), ('週七日', tuple(range(7))),
)
DAY_WORD_MAP = dict(DAY_WORDS)
DAY_WORD_RE = re.compile(alternation(DAY_WORD_MAP))
EVERYDAY_BEFORE_CLOCK_RE = re.compile(
    rf'毎日(?={SP}(?:[0-9]{{1,2}}:[0-9]{{2}}|午前|午後|深夜|[0-9]{{1,2}}{SP}時(?!間)))')
HOLIDAY_SUFFIX_RE = re.compile(SP + r'[・、,]?' + SP + r'(?:祝祭日|祝日|祭日|祝)')
_OTHER_DAYS_OFF = r'年末年始|夏季休暇|夏季休業|お盆|当社休業日|弊社休業日|当社指定休日|指定休日|休業日'
EXCLUDED_SUFFIX_RE = re.compile(
    rf'(?:{SP}(?:[、・,/]|および|及び){SP}(?:{_OTHER_DAYS_OFF}))*'      # 土日祝日、年末年始を除く
    + SP + r'(?:を|は)?' + SP + r'(?:除く|除き|除いた|以外|休み|休業日?|定休日?)')
# 第3日曜日: an ordinal weekday of the month still names the day.
ORDINAL_BEFORE_DAY_RE = re.compile(r'第' + SP + r'(?:[0-9]|[一二三四五])' + SP + r'\Z')
# Characters that may not precede a bare day character (3月, 今月, 毎月, 年月日).
_NOT_BEFORE_BARE_DAY = set('0123456789' + KANJI_NUM_CHARS + '・')
_OK_BEFORE_BARE_DAY = set('週')
_EVERY_DAY = tuple(range(7))


@dataclass(frozen=True)
class DaysOfWeek:
    """``Mon-Fri``, ``Sat-Sun``, ``Mon,Wed,Fri``, ``Mon``..."""
    days: str
    start: int
    end: int
    text: str = ''
    holidays: bool = False
    excluded: bool = False
    indices: tuple[int, ...] = ()

    def included(self) -> str | None:
        """The days the phrase names; for 土日祝を除く, the days that remain
        (``None`` when none or all remain)."""
        if not self.excluded:
            return self.days
        rest = [i for i in range(7) if i not in self.indices]
        if not rest or len(rest) == 7:
            return None
        return format_days(rest)


def format_days(indices) -> str:
    """Sorted day set -> 'Mon-Fri' when consecutive, else 'Mon,Wed,Fri'."""
    idx = sorted(set(indices))
    if len(idx) >= 2 and idx == list(range(idx[0], idx[-1] + 1)):
        return f'{DAY_NAMES[idx[0]]}-{DAY_NAMES[idx[-1]]}'
    return ','.join(DAY_NAMES[i] for i in idx)


def _bare_day_ok(text: str, start: int, end: int, first_bare: bool, last_bare: bool) -> bool:
    """A day char without 曜 must not be part of a word (3月, 今月, 月額)."""
    if first_bare:
        prev = char_before(text, start)
        if prev in _NOT_BEFORE_BARE_DAY or (is_ideograph(prev) and prev not in _OK_BEFORE_BARE_DAY):
            return False
    if last_bare:
        nxt = text[end] if end < len(text) else ''
        if is_ideograph(nxt) and nxt not in '祝':
            return False
    return True


def _days_item(text: str, start: int, end: int, days: str, indices) -> DaysOfWeek:
    holidays = excluded = False
    hm = HOLIDAY_SUFFIX_RE.match(text, end)
    if hm:
        holidays, end = True, hm.end()
    em = EXCLUDED_SUFFIX_RE.match(text, end)
    if em:
        excluded, end = True, em.end()
    return DaysOfWeek(days, start, end, text[start:end], holidays, excluded, tuple(indices))


def _ranges_and_lists(text: str) -> list[DaysOfWeek]:
    """月~金 (a range, wrapping past Sunday: 金~月), 月・水・金 (a list)."""
    out: list[DaysOfWeek] = []
    for m in DAY_RANGE_RE.finditer(text):
        a, b = m.group('a'), m.group('b')
        if not _bare_day_ok(text, m.start(), m.start('b') + len(b), len(a) == 1, len(b) == 1):
            continue
        ia, ib = DAY_CHARS[a[0]], DAY_CHARS[b[0]]
        days = DAY_NAMES[ia] if ia == ib else f'{DAY_NAMES[ia]}-{DAY_NAMES[ib]}'
        indices = [i % 7 for i in range(ia, ib + 1 if ib >= ia else ib + 8)]
        out.append(_days_item(text, m.start(), m.end(), days, indices))
    for m in DAY_LIST_RE.finditer(text):
        tokens = [t.group() for t in DAY_TOKEN_RE.finditer(m.group())]
        if not _bare_day_ok(text, m.start(), m.end(), len(tokens[0]) == 1, len(tokens[-1]) == 1):
            continue
        indices = sorted({DAY_CHARS[t[0]] for t in tokens})
        out.append(_days_item(text, m.start(), m.end(), format_days(indices), indices))
    return out


def _singles_and_words(text: str) -> list[DaysOfWeek]:
    """月曜日, 第3日曜日 (a single day), 平日 / 土日 / 年中無休 (a fixed word)."""
    out: list[DaysOfWeek] = []
    for m in DAY_SINGLE_RE.finditer(text):
        prev = char_before(text, m.start())
        if prev and (prev in DIGITS + KANJI_NUM_CHARS) \
                and not ORDINAL_BEFORE_DAY_RE.search(text, max(0, m.start() - 6), m.start()):
            continue
        i = DAY_CHARS[m.group()[0]]
        out.append(_days_item(text, m.start(), m.end(), DAY_NAMES[i], (i,)))
    for m in DAY_WORD_RE.finditer(text):
        word = m.group()
        if word == '土日' and char_before(text, m.start()) in set(DIGITS + KANJI_NUM_CHARS):
            continue
        out.append(_days_item(text, m.start(), m.end(), format_days(DAY_WORD_MAP[word]), DAY_WORD_MAP[word]))
    return out


def _every_day(text: str) -> list[DaysOfWeek]:
    """365日 of a round-the-clock phrase, 24/7, 毎日 before a time of day."""
    out: list[DaysOfWeek] = []
    for m in SERVICE_365_RE.finditer(text):
        start = m.start() + len(m.group()) - len(m.group().lstrip(' \t/・×xX、,'))
        out.append(DaysOfWeek('Mon-Sun', start, m.end(), text[start:m.end()], indices=_EVERY_DAY))
    for m in BARE_365_RE.finditer(text):
        if service_value(text, m):
            out.append(DaysOfWeek('Mon-Sun', m.start(), m.end(), m.group(), indices=_EVERY_DAY))
    for m in EVERYDAY_BEFORE_CLOCK_RE.finditer(text):
        out.append(DaysOfWeek('Mon-Sun', m.start(), m.end(), m.group(), indices=_EVERY_DAY))
    return out


def find_days_of_week(text: str) -> list[DaysOfWeek]:
    """Day-of-week sets (月~金, 平日, 土日祝, 月・水・金, 年中無休), in order."""
    return greedy(_ranges_and_lists(text) + _singles_and_words(text) + _every_day(text))
